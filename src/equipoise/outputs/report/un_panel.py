"""The UN voting panel: agreement charts and a summary per pole."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from equipoise.outputs import specs
from equipoise.outputs.specs import plain as _plain
from equipoise.reference.numbers import signed as _signed


def _un_panel(un_votes: pd.DataFrame | None, focal: str, poles: list[str],
              colours: dict[str, str], measure: str = "pi", issues: Sequence[str] = ()
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
