"""The DuckDB file that holds documents, which coder has seen them, and events.

DuckDB lets one process write a database file at a time. While a writer
(``ingest``, ``code``) has the file open, no other process can open it, not
even read-only; several read-only Stores can share the file once no writer
holds it. Within one process, open a file either writable or read-only, not both.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any, Self

import duckdb
import numpy as np
import pandas as pd
import pyarrow as _pa
import pyarrow.compute as _pc

from equipoise.errors import EquipoiseError
from equipoise.records import Document, Event

SCHEMA_VERSION = "6"
# Where imported records came from (records.Provenance): NULL for every row stored before,
# as for coded events. A step of its own so that it can be renumbered among other steps.
_PROVENANCE_MIGRATION = (
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS publisher VARCHAR",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS place_name VARCHAR",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS place_admin VARCHAR",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS place_country VARCHAR",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS latitude DOUBLE",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS longitude DOUBLE",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS story_id VARCHAR",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS notes VARCHAR",
)
# Statements that bring a store of the key's version to the next one.
_MIGRATIONS = {
    "1": (
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS source_text VARCHAR",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS target_text VARCHAR",
    ),
    # Every coding of a version-2 store was a success.
    "2": (
        "ALTER TABLE codings ADD COLUMN IF NOT EXISTS status VARCHAR DEFAULT 'ok'",
        "ALTER TABLE codings ADD COLUMN IF NOT EXISTS reason VARCHAR",
    ),
    # What GDELT says of each of its events; NULL for every row stored before.
    "3": (
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS num_mentions INTEGER",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS num_sources INTEGER",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS num_articles INTEGER",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS avg_tone DOUBLE",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS source_url VARCHAR",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS date_added TIMESTAMP",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS import_id BIGINT",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS import_line BIGINT",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS record_no BIGINT",
        # The record ids of rows imported before, as numbers (see _RECORD_NO).
        "UPDATE events SET record_no = TRY_CAST(substr(doc_id, length(dataset) + 2) AS BIGINT) "
        "WHERE dataset <> 'equipoise' AND starts_with(doc_id, dataset || ':')",
    ),
    # GDELT's IsRootEvent, which stories use to choose a story's lead report; NULL for
    # every row stored before (a re-import fills it).
    "4": ("ALTER TABLE events ADD COLUMN IF NOT EXISTS is_root BOOLEAN",),
    "5": _PROVENANCE_MIGRATION,
}
# Documents whose latest coding by a coder failed, and those it never coded.
_COUNT_FAILED = (
    "SELECT count(*) FROM codings c JOIN documents d ON d.id = c.doc_id "
    "WHERE c.coder = ? AND c.status = 'failed'"
)
_COUNT_UNCODED = (
    "SELECT count(*) FROM documents d WHERE NOT EXISTS "
    "(SELECT 1 FROM codings c WHERE c.doc_id = d.id AND c.coder = ?)"
)
_BATCH = 100  # rows per INSERT, and documents per commit in add_documents
# DuckDB's buffer pool during a bulk load. Its default (most of the machine's memory) lets
# it keep every block the load writes, so the process would grow with the file; bounded,
# it writes them out and reuses the memory.
BULK_MEMORY = "512MB"
DEFAULT_DB = "equipoise.duckdb"
DB_ENV = "EQUIPOISE_DB"

_DOCUMENT_COLUMNS = ("id", "ref", "url", "title", "source", "published", "text")
_EVENT_COLUMNS = (
    "doc_id", "sent_start", "sent_end", "sentence",
    "source", "source_country", "source_sector",
    "target", "target_country", "target_sector",
    "cameo", "root", "quad", "goldstein", "plover",
    "event_date", "date_precision", "symmetric", "reported", "trigger",
    "source_text", "target_text", "coder", "dataset",
)  # fmt: skip
# Fields of an imported dataset's record kept beside the event (GDELT's counts of mentions,
# sources and articles, its average tone, source URL and when it added the record); NULL
# for coded events and for datasets without them.
GDELT_COLUMNS = (
    "num_mentions", "num_sources", "num_articles", "avg_tone", "source_url", "date_added",
    "is_root",
)  # fmt: skip
# Where a bulk-imported row came from: the import (meta's import_count then) and the line;
# and the dataset's record id as a number when it is one (GDELT's GLOBALEVENTID), which a
# re-import's DELETE bounds by range, so that DuckDB skips the row groups of other ids.
IMPORT_COLUMNS = ("import_id", "import_line", "record_no")
# Where an imported record came from (records.Provenance, field for field); NULL for coded
# events and for what a dataset does not say.
PROVENANCE_COLUMNS = (
    "publisher", "place_name", "place_admin", "place_country", "latitude", "longitude",
    "story_id", "notes",
)  # fmt: skip
ALL_EVENT_COLUMNS = _ALL_EVENT_COLUMNS = (
    _EVENT_COLUMNS + GDELT_COLUMNS + IMPORT_COLUMNS + PROVENANCE_COLUMNS
)
# The columns of an event listing (api.load_events, the report's table): each event's own,
# and where an imported record came from.
LISTING_COLUMNS = _EVENT_COLUMNS + PROVENANCE_COLUMNS
# What alignment reads of each event (equipoise.analysis.align): both actors, the event's
# class, weights (Goldstein, PLOVER) and date, its document (the bootstrap resamples
# documents), the fields that tell one symmetric event stored as two mirrored rows, and
# GDELT's flag of the article's lead event, which leads a story (analysis/stories.py).
DYAD_COLUMNS: tuple[str, ...] = (
    "doc_id", "sent_start", "sent_end",
    "source", "source_country", "source_sector",
    "target", "target_country", "target_sector",
    "cameo", "quad", "goldstein", "plover", "event_date", "symmetric", "coder", "dataset",
    "num_mentions", "num_sources", "is_root",
)  # fmt: skip


class StoreError(EquipoiseError):
    """The database file cannot be used: missing, locked, foreign or of another version."""


def resolve_db_path(option: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: the ``--db`` option, else $EQUIPOISE_DB, else ./equipoise.duckdb."""
    chosen = option or os.environ.get(DB_ENV) or DEFAULT_DB
    return Path(chosen).expanduser()


