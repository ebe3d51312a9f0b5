"""Load the actor gazetteer: states, blocs, institutions, office holders and context rules.

The CSV files live in ``equipoise/data/actors`` (their README describes each column).
Every row is checked as it is read; a malformed row raises :class:`ValueError` naming the
file and line. Matching itself is done by :mod:`equipoise.coding.gazetteer`.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

SECTORS = frozenset({"GOV", "MIL", "MED", "CVL", "OPP", "BUS", "REB", "IGO"})
ROLES = frozenset({
    "head_of_state", "head_of_government", "foreign_minister", "defence_minister",
    "chief_of_staff", "igo_leader", "other",
})

_HEADERS = {
    "countries.csv": ("iso3", "name", "aliases", "adjectives", "people", "capitals"),
    "blocs.csv": ("code", "name", "aliases", "adjectives"),
    "institutions.csv": ("pattern", "code", "sector"),
    "territories.csv": ("pattern", "code", "note"),
    "groups.csv": ("code", "name", "aliases", "members", "note"),
    "regions.csv": ("iso3", "subregion"),
    "region_words.csv": ("word", "members", "note"),
    "people.csv": ("name", "aliases", "code", "sector", "role", "start", "end"),
    "sectors.csv": ("pattern", "sector"),
    "exclusions.csv": ("pattern", "not_if_before", "not_if_after", "note"),
    "name_heads.csv": ("word", "side", "note"),
}
_ISO3 = re.compile(r"[A-Z]{3}")
_BLOC = re.compile(r"[A-Z][A-Z0-9]{1,9}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One surface form and the actor it stands for.

    People carry their tenure in ``valid_from``/``valid_to`` (inclusive, None for open);
    every other entry is timeless.
    """

    pattern: str  # surface text to match, as written
    code: str  # ISO3 or bloc code
    country: str | None  # ISO3 for state actors, None for blocs
    sector: str  # GOV, MIL, MED, CVL, OPP, BUS, REB, IGO
    kind: str  # name, alias, adjective, people, capital, bloc, bloc_adjective, institution,
    # person, territory, group
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A context rule that cancels a match of ``pattern``.

    ``not_if_before`` is searched in the text just before the match (anchor it with ``$``);
    ``not_if_after`` is matched at the start of the text just after it.
    """

    pattern: str
    not_if_before: re.Pattern[str] | None
    not_if_after: re.Pattern[str] | None

    def cancels(self, before: str, after: str) -> bool:
        """True if the context around a match rules it out."""
        if self.not_if_before is not None and self.not_if_before.search(before):
            return True
        return self.not_if_after is not None and self.not_if_after.match(after) is not None


def load_actor_entries(directory: Path | None = None) -> list[ActorEntry]:
    """All entries from countries, blocs, institutions, territories and people, in that order."""
    base = _base(directory)
    entries: list[ActorEntry] = []
    countries: set[str] = set()
    for where, row in _rows(base, "countries.csv"):
        iso3 = _code(row["iso3"], _ISO3, "iso3", where)
        if iso3 in countries:
            raise ValueError(f"{where}: duplicate iso3 {iso3!r}")
        countries.add(iso3)
        name = _required(row["name"], "name", where)
        for kind, sector, values in (
            ("name", "GOV", [name]),
            ("alias", "GOV", _split(row["aliases"])),
            ("adjective", "GOV", _split(row["adjectives"])),
            ("people", "CVL", _split(row["people"])),
            ("capital", "GOV", _split(row["capitals"])),
        ):
            entries.extend(ActorEntry(v, iso3, iso3, sector, kind) for v in values)

    blocs: set[str] = set()
    for where, row in _rows(base, "blocs.csv"):
        code = _code(row["code"], _BLOC, "bloc code", where)
        if code in blocs or code in countries:
            raise ValueError(f"{where}: duplicate code {code!r}")
        blocs.add(code)
        names = [_required(row["name"], "name", where), *_split(row["aliases"])]
        entries.extend(ActorEntry(v, code, None, "IGO", "bloc") for v in _unique(names))
        entries.extend(
            ActorEntry(v, code, None, "IGO", "bloc_adjective") for v in _split(row["adjectives"])
        )

    def resolve(code: str, where: str) -> str | None:
        if code in countries:
            return code
        if code in blocs:
            return None
        raise ValueError(f"{where}: unknown code {code!r} (neither a country nor a bloc)")

    for where, row in _rows(base, "institutions.csv"):
        code = row["code"].strip()
        country = resolve(code, where)
        sector = _sector(row["sector"], where)
        pattern = _required(row["pattern"], "pattern", where)
        entries.append(ActorEntry(pattern, code, country, sector, "institution"))

    # Places that stand for the state they belong to, only as the target of an action on the
    # ground ("deployed peacekeepers to Nagorno-Karabakh"): see the extractor's pairing rules.
    # Optional, so a user's own actor folder without the file still loads.
    territories = _rows(base, "territories.csv") if (base / "territories.csv").is_file() else ()
    for where, row in territories:
        code = _code(row["code"], _ISO3, "code", where)
        if code not in countries:
            raise ValueError(f"{where}: unknown country code {code!r}")
        pattern = _required(row["pattern"], "pattern", where)
        entries.append(ActorEntry(pattern, code, code, "GOV", "territory"))

    for code, (group_names, _members) in load_groups(directory).items():
        entries.extend(ActorEntry(v, code, None, "GOV", "group") for v in group_names)

    for where, row in _rows(base, "people.csv"):
        code = row["code"].strip()
        country = resolve(code, where)
        sector = _sector(row["sector"], where)
        if row["role"].strip() not in ROLES:
            raise ValueError(f"{where}: unknown role {row['role']!r}")
        start, end = _date(row["start"], where), _date(row["end"], where)
        if start and end and end < start:
            raise ValueError(f"{where}: end {end} is before start {start}")
        names = [_required(row["name"], "name", where), *_split(row["aliases"])]
        entries.extend(
            ActorEntry(v, code, country, sector, "person", start, end) for v in _unique(names)
        )
    return entries


def load_groups(directory: Path | None = None
                ) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Informal groupings of states (the E3, the Baltic states) that are no organisation of
    their own: code -> (names, member ISO3 codes). A mention of one names each member."""
    base = _base(directory)
    if not (base / "groups.csv").is_file():  # optional in a user's own actor folder
        return {}
    countries = {row["iso3"].strip() for _, row in _rows(base, "countries.csv")}
    groups: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for where, row in _rows(base, "groups.csv"):
        code = _code(row["code"], _BLOC, "group code", where)
        if code in groups or code in countries:
            raise ValueError(f"{where}: duplicate code {code!r}")
        members = tuple(_split(row["members"]))
        if len(members) < 2:
            raise ValueError(f"{where}: a group needs at least two members")
        for m in members:
            if m not in countries:
                raise ValueError(f"{where}: unknown country code {m!r}")
        names = tuple(_unique([_required(row["name"], "name", where), *_split(row["aliases"])]))
        groups[code] = (names, members)
    return groups


