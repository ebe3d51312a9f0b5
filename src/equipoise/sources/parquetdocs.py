"""Documents from Parquet: a file or a folder of files, one document per row.

The columns are those of a JSON Lines record (``text``, ``date``, optional ``id``,
``url``, ``title``), checked the same way; ``date`` may be a date, a timestamp or text.
Rows are read a batch at a time, so a corpus larger than memory streams through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from equipoise.records import Document
from equipoise.sources.errors import SourceError
from equipoise.sources.jsonl import document_from_record
from equipoise.sources.limits import DateRange

COLUMNS = ("id", "text", "date", "url", "title")
BATCH_ROWS = 1_000


def read_parquet_documents(
    path: str | Path, date: dt.date | None = None, *, dates: DateRange | None = None,
    batch_rows: int = BATCH_ROWS,
) -> Iterator[Document | SourceError]:
    """Yield a Document for each good row and a SourceError for each bad one (its row
    number counted from 1 over the whole dataset, in the order read)."""
    import pyarrow.dataset as ds

    path = Path(path)
    dates = dates if dates is not None else DateRange()
    try:
        dataset = ds.dataset(path, format="parquet")
    except (OSError, ValueError) as exc:
        yield SourceError(path, f"cannot read Parquet: {exc}")
        return
    names = set(dataset.schema.names)
    if "text" not in names:
        yield SourceError(path, "no 'text' column")
        return
    row = 0
    for batch in dataset.to_batches(columns=[c for c in COLUMNS if c in names],
                                    batch_size=batch_rows):
        for record in batch.to_pylist():
            row += 1
            value = record.get("date")
            if isinstance(value, dt.datetime):
                record["date"] = value.date().isoformat()
            elif isinstance(value, dt.date):
                record["date"] = value.isoformat()
            try:
                yield document_from_record(record, path, row, date, dates)
            except SourceError as err:
                yield err
    if row == 0:
        yield SourceError(path, "empty document")
