"""JSON Lines corpora: one document per line.

Each line is an object with ``text`` and ``date`` (required) and ``id``,
``url``, ``title`` (optional)::

    {"id": "a1", "date": "2020-09-02", "title": "...", "url": "...", "text": "..."}

A bad line is yielded as a SourceError naming its line, and reading goes on,
so one broken record does not keep the rest of a corpus out: that includes lines
nested too deeply, integers of absurd length, a NUL byte, invalid UTF-8 and lines
over the length limit. Text and titles are cleaned as :mod:`equipoise.sources.clean`
says; an id or URL holding an unpaired surrogate escape makes its line an error.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from equipoise.records import Document
from equipoise.sources.clean import clean_field, clean_text, has_surrogate
from equipoise.sources.errors import SourceError, display_path
from equipoise.sources.files import bounded_lines, open_regular
from equipoise.sources.limits import DateRange
from equipoise.sources.text import (
    MAX_DOCUMENT_BYTES,
    SNIFF_BYTES,
    check_length,
    decode_utf8,
    parse_date,
)

MAX_LINE_BYTES = 4 * MAX_DOCUMENT_BYTES
"""Longest line read: room for a document of the largest size with every character escaped."""
MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in a line; documents need two levels."""
MAX_INT_DIGITS = 64
"""Longest integer accepted in a line; an id needs fewer than twenty digits."""

_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "number")


def read_jsonl(
    path: str | Path, date: dt.date | None = None, *, dates: DateRange | None = None
) -> Iterator[Document | SourceError]:
    """Yield a Document for each good line and a SourceError for each bad one.

    ``date`` is used for lines that have no ``date`` of their own; a line's own
    date always wins, and must lie within ``dates`` (by default 1800 to a year from
    today). Blank lines are skipped. Problems with the whole file (unreadable, not a
    regular file, binary, no records) are yielded as a SourceError without a line.
    """
    path = Path(path)
    dates = dates if dates is not None else DateRange()
    records = 0
    try:
        with open_regular(path) as fh:
            if _binary(fh.read(SNIFF_BYTES)):
                yield SourceError(path, "binary file")
                return
            fh.seek(0)
            offset = 0
            for lineno, (raw, length) in enumerate(bounded_lines(fh, MAX_LINE_BYTES), start=1):
                if raw is None:
                    records += 1
                    yield SourceError(
                        path, f"line too long ({length:,} bytes; limit {MAX_LINE_BYTES:,})", lineno
                    )
                elif raw.strip():
                    records += 1
                    try:
                        yield _parse_line(path, lineno, raw, offset, date, dates)
                    except SourceError as err:
                        yield err
                offset += length
    except SourceError as err:
        yield err
        return
    except OSError as exc:
        yield SourceError(path, exc.strerror or str(exc))
        return
    if records == 0:
        yield SourceError(path, "empty document")


_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0e-\x1f]")


def _binary(head: bytes) -> bool:
    """Whether the start of a file is binary data: NUL bytes, no line that reads as a
    JSON object, and either bytes that are not UTF-8 or other control bytes.

    A NUL byte in one line of a text file spoils only that line, which is reported by
    itself.
    """
    if b"\0" not in head:
        return False
    for raw in head.split(b"\n")[:-1]:
        try:
            if isinstance(json.loads(raw), dict):
                return False
        except (ValueError, RecursionError):
            continue
    if _CONTROL_BYTES.search(head):
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return True
    return False


def _parse_line(
    path: Path,
    lineno: int,
    raw: bytes,
    offset: int,
    default_date: dt.date | None,
    dates: DateRange,
) -> Document:
    if b"\0" in raw:
        raise SourceError(path, f"NUL byte at column {raw.index(0) + 1}", lineno)
    line = decode_utf8(raw, path, offset=offset, first_line=lineno)
    obj = _load_object(path, lineno, line)
    return document_from_record(obj, path, lineno, default_date, dates)