def load_region_words(directory: Path | None = None) -> dict[str, frozenset[str]]:
    """Words of region ('Nordic', 'Central Asian') -> the ISO3 codes of the states they fit.

    A member is a UN M49 subregion (from regions.csv) or an ISO3 code. Optional files: an
    actor folder without them gives an empty mapping.
    """
    base = _base(directory)
    if not (base / "regions.csv").is_file() or not (base / "region_words.csv").is_file():
        return {}
    countries = {row["iso3"].strip() for _, row in _rows(base, "countries.csv")}
    subregions: dict[str, set[str]] = {}
    for where, row in _rows(base, "regions.csv"):
        iso3 = row["iso3"].strip()
        if iso3 not in countries:
            raise ValueError(f"{where}: unknown country code {iso3!r}")
        subregions.setdefault(_required(row["subregion"], "subregion", where), set()).add(iso3)
    words: dict[str, frozenset[str]] = {}
    for where, row in _rows(base, "region_words.csv"):
        word = _required(row["word"], "word", where)
        if word != word.lower():
            raise ValueError(f"{where}: word {word!r} must be lower case")
        members: set[str] = set()
        for m in _split(row["members"]):
            if m in subregions:
                members |= subregions[m]
            elif m in countries:
                members.add(m)
            else:
                raise ValueError(f"{where}: {m!r} is neither a subregion nor a country code")
        if not members:
            raise ValueError(f"{where}: no members")
        words[word] = frozenset(members)
    return words


