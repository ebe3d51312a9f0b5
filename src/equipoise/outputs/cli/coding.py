"""``equipoise code``: coding stored documents, a JSONL file, or partitions on Dask."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from equipoise.outputs.cli.group import _progress, console
from equipoise.outputs.cli.options import DbOption, ModelOption, RulesOnlyOption
from equipoise.outputs.cli.stores import _open_store
from equipoise.records import Document


def _coder(model: Path | None, rules_only: bool, **options):
    """The coder the options ask for, or a one-line error for a bad model file."""
    from equipoise.coding.coder import Coder
    from equipoise.coding.model import ModelError

    if model is not None and rules_only:
        raise typer.BadParameter("give --model or --rules-only, not both", param_hint="--model")
    try:
        return Coder(model=None if rules_only else str(model) if model else "default",
                     **options)
    except ModelError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def code(
    docs: Annotated[
        Path | None,
        typer.Argument(help="JSONL documents to code without a store (needs --output)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write events here as JSONL.")
    ] = None,
    db: DbOption = None,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Code again only the stored documents this coder failed on.",
    )] = False,
    time_budget: Annotated[float | None, typer.Option(
        "--time-budget", help="Seconds one document may take before it is given up as "
        "failed. Default: 60.",
    )] = None,
    model: ModelOption = None,
    rules_only: RulesOnlyOption = False,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Code in partitions on a local Dask cluster of this many "
        "worker processes (needs equipoise[dask]).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Code in partitions on the Dask cluster of this scheduler, "
        "e.g. tcp://10.0.0.5:8786.")] = None,
    parquet: Annotated[Path | None, typer.Option(
        "--parquet", help="Write the events as a Parquet dataset partitioned by month "
        "into this folder (on a file system every worker's results reach through this "
        "process); a run into a folder that has some partitions finished skips them.")
    ] = None,
    partition_size: Annotated[int, typer.Option(
        "--partition-size", min=1, help="Documents per partition with --workers, "
        "--scheduler or --parquet.")] = 200,
) -> None:
    """Code documents into events: the store's uncoded documents, or a JSONL file.

    A document that cannot be coded is reported with the reason, the others are coded,
    and the exit status is then 1. In the store the failure is recorded, so the next run
    passes over it; --retry-failed tries those documents again.

    With --workers, --scheduler or --parquet, documents are coded in partitions (of a
    JSONL or Parquet file of documents, or of the store's uncoded documents) and the
    events go into the Parquet dataset and/or the store (--db).
    """
    if time_budget is not None and not time_budget > 0:
        raise typer.BadParameter("give a number of seconds above 0", param_hint="--time-budget")
    options = {} if time_budget is None else {"time_budget": time_budget}
    if workers is not None or scheduler is not None or parquet is not None:
        if retry_failed:
            raise typer.BadParameter("--retry-failed codes in one process: leave out "
                                     "--workers, --scheduler and --parquet",
                                     param_hint="--retry-failed")
        if output is not None:
            raise typer.BadParameter("partitioned coding writes --parquet or the store, "
                                     "not --output", param_hint="--output")
        if workers is not None and scheduler is not None:
            raise typer.BadParameter("give --workers or --scheduler, not both",
                                     param_hint="--scheduler")
        if docs is not None and parquet is None:
            raise typer.BadParameter("coding a file in partitions writes --parquet "
                                     "(and the store too with --db)", param_hint="--parquet")
        _code_partitioned(docs, parquet, db, workers, scheduler, partition_size,
                          _coder_spec(model, rules_only, time_budget))
        return
    if docs is not None:
        if output is None:
            raise typer.BadParameter("standalone coding needs --output", param_hint="--output")
        if retry_failed:
            raise typer.BadParameter("--retry-failed goes with a store, not a DOCS.jsonl file",
                                     param_hint="--retry-failed")
        _code_file(docs, output, _coder(model, rules_only, **options))
        return
    if output is not None:
        raise typer.BadParameter("--output goes with a DOCS.jsonl argument", param_hint="--output")
    with _open_store(db) as store:
        coder = _coder(model, rules_only, **options)
        version = coder.version
        coded_ok, n_events, failures = _code_stored(store, coder, retry_failed)
        earlier = 0 if retry_failed else store.count_failed(version) - len(failures)
    console.print(f"{coded_ok} documents coded, {n_events} events, {len(failures)} failed "
                  f"({version})")
    _print_failures(failures)
    if earlier:
        console.print(f"{earlier} documents this coder failed on before were left alone; "
                      "`equipoise code --retry-failed` tries them again")
    if failures:
        raise typer.Exit(1)


def _code_stored(store, coder, retry_failed: bool = False
                 ) -> tuple[int, int, list[tuple[Document, str]]]:
    """Code the store's uncoded documents (or, ``retry_failed``, those this coder failed
    on), storing each one's events or its failure: (coded, events, failures)."""
    version = coder.version
    if retry_failed:
        todo = store.count_failed(version)

        def batches() -> Iterator[list[Document]]:
            after = None  # by id, so a document that fails again is not read again
            while batch := store.failed_documents(version, limit=200, after=after):
                after = batch[-1].id
                yield batch
    else:
        todo = store.count_uncoded(version)

        def batches() -> Iterator[list[Document]]:
            # A document coded or failed on is no longer uncoded: each is read once.
            while batch := store.uncoded_documents(version, limit=200):
                yield batch

    coded_ok = n_events = 0
    failures: list[tuple[Document, str]] = []
    with _progress() as progress:
        task = progress.add_task("Coding", total=todo)
        for batch in batches():
            for coded in coder.code_each(batch):
                doc = coded.doc
                _print_notes(coded)
                failure = coded.failure
                if failure is None:
                    try:
                        store.replace_events(doc.id, version, coded.events,
                                             note="; ".join(coded.notes) or None)
                    except Exception as exc:  # its events cannot be stored: its failure
                        failure = f"cannot store its events: {type(exc).__name__}: {exc}"
                        failure = failure.splitlines()[0][:200]
                if failure is None:
                    coded_ok += 1
                    n_events += len(coded.events)
                else:
                    store.record_failure(doc.id, version, failure)
                    failures.append((doc, failure))
                progress.advance(task)
    return coded_ok, n_events, failures


