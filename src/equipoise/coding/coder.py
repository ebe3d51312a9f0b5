"""The rule-based event coder: documents in, dyadic CAMEO events out.

Per document: split sentences, find actors with the gazetteer (one pass over the whole
text), learn names introduced with a title, and keep only the sentences that could hold
an event (an actor, a trigger word, and a second actor or a pronoun to resolve). Only
those are parsed by spaCy, in batches; :class:`SentenceExtractor` reads the events.

Each document is coded on its own terms: one that makes the coder fail, or that runs over
its time budget, is reported as failed (:class:`Coded`) and the others are coded as usual.
Documents longer than ``chunk_chars`` are read in runs of whole sentences, so no pass over
the text holds more than one run; a sentence longer than ``max_sentence_chars`` is cut
into pieces (see :func:`~equipoise.coding.text.split_long`), so spaCy never sees more
than that at once, far inside its ``max_length``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING

import numpy as np

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
from equipoise.coding.quotes import quotation_speakers
from equipoise.coding.text import dateline_spans, fold, split_long, split_sentences
from equipoise.errors import EquipoiseError
from equipoise.records import Actor, Document, Event, EventDate
from equipoise.reference.actors import (
    ActorEntry,
    load_groups,
    load_region_words,
    load_sector_words,
)
from equipoise.reference.cameo import lookup, quad_of

if TYPE_CHECKING:
    from spacy.tokens import Token

CODER_VERSION = "equipoise-rules-0.2"
# Used only by a model file that lacks its own per-quad default codes.
_QUAD_DEFAULT = {1: "010", 2: "060", 3: "110", 4: "190"}
TIME_BUDGET = 60.0  # seconds of coding per document before it is given up as failed
MAX_SENTENCE_CHARS = 2_000  # longer sentences are cut into pieces
CHUNK_CHARS = 100_000  # longer documents are read in runs of whole sentences
# Characters parsed in one spaCy batch: the parser's memory grows with a batch's tokens,
# and 256 pieces of a run-on sentence, 2,000 characters each, took 600 MB.
BATCH_CHARS = 50_000
OVER_BUDGET = "time budget exceeded"


def coder_version(model: PairModel | None) -> str:
    """The version a coder with ``model`` (None: the rules alone) records with its events."""
    return CODER_VERSION if model is None else f"{CODER_VERSION}+{model.digest()}"


class CodingError(EquipoiseError):
    """A document could not be coded; the message names it and says why."""


@dataclass(frozen=True, slots=True)
class Coded:
    """One document's outcome: its events, or why it could not be coded.

    ``failure`` is a one-line reason (None when coded); ``notes`` say what was done to
    code it at all, e.g. a sentence cut into pieces.
    """

    doc: Document
    events: list[Event]
    failure: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(slots=True)
class _Sentence:
    doc: Document
    start: int
    end: int
    mentions: list[Mention]
    context: Context
    first: bool = False  # the document's first sentence: often its title
    events: list[Event] = field(default_factory=list)
    pairs: list[Candidate] = field(default_factory=list)


@dataclass(slots=True)
class _Job:
    """A document being coded: its candidate sentences, time spent, and how it went."""

    doc: Document
    sentences: list[_Sentence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failure: str | None = None
    spent: float = 0.0  # seconds, the document's share of batched parsing included
    parsed: bool = False

    def fail(self, exc: BaseException) -> None:
        self.failure = _reason(exc)


class _OverBudget(Exception):
    pass


class Coder:
    """Codes documents into events. Build once; reuse across documents.

    Parameters
    ----------
    nlp : a spaCy pipeline with tagger, parser and lemmatizer (default: :func:`load_nlp`).
    gazetteer : actor dictionary (default: the package's data files).
    batch_size : sentences parsed per spaCy batch.
    time_budget : seconds a document may take (None: no limit); checked between
        sentences, so a document can overrun it by one sentence, or by its share of one
        batch of parsing.
    max_sentence_chars : sentences longer than this are cut into pieces.
    chunk_chars : documents longer than this are read in runs of whole sentences of at
        most this many characters (and never more than spaCy's ``max_length``).
    model : the learned layer: ``"default"`` for the model the package ships, a path to a
        model file written by ``equipoise train``, a :class:`PairModel`, or ``None`` for
        the rules alone.
    """

    def __init__(self, nlp=None, gazetteer: Gazetteer | None = None, batch_size: int = 256,
                 time_budget: float | None = TIME_BUDGET,
                 max_sentence_chars: int = MAX_SENTENCE_CHARS, chunk_chars: int = CHUNK_CHARS,
                 model: PairModel | str | None = "default"):
        self.nlp = nlp if nlp is not None else load_nlp()
        if model == "default":
            model = PairModel.default()
        elif isinstance(model, str):
            model = PairModel.load(model)
        self.model: PairModel | None = model
        # documents coded by other rules or weights are coded again by `equipoise code`
        self.version = coder_version(model)
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.default()
        self.time_budget = time_budget
        self.max_sentence_chars = max_sentence_chars
        self.chunk_chars = chunk_chars
        self.cues: Cues = load_cues()
        triggers = load_triggers()
        groups = {code: members for code, (_, members) in load_groups().items()}
        self.extractor = SentenceExtractor(triggers, self.cues, load_sector_words(), groups,
                                           load_region_words())
        self.batch_size = batch_size
        self._trigger_forms = frozenset(
            form for lemma, _pos in triggers for form in surface_forms(lemma)
        ) | self.cues.obligation_aux | frozenset(
            form for word in (self.cues.reproach_words | self.cues.praise_words
                              | self.cues.acceptance_verbs | self.cues.negative_labels
                              | set(self.cues.expectation_verbs))
            for form in surface_forms(word))
        self.stats = {"documents": 0, "sentences": 0, "parsed": 0}
        # Words that can stand for an actor named elsewhere: a sentence with one actor
        # and one of these may still hold an event.
        cues = self.cues
        self._pronouns = (cues.person_pronouns | cues.group_pronouns | cues.speaker_pronouns
                          | cues.bloc_nouns | cues.state_nouns | {"two", "both", "sides"}
                          | cues.body_nouns | {n + "s" for n in cues.body_nouns} | {"co-chairs"})
        self._pair_words = frozenset({"two", "both", "sides", "parties"})

    # -- public API --------------------------------------------------------------------
    def code_document(self, doc: Document) -> list[Event]:
        """The document's events; :class:`CodingError` if it cannot be coded."""
        return next(iter(self.code([doc])))[1]

    def code(self, docs: Iterable[Document], docs_per_batch: int = 32
             ) -> Iterator[tuple[Document, list[Event]]]:
        """Yield each document with its events, in input order.

        Raises :class:`CodingError` at the first document that cannot be coded; use
        :meth:`code_each` to go on past it.
        """
        for coded in self.code_each(docs, docs_per_batch):
            if coded.failure is not None:
                raise CodingError(f"document {coded.doc.ref or coded.doc.id}: {coded.failure}")
            yield coded.doc, coded.events

    def code_each(self, docs: Iterable[Document], docs_per_batch: int = 32
                  ) -> Iterator[Coded]:
        """Yield each document's :class:`Coded` outcome, in input order.

        A document that makes the coder raise, or that takes longer than ``time_budget``,
        comes back with a ``failure`` and no events; the documents around it are coded
        as if it were not there.
        """
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= docs_per_batch:
                yield from self._code_batch(batch)
                batch = []
        if batch:
            yield from self._code_batch(batch)

    def pairs(self, docs: Iterable[Document]) -> Iterator[tuple[Document, int, int,
                                                                list[Candidate]]]:
        """Each parsed sentence's actor pairs, as ``(doc, start, end, candidates)``:
        what :func:`equipoise.coding.training.train` learns from. Documents the coder
        fails on are left out."""
        jobs = [_Job(doc) for doc in docs]
        for job in jobs:
            try:
                job.sentences = self._candidates(job, perf_counter())
            except Exception as exc:
                job.fail(exc)
        self._parse([job for job in jobs if job.failure is None])
        for job in jobs:
            if job.failure is None:
                for s in job.sentences:
                    yield job.doc, s.start, s.end, s.pairs

    # -- internals ---------------------------------------------------------------------
    def _code_batch(self, docs: list[Document]) -> Iterator[Coded]:
        jobs = [_Job(doc) for doc in docs]
        for job in jobs:
            started = perf_counter()
            try:
                job.sentences = self._candidates(job, started)
            except _OverBudget:
                job.failure = OVER_BUDGET
            except Exception as exc:  # one document's failure is its own
                job.fail(exc)
            job.spent += perf_counter() - started
        self.stats["documents"] += len(docs)
        todo = [job for job in jobs if job.failure is None]
        try:
            self._parse(todo)
        except Exception:
            # The parser itself failed on some sentence of the batch: parse what is left
            # one document at a time, so that only the document that holds it fails.
            for job in todo:
                if job.failure is None and not job.parsed:
                    try:
                        self._parse([job])
                    except Exception as exc:
                        job.fail(exc)
        for job in jobs:
            if job.failure is not None:
                yield Coded(job.doc, [], job.failure, tuple(job.notes))
            else:
                events = _unique([e for s in job.sentences for e in s.events])
                yield Coded(job.doc, events, None, tuple(job.notes))

    def _parse(self, jobs: list[_Job]) -> None:
        """Parse the jobs' candidate sentences in batches and read their events."""
        sents = [(job, s) for job in jobs for s in job.sentences]
        left = {id(job): len(job.sentences) for job in jobs}
        for job in jobs:
            job.parsed = not job.sentences
        self.stats["parsed"] += len(sents)
        for batch in _batches(sents, self.batch_size, BATCH_CHARS):
            # A document already given up is parsed as an empty string: nearly free.
            texts = ("" if job.failure is not None
                     else _parseable(s.doc.text[s.start:s.end], s.start, s.mentions)
                     for job, s in batch)
            last = perf_counter()
            for k, ((job, sent), parsed) in enumerate(zip(
                    batch, self.nlp.pipe(texts, batch_size=len(batch)), strict=True)):
                now = perf_counter()
                if k == 0:
                    # spaCy has just parsed the whole batch: share that time by length.
                    total = sum(s.end - s.start for _, s in batch) or 1
                    for other, s in batch:
                        other.spent += (now - last) * (s.end - s.start) / total
                else:
                    job.spent += now - last
                if job.failure is None:
                    try:
                        rel = [_shift(m, -sent.start) for m in sent.mentions]
                        found = self.extractor.extract(parsed, rel, sent.context)
                        sent.pairs = candidates(self.extractor, parsed,
                                                self.extractor._amap or {}, sent.context,
                                                found, first=sent.first)
                        sent.events = self._judged(sent, parsed, found)
                    except Exception as exc:
                        job.fail(exc)
                last = perf_counter()
                job.spent += last - now
                if job.failure is None and self._over_budget(job.spent):
                    job.failure = OVER_BUDGET
                left[id(job)] -= 1
                job.parsed = left[id(job)] == 0

    def _judged(self, sent: _Sentence, parsed, found: list[Found]) -> list[Event]:
        """The rules' events, and with a model, its judgement of the sentence's pairs."""
        events = self._events(sent, parsed, found)
        cands = sent.pairs
        if not cands or self.model is None:
            return events
        # rule events on pairs the model also reads are judged there
        judged = {(c.source.mention.code, c.target.mention.code) for c in cands
                  if c.rule is not None}
        out = [e for e in events if (e.source.code, e.target.code) not in judged]
        probs = self.model.probabilities([c.features for c in cands])
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
        cameo: str | None
        trigger: Token | None
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

    def _over_budget(self, spent: float) -> bool:
        return self.time_budget is not None and spent > self.time_budget

    def _spans(self, text: str, notes: list[str]) -> Iterator[tuple[int, int]]:
        """Sentence spans; a sentence over ``max_sentence_chars`` comes in pieces."""
        limit = self.max_sentence_chars
        for start, end in split_sentences(text):
            if end - start <= limit:
                yield start, end
                continue
            pieces = list(split_long(text, start, end, limit))
            notes.append(f"the sentence at characters {start}-{end} is {end - start:,} "
                         f"characters long: coded in {len(pieces)} pieces of at most "
                         f"{limit:,}")
            yield from pieces

    def _chunk_limit(self) -> int:
        return max(1, min(self.chunk_chars, self.nlp.max_length))

    def _chunks(self, text: str, notes: list[str]) -> Iterator[list[tuple[int, int]]]:
        """Runs of consecutive sentence spans of at most ``chunk_chars`` characters."""
        limit = self._chunk_limit()
        run: list[tuple[int, int]] = []
        for start, end in self._spans(text, notes):
            if run and end - run[0][0] > limit:
                yield run
                run = []
            run.append((start, end))
        if run:
            yield run

    def _candidates(self, job: _Job, started: float) -> list[_Sentence]:
        doc = job.doc
        when = doc.published
        out: list[_Sentence] = []
        ctx = Context()
        learned: dict[str, ActorEntry] = {}
        seen = 0  # sentences of the document so far
        for n, run in enumerate(self._chunks(doc.text, job.notes)):
            # Offsets below are within the chunk; `base` makes them the document's.
            base = run[0][0]
            text = doc.text[base:run[-1][1]]
            if n == 1:
                job.notes.append(f"{len(doc.text):,} characters: read in runs of whole "
                                 f"sentences of at most {self._chunk_limit():,}")
            tokens = tokenize(fold(text))
            mentions = self.gazetteer.find(text, when, tokens=tokens)
            for entry in learn_names(tokens, mentions, self.cues):
                learned.setdefault(entry.pattern, entry)  # names learned earlier still hold
            mentions = merge_learned(mentions, text, list(learned.values()), when, tokens)
            datelines = dateline_spans(text)
            if datelines:  # "MOSCOW, Jan 5 (Reuters) -" says where, not who
                mentions = [m for m in mentions
                            if not any(m.start < e and m.end > s for s, e in datelines)]
            mi = 0
            ti = 0
            spans = [(s - base, e - base) for s, e in run]
            per_sentence: list[list[Mention]] = []
            for start, end in spans:
                while mi < len(mentions) and mentions[mi].start < start:
                    mi += 1
                j = mi
                while j < len(mentions) and mentions[j].end <= end:
                    j += 1
                per_sentence.append(mentions[mi:j])
            speakers = quotation_speakers(text, spans, per_sentence)
            for (start, end), sent_mentions, speaker in zip(spans, per_sentence, speakers,
                                                            strict=True):
                if self._over_budget(perf_counter() - started):
                    raise _OverBudget
                self.stats["sentences"] += 1
                while ti < len(tokens) and tokens[ti][0] < start:
                    ti += 1
                words = set()
                k = ti
                while k < len(tokens) and tokens[k][1] <= end:
                    words.add(tokens[k][2].lower())
                    k += 1
                if base:
                    sent_mentions = [_shift(m, base) for m in sent_mentions]
                    speaker = _shift(speaker, base) if speaker is not None else None
                ctx.speaker = speaker
                if self._worth_parsing(sent_mentions, words, ctx):
                    out.append(_Sentence(doc, start + base, end + base, sent_mentions,
                                         _snapshot(ctx), first=seen == 0))
                seen += 1
                # "met in Moscow": a city named as the place is no party that "the two
                # sides" could later stand for
                ctx.update([m for m in sent_mentions if not _located(doc.text, m)])
                ctx.describe([(s + base, e + base, w) for s, e, w in tokens[ti:k]],
                             sent_mentions, self.cues.body_nouns)
        return out

    def _worth_parsing(self, mentions: list[Mention], words: set[str], ctx: Context) -> bool:
        if words.isdisjoint(self._trigger_forms):
            return False
        if not mentions:
            # "Both sides agreed to a truce": the pair was named in earlier sentences
            return not words.isdisjoint(self._pair_words) and len(
                {m.country or m.code for m in ctx.recent}) >= 2
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def _parseable(text: str, offset: int, mentions: list[Mention]) -> str:
    """Headline Title Case misleads the tagger ("Condemns" as a name): lower-case the
    words that are not actors. Same length, so every offset still holds.

    A lone surrogate, which spaCy cannot encode, becomes U+FFFD, also one for one.
    """
    if not text.isascii():
        text = _SURROGATE.sub("\ufffd", text)
    words = _WORD.findall(text)
    if len(words) < 4 or sum(w[0].isupper() for w in words) < 0.6 * len(words):
        return text
    keep = [(m.start - offset, m.end - offset) for m in mentions]
    chars = list(text)
    for m in _WORD.finditer(text):
        if not any(s <= m.start() < e for s, e in keep):
            chars[m.start()] = chars[m.start()].lower()
    return "".join(chars)


_PLACE_WORDS = frozenset({"in", "at"})


def _located(text: str, m: Mention) -> bool:
    """A capital or country named after 'in' or 'at' is where something happened."""
    if m.kind not in ("capital", "name", "alias"):
        return False
    before = text[max(0, m.start - 4):m.start].split()
    return bool(before) and before[-1].lower() in _PLACE_WORDS


def _actor(role) -> Actor:
    m = role.mention
    return Actor(code=m.code, sector=role.sector, country=m.country, text=m.text)


def _shift(m: Mention, delta: int) -> Mention:
    return Mention(m.start + delta, m.end + delta, m.code, m.country, m.sector, m.kind, m.text)


def _batches(items: list[tuple[_Job, _Sentence]], size: int, chars: int
             ) -> Iterator[list[tuple[_Job, _Sentence]]]:
    """Consecutive runs of at most ``size`` sentences and (unless one alone is longer)
    ``chars`` characters."""
    batch: list[tuple[_Job, _Sentence]] = []
    total = 0
    for item in items:
        n = item[1].end - item[1].start
        if batch and (len(batch) >= size or total + n > chars):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += n
    if batch:
        yield batch


def _reason(exc: BaseException) -> str:
    """The exception in one line of at most 200 characters."""
    message = str(exc).strip().splitlines()
    reason = type(exc).__name__ + (f": {message[0]}" if message else "")
    return reason if len(reason) <= 200 else reason[:199] + "…"


def _snapshot(ctx: Context) -> Context:
    return Context(ctx.last_person, ctx.last_group, list(ctx.recent), ctx.speaker,
                   dict(ctx.described), ctx.lead_group)


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
