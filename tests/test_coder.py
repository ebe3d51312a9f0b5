"""The event coder, sentence by sentence: who did what to whom, and what is not an event."""

from __future__ import annotations

import datetime as dt

import pytest

from equipoise.coding.coder import CODER_VERSION, Coder
from equipoise.records import Document

PUBLISHED = dt.date(2020, 8, 20)  # a Thursday


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def code(coder: Coder, text: str, published: dt.date = PUBLISHED):
    events = coder.code_document(Document.from_text(text, published=published))
    return {(e.source.code, e.target.code, e.root) for e in events}, events


def test_active_voice(coder):
    pairs, events = code(coder, "Turkey strongly criticized Russia over the arms deliveries.")
    assert ("TUR", "RUS", "11") in pairs
    event = events[0]
    assert event.quad == 3 and event.goldstein < 0
    assert event.sentence.startswith("Turkey strongly criticized")


def test_passive_voice_takes_the_agent_as_source(coder):
    pairs, _ = code(coder, "Armenia was accused by Azerbaijan of shelling civilian areas.")
    assert ("AZE", "ARM", "11") in pairs


def test_coordinated_subjects_of_a_joint_action_are_symmetric(coder):
    _, events = code(coder, "Turkey and Azerbaijan held joint military drills near Baku.")
    assert [(e.source.code, e.target.code, e.root, e.symmetric) for e in events] == [
        ("TUR", "AZE", "06", True)]
    assert events[0].quad == 2


def test_coordinated_objects_each_get_an_event(coder):
    pairs, _ = code(coder, "Russian Foreign Minister Sergei Lavrov met Armenia and Azerbaijan's "
                           "foreign ministers in Moscow on Friday.")
    assert ("RUS", "ARM", "04") in pairs


def test_possessive_nominal_event(coder):
    pairs, _ = code(coder, "Erdogan reiterated Turkey's unconditional support to Azerbaijan.")
    assert ("TUR", "AZE", "05") in pairs


def test_hyphenated_pair_is_a_symmetric_joint_action(coder):
    _, events = code(coder, "Russian-Armenian military drills began in Gyumri on Monday.")
    assert {(e.source.code, e.target.code) for e in events} <= {("RUS", "ARM"), ("ARM", "RUS")}
    assert events and all(e.symmetric and e.root == "06" for e in events)


def test_titles_give_the_sector(coder):
    _, events = code(coder, "Turkish Defence Minister Hulusi Akar visited Baku on Tuesday.")
    assert events[0].source.code == "TUR" and events[0].source.sector == "MIL"
    assert events[0].target.code == "AZE"
    assert events[0].cameo == "042"


def test_date_comes_from_the_text_relative_to_publication(coder):
    _, events = code(coder, "Turkish Defence Minister Hulusi Akar visited Baku on Tuesday.")
    assert events[0].date.iso() == "2020-08-18"
    _, events = code(coder, "In July 2019, Iran and Azerbaijan signed a border agreement.")
    assert events[0].date.iso() == "2019-07"


@pytest.mark.parametrize("sentence", [
    "Turkey did not openly support Azerbaijan.",
    "Russia would sanction Georgia if it joined NATO.",
    "Will Iran support Armenia?",
    "Azerbaijani police arrested Azerbaijani protesters in Baku.",
    "Since Russia's invasion of Ukraine, prices have risen.",
])
def test_what_is_not_an_event(coder, sentence):
    pairs, _ = code(coder, sentence)
    assert pairs == set()


def test_quoted_we_is_the_speaker_country(coder):
    pairs, _ = code(coder, "“We fully support Azerbaijan,” Turkish President Recep Tayyip "
                           "Erdogan said.")
    assert ("TUR", "AZE", "05") in pairs


def test_pronoun_refers_to_an_actor_in_the_previous_sentence(coder):
    text = ("Azerbaijani President Ilham Aliyev spoke in Baku on Monday. "
            "He accused Russia of supplying weapons to Armenia.")
    pairs, _ = code(coder, text)
    assert ("AZE", "RUS", "11") in pairs


def test_names_introduced_with_a_title_are_learned(coder):
    text = ("Moldovan Foreign Minister Ionela Zugravescu arrived in Bucharest. "
            "Zugravescu praised Romania for its help.")
    pairs, events = code(coder, text)
    assert ("MDA", "ROU", "05") in pairs


def test_office_holders_count_only_during_their_tenure(coder):
    sentence = "Cavusoglu criticized Greece over the migrant crisis."
    pairs_2020, _ = code(coder, sentence, dt.date(2020, 3, 2))
    pairs_2024, _ = code(coder, sentence, dt.date(2024, 3, 2))
    assert ("TUR", "GRC", "11") in pairs_2020
    assert pairs_2024 == set()


def test_events_carry_provenance(coder):
    text = "Background first. Iran condemned the Israeli strike on Damascus."
    _, events = code(coder, text)
    event = next(e for e in events if e.source.code == "IRN")
    assert text[event.start:event.end] == event.sentence
    assert event.sentence == "Iran condemned the Israeli strike on Damascus."
    assert event.trigger == "condemned"
    assert event.coder == coder.version and coder.version.startswith(CODER_VERSION)
    assert event.plover


def test_one_event_per_dyad_and_root_in_a_sentence(coder):
    _, events = code(coder, "Iran criticized Azerbaijan and condemned Baku's decision.")
    assert len([e for e in events if (e.source.code, e.target.code) == ("IRN", "AZE")]) == 1


def test_a_reported_claim_gives_the_accusation_and_the_claimed_event(coder):
    pairs, events = code(coder, "Baku claimed that Russia shipped weapons to Armenia.")
    assert ("AZE", "RUS", "11") in pairs  # the claim
    assert ("RUS", "ARM", "07") in pairs  # what is claimed
    claimed = next(e for e in events if e.source.code == "RUS")
    assert claimed.reported


def test_accused_of_doing_names_the_doer(coder):
    pairs, _ = code(coder, "France accused Turkey of sending fighters to attack Armenia.")
    assert ("FRA", "TUR", "11") in pairs


def test_mutual_accusations_are_symmetric(coder):
    _, events = code(coder, "Serbia and Kosovo accused each other of stirring unrest.")
    accusations = [e for e in events if e.root == "11"]
    assert len(accusations) == 1 and accusations[0].symmetric


def test_must_in_a_reported_clause_is_a_demand(coder):
    pairs, _ = code(coder, "Aliyev said Armenian forces must withdraw from the occupied lands.")
    assert ("AZE", "ARM", "10") in pairs


def test_an_appeal_is_coded_but_not_the_action_appealed_for(coder):
    pairs, _ = code(coder, "The OSCE urged Moldova and Ukraine to resume border talks.")
    assert {("OSCE", "MDA", "02"), ("OSCE", "UKR", "02")} <= pairs
    assert not any(root == "04" for _, _, root in pairs)


