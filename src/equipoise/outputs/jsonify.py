"""The one JSON dialect of equipoise's outputs: ``align --format json``, the report's
embedded data and the dashboard API.

Dates are ISO days (``2020-07-01``; a timestamp with a time of day keeps it), a period
is its label (``2020-07``, ``2020Q3``, ``2020``) beside its ``period_start`` day, missing
values (NaN, NaT, NA) and infinities are ``null``, numpy numbers are plain numbers.
Tables are lists of records, one object per row with the frame's column names.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise.outputs import specs
from equipoise.outputs.charts import pole_colours

if TYPE_CHECKING:
    from equipoise.analysis.result import Analysis

__all__ = ["Record", "alignment", "day", "options", "plain", "records"]

Record = dict[str, Any]


def day(value: object) -> str | None:
    """The ISO day (``YYYY-MM-DD``) of a date or timestamp; None when missing or not a date."""
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(stamp) else stamp.date().isoformat()


def plain(value: Any) -> Any:
    """A JSON value: None for NaN/NaT/NA, ISO strings for dates, Python numbers."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        return day(stamp) if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, pd.Period):
        return str(value)
    return str(value)


def records(frame: pd.DataFrame) -> list[Record]:
    """A DataFrame as a list of JSON-ready dicts, column order kept."""
    columns = [str(c) for c in frame.columns]
    return [
        dict(zip(columns, map(plain, row), strict=True))
        for row in frame.itertuples(index=False, name=None)
    ]


def options(values: Mapping[str, Any]) -> Record:
    """The options an analysis ran with (and its notes), as plain values."""
    return {k: plain(v) for k, v in values.items()}


def alignment(result: Analysis) -> Record:
    """The JSON of one alignment, as ``/api/align`` answers and ``align --format json``
    writes it: ``focal``, ``poles``, ``colours``, ``options``, ``records`` (one per period
    and pole), ``equidistance`` (``balance``, per period), ``summary`` (``per_pole``),
    ``verdict`` and ``charts`` (the chart specs of :mod:`equipoise.outputs.specs`, those
    the report embeds)."""
    measured = result.alignment
    focal = measured.focal
    poles = list(measured.poles)
    # The same colour for a pole in every chart, report and dashboard alike.
    colours = pole_colours(poles)
    return {
        "focal": focal,
        "poles": poles,
        "colours": colours,
        "options": options(measured.options()),
        "records": records(measured.table),
        "equidistance": records(result.equidistance),
        "summary": records(result.summary.table),
        "verdict": result.verdict,
        "charts": specs.alignment_charts(measured.table, result.equidistance, str(focal),
                                         poles, colours, measured.ci),
    }
