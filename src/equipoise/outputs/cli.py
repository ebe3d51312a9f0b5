"""The ``equipoise`` command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from equipoise.errors import EquipoiseError
from equipoise.records import Document

if TYPE_CHECKING:
    from equipoise.analysis.result import Alignment

console = Console(stderr=True)
out = Console()

# Exit statuses: 1 some inputs failed (the rest went in), 2 the command could not run on
# what it was given, 3 an internal error.
EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 3
# What the options that shrink an analysis are called here (see analysis.limits).
_SIZE_OPTIONS = {"freq": "--freq", "window": "--from/--to", "n_boot": "--n-boot"}


def _error(message: str) -> None:
    """Print ``error: message`` on stderr as one line, whatever the terminal width."""
    line = " ".join(str(message).split())
    if len(line) > 2000:
        line = line[:2000] + "..."
    console.print(f"[red]error:[/red] {escape(line)}", soft_wrap=True, highlight=False)


def _user_message(exc: BaseException) -> str | None:
    """The message for an error in what the user gave (an :class:`EquipoiseError`, a
    store DuckDB cannot read, a file the system refuses); None for an internal error."""
    from equipoise.analysis.limits import TooLargeError

    if isinstance(exc, TooLargeError):
        return exc.message(_SIZE_OPTIONS)
    if isinstance(exc, EquipoiseError):
        return str(exc)
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(exc, duckdb.Error):
        return f"the store cannot be read: {exc}"
    if isinstance(exc, OSError):
        if exc.filename is not None and exc.strerror:
            return f"{exc.filename}: {exc.strerror}"
        return str(exc) or type(exc).__name__
    return None


class _Commands(typer.core.TyperGroup):
    """The command group: any error ends the command with one line on stderr, a
    traceback only with ``equipoise --debug``."""

    def invoke(self, ctx: typer.Context):  # type: ignore[override]  # a click Context
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # chosen exit statuses and usage errors: typer reports them
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            if isinstance(exc, BrokenPipeError):
                raise  # output piped to `head`: typer ends quietly
            message = _user_message(exc)
            if message is not None:
                _error(message)
                raise typer.Exit(EXIT_USER_ERROR) from None
            detail = " ".join(str(exc).split())[:300]
            _error(f"internal error ({type(exc).__name__}{': ' + detail if detail else ''}); "
                   "run again as `equipoise --debug ...` to see the traceback")
            raise typer.Exit(EXIT_INTERNAL_ERROR) from None


app = typer.Typer(
    cls=_Commands,
    help="Which way does a state lean between rival powers? Code news into events and measure it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the full traceback of an error instead of one line.")] = False,
) -> None:
    """Which way does a state lean between rival powers? Code news into events and measure it."""

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store file. Default: $EQUIPOISE_DB, else ./equipoise.duckdb."),
]
FocalOption = Annotated[str, typer.Option("--focal", help="ISO3 code of the focal state.")]
FocalsOption = Annotated[str, typer.Option(
    "--focal", help="ISO3 code of the focal state; A,B compares two side by side.")]
PolesOption = Annotated[
    str, typer.Option("--poles", help="Comma-separated pole codes, e.g. TUR,RUS,IRN,USA,EU.")
]
FromOption = Annotated[str | None, typer.Option("--from", help="First date (YYYY-MM-DD).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).")]
FreqOption = Annotated[str, typer.Option("--freq", help="month, quarter or year.")]
EventsOption = Annotated[str | None, typer.Option(
    "--events", help="Read the events from this Parquet event dataset (a folder or an "
    "fsspec URL such as s3://bucket/events, as `code --parquet` writes) instead of a store.")]


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=console, transient=False,
    )


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        message = f"{value!r} is not a date (YYYY-MM-DD)"
        raise typer.BadParameter(message, param_hint=option) from None


def _open_store(db: str | None, read_only: bool = False):
    from equipoise.store import Store, StoreError, resolve_db_path

    path = resolve_db_path(db)
    try:
        return Store(path, read_only=read_only)
    except StoreError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None


# -- ingest -------------------------------------------------------------------------------
EarliestOption = Annotated[
    str | None,
    typer.Option("--earliest", help="Earliest date accepted (YYYY-MM-DD). Default: 1800-01-01."),
]
LatestOption = Annotated[
    str | None,
    typer.Option("--latest", help="Latest date accepted (YYYY-MM-DD). Default: a year from today."),
]


def _date_range(earliest: str | None, latest: str | None):
    from equipoise.sources import DateRange

    first, last = _date(earliest, "--earliest"), _date(latest, "--latest")
    try:
        return DateRange(**({"earliest": first} if first else {}), latest=last)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--latest") from None


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt .html .htm .jsonl")],
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date for .txt/.html files.")
    ] = None,
    date_from_mtime: Annotated[
        bool,
        typer.Option("--date-from-mtime",
                     help="Date .txt/.html files that state no date by their modification time."),
    ] = False,
    follow_symlinks: Annotated[
        bool,
        typer.Option("--follow-symlinks",
                     help="Follow symbolic links in folders even when they lead outside."),
    ] = False,
    earliest: EarliestOption = None,
    latest: LatestOption = None,
    db: DbOption = None,
) -> None:
    """Add news documents to the store. Documents already stored are skipped."""
    from rich.markup import escape

    from equipoise.sources import iter_documents, parse_date

    dates = _date_range(earliest, latest)
    published = None
    if date is not None:
        try:
            published = dates.check(parse_date(date))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--date") from None
    errors: list[str] = []
    seen = 0

    def documents(progress: Progress, task) -> Iterator[Document]:
        nonlocal seen
        items = iter_documents(paths, date=published, date_from_mtime=date_from_mtime,
                               follow_symlinks=follow_symlinks, dates=dates)  # fmt: skip
        for item in items:
            for warning in item.warnings:
                console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
            if item.error is not None:
                errors.append(str(item.error))
                console.print(f"[red]error:[/red] {escape(str(item.error))}")
            elif item.document is not None:
                seen += 1
                yield item.document
            progress.advance(task)

    with _open_store(db) as store, _progress() as progress:
        task = progress.add_task("Ingesting", total=None)
        added, skipped = store.add_documents(documents(progress, task))
    console.print(
        f"{added} added, {skipped} already stored, {len(errors)} failed ({escape(str(store.path))})"
    )
    if errors:
        raise typer.Exit(1)


# -- code ---------------------------------------------------------------------------------
ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="A model file from `equipoise train`. Default: the "
                 "model the package ships."),
]
RulesOnlyOption = Annotated[
    bool, typer.Option("--rules-only", help="Code with the rules alone, no learned layer.")]


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


@app.command()
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


# -- collect ------------------------------------------------------------------------------
@app.command()
def collect(
    feed: Annotated[list[str] | None, typer.Option(
        "--feed", help="An RSS or Atom feed URL (repeat for more).")] = None,
    feeds: Annotated[Path | None, typer.Option(
        "--feeds", help="A text file of feed URLs, one a line (# starts a comment).")] = None,
    query: Annotated[str | None, typer.Option(
        "--query", help="Search the GDELT DOC 2.0 API, e.g. \"Azerbaijan Turkey\".")] = None,
    start: Annotated[str | None, typer.Option(
        "--from", help="First day searched with --query (YYYY-MM-DD, UTC). Default: six "
        "days before --to.")] = None,
    end: Annotated[str | None, typer.Option(
        "--to", help="Last day searched with --query. Default: today (UTC).")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", "--api-url", help="The DOC API endpoint. Default: GDELT's.")] = None,
    delay: Annotated[float, typer.Option(
        "--delay", min=0.0, help="Seconds between two requests to one host.")] = 1.0,
    api_delay: Annotated[float, typer.Option(
        "--api-delay", min=0.0, help="Seconds between two DOC API calls (GDELT asks for "
        "five).")] = 5.0,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0.1, help="Seconds a request may take.")] = 30.0,
    contact: Annotated[str | None, typer.Option(
        "--contact", help="An e-mail address or URL added to the User-Agent, so a site can "
        "reach whoever runs the collection.")] = None,
    max_articles: Annotated[int | None, typer.Option(
        "--max-articles", min=0, help="Fetch at most this many new articles.")] = None,
    no_code: Annotated[bool, typer.Option(
        "--no-code", help="Store the articles without coding them.")] = False,
    model: ModelOption = None,
    rules_only: RulesOnlyOption = False,
    earliest: EarliestOption = None,
    latest: LatestOption = None,
    db: DbOption = None,
) -> None:
    """Collect news articles from feeds and the GDELT DOC API, then ingest and code them.

    Each article is fetched once: URLs are compared without tracking parameters or
    fragments, and those already in the store are skipped. Requests go one at a time,
    with a pause between two to one host, and a 429 is waited out as the site asks.
    An article that cannot be fetched or read is listed and skipped; the exit status
    is 1 only when a feed, a DOC API call or the coding of a document failed.
    """
    from rich.markup import escape

    from equipoise.sources import docapi
    from equipoise.sources.articles import fetch_articles, known_urls, new_links
    from equipoise.sources.feeds import FeedError, Link, parse_feed, read_feed_list
    from equipoise.sources.web import FetchError, PoliteClient, host_of, normalise_url

    feed_urls = list(feed or [])
    if feeds is not None:
        feed_urls += read_feed_list(feeds)
    if not feed_urls and query is None:
        raise typer.BadParameter("give --feed, --feeds or --query", param_hint="--feed")
    if query is None and (start or end):
        raise typer.BadParameter("--from and --to go with --query", param_hint="--from")
    window = None
    if query is not None:
        last = _date(end, "--to") or dt.datetime.now(dt.UTC).date()
        first = _date(start, "--from") or last - dt.timedelta(days=6)
        if first > last:
            raise typer.BadParameter("--from is after --to", param_hint="--from")
        window = docapi.day_window(first, last)
    api_url = base_url or docapi.DOC_API
    try:
        normalise_url(api_url)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--base-url") from None
    dates = _date_range(earliest, latest)
    coder = None if no_code else _coder(model, rules_only)

    links: list[Link] = []
    problems = feeds_failed = 0  # problems: feeds and DOC API calls that failed
    search = None
    failed: dict[str, int] = {}
    added = stored = 0

    def skipped(error: FetchError) -> None:
        failed[error.reason] = failed.get(error.reason, 0) + 1
        console.print(f"[yellow]skipped:[/yellow] {escape(str(error))}", soft_wrap=True)

    with _open_store(db) as store, PoliteClient(
        delay=delay, host_delays={host_of(api_url): api_delay}, timeout=timeout,
        contact=contact,
    ) as client:
        known = known_urls(store.document_urls())
        with console.status("reading feeds") as status:
            for url in feed_urls:
                status.update(f"reading {escape(url)}")
                try:
                    answer = client.get(url, accept="application/rss+xml, application/atom+xml, "
                                        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1")
                    found = parse_feed(answer.body, answer.final_url)
                except (FetchError, FeedError) as exc:
                    problems += 1
                    feeds_failed += 1
                    console.print(f"[red]error:[/red] feed {escape(str(exc))}", soft_wrap=True)
                    continue
                links.extend(found.links)
            if query is not None and window is not None:
                def called(part: docapi.Window, n: int) -> None:
                    status.update(f"DOC API {part}: {n} articles")

                search = docapi.search(client, query, window, base_url=api_url,
                                       on_call=called)
                links.extend(search.links)
                for part, error in search.failed:
                    problems += 1
                    console.print(f"[red]error:[/red] DOC API, {part}: {escape(str(error))}",
                                  soft_wrap=True)
                for part in search.capped:
                    console.print(f"[yellow]warning:[/yellow] the DOC API lists "
                                  f"{docapi.MAX_RECORDS} or more articles for {part}, the "
                                  "smallest window split: some are missed", soft_wrap=True)
        chosen = new_links(links, known)
        for error in chosen.bad:
            skipped(error)
        todo = chosen.links if max_articles is None else chosen.links[:max_articles]

        def documents(progress: Progress, task) -> Iterator[Document]:
            for article in fetch_articles(client, todo, dates):
                for warning in article.warnings:
                    console.print(f"[yellow]warning:[/yellow] {escape(warning)}",
                                  soft_wrap=True)
                if article.error is not None:
                    skipped(article.error)
                elif article.document is not None:
                    yield article.document
                progress.advance(task)

        with _progress() as progress:
            task = progress.add_task("Fetching", total=len(todo))
            added, stored = store.add_documents(documents(progress, task))
        coding = None
        if coder is not None:
            coding = _code_stored(store, coder)

    n_failed = sum(failed.values())
    if feed_urls:
        out.print(f"feeds: {len(feed_urls) - feeds_failed} read, {feeds_failed} failed",
                  highlight=False, soft_wrap=True)
    if search is not None:
        out.print(f"DOC API: {search.calls} calls, {len(search.failed)} failed, "
                  f"{len(search.links)} articles listed"
                  + (f", {len(search.capped)} windows still at the cap" if search.capped
                     else ""), highlight=False, soft_wrap=True)
    reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(failed.items()))
    out.print(escape(
        f"articles: {len(chosen.links) + chosen.known + len(chosen.bad):,} found, "
        f"{chosen.known:,} skipped as known, {len(todo):,} to fetch, "
        f"{added + stored:,} fetched ({added:,} added, {stored:,} with a text already "
        f"stored), {n_failed:,} failed" + (f" ({reasons})" if reasons else "")
        + (f"; {chosen.repeated:,} repeated URLs joined" if chosen.repeated else "")
        + (f"; {len(chosen.links) - len(todo):,} left for later (--max-articles)"
           if len(todo) < len(chosen.links) else "")), highlight=False, soft_wrap=True)
    if coding is not None and coder is not None:
        coded_ok, n_events, failures = coding
        out.print(f"coding: {coded_ok} documents coded, {n_events} events, {len(failures)} "
                  f"failed ({coder.version})", highlight=False, soft_wrap=True)
        _print_failures(failures)
        problems += len(failures)
    if problems:
        raise typer.Exit(1)


# -- train --------------------------------------------------------------------------------
@app.command()
def train(
    gold: Annotated[tuple[Path, Path], typer.Option(
        "--gold", help="DOCS.jsonl GOLD.jsonl: documents and their hand-coded events.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the model here.")],
    negatives: Annotated[Path | None, typer.Option(
        "--negatives", help="Sentences that hold no event, JSONL (doc, sentence).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Shuffles documents into folds.")] = 0,
    l2: Annotated[float, typer.Option("--l2", min=0.0, help="Penalty on the weights.")] = 10.0,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", min=0.0, max=1.0,
        help="Event probability from which a pair the rules missed is added. "
             "Default: chosen by cross-validation.")] = None,
) -> None:
    """Train the coder's learned layer on your own hand-coded events."""
    from equipoise.coding.coder import Coder
    from equipoise.coding.evaluate import EvaluationError, load_jsonl
    from equipoise.coding.training import train as fit_model

    docs_path, gold_path = gold
    try:
        gold_events = load_jsonl(gold_path)
        negative_sentences = load_jsonl(negatives) if negatives is not None else []
    except EvaluationError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    documents = _all_documents(docs_path)
    with console.status(f"Training on {len(documents)} documents"):
        try:
            model = fit_model(Coder(model=None), documents, gold_events, negative_sentences,
                              l2=l2, seed=seed, threshold=threshold)
        except ValueError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    model.save(output)
    meta = model.meta
    console.print(f"{meta['documents']} documents, {meta['pairs']} actor pairs, "
                  f"{meta['events']} events; {len(model.features)} features; "
                  f"thresholds add {model.threshold:.2f}, keep {model.keep_threshold:.2f} "
                  f"-> {output}")


