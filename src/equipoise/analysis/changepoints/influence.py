"""Which stories drive a break: each story group's influence, the break's segments
recomputed from the table's cells less the group's stories.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from equipoise.analysis.align import MULTIPLIED, cell_metrics, dyad_events, event_values, measure
from equipoise.analysis.changepoints.cost import _mean
from equipoise.analysis.changepoints.detection import _series
from equipoise.analysis.changepoints.points import (
    _RECOMPUTABLE,
    DRIVER_COLUMNS,
    ChangePoint,
    _empty_drivers,
)
from equipoise.analysis.result import Alignment
from equipoise.analysis.stories import find_stories
from equipoise.reference.periods import FREQ_CODES, day_numbers


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
    and the weights of detection (package docstring)."""
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
    package docstring). The ``top`` documents with positive influence come back,
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
