"""Generated-data checks of the measures: each figure the methodology promises, measured.

usage: python benchmarks/validation.py [--only NAME[,NAME...]] [--quick] [--seed 0]
                                      [--break-runs 400] [--db STORE]

The checks below come first; then those of ``benchmarks/validation_breaks.py`` (stories
counted once, false breaks and power of the change-point test, break stability), which
``--only`` may also name.

Every check is a function registered with ``@check("name")`` that generates events with a
known truth, runs them through the package's own ``align`` / ``equidistance``, and returns
a :class:`Outcome`: the figures measured, the target, and whether it was met (or None
for a check that only reports figures). To add a check, write one more such function;
``--only`` runs some by name, ``--quick`` runs smaller samples (what the test suite does).
The script prints one block per check (PASS, FAIL or INFO) and exits 1 when a check misses
its target.

Checks
------
coverage_invariance
    Exactly equal relations (90% cooperative events) with three poles, one ten times as
    covered (100 events a quarter against 10): the mean tilt per pole must be within
    +-0.05. Also with events drawn at random, 60 against 6 a quarter, over 1000 quarters
    (300 with --quick): the standard error of each mean is then about 0.01.
equidistance_bias
    Three poles treated alike (70% cooperative: true index 1) and unequally (80%, 60%,
    40%: 0.654), 10, 30 and 100 events per pole and period: the mean index before (the
    plain spread of the scores) and after the sampling-variance correction. Target: with
    equal relations and 10 events, the corrected bias is at most half the plain one.
equidistance_coverage
    Three poles treated unequally (80%, 60%, 40% cooperative, index 0.654), 30 events
    per pole in documents of one to three events: how often the 90% interval holds the
    true index, and the same for the position between two poles. Target >= 88%.
tilt_coverage
    Figures only (INFO): how often the 90% percentile interval of each pole's tilt holds
    the true tilt, with 30 events per pole and with 60/10/10.

Real data (INFO "skipped: data absent" without it)
------------------------------------------------
convergent_validity
    The shared ICEWS 2018 sample, imported with the package's reader: per state, its
    USA-vs-RUS tilt (direction out, 2018 as one period, min_events 1, 2 and 3) against
    Scott's pi with the USA minus pi with Russia and the ideal-point position between
    RUS (0) and USA (1), UN session 73: Spearman correlations and the number of states.
    Expectation: positive.
known_groups
    NATO or EU members against CSTO members (on 1 June 2018, the poles left out), on the
    event tilt, the pi difference and the position: the AUC (the probability that a
    NATO/EU state scores above a CSTO state) with the counts. Expectation: above 0.5.
episodes
    The changes pre-registered in docs/validation.md (TUR-RUS 2015Q4 and 2016Q3, ARM
    2022Q3-2024Q1, AZE-IRN January 2023), each the sign of a named measure's change, run
    on the store given with ``--db``; an episode without events enough in both windows
    is "not evaluable".
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from equipoise.analysis import equidistance
from equipoise.analysis import measure as measure_stories
from equipoise.analysis.result import Alignment
from equipoise.errors import InvalidQueryError

__all__ = ["CHECKS", "Outcome", "check", "generated_events", "main"]


@dataclass
class Outcome:
    """What one check measured: named figures, the target in words, and the verdict
    (None for a check that only reports figures, with no target to meet)."""

    figures: dict[str, float]
    target: str
    passed: bool | None
    notes: list[str] = field(default_factory=list)


CHECKS: dict[str, Callable[[bool, int], Outcome]] = {}


def measure(events: pd.DataFrame, *args, **options) -> Alignment:
    """Generated events are distinct real events, many on one day with one code, which
    the story rule would merge: these checks count them one by one (the story rule has
    its own checks in validation_breaks.py)."""
    options.setdefault("unit", "event")
    return measure_stories(events, *args, **options)


def align(events: pd.DataFrame, *args, **options) -> pd.DataFrame:
    """The table of :func:`measure`."""
    return measure(events, *args, **options).table


def check(name: str) -> Callable[[Callable[[bool, int], Outcome]], Callable[[bool, int], Outcome]]:
    """Register a check under ``name``: a function of (quick, seed) returning an Outcome."""

    def register(function: Callable[[bool, int], Outcome]) -> Callable[[bool, int], Outcome]:
        CHECKS[name] = function
        return function

    return register


# --------------------------------------------------------------------------- generated data


def _period_day(index: int) -> dt.date:
    """The 15th of the middle month of quarter ``index`` counted from 2000Q1."""
    return dt.date(2000 + index // 4, 3 * (index % 4) + 2, 15)


def generated_events(
    plan: dict[str, float],
    counts: dict[str, int],
    periods: int,
    rng: np.random.Generator | None,
    focal: str = "AZE",
    doc_sizes: tuple[int, ...] = (1,),
) -> pd.DataFrame:
    """Focal -> pole events, quarter by quarter: ``counts[pole]`` a quarter, each
    cooperative (verbal cooperation) with probability ``plan[pole]``, else verbal conflict.

    ``rng`` None gives exactly that share in every quarter (rounded). Events are grouped
    into documents of a size drawn from ``doc_sizes``, within one pole and quarter.
    """
    frames = []
    for q in range(periods):
        day = pd.Timestamp(_period_day(q))
        for pole, n in counts.items():
            if rng is None:
                c = round(plan[pole] * n)
                quads = np.array([1] * c + [3] * (n - c))
            else:
                quads = np.where(rng.random(n) < plan[pole], 1, 3)
            sizes = np.array(doc_sizes)
            docs = (np.arange(n) if rng is None or len(sizes) == 1
                    else np.repeat(np.arange(n), rng.choice(sizes, n))[:n])
            frames.append(pd.DataFrame({
                "doc_id": [f"{q}-{pole}-{d}" for d in docs],
                "sent_start": np.arange(n), "sent_end": np.arange(n) + 1,
                "source": focal, "source_country": focal, "target": pole,
                "target_country": pole, "quad": quads,
                "cameo": np.where(quads == 1, "042", "112"),
                "goldstein": np.where(quads == 1, 1.9, -2.0), "event_date": day,
                "symmetric": False,
            }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def _window(periods: int) -> dict[str, dt.date]:
    """``align``'s window over ``periods`` quarters from 2000Q1, given explicitly: an open
    window stops a year after today, and generated series run on into later centuries."""
    last = _period_day(periods - 1)
    return {"start": dt.date(2000, 1, 1), "end": dt.date(last.year, last.month + 1, 28)}


def _true_index(means: list[float]) -> float:
    """The equidistance of the true mean values: 1 - sd / sd_max(m)."""
    values = np.asarray(means)
    m = values.size
    return float(1.0 - values.std() / np.sqrt(1.0 - (m % 2) / m**2))


# --------------------------------------------------------------------------- checks


@check("coverage_invariance")
def coverage_invariance(quick: bool, seed: int) -> Outcome:
    poles = ["USA", "RUS", "CHN"]
    figures: dict[str, float] = {}
    exact = generated_events({p: 0.9 for p in poles}, {"USA": 100, "RUS": 10, "CHN": 10},
                             periods=8, rng=None)
    tilt = align(exact, "AZE", poles, freq="quarter", **_window(8)).groupby("pole")["tilt"].mean()
    figures.update({f"exact mean tilt {p}": float(tilt[p]) for p in poles})
    runs = 300 if quick else 1000
    drawn = generated_events({p: 0.9 for p in poles}, {"USA": 60, "RUS": 6, "CHN": 6},
                             periods=runs, rng=np.random.default_rng(seed))
    tilt = align(drawn, "AZE", poles, freq="quarter", **_window(runs))
    tilt = tilt.groupby("pole")["tilt"].mean()
    figures.update({f"drawn mean tilt {p} ({runs} quarters)": float(tilt[p]) for p in poles})
    worst = max(abs(v) for v in figures.values())
    return Outcome(figures, "every mean tilt within +-0.05", worst <= 0.05,
                   ["before the change (shrinkage toward 0): exact USA +0.118, RUS -0.059, "
                    "CHN -0.059"])


@check("equidistance_bias")
def equidistance_bias(quick: bool, seed: int) -> Outcome:
    poles = ["TUR", "RUS", "IRN"]
    rng = np.random.default_rng(seed)
    figures: dict[str, float] = {}
    periods = 60 if quick else 300
    plans = {"equal": {p: 0.7 for p in poles},
             "unequal": {"TUR": 0.8, "RUS": 0.6, "IRN": 0.4}}
    for name, plan in plans.items():
        truth = _true_index([2 * p - 1 for p in plan.values()])
        figures[f"{name}: true index"] = truth
        for n in (10,) if quick else (10, 30, 100):
            df = generated_events(plan, {p: n for p in poles}, periods, rng)
            table = equidistance(align(df, "AZE", poles, freq="quarter", **_window(periods)))
            figures[f"{name}: plain index, {n} events per pole"] = float(
                table["equidistance_raw"].mean())
            figures[f"{name}: corrected index, {n} events per pole"] = float(
                table["equidistance"].mean())
    before = 1.0 - figures["equal: plain index, 10 events per pole"]
    after = 1.0 - figures["equal: corrected index, 10 events per pole"]
    return Outcome(figures, "equal relations, 10 events per pole: the corrected bias at most "
                   "half the plain one", after <= 0.5 * before,
                   ["plain: 1 - sd / sd_max over the scores, as before the correction; "
                    "before the change of scores the docs gave 0.80 at 10 events (equal)"])


@check("equidistance_coverage")
def equidistance_coverage(quick: bool, seed: int) -> Outcome:
    plan = {"TUR": 0.8, "RUS": 0.6, "IRN": 0.4}
    poles = list(plan)
    truth = _true_index([2 * p - 1 for p in plan.values()])
    rng = np.random.default_rng(seed)
    periods, n_boot = (200, 300) if quick else (1000, 500)
    df = generated_events(plan, {p: 30 for p in poles}, periods, rng, doc_sizes=(1, 2, 3))
    aligned = measure(df, "AZE", poles, freq="quarter", ci=0.9, n_boot=n_boot,
                      random_state=seed, **_window(periods))
    table = equidistance(aligned)
    held = (table["equidistance_lo"] <= truth) & (truth <= table["equidistance_hi"])
    # Two camps: TUR (0) and IRN (1), default anchors -2 and +2.
    true_position = ((2 * plan["IRN"] - 1) - (2 * plan["TUR"] - 1) + 2) / 4
    pair = equidistance(aligned, poles=["TUR", "IRN"])
    held_position = (pair["position_lo"] <= true_position) & (
        true_position <= pair["position_hi"])
    figures = {
        "true index": truth,
        "mean corrected index": float(table["equidistance"].mean()),
        "mean plain index": float(table["equidistance_raw"].mean()),
        "coverage of the 90% interval": float(held.mean()),
        "coverage of the position's 90% interval": float(held_position.mean()),
        "periods": float(len(table)),
    }
    return Outcome(figures, "coverage >= 0.88 for nominal 0.90",
                   held.mean() >= 0.88 and held_position.mean() >= 0.88)


@check("tilt_coverage")
def tilt_coverage(quick: bool, seed: int) -> Outcome:
    plan = {"TUR": 0.8, "RUS": 0.6, "IRN": 0.4}
    truth = {p: (2 * plan[p] - 1) - np.mean([2 * plan[q] - 1 for q in plan if q != p])
             for p in plan}
    periods, n_boot = (100, 300) if quick else (600, 400)
    figures: dict[str, float] = {}
    for label, counts in (("30 each", {p: 30 for p in plan}),
                          ("60/10/10", {"TUR": 60, "RUS": 10, "IRN": 10})):
        df = generated_events(plan, counts, periods, np.random.default_rng(seed),
                              doc_sizes=(1, 2, 3))
        aligned = align(df, "AZE", list(plan), freq="quarter", ci=0.9, n_boot=n_boot,
                        random_state=seed, **_window(periods))
        for pole in plan:
            rows = aligned[(aligned["pole"] == pole) & aligned["tilt_lo"].notna()]
            held = (rows["tilt_lo"] <= truth[pole]) & (truth[pole] <= rows["tilt_hi"])
            figures[f"{label}: coverage of {pole}'s tilt (true {truth[pole]:+.1f})"] = float(
                held.mean())
            figures[f"{label}: mean tilt of {pole}"] = float(rows["tilt"].mean())
    return Outcome(figures, "figures only: percentile intervals of the tilt, 90% nominal",
                   None, ["the score pulls a thin cell toward the focal state's level, so a "
                          "thin pole's real difference is understated and its interval "
                          "misses the true tilt more often"])


# --------------------------------------------------------------------------- real data


@dataclass
class RealData:
    """Where the real-data checks read: the shared reference data (absent on most
    machines: the checks are then skipped) and a store of the user's own events."""

    shared: Path = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    db: Path | None = None