# -- align --------------------------------------------------------------------------------
WeightOption = Annotated[
    str, typer.Option("--weight", help="Event value: count (+1/-1), goldstein or plover; "
                      "mentions or sources: count, each GDELT event weighed by its "
                      "NumMentions or NumSources; reports: count, each story weighed by "
                      "its number of reports.")]
DirectionOption = Annotated[
    str, typer.Option("--direction", help="out (focal to pole: the lean, the default), in (pole to "
                      "focal) or both (relations: what each side does to the other).")]
OverlapOption = Annotated[str, typer.Option(
    "--overlap", help="A pole that is a member of another pole (TUR and NATO): keep its "
    "events in both, or exclude them from the bloc.")]
BackgroundOption = Annotated[bool, typer.Option(
    "--include-background", help="Count background events (dated only to a year before "
    "their document's year, 'since the early 1990s') in the series.")]
SalienceOption = Annotated[bool, typer.Option(
    "--salience", help="Read each pole's events with anyone from the whole store, for the "
    "volume and salience columns (a scan of every event).")]
MinEventsOption = Annotated[
    int, typer.Option("--min-events", help="Fewer events than this: 'insufficient data'.")]
CiOption = Annotated[
    bool, typer.Option("--ci", help="Bootstrap intervals, resampling documents.")]
