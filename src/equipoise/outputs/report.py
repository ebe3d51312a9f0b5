"""A single, self-contained HTML report on which way a focal state leans.

The document has no scripts and loads nothing: CSS is inline and charts are
inline SVG drawn by :mod:`equipoise.outputs.charts`. Text from news is
untrusted, so the template autoescapes every value, and a document URL becomes
a link only when it is plain http(s).
"""

from __future__ import annotations

import math
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import pandas as pd
from markupsafe import Markup

from equipoise.analysis import summary, verdict
from equipoise.outputs.charts import PALETTE, line_chart_svg

__all__ = ["render_report", "safe_url", "write_report"]

QUADS: dict[int, tuple[str, str]] = {
    1: ("Verbal cooperation", "vc"),
    2: ("Material cooperation", "mc"),
    3: ("Verbal conflict", "vx"),
    4: ("Material conflict", "mx"),
}
FREQ_WORDS = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("equipoise.outputs", "templates"),
        autoescape=True,  # the template ends in .j2, so switch it on explicitly
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def safe_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) URL without spaces or control characters."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _signed(value: object, digits: int = 2) -> str:
    if _missing(value):
        return "–"
    number = round(float(value), digits)  # type: ignore[arg-type]
    return f"{0:.{digits}f}" if number == 0 else f"{number:+.{digits}f}"


def _date_text(value: object, precision: object) -> str:
    if _missing(value):
        return ""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    if precision == "year":
        return f"{stamp.year:04d}"
    if precision == "month":
        return f"{stamp.year:04d}-{stamp.month:02d}"
    return stamp.date().isoformat()


def _actor(row: pd.Series, side: str) -> str:
    code = _text(row.get(side))
    sector = _text(row.get(f"{side}_sector"))
    return f"{code} {sector}" if sector and sector != code else code


def _event_rows(
    dyads: pd.DataFrame,
    poles: list[str],
    colours: dict[str, str],
    start: object,
    end: object,
    max_events: int | None,
) -> tuple[list[dict], int]:
    if dyads is None or dyads.empty:
        return [], 0
    frame = dyads
    if "pole" in frame.columns:
        frame = frame[frame["pole"].isin(poles)]
    when = pd.to_datetime(frame["event_date"], format="mixed", errors="coerce").dt.normalize()
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= when >= pd.Timestamp(start)
    if end is not None:
        keep &= when <= pd.Timestamp(end)
    frame = frame.loc[keep].assign(_when=when.loc[keep])
    total = len(frame)
    if max_events is not None and total > max_events:
        weight = pd.to_numeric(frame["goldstein"], errors="coerce").abs().fillna(0)
        frame = frame.loc[weight.sort_values(ascending=False, kind="stable").index[:max_events]]
    frame = frame.sort_values("_when", kind="stable", na_position="last")

    rows = []
    for _, row in frame.iterrows():
        quad = pd.to_numeric(row.get("quad"), errors="coerce")
        quad = int(quad) if not _missing(quad) else None
        quad_name, quad_class = QUADS.get(quad, ("Unknown", "na"))
        goldstein = pd.to_numeric(row.get("goldstein"), errors="coerce")
        url = safe_url(row.get("doc_url"))
        title = _text(row.get("doc_title")).strip() or (url or "") or _text(row.get("doc_id"))
        direction = _text(row.get("direction"))
        pole = _text(row.get("pole"))
        rows.append(
            {
                "date": _date_text(row.get("event_date"), row.get("date_precision")),
                "pole": pole,
                "colour": colours.get(pole, "#9aa5b1"),
                "source": _actor(row, "source"),
                "target": _actor(row, "target"),
                "arrow": "↔" if direction == "both" else "→",
                "cameo": _text(row.get("cameo")),
                "quad": quad,
                "quad_name": quad_name,
                "quad_class": quad_class,
                "goldstein": "–" if _missing(goldstein) else f"{float(goldstein):+.1f}",
                "goldstein_value": 0.0 if _missing(goldstein) else float(goldstein),
                "sentence": _text(row.get("sentence")),
                "reported": not _missing(row.get("reported")) and bool(row.get("reported")),
                "title": title,
                "url": url,
                "published": _date_text(row.get("published"), "day"),
                "dataset": _text(row.get("dataset")),
            }
        )
    return rows, total


def _pole_cards(table: pd.DataFrame, colours: dict[str, str]) -> list[dict]:
    cards = []
    halves = table.attrs.get("first_half", ""), table.attrs.get("second_half", "")
    for _, row in table.iterrows():
        figures = [
            ("Events", f"{int(row['n_events']):,}"),
            ("Verbal cooperation", f"{int(row['verbal_coop']):,}"),
            ("Material cooperation", f"{int(row['material_coop']):,}"),
            ("Verbal conflict", f"{int(row['verbal_conflict']):,}"),
            ("Material conflict", f"{int(row['material_conflict']):,}"),
            ("Mean Goldstein", _signed(row["goldstein_mean"], 1)),
            ("Net cooperation", _signed(row["net_coop"])),
        ]
        trend = [
            (
                "First half",
                halves[0],
                _signed(row["first_half_tilt"]),
                int(row["first_half_events"]),
            ),
            (
                "Second half",
                halves[1],
                _signed(row["second_half_tilt"]),
                int(row["second_half_events"]),
            ),
        ]
        cards.append(
            {
                "pole": str(row["pole"]),
                "colour": colours.get(str(row["pole"]), "#9aa5b1"),
                "tilt": _signed(row["tilt"]),
                "tilt_sign": _sign_class(row["tilt"]),
                "figures": figures,
                "trend": [t for t in trend if t[1]],
            }
        )
    return cards


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sign_class(value: object) -> str:
    if _missing(value) or round(float(value), 2) == 0:  # type: ignore[arg-type]
        return "zero"
    return "pos" if float(value) > 0 else "neg"  # type: ignore[arg-type]


