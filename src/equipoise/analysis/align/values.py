"""What one dyad event is worth under a weight: its value in [-1, 1] and how many
times it counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from equipoise.analysis.align.columns import MULTIPLIED
from equipoise.reference.plover import (
    cameo_plover,
    plover_score_by_type,
    plover_type,
)


def _plover_values(events: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """PLOVER score / 10 of each event row, NaN where it has no PLOVER type.

    The type is the ``plover`` column (its leading word, any case), else the type
    that ``data/cameo.csv`` gives the event's CAMEO code.
    """
    if "plover" not in events.columns and "cameo" not in events.columns:
        raise ValueError("weight='plover' needs a 'plover' or a 'cameo' column")
    scores = {kind: score / 10.0 for kind, score in plover_score_by_type().items()}
    values = np.full(len(rows), np.nan)
    if "plover" in events.columns:
        column = events["plover"].iloc[rows]
        values = _map_distinct(column, lambda v: scores.get(plover_type(v), np.nan))
    missing = np.isnan(values)
    if missing.any() and "cameo" in events.columns:
        crosswalk = cameo_plover()

        def from_cameo(code: object) -> float:
            if not isinstance(code, str):
                return np.nan
            return scores.get(crosswalk.get(code.strip(), ""), np.nan)

        values[missing] = _map_distinct(events["cameo"].iloc[rows[missing]], from_cameo)
    return values


def _event_weights(events: pd.DataFrame, rows: np.ndarray, weight: str) -> np.ndarray:
    """How many times each dyad event counts under ``weight``: its NumMentions or
    NumSources for ``mentions``/``sources`` (1 where it has none, or fewer than one), else 1."""
    column = MULTIPLIED.get(weight)
    if column is None or column not in events.columns:
        return np.ones(rows.size)
    found = pd.to_numeric(events[column].iloc[rows], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isnan(found) | (found < 1), 1.0, found)


def _map_distinct(values: pd.Series, mapping) -> np.ndarray:
    """``mapping(value)`` as floats, computed once per distinct value; NaN for missing."""
    codes, uniques = pd.factorize(values)
    table = np.array([mapping(u) for u in np.asarray(uniques, dtype=object)] + [np.nan])
    return table[codes].astype(float)


def event_values(
    events: pd.DataFrame, rows: np.ndarray, weight: str, quad: np.ndarray
) -> np.ndarray:
    """The value in [-1, 1] under ``weight`` of each event ``events.iloc[rows]`` (``quad``
    its quad class); NaN when it has none. Change point drivers score events by this."""
    if weight == "count" or weight in MULTIPLIED:
        return np.select([np.isin(quad, (1, 2)), np.isin(quad, (3, 4))], [1.0, -1.0], np.nan)
    if weight == "goldstein":
        raw = events["goldstein"].iloc[rows]
        return pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float) / 10.0
    return _plover_values(events, rows)
