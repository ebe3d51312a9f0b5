"""The endpoints of the map: where the events took place, and the country outlines."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI
from fastapi import Query as Params
from fastapi.responses import Response

from equipoise import api
from equipoise.outputs import maps
from equipoise.outputs.jsonify import plain, records
from equipoise.outputs.server.calls import Computing, _asked, _call
from equipoise.outputs.server.params import PlacesQuery
from equipoise.outputs.server.responses import OutlinesResponse, PlacesResponse


def add_place_endpoints(app: FastAPI, *, where: dict[str, Any], computing: Computing) -> None:
    """``/api/places`` and ``/api/outlines``."""

    @app.get(
        "/api/places",
        response_model=PlacesResponse,
        summary="Where the events took place: places with coordinates, by quad class",
    )
    def places_endpoint(q: Annotated[PlacesQuery, Params()]) -> dict[str, Any]:
        """:func:`equipoise.api.locate`: the events of ``/api/events`` between ``focal``
        and the poles, counted by the place their dataset gives (imported records carry
        coordinates; coded news does not, and then ``places`` is empty)."""
        query = _asked(q.query)
        with computing():
            found = _call(api.locate, query, **where)
        table = found.table
        return {
            "focal": query.focal,
            "poles": list(query.poles),
            "start": plain(query.start),
            "end": plain(query.end),
            "events": found.events,
            "located": found.located,
            "colours": {str(q): colour for q, colour in maps.QUAD_COLOURS.items()},
            "places": records(table),
        }

    @app.get(
        "/api/outlines",
        response_model=OutlinesResponse,
        summary="Country outlines for the map of places (Natural Earth 1:110m)",
    )
    def outlines_endpoint() -> Response:
        """The countries as SVG paths in the map's equirectangular units; the same for
        every store, so browsers may keep it for a day."""
        body = OutlinesResponse(view_box=maps.VIEW_BOX, outlines=list(maps.outlines()))
        return Response(body.model_dump_json(), media_type="application/json",
                        headers={"Cache-Control": "max-age=86400"})