def test_a_decision_to_sanction_is_a_sanction(coder):
    pairs, _ = code(coder, "EU leaders agreed on Monday to impose new sanctions on Belarus.")
    assert ("EU", "BLR", "16") in pairs
    assert ("EU", "BLR", "03") not in pairs


def test_planned_cooperation_is_an_expressed_intent(coder):
    pairs, _ = code(coder, "Azerbaijan's defence minister will pay an official visit to Russia.")
    assert ("AZE", "RUS", "03") in pairs


def test_title_case_headlines_are_parsed(coder):
    pairs, _ = code(coder, "Turkey Condemns Armenian Attack On Azerbaijani Villages")
    assert ("TUR", "ARM", "11") in pairs


def test_the_two_leaders_are_the_last_two_people_named(coder):
    text = ("Putin received Erdogan in Sochi on Tuesday. "
            "The two leaders discussed the situation in Syria.")
    pairs, _ = code(coder, text)
    assert ("RUS", "TUR", "04") in pairs or ("TUR", "RUS", "04") in pairs


@pytest.mark.parametrize("sentence, expected", [
    ("Aliyev held talks with Putin in Moscow.", ("AZE", "RUS", "04")),
    ("Erdogan visited Baku on Tuesday.", ("TUR", "AZE", "042")),
    ("Azerbaijan hosted the Turkish president on Tuesday.", ("AZE", "TUR", "043")),
    ("Erdogan praised Azerbaijan for its resolve.", ("TUR", "AZE", "051")),
    ("Russia and Belarus signed a new defence agreement.", ("RUS", "BLR", "057")),
    ("Turkish officers trained Azerbaijani special forces.", ("TUR", "AZE", "062")),
    ("Russia delivered weapons to Armenia.", ("RUS", "ARM", "072")),
    ("Azerbaijan accused Russia of arming Armenia.", ("AZE", "RUS", "112")),
    ("Russia sent warships to the Caspian coast near Azerbaijan.", ("RUS", "AZE", "150")),
    ("The United States imposed an arms embargo on Azerbaijan.", ("USA", "AZE", "163")),
])
def test_codes_are_as_specific_as_the_words(coder, sentence, expected):
    _, events = code(coder, sentence)
    found = {(e.source.code, e.target.code, e.cameo) for e in events}
    source, target, cameo = expected
    assert any(s == source and t == target and c.startswith(cameo) for s, t, c in found), found


def test_the_bloc_is_the_last_bloc_named(coder):
    text = ("European Union leaders met in Brussels on Monday. "
            "The leaders of the bloc demanded that Belarus release the journalist.")
    pairs, _ = code(coder, text)
    assert ("EU", "BLR", "10") in pairs


@pytest.mark.parametrize("sentence, expected", [
    ("Washington said it would no longer train Turkish pilots.", ("USA", "TUR", "16")),
    ("Russia stopped supplying gas to Ukraine in January.", ("RUS", "UKR", "16")),
])
def test_cooperation_that_ends_reduces_relations(coder, sentence, expected):
    pairs, _ = code(coder, sentence)
    assert expected in pairs
    assert not any(root in ("06", "07") for _, _, root in pairs)


def test_fighting_on_a_shared_border_is_between_its_two_sides(coder):
    _, events = code(coder, "Heavy fighting broke out on July 12 along the "
                            "Armenian-Azerbaijani border.")
    assert [(e.root, e.symmetric) for e in events] == [("19", True)]
    assert {events[0].source.code, events[0].target.code} == {"ARM", "AZE"}
    assert events[0].date.iso() == "2020-07-12"


def test_title_of_country_introduces_a_name(coder):
    text = ("Defence Minister of Moldova Ion Vrabiescu arrived in Kyiv on Monday. "
            "Vrabiescu praised Ukraine for its help.")
    _, events = code(coder, text)
    praise = [e for e in events if e.root == "05"]
    assert praise and praise[0].source.code == "MDA" and praise[0].source.sector == "MIL"
    assert praise[0].target.code == "UKR"


def test_drills_without_a_partner_are_a_show_of_force(coder):
    _, events = code(coder, "Russian warships held live-fire exercises in the Caspian Sea "
                            "off the coast near Baku.")
    assert [(e.source.code, e.target.code, e.quad) for e in events] == [("RUS", "AZE", 4)]
    _, events = code(coder, "Russian and Azerbaijani warships held joint exercises near Baku.")
    assert [(e.quad, e.symmetric) for e in events] == [(2, True)]


def test_an_agreement_is_an_event_when_someone_signs_or_reaches_it(coder):
    pairs, _ = code(coder, "Russia and Turkey reached a deal on Syria on Thursday.")
    assert ("RUS", "TUR", "05") in pairs or ("TUR", "RUS", "05") in pairs
    pairs, _ = code(coder, "Duterte moved to end the security pact with the United States.")
    assert not any(root == "05" for _, _, root in pairs)


def test_a_territory_stands_for_its_state_only_as_the_target_of_an_action(coder):
    pairs, _ = code(coder, "Russia deployed peacekeepers to Nagorno-Karabakh on Tuesday.")
    assert ("RUS", "AZE", "07") in pairs
    pairs, _ = code(coder, "Russia annexed Crimea in March 2014.")
    assert ("RUS", "UKR", "19") in pairs
    pairs, _ = code(coder, "Lavrov discussed Nagorno-Karabakh with Iran's foreign minister.")
    assert not any(target == "AZE" for _, target, _ in pairs)


def test_a_parade_march_and_fighting_alongside_someone_are_not_hostile(coder):
    pairs, _ = code(coder, "Azerbaijani servicemen marched on Red Square in Moscow on Wednesday.")
    assert pairs == set()
    pairs, _ = code(coder, "Azerbaijanis fought alongside Russians in the war, Baku said.")
    assert not any(root == "19" for _, _, root in pairs)


@pytest.mark.parametrize("dateline", [
    "ANKARA (AP) \u2014 ", "ANKARA, Aug 19 (Reuters) - ", "Ankara, 19 August 2020: "])
def test_the_place_of_a_dateline_is_no_actor(coder, dateline):
    pairs, events = code(coder, dateline + "Greece condemned the naval drills near Crete.")
    assert all("TUR" not in (source, target) for source, target, _ in pairs)
    pairs, _ = code(coder, dateline + "Greece condemned Turkey over the naval drills.")
    assert ("GRC", "TUR", "11") in pairs


def test_a_headline_colon_is_not_a_dateline():
    from equipoise.coding.text import dateline_spans

    assert dateline_spans("Russia should halt the operation: court") == []
    assert dateline_spans("KYIV, Ukraine, Feb 3 (AP) - Officials said") == [(0, 13)]


