"""One question answered from one frame of dyad rows: the alignment, what follows from it,
and the change points, as one :class:`~equipoise.analysis.result.Analysis`.

The front ends read the rows (``equipoise.api``) and hand them here with their
:class:`~equipoise.analysis.query.Query`; every table of a report or a dashboard comes
from this one pass, so the change points read the cells of the very table shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from equipoise.analysis.align import (
    DyadMatch,
    dyad_events,
    equidistance,
    measure_query,
    summarise,
    verdict,
)
from equipoise.analysis.changepoints import DEFAULT_STABILITY_BOOT, breaks_in
from equipoise.analysis.coding_error import CodingError
from equipoise.analysis.limits import plausible
from equipoise.analysis.query import Query
from equipoise.analysis.result import Alignment, Analysis, ChangePoints

__all__ = ["alignment", "analyse", "counted", "find_changepoints", "in_window"]

# The level of the replicates change points are tested with: only their spread is read,
# so the level changes nothing but the interval columns of that (unshown) table.
_STABILITY_CI = 0.9


def _counted_rows(frame: pd.DataFrame, query: Query) -> np.ndarray | None:
    """Which rows a series counts, or None for all: background events (``background``
    column) only when the query asks for them."""
    if query.include_background or "background" not in frame.columns:
        return None
    return ~frame["background"].to_numpy(dtype=bool)


def counted(frame: pd.DataFrame, query: Query) -> pd.DataFrame:
    """The rows a series counts (see :func:`_counted_rows`)."""
    rows = _counted_rows(frame, query)
    return frame if rows is None else frame[rows]


def in_window(events: pd.DataFrame, start: dt.date | None,
              end: dt.date | None) -> pd.DataFrame:
    """The events an open window takes in, as :func:`measure` counts them (implausible
    dates left out on a side not given)."""
    if (start is not None and end is not None) or events.empty:
        return events
    return events[plausible(events["event_date"], start, end)].reset_index(drop=True)


def _without_volume(measured: Alignment, query: Query) -> Alignment:
    """Empty ``volume`` and ``salience`` unless the query read the store's volumes: the
    dyad rows alone hold only the focal state's share of each pole's news."""
    table = measured.table
    if query.salience or not len(table) or "volume" not in table.columns:
        return measured
    table = table.assign(volume=pd.array([pd.NA] * len(table), dtype="Int64"),
                         salience=float("nan"))
    return measured.with_table(table)


def alignment(frame: pd.DataFrame, query: Query, *, volumes: pd.DataFrame | None = None,
              coding_error: CodingError | None = None,
              match: DyadMatch | None = None) -> Alignment:
    """The alignment ``query`` asks for, over the rows of ``frame`` it counts; ``volumes``
    each pole's events with anyone, read when the query asks for salience; ``match`` the
    rows of ``frame`` matched already."""
    measured = measure_query(frame, query, volumes=volumes, coding_error=coding_error,
                             match=match, counted=_counted_rows(frame, query))
    return _without_volume(measured, query)


def _changes(frame: pd.DataFrame, query: Query, match: DyadMatch | None = None,
             dyads: pd.DataFrame | None = None) -> ChangePoints:
    """The change points of ``query``: tested on its alignment with the replicates the null
    and the stability are drawn from, driven by the stories of the rows it counts."""
    tested = replace(query, ci=_STABILITY_CI, n_boot=DEFAULT_STABILITY_BOOT)
    rows = _counted_rows(frame, query)
    measured = measure_query(frame, tested, match=match, counted=rows)
    if dyads is None:
        dyads = dyad_events(frame, query.focal, query.poles, match=match)
    if rows is not None and len(dyads):
        dyads = dyads[~dyads["background"].to_numpy(dtype=bool)].reset_index(drop=True)
    return breaks_in(measured, frame, top=query.top, dyads=dyads)


def find_changepoints(frame: pd.DataFrame, query: Query) -> ChangePoints:
    """Breaks shared by the poles of ``query`` and the stories that drive them, over the
    rows of ``frame`` it counts (with their documents, for the drivers)."""
    return _changes(frame, query, DyadMatch(frame))


def analyse(frame: pd.DataFrame, query: Query, *, volumes: pd.DataFrame | None = None,
            coding_error: CodingError | None = None, listing: bool = True,
            un_votes: pd.DataFrame | None = None, un_issues: Sequence[str] = ()) -> Analysis:
    """The whole :class:`~equipoise.analysis.result.Analysis` of ``query`` over ``frame``
    (the dyad rows read for it, background events marked in a ``background`` column).

    The alignment, its equidistance, summary and verdict; with ``listing``, the dyad
    events in the window with their sentences; with ``query.changepoints``, the change
    points and their drivers; ``un_votes`` (an agreement table, on the UN issues
    ``un_issues`` when chosen) is carried as given. The focal actor's and the poles'
    events are matched in ``frame`` once, for all of these.
    """
    match = DyadMatch(frame)
    measured = alignment(frame, query, volumes=volumes, coding_error=coding_error,
                         match=match)
    dyads = None
    if listing or query.changepoints:
        dyads = dyad_events(frame, query.focal, query.poles, match=match)
    found = _changes(frame, query, match, dyads) if query.changepoints else None
    listed = None
    if listing and dyads is not None:
        listed = in_window(dyads, query.start, query.end)
    return Analysis(
        alignment=measured,
        equidistance=equidistance(measured),
        summary=summarise(measured),
        verdict=verdict(measured, focal=query.focal),
        events=listed,
        changepoints=found,
        un_votes=un_votes,
        un_issues=tuple(un_issues),
    )
