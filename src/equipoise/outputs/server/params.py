"""The query parameters of each endpoint, parsed by type with pydantic and turned into a
:class:`~equipoise.analysis.query.Query`, and the bodies of judgements.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi.responses import Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from equipoise.analysis.align import DIRECTIONS, WEIGHTS
from equipoise.analysis.query import OVERLAPS, Query
from equipoise.outputs.server.http_errors import ApiError
from equipoise.outputs.server.policy import MAX_EVENTS, MAX_N_BOOT
from equipoise.reference.periods import FREQ_CODES

_PERIOD_SHAPES = {
    "month": (re.compile(r"\d{4}-(0[1-9]|1[0-2])"), "YYYY-MM, e.g. 2020-07"),
    "quarter": (re.compile(r"\d{4}Q[1-4]"), "YYYYQn, e.g. 2020Q3"),
    "year": (re.compile(r"\d{4}"), "YYYY, e.g. 2020"),
}


def _blank_to_none(value: object) -> object:
    """An empty query value (``start=``) means "not given"."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


# A day as YYYY-MM-DD, read by the Query as the command line's --from and --to are.
OptionalDate = Annotated[str | None, BeforeValidator(_blank_to_none)]
_DAY: dict[str, Any] = {"format": "date"}


EXPORTS = ("json", "csv")


def _export(fmt: str) -> bool:
    """Whether a table was asked for as CSV; an unknown format is an invalid query."""
    if fmt not in EXPORTS:
        raise ApiError(422, f"format: unknown format {fmt!r}: use one of 'json', 'csv'")
    return fmt == "csv"


