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

Modules
-------
:mod:`.detection` finds the breaks, :mod:`.significance` says how large one must be
(long-run variance, the null, the penalty), :mod:`.cost` is the segment cost they share,
:mod:`.influence` finds the stories that drive a break, and :mod:`.finding` puts them
together into the tables of change points and drivers; :mod:`.points` holds the change
point and the tables' columns. Every public name is importable from here.
"""

from __future__ import annotations

from equipoise.analysis.changepoints.detection import (
    METHODS,
    MIN_PERIODS,
    BreakTest,
    detect,
    find_breaks,
)
from equipoise.analysis.changepoints.finding import (
    DEFAULT_STABILITY_BOOT as DEFAULT_STABILITY_BOOT,
)
from equipoise.analysis.changepoints.finding import (
    breaks_in,
    changepoints,
    find_changepoints,
)
from equipoise.analysis.changepoints.influence import drivers
from equipoise.analysis.changepoints.points import DRIVER_COLUMNS, POINT_COLUMNS, ChangePoint
from equipoise.analysis.changepoints.significance import (
    DEFAULT_LEVEL,
    DEFAULT_PENALTY_SCALE,
    default_penalty,
    long_run_variance,
)
from equipoise.analysis.changepoints.significance import (
    DEFAULT_N_NULL as DEFAULT_N_NULL,
)
from equipoise.analysis.changepoints.significance import (
    PERSISTENCE as PERSISTENCE,
)
from equipoise.analysis.result import TOO_SHORT

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
