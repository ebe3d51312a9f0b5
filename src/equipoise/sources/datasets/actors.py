"""The states, blocs and sectors the datasets name, in the store's vocabulary: CAMEO country
and group codes, country and bloc names from the gazetteer, and sector codes and words.
"""

from __future__ import annotations

import functools
import unicodedata

from equipoise.reference.actors import load_actor_entries
from equipoise.reference.data import data_rows

# GDELT actor type codes (CAMEO's) as the store's sectors; anything else counts as GOV.
_GDELT_SECTORS = {
    "GOV": "GOV", "LEG": "GOV", "JUD": "GOV", "COP": "GOV", "SPY": "GOV", "ELI": "GOV",
    "MIL": "MIL",
    "MED": "MED",
    "OPP": "OPP", "MOD": "OPP", "RAD": "OPP",
    "REB": "REB", "INS": "REB", "SEP": "REB", "UAF": "REB",
    "BUS": "BUS", "MNC": "BUS",
    "CVL": "CVL", "EDU": "CVL", "HLH": "CVL", "LAB": "CVL", "AGR": "CVL", "REF": "CVL",
    "HRI": "CVL", "NGO": "CVL", "NGM": "CVL", "REL": "CVL", "SET": "CVL", "CRM": "CVL",
    "DEV": "CVL", "ENV": "CVL",
    "IGO": "IGO",
}  # fmt: skip

# ICEWS sector words, most telling first: an actor listed as "Military,Government" is MIL.
_ICEWS_SECTORS = (
    ("nongovernmental", "CVL"),
    ("insurgent", "REB"), ("rebel", "REB"), ("separatist", "REB"),
    ("opposition", "OPP"), ("dissident", "OPP"), ("protestor", "OPP"),
    ("military", "MIL"), ("army", "MIL"), ("navy", "MIL"), ("air force", "MIL"),
    ("marines", "MIL"), ("defense", "MIL"),
    ("media", "MED"), ("news", "MED"),
    ("business", "BUS"), ("corporation", "BUS"),
    ("government", "GOV"), ("executive", "GOV"), ("legislative", "GOV"), ("judicial", "GOV"),
    ("cabinet", "GOV"), ("ministry", "GOV"), ("police", "GOV"), ("intelligence", "GOV"),
    ("civilian", "CVL"), ("social", "CVL"),
)  # fmt: skip
# Which sector an actor with several counts as. Government ranks above business: ICEWS lists
# a head of state who owns companies as "...,Business,Government,..." and a state-owned
# company's officials the same way; what they do between states they do for the state.
_SECTOR_RANK = {s: i for i, s in enumerate(("REB", "OPP", "MIL", "MED", "GOV", "BUS", "CVL"))}


@functools.cache
def _cameo_codes() -> tuple[dict[str, str | None], dict[str, str]]:
    """CAMEO country codes that are not ISO3 (None for regions), and known group codes."""
    countries: dict[str, str | None] = {}
    groups: dict[str, str] = {}
    for row in data_rows("cameo_country_codes.csv"):
        cameo, code = row["cameo"].strip(), row["code"].strip()
        if row["kind"] == "group":
            groups[cameo] = code
        else:
            countries[cameo] = code or None
    return countries, groups


@functools.cache
def _actor_names() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    """ISO3 codes of the gazetteer's states; state names and aliases; bloc names."""
    isos: set[str] = set()
    states: dict[str, str] = {}
    blocs: dict[str, str] = {}
    for entry in load_actor_entries():
        if entry.kind in ("name", "alias") and entry.country is not None:
            isos.add(entry.code)
            states.setdefault(_fold(entry.pattern), entry.code)
        elif entry.kind in ("bloc", "institution") and entry.country is None:
            blocs.setdefault(_fold(entry.pattern), entry.code)
    return frozenset(isos), states, blocs


def _fold(name: str) -> str:
    """Lower case without accents or surrounding space: "Côte d'Ivoire" -> "cote d'ivoire"."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Names ICEWS uses that the gazetteer does not list.
_ICEWS_NAMES = {
    "occupied palestinian territory": "PSE",
    "the former yugoslav republic of macedonia": "MKD",
    "macedonia, the former yugoslav republic of": "MKD",
}


def _icews_country(name: str) -> str | None:
    states = _actor_names()[1]
    folded = _fold(name)
    if folded in _ICEWS_NAMES:
        return _ICEWS_NAMES[folded]
    if folded in states:
        return states[folded]
    if ", " in folded:  # "korea, republic of" -> "republic of korea"
        head, _, tail = folded.partition(", ")
        return states.get(f"{tail} {head}")
    return None


def icews_sector(sectors: str) -> str:
    """The store's sector for an ICEWS sector list ("Military,Government" -> MIL).

    An actor with no sector is the state itself (GOV); one whose sectors say nothing the
    store distinguishes (parties, religious or ethnic groups) counts as civilian.
    """
    found = set()
    for word in sectors.lower().split(","):
        for key, sector in _ICEWS_SECTORS:
            if key in word:
                found.add(sector)
                break
    if not found:
        return "GOV" if not sectors.strip() else "CVL"
    return min(found, key=_SECTOR_RANK.__getitem__)


def _state(value: str) -> str | None:
    """ISO3 of a state given by ISO3 code or by name; None for anything else."""
    isos = _actor_names()[0]
    code = value.strip().upper()
    if code in isos:
        return code
    return _icews_country(value) if value.strip() else None


def _bloc(name: str) -> str | None:
    blocs = _actor_names()[2]
    return blocs.get(_fold(name))