def test_a_quoted_we_speaks_for_the_speaker_named_later_in_the_quotation(coder):
    text = ("Kyiv thanked its partners on Monday. \u201cWe strongly support Moldova. We will "
            "send more aid to Chisinau,\u201d the Romanian president said.")
    _, events = code(coder, text)
    first = [e for e in events if e.sentence.startswith("\u201cWe strongly")]
    assert [(e.source.code, e.target.code, e.root) for e in first] == [("ROU", "MDA", "05")]


def test_a_we_outside_any_quotation_gets_no_speaker_from_elsewhere(coder):
    text = ("We strongly support Moldova. \u201cIt is time,\u201d the Romanian president said.")
    _, events = code(coder, text)
    assert not any(e.sentence.startswith("We strongly") for e in events)


@pytest.mark.parametrize("second", [
    "Kovac said his country condemned Albania over the raid.",
    "This Balkan country condemned Albania over the raid.",
    "The ministry condemned Albania over the raid.",
])
def test_reference_nouns_stand_for_the_state_named_before(coder, second):
    text = "Serbian Foreign Minister Ivan Kovac arrived in Belgrade on Monday. " + second
    pairs, _ = code(coder, text)
    assert ("SRB", "ALB", "11") in pairs


@pytest.mark.parametrize("text", [
    "Chile called the Peruvian naval patrols a provocation.",
    "Chile described the Peruvian patrols as a violation of its waters.",
    "Santiago branded the patrols an act of aggression by Peru.",
])
def test_naming_an_action_with_a_term_of_reproach_is_criticism(coder, text):
    pairs, _ = code(coder, text)
    assert ("CHL", "PER", "11") in pairs


def test_a_neutral_label_or_a_negated_one_is_no_criticism(coder):
    assert code(coder, "Chile described the Peruvian proposal as a first step.")[0] == set()
    assert code(coder, "Chile did not call the Peruvian proposal a provocation.")[0] == set()


@pytest.mark.parametrize("sentence, expected", [
    ("Japan threw its support behind South Korea's bid.", ("JPN", "KOR", "051")),
    ("China appointed a special envoy to Afghanistan.", ("CHN", "AFG", "050")),
    ("Mexico took aim at the United States over the border wall.", ("MEX", "USA", "111")),
    ("Turkey pointed the finger at Greece for the incident.", ("TUR", "GRC", "112")),
    ("Azerbaijan rejected the allegations made by Armenia.", ("AZE", "ARM", "016")),
    ("Greece declared a Turkish diplomat persona non grata.", ("GRC", "TUR", "166")),
    ("Iran reneged on its agreement with Iraq.", ("IRN", "IRQ", "127")),
    ("Chinese bombers overflew Japanese islands.", ("CHN", "JPN", "150")),
    ("France urged Russia to de-escalate.", ("FRA", "RUS", "0256")),
    ("Canada brought a case against Iran at the court.", ("CAN", "IRN", "115")),
])
def test_light_verbs_and_idioms_carry_their_code(coder, sentence, expected):
    _, events = code(coder, sentence)
    assert expected in {(e.source.code, e.target.code, e.cameo) for e in events}


@pytest.fixture(scope="module")
def rules() -> Coder:
    return Coder(model=None)


@pytest.mark.parametrize("sentence, expected", [
    ("Canada and Norway signed a trade agreement with Chile on Monday.",
     {("CAN", "CHL", "05"), ("NOR", "CHL", "05")}),
    ("Spain, Italy and Greece voiced support for Tunisia.",
     {("ESP", "TUN", "05"), ("ITA", "TUN", "05"), ("GRC", "TUN", "05")}),
])
def test_coordinated_subjects_with_a_partner_each_act_on_the_partner(rules, sentence, expected):
    pairs, events = code(rules, sentence)
    assert expected <= pairs
    assert not any(e.symmetric for e in events)


@pytest.mark.parametrize("sentence, expected", [
    pytest.param("Egypt and Sudan reached an agreement on the Nile waters.", ("EGY", "SDN"),
                 id="coordinated_subjects_with_only_a_topic_act_jointly"),
    pytest.param("Indian and Chinese troops clashed in the Galwan valley.", ("IND", "CHN"),
                 id="two_sides_clashing"),
])
def test_joint_actions_are_one_symmetric_event(rules, sentence, expected):
    _, events = code(rules, sentence)
    assert [(e.source.code, e.target.code, e.symmetric) for e in events] == [(*expected, True)]


def test_allies_striking_together_are_not_fighting_each_other(rules):
    pairs, events = code(rules, "France and Britain launched air strikes against depots in Libya.")
    assert {("FRA", "LBY", "19"), ("GBR", "LBY", "19")} <= pairs
    assert not {("FRA", "GBR"), ("GBR", "FRA")} & {(s, t) for s, t, _ in pairs}


def test_the_owner_of_an_object_is_not_its_target(rules):
    pairs, _ = code(rules, "Kenya closed its border with Somalia in 2011.")
    assert ("KEN", "SOM", "16") in pairs
    assert all(s != t for s, t, _ in pairs)


def test_a_decision_owned_by_another_actor_is_that_actors(rules):
    pairs, _ = code(rules, "Canada praised Norway's decision to expel Iranian diplomats.")
    assert ("NOR", "IRN", "16") in pairs
    assert ("CAN", "IRN", "16") not in pairs


def test_an_act_under_a_negated_need_is_not_an_event(rules):
    pairs, _ = code(rules, "Ottawa saw no need to expel Indian diplomats.")
    assert not any(root == "16" for _, _, root in pairs)


def test_ordering_a_state_to_act_is_a_demand_but_ordering_goods_is_not(rules):
    pairs, _ = code(rules, "The tribunal ordered Uganda to pay reparations to Congo.")
    assert ("UGA", "COD", "10") not in pairs  # the tribunal is no actor; nothing invented
    pairs, _ = code(rules, "The United Nations ordered Uganda to pay reparations.")
    assert ("UN", "UGA", "10") in pairs
    pairs, _ = code(rules, "Poland ordered 250 tanks from the United States.")
    assert not any(root == "10" for _, _, root in pairs)


def test_normalisation_of_relations_between_two_states_is_joint(rules):
    _, events = code(rules, "The White House announced the normalization of relations "
                            "between Sudan and Israel.")
    assert any({e.source.code, e.target.code} == {"SDN", "ISR"} and e.symmetric
               for e in events)


@pytest.mark.parametrize("sentence", [
    "Qatar brokered talks between Sudan and Israel.",
    "Qatar mediated between Sudan and Israel.",
])
def test_a_mediator_acts_on_both_parties(rules, sentence):
    pairs, _ = code(rules, sentence)
    assert {("QAT", "SDN", "04"), ("QAT", "ISR", "04")} <= pairs
    assert not {("SDN", "ISR", "04"), ("ISR", "SDN", "04")} & pairs


