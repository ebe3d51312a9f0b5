"""Who did what to whom in one parsed sentence.

Triggers (verbs and nouns of the lexicon) are read off spaCy's dependency parse; their
source and target come from the trigger's arguments: subject and agent, objects and
prepositional objects, possessives and adjectives of nominal events. Negated,
conditional and interrogative triggers are dropped; cooperation announced for the
future becomes an expressed intent (CAMEO 03).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from equipoise.coding.arguments import ArgumentReader
from equipoise.coding.cues import Cues
from equipoise.coding.gazetteer import Mention
from equipoise.coding.lexicon import Trigger
from equipoise.coding.modality import EventFilters
from equipoise.coding.roles import ActorResolver, Context, Role, dedupe, distinct
from equipoise.coding.syntax import (
    OBJ,
    SUBJ,
    calls_actor,
    governing_verb,
    near_lemmas,
    reporting_verb,
)
from equipoise.reference.cameo import quad_of

__all__ = ["Context", "Found", "Role", "SentenceExtractor"]


@dataclass(slots=True)
class Found:
    """An event read off a sentence, before coding and dating."""

    source: Role
    target: Role
    cameo: str
    trigger: Token
    symmetric: bool = False
    reported: bool = False


class SentenceExtractor(ActorResolver, EventFilters, ArgumentReader):
    """Reads events off one parsed sentence. Stateless apart from its lexicons."""

    def __init__(self, triggers: dict[tuple[str, str], list[Trigger]], cues: Cues,
                 sector_words: dict[str, str], groups: dict[str, tuple[str, ...]] | None = None,
                 region_words: dict[str, frozenset[str]] | None = None):
        self.triggers = triggers
        self.cues = cues
        self.sector_words = sector_words
        self.groups = groups or {}  # "the E3" acts as Britain, France and Germany
        self.region_words = region_words or {}  # "the Nordic country" is a Nordic state
        self._sector_max = max((len(k.split()) for k in sector_words), default=1)

    def extract(self, sent: Doc, mentions: list[Mention], ctx: Context) -> list[Found]:
        if sent.text.rstrip(" \"'”’").endswith("?"):
            return []
        amap = self._map_mentions(sent, mentions)
        self._amap = amap
        self._trigger_cache = {}
        found: list[Found] = []
        for tok in sent:
            if tok.lemma_.lower() in self.cues.speech_verbs:
                found.extend(self._demand(tok, amap, ctx))
                found.extend(self._reproach_clause(tok, amap, ctx))
                found.extend(self._reproach_clause(tok, amap, ctx, praise=True))
            if tok.pos_ == "VERB" and tok.lemma_.lower() in self._labelling_verbs:
                found.extend(self._label(tok, amap, ctx))
            if tok.pos_ == "VERB" and tok.lemma_.lower() in self.cues.expectation_verbs:
                found.extend(self._expectation(tok, amap, ctx))
            if self._refused_acceptance(tok):
                # "will not accept", "would not tolerate": a rejection, not a negated event
                sources, targets, symmetric = self._verb_args(
                    tok, amap, ctx, self.cues.refusal_code)
                found.extend(self._pairs(sources, targets, symmetric,
                                         self.cues.refusal_code, tok))
                continue
            trig = self._trigger(tok)
            if trig is None or self._decides_hostility(tok):
                continue
            halted = self._halted(tok, trig.cameo)
            if halted is not None and self._blocked(tok.head):
                continue  # "failed to halt the fighting"
            if self._blocked(tok) and halted is None and self._cessation(
                    tok, trig.cameo) is None:
                continue
            if any(c.dep_ in OBJ and c.lemma_.lower() in self.cues.domestic_acts
                   for c in tok.children):
                continue  # "signed a decree": an act of state at home, not an agreement
            if trig.cameo.startswith("084") and any(
                    c.dep_ in OBJ and c.lemma_.lower() in self.cues.published_things
                    for c in tok.children):
                continue  # "released a statement" frees nobody
            if trig.lemma in self.cues.phone_verbs and not trig.with_ and not calls_actor(
                    tok, amap):
                continue  # "called the move a provocation" is no phone call
            if tok.pos_ not in ("VERB", "AUX") and halted is None and self._background(tok):
                continue
            if tok.pos_ == "NOUN" and quad_of(trig.cameo) == 3 and tok.dep_ in OBJ and (
                    tok.head.lemma_.lower() in self.cues.assessment_verbs):
                continue  # "Russia poses a threat to Norway" judges Russia; nobody threatens
            if any(self._halted_object(c) for c in self._left_or_stopped(tok)):
                continue  # "suspended strikes": the strikes' end is the event, coded there
            cameo = (halted or self._cessation(tok, trig.cameo)
                     or self._intent(tok, trig.cameo))
            if tok.pos_ == "NOUN" and self._backed(tok):
                cameo = self._backing_code(tok, cameo)
            if tok.pos_ == "VERB" or tok.pos_ == "AUX":
                sources, targets, symmetric = self._verb_args(tok, amap, ctx, cameo)
            elif tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "oprd"):
                sources, targets, symmetric = self._adjective_args(tok, amap, ctx, cameo)
            else:
                sources, targets, symmetric = self._noun_args(tok, amap, ctx, cameo)
            if not symmetric and self._lone_exercise(tok, trig):
                cameo = self.cues.posture_code  # drills with no partner are a show of force
            if trig.lemma in self.cues.receiving_words:
                if quad_of(cameo) == 2:
                    sources, targets = targets, sources  # a purchase is coded as the sale
                elif cameo.startswith("03"):
                    cameo = "030"  # a planned purchase: intent to cooperate, not to give aid
            if cameo.startswith("087") and self._unarmed_exit(tok, sources, amap):
                cameo = self.cues.leaving_code  # "Washington pulled out years ago": left the deal
            found.extend(self._pairs(sources, targets, symmetric, cameo, tok))
            if trig.with_ and tok.pos_ in ("VERB", "AUX"):
                found.extend(self._coordinated_objects(tok, trig, sources, amap, ctx))
        return found + self._claims(found, ctx)

    def _coordinated_objects(self, verb: Token, trig: Trigger, sources, amap, ctx
                             ) -> list[Found]:
        """'expressed support for Manila and concern over Beijing's actions': each noun
        joined to the light verb's object carries its own code and its own target."""
        rows = self.triggers.get((verb.lemma_.lower(), "VERB"), [])
        out = []
        for obj in verb.children:
            if obj.dep_ not in OBJ or obj.lemma_.lower() != trig.with_:
                continue
            # the small parser often hangs the second noun on the first one's phrase
            nouns = [t for t in obj.subtree if t.dep_ == "conj" and t.pos_ == "NOUN"]
            for noun in nouns:
                row = next((r for r in rows if r.with_ == noun.lemma_.lower()), None)
                if row is None or row.cameo[:2] == trig.cameo[:2]:
                    continue
                targets = (self._object_targets(noun, row.cameo, amap, ctx)
                           or self._grievance_targets(obj, row.cameo, amap, ctx))
                out.extend(self._pairs(sources, targets, False, row.cameo, verb))
        return out

    def _expectation(self, verb: Token, amap, ctx) -> list[Found]:
        """'Managua expects the OAS to desist', 'wants NATO allies to reaffirm', 'expects
        consistency from Serbia': what one actor expects another to do is a demand or an
        appeal to that other."""
        if self._blocked(verb):
            return []
        asked = [s for c in verb.children if c.dep_ in ("ccomp", "xcomp")
                 and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                 for s in c.children if s.dep_ in SUBJ]
        if any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
            asked += [c for c in verb.children if c.dep_ == "dobj"]
        if any(c.dep_ == "dobj" for c in verb.children):  # "from X", on the noun or verb
            asked += [g for o in [verb, *verb.children] if o is verb or o.dep_ == "dobj"
                      for p in o.children if p.dep_ == "prep" and p.lower_ == "from"
                      for g in p.children if g.dep_ == "pobj"]
        targets = self._collect(asked, amap, ctx)
        if not targets:
            return []
        subj = [c for c in verb.children if c.dep_ in SUBJ]
        sources = (self._collect(subj, amap, ctx) if subj
                   else self._inherited_subject(verb, amap, ctx))
        code = self.cues.expectation_verbs[verb.lemma_.lower()]
        return self._pairs(sources, targets, False, code, verb)

    def _refused_acceptance(self, tok: Token) -> bool:
        """A verb of acceptance negated in the main clause: 'will not accept X's demands'."""
        return (tok.pos_ == "VERB" and tok.lemma_.lower() in self.cues.acceptance_verbs
                and any(c.dep_ == "neg" for c in tok.children)
                and not any(c.dep_ == "mark" and c.lower_ in self.cues.conditional_marks
                            for c in tok.children))

    def _unarmed_exit(self, tok: Token, sources: list[Role], amap) -> bool:
        """A withdrawal with no troops in it, by no armed force, from no place: leaving."""
        if tok.lemma_.lower() not in self.cues.exit_verbs or any(
                s.sector == "MIL" for s in sources):
            return False
        if near_lemmas(tok) & self.cues.armed_nouns:
            return False
        # "withdrew from Gaza", "from the Ukrainian town": a place; "from the deal": leaving
        return not any(t.lemma_.lower() not in self.cues.relation_words
                       and any(g.i in amap for g in t.subtree)
                       for t in self._left_or_stopped(tok))

    def _backing_code(self, noun: Token, cameo: str) -> str:
        """Backing given to a material act is material: 'raids with support from X'."""
        verb = governing_verb(noun)
        if verb is None:
            return cameo
        acts = [verb] + [c for c in verb.children if c.dep_ in OBJ or c.dep_ == "nsubjpass"]
        quads = {quad_of(t.cameo) for a in acts if (t := self._trigger(a)) is not None}
        for quad in (4, 2):
            if quad in quads:
                return self.cues.backing_codes.get(str(quad), cameo)
        return cameo

    def _left_or_stopped(self, tok: Token) -> list[Token]:
        """The direct objects of a verb, and what it leaves: 'withdrew from the talks'."""
        heads = [tok] + [c for c in tok.children
                         if c.dep_ in ("prt", "prep", "advmod") and c.lower_ == "out"]
        return [c for c in tok.children if c.dep_ == "dobj"] + [
            g for h in heads for p in h.children
            if p.dep_ == "prep" and p.lower_ in ("from", "of")
            for g in p.children if g.dep_ == "pobj"]

    def _halted_object(self, obj: Token) -> bool:
        trig = self._trigger(obj)
        return trig is not None and self._halted(obj, trig.cameo) is not None

    def _lone_exercise(self, tok: Token, trig: Trigger) -> bool:
        """'Russian warships held exercises off Baku': no partner, so not cooperation."""
        joint = self.cues.joint_nouns
        noun: Token | None
        if trig.lemma in joint and tok.pos_ not in ("VERB", "AUX"):
            noun, verb = tok, governing_verb(tok)
        elif trig.with_ in joint:  # "held exercises": the verb is the trigger
            noun = next((c for c in tok.children if c.lemma_.lower() in joint), None)
            verb = tok
        else:
            return False
        if noun is None or any(c.lower_ in self.cues.joint_words for c in noun.children):
            return False
        return not any(c.dep_ == "prep" and c.lower_ == "with"
                       for h in (noun, verb) if h is not None for c in h.children)

    def _claims(self, found: list[Found], ctx: Context) -> list[Found]:
        """'Baku claimed Russia shipped arms to Armenia': the claim is an accusation too.

        An event reported in a clause under a speech verb is marked as reported; under an
        accusing verb ('claim', 'allege') the speaker also accuses the event's source.
        News outlets report; they do not accuse.
        """
        out = []
        for f in found:
            speech = reporting_verb(f.trigger, self.cues.speech_verbs)
            if speech is None:
                continue
            f.reported = True
            if speech.lemma_.lower() not in self.cues.accusing_speech:
                continue
            speakers = self._collect([c for c in speech.children if c.dep_ in SUBJ],
                                     self._amap or {}, ctx)
            for sp in speakers:
                if distinct(sp, f.source) and sp.sector != "MED":
                    out.append(Found(sp, f.source, self.cues.claim_code, speech, reported=False))
        return out

    @property
    def _labelling_verbs(self) -> frozenset[str]:
        return self.cues.naming_verbs | self.cues.phone_verbs

    def _label(self, verb: Token, amap, ctx) -> list[Found]:
        """'Iraq called the Turkish raids a violation', 'described the move as a provocation':
        naming what another actor did with a term of reproach is criticism of that actor."""
        if self._blocked(verb):
            return []
        objs = [c for c in verb.children if c.dep_ == "dobj"]
        labels = [c for c in verb.children if c.dep_ in ("oprd", "attr", "xcomp")]
        labels += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
                   for g in c.children if g.dep_ in ("pobj", "amod", "acomp")]
        # "called Seoul's decision regrettable": the parser hangs the adjective on the noun
        labels += [a for o in verb.children if o.dep_ in ("dobj", "oprd")
                   for a in o.children if a.dep_ == "amod" and a.i > o.i]
        # "called the Ethiopia-Somaliland accord a violation": the small model may read the
        # object's noun as a verb with the label as its own object
        labels += [g for c in labels if c.pos_ == "VERB" for g in c.children
                   if g.dep_ == "dobj"]
        if len(objs) >= 2:  # "branded the sanctions an act of aggression"
            labels.append(objs.pop())
        if not objs and len(labels) >= 2:  # the small model reads both nouns as predicates
            objs = [labels.pop(0)]
        if not objs or not any(self._reproach(n) for n in labels):
            return []
        subj = [c for c in verb.children if c.dep_ in SUBJ]
        sources = (self._collect(subj, amap, ctx) if subj
                   else self._inherited_subject(verb, amap, ctx))
        targets = [amap[t.i] for o in objs + labels for t in o.subtree if t.i in amap]
        return self._pairs(sources, dedupe(targets), False, self.cues.labelling_code, verb)

    def _reproach(self, noun: Token) -> bool:
        """A term of reproach, itself or as 'an act of <reproach>', or an adjective of
        reproach ('called the decision regrettable')."""
        words = self.cues.negative_labels
        if noun.pos_ == "ADJ" and noun.lemma_.lower() in self.cues.reproach_words:
            return True
        return noun.lemma_.lower() in words or any(
            g.lemma_.lower() in words for c in noun.children
            if c.dep_ == "prep" and c.lower_ == "of" for g in c.children)

    def _sayers(self, speech: Token, amap, ctx) -> list[Role]:
        """Who says it: the speech verb's subject, or for 'filed a case, saying ...' the
        subject of the verb the participle hangs on."""
        subj = [c for c in speech.children if c.dep_ in SUBJ]
        if subj:
            return self._collect(subj, amap, ctx)
        if speech.dep_ in ("advcl", "conj", "xcomp"):
            return self._inherited_subject(speech, amap, ctx)
        return []

    def _labelled(self, clause: Token) -> bool:
        """'the OAS is an instrument of interference': a copula naming its subject with a
        term of reproach."""
        labels = self.cues.negative_labels
        return clause.lemma_.lower() == "be" and any(
            c.dep_ == "attr" and (c.lemma_.lower() in labels or (
                c.lemma_.lower() in self.cues.vehicle_nouns and any(
                    g.lemma_.lower() in labels for p in c.children
                    if p.dep_ == "prep" and p.lower_ == "of" for g in p.children)))
            for c in clause.children)

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
            sources = self._sayers(speech, amap, ctx)
            targets = self._collect(
                [c for c in clause.children if c.dep_ in SUBJ], amap, ctx)
            out.extend(self._pairs(sources, targets, False, self.cues.demand_code, clause))
        return out

    def _reproach_clause(self, speech: Token, amap, ctx, praise: bool = False
                         ) -> list[Found]:
        """'Moscow said Kyiv had violated the truce', '"Washington's move is dangerous,"
        the minister said': saying another actor does wrong is criticism of that actor;
        with ``praise``, saying it does well ('"Seoul is a reliable partner"') is praise."""
        if self._blocked(speech):
            return []
        out = []
        words = self.cues.praise_words if praise else self.cues.reproach_words
        code = self.cues.praise_code if praise else self.cues.reproach_code
        for clause in speech.children:
            if clause.dep_ not in ("ccomp", "parataxis") or self._blocked(clause):
                continue
            if not any(_word_of(t) & words and not self._blocked(t) for t in clause.subtree) \
                    and (praise or not self._labelled(clause)):
                continue
            if praise and any(_word_of(t) & self.cues.reproach_words
                              or (t.pos_ == "VERB" and self._trigger(t) is not None)
                              for t in clause.subtree):
                continue  # mixed or eventful: the clause's own words decide
            subj = [c for c in clause.children if c.dep_ in SUBJ | {"nsubjpass"}]
            if any(c.dep_ == "nsubjpass" for c in subj):
                continue  # the actor named is the one wronged
            targets = self._collect(subj, amap, ctx)
            if not targets:
                continue
            sources = self._sayers(speech, amap, ctx)
            sources = [s for s in sources if s.sector != "MED"]
            out.extend(self._pairs(sources, targets, False, code, clause))
        return out

    def _members(self, roles: list[Role]) -> list[Role]:
        """An informal group stands for each of its member states."""
        out: list[Role] = []
        for r in roles:
            members = self.groups.get(r.mention.code)
            if members is None:
                out.append(r)
                continue
            sector = "GOV" if r.sector == "IGO" else r.sector
            out.extend(Role(replace(r.mention, code=m, country=m, kind="name"), sector)
                       for m in members)
        return dedupe(out)

    def _pairs(self, sources, targets, symmetric, cameo, tok) -> list[Found]:
        out = []
        if self.groups:
            sources, targets = self._members(sources), self._members(targets)
        sources = [s for s in sources if s.mention.kind != "territory"]  # places do not act
        if symmetric:
            for i, s in enumerate(sources):
                for t in sources[i + 1:]:
                    if distinct(s, t):
                        out.append(Found(s, t, cameo, tok, symmetric=True))
            return out
        if any(t.mention.kind == "territory" for t in targets) and quad_of(cameo) not in (2, 4):
            # "talks on Nagorno-Karabakh" are about the place, not with its state
            targets = [t for t in targets if t.mention.kind != "territory"]
        for s in sources:
            for t in targets:
                if not distinct(s, t):
                    continue
                if cameo[:2] == "04" and t.sector == "MED":
                    continue  # an interview with a foreign outlet is not a consultation
                if (tok.lemma_.lower() == "tell" and t.mention.country is None
                        and t.mention.kind not in ("person", "learned")):
                    continue  # telling a body (the IMF, the Council) is a statement to it
                code = cameo
                if cameo.startswith("087") and t.mention.country is None:
                    code = self.cues.leaving_code  # "withdrew from the OAS": not a retreat
                out.append(Found(s, t, code, tok))
        return out


def _word_of(tok: Token) -> set[str]:
    """A token's lemma, and for an adverb in -ly its adjective: 'recklessly', 'illegally'."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "ADV" and lemma.endswith("ly") and len(lemma) > 5:
        return {lemma, lemma[:-2], lemma[:-1] + "e"}  # "irresponsibly": irresponsible
    return {lemma}
