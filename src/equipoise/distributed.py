"""Coding in partitions, on a Dask cluster or in this process, into Parquet and the store.

Documents are read lazily and cut into partitions of ``size`` documents, each named by its
place and a hash of its document ids, so the same input gives the same names. Each
partition is coded by :func:`code_partition` (on a Dask worker, which builds its
:class:`~equipoise.coding.coder.Coder` once and keeps it: :func:`worker_coder`); what comes
back is written here, by the one process that drives the run: into the Parquet dataset
(:class:`~equipoise.store.parquet.ParquetDataset`, each file atomically, a finished
partition marked last) and, when given, the store. A worker that dies loses only its
partitions in hand, which Dask gives to another worker; their results are written once,
under the same names. A run over a dataset that already has some partitions finished
skips them.

Only a few partitions are out at a time (``window``), so the input is never all in memory.
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from equipoise.errors import EquipoiseError
from equipoise.records import Document
from equipoise.store.db import EVENT_ROW_COLUMNS, event_row
from equipoise.store.parquet import ParquetDataset, documents_table, events_table

if TYPE_CHECKING:
    from equipoise.coding.coder import Coder
    from equipoise.coding.model import PairModel
    from equipoise.store import Store

PARTITION_SIZE = 200


class ClusterError(EquipoiseError):
    """The Dask cluster cannot be reached or started, or Dask is not installed."""


@dataclass(frozen=True, slots=True)
class CoderSpec:
    """What a worker needs to build the coder: the learned layer (None: rules only) and
    the coder's options. Sent with each partition; a worker builds the coder once."""

    model: PairModel | None
    time_budget: float | None = None

    @property
    def key(self) -> str:
        digest = "rules" if self.model is None else self.model.digest()
        return f"{digest}:{self.time_budget}"

    def build(self) -> Coder:
        from equipoise.coding.coder import Coder

        if self.time_budget is None:
            return Coder(model=self.model)
        return Coder(model=self.model, time_budget=self.time_budget)


_local = threading.local()


def worker_coder(spec: CoderSpec) -> Coder:
    """This process's coder for ``spec``, built on first use (spaCy and the model load
    once per worker) and kept; one per thread, as a coder is not shared between threads."""
    coders: dict[str, Coder] = _local.__dict__.setdefault("coders", {})
    coder = coders.get(spec.key)
    if coder is None:
        coder = coders[spec.key] = spec.build()
        if _in_dask_worker():
            # The coder's tables and pipeline live as long as the worker: out of the
            # collector's sight, they are not walked again by every full collection
            # while millions of short-lived objects come and go (a few % of coding time).
            gc.freeze()
    return coder


def _in_dask_worker() -> bool:
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


@dataclass(slots=True)
class Partition:
    """Documents coded together, under a name that the same documents always get."""

    index: int
    name: str
    documents: list[Document]


@dataclass(slots=True)
class PartitionResult:
    """A coded partition: its events and documents as Arrow tables, what failed, the
    notes, and what the worker spent on it."""

    name: str
    events: pa.Table
    documents: pa.Table
    failures: list[tuple[Document, str]]
    notes: list[tuple[Document, str]]
    sentences: int
    seconds: float
    cpu_seconds: float  # of the thread that coded it: what a core of its own would take
    worker: int  # the process id
    version: str  # the coder's
    coded: list[Any] = field(default_factory=list)  # (doc, events, note) for the store


def partitions(docs: Iterable[Document], size: int = PARTITION_SIZE) -> Iterator[Partition]:
    """Cut ``docs`` into partitions of ``size``, lazily; a document seen before is left out
    (the store keeps a document once, by the hash of its text)."""
    if size < 1:
        raise ValueError("a partition holds at least one document")
    seen: set[str] = set()
    batch: list[Document] = []
    index = 0
    for doc in docs:
        if doc.id in seen:
            continue
        seen.add(doc.id)
        batch.append(doc)
        if len(batch) == size:
            yield _partition(index, batch)
            index, batch = index + 1, []
    if batch:
        yield _partition(index, batch)


def _partition(index: int, docs: list[Document]) -> Partition:
    digest = hashlib.sha256("\n".join(d.id for d in docs).encode("ascii")).hexdigest()[:16]
    return Partition(index, f"{index:06d}-{digest}", docs)


def code_partition(spec: CoderSpec, part: Partition, store_rows: bool = False
                   ) -> PartitionResult:
    """Code one partition: run where the coder is (a Dask worker, or this process)."""
    coder = worker_coder(spec)
    version = coder.version
    before = coder.stats["sentences"]
    started, cpu = time.perf_counter(), time.thread_time()
    rows: list[tuple[Any, ...]] = []
    docs: list[dict[str, Any]] = []
    failures: list[tuple[Document, str]] = []
    notes: list[tuple[Document, str]] = []
    coded: list[Any] = []
    for outcome in coder.code_each(part.documents):
        doc = outcome.doc
        notes.extend((doc, note) for note in outcome.notes)
        note = "; ".join(outcome.notes) or None
        if outcome.failure is None:
            rows.extend(event_row(event, version) for event in outcome.events)
            if store_rows:
                coded.append((doc, outcome.events, note))
        else:
            failures.append((doc, outcome.failure))
            if store_rows:
                coded.append((doc, None, outcome.failure))
        docs.append({"id": doc.id, "ref": doc.ref, "url": doc.url, "title": doc.title,
                     "source": doc.source, "published": doc.published, "coder": version,
                     "status": "ok" if outcome.failure is None else "failed",
                     "n_events": len(outcome.events),
                     "reason": outcome.failure if outcome.failure is not None else note})
    return PartitionResult(
        name=part.name, events=events_table(rows, EVENT_ROW_COLUMNS),
        documents=documents_table(docs), failures=failures, notes=notes,
        sentences=coder.stats["sentences"] - before,
        seconds=time.perf_counter() - started, cpu_seconds=time.thread_time() - cpu,
        worker=os.getpid(), version=version,
        coded=coded)


