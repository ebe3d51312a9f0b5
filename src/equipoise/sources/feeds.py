"""News feeds: the articles an RSS 2.0, RSS 1.0 or Atom feed lists.

Feeds are parsed with the standard library's XML parser, and a feed that declares a
document type is refused: a DTD is where entity expansion attacks ("billion laughs")
and external entities live, and no news feed needs one. Elements are matched by their
local name, so namespaced and plain feeds read alike.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from equipoise.sources.clean import clean_field
from equipoise.sources.errors import SourceError
from equipoise.sources.files import open_regular

MAX_FEED_LIST_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Link:
    """An article found in a feed or a search: its URL and what the listing says of it."""

    url: str
    title: str | None = None
    published: dt.date | None = None
    publisher: str | None = None  # the feed's title, or the site's domain


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed's title and its articles, in the feed's order."""

    title: str | None
    links: list[Link]


class FeedError(SourceError):
    """A feed that cannot be read."""


class _NoDocumentType(ET.TreeBuilder):
    """A tree builder that stops at a DOCTYPE, before any entity is declared."""

    def doctype(self, name, pubid, system):  # called by the parser at <!DOCTYPE
        raise _Refused


class _Refused(Exception):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: ET.Element, *names: str) -> str | None:
    for name in names:
        child = _child(element, name)
        if child is not None:
            text = clean_field("".join(child.itertext()).strip())
            if text:
                return text
    return None


def parse_date(text: str | None) -> dt.date | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) date; None if unreadable."""
    if not text:
        return None
    text = text.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def parse_feed(data: bytes, url: str) -> Feed:
    """The articles of a feed document fetched from ``url`` (relative links are read
    against it). Raises FeedError for what is not a feed, or declares a DTD."""
    parser = ET.XMLParser(target=_NoDocumentType())
    try:
        parser.feed(data)
        root = parser.close()
    except _Refused:
        raise FeedError(url, "the feed declares a document type (DTD); refused") from None
    except ET.ParseError as exc:
        raise FeedError(url, f"not XML: {exc}") from None
    kind = _local(root.tag)
    if kind == "feed":
        return _atom(root, url)
    if kind in ("rss", "rdf"):
        return _rss(root, url)
    raise FeedError(url, f"not an RSS or Atom feed (root element <{kind}>)")


def _rss(root: ET.Element, url: str) -> Feed:
    channel = _child(root, "channel")
    title = _text(channel, "title") if channel is not None else None
    # RSS 2.0 nests items in the channel; RSS 1.0 (RDF) puts them beside it.
    holder = channel if channel is not None and _child(channel, "item") is not None else root
    links = []
    for item in holder:
        if _local(item.tag) != "item":
            continue
        href = _text(item, "link")
        if href is None:
            guid = _child(item, "guid")
            if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
                href = _text(item, "guid")
        link = _link(url, href, _text(item, "title"),
                     _text(item, "pubdate", "date", "published", "updated"), title)
        if link is not None:
            links.append(link)
    return Feed(title, links)


def _atom(root: ET.Element, url: str) -> Feed:
    title = _text(root, "title")
    links = []
    for entry in root:
        if _local(entry.tag) != "entry":
            continue
        href = None
        for element in entry:
            if _local(element.tag) == "link" and element.get("rel", "alternate") == "alternate":
                href = element.get("href")
                break
        source = _child(entry, "source")
        publisher = (_text(source, "title") if source is not None else None) or title
        link = _link(url, href, _text(entry, "title"),
                     _text(entry, "published", "updated", "date"), publisher)
        if link is not None:
            links.append(link)
    return Feed(title, links)


def _link(base: str, href: str | None, title: str | None, date: str | None,
          publisher: str | None) -> Link | None:
    if not href:
        return None
    absolute = urljoin(base, href.strip())
    if not absolute.lower().startswith(("http://", "https://")):
        return None
    return Link(absolute, title, parse_date(date), publisher)


def read_feed_list(path: str | Path) -> list[str]:
    """Feed URLs from a text file, one a line; blank lines and ``#`` comments skipped."""
    path = Path(path)
    with open_regular(path) as fh:
        data = fh.read(MAX_FEED_LIST_BYTES + 1)
    if len(data) > MAX_FEED_LIST_BYTES:
        raise SourceError(path, f"a feed list larger than {MAX_FEED_LIST_BYTES:,} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text ({exc.reason})") from None
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.lower().startswith(("http://", "https://")):
            raise SourceError(path, f"not an http(s) URL: {line!r}", number)
        urls.append(line)
    return urls

