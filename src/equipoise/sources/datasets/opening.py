"""Opening a dataset file (plain, ``.gz`` or a one-file ``.zip``) and reading its lines or
CSV records, with limits on line length and on how far an archive may expand.
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from equipoise.sources.clean import clean_cells
from equipoise.sources.csvrecords import csv_records
from equipoise.sources.datasets.report import ImportReport
from equipoise.sources.errors import SourceError
from equipoise.sources.files import bounded_lines, open_regular

MAX_ROW_CHARS = 1 << 20
"""Longest line read; a longer one is reported and passed over."""
MAX_EXPANSION = 100
"""How many times its own size a compressed file may expand to (beyond 64 MiB)."""
_EXPANSION_FLOOR = 64 << 20


class _Decompressed(io.RawIOBase):
    """The bytes of a compressed member, with every way decompression can fail turned
    into a SourceError naming the file, and a limit on how far it may expand."""

    def __init__(self, path: Path, stream: io.BufferedIOBase | IO[bytes],
                 compressed_size: int) -> None:
        self._path = path
        self._stream = stream
        self._left = max(MAX_EXPANSION * compressed_size, _EXPANSION_FLOOR)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._stream.read(len(buffer))
        except Exception as exc:  # zlib, gzip, zipfile, lzma and bz2 each raise their own
            raise SourceError(self._path, f"corrupt compressed data: {_reason(exc)}") from None
        self._left -= len(data)
        if self._left < 0:
            raise SourceError(
                self._path,
                f"expands to more than {MAX_EXPANSION} times its size; not read "
                "(a damaged or malicious archive?)",
            )
        buffer[: len(data)] = data
        return len(data)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


@contextmanager
def _open_binary(path: Path) -> Iterator[IO[bytes]]:
    """The bytes of ``path``, a ``.gz`` file or the single data file in a ``.zip``.

    Only regular files are opened. A damaged archive raises SourceError, when it is
    opened or whenever the damage is reached.
    """
    with ExitStack() as stack:
        fh = stack.enter_context(open_regular(path))
        size = os.fstat(fh.fileno()).st_size
        raw: IO[bytes] | _Decompressed
        try:
            suffix = path.suffix.lower()
            if suffix in (".gz", ".zip") and size == 0:
                # gzip reads an empty file as empty data, not as the damage it is.
                raise SourceError(path, "empty file: not a gzip or zip archive")
            if suffix == ".gz":
                raw = _Decompressed(path, stack.enter_context(gzip.GzipFile(fileobj=fh)), size)
            elif suffix == ".zip":
                archive = stack.enter_context(zipfile.ZipFile(fh))
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    raise SourceError(
                        path, f"expected one file in the archive, found {len(members)}"
                    )
                raw = _Decompressed(path, stack.enter_context(archive.open(members[0])), size)
            else:
                raw = fh
        except SourceError:
            raise
        except Exception as exc:  # zipfile raises many kinds for a damaged directory
            raise SourceError(path, f"cannot open: {_reason(exc)}") from None
        yield io.BufferedReader(raw) if isinstance(raw, _Decompressed) else raw


@contextmanager
def _open_text(path: Path) -> Iterator[IO[str]]:
    """A text stream over ``path`` as :func:`_open_binary` opens it."""
    with _open_binary(path) as buffered:
        # Undecodable bytes become U+FFFD rather than losing the rest of the file; a
        # byte-order mark at the start (as spreadsheet programs write) is dropped.
        yield io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="replace", newline="")


def _lines(path: Path, report: ImportReport) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` without its line ending; blank lines are passed over.

    A line holding a NUL byte, or longer than MAX_ROW_CHARS, is reported and passed
    over. Control characters (tabs aside) and bidirectional controls are removed.
    """
    with _open_text(path) as stream:
        try:
            lines = bounded_lines(stream, MAX_ROW_CHARS)
            for number, (line, length) in enumerate(lines, start=1):
                if line is None:
                    error = f"line too long ({length:,} characters; limit {MAX_ROW_CHARS:,})"
                    report.errors.append(str(SourceError(path, error, number)))
                elif "\0" in line:
                    report.errors.append(str(SourceError(path, "NUL byte in the row", number)))
                elif line.strip():
                    yield number, clean_cells(line.rstrip("\r\n"))
        except OSError as exc:
            raise SourceError(path, f"cannot read: {_reason(exc)}") from exc


def _csv_records(path: Path, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, cells)`` of each CSV record; quoted fields may span lines,
    and a quote left open is reported at its line without losing the records after it."""

    def on_error(error: SourceError) -> None:
        report.errors.append(str(error))

    with _open_text(path) as stream:
        try:
            for number, cells in csv_records(stream, str(path), on_error,
                                             line_limit=MAX_ROW_CHARS):  # fmt: skip
                yield number, [clean_cells(cell) for cell in cells]
        except OSError as exc:
            raise SourceError(path, f"cannot read: {_reason(exc)}") from exc
