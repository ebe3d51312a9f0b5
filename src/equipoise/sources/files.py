"""Opening input files safely: regular files only, lines of bounded length, printable names.

A FIFO or a device named as input would block a read forever or never end, so files
are opened without blocking and refused unless they are regular files. Lines are read
with a length limit, so a file with no line breaks cannot fill the memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, AnyStr, BinaryIO

from equipoise.sources.errors import SourceError, display_path

__all__ = ["bounded_lines", "display_path", "file_kind", "is_within", "open_regular"]

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"),
)  # fmt: skip


def file_kind(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO", "a character device"...); None for a regular one."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` for reading in binary, or raise SourceError if it is not a regular file.

    The file is opened without blocking, so a FIFO with no writer is refused at once
    instead of hanging; the descriptor's own type is checked, not the name's, so the
    file cannot be swapped for something else between the check and the read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise SourceError(os.fspath(path), exc.strerror or str(exc)) from None
    try:
        kind = file_kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise SourceError(os.fspath(path), f"not a regular file ({kind}); skipped")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def bounded_lines(stream: IO[AnyStr], limit: int) -> Iterator[tuple[AnyStr | None, int]]:
    """``(line, length)`` for each line of ``stream``, line ending included.

    A line longer than ``limit`` is passed over to its end and given as ``None``
    (with its full length), so one runaway line costs neither memory nor the rest
    of the file.
    """
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or _ends_line(line):
            yield line, len(line)
            continue
        length = len(line)
        while True:
            rest = stream.readline(1 << 20)
            length += len(rest)
            if not rest or _ends_line(rest):
                break
        yield None, length


def _ends_line(line: str | bytes) -> bool:
    last = line[-1:]
    return last in ("\n", "\r", b"\n", b"\r")


def is_within(path: Path, folder: Path) -> bool:
    """Whether ``path``, with every link resolved, lies inside ``folder`` (also resolved)."""
    try:
        path.resolve(strict=True).relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError, ValueError):
        return False
    return True
