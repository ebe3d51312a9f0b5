"""Find documents under the paths a user names and read each with the right reader.

Every outcome comes back as a ``Loaded`` item, so one bad file is reported
and the rest still go in::

    for item in iter_documents(["news/", "extra.jsonl"]):
        if item.error:
            print(item.error)          # path:line: message
        else:
            store.add_document(item.document)
        for warning in item.warnings:
            print(warning)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from equipoise.records import Document
from equipoise.sources.errors import SourceError
from equipoise.sources.html import read_html
from equipoise.sources.jsonl import read_jsonl
from equipoise.sources.text import read_text

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


@dataclass(frozen=True, slots=True)
class Loaded:
    """One outcome of reading: a document (perhaps with warnings) or an error."""

    path: Path
    document: Document | None = None
    error: SourceError | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.document is not None


def iter_documents(
    paths: str | Path | Iterable[str | Path], date: dt.date | None = None
) -> Iterator[Loaded]:
    """Yield a Loaded item for every document, or failure, found under ``paths``.

    Folders are walked recursively in name order, skipping hidden entries and
    files of unsupported types. A file named explicitly is read even if hidden,
    and an unsupported one is an error. ``date`` is the publication date for
    ``.txt`` and ``.html`` files (over their own), and the date for JSONL lines
    that lack one.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    for given in map(Path, paths):
        if given.is_dir():
            for found in _walk(given):
                if isinstance(found, SourceError):
                    yield Loaded(Path(found.path), error=found)
                else:
                    yield from _load(found, date)
        elif not given.exists():
            yield Loaded(given, error=SourceError(given, "no such file or directory"))
        elif given.suffix.lower() not in SUPPORTED_SUFFIXES:
            expected = ", ".join(sorted(SUPPORTED_SUFFIXES))
            message = f"unsupported file type {given.suffix or '(none)'!r} (expected {expected})"
            yield Loaded(given, error=SourceError(given, message))
        else:
            yield from _load(given, date)


def _walk(folder: Path) -> Iterator[Path | SourceError]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield SourceError(folder, exc.strerror or str(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        # Symlinked folders are not followed: a link back up the tree would never end.
        if entry.is_dir() and not entry.is_symlink():
            yield from _walk(entry)
        elif entry.is_file() and entry.suffix.lower() in SUPPORTED_SUFFIXES:
            yield entry


def _load(path: Path, date: dt.date | None) -> Iterator[Loaded]:
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            for item in read_jsonl(path, date):
                if isinstance(item, SourceError):
                    yield Loaded(path, error=item)
                else:
                    yield Loaded(path, document=item)
            return
        reader = read_html if suffix in HTML_SUFFIXES else read_text
        document, warnings = reader(path, date)
    except SourceError as err:
        yield Loaded(path, error=err)
        return
    except OSError as exc:
        yield Loaded(path, error=SourceError(path, exc.strerror or str(exc)))
        return
    yield Loaded(path, document=document, warnings=tuple(warnings))
