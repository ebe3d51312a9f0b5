"""The change point listing: each break with the documents that drive it."""

from __future__ import annotations

import pandas as pd

from equipoise.analysis.result import ChangePoints
from equipoise.outputs.report.safety import safe_url
from equipoise.outputs.report.text import _date_text, _text
from equipoise.outputs.report.words import DRIVER_EVENTS_SHOWN, QUADS
from equipoise.outputs.specs import number as _number
from equipoise.outputs.specs import plain as _plain
from equipoise.reference.numbers import signed as _signed


def _points_table(changepoints: object
                  ) -> tuple[pd.DataFrame | None, pd.DataFrame | None, str | None]:
    """The points, drivers and status of the test, from what was given."""
    if changepoints is None:
        return None, None, None
    if isinstance(changepoints, ChangePoints):
        return changepoints.points, changepoints.drivers, changepoints.status
    if isinstance(changepoints, pd.DataFrame):
        return changepoints, None, None
    if isinstance(changepoints, tuple | list) and len(changepoints) == 2:
        points, drivers = changepoints
        return points, drivers, None
    raise TypeError("changepoints must be the result of find_changepoints(), the (points, "
                    "drivers) pair of changepoints(), or None")


def _driver_docs(part: pd.DataFrame) -> list[dict]:
    """The driving documents of one change point, most influential first, with events."""
    docs = []
    for rank, doc in part.groupby("rank", sort=True):
        first = doc.iloc[0]
        url = safe_url(first.get("doc_url"))
        events = []
        for ev in doc.head(DRIVER_EVENTS_SHOWN).to_dict("records"):
            quad = _number(ev.get("quad"))
            name, css = QUADS.get(int(quad) if quad is not None else 0, ("Unknown", "na"))
            arrow = "↔" if ev.get("direction") == "both" else "→"
            events.append(
                {
                    "date": _date_text(ev.get("event_date")),
                    "actors": f"{_text(ev.get('source'))} {arrow} {_text(ev.get('target'))}",
                    "quad_name": name,
                    "quad_class": css,
                    "sentence": _text(ev.get("sentence")),
                }
            )
        docs.append(
            {
                "rank": int(rank),
                "title": _text(first.get("doc_title")).strip() or url or _text(first.get("doc_id")),
                "url": url,
                "influence": _plain(first.get("influence")),
                "without": _signed(first.get("shift_without")),
                "events": events,
                "more": max(len(doc) - DRIVER_EVENTS_SHOWN, 0),
            }
        )
    return docs


def _change_points(
    points: pd.DataFrame | None,
    drivers: pd.DataFrame | None,
    poles: list[str],
    colours: dict[str, str],
) -> list[dict]:
    """The change points of ``poles`` for the template, each with its driving documents."""
    if points is None or points.empty:
        return []
    points = points[points["pole"].astype(str).isin(poles)]
    by_point: dict[tuple[str, str], pd.DataFrame] = {}
    if drivers is not None and not drivers.empty:
        keys = [drivers["pole"].astype(str), drivers["period"].astype(str)]
        by_point = {key: part for key, part in drivers.groupby(keys)}
    listed = []
    for row in points.itertuples(index=False):
        pole, period = str(row.pole), str(row.period)
        part = by_point.get((pole, period))
        listed.append(
            {
                "pole": pole,
                "colour": colours.get(pole, "#52606d"),
                "period": period,
                "before": _signed(row.before),
                "after": _signed(row.after),
                "shift": _signed(row.shift),
                "up": (_number(row.shift) or 0) > 0,
                "window": f"{_text(row.window_start)} to {_text(row.window_end)}",
                "n_before": int(_number(row.n_before) or 0),
                "n_after": int(_number(row.n_after) or 0),
                "stability": _share(getattr(row, "stability", None)),
                "docs": _driver_docs(part) if part is not None else [],
            }
        )
    return listed


def _share(value: object) -> str | None:
    """A share in [0, 1] as a whole percentage; None when missing."""
    number = _number(value)
    return None if number is None else f"{number:.0%}"
