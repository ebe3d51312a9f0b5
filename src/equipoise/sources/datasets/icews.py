"""Reading ICEWS event files (the Dataverse ``.tab`` files: tab-separated, with a header)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from equipoise.records import Actor, Event, EventDate
from equipoise.sources.datasets.actors import _actor_names, _fold, _icews_country, icews_sector
from equipoise.sources.datasets.formats import CODERS
from equipoise.sources.datasets.report import ImportReport
from equipoise.sources.datasets.rows import _cameo, _Columns, _pair, _record_id, _rows, provenance
from equipoise.sources.limits import DateRange

ICEWS_COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
    "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
    "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
    "Province", "Country", "Latitude", "Longitude",
)  # fmt: skip
# Columns a file may lack; every other column of ICEWS_COLUMNS is required.
_ICEWS_OPTIONAL = {"Intensity", "Publisher", "City", "District", "Province", "Country",
                   "Latitude", "Longitude"}
_ICEWS_REQUIRED = tuple(name for name in ICEWS_COLUMNS if name not in _ICEWS_OPTIONAL)


def read_icews(
    path: str | Path, report: ImportReport | None = None, *, dates: DateRange | None = None
) -> Iterator[Event]:
    """Events of an ICEWS event file (the Dataverse ``.tab`` files: tab-separated, header).

    Countries are matched by name against the gazetteer's names and aliases, accents and
    case aside, "Moldova, Republic of" read as "Republic of Moldova"; an actor with no
    country is a bloc when its name is one (European Union, United Nations, ...).
    """
    path = Path(path)
    report = report if report is not None else ImportReport()
    columns = _Columns()

    def header(cells: list[str], number: int) -> bool:
        return columns.read(path, cells, number, _ICEWS_REQUIRED, "an ICEWS")

    def parse(cells: list[str], number: int) -> Event | None:
        cell = columns.row(cells, "tab-separated", missing=lambda v: v == "NA")
        event_id = _record_id(cell, "Event ID")
        date = _icews_date(cell("Event Date"))
        entry = _cameo(cell("CAMEO Code"))
        source = _icews_actor(cell("Source Country"), cell("Source Name"), cell("Source Sectors"))
        target = _icews_actor(cell("Target Country"), cell("Target Name"), cell("Target Sectors"))
        if not _pair(report, source, target):
            return None
        assert source is not None and target is not None  # _pair has checked both
        sentence = (
            f"{cell('Source Name')}: {cell('Event Text')}: {cell('Target Name')} "
            f"(story {cell('Story ID')}, sentence {cell('Sentence Number')})"
        )
        where = provenance(cell, publisher="Publisher", places=("City", "District"),
                           admin="Province", country="Country", latitude="Latitude",
                           longitude="Longitude", story_id="Story ID")
        return Event(
            doc_id=f"icews:{event_id}", start=0, end=0, sentence=sentence,
            source=source, target=target, cameo=entry.code, quad=entry.quad,
            goldstein=entry.goldstein, date=EventDate(date, "day"), plover=entry.plover_event,
            coder=CODERS["icews"], dataset="icews", provenance=where,
        )  # fmt: skip

    return _rows(path, report, parse, header, dates)


def _icews_date(value: str) -> dt.date:
    """``YYYY-MM-DD``, or ``M/D/YYYY`` as in the 2017 file."""
    try:
        if "/" in value:
            month, day, year = (int(p) for p in value.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD)") from None


def _icews_actor(country: str, name: str, sectors: str) -> Actor | None:
    if country:
        iso = _icews_country(country)
        return None if iso is None else Actor(iso, icews_sector(sectors), iso, name)
    bloc = _actor_names()[2].get(_fold(name))
    return None if bloc is None else Actor(bloc, "IGO", None, name)