def _coder_spec(model: Path | None, rules_only: bool, time_budget: float | None):
    """What a worker needs to build the coder the options ask for (the model read here,
    so workers need not see the file)."""
    from equipoise.coding.model import ModelError, PairModel
    from equipoise.distributed import CoderSpec

    if model is not None and rules_only:
        raise typer.BadParameter("give --model or --rules-only, not both", param_hint="--model")
    try:
        pairs = None if rules_only else PairModel.load(str(model)) if model \
            else PairModel.default()
    except ModelError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    return CoderSpec(model=pairs, time_budget=time_budget)


def _code_partitioned(docs: Path | None, parquet: Path | None, db: str | None,
                      workers: int | None, scheduler: str | None, size: int, spec) -> None:
    """`code` in partitions: on Dask workers, or in this process with --parquet alone."""
    from contextlib import ExitStack

    from equipoise import distributed
    from equipoise.coding.coder import coder_version
    from equipoise.store.parquet import ParquetDataset

    version = coder_version(spec.model)
    read_errors = 0

    def documents() -> Iterator[Document]:
        nonlocal read_errors
        from equipoise.sources import SourceError, read_jsonl
        from equipoise.sources.parquetdocs import read_parquet_documents

        assert docs is not None
        parquet_input = docs.is_dir() or docs.suffix.lower() == ".parquet"
        items = read_parquet_documents(docs) if parquet_input else read_jsonl(docs)
        for item in items:
            if isinstance(item, SourceError):
                read_errors += 1
                console.print(f"[red]error:[/red] {escape(str(item))}")
            else:
                yield item

    with ExitStack() as stack:
        dataset = ParquetDataset(parquet, version, size) if parquet is not None else None
        store = None
        if docs is None or db is not None:
            store = stack.enter_context(_open_store(db))
        total = None
        if docs is not None:
            source = documents()
        else:
            assert store is not None
            source, total = distributed.uncoded(store, version), store.count_uncoded(version)
        if workers is None and scheduler is None:
            executor: distributed.InProcess | distributed.OnDask = distributed.InProcess()
        else:
            with console.status("starting the Dask cluster" if scheduler is None
                                else f"connecting to {scheduler}"):
                executor = distributed.OnDask(workers=workers, scheduler=scheduler)
        stack.callback(executor.close)
        with _progress() as progress:
            task = progress.add_task(f"Coding on {executor.workers} worker(s)", total=total)

            def done(result) -> None:
                for doc, note in result.notes:
                    console.print(f"[yellow]note:[/yellow] document {_label(doc)}: {note}")
                progress.advance(task, result.documents.num_rows)

            summary = distributed.run(source, spec, executor, dataset=dataset, store=store,
                                      size=size, add_documents=docs is not None,
                                      on_result=done)
    rate = summary.documents / summary.seconds if summary.seconds else 0.0
    console.print(
        f"{summary.documents - len(summary.failures)} documents coded, {summary.events} "
        f"events, {len(summary.failures)} failed ({version}); {summary.partitions} "
        f"partitions coded, {summary.skipped} already finished; {rate:.1f} documents/s"
        + (f" -> {parquet}" if parquet is not None else ""))
    _print_failures(summary.failures)
    if summary.failures or read_errors:
        raise typer.Exit(1)