def test_two_parties_agreeing_to_a_ceasefire_is_joint(rules):
    _, events = code(rules, "Thailand and Cambodia agreed to a ceasefire on Monday.")
    assert [(e.source.code, e.target.code, e.root, e.symmetric) for e in events] == [
        ("THA", "KHM", "08", True)]


def test_a_gerund_noun_means_what_its_verb_means(rules):
    _, events = code(rules, "The signing of the accord between Ghana and Togo was delayed.")
    assert any({e.source.code, e.target.code} == {"GHA", "TGO"} and e.root == "05"
               for e in events)


@pytest.mark.parametrize("sentence", [
    "Tbilisi said Moscow had not violated the border agreement.",
    "Reuters reported that Moscow had violated the border agreement.",
    "Tbilisi said its border posts were attacked by Russian troops.",
])
def test_no_reproach_when_denied_reported_by_media_or_suffered(rules, sentence):
    pairs, _ = code(rules, sentence)
    assert not any(root == "11" for _, _, root in pairs)


@pytest.mark.parametrize("sentence, expected", [
    ("Canberra said it would impose tariffs on Chinese steel.", ("AUS", "CHN", "1312")),
    ("Pyongyang will attack Seoul.", ("PRK", "KOR", "138")),
])
def test_hostility_announced_for_the_future_is_a_threat(rules, sentence, expected):
    _, events = code(rules, sentence)
    assert expected in {(e.source.code, e.target.code, e.cameo) for e in events}


def test_failing_to_stop_fighting_is_no_de_escalation(rules):
    pairs, _ = code(rules, "Sudan and Chad failed to halt the fighting.")
    assert not any(root == "08" for _, _, root in pairs)


def test_coordinated_pledges_to_act_elsewhere_are_not_mutual(rules):
    pairs, _ = code(rules, "Benin and Chad have pledged to send police officers.")
    assert not {("BEN", "TCD"), ("TCD", "BEN")} & {(s, t) for s, t, _ in pairs}
    _, events = code(rules, "Benin and Chad have pledged to deepen their cooperation.")
    assert any(e.symmetric and e.root == "03" for e in events)


def test_the_owner_of_an_instrument_is_not_its_target(rules):
    pairs, _ = code(rules, "Paris and Rome moved to reimpose EU sanctions on Syria.")
    assert {("FRA", "SYR", "16"), ("ITA", "SYR", "16")} <= pairs
    assert not any(t == "EU" for _, t, _ in pairs)


def test_other_events_in_passing_stay_background(rules):
    pairs, _ = code(rules, "Orban spoke to reporters after the clashes between Serbia and Kosovo.")
    assert not any(root == "19" for _, _, root in pairs)


