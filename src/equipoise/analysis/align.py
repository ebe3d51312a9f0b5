"""Which way does a focal state lean between rival poles, period by period.

Input is a DataFrame of coded events with the columns of the store's ``events``
table. Every function here is pure: DataFrames in, DataFrames (or text) out. The
formulas, their justification and their limits are written out in
``docs/methodology.md``; this is the short version.

Definitions
-----------
Actors and blocs
    An actor matches a state code when its ``source``/``target`` equals the code
    or its ``*_country`` does (an actor coded ``AZE`` with sector ``MIL`` counts
    as ``AZE``). It matches a bloc code (``NATO``, ``EU``, ``CSTO``, ...: any bloc
    of the membership table, see :mod:`equipoise.analysis.blocs`) when it is the
    bloc itself or a state that was a member on the event date. The focal actor
    may be a bloc too. A state in two pole blocs counts for both.
Dyad event
    An event between the focal actor F and a pole P: F -> P (``"out"``: source in
    F, target in P and not in F), P -> F (``"in"``: the mirror image), or a joint
    action (``"both"``: a symmetric event, counted once even when it was stored
    as two mirrored rows).
Stories
    The reports of one event (same actors, CAMEO root and similar code within two
    days: :mod:`equipoise.analysis.stories`) are one story, counted once with the
    values of its lead report; ``unit="event"`` counts every row instead.
Counts
    ``n_events`` counts dyad event rows (reports), ``n_stories`` stories and
    ``duplication = n_events / n_stories``. ``verbal_coop``, ``material_coop``,
    ``verbal_conflict``, ``material_conflict`` count stories of quad 1, 2, 3 and 4,
    all directions together; ``out_*`` count F -> P stories and ``in_*`` P -> F
    stories, joint ones in both, so ``n_stories = out_events + in_events - joint_events``.
Net cooperation
    ``net_coop = (coop - conflict + k * L) / (n + k)``, where coop counts quads 1-2,
    conflict quads 3-4, ``n`` all events, ``k`` (``smoothing``, default 2) the
    pseudo-events that keep one event from being certainty, and ``L`` the focal
    actor's own level in the period: the same sums over all poles, ``(coop -
    conflict) / (n + k)``. Pulling every cell toward the focal actor's level, not
    toward 0, makes the pull the same for every pole, so coverage does not tilt
    (:mod:`equipoise.analysis.scoring`). It lies in (-1, 1).
Score
    ``score = (sum(v) + k * L) / (n_scored + k)`` over the events of the chosen
    ``direction`` (``"out"`` by default: the focal actor's lean; ``"both"``:
    relations), ``L`` the focal actor's level in the period over the same events with
    every pole, and ``v`` each event's value in [-1, 1] under ``weight``: ``"count"``
    +1 for cooperation, -1 for conflict (so with ``direction="both"`` the score
    is ``net_coop``); ``"goldstein"`` the Goldstein weight / 10; ``"plover"`` the
    PLOVER score of the event type / 10 (``data/plover_scores.csv``).
    ``"mentions"`` and ``"sources"`` take the values of ``"count"`` but weigh each
    event by GDELT's NumMentions or NumSources (columns ``num_mentions``,
    ``num_sources``), as GDELT users do: ``sum(w * v)`` and ``sum(w)`` take the place
    of ``sum(v)`` and ``n_scored``. An event without the figure (coded events, other
    datasets) weighs 1. ``n_scored`` is then the summed weight; the ``min_events``
    threshold still counts events. ``mean_se`` is the standard error of the plain
    mean ``score_sum / n_scored``, documents as clusters
    (:mod:`equipoise.analysis.balance`).
Salience
    ``share``: the pole's part of the focal actor's dyad events in the period;
    ``volume``: the pole's events with anyone (counted in ``events``, or given as
    ``volumes``); ``salience = share / (volume / sum of the poles' volumes)``. Apart
    from the score: attention, not stance.
Tilt
    Tilt toward pole P in a period is score(P) minus the mean score over the
    other poles with data in that period, so tilts sum to zero across them.
    Positive means the focal actor treats P better than it treats the others.
    With a single pole, tilt equals the score.
Equidistance (:func:`equidistance`)
    ``1 - spread / sd_max(m)`` over a fixed set of m >= 2 poles, ``spread`` the
    population standard deviation of their mean values with the sampling variance
    taken out, ``sd_max(m) = sqrt(1 - (m mod 2) / m**2)`` the largest one m values
    in [-1, 1] can have. 1: equal relations with every pole; 0: as unequal as they
    can be. A period where a pole of the set lacks data is a gap. With two poles,
    also the signed ``position`` between them.
Insufficient data
    Below ``min_events`` events behind the score (default 3) a (period, pole) has
    ``status`` "insufficient data" and its score, tilt and intervals are NaN;
    ``net_coop`` is NaN below ``min_events`` events in all directions.
Intervals
    With ``ci`` set, percentile intervals from a bootstrap over stories, with
    stories that share a document resampled together (the events of one article
    are not independent), with Poisson(1) weights; BCa intervals for equidistance
    and position. ``unit="event"`` resamples documents (events without a
    ``doc_id`` are their own units).
Periods
    ``freq`` is ``"month"``, ``"quarter"`` or ``"year"``. Events dated only to a
    month or year fall in the period holding the first day of that month or year.
    A window side left open stops at the first or last event dated from 1800-01-01
    to one year after today; periods x poles (x replicates) are bounded
    (:mod:`equipoise.analysis.limits`).
Whole range and halves (``summary``)
    The same formulas applied to totals over all periods, and over the first
    and second half of the periods (the first half takes the middle period when
    their number is odd).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from equipoise.analysis.balance import bca_interval, corrected_index, mean_variance, raw_index
from equipoise.analysis.blocs import membership_mask, pole_overlaps
from equipoise.analysis.coding_error import CodingError, sign_stability
from equipoise.analysis.limits import check_size, count_periods
from equipoise.analysis.query import (
    DEFAULT_MIN_EVENTS,
    DEFAULT_N_BOOT,
    DEFAULT_SMOOTHING,
    Query,
    actor_code,
)
from equipoise.analysis.result import Alignment, Replicates, Summary, as_alignment
from equipoise.analysis.scoring import shrunk_scores
from equipoise.analysis.stories import find_stories
from equipoise.errors import InvalidQueryError
from equipoise.reference.dates import EARLIEST, latest
from equipoise.reference.memberships import default_memberships
from equipoise.reference.numbers import signed
from equipoise.reference.periods import NO_DAY, day_numbers, freq_code
from equipoise.reference.plover import (
    cameo_plover,
    plover_score_by_type,
    plover_type,
)
from equipoise.reference.quads import QUAD_COLUMNS

__all__ = [
    "DIRECTIONS",
    "WEIGHTS",
    "align",
    "DyadMatch",
    "cell_metrics",
    "dyad_events",
    "equidistance",
    "event_values",
    "measure",
    "measure_query",
    "summarise",
    "summary",
    "verdict",
]

WEIGHTS: tuple[str, ...] = ("count", "goldstein", "plover", "mentions", "sources", "reports")
# Weights that count an event as many times as the dataset saw it (GDELT's NumMentions,
# NumSources), with the value of "count"; an event without the figure counts once. A story
# weighs the sum over its reports, so "reports" (no column: 1 a report) counts its reports.
MULTIPLIED = {"mentions": "num_mentions", "sources": "num_sources", "reports": "n_reports"}
UNITS: tuple[str, ...] = ("story", "event")
DIRECTIONS: tuple[str, ...] = ("out", "in", "both")
STATUS_OK = "ok"
STATUS_INSUFFICIENT = "insufficient data"

OUT_COLUMNS: tuple[str, ...] = ("out_events", *(f"out_{c}" for c in QUAD_COLUMNS))
IN_COLUMNS: tuple[str, ...] = ("in_events", *(f"in_{c}" for c in QUAD_COLUMNS))
ALIGN_COLUMNS: list[str] = [
    "period",
    "period_start",
    "pole",
    "n_events",
    "n_stories",
    *QUAD_COLUMNS,
    "goldstein_mean",
    "net_coop",
    "tilt",
]
# After ALIGN_COLUMNS, in this order; INTERVAL_COLUMNS only when ``ci`` is set.
DETAIL_COLUMNS: list[str] = [
    *OUT_COLUMNS,
    *IN_COLUMNS,
    "joint_events",
    "duplication",
    "goldstein_sum",
    "n_scored",
    "score_sum",
    "score",
    "mean_se",
    "share",
    "volume",
    "salience",
]
INTERVAL_COLUMNS: list[str] = [
    "net_coop_lo",
    "net_coop_hi",
    "score_lo",
    "score_hi",
    "tilt_lo",
    "tilt_hi",
]
# Only with a coding error (align's ``coding_error``), before ``status``.
CORRECTED_COLUMNS: list[str] = ["score_uncorrected", "tilt_stability"]
SUMMARY_COLUMNS: list[str] = [
    "pole",
    "n_periods",
    "n_events",
    *QUAD_COLUMNS,
    "goldstein_mean",
    "net_coop",
    "score",
    "tilt",
    "first_half_events",
    "second_half_events",
    "first_half_tilt",
    "second_half_tilt",
    "tilt_change",
]
EQUIDISTANCE_COLUMNS: list[str] = [
    "period",
    "period_start",
    "n_poles",
    "n_poles_with_data",
    "equidistance",
    "equidistance_raw",
    "status",
]

# Columns that identify one event when a symmetric event was stored as two mirrored rows.
_SYMMETRIC_KEY = ("doc_id", "sent_start", "sent_end", "cameo", "event_date", "coder", "dataset")

# Direction codes of dyad rows.
_OUT, _IN, _BOTH = 0, 1, 2
_DIRECTION_NAMES = np.array(["out", "in", "both"], dtype=object)

# Bootstrap statistics accumulated per (document, period, pole): all events, their
# coop (+1) / conflict (-1) balance, the events behind ``score`` and their values.
_N_ALL, _NET, _N_SCORED, _VALUE = range(4)
_SUM_NAMES = ("n_all", "net", "n_scored", "value")
# Draws of the coder's error alone behind ``tilt_stability``.
_STABILITY_DRAWS = 200
# Bound on the size (elements) of the weight arrays of one block of bootstrap replicates.
_BLOCK_ELEMENTS = 4_000_000
# Distribution function of Poisson(1) at 0, 1, 2, ...: P(W <= j) = exp(-1) * sum(1 / i!).
_POISSON_ONE_CDF = np.cumsum(np.exp(-1.0) / np.cumprod(np.concatenate([[1.0], np.arange(1, 20)])))


# --------------------------------------------------------------------------- helpers


def _day(when: date | pd.Timestamp) -> int:
    """The day number of a date or timestamp (its day, at any time of day)."""
    return int(np.datetime64(pd.Timestamp(when).date(), "D").astype(np.int64))


def _period_ordinals(days: np.ndarray, code: str) -> np.ndarray:
    """pandas Period ordinals (periods since 1970) of day numbers."""
    as_days = days.astype("datetime64[D]")
    if code == "Y":
        return as_days.astype("datetime64[Y]").astype(np.int64)
    months = as_days.astype("datetime64[M]").astype(np.int64)
    return months // 3 if code == "Q" else months


def _flag(events: pd.DataFrame, column: str) -> np.ndarray:
    if column not in events.columns:
        return np.zeros(len(events), dtype=bool)
    return events[column].fillna(False).astype(bool).to_numpy(dtype=bool)


def _share(counts: np.ndarray) -> np.ndarray:
    """Each pole's part of its period's total over axis 1 of (period, pole); NaN in an
    empty period."""
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, counts / np.where(total > 0, total, 1.0), np.nan)


def _tilt(net: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """Net cooperation minus the mean over the other poles (within each group)."""
    if groups is None:
        total = pd.Series(net.sum(), index=net.index)
        m = pd.Series(len(net), index=net.index)
    else:
        total = net.groupby(groups).transform("sum")
        m = net.groupby(groups).transform("size")
    others = (total - net) / (m - 1).where(m > 1)
    return (net - others).where(m > 1, net)


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


def _span(periods: Sequence[str]) -> str:
    if not periods:
        return ""
    return periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]}"


def _and(items: Sequence[str], word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


# --------------------------------------------------------------------------- PLOVER scores


def _plover_values(events: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """PLOVER score / 10 of each event row, NaN where it has no PLOVER type.

    The type is the ``plover`` column (its leading word, any case), else the type
    that ``data/cameo.csv`` gives the event's CAMEO code.
    """
    if "plover" not in events.columns and "cameo" not in events.columns:
        raise ValueError("weight='plover' needs a 'plover' or a 'cameo' column")
    scores = {kind: score / 10.0 for kind, score in plover_score_by_type().items()}
    values = np.full(len(rows), np.nan)
    if "plover" in events.columns:
        column = events["plover"].iloc[rows]
        values = _map_distinct(column, lambda v: scores.get(plover_type(v), np.nan))
    missing = np.isnan(values)
    if missing.any() and "cameo" in events.columns:
        crosswalk = cameo_plover()

        def from_cameo(code: object) -> float:
            if not isinstance(code, str):
                return np.nan
            return scores.get(crosswalk.get(code.strip(), ""), np.nan)

        values[missing] = _map_distinct(events["cameo"].iloc[rows[missing]], from_cameo)
    return values


def _event_weights(events: pd.DataFrame, rows: np.ndarray, weight: str) -> np.ndarray:
    """How many times each dyad event counts under ``weight``: its NumMentions or
    NumSources for ``mentions``/``sources`` (1 where it has none, or fewer than one), else 1."""
    column = MULTIPLIED.get(weight)
    if column is None or column not in events.columns:
        return np.ones(rows.size)
    found = pd.to_numeric(events[column].iloc[rows], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isnan(found) | (found < 1), 1.0, found)


def _map_distinct(values: pd.Series, mapping) -> np.ndarray:
    """``mapping(value)`` as floats, computed once per distinct value; NaN for missing."""
    codes, uniques = pd.factorize(values)
    table = np.array([mapping(u) for u in np.asarray(uniques, dtype=object)] + [np.nan])
    return table[codes].astype(float)


def event_values(
    events: pd.DataFrame, rows: np.ndarray, weight: str, quad: np.ndarray
) -> np.ndarray:
    """The value in [-1, 1] under ``weight`` of each event ``events.iloc[rows]`` (``quad``
    its quad class); NaN when it has none. Change point drivers score events by this."""
    if weight == "count" or weight in MULTIPLIED:
        return np.select([np.isin(quad, (1, 2)), np.isin(quad, (3, 4))], [1.0, -1.0], np.nan)
    if weight == "goldstein":
        raw = events["goldstein"].iloc[rows]
        return pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float) / 10.0
    return _plover_values(events, rows)


# --------------------------------------------------------------------------- actors


@lru_cache(maxsize=1)
def _default_bloc_codes() -> frozenset[str]:
    return frozenset(default_memberships()["bloc"].astype(str).str.upper())


def _bloc_codes(memberships: pd.DataFrame | None) -> frozenset[str]:
    if memberships is None:
        return _default_bloc_codes()
    return frozenset(memberships["bloc"].astype(str).str.upper())


class _Side:
    """Which events have a given actor on one side (``source`` or ``target``).

    Actor columns are factorized once, so matching a state is an integer compare;
    a bloc is matched with :func:`~equipoise.analysis.blocs.membership_mask` on a
    compact categorical copy of the columns.
    """

    def __init__(self, events, side, days, memberships, blocs) -> None:
        self.side = side
        self.n = len(events)
        self.days = days
        self.memberships = memberships
        self.blocs = blocs
        self.columns: dict[str, tuple[np.ndarray, pd.Index]] = {}
        for column in (side, f"{side}_country"):
            if column in events.columns:
                codes, uniques = pd.factorize(events[column])
                self.columns[column] = (codes, pd.Index(uniques))
        self._frame: pd.DataFrame | None = None
        # Masks already computed: a pole is matched for its dyads and again for its volume.
        self._matched: dict[str, np.ndarray] = {}

    def match(self, code: str) -> np.ndarray:
        found = self._matched.get(code)
        if found is not None:
            return found
        if code in self.blocs and self.columns:
            hit = self._bloc(code)
        else:
            hit = np.zeros(self.n, dtype=bool)
            for codes, uniques in self.columns.values():
                at = uniques.get_indexer([code])[0]
                if at >= 0:
                    hit |= codes == at
        hit.setflags(write=False)
        self._matched[code] = hit
        return hit

    def _bloc(self, code: str) -> np.ndarray:
        if self._frame is None:
            frame = {
                column: pd.Categorical.from_codes(codes, categories=uniques)
                for column, (codes, uniques) in self.columns.items()
            }
            frame["_day"] = self.days.astype("datetime64[D]").astype("datetime64[s]")
            self._frame = pd.DataFrame(frame)
        mask = membership_mask(self._frame, self.side, code, "_day", table=self.memberships)
        return mask.to_numpy(dtype=bool)


def _sides(events: pd.DataFrame, days: np.ndarray,
           memberships: pd.DataFrame | None) -> tuple[_Side, _Side]:
    blocs = _bloc_codes(memberships)
    return (_Side(events, "source", days, memberships, blocs),
            _Side(events, "target", days, memberships, blocs))


class DyadMatch:
    """The rows of ``events`` matched to actor codes, once for every reader of them.

    A table, its change points and its event listing all read the dyads of one frame:
    each actor (a state, or a bloc by its members on each date) is matched once here,
    and each set of dyads (focal actor, poles, poles kept apart) is indexed once.
    """

    def __init__(self, events: pd.DataFrame, memberships: pd.DataFrame | None = None) -> None:
        _require_actors(events)
        self.events = events
        self.memberships = memberships
        if "event_date" in events.columns:
            self.days = day_numbers(events["event_date"])
        else:
            self.days = np.full(len(events), NO_DAY, dtype=np.int64)
        self.sides = _sides(events, self.days, memberships)
        self._indexed: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def index(self, focal: str, poles: Sequence[str],
              apart: frozenset[tuple[str, str]] = frozenset()
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row positions, pole numbers and direction codes of the dyad events (see
        :func:`_dyad_index`)."""
        key = (focal, tuple(poles), apart)
        if key not in self._indexed:
            self._indexed[key] = _dyad_index(self.events, focal, list(poles), self.days,
                                             self.memberships, apart, self.sides)
        return self._indexed[key]