# -- where partitions are coded ---------------------------------------------------------


class InProcess:
    """Partitions coded one after the other in this process."""

    workers = 1

    def map(self, spec: CoderSpec, parts: Iterator[Partition], store_rows: bool
            ) -> Iterator[PartitionResult]:
        for part in parts:
            yield code_partition(spec, part, store_rows)

    def close(self) -> None:
        pass


class OnDask:
    """Partitions coded by the workers of a Dask cluster: a local one of ``workers``
    processes, or the one whose scheduler is at ``scheduler``."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None,
                 client: Any = None) -> None:
        try:
            import distributed
        except ImportError:
            raise ClusterError("distributed coding needs Dask: pip install 'equipoise[dask]'"
                               ) from None
        self._cluster = None
        if client is not None:
            self.client = client
        elif scheduler is not None:
            try:
                # How long to try: Dask's distributed.comm.timeouts.connect (30 s).
                self.client = distributed.Client(scheduler)
            except OSError as exc:
                raise ClusterError(f"no Dask scheduler at {scheduler}: {exc}") from exc
        else:
            import logging

            import dask

            # One thread a worker: each codes a partition at a time with its own coder. The
            # workers' sampling profiler takes the interpreter lock a hundred times a second
            # from the thread that codes, for a profile nobody reads here. Dask starts
            # workers with malloc giving back every freed 64 KB to the system at once:
            # parsing allocates and frees all the time, and paid a fifth more CPU for it.
            environ = {key: value for key, value in
                       dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
                       if key != "MALLOC_TRIM_THRESHOLD_"}
            with dask.config.set({"distributed.worker.profile.enabled": False,
                                  "distributed.nanny.pre-spawn-environ": environ}):
                self._cluster = distributed.LocalCluster(
                    n_workers=workers or 1, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
            self.client = distributed.Client(self._cluster)
        self.workers = max(1, sum(self.client.nthreads().values()))

    def map(self, spec: CoderSpec, parts: Iterator[Partition], store_rows: bool
            ) -> Iterator[PartitionResult]:
        """Results as they finish, with two partitions per worker thread out at a time."""
        from distributed import as_completed

        window = 2 * self.workers
        pending = as_completed()
        for part in parts:
            pending.add(self._submit(spec, part, store_rows))
            if pending.count() >= window:
                yield next(pending).result()
        for future in pending:
            yield future.result()

    def _submit(self, spec: CoderSpec, part: Partition, store_rows: bool):
        # The key names the partition, so the scheduler's log and dashboard say which it is.
        return self.client.submit(code_partition, spec, part, store_rows,
                                  key=f"equipoise-code-{part.name}", pure=False)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


# -- a run ------------------------------------------------------------------------------


@dataclass(slots=True)
class RunSummary:
    """What a run did."""

    partitions: int = 0
    skipped: int = 0  # partitions found finished
    documents: int = 0
    events: int = 0
    sentences: int = 0
    failures: list[tuple[Document, str]] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # coding, summed over the workers


def run(
    docs: Iterable[Document],
    spec: CoderSpec,
    executor: InProcess | OnDask,
    *,
    dataset: ParquetDataset | None = None,
    store: Store | None = None,
    size: int = PARTITION_SIZE,
    add_documents: bool = False,
    on_result: Callable[[PartitionResult], None] | None = None,
) -> RunSummary:
    """Code ``docs`` in partitions with ``executor``; write each partition's output to
    ``dataset`` and/or ``store`` as it comes back (``add_documents``: the documents too,
    when they come from elsewhere). Partitions ``dataset`` has finished are skipped: a
    partition is marked finished after its events went into the store."""
    if dataset is None and store is None:
        raise ValueError("nowhere to write the events: give a dataset or a store")
    summary = RunSummary()
    started = time.perf_counter()
    finished: set[str] = set()
    if dataset is not None:
        # What a stopped run left half-written goes: the same partition is coded again
        # under its name, and one the input no longer gives must not stay.
        dataset.remove_unfinished()
        finished = dataset.finished()

    def todo() -> Iterator[Partition]:
        for part in partitions(docs, size):
            if part.name in finished:
                summary.skipped += 1
                continue
            if store is not None and add_documents:
                store.add_documents(part.documents)
            yield part

    from equipoise.coding.coder import coder_version

    version = coder_version(spec.model)
    for result in executor.map(spec, todo(), store is not None):
        if result.version != version:
            # A worker with another equipoise: its events would carry another version.
            raise ClusterError(
                f"a worker (process {result.worker}) codes as {result.version}, not "
                f"{version}: install the same equipoise on every worker")
        if store is not None:
            for doc, events, note in result.coded:
                if events is None:
                    store.record_failure(doc.id, result.version, note)
                else:
                    store.replace_events(doc.id, result.version, events, note=note)
        if dataset is not None:
            dataset.write_partition(result.name, result.events, result.documents)
        summary.partitions += 1
        summary.documents += result.documents.num_rows
        summary.events += result.events.num_rows
        summary.sentences += result.sentences
        summary.cpu_seconds += result.cpu_seconds
        summary.failures.extend(result.failures)
        if on_result is not None:
            on_result(result)
    summary.seconds = time.perf_counter() - started
    return summary


def uncoded(store: Store, coder: str, page: int = PARTITION_SIZE) -> Iterator[Document]:
    """The documents of ``store`` that ``coder`` has not tried, read a page at a time."""
    after = None
    while batch := store.uncoded_after(coder, limit=page, after=after):
        after = batch[-1].id
        yield from batch
