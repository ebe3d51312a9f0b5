"""The coder's cue words (speech verbs, negators, target prepositions...) from ``cues.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from equipoise.coding.lexicon import CLASSES_FILE, DEFAULT_PATH, load_word_classes


@dataclass(frozen=True, slots=True)
class Cues:
    speech_verbs: frozenset[str]
    intent_heads: frozenset[str]
    phone_verbs: frozenset[str]
    negative_labels: frozenset[str]  # "called the raids a violation": criticism
    labelling_code: str
    cessation_heads: frozenset[str]
    cessation_codes: dict[str, str]
    quantity_nouns: frozenset[str]
    border_nouns: frozenset[str]
    partner_preps: frozenset[str]
    naming_verbs: frozenset[str]
    joint_nouns: frozenset[str]
    joint_words: frozenset[str]
    posture_code: str
    domestic_acts: frozenset[str]
    decision_heads: frozenset[str]
    negating_heads: frozenset[str]
    negative_determiners: frozenset[str]
    conditional_marks: frozenset[str]
    hypothetical_aux: frozenset[str]
    obligation_aux: frozenset[str]
    demand_code: str
    accusing_speech: frozenset[str]
    claim_code: str
    future_aux: frozenset[str]
    target_preps: frozenset[str]
    noun_target_preps: frozenset[str]
    subordinating_preps: frozenset[str]
    statement_nouns: frozenset[str]
    np_preps: frozenset[str]
    visit_preps: frozenset[str]
    background_preps: frozenset[str]
    reciprocals: frozenset[str]
    symmetric_roots: frozenset[str]
    joint_codes: frozenset[str]  # joint outside the symmetric roots: a ceasefire, a swap
    claim_roots: frozenset[str]
    intent_codes: dict[str, str]
    pair_nouns: frozenset[str]
    pair_person_nouns: frozenset[str]
    bloc_nouns: frozenset[str]
    state_nouns: frozenset[str]
    asymmetric_codes: frozenset[str]
    request_roots: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    speaker_pronouns: frozenset[str]
    title_words: frozenset[str]
    title_sectors: dict[str, str]
    topic_preps: frozenset[str]  # "a deal on Syria": what, not with whom
    place_preps: frozenset[str]  # "strikes on positions in Yemen": whose ground
    mutual_conflict: frozenset[str]  # "X and Y clashed": both sides; "X and Y bombed": allies
    reproach_words: frozenset[str]  # "said Russia violated...": a reported reproach
    reproach_code: str
    praise_words: frozenset[str]  # '"Seoul is a reliable partner," X said': praise
    praise_code: str
    threat_codes: dict[str, str]  # hostility announced for the future is a threat
    leaving_code: str  # withdrawing from a bloc reduces relations with it
    relation_words: frozenset[str]  # what makes "X and Y pledged to ..." mutual
    post_nouns: frozenset[str]  # "its embassy in X": the host state is the target
    grievance_preps: frozenset[str]  # "concern over X's moves": whom criticism is about
    published_things: frozenset[str]  # "released a statement" frees nobody
    receiving_words: frozenset[str]  # "X bought arms from Y": Y supplies X
    go_between_words: frozenset[str]  # "an Oman-brokered deal", "X-backed rebels": no party
    state_act_roots: frozenset[str]  # acts of state: announced in the passive, done by the speaker
    experiencer_verbs: frozenset[str]  # "Japan was alarmed by X": the one alarmed reacts to X
    reaction_verbs: frozenset[str]  # "drew criticism from X": X reacts to the subject
    assessment_verbs: frozenset[str]  # "X poses a threat": a judgement of X, not X threatening
    seated_nouns: frozenset[str]  # "the junta in Niger": a ruling body named by its seat
    topic_verbs: frozenset[str]  # "discussed Syria": the object is a topic, not a partner
    stimulus_preps: frozenset[str]  # "concerned about X", "critical of X": what is reacted to
    exit_verbs: frozenset[str]  # "withdrew from the talks": what is left is stopped
    backing_nouns: frozenset[str]  # "struck with support from X": X backs the strikers
    backing_codes: dict[str, str]  # backing of a material act (by its quad) is material
    attribution_nouns: frozenset[str]  # "the blame lies with X", says the one who blames
    joining_verbs: frozenset[str]  # "X joined Y in condemning Z": X condemns Z too
    response_nouns: frozenset[str]  # "in response to Y's move": Y is whom the act answers
    voicing_verbs: frozenset[str]  # "voiced X's concern": the concern is X's
    acceptance_verbs: frozenset[str]  # "will not accept X's terms": a rejection of them
    refusal_code: str
    vehicle_nouns: frozenset[str]  # "a tool of imperialism": reproach by what it serves
    body_nouns: frozenset[str]  # "the ministry", "the co-chairs": bodies an earlier actor had
    expectation_verbs: dict[str, str]  # "expects X to desist": a demand (or appeal) to X
    person_titles: frozenset[str]  # "the U.S. ambassador ... him": an official by title alone
    habitual_adverbs: frozenset[str]  # "routinely sail through": a habit, not an event
    time_words: frozenset[str]  # "on Monday": a preposition of time, not of the act
    membership_nouns: frozenset[str]  # "its participation in X": X is whom the act concerns
    # Unions used on every sentence, built once here rather than per token.
    reference_nouns: frozenset[str] = frozenset()  # "the bloc", "the country"
    third_person: frozenset[str] = frozenset()  # he, she, it, they, their...
    reporting_verbs: frozenset[str] = frozenset()  # speech verbs and "tell"
    referring_pronouns: frozenset[str] = frozenset()  # he, it, we...: an actor named elsewhere
    referring_nouns: frozenset[str] = frozenset()  # "the bloc", "both sides", "the leaders"
    armed_nouns: frozenset[str] = frozenset()  # troops, forces...: the lexicon's word class


@cache
def load_cues() -> Cues:
    path = resources.files("equipoise") / "data" / "lexicon" / "cues.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw.pop("_about", None)
    fields: dict[str, Any] = {
        k: (v if isinstance(v, dict | str) else frozenset(v)) for k, v in raw.items()
    }
    fields["reference_nouns"] = fields["bloc_nouns"] | fields["state_nouns"]
    fields["third_person"] = fields["group_pronouns"] | fields["person_pronouns"]
    fields["reporting_verbs"] = fields["speech_verbs"] | {"tell"}
    fields["referring_pronouns"] = (fields["person_pronouns"] | fields["group_pronouns"]
                                    | fields["speaker_pronouns"])
    fields["referring_nouns"] = (fields["reference_nouns"] | fields["pair_nouns"]
                                 | fields["pair_person_nouns"])
    classes = load_word_classes(DEFAULT_PATH.with_name(CLASSES_FILE))
    fields["armed_nouns"] = frozenset(classes.get("troops", ()))
    return Cues(**fields)
