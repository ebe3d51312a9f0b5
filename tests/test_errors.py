"""The error classes users meet share one root, and keep the built-in classes they had."""

from __future__ import annotations

import pickle

import pytest

from equipoise.analysis.codes import UnknownActorCode, check_codes
from equipoise.analysis.limits import TooLargeError, check_size
from equipoise.errors import BadInputError, EquipoiseError, InvalidQueryError, UnknownCodeError
from equipoise.reference.cameo import UnknownCameoCode, lookup
from equipoise.reference.periods import freq_code
from equipoise.sources import SourceError
from equipoise.store import StoreError


def test_bad_input_names_its_file_and_line_and_survives_pickling():
    error = BadInputError("no roll call", "votes.csv", 7)
    assert str(error) == "votes.csv:7: no roll call"
    assert str(BadInputError("no roll call", "votes.csv")) == "votes.csv: no roll call"
    assert str(BadInputError("no roll call")) == "no roll call"
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.path, again.line, str(again)) == (
        BadInputError, "votes.csv", 7, str(error))


def test_a_reader_error_is_bad_input():
    error = SourceError("a.jsonl", "not JSON", 3)
    assert isinstance(error, BadInputError) and isinstance(error, EquipoiseError)
    assert not isinstance(error, ValueError)  # readers catch ValueError around their own code
    assert str(pickle.loads(pickle.dumps(error))) == "a.jsonl:3: not JSON"


def test_an_unknown_cameo_code_is_an_unknown_code_and_still_a_key_error():
    with pytest.raises(UnknownCameoCode) as caught:
        lookup("999")
    assert isinstance(caught.value, UnknownCodeError) and isinstance(caught.value, KeyError)
    assert caught.value.code == "999" and str(caught.value) == "unknown CAMEO code: '999'"


def test_an_unknown_actor_code_is_an_invalid_query_and_still_a_value_error():
    with pytest.raises(UnknownActorCode) as caught:
        check_codes("AZE", ["TRK"])
    error = caught.value
    assert isinstance(error, UnknownCodeError) and isinstance(error, InvalidQueryError)
    assert isinstance(error, ValueError) and error.code == "TRK" and error.role == "pole"
    assert "unknown pole 'TRK'" in str(error)


def test_refused_questions_are_invalid_queries():
    with pytest.raises(InvalidQueryError, match="unknown freq 'week'"):
        freq_code("week")
    with pytest.raises(TooLargeError) as caught:
        check_size(100_000, 2, "month")
    assert isinstance(caught.value, InvalidQueryError) and isinstance(caught.value, ValueError)


def test_a_store_error_is_an_equipoise_error():
    assert issubclass(StoreError, EquipoiseError)
