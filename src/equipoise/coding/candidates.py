"""Every pair of actors in a parsed sentence as a candidate event, described by features.

The rules (:class:`~equipoise.coding.extract.SentenceExtractor`) decide precisely but miss
much; a learned layer (:mod:`equipoise.coding.model`) reads these candidates, with the
rules' own decision among the features, and decides whether each ordered pair holds an
event and of which quad class. Features are short strings (``"lca=condemn"``,
``"path=nsubj^|dobj"``, ``"rule=3"``): words, dependency paths, lexicon codes and
modality cues, never sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from equipoise.coding.extract import Found, SentenceExtractor
from equipoise.coding.roles import Context, Role, distinct
from equipoise.coding.syntax import NOUN_TAGS, NP_LINKS
from equipoise.reference.cameo import quad_of

_MAX_PATH = 6  # longer dependency paths are all alike to the model
_CONTENT = ("VERB", "NOUN", "ADJ", "AUX")
_NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
_QUOTES = frozenset('"“”«»')


@dataclass(slots=True)
class Entity:
    """One actor of the sentence: its role and the token that heads its noun phrase."""

    role: Role
    head: Token
    resolved: bool = False  # found through a pronoun or a reference noun


@dataclass(slots=True)
class Candidate:
    """An ordered actor pair of one sentence, with what the model needs to judge it."""

    source: Role
    target: Role
    features: list[str]
    rule: Found | None = None  # the rules' first event for this very pair, if any
    also: list[Found] = field(default_factory=list)  # their other events for the pair
    triggers: dict[int, tuple[str, Token]] = field(default_factory=dict)  # quad -> code


def _np_head(tok: Token) -> Token:
    """Climb from a name to the head of its noun phrase ('Russian' -> 'forces')."""
    t = tok
    for _ in range(4):
        if t.dep_ in NP_LINKS and t.head.i != t.i and t.head.pos_ in NOUN_TAGS:
            t = t.head
        else:
            break
    return t


def _depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i and d < 64:
        tok = tok.head
        d += 1
    return d


def _chain(tok: Token) -> list[Token]:
    out = [tok]
    while tok.head.i != tok.i and len(out) < 64:
        tok = tok.head
        out.append(tok)
    return out


def entities(extractor: SentenceExtractor, sent: Doc, amap: dict[int, Role],
             ctx: Context) -> list[Entity]:
    """The sentence's actors, one per code, each at its highest token in the parse."""
    best: dict[str, Entity] = {}
    for i, named in amap.items():
        tok = _np_head(sent[i])
        for role in extractor._members([named]):  # "the E3": each member state
            code = role.mention.code
            if code not in best or _depth(tok) < _depth(best[code].head):
                best[code] = Entity(role, tok)
    pronouns, nouns = extractor.cues.referring_pronouns, extractor.cues.referring_nouns
    for tok in sent:
        if tok.i in amap:
            continue
        if tok.lower_ not in pronouns and not (
                tok.pos_ in NOUN_TAGS and tok.lemma_.lower() in nouns):
            continue
        try:
            roles = extractor._resolve(tok, ctx)
        except RecursionError:
            roles = []
        for role in extractor._members(roles):
            code = role.mention.code
            if code not in best:
                best[code] = Entity(role, _np_head(tok), resolved=True)
    return list(best.values())


def candidates(extractor: SentenceExtractor, sent: Doc, amap: dict[int, Role], ctx: Context,
               found: list[Found], *, first: bool = False) -> list[Candidate]:
    """Ordered pairs of distinct actors in ``sent`` with their features.

    A question reports no event (as for the rules), so it has no candidates.
    """
    if sent.text.rstrip(" \"'”’").endswith("?"):
        return []
    ents = entities(extractor, sent, amap, ctx)
    if len(ents) < 2:
        return []
    rules: dict[tuple[str, str], list[Found]] = {}
    for f in found:
        rules.setdefault((f.source.mention.code, f.target.mention.code), []).append(f)
    sentence = _sentence_features(extractor, sent, len(ents), first)
    out = []
    for a in ents:
        for b in ents:
            if a is b or not distinct(a.role, b.role):
                continue
            cand = _candidate(extractor, a, b, rules, sentence)
            if cand is not None:
                out.append(cand)
    return out


def _sentence_features(extractor: SentenceExtractor, sent: Doc, n_entities: int,
                       first: bool) -> list[str]:
    feats = [f"nent={min(n_entities, 5)}"]
    if first:
        feats.append("first")
    text = sent.text
    if any(ch in _QUOTES for ch in text):
        feats.append("quote")
    cues = extractor.cues
    quads = set()
    for tok in sent:
        low = tok.lower_
        if low in cues.conditional_marks:
            feats.append(f"cond={low}")
        if tok.dep_ == "neg":
            feats.append("neg_sent")
        trig = extractor._trigger(tok)
        if trig is not None:
            quads.add(quad_of(trig.cameo))
    feats.extend(f"sq={q}" for q in sorted(quads))
    return feats


