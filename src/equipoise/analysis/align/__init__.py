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

Modules
-------
:mod:`.table` measures the table (:func:`measure`, :func:`align`) from the dyad events
that :mod:`.matching` finds (:class:`DyadMatch`, :func:`dyad_events`), each event worth
what :mod:`.values` says; :mod:`.cells` holds the arithmetic of one (period, pole) cell
(:func:`cell_metrics`), :mod:`.bootstrap` the replicates behind the intervals,
:mod:`.salience` the shares and volumes, :mod:`.correction` the scores corrected for
coding error and :mod:`.periods` the period arithmetic. :mod:`.evenness` reads the table
into :func:`equidistance`, :mod:`.totals` into :func:`summarise` and :mod:`.wording`
into the :func:`verdict`; :mod:`.columns` names the options and the columns. Every public
name is importable from here.
"""

from __future__ import annotations

from equipoise.analysis.align.cells import cell_metrics
from equipoise.analysis.align.columns import (
    ALIGN_COLUMNS,
    CORRECTED_COLUMNS,
    DETAIL_COLUMNS,
    DIRECTIONS,
    EQUIDISTANCE_COLUMNS,
    IN_COLUMNS,
    INTERVAL_COLUMNS,
    MULTIPLIED,
    OUT_COLUMNS,
    STATUS_INSUFFICIENT,
    STATUS_OK,
    SUMMARY_COLUMNS,
    UNITS,
    WEIGHTS,
)
from equipoise.analysis.align.evenness import equidistance
from equipoise.analysis.align.matching import DyadMatch, dyad_events
from equipoise.analysis.align.table import align, measure, measure_query
from equipoise.analysis.align.totals import summarise, summary
from equipoise.analysis.align.values import event_values
from equipoise.analysis.align.wording import verdict

__all__ = [
    "ALIGN_COLUMNS",
    "CORRECTED_COLUMNS",
    "DETAIL_COLUMNS",
    "DIRECTIONS",
    "EQUIDISTANCE_COLUMNS",
    "INTERVAL_COLUMNS",
    "IN_COLUMNS",
    "MULTIPLIED",
    "OUT_COLUMNS",
    "STATUS_INSUFFICIENT",
    "STATUS_OK",
    "SUMMARY_COLUMNS",
    "UNITS",
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
