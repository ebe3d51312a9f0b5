"""How often does ``event_date`` agree with the gold event dates?

For each gold event, date its sentence with ``event_date(sentence, published)`` and
compare as the scorer does: the prediction is right when its ISO form starts with
the gold date, so a more precise prediction that agrees on the prefix counts and a
coarser one does not. The event's trigger is not known here, so sentences with
several dates are dated by their first one.

Usage: python benchmarks/date_accuracy.py [--quiet]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from equipoise.coding.dates import event_date, find_dates  # noqa: E402

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"


def main(argv: list[str]) -> int:
    docs_path, gold_path = GOLD / "docs.jsonl", GOLD / "gold.jsonl"
    if not (docs_path.exists() and gold_path.exists()):
        print(f"skipped: no gold data at {GOLD}")
        return 0
    with docs_path.open(encoding="utf-8") as fh:
        published = {doc["id"]: dt.date.fromisoformat(doc["date"]) for doc in map(json.loads, fh)}
    with gold_path.open(encoding="utf-8") as fh:
        events = [json.loads(line) for line in fh if line.strip()]

    right = 0
    tally: Counter[str] = Counter()
    misses = []
    for event in events:
        pub = published[event["doc"]]
        gold, sentence = event["date"], event["sentence"]
        predicted = event_date(sentence, pub).iso()
        ok = predicted[: len(gold)] == gold
        right += ok
        # Which kind of case is this? Gold from the sentence, or from the publication date.
        kind = "gold=published" if gold == pub.isoformat()[: len(gold)] else "gold elsewhere"
        tally[kind, ok] += 1
        if not ok:
            found = find_dates(sentence, pub)
            misses.append((sentence, pub, gold, predicted, [m.text for m in found]))

    if "--quiet" not in argv:
        for sentence, pub, gold, predicted, found in misses:
            print(f"published {pub}  gold {gold:<10}  predicted {predicted:<10}  found {found}")
            print(f"    {sentence[:300]!r}")
        print()
    total = len(events)
    print(f"date accuracy: {right}/{total} = {right / total:.3f}")
    for kind in ("gold=published", "gold elsewhere"):
        n = tally[kind, True] + tally[kind, False]
        if n:
            print(f"  {kind:<15} {tally[kind, True]}/{n} = {tally[kind, True] / n:.3f}")
    unfound = sum(1 for *_, found in misses if not found)
    print(f"  misses with no date in the sentence (needs document context): {unfound}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
