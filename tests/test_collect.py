"""``equipoise collect``: feeds and the DOC API served from 127.0.0.1, articles fetched once.

Every answer comes from a small web server the test starts on a free local port: two
feeds, article pages written for these tests (invented events between real states), a
404, a 429 with Retry-After, a PDF, an empty page, and a stand-in for the GDELT DOC API
that lists at most 250 articles a call.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from equipoise.outputs.cli import app
from equipoise.sources import docapi, web
from equipoise.sources.articles import fetch_articles, new_links, polite_order
from equipoise.sources.feeds import FeedError, Link, parse_feed, read_feed_list
from equipoise.sources.web import FetchError, PoliteClient, normalise_url, retry_after
from equipoise.store import Store

# -- a local web site ----------------------------------------------------------------------


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    media_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class Site:
    """What the server answers, path by path, and every request it was sent."""

    def __init__(self) -> None:
        self.pages: dict[str, Answer | Callable[[str], Answer]] = {}
        self.requests: list[str] = []  # path with query, in order
        self.agents: list[str] = []
        self.clock: Callable[[], float] | None = None
        self.times: list[tuple[str, float]] = []
        self.server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fetched(self, prefix: str) -> list[str]:
        return [path for path in self.requests if path.startswith(prefix)]


def serve(site: Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            site.requests.append(self.path)
            site.agents.append(self.headers.get("User-Agent", ""))
            if site.clock is not None:
                site.times.append((self.path, site.clock()))
            page = site.pages.get(urlsplit(self.path).path)
            if callable(page):
                page = page(self.path)
            if page is None:
                page = Answer(404, b"<html><body>not here</body></html>")
            self.send_response(page.status)
            self.send_header("Content-Type", page.media_type)
            self.send_header("Content-Length", str(len(page.body)))
            for name, value in page.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.server = server
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def site():
    site = Site()
    serve(site)
    yield site
    assert site.server is not None
    site.server.shutdown()  # the server the site has then (a test may swap it)
    site.server.server_close()


def article(title: str, *paragraphs: str, date: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title>{meta}</head><body><nav>Home | World</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Contact</footer></body>"
            "</html>").encode()


# Invented events between real states, written for these tests.
ARTICLES = {
    "/news/ankara-accord.html": article(
        "Accord signed in Ankara",
        "Turkey and Azerbaijan signed a defence cooperation agreement in Ankara on Tuesday.",
        "Officials of both governments said training would begin in the autumn."),
    "/news/moscow-trade.html": article(
        "Trade talks in Moscow",
        "Russia and Azerbaijan signed a trade agreement in Moscow on Monday.",
        "The agreement lowers duties on grain and machinery."),
    "/news/tehran-visit.html": article(
        "A visit to Tehran",
        "Iran praised Azerbaijan for reopening a border crossing on Thursday.",
        "Traffic through the crossing had been halted for two months.",
        date="2020-05-07"),
    "/news/delayed.html": article(
        "Ministers meet in Baku",
        "Georgia and Azerbaijan agreed to expand rail transit on Friday.",
        "The ministers met in Baku to discuss freight tariffs."),
}


def rss(site: Site) -> bytes:
    items = [
        # the same article twice: tracking parameters, a fragment and query order differ
        ("Accord signed in Ankara", "/news/ankara-accord.html?b=2&a=1&utm_source=feed",
         "Tue, 05 May 2020 09:00:00 +0000"),
        ("Accord (again)", "/news/ankara-accord.html?a=1&b=2#comments",
         "Tue, 05 May 2020 09:00:00 +0000"),
        ("Trade talks", "/news/moscow-trade.html", "Mon, 04 May 2020 08:00:00 +0000"),
        ("Gone", "/news/missing.html", "Mon, 04 May 2020 08:00:00 +0000"),
        ("Busy", "/news/delayed.html", "Fri, 08 May 2020 08:00:00 +0000"),
        ("A report", "/files/report.pdf", "Fri, 08 May 2020 08:00:00 +0000"),
        ("Blank", "/news/empty.html", "Fri, 08 May 2020 08:00:00 +0000"),
    ]
    body = "".join(f"<item><title>{t}</title><link>{site.base}{p.replace('&', '&amp;')}</link>"
                   f"<pubDate>{d}</pubDate></item>" for t, p, d in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Caucasus Wire</title>'
            f"{body}</channel></rss>").encode()


def atom(site: Site) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Regional Desk</title>"
        # no date here: the page states it
        f'<entry><title>A visit to Tehran</title><link href="{site.base}/news/tehran-visit.html"/>'
        "<id>t1</id></entry>"
        f'<entry><title>Accord</title><link rel="alternate" '
        f'href="{site.base.upper().replace("HTTP", "http")}/news/ankara-accord.html?a=1&amp;b=2'
        '&amp;utm_medium=atom"/><updated>2020-05-05T09:00:00Z</updated></entry>'
        "</feed>").encode()


def busy_once() -> Callable[[str], Answer]:
    calls = {"n": 0}

    def answer(path: str) -> Answer:
        calls["n"] += 1
        if calls["n"] == 1:
            return Answer(429, b"slow down", "text/plain", {"Retry-After": "2"})
        return Answer(200, ARTICLES["/news/delayed.html"])
    return answer


def news_site(site: Site) -> None:
    for path, page in ARTICLES.items():
        site.pages[path] = Answer(200, page)
    site.pages["/news/delayed.html"] = busy_once()
    site.pages["/files/report.pdf"] = Answer(200, b"%PDF-1.4 not a page", "application/pdf")
    site.pages["/news/empty.html"] = Answer(200, b"")
    site.pages["/feeds/world.rss"] = Answer(200, rss(site), "application/rss+xml")
    site.pages["/feeds/region.atom"] = Answer(200, atom(site), "application/atom+xml")


# -- a stand-in for the DOC API --------------------------------------------------------------


class DocApi:
    """Lists generated articles seen in a window, at most ``maxrecords`` (and 250)."""

    def __init__(self, site: Site, n: int, first: dt.datetime, step: dt.timedelta) -> None:
        self.site = site
        self.seen = [first + i * step for i in range(n)]
        self.windows: list[tuple[str, str, int]] = []
        site.pages["/api/v2/doc/doc"] = self.answer
        for i in range(n):
            site.pages[f"/gen/{i}.html"] = Answer(200, article(
                f"Bulletin {i}", f"Weather bulletin number {i} for the coast.",
                "Light winds are expected through the evening."))

    def answer(self, path: str) -> Answer:
        q = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        assert q["mode"].lower() == "artlist" and q["format"] == "json"
        start = dt.datetime.strptime(q["startdatetime"], "%Y%m%d%H%M%S")
        end = dt.datetime.strptime(q["enddatetime"], "%Y%m%d%H%M%S")
        cap = min(int(q["maxrecords"]), 250)
        hits = [(i, s) for i, s in enumerate(self.seen) if start <= s <= end][:cap]
        self.windows.append((q["startdatetime"], q["enddatetime"], len(hits)))
        articles = [{"url": f"{self.site.base}/gen/{i}.html", "title": f"Bulletin {i}",
                     "seendate": s.strftime("%Y%m%dT%H%M%SZ"), "domain": "example.org",
                     "language": "English", "sourcecountry": "Georgia"} for i, s in hits]
        return Answer(200, json.dumps({"articles": articles}).encode(), "application/json")


# -- a clock the tests move ------------------------------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client(fake: FakeTime, **options) -> PoliteClient:
    return PoliteClient(clock=fake.clock, sleep=fake.sleep, timeout=5, **options)


# -- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("given, known", [
    ("HTTP://News.Example.ORG:80/a?b=2&a=1#top", "http://news.example.org/a?a=1&b=2"),
    ("https://news.example.org:443/a?utm_source=x&utm_medium=y&id=7&fbclid=z",
     "https://news.example.org/a?id=7"),
    ("https://news.example.org", "https://news.example.org/"),
    ("https://news.example.org:8443/a", "https://news.example.org:8443/a"),
    ("https://news.example.org/A/Path", "https://news.example.org/A/Path"),  # path keeps case
])
def test_normalised_urls(given, known):
    assert normalise_url(given) == known


@pytest.mark.parametrize("bad", ["ftp://example.org/x", "/relative/path", "mailto:a@b.c",
                                 "https://user:secret@example.org/"])
def test_what_is_not_collected(bad):
    with pytest.raises(ValueError):
        normalise_url(bad)


def test_duplicates_join_and_known_urls_are_skipped():
    links = [Link("https://a.org/x?utm_campaign=1"), Link("HTTPS://A.org/x#frag"),
             Link("https://a.org/y"), Link("https://b.org/z?q=1"), Link("gopher://c.org/")]
    chosen = new_links(links, known={"https://a.org/y"})
    assert [link.url for link in chosen.links] == ["https://a.org/x", "https://b.org/z?q=1"]
    assert (chosen.known, chosen.repeated, len(chosen.bad)) == (1, 1, 1)


def test_hosts_are_taken_in_turn():
    links = [Link(f"https://{h}.org/{i}") for h, i in
             [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("c", 1), ("b", 2)]]
    order = [link.url.removeprefix("https://") for link in polite_order(links)]
    assert order == ["a.org/1", "b.org/1", "c.org/1", "a.org/2", "b.org/2", "a.org/3"]


def test_retry_after_forms():
    now = dt.datetime(2020, 5, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert retry_after("7") == 7.0
    assert retry_after("Fri, 01 May 2020 12:00:30 GMT", now) == 30.0
    assert retry_after("soon") is None and retry_after(None) is None


# -- feeds -----------------------------------------------------------------------------------


def test_rss_and_atom_feeds_are_read(site):
    news_site(site)
    feed = parse_feed(rss(site), f"{site.base}/feeds/world.rss")
    assert feed.title == "Caucasus Wire" and len(feed.links) == 7
    first = feed.links[0]
    assert first.published == dt.date(2020, 5, 5) and first.publisher == "Caucasus Wire"
    entries = parse_feed(atom(site), f"{site.base}/feeds/region.atom")
    assert [link.published for link in entries.links] == [None, dt.date(2020, 5, 5)]
    assert entries.links[0].url == f"{site.base}/news/tehran-visit.html"


def test_rss_1_and_relative_links():
    data = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            b"<channel><title>Old style</title></channel><item><title>One</title>"
            b"<link>/story/1</link><dc:date>2020-05-03</dc:date></item></rdf:RDF>")
    feed = parse_feed(data, "https://news.example.org/feed.rdf")
    assert feed.links == [Link("https://news.example.org/story/1", "One", dt.date(2020, 5, 3),
                               "Old style")]


@pytest.mark.parametrize("data", [
    # entity expansion
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b"<rss><channel><title>&b;</title></channel></rss>",
    # an external entity
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    b"<rss><channel><title>&x;</title></channel></rss>",
    # any document type at all
    b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://example.org/rss.dtd"><rss/>',
])
def test_feeds_with_a_dtd_are_refused(data):
    with pytest.raises(FeedError, match="DTD"):
        parse_feed(data, "https://example.org/feed")


@pytest.mark.parametrize("data", [b"<html><body>a page</body></html>", b"not xml at all", b""])
def test_what_is_not_a_feed(data):
    with pytest.raises(FeedError):
        parse_feed(data, "https://example.org/feed")


def test_feed_list_file(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# news\nhttps://a.org/rss\n\n  https://b.org/atom  \n", encoding="utf-8")
    assert read_feed_list(path) == ["https://a.org/rss", "https://b.org/atom"]
    path.write_text("a.org/rss\n", encoding="utf-8")
    with pytest.raises(Exception, match=":1: not an http"):
        read_feed_list(path)


# -- the polite client -----------------------------------------------------------------------


def test_each_host_waits_its_delay_and_hosts_interleave(site):
    other = Site()
    other_server = serve(other)
    try:
        fake = FakeTime()
        site.clock = other.clock = fake.clock
        links = []
        for host in (site, other):
            for i in range(3):
                host.pages[f"/p{i}.html"] = Answer(200, ARTICLES["/news/moscow-trade.html"])
                links.append(Link(f"{host.base}/p{i}.html", published=dt.date(2020, 5, 4)))
        with client(fake, delay=1.0) as polite:
            articles = list(fetch_articles(polite, links))
        assert all(a.document is not None for a in articles)
        for host in (site, other):
            times = [t for _, t in host.times]
            assert len(times) == 3
            assert all(b - a >= 1.0 for a, b in zip(times, times[1:], strict=False))
        # the two hosts' pauses overlap: 3 requests per host need 2 s, not 5
        assert fake.now - 1000.0 == pytest.approx(2.0)
    finally:
        other_server.shutdown()
        other_server.server_close()


def test_a_429_is_waited_out_as_told(site):
    fake = FakeTime()
    site.pages["/news/delayed.html"] = busy_once()
    with client(fake, delay=0.5) as polite:
        answer = polite.get(f"{site.base}/news/delayed.html")
    assert answer.media_type == "text/html"
    assert site.fetched("/news/delayed.html") == ["/news/delayed.html"] * 2
    assert fake.sleeps == [2.0]


def test_a_host_that_keeps_refusing_is_given_up(site):
    fake = FakeTime()
    site.pages["/busy"] = Answer(429, b"", "text/plain", {"Retry-After": "3"})
    site.pages["/later"] = Answer(429, b"", "text/plain", {"Retry-After": "86400"})
    with client(fake, retries=2) as polite:
        with pytest.raises(FetchError) as caught:
            polite.get(f"{site.base}/busy")
        assert caught.value.reason == "rate limited"
        assert len(site.fetched("/busy")) == 3 and fake.sleeps == [3.0, 3.0]
        with pytest.raises(FetchError):  # a wait beyond max_wait is not followed
            polite.get(f"{site.base}/later")
    assert len(site.fetched("/later")) == 1


def test_bad_answers_are_errors_with_a_reason(site):
    news_site(site)
    fake = FakeTime()
    links = [Link(f"{site.base}{path}", published=dt.date(2020, 5, 8)) for path in
             ("/news/missing.html", "/files/report.pdf", "/news/empty.html",
              "/news/moscow-trade.html")]
    with client(fake) as polite:
        articles = {a.link.url.rsplit("/", 1)[1]: a for a in fetch_articles(polite, links)}
    assert articles["missing.html"].error.reason == "HTTP 404"
    assert articles["report.pdf"].error.reason == "not HTML"
    assert articles["empty.html"].error.reason == "empty answer"
    document = articles["moscow-trade.html"].document
    assert document is not None and "Russia and Azerbaijan" in document.text
    assert site.agents[0].startswith("equipoise/") and "+http" in site.agents[0]


def test_an_unreachable_host_is_an_error(site):
    port = site.server.server_address[1]
    site.server.shutdown()
    site.server.server_close()
    with client(FakeTime()) as polite, pytest.raises(FetchError) as caught:
        polite.get(f"http://127.0.0.1:{port}/x")
    assert caught.value.reason == "connection failed"
    serve(site)  # a new server for the fixture to close


# -- the DOC API -----------------------------------------------------------------------------


def test_windows_at_the_cap_are_split(site):
    api = DocApi(site, 600, dt.datetime(2020, 5, 1), dt.timedelta(minutes=4))
    fake = FakeTime()
    with client(fake, host_delays={web.host_of(site.base): docapi.API_DELAY}) as polite:
        found = docapi.search(polite, "Azerbaijan Turkey",
                              docapi.day_window(dt.date(2020, 5, 1), dt.date(2020, 5, 3)),
                              base_url=f"{site.base}/api/v2/doc/doc")
    urls = [link.url for link in found.links]
    assert len(urls) == 600 == len(set(urls))
    answered = [n for _, _, n in api.windows]
    assert answered[0] == 250 and found.calls == len(api.windows) > 3
    # every article comes from a window that answered under the cap
    assert sum(n for n in answered if n < 250) == 600
    assert not found.capped and not found.failed
    assert found.links[0].published == dt.date(2020, 5, 1)
    assert all(s >= docapi.API_DELAY - 1e-9 for s in fake.sleeps)


def test_a_window_still_at_the_cap_is_reported(site):
    DocApi(site, 300, dt.datetime(2020, 5, 1, 12), dt.timedelta(0))  # all in one second
    with client(FakeTime()) as polite:
        found = docapi.search(polite, "q", docapi.day_window(dt.date(2020, 5, 1),
                                                             dt.date(2020, 5, 1)),
                              base_url=f"{site.base}/api/v2/doc/doc")
    assert len(found.capped) == 1
    assert found.capped[0].end - found.capped[0].start <= docapi.MIN_WINDOW
    assert len(found.links) == 250


def test_a_doc_api_error_message_is_a_failed_call(site):
    site.pages["/api"] = Answer(200, b"The specified phrase is too short.", "text/html")
    with client(FakeTime()) as polite:
        found = docapi.search(polite, "a", docapi.day_window(dt.date(2020, 5, 1),
                                                             dt.date(2020, 5, 1)),
                              base_url=f"{site.base}/api")
    assert found.links == [] and len(found.failed) == 1
    assert "too short" in str(found.failed[0][1])


# -- the command -----------------------------------------------------------------------------


@pytest.fixture
def waits(monkeypatch):
    """The pauses the command takes, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(web, "_sleep", slept.append)
    return slept


