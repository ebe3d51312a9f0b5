"""Plausible values: the dates and weights a reader accepts before anything is stored.

A year 1 or 9999 in one record would stretch every time axis the analysis builds, and a
Goldstein weight of infinity would make every mean infinite, so readers refuse such
values row by row with a clear error instead of storing them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from equipoise.reference import dates
from equipoise.reference.dates import EARLIEST

GOLDSTEIN_MIN, GOLDSTEIN_MAX = -10.0, 10.0


@dataclass(frozen=True, slots=True)
class DateRange:
    """The publication and event dates a reader accepts, both ends included.

    ``latest`` None means one year after today (:mod:`equipoise.reference.dates`), worked
    out when a date is checked.
    """

    earliest: dt.date = EARLIEST
    latest: dt.date | None = None

    def __post_init__(self) -> None:
        if self.latest is not None and self.latest < self.earliest:
            raise ValueError(
                f"the latest date {self.latest} is before the earliest {self.earliest}"
            )

    @property
    def last(self) -> dt.date:
        return self.latest if self.latest is not None else dates.latest()

    def __contains__(self, day: dt.date) -> bool:
        return self.earliest <= day <= self.last

    def check(self, day: dt.date, what: str = "date") -> dt.date:
        """Return ``day``, or raise ValueError if it lies outside the range."""
        if day not in self:
            raise ValueError(
                f"{what} {day.isoformat()} is outside the accepted range "
                f"{self.earliest.isoformat()} to {self.last.isoformat()}"
            )
        return day


def goldstein(text: str) -> float:
    """A Goldstein weight read from text: a finite number within -10..10, else ValueError."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"Goldstein weight {text!r} is not a number") from None
    if not (math.isfinite(value) and GOLDSTEIN_MIN <= value <= GOLDSTEIN_MAX):
        raise ValueError(f"Goldstein weight {text!r} is outside -10..10")
    return value
