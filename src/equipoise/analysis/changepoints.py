"""When did the focal actor's lean toward the poles change, and which stories drove it.

Detection reads the per-period table of :func:`equipoise.analysis.align.align`;
drivers read the coded events themselves. Every function here is pure:
DataFrames in, DataFrames (or plain objects) out. ``docs/changepoints.md`` has
the same definitions in prose.

Definitions
-----------
Series
    For one pole, the ``tilt`` column (or another numeric column of the
    :func:`align` table: ``score``, ``net_coop``, ...) in period order. Periods
    whose value is NaN (``align`` marks cells with too few events "insufficient
    data") are skipped: they are left out of the series, so a break is placed at
    the first period with data in the new regime and segment means ignore them.
Weights
    With ``weighted=True`` (the default) a period counts in proportion to the
    number of stories behind its value: for ``tilt`` the scored stories with all
    poles in that period (the tilt compares the poles), for ``score`` the scored
    stories with this pole, for any other column all stories with this pole. A
    period with none is skipped like a NaN period. With
    ``weighted=False`` every period with a value counts once.
Detection
    PELT (or binary segmentation, ``method="binseg"``) from ``ruptures`` on a
    weighted least-squares cost: a segment costs ``sum w_t (y_t - m)^2`` where
    ``m`` is its weighted mean: the "l2" cost of a change in mean, each period
    weighted by its stories (weights normalised to mean 1). :func:`changepoints`
    tests all poles at once (:func:`find_breaks`): a break is one period at which
    every pole's series may move, the costs of the poles (each divided by its
    long-run variance) added, since the tilts sum to zero and are not separate
    tests. :func:`detect` tests one pole alone.
Too short
    A series with fewer than ``MIN_PERIODS`` (12) periods with data is "too short to
    test": no break is looked for, since neither the noise nor its persistence can be
    measured on fewer.
Long-run variance
    Periods are not independent when relations drift: a slow wander looks like a
    break to a test that assumes independent noise. :func:`long_run_variance` takes
    the variance of the residuals around the best single split (scaled up by
    ``1 / (1 - 6/n)`` for what fitting the split absorbs of a drift), subtracts the
    sampling variance (known from the bootstrap over stories of ``align(...,
    ci=...)``; none known counts everything as drift) and counts the rest three
    times, the long-run variance of an AR(1) drift with coefficient 0.5. Each
    pole's series is divided by the square root of its long-run variance.
Penalty
    Every change point costs ``penalty``: the 95% quantile (``level`` 0.05) of the
    gain of the best single split over ``n_null`` series without a break, times
    ``penalty_scale`` (1). The null series draw, for each period, the deviations of
    one bootstrap replicate from the replicates' mean: the sampling noise of the
    data, resampled through stories, across poles at once; without replicates,
    normal noise (made into tilts, which sum to zero). ``p_value`` is the share of
    null series whose best split gains at least as much as the data's.
Stability
    Each break's ``stability`` is the share of bootstrap replicates (up to 200) whose
    series, segmented with the same penalty, has a break within one period of it.
Change point
    ``period`` is the first period of the new regime. ``before`` and ``after``
    are the weighted means of the series over the segment just before and just
    after it (from the previous change point, or the start, to the next one, or
    the end), and ``shift = after - before``.
Drivers
    The influence of a story group (a story with the other stories its articles
    report: the unit the bootstrap resamples) on a change point is how much the
    break weakens without it: ``|shift| - |shift without it|``, where every period
    of the two segments is recomputed from the table's own cells (its sums per period
    and pole) minus the group's stories: scores, the "insufficient data" rule, tilt and
    weights, by the table's formulas (:func:`~equipoise.analysis.align.cell_metrics`)
    and options. The recomputation uses each group's contribution to the
    per-(period, pole) sums, so the pipeline runs once, not once per group. A group
    whose removal leaves a segment without any period with data has influence
    ``|shift|``; a group of reports without any document is never a driver.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import ruptures as rpt

from equipoise.analysis.align import MULTIPLIED, cell_metrics, dyad_events, event_values, measure
from equipoise.analysis.query import actor_code
from equipoise.analysis.result import TESTED, TOO_SHORT, Alignment, ChangePoints, as_alignment
from equipoise.analysis.stories import find_stories
from equipoise.errors import InvalidQueryError
from equipoise.reference.periods import FREQ_CODES, day_numbers

__all__ = [
    "DEFAULT_LEVEL",
    "DEFAULT_PENALTY_SCALE",
    "DRIVER_COLUMNS",
    "METHODS",
    "MIN_PERIODS",
    "POINT_COLUMNS",
    "TOO_SHORT",
    "BreakTest",
    "ChangePoint",
    "breaks_in",
    "changepoints",
    "default_penalty",
    "detect",
    "drivers",
    "find_changepoints",
    "long_run_variance",
    "find_breaks",
]

METHODS: tuple[str, ...] = ("pelt", "binseg")
# The penalty is the calibrated null quantile times this.
DEFAULT_PENALTY_SCALE = 1.0
# Share of series without a break in which a break may be reported.
DEFAULT_LEVEL = 0.05
# Series drawn for the null distribution of the best split's gain.
DEFAULT_N_NULL = 1000
# Fewer periods with data than this are too short to test.
MIN_PERIODS = 12
# Variation beyond sampling noise is taken to persist like AR(1) with this coefficient.
PERSISTENCE = 0.5
# Periods of drift one fitted segment mean absorbs, about (1 + phi) / (1 - phi).
_SEGMENT_DRIFT = 3.0
# Bootstrap replicates re-segmented for the stability of each break.
_STABILITY_RUNS = 200
# Replicates over stories that changepoints() draws for the null and the stability.
DEFAULT_STABILITY_BOOT = 200
# Turn the median absolute deviation, and the first quartile of pairwise distances
# (Qn), into standard deviations for normal data.
_MAD_TO_SD = 1.4826
_QN_TO_SD = 2.2219
# Above this many differences Qn's pairwise distances get large; the MAD is used.
_QN_MAX = 3000

# Columns of ``drivers``: one row per dyad event of an influential document.
DRIVER_COLUMNS: list[str] = [
    "rank",
    "story",
    "n_reports",
    "doc_id",
    "influence",
    "shift_without",
    "event_date",
    "event_pole",
    "direction",
    "source",
    "target",
    "cameo",
    "quad",
    "goldstein",
    "sentence",
    "doc_title",
    "doc_url",
]
# Columns of the change point table returned by ``changepoints``.
POINT_COLUMNS: list[str] = [
    "pole",
    "period",
    "period_start",
    "before",
    "after",
    "shift",
    "window_start",
    "window_end",
    "n_before",
    "n_after",
    "stability",
]
# Columns of the align table that drivers can recompute from event counts.
_RECOMPUTABLE = ("tilt", "score", "net_coop")


def _empty_drivers() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in DRIVER_COLUMNS})


@dataclass
class ChangePoint:
    """One break in a pole's series.

    ``period`` (with its ``period_start``) is the first period of the new regime;
    ``before``/``after`` are the weighted means of ``column`` over the segments on
    either side and ``shift = after - before``. ``periods_before`` and
    ``periods_after`` list the periods of those segments that entered the
    computation (skipped periods are not listed): the window in which
    :func:`drivers` looks. ``drivers`` stays empty until :func:`drivers` or
    :func:`changepoints` fills it.
    """

    pole: str
    period: str
    period_start: Any
    before: float
    after: float
    shift: float
    drivers: pd.DataFrame = field(default_factory=_empty_drivers, repr=False, compare=False)
    periods_before: tuple[str, ...] = ()
    periods_after: tuple[str, ...] = ()
    column: str = "tilt"
    weighted: bool = True
    stability: float = math.nan

    @property
    def window(self) -> tuple[str, str]:
        """First and last period of the two segments around the break."""
        periods = self.periods_before + self.periods_after
        return (periods[0], periods[-1]) if periods else ("", "")


# --------------------------------------------------------------------------- cost


class _JointL2(rpt.base.BaseCost):
    """Weighted squared deviations from each column's weighted segment mean, summed.

    ``fit`` takes values (n, m) and weights (n, m) side by side, as one (n, 2m) signal;
    a weight of 0 leaves a cell out. Prefix sums make the cost of any segment O(m).
    """

    model = "joint_weighted_l2"

    def __init__(self) -> None:
        self.signal: np.ndarray | None = None
        self.min_size = 1
        self._s0 = self._s1 = self._s2 = np.zeros((1, 1))

    def fit(self, signal: np.ndarray) -> _JointL2:
        self.signal = signal
        m = signal.shape[1] // 2
        y, w = signal[:, :m], signal[:, m:]
        zero = np.zeros((1, m))
        self._s0 = np.concatenate([zero, np.cumsum(w, axis=0)])
        self._s1 = np.concatenate([zero, np.cumsum(w * y, axis=0)])
        self._s2 = np.concatenate([zero, np.cumsum(w * y * y, axis=0)])
        return self

    def error(self, start: int, end: int) -> float:
        if end - start < self.min_size:
            raise rpt.exceptions.NotEnoughPoints
        s0 = self._s0[end] - self._s0[start]
        s1 = self._s1[end] - self._s1[start]
        s2 = self._s2[end] - self._s2[start]
        with np.errstate(divide="ignore", invalid="ignore"):
            cost = np.where(s0 > 0, s2 - s1 * s1 / np.where(s0 > 0, s0, 1.0), 0.0)
        return max(float(cost.sum()), 0.0)


def _split_gains(y: np.ndarray, w: np.ndarray, min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Best single split of each series: its gain in cost and where the second part starts.

    ``y`` and ``w`` are (..., n, m); the gain sums over the m columns.
    """
    n = y.shape[-2]
    zero = np.zeros((*y.shape[:-2], 1, y.shape[-1]))
    s0 = np.concatenate([zero, np.cumsum(w, axis=-2)], axis=-2)
    s1 = np.concatenate([zero, np.cumsum(w * y, axis=-2)], axis=-2)
    s2 = np.concatenate([zero, np.cumsum(w * y * y, axis=-2)], axis=-2)

    def cost(a0, a1, a2):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(a0 > 0, a2 - a1 * a1 / np.where(a0 > 0, a0, 1.0), 0.0).sum(-1)

    cuts = np.arange(min_size, n - min_size + 1)
    if cuts.size == 0:
        return np.zeros(y.shape[:-2]), np.zeros(y.shape[:-2], dtype=np.int64)
    whole = cost(s0[..., -1, :], s1[..., -1, :], s2[..., -1, :])[..., None]
    left = cost(s0[..., cuts, :], s1[..., cuts, :], s2[..., cuts, :])
    right = cost(s0[..., -1:, :] - s0[..., cuts, :], s1[..., -1:, :] - s1[..., cuts, :],
                 s2[..., -1:, :] - s2[..., cuts, :])
    gains = whole - left - right
    best = gains.argmax(axis=-1)
    return np.take_along_axis(gains, best[..., None], -1)[..., 0], cuts[best]


