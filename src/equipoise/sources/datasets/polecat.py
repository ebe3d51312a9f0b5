"""Reading POLECAT weekly event files (Dataverse ``ngecEvents*.txt``: tab-separated, header)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from equipoise.records import Actor, Event, EventDate
from equipoise.reference.plover import plover_quads, plover_to_cameo
from equipoise.sources.datasets.actors import (
    _GDELT_SECTORS,
    _SECTOR_RANK,
    _bloc,
    _state,
    icews_sector,
)
from equipoise.sources.datasets.formats import CODERS
from equipoise.sources.datasets.report import ImportReport
from equipoise.sources.datasets.rows import _cameo, _Columns, _pair, _record_id, _rows, provenance
from equipoise.sources.limits import DateRange

# Columns the reader needs; the weekly files have about 40 more (geography, story metadata).
_POLECAT_REQUIRED = (
    "Event ID", "Event Date", "Event Type", "Actor Name", "Actor Country",
    "Recipient Name", "Recipient Country",
)  # fmt: skip
_POLECAT_EMPTY = frozenset({"", "none", "nan", "na", "null"})


def read_polecat(
    path: str | Path, report: ImportReport | None = None, *, dates: DateRange | None = None
) -> Iterator[Event]:
    """Events of a POLECAT weekly file (Dataverse ``ngecEvents*.txt``: tab-separated, header).

    The PLOVER type (and mode) becomes a CAMEO code through ``data/plover_to_cameo.csv``;
    the quad class is the PLOVER type's own. Countries may be ISO3 codes or names; an actor
    with no country is a bloc when its name is one.
    """
    path = Path(path)
    report = report if report is not None else ImportReport()
    columns = _Columns()
    quads = plover_quads()

    def header(cells: list[str], number: int) -> bool:
        return columns.read(path, cells, number, _POLECAT_REQUIRED, "a POLECAT")

    def parse(cells: list[str], number: int) -> Event | None:
        cell = columns.row(cells, "tab-separated", missing=lambda v: v.lower() in _POLECAT_EMPTY)
        event_id = _record_id(cell, "Event ID")
        date = _iso_date(cell("Event Date"))
        kind = cell("Event Type").upper()
        code = plover_to_cameo(kind, cell("Event Mode"))
        entry = _cameo(code)
        source = _polecat_actor(
            cell("Actor Country"), cell("Actor Name"),
            cell("Primary Actor Sector"), cell("Actor Sectors"),
        )  # fmt: skip
        target = _polecat_actor(
            cell("Recipient Country"), cell("Recipient Name"),
            cell("Primary Recipient Sector"), cell("Recipient Sectors"),
        )  # fmt: skip
        if not _pair(report, source, target):
            return None
        assert source is not None and target is not None  # _pair has checked both
        where = provenance(cell, publisher="Source", places=("City", "Placename"),
                           admin="Province", country="Country", latitude="Latitude",
                           longitude="Longitude", notes="Headline")
        return Event(
            doc_id=f"polecat:{event_id}", start=0, end=0,
            sentence=cell("Event Text") or cell("Headline"),
            source=source, target=target, cameo=entry.code, quad=quads[kind],
            goldstein=entry.goldstein, date=EventDate(date, "day"), plover=kind,
            coder=CODERS["polecat"], dataset="polecat", provenance=where,
        )  # fmt: skip

    return _rows(path, report, parse, header, dates)


def _iso_date(value: str) -> dt.date:
    """``YYYY-MM-DD``, a time after it allowed."""
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD)") from None


def _first(values: str) -> str:
    """The first of several values separated by ``;`` (POLECAT lists co-actors so)."""
    for part in values.split(";"):
        if part.strip() and part.strip().lower() not in _POLECAT_EMPTY:
            return part.strip()
    return ""


def _polecat_actor(country: str, name: str, primary: str, sectors: str) -> Actor | None:
    name = _first(name)
    if country:
        iso = _state(_first(country))
        if iso is None:
            return None
        return Actor(iso, plover_sector(primary, sectors), iso, name)
    bloc = _bloc(name) if name else None
    return None if bloc is None else Actor(bloc, "IGO", None, name)


def plover_sector(primary: str, sectors: str = "") -> str:
    """The store's sector for POLECAT's sector fields (``GOV``, ``MIL``, "Military", ...).

    The primary sector decides when the store knows it; then the list of sectors. Codes
    are read as GDELT's (``COP`` -> GOV, ``INS`` -> REB); words as ICEWS's. An actor with
    no sector is the state itself (GOV).
    """
    for value in (primary, sectors):
        parts = [p.strip() for p in value.replace(";", ",").split(",")]
        parts = [p for p in parts if p and p.lower() not in _POLECAT_EMPTY]
        if not parts:
            continue
        known = {_GDELT_SECTORS[p.upper()] for p in parts if p.upper() in _GDELT_SECTORS}
        known.discard("IGO")
        if known:
            return min(known, key=_SECTOR_RANK.__getitem__)
        return icews_sector(",".join(parts))
    return "GOV"
