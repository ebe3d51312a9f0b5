"""Reading news text from files: plain text, saved web pages and JSON Lines."""

from equipoise.sources.discover import SUPPORTED_SUFFIXES, Loaded, iter_documents
from equipoise.sources.errors import SourceError
from equipoise.sources.html import read_html
from equipoise.sources.jsonl import read_jsonl
from equipoise.sources.limits import DateRange
from equipoise.sources.text import MAX_DOCUMENT_BYTES, parse_date, read_text

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "SUPPORTED_SUFFIXES",
    "DateRange",
    "Loaded",
    "SourceError",
    "iter_documents",
    "parse_date",
    "read_html",
    "read_jsonl",
    "read_text",
]
