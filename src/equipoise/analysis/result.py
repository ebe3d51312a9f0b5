"""What an analysis returns: typed results, with the tables and what was measured with them.

:func:`equipoise.analysis.align.measure` gives an :class:`Alignment` (the table of
:func:`~equipoise.analysis.align.align`, the options it was computed with, the notes on
what it left out, and the bootstrap replicates behind its intervals);
:func:`equipoise.analysis.changepoints.find_changepoints` gives :class:`ChangePoints`;
:func:`equipoise.analysis.pipeline.analyse` gives the whole :class:`Analysis` of one
question. The tables stay plain DataFrames; nothing travels in their ``attrs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from equipoise.analysis.query import DEFAULT_MIN_EVENTS, DEFAULT_SMOOTHING

__all__ = [
    "TESTED",
    "TOO_SHORT",
    "Alignment",
    "Analysis",
    "ChangePoints",
    "Replicates",
    "Summary",
    "as_alignment",
]

# The status of a change point test: run, or not for want of periods with data.
TESTED = "tested"
TOO_SHORT = "too short to test"


@dataclass(frozen=True, eq=False)
class Replicates:
    """Bootstrap replicates of ``score`` per (period, pole) of an alignment.

    ``scores`` is shaped (cells, B) in the rows of ``index`` (period, pole); ``means``
    holds the replicates of each cell's mean event value (cells, B) and ``jackknife``
    its values with one group of documents left out (cells, G), for the corrected
    equidistance. ``ci`` is the level of the intervals read from them.
    """

    index: pd.MultiIndex
    scores: np.ndarray
    ci: float
    means: np.ndarray | None = None
    jackknife: np.ndarray | None = None

    @classmethod
    def of_cells(cls, periods: Sequence[str] | np.ndarray, poles: Sequence[str] | np.ndarray,
                 scores: np.ndarray,
                 ci: float, means: np.ndarray | None = None,
                 jackknife: np.ndarray | None = None) -> Replicates:
        """Replicates of the cells named by ``periods`` and ``poles`` (one each a row)."""
        index = pd.MultiIndex.from_arrays([np.asarray(periods, dtype=object),
                                           np.asarray(poles, dtype=object)],
                                          names=["period", "pole"])
        scores = np.asarray(scores, dtype=float)
        scores.setflags(write=False)  # shared between results, never changed
        return cls(index, scores, float(ci), means, jackknife)

    def __repr__(self) -> str:
        rows, n_boot = self.scores.shape
        return f"<{n_boot} bootstrap replicates of {rows} scores, {self.ci:.0%} intervals>"


@dataclass(frozen=True)
class Alignment:
    """The table of :func:`~equipoise.analysis.align.align` and how it was measured.

    ``table`` has one row per (period, pole). The options are those the table was
    computed with, normalised (codes upper-cased, ``start`` and ``end`` the window
    actually covered, from the events when a side was left open). ``implausible_dates``
    counts the dyad events an open side left out for their dates, ``overlaps`` the
    (member, bloc) pairs among the poles in the window. ``bootstrap`` holds the score
    replicates (with ``ci``) that equidistance and change points read.
    """

    table: pd.DataFrame
    focal: str | None = None
    poles: tuple[str, ...] = ()
    freq: str | None = None
    weight: str | None = None
    direction: str | None = None
    smoothing: float = DEFAULT_SMOOTHING
    min_events: int = DEFAULT_MIN_EVENTS
    ci: float | None = None
    n_boot: int | None = None
    random_state: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    implausible_dates: int = 0
    overlaps: tuple[tuple[str, str], ...] = ()
    overlap: str = "keep"
    unit: str = "story"
    coding_error: dict[str, Any] | None = None
    bootstrap: Replicates | None = field(default=None, repr=False)

    @classmethod
    def of_table(cls, table: pd.DataFrame) -> Alignment:
        """A bare table (built by hand, or read back) with the default options: its poles
        in the order they appear, no replicates."""
        poles = tuple(dict.fromkeys(table["pole"].astype(str))) if "pole" in table else ()
        return cls(table, poles=poles)

    def options(self) -> dict[str, Any]:
        """The options and notes as plain values, in a fixed order: the ``options`` of
        the JSON an alignment is written as."""
        return {
            "focal": self.focal,
            "poles": list(self.poles),
            "freq": self.freq,
            "weight": self.weight,
            "direction": self.direction,
            "smoothing": self.smoothing,
            "min_events": self.min_events,
            "ci": self.ci,
            "n_boot": self.n_boot,
            "random_state": self.random_state,
            "start": self.start,
            "end": self.end,
            "implausible_dates": self.implausible_dates,
            "overlaps": [list(pair) for pair in self.overlaps],
            "overlap": self.overlap,
            "unit": self.unit,
            "coding_error": self.coding_error,
        }

    def with_table(self, table: pd.DataFrame) -> Alignment:
        """The same alignment over other rows of its table (e.g. some poles only)."""
        return replace(self, table=table)


def as_alignment(aligned: Alignment | pd.DataFrame) -> Alignment:
    """``aligned`` as an :class:`Alignment`: a bare table gets the default options."""
    if isinstance(aligned, Alignment):
        return aligned
    if isinstance(aligned, pd.DataFrame):
        return Alignment.of_table(aligned)
    raise TypeError(f"an alignment or its table is needed, not {type(aligned).__name__}")


@dataclass(frozen=True)
class Summary:
    """One row per pole over the whole range (``table``) and the periods it covers:
    ``periods`` the whole span, ``first_half`` and ``second_half`` the halves compared
    (e.g. ``"2020-01..2020-06"``; empty when a half has no period)."""

    table: pd.DataFrame
    focal: str | None
    smoothing: float
    min_events: int
    periods: str
    first_half: str
    second_half: str

    def half(self, which: str) -> str:
        """The span of the ``"first"`` or ``"second"`` half."""
        return self.first_half if which == "first" else self.second_half


@dataclass(frozen=True)
class ChangePoints:
    """Breaks shared by the poles and the documents that drive them.

    ``points`` has one row per pole and break, ``drivers`` one per report of each
    change point's driving stories (columns in
    :mod:`equipoise.analysis.changepoints`). ``status`` is "tested" or "too short to
    test"; ``n_periods`` the periods with data, ``p_value`` and ``critical`` those of
    the joint test (NaN when untested). The window and poles are those of the
    alignment tested.
    """

    points: pd.DataFrame
    drivers: pd.DataFrame
    status: str
    n_periods: int
    p_value: float
    critical: float
    focal: str | None = None
    poles: tuple[str, ...] = ()
    freq: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def options(self) -> dict[str, Any]:
        """The window and the test's figures as plain values, for JSON."""
        return {"focal": self.focal, "poles": list(self.poles), "freq": self.freq,
                "start": self.start, "end": self.end, "status": self.status,
                "n_periods": self.n_periods, "p_value": self.p_value,
                "critical": self.critical}


