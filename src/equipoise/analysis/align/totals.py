"""One row per pole over the whole range and its halves: :func:`summarise`."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from equipoise.analysis.align.cells import _tilts
from equipoise.analysis.align.columns import SUMMARY_COLUMNS
from equipoise.analysis.align.periods import _span
from equipoise.analysis.result import Alignment, Summary, as_alignment
from equipoise.analysis.scoring import shrunk_scores
from equipoise.reference.quads import QUAD_COLUMNS


def _block(aligned: pd.DataFrame, poles: list[str], k: float,
           min_events: int = 0) -> pd.DataFrame:
    """Totals, net cooperation, score and tilt per pole over the rows given.

    A pole with fewer than ``min_events`` events behind its score (and at least one,
    always) has no score and no tilt, and is left out of the other poles' comparison,
    as in :func:`align`'s table."""
    columns = ["n_events", "_units", *QUAD_COLUMNS, "_goldstein", "_n_scored", "_score_sum"]
    if aligned.empty:
        totals = pd.DataFrame(0, index=pd.Index(poles, name="pole"), columns=columns)
    else:
        # Stories are the units counted; a frame from before stories counts events.
        n = aligned["n_stories"] if "n_stories" in aligned.columns else aligned["n_events"]
        if "goldstein_sum" in aligned.columns:
            goldstein = aligned["goldstein_sum"]
        else:
            goldstein = aligned["goldstein_mean"].fillna(0.0) * n
        if {"n_scored", "score_sum"} <= set(aligned.columns):
            n_scored, score_sum = aligned["n_scored"], aligned["score_sum"]
        else:  # a frame from before scores: the score is net cooperation
            n_scored = n
            score_sum = (
                aligned["verbal_coop"]
                + aligned["material_coop"]
                - aligned["verbal_conflict"]
                - aligned["material_conflict"]
            )
        sums = aligned.assign(_goldstein=goldstein, _n_scored=n_scored, _score_sum=score_sum,
                              _units=n)
        totals = sums.groupby("pole")[columns].sum().reindex(poles, fill_value=0)
    n = totals["_units"]
    coop = totals["verbal_coop"] + totals["material_coop"]
    conflict = totals["verbal_conflict"] + totals["material_conflict"]
    totals["goldstein_mean"] = (totals["_goldstein"] / n.where(n > 0)).astype(float)
    totals["net_coop"] = shrunk_scores((coop - conflict).to_numpy(dtype=float)[None, :],
                                       n.to_numpy(dtype=float)[None, :], k)[0]
    n_scored = totals["_n_scored"].to_numpy(dtype=float)
    ok = n_scored >= max(min_events, 1)
    score = shrunk_scores(totals["_score_sum"].to_numpy(dtype=float)[None, :],
                          n_scored[None, :], k)[0]
    totals["score"] = np.where(ok, score, np.nan)
    totals["tilt"] = _tilts(score[None, :], ok[None, :])[0]
    return totals.drop(columns=["_goldstein", "_n_scored", "_score_sum", "_units"])


def _ordered_periods(aligned: pd.DataFrame) -> list[str]:
    if aligned.empty:
        return []
    firsts = aligned.drop_duplicates("period")
    if "period_start" in firsts:
        firsts = firsts.sort_values("period_start", kind="stable")
    return firsts["period"].astype(str).tolist()


def _poles(aligned: Alignment) -> list[str]:
    table = aligned.table
    return list(dict.fromkeys(table["pole"].tolist())) if len(table) else list(aligned.poles)


def summary(aligned: Alignment | pd.DataFrame, smoothing: float | None = None,
            min_events: int | None = None) -> pd.DataFrame:
    """The table of :func:`summarise`: one row per pole over the whole range."""
    return summarise(aligned, smoothing, min_events).table


def summarise(aligned: Alignment | pd.DataFrame, smoothing: float | None = None,
              min_events: int | None = None) -> Summary:
    """One row per pole over the whole range of a :func:`measure` result (or its table),
    and the spans of the periods and of the halves compared.

    Totals of events and quads, ``goldstein_mean``, ``net_coop``, ``score`` (under
    the weight and direction ``align`` used) and ``tilt`` computed from the totals
    under the same ``min_events`` as the table (a pole below it has no score and is
    left out of the others' tilt), and the same tilt over the first and second half
    of the periods (``first_half_tilt``, ``second_half_tilt``, ``tilt_change``),
    with the number of events in each half. With one period, the figures are that
    period's. Poles keep their order in ``aligned``. ``smoothing`` and
    ``min_events`` default to the values ``align`` used.
    """
    measured = as_alignment(aligned)
    k = measured.smoothing if smoothing is None else smoothing
    least = int(measured.min_events if min_events is None else min_events)
    poles = _poles(measured)
    aligned = measured.table
    periods = _ordered_periods(aligned)
    half = (len(periods) + 1) // 2
    first, second = periods[:half], periods[half:]
    spans = Summary(pd.DataFrame({c: pd.Series(dtype=object) for c in SUMMARY_COLUMNS}),
                    focal=measured.focal, smoothing=float(k), min_events=least,
                    periods=_span(periods), first_half=_span(first),
                    second_half=_span(second))
    if not poles:
        return spans

    whole = _block(aligned, poles, k, least)
    early = _block(aligned[aligned["period"].isin(first)], poles, k, least)
    late = _block(aligned[aligned["period"].isin(second)], poles, k, least)

    result = whole.copy()
    result["n_periods"] = len(periods)
    result["first_half_events"] = early["n_events"]
    result["second_half_events"] = late["n_events"]
    result["first_half_tilt"] = early["tilt"] if first else np.nan
    result["second_half_tilt"] = late["tilt"] if second else np.nan
    result["tilt_change"] = result["second_half_tilt"] - result["first_half_tilt"]
    result = result.reset_index(names="pole")[SUMMARY_COLUMNS]
    for col in ("n_periods", "n_events", *QUAD_COLUMNS, "first_half_events", "second_half_events"):
        result[col] = result[col].astype("int64")
    return replace(spans, table=result)