LevelOption = Annotated[float, typer.Option("--level", help="Interval level with --ci.")]
BootOption = Annotated[int, typer.Option("--n-boot", help="Bootstrap replicates with --ci.")]
ChangeOption = Annotated[
    bool, typer.Option("--changepoints", help="Breaks in tilt and the documents behind them.")]
VotesOption = Annotated[
    Path | None,
    typer.Option("--un-votes", help="UN General Assembly votes (.RData, .rda or .csv): "
                 "agreement with each pole as a separate panel."),
]
RollCallsOption = Annotated[
    Path | None,
    typer.Option("--un-roll-calls", help="Roll calls giving sessions for .rda/.csv votes."),
]
UnIssueOption = Annotated[
    str | None,
    typer.Option("--un-issue", help="Only UN roll calls on these issues, e.g. hr or me,hr: "
                 "me Palestinian conflict, nu nuclear weapons, di arms control and "
                 "disarmament, hr human rights, co colonialism, ec economic development."),
]
UnIssuesOption = Annotated[
    Path | None,
    typer.Option("--un-issues", help="The roll calls' issues for --un-issue: the unvotes "
                 "package's un_roll_call_issues.rda or a CSV of rcid, short_name. Voeten's "
                 ".RData carries its own."),
]
UnMeasureOption = Annotated[
    str, typer.Option("--un-measure", help="Chance-corrected UN agreement shown: pi (Scott's, "
                      "chance from the two states' pooled votes) or kappa (Cohen's).")]


IdealPointsOption = Annotated[
    Path | None,
    typer.Option("--ideal-points", help="UN ideal points (the Bailey-Strezhnev-Voeten CSV): "
                 "the focal state's position between the first two state poles per session."),
]
IntervalOption = Annotated[
    str, typer.Option("--interval", help="Interval of the ideal-point position: bounds (range "
                      "over the 5-95% quantiles, conservative) or normal (normal draws).")]


def _un_measure(measure: str) -> str:
    from equipoise.analysis.unvotes import CHANCE_MEASURES

    if measure not in CHANCE_MEASURES:
        raise typer.BadParameter("use pi or kappa", param_hint="--un-measure")
    return measure


