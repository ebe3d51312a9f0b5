"""The actor gazetteer shipped with equipoise, and the loader that reads it."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import defaultdict
from importlib import resources
from pathlib import Path

import pytest

from equipoise.reference.actors import (
    ROLES,
    SECTORS,
    ActorEntry,
    load_actor_entries,
    load_exclusions,
    load_groups,
    load_region_words,
    load_sector_words,
)

DATA = Path(str(resources.files("equipoise").joinpath("data", "actors")))

# The 193 member states of the United Nations.
UN_MEMBERS = [
    "AFG", "ALB", "DZA", "AND", "AGO", "ATG", "ARG", "ARM", "AUS", "AUT", "AZE", "BHS", "BHR",
    "BGD", "BRB", "BLR", "BEL", "BLZ", "BEN", "BTN", "BOL", "BIH", "BWA", "BRA", "BRN", "BGR",
    "BFA", "BDI", "CPV", "KHM", "CMR", "CAN", "CAF", "TCD", "CHL", "CHN", "COL", "COM", "COG",
    "CRI", "CIV", "HRV", "CUB", "CYP", "CZE", "PRK", "COD", "DNK", "DJI", "DMA", "DOM", "ECU",
    "EGY", "SLV", "GNQ", "ERI", "EST", "SWZ", "ETH", "FJI", "FIN", "FRA", "GAB", "GMB", "GEO",
    "DEU", "GHA", "GRC", "GRD", "GTM", "GIN", "GNB", "GUY", "HTI", "HND", "HUN", "ISL", "IND",
    "IDN", "IRN", "IRQ", "IRL", "ISR", "ITA", "JAM", "JPN", "JOR", "KAZ", "KEN", "KIR", "KWT",
    "KGZ", "LAO", "LVA", "LBN", "LSO", "LBR", "LBY", "LIE", "LTU", "LUX", "MDG", "MWI", "MYS",
    "MDV", "MLI", "MLT", "MHL", "MRT", "MUS", "MEX", "FSM", "MDA", "MCO", "MNG", "MNE", "MAR",
    "MOZ", "MMR", "NAM", "NRU", "NPL", "NLD", "NZL", "NIC", "NER", "NGA", "MKD", "NOR", "OMN",
    "PAK", "PLW", "PAN", "PNG", "PRY", "PER", "PHL", "POL", "PRT", "QAT", "KOR", "ROU", "RUS",
    "RWA", "KNA", "LCA", "VCT", "WSM", "SMR", "STP", "SAU", "SEN", "SRB", "SYC", "SLE", "SGP",
    "SVK", "SVN", "SLB", "SOM", "ZAF", "SSD", "ESP", "LKA", "SDN", "SUR", "SWE", "CHE", "SYR",
    "TJK", "THA", "TLS", "TGO", "TON", "TTO", "TUN", "TUR", "TKM", "TUV", "UGA", "UKR", "ARE",
    "GBR", "TZA", "USA", "URY", "UZB", "VUT", "VEN", "VNM", "YEM", "ZMB", "ZWE"
]


@pytest.fixture(scope="module")
def entries() -> list[ActorEntry]:
    return load_actor_entries()


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _holders(entries, pattern: str, when: dt.date) -> list[ActorEntry]:
    """Person entries for ``pattern`` whose tenure covers ``when``."""
    return [
        e for e in entries
        if e.kind == "person" and e.pattern == pattern
        and (e.valid_from is None or e.valid_from <= when)
        and (e.valid_to is None or when <= e.valid_to)
    ]


# -- states and blocs -------------------------------------------------------------------


def test_every_un_member_state_is_listed():
    assert len(UN_MEMBERS) == len(set(UN_MEMBERS)) == 193
    codes = {row["iso3"] for row in _csv("countries.csv")}
    assert len(codes) >= 193
    assert set(UN_MEMBERS) <= codes
    assert {"PSE", "VAT", "TWN", "XKX"} <= codes


def test_country_and_bloc_codes_are_unique_and_disjoint():
    countries = [row["iso3"] for row in _csv("countries.csv")]
    blocs = [row["code"] for row in _csv("blocs.csv")]
    assert len(countries) == len(set(countries))
    assert len(blocs) == len(set(blocs))
    assert not set(countries) & set(blocs)
    assert {"NATO", "EU", "CSTO", "EEU", "CIS", "OSCE", "UN", "OTS", "GUAM", "SCO", "ASEAN",
            "AU", "ARL"} <= set(blocs)


def test_states_are_coded_by_name_alias_demonym_and_capital(entries):
    def lookup(pattern):
        return {(e.code, e.country, e.sector, e.kind) for e in entries if e.pattern == pattern}

    assert lookup("Russia") == {("RUS", "RUS", "GOV", "name")}
    assert ("USA", "USA", "GOV", "alias") in lookup("U.S.")
    assert lookup("Azeri") == {("AZE", "AZE", "GOV", "adjective")}
    assert lookup("Azerbaijanis") == {("AZE", "AZE", "CVL", "people")}
    assert lookup("Tbilisi") == {("GEO", "GEO", "GOV", "capital")}
    assert lookup("Burma") == {("MMR", "MMR", "GOV", "alias")}
    assert lookup("Türkiye") == {("TUR", "TUR", "GOV", "alias")}
    assert lookup("Kyiv") == lookup("Kiev") == {("UKR", "UKR", "GOV", "capital")}


def test_blocs_have_no_country_and_sector_igo(entries):
    nato = {(e.code, e.country, e.sector, e.kind) for e in entries if e.pattern == "NATO"}
    assert nato == {("NATO", None, "IGO", "bloc"), ("NATO", None, "IGO", "bloc_adjective")}
    assert {e.code for e in entries if e.pattern == "Turkic Council"} == {"OTS"}
    assert {e.code for e in entries if e.pattern == "OSCE Minsk Group"} == {"OSCE"}


def test_no_timeless_pattern_names_two_actors(entries):
    codes = defaultdict(set)
    for e in entries:
        if e.kind != "person":
            codes[e.pattern].add(e.code)
    assert {p: c for p, c in codes.items() if len(c) > 1} == {}


# -- institutions and people ------------------------------------------------------------


def test_every_institution_and_person_code_resolves():
    known = {row["iso3"] for row in _csv("countries.csv")} | {
        row["code"] for row in _csv("blocs.csv")
    }
    for name in ("institutions.csv", "people.csv"):
        rows = _csv(name)
        assert {row["code"] for row in rows} <= known, name
        assert {row["sector"] for row in rows} <= SECTORS, name
    assert {row["role"] for row in _csv("people.csv")} <= ROLES


def test_institutions_carry_country_and_sector(entries):
    def lookup(pattern):
        return {(e.code, e.country, e.sector) for e in entries if e.pattern == pattern}

    assert lookup("Kremlin") == {("RUS", "RUS", "GOV")}
    assert lookup("Pentagon") == {("USA", "USA", "MIL")}
    assert lookup("Anadolu Agency") == {("TUR", "TUR", "MED")}
    assert lookup("European Commission") == {("EU", None, "IGO")}


def test_tenure_dates_are_ordered():
    for row in _csv("people.csv"):
        start = dt.date.fromisoformat(row["start"]) if row["start"] else None
        end = dt.date.fromisoformat(row["end"]) if row["end"] else None
        assert start is None or end is None or start <= end, row


def test_people_are_known_only_during_their_tenure(entries):
    cavusoglu = _holders(entries, "Çavuşoğlu", dt.date(2020, 8, 1))
    assert [(e.code, e.sector) for e in cavusoglu] == [("TUR", "GOV")]
    assert _holders(entries, "Çavuşoğlu", dt.date(2024, 6, 1)) == []
    assert {e.code for e in _holders(entries, "Fidan", dt.date(2024, 6, 1))} == {"TUR"}
    assert {e.sector for e in _holders(entries, "Shoigu", dt.date(2020, 1, 1))} == {"MIL"}
    assert {e.sector for e in _holders(entries, "Shoigu", dt.date(2025, 1, 1))} == {"GOV"}
    assert {e.code for e in _holders(entries, "Stoltenberg", dt.date(2020, 1, 1))} == {"NATO"}


def test_office_holders_cover_every_year_since_2010_for_the_core_states():
    rows = _csv("people.csv")
    held = defaultdict(list)
    for row in rows:
        start = dt.date.fromisoformat(row["start"]) if row["start"] else dt.date.min
        end = dt.date.fromisoformat(row["end"]) if row["end"] else dt.date.max
        held[row["code"], row["role"]].append((start, end))
    for code in ("USA", "RUS", "CHN", "TUR", "AZE", "ARM", "GEO", "UKR", "IRN", "ISR"):
        for role in ("foreign_minister", "defence_minister"):
            for year in range(2010, 2026):
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
                assert any(s <= last and first <= e for s, e in held[code, role]), (
                    code, role, year)


# -- sector words and exclusions --------------------------------------------------------


def test_sector_words_give_the_sector_of_a_role():
    words = load_sector_words()
    assert words["defence minister"] == words["defense minister"] == "MIL"
    assert words["troops"] == "MIL"
    assert words["foreign minister"] == "GOV"
    assert words["state television"] == "MED"
    assert words["separatists"] == "REB"
    assert all(pattern == pattern.lower() for pattern in words)


def test_exclusions_cancel_the_us_state_of_georgia():
    (georgia,) = [rule for rule in load_exclusions() if rule.pattern == "Georgia"]
    assert georgia.cancels("a rally in Atlanta, ", " on Tuesday")
    assert georgia.cancels("the ", " governor said")
    assert not georgia.cancels("Russia and ", " signed a deal")


# -- the loader -------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    for name in ("countries.csv", "blocs.csv", "institutions.csv", "people.csv",
                 "sectors.csv", "exclusions.csv", "groups.csv", "regions.csv",
                 "region_words.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _append(path: Path, line: str) -> int:
    """Append ``line`` to ``path`` and return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("people.csv", "Jane Doe,,RUS,GOV,other,2020-01-01", "expected 7 columns"),
        ("people.csv", "Jane Doe,,RUS,GOV,other,2020-13-01,", "bad date"),
        ("people.csv", "Jane Doe,,RUS,GOV,other,2021-01-01,2020-01-01", "before start"),
        ("people.csv", "Jane Doe,,XYZ,GOV,other,2020-01-01,", "unknown code"),
        ("people.csv", "Jane Doe,,RUS,GOV,mayor,2020-01-01,", "unknown role"),
        ("institutions.csv", "Ministry of Truth,RUS,PROPAGANDA", "unknown sector"),
        ("institutions.csv", "Ministry of Truth,ZZZ,GOV", "unknown code"),
        ("countries.csv", "RUS,Russia again,,,,", "duplicate iso3"),
        ("groups.csv", "DUO,The Duo,,ARM,", "at least two members"),
        ("groups.csv", "DUO,The Duo,,ARM;XYZ,", "unknown country code"),
    ],
)
def test_a_malformed_row_names_the_file_and_line(data_copy, name, line, message):
    number = _append(data_copy / name, line)
    with pytest.raises(ValueError, match=message) as err:
        load_actor_entries(data_copy)
    assert f"{name}:{number}:" in str(err.value)


