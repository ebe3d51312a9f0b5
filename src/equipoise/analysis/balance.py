"""Equidistance and position between the poles, corrected for sampling noise.

The arithmetic behind :func:`equipoise.analysis.align.equidistance`; the definitions and
their reasons are in ``docs/methodology.md``, section 5.

Sampling variance of a cell
    ``mean_variance`` gives the variance of a cell's mean event value
    ``x = score_sum / n_scored`` as ``deff * s2 / N``: ``s2`` is the cell's spread of event
    values pulled toward the period's pooled spread by ``c`` pseudo-events (so that three
    identical events do not claim no noise at all), ``N`` the number of scored events (with
    weights, ``(sum w)**2 / sum w**2``), and ``deff`` (at least 1) the period's
    design effect of documents, the sum over its cells of the cluster-robust variances
    ``G / (G - 1) * sum_d (S_d - x N_d)**2 / N**2`` over the sum of the event-level ones.
Corrected spread
    With independent cell means ``x_i = mu_i + e_i``, ``Var(e_i) = v_i``, the expected
    population variance of the m means is that of the ``mu_i`` plus
    ``(m - 1) / m**2 * sum v_i``. Subtracting that term (and stopping at 0) removes the
    upward bias of the spread, hence the downward bias of the index, that thin cells cause.
Intervals
    BCa: the bootstrap replicates' percentiles moved by a bias correction ``z0`` (the share
    of replicates below the estimate) and an acceleration ``a`` (from a grouped jackknife
    over documents).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

__all__ = [
    "bca_interval",
    "corrected_index",
    "mean_variance",
    "raw_index",
    "sd_max",
]

_NORMAL = NormalDist()


def sd_max(m: np.ndarray) -> np.ndarray:
    """The largest population standard deviation m numbers in [-1, 1] can have."""
    m = np.asarray(m)
    return np.sqrt(1.0 - (m % 2) / np.maximum(m, 1) ** 2)


def _spread(values: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Population variance over axis 1 of the present values, and their number."""
    m = present.sum(axis=1)
    filled = np.where(present, values, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = filled.sum(axis=1) / m
        deviation = np.where(present, values - np.expand_dims(mean, 1), 0.0)
        return (deviation**2).sum(axis=1) / m, m


def raw_index(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """``1 - sd / sd_max(m)`` over axis 1 (poles), without correction; NaN below two."""
    variance, m = _spread(values, present)
    with np.errstate(divide="ignore", invalid="ignore"):
        index = 1.0 - np.sqrt(variance) / sd_max(m)
    return np.where(m >= 2, np.clip(index, 0.0, 1.0), np.nan)


def corrected_index(values: np.ndarray, variances: np.ndarray, present: np.ndarray) -> np.ndarray:
    """``1 - sqrt(max(0, sd**2 - (m - 1) / m**2 * sum v)) / sd_max(m)`` over axis 1.

    ``values`` and ``present`` are shaped (period, pole[, replicate]), ``variances``
    (period, pole) or broadcastable to ``values``. NaN below two poles.
    """
    variance, m = _spread(values, present)
    noise = np.where(present, variances, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        corrected = np.maximum(variance - (m - 1) / m**2 * noise, 0.0)
        index = 1.0 - np.sqrt(corrected) / sd_max(m)
    return np.where(m >= 2, np.clip(index, 0.0, 1.0), np.nan)


def mean_variance(
    cell: np.ndarray,
    unit: np.ndarray,
    weight: np.ndarray,
    value: np.ndarray,
    n_cells: int,
    period_of_cell: np.ndarray,
    pseudo: float,
) -> np.ndarray:
    """Variance of each cell's weighted mean value, documents as clusters.

    One entry per scored event: its ``cell``, resampling ``unit`` (document), ``weight``
    and ``value``. NaN for cells without events. See the module docstring.
    """
    n = np.bincount(cell, weights=weight, minlength=n_cells)
    total = np.bincount(cell, weights=weight * value, minlength=n_cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, total / np.where(n > 0, n, 1.0), 0.0)
        # Weighted events (GDELT's mentions) count as n_eff = (sum w)**2 / sum w**2.
        n_eff = np.where(n > 0, n**2 / np.where(n > 0, np.bincount(
            cell, weights=weight**2, minlength=n_cells), 1.0), 0.0)
        spread = np.bincount(cell, weights=weight * (value - mean[cell]) ** 2,
                             minlength=n_cells) / np.where(n > 0, n, 1.0)
    squares = spread * n_eff  # the sum of squared deviations, on the n_eff scale
    # Within-cell spread, pooled over the cells of each period.
    n_periods = int(period_of_cell.max(initial=-1)) + 1
    filled = (n > 0).astype(float)
    pooled_ss = np.bincount(period_of_cell, weights=squares, minlength=n_periods)
    pooled_df = np.bincount(period_of_cell, weights=n_eff - filled, minlength=n_periods)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = np.where(pooled_df > 0, pooled_ss / np.where(pooled_df > 0, pooled_df, 1), 0.0)
        c = max(float(pseudo), 1.0)
        within = (squares + c * pooled[period_of_cell]) / (n_eff - 1.0 + c)
        event_level = np.where(n > 0, within / np.where(n_eff > 0, n_eff, 1.0), np.nan)

    # Cluster-robust: residual sums per document and cell.
    key = unit.astype(np.int64) * n_cells + cell
    pairs, inverse = np.unique(key, return_inverse=True)
    inverse = inverse.ravel()
    pair_cell = pairs % n_cells
    s_d = np.bincount(inverse, weights=weight * value, minlength=pairs.size)
    n_d = np.bincount(inverse, weights=weight, minlength=pairs.size)
    residual = s_d - mean[pair_cell] * n_d
    g = np.bincount(pair_cell, minlength=n_cells).astype(float)
    r = np.bincount(pair_cell, weights=residual**2, minlength=n_cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        clustered = np.where(g >= 2, g / (g - 1.0) * r / np.where(n > 0, n, 1.0) ** 2, 0.0)
    # The clustering (design effect) is read over the whole period: one cell's few
    # documents give too noisy a ratio, and a noisy variance biases the correction.
    usable = (g >= 2) & (n > 0)
    observed = np.bincount(period_of_cell, weights=np.where(usable, clustered, 0.0),
                           minlength=n_periods)
    expected = np.bincount(period_of_cell, weights=np.where(usable, event_level, 0.0),
                           minlength=n_periods)
    with np.errstate(divide="ignore", invalid="ignore"):
        design = np.where(expected > 0, observed / np.where(expected > 0, expected, 1.0), 1.0)
    return np.where(n > 0, event_level * np.maximum(design, 1.0)[period_of_cell], np.nan)


def bca_interval(
    estimate: np.ndarray, replicates: np.ndarray, jackknife: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """BCa interval of each row: ``estimate`` (rows,), ``replicates`` (rows, B) and
    leave-one-group-out ``jackknife`` values (rows, G); NaN in replicates are left out.

    Rows whose estimate is NaN, or with fewer than ten usable replicates, get NaN.
    """
    rows = estimate.shape[0]
    lo, hi = np.full(rows, np.nan), np.full(rows, np.nan)
    z_lo = _NORMAL.inv_cdf((1.0 - level) / 2.0)
    z_hi = -z_lo
    for i in range(rows):
        theta = estimate[i]
        sample = replicates[i][~np.isnan(replicates[i])]
        if np.isnan(theta) or sample.size < 10:
            continue
        below = (np.sum(sample < theta) + 0.5 * np.sum(sample == theta)) / sample.size
        below = min(max(below, 1.0 / (2 * sample.size)), 1.0 - 1.0 / (2 * sample.size))
        z0 = _NORMAL.inv_cdf(below)
        jack = jackknife[i][~np.isnan(jackknife[i])]
        a = 0.0
        if jack.size >= 3:
            d = jack.mean() - jack
            denominator = 6.0 * (d**2).sum() ** 1.5
            a = float((d**3).sum() / denominator) if denominator > 0 else 0.0
        probs = []
        for z in (z_lo, z_hi):
            shifted = z0 + z
            probs.append(_NORMAL.cdf(z0 + shifted / (1.0 - a * shifted)))
        lo[i], hi[i] = np.quantile(sample, probs)
    return lo, hi
