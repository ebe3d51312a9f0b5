"""UN General Assembly roll-call votes, read into one tidy table.

Three releases of Erik Voeten's UNGA voting data are read:

* :func:`read_unvotes_csv` -- the CSV form of the ``unvotes`` R package tables
  (``rcid, country, country_code, vote``, ISO alpha-2 codes, votes spelled
  ``yes``/``abstain``/``no``), with session and date taken from the file itself or
  from a roll-call table (:func:`read_roll_calls`). Voeten-style CSVs (``ccode``
  with Correlates of War codes, votes coded 1/2/3/8/9) are read too.
* :func:`read_unvotes_rda` -- the ``unvotes`` package's own ``un_votes.rda`` and
  ``un_roll_calls.rda``.
* :func:`read_voeten_rdata` -- Voeten's raw ``UNVotesPublished.RData`` (object
  ``x``, one row per member state and roll call, COW codes, votes coded
  1 yes, 2 abstain, 3 no, 8 absent, 9 not a member).

Every reader returns the same columns:

``rcid`` (int64)
    Roll-call id of the release.
``session`` (Int64)
    General Assembly session (session 1 opened in 1946; session ``s`` mostly
    falls in year ``1945 + s``). Missing when no roll-call table says.
``date`` (datetime64)
    Day of the vote; NaT when the release has none.
``country`` (str)
    ISO 3166 alpha-3 code. Predecessor states take their successor's code
    (Soviet Union -> RUS, Yugoslavia -> SRB, Czechoslovakia -> CZE, Federal
    Republic of Germany -> DEU, Yemen Arab Republic -> YEM); the German
    Democratic Republic keeps its withdrawn code DDR and South Yemen YMD.
    Zanzibar, a member for a few months in 1963-64, has no code and its two
    recorded votes are dropped. The table is ``equipoise/data/countries_cow_iso.csv``
    (see :func:`country_codes`).
``vote`` (category)
    ``yes``, ``abstain`` or ``no``; also ``absent`` when ``keep_absent=True``.
    Rows of non-members are always dropped, absences by default (the
    ``unvotes`` tables have no absences to begin with).
``amend``, ``para`` (boolean)
    The release's flags for a vote on an amendment and for a separate vote on
    a paragraph; ``<NA>`` where the release does not say (always so for the
    raw 2016 release). :mod:`equipoise.analysis.unvotes` needs them to
    reproduce published agreement scores.

A country votes at most once per roll call; a table that says otherwise is an
error. Errors are :class:`~equipoise.sources.errors.SourceError` naming the file,
and the CSV line or the data-frame row where there is one.

The R files are read by pyreadr (no R needed); a file pyreadr cannot read is a
SourceError naming it, and one that is not R data at all says so (see
``docs/unvotes.md`` for time and memory).
"""

from __future__ import annotations

import bz2
import datetime as dt
import functools
import gzip
import io
import lzma
import warnings
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from equipoise.sources.csvrecords import csv_records
from equipoise.sources.errors import SourceError
from equipoise.sources.files import open_regular
from equipoise.sources.limits import DateRange

__all__ = [
    "COLUMNS",
    "VOTES",
    "country_codes",
    "read_roll_call_issues",
    "read_roll_calls",
    "read_unvotes_csv",
    "read_unvotes_rda",
    "read_voeten_rdata",
]

VOTES: tuple[str, ...] = ("yes", "abstain", "no")
"""The votes that count, in the order of the usual 1-2-3 scale."""

ABSENT = "absent"

COLUMNS: list[str] = ["rcid", "session", "date", "country", "vote", "amend", "para"]

# Vote labels are carried as small integers until the table is built:
# 0 yes, 1 abstain, 2 no, 3 absent, -1 not a member (always dropped).
_ABSENT_CODE = 3
_NOT_MEMBER = -1
_VOETEN_CODES = {1: 0, 2: 1, 3: 2, 8: _ABSENT_CODE, 9: _NOT_MEMBER}
_VOTE_WORDS = {
    "yes": 0,
    "abstain": 1,
    "no": 2,
    "absent": _ABSENT_CODE,
    **{str(code): label for code, label in _VOETEN_CODES.items()},
}
_MISSING_TEXT = {"", "NA", "NaN", "nan", "<NA>"}
_TRUE_TEXT = {"1", "1.0", "TRUE", "True", "true"}
_FALSE_TEXT = {"0", "0.0", "FALSE", "False", "false"}


# -- country codes -------------------------------------------------------------


@functools.cache
def _country_table() -> pd.DataFrame:
    path = resources.files("equipoise").joinpath("data", "countries_cow_iso.csv")
    with path.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[])
    table["cow"] = table["cow"].astype(int)
    return table


def country_codes() -> pd.DataFrame:
    """The code table: ``cow``, ``iso3``, ``iso2``, ``name``, one row per code pair.

    A Correlates of War code appears on more than one row when the state had
    more than one ISO alpha-2 code over time (345 is ``YU`` Yugoslavia and
    ``RS`` Serbia; 365 is ``SU`` Soviet Union and ``RU`` Russia). ``iso3`` is
    empty for Zanzibar, whose votes are dropped.
    """
    return _country_table().copy()


