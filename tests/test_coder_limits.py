"""The coder's limits: no unbounded recursion, long documents and sentences, a time budget."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from equipoise.coding.coder import Coder
from equipoise.records import Document
from equipoise.sources import read_jsonl

PUBLISHED = dt.date(2021, 3, 1)


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def test_a_quoted_we_that_is_the_subject_of_a_speech_verb_resolves(coder):
    # "our" asks for the speaker of "confirm", whose subject "We" asks for its own speaker:
    # this once recursed until RecursionError; now "We" is the minister quoting it.
    text = '"We confirm our support for Georgia," the Turkish minister told reporters.'
    events = coder.code_document(Document.from_text(text, published=PUBLISHED))
    assert {(e.source.code, e.target.code, e.root) for e in events} == {("TUR", "GEO", "05")}


GOLD = Path("/work/shared/gold")


@pytest.mark.parametrize("split", ["train", "dev"])
def test_every_document_of_the_gold_sets_codes(coder, split):
    path = GOLD / split / "docs.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    docs = [d for d in read_jsonl(path) if isinstance(d, Document)]
    assert docs
    coded = list(coder.code(docs))
    assert len(coded) == len(docs)
