"""The HTML report in a real browser: headless Chromium, with the network cut off.

Needs Debian's Chromium at /usr/bin/chromium and the ``playwright`` package
(``pip install -e '.[test]'``); the browser Playwright would download is not
used. Without either, the tests are skipped. Screenshots go to
``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from browser_checks import OVERFLOW_JS, low_contrast
from equipoise.analysis import dyad_events, measure
from equipoise.analysis.changepoints import changepoints
from equipoise.outputs.report import render_report, write_report

CHROMIUM = "/usr/bin/chromium"
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
FOCAL, POLES = "AZE", ["TUR", "RUS", "IRN"]
NAMES = {"AZE": "Azerbaijan", "TUR": "Turkey", "RUS": "Russia", "IRN": "Iran"}
ACTIONS = {
    1: ("036", 4.0, "{s} expressed support for {t}"),
    2: ("061", 6.4, "{s} signed a trade deal with {t}"),
    3: ("112", -2.0, "{s} accused {t} of interference"),
    4: ("160", -4.0, "{s} suspended gas deliveries to {t}"),
}
PAYLOAD = (
    'Officials said <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    " Azerbaijan met Turkey & Russia."
)
PAYLOAD_TITLE = '<img src=x onerror="window.__pwned = 3">Hostile title'


def news(seed: int = 11, n_docs: int = 400) -> pd.DataFrame:
    """Articles over 2018-2020 in which Azerbaijan warms to Turkey from mid-2019."""
    rng = np.random.default_rng(seed)
    steady = {"TUR": 0.6, "RUS": 0.6, "IRN": 0.6}
    warmer = {"TUR": 0.95, "RUS": 0.3, "IRN": 0.5}
    rows = []
    for d in range(n_docs):
        when = dt.date(2018, 1, 1) + dt.timedelta(days=int(rng.integers(900)))
        pole = POLES[int(rng.integers(3))]
        shares = warmer if when >= dt.date(2019, 7, 1) else steady
        for n in range(int(rng.integers(1, 5))):
            quad = int(rng.choice([1, 2] if rng.random() < shares[pole] else [3, 4]))
            cameo, goldstein, action = ACTIONS[quad]
            source, target = (FOCAL, pole) if n % 2 == 0 else (pole, FOCAL)
            sentence = action.format(s=NAMES[source], t=NAMES[target]) + " after talks."
            title, url = f"Article {d}", f"https://news.example.org/{d}"
            if d == 7 and n == 0:
                sentence, title, url = PAYLOAD, PAYLOAD_TITLE, "javascript:window.__pwned = 4"
            rows.append(
                {
                    "doc_id": f"d{d:03d}",
                    "sent_start": 100 * n,
                    "sent_end": 100 * n + 80,
                    "sentence": sentence,
                    "source": source,
                    "source_country": source,
                    "source_sector": "GOV",
                    "target": target,
                    "target_country": target,
                    "target_sector": "GOV",
                    "source_text": NAMES[source],
                    "target_text": NAMES[target],
                    "cameo": cameo,
                    "root": cameo[:2],
                    "quad": quad,
                    "goldstein": goldstein,
                    "plover": "",
                    "event_date": when,
                    "date_precision": "day",
                    "symmetric": False,
                    "reported": False,
                    "trigger": "",
                    "coder": "test",
                    "dataset": "gdelt" if d % 5 == 0 else "equipoise",
                    "doc_title": title,
                    "doc_url": url,
                    "published": when,
                }
            )
    return pd.DataFrame(rows)


def un_agreement() -> pd.DataFrame:
    rows = []
    for i, (pole, level) in enumerate((("TUR", 0.85), ("RUS", 0.7), ("IRN", 0.8))):
        for session in range(68, 76):
            share = level + 0.03 * np.sin(session + i)
            rows.append(
                {
                    "session": session,
                    "focal": FOCAL,
                    "pole": pole,
                    "n_votes": 80,
                    "agree_share": share,
                    "s_score": 2 * share - 1,
                    "pi": share - 0.35,
                    "kappa": share - 0.3,
                    "published_agreement": share,
                    "n_published": 60,
                }
            )
    return pd.DataFrame(rows)


def judgements(events: pd.DataFrame) -> pd.DataFrame:
    """Two of the analyst's judgements of ``events``, as the store lists them."""
    rows = []
    for (_, event), verdict, cameo in zip(events.head(2).iterrows(), ("exclude", "miscoded"),
                                          (None, "036"), strict=True):
        rows.append({**{k: event[k] for k in ("doc_id", "sent_start", "source", "target",
                                               "root", "sentence", "quad")},
                     "verdict": verdict, "cameo": cameo, "who": "analyst",
                     "reason": "the sentence reports a claim, not an act " * 2,
                     "judged_at": pd.Timestamp("2021-03-04 10:30")})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    events = news()
    aligned = measure(events, FOCAL, POLES, freq="month", ci=0.9, n_boot=200)
    html = render_report(
        aligned,
        dyad_events(events, FOCAL, POLES),
        FOCAL,
        POLES,
        coverage={"documents": 400, "datasets": ["equipoise", "gdelt"]},
        changepoints=changepoints(events, FOCAL, POLES, freq="month"),
        un_votes=un_agreement(),
        judgements=judgements(events),
    )
    ARTIFACTS.mkdir(exist_ok=True)
    write_report(ARTIFACTS / "report.html", html)  # to open by hand after a run
    return write_report(tmp_path_factory.mktemp("report") / "report.html", html)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        except sync_api.Error as exc:  # pragma: no cover - depends on the machine
            pytest.skip(f"Chromium at {CHROMIUM} does not start under Playwright: {exc}")
        yield browser
        browser.close()