class EventReader:
    """Read-only queries over a DuckDB connection that has ``events`` and ``documents``
    (and, in a store, ``codings`` and ``judgements``): what analysis reads, the same SQL
    whether the events are in a store file or in a Parquet dataset
    (:class:`equipoise.store.parquet.ParquetEvents`). Use as a context manager."""

    _con: duckdb.DuckDBPyConnection
    path: Path

    # -- lifecycle -----------------------------------------------------------

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def dyad_frame(
        self,
        focal: str,
        poles: Iterable[str],
        start: dt.date | None = None,
        end: dt.date | None = None,
        columns: Iterable[str] | None = DYAD_COLUMNS,
        coder: str | None = None,
        documents: bool = False,
        members: Mapping[str, Iterable[str]] | None = None,
        background: bool = True,
    ) -> pd.DataFrame:
        """Events between ``focal`` and any of ``poles``, either direction, filtered in SQL.

        ``background=False`` leaves out background events: those dated only to a year
        before the year their document was published ("since the early 1990s"), which
        are history recalled, not news of the period.

        An actor stands for a code when its ``source``/``target`` code or its country
        is that code or, for a bloc code, one of the states ``members`` lists for it
        (every state that was ever a member: whether it was one on the event date is
        for the analysis to say). A row is kept when one actor stands for ``focal``
        and the other for a pole, so the rows hold every event that
        :func:`equipoise.analysis.dyad_events` can find between them in the whole
        store, and few others. Reading only these rows, and by default only the
        ``DYAD_COLUMNS`` alignment reads, keeps reads from a large store small and fast.

        ``columns`` names the ``events`` columns to return (None for those of
        :meth:`events_frame`; a dataset's own, ``GDELT_COLUMNS``, only when named);
        ``documents`` adds each document's ``doc_url``, ``doc_title`` and ``published``;
        ``start``/``end`` bound ``event_date`` inclusively; ``coder`` keeps one coder's
        events. Rows come in the order of :meth:`events_frame`; dates as pandas datetimes.
        """
        chosen = list(LISTING_COLUMNS if columns is None else dict.fromkeys(columns))
        unknown = [c for c in chosen if c not in _ALL_EVENT_COLUMNS]
        if unknown:
            raise ValueError(f"not an events column: {', '.join(map(repr, unknown))}")
        if not chosen:
            raise ValueError("columns must name at least one events column")
        if isinstance(poles, str):
            poles = [poles]
        expand = {_actor_code(k): [_actor_code(m) for m in v] for k, v in (members or {}).items()}

        def codes(wanted: Iterable[str]) -> list[str]:
            found: dict[str, None] = {}
            for code in map(_actor_code, wanted):
                found |= dict.fromkeys([code, *expand.get(code, ())])
            return list(found)

        focal_codes, pole_codes = codes([focal]), codes(poles)
        where: list[str] = []
        params: list[Any] = []
        if pole_codes:
            sides = []  # focal -> pole, then pole -> focal
            for side, values in (
                ("source", focal_codes), ("target", pole_codes),
                ("source", pole_codes), ("target", focal_codes),
            ):  # fmt: skip
                marks = ", ".join("?" * len(values))
                sides.append(f"(e.{side} IN ({marks}) OR e.{side}_country IN ({marks}))")
                params += values * 2
            where.append(f"(({sides[0]} AND {sides[1]}) OR ({sides[2]} AND {sides[3]}))")
        else:
            where.append("false")
        _window(where, params, start, end, coder, self._recoded())
        self._partition_window(where, params, start, end)
        if self._has_table("judgements"):
            where.append(_NOT_EXCLUDED)
        # What telling background events needs, read for it when not asked for.
        extra = [] if background else [
            c for c in ("doc_id", "event_date", "date_precision") if c not in chosen]
        select = ", ".join(f'e."{c}"' for c in [*chosen, *extra])
        join = ""
        if documents:
            select += ", d.url AS doc_url, d.title AS doc_title, d.published"
            join = " LEFT JOIN documents d ON d.id = e.doc_id"
        # Ties of a sentence's several events are broken by their actors and code, so
        # the same events come in the same order whatever order they were stored in.
        sql = (
            f"SELECT {select} FROM events e{join} WHERE "
            + " AND ".join(where)
            + " ORDER BY e.event_date, e.doc_id, e.sent_start, e.source, e.target, e.cameo, "
            "e.sent_end, e.trigger"
        )
        table = _arrow(self._con, sql, params)
        if not background:
            table = self._without_recalled(table).drop_columns(extra)
        return _pandas(table)

    def _without_recalled(self, rows: _pa.Table) -> _pa.Table:
        """``rows`` (read with ``doc_id``, ``event_date`` and ``date_precision``) without
        background events: those dated only to a year before their document's year.

        Only year-precise rows can be: their documents are looked up for them alone
        (a few in a hundred), once the rows are read, rather than in a second scan of
        the events."""
        year = _pc.fill_null(_pc.equal(rows["date_precision"], "year"), False)
        if not _pc.any(year).as_py():
            return rows
        candidates = _pa.table({
            "row": _pa.array(np.flatnonzero(year.to_numpy(zero_copy_only=False))),
            "doc_id": rows["doc_id"].filter(year), "event_date": rows["event_date"].filter(year),
        })  # fmt: skip
        with self._con.cursor() as cursor:
            cursor.register("year_rows", candidates)
            recalled = cursor.execute(
                "SELECT y.row FROM year_rows y JOIN documents bd ON bd.id = y.doc_id "
                "WHERE year(bd.published) > year(y.event_date)").fetchnumpy()["row"]
        if not len(recalled):
            return rows
        # A few rows go: the slices between them are kept as they are, where a filter
        # would copy every column.
        gone = np.unique(np.asarray(recalled, dtype=np.int64))
        starts, ends = np.r_[0, gone + 1], np.r_[gone, rows.num_rows]
        return _pa.concat_tables([rows.slice(a, b - a) for a, b in zip(starts, ends, strict=True)
                                  if b > a] or [rows.slice(0, 0)])

    def has_actor(self, code: str) -> bool:
        """Whether any event has ``code`` as its source or target, by code or country."""
        code = _actor_code(code)
        return self._con.execute(  # type: ignore[index]  # aggregates give one row
            "SELECT EXISTS (SELECT 1 FROM events WHERE source = ? OR target = ? "
            "OR source_country = ? OR target_country = ?)",
            [code] * 4,
        ).fetchone()[0]

    def actor_counts(
        self, partners_of: str | None = None, limit: int | None = None
    ) -> list[tuple[str, int]]:
        """Actor codes with their number of event rows, most first (then by code).

        Without ``partners_of``: every code found as source or target (an event with the
        same code on both sides counts once). With it: the actors that code's events are
        with, matched on code or country, leaving out events within that actor.
        """
        params: list[Any] = []
        if partners_of is None:
            sql = (
                "SELECT code, count(*) AS n FROM ("
                " SELECT source AS code FROM events"
                " UNION ALL SELECT target FROM events WHERE target IS DISTINCT FROM source"
                ") GROUP BY code ORDER BY n DESC, code"
            )
        else:
            sql = (
                "SELECT partner, count(*) AS n FROM ("
                " SELECT target AS partner FROM events"
                "  WHERE (source = ? OR source_country = ?) AND target <> ?"
                "  AND target_country IS DISTINCT FROM ?"
                " UNION ALL SELECT source FROM events"
                "  WHERE (target = ? OR target_country = ?) AND source <> ?"
                "  AND source_country IS DISTINCT FROM ?"
                ") GROUP BY partner ORDER BY n DESC, partner"
            )
            params = [_actor_code(partners_of)] * 8
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [(str(code), int(n)) for code, n in self._con.execute(sql, params).fetchall()]

    def pole_volumes(
        self,
        poles: Mapping[str, Iterable[str]],
        start: dt.date | None = None,
        end: dt.date | None = None,
        background: bool = True,
    ) -> pd.DataFrame:
        """How much of the news each pole is: its events with anyone, per month.

        ``poles`` maps each pole code to the codes that stand for it (itself and, for a
        bloc, every state that was ever a member); an event counts for a pole when its
        source or target code or country is one of them. Returns ``pole``,
        ``event_date`` (the first day of the month) and ``n``, months without events
        left out. ``start``/``end`` and ``background`` filter as in :meth:`dyad_frame`;
        excluded events are left out.
        """
        names = list(poles)
        if not names:
            return pd.DataFrame({"pole": pd.Series(dtype=object),
                                 "event_date": pd.Series(dtype="datetime64[ns]"),
                                 "n": pd.Series(dtype="int64")})
        # One scan for every pole: a count per pole, each with its own filter.
        conditions, params = [], []
        for pole in names:
            wanted = list(dict.fromkeys([_actor_code(pole), *map(_actor_code, poles[pole])]))
            marks = ", ".join("?" * len(wanted))
            conditions.append("(" + " OR ".join(
                f"e.{column} IN ({marks})"
                for column in ("source", "source_country", "target", "target_country")) + ")")
            params.append(wanted * 4)
        counts = ", ".join(f'count(*) FILTER (WHERE {c}) AS "{i}"'
                           for i, c in enumerate(conditions))
        where = ["(" + " OR ".join(conditions) + ")"]
        values: list[Any] = [v for p in params for v in p] * 2
        _window(where, values, start, end, None, self._recoded())
        if not background:
            where.append(_NOT_BACKGROUND)
        if self._has_table("judgements"):
            where.append(_NOT_EXCLUDED)
        sql = (f"SELECT CAST(date_trunc('month', e.event_date) AS DATE) AS event_date, {counts} "
               "FROM events e WHERE " + " AND ".join(where) + " GROUP BY 1 ORDER BY 1")
        wide = self._con.execute(sql, values).df()
        long = wide.melt(id_vars="event_date", var_name="pole", value_name="n")
        long["pole"] = [names[int(i)] for i in long["pole"]]
        long = long[long["n"] > 0]
        return long[["pole", "event_date", "n"]].reset_index(drop=True)

    def _recoded(self) -> bool:
        """Whether any document has been coded by more than one coder version."""
        return self._con.execute(  # type: ignore[index]  # aggregates give one row
            "SELECT EXISTS (SELECT doc_id FROM codings WHERE status = 'ok' "
            "GROUP BY doc_id HAVING count(*) > 1)"
        ).fetchone()[0]

    def _has_table(self, name: str) -> bool:
        """Whether the store has table ``name`` (a store written by an older equipoise and
        opened read-only may lack the newest ones)."""
        row = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_name = ?", [name]).fetchone()
        return bool(row and row[0])

    def _partition_window(
        self, where: list[str], params: list[Any], start: dt.date | None, end: dt.date | None
    ) -> None:
        """Conditions on how the events are laid out that skip whole files outside the
        window; none in a store."""

    def stats(self) -> dict[str, Any]:
        """Counts of documents, events, coded documents and documents no coder could code,
        and the span of event dates."""
        raise NotImplementedError

    def judgements(self) -> pd.DataFrame:
        """Every judgement of the analyst, with the sentence and quad of its event."""
        raise NotImplementedError