@app.command()
def align(
    focal: FocalsOption,
    poles: PolesOption,
    start: FromOption = None,
    end: ToOption = None,
    freq: FreqOption = "month",
    fmt: Annotated[str, typer.Option(
        "--format", help="table, json (as /api/align, with every panel) or csv (the alignment "
        "table).")] = "table",
    weight: WeightOption = "count",
    direction: DirectionOption = "out",
    min_events: MinEventsOption = 3,
    overlap: OverlapOption = "keep",
    include_background: BackgroundOption = False,
    salience: SalienceOption = False,
    ci: CiOption = False,
    level: LevelOption = 0.9,
    n_boot: BootOption = 500,
    changepoints: ChangeOption = False,
    un_votes: VotesOption = None,
    un_roll_calls: RollCallsOption = None,
    un_measure: UnMeasureOption = "pi",
    un_issue: UnIssueOption = None,
    un_issues: UnIssuesOption = None,
    ideal_points: IdealPointsOption = None,
    coding_error: Annotated[Path | None, typer.Option(
        "--coding-error", help="The coder's measured error, the JSON of 'equipoise evaluate "
        "--format json': counts corrected to their expected true values, intervals widened "
        "by the error's uncertainty, and each tilt's stability under it (weight count "
        "only).")] = None,
    db: DbOption = None,
    events_dir: EventsOption = None,
) -> None:
    """Which way FOCAL leans between the poles, period by period.

    Poles may be states (ISO3) or blocs (NATO, EU, CSTO, EEU, ...: their members at each
    date). UN votes, when given, are reported beside the event scores, never mixed in.
    """
    from equipoise import api
    from equipoise.analysis.query import Query

    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter("use table, json or csv", param_hint="--format")
    un_measure = _un_measure(un_measure)
    issues = _un_issue(un_issue, un_issues, un_votes)
    # "--focal AZE,ARM" compares focal states side by side, each against the same poles.
    focals = [f for f in focal.split(",") if f.strip()] or [focal]
    queries = [Query.build(one, poles, start, end, freq, weight=weight, direction=direction,
                           min_events=min_events, ci=level if ci else None, n_boot=n_boot,
                           changepoints=changepoints, overlap=overlap,
                           include_background=include_background, salience=salience)
               for one in focals]  # fmt: skip
    where = _where(db, events_dir)
    results = []
    error = api.read_coding_error(coding_error) if coding_error is not None else None
    for query in queries:
        result = api.analyse(query, coding_error=error, listing=False, **where)
        _warn_left_out(result.alignment)
        _warn_overlaps(result.alignment)
        panels: dict[str, Any] = {}
        if un_votes is not None:
            panels["un_votes"] = _un_agreement(un_votes, un_roll_calls, query.focal,
                                               list(query.poles), issues)
        if ideal_points is not None:
            panels["ideal_points"] = _ideal_positions(ideal_points, query.focal,
                                                      list(query.poles))
        results.append((query, result, panels))
    if fmt == "json":
        from equipoise.outputs import jsonify

        documents = []
        for _, result, panels in results:
            # The document /api/align answers, then the panels asked for here.
            document = jsonify.alignment(result)
            if result.changepoints is not None:
                document["changepoints"] = jsonify.records(result.changepoints.points)
                document["drivers"] = jsonify.records(result.changepoints.drivers)
            for name in ("un_votes", "ideal_points"):
                if name in panels:
                    document[name] = jsonify.records(panels[name])
            if "un_votes" in panels and issues is not None:
                document["un_issues"] = list(issues[0])
            documents.append(document)
        answer = documents[0] if len(documents) == 1 else {"compare": documents}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        import pandas as pd

        frames = [result.table.assign(focal=query.focal) for query, result, _ in results]
        table = frames[0].drop(columns="focal") if len(frames) == 1 else pd.concat(frames)
        sys.stdout.write(table.to_csv(index=False))
    else:
        from equipoise.outputs import tables

        for query, result, panels in results:
            if len(results) > 1:
                out.rule(f"{query.focal} between {', '.join(query.poles)}")
            out.print(tables.alignment(result.table))
            out.print(tables.equidistance(result.equidistance))
            if result.changepoints is not None:
                out.print(tables.changepoints(result.changepoints))
            if un_votes is not None:
                out.print(tables.un_agreement(panels["un_votes"], measure=un_measure,
                                              issues=issues[0] if issues else ()))
            if ideal_points is not None:
                out.print(tables.ideal_positions(panels["ideal_points"]))
            out.print(result.verdict)


def _warn_left_out(measured: Alignment) -> None:
    """Say how many events an open window left out for their implausible dates."""
    from equipoise.reference.dates import EARLIEST, latest

    n = measured.implausible_dates
    if n:
        console.print(
            f"[yellow]warning:[/yellow] {n:,} event{'s' if n > 1 else ''} dated before "
            f"{EARLIEST} or after {latest()} left out; give --from and --to "
            "to include them", soft_wrap=True)


def _un_agreement(path: Path, roll_calls: Path | None, focal: str, poles: list[str],
                  issues: tuple[list[str], Path | None] | None = None):
    from equipoise.api import un_agreement

    return un_agreement(_read_un_votes(path, roll_calls, issues), focal, poles)


def _read_un_votes(path: Path, roll_calls: Path | None,
                   issues: tuple[list[str], Path | None] | None = None):
    """The UN votes, only those on the chosen issues when ``issues`` (codes, issue table)."""
    from equipoise.api import un_votes as read_votes

    with console.status(f"reading UN votes from {path}"):
        if issues is None:
            return read_votes(path, roll_calls)
        return read_votes(path, roll_calls, issues=issues[0], issue_table=issues[1])


def _un_issue(codes: str | None, table: Path | None, votes: Path | None
              ) -> tuple[list[str], Path | None] | None:
    """The checked --un-issue codes and --un-issues file, or None when not asked."""
    from equipoise.reference.unissues import un_issue_codes

    if codes is None:
        if table is not None:
            raise typer.BadParameter("goes with --un-issue", param_hint="--un-issues")
        return None
    if votes is None:
        raise typer.BadParameter("goes with --un-votes", param_hint="--un-issue")
    try:
        chosen = un_issue_codes(codes)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--un-issue") from None
    if table is None and votes.suffix.lower() != ".rdata":
        raise typer.BadParameter(
            "give the roll calls' issues with --un-issues (the unvotes package's "
            "un_roll_call_issues.rda, or a CSV of rcid, short_name); only Voeten's .RData "
            "carries its own", param_hint="--un-issue")
    return chosen, table


def _ideal_positions(path: Path, focal: str, poles: list[str], interval: str = "bounds"):
    """Position of ``focal`` between the first two state poles, with the one-dimension note."""
    from equipoise.analysis.idealpoints import ONE_DIMENSION_WARNING
    from equipoise.api import _bloc_codes, un_position

    if interval not in ("bounds", "normal"):
        raise typer.BadParameter("use bounds or normal", param_hint="--interval")
    states = [p for p in poles if p not in _bloc_codes()]
    if len(states) < 2:
        raise typer.BadParameter("needs two state poles (blocs have no ideal point)",
                                 param_hint="--ideal-points")  # fmt: skip
    with console.status(f"reading ideal points from {path}"):
        table = un_position(path, focal, states[0], states[1], interval=interval)
    console.print(f"[yellow]note:[/yellow] {ONE_DIMENSION_WARNING}", soft_wrap=True)
    return table


@app.command()
def events(
    focal: FocalOption,
    poles: PolesOption,
    start: FromOption = None,
    end: ToOption = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, json or parquet.")] = "csv",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write (needed for parquet); default standard output."
    )] = None,
    db: DbOption = None,
    events_dir: EventsOption = None,
) -> None:
    """The events between FOCAL and the poles, one row each, with their sentences.

    Every event the analysis counts (blocs by membership on the event date, symmetric
    events once), with its pole and direction, CAMEO code, quad, Goldstein weight, date,
    document and sentence; background events are marked, not left out.
    """
    from equipoise import api
    from equipoise.analysis.query import Query

    if fmt not in ("csv", "json", "parquet"):
        raise typer.BadParameter("use csv, json or parquet", param_hint="--format")
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("parquet is written to a file: give --output",
                                 param_hint="--output")
    query = Query.build(focal, poles, start, end)
    table = api.load_events(query, **_where(db, events_dir))
    if fmt == "parquet":
        assert output is not None
        table.to_parquet(output, index=False)
    else:
        from equipoise.outputs import jsonify

        # JSON as the server writes it: dates as days, a timestamp only with a time of day.
        text = (table.to_csv(index=False) if fmt == "csv"
                else json.dumps(jsonify.records(table), ensure_ascii=False) + "\n")
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    if output is not None:
        console.print(f"{len(table):,} events written to {output}")


