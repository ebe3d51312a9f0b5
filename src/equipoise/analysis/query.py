"""One question to the analysis, read and checked in one place.

The command line, the Python API and the dashboard API all build a :class:`Query` from
what they were given and pass it on, so a bad question is refused before any data is
read, with the same message wherever it was asked. A refused option names itself first
(``weight: unknown weight 'heavy': ...``); an unknown focal or pole code
(:class:`~equipoise.analysis.codes.UnknownActorCode`, checked against the store by
:meth:`Query.check_codes`) and a window over the size bounds
(:class:`~equipoise.analysis.limits.TooLargeError`) speak for themselves.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from equipoise.analysis.codes import check_codes
from equipoise.analysis.limits import check_window
from equipoise.errors import InvalidQueryError
from equipoise.reference.periods import FREQ_CODES

__all__ = [
    "DEFAULT_MIN_EVENTS",
    "DEFAULT_N_BOOT",
    "DEFAULT_SMOOTHING",
    "DEFAULT_TOP",
    "Query",
    "actor_code",
]

DEFAULT_SMOOTHING = 2.0
DEFAULT_MIN_EVENTS = 3
DEFAULT_N_BOOT = 500
DEFAULT_TOP = 5
OVERLAPS = ("keep", "exclude")

# A state (AZE), a bloc (NATO, EU) or an actor code of the store (AZEGOV; GDELT's run to
# five three-letter parts): letters first, then letters or digits. Anything else cannot
# be a code, whatever the store holds.
_CODE = re.compile(r"[A-Z][A-Z0-9]{1,14}")


def _refuse(field: str, message: str) -> InvalidQueryError:
    return InvalidQueryError(f"{field}: {message}")


def actor_code(value: object, field: str = "focal", what: str | None = None) -> str:
    """``value`` as an actor code: stripped and upper-cased, refused (naming ``field``)
    when empty or not shaped like a code. ``what`` words the empty case (the field)."""
    if not isinstance(value, str) or not value.strip():
        raise _refuse(field, f"{what or field} must be a non-empty actor code, got {value!r}")
    code = value.strip().upper()
    if not _CODE.fullmatch(code):
        raise _refuse(field, f"{value!r} is not an actor code (ISO 3166 alpha-3 such as AZE, "
                      "or a bloc such as NATO)")
    return code


def _pole_codes(focal: str, poles: object) -> tuple[str, ...]:
    parts: Sequence[object]
    if isinstance(poles, str):
        # Comma-separated, as the command line and the dashboard take them; blanks between
        # commas are nothing, not empty codes.
        parts = [p for p in poles.split(",") if p.strip()]
    elif isinstance(poles, Sequence):
        parts = poles
    else:
        raise _refuse("poles", f"poles must be a list of actor codes, got {poles!r}")
    codes = tuple(dict.fromkeys(actor_code(p, "poles", "pole") for p in parts))
    if not codes:
        raise _refuse("poles", "at least one pole is needed")
    if focal in codes:
        raise _refuse("poles", f"the focal actor {focal} cannot also be a pole")
    return codes


def _date(value: object, field: str) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamps too: their day
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    else:
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError):
            stamp = pd.NaT
        if not pd.isna(stamp):
            return stamp.date()
    raise _refuse(field, f"{value!r} is not a date (YYYY-MM-DD)")


def _is_integer(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _choice(value: object, allowed: tuple[str, ...], field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        names = ", ".join(repr(a) for a in allowed)
        raise _refuse(field, f"unknown {field} {value!r}: use one of {names}")
    return value


def _count(value: object, field: str, least: int = 0) -> int:
    if not (_is_integer(value) and value >= least):  # type: ignore[operator]
        wording = "a positive integer" if least == 1 else f"an integer >= {least}"
        raise _refuse(field, f"{field} must be {wording}, got {value!r}")
    return int(value)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Query:
    """Which way ``focal`` leans between ``poles``, and how to measure it.

    Built from loose input (codes in any case, poles as a list or ``"TUR,RUS"``, dates
    as ISO strings) and stored normalised; every option is checked on construction and
    a bad one raises :class:`~equipoise.errors.InvalidQueryError`. See
    ``docs/methodology.md`` for what the options mean in the formulas.
    """

    #: ISO3 code of the state whose leaning is measured, or a bloc code; upper-cased.
    focal: str
    #: Codes of the rival powers or blocs, upper-cased, each once, in the order given.
    poles: tuple[str, ...]
    #: First day of the window (inclusive); None: the first plausible dyad event.
    start: dt.date | None = None
    #: Last day of the window (inclusive); None: the last plausible dyad event.
    end: dt.date | None = None
    #: Period length: ``month``, ``quarter`` or ``year``.
    freq: str = "month"
    #: Value of an event in the score: ``count`` (+1 cooperation, -1 conflict),
    #: ``goldstein`` (Goldstein / 10) or ``plover`` (PLOVER score / 10).
    weight: str = "count"
    #: Events behind the score: ``out`` (focal to pole: the lean), ``in`` (pole to focal),
    #: ``both`` (relations).
    direction: str = "out"
    #: Pseudo-events at the focal actor's own level added to every cell, so one event is
    #: not certainty.
    smoothing: float = DEFAULT_SMOOTHING
    #: Fewer scored events than this in a cell give "insufficient data".
    min_events: int = DEFAULT_MIN_EVENTS
    #: Interval level (e.g. 0.9) of bootstrap intervals over documents; None: no intervals.
    ci: float | None = None
    #: Bootstrap replicates, with ``ci``.
    n_boot: int = DEFAULT_N_BOOT
    #: Seed of the bootstrap; None: fresh randomness.
    random_state: int | None = 0
    #: Whether to find change points in each pole's tilt and the documents behind them.
    changepoints: bool = False
    #: Driving documents listed per change point.
    top: int = DEFAULT_TOP
    #: Most events listed in a report (largest Goldstein first); None: all.
    max_events: int | None = None
    #: A pole that is a member of another pole (TUR and NATO): ``keep`` its events in
    #: both, or ``exclude`` them from the bloc, so the bloc means its other members.
    overlap: str = "keep"
    #: Whether background events (dated only to a year before their document's year,
    #: "since the early 1990s") count in the series; they stay in event listings.
    include_background: bool = False
    #: Whether to read each pole's events with anyone from the whole store, for the
    #: ``volume`` and ``salience`` columns (a scan of every event); without, they are empty.
    salience: bool = False

    @classmethod
    def build(cls, focal: str, poles: str | Sequence[str],
              start: str | dt.date | None = None, end: str | dt.date | None = None,
              freq: str = "month", **options: Any) -> Query:
        """A Query from loose input: poles as a list or ``"TUR,RUS"``, dates as ISO
        strings or dates. The same as calling the class; typed for what it accepts."""
        return cls(focal, poles, start, end, freq, **options)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        # align (columns.py) holds the weights and directions it scores by, and builds Queries.
        from equipoise.analysis.align import DIRECTIONS, WEIGHTS

        focal = actor_code(self.focal, "focal")
        fields: dict[str, Any] = {
            "focal": focal,
            "poles": _pole_codes(focal, self.poles),
            "start": _date(self.start, "start"),
            "end": _date(self.end, "end"),
            "freq": _choice(self.freq, tuple(FREQ_CODES), "freq"),
            "weight": _choice(self.weight, WEIGHTS, "weight"),
            "direction": _choice(self.direction, DIRECTIONS, "direction"),
        }
        smoothing = self.smoothing
        if isinstance(smoothing, bool) or not isinstance(smoothing, numbers.Real) \
                or not smoothing >= 0:
            raise _refuse("smoothing", f"smoothing must be >= 0, got {smoothing!r}")
        fields["smoothing"] = float(smoothing)
        fields["min_events"] = _count(self.min_events, "min_events")
        ci = self.ci
        # The stubs give numbers.Real no ordering; every real number type has one.
        if ci is not None and not (isinstance(ci, numbers.Real) and 0 < ci < 1):
            raise _refuse("ci", f"ci must be None or a level between 0 and 1 (e.g. 0.9), "
                          f"got {ci!r}")
        fields["ci"] = None if ci is None else float(ci)
        # Replicates matter only with intervals; without, any value is left as given.
        if ci is not None:
            fields["n_boot"] = _count(self.n_boot, "n_boot", least=1)
        if self.random_state is not None and not _is_integer(self.random_state):
            raise _refuse("random_state", f"random_state must be an integer or None, got "
                          f"{self.random_state!r}")
        fields["overlap"] = _choice(self.overlap, OVERLAPS, "overlap")
        fields["include_background"] = bool(self.include_background)
        fields["salience"] = bool(self.salience)
        fields["changepoints"] = bool(self.changepoints)
        fields["top"] = _count(self.top, "top")
        if self.max_events is not None:
            fields["max_events"] = _count(self.max_events, "max_events")
        for name, value in fields.items():
            object.__setattr__(self, name, value)
        start, end = fields["start"], fields["end"]
        if start is not None and end is not None and start > end:
            raise _refuse("start", f"start {start} is after end {end}")
        # Refused before any data is read when both ends are given.
        check_window(start, end, self.freq, len(self.poles), self.replicates)

    @property
    def replicates(self) -> int | None:
        """Bootstrap replicates the question costs: ``n_boot`` with intervals, else None."""
        return self.n_boot if self.ci is not None else None

    def check_codes(self, present: Callable[[str], bool] = lambda code: False) -> None:
        """Refuse a focal or pole code that is neither a known state or bloc nor, by
        ``present(code)``, in the store; the error names the closest known codes."""
        check_codes(self.focal, self.poles, present=present)

    def align_options(self, intervals: bool = True) -> dict[str, Any]:
        """The keyword arguments of :func:`equipoise.analysis.align.align` besides the
        events, focal and poles; without ``intervals``, no ``ci`` nor ``n_boot``."""
        options: dict[str, Any] = {
            "start": self.start, "end": self.end, "freq": self.freq, "weight": self.weight,
            "direction": self.direction, "smoothing": self.smoothing,
            "min_events": self.min_events, "random_state": self.random_state,
            "overlap": self.overlap,
        }  # fmt: skip
        if intervals:
            options.update(ci=self.ci, n_boot=self.n_boot)
        return options
