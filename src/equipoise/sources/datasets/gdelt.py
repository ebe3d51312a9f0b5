"""Reading GDELT 1.0 and 2.0 event files (tab-separated, no header)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from equipoise.records import Actor, Event, EventDate
from equipoise.sources.datasets.actors import _GDELT_SECTORS, _actor_names, _cameo_codes
from equipoise.sources.datasets.formats import CODERS
from equipoise.sources.datasets.report import ImportReport
from equipoise.sources.datasets.rows import _NUMBER, _cameo, _pair, _record_id, _rows, provenance
from equipoise.sources.limits import DateRange
from equipoise.sources.limits import goldstein as check_goldstein

# The published column order. GDELT 1.0 daily files (from April 2013) have 58 columns,
# ending in DATEADDED and SOURCEURL; the historical backfiles have the first 57, with no
# SOURCEURL. GDELT 2.0 adds an ADM2 code to each of the three geographies (61 columns).
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")
_GEO2 = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_EVENT = (
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
)  # fmt: skip


def _gdelt_columns(geo: tuple[str, ...]) -> tuple[str, ...]:
    return (
        ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
        + tuple(f"Actor1{c}" for c in _ACTOR)
        + tuple(f"Actor2{c}" for c in _ACTOR)
        + _EVENT
        + tuple(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in geo)
        + ("DATEADDED", "SOURCEURL")
    )


GDELT1_COLUMNS = _gdelt_columns(_GEO)  # 58; the backfiles stop before SOURCEURL (57)
GDELT2_COLUMNS = _gdelt_columns(_GEO2)  # 61; GDELT 2.0 calls SQLDATE "Day"


def read_gdelt(
    path: str | Path,
    version: int = 1,
    report: ImportReport | None = None,
    *,
    dates: DateRange | None = None,
) -> Iterator[Event]:
    """Events of a GDELT event file: 1.0 (57 or 58 columns) or 2.0 (61 columns).

    The files are tab-separated with no header; a header line starting with
    ``GLOBALEVENTID``, as some exports add, is passed over. The row's GoldsteinScale
    is kept when it is a number within -10..10 (the CAMEO table's weight when it is
    empty); anything else makes the row an error. Skips and errors go to ``report``.
    """
    path = Path(path)
    report = report if report is not None else ImportReport()
    parse = gdelt_parser(path, version, report)
    return _rows(
        path, report, parse, lambda cells, _: cells[0].strip() == "GLOBALEVENTID", dates
    )


def gdelt_parser(
    path: Path, version: int, report: ImportReport
) -> Callable[[list[str], int], Event | None]:
    """The function that turns one GDELT row's cells into an Event (None for a skip,
    counted in ``report``), or raises ValueError for a row that cannot be read."""
    if version not in (1, 2):
        raise ValueError(f"GDELT version must be 1 or 2, not {version!r}")
    columns = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
    widths = (len(columns) - 1, len(columns)) if version == 1 else (len(columns),)
    index = {name: i for i, name in enumerate(columns)}
    dataset = f"gdelt{version}"
    coder = CODERS[dataset]

    def parse(cells: list[str], number: int) -> Event | None:
        if len(cells) not in widths:
            expected = " or ".join(map(str, widths))
            raise ValueError(
                f"expected {expected} tab-separated columns for GDELT {version}.0, "
                f"found {len(cells)}"
            )

        def cell(name: str) -> str:
            i = index[name]
            return cells[i].strip() if i < len(cells) else ""

        event_id = _record_id(cell, "GLOBALEVENTID")
        date = _gdelt_date(cell("SQLDATE"))
        entry = _cameo(cell("EventCode"))
        source = _gdelt_actor(*(cell(f"Actor1{c}") for c in _GDELT_ACTOR_FIELDS))
        target = _gdelt_actor(*(cell(f"Actor2{c}") for c in _GDELT_ACTOR_FIELDS))
        if not _pair(report, source, target):
            return None
        assert source is not None and target is not None  # _pair has checked both
        scale = cell("GoldsteinScale")
        goldstein = check_goldstein(scale) if scale else entry.goldstein
        # GDELT names no publisher (its SOURCEURL is kept) and gives the place's first-level
        # division as a code only: neither is read, which keeps the bulk import fast.
        where = provenance(cell, places=("ActionGeo_FullName",),
                           country="ActionGeo_CountryCode", latitude="ActionGeo_Lat",
                           longitude="ActionGeo_Long")
        return Event(
            doc_id=f"{dataset}:{event_id}", start=0, end=0, sentence=cell("SOURCEURL"),
            source=source, target=target, cameo=entry.code, quad=entry.quad,
            goldstein=goldstein, date=EventDate(date, "day"), plover=entry.plover_event,
            coder=coder, dataset=dataset, provenance=where,
        )  # fmt: skip

    return parse


def gdelt_extras(cells: list[str], version: int) -> tuple[object, ...]:
    """The GDELT fields the store keeps beside the event (``store.db.GDELT_COLUMNS``):
    NumMentions, NumSources, NumArticles, AvgTone, SOURCEURL, DATEADDED and IsRootEvent
    (true for 1, false for 0, else NULL).

    A count that is not a whole number, a tone that is not a number and a DATEADDED that
    is neither ``YYYYMMDD`` nor ``YYYYMMDDHHMMSS`` are stored as NULL: they never make
    the row an error.
    """
    columns = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
    index = {name: i for i, name in enumerate(columns)}

    def cell(name: str) -> str:
        i = index[name]
        return cells[i].strip() if i < len(cells) else ""

    def count(name: str) -> int | None:
        text = cell(name)
        return int(text) if _COUNT.fullmatch(text) and int(text) < 2**31 else None

    tone = cell("AvgTone")
    return (
        count("NumMentions"), count("NumSources"), count("NumArticles"),
        float(tone) if _NUMBER.fullmatch(tone) else None,
        cell("SOURCEURL") or None, _gdelt_added(cell("DATEADDED")),
        {"1": True, "0": False}.get(cell("IsRootEvent")),
    )  # fmt: skip


_COUNT = re.compile(r"[0-9]{1,10}")


def _gdelt_added(value: str) -> dt.datetime | None:
    """DATEADDED: ``YYYYMMDD`` (GDELT 1.0) or ``YYYYMMDDHHMMSS`` (2.0); None otherwise."""
    for width, fmt in ((8, "%Y%m%d"), (14, "%Y%m%d%H%M%S")):
        if len(value) == width and value.isascii() and value.isdigit():
            try:
                return dt.datetime.strptime(value, fmt)
            except ValueError:
                return None
    return None


_GDELT_ACTOR_FIELDS = ("CountryCode", "KnownGroupCode", "Type1Code", "Name")


def _gdelt_date(value: str) -> dt.date:
    """``YYYYMMDD``, or ``YYYY-MM-DD`` as some re-exports write it."""
    try:
        if len(value) == 8 and value.isdigit():
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"bad date {value!r} (expected YYYYMMDD)")


def _gdelt_actor(country: str, group: str, type1: str, name: str) -> Actor | None:
    """A state from the CAMEO country code, else a bloc from the known group code."""
    fixes, groups = _cameo_codes()
    isos = _actor_names()[0]
    iso = fixes.get(country, country) if country else None
    if iso is not None and iso in isos:
        return Actor(iso, _GDELT_SECTORS.get(type1, "GOV"), iso, name.title())
    bloc = groups.get(group)
    if bloc is not None:
        return Actor(bloc, "IGO", None, name.title())
    return None
