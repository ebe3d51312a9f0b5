"""Source and target of a trigger: subjects, agents, objects, possessives, clauses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from equipoise.coding.cues import Cues
from equipoise.coding.roles import Role, dedupe, distinct
from equipoise.coding.syntax import (
    NOUN_TAGS,
    OBJ,
    OBJ_OR_POBJ,
    OWN_CLAUSES,
    SUBJ,
    governing_verb,
    reporting_verb,
)
from equipoise.reference.cameo import quad_of

# "its participation in NATO", "membership of the council": the body taken part in
_MEMBERSHIP_PREPS = frozenset({"in", "of", "with"})

class ArgumentReader:
    """Reads a trigger's arguments off the parse (a mixin of :class:`SentenceExtractor`)."""

    cues: Cues

    if TYPE_CHECKING:  # from the other mixins of SentenceExtractor
        def _collect(self, toks: list[Token], amap, ctx) -> list[Role]: ...
        def _is_claim(self, verb: Token) -> bool: ...

    def _verb_args(self, v: Token, amap, ctx, cameo):
        if v.lemma_.lower() in self.cues.experiencer_verbs:
            return self._experiencer_args(v, amap, ctx, cameo)
        subj = [c for c in v.children if c.dep_ in SUBJ]
        passive = [c for c in v.children if c.dep_ == "nsubjpass"]
        agent = [g for c in v.children if c.dep_ == "agent" for g in c.children
                 if g.dep_ == "pobj"]
        # npadvmod: the small model's reading of some bare objects ("criticized Azerbaijan")
        objs = [c for c in v.children if c.dep_ in OBJ or (c.dep_ == "npadvmod" and c.i in amap)]
        # "discussed Syria": what was talked about, not with whom
        topical = v.lemma_.lower() in self.cues.topic_verbs
        preps = self._prep_objects(v, self.cues.target_preps)
        symmetric = False
        passive_voice = any(c.dep_ == "auxpass" for c in v.children)
        if passive or agent or passive_voice:
            sources = self._collect(agent, amap, ctx)
            if not agent:
                # "were blocked by X and threatened": the agent is shared by the conjuncts
                sharing = [v.head] if v.dep_ == "conj" and v.head.i != v.i else [
                    c for c in v.children if c.dep_ == "conj"]
                agent = [g for h in sharing for c in h.children if c.dep_ == "agent"
                         for g in c.children if g.dep_ == "pobj"]
                sources = self._collect(agent, amap, ctx)
            if not passive and v.dep_ == "conj":
                passive = [c for c in v.head.children if c.dep_ == "nsubjpass"]
            targets = self._collect(passive + objs + preps, amap, ctx)
            if not passive and not agent:  # "was to be expelled": the subject is the head's
                targets = dedupe(self._inherited_subject(v, amap, ctx) + targets)
            if not agent and cameo[:2] in self.cues.state_act_roots:
                sources = self._announcer(v, amap, ctx)
        else:
            sources = self._collect(subj, amap, ctx) if subj else self._inherited_subject(
                v, amap, ctx)
            if not sources and v.lemma_.lower() in self.cues.voicing_verbs:
                # "voiced the Malian government's concern": whose concern it is
                sources = self._collect([c for o in objs for c in o.children
                                         if c.dep_ == "poss"], amap, ctx)
            echo = self._echoed(v)
            if echo and sources:  # "Chile condemned the move, as did Peru"
                sources = dedupe(sources + self._collect(echo, amap, ctx))
            if not sources and subj and all(
                    s.lemma_.lower() in self.cues.attribution_nouns for s in subj):
                sources = self._speakers(v, amap, ctx)  # "the blame lies with X," Y said
            targets = self._collect(preps, amap, ctx)
            held = targets or self._collect([p for o in objs for p in self._prep_objects(
                o, self.cues.target_preps)], amap, ctx)
            # but in "condemned Putin's visit to Hanoi" the visit's owner is the one blamed
            # and "banned Shoigu's flight to Minsk" bans Russia's minister, not Serbia
            named = [o for o in objs if not topical and (
                o.i in amap or not held or cameo[:2] in self.cues.claim_roots
                or any(c.dep_ == "poss" and c.i in amap
                       and all(distinct(amap[c.i], r) for r in sources) for c in o.children))]
            # "reimposed UN sanctions on Iran": the sanctions' owner is not their target
            targets = dedupe(self._collect(named, amap, ctx) + targets)
            if not targets:
                # "paid a visit to Russia", "fought a war with Russia"; but in "Russia and
                # Turkey reached a deal on Syria" the pair acts jointly and Syria is a topic,
                # while in "Turkey and Brazil reached a deal with Iran" Iran is the partner
                wanted = self.cues.target_preps
                if len(sources) >= 2 and self._joint(cameo, v):
                    wanted = wanted - self.cues.topic_preps
                if cameo[:2] in self.cues.claim_roots:
                    wanted = wanted | self.cues.grievance_preps  # "voiced concern over X"
                targets = self._collect([p for o in objs for p in self._prep_objects(
                    o, wanted)], amap, ctx)
            if not targets:  # "suspended its participation in NATO"
                roles = [o for o in objs if o.lemma_.lower() in self.cues.membership_nouns]
                targets = self._collect([p for o in roles for p in self._prep_objects(
                    o, _MEMBERSHIP_PREPS)], amap, ctx)
            if not targets:  # "condemned and criticized Azerbaijan": shared object
                for c in v.children:
                    if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
                        targets = self._collect(
                            [o for o in c.children if o.dep_ in OBJ], amap, ctx)
                        break
        if not targets:
            # "closed its embassy in Abuja", "recalled its envoy in Paris": the host state
            posts = [o for o in objs if o.lemma_.lower() in self.cues.post_nouns]
            targets = self._collect([p for o in posts for p in self._prep_objects(
                o, frozenset({"in"}))], amap, ctx)
        if not targets and not passive:
            # "brokered talks between Sudan and Israel": the parties are the targets
            targets = [r for o in objs for r in self._between(o, amap, ctx)]
        if not targets and not objs:
            # a small clause: "declared [the envoy persona non grata]"
            targets = self._collect([s for c in v.children if c.dep_ == "ccomp"
                                     and c.pos_ in NOUN_TAGS for s in c.children
                                     if s.dep_ in SUBJ], amap, ctx)
        between = self._between(v, amap, ctx)
        if between:
            codes = {r.mention.code for r in between}
            mediators = [r for r in sources if r.mention.code not in codes]
            if mediators and not passive:
                return mediators, between, False  # "Egypt mediated between Israel and Hamas"
            return between, [], True
        if self._reciprocal(v) and len(sources) >= 2:
            return sources, [], True
        if not targets and cameo[:2] in self.cues.claim_roots:
            targets = self._claimed(v, amap, ctx)
        if not targets and cameo.startswith("016") and v.dep_ == "relcl":
            targets = self._accusers(v, amap, ctx)
        if not targets and cameo[:2] == "04" and not objs and not (
                len(sources) >= 2 and self._joint(cameo, v)):
            # "arrived in Moscow" visits Russia; "Armenia and Azerbaijan met in Moscow" is
            # the two meeting each other, Moscow only the place
            targets = self._collect(self._prep_objects(v, self.cues.visit_preps), amap, ctx)
        if not targets and quad_of(cameo) == 4:
            targets = self._ground(objs + preps + [p for o in objs for p in self._prep_objects(
                o, self.cues.target_preps)], amap, ctx, verb=v)
        if not targets and quad_of(cameo) in (3, 4):
            targets = self._answered(v, amap, ctx)
        if not targets and len(sources) >= 2 and self._joint(cameo, v):
            symmetric = True
        partners = any(c.dep_ == "prep" and c.lower_ in self.cues.partner_preps
                       for c in v.children)  # "fought alongside Russians": no target
        if (sources and not targets and not symmetric and not partners
                and v.lemma_.lower() not in self.cues.reporting_verbs):
            topics = {o.i for o in objs} if topical else set()
            topics |= {t.i for e in self._echoed(v) for t in e.subtree}
            targets = self._clause_target(v, sources, amap, skip=topics)
        return sources, targets, symmetric

    def _reaction(self, n: Token, amap, ctx):
        """'X drew criticism from Y', 'X's visit was met with rebukes from Y': the one the
        reaction comes from is its source, the one who drew it its target."""
        verb = governing_verb(n)
        if (verb is None or verb.lemma_.lower() not in self.cues.reaction_verbs
                or n.dep_ not in OBJ_OR_POBJ):
            return None
        froms = frozenset({"from"})
        # only "from": in "triggered UN sanctions" the owner is no one reacting
        givers = self._prep_objects(n, froms) or self._prep_objects(verb, froms)
        sources = self._collect(givers, amap, ctx)
        if not sources:
            return None
        drew = [c for c in verb.children if c.dep_ in SUBJ or c.dep_ == "nsubjpass"]
        targets = (self._collect(drew, amap, ctx) if drew
                   else self._inherited_subject(verb, amap, ctx))
        if not targets:  # "visits by X were met with rebukes": whose visits
            targets = self._collect([p for d in drew for p in self._prep_objects(
                d, frozenset({"by"}))], amap, ctx)
        return sources, targets, False

    def _experiencer_args(self, v: Token, amap, ctx, cameo):
        """Verbs of feeling ('alarm', 'disappoint', 'please'): the one who feels reacts to
        what caused it. 'Japan was alarmed by China's launch' and 'China's launch alarmed
        Japan' are both Japan's reaction to China."""
        felt = [c for c in v.children if c.dep_ == "nsubjpass"]
        if felt or v.dep_ in ("acomp", "oprd") or any(
                c.dep_ in ("auxpass", "agent") for c in v.children):
            sources = (self._collect(felt, amap, ctx) if felt
                       else self._inherited_subject(v, amap, ctx))
            causes = [g for c in v.children if c.dep_ == "agent" for g in c.children
                      if g.dep_ == "pobj"]
            causes += self._prep_objects(v, self.cues.stimulus_preps)
        else:
            sources = self._collect([c for c in v.children if c.dep_ in OBJ], amap, ctx)
            causes = [c for c in v.children if c.dep_ in SUBJ]
        targets = self._collect(causes, amap, ctx)
        if not targets and cameo[:2] in self.cues.claim_roots:
            targets = self._claimed(v, amap, ctx)  # "concerned that Russia was arming..."
        return sources, targets, False

    def _adjective_args(self, adj: Token, amap, ctx, cameo):
        """A predicate adjective: 'Japan is critical of X', 'remains concerned about X',
        'is grateful to X'. The subject of the copula feels; the adjective's object is
        what it is felt toward."""
        head = adj.head
        subj = [c for c in head.children if c.dep_ in SUBJ or c.dep_ == "nsubjpass"]
        sources = (self._collect(subj, amap, ctx) if subj
                   else self._inherited_subject(head, amap, ctx))
        targets = self._collect(self._prep_objects(adj, self.cues.stimulus_preps), amap, ctx)
        if not targets:  # the parser may hang the phrase on the copula
            targets = self._collect(self._prep_objects(head, self.cues.stimulus_preps),
                                    amap, ctx)
        if not targets and cameo[:2] in self.cues.claim_roots:
            targets = self._claimed(adj, amap, ctx)
        if not targets and sources:  # "ready to meet Russia": the one actor in its clause
            targets = self._clause_target(adj, sources, amap)
        return sources, targets, False

    def _echoed(self, v: Token) -> list[Token]:
        """Subjects of 'as did X', 'as has X': others doing the same act."""
        return [s for c in v.children if c.dep_ == "advcl"
                and c.lemma_.lower() in ("do", "have", "be")
                and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children)
                for s in c.children if s.dep_ in SUBJ]

    def _answered(self, v: Token, amap, ctx) -> list[Role]:
        """'boosted its forces in response to Finland joining NATO': the first actor named
        in what the act answers."""
        answers = [n for n in self._prep_objects(v, frozenset({"in", "as"}))
                   if n.lemma_.lower() in self.cues.response_nouns]
        for n in answers:
            for g in self._prep_objects(n, frozenset({"to", "for", "against"})):
                roles = self._collect([g], amap, ctx)
                if roles:
                    return roles[:1]
        return []

    def _accusers(self, v: Token, amap, ctx) -> list[Role]:
        """'X accused Y of Z, a charge Y denied' / '..., which Y denies': Y answers X."""
        t = v.head
        for _ in range(4):
            if t.pos_ in ("VERB", "AUX") and self._is_claim(t):
                return self._collect([c for c in t.children if c.dep_ in SUBJ], amap, ctx)
            if t.head == t:
                break
            t = t.head
        return []

    def _speakers(self, v: Token, amap, ctx) -> list[Role]:
        """Who says the clause that holds ``v``."""
        speech = reporting_verb(v, self.cues.reporting_verbs)
        if speech is None:
            return []
        return self._collect([c for c in speech.children if c.dep_ in SUBJ], amap, ctx)

    def _backing(self, n: Token, amap, ctx):
        """'carried out strikes with support from X': X backs whoever carried them out."""
        if not self._backed(n):
            return None
        givers = self._collect(self._prep_objects(n, frozenset({"from", "of", "by"})), amap, ctx)
        verb = governing_verb(n)
        if not givers or verb is None:
            return None
        # "the Ugandan raids were conducted with help from X": the strikes' owners
        subj = [c for c in verb.children if c.dep_ in SUBJ or c.dep_ == "nsubjpass"]
        agent = [g for c in verb.children if c.dep_ == "agent" for g in c.children
                 if g.dep_ == "pobj"]
        doers = self._collect(agent or subj, amap, ctx) if agent or subj else (
            self._inherited_subject(verb, amap, ctx))
        return givers, doers, False

    def _backed(self, n: Token) -> bool:
        """A backing noun in 'with ... from X': the help one act received from another."""
        return (n.lemma_.lower() in self.cues.backing_nouns and n.dep_ == "pobj"
                and n.head.lower_ == "with" and any(
                    c.dep_ == "prep" and c.lower_ in ("from", "of", "by") for c in n.children))

    def _object_targets(self, noun: Token, cameo: str, amap, ctx) -> list[Role]:
        """Whom a nominal object is aimed at: 'support for X', 'concern over X's actions'."""
        preps = self.cues.target_preps
        if cameo[:2] in self.cues.claim_roots:
            preps = preps | self.cues.grievance_preps
        return self._collect(self._prep_objects(noun, preps), amap, ctx)

    def _grievance_targets(self, noun: Token, cameo: str, amap, ctx) -> list[Role]:
        if cameo[:2] not in self.cues.claim_roots:
            return []
        return self._collect(self._prep_objects(noun, self.cues.grievance_preps), amap, ctx)

    def _announcer(self, v: Token, amap, ctx) -> list[Role]:
        """'Greece said Libya's ambassador would be expelled': a state announcing an act
        of state in the passive is the one who does it. Only a state or bloc, never a
        news outlet or a person standing for nobody, is taken as the doer."""
        while v.dep_ == "xcomp" and v.head.i != v.i:  # "was to be expelled"
            v = v.head
        speech = v.head
        if v.dep_ != "ccomp" or speech.lemma_.lower() not in self.cues.speech_verbs:
            return []
        speakers = self._collect([c for c in speech.children if c.dep_ in SUBJ], amap, ctx)
        return [r for r in speakers if r.sector in ("GOV", "MIL", "IGO")]

    def _clause_target(self, v: Token, sources: list[Role], amap,
                       skip: frozenset[int] | set[int] = frozenset()) -> list[Role]:
        """Fallback: the one other actor named inside the trigger's clause, if only one is,
        or the actors of one coordinated list ("to provide Mali and Chad with grain")."""
        taken = {r.mention.country or r.mention.code for r in sources}
        found: dict[str, tuple[Role, Token]] = {}
        stack = [c for c in v.children if c.dep_ not in OWN_CLAUSES and not _contrast(c)]
        while stack:
            t = stack.pop()
            stack.extend(c for c in t.children if c.dep_ not in ("ccomp", "parataxis")
                         and not _contrast(c)
                         and not (c.dep_ in ("amod", "compound")
                                  and c.lemma_.lower() in self.cues.go_between_words))
            role = amap.get(t.i)
            if role is None or t.i in skip:
                continue
            key = role.mention.country or role.mention.code
            if key not in taken:
                found.setdefault(key, (role, t))
        if len(found) == 1:
            return [role for role, _ in found.values()]
        heads = {_list_head(t) for _, t in found.values()}
        if len(found) > 1 and len(heads) == 1:
            # only the object of the verb itself or of its infinitive, not a list inside
            # a relative or adverbial clause ("the coalition that includes A, B and C")
            head = heads.pop()
            verbs = {v.i} | {c.i for c in v.subtree if c.dep_ == "xcomp"}
            between = (head.dep_ == "pobj" and head.head.lower_ == "between"
                       and head.head.head.i in verbs)  # "offered to mediate between A and B"
            if between or (head.dep_ in ("dobj", "dative") and head.head.i in verbs):
                return [role for role, _ in sorted(found.values(), key=lambda f: f[1].i)]
        return []

    def _noun_args(self, n: Token, amap, ctx, cameo):
        own = [c for c in n.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
        reaction = self._reaction(n, amap, ctx)
        if reaction is not None:
            return reaction
        backing = self._backing(n, amap, ctx)
        if backing is not None:
            return backing
        if n.lemma_.lower() in self.cues.statement_nouns and not any(
            c.dep_ == "poss" and c.lower_ in self.cues.speaker_pronouns for c in own
        ):
            return [], [], False  # "our ally" is a statement; "Russia's ally" is background
        # "the signing of the treaty by X": the parser often hangs "by X" on the object
        heads = [n] + [g for c in n.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ == "pobj"]
        agent = [g for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "by"
                 for g in c.children if g.dep_ == "pobj"]
        # "talks conducted by Qatar with Iran": the participle names doer and partner
        done = [c for c in n.children if c.dep_ == "acl" and c.tag_ == "VBN"]
        agent += [g for c in done for a in c.children if a.dep_ == "agent"
                  for g in a.children if g.dep_ == "pobj"]
        sources = self._collect(own + agent, amap, ctx)
        preps = self.cues.noun_target_preps
        if self._joint(cameo, n) and cameo not in self.cues.joint_codes:
            preps = preps - self.cues.topic_preps  # "cooperation on North Korea": a topic
        targets = self._collect(self._prep_objects(n, preps), amap, ctx)
        if not targets and agent:
            # the parser may hang "with Iran" on the doer rather than on the participle
            partners = [p for c in done for p in self._prep_objects(c, self.cues.target_preps)]
            partners += [p for g in agent for p in self._prep_objects(g, frozenset({"with"}))]
            targets = [t for t in self._collect(partners, amap, ctx)
                       if all(distinct(t, s) for s in sources)]
        if not sources and "of" in preps and quad_of(cameo) in (1, 2):
            # "the visit of the Turkish president to Iraq": of names the visitor when
            # another preposition names the host; of a conflict noun, of names the one
            # acted on ("the expulsion of X")
            of = self._prep_objects(n, frozenset({"of"}))
            doers = self._collect(of, amap, ctx)
            # the parser may hang "to India" on the visitor rather than on the visit
            aimed = self._collect([p for h in [n, *of] for p in self._prep_objects(
                h, preps - {"of"})], amap, ctx)
            if doers and aimed:
                sources = doers
                targets = [t for t in aimed if all(distinct(t, d) for d in doers)]
        if not targets and n.lemma_.lower() in self.cues.membership_nouns:
            targets = self._collect(self._prep_objects(n, _MEMBERSHIP_PREPS), amap, ctx)
        if not targets and cameo[:2] in self.cues.claim_roots:
            # "anger over Seoul's decision", "concern about Russia's moves"
            targets = self._collect(self._prep_objects(n, self.cues.grievance_preps), amap, ctx)
        verb = governing_verb(n)
        if verb is not None and n.dep_ == "attr" and not targets:
            subj = [c for c in verb.children if c.dep_ in SUBJ]
            targets = (self._collect(subj, amap, ctx) if subj
                       else self._inherited_subject(verb, amap, ctx))
        if verb is not None:
            if not sources and n.dep_ in OBJ_OR_POBJ:
                subj = [c for c in verb.children if c.dep_ in SUBJ]
                sources = (self._collect(subj, amap, ctx) if subj
                           else self._inherited_subject(verb, amap, ctx))
            if not targets and n.dep_ in OBJ_OR_POBJ:
                targets = self._collect(self._prep_objects(verb, self.cues.target_preps),
                                        amap, ctx)
                if not targets:
                    # "gave the junta an ultimatum": the first of two objects receives
                    targets = [r for r in self._collect(
                        [c for c in verb.children if c.dep_ in ("dative", "iobj")
                         or (c.dep_ == "dobj" and c.i < n.i)], amap, ctx)]
        if not targets and cameo[:2] in self.cues.claim_roots:
            targets = self._claimed(n, amap, ctx)
            if not targets and verb is not None:
                targets = self._claimed(verb, amap, ctx)
        between = self._between(n, amap, ctx) or (
            self._between(verb, amap, ctx) if verb is not None else [])
        if between:
            return between, [], True
        if not targets and quad_of(cameo) == 4:
            near = self._prep_objects(n, self.cues.noun_target_preps)
            if verb is not None and (n.dep_ in OBJ_OR_POBJ or n.dep_ in SUBJ):
                # "Turkish airstrikes began on militant positions in Iraq"
                near += self._prep_objects(verb, self.cues.target_preps)
            targets = self._ground(near, amap, ctx)
        if not targets and sources and cameo[:2] == "03":
            # "a proposal by Putin to resume talks with Kyiv": the one actor of the plan
            plans = [c for c in n.children if c.dep_ == "acl"
                     and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
            for plan in plans:
                targets = self._clause_target(plan, sources, amap)
                if targets:
                    break
        if not sources and len({t.mention.country or t.mention.code for t in targets}) >= 2 \
                and self._joint(cameo, n) and self._prep_objects(n, frozenset({"of"})):
            # "the meeting of the Kenya-Uganda commission": the two meet each other
            return targets, [], True
        symmetric = not targets and len(sources) >= 2 and self._joint(cameo, n)
        if not sources and not targets and self._joint(cameo, n):
            pair = self._border_pair(n.sent.root if verb is None else verb, amap)
            if pair:
                return pair, [], True
        return sources, targets, symmetric

    def _border_pair(self, tok: Token, amap) -> list[Role]:
        """'fighting along the Armenian-Azerbaijani border': the two sides of the border."""
        for t in tok.subtree:
            if t.lemma_.lower() in self.cues.border_nouns:
                roles = dedupe([amap[c.i] for c in t.subtree if c.i in amap])
                if len({r.mention.country or r.mention.code for r in roles}) == 2:
                    return roles
        return []

    def _joint(self, cameo: str, tok: Token | None = None) -> bool:
        """Codes that read as a joint action when only coordinated actors are named.

        Force is joint only for words of mutual fighting: "X and Y clashed" names two
        sides, "X and Y launched strikes" two allies."""
        if cameo in self.cues.joint_codes:
            return True
        if cameo[:2] not in self.cues.symmetric_roots or cameo in self.cues.asymmetric_codes:
            return False
        if cameo[:2] == "03" and tok is not None:
            # "X and Y pledged to deepen ties" is mutual; "pledged to send troops" is not
            return any(t.lemma_.lower() in self.cues.relation_words for t in tok.subtree)
        if quad_of(cameo) == 4 and tok is not None:
            words = {tok.lemma_.lower()} | {c.lemma_.lower() for c in tok.children
                                            if c.dep_ in ("dobj", "nsubj", "compound")}
            return bool(words & self.cues.mutual_conflict)
        return True

    def _ground(self, objs: list[Token], amap, ctx, verb: Token | None = None) -> list[Role]:
        """Whose ground force is used on: 'strikes against sites in Yemen' hit Yemen."""
        places = [g for o in objs if o.i not in amap for c in o.children
                  if c.dep_ == "prep" and c.lower_ in self.cues.place_preps
                  for g in c.children if g.dep_ == "pobj"]
        named = self._collect([p for p in places if p.i in amap], amap, ctx)
        if named:
            return named
        # "strikes on depots used by militias in Syria": the place may sit lower down,
        # inside a participle that describes the thing hit
        deeper = [g for o in objs if o.i not in amap for t in _described(o)
                  for c in t.children if c.dep_ == "prep" and c.lower_ in self.cues.place_preps
                  for g in c.children if g.dep_ == "pobj" and g.i in amap]
        named = self._collect(deeper[:1], amap, ctx)
        if named:
            return named
        # "struck a resort in its northern region": whose region "its" says; the parser
        # may hang the place on the verb
        if verb is not None:
            places += [g for c in verb.children if c.dep_ == "prep"
                       and c.lower_ in self.cues.place_preps
                       for g in c.children if g.dep_ == "pobj"]
        return self._collect([p for p in places if any(
            c.dep_ == "poss" and c.lower_ in self.cues.third_person for c in p.children)],
            amap, ctx)

    def _reciprocal(self, v: Token) -> bool:
        """'accused each other', 'met one another'."""
        for c in v.children:
            if c.dep_ in OBJ or c.dep_ == "prep":
                phrase = " ".join(t.lower_ for t in c.subtree)
                if any(phrase.endswith(r) for r in self.cues.reciprocals):
                    return True
        return False

    def _claimed(self, tok: Token, amap, ctx) -> list[Role]:
        """Whom an accusation is about: the subject of the clause it introduces."""
        # "expressed concern that Russia provided ...": the clause may hang on the object
        heads = [tok] + [c for c in tok.children if c.dep_ in OBJ]
        clauses = [c for h in heads for c in h.children if c.dep_ in ("ccomp", "acl")]
        subjects = [s for c in clauses for s in c.children if s.dep_ in SUBJ | {"nsubjpass"}]
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
        if v.dep_ == "acomp" and head != v:
            # "Turkey is ready to meet Russia": the adjective's subject is the copula's
            subj = [c for c in head.children if c.dep_ in SUBJ or c.dep_ == "nsubjpass"]
            return (self._collect(subj, amap, ctx) if subj
                    else self._inherited_subject(head, amap, ctx))
        if v.dep_ in ("xcomp", "conj", "advcl") and head != v:
            # nsubjpass: "Stoltenberg is set to visit", "X is expected to sign"
            subj = [c for c in head.children if c.dep_ in SUBJ or c.dep_ == "nsubjpass"]
            if subj:
                return self._collect(subj, amap, ctx)
            agent = [g for c in head.children if c.dep_ == "agent" for g in c.children
                     if g.dep_ == "pobj"]
            if agent:
                return self._collect(agent, amap, ctx)
            if head.dep_ in ("xcomp", "conj", "acomp") and head.head != head:
                return self._inherited_subject(head, amap, ctx)
        if (v.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ in ("of", "for")
                and self._is_claim(head.head)):
            # "accused Turkey of sending fighters": Turkey did the sending
            return self._collect([c for c in head.head.children if c.dep_ in OBJ], amap, ctx)
        if (v.dep_ == "pcomp" and head.dep_ == "prep" and head.head != head
                and (head.lower_ in self.cues.subordinating_preps or (
                    head.lower_ == "in"
                    and head.head.lemma_.lower() in self.cues.joining_verbs))):
            # "joined Britain in sanctioning Russia": who joins sanctions too
            # "responded by slapping sanctions": the subject of the verb the preposition hangs on
            verb = head.head
            subj = [c for c in verb.children if c.dep_ in SUBJ]
            if subj:
                return self._collect(subj, amap, ctx)
            return self._inherited_subject(verb, amap, ctx)
        if v.dep_ == "relcl" and v.head.pos_ in NOUN_TAGS:
            return self._collect([v.head], amap, ctx)
        if (v.dep_ == "acl" and head.dep_ == "ROOT" and head.pos_ in NOUN_TAGS
                and any(c.dep_ in ("dobj", "oprd") for c in v.children)):
            # "The leaders of X and Y, A and B, signed a deal": a long subject leaves the
            # verb hanging on it as a modifier; a participle with an object of its own is
            # no modifier, so the noun is its subject
            return self._collect([head], amap, ctx)
        if v.dep_ == "acl" and head.dep_ in OBJ and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            # "adopted a resolution to impose sanctions": who adopts it imposes them; but
            # in "welcomed Turkey's decision to ratify" the decision is Turkey's
            owners = [c for c in head.children if c.dep_ in ("poss", "amod", "compound")]
            owners += [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ == "pobj" and g.i in amap]
            if any(c.dep_ == "poss" or c.i in amap for c in owners):
                return self._collect(owners, amap, ctx)
            verb = head.head
            if verb.lemma_.lower() not in self.cues.negating_heads:
                subj = [c for c in verb.children if c.dep_ in SUBJ]
                return (self._collect(subj, amap, ctx) if subj
                        else self._inherited_subject(verb, amap, ctx))
        if (v.dep_ == "acl" and v.tag_ == "VBG" and v.head.i in amap
                and v.head.pos_ == "PROPN" and v.i > 0 and v.doc[v.i - 1].text == ","):
            # "Erdogan, praising Baku, told reporters ...": the named one acts
            return self._collect([v.head], amap, ctx)
        if v.dep_ == "acl":  # "drills conducted by Turkey": the agent is handled by caller
            return []
        return []

    def _prep_objects(self, tok: Token, preps: frozenset[str]) -> list[Token]:
        out: list[Token] = []
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in preps or c.dep_ == "prt" and c.lower_ in preps:
                # "struck with support from X": X backs the act, it is no party to it
                out.extend(g for g in c.children if g.dep_ == "pobj" and not self._backed(g))
        return out

    def _between(self, tok: Token | None, amap, ctx) -> list[Role]:
        if tok is None:
            return []
        # "normalization of relations between A and B": through the "of" phrase too
        heads = [tok] + [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                         for g in c.children if g.dep_ == "pobj"]
        objs = [g for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "between"
                for g in c.children if g.dep_ == "pobj"]
        roles = self._collect(objs, amap, ctx)
        return roles if len({r.mention.code for r in roles}) >= 2 else []


def _described(noun: Token) -> list[Token]:
    """Nouns inside participles that describe ``noun``: 'depots used by militias in X'."""
    out: list[Token] = []
    for acl in noun.children:
        if acl.dep_ != "acl":
            continue
        for c in acl.children:
            if c.dep_ in ("agent", "prep"):
                out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def _contrast(tok: Token) -> bool:
    """A clause set against the main one: 'while Greece said ...', 'although ...'."""
    return tok.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ in ("while", "whereas", "although", "though")
        for m in tok.children)


def _list_head(tok: Token) -> Token:
    """The first item of the coordinated list a token belongs to (the small model may
    read the second item of a long list as an apposition to the first)."""
    while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
    return tok
