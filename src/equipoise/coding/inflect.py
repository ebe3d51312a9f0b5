"""Surface forms of lexicon lemmas, so a cheap word test can pick sentences worth parsing."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

_VOWELS = set("aeiou")


@cache
def irregular_forms() -> dict[str, tuple[str, ...]]:
    path = resources.files("equipoise") / "data" / "lexicon" / "irregular.csv"
    with path.open(encoding="utf-8") as f:
        return {row["lemma"]: tuple(row["forms"].split(";")) for row in csv.DictReader(f)}


def surface_forms(lemma: str) -> set[str]:
    """Lower-case word forms a lemma may take: plurals, -s, -ed, -ing and irregulars.

    Generous on purpose: a spurious form only costs a parse, a missing one costs an event.
    """
    w = lemma.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing"}
    if w.endswith("e"):
        forms |= {w[:-1] + "ing", w + "d"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in _VOWELS:
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) >= 3 and w[-1] not in _VOWELS | {"w", "x", "y"} and w[-2] in _VOWELS \
            and w[-3] not in _VOWELS:
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}  # ship -> shipped, shipping
    if w.endswith("ie"):
        forms.add(w[:-2] + "ying")
    forms.update(irregular_forms().get(w, ()))
    return forms


def gerund_bases(word: str) -> tuple[str, ...]:
    """Verb lemmas an -ing noun may come from: signing -> sign, shipping -> ship,
    sharing -> share. Candidates only; the lexicon decides which is a verb."""
    w = word.lower()
    if not w.endswith("ing") or len(w) < 6:
        return ()
    stem = w[:-3]
    out = [stem, stem + "e"]
    if len(stem) >= 3 and stem[-1] == stem[-2]:
        out.append(stem[:-1])
    if stem.endswith("y"):
        out.append(stem[:-1] + "ie")
    return tuple(out)
