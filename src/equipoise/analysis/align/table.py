"""The per-(period, pole) table of a focal actor's lean: :func:`measure` and :func:`align`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from equipoise.analysis.align.bootstrap import (
    _N_ALL,
    _N_SCORED,
    _NET,
    _SUM_NAMES,
    _VALUE,
    _bootstrap_sums,
    _document_units,
    _jackknife_sums,
    _widened,
    _widening,
)
from equipoise.analysis.align.cells import _interval, _masked, _tilts
from equipoise.analysis.align.columns import (
    IN_COLUMNS,
    MULTIPLIED,
    OUT_COLUMNS,
    STATUS_INSUFFICIENT,
    STATUS_OK,
    UNITS,
    _columns,
)
from equipoise.analysis.align.correction import (
    _STABILITY_DRAWS,
    _corrected_replicates,
    _corrected_scores,
)
from equipoise.analysis.align.matching import _BOTH, _IN, _OUT, DyadMatch, _require_actors
from equipoise.analysis.align.periods import _day, _period_ordinals, _span
from equipoise.analysis.align.salience import _share, _volumes
from equipoise.analysis.align.values import _event_weights, event_values
from equipoise.analysis.balance import mean_variance
from equipoise.analysis.blocs import pole_overlaps
from equipoise.analysis.coding_error import CodingError, sign_stability
from equipoise.analysis.limits import check_size, count_periods
from equipoise.analysis.query import (
    DEFAULT_MIN_EVENTS,
    DEFAULT_N_BOOT,
    DEFAULT_SMOOTHING,
    Query,
)
from equipoise.analysis.result import Alignment, Replicates
from equipoise.analysis.scoring import shrunk_scores
from equipoise.analysis.stories import find_stories
from equipoise.errors import InvalidQueryError
from equipoise.reference.dates import EARLIEST, latest
from equipoise.reference.periods import NO_DAY, freq_code
from equipoise.reference.quads import QUAD_COLUMNS


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
