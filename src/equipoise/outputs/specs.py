"""Chart specs: the alignment's charts as the dicts ``static/charts.js`` draws.

One set of specs serves every view: the API answers them (``/api/align``'s ``charts``,
``/api/changepoints``'s ``markers``), the report embeds them, the dashboard draws them
as they come and ``charts.line_chart_svg`` draws the report's static fallback from
them. The functions are pure: tables in, JSON-ready dicts out (missing values None).

A line chart spec holds ``x`` (period labels in order), ``series`` (per pole:
``name``, ``color``, ``values``, ``titles``, ``data`` and, with intervals, ``lo`` and
``hi``), ``yLabel`` and ``label``, and may hold ``markers``, ``yDomain`` and
``zeroLine``. A heat map spec holds ``rows``, ``columns``, ``values``, ``labels``,
``titles``, ``rowColors``, ``rowData``, ``colors``, ``legend`` and ``label``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from equipoise.outputs.charts import PALETTE
from equipoise.reference.numbers import finite, signed
from equipoise.reference.quads import QUAD_COLUMNS, QUAD_NAMES
from equipoise.reference.unissues import issue_names

__all__ = [
    "MEASURES",
    "Spec",
    "alignment_charts",
    "ci_text",
    "equidistance_chart",
    "heat_map",
    "line_chart",
    "markers",
    "number",
    "periods",
    "plain",
    "plural",
    "quad_counts",
    "un_charts",
]

Spec = dict[str, Any]

# The measures charted over time: each one's name in tooltips and on the axis.
MEASURES: dict[str, str] = {"tilt": "tilt", "score": "score", "net_coop": "net cooperation"}
# The ink of the equidistance line: no pole's colour, dark on white.
EQUIDISTANCE_COLOUR = "#243b53"
# The heat map's diverging scale, red for conflict and blue for cooperation.
HEAT_COLOURS = {"neg": "#b2182b", "mid": "#f7f7f7", "pos": "#2166ac"}
DIRECTIONS = ("out", "in")
# The UN agreement measures charted, each with its heading and what it means.
UN_MEASURES = (
    ("agree_share", "Agreement share", "share of common roll calls with the same vote"),
    ("s_score", "S score", "1 − mean vote distance on the yes/abstain/no scale"),
)
# The chance-corrected measure: one of these is charted, Scott's pi by default.
UN_CHANCE_MEASURES = {
    "pi": ("Scott's pi", "agreement beyond chance, chance from both states' pooled votes"),
    "kappa": ("Cohen's kappa", "agreement beyond chance, chance from each state's own votes"),
}


# --------------------------------------------------------------------------- small helpers


# A finite float, or None (JSON null) for anything missing or not a number.
number = finite


def plain(value: object, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals and no sign; a dash when missing."""
    found = number(value)
    return "–" if found is None else f"{found:.{digits}f}"