def collect(*args: str):
    return CliRunner().invoke(app, ["collect", *args])


def test_collect_feeds_stores_and_codes_each_article_once(site, tmp_path, waits):
    news_site(site)
    db = str(tmp_path / "news.duckdb")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.base}/feeds/region.atom\n", encoding="utf-8")
    args = ["--feed", f"{site.base}/feeds/world.rss", "--feeds", str(feeds), "--db", db,
            "--delay", "0.25"]

    result = collect(*args)
    assert result.exit_code == 0, result.output
    # the accord, listed three ways, is fetched once; the 429 is asked twice
    assert site.fetched("/news/ankara-accord.html") == ["/news/ankara-accord.html?a=1&b=2"]
    assert len(site.fetched("/news/delayed.html")) == 2
    # the clock is real here: each pause is what is left of the wait asked for
    assert any(1.5 < w <= 2.0 for w in waits) and all(w <= 2.0 for w in waits)
    for reason in ("HTTP 404 1", "not HTML 1", "empty answer 1"):
        assert reason in result.stdout
    assert "4 added" in result.stdout

    with Store(db, read_only=True) as store:
        documents = store.documents_frame().set_index("url")
        events = store.events_frame()
    assert sorted(documents.index) == sorted(
        f"{site.base}{path}" + ("?a=1&b=2" if "ankara" in path else "") for path in ARTICLES)
    tehran = documents.loc[f"{site.base}/news/tehran-visit.html"]
    assert str(tehran["published"])[:10] == "2020-05-07"  # from the page: the feed had none
    assert tehran["source"] == "Regional Desk" and tehran["title"] == "A visit to Tehran"
    moscow = documents.loc[f"{site.base}/news/moscow-trade.html"]
    assert moscow["source"] == "Caucasus Wire" and str(moscow["published"])[:10] == "2020-05-04"
    pairs = {frozenset((row.source, row.target)) for row in events.itertuples()}
    assert {frozenset(("TUR", "AZE")), frozenset(("RUS", "AZE"))} <= pairs
    assert f"{len(events)} events" in result.stdout

    before = len(site.requests)
    result = collect(*args)
    assert result.exit_code == 0, result.output
    again = site.requests[before:]
    assert not [path for path in again if path.startswith(tuple(ARTICLES))]
    assert "4 skipped as known" in result.stdout and "0 added" in result.stdout
    with Store(db, read_only=True) as store:
        assert len(store.documents_frame()) == 4
        assert len(store.events_frame()) == len(events)


