"""The event listing: rows in the report's range, highlighted sentences and the
periods to filter by."""

from __future__ import annotations

import re

import pandas as pd

from equipoise.outputs import jsonify
from equipoise.outputs.report.safety import safe_url
from equipoise.outputs.report.text import _actor, _date_text, _iso_day, _missing, _text
from equipoise.outputs.specs import number as _number
from equipoise.reference.periods import FREQ_CODES


def _period_ranges(periods: list[str], freq: object) -> dict[str, list[str | None]]:
    """First and last day of each period, for filtering the event table by period."""
    code = FREQ_CODES.get(str(freq))
    ranges = {}
    for label in periods:
        try:
            period = pd.Period(label, freq=code) if code else pd.Period(label)
        except (TypeError, ValueError):
            continue
        ranges[label] = [jsonify.day(period.start_time), jsonify.day(period.end_time)]
    return ranges


def _utf16(text: str, index: int) -> int:
    """The JavaScript (UTF-16) string index of Python index ``index`` in ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def highlight(sentence: str, source_text: object, target_text: object,
              trigger: object = None) -> list[list]:
    """Where the actors' first mentions and the trigger are: ``[start, end, kind]`` spans
    in order, kind ``"s"`` (source), ``"t"`` (target) or ``"v"`` (trigger word).

    A mention is looked for as written, then ignoring case; the trigger as a word
    (ignoring case, to the end of the word: "sign" marks "signed"). When spans overlap
    only the earlier one is kept. Offsets count UTF-16 code units, as JavaScript
    strings do, so a page can slice the sentence directly.
    """
    spans = []
    for kind, needle in (("s", _text(source_text).strip()), ("t", _text(target_text).strip())):
        if not needle:
            continue
        start = sentence.find(needle)
        if start < 0:
            found = re.search(re.escape(needle), sentence, flags=re.IGNORECASE)
            if not found:
                continue
            start = found.start()
        spans.append((start, start + len(needle), kind))
    word = _text(trigger).strip()
    if word:
        found = re.search(rf"\b{re.escape(word)}\w*", sentence, flags=re.IGNORECASE)
        if found:
            spans.append((found.start(), found.end(), "v"))
    kept, at = [], 0
    for start, end, kind in sorted(spans):
        if start >= at:
            kept.append([_utf16(sentence, start), _utf16(sentence, end), kind])
            at = end
    return kept


def _in_range(dyads: pd.DataFrame | None, poles: list[str], start: object, end: object):
    """The dyad events with the report's poles inside [start, end], with a ``_when`` day."""
    if dyads is None or dyads.empty:
        return None
    frame = dyads[dyads["pole"].isin(poles)] if "pole" in dyads.columns else dyads
    when = pd.to_datetime(frame["event_date"], format="mixed", errors="coerce").dt.normalize()
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= when >= pd.Timestamp(start)
    if end is not None:
        keep &= when <= pd.Timestamp(end)
    return frame.loc[keep].assign(_when=when.loc[keep])


def _event_rows(frame: pd.DataFrame | None, max_events: int | None) -> list[dict]:
    """The rows of the event table, by date; the ``max_events`` with the largest |Goldstein|."""
    if frame is None or frame.empty:
        return []
    if max_events is not None and len(frame) > max_events:
        weight = pd.to_numeric(frame["goldstein"], errors="coerce").abs().fillna(0)
        frame = frame.loc[weight.sort_values(ascending=False, kind="stable").index[:max_events]]
    frame = frame.sort_values("_when", kind="stable", na_position="last")
    rows = []
    for row in frame.to_dict("records"):
        quad = _number(row.get("quad"))
        url = safe_url(row.get("doc_url"))
        sentence = _text(row.get("sentence"))
        rows.append(
            {
                "date": _date_text(row.get("event_date"), row.get("date_precision")),
                "day": _iso_day(row.get("_when")),
                "pole": _text(row.get("pole")),
                "dir": _text(row.get("direction")),
                "src": _actor(row, "source"),
                "tgt": _actor(row, "target"),
                "cameo": _text(row.get("cameo")),
                "quad": int(quad) if quad is not None else None,
                "g": _number(row.get("goldstein")),
                "text": sentence,
                "marks": highlight(sentence, row.get("source_text"), row.get("target_text"),
                                   row.get("trigger")),
                "doc": _text(row.get("doc_id")),
                "reported": not _missing(row.get("reported")) and bool(row.get("reported")),
                "title": _text(row.get("doc_title")).strip() or url or _text(row.get("doc_id")),
                "url": url,
                "published": _date_text(row.get("published")),
                "dataset": _text(row.get("dataset")),
            }
        )
    return rows
