"""The tables the page offers as CSV and JSON files."""

from __future__ import annotations

import pandas as pd

from equipoise.outputs import jsonify


def _table(frame: pd.DataFrame | None) -> dict | None:
    """A table for the page's CSV and JSON downloads: its column names and its rows as
    lists of JSON values (columns whose names start with ``_`` are the report's own)."""
    if frame is None or frame.empty:
        return None
    columns = [c for c in frame.columns if not str(c).startswith("_")]
    rows = [[jsonify.plain(v) for v in row]
            for row in frame[columns].itertuples(index=False, name=None)]
    return {"columns": [str(c) for c in columns], "rows": rows}


def _downloads(**frames: pd.DataFrame | None) -> dict[str, dict]:
    """The tables the page offers as files, by name; empty ones are left out."""
    tables = {name: _table(frame) for name, frame in frames.items()}
    return {name: table for name, table in tables.items() if table}