def load_sector_words(directory: Path | None = None) -> dict[str, str]:
    """Lower-case role and institution nouns ("defence minister") mapped to their sector."""
    words: dict[str, str] = {}
    for where, row in _rows(_base(directory), "sectors.csv"):
        pattern = " ".join(_required(row["pattern"], "pattern", where).split())
        if pattern != pattern.lower():
            raise ValueError(f"{where}: sector pattern {pattern!r} must be lower case")
        sector = _sector(row["sector"], where)
        if words.get(pattern, sector) != sector:
            raise ValueError(f"{where}: {pattern!r} already has sector {words[pattern]}")
        words[pattern] = sector
    return words


def load_exclusions(directory: Path | None = None) -> list[Exclusion]:
    """Context rules from exclusions.csv, with their regular expressions compiled."""
    rules: list[Exclusion] = []
    for where, row in _rows(_base(directory), "exclusions.csv"):
        pattern = _required(row["pattern"], "pattern", where)
        before = _regex(row["not_if_before"], where)
        after = _regex(row["not_if_after"], where)
        if before is None and after is None:
            raise ValueError(f"{where}: neither not_if_before nor not_if_after is given")
        rules.append(Exclusion(pattern, before, after))
    return rules


# -- helpers ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameHeads:
    """Words that make a place name part of a longer proper name (a treaty, a group)."""

    after: frozenset[str]  # "Minsk Group": the word right after the place
    before: frozenset[str]  # "Treaty of Lisbon": the word before "of (the)"


def load_name_heads(directory: Path | None = None) -> NameHeads:
    """Rows of name_heads.csv; ``side`` is ``after`` or ``before``."""
    sides: dict[str, set[str]] = {"after": set(), "before": set()}
    for where, row in _rows(_base(directory), "name_heads.csv"):
        word, side = row["word"].strip(), row["side"].strip()
        if not word or side not in sides:
            raise ValueError(f"{where}: need a word and a side of 'after' or 'before'")
        sides[side].add(word)
    return NameHeads(frozenset(sides["after"]), frozenset(sides["before"]))


def _base(directory: Path | None) -> Path | Traversable:
    if directory is not None:
        return Path(directory)
    return resources.files("equipoise").joinpath("data", "actors")


def _rows(base: Path | Traversable, name: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ``("file:line", row)`` for each data row; blank and ``#`` lines are skipped."""
    path = base.joinpath(name)
    header = _HEADERS[name]
    # The stub of Traversable.open lacks newline=, which the package files accept.
    with path.open(encoding="utf-8", newline="") as f:  # type: ignore[call-overload]
        reader = csv.reader(f)
        first = next(reader, None)
        if first is None or tuple(c.strip() for c in first) != header:
            raise ValueError(f"{path}:1: expected header {','.join(header)}")
        for cells in reader:
            where = f"{path}:{reader.line_num}"
            if not cells or not any(c.strip() for c in cells) or cells[0].startswith("#"):
                continue
            if len(cells) != len(header):
                raise ValueError(
                    f"{where}: expected {len(header)} columns, found {len(cells)}"
                )
            yield where, dict(zip(header, cells, strict=True))


def _split(value: str) -> list[str]:
    return _unique(v.strip() for v in value.split(";"))


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _required(value: str, column: str, where: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError(f"{where}: empty {column}")
    return value


def _code(value: str, shape: re.Pattern[str], column: str, where: str) -> str:
    value = value.strip()
    if not shape.fullmatch(value):
        raise ValueError(f"{where}: bad {column} {value!r}")
    return value


def _sector(value: str, where: str) -> str:
    value = value.strip()
    if value not in SECTORS:
        raise ValueError(f"{where}: unknown sector {value!r}")
    return value


def _date(value: str, where: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: bad date {value!r} (expected YYYY-MM-DD)") from None


def _regex(value: str, where: str) -> re.Pattern[str] | None:
    if not value:
        return None
    try:
        return re.compile(value)
    except re.error as err:
        raise ValueError(f"{where}: bad regular expression {value!r}: {err}") from None