def plural(n: int, word: str) -> str:
    """``1 event``, ``2,000 events``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _column(frame: pd.DataFrame, name: str) -> list[float | None]:
    if name not in frame.columns:
        return [None] * len(frame)
    return [number(v) for v in frame[name]]


def ci_text(ci: object) -> str:
    """The interval level as tooltips write it (``90%``); 90% when none was asked."""
    level = number(ci)
    return f"{level * 100:g}%" if level else "90%"


def periods(aligned: pd.DataFrame) -> list[str]:
    """The period labels of an alignment table, in time order."""
    if aligned.empty:
        return []
    first = aligned.drop_duplicates("period")
    if "period_start" in first.columns:
        first = first.assign(_start=pd.to_datetime(first["period_start"], errors="coerce"))
        first = first.sort_values("_start", kind="stable")
    return first["period"].astype(str).tolist()


def _grid(aligned: pd.DataFrame, labels: list[str], pole: str) -> pd.DataFrame:
    """One row per period label (empty where the pole has none) for ``pole``."""
    part = aligned[aligned["pole"].astype(str) == pole].copy()
    part["period"] = part["period"].astype(str)
    return part.drop_duplicates("period").set_index("period").reindex(labels)


# --------------------------------------------------------------------------- over time


def line_chart(
    aligned: pd.DataFrame,
    focal: str,
    poles: Sequence[str],
    colours: Mapping[str, str],
    measure: str,
    ci: object = None,
) -> Spec:
    """The line chart of ``measure`` (tilt, score or net_coop) per period, a line per
    pole with its interval band when the table has one; each point's tooltip gives the
    other measures and the number of events, and its ``data`` the pole and period."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    labels = periods(aligned)
    level = ci_text(ci)
    series = []
    for pole in poles:
        rows = _grid(aligned, labels, pole)
        values = _column(rows, measure)
        lo, hi = _column(rows, f"{measure}_lo"), _column(rows, f"{measure}_hi")
        others = {m: _column(rows, m) for m in MEASURES if m != measure and m in rows.columns}
        counts = _column(rows, "n_events")
        titles = []
        for i, period in enumerate(labels):
            parts = [f"{focal} – {pole} · {period}", f"{MEASURES[measure]} {signed(values[i])}"]
            if lo[i] is not None and hi[i] is not None:
                parts[-1] += f" ({level} interval {signed(lo[i])} to {signed(hi[i])})"
            parts += [f"{MEASURES[m]} {signed(column[i])}" for m, column in others.items()
                      if column[i] is not None]
            parts.append(plural(int(counts[i] or 0), "event"))
            titles.append(" · ".join(parts) + " — click for the events")
        entry: Spec = {
            "name": pole,
            "color": colours[pole],
            "values": values,
            "titles": titles,
            "data": [{"pole": pole, "period": period} for period in labels],
        }
        if any(v is not None for v in lo):
            entry.update({"lo": lo, "hi": hi})
        series.append(entry)
    toward = "each pole" if len(poles) != 1 else poles[0]
    label = {
        "tilt": f"Tilt of {focal} toward {toward} over time",
        "score": f"Score of {focal} with {toward} over time",
        "net_coop": f"Net cooperation of {focal} with {toward} over time",
    }[measure]
    return {"x": labels, "series": series, "yLabel": MEASURES[measure], "label": label}


def equidistance_chart(
    balance: pd.DataFrame | None, labels: list[str], focal: str, ci: object = None
) -> Spec | None:
    """The equidistance index per period (0 to 1), with its band; None when no period
    has an index."""
    if balance is None or balance.empty or "equidistance" not in balance.columns:
        return None
    rows = balance.assign(period=balance["period"].astype(str)).drop_duplicates("period")
    rows = rows.set_index("period").reindex(labels)
    values = _column(rows, "equidistance")
    if all(v is None for v in values):
        return None
    lo, hi = _column(rows, "equidistance_lo"), _column(rows, "equidistance_hi")
    with_data, asked = _column(rows, "n_poles_with_data"), _column(rows, "n_poles")
    level = ci_text(ci)
    titles = []
    for i, period in enumerate(labels):
        title = f"{period} · equidistance {plain(values[i])}"
        if lo[i] is not None and hi[i] is not None:
            title += f" ({level} interval {plain(lo[i])} to {plain(hi[i])})"
        found, of = with_data[i], asked[i]
        if found is not None:
            title += f" · {int(found)}" + (f" of {int(of)}" if of is not None else "")
            title += " poles with data"
        titles.append(title)
    series: Spec = {"name": "Equidistance", "color": EQUIDISTANCE_COLOUR, "values": values,
                    "titles": titles}
    if any(v is not None for v in lo):
        series.update({"lo": lo, "hi": hi})
    return {
        "x": labels,
        "series": [series],
        "yDomain": [0, 1],
        "zeroLine": False,
        "yLabel": "equidistance",
        "label": f"Equidistance index of {focal} over time",
    }


