"""``equipoise serve``: a local web dashboard over a store, and its JSON API.

:func:`create_app` builds the FastAPI application; :func:`serve` runs it with uvicorn,
bound to 127.0.0.1 unless told otherwise. The page at ``/`` draws the same charts as
the HTML report from the JSON API under ``/api/``, whose reference is the OpenAPI
description at ``/openapi.json`` (the interactive ``/docs`` pages are switched off:
they load their scripts from a CDN, and this server needs no network).

Every number comes from the functions behind the command line: :func:`equipoise.api.analyse`
(the alignment, equidistance, summary and verdict of one
:class:`~equipoise.analysis.result.Analysis`), :func:`equipoise.api.find_changepoints`,
:func:`equipoise.api.load_events` and :func:`equipoise.api.un_agreement`.

Read-only
    Each request opens the store read-only (DuckDB ``read_only=True``, as the Python API
    does) and closes it before answering, so the server never writes and holds no lock
    between requests. DuckDB lets readers in only while no writer holds the file: while
    ``equipoise ingest`` or ``code`` runs, the API answers 503 with the reason, and works
    again when the writer is done, without a restart.
Parameters
    Every endpoint parses its query parameters with a pydantic model that forbids
    unknown ones, then builds a :class:`~equipoise.analysis.query.Query`, which checks
    them as the command line and the Python API do. A bad or unknown parameter gives 422
    with a JSON ``{"detail": ...}`` message naming it; every SQL value is bound, never
    pasted into SQL.
Errors
    A question the analysis refuses, an unknown code or input that cannot be read (the
    classes of :mod:`equipoise.errors`) is answered 422 with its message, a store that
    cannot be opened 503. Any other exception is a fault of equipoise: the log gets its
    traceback under a short error id, the client 500 with that id and no trace.
Untrusted text
    News text (sentences, titles, URLs, actor mentions) goes out as JSON strings only.
    The page inlines nothing from the store and its script writes such text with
    ``textContent``; a Content-Security-Policy allows scripts from this server only.
Budget
    One request can cost only so much: at most ``MAX_POLES`` poles and ``MAX_N_BOOT``
    replicates, and periods x poles (x replicates) within the bounds of
    :mod:`equipoise.analysis.limits`, checked before the store is read when the window is
    given and before any counting when it is not (422 with the way to shrink it). Unknown
    codes are refused with the closest known ones (422). Analyses run one at a time
    (``ANALYSES_AT_ONCE``), so many requests at once cost no more memory than one; a
    request that waits longer than ``busy_timeout`` seconds gets 503. API requests that a
    browser marks as coming from another site (``Sec-Fetch-Site``), such as an image tag
    on a web page the analyst visits, are refused (403).
Annotating
    Only with ``annotate=True`` (``equipoise serve --annotate``, on 127.0.0.1 only) does
    the server write, and only the analyst's judgements of events (``POST`` and
    ``DELETE /api/judgements``, through :meth:`~equipoise.store.Store.judge`, as
    ``equipoise judge`` does). A write must carry the server's random token, which only
    the page it serves holds, in the ``X-Equipoise-Token`` header, be JSON, and come
    from this server's own origin: a page on another site can neither read the token
    nor send that header without the browser asking this server first, which it
    refuses. Without annotating those methods do not exist (405).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import pandas as pd
from fastapi import FastAPI, Request
from fastapi import Query as Params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from equipoise import api
from equipoise.analysis.align import DIRECTIONS, WEIGHTS
from equipoise.analysis.query import OVERLAPS, Query, actor_code
from equipoise.errors import BadInputError, InvalidQueryError, UnknownCodeError
from equipoise.outputs import jsonify, maps, specs
from equipoise.outputs.charts import pole_colours
from equipoise.outputs.jsonify import options, plain, records
from equipoise.reference.countries import names as _names
from equipoise.reference.memberships import default_memberships
from equipoise.reference.periods import FREQ_CODES
from equipoise.reference.quads import QUAD_NAMES
from equipoise.store import Store, StoreError
from equipoise.store.db import EventReader

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "open_store", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# Host headers accepted by default: a page on another site that rebinds its own name to
# 127.0.0.1 sends its own name as the Host, and is refused.
LOCAL_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "[::1]")
MAX_POLES = 12
MAX_N_BOOT = 2000
MAX_EVENTS = 1000
PARTNERS = 30
# Analyses computed at once; the others wait for their turn, up to busy_timeout seconds.
ANALYSES_AT_ONCE = 1
BUSY_TIMEOUT = 60.0
# Sec-Fetch-Site values of requests the API answers: from the page itself, or typed in.
_OWN_REQUESTS = ("same-origin", "none")
# The header that carries the annotating server's token.
TOKEN_HEADER = "X-Equipoise-Token"
_JUDGEMENTS = "/api/judgements"

_STATIC = Path(__file__).with_name("static")
_PERIOD_SHAPES = {
    "month": (re.compile(r"\d{4}-(0[1-9]|1[0-2])"), "YYYY-MM, e.g. 2020-07"),
    "quarter": (re.compile(r"\d{4}Q[1-4]"), "YYYYQn, e.g. 2020Q3"),
    "year": (re.compile(r"\d{4}"), "YYYY, e.g. 2020"),
}
# What the browser may do with the page: scripts and data from this server only.
_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}


# Errors about the request that the API answers 422; any other exception is internal.
_REQUEST_ERRORS = (InvalidQueryError, UnknownCodeError, BadInputError)

log = logging.getLogger("equipoise.server")


class ApiError(Exception):
    """An error the API answers with ``status`` and a JSON ``{"detail": message}``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


