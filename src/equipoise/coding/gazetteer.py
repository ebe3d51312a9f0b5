"""Find actor mentions in text: states, blocs, institutions and office holders.

Matching works on tokens of accent-folded text (see :func:`equipoise.coding.text.fold`),
case-sensitively, longest match first, so "Turks and Caicos" beats "Turks" and
"Washington Post" beats "Washington". People match only within their tenure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from equipoise.coding.text import fold
from equipoise.reference.actors import (
    ActorEntry,
    Exclusion,
    NameHeads,
    load_actor_entries,
    load_exclusions,
    load_name_heads,
)

_TOKEN = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")
# Trie key holding the entries that end at a node: not a string, so that no token of the
# text (a NUL character is one) can be taken for it.
_END = None
# Mentions of these kinds are places, which can be part of a longer name ("Minsk Group").
_PLACE_KINDS = frozenset({"name", "alias", "capital"})


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor named in the text, with character offsets into that text."""

    start: int
    end: int
    code: str
    country: str | None
    sector: str
    kind: str
    text: str


def tokenize(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


class Gazetteer:
    """A token trie over actor patterns, with tenure dates and context exclusions."""

    def __init__(self, entries: list[ActorEntry], exclusions: Sequence[Exclusion] = (),
                 name_heads: NameHeads | None = None):
        self._trie: dict = {}
        self._after: re.Pattern | None = None
        self._before: re.Pattern | None = None
        if name_heads is not None and name_heads.after:
            words = "|".join(map(re.escape, sorted(name_heads.after)))
            self._after = re.compile(rf"[ \t]+(?:{words})\b")
        if name_heads is not None and name_heads.before:
            words = "|".join(map(re.escape, sorted(name_heads.before)))
            self._before = re.compile(rf"\b(?:{words})[ \t]+of[ \t]+(?:the[ \t]+)?$")
        self._first_tokens: set[str] = set()
        for entry in entries:
            self.add(entry)
        self._exclusions: dict[str, list[Exclusion]] = {}
        for ex in exclusions:
            self._exclusions.setdefault(fold(ex.pattern), []).append(ex)

    @classmethod
    def default(cls, directory: Path | None = None) -> Gazetteer:
        return cls(load_actor_entries(directory), load_exclusions(directory),
                   load_name_heads(directory))

    def add(self, entry: ActorEntry) -> None:
        tokens = [t for _, _, t in tokenize(fold(entry.pattern))]
        if not tokens:
            return
        node = self._trie
        for tok in tokens:
            node = node.setdefault(tok, {})
        node.setdefault(_END, []).append(entry)
        self._first_tokens.add(tokens[0])

    def find(
        self,
        text: str,
        when: dt.date | None = None,
        tokens: list[tuple[int, int, str]] | None = None,
    ) -> list[Mention]:
        """All non-overlapping mentions in ``text``, longest first, valid at ``when``."""
        folded = fold(text)
        if tokens is None:
            tokens = tokenize(folded)
        mentions: list[Mention] = []
        i, n = 0, len(tokens)
        first = self._first_tokens
        while i < n:
            tok = tokens[i][2]
            if tok not in first:
                alt = tok.title() if tok.isupper() and len(tok) > 3 else None
                if alt is None or alt not in first:
                    i += 1
                    continue
            best = self._longest(tokens, i, when, text)
            if best is None:
                i += 1
                continue
            j, entry = best
            start, end = tokens[i][0], tokens[j - 1][1]
            if entry.kind in _PLACE_KINDS and self._in_longer_name(text, start, end):
                i = j  # "the Rome Statute", "the Treaty of Lisbon": no actor here
                continue
            mentions.append(
                Mention(start, end, entry.code, entry.country, entry.sector, entry.kind,
                        text[start:end])
            )
            i = j
        return mentions

    def _in_longer_name(self, text: str, start: int, end: int) -> bool:
        if self._after is not None and self._after.match(text, end, end + 40):
            return True
        return self._before is not None and self._before.search(
            text, max(0, start - 40), start) is not None

    def _longest(self, tokens, i, when, text):
        node = self._trie
        best = None
        j = i
        while j < len(tokens):
            tok = tokens[j][2]
            nxt = node.get(tok)
            if nxt is None and tok.isupper() and len(tok) > 3:
                nxt = node.get(tok.title())  # all-caps headlines
            if nxt is None:
                break
            node = nxt
            j += 1
            entries = node.get(_END)
            if entries:
                entry = _valid(entries, when)
                if entry is not None and not self._excluded(text, tokens, i, j):
                    best = (j, entry)
        return best

    def _excluded(self, text, tokens, i, j) -> bool:
        if not self._exclusions:
            return False
        start, end = tokens[i][0], tokens[j - 1][1]
        rules = self._exclusions.get(fold(text[start:end]))
        if not rules:
            return False
        before, after = text[max(0, start - 40):start], text[end:end + 40]
        for rule in rules:
            if rule.not_if_before is not None and rule.not_if_before.search(before):
                return True
            if rule.not_if_after is not None and rule.not_if_after.match(after):
                return True
        return False


def _valid(entries: list[ActorEntry], when: dt.date | None) -> ActorEntry | None:
    """The entry in force at ``when``; timeless entries (states, blocs) always are."""
    for entry in entries:
        if entry.valid_from is None and entry.valid_to is None:
            return entry
        if when is None:
            continue
        if entry.valid_from is not None and when < entry.valid_from:
            continue
        if entry.valid_to is not None and when > entry.valid_to:
            continue
        return entry
    return None


def with_sector(mention: Mention, sector: str) -> Mention:
    return replace(mention, sector=sector)
