"""Text hygiene shared by every reader: what is stored is printable and cannot mislead.

* Control characters are removed from stored text; tabs and line breaks stay, and every
  line break is stored as ``\\n`` (``\\r\\n``, ``\\r``, form feeds and NEL included).
* A lone surrogate (half of a UTF-16 pair, as a JSON escape like ``"\\ud800"`` can
  give) cannot be encoded, so it becomes U+FFFD in text and titles.
* Bidirectional embedding, override and isolate characters (U+202A-U+202E,
  U+2066-U+2069) are removed from one-line fields (titles, URLs, names, ids), where
  they could make a link or a name read as something it is not. Document text keeps
  them: right-to-left languages use them legitimately.
"""

from __future__ import annotations

import re

_NEWLINES = re.compile("\r\n?|[\x0b\x0c\x85]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")

BIDI_CONTROLS = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
"""The characters :func:`clean_field` removes."""


def has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate, which no encoding can write."""
    return _SURROGATES.search(text) is not None


def clean_text(text: str) -> str:
    """``text`` with line breaks as ``\\n``, control characters other than tab and line
    break removed, and lone surrogates replaced by U+FFFD."""
    if _NEWLINES.search(text):
        text = _NEWLINES.sub("\n", text)
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("\ufffd", text)
    return text


def clean_field(value: str | None) -> str | None:
    """A one-line field (title, URL, name): cleaned as :func:`clean_text`, without
    bidirectional controls, runs of white space as one space; None when nothing is left."""
    if value is None:
        return None
    text = _BIDI.sub("", clean_text(value))
    text = _SPACES.sub(" ", text).strip()
    return text or None


def clean_cells(text: str) -> str:
    """A data row or cell: cleaned as :func:`clean_text`, without bidirectional controls.

    Tabs and line breaks stay, since they separate cells and lines of notes.
    """
    text = clean_text(text)
    return _BIDI.sub("", text) if _BIDI.search(text) else text
