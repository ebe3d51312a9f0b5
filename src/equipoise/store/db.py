"""The DuckDB file that holds documents, which coder has seen them, and events.

DuckDB lets one process write a database file at a time. While a writer
(``ingest``, ``code``) has the file open, no other process can open it, not
even read-only; several read-only Stores can share the file once no writer
holds it. Within one process, open a file either writable or read-only, not both.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from equipoise.records import Document, Event

SCHEMA_VERSION = "1"
_BATCH = 100  # rows per INSERT, and documents per commit in add_documents
DEFAULT_DB = "equipoise.duckdb"
DB_ENV = "EQUIPOISE_DB"

_DOCUMENT_COLUMNS = ("id", "ref", "url", "title", "source", "published", "text")
_EVENT_COLUMNS = (
    "doc_id", "sent_start", "sent_end", "sentence",
    "source", "source_country", "source_sector",
    "target", "target_country", "target_sector",
    "cameo", "root", "quad", "goldstein", "plover",
    "event_date", "date_precision", "symmetric", "reported", "trigger",
    "coder", "dataset",
)  # fmt: skip


class StoreError(Exception):
    """The database file cannot be used: missing, locked, foreign or of another version."""


def resolve_db_path(option: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: the ``--db`` option, else $EQUIPOISE_DB, else ./equipoise.duckdb."""
    chosen = option or os.environ.get(DB_ENV) or DEFAULT_DB
    return Path(chosen).expanduser()


class Store:
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
            raise StoreError(f"{self.path}: cannot open ({exc}); DuckDB allows one writer") from exc
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
            if found != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: store schema version {found!r} is not supported "
                    f"(this equipoise reads version {SCHEMA_VERSION})"
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

    # -- lifecycle -----------------------------------------------------------

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

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
        """Documents ``coder`` has not finished yet, oldest publication first."""
        rows = self._con.execute(
            f"SELECT {', '.join('d.' + c for c in _DOCUMENT_COLUMNS)} FROM documents d "
            "WHERE NOT EXISTS (SELECT 1 FROM codings c WHERE c.doc_id = d.id AND c.coder = ?) "
            "ORDER BY d.published NULLS LAST, d.ingested_at, d.id LIMIT ?",
            [coder, limit],
        ).fetchall()
        return [Document(**dict(zip(_DOCUMENT_COLUMNS, row, strict=True))) for row in rows]

    def count_uncoded(self, coder: str) -> int:
        (n,) = self._con.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM codings c WHERE c.doc_id = d.id AND c.coder = ?)",
            [coder],
        ).fetchone()
        return n

    def documents_frame(self) -> pd.DataFrame:
        """Every document's metadata and length in characters, without the text."""
        return self._con.execute(
            "SELECT id, ref, url, title, source, published, ingested_at, "
            "length(text) AS n_chars FROM documents ORDER BY published NULLS LAST, id"
        ).df()

    # -- events --------------------------------------------------------------

    def replace_events(self, doc_id: str, coder: str, events: list[Event]) -> None:
        """Make ``events`` the whole of ``coder``'s output for ``doc_id``, atomically.

        Previous events of that coder for that document are removed and the
        document is marked as coded (even with no events), all in one
        transaction: on any error nothing changes.
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
            con.execute(
                "INSERT INTO codings (doc_id, coder, n_events) VALUES (?, ?, ?) "
                "ON CONFLICT (doc_id, coder) DO UPDATE "
                "SET n_events = excluded.n_events, coded_at = now()",
                [doc_id, coder, len(events)],
            )

    def events_frame(
        self,
        actors: Iterable[str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        coder: str | None = None,
    ) -> pd.DataFrame:
        """Events, each with its document's ``doc_url``, ``doc_title`` and ``published``.

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
        if start is not None:
            where.append("e.event_date >= ?")
            params.append(start)
        if end is not None:
            where.append("e.event_date <= ?")
            params.append(end)
        if coder is not None:
            where.append("e.coder = ?")
            params.append(coder)
        columns = ", ".join(f'e."{c}"' for c in _EVENT_COLUMNS)
        sql = (
            f"SELECT {columns}, d.url AS doc_url, d.title AS doc_title, d.published "
            "FROM events e LEFT JOIN documents d ON d.id = e.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY e.event_date, e.doc_id, e.sent_start"
        )
        return self._con.execute(sql, params).df()

    def stats(self) -> dict[str, Any]:
        """Counts of documents, events and coded documents, and the span of event dates."""
        docs, events, coded, first, last = self._con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events), "
            "(SELECT count(DISTINCT doc_id) FROM codings), "
            "(SELECT min(event_date) FROM events), (SELECT max(event_date) FROM events)"
        ).fetchone()
        return {
            "documents": docs,
            "events": events,
            "coded_documents": coded,
            "first_event": first,
            "last_event": last,
        }


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
        (count,) = con.execute(
            f"INSERT INTO {table} ({names}) VALUES {values}" + conflict,
            [value for row in chunk for value in row],
        ).fetchone()
        inserted += count
    return inserted


def _document_row(doc: Document) -> tuple[Any, ...]:
    return (doc.id, doc.ref, doc.url, doc.title, doc.source, doc.published, doc.text)


def _event_row(event: Event, coder: str) -> tuple[Any, ...]:
    # The coder argument wins over Event.coder so the next replace_events finds these rows.
    return (
        event.doc_id, event.start, event.end, event.sentence,
        event.source.code, event.source.country, event.source.sector,
        event.target.code, event.target.country, event.target.sector,
        event.cameo, event.root, event.quad, event.goldstein, event.plover or None,
        event.date.value, event.date.precision, event.symmetric, event.reported,
        event.trigger or None, coder, event.dataset,
    )  # fmt: skip