# One sentence, one construction: each row is named for the construction it shows.
CONSTRUCTIONS = [
    pytest.param("Ukraine said Russia had struck its power plants.",
                 ("RUS", "UKR", "19"), id="the_owner_of_what_is_struck_is_the_target"),
    pytest.param("Belarus sent artillery shells to Russia.",
                 ("BLR", "RUS", "07"), id="sending_any_kind_of_arms_is_military_aid"),
    pytest.param("The signing of the accord by Peru and Chile ended the dispute.",
                 ("PER", "CHL", "05"), id="the_agent_of_a_nominal_event_after_its_object"),
    pytest.param("A Chinese frigate approached the coast of Vietnam.",
                 ("CHN", "VNM", "15"), id="warships_approaching_a_coast"),
    pytest.param("Mongolia took part in talks with Kazakhstan.",
                 ("MNG", "KAZ", "04"), id="taking_part_in_an_event_is_that_event"),
    pytest.param("Chile expressed gratitude to Peru and concern about Bolivia's moves.",
                 ("CHL", "BOL", "11"), id="each_noun_of_a_light_verb_has_its_own_code"),
    pytest.param("Many states, including Latvia, condemned Belarus.",
                 ("LVA", "BLR", "11"), id="actors_named_after_including_act_too"),
    pytest.param("Vietnam bought coastal radars from Israel.",
                 ("ISR", "VNM", "07"), id="a_purchase_of_arms_is_coded_as_the_sale-1"),
    pytest.param("Egypt purchased fighter jets from France in 2015.",
                 ("FRA", "EGY", "07"), id="a_purchase_of_arms_is_coded_as_the_sale-2"),
    pytest.param("Kenya bought wheat from Ukraine.",
                 ("UKR", "KEN", "06"), id="a_purchase_is_coded_as_the_sale"),
    pytest.param("Armenia plans to buy Indian howitzers.",
                 ("ARM", "IND", "03"), id="a_planned_purchase_is_intent_to_cooperate"),
    pytest.param("Chad accused Boko Haram of attacking its soldiers.",
                 ("TCD", "NGA", "11"), id="armed_groups_take_the_code_of_their_country-1"),
    pytest.param("Kinshasa accused Rwanda of arming the M23.",
                 ("COD", "RWA", "11"), id="armed_groups_take_the_code_of_their_country-2"),
    pytest.param("Tbilisi said Moscow had violated the border agreement.",
                 ("GEO", "RUS", "11"), id="saying_another_actor_does_wrong_is_criticism-1"),
    pytest.param("Oslo said Iran's move was dangerous and irresponsible.",
                 ("NOR", "IRN", "11"), id="saying_another_actor_does_wrong_is_criticism-2"),
    pytest.param('"Minsk is trying to destabilise the region," the Lithuanian minister said.',
                 ("LTU", "BLR", "11"), id="saying_another_actor_does_wrong_is_criticism-3"),
    pytest.param("Riyadh halted aid to Beirut.",
                 ("SAU", "LBN", "16"), id="stopping_an_act_reduces_relations_or_de_escalates-1"),
    pytest.param("Sudan suspended its air strikes on Ethiopia.",
                 ("SDN", "ETH", "08"), id="stopping_an_act_reduces_relations_or_de_escalates-2"),
    pytest.param("Beijing hit Canberra with duties on barley.",
                 ("CHN", "AUS", "16"), id="light_verbs_with_their_nouns-1"),
    pytest.param("Senegal ended its fisheries agreement with Spain.",
                 ("SEN", "ESP", "16"), id="light_verbs_with_their_nouns-2"),
    pytest.param("Colombia made peace with Ecuador in 1942.",
                 ("COL", "ECU", "05"), id="light_verbs_with_their_nouns-3"),
    pytest.param("Montenegro became a member of NATO in 2017.",
                 ("MNE", "NATO", "05"), id="light_verbs_with_their_nouns-4"),
    pytest.param("Rwanda closed its embassy in Kinshasa.",
                 ("RWA", "COD", "16"), id="light_verbs_with_their_nouns-5"),
    pytest.param("Armenia, which shelled Azerbaijani positions in 2016, denied the report.",
                 ("ARM", "AZE", "19"), id="a_relative_pronoun_stands_for_the_noun_it_hangs_on-1"),
    pytest.param("Iran, whose drones struck Israel in April, called for calm.",
                 ("IRN", "ISR", "19"), id="a_relative_pronoun_stands_for_the_noun_it_hangs_on-2"),
    pytest.param("Turkey carried out drone strikes on positions in Iraq.",
                 ("TUR", "IRQ", "19"), id="force_on_places_hits_the_country_they_are_in"),
    pytest.param("Hanoi said its coast guard had expelled Chinese fishing boats.",
                 ("VNM", "CHN", "16"), id="its_forces_act_for_the_state_named_before"),
    pytest.param("The European Council adopted a package to impose tariffs on Belarus.",
                 ("EU", "BLR", "16"), id="an_act_planned_in_an_adopted_text_is_the_adopters"),
    pytest.param("The United Nations ruled that Israel must allow aid into Gaza.",
                 ("UN", "ISR", "10"), id="a_ruling_that_a_state_must_act_is_a_demand"),
    pytest.param("Guatemala declared the Venezuelan consul persona non grata.",
                 ("GTM", "VEN", "16"), id="declaring_an_envoy_persona_non_grata_expels"),
    pytest.param("Estonia decided to expel Russian diplomats.",
                 ("EST", "RUS", "16"), id="deciding_on_hostility_is_the_act_itself"),
    pytest.param("Venezuela withdrew from the Organization of American States.",
                 ("VEN", "OAS", "16"), id="leaving_an_organisation_reduces_relations_with_it"),
    pytest.param("Japan told the World Bank that it fully supports Mongolia.",
                 ("JPN", "MNG", "05"), id="it_in_a_clause_told_to_another_is_the_state_speaking"),
    pytest.param("Ottawa imposed a fresh round of sanctions on Minsk.",
                 ("CAN", "BLR", "16"), id="a_round_of_sanctions_is_sanctions"),
    pytest.param("Kyiv condemned Lukashenko's visit to Pyongyang.",
                 ("UKR", "BLR", "11"), id="criticism_of_an_act_targets_whose_act_it_is"),
    pytest.param("Orban spoke to reporters after his talks with Erdogan in Ankara.",
                 ("HUN", "TUR", "04"), id="talks_held_before_a_statement_took_place"),
    pytest.param("Lisbon is critical of Luanda's handling of the vote.",
                 ("PRT", "AGO", "11"), id="a_predicate_adjective_of_feeling-1"),
    pytest.param("Wellington remains deeply concerned about Beijing's military buildup.",
                 ("NZL", "CHN", "11"), id="a_predicate_adjective_of_feeling-2"),
    pytest.param("Mali said it was grateful to Algeria for its mediation.",
                 ("MLI", "DZA", "05"), id="a_predicate_adjective_of_feeling-3"),
    pytest.param("Ghana was alarmed by Togo's decision to close the border.",
                 ("GHA", "TGO", "11"), id="the_one_who_feels_is_the_source-1"),
    pytest.param("Togo's decision to close the border angered Ghana.",
                 ("GHA", "TGO", "11"), id="the_one_who_feels_is_the_source-2"),
    pytest.param("Bolivia is ready to resume talks with Chile.",
                 ("BOL", "CHL", "03"), id="ready_or_willing_to_cooperate_is_intent"),
    pytest.param("Kabul says it is ready to strike Pakistani posts.",
                 ("AFG", "PAK", "13"), id="ready_to_use_force_is_a_threat"),
    pytest.param("Peru and Chile met in Quito.",
                 ("PER", "CHL", "04"), id="two_sides_meeting_in_a_third_capital-1"),
    pytest.param("Peru and Chile met in Quito. Both sides signed a fisheries accord.",
                 ("PER", "CHL", "05"), id="two_sides_meeting_in_a_third_capital-2"),
    pytest.param("Ecuador discussed the border with Peru.",
                 ("ECU", "PER", "04"), id="discussing_a_topic_with_a_partner"),
    pytest.param("The Baltic states condemned Belarus.",
                 ("LTU", "BLR", "11"), id="an_informal_group_acts_as_each_member-1"),
    pytest.param("Iran rejected the demands of the E3.",
                 ("IRN", "DEU", "12"), id="an_informal_group_acts_as_each_member-2"),
    pytest.param("The leaders of Peru and Chile, Boluarte and Boric, signed on Monday a "
                 "fisheries accord.",
                 ("PER", "CHL", "05"), id="a_long_subject_before_a_verb_with_an_object"),
    pytest.param("Peru and Chile formalised a fisheries accord.",
                 ("PER", "CHL", "05"), id="formalising_an_agreement"),
    pytest.param("Hanoi accused Beijing of ramming its fishing boats.",
                 ("CHN", "VNM", "17"), id="its_in_what_the_accused_did_is_the_accusers"),
    pytest.param("Estonia's decision drew a sharp rebuke from Moscow.",
                 ("RUS", "EST", "11"), id="a_reaction_drawn_from_another-1"),
    pytest.param("Visits by a Slovak delegation were met with protests from Budapest.",
                 ("HUN", "SVK", "14"), id="a_reaction_drawn_from_another-2"),
    pytest.param("Moldova received support from Romania.",
                 ("ROU", "MDA", "05"), id="a_reaction_drawn_from_another-3"),
    pytest.param("Talks follow a proposal by Brasilia to mediate with Caracas.",
                 ("BRA", "VEN", "03"), id="the_partner_named_in_a_planned_act"),
    pytest.param("Yerevan rejected a proposal by Baku to hold talks in Tbilisi.",
                 ("ARM", "AZE", "12"), id="a_nominal_act_by_someone_is_theirs"),
    pytest.param("China is ready to help Laos and Cambodia.",
                 ("CHN", "KHM", "03"), id="a_coordinated_object_of_a_planned_act"),
    pytest.param("Warsaw pushed back against Berlin's criticism.",
                 ("POL", "DEU", "12"), id="pushing_back_against_a_position_rejects_it"),
    pytest.param("Rome said Tunisia's decision would harm the region.",
                 ("ITA", "TUN", "11"), id="saying_another_actor_does_wrong_is_criticism-5"),
    pytest.param("Oslo rejected Moscow's demands. The Nordic country also criticised Minsk.",
                 ("NOR", "BLR", "11"), id="a_reference_noun_with_a_region_word"),
    pytest.param("Japan and South Korea met in China. The two allies agreed to resume talks.",
                 ("JPN", "KOR", "03"), id="the_two_allies_are_the_pair_named_before"),
    pytest.param("Canberra decided to lift its sanctions on Fiji.",
                 ("AUS", "FJI", "08"), id="deciding_to_act_is_the_act"),
    pytest.param("Nepal and Bhutan agreed to reopen their border crossings.",
                 ("NPL", "BTN", "03"), id="agreeing_together_on_a_mutual_act-1"),
    pytest.param("Kenya offered to mediate between Ethiopia and Egypt.",
                 ("KEN", "EGY", "03"), id="offering_to_mediate_between_two"),
    pytest.param("Bangladesh handed over a demarche to Myanmar.",
                 ("BGD", "MMR", "11"), id="handing_over_a_protest_note"),
    pytest.param("Vilnius said Minsk poses a threat to the region.",
                 ("LTU", "BLR", "11"), id="saying_another_poses_a_threat_is_criticism"),
    pytest.param("Cairo described Ankara's maritime deal as illegal.",
                 ("EGY", "TUR", "11"), id="labelling_with_an_adjective_of_reproach-1"),
    pytest.param("A Peruvian official called Bolivia's decision deeply regrettable.",
                 ("PER", "BOL", "11"), id="labelling_with_an_adjective_of_reproach-2"),
    pytest.param("ECOWAS gave the junta in Mali a one-month ultimatum.",
                 ("ECOWAS", "MLI", "13"), id="a_ruling_body_named_by_its_seat"),
    pytest.param("Ankara condemned the regime in Damascus.",
                 ("TUR", "SYR", "11"), id="a_ruling_body_named_by_its_seat-2"),
    pytest.param("Baghdad accused Ankara of shelling a village in its northern region.",
                 ("TUR", "IRQ", "19"), id="force_on_a_place_its_owner_names"),
    pytest.param("Chisinau accused Minsk of helping Moscow.",
                 ("BLR", "RUS", "07"), id="helping_another_state_is_aid"),
    pytest.param("Kyiv said Minsk had crossed a red line.",
                 ("UKR", "BLR", "11"), id="saying_another_actor_does_wrong_is_criticism-4"),
    pytest.param("Paris suspended its participation in the NATO mission.",
                 ("FRA", "NATO", "16"), id="ending_ones_part_in_a_body-1"),
    pytest.param("Rome ended its involvement in the EU operation.",
                 ("ITA", "EU", "16"), id="ending_ones_part_in_a_body-2"),
    pytest.param("Kenya paused its cooperation with Uganda.",
                 ("KEN", "UGA", "16"), id="pausing_cooperation_reduces_relations"),
    pytest.param("Quito withdrew from the talks with Lima.",
                 ("ECU", "PER", "16"), id="leaving_talks_halts_them-1"),
    pytest.param("Quito pulled out of joint exercises with Lima.",
                 ("ECU", "PER", "16"), id="leaving_talks_halts_them-2"),
    pytest.param("Accra finalised a new trade framework with Lome.",
                 ("GHA", "TGO", "05"), id="finalising_a_deal"),
    pytest.param("\"The blame lies with Rwanda,\" a Congolese spokesman said.",
                 ("COD", "RWA", "11"), id="saying_the_blame_lies_with_another-1"),
    pytest.param("Kinshasa said responsibility for the attack rests with Kigali.",
                 ("COD", "RWA", "11"), id="saying_the_blame_lies_with_another-2"),
    pytest.param("Uganda conducted the raids with support from Kenya.",
                 ("KEN", "UGA", "06"), id="backing_a_material_act_is_material_cooperation-1"),
    pytest.param("The Ugandan raids were carried out with support from Kenya.",
                 ("KEN", "UGA", "06"), id="backing_a_material_act_is_material_cooperation-2"),
    pytest.param("Quito pulled out of the grain deal with Lima.",
                 ("ECU", "PER", "16"), id="pulling_out_of_a_deal_is_leaving_it"),
    pytest.param("Kenya withdrew its troops from Somalia.",
                 ("KEN", "SOM", "08"), id="a_withdrawal_of_troops_from_a_country"),
    pytest.param("The Ethiopian army pulled out of a disputed town near Eritrea.",
                 ("ETH", "ERI", "08"), id="a_withdrawal_by_armed_forces"),
    pytest.param("Canada joined Britain in imposing sanctions on Russia.",
                 ("CAN", "RUS", "16"), id="joining_another_in_an_act_does_it_too"),
    pytest.param("Kenya accused Uganda of shelling a border village, an allegation Kampala "
                 "denied.",
                 ("UGA", "KEN", "01"), id="denying_a_charge_answers_the_accuser-1"),
    pytest.param("Kenya has accused Uganda of arming rebels, which Kampala strongly denies.",
                 ("UGA", "KEN", "01"), id="denying_a_charge_answers_the_accuser-2"),
    pytest.param("Honduras and Taiwan launched diplomatic relations on Monday.",
                 ("HND", "TWN", "05"), id="launching_relations"),
    pytest.param("After ten hours of talks between Peru, Chile and Bolivia, the minister said "
                 "a deal was close.",
                 ("CHL", "BOL", "04"), id="talks_held_before_a_statement_took_place-2"),
    pytest.param("\"Seoul is a reliable partner,\" the Japanese minister said.",
                 ("JPN", "KOR", "05"), id="saying_another_actor_does_well_is_praise"),
    pytest.param("Moscow reinforced its garrison in response to Norway joining the NATO exercise.",
                 ("RUS", "NOR", "15"), id="an_act_in_response_to_another_answers_it"),
    pytest.param("Moscow said it would bolster its garrison in response to the Finnish move.",
                 ("RUS", "FIN", "13"), id="a_build_up_announced_for_the_future_is_a_threat"),
    pytest.param("Chile condemned the Bolivian move, as did Peru.",
                 ("PER", "BOL", "11"), id="as_did_another_is_the_same_act"),
    pytest.param("Kenya condemned the attacks carried out by Uganda.",
                 ("KEN", "UGA", "11"), id="what_an_actor_carried_out_is_its_own"),
    pytest.param("Kenya will not accept Uganda's demands.",
                 ("KEN", "UGA", "12"), id="refusing_to_accept_is_a_rejection-1"),
    pytest.param("Kenya would not tolerate Ugandan interference.",
                 ("KEN", "UGA", "12"), id="refusing_to_accept_is_a_rejection-2"),
    pytest.param("Cairo called the Ethiopia-Somaliland accord a flagrant violation of the law.",
                 ("EGY", "ETH", "11"), id="labelling_a_two_party_accord_a_violation"),
    pytest.param("Turkey carried out strikes on depots used by militias in Syria.",
                 ("TUR", "SYR", "19"), id="force_on_a_place_described_by_a_participle"),
    pytest.param("Turkish airstrikes began on militant positions in northern Iraq.",
                 ("TUR", "IRQ", "19"), id="force_named_as_the_subject_of_its_beginning"),
    pytest.param("During Erdogan's talks with Putin, the two leaders discussed grain.",
                 ("TUR", "RUS", "04"), id="a_meeting_in_a_during_phrase_took_place"),
    pytest.param("The minister spoke ahead of Putin's visit to Hanoi.",
                 ("RUS", "VNM", "04"), id="a_visit_ahead_of_which_something_happens"),
    pytest.param("During the visit of the Russian president to India, the two sides signed "
                 "a deal.",
                 ("RUS", "IND", "04"), id="the_visit_of_someone_to_a_host"),
    pytest.param("Poland and Lithuania banned Shoigu's flight to Minsk.",
                 ("POL", "RUS", "16"), id="an_act_on_what_another_actor_owns"),
    pytest.param("Chile recalled Chile's ambassador to Peru.",
                 ("CHL", "PER", "16"), id="an_act_on_what_the_actor_itself_owns"),
    pytest.param("Caracas said the OAS was a tool of imperialism.",
                 ("VEN", "OAS", "11"), id="saying_another_actor_is_a_term_of_reproach"),
    pytest.param("Kenya said Uganda's move was a provocation.",
                 ("KEN", "UGA", "11"), id="saying_another_actors_act_is_a_term_of_reproach"),
    pytest.param("Caracas expects the OAS to stop its interference.",
                 ("VEN", "OAS", "10"), id="expecting_another_to_act_is_a_demand-1"),
    pytest.param("Brussels is expecting loyalty from Skopje.",
                 ("EU", "MKD", "10"), id="expecting_another_to_act_is_a_demand-2"),
    pytest.param("Rome wants NATO allies to back the mission.",
                 ("ITA", "NATO", "02"), id="wanting_another_to_act_is_an_appeal"),
    pytest.param("Chile said it would uphold diplomatic ties with Bolivia.",
                 ("CHL", "BOL", "03"), id="upholding_ties_announced_is_intent"),
    pytest.param("Caracas ordered the expulsion of the Spanish ambassador, accusing him of "
                 "meddling.",
                 ("VEN", "ESP", "11"), id="him_is_the_official_named_by_title"),
    pytest.param("Two Vietnamese boats were surrounded by Chinese vessels and were threatened "
                 "with arrest.",
                 ("CHN", "VNM", "13"), id="coordinated_passives_share_their_agent"),
    pytest.param("Tbilisi went to court, saying that Moscow's stated reasons were baseless.",
                 ("GEO", "RUS", "11"), id="a_reproach_in_a_participle_of_speech"),
    pytest.param("Baku announced plans to deepen the Turkish-Azerbaijani relationship.",
                 ("AZE", "TUR", "03"), id="planning_to_deepen_a_two_party_relationship"),
    pytest.param("Russian warships docked in Baku.",
                 ("RUS", "AZE", "04"), id="a_naval_port_visit"),
    pytest.param("Nairobi called Kampala on Monday.",
                 ("KEN", "UGA", "04"), id="a_call_on_a_day_is_a_phone_call"),
    pytest.param("Nairobi called on Kampala on Monday to withdraw.",
                 ("KEN", "UGA", "02"), id="a_call_on_someone_on_a_day_is_an_appeal"),
    pytest.param("\"We will be ready to supply Sierra Leone, Liberia, Guinea, Senegal, Central "
                 "African Republic, and Gambia with rice in the coming weeks,\" the Chinese "
                 "minister said.",
                 ("CHN", "GMB", "03"), id="a_long_list_read_as_an_apposition"),
    pytest.param("The first meeting of the Kenya-Uganda joint commission was held in Kampala.",
                 ("UGA", "KEN", "04"), id="the_meeting_of_a_two_party_body"),
    pytest.param("Turkish President Erdogan, praising Azerbaijan for its restraint, told "
                 "reporters the war was over.",
                 ("TUR", "AZE", "05"), id="a_participle_set_off_after_its_doer"),
    pytest.param("Talks conducted by Qatar with Iran ended on Monday.",
                 ("QAT", "IRN", "04"), id="a_nominal_act_with_its_participle_doer"),
]


