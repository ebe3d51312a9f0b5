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
from typing import Annotated

import typer
from rich.console import Console
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

from equipoise.records import Document

app = typer.Typer(
    help="Which way does a state lean between rival powers? Code news into events and measure it.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)
out = Console()

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store file. Default: $EQUIPOISE_DB, else ./equipoise.duckdb."),
]
FocalOption = Annotated[str, typer.Option("--focal", help="ISO3 code of the focal state.")]
PolesOption = Annotated[
    str, typer.Option("--poles", help="Comma-separated pole codes, e.g. TUR,RUS,IRN,USA,EU.")
]
FromOption = Annotated[str | None, typer.Option("--from", help="First date (YYYY-MM-DD).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).")]
FreqOption = Annotated[str, typer.Option("--freq", help="month, quarter or year.")]


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


def _poles(value: str) -> list[str]:
    poles = [p.strip().upper() for p in value.split(",") if p.strip()]
    if not poles:
        raise typer.BadParameter("give at least one pole", param_hint="--poles")
    return poles


def _open_store(db: str | None, read_only: bool = False):
    from equipoise.store import Store, StoreError, resolve_db_path

    path = resolve_db_path(db)
    try:
        return Store(path, read_only=read_only)
    except StoreError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


# -- ingest -------------------------------------------------------------------------------
@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt .html .htm .jsonl")],
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date for .txt/.html files.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Add news documents to the store. Documents already stored are skipped."""
    from equipoise.sources import iter_documents, parse_date

    published = None
    if date is not None:
        try:
            published = parse_date(date)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--date") from None
    errors: list[str] = []
    seen = 0

    def documents(progress: Progress, task) -> Iterator[Document]:
        nonlocal seen
        for item in iter_documents(paths, date=published):
            for warning in item.warnings:
                console.print(f"[yellow]warning:[/yellow] {warning}")
            if item.error is not None:
                errors.append(str(item.error))
                console.print(f"[red]error:[/red] {item.error}")
            elif item.document is not None:
                seen += 1
                yield item.document
            progress.advance(task)

    with _open_store(db) as store, _progress() as progress:
        task = progress.add_task("Ingesting", total=None)
        added, skipped = store.add_documents(documents(progress, task))
    console.print(f"{added} added, {skipped} already stored, {len(errors)} failed ({store.path})")
    if errors:
        raise typer.Exit(1)


# -- code ---------------------------------------------------------------------------------
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
) -> None:
    """Code documents into events: the store's uncoded documents, or a JSONL file."""
    from equipoise.coding.coder import Coder

    if docs is not None:
        if output is None:
            raise typer.BadParameter("standalone coding needs --output", param_hint="--output")
        _code_file(docs, output, Coder())
        return
    if output is not None:
        raise typer.BadParameter("--output goes with a DOCS.jsonl argument", param_hint="--output")
    with _open_store(db) as store:
        coder = Coder()
        todo = store.count_uncoded(coder.version)
        n_events = 0
        with _progress() as progress:
            task = progress.add_task("Coding", total=todo)
            while True:
                batch = store.uncoded_documents(coder.version, limit=200)
                if not batch:
                    break
                for doc, events in coder.code(batch):
                    store.replace_events(doc.id, coder.version, events)
                    n_events += len(events)
                    progress.advance(task)
    console.print(f"{todo} documents coded, {n_events} events ({coder.version})")


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
    n_events = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f, _progress() as progress:
            task = progress.add_task("Coding", total=len(docs))
            for doc, events in coder.code(docs):
                for event in events:
                    f.write(json.dumps(event.to_json(doc.ref or doc.id), ensure_ascii=False))
                    f.write("\n")
                n_events += len(events)
                progress.advance(task)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    console.print(f"{len(docs)} documents, {n_events} events -> {output}")
    if errors:
        raise typer.Exit(1)


# -- align --------------------------------------------------------------------------------
@app.command()
def align(
    focal: FocalOption,
    poles: PolesOption,
    start: FromOption = None,
    end: ToOption = None,
    freq: FreqOption = "month",
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    db: DbOption = None,
) -> None:
    """Tilt of FOCAL toward each pole, period by period."""
    from equipoise.analysis import verdict

    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter("use table, json or csv", param_hint="--format")
    aligned = _aligned(focal, poles, start, end, freq, db)
    if fmt == "json":
        out.print_json(aligned.to_json(orient="records", date_format="iso"))
    elif fmt == "csv":
        sys.stdout.write(aligned.to_csv(index=False))
    else:
        out.print(_table(aligned))
        out.print(verdict(aligned, focal=focal.upper()))


