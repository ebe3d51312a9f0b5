"""Change points of an alignment with their drivers, as the tables of
:class:`~equipoise.analysis.result.ChangePoints`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from equipoise.analysis.align import measure
from equipoise.analysis.changepoints.detection import BreakTest, _points, find_breaks
from equipoise.analysis.changepoints.influence import _drivers, _window_dyads
from equipoise.analysis.changepoints.points import (
    _RECOMPUTABLE,
    DRIVER_COLUMNS,
    POINT_COLUMNS,
    ChangePoint,
)
from equipoise.analysis.result import TOO_SHORT, Alignment, ChangePoints

# Replicates over stories that changepoints() draws for the null and the stability.
DEFAULT_STABILITY_BOOT = 200


def changepoints(events: pd.DataFrame, focal: str, poles: Sequence[str], freq: str = "month",
                 *, align_kwargs: Mapping[str, Any] | None = None, top: int = 5,
                 n_boot: int = DEFAULT_STABILITY_BOOT, **kwargs: Any
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
