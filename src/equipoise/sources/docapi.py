"""The GDELT DOC 2.0 API: which articles a full-text search finds in a time window.

One call (``mode=ArtList&format=json``) lists at most 250 articles
(``maxrecords``), between ``startdatetime`` and ``enddatetime`` (``YYYYMMDDHHMMSS``,
UTC). A window whose answer reaches that cap may have more, so it is asked again in
two halves, and so on down to ``min_window``; a window that still reaches the cap
there is reported, since some of its articles are missed. GDELT says the API
searches the last three months of coverage, and asks for one request every five
seconds (:data:`API_DELAY`).

Each article comes back with ``url``, ``title``, ``seendate`` (``YYYYMMDDTHHMMSSZ``,
when GDELT saw it) and ``domain``, which become a :class:`~equipoise.sources.feeds.Link`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from equipoise.sources.clean import clean_field
from equipoise.sources.feeds import Link
from equipoise.sources.web import FetchError, PoliteClient

DOC_API = "https://api.gdeltproject.org/api/v2/doc/doc"
MAX_RECORDS = 250
API_DELAY = 5.0
"""Seconds between two calls, as GDELT asks."""
MIN_WINDOW = dt.timedelta(minutes=15)
"""Smallest window split into halves: GDELT adds articles every 15 minutes."""
_STAMP = "%Y%m%d%H%M%S"


@dataclass(frozen=True, slots=True)
class Window:
    """A search window, both ends included, to the second (UTC)."""

    start: dt.datetime
    end: dt.datetime

    def halves(self) -> tuple[Window, Window]:
        middle = self.start + (self.end - self.start) / 2
        middle = middle.replace(microsecond=0)
        return Window(self.start, middle), Window(middle + dt.timedelta(seconds=1), self.end)

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M:%S} to {self.end:%Y-%m-%d %H:%M:%S} UTC"


@dataclass(slots=True)
class Search:
    """What a search found: links (each URL once, as the API spelled it), the windows
    asked, those still at the cap at the smallest window, and the failed calls."""

    links: list[Link] = field(default_factory=list)
    calls: int = 0
    capped: list[Window] = field(default_factory=list)
    failed: list[tuple[Window, FetchError]] = field(default_factory=list)


def day_window(first: dt.date, last: dt.date) -> Window:
    """From the start of ``first`` to the last second of ``last``."""
    return Window(dt.datetime.combine(first, dt.time()),
                  dt.datetime.combine(last, dt.time(23, 59, 59)))


def search(
    client: PoliteClient,
    query: str,
    window: Window,
    *,
    base_url: str = DOC_API,
    min_window: dt.timedelta = MIN_WINDOW,
    on_call: Callable[[Window, int], None] | None = None,
) -> Search:
    """Every article the DOC API lists for ``query`` in ``window``, splitting windows
    that reach the cap. ``on_call(window, n)`` is told of each answered call."""
    found = Search()
    seen: set[str] = set()
    todo = [window]
    while todo:
        current = todo.pop()
        found.calls += 1
        try:
            articles = _call(client, base_url, query, current)
        except FetchError as exc:
            found.failed.append((current, exc))
            continue
        if on_call is not None:
            on_call(current, len(articles))
        if len(articles) >= MAX_RECORDS:
            if current.end - current.start > min_window:
                first, second = current.halves()
                todo.extend((second, first))  # the earlier half is asked first
                continue
            found.capped.append(current)
        for article in articles:
            link = _link(article)
            if link is not None and link.url not in seen:
                seen.add(link.url)
                found.links.append(link)
    return found


def _call(client: PoliteClient, base_url: str, query: str, window: Window) -> list[dict]:
    params = {
        "query": query, "mode": "ArtList", "format": "json", "maxrecords": str(MAX_RECORDS),
        "sort": "DateAsc", "startdatetime": window.start.strftime(_STAMP),
        "enddatetime": window.end.strftime(_STAMP),
    }  # fmt: skip
    answer = client.get(base_url, params=params, accept="application/json")
    body = answer.body.decode("utf-8", "replace").strip()
    if not body:
        return []  # no article matched
    try:
        document = json.loads(body)
    except ValueError:
        # The API answers a bad query with a line of text instead of JSON.
        raise FetchError(answer.url, f"the DOC API answered: {body[:200]!r}",
                         "DOC API error") from None
    articles = document.get("articles", []) if isinstance(document, dict) else None
    if not isinstance(articles, list):
        raise FetchError(answer.url, "the DOC API answer has no article list", "DOC API error")
    return [a for a in articles if isinstance(a, dict)]


def _link(article: dict) -> Link | None:
    url = article.get("url")
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        return None
    return Link(url.strip(), clean_field(_str(article.get("title"))) or None,
                _seen_date(_str(article.get("seendate"))),
                clean_field(_str(article.get("domain"))) or None)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _seen_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%dT%H%M%SZ").date()
    except ValueError:
        return None
