"""Bloc membership over many events: time of ``membership_mask`` per million rows.

usage: python benchmarks/mask_speed.py [--events 1000000] [--bloc NATO] [--repeat 3] [--seed 11]

Events get random actors (states, blocs, unknown codes, missing values) and dates from
1945 to 2026, a few undated, as datetime64 and again as ISO text (the text is parsed once
per distinct value). Reported: the median, fastest and slowest of --repeat runs of each.
The tests check what the mask says; this measures how long it takes.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

STATES = ["FIN", "SWE", "GBR", "FRA", "DEU", "UZB", "GEO", "AZE", "ARM", "RUS", "UKR",
          "TKM", "SYR", "EGY", "CHN", "IND", "IRN", "BLR", "KAZ", "TUR", "USA", "XKX"]  # fmt: skip
BLOCS = ["EU", "NATO", "CSTO", "CIS"]


def random_events(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = np.array([*STATES, *BLOCS, "ARL", None], dtype=object)
    source = rng.choice(codes, n)
    days = rng.integers(-9000, 20500, n)  # 1945 to 2026
    when = pd.to_datetime("1970-01-01") + pd.to_timedelta(days, unit="D")
    when = when.where(rng.random(n) > 0.02)
    country = np.where(np.isin(source, BLOCS), None, source)
    return pd.DataFrame({"source": source, "source_country": country, "event_date": when})


def timed(run, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--bloc", default="NATO")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)

    from equipoise.analysis.blocs import membership_mask

    events = random_events(args.events, args.seed)
    as_text = events.assign(
        event_date=events["event_date"].dt.strftime("%Y-%m-%d").where(events["event_date"].notna())
    )
    membership_mask(events.head(1), "source", args.bloc)  # the membership table, read once
    print(f"{args.events:,} events, bloc {args.bloc}, {args.repeat} runs each")
    for label, frame in (("datetime64 dates", events), ("ISO text dates", as_text)):
        times = timed(lambda f=frame: membership_mask(f, "source", args.bloc), args.repeat)
        per_million = statistics.median(times) / args.events * 1e6
        print(f"  {label:<17} median {statistics.median(times):6.2f} s "
              f"(fastest {min(times):.2f}, slowest {max(times):.2f}); "
              f"{per_million:.2f} s per million")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
