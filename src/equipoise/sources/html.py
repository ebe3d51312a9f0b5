"""Saved web pages: the article's main text and metadata, found by trafilatura.

Nothing is fetched; the page must already be on disk.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import trafilatura

from equipoise.records import Document
from equipoise.sources.clean import clean_field, clean_text
from equipoise.sources.errors import SourceError, display_path
from equipoise.sources.limits import DateRange
from equipoise.sources.text import (
    MAX_DOCUMENT_BYTES,
    check_length,
    parse_date,
    publication_date,
    read_document_file,
)

MAX_HTML_BYTES = 4 * MAX_DOCUMENT_BYTES
"""Largest page read; markup, scripts and styles take far more room than the article."""

# Only dates the page states as metadata (meta tags, JSON-LD, <time>, URL). The
# extensive search also guesses from body text, where "Copyright 2021" wins.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def extract_page(page: str | bytes, where: str | Path) -> tuple[str, Any]:
    """A page's main text, cleaned, and trafilatura's result with the page's metadata
    (``title``, ``date``, ``url``, ``sitename``). Raises SourceError naming ``where``
    when the page cannot be parsed or has no main text."""
    result: Any  # a trafilatura Document here, with_metadata=True
    try:
        result = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura raises assorted lxml and value errors
        raise SourceError(where, f"could not parse HTML: {exc}") from None
    text = clean_text((result.text or "") if result is not None else "").strip()
    if not text:
        raise SourceError(where, "no main text found in the page")
    check_length(text, where)
    return text, result


def read_html(path: str | Path, date: dt.date | None = None, *, date_from_mtime: bool = False,
              dates: DateRange | None = None) -> tuple[Document, list[str]]:
    """Read an ``.html``/``.htm`` page.

    The publication date is ``date`` if given, else the page's metadata, else, with
    ``date_from_mtime``, the file's modification date; a page with none of them is an
    error. A page date that cannot be read or lies outside ``dates`` is passed over
    with a warning. Raises SourceError.
    """
    path = Path(path)
    dates = dates if dates is not None else DateRange()
    page = read_document_file(path, limit=MAX_HTML_BYTES)
    text, result = extract_page(page, path)

    warnings: list[str] = []
    published = date
    if published is None and result.date:
        try:
            page_date = parse_date(result.date)
        except ValueError:
            warnings.append(f"{display_path(path)}: ignoring unreadable page date {result.date!r}")
        else:
            if page_date in dates:
                published = page_date
            else:
                warnings.append(
                    f"{display_path(path)}: ignoring page date {page_date} outside the "
                    f"accepted range {dates.earliest} to {dates.last}"
                )
    published = publication_date(path, published, date_from_mtime=date_from_mtime, dates=dates)

    doc = Document.from_text(
        text,
        published=published,
        url=clean_field(result.url),
        title=clean_field(result.title),
        source=display_path(path),
        ref=display_path(path),
    )
    return doc, warnings