# --------------------------------------------------------------------------- noise


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


# --------------------------------------------------------------------------- the null


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


@dataclass
class BreakTest:
    """The joint test for breaks in one or more poles' series of an :func:`align` table.

    ``status`` is "tested" or "too short to test" (fewer than ``MIN_PERIODS`` periods
    with data). ``breaks`` holds the index (into ``periods``) of the first period of
    each new regime, ``stability`` the share of bootstrap replicates with a break
    within one period of each (NaN without replicates), ``p_value`` the share of null
    series whose best single split gains at least as much as the data's, ``critical``
    the penalty (standardized units) and ``lrv`` each pole's long-run variance.
    """

    poles: list[str]
    periods: list[str]
    starts: list[Any]
    values: np.ndarray
    weights: np.ndarray
    status: str
    breaks: list[int] = field(default_factory=list)
    stability: list[float] = field(default_factory=list)
    p_value: float = math.nan
    critical: float = math.nan
    lrv: np.ndarray = field(default_factory=lambda: np.zeros(0))


# --------------------------------------------------------------------------- detection


def _weights(aligned: pd.DataFrame, rows: pd.DataFrame, column: str) -> np.ndarray:
    """Events behind each row's value (see "Weights" in the module docstring)."""
    scored = "n_scored" if "n_scored" in aligned.columns else "n_events"
    if "n_events" not in aligned.columns:
        raise ValueError("weighted detection needs the n_events column (or weighted=False)")
    if column == "tilt":
        totals = aligned.groupby("period")[scored].sum()
        weights = rows["period"].map(totals)
    elif column == "score":
        weights = rows[scored]
    else:  # stories are the units counted; a frame from before stories counts events
        weights = rows["n_stories" if "n_stories" in rows.columns else "n_events"]
    return np.nan_to_num(pd.to_numeric(weights, errors="coerce").to_numpy(dtype=float), nan=0.0)