# --------------------------------------------------------------------------- parameters


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


# --------------------------------------------------------------------------- responses


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


# --------------------------------------------------------------------------- helpers


_Opened = TypeVar("_Opened", bound=EventReader)


@contextmanager
def _for_request(opener: Callable[[], _Opened]) -> Iterator[_Opened]:
    """What ``opener`` opens, held for one request and closed after it; a store that cannot
    be opened is a 503."""
    try:
        store = opener()
    except StoreError as exc:
        raise ApiError(503, str(exc)) from None
    try:
        yield store
    finally:
        store.close()


def open_store(db_path: str | os.PathLike[str] | None, events: str | None = None
               ) -> AbstractContextManager[Store | EventReader]:
    """The store (or the Parquet event dataset ``events``) opened read-only for one
    request; one that cannot be read is a 503."""
    return _for_request(lambda: api.open_events(events=events) if events is not None
                        else Store(db_path or "", read_only=True))  # fmt: skip


def _writable(db_path: Path) -> AbstractContextManager[Store]:
    """The store opened for writing for one judgement; one that cannot be opened (another
    process writing it) is a 503."""
    return _for_request(lambda: Store(db_path))


def _refused_write(request: Request, token: str) -> tuple[int, str] | None:
    """Why a write to the annotating server is refused, as (status, message), or None.

    The token must match; the body must be JSON (a form on another site can send only
    form encodings and plain text without asking first); a browser's Origin must be
    this server's own."""
    given = request.headers.get(TOKEN_HEADER, "")
    if not given or not secrets.compare_digest(given.encode(), token.encode()):
        return 403, f"a judgement needs the page's token in the {TOKEN_HEADER} header"
    origin = request.headers.get("origin")
    if origin is not None:
        own = {f"{scheme}://{request.headers.get('host', '')}".lower()
               for scheme in ("http", "https")}
        if origin.lower() not in own:
            return 403, f"writes from another origin ({origin}) are refused"
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        return 415, "a judgement is sent as application/json"
    return None


def _call(function, *args, **kwargs):
    """Run an :mod:`equipoise.api` function: a store that cannot be read is a 503; a
    question the analysis refuses, an unknown code or unreadable input a 422, each with
    the message. Anything else is left to the internal-error handler (500)."""
    try:
        return function(*args, **kwargs)
    except StoreError as exc:
        raise ApiError(503, str(exc)) from None
    except _REQUEST_ERRORS as exc:
        raise ApiError(422, str(exc)) from None


