"""Every reader under mutated input: good records or a clean error, and no good row lost.

The inputs come from the fuzzers of ``benchmarks/fuzz.py``, which runs ten thousand of
them per format: valid files of random rows, some rows (or bytes) mutated. Here
Hypothesis draws a few dozen per format, so a failure shrinks to a small input. For
each, the reader may raise nothing but SourceError, must give no record the store
cannot or must not hold, and must give every unmutated row exactly as it gives it from
the unmutated file.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]


def _load_fuzz():
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fuzz", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return sys.modules["fuzz"]


fuzz = _load_fuzz()

# trafilatura makes HTML inputs the slowest by far: fewer of them.
EXAMPLES = {"html": 40, "unvotes": 60}


@pytest.mark.parametrize("name", list(fuzz.FUZZERS))
def test_mutated_inputs_give_good_records_or_clean_errors(name: str, tmp_path: Path) -> None:
    fuzzer = fuzz.FUZZERS[name]

    @settings(max_examples=EXAMPLES.get(name, 100), deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(rng=st.randoms(use_true_random=False))
    def check(rng) -> None:
        case = fuzzer.make(rng)
        outcome = fuzz.check(fuzzer, case, tmp_path)
        assert not isinstance(outcome, BaseException), "".join(
            traceback.format_exception(outcome))
        assert outcome.bad == []
        if outcome.file_error and case.file_error_ok:
            return  # a damaged archive or header: the whole file is one clean error
        lost = {k for k, v in case.expected.items() if outcome.records.get(k) != v}
        assert lost == set()

    check()


def test_the_fuzzers_do_find_what_they_look_for(tmp_path: Path, monkeypatch) -> None:
    # With the resynchronisation after an unclosed quote switched off, rows are lost.
    monkeypatch.setattr("equipoise.sources.csvrecords._spanning_problem", lambda *a: None)
    tally = fuzz.fuzz("acled", 300, 0, tmp_path)
    assert tally.good_lost > 0
    # With the Goldstein check switched off, impossible weights come out.
    monkeypatch.setattr("equipoise.sources.datasets.gdelt.check_goldstein", float)
    assert fuzz.fuzz("gdelt1", 300, 0, tmp_path).crashes > 0