def markers(points: pd.DataFrame | None, colours: Mapping[str, str]) -> list[Spec]:
    """A marker per change point of a pole in ``colours``, for the tilt chart."""
    if points is None or points.empty:
        return []
    listed = []
    for row in points.itertuples(index=False):
        pole, period = str(row.pole), str(row.period)
        if pole not in colours:
            continue
        up = (number(row.shift) or 0) > 0
        listed.append(
            {
                "x": period,
                "label": f"{pole} {'▲' if up else '▼'}",
                "color": colours[pole],
                "title": f"Change point for {pole} from {period}: mean tilt "
                f"{signed(row.before)} → {signed(row.after)} (shift {signed(row.shift)})",
            }
        )
    return listed


# --------------------------------------------------------------------------- dyads by quad


def quad_counts(
    aligned: pd.DataFrame, poles: Sequence[str]
) -> dict[tuple[str, str], list[int]] | None:
    """Events per quad for each pole and direction (``out``: focal to pole, ``in``), summed
    over the periods of the alignment table; None when the table has no such columns."""
    wanted = [f"{way}_{q}" for way in DIRECTIONS for q in QUAD_COLUMNS]
    if not set(wanted) <= set(aligned.columns):
        return None
    counts = {}
    for pole in poles:
        part = aligned[aligned["pole"].astype(str) == pole]
        for way in DIRECTIONS:
            counts[(pole, way)] = [int(part[f"{way}_{q}"].sum()) for q in QUAD_COLUMNS]
    return counts


def heat_map(
    focal: str,
    poles: Sequence[str],
    colours: Mapping[str, str],
    counts: Mapping[tuple[str, str], Sequence[int]],
) -> Spec | None:
    """The dyad by quad heat map: rows focal → pole and pole → focal, cells their event
    counts. A cell's colour is its share of the row, positive for cooperation (quads 1-2)
    and negative for conflict (quads 3-4). None when no cell has an event."""
    spec: Spec = {k: [] for k in ("rows", "values", "labels", "titles", "rowColors", "rowData")}
    for pole in poles:
        for way in DIRECTIONS:
            row_counts = list(counts.get((pole, way), [0] * len(QUAD_NAMES)))
            total = sum(row_counts)
            name = f"{focal} → {pole}" if way == "out" else f"{pole} → {focal}"
            values, labels, titles = [], [], []
            for (quad, quad_name), count in zip(QUAD_NAMES.items(), row_counts, strict=True):
                share = count / total if total else None
                values.append(None if share is None else (share if quad <= 2 else -share))
                labels.append(f"{count:,}" + (f" · {round(100 * share)}%" if share else ""))
                title = f"{name} · {quad_name.capitalize()}: {plural(count, 'event')}"
                if share is not None:
                    title += f", {100 * share:.0f}% of the row's {total:,}"
                titles.append(title + ". Click to list them.")
            spec["rows"].append(name)
            spec["values"].append(values)
            spec["labels"].append(labels)
            spec["titles"].append(titles)
            spec["rowColors"].append(colours[pole])
            spec["rowData"].append({"pole": pole, "direction": way})
    if not any(v for row in spec["values"] for v in row):
        return None
    return {
        **spec,
        "columns": [name.capitalize() for name in QUAD_NAMES.values()],
        "colors": dict(HEAT_COLOURS),
        "legend": {"neg": "conflict share", "pos": "cooperation share"},
        "label": f"Events of {focal} by dyad direction and quad class",
    }


# --------------------------------------------------------------------------- all of them


def alignment_charts(
    aligned: pd.DataFrame,
    balance: pd.DataFrame | None,
    focal: str,
    poles: Sequence[str],
    colours: Mapping[str, str],
    ci: object = None,
) -> dict[str, Spec]:
    """Every chart of one alignment, by name: ``tilt``, ``score`` and ``net_coop`` over
    time, ``equidistance`` (two poles or more, when a period has an index) and ``heat``
    (when the table counts events by quad and any cell has one). No change point
    markers: they come from the change point analysis (:func:`markers`)."""
    poles = list(poles)
    charts = {m: line_chart(aligned, focal, poles, colours, m, ci) for m in MEASURES}
    if len(poles) > 1:
        balance_spec = equidistance_chart(balance, periods(aligned), focal, ci)
        if balance_spec:
            charts["equidistance"] = balance_spec
    counts = quad_counts(aligned, poles)
    heat = heat_map(focal, poles, colours, counts) if counts is not None else None
    if heat:
        charts["heat"] = heat
    return charts


