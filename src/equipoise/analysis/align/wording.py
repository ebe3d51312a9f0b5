"""The verdict: plain sentences on which way the focal state leaned and how that
changed."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from equipoise.analysis.align.periods import _span
from equipoise.analysis.align.totals import _ordered_periods, _poles, summarise
from equipoise.analysis.result import Alignment, Summary, as_alignment
from equipoise.reference.numbers import signed


def _and(items: Sequence[str], word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]



def verdict(aligned: Alignment | pd.DataFrame, focal: str | None = None,
            threshold: float = 0.05) -> str:
    """One to three plain sentences on which way the focal state leaned and how that changed.

    Every figure comes from :func:`summary`. A lean or a change smaller than
    ``threshold`` is reported as no clear lean / steady. Poles without any event in
    the range are left out of the comparison and named in a last sentence. ``focal``
    defaults to the code ``align`` recorded.
    """
    measured = as_alignment(aligned)
    aligned = measured.table
    focal = focal or measured.focal or "the focal state"
    poles = _poles(measured)
    periods = _ordered_periods(aligned)
    span = _span(periods)
    where = f"Over {span}, " if len(periods) > 1 else (f"In {span}, " if span else "")
    if not poles:
        return "No poles to compare."
    overview = summarise(measured)
    table = overview.table.set_index("pole")
    if table["n_events"].sum() == 0:
        sentence = f"{where}no events were found between {focal} and {_and(poles, 'or')}."
        return sentence[0].upper() + sentence[1:]
    # A pole without events, or with too few for a score, has no relations to compare:
    # it is named, never ranked, and the others are compared among themselves with the
    # same numbers as the table.
    silent = [p for p in poles if table.at[p, "n_events"] == 0]
    thin = [p for p in poles if p not in silent and pd.isna(table.at[p, "score"])]
    scored = [p for p in poles if p not in silent and p not in thin]
    notes = []
    if thin:
        least = overview.min_events
        counts = ", ".join(f"{p} {int(table.at[p, 'n_events'])}" for p in thin)
        notes.append(f"Too few events for a score with {_and(thin)} (fewer than {least} "
                     f"behind the score: {counts}).")
    if silent:
        notes.append(f"No events were found with {_and(silent, 'or')}.")
    for member, bloc in measured.overlaps:
        if measured.overlap == "exclude":
            notes.append(f"{member} is a member of {bloc}: its events count for {member} "
                         f"only, and {bloc} stands for its other members.")
        else:
            notes.append(f"{member} is a member of {bloc}: its events count for both.")
    if not scored:
        sentence = f"{where}the data are too thin for a verdict: no pole has enough events"
        return " ".join([sentence[0].upper() + sentence[1:] + ".", *notes])
    if silent or thin:
        poles = scored
        table = table.loc[scored]

    sentences: list[str] = []
    halves = len(periods) > 1
    if len(poles) == 1:
        pole = poles[0]
        net = table.at[pole, "net_coop"]
        if net >= threshold:
            tone = "mostly cooperative"
        elif net <= -threshold:
            tone = "mostly conflictual"
        else:
            tone = "balanced between cooperation and conflict"
        sentences.append(
            f"{where}relations between {focal} and {pole} were {tone} "
            f"(net cooperation {signed(net)})."
        )
        label, lead, clear = "Net cooperation with", pole, True
    else:
        lead = table["tilt"].idxmax()
        top = table.at[lead, "tilt"]
        if top < threshold:
            sentences.append(
                f"{where}{focal} showed no clear lean between {_and(poles)}"
                + (f" (largest tilt {signed(top)}, toward {lead})." if round(top, 2) else ".")
            )
        else:
            text = f"{where}{focal} leaned most toward {lead} (tilt {signed(top)})"
            if len(poles) >= 3:
                low = table["tilt"].idxmin()
                text += f" and least toward {low} ({signed(table.at[low, 'tilt'])})"
            sentences.append(text + ".")
            tie = _tied_with(measured, periods, lead, poles)
            if tie:
                sentences.append(tie)
        label, clear = "Tilt toward", top >= threshold

    if halves:
        sentences += _change_sentences(overview, table, lead, label, clear, threshold)
    return " ".join(sentences + notes)


def _tied_with(measured: Alignment, periods: list[str], lead: str,
               poles: list[str]) -> str | None:
    """With one period and intervals, the poles whose tilt interval overlaps the lead's:
    the data cannot tell them apart at the interval's level."""
    if len(periods) != 1 or "tilt_lo" not in measured.table.columns:
        return None
    rows = measured.table.set_index("pole")
    level = measured.ci
    lo = rows.at[lead, "tilt_lo"]
    if pd.isna(lo):
        return None
    tied = [p for p in poles if p != lead and not pd.isna(rows.at[p, "tilt_hi"])
            and rows.at[p, "tilt_hi"] >= lo]
    if not tied:
        return None
    at = f" at {level:.0%}" if level else ""
    return f"{lead} and {_and(tied)} cannot be told apart{at}: their intervals overlap."


def _change_sentences(
    overview: Summary,
    table: pd.DataFrame,
    lead: str,
    label: str,
    clear: bool,
    threshold: float,
) -> list[str]:
    """How the lean moved between the first and the second half of the periods."""
    early_n = int(table["first_half_events"].sum())
    late_n = int(table["second_half_events"].sum())
    if early_n == 0 or late_n == 0:
        empty = "first" if early_n == 0 else "second"
        return [f"No events fall in the {empty} half ({overview.half(empty)})."]

    a = table.at[lead, "first_half_tilt"]
    b = table.at[lead, "second_half_tilt"]
    if abs(b - a) < threshold:
        change = (
            f"{label} {lead} held steady ({signed(a)} in the first half, "
            f"{signed(b)} in the second)."
        )
    else:
        move = "rose" if b > a else "fell"
        change = (
            f"{label} {lead} {move} from {signed(a)} in the first half "
            f"to {signed(b)} in the second."
        )

    if pd.isna(a) or pd.isna(b):
        half = "first" if pd.isna(a) else "second"
        return [f"{lead} has too few events in the {half} half "
                f"({overview.half(half)}) to compare the halves."]
    shift = None
    if len(table) > 1 and table["first_half_tilt"].notna().any() \
            and table["second_half_tilt"].notna().any():
        first_lead = table["first_half_tilt"].idxmax()
        second_lead = table["second_half_tilt"].idxmax()
        first_top = table.at[first_lead, "first_half_tilt"]
        second_top = table.at[second_lead, "second_half_tilt"]
        if first_lead != second_lead and min(first_top, second_top) >= threshold:
            shift = (
                f"The lean shifted from {first_lead} in the first half ({signed(first_top)}) "
                f"to {second_lead} in the second ({signed(second_top)})."
            )
    if shift and not clear:
        return [shift]
    return [change, shift] if shift else [change]