DATA = RealData()
SKIPPED = "skipped: data absent"
POLES = ("USA", "RUS")
SESSION = 73  # September 2018 to September 2019: the session of the ICEWS sample's year


def _skipped(*paths: Path) -> Outcome | None:
    """The skipped outcome when any of ``paths`` is missing, else None."""
    missing = [str(p) for p in paths if not p.exists()]
    return Outcome({}, SKIPPED, None, [f"missing: {m}" for m in missing]) if missing else None


def _spearman(x: pd.Series, y: pd.Series) -> float:
    """Spearman's rank correlation (average ranks for ties) over the rows both hold."""
    both = pd.concat([x, y], axis=1).dropna()
    if len(both) < 3:
        return float("nan")
    ranks = both.rank()
    return float(np.corrcoef(ranks.iloc[:, 0], ranks.iloc[:, 1])[0, 1])


def _permutation_p(x: pd.Series, y: pd.Series, seed: int, draws: int = 10_000) -> float:
    """One-sided p of Spearman's rho under random pairing: the share of ``draws``
    shuffles of ``y`` whose rho is at least the observed one (the observed included)."""
    both = pd.concat([x, y], axis=1).dropna().rank()
    if len(both) < 3:
        return float("nan")
    a, b = both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy()
    observed = np.corrcoef(a, b)[0, 1]
    rng = np.random.default_rng(seed)
    shuffled = rng.permuted(np.tile(b, (draws, 1)), axis=1)
    rhos = np.array([np.corrcoef(a, row)[0, 1] for row in shuffled])
    return float((1 + (rhos >= observed - 1e-12).sum()) / (draws + 1))


