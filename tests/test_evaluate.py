"""Scoring coded events against hand-coded gold events.

A prediction is a hit when it is in the same document as a gold event, its span overlaps
the gold sentence, the actors agree (either order for a symmetric event) and the quad class
agrees. The tests below build tiny documents, gold events and predictions by hand and show
what each rule does to the figures; the last ones check that the figures are exactly those of
the reference scorer that ships with the shared gold data.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equipoise.coding.evaluate import (
    DUPLICATE,
    MERGED,
    NO_EVENT,
    NOT_CODED,
    UNKNOWN_DOC,
    WRONG_ACTORS,
    WRONG_OR_MISSING_ACTOR,
    WRONG_QUAD,
    EvaluationError,
    evaluate,
    load_docs,
    load_jsonl,
)
from equipoise.outputs.cli import app

DRILLS = "Turkey and Azerbaijan held joint drills near Baku on Tuesday."
CRITICISM = "Russia criticized Turkey over the drills."
DENIAL = "Iran did not send troops to the border."
MEETING = "Aliyev met Putin in Moscow and the two signed a trade deal."
CLASHES = "Armenian and Azerbaijani forces clashed on the border."

DOCS = {
    "d1": f"{DRILLS} {CRITICISM} {DENIAL}",
    "d2": f"{MEETING} {CLASHES}",
}


def quad_of(cameo: str) -> int:
    root = int(cameo[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def gold(doc: str, sentence: str, source: str, target: str, cameo: str, **fields) -> dict:
    """A gold event as the annotation guide writes it (core, directed, dated to a month)."""
    return {"doc": doc, "sentence": sentence, "source": source, "target": target,
            "cameo": cameo, "quad": quad_of(cameo), "date": "2020-08", "symmetric": False,
            "core": True, "note": f"{source} {cameo} {target}", **fields}


def pred(doc: str, sentence: str, source: str, target: str, cameo: str, **fields) -> dict:
    """A prediction as ``equipoise code --output`` writes it, spanning the whole sentence."""
    start = DOCS[doc].index(sentence)
    return {"doc": doc, "start": start, "end": start + len(sentence), "sentence": sentence,
            "source": source, "target": target, "cameo": cameo + "0", "quad": quad_of(cameo),
            "date": "2020-08-11", **fields}


# -- the matching rules -------------------------------------------------------------------
def test_a_prediction_agreeing_on_sentence_actors_and_quad_is_a_hit():
    result = evaluate(DOCS, [gold("d1", CRITICISM, "RUS", "TUR", "11")],
                      [pred("d1", CRITICISM, "RUS", "TUR", "11")])

    assert (result.tp, result.fp, result.fn) == (1, 0, 0)
    assert result.precision == result.recall == result.f1 == 1.0
    assert result.misses == [] and result.false_alarms == []


def test_the_quad_class_must_agree_but_the_root_only_counts_toward_root_accuracy():
    golds = [gold("d2", MEETING, "AZE", "RUS", "04")]
    # 05 (sign an agreement) is in the same quad as 04 (meet): a hit with the wrong root.
    result = evaluate(DOCS, golds, [pred("d2", MEETING, "AZE", "RUS", "05")])
    assert result.tp == 1
    assert result.root_accuracy == 0.0
    assert result.root_confusion == {"04": {"05": 1}}

    # 06 (material cooperation) is another quad: no hit at all.
    result = evaluate(DOCS, golds, [pred("d2", MEETING, "AZE", "RUS", "06")])
    assert (result.tp, result.fp, result.fn) == (0, 1, 1)


def test_a_symmetric_gold_event_absorbs_its_mirror_image():
    golds = [gold("d1", DRILLS, "TUR", "AZE", "06", symmetric=True)]
    both_ways = [pred("d1", DRILLS, "TUR", "AZE", "06"), pred("d1", DRILLS, "AZE", "TUR", "06")]

    result = evaluate(DOCS, golds, both_ways)

    # One hit; the mirror image is neither a hit nor a false alarm.
    assert (result.tp, result.fp, result.fn, result.neutral) == (1, 0, 0, 1)


def test_a_symmetric_gold_event_absorbs_one_mirror_image_only():
    golds = [gold("d1", DRILLS, "TUR", "AZE", "06", symmetric=True)]
    three = [pred("d1", DRILLS, "AZE", "TUR", "06"), pred("d1", DRILLS, "TUR", "AZE", "06"),
             pred("d1", DRILLS, "TUR", "AZE", "06")]

    result = evaluate(DOCS, golds, three)

    assert (result.tp, result.fp, result.neutral) == (1, 1, 1)
    assert [f.error for f in result.false_alarms] == [DUPLICATE]


def test_a_directed_gold_event_wants_its_own_direction():
    golds = [gold("d1", CRITICISM, "RUS", "TUR", "11")]

    result = evaluate(DOCS, golds, [pred("d1", CRITICISM, "TUR", "RUS", "11")])

    assert (result.tp, result.fp, result.fn) == (0, 1, 1)
    assert result.false_alarms[0].error == WRONG_ACTORS
    assert result.misses[0].error == WRONG_OR_MISSING_ACTOR


def test_non_core_gold_events_count_neither_way():
    debatable = gold("d2", CLASHES, "ARM", "AZE", "19", symmetric=True, core=False)
    unfound = gold("d2", MEETING, "AZE", "RUS", "05", core=False)

    result = evaluate(DOCS, [debatable, unfound], [pred("d2", CLASHES, "ARM", "AZE", "19")])

    # Finding the debatable event is not a hit, and missing the other is not a miss.
    assert (result.tp, result.fp, result.fn, result.neutral) == (0, 0, 0, 1)
    assert result.gold_core == 0
    assert result.precision == result.recall == 0.0


def test_any_overlap_of_the_prediction_span_with_the_gold_sentence_will_do():
    golds = [gold("d1", CRITICISM, "RUS", "TUR", "11")]
    start = DOCS["d1"].index(CRITICISM)
    inside = {**pred("d1", CRITICISM, "RUS", "TUR", "11"), "start": start + 7, "end": start + 17}
    straddling = {**inside, "start": start - 5, "end": start + 1}
    before = {**inside, "start": start - 5, "end": start}  # spans are [start, end)

    assert evaluate(DOCS, golds, [inside]).tp == 1
    assert evaluate(DOCS, golds, [straddling]).tp == 1
    assert evaluate(DOCS, golds, [before]).tp == 0


def test_a_gold_sentence_is_found_by_its_text_in_the_document():
    # The same words in another document do not count.
    golds = [gold("d1", CRITICISM, "RUS", "TUR", "11")]
    elsewhere = {**pred("d1", CRITICISM, "RUS", "TUR", "11"), "doc": "d2"}

    result = evaluate(DOCS, golds, [elsewhere])

    assert (result.tp, result.fp, result.fn) == (0, 1, 1)
    assert result.false_alarms[0].error == NO_EVENT


def test_dates_are_right_when_the_gold_date_is_a_prefix_of_the_predicted_one():
    day = pred("d1", CRITICISM, "RUS", "TUR", "11", date="2020-08-11")
    month = {**day, "date": "2020-08"}

    assert evaluate(DOCS, [gold("d1", CRITICISM, "RUS", "TUR", "11", date="2020-08")],
                    [day]).date_accuracy == 1.0
    assert evaluate(DOCS, [gold("d1", CRITICISM, "RUS", "TUR", "11", date="2020-08-11")],
                    [month]).date_accuracy == 0.0
    undated = {k: v for k, v in day.items() if k != "date"}
    result = evaluate(DOCS, [gold("d1", CRITICISM, "RUS", "TUR", "11")], [undated])
    assert result.date_accuracy is None and result.date_checked == 0


def test_predictions_for_unknown_documents_are_false_alarms():
    stray = {**pred("d1", CRITICISM, "RUS", "TUR", "11"), "doc": "nowhere"}

    result = evaluate(DOCS, [], [stray])

    assert (result.fp, result.unknown_docs) == (1, 1)
    assert result.false_alarms[0].error == UNKNOWN_DOC


# -- per quad -----------------------------------------------------------------------------
def test_each_quad_is_scored_on_its_own_predictions_and_core_gold_events():
    golds = [gold("d2", MEETING, "AZE", "RUS", "04"),                      # quad 1, found
             gold("d2", MEETING, "AZE", "RUS", "05"),                      # quad 1, missed
             gold("d2", CLASHES, "ARM", "AZE", "19", symmetric=True),      # quad 4, found
             gold("d1", DRILLS, "TUR", "AZE", "06", symmetric=True)]       # quad 2, missed
    preds = [pred("d2", MEETING, "AZE", "RUS", "04"),
             pred("d2", CLASHES, "AZE", "ARM", "19"),
             pred("d1", CRITICISM, "RUS", "TUR", "11")]                    # quad 3, spurious

    result = evaluate(DOCS, golds, preds)

    scores = {q: (s.tp, s.fp, s.fn) for q, s in result.per_quad.items()}
    assert scores == {1: (1, 0, 1), 2: (0, 0, 1), 3: (0, 1, 0), 4: (1, 0, 0)}
    assert result.per_quad[1].precision == 1.0 and result.per_quad[1].recall == 0.5
    assert result.per_quad[1].f1 == pytest.approx(2 / 3)
    assert result.per_quad[3].f1 == 0.0
    # The quads add up to the whole.
    assert sum(s.tp for s in result.per_quad.values()) == result.tp
    assert sum(s.fp for s in result.per_quad.values()) == result.fp
    assert sum(s.fn for s in result.per_quad.values()) == result.fn


# -- error classes ------------------------------------------------------------------------
def test_errors_are_sorted_into_coarse_classes():
    golds = [gold("d1", DRILLS, "TUR", "AZE", "06", symmetric=True),
             gold("d1", CRITICISM, "RUS", "TUR", "11"),
             gold("d2", MEETING, "AZE", "RUS", "04"),
             gold("d2", MEETING, "AZE", "RUS", "05"),
             gold("d2", CLASHES, "ARM", "AZE", "19", symmetric=True)]
    preds = [
        pred("d1", DRILLS, "AZE", "TUR", "04"),     # right actors, quad 1 for quad 2
        pred("d1", CRITICISM, "RUS", "AZE", "11"),  # the wrong target
        pred("d1", DENIAL, "IRN", "AZE", "15"),     # a negated sentence
        pred("d2", MEETING, "AZE", "RUS", "04"),    # one event for a meeting and a deal
    ]

    result = evaluate(DOCS, golds, preds)

    assert [(f.sentence, f.error) for f in result.false_alarms] == [
        (DRILLS, WRONG_QUAD), (CRITICISM, WRONG_ACTORS), (DENIAL, NO_EVENT)]
    assert [(m.sentence, m.cameo, m.error) for m in result.misses] == [
        (DRILLS, "06", WRONG_QUAD), (CRITICISM, "11", WRONG_OR_MISSING_ACTOR),
        (MEETING, "05", MERGED), (CLASHES, "19", NOT_CODED)]
    assert result.error_classes() == {
        "misses": {WRONG_QUAD: 1, WRONG_OR_MISSING_ACTOR: 1, MERGED: 1, NOT_CODED: 1},
        "false_alarms": {WRONG_QUAD: 1, WRONG_ACTORS: 1, NO_EVENT: 1},
    }
    # The near miss: a quad 2 event coded as quad 1.
    assert result.quad_confusion == {2: {1: 1}}


def test_false_alarms_on_listed_negative_sentences_are_counted_by_reason():
    negatives = [{"doc": "d1", "sentence": DENIAL, "why": "negated"}]
    preds = [pred("d1", DENIAL, "IRN", "AZE", "15"), pred("d1", DENIAL, "IRN", "TUR", "15")]

    result = evaluate(DOCS, [], preds, negatives)

    assert result.negatives == {"negated": 2}
    assert [f.negative for f in result.false_alarms] == ["negated", "negated"]


def test_the_report_keeps_what_is_needed_to_look_an_error_up():
    result = evaluate(DOCS, [gold("d1", CRITICISM, "RUS", "TUR", "11", note="Moscow objects")],
                      [pred("d1", DENIAL, "IRN", "AZE", "15", trigger="send")])

    miss, alarm = result.misses[0], result.false_alarms[0]
    assert (miss.doc, miss.source, miss.target, miss.cameo, miss.quad, miss.note) == (
        "d1", "RUS", "TUR", "11", 3, "Moscow objects")
    assert (alarm.doc, alarm.sentence, alarm.cameo, alarm.quad, alarm.trigger) == (
        "d1", DENIAL, "150", 4, "send")
    everything = result.to_dict()
    assert json.loads(json.dumps(everything)) == everything
    assert everything["misses"][0]["error"] == NOT_CODED


# -- bad input ----------------------------------------------------------------------------
def test_a_malformed_line_is_reported_with_its_file_and_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"doc": "d1"}\n\n{"doc": "d1",\n', encoding="utf-8")

    with pytest.raises(EvaluationError, match=r"gold\.jsonl:3: bad JSON"):
        load_jsonl(path)
    path.write_text('{"doc": "d1"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"gold\.jsonl:2: expected a JSON object"):
        load_jsonl(path)


def test_documents_need_an_id_and_a_text(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "d1", "text": "x"}\n{"text": "y"}\n', encoding="utf-8")

    with pytest.raises(EvaluationError, match=r"docs\.jsonl:2: .*'id'"):
        load_docs(path)


def test_a_gold_sentence_that_is_not_in_its_document_is_an_error():
    with pytest.raises(EvaluationError, match="gold event 1: sentence not found in document"):
        evaluate(DOCS, [gold("d2", CRITICISM, "RUS", "TUR", "11")], [])


# -- the command line ---------------------------------------------------------------------
def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    docs = [{"id": k, "date": "2020-08-12", "text": v} for k, v in DOCS.items()]
    golds = [gold("d1", CRITICISM, "RUS", "TUR", "11"), gold("d2", MEETING, "AZE", "RUS", "04")]
    preds = [pred("d1", CRITICISM, "RUS", "TUR", "11"), pred("d1", DENIAL, "IRN", "AZE", "15")]
    return {
        "docs": write_jsonl(tmp_path / "docs.jsonl", docs),
        "gold": write_jsonl(tmp_path / "gold.jsonl", golds),
        "pred": write_jsonl(tmp_path / "pred.jsonl", preds),
        # Found beside the gold file without being named.
        "negatives": write_jsonl(tmp_path / "negatives.jsonl",
                                 [{"doc": "d1", "sentence": DENIAL, "why": "negated"}]),
    }


def test_evaluate_prints_json(files):
    result = CliRunner().invoke(app, ["evaluate", "--docs", str(files["docs"]),
                                      "--gold", str(files["gold"]), "--pred", str(files["pred"]),
                                      "--format", "json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["tp"], report["fp"], report["fn"]) == (1, 1, 1)
    assert report["precision"] == report["recall"] == 0.5
    assert report["negatives"]["false_alarms"] == {"negated": 1}
    assert [q["quad"] for q in report["per_quad"]] == [1, 2, 3, 4]


def test_evaluate_prints_tables_with_the_errors(files):
    result = CliRunner().invoke(app, ["evaluate", "--docs", str(files["docs"]),
                                      "--gold", str(files["gold"]), "--pred", str(files["pred"])])

    assert result.exit_code == 0, result.output
    for text in ("precision", "verbal conflict", "Error classes", "Misses (1 of 1)",
                 "False alarms (1 of 1)", "sentence not coded", "negated"):
        assert text in result.stdout


def test_evaluate_reports_a_bad_gold_file_and_exits_2(files):
    files["gold"].write_text('{"doc": "d1", "sentence": \n', encoding="utf-8")

    result = CliRunner().invoke(app, ["evaluate", "--docs", str(files["docs"]),
                                      "--gold", str(files["gold"]), "--pred", str(files["pred"])])

    assert result.exit_code == 2
    message = "".join(result.output.split())  # the console wraps long lines
    assert "gold.jsonl:1:badJSON:Expectingvalueatcolumn27" in message


# -- agreement with the reference scorer --------------------------------------------------
SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "gold" / "dev"
SCORER = SHARED / "bench" / "score_events.py"
needs_shared = pytest.mark.skipif(
    not (SCORER.is_file() and (DEV / "gold.jsonl").is_file()),
    reason="the shared gold data and reference scorer are not here")
FIGURES = ("tp", "fp", "fn", "precision", "recall", "f1", "root_accuracy", "date_accuracy",
           "unknown_docs")


def reference_scores(docs: Path, gold_path: Path, pred_path: Path) -> dict:
    done = subprocess.run([sys.executable, str(SCORER), str(docs), str(gold_path),
                           str(pred_path), "--json"], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def our_scores(docs: Path, gold_path: Path, pred_path: Path) -> dict:
    result = evaluate(load_docs(docs), load_jsonl(gold_path), load_jsonl(pred_path))
    return result.summary()


def assert_same_figures(docs: Path, gold_path: Path, pred_path: Path) -> None:
    reference = reference_scores(docs, gold_path, pred_path)
    ours = our_scores(docs, gold_path, pred_path)
    assert {k: ours[k] for k in FIGURES} == {k: reference[k] for k in FIGURES}


@needs_shared
@pytest.mark.slow
def test_the_figures_on_the_dev_set_equal_the_reference_scorer(tmp_path):
    from equipoise.coding.coder import Coder
    from equipoise.sources import read_jsonl

    documents = list(read_jsonl(DEV / "docs.jsonl"))
    events = [event.to_json(doc.ref) for doc, coded in Coder().code(documents)
              for event in coded]
    pred_path = write_jsonl(tmp_path / "pred.jsonl", events)

    assert_same_figures(DEV / "docs.jsonl", DEV / "gold.jsonl", pred_path)


@needs_shared
def test_the_figures_equal_the_reference_scorer_on_awkward_predictions(tmp_path):
    """The gold events turned into predictions, then mirrored, duplicated, re-quadded,
    shortened, shifted, redated and shuffled, exercise every branch of the matching."""
    texts = load_docs(DEV / "docs.jsonl")
    rng = random.Random(20240611)
    preds = []
    for g in load_jsonl(DEV / "gold.jsonl"):
        start = texts[g["doc"]].index(g["sentence"])
        p = {"doc": g["doc"], "start": start, "end": start + len(g["sentence"]),
             "source": g["source"], "target": g["target"], "cameo": g["cameo"] + "0",
             "quad": g["quad"], "date": g["date"]}
        roll = rng.random()
        if roll < 0.15:
            p["source"], p["target"] = p["target"], p["source"]
        elif roll < 0.25:
            p["quad"] = p["quad"] % 4 + 1
        elif roll < 0.35:
            p["cameo"] = rng.choice(["010", "042", "051", "112", "190"])
        elif roll < 0.45:
            p["date"] = "2019"
        elif roll < 0.5:
            p["start"] = p["end"] + 1
            p["end"] = p["start"] + 10
        elif roll < 0.6:
            p["end"] = p["start"] + 1
        elif roll < 0.65:
            p["doc"] = "no-such-doc"
        if rng.random() < 0.3:
            p.pop("cameo" if rng.random() < 0.5 else "date")
        preds.append(p)
        if rng.random() < 0.4:
            preds.append({**p, "source": p["target"], "target": p["source"]})
        if rng.random() < 0.2:
            preds.append(dict(p))
    rng.shuffle(preds)
    pred_path = write_jsonl(tmp_path / "pred.jsonl", preds)

    assert_same_figures(DEV / "docs.jsonl", DEV / "gold.jsonl", pred_path)
    assert_same_figures(DEV / "docs.jsonl", DEV / "gold.jsonl",
                        write_jsonl(tmp_path / "none.jsonl", []))