def _csv(table: pd.DataFrame, name: str) -> Response:
    """A table as a CSV download."""
    return Response(table.to_csv(index=False), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _one_of(values: Iterable[str]) -> dict[str, Any]:
    """The allowed values, for the OpenAPI description only: the Query checks them."""
    return {"enum": list(values)}


_FOCAL = "Focal actor: ISO 3166 alpha-3 state code (AZE) or bloc code (NATO, EU, CSTO...)."
_POLES = "Comma-separated pole codes, states or blocs, e.g. TUR,RUS,NATO (at most 12)."
_START = "First day of the window, YYYY-MM-DD (inclusive). Default: the first dyad event."
_END = "Last day of the window, YYYY-MM-DD (inclusive). Default: the last dyad event."
_FREQ = "Period length: month, quarter or year."


class _Query(BaseModel):
    """Query parameters; unknown ones are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Parameters are parsed by type here and checked by equipoise.analysis.query.Query, the
# one check the command line and the Python API share; the bounds left here (le=...)
# are this server's budget for one request.


class WindowQuery(_Query):
    focal: str = Field(description=_FOCAL, examples=["AZE"])
    poles: str = Field(description=_POLES, examples=["TUR,RUS,IRN"])
    start: OptionalDate = Field(None, description=_START, json_schema_extra=_DAY)
    end: OptionalDate = Field(None, description=_END, json_schema_extra=_DAY)
    freq: str = Field("month", description=_FREQ, json_schema_extra=_one_of(FREQ_CODES))

    def query(self) -> Query:
        return Query.build(self.focal, self.poles, self.start, self.end, self.freq)


class AlignQuery(WindowQuery):
    weight: str = Field(
        "count",
        description="Value of an event in the score: count (+1 cooperation, -1 conflict), "
        "goldstein (Goldstein / 10) or plover (PLOVER score / 10).",
        json_schema_extra=_one_of(WEIGHTS),
    )
    direction: str = Field(
        "out", description="Events behind the score: out (focal to pole: the lean), in "
        "(pole to focal), or both (relations).",
        json_schema_extra=_one_of(DIRECTIONS),
    )
    ci: Annotated[float | None, BeforeValidator(_blank_to_none)] = Field(
        None, description="Coverage of bootstrap intervals (e.g. 0.9); none when omitted."
    )
    n_boot: int = Field(500, le=MAX_N_BOOT, description="Bootstrap replicates with ci.")
    min_events: int = Field(
        3, le=10_000, description="Fewer scored events than this: insufficient data."
    )
    smoothing: float = Field(
        2.0, le=1000, description="Pseudo-events at the focal state's own level in the "
        "period added to every cell."
    )
    overlap: str = Field(
        "keep", description="A pole that is a member of another pole (TUR and NATO): keep "
        "its events in both, or exclude them from the bloc.",
        json_schema_extra=_one_of(OVERLAPS))
    include_background: bool = Field(
        False, description="Count background events (dated only to a year before their "
        "document's year) in the series.")
    salience: bool = Field(
        False, description="Read each pole's events with anyone from the whole store for "
        "the volume and salience columns (a scan of every event); without, they are null.")
    format: str = Field("json", description="json, or csv for the alignment table alone.",
                        json_schema_extra=_one_of(EXPORTS))

    def query(self) -> Query:
        return Query.build(self.focal, self.poles, self.start, self.end, self.freq,
                     weight=self.weight, direction=self.direction, smoothing=self.smoothing,
                     ci=self.ci, n_boot=self.n_boot, min_events=self.min_events,
                     overlap=self.overlap, include_background=self.include_background,
                     salience=self.salience)


class ChangepointQuery(WindowQuery):
    weight: str = Field("count", description="As for /api/align.",
                        json_schema_extra=_one_of(WEIGHTS))
    direction: str = Field("out", description="As for /api/align.",
                           json_schema_extra=_one_of(DIRECTIONS))
    min_events: int = Field(3, le=10_000, description="As for /api/align.")
    smoothing: float = Field(2.0, le=1000, description="As for /api/align.")
    top: int = Field(5, le=50, description="Driving documents listed per change point.")

    def query(self) -> Query:
        return Query.build(self.focal, self.poles, self.start, self.end, self.freq,
                     weight=self.weight, direction=self.direction, smoothing=self.smoothing,
                     min_events=self.min_events, changepoints=True, top=self.top)


class EventsQuery(_Query):
    focal: str = Field(description=_FOCAL, examples=["AZE"])
    pole: str = Field(description="One pole code, state or bloc.", examples=["TUR"])
    period: Annotated[str | None, BeforeValidator(_blank_to_none)] = Field(
        None,
        description="A period label as /api/align gives it (2020-07, 2020Q3, 2020), matching "
        "freq. Default: the whole window.",
        examples=["2020-07"],
    )
    freq: str = Field("month", description="What period means: month, quarter or year.",
                      json_schema_extra=_one_of(FREQ_CODES))
    start: OptionalDate = Field(
        None, description="Window start, as for /api/align.", json_schema_extra=_DAY)
    end: OptionalDate = Field(
        None, description="Window end, as for /api/align.", json_schema_extra=_DAY)
    quad: Annotated[int | None, BeforeValidator(_blank_to_none)] = Field(
        None,
        ge=1,
        le=4,
        description="Quad class only: 1 verbal cooperation, 2 material cooperation, "
        "3 verbal conflict, 4 material conflict.",
    )
    direction: str = Field(
        "both",
        description="out: focal to pole and joint events; in: pole to focal and joint; both: all.",
        json_schema_extra=_one_of(DIRECTIONS),
    )
    limit: int = Field(200, ge=1, le=MAX_EVENTS, description="Most events returned.")
    format: str = Field("json", description="json, or csv: the events as a table.",
                        json_schema_extra=_one_of(EXPORTS))

    def query(self) -> Query:
        return Query.build(self.focal, [self.pole], self.start, self.end, self.freq,
                     direction=self.direction)


class SpanQuery(_Query):
    focal: str = Field(description=_FOCAL, examples=["AZE"])
    poles: str = Field(description=_POLES, examples=["TUR,RUS,IRN"])

    def query(self) -> Query:
        return Query.build(self.focal, self.poles)


class PlacesQuery(_Query):
    focal: str = Field(description=_FOCAL, examples=["AZE"])
    poles: str = Field(description=_POLES, examples=["TUR,RUS,IRN"])
    start: OptionalDate = Field(None, description=_START, json_schema_extra=_DAY)
    end: OptionalDate = Field(None, description=_END, json_schema_extra=_DAY)

    def query(self) -> Query:
        return Query.build(self.focal, self.poles, self.start, self.end)


class ActorsQuery(_Query):
    focal: Annotated[str | None, BeforeValidator(_blank_to_none)] = Field(
        None, description="Also list this actor's partners, most events first."
    )


class UnvotesQuery(_Query):
    focal: str = Field(description="ISO 3166 alpha-3 code of the focal state.")
    poles: str = Field(
        description="Comma-separated pole codes; blocs are left out (states cast UN votes)."
    )
    by: Literal["session", "year"] = Field(
        "session", description="Group roll calls by General Assembly session or calendar year."
    )
    measure: Literal["pi", "kappa"] = Field(
        "pi",
        description="The chance-corrected measure to show: Scott's pi (chance from the two "
        "states' pooled votes) or Cohen's kappa; the records carry both.",
    )

    def query(self) -> Query:
        return Query.build(self.focal, self.poles)


class EventKey(BaseModel):
    """One coded event, named as ``/api/events`` lists it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    doc_id: str = Field(min_length=1, max_length=200, description="Its document id.")
    sent_start: int = Field(ge=0, description="Where its sentence starts in the document.")
    source: str = Field(min_length=1, max_length=20, description="Its source code.")
    target: str = Field(min_length=1, max_length=20, description="Its target code.")
    root: str = Field(pattern=r"^\d{2}$", description="Its CAMEO root, e.g. 11.")

    def key(self) -> tuple[str, int, str, str, str]:
        return (self.doc_id, self.sent_start, self.source.upper(), self.target.upper(),
                self.root)


class Judgement(EventKey):
    verdict: Literal["exclude", "miscoded"] = Field(
        description="exclude: left out of every analysis; miscoded: kept, marked for "
        "correction (with the right code in cameo).")
    reason: str = Field(min_length=1, max_length=1000, description="Why, kept with it.")
    cameo: Annotated[str | None, BeforeValidator(_blank_to_none)] = Field(
        None, max_length=4, description="The right CAMEO code of a miscoded event.")


def _period_bounds(period: str, freq: str) -> tuple[dt.date, dt.date]:
    shape, example = _PERIOD_SHAPES[freq]
    if not shape.fullmatch(period):
        raise ApiError(422, f"period: {period!r} is not a {freq} label ({example})")
    span = pd.Period(period, freq=FREQ_CODES[freq])
    return span.start_time.date(), span.end_time.date()
