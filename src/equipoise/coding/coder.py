"""The rule-based event coder: documents in, dyadic CAMEO events out.

Per document: split sentences, find actors with the gazetteer (one pass over the whole
text), learn names introduced with a title, and keep only the sentences that could hold
an event (an actor, a trigger word, and a second actor or a pronoun to resolve). Only
those are parsed by spaCy, in batches; :class:`SentenceExtractor` reads the events.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from equipoise.coding.actors import load_sector_words
from equipoise.coding.cameo import lookup, quad_of
from equipoise.coding.candidates import Candidate, candidates
from equipoise.coding.cues import Cues, load_cues
from equipoise.coding.dates import event_date
from equipoise.coding.extract import Context, Found, SentenceExtractor
from equipoise.coding.gazetteer import Gazetteer, Mention, tokenize
from equipoise.coding.inflect import surface_forms
from equipoise.coding.learning import learn_names, merge_learned
from equipoise.coding.lexicon import load_triggers
from equipoise.coding.model import PairModel
from equipoise.coding.nlp import load_nlp
from equipoise.coding.text import fold, split_sentences
from equipoise.records import Actor, Document, Event, EventDate

CODER_VERSION = "equipoise-rules-0.2"
# Used only by a model file that lacks its own per-quad default codes.
_QUAD_DEFAULT = {1: "010", 2: "060", 3: "110", 4: "190"}


@dataclass(slots=True)
class _Sentence:
    doc: Document
    start: int
    end: int
    mentions: list[Mention]
    context: Context
    first: bool = False  # the document's first sentence: often its title
    events: list[Event] = field(default_factory=list)


class Coder:
    """Codes documents into events. Build once; reuse across documents.

    Parameters
    ----------
    nlp : a spaCy pipeline with tagger, parser and lemmatizer (default: :func:`load_nlp`).
    gazetteer : actor dictionary (default: the package's data files).
    batch_size : sentences parsed per spaCy batch.
    model : the learned layer: ``"default"`` for the model the package ships, a path to a
        model file written by ``equipoise train``, a :class:`PairModel`, or ``None`` for
        the rules alone.
    """

    def __init__(self, nlp=None, gazetteer: Gazetteer | None = None, batch_size: int = 256,
                 model: PairModel | str | None = "default"):
        self.nlp = nlp if nlp is not None else load_nlp()
        if model == "default":
            model = PairModel.default()
        elif isinstance(model, str):
            model = PairModel.load(model)
        self.model: PairModel | None = model
        # documents coded by other rules or weights are coded again by `equipoise code`
        self.version = CODER_VERSION if model is None else f"{CODER_VERSION}+{model.digest()}"
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.default()
        self.cues: Cues = load_cues()
        triggers = load_triggers()
        self.extractor = SentenceExtractor(triggers, self.cues, load_sector_words())
        self.batch_size = batch_size
        self._trigger_forms = frozenset(
            form for lemma, _pos in triggers for form in surface_forms(lemma)
        ) | self.cues.obligation_aux
        self.stats = {"documents": 0, "sentences": 0, "parsed": 0}
        # Words that can stand for an actor named elsewhere: a sentence with one actor
        # and one of these may still hold an event.
        cues = self.cues
        self._pronouns = (cues.person_pronouns | cues.group_pronouns | cues.speaker_pronouns
                          | cues.bloc_nouns | cues.state_nouns | {"two", "both", "sides"})

    # -- public API --------------------------------------------------------------------
    def code_document(self, doc: Document) -> list[Event]:
        return next(iter(self.code([doc])))[1]

    def code(self, docs: Iterable[Document], docs_per_batch: int = 32
             ) -> Iterator[tuple[Document, list[Event]]]:
        """Yield each document with its events, in input order."""
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= docs_per_batch:
                yield from self._code_batch(batch)
                batch = []
        if batch:
            yield from self._code_batch(batch)

    # -- internals ---------------------------------------------------------------------
    def pairs(self, docs: Iterable[Document]) -> Iterator[tuple[Document, int, int,
                                                                list[Candidate]]]:
        """Each parsed sentence's actor pairs, as ``(doc, start, end, candidates)``:
        what :func:`equipoise.coding.training.train` learns from."""
        docs = list(docs)
        for sent, _parsed, _found, cands in self._read(docs):
            yield sent.doc, sent.start, sent.end, cands

    # -- internals ---------------------------------------------------------------------
    def _code_batch(self, docs: list[Document]) -> Iterator[tuple[Document, list[Event]]]:
        per_doc: dict[str, list[Event]] = {doc.id: [] for doc in docs}
        for sent, parsed, found, cands in self._read(docs):
            events = self._events(sent, parsed, found)
            if self.model is not None:
                # rule events on pairs the model also reads are judged there
                judged = {(c.source.mention.code, c.target.mention.code) for c in cands
                          if c.rule is not None}
                events = [e for e in events if (e.source.code, e.target.code) not in judged]
                events += self._judged(sent, cands)
            per_doc[sent.doc.id].extend(events)
        for doc in docs:
            yield doc, _unique(per_doc[doc.id])

    def _read(self, docs: list[Document]):
        """Parse the sentences worth parsing; yield each with the rules' events and, when
        a model is loaded or training asks, its actor pairs."""
        sents: list[_Sentence] = []
        for doc in docs:
            sents.extend(self._candidates(doc))
        self.stats["documents"] += len(docs)
        self.stats["parsed"] += len(sents)
        texts = (_parseable(s.doc.text[s.start:s.end], s.start, s.mentions) for s in sents)
        for sent, parsed in zip(sents, self.nlp.pipe(texts, batch_size=self.batch_size),
                                strict=True):
            rel = [_shift(m, -sent.start) for m in sent.mentions]
            found = self.extractor.extract(parsed, rel, sent.context)
            cands = candidates(self.extractor, parsed, self.extractor._amap or {},
                               sent.context, found, first=sent.first)
            yield sent, parsed, found, cands

    def _judged(self, sent: _Sentence, cands: list[Candidate]) -> list[Event]:
        """The model's events among the sentence's pairs."""
        if not cands or self.model is None:
            return []
        probs = self.model.probabilities([c.features for c in cands])
        out = []
        for cand, p in zip(cands, probs, strict=True):
            if cand.rule is not None:
                if 1.0 - p[0] >= self.model.keep_threshold:
                    out.append(self._event(sent, cand, quad_of(cand.rule.cameo)))
                    out.extend(self._events(sent, None, cand.also))
            elif 1.0 - p[0] >= self.model.threshold:
                out.append(self._event(sent, cand, int(np.argmax(p[1:])) + 1))
        return out

    def _event(self, sent: _Sentence, cand: Candidate, quad: int) -> Event:
        """An event for a kept pair: the rules' code when they agree on the quad, else the
        pair's own trigger of that quad, else the commonest code of the quad."""
        rule = cand.rule
        source, target = cand.source, cand.target
        if rule is not None and quad_of(rule.cameo) == quad:
            cameo, trigger = rule.cameo, rule.trigger
            symmetric, reported = rule.symmetric, rule.reported
            source, target = rule.source, rule.target  # with the sectors the rules read
        else:
            cameo, trigger = cand.triggers.get(quad, (None, None))
            if cameo is None:
                assert self.model is not None
                cameo = self.model.default_codes.get(quad, _QUAD_DEFAULT[quad])
            symmetric = reported = False
        doc = sent.doc
        published = doc.published or dt.date.today()
        sentence = doc.text[sent.start:sent.end]
        code = lookup(cameo)
        date = event_date(sentence, published, near=trigger.idx if trigger is not None else 0)
        return Event(
            doc_id=doc.id, start=sent.start, end=sent.end, sentence=sentence,
            source=_actor(source), target=_actor(target),
            cameo=code.code, quad=code.quad, goldstein=code.goldstein,
            date=date if isinstance(date, EventDate) else EventDate(published),
            plover=code.plover_event, symmetric=symmetric, reported=reported,
            trigger=trigger.text if trigger is not None else "", coder=self.version,
        )

    def _candidates(self, doc: Document) -> list[_Sentence]:
        text = doc.text
        when = doc.published
        tokens = tokenize(fold(text))
        mentions = self.gazetteer.find(text, when, tokens=tokens)
        mentions = merge_learned(mentions, text, learn_names(tokens, mentions, self.cues),
                                 when, tokens)
        out: list[_Sentence] = []
        ctx = Context()
        mi = 0
        ti = 0
        for n, (start, end) in enumerate(split_sentences(text)):
            self.stats["sentences"] += 1
            while mi < len(mentions) and mentions[mi].start < start:
                mi += 1
            sent_mentions = []
            j = mi
            while j < len(mentions) and mentions[j].end <= end:
                sent_mentions.append(mentions[j])
                j += 1
            while ti < len(tokens) and tokens[ti][0] < start:
                ti += 1
            words = set()
            k = ti
            while k < len(tokens) and tokens[k][1] <= end:
                words.add(tokens[k][2].lower())
                k += 1
            if self._worth_parsing(sent_mentions, words, ctx):
                out.append(_Sentence(doc, start, end, sent_mentions, _snapshot(ctx),
                                     first=n == 0))
            ctx.update(sent_mentions)
        return out

    def _worth_parsing(self, mentions: list[Mention], words: set[str], ctx: Context) -> bool:
        if not mentions or words.isdisjoint(self._trigger_forms):
            return False
        countries = {m.country or m.code for m in mentions}
        if len(countries) >= 2:
            return True
        return bool(ctx.recent) and not words.isdisjoint(self._pronouns)

    def _events(self, sent: _Sentence, parsed, found: list[Found]) -> list[Event]:
        doc = sent.doc
        published = doc.published or dt.date.today()
        sentence = doc.text[sent.start:sent.end]
        out = []
        for f in found:
            code = lookup(f.cameo)
            date = event_date(sentence, published, near=f.trigger.idx)
            out.append(Event(
                doc_id=doc.id, start=sent.start, end=sent.end, sentence=sentence,
                source=_actor(f.source), target=_actor(f.target),
                cameo=code.code, quad=code.quad, goldstein=code.goldstein,
                date=date if isinstance(date, EventDate) else EventDate(published),
                plover=code.plover_event, symmetric=f.symmetric, reported=f.reported,
                trigger=f.trigger.text, coder=self.version,
            ))
        return out


_WORD = re.compile(r"[A-Za-z][a-z]+")


def _parseable(text: str, offset: int, mentions: list[Mention]) -> str:
    """Headline Title Case misleads the tagger ("Condemns" as a name): lower-case the
    words that are not actors. Same length, so every offset still holds."""
    words = _WORD.findall(text)
    if len(words) < 4 or sum(w[0].isupper() for w in words) < 0.6 * len(words):
        return text
    keep = [(m.start - offset, m.end - offset) for m in mentions]
    chars = list(text)
    for m in _WORD.finditer(text):
        if not any(s <= m.start() < e for s, e in keep):
            chars[m.start()] = chars[m.start()].lower()
    return "".join(chars)


def _actor(role) -> Actor:
    m = role.mention
    return Actor(code=m.code, sector=role.sector, country=m.country, text=m.text)


def _shift(m: Mention, delta: int) -> Mention:
    return Mention(m.start + delta, m.end + delta, m.code, m.country, m.sector, m.kind, m.text)


def _snapshot(ctx: Context) -> Context:
    return Context(ctx.last_person, ctx.last_group, list(ctx.recent), ctx.speaker)


def _unique(events: list[Event]) -> list[Event]:
    """One event per (sentence, source, target, root), as coders count them."""
    seen = set()
    out = []
    for e in events:
        key = (e.start, e.source.code, e.target.code, e.root)
        mirror = (e.start, e.target.code, e.source.code, e.root)
        if key in seen or (e.symmetric and mirror in seen):
            continue
        seen.add(key)
        out.append(e)
    return out