@pytest.mark.parametrize("sentence, expected", CONSTRUCTIONS)
def test_constructions(rules, sentence, expected):
    pairs, _ = code(rules, sentence)
    assert expected in pairs


@pytest.mark.parametrize("sentence", [
    "Ghana is not satisfied with Togo's answer.",
    "Ghana would be pleased if Togo joined.",
    "It is a critical moment for Ghana and Togo.",
])
def test_negated_or_conditional_feelings_and_attributive_adjectives_are_no_events(
        rules, sentence):
    pairs, _ = code(rules, sentence)
    assert not any(root in ("05", "11") for _, _, root in pairs)


def test_a_capital_where_two_sides_met_is_no_party(rules):
    pairs, _ = code(rules, "Peru and Chile met in Quito. Both sides signed a fisheries accord.")
    assert not any("ECU" in (s, t) for s, t, _ in pairs)


def test_what_is_discussed_is_a_topic_not_a_partner(rules):
    pairs, _ = code(rules, "Ecuador and Peru discussed Colombia.")
    assert ("ECU", "PER", "04") in pairs or ("PER", "ECU", "04") in pairs
    assert not any("COL" in (s, t) for s, t, _ in pairs)


def test_its_own_in_what_the_accused_did_is_the_accuseds(rules):
    pairs, _ = code(rules, "Seoul accused Tokyo of defending its own interests.")
    assert not any((s, t) == ("JPN", "KOR") for s, t, _ in pairs)


