"""The Python API: the same operations as the command line, returning pandas DataFrames
(and, for a whole analysis, an :class:`~equipoise.analysis.result.Analysis`).

>>> import equipoise
>>> table = equipoise.align("AZE", ["TUR", "RUS", "IRN"], db="equipoise.duckdb")

Every function that reads events takes them from a store (``db``) or from a Parquet event
dataset (``events``: a folder or fsspec URL, see :mod:`equipoise.store.parquet`), with the
same queries and the same results for the same events.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd

from equipoise.analysis import dyad_events, pipeline
from equipoise.analysis.coding_error import CodingError
from equipoise.analysis.places import Places
from equipoise.analysis.query import Query
from equipoise.analysis.result import Alignment, Analysis, ChangePoints
from equipoise.analysis.stories import mark_stories
from equipoise.errors import BadInputError, InvalidQueryError
from equipoise.reference.memberships import default_memberships
from equipoise.store import Store, resolve_db_path
from equipoise.store.db import DYAD_COLUMNS, EventReader

# The arguments every reading function shares: the poles, where the events are (a store
# path or a Parquet dataset) and the days bounding the window.
Poles: TypeAlias = Sequence[str] | str | None
Where: TypeAlias = str | Path | None
Day: TypeAlias = dt.date | str | None
ErrorSource: TypeAlias = str | Path | CodingError | None


def _bloc_members(query: Query) -> dict[str, list[str]]:
    """The states that were ever members of each bloc among the focal actor and poles.

    The store read keeps their events too; the analysis then counts each one only
    while the state was a member (the bundled membership table, as it uses).
    """
    wanted = {query.focal, *query.poles}
    table = default_memberships()
    members: dict[str, list[str]] = {}
    for bloc, state in zip(table["bloc"].str.upper(), table["member"].str.upper(), strict=True):
        if bloc in wanted:
            members.setdefault(bloc, []).append(state)
    return members


def open_events(db: Where = None, events: Where = None) -> EventReader:
    """The events to read, opened read-only: the Parquet dataset ``events`` when given,
    else the store ``db`` (default ``EQUIPOISE_DB`` or ``./equipoise.duckdb``)."""
    if events is not None:
        if db is not None:
            raise BadInputError("give a store (db) or a Parquet event dataset (events), "
                                "not both")
        from equipoise.store.parquet import ParquetEvents

        return ParquetEvents(events)
    return Store(resolve_db_path(db), read_only=True)


def _read(query: Query, db, documents: bool = False, volumes: bool = False,
          events=None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The dyad rows of the question and, with ``volumes``, each pole's events with
    anyone per month (its weight in the news, for salience), in one opening of the
    store or Parquet dataset."""
    members = _bloc_members(query)
    counts = None
    with open_events(db, events) as store:
        # A code neither known nor in the store is a typo: refuse it rather than
        # report a pole without events.
        query.check_codes(present=store.has_actor)
        # Series leave background events out unless asked; with documents, every event
        # comes back, marked, for event listings (see pipeline.counted).
        frame = store.dyad_frame(
            query.focal, list(query.poles), start=query.start, end=query.end,
            columns=None if documents else DYAD_COLUMNS, documents=documents,
            members=members,
            background=documents or query.include_background,
        )  # fmt: skip
        if volumes:
            counts = store.pole_volumes(
                {pole: members.get(pole, []) for pole in query.poles}, start=query.start,
                end=query.end, background=query.include_background)
    if documents:
        frame["background"] = _background(frame)
    return frame, counts


def _dyads(query: Query, db, documents: bool = False, events=None) -> pd.DataFrame:
    return _read(query, db, documents, events=events)[0]


def _background(frame: pd.DataFrame) -> pd.Series:
    """Events dated only to a year before their document's year: history recalled."""
    if frame.empty or "published" not in frame.columns:
        return pd.Series(False, index=frame.index, dtype=bool)
    published = pd.to_datetime(frame["published"], errors="coerce").dt.year
    happened = pd.to_datetime(frame["event_date"], errors="coerce").dt.year
    return ((frame["date_precision"] == "year") & (published > happened)).fillna(False)


def _query(focal: str | Query, poles, start, end, freq, **options) -> Query:
    """The Query given, or the one the arguments describe (checked on construction)."""
    if isinstance(focal, Query):
        if poles is not None:
            raise TypeError("give a Query or focal and poles, not both")
        return focal
    return Query.build(focal, () if poles is None else poles, start, end, freq, **options)