def _auc(high: pd.Series, low: pd.Series) -> float:
    """The probability that a value of ``high`` exceeds one of ``low`` (ties count half)."""
    a, b = high.dropna().to_numpy(), low.dropna().to_numpy()
    if not a.size or not b.size:
        return float("nan")
    diff = a[:, None] - b[None, :]
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size)


def _icews_store(folder: Path) -> Path:
    """The shared ICEWS sample imported with the package's own reader into a store."""
    from equipoise.sources.datasets import read_icews
    from equipoise.store import Store

    path = folder / "icews.duckdb"
    with Store(path) as store:
        store.add_dataset_events(read_icews(DATA.shared / "icews_sample_2018" /
                                            "events.2018.sample.tab"), "icews")
    return path


MIN_EVENTS = (1, 2, 3)


def _event_tilts(db: Path) -> pd.DataFrame:
    """Per state with events toward both poles in 2018: its USA-vs-RUS tilt (its own acts,
    ``direction=out``; the USA pole's tilt, i.e. score(USA) - score(RUS)), one column
    ``tilt_<m>`` for each ``min_events`` m of :data:`MIN_EVENTS`."""
    from equipoise import api
    from equipoise.reference.countries import state_codes
    from equipoise.store import Store

    with Store(db, read_only=True) as store:
        frame = store.events_frame()
    # A state with no event toward one pole has no tilt: align only the others.
    toward = frame[frame["target_country"].isin(POLES)]
    both = toward.groupby("source_country")["target_country"].nunique()
    states = sorted(set(both[both == len(POLES)].index) & state_codes() - set(POLES))
    tilts: dict[str, dict[str, float]] = {}
    for state in states:
        for m in MIN_EVENTS:
            table = api.align(state, list(POLES), db=db, start="2018-01-01",
                              end="2018-12-31", freq="year", min_events=m)
            usa = table[table["pole"] == "USA"]["tilt"].dropna()
            tilts.setdefault(state, {})[f"tilt_{m}"] = (
                float(usa.iloc[0]) if len(usa) else float("nan"))
    return pd.DataFrame.from_dict(tilts, orient="index",
                                  columns=[f"tilt_{m}" for m in MIN_EVENTS])


