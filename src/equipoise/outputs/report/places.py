"""The map of where the events took place, and the places with most events."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from equipoise.analysis.places import locate
from equipoise.outputs import maps
from equipoise.outputs.report.text import _join

# Places listed under the map, most events first.
_TOP_PLACES = 10


def _place_map(in_range: pd.DataFrame | None, focal: str, poles: list[str]) -> dict | None:
    """The map of where the events took place, when any has coordinates (imported
    records do; coded news does not): the SVG, its legend and the places with most events."""
    if in_range is None or in_range.empty:
        return None
    found = locate(in_range)
    table = found.table
    if table.empty:
        return None
    rows = table.to_dict("records")
    return {
        "svg": Markup(maps.map_svg(table, f"Where the events between {focal} and "
                                          f"{_join(poles, 'or')} took place")),
        "legend": maps.legend(),
        "events": f"{found.events:,}",
        "located": f"{found.located:,}",
        "n_places": len(table),
        "top": [{"title": maps.place_title(row)} for row in rows[:_TOP_PLACES]],
    }
