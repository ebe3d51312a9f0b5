"""Importing GDELT event files in bulk: Arrow's CSV reader and DuckDB SQL, not a row loop.

The rows :func:`equipoise.sources.datasets.read_gdelt` reads one by one are read here a
block at a time, with the same outcome row for row (the same events, skips, errors and
line numbers):

* The file (plain, ``.gz`` or ``.zip``) is read in blocks of whole lines. A line of plain
  printable ASCII and tabs, as nearly every GDELT line is, goes to Arrow's CSV parser,
  which hands DuckDB the columns the store needs, numbered with their line in the file.
* DuckDB maps those columns to events in SQL (countries, blocs, sectors, the CAMEO
  table) and sorts each row into an event, a skip (domestic, no state or bloc), or a row
  it leaves to Python: anything it cannot vouch for (a bad date, an unknown code, an odd
  Goldstein weight, a date out of range) is read again by the row reader's own parser, so
  errors read exactly as :func:`read_gdelt` words them.
* Every other line (blank, too long, holding control characters, a NUL byte, non-ASCII
  text, a cell with a space at an end or an unexpected number of columns), and the first
  line (a header or not), goes through the row reader's parser and cleaning.

Events go straight into ``events``, each marked with the import and its line, within the
transaction of :meth:`equipoise.store.Store.add_bulk_events`, which then keeps the first
line of a repeated record id and replaces the rows stored before. Memory stays flat in
the file's size: one INSERT reads the stream of blocks, which a reader thread parses a
few blocks ahead of DuckDB. Only the events of lines read by Python, and the
cells of rows SQL left to it, wait in memory until the file's end (a GDELT file has few
or none).
"""

from __future__ import annotations

import codecs
import functools
import itertools
import queue
import re
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

try:  # duckdb 1.4 moved the type constants
    from duckdb.sqltypes import BIGINT, BOOLEAN
except ImportError:  # pragma: no cover - older duckdb
    from duckdb.typing import BIGINT, BOOLEAN  # type: ignore[no-redef]
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from equipoise.reference.cameo import cameo_table
from equipoise.sources.clean import clean_cells
from equipoise.sources.datasets import (
    _GDELT_SECTORS,
    CODERS,
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
    MAX_ROW_CHARS,
    ImportReport,
    _actor_names,
    _cameo_codes,
    _open_binary,
    gdelt_extras,
    gdelt_parser,
)
from equipoise.sources.errors import SourceError
from equipoise.sources.filters import EventFilter
from equipoise.sources.limits import DateRange
from equipoise.store import Store
from equipoise.store.db import ALL_EVENT_COLUMNS as _COLUMNS
from equipoise.store.db import event_row, provenance_row, record_no

BLOCK_BYTES = 8 << 20
"""How much of the file is read and parsed at a time."""

# Every byte of a line the fast path takes: printable ASCII, tab and the line feed.
_PLAIN = bytes(range(0x20, 0x7F)) + b"\t\n"
# A line longer than this many bytes holds more than MAX_ROW_CHARS characters for sure.
_SURELY_LONG = 4 * (MAX_ROW_CHARS + 1)
_THREADS = False  # Arrow parses in the reader thread: DuckDB has the other cores
_TAGS = itertools.count(1)  # names the functions of each import on a connection
_BREAKS = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# The columns DuckDB needs, by GDELT name; Actor fields come in the order of _ACTOR.
_ACTOR = ("Name", "CountryCode", "KnownGroupCode", "Type1Code")
_NEEDED = (
    "GLOBALEVENTID", "SQLDATE",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "EventCode", "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "DATEADDED", "SOURCEURL", "IsRootEvent",
    # Where the event took place (records.Provenance).
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long",
)  # fmt: skip


