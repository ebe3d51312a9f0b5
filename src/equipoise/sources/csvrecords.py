"""CSV records that resynchronise after a broken quote instead of swallowing the file.

A quoted field may hold line breaks, so an opening quote that is never closed turns
every following line into one field: with the ``csv`` module alone, one stray quote in
a notes column hides the rest of the file. Here a record that runs over several lines
is accepted only if it ends before the file does, has the header's number of columns,
and none of its later lines starts a complete record of its own; otherwise its first
line is reported and reading starts again on the next line. A record may run over at
most ``max_lines`` lines, and a physical line over ``line_limit`` characters is
reported and passed over.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterator
from typing import IO

from equipoise.sources.errors import SourceError

MAX_RECORD_LINES = 100
"""Most physical lines one record may span (a quoted field with line breaks)."""


_Line = tuple[int, str]  # (line number, text with its line ending)


class _TooLong(Exception):
    """Raised by the feed when a record has taken ``max_lines`` lines and asks for more."""


class _Feed:
    """Physical lines of a stream for ``csv.reader``, remembering the lines of the record
    in hand; lines can be pushed back, so a rejected record's later lines are read again.

    A line over ``limit`` characters is reported and given as an empty line.
    """

    def __init__(
        self, stream: IO[str], path: str, on_error: Callable[[SourceError], None],
        limit: int, max_lines: int,
    ) -> None:  # fmt: skip
        self._stream = stream
        self._path = path
        self._on_error = on_error
        self._limit = limit
        self._max = max_lines
        self._number = 0
        self._pending: deque[_Line] = deque()
        self.taken: list[_Line] = []
        self.ran_out = False  # the file ended while the record in hand wanted more

    def start(self) -> None:
        self.taken = []
        self.ran_out = False

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if len(self.taken) >= self._max:
            raise _TooLong
        line = self._pending.popleft() if self._pending else self._read()
        if line is None:
            self.ran_out = bool(self.taken)
            raise StopIteration
        self.taken.append(line)
        return line[1]

    def _read(self) -> _Line | None:
        text = self._stream.readline(self._limit + 1)
        if not text:
            return None
        self._number += 1
        if len(text) > self._limit and text[-1] not in "\r\n":
            while (rest := self._stream.readline(1 << 20)) and rest[-1] not in "\r\n":
                pass  # the rest of the line, read in pieces and dropped
            self._on_error(SourceError(
                self._path, f"line too long (limit {self._limit:,} characters)", self._number
            ))
            text = "\n"  # an empty line in its place keeps the count and ends no field
        return self._number, text

    def push_back(self, lines: list[_Line]) -> None:
        self._pending.extendleft(reversed(lines))

    def peek(self, n: int) -> list[_Line]:
        """Up to ``n`` lines after the record in hand, left to be read."""
        while len(self._pending) < n:
            line = self._read()
            if line is None:
                break
            self._pending.append(line)
        return list(self._pending)[:n]


def _one_record(texts: list[str]) -> list[str] | None:
    """The record at the start of ``texts`` if it is complete within them, else None."""
    fed = iter(texts)
    wanted_more = False

    def lines() -> Iterator[str]:
        nonlocal wanted_more
        yield from fed
        wanted_more = True

    try:
        cells = next(csv.reader(lines()))
    except (csv.Error, StopIteration):
        return None
    return None if wanted_more else cells


def csv_records(
    stream: IO[str],
    path: str,
    on_error: Callable[[SourceError], None],
    *,
    line_limit: int,
    max_lines: int = MAX_RECORD_LINES,
) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, cells)`` of each non-blank record of a CSV text stream.

    ``stream`` must be opened with ``newline=""``. The first record sets the number of
    columns the others must have to span several lines. Records that cannot be read
    go to ``on_error`` with their line; so does a record holding a NUL byte.
    """
    feed = _Feed(stream, path, on_error, line_limit, max_lines)
    reader = csv.reader(feed)
    width: int | None = None
    while True:
        feed.start()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, _TooLong) as exc:
            if not feed.taken:
                continue
            reason = (
                f"a quoted field runs over more than {max_lines} lines (unclosed quote?)"
                if isinstance(exc, _TooLong) else f"bad CSV: {exc}"
            )
            number = feed.taken[0][0]
            on_error(SourceError(path, f"{reason}; read again from the next line", number))
            feed.push_back(feed.taken[1:])
            continue
        taken = feed.taken
        if len(taken) > 1:
            problem = _spanning_problem(feed, cells, width, max_lines)
            if problem is not None:
                on_error(SourceError(path, problem, taken[0][0]))
                feed.push_back(taken[1:])
                continue
        joined = "".join(cells)
        if not joined.strip():
            continue
        if "\0" in joined:
            on_error(SourceError(path, "NUL byte in the record", taken[0][0]))
            continue
        if width is None:
            width = len(cells)
        yield taken[0][0], cells


def _spanning_problem(
    feed: _Feed, cells: list[str], width: int | None, max_lines: int
) -> str | None:
    """Why a record read over several lines is not one, or None if it is."""
    taken = feed.taken
    if feed.ran_out:
        return (
            "unclosed quote: the field runs to the end of the file; read again from the next line"
        )
    if width is None:
        return None
    if len(cells) != width:
        return (
            f"a quoted field runs over {len(taken)} lines into a record of {len(cells)} "
            f"columns, not {width} (unclosed quote?); read again from the next line"
        )
    ahead = [text for _, text in feed.peek(max_lines)]
    texts = [text for _, text in taken]
    for start in range(1, len(texts)):
        inner = _one_record(texts[start:] + ahead)
        if inner is not None and len(inner) == width:
            return (
                f"unclosed quote: the field would swallow the record on line "
                f"{taken[start][0]}; read again from the next line"
            )
    return None
