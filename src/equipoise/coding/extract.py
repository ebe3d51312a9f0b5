"""Who did what to whom in one parsed sentence.

Triggers (verbs and nouns of the lexicon) are read off spaCy's dependency parse; their
source and target come from the trigger's arguments: subject and agent, objects and
prepositional objects, possessives and adjectives of nominal events. Negated,
conditional and interrogative triggers are dropped; cooperation announced for the
future becomes an expressed intent (CAMEO 03).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from equipoise.coding.cues import Cues
from equipoise.coding.gazetteer import Mention
from equipoise.coding.lexicon import Trigger

_CLAUSAL = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj", "punct", "mark"}
_SUBJ = {"nsubj", "csubj"}
_OBJ = {"dobj", "dative", "iobj", "obj", "attr", "oprd"}
_NOUN_TAGS = {"NOUN", "PROPN"}
_OWN_CLAUSES = {"ccomp", "parataxis", "csubj", "nsubj", "nsubjpass"}
_NP_LINKS = {"amod", "compound", "poss", "nmod", "appos", "flat"}


@dataclass(frozen=True, slots=True)
class Role:
    """An actor in an argument slot, with the sector read from its noun phrase."""

    mention: Mention
    sector: str


@dataclass(slots=True)
class Found:
    """An event read off a sentence, before coding and dating."""

    source: Role
    target: Role
    cameo: str
    trigger: Token
    symmetric: bool = False
    reported: bool = False


@dataclass(slots=True)
class Context:
    """What earlier sentences of the document said: for pronouns and 'the two sides'."""

    last_person: Mention | None = None
    last_group: Mention | None = None
    recent: list[Mention] = field(default_factory=list)
    speaker: Mention | None = None

    def update(self, mentions: list[Mention]) -> None:
        for m in mentions:
            if m.kind in ("person", "learned"):
                self.last_person = m
            else:
                self.last_group = m
        if mentions:
            self.recent = (self.recent + mentions)[-6:]


class SentenceExtractor:
    """Reads events off one parsed sentence. Stateless apart from its lexicons."""

    _amap: dict | None = None

    def __init__(self, triggers: dict[tuple[str, str], list[Trigger]], cues: Cues,
                 sector_words: dict[str, str]):
        self.triggers = triggers
        self.cues = cues
        self.sector_words = sector_words
        self._sector_max = max((len(k.split()) for k in sector_words), default=1)

    # -- entry point ---------------------------------------------------------------------
    def extract(self, sent: Doc, mentions: list[Mention], ctx: Context) -> list[Found]:
        if sent.text.rstrip(" \"'”’").endswith("?"):
            return []
        amap = self._map_mentions(sent, mentions)
        self._amap = amap
        found: list[Found] = []
        for tok in sent:
            if tok.lemma_.lower() in self.cues.speech_verbs:
                found.extend(self._demand(tok, amap, ctx))
            trig = self._trigger(tok)
            if trig is None or self._decides_hostility(tok):
                continue
            if self._blocked(tok) and self._cessation(tok, trig.cameo) is None:
                continue
            if any(c.dep_ in _OBJ and c.lemma_.lower() in self.cues.domestic_acts
                   for c in tok.children):
                continue  # "signed a decree": an act of state at home, not an agreement
            if trig.lemma in self.cues.phone_verbs and not trig.with_ and not _calls_actor(
                    tok, amap):
                continue  # "called the move a provocation" is no phone call
            if tok.pos_ not in ("VERB", "AUX") and self._background(tok):
                continue
            cameo = self._cessation(tok, trig.cameo) or self._intent(tok, trig.cameo)
            if tok.pos_ == "VERB" or tok.pos_ == "AUX":
                sources, targets, symmetric = self._verb_args(tok, amap, ctx, cameo)
            else:
                sources, targets, symmetric = self._noun_args(tok, amap, ctx, cameo)
            found.extend(self._pairs(sources, targets, symmetric, cameo, tok))
        return found + self._claims(found, ctx)

    def _claims(self, found: list[Found], ctx: Context) -> list[Found]:
        """'Baku claimed Russia shipped arms to Armenia': the claim is an accusation too.

        An event reported in a clause under a speech verb is marked as reported; under an
        accusing verb ('claim', 'allege') the speaker also accuses the event's source.
        News outlets report; they do not accuse.
        """
        out = []
        for f in found:
            speech = _reporting_verb(f.trigger, self.cues.speech_verbs)
            if speech is None:
                continue
            f.reported = True
            if speech.lemma_.lower() not in self.cues.accusing_speech:
                continue
            speakers = self._collect([c for c in speech.children if c.dep_ in _SUBJ],
                                     self._amap or {}, ctx)
            for sp in speakers:
                if _distinct(sp, f.source) and sp.sector != "MED":
                    out.append(Found(sp, f.source, self.cues.claim_code, speech, reported=False))
        return out

    # -- actors ------------------------------------------------------------------------
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
            if top.dep_ in _NP_LINKS and top.head.pos_ in _NOUN_TAGS and top.head is not top:
                top = top.head
            elif (top.dep_ == "pobj" and top.head.lower_ in self.cues.np_preps
                  and top.head.head.pos_ in _NOUN_TAGS):
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
            for c in _conjuncts(tok):
                roles.extend(self._actors(c, amap, ctx))
            return _dedupe(roles)
        roles = []
        stack = [tok]
        while stack:
            t = stack.pop()
            if t.i in amap:
                roles.append(amap[t.i])
            elif t is not tok and t.lemma_.lower() in self.cues.bloc_nouns | self.cues.state_nouns:
                roles.extend(self._resolve(t, ctx))  # "the leaders of the bloc"
            for c in t.children:
                if c.dep_ in _CLAUSAL:
                    continue
                if c.dep_ == "prep" and c.lower_ not in self.cues.np_preps:
                    continue
                stack.append(c)
        if roles:
            return _dedupe(roles)
        return self._resolve(tok, ctx)

    def _resolve(self, tok: Token, ctx: Context) -> list[Role]:
        """Pronouns and 'the two sides' from what was said before."""
        low = tok.lower_
        cues = self.cues
        if low in cues.speaker_pronouns:
            speaker = self._speaker(tok)
            return [speaker] if speaker else []
        if tok.dep_ == "poss" and low in cues.group_pronouns | cues.person_pronouns:
            verb = _governing_verb(tok.head)
            if verb is not None and self._amap is not None:
                subj = [c for c in verb.children if c.dep_ in _SUBJ]
                if subj:
                    # "the Co-Chairs reconfirm their support": their = the subject, known or not
                    role = self._amap.get(subj[0].i)
                    return [role] if role is not None else []
                inherited = self._inherited_subject(verb, self._amap, ctx)
                if inherited:
                    return inherited[:1]
        if tok.dep_ in _SUBJ and low in cues.person_pronouns:
            speech = _reporting_verb(tok.head, cues.speech_verbs | {"tell"})
            if speech is not None and self._amap is not None:
                # "Erdogan told Putin he wanted ...": he is the one speaking
                for c in speech.children:
                    if c.dep_ in _SUBJ and c.i in self._amap:
                        return [self._amap[c.i]]
        if low in cues.person_pronouns or low in cues.group_pronouns:
            person = low in cues.person_pronouns
            before = self._antecedent(tok, person)
            if before is not None:
                return [before]
            last = ctx.last_person if person else ctx.last_group
            if last is not None:
                return [Role(last, last.sector)]
        lemma = tok.lemma_.lower()
        if tok.tag_ in ("NN", "NNP") and any(c.lower_ == "the" for c in tok.children):
            # "the bloc" is the last bloc named, "the country" the last state
            wants_bloc = lemma in cues.bloc_nouns
            if wants_bloc or lemma in cues.state_nouns:
                earlier = [] if self._amap is None else [
                    self._amap[i].mention for i in range(tok.i) if i in self._amap]
                for m in reversed(ctx.recent + earlier):
                    if (m.country is None) == wants_bloc and m.kind not in ("person", "learned"):
                        return [Role(m, m.sector)]
        people = lemma in cues.pair_person_nouns
        kids = {c.lower_ for c in tok.children}
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
                    if all((p.country or p.code) != (m.country or m.code) for p in pair):
                        pair.append(m)
                    if len(pair) == 2:
                        return [Role(p, p.sector) for p in reversed(pair)]
        return []

    def _antecedent(self, tok: Token, person: bool) -> Role | None:
        """The last person (for he/she) or state (for it/they) named earlier in the sentence."""
        if self._amap is None:
            return None
        for i in range(tok.i - 1, -1, -1):
            role = self._amap.get(i)
            if role is not None and (role.mention.kind in ("person", "learned")) == person:
                return role
        return None

    def _speaker(self, tok: Token) -> Role | None:
        """The subject of the speech verb that a quoted 'we' sits under."""
        for anc in tok.ancestors:
            if anc.lemma_.lower() in self.cues.speech_verbs:
                for c in anc.children:
                    if c.dep_ in _SUBJ and c is not tok and self._amap is not None:
                        roles = self._actors(c, self._amap, Context())
                        if roles:
                            return roles[0]
        return None

    # -- triggers ----------------------------------------------------------------------
    def _trigger(self, tok: Token) -> Trigger | None:
        pos = tok.pos_
        if pos == "AUX":
            pos = "VERB"
        elif pos == "PROPN":
            pos = "NOUN"
        rows = self.triggers.get((tok.lemma_.lower(), pos))
        if not rows:
            return None
        deps = None
        for row in rows:
            if not row.with_:
                return row
            if deps is None:
                deps = _near_lemmas(tok)
            if row.with_ in deps:
                return row
        return None

    def _blocked(self, tok: Token) -> bool:
        """Negated, conditional or refused triggers are not events."""
        cues = self.cues
        t = tok
        while True:
            for c in t.children:
                if c.dep_ == "neg":
                    return True
                if c.dep_ == "det" and c.lower_ in cues.negative_determiners:
                    return True
                if c.dep_ == "mark" and c.lower_ in cues.conditional_marks:
                    return True
            if t.dep_ == "advcl" and any(c.lower_ in cues.conditional_marks for c in t.children):
                return True
            if _conditional_main_clause(t, cues):
                return True
            if t.dep_ in ("xcomp", "ccomp") and t.head.lemma_.lower() in cues.negating_heads:
                return True
            if t.dep_ in ("xcomp", "ccomp") and self._requests(t.head) and not (
                    t.head.lemma_.lower() in cues.decision_heads and self._hostile(tok)):
                # "urged Armenia to restart talks": the talks have not happened. But
                # "agreed to impose sanctions" is the decision to sanction.
                return True
            if t.dep_ == "pobj" and t.head.lower_ == "without":
                return True
            if t.dep_ in ("dobj", "pobj", "prep", "xcomp", "attr", "nsubjpass", "conj", "amod"):
                if t.head is t:
                    return False
                t = t.head
                continue
            return False

    def _cessation(self, tok: Token, cameo: str) -> str | None:
        """'would no longer train Turkish pilots', 'stopped supplying gas': cooperation that
        ends is a reduction of relations (CAMEO 16), not a negated event."""
        code = self.cues.cessation_codes.get(cameo[:2])
        if code is None or tok.pos_ not in ("VERB", "AUX"):
            return None
        for c in tok.children:  # "no longer", "not ... any longer"
            if c.lower_ == "longer" and any(
                    g.lower_ in ("no", "not", "any") for g in [*c.children, *tok.children]):
                return code
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in self.cues.cessation_heads:
            return code
        return None

    def _is_claim(self, verb: Token) -> bool:
        trig = self._trigger(verb)
        return trig is not None and trig.cameo[:2] in ("11", "12")

    def _hostile(self, tok: Token) -> bool:
        trig = self._trigger(tok)
        return trig is not None and trig.cameo[:2] >= "09"

    def _decides_hostility(self, verb: Token) -> bool:
        """'agreed to impose sanctions': the agreement is not cooperation, the sanction is."""
        return verb.lemma_.lower() in self.cues.decision_heads and any(
            c.dep_ == "xcomp" and (self._hostile(c) or any(
                self._hostile(g) for g in c.children if g.dep_ in _OBJ))
            for c in verb.children)

    def _requests(self, verb: Token) -> bool:
        trig = self._trigger(verb)
        return trig is not None and trig.cameo[:2] in self.cues.request_roots

    def _background(self, noun: Token) -> bool:
        """A nominal event mentioned in passing is not reported as news.

        "after the clashes", "condemned Russia's invasion", "neutral on the war": the
        noun sits under a circumstantial preposition, under another trigger, or under an
        adjective, so the sentence is about something else.
        """
        if noun.dep_ == "appos":
            return True
        if _dated(noun):
            return False  # "during the September 2022 clashes": a dated event is news
        t = noun
        for _ in range(6):
            head = t.head
            if head is t:
                return False
            if t.dep_ == "pobj" and head.lower_ in self.cues.background_preps:
                return True
            if head.pos_ in ("VERB", "AUX"):
                if head.dep_ in ("acl", "relcl") and head.head.pos_ in _NOUN_TAGS:
                    return True  # "the shortage caused by Russia's invasion"
                return t.dep_ not in ("nsubj", "nsubjpass") and self._trigger(head) is not None
            if head.pos_ == "ADJ":
                return True
            if head.pos_ in _NOUN_TAGS and head.lower_ in self.cues.background_preps:
                return True  # "in the wake of ..."
            if (t.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in _NOUN_TAGS
                    and self._trigger(head.head) is None
                    and head.head.lemma_.lower() not in self.cues.quantity_nouns):
                return True  # "areas of cooperation", "a gesture of support"
            t = head
        return False

    def _intent(self, tok: Token, cameo: str) -> str:
        """Cooperation announced for the future or as a plan is an expressed intent."""
        code = self.cues.intent_codes.get(cameo[:2])
        if code is None:
            return cameo
        verb = tok if tok.pos_ in ("VERB", "AUX") else _governing_verb(tok)
        if verb is None:
            return cameo
        if any(c.dep_ == "aux" and c.lower_ in self.cues.future_aux for c in verb.children):
            return code
        if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in self.cues.speech_verbs and any(
                c.dep_ == "aux" and c.lower_ == "would" for c in verb.children):
            return code  # "said Ankara would coordinate": the future seen from the past
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.cues.intent_heads:
            return code
        return cameo

    # -- arguments ---------------------------------------------------------------------
    def _verb_args(self, v: Token, amap, ctx, cameo):
        subj = [c for c in v.children if c.dep_ in _SUBJ]
        passive = [c for c in v.children if c.dep_ == "nsubjpass"]
        agent = [g for c in v.children if c.dep_ == "agent" for g in c.children
                 if g.dep_ == "pobj"]
        # npadvmod: the small model's reading of some bare objects ("criticized Azerbaijan")
        objs = [c for c in v.children if c.dep_ in _OBJ or (c.dep_ == "npadvmod" and c.i in amap)]
        preps = self._prep_objects(v, self.cues.target_preps)
        symmetric = False
        if passive or agent:
            sources = self._collect(agent, amap, ctx)
            targets = self._collect(passive + objs + preps, amap, ctx)
        else:
            sources = self._collect(subj, amap, ctx) if subj else self._inherited_subject(
                v, amap, ctx)
            targets = self._collect(objs + preps, amap, ctx)
            if not targets:  # "paid a visit to Russia", "fought a war with Russia"
                targets = self._collect([p for o in objs for p in self._prep_objects(
                    o, self.cues.target_preps)], amap, ctx)
            if not targets:  # "condemned and criticized Azerbaijan": shared object
                for c in v.children:
                    if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
                        targets = self._collect(
                            [o for o in c.children if o.dep_ in _OBJ], amap, ctx)
                        break
        between = self._between(v, amap, ctx)
        if between:
            return between, [], True
        if self._reciprocal(v) and len(sources) >= 2:
            return sources, [], True
        if not targets and cameo[:2] in self.cues.claim_roots:
            targets = self._claimed(v, amap, ctx)
        if not targets and cameo[:2] == "04" and not objs:
            targets = self._collect(self._prep_objects(v, self.cues.visit_preps), amap, ctx)
        if not targets and len(sources) >= 2 and self._joint(cameo):
            symmetric = True
        if (sources and not targets and not symmetric
                and v.lemma_.lower() not in self.cues.speech_verbs | {"tell"}):
            targets = self._clause_target(v, sources, amap)
        return sources, targets, symmetric

    def _clause_target(self, v: Token, sources: list[Role], amap) -> list[Role]:
        """Fallback: the one other actor named inside the trigger's clause, if only one is."""
        taken = {r.mention.country or r.mention.code for r in sources}
        found = {}
        stack = [c for c in v.children if c.dep_ not in _OWN_CLAUSES]
        while stack:
            t = stack.pop()
            stack.extend(c for c in t.children if c.dep_ not in ("ccomp", "parataxis"))
            role = amap.get(t.i)
            if role is None:
                continue
            key = role.mention.country or role.mention.code
            if key not in taken:
                found.setdefault(key, role)
        return list(found.values()) if len(found) == 1 else []

    def _noun_args(self, n: Token, amap, ctx, cameo):
        own = [c for c in n.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
        if n.lemma_.lower() in self.cues.statement_nouns and not any(
            c.dep_ == "poss" and c.lower_ in self.cues.speaker_pronouns for c in own
        ):
            return [], [], False  # "our ally" is a statement; "Russia's ally" is background
        agent = [g for c in n.children if c.dep_ == "prep" and c.lower_ == "by"
                 for g in c.children if g.dep_ == "pobj"]
        sources = self._collect(own + agent, amap, ctx)
        targets = self._collect(self._prep_objects(n, self.cues.noun_target_preps), amap, ctx)
        verb = _governing_verb(n)
        if verb is not None and n.dep_ == "attr" and not targets:
            subj = [c for c in verb.children if c.dep_ in _SUBJ]
            targets = (self._collect(subj, amap, ctx) if subj
                       else self._inherited_subject(verb, amap, ctx))
        if verb is not None:
            if not sources and n.dep_ in _OBJ | {"pobj"}:
                subj = [c for c in verb.children if c.dep_ in _SUBJ]
                sources = (self._collect(subj, amap, ctx) if subj
                           else self._inherited_subject(verb, amap, ctx))
            if not targets and n.dep_ in _OBJ | {"pobj"}:
                targets = self._collect(self._prep_objects(verb, self.cues.target_preps),
                                        amap, ctx)
                if not targets:
                    targets = [r for r in self._collect(
                        [c for c in verb.children if c.dep_ in ("dative", "iobj")], amap, ctx)]
        if not targets and cameo[:2] in self.cues.claim_roots:
            targets = self._claimed(n, amap, ctx)
            if not targets and verb is not None:
                targets = self._claimed(verb, amap, ctx)
        between = self._between(n, amap, ctx) or (
            self._between(verb, amap, ctx) if verb is not None else [])
        if between:
            return between, [], True
        symmetric = not targets and len(sources) >= 2 and self._joint(cameo)
        if not sources and not targets and self._joint(cameo):
            pair = self._border_pair(n.sent.root if verb is None else verb, amap)
            if pair:
                return pair, [], True
        return sources, targets, symmetric

    def _border_pair(self, tok: Token, amap) -> list[Role]:
        """'fighting along the Armenian-Azerbaijani border': the two sides of the border."""
        for t in tok.subtree:
            if t.lemma_.lower() in self.cues.border_nouns:
                roles = _dedupe([amap[c.i] for c in t.subtree if c.i in amap])
                if len({r.mention.country or r.mention.code for r in roles}) == 2:
                    return roles
        return []

    def _joint(self, cameo: str) -> bool:
        """Codes that read as a joint action when only coordinated actors are named."""
        return cameo[:2] in self.cues.symmetric_roots and cameo not in self.cues.asymmetric_codes

    def _demand(self, speech: Token, amap, ctx) -> list[Found]:
        """'Aliyev said Armenian forces must withdraw': a demand on the clause's subject."""
        if self._blocked(speech):
            return []
        out = []
        for clause in speech.children:
            if clause.dep_ != "ccomp" or not any(
                c.dep_ == "aux" and c.lower_ in self.cues.obligation_aux for c in clause.children
            ):
                continue
            sources = self._collect([c for c in speech.children if c.dep_ in _SUBJ], amap, ctx)
            targets = self._collect(
                [c for c in clause.children if c.dep_ in _SUBJ], amap, ctx)
            out.extend(self._pairs(sources, targets, False, self.cues.demand_code, clause))
        return out

    def _reciprocal(self, v: Token) -> bool:
        """'accused each other', 'met one another'."""
        for c in v.children:
            if c.dep_ in _OBJ or c.dep_ == "prep":
                phrase = " ".join(t.lower_ for t in c.subtree)
                if any(phrase.endswith(r) for r in self.cues.reciprocals):
                    return True
        return False

    def _claimed(self, tok: Token, amap, ctx) -> list[Role]:
        """Whom an accusation is about: the subject of the clause it introduces."""
        # "expressed concern that Russia provided ...": the clause may hang on the object
        heads = [tok] + [c for c in tok.children if c.dep_ in _OBJ]
        clauses = [c for h in heads for c in h.children if c.dep_ in ("ccomp", "acl")]
        subjects = [s for c in clauses for s in c.children if s.dep_ in _SUBJ | {"nsubjpass"}]
        agents = [g for c in clauses for a in c.children if a.dep_ == "agent"
                  for g in a.children if g.dep_ == "pobj"]
        return self._collect(agents or subjects, amap, ctx)

    def _inherited_subject(self, v: Token, amap, ctx) -> list[Role]:
        """Subject of a verb that has none of its own: conjuncts, control verbs, relatives."""
        head = v.head
        if v.dep_ == "xcomp":
            obj = [c for c in head.children if c.dep_ in ("dobj", "dative")]
            if obj:
                return self._collect(obj, amap, ctx)
        if v.dep_ in ("xcomp", "conj", "advcl") and head is not v:
            # nsubjpass: "Stoltenberg is set to visit", "X is expected to sign"
            subj = [c for c in head.children if c.dep_ in _SUBJ or c.dep_ == "nsubjpass"]
            if subj:
                return self._collect(subj, amap, ctx)
            agent = [g for c in head.children if c.dep_ == "agent" for g in c.children
                     if g.dep_ == "pobj"]
            if agent:
                return self._collect(agent, amap, ctx)
            if head.dep_ in ("xcomp", "conj") and head.head is not head:
                return self._inherited_subject(head, amap, ctx)
        if (v.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ in ("of", "for")
                and self._is_claim(head.head)):
            # "accused Turkey of sending fighters": Turkey did the sending
            return self._collect([c for c in head.head.children if c.dep_ in _OBJ], amap, ctx)
        if (v.dep_ == "pcomp" and head.dep_ == "prep" and head.head is not head
                and head.lower_ in self.cues.subordinating_preps):
            # "responded by slapping sanctions": the subject of the verb the preposition hangs on
            verb = head.head
            subj = [c for c in verb.children if c.dep_ in _SUBJ]
            if subj:
                return self._collect(subj, amap, ctx)
            return self._inherited_subject(verb, amap, ctx)
        if v.dep_ == "relcl" and v.head.pos_ in _NOUN_TAGS:
            return self._collect([v.head], amap, ctx)
        if v.dep_ == "acl":  # "drills conducted by Turkey": the agent is handled by caller
            return []
        return []

    def _prep_objects(self, tok: Token, preps: frozenset[str]) -> list[Token]:
        out = []
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in preps or c.dep_ == "prt" and c.lower_ in preps:
                out.extend(g for g in c.children if g.dep_ == "pobj")
        return out

    def _between(self, tok: Token | None, amap, ctx) -> list[Role]:
        if tok is None:
            return []
        objs = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"
                for g in c.children if g.dep_ == "pobj"]
        roles = self._collect(objs, amap, ctx)
        return roles if len({r.mention.code for r in roles}) >= 2 else []

    def _collect(self, toks: list[Token], amap, ctx) -> list[Role]:
        roles: list[Role] = []
        for t in toks:
            roles.extend(self._actors(t, amap, ctx))
        return _dedupe(roles)

    # -- output ------------------------------------------------------------------------
    def _pairs(self, sources, targets, symmetric, cameo, tok) -> list[Found]:
        out = []
        if symmetric:
            for i, s in enumerate(sources):
                for t in sources[i + 1:]:
                    if _distinct(s, t):
                        out.append(Found(s, t, cameo, tok, symmetric=True))
            return out
        for s in sources:
            for t in targets:
                if not _distinct(s, t):
                    continue
                if cameo[:2] == "04" and t.sector == "MED":
                    continue  # an interview with a foreign outlet is not a consultation
                out.append(Found(s, t, cameo, tok))
        return out


