"""Speakers of quotations that run over several sentences."""

from __future__ import annotations

from equipoise.coding.gazetteer import Gazetteer
from equipoise.coding.quotes import attribution, quotation_speakers
from equipoise.coding.text import split_sentences


def speakers(text):
    found = Gazetteer.default().find(text)
    spans = list(split_sentences(text))
    mentions = [[m for m in found if s <= m.start and m.end <= e] for s, e in spans]
    return [m.code if m else None for m in quotation_speakers(text, spans, mentions)]


def test_the_attribution_after_the_last_quoted_sentence_speaks_for_all_of_them():
    text = ("\u201cWe are ready. We will help,\u201d the Kenyan minister said. "
            "Rain fell in the capital.")
    assert speakers(text) == ["KEN", "KEN", None]


def test_an_attribution_before_the_quote_counts_too():
    text = 'The Kenyan minister said: "We are ready. We will help." Rain fell.'
    assert speakers(text) == ["KEN", "KEN", None]


def test_a_sentence_without_quotes_has_no_speaker():
    assert speakers("Kenya said it was ready. We will see.") == [None, None]


def test_a_speaker_beyond_a_quote_mark_is_not_taken():
    text = 'Kenya is "ready to talk" and said nothing more.'
    found = attribution(text, 0, len(text), Gazetteer.default().find(text))
    assert found is None