def import_gdelt(store: Store, path: str | Path, version: int, report: ImportReport | None = None,
                 *, dates: DateRange | None = None, source: str | None = None,
                 progress: Callable[[int], None] | None = None, keep: EventFilter | None = None
                 ) -> ImportReport:
    """Import one GDELT ``version`` file into ``store``, all or nothing; returns the report.

    The outcome is that of ``store.add_dataset_events(read_gdelt(path, version, report))``
    (the same rows, counts and errors, and the same place and coordinates), plus GDELT's
    counts, tone, URL and DATEADDED in the columns of ``equipoise.store.db.GDELT_COLUMNS``.
    A file that cannot be read (a damaged archive) raises SourceError and leaves the store
    as it was; the errors of the rows read before it are in ``report`` all the same.
    ``progress`` is called with the number of lines read so far, a block at a time.
    ``keep`` leaves out the events it does not keep, in the SQL that stores them, counting
    them as ``report.filtered``; rows that cannot be read are errors all the same.
    """
    path = Path(path)
    report = report if report is not None else ImportReport()
    reader = _Reader(path, version, report, dates if dates is not None else DateRange(),
                     progress, keep if keep is not None else EventFilter())  # fmt: skip
    try:
        added, replaced, duplicates = store.add_bulk_events(
            f"gdelt{version}", reader.load, source=source
        )
    finally:
        # Rows are read out of order (Python's share after SQL's): errors go by line.
        report.errors.extend(error for _, error in sorted(reader.errors, key=lambda e: e[0]))
    report.added += added
    report.replaced += replaced
    report.duplicates += duplicates
    report.events -= duplicates
    return report


