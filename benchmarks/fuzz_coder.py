"""Fuzz the event coder with generated documents: no document may crash it.

usage: python benchmarks/fuzz_coder.py [--n 5000] [--seed 1] [--failures FAILED.jsonl]

Each document is a random mixture of actor names (states, capitals, blocs, people, with
and without diacritics or in capitals), trigger verbs and nouns, pronouns and "the two
sides", dates, punctuation and quotes, unicode (other scripts, emoji, combining marks,
bidirectional and zero-width characters, control characters, lone surrogates), very long
tokens and runs of punctuation, sometimes in the shape of a news sentence so that events
are found. Every document goes through ``Coder.code_each``; reported are the documents,
the crashes (an exception out of the coder, or a document it failed on), the documents over
the time budget, the events, and any event whose span is not the text of its sentence.
With --failures, the documents that crashed are written there as JSONL to replay.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ACTORS = [
    "Turkey", "Russia", "Azerbaijan", "Iran", "Armenia", "Georgia", "the United States",
    "the U.S.", "China", "France", "Ukraine", "the Kremlin", "Moscow", "Ankara", "Baku",
    "Tehran", "Yerevan", "NATO", "the EU", "the European Union", "the United Nations", "CSTO",
    "Turkish", "Russian", "Azerbaijani", "Iranian", "Armenian", "President Erdogan",
    "Vladimir Putin", "Çavuşoğlu", "Cavusoglu", "TURKEY", "RUSSIA", "Aliyev", "Lavrov",
    "Turkish Defence Minister Hulusi Akar", "Russian Foreign Minister Sergei Lavrov",
    "Azerbaijani President Ilham Aliyev", "Akar", "the Turkish army", "Russian troops",
    "Iran's foreign ministry", "Nagorno-Karabakh", "Russian-Armenian",
]
VERBS = [
    "signed", "condemned", "met", "met with", "said", "told", "attacked", "accused", "praised",
    "confirm", "confirmed", "warned", "will sign", "did not sign", "would attack", "called",
    "held talks with", "held joint drills with", "pledged support for", "imposed sanctions on",
    "claimed", "must withdraw from", "shelled", "criticized", "visited", "hosted",
    "agreed to cooperate with", "threatened", "denied", "urged", "supplied weapons to",
    "fought alongside", "marched against", "reaffirm", "reiterated", "expelled",
]
NOUNS = [
    "support", "talks", "agreement", "sanctions", "drills", "exercises", "visit", "meeting",
    "deal", "cooperation", "attack", "ceasefire", "aid", "protest", "statement", "treaty",
]
WORDS = [
    "we", "our", "We", "Our", "they", "their", "it", "its", "he", "she", "his", "I", "my", "me",
    "the two sides", "both sides", "the bloc", "the country", "the two leaders", "both",
    "and", "or", "of", "with", "against", "to", "for", "on", "over", "the", "a", "not",
    "if", "would", "will", "must", "that", "who", "which", "because", "while",
    "on Monday", "last week", "in March 2020", "on 12 May", "2019", "yesterday", "next year",
    "Mr.", "Dr.", "St.", "U.N.", "a.m.", "No.", "J.", "etc.",
]
PUNCT = [
    ".", ". ", ", ", "; ", ": ", "?", "!", "...", '"', "“", "”", "‘", "’", "'", "(", ")", "[",
    "]", "-", "–", "—", "/", "\n", "\n\n", "\t", " ", "  ", "’s", "'s", "&", "%", "#", "*",
]
UNICODE = [
    "é", "ı", "İ", "ß", "ø", "Ł", "ﬁ", "ẞ", "Ω", "мир", "Россия", "مرحبا", "ایران", "中国",
    "日本語", "한국", "😀", "🇹🇷", "👍🏽", "\u202e", "\u202d", "\u2066", "\u200b", "\u200d",
    "\ufeff", "\u00a0", "\u2028", "\u2029", "\u0301", "e\u0301", "\u0000", "\u001b", "\u007f",
    "\ufffd", "\ud800", "\udfff", "\U0001f600", "\u3000", "\u0663", "Ⅻ", "½", "²",
]


def long_token(rng: random.Random) -> str:
    """A token or run of thousands of characters."""
    n = rng.choice([300, 2_001, 5_000, 20_000])
    unit = rng.choice(["x", "Turkey", "A", ".", ",", ";", "!", "-", "\n", " ", "é", "😀",
                       "Russia ", "and ", "\u202e", "'", '"', "0"])
    return (unit * (n // len(unit) + 1))[:n]


def news_sentence(rng: random.Random) -> str:
    """An actor, a verb and another actor, sometimes quoted or reported."""
    parts = [rng.choice(ACTORS), rng.choice(VERBS), rng.choice(ACTORS)]
    if rng.random() < 0.3:
        parts += [rng.choice(["over", "on", "for"]), rng.choice(NOUNS)]
    sentence = " ".join(parts) + rng.choice([".", ".", "!", "?", ""])
    shape = rng.random()
    if shape < 0.15:
        sentence = f'"{sentence.rstrip(".")}," {rng.choice(ACTORS)} said.'
    elif shape < 0.25:
        sentence = f"“We {rng.choice(VERBS)} our {rng.choice(NOUNS)} for {rng.choice(ACTORS)},” " \
                   f"the {rng.choice(['Turkish', 'Russian', 'Iranian'])} minister told reporters."
    elif shape < 0.3:
        sentence = sentence.upper()
    return sentence


def piece(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return news_sentence(rng)
    if roll < 0.40:
        return rng.choice(ACTORS)
    if roll < 0.52:
        return rng.choice(VERBS)
    if roll < 0.57:
        return rng.choice(NOUNS)
    if roll < 0.72:
        return rng.choice(WORDS)
    if roll < 0.86:
        return rng.choice(PUNCT)
    if roll < 0.97:
        return rng.choice(UNICODE)
    return long_token(rng)


def generate_text(rng: random.Random) -> str:
    """One generated document text."""
    n = rng.choice([0, 1, 3, 10, 30, 80, 200])
    glue = rng.choice([" ", " ", " ", "", "\n"])
    return glue.join(piece(rng) for _ in range(n))


def generate_documents(n: int, seed: int = 1) -> Iterator[object]:
    """``n`` generated :class:`~equipoise.records.Document` objects, reproducible by seed."""
    from equipoise.records import Document

    rng = random.Random(seed)
    for i in range(n):
        published = rng.choice([None, dt.date(2020, 9, 27), dt.date(1999, 1, 1),
                                dt.date(2024, 2, 29)])
        # Not from_text: its content hash cannot encode a lone surrogate, and the coder
        # should survive any string it is given.
        yield Document(id=f"fuzz-{i:07d}", text=generate_text(rng), published=published,
                       ref=f"fuzz-{i}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="documents to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--failures", type=Path, help="write the documents that crashed here")
    args = parser.parse_args(argv)

    from equipoise.coding.coder import OVER_BUDGET, Coder

    coder = Coder()
    docs = list(generate_documents(args.n, args.seed))
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    crashed = []
    slowest = 0.0
    started = time.perf_counter()
    for i in range(0, len(docs), 32):
        batch = docs[i:i + 32]
        t0 = time.perf_counter()
        try:
            outcomes = list(coder.code_each(batch))
        except Exception as exc:  # the coder let an exception out: every document is lost
            counts["crashes"] += len(batch)
            reasons[f"escaped: {type(exc).__name__}: {exc}"[:120]] += len(batch)
            crashed.extend(batch)
            continue
        slowest = max(slowest, time.perf_counter() - t0)
        for coded in outcomes:
            counts["documents"] += 1
            counts["characters"] += len(coded.doc.text)
            counts["events"] += len(coded.events)
            counts["with notes"] += bool(coded.notes)
            if coded.failure == OVER_BUDGET:
                counts["over budget"] += 1
            elif coded.failure is not None:
                counts["crashes"] += 1
                reasons[coded.failure[:120]] += 1
                crashed.append(coded.doc)
            for event in coded.events:
                text = coded.doc.text
                if not (0 <= event.start < event.end <= len(text)) or \
                        text[event.start:event.end] != event.sentence:
                    counts["bad spans"] += 1
    elapsed = time.perf_counter() - started
    print(f"documents     {counts['documents']:>10,}  ({counts['characters']:,} characters, "
          f"seed {args.seed})")
    print(f"crashes       {counts['crashes']:>10,}")
    print(f"over budget   {counts['over budget']:>10,}")
    print(f"events        {counts['events']:>10,}")
    print(f"bad spans     {counts['bad spans']:>10,}")
    print(f"with notes    {counts['with notes']:>10,}  (sentences coded in pieces, long texts)")
    print(f"time          {elapsed:>10.1f} s  (slowest batch of 32: {slowest:.1f} s)")
    for reason, n in reasons.most_common(10):
        print(f"  {n:>6,}  {reason}")
    if args.failures is not None and crashed:
        with args.failures.open("w", encoding="utf-8") as f:
            for doc in crashed:
                date = doc.published.isoformat() if doc.published else None
                f.write(json.dumps({"id": doc.ref, "date": date, "text": doc.text}) + "\n")
        print(f"crashed documents -> {args.failures}")
    return 1 if counts["crashes"] or counts["bad spans"] else 0


if __name__ == "__main__":
    sys.exit(main())
