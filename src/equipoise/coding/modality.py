"""Is a trigger an event at all, and which? Negation, conditions, requests, background, intent."""

from __future__ import annotations

from spacy.tokens import Token

from equipoise.coding.cues import Cues
from equipoise.coding.inflect import gerund_bases
from equipoise.coding.lexicon import Trigger
from equipoise.coding.syntax import (
    NOUN_TAGS,
    OBJ,
    conditional_main_clause,
    governing_verb,
    near_lemmas,
)


class EventFilters:
    """Rules on a trigger's context (a mixin of :class:`SentenceExtractor`)."""

    cues: Cues
    triggers: dict[tuple[str, str], list[Trigger]]
    _trigger_cache: dict[int, Trigger | None]  # reset for each sentence

    def _trigger(self, tok: Token) -> Trigger | None:
        """The lexicon row a token triggers, looked up once per token of the sentence."""
        cache = self._trigger_cache
        if tok.i not in cache:
            cache[tok.i] = self._lookup_trigger(tok)
        return cache[tok.i]

    def _lookup_trigger(self, tok: Token) -> Trigger | None:
        pos = tok.pos_
        if pos == "AUX":
            pos = "VERB"
        elif pos == "PROPN":
            pos = "NOUN"
        rows = self.triggers.get((tok.lemma_.lower(), pos))
        if not rows and pos == "NOUN" and tok.tag_ == "NN":
            # "the signing of the treaty", "the shooting-down of the jet": a gerund used as
            # a noun means what its verb means
            for base in gerund_bases(tok.lower_):
                rows = self.triggers.get((base, "VERB"))
                if rows:
                    break
        if not rows:
            return None
        deps = None
        for row in rows:
            if not row.with_:
                return row
            if row.with_ == "in" and not any(c.dep_ == "prt" and c.lower_ == "in"
                                             for c in tok.children):
                continue  # "gave in" yields; "gave X aid in Mali" says where
            if row.with_ in ("on", "upon") and self._only_time(tok, row.with_):
                continue  # "called Kampala on Monday": a day, not a call on someone
            if deps is None:
                deps = near_lemmas(tok)
            if row.with_ in deps:
                return row
        return None

    def _only_time(self, tok: Token, prep: str) -> bool:
        """Whether every ``prep`` phrase on ``tok`` names a time: 'on Monday'."""
        objects = [[g for g in c.children if g.dep_ == "pobj"] for c in tok.children
                   if c.dep_ == "prep" and c.lower_ == prep]
        return bool(objects) and all(
            pobj and all(g.lemma_.lower() in self.cues.time_words for g in pobj)
            for pobj in objects)

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
                if c.dep_ == "aux" and c.lower_ in cues.obligation_aux:
                    return True  # "Russia must withdraw": asked for, not done
                if c.dep_ == "advmod" and c.lower_ in cues.habitual_adverbs:
                    return True  # "warships routinely sail through": a habit, not news
            if t.dep_ == "advcl" and any(c.lower_ in cues.conditional_marks for c in t.children):
                return True
            if conditional_main_clause(t, cues):
                return True
            if t.dep_ in ("xcomp", "ccomp") and t.head.lemma_.lower() in cues.negating_heads:
                return True
            if (t is tok and t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("nsubjpass", "dobj")
                    and _phrasal(t.head) in cues.negating_heads):
                return True  # "the meeting was postponed", "called off the summit": none held
            if t.dep_ in ("xcomp", "ccomp") and self._requests(t.head) and not (
                    t.head.lemma_.lower() in cues.decision_heads | cues.intent_heads
                    and self._hostile(tok)):
                # "urged Armenia to restart talks": the talks have not happened. But
                # "agreed to impose sanctions" is the decision to sanction.
                return True
            if t.dep_ == "pobj" and t.head.lower_ == "without":
                return True
            if t.dep_ == "ccomp" and any(c.dep_ == "neg" for c in t.head.children):
                return True  # "did not mean Oslo was severing ties": nothing asserted
            if t.dep_ == "advcl" and t.head != t and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
                t = t.head  # "denied sending troops to attack": the purpose goes too
                continue
            if t.dep_ in ("dobj", "pobj", "prep", "xcomp", "attr", "nsubjpass", "conj", "amod",
                          "acl", "acomp"):
                if t.head == t:
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
        if any(c.dep_ == "aux" and c.lower_ in self.cues.obligation_aux for c in tok.children):
            return None  # "should stop its operations": a demand, not a stop
        for c in tok.children:  # "no longer", "not ... any longer"
            if c.lower_ == "longer" and any(
                    g.lower_ in ("no", "not", "any") for g in [*c.children, *tok.children]):
                return code
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in self.cues.cessation_heads:
            return code
        return None

    def _halted(self, tok: Token, cameo: str) -> str | None:
        """'suspended strikes on Israel', 'halted aid to Niger': a nominal act that is
        stopped is a de-escalation or a reduction of relations."""
        code = self.cues.cessation_codes.get(cameo[:2])
        if code is None or tok.pos_ != "NOUN":
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ in ("from", "of"):
            # "withdrew from the talks", "pulled out of the exercises": leaving stops them
            verb = tok.head.head
            if verb.lower_ == "out" and verb.dep_ in ("prt", "advmod", "prep"):
                verb = verb.head
            return code if verb.lemma_.lower() in self.cues.exit_verbs else None
        if tok.dep_ != "dobj":
            return None
        return code if tok.head.lemma_.lower() in self.cues.cessation_heads else None

    def _is_claim(self, verb: Token) -> bool:
        trig = self._trigger(verb)
        return trig is not None and trig.cameo[:2] in ("11", "12")

    def _hostile(self, tok: Token) -> bool:
        trig = self._trigger(tok)
        return trig is not None and trig.cameo[:2] >= "09"

    def _decides_hostility(self, verb: Token) -> bool:
        """'agreed to impose sanctions': the agreement is not cooperation, the sanction is."""
        heads = self.cues.decision_heads | self.cues.intent_heads  # "ready to strike" too
        return verb.lemma_.lower() in heads and any(
            c.dep_ == "xcomp" and (self._hostile(c) or any(
                self._hostile(g) for g in c.children if g.dep_ in OBJ))
            for c in verb.children)

    def _announced(self, verb: Token) -> bool:
        """'will impose', 'said it would strike', 'plans to expel' (but not 'decided to
        expel', which is the act itself)."""
        cues = self.cues
        # "shall" is left out: it is the language of orders and treaties, not of threats
        if any(c.dep_ == "aux" and c.lower_ in cues.future_aux and c.lower_ != "shall"
               for c in verb.children):
            return True
        head = verb.head.lemma_.lower()
        if verb.dep_ == "ccomp" and head in cues.speech_verbs and any(
                c.dep_ == "aux" and c.lower_ == "would" for c in verb.children):
            return True
        return (verb.dep_ == "xcomp" and head in cues.intent_heads
                and head not in cues.decision_heads)

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
        verb = governing_verb(noun)
        direct = verb is not None and (noun.head.i == verb.i or (
            noun.head.dep_ == "prep" and noun.head.head.i == verb.i))
        if (verb is not None and direct and verb.lemma_.lower() in self.cues.reaction_verbs
                and any(c.dep_ == "prep" and c.lower_ == "from"
                        for h in (noun, verb) for c in h.children)):
            return False  # "was met with rebukes from Beijing": the rebukes are the news
        trig = self._trigger(noun)
        phrase = noun
        if (noun.dep_ == "pobj" and noun.head.lower_ == "of"
                and noun.head.head.pos_ in NOUN_TAGS and noun.head.head.dep_ == "pobj"):
            phrase = noun.head.head  # "after ten hours of talks"
        if (trig is not None and trig.cameo[:2] == "04" and phrase.dep_ == "pobj"
                and phrase.head.lower_ in ("after", "during", "following", "ahead", "of")
                and (phrase.head.lower_ != "of" or phrase.head.head.lower_ == "ahead")
                and any((c.dep_ == "prep" and c.lower_ in ("with", "between", "to", "of"))
                        or c.dep_ == "poss" for c in noun.children)):
            # "said after his talks with Erdogan", "during Erdogan's talks with Putin",
            # "ahead of Putin's visit to Hanoi": the meeting itself is news too
            return False
        t = noun
        for _ in range(6):
            head = t.head
            if head == t:
                return False
            if t.dep_ == "pobj" and head.lower_ in self.cues.background_preps:
                return True
            if (t is noun and t.dep_ == "pobj" and head.lower_ == "of"
                    and head.head.pos_ in NOUN_TAGS and self._trigger(head.head) is not None):
                return True  # "a threat of countermeasures": what the threat is made of
            if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in self.cues.naming_verbs:
                return True  # "what he described as its occupation": a label, not news
            if head.pos_ in ("VERB", "AUX"):
                if head.dep_ in ("acl", "relcl") and head.head.pos_ in NOUN_TAGS:
                    return True  # "the shortage caused by Russia's invasion"
                return t.dep_ not in ("nsubj", "nsubjpass") and self._trigger(head) is not None
            if head.pos_ == "ADJ":
                return True
            if head.pos_ in NOUN_TAGS and head.lower_ in self.cues.background_preps:
                return True  # "in the wake of ..."
            if (t.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in NOUN_TAGS
                    and self._trigger(head.head) is None
                    and head.head.lemma_.lower() not in self.cues.quantity_nouns):
                return True  # "areas of cooperation", "a gesture of support"
            t = head
        return False

    def _intent(self, tok: Token, cameo: str) -> str:
        """Cooperation announced for the future or as a plan is an expressed intent;
        hostility announced for the future is a threat."""
        code = self.cues.intent_codes.get(cameo[:2])
        threat = self.cues.threat_codes.get(cameo[:3]) or self.cues.threat_codes.get(cameo[:2])
        verb = tok if tok.pos_ in ("VERB", "AUX") else governing_verb(tok)
        if verb is None or (code is None and threat is None):
            return cameo
        if threat is not None:
            return threat if self._announced(verb) else cameo
        if code is None:
            return cameo
        if any(c.dep_ == "aux" and c.lower_ in self.cues.future_aux for c in verb.children):
            return code
        if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in self.cues.speech_verbs and any(
                c.dep_ == "aux" and c.lower_ == "would" for c in verb.children):
            return code  # "said Ankara would coordinate": the future seen from the past
        if (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.cues.intent_heads
                and verb.head.lemma_.lower() != "decide"):
            return code  # but "decided to lift the embargo" is the lifting itself
        if verb.dep_ == "acl" and verb.head.lemma_.lower() in self.cues.intent_heads:
            return code  # "its plan to supply arms", "an offer to mediate"
        return cameo


def _phrasal(verb: Token) -> str:
    """A verb's lemma with its particle, if it has one: 'call off', 'rule out'."""
    prt = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    lemma = verb.lemma_.lower()
    return f"{lemma} {prt}" if prt else lemma
