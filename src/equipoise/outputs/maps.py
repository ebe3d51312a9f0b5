"""An offline map of where events took place: country outlines and a circle per place.

The outlines are Natural Earth's 1:110m countries (``data/world_110m.json``, see the data
README), drawn in an equirectangular projection: one unit of the SVG is a tenth of a
degree, x east and y south, so a point's coordinates need no projection beyond a sign.
The report gets the whole map as inline SVG from :func:`map_svg`; the dashboard gets the
outlines from ``/api/outlines`` and the places from ``/api/places`` and draws the same.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from html import escape
from typing import Any

import pandas as pd

from equipoise.reference.data import data_file
from equipoise.reference.quads import QUAD_COLUMNS, QUAD_NAMES

# Latitudes 84N to 60S: Antarctica and the Arctic Ocean hold no events worth the room.
NORTH, SOUTH = 84, -60
VIEW_BOX = f"-1800 {-NORTH * 10} 3600 {(NORTH - SOUTH) * 10}"
# Colour-blind-safe (Okabe-Ito): blues for cooperation, oranges for conflict, the
# material class darker. The dashboard's script mirrors them (PLACE_COLOURS).
QUAD_COLOURS = {1: "#56B4E9", 2: "#0072B2", 3: "#E69F00", 4: "#D55E00"}
LAND, BORDER, SEA = "#e4e7eb", "#9aa5b1", "#f5f8fb"
# Circle radii in tenths of a degree: the largest place, and the least any place gets.
MAX_RADIUS, MIN_RADIUS = 60.0, 9.0


@lru_cache(maxsize=1)
def outlines() -> tuple[dict[str, Any], ...]:
    """Each country's ``name``, ISO3 code (``iso``, None where Natural Earth has none) and
    outline as an SVG path (``d``), in the map's units; countries wholly south of the map
    are left out."""
    world = json.loads(data_file("world_110m.json").read_text("utf-8"))
    shapes = []
    for country in world["countries"]:
        rings = [r for r in country["rings"] if max(r[1::2]) > SOUTH * 10]
        if not rings:
            continue
        shapes.append({"iso": country["iso"], "name": country["name"], "d": _path(rings)})
    return tuple(shapes)


def _path(rings: list[list[int]]) -> str:
    """Rings of [lon, lat, lon, lat, ...] in tenths of a degree as one SVG path, each ring
    a move and relative lines (short numbers: the whole world is about 60 kB)."""
    parts = []
    for ring in rings:
        x, y = ring[0], -ring[1]
        steps = [f"M{x} {y}l"]
        for i in range(2, len(ring), 2):
            nx, ny = ring[i], -ring[i + 1]
            steps.append(f"{nx - x} {ny - y}")
            x, y = nx, ny
        parts.append(steps[0] + " ".join(steps[1:]) + "z")
    return "".join(parts)


def radius(n: int, most: int) -> float:
    """A place's circle radius: its area follows its number of events."""
    if most <= 0:
        return MIN_RADIUS
    return round(max(MIN_RADIUS, MAX_RADIUS * math.sqrt(n / most)), 1)


def place_title(row: dict[str, Any]) -> str:
    """A place's tooltip: its name, its events and their quad classes."""
    n = int(row["n_events"])
    counts = [
        f"{int(row[column])} {QUAD_NAMES[q]}"
        for q, column in enumerate(QUAD_COLUMNS, start=1) if int(row[column])
    ]  # fmt: skip
    name = str(row.get("place") or "") or f"{row['latitude']:.2f}, {row['longitude']:.2f}"
    detail = f" ({', '.join(counts)})" if counts else ""
    return f"{name}: {n} event{'s' if n != 1 else ''}{detail}"


def map_svg(table: pd.DataFrame, label: str) -> str:
    """The map as inline SVG: outlines, then a circle per place of ``table`` (from
    :func:`equipoise.analysis.places.places`), larger places first so that small ones
    stay visible on top, coloured by their main quad class. Text is escaped."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="place-map" viewBox="{VIEW_BOX}" '
        f'role="img" aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">',
        f'<rect x="-1800" y="{-NORTH * 10}" width="3600" height="{(NORTH - SOUTH) * 10}" '
        f'fill="{SEA}"/>',
        f'<g fill="{LAND}" stroke="{BORDER}" stroke-width="0.6" '
        'vector-effect="non-scaling-stroke">',
        *(f'<path d="{shape["d"]}"/>' for shape in outlines()),
        "</g>",
        '<g stroke="#ffffff" stroke-width="1" fill-opacity="0.8">',
    ]
    rows = table.to_dict("records")
    most = max((int(r["n_events"]) for r in rows), default=0)
    for row in sorted(rows, key=lambda r: -int(r["n_events"])):
        quad = row.get("quad")
        colour = QUAD_COLOURS.get(int(quad), BORDER) if pd.notna(quad) else BORDER
        x, y = round(float(row["longitude"]) * 10, 1), round(-float(row["latitude"]) * 10, 1)
        parts.append(
            f'<circle cx="{x:g}" cy="{y:g}" r="{radius(int(row["n_events"]), most):g}" '
            f'fill="{colour}" vector-effect="non-scaling-stroke">'
            f"<title>{escape(place_title(row))}</title></circle>"
        )
    parts += ["</g>", "</svg>"]
    return "".join(parts)


def legend() -> list[dict[str, str]]:
    """The quad classes' names and colours, in quad order."""
    return [{"name": QUAD_NAMES[q].capitalize(), "colour": c} for q, c in QUAD_COLOURS.items()]
