"""Reading ACLED exports (CSV with a header, from the API or the Export Tool)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from equipoise.records import Actor, Event, EventDate
from equipoise.sources.datasets.actors import _bloc, _state
from equipoise.sources.datasets.formats import CODERS
from equipoise.sources.datasets.opening import _csv_records
from equipoise.sources.datasets.report import ImportReport
from equipoise.sources.datasets.rows import _cameo, _Columns, _pair, _record_id, _rows, provenance
from equipoise.sources.limits import DateRange

_ACLED_REQUIRED = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type",
    "actor1", "inter1", "actor2", "inter2",
)  # fmt: skip

# ACLED's actor types (inter1/inter2): codes 1-8 in older files, labels in newer ones.
_ACLED_INTER = {
    "1": "MIL", "state forces": "MIL",
    "2": "REB", "rebel group": "REB", "rebel groups": "REB",
    "3": "REB", "political militia": "REB", "political militias": "REB",
    "4": "REB", "identity militia": "REB", "identity militias": "REB",
    "communal militia": "REB", "communal militias": "REB",
    "5": "CVL", "rioters": "CVL",
    "6": "CVL", "protesters": "CVL",
    "7": "CVL", "civilians": "CVL",
    "8": "MIL", "external/other forces": "MIL", "external/other force": "MIL",
}  # fmt: skip

# CAMEO code by (event type, sub-event type); "" is the event type's default. Strategic
# developments have no default: only the sub-event types listed here are kept.
_ACLED_CAMEO = {
    ("battles", ""): "190",
    ("battles", "armed clash"): "193",
    ("explosions/remote violence", ""): "190",
    ("explosions/remote violence", "air/drone strike"): "195",
    ("explosions/remote violence", "shelling/artillery/missile attack"): "194",
    ("explosions/remote violence", "remote explosive/landmine/ied"): "183",
    ("explosions/remote violence", "suicide bomb"): "1831",
    ("explosions/remote violence", "chemical weapon"): "2041",
    ("violence against civilians", ""): "180",
    ("violence against civilians", "abduction/forced disappearance"): "181",
    ("violence against civilians", "sexual violence"): "1821",
    ("protests", ""): "141",
    ("protests", "excessive force against protesters"): "175",
    ("riots", ""): "145",
    ("strategic developments", "agreement"): "057",
    ("strategic developments", "arrests"): "173",
}

_ACLED_YEARS = re.compile(r"\s*\((?:\d{4}-\d{0,4}|\d{4})\)")
_ACLED_OF = re.compile(r"\b(?:of|in)\s+(?:the\s+)?([A-Z][^()]*?)\s*$")
_ACLED_PAREN = re.compile(r"\(([^()]+)\)\s*$")


def acled_cameo(event_type: str, sub_event_type: str) -> str | None:
    """The CAMEO code for an ACLED event and sub-event type; None when there is none."""
    kind, sub = event_type.strip().lower(), sub_event_type.strip().lower()
    return _ACLED_CAMEO.get((kind, sub), _ACLED_CAMEO.get((kind, "")))


def acled_country(name: str) -> str | None:
    """The state an ACLED actor name names ("Military Forces of Russia (2000-)" -> RUS).

    ACLED writes a state's forces as "... of COUNTRY (YEARS-)" and other actors with their
    country in parentheses ("Civilians (Ukraine)", "Protesters (Azerbaijan)").
    """
    name = name.strip()
    match = _ACLED_PAREN.search(name)
    if match and not _ACLED_YEARS.fullmatch(f"({match.group(1)})"):
        iso = _state(match.group(1))
        if iso is not None:
            return iso
    head = _ACLED_YEARS.split(name, maxsplit=1)[0] if _ACLED_YEARS.search(name) else name
    match = _ACLED_OF.search(head)
    return _state(match.group(1)) if match else None


def _acled_actor(name: str, assoc: str, inter: str) -> Actor | None:
    sector = _ACLED_INTER.get(inter.strip().lower(), "CVL")
    for candidate in [name, *assoc.split(";")]:
        candidate = candidate.strip()
        if not candidate:
            continue
        iso = acled_country(candidate)
        if iso is not None:
            return Actor(iso, sector, iso, name.strip())
        bloc = _bloc(candidate) or _bloc(candidate.partition(":")[0])
        if bloc is not None:
            return Actor(bloc, "IGO", None, name.strip())
    return None


def _acled_date(value: str) -> dt.date:
    """``YYYY-MM-DD`` (the API) or ``16 February 2023`` (the export tool)."""
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD or '16 February 2023')")


def read_acled(
    path: str | Path, report: ImportReport | None = None, *, dates: DateRange | None = None
) -> Iterator[Event]:
    """Events of an ACLED export (CSV with a header, from the API or the Export Tool).

    Only events between actors of two different states (or a state and a bloc) are kept:
    an actor's state comes from its name, else from its associated actors. Actor 1 is
    taken as the source, although ACLED does not say who acted on whom.
    """
    path = Path(path)
    report = report if report is not None else ImportReport()
    columns = _Columns()

    def header(cells: list[str], number: int) -> bool:
        return columns.read(path, cells, number, _ACLED_REQUIRED, "an ACLED", str.lower)

    def parse(cells: list[str], number: int) -> Event | None:
        cell = columns.row(cells, "comma-separated")
        event_id = _record_id(cell, "event_id_cnty")
        date = _acled_date(cell("event_date"))
        event_type, sub_event_type = cell("event_type"), cell("sub_event_type")
        if event_type.lower() not in {kind for kind, _ in _ACLED_CAMEO}:
            raise ValueError(f"unknown ACLED event type {event_type!r}")
        code = acled_cameo(event_type, sub_event_type)
        if code is None:
            report.unmapped += 1
            return None
        entry = _cameo(code)
        source = _acled_actor(cell("actor1"), cell("assoc_actor_1"), cell("inter1"))
        target = _acled_actor(cell("actor2"), cell("assoc_actor_2"), cell("inter2"))
        if not _pair(report, source, target):
            return None
        assert source is not None and target is not None  # _pair has checked both
        where = provenance(cell, publisher="source", places=("location",), admin="admin1",
                           country="country", latitude="latitude", longitude="longitude",
                           notes="notes")
        return Event(
            doc_id=f"acled:{event_id}", start=0, end=0, sentence=cell("notes"),
            source=source, target=target, cameo=entry.code, quad=entry.quad,
            goldstein=entry.goldstein, date=EventDate(date, "day"), plover=entry.plover_event,
            coder=CODERS["acled"], dataset="acled", provenance=where,
        )  # fmt: skip

    return _rows(path, report, parse, header, dates, _csv_records(path, report))
