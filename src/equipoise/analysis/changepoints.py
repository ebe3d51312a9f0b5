"""When did the focal actor's lean toward a pole change, and which documents drove it.

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
    number of events behind its value: for ``tilt`` the scored events with all
    poles in that period (the tilt compares the poles), for ``score`` the scored
    events with this pole, for any other column all events with this pole. A
    period with no such events is skipped like a NaN period. With
    ``weighted=False`` every period with a value counts once.
Detection
    PELT (or binary segmentation, ``method="binseg"``) from ``ruptures`` on a
    weighted least-squares cost: a segment costs ``sum w_t (y_t - m)^2`` where
    ``m`` is its weighted mean: the "l2" cost of a change in mean, each period
    weighted by its events (weights normalised to mean 1).
Penalty
    Every change point costs ``penalty``. By default
    ``penalty = penalty_scale * sigma^2 * log(n)`` with ``penalty_scale`` 4, ``n``
    the number of periods in the series and ``sigma`` the noise of one period of
    average weight, estimated robustly from first differences:
    ``z_t = (y_t - y_{t-1}) / sqrt(1/w_t + 1/w_{t-1})`` and ``sigma = Qn(z)``,
    Rousseeuw and Croux's scale estimator. Differencing removes the level, and Qn
    ignores the few differences that straddle a break, so ``sigma`` measures
    period-to-period noise rather than the shifts being looked for. A scale of 2
    would be the Schwarz (BIC) criterion for a change in mean; 4 allows for the
    error in ``sigma`` itself on series of a few dozen periods (see
    ``docs/changepoints.md`` for the false-alarm rates behind the choice).
Change point
    ``period`` is the first period of the new regime. ``before`` and ``after``
    are the weighted means of the series over the segment just before and just
    after it (from the previous change point, or the start, to the next one, or
    the end), and ``shift = after - before``.
Drivers
    The influence of a document on a change point is how much the break weakens
    without it: ``|shift| - |shift without the document|``, where every period
    of the two segments is recomputed from its counts minus the document's
    events: counts, scores, the "insufficient data" rule, tilt and weights, with
    the options ``align`` used. Whole documents are removed, not single events,
    because the events of one article are not independent. The recomputation
    uses each document's contribution to the per-(period, pole) sums, so the
    pipeline runs once, not once per document. A document whose removal leaves a
    segment without any period with data has influence ``|shift|``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import ruptures as rpt

from equipoise.analysis.align import align, dyad_events
from equipoise.analysis.stories import find_stories
from equipoise.errors import InvalidQueryError
from equipoise.reference.periods import FREQ_CODES, day_numbers
from equipoise.reference.plover import cameo_plover, plover_score_by_type, plover_type

__all__ = [
    "DEFAULT_PENALTY_SCALE",
    "DRIVER_COLUMNS",
    "METHODS",
    "POINT_COLUMNS",
    "ChangePoint",
    "changepoints",
    "default_penalty",
    "detect",
    "drivers",
]

METHODS: tuple[str, ...] = ("pelt", "binseg")
DEFAULT_PENALTY_SCALE = 4.0
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

    @property
    def window(self) -> tuple[str, str]:
        """First and last period of the two segments around the break."""
        periods = self.periods_before + self.periods_after
        return (periods[0], periods[-1]) if periods else ("", "")


# --------------------------------------------------------------------------- cost


class _WeightedL2(rpt.base.BaseCost):
    """Weighted squared deviation from the segment's weighted mean.

    ``fit`` takes a two-column signal, values then weights; prefix sums make the
    cost of any segment O(1).
    """

    model = "weighted_l2"

    def __init__(self) -> None:
        self.signal: np.ndarray | None = None
        self.min_size = 1
        self._s0 = self._s1 = self._s2 = np.zeros(1)

    def fit(self, signal: np.ndarray) -> _WeightedL2:
        self.signal = signal
        y, w = signal[:, 0], signal[:, 1]
        self._s0 = np.concatenate([[0.0], np.cumsum(w)])
        self._s1 = np.concatenate([[0.0], np.cumsum(w * y)])
        self._s2 = np.concatenate([[0.0], np.cumsum(w * y * y)])
        return self

    def error(self, start: int, end: int) -> float:
        if end - start < self.min_size:
            raise rpt.exceptions.NotEnoughPoints
        s0 = self._s0[end] - self._s0[start]
        if s0 <= 0:
            return 0.0
        s1 = self._s1[end] - self._s1[start]
        s2 = self._s2[end] - self._s2[start]
        return max(float(s2 - s1 * s1 / s0), 0.0)


# --------------------------------------------------------------------------- noise


def _qn(z: np.ndarray) -> float:
    """Rousseeuw and Croux's Qn: 2.2219 times the first quartile of ``|z_i - z_j|``.

    Like the MAD it tolerates up to half the values being outliers, but it is
    much more efficient (82% against 37% for normal data), which matters on a
    few dozen periods: the penalty is proportional to its square.
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
    """Robust standard deviation of one period of average weight."""
    if len(values) < 3:
        return 0.0
    w = weights / weights.mean()
    z = np.diff(values) / np.sqrt(1.0 / w[1:] + 1.0 / w[:-1])
    sd = _qn(z)
    if sd == 0.0:  # most differences are equal: fall back on the plain SD
        sd = float(np.std(z))
    return sd


