"""The analysis commands: ``align``, ``events``, ``un-position`` and ``report`` (one
offline HTML file), with what they share of UN votes and warnings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from equipoise.outputs.cli.group import console, out
from equipoise.outputs.cli.options import (
    BackgroundOption,
    BootOption,
    ChangeOption,
    CiOption,
    DbOption,
    DirectionOption,
    EventsOption,
    FocalOption,
    FocalsOption,
    FreqOption,
    FromOption,
    IdealPointsOption,
    IntervalOption,
    LevelOption,
    MinEventsOption,
    OverlapOption,
    PolesOption,
    RollCallsOption,
    SalienceOption,
    ToOption,
    UnIssueOption,
    UnIssuesOption,
    UnMeasureOption,
    VotesOption,
    WeightOption,
    _un_measure,
)
from equipoise.outputs.cli.stores import _where

if TYPE_CHECKING:
    from equipoise.analysis.result import Alignment


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
