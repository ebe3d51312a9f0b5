"""The chart specs the page embeds: the charts over time, the counts of the heat
map and the static fallback."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from equipoise.outputs import specs
from equipoise.outputs.charts import line_chart_svg
from equipoise.outputs.report.words import QUADS


def _dyad_counts(
    dyads: pd.DataFrame | None, poles: list[str]
) -> dict[tuple[str, str], list[int]]:
    """Events per quad for each pole and direction counted from the dyad events, for an
    alignment table without quad columns; joint actions count in both directions."""
    if dyads is None or dyads.empty or not {"pole", "direction", "quad"} <= set(dyads.columns):
        return {(pole, way): [0] * len(QUADS) for pole in poles for way in specs.DIRECTIONS}
    quad = pd.to_numeric(dyads["quad"], errors="coerce")
    counts = {}
    for pole in poles:
        for way in specs.DIRECTIONS:
            mine = quad[(dyads["pole"] == pole) & dyads["direction"].isin([way, "both"])]
            counts[(pole, way)] = [int((mine == q).sum()) for q in QUADS]
    return counts


def _time_charts(aligned: pd.DataFrame, balance: pd.DataFrame | None, focal: str,
                 poles: list[str], colours: dict[str, str], points: pd.DataFrame | None,
                 ci: object) -> dict[str, dict]:
    """Specs of the charts over time, those the API serves: tilt with the change points
    marked (net cooperation for one pole), net cooperation and equidistance."""
    if not specs.periods(aligned):
        return {}
    marked = specs.markers(points, colours)
    if len(poles) == 1:
        return {"tilt": {**specs.line_chart(aligned, focal, poles, colours, "net_coop", ci),
                         "markers": marked}}
    charts = {
        "tilt": {**specs.line_chart(aligned, focal, poles, colours, "tilt", ci),
                 "markers": marked},
        "netcoop": specs.line_chart(aligned, focal, poles, colours, "net_coop", ci),
    }
    spec = specs.equidistance_chart(balance, specs.periods(aligned), focal, ci)
    if spec:
        charts["equidistance"] = spec
    return charts


def _static_chart(spec: dict) -> Markup:
    """The tilt chart as static SVG, for readers without JavaScript: the same spec."""
    return Markup(line_chart_svg(spec, width=1040, height=300))