@functools.cache
def _code_maps() -> tuple[dict[int, str], dict[str, str], dict[str, str]]:
    """COW -> ISO3, ISO2 -> ISO3, and name or ISO3 -> ISO3."""
    table = _country_table()
    by_cow: dict[int, str] = {}
    by_iso2: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for cow, iso3, iso2, name in table[["cow", "iso3", "iso2", "name"]].itertuples(index=False):
        for mapping, key in ((by_cow, cow), (by_iso2, iso2), (by_name, name)):
            if key == "":
                continue
            if mapping.setdefault(key, iso3) != iso3:
                raise ValueError(f"countries_cow_iso.csv: {key!r} maps to two ISO3 codes")
        if iso3:
            by_name.setdefault(iso3, iso3)
    return by_cow, by_iso2, by_name


# -- R files: read by pyreadr, columns turned into numbers, text and dates -------------

_R_MAGIC = (b"RDX2\n", b"RDX3\n", b"X\n")  # .RData/.rda (format 2 or 3), .rds
_COMPRESSED = (
    (b"\x1f\x8b", lambda fh: gzip.GzipFile(fileobj=fh)),
    (b"BZh", bz2.BZ2File),
    (b"\xfd7zXZ\x00", lzma.LZMAFile),
)


# What a damaged file can provoke in the conversion to data frames; pyreadr's own errors
# are added where it is imported.
_CONVERSION_ERRORS = (OSError, EOFError, ValueError, OverflowError, IndexError, KeyError,
                      TypeError)

# pyreadr is licensed AGPL-3.0-or-later, so it is an optional extra of this MIT package
# rather than a requirement: only the R files of the UN vote releases need it.
_NO_PYREADR = ("reading R data files needs the optional package pyreadr (AGPL-3.0): "
               "pip install 'equipoise[rdata]', or use the release's CSV files")


def _pyreadr():
    try:
        import pyreadr
        from pyreadr.custom_errors import LibrdataError, PyreadrError
    except ImportError:
        return None, ()
    return pyreadr, (LibrdataError, PyreadrError)


class _Unreadable(Exception):
    """A column that cannot be read as asked; turned into a SourceError naming the file."""


def _r_header(fh: BinaryIO) -> bytes:
    """The first bytes of the serialized data, decompressed if the file is compressed."""
    magic = fh.read(6)
    fh.seek(0)
    for prefix, opener in _COMPRESSED:
        if magic.startswith(prefix):
            with opener(fh) as inner:
                head = inner.read(5)
            break
    else:
        head = fh.read(5)
    fh.seek(0)
    return head


def _read_r_objects(path: Path) -> dict[str, pd.DataFrame]:
    """Every object pyreadr can read in an ``.RData``/``.rda`` file (or the one in an
    ``.rds``), by name, as a data frame.

    pyreadr reports every damaged file alike; the header is checked here first so that
    a file that is not R data at all says so.
    """
    with open_regular(path) as fh:
        try:
            head = _r_header(fh)
        except (OSError, EOFError, lzma.LZMAError) as exc:
            raise SourceError(path, f"not an R data file ({_reason(exc)})") from None
        if not head.startswith(_R_MAGIC):
            raise SourceError(path, "not an R data file in XDR format")
        reader, reader_errors = _pyreadr()
        if reader is None:
            raise SourceError(path, _NO_PYREADR)
        try:
            try:
                objects = _pyreadr_read(reader, fh)
            except UnicodeDecodeError:
                # Strings without an encoding mark, written in a locale that was not UTF-8.
                fh.seek(0)
                objects = _pyreadr_read(reader, fh, encoding="latin1")
        except (*reader_errors, *_CONVERSION_ERRORS) as exc:
            raise SourceError(path, f"truncated or damaged R data file ({_reason(exc)})") from None
    if head.startswith(b"X\n"):  # an .rds holds one unnamed object
        return {path.stem: frame for frame in list(objects.values())[:1]}  # noqa: B035
    return {name or f"object{i}": frame for i, (name, frame) in enumerate(objects.items(), 1)}


def _pyreadr_read(reader: Any, fh: BinaryIO, encoding: str | None = None
                  ) -> dict[str | None, pd.DataFrame]:
    with warnings.catch_warnings():
        # A file of lists or functions only: the caller says that no data frame fits.
        warnings.filterwarnings("ignore", message="the file has no readable objects")
        return dict(reader.read_r(fh, encoding=encoding))


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _pick_frame(
    path: Path, needed: set[str], wanted: set[str] | None = None
) -> dict[str, pd.Series]:
    """The first data frame with the ``needed`` columns; only ``wanted`` ones if given."""
    frames = _read_r_objects(path)
    for frame in frames.values():
        columns = {str(name): frame[name].reset_index(drop=True) for name in frame.columns}
        if needed <= columns.keys():
            if wanted is None:
                return columns
            return {name: col for name, col in columns.items() if name in needed | wanted}
    found = "; ".join(
        f"{name}: {', '.join(map(str, frame.columns))}" for name, frame in frames.items()
    ) or "none"
    raise SourceError(
        path, f"no data frame with columns {', '.join(sorted(needed))} (data frames: {found})"
    )


