"""``equipoise demo``: the sample articles ingested, coded, aligned and reported."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from equipoise.outputs.cli.analysis import _write_report
from equipoise.outputs.cli.coding import code
from equipoise.outputs.cli.documents import ingest
from equipoise.outputs.cli.group import console, out
from equipoise.outputs.cli.stores import _existing_db


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