class _Reader:
    """One file's lines: plain ones to Arrow and DuckDB, the others to the row parser."""

    def __init__(self, path: Path, version: int, report: ImportReport, dates: DateRange,
                 progress: Callable[[int], None] | None = None,
                 keep: EventFilter | None = None) -> None:  # fmt: skip
        if version not in (1, 2):
            raise ValueError(f"GDELT version must be 1 or 2, not {version!r}")
        self.path = path
        self.version = version
        self.report = report
        self.errors: list[tuple[int, str]] = []  # (line, "file:line: message")
        self.progress = progress
        self.dates = dates
        self.keep = keep if keep is not None else EventFilter()
        self.columns = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
        self.widths = (len(self.columns) - 1, len(self.columns)) if version == 1 else (
            len(self.columns),)  # fmt: skip
        self.width = 0  # the width Arrow parses, from the first plain line
        self.parse = gdelt_parser(path, version, report)
        self.header_done = False
        self.slow: list[tuple[Any, ...]] = []  # (line, *event row) of rows Python read
        self.failure: BaseException | None = None  # what stopped the file's reading

    # -- the SQL ------------------------------------------------------------------------

    def load(self, con: duckdb.DuckDBPyConnection, import_id: int) -> None:
        """Insert the file's events into ``events``, marked ``import_id``; count the rest."""
        _reference_tables(con)
        first = self._first_batches()
        width = self.width or max(self.widths)
        needed = [i for i in (self.columns.index(n) for n in _NEEDED) if i < width]
        schema = pa.schema([("line", pa.int64())] + [(f"c{i}", pa.string()) for i in needed]
                           + [("title1", pa.string()), ("title2", pa.string())])  # fmt: skip
        skips = {"domestic": 0, "no_actor": 0, "filtered": 0}
        redo: list[tuple[int, list[str]]] = []

        def counter(name: str) -> Callable[[pa.Array], pa.Array]:
            def skip(lines: pa.Array) -> pa.Array:
                # Skipped rows are counted, not stored.
                skips[name] += len(lines)
                return pa.array(np.zeros(len(lines), bool))

            return skip

        def keep(lines: pa.Array, cells: pa.Array) -> pa.Array:
            # Rows left to Python: their cells wait for the row parser.
            redo.extend(zip(lines.to_pylist(), cells.to_pylist(), strict=True))
            return pa.array(np.zeros(len(lines), bool))

        tag = next(_TAGS)
        for name in skips:
            con.create_function(f"_equipoise_{name}_{tag}", counter(name), [BIGINT], BOOLEAN,
                                type="arrow", side_effects=True)  # type: ignore[call-overload]
        con.create_function(f"_equipoise_redo_{tag}", keep, [BIGINT, "VARCHAR[]"], BOOLEAN,
                            type="arrow", side_effects=True)  # type: ignore[call-overload]
        sql = self._sql(width, import_id, tag)
        stream = pa.RecordBatchReader.from_batches(schema, first)
        try:
            # One INSERT over the whole stream of batches: DuckDB pulls them as its
            # threads need them, so memory stays flat, and writes full row groups as they
            # fill, leaving little to the commit. (A table registered a chunk at a time
            # would stay referenced by the transaction until it ends.)
            con.register("_equipoise_gdelt_rows", stream)
            (stored,) = con.execute(sql).fetchone()  # type: ignore[misc]
        except duckdb.Error:
            # What the file reader raised (a damaged archive, an interrupt) is raised as
            # itself, not as DuckDB's wrapping of it.
            if self.failure is not None:
                raise self.failure from None
            raise
        finally:
            _forget(con, tag)
            first.close()  # stops the reader thread if DuckDB stopped early
        for kind, count in skips.items():
            setattr(self.report, kind, getattr(self.report, kind) + count)
        self.report.rows += sum(skips.values()) + stored + len(redo)
        self.report.events += stored
        # Rows SQL left to Python: read again by the row parser, from the cells kept.
        for line, raw in sorted(redo):
            cells = [""] * width
            for i, value in zip(needed, raw, strict=True):
                cells[i] = value
            self._event(cells, line, counted=True)
        _insert_events(con, self.slow, import_id)
        self.slow.clear()

    def _sql(self, width: int, import_id: int, tag: int) -> str:
        """The INSERT of the events of the stream's rows; the other rows go to the tallies.

        Each derived value is written once and read once or twice: DuckDB inlines the
        CTEs' expressions wherever they are used. So ranges are tested with the value
        named once (``abs(2 * (x - low) - span) <= span``, not ``BETWEEN``, which DuckDB
        expands into two comparisons that each work out the date or weight again).
        """
        version = self.version
        have = {n for n in _NEEDED if self.columns.index(n) < width}

        def col(name: str) -> str:
            # No cell here starts or ends with a space (such lines go to Python): no trim.
            return f"c{self.columns.index(name)}" if name in have else "''"

        raw = ", ".join(f"c{self.columns.index(n)}" for n in _NEEDED if n in have)
        earliest = self.dates.earliest.isoformat()
        span = (self.dates.last - self.dates.earliest).days
        number = r"'-?[0-9]{1,20}(\.[0-9]{1,30})?'"
        return f"""
        WITH cells AS (
            SELECT *, {col("GLOBALEVENTID")} AS id, {col("SQLDATE")} AS d,
                {col("Actor1CountryCode")} AS cc1, {col("Actor1KnownGroupCode")} AS kg1,
                {col("Actor1Type1Code")} AS t1, nullif(title1, '') AS n1,
                {col("Actor2CountryCode")} AS cc2, {col("Actor2KnownGroupCode")} AS kg2,
                {col("Actor2Type1Code")} AS t2, nullif(title2, '') AS n2,
                {col("EventCode")} AS code, {col("GoldsteinScale")} AS g,
                {col("NumMentions")} AS mentions, {col("NumSources")} AS sources,
                {col("NumArticles")} AS articles, {col("AvgTone")} AS tone,
                {col("DATEADDED")} AS added, {col("SOURCEURL")} AS url,
                {col("IsRootEvent")} AS lead,
                {col("ActionGeo_FullName")} AS place, {col("ActionGeo_CountryCode")} AS country,
                {col("ActionGeo_Lat")} AS lat, {col("ActionGeo_Long")} AS lon
            FROM _equipoise_gdelt_rows
        ), mapped AS (
            SELECT c.*,
                CASE WHEN regexp_full_match(d, '[0-9]{{8}}')
                         THEN try_strptime(d, '%Y%m%d')::DATE
                     WHEN regexp_full_match(d, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')
                         THEN try_cast(d AS DATE) END AS day,
                k.code AS cameo, k.root, k.quad, k.plover,
                CASE WHEN g = '' THEN k.goldstein
                     WHEN regexp_full_match(g, {number}) THEN CAST(g AS DOUBLE) END AS goldstein,
                s1.iso AS iso1, coalesce(s1.iso, b1.bloc) AS actor1,
                CASE WHEN s1.iso IS NULL THEN 'IGO' ELSE coalesce(y1.sector, 'GOV') END AS sector1,
                s2.iso AS iso2, coalesce(s2.iso, b2.bloc) AS actor2,
                CASE WHEN s2.iso IS NULL THEN 'IGO' ELSE coalesce(y2.sector, 'GOV') END AS sector2
            FROM cells c
            LEFT JOIN _equipoise_cameo k ON k.code = c.code
            LEFT JOIN _equipoise_state s1 ON s1.code = c.cc1
            LEFT JOIN _equipoise_bloc b1 ON b1.code = c.kg1
            LEFT JOIN _equipoise_sector y1 ON y1.code = c.t1
            LEFT JOIN _equipoise_state s2 ON s2.code = c.cc2
            LEFT JOIN _equipoise_bloc b2 ON b2.code = c.kg2
            LEFT JOIN _equipoise_sector y2 ON y2.code = c.t2
        ), sorted AS (
            -- 1: a row SQL cannot vouch for, read again by Python (which also words
            -- the errors). A skip outside the date range goes there too: it is rare, and
            -- Python counts it as the skip it is.
            SELECT *, CASE
                WHEN id = '' OR cameo IS NULL
                    OR NOT coalesce(abs(2 * (day - DATE '{earliest}') - {span}) <= {span}, false)
                    THEN 1
                WHEN actor1 IS NULL OR actor2 IS NULL THEN 2
                WHEN actor1 = actor2 THEN 3
                WHEN NOT coalesce(abs(goldstein) <= 10, false) THEN 1
                WHEN NOT ({self.keep.sql("actor1", "actor2", "root")}) THEN 4
                ELSE 0 END AS kind
                -- 0 event, 1 for Python, 2 no state or bloc, 3 domestic, 4 filtered out
            FROM mapped
        )
        INSERT INTO events ({", ".join(f'"{c}"' for c in _COLUMNS)})
        SELECT 'gdelt{version}:' || id, 0, 0, url,
            actor1, iso1, sector1, actor2, iso2, sector2,
            cameo, root, quad, goldstein, nullif(plover, ''), day, 'day', false, false, NULL,
            n1, n2, '{CODERS[f"gdelt{version}"]}', 'gdelt{version}',
            {_count("mentions")}, {_count("sources")}, {_count("articles")},
            CASE WHEN regexp_full_match(tone, {number}) THEN CAST(tone AS DOUBLE) END,
            nullif(url, ''),
            CASE WHEN regexp_full_match(added, '[0-9]{{8}}')
                    THEN try_strptime(added, '%Y%m%d')
                 WHEN regexp_full_match(added, '[0-9]{{14}}')
                    THEN try_strptime(added, '%Y%m%d%H%M%S') END,
            CASE lead WHEN '1' THEN true WHEN '0' THEN false END,
            {import_id}, line,
            CASE WHEN regexp_full_match(id, '[0-9]{{1,18}}') THEN CAST(id AS BIGINT) END,
            NULL, nullif(place, ''), NULL, nullif(country, ''),
            {_coordinate("lat", 90)}, {_coordinate("lon", 180)}, NULL, NULL
        FROM sorted
        WHERE CASE kind WHEN 0 THEN true
            WHEN 1 THEN _equipoise_redo_{tag}(line, [{raw}])
            WHEN 2 THEN _equipoise_no_actor_{tag}(line)
            WHEN 3 THEN _equipoise_domestic_{tag}(line)
            ELSE _equipoise_filtered_{tag}(line) END
        """

    # -- reading the file -------------------------------------------------------------

    def _first_batches(self) -> Generator[pa.RecordBatch, None, None]:
        """Arrow batches of the plain lines, after the first lines have set the width."""
        batches = self._batches()
        # The first batch decides the width Arrow parses (57 or 58 columns in GDELT 1.0).
        try:
            first = next(batches)
        except StopIteration:
            nothing: tuple[pa.RecordBatch, ...] = ()
            return (batch for batch in nothing)

        def chain() -> Iterator[pa.RecordBatch]:
            yield first
            yield from batches

        return _ahead(chain(), self)

    def _batches(self) -> Iterator[pa.RecordBatch]:
        number = 1
        carry = b""
        start = True
        with _open_binary(self.path) as stream:
            try:
                while True:
                    # The block is read in after the carried part line, so that its whole
                    # lines are parsed where they were read: no copy of the block.
                    body = bytearray(len(carry) + BLOCK_BYTES)
                    body[: len(carry)] = carry
                    with memoryview(body)[len(carry) :] as free:
                        # Every stream _open_binary gives is a buffered reader.
                        got = stream.readinto(free)  # type: ignore[attr-defined]
                    del body[len(carry) + got :]
                    if start and got:
                        start = False
                        if body.startswith(codecs.BOM_UTF8):
                            del body[: len(codecs.BOM_UTF8)]
                            got -= len(codecs.BOM_UTF8)
                    if not got:
                        break
                    cut = body.rfind(b"\n")
                    if cut < 0:
                        carry = bytes(body)
                        if len(carry) > _SURELY_LONG:
                            carry, number = self._runaway(stream, carry, number)
                        continue
                    carry = bytes(body[cut + 1 :])
                    del body[cut + 1 :]
                    table, number = self._body(body, number)
                    if self.progress is not None:
                        self.progress(number - 1)
                    if table is not None:
                        yield from table.to_batches()
                if carry:  # a last line without its line break
                    number = self._slow_segment(carry, number)
            except OSError as exc:
                raise SourceError(self.path, f"cannot read: {exc.strerror or exc}") from exc

    def _runaway(self, stream, carry: bytes, number: int) -> tuple[bytes, int]:
        """Pass over a line too long to hold, counting its characters; returns what
        follows its line break and the next line number."""
        # Lines ended by a lone carriage return before it are lines of their own.
        cr = carry.rfind(b"\r", 0, len(carry) - 1)
        if cr >= 0:
            number = self._slow_segment(carry[: cr + 1], number)
            carry = carry[cr + 1 :]
            if len(carry) <= _SURELY_LONG:
                return carry, number
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        length = 0
        data = carry
        while True:
            end = min((i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0), default=-1)
            if end < 0:
                length += len(decoder.decode(data))
                data = stream.read(BLOCK_BYTES)
                if not data:
                    break
                continue
            if data[end : end + 1] == b"\r":
                if end + 1 == len(data):  # is the next byte a line feed?
                    more = stream.read(BLOCK_BYTES)
                    data += more
                if data[end + 1 : end + 2] == b"\n":
                    end += 1
            length += len(decoder.decode(data[: end + 1], final=True))
            data = data[end + 1 :]
            break
        error = f"line too long ({length:,} characters; limit {MAX_ROW_CHARS:,})"
        self._error(number, error)
        return data, number + 1

    def _body(self, body: bytes | bytearray, number: int) -> tuple[pa.Table | None, int]:
        """The Arrow table of the plain lines of ``body`` (whole lines, the first numbered
        ``number``), the others read by Python; and the next line number."""
        arr = np.frombuffer(body, np.uint8)
        ends = np.flatnonzero(arr == 10)
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        lengths = ends - starts + 1
        slow = (lengths == 1) | (lengths > MAX_ROW_CHARS)
        # A cell with a space at either end is stripped by the row parser: to Python.
        spaces = np.flatnonzero(arr == 32)
        if len(spaces):
            following = arr[np.minimum(spaces + 1, len(arr) - 1)]
            preceding = arr[np.maximum(spaces - 1, 0)]
            edge = (following == 9) | (following == 10) | (following == 13)
            edge |= (preceding == 9) | (preceding == 10)
            edge |= spaces == 0
            slow[np.searchsorted(ends, spaces[edge])] = True
        residue = body.translate(None, _PLAIN)
        if residue and not (residue.count(b"\r") == len(residue) == body.count(b"\r\n")):
            # Lines with other bytes than printable ASCII, tab and CRLF go to Python.
            odd = np.flatnonzero(((arr - np.uint8(0x20)) > 0x5E) & (arr != 9) & (arr != 10))
            # A carriage return before a line feed is a line ending Arrow reads as such.
            odd = odd[(arr[odd] != 13) | (arr[np.minimum(odd + 1, len(arr) - 1)] != 10)]
            slow[np.searchsorted(ends, odd)] = True
        # The first line that is not blank may be a header: Python decides, as it does.
        first = 0
        while not self.header_done and first < len(ends):
            number = self._slow_segment(body[starts[first] : ends[first] + 1], number)
            first += 1
        if first == len(ends):
            return None, number
        if first:
            body, arr = body[starts[first]:], arr[starts[first]:]
            ends, starts = ends[first:] - starts[first], starts[first:] - starts[first]
            slow = slow[first:]
        if not len(ends):
            return None, number
        if not self.width:
            plain = np.flatnonzero(~slow)
            if len(plain):
                i = plain[0]
                cells = body[starts[i] : ends[i]].count(b"\t") + 1
                self.width = cells if cells in self.widths else max(self.widths)
        table = self._parse(body, starts, ends, slow) if not slow.all() else None
        if table is None and not slow.all():
            # Arrow met rows of another width: find them, hand them to Python, parse again.
            tabs = np.flatnonzero(arr == 9)
            counts = np.diff(np.searchsorted(tabs, ends), prepend=0)
            counts[0] = np.searchsorted(tabs, ends[0])
            slow |= counts + 1 != (self.width or max(self.widths))
            table = self._parse(body, starts, ends, slow) if not slow.all() else None
            if table is None and not slow.all():
                raise SourceError(self.path, "cannot parse the file as GDELT rows")
        # Line numbers: one a line, more for a slow line split by lone carriage returns.
        extra = np.zeros(len(ends), np.int64)
        shift = 0  # extra lines so far
        for i in map(int, np.flatnonzero(slow)):
            at = number + i + shift
            used = self._slow_segment(body[starts[i] : ends[i] + 1], at) - at
            extra[i] = used - 1
            shift += used - 1
        numbers = number + np.arange(len(ends), dtype=np.int64) + np.cumsum(extra) - extra
        after = int(numbers[-1] + 1 + extra[-1])
        if table is None:
            return None, after
        table = table.add_column(0, "line", pa.array(numbers[~slow]))
        table = self._drop_skips(table)
        # Python's str.title() of the actor names, which for ASCII is Arrow's ascii_title.
        # No cell here has a space at an end (such lines went to Python): nothing to strip.
        for n in (1, 2):
            name = table.column(f"c{self.columns.index(f'Actor{n}Name')}")
            table = table.append_column(f"title{n}", pc.ascii_title(name))
        return table, after

    def _drop_skips(self, table: pa.Table) -> pa.Table:
        """``table`` without the rows that are surely skips, which are counted here.

        Most GDELT rows are not between two states or blocs. A row is surely a skip when
        nothing the row reader checks before the actors can fail: an id, a date of day 01
        to 28 (valid in any month of any year), a known CAMEO code. The others, events or
        not, go to SQL.
        """
        def cell(name: str) -> pa.ChunkedArray:
            return table.column(f"c{self.columns.index(name)}")

        look = _lookups()
        actors = []
        for n in (1, 2):
            state = pc.take(look.isos, pc.index_in(cell(f"Actor{n}CountryCode"), look.states))
            bloc = pc.take(look.blocs, pc.index_in(cell(f"Actor{n}KnownGroupCode"), look.groups))
            actors.append(pc.coalesce(state, bloc))
        first, second = actors
        no_actor = pc.or_kleene(pc.is_null(first), pc.is_null(second))
        domestic = pc.fill_null(pc.equal(first, second), False)
        checked = pc.and_(
            pc.and_(pc.not_equal(cell("GLOBALEVENTID"), ""),
                    pc.match_substring_regex(cell("SQLDATE"), _SAFE_DAY)),
            pc.is_in(cell("EventCode"), look.cameo),
        )  # fmt: skip
        no_actor = pc.and_(checked, no_actor)
        domestic = pc.and_(pc.and_(checked, domestic), pc.invert(no_actor))
        self.report.no_actor += pc.sum(no_actor).as_py() or 0
        self.report.domestic += pc.sum(domestic).as_py() or 0
        skipped = pc.or_(no_actor, domestic)
        self.report.rows += pc.sum(skipped).as_py() or 0
        return table.filter(pc.invert(skipped))

    def _parse(self, body: bytes | bytearray, starts, ends, slow) -> pa.Table | None:
        """The needed columns of the lines not ``slow``; None if a row has another width."""
        data: bytes | bytearray
        if slow.any():
            keep = ~slow
            # Runs of consecutive plain lines, joined into one buffer.
            edges = np.flatnonzero(np.diff(np.concatenate(([0], keep, [0])).astype(np.int8)))
            data = b"".join(body[starts[a] : ends[b - 1] + 1] for a, b in edges.reshape(-1, 2))
        else:
            data = body
        width = self.width or max(self.widths)
        names = [f"c{i}" for i in range(width)]
        needed = [f"c{self.columns.index(n)}" for n in _NEEDED if self.columns.index(n) < width]
        bad = []

        def invalid(row) -> str:
            bad.append(row)
            return "skip"

        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22,
                                           use_threads=_THREADS),
            parse_options=pacsv.ParseOptions(
                delimiter="\t", quote_char=False, escape_char=False,
                ignore_empty_lines=False, invalid_row_handler=invalid,
            ),  # fmt: skip
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in needed}, include_columns=needed,
                # Only lines of printable ASCII come here: valid UTF-8 without a check.
                strings_can_be_null=False, check_utf8=False,
            ),  # fmt: skip
        )
        return None if bad else table

    # -- the row reader's path ------------------------------------------------------------

    def _error(self, number: int, message: str) -> None:
        self.errors.append((number, str(SourceError(self.path, message, number))))

    def _slow_segment(self, raw: bytes | bytearray, number: int) -> int:
        """Read the lines of ``raw`` (one line as split on line feeds; lone carriage
        returns may make it several) as the row reader does; returns the next number."""
        text = raw.decode("utf-8", "replace")
        for match in _BREAKS.finditer(text):
            line = match.group()
            if not line:
                continue
            self._slow_line(line, number)
            number += 1
        return number

    def _slow_line(self, line: str, number: int) -> None:
        ends = line.endswith(("\n", "\r"))
        if len(line) > MAX_ROW_CHARS and not (len(line) == MAX_ROW_CHARS + 1 and ends):
            error = f"line too long ({len(line):,} characters; limit {MAX_ROW_CHARS:,})"
            self._error(number, error)
            return
        if "\0" in line:
            self._error(number, "NUL byte in the row")
            return
        if not line.strip():
            return
        cells = clean_cells(line.rstrip("\r\n")).split("\t")
        if not self.header_done:
            self.header_done = True
            if cells[0].strip() == "GLOBALEVENTID":
                return
        self._event(cells, number, counted=False)

    def _event(self, cells: list[str], number: int, counted: bool) -> None:
        """Parse one row as ``read_gdelt`` does, keeping its event for the stage.

        ``counted``: the row is already counted in ``report.rows`` (SQL counted it).
        """
        if not counted:
            self.report.rows += 1
        try:
            event = self.parse(cells, number)
        except ValueError as exc:
            self._error(number, str(exc))
            return
        if event is None:
            return
        try:
            self.dates.check(event.date.value, "event date")
        except ValueError as exc:
            self._error(number, str(exc))
            return
        if not self.keep.keeps(event.source.code, event.target.code, event.root):
            self.report.filtered += 1
            return
        self.report.events += 1
        self.slow.append((*event_row(event, event.coder), *gdelt_extras(cells, self.version),
                          number, record_no(event.doc_id, event.dataset),
                          *provenance_row(event)))  # fmt: skip