def _r_kind(column: pd.Series) -> str:
    """What an R column read by pyreadr holds: number, text, factor or date.

    pyreadr gives integer and logical vectors with NAs as Python objects (NA as NaN),
    ``Date`` as ``datetime.date`` objects, ``POSIXct`` as datetime64, factors as
    categories and character vectors as strings.
    """
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "factor"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return "number"
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return "text"
    inferred = pd.api.types.infer_dtype(column, skipna=True)
    if inferred in ("integer", "floating", "mixed-integer-float", "boolean", "decimal"):
        return "number"
    if inferred in ("date", "datetime", "datetime64"):
        return "date"
    if inferred == "empty":
        return "number"
    return "text"


def _r_numbers(column: pd.Series) -> np.ndarray:
    """A numeric, logical, text or factor column as float64 with NaN for NA."""
    kind = _r_kind(column)
    if kind == "date":
        raise _Unreadable(f"expected numbers, found dates in column {column.name!r}")
    if kind == "factor":
        column = column.astype(object)
    values = column if kind == "number" else column.astype(object).where(column.notna(), None)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _r_text(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """A character, factor or numeric column as (codes, levels), code -1 for NA."""
    kind = _r_kind(column)
    if kind == "factor":
        return (
            column.cat.codes.to_numpy(dtype=np.int32),
            [str(level) for level in column.cat.categories],
        )
    if kind == "number":
        codes, uniques = pd.factorize(pd.Series(_r_numbers(column)))
        return codes.astype(np.int32), [_number_text(u) for u in uniques]
    codes, uniques = pd.factorize(column)
    return codes.astype(np.int32), [str(u) for u in uniques]


def _number_text(value: float) -> str:
    whole = float(value).is_integer() and abs(value) < 1e15
    return str(int(value)) if whole else str(value)


def _r_dates(column: pd.Series) -> tuple[np.ndarray, list[str]] | np.ndarray:
    """Dates: datetime64 for an R ``Date``/``POSIXct`` column (a ``POSIXct`` time cut to
    its UTC day), else (codes, texts) to be parsed."""
    if _r_kind(column) != "date":
        return _r_text(column)
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        utc = column.dt.tz_convert(None) if column.dt.tz is not None else column
        return utc.to_numpy().astype("datetime64[D]")
    days = [value if isinstance(value, dt.date) else None for value in column]
    return np.array(days, dtype="datetime64[D]")


def _take(values: np.ndarray, codes: np.ndarray, missing: Any) -> np.ndarray:
    """``values[codes]`` with ``missing`` where a code is -1."""
    padded = np.append(values, np.array([missing], dtype=values.dtype))
    return padded[np.where(codes < 0, len(values), codes)]


# -- shared checks ----------------------------------------------------------------


Where = Callable[[int], tuple[str, int | None]]
"""Row index -> (prefix for the message, line for SourceError)."""


def _frame_where(index: int) -> tuple[str, int | None]:
    return f"row {index + 1}: ", None


class _Rows:
    """Where each row of a table is, and what a bad row does.

    Without ``errors`` the first bad row raises its SourceError; with a list, every
    bad row gets a SourceError in it and is left out of the table.
    """

    def __init__(self, path: Path, where: Where, errors: list[SourceError] | None = None):
        self.path = path
        self.where = where
        self.errors = errors
        self.bad: set[int] = set()

    def error(self, index: int, message: str) -> SourceError:
        prefix, line = self.where(int(index))
        return SourceError(self.path, prefix + message, line)

    def fail(self, bad: np.ndarray, message: Callable[[int], str]) -> None:
        """Report the rows the boolean mask ``bad`` marks, each with ``message(row)``."""
        indices = [i for i in np.flatnonzero(bad).tolist() if i not in self.bad]
        if not indices:
            return
        if self.errors is None:
            raise self.error(indices[0], message(indices[0]))
        for index in indices:
            self.errors.append(self.error(index, message(index)))
            self.bad.add(index)

    def good(self, n: int) -> np.ndarray:
        """A mask of the ``n`` rows that no check has failed."""
        mask = np.ones(n, dtype=bool)
        mask[list(self.bad)] = False
        return mask


_WHOLE_LIMIT = 2.0**53  # beyond this a float64 no longer holds every whole number


def _integers(rows: _Rows, values: np.ndarray, what: str, *, required: bool):
    """float64 values -> int64 (required) or Int64 (missing allowed); finite whole numbers only."""
    missing = np.isnan(values)
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(values) & (np.abs(values) < _WHOLE_LIMIT)
        whole &= values == np.round(values)
    bad = ~missing & ~whole
    if required:
        bad |= missing
    rows.fail(bad, lambda i: f"{what} must be a whole number, got "
              + ("missing" if missing[i] else repr(_number_text(values[i]))))  # fmt: skip
    safe = np.where(bad | missing, 0, values).astype(np.int64)
    if required:
        return safe
    return pd.arrays.IntegerArray(safe, missing | bad)


def _dates_from_text(
    rows: _Rows, codes: np.ndarray, texts: Sequence[str | None], dates: DateRange
) -> np.ndarray:
    """Parse dictionary-encoded date strings: ISO ``YYYY-MM-DD`` or Voeten's ``M/D/YYYY``."""
    series = pd.Series([None if t is None else t.strip() for t in texts], dtype=object)
    series[series.isin(_MISSING_TEXT)] = None
    iso = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    mdy = pd.to_datetime(series, format="%m/%d/%Y", errors="coerce")
    parsed = iso.fillna(mdy)
    bad_levels = np.flatnonzero(series.notna().to_numpy() & parsed.isna().to_numpy())
    rows.fail(
        np.isin(codes, bad_levels),
        lambda i: f"unparseable date {texts[codes[i]]!r} (use YYYY-MM-DD)",
    )
    # Microseconds hold years 1 to 9999; nanoseconds only 1677 to 2262, and a year
    # outside would silently wrap round to another date.
    values = _take(parsed.to_numpy(dtype="datetime64[us]"), codes, np.datetime64("NaT"))
    return _check_dates(rows, values, dates)


def _check_dates(rows: _Rows, values: np.ndarray, dates: DateRange) -> np.ndarray:
    """``values`` (datetime64 of any unit) as datetime64[ns], with dates outside
    ``dates`` failed and made NaT."""
    values = values.astype("datetime64[us]")
    first = np.datetime64(dates.earliest, "us")
    last = np.datetime64(dates.last, "us")
    outside = (values < first) | (values > last)
    rows.fail(outside, lambda i: f"date {str(values[i])[:10]} is outside the accepted range "
              f"{dates.earliest} to {dates.last}")  # fmt: skip
    values[outside] = np.datetime64("NaT")
    return values.astype("datetime64[ns]")


def _flags(rows: _Rows, values: np.ndarray, what: str) -> pd.arrays.BooleanArray:
    """0/1 numbers (NaN for missing) -> nullable boolean."""
    missing = np.isnan(values)
    bad = ~missing & ~np.isin(values, (0.0, 1.0))
    rows.fail(bad, lambda i: f"{what} must be 0 or 1, got {values[i]!r}")
    return pd.arrays.BooleanArray(np.where(missing | bad, 0, values).astype(bool), missing | bad)


def _countries_from_codes(
    rows: _Rows,
    codes: np.ndarray,
    levels: list[Any],
    mapping: dict[Any, str],
    what: str,
    names: tuple[np.ndarray, list[str]] | None = None,
) -> np.ndarray:
    """Map dictionary-encoded country codes to ISO3 (object array; "" means drop).

    A missing code falls back on the country name when there is one. R writes a
    missing code as ``NA``, which is also Namibia's alpha-2 code: ``NA`` is
    Namibia unless the name on the same row says otherwise.
    """
    by_name = _code_maps()[2]
    mapped = np.array([mapping.get(level) for level in levels] + [None], dtype=object)
    out = mapped[np.where(codes < 0, len(levels), codes)]
    if names is not None:
        name_codes, name_levels = names
        by_row_name = np.array(
            [by_name.get(n.strip()) for n in name_levels] + [None], dtype=object
        )[np.where(name_codes < 0, len(name_levels), name_codes)]
        named = pd.notna(by_row_name)
        unclear = codes < 0
        if "NA" in levels:
            unclear |= (codes == levels.index("NA")) & named & (by_row_name != "NAM")
        out = np.where(unclear & named, by_row_name, out)
    unknown = pd.isna(out)

    def message(index: int) -> str:
        code = codes[index]
        shown = "missing" if code < 0 else repr(levels[code])
        if names is not None and names[0][index] >= 0:
            shown += f" ({names[1][names[0][index]]})"
        return f"unknown {what} {shown}"

    rows.fail(unknown, message)
    out[unknown] = ""
    return out


def _assemble(
    rows: _Rows,
    *,
    rcid: np.ndarray,
    session: Any,
    date: np.ndarray,
    country: np.ndarray,
    vote: np.ndarray,
    amend: Any,
    para: Any,
    keep_absent: bool,
) -> pd.DataFrame:
    """Drop what is not a vote, check one vote per country and roll call, build the table.

    Of two votes of one country on one roll call, the first stays and the second fails.
    """
    keep = (vote >= 0) & (country != "") & rows.good(len(vote))
    if not keep_absent:
        keep &= vote != _ABSENT_CODE
    kept = np.flatnonzero(keep)
    iso_codes, iso_levels = pd.factorize(pd.Series(country[kept], dtype=object))
    key = rcid[kept].astype(np.int64) * (len(iso_levels) + 1) + iso_codes
    duplicated = pd.Series(key).duplicated().to_numpy()
    if duplicated.any():
        twice = np.zeros(len(vote), dtype=bool)
        twice[kept[duplicated]] = True
        rows.fail(twice, lambda i: f"{country[i]} votes twice on roll call {rcid[i]}")
        kept, iso_codes = kept[~duplicated], iso_codes[~duplicated]
    categories = [*VOTES, ABSENT] if keep_absent else list(VOTES)
    frame = pd.DataFrame(
        {
            "rcid": rcid[kept].astype(np.int64),
            "session": pd.array(session, dtype="Int64")[kept],
            "date": pd.Series(date[kept]).astype("datetime64[ns]"),
            "country": pd.Series(np.asarray(iso_levels, dtype=object)[iso_codes], dtype="str"),
            "vote": pd.Categorical.from_codes(vote[kept], categories=categories),
            "amend": pd.array(amend, dtype="boolean")[kept],
            "para": pd.array(para, dtype="boolean")[kept],
        }
    )
    return frame


def _no_flags(n: int) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))