def document_from_record(
    obj: dict[str, Any],
    path: Path,
    lineno: int,
    default_date: dt.date | None,
    dates: DateRange,
) -> Document:
    """The Document a record (``text``, ``date``, ``id``, ``url``, ``title``) describes,
    checked as a JSONL line is; SourceError naming ``path`` and ``lineno`` if it is bad."""
    text = obj.get("text")
    if text is None:
        raise SourceError(path, "missing 'text'", lineno)
    if not isinstance(text, str):
        raise SourceError(path, f"'text' must be a string, got {_json_type(text)}", lineno)
    text = clean_text(text)
    if not text.strip():
        raise SourceError(path, "empty document", lineno)
    check_length(text, path, lineno)

    published = default_date
    value = obj.get("date")
    if value is not None and value != "":
        if not isinstance(value, str):
            raise SourceError(path, f"'date' must be a string, got {_json_type(value)}", lineno)
        try:
            published = parse_date(value)
        except ValueError:
            raise SourceError(
                path, f"unparseable date {value!r} (use YYYY-MM-DD)", lineno
            ) from None
    if published is None:
        raise SourceError(path, "missing 'date'", lineno)
    try:
        dates.check(published, "publication date")
    except ValueError as exc:
        raise SourceError(path, str(exc), lineno) from None

    ref = obj.get("id")
    if isinstance(ref, bool) or not isinstance(ref, str | int | None):
        raise SourceError(path, f"'id' must be a string or number, got {_json_type(ref)}", lineno)
    meta: dict[str, str | None] = {}
    for key in ("url", "title"):
        field = obj.get(key)
        if field is not None and not isinstance(field, str):
            raise SourceError(path, f"'{key}' must be a string, got {_json_type(field)}", lineno)
        meta[key] = field
    # An id or address with half a UTF-16 pair is broken; a title can lose the character.
    for key, field in (("id", ref), ("url", meta["url"])):
        if isinstance(field, str) and has_surrogate(field):
            raise SourceError(path, f"'{key}' holds an unpaired surrogate escape", lineno)
    if isinstance(ref, str):
        ref = clean_field(ref)

    return Document.from_text(
        text,
        published=published,
        url=clean_field(meta["url"]),
        title=clean_field(meta["title"]),
        source=display_path(path),
        # Without an id, the line itself is the record's address.
        ref=str(ref) if ref is not None else f"{display_path(path)}:{lineno}",
    )


def _load_object(path: Path, lineno: int, line: str) -> dict[str, Any]:
    """The line's JSON object, within the nesting and number limits, or SourceError."""
    if line.count("[") + line.count("{") > MAX_DEPTH and _depth(line) > MAX_DEPTH:
        raise SourceError(path, f"JSON nested more than {MAX_DEPTH} levels deep", lineno)
    try:
        obj = json.loads(line, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"bad JSON: {exc.msg} at column {exc.colno}", lineno) from None
    except ValueError as exc:  # from _bounded_int
        raise SourceError(path, f"bad JSON: {exc}", lineno) from None
    except RecursionError:
        raise SourceError(path, "JSON nested too deeply", lineno) from None
    if not isinstance(obj, dict):
        raise SourceError(path, f"expected a JSON object, got {_json_type(obj)}", lineno)
    return obj


_SPECIAL = re.compile(r'[\[\]{}"\\]')


def _depth(line: str) -> int:
    """How deeply the arrays and objects of a JSON line nest, brackets in strings aside;
    the count stops once it passes MAX_DEPTH."""
    depth = deepest = 0
    in_string = False
    escaped_at = -1
    for match in _SPECIAL.finditer(line):
        at, char = match.start(), match.group()
        if at == escaped_at:
            continue
        if char == "\\":
            escaped_at = at + 1
        elif char == '"':
            in_string = not in_string
        elif not in_string:
            depth += 1 if char in "[{" else -1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
    return deepest


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"integer of {len(digits.lstrip('-')):,} digits (limit {MAX_INT_DIGITS})")
    return int(digits)
