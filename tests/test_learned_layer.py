"""The learned layer: actor pairs as candidates, a model fitted on annotations, and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from equipoise.coding import training
from equipoise.coding.coder import CODER_VERSION, Coder
from equipoise.coding.model import ModelError, PairModel, fit
from equipoise.outputs.cli import app
from equipoise.records import Document

PUBLISHED = dt.date(2021, 5, 4)
PAIRS = [("Russia", "Turkey", "RUS", "TUR"), ("France", "Italy", "FRA", "ITA"),
         ("Japan", "India", "JPN", "IND"), ("Brazil", "Chile", "BRA", "CHL"),
         ("Egypt", "Jordan", "EGY", "JOR"), ("Poland", "Latvia", "POL", "LVA")]
# "admire" is in no lexicon row, so the rules code nothing here; the model must learn it.
TEMPLATE = "{a} admires {b}, an official said on a visit."


@pytest.fixture(scope="module")
def rules() -> Coder:
    return Coder(model=None)


def annotated(pairs=PAIRS):
    docs, gold = [], []
    for n, (a, b, ca, cb) in enumerate(pairs):
        sentence = TEMPLATE.format(a=a, b=b)
        text = f"{sentence}\n\nThe weather in {b} was mild."
        docs.append(Document.from_text(text, published=PUBLISHED, ref=f"d{n}"))
        gold.append({"doc": f"d{n}", "sentence": sentence, "source": ca, "target": cb,
                     "cameo": "05", "quad": 1, "symmetric": False, "core": True})
    return docs, gold


def test_every_ordered_pair_of_actors_is_a_candidate_with_features(rules):
    doc = Document.from_text("Russia condemned Turkey on Monday.", published=PUBLISHED)
    [(_, start, end, cands)] = list(rules.pairs([doc]))
    assert (start, end) == (0, len(doc.text))
    by_pair = {(c.source.mention.code, c.target.mention.code): c for c in cands}
    assert set(by_pair) == {("RUS", "TUR"), ("TUR", "RUS")}
    forward = by_pair["RUS", "TUR"]
    assert forward.rule is not None and forward.rule.cameo.startswith("11")
    assert {"rule", "rule=3", "lca=condemn", "roles=nsubj>dobj"} <= set(forward.features)
    assert "rule_rev" in by_pair["TUR", "RUS"].features


def test_a_question_has_no_candidates(rules):
    doc = Document.from_text("Will Russia condemn Turkey?", published=PUBLISHED)
    assert all(cands == [] for _, _, _, cands in rules.pairs([doc]))


def test_examples_are_labelled_by_gold_direction_and_quad(rules):
    docs, gold = annotated(PAIRS[:1])
    data = training.examples(rules, docs, gold)
    labels = {(e.source, e.target): e.label for e in data}
    assert labels == {("RUS", "TUR"): 1, ("TUR", "RUS"): 0}


def test_a_symmetric_gold_event_labels_both_directions(rules):
    docs, gold = annotated(PAIRS[:1])
    gold[0]["symmetric"] = True
    assert {e.label for e in training.examples(rules, docs, gold)} == {1}


def test_fit_is_deterministic_and_learns_the_signal():
    rows = [["x"], ["x", "noise"], ["y"], ["y", "noise"]] * 10
    labels = [3, 3, 0, 0] * 10
    first, second = fit(rows, labels, l2=0.1), fit(rows, labels, l2=0.1)
    assert np.array_equal(first.weights, second.weights)
    probs = first.probabilities([["x"], ["y"]])
    assert probs[0].argmax() == 3 and probs[1].argmax() == 0


def test_a_model_file_round_trips_and_bad_files_are_named(tmp_path):
    model = fit([["x"], ["y"]] * 5, [2, 0] * 5, l2=0.1)
    model.save(tmp_path / "m.json")
    again = PairModel.load(tmp_path / "m.json")
    assert np.allclose(again.probabilities([["x"]]), model.probabilities([["x"]]), atol=1e-5)
    assert again.digest() == PairModel.load(tmp_path / "m.json").digest()
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    with pytest.raises(ModelError, match="bad.json"):
        PairModel.load(tmp_path / "bad.json")


def test_training_teaches_the_coder_a_pattern_the_rules_miss(rules):
    docs, gold = annotated()
    sentence = TEMPLATE.format(a="Kenya", b="Ghana")
    unseen = Document.from_text(sentence, published=PUBLISHED)
    assert rules.code_document(unseen) == []
    model = training.train(rules, docs, gold, l2=0.1, threshold=0.5)
    learned = Coder(model=model)
    assert learned.version.startswith(CODER_VERSION + "+")
    events = learned.code_document(unseen)
    assert [(e.source.code, e.target.code, e.quad) for e in events] == [("KEN", "GHA", 1)]
    assert events[0].sentence == sentence


def test_the_shipped_model_loads_and_keeps_the_rules_events():
    coder = Coder()
    assert coder.model is not None and coder.model.features
    doc = Document.from_text("Turkey strongly criticized Russia.", published=PUBLISHED)
    assert ("TUR", "RUS", "11") in {(e.source.code, e.target.code, e.root)
                                    for e in coder.code_document(doc)}


def test_cli_trains_a_model_and_codes_with_it(tmp_path):
    docs, gold = annotated()
    docs_path, gold_path = tmp_path / "docs.jsonl", tmp_path / "gold.jsonl"
    docs_path.write_text("".join(json.dumps(
        {"id": d.ref, "date": d.published.isoformat(), "text": d.text}) + "\n" for d in docs))
    gold_path.write_text("".join(json.dumps(g) + "\n" for g in gold))
    runner = CliRunner()
    model = tmp_path / "model.json"
    result = runner.invoke(app, ["train", "--gold", str(docs_path), str(gold_path),
                                 "--output", str(model), "--l2", "0.1", "--threshold", "0.5"])
    assert result.exit_code == 0, result.output
    assert PairModel.load(model).threshold == 0.5
    events = tmp_path / "events.jsonl"
    result = runner.invoke(app, ["code", str(docs_path), "--model", str(model),
                                 "--output", str(events)])
    assert result.exit_code == 0, result.output
    coded = [json.loads(line) for line in events.read_text().splitlines()]
    assert {(e["doc"], e["source"], e["target"]) for e in coded} >= {("d0", "RUS", "TUR")}


def test_cli_rejects_a_bad_model_file_in_one_line(tmp_path):
    (tmp_path / "docs.jsonl").write_text(
        '{"id": "a", "date": "2021-01-01", "text": "Russia condemned Turkey."}\n')
    (tmp_path / "model.json").write_text("not json")
    result = CliRunner().invoke(app, ["code", str(tmp_path / "docs.jsonl"), "--model",
                                      str(tmp_path / "model.json"), "--output",
                                      str(tmp_path / "out.jsonl")])
    assert result.exit_code == 2
    assert "model.json" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.jsonl").exists()
