"""The JSON each endpoint answers, as pydantic models: the reference of ``/openapi.json``."""

from __future__ import annotations

from pydantic import BaseModel, Field

from equipoise.outputs import jsonify

Record = jsonify.Record


class ActorCount(BaseModel):
    code: str
    name: str | None = None
    events: int = Field(description="Event rows in which the actor is source or target.")


class BlocCode(BaseModel):
    code: str
    name: str | None = None
    members: int = Field(description="States ever listed as members in the membership table.")


class ActorsResponse(BaseModel):
    store: Record = Field(description="Documents, events, coded documents, first and last event.")
    actors: list[ActorCount]
    blocs: list[BlocCode]
    focal: str | None = None
    partners: list[ActorCount] = Field(
        default_factory=list,
        description="With focal: the actors its events are with, by events (rows) per actor.",
    )
    features: Record = Field(description="Optional endpoints this server has, e.g. unvotes.")


class AlignResponse(BaseModel):
    focal: str
    poles: list[str]
    colours: dict[str, str] = Field(description="Each pole's colour, stable across views.")
    options: Record = Field(description="The options align ran with, and its notes.")
    records: list[Record] = Field(description="One row per (period, pole), align's columns.")
    equidistance: list[Record] = Field(description="One row per period.")
    summary: list[Record] = Field(description="One row per pole over the whole window.")
    verdict: str
    charts: dict[str, Record] = Field(
        description="Chart specs as static/charts.js draws them, the report's own: tilt, "
        "score and net_coop over time (lineChart), equidistance (two poles or more) and "
        "heat (dyad by quad heatMap). Change point markers come from /api/changepoints.")


class ChangepointsResponse(BaseModel):
    focal: str
    poles: list[str]
    options: Record
    status: str | None = Field(
        default=None, description='"tested", or "too short to test" (fewer than 12 periods).')
    points: list[Record] = Field(description="One row per pole and break, with its stability.")
    drivers: list[Record] = Field(description="Reports of each change point's top stories.")
    markers: list[Record] = Field(
        description="A marker per change point for the tilt chart's spec (its markers).")


class EventsResponse(BaseModel):
    focal: str
    pole: str
    period: str | None
    start: str | None = Field(description="First day the events were taken from.")
    end: str | None = Field(description="Last day the events were taken from.")
    total: int = Field(description="Events matching, before the limit.")
    events: list[Record]


class JudgementsResponse(BaseModel):
    annotate: bool = Field(description="Whether this server takes judgements.")
    judgements: list[Record] = Field(description="Every judgement, oldest first.")


class UnvotesResponse(BaseModel):
    focal: str
    poles: list[str]
    by: str
    measure: str = Field(description="The records' column to show as chance-corrected agreement.")
    records: list[Record]
    charts: dict[str, Record] = Field(
        description="Line chart specs as static/charts.js draws them, the report's own: "
        "un-agree-share, un-s-score and un-pi or un-kappa (the measure asked).")


class PlacesResponse(BaseModel):
    focal: str
    poles: list[str]
    start: str | None = Field(description="Window start, as given.")
    end: str | None = Field(description="Window end, as given.")
    events: int = Field(description="Events between focal and the poles in the window.")
    located: int = Field(description="Of those, events whose dataset gives coordinates.")
    colours: dict[str, str] = Field(description="The colour of each quad class, by number.")
    places: list[Record] = Field(
        description="One row per place, most events first: latitude, longitude, place, "
        "n_events, the counts by quad class and the quad class most of them have.")


class OutlinesResponse(BaseModel):
    view_box: str = Field(description="The SVG viewBox: tenths of a degree, x east, y south.")
    outlines: list[Record] = Field(description="Each country's name, iso and SVG path d.")


class SpanResponse(BaseModel):
    start: str | None = Field(description="First day of the densest window.")
    end: str | None = Field(description="Last day of the densest window.")
    freq: str = Field(description="A frequency that suits the window.")
    n_events: int = Field(description="Events between focal and poles (background left out).")