# -- roll calls --------------------------------------------------------------------


def read_roll_calls(path: str | Path, *, dates: DateRange | None = None) -> pd.DataFrame:
    """A roll-call table (``un_roll_calls`` as ``.rda`` or CSV), one row per roll call.

    ``rcid`` (int64), ``session`` (Int64), ``date`` (datetime64), ``amend`` and
    ``para`` (boolean) are normalised; any other columns (``unres``, ``short``,
    ``importantvote``...) are passed through as read. Only ``rcid`` is required.
    Dates must lie within ``dates`` (by default 1800 to a year from today).
    """
    path = Path(path)
    dates = dates if dates is not None else DateRange()
    known = ("rcid", "session", "date", "amend", "para")
    if _is_r_file(path):
        columns = _pick_frame(path, {"rcid"})
        rows = _Rows(path, _frame_where)
        try:
            numbers = {
                name: _r_numbers(columns[name]) for name in known if name in columns and
                name != "date"
            }
            date_column = _r_dates(columns["date"]) if "date" in columns else None
            others = {name: _r_column(col) for name, col in columns.items() if name not in known}
        except _Unreadable as exc:
            raise SourceError(path, str(exc)) from None
    else:
        table, lines = _read_csv_text(path, required=("rcid",), errors=None)
        rows = _Rows(path, lambda i: ("", int(lines[i])))
        numbers = {
            name: _csv_numbers(rows, table[name], name)
            for name in known
            if name in table and name != "date"
        }
        date_column = None
        if "date" in table:
            codes, levels = pd.factorize(table["date"])
            date_column = (codes.astype(np.int32), list(levels))
        others = {name: table[name].to_numpy() for name in table.columns if name not in known}

    n = len(numbers["rcid"])
    out = pd.DataFrame({"rcid": _integers(rows, numbers["rcid"], "rcid", required=True)})
    session = numbers.get("session", np.full(n, np.nan))
    out["session"] = _integers(rows, session, "session", required=False)
    if date_column is None:
        out["date"] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    elif isinstance(date_column, tuple):
        out["date"] = _dates_from_text(rows, *date_column, dates)
    else:
        out["date"] = _check_dates(rows, date_column, dates)
    for name in ("amend", "para"):
        out[name] = _flags(rows, numbers.get(name, np.full(n, np.nan)), name)
    for name, values in others.items():
        out[name] = values
    duplicated = out["rcid"].duplicated().to_numpy()
    rows.fail(duplicated, lambda i: f"roll call {out['rcid'].iat[i]} is listed twice")
    return out


