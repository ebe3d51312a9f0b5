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

One module a dataset family (:mod:`.gdelt`, :mod:`.icews`, :mod:`.polecat`, :mod:`.acled`),
built on what they share: opening files (:mod:`.opening`), rows into events and header
columns (:mod:`.rows`), states, blocs and sectors (:mod:`.actors`), and the report of a
read (:mod:`.report`). Every name is importable from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from equipoise.records import Event
from equipoise.sources.datasets.acled import acled_cameo, acled_country, read_acled
from equipoise.sources.datasets.actors import _GDELT_SECTORS as _GDELT_SECTORS
from equipoise.sources.datasets.actors import _actor_names as _actor_names
from equipoise.sources.datasets.actors import _cameo_codes as _cameo_codes
from equipoise.sources.datasets.actors import icews_sector
from equipoise.sources.datasets.formats import CODERS, FORMATS
from equipoise.sources.datasets.gdelt import (
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
    gdelt_extras,
    gdelt_parser,
    read_gdelt,
)
from equipoise.sources.datasets.icews import ICEWS_COLUMNS, read_icews
from equipoise.sources.datasets.opening import MAX_EXPANSION, MAX_ROW_CHARS
from equipoise.sources.datasets.opening import _open_binary as _open_binary
from equipoise.sources.datasets.polecat import plover_sector, read_polecat
from equipoise.sources.datasets.report import ImportReport
from equipoise.sources.datasets.rows import coordinate
from equipoise.sources.limits import DateRange

__all__ = [
    "CODERS", "FORMATS", "GDELT1_COLUMNS", "GDELT2_COLUMNS", "ICEWS_COLUMNS", "MAX_EXPANSION",
    "MAX_ROW_CHARS", "ImportReport", "acled_cameo", "acled_country", "coordinate",
    "gdelt_extras", "gdelt_parser", "icews_sector", "plover_sector", "read_acled",
    "read_dataset", "read_gdelt", "read_icews", "read_polecat",
]  # fmt: skip
# Also importable from here for the bulk GDELT reader (gdeltbulk.py): _GDELT_SECTORS,
# _actor_names, _cameo_codes and _open_binary.


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