def _aligned(focal, poles, start, end, freq, db):
    from equipoise.api import align as api_align

    try:
        return api_align(focal.upper(), _poles(poles), db=_existing_db(db),
                         start=_date(start, "--from"), end=_date(end, "--to"), freq=freq)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def _existing_db(db: str | None) -> Path:
    from equipoise.store import resolve_db_path

    path = resolve_db_path(db)
    if not path.exists():
        console.print(f"[red]error:[/red] no store at {path}; run `equipoise ingest` first")
        raise typer.Exit(2) from None
    return path


def _table(aligned) -> Table:
    table = Table(caption="quads: verbal coop / material coop / verbal conflict / material "
                  "conflict, both directions")
    for name in ("period", "pole"):
        table.add_column(name, no_wrap=True)
    for name in ("events", "quads", "Goldstein", "net coop", "tilt"):
        table.add_column(name, justify="right", no_wrap=True)
    for row in aligned.itertuples(index=False):
        quads = (f"{row.verbal_coop}/{row.material_coop}/{row.verbal_conflict}/"
                 f"{row.material_conflict}")
        table.add_row(str(row.period), str(row.pole), str(row.n_events), quads,
                      _num(row.goldstein_mean), _num(row.net_coop), _num(row.tilt))
    return table


def _num(value: float) -> str:
    return "" if value != value else f"{value:+.2f}"


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
    db: DbOption = None,
) -> None:
    """Write a one-file HTML report: tilt chart and the events behind it."""
    path = _write_report(focal.upper(), _poles(poles), output, start, end, freq, db)
    console.print(f"report written to {path}")


def _write_report(focal, poles, output, start, end, freq, db) -> Path:
    from equipoise.analysis import align as align_events
    from equipoise.analysis import dyad_events
    from equipoise.outputs.report import render_report, write_report

    path = _existing_db(db)
    with _open_store(str(path), read_only=True) as store:
        frame = store.events_frame(actors=[focal, *poles], start=_date(start, "--from"),
                                   end=_date(end, "--to"))
        coverage = store.stats()
    try:
        aligned = align_events(frame, focal, poles, start=_date(start, "--from"),
                               end=_date(end, "--to"), freq=freq)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    html = render_report(aligned, dyad_events(frame, focal, poles), focal, poles,
                         coverage=coverage)
    return write_report(output, html)


# -- demo ---------------------------------------------------------------------------------
@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Store for the demo.")] = "equipoise-demo.duckdb",
    output: Annotated[Path, typer.Option("--output", "-o", help="Report file.")] = Path(
        "equipoise-demo-report.html"),
) -> None:
    """Ingest the bundled sample articles, code them, and report AZE between TUR, RUS and IRN."""
    from equipoise.analysis import verdict

    sample = resources.files("equipoise") / "data" / "sample"
    with resources.as_file(sample) as folder:
        console.rule("1. ingest the sample corpus")
        _run(ingest, [folder], date=None, db=db)
        console.rule("2. code events")
        _run(code, None, output=None, db=db)
    # The sample's articles run from mid-2019 to the end of 2020; some events they
    # mention are older, so the window is set rather than taken from the event dates.
    focal, poles, start, end = "AZE", "TUR,RUS,IRN", "2019-06-01", "2020-12-31"
    console.rule(f"3. align {focal} between {poles}")
    aligned = _aligned(focal, poles, start, end, "quarter", db)
    out.print(_table(aligned))
    console.rule("4. report")
    path = _write_report(focal, _poles(poles), output, start, end, "month", db)
    out.print()
    out.print(f"[bold]{verdict(aligned, focal=focal)}[/bold]")
    out.print(f"Report: {path.resolve()}")
    out.print(f"Store:  {Path(db).resolve()}")
    out.print(f"Next:   equipoise align --db {db} --focal AZE --poles TUR,RUS,IRN "
              f"--from {start} --freq month")


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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