def load_events(focal: str | Query, poles: Poles = None, db: Where = None, start: Day = None,
                end: Day = None, *, events: Where = None) -> pd.DataFrame:
    """Events between ``focal`` and any of ``poles`` (either direction), one row each,
    with their sentences and documents, the ``pole`` and ``direction`` they count for, and
    their ``story`` (numbered among the rows returned), its ``n_reports`` and whether the
    row is its ``lead`` report (:mod:`equipoise.analysis.stories`).

    ``focal`` may be a :class:`~equipoise.analysis.query.Query` (its window is used)."""
    # No grid of periods is computed: the coarsest period keeps its size bound aside.
    query = _query(focal, poles, start, end, "year")
    frame = _dyads(query, db, documents=True, events=events)
    found = pipeline.in_window(dyad_events(frame, query.focal, query.poles), query.start,
                               query.end)
    return mark_stories(found)


def places(focal: str | Query, poles: Poles = None, db: Where = None, start: Day = None,
           end: Day = None, *, events: Where = None) -> pd.DataFrame:
    """Where the events between ``focal`` and any of ``poles`` took place: one row per
    place with coordinates, its name, its events and their counts by quad class
    (:func:`equipoise.analysis.places.places`); empty when no event has coordinates.

    The events are those of :func:`load_events`; :func:`locate` also counts them."""
    return locate(focal, poles, db=db, start=start, end=end, events=events).table


def locate(focal: str | Query, poles: Poles = None, db: Where = None, start: Day = None,
           end: Day = None, *, events: Where = None) -> Places:
    """:func:`places` with the number of events (``events``) and of those with
    coordinates (``located``): a :class:`~equipoise.analysis.places.Places`."""
    from equipoise.analysis.places import locate as _locate

    return _locate(load_events(focal, poles, db=db, start=start, end=end, events=events))


def align(focal: str | Query, poles: Poles = None, db: Where = None, start: Day = None,
          end: Day = None, freq: str = "month", *,
          weight: str = "count",
          direction: str = "out",
          smoothing: float = 2.0,
          ci: float | None = None,
          n_boot: int = 500,
          min_events: int = 3,
          random_state: int | None = 0,
          overlap: str = "keep",
          include_background: bool = False,
          salience: bool = False,
          coding_error: ErrorSource = None,
          events: Where = None,
) -> pd.DataFrame:
    """Per pole and period: event counts by quad class and direction, Goldstein, the
    alignment score, tilt, each pole's share of the focal state's events (and with
    ``salience`` its weight in the whole store's news), and (with ``ci``) bootstrap
    intervals.

    Parameters
    ----------
    focal : ISO3 code of the state whose leaning is measured, or a bloc code; or a
        :class:`~equipoise.analysis.query.Query` holding the whole question (then give
        no other option but ``db``).
    poles : codes of the rival powers or blocs (a bloc counts its members at each date),
        as a list or comma-separated.
    db : store path; default ``EQUIPOISE_DB`` or ``./equipoise.duckdb``.
    events : a Parquet event dataset to read instead of a store (a folder or an fsspec
        URL of hive-partitioned files, as ``equipoise code --parquet`` writes).
    start, end : ISO dates bounding the analysis (inclusive); a side not given stops at
        the first or last event dated from 1800-01-01 to one year after today.
    freq : ``month``, ``quarter`` or ``year``.
    weight : ``count`` (+1 cooperation, -1 conflict), ``goldstein`` or ``plover``.
    direction : ``out`` (focal to pole: the focal state's lean, the default), ``in``
        (pole to focal) or ``both`` (relations: what each side does to the other).
    smoothing : pseudo-events, at the focal state's own level in the period, added to
        each cell, so one event is not certainty and coverage does not tilt.
    ci : interval level, e.g. 0.9, for a bootstrap over documents; None for no intervals.
    n_boot : bootstrap replicates.
    min_events : fewer events than this in a period and pole give "insufficient data".
    random_state : seed of the bootstrap.
    overlap : a pole that is a member of another pole (TUR and NATO): ``keep`` its
        events in both (the verdict says so), or ``exclude`` them from the bloc.
    include_background : count background events (dated only to a year before their
        document's year) in the series; by default they are left out.
    salience : read each pole's events with anyone from the whole store (a scan of every
        event) for the ``volume`` and ``salience`` columns; without, they are empty.
    coding_error : the coder's measured error, as the JSON file of ``equipoise evaluate
        --format json`` (or a :class:`~equipoise.analysis.coding_error.CodingError`):
        quad counts are corrected to their expected true values and the intervals carry
        the error's own uncertainty (weight ``count`` only).

    See ``docs/methodology.md`` for every formula.

    Raises :class:`~equipoise.errors.InvalidQueryError` (a ValueError) for a bad option;
    its subclasses :class:`~equipoise.analysis.codes.UnknownActorCode` for a focal or
    pole code that is neither a known state or bloc nor in the store (naming the closest
    codes), and
    :class:`~equipoise.analysis.limits.TooLargeError` for a window, frequency and number
    of replicates over the size bounds.
    """
    query = _query(focal, poles, start, end, freq, weight=weight, direction=direction,
                   smoothing=smoothing, ci=ci, n_boot=n_boot, min_events=min_events,
                   random_state=random_state, overlap=overlap,
                   include_background=include_background, salience=salience)  # fmt: skip
    return _measure(query, db, coding_error, events).table


