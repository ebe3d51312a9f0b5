"""Finding actors: names, demonyms, capitals, metonyms, blocs and office holders."""

from __future__ import annotations

import datetime as dt

import pytest

from equipoise.coding.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


def codes(gazetteer, text, when=dt.date(2020, 8, 1)):
    return [(m.text, m.code, m.sector) for m in gazetteer.find(text, when)]


def test_names_demonyms_capitals_and_metonyms(gazetteer):
    found = codes(gazetteer, "The Kremlin said Turkish troops left Baku for Yerevan.")
    assert [(t, c) for t, c, _ in found] == [
        ("Kremlin", "RUS"), ("Turkish", "TUR"), ("Baku", "AZE"), ("Yerevan", "ARM")]


def test_blocs_are_their_own_actors(gazetteer):
    found = codes(gazetteer, "NATO and the European Union met the Collective Security Treaty "
                             "Organization.")
    assert [c for _, c, _ in found] == ["NATO", "EU", "CSTO"]


def test_longest_match_wins(gazetteer):
    assert [c for _, c, _ in codes(gazetteer, "The Washington Post quoted Washington.")] == [
        "USA", "USA"]
    assert [s for _, _, s in codes(gazetteer, "The Washington Post quoted Washington.")] == [
        "MED", "GOV"]


def test_turks_and_caicos_is_not_turkey(gazetteer):
    assert [c for _, c, _ in codes(gazetteer, "Turks and Caicos is not Turkey.")] == ["TUR"]


def test_the_us_state_of_georgia_is_not_the_country(gazetteer):
    assert codes(gazetteer, "Rain fell in Atlanta, Georgia on Monday.") == []
    assert [c for _, c, _ in codes(gazetteer, "Georgia asked Moscow to withdraw.")] == [
        "GEO", "RUS"]


def test_diacritics_are_folded(gazetteer):
    plain = codes(gazetteer, "Cavusoglu met Erdogan.")
    accented = codes(gazetteer, "Çavuşoğlu met Erdoğan.")
    assert [c for _, c, _ in plain] == [c for _, c, _ in accented] == ["TUR", "TUR"]


def test_office_holders_count_for_their_country_only_in_office(gazetteer):
    assert codes(gazetteer, "Cavusoglu spoke.", dt.date(2020, 8, 1)) == [
        ("Cavusoglu", "TUR", "GOV")]
    assert codes(gazetteer, "Cavusoglu spoke.", dt.date(2024, 6, 1)) == []


def test_defence_ministers_are_military(gazetteer):
    [(_, code, sector)] = codes(gazetteer, "Hulusi Akar arrived.", dt.date(2020, 7, 1))
    assert (code, sector) == ("TUR", "MIL")


def test_offsets_point_into_the_original_text(gazetteer):
    text = "Yesterday Erdoğan's envoy flew to Moscow."
    for m in gazetteer.find(text, dt.date(2020, 1, 1)):
        assert text[m.start:m.end] == m.text


def test_territories_name_their_state(gazetteer):
    found = gazetteer.find("Peacekeepers arrived in Nagorno-Karabakh and Crimea.",
                           dt.date(2020, 11, 10))
    assert [(m.text, m.code, m.kind) for m in found] == [
        ("Nagorno-Karabakh", "AZE", "territory"), ("Crimea", "UKR", "territory")]


@pytest.mark.parametrize("text", [
    "Hungary said it would leave the Rome Statute.",
    "Hungary praised the Lima Group for its work.",
    "Hungary stayed in the Paris Agreement.",
    "Hungary signed the Treaty of Lisbon years ago.",
    "Hungary joined the Astana format as an observer.",
])
def test_a_place_inside_a_longer_proper_name_is_no_actor(gazetteer, text):
    assert [c for _, c, _ in codes(gazetteer, text)] == ["HUN"]


def test_a_place_outside_a_name_is_still_an_actor(gazetteer):
    found = codes(gazetteer, "Paris agreed with Rome on the statute of the group.")
    assert [c for _, c, _ in found] == ["FRA", "ITA"]
