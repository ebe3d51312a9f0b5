"""Text helpers for the coder: accent folding and sentence splitting, both offset-preserving."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Characters whose NFKD form does not start with the ASCII letter news writers mean.
_SPECIAL = {
    "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
    "ß": "s", "æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "ð": "d", "þ": "t",
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " ",
}
_fold_table: dict[int, str] = {}


def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    base = unicodedata.normalize("NFKD", ch)[:1]
    return base if base and base.isascii() else ch


def fold(text: str) -> str:
    """Strip diacritics and normalise quotes and dashes, one character for one.

    The result has the same length as ``text``, so offsets found in it are
    offsets in the original.
    """
    if text.isascii():
        return text
    for ch in set(text):
        code = ord(ch)
        if code > 127 and code not in _fold_table:
            _fold_table[code] = _fold_char(ch)
    return text.translate(_fold_table)


# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen",
    "rep", "gov", "pres", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "fig", "approx", "dept", "est", "op", "vol",
}
# A run of stops is tried once, from its first character and without backtracking: tried
# from every character, a run of n dots with no capital after it cost n² steps (a line of
# 20,000 dots took seconds, a few hundred thousand would take hours).
# A full stop glued to the next sentence ("the bloc.The summit") still ends one when a
# lower-case word stands before it, which rules out "U.S.Army" and initials.
_BOUNDARY = re.compile(
    r"""(?<![.!?])[.!?]++["'”’»)\]]*+(?:[ \u00a0\u202f]»)?(?=\s+["'“‘«(\[]?[A-Z0-9])"""
    r"""|\n\s*\n|\n(?=\s*[A-Z"“«])|(?<=[a-z]{2})\.(?=[A-Z][a-z])""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) spans of sentences, trimmed of surrounding white space."""
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if text[m.start()] == ".":
            word = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
            if word:
                w = word.group(1).lower()
                # An abbreviation or a lone initial ("J. Smith") does not end a sentence.
                if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                    continue
        yield from _trimmed(text, start, end)
        start = end
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def split_long(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Cut the span ``text[start:end]`` into spans of at most ``limit`` characters.

    Each piece ends at the last semicolon within reach, else the last comma, else the
    last white space, else at ``limit``; a mark is taken only if it leaves a piece of at
    least a quarter of ``limit``, so a text is cut into few pieces. Pieces are trimmed
    of white space, and their offsets are offsets into ``text``.
    """
    floor = max(1, limit // 4)
    while end - start > limit:
        window = text[start:start + limit]
        cut = window.rfind(";")
        if cut < floor:
            cut = window.rfind(",")
        if cut < floor:
            cut = max(window.rfind(c) for c in " \n\t\r\u00a0")
        cut = cut + 1 if cut >= floor else limit
        yield from _trimmed(text, start, start + cut)
        start += cut
    yield from _trimmed(text, start, end)


_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_DAY_MONTH = rf"(?:{_MONTH}[ \t]+\d{{1,2}}|\d{{1,2}}[ \t]+{_MONTH})(?:,?[ \t]+\d{{4}})?"
_AGENCY = r"[ \t]*\([A-Za-z][A-Za-z/&. -]{0,30}\)"
_DASH = r"[ \t]*[-\u2013\u2014:]"
_DATELINE = re.compile(
    # at a line's start, after any time stamp: PLACE, then a date and a dash, or a date
    # and an agency in brackets, or an agency and a dash
    r"(?m)^[ \t]*(?:[A-Za-z]+[ \t]+)?(?:\d{4}-\d{2}-\d{2}[ \t]+)?"
    r"(?P<place>[A-Z][A-Za-z.'-]*(?:[ \t]+[A-Z][A-Za-z.'-]*){0,3}"
    r"(?:,[ \t]*[A-Z][A-Za-z.'-]*)?)"
    rf"(?:,[ \t]*{_DAY_MONTH}(?:{_AGENCY})?{_DASH}|,[ \t]*{_DAY_MONTH}{_AGENCY}"
    rf"|{_AGENCY}{_DASH})"
)


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Where datelines name a place ("MOSCOW, Jan 5 (Reuters) -"): not an actor there.

    A dateline is a place at the start of a line followed by a date, a news agency in
    brackets or both, and then a dash or colon unless the agency closes it.
    """
    return [(m.start("place"), m.end("place")) for m in _DATELINE.finditer(text)]
