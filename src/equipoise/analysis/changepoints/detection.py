"""Finding breaks: the joint test of all poles' series (:func:`find_breaks`), one pole
alone (:func:`detect`), and the stability of each break over bootstrap replicates.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import ruptures as rpt

from equipoise.analysis.changepoints.cost import _JointL2, _mean, _split_gains
from equipoise.analysis.changepoints.points import ChangePoint
from equipoise.analysis.changepoints.significance import (
    DEFAULT_LEVEL,
    DEFAULT_N_NULL,
    DEFAULT_PENALTY_SCALE,
    _null_draws,
    long_run_variance,
)
from equipoise.analysis.query import actor_code
from equipoise.analysis.result import TESTED, TOO_SHORT, Alignment, as_alignment
from equipoise.errors import InvalidQueryError

METHODS: tuple[str, ...] = ("pelt", "binseg")


# Fewer periods with data than this are too short to test.
MIN_PERIODS = 12


# Bootstrap replicates re-segmented for the stability of each break.
_STABILITY_RUNS = 200


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


def _weights(aligned: pd.DataFrame, rows: pd.DataFrame, column: str) -> np.ndarray:
    """Events behind each row's value (see "Weights" in the package docstring)."""
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
    data are "too short to test". See the package docstring.
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
