"""Small, dependency-free SVG charts for self-contained HTML reports, drawn from the
chart specs of :mod:`equipoise.outputs.specs` (those ``static/charts.js`` draws).

Every string that reaches the SVG is escaped here, so callers may pass labels
taken from untrusted data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

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


@dataclass(frozen=True)
class _Line:
    """One series of a line chart spec, its lists cut or padded to the x labels."""

    name: str
    color: str
    values: list[float | None]
    lo: list[float | None] | None
    hi: list[float | None] | None
    titles: list[str]

    @classmethod
    def of(cls, entry: Mapping[str, Any], n: int, colour: str) -> _Line:
        banded = entry.get("lo") is not None and entry.get("hi") is not None
        return cls(
            name=str(entry.get("name", "")),
            color=str(entry.get("color") or colour),
            values=_points(entry.get("values"), n),
            lo=_points(entry.get("lo"), n) if banded else None,
            hi=_points(entry.get("hi"), n) if banded else None,
            titles=[str(t) for t in entry.get("titles") or []],
        )


def _points(values: object, n: int) -> list[float | None]:
    """``n`` values of a spec list, None where missing or not finite."""
    listed = list(values) if isinstance(values, Sequence) and not isinstance(values, str) else []
    listed = (listed + [None] * n)[:n]
    return [float(v) if _finite(v) else None for v in listed]


def line_chart_svg(
    spec: Mapping[str, Any],
    *,
    width: int = 880,
    height: int = 300,
    title: str | None = None,
    value_format: str = "{:+.2f}",
    max_x_ticks: int = 12,
) -> str:
    """An inline SVG line chart of a line chart spec, as ``static/charts.js`` draws it
    (see :mod:`equipoise.outputs.specs`): one coloured line per series over the spec's
    ``x`` labels, each series' ``lo``/``hi`` band shaded, ``markers`` as dashed vertical
    lines, ``yDomain``, ``zeroLine`` (default on), ``yLabel`` and ``label`` (the name
    screen readers read) honoured.

    Missing values break the line. A point's tooltip is the series' ``titles`` entry
    (default: "name · label: value"). ``title`` is drawn above the legend. The result
    is a single ``<svg>`` element with a legend and axis ticks.
    """
    labels = [str(x) for x in spec.get("x") or []]
    n = len(labels)
    series = [_Line.of(entry, n, PALETTE[i % len(PALETTE)])
              for i, entry in enumerate(spec.get("series") or [])]
    index = {label: i for i, label in enumerate(labels)}
    markers = [m for m in spec.get("markers") or [] if str(m.get("x")) in index]
    zero_line = spec.get("zeroLine", True) is not False
    y_label = spec.get("yLabel")

    legend_rows = 1 if series else 0
    top = 14 + (22 if title else 0) + 22 * legend_rows + (16 if markers else 0)
    left, right, bottom = 56, 32, 40
    plot_w = max(width - left - right, 10)
    plot_h = max(height - top - bottom, 10)

    values = [v for s in series for part in (s.values, s.lo or [], s.hi or [])
              for v in part if v is not None]
    domain = spec.get("yDomain")
    if domain is not None and len(domain) == 2 and all(_finite(v) for v in domain):
        lo, hi = float(domain[0]), float(domain[1])
    elif values:
        lo, hi = min(values), max(values)
        if zero_line:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
    else:
        lo, hi = -1.0, 1.0
    ticks = nice_ticks(lo, hi)
    y_min, y_max = min(ticks[0], lo), max(ticks[-1], hi)
    if domain is not None:
        y_min, y_max = lo, hi
    if y_max == y_min:
        y_max = y_min + 1.0

    def sx(i: float) -> float:
        if n <= 1:
            return left + plot_w / 2
        return left + plot_w * i / (n - 1)

    def sy(v: float) -> float:
        return top + plot_h * (y_max - v) / (y_max - y_min)

    aria = str(spec.get("label") or title or "Line chart")
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
    for s in series:
        colour = _e(s.color)
        out.append(
            f'<g><line x1="{_fmt(x)}" y1="{y + 2}" x2="{_fmt(x + 18)}" y2="{y + 2}" '
            f'stroke="{colour}" stroke-width="3" stroke-linecap="round"/>'
            f'<circle cx="{_fmt(x + 9)}" cy="{y + 2}" r="3" fill="{colour}"/>'
            f'<text x="{_fmt(x + 24)}" y="{y + 6}" fill="#1f2933">{_e(s.name)}</text></g>'
        )
        x += 24 + 7.5 * len(s.name) + 22

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
    step = max(1, math.ceil(n / max(max_x_ticks, 1)))
    shown = set(range(0, n, step))
    if labels:
        last = n - 1
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

    # Change point markers: a dashed line half a step before the period a regime starts
    # in, as the interactive chart places them, with its label above the plot.
    for m in markers:
        i = index[str(m.get("x"))]
        mx = _fmt(sx(i - 0.5 if i > 0 else i))
        colour = _e(m.get("color") or "#616e7c")
        out.append(
            f'<g><title>{_e(m.get("title") or m.get("label") or "")}</title>'
            f'<line x1="{mx}" y1="{top - 4}" x2="{mx}" y2="{axis_y}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{mx}" y="{top - 8}" text-anchor="middle" font-size="11" '
            f'fill="{colour}">{_e(m.get("label") or "")}</text></g>'
        )

    # Bands, then lines, then points with tooltips.
    for s in series:
        band_lo, band_hi = s.lo, s.hi
        if band_lo is None or band_hi is None:
            continue
        spans = [(i, lo_i, hi_i) for i, (lo_i, hi_i) in enumerate(zip(band_lo, band_hi,
                                                                     strict=True))
                 if lo_i is not None and hi_i is not None]
        for run in _runs(spans):
            upper = [f"{_fmt(sx(i))} {_fmt(sy(top_v))}" for i, _, top_v in run]
            lower = [f"{_fmt(sx(i))} {_fmt(sy(low_v))}" for i, low_v, _ in reversed(run)]
            out.append(
                f'<path d="M{" L".join(upper + lower)} Z" fill="{_e(s.color)}" '
                f'fill-opacity="0.15" stroke="none"/>'
            )
    dense = n > 60
    radius, ring = (2.0, 1.5) if dense else (3.5, 2.0)
    for s in series:
        colour = _e(s.color)
        path: list[str] = []
        pen_down = False
        for i, value in enumerate(s.values):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{_fmt(sx(i))} {_fmt(sy(value))}")
            pen_down = True
        if path:
            out.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.2" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        for i, value in enumerate(s.values):
            if value is None:
                continue
            tips = s.titles
            tip = (tips[i] if i < len(tips) and tips[i]
                   else f"{s.name} · {labels[i]}: {value_format.format(value)}")
            out.append(
                f'<circle cx="{_fmt(sx(i))}" cy="{_fmt(sy(value))}" '
                f'r="{radius}" fill="#fff" stroke="{colour}" stroke-width="{ring}">'
                f"<title>{_e(tip)}</title></circle>"
            )
    if not any(v is not None for s in series for v in s.values):
        out.append(
            f'<text x="{_fmt(left + plot_w / 2)}" y="{_fmt(top + plot_h / 2)}" '
            f'text-anchor="middle" fill="#616e7c">No data</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _runs(
    spans: list[tuple[int, float, float]],
) -> list[list[tuple[int, float, float]]]:
    """Stretches of consecutive ``(index, lo, hi)``: where a band is drawn without a gap."""
    runs: list[list[tuple[int, float, float]]] = []
    for span in spans:
        if runs and runs[-1][-1][0] == span[0] - 1:
            runs[-1].append(span)
        else:
            runs.append([span])
    return runs


def _tick_text(tick: float, ticks: Sequence[float]) -> str:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = 0
    while decimals < 4 and abs(round(step, decimals) - step) > 1e-9:
        decimals += 1
    value = round(tick, decimals)
    return "0" if value == 0 else f"{value:+.{decimals}f}"
