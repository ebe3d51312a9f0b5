"""What every dataset reader shares: reading a file's rows into events (dates checked, one
event per record id), header columns, record ids, CAMEO codes, dyads and coordinates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from equipoise.records import Actor, Event, Provenance
from equipoise.reference.cameo import UnknownCameoCode, lookup
from equipoise.sources.datasets.opening import _lines
from equipoise.sources.datasets.report import ImportReport
from equipoise.sources.errors import SourceError
from equipoise.sources.limits import DateRange


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


_NUMBER = re.compile(r"-?[0-9]{1,20}(?:\.[0-9]{1,30})?")
def coordinate(value: str, limit: float) -> float | None:
    """A latitude (``limit`` 90) or longitude (180) in degrees; None when ``value`` is not
    a plain decimal number within ``-limit..limit``. Never an error: a dataset's place is
    provenance, not what the event is."""
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value)
    return number if -limit <= number <= limit else None


def provenance(cell: Callable[[str], str], *, publisher: str = "", places: Sequence[str] = (),
               admin: str = "", country: str = "", latitude: str = "", longitude: str = "",
               story_id: str = "", notes: str = "") -> Provenance:
    """A record's publisher and place, read from the columns named (``places``: the place
    name's columns, the first filled one wins); an empty name or cell is None."""

    def value(name: str) -> str | None:
        return (cell(name) or None) if name else None

    return Provenance(
        publisher=value(publisher), place_name=next(filter(None, map(value, places)), None),
        place_admin=value(admin), place_country=value(country),
        latitude=coordinate(cell(latitude), 90) if latitude else None,
        longitude=coordinate(cell(longitude), 180) if longitude else None,
        story_id=value(story_id), notes=value(notes))


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