def _un_measures(states: list[str]) -> pd.DataFrame:
    """Per state, session 73: Scott's pi with the USA minus pi with Russia (the unvotes
    package's votes) and the ideal-point position between RUS (0) and USA (1)."""
    from equipoise import api

    votes = api.un_votes(DATA.shared / "unvotes" / "un_votes.rda",
                         DATA.shared / "unvotes" / "un_roll_calls.rda")
    votes = votes[votes["session"] == SESSION]
    points = api.un_ideal_points(DATA.shared / "unga_idealpoints_jun2024" /
                                 "IdealpointestimatesAll_Jun2024.csv")
    rows = {}
    for state in states:
        try:
            pi = api.un_agreement(votes, state, list(POLES)).set_index("pole")["pi"]
            position = api.un_position(points, state, "RUS", "USA")
        except InvalidQueryError:  # no vote or ideal point: an observer such as Palestine
            continue
        position = position[position["session"] == SESSION]["position"]
        rows[state] = {
            "pi_difference": float(pi.get("USA", np.nan) - pi.get("RUS", np.nan)),
            "position": float(position.iloc[0]) if len(position) else float("nan"),
        }
    return pd.DataFrame.from_dict(rows, orient="index").reindex(states)


_TABLE: list[pd.DataFrame] = []


