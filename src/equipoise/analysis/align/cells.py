"""Arithmetic of (period, pole) cells: tilt, the too-thin mask and percentile intervals."""

from __future__ import annotations

import warnings

import numpy as np

from equipoise.analysis.scoring import shrunk_scores


def _tilts(scores: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Tilt of every pole from scores shaped (period, pole[, replicate]).

    ``ok`` (period, pole) says which poles have data; the others get NaN and are left
    out of everyone's comparison. A lone pole with data, among several, has no tilt;
    a single pole's tilt is its score.
    """
    ok = ok.reshape(ok.shape + (1,) * (scores.ndim - 2))
    if scores.shape[1] == 1:
        return np.where(ok, scores, np.nan)
    values = np.where(ok, scores, 0.0)
    m = np.broadcast_to(ok, scores.shape).sum(axis=1, keepdims=True)
    total = values.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        others = (total - values) / (m - 1)
    return np.where(ok & (m >= 2), values - others, np.nan)


def cell_metrics(n: np.ndarray, balance: np.ndarray, n_scored: np.ndarray,
                 score_sum: np.ndarray, k: float, min_events: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``net_coop``, ``score`` and ``tilt`` of cells shaped (period, pole) from their sums:
    stories ``n``, cooperation minus conflict ``balance``, scored stories ``n_scored`` and
    their values ``score_sum``, as the :func:`measure` table has them. Change points
    recompute cells with a story left out through this, so the formulas are the table's."""
    net = shrunk_scores(balance, n, k)
    score = shrunk_scores(score_sum, n_scored, k)
    return _masked(net, score, n >= min_events, n_scored >= min_events)


def _masked(net: np.ndarray, score: np.ndarray, net_ok: np.ndarray,
            ok: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Net cooperation, score and tilt of (period, pole) cells, NaN where too thin."""
    return np.where(net_ok, net, np.nan), np.where(ok, score, np.nan), _tilts(score, ok)


def _interval(replicates: np.ndarray, valid: np.ndarray, ci: float) -> tuple[np.ndarray, ...]:
    """Percentile interval of each row of ``replicates`` (rows, B); NaN where not valid."""
    lo = np.full(replicates.shape[0], np.nan)
    hi = np.full(replicates.shape[0], np.nan)
    rows = np.flatnonzero(valid)
    if rows.size:
        probs = [(1.0 - ci) / 2.0, (1.0 + ci) / 2.0]
        sub = replicates[rows]
        if np.isnan(sub).any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                q = np.nanquantile(sub, probs, axis=1)
        else:
            q = np.quantile(sub, probs, axis=1)
        lo[rows], hi[rows] = q[0], q[1]
    return lo, hi
