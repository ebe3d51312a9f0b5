"""Terminal tables for the command line (rich), one function per result table."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from rich.table import Table

from equipoise.analysis.idealpoints import ONE_DIMENSION_WARNING
from equipoise.analysis.result import TOO_SHORT, ChangePoints
from equipoise.reference.unissues import issue_names


def number(value: object, signed: bool = True) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def interval(row, name: str) -> str:
    lo, hi = getattr(row, f"{name}_lo", None), getattr(row, f"{name}_hi", None)
    if lo is None or hi is None or lo != lo or hi != hi:
        return ""
    return f"[{lo:+.2f}, {hi:+.2f}]"


def alignment(aligned: pd.DataFrame) -> Table:
    """Per period and pole: events, quad counts, Goldstein, score, tilt (and intervals)."""
    intervals = "tilt_lo" in aligned.columns
    table = Table(caption="events (stories, when fewer: reports of one event count once); "
                  "quads: stories of verbal coop / material coop / verbal conflict / material "
                  "conflict, both directions; n/a: too few stories")
    for name in ("period", "pole"):
        table.add_column(name, no_wrap=True)
    # With intervals there is no room for the mean Goldstein in 80 columns: JSON has it.
    names = ("events", "quads", "score", "tilt") if intervals else (
        "events", "quads", "Goldstein", "score", "tilt")
    for name in names:
        table.add_column(name, justify="right", no_wrap=True)
    if intervals:
        table.add_column("tilt interval", justify="right", no_wrap=True)
    for row in aligned.itertuples(index=False):
        quads = (f"{row.verbal_coop}/{row.material_coop}/{row.verbal_conflict}/"
                 f"{row.material_conflict}")
        insufficient = getattr(row, "status", "ok") != "ok"
        stories = getattr(row, "n_stories", row.n_events)
        counted = (str(row.n_events) if stories == row.n_events
                   else f"{row.n_events} ({stories})")
        cells = [str(row.period), str(row.pole), counted, quads,
                 number(row.goldstein_mean),
                 "n/a" if insufficient else number(getattr(row, "score", row.net_coop)),
                 "n/a" if insufficient else number(row.tilt)]
        if intervals:
            del cells[4]
        if intervals:
            cells.append(interval(row, "tilt"))
        table.add_row(*cells)
    return table


def equidistance(table_in: pd.DataFrame) -> Table:
    """The equidistance index per period: 1 equal relations with all poles, 0 one-sided."""
    intervals = "equidistance_lo" in table_in.columns
    position = "position" in table_in.columns
    table = Table(title="Equidistance (1 = equal relations with every pole)",
                  caption="n/a: a pole without enough events in the period"
                  + ("; position: 0 the first pole's side, 1 the second's" if position else ""))
    table.add_column("period", no_wrap=True)
    table.add_column("poles with data", justify="right")
    table.add_column("index", justify="right")
    if intervals:
        table.add_column("interval", justify="right", no_wrap=True)
    if position:
        table.add_column("position", justify="right")
    for row in table_in.itertuples(index=False):
        gap = getattr(row, "status", "ok") != "ok"
        cells = [str(row.period), f"{row.n_poles_with_data}/{row.n_poles}",
                 "n/a" if gap else number(row.equidistance, signed=False)]
        if intervals:
            lo, hi = row.equidistance_lo, row.equidistance_hi
            cells.append("" if lo != lo else f"[{lo:.2f}, {hi:.2f}]")
        if position:
            cells.append("n/a" if gap else number(row.position, signed=False))
        table.add_row(*cells)
    return table


def changepoints(found: ChangePoints, width: int = 90) -> Table:
    """Each break in a pole's tilt with the sentences of the documents that drive it."""
    points, drivers = found.points, found.drivers
    caption = ("too short to test: fewer periods with data than change points need"
               if found.status == TOO_SHORT else None)
    table = Table(title="Change points in tilt, and the stories that drive them",
                  show_lines=True, caption=caption)
    for name in ("pole", "from", "before", "after", "shift", "stable"):
        table.add_column(name, no_wrap=True)
    table.add_column("driving events (most influential document first)")
    for p in points.itertuples(index=False):
        mine = drivers[(drivers["pole"] == p.pole) & (drivers["period"] == p.period)]
        lines = []
        for d in mine.head(5).itertuples(index=False):
            sentence = str(d.sentence)
            if len(sentence) > width:
                sentence = sentence[: width - 1] + "…"
            lines.append(f"{str(d.event_date)[:10]} {d.source}→{d.target} {d.cameo}: {sentence}")
        stability = getattr(p, "stability", float("nan"))
        stable = "" if pd.isna(stability) else f"{stability:.0%}"
        table.add_row(str(p.pole), str(p.period), number(p.before), number(p.after),
                      number(p.shift), stable, "\n".join(lines) or "(no story drives it alone)")
    return table


def ideal_positions(positions: pd.DataFrame, last: int = 12) -> Table:
    """Position of the focal state between two poles on the UN ideal-point scale, with
    the warning that one dimension cannot tell some states apart."""
    first = positions.iloc[0] if len(positions) else None
    pole1, pole2 = (first["pole1"], first["pole2"]) if first is not None else ("P1", "P2")
    table = Table(
        title=f"UN ideal points: position between {pole1} (0) and {pole2} (1)",
        caption=ONE_DIMENSION_WARNING,
    )
    for name in ("session", "focal", pole1, pole2, "position", "interval", "own move",
                 "poles' move"):  # fmt: skip
        table.add_column(name, justify="left" if name == "session" else "right",
                         no_wrap=name == "interval")  # fmt: skip
    for row in positions.tail(last).to_dict("records"):
        table.add_row(f"{row['session']} ({row['year']})", number(row["x_focal"]),
                      number(row["x_pole1"]), number(row["x_pole2"]), number(row["position"]),
                      _span(row["position_lo"], row["position_hi"]),
                      number(row["change_focal"]), number(row["change_poles"]))  # fmt: skip
    return table


def _span(lo: float, hi: float) -> str:
    if math.isinf(lo) and math.isinf(hi):
        return "unbounded"
    return f"[{lo:+.2f}, {hi:+.2f}]"


def un_agreement(agreement: pd.DataFrame, last: int = 12, measure: str = "pi",
                 issues: Sequence[str] = ()) -> Table:
    """UN General Assembly voting agreement per session: its own signal, never mixed in.

    ``measure`` is the chance-corrected column shown: ``pi`` (Scott) or ``kappa`` (Cohen);
    ``issues`` the codes of the UN issues the votes were chosen by, named in the title.
    """
    on = f" on {issue_names(list(issues))}" if issues else ""
    table = Table(title=f"UN General Assembly voting agreement{on} (independent of the events)")
    period = "session" if "session" in agreement.columns else "year"
    for name in (period, "pole", "votes", "agreement", "S", measure):
        table.add_column(name, justify="left" if name in (period, "pole") else "right")
    recent = agreement.groupby("pole", sort=False).tail(last)
    for row in recent.to_dict("records"):
        table.add_row(str(row[period]), str(row["pole"]), str(row["n_votes"]),
                      number(row["agree_share"], signed=False), number(row["s_score"]),
                      number(row.get(measure)))
    return table
