"""Events as a Parquet dataset: written a partition at a time, read through DuckDB.

Layout of a dataset written by ``equipoise code --parquet DIR``::

    DIR/_dataset.json                       the coder version that wrote it
    DIR/month=2020-07/part-NAME.parquet     a partition's events of that month
    DIR/_documents/part-NAME.parquet        the partition's documents (no text) and outcomes
    DIR/_partitions/NAME.json               written last: the partition is finished

Every file of a partition is written to a temporary name and renamed into place, so a
file is whole or absent; a partition written again replaces its files (and removes those
of months it no longer has) instead of adding to them, and its record in ``_partitions``
comes last, so a partition without one is coded again by the next run.

:class:`ParquetEvents` reads any hive-partitioned Parquet dataset of the events columns
(``DIR/KEY=VALUE/.../*.parquet``, on a local path or any fsspec URL) with the queries of
the store (:class:`~equipoise.store.db.EventReader`); files under folders starting with
``_`` are not events. The files of a dataset share one schema; columns of the events table
that it lacks read as null.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from equipoise.store.db import ALL_EVENT_COLUMNS, EventReader, StoreError, _frame

# The events table's columns with the store's types (schema.sql), so a dataset read back
# gives the frames a store gives.
EVENT_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("sent_start", pa.int32()), ("sent_end", pa.int32()),
    ("sentence", pa.string()),
    ("source", pa.string()), ("source_country", pa.string()), ("source_sector", pa.string()),
    ("target", pa.string()), ("target_country", pa.string()), ("target_sector", pa.string()),
    ("cameo", pa.string()), ("root", pa.string()), ("quad", pa.int8()),
    ("goldstein", pa.float64()), ("plover", pa.string()),
    ("event_date", pa.date32()), ("date_precision", pa.string()),
    ("symmetric", pa.bool_()), ("reported", pa.bool_()), ("trigger", pa.string()),
    ("source_text", pa.string()), ("target_text", pa.string()),
    ("coder", pa.string()), ("dataset", pa.string()),
    ("num_mentions", pa.int32()), ("num_sources", pa.int32()), ("num_articles", pa.int32()),
    ("avg_tone", pa.float64()), ("source_url", pa.string()),
    ("date_added", pa.timestamp("us")), ("is_root", pa.bool_()),
    ("import_id", pa.int64()), ("import_line", pa.int64()), ("record_no", pa.int64()),
    ("publisher", pa.string()), ("place_name", pa.string()), ("place_admin", pa.string()),
    ("place_country", pa.string()), ("latitude", pa.float64()), ("longitude", pa.float64()),
    ("story_id", pa.string()), ("notes", pa.string()),
])  # fmt: skip
if tuple(EVENT_SCHEMA.names) != ALL_EVENT_COLUMNS:  # kept in step with schema.sql
    raise ImportError("EVENT_SCHEMA does not list the events table's columns")
# A document as the dataset keeps it: the store's metadata without the text, and how its
# coding went (the store's codings row).
DOCUMENT_SCHEMA = pa.schema([
    ("id", pa.string()), ("ref", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("source", pa.string()), ("published", pa.date32()),
    ("coder", pa.string()), ("status", pa.string()), ("n_events", pa.int32()),
    ("reason", pa.string()),
])  # fmt: skip
PARTITION_KEY = "month"
DOCUMENTS_DIR = "_documents"
PARTITIONS_DIR = "_partitions"
DATASET_FILE = "_dataset.json"
_COMPRESSION = "zstd"


def events_table(rows: Sequence[tuple[Any, ...]], columns: Sequence[str]) -> pa.Table:
    """Event rows (values of ``columns``, e.g. :func:`~equipoise.store.db.event_row`'s)
    as an Arrow table of every events column, those not given left null."""
    at = {name: i for i, name in enumerate(columns)}
    arrays = [
        pa.array([row[at[f.name]] for row in rows] if f.name in at else [None] * len(rows),
                 type=f.type)
        for f in EVENT_SCHEMA
    ]
    return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)


def documents_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Documents' metadata and outcomes (dicts of :data:`DOCUMENT_SCHEMA`'s names)."""
    return pa.Table.from_pylist([{f.name: row.get(f.name) for f in DOCUMENT_SCHEMA}
                                 for row in rows], schema=DOCUMENT_SCHEMA)


@dataclass(slots=True)
class PartitionRecord:
    """What a finished partition holds: the record written last, in ``_partitions``."""

    name: str
    coder: str
    documents: int
    events: int
    failed: int
    months: list[str] = field(default_factory=list)


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


class ParquetDataset:
    """A Parquet event dataset being written, on a local or shared file system.

    ``partition_size``, when given, is kept with the dataset and must be the same on every
    run into it: partition names depend on it, so a run with another size would code the
    finished documents again under other names.
    """

    def __init__(self, path: str | os.PathLike[str], coder: str,
                 partition_size: int | None = None) -> None:
        self.path = Path(path)
        self.coder = coder
        marker = self.path / DATASET_FILE
        wanted = {"coder": coder, "partition_size": partition_size}
        if marker.exists():
            found = json.loads(marker.read_text("utf-8"))
            if found.get("coder") != coder:
                raise StoreError(
                    f"{self.path}: a dataset of coder {found.get('coder')!r}, not {coder!r}: "
                    "write the events of another coder to another folder")
            if found.get("partition_size") != partition_size:
                raise StoreError(
                    f"{self.path}: written in partitions of {found.get('partition_size')} "
                    f"documents, not {partition_size}: go on with the same size, or write to "
                    "another folder")
        elif self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path} is not a folder")
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            _write_atomic(marker, json.dumps(wanted).encode("utf-8"))

    def remove_unfinished(self) -> int:
        """Remove the files of partitions that have no record (a run stopped while
        writing them), and temporary files left behind; returns how many went. Only
        while no other run writes the dataset."""
        finished = self.finished()
        gone = 0
        for path in [*self.path.glob(f"{PARTITION_KEY}=*/*"),
                     *self.path.glob(f"{DOCUMENTS_DIR}/*"),
                     *self.path.glob(f"{PARTITIONS_DIR}/.*")]:
            name = path.name
            stray = name.startswith(".") and name.endswith(".tmp")
            if stray or (name.startswith("part-") and name.endswith(".parquet")
                         and name[5:-8] not in finished):
                path.unlink(missing_ok=True)
                gone += 1
        return gone

    def finished(self) -> set[str]:
        """Names of the partitions written whole."""
        folder = self.path / PARTITIONS_DIR
        if not folder.is_dir():
            return set()
        return {p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json")
                and not p.name.startswith(".")}

    def records(self) -> list[PartitionRecord]:
        folder = self.path / PARTITIONS_DIR
        return [PartitionRecord(**json.loads((folder / f"{name}.json").read_text("utf-8")))
                for name in sorted(self.finished())]

    def write_partition(self, name: str, events: pa.Table, documents: pa.Table) -> PartitionRecord:
        """Write one partition's events (one file per month) and documents, each file
        atomically, replacing what an earlier attempt at the same partition wrote; then
        its record, which marks it finished."""
        if not name or "/" in name or name.startswith((".", "_")):
            raise ValueError(f"bad partition name {name!r}")
        (self.path / PARTITIONS_DIR / f"{name}.json").unlink(missing_ok=True)
        file_name = f"part-{name}.parquet"
        months = _months(events)
        for month in sorted(set(months)):
            rows = events.filter(pa.array([m == month for m in months]))
            _write_table(self.path / f"{PARTITION_KEY}={month}" / file_name, rows)
        # A partition coded again may hold other months (a time budget hit once and not
        # the next time): the files of months it no longer has go.
        for stale in self.path.glob(f"{PARTITION_KEY}=*/{file_name}"):
            if stale.parent.name.split("=", 1)[1] not in months:
                stale.unlink(missing_ok=True)
        _write_table(self.path / DOCUMENTS_DIR / file_name, documents)
        statuses = documents.column("status").to_pylist()
        record = PartitionRecord(name=name, coder=self.coder, documents=documents.num_rows,
                                 events=events.num_rows, failed=statuses.count("failed"),
                                 months=sorted(set(months)))
        _write_atomic(self.path / PARTITIONS_DIR / f"{name}.json",
                      json.dumps(asdict(record)).encode("utf-8"))
        return record