_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"}


def _calls_actor(verb: Token, amap: dict) -> bool:
    """'called Putin': the direct object is an actor and nothing predicates over it."""
    kids = list(verb.children)
    return any(c.dep_ == "dobj" and c.i in amap for c in kids) and not any(
        c.dep_ in ("oprd", "xcomp", "ccomp", "attr") for c in kids)


def _dated(noun: Token) -> bool:
    """A nominal event with its own date: 'the 2008 war', 'the September 2022 clashes'."""
    for c in noun.children:
        if c.dep_ not in ("compound", "nummod", "amod", "npadvmod"):
            continue
        for t in c.subtree:
            if t.lower_ in _MONTHS or (t.is_digit and len(t.text) == 4 and
                                       1900 <= int(t.text) <= 2099):
                return True
    return False


def _reporting_verb(tok: Token, speech_verbs: frozenset[str]) -> Token | None:
    """The speech verb whose reported clause holds ``tok``, if any."""
    t = tok
    for _ in range(8):
        if t.head is t:
            return None
        if t.dep_ in ("ccomp", "xcomp") and t.head.lemma_.lower() in speech_verbs:
            return t.head
        if t.dep_ in ("relcl", "acl", "advcl", "parataxis"):
            return None
        t = t.head
    return None


def _conditional_main_clause(t: Token, cues: Cues) -> bool:
    """'X would do Y if Z': a modal main clause with a conditional clause."""
    if not any(c.dep_ == "aux" and c.lower_ in cues.hypothetical_aux for c in t.children):
        return False
    return any(
        c.dep_ == "advcl" and any(m.lower_ in cues.conditional_marks for m in c.children)
        for c in t.children
    )


