"""Which states belong to which bloc, on any date.

A pole (or the focal actor) may be a bloc such as NATO, the EU or the CSTO. Whether an
event between Armenia and Russia is an event with "the CSTO" depends on the date: this
module answers that from the membership table ``equipoise/data/blocs/memberships.csv``
(its README gives the sources and conventions).

Conventions
-----------
Spells
    One row per membership spell: ``bloc``, ``member`` (ISO3), ``joined``, ``left``
    (empty while still a member) and ``note``. A state that left and came back has two
    rows, and a suspension that shut a state out of the bloc's bodies ends a spell.
Half-open intervals
    A state is a member on day ``d`` when ``joined <= d < left``: the day it joined
    counts, the day its departure took effect does not. Georgia left the CIS on
    2009-08-18, so it is a member on 2009-08-17 and not on 2009-08-18.
The bloc itself
    An actor coded with the bloc's own code (``EU`` for pole EU) always matches, at any
    date, in :func:`is_member`, :func:`membership_mask` and :func:`expand_bloc_events`.
Event dates
    Events dated only to a month or year carry the first day of that month or year,
    and membership is judged on that day.

Every function is pure: the default table is read once and never modified.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

__all__ = [
    "EXTRA_MEMBER_CODES",
    "MEMBERSHIP_COLUMNS",
    "expand_bloc_events",
    "is_member",
    "load_memberships",
    "members",
    "membership_mask",
]

MEMBERSHIP_COLUMNS: tuple[str, ...] = ("bloc", "member", "joined", "left", "note")

# Member codes accepted although the actor gazetteer has no such state: states that no
# longer exist (former ISO 3166 codes) and a member the gazetteer does not list.
EXTRA_MEMBER_CODES: dict[str, str] = {
    "CSK": "Czechoslovakia (to 1992)",
    "DDR": "German Democratic Republic (to 1990-10-02)",
    "YUG": "Socialist Federal Republic of Yugoslavia (to 1992)",
    "YMD": "People's Democratic Republic of Yemen (to 1990-05-21)",
    "ESH": "Sahrawi Arab Democratic Republic (ISO code of Western Sahara)",
}

SIDES: tuple[str, ...] = ("source", "target")

DateLike: TypeAlias = dt.date | dt.datetime | pd.Timestamp | str

_ISO3 = re.compile(r"[A-Z]{3}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Day numbers are shifted by _OFFSET so they are positive, and a state's spells are
# keyed by state_id * _STRIDE + day, so one sorted array holds every state's spells.
_OFFSET = 1_000_000
_STRIDE = 4_000_000
_OPEN = np.iinfo(np.int64).max


# --------------------------------------------------------------------------- reading


def _package_file(*parts: str):
    return resources.files("equipoise").joinpath("data", *parts)


def _known_codes(filename: str, column: str) -> frozenset[str] | None:
    """Codes in a gazetteer file under ``data/actors``, or None when it is absent."""
    path = _package_file("actors", filename)
    if not path.is_file():
        return None
    lines = [ln for ln in path.read_text("utf-8").splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.lstrip().startswith("#")]
    return frozenset(
        row[column].strip() for row in csv.DictReader(lines) if (row.get(column) or "").strip()
    )


def _parse_date(text: str, where: str, column: str) -> dt.date:
    if not _DATE.fullmatch(text):
        raise ValueError(f"{where}: {column} {text!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{where}: {column} {text!r} is not a valid date") from None


def _read_rows(text: str, name: str) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a memberships file with their line numbers, header checked."""
    reader = csv.reader(text.splitlines())
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        line = reader.line_num
        if not cells or not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in cells]
        if header is None:
            if tuple(cells) != MEMBERSHIP_COLUMNS:
                raise ValueError(
                    f"{name}:{line}: header must be {','.join(MEMBERSHIP_COLUMNS)}, "
                    f"got {','.join(cells)}"
                )
            header = cells
            continue
        if len(cells) != len(header):
            raise ValueError(
                f"{name}:{line}: expected {len(header)} fields, got {len(cells)}"
            )
        rows.append((line, dict(zip(header, cells, strict=True))))
    if header is None:
        raise ValueError(f"{name}: empty file, no header")
    return rows