def test_a_malformed_region_word_names_the_file_and_line(data_copy):
    number = _append(data_copy / "region_words.csv", "atlantean,Atlantis,")
    with pytest.raises(ValueError, match=rf"region_words\.csv:{number}: .*neither"):
        load_region_words(data_copy)


def test_a_malformed_sector_or_exclusion_row_names_the_file_and_line(data_copy):
    number = _append(data_copy / "sectors.csv", "Defence Minister,MIL")
    with pytest.raises(ValueError, match=rf"sectors\.csv:{number}: .*lower case"):
        load_sector_words(data_copy)
    number = _append(data_copy / "exclusions.csv", 'Chad,"(unclosed",,')
    with pytest.raises(ValueError, match=rf"exclusions\.csv:{number}: bad regular"):
        load_exclusions(data_copy)


def test_a_user_directory_can_replace_the_packaged_data(tmp_path: Path):
    (tmp_path / "countries.csv").write_text(
        "iso3,name,aliases,adjectives,people,capitals\n"
        "# a comment line\n"
        "ARM,Armenia,,Armenian,Armenians,Yerevan\n", encoding="utf-8")
    (tmp_path / "blocs.csv").write_text("code,name,aliases,adjectives\n", encoding="utf-8")
    (tmp_path / "institutions.csv").write_text("pattern,code,sector\n", encoding="utf-8")
    (tmp_path / "people.csv").write_text(
        "name,aliases,code,sector,role,start,end\n"
        "Nikol Pashinyan,Pashinyan,ARM,GOV,head_of_government,2018-05-08,\n", encoding="utf-8")
    entries = load_actor_entries(tmp_path)
    assert [e.pattern for e in entries] == [
        "Armenia", "Armenian", "Armenians", "Yerevan", "Nikol Pashinyan", "Pashinyan"]
    assert entries[-1].valid_from == dt.date(2018, 5, 8)
    assert entries[-1].valid_to is None


def test_region_words_name_the_states_of_their_region():
    words = load_region_words()
    assert words["central asian"] == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert "NOR" in words["nordic"] and "NOR" in words["european"]
    assert "NOR" not in words["asian"]


def test_an_informal_group_names_its_member_states():
    groups = load_groups()
    names, members = groups["E3"]
    assert "E3" in names and set(members) == {"GBR", "FRA", "DEU"}
    assert set(groups["BALTS"][1]) == {"EST", "LVA", "LTU"}
    # groups are not organisations: none shares a code with a bloc of the scheme
    blocs = {e.code for e in load_actor_entries() if e.kind == "bloc"}
    assert not blocs & set(groups)
