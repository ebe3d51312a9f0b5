"""Which way does a focal state lean between rival poles, period by period.

Input is a DataFrame of coded events with the columns of the store's ``events``
table. Every function here is pure: DataFrames in, DataFrames (or text) out.

Definitions
-----------
Dyad event
    An event between the focal state and a pole, in either direction. An actor
    matches a code when its ``source``/``target`` equals the code or its
    ``*_country`` does (an actor coded ``AZE`` with sector ``MIL`` counts as
    ``AZE``). ``direction`` is ``"out"`` (focal -> pole), ``"in"`` (pole -> focal)
    or ``"both"`` for symmetric events, which count once even when they were
    stored as two mirrored rows.
Counts
    ``verbal_coop``, ``material_coop``, ``verbal_conflict``, ``material_conflict``
    count events of quad 1, 2, 3 and 4, both directions together.
Net cooperation
    ``net_coop = (coop - conflict) / (n + k)``, where coop counts quads 1-2,
    conflict quads 3-4, ``n`` all events and ``k`` (``smoothing``, default 2)
    is additive smoothing so that one event is not certainty: a single
    cooperative event gives 1/3, not 1. It lies in (-1, 1) and is 0 with no events.
Tilt
    Tilt toward pole P in a period is net_coop(P) minus the mean net_coop over
    the other poles in that period, so tilts sum to zero across poles. Positive
    means the focal state treats P better than it treats the others. With a
    single pole, tilt equals net_coop.
Periods
    ``freq`` is ``"month"``, ``"quarter"`` or ``"year"``. Events dated only to a
    month or year fall in the period holding the first day of that month or year.
Whole range and halves (``summary``)
    The same formulas applied to totals over all periods, and over the first
    and second half of the periods (the first half takes the middle period when
    their number is odd).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

__all__ = ["FREQS", "align", "dyad_events", "summary", "verdict"]

FREQS: dict[str, str] = {"month": "M", "quarter": "Q", "year": "Y"}

QUAD_COLUMNS: tuple[str, ...] = (
    "verbal_coop",
    "material_coop",
    "verbal_conflict",
    "material_conflict",
)
ALIGN_COLUMNS: list[str] = [
    "period",
    "period_start",
    "pole",
    "n_events",
    *QUAD_COLUMNS,
    "goldstein_mean",
    "net_coop",
    "tilt",
]
SUMMARY_COLUMNS: list[str] = [
    "pole",
    "n_periods",
    "n_events",
    *QUAD_COLUMNS,
    "goldstein_mean",
    "net_coop",
    "tilt",
    "first_half_events",
    "second_half_events",
    "first_half_tilt",
    "second_half_tilt",
    "tilt_change",
]
DEFAULT_SMOOTHING = 2.0

# Columns that identify one event when a symmetric event was stored as two mirrored rows.
_SYMMETRIC_KEY = ("doc_id", "sent_start", "sent_end", "cameo", "event_date", "coder", "dataset")


# --------------------------------------------------------------------------- helpers


def _code(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty actor code, got {value!r}")
    return value.strip().upper()


def _clean_poles(focal: str, poles: Sequence[str]) -> list[str]:
    if isinstance(poles, str):
        poles = [poles]
    cleaned: list[str] = []
    for pole in poles:
        code = _code(pole, "pole")
        if code not in cleaned:
            cleaned.append(code)
    if not cleaned:
        raise ValueError("at least one pole is needed")
    if focal in cleaned:
        raise ValueError(f"the focal state {focal} cannot also be a pole")
    return cleaned


def _freq_code(freq: str) -> str:
    try:
        return FREQS[freq]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(f) for f in FREQS)
        raise ValueError(f"unknown freq {freq!r}: use one of {allowed}") from None


def _to_datetime(values: pd.Series) -> pd.Series:
    """Event dates as day-resolution timestamps, whatever form they came in."""
    if pd.api.types.is_datetime64_any_dtype(values):
        when = values
    elif values.empty:
        when = pd.Series(pd.DatetimeIndex([]), index=values.index)
    else:
        sample = values.dropna().iloc[0] if values.notna().any() else None
        if isinstance(sample, str):
            when = pd.to_datetime(values, format="ISO8601")
        else:
            when = pd.to_datetime(values)
    if getattr(when.dt, "tz", None) is not None:
        when = when.dt.tz_localize(None)
    return when.dt.normalize()


def _matches(events: pd.DataFrame, side: str, code: str) -> pd.Series:
    hit = events[side].eq(code)
    country = f"{side}_country"
    if country in events.columns:
        hit = hit | events[country].eq(code)
    return hit.fillna(False).astype(bool)


def _net_coop(coop, conflict, n, k: float):
    coop, conflict, n = (np.asarray(x, dtype=float) for x in (coop, conflict, n))
    denom = n + k
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denom > 0, (coop - conflict) / np.where(denom > 0, denom, 1.0), 0.0)
    return out


def _tilt(net: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """Net cooperation minus the mean over the other poles (within each group)."""
    if groups is None:
        total = pd.Series(net.sum(), index=net.index)
        m = pd.Series(len(net), index=net.index)
    else:
        total = net.groupby(groups).transform("sum")
        m = net.groupby(groups).transform("size")
    others = (total - net) / (m - 1).where(m > 1)
    return (net - others).where(m > 1, net)


def _signed(x: float) -> str:
    value = round(float(x), 2)
    return "0.00" if value == 0 else f"{value:+.2f}"


def _span(periods: Sequence[str]) -> str:
    if not periods:
        return ""
    return periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]}"


def _and(items: Sequence[str], word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


# --------------------------------------------------------------------------- dyads


def dyad_events(events: pd.DataFrame, focal: str, poles: Sequence[str]) -> pd.DataFrame:
    """Events between ``focal`` and each pole, in either direction.

    Returns the matching rows with every input column plus ``pole`` and
    ``direction`` (``"out"`` focal -> pole, ``"in"`` pole -> focal, ``"both"`` for
    symmetric events, kept once). An event that matches several poles appears
    once per pole. Rows are sorted by event date.
    """
    focal = _code(focal, "focal")
    poles = _clean_poles(focal, poles)
    missing = [c for c in ("source", "target") if c not in events.columns]
    if missing:
        raise ValueError(f"events lack required column(s): {', '.join(missing)}")

    if "symmetric" in events.columns:
        symmetric = events["symmetric"].fillna(False).astype(bool)
    else:
        symmetric = pd.Series(False, index=events.index)
    from_focal = _matches(events, "source", focal)
    to_focal = _matches(events, "target", focal)

    frames = []
    for pole in poles:
        out = from_focal & _matches(events, "target", pole)
        inbound = _matches(events, "source", pole) & to_focal
        hit = out | inbound
        if not hit.any():
            continue
        rows = events.loc[hit].reset_index(drop=True)
        rows["pole"] = pole
        rows["direction"] = np.where(
            symmetric[hit].to_numpy(), "both", np.where(out[hit].to_numpy(), "out", "in")
        )
        both = rows["direction"].eq("both")
        if both.sum() > 1:
            dup = _mirrored_duplicate(rows.loc[both]).reindex(rows.index, fill_value=False)
            rows = rows.loc[~dup]
        frames.append(rows)

    columns = [*events.columns, "pole", "direction"]
    if not frames:
        return events.iloc[0:0].assign(
            pole=pd.Series(dtype=object), direction=pd.Series(dtype=object)
        )[columns]
    result = pd.concat(frames)
    order = _to_datetime(result["event_date"]) if "event_date" in result else None
    if order is not None:
        result = result.iloc[np.argsort(order.to_numpy(), kind="stable")]
    return result.reset_index(drop=True)[columns]


def _mirrored_duplicate(rows: pd.DataFrame) -> pd.Series:
    """True for the second of two rows that are one symmetric event seen from each side."""

    def actor(side: str) -> pd.Series:
        sector = rows.get(f"{side}_sector", pd.Series("", index=rows.index))
        return rows[side].astype(str) + "/" + sector.fillna("").astype(str)

    a, b = actor("source"), actor("target")
    pair = a.where(a <= b, b) + "|" + b.where(a <= b, a)
    key = [c for c in _SYMMETRIC_KEY if c in rows.columns]
    frame = rows[key].astype(str).assign(_pair=pair.to_numpy())
    return frame.duplicated(keep="first")


# --------------------------------------------------------------------------- align


def align(
    events: pd.DataFrame,
    focal: str,
    poles: Sequence[str],
    start: date | None = None,
    end: date | None = None,
    freq: str = "month",
    smoothing: float = DEFAULT_SMOOTHING,
) -> pd.DataFrame:
    """One row per (period, pole) for every period from ``start`` to ``end``.

    Periods without events appear with zero counts, ``goldstein_mean`` NaN and
    ``net_coop`` 0. The range defaults to the first and last dyad event date.
    Columns: ``period`` (e.g. "2020-07", "2020Q3", "2020"), ``period_start``,
    ``pole``, ``n_events``, the four quad counts, ``goldstein_mean``,
    ``net_coop`` and ``tilt``; see the module docstring for the definitions.
    ``attrs`` records focal, poles, freq, smoothing, start and end.
    """
    code = _freq_code(freq)
    if smoothing < 0:
        raise ValueError(f"smoothing must be >= 0, got {smoothing}")
    focal = _code(focal, "focal")
    poles = _clean_poles(focal, poles)
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start {lo.date()} is after end {hi.date()}")

    dyads = dyad_events(events, focal, poles)
    when = _to_datetime(dyads["event_date"]) if "event_date" in dyads else None
    if when is None:
        raise ValueError("events lack required column: event_date")
    keep = pd.Series(True, index=dyads.index)
    if lo is not None:
        keep &= when >= lo
    if hi is not None:
        keep &= when <= hi
    dyads, when = dyads.loc[keep], when.loc[keep]

    if lo is None:
        lo = when.min() if len(when) else hi
    if hi is None:
        hi = when.max() if len(when) else lo
    attrs = {
        "focal": focal,
        "poles": list(poles),
        "freq": freq,
        "smoothing": float(smoothing),
        "start": lo.date() if lo is not None else None,
        "end": hi.date() if hi is not None else None,
    }
    if lo is None:  # no events and no range given
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ALIGN_COLUMNS})
        empty.attrs.update(attrs)
        return empty

    periods = pd.period_range(lo.to_period(code), hi.to_period(code), freq=code)
    labels = [str(p) for p in periods]
    quad = pd.to_numeric(dyads["quad"], errors="coerce")
    tally = pd.DataFrame(
        {
            "period": when.dt.to_period(code).astype(str).to_numpy(),
            "pole": dyads["pole"].to_numpy(),
            "n_events": 1,
            **{col: quad.eq(i + 1).astype(int).to_numpy() for i, col in enumerate(QUAD_COLUMNS)},
            "_goldstein": pd.to_numeric(dyads["goldstein"], errors="coerce").fillna(0.0).to_numpy(),
        }
    )
    grid = pd.MultiIndex.from_product([labels, poles], names=["period", "pole"])
    counts = tally.groupby(["period", "pole"]).sum().reindex(grid, fill_value=0).reset_index()

    n = counts["n_events"]
    coop = counts["verbal_coop"] + counts["material_coop"]
    conflict = counts["verbal_conflict"] + counts["material_conflict"]
    counts["goldstein_mean"] = (counts["_goldstein"] / n.where(n > 0)).astype(float)
    counts["net_coop"] = _net_coop(coop, conflict, n, smoothing)
    counts["tilt"] = _tilt(counts["net_coop"], counts["period"])
    starts = {str(p): p.start_time.date() for p in periods}
    counts["period_start"] = counts["period"].map(starts).astype(object)
    for col in ("n_events", *QUAD_COLUMNS):
        counts[col] = counts[col].astype("int64")
    result = counts[ALIGN_COLUMNS].reset_index(drop=True)
    result.attrs.update(attrs)
    return result


# --------------------------------------------------------------------------- summary


def _block(aligned: pd.DataFrame, poles: list[str], k: float) -> pd.DataFrame:
    """Totals, net cooperation and tilt per pole over the rows given."""
    if aligned.empty:
        totals = pd.DataFrame(
            0, index=pd.Index(poles, name="pole"), columns=["n_events", *QUAD_COLUMNS, "_goldstein"]
        )
    else:
        sums = aligned.assign(
            _goldstein=aligned["goldstein_mean"].fillna(0.0) * aligned["n_events"]
        )
        totals = sums.groupby("pole")[["n_events", *QUAD_COLUMNS, "_goldstein"]].sum()
        totals = totals.reindex(poles, fill_value=0)
    n = totals["n_events"]
    coop = totals["verbal_coop"] + totals["material_coop"]
    conflict = totals["verbal_conflict"] + totals["material_conflict"]
    totals["goldstein_mean"] = (totals["_goldstein"] / n.where(n > 0)).astype(float)
    totals["net_coop"] = _net_coop(coop, conflict, n, k)
    totals["tilt"] = _tilt(totals["net_coop"])
    return totals.drop(columns="_goldstein")


def _ordered_periods(aligned: pd.DataFrame) -> list[str]:
    if aligned.empty:
        return []
    firsts = aligned.drop_duplicates("period")
    if "period_start" in firsts:
        firsts = firsts.sort_values("period_start", kind="stable")
    return firsts["period"].astype(str).tolist()


def _poles(aligned: pd.DataFrame) -> list[str]:
    return (
        list(dict.fromkeys(aligned["pole"].tolist()))
        if len(aligned)
        else list(aligned.attrs.get("poles", []))
    )


def summary(aligned: pd.DataFrame, smoothing: float | None = None) -> pd.DataFrame:
    """One row per pole over the whole range of an :func:`align` result.

    Totals of events and quads, ``goldstein_mean``, ``net_coop`` and ``tilt``
    computed from the totals, and the same tilt over the first and second half
    of the periods (``first_half_tilt``, ``second_half_tilt``, ``tilt_change``),
    with the number of events in each half. Poles keep their order in
    ``aligned``. ``smoothing`` defaults to the value ``align`` used.
    """
    k = aligned.attrs.get("smoothing", DEFAULT_SMOOTHING) if smoothing is None else smoothing
    poles = _poles(aligned)
    periods = _ordered_periods(aligned)
    if not poles:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SUMMARY_COLUMNS})

    half = (len(periods) + 1) // 2
    first, second = periods[:half], periods[half:]
    whole = _block(aligned, poles, k)
    early = _block(aligned[aligned["period"].isin(first)], poles, k)
    late = _block(aligned[aligned["period"].isin(second)], poles, k)

    result = whole.copy()
    result["n_periods"] = len(periods)
    result["first_half_events"] = early["n_events"]
    result["second_half_events"] = late["n_events"]
    result["first_half_tilt"] = early["tilt"] if first else np.nan
    result["second_half_tilt"] = late["tilt"] if second else np.nan
    result["tilt_change"] = result["second_half_tilt"] - result["first_half_tilt"]
    result = result.reset_index(names="pole")[SUMMARY_COLUMNS]
    for col in ("n_periods", "n_events", *QUAD_COLUMNS, "first_half_events", "second_half_events"):
        result[col] = result[col].astype("int64")
    result.attrs.update(
        {
            "focal": aligned.attrs.get("focal"),
            "smoothing": float(k),
            "periods": _span(periods),
            "first_half": _span(first),
            "second_half": _span(second),
        }
    )
    return result


# --------------------------------------------------------------------------- verdict


def verdict(aligned: pd.DataFrame, focal: str | None = None, threshold: float = 0.05) -> str:
    """One to three plain sentences on which way the focal state leaned and how that changed.

    Every figure comes from :func:`summary`. A lean or a change smaller than
    ``threshold`` is reported as no clear lean / steady. ``focal`` defaults to
    the code ``align`` recorded.
    """
    focal = focal or aligned.attrs.get("focal") or "the focal state"
    poles = _poles(aligned)
    periods = _ordered_periods(aligned)
    span = _span(periods)
    where = f"Over {span}, " if len(periods) > 1 else (f"In {span}, " if span else "")
    if not poles:
        return "No poles to compare."
    overview = summary(aligned)
    table = overview.set_index("pole")
    if table["n_events"].sum() == 0:
        sentence = f"{where}no events were found between {focal} and {_and(poles, 'or')}."
        return sentence[0].upper() + sentence[1:]

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
            f"(net cooperation {_signed(net)})."
        )
        label, lead, clear = "Net cooperation with", pole, True
    else:
        lead = table["tilt"].idxmax()
        top = table.at[lead, "tilt"]
        if top < threshold:
            sentences.append(
                f"{where}{focal} showed no clear lean between {_and(poles)}"
                + (f" (largest tilt {_signed(top)}, toward {lead})." if round(top, 2) else ".")
            )
        else:
            text = f"{where}{focal} leaned most toward {lead} (tilt {_signed(top)})"
            if len(poles) >= 3:
                low = table["tilt"].idxmin()
                text += f" and least toward {low} ({_signed(table.at[low, 'tilt'])})"
            sentences.append(text + ".")
        label, clear = "Tilt toward", top >= threshold

    if halves:
        sentences += _change_sentences(overview, table, lead, label, clear, threshold)
    return " ".join(sentences)


def _change_sentences(
    overview: pd.DataFrame,
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
        return [f"No events fall in the {empty} half ({overview.attrs[f'{empty}_half']})."]

    a = table.at[lead, "first_half_tilt"]
    b = table.at[lead, "second_half_tilt"]
    if abs(b - a) < threshold:
        change = (
            f"{label} {lead} held steady ({_signed(a)} in the first half, "
            f"{_signed(b)} in the second)."
        )
    else:
        move = "rose" if b > a else "fell"
        change = (
            f"{label} {lead} {move} from {_signed(a)} in the first half "
            f"to {_signed(b)} in the second."
        )

    shift = None
    if len(table) > 1:
        first_lead = table["first_half_tilt"].idxmax()
        second_lead = table["second_half_tilt"].idxmax()
        first_top = table.at[first_lead, "first_half_tilt"]
        second_top = table.at[second_lead, "second_half_tilt"]
        if first_lead != second_lead and min(first_top, second_top) >= threshold:
            shift = (
                f"The lean shifted from {first_lead} in the first half ({_signed(first_top)}) "
                f"to {second_lead} in the second ({_signed(second_top)})."
            )
    if shift and not clear:
        return [shift]
    return [change, shift] if shift else [change]