def _near_lemmas(tok: Token) -> set[str]:
    """Lemmas a lexicon row's ``with`` may name: children, their objects, and the head."""
    lemmas = set()
    for c in tok.children:
        lemmas.add(c.lemma_.lower())
        if c.dep_ in ("prep", "dobj", "prt", "agent"):
            lemmas.update(g.lemma_.lower() for g in c.children if g.dep_ in ("pobj", "compound",
                                                                             "amod"))
    if tok.dep_ in _OBJ or tok.dep_ == "pobj":
        lemmas.add(tok.head.lemma_.lower())
        if tok.head.dep_ == "prep":
            lemmas.add(tok.head.head.lemma_.lower())
    return lemmas


def _governing_verb(tok: Token) -> Token | None:
    t = tok
    for _ in range(4):
        if t.head is t:
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.dep_ not in ("prep", "pobj", "dobj", "compound", "conj", "appos"):
            return None
    return None


def _conjuncts(tok: Token) -> list[Token]:
    """Coordinated actors, and the first half of a hyphenated pair ("Russian-Armenian")."""
    out = [c for c in tok.children if c.dep_ in ("conj", "appos")]
    for c in tok.children:
        if c.dep_ in ("amod", "compound") and c.i + 1 < len(tok.doc) and \
                tok.doc[c.i + 1].text in ("-", "–", "/"):
            out.append(c)
    return out


def _distinct(a: Role, b: Role) -> bool:
    ca = a.mention.country or a.mention.code
    cb = b.mention.country or b.mention.code
    return ca != cb and a.mention.code != b.mention.code


def _dedupe(roles: list[Role]) -> list[Role]:
    seen: set[str] = set()
    out = []
    for r in roles:
        if r.mention.code not in seen:
            seen.add(r.mention.code)
            out.append(r)
    return out