# --------------------------------------------------------------------------- UN votes


def un_frame(un_votes: pd.DataFrame | None) -> tuple[pd.DataFrame | None, str]:
    """The agreement table with an integer period column ``_key``, sorted; and its unit
    (``Session`` or ``Year``). None when the table has nothing to chart."""
    if un_votes is None or un_votes.empty or not {"pole", "agree_share"} <= set(un_votes.columns):
        return None, ""
    by = next((c for c in ("session", "year") if c in un_votes.columns), None)
    if by is None:
        return None, ""
    key = pd.to_numeric(un_votes[by], errors="coerce")
    frame = un_votes[key.notna()].assign(pole=un_votes["pole"].astype(str), _key=key)
    frame = frame.astype({"_key": int}).sort_values("_key", kind="stable")
    return (frame, "Session" if by == "session" else "Year") if len(frame) else (None, "")


def un_colours(
    frame: pd.DataFrame, poles: Sequence[str], colours: Mapping[str, str]
) -> dict[str, str]:
    """The colour of each pole with votes, the asked poles first: a pole's own colour, or
    a palette colour the asked poles leave free."""
    found = list(dict.fromkeys(frame["pole"]))
    ordered = [p for p in poles if p in found] + [p for p in found if p not in poles]
    extra = iter(PALETTE[len(poles):] + PALETTE[: len(poles)])
    return {p: colours[p] if p in colours else next(extra, "#52606d") for p in ordered}


def un_chart_id(column: str) -> str:
    """The name of the chart of a UN measure: ``un-s-score`` for ``s_score``."""
    return f"un-{column.replace('_', '-')}"


def un_charts(
    un_votes: pd.DataFrame | None,
    focal: str,
    poles: Sequence[str],
    colours: Mapping[str, str],
    measure: str = "pi",
    issues: Sequence[str] = (),
) -> dict[str, Spec]:
    """Line charts of UN General Assembly agreement per session (or year), a line per
    pole: agreement share, S score and the chance-corrected ``measure`` (pi or kappa), by
    :func:`un_chart_id`; ``issues`` name the UN issues voted on. Empty when the table has
    nothing to chart."""
    if measure not in UN_CHANCE_MEASURES:
        raise ValueError(f"measure must be 'pi' or 'kappa', not {measure!r}")
    frame, word = un_frame(un_votes)
    if frame is None:
        return {}
    keys = sorted(frame["_key"].unique().tolist())
    x = [str(k) for k in keys]
    on = f", votes on {issue_names(list(issues))}" if issues else ""
    palette = un_colours(frame, poles, colours)
    rows = {p: frame[frame["pole"] == p].drop_duplicates("_key").set_index("_key").reindex(keys)
            for p in palette}
    charts = {}
    for column, heading, _ in (*UN_MEASURES, (measure, *UN_CHANCE_MEASURES[measure])):
        if column not in frame.columns:
            continue
        series = []
        for pole, colour in palette.items():
            values = _column(rows[pole], column)
            titles = [
                f"{word} {k} · {focal}–{pole}: {heading.lower()} {plain(v)}"
                + (f" over {int(n):,} common roll calls" if n is not None else "")
                for k, v, n in zip(x, values, _column(rows[pole], "n_votes"), strict=True)
            ]
            series.append({"name": pole, "color": colour, "values": values, "titles": titles})
        charts[un_chart_id(column)] = {
            "x": x,
            "series": series,
            "yDomain": [0, 1] if column == "agree_share" else [-1, 1],
            "zeroLine": column != "agree_share",
            "yLabel": heading,
            "label": f"UN General Assembly{on}: {heading} of {focal} with each pole",
        }
    return charts
