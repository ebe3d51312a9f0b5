"""UN General Assembly ideal points: the Bailey, Strezhnev and Voeten estimates.

:func:`read_ideal_points` reads the CSV the authors publish
(``IdealpointestimatesAll_Jun2024.csv`` and earlier releases of the same form):
one row per state and session with the estimated ideal point and quantiles of
its posterior. Each row becomes:

``country`` (str)
    The file's ``iso3c`` code as written. The file keeps codes of its own for
    some predecessor states (``YUG`` Yugoslavia, ``CSK`` Czechoslovakia) and
    writes ``YAR`` for both Yemens before 1990 (COW 678 and 680); ``ccode``
    tells those apart.
``ccode`` (int64)
    Correlates of War code.
``session`` (int64), ``year`` (int64)
    General Assembly session and the year it opened (1945 + session).
``n_votes`` (Int64)
    ``NVotesAll``: the roll calls the estimate rests on.
``ideal_point`` (float64)
    ``IdealPointAll``.
``q0``, ``q5``, ``q10``, ``q50``, ``q90``, ``q95``, ``q100`` (float64)
    The quantile columns ``Q0%All`` (written ``QO%All`` in the 2024 file) to
    ``Q100%All``, in percent of the posterior draws.
``name`` (str)
    ``Countryname``.

A row without a number where one is needed, a session that is not a positive
whole number, an ``iso3c`` that is empty or not three letters, quantiles out of
order (``q5 > q95``, or the ideal point outside ``[q0, q100]``) or a second row
for one COW code and session is a :class:`~equipoise.sources.errors.SourceError` naming the file and
line; with ``errors=[]`` such rows are collected there and left out instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from equipoise.sources.errors import SourceError
from equipoise.sources.unvotes import _csv_numbers, _integers, _read_csv_text, _Rows

__all__ = ["IDEAL_POINT_COLUMNS", "QUANTILES", "read_ideal_points"]

QUANTILES: tuple[int, ...] = (0, 5, 10, 50, 90, 95, 100)
"""The posterior quantiles the file gives, in percent."""

IDEAL_POINT_COLUMNS: list[str] = [
    "country", "ccode", "session", "year", "n_votes", "ideal_point",
    *(f"q{q}" for q in QUANTILES), "name",
]  # fmt: skip

FIRST_SESSION_YEAR = 1945
# The 2024 release spells the lowest quantile with a letter O; either spelling is read.
_QUANTILE_NAMES = {0: ("Q0%All", "QO%All")}
_REQUIRED = ("ccode", "session", "IdealPointAll", "iso3c", "Q5%All", "Q95%All")


def _quantile_column(header: pd.Index, q: int) -> str | None:
    for name in _QUANTILE_NAMES.get(q, (f"Q{q}%All",)):
        if name in header:
            return name
    return None


def read_ideal_points(
    path: str | Path, *, errors: list[SourceError] | None = None
) -> pd.DataFrame:
    """The ideal-point file as one row per state and session, sorted by country and session.

    Columns are :data:`IDEAL_POINT_COLUMNS` (see the module docstring); a quantile
    column the file lacks is all missing, except ``Q5%All`` and ``Q95%All``,
    which must be there.
    """
    path = Path(path)
    table, lines = _read_csv_text(path, _REQUIRED, errors)
    rows = _Rows(path, lambda i: ("", int(lines[i])), errors)
    n = len(table)

    ccode = _integers(rows, _csv_numbers(rows, table["ccode"], "ccode"), "ccode",
                      required=True)  # fmt: skip
    session = _integers(rows, _csv_numbers(rows, table["session"], "session"), "session",
                        required=True)  # fmt: skip
    rows.fail(session < 1, lambda i: f"session must be 1 or more, got {session[i]}")
    ideal = _csv_numbers(rows, table["IdealPointAll"], "IdealPointAll")
    rows.fail(~np.isfinite(ideal), lambda i: "IdealPointAll is missing or not finite")
    quantiles: dict[int, np.ndarray] = {}
    for q in QUANTILES:
        name = _quantile_column(table.columns, q)
        if name is None:
            quantiles[q] = np.full(n, np.nan)
            continue
        values = _csv_numbers(rows, table[name], name)
        needed = q in (5, 95)
        bad = ~np.isfinite(values) if needed else np.isinf(values)
        rows.fail(bad, _always(f"{name} is missing or not finite"))
        quantiles[q] = values
    order = quantiles[5] > quantiles[95]
    rows.fail(order, lambda i: f"Q5%All {quantiles[5][i]:g} is above Q95%All "
              f"{quantiles[95][i]:g}")  # fmt: skip
    with np.errstate(invalid="ignore"):
        outside = (ideal < quantiles[0]) | (ideal > quantiles[100])
    rows.fail(outside, lambda i: f"IdealPointAll {ideal[i]:g} lies outside its own "
              f"quantiles [{quantiles[0][i]:g}, {quantiles[100][i]:g}]")  # fmt: skip
    iso3 = table["iso3c"].str.strip().str.upper()
    rows.fail(iso3.isin(["", "NA"]).to_numpy(), lambda i: "iso3c is empty")
    letters = iso3.str.fullmatch(r"[A-Z]{3}", na=False).to_numpy(dtype=bool)
    rows.fail(~letters, lambda i: f"iso3c must be three letters, got {table['iso3c'].iat[i]!r}")
    votes = (
        _csv_numbers(rows, table["NVotesAll"], "NVotesAll")
        if "NVotesAll" in table.columns else np.full(n, np.nan)
    )  # fmt: skip
    n_votes = _integers(rows, votes, "NVotesAll", required=False)

    keep = rows.good(n)
    first: dict[tuple[int, int], int] = {}
    twice = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(keep).tolist():
        twice[i] = first.setdefault((int(ccode[i]), int(session[i])), i) != i
    rows.fail(twice, lambda i: (
        f"a second row for COW code {ccode[i]} in session {session[i]} "
        f"(the first is line {lines[first[(int(ccode[i]), int(session[i]))]]})"))  # fmt: skip
    keep = rows.good(n)

    names = table["Countryname"] if "Countryname" in table.columns else pd.Series([""] * n)
    out = pd.DataFrame(
        {
            "country": iso3.to_numpy(dtype=object),
            "ccode": ccode,
            "session": session,
            "year": session + FIRST_SESSION_YEAR,
            "n_votes": n_votes,
            "ideal_point": ideal,
            **{f"q{q}": quantiles[q] for q in QUANTILES},
            "name": names.str.strip().to_numpy(dtype=object),
        }
    )[keep]
    out = out.sort_values(["country", "session", "ccode"], kind="stable").reset_index(drop=True)
    return out.astype({"country": "str", "name": "str"})


def _always(message: str) -> Callable[[int], str]:
    """The same message for every row."""
    return lambda _row: message
