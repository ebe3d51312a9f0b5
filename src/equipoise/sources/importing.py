"""Importing one structured dataset file into the store: what ``equipoise import`` runs.

GDELT files go through the bulk loader (:mod:`equipoise.sources.gdeltbulk`); the other
formats through their row readers and :meth:`equipoise.store.Store.add_dataset_events`.
Either way a file is imported whole or not at all, and the report counts the same things.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from equipoise.sources.datasets import FORMATS, ImportReport, read_dataset
from equipoise.sources.errors import display_path
from equipoise.sources.filters import EventFilter
from equipoise.sources.limits import DateRange
from equipoise.store import Store

_PROGRESS_EVERY = 2000  # events between progress calls on the row readers' path


def import_file(store: Store, path: str | Path, fmt: str, report: ImportReport | None = None, *,
                dates: DateRange | None = None, progress: Callable[[int], None] | None = None,
                keep: EventFilter | None = None) -> ImportReport:
    """Import ``path`` read as ``fmt`` into ``store``; returns ``report`` (or a new one)
    with the rows read, skips, errors and the events added and replaced.

    The store's ``meta`` notes the import under the file's resolved path. A file that
    cannot be read raises SourceError and adds nothing; the errors of rows read before
    are in ``report``. ``progress`` is called now and then with the rows read so far.
    ``keep`` (GDELT files only) leaves out the events it does not keep while reading.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown dataset format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if keep is not None and not keep.everything and fmt not in ("gdelt1", "gdelt2"):
        raise ValueError(f"an event filter applies to GDELT files, not to {fmt}")
    path = Path(path)
    report = report if report is not None else ImportReport()
    source = display_path(path.resolve())
    if fmt in ("gdelt1", "gdelt2"):
        from equipoise.sources.gdeltbulk import import_gdelt

        return import_gdelt(store, path, int(fmt[-1]), report, dates=dates, source=source,
                            progress=progress, keep=keep)  # fmt: skip

    def events():
        for n, event in enumerate(read_dataset(path, fmt, report, dates=dates)):
            if progress is not None and n % _PROGRESS_EVERY == 0:
                progress(report.rows)
            yield event

    added, replaced = store.add_dataset_events(events(), fmt, source=source)
    report.added += added
    report.replaced += replaced
    return report