def test_collect_from_the_doc_api(site, tmp_path, waits):
    api = DocApi(site, 600, dt.datetime(2020, 5, 1), dt.timedelta(minutes=4))
    db = str(tmp_path / "api.duckdb")
    args = ["--query", "Azerbaijan Turkey", "--from", "2020-05-01", "--to", "2020-05-03",
            "--base-url", f"{site.base}/api/v2/doc/doc", "--db", db, "--no-code"]
    result = collect(*args)
    assert result.exit_code == 0, result.output
    assert len(site.fetched("/gen/")) == 600 == len(set(site.fetched("/gen/")))
    assert max(n for _, _, n in api.windows) == 250 and len(api.windows) > 3
    assert "600 added" in result.stdout
    with Store(db, read_only=True) as store:
        documents = store.documents_frame()
    assert len(documents) == 600 and set(documents["source"]) == {"example.org"}

    result = collect(*args)
    assert result.exit_code == 0, result.output
    assert len(site.fetched("/gen/")) == 600
    assert "600 skipped as known" in result.stdout


def test_collect_reports_a_bad_feed_and_goes_on(site, tmp_path, waits):
    news_site(site)
    site.pages["/feeds/bad.rss"] = Answer(
        200, b'<!DOCTYPE rss [<!ENTITY a "b">]><rss/>', "application/rss+xml")
    result = collect("--feed", f"{site.base}/feeds/bad.rss", "--feed",
                     f"{site.base}/feeds/nowhere.rss", "--feed", f"{site.base}/feeds/world.rss",
                     "--db", str(tmp_path / "s.duckdb"), "--no-code")
    assert result.exit_code == 1
    assert "DTD" in result.output and "HTTP 404" in result.output
    assert "feeds: 1 read, 2 failed" in result.stdout
    assert "3 added" in result.stdout


@pytest.mark.parametrize("args, message", [
    ([], "--feed"),
    (["--feed", "https://example.org/rss", "--from", "2020-01-01"], "--query"),
    (["--query", "a", "--from", "2020-02-01", "--to", "2020-01-01"], "after"),
    (["--query", "a", "--base-url", "ftp://example.org/"], "http"),
])
def test_collect_refuses_bad_options(tmp_path, args, message):
    result = collect(*args, "--db", str(tmp_path / "s.duckdb"), "--no-code")
    assert result.exit_code == 2
    assert message in result.output
