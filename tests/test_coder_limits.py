"""The coder's limits: no unbounded recursion, long documents and sentences, a time budget,
and one document's failure kept to that document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equipoise.coding import coder as coder_module
from equipoise.coding.coder import Coder, CodingError
from equipoise.coding.text import split_long
from equipoise.records import Document
from equipoise.sources import read_jsonl

PUBLISHED = dt.date(2021, 3, 1)
GOLD = Path("/work/shared/gold")
CALM = "The weather stayed mild and the harbour was quiet all week. "
EVENT = "Turkey signed a trade agreement with Azerbaijan on Monday. "


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def doc(text: str) -> Document:
    return Document.from_text(text, published=PUBLISHED)


def dyads(events) -> set[tuple[str, str, str]]:
    return {(e.source.code, e.target.code, e.root) for e in events}


class ParserSpy:
    """Wraps a spaCy pipeline and notes the longest text it was given."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.max_length = nlp.max_length
        self.longest = 0

    def pipe(self, texts, batch_size):
        def noted():
            for text in texts:
                self.longest = max(self.longest, len(text))
                yield text
        return self.nlp.pipe(noted(), batch_size=batch_size)


# -- recursion ----------------------------------------------------------------------------


def test_a_quoted_we_that_is_the_subject_of_a_speech_verb_resolves(coder):
    # "our" asks for the speaker of "confirm", whose subject "We" asks for its own speaker:
    # this once recursed until RecursionError; now "We" is the minister quoting it.
    text = '"We confirm our support for Georgia," the Turkish minister told reporters.'
    assert dyads(coder.code_document(doc(text))) == {("TUR", "GEO", "05")}


@pytest.mark.parametrize("split", ["train", "dev"])
def test_every_document_of_the_gold_sets_codes(coder, split):
    path = GOLD / split / "docs.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    docs = [d for d in read_jsonl(path) if isinstance(d, Document)]
    assert docs
    assert [c.failure for c in coder.code_each(docs)] == [None] * len(docs)


# -- long documents and sentences ---------------------------------------------------------


