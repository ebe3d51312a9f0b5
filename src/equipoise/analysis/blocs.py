"""Which states belong to which bloc, on any date.

A pole (or the focal actor) may be a bloc such as NATO, the EU or the CSTO. Whether an
event between Armenia and Russia is an event with "the CSTO" depends on the date: this
module answers that from the membership table ``equipoise/data/blocs/memberships.csv``
(its README gives the sources and conventions), read by
:mod:`equipoise.reference.memberships`.

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

import datetime as dt
from collections.abc import Iterable
from typing import TypeAlias

import numpy as np
import pandas as pd

from equipoise.errors import InvalidQueryError
from equipoise.reference.memberships import default_memberships
from equipoise.reference.periods import NO_DAY, day_numbers

__all__ = [
    "pole_overlaps",
    "expand_bloc_events",
    "is_member",
    "members",
    "membership_mask",
]

SIDES: tuple[str, ...] = ("source", "target")

DateLike: TypeAlias = dt.date | dt.datetime | pd.Timestamp | str

# Day numbers are shifted by _OFFSET so they are positive, and a state's spells are
# keyed by state_id * _STRIDE + day, so one sorted array holds every state's spells.
_OFFSET = 1_000_000
_STRIDE = 4_000_000
_OPEN = np.iinfo(np.int64).max


# --------------------------------------------------------------------------- lookups


def _resolve(table: pd.DataFrame | None) -> pd.DataFrame:
    return default_memberships() if table is None else table


def _bloc_spells(bloc: str, table: pd.DataFrame | None) -> tuple[str, pd.DataFrame]:
    if not isinstance(bloc, str) or not bloc.strip():
        raise InvalidQueryError(f"bloc must be a non-empty code, got {bloc!r}")
    code = bloc.strip().upper()
    table = _resolve(table)
    spells = table[table["bloc"] == code]
    if spells.empty:
        known = ", ".join(sorted(table["bloc"].unique()))
        raise InvalidQueryError(f"no memberships for bloc {code!r}; known blocs: {known}")
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


def pole_overlaps(poles: Iterable[str], start: DateLike, end: DateLike, *,
                  table: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """``(member, bloc)`` for every pole that was a member of another pole (a bloc) on
    some day from ``start`` to ``end``: its events would count for both poles."""
    table = _resolve(table)
    codes = [str(p).strip().upper() for p in poles]
    blocs = set(table["bloc"].astype(str).str.upper())
    first, last = _day(start), _day(end)
    found: list[tuple[str, str]] = []
    for bloc in (c for c in codes if c in blocs):
        _, spells = _bloc_spells(bloc, table)
        during = (spells["joined"] <= last) & (spells["left"].isna() | (spells["left"] > first))
        inside = set(spells.loc[during, "member"])
        found.extend((state, bloc) for state in codes if state != bloc and state in inside)
    return found


# --------------------------------------------------------------------------- vectorised


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
        days = day_numbers(events[date_col])
        valid = days != NO_DAY
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
