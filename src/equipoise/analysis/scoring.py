"""The shrunken score of a (period, pole) cell: one formula for every caller.

A cell's score is the mean value of its events, pulled toward the focal actor's own
level in the period by ``k`` pseudo-events::

    level(t)    = sum_P total(t, P) / (sum_P n(t, P) + k)
    score(t, P) = (total(t, P) + k * level(t)) / (n(t, P) + k)

``level`` is the focal actor's mean value over the events with every pole in the
period, itself given ``k`` neutral pseudo-events so that a period of one event is not
certainty either. Shrinking toward the focal actor's own level, not toward 0, makes
the pull the same for every pole: a pole with few events in the news moves toward
what the focal actor does with everyone, not toward neutral, so equal relations give
equal expected scores whatever the coverage (``docs/methodology.md``, section 3).

Arrays are shaped (period, pole) or (period, pole, replicate); the poles are axis 1.
"""

from __future__ import annotations

import numpy as np

__all__ = ["focal_level", "shrunk_scores"]


def _ratio(numerator: np.ndarray, denominator: np.ndarray, empty: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(denominator > 0, denominator, 1.0)
        return np.where(denominator > 0, numerator / safe, empty)


def focal_level(total: np.ndarray, n: np.ndarray, k: float) -> np.ndarray:
    """The focal actor's level in each period, ``sum total / (sum n + k)`` over axis 1,
    kept as a length-1 axis so that it broadcasts against the cells; 0 for an empty
    period without smoothing."""
    total = np.asarray(total, dtype=float)
    n = np.asarray(n, dtype=float)
    return _ratio(total.sum(axis=1, keepdims=True), n.sum(axis=1, keepdims=True) + k, 0.0)


def shrunk_scores(total: np.ndarray, n: np.ndarray, k: float, empty: float = 0.0) -> np.ndarray:
    """``(total + k * level) / (n + k)`` per cell, ``empty`` where ``n + k`` is 0.

    ``total`` is the (weighted) sum of event values of each cell and ``n`` the (weighted)
    number of events behind it, both shaped (period, pole[, replicate]).
    """
    total = np.asarray(total, dtype=float)
    n = np.asarray(n, dtype=float)
    level = focal_level(total, n, k)
    return _ratio(total + k * level, n + k, empty)
