"""``equipoise report`` (one offline HTML file) and ``equipoise demo``, which ends in one."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from equipoise.outputs.cli.analysis import _read_un_votes, _un_issue, _warn_left_out, _warn_overlaps
from equipoise.outputs.cli.coding import code
from equipoise.outputs.cli.documents import ingest
from equipoise.outputs.cli.group import console, out
from equipoise.outputs.cli.options import (
    BackgroundOption,
    BootOption,
    DbOption,
    DirectionOption,
    EventsOption,
    FocalOption,
    FreqOption,
    FromOption,
    LevelOption,
    MinEventsOption,
    OverlapOption,
    PolesOption,
    RollCallsOption,
    ToOption,
    UnIssueOption,
    UnIssuesOption,
    UnMeasureOption,
    VotesOption,
    WeightOption,
    _un_measure,
)
from equipoise.outputs.cli.stores import _existing_db, _where


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