def _check_rows(rows: list[tuple[int, dict[str, str]]], name: str) -> list[dict]:
    blocs = _known_codes("blocs.csv", "code")
    states = _known_codes("countries.csv", "iso3")
    spells: list[dict] = []
    for line, row in rows:
        where = f"{name}:{line}"
        bloc, member = row["bloc"].upper(), row["member"].upper()
        if not bloc:
            raise ValueError(f"{where}: bloc is empty")
        if blocs is not None and bloc not in blocs:
            raise ValueError(f"{where}: unknown bloc {bloc!r} (not a code in actors/blocs.csv)")
        if not _ISO3.fullmatch(member):
            raise ValueError(f"{where}: member {row['member']!r} is not an ISO3 code")
        if states is not None and member not in states and member not in EXTRA_MEMBER_CODES:
            raise ValueError(
                f"{where}: unknown member {member!r} (not in actors/countries.csv "
                "nor a former state's code)"
            )
        joined = _parse_date(row["joined"], where, "joined")
        left = _parse_date(row["left"], where, "left") if row["left"] else None
        if left is not None and left <= joined:
            raise ValueError(f"{where}: left {left} is not after joined {joined}")
        spells.append(
            {"bloc": bloc, "member": member, "joined": joined, "left": left,
             "note": row["note"], "_line": line}
        )

    by_pair: dict[tuple[str, str], list[dict]] = {}
    for spell in spells:
        by_pair.setdefault((spell["bloc"], spell["member"]), []).append(spell)
    for (bloc, member), group in by_pair.items():
        group = sorted(group, key=lambda s: s["joined"])
        for before, after in zip(group, group[1:], strict=False):
            if before["left"] is None or after["joined"] < before["left"]:
                ends = "open-ended" if before["left"] is None else f"to {before['left']}"
                raise ValueError(
                    f"{name}:{after['_line']}: {member} in {bloc} from {after['joined']} "
                    f"overlaps the spell on line {before['_line']} "
                    f"(from {before['joined']}, {ends})"
                )
    return spells


