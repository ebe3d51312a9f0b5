"""Which states belonged to which bloc, and when: the membership table.

The table is ``equipoise/data/blocs/memberships.csv`` (its README gives the sources and
conventions): one row per membership spell, ``bloc``, ``member`` (ISO3), ``joined``,
``left`` (empty while still a member) and ``note``. A state that left and came back has
two rows, and a suspension that shut a state out of the bloc's bodies ends a spell. A
state is a member on day ``d`` when ``joined <= d < left``. Lookups by date are in
:mod:`equipoise.analysis.blocs`.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from functools import cache
from pathlib import Path

import pandas as pd

from equipoise.reference.countries import bloc_codes, state_codes
from equipoise.reference.data import data_file

__all__ = [
    "EXTRA_MEMBER_CODES",
    "MEMBERSHIP_COLUMNS",
    "default_memberships",
    "load_memberships",
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

_ISO3 = re.compile(r"[A-Z]{3}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    blocs = bloc_codes()
    states = state_codes()
    spells: list[dict] = []
    for line, row in rows:
        where = f"{name}:{line}"
        bloc, member = row["bloc"].upper(), row["member"].upper()
        if not bloc:
            raise ValueError(f"{where}: bloc is empty")
        if bloc not in blocs:
            raise ValueError(f"{where}: unknown bloc {bloc!r} (not a code in actors/blocs.csv)")
        if not _ISO3.fullmatch(member):
            raise ValueError(f"{where}: member {row['member']!r} is not an ISO3 code")
        if member not in states and member not in EXTRA_MEMBER_CODES:
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


@cache
def default_memberships() -> pd.DataFrame:
    """The bundled membership table, read once and shared: treat it as read-only."""
    path = data_file("blocs", "memberships.csv")
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
        return default_memberships().copy()
    path = Path(path)
    spells = _check_rows(_read_rows(path.read_text("utf-8"), str(path)), str(path))
    return _table(spells)
