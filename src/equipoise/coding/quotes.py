"""Who speaks in a quotation, when the quoted "we" and the speaker are sentences apart.

News puts the attribution once per quotation, often after the last quoted sentence
('"... We will help. We stand with them," the minister said.'). The speaker found next
to a speech verb in any sentence of a quotation speaks for all of its sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from equipoise.coding.gazetteer import Mention

_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|stressed|stresses|noted|notes|declared|"
    r"declares|wrote|writes|tweeted|insisted|insists|stated|states|announced|announces)\b")
_OPENING = "“«"
_CLOSING = "”»"
_REACH = 60  # characters between a speech verb and its speaker
_SPEAKER_KINDS = frozenset({"person", "learned", "institution", "name", "alias", "capital",
                            "adjective", "bloc"})


def attribution(text: str, start: int, end: int, mentions: Sequence[Mention]
                ) -> Mention | None:
    """The actor named next to a speech verb in ``text[start:end]``: 'X said', 'said X'."""
    best: tuple[int, Mention] | None = None
    for verb in _SPEECH.finditer(text, start, end):
        for m in mentions:
            if m.kind not in _SPEAKER_KINDS:
                continue
            if m.end <= verb.start():
                gap = verb.start() - m.end
            elif m.start >= verb.end():
                gap = m.start - verb.end()
            else:
                continue
            if gap > _REACH or _has_quote(text[min(m.end, verb.end()):
                                               max(m.start, verb.start())]):
                continue
            if best is None or gap < best[0]:
                best = (gap, m)
    return best[1] if best else None


def quotation_speakers(text: str, spans: Sequence[tuple[int, int]],
                       mentions: Sequence[Sequence[Mention]]) -> list[Mention | None]:
    """For each sentence inside a quotation, the speaker of that quotation, else None."""
    out: list[Mention | None] = [None] * len(spans)
    group: list[int] = []
    curly, straight = 0, False  # open curly quotes; an open straight quote
    for i, (start, end) in enumerate(spans):
        seg = text[start:end]
        if not group and not _has_quote(seg):
            continue
        group.append(i)
        curly += sum(seg.count(q) for q in _OPENING) - sum(seg.count(q) for q in _CLOSING)
        straight ^= seg.count('"') % 2 == 1
        if (curly > 0 or straight) and len(group) < 8:
            continue  # the quotation goes on (a runaway one is cut at 8 sentences)
        found = [attribution(text, *spans[j], mentions[j]) for j in group]
        speaker = next((s for s in reversed(found) if s is not None), None)
        for j, own in zip(group, found, strict=True):
            out[j] = own or speaker
        group, curly, straight = [], 0, False
    return out


def _has_quote(seg: str) -> bool:
    return any(q in seg for q in '"“”«»')
