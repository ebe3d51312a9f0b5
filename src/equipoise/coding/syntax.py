"""Helpers over spaCy's dependency tree shared by the coder's rules."""

from __future__ import annotations

from spacy.tokens import Token

from equipoise.coding.cues import Cues

CLAUSAL = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj", "punct", "mark"}
SUBJ = {"nsubj", "csubj"}
OBJ = {"dobj", "dative", "iobj", "obj", "attr", "oprd"}
OBJ_OR_POBJ = OBJ | {"pobj"}
NOUN_TAGS = {"NOUN", "PROPN"}
OWN_CLAUSES = {"ccomp", "parataxis", "csubj", "nsubj", "nsubjpass"}
NP_LINKS = {"amod", "compound", "poss", "nmod", "appos", "flat"}




def calls_actor(verb: Token, amap: dict) -> bool:
    """'called Putin': the direct object is an actor and nothing predicates over it."""
    kids = list(verb.children)
    return any(c.dep_ == "dobj" and c.i in amap for c in kids) and not any(
        c.dep_ in ("oprd", "xcomp", "ccomp", "attr") for c in kids)



def reporting_verb(tok: Token, speech_verbs: frozenset[str]) -> Token | None:
    """The speech verb whose reported clause holds ``tok``, if any."""
    t = tok
    for _ in range(8):
        if t.head == t:
            return None
        if t.dep_ in ("ccomp", "xcomp") and t.head.lemma_.lower() in speech_verbs:
            return t.head
        if t.dep_ in ("relcl", "acl", "advcl", "parataxis"):
            return None
        t = t.head
    return None


def conditional_main_clause(t: Token, cues: Cues) -> bool:
    """'X would do Y if Z': a modal main clause with a conditional clause."""
    if not any(c.dep_ == "aux" and c.lower_ in cues.hypothetical_aux for c in t.children):
        return False
    return any(
        c.dep_ == "advcl" and any(m.lower_ in cues.conditional_marks for m in c.children)
        for c in t.children
    )


def near_lemmas(tok: Token) -> set[str]:
    """Lemmas a lexicon row's ``with`` may name: children, their objects, and the head."""
    lemmas = set()
    for c in tok.children:
        lemmas.add(c.lemma_.lower())
        if c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            lemmas.add("to")  # "ordered Russia to withdraw"
        if c.dep_ in ("prep", "dobj", "prt", "agent"):
            lemmas.update(g.lemma_.lower() for g in c.children if g.dep_ in ("pobj", "compound",
                                                                             "amod"))
        if c.dep_ == "dobj":  # "imposed a new round of sanctions", "held a series of talks"
            lemmas.update(g.lemma_.lower() for p in c.children
                          if p.dep_ == "prep" and p.lower_ == "of"
                          for g in p.children if g.dep_ == "pobj")
    if tok.dep_ in OBJ or tok.dep_ == "pobj":
        lemmas.add(tok.head.lemma_.lower())
        if tok.head.dep_ == "prep":
            lemmas.add(tok.head.head.lemma_.lower())
    return lemmas


def governing_verb(tok: Token) -> Token | None:
    t = tok
    for _ in range(4):
        if t.head == t:
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.dep_ not in ("prep", "pobj", "dobj", "compound", "conj", "appos"):
            return None
    return None


def conjuncts(tok: Token) -> list[Token]:
    """Coordinated actors, and the first half of a hyphenated pair ("Russian-Armenian")."""
    out = [c for c in tok.children if c.dep_ in ("conj", "appos")]
    for c in tok.children:
        if c.dep_ in ("amod", "compound") and c.i + 1 < len(tok.doc) and \
                tok.doc[c.i + 1].text in ("-", "–", "/"):
            out.append(c)
    return out