def _asked(build: Callable[[], Query]) -> Query:
    """The request's :class:`Query` (a refused one is a 422 with its message), within
    this server's budget of poles."""
    query = _call(build)
    if len(query.poles) > MAX_POLES:
        raise ApiError(422, f"poles: at most {MAX_POLES} poles")
    return query


class _Turns:
    """At most ``n`` analyses at once; a request that cannot start within ``timeout``
    seconds is answered 503."""

    def __init__(self, n: int, timeout: float) -> None:
        self._slots = threading.BoundedSemaphore(n)
        self.timeout = timeout

    @contextmanager
    def turn(self) -> Iterator[None]:
        if not self._slots.acquire(timeout=self.timeout):
            raise ApiError(503, "busy with other analyses; try again in a moment")
        try:
            yield
        finally:
            self._slots.release()


def _period_bounds(period: str, freq: str) -> tuple[dt.date, dt.date]:
    shape, example = _PERIOD_SHAPES[freq]
    if not shape.fullmatch(period):
        raise ApiError(422, f"period: {period!r} is not a {freq} label ({example})")
    span = pd.Period(period, freq=FREQ_CODES[freq])
    return span.start_time.date(), span.end_time.date()


@lru_cache(maxsize=1)
def _blocs() -> list[dict[str, Any]]:
    table = default_memberships()
    counts = table.groupby(table["bloc"].str.upper())["member"].nunique()
    names = _names()
    return [
        {"code": code, "name": names.get(code), "members": int(n)} for code, n in counts.items()
    ]


