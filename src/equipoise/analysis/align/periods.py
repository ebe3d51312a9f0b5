"""Day numbers, period ordinals and the spans of periods named in text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd


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



def _span(periods: Sequence[str]) -> str:
    if not periods:
        return ""
    return periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]}"
