"""Train the learned layer on hand-coded events, and measure it by cross-validation.

Each parsed sentence's actor pairs (:mod:`equipoise.coding.candidates`) are labelled
with the quad class of the gold event they match (same document, overlapping sentence,
same actors, either order for a symmetric event) or 0. Gold events marked ``core: false``
are defensible but debatable; they count as events with a smaller weight.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from equipoise.coding.model import PairModel, fit
from equipoise.records import Document
from equipoise.reference.cameo import quad_of

THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(12))  # 0.30 .. 0.85
KEEP_THRESHOLDS = (0.0, 0.1, 0.2, 0.3)
L2 = 10.0  # with ~1,000 annotated events, strong smoothing scored best out of fold


@dataclass(slots=True)
class Example:
    """One labelled actor pair."""

    doc: str  # the document's reference (its id in the gold files)
    start: int
    end: int
    source: str
    target: str
    features: list[str]
    label: int  # 0 or the quad class
    weight: float
    cameo: str = ""  # the gold code, for the per-quad default codes
    rule_quad: int = 0  # the quad of the rules' event for this pair, 0 for none


def _place(texts: Mapping[str, str], records: Sequence[dict]
           ) -> dict[str, list[tuple[int, int, dict]]]:
    """Each record's sentence located in its document's text, by document."""
    out: dict[str, list[tuple[int, int, dict]]] = {}
    for r in records:
        text = texts.get(r.get("doc", ""))
        sentence = r.get("sentence") or ""
        i = text.find(sentence) if text is not None and sentence else -1
        if i >= 0:
            out.setdefault(r["doc"], []).append((i, i + len(sentence), r))
    return out


def examples(coder, docs: Sequence[Document], gold: Sequence[dict],
             negatives: Sequence[dict] = (), *, noncore_weight: float = 0.5,
             negative_weight: float = 2.0) -> list[Example]:
    """Label every actor pair the coder reads in ``docs`` against ``gold``.

    Pairs in a sentence of ``negatives`` (sentences known to hold no event) weigh
    ``negative_weight`` as non-events.
    """
    texts = {d.ref or d.id: d.text for d in docs}
    by_doc = _place(texts, gold)
    negative = _place(texts, negatives)
    out = []
    for doc, start, end, cands in coder.pairs(docs):
        ref = doc.ref or doc.id
        golds = [g for s, e, g in by_doc.get(ref, ()) if s < end and e > start]
        known_empty = any(s < end and e > start for s, e, _ in negative.get(ref, ()))
        for c in cands:
            a, b = c.source.mention.code, c.target.mention.code
            label, weight, cameo = 0, negative_weight if known_empty else 1.0, ""
            for g in golds:
                if (g["source"], g["target"]) == (a, b) or (
                        g.get("symmetric") and (g["source"], g["target"]) == (b, a)):
                    label, cameo = int(g["quad"]), str(g.get("cameo", ""))
                    weight = 1.0 if g.get("core", True) else noncore_weight
                    if g.get("core", True):
                        break
            rule = quad_of(c.rule.cameo) if c.rule is not None else 0
            out.append(Example(ref, start, end, a, b, c.features, label, weight, cameo, rule))
    return out


def fit_examples(data: Sequence[Example], *, l2: float = L2, threshold: float = 0.5,
                 keep_threshold: float = 0.0) -> PairModel:
    model = fit([e.features for e in data], [e.label for e in data],
                [e.weight for e in data], l2=l2, threshold=threshold)
    model.keep_threshold = keep_threshold
    model.default_codes = _default_codes(data)
    return model


def _default_codes(data: Sequence[Example]) -> dict[int, str]:
    """The commonest gold code of each quad class, for kept pairs with no trigger."""
    out = {}
    for quad in (1, 2, 3, 4):
        codes = Counter(e.cameo for e in data if e.label == quad and e.cameo)
        if codes:
            out[quad] = codes.most_common(1)[0][0]
    return out


def folds(refs: Sequence[str], k: int, seed: int) -> list[list[str]]:
    """Documents split into ``k`` folds, shuffled by ``seed``."""
    order = sorted(set(refs))
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def choose_thresholds(data: Sequence[Example], *, l2: float = L2, k: int = 3,
                      seed: int = 0) -> tuple[float, float]:
    """The (add, keep) thresholds that maximise pair-level F1 out of fold within ``data``."""
    probs = np.zeros((len(data), 5))
    for fold in folds([e.doc for e in data], k, seed):
        held = set(fold)
        model = fit_examples([e for e in data if e.doc not in held], l2=l2)
        idx = [i for i, e in enumerate(data) if e.doc in held]
        probs[idx] = model.probabilities([data[i].features for i in idx])
    return best_thresholds(data, probs)


def best_thresholds(data: Sequence[Example], probs: np.ndarray) -> tuple[float, float]:
    """Pair-level F1 over core events for each pair of thresholds; the best wins.

    A pair the rules coded keeps the rules' quad while its event probability reaches the
    keep threshold; another pair is added, with the model's quad, from the add threshold.
    """
    labels = np.array([e.label for e in data])
    core = np.array([e.weight >= 1.0 for e in data])
    rule = np.array([e.rule_quad for e in data])
    quads = np.where(rule > 0, rule, probs[:, 1:].argmax(axis=1) + 1)
    event = 1.0 - probs[:, 0]
    hit = (quads == labels) & (labels > 0)
    n_core = int(((labels > 0) & core).sum())
    best, best_f1 = (0.5, 0.0), -1.0
    for add in THRESHOLDS:
        for keep in KEEP_THRESHOLDS:
            kept = np.where(rule > 0, event >= keep, event >= add)
            tp = int((kept & hit & core).sum())
            fp = int((kept & ~hit).sum())
            f1 = 2 * tp / (tp + fp + n_core) if tp else 0.0
            if f1 > best_f1:
                best, best_f1 = (add, keep), f1
    return best


def train(coder, docs: Sequence[Document], gold: Sequence[dict],
          negatives: Sequence[dict] = (), *, l2: float = L2, noncore_weight: float = 0.5,
          seed: int = 0, threshold: float | None = None) -> PairModel:
    """A model fitted on all of ``gold``.

    Parameters
    ----------
    coder : a :class:`~equipoise.coding.coder.Coder` (its own model is not used).
    docs, gold, negatives : documents, their hand-coded events (the gold format of
        ``docs/evaluate.md``) and, optionally, sentences known to hold no event.
    l2 : penalty on the weights; larger is smoother.
    noncore_weight : weight of events marked ``core: false``.
    seed : shuffles the documents into folds for choosing the thresholds.
    threshold : the probability from which a pair the rules missed is added; by default
        chosen, with the keep threshold, by 3-fold cross-validation over documents.
    """
    data = examples(coder, docs, gold, negatives, noncore_weight=noncore_weight)
    if not any(e.label for e in data):
        raise ValueError("no gold event matches an actor pair the coder reads")
    if threshold is None:
        threshold, keep = choose_thresholds(data, l2=l2, seed=seed)
    else:
        keep = 0.0
    model = fit_examples(data, l2=l2, threshold=threshold, keep_threshold=keep)
    model.meta = {"pairs": len(data), "events": sum(e.label > 0 for e in data),
                  "documents": len({e.doc for e in data}), "l2": l2,
                  "noncore_weight": noncore_weight, "seed": seed}
    return model
