"""Plain-text articles, plus the file checks and date parsing every reader shares.

A ``.txt`` article may start with header lines, in any order and any case::

    Title: Indonesia and China sign trade pact
    URL: https://example.org/news/pact
    Date: 2 September 2020

    Indonesia signed a trade agreement with China on Tuesday...

Headers end at the first line that is not one; the text is everything after.
``Published:`` is another name for ``Date:``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from pathlib import Path

from equipoise.records import Document
from equipoise.sources.clean import clean_field, clean_text
from equipoise.sources.errors import SourceError, display_path
from equipoise.sources.files import open_regular
from equipoise.sources.limits import DateRange

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
"""Largest document text accepted; anything bigger is almost surely not one article."""

SNIFF_BYTES = 8192
"""How much of a file is read before its size is checked: a binary file is refused at once."""

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}.*)?"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[t ]\d{2}:\d{2}.*)?")
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_DAY_MONTH = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})" + _TIME)
_MONTH_DAY = re.compile(_WEEKDAY + r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME)
# The value is stripped in code: a lazy group before trailing spaces backtracks for ever
# on a long line of spaces.
_HEADER = re.compile(r"\s*(title|url|date|published)\s*:(.*)", re.IGNORECASE)


def parse_date(value: str) -> dt.date:
    """Parse a publication date: ``2020-09-02``, ``2020-09-02T10:00Z``, ``2020/09/02``,
    ``2 September 2020``, ``September 2, 2020``, ``Wed, 2 Sep 2020 10:00``.

    Numeric day/month orders such as ``02/09/2020`` are refused as ambiguous.
    Raises ValueError for anything else.
    """
    text = " ".join(value.split()).lower()
    day = month = year = None
    if m := _ISO.fullmatch(text) or _SLASHED.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DAY_MONTH.fullmatch(text):
        day, month, year = int(m[1]), _MONTHS.get(m[2]), int(m[3])
    elif m := _MONTH_DAY.fullmatch(text):
        month, day, year = _MONTHS.get(m[1]), int(m[2]), int(m[3])
    if day is None or month is None or year is None:
        raise ValueError(f"unrecognised date {value!r}")
    return dt.date(year, month, day)


def decode_utf8(data: bytes, path: str | Path, offset: int = 0, first_line: int = 1) -> str:
    """Decode UTF-8 (a leading byte-order mark is dropped) or raise SourceError.

    ``offset`` and ``first_line`` place ``data`` inside a larger file so the
    error points at the right byte and line of that file.
    """
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = bom + exc.start
        line = first_line + data.count(b"\n", 0, pos)
        raise SourceError(
            path,
            f"not valid UTF-8 at byte {offset + pos} (0x{data[pos]:02x}); "
            "re-save the file as UTF-8",
            line,
        ) from None


def read_document_file(path: Path, limit: int = MAX_DOCUMENT_BYTES) -> str:
    """Read a one-document file as text after checking that it is a regular file, not
    binary (no NUL byte anywhere), not over ``limit`` bytes, UTF-8, and more than
    white space."""
    with open_regular(path) as fh:
        try:
            head = fh.read(SNIFF_BYTES)
            if b"\0" in head:
                raise SourceError(path, "binary file")
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                raise _too_large(path, size, limit)
            # Read one byte past the limit: a file that grows while it is read still stops.
            data = head + fh.read(limit + 1 - len(head))
        except OSError as exc:
            raise SourceError(path, exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    if b"\0" in data:
        raise SourceError(path, f"binary file (NUL byte at byte {data.index(0)})")
    text = decode_utf8(data, path)
    if not text.strip():
        raise SourceError(path, "empty document")
    return text


def check_length(text: str, path: str | Path, line: int | None = None) -> None:
    """Refuse a document text longer than MAX_DOCUMENT_BYTES once encoded."""
    size = len(text.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        raise _too_large(path, size, MAX_DOCUMENT_BYTES, line)


def _too_large(path: str | Path, size: int, limit: int, line: int | None = None) -> SourceError:
    return SourceError(path, f"document too large ({size:,} bytes; limit {limit:,})", line)


def mtime_date(path: Path) -> dt.date:
    """The file's modification date."""
    return dt.date.fromtimestamp(path.stat().st_mtime)


NO_DATE = "no publication date found (give one with --date, or use --date-from-mtime)"


def publication_date(
    path: Path,
    found: dt.date | None,
    *,
    date_from_mtime: bool,
    dates: DateRange,
    line: int | None = None,
) -> dt.date:
    """The date ``found`` for the document at ``path`` or, with ``date_from_mtime``, the
    file's modification date, checked against ``dates``. Raises SourceError (at ``line``
    for a date outside ``dates``) when there is none or it is out of range."""
    published = found
    if published is None and date_from_mtime:
        published = mtime_date(path)
    if published is None:
        raise SourceError(path, NO_DATE)
    try:
        dates.check(published, "publication date")
    except ValueError as exc:
        raise SourceError(path, str(exc), line) from None
    return published


def read_text(path: str | Path, date: dt.date | None = None, *, date_from_mtime: bool = False,
              dates: DateRange | None = None) -> tuple[Document, list[str]]:
    """Read a ``.txt`` article.

    The publication date is ``date`` if given, else the ``Date:`` header, else, with
    ``date_from_mtime``, the file's modification date; a file with none of them is an
    error, as is a date outside ``dates`` (by default 1800 to a year from today).
    Control characters are removed from the text. Raises SourceError.
    """
    path = Path(path)
    dates = dates if dates is not None else DateRange()
    # Line breaks become \n so the same article saved on Windows hashes the same.
    lines = clean_text(read_document_file(path)).split("\n")
    headers: dict[str, tuple[str, int]] = {}
    i = 0
    while i < len(lines) and (m := _HEADER.fullmatch(lines[i])):
        key = "date" if m[1].lower() == "published" else m[1].lower()
        if value := m[2].strip():  # an empty header says nothing; later ones win
            headers[key] = (value, i + 1)
        i += 1
    body = "\n".join(lines[i:]).strip()
    if not body:
        raise SourceError(path, "empty document")
    check_length(body, path)

    published, line = date, None
    if published is None and "date" in headers:
        value, line = headers["date"]
        try:
            published = parse_date(value)
        except ValueError:
            raise SourceError(path, f"unparseable date {value!r} (use YYYY-MM-DD)", line) from None
    published = publication_date(
        path, published, date_from_mtime=date_from_mtime, dates=dates, line=line
    )

    doc = Document.from_text(
        body,
        published=published,
        url=clean_field(headers.get("url", ("", 0))[0]),
        title=clean_field(headers.get("title", ("", 0))[0]),
        source=display_path(path),
        ref=display_path(path),
    )
    return doc, []