@app.command()
def judge(
    doc: Annotated[str, typer.Option("--doc", help="The event's document id (doc_id).")],
    sent_start: Annotated[int, typer.Option("--start", help="Its sentence start (sent_start).")],
    source: Annotated[str, typer.Option("--source", help="Its source code.")],
    target: Annotated[str, typer.Option("--target", help="Its target code.")],
    root: Annotated[str, typer.Option("--root", help="Its CAMEO root, e.g. 11.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: kept with the judgement.")] = "",
    cameo: Annotated[str | None, typer.Option(
        "--cameo", help="Mark the event miscoded, with the right CAMEO code, instead of "
        "excluding it.")] = None,
    who: Annotated[str, typer.Option("--who", help="Who judged.")] = "",
    undo: Annotated[bool, typer.Option("--undo", help="Withdraw the judgement.")] = False,
    db: DbOption = None,
) -> None:
    """Exclude a coded event from every analysis, or mark it miscoded, with a reason.

    The event is named as `equipoise events` lists it. A judgement is kept apart from the
    coder's output, so it holds when the document is coded again; the report lists them.
    """
    import getpass

    from equipoise.reference.cameo import cameo_table

    if cameo is not None and cameo not in cameo_table():
        raise typer.BadParameter(f"unknown CAMEO code {cameo!r}", param_hint="--cameo")
    with _open_store(db) as store:
        key = (doc, sent_start, source.upper(), target.upper(), root)
        if undo:
            done = store.unjudge(*key)
            console.print("judgement withdrawn" if done else "no judgement to withdraw")
            return
        store.judge(*key, verdict="exclude" if cameo is None else "miscoded", reason=reason,
                    who=who or getpass.getuser(), cameo=cameo)
    console.print(f"{source.upper()}->{target.upper()} root {root} at {doc}:{sent_start}: "
                  + ("excluded" if cameo is None else f"marked miscoded (should be {cameo})"))


@app.command()
def judgements(
    fmt: Annotated[str, typer.Option(
        "--format", help="table, csv, or gold: corrections in the gold format (miscoded "
        "events as gold events, excluded ones as negatives) to feed `equipoise train`.")
    ] = "table",
    db: DbOption = None,
) -> None:
    """The analyst's judgements of coded events."""
    if fmt not in ("table", "csv", "gold"):
        raise typer.BadParameter("use table, csv or gold", param_hint="--format")
    with _open_store(db, read_only=True) as store:
        table = store.judgements()
    if fmt == "csv":
        sys.stdout.write(table.to_csv(index=False))
        return
    if fmt == "gold":
        from equipoise.reference.cameo import quad_of

        for row in table.itertuples(index=False):
            if row.verdict == "miscoded" and row.cameo:
                record = {"doc": row.doc_id, "sentence": row.sentence, "source": row.source,
                          "target": row.target, "cameo": str(row.cameo)[:2],
                          "quad": quad_of(str(row.cameo)), "core": True, "note": row.reason}
            else:
                record = {"doc": row.doc_id, "sentence": row.sentence, "why": row.reason}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    shown = Table("event", "verdict", "reason", "who", "when")
    for row in table.itertuples(index=False):
        verdict = row.verdict if row.verdict == "exclude" else f"miscoded -> {row.cameo}"
        shown.add_row(f"{row.source}->{row.target} {row.root} {row.doc_id}:{row.sent_start}",
                      verdict, row.reason, row.who, str(row.judged_at)[:16])
    out.print(shown if len(table) else "no judgements")


