"""Names learned inside one document.

"Turkish Defence Minister Hulusi Akar" teaches that "Hulusi Akar" and a later bare
"Akar" are TUR/MIL, even when the name is in no dictionary. The cue is an actor
adjective or name, then title words, then two to four capitalised words.
"""

from __future__ import annotations

import datetime as dt

from equipoise.coding.cues import Cues
from equipoise.coding.gazetteer import Gazetteer, Mention
from equipoise.reference.actors import ActorEntry

_STOP = {"The", "A", "An", "In", "On", "At", "And", "But", "He", "She", "It", "They", "We",
         "This", "That", "His", "Her", "Their", "Its", "Mr", "Mrs", "Ms", "Dr"}


def learn_names(
    tokens: list[tuple[int, int, str]], mentions: list[Mention], cues: Cues
) -> list[ActorEntry]:
    """Entries for people introduced by an actor and a title, e.g. 'Russian President X Y'."""
    by_start = {}
    for m in mentions:
        by_start[m.start] = m
    covered = {(m.start, m.end) for m in mentions}
    index = {start: i for i, (start, _, _) in enumerate(tokens)}
    learned: dict[str, ActorEntry] = {}
    for m in mentions:
        if m.kind not in ("adjective", "name", "alias", "capital", "bloc"):
            continue
        # find token index just after the mention
        i = index.get(m.start)
        if i is None:
            continue
        while i < len(tokens) and tokens[i][1] <= m.end:
            i += 1
        if i < len(tokens) and tokens[i][2] == "'" and i + 1 < len(tokens) \
                and tokens[i + 1][2] == "s":
            i += 2  # "Azerbaijan's Defence Minister ..."
        titles, sector = 0, None
        while i < len(tokens) and tokens[i][2] in cues.title_words:
            sector = _sector(sector, cues.title_sectors.get(tokens[i][2].lower()))
            titles += tokens[i][2][0].isalpha()
            i += 1
        if titles == 0:
            # "President of Azerbaijan Ilham Aliyev": the title stands before "of <actor>"
            titles, sector = _titles_before(tokens, index.get(m.start), cues)
        if titles == 0:
            continue
        name: list[tuple[int, int, str]] = []
        while i < len(tokens) and len(name) < 4:
            tok = tokens[i][2]
            if not (tok[:1].isupper() and tok.isalpha()) or tok in _STOP:
                break
            if any(s <= tokens[i][0] < e for s, e in covered):
                break
            name.append(tokens[i])
            i += 1
        if len(name) < 2:
            continue
        full = " ".join(t[2] for t in name)
        sector = sector or "GOV"
        for pattern in (full, name[-1][2]):
            learned.setdefault(pattern, ActorEntry(
                pattern=pattern, code=m.code, country=m.country, sector=sector, kind="learned"))
    return list(learned.values())


def _titles_before(tokens, j: int | None, cues: Cues) -> tuple[int, str | None]:
    """Title words right before '<title> of <actor>', with the sector they imply."""
    if j is None or j < 2 or tokens[j - 1][2] != "of":
        return 0, None
    titles, sector = 0, None
    k = j - 2
    while k >= 0 and tokens[k][2] in cues.title_words and tokens[k][2][0].isalpha():
        sector = _sector(sector, cues.title_sectors.get(tokens[k][2].lower()))
        titles += 1
        k -= 1
    return titles, sector


def _sector(current: str | None, new: str | None) -> str | None:
    """'Defence Minister' is MIL: a specific sector outranks the generic GOV."""
    if new is None or (current is not None and current != "GOV"):
        return current
    return new


def merge_learned(
    base: list[Mention], text: str, entries: list[ActorEntry], when: dt.date | None,
    tokens: list[tuple[int, int, str]],
) -> list[Mention]:
    """Add mentions of learned names where the dictionary found nothing."""
    if not entries:
        return base
    extra = Gazetteer(entries).find(text, when, tokens=tokens)
    taken = [(m.start, m.end) for m in base]
    out = list(base)
    for m in extra:
        if all(m.end <= s or m.start >= e for s, e in taken):
            out.append(m)
    out.sort(key=lambda m: m.start)
    return out
