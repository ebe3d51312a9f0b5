"""Event datasets in: ``equipoise import`` (GDELT, ICEWS, POLECAT, ACLED files) and
``equipoise fetch gdelt`` (download, then import).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from equipoise.outputs.cli.group import _progress, console, out
from equipoise.outputs.cli.options import DbOption, EarliestOption, LatestOption, _date, _date_range
from equipoise.outputs.cli.stores import _open_store


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


# Errors reach the top group's _Commands, which knows --debug.
fetch_app = typer.Typer(
    no_args_is_help=True, add_completion=False,
    help="Download event datasets and import them into the store.",
)  # fmt: skip


@fetch_app.command("gdelt")
def fetch_gdelt(
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str | None, typer.Option(
        "--to", help="Last day (YYYY-MM-DD). Default: today (UTC).")] = None,
    v2: Annotated[bool, typer.Option(
        "--v2/--v1", help="GDELT 2.0's 15-minute files, or GDELT 1.0's daily files.")] = False,
    countries: Annotated[str | None, typer.Option("--countries", help=(
        "Keep events with one of these states or blocs on either side, e.g. AZE,TUR,RUS. "
        "Default: all."))] = None,
    roots: Annotated[str | None, typer.Option("--roots", help=(
        "Keep events of these CAMEO root codes, e.g. 04,19. Default: all."))] = None,
    cache: Annotated[Path | None, typer.Option("--cache", help=(
        "Folder of the downloaded files. Default: $EQUIPOISE_CACHE/gdelt, else the user's "
        "cache folder (~/.cache/equipoise/gdelt on Linux)."))] = None,
    db: DbOption = None,
    parquet: Annotated[Path | None, typer.Option("--parquet", help=(
        "Write each file's events as NAME.parquet in this folder instead of importing "
        "them into a store."))] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help=(
        "A mirror of GDELT's files. Default: http://data.gdeltproject.org."))] = None,
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