def _candidate(extractor: SentenceExtractor, a: Entity, b: Entity,
               rules: dict[tuple[str, str], list[Found]], sentence: list[str]
               ) -> Candidate | None:
    """The pair's candidate; None when the parse makes them partners ('fought alongside')."""
    feats = list(sentence)
    ca, cb = a.role.mention.code, b.role.mention.code
    mine = rules.get((ca, cb), [])
    rule = mine[0] if mine else None
    also = mine[1:]
    if rule is not None:
        q = quad_of(rule.cameo)
        feats += ["rule", f"rule={q}", f"rule_root={rule.cameo[:2]}",
                  f"rule_trig={rule.trigger.lemma_.lower()}"]
        if rule.symmetric:
            feats.append("rule_sym")
    rev = next(iter(rules.get((cb, ca), [])), None)
    if rev is not None:
        feats += ["rule_rev", f"rule_rev={quad_of(rev.cameo)}"]
        if rev.symmetric:
            feats.append("rule_rev_sym")
    if rule is None and rev is None and rules:
        feats.append("rule_other")

    for side, e in (("a", a), ("b", b)):
        m = e.role.mention
        feats += [f"{side}_dep={e.head.dep_}", f"{side}_kind={m.kind}",
                  f"{side}_sec={e.role.sector}"]
        if e.resolved:
            feats.append(f"{side}_resolved")
        if m.country is None:
            feats.append(f"{side}_bloc")
    order = "a_first" if a.head.i < b.head.i else "b_first"
    feats.append(order)

    up, down, lca = _path(a.head, b.head)
    if lca is None:
        feats.append("nopath")
        return Candidate(a.role, b.role, feats, rule, also)
    if any(t.dep_ == "prep" and t.lower_ in extractor.cues.partner_preps for t in up + down):
        return None
    path = "/".join(t.dep_ for t in up) + "^|" + "/".join(t.dep_ for t in down)
    if len(up) + len(down) > _MAX_PATH:
        path = "long"
    lemma = lca.lemma_.lower()
    feats += [f"path={path}", f"lca={lemma}", f"lcapos={lca.pos_}",
              f"plen={min(len(up) + len(down), _MAX_PATH + 1)}",
              f"path_lca={path}|{lemma}"]
    if len(up) == 1:
        feats.append(f"a_arg={a.head.dep_}")
    if down and len(down) == 1:
        feats.append(f"b_arg={down[0].dep_}")
    feats.append(f"roles={a.head.dep_}>{b.head.dep_}")

    triggers: dict[int, tuple[str, Token]] = {}
    on_path = [t for t in up[1:] + [lca] + down[:-1] if t.i not in (a.head.i, b.head.i)]
    for t in up[:1] + down[-1:]:  # nominal events: "Russian attack on Ukraine"
        on_path.append(t)
    heads = list(on_path)
    for t in on_path:  # light verbs: "held talks", "imposed sanctions"
        heads.extend(c for c in t.children if c.dep_ in ("dobj", "xcomp", "attr", "acomp"))
    cues = extractor.cues
    for t in heads:
        if t.pos_ in _CONTENT:
            feats.append(f"pl={t.lemma_.lower()}")
        trig = extractor._trigger(t)
        if trig is not None:
            q = quad_of(trig.cameo)
            feats += [f"pq={q}", f"proot={trig.cameo[:2]}"]
            if t.i == lca.i:
                feats += [f"lcaq={q}", f"lcaq={q}|{a.head.dep_}>{b.head.dep_}"]
            feats.append(f"pq={q}|{order}")
            triggers.setdefault(q, (trig.cameo, t))
        if any(c.dep_ == "neg" or c.lower_ in _NEGATORS for c in t.children):
            feats.append("neg_path")
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in cues.hypothetical_aux:
                feats.append(f"modal={c.lower_}")
            elif c.dep_ == "aux" and c.lower_ in cues.future_aux:
                feats.append("future")
    if extractor._blocked(lca):
        feats.append("blocked")
    head = lca
    for _ in range(4):  # is the link reported speech, and by whom?
        if head.head.i == head.i:
            break
        if head.dep_ in ("ccomp", "xcomp") and head.head.lemma_.lower() in cues.speech_verbs:
            feats.append("reported")
            speakers = {c.i for c in head.head.children if c.dep_ == "nsubj"}
            if a.head.i in speakers:
                feats.append("a_speaks")
            break
        head = head.head
    return Candidate(a.role, b.role, feats, rule, also, triggers)


def _path(a: Token, b: Token) -> tuple[list[Token], list[Token], Token | None]:
    """Tokens from ``a`` up to (not including) the lowest common ancestor, the tokens
    from the ancestor down to ``b``, and the ancestor."""
    ca = _chain(a)
    cb = _chain(b)
    index = {t.i: n for n, t in enumerate(cb)}
    for n, t in enumerate(ca):
        if t.i in index:
            down = list(reversed(cb[:index[t.i]]))
            return ca[:n], down, t
    return [], [], None
