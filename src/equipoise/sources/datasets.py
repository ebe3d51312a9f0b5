"""Reading structured event datasets: GDELT 1.0, GDELT 2.0 and ICEWS.

Each reader streams one file (plain, ``.gz`` or a ``.zip`` holding one file) and yields
:class:`equipoise.records.Event` records in the store's vocabulary: actors as ISO3 or bloc
codes with a sector, CAMEO codes with their quad class, Goldstein weight and PLOVER type
from the package table, and the dataset's record id as provenance.

Rows that are not between two different states or blocs (a domestic event, or an actor
that is a region, a company or nobody) are skipped and counted, as the coder skips them.
A row that cannot be read (wrong number of columns, a bad date, an unknown CAMEO code) is
recorded as a :class:`SourceError` naming the file and line, and reading goes on; only a
file that cannot be opened at all raises. Both end up in the :class:`ImportReport` passed
to the reader.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO

from equipoise.coding.cameo import UnknownCameoCode, lookup
from equipoise.records import Actor, Event, EventDate
from equipoise.sources.errors import SourceError

FORMATS = ("gdelt1", "gdelt2", "icews")
CODERS = {"gdelt1": "gdelt/1.0", "gdelt2": "gdelt/2.0", "icews": "icews/dataverse"}

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
ICEWS_COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
    "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
    "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
    "Province", "Country", "Latitude", "Longitude",
)  # fmt: skip
_ICEWS_REQUIRED = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
    "Event Text", "CAMEO Code", "Target Name", "Target Sectors", "Target Country",
    "Story ID", "Sentence Number",
)  # fmt: skip

# GDELT actor type codes (CAMEO's) as the store's sectors; anything else counts as GOV.
_GDELT_SECTORS = {
    "GOV": "GOV", "LEG": "GOV", "JUD": "GOV", "COP": "GOV", "SPY": "GOV", "ELI": "GOV",
    "MIL": "MIL",
    "MED": "MED",
    "OPP": "OPP", "MOD": "OPP", "RAD": "OPP",
    "REB": "REB", "INS": "REB", "SEP": "REB", "UAF": "REB",
    "BUS": "BUS", "MNC": "BUS",
    "CVL": "CVL", "EDU": "CVL", "HLH": "CVL", "LAB": "CVL", "AGR": "CVL", "REF": "CVL",
    "HRI": "CVL", "NGO": "CVL", "NGM": "CVL", "REL": "CVL", "SET": "CVL", "CRM": "CVL",
    "DEV": "CVL", "ENV": "CVL",
    "IGO": "IGO",
}  # fmt: skip

# ICEWS sector words, most telling first: an actor listed as "Military,Government" is MIL.
_ICEWS_SECTORS = (
    ("nongovernmental", "CVL"),
    ("insurgent", "REB"), ("rebel", "REB"), ("separatist", "REB"),
    ("opposition", "OPP"), ("dissident", "OPP"), ("protestor", "OPP"),
    ("military", "MIL"), ("army", "MIL"), ("navy", "MIL"), ("air force", "MIL"),
    ("marines", "MIL"), ("defense", "MIL"),
    ("media", "MED"), ("news", "MED"),
    ("business", "BUS"), ("corporation", "BUS"),
    ("government", "GOV"), ("executive", "GOV"), ("legislative", "GOV"), ("judicial", "GOV"),
    ("cabinet", "GOV"), ("ministry", "GOV"), ("police", "GOV"), ("intelligence", "GOV"),
    ("civilian", "CVL"), ("social", "CVL"),
)  # fmt: skip
_SECTOR_RANK = {s: i for i, s in enumerate(("REB", "OPP", "MIL", "MED", "BUS", "GOV", "CVL"))}


@dataclass(slots=True)
class ImportReport:
    """What reading (and storing) one or more dataset files did."""

    rows: int = 0  # data rows read, header excluded
    events: int = 0  # rows that became events
    domestic: int = 0  # skipped: the same state or bloc on both sides
    no_actor: int = 0  # skipped: no state or bloc on one side or both
    errors: list[str] = field(default_factory=list)  # "file:line: message"
    added: int = 0  # events new to the store
    replaced: int = 0  # events already stored, written again

    @property
    def skipped(self) -> int:
        return self.domestic + self.no_actor


# -- opening files -----------------------------------------------------------------------


@contextmanager
def _open_text(path: Path) -> Iterator[IO[str]]:
    """A text stream over ``path``, a ``.gz`` file or the single data file in a ``.zip``."""
    with ExitStack() as stack:
        try:
            suffix = path.suffix.lower()
            if suffix == ".gz":
                raw: IO[bytes] = stack.enter_context(gzip.open(path, "rb"))
            elif suffix == ".zip":
                archive = stack.enter_context(zipfile.ZipFile(path))
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    raise SourceError(
                        path, f"expected one file in the archive, found {len(members)}"
                    )
                raw = stack.enter_context(archive.open(members[0]))
            else:
                raw = stack.enter_context(path.open("rb"))
        except (OSError, zipfile.BadZipFile, EOFError) as exc:
            raise SourceError(path, f"cannot open: {exc}") from exc
        # Undecodable bytes become U+FFFD rather than losing the rest of the file.
        yield io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` without its line ending; blank lines are passed over."""
    number = 0
    with _open_text(path) as stream:
        try:
            for number, line in enumerate(stream, start=1):
                line = line.rstrip("\r\n")
                if line.strip():
                    yield number, line
        except (OSError, zipfile.BadZipFile, EOFError) as exc:
            raise SourceError(path, f"cannot read after line {number}: {exc}") from exc


