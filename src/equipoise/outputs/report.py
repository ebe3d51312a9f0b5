"""A single, self-contained HTML report on which way a focal state leans.

The file loads nothing: CSS and JavaScript are inline, and the charts are drawn
in the page by ``static/charts.js`` (the chart library the dashboard uses too)
from the chart specs of ``specs.py`` embedded as JSON, those the API serves. It
holds a headline verdict; tilt toward each pole over time with interval bands and
change points; the equidistance index; the change points with the documents that
drive them; a dyad by quad-class heat map; UN voting agreement when given; a
filterable table of the events with their sentences; a methods note and the data's
coverage.

News text is untrusted. Everything the server renders goes through Jinja's
autoescaping; the JSON block escapes ``<``, ``>`` and ``&`` so that no text can
close the script element; the page's script writes text with ``textContent``
only; and a document URL becomes a link only when it is plain http(s).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import pandas as pd
from markupsafe import Markup

from equipoise.analysis import equidistance as equidistance_table
from equipoise.analysis import summarise, verdict
from equipoise.analysis.changepoints import MIN_PERIODS
from equipoise.analysis.places import locate
from equipoise.analysis.query import Query
from equipoise.analysis.result import Alignment, Analysis, ChangePoints, Summary, as_alignment
from equipoise.outputs import jsonify, maps, specs
from equipoise.outputs.charts import line_chart_svg, pole_colours
from equipoise.outputs.specs import number as _number
from equipoise.outputs.specs import plain as _plain
from equipoise.outputs.specs import plural as _plural
from equipoise.reference.numbers import signed as _signed
from equipoise.reference.periods import FREQ_CODES
from equipoise.reference.quads import QUAD_NAMES

__all__ = ["chart_script", "embed_json", "render_analysis", "render_report", "safe_url",
           "write_report"]

# Each quad's heading and the CSS class of its badge.
_QUAD_CSS = {1: "vc", 2: "mc", 3: "vx", 4: "mx"}
QUADS: dict[int, tuple[str, str]] = {
    quad: (name.capitalize(), _QUAD_CSS[quad]) for quad, name in QUAD_NAMES.items()
}
FREQ_WORDS = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}
WEIGHT_WORDS = {
    "count": "event counts (+1 cooperation, −1 conflict)",
    "goldstein": "Goldstein weights / 10",
    "plover": "PLOVER scores / 10",
}
DIRECTION_WORDS = {
    "both": "events in both directions (relations)",
    "out": "the focal state's actions toward the pole",
    "in": "the pole's actions toward the focal state",
}
LEAN_THRESHOLD = 0.05
# Driver events shown per document in the change point list.
DRIVER_EVENTS_SHOWN = 3


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("equipoise.outputs", "templates"),
        autoescape=True,  # the template ends in .j2, so switch it on explicitly
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def chart_script() -> str:
    """The source of ``static/charts.js``, checked safe to inline in a ``<script>``."""
    source = resources.files("equipoise.outputs").joinpath("static", "charts.js")
    text = source.read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ValueError("charts.js cannot be inlined: it contains '</script' or '<!--'")
    return text


def embed_json(data: object) -> Markup:
    """``data`` as JSON safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` (and the two JavaScript line terminators) are written as
    ``\\uXXXX`` escapes, which JSON reads back as the same characters, so no
    string can end the script element or open a comment. NaN is not JSON and is
    refused: convert missing values to None first.
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)


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


# --------------------------------------------------------------------------- small helpers


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _interval(lo: object, hi: object) -> str:
    if _number(lo) is None or _number(hi) is None:
        return ""
    return f"{_signed(lo)} to {_signed(hi)}"


def _date_text(value: object, precision: object = "day") -> str:
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
    return jsonify.day(stamp) or ""


def _iso_day(value: object) -> str:
    return "" if _missing(value) else jsonify.day(value) or ""


def _join(items: list[str], word: str = "and") -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def _sign_class(value: object) -> str:
    number = _number(value)
    if number is None or round(number, 2) == 0:
        return "zero"
    return "pos" if number > 0 else "neg"


def _slug(focal: str, poles: list[str]) -> str:
    return re.sub(r"[^a-z0-9]+", "-", "-".join([focal, *poles]).lower()).strip("-") or "report"


def _actor(row: Mapping, side: str) -> str:
    code = _text(row.get(side))
    sector = _text(row.get(f"{side}_sector"))
    return f"{code} {sector}" if sector and sector != code else code


# --------------------------------------------------------------------------- periods


def _period_ranges(periods: list[str], freq: object) -> dict[str, list[str | None]]:
    """First and last day of each period, for filtering the event table by period."""
    code = FREQ_CODES.get(str(freq))
    ranges = {}
    for label in periods:
        try:
            period = pd.Period(label, freq=code) if code else pd.Period(label)
        except (TypeError, ValueError):
            continue
        ranges[label] = [jsonify.day(period.start_time), jsonify.day(period.end_time)]
    return ranges


# --------------------------------------------------------------------------- charts


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


def _un_panel(
    un_votes: pd.DataFrame | None,
    focal: str,
    poles: list[str],
    colours: dict[str, str],
    measure: str = "pi",
    issues: Sequence[str] = (),
) -> tuple[dict | None, list[dict]]:
    """Charts of agreement share, S and the chance-corrected ``measure`` (pi or kappa) per
    period (one line per pole), with their headings and notes, and a summary per pole;
    ``issues`` name the UN issues voted on."""
    if measure not in specs.UN_CHANCE_MEASURES:
        raise ValueError(f"un_measure must be 'pi' or 'kappa', not {measure!r}")
    frame, word = specs.un_frame(un_votes)
    if frame is None:
        return None, []
    built = specs.un_charts(un_votes, focal, poles, colours, measure, issues)
    palette = specs.un_colours(frame, poles, colours)
    words = {column: (heading, note) for column, heading, note in
             (*specs.UN_MEASURES, (measure, *specs.UN_CHANCE_MEASURES[measure]))}
    charts = [{"id": chart_id, "heading": words[column][0], "note": words[column][1],
               "spec": built[chart_id]}
              for column in words if (chart_id := specs.un_chart_id(column)) in built]
    table = []
    for pole, colour in palette.items():
        part = frame[frame["pole"] == pole].drop_duplicates("_key")
        last = part.iloc[-1]
        votes = pd.to_numeric(part.get("n_votes"), errors="coerce") if "n_votes" in part else None
        total = float(votes.sum()) if votes is not None else 0.0
        agree = pd.to_numeric(part["agree_share"], errors="coerce")
        table.append(
            {
                "pole": pole,
                "colour": colour,
                "span": f"{part['_key'].min()}–{part['_key'].max()}",
                "votes": f"{int(total):,}" if total else "–",
                # agreements over all common roll calls: the share weighted by roll calls
                "mean_agree": _plain((agree * votes).sum() / total if total else agree.mean()),
                "last": f"{word.lower()} {last['_key']}",
                "last_agree": _plain(last.get("agree_share")),
                "last_s": _signed(last.get("s_score")),
                "last_chance": _signed(last.get(measure)),
            }
        )
    chance = {"measure": measure, "heading": specs.UN_CHANCE_MEASURES[measure][0]}
    return {"by": word, "charts": charts, "chance": chance}, table


# --------------------------------------------------------------------------- events


def _utf16(text: str, index: int) -> int:
    """The JavaScript (UTF-16) string index of Python index ``index`` in ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def highlight(sentence: str, source_text: object, target_text: object,
              trigger: object = None) -> list[list]:
    """Where the actors' first mentions and the trigger are: ``[start, end, kind]`` spans
    in order, kind ``"s"`` (source), ``"t"`` (target) or ``"v"`` (trigger word).

    A mention is looked for as written, then ignoring case; the trigger as a word
    (ignoring case, to the end of the word: "sign" marks "signed"). When spans overlap
    only the earlier one is kept. Offsets count UTF-16 code units, as JavaScript
    strings do, so a page can slice the sentence directly.
    """
    spans = []
    for kind, needle in (("s", _text(source_text).strip()), ("t", _text(target_text).strip())):
        if not needle:
            continue
        start = sentence.find(needle)
        if start < 0:
            found = re.search(re.escape(needle), sentence, flags=re.IGNORECASE)
            if not found:
                continue
            start = found.start()
        spans.append((start, start + len(needle), kind))
    word = _text(trigger).strip()
    if word:
        found = re.search(rf"\b{re.escape(word)}\w*", sentence, flags=re.IGNORECASE)
        if found:
            spans.append((found.start(), found.end(), "v"))
    kept, at = [], 0
    for start, end, kind in sorted(spans):
        if start >= at:
            kept.append([_utf16(sentence, start), _utf16(sentence, end), kind])
            at = end
    return kept


def _in_range(dyads: pd.DataFrame | None, poles: list[str], start: object, end: object):
    """The dyad events with the report's poles inside [start, end], with a ``_when`` day."""
    if dyads is None or dyads.empty:
        return None
    frame = dyads[dyads["pole"].isin(poles)] if "pole" in dyads.columns else dyads
    when = pd.to_datetime(frame["event_date"], format="mixed", errors="coerce").dt.normalize()
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= when >= pd.Timestamp(start)
    if end is not None:
        keep &= when <= pd.Timestamp(end)
    return frame.loc[keep].assign(_when=when.loc[keep])


def _event_rows(frame: pd.DataFrame | None, max_events: int | None) -> list[dict]:
    """The rows of the event table, by date; the ``max_events`` with the largest |Goldstein|."""
    if frame is None or frame.empty:
        return []
    if max_events is not None and len(frame) > max_events:
        weight = pd.to_numeric(frame["goldstein"], errors="coerce").abs().fillna(0)
        frame = frame.loc[weight.sort_values(ascending=False, kind="stable").index[:max_events]]
    frame = frame.sort_values("_when", kind="stable", na_position="last")
    rows = []
    for row in frame.to_dict("records"):
        quad = _number(row.get("quad"))
        url = safe_url(row.get("doc_url"))
        sentence = _text(row.get("sentence"))
        rows.append(
            {
                "date": _date_text(row.get("event_date"), row.get("date_precision")),
                "day": _iso_day(row.get("_when")),
                "pole": _text(row.get("pole")),
                "dir": _text(row.get("direction")),
                "src": _actor(row, "source"),
                "tgt": _actor(row, "target"),
                "cameo": _text(row.get("cameo")),
                "quad": int(quad) if quad is not None else None,
                "g": _number(row.get("goldstein")),
                "text": sentence,
                "marks": highlight(sentence, row.get("source_text"), row.get("target_text"),
                                   row.get("trigger")),
                "doc": _text(row.get("doc_id")),
                "reported": not _missing(row.get("reported")) and bool(row.get("reported")),
                "title": _text(row.get("doc_title")).strip() or url or _text(row.get("doc_id")),
                "url": url,
                "published": _date_text(row.get("published")),
                "dataset": _text(row.get("dataset")),
            }
        )
    return rows


# --------------------------------------------------------------------------- summary parts


def _pole_cards(overview: Summary, colours: dict[str, str]) -> list[dict]:
    cards = []
    table = overview.table
    halves = overview.first_half, overview.second_half
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


def _headline(table: pd.DataFrame, focal: str, poles: list[str]) -> str:
    if table.empty or int(table["n_events"].sum()) == 0:
        return f"No events between {focal} and {_join(poles, 'or')}"
    indexed = table.set_index("pole")
    if len(poles) == 1:
        net = _number(indexed.at[poles[0], "net_coop"]) or 0.0
        if net >= LEAN_THRESHOLD:
            return f"{focal}–{poles[0]} relations mostly cooperative"
        if net <= -LEAN_THRESHOLD:
            return f"{focal}–{poles[0]} relations mostly conflictual"
        return f"{focal}–{poles[0]} relations balanced"
    if indexed["tilt"].notna().sum() < 2:
        return f"Too few events between {focal} and {_join(poles)} for a verdict"
    lead = str(indexed["tilt"].idxmax())
    if (_number(indexed.at[lead, "tilt"]) or 0.0) < LEAN_THRESHOLD:
        return f"{focal} shows no clear lean between {_join(poles)}"
    return f"{focal} leans toward {lead}"


def _kpis(
    aligned: pd.DataFrame,
    table: pd.DataFrame,
    balance: pd.DataFrame | None,
    periods: list[str],
    listed: list[dict],
    poles: list[str],
    ci_text: str,
) -> list[dict]:
    tiles = []
    indexed = table.set_index("pole") if len(table) else table
    rated_poles = int(indexed["tilt"].notna().sum()) if len(table) else 0
    # The whole-range tile shows a score only where the table would: poles under
    # min_events are insufficient data, never a number.
    if len(table) and int(table["n_events"].sum()) and (len(poles) == 1 or rated_poles >= 2):
        lead = str(indexed["tilt"].idxmax()) if len(poles) > 1 else poles[0]
        what = "Tilt toward" if len(poles) > 1 else "Net cooperation with"
        value = indexed.at[lead, "tilt"] if len(poles) > 1 else indexed.at[lead, "net_coop"]
        tiles.append(
            {
                "label": f"{what} {lead}, whole range",
                "value": _signed(value),
                "sign": _sign_class(value),
                "sub": f"from {_plural(int(table['n_events'].sum()), 'event')}",
            }
        )
    if len(poles) > 1 and len(aligned) and "tilt" in aligned.columns:
        rated = aligned[pd.to_numeric(aligned["tilt"], errors="coerce").notna()]
        if len(rated):
            order = {p: i for i, p in enumerate(periods)}
            last_period = max(rated["period"].astype(str), key=lambda p: order.get(p, -1))
            rows = rated[rated["period"].astype(str) == last_period]
            top = rows.loc[pd.to_numeric(rows["tilt"]).idxmax()]
            band = _interval(top.get("tilt_lo"), top.get("tilt_hi"))
            tiles.append(
                {
                    "label": f"Latest lean, {last_period}",
                    "value": f"{top['pole']} {_signed(top['tilt'])}",
                    "sign": _sign_class(top["tilt"]),
                    "sub": f"{ci_text} interval {band}" if band else "no interval computed",
                }
            )
    if balance is not None and len(balance) and "equidistance" in balance.columns:
        rated = balance[pd.to_numeric(balance["equidistance"], errors="coerce").notna()]
        if len(rated):
            last = rated.iloc[-1]
            lo, hi = last.get("equidistance_lo"), last.get("equidistance_hi")
            band = (
                f"{_plain(lo)} to {_plain(hi)}"
                if _number(lo) is not None and _number(hi) is not None
                else ""
            )
            tiles.append(
                {
                    "label": f"Equidistance, {last['period']}",
                    "value": _plain(last["equidistance"]),
                    "sign": "zero",
                    "sub": (f"{ci_text} interval {band}; " if band else "")
                    + "1 even-handed, 0 one-sided",
                }
            )
    if listed:
        latest = max(
            listed, key=lambda cp: periods.index(cp["period"]) if cp["period"] in periods else -1
        )
        tiles.append(
            {
                "label": "Change points",
                "value": f"{len(listed)}",
                "sign": "zero",
                "sub": f"latest: {latest['pole']} from {latest['period']}, shift {latest['shift']}",
            }
        )
    return tiles


def _counts(values: pd.Series, top: int) -> str:
    counts = values.dropna().astype(str).value_counts()
    text = ", ".join(f"{k} ({v:,})" for k, v in counts.head(top).items())
    return text + (f" and {len(counts) - top:,} more" if len(counts) > top else "")


def _report_coverage(
    frame: pd.DataFrame | None, n_shown: int, measured: Alignment
) -> list[tuple[str, str]]:
    """Documents, events, dates, datasets and sources behind this report."""
    items: list[tuple[str, str]] = []
    if frame is not None and len(frame):
        if "doc_id" in frame.columns:
            docs = frame["doc_id"].dropna().astype(str)
            items.append(("Documents", f"{docs[docs.str.strip() != ''].nunique():,}"))
        n = len(frame)
        items.append(
            ("Dyad events", f"{n:,}" + (f" ({n_shown:,} in the table)" if n_shown < n else ""))
        )
        when = frame["_when"].dropna()
        if len(when):
            items.append(("Event dates", f"{when.min().date()} to {when.max().date()}"))
        for column, label in (("dataset", "Datasets"), ("doc_source", "Sources")):
            if column in frame.columns and frame[column].notna().any():
                items.append((label, _counts(frame[column], 10)))
        if "doc_url" in frame.columns:
            hosts = frame["doc_url"].map(lambda u: urlsplit(u).hostname if safe_url(u) else None)
            if hosts.notna().any():
                items.append(("Web sources", _counts(hosts, 8)))
    if measured.start is not None:
        window = f"{_date_text(measured.start)} to {_date_text(measured.end)}"
        items.append(("Analysis window", window))
    return items


def _given_coverage(coverage: Mapping | None) -> list[tuple[str, str]]:
    """The caller's ``coverage`` mapping as label/value pairs."""
    items = []
    for key, value in (coverage or {}).items():
        label = str(key).replace("_", " ").strip().capitalize()
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            shown = f"{value:,.2f}"
        elif isinstance(value, int | float):
            shown = f"{value:,.0f}" if math.isfinite(value) else str(value)
        elif isinstance(value, list | tuple | set):
            shown = ", ".join(str(v) for v in value)
        elif isinstance(value, dt.date | pd.Timestamp):
            shown = _date_text(value)
        else:
            shown = _text(value)
        items.append((label, shown))
    return items


def _method(measured: Alignment, ci_text: str) -> dict:
    return {
        "smoothing": f"{float(measured.smoothing):g}",
        "min_events": int(measured.min_events or 0),
        "weight": WEIGHT_WORDS.get(str(measured.weight), WEIGHT_WORDS["count"]),
        "direction": DIRECTION_WORDS.get(str(measured.direction), DIRECTION_WORDS["out"]),
        "freq": FREQ_WORDS.get(str(measured.freq), "per period"),
        "ci": ci_text if measured.ci else None,
        "n_boot": measured.n_boot,
    }


# --------------------------------------------------------------------------- downloads


def _table(frame: pd.DataFrame | None) -> dict | None:
    """A table for the page's CSV and JSON downloads: its column names and its rows as
    lists of JSON values (columns whose names start with ``_`` are the report's own)."""
    if frame is None or frame.empty:
        return None
    columns = [c for c in frame.columns if not str(c).startswith("_")]
    rows = [[jsonify.plain(v) for v in row]
            for row in frame[columns].itertuples(index=False, name=None)]
    return {"columns": [str(c) for c in columns], "rows": rows}


def _downloads(**frames: pd.DataFrame | None) -> dict[str, dict]:
    """The tables the page offers as files, by name; empty ones are left out."""
    tables = {name: _table(frame) for name, frame in frames.items()}
    return {name: table for name, table in tables.items() if table}


# --------------------------------------------------------------------------- judgements

# The columns of the judgements the report lists and offers as a file.
JUDGEMENT_COLUMNS = ("doc_id", "sent_start", "source", "target", "root", "verdict", "cameo",
                     "reason", "who", "judged_at", "sentence")


def _judged_at(value: object) -> str:
    if _missing(value):
        return ""
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(value)


def _judgements(frame: pd.DataFrame | None) -> dict | None:
    """The analyst's judgements for the methods: how many of each verdict, and a row each."""
    if frame is None or frame.empty:
        return None
    rows = []
    for row in frame.to_dict("records"):
        excluded = row.get("verdict") == "exclude"
        cameo = _text(row.get("cameo"))
        verdict_text = "excluded" if excluded else (
            f"miscoded, should be {cameo}" if cameo else "miscoded")
        rows.append(
            {
                "event": f"{_text(row.get('source'))} → {_text(row.get('target'))}, "
                f"root {_text(row.get('root'))}",
                "where": f"{_text(row.get('doc_id'))}:{_text(row.get('sent_start'))}",
                "sentence": _text(row.get("sentence")),
                "excluded": excluded,
                "verdict": verdict_text,
                "reason": _text(row.get("reason")),
                "who": _text(row.get("who")),
                "when": _judged_at(row.get("judged_at")),
            }
        )
    excluded = sum(r["excluded"] for r in rows)
    return {"excluded": excluded, "miscoded": len(rows) - excluded, "rows": rows}


# --------------------------------------------------------------------------- render


def _time_charts(
    aligned: pd.DataFrame,
    balance: pd.DataFrame | None,
    focal: str,
    poles: list[str],
    colours: dict[str, str],
    points: pd.DataFrame | None,
    ci: object,
) -> dict[str, dict]:
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


def render_analysis(
    result: Analysis,
    title: str | None = None,
    coverage: dict | None = None,
    *,
    max_events: int | None = None,
    un_measure: str = "pi",
    judgements: pd.DataFrame | None = None,
) -> str:
    """:func:`render_report` of an :class:`~equipoise.analysis.result.Analysis` (read with
    its event listing): every table and sentence of the page is the analysis's own."""
    measured = result.alignment
    if result.events is None:
        raise ValueError("a report lists the events: analyse with the listing")
    return render_report(measured, result.events, str(measured.focal), list(measured.poles),
                         title, coverage, max_events=max_events,
                         equidistance=result.equidistance, changepoints=result.changepoints,
                         un_votes=result.un_votes, un_issues=result.un_issues,
                         un_measure=un_measure,
                         judgements=judgements)


def render_report(
    aligned: Alignment | pd.DataFrame,
    dyads: pd.DataFrame,
    focal: str,
    poles: list[str],
    title: str | None = None,
    coverage: dict | None = None,
    *,
    max_events: int | None = None,
    equidistance: pd.DataFrame | None = None,
    changepoints: ChangePoints | tuple[pd.DataFrame, pd.DataFrame] | pd.DataFrame | None = None,
    un_votes: pd.DataFrame | None = None,
    un_measure: str = "pi",
    judgements: pd.DataFrame | None = None,
    un_issues: Sequence[str] = (),
) -> str:
    """Render the alignment report as one self-contained HTML document.

    ``aligned`` is the output of :func:`equipoise.analysis.measure` (with ``ci=0.9``
    its ``tilt_lo``/``tilt_hi`` become bands; a bare table of
    :func:`equipoise.analysis.align` is read with the default options), ``dyads`` that of
    :func:`equipoise.analysis.dyad_events` (events outside the aligned range or
    poles are left out; ``source_text``/``target_text`` columns, when present,
    mark the actors in each sentence). ``coverage`` is shown as a key/value list
    (e.g. the store's documents, datasets, date span). ``max_events`` caps the
    event table, keeping the events with the largest absolute Goldstein score.

    ``equidistance`` is :func:`equipoise.analysis.equidistance` of ``aligned``
    (computed here when None). ``changepoints`` is the result of
    :func:`equipoise.analysis.changepoints.find_changepoints` (or its ``(points,
    drivers)`` pair, of :func:`~equipoise.analysis.changepoints.changepoints`), run with the same
    focal, poles and ``freq`` (a points table alone marks the breaks without
    drivers); without it the report has no change points. ``un_votes`` is an
    :func:`equipoise.analysis.unvotes.agreement_matrix` table; the UN panel
    appears only when it is given and not empty, and charts ``un_measure``
    (``pi``, Scott's, or ``kappa``, Cohen's) as its chance-corrected measure;
    ``un_issues`` names the UN issues the votes were chosen by.
    ``judgements`` is the store's table of the analyst's judgements
    (:meth:`~equipoise.store.db.EventReader.judgements`), listed in the methods.

    The alignment, equidistance and change point tables, the judgements and the
    events the filters keep can be downloaded from the page as CSV or JSON; their
    data are embedded, so this works offline. Nothing heavy is computed here.
    """
    # Codes read as every front end reads them: upper-cased, each pole once.
    question = Query.build(focal, poles)
    focal, poles = question.focal, list(question.poles)
    colours = pole_colours(list(poles))
    measured = as_alignment(aligned)
    if measured.table.empty:
        measured = replace(measured, table=measured.table.iloc[0:0].copy(), poles=tuple(poles))
    else:
        measured = measured.with_table(
            measured.table[measured.table["pole"].isin(poles)].copy())
    aligned = measured.table
    ci_text = specs.ci_text(measured.ci)

    overview = summarise(measured)
    table = overview.table
    periods = specs.periods(aligned)
    if equidistance is None and len(poles) > 1 and len(aligned):
        equidistance = equidistance_table(measured)
    points, drivers, status = _points_table(changepoints)
    listed = _change_points(points, drivers, poles, colours)
    in_range = _in_range(dyads, poles, measured.start, measured.end)
    events = _event_rows(in_range, max_events)
    n_total = 0 if in_range is None else len(in_range)

    charts = _time_charts(aligned, equidistance, focal, poles, colours, points, measured.ci)
    place_map = _place_map(in_range, focal, poles)
    counts = specs.quad_counts(aligned, poles) if len(aligned) else None
    heat = specs.heat_map(focal, poles, colours,
                          counts if counts is not None else _dyad_counts(in_range, poles))
    if heat:
        charts["heat"] = heat
    un, un_table = _un_panel(un_votes, focal, poles, colours, un_measure, un_issues)
    for chart in un["charts"] if un else []:
        charts[chart["id"]] = chart["spec"]

    meta = [("Focal", focal), ("Poles", ", ".join(poles))]
    if periods:
        span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
        word = FREQ_WORDS.get(measured.freq or "")
        meta.append(("Period", f"{span}, {word}" if word else span))
    meta.append(("Events", f"{int(table['n_events'].sum()) if len(table) else 0:,}"))
    datasets = sorted({e["dataset"] for e in events if e["dataset"]})
    downloads = _downloads(
        alignment=aligned,
        equidistance=equidistance,
        changepoints=points,
        judgements=None if judgements is None else judgements[
            [c for c in JUDGEMENT_COLUMNS if c in judgements.columns]],
    )
    data = {
        "focal": focal,
        "poles": poles,
        "colours": colours,
        "slug": _slug(focal, poles),
        "periodRanges": _period_ranges(periods, measured.freq),
        "quads": {str(q): name for q, (name, _) in QUADS.items()},
        "charts": charts,
        "events": events,
        "eventsTotal": n_total,
        "datasets": datasets,
        "tables": downloads,
    }
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title or f"{focal} between {_join(poles)}",
            focal=focal,
            poles=poles,
            meta=meta,
            headline=_headline(table, focal, poles),
            verdict=verdict(measured, focal=focal),
            kpis=_kpis(aligned, table, equidistance, periods, listed, poles, ci_text),
            charts=charts,
            has_bands="tilt_lo" in aligned.columns and aligned["tilt_lo"].notna().any(),
            ci_text=ci_text,
            changepoints=listed,
            changepoints_given=points is not None,
            changepoints_status=status,
            changepoints_min=MIN_PERIODS,
            drivers_given=drivers is not None,
            cards=_pole_cards(overview, colours),
            un=un,
            un_table=un_table,
            events=events,
            n_events_total=n_total,
            datasets=datasets,
            quads={q: name for q, (name, _) in QUADS.items()},
            coverage_report=_report_coverage(in_range, len(events), measured),
            coverage_store=_given_coverage(coverage),
            method=_method(measured, ci_text),
            generated=dt.date.today().isoformat(),
            script=Markup(chart_script()),
            data=embed_json(data),
            fallback=_static_chart(charts["tilt"]) if "tilt" in charts else None,
            place_map=place_map,
            downloads=set(downloads),
            judgements=_judgements(judgements),
        )
    )


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
