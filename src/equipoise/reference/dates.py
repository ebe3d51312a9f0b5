"""The event and publication dates accepted when nothing else is said.

A year 1 or 9999 in one record would stretch every time axis the analysis builds, so
readers refuse dates outside ``EARLIEST`` .. one year after today, and an analysis window
left open takes in only the events dated in that range.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["EARLIEST", "latest", "one_year_after"]

EARLIEST = dt.date(1800, 1, 1)
"""The earliest date accepted by default."""


def one_year_after(day: dt.date) -> dt.date:
    """The same day a year later (29 February gives 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def latest(today: dt.date | None = None) -> dt.date:
    """The latest date accepted by default: one year after ``today`` (default: the
    current date)."""
    return one_year_after(today or dt.date.today())
