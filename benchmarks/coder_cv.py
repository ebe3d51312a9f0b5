"""How well the coder generalises: cross-validation by document over annotated news.

    python benchmarks/coder_cv.py [--gold ../shared/gold] [--folds 5] [--seed 0]

Prints, for the rules alone and for rules + learned layer:
- k-fold cross-validation over train+dev, by document: pooled P/R/F1 and the mean and
  spread of F1 over folds; the learned layer is always scored on documents it was not
  fitted on (with the shipped model's thresholds, or with --choose thresholds chosen
  inside each training fold);
- dev F1 when trained on train only, and a learning curve (25/50/100% of train);
- per-quad F1 of the pooled out-of-fold predictions;
- coding speed and peak memory of the shipped coder on dev.

The rules were written with dev in view, so their dev figures flatter them; the
cross-validated figures of the learned layer do not.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

from equipoise.coding import training
from equipoise.coding.coder import Coder
from equipoise.coding.evaluate import evaluate, load_jsonl
from equipoise.coding.model import PairModel
from equipoise.sources import SourceError, read_jsonl


def load(gold_dir: Path, split: str):
    docs = [d for d in read_jsonl(gold_dir / split / "docs.jsonl")
            if not isinstance(d, SourceError)]
    gold = load_jsonl(gold_dir / split / "gold.jsonl")
    negatives_path = gold_dir / split / "negatives.jsonl"
    negatives = load_jsonl(negatives_path) if negatives_path.is_file() else []
    return docs, gold, negatives


def code(coder: Coder, docs) -> list[dict]:
    return [e.to_json(d.ref or d.id) for d, events in coder.code(docs) for e in events]


def score(docs, gold, preds):
    texts = {d.ref or d.id: d.text for d in docs}
    refs = set(texts)
    return evaluate(texts, [g for g in gold if g["doc"] in refs], preds)


def line(name: str, ev) -> str:
    return f"{name:<34} P {ev.precision:.3f}  R {ev.recall:.3f}  F1 {ev.f1:.3f}"


def fitted(data, seed: int, choose: bool):
    """A model on ``data`` with the shipped model's thresholds, or thresholds chosen by
    cross-validation inside ``data`` (what `equipoise train` does by default)."""
    if choose:
        add, keep = training.choose_thresholds(data, seed=seed)
    else:
        shipped = PairModel.default()
        add, keep = shipped.threshold, shipped.keep_threshold
    return training.fit_examples(data, threshold=add, keep_threshold=keep)


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=here.parent / "shared" / "gold")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--choose", action="store_true",
                        help="choose thresholds inside each training fold instead of "
                             "using the shipped model's")
    args = parser.parse_args(argv)
    if not (args.gold / "train" / "docs.jsonl").is_file():
        print(f"no annotated data at {args.gold}; nothing to measure")
        return 0

    tr_docs, tr_gold, tr_neg = load(args.gold, "train")
    dv_docs, dv_gold, dv_neg = load(args.gold, "dev")
    docs, gold, negatives = tr_docs + dv_docs, tr_gold + dv_gold, tr_neg + dv_neg
    coder = Coder(model=None)
    data = training.examples(coder, docs, gold, negatives)
    print(f"{len(docs)} documents, {len(data)} actor pairs, "
          f"{sum(e.label > 0 for e in data)} matching a gold event\n")

    print(f"== {args.folds}-fold cross-validation by document over train+dev")
    rules_all = score(docs, gold, code(coder, docs))
    print(line("rules alone (no fitting)", rules_all))
    pooled, per_fold = [], []
    for fold in training.folds([d.ref or d.id for d in docs], args.folds, args.seed):
        held = set(fold)
        coder.model = fitted([e for e in data if e.doc not in held], args.seed, args.choose)
        held_docs = [d for d in docs if (d.ref or d.id) in held]
        preds = code(coder, held_docs)
        ev = score(held_docs, gold, preds)
        per_fold.append((ev.precision, ev.recall, ev.f1))
        pooled.extend(preds)
    oof = score(docs, gold, pooled)
    f = np.array(per_fold)
    print(line("rules + learned, out of fold", oof))
    print(f"{'':<34} F1 over folds: mean {f[:, 2].mean():.3f}, sd {f[:, 2].std():.3f}, "
          f"min {f[:, 2].min():.3f}, max {f[:, 2].max():.3f}")
    print("per quad (out of fold):")
    for quad, q in sorted(oof.per_quad.items()):
        print(f"  quad {quad}: P {q.precision:.3f}  R {q.recall:.3f}  F1 {q.f1:.3f}")

    print("\n== dev, learned layer fitted on train only")
    coder.model = None
    print(line("rules alone", score(dv_docs, dv_gold, code(coder, dv_docs))))
    tr_data = [e for e in data if e.doc in {d.ref or d.id for d in tr_docs}]
    refs = sorted({e.doc for e in tr_data})
    random.Random(args.seed).shuffle(refs)
    for share in (0.25, 0.5, 1.0):
        keep = set(refs[:max(1, round(share * len(refs)))])
        coder.model = fitted([e for e in tr_data if e.doc in keep], args.seed, args.choose)
        ev = score(dv_docs, dv_gold, code(coder, dv_docs))
        print(line(f"rules + learned, {share:.0%} of train", ev))

    print("\n== speed and memory of the shipped coder on dev")
    shipped = Coder()
    start = time.perf_counter()
    code(shipped, dv_docs)
    seconds = time.perf_counter() - start
    n = shipped.stats["sentences"]
    print(f"{n} sentences in {seconds:.2f} s: {n / seconds:.0f} sentences/s "
          f"({shipped.stats['parsed']} parsed); peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
