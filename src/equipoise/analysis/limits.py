"""How large one analysis may be, and which event dates a window left open takes in.

Work and memory grow with the cells of the (period, pole) grid and, with intervals,
with cells times bootstrap replicates (about 100 bytes of peak memory each). Both are
bounded so that no window, frequency or number of replicates can make ``align``,
``report`` or the dashboard run for minutes or take gigabytes; a request over a bound
is refused before any of that work, with the way to make it smaller.

A window left open (no start, or no end) spans the events found, but only those dated
in the default range of :mod:`equipoise.reference.dates` (1800-01-01 to one year after
today): a stray year 1 or 9999 in the store would otherwise stretch the window to
thousands of empty periods. Events outside are counted and reported; a window given
explicitly includes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from equipoise.errors import InvalidQueryError
from equipoise.reference.dates import EARLIEST, latest
from equipoise.reference.periods import FREQ_CODES

__all__ = [
    "MAX_CELLS",
    "MAX_REPLICATE_CELLS",
    "TooLargeError",
    "check_size",
    "check_window",
    "count_periods",
    "plausible",
]

# Periods × poles: 20,000 is, for instance, 12 poles monthly over 138 years.
MAX_CELLS = 20_000
# Periods × poles × bootstrap replicates: about 500 MB at the peak.
MAX_REPLICATE_CELLS = 5_000_000
_UNITS = {"month": "months", "quarter": "quarters", "year": "years"}
_COARSER = {"month": "quarter or year", "quarter": "year"}
# How each remedy is named where the request came from: Python and JSON API by default.
API_NAMES: Mapping[str, str] = {"freq": "freq", "window": "start/end", "n_boot": "n_boot"}


def count_periods(start: dt.date, end: dt.date, freq: str) -> int:
    """Periods of ``freq`` from the one holding ``start`` to the one holding ``end``."""
    code = FREQ_CODES[freq]
    first = pd.Period(pd.Timestamp(start), freq=code).ordinal
    last = pd.Period(pd.Timestamp(end), freq=code).ordinal
    return max(int(last - first) + 1, 0)


class TooLargeError(InvalidQueryError):
    """An analysis over the size bounds; ``message`` words the remedies for a front end."""

    def __init__(
        self,
        *,
        n_periods: int,
        n_poles: int,
        freq: str,
        n_boot: int | None,
        span: str,
    ) -> None:
        self.n_periods = n_periods
        self.n_poles = n_poles
        self.freq = freq
        self.n_boot = n_boot
        self.span = span
        super().__init__(self.message(API_NAMES))

    @property
    def cells(self) -> int:
        return self.n_periods * self.n_poles

    def message(self, names: Mapping[str, str]) -> str:
        unit = _UNITS.get(self.freq, "periods")
        pole_word = "pole" if self.n_poles == 1 else "poles"
        size = f"{self.n_periods:,} {unit} × {self.n_poles} {pole_word}"
        remedies = []
        if self.freq in _COARSER:
            remedies.append(f"a coarser {names['freq']} ({_COARSER[self.freq]})")
        remedies.append(f"a shorter window ({names['window']})")
        if self.cells > MAX_CELLS:
            what = f"{size} = {self.cells:,} cells, more than the {MAX_CELLS:,} allowed"
        else:
            replicates = self.cells * (self.n_boot or 0)
            what = (
                f"{size} × {self.n_boot:,} bootstrap replicates = {replicates:,}, more than "
                f"the {MAX_REPLICATE_CELLS:,} allowed"
            )
            remedies.append(f"fewer replicates ({names['n_boot']})")
        ways = remedies[-1] if len(remedies) == 1 else (
            ", ".join(remedies[:-1]) + " or " + remedies[-1])
        return f"the analysis is too large: {self.span} is {what}; ask for {ways}"


def check_size(
    n_periods: int, n_poles: int, freq: str, n_boot: int | None = None, span: str = "the window"
) -> None:
    """Raise :class:`TooLargeError` when the grid, or the grid times ``n_boot``
    replicates (None: no intervals), is over its bound."""
    cells = n_periods * n_poles
    if cells > MAX_CELLS or (n_boot is not None and cells * n_boot > MAX_REPLICATE_CELLS):
        raise TooLargeError(
            n_periods=n_periods, n_poles=n_poles, freq=freq, n_boot=n_boot, span=span
        )


def check_window(
    start: dt.date | None,
    end: dt.date | None,
    freq: str,
    n_poles: int,
    n_boot: int | None = None,
) -> None:
    """:func:`check_size` for a window given at both ends, before any data is read;
    nothing to check while a side is open (the events decide it) or ``freq`` is unknown."""
    if start is None or end is None or freq not in FREQ_CODES or start > end:
        return
    span = f"{pd.Period(pd.Timestamp(start), freq=FREQ_CODES[freq])}.." \
        f"{pd.Period(pd.Timestamp(end), freq=FREQ_CODES[freq])}"
    check_size(count_periods(start, end, freq), n_poles, freq, n_boot, span)


def plausible(dates: pd.Series, start: dt.date | None, end: dt.date | None) -> np.ndarray:
    """Which of ``dates`` an open window takes in: those without a date, and those not
    before ``EARLIEST`` (when ``start`` is None) nor after one year from today (when
    ``end`` is None)."""
    low = pd.Timestamp(EARLIEST) if start is None else None
    high = pd.Timestamp(latest()) if end is None else None

    def inside(value: object) -> bool:
        try:
            when = pd.Timestamp(value)
        except (TypeError, ValueError):
            return True  # not a date: the analysis treats it as undated
        if pd.isna(when):
            return True
        when = when.tz_localize(None) if when.tzinfo is not None else when
        return not ((low is not None and when < low) or (high is not None and when > high))

    # Each distinct date is judged once: millions of events fall on a few thousand days.
    codes, uniques = pd.factorize(pd.Series(dates))
    flags = np.array([inside(v) for v in np.asarray(uniques, dtype=object)] + [True])
    return flags[codes]
