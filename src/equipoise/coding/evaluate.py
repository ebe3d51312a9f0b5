"""Score coded events against hand-coded gold events.

The gold format is one JSON object a line::

    {"doc": "a017", "sentence": "<exact substring of the document text>",
     "source": "AZE", "target": "RUS", "cameo": "11", "quad": 3, "date": "2020-08-12",
     "symmetric": false, "core": true, "note": "Aliyev complained to Putin"}

Predictions are the JSON events ``equipoise code --output`` writes (at least ``doc``,
``start``, ``end``, ``source``, ``target`` and ``quad``; ``cameo`` and ``date`` are scored
when present).

Matching rules
--------------
A prediction matches a gold event when

* both are in the same document,
* the prediction's span ``[start, end)`` overlaps the gold sentence, which is located by
  finding the gold ``sentence`` (its first occurrence) in the document text,
* the actors agree: same source and target, or either order when the gold event is
  symmetric, and
* the quad classes agree.

Predictions are taken in file order, and each is matched to the first gold event (in file
order, within its document) that fits and is still free. A gold event is matched at most
once, except that a symmetric gold event also absorbs one prediction in the mirror
direction, so a coder that writes "Turkey and Azerbaijan held drills" as two directed events
is not charged a false alarm for the second. A prediction matched to a non-core gold event,
or absorbed as a mirror image, is *neutral*: neither a hit nor a false alarm. Non-core gold
events that nobody matched are not misses.

Root accuracy (first two digits of ``cameo``) and date accuracy (the gold date is a prefix
of the predicted date, so a gold ``2020-08`` accepts ``2020-08-12``) are measured over the
true positives that carry the field.

These are the rules of the reference scorer the gold data set ships with; the figures
:func:`evaluate` returns agree with it exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from equipoise.errors import BadInputError
from equipoise.reference.quads import QUAD_NAMES as QUADS

# Error classes, most specific first.
WRONG_QUAD = "wrong quad"
WRONG_ACTORS = "wrong actors"
NO_EVENT = "no event in sentence"
DUPLICATE = "duplicate"
UNKNOWN_DOC = "unknown document"
WRONG_OR_MISSING_ACTOR = "wrong/missing actor"
MERGED = "merged with another event"
NOT_CODED = "sentence not coded"

FALSE_ALARM_CLASSES = (WRONG_QUAD, WRONG_ACTORS, NO_EVENT, DUPLICATE, UNKNOWN_DOC)
MISS_CLASSES = (WRONG_QUAD, WRONG_OR_MISSING_ACTOR, MERGED, NOT_CODED)


class EvaluationError(BadInputError, ValueError):
    """An input file or record that cannot be scored, with where it came from."""


# -- loading ------------------------------------------------------------------------------
def _iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    """Yield ``(line number, object)`` for each non-blank line of a JSON Lines file."""
    path = Path(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise EvaluationError(f"{path}: {exc.strerror or exc}") from None
    with fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise EvaluationError(f"{path}:{lineno}: not UTF-8 text") from None
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationError(
                    f"{path}:{lineno}: bad JSON: {exc.msg} at column {exc.colno}") from None
            if not isinstance(obj, dict):
                raise EvaluationError(
                    f"{path}:{lineno}: expected a JSON object, got {type(obj).__name__}")
            yield lineno, obj


def load_jsonl(path: str | Path) -> list[dict]:
    """Read a JSON Lines file into a list of objects, skipping blank lines.

    Raises :class:`EvaluationError` naming the file and line of the first line that is not
    UTF-8, not JSON or not a JSON object.
    """
    return [obj for _, obj in _iter_jsonl(path)]


def load_docs(path: str | Path) -> dict[str, str]:
    """Read a JSONL document file (``id`` and ``text`` per line) into ``{id: text}``."""
    docs: dict[str, str] = {}
    for lineno, obj in _iter_jsonl(path):
        ref, text = obj.get("id"), obj.get("text")
        if ref is None or isinstance(ref, bool) or not isinstance(ref, str | int):
            raise EvaluationError(f"{path}:{lineno}: a document needs a string 'id'")
        if not isinstance(text, str):
            raise EvaluationError(f"{path}:{lineno}: a document needs a string 'text'")
        if str(ref) in docs:
            raise EvaluationError(f"{path}:{lineno}: document id {ref!r} appears twice")
        docs[str(ref)] = text
    return docs


# -- results ------------------------------------------------------------------------------
def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


class _Scores:
    """Precision, recall and F1 from the ``tp``, ``fp`` and ``fn`` counts of a subclass."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass
class QuadScore(_Scores):
    """Precision, recall and F1 for one quad class."""

    quad: int
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def to_dict(self) -> dict:
        return {"quad": self.quad, "name": QUADS.get(self.quad, ""), "gold_core": self.tp + self.fn,
                "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class Miss:
    """A core gold event no prediction matched."""

    doc: str
    sentence: str
    source: str
    target: str
    cameo: str
    quad: int
    note: str
    error: str


@dataclass
class FalseAlarm:
    """A prediction that matched no gold event."""

    doc: str
    start: int | None
    end: int | None
    sentence: str
    source: str
    target: str
    cameo: str
    quad: int | None
    trigger: str
    error: str
    negative: str | None = None  # the ``why`` of a listed negative sentence it falls on


@dataclass
class Evaluation(_Scores):
    """Everything :func:`evaluate` measured.

    ``neutral`` counts predictions that matched a non-core gold event or were absorbed as
    the mirror image of a symmetric one. ``root_confusion[gold_root][predicted_root]`` and
    ``quad_confusion[gold_quad][predicted_quad]`` count pairs. The root confusion is over the
    true positives that have a ``cameo``; the quad confusion is over the near misses: one
    count for each false alarm of class "wrong quad" (a gold event in its sentence has its
    actors but another quad), against that gold event's quad. ``negatives`` counts false
    alarms on listed negative sentences by the reason given for them.
    """

    tp: int
    fp: int
    fn: int
    neutral: int
    gold_core: int
    predicted: int
    unknown_docs: int
    root_correct: int
    root_checked: int
    date_correct: int
    date_checked: int
    per_quad: dict[int, QuadScore]
    root_confusion: dict[str, dict[str, int]]
    quad_confusion: dict[int, dict[int, int]]
    misses: list[Miss] = field(default_factory=list)
    false_alarms: list[FalseAlarm] = field(default_factory=list)
    negatives: dict[str, int] = field(default_factory=dict)
    negatives_listed: int = 0


    @property
    def root_accuracy(self) -> float | None:
        return self.root_correct / self.root_checked if self.root_checked else None

    @property
    def date_accuracy(self) -> float | None:
        return self.date_correct / self.date_checked if self.date_checked else None

    def error_classes(self) -> dict[str, dict[str, int]]:
        """How many misses and false alarms fall in each error class, commonest first."""
        return {
            "misses": dict(Counter(m.error for m in self.misses).most_common()),
            "false_alarms": dict(Counter(f.error for f in self.false_alarms).most_common()),
        }

    def summary(self) -> dict[str, Any]:
        """The headline figures, rounded to four places as the reference scorer prints them."""
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "gold_core": self.gold_core, "predicted": self.predicted,
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "neutral": self.neutral,
            "precision": rounded(self.precision), "recall": rounded(self.recall),
            "f1": rounded(self.f1), "root_accuracy": rounded(self.root_accuracy),
            "date_accuracy": rounded(self.date_accuracy), "unknown_docs": self.unknown_docs,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready (dictionary keys are strings)."""
        return {
            **self.summary(),
            "per_quad": [self.per_quad[q].to_dict() for q in sorted(self.per_quad)],
            "root_confusion": self.root_confusion,
            "quad_confusion": {str(g): {str(p): n for p, n in row.items()}
                               for g, row in self.quad_confusion.items()},
            "error_classes": self.error_classes(),
            "negatives": {"listed": self.negatives_listed, "false_alarms": self.negatives},
            "misses": [asdict(m) for m in self.misses],
            "false_alarms": [asdict(f) for f in self.false_alarms],
        }


# -- scoring ------------------------------------------------------------------------------
@dataclass
class _Gold:
    index: int
    record: dict
    doc: str
    start: int
    end: int
    quad: int
    symmetric: bool
    core: bool


@dataclass
class _Pred:
    index: int
    record: dict
    doc: str
    start: int = 0
    end: int = 0
    quad: int | None = None


def _need(record: dict, keys: Sequence[str], what: str) -> None:
    for key in keys:
        if record.get(key) is None:
            doc = record.get("doc")
            where = f" (doc {doc})" if doc is not None else ""
            raise EvaluationError(f"{what}{where}: missing {key!r}")


def _int(record: dict, key: str, what: str) -> int:
    try:
        return int(record[key])
    except (TypeError, ValueError):
        raise EvaluationError(f"{what}: {key!r} must be a number, got {record[key]!r}") from None


def _overlaps(pred: _Pred, gold: _Gold) -> bool:
    return pred.start < gold.end and gold.start < pred.end


def _direction(pred: dict, gold: _Gold) -> str | None:
    """``same`` or ``mirror`` (symmetric golds only) when the actors agree, else None."""
    actors = (pred["source"], pred["target"])
    if actors == (gold.record["source"], gold.record["target"]):
        return "same"
    if gold.symmetric and actors == (gold.record["target"], gold.record["source"]):
        return "mirror"
    return None


def _root(value: Any) -> str:
    return str(value)[:2] if value else ""


def _locate(
    docs: Mapping[str, str], record: dict, keys: tuple[str, ...], what: str
) -> tuple[str, int]:
    """The document of a gold or negative record and where its sentence starts in it."""
    _need(record, keys, what)
    doc = str(record["doc"])
    if doc not in docs:
        raise EvaluationError(f"{what}: document {doc!r} is not among the documents")
    if not isinstance(record["sentence"], str):
        raise EvaluationError(f"{what}: 'sentence' must be a string")
    start = docs[doc].find(record["sentence"])
    if start < 0:
        raise EvaluationError(
            f"{what}: sentence not found in document {doc!r}: {record['sentence'][:60]!r}")
    return doc, start


def _place_golds(docs: Mapping[str, str], gold: Sequence[dict]) -> list[_Gold]:
    placed: list[_Gold] = []
    for i, record in enumerate(gold, start=1):
        what = f"gold event {i}"
        doc, start = _locate(docs, record, ("doc", "sentence", "source", "target", "quad"), what)
        placed.append(_Gold(
            index=i, record=record, doc=doc, start=start, end=start + len(record["sentence"]),
            quad=_int(record, "quad", what), symmetric=bool(record.get("symmetric")),
            core=bool(record.get("core", True))))
    return placed


def _read_pred(i: int, record: dict, docs: Mapping[str, str]) -> _Pred:
    what = f"prediction {i}"
    doc = str(record.get("doc"))
    pred = _Pred(index=i, record=record, doc=doc)
    if doc not in docs:
        quad = record.get("quad")
        pred.quad = int(quad) if isinstance(quad, int | str) and str(quad).isdigit() else None
        return pred
    _need(record, ("start", "end", "source", "target", "quad"), what)
    pred.start = _int(record, "start", what)
    pred.end = _int(record, "end", what)
    pred.quad = _int(record, "quad", what)
    return pred


def _match(pred: _Pred, golds: list[_Gold], taken: dict[int, set[str]]
           ) -> tuple[_Gold, bool] | None:
    """The first gold event ``pred`` fits that is still free, and whether the match is the
    gold event's first (a later one is the mirror image of a symmetric event)."""
    for gold in golds:
        if not _overlaps(pred, gold):
            continue
        direction = _direction(pred.record, gold)
        if direction is None or pred.quad != gold.quad:
            continue
        directions = taken.setdefault(gold.index, set())
        # A matched gold is closed, except that a symmetric one still takes the
        # direction it has not seen yet.
        if directions and (not gold.symmetric or direction in directions):
            continue
        first = not directions
        directions.add(direction)
        return gold, first
    return None


def _place_negatives(docs: Mapping[str, str], negatives: Sequence[dict]
                     ) -> dict[str, list[tuple[int, int, str]]]:
    placed: dict[str, list[tuple[int, int, str]]] = {}
    for i, record in enumerate(negatives, start=1):
        what = f"negative sentence {i}"
        doc, start = _locate(docs, record, ("doc", "sentence"), what)
        why = str(record.get("why") or "unspecified")
        placed.setdefault(doc, []).append((start, start + len(record["sentence"]), why))
    return placed


def _false_alarm_class(pred: _Pred, golds: list[_Gold], taken: Mapping[int, set[str]]
                       ) -> tuple[str, _Gold | None]:
    """The error class of an unmatched prediction, and for a wrong quad the gold event it
    nearly matched (a free core event if there is one)."""
    nearby = [g for g in golds if _overlaps(pred, g)]
    if not nearby:
        return NO_EVENT, None
    same_actors = [g for g in nearby if _direction(pred.record, g) is not None]
    if any(g.quad == pred.quad for g in same_actors):
        return DUPLICATE, None
    if same_actors:
        same_actors.sort(key=lambda g: (not g.core, g.index in taken))
        return WRONG_QUAD, same_actors[0]
    return WRONG_ACTORS, None


def _miss_class(gold: _Gold, preds: list[_Pred]) -> str:
    """The error class of a core gold event no prediction matched."""
    nearby = [p for p in preds if p.doc == gold.doc and _overlaps(p, gold)]
    if not nearby:
        return NOT_CODED
    same_actors = [p for p in nearby if _direction(p.record, gold) is not None]
    if any(p.quad != gold.quad for p in same_actors):
        return WRONG_QUAD
    if same_actors:
        return MERGED
    return WRONG_OR_MISSING_ACTOR


def evaluate(docs: Mapping[str, str], gold: Sequence[dict], pred: Sequence[dict],
             negatives: Sequence[dict] = ()) -> Evaluation:
    """Score predicted events ``pred`` against ``gold`` events over ``docs`` (``{id: text}``).

    ``negatives`` are optional ``{"doc", "sentence", "why"}`` records of sentences that hold
    no event; false alarms falling on them are counted by ``why``. Document ids are compared
    as strings. Raises :class:`EvaluationError` for a gold or negative sentence that is not
    in its document, or a record without the fields scoring needs.
    """
    docs = {str(k): v for k, v in docs.items()}
    golds = _place_golds(docs, gold)
    golds_by_doc: dict[str, list[_Gold]] = {}
    for g in golds:
        golds_by_doc.setdefault(g.doc, []).append(g)
    negatives_by_doc = _place_negatives(docs, negatives)
    preds = [_read_pred(i, record, docs) for i, record in enumerate(pred, start=1)]

    per_quad = {q: QuadScore(q) for q in QUADS}
    root_confusion: dict[str, Counter] = {}
    taken: dict[int, set[str]] = {}
    tp = neutral = unknown_docs = 0
    root_correct = root_checked = date_correct = date_checked = 0
    unmatched: list[_Pred] = []

    for p in preds:
        if p.doc not in docs:
            unknown_docs += 1
            unmatched.append(p)
            continue
        match = _match(p, golds_by_doc.get(p.doc, []), taken)
        if match is None:
            unmatched.append(p)
            continue
        hit, first = match
        if not first or not hit.core:
            neutral += 1
            continue
        tp += 1
        per_quad.setdefault(hit.quad, QuadScore(hit.quad)).tp += 1
        if p.record.get("cameo"):
            gold_root, pred_root = _root(hit.record.get("cameo")), _root(p.record["cameo"])
            root_checked += 1
            root_correct += gold_root == pred_root
            root_confusion.setdefault(gold_root, Counter())[pred_root] += 1
        gold_date, pred_date = hit.record.get("date"), p.record.get("date")
        if pred_date and gold_date:
            date_checked += 1
            date_correct += str(pred_date)[: len(str(gold_date))] == str(gold_date)

    false_alarms = []
    negative_counts: Counter = Counter()
    quad_confusion: dict[int, Counter] = {}
    for p in unmatched:
        if p.quad is not None:
            per_quad.setdefault(p.quad, QuadScore(p.quad)).fp += 1
        record = p.record
        if p.doc in docs:
            error, near = _false_alarm_class(p, golds_by_doc.get(p.doc, []), taken)
            if near is not None and p.quad is not None:
                quad_confusion.setdefault(near.quad, Counter())[p.quad] += 1
            sentence = record.get("sentence") or docs[p.doc][p.start:p.end]
            negative = next((why for start, end, why in negatives_by_doc.get(p.doc, [])
                             if p.start < end and start < p.end), None)
            start, end = p.start, p.end
        else:
            error, sentence, negative, start, end = UNKNOWN_DOC, "", None, None, None
        if negative is not None:
            negative_counts[negative] += 1
        false_alarms.append(FalseAlarm(
            doc=p.doc, start=start, end=end, sentence=str(sentence or ""),
            source=str(record.get("source", "")), target=str(record.get("target", "")),
            cameo=str(record.get("cameo") or ""), quad=p.quad,
            trigger=str(record.get("trigger") or ""), error=error, negative=negative))

    preds_by_doc: dict[str, list[_Pred]] = {}
    for p in preds:
        preds_by_doc.setdefault(p.doc, []).append(p)
    misses = []
    core = [g for g in golds if g.core]
    for g in core:
        if g.index in taken:
            continue
        per_quad.setdefault(g.quad, QuadScore(g.quad)).fn += 1
        error = _miss_class(g, preds_by_doc.get(g.doc, []))
        misses.append(Miss(
            doc=g.doc, sentence=g.record["sentence"], source=str(g.record["source"]),
            target=str(g.record["target"]), cameo=str(g.record.get("cameo") or ""),
            quad=g.quad, note=str(g.record.get("note") or ""), error=error))

    return Evaluation(
        tp=tp, fp=len(false_alarms), fn=len(misses), neutral=neutral, gold_core=len(core),
        predicted=len(preds), unknown_docs=unknown_docs,
        root_correct=root_correct, root_checked=root_checked,
        date_correct=date_correct, date_checked=date_checked,
        per_quad=dict(sorted(per_quad.items())),
        root_confusion={g: dict(sorted(row.items())) for g, row in sorted(root_confusion.items())},
        quad_confusion={g: dict(sorted(row.items()))
                        for g, row in sorted(quad_confusion.items())},
        misses=misses, false_alarms=false_alarms,
        negatives=dict(negative_counts.most_common()),
        negatives_listed=len(negatives),
    )
