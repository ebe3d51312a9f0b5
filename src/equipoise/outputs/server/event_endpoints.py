"""The endpoints of events: the events behind a chart point, and the analyst's judgements
of them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import FastAPI
from fastapi import Query as Params

from equipoise import api
from equipoise.outputs.jsonify import plain, records
from equipoise.outputs.server.calls import Computing, _asked, _call, _writable, open_store
from equipoise.outputs.server.http_errors import ApiError
from equipoise.outputs.server.params import (
    EventKey,
    EventsQuery,
    Judgement,
    _csv,
    _export,
    _period_bounds,
)
from equipoise.outputs.server.policy import _JUDGEMENTS
from equipoise.outputs.server.responses import EventsResponse, JudgementsResponse, Record
from equipoise.reference.quads import QUAD_NAMES
from equipoise.store import StoreError

_EVENT_FIELDS = (
    "event_date", "date_precision", "pole", "direction",
    "source", "source_country", "source_sector", "source_text",
    "target", "target_country", "target_sector", "target_text",
    "cameo", "root", "quad", "quad_name", "goldstein", "plover", "symmetric", "reported",
    "trigger", "sentence", "sent_start", "doc_id", "doc_title", "doc_url", "doc_link",
    "published", "coder", "dataset", "story", "n_reports", "lead",
    # Where an imported record came from (NULL for coded events).
    "publisher", "place_name", "place_admin", "place_country", "latitude", "longitude",
    "story_id", "notes",
)  # fmt: skip
_KEY = ["doc_id", "sent_start", "source", "target", "root"]


def _event_records(frame: pd.DataFrame, judged: pd.DataFrame | None = None) -> list[Record]:
    """Events as JSON records, each with ``marks`` (where its actors and trigger are in
    its sentence, as the report marks them) and ``judgement`` (the analyst's, or null)."""
    from equipoise.outputs.report import highlight, safe_url

    frame = frame.copy()
    if "doc_url" in frame.columns:
        frame["doc_link"] = [safe_url(u) for u in frame["doc_url"]]
    frame["quad_name"] = [
        QUAD_NAMES.get(int(q)) if q is not None and not pd.isna(q) else None
        for q in frame.get("quad", pd.Series([None] * len(frame)))
    ]
    columns = [c for c in _EVENT_FIELDS if c in frame.columns]
    found = records(frame[columns])
    texts = {side: frame.get(f"{side}_text", pd.Series([None] * len(frame))).tolist()
             for side in ("source", "target")}
    verdicts: dict[tuple, dict[str, Any]] = {}
    if judged is not None and len(judged):
        for row in judged.to_dict("records"):
            verdicts[tuple(row[k] for k in _KEY)] = {
                "verdict": row["verdict"], "cameo": plain(row.get("cameo")),
                "reason": row["reason"], "who": row.get("who"),
            }
    for i, record in enumerate(found):
        sentence = str(record.get("sentence") or "")
        record["marks"] = highlight(sentence, texts["source"][i], texts["target"][i],
                                    record.get("trigger"))
        record["judgement"] = verdicts.get(tuple(record.get(k) for k in _KEY))
    return found


def add_event_endpoints(
    app: FastAPI, *, where: dict[str, Any], db: Path | None, events: str | None,
    annotate: bool, who: str, computing: Computing,
) -> None:
    """``/api/events`` and ``/api/judgements`` (written to only when ``annotate``)."""

    @app.get(
        "/api/events",
        response_model=EventsResponse,
        summary="The events and sentences behind one chart point",
    )
    def events_endpoint(q: Annotated[EventsQuery, Params()]) -> Any:
        """Events between ``focal`` and ``pole`` in one period (or the whole window), as
        :func:`equipoise.analysis.align.align` counts them: symmetric events once, bloc
        poles by membership on the event date. Each has its sentence, source and target
        (with the words that name them, where stored), CAMEO code, quad, Goldstein score
        and document title, URL (``doc_link`` only when it is plain http(s)) and date."""
        query = _asked(q.query)
        start, end = query.start, query.end
        if q.period is not None:
            first, last = _period_bounds(q.period, query.freq)
            start = first if start is None else max(start, first)
            end = last if end is None else min(end, last)
        if start is not None and end is not None and start > end:
            rows = pd.DataFrame()
        else:
            with computing():
                rows = _call(api.load_events, replace(query, start=start, end=end), **where)
        if len(rows):
            if q.quad is not None:
                rows = rows[rows["quad"] == q.quad]
            if q.direction != "both":
                rows = rows[rows["direction"].isin([q.direction, "both"])]
        if _export(q.format):
            return _csv(rows.head(q.limit), f"events-{query.focal}-{query.poles[0]}.csv")
        judged = None
        if len(rows):
            # In turn with the analyses and the writes of an annotating server: DuckDB lets
            # one process hold a file read-only or for writing, not both at once.
            with computing(), open_store(db, events) as store:
                judged = store.judgements()
        return {
            "focal": query.focal,
            "pole": query.poles[0],
            "period": q.period,
            "start": plain(start),
            "end": plain(end),
            "total": len(rows),
            "events": _event_records(rows.head(q.limit), judged) if len(rows) else [],
        }

    @app.get(
        _JUDGEMENTS,
        response_model=JudgementsResponse,
        summary="The analyst's judgements of events, and whether this server takes them",
    )
    def judgements_endpoint() -> dict[str, Any]:
        """Every judgement in the store (as ``equipoise judgements`` lists them): the
        event's key, exclude or miscoded, the right code, reason, who and when."""
        with computing(), open_store(db, events) as store:
            table = store.judgements()
        return {"annotate": annotate, "judgements": records(table)}

    if annotate:
        assert db is not None  # checked above: annotating needs a store
        store_path: Path = db

        @app.post(_JUDGEMENTS, summary="Exclude an event, or mark it miscoded, with a reason")
        def judge_endpoint(body: Judgement) -> dict[str, Any]:
            """Stored as ``equipoise judge`` stores it: kept apart from the coder's output,
            so it holds when the document is coded again, and applied to every analysis.
            Needs ``equipoise serve --annotate`` and the page's token."""
            from equipoise.reference.cameo import cameo_table

            if body.verdict == "miscoded" and body.cameo is None:
                raise ApiError(422, "cameo: a miscoded event needs its right CAMEO code")
            if body.cameo is not None and body.cameo not in cameo_table():
                raise ApiError(422, f"cameo: unknown CAMEO code {body.cameo!r}")
            with computing(), _writable(store_path) as store:
                try:
                    store.judge(*body.key(), verdict=body.verdict, reason=body.reason,
                                who=who, cameo=body.cameo if body.verdict == "miscoded" else None)
                except StoreError as exc:  # no such event: the request names it wrong
                    raise ApiError(422, str(exc)) from None
            return {"stored": True, "verdict": body.verdict, "event": body.key()}

        @app.delete(_JUDGEMENTS, summary="Withdraw the judgement of an event")
        def unjudge_endpoint(body: EventKey) -> dict[str, Any]:
            """The event counts again as the coder coded it."""
            with computing(), _writable(store_path) as store:
                done = store.unjudge(*body.key())
            if not done:
                raise ApiError(404, "no judgement of this event to withdraw")
            return {"withdrawn": True, "event": body.key()}
