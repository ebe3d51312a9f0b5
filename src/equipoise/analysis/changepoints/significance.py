"""How large a break must be to count: the long-run variance of a series, the null
distribution of the best split's gain, and the penalty it gives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from equipoise.analysis.changepoints.cost import _mean, _split_gains

# The penalty is the calibrated null quantile times this.
DEFAULT_PENALTY_SCALE = 1.0
# Share of series without a break in which a break may be reported.
DEFAULT_LEVEL = 0.05
# Series drawn for the null distribution of the best split's gain.
DEFAULT_N_NULL = 1000


# Variation beyond sampling noise is taken to persist like AR(1) with this coefficient.
PERSISTENCE = 0.5
# Periods of drift one fitted segment mean absorbs, about (1 + phi) / (1 - phi).
_SEGMENT_DRIFT = 3.0


# Turn the median absolute deviation, and the first quartile of pairwise distances
# (Qn), into standard deviations for normal data.
_MAD_TO_SD = 1.4826
_QN_TO_SD = 2.2219
# Above this many differences Qn's pairwise distances get large; the MAD is used.
_QN_MAX = 3000


def _qn(z: np.ndarray) -> float:
    """Rousseeuw and Croux's Qn: 2.2219 times the first quartile of ``|z_i - z_j|``.

    Like the MAD it tolerates up to half the values being outliers, but it is
    much more efficient (82% against 37% for normal data).
    """
    m = len(z)
    if m < 2:
        return 0.0
    if m > _QN_MAX:
        return _MAD_TO_SD * float(np.median(np.abs(z - np.median(z))))
    i, j = np.triu_indices(m, 1)
    h = m // 2 + 1
    rank = h * (h - 1) // 2
    return _QN_TO_SD * float(np.partition(np.abs(z[i] - z[j]), rank - 1)[rank - 1])


def _noise_sd(values: np.ndarray, weights: np.ndarray) -> float:
    """Robust standard deviation of one period of average weight, from first differences."""
    if len(values) < 3:
        return 0.0
    w = weights / weights.mean()
    z = np.diff(values) / np.sqrt(1.0 / w[1:] + 1.0 / w[:-1])
    sd = _qn(z)
    if sd == 0.0:  # most differences are equal: fall back on the plain SD
        sd = float(np.std(z))
    return sd


def long_run_variance(
    values: Sequence[float] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
    sampling: float | None = None,
    split: int | None = None,
) -> float:
    """Long-run variance of one period of average weight, for the change point penalty.

    The residuals around the two segments of the best single split (``split``, the
    start of the second, found when not given) give the variance ``s2`` of a period
    about its level; fitting the split absorbs part of any slow drift, which
    ``1 - 6 / n`` (at least 1/4) undoes. The part of ``s2`` beyond ``sampling`` (the
    sampling variance from resampling stories; none known counts all of it) is taken
    as drift persistent like AR(1) with ``PERSISTENCE`` 0.5, whose long-run variance is
    ``(1 + phi) / (1 - phi)`` = 3 times its variance. Returns ``sampling + 3 * excess``.
    """
    y = np.asarray(values, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    if len(y) != len(w):
        raise ValueError("values and weights differ in length")
    keep = w > 0
    y, w = y[keep], w[keep] / w[keep].mean() if keep.any() else w[keep]
    n = len(y)
    if n < 3:
        return math.inf
    if split is None:
        split = int(_split_gains(y[:, None], w[:, None], 1)[1])
    residual = y.copy()
    for part in (slice(0, split), slice(split, n)):
        if w[part].sum() > 0:
            residual[part] -= _mean(y[part], w[part])
    s2 = float((w * residual * residual).sum() / max(n - 2, 1))
    shrink = max(1.0 - 2 * _SEGMENT_DRIFT / n, 0.25)
    known = 0.0 if sampling is None or not np.isfinite(sampling) else float(sampling)
    excess = max(s2 - known, 0.0) / shrink
    return known + excess * (1.0 + PERSISTENCE) / (1.0 - PERSISTENCE)


def _null_draws(
    w: np.ndarray,
    deviations: np.ndarray | None,
    scale: np.ndarray,
    tilt: bool,
    n_null: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Standardized series under "no break": (n_null, n, m).

    With ``deviations`` (n, m, B: bootstrap replicates minus their mean per period,
    from resampling stories) each period draws one replicate's deviations, so the
    noise has the sampling distribution of the data, across poles too; each column is
    then brought to its long-run variance by ``scale``. Without, normal noise of
    variance 1 / w, made into tilts (each pole against the mean of the others) when
    ``tilt``, which gives tilts their dependence (they sum to zero).
    """
    n, m = w.shape
    if deviations is not None and deviations.shape[2] > 1:
        pick = rng.integers(deviations.shape[2], size=(n_null, n))
        draws = deviations[np.arange(n)[None, :], :, pick]  # (n_null, n, m)
        return draws * scale
    with np.errstate(divide="ignore"):
        sd = np.where(w > 0, 1.0 / np.sqrt(np.where(w > 0, w, 1.0)), 0.0)
    noise = rng.standard_normal((n_null, n, m)) * sd
    if tilt and m > 1:
        total = noise.sum(axis=-1, keepdims=True)
        noise = (noise - (total - noise) / (m - 1)) / math.sqrt(m / (m - 1))
    return noise


def default_penalty(
    values: Sequence[float],
    weights: Sequence[float] | None = None,
    scale: float = DEFAULT_PENALTY_SCALE,
    sampling: float | None = None,
    level: float = DEFAULT_LEVEL,
) -> float:
    """The penalty :func:`detect` uses on one series, in the units of its cost.

    ``scale`` times the ``1 - level`` quantile of the best split's gain over series of
    normal noise without a break (weights normalised to mean 1), times the series'
    :func:`long_run_variance` (``sampling``: the sampling variance of one period of
    average weight, when known). Infinite for fewer than three values.
    """
    y = np.asarray(values, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    if len(y) != len(w):
        raise ValueError("values and weights differ in length")
    if len(y) < 3:
        return math.inf
    w = w / w.mean()
    rng = np.random.default_rng(0)
    null = _null_draws(w[:, None], None, np.ones(1), False, DEFAULT_N_NULL, rng)
    gains, _ = _split_gains(null, np.broadcast_to(w[:, None], null.shape), 2)
    return scale * float(np.quantile(gains, 1.0 - level)) * long_run_variance(y, w, sampling)
