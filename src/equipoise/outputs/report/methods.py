"""The methods note: the options measured with and the analyst's judgements."""

from __future__ import annotations

import pandas as pd

from equipoise.analysis.result import Alignment
from equipoise.outputs.report.text import _missing, _text
from equipoise.outputs.report.words import DIRECTION_WORDS, FREQ_WORDS, WEIGHT_WORDS


def _method(measured: Alignment, ci_text: str) -> dict:
    return {
        "smoothing": f"{float(measured.smoothing):g}",
        "min_events": int(measured.min_events or 0),
        "weight": WEIGHT_WORDS.get(str(measured.weight), WEIGHT_WORDS["count"]),
        "direction": DIRECTION_WORDS.get(str(measured.direction), DIRECTION_WORDS["out"]),
        "freq": FREQ_WORDS.get(str(measured.freq), "per period"),
        "ci": ci_text if measured.ci else None,
        "n_boot": measured.n_boot,
    }


# The columns of the judgements the report lists and offers as a file.
JUDGEMENT_COLUMNS = ("doc_id", "sent_start", "source", "target", "root", "verdict", "cameo",
                     "reason", "who", "judged_at", "sentence")


def _judged_at(value: object) -> str:
    if _missing(value):
        return ""
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(value)


def _judgements(frame: pd.DataFrame | None) -> dict | None:
    """The analyst's judgements for the methods: how many of each verdict, and a row each."""
    if frame is None or frame.empty:
        return None
    rows = []
    for row in frame.to_dict("records"):
        excluded = row.get("verdict") == "exclude"
        cameo = _text(row.get("cameo"))
        verdict_text = "excluded" if excluded else (
            f"miscoded, should be {cameo}" if cameo else "miscoded")
        rows.append(
            {
                "event": f"{_text(row.get('source'))} → {_text(row.get('target'))}, "
                f"root {_text(row.get('root'))}",
                "where": f"{_text(row.get('doc_id'))}:{_text(row.get('sent_start'))}",
                "sentence": _text(row.get("sentence")),
                "excluded": excluded,
                "verdict": verdict_text,
                "reason": _text(row.get("reason")),
                "who": _text(row.get("who")),
                "when": _judged_at(row.get("judged_at")),
            }
        )
    excluded = sum(r["excluded"] for r in rows)
    return {"excluded": excluded, "miscoded": len(rows) - excluded, "rows": rows}
