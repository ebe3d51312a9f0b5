"""The DuckDB store: documents go in once, coding is atomic, events come out filtered."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from equipoise.records import Actor, Document, Event, EventDate
from equipoise.sources import iter_documents
from equipoise.store import SCHEMA_VERSION, Store, StoreError, resolve_db_path

CODER = "rules-0.1"


def doc(text: str, day: dt.date = dt.date(2020, 9, 2), **meta) -> Document:
    return Document.from_text(text, published=day, source="test", **meta)


def event(
    document: Document,
    source: str = "IDN",
    target: str = "CHN",
    day: dt.date = dt.date(2020, 9, 1),
    cameo: str = "057",
    **changes,
) -> Event:
    made = Event(
        doc_id=document.id,
        start=0,
        end=len(document.text),
        sentence=document.text,
        source=Actor(source, country=source),
        target=Actor(target, country=target),
        cameo=cameo,
        quad=1,
        goldstein=8.0,
        date=EventDate(day),
    )
    return dataclasses.replace(made, **changes)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "equipoise.duckdb"


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as opened:
        yield opened


# -- opening -----------------------------------------------------------------------


def test_new_store_records_its_schema_version(store, db_path):
    store.close()
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        value = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    finally:
        con.close()
    assert value == (SCHEMA_VERSION,)


def test_reopening_keeps_what_was_stored(db_path):
    with Store(db_path) as store:
        store.add_document(doc("Indonesia signed a pact with China."))
    with Store(db_path) as store:
        assert store.stats()["documents"] == 1


def test_unknown_schema_version_is_refused(db_path):
    Store(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="schema version '99'"):
            Store(db_path, read_only=read_only)


def test_a_database_of_something_else_is_refused(db_path):
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE sales (id INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not an equipoise store"):
        Store(db_path)


def test_read_only_store_reads_but_cannot_write(db_path):
    first = doc("Indonesia signed a pact with China.")
    with Store(db_path) as store:
        store.add_document(first)
    with Store(db_path, read_only=True) as store:
        assert store.stats()["documents"] == 1
        with pytest.raises(StoreError, match="read-only"):
            store.add_document(doc("Something new."))
        with pytest.raises(StoreError, match="read-only"):
            store.replace_events(first.id, CODER, [])


def test_while_a_writer_holds_the_file_other_processes_cannot_open_it(db_path):
    probe = (
        "import sys\n"
        "from equipoise.store import Store, StoreError\n"
        "try:\n"
        "    Store(sys.argv[1], read_only=True)\n"
        "except StoreError as exc:\n"
        "    sys.exit(str(exc))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with Store(db_path):
        held = subprocess.run(
            [sys.executable, "-c", probe, str(db_path)], env=env, capture_output=True, text=True
        )
    assert held.returncode != 0 and "one writer" in held.stderr
    free = subprocess.run([sys.executable, "-c", probe, str(db_path)], env=env)
    assert free.returncode == 0


def test_read_only_store_must_exist(db_path):
    with pytest.raises(StoreError, match="no such database"):
        Store(db_path, read_only=True)
    assert not db_path.exists()


def test_db_path_comes_from_option_then_environment_then_default(monkeypatch):
    monkeypatch.setenv("EQUIPOISE_DB", "/data/env.duckdb")
    assert resolve_db_path("mine.duckdb") == Path("mine.duckdb")
    assert resolve_db_path(None) == Path("/data/env.duckdb")
    monkeypatch.delenv("EQUIPOISE_DB")
    assert resolve_db_path(None) == Path("equipoise.duckdb")


# -- documents ---------------------------------------------------------------------


def test_a_document_is_stored_once(store):
    pact = doc("Indonesia signed a pact with China.", url="https://x.org/1", title="Pact")
    assert store.add_document(pact) is True
    assert store.add_document(pact) is False
    (stored,) = store.uncoded_documents(CODER)
    assert stored == pact


def test_add_documents_counts_added_and_already_present(store):
    a, b = doc("First article."), doc("Second article.")
    assert store.add_documents([a, b, a]) == (2, 1)
    assert store.add_documents([a, b]) == (0, 2)


def test_ingesting_the_same_files_twice_adds_nothing_the_second_time(store, tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text("Date: 2020-09-02\n\nIndonesia signed a pact with China.")
    (news / "b.jsonl").write_text(
        '{"id": "1", "date": "2020-09-03", "text": "Japan expressed concern."}\n'
        '{"id": "2", "date": "2020-09-04", "text": "China welcomed the pact."}\n'
    )

    def ingest() -> tuple[int, int]:
        return store.add_documents(item.document for item in iter_documents(news) if item.ok)

    assert ingest() == (3, 0)
    assert ingest() == (0, 3)
    assert store.stats()["documents"] == 3


def test_documents_frame_lists_metadata_without_text(store):
    store.add_document(doc("Indonesia signed a pact.", title="Pact"))
    frame = store.documents_frame()
    assert list(frame["title"]) == ["Pact"]
    assert "text" not in frame.columns
    assert list(frame["n_chars"]) == [len("Indonesia signed a pact.")]


# -- coding ------------------------------------------------------------------------


def test_coded_documents_are_no_longer_uncoded_for_that_coder(store):
    a, b = doc("Indonesia signed a pact with China."), doc("Nothing happened today.")
    store.add_documents([a, b])
    store.replace_events(a.id, CODER, [event(a)])
    store.replace_events(b.id, CODER, [])  # coded, even though it held no event
    assert store.uncoded_documents(CODER) == []
    assert store.count_uncoded(CODER) == 0
    assert store.count_uncoded("rules-0.2") == 2  # a new coder version starts afresh


def test_uncoded_documents_come_oldest_first_and_can_be_limited(store):
    late, early = doc("Later.", dt.date(2021, 1, 1)), doc("Earlier.", dt.date(2019, 1, 1))
    store.add_documents([late, early])
    assert store.uncoded_documents(CODER) == [early, late]
    assert store.uncoded_documents(CODER, limit=1) == [early]


def test_recoding_replaces_events_rather_than_adding_to_them(store):
    a = doc("Indonesia signed a pact with China.")
    store.add_document(a)
    store.replace_events(a.id, CODER, [event(a), event(a, cameo="036")])
    store.replace_events(a.id, CODER, [event(a, cameo="042")])
    assert list(store.events_frame()["cameo"]) == ["042"]


def test_recoding_leaves_other_coders_events_alone(store):
    a = doc("Indonesia signed a pact with China.")
    store.add_document(a)
    store.replace_events(a.id, "old", [event(a)])
    store.replace_events(a.id, CODER, [event(a, cameo="042")])
    store.replace_events(a.id, CODER, [])
    assert list(store.events_frame()["coder"]) == ["old"]


def test_a_failure_while_coding_changes_nothing(store):
    a = doc("Indonesia signed a pact with China.")
    store.add_document(a)
    store.replace_events(a.id, CODER, [event(a), event(a, cameo="036")])
    before = store.events_frame()

    broken = event(a, quad=1000)  # does not fit the TINYINT column: fails after the delete
    with pytest.raises(duckdb.Error):
        store.replace_events(a.id, CODER, [event(a, cameo="042"), broken])

    assert store.events_frame().equals(before)
    assert store.stats()["events"] == 2


def test_a_failure_on_first_coding_leaves_the_document_uncoded(store):
    a = doc("Indonesia signed a pact with China.")
    store.add_document(a)
    with pytest.raises(duckdb.Error):
        store.replace_events(a.id, CODER, [event(a, date=EventDate(None))])  # NOT NULL
    assert store.count_uncoded(CODER) == 1
    assert store.stats()["events"] == 0


def test_events_must_belong_to_the_document_they_are_stored_for(store):
    a, b = doc("First article."), doc("Second article.")
    store.add_documents([a, b])
    with pytest.raises(ValueError, match="given for"):
        store.replace_events(a.id, CODER, [event(b)])


def test_stored_event_keeps_every_field(store):
    a = doc("Indonesia signed a pact with China.", url="https://x.org/1", title="Pact")
    store.add_document(a)
    store.replace_events(
        a.id,
        CODER,
        [event(a, date=EventDate(dt.date(2020, 9, 1), "month"), symmetric=True, trigger="signed")],
    )
    (row,) = store.events_frame().to_dict("records")
    assert row["source"] == "IDN" and row["target_country"] == "CHN"
    assert (row["cameo"], row["root"], row["quad"], row["goldstein"]) == ("057", "05", 1, 8.0)
    assert row["event_date"].date() == dt.date(2020, 9, 1)
    assert row["date_precision"] == "month"
    assert row["symmetric"] and not row["reported"]
    assert (row["trigger"], row["coder"], row["dataset"]) == ("signed", CODER, "equipoise")
    assert (row["doc_url"], row["doc_title"]) == ("https://x.org/1", "Pact")
    assert row["published"].date() == dt.date(2020, 9, 2)


# -- reading events ----------------------------------------------------------------


@pytest.fixture
def coded(store):
    """Three events: IDN->CHN in 2020, USA->IDN in 2021, JPN->KOR in 2022."""
    a = doc("Three events.")
    store.add_document(a)
    store.replace_events(
        a.id,
        CODER,
        [
            event(a, "IDN", "CHN", dt.date(2020, 9, 1)),
            event(a, "USA", "IDN", dt.date(2021, 3, 15)),
            event(a, "JPN", "KOR", dt.date(2022, 6, 30)),
        ],
    )
    return store


def dyads(frame) -> list[str]:
    return [f"{s}>{t}" for s, t in zip(frame["source"], frame["target"], strict=True)]


def test_events_frame_filters_by_actor_as_source_or_target(coded):
    assert dyads(coded.events_frame(actors=["IDN"])) == ["IDN>CHN", "USA>IDN"]
    assert dyads(coded.events_frame(actors=["kor"])) == ["JPN>KOR"]
    assert dyads(coded.events_frame(actors=[])) == []


def test_events_frame_filters_by_inclusive_date_range(coded):
    assert dyads(coded.events_frame(start=dt.date(2021, 3, 15))) == ["USA>IDN", "JPN>KOR"]
    assert dyads(coded.events_frame(end=dt.date(2021, 3, 15))) == ["IDN>CHN", "USA>IDN"]
    window = coded.events_frame(
        actors=["IDN"], start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31)
    )
    assert dyads(window) == ["USA>IDN"]


def test_events_frame_filters_by_coder(coded):
    assert len(coded.events_frame(coder=CODER)) == 3
    assert coded.events_frame(coder="other").empty


def test_filter_values_are_bound_not_pasted_into_sql(coded):
    assert coded.events_frame(actors=["IDN' OR 1=1 --"], coder="x' OR '1'='1").empty


def test_stats_summarise_the_store(coded):
    coded.add_document(doc("Not coded yet."))
    assert coded.stats() == {
        "documents": 2,
        "events": 3,
        "coded_documents": 1,
        "first_event": dt.date(2020, 9, 1),
        "last_event": dt.date(2022, 6, 30),
    }