@dataclass(frozen=True)
class Analysis:
    """Everything a report or a dashboard shows of one question, from one read.

    ``alignment`` is the table per period and pole, ``equidistance`` the index per
    period, ``summary`` the totals per pole and ``verdict`` their reading in words;
    ``events`` the dyad events with their sentences (None when not read);
    ``changepoints`` the breaks and drivers when asked; ``un_votes`` UN agreement when
    votes were given, with the codes of the UN issues they were cut to (``un_issues``,
    empty for every vote).
    """

    alignment: Alignment
    equidistance: pd.DataFrame
    summary: Summary
    verdict: str
    events: pd.DataFrame | None = None
    changepoints: ChangePoints | None = None
    un_votes: pd.DataFrame | None = None
    un_issues: tuple[str, ...] = ()

    @property
    def table(self) -> pd.DataFrame:
        """The alignment's table, one row per (period, pole)."""
        return self.alignment.table

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the analysis by name: ``aligned``, ``equidistance``,
        ``summary``, and those there are of ``events``, ``changepoints``, ``drivers`` and
        ``un_votes``."""
        found: dict[str, pd.DataFrame | None] = {
            "aligned": self.alignment.table,
            "equidistance": self.equidistance,
            "summary": self.summary.table,
            "events": self.events,
            "changepoints": None if self.changepoints is None else self.changepoints.points,
            "drivers": None if self.changepoints is None else self.changepoints.drivers,
            "un_votes": self.un_votes,
        }
        return {name: table for name, table in found.items() if table is not None}