def _series(
    aligned: pd.DataFrame, pole: str, column: str, weighted: bool
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The pole's rows that enter detection, in period order, with values and weights."""
    for needed in ("period", "pole", column):
        if needed not in aligned.columns:
            raise ValueError(f"aligned table lacks required column {needed!r}")
    rows = aligned[aligned["pole"] == pole]
    order = ["period_start", "period"] if "period_start" in rows.columns else ["period"]
    rows = rows.sort_values(order, kind="stable")
    values = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)
    weights = _weights(aligned, rows, column) if weighted else np.ones(len(rows))
    keep = ~np.isnan(values) & (weights > 0)
    return rows.loc[keep], values[keep], weights[keep]


def _mean(values: np.ndarray, weights: np.ndarray) -> float:
    total = weights.sum()
    return float((weights * values).sum() / total) if total > 0 else math.nan


def _replicates(measured: Alignment, column: str, poles: list[str],
                periods: list[str]) -> np.ndarray | None:
    """Bootstrap replicates of ``column`` (periods, poles, B) from ``measure(..., ci=...)``.

    The score replicates ``measure`` keeps give the score's and, against the other poles
    with data in the period, the tilt's. None for other columns or without them.
    """
    boot = measured.bootstrap
    if boot is None or column not in ("tilt", "score"):
        return None
    aligned = measured.table
    everyone = list(measured.poles or dict.fromkeys(aligned["pole"].tolist()))
    labels = list(dict.fromkeys(aligned.sort_values("period_start", kind="stable")["period"]
                                .astype(str)) if "period_start" in aligned else
                  dict.fromkeys(aligned["period"].astype(str)))
    index = pd.MultiIndex.from_product([labels, everyone])
    where = boot.index.get_indexer(index)
    if (where < 0).any():
        return None
    scores = boot.scores[where].reshape(len(labels), len(everyone), -1)
    status = aligned.set_index(["period", "pole"])["status"] if "status" in aligned else None
    ok = np.ones((len(labels), len(everyone)), dtype=bool)
    if status is not None:
        ok = (status.reindex(index).to_numpy() == "ok").reshape(ok.shape)
    if column == "tilt" and len(everyone) > 1:
        values = np.where(ok[..., None], scores, 0.0)
        m = ok.sum(axis=1)[:, None, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            others = (values.sum(axis=1, keepdims=True) - values) / (m - 1)
        scores = np.where(ok[..., None] & (m >= 2), values - others, np.nan)
    rows = [labels.index(p) for p in periods]
    cols = [everyone.index(p) for p in poles]
    return scores[np.ix_(rows, cols)]


def _joint(aligned: pd.DataFrame, poles: list[str], column: str, weighted: bool):
    """Periods with data for any of ``poles``, and values and weights (n, m), 0 weight
    where a pole has no value."""
    frames = {p: _series(aligned, p, column, weighted) for p in poles}
    order = ["period_start", "period"] if "period_start" in aligned.columns else ["period"]
    present = pd.concat([f[0] for f in frames.values()]) if frames else aligned.iloc[0:0]
    present = present.drop_duplicates("period").sort_values(order, kind="stable")
    periods = present["period"].astype(str).tolist()
    starts = present["period_start"].tolist() if "period_start" in present else [None] * len(
        periods)
    y = np.zeros((len(periods), len(poles)))
    w = np.zeros((len(periods), len(poles)))
    at = {p: i for i, p in enumerate(periods)}
    for j, pole in enumerate(poles):
        rows, values, weights = frames[pole]
        index = [at[p] for p in rows["period"].astype(str)]
        y[index, j], w[index, j] = values, weights
    return periods, starts, y, w


def _segment(signal_y: np.ndarray, signal_w: np.ndarray, penalty: float, method: str,
             min_size: int) -> list[int]:
    """Ends of the segments PELT or binary segmentation finds (the last is n)."""
    algo = rpt.Pelt if method == "pelt" else rpt.Binseg
    estimator = algo(custom_cost=_JointL2(), min_size=int(min_size), jump=1)
    return list(estimator.fit(np.column_stack([signal_y, signal_w])).predict(pen=float(penalty)))


def find_breaks(
    aligned: Alignment | pd.DataFrame,
    poles: Sequence[str] | None = None,
    column: str = "tilt",
    *,
    method: str = "pelt",
    min_size: int = 2,
    weighted: bool = True,
    level: float = DEFAULT_LEVEL,
    penalty_scale: float = DEFAULT_PENALTY_SCALE,
    n_null: int = DEFAULT_N_NULL,
    n_stability: int = _STABILITY_RUNS,
    random_state: int = 0,
) -> BreakTest:
    """Breaks shared by the series of ``poles`` (default all) of a
    :func:`~equipoise.analysis.align.measure` result (or of its table alone).

    One break moves every pole's series at the same period (tilts sum to zero, so
    the poles are not tested apart). Each pole's series is divided by the square root
    of its :func:`long_run_variance`, with the sampling variance taken from the
    bootstrap replicates (resampling stories) when ``aligned`` has them; the penalty
    of a break is the ``1 - level`` quantile of the best single split's gain over
    ``n_null`` series without a break, drawn from the replicates' deviations (or normal
    noise without), times ``penalty_scale``. The stability of a break is measured on up
    to ``n_stability`` replicates. Fewer than ``MIN_PERIODS`` periods with
    data are "too short to test". See the module docstring.
    """
    if method not in METHODS:
        raise InvalidQueryError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if isinstance(min_size, bool) or not isinstance(min_size, int | np.integer) or min_size < 1:
        raise InvalidQueryError(f"min_size must be a positive integer, got {min_size!r}")
    measured = as_alignment(aligned)
    aligned = measured.table
    chosen = list(poles) if poles is not None else list(
        measured.poles or dict.fromkeys(aligned["pole"].tolist()))
    periods, starts, y, w = _joint(aligned, chosen, column, weighted)
    n = len(periods)
    test = BreakTest(chosen, periods, starts, y, w, TOO_SHORT)
    if n < MIN_PERIODS:
        return test
    test.status = TESTED
    # Weights normalised to mean 1 over each pole's periods with data.
    means = np.array([w[w[:, j] > 0, j].mean() if (w[:, j] > 0).any() else 1.0
                      for j in range(w.shape[1])])
    w = w / means
    test.weights = w
    replicates = _replicates(measured, column, chosen, periods)
    deviations = None
    sampling: list[float | None] = [None] * len(chosen)
    if replicates is not None:
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            centre = np.nanmean(replicates, axis=2, keepdims=True)
            deviations = np.nan_to_num(replicates - centre, nan=0.0)
            spread = np.nanvar(replicates, axis=2)
        for j in range(len(chosen)):
            cells = w[:, j] > 0
            # Sampling variance of one period of average weight.
            sampling[j] = float(np.nanmean(spread[cells, j] * w[cells, j])) if cells.any() \
                else None
    _, split = _split_gains(y, w, min_size)
    lrv = np.array([long_run_variance(y[:, j], w[:, j], sampling[j], int(split))
                    for j in range(len(chosen))])
    lrv = np.where(np.isfinite(lrv) & (lrv > 0), lrv, np.nan)
    test.lrv = lrv
    usable = ~np.isnan(lrv)
    if not usable.any():
        return test
    z = np.where(usable, y / np.sqrt(np.where(usable, lrv, 1.0)), 0.0)
    zw = np.where(usable, w, 0.0)
    rng = np.random.default_rng(random_state)
    scale = np.ones(len(chosen))
    if deviations is not None:
        known = np.array([s if s else np.nan for s in sampling], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(usable & (known > 0), 1.0 / np.sqrt(known), 0.0)
    null = _null_draws(zw, deviations, scale, column == "tilt", n_null, rng)
    null_gain, _ = _split_gains(null, np.broadcast_to(zw, null.shape), min_size)
    gain, _ = _split_gains(z, zw, min_size)
    test.critical = float(np.quantile(null_gain, 1.0 - level)) * penalty_scale
    test.p_value = float((null_gain >= gain).mean())
    ends = _segment(z, zw, test.critical, method, min_size)
    test.breaks = ends[:-1]
    test.stability = _stability(test.breaks, replicates, lrv, zw, test.critical, method,
                                min_size, n_stability)
    return test


def _stability(breaks: list[int], replicates: np.ndarray | None, lrv: np.ndarray,
               w: np.ndarray, penalty: float, method: str, min_size: int,
               most: int) -> list[float]:
    """Share of bootstrap replicates (the first ``most``) whose series has a break within
    one period of each."""
    if not breaks:
        return []
    if replicates is None or most < 1:
        return [math.nan] * len(breaks)
    found = np.zeros(len(breaks))
    runs = min(replicates.shape[2], most)
    usable = ~np.isnan(lrv)
    for b in range(runs):
        y = np.nan_to_num(replicates[:, :, b], nan=0.0)
        z = np.where(usable, y / np.sqrt(np.where(usable, lrv, 1.0)), 0.0)
        ends = np.array(_segment(z, w, penalty, method, min_size)[:-1])
        for k, at in enumerate(breaks):
            found[k] += bool(ends.size and (np.abs(ends - at) <= 1).any())
    return (found / max(runs, 1)).tolist()


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


def detect(
    aligned: Alignment | pd.DataFrame,
    pole: str,
    method: str = "pelt",
    penalty: float | None = None,
    min_size: int = 2,
    column: str = "tilt",
    *,
    weighted: bool = True,
    penalty_scale: float = DEFAULT_PENALTY_SCALE,
    level: float = DEFAULT_LEVEL,
) -> list[ChangePoint]:
    """Change points in one pole's series of a :func:`~equipoise.analysis.align.measure`
    result (or of its table alone).

    ``method`` is ``"pelt"`` (exact, the default) or ``"binseg"`` (binary
    segmentation, approximate). By default the penalty is that of :func:`find_breaks`
    on this pole alone (long-run variance, a calibrated null, the replicates of
    ``measure(..., ci=...)`` when there), and a series of fewer than ``MIN_PERIODS``
    periods with data is too short to test: no change points. ``penalty`` instead
    sets the cost of one change point in units of the weighted squared deviations
    (weights normalised to mean 1), with no minimum length. ``min_size`` is the
    shortest segment, counted in periods that enter the series. NaN periods (and,
    when ``weighted``, periods without events) are skipped. Returns the change
    points in time order, with empty ``drivers``; :func:`changepoints` tests the
    poles jointly.
    """
    if method not in METHODS:
        raise InvalidQueryError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if isinstance(min_size, bool) or not isinstance(min_size, int | np.integer) or min_size < 1:
        raise InvalidQueryError(f"min_size must be a positive integer, got {min_size!r}")
    if penalty is not None and not penalty >= 0:
        raise InvalidQueryError(f"penalty must be >= 0, got {penalty!r}")
    code = actor_code(pole, "pole")
    measured = as_alignment(aligned)
    aligned = measured.table
    known = list(dict.fromkeys(aligned["pole"].tolist())) if "pole" in aligned else []
    known = known or list(measured.poles)
    if code not in known:
        listed = ", ".join(known) if known else "none"
        raise InvalidQueryError(f"pole {pole!r} is not in the aligned table (its poles: {listed})")
    if aligned.empty:
        return []

    if penalty is None:
        test = find_breaks(measured, [code], column, method=method, min_size=int(min_size),
                           weighted=weighted, level=level, penalty_scale=penalty_scale)
        return _points(test, [test.breaks], column, weighted)[0]
    rows, y, w = _series(aligned, code, column, weighted)
    n = len(y)
    if n < 2 * min_size:
        return []
    w = w / w.mean()
    ends = _segment(y[:, None], w[:, None], float(penalty), method, int(min_size))
    periods = rows["period"].astype(str).tolist()
    starts = rows["period_start"].tolist() if "period_start" in rows.columns else [None] * n
    test = BreakTest([code], periods, starts, y[:, None], w[:, None], TESTED, ends[:-1])
    return _points(test, [test.breaks], column, weighted)[0]


def _points(test: BreakTest, _: list[list[int]], column: str,
            weighted: bool) -> list[list[ChangePoint]]:
    """The change points of each pole of ``test`` at its breaks."""
    result: list[list[ChangePoint]] = []
    n = len(test.periods)
    bounds = [0, *test.breaks, n]
    for j, pole in enumerate(test.poles):
        y, w = test.values[:, j], test.weights[:, j]
        has = w > 0
        points = []
        for i in range(1, len(bounds) - 1):
            a, b, c = bounds[i - 1], bounds[i], bounds[i + 1]
            before, after = _mean(y[a:b], w[a:b]), _mean(y[b:c], w[b:c])
            if math.isnan(before) or math.isnan(after):
                continue
            first = b + int(np.argmax(has[b:c]))  # the first period of the pole's new regime
            points.append(
                ChangePoint(
                    pole=pole,
                    period=test.periods[first],
                    period_start=test.starts[first],
                    before=before,
                    after=after,
                    shift=after - before,
                    periods_before=tuple(p for p, h in zip(test.periods[a:b], has[a:b],
                                                           strict=True) if h),
                    periods_after=tuple(p for p, h in zip(test.periods[b:c], has[b:c],
                                                          strict=True) if h),
                    column=column,
                    weighted=weighted,
                    stability=test.stability[i - 1] if i - 1 < len(test.stability)
                    else math.nan,
                )
            )
        result.append(points)
    return result


# --------------------------------------------------------------------------- recomputation


def _event_times(values: pd.Series) -> pd.Series:
    """Event dates as day-resolution timestamps (NaT when missing)."""
    if not pd.api.types.is_datetime64_any_dtype(values):
        present = values.dropna()
        if len(present) and present.map(lambda v: isinstance(v, str)).all():
            values = pd.to_datetime(values, format="ISO8601", errors="coerce")
        else:
            values = pd.to_datetime(values, errors="coerce")
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_localize(None)
    return values.dt.normalize()


def _event_values(dyads: pd.DataFrame, weight: str) -> np.ndarray:
    """Each dyad event's value in [-1, 1] under ``weight``, as ``measure`` scores it."""
    if weight in MULTIPLIED:  # a story would weigh its reports' figures: not recomputed
        raise ValueError(f"drivers cannot score events under weight {weight!r}")
    quad = pd.to_numeric(dyads["quad"], errors="coerce").to_numpy(dtype=float)
    return event_values(dyads, np.arange(len(dyads)), weight, quad)


def _window_dyads(
    events: pd.DataFrame,
    measured: Alignment,
    periods: Sequence[str],
    memberships: pd.DataFrame | None,
    dyads: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The dyad events ``measure`` counted in ``periods``, with what each adds to its cell;
    ``dyads``, when given, are those of ``events`` already (:func:`dyad_events`)."""
    if "doc_id" not in events.columns:
        raise ValueError("events lack required column: doc_id")
    if dyads is None:
        dyads = dyad_events(events, str(measured.focal), measured.poles,
                            memberships=memberships)
    when = _event_times(dyads["event_date"]) if len(dyads) else pd.Series(dtype="M8[ns]")
    # Stories as align found them: each counts once, at its lead report's date.
    everything = np.arange(len(dyads))
    if measured.unit == "story":
        found = find_stories(dyads, everything, dyads["pole"].to_numpy(dtype=object),
                             day_numbers(dyads["event_date"]))
        lead = found.lead
        leads = np.empty(found.count, dtype=np.int64)
        leads[found.story[lead]] = everything[lead]
        when = pd.Series(when.to_numpy()[leads[found.story]], index=dyads.index)
        # A driver is a story with the stories its articles also report: the unit the
        # bootstrap resamples, since one article's stories are not independent.
        driver = found.unit[found.story]
    else:
        lead = np.ones(len(dyads), dtype=bool)
        driver = pd.factorize(dyads["doc_id"].fillna("").astype(str).str.strip()
                              .where(lambda d: d.ne(""), pd.Series(everything).astype(str)
                                     .radd("row:")))[0] if len(dyads) else everything
    n_reports = np.bincount(driver, minlength=1)[driver] if len(dyads) else everything
    dyads = dyads.assign(story=driver, n_reports=n_reports.astype(np.int64), _lead=lead)
    keep = when.notna()
    if measured.start is not None:
        keep &= when >= pd.Timestamp(measured.start)
    if measured.end is not None:
        keep &= when <= pd.Timestamp(measured.end)
    label = pd.Series("", index=dyads.index, dtype=object)
    if keep.any():
        code = FREQ_CODES[measured.freq or "month"]
        label.loc[keep] = when.loc[keep].dt.to_period(code).astype(str)
    dyads = dyads.assign(period=label.to_numpy())
    dyads = dyads.loc[keep & dyads["period"].isin(periods)].reset_index(drop=True)

    direction = measured.direction or "both"
    chosen = dyads["direction"].ne({"out": "in", "in": "out"}.get(direction, ""))
    value = _event_values(dyads, measured.weight or "count") if len(dyads) else np.zeros(0)
    scored = chosen.to_numpy(dtype=bool) & ~np.isnan(value)
    quad = pd.to_numeric(dyads["quad"], errors="coerce")
    # Only a story's lead report counts; the others come along as its reports.
    lead = dyads["_lead"].to_numpy(dtype=bool)
    return dyads.assign(
        _n=lead.astype(float),
        _coop=(quad.isin([1, 2]).to_numpy() & lead).astype(float),
        _conflict=(quad.isin([3, 4]).to_numpy() & lead).astype(float),
        _scored=(scored & lead).astype(float),
        _value=np.where(scored & lead, value, 0.0),
    ).drop(columns="_lead")


_SUMS = ("_n", "_coop", "_conflict", "_scored", "_value")


def _cells(frame: pd.DataFrame, keys: list[str], poles: list[str]) -> tuple[pd.Index, np.ndarray]:
    """Sums of ``_SUMS`` per ``keys`` and pole: an index and an array (rows, sums, poles)."""
    if frame.empty:
        return pd.Index([]), np.zeros((0, len(_SUMS), len(poles)))
    sums = frame.groupby([*keys, "pole"])[list(_SUMS)].sum().unstack("pole", fill_value=0.0)
    cube = np.stack(
        [sums[name].reindex(columns=poles, fill_value=0.0).to_numpy(float) for name in _SUMS],
        axis=1,
    )
    return sums.index, cube


def _table_cells(table: pd.DataFrame, window: Sequence[str], poles: list[str]) -> np.ndarray:
    """The sums of ``_SUMS`` of the table's cells in ``window``, as a (periods, sums,
    poles) cube: stories, cooperation, conflict, scored stories and their values."""
    cube = np.zeros((len(window), len(_SUMS), len(poles)))
    rows = table[table["period"].astype(str).isin(window)]
    at = pd.Index(window).get_indexer(rows["period"].astype(str))
    pole = pd.Index(poles).get_indexer(rows["pole"].astype(str))
    inside = pole >= 0
    sums = (rows["n_stories"], rows["verbal_coop"] + rows["material_coop"],
            rows["verbal_conflict"] + rows["material_conflict"], rows["n_scored"],
            rows["score_sum"])
    for number, values in enumerate(sums):
        cube[at[inside], number, pole[inside]] = values.to_numpy(dtype=float)[inside]
    return cube


def _table_series(table: pd.DataFrame, cp: ChangePoint,
                  window: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The value and weight of each period of ``window`` in the series the change point
    was found in, read from the table (0 and 0 where the period has no data)."""
    rows, values, weights = _series(table, cp.pole, cp.column, cp.weighted)
    y, w = np.zeros(len(window)), np.zeros(len(window))
    at = pd.Index(window).get_indexer(rows["period"].astype(str))
    inside = at >= 0
    y[at[inside]], w[at[inside]] = values[inside], weights[inside]
    return y, w


def _recomputed(cube: np.ndarray, j: int, measured: Alignment, column: str,
                weighted: bool) -> tuple[np.ndarray, np.ndarray]:
    """The series value and weight of pole ``j`` for cells given by their sums (rows,
    sums, poles), by the table's formulas (:func:`~equipoise.analysis.align.cell_metrics`)
    and the weights of detection (module docstring)."""
    n, coop, conflict, scored, total = (cube[:, i, :] for i in range(len(_SUMS)))
    net, score, tilt = cell_metrics(n, coop - conflict, scored, total, measured.smoothing,
                                    measured.min_events)
    y, w = {"net_coop": (net[:, j], n[:, j]), "score": (score[:, j], scored[:, j]),
            "tilt": (tilt[:, j], scored.sum(axis=1))}[column]
    w = w.astype(float) if weighted else np.ones(len(y))
    valid = ~np.isnan(y) & (w > 0)
    return np.where(valid, y, 0.0), np.where(valid, w, 0.0)


def _influence(
    dyads: pd.DataFrame, cp: ChangePoint, poles: list[str], measured: Alignment
) -> pd.DataFrame:
    """``influence`` and ``shift_without`` per story group: the break's segments
    recomputed from the table's cells less the group's stories."""
    window = [*cp.periods_before, *cp.periods_after]
    side = np.array([0] * len(cp.periods_before) + [1] * len(cp.periods_after))
    j = poles.index(cp.pole)

    y, w = _table_series(measured.table, cp, window)
    num = np.array([(w * y)[side == s].sum() for s in (0, 1)])
    den = np.array([w[side == s].sum() for s in (0, 1)])
    with np.errstate(divide="ignore", invalid="ignore"):
        base_means = np.where(den > 0, num / den, np.nan)
    shift = base_means[1] - base_means[0]

    index, cube = _cells(dyads, ["story", "period"], poles)
    if not len(index):
        return pd.DataFrame({"story": [], "influence": [], "shift_without": []})
    row = pd.Index(window).get_indexer(index.get_level_values("period"))
    base = _table_cells(measured.table, window, poles)
    y2, w2 = _recomputed(base[row] - cube, j, measured, cp.column, cp.weighted)
    delta = pd.DataFrame(
        {
            "story": index.get_level_values("story"),
            "side": side[row],
            "num": w2 * y2 - (w * y)[row],
            "den": w2 - w[row],
        }
    )
    sums = delta.groupby(["story", "side"])[["num", "den"]].sum().unstack("side", fill_value=0.0)
    sums = sums.reindex(columns=pd.MultiIndex.from_product([["num", "den"], [0, 1]]), fill_value=0)
    new_num = sums["num"].to_numpy(dtype=float) + num
    new_den = sums["den"].to_numpy(dtype=float) + den
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.where(new_den > 1e-12, new_num / new_den, np.nan)
    without = means[:, 1] - means[:, 0]
    influence = abs(shift) - np.where(np.isnan(without), 0.0, np.abs(without))
    return pd.DataFrame(
        {"story": sums.index.to_numpy(), "influence": influence, "shift_without": without}
    )


def _check_detected_on(table: pd.DataFrame, cp: ChangePoint) -> None:
    """Refuse a change point whose segment means are not those of ``table``: it was found
    with other events, poles or options than the table was measured with."""
    window = [*cp.periods_before, *cp.periods_after]
    side = np.array([0] * len(cp.periods_before) + [1] * len(cp.periods_after))
    y, w = _table_series(table, cp, window)
    means = np.array([_mean(y[side == s], w[side == s]) for s in (0, 1)])
    if not np.allclose(means, [cp.before, cp.after], rtol=1e-6, atol=1e-9):
        raise ValueError(
            f"the {cp.column} of the aligned table does not give the change point's "
            f"means ({means[0]:.4f}, {means[1]:.4f} against {cp.before:.4f}, {cp.after:.4f}): "
            "drivers need the events, focal, poles and align options it was detected with"
        )


def _drivers(
    dyads: pd.DataFrame,
    measured: Alignment,
    cp: ChangePoint,
    top: int,
) -> pd.DataFrame:
    poles = list(measured.poles)
    if cp.column not in _RECOMPUTABLE:
        raise ValueError(
            f"drivers can be computed for {', '.join(_RECOMPUTABLE)}, not {cp.column!r}"
        )
    if cp.pole not in poles:
        raise ValueError(f"change point pole {cp.pole} is not among the poles {poles}")
    if not cp.periods_before or not cp.periods_after:
        raise ValueError("the change point lists no periods before or after the break")
    dyads = dyads[dyads["period"].isin([*cp.periods_before, *cp.periods_after])]
    table = _influence(dyads, cp, poles, measured)

    table = table[table["influence"] > 1e-12]
    # A driver is named by its articles: stories without any count but never drive.
    named = dyads["doc_id"].notna() & dyads["doc_id"].astype(str).str.strip().ne("")
    table = table[table["story"].isin(dyads.loc[named, "story"])]
    # Ties in influence go to the story whose first report comes first, then the lower id.
    first_doc = dyads.groupby("story")["doc_id"].min() if "doc_id" in dyads else None
    table = table.assign(_doc=table["story"].map(first_doc) if first_doc is not None else "")
    table = table.sort_values(["influence", "_doc", "story"], ascending=[False, True, True],
                              kind="stable").drop(columns="_doc")
    table = table.head(max(int(top), 0)).reset_index(drop=True)
    if table.empty:
        return _empty_drivers()
    table["rank"] = np.arange(1, len(table) + 1)

    rows = dyads[dyads["story"].isin(table["story"])].rename(columns={"pole": "event_pole"})
    for col in DRIVER_COLUMNS:
        if col not in rows.columns and col not in table.columns:
            rows = rows.assign(**{col: None})
    rows = rows[[c for c in DRIVER_COLUMNS if c not in table.columns or c == "story"]]
    merged = table.merge(rows, on="story", how="left")
    return merged.sort_values(["rank", "event_date"], kind="stable").reset_index(drop=True)[
        DRIVER_COLUMNS
    ]


def drivers(
    events: pd.DataFrame,
    focal: str,
    poles: Sequence[str],
    cp: ChangePoint,
    align_kwargs: Mapping[str, Any] | None = None,
    top: int = 5,
) -> pd.DataFrame:
    """The documents whose removal most weakens the break ``cp``, with their events.

    ``events``, ``focal``, ``poles`` and ``align_kwargs`` (``start``, ``end``,
    ``freq``, ``weight``, ``min_events``, ...) must be those the change point was
    detected with; a mismatch is reported as a ValueError. Candidates are the
    documents with dyad events in the two segments around the break (events
    without a ``doc_id`` count in the tilt but are never candidates); the
    influence of each is the drop in ``|shift|`` when it is removed (see the
    module docstring). The ``top`` documents with positive influence come back,
    most influential first, one row per dyad event of theirs inside the window:
    ``rank``, ``doc_id``, ``influence``, ``shift_without`` (NaN when a segment
    would be left without data), ``event_date``, ``event_pole`` (the pole the
    event is with: tilt compares the poles, so events with the others count),
    ``direction``, ``source``, ``target``, ``cameo``, ``quad``, ``goldstein``,
    ``sentence``, ``doc_title`` and ``doc_url`` (None where the events lack them).
    """
    options = dict(align_kwargs or {})
    measured = measure(events, focal, poles, **options)
    aligned = measured.table
    labels = set(aligned["period"].astype(str)) if len(aligned) else set()
    window = [*cp.periods_before, *cp.periods_after]
    missing = [p for p in window if p not in labels]
    if missing:
        raise ValueError(
            f"period(s) {', '.join(missing[:3])} of the change point are not in the aligned "
            "range: pass the align_kwargs used for detection"
        )
    if cp.column in _RECOMPUTABLE and cp.pole in measured.poles and window:
        _check_detected_on(aligned, cp)
    dyads = _window_dyads(events, measured, window, options.get("memberships"))
    return _drivers(dyads, measured, cp, top)


# --------------------------------------------------------------------------- convenience


def changepoints(
    events: pd.DataFrame,
    focal: str,
    poles: Sequence[str],
    freq: str = "month",
    *,
    align_kwargs: Mapping[str, Any] | None = None,
    top: int = 5,
    n_boot: int = DEFAULT_STABILITY_BOOT,
    **kwargs,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``(points, drivers)`` tables of :func:`find_changepoints`, with its arguments."""
    found = find_changepoints(events, focal, poles, freq, align_kwargs=align_kwargs, top=top,
                              n_boot=n_boot, **kwargs)
    return found.points, found.drivers


def find_changepoints(
    events: pd.DataFrame,
    focal: str,
    poles: Sequence[str],
    freq: str = "month",
    *,
    align_kwargs: Mapping[str, Any] | None = None,
    top: int = 5,
    n_boot: int = DEFAULT_STABILITY_BOOT,
    **kwargs,
) -> ChangePoints:
    """Breaks shared by the poles and their drivers.

    Measures ``events`` with ``freq`` and ``align_kwargs`` (``start``, ``end``,
    ``weight``, ``min_events``, ...) and ``n_boot`` bootstrap replicates over stories
    (0 for none: no stability, a normal null), then :func:`breaks_in` that alignment
    with ``kwargs`` (``method``, ``min_size``, ``column``, ``weighted``, ``level``,
    ``penalty_scale``, ``random_state``).
    """
    options = {**dict(align_kwargs or {}), "freq": freq}
    if n_boot and "ci" not in options:
        options_b: dict[str, Any] = {**options, "ci": 0.9, "n_boot": int(n_boot)}
    else:
        options_b = options
    measured = measure(events, focal, poles, **options_b)
    return breaks_in(measured, events, top=top, memberships=options.get("memberships"),
                     **kwargs)


def breaks_in(
    measured: Alignment,
    events: pd.DataFrame,
    *,
    top: int = 5,
    memberships: pd.DataFrame | None = None,
    dyads: pd.DataFrame | None = None,
    **kwargs,
) -> ChangePoints:
    """Breaks shared by the poles of ``measured`` and the stories of ``events`` (those it
    was measured from) that drive them; ``dyads`` are the dyad events of ``events`` when
    another reader has them already (:func:`~equipoise.analysis.align.dyad_events`).

    Runs :func:`find_breaks` on all poles at once with ``kwargs`` and finds the ``top``
    driving story groups of each change point (see :func:`drivers`), reading the
    table's cells.

    ``points`` has one row per pole and break (a break is joint: every pole with data on
    both sides gets a row), by pole then time: ``pole``, ``period`` (first period of the
    new regime), ``period_start``, ``before``, ``after``, ``shift``, ``window_start`` and
    ``window_end`` (first and last period of the segments on either side),
    ``n_before``/``n_after`` (periods with data in each) and ``stability`` (share of
    bootstrap replicates with a break within one period). ``drivers`` has one row per
    report of each change point's ``top`` story groups: ``pole`` and ``period`` name the
    change point (join on them), then the columns of :func:`drivers`. Drivers are left
    empty for columns they cannot be recomputed for. The result also has ``status``
    ("tested" or "too short to test"), ``n_periods``, ``p_value`` and ``critical``.
    """
    aligned = measured.table
    found: list[ChangePoint] = []
    test: BreakTest | None = None
    column = kwargs.get("column", "tilt")
    weighted = kwargs.get("weighted", True)
    if len(aligned):
        test = find_breaks(measured, list(measured.poles), **kwargs)
        for points in _points(test, [test.breaks], column, weighted):
            found.extend(points)
    if found and found[0].column in _RECOMPUTABLE:
        window = sorted({p for cp in found for p in (*cp.periods_before, *cp.periods_after)})
        counted = _window_dyads(events, measured, window, memberships, dyads)
        for cp in found:
            cp.drivers = _drivers(counted, measured, cp, top)

    points = pd.DataFrame(
        [
            {
                "pole": cp.pole,
                "period": cp.period,
                "period_start": cp.period_start,
                "before": cp.before,
                "after": cp.after,
                "shift": cp.shift,
                "window_start": cp.window[0],
                "window_end": cp.window[1],
                "n_before": len(cp.periods_before),
                "n_after": len(cp.periods_after),
                "stability": cp.stability,
            }
            for cp in found
        ],
        columns=POINT_COLUMNS,
    )
    columns = ["pole", "period", *DRIVER_COLUMNS]
    frames = [cp.drivers.assign(pole=cp.pole, period=cp.period) for cp in found]
    frames = [f[columns] for f in frames if len(f)]
    if frames:
        table = pd.concat(frames, ignore_index=True)
    else:
        table = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return ChangePoints(
        points, table,
        status=test.status if test is not None else TOO_SHORT,
        n_periods=len(test.periods) if test is not None else 0,
        p_value=test.p_value if test is not None else math.nan,
        critical=test.critical if test is not None else math.nan,
        focal=measured.focal, poles=measured.poles, freq=measured.freq,
        start=measured.start, end=measured.end,
    )
