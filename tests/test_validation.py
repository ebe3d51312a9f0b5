"""benchmarks/validation.py: its generated-data checks hold on small samples.

The full-size figures are printed by running the script; here each check runs with
``quick`` (smaller samples, the same targets) through the package's own ``align``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def validation():
    spec = importlib.util.spec_from_file_location("validation", ROOT / "benchmarks" /
                                                  "validation.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["validation"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("validation", None)


@pytest.mark.parametrize("name", ["coverage_invariance", "equidistance_bias",
                                  "equidistance_coverage"])
def test_the_check_meets_its_target(validation, name):
    outcome = validation.CHECKS[name](True, 0)
    assert outcome.passed, (name, outcome.figures)


def test_equal_relations_with_ten_times_the_coverage_give_no_tilt(validation):
    figures = validation.CHECKS["coverage_invariance"](True, 0).figures
    exact = {k: v for k, v in figures.items() if k.startswith("exact")}
    assert len(exact) == 3 and max(abs(v) for v in exact.values()) < 0.01


def test_a_check_is_one_registered_function(validation, capsys):
    @validation.check("always_true")
    def always_true(quick: bool, seed: int):
        return validation.Outcome({"one": 1.0}, "nothing", True)

    try:
        assert validation.main(["--only", "always_true"]) == 0
        assert "always_true: PASS" in capsys.readouterr().out
    finally:
        validation.CHECKS.pop("always_true")


# -- real data: the shared samples and the user's own store -------------------------------

SHARED = ROOT.parent / "shared" / "data"
REAL = ["convergent_validity", "known_groups", "episodes"]


@pytest.fixture
def no_shared_data(validation, tmp_path, monkeypatch):
    monkeypatch.setattr(validation.DATA, "shared", tmp_path / "absent")
    monkeypatch.setattr(validation.DATA, "db", None)
    return validation


def test_real_data_checks_skip_cleanly_without_data(no_shared_data, capsys):
    validation = no_shared_data
    for name in REAL:
        outcome = validation.CHECKS[name](True, 0)
        assert (outcome.target, outcome.passed, outcome.figures) == (
            validation.SKIPPED, None, {}), name
    assert validation.main(["--only", ",".join(REAL), "--quick"]) == 0
    out = capsys.readouterr().out
    assert all(f"{name}: INFO (skipped: data absent" in out for name in REAL)


@pytest.mark.skipif(not (SHARED / "icews_sample_2018").is_dir()
                    or not (SHARED / "unvotes").is_dir(), reason="no shared data")
def test_real_data_checks_run_on_the_shared_samples(validation, monkeypatch):
    pytest.importorskip("pyreadr")
    monkeypatch.setattr(validation.DATA, "shared", SHARED)
    figures = validation.CHECKS["convergent_validity"](True, 0).figures
    # The sample holds two days of 2018: few states act toward both poles.
    counts = [figures[f"min_events {m}: states with a tilt"] for m in (1, 2, 3)]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 3
    assert -1 <= figures["min_events 1: Spearman with pi(USA) - pi(RUS)"] <= 1
    groups = validation.CHECKS["known_groups"](True, 0).figures
    assert groups["pi(USA) - pi(RUS): NATO/EU states"] >= 25
    assert groups["pi(USA) - pi(RUS): CSTO states"] == 5  # ARM BLR KAZ KGZ TJK
    assert groups["pi(USA) - pi(RUS): AUC NATO/EU above CSTO"] > 0.9


def _crisis_store(path: Path, first: int, second: int) -> Path:
    """TUR and RUS acting toward each other, quad ``first`` in 2015Q3 and 2016Q3 and
    ``second`` in 2015Q4 and 2016Q2, ten events each way a quarter; a few with the USA."""
    from equipoise.records import Actor, Event, EventDate
    from equipoise.store import Store

    events: list[Event] = []
    plan = {dt.date(2015, 8, 15): first, dt.date(2015, 11, 15): second,
            dt.date(2016, 5, 15): second, dt.date(2016, 8, 15): first}
    for day, quad in plan.items():
        for n in range(10):
            for source, target in (("TUR", "RUS"), ("RUS", "TUR"), ("TUR", "USA")):
                code = "042" if quad == 1 else "112"
                events.append(Event(
                    f"icews:{len(events)}", 0, 1, "", Actor(source, country=source),
                    Actor(target, country=target), code, quad, 1.9 if quad == 1 else -2.0,
                    EventDate(day + dt.timedelta(days=n)), dataset="icews"))
    with Store(path) as store:
        store.add_dataset_events(events, "icews")
    return path


@pytest.mark.parametrize(("first", "second", "passed"), [(1, 3, True), (3, 1, False)])
def test_episodes_run_on_the_users_store(validation, tmp_path, monkeypatch, first, second,
                                         passed):
    monkeypatch.setattr(validation.DATA, "db", _crisis_store(tmp_path / "s.duckdb", first,
                                                             second))
    outcome = validation.CHECKS["episodes"](True, 0)
    assert outcome.passed is passed
    assert outcome.figures["episodes evaluable"] == 2  # TUR-RUS only: no ARM or AZE events
    assert outcome.figures["episodes with the expected sign"] == (2 if passed else 0)
    assert sum("not evaluable" in note for note in outcome.notes) == 2
