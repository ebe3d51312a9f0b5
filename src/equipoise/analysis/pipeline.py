"""One question answered from one frame of dyad rows: the alignment, what follows from it,
and the change points, as one :class:`~equipoise.analysis.result.Analysis`.

The front ends read the rows (``equipoise.api``) and hand them here with their
:class:`~equipoise.analysis.query.Query`; every table of a report or a dashboard comes
from this one pass, so the change points read the cells of the very table shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from equipoise.analysis.align import (
    dyad_events,
    equidistance,
    measure,
    summarise,
    verdict,
)
from equipoise.analysis.changepoints import DEFAULT_STABILITY_BOOT, breaks_in
from equipoise.analysis.coding_error import CodingError
from equipoise.analysis.limits import plausible
from equipoise.analysis.query import Query
from equipoise.analysis.result import Alignment, Analysis, ChangePoints

__all__ = ["analyse", "counted", "find_changepoints", "in_window", "measure_query"]

# The level of the replicates change points are tested with: only their spread is read,
# so the level changes nothing but the interval columns of that (unshown) table.
_STABILITY_CI = 0.9


def counted(frame: pd.DataFrame, query: Query) -> pd.DataFrame:
    """The rows a series counts: background events (``background`` column) only when the
    query asks for them."""
    if query.include_background or "background" not in frame.columns:
        return frame
    return frame[~frame["background"].to_numpy(dtype=bool)]


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


def measure_query(frame: pd.DataFrame, query: Query, *, volumes: pd.DataFrame | None = None,
                  coding_error: CodingError | None = None) -> Alignment:
    """The alignment ``query`` asks for, over the rows of ``frame`` it counts; ``volumes``
    each pole's events with anyone, read when the query asks for salience."""
    measured = measure(counted(frame, query), query.focal, list(query.poles),
                       volumes=volumes, coding_error=coding_error, **query.align_options())
    return _without_volume(measured, query)


def _stability_alignment(rows: pd.DataFrame, query: Query) -> Alignment:
    """The alignment change points are tested on: the query's, with the replicates the
    null and the stability are drawn from."""
    options = query.align_options(intervals=False)
    return measure(rows, query.focal, list(query.poles), ci=_STABILITY_CI,
                   n_boot=DEFAULT_STABILITY_BOOT, **options)


def find_changepoints(frame: pd.DataFrame, query: Query) -> ChangePoints:
    """Breaks shared by the poles of ``query`` and the stories that drive them, over the
    rows of ``frame`` it counts (with their documents, for the drivers)."""
    rows = counted(frame, query)
    return breaks_in(_stability_alignment(rows, query), rows, top=query.top)


def analyse(frame: pd.DataFrame, query: Query, *, volumes: pd.DataFrame | None = None,
            coding_error: CodingError | None = None, listing: bool = True,
            un_votes: pd.DataFrame | None = None, un_issues: Sequence[str] = ()) -> Analysis:
    """The whole :class:`~equipoise.analysis.result.Analysis` of ``query`` over ``frame``
    (the dyad rows read for it, background events marked in a ``background`` column).

    The alignment, its equidistance, summary and verdict; with ``listing``, the dyad
    events in the window with their sentences; with ``query.changepoints``, the change
    points and their drivers; ``un_votes`` (an agreement table, on the UN issues
    ``un_issues`` when chosen) is carried as given.
    """
    measured = measure_query(frame, query, volumes=volumes, coding_error=coding_error)
    found = find_changepoints(frame, query) if query.changepoints else None
    listed = None
    if listing:
        listed = in_window(dyad_events(frame, query.focal, query.poles), query.start,
                           query.end)
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