def _charts(aligned: pd.DataFrame, poles: list[str], colours: dict[str, str]) -> list[dict]:
    if aligned.empty:
        return []
    charts = []
    specs = [
        (
            "tilt",
            "Tilt toward each pole",
            "Net cooperation with a pole minus the mean over the other poles. "
            "Above zero: the focal state treats that pole better than the rest.",
        ),
        (
            "net_coop",
            "Net cooperation with each pole",
            "(cooperative − conflictual events) / (events + smoothing), both directions. "
            "Shows whether a tilt comes from warmer ties with one pole "
            "or cooler ties with another.",
        ),
    ]
    if len(poles) == 1:
        specs = specs[1:]
    for column, heading, note in specs:
        series, tips = {}, {}
        for pole in poles:
            part = aligned[aligned["pole"] == pole]
            series[pole] = list(
                zip(part["period"].astype(str), part[column].astype(float), strict=True)
            )
            tips[pole] = [
                f"{r.period} · {pole}: tilt {_signed(r.tilt)}, net cooperation "
                f"{_signed(r.net_coop)}, {int(r.n_events)} event{'s' if r.n_events != 1 else ''}"
                for r in part.itertuples()
            ]
        svg = line_chart_svg(
            series,
            width=1040,
            height=320,
            colors=colours,
            point_titles=tips,
            aria_label=heading,
            y_label="tilt" if column == "tilt" else "net cooperation",
        )
        charts.append({"heading": heading, "note": note, "svg": Markup(svg)})
    return charts


def _coverage(coverage: dict | None) -> list[tuple[str, str]]:
    if not coverage:
        return []
    items = []
    for key, value in coverage.items():
        label = str(key).replace("_", " ").strip().capitalize()
        if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            shown = f"{value:,.2f}"
        elif isinstance(value, int | float) and not isinstance(value, bool):
            shown = f"{value:,.0f}" if math.isfinite(value) else str(value)
        elif isinstance(value, list | tuple | set):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = _text(value)
        items.append((label, shown))
    return items


def render_report(
    aligned: pd.DataFrame,
    dyads: pd.DataFrame,
    focal: str,
    poles: list[str],
    title: str | None = None,
    coverage: dict | None = None,
    *,
    max_events: int | None = None,
) -> str:
    """Render the alignment report as one self-contained HTML document.

    ``aligned`` is the output of :func:`equipoise.analysis.align`, ``dyads`` that
    of :func:`equipoise.analysis.dyad_events` (events outside the aligned range
    or poles are left out). ``coverage`` is shown as a key/value list (e.g.
    documents, datasets, date span). ``max_events`` caps the evidence table,
    keeping the events with the largest absolute Goldstein score.
    """
    focal = str(focal).strip().upper()
    poles = list(dict.fromkeys(str(p).strip().upper() for p in poles))
    colours = {pole: PALETTE[i % len(PALETTE)] for i, pole in enumerate(poles)}
    attrs = dict(aligned.attrs)
    if aligned.empty:
        aligned = aligned.iloc[0:0].copy()
        attrs["poles"] = poles
    else:
        aligned = aligned[aligned["pole"].isin(poles)].copy()
    aligned.attrs.update(attrs)

    table = summary(aligned)
    periods = aligned["period"].astype(str).drop_duplicates().tolist() if len(aligned) else []
    meta = [("Focal", focal), ("Poles", ", ".join(poles))]
    if periods:
        span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
        word = FREQ_WORDS.get(attrs.get("freq") or "")
        meta.append(("Period", f"{span}, {word}" if word else span))
    meta.append(("Events", f"{int(table['n_events'].sum()) if len(table) else 0:,}"))
    events, n_total = _event_rows(
        dyads, poles, colours, attrs.get("start"), attrs.get("end"), max_events
    )
    smoothing = aligned.attrs.get("smoothing", 2.0)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title or f"{focal} between {_join(poles)}",
            focal=focal,
            poles=poles,
            meta=meta,
            verdict=verdict(aligned, focal=focal),
            charts=_charts(aligned, poles, colours),
            cards=_pole_cards(table, colours),
            events=events,
            n_events_total=n_total,
            coverage=_coverage(coverage),
            smoothing=f"{float(smoothing):g}",
        )
    )


def write_report(path: str | os.PathLike[str], html: str) -> Path:
    """Write ``html`` to ``path`` atomically: a temporary file, then ``os.replace``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(html)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
