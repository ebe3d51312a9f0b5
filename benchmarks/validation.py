"""Generated-data checks of the measures: each figure the methodology promises, measured.

usage: python benchmarks/validation.py [--only NAME[,NAME...]] [--quick] [--seed 0]
                                      [--break-runs 400]

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

from equipoise.analysis import align as align_stories
from equipoise.analysis import equidistance

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


def align(events: pd.DataFrame, *args, **options) -> pd.DataFrame:
    """Generated events are distinct real events, many on one day with one code, which
    the story rule would merge: these checks count them one by one (the story rule has
    its own checks in validation_breaks.py)."""
    options.setdefault("unit", "event")
    return align_stories(events, *args, **options)


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
    aligned = align(df, "AZE", poles, freq="quarter", ci=0.9, n_boot=n_boot,
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
    parser.add_argument("--break-runs", type=int, default=400,
                        help="runs of each check of validation_breaks.py (stories and change "
                             "points), which follow these unless --only names none of them")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
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