def read_roll_call_issues(path: str | Path) -> pd.DataFrame:
    """Which issues each roll call is about: ``rcid`` (int64) and ``issue`` (a code of
    :data:`~equipoise.reference.unissues.UN_ISSUES`), one row per roll call and issue.

    Read from the ``unvotes`` package's ``un_roll_call_issues`` (``.rda`` or CSV with
    ``rcid`` and ``short_name``), or from a table with Voeten's 0/1 flag columns ``me``,
    ``nu``, ``di``, ``hr``, ``co``, ``ec`` (his raw ``.RData`` release, where each
    roll call's flags repeat on every country's row, or a roll-call CSV carrying them).
    """
    from equipoise.reference.unissues import UN_ISSUES

    path = Path(path)
    flags = set(UN_ISSUES)
    if _is_r_file(path):
        columns = _pick_frame(path, {"rcid"}, {"short_name", *flags})
        rows = _Rows(path, _frame_where)
        try:
            rcid = _r_numbers(columns["rcid"])
            names = _r_text(columns["short_name"]) if "short_name" in columns else None
            marks = {code: _r_numbers(columns[code]) for code in flags if code in columns}
        except _Unreadable as exc:
            raise SourceError(path, str(exc)) from None
    else:
        table, lines = _read_csv_text(path, required=("rcid",), errors=None)
        rows = _Rows(path, lambda i: ("", int(lines[i])))
        rcid = _csv_numbers(rows, table["rcid"], "rcid")
        names = None
        if "short_name" in table:
            codes, levels = pd.factorize(table["short_name"].str.strip())
            names = (codes.astype(np.int32), [str(level) for level in levels])
        marks = {code: _csv_numbers(rows, table[code], code) for code in flags if code in table}
    rcid = _integers(rows, rcid, "rcid", required=True)
    pairs: list[pd.DataFrame] = []
    if names is not None:
        codes, levels = names
        lowered = [level.strip().lower() for level in levels]
        known = np.array([level in UN_ISSUES for level in lowered] + [False])
        bad = ~known[np.where(codes < 0, len(levels), codes)]
        rows.fail(bad, lambda i: "unknown issue " + (
            "missing" if codes[i] < 0 else repr(levels[codes[i]]))
            + f" (the issues are {', '.join(UN_ISSUES)})")
        issue = np.array([*lowered, ""], dtype=object)[np.where(codes < 0, len(levels), codes)]
        pairs.append(pd.DataFrame({"rcid": rcid[~bad], "issue": issue[~bad]}))
    elif marks:
        for code, values in marks.items():
            rows.fail(~np.isnan(values) & ~np.isin(values, (0.0, 1.0)),
                      _not_a_flag(code, values))
            pairs.append(pd.DataFrame({"rcid": rcid[values == 1], "issue": code}))
    else:
        raise SourceError(path, "no issue columns: expected short_name (un_roll_call_issues) "
                          f"or the flags {', '.join(UN_ISSUES)} (Voeten's release)")
    out = pd.concat(pairs, ignore_index=True).drop_duplicates(ignore_index=True)
    return out.astype({"rcid": np.int64, "issue": "str"})