class Store(EventReader):
    """Documents and events in one DuckDB file. Use as a context manager."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such database; ingest some documents first")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            # Only a lock means another process: other I/O errors are the file's own.
            busy = "; another process is writing it (DuckDB allows one writer)" \
                if "lock" in str(exc).lower() else ""
            raise StoreError(f"{self.path}: cannot open ({exc}){busy}") from exc
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open: {exc}") from exc
        try:
            self._prepare()
        except BaseException:
            self._con.close()
            raise

    def _prepare(self) -> None:
        tables = {
            row[0]
            for row in self._con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        if "meta" in tables:
            row = self._con.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
            found = row[0] if row else None
            if found in _MIGRATIONS and not self.read_only:
                self._migrate(found)
                found = SCHEMA_VERSION
            if found != SCHEMA_VERSION:
                hint = " (open it once for writing, e.g. `equipoise code`, to upgrade it)" \
                    if found in _MIGRATIONS else ""
                raise StoreError(
                    f"{self.path}: store schema version {found!r} is not supported "
                    f"(this equipoise reads version {SCHEMA_VERSION}){hint}"
                )
        elif tables:
            raise StoreError(f"{self.path}: not an equipoise store (no meta table)")
        elif self.read_only:
            raise StoreError(f"{self.path}: empty database; ingest some documents first")
        if not self.read_only:
            schema = resources.files("equipoise.store").joinpath("schema.sql").read_text("utf-8")
            with self._transaction() as con:
                con.execute(schema)
                con.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
                    [SCHEMA_VERSION],
                )

    def _migrate(self, version: str) -> None:
        """Upgrade the schema one version at a time, each step in one transaction."""
        while version in _MIGRATIONS:
            with self._transaction() as con:
                for statement in _MIGRATIONS[version]:
                    con.execute(statement)
                version = str(int(version) + 1)
                con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [version])

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self._con.begin()
        try:
            yield self._con
            self._con.commit()
        except BaseException:
            # A failed statement or commit may already have ended the transaction.
            with suppress(duckdb.Error):
                self._con.rollback()
            raise

    @contextmanager
    def _bounded_memory(self) -> Iterator[None]:
        """DuckDB's memory limit at ``BULK_MEMORY`` for a while, then at its default (a
        store never sets another)."""
        self._con.execute(f"SET memory_limit = '{BULK_MEMORY}'")
        try:
            yield
        finally:
            self._con.execute("RESET memory_limit")

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")

    # -- documents -----------------------------------------------------------

    def add_document(self, doc: Document) -> bool:
        """Store ``doc``; False if a document with the same id (same text) is already in."""
        self._writable()
        with self._transaction() as con:
            inserted = _insert_rows(
                con, "documents", _DOCUMENT_COLUMNS, [_document_row(doc)], skip_existing=True
            )
            return inserted == 1

    def add_documents(self, docs: Iterable[Document]) -> tuple[int, int]:
        """Store documents, committing every 100; returns (added, already present).

        ``docs`` is consumed lazily, so it can be a generator that reports bad
        files as it goes. An error loses at most the batch in hand.
        """
        self._writable()
        added = seen = 0
        rows = (_document_row(doc) for doc in docs)
        while batch := list(islice(rows, _BATCH)):
            with self._transaction() as con:
                added += _insert_rows(
                    con, "documents", _DOCUMENT_COLUMNS, batch, skip_existing=True
                )
            seen += len(batch)
        return added, seen - added

    def uncoded_documents(self, coder: str, limit: int | None = None) -> list[Document]:
        """Documents ``coder`` has not tried yet, oldest publication first.

        A document ``coder`` failed on is not among them: see :meth:`failed_documents`.
        """
        return _documents(
            self._con,
            "WHERE NOT EXISTS (SELECT 1 FROM codings c WHERE c.doc_id = d.id AND c.coder = ?) "
            "ORDER BY d.published NULLS LAST, d.ingested_at, d.id LIMIT ?",
            [coder, limit],
        )

    def uncoded_after(
        self, coder: str, limit: int, after: str | None = None
    ) -> list[Document]:
        """Documents ``coder`` has not tried yet, by id, starting past ``after``.

        Reading page after page with ``after`` visits each once, even while the
        documents of earlier pages are still being coded elsewhere.
        """
        return _documents(
            self._con,
            "WHERE d.id > coalesce(?, '') AND NOT EXISTS "
            "(SELECT 1 FROM codings c WHERE c.doc_id = d.id AND c.coder = ?) "
            "ORDER BY d.id LIMIT ?",
            [after, coder, limit],
        )

    def failed_documents(
        self, coder: str, limit: int | None = None, after: str | None = None
    ) -> list[Document]:
        """Documents ``coder`` failed on, by id; ``after`` starts past that id.

        Reading page after page with ``after`` visits each once, even when coding
        one fails again.
        """
        return _documents(
            self._con,
            "JOIN codings c ON c.doc_id = d.id AND c.coder = ? AND c.status = 'failed' "
            "WHERE d.id > coalesce(?, '') ORDER BY d.id LIMIT ?",
            [coder, after, limit],
        )

    def count_failed(self, coder: str) -> int:
        return _count(self._con, _COUNT_FAILED, [coder])

    def count_uncoded(self, coder: str) -> int:
        return _count(self._con, _COUNT_UNCODED, [coder])

    def documents_frame(self) -> pd.DataFrame:
        """Every document's metadata and length in characters, without the text."""
        return self._con.execute(
            "SELECT id, ref, url, title, source, published, ingested_at, "
            "length(text) AS n_chars FROM documents ORDER BY published NULLS LAST, id"
        ).df()

    def document_urls(self) -> set[str]:
        """The URL of every stored document that has one."""
        rows = self._con.execute(
            "SELECT DISTINCT url FROM documents WHERE url IS NOT NULL").fetchall()
        return {url for (url,) in rows}

    # -- events --------------------------------------------------------------

    def replace_events(
        self, doc_id: str, coder: str, events: list[Event], note: str | None = None
    ) -> None:
        """Make ``events`` the whole of ``coder``'s output for ``doc_id``, atomically.

        Previous events of that coder for that document are removed and the
        document is marked as coded (even with no events), all in one
        transaction: on any error nothing changes. ``note`` is kept as the
        coding's reason (e.g. a sentence coded in pieces).
        """
        self._writable()
        for event in events:
            if event.doc_id != doc_id:
                raise ValueError(f"event of document {event.doc_id!r} given for {doc_id!r}")
        with self._transaction() as con:
            con.execute("DELETE FROM events WHERE doc_id = ? AND coder = ?", [doc_id, coder])
            if events:
                rows = [_event_row(e, coder) for e in events]
                _insert_rows(con, "events", _EVENT_COLUMNS, rows)
            _set_coding(con, doc_id, coder, len(events), "ok", note)

    def record_failure(self, doc_id: str, coder: str, reason: str) -> None:
        """Note that ``coder`` could not code ``doc_id``, and why; none of its events stay."""
        self._writable()
        with self._transaction() as con:
            con.execute("DELETE FROM events WHERE doc_id = ? AND coder = ?", [doc_id, coder])
            _set_coding(con, doc_id, coder, 0, "failed", reason)

    def events_frame(
        self,
        actors: Iterable[str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        coder: str | None = None,
    ) -> pd.DataFrame:
        """Events (``LISTING_COLUMNS``: with an imported record's provenance), each with its
        document's ``doc_url``, ``doc_title`` and ``published``.

        ``actors`` keeps events whose source or target code is one of them;
        ``start``/``end`` bound ``event_date`` inclusively; ``coder`` keeps one
        coder's events. Dates come back as pandas datetimes.
        """
        where: list[str] = []
        params: list[Any] = []
        if actors is not None:
            codes = [a.strip().upper() for a in actors]
            where.append("(list_contains(?, e.source) OR list_contains(?, e.target))")
            params += [codes, codes]
        _window(where, params, start, end, coder, self._recoded())
        columns = ", ".join(f'e."{c}"' for c in LISTING_COLUMNS)
        sql = (
            f"SELECT {columns}, d.url AS doc_url, d.title AS doc_title, d.published "
            "FROM events e LEFT JOIN documents d ON d.id = e.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY e.event_date, e.doc_id, e.sent_start"
        )
        return self._con.execute(sql, params).df()

    def judge(self, doc_id: str, sent_start: int, source: str, target: str, root: str, *,
              verdict: str, reason: str, who: str, cameo: str | None = None) -> None:
        """Record the analyst's judgement of one coded event: ``exclude`` leaves it out of
        every analysis, ``miscoded`` (with the right ``cameo``) marks it for correction.
        The event must exist; judging it again replaces the judgement."""
        if verdict not in ("exclude", "miscoded"):
            raise StoreError(f"verdict must be exclude or miscoded, got {verdict!r}")
        if not reason.strip():
            raise StoreError("a judgement needs a reason")
        found = self._con.execute(
            "SELECT count(*) FROM events WHERE doc_id = ? AND sent_start = ? AND source = ? "
            "AND target = ? AND root = ?", [doc_id, sent_start, source, target, root],
        ).fetchone()
        if not found or not found[0]:
            raise StoreError(f"no event {source}->{target} root {root} at {doc_id}:{sent_start}")
        with self._transaction() as con:
            con.execute(
                "INSERT OR REPLACE INTO judgements (doc_id, sent_start, source, target, root, "
                "verdict, cameo, reason, who) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc_id, sent_start, source, target, root, verdict, cameo, reason.strip(), who],
            )

    def unjudge(self, doc_id: str, sent_start: int, source: str, target: str, root: str) -> bool:
        """Withdraw a judgement; whether there was one."""
        with self._transaction() as con:
            gone = con.execute(
                "DELETE FROM judgements WHERE doc_id = ? AND sent_start = ? AND source = ? "
                "AND target = ? AND root = ? RETURNING 1",
                [doc_id, sent_start, source, target, root]).fetchall()
        return bool(gone)

    def judgements(self) -> pd.DataFrame:
        """Every judgement, with the sentence and quad of the event it is about."""
        if not self._has_table("judgements"):
            return pd.DataFrame(columns=["doc_id", "sent_start", "source", "target", "root",
                                         "verdict", "cameo", "reason", "who", "judged_at"])
        return _frame(self._con,
                      "SELECT j.*, any_value(e.sentence) AS sentence, any_value(e.quad) AS quad, "
                      "any_value(e.cameo) AS coded_cameo FROM judgements j LEFT JOIN events e "
                      "ON e.doc_id = j.doc_id AND e.sent_start = j.sent_start AND "
                      "e.source = j.source AND e.target = j.target AND e.root = j.root "
                      "GROUP BY ALL ORDER BY j.judged_at", [])

    def stats(self) -> dict[str, Any]:
        """Counts of documents, events, coded documents and documents no coder could code,
        and the span of event dates."""
        docs, events, coded, failed, first, last = self._con.execute(  # type: ignore[misc]  # aggregates give one row
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events), "
            "(SELECT count(DISTINCT doc_id) FROM codings WHERE status = 'ok'), "
            "(SELECT count(DISTINCT doc_id) FROM codings c WHERE status = 'failed' AND NOT "
            "EXISTS (SELECT 1 FROM codings o WHERE o.doc_id = c.doc_id AND o.status = 'ok')), "
            "(SELECT min(event_date) FROM events), (SELECT max(event_date) FROM events)"
        ).fetchone()
        return {
            "documents": docs,
            "events": events,
            "coded_documents": coded,
            "failed_documents": failed,
            "first_event": first,
            "last_event": last,
        }

    def get_meta(self, key: str) -> str | None:
        """The value ``key`` holds in the store's ``meta`` table, or None."""
        row = self._con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set ``key`` in the store's ``meta`` table (bookkeeping such as the files fetched)."""
        self._writable()
        with self._transaction() as con:
            con.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                "SET value = excluded.value",
                [key, value],
            )

    def events_table(self) -> Any:
        """Every event as a pyarrow Table of the event and GDELT columns, in the order of
        the import's lines (for writing Parquet without going through pandas)."""
        columns = ", ".join(_quoted(_EVENT_COLUMNS + GDELT_COLUMNS))
        with self._con.cursor() as cursor:
            relation = cursor.sql(
                f"SELECT {columns} FROM events ORDER BY import_id, import_line, doc_id"
            )
            # duckdb 2 names it to_arrow_table; before, arrow() returned the table.
            if hasattr(relation, "to_arrow_table"):
                return relation.to_arrow_table()
            return relation.arrow()

    def add_dataset_events(
        self,
        events: Iterable[Event],
        dataset: str,
        source: str | os.PathLike[str] | None = None,
        chunk_size: int = 50_000,
    ) -> tuple[int, int]:
        """Store events imported from a dataset file; returns (added, replaced).

        All or nothing: the events go in within one transaction, so an error while
        ``events`` is read (a damaged archive halfway through) or an interruption
        leaves the store as it was, and the counts returned are what was stored.
        Idempotent: each event's ``doc_id`` is the dataset's record id, and rows of
        ``dataset`` with the ids of a chunk of ``chunk_size`` events are deleted before
        the chunk goes in, so importing a file again adds nothing. ``replaced`` counts
        events whose record id was already stored; an id given twice is stored once,
        the later event winning, and counts as replaced. Dataset rows have no document:
        ``doc_id`` does not refer to ``documents``. When ``source`` (the file) is
        given, the store's ``meta`` table notes when it was last imported and how many
        events it gave.
        """
        self._writable()
        added = replaced = 0
        rows = ((*_event_row(e, e.coder), *provenance_row(e)) for e in events)
        dataset_at = len(_EVENT_COLUMNS) - 1
        with self._transaction() as con:
            while batch := list(islice(rows, chunk_size)):
                strays = {row[dataset_at] for row in batch} - {dataset}
                if strays:
                    raise ValueError(
                        f"event of dataset {sorted(strays)[0]!r} given for {dataset!r}"
                    )
                # One row per id: the last of the chunk, as a later chunk replaces an earlier.
                unique = list({row[0]: row for row in batch}.values())
                stored = {
                    doc_id
                    for (doc_id,) in con.execute(
                        "DELETE FROM events WHERE dataset = ? AND doc_id IN "
                        "(SELECT unnest(?::VARCHAR[])) RETURNING doc_id",
                        [dataset, [row[0] for row in unique]],
                    ).fetchall()
                }
                numbered = [(*row, record_no(row[0], dataset)) for row in unique]
                _insert_rows(con, "events", (*_EVENT_COLUMNS, *PROVENANCE_COLUMNS, "record_no"),
                             numbered)  # fmt: skip
                again = sum(1 for row in unique if row[0] in stored) + len(batch) - len(unique)
                replaced += again
                added += len(batch) - again
            if source is not None:
                _note_import(con, dataset, source, added + replaced)
        return added, replaced


    def add_bulk_events(
        self,
        dataset: str,
        load: Callable[[duckdb.DuckDBPyConnection, int], None],
        source: str | os.PathLike[str] | None = None,
    ) -> tuple[int, int, int]:
        """Store the events a bulk loader writes; returns (added, replaced, duplicates).

        ``load(con, import_id)`` inserts rows of ``dataset`` into ``events`` with SQL on
        ``con``, each with ``import_id`` and its line in the file (``import_line``). It
        all happens in one transaction, so an error while loading (a damaged archive
        halfway through) or an interruption leaves the store as it was. As with
        :meth:`add_dataset_events`, stored rows of ``dataset`` with a loaded record id
        are replaced, with one DELETE for the whole file, and of loaded rows sharing an
        id only the one of the lowest line stays: the others count as ``duplicates``.
        """
        self._writable()
        with self._bounded_memory(), self._transaction() as con:
            (import_id,) = con.execute(  # type: ignore[misc]  # one row
                "INSERT INTO meta VALUES ('import_count', '1') ON CONFLICT (key) DO UPDATE "
                "SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS VARCHAR) RETURNING value"
            ).fetchone()
            import_id = int(import_id)
            load(con, import_id)
            strays = con.execute(
                "SELECT DISTINCT dataset FROM events WHERE import_id = ? AND dataset <> ? LIMIT 1",
                [import_id, dataset],
            ).fetchall()
            if strays:
                raise ValueError(f"event of dataset {strays[0][0]!r} given for {dataset!r}")
            total, unique = con.execute(  # type: ignore[misc]  # aggregates give one row
                "SELECT count(*), count(DISTINCT doc_id) FROM events WHERE import_id = ?",
                [import_id],
            ).fetchone()
            if total != unique:  # keep the first line of each record id
                con.execute(
                    "DELETE FROM events WHERE import_id = ? AND (doc_id, import_line) NOT IN "
                    "(SELECT (doc_id, min(import_line)) FROM events WHERE import_id = ? "
                    "GROUP BY doc_id)",
                    [import_id, import_id],
                )
            # One DELETE for the whole file: the loaded ids are the build side of the join.
            # When they are all numbers, their range bounds the rows scanned: row groups of
            # other ids are skipped on their min/max, so the cost follows the file's size,
            # not the store's (GDELT ids grow with time, and files are imported in bulk).
            lo, hi, unnumbered = con.execute(  # type: ignore[misc]  # aggregates give one row
                "SELECT min(record_no), max(record_no), count(*) - count(record_no) "
                "FROM events WHERE import_id = ?",
                [import_id],
            ).fetchone()
            bounded = lo is not None and not unnumbered
            (replaced,) = con.execute(  # type: ignore[misc]  # DELETE gives one row
                "DELETE FROM events WHERE dataset = ? AND import_id IS DISTINCT FROM ? "
                + ("AND record_no BETWEEN ? AND ? " if bounded else "")
                + "AND doc_id IN (SELECT doc_id FROM events WHERE import_id = ?)",
                [dataset, import_id, *((lo, hi) if bounded else ()), import_id],
            ).fetchone()
            if source is not None:
                _note_import(con, dataset, source, unique)
        return unique - replaced, replaced, total - unique


