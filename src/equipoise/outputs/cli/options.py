"""Options that several commands share, and the reading of their values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

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


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        message = f"{value!r} is not a date (YYYY-MM-DD)"
        raise typer.BadParameter(message, param_hint=option) from None


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


ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="A model file from `equipoise train`. Default: the "
                 "model the package ships."),
]
RulesOnlyOption = Annotated[
    bool, typer.Option("--rules-only", help="Code with the rules alone, no learned layer.")]


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