# -- shared mapping ------------------------------------------------------------------------


@functools.cache
def _cameo_codes() -> tuple[dict[str, str | None], dict[str, str]]:
    """CAMEO country codes that are not ISO3 (None for regions), and known group codes."""
    countries: dict[str, str | None] = {}
    groups: dict[str, str] = {}
    path = resources.files("equipoise").joinpath("data", "cameo_country_codes.csv")
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            cameo, code = row["cameo"].strip(), row["code"].strip()
            if row["kind"] == "group":
                groups[cameo] = code
            else:
                countries[cameo] = code or None
    return countries, groups


@functools.cache
def _actor_names() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    """ISO3 codes of the gazetteer's states; state names and aliases; bloc names."""
    from equipoise.coding.actors import load_actor_entries

    isos: set[str] = set()
    states: dict[str, str] = {}
    blocs: dict[str, str] = {}
    for entry in load_actor_entries():
        if entry.kind in ("name", "alias") and entry.country is not None:
            isos.add(entry.code)
            states.setdefault(_fold(entry.pattern), entry.code)
        elif entry.kind in ("bloc", "institution") and entry.country is None:
            blocs.setdefault(_fold(entry.pattern), entry.code)
    return frozenset(isos), states, blocs


def _fold(name: str) -> str:
    """Lower case without accents or surrounding space: "Côte d'Ivoire" -> "cote d'ivoire"."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _cameo(code: str):
    try:
        return lookup(code)
    except UnknownCameoCode:
        raise ValueError(f"unknown CAMEO code {code.strip()!r}") from None


def _pair(report: ImportReport, source: Actor | None, target: Actor | None) -> bool:
    """True when the two actors make an international dyad; counts the skips."""
    if source is None or target is None:
        report.no_actor += 1
        return False
    if source.code == target.code or (
        source.country is not None and source.country == target.country
    ):
        report.domestic += 1
        return False
    return True


def _rows(
    path: Path,
    report: ImportReport,
    parse: Callable[[list[str], int], Event | None],
    header: Callable[[list[str]], bool],
) -> Iterator[Event]:
    for number, line in _lines(path):
        cells = line.split("\t")
        if number == 1 and header(cells):
            continue
        report.rows += 1
        try:
            event = parse(cells, number)
        except ValueError as exc:
            report.errors.append(str(SourceError(path, str(exc), number)))
            continue
        if event is not None:
            report.events += 1
            yield event


# -- GDELT -------------------------------------------------------------------------------


def read_gdelt(
    path: str | Path, version: int = 1, report: ImportReport | None = None
) -> Iterator[Event]:
    """Events of a GDELT event file: 1.0 (57 or 58 columns) or 2.0 (61 columns).

    The files are tab-separated with no header; a header line starting with
    ``GLOBALEVENTID``, as some exports add, is passed over. Skips and errors go to
    ``report``.
    """
    if version not in (1, 2):
        raise ValueError(f"GDELT version must be 1 or 2, not {version!r}")
    path = Path(path)
    report = report if report is not None else ImportReport()
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

        event_id = cell("GLOBALEVENTID")
        if not event_id:
            raise ValueError("empty GLOBALEVENTID")
        date = _gdelt_date(cell("SQLDATE"))
        entry = _cameo(cell("EventCode"))
        source = _gdelt_actor(*(cell(f"Actor1{c}") for c in _GDELT_ACTOR_FIELDS))
        target = _gdelt_actor(*(cell(f"Actor2{c}") for c in _GDELT_ACTOR_FIELDS))
        if not _pair(report, source, target):
            return None
        try:
            goldstein = float(cell("GoldsteinScale"))
        except ValueError:
            goldstein = entry.goldstein
        return Event(
            doc_id=f"{dataset}:{event_id}", start=0, end=0, sentence=cell("SOURCEURL"),
            source=source, target=target, cameo=entry.code, quad=entry.quad,
            goldstein=goldstein, date=EventDate(date, "day"), plover=entry.plover_event,
            coder=coder, dataset=dataset,
        )  # fmt: skip

    return _rows(path, report, parse, lambda cells: cells[0].strip() == "GLOBALEVENTID")


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


# -- ICEWS -------------------------------------------------------------------------------


def read_icews(path: str | Path, report: ImportReport | None = None) -> Iterator[Event]:
    """Events of an ICEWS event file (the Dataverse ``.tab`` files: tab-separated, header).

    Countries are matched by name against the gazetteer's names and aliases, accents and
    case aside, "Moldova, Republic of" read as "Republic of Moldova"; an actor with no
    country is a bloc when its name is one (European Union, United Nations, ...).
    """
    path = Path(path)
    report = report if report is not None else ImportReport()
    index: dict[str, int] = {}

    def header(cells: list[str]) -> bool:
        names = [c.strip().lstrip("\ufeff").strip('"') for c in cells]
        missing = [c for c in _ICEWS_REQUIRED if c not in names]
        if missing:
            raise SourceError(path, f"not an ICEWS file: no column {missing[0]!r}", 1)
        index.update((name, i) for i, name in enumerate(names))
        return True

    def parse(cells: list[str], number: int) -> Event | None:
        if len(cells) != len(index):
            raise ValueError(f"expected {len(index)} tab-separated columns, found {len(cells)}")

        def cell(name: str) -> str:
            value = cells[index[name]].strip()
            return "" if value == "NA" else value

        event_id = cell("Event ID")
        if not event_id:
            raise ValueError("empty Event ID")
        date = _icews_date(cell("Event Date"))
        entry = _cameo(cell("CAMEO Code"))
        source = _icews_actor(cell("Source Country"), cell("Source Name"), cell("Source Sectors"))
        target = _icews_actor(cell("Target Country"), cell("Target Name"), cell("Target Sectors"))
        if not _pair(report, source, target):
            return None
        sentence = (
            f"{cell('Source Name')}: {cell('Event Text')}: {cell('Target Name')} "
            f"(story {cell('Story ID')}, sentence {cell('Sentence Number')})"
        )
        return Event(
            doc_id=f"icews:{event_id}", start=0, end=0, sentence=sentence,
            source=source, target=target, cameo=entry.code, quad=entry.quad,
            goldstein=entry.goldstein, date=EventDate(date, "day"), plover=entry.plover_event,
            coder=CODERS["icews"], dataset="icews",
        )  # fmt: skip

    return _rows(path, report, parse, header)


# Names ICEWS uses that the gazetteer does not list.
_ICEWS_NAMES = {
    "occupied palestinian territory": "PSE",
    "the former yugoslav republic of macedonia": "MKD",
    "macedonia, the former yugoslav republic of": "MKD",
}


def _icews_date(value: str) -> dt.date:
    """``YYYY-MM-DD``, or ``M/D/YYYY`` as in the 2017 file."""
    try:
        if "/" in value:
            month, day, year = (int(p) for p in value.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD)") from None


def _icews_country(name: str) -> str | None:
    states = _actor_names()[1]
    folded = _fold(name)
    if folded in _ICEWS_NAMES:
        return _ICEWS_NAMES[folded]
    if folded in states:
        return states[folded]
    if ", " in folded:  # "korea, republic of" -> "republic of korea"
        head, _, tail = folded.partition(", ")
        return states.get(f"{tail} {head}")
    return None


def _icews_actor(country: str, name: str, sectors: str) -> Actor | None:
    if country:
        iso = _icews_country(country)
        return None if iso is None else Actor(iso, icews_sector(sectors), iso, name)
    bloc = _actor_names()[2].get(_fold(name))
    return None if bloc is None else Actor(bloc, "IGO", None, name)


def icews_sector(sectors: str) -> str:
    """The store's sector for an ICEWS sector list ("Military,Government" -> MIL).

    An actor with no sector is the state itself (GOV); one whose sectors say nothing the
    store distinguishes (parties, religious or ethnic groups) counts as civilian.
    """
    found = set()
    for word in sectors.lower().split(","):
        for key, sector in _ICEWS_SECTORS:
            if key in word:
                found.add(sector)
                break
    if not found:
        return "GOV" if not sectors.strip() else "CVL"
    return min(found, key=_SECTOR_RANK.__getitem__)


# -- any format ----------------------------------------------------------------------------


def read_dataset(path: str | Path, fmt: str, report: ImportReport | None = None) -> Iterator[Event]:
    """Events of ``path`` read as ``fmt``: ``gdelt1``, ``gdelt2`` or ``icews``."""
    if fmt == "gdelt1":
        return read_gdelt(path, 1, report)
    if fmt == "gdelt2":
        return read_gdelt(path, 2, report)
    if fmt == "icews":
        return read_icews(path, report)
    raise ValueError(f"unknown dataset format {fmt!r} (expected one of {', '.join(FORMATS)})")