def _title(name: str) -> str:
    """SQL for Python's ``str.title()`` of an ASCII text, NULL for an empty one."""
    return (
        f"CASE WHEN {name} = '' THEN NULL ELSE array_to_string(list_transform("
        f"regexp_extract_all({name}, '[A-Za-z]+|[^A-Za-z]+'), lambda w: CASE WHEN "
        "regexp_full_match(w[1], '[A-Za-z]') THEN upper(w[1]) || lower(w[2:]) ELSE w END), "
        "'') END"
    )


def _count(name: str) -> str:
    """SQL for a GDELT count as ``gdelt_extras`` reads it: a whole number below 2**31
    (which is what fits an INTEGER: TRY_CAST gives NULL for the rest)."""
    return (
        f"CASE WHEN regexp_full_match({name}, '[0-9]{{1,10}}') "
        f"THEN TRY_CAST({name} AS INTEGER) END"
    )


def _coordinate(name: str, limit: int) -> str:
    """SQL for a coordinate as ``datasets.coordinate`` reads it: a plain decimal number
    within ``-limit..limit``, else NULL."""
    number = r"'-?[0-9]{1,20}(\.[0-9]{1,30})?'"
    return (
        f"CASE WHEN regexp_full_match({name}, {number}) AND "
        f"CAST({name} AS DOUBLE) BETWEEN -{limit} AND {limit} THEN CAST({name} AS DOUBLE) END"
    )


