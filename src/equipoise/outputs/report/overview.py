"""The summary parts of the page: the headline, the figure tiles and the pole
cards."""

from __future__ import annotations

import pandas as pd

from equipoise.analysis.result import Summary
from equipoise.outputs.report.text import _interval, _join, _sign_class
from equipoise.outputs.report.words import LEAN_THRESHOLD
from equipoise.outputs.specs import number as _number
from equipoise.outputs.specs import plain as _plain
from equipoise.outputs.specs import plural as _plural
from equipoise.reference.numbers import signed as _signed


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