def test_triggering_sanctions_is_no_reaction_of_their_owner(rules):
    pairs, _ = code(rules, "Britain and France moved to trigger UN sanctions on Iran.")
    assert not any(s == "UN" and t in ("GBR", "FRA") for s, t, _ in pairs)


def test_a_list_inside_a_relative_clause_is_no_partner(rules):
    pairs, _ = code(rules, "Egypt pledged to send ships to the force that includes Chad "
                           "and Niger.")
    assert not any(t in ("TCD", "NER") for _, t, _ in pairs)


def test_a_reference_noun_with_a_region_word_skips_states_outside_it(rules):
    pairs, _ = code(rules, "Japan criticised Seoul. The Nordic country condemned Moscow.")
    assert not any(s in ("JPN", "KOR") and t == "RUS" for s, t, _ in pairs)


def test_posing_a_threat_is_a_judgement_not_a_threat(rules):
    pairs, _ = code(rules, "Vilnius said Minsk poses a threat to Lithuania.")
    assert not any(root == "13" for _, _, root in pairs)


def test_labelling_with_a_neutral_adjective_is_no_criticism(rules):
    pairs, _ = code(rules, "Lima called Bolivia's decision important.")
    assert not pairs


def test_giving_in_is_a_particle_not_a_place(rules):
    pairs, _ = code(rules, "Serbia gave in to the demands of the EU.")
    assert ("SRB", "EU", "08") in pairs
    pairs, _ = code(rules, "Japan gave Laos a loan in Vientiane.")
    assert not any(root == "08" for _, _, root in pairs)


