"""Coder throughput: sentences per second on one core, peak memory, and the ratio to spaCy.

usage: python benchmarks/coder_speed.py [--sentences 20000] [--docs DOCS.jsonl] [--no-spacy]

The dev-set documents (../shared/gold/dev/docs.jsonl beside the repository, or --docs) are
repeated until the text holds at least --sentences sentences; each copy gets a distinct id so
nothing is cached. Reported: sentences/s of raw text to events, the share of sentences parsed,
peak RSS, and the time of spaCy's bare full pipeline (``nlp.pipe`` over the same documents).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target is stated

DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev" / "docs.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--no-spacy", action="store_true", help="skip the bare spaCy timing")
    args = parser.parse_args(argv)
    if not args.docs.exists():
        print(f"skipped: {args.docs} not found")
        return 0

    from equipoise.coding.coder import Coder
    from equipoise.coding.text import split_sentences
    from equipoise.records import Document

    rows = [json.loads(line) for line in args.docs.open(encoding="utf-8") if line.strip()]
    per_copy = sum(sum(1 for _ in split_sentences(r["text"])) for r in rows)
    copies = -(-args.sentences // per_copy)
    docs = [
        Document.from_text(f"{r['text']}\n\n[{i}]", published=dt.date.fromisoformat(r["date"]))
        for i in range(copies) for r in rows
    ]
    n_sent = per_copy * copies
    coder = Coder()
    coder.code_document(docs[0])  # warm up: load lexicons and the model's weights

    parsed_before = coder.stats["parsed"]
    t0 = time.perf_counter()
    n_events = sum(len(events) for _, events in coder.code(docs))
    elapsed = time.perf_counter() - t0
    parsed = coder.stats["parsed"] - parsed_before
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"documents        {len(docs):>10,}")
    print(f"sentences        {n_sent:>10,}")
    print(f"parsed           {parsed:>10,}  ({parsed / n_sent:.0%} of sentences)")
    print(f"events           {n_events:>10,}")
    print(f"coder time       {elapsed:>10.1f} s")
    print(f"coder speed      {n_sent / elapsed:>10,.0f} sentences/s")
    print(f"peak RSS         {rss_mb:>10,.0f} MB")
    if not args.no_spacy:
        import spacy

        nlp = spacy.load(coder.nlp.meta["lang"] + "_" + coder.nlp.meta["name"])
        t0 = time.perf_counter()
        for _ in nlp.pipe((d.text for d in docs), batch_size=64):
            pass
        bare = time.perf_counter() - t0
        print(f"spaCy full pipe  {bare:>10.1f} s  ({n_sent / bare:,.0f} sentences/s)")
        print(f"coder / spaCy    {elapsed / bare:>10.2f}  (time ratio; below 1 is faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