def _ahead(
    batches: Iterator[pa.RecordBatch], reader: _Reader, depth: int = 8
) -> Generator[pa.RecordBatch, None, None]:
    """``batches``, made in a thread of their own up to ``depth`` ahead of the reader
    (so that the thread reads on while DuckDB inserts).

    Reading, NumPy and Arrow's parser let go of the GIL, so the next block is read and
    parsed while DuckDB maps and writes the last one. An error in the thread is raised
    here, and kept as ``reader.failure``; a reader that stops early stops the thread.
    """
    slots: queue.Queue[tuple[str, Any]] = queue.Queue(depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        slots.put(("batch", batch), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            item: tuple[str, Any] = ("end", None)
        except BaseException as exc:  # handed to the reader, raised there
            item = ("error", exc)
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    worker = threading.Thread(target=produce, name="equipoise-gdelt-reader", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = slots.get()
            if kind == "end":
                return
            if kind == "error":
                reader.failure = value
                raise value
            yield value
    finally:
        stop.set()
        worker.join()


def _forget(con: duckdb.DuckDBPyConnection, tag: int) -> None:
    """Drop the stream and functions an import registered on the connection.

    After a failed statement DuckDB refuses this until the transaction is rolled back:
    the functions then stay, unused (their names are this import's own, ``tag``).
    """
    with suppress(duckdb.Error, KeyError):
        con.unregister("_equipoise_gdelt_rows")
    for name in ("no_actor", "domestic", "filtered", "redo"):
        with suppress(duckdb.Error):
            con.remove_function(f"_equipoise_{name}_{tag}")


def _insert_events(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]], import_id: int
) -> None:
    """Insert rows of ``_COLUMNS`` but the import id, which is ``import_id`` for all."""
    if not rows:
        return
    names = [c for c in _COLUMNS if c != "import_id"]
    values = zip(*rows, strict=True)
    frame = pa.table({name: pa.array(column) for name, column in zip(names, values, strict=True)})
    con.register("_equipoise_slow_rows", frame)
    try:
        listed = ", ".join(f'"{c}"' for c in names)
        con.execute(f'INSERT INTO events ({listed}, "import_id") '
                    f"SELECT {listed}, {int(import_id)} FROM _equipoise_slow_rows")
    finally:
        con.unregister("_equipoise_slow_rows")


# YYYYMMDD with a day that every month has, in a year from 0001: surely a valid date.
_SAFE_DAY = r"^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})" \
    r"(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])$"


@dataclass(frozen=True)
class _Lookups:
    """The row reader's lookups as Arrow arrays: state codes and their ISO3, known group
    codes and their blocs, CAMEO codes."""

    states: pa.Array
    isos: pa.Array
    groups: pa.Array
    blocs: pa.Array
    cameo: pa.Array


@functools.cache
def _lookups() -> _Lookups:
    fixes, groups = _cameo_codes()
    isos = _actor_names()[0]
    states = {code: code for code in isos if code not in fixes}
    states |= {code: iso for code, iso in fixes.items() if iso is not None and iso in isos}
    return _Lookups(
        pa.array(list(states)), pa.array(list(states.values())),
        pa.array(list(groups)), pa.array(list(groups.values())),
        pa.array(list(cameo_table())),
    )  # fmt: skip


def _reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary tables of what the row reader looks up in Python: CAMEO codes, states,
    blocs and sectors, filled from the same package tables."""
    fixes, groups = _cameo_codes()
    isos = _actor_names()[0]
    states = {code: code for code in isos if code not in fixes}
    states |= {code: iso for code, iso in fixes.items() if iso is not None and iso in isos}
    cameo: list[tuple[Any, ...]] = [(e.code, e.root, e.quad, e.goldstein, e.plover_event)
                                    for e in cameo_table().values()]  # fmt: skip
    tables: dict[str, tuple[str, list[tuple[Any, ...]]]] = {
        "_equipoise_cameo": ("code VARCHAR, root VARCHAR, quad TINYINT, goldstein DOUBLE, "
                             "plover VARCHAR", cameo),  # fmt: skip
        "_equipoise_state": ("code VARCHAR, iso VARCHAR", sorted(states.items())),
        "_equipoise_bloc": ("code VARCHAR, bloc VARCHAR", sorted(groups.items())),
        "_equipoise_sector": ("code VARCHAR, sector VARCHAR", sorted(_GDELT_SECTORS.items())),
    }
    for name, (columns, rows) in tables.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
        names = [c.split()[0] for c in columns.split(", ")]
        columns_of = list(zip(*rows, strict=True))
        values = pa.table({n: list(v) for n, v in zip(names, columns_of, strict=True)})
        con.register("_equipoise_values", values)
        try:
            con.execute(f"INSERT INTO {name} SELECT * FROM _equipoise_values")
        finally:
            con.unregister("_equipoise_values")

