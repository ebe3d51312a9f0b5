"""Reading structured event datasets: GDELT 1.0, GDELT 2.0, ICEWS, POLECAT and ACLED.

Each reader streams one file (plain, ``.gz`` or a ``.zip`` holding one file) and yields
:class:`equipoise.records.Event` records in the store's vocabulary: actors as ISO3 or bloc
codes with a sector, CAMEO codes with their quad class, Goldstein weight and PLOVER type
from the package table, the dataset's record id, and where the record came from
(:class:`equipoise.records.Provenance`: publisher, place, coordinates, story, notes).

Rows that are not between two different states or blocs (a domestic event, or an actor
that is a region, a company or nobody) are skipped and counted, as the coder skips them.
A row that cannot be read (wrong number of columns, a bad date, a date outside the
accepted range, an unknown CAMEO code, a NUL byte) is recorded as a :class:`SourceError`
naming the file and line, and reading goes on; only a file that cannot be read at all
(not a regular file, a damaged archive, another format's header) raises SourceError.
Of rows sharing a record id, the first is read and the others counted as duplicates.
Text fields are cleaned as :mod:`equipoise.sources.clean` says.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from equipoise.records import Actor, Event, EventDate, Provenance
from equipoise.reference.actors import load_actor_entries
from equipoise.reference.cameo import UnknownCameoCode, lookup
from equipoise.reference.data import data_rows
from equipoise.reference.plover import plover_quads, plover_to_cameo
from equipoise.sources.clean import clean_cells
from equipoise.sources.csvrecords import csv_records
from equipoise.sources.errors import SourceError
from equipoise.sources.files import bounded_lines, open_regular
from equipoise.sources.limits import DateRange
from equipoise.sources.limits import goldstein as check_goldstein

FORMATS = ("gdelt1", "gdelt2", "icews", "polecat", "acled")
CODERS = {
    "gdelt1": "gdelt/1.0", "gdelt2": "gdelt/2.0", "icews": "icews/dataverse",
    "polecat": "polecat/dataverse", "acled": "acled/export",
}  # fmt: skip

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
# Which sector an actor with several counts as. Government ranks above business: ICEWS lists
# a head of state who owns companies as "...,Business,Government,..." and a state-owned
# company's officials the same way; what they do between states they do for the state.
_SECTOR_RANK = {s: i for i, s in enumerate(("REB", "OPP", "MIL", "MED", "GOV", "BUS", "CVL"))}


@dataclass(slots=True)
class ImportReport:
    """What reading (and storing) one or more dataset files did."""

    rows: int = 0  # data rows read, header excluded
    events: int = 0  # rows that became events
    domestic: int = 0  # skipped: the same state or bloc on both sides
    no_actor: int = 0  # skipped: no state or bloc on one side or both
    unmapped: int = 0  # skipped: an event type with no CAMEO equivalent (ACLED)
    duplicates: int = 0  # skipped: a record id already read from the same file
    filtered: int = 0  # events left out by an EventFilter (countries, CAMEO roots)
    errors: list[str] = field(default_factory=list)  # "file:line: message"
    added: int = 0  # events new to the store
    replaced: int = 0  # events already stored, written again

    @property
    def skipped(self) -> int:
        return self.domestic + self.no_actor + self.unmapped + self.duplicates

    def merge(self, other: ImportReport) -> None:
        """Add ``other``'s counts and errors to this report."""
        for name in ("rows", "events", "domestic", "no_actor", "unmapped", "duplicates",
                     "filtered", "added", "replaced"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)


# -- opening files -----------------------------------------------------------------------


MAX_ROW_CHARS = 1 << 20
"""Longest line read; a longer one is reported and passed over."""
MAX_EXPANSION = 100
"""How many times its own size a compressed file may expand to (beyond 64 MiB)."""
_EXPANSION_FLOOR = 64 << 20


