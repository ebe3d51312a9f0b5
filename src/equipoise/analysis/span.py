"""Where the events are: the densest window of a dyad series and a frequency that suits it.

A store may hold a few events decades before the rest; a view over the whole range then
shows 95% empty periods. The densest window is the shortest run of days that holds a
given share of the events.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

__all__ = ["densest_span", "sensible_freq"]


def densest_span(dates: pd.Series, share: float = 0.8) -> tuple[dt.date, dt.date] | None:
    """The shortest window ``(first, last)`` holding at least ``share`` of ``dates``
    (earliest such window on ties); None when there are no dates."""
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share!r}")
    days = pd.to_datetime(pd.Series(dates), errors="coerce").dropna()
    if days.empty:
        return None
    values = np.sort(days.to_numpy(dtype="datetime64[D]"))
    k = max(1, math.ceil(share * values.size))
    widths = values[k - 1:] - values[: values.size - k + 1]
    at = int(np.argmin(widths))
    return (values[at].astype(dt.date), values[at + k - 1].astype(dt.date))


def sensible_freq(first: dt.date, last: dt.date) -> str:
    """``month`` up to two years, ``quarter`` up to eight, ``year`` beyond: enough periods
    to see a change, few enough to read them."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= 24:
        return "month"
    return "quarter" if months <= 96 else "year"
