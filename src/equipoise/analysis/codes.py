"""The actor codes equipoise knows, and the closest of them to a code it does not know.

A focal actor or pole is a state (ISO 3166 alpha-3, from ``data/actors/countries.csv``,
plus the former states a bloc membership may name) or a bloc (``data/actors/blocs.csv``).
A code outside these tables is still a valid question when events in the store carry
it, so callers pass what the store holds; anything else is refused with the nearest
codes, matched on codes and on names ("TURKEY" and "TRK" both suggest TUR).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from equipoise.errors import InvalidQueryError, UnknownCodeError
from equipoise.reference.countries import bloc_rows, state_rows
from equipoise.reference.memberships import EXTRA_MEMBER_CODES, default_memberships

__all__ = ["KnownCode", "UnknownActorCode", "check_codes", "closest_codes", "known_codes"]

# Below this similarity (difflib's ratio, 0..1) a code is not worth suggesting.
_CUTOFF = 0.5


@dataclass(frozen=True)
class KnownCode:
    """A state or bloc code with its English name and the words that name it."""

    code: str
    name: str
    kind: str  # "state" or "bloc"
    words: tuple[str, ...] = ()

    def label(self) -> str:
        return f"{self.code} ({self.name})" if self.name else self.code


class UnknownActorCode(UnknownCodeError, InvalidQueryError):
    """A focal or pole code that is neither a known state or bloc nor in the store."""

    def __init__(self, role: str, code: str, suggestions: Sequence[KnownCode]) -> None:
        self.role = role
        self.suggestions = list(suggestions)
        if self.suggestions:
            hint = "did you mean " + ", ".join(s.label() for s in self.suggestions) + "?"
        else:
            hint = "use an ISO 3166 alpha-3 state code (AZE) or a bloc code (NATO, EU, CSTO...)"
        super().__init__(
            code,
            f"unknown {role} {code!r}: not a state or bloc code equipoise knows, and no "
            f"event in the store has it; {hint}",
        )


def _words(row: dict[str, str], *columns: str) -> tuple[str, ...]:
    found: list[str] = []
    for column in columns:
        found += [w.strip().upper() for w in (row.get(column) or "").split(";") if w.strip()]
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=1)
def known_codes() -> dict[str, KnownCode]:
    """Every state and bloc code of the package's tables, by code."""
    known: dict[str, KnownCode] = {}
    for row in state_rows():
        code = row["iso3"].strip().upper()
        words = _words(row, "name", "aliases", "adjectives")
        known[code] = KnownCode(code, row["name"].strip(), "state", words)
    for code, note in EXTRA_MEMBER_CODES.items():
        name = note.split(" (")[0]
        known.setdefault(code, KnownCode(code, name, "state", (name.upper(),)))
    for row in bloc_rows():
        code = row["code"].strip().upper()
        known[code] = KnownCode(code, row["name"].strip(), "bloc", _words(row, "name", "aliases"))
    for code in default_memberships()["bloc"].astype(str).str.upper().unique():
        known.setdefault(code, KnownCode(code, "", "bloc"))
    return known


def _abbreviates(word: str, name: str) -> bool:
    """Whether ``word`` is ``name`` with letters left out, first letter kept (TRK, TURKEY)."""
    if not name.startswith(word[0]):
        return False
    letters = iter(name)
    return all(letter in letters for letter in word)


def _similarity(word: str, code: str, names: Sequence[str]) -> float:
    """difflib's ratio against the code and each name, raised for a code sharing the
    first letter and for an abbreviation of a name (more for a short name), so that
    ties between three-letter codes go to the likelier one."""
    best = max(difflib.SequenceMatcher(None, word, c).ratio() for c in (code, *names))
    if code.startswith(word[0]):
        best += 0.05
    shortened = [len(word) / len(n) for n in names if len(n) > len(word) and _abbreviates(word, n)]
    if shortened:
        best += 0.2 * max(shortened)
    return best


def closest_codes(text: str, n: int = 3) -> list[KnownCode]:
    """The ``n`` known codes most like ``text``, compared with each code and its names."""
    word = text.strip().upper()
    if not word:
        return []
    scored: list[tuple[float, str]] = []
    for code, known in known_codes().items():
        similarity = _similarity(word, code, known.words)
        if similarity >= _CUTOFF:
            scored.append((similarity, code))
    scored.sort(key=lambda item: (-item[0], item[1]))
    table = known_codes()
    return [table[code] for _, code in scored[:n]]


def check_codes(
    focal: str,
    poles: Iterable[str] | str,
    present: Callable[[str], bool] = lambda code: False,
) -> None:
    """Refuse a focal or pole code that is not known, unless ``present(code)`` says the
    store has events with it; the error names the closest known codes."""
    if isinstance(poles, str):
        poles = [poles]
    known = known_codes()
    for role, value in (("focal", focal), *(("pole", p) for p in poles)):
        if not isinstance(value, str) or not value.strip():
            continue  # the analysis reports empty codes in its own words
        code = value.strip().upper()
        if code not in known and not present(code):
            raise UnknownActorCode(role, code, closest_codes(code))
