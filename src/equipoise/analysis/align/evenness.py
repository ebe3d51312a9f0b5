"""How evenly the focal actor treats the poles, period by period: :func:`equidistance`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from equipoise.analysis.align.columns import EQUIDISTANCE_COLUMNS, STATUS_INSUFFICIENT, STATUS_OK
from equipoise.analysis.balance import bca_interval, corrected_index, raw_index
from equipoise.analysis.query import (
    actor_code,
)
from equipoise.analysis.result import Alignment, as_alignment


def equidistance(aligned: Alignment | pd.DataFrame, poles: Sequence[str] | None = None,
                 anchors: tuple[float, float] = (-2.0, 2.0)) -> pd.DataFrame:
    """How evenly the focal actor treats the poles: one row per period of a :func:`measure`
    result (or of its table alone, then without intervals).

    Over a fixed set of m poles (``poles``, default every pole of ``aligned``), with
    ``x_i = score_sum / n_scored`` the focal actor's mean event value with pole i and
    ``v_i = mean_se**2`` its sampling variance::

        spread2      = max(0, var(x) - (m - 1) / m**2 * sum(v))     var: population variance
        equidistance = 1 - sqrt(spread2) / sd_max(m),   sd_max(m) = sqrt(1 - (m mod 2) / m**2)

    in [0, 1]: 1 when relations with every pole are equally good (or bad), 0 when they
    are as unequal as they can be. Subtracting the sampling variance removes the bias
    toward 0 that thin cells give the plain spread; ``equidistance_raw`` keeps the plain
    ``1 - sd / sd_max(m)`` over the scores, for comparison. A period in which any pole of
    the set has ``status`` "insufficient data" has no index (``status`` says so): a pole
    dropping out is a gap, not a jump.

    With exactly two poles P1, P2, ``position = (x_F - a1) / (a2 - a1)`` with
    ``x_F = x_2 - x_1`` (how much better F treats P2 than P1) and ``anchors`` (a1, a2)
    the values of x_F that stand for P1's and P2's own camps: by default -2 and +2, a
    state wholly cooperative with one pole and wholly conflictual with the other, so
    0.5 is even-handed, 0 P1's side and 1 P2's. Anchors measured on the camps' members
    put it on their scale, where it can pass 0 or 1.

    Columns ``period``, ``period_start``, ``n_poles`` (poles of the set),
    ``n_poles_with_data``, ``equidistance``, ``equidistance_raw``, ``status``, then
    ``position`` with two poles; with intervals (``aligned`` from ``measure(..., ci=...)``)
    ``equidistance_lo``/``_hi`` (and ``position_lo``/``_hi``): BCa intervals over the
    same bootstrap replicates. Frames without ``score_sum`` and ``n_scored`` use
    ``score`` (or ``net_coop``) without correction.
    """
    columns = list(EQUIDISTANCE_COLUMNS)
    boot = as_alignment(aligned).bootstrap
    aligned = as_alignment(aligned).table
    if poles is not None:
        chosen = list(dict.fromkeys(actor_code(p, "poles", "pole") for p in poles))
    else:
        chosen = list(dict.fromkeys(aligned["pole"].astype(str))) if len(aligned) else []
    two = len(chosen) == 2
    if two:
        columns.append("position")
    if boot is not None:
        columns += ["equidistance_lo", "equidistance_hi"]
        if two:
            columns += ["position_lo", "position_hi"]
    if aligned.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if anchors[0] == anchors[1]:
        raise ValueError("anchors must differ")
    unknown = [p for p in chosen if not aligned["pole"].astype(str).eq(p).any()]
    if unknown:
        known = ", ".join(dict.fromkeys(aligned["pole"].astype(str)))
        raise ValueError(f"pole(s) {', '.join(unknown)} not in the aligned table (its poles: "
                         f"{known})")

    frame = aligned[aligned["pole"].astype(str).isin(chosen)]
    value_column = "score" if "score" in aligned.columns else "net_coop"
    scores_in = pd.to_numeric(frame[value_column], errors="coerce").to_numpy(dtype=float)
    ok_in = ~np.isnan(scores_in)
    if "status" in frame.columns:
        ok_in &= frame["status"].eq(STATUS_OK).to_numpy(dtype=bool)
    if {"score_sum", "n_scored"} <= set(frame.columns):
        with np.errstate(divide="ignore", invalid="ignore"):
            means_in = (pd.to_numeric(frame["score_sum"]).to_numpy(dtype=float)
                        / pd.to_numeric(frame["n_scored"]).to_numpy(dtype=float))
        # An empty cell scored under min_events=0 stands at its score, without noise.
        means_in = np.where(np.isnan(means_in), scores_in, means_in)
    else:
        means_in = scores_in
    if "mean_se" in frame.columns and {"score_sum", "n_scored"} <= set(frame.columns):
        variance_in = pd.to_numeric(frame["mean_se"], errors="coerce").to_numpy(dtype=float) ** 2
    else:
        variance_in = np.zeros(len(frame))
    period_labels = pd.Index(pd.unique(aligned["period"].astype(str)))
    period_id = period_labels.get_indexer(frame["period"].astype(str))
    pole_id = pd.Index(chosen).get_indexer(frame["pole"].astype(str))
    if pd.Series(period_id * len(chosen) + pole_id).duplicated().any():
        raise ValueError("aligned has more than one row for some (period, pole)")
    shape = (len(period_labels), len(chosen))
    scores, means, variances = np.full(shape, np.nan), np.full(shape, np.nan), np.zeros(shape)
    okay = np.zeros(shape, dtype=bool)
    scores[period_id, pole_id] = scores_in
    means[period_id, pole_id] = means_in
    variances[period_id, pole_id] = np.nan_to_num(variance_in, nan=0.0)
    okay[period_id, pole_id] = ok_in & ~np.isnan(means_in)
    complete = np.asarray(okay.all(axis=1)) & (len(chosen) >= 2)
    full = np.broadcast_to(complete[:, None], shape)
    index = np.where(complete, corrected_index(means, variances, full), np.nan)
    raw = np.where(complete, raw_index(scores, full), np.nan)

    if "period_start" in aligned.columns:
        first = aligned.drop_duplicates("period")
        starts = dict(zip(first["period"].astype(str), first["period_start"], strict=True))
        period_start = [starts[p] for p in period_labels]
    else:
        period_start = [None] * len(period_labels)
    result = pd.DataFrame(
        {
            "period": np.asarray(period_labels, dtype=object),
            "period_start": pd.Series(period_start, dtype=object),
            "n_poles": np.full(shape[0], len(chosen), dtype="int64"),
            "n_poles_with_data": okay.sum(axis=1).astype("int64"),
            "equidistance": index,
            "equidistance_raw": raw,
            "status": np.where(complete, STATUS_OK, STATUS_INSUFFICIENT).astype(object),
        }
    )
    low, high = anchors

    def position(x: np.ndarray) -> np.ndarray:
        return ((x[:, 1] - x[:, 0]) - low) / (high - low)

    if two:
        result["position"] = np.where(complete, position(means), np.nan)
    if boot is not None:
        lo = hi = p_lo = p_hi = np.full(shape[0], np.nan)
        where = boot.index.get_indexer(
            pd.MultiIndex.from_arrays([frame["period"].astype(str), frame["pole"].astype(str)])
        )
        if (where >= 0).all() and boot.means is not None and boot.jackknife is not None:
            ci = boot.ci
            replicates = np.full((*shape, boot.means.shape[1]), np.nan)
            replicates[period_id, pole_id] = boot.means[where]
            jack = np.full((*shape, boot.jackknife.shape[1]), np.nan)
            jack[period_id, pole_id] = boot.jackknife[where]
            spread = variances[:, :, None]
            full_b = np.broadcast_to(complete[:, None, None], replicates.shape)
            full_j = np.broadcast_to(complete[:, None, None], jack.shape)
            # In the bootstrap world the true means are the observed ones, so the truth
            # the replicates estimate is the plain index of those means, not the corrected
            # estimate: the replicates are moved by the difference before the BCa
            # percentiles are read, so that they measure the estimator's error.
            plain = raw_index(means, full)
            index_b = corrected_index(replicates, spread, full_b) + (index - plain)[:, None]
            index_j = corrected_index(jack, spread, full_j) + (index - plain)[:, None]
            lo, hi = bca_interval(index, index_b, index_j, ci)
            lo, hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
            if two:
                p_lo, p_hi = bca_interval(result["position"].to_numpy(dtype=float),
                                          position(replicates), position(jack), ci)
        result["equidistance_lo"], result["equidistance_hi"] = lo, hi
        if two:
            result["position_lo"], result["position_hi"] = p_lo, p_hi
    return result[columns]