def _counts(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
    names = _names()
    return [{"code": code, "name": names.get(code), "events": n} for code, n in rows]


_EVENT_FIELDS = (
    "event_date", "date_precision", "pole", "direction",
    "source", "source_country", "source_sector", "source_text",
    "target", "target_country", "target_sector", "target_text",
    "cameo", "root", "quad", "quad_name", "goldstein", "plover", "symmetric", "reported",
    "trigger", "sentence", "sent_start", "doc_id", "doc_title", "doc_url", "doc_link",
    "published", "coder", "dataset", "story", "n_reports", "lead",
    # Where an imported record came from (NULL for coded events).
    "publisher", "place_name", "place_admin", "place_country", "latitude", "longitude",
    "story_id", "notes",
)  # fmt: skip
_KEY = ["doc_id", "sent_start", "source", "target", "root"]


def _event_records(frame: pd.DataFrame, judged: pd.DataFrame | None = None) -> list[Record]:
    """Events as JSON records, each with ``marks`` (where its actors and trigger are in
    its sentence, as the report marks them) and ``judgement`` (the analyst's, or null)."""
    from equipoise.outputs.report import highlight, safe_url

    frame = frame.copy()
    if "doc_url" in frame.columns:
        frame["doc_link"] = [safe_url(u) for u in frame["doc_url"]]
    frame["quad_name"] = [
        QUAD_NAMES.get(int(q)) if q is not None and not pd.isna(q) else None
        for q in frame.get("quad", pd.Series([None] * len(frame)))
    ]
    columns = [c for c in _EVENT_FIELDS if c in frame.columns]
    found = records(frame[columns])
    texts = {side: frame.get(f"{side}_text", pd.Series([None] * len(frame))).tolist()
             for side in ("source", "target")}
    verdicts: dict[tuple, dict[str, Any]] = {}
    if judged is not None and len(judged):
        for row in judged.to_dict("records"):
            verdicts[tuple(row[k] for k in _KEY)] = {
                "verdict": row["verdict"], "cameo": plain(row.get("cameo")),
                "reason": row["reason"], "who": row.get("who"),
            }
    for i, record in enumerate(found):
        sentence = str(record.get("sentence") or "")
        record["marks"] = highlight(sentence, texts["source"][i], texts["target"][i],
                                    record.get("trigger"))
        record["judgement"] = verdicts.get(tuple(record.get(k) for k in _KEY))
    return found


# --------------------------------------------------------------------------- application


def _host_name(header: str) -> str:
    """The host of a Host header, without its port: ``[::1]:8765`` gives ``[::1]``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _error_text(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "body")]
    name = ".".join(loc)
    if error.get("type") == "extra_forbidden":
        return f"unknown query parameter {name!r}"
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    return f"{name}: {message}" if name else message


def create_app(
    db_path: str | os.PathLike[str] | None,
    un_votes: pd.DataFrame | None = None,
    *,
    events: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    busy_timeout: float = BUSY_TIMEOUT,
    annotate: bool = False,
    who: str = "",
) -> FastAPI:
    """The dashboard and its JSON API over the store at ``db_path``, opened read-only, or
    over the Parquet event dataset ``events`` (a folder or fsspec URL; ``db_path`` None).

    ``un_votes`` (the table of :mod:`equipoise.sources.unvotes`) turns on
    ``/api/unvotes``. ``allowed_hosts`` are the Host headers accepted (default the
    loopback names); ``["*"]`` accepts any. A request waits at most ``busy_timeout``
    seconds for its turn to compute (503 after that). ``annotate`` lets the page
    record the analyst's judgements of events (as ``who``); it needs loopback hosts.
    """
    if (db_path is None) == (events is None):
        raise ValueError("give a store or a Parquet event dataset")
    if annotate and db_path is None:
        raise ValueError("annotating stores judgements in a store: a Parquet event dataset "
                         "has none")
    db = Path(db_path).expanduser() if db_path is not None else None
    # What every api call reads, and the name the page shows.
    where: dict[str, Any] = {"db": db} if db is not None else {"events": events}
    label = db.name if db is not None else str(events).rstrip("/").rsplit("/", 1)[-1]
    hosts = {h.lower() for h in (allowed_hosts if allowed_hosts is not None else LOCAL_HOSTS)}
    if annotate and not hosts <= set(LOCAL_HOSTS):
        raise ValueError("annotating is for a dashboard on 127.0.0.1 only")
    # Known to the page this server serves and to nothing else: a write must carry it.
    token = secrets.token_urlsafe(32) if annotate else ""
    app = FastAPI(
        title="equipoise dashboard API",
        version=_version(),
        description=(
            "Read-only JSON over an equipoise store: which way a focal state leans between "
            "rival poles, how sure that is, when it changed and which events drove it. "
            "Numbers are those of `equipoise align` and the report. Errors are JSON "
            '`{"detail": message}`; unknown query parameters are refused (422); an internal '
            "error is 500 with an `error_id` that the server log repeats."
        ),
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.db_path = db
    app.state.un_votes = un_votes
    app.state.turns = _Turns(ANALYSES_AT_ONCE, busy_timeout)
    app.state.annotate = annotate

    def computing():
        return app.state.turns.turn()

    @app.middleware("http")
    async def _guard(request: Request, call_next):
        site = request.headers.get("sec-fetch-site", "none").strip().lower()
        if "*" not in hosts and _host_name(request.headers.get("host", "")) not in hosts:
            response = JSONResponse({"detail": "invalid Host header"}, status_code=400)
        elif request.url.path.startswith("/api/") and site not in _OWN_REQUESTS:
            # A browser says where a request comes from: an image or script on another
            # site's page may not make this server compute.
            response = JSONResponse(
                {"detail": f"requests from another site ({site}) are refused"}, status_code=403
            )
        elif (annotate and request.url.path == _JUDGEMENTS
              and request.method not in ("GET", "HEAD", "OPTIONS")):
            refused = _refused_write(request, token)
            response = (JSONResponse({"detail": refused[1]}, status_code=refused[0])
                        if refused else await call_next(request))
        else:
            response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": _error_text(e), "type": e.get("type")}
            for e in exc.errors()
        ]
        detail = "; ".join(e["msg"] for e in errors) or "invalid request"
        return JSONResponse({"detail": detail, "errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The log gets the traceback under an id; the client gets the id, never the trace.
        error_id = uuid.uuid4().hex[:12]
        log.error(
            "internal error %s on %s %s", error_id, request.method, request.url.path,
            exc_info=(type(exc), exc, exc.__traceback__),
        )  # fmt: skip
        return JSONResponse(
            {
                "detail": f"internal error ({type(exc).__name__}, id {error_id}); "
                "see the server log",
                "error_id": error_id,
            },
            status_code=500,
        )

    # -- page ----------------------------------------------------------------------------

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        """The API reference, written from the OpenAPI description; works offline."""
        from equipoise.outputs import apidocs

        return HTMLResponse(apidocs.render(app.openapi()))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request) -> HTMLResponse:
        if request.query_params:
            raise ApiError(422, "the page takes no query parameters (it reads the #fragment)")
        html = _template().render(
            store_name=label,
            has_unvotes=app.state.un_votes is not None,
            version=_version(),
            annotate=annotate,
            token=token,
        )
        return HTMLResponse(html, headers={"Content-Security-Policy": _CSP})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=_STATIC, check_dir=False), name="static")

    # -- API -----------------------------------------------------------------------------

    @app.get(
        "/api/span",
        response_model=SpanResponse,
        summary="Where the events are: the densest window and a frequency that suits it",
    )
    def span_endpoint(q: Annotated[SpanQuery, Params()]) -> dict[str, Any]:
        """The shortest window holding 80% of the events between ``focal`` and ``poles``
        (background events left out), and month, quarter or year by its length: what the
        dashboard opens on when the address names no window."""
        query = _asked(q.query)
        with computing():
            found = _call(api.span, query, **where)
        return {**found, "start": plain(found["start"]), "end": plain(found["end"])}

    @app.get(
        "/api/actors",
        response_model=ActorsResponse,
        summary="Actor codes in the store, bloc codes, and a focal actor's partners",
    )
    def actors(q: Annotated[ActorsQuery, Params()]) -> dict[str, Any]:
        """Every actor code found as source or target, with its number of event rows, and
        the bloc codes of the membership table (usable as focal or pole). With ``focal``,
        also the actors that focal's events are with (by code or country), most first."""
        focal = None if q.focal is None else _call(actor_code, q.focal, "focal")
        # Annotating, a write may come at any time: wait for it (see judge_endpoint).
        with computing() if annotate else nullcontext(), open_store(db, events) as store:
            stats = store.stats()
            found = _counts(store.actor_counts())
            partners = []
            if focal is not None:
                partners = _counts(store.actor_counts(partners_of=focal, limit=PARTNERS))
        return {
            "store": {k: plain(v) for k, v in stats.items()} | {"file": label},
            "actors": found,
            "blocs": _blocs(),
            "focal": focal,
            "partners": partners,
            "features": {"unvotes": app.state.un_votes is not None},
        }

    @app.get(
        "/api/align",
        response_model=AlignResponse,
        summary="Counts, scores, tilt and equidistance per period and pole",
    )
    def align_endpoint(q: Annotated[AlignQuery, Params()]) -> Any:
        """The table of ``equipoise align`` (same columns as
        :func:`equipoise.analysis.align.align`, one record per period and pole, with
        intervals when ``ci`` is given), the equidistance index per period, the per-pole
        summary over the window, the verdict sentence, and ``charts``: the chart specs the
        dashboard draws and the report embeds (tilt, score and net_coop over time,
        equidistance, the dyad by quad heat map), in the format of static/charts.js."""
        query = _asked(q.query)
        export = _export(q.format)
        with computing():
            if export:
                return _csv(_call(api.align, query, **where), f"align-{query.focal}.csv")
            result = _call(api.analyse, replace(query, changepoints=False), listing=False,
                           **where)
            return jsonify.alignment(result)

    @app.get(
        "/api/changepoints",
        response_model=ChangepointsResponse,
        summary="Change points in each pole's tilt, and the documents that drive them",
    )
    def changepoints_endpoint(q: Annotated[ChangepointQuery, Params()]) -> dict[str, Any]:
        """The two tables of :func:`equipoise.analysis.changepoints.changepoints` on the
        tilt: ``points`` (pole, period, before, after, shift, window) and ``drivers`` (the
        events of each change point's most influential documents, with their sentences),
        and ``markers``, the change points as the tilt chart's spec marks them."""
        query = _asked(q.query)
        with computing():
            found = _call(api.find_changepoints, query, **where)
        points, table = found.points, found.drivers
        if len(table) and "doc_url" in table.columns:
            from equipoise.outputs.report import safe_url

            table = table.assign(doc_link=[safe_url(u) for u in table["doc_url"]])
        return {
            "focal": query.focal,
            "poles": list(query.poles),
            "options": options(found.options()) | {"top": query.top},
            "status": found.status,
            "points": records(points),
            "drivers": records(table),
            "markers": specs.markers(points, pole_colours(list(query.poles))),
        }

    @app.get(
        "/api/events",
        response_model=EventsResponse,
        summary="The events and sentences behind one chart point",
    )
    def events_endpoint(q: Annotated[EventsQuery, Params()]) -> Any:
        """Events between ``focal`` and ``pole`` in one period (or the whole window), as
        :func:`equipoise.analysis.align.align` counts them: symmetric events once, bloc
        poles by membership on the event date. Each has its sentence, source and target
        (with the words that name them, where stored), CAMEO code, quad, Goldstein score
        and document title, URL (``doc_link`` only when it is plain http(s)) and date."""
        query = _asked(q.query)
        start, end = query.start, query.end
        if q.period is not None:
            first, last = _period_bounds(q.period, query.freq)
            start = first if start is None else max(start, first)
            end = last if end is None else min(end, last)
        if start is not None and end is not None and start > end:
            rows = pd.DataFrame()
        else:
            with computing():
                rows = _call(api.load_events, replace(query, start=start, end=end), **where)
        if len(rows):
            if q.quad is not None:
                rows = rows[rows["quad"] == q.quad]
            if q.direction != "both":
                rows = rows[rows["direction"].isin([q.direction, "both"])]
        if _export(q.format):
            return _csv(rows.head(q.limit), f"events-{query.focal}-{query.poles[0]}.csv")
        judged = None
        if len(rows):
            # In turn with the analyses and the writes of an annotating server: DuckDB lets
            # one process hold a file read-only or for writing, not both at once.
            with computing(), open_store(db, events) as store:
                judged = store.judgements()
        return {
            "focal": query.focal,
            "pole": query.poles[0],
            "period": q.period,
            "start": plain(start),
            "end": plain(end),
            "total": len(rows),
            "events": _event_records(rows.head(q.limit), judged) if len(rows) else [],
        }

    @app.get(
        _JUDGEMENTS,
        response_model=JudgementsResponse,
        summary="The analyst's judgements of events, and whether this server takes them",
    )
    def judgements_endpoint() -> dict[str, Any]:
        """Every judgement in the store (as ``equipoise judgements`` lists them): the
        event's key, exclude or miscoded, the right code, reason, who and when."""
        with computing(), open_store(db, events) as store:
            table = store.judgements()
        return {"annotate": annotate, "judgements": records(table)}

    if annotate:
        assert db is not None  # checked above: annotating needs a store
        store_path: Path = db

        @app.post(_JUDGEMENTS, summary="Exclude an event, or mark it miscoded, with a reason")
        def judge_endpoint(body: Judgement) -> dict[str, Any]:
            """Stored as ``equipoise judge`` stores it: kept apart from the coder's output,
            so it holds when the document is coded again, and applied to every analysis.
            Needs ``equipoise serve --annotate`` and the page's token."""
            from equipoise.reference.cameo import cameo_table

            if body.verdict == "miscoded" and body.cameo is None:
                raise ApiError(422, "cameo: a miscoded event needs its right CAMEO code")
            if body.cameo is not None and body.cameo not in cameo_table():
                raise ApiError(422, f"cameo: unknown CAMEO code {body.cameo!r}")
            with computing(), _writable(store_path) as store:
                try:
                    store.judge(*body.key(), verdict=body.verdict, reason=body.reason,
                                who=who, cameo=body.cameo if body.verdict == "miscoded" else None)
                except StoreError as exc:  # no such event: the request names it wrong
                    raise ApiError(422, str(exc)) from None
            return {"stored": True, "verdict": body.verdict, "event": body.key()}

        @app.delete(_JUDGEMENTS, summary="Withdraw the judgement of an event")
        def unjudge_endpoint(body: EventKey) -> dict[str, Any]:
            """The event counts again as the coder coded it."""
            with computing(), _writable(store_path) as store:
                done = store.unjudge(*body.key())
            if not done:
                raise ApiError(404, "no judgement of this event to withdraw")
            return {"withdrawn": True, "event": body.key()}

    @app.get(
        "/api/places",
        response_model=PlacesResponse,
        summary="Where the events took place: places with coordinates, by quad class",
    )
    def places_endpoint(q: Annotated[PlacesQuery, Params()]) -> dict[str, Any]:
        """:func:`equipoise.api.locate`: the events of ``/api/events`` between ``focal``
        and the poles, counted by the place their dataset gives (imported records carry
        coordinates; coded news does not, and then ``places`` is empty)."""
        query = _asked(q.query)
        with computing():
            found = _call(api.locate, query, **where)
        table = found.table
        return {
            "focal": query.focal,
            "poles": list(query.poles),
            "start": plain(query.start),
            "end": plain(query.end),
            "events": found.events,
            "located": found.located,
            "colours": {str(q): colour for q, colour in maps.QUAD_COLOURS.items()},
            "places": records(table),
        }

    @app.get(
        "/api/outlines",
        response_model=OutlinesResponse,
        summary="Country outlines for the map of places (Natural Earth 1:110m)",
    )
    def outlines_endpoint() -> Response:
        """The countries as SVG paths in the map's equirectangular units; the same for
        every store, so browsers may keep it for a day."""
        body = OutlinesResponse(view_box=maps.VIEW_BOX, outlines=list(maps.outlines()))
        return Response(body.model_dump_json(), media_type="application/json",
                        headers={"Cache-Control": "max-age=86400"})

    @app.get(
        "/api/unvotes",
        response_model=UnvotesResponse,
        summary="UN General Assembly voting agreement of the focal state with each pole",
        include_in_schema=un_votes is not None,
    )
    def unvotes_endpoint(q: Annotated[UnvotesQuery, Params()]) -> dict[str, Any]:
        """:func:`equipoise.analysis.unvotes.agreement_matrix`: per session (or year) and
        pole, common roll calls, agreement share, S score, Scott's pi, Cohen's kappa and the
        published agreement, and ``charts``, the specs of their charts. Only when the server
        was started with UN vote data."""
        votes = app.state.un_votes
        if votes is None:
            raise ApiError(404, "no UN vote data is configured for this server")
        query = _asked(q.query)
        table = _call(api.un_agreement, votes, query.focal, list(query.poles), by=q.by)
        states = list(dict.fromkeys(table["pole"])) if len(table) else []
        charts = specs.un_charts(table, query.focal, list(query.poles),
                                 pole_colours(list(query.poles)), q.measure)
        return {"focal": query.focal, "poles": states, "by": q.by, "measure": q.measure,
                "records": records(table), "charts": charts}

    return app


@lru_cache(maxsize=1)
def _template():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("equipoise.outputs", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("dashboard.html.j2")


@lru_cache(maxsize=1)
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("equipoise")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def serve(
    db: str | os.PathLike[str] | None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    un_votes: pd.DataFrame | None = None,
    events: str | None = None,
    log_level: str = "info",
    annotate: bool = False,
    who: str = "",
) -> None:
    """Serve the dashboard for the store ``db`` at http://host:port/ until interrupted.

    Bound to 127.0.0.1 by default: the dashboard has no login, so binding to another
    address shows the store to everyone who can reach it. ``annotate`` (judgements from
    the page, recorded as ``who``) is refused on any address but the loopback ones.
    """
    import uvicorn

    if annotate and host not in LOCAL_HOSTS:
        raise ValueError(f"annotating is for a dashboard on 127.0.0.1 only, not {host}")
    hosts = list(LOCAL_HOSTS)
    if host in ("0.0.0.0", "::", ""):
        hosts = ["*"]
    elif host not in hosts:
        hosts.append(host)
    app = create_app(db, un_votes=un_votes, events=events, allowed_hosts=hosts,
                     annotate=annotate, who=who)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