def _not_a_flag(name: str, values: np.ndarray) -> Callable[[int], str]:
    return lambda i: f"{name} must be 0 or 1, got {_number_text(values[i])}"


def _r_column(column: pd.Series) -> Any:
    """Any other data-frame column, for passing through: text, category, numbers, dates."""
    kind = _r_kind(column)
    if kind == "factor":
        codes, levels = _r_text(column)
        return pd.Categorical.from_codes(codes, categories=levels)
    if kind == "number":
        return _r_numbers(column)
    if kind == "date":
        return _r_dates(column)
    return [None if pd.isna(value) else str(value) for value in column]


def _is_r_file(path: Path) -> bool:
    return path.suffix.lower() in {".rda", ".rdata", ".rds"}


# -- CSV ----------------------------------------------------------------------------

MAX_CSV_LINE = 1 << 20
"""Longest CSV line read; a longer one is an error."""


def _read_csv_text(
    path: Path, required: tuple[str, ...], errors: list[SourceError] | None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Every cell as text, nothing read as missing (``NA`` is Namibia's code), and the
    line each row starts on.

    A row that cannot be read (an unclosed quote, the wrong number of cells, a NUL
    byte) raises, or with ``errors`` is recorded there and left out; an unclosed quote
    costs only its own line, reading starts again on the next.
    """

    def on_error(error: SourceError) -> None:
        if errors is None:
            raise error
        errors.append(error)

    header: list[str] | None = None
    records: list[list[str]] = []
    lines: list[int] = []
    if not path.exists():
        raise SourceError(path, "no such file")
    with open_regular(path) as fh:
        stream = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
        try:
            for number, cells in csv_records(stream, str(path), on_error,
                                             line_limit=MAX_CSV_LINE):  # fmt: skip
                if header is None:
                    header = _column_names(cells)
                elif len(cells) != len(header):
                    on_error(SourceError(
                        path, f"expected {len(header)} columns, found {len(cells)}", number
                    ))
                else:
                    records.append(cells)
                    lines.append(number)
        except OSError as exc:
            raise SourceError(path, exc.strerror or str(exc)) from None
    if header is None:
        raise SourceError(path, "empty file")
    missing = [name for name in required if name not in header]
    if missing:
        raise SourceError(
            path, f"missing column(s) {', '.join(missing)} (found: {', '.join(header)})", 1
        )
    table = pd.DataFrame(records, columns=header, dtype="str")
    return table, np.asarray(lines, dtype=np.int64)


def _column_names(cells: list[str]) -> list[str]:
    """Header cells stripped, a repeated name given a suffix as pandas does (``x.1``)."""
    names: list[str] = []
    for cell in cells:
        name = cell.strip().lstrip("\ufeff").strip()
        base, k = name, 0
        while name in names:
            k += 1
            name = f"{base}.{k}"
        names.append(name)
    return names


def _csv_numbers(rows: _Rows, column: pd.Series, what: str) -> np.ndarray:
    """Text cells -> float64; empty or ``NA`` is missing, ``TRUE``/``FALSE`` are 1/0."""
    text = column.str.strip()
    missing = text.isin(_MISSING_TEXT).to_numpy()
    text = text.where(~text.isin(_TRUE_TEXT), "1").where(~text.isin(_FALSE_TEXT), "0")
    numbers = pd.to_numeric(text.where(~missing, None), errors="coerce").to_numpy(np.float64)
    bad = np.isnan(numbers) & ~missing
    rows.fail(bad, lambda i: f"{what} must be a number, got {column.iat[i]!r}")
    return numbers


def _csv_votes(rows: _Rows, column: pd.Series) -> np.ndarray:
    codes, levels = pd.factorize(column.str.strip().str.lower())
    mapped = np.array([_VOTE_WORDS.get(level, -9) for level in levels] + [-9])
    votes = mapped[np.where(codes < 0, len(levels), codes)]
    bad = votes == -9
    rows.fail(bad, lambda i: f"unknown vote {column.iat[i]!r} (expected yes, abstain, no, "
              "absent or a code 1, 2, 3, 8, 9)")  # fmt: skip
    return np.where(bad, _NOT_MEMBER, votes).astype(np.int8)


def read_unvotes_csv(
    path: str | Path,
    roll_calls: str | Path | pd.DataFrame | None = None,
    *,
    keep_absent: bool = False,
    errors: list[SourceError] | None = None,
    dates: DateRange | None = None,
) -> pd.DataFrame:
    """Votes from a CSV file, one row per country and roll call.

    Columns read: ``rcid`` and ``vote`` (``yes``/``abstain``/``no``/``absent`` in
    any case, or Voeten's codes 1/2/3/8/9); the country from ``country_code``
    (ISO alpha-2), else ``ccode`` (Correlates of War), else ``country`` (a name
    as the ``unvotes`` package spells it, or an ISO alpha-3 code, so a table
    this module wrote reads back). A missing ``country_code`` falls back on
    ``country``. ``session``, ``date``, ``amend`` and ``para`` come from the file
    when it has them, else from ``roll_calls`` (a path to a roll-call CSV or
    ``.rda``, or a table from :func:`read_roll_calls`), else they are missing.
    Dates must lie within ``dates`` (by default 1800 to a year from today).

    A row that cannot be read raises SourceError naming its line; with ``errors``
    (a list), each such row's SourceError is appended there instead, the row is left
    out and the others are read. Problems with the whole file always raise.
    """
    path = Path(path)
    dates = dates if dates is not None else DateRange()
    table, lines = _read_csv_text(path, required=("rcid", "vote"), errors=errors)
    code_column = next((c for c in ("country_code", "ccode", "country") if c in table), None)
    if code_column is None:
        raise SourceError(
            path, "missing column country_code, ccode or country "
            f"(found: {', '.join(table.columns)})", 1
        )
    n = len(table)
    if not n:
        return _empty(keep_absent)
    rows = _Rows(path, lambda i: ("", int(lines[i])), errors)
    rcid = _integers(rows, _csv_numbers(rows, table["rcid"], "rcid"), "rcid", required=True)
    vote = _csv_votes(rows, table["vote"])

    by_cow, by_iso2, by_name = _code_maps()
    codes, levels = pd.factorize(table[code_column].str.strip())
    codes = codes.astype(np.int32)
    levels = list(levels)
    if "" in levels:  # an empty cell is a missing code
        empty = levels.index("")
        codes = np.where(codes == empty, -1, codes - (codes > empty)).astype(np.int32)
        levels.pop(empty)
    names = None
    if code_column != "country" and "country" in table:
        name_codes, name_levels = pd.factorize(table["country"])
        names = (name_codes.astype(np.int32), list(name_levels))
    if code_column == "country_code":
        country = _countries_from_codes(rows, codes, levels, by_iso2, "ISO alpha-2 code", names)
    elif code_column == "ccode":
        cow = pd.to_numeric(pd.Series(levels, dtype=object), errors="coerce")
        cow_levels = [
            int(c) if np.isfinite(c) and float(c).is_integer() else None for c in cow
        ]
        country = _countries_from_codes(rows, codes, cow_levels, by_cow, "COW country code", names)
    else:
        country = _countries_from_codes(rows, codes, levels, by_name, "country")

    extra = _roll_call_columns(rows, table, rcid, roll_calls, dates)
    frame = _assemble(
        rows, rcid=rcid, vote=vote, country=country, keep_absent=keep_absent, **extra
    )
    if errors is not None:
        errors.sort(key=lambda error: error.line or 0)
    return frame


def _roll_call_columns(
    rows: _Rows,
    table: pd.DataFrame,
    rcid: np.ndarray,
    roll_calls: str | Path | pd.DataFrame | None,
    dates: DateRange,
) -> dict[str, Any]:
    """session, date, amend, para for each vote row: from the votes file, else the roll calls."""
    n = len(table)
    out: dict[str, Any] = {}
    if "session" in table:
        numbers = _csv_numbers(rows, table["session"], "session")
        out["session"] = _integers(rows, numbers, "session", required=False)
    if "date" in table:
        codes, levels = pd.factorize(table["date"])
        out["date"] = _dates_from_text(rows, codes.astype(np.int32), list(levels), dates)
    for name in ("amend", "para"):
        if name in table:
            out[name] = _flags(rows, _csv_numbers(rows, table[name], name), name)
    wanted = [name for name in ("session", "date", "amend", "para") if name not in out]
    if wanted and roll_calls is not None:
        if isinstance(roll_calls, pd.DataFrame):
            calls = roll_calls
        else:
            calls = read_roll_calls(roll_calls, dates=dates)
        source = "the roll-call table" if isinstance(roll_calls, pd.DataFrame) else roll_calls
        position = pd.Index(calls["rcid"]).get_indexer(rcid)
        rows.fail(position < 0, lambda i: f"roll call {rcid[i]} is not in {source}")
        for name in wanted:
            if name in calls:
                out[name] = calls[name].array.take(np.where(position < 0, -1, position),
                                                   allow_fill=True)  # fmt: skip
    out.setdefault("session", np.full(n, np.nan))
    out.setdefault("date", np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"))
    out.setdefault("amend", _no_flags(n))
    out.setdefault("para", _no_flags(n))
    return out


def _empty(keep_absent: bool) -> pd.DataFrame:
    categories = [*VOTES, ABSENT] if keep_absent else list(VOTES)
    return pd.DataFrame(
        {
            "rcid": pd.Series([], dtype=np.int64),
            "session": pd.Series([], dtype="Int64"),
            "date": pd.Series([], dtype="datetime64[ns]"),
            "country": pd.Series([], dtype="str"),
            "vote": pd.Categorical([], categories=categories),
            "amend": pd.Series([], dtype="boolean"),
            "para": pd.Series([], dtype="boolean"),
        }
    )


# -- R files -------------------------------------------------------------------------


def read_unvotes_rda(
    votes_path: str | Path,
    roll_calls_path: str | Path | None,
    *,
    keep_absent: bool = False,
) -> pd.DataFrame:
    """Votes from the ``unvotes`` R package files ``un_votes.rda`` and ``un_roll_calls.rda``.

    ``un_votes`` holds ``rcid``, ``country``, ``country_code`` (ISO alpha-2; missing
    for the Federal Republic of Germany, the Yemen Arab Republic and Zanzibar,
    which are then matched by name) and ``vote`` (a factor yes/abstain/no).
    Session, date and the amendment/paragraph flags come from the roll-call file;
    without one (``None``) they are missing.
    """
    votes_path = Path(votes_path)
    columns = _pick_frame(votes_path, {"rcid", "vote"}, {"country", "country_code", "ccode"})
    rows = _Rows(votes_path, _frame_where)
    try:
        rcid = _integers(rows, _r_numbers(columns["rcid"]), "rcid", required=True)
        vote_codes, vote_levels = _r_text(columns["vote"])
        names = _r_text(columns["country"]) if "country" in columns else None
        if "country_code" in columns:
            codes, levels = _r_text(columns["country_code"])
            country = _countries_from_codes(
                rows, codes, levels, _code_maps()[1], "ISO alpha-2 code", names
            )
        elif "ccode" in columns:
            codes, levels = _r_text(columns["ccode"])
            cow = [int(level) if level.lstrip("-").isdigit() else None for level in levels]
            country = _countries_from_codes(
                rows, codes, cow, _code_maps()[0], "COW country code", names
            )
        elif names is not None:
            country = _countries_from_codes(rows, *names, _code_maps()[2], "country")
        else:
            raise SourceError(votes_path, "no country_code, ccode or country column")
    except _Unreadable as exc:
        raise SourceError(votes_path, str(exc)) from None
    mapped = np.array(
        [_VOTE_WORDS.get(level.strip().lower(), -9) for level in vote_levels] + [-9]
    )
    vote = mapped[np.where(vote_codes < 0, len(vote_levels), vote_codes)]
    rows.fail(vote == -9, lambda i: "unknown vote " + (
        "missing" if vote_codes[i] < 0 else repr(vote_levels[vote_codes[i]])))

    n = len(rcid)
    extra: dict[str, Any] = {
        "session": np.full(n, np.nan),
        "date": np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
        "amend": _no_flags(n),
        "para": _no_flags(n),
    }
    if roll_calls_path is not None:
        calls = read_roll_calls(roll_calls_path)
        position = pd.Index(calls["rcid"]).get_indexer(rcid)
        rows.fail(position < 0, lambda i: f"roll call {rcid[i]} is not in {roll_calls_path}")
        for name in extra:
            extra[name] = calls[name].array.take(position)
    return _assemble(
        rows, rcid=rcid, vote=vote.astype(np.int8), country=country,
        keep_absent=keep_absent, **extra,
    )


def read_voeten_rdata(path: str | Path, *, keep_absent: bool = False) -> pd.DataFrame:
    """Votes from Voeten's raw release (``UNVotesPublished.RData``, object ``x``).

    Columns used: ``rcid``, ``session``, ``vote`` (1 yes, 2 abstain, 3 no,
    8 absent, 9 not a member), ``ccode`` (Correlates of War) and ``date``
    (``M/D/YYYY`` text; missing for a few roll calls, which get NaT). This
    release has no amendment or paragraph flags, so ``amend`` and ``para`` are
    all missing.
    """
    path = Path(path)
    columns = _pick_frame(path, {"rcid", "vote", "ccode"}, {"session", "date"})
    rows = _Rows(path, _frame_where)
    try:
        rcid = _integers(rows, _r_numbers(columns["rcid"]), "rcid", required=True)
        n = len(rcid)
        raw_votes = _r_numbers(columns["vote"])
        session = (
            _integers(rows, _r_numbers(columns["session"]), "session", required=False)
            if "session" in columns
            else np.full(n, np.nan)
        )
        cow_codes, cow_levels = pd.factorize(pd.Series(_r_numbers(columns["ccode"])))
        dates: Any = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        if "date" in columns:
            parsed = _r_dates(columns["date"])
            if isinstance(parsed, tuple):
                dates = _dates_from_text(rows, *parsed, DateRange())
            else:
                dates = _check_dates(rows, parsed, DateRange())
    except _Unreadable as exc:
        raise SourceError(path, str(exc)) from None

    vote = np.full(n, -9, dtype=np.int8)
    for code, label in _VOETEN_CODES.items():
        vote[raw_votes == code] = label
    rows.fail(vote == -9, lambda i: "unknown vote code " + (
        "missing" if np.isnan(raw_votes[i]) else _number_text(raw_votes[i])))

    # Non-members need no country code: look codes up only where a vote was cast.
    cast = vote != _NOT_MEMBER
    cow = [int(c) if c == c and float(c).is_integer() else None for c in cow_levels]
    codes = np.where(cast, cow_codes, -2).astype(np.int32)
    country = np.full(n, "", dtype=object)
    cast_rows = np.flatnonzero(cast)
    country[cast] = _countries_from_codes(
        _Rows(path, lambda i: _frame_where(int(cast_rows[i]))),
        codes[cast],
        cow,
        _code_maps()[0],
        "COW country code",
    )
    return _assemble(
        rows, rcid=rcid, session=session, date=dates, country=country, vote=vote,
        amend=_no_flags(n), para=_no_flags(n), keep_absent=keep_absent,
    )
