"""Small, dependency-free SVG charts for self-contained HTML reports.

Every string that reaches the SVG is escaped here, so callers may pass labels
taken from untrusted data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["PALETTE", "line_chart_svg", "nice_ticks", "pole_colours"]

# Colour-blind-safe (Okabe-Ito based), readable on white.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#7F3C8D",
    "#4D4D4D",
)

# Poles analysts compare most keep one colour in every chart, whatever the pole list;
# others take the free colours in the order given.
_FIXED = {"USA": "#0072B2", "RUS": "#D55E00", "CHN": "#CC79A7", "TUR": "#009E73",
          "EU": "#56B4E9", "NATO": "#7F3C8D", "IRN": "#E69F00", "IND": "#4D4D4D"}


def pole_colours(poles: list[str]) -> dict[str, str]:
    """A colour per pole, stable across views: a frequent pole always has its own, the
    others the palette's free colours in order (repeating only past its size)."""
    out = {p: _FIXED[p] for p in poles if p in _FIXED}
    free = [c for c in PALETTE if c not in out.values()] or list(PALETTE)
    others = [p for p in poles if p not in out]
    for i, pole in enumerate(others):
        out[pole] = free[i % len(free)]
    return {p: out[p] for p in poles}


_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(x: float) -> str:
    """Compact coordinate: two decimals, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _finite(value: object) -> bool:
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Round tick values covering [lo, hi], about ``target`` of them."""
    if not (_finite(lo) and _finite(hi)):
        return [0.0]
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(hi) * 0.5 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(target - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(lo / step + 1e-9) * step
    ticks = []
    value = first
    while value < hi + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def line_chart_svg(
    series: Mapping[str, Sequence[tuple[str, float]]],
    *,
    width: int = 880,
    height: int = 300,
    title: str | None = None,
    aria_label: str | None = None,
    y_label: str | None = None,
    y_domain: tuple[float, float] | None = None,
    zero_line: bool = True,
    colors: Mapping[str, str] | None = None,
    point_titles: Mapping[str, Sequence[str]] | None = None,
    value_format: str = "{:+.2f}",
    max_x_ticks: int = 12,
) -> str:
    """An inline SVG line chart: one coloured line per series over shared x labels.

    ``series`` maps a name to ``(x_label, value)`` points; x labels are
    categorical and placed in order of first appearance. Missing or non-finite
    values break the line. ``point_titles`` gives, per series, one tooltip
    text per point (default: "name · label: value"). The result is a single
    ``<svg>`` element with a legend, axis ticks and an optional zero line;
    ``title`` is drawn above the legend, ``aria_label`` (default: the title)
    names the chart for screen readers.
    """
    names = list(series)
    labels: list[str] = []
    seen: set[str] = set()
    for points in series.values():
        for label, _ in points:
            if str(label) not in seen:
                seen.add(str(label))
                labels.append(str(label))
    palette = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}
    if colors:
        palette.update({k: v for k, v in colors.items() if k in palette})

    legend_rows = 1 if names else 0
    top = 14 + (22 if title else 0) + 22 * legend_rows
    left, right, bottom = 56, 32, 40
    plot_w = max(width - left - right, 10)
    plot_h = max(height - top - bottom, 10)

    values = [float(v) for pts in series.values() for _, v in pts if _finite(v)]
    if y_domain is not None:
        lo, hi = y_domain
    elif values:
        lo, hi = min(values), max(values)
        if zero_line:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
    else:
        lo, hi = -1.0, 1.0
    ticks = nice_ticks(lo, hi)
    y_min, y_max = min(ticks[0], lo), max(ticks[-1], hi)
    if y_max == y_min:
        y_max = y_min + 1.0

    def sx(i: int) -> float:
        if len(labels) <= 1:
            return left + plot_w / 2
        return left + plot_w * i / (len(labels) - 1)

    def sy(v: float) -> float:
        return top + plot_h * (y_max - v) / (y_max - y_min)

    aria = aria_label or title or "Line chart"
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{_e(aria)}" '
        f'style="max-width:{width}px;height:auto;font-family:{_e(_FONT)};font-size:12px">',
        f"<title>{_e(aria)}</title>",
    ]
    y = 14
    if title:
        out.append(
            f'<text x="{left}" y="{y + 6}" font-size="14" font-weight="600" '
            f'fill="#1f2933">{_e(title)}</text>'
        )
        y += 22

    # Legend: swatch + name, laid out left to right.
    x: float = left
    for name in names:
        colour = palette[name]
        out.append(
            f'<g><line x1="{_fmt(x)}" y1="{y + 2}" x2="{_fmt(x + 18)}" y2="{y + 2}" '
            f'stroke="{_e(colour)}" stroke-width="3" stroke-linecap="round"/>'
            f'<circle cx="{_fmt(x + 9)}" cy="{y + 2}" r="3" fill="{_e(colour)}"/>'
            f'<text x="{_fmt(x + 24)}" y="{y + 6}" fill="#1f2933">{_e(name)}</text></g>'
        )
        x += 24 + 7.5 * len(str(name)) + 22

    # Grid and y ticks.
    for tick in ticks:
        if not (y_min - 1e-9 <= tick <= y_max + 1e-9):
            continue
        ty = sy(tick)
        out.append(
            f'<line x1="{left}" y1="{_fmt(ty)}" x2="{left + plot_w}" y2="{_fmt(ty)}" '
            f'stroke="#e4e7eb" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 8}" y="{_fmt(ty + 4)}" text-anchor="end" fill="#616e7c">'
            f"{_e(_tick_text(tick, ticks))}</text>"
        )
    if zero_line and y_min <= 0 <= y_max:
        zy = _fmt(sy(0.0))
        out.append(
            f'<line x1="{left}" y1="{zy}" x2="{left + plot_w}" y2="{zy}" '
            f'stroke="#52606d" stroke-width="1.2"/>'
        )
    if y_label:
        cy = top + plot_h / 2
        out.append(
            f'<text transform="translate(14 {_fmt(cy)}) rotate(-90)" text-anchor="middle" '
            f'fill="#616e7c">{_e(y_label)}</text>'
        )

    # X axis and thinned period ticks (first and last always shown).
    axis_y = top + plot_h
    out.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}" '
        f'stroke="#697586" stroke-width="1"/>'
    )
    step = max(1, math.ceil(len(labels) / max(max_x_ticks, 1)))
    shown = set(range(0, len(labels), step))
    if labels:
        last = len(labels) - 1
        if last not in shown and shown and last - max(shown) < step / 2:
            shown.discard(max(shown))
        shown.add(last)
    for i in sorted(shown):
        tx = _fmt(sx(i))
        out.append(
            f'<line x1="{tx}" y1="{axis_y}" x2="{tx}" y2="{axis_y + 5}" stroke="#697586"/>'
            f'<text x="{tx}" y="{axis_y + 19}" text-anchor="middle" fill="#616e7c">'
            f"{_e(labels[i])}</text>"
        )

    # Lines, then points with tooltips.
    index = {label: i for i, label in enumerate(labels)}
    dense = len(labels) > 60
    radius, ring = (2.0, 1.5) if dense else (3.5, 2.0)
    for name in names:
        colour = _e(palette[name])
        points = list(series[name])
        tips = list((point_titles or {}).get(name, []))
        path: list[str] = []
        pen_down = False
        for label, value in points:
            if not _finite(value):
                pen_down = False
                continue
            cmd = "L" if pen_down else "M"
            path.append(f"{cmd}{_fmt(sx(index[str(label)]))} {_fmt(sy(float(value)))}")
            pen_down = True
        if path:
            out.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.2" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        for j, (label, value) in enumerate(points):
            if not _finite(value):
                continue
            tip = tips[j] if j < len(tips) else f"{name} · {label}: {value_format.format(value)}"
            out.append(
                f'<circle cx="{_fmt(sx(index[str(label)]))}" cy="{_fmt(sy(float(value)))}" '
                f'r="{radius}" fill="#fff" stroke="{colour}" stroke-width="{ring}">'
                f"<title>{_e(tip)}</title></circle>"
            )
    if not values:
        out.append(
            f'<text x="{_fmt(left + plot_w / 2)}" y="{_fmt(top + plot_h / 2)}" '
            f'text-anchor="middle" fill="#616e7c">No data</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _tick_text(tick: float, ticks: Sequence[float]) -> str:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = 0
    while decimals < 4 and abs(round(step, decimals) - step) > 1e-9:
        decimals += 1
    value = round(tick, decimals)
    return "0" if value == 0 else f"{value:+.{decimals}f}"