def real_table() -> pd.DataFrame:
    """Per state of the ICEWS sample with a tilt, and per NATO, EU or CSTO member: event
    tilts (``tilt_<min_events>``), pi difference and ideal-point position. Built once."""
    if not _TABLE:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            tilts = _event_tilts(_icews_store(Path(folder)))
        west, csto = _members_2018()
        every = sorted(set(tilts.index) | set(west) | set(csto))
        _TABLE.append(_un_measures(every).join(tilts, how="left"))
    return _TABLE[0]


def _members_2018() -> tuple[list[str], list[str]]:
    """NATO or EU members, and CSTO members, on 1 June 2018 (the bundled membership
    table), the two poles left out."""
    from equipoise.reference.memberships import default_memberships

    table = default_memberships()
    day = pd.Timestamp("2018-06-01")
    joined = pd.to_datetime(table["joined"])
    left = pd.to_datetime(table["left"])
    current = table[(joined <= day) & (left.isna() | (left > day))]
    bloc = current["bloc"].str.upper()

    def members(*names: str) -> list[str]:
        return sorted(set(current[bloc.isin(names)]["member"].str.upper()) - set(POLES))

    return members("NATO", "EU"), members("CSTO")


def _real_data_absent() -> Outcome | None:
    return _skipped(DATA.shared / "icews_sample_2018" / "events.2018.sample.tab",
                    DATA.shared / "unvotes" / "un_votes.rda",
                    DATA.shared / "unga_idealpoints_jun2024" /
                    "IdealpointestimatesAll_Jun2024.csv")


@check("convergent_validity")
def convergent_validity(quick: bool, seed: int) -> Outcome:
    if (absent := _real_data_absent()) is not None:
        return absent
    figures: dict[str, float] = {}
    table = real_table()
    for m in MIN_EVENTS:
        tilt = f"tilt_{m}"
        figures[f"min_events {m}: states with a tilt"] = float(table[tilt].notna().sum())
        for column, label in (("pi_difference", "pi(USA) - pi(RUS)"),
                              ("position", "position RUS 0 .. USA 1")):
            both = table[[tilt, column]].dropna()
            figures[f"min_events {m}: Spearman with {label}"] = _spearman(
                both[tilt], both[column])
            figures[f"min_events {m}: one-sided p, {label}"] = _permutation_p(
                both[tilt], both[column], seed, 2_000 if quick else 10_000)
            figures[f"min_events {m}: states with both ({column})"] = float(len(both))
    return Outcome(figures, "expectation: positive correlations (figures only)", None,
                   ["ICEWS 2018 sample (two days of events), USA-vs-RUS tilt per state, "
                    "direction out, 2018 as one period; UN session 73"])


@check("known_groups")
def known_groups(quick: bool, seed: int) -> Outcome:
    if (absent := _real_data_absent()) is not None:
        return absent
    west, csto = _members_2018()
    table = real_table()
    figures: dict[str, float] = {}
    for column, label in (("tilt_1", "event tilt USA vs RUS"),
                          ("pi_difference", "pi(USA) - pi(RUS)"),
                          ("position", "ideal-point position")):
        high = table[column].reindex(west).dropna()
        low = table[column].reindex(csto).dropna()
        figures[f"{label}: AUC NATO/EU above CSTO"] = _auc(high, low)
        figures[f"{label}: NATO/EU states"] = float(len(high))
        figures[f"{label}: CSTO states"] = float(len(low))
    return Outcome(figures, "expectation: AUC above 0.5 (figures only)", None,
                   ["members on 1 June 2018 by the bundled membership table, USA and RUS "
                    "left out; event tilt with min_events 1"])


@dataclass(frozen=True)
class Episode:
    """A change written down before any run: the mean of ``measure`` for ``pole`` over
    the periods of ``after`` minus that over ``before`` has the sign ``expected``."""

    name: str
    focal: str
    poles: tuple[str, ...]
    direction: str
    freq: str
    measure: str
    before: tuple[str, str]
    after: tuple[str, str]
    expected: int


