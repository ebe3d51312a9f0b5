"""Saved web pages: the article's main text and metadata, found by trafilatura.

Nothing is fetched; the page must already be on disk.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import trafilatura

from equipoise.records import Document
from equipoise.sources.errors import SourceError
from equipoise.sources.text import (
    MAX_DOCUMENT_BYTES,
    check_length,
    mtime_date,
    parse_date,
    read_document_file,
)

MAX_HTML_BYTES = 4 * MAX_DOCUMENT_BYTES
"""Largest page read; markup, scripts and styles take far more room than the article."""

# Only dates the page states as metadata (meta tags, JSON-LD, <time>, URL). The
# extensive search also guesses from body text, where "Copyright 2021" wins.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def read_html(path: str | Path, date: dt.date | None = None) -> tuple[Document, list[str]]:
    """Read an ``.html``/``.htm`` page.

    The publication date is ``date`` if given, else the page's metadata, else
    the file's modification date (with a warning). Raises SourceError.
    """
    path = Path(path)
    page = read_document_file(path, limit=MAX_HTML_BYTES)
    try:
        result = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura raises assorted lxml and value errors
        raise SourceError(path, f"could not parse HTML: {exc}") from None
    text = (result.text or "").strip() if result is not None else ""
    if not text:
        raise SourceError(path, "no main text found in the page")
    check_length(text, path)

    warnings: list[str] = []
    published = date
    if published is None and result.date:
        try:
            published = parse_date(result.date)
        except ValueError:
            warnings.append(f"{path}: ignoring unreadable page date {result.date!r}")
    if published is None:
        published, warning = mtime_date(path)
        warnings.append(warning)

    doc = Document.from_text(
        text,
        published=published,
        url=result.url or None,
        title=result.title or None,
        source=str(path),
        ref=str(path),
    )
    return doc, warnings
