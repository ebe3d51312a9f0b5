"""Hand-made events for the tests: rows of the events table, Event records, small stores.

Two sets of codes per quad class are used. Rows of the events table (what the analysis
reads) take ``ROW_QUADS`` unless a test passes its own; Event records (what the coder
and the store hold) take ``RECORD_QUADS``, which also name the PLOVER type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from equipoise.records import Actor, Document, Event, EventDate
from equipoise.store import Store

# Quad class -> CAMEO code, Goldstein weight.
ROW_QUADS = {1: ("042", 1.9), 2: ("061", 6.4), 3: ("112", -2.0), 4: ("190", -10.0)}
# Quad class -> CAMEO code, Goldstein weight, PLOVER type.
RECORD_QUADS = {1: ("036", 4.0, "CONSULT"), 2: ("061", 6.4, "COOPERATE"),
                3: ("112", -2.0, "ACCUSE"), 4: ("173", -5.0, "COERCE")}  # fmt: skip

STORE_CODER = "test-0"


# -- rows of the events table ------------------------------------------------------------


def event_row(
    source: str,
    target: str,
    quad: int,
    when: str | dt.date,
    *,
    quad_codes: dict[int, tuple[str, float]] = ROW_QUADS,
    **extra: Any,
) -> dict[str, Any]:
    """One row of the ``events`` table with its document columns, as the store gives it.

    ``when`` is the event date (ISO text or a date); ``extra`` replaces any column.
    """
    cameo, goldstein = quad_codes[quad]
    day = dt.date.fromisoformat(when) if isinstance(when, str) else when
    row = {
        "doc_id": f"doc-{source}-{target}-{day.isoformat()}-{quad}",
        "sent_start": 0,
        "sent_end": 40,
        "sentence": f"{source} and {target} did something on {day.isoformat()}.",
        "source": source,
        "source_country": source,
        "source_sector": "GOV",
        "target": target,
        "target_country": target,
        "target_sector": "GOV",
        "cameo": cameo,
        "root": cameo[:2],
        "quad": quad,
        "goldstein": goldstein,
        "plover": "",
        "event_date": day,
        "date_precision": "day",
        "symmetric": False,
        "reported": False,
        "trigger": "",
        "coder": "test",
        "dataset": "equipoise",
        "doc_url": None,
        "doc_title": None,
        "published": None,
    }
    row.update(extra)
    return row


# -- Event records -------------------------------------------------------------------------


def record_event(
    doc: Document,
    source: str,
    target: str,
    day: dt.date | None,
    *,
    quad: int | None = None,
    sentence: str | None = None,
    start: int = 0,
    source_text: str = "",
    target_text: str = "",
    **changes: Any,
) -> Event:
    """An Event of ``doc`` from state ``source`` to state ``target`` on ``day``.

    With ``quad`` the CAMEO code, Goldstein weight and PLOVER type are ``RECORD_QUADS``';
    without, the event is a signed agreement (CAMEO 057, quad 1, Goldstein 8). The
    sentence is the document's text unless given; ``changes`` replaces any field.
    """
    sentence = doc.text if sentence is None else sentence
    if quad is None:
        kind: dict[str, Any] = {"cameo": "057", "quad": 1, "goldstein": 8.0}
    else:
        cameo, goldstein, plover = RECORD_QUADS[quad]
        kind = {"cameo": cameo, "quad": quad, "goldstein": goldstein, "plover": plover}
    fields: dict[str, Any] = {
        "doc_id": doc.id,
        "start": start,
        "end": start + len(sentence),
        "sentence": sentence,
        "source": Actor(source, country=source, text=source_text),
        "target": Actor(target, country=target, text=target_text),
        "date": EventDate(day),
        **kind,
    }
    fields.update(changes)
    return Event(**fields)


# -- small stores ----------------------------------------------------------------------------

Row = tuple[str, str, int, dt.date]  # source, target, quad, event date


def write_store(path: Path, documents: Iterable[list[Row]]) -> Path:
    """A store at ``path`` holding one document per list of rows, one event per row."""
    with Store(path) as store:
        for n, rows in enumerate(documents):
            text = f"Document {n}: " + " ".join(f"{s} and {t}." for s, t, _, _ in rows)
            doc = Document.from_text(text, published=dt.date(2020, 6, 1), source="test")
            store.add_document(doc)
            events = [
                record_event(doc, source, target, day, quad=quad, start=m, end=m + 1,
                             sentence=f"{source} and {target}.", coder=STORE_CODER)
                for m, (source, target, quad, day) in enumerate(rows)
            ]  # fmt: skip
            store.replace_events(doc.id, STORE_CODER, events)
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


# -- GDELT files ------------------------------------------------------------------------------

# Partner, CAMEO code and Goldstein weight of generated GDELT rows, in turn.
GDELT_KINDS = (("TUR", "042", "1.9"), ("RUS", "190", "-10"), ("IRN", "112", "-2"),
               ("USA", "057", "8"))  # fmt: skip


def gdelt_rows(first_id: int, count: int, day: dt.date, version: int = 1) -> list[str]:
    """``count`` tab-separated GDELT ``version`` event rows dated ``day``, ids from
    ``first_id``: Azerbaijan's government and a partner in turn (``GDELT_KINDS``), with
    every seventh row domestic (skipped on import)."""
    from equipoise.sources.datasets import GDELT1_COLUMNS, GDELT2_COLUMNS

    columns = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
    added = day.strftime("%Y%m%d") + ("" if version == 1 else "101500")
    rows = []
    for n in range(count):
        event_id = first_id + n
        partner, code, goldstein = GDELT_KINDS[event_id % len(GDELT_KINDS)]
        if event_id % 7 == 0:
            partner = "AZE"
        values = {
            "GLOBALEVENTID": str(event_id), "SQLDATE": day.strftime("%Y%m%d"),
            "Actor1CountryCode": "AZE", "Actor1Name": "AZERBAIJAN", "Actor1Type1Code": "GOV",
            "Actor2CountryCode": partner, "Actor2Name": partner, "Actor2Type1Code": "GOV",
            "EventCode": code, "GoldsteinScale": goldstein, "NumMentions": str(n % 9 + 1),
            "NumSources": "1", "NumArticles": "2", "AvgTone": "0.5", "DATEADDED": added,
            "SOURCEURL": f"https://example.org/{event_id}",
        }  # fmt: skip
        rows.append("\t".join(values.get(name, "") for name in columns))
    return rows