def _note_import(con: duckdb.DuckDBPyConnection, dataset: str, source: str | os.PathLike[str],
                 events: int) -> None:
    """Note in ``meta`` when ``source`` was imported and how many events it holds."""
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    con.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [f"import:{dataset}:{source}", f"{events} events, {stamp}"])


def record_no(doc_id: str, dataset: str) -> int | None:
    """A dataset row's record id as a number (``gdelt1:410000000`` -> 410000000), else None:
    what the bulk import's SQL and the schema upgrade store as ``record_no``."""
    prefix = f"{dataset}:"
    digits = doc_id[len(prefix):] if doc_id.startswith(prefix) else ""
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
        return None
    return int(digits)


def _quoted(names: Iterable[str]) -> list[str]:
    return [f'"{name}"' for name in names]


def _actor_code(code: str) -> str:
    return code.strip().upper()


def _documents(con: duckdb.DuckDBPyConnection, rest: str, params: list[Any]) -> list[Document]:
    """The documents ``rest`` picks (the SQL after ``SELECT ... FROM documents d``)."""
    rows = con.execute(
        f"SELECT {', '.join('d.' + c for c in _DOCUMENT_COLUMNS)} FROM documents d " + rest,
        params,
    ).fetchall()
    return [Document(**dict(zip(_DOCUMENT_COLUMNS, row, strict=True))) for row in rows]


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> int:
    """The one number an aggregate query ``sql`` gives."""
    (n,) = con.execute(sql, params).fetchone()  # type: ignore[misc]  # aggregates give one row
    return n


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> pd.DataFrame:
    """A query's rows as a DataFrame with the dtypes DuckDB's ``df()`` gives
    (:func:`_pandas` of :func:`_arrow`)."""
    return _pandas(_arrow(con, sql, params))


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> _pa.Table:
    """A query's rows as an Arrow table, text as large strings."""
    # A relation of its own cursor: Arrow straight from the query, not copied out of a
    # DB-API result, and untroubled by a result another call left unfinished.
    with con.cursor() as cursor:
        # pandas keeps text as Arrow large strings: DuckDB's large buffers give them as
        # they are, where 32-bit offsets would be copied out a column at a time.
        cursor.execute("SET arrow_large_buffer_size = true")
        relation = cursor.sql(sql, params=params)
        # duckdb 2 names it to_arrow_table; before, arrow() returned the table.
        return (
            relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()
        )


