"""A change point (one break in one pole's series) and the columns of the tables of
change points and of their drivers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# Columns of ``drivers``: one row per dyad event of an influential document.
DRIVER_COLUMNS: list[str] = [
    "rank",
    "story",
    "n_reports",
    "doc_id",
    "influence",
    "shift_without",
    "event_date",
    "event_pole",
    "direction",
    "source",
    "target",
    "cameo",
    "quad",
    "goldstein",
    "sentence",
    "doc_title",
    "doc_url",
]
# Columns of the change point table returned by ``changepoints``.
POINT_COLUMNS: list[str] = [
    "pole",
    "period",
    "period_start",
    "before",
    "after",
    "shift",
    "window_start",
    "window_end",
    "n_before",
    "n_after",
    "stability",
]
# Columns of the align table that drivers can recompute from event counts.
_RECOMPUTABLE = ("tilt", "score", "net_coop")


def _empty_drivers() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in DRIVER_COLUMNS})


@dataclass
class ChangePoint:
    """One break in a pole's series.

    ``period`` (with its ``period_start``) is the first period of the new regime;
    ``before``/``after`` are the weighted means of ``column`` over the segments on
    either side and ``shift = after - before``. ``periods_before`` and
    ``periods_after`` list the periods of those segments that entered the
    computation (skipped periods are not listed): the window in which
    :func:`drivers` looks. ``drivers`` stays empty until :func:`drivers` or
    :func:`changepoints` fills it.
    """

    pole: str
    period: str
    period_start: Any
    before: float
    after: float
    shift: float
    drivers: pd.DataFrame = field(default_factory=_empty_drivers, repr=False, compare=False)
    periods_before: tuple[str, ...] = ()
    periods_after: tuple[str, ...] = ()
    column: str = "tilt"
    weighted: bool = True
    stability: float = math.nan

    @property
    def window(self) -> tuple[str, str]:
        """First and last period of the two segments around the break."""
        periods = self.periods_before + self.periods_after
        return (periods[0], periods[-1]) if periods else ("", "")