EPISODES: tuple[Episode, ...] = (  # as pre-registered in docs/validation.md
    Episode("tur_rus_2015_fall", "TUR", ("RUS", "USA"), "both", "quarter", "score",
            ("2015-07-01", "2015-09-30"), ("2015-10-01", "2015-12-31"), -1),
    Episode("tur_rus_2016_recovery", "TUR", ("RUS", "USA"), "both", "quarter", "score",
            ("2016-04-01", "2016-06-30"), ("2016-07-01", "2016-09-30"), +1),
    Episode("arm_away_from_rus", "ARM", ("RUS", "USA"), "out", "quarter", "tilt",
            ("2021-01-01", "2022-06-30"), ("2022-07-01", "2024-03-31"), -1),
    Episode("aze_irn_2023_01", "AZE", ("IRN", "RUS"), "both", "month", "score",
            ("2022-07-01", "2022-12-31"), ("2023-01-01", "2023-02-28"), -1),
)


def episode_change(episode: Episode, db: Path) -> float:
    """After minus before for ``episode`` on the store ``db``; NaN when either window
    holds no period with enough events."""
    from equipoise import api

    table = api.align(episode.focal, list(episode.poles), db=db,
                            start=episode.before[0], end=episode.after[1], freq=episode.freq,
                            direction=episode.direction)
    rows = table[table["pole"] == episode.poles[0]].dropna(subset=[episode.measure])
    starts = pd.to_datetime(rows["period_start"])
    means = [rows[(starts >= pd.Timestamp(lo)) & (starts <= pd.Timestamp(hi))][
        episode.measure].mean() for lo, hi in (episode.before, episode.after)]
    return float(means[1] - means[0])


@check("episodes")
def episodes(quick: bool, seed: int) -> Outcome:
    if DATA.db is None:
        return Outcome({}, SKIPPED, None, ["give a store of events with --db STORE"])
    if (absent := _skipped(DATA.db)) is not None:
        return absent
    figures: dict[str, float] = {}
    notes: list[str] = []
    verdicts = []
    for episode in EPISODES:
        change = episode_change(episode, DATA.db)
        figures[f"{episode.name}: change (expected {'+' if episode.expected > 0 else '-'})"] = (
            change)
        if np.isnan(change):
            notes.append(f"{episode.name}: not evaluable (too few events in a window)")
        else:
            verdicts.append(np.sign(change) == episode.expected)
    met = sum(verdicts)
    figures["episodes evaluable"] = float(len(verdicts))
    figures["episodes with the expected sign"] = float(met)
    return Outcome(figures, "every evaluable episode changes with the pre-registered sign",
                   bool(met == len(verdicts)) if verdicts else None, notes)


# --------------------------------------------------------------------------- running


def run(names: list[str], quick: bool, seed: int) -> dict[str, Outcome]:
    """Run the named checks (all when empty) and return their outcomes by name."""
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise SystemExit(f"unknown check(s): {', '.join(unknown)}; known: {', '.join(CHECKS)}")
    return {name: CHECKS[name](quick, seed) for name in (names or list(CHECKS))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated check names")
    parser.add_argument("--quick", action="store_true", help="smaller samples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", type=Path, default=None,
                        help="a store of imported events for the pre-registered episodes")
    parser.add_argument("--break-runs", type=int, default=400,
                        help="runs of each check of validation_breaks.py (stories and change "
                             "points), which follow these unless --only names none of them")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    DATA.db = args.db
    failed = 0
    for name in [n for n in names if n in CHECKS] if names else list(CHECKS):
        began = time.perf_counter()
        outcome = run([name], args.quick, args.seed)[name]
        took = time.perf_counter() - began
        verdict = {True: "PASS", False: "FAIL", None: "INFO"}[outcome.passed]
        print(f"{name}: {verdict} ({outcome.target}; {took:.1f} s)")
        for label, value in outcome.figures.items():
            print(f"  {label:<48} {value:+.3f}")
        for note in outcome.notes:
            print(f"  note: {note}")
        failed += outcome.passed is False
    breaks = [n for n in names if n not in CHECKS]
    if not names or breaks:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import validation_breaks

        validation_breaks.main(["--runs", str(args.break_runs),
                                *(["--only", *breaks] if breaks else [])])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
