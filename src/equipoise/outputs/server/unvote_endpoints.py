"""The endpoint of UN General Assembly voting agreement."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import FastAPI
from fastapi import Query as Params

from equipoise import api
from equipoise.outputs import specs
from equipoise.outputs.charts import pole_colours
from equipoise.outputs.jsonify import records
from equipoise.outputs.server.calls import _asked, _call
from equipoise.outputs.server.http_errors import ApiError
from equipoise.outputs.server.params import UnvotesQuery
from equipoise.outputs.server.responses import UnvotesResponse


def add_unvote_endpoints(app: FastAPI, *, un_votes: pd.DataFrame | None) -> None:
    """``/api/unvotes``, listed in the reference only when ``un_votes`` is given."""

    @app.get(
        "/api/unvotes",
        response_model=UnvotesResponse,
        summary="UN General Assembly voting agreement of the focal state with each pole",
        include_in_schema=un_votes is not None,
    )
    def unvotes_endpoint(q: Annotated[UnvotesQuery, Params()]) -> dict[str, Any]:
        """:func:`equipoise.analysis.unvotes.agreement_matrix`: per session (or year) and
        pole, common roll calls, agreement share, S score, Scott's pi, Cohen's kappa and the
        published agreement, and ``charts``, the specs of their charts. Only when the server
        was started with UN vote data."""
        votes = app.state.un_votes
        if votes is None:
            raise ApiError(404, "no UN vote data is configured for this server")
        query = _asked(q.query)
        table = _call(api.un_agreement, votes, query.focal, list(query.poles), by=q.by)
        states = list(dict.fromkeys(table["pole"])) if len(table) else []
        charts = specs.un_charts(table, query.focal, list(query.poles),
                                 pole_colours(list(query.poles)), q.measure)
        return {"focal": query.focal, "poles": states, "by": q.by, "measure": q.measure,
                "records": records(table), "charts": charts}