def test_a_document_over_a_million_characters_codes_in_chunks(coder):
    calm = CALM * 8 + "\n\n"
    filler = calm * (520_000 // len(calm))
    text = EVENT + filler + EVENT + filler + EVENT
    assert len(text) > coder.nlp.max_length
    coded = next(coder.code_each([doc(text)]))
    assert coded.ok, coded.failure
    assert any("read in runs of whole sentences" in note for note in coded.notes)
    middle, last = len(EVENT) + len(filler), 2 * (len(EVENT) + len(filler))
    assert [e.start for e in coded.events] == [0, middle, last]
    for event in coded.events:
        assert text[event.start:event.end] == event.sentence == EVENT.strip()
        assert (event.source.code, event.target.code) == ("TUR", "AZE")


def test_a_sentence_of_276_kb_is_coded_in_pieces_the_parser_can_take(coder, monkeypatch):
    clause = "and the weather stayed mild over the hills, "
    half = clause * (138_000 // len(clause))
    text = half + "Turkey signed a trade agreement with Azerbaijan; " + half + "and so on."
    assert len(text) > 276_000 and "." not in text[:-1]
    spy = ParserSpy(coder.nlp)
    monkeypatch.setattr(coder, "nlp", spy)
    coded = next(coder.code_each([doc(text)]))
    assert coded.ok, coded.failure
    assert "276,027 characters long: coded in 140 pieces of at most 2,000" in coded.notes[0]
    assert 0 < spy.longest <= 2_000
    assert dyads(coded.events) == {("TUR", "AZE", "05")}
    (event,) = coded.events
    assert len(event.sentence) <= 2_000
    assert text[event.start:event.end] == event.sentence
    assert event.sentence.endswith("Turkey signed a trade agreement with Azerbaijan;")


def test_a_long_sentence_is_cut_at_a_semicolon_then_a_comma_then_a_space():
    text = "a" * 40 + "; " + "b" * 30 + ", " + "c" * 20 + " " + "d" * 10
    pieces = [text[s:e] for s, e in split_long(text, 0, len(text), 60)]
    assert pieces == ["a" * 40 + ";", "b" * 30 + ",", "c" * 20 + " " + "d" * 10]
    text = "e" * 40 + " " + "f" * 40 + " " + "g" * 40
    pieces = [text[s:e] for s, e in split_long(text, 0, len(text), 60)]
    assert pieces == ["e" * 40, "f" * 40, "g" * 40]


def test_a_sentence_without_a_break_is_cut_at_the_limit():
    text = "x" * 250
    assert list(split_long(text, 0, 250, 100)) == [(0, 100), (100, 200), (200, 250)]


# -- one document's failure ----------------------------------------------------------------


def test_a_document_that_makes_the_coder_raise_fails_alone(coder, monkeypatch):
    extract = coder.extractor.extract

    def faulty(parsed, mentions, context):
        if "Armenia" in parsed.text:
            raise RuntimeError("injected fault\nsecond line")
        return extract(parsed, mentions, context)

    monkeypatch.setattr(coder.extractor, "extract", faulty)
    docs = [doc(EVENT), doc("Russia condemned Armenia over the border incident."),
            doc("Iran praised Azerbaijan for its help.")]
    coded = list(coder.code_each(docs))
    assert [c.doc for c in coded] == docs
    assert [c.failure for c in coded] == [None, "RuntimeError: injected fault", None]
    assert coded[1].events == []
    assert dyads(coded[0].events) == {("TUR", "AZE", "05")}
    assert dyads(coded[2].events) == {("IRN", "AZE", "05")}
    with pytest.raises(CodingError, match=f"{docs[1].id}: RuntimeError: injected fault"):
        list(coder.code(docs))


def test_a_sentence_the_parser_fails_on_fails_only_its_document(coder, monkeypatch):
    nlp = coder.nlp

    class Faulty:
        max_length = nlp.max_length

        def pipe(self, texts, batch_size):
            for text in texts:
                if "Armenia" in text:
                    raise ValueError("parser fault")
                yield nlp(text)

    monkeypatch.setattr(coder, "nlp", Faulty())
    docs = [doc("Russia condemned Armenia over the border incident."), doc(EVENT)]
    coded = list(coder.code_each(docs))
    assert [c.failure for c in coded] == ["ValueError: parser fault", None]
    assert dyads(coded[1].events) == {("TUR", "AZE", "05")}


class Clock:
    """A stand-in for time.perf_counter that moves only when told."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_document_over_its_time_budget_fails_and_the_next_is_coded(coder, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(coder_module, "perf_counter", clock)
    extract = coder.extractor.extract

    def slow(parsed, mentions, context):
        clock.now += 25.0  # each sentence takes 25 s: three are over a 60 s budget
        return extract(parsed, mentions, context)

    monkeypatch.setattr(coder.extractor, "extract", slow)
    slow_doc = doc(EVENT * 3 + "Russia condemned Armenia. Iran praised Azerbaijan.")
    coded = list(coder.code_each([slow_doc, doc(EVENT)]))
    assert [c.failure for c in coded] == ["time budget exceeded", None]
    assert coded[0].events == []
    assert dyads(coded[1].events) == {("TUR", "AZE", "05")}


# -- odd characters --------------------------------------------------------------------------


def test_a_nul_character_next_to_an_actor_name_is_just_a_character(coder):
    # NUL was the gazetteer's end-of-name key: a NUL token after "Turkey" broke the lookup.
    text = "Turkey\x00 signed a trade agreement with Azerbaijan\x00."
    assert dyads(coder.code_document(doc(text))) == {("TUR", "AZE", "05")}


def test_a_lone_surrogate_does_not_stop_the_parser(coder):
    text = "Turkey signed a trade agreement \ud800 with Azerbaijan."
    coded = next(coder.code_each([Document(id="surrogate", text=text, published=PUBLISHED)]))
    assert coded.ok, coded.failure
    assert dyads(coded.events) == {("TUR", "AZE", "05")}
    assert coded.events[0].sentence == text  # the document's own text, as given


# -- generated documents ---------------------------------------------------------------------

ACTORS = ["Turkey", "Russia", "Azerbaijan", "Iran", "the Kremlin", "NATO", "Çavuşoğlu",
          "Turkish Defence Minister Hulusi Akar", "Akar", "RUSSIA", "the U.S.", "Baku's"]
VERBS = ["signed", "condemned", "met", "said", "told", "attacked", "confirm", "will sign",
         "did not sign", "held talks with", "accused", "claimed", "must withdraw from"]
WORDS = ["we", "our", "they", "it", "he", "the two sides", "the bloc", "both", "and", "of",
         "with", "if", "would", "on Monday", "in March 2020", "Mr.", "U.N.", "J."]
MARKS = [".", ". ", ", ", "; ", "?", "!", "...", '"', "“", "”", "’s", "(", ")", "\n", "\n\n",
         "\t", "—"]
ODD = ["é", "ı", "İ", "ß", "мир", "مرحبا", "中国", "😀", "\u202e", "\u200b", "\ufeff",
       "\u0301", "\x00", "\x1b", "\ud800", "\u2028", "ﬁ"]
pieces = st.one_of(
    st.sampled_from(ACTORS), st.sampled_from(VERBS), st.sampled_from(WORDS),
    st.sampled_from(MARKS), st.sampled_from(ODD), st.text(max_size=12),
    # very long tokens and runs: a word, an actor name or punctuation repeated
    st.builds(lambda unit, n: unit * n,
              st.sampled_from(["x", "Turkey", ".", ",", ";", " ", "é", "Russia and "]),
              st.integers(100, 3_000)),
)
texts = st.lists(pieces, max_size=60).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=4))
def test_generated_documents_code_without_error_and_events_lie_in_the_text(coder, batch):
    # Hypothesis runs this test many times with one module-scoped coder: no per-example state.
    docs = [Document(id=f"generated-{i}", text=text, published=PUBLISHED)
            for i, text in enumerate(batch)]
    outcomes = list(coder.code_each(docs))
    assert [c.doc for c in outcomes] == docs
    for coded in outcomes:
        assert coded.failure is None
        for event in coded.events:
            assert 0 <= event.start < event.end <= len(coded.doc.text)
            assert coded.doc.text[event.start:event.end] == event.sentence
            assert len(event.sentence) <= 2_000
