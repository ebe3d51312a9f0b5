"""What the report covers: its documents, events, dates and sources, and the
caller's figures."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from urllib.parse import urlsplit

import pandas as pd

from equipoise.analysis.result import Alignment
from equipoise.outputs.report.safety import safe_url
from equipoise.outputs.report.text import _date_text, _text


def _counts(values: pd.Series, top: int) -> str:
    counts = values.dropna().astype(str).value_counts()
    text = ", ".join(f"{k} ({v:,})" for k, v in counts.head(top).items())
    return text + (f" and {len(counts) - top:,} more" if len(counts) > top else "")


def _report_coverage(
    frame: pd.DataFrame | None, n_shown: int, measured: Alignment
) -> list[tuple[str, str]]:
    """Documents, events, dates, datasets and sources behind this report."""
    items: list[tuple[str, str]] = []
    if frame is not None and len(frame):
        if "doc_id" in frame.columns:
            docs = frame["doc_id"].dropna().astype(str)
            items.append(("Documents", f"{docs[docs.str.strip() != ''].nunique():,}"))
        n = len(frame)
        items.append(
            ("Dyad events", f"{n:,}" + (f" ({n_shown:,} in the table)" if n_shown < n else ""))
        )
        when = frame["_when"].dropna()
        if len(when):
            items.append(("Event dates", f"{when.min().date()} to {when.max().date()}"))
        for column, label in (("dataset", "Datasets"), ("doc_source", "Sources")):
            if column in frame.columns and frame[column].notna().any():
                items.append((label, _counts(frame[column], 10)))
        if "doc_url" in frame.columns:
            hosts = frame["doc_url"].map(lambda u: urlsplit(u).hostname if safe_url(u) else None)
            if hosts.notna().any():
                items.append(("Web sources", _counts(hosts, 8)))
    if measured.start is not None:
        window = f"{_date_text(measured.start)} to {_date_text(measured.end)}"
        items.append(("Analysis window", window))
    return items


def _given_coverage(coverage: Mapping | None) -> list[tuple[str, str]]:
    """The caller's ``coverage`` mapping as label/value pairs."""
    items = []
    for key, value in (coverage or {}).items():
        label = str(key).replace("_", " ").strip().capitalize()
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            shown = f"{value:,.2f}"
        elif isinstance(value, int | float):
            shown = f"{value:,.0f}" if math.isfinite(value) else str(value)
        elif isinstance(value, list | tuple | set):
            shown = ", ".join(str(v) for v in value)
        elif isinstance(value, dt.date | pd.Timestamp):
            shown = _date_text(value)
        else:
            shown = _text(value)
        items.append((label, shown))
    return items