def _dyad_index(
    events: pd.DataFrame,
    focal: str,
    poles: list[str],
    days: np.ndarray,
    memberships: pd.DataFrame | None,
    apart: frozenset[tuple[str, str]] = frozenset(),
    sides: tuple[_Side, _Side] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row positions, pole numbers and direction codes of the dyad events.

    Pole by pole, rows in input order; mirrored copies of symmetric events dropped.
    ``apart`` holds ``(member, bloc)`` pairs of poles whose member's events are left
    out of the bloc. ``sides`` (source, target) are built here unless given.
    """
    source, target = sides or _sides(events, days, memberships)
    symmetric = _flag(events, "symmetric")
    from_focal = source.match(focal)
    to_focal = target.match(focal)

    rows, pole_of, direction = [], [], []
    for number, pole in enumerate(poles):
        out = from_focal & ~to_focal & target.match(pole)
        inbound = to_focal & ~from_focal & source.match(pole)
        for member in (m for m, bloc in apart if bloc == pole):
            out &= ~target.match(member)
            inbound &= ~source.match(member)
        hit = np.flatnonzero(out | inbound)
        rows.append(hit)
        pole_of.append(np.full(hit.size, number, dtype=np.int64))
        direction.append(np.where(symmetric[hit], _BOTH, np.where(out[hit], _OUT, _IN)))
    rows_a = np.concatenate(rows).astype(np.int64)
    pole_a = np.concatenate(pole_of)
    direction_a = np.concatenate(direction).astype(np.int8)
    keep = ~_mirrored_duplicate(events, rows_a, pole_a, direction_a)
    return rows_a[keep], pole_a[keep], direction_a[keep]


def _mirrored_duplicate(
    events: pd.DataFrame, rows: np.ndarray, pole: np.ndarray, direction: np.ndarray
) -> np.ndarray:
    """True for the second of two rows that are one symmetric event seen from each side."""
    duplicate = np.zeros(rows.size, dtype=bool)
    chosen = np.flatnonzero(direction == _BOTH)
    if chosen.size < 2:
        return duplicate
    subset = rows[chosen]
    keys: dict[str, np.ndarray] = {"_pole": pole[chosen]}
    for column in _SYMMETRIC_KEY:
        if column in events.columns:
            keys[column] = pd.factorize(events[column].iloc[subset], use_na_sentinel=False)[0]

    def side(name: str) -> tuple[np.ndarray, np.ndarray]:
        code = events[name].iloc[subset].to_numpy(dtype=object)
        sector_column = f"{name}_sector"
        if sector_column in events.columns:
            sector = events[sector_column].iloc[subset].fillna("").to_numpy(dtype=object)
        else:
            sector = np.full(subset.size, "", dtype=object)
        return code, sector

    (a_code, a_sector), (b_code, b_sector) = side("source"), side("target")
    codes = pd.factorize(np.concatenate([a_code, b_code]), use_na_sentinel=False)[0]
    sectors = pd.factorize(np.concatenate([a_sector, b_sector]), use_na_sentinel=False)[0]
    actor = codes.astype(np.int64) * (int(sectors.max()) + 1) + sectors
    a, b = actor[: subset.size], actor[subset.size :]
    keys["_low"], keys["_high"] = np.minimum(a, b), np.maximum(a, b)
    duplicate[chosen] = pd.DataFrame(keys).duplicated(keep="first").to_numpy()
    return duplicate


# --------------------------------------------------------------------------- dyads


def _require_actors(events: pd.DataFrame) -> None:
    missing = [c for c in ("source", "target") if c not in events.columns]
    if missing:
        raise ValueError(f"events lack required column(s): {', '.join(missing)}")


def dyad_events(
    events: pd.DataFrame,
    focal: str,
    poles: Sequence[str],
    *,
    memberships: pd.DataFrame | None = None,
    match: DyadMatch | None = None,
) -> pd.DataFrame:
    """Events between ``focal`` and each pole, in either direction.

    Returns the matching rows with every input column plus ``pole`` and
    ``direction`` (``"out"`` focal -> pole, ``"in"`` pole -> focal, ``"both"`` for
    symmetric events, kept once). The focal actor and the poles may be states or
    blocs; a bloc stands for itself and for the states that were its members on
    the event date (``memberships`` defaults to the bundled table, see
    :func:`equipoise.reference.memberships.load_memberships`). An event that matches
    several poles appears once per pole. Rows are sorted by event date. ``match`` holds
    the rows already matched by another reader of ``events`` (:class:`DyadMatch`).
    """
    query = Query.build(focal, poles)
    focal, poles = query.focal, list(query.poles)
    if match is None:
        match = DyadMatch(events, memberships)
    elif match.events is not events:
        raise ValueError("the dyads were matched in other events")
    days = match.days
    rows, pole, direction = match.index(focal, poles)

    columns = [*events.columns, "pole", "direction"]
    if not rows.size:
        return events.iloc[0:0].assign(
            pole=pd.Series(dtype=object), direction=pd.Series(dtype=object)
        )[columns]
    order = np.arange(rows.size)
    if "event_date" in events.columns:
        when = days[rows]
        order = np.argsort(np.where(when == NO_DAY, np.iinfo(np.int64).max, when), kind="stable")
    result = events.iloc[rows[order]].reset_index(drop=True)
    result["pole"] = np.asarray(poles, dtype=object)[pole[order]]
    result["direction"] = _DIRECTION_NAMES[direction[order]]
    return result[columns]


# --------------------------------------------------------------------------- bootstrap


def _document_units(events: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Resampling unit of each dyad row: its document; a row without ``doc_id`` is its own."""
    if "doc_id" not in events.columns:
        return np.arange(rows.size, dtype=np.int64)
    codes, uniques = pd.factorize(events["doc_id"].iloc[rows])
    blank = pd.Series(np.asarray(uniques, dtype=object)).astype(str).str.strip().eq("")
    alone = np.append(blank.to_numpy(dtype=bool), True)[codes]  # code -1 (missing) is alone
    units = codes.astype(np.int64)
    units[alone] = len(uniques) + np.arange(int(alone.sum()))
    return units


def _jackknife_sums(
    units: np.ndarray, cells: np.ndarray, stats: np.ndarray, n_cells: int,
    rng: np.random.Generator, groups: int = 20,
) -> np.ndarray:
    """Totals of ``stats`` per cell with one group of units left out, (n_cells, n_stats, G):
    units are dealt at random into ``groups`` groups (fewer with fewer units)."""
    # Number the units present densely, so that the groups do not depend on units of
    # events outside the dyads (a store read with and without pushdown agree).
    units = np.unique(units, return_inverse=True)[1].reshape(-1) if units.size else units
    n_units = int(units.max(initial=-1)) + 1
    g = max(1, min(groups, n_units))
    group_of_unit = rng.permutation(max(n_units, 1)) % g
    key = group_of_unit[units] * n_cells + cells if units.size else np.zeros(0, dtype=np.int64)
    n_stats = stats.shape[1]
    parts = np.stack(
        [np.bincount(key, weights=stats[:, j], minlength=g * n_cells) for j in range(n_stats)],
        axis=1,
    ).reshape(g, n_cells, n_stats)
    return (parts.sum(axis=0, keepdims=True) - parts).transpose(1, 2, 0)


def _widening(units: np.ndarray, cells: np.ndarray, n_cells: int) -> np.ndarray:
    """``sqrt(G / (G - 1))`` per cell, G its resampling units (1 below two units)."""
    groups = np.bincount(np.unique(units * n_cells + cells) % n_cells,
                         minlength=n_cells).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(np.where(groups >= 2, groups / (groups - 1.0), 1.0))


def _widened(replicates: np.ndarray, estimate: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Replicates (cells, B) moved away from each cell's estimate by ``factor``."""
    return estimate[:, None] + (replicates - estimate[:, None]) * factor[:, None]


def _poisson_weights(rates: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Poisson(rate) draws shaped (len(rates), size), as floats.

    Units of rate 1, nearly all of them, are drawn by inverting the Poisson(1)
    distribution function on uniform numbers, about twice as fast as the general
    sampler, which draws the rest.
    """
    weights = np.empty((rates.size, size))
    one = rates == 1.0
    if one.any():
        uniform = rng.random((int(one.sum()), size))
        weights[one] = np.searchsorted(_POISSON_ONE_CDF, uniform, side="right")
    if not one.all():
        weights[~one] = rng.poisson(rates[~one, None], size=(int((~one).sum()), size))
    return weights


def _segment_sums(
    weights: np.ndarray, stats: np.ndarray, starts: np.ndarray, out: np.ndarray
) -> None:
    """Add ``stats[rows].T @ weights[rows]`` of each segment of rows to ``out[segment]``."""
    if starts.size == 0:  # e.g. every document spans several cells: no single-cell groups
        return
    ends = np.append(starts[1:], len(stats))
    for segment, (first, last) in enumerate(zip(starts, ends, strict=True)):
        out[segment] += stats[first:last].T @ weights[first:last]


def _bootstrap_sums(
    units: np.ndarray,
    cells: np.ndarray,
    stats: np.ndarray,
    n_cells: int,
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Replicate totals of ``stats`` per cell, resampling units with Poisson(1) weights.

    ``units``, ``cells`` and ``stats`` (rows, n_stats) describe one row per event.
    Events are first summed per (unit, cell), so the work grows with the number of
    documents, not events. Units whose only (cell, totals) row is the same are
    exchangeable, and m independent Poisson(1) weights sum to one Poisson(m), so
    each such group is drawn once. Replicates are drawn in blocks that keep the
    weight arrays near ``_BLOCK_ELEMENTS`` elements. Returns (n_cells, n_stats, n_boot).
    """
    n_stats = stats.shape[1]
    out = np.zeros((n_cells, n_stats, n_boot))
    if units.size == 0:
        return out
    pairs, inverse = np.unique(units * n_cells + cells, return_inverse=True)
    inverse = inverse.ravel()
    sums = np.column_stack(
        [np.bincount(inverse, weights=stats[:, s], minlength=pairs.size) for s in range(n_stats)]
    )
    pair_cell = pairs % n_cells
    _, unit_of_pair = np.unique(pairs // n_cells, return_inverse=True)
    unit_of_pair = unit_of_pair.ravel()
    single = np.bincount(unit_of_pair)[unit_of_pair] == 1

    # Units with one row, grouped by (cell, totals): np.unique sorts the groups by cell.
    profiles = np.column_stack([pair_cell[single].astype(float), sums[single]])
    shapes, counts = np.empty((0, n_stats + 1)), np.empty(0, dtype=np.int64)
    if profiles.size:
        shapes, counts = np.unique(profiles, axis=0, return_counts=True)
    group_cell = shapes[:, 0].astype(np.int64)
    group_stats = np.ascontiguousarray(shapes[:, 1:])
    group_cells, group_starts = np.unique(group_cell, return_index=True)
    n_groups = shapes.shape[0]

    # Units with rows in several cells: one weight each, shared by their rows.
    _, multi_unit = np.unique(unit_of_pair[~single], return_inverse=True)
    multi_unit = multi_unit.ravel()
    order = np.argsort(pair_cell[~single], kind="stable")
    multi_unit, multi_cell = multi_unit[order], pair_cell[~single][order]
    multi_stats = np.ascontiguousarray(sums[~single][order])
    multi_cells, multi_starts = np.unique(multi_cell, return_index=True)

    rates = np.concatenate([counts.astype(float), np.ones(int(multi_unit.max(initial=-1)) + 1)])
    block = max(1, min(n_boot, _BLOCK_ELEMENTS // max(rates.size + multi_unit.size, 1)))
    for first in range(0, n_boot, block):
        size = min(block, n_boot - first)
        weights = _poisson_weights(rates, size, rng)
        part = np.zeros((n_cells, n_stats, size))
        totals = np.zeros((group_cells.size, n_stats, size))
        _segment_sums(weights[:n_groups], group_stats, group_starts, totals)
        part[group_cells] += totals
        if multi_unit.size:
            totals = np.zeros((multi_cells.size, n_stats, size))
            _segment_sums(weights[n_groups + multi_unit], multi_stats, multi_starts, totals)
            part[multi_cells] += totals
        out[:, :, first : first + size] = part
    return out


# --------------------------------------------------------------------------- align


def _columns(ci: float | None, corrected: bool = False) -> list[str]:
    return [*ALIGN_COLUMNS, *DETAIL_COLUMNS, *(INTERVAL_COLUMNS if ci else []),
            *(CORRECTED_COLUMNS if corrected else []), "status"]


def _corrected_scores(counts: np.ndarray, grid: tuple[int, int], k: float) -> np.ndarray:
    """Shrunken net cooperation of corrected quad counts (cells, 4), per cell."""
    value = counts[:, 0] + counts[:, 1] - counts[:, 2] - counts[:, 3]
    return shrunk_scores(value.reshape(grid), counts.sum(axis=1).reshape(grid),
                         k).reshape(-1)


def _corrected_replicates(counts: np.ndarray, error: CodingError, grid: tuple[int, int],
                          k: float, rng: np.random.Generator) -> np.ndarray:
    """Replicate scores (cells, B) from replicate quad counts (cells, 4, B), each
    replicate corrected with its own draw of the coder's error."""
    n_cells, _, n_boot = counts.shape
    out = np.empty((n_cells, n_boot))
    for b in range(n_boot):
        fixed = error.correct(counts[:, :, b], rng)
        value = fixed[:, 0] + fixed[:, 1] - fixed[:, 2] - fixed[:, 3]
        out[:, b] = shrunk_scores(value.reshape(grid), fixed.sum(axis=1).reshape(grid), k,
                                  empty=np.nan).reshape(-1)
    return out


def align(events: pd.DataFrame, focal: str, poles: Sequence[str], *args: Any,
          **kwargs: Any) -> pd.DataFrame:
    """The table of :func:`measure`: one row per (period, pole), with the same arguments.

    The options, the notes on what was left out and the bootstrap replicates behind the
    intervals are in :func:`measure`'s :class:`~equipoise.analysis.result.Alignment`."""
    return measure(events, focal, poles, *args, **kwargs).table


def measure(
    events: pd.DataFrame,
    focal: str,
    poles: Sequence[str],
    start: date | None = None,
    end: date | None = None,
    freq: str = "month",
    weight: str = "count",
    direction: str = "out",
    smoothing: float = DEFAULT_SMOOTHING,
    ci: float | None = None,
    n_boot: int = DEFAULT_N_BOOT,
    min_events: int = DEFAULT_MIN_EVENTS,
    random_state: int | np.random.Generator | None = 0,
    *,
    memberships: pd.DataFrame | None = None,
    overlap: str = "keep",
    volumes: pd.DataFrame | None = None,
    unit: str = "story",
    coding_error: CodingError | None = None,
) -> Alignment:
    """One row per (period, pole) for every period from ``start`` to ``end``, and how
    they were measured.

    ``focal`` and ``poles`` are state or bloc codes (a bloc stands for itself and its
    member states on each event date; ``memberships`` defaults to the bundled table).
    ``weight`` (``"count"``, ``"goldstein"``, ``"plover"``) and ``direction``
    (``"out"`` focal -> pole, the lean, the default; ``"in"`` pole -> focal;
    ``"both"``, relations) choose what ``score`` and ``tilt`` measure; ``smoothing``
    is the number of pseudo-events, at the focal actor's level in the period, added
    to every cell. ``volumes`` (``pole``, ``event_date``, ``n``) gives each pole's
    events with anyone for salience; without it they are counted in ``events``. With
    ``ci`` (e.g. 0.9), percentile intervals from ``n_boot`` bootstrap replicates over
    documents, seeded by ``random_state``.
    A cell with fewer than ``min_events`` events behind its score has ``status``
    "insufficient data" and NaN scores.

    Columns: ``period`` (e.g. "2020-07", "2020Q3", "2020"), ``period_start``,
    ``pole``, ``n_events``, the four quad counts (all directions), ``goldstein_mean``,
    ``net_coop``, ``tilt``, then ``out_events`` and the ``out_*`` quad counts,
    ``in_events`` and ``in_*``, ``joint_events``, ``goldstein_sum``, ``n_scored``,
    ``score_sum``, ``score``, ``mean_se``, ``share``, ``volume``, ``salience``, with
    ``ci`` the intervals ``net_coop_lo``/``_hi``,
    ``score_lo``/``_hi``, ``tilt_lo``/``_hi``, and ``status``. Periods without
    events appear with zero counts. The range defaults to the first and last dyad
    event date among those from 1800-01-01 to one year after today; the result's
    ``implausible_dates`` counts the dyad events an open side left out for their dates
    (see :mod:`equipoise.analysis.limits`). The result records the options; with ``ci``
    also the score replicates that :func:`equidistance` uses. Definitions: module
    docstring and ``docs/methodology.md``.

    With ``coding_error`` (:class:`~equipoise.analysis.coding_error.CodingError`, the
    coder's measured error; weight ``count`` only), each cell's quad counts are replaced
    by their expected true counts before ``net_coop``, ``score`` and ``tilt`` are
    computed; every bootstrap replicate draws the error afresh from its posterior, so
    the intervals carry the uncertainty of coding too. The table then also has
    ``score_uncorrected`` and ``tilt_stability``, the share of 200 draws of the error
    alone under which the tilt keeps its sign.

    Raises :class:`~equipoise.analysis.limits.TooLargeError` (a ValueError) before any
    counting when periods x poles, or periods x poles x ``n_boot`` with ``ci``, is over
    the bounds of :mod:`equipoise.analysis.limits`.
    """
    # The one check of every option (a Generator seed is no option of a Query).
    rng = random_state if isinstance(random_state, np.random.Generator) else None
    query = Query.build(focal, poles, start, end, freq, weight=weight, direction=direction,
                        smoothing=smoothing, min_events=min_events, ci=ci, n_boot=n_boot,
                        overlap=overlap, random_state=None if rng is not None else random_state)
    return measure_query(events, query, memberships=memberships, volumes=volumes, unit=unit,
                         coding_error=coding_error, rng=rng)


def measure_query(
    events: pd.DataFrame,
    query: Query,
    *,
    memberships: pd.DataFrame | None = None,
    volumes: pd.DataFrame | None = None,
    unit: str = "story",
    coding_error: CodingError | None = None,
    rng: np.random.Generator | None = None,
    match: DyadMatch | None = None,
    counted: np.ndarray | None = None,
) -> Alignment:
    """:func:`measure` of a :class:`~equipoise.analysis.query.Query` already checked: its
    window, frequency and options, seeded by its ``random_state`` (or drawing from
    ``rng``).

    ``match`` holds ``events`` matched to the focal actor and the poles by another
    reader of the same rows (:class:`DyadMatch`), so they are not matched again;
    ``counted`` (a mask of the rows of ``events``) keeps the rows this table counts.
    """
    weight, direction = query.weight, query.direction
    random_state = rng if rng is not None else query.random_state
    if coding_error is not None and weight != "count":
        raise InvalidQueryError(
            f"a correction for coding error works on counts of events: use weight 'count', "
            f"not {weight!r}")
    code = freq_code(query.freq)
    k = query.smoothing
    focal, poles = query.focal, list(query.poles)
    ci, n_boot, min_events = query.ci, query.n_boot, query.min_events
    lo = pd.Timestamp(query.start) if query.start is not None else None
    hi = pd.Timestamp(query.end) if query.end is not None else None
    _require_actors(events)
    if "event_date" not in events.columns:
        raise ValueError("events lack required column: event_date")
    if unit not in UNITS:
        raise InvalidQueryError(f"unit: unknown unit {unit!r}: use one of {', '.join(UNITS)}")

    if match is None:
        match = DyadMatch(events, memberships)
    elif match.events is not events:
        raise ValueError("the dyads were matched in other events")
    all_days, sides = match.days, match.sides
    # A pole that is a member of another (TUR and NATO) counts for both unless asked.
    overlaps = pole_overlaps(poles, lo if lo is not None else EARLIEST,
                             hi if hi is not None else latest(), table=memberships)
    apart = frozenset(overlaps) if query.overlap == "exclude" else frozenset()
    rows, pole, heading = match.index(focal, poles, apart)
    if counted is not None:
        kept = counted[rows]
        rows, pole, heading = rows[kept], pole[kept], heading[kept]
    days = all_days[rows]
    # Mentions or sources of every report, before a story keeps only its lead report.
    times = _event_weights(events, rows, weight)
    reports = np.ones(rows.size)
    resampled: np.ndarray | None = None
    if unit == "story":  # the reports of one event count once (equipoise.analysis.stories)
        found = find_stories(events, rows, pole, days)
        if weight in MULTIPLIED:  # a story weighs what its reports weigh together
            times = np.bincount(found.story, weights=times, minlength=found.count)[found.story]
        lead = found.lead
        rows, pole, heading, days, times = rows[lead], pole[lead], heading[lead], days[lead], \
            times[lead]
        reports = found.n_reports[found.story[lead]].astype(float)
        resampled = found.unit[found.story[lead]]
    all_rows = rows
    keep = days != NO_DAY
    # A side left open takes in only plausible dates (see equipoise.analysis.limits).
    first = _day(lo) if lo is not None else _day(EARLIEST)
    last = _day(hi) if hi is not None else _day(latest())
    outside = keep & ((days < first) | (days > last))
    keep &= ~outside
    rows, pole, heading, days = rows[keep], pole[keep], heading[keep], days[keep]
    times, reports = times[keep], reports[keep]
    if resampled is not None:
        resampled = resampled[keep]

    if lo is None:
        lo = pd.Timestamp(days.min().astype("datetime64[D]")) if days.size else hi
    if hi is None:
        hi = pd.Timestamp(days.max().astype("datetime64[D]")) if days.size else lo
    measured = Alignment(
        pd.DataFrame(),
        focal=focal,
        poles=tuple(poles),
        freq=query.freq,
        weight=query.weight,
        direction=query.direction,
        smoothing=k,
        min_events=int(min_events),
        ci=float(ci) if ci is not None else None,
        n_boot=int(n_boot) if ci is not None else None,
        random_state=random_state if isinstance(random_state, int) else None,
        start=lo.date() if lo is not None else None,
        end=hi.date() if hi is not None else None,
        # Dyad events left out because their dates are implausible and the window open.
        implausible_dates=int(np.unique(all_rows[outside]).size),
        overlaps=tuple((member, bloc) for member, bloc in overlaps),
        overlap=query.overlap,
        unit=unit,
        coding_error=coding_error.summary() if coding_error is not None else None,
    )
    if lo is None or hi is None:  # no events and no range given: both are None
        empty = pd.DataFrame({c: pd.Series(dtype=object)
                              for c in _columns(ci, coding_error is not None)})
        return measured.with_table(empty)

    n_periods = count_periods(lo, hi, query.freq)
    span = f"{_span([str(lo.to_period(code)), str(hi.to_period(code))])}"
    check_size(n_periods, len(poles), query.freq, int(n_boot) if ci is not None else None, span)
    periods = pd.period_range(lo.to_period(code), hi.to_period(code), freq=code)
    n_periods, n_poles = len(periods), len(poles)
    n_cells = n_periods * n_poles
    cell = (_period_ordinals(days, code) - periods[0].ordinal) * n_poles + pole

    quad = pd.to_numeric(events["quad"].iloc[rows], errors="coerce").to_numpy(dtype=float)
    goldstein = pd.to_numeric(events["goldstein"].iloc[rows], errors="coerce").to_numpy(float)
    value = event_values(events, rows, weight, quad)
    outward, inward = heading != _IN, heading != _OUT
    chosen = {"out": outward, "in": inward, "both": np.ones(rows.size, dtype=bool)}[direction]
    scored = chosen & ~np.isnan(value)

    def total(mask: np.ndarray | None = None, weights: np.ndarray | None = None) -> np.ndarray:
        where = cell if mask is None else cell[mask]
        if weights is not None and mask is not None:
            weights = weights[mask]
        return np.bincount(where, weights=weights, minlength=n_cells)

    columns: dict[str, np.ndarray] = {
        "period": np.repeat(np.array([str(p) for p in periods], dtype=object), n_poles),
        "period_start": np.repeat(
            np.array([p.start_time.date() for p in periods], dtype=object), n_poles
        ),
        "pole": np.tile(np.array(poles, dtype=object), n_periods),
        "n_events": np.rint(total(None, reports)),
        "n_stories": total(),
    }
    for number, name in enumerate(QUAD_COLUMNS, start=1):
        columns[name] = total(quad == number)
    columns["out_events"] = total(outward)
    for number, name in enumerate(QUAD_COLUMNS, start=1):
        columns[f"out_{name}"] = total(outward & (quad == number))
    columns["in_events"] = total(inward)
    for number, name in enumerate(QUAD_COLUMNS, start=1):
        columns[f"in_{name}"] = total(inward & (quad == number))
    columns["joint_events"] = total(heading == _BOTH)
    with np.errstate(divide="ignore", invalid="ignore"):
        stories = columns["n_stories"]
        columns["duplication"] = np.where(stories > 0, columns["n_events"] / stories, np.nan)
    columns["goldstein_sum"] = total(None, np.nan_to_num(goldstein, nan=0.0)).astype(float)
    # Under mentions/sources n_scored is the weight behind the score (an event counts
    # NumMentions times), so that summaries adding periods stay right; the threshold
    # still counts events.
    n_scored_events = total(scored)
    columns["n_scored"] = np.rint(total(scored, np.where(scored, times, 0.0)))
    columns["score_sum"] = total(scored, np.where(scored, value * times, 0.0)).astype(float)

    n = columns["n_stories"]
    coop = columns["verbal_coop"] + columns["material_coop"]
    conflict = columns["verbal_conflict"] + columns["material_conflict"]
    net_ok = n >= min_events
    ok = n_scored_events >= min_events
    with np.errstate(divide="ignore", invalid="ignore"):
        columns["goldstein_mean"] = np.where(n > 0, columns["goldstein_sum"] / n, np.nan)
    grid = (n_periods, n_poles)
    # Every cell is pulled toward the focal actor's own level in its period, not toward 0
    # (equipoise.analysis.scoring): the pull then favours no pole, however thinly covered.
    net = shrunk_scores((coop - conflict).reshape(grid), n.reshape(grid), k).reshape(n_cells)
    score = shrunk_scores(columns["score_sum"].reshape(grid), columns["n_scored"].reshape(grid),
                          k).reshape(n_cells)
    if coding_error is not None:
        # Expected true counts per quad (analysis/coding_error.py) replace the coded ones.
        all_quads = np.column_stack([columns[name] for name in QUAD_COLUMNS])
        scored_quads = np.column_stack([total(scored & (quad == q)) for q in (1, 2, 3, 4)])
        columns["score_uncorrected"] = np.where(ok, score, np.nan)
        net = _corrected_scores(coding_error.correct(all_quads), grid, k)
        score = _corrected_scores(coding_error.correct(scored_quads), grid, k)
        draws = np.random.default_rng(random_state if isinstance(random_state, int) else 0)
        tilts = np.stack([_tilts(_corrected_scores(coding_error.correct(scored_quads, draws),
                                                   grid, k).reshape(grid),
                                 ok.reshape(grid)).reshape(n_cells)
                          for _ in range(_STABILITY_DRAWS)], axis=-1)
    columns["net_coop"], columns["score"], columns["tilt"] = (
        metric.reshape(n_cells) for metric in _masked(
            net.reshape(grid), score.reshape(grid), net_ok.reshape(grid), ok.reshape(grid)))
    if coding_error is not None:
        columns["tilt_stability"] = sign_stability(columns["tilt"], tilts)
    # the units of resampling: stories, those sharing an article together (or documents)
    units = _document_units(events, rows) if resampled is None else resampled
    variance = mean_variance(cell[scored], units[scored], times[scored], value[scored], n_cells,
                             np.repeat(np.arange(n_periods), n_poles), k)
    columns["mean_se"] = np.where(ok, np.sqrt(variance), np.nan)
    # Salience, apart from the score: how much of the focal actor's dealings go to each
    # pole, against how much of the news each pole is.
    # A side of the window given bounds the volume as it bounds the dyads; an open side
    # takes the whole of its period, as a store read with that window does.
    window = (_day(query.start) if query.start is not None else np.iinfo(np.int64).min,
              _day(query.end) if query.end is not None else np.iinfo(np.int64).max)
    volume = _volumes(events, volumes, poles, periods, code, sides, all_days, window, counted)
    columns["share"] = _share(n.reshape(grid)).reshape(n_cells)
    columns["volume"] = volume.reshape(n_cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        columns["salience"] = columns["share"] / _share(volume).reshape(n_cells)
    columns["status"] = np.where(ok, STATUS_OK, STATUS_INSUFFICIENT).astype(object)

    bootstrap = None
    if ci is not None:
        rng = np.random.default_rng(random_state)
        netval = np.select([np.isin(quad, (1, 2)), np.isin(quad, (3, 4))], [1.0, -1.0], 0.0)
        stats = np.column_stack(
            [np.ones(rows.size), netval, np.where(scored, times, 0.0),
             np.where(scored, value * times, 0.0)]
            # with a coding error, each story's quad, over all directions and scored
            + ([(quad == q).astype(float) for q in (1, 2, 3, 4)]
               + [(scored & (quad == q)).astype(float) for q in (1, 2, 3, 4)]
               if coding_error is not None else [])
        )
        sums = _bootstrap_sums(units, cell, stats, n_cells, n_boot, rng)
        jack = _jackknife_sums(units, cell, stats[:, [_N_SCORED, _VALUE]], n_cells, rng)
        replicate_grid = (*grid, n_boot)
        # Resampling G documents spreads a cell by (G - 1) / G of its variance: each cell's
        # replicates are widened around its estimate by sqrt(G / (G - 1)), the factor its
        # standard error carries (docs/methodology.md, section 7).
        widen_all = _widening(units, cell, n_cells)
        widen = _widening(units[scored], cell[scored], n_cells)
        net_b = shrunk_scores(sums[:, _NET].reshape(replicate_grid),
                              sums[:, _N_ALL].reshape(replicate_grid), k, empty=np.nan)
        net_b = _widened(net_b.reshape(n_cells, n_boot), net, widen_all)
        score_b = shrunk_scores(sums[:, _VALUE].reshape(replicate_grid),
                                sums[:, _N_SCORED].reshape(replicate_grid), k, empty=np.nan)
        if coding_error is not None:  # each replicate draws the coder's error afresh
            net_b, score_b = (
                _corrected_replicates(sums[:, first:first + 4], coding_error, grid, k, rng)
                for first in (len(_SUM_NAMES), len(_SUM_NAMES) + 4))
            net_b = _widened(net_b, net, widen_all)
        score_b = _widened(score_b.reshape(n_cells, n_boot), score, widen)
        tilt_b = _tilts(score_b.reshape(*grid, n_boot), ok.reshape(grid))
        tilt_b = tilt_b.reshape(n_cells, n_boot)
        columns["net_coop_lo"], columns["net_coop_hi"] = _interval(net_b, net_ok, ci)
        columns["score_lo"], columns["score_hi"] = _interval(score_b, ok, ci)
        columns["tilt_lo"], columns["tilt_hi"] = _interval(tilt_b, ~np.isnan(columns["tilt"]), ci)
        with np.errstate(divide="ignore", invalid="ignore"):
            means_b = sums[:, _VALUE] / sums[:, _N_SCORED]
            means_j = jack[:, 1] / jack[:, 0]
            means_b = _widened(means_b, columns["score_sum"] / columns["n_scored"], widen)
        bootstrap = Replicates.of_cells(columns["period"], columns["pole"], score_b, ci,
                                        means=means_b, jackknife=means_j)

    result = pd.DataFrame({c: columns[c] for c in _columns(ci, coding_error is not None)})
    for col in ("n_events", "n_stories", *QUAD_COLUMNS, *OUT_COLUMNS, *IN_COLUMNS,
                "joint_events", "n_scored", "volume"):
        result[col] = result[col].astype("int64")
    return replace(measured, table=result, bootstrap=bootstrap)


def _volumes(
    events: pd.DataFrame,
    volumes: pd.DataFrame | None,
    poles: list[str],
    periods: pd.PeriodIndex,
    code: str,
    sides: tuple[_Side, _Side],
    all_days: np.ndarray,
    window: tuple[int, int],
    counted: np.ndarray | None = None,
) -> np.ndarray:
    """Each pole's events with anyone per period, shaped (period, pole), dated inside
    ``window`` (first and last day numbers).

    From ``volumes`` (columns ``pole``, ``event_date``, ``n``: counts by day or month,
    as :meth:`equipoise.store.Store.pole_volumes` gives them) when given, else counted
    in ``events``: the rows with the pole on either side, whoever the other side is (of
    the rows ``counted``, when given).
    """
    out = np.zeros((len(periods), len(poles)))
    if volumes is not None:
        if volumes.empty:
            return out
        pole_id = pd.Index(poles).get_indexer(volumes["pole"].astype(str).str.upper())
        days = day_numbers(volumes["event_date"])
        counts = pd.to_numeric(volumes["n"], errors="coerce").fillna(0).to_numpy(dtype=float)
    else:
        if events.empty:
            return out
        source, target = sides
        anyone = np.ones(len(events), dtype=bool) if counted is None else counted
        hits = [np.flatnonzero((source.match(p) | target.match(p)) & anyone) for p in poles]
        pole_id = np.concatenate([np.full(h.size, j) for j, h in enumerate(hits)]).astype(int)
        rows = np.concatenate(hits).astype(np.int64)
        days, counts = all_days[rows], np.ones(rows.size)
    where = (pole_id >= 0) & (days != NO_DAY) & (days >= window[0]) & (days <= window[1])
    period = _period_ordinals(days[where], code) - periods[0].ordinal
    inside = (period >= 0) & (period < len(periods))
    cells = period[inside] * len(poles) + pole_id[where][inside]
    return np.bincount(cells, weights=counts[where][inside],
                       minlength=out.size).reshape(out.shape)


# --------------------------------------------------------------------------- equidistance


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


# --------------------------------------------------------------------------- summary


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


# --------------------------------------------------------------------------- verdict


def verdict(aligned: Alignment | pd.DataFrame, focal: str | None = None,
            threshold: float = 0.05) -> str:
    """One to three plain sentences on which way the focal state leaned and how that changed.

    Every figure comes from :func:`summary`. A lean or a change smaller than
    ``threshold`` is reported as no clear lean / steady. Poles without any event in
    the range are left out of the comparison and named in a last sentence. ``focal``
    defaults to the code ``align`` recorded.
    """
    measured = as_alignment(aligned)
    aligned = measured.table
    focal = focal or measured.focal or "the focal state"
    poles = _poles(measured)
    periods = _ordered_periods(aligned)
    span = _span(periods)
    where = f"Over {span}, " if len(periods) > 1 else (f"In {span}, " if span else "")
    if not poles:
        return "No poles to compare."
    overview = summarise(measured)
    table = overview.table.set_index("pole")
    if table["n_events"].sum() == 0:
        sentence = f"{where}no events were found between {focal} and {_and(poles, 'or')}."
        return sentence[0].upper() + sentence[1:]
    # A pole without events, or with too few for a score, has no relations to compare:
    # it is named, never ranked, and the others are compared among themselves with the
    # same numbers as the table.
    silent = [p for p in poles if table.at[p, "n_events"] == 0]
    thin = [p for p in poles if p not in silent and pd.isna(table.at[p, "score"])]
    scored = [p for p in poles if p not in silent and p not in thin]
    notes = []
    if thin:
        least = overview.min_events
        counts = ", ".join(f"{p} {int(table.at[p, 'n_events'])}" for p in thin)
        notes.append(f"Too few events for a score with {_and(thin)} (fewer than {least} "
                     f"behind the score: {counts}).")
    if silent:
        notes.append(f"No events were found with {_and(silent, 'or')}.")
    for member, bloc in measured.overlaps:
        if measured.overlap == "exclude":
            notes.append(f"{member} is a member of {bloc}: its events count for {member} "
                         f"only, and {bloc} stands for its other members.")
        else:
            notes.append(f"{member} is a member of {bloc}: its events count for both.")
    if not scored:
        sentence = f"{where}the data are too thin for a verdict: no pole has enough events"
        return " ".join([sentence[0].upper() + sentence[1:] + ".", *notes])
    if silent or thin:
        poles = scored
        table = table.loc[scored]

    sentences: list[str] = []
    halves = len(periods) > 1
    if len(poles) == 1:
        pole = poles[0]
        net = table.at[pole, "net_coop"]
        if net >= threshold:
            tone = "mostly cooperative"
        elif net <= -threshold:
            tone = "mostly conflictual"
        else:
            tone = "balanced between cooperation and conflict"
        sentences.append(
            f"{where}relations between {focal} and {pole} were {tone} "
            f"(net cooperation {signed(net)})."
        )
        label, lead, clear = "Net cooperation with", pole, True
    else:
        lead = table["tilt"].idxmax()
        top = table.at[lead, "tilt"]
        if top < threshold:
            sentences.append(
                f"{where}{focal} showed no clear lean between {_and(poles)}"
                + (f" (largest tilt {signed(top)}, toward {lead})." if round(top, 2) else ".")
            )
        else:
            text = f"{where}{focal} leaned most toward {lead} (tilt {signed(top)})"
            if len(poles) >= 3:
                low = table["tilt"].idxmin()
                text += f" and least toward {low} ({signed(table.at[low, 'tilt'])})"
            sentences.append(text + ".")
            tie = _tied_with(measured, periods, lead, poles)
            if tie:
                sentences.append(tie)
        label, clear = "Tilt toward", top >= threshold

    if halves:
        sentences += _change_sentences(overview, table, lead, label, clear, threshold)
    return " ".join(sentences + notes)


def _tied_with(measured: Alignment, periods: list[str], lead: str,
               poles: list[str]) -> str | None:
    """With one period and intervals, the poles whose tilt interval overlaps the lead's:
    the data cannot tell them apart at the interval's level."""
    if len(periods) != 1 or "tilt_lo" not in measured.table.columns:
        return None
    rows = measured.table.set_index("pole")
    level = measured.ci
    lo = rows.at[lead, "tilt_lo"]
    if pd.isna(lo):
        return None
    tied = [p for p in poles if p != lead and not pd.isna(rows.at[p, "tilt_hi"])
            and rows.at[p, "tilt_hi"] >= lo]
    if not tied:
        return None
    at = f" at {level:.0%}" if level else ""
    return f"{lead} and {_and(tied)} cannot be told apart{at}: their intervals overlap."


def _change_sentences(
    overview: Summary,
    table: pd.DataFrame,
    lead: str,
    label: str,
    clear: bool,
    threshold: float,
) -> list[str]:
    """How the lean moved between the first and the second half of the periods."""
    early_n = int(table["first_half_events"].sum())
    late_n = int(table["second_half_events"].sum())
    if early_n == 0 or late_n == 0:
        empty = "first" if early_n == 0 else "second"
        return [f"No events fall in the {empty} half ({overview.half(empty)})."]

    a = table.at[lead, "first_half_tilt"]
    b = table.at[lead, "second_half_tilt"]
    if abs(b - a) < threshold:
        change = (
            f"{label} {lead} held steady ({signed(a)} in the first half, "
            f"{signed(b)} in the second)."
        )
    else:
        move = "rose" if b > a else "fell"
        change = (
            f"{label} {lead} {move} from {signed(a)} in the first half "
            f"to {signed(b)} in the second."
        )

    if pd.isna(a) or pd.isna(b):
        half = "first" if pd.isna(a) else "second"
        return [f"{lead} has too few events in the {half} half "
                f"({overview.half(half)}) to compare the halves."]
    shift = None
    if len(table) > 1 and table["first_half_tilt"].notna().any() \
            and table["second_half_tilt"].notna().any():
        first_lead = table["first_half_tilt"].idxmax()
        second_lead = table["second_half_tilt"].idxmax()
        first_top = table.at[first_lead, "first_half_tilt"]
        second_top = table.at[second_lead, "second_half_tilt"]
        if first_lead != second_lead and min(first_top, second_top) >= threshold:
            shift = (
                f"The lean shifted from {first_lead} in the first half ({signed(first_top)}) "
                f"to {second_lead} in the second ({signed(second_top)})."
            )
    if shift and not clear:
        return [shift]
    return [change, shift] if shift else [change]
