"""The trigger lexicon: English head words (spaCy lemma + part of speech) to CAMEO codes.

The file is ``equipoise/data/lexicon/triggers.csv``; its format and the meaning of
the ``with`` column are described in ``data/lexicon/README.md``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from equipoise.reference.cameo import cameo_table

CLASSES_FILE = "classes.csv"
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "triggers.csv"

COLUMNS = ("lemma", "pos", "with", "cameo", "note")
POS_TAGS = frozenset({"VERB", "NOUN", "ADJ"})


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon row.

    ``with_`` is the lemma of a dependent that must be present for the row to
    apply (a particle, preposition or object noun), or ``""`` for none.
    """

    lemma: str
    pos: str
    with_: str
    cameo: str
    note: str = ""


def _check_word(value: str, column: str, where: str, *, required: bool) -> str:
    if required and not value:
        raise ValueError(f"{where}: empty {column}")
    if value != value.strip() or value != value.lower():
        raise ValueError(f"{where}: {column} {value!r} must be a lower-case lemma")
    return value


def load_triggers(path: str | Path | None = None) -> dict[tuple[str, str], list[Trigger]]:
    """Read the lexicon into ``{(lemma, pos): [Trigger, ...]}``.

    In each list the rows with a ``with`` word come first, in file order, then
    the plain row. Every row is checked: ``pos`` must be VERB, NOUN or ADJ and
    ``cameo`` must be a code of the CAMEO table; a bad row raises ``ValueError``
    naming the file and line.
    """
    path = DEFAULT_PATH if path is None else Path(path)
    codes = cameo_table()
    classes = load_word_classes(path.with_name(CLASSES_FILE))
    triggers: dict[tuple[str, str], list[Trigger]] = {}
    seen: set[tuple[str, str, str]] = set()
    pending: list[tuple[str, str, str, str, str]] = []
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = tuple(reader.fieldnames or ())
        if header not in (COLUMNS, COLUMNS[:-1]):
            raise ValueError(f"{path}:1: header must be {','.join(COLUMNS)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if None in row or any(row.get(c) is None for c in COLUMNS[:-1]):
                raise ValueError(f"{where}: expected {len(header)} fields")
            lemma = _check_word(row["lemma"], "lemma", where, required=True)
            raw_with = (row["with"] or "").strip()
            if raw_with.startswith("@"):  # a word class: one row per member, added below
                if raw_with[1:] not in classes:
                    raise ValueError(f"{where}: unknown word class {raw_with!r}")
                if row["pos"] not in POS_TAGS or row["cameo"].strip() not in codes:
                    raise ValueError(f"{where}: bad pos or CAMEO code in class row")
                pending.append((lemma, row["pos"], raw_with[1:], row["cameo"].strip(),
                                (row.get("note") or "").strip()))
                continue
            with_ = _check_word(row["with"], "with", where, required=False)
            pos = row["pos"]
            if pos not in POS_TAGS:
                raise ValueError(f"{where}: pos {pos!r} is not one of {sorted(POS_TAGS)}")
            cameo = row["cameo"].strip()
            if cameo not in codes:
                raise ValueError(f"{where}: unknown CAMEO code {cameo!r}")
            key = (lemma, pos, with_)
            if key in seen:
                raise ValueError(f"{where}: duplicate row for {lemma}/{pos} with {with_!r}")
            seen.add(key)
            note = (row.get("note") or "").strip()
            triggers.setdefault((lemma, pos), []).append(
                Trigger(lemma=lemma, pos=pos, with_=with_, cameo=cameo, note=note)
            )
    # A class row stands for one row per member; a row written out for a member wins.
    for lemma, pos, name, cameo, note in pending:
        for word in classes[name]:
            if (lemma, pos, word) not in seen:
                seen.add((lemma, pos, word))
                triggers.setdefault((lemma, pos), []).append(
                    Trigger(lemma=lemma, pos=pos, with_=word, cameo=cameo, note=note))
    for rows in triggers.values():
        rows.sort(key=lambda t: t.with_ == "")  # stable: file order within each group
    return triggers


def load_word_classes(path: Path) -> dict[str, tuple[str, ...]]:
    """Word classes a lexicon row may name in ``with`` as ``@class``: ``class,word`` rows."""
    if not path.is_file():
        return {}
    classes: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != ("class", "word"):
            raise ValueError(f"{path}:1: header must be class,word")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            word = _check_word(row["word"], "word", where, required=True)
            classes.setdefault(row["class"].strip(), []).append(word)
    return {name: tuple(words) for name, words in classes.items()}
