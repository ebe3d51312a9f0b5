"""Actors in argument slots: mentions mapped onto the parse, pronouns and references resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from equipoise.coding.cues import Cues
from equipoise.coding.gazetteer import Mention
from equipoise.coding.syntax import (
    CLAUSAL,
    NOUN_TAGS,
    NP_LINKS,
    OBJ,
    SUBJ,
    conjuncts,
    governing_verb,
    reporting_verb,
)


@dataclass(frozen=True, slots=True)
class Role:
    """An actor in an argument slot, with the sector read from its noun phrase."""

    mention: Mention
    sector: str


def distinct(a: Role, b: Role) -> bool:
    """Two actors of different countries (or blocs): events between them are not domestic."""
    ca = a.mention.country or a.mention.code
    cb = b.mention.country or b.mention.code
    return ca != cb and a.mention.code != b.mention.code


def dedupe(roles: list[Role]) -> list[Role]:
    """Each actor code once, first occurrence first."""
    seen: set[str] = set()
    out = []
    for r in roles:
        if r.mention.code not in seen:
            seen.add(r.mention.code)
            out.append(r)
    return out


@dataclass(slots=True)
class Context:
    """What earlier sentences of the document said: for pronouns and 'the two sides'."""

    last_person: Mention | None = None
    last_group: Mention | None = None
    recent: list[Mention] = field(default_factory=list)
    speaker: Mention | None = None
    # "the Egyptian foreign ministry ... the ministry": whom a body noun last described
    described: dict[str, Mention] = field(default_factory=dict)
    # the first state or bloc of the last sentence that named one: its likely subject,
    # which a subject "it" in the next sentence continues
    lead_group: Mention | None = None

    def describe(self, tokens: list[tuple[int, int, str]], mentions: list[Mention],
                 bodies: frozenset[str]) -> None:
        """Remember which actor each body noun of the sentence belongs to: 'Kenya's
        president', 'the Egyptian foreign ministry', 'the co-chairs of the OSCE', 'the UN
        Security Council'. ``tokens`` are the sentence's (start, end, text)."""
        words = [(s, e, _body(t.lower(), bodies)) for s, e, t in tokens]
        for m in mentions:
            if m.kind in ("person", "learned", "territory"):
                continue
            inside = [w for s, e, w in words if s >= m.start and e <= m.end and w]
            if inside:  # "the UN Security Council"
                self.described[inside[-1]] = m
            after = [w for s, _e, w in words if s >= m.end][:4]
            for w in after:  # "Kenya's president", "the Egyptian foreign ministry"
                if w:
                    self.described[w] = m
                    break
            before = [(s, w) for s, e, w in words if e <= m.start][-3:]
            texts = [t for s, _e, t in tokens if s < m.start][-2:]
            if before and [t.lower() for t in texts[-1:]] == ["of"]:
                # "the co-chairs of the OSCE": the noun before "of" (and "the")
                for _s, w in reversed(before):
                    if w:
                        self.described[w] = m
                        break

    def update(self, mentions: list[Mention]) -> None:
        for m in mentions:
            if m.kind in ("person", "learned"):
                self.last_person = m
            elif m.kind != "territory":  # "it" is a state or bloc, not a place
                self.last_group = m
        if mentions:
            self.recent = (self.recent + mentions)[-6:]
        groups = [m for m in mentions if m.kind not in ("person", "learned", "territory")]
        if groups:
            self.lead_group = groups[0]


_RELATIVES = frozenset({"which", "who", "that", "whom", "whose"})


def _body(word: str, bodies: frozenset[str]) -> str:
    """The body noun a word is, singular, or ''."""
    word = word.rsplit("-", 1)[-1]  # "co-chairs"
    if word in bodies:
        return word
    if word.endswith("s") and word[:-1] in bodies:
        return word[:-1]
    return ""


class ActorResolver:
    """Which actors an argument token stands for (a mixin of :class:`SentenceExtractor`).

    ``_amap`` maps token indices of the sentence being read to the actor they name.
    """

    cues: Cues
    sector_words: dict[str, str]
    region_words: dict[str, frozenset[str]]
    _sector_max: int

    if TYPE_CHECKING:  # from ArgumentReader and EventFilters, the other mixins
        def _inherited_subject(self, v: Token, amap, ctx) -> list[Role]: ...
        def _is_claim(self, verb: Token) -> bool: ...
    _amap: dict[int, Role] | None = None

    def _map_mentions(self, sent: Doc, mentions: list[Mention]) -> dict[int, Role]:
        amap: dict[int, Role] = {}
        for m in mentions:
            span = sent.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            role = Role(m, self._sector(span.root, m))
            for t in span:
                amap[t.i] = role
        return amap

    def _sector(self, head: Token, m: Mention) -> str:
        if m.kind in ("person", "institution", "bloc") or m.sector == "IGO":
            return m.sector
        top = head
        while True:
            if top.dep_ in NP_LINKS and top.head.pos_ in NOUN_TAGS and top.head is not top:
                top = top.head
            elif (top.dep_ == "pobj" and top.head.lower_ in self.cues.np_preps
                  and top.head.head.pos_ in NOUN_TAGS):
                top = top.head.head
            else:
                break
        words = [t.lower_ for t in top.lefts if t.dep_ in ("compound", "amod")] + [top.lower_]
        lemma_words = words[:-1] + [top.lemma_.lower()]
        best, best_len = None, 0
        for seq in (words, lemma_words):
            for n in range(min(self._sector_max, len(seq)), 0, -1):
                for i in range(len(seq) - n + 1):
                    sector = self.sector_words.get(" ".join(seq[i:i + n]))
                    if sector and n > best_len:
                        best, best_len = sector, n
        return best or m.sector

    def _actors(self, tok: Token, amap: dict[int, Role], ctx: Context) -> list[Role]:
        """Actors an argument token stands for: itself, its coordinates and modifiers."""
        if tok.i in amap:
            roles = [amap[tok.i]]
            for c in conjuncts(tok):
                roles.extend(self._actors(c, amap, ctx))
            return dedupe(roles)
        roles = []
        owners: list[Token] = []
        stack = [tok]
        while stack:
            t = stack.pop()
            if t.i in amap:
                roles.append(amap[t.i])
            elif t is not tok and t.lemma_.lower() in self.cues.reference_nouns:
                roles.extend(self._resolve(t, ctx))  # "the leaders of the bloc"
            elif (t is not tok and t.dep_ == "poss"
                  and (t.lower_ in self.cues.referring_pronouns or t.lower_ == "whose")
                  and t.head.dep_ != "conj"):  # "the West and its allies": its = the West
                owners.append(t)
            for c in t.children:
                if t is tok and c.dep_ == "acl":
                    # "the sanctions imposed by the AU": what X did is X's
                    stack.extend(g for a in c.children if a.dep_ == "agent"
                                 for g in a.children if g.dep_ == "pobj")
                if c.dep_ in CLAUSAL:
                    continue
                if c.dep_ == "prep" and c.lower_ not in self.cues.np_preps and not (
                        t is tok and c.lower_ == "by" and tok.pos_ in NOUN_TAGS):
                    continue  # but "a proposal by Ankara" is Ankara's, as "Ankara's" is
                if c.lemma_.lower() in self.cues.go_between_words:
                    continue  # "an Oman-brokered agreement": Oman is no party to it
                stack.append(c)
        if not roles and tok.lemma_.lower() in self.cues.seated_nouns:
            # "the junta in Niger", "the authorities in Kabul": the state they govern
            # the parser may hang "in Niger" on the verb, right after the noun
            after = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
            seats = [c for c in tok.children if c.dep_ == "prep"]
            if after is not None and after.dep_ == "prep" and after.head.i == tok.head.i:
                seats.append(after)
            roles = [amap[g.i] for c in seats if c.lower_ in ("in", "at")
                     for g in c.children if g.dep_ == "pobj" and g.i in amap
                     and amap[g.i].mention.kind != "territory"]
        if roles:
            return dedupe(roles)
        if owners and tok.dep_ in SUBJ | {"nsubjpass"}:
            # "its navy warned": the subject acts for whom "its" names
            return dedupe([r for o in owners for r in self._resolve(o, ctx)])
        if owners and tok.dep_ in OBJ | {"pobj"}:
            # "fired at its vessels": the vessels' owner is the target, but an owner that
            # is the clause's own subject ("closed its border") is no target at all
            verb = governing_verb(tok)
            doers = {r.mention.code for r in self._collect(
                [c for c in verb.children if c.dep_ in SUBJ], self._amap or {}, ctx)
                } if verb is not None else set()
            found = [r for o in owners for r in self._resolve(o, ctx)
                     if r.mention.code not in doers]
            speech = reporting_verb(verb, self.cues.reporting_verbs) if verb is not None else None
            if not found and speech is not None and self._amap is not None:
                # "Ukraine said Russia struck its plants": its = the state speaking
                found = [r for c in speech.children if c.dep_ in SUBJ
                         for r in self._actors(c, self._amap, ctx)
                         if r.mention.code not in doers
                         and r.mention.kind not in ("person", "learned")]
            return dedupe(found)
        return self._resolve(tok, ctx)

    def _resolve(self, tok: Token, ctx: Context) -> list[Role]:
        """Pronouns and 'the two sides' from what was said before."""
        low = tok.lower_
        cues = self.cues
        if low in _RELATIVES and self._amap is not None:
            # "Russia, which invaded Ukraine": the noun the relative clause hangs on
            clause = tok.head if low != "whose" else tok.head.head
            if clause.dep_ == "relcl" and clause.head.i != tok.i:
                return self._actors(clause.head, self._amap, ctx)
            return []
        if low in cues.speaker_pronouns:
            speaker = self._speaker(tok)
            if speaker is None and ctx.speaker is not None:
                # the quotation's speaker is named in another of its sentences
                speaker = Role(ctx.speaker, ctx.speaker.sector)
            return [speaker] if speaker else []
        if tok.dep_ == "poss" and low in cues.third_person:
            verb = governing_verb(tok.head)
            own = any(c.lower_ == "own" for c in tok.head.children)  # "its own": reflexive
            claim = (self._accusing(verb) if tok.head.dep_ in ("dobj", "pobj") and not own
                     else None)
            if claim is not None and self._amap is not None:
                # "Manila accused Beijing of firing at its boats": one does not accuse
                # another of harming the other's own, so "its" is the accuser
                found = self._collect([c for c in claim.children if c.dep_ in SUBJ],
                                      self._amap, ctx)
                if found:
                    return found[:1]
            if verb is not None and self._amap is not None:
                # "its navy warned": a possessive inside the subject stands for someone else
                subj = [c for c in verb.children if c.dep_ in SUBJ and c.i != tok.head.i]
                if subj:
                    # "the Co-Chairs reconfirm their support": their = the subject, known or not
                    role = self._amap.get(subj[0].i)
                    return [role] if role is not None else []
                inherited = self._inherited_subject(verb, self._amap, ctx)
                if inherited:
                    return inherited[:1]
        if tok.dep_ in SUBJ and (low in cues.person_pronouns or low in ("it", "they")):
            speech = reporting_verb(tok.head, cues.reporting_verbs)
            if speech is not None and self._amap is not None:
                # "Erdogan told Putin he wanted ...": he is the one speaking; in "India told
                # the IMF it supports ...", it is the state speaking
                person = low in cues.person_pronouns
                for c in speech.children:
                    role = self._amap.get(c.i) if c.dep_ in SUBJ else None
                    if role is not None and (role.mention.kind in ("person", "learned")) == person:
                        return [role]
        if low in cues.person_pronouns or low in cues.group_pronouns:
            person = low in cues.person_pronouns
            before = self._antecedent(tok, person)
            if before is not None:
                return [before]
            last = ctx.last_person if person else ctx.last_group
            if (low == "it" and tok.dep_ in SUBJ and tok.head.dep_ == "ROOT"
                    and ctx.lead_group is not None):
                last = ctx.lead_group  # "Russia cut gas to Kyiv. It said ...": Russia
            if last is not None:
                return [Role(last, last.sector)]
        lemma = tok.lemma_.lower()
        kids = {c.lower_ for c in tok.children}
        if tok.tag_ in ("NN", "NNP") and lemma in cues.state_nouns and kids & {"his", "her"}:
            # "his country" is the country of the person "his" stands for
            poss = next(c for c in tok.children if c.lower_ in ("his", "her"))
            owner = self._antecedent(poss, person=True)
            if owner is not None:
                return [owner]
            if ctx.last_person is not None:
                return [Role(ctx.last_person, ctx.last_person.sector)]
        fits = self._region(tok)  # "this Central Asian country": only a state of the region
        if tok.tag_ in ("NN", "NNP") and kids & {"the", "this", "that"}:
            # "the bloc" is the last bloc named, "this country" the last state
            wants_bloc = lemma in cues.bloc_nouns
            if wants_bloc or lemma in cues.state_nouns:
                earlier = [] if self._amap is None else [
                    self._amap[i].mention for i in range(tok.i) if i in self._amap]
                for m in reversed(ctx.recent + earlier):
                    if (m.country is None) == wants_bloc and m.kind not in ("person", "learned"):
                        if fits is not None and m.country not in fits:
                            continue
                        return [Role(m, m.sector)]
        if (tok.tag_ in ("NN", "NNS", "NNP", "NNPS") and not kids & {"two", "both"}
                and kids & {"the", "this"}
                and _body(tok.lower_, cues.body_nouns) in ctx.described):
            # "the ministry", "the co-chairs": whom that body noun last belonged to
            m = ctx.described[_body(tok.lower_, cues.body_nouns)]
            if fits is None or m.country in fits:
                return [Role(m, m.sector)]
        people = lemma in cues.pair_person_nouns
        if (people or lemma in cues.pair_nouns) and (
            kids & {"two", "both"}
            or (lemma in ("side", "party") and tok.tag_ == "NNS" and kids <= {"the", "both"})
        ):
            pair: list[Mention] = []
            # "the two leaders" are the last two people named; "the two countries" the last
            # two states or blocs, people standing for their countries when none is named.
            # Earlier in the same sentence first, then the sentences before.
            earlier = [] if self._amap is None else list(dict.fromkeys(
                self._amap[i].mention for i in range(tok.i) if i in self._amap))
            for wanted in ((True,) if people else (False, True)):
                for m in reversed(ctx.recent + earlier):
                    if (m.kind in ("person", "learned")) != wanted:
                        continue
                    if fits is not None and m.country not in fits:
                        continue
                    if all((p.country or p.code) != (m.country or m.code) for p in pair):
                        pair.append(m)
                    if len(pair) == 2:
                        return [Role(p, p.sector) for p in reversed(pair)]
        return []

    def _region(self, noun: Token) -> frozenset[str] | None:
        """The states a reference noun's region words allow ('the Nordic country'), or
        None when it names no region."""
        words = [t.lower_ for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod")
                 and t.i < noun.i]
        for n in range(min(3, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                fits = self.region_words.get(" ".join(words[i:i + n]))
                if fits is not None:
                    return fits
        return None

    def _accusing(self, verb: Token | None) -> Token | None:
        """The claim verb above 'of/for V-ing' ('accused X of striking'), if any."""
        if verb is None or verb.dep_ != "pcomp":
            return None
        prep = verb.head
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "for"):
            return None
        return prep.head if self._is_claim(prep.head) else None

    def _antecedent(self, tok: Token, person: bool) -> Role | None:
        """The last person (for he/she) or state (for it/they) named earlier in the sentence."""
        if self._amap is None:
            return None
        for i in range(tok.i - 1, -1, -1):
            role = self._amap.get(i)
            if role is not None and (role.mention.kind in ("person", "learned")) == person:
                return role
            t = tok.doc[i]
            if person and t.lemma_.lower() in self.cues.person_titles and role is None:
                # "expelled the Spanish ambassador, accusing him of ...": the official named
                # by title alone stands for the state that titles him
                owner = [self._amap[c.i] for c in t.children if c.i in self._amap
                         and c.dep_ in ("amod", "compound", "poss", "nmod")]
                if owner:
                    return owner[0]
        return None

    # Speaker pronouns being resolved by :meth:`_speaker` (token indices), innermost last.
    _speaking: tuple[int, ...] = ()

    def _speaker(self, tok: Token) -> Role | None:
        """The subject of the speech verb that a quoted 'we' sits under."""
        # _speaker -> _actors -> _resolve -> _speaker: the subject found may itself be a
        # speaker pronoun ('"We confirm our support," the minister said': "our" asks for
        # the subject of "confirm", which is "We"). Each pronoun is resolved at most once
        # per chain, so a parse where two pronouns name each other as speaker ends with
        # no speaker instead of recursing until Python's limit; the chain can be no
        # deeper than the sentence has tokens.
        if tok.i in self._speaking or self._amap is None:
            return None
        outer = self._speaking
        self._speaking = (*outer, tok.i)
        try:
            for anc in tok.ancestors:
                if anc.lemma_.lower() in self.cues.speech_verbs:
                    for c in anc.children:
                        # Compare by index: spaCy makes a new Token object on every access,
                        # so `c is not tok` held even for the pronoun itself.
                        if c.dep_ in SUBJ and c.i != tok.i:
                            roles = self._actors(c, self._amap, Context())
                            if roles:
                                return roles[0]
            return None
        finally:
            self._speaking = outer

    def _collect(self, toks: list[Token], amap, ctx) -> list[Role]:
        roles: list[Role] = []
        for t in toks:
            roles.extend(self._actors(t, amap, ctx))
        return dedupe(roles)
