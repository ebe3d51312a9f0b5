"""Periods and days: the frequencies an analysis counts by, and event dates as day numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from equipoise.errors import InvalidQueryError

__all__ = ["FREQ_CODES", "NO_DAY", "day_numbers", "freq_code"]

# Each frequency and the pandas period code it stands for.
FREQ_CODES: dict[str, str] = {"month": "M", "quarter": "Q", "year": "Y"}

# The day number of a missing date: what NaT is as int64.
NO_DAY = np.iinfo(np.int64).min


def freq_code(freq: str) -> str:
    """The pandas period code of ``freq`` ("quarter" -> "Q"); ValueError naming the
    frequencies for anything else."""
    try:
        return FREQ_CODES[freq]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(f) for f in FREQ_CODES)
        raise InvalidQueryError(f"unknown freq {freq!r}: use one of {allowed}") from None


def _local_day(value: object) -> np.datetime64:
    try:
        when = pd.Timestamp(value)
    except (ValueError, TypeError):
        return np.datetime64("NaT", "D")
    if pd.isna(when):
        return np.datetime64("NaT", "D")
    if when.tzinfo is not None:
        when = when.tz_localize(None)
    return np.datetime64(when.date(), "D")


def _drop_zone(when: pd.Series) -> pd.Series:
    return when.dt.tz_localize(None) if getattr(when.dt, "tz", None) is not None else when


def _parse_days(distinct: pd.Series) -> np.ndarray:
    """Distinct date values as ``datetime64[D]``, NaT for what is not a date.

    ISO strings (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, with or without a time) take the
    fast path; anything else is read value by value, each in its own local date.
    """
    present = distinct.dropna()
    try:
        if len(present) and present.map(lambda v: isinstance(v, str)).all():
            when = pd.to_datetime(distinct, format="ISO8601")
        else:
            when = pd.to_datetime(distinct)
        return _drop_zone(when).to_numpy(dtype="datetime64[D]")
    except (ValueError, TypeError):
        pass
    try:
        when = pd.to_datetime(distinct, errors="coerce", format="mixed")
        return _drop_zone(when).to_numpy(dtype="datetime64[D]")
    except (ValueError, TypeError):  # e.g. several time zones: the local date of each
        return np.array([_local_day(v) for v in distinct], dtype="datetime64[D]")


def day_numbers(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as int64, :data:`NO_DAY` where the value is missing or not
    a date.

    Accepts datetime64 columns, ``datetime.date``/``datetime`` objects and ISO strings.
    Only the distinct values are parsed, so millions of events over a few thousand days
    are cheap.
    """
    if len(values) == 0:
        return np.empty(0, dtype=np.int64)
    if pd.api.types.is_datetime64_any_dtype(values):
        days = _drop_zone(values).to_numpy(dtype="datetime64[D]")
    else:
        codes, uniques = pd.factorize(values)
        parsed = _parse_days(pd.Series(np.asarray(uniques, dtype=object)))
        lookup = np.append(parsed, np.datetime64("NaT", "D"))
        days = lookup[codes]  # code -1 (missing) picks the trailing NaT
    return days.astype(np.int64)  # NaT becomes NO_DAY
