"""Salience: each pole's share of the focal actor's dealings and of all the news."""

from __future__ import annotations

import numpy as np
import pandas as pd

from equipoise.analysis.align.matching import _Side
from equipoise.analysis.align.periods import _period_ordinals
from equipoise.reference.periods import NO_DAY, day_numbers


def _share(counts: np.ndarray) -> np.ndarray:
    """Each pole's part of its period's total over axis 1 of (period, pole); NaN in an
    empty period."""
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, counts / np.where(total > 0, total, 1.0), np.nan)



def _volumes(
    events: pd.DataFrame,
    volumes: pd.DataFrame | None,
    poles: list[str],
    periods: pd.PeriodIndex,
    code: str,
    sides: tuple[_Side, _Side],
    all_days: np.ndarray,
    window: tuple[int, int],
    counted: np.ndarray | None = None,
) -> np.ndarray:
    """Each pole's events with anyone per period, shaped (period, pole), dated inside
    ``window`` (first and last day numbers).

    From ``volumes`` (columns ``pole``, ``event_date``, ``n``: counts by day or month,
    as :meth:`equipoise.store.Store.pole_volumes` gives them) when given, else counted
    in ``events``: the rows with the pole on either side, whoever the other side is (of
    the rows ``counted``, when given).
    """
    out = np.zeros((len(periods), len(poles)))
    if volumes is not None:
        if volumes.empty:
            return out
        pole_id = pd.Index(poles).get_indexer(volumes["pole"].astype(str).str.upper())
        days = day_numbers(volumes["event_date"])
        counts = pd.to_numeric(volumes["n"], errors="coerce").fillna(0).to_numpy(dtype=float)
    else:
        if events.empty:
            return out
        source, target = sides
        anyone = np.ones(len(events), dtype=bool) if counted is None else counted
        hits = [np.flatnonzero((source.match(p) | target.match(p)) & anyone) for p in poles]
        pole_id = np.concatenate([np.full(h.size, j) for j, h in enumerate(hits)]).astype(int)
        rows = np.concatenate(hits).astype(np.int64)
        days, counts = all_days[rows], np.ones(rows.size)
    where = (pole_id >= 0) & (days != NO_DAY) & (days >= window[0]) & (days <= window[1])
    period = _period_ordinals(days[where], code) - periods[0].ordinal
    inside = (period >= 0) & (period < len(periods))
    cells = period[inside] * len(poles) + pole_id[where][inside]
    return np.bincount(cells, weights=counts[where][inside],
                       minlength=out.size).reshape(out.shape)