def _pandas(table: _pa.Table) -> pd.DataFrame:
    """An Arrow table of query rows as the DataFrame DuckDB's ``df()`` would give.

    ``df()`` makes a Python string of every value; going through Arrow is several times
    faster on results of many rows. Dates become ``datetime64[us]``, integer and boolean
    columns holding NULLs pandas' nullable integers and booleans, and text columns without
    a value objects, as ``df()`` makes them.
    """
    frame = table.to_pandas(date_as_object=False)
    for field, column in zip(table.schema, table.columns, strict=True):
        if _pa.types.is_date(field.type):
            frame[field.name] = frame[field.name].astype("datetime64[us]")
        elif _pa.types.is_integer(field.type) and column.null_count:
            name = str(field.type)  # int32 -> Int32, uint8 -> UInt8
            nullable = pd.api.types.pandas_dtype(
                "UInt" + name[4:] if name.startswith("u") else "Int" + name[3:]
            )
            frame[field.name] = nullable.__from_arrow__(column)
        elif _pa.types.is_boolean(field.type) and column.null_count:
            frame[field.name] = pd.BooleanDtype().__from_arrow__(column)
        elif (_pa.types.is_string(field.type) or _pa.types.is_large_string(field.type)) \
                and column.null_count == len(column):
            frame[field.name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame


def _insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    skip_existing: bool = False,
) -> int:
    """Insert rows and return how many went in; ``skip_existing`` passes over
    rows whose primary key is already taken instead of failing.

    One multi-row INSERT per 100 rows with bound parameters: far faster in
    DuckDB than a statement per row, and safe inside a transaction, unlike
    registering a DataFrame. Columns are named so a reordered schema still fits.
    """
    names = ", ".join(f'"{c}"' for c in columns)
    conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
    inserted = 0
    for i in range(0, len(rows), _BATCH):
        chunk = rows[i : i + _BATCH]
        values = ", ".join(["(" + ", ".join("?" * len(columns)) + ")"] * len(chunk))
        (count,) = con.execute(  # type: ignore[misc]  # aggregates give one row
            f"INSERT INTO {table} ({names}) VALUES {values}" + conflict,
            [value for row in chunk for value in row],
        ).fetchone()
        inserted += count
    return inserted


