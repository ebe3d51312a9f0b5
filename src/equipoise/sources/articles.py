"""News articles from the web: each fetched once, politely, and read into a document.

:func:`new_links` keeps the links not known yet (known URLs are compared in the form
of :func:`~equipoise.sources.web.normalise_url`); :func:`fetch_articles` fetches them
through a :class:`~equipoise.sources.web.PoliteClient`, taking hosts in turn so that
the pause one host needs is spent on the others, and reads each page's main text with
trafilatura as ``equipoise ingest`` reads a saved page. An answer that is empty, not
HTML or without main text is a :class:`~equipoise.sources.web.FetchError`, given back
with its link; it never stops the others.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field

from equipoise.records import Document
from equipoise.sources.clean import clean_field
from equipoise.sources.errors import SourceError
from equipoise.sources.feeds import Link
from equipoise.sources.html import MAX_HTML_BYTES, extract_page
from equipoise.sources.limits import DateRange
from equipoise.sources.text import parse_date
from equipoise.sources.web import FetchError, PoliteClient, host_of, normalise_url

HTML_TYPES = ("text/html", "application/xhtml+xml")
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"


@dataclass(frozen=True, slots=True)
class Article:
    """One link fetched: its document, or the error that stopped it; with warnings."""

    link: Link
    document: Document | None = None
    error: FetchError | None = None
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class Selection:
    """The links to fetch (``url`` normalised), and how many were passed over."""

    links: list[Link] = field(default_factory=list)
    known: int = 0  # already stored, or fetched before in this run
    repeated: int = 0  # a second spelling of a URL listed before in this run
    bad: list[FetchError] = field(default_factory=list)  # not an http(s) URL


def known_urls(urls: Iterable[str]) -> set[str]:
    """Stored URLs in normalised form; those that are not http(s) URLs are left out (a
    document ingested from a file may carry any URL)."""
    known = set()
    for url in urls:
        with suppress(ValueError):
            known.add(normalise_url(url))
    return known


def new_links(links: Iterable[Link], known: set[str]) -> Selection:
    """``links`` with URLs normalised, each once, without those in ``known`` (normalised
    URLs); ``known`` is not changed."""
    chosen = Selection()
    listed: set[str] = set()
    for link in links:
        try:
            url = normalise_url(link.url)
        except ValueError as exc:
            chosen.bad.append(FetchError(link.url, str(exc), "bad URL"))
            continue
        if url in listed:
            chosen.repeated += 1
            continue
        listed.add(url)
        if url in known:
            chosen.known += 1
        else:
            chosen.links.append(Link(url, link.title, link.published, link.publisher))
    return chosen


def polite_order(links: Sequence[Link]) -> list[Link]:
    """``links`` with hosts taken in turn (each host's links in their order), so that no
    host is asked twice in a row while another has links waiting."""
    by_host: OrderedDict[str, list[Link]] = OrderedDict()
    for link in links:
        by_host.setdefault(host_of(link.url), []).append(link)
    queues = [iter(queue) for queue in by_host.values()]
    ordered: list[Link] = []
    while queues:
        still = []
        for queue in queues:
            following = next(queue, None)
            if following is not None:
                ordered.append(following)
                still.append(queue)
        queues = still
    return ordered


def fetch_articles(
    client: PoliteClient, links: Sequence[Link], dates: DateRange | None = None
) -> Iterator[Article]:
    """Fetch and read each link, hosts in turn; one :class:`Article` per link."""
    dates = dates if dates is not None else DateRange()
    for link in polite_order(links):
        try:
            fetched = client.get(link.url, accept=_ACCEPT)
            document, warnings = read_article(fetched.body, fetched.media_type, link, dates)
        except FetchError as exc:
            yield Article(link, error=exc)
        else:
            yield Article(link, document=document, warnings=tuple(warnings))


def read_article(
    body: bytes, media_type: str, link: Link, dates: DateRange
) -> tuple[Document, list[str]]:
    """A fetched page as a document: URL, title and date from ``link`` where it has
    them, else from the page's metadata; the publisher from the link, else the site.
    Raises FetchError."""
    url = link.url
    if not body.strip():
        raise FetchError(url, "empty answer", "empty answer")
    if media_type not in HTML_TYPES and not (media_type == "" and _looks_like_html(body)):
        raise FetchError(url, f"not HTML ({media_type or 'no content type'})", "not HTML")
    if len(body) > MAX_HTML_BYTES:
        raise FetchError(url, f"page larger than {MAX_HTML_BYTES:,} bytes", "too large")
    try:
        text, page = extract_page(body, url)
    except SourceError as exc:
        raise FetchError(url, exc.message, "no main text") from None
    warnings: list[str] = []
    published = link.published
    if published is not None and published not in dates:
        published = None
        warnings.append(f"{url}: ignoring listed date {link.published} outside the accepted "
                        f"range {dates.earliest} to {dates.last}")
    if published is None and page.date:
        published = _page_date(page.date, url, dates, warnings)
    if published is None:
        raise FetchError(url, "no publication date in the listing or the page", "no date")
    document = Document.from_text(
        text,
        published=published,
        url=url,
        title=link.title or clean_field(page.title),
        source=link.publisher or clean_field(page.sitename) or host_of(url),
        ref=url,
    )
    return document, warnings


def _page_date(text: str, url: str, dates: DateRange, warnings: list[str]) -> dt.date | None:
    try:
        day = parse_date(text)
    except ValueError:
        warnings.append(f"{url}: ignoring unreadable page date {text!r}")
        return None
    if day not in dates:
        warnings.append(f"{url}: ignoring page date {day} outside the accepted range "
                        f"{dates.earliest} to {dates.last}")
        return None
    return day


def _looks_like_html(body: bytes) -> bool:
    head = body.lstrip()[:512].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head
