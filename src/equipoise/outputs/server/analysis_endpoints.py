"""The endpoints of the analysis: where the events are, which actors, the alignment and its
change points.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI
from fastapi import Query as Params

from equipoise import api
from equipoise.analysis.query import actor_code
from equipoise.outputs import jsonify, specs
from equipoise.outputs.charts import pole_colours
from equipoise.outputs.jsonify import options, plain, records
from equipoise.outputs.server.calls import Computing, _asked, _call, open_store
from equipoise.outputs.server.params import (
    ActorsQuery,
    AlignQuery,
    ChangepointQuery,
    SpanQuery,
    _csv,
    _export,
)
from equipoise.outputs.server.policy import PARTNERS
from equipoise.outputs.server.responses import (
    ActorsResponse,
    AlignResponse,
    ChangepointsResponse,
    SpanResponse,
)
from equipoise.reference.countries import names as _names
from equipoise.reference.memberships import default_memberships


@lru_cache(maxsize=1)
def _blocs() -> list[dict[str, Any]]:
    table = default_memberships()
    counts = table.groupby(table["bloc"].str.upper())["member"].nunique()
    names = _names()
    return [
        {"code": code, "name": names.get(code), "members": int(n)} for code, n in counts.items()
    ]


def _counts(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
    names = _names()
    return [{"code": code, "name": names.get(code), "events": n} for code, n in rows]


def add_analysis_endpoints(
    app: FastAPI, *, where: dict[str, Any], db: Path | None, events: str | None, label: str,
    annotate: bool, computing: Computing,
) -> None:
    """``/api/span``, ``/api/actors``, ``/api/align`` and ``/api/changepoints``."""

    @app.get(
        "/api/span",
        response_model=SpanResponse,
        summary="Where the events are: the densest window and a frequency that suits it",
    )
    def span_endpoint(q: Annotated[SpanQuery, Params()]) -> dict[str, Any]:
        """The shortest window holding 80% of the events between ``focal`` and ``poles``
        (background events left out), and month, quarter or year by its length: what the
        dashboard opens on when the address names no window."""
        query = _asked(q.query)
        with computing():
            found = _call(api.span, query, **where)
        return {**found, "start": plain(found["start"]), "end": plain(found["end"])}

    @app.get(
        "/api/actors",
        response_model=ActorsResponse,
        summary="Actor codes in the store, bloc codes, and a focal actor's partners",
    )
    def actors(q: Annotated[ActorsQuery, Params()]) -> dict[str, Any]:
        """Every actor code found as source or target, with its number of event rows, and
        the bloc codes of the membership table (usable as focal or pole). With ``focal``,
        also the actors that focal's events are with (by code or country), most first."""
        focal = None if q.focal is None else _call(actor_code, q.focal, "focal")
        # Annotating, a write may come at any time: wait for it (see judge_endpoint).
        with computing() if annotate else nullcontext(), open_store(db, events) as store:
            stats = store.stats()
            found = _counts(store.actor_counts())
            partners = []
            if focal is not None:
                partners = _counts(store.actor_counts(partners_of=focal, limit=PARTNERS))
        return {
            "store": {k: plain(v) for k, v in stats.items()} | {"file": label},
            "actors": found,
            "blocs": _blocs(),
            "focal": focal,
            "partners": partners,
            "features": {"unvotes": app.state.un_votes is not None},
        }

    @app.get(
        "/api/align",
        response_model=AlignResponse,
        summary="Counts, scores, tilt and equidistance per period and pole",
    )
    def align_endpoint(q: Annotated[AlignQuery, Params()]) -> Any:
        """The table of ``equipoise align`` (same columns as
        :func:`equipoise.analysis.align.align`, one record per period and pole, with
        intervals when ``ci`` is given), the equidistance index per period, the per-pole
        summary over the window, the verdict sentence, and ``charts``: the chart specs the
        dashboard draws and the report embeds (tilt, score and net_coop over time,
        equidistance, the dyad by quad heat map), in the format of static/charts.js."""
        query = _asked(q.query)
        export = _export(q.format)
        with computing():
            if export:
                return _csv(_call(api.align, query, **where), f"align-{query.focal}.csv")
            result = _call(api.analyse, replace(query, changepoints=False), listing=False,
                           **where)
            return jsonify.alignment(result)

    @app.get(
        "/api/changepoints",
        response_model=ChangepointsResponse,
        summary="Change points in each pole's tilt, and the documents that drive them",
    )
    def changepoints_endpoint(q: Annotated[ChangepointQuery, Params()]) -> dict[str, Any]:
        """The two tables of :func:`equipoise.analysis.changepoints.changepoints` on the
        tilt: ``points`` (pole, period, before, after, shift, window) and ``drivers`` (the
        events of each change point's most influential documents, with their sentences),
        and ``markers``, the change points as the tilt chart's spec marks them."""
        query = _asked(q.query)
        with computing():
            found = _call(api.find_changepoints, query, **where)
        points, table = found.points, found.drivers
        if len(table) and "doc_url" in table.columns:
            from equipoise.outputs.report import safe_url

            table = table.assign(doc_link=[safe_url(u) for u in table["doc_url"]])
        return {
            "focal": query.focal,
            "poles": list(query.poles),
            "options": options(found.options()) | {"top": query.top},
            "status": found.status,
            "points": records(points),
            "drivers": records(table),
            "markers": specs.markers(points, pole_colours(list(query.poles))),
        }