@app.command("un-position")
def un_position(
    focal: FocalOption,
    poles: Annotated[str, typer.Option(
        "--poles", help="Two states, P1,P2: the position runs from P1 (0) to P2 (1).")],
    ideal_points: Annotated[Path, typer.Option(
        "--ideal-points", help="The Bailey-Strezhnev-Voeten ideal-point CSV.")],
    interval: IntervalOption = "bounds",
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Where FOCAL stands between two poles on the UN ideal-point scale, per session.

    Needs no event store. One dimension cannot separate states such as Turkey, Russia
    and Iran: read the position only for poles far apart on it.
    """
    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter("use table, json or csv", param_hint="--format")
    from equipoise.analysis.query import Query

    question = Query.build(focal, poles)  # the one check of codes every command shares
    pole_list = list(question.poles)
    if len(pole_list) != 2:
        raise typer.BadParameter("give two poles, P1,P2", param_hint="--poles")
    table = _ideal_positions(ideal_points, question.focal, pole_list, interval)
    if fmt == "json":
        from equipoise.outputs import jsonify

        out.print_json(json.dumps(jsonify.records(table), ensure_ascii=False))
    elif fmt == "csv":
        sys.stdout.write(table.to_csv(index=False))
    else:
        from equipoise.outputs import tables

        out.print(tables.ideal_positions(table, last=len(table)))


def _warn_overlaps(measured: Alignment) -> None:
    """Say when one pole is a member of another: its events count for both."""
    if measured.overlap == "exclude":
        return
    for member, bloc in measured.overlaps:
        console.print(f"[yellow]warning:[/yellow] {member} is a member of {bloc} in this "
                      f"window: its events count for both poles; --overlap exclude counts "
                      f"them for {member} only", markup=True, highlight=False)


def _where(db: str | None, events: str | None) -> dict[str, Any]:
    """Where the analysis reads its events: ``{"db": store}`` or ``{"events": dataset}``."""
    if events is None:
        return {"db": _existing_db(db)}
    if db is not None:
        raise typer.BadParameter("give --db or --events, not both", param_hint="--events")
    if "://" not in events and not Path(events).expanduser().is_dir():
        _error(f"no Parquet event dataset at {events}; --events names its folder")
        raise typer.Exit(2) from None
    return {"events": events}


def _existing_db(db: str | None) -> Path:
    from equipoise.store import resolve_db_path

    path = resolve_db_path(db)
    if not path.exists():
        _error(f"no store at {path}; run `equipoise ingest` first")
        raise typer.Exit(2) from None
    if not path.is_file():
        _error(f"{path} is not a file; --db names a store file")
        raise typer.Exit(2) from None
    return path


# -- report -------------------------------------------------------------------------------
@app.command()
def report(
    focal: FocalOption,
    poles: PolesOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "report.html"),
    start: FromOption = None,
    end: ToOption = None,
    freq: FreqOption = "month",
    weight: WeightOption = "count",
    direction: DirectionOption = "out",
    min_events: MinEventsOption = 3,
    overlap: OverlapOption = "keep",
    include_background: BackgroundOption = False,
    ci: Annotated[bool, typer.Option("--ci/--no-ci", help="Interval bands.")] = True,
    level: LevelOption = 0.9,
    n_boot: BootOption = 500,
    changepoints: Annotated[bool, typer.Option(
        "--changepoints/--no-changepoints", help="Mark breaks and their documents.")] = True,
    un_votes: VotesOption = None,
    un_roll_calls: RollCallsOption = None,
    un_measure: UnMeasureOption = "pi",
    un_issue: UnIssueOption = None,
    un_issues: UnIssuesOption = None,
    max_events: Annotated[int, typer.Option(
        "--max-events", help="Most events listed (largest Goldstein first).")] = 5000,
    db: DbOption = None,
    events_dir: EventsOption = None,
) -> None:
    """Write a one-file HTML report that works offline.

    Tilt with intervals, equidistance, change points and their events, a dyad heat map,
    and the event table with its sentences.
    """
    from equipoise.analysis.query import Query

    if output.is_dir():
        raise typer.BadParameter(f"{output} is a folder: name the HTML file to write",
                                 param_hint="--output")
    query = Query.build(focal, poles, start, end, freq, weight=weight, direction=direction,
                  min_events=min_events, ci=level if ci else None, n_boot=n_boot,
                  changepoints=changepoints, max_events=max_events,
                  overlap=overlap, include_background=include_background)  # fmt: skip
    issues = _un_issue(un_issue, un_issues, un_votes)
    path = _write_report(query, output, db, votes=(un_votes, un_roll_calls),
                         un_measure=_un_measure(un_measure), issues=issues,
                         events=events_dir)
    console.print(f"report written to {path}")


def _write_report(query, output, db, *, votes=(None, None), un_measure="pi",
                  issues=None, events=None) -> Path:
    from equipoise.api import analyse, open_events
    from equipoise.outputs.report import render_analysis, write_report

    where = _where(db, events)
    vote_table = None
    if votes[0] is not None:
        vote_table = _read_un_votes(votes[0], votes[1], issues)
    with console.status("analysing"):
        result = analyse(query, votes=vote_table, un_issues=issues[0] if issues else (),
                         **where)
    _warn_left_out(result.alignment)
    _warn_overlaps(result.alignment)
    with open_events(**where) as store:
        coverage = store.stats()
        judged = store.judgements()
    left_out = result.alignment.implausible_dates
    if left_out:
        coverage["events_left_out_for_implausible_dates"] = left_out
    html = render_analysis(result, coverage=coverage, max_events=query.max_events,
                           un_measure=un_measure, judgements=judged)
    return write_report(output, html)


# -- demo ---------------------------------------------------------------------------------
@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Store for the demo.")] = "equipoise-demo.duckdb",
    output: Annotated[Path, typer.Option("--output", "-o", help="Report file.")] = Path(
        "equipoise-demo-report.html"),
) -> None:
    """Ingest the bundled sample articles, code them, and report AZE between TUR, RUS and IRN."""
    from dataclasses import replace

    from equipoise.analysis.query import Query
    from equipoise.api import analyse as api_analyse
    from equipoise.outputs import tables
    from equipoise.reference.data import data_file

    sample = data_file("sample")
    with resources.as_file(sample) as folder:
        console.rule("1. ingest the sample corpus")
        _run(ingest, [folder], date=None, db=db)
        console.rule("2. code events")
        _run(code, None, output=None, db=db)
    # The sample's articles run from mid-2019 to the end of 2020; some events they
    # mention are older, so the window is set rather than taken from the event dates.
    focal, poles, start, end = "AZE", "TUR,RUS,IRN", "2019-06-01", "2020-12-31"
    console.rule(f"3. align {focal} between {poles}")
    # Two dozen articles are too few for monthly figures: the analysis is quarterly.
    query = Query.build(focal, poles, start, end, "quarter", ci=0.9, changepoints=True,
                  max_events=5000)
    result = api_analyse(replace(query, changepoints=False), listing=False,
                         db=_existing_db(db))
    out.print(tables.alignment(result.table))
    console.rule("4. report")
    path = _write_report(query, output, db)
    out.print()
    out.print(f"[bold]{result.verdict}[/bold]")
    out.print(f"Report: {path.resolve()}")
    out.print(f"Store:  {Path(db).resolve()}")
    out.print(f"Next:   equipoise align --db {db} --focal AZE --poles TUR,RUS,IRN "
              f"--from {start} --freq quarter --ci --changepoints")


def _run(command, *args, **kwargs) -> None:
    try:
        command(*args, **kwargs)
    except typer.Exit as exc:
        if exc.exit_code:
            raise


# -- stats --------------------------------------------------------------------------------
@app.command()
def stats(db: DbOption = None) -> None:
    """What the store holds: documents, events, coded documents, date range."""
    with _open_store(str(_existing_db(db)), read_only=True) as store:
        for key, value in store.stats().items():
            out.print(f"{key:>16}: {value}")


# -- evaluate -----------------------------------------------------------------------------
@app.command()
def evaluate(
    docs: Annotated[Path, typer.Option(
        "--docs", help="JSONL documents the gold events are in (id, date, text).")],
    gold: Annotated[Path, typer.Option("--gold", help="Gold events, JSONL (docs/evaluate.md).")],
    pred: Annotated[Path | None, typer.Option(
        "--pred", help="Coded events to score, JSONL. Default: code DOCS now.")] = None,
    negatives: Annotated[Path | None, typer.Option(
        "--negatives",
        help="Sentences that hold no event, JSONL. Default: negatives.jsonl beside GOLD.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    errors: Annotated[int, typer.Option(
        "--errors", min=0, help="How many misses and false alarms to list.")] = 20,
) -> None:
    """Score the coder (or a file of coded events) against hand-coded gold events."""
    from equipoise.coding.evaluate import EvaluationError, load_docs, load_jsonl
    from equipoise.coding.evaluate import evaluate as score

    if fmt not in ("table", "json"):
        raise typer.BadParameter("use table or json", param_hint="--format")
    if negatives is None and (gold.parent / "negatives.jsonl").is_file():
        negatives = gold.parent / "negatives.jsonl"
    try:
        texts = load_docs(docs)
        gold_events = load_jsonl(gold)
        negative_sentences = load_jsonl(negatives) if negatives is not None else []
        predicted = load_jsonl(pred) if pred is not None else _coded_events(docs)
        result = score(texts, gold_events, predicted, negative_sentences)
    except EvaluationError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    _print_evaluation(result, errors, negatives)


def _all_documents(path: Path) -> list[Document]:
    """Every document of a JSONL file, or a one-line error at the first bad line: scoring
    or training on part of a file would quietly give other figures."""
    from equipoise.sources import SourceError, read_jsonl

    documents: list[Document] = []
    for item in read_jsonl(path):
        if isinstance(item, SourceError):
            console.print(f"[red]error:[/red] {item}")
            raise typer.Exit(2)
        documents.append(item)
    return documents


def _coded_events(path: Path) -> list[dict]:
    """Code a JSONL document file in memory: the events as ``equipoise code`` writes them."""
    from equipoise.coding.coder import Coder

    documents = _all_documents(path)
    events: list[dict] = []
    failures: list[tuple[Document, str]] = []
    coder = Coder()
    with _progress() as progress:
        task = progress.add_task("Coding", total=len(documents))
        for coded in coder.code_each(documents):
            if coded.failure is not None:
                failures.append((coded.doc, coded.failure))  # scored as if it had no event
            events.extend(event.to_json(coded.doc.ref or coded.doc.id) for event in coded.events)
            progress.advance(task)
    console.print(f"{len(documents) - len(failures)} documents coded, {len(events)} events, "
                  f"{len(failures)} failed ({coder.version})")
    _print_failures(failures)
    return events


def _print_evaluation(result, errors: int, negatives: Path | None) -> None:
    from equipoise.reference.quads import QUAD_NAMES

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    summary = Table(title="Events against the gold standard", show_header=False)
    summary.add_column("measure")
    summary.add_column("value", justify="right")
    summary.add_row("core gold events", str(result.gold_core))
    summary.add_row("predicted events", str(result.predicted))
    summary.add_row("true positives / false alarms / misses",
                    f"{result.tp} / {result.fp} / {result.fn}")
    summary.add_row("neutral (non-core or mirror matches)", str(result.neutral))
    summary.add_row("precision", pct(result.precision))
    summary.add_row("recall", pct(result.recall))
    summary.add_row("F1", pct(result.f1))
    summary.add_row("root accuracy", f"{pct(result.root_accuracy)} of {result.root_checked}")
    summary.add_row("date accuracy", f"{pct(result.date_accuracy)} of {result.date_checked}")
    if result.unknown_docs:
        summary.add_row("predictions in unknown documents", str(result.unknown_docs))
    out.print(summary)

    quads = Table(title="By quad class")
    quads.add_column("quad")
    for name in ("gold", "tp", "fp", "fn", "precision", "recall", "F1"):
        quads.add_column(name, justify="right")
    for q, s in result.per_quad.items():
        quads.add_row(f"{q} {QUAD_NAMES.get(q, '')}", str(s.tp + s.fn), str(s.tp), str(s.fp),
                      str(s.fn), pct(s.precision), pct(s.recall), pct(s.f1))
    out.print(quads)

    confused = sorted(((n, g, p) for g, row in result.root_confusion.items()
                       for p, n in row.items() if g != p), reverse=True)
    if result.root_checked:
        pairs = ", ".join(f"{g}→{p} ×{n}" for n, g, p in confused) or "none"
        out.print(f"Roots of true positives: {result.root_correct} of {result.root_checked} "
                  f"right; gold→predicted confusions: {pairs}")
    near = ", ".join(f"{g}→{p} ×{n}" for g, row in result.quad_confusion.items()
                     for p, n in row.items())
    if near:
        out.print(f"Near misses, gold quad→predicted quad: {near}")

    classes = Table(title="Error classes")
    for name in ("kind", "class"):
        classes.add_column(name)
    classes.add_column("count", justify="right")
    for kind, counts in result.error_classes().items():
        for name, n in counts.items():
            classes.add_row(kind.replace("_", " "), name, str(n))
    out.print(classes)
    if negatives is not None:
        on_negatives = ", ".join(f"{why} {n}" for why, n in result.negatives.items()) or "none"
        out.print(f"False alarms on the {result.negatives_listed} negative sentences of "
                  f"{negatives.name}: {on_negatives}")

    if errors and result.misses:
        table = Table(title=f"Misses ({min(errors, len(result.misses))} of {len(result.misses)})")
        _error_columns(table, "gold event")
        for m in result.misses[:errors]:
            table.add_row(m.doc, f"{m.source}→{m.target} {m.cameo} (q{m.quad})", m.error,
                          m.sentence)
        out.print(table)
    if errors and result.false_alarms:
        shown = min(errors, len(result.false_alarms))
        table = Table(title=f"False alarms ({shown} of {len(result.false_alarms)})")
        _error_columns(table, "predicted event")
        for f in result.false_alarms[:errors]:
            event = f"{f.source}→{f.target} {f.cameo} (q{f.quad})"
            if f.trigger:
                event += f" “{f.trigger}”"
            error = f.error if f.negative is None else f"{f.error}; negative: {f.negative}"
            table.add_row(f.doc, event, error, f.sentence)
        out.print(table)


def _error_columns(table: Table, event: str) -> None:
    table.add_column("doc", no_wrap=True)
    table.add_column(event, max_width=20)
    table.add_column("class", max_width=16)
    table.add_column("sentence", ratio=1, overflow="fold")


# -- serve --------------------------------------------------------------------------------
@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on. Keep 127.0.0.1 unless others should see it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8765,
    un_votes: VotesOption = None,
    un_roll_calls: RollCallsOption = None,
    un_issue: UnIssueOption = None,
    un_issues: UnIssuesOption = None,
    events_dir: EventsOption = None,
    annotate: Annotated[bool, typer.Option(
        "--annotate", help="Let the page exclude events or mark them miscoded, with a "
        "reason (as `equipoise judge`); on 127.0.0.1 only, with a store.")] = False,
    who: Annotated[str, typer.Option(
        "--who", help="Who judges, with --annotate (default: the user name).")] = "",
) -> None:
    """Serve a local dashboard of the store to the browser (Ctrl+C stops it).

    The page shows the tilt, equidistance and events by dyad and quad class, with the
    events and sentences behind every point; its JSON API is described at /openapi.json.
    It only reads the store, unless --annotate lets it record judgements of events.
    """
    import getpass

    from equipoise.outputs import server

    if annotate and host not in server.LOCAL_HOSTS:
        raise typer.BadParameter("--annotate serves on 127.0.0.1 only: the page can write "
                                 "to the store", param_hint="--host")
    if annotate and events_dir is not None:
        raise typer.BadParameter("--annotate stores judgements in a store: give --db, not "
                                 "--events", param_hint="--annotate")
    where = _where(db, events_dir)
    issues = _un_issue(un_issue, un_issues, un_votes)
    votes = None
    if un_votes is not None:
        votes = _read_un_votes(un_votes, un_roll_calls, issues)
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(f"[yellow]warning:[/yellow] listening on {host}: the dashboard has no "
                      "login, so anyone who can reach this address can read the store")
    shown = where.get("db", where.get("events"))
    console.print(f"equipoise dashboard for {shown} at http://{_url_host(host)}:{port}/")
    if annotate:
        console.print("annotating: judgements made on the page are stored in the store")
    dataset = {"events": where["events"]} if "events" in where else {}
    server.serve(where.get("db"), host=host, port=port, un_votes=votes, annotate=annotate,
                 who=(who or getpass.getuser()) if annotate else "", **dataset)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


# -- import -------------------------------------------------------------------------------
@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Event files: plain, .gz or .zip.")],
    fmt: Annotated[str, typer.Option("--format", help="gdelt1, gdelt2, icews, polecat or acled.")],
    earliest: EarliestOption = None,
    latest: LatestOption = None,
    db: DbOption = None,
) -> None:
    """Add events from a structured dataset (GDELT 1.0/2.0, ICEWS, POLECAT, ACLED) to the store.

    Each file is imported whole or not at all. Importing a file again replaces its events
    instead of adding them twice. Rows that are not between two different states or blocs
    are skipped, as are rows repeating a record id; rows that cannot be read are listed
    with their file and line, and the exit status is then 1.
    """
    from rich.markup import escape

    from equipoise.sources import SourceError
    from equipoise.sources.datasets import FORMATS, ImportReport
    from equipoise.sources.files import display_path
    from equipoise.sources.importing import import_file

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    dates = _date_range(earliest, latest)
    report = ImportReport()
    failed = 0
    with _open_store(db) as store, Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"),
        TextColumn("{task.completed:,} rows read"), TimeElapsedColumn(), console=console,
    ) as progress:
        for path in paths:
            task = progress.add_task(escape(display_path(path.name)), total=None)
            part = ImportReport()

            def read_so_far(rows: int, task=task) -> None:
                progress.update(task, completed=rows)

            try:
                # One transaction a file: a file that fails halfway stores nothing.
                import_file(store, path, fmt, part, dates=dates, progress=read_so_far)
            except SourceError as exc:
                failed += 1
                part.errors.append(f"{exc} (nothing imported from this file)")
                report.errors.extend(part.errors)
            else:
                report.merge(part)
            progress.update(task, completed=part.rows, total=part.rows or 1)
            for error in part.errors:
                console.print(f"[red]error:[/red] {escape(error)}")
    out.print(escape(
        f"{report.rows:,} rows read from {len(paths) - failed} file(s): "
        f"{report.added:,} events imported, {report.replaced:,} replaced (already stored); "
        f"skipped {report.domestic:,} domestic and {report.no_actor:,} with no state or bloc "
        "on a side"
        + (f", {report.unmapped:,} with no CAMEO equivalent" if report.unmapped else "")
        + (f", {report.duplicates:,} repeating a record id" if report.duplicates else "")
        + f"; {len(report.errors):,} errors"
        + (f"; {failed} file(s) not imported" if failed else "")
    ))
    if report.errors:
        raise typer.Exit(1)


# -- fetch --------------------------------------------------------------------------------
# Errors reach the top group's _Commands, which knows --debug.
fetch_app = typer.Typer(
    no_args_is_help=True, add_completion=False,
    help="Download event datasets and import them into the store.",
)  # fmt: skip
app.add_typer(fetch_app, name="fetch")


@fetch_app.command("gdelt")
def fetch_gdelt(
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str | None, typer.Option(
        "--to", help="Last day (YYYY-MM-DD). Default: today (UTC).")] = None,
    v2: Annotated[bool, typer.Option(
        "--v2/--v1", help="GDELT 2.0's 15-minute files, or GDELT 1.0's daily files.")] = False,
    countries: Annotated[str | None, typer.Option(
        "--countries", help="Keep events with one of these states or blocs on either side, "
        "e.g. AZE,TUR,RUS. Default: all.")] = None,
    roots: Annotated[str | None, typer.Option(
        "--roots", help="Keep events of these CAMEO root codes, e.g. 04,19. Default: all.")
    ] = None,
    cache: Annotated[Path | None, typer.Option(
        "--cache", help="Folder of the downloaded files. Default: $EQUIPOISE_CACHE/gdelt, "
        "else the user's cache folder (~/.cache/equipoise/gdelt on Linux).")] = None,
    db: DbOption = None,
    parquet: Annotated[Path | None, typer.Option(
        "--parquet", help="Write each file's events as NAME.parquet in this folder "
        "instead of importing them into a store.")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="A mirror of GDELT's files. Default: http://data.gdeltproject.org.")
    ] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0.01, help="Seconds to wait for a connection or for data.")] = 60.0,
    attempts: Annotated[int, typer.Option(
        "--attempts", min=1, help="Tries per request before a file is given up.")] = 5,
) -> None:
    """Download GDELT event files of a date window, check them and import them.

    Files are kept in a cache: a file already there whole is not downloaded again, and
    a file already imported with the same filter is not imported again. Server errors,
    timeouts and dropped connections are tried again; files the server does not have,
    or that never check out, are listed at the end, and the exit status is then 1.
    """
    from equipoise.sources.filters import EventFilter
    from equipoise.sources.gdeltfetch import (
        DEFAULT_BASE_URL,
        Fetcher,
        FetchError,
        ParquetSink,
        Retry,
        Sink,
        Step,
        StoreSink,
        fetch_and_import,
        uncovered,
    )

    first = _date(start, "--from")
    last = _date(end, "--to") if end is not None else dt.datetime.now(dt.UTC).date()
    assert first is not None and last is not None
    if last < first:
        raise typer.BadParameter(f"{last} is before --from {first}", param_hint="--to")
    if db is not None and parquet is not None:
        raise typer.BadParameter("give --db or --parquet, not both", param_hint="--parquet")
    keep = EventFilter.build(_codes(countries), _codes(roots))
    version = 2 if v2 else 1
    with Fetcher(cache, base_url or DEFAULT_BASE_URL, timeout=timeout,
                 retry=Retry(attempts=attempts)) as fetcher:  # fmt: skip
        with console.status(f"reading GDELT {version}.0's file list"):
            files = fetcher.files(version, first, last)
        if not files:
            raise FetchError(f"no GDELT {version}.0 event file covers {first} to {last}")
        gaps = uncovered(files, first, last)
        if gaps:
            shown = ", ".join(str(day) for day in gaps[:5]) + (", ..." if len(gaps) > 5 else "")
            console.print(f"[yellow]warning:[/yellow] no GDELT {version}.0 file covers "
                          f"{len(gaps):,} day(s) of the window: {shown}", soft_wrap=True)
        listed = sum(f.size or 0 for f in files)
        console.print(f"{len(files):,} GDELT {version}.0 file(s) cover {first} to {last} "
                      f"({_megabytes(listed)}); cache: {escape(str(fetcher.cache))}; "
                      f"keeping {keep.describe()}", soft_wrap=True)  # fmt: skip
        store = None
        sink: Sink
        if parquet is not None:
            sink, where = ParquetSink(parquet), parquet
        else:
            store = _open_store(db)
            sink, where = StoreSink(store), store.path
        try:
            with _progress() as progress:
                task = progress.add_task("GDELT", total=len(files))

                def show(step: Step) -> None:
                    if step.stage == "done":
                        progress.advance(task)
                    elif step.stage == "download":
                        progress.update(task, description=f"{step.file.name} "
                                        f"{_megabytes(step.amount)}")  # fmt: skip
                    else:
                        progress.update(task, description=f"{step.file.name} "
                                        f"{step.amount:,} rows")  # fmt: skip

                summary = fetch_and_import(fetcher, files, sink, keep, show)
                progress.update(task, description="GDELT")
        finally:
            if store is not None:
                store.close()
    _print_fetch(summary, where)
    if summary.failed or summary.report.errors:
        raise typer.Exit(1)


def _codes(text: str | None) -> list[str]:
    return [code for code in (text or "").split(",") if code.strip()]


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _print_fetch(summary, where: Path) -> None:
    """The end of ``fetch gdelt``: files fetched, from the cache, failed; rows imported."""
    report = summary.report
    for error in report.errors[:20]:
        console.print(f"[red]error:[/red] {escape(error)}")
    if len(report.errors) > 20:
        console.print(f"... and {len(report.errors) - 20:,} more row errors")
    out.print(escape(
        f"{len(summary.fetched):,} file(s) fetched ({_megabytes(summary.received)}), "
        f"{len(summary.cached):,} from the cache, {len(summary.failed):,} failed; "
        f"{len(summary.imported):,} imported, {len(summary.already):,} imported before "
        "(passed over)"
    ), soft_wrap=True)
    out.print(escape(
        f"{report.rows:,} rows read: {report.added:,} events imported, {report.replaced:,} "
        f"replaced (already stored); skipped {report.domestic:,} domestic, "
        f"{report.no_actor:,} with no state or bloc on a side, {report.filtered:,} "
        "outside the filter"
        + (f", {report.duplicates:,} repeating a record id" if report.duplicates else "")
        + f"; {len(report.errors):,} row errors"
        + f" ({where})"
    ), soft_wrap=True)
    for name, reason in summary.failed:
        out.print(escape(f"failed: {name}: {reason}"), highlight=False, soft_wrap=True)


def main() -> None:
    """The ``equipoise`` program: errors are reported by :class:`_Commands`."""
    app()


if __name__ == "__main__":
    main()