def _set_coding(
    con: duckdb.DuckDBPyConnection,
    doc_id: str,
    coder: str,
    n_events: int,
    status: str,
    reason: str | None,
) -> None:
    con.execute(
        "INSERT INTO codings (doc_id, coder, n_events, status, reason) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (doc_id, coder) DO UPDATE SET n_events = excluded.n_events, "
        "status = excluded.status, reason = excluded.reason, coded_at = now()",
        [doc_id, coder, n_events, status, reason],
    )


def _document_row(doc: Document) -> tuple[Any, ...]:
    return (doc.id, doc.ref, doc.url, doc.title, doc.source, doc.published, doc.text)


# The columns event_row fills, in its order: those of coded events.
EVENT_ROW_COLUMNS = _EVENT_COLUMNS


def event_row(event: Event, coder: str) -> tuple[Any, ...]:
    """An event as the values of the ``events`` columns it fills (``EVENT_ROW_COLUMNS``)."""
    return _event_row(event, coder)


def provenance_row(event: Event) -> tuple[Any, ...]:
    """An event's provenance as the values of ``PROVENANCE_COLUMNS`` (NULLs when none)."""
    found = event.provenance
    if found is None:
        return (None,) * len(PROVENANCE_COLUMNS)
    return tuple(getattr(found, name) for name in PROVENANCE_COLUMNS)