class Page:
    """A page on the report with every non-file request blocked and problems recorded."""

    def __init__(self, browser, report_file: Path, **options):
        options.setdefault("viewport", {"width": 1280, "height": 1000})
        self.context = browser.new_context(accept_downloads=True, **options)
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.goto(report_file.as_uri())
        self.page.wait_for_selector("#chart-tilt svg")

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def rows(self) -> int:
        return self.page.locator("#event-rows tr").count()

    def count_text(self) -> str:
        return self.page.locator("#event-count").inner_text()

    def shot(self, name: str, selector: str | None = None, max_height: int = 1400) -> Path:
        """Screenshot the whole page, or the top ``max_height`` px of one element."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        if selector is None:
            self.page.screenshot(path=str(path), full_page=True)
            return path
        box = self.page.locator(selector).evaluate(
            "node => { const r = node.getBoundingClientRect();"
            " return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height }; }"
        )
        box["height"] = min(box["height"], max_height)
        self.page.screenshot(path=str(path), full_page=True, clip=box)
        return path


@pytest.fixture
def page(browser, report_file):
    view = Page(browser, report_file)
    yield view
    view.context.close()
    assert view.blocked == [], f"the report asked the network for {view.blocked}"


def test_charts_render_without_errors_or_requests(page):
    p = page.page
    for chart in p.locator("[data-chart]").all():
        name = chart.get_attribute("data-chart")
        assert chart.locator("svg").count() == 1, name
        assert chart.locator("svg path, svg rect").count() > 1, name
    tilt = p.locator("#chart-tilt svg")
    assert tilt.locator("path.line").count() == len(POLES)
    assert tilt.locator("g.band path").count() >= len(POLES)  # interval bands
    assert tilt.locator("g.marker").count() >= 1  # the change point toward Turkey
    assert "TUR" in tilt.locator("g.marker text").first.text_content()
    assert tilt.locator("g.point").count() > 30
    assert p.locator("#chart-equidistance svg g.band path").count() >= 1
    assert p.locator("#chart-heat svg g.cell").count() == 2 * len(POLES) * 4
    assert p.locator("#chart-un-agree-share svg path.line").count() == len(POLES)
    assert p.locator("#changes li.cp").count() >= 1 and p.locator("#changes li.driver").count()
    assert page.rows() == 200  # the first page of events
    page.shot("report-overview.png", "main", max_height=2600)
    page.shot("report-tilt.png", "#tilt")
    page.shot("report-dyads.png", "#dyads")
    assert page.errors == []


def test_filters_change_the_table(page):
    p = page.page
    before = page.count_text()
    p.select_option("select[name=pole]", "RUS")
    p.select_option("select[name=quad]", "3")
    rows = p.locator("#event-rows tr")
    assert 0 < rows.count() < 200
    assert page.count_text() != before and " match" in page.count_text()
    for i in range(rows.count()):
        row = rows.nth(i)
        assert row.locator(".dot").get_attribute("title") == "RUS"
        assert row.locator(".badge").inner_text() == "Verbal conflict"

    p.fill("input[name=from]", "2020-01-01")
    p.fill("input[name=to]", "2020-03-31")
    days = p.locator("#event-rows tr td:first-child").all_inner_texts()
    assert days and all("2020-01-01" <= d <= "2020-03-31" for d in days)

    p.click("#clear-filters")
    p.select_option("select[name=dataset]", "gdelt")
    subs = p.locator("#event-rows td.doc .sub").all_inner_texts()
    assert subs and all(s.endswith("gdelt") for s in subs)
    page.shot("report-events-filtered.png", "#events")
    assert page.errors == []


def test_clicking_a_point_or_a_cell_lists_its_events(page):
    p = page.page
    p.locator("#tilt").scroll_into_view_if_needed()
    point = p.locator("#chart-tilt g.points").last.locator("g.point").nth(5)  # drawn on top
    point.click()
    assert p.locator("select[name=pole]").input_value() == POLES[-1]
    assert p.locator("input[name=from]").input_value()
    assert 0 < page.rows() < 200
    p.locator("#chart-heat g.cell").nth(3).click()  # AZE -> TUR, material conflict
    assert p.locator("select[name=pole]").input_value() == "TUR"
    assert p.locator("select[name=dir]").input_value() == "out"
    assert p.locator("select[name=quad]").input_value() == "4"
    badges = set(p.locator("#event-rows .badge").all_inner_texts())
    assert badges == {"Material conflict"}
    assert page.errors == []


def test_a_script_in_an_article_stays_text(page):
    p = page.page
    p.fill("input[name=q]", "pwned")
    rows = p.locator("#event-rows tr")
    assert rows.count() == 1
    evidence = rows.first.locator("td.sentence")
    assert "<script>window.__pwned = 1</script>" in evidence.inner_text()
    assert evidence.locator("mark.actor").all_inner_texts() == ["Azerbaijan", "Turkey"]
    document = rows.first.locator("td.doc")
    assert PAYLOAD_TITLE in document.inner_text()
    assert document.locator("a").count() == 0  # its javascript: URL is no link
    assert p.locator("#events img, #events script").count() == 0
    assert p.evaluate("() => window.__pwned") is None
    page.shot("report-hostile-row.png", "#events")
    assert page.errors == []


def test_charts_export_as_svg_and_png(page):
    p = page.page
    with p.expect_download() as info:
        p.click('[data-export="svg"][data-target="tilt"]')
    download = info.value
    assert download.suggested_filename == "aze-tur-rus-irn-tilt.svg"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert (
        text.startswith("<?xml") and "<svg" in text and 'xmlns="http://www.w3.org/2000/svg"' in text
    )
    assert "tabindex" not in text

    with p.expect_download() as info:
        p.click('[data-export="png"][data-target="heat"]')
    download = info.value
    assert download.suggested_filename == "aze-tur-rus-irn-heat.png"
    data = Path(download.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "export-heat.png").write_bytes(data)
    assert page.errors == []


def test_tables_download_as_csv_and_json_without_a_server(page):
    p = page.page
    p.select_option("select[name=pole]", "RUS")
    p.select_option("select[name=quad]", "3")
    matching = int(page.count_text().split(" of ")[0])
    with p.expect_download() as info:
        p.click('[data-download="csv"][data-table="events"]')
    download = info.value
    assert download.suggested_filename == "aze-tur-rus-irn-events.csv"
    assert download.url.startswith("blob:")
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("event_date,pole,direction,source,target,cameo,quad,quad_class,"
                        "goldstein,sentence,reported,doc_id,doc_title,doc_url,published,dataset")
    rows = pd.read_csv(download.path())
    # The events the filters keep, all of them (not only the page of rows on screen).
    assert len(rows) == matching and set(rows["pole"]) == {"RUS"} and set(rows["quad"]) == {3}
    # Quotes, commas and markup in a sentence come back as they were.
    p.click("#clear-filters")
    p.fill("input[name=q]", "pwned")
    with p.expect_download() as info:
        p.click('[data-download="csv"][data-table="events"]')
    hostile = pd.read_csv(info.value.path())
    assert hostile["sentence"].tolist() == [PAYLOAD]
    assert hostile["doc_title"].tolist() == [PAYLOAD_TITLE]

    with p.expect_download() as info:
        p.click('[data-download="json"][data-table="alignment"]')
    records = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert info.value.suggested_filename == "aze-tur-rus-irn-alignment.json"
    assert {r["pole"] for r in records} == set(POLES) and all("tilt" in r for r in records)

    with p.expect_download() as info:
        p.click('[data-download="csv"][data-table="judgements"]')
    judged = pd.read_csv(info.value.path())
    assert list(judged["verdict"]) == ["exclude", "miscoded"]
    assert page.errors == []


def test_the_network_really_is_cut_off(page):
    """A check of the harness: a request the page did make would be caught."""
    p = page.page
    with p.expect_event("requestfailed"):
        p.evaluate("() => { new Image().src = 'https://example.invalid/probe.png'; }")
    assert page.blocked == ["https://example.invalid/probe.png"]
    page.blocked.clear()  # the report itself asked for nothing


# The report's main text: headings, notes, the verdict and its cards, the event table.
TEXT = ["h1", ".eyebrow", ".meta li", "nav.toc a", ".note", ".verdict", ".headline h2",
        ".kpi .label", ".kpi .value", ".kpi .sub", ".figures th", ".figures td", ".range",
        ".filters label", ".count", ".events td", ".events .sub", ".badge", "mark.actor",
        ".driver .infl", ".driver .more", "dl.coverage dt", "dl.coverage dd", "footer p",
        ".btn", ".cp-head .window", ".judged td", ".judged .sub"]
# Printable width of an A4 page with the report's margins (210 mm - 2 x 12 mm) in CSS px.
A4_WIDTH = round((210 - 24) / 25.4 * 96)


def _pages(pdf: bytes) -> int:
    """Pages of a PDF that Chromium wrote (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_on_a_phone_nothing_scrolls_sideways_and_events_are_cards(browser, report_file):
    view = Page(browser, report_file, viewport={"width": 390, "height": 844}, is_mobile=True,
                has_touch=True)
    p = view.page
    try:
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        assert p.evaluate(OVERFLOW_JS) == []
        card = p.locator("#event-rows tr").first.evaluate("""(row) => {
            const box = (n) => n.getBoundingClientRect();
            return { sentence: box(row.querySelector('td.sentence')).top,
                     date: box(row.querySelector('td')).top,
                     left: box(row).left, right: box(row).right }; }""")
        assert card["sentence"] < card["date"] and card["left"] >= 0 and card["right"] <= 390
        # The heat map keeps a readable width, scrolls in its own box, and its column
        # labels do not overprint one another.
        heat = p.locator("#chart-heat")
        assert heat.evaluate("n => n.scrollWidth - n.clientWidth") > 100
        heads = p.locator("#chart-heat svg > text").evaluate_all(
            "nodes => nodes.filter((n) => n.getAttribute('font-weight') === '600')"
            ".map((n) => { const r = n.getBBox(); return [r.x, r.y, r.x + r.width]; })")
        rows: dict[float, list] = {}
        for x0, y, x1 in heads:
            rows.setdefault(round(y), []).append((x0, x1))
        for spans in rows.values():
            spans.sort()
            assert all(a[1] <= b[0] for a, b in pairwise(spans)), spans
        view.shot("report-phone.png", "main", max_height=2400)
        p.locator("#events").scroll_into_view_if_needed()
        p.screenshot(path=str(ARTIFACTS / "report-phone-events.png"))
        assert view.errors == []
    finally:
        view.context.close()


def test_printing_fits_a4_with_the_events_grouped_by_document(browser, report_file):
    view = Page(browser, report_file, viewport={"width": 1440, "height": 900})
    p = view.page
    try:
        view.shot("report-desktop.png", "main", max_height=4000)
        p.select_option("select[name=pole]", "TUR")
        p.select_option("select[name=quad]", "4")
        matching = int(p.locator("#event-count").inner_text().split(" of ")[0])
        pdf = p.pdf(format="A4", print_background=True)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "report-print.pdf").write_bytes(pdf)
        # Printing lists every matching event (not one screen page), grouped by document.
        printed = p.locator("#print-events")
        assert printed.locator("li").count() == matching
        titles = printed.locator("article.print-doc h3").all_inner_texts()
        assert len(titles) == len(set(titles)) > 1
        # Some eight pages of charts, change points and figures, then some twenty events a
        # page (the table printed as it is on screen took a page for five).
        assert 3 < _pages(pdf) <= 10 + matching // 15, _pages(pdf)
        # On the paper's width nothing sticks out and no table is wider than its box.
        p.set_viewport_size({"width": A4_WIDTH, "height": 1123})
        p.emulate_media(media="print")
        assert p.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH
        assert p.evaluate(OVERFLOW_JS) == []
        wide = p.locator("table").evaluate_all(
            "tables => tables.filter((t) => t.offsetParent !== null"
            " && t.scrollWidth > t.parentElement.clientWidth + 1).map((t) => t.className)")
        assert wide == []
        assert not p.locator(".events-wrap").is_visible() and printed.is_visible()
        p.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True,
                     clip={"x": 0, "y": 0, "width": A4_WIDTH, "height": 1123})
        box = printed.bounding_box()
        p.screenshot(path=str(ARTIFACTS / "report-print-events.png"), full_page=True,
                     clip={"x": 0, "y": box["y"], "width": A4_WIDTH, "height": 1123})
        assert view.errors == []
    finally:
        view.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_aa_in_light_and_dark(browser, report_file, scheme):
    view = Page(browser, report_file, color_scheme=scheme)
    try:
        background = view.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (background == "rgb(15, 21, 28)") == (scheme == "dark")
        assert low_contrast(view.page, TEXT) == []
        if scheme == "dark":
            view.shot("report-dark.png", "main", max_height=2600)
        assert view.errors == []
    finally:
        view.context.close()