def _table(spells: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(spells, columns=[*MEMBERSHIP_COLUMNS, "_line"])
    frame = frame.drop(columns="_line")
    for column in ("bloc", "member", "note"):
        frame[column] = frame[column].astype(object)
    frame["joined"] = pd.to_datetime(frame["joined"]).astype("datetime64[ns]")
    frame["left"] = pd.to_datetime(frame["left"]).astype("datetime64[ns]")
    return frame.reset_index(drop=True)


@lru_cache(maxsize=1)
def _default_table() -> pd.DataFrame:
    path = _package_file("blocs", "memberships.csv")
    spells = _check_rows(_read_rows(path.read_text("utf-8"), "memberships.csv"), "memberships.csv")
    return _table(spells)


def load_memberships(path: str | Path | None = None) -> pd.DataFrame:
    """The membership table: one row per spell, checked as it is read.

    ``path`` defaults to the bundled ``data/blocs/memberships.csv``. Returns columns
    ``bloc``, ``member``, ``joined``, ``left`` (``NaT`` while a member) and ``note``,
    dates as ``datetime64[ns]``, in file order. Blank lines and lines starting with
    ``#`` are skipped.

    Raises ValueError naming the file and line for a wrong header, a bloc code that
    is not in ``data/actors/blocs.csv``, a member that is not a known ISO3 code, a
    malformed date, ``left`` not after ``joined``, or two spells of the same state in
    the same bloc that overlap.
    """
    if path is None:
        return _default_table().copy()
    path = Path(path)
    spells = _check_rows(_read_rows(path.read_text("utf-8"), str(path)), str(path))
    return _table(spells)


# --------------------------------------------------------------------------- lookups


def _resolve(table: pd.DataFrame | None) -> pd.DataFrame:
    return _default_table() if table is None else table


def _bloc_spells(bloc: str, table: pd.DataFrame | None) -> tuple[str, pd.DataFrame]:
    if not isinstance(bloc, str) or not bloc.strip():
        raise ValueError(f"bloc must be a non-empty code, got {bloc!r}")
    code = bloc.strip().upper()
    table = _resolve(table)
    spells = table[table["bloc"] == code]
    if spells.empty:
        known = ", ".join(sorted(table["bloc"].unique()))
        raise ValueError(f"no memberships for bloc {code!r}; known blocs: {known}")
    return code, spells


def _day(on: DateLike) -> pd.Timestamp:
    when = pd.Timestamp(on)
    if pd.isna(when):
        raise ValueError(f"not a date: {on!r}")
    if when.tzinfo is not None:
        when = when.tz_localize(None)
    return when.normalize()


def members(bloc: str, on: DateLike, *, table: pd.DataFrame | None = None) -> set[str]:
    """The states that were members of ``bloc`` on the day ``on``.

    ``on`` is a date, datetime, Timestamp or ISO string. ``table`` defaults to the
    bundled memberships. Raises ValueError for a bloc with no memberships.
    """
    _, spells = _bloc_spells(bloc, table)
    day = _day(on)
    current = (spells["joined"] <= day) & (spells["left"].isna() | (day < spells["left"]))
    return set(spells.loc[current, "member"])


def is_member(state: str, bloc: str, on: DateLike, *, table: pd.DataFrame | None = None) -> bool:
    """Whether ``state`` was a member of ``bloc`` on ``on``; the bloc's own code counts."""
    code, _ = _bloc_spells(bloc, table)
    if not isinstance(state, str):
        return False
    state = state.strip().upper()
    return state == code or state in members(code, on, table=table)


# --------------------------------------------------------------------------- vectorised


def _local_day(value) -> np.datetime64:
    try:
        when = pd.Timestamp(value)
    except (ValueError, TypeError):
        return np.datetime64("NaT", "D")
    if pd.isna(when):
        return np.datetime64("NaT", "D")
    if when.tzinfo is not None:
        when = when.tz_localize(None)
    return np.datetime64(when.date(), "D")


def _day_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 as int64, and a mask of the values that are real dates.

    Accepts datetime64 columns, ``datetime.date``/``datetime`` objects and ISO strings
    (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, with or without a time). Only the distinct
    values are parsed, so a column of millions of rows over a few thousand days is cheap.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        when = values
        if getattr(when.dt, "tz", None) is not None:
            when = when.dt.tz_localize(None)
        days = when.to_numpy(dtype="datetime64[D]")
    else:
        codes, uniques = pd.factorize(values)
        distinct = pd.Series(uniques.to_numpy(dtype=object))
        try:
            when = pd.to_datetime(distinct, errors="coerce", format="mixed")
            if getattr(when.dt, "tz", None) is not None:
                when = when.dt.tz_localize(None)
            parsed = when.to_numpy(dtype="datetime64[D]")
        except (ValueError, TypeError):  # e.g. several time zones: the local date of each
            parsed = np.array([_local_day(v) for v in distinct], dtype="datetime64[D]")
        lookup = np.append(parsed, np.datetime64("NaT", "D"))
        days = lookup[codes]  # code -1 (missing) picks the trailing NaT
    valid = ~np.isnat(days)
    return days.astype(np.int64), valid


def _member_on(
    codes: pd.Series, days: np.ndarray, valid: np.ndarray, spells: pd.DataFrame
) -> np.ndarray:
    """For each (code, day), whether the code had a spell in ``spells`` covering the day.

    Spells are keyed by ``state_id * _STRIDE + joined_day`` and sorted, so the spell in
    force for an event is found with one binary search (the last spell that started on
    or before the event day); spells of one state never overlap.
    """
    states = pd.Index(pd.unique(spells["member"]))
    state_id = states.get_indexer(spells["member"])
    joined = spells["joined"].to_numpy(dtype="datetime64[D]").astype(np.int64) + _OFFSET
    left_days = spells["left"].to_numpy(dtype="datetime64[D]")
    left = np.where(np.isnat(left_days), _OPEN, left_days.astype(np.int64) + _OFFSET)
    keys = state_id.astype(np.int64) * _STRIDE + joined
    order = np.argsort(keys, kind="stable")
    keys, spell_state, left = keys[order], state_id[order], left[order]

    code_ids, distinct = pd.factorize(codes)
    event_state = np.append(states.get_indexer(distinct), -1)[code_ids]
    event_day = np.clip(days + _OFFSET, 0, _STRIDE - 1)
    usable = valid & (event_state >= 0)
    event_keys = event_state.astype(np.int64) * _STRIDE + event_day
    pos = np.searchsorted(keys, event_keys, side="right") - 1
    safe = np.clip(pos, 0, None)
    return usable & (pos >= 0) & (spell_state[safe] == event_state) & (event_day < left[safe])


def membership_mask(
    events: pd.DataFrame,
    side: str,
    bloc: str,
    date_col: str = "event_date",
    *,
    table: pd.DataFrame | None = None,
) -> pd.Series:
    """For each event, whether its ``side`` actor belonged to ``bloc`` on the event date.

    ``side`` is ``"source"`` or ``"target"``. The actor matches when its code (the
    ``source``/``target`` column) or its country (``source_country``/``target_country``)
    was a member on the date in ``date_col``, or when its code is the bloc's own code.
    Either actor column may be missing, not both. Rows without a date match only the
    bloc's own code.

    Vectorised: a binary search over the bloc's spells, no loop over rows, so millions
    of events take a second or two. Returns a boolean Series aligned with ``events``.
    """
    if side not in SIDES:
        raise ValueError(f"side must be 'source' or 'target', got {side!r}")
    code, spells = _bloc_spells(bloc, table)
    columns = [c for c in (side, f"{side}_country") if c in events.columns]
    if not columns:
        raise ValueError(f"events lack both {side!r} and {side + '_country'!r} columns")
    if date_col not in events.columns:
        raise ValueError(f"events lack the date column {date_col!r}")

    hit = np.zeros(len(events), dtype=bool)
    if side in events.columns:
        hit |= events[side].eq(code).fillna(False).to_numpy(dtype=bool)
    if len(events):
        days, valid = _day_numbers(events[date_col])
        for column in columns:
            hit |= _member_on(events[column], days, valid, spells)
    return pd.Series(hit, index=events.index, name=f"{side}_in_{code}")


def expand_bloc_events(
    events: pd.DataFrame,
    bloc: str,
    *,
    keep: Iterable[str] = (),
    date_col: str = "event_date",
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Events with each member state's actor relabelled as the bloc, so the bloc is a pole.

    Every ``source``/``target`` actor that belonged to ``bloc`` on the event date is
    recoded to the bloc code, its ``*_country`` set to missing (a bloc has no country),
    and the state it was is kept in ``source_member``/``target_member`` (missing for rows
    not relabelled). States in ``keep`` are never relabelled: pass the focal state when
    it is itself a member (Armenia facing pole CSTO). The input is not modified.

    ``align(expand_bloc_events(events, "EU", keep=["AZE"]), "AZE", ["EU", "RUS"])``
    then counts an event between Azerbaijan and France in 2020 as one with the EU.
    Do not also use a member state as a separate pole: its events now belong to the bloc.
    """
    code, _ = _bloc_spells(bloc, table)
    kept = {k.strip().upper() for k in ([keep] if isinstance(keep, str) else keep)}
    out = events.copy()
    for side in SIDES:
        if side not in out.columns and f"{side}_country" not in out.columns:
            continue
        country_col = f"{side}_country"
        state = out[country_col] if country_col in out.columns else out[side]
        if side in out.columns and country_col in out.columns:
            state = state.where(state.notna(), out[side])
        relabel = membership_mask(out, side, code, date_col, table=table).to_numpy(copy=True)
        if side in out.columns:
            relabel &= ~out[side].eq(code).fillna(False).to_numpy(dtype=bool)
        if kept:
            relabel &= ~state.isin(kept).to_numpy(dtype=bool)
            if side in out.columns:
                relabel &= ~out[side].isin(kept).to_numpy(dtype=bool)
        member_col = f"{side}_member"
        out[member_col] = pd.Series(state.where(relabel), index=out.index, dtype=object)
        if side in out.columns:
            out[side] = out[side].astype(object)
            out.loc[relabel, side] = code
        if country_col in out.columns:
            out[country_col] = out[country_col].astype(object)
            out.loc[relabel, country_col] = None
    return out