class _Decompressed(io.RawIOBase):
    """The bytes of a compressed member, with every way decompression can fail turned
    into a SourceError naming the file, and a limit on how far it may expand."""

    def __init__(self, path: Path, stream: io.BufferedIOBase | IO[bytes],
                 compressed_size: int) -> None:
        self._path = path
        self._stream = stream
        self._left = max(MAX_EXPANSION * compressed_size, _EXPANSION_FLOOR)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._stream.read(len(buffer))
        except Exception as exc:  # zlib, gzip, zipfile, lzma and bz2 each raise their own
            raise SourceError(self._path, f"corrupt compressed data: {_reason(exc)}") from None
        self._left -= len(data)
        if self._left < 0:
            raise SourceError(
                self._path,
                f"expands to more than {MAX_EXPANSION} times its size; not read "
                "(a damaged or malicious archive?)",
            )
        buffer[: len(data)] = data
        return len(data)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


@contextmanager
def _open_binary(path: Path) -> Iterator[IO[bytes]]:
    """The bytes of ``path``, a ``.gz`` file or the single data file in a ``.zip``.

    Only regular files are opened. A damaged archive raises SourceError, when it is
    opened or whenever the damage is reached.
    """
    with ExitStack() as stack:
        fh = stack.enter_context(open_regular(path))
        size = os.fstat(fh.fileno()).st_size
        raw: IO[bytes] | _Decompressed
        try:
            suffix = path.suffix.lower()
            if suffix in (".gz", ".zip") and size == 0:
                # gzip reads an empty file as empty data, not as the damage it is.
                raise SourceError(path, "empty file: not a gzip or zip archive")
            if suffix == ".gz":
                raw = _Decompressed(path, stack.enter_context(gzip.GzipFile(fileobj=fh)), size)
            elif suffix == ".zip":
                archive = stack.enter_context(zipfile.ZipFile(fh))
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    raise SourceError(
                        path, f"expected one file in the archive, found {len(members)}"
                    )
                raw = _Decompressed(path, stack.enter_context(archive.open(members[0])), size)
            else:
                raw = fh
        except SourceError:
            raise
        except Exception as exc:  # zipfile raises many kinds for a damaged directory
            raise SourceError(path, f"cannot open: {_reason(exc)}") from None
        yield io.BufferedReader(raw) if isinstance(raw, _Decompressed) else raw


@contextmanager
def _open_text(path: Path) -> Iterator[IO[str]]:
    """A text stream over ``path`` as :func:`_open_binary` opens it."""
    with _open_binary(path) as buffered:
        # Undecodable bytes become U+FFFD rather than losing the rest of the file; a
        # byte-order mark at the start (as spreadsheet programs write) is dropped.
        yield io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="replace", newline="")