def measure(focal: str | Query, poles: Poles = None, db: Where = None, start: Day = None,
            end: Day = None, freq: str = "month", *, coding_error: ErrorSource = None,
            events: Where = None, **align_options: Any) -> Alignment:
    """:func:`align`'s table with what it was measured with: an
    :class:`~equipoise.analysis.result.Alignment` holding the options, the events left
    out for implausible dates, the poles inside other poles and (with ``ci``) the
    bootstrap replicates. ``align_options`` are those of :func:`align`."""
    query = _query(focal, poles, start, end, freq, **align_options)
    return _measure(query, db, coding_error, events)


def _measure(query: Query, db: Where, coding_error: ErrorSource, events: Where) -> Alignment:
    error = read_coding_error(coding_error) if coding_error is not None else None
    frame, volumes = _read(query, db, volumes=query.salience, events=events)
    return pipeline.alignment(frame, query, volumes=volumes, coding_error=error)


def read_coding_error(source: str | Path | CodingError) -> CodingError:
    """The coder's error from the JSON of ``equipoise evaluate --format json``."""
    if isinstance(source, CodingError):
        return source
    path = Path(source)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInputError(f"cannot read the evaluation: {exc.strerror}", str(path)) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInputError(f"not JSON: {exc}", str(path)) from exc
    if not isinstance(report, dict):
        raise BadInputError("not an evaluation report", str(path))
    return CodingError.from_evaluation(report)


