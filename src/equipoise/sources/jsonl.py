"""JSON Lines corpora: one document per line.

Each line is an object with ``text`` and ``date`` (required) and ``id``,
``url``, ``title`` (optional)::

    {"id": "a1", "date": "2020-09-02", "title": "...", "url": "...", "text": "..."}

A bad line is yielded as a SourceError naming its line, and reading goes on,
so one broken record does not keep the rest of a corpus out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from equipoise.records import Document
from equipoise.sources.errors import SourceError
from equipoise.sources.text import SNIFF_BYTES, check_length, decode_utf8, parse_date

_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "number")


def read_jsonl(path: str | Path, date: dt.date | None = None) -> Iterator[Document | SourceError]:
    """Yield a Document for each good line and a SourceError for each bad one.

    ``date`` is used for lines that have no ``date`` of their own; a line's own
    date always wins. Blank lines are skipped. Problems with the whole file
    (unreadable, binary, no records) are yielded as a SourceError without a line.
    """
    path = Path(path)
    records = 0
    try:
        with path.open("rb") as fh:
            if b"\0" in fh.read(SNIFF_BYTES):
                yield SourceError(path, "binary file")
                return
            fh.seek(0)
            offset = 0
            for lineno, raw in enumerate(fh, start=1):
                if raw.strip():
                    records += 1
                    try:
                        yield _parse_line(path, lineno, raw, offset, date)
                    except SourceError as err:
                        yield err
                offset += len(raw)
    except OSError as exc:
        yield SourceError(path, exc.strerror or str(exc))
        return
    if records == 0:
        yield SourceError(path, "empty document")


def _parse_line(
    path: Path, lineno: int, raw: bytes, offset: int, default_date: dt.date | None
) -> Document:
    line = decode_utf8(raw, path, offset=offset, first_line=lineno)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"bad JSON: {exc.msg} at column {exc.colno}", lineno) from None
    if not isinstance(obj, dict):
        raise SourceError(path, f"expected a JSON object, got {_json_type(obj)}", lineno)

    text = obj.get("text")
    if text is None:
        raise SourceError(path, "missing 'text'", lineno)
    if not isinstance(text, str):
        raise SourceError(path, f"'text' must be a string, got {_json_type(text)}", lineno)
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

    ref = obj.get("id")
    if isinstance(ref, bool) or not isinstance(ref, str | int | None):
        raise SourceError(path, f"'id' must be a string or number, got {_json_type(ref)}", lineno)
    meta: dict[str, str | None] = {}
    for key in ("url", "title"):
        field = obj.get(key)
        if field is not None and not isinstance(field, str):
            raise SourceError(path, f"'{key}' must be a string, got {_json_type(field)}", lineno)
        meta[key] = field or None

    return Document.from_text(
        text,
        published=published,
        url=meta["url"],
        title=meta["title"],
        source=str(path),
        # Without an id, the line itself is the record's address.
        ref=str(ref) if ref is not None else f"{path}:{lineno}",
    )
