"""Offset-preserving text helpers used by the coder."""

from equipoise.coding.text import fold, split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_fold_strips_diacritics_one_character_for_one():
    text = "Çavuşoğlu met Erdoğan in İstanbul’s Dolmabahçe palace"
    folded = fold(text)
    assert folded == "Cavusoglu met Erdogan in Istanbul's Dolmabahce palace"
    assert len(folded) == len(text)


def test_fold_leaves_ascii_alone():
    assert fold("Baku and Ankara") == "Baku and Ankara"


def test_split_on_sentence_ends_and_paragraphs():
    text = "Turkey backed Baku. Russia did not comment!\n\nIran urged calm? Yes."
    assert sentences(text) == ["Turkey backed Baku.", "Russia did not comment!",
                               "Iran urged calm?", "Yes."]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "U.S. Secretary of State Mike R. Pompeo met Gen. Hasanov on Sept. 2. He left."
    assert sentences(text) == [
        "U.S. Secretary of State Mike R. Pompeo met Gen. Hasanov on Sept. 2.", "He left."]


def test_offsets_point_into_the_original_text():
    text = "  Baku protested.  Moscow replied.  "
    for start, end in split_sentences(text):
        assert text[start:end] in ("Baku protested.", "Moscow replied.")


def test_closing_quote_stays_with_its_sentence():
    text = "“We support Azerbaijan.” Erdogan said so."
    assert sentences(text) == ["“We support Azerbaijan.”", "Erdogan said so."]


def test_a_full_stop_with_no_space_after_it_still_ends_a_sentence():
    assert sentences("Serbia left the talks.The envoys went home.") == [
        "Serbia left the talks.", "The envoys went home."]
    assert sentences("The U.S.Army left early.") == ["The U.S.Army left early."]


def test_guillemets_open_and_close_sentences():
    assert sentences("Paris said « Serbia must stay. » Berlin agreed.") == [
        "Paris said « Serbia must stay. »", "Berlin agreed."]
    assert sentences("He said: «Never.» «Maybe» came later.") == [
        "He said: «Never.»", "«Maybe» came later."]
