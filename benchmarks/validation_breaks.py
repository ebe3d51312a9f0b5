"""Validation of stories and change points on generated data.

usage: python benchmarks/validation_breaks.py [--runs 400] [--seed 11] [--only NAME ...]
(also run at the end of benchmarks/validation.py)

Each check is a function named for the property it measures; it generates data whose
answer is known, runs the package's own functions on it and prints its figures, with
the target where there is one. ``CHECKS`` lists them in order; ``docs/changepoints.md``
and ``docs/methodology.md`` report the figures of a run.

Series checks build an ``align``-like table for one or three poles directly: values
per period and, where the sampling noise is known, bootstrap replicates around them
(what ``align(..., ci=...)`` gives by resampling stories). The end-to-end checks
generate coded events, with several reports per real event, and run ``align`` and
``changepoints`` on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from equipoise.analysis.align import align
from equipoise.analysis.changepoints import MIN_PERIODS, changepoints, find_breaks
from equipoise.analysis.result import Alignment, Replicates

LENGTHS = (8, 10, 12, 16, 24, 40)
PHI = 0.5


@dataclass
class Options:
    runs: int = 400
    seed: int = 11


# --------------------------------------------------------------------------- generators


def ar1(rng: np.random.Generator, n: int, phi: float = PHI) -> np.ndarray:
    """A stationary AR(1) series of unit variance."""
    y = np.empty(n)
    y[0] = rng.standard_normal()
    innovations = rng.standard_normal(n) * math.sqrt(1 - phi * phi)
    for t in range(1, n):
        y[t] = phi * y[t - 1] + innovations[t]
    return y


def series_table(values: np.ndarray, rng: np.random.Generator, sampling_sd: float | None,
                 n_boot: int = 200) -> Alignment:
    """One pole's ``score`` per month, 25 stories each; with ``sampling_sd``, replicates
    spread around each value as resampling stories would."""
    n = len(values)
    periods = [str(p) for p in pd.period_range("2015-01", periods=n, freq="M")]
    table = pd.DataFrame({
        "period": periods,
        "period_start": [pd.Period(p, "M").start_time.date() for p in periods],
        "pole": "P", "score": values, "n_scored": 25, "n_events": 25, "status": "ok",
    })
    boot = None
    if sampling_sd is not None:
        draws = values[:, None] + sampling_sd * rng.standard_normal((n, n_boot))
        boot = Replicates.of_cells(periods, ["P"] * n, draws, ci=0.9)
    return Alignment(table, poles=("P",), bootstrap=boot)


def break_rate(tables: list[Alignment], column: str = "score") -> float:
    found = [bool(find_breaks(t, column=column, n_stability=0, n_null=500).breaks)
             for t in tables]
    return float(np.mean(found))


# --------------------------------------------------------------------------- checks


def false_breaks_ar1_series(o: Options) -> None:
    """Steady AR(1) series (phi 0.5), no sampling noise known: share with a break."""
    rng = np.random.default_rng(o.seed)
    print(f"  target <= 5%; fewer than {MIN_PERIODS} periods: too short to test (0%)")
    for n in LENGTHS:
        rate = break_rate([series_table(ar1(rng, n), rng, None) for _ in range(o.runs)])
        print(f"  {n:>3} periods: false breaks {rate:6.1%}")


def false_breaks_sampling_noise(o: Options) -> None:
    """Steady series of independent sampling noise, its variance known from replicates."""
    rng = np.random.default_rng(o.seed + 1)
    print("  target <= 5%")
    for n in LENGTHS:
        tables = [series_table(rng.standard_normal(n), rng, 1.0) for _ in range(o.runs)]
        print(f"  {n:>3} periods: false breaks {break_rate(tables):6.1%}")


def false_breaks_drift_and_sampling(o: Options) -> None:
    """Steady relations that drift as AR(1) (phi 0.5) seen through sampling noise of
    known variance: drift SD half, then equal to, the sampling SD."""
    rng = np.random.default_rng(o.seed + 2)
    print("  target <= 5%")
    for ratio in (0.5, 1.0):
        for n in LENGTHS:
            tables = [series_table(ratio * ar1(rng, n) + rng.standard_normal(n), rng, 1.0)
                      for _ in range(o.runs)]
            print(f"  drift/sampling {ratio:.1f}, {n:>3} periods: "
                  f"false breaks {break_rate(tables):6.1%}")


def power_three_sd_jump(o: Options) -> None:
    """A jump of 3 sampling SDs in the middle of independent sampling noise."""
    rng = np.random.default_rng(o.seed + 3)
    print("  target >= 80% at 12 periods")
    def jumped(n: int) -> np.ndarray:
        y = rng.standard_normal(n)
        y[n // 2:] += 3.0
        return y

    for n in (12, 16, 24):
        known = break_rate([series_table(jumped(n), rng, 1.0) for _ in range(o.runs)])
        unknown = break_rate([series_table(jumped(n), rng, None) for _ in range(o.runs)])
        print(f"  {n:>3} periods: found {known:6.1%} with the sampling noise known, "
              f"{unknown:6.1%} from the series alone")


def joint_false_breaks(o: Options) -> None:
    """Three poles' tilts from independent steady scores, with score replicates (sampling
    noise known) and without: a break in the poles' tilts."""
    rng = np.random.default_rng(o.seed + 4)
    print("  target <= 5%: one test across the poles")
    for n in (12, 24, 40):
        hits = {True: 0, False: 0}
        for _ in range(o.runs // 2):
            scores = rng.standard_normal((n, 3))
            tilts = scores - (scores.sum(axis=1, keepdims=True) - scores) / 2
            periods = [str(p) for p in pd.period_range("2015-01", periods=n, freq="M")]
            rows = [{"period": p, "period_start": pd.Period(p, "M").start_time.date(),
                     "pole": pole, "tilt": tilts[t, j], "n_scored": 20, "n_events": 20,
                     "status": "ok"}
                    for t, p in enumerate(periods) for j, pole in enumerate("ABC")]
            table = pd.DataFrame(rows)
            bare = Alignment(table, poles=tuple("ABC"))
            hits[False] += bool(find_breaks(bare, n_stability=0, n_null=500).breaks)
            draws = scores.reshape(-1)[:, None] + rng.standard_normal((3 * n, 200))
            boot = Replicates.of_cells(table["period"].tolist(), table["pole"].tolist(), draws,
                                       ci=0.9)
            hits[True] += bool(find_breaks(replace(bare, bootstrap=boot), n_stability=0,
                                           n_null=500).breaks)
        print(f"  {n:>3} periods: false breaks {hits[True] / (o.runs // 2):6.1%} with the "
              f"sampling noise known, {hits[False] / (o.runs // 2):6.1%} from the series alone")


def break_stability(o: Options) -> None:
    """Stability of the breaks found: a 3-SD jump against breaks in steady noise."""
    rng = np.random.default_rng(o.seed + 5)
    real, spurious = [], []
    for _ in range(max(o.runs // 8, 20)):
        y = rng.standard_normal(24)
        y[12:] += 3.0
        test = find_breaks(series_table(y, rng, 1.0), column="score", n_null=500,
                           n_stability=100)
        real += test.stability
        test = find_breaks(series_table(rng.standard_normal(24), rng, 1.0), column="score",
                           n_null=500, n_stability=100, level=0.3)
        spurious += test.stability
    print(f"  24 periods: mean stability {np.mean(real):.2f} for a 3-SD jump, "
          f"{np.mean(spurious) if spurious else math.nan:.2f} for breaks in steady noise "
          "(found at a 30% level)")


def _news(rng: np.random.Generator, months: int, switch: int | None,
          reports: float) -> pd.DataFrame:
    """Coded events of Azerbaijan with Turkey and Russia, sixteen a month with each (two
    kinds of cooperation and two of conflict, the same kind three days apart), each
    reported by 1 + Poisson(reports - 1) articles over two days; cooperative with
    probability 0.5, and 0.9 with Turkey from month ``switch`` on. The reports are drawn
    apart from the events, so the same seed gives the same events for any ``reports``."""
    copies = np.random.default_rng(rng.integers(2**32))
    rows = []
    story = 0
    for m in range(months):
        start = dt.date(2015, 1, 1) + pd.DateOffset(months=m)
        for pole in ("TUR", "RUS"):
            share = 0.9 if (switch is not None and m >= switch and pole == "TUR") else 0.5
            for k in range(16):
                cooperative = rng.random() < share
                day = (start + pd.Timedelta(days=3 * (k % 8))).date()
                code, quad = ((("043", 1), ("057", 1)) if cooperative
                              else (("112", 3), ("130", 3)))[k // 8]
                for r in range(1 + int(copies.poisson(reports - 1))):
                    rows.append({
                        "doc_id": f"s{story}-r{r}", "sent_start": 0, "source": "AZE",
                        "source_country": "AZE", "target": pole, "target_country": pole,
                        "cameo": code, "quad": quad, "goldstein": 4.0 if quad == 1 else -2.0,
                        "event_date": day + dt.timedelta(days=r % 2), "symmetric": False,
                        "sentence": f"story {story}", "doc_title": f"story {story}",
                    })
                story += 1
    return pd.DataFrame(rows)


def duplicated_reports(o: Options) -> None:
    """Eight reports per real event: stories recover the event counts and intervals."""
    rng = np.random.default_rng(o.seed + 6)
    single = _news(rng, 6, None, 1.0)
    rng = np.random.default_rng(o.seed + 6)
    many = _news(rng, 6, None, 8.0)
    options = {"freq": "quarter", "ci": 0.9, "n_boot": 300}
    a = align(single, "AZE", ["TUR", "RUS"], **options)
    b = align(many, "AZE", ["TUR", "RUS"], **options)
    c = align(many, "AZE", ["TUR", "RUS"], unit="event", **options)
    ratio = b["n_events"].sum() / b["n_stories"].sum()
    width = (a["score_hi"] - a["score_lo"]).mean()
    print(f"  reports per story {ratio:.2f}; stories found {b['n_stories'].sum()} of "
          f"{a['n_stories'].sum()} real events")
    print(f"  mean 90% interval width: one report each {width:.3f}; eight, as stories "
          f"{(b['score_hi'] - b['score_lo']).mean():.3f}; eight, as events "
          f"{(c['score_hi'] - c['score_lo']).mean():.3f}")
    reports = pd.DataFrame([{
        "doc_id": f"article-{i}", "sent_start": 0, "source": "AZE", "source_country": "AZE",
        "target": "TUR", "target_country": "TUR", "cameo": "040" if i % 2 else "043",
        "quad": 1, "goldstein": 1.0, "event_date": dt.date(2020, 5, 4 + i % 3),
        "symmetric": False} for i in range(8)])
    one = align(reports, "AZE", ["TUR"], freq="month", min_events=1)
    print(f"  eight articles on one meeting: {int(one['n_events'].iloc[0])} events, "
          f"{int(one['n_stories'].iloc[0])} story (target 1)")


def changepoints_on_generated_news(o: Options) -> None:
    """End to end: 24 months of news with eight reports per event, with and without a
    switch toward Turkey in month 13."""
    rng = np.random.default_rng(o.seed + 7)
    runs = max(o.runs // 20, 10)
    false = found = near = 0
    stability = []
    for _ in range(runs):
        points, _ = changepoints(_news(rng, 24, None, 8.0), "AZE", ["TUR", "RUS"],
                                 n_boot=100, top=0)
        false += len(points) > 0
        points, _ = changepoints(_news(rng, 24, 12, 8.0), "AZE", ["TUR", "RUS"],
                                 n_boot=100, top=0)
        turkey = points[points["pole"] == "TUR"]
        found += len(turkey) > 0
        hit = turkey[turkey["period"].isin(["2015-12", "2016-01", "2016-02"])]
        near += len(hit) > 0
        stability += hit["stability"].tolist()
    print(f"  {runs} streams each: steady news with a break {false / runs:.0%}; "
          f"switch found {found / runs:.0%}, within a month {near / runs:.0%}, "
          f"mean stability {np.mean(stability) if stability else math.nan:.2f}")


CHECKS: list[Callable[[Options], None]] = [
    duplicated_reports,
    false_breaks_ar1_series,
    false_breaks_sampling_noise,
    false_breaks_drift_and_sampling,
    power_three_sd_jump,
    joint_false_breaks,
    break_stability,
    changepoints_on_generated_news,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", nargs="*", default=None, help="names of checks to run")
    args = parser.parse_args(argv)
    options = Options(runs=args.runs, seed=args.seed)
    for check in CHECKS:
        if args.only and check.__name__ not in args.only:
            continue
        began = time.perf_counter()
        summary = " ".join((check.__doc__ or "").split("\n\n")[0].split())
        print(f"{check.__name__}: {summary}")
        check(options)
        print(f"  ({time.perf_counter() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
