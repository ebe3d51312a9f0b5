"""Small stores of hand-made events for the tests of what the analysis accepts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from equipoise.records import Actor, Document, Event, EventDate
from equipoise.store import Store

CODER = "test-0"
# Quad class -> CAMEO code, Goldstein weight, PLOVER type.
QUADS = {1: ("036", 4.0, "CONSULT"), 2: ("061", 6.4, "COOPERATE"),
         3: ("112", -2.0, "ACCUSE"), 4: ("173", -5.0, "COERCE")}  # fmt: skip

Row = tuple[str, str, int, dt.date]  # source, target, quad, event date


def write_store(path: Path, documents: Iterable[list[Row]]) -> Path:
    """A store at ``path`` holding one document per list of rows, one event per row."""
    with Store(path) as store:
        for n, rows in enumerate(documents):
            text = f"Document {n}: " + " ".join(f"{s} and {t}." for s, t, _, _ in rows)
            doc = Document.from_text(text, published=dt.date(2020, 6, 1), source="test")
            store.add_document(doc)
            events = []
            for m, (source, target, quad, day) in enumerate(rows):
                cameo, goldstein, plover = QUADS[quad]
                events.append(Event(
                    doc_id=doc.id, start=m, end=m + 1, sentence=f"{source} and {target}.",
                    source=Actor(source, country=source), target=Actor(target, country=target),
                    cameo=cameo, quad=quad, goldstein=goldstein, plover=plover,
                    date=EventDate(day), coder=CODER,
                ))  # fmt: skip
            store.replace_events(doc.id, CODER, events)
    return path


def one_event_each(rows: Iterable[Row]) -> list[list[Row]]:
    """Documents of one event each."""
    return [[row] for row in rows]


def far_dates_store(path: Path) -> Path:
    """Three documents, dated in year 1, in May 2020 and in year 9999, each with an event
    from Azerbaijan to Turkey and one from Russia to Azerbaijan."""
    return write_store(path, [
        [("AZE", "TUR", 1, day), ("RUS", "AZE", 3, day)]
        for day in (dt.date(1, 1, 1), dt.date(2020, 5, 1), dt.date(9999, 12, 31))
    ])  # fmt: skip