def changepoints(focal: str | Query, poles: Poles = None, db: Where = None, start: Day = None,
                 end: Day = None, freq: str = "month", *, top: int = 5, events: Where = None,
                 **align_options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Breaks in each pole's tilt and the documents that drive them: ``(points, drivers)``.

    ``align_options`` are those of :func:`align` (``weight``, ``direction``, ``min_events``...);
    ``focal`` may be a :class:`~equipoise.analysis.query.Query` (its ``top`` is used).
    """
    found = find_changepoints(focal, poles, db, start, end, freq, top=top, events=events,
                              **align_options)
    return found.points, found.drivers


def find_changepoints(focal: str | Query, poles: Poles = None, db: Where = None, start: Day = None,
                      end: Day = None, freq: str = "month", *, top: int = 5, events: Where = None,
                      **align_options) -> ChangePoints:
    """The change points of :func:`changepoints` as a
    :class:`~equipoise.analysis.result.ChangePoints`: the two tables, and whether the
    series were long enough to test (``status``), with the test's ``p_value``."""
    query = _query(focal, poles, start, end, freq, top=top, **align_options)
    frame = _dyads(query, db, documents=True, events=events)
    return pipeline.find_changepoints(frame, query)


def analyse(focal: str | Query, poles: Poles = None, db: Where = None, start: Day = None,
            end: Day = None, freq: str = "month", *, changepoints: bool = True,
            votes: pd.DataFrame | None = None, un_issues: Sequence[str] = (), events: Where = None,
            coding_error: ErrorSource = None, listing: bool = True, **align_options) -> Analysis:
    """Everything a report shows, from one read of the store: an
    :class:`~equipoise.analysis.result.Analysis` with the alignment, equidistance,
    summary and verdict, the dyad events with their sentences (``listing``), the change
    points and their drivers (when asked) and UN agreement (when ``votes`` from
    :func:`un_votes` are given; ``un_issues`` the issue codes they were chosen by).

    ``align_options`` are those of :func:`align`; ``focal`` may be a
    :class:`~equipoise.analysis.query.Query` (its ``changepoints`` says whether to find
    change points).
    """
    query = _query(focal, poles, start, end, freq, changepoints=changepoints, **align_options)
    error = read_coding_error(coding_error) if coding_error is not None else None
    # Documents are read for the listing and for the drivers of change points.
    documents = listing or query.changepoints
    frame, volumes = _read(query, db, documents=documents, volumes=query.salience,
                           events=events)
    agreement = None
    if votes is not None:
        agreement = un_agreement(votes, query.focal, list(query.poles))
    return pipeline.analyse(frame, query, volumes=volumes, coding_error=error,
                            listing=listing, un_votes=agreement, un_issues=un_issues)


def un_votes(
    path: str | Path,
    roll_calls: str | Path | None = None,
    *,
    issues: Sequence[str] | str | None = None,
    issue_table: str | Path | None = None,
) -> pd.DataFrame:
    """UN General Assembly votes from any of the distributed forms, one row per country
    and roll call (``rcid``, ``session``, ``date``, ``country`` as ISO3, ``vote``).

    ``.RData`` is Voeten's raw release; ``.rda`` the ``unvotes`` R package's
    ``un_votes.rda`` (``roll_calls``: its ``un_roll_calls.rda``); ``.csv`` the
    unvotes-style CSV (``roll_calls``: a roll-call CSV or ``.rda`` giving sessions).

    ``issues`` (``"hr"``, ``"me,hr"`` or a list of the codes of
    :data:`~equipoise.reference.unissues.UN_ISSUES`) keeps only the votes on roll calls
    about those issues, as ``issue_table`` says (``un_roll_call_issues.rda`` or a CSV,
    :func:`~equipoise.sources.unvotes.read_roll_call_issues`); Voeten's ``.RData`` says
    so itself, and is read for it when no ``issue_table`` is given.
    """
    from equipoise.sources.unvotes import read_unvotes_csv, read_unvotes_rda, read_voeten_rdata

    path = Path(path)
    suffix = path.suffix.lower()
    if issues is not None:
        codes = _un_issue_codes(issues)
        if issue_table is None and suffix != ".rdata":
            raise BadInputError(
                "votes on chosen issues need the roll calls' issues: give the unvotes "
                "package's un_roll_call_issues.rda (or a CSV of rcid and short_name)", str(path))
    elif issue_table is not None:
        raise BadInputError("a table of roll-call issues goes with chosen issues",
                            str(issue_table))
    if suffix == ".rdata":
        votes = read_voeten_rdata(path)
    elif suffix == ".rda":
        votes = read_unvotes_rda(path, roll_calls)
    elif suffix == ".csv":
        votes = read_unvotes_csv(path, roll_calls)
    else:
        raise BadInputError("UN votes are read from .RData, .rda or .csv files", str(path))
    if issues is None:
        return votes
    from equipoise.analysis.unvotes import on_issues
    from equipoise.sources.unvotes import read_roll_call_issues

    table = read_roll_call_issues(issue_table if issue_table is not None else path)
    return on_issues(votes, table, codes)


def _un_issue_codes(issues: Sequence[str] | str) -> list[str]:
    from equipoise.reference.unissues import un_issue_codes

    try:
        return un_issue_codes(issues if isinstance(issues, str) else list(issues))
    except ValueError as exc:
        raise InvalidQueryError(str(exc)) from None


def un_agreement(
    votes: pd.DataFrame, focal: str, poles: Sequence[str], by: str = "session"
) -> pd.DataFrame:
    """Voting agreement of ``focal`` with each state among ``poles``, per session or year:
    share of identical votes, Signorino-Ritter S, Scott's pi and Cohen's kappa. Blocs are
    skipped: UN votes are cast by states."""
    from equipoise.analysis.unvotes import agreement_matrix

    states = [p for p in poles if p.upper() not in _bloc_codes()]
    return agreement_matrix(votes, focal, states, by=by)


def un_ideal_points(path: str | Path) -> pd.DataFrame:
    """The Bailey-Strezhnev-Voeten ideal-point CSV, one row per state and session
    (:func:`equipoise.sources.idealpoints.read_ideal_points`)."""
    from equipoise.sources.idealpoints import read_ideal_points

    return read_ideal_points(path)


def un_position(points: pd.DataFrame | str | Path, focal: str, pole1: str, pole2: str, *,
                interval: str = "bounds", draws: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """Where ``focal`` stands between ``pole1`` (0) and ``pole2`` (1) on the UN ideal-point
    scale, per session, with an interval (``bounds`` or ``normal``): see
    :func:`equipoise.analysis.idealpoints.relative_position`. ``points`` is the ideal-point
    table or the path of its CSV. One dimension cannot tell apart states such as Turkey,
    Russia and Iran."""
    from equipoise.analysis.idealpoints import relative_position

    if not isinstance(points, pd.DataFrame):
        points = un_ideal_points(points)
    return relative_position(points, focal, pole1, pole2, interval=interval, draws=draws,
                             seed=seed)


def _bloc_codes() -> set[str]:
    return set(default_memberships()["bloc"].str.upper())


def span(focal: str | Query, poles: Poles = None, db: Where = None, share: float = 0.8, *,
         events: Where = None) -> dict[str, Any]:
    """The densest window of the events between ``focal`` and ``poles`` (the shortest
    holding ``share`` of them, background events left out) and a frequency that suits
    it: ``{"start", "end", "freq", "n_events"}``, dates None without events."""
    from equipoise.analysis.span import densest_span, sensible_freq

    query = _query(focal, poles, None, None, "year")
    frame = pipeline.in_window(_dyads(query, db, events=events), None, None)
    window = densest_span(frame["event_date"], share) if len(frame) else None
    if window is None:
        return {"start": None, "end": None, "freq": "month", "n_events": 0}
    return {"start": window[0], "end": window[1], "freq": sensible_freq(*window),
            "n_events": int(len(frame))}
