"""Correcting event counts for the coder's measured error."""

from __future__ import annotations

import numpy as np
import pytest

from equipoise.analysis.coding_error import CodingError, sign_stability
from equipoise.coding.evaluate import evaluate
from equipoise.errors import InvalidQueryError

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
