"""Find documents under the paths a user names and read each with the right reader.

Every outcome comes back as a ``Loaded`` item, so one bad file is reported
and the rest still go in::

    for item in iter_documents(["news/", "extra.jsonl"]):
        if item.error:
            print(item.error)          # path:line: message
        elif item.document:
            store.add_document(item.document)
        for warning in item.warnings:  # also files passed over: FIFOs, links leaving the folder
            print(warning)
"""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from equipoise.records import Document
from equipoise.sources.errors import SourceError, display_path
from equipoise.sources.files import file_kind, is_within
from equipoise.sources.html import read_html
from equipoise.sources.jsonl import read_jsonl
from equipoise.sources.limits import DateRange
from equipoise.sources.text import read_text

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


@dataclass(frozen=True, slots=True)
class Loaded:
    """One outcome of reading: a document (perhaps with warnings), an error, or only a
    note (warnings) about a file passed over."""

    path: Path
    document: Document | None = None
    error: SourceError | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.document is not None


def iter_documents(
    paths: str | Path | Iterable[str | Path],
    date: dt.date | None = None,
    *,
    date_from_mtime: bool = False,
    follow_symlinks: bool = False,
    dates: DateRange | None = None,
) -> Iterator[Loaded]:
    """Yield a Loaded item for every document, or failure, found under ``paths``.

    Folders are walked recursively in name order, skipping hidden entries and
    files of unsupported types. Only regular files are read: a FIFO, device or
    socket in a folder is passed over with a note, and one named explicitly is an
    error. A symbolic link in a folder that leads outside the folder named is passed
    over with a note unless ``follow_symlinks``; linked folders are followed only
    then, each once. A file named explicitly is read even if hidden, and an
    unsupported one is an error.

    ``date`` is the publication date for ``.txt`` and ``.html`` files (over their
    own), and the date for JSONL lines that lack one; ``date_from_mtime`` dates
    ``.txt`` and ``.html`` files that state no date by their modification time
    (without either, such a file is an error). Dates must lie within ``dates``
    (by default 1800 to a year from today).
    """
    options = _Options(date, date_from_mtime, dates if dates is not None else DateRange())
    if isinstance(paths, str | Path):
        paths = [paths]
    for given in map(Path, paths):
        if given.is_dir():
            visited: set[tuple[int, int]] = set()
            for found in _walk(given, given, follow_symlinks, visited):
                if isinstance(found, Loaded):
                    yield found
                else:
                    yield from _load(found, options)
        elif not given.exists():
            yield Loaded(given, error=SourceError(given, "no such file or directory"))
        elif given.suffix.lower() not in SUPPORTED_SUFFIXES:
            expected = ", ".join(sorted(SUPPORTED_SUFFIXES))
            message = f"unsupported file type {given.suffix or '(none)'!r} (expected {expected})"
            yield Loaded(given, error=SourceError(given, message))
        else:
            yield from _load(given, options)


@dataclass(frozen=True, slots=True)
class _Options:
    date: dt.date | None
    date_from_mtime: bool
    dates: DateRange


def _walk(
    root: Path, folder: Path, follow: bool, visited: set[tuple[int, int]]
) -> Iterator[Path | Loaded]:
    try:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in visited:
            return  # a link back to a folder already walked would never end
        visited.add((info.st_dev, info.st_ino))
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield Loaded(folder, error=SourceError(folder, exc.strerror or str(exc)))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            linked = entry.is_symlink()
            mode = entry.stat().st_mode
        except OSError:
            if entry.is_symlink():
                yield _note(entry, "broken symbolic link; skipped")
            continue
        if linked and not follow:
            if stat.S_ISDIR(mode):
                continue  # inside the folder it is walked anyway; outside, only on request
            if not is_within(entry, root):
                yield _note(entry, f"symbolic link to a file outside {display_path(root)}; "
                                   "skipped (use --follow-symlinks to read it)")
                continue
        if stat.S_ISDIR(mode):
            yield from _walk(root, entry, follow, visited)
        elif entry.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        elif (kind := file_kind(mode)) is not None:
            yield _note(entry, f"not a regular file ({kind}); skipped")
        else:
            yield entry


def _note(path: Path, message: str) -> Loaded:
    return Loaded(path, warnings=(f"{display_path(path)}: {message}",))


def _load(path: Path, options: _Options) -> Iterator[Loaded]:
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            for item in read_jsonl(path, options.date, dates=options.dates):
                if isinstance(item, SourceError):
                    yield Loaded(path, error=item)
                else:
                    yield Loaded(path, document=item)
            return
        reader = read_html if suffix in HTML_SUFFIXES else read_text
        document, warnings = reader(
            path, options.date, date_from_mtime=options.date_from_mtime, dates=options.dates
        )
    except SourceError as err:
        yield Loaded(path, error=err)
        return
    except OSError as exc:
        yield Loaded(path, error=SourceError(path, exc.strerror or str(exc)))
        return
    yield Loaded(path, document=document, warnings=tuple(warnings))