@pytest.mark.parametrize("sentence", [
    "The meeting between Chad and Niger was postponed.",
    "The summit between Chad and Niger was called off.",
    "Chad cancelled the talks with Niger.",
])
def test_a_meeting_postponed_or_called_off_did_not_take_place(rules, sentence):
    pairs, _ = code(rules, sentence)
    assert not any(root == "04" for _, _, root in pairs)


def test_calling_off_talks_reduces_relations(rules):
    pairs, _ = code(rules, "Chad called off the talks with Niger.")
    assert ("TCD", "NER", "16") in pairs


def test_what_a_threat_is_made_of_is_no_event_of_its_own(rules):
    pairs, _ = code(rules, 'Finland joined NATO, drawing a threat from Moscow of '
                           '"countermeasures."')
    assert ("RUS", "FIN", "13") in pairs
    assert ("FIN", "RUS", "13") not in pairs


def test_releasing_a_statement_frees_nobody(rules):
    pairs, _ = code(rules, "Hungary released a statement on Serbia's elections.")
    assert not any(root == "08" for _, _, root in pairs)


@pytest.mark.parametrize("sentence, expected", [
    ("Latvia said the Russian consul would be expelled.", {("LVA", "RUS", "16")}),
    ("Latvia said on Monday that the Russian consul was to be expelled.", {("LVA", "RUS", "16")}),
    ("Interfax said the Russian consul would be expelled.", set()),
    ("Moscow said its consul had been expelled.", set()),
])
def test_a_state_announcing_an_act_of_state_in_the_passive_does_it(rules, sentence, expected):
    pairs, _ = code(rules, sentence)
    assert {p for p in pairs if p[2] == "16"} == expected


def test_the_broker_of_an_agreement_is_no_party_to_it(rules):
    _, events = code(rules, "Sudan and Chad reached a Qatar-brokered agreement.")
    assert {(e.source.code, e.target.code) for e in events} == {("SDN", "TCD")}


def test_cooperation_on_a_country_is_about_it_not_with_it(rules):
    pairs, _ = code(rules, "Seoul and Tokyo praised their cooperation on North Korea.")
    assert not any("PRK" in (s, t) for s, t, _ in pairs)


def test_telling_an_organisation_is_no_consultation(rules):
    pairs, _ = code(rules, "Ghana told the IMF that it backs Zambia's debt plan.")
    assert ("GHA", "ZMB", "05") in pairs
    assert not any(root == "04" for _, _, root in pairs)


def test_leaving_talks_is_not_also_a_troop_withdrawal(rules):
    pairs, _ = code(rules, "Quito pulled out of joint exercises with Lima.")
    assert ("ECU", "PER", "08") not in pairs
    pairs, _ = code(rules, "Kenya withdrew its troops from Somalia.")
    assert ("KEN", "SOM", "08") in pairs


def test_a_backer_is_not_the_one_struck(rules):
    pairs, _ = code(rules, "Uganda conducted the raids with support from Kenya.")
    assert not any(src == "UGA" and tgt == "KEN" for src, tgt, _ in pairs)


@pytest.mark.parametrize("sentence", [
    "The visit did not mean that Oslo was cutting ties with Minsk.",
    "Ankara has denied sending fighters to take part in the war against Armenia.",
    "Ankara denied sending troops to attack Armenia.",
    "Bamako's soldiers have fought Algeria-backed militias for years.",
])
def test_what_is_denied_or_not_meant_and_a_proxys_backer_are_no_events(rules, sentence):
    pairs, _ = code(rules, sentence)
    assert not any(root in ("16", "18", "19") for _, _, root in pairs), pairs


def test_praise_mixed_with_reproach_is_not_praise(rules):
    pairs, _ = code(rules, "Tokyo said Seoul was a reliable partner that had acted "
                           "irresponsibly.")
    assert ("JPN", "KOR", "05") not in pairs


def test_a_clause_set_against_the_main_one_names_no_target(rules):
    pairs, _ = code(rules, "Egypt dismissed the deal as illegal, while Greece said it was "
                           "absurd.")
    assert not any(tgt == "GRC" for _, tgt, _ in pairs)


def test_a_conditional_refusal_is_no_rejection(rules):
    pairs, _ = code(rules, "If Kenya does not accept Uganda's plan, the talks will fail.")
    assert not any(root == "12" for _, _, root in pairs)


def test_the_expulsion_of_an_envoy_acts_on_the_envoys_state(rules):
    pairs, _ = code(rules, "La Paz ordered the expulsion of the U.S. ambassador to Bolivia.")
    assert ("BOL", "USA", "16") in pairs


def test_what_an_actor_must_or_should_do_has_not_happened(rules):
    pairs, _ = code(rules, "Kenya said Uganda must stop arming the rebels.")
    assert ("KEN", "UGA", "10") in pairs
    assert not any(src == "UGA" for src, _, _ in pairs)
    pairs, _ = code(rules, "Uganda should suspend its operations in Kenya, the court said.")
    assert not any(root == "16" for _, _, root in pairs)


def test_a_victim_of_a_reproached_act_is_not_reproached(rules):
    pairs, _ = code(rules, "Kenya said Uganda was a victim of terrorism.")
    assert ("KEN", "UGA", "11") not in pairs


@pytest.mark.parametrize("text, expected", [
    ("The Egyptian foreign ministry issued a statement on Sunday. The ministry condemned "
     "Ethiopia's decision.", ("EGY", "ETH", "11")),
    ("The UN Security Council met on Friday. The council urged Israel to allow aid into Gaza.",
     ("UN", "ISR", "02")),
    ("Kenya's president spoke on Monday. The president criticised Uganda.",
     ("KEN", "UGA", "11")),
])
def test_a_body_noun_stands_for_the_actor_it_last_belonged_to(rules, text, expected):
    pairs, _ = code(rules, text)
    assert expected in pairs


def test_expecting_to_act_oneself_is_no_demand(rules):
    pairs, _ = code(rules, "Kenya expects to sign a deal with Uganda.")
    assert not any(root in ("02", "10") for _, _, root in pairs)


def test_a_main_clause_it_continues_the_last_sentences_first_actor(rules):
    pairs, _ = code(rules, "Russia cut gas supplies to Kyiv on Monday. It said Ukraine must "
                           "pay its debts first.")
    assert ("RUS", "UKR", "10") in pairs


def test_a_habit_is_not_an_event(rules):
    pairs, _ = code(rules, "Indian warships routinely hold drills near Sri Lanka.")
    assert not pairs
    pairs, _ = code(rules, "Indian warships held drills near Sri Lanka.")
    assert ("IND", "LKA", "15") in pairs
