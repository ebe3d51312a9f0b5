"""benchmarks/validation.py: its generated-data checks hold on small samples.

The full-size figures are printed by running the script; here each check runs with
``quick`` (smaller samples, the same targets) through the package's own ``align``.
"""

from __future__ import annotations

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