def _event_row(event: Event, coder: str) -> tuple[Any, ...]:
    # The coder argument wins over Event.coder so the next replace_events finds these rows.
    return (
        event.doc_id, event.start, event.end, event.sentence,
        event.source.code, event.source.country, event.source.sector,
        event.target.code, event.target.country, event.target.sector,
        event.cameo, event.root, event.quad, event.goldstein, event.plover or None,
        event.date.value, event.date.precision, event.symmetric, event.reported,
        event.trigger or None, event.source.text or None, event.target.text or None,
        coder, event.dataset,
    )  # fmt: skip


# A document coded by several coder versions counts once: by the version that coded it last
# (a version that failed on it has no events and does not count). Rows imported from event
# datasets have no coding and always count.
_LATEST_CODING = (
    "(NOT EXISTS (SELECT 1 FROM codings c WHERE c.doc_id = e.doc_id AND c.status = 'ok') "
    "OR e.coder = (SELECT arg_max(c.coder, c.coded_at) FROM codings c "
    "WHERE c.doc_id = e.doc_id AND c.status = 'ok'))"
)


# An event the analyst excluded (see Store.judge) counts in no analysis.
_NOT_EXCLUDED = (
    "NOT EXISTS (SELECT 1 FROM judgements j WHERE j.verdict = 'exclude' AND "
    "j.doc_id = e.doc_id AND j.sent_start = e.sent_start AND j.source = e.source AND "
    "j.target = e.target AND j.root = e.root)"
)

# A year-precise event before its document's year is background (see dyad_frame).
_NOT_BACKGROUND = (
    "NOT (e.date_precision = 'year' AND EXISTS (SELECT 1 FROM documents bd "
    "WHERE bd.id = e.doc_id AND year(bd.published) > year(e.event_date)))"
)


def _window(where: list[str], params: list[Any], start, end, coder, recoded: bool) -> None:
    """Add the date-window and coder conditions shared by the event reads.

    Without ``coder``, each document's events come from the coder version that coded it
    last, so re-coding with a new version never counts a document twice (checked only when
    some document was coded more than once: ``recoded``).
    """
    for condition, value in (("e.event_date >= ?", start), ("e.event_date <= ?", end),
                             ("e.coder = ?", coder)):
        if value is not None:
            where.append(condition)
            params.append(value)
    if coder is None and recoded:
        where.append(_LATEST_CODING)