def _lines(path: Path, report: ImportReport) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` without its line ending; blank lines are passed over.

    A line holding a NUL byte, or longer than MAX_ROW_CHARS, is reported and passed
    over. Control characters (tabs aside) and bidirectional controls are removed.
    """
    with _open_text(path) as stream:
        try:
            lines = bounded_lines(stream, MAX_ROW_CHARS)
            for number, (line, length) in enumerate(lines, start=1):
                if line is None:
                    error = f"line too long ({length:,} characters; limit {MAX_ROW_CHARS:,})"
                    report.errors.append(str(SourceError(path, error, number)))
                elif "\0" in line:
                    report.errors.append(str(SourceError(path, "NUL byte in the row", number)))
                elif line.strip():
                    yield number, clean_cells(line.rstrip("\r\n"))
        except OSError as exc:
            raise SourceError(path, f"cannot read: {_reason(exc)}") from exc


# -- shared mapping ------------------------------------------------------------------------


@functools.cache
def _cameo_codes() -> tuple[dict[str, str | None], dict[str, str]]:
    """CAMEO country codes that are not ISO3 (None for regions), and known group codes."""
    countries: dict[str, str | None] = {}
    groups: dict[str, str] = {}
    for row in data_rows("cameo_country_codes.csv"):
        cameo, code = row["cameo"].strip(), row["code"].strip()
        if row["kind"] == "group":
            groups[cameo] = code
        else:
            countries[cameo] = code or None
    return countries, groups


@functools.cache
def _actor_names() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    """ISO3 codes of the gazetteer's states; state names and aliases; bloc names."""
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
    header: Callable[[list[str], int], bool],
    dates: DateRange | None,
    records: Iterator[tuple[int, list[str]]] | None = None,
) -> Iterator[Event]:
    """The events of a file's ``records`` (line number, cells; by default its tab-separated
    lines): ``header`` says whether the first is a header, ``parse`` makes an event of a row
    (or None to skip it), and a ValueError from it is an error of that line."""
    keep = _Keeper(path, report, dates)
    if records is None:
        records = ((number, line.split("\t")) for number, line in _lines(path, report))
    first = True
    for number, cells in records:
        if first:
            first = False
            if header(cells, number):
                continue
        report.rows += 1
        try:
            event = parse(cells, number)
        except ValueError as exc:
            report.errors.append(str(SourceError(path, str(exc), number)))
            continue
        if event is not None and keep(event, number):
            yield event


class _Keeper:
    """Checks an event's date, and keeps the first event of each record id in a file."""

    def __init__(self, path: Path, report: ImportReport, dates: DateRange | None) -> None:
        self._path = path
        self._report = report
        self._dates = dates if dates is not None else DateRange()
        self._seen: set[str] = set()

    def __call__(self, event: Event, number: int) -> bool:
        try:
            self._dates.check(event.date.value, "event date")
        except ValueError as exc:
            self._report.errors.append(str(SourceError(self._path, str(exc), number)))
            return False
        if event.doc_id in self._seen:
            self._report.duplicates += 1
            return False
        self._seen.add(event.doc_id)
        self._report.events += 1
        return True


# -- GDELT -------------------------------------------------------------------------------


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
        where = Provenance(
            place_name=cell("ActionGeo_FullName") or None,
            place_country=cell("ActionGeo_CountryCode") or None,
            latitude=coordinate(cell("ActionGeo_Lat"), 90),
            longitude=coordinate(cell("ActionGeo_Long"), 180),
        )  # fmt: skip
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
_NUMBER = re.compile(r"-?[0-9]{1,20}(?:\.[0-9]{1,30})?")
def coordinate(value: str, limit: float) -> float | None:
    """A latitude (``limit`` 90) or longitude (180) in degrees; None when ``value`` is not
    a plain decimal number within ``-limit..limit``. Never an error: a dataset's place is
    provenance, not what the event is."""
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value)
    return number if -limit <= number <= limit else None


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


# -- ICEWS -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Columns:
    """A header row: where each column is (the first, when a name repeats), and how many
    columns a row must have."""

    index: dict[str, int] = field(default_factory=dict)
    width: int = 0

    def read(
        self, path: Path, cells: list[str], number: int, required: Sequence[str], label: str,
        fold: Callable[[str], str] = str,
    ) -> bool:  # fmt: skip
        """Take ``cells`` as the header, or raise SourceError if a required name is missing."""
        names = [fold(c.strip().lstrip("\ufeff").strip('"')) for c in cells]
        missing = [c for c in required if c not in names]
        if missing:
            raise SourceError(path, f"not {label} file: no column {missing[0]!r}", number)
        for i, name in enumerate(names):
            self.index.setdefault(name, i)
        self.width = len(names)
        return True

    def check(self, cells: list[str], separated: str) -> None:
        if len(cells) != self.width:
            raise ValueError(f"expected {self.width} {separated} columns, found {len(cells)}")

    def cell(self, cells: list[str], name: str) -> str:
        i = self.index.get(name)
        return cells[i].strip() if i is not None else ""

    def row(
        self, cells: list[str], separated: str, missing: Callable[[str], bool] = lambda v: False
    ) -> Callable[[str], str]:
        """The reader of one data row's cells by column name, once its width is checked;
        a value that ``missing`` says stands for no value reads as ""."""
        self.check(cells, separated)

        def cell(name: str) -> str:
            value = self.cell(cells, name)
            return "" if missing(value) else value

        return cell


def _record_id(cell: Callable[[str], str], column: str) -> str:
    """The row's record id, from ``column``; a row without one is an error of its line."""
    value = cell(column)
    if not value:
        raise ValueError(f"empty {column}")
    return value


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
        where = Provenance(
            publisher=cell("Publisher") or None,
            place_name=cell("City") or cell("District") or None,
            place_admin=cell("Province") or None, place_country=cell("Country") or None,
            latitude=coordinate(cell("Latitude"), 90),
            longitude=coordinate(cell("Longitude"), 180), story_id=cell("Story ID") or None,
        )  # fmt: skip
        return Event(
            doc_id=f"icews:{event_id}", start=0, end=0, sentence=sentence,
            source=source, target=target, cameo=entry.code, quad=entry.quad,
            goldstein=entry.goldstein, date=EventDate(date, "day"), plover=entry.plover_event,
            coder=CODERS["icews"], dataset="icews", provenance=where,
        )  # fmt: skip

    return _rows(path, report, parse, header, dates)


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


# -- POLECAT -----------------------------------------------------------------------------

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
        where = Provenance(
            publisher=cell("Source") or None,
            place_name=cell("City") or cell("Placename") or None,
            place_admin=cell("Province") or None, place_country=cell("Country") or None,
            latitude=coordinate(cell("Latitude"), 90),
            longitude=coordinate(cell("Longitude"), 180), notes=cell("Headline") or None,
        )  # fmt: skip
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


def _state(value: str) -> str | None:
    """ISO3 of a state given by ISO3 code or by name; None for anything else."""
    isos = _actor_names()[0]
    code = value.strip().upper()
    if code in isos:
        return code
    return _icews_country(value) if value.strip() else None


def _first(values: str) -> str:
    """The first of several values separated by ``;`` (POLECAT lists co-actors so)."""
    for part in values.split(";"):
        if part.strip() and part.strip().lower() not in _POLECAT_EMPTY:
            return part.strip()
    return ""


def _bloc(name: str) -> str | None:
    blocs = _actor_names()[2]
    return blocs.get(_fold(name))


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


# -- ACLED -------------------------------------------------------------------------------

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


def _csv_records(path: Path, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, cells)`` of each CSV record; quoted fields may span lines,
    and a quote left open is reported at its line without losing the records after it."""

    def on_error(error: SourceError) -> None:
        report.errors.append(str(error))

    with _open_text(path) as stream:
        try:
            for number, cells in csv_records(stream, str(path), on_error,
                                             line_limit=MAX_ROW_CHARS):  # fmt: skip
                yield number, [clean_cells(cell) for cell in cells]
        except OSError as exc:
            raise SourceError(path, f"cannot read: {_reason(exc)}") from exc


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
        where = Provenance(
            publisher=cell("source") or None, place_name=cell("location") or None,
            place_admin=cell("admin1") or None, place_country=cell("country") or None,
            latitude=coordinate(cell("latitude"), 90),
            longitude=coordinate(cell("longitude"), 180), notes=cell("notes") or None,
        )  # fmt: skip
        return Event(
            doc_id=f"acled:{event_id}", start=0, end=0, sentence=cell("notes"),
            source=source, target=target, cameo=entry.code, quad=entry.quad,
            goldstein=entry.goldstein, date=EventDate(date, "day"), plover=entry.plover_event,
            coder=CODERS["acled"], dataset="acled", provenance=where,
        )  # fmt: skip

    return _rows(path, report, parse, header, dates, _csv_records(path, report))


# -- any format ----------------------------------------------------------------------------


def read_dataset(
    path: str | Path,
    fmt: str,
    report: ImportReport | None = None,
    *,
    dates: DateRange | None = None,
) -> Iterator[Event]:
    """Events of ``path`` read as ``fmt``: ``gdelt1``, ``gdelt2``, ``icews``, ``polecat``
    or ``acled``.

    Event dates must lie within ``dates`` (by default 1800 to a year from today); a row
    outside is an error. Of several rows with the same record id only the first is
    read; the others are counted in ``report.duplicates``.
    """
    if fmt == "gdelt1":
        return read_gdelt(path, 1, report, dates=dates)
    if fmt == "gdelt2":
        return read_gdelt(path, 2, report, dates=dates)
    if fmt == "icews":
        return read_icews(path, report, dates=dates)
    if fmt == "polecat":
        return read_polecat(path, report, dates=dates)
    if fmt == "acled":
        return read_acled(path, report, dates=dates)
    raise ValueError(f"unknown dataset format {fmt!r} (expected one of {', '.join(FORMATS)})")