def _label(doc: Document) -> str:
    """A document as the user knows it: the id its source gave, and the store's id."""
    return doc.id if not doc.ref or doc.ref == doc.id else f"{doc.ref} ({doc.id})"


def _print_failures(failures: list[tuple[Document, str]]) -> None:
    if failures:
        console.print(f"[red]{len(failures)} documents could not be coded:[/red]")
    for doc, reason in failures:
        console.print(f"  {_label(doc)}: {reason}", markup=False, highlight=False)


def _print_notes(coded) -> None:
    """Say what was done to code a document at all (e.g. a sentence cut in pieces)."""
    for note in coded.notes:
        console.print(f"[yellow]note:[/yellow] document {_label(coded.doc)}: {note}")


def _code_file(path: Path, output: Path, coder) -> None:
    from equipoise.sources import SourceError, read_jsonl

    docs: list[Document] = []
    errors = 0
    try:
        for item in read_jsonl(path):
            if isinstance(item, SourceError):
                errors += 1
                console.print(f"[red]error:[/red] {item}")
            else:
                docs.append(item)
    except SourceError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if errors and not docs:
        console.print(f"[red]error:[/red] no document could be read from {path}; "
                      f"{output} was not written")
        raise typer.Exit(2)
    n_events = 0
    failures: list[tuple[Document, str]] = []
    output.parent.mkdir(parents=True, exist_ok=True)
    # Written to a temporary file renamed over the output at the end: an interrupted run
    # leaves the previous output (or none), never half of one.
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f, _progress() as progress:
            task = progress.add_task("Coding", total=len(docs))
            for coded in coder.code_each(docs):
                doc = coded.doc
                _print_notes(coded)
                failure = coded.failure
                if failure is None:
                    try:  # a document's lines are written whole or not at all
                        lines = b"".join(
                            json.dumps(event.to_json(doc.ref or doc.id),
                                       ensure_ascii=False).encode("utf-8") + b"\n"
                            for event in coded.events)
                    except (TypeError, ValueError) as exc:  # e.g. a lone surrogate
                        failure = f"cannot write its events: {type(exc).__name__}: {exc}"
                        failure = failure.splitlines()[0][:200]
                if failure is None:
                    f.write(lines)
                    n_events += len(coded.events)
                else:
                    failures.append((doc, failure))
                progress.advance(task)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    console.print(f"{len(docs) - len(failures)} documents, {n_events} events -> {output}; "
                  f"{len(failures)} failed")
    _print_failures(failures)
    if errors or failures:
        raise typer.Exit(1)