def default_penalty(
    values: Sequence[float],
    weights: Sequence[float] | None = None,
    scale: float = DEFAULT_PENALTY_SCALE,
) -> float:
    """``scale * sigma^2 * log(n)``, with ``sigma`` the Qn of scaled first differences.

    ``values`` is the series without its skipped periods and ``weights`` their
    event counts (all 1 when omitted). The result is in the units of the cost
    :func:`detect` minimises (weights normalised to mean 1). It is 0 for a
    constant series and infinite for fewer than three values.
    """
    y = np.asarray(values, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    if len(y) != len(w):
        raise ValueError("values and weights differ in length")
    if len(y) < 3:
        return math.inf
    sd = _noise_sd(y, w)
    return scale * sd * sd * math.log(len(y))


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


def detect(
    aligned: pd.DataFrame,
    pole: str,
    method: str = "pelt",
    penalty: float | None = None,
    min_size: int = 2,
    column: str = "tilt",
    *,
    weighted: bool = True,
    penalty_scale: float = DEFAULT_PENALTY_SCALE,
) -> list[ChangePoint]:
    """Change points in one pole's series of an :func:`align` table.

    ``method`` is ``"pelt"`` (exact, the default) or ``"binseg"`` (binary
    segmentation, approximate). ``penalty`` is the cost of one change point in
    units of the weighted squared deviations (weights normalised to mean 1);
    by default :func:`default_penalty` with ``penalty_scale``. ``min_size`` is
    the shortest segment, counted in periods that enter the series. NaN periods
    (and, when ``weighted``, periods without events) are skipped. A series of
    fewer than ``2 * min_size`` periods, or one that never moves, has no change
    points. Returns the change points in time order, with empty ``drivers``.
    """
    if method not in METHODS:
        raise InvalidQueryError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if isinstance(min_size, bool) or not isinstance(min_size, int | np.integer) or min_size < 1:
        raise InvalidQueryError(f"min_size must be a positive integer, got {min_size!r}")
    if penalty is not None and not penalty >= 0:
        raise InvalidQueryError(f"penalty must be >= 0, got {penalty!r}")
    if not isinstance(pole, str) or not pole.strip():
        raise InvalidQueryError(f"pole must be a non-empty actor code, got {pole!r}")
    code = pole.strip().upper()
    known = list(dict.fromkeys(aligned["pole"].tolist())) if "pole" in aligned else []
    known = known or list(aligned.attrs.get("poles", []))
    if code not in known:
        listed = ", ".join(known) if known else "none"
        raise InvalidQueryError(f"pole {pole!r} is not in the aligned table (its poles: {listed})")
    if aligned.empty:
        return []

    rows, y, w = _series(aligned, code, column, weighted)
    n = len(y)
    if n < 2 * min_size:
        return []
    w = w / w.mean()
    if penalty is None:
        sd = _noise_sd(y, w)
        if sd == 0.0:  # a constant series
            return []
        penalty = penalty_scale * sd * sd * math.log(n)

    algo = rpt.Pelt if method == "pelt" else rpt.Binseg
    estimator = algo(custom_cost=_WeightedL2(), min_size=int(min_size), jump=1)
    ends = estimator.fit(np.column_stack([y, w])).predict(pen=float(penalty))

    periods = rows["period"].astype(str).tolist()
    starts = rows["period_start"].tolist() if "period_start" in rows.columns else [None] * n
    bounds = [0, *ends]
    points = []
    for i in range(1, len(bounds) - 1):
        a, b, c = bounds[i - 1], bounds[i], bounds[i + 1]
        before, after = _mean(y[a:b], w[a:b]), _mean(y[b:c], w[b:c])
        points.append(
            ChangePoint(
                pole=code,
                period=periods[b],
                period_start=starts[b],
                before=before,
                after=after,
                shift=after - before,
                periods_before=tuple(periods[a:b]),
                periods_after=tuple(periods[b:c]),
                column=column,
                weighted=weighted,
            )
        )
    return points


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
    """Each dyad event's value in [-1, 1] under ``weight``, as ``align`` scores it."""
    quad = pd.to_numeric(dyads["quad"], errors="coerce").to_numpy(dtype=float)
    if weight == "count":
        return np.select([np.isin(quad, (1, 2)), np.isin(quad, (3, 4))], [1.0, -1.0], np.nan)
    if weight == "goldstein":
        return pd.to_numeric(dyads["goldstein"], errors="coerce").to_numpy(dtype=float) / 10.0
    if weight == "plover":
        scores = {kind: score / 10.0 for kind, score in plover_score_by_type().items()}
        kinds = pd.Series("", index=dyads.index)
        if "plover" in dyads.columns:
            kinds = dyads["plover"].map(plover_type)
        if "cameo" in dyads.columns:
            crosswalk = cameo_plover()

            def from_cameo(code: object) -> str:
                return crosswalk.get(code.strip(), "") if isinstance(code, str) else ""

            kinds = kinds.where(kinds.ne(""), dyads["cameo"].map(from_cameo))
        return kinds.map(lambda k: scores.get(k, np.nan)).to_numpy(dtype=float)
    raise ValueError(f"drivers cannot score events under weight {weight!r}")


def _window_dyads(
    events: pd.DataFrame,
    attrs: Mapping[str, Any],
    periods: Sequence[str],
    memberships: pd.DataFrame | None,
) -> pd.DataFrame:
    """The dyad events ``align`` counted in ``periods``, with what each adds to its cell."""
    if "doc_id" not in events.columns:
        raise ValueError("events lack required column: doc_id")
    dyads = dyad_events(events, attrs["focal"], attrs["poles"], memberships=memberships)
    when = _event_times(dyads["event_date"]) if len(dyads) else pd.Series(dtype="M8[ns]")
    # Stories as align found them: each counts once, at its lead report's date.
    everything = np.arange(len(dyads))
    if attrs.get("unit", "story") == "story":
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
    if attrs.get("start") is not None:
        keep &= when >= pd.Timestamp(attrs["start"])
    if attrs.get("end") is not None:
        keep &= when <= pd.Timestamp(attrs["end"])
    label = pd.Series("", index=dyads.index, dtype=object)
    if keep.any():
        code = FREQ_CODES[attrs.get("freq", "month")]
        label.loc[keep] = when.loc[keep].dt.to_period(code).astype(str)
    dyads = dyads.assign(period=label.to_numpy())
    dyads = dyads.loc[keep & dyads["period"].isin(periods)].reset_index(drop=True)

    direction = attrs.get("direction", "both")
    chosen = dyads["direction"].ne({"out": "in", "in": "out"}.get(direction, ""))
    value = _event_values(dyads, attrs.get("weight", "count")) if len(dyads) else np.zeros(0)
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


def _values(cube: np.ndarray, j: int, attrs: Mapping[str, Any], column: str, weighted: bool):
    """The series value and weight of pole ``j`` for each row of a (rows, sums, poles) cube.

    The formulas of ``align``: smoothed score and net cooperation, NaN below
    ``min_events``, tilt against the other poles with data.
    """
    k = float(attrs.get("smoothing", 2.0))
    least = int(attrs.get("min_events", 0) or 0)
    n, coop, conflict, scored, total = (cube[:, i, :] for i in range(len(_SUMS)))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(scored + k > 0, total / np.where(scored + k > 0, scored + k, 1.0), 0.0)
        net = np.where(n + k > 0, (coop - conflict) / np.where(n + k > 0, n + k, 1.0), 0.0)
    ok = scored >= least
    if column == "net_coop":
        y = np.where(n[:, j] >= least, net[:, j], np.nan)
        w = n[:, j]
    elif column == "score":
        y = np.where(ok[:, j], score[:, j], np.nan)
        w = scored[:, j]
    else:
        m = ok.sum(axis=1)
        if cube.shape[2] == 1:
            y = np.where(ok[:, j], score[:, j], np.nan)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                others = (np.where(ok, score, 0.0).sum(axis=1) - score[:, j]) / (m - 1)
            y = np.where(ok[:, j] & (m >= 2), score[:, j] - others, np.nan)
        w = scored.sum(axis=1)
    w = w.astype(float) if weighted else np.ones(len(y))
    valid = ~np.isnan(y) & (w > 0)
    return np.where(valid, y, 0.0), np.where(valid, w, 0.0)


def _influence(
    dyads: pd.DataFrame, cp: ChangePoint, poles: list[str], attrs: Mapping[str, Any]
) -> tuple[pd.DataFrame, np.ndarray]:
    """``influence`` and ``shift_without`` per document; and the two segment means."""
    window = [*cp.periods_before, *cp.periods_after]
    side = np.array([0] * len(cp.periods_before) + [1] * len(cp.periods_after))
    j = poles.index(cp.pole)

    index, cube = _cells(dyads, ["period"], poles)
    base = np.zeros((len(window), len(_SUMS), len(poles)))
    if len(index):
        base[pd.Index(window).get_indexer(index)] = cube
    y, w = _values(base, j, attrs, cp.column, cp.weighted)
    num = np.array([(w * y)[side == s].sum() for s in (0, 1)])
    den = np.array([w[side == s].sum() for s in (0, 1)])
    with np.errstate(divide="ignore", invalid="ignore"):
        base_means = np.where(den > 0, num / den, np.nan)
    shift = base_means[1] - base_means[0]

    index, cube = _cells(dyads, ["story", "period"], poles)
    if not len(index):
        empty = pd.DataFrame({"story": [], "influence": [], "shift_without": []})
        return empty, base_means
    row = pd.Index(window).get_indexer(index.get_level_values("period"))
    y2, w2 = _values(base[row] - cube, j, attrs, cp.column, cp.weighted)
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
    table = pd.DataFrame(
        {"story": sums.index.to_numpy(), "influence": influence, "shift_without": without}
    )
    return table, base_means


def _check_base(cp: ChangePoint, means: np.ndarray) -> None:
    """The segment means recomputed from the events must be those of the change point."""
    if not np.allclose(means, [cp.before, cp.after], rtol=1e-6, atol=1e-9):
        raise ValueError(
            f"the {cp.column} recomputed from the events does not give the change point's "
            f"means ({means[0]:.4f}, {means[1]:.4f} against {cp.before:.4f}, {cp.after:.4f}): "
            "drivers need the events, focal, poles and align options it was detected with"
        )


def _drivers(
    dyads: pd.DataFrame,
    aligned: pd.DataFrame,
    cp: ChangePoint,
    top: int,
) -> pd.DataFrame:
    attrs = aligned.attrs
    poles = list(attrs["poles"])
    if cp.column not in _RECOMPUTABLE:
        raise ValueError(
            f"drivers can be computed for {', '.join(_RECOMPUTABLE)}, not {cp.column!r}"
        )
    if cp.pole not in poles:
        raise ValueError(f"change point pole {cp.pole} is not among the poles {poles}")
    if not cp.periods_before or not cp.periods_after:
        raise ValueError("the change point lists no periods before or after the break")
    dyads = dyads[dyads["period"].isin([*cp.periods_before, *cp.periods_after])]
    table, means = _influence(dyads, cp, poles, attrs)
    _check_base(cp, means)

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
    aligned = align(events, focal, poles, **options)
    labels = set(aligned["period"].astype(str)) if len(aligned) else set()
    window = [*cp.periods_before, *cp.periods_after]
    missing = [p for p in window if p not in labels]
    if missing:
        raise ValueError(
            f"period(s) {', '.join(missing[:3])} of the change point are not in the aligned "
            "range: pass the align_kwargs used for detection"
        )
    dyads = _window_dyads(events, aligned.attrs, window, options.get("memberships"))
    return _drivers(dyads, aligned, cp, top)


# --------------------------------------------------------------------------- convenience


def changepoints(
    events: pd.DataFrame,
    focal: str,
    poles: Sequence[str],
    freq: str = "month",
    *,
    align_kwargs: Mapping[str, Any] | None = None,
    top: int = 5,
    **kwargs,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Change points of every pole and their drivers, as two tidy tables.

    Aligns ``events`` with ``freq`` and ``align_kwargs`` (``start``, ``end``,
    ``weight``, ``min_events``, ...), runs :func:`detect` on each pole with
    ``kwargs`` (``method``, ``penalty``, ``min_size``, ``column``, ``weighted``,
    ``penalty_scale``) and :func:`drivers` on each change point.

    Returns ``(points, drivers)``. ``points`` has one row per change point, by
    pole then time: ``pole``, ``period`` (first period of the new regime),
    ``period_start``, ``before``, ``after``, ``shift``, ``window_start`` and
    ``window_end`` (first and last period of the segments on either side) and
    ``n_before``/``n_after`` (periods with data in each). ``drivers`` has one row
    per event of each change point's ``top`` documents: ``pole`` and ``period``
    name the change point (join on them), then the columns of :func:`drivers`.
    Drivers are left empty for columns they cannot be recomputed for.
    """
    options = {**dict(align_kwargs or {}), "freq": freq}
    aligned = align(events, focal, poles, **options)
    found: list[ChangePoint] = []
    if len(aligned):
        for pole in aligned.attrs["poles"]:
            found.extend(detect(aligned, pole, **kwargs))
    if found and found[0].column in _RECOMPUTABLE:
        window = sorted({p for cp in found for p in (*cp.periods_before, *cp.periods_after)})
        dyads = _window_dyads(events, aligned.attrs, window, options.get("memberships"))
        for cp in found:
            cp.drivers = _drivers(dyads, aligned, cp, top)

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
    info = {k: aligned.attrs.get(k) for k in ("focal", "poles", "freq", "start", "end")}
    points.attrs.update(info)
    table.attrs.update(info)
    return points, table
