"""Correcting event counts for the coder's measured error."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from equipoise.analysis.align import align, measure
from equipoise.analysis.coding_error import CodingError, sign_stability
from equipoise.coding.evaluate import evaluate
from equipoise.errors import InvalidQueryError
from factories import event_row, write_store

TEXT = ("Chile praised Peru. Chile criticised Bolivia. Chile met Peru. "
        "Chile threatened Bolivia. Chile thanked Peru.")


def sentence(n: int) -> str:
    return [s.strip() + "." for s in TEXT.split(".") if s.strip()][n]


def gold(n: int, source: str, target: str, quad: int) -> dict:
    return {"doc": "d", "sentence": sentence(n), "source": source, "target": target,
            "cameo": {1: "05", 2: "06", 3: "11", 4: "19"}[quad], "quad": quad, "core": True}


def pred(n: int, source: str, target: str, quad: int) -> dict:
    start = TEXT.index(sentence(n))
    return {"doc": "d", "start": start, "end": start + len(sentence(n)), "source": source,
            "target": target, "cameo": {1: "051", 2: "061", 3: "111", 4: "190"}[quad],
            "quad": quad}


@pytest.fixture
def report() -> dict:
    golds = [gold(0, "CHL", "PER", 1), gold(1, "CHL", "BOL", 3), gold(2, "CHL", "PER", 1),
             gold(3, "CHL", "BOL", 3), gold(4, "CHL", "PER", 1)]
    preds = [pred(0, "CHL", "PER", 1),   # right
             pred(1, "CHL", "BOL", 1),   # verbal conflict read as cooperation
             pred(2, "CHL", "PER", 1),   # right
             pred(4, "CHL", "BOL", 3)]   # no such event: a false alarm
    # the threat in sentence 3 is missed
    return evaluate({"d": TEXT}, golds, preds).to_dict()


def test_the_evaluation_is_read_into_counts(report):
    error = CodingError.from_evaluation(report)
    # predicted verbal cooperation: 2 right, 1 truly verbal conflict
    assert error.predicted[0].tolist() == [0, 2, 0, 1, 0]
    # predicted verbal conflict: 1 with no event behind it
    assert error.predicted[2].tolist() == [1, 0, 0, 0, 0]
    # verbal conflict: 1 found (as cooperation), 1 missed; cooperation: 2 found of 3
    assert error.found[2] == 1 and error.missed[2] == 1
    assert error.found[0] == 2 and error.missed[0] == 1


def test_a_perfect_coder_leaves_counts_as_they_are():
    perfect = CodingError(predicted=np.diag([0.0, 1e6, 1e6, 1e6, 1e6])[1:] * 1,
                          found=np.full(4, 1e6), missed=np.zeros(4))
    counts = np.array([[10.0, 2.0, 5.0, 1.0]])
    assert np.allclose(perfect.correct(counts), counts, rtol=1e-4)


def test_a_coder_that_finds_half_of_the_conflict_doubles_it():
    half = CodingError(predicted=np.diag([0.0, 1e6, 1e6, 1e6, 1e6])[1:],
                       found=np.array([1e6, 1e6, 1e6, 1e6]),
                       missed=np.array([0.0, 0.0, 1e6, 0.0]))
    corrected = half.correct(np.array([10.0, 0.0, 5.0, 0.0]))
    assert corrected[0] == pytest.approx(10, rel=1e-3)
    assert corrected[2] == pytest.approx(10, rel=1e-3)


def test_cooperation_that_is_partly_conflict_moves_counts_across(report):
    error = CodingError.from_evaluation(report)
    corrected = error.correct(np.array([30.0, 0.0, 0.0, 0.0]))
    # a third of predicted cooperation is truly verbal conflict, so conflict appears
    assert corrected[2] > 0 and corrected[0] < 30 / error.rates()[1][0]


def test_draws_scatter_around_the_posterior_mean(report):
    error = CodingError.from_evaluation(report)
    rng = np.random.default_rng(0)
    draws = np.array([error.correct(np.array([20.0, 5.0, 10.0, 5.0]), rng)
                      for _ in range(4000)])
    mean = error.correct(np.array([20.0, 5.0, 10.0, 5.0]))
    # ratio estimators are biased up a little; the draws centre near the mean
    assert np.allclose(np.median(draws, axis=0), mean, rtol=0.25)
    assert (draws.std(axis=0) > 0).all()


def test_a_report_that_is_not_an_evaluation_is_refused():
    with pytest.raises(InvalidQueryError, match="not an evaluation report"):
        CodingError.from_evaluation({"events": []})


def test_sign_stability_counts_the_draws_that_keep_the_sign():
    point = np.array([0.2, -0.1, 0.0, np.nan])
    draws = np.array([[0.1, 0.3, -0.1, 0.2],
                      [-0.2, -0.1, 0.1, -0.3],
                      [0.1, 0.1, 0.1, 0.1],
                      [0.1, 0.1, 0.1, 0.1]])
    stable = sign_stability(point, draws)
    assert stable[0] == pytest.approx(0.75) and stable[1] == pytest.approx(0.75)
    assert np.isnan(stable[2]) and np.isnan(stable[3])


# --------------------------------------------------------------------------- in align


def coded_stream(quarters: int = 6) -> pd.DataFrame:
    """AZE -> TUR and AZE -> RUS, 12 stories a quarter each, on separate days: TUR all
    verbal cooperation, RUS 8 cooperative and 4 verbal conflict."""
    rows = []
    for q in range(quarters):
        for i in range(12):
            day = dt.date(2020 + q // 4, 3 * (q % 4) + 1, 1) + dt.timedelta(days=5 * i)
            rows.append(event_row("AZE", "TUR", 1, day, doc_id=f"t{q}-{i}"))
            rows.append(event_row("AZE", "RUS", 1 if i < 8 else 3, day, doc_id=f"r{q}-{i}"))
    return pd.DataFrame(rows)


def lopsided_error() -> CodingError:
    """A coder that finds every cooperation but only half of the verbal conflict."""
    big = 1e6
    predicted = np.zeros((4, 5))
    for q in range(4):
        predicted[q, q + 1] = big
    return CodingError(predicted, found=np.array([big, big, big / 2, big]),
                       missed=np.array([0.0, 0.0, big / 2, 0.0]))


def test_a_coder_blind_to_half_the_conflict_is_corrected_toward_it():
    events = coded_stream()
    plain = align(events, "AZE", ["TUR", "RUS"], freq="quarter").set_index(["period", "pole"])
    fixed = align(events, "AZE", ["TUR", "RUS"], freq="quarter",
                  coding_error=lopsided_error()).set_index(["period", "pole"])
    cell = ("2020Q1", "RUS")
    # 8 cooperative stories and 4 conflictual ones coded: 8 conflictual ones expected
    assert fixed.loc[cell, "score_uncorrected"] == pytest.approx(plain.loc[cell, "score"])
    assert fixed.loc[cell, "score"] < plain.loc[cell, "score"]
    assert fixed.loc[cell, "tilt"] < plain.loc[cell, "tilt"] < 0  # further from Russia
    assert (fixed["tilt_stability"].dropna() > 0.99).all()  # a near-certain error: stable
    corrected = measure(events, "AZE", ["TUR", "RUS"], freq="quarter",
                        coding_error=lopsided_error())
    assert corrected.coding_error["3"]["found"] == pytest.approx(0.5, abs=1e-3)


def test_the_error_of_a_small_evaluation_widens_the_intervals(report):
    events = coded_stream()
    options = dict(freq="quarter", ci=0.9, n_boot=200)
    plain = align(events, "AZE", ["TUR", "RUS"], **options)
    fixed = align(events, "AZE", ["TUR", "RUS"], coding_error=CodingError.from_evaluation(
        report), **options)
    width = (plain["score_hi"] - plain["score_lo"]).mean()
    wider = (fixed["score_hi"] - fixed["score_lo"]).mean()
    assert wider > width


def test_a_correction_needs_counts_of_events():
    with pytest.raises(InvalidQueryError, match="weight 'count'"):
        align(coded_stream(1), "AZE", ["TUR"], weight="goldstein",
              coding_error=lopsided_error())


def test_the_command_line_reads_the_evaluation_and_reports_stability(tmp_path, report):
    import json

    from typer.testing import CliRunner

    from equipoise.outputs.cli import app

    stream = coded_stream()
    db = write_store(tmp_path / "s.duckdb", [
        [(row.source, row.target, int(row.quad), row.event_date)] for row in stream.itertuples()])
    evaluation = tmp_path / "evaluation.json"
    evaluation.write_text(json.dumps(report), encoding="utf-8")
    run = CliRunner().invoke(app, ["align", "--focal", "AZE", "--poles", "TUR,RUS", "--freq",
                                   "quarter", "--coding-error", str(evaluation), "--format",
                                   "csv", "--db", str(db)])
    assert run.exit_code == 0, run.output
    header = run.output.splitlines()[0].split(",")
    assert "score_uncorrected" in header and "tilt_stability" in header

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    run = CliRunner().invoke(app, ["align", "--focal", "AZE", "--poles", "TUR,RUS",
                                   "--coding-error", str(broken), "--db", str(db)])
    assert run.exit_code == 2 and "broken.json" in run.output and "not JSON" in run.output