def _months(events: pa.Table) -> list[str]:
    return [month_of(day) for day in events.column("event_date").to_pylist()]


def _write_table(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp, compression=_COMPRESSION)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# Protocols DuckDB reads itself (its httpfs and azure extensions), for when fsspec has no
# file system of that name installed.
_DUCKDB_PROTOCOLS = ("s3", "s3a", "gcs", "gs", "http", "https", "hf", "az", "abfss")


class ParquetEvents(EventReader):
    """A Parquet event dataset opened for the analysis: the read queries of a store.

    ``path`` is a folder of hive-partitioned Parquet files (``month=2020-07/...``), local
    or an fsspec URL (``s3://bucket/events``, ``memory://events``): read through fsspec's
    file system of that protocol when one is installed (so with its credentials, e.g.
    s3fs's), else by DuckDB itself for the protocols it knows. Columns of the events table
    a file lacks read as null; the ``month`` partition, when there is one, lets a query
    with a window skip the files of other months.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        text = os.fspath(path)
        protocol = text.split("://", 1)[0].lower() if "://" in text else ""
        if protocol in ("file", "local"):
            text, protocol = text.split("://", 1)[1], ""
        self.path = Path(text) if not protocol else Path(text.split("://", 1)[1])
        self.url = text.rstrip("/")
        if not protocol:
            self.url = str(Path(text).expanduser()).rstrip("/")
            if not Path(self.url).is_dir():
                raise StoreError(f"{text}: no such folder of Parquet events")
        filesystem = _fsspec(protocol) if protocol else None
        if protocol and filesystem is None and protocol not in _DUCKDB_PROTOCOLS:
            raise StoreError(f"{text}: no file system for {protocol}:// (install fsspec and "
                             "its implementation of that protocol)")
        self._con = duckdb.connect()
        try:
            if filesystem is not None:
                self._con.register_filesystem(filesystem)
            self._open()
        except duckdb.Error as exc:
            self._con.close()
            raise StoreError(f"{text}: cannot read Parquet events: {exc}") from exc
        except BaseException:
            self._con.close()
            raise

    def _open(self) -> None:
        con = self._con
        pattern = f"{self.url}/*=*/**/*.parquet"
        (found,) = con.execute("SELECT count(*) FROM glob(?)", [pattern]).fetchone()  # type: ignore[misc]
        if not found:
            raise StoreError(f"{self.url}: no Parquet events (KEY=VALUE/*.parquet) in it")
        # The first file's columns stand for all (reading every file's footer to unite
        # their columns would cost a read per file before any query); a partition value
        # is text, as written.
        source = (f"read_parquet({_literal(pattern)}, hive_partitioning = true, "
                  "hive_types_autocast = false)")
        present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        columns = [
            f'"{f.name}"' if f.name in present
            else f'CAST(NULL AS {_DUCK_TYPES[str(f.type)]}) AS "{f.name}"'
            for f in EVENT_SCHEMA
        ]
        self._months = PARTITION_KEY in present and PARTITION_KEY not in EVENT_SCHEMA.names
        if self._months:
            columns.append(f'"{PARTITION_KEY}"')
        con.execute(f"CREATE VIEW events AS SELECT {', '.join(columns)} FROM {source}")
        documents = f"{self.url}/{DOCUMENTS_DIR}/*.parquet"
        (n_docs,) = con.execute("SELECT count(*) FROM glob(?)", [documents]).fetchone()  # type: ignore[misc]
        if n_docs:
            docs = f"read_parquet({_literal(documents)})"
        else:  # a dataset of imported events: no documents, as in a store
            docs = "(SELECT " + ", ".join(
                f"CAST(NULL AS {_DUCK_TYPES[str(f.type)]}) AS {f.name}" for f in DOCUMENT_SCHEMA
            ) + " WHERE false)"
        con.execute(f"CREATE VIEW documents AS SELECT * FROM {docs}")

    def _recoded(self) -> bool:
        return False  # a dataset holds the output of one coder version (_dataset.json)

    def _has_table(self, name: str) -> bool:
        return name in ("events", "documents")  # no judgements: those are kept in a store

    def _partition_window(
        self, where: list[str], params: list[Any], start: dt.date | None, end: dt.date | None
    ) -> None:
        # The same bounds on the partition's name: DuckDB skips files of other months
        # without opening them.
        if not self._months:
            return
        if start is not None:
            where.append(f'e."{PARTITION_KEY}" >= ?')
            params.append(month_of(start))
        if end is not None:
            where.append(f'e."{PARTITION_KEY}" <= ?')
            params.append(month_of(end))

    def stats(self) -> dict[str, Any]:
        """Counts of documents, events, coded and failed documents, and the event dates'
        span, as :meth:`Store.stats <equipoise.store.db.Store.stats>` gives them."""
        docs, coded, failed = self._con.execute(  # type: ignore[misc]  # one row
            "SELECT count(DISTINCT id), count(DISTINCT id) FILTER (WHERE status = 'ok'), "
            "count(DISTINCT id) FILTER (WHERE status = 'failed') FROM documents").fetchone()
        events, first, last = self._con.execute(  # type: ignore[misc]  # one row
            "SELECT count(*), min(event_date), max(event_date) FROM events").fetchone()
        return {"documents": docs, "events": events, "coded_documents": coded,
                "failed_documents": failed, "first_event": first, "last_event": last}

    def judgements(self) -> pd.DataFrame:
        """None: the analyst's judgements are kept in a store."""
        return pd.DataFrame(columns=["doc_id", "sent_start", "source", "target", "root",
                                     "verdict", "cameo", "reason", "who", "judged_at"])

    def frame(self, sql: str, params: Iterable[Any] = ()) -> pd.DataFrame:
        """A query over the ``events`` and ``documents`` views, as a DataFrame."""
        return _frame(self._con, sql, list(params))


_DUCK_TYPES = {
    "string": "VARCHAR", "int32": "INTEGER", "int8": "TINYINT", "int64": "BIGINT",
    "double": "DOUBLE", "date32[day]": "DATE", "bool": "BOOLEAN", "timestamp[us]": "TIMESTAMP",
}


def _literal(text: str) -> str:
    """``text`` as an SQL string literal (a table function's path cannot be bound)."""
    return "'" + text.replace("'", "''") + "'"


def _fsspec(protocol: str) -> Any:
    """fsspec's file system for ``protocol``, or None when fsspec or it is not installed."""
    try:
        import fsspec

        return fsspec.filesystem(protocol)
    except (ImportError, ValueError):
        return None
