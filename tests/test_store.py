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
from equipoise.store.db import DYAD_COLUMNS
from factories import record_event

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
    """A signed agreement over the whole of ``document``; ``changes`` replaces fields as
    they are (``start`` moves the start only)."""
    return dataclasses.replace(record_event(document, source, target, day, cameo=cameo), **changes)


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
    assert list(store.events_frame(coder="old")["coder"]) == ["old"]
    assert store.events_frame().empty  # reads count the latest coding: here, no event


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
        "failed_documents": 0,
        "first_event": dt.date(2020, 9, 1),
        "last_event": dt.date(2022, 6, 30),
    }


# -- reading the events of one focal state and its poles ------------------------------


@pytest.fixture
def dyadic(store):
    """Events between AZE, its poles TUR and EU (through member DEU) and others."""
    a = doc("Many events.", title="Many", url="https://x.org/many")
    store.add_document(a)
    store.replace_events(
        a.id,
        CODER,
        [
            event(a, "AZE", "TUR", dt.date(2020, 1, 5), start=0),
            event(a, "TUR", "AZE", dt.date(2020, 2, 5), start=1),
            event(a, "AZE", "ARM", dt.date(2020, 3, 5), start=2),  # focal, no pole
            event(a, "TUR", "RUS", dt.date(2020, 4, 5), start=3),  # pole, no focal
            event(a, "TUR", "EU", dt.date(2020, 5, 5), start=4),  # two poles
            dataclasses.replace(
                event(a, "EU", "AZE", dt.date(2020, 6, 5), start=5), source=Actor("EU", "IGO")
            ),
            event(a, "AZE", "DEU", dt.date(2021, 7, 5), start=6),  # DEU is in the EU
            # Coded as a unit of the state: the code is not the country, the country is.
            dataclasses.replace(
                event(a, "AZE", "TUR", dt.date(2021, 8, 5), start=7),
                source=Actor("AZEMIL", "MIL", country="AZE"),
            ),
        ],
    )  # fmt: skip
    return store


def starts(frame) -> list[int]:
    return [int(s) for s in frame["sent_start"]]


def test_dyad_frame_keeps_events_between_focal_and_a_pole_in_either_direction(dyadic):
    assert starts(dyadic.dyad_frame("AZE", ["TUR", "EU"])) == [0, 1, 5, 7]
    assert starts(dyadic.dyad_frame(" aze ", ["tur"])) == [0, 1, 7]
    assert starts(dyadic.dyad_frame("AZE", "TUR")) == [0, 1, 7]  # one pole as a string
    assert dyadic.dyad_frame("AZE", []).empty
    assert dyadic.dyad_frame("AZE", ["CHN"]).empty


def test_dyad_frame_takes_the_members_given_for_a_bloc(dyadic):
    with_members = dyadic.dyad_frame("AZE", ["EU"], members={"eu": ["DEU", "FRA"]})
    assert starts(with_members) == [5, 6]
    # Members of a focal bloc count on the focal side in the same way.
    assert starts(dyadic.dyad_frame("EU", ["TUR"], members={"EU": ["DEU"]})) == [4]
    assert starts(dyadic.dyad_frame("DEU", ["AZE"], members={"DEU": ["EU"]})) == [5, 6]


def test_dyad_frame_reads_the_analysis_columns_unless_told_otherwise(dyadic):
    lean = dyadic.dyad_frame("AZE", ["TUR"])
    assert tuple(lean.columns) == DYAD_COLUMNS
    assert "sentence" not in lean.columns
    full = dyadic.dyad_frame("AZE", ["TUR"], columns=None, documents=True)
    assert list(full.columns) == [*dyadic.events_frame().columns]
    assert set(full["doc_title"]) == {"Many"}
    picked = dyadic.dyad_frame("AZE", ["TUR"], columns=["quad", "source", "quad"])
    assert list(picked.columns) == ["quad", "source"]
    with pytest.raises(ValueError, match="not an events column"):
        dyadic.dyad_frame("AZE", ["TUR"], columns=["source; DROP TABLE events"])
    with pytest.raises(ValueError, match="at least one"):
        dyadic.dyad_frame("AZE", ["TUR"], columns=[])


def test_dyad_frame_filters_by_date_and_coder_with_bound_values(dyadic):
    window = dyadic.dyad_frame(
        "AZE", ["TUR", "EU"], start=dt.date(2020, 2, 5), end=dt.date(2020, 6, 5)
    )
    assert starts(window) == [1, 5]
    assert len(dyadic.dyad_frame("AZE", ["TUR"], coder=CODER)) == 3
    assert dyadic.dyad_frame("AZE", ["TUR"], coder="other").empty
    assert dyadic.dyad_frame("AZE' OR 1=1 --", ["TUR' OR '1'='1"]).empty


def test_dyad_frame_holds_every_dyad_event_of_the_whole_store(store):
    """What alignment finds in the dyad frame is what it finds in the whole store."""
    import numpy as np

    from equipoise.analysis import dyad_events

    rng = np.random.default_rng(3)
    codes = ["AZE", "TUR", "RUS", "IRN", "ARM", "GEO", "DEU", "EU"]
    a = doc("Random events.")
    store.add_document(a)
    made = []
    for i in range(300):
        source, target = rng.choice(codes, size=2, replace=False)
        made.append(
            event(a, str(source), str(target), dt.date(2019, 1, 1) + dt.timedelta(int(i)),
                  start=i, symmetric=bool(rng.random() < 0.2))
        )  # fmt: skip
    store.replace_events(a.id, CODER, made)
    poles = ["TUR", "RUS", "EU"]
    members = {"EU": ["DEU", "FRA"]}
    whole = dyad_events(store.events_frame(), "AZE", poles)
    lean = dyad_events(store.dyad_frame("AZE", poles, members=members), "AZE", poles)
    key = ["sent_start", "pole", "direction"]
    assert len(lean) == len(whole) > 0
    assert lean[key].values.tolist() == whole[key].values.tolist()


def test_dyad_frame_leaves_out_only_year_precise_events_before_their_documents_year(store):
    """Background is judged per event: by its precision, its date and its own document."""
    old, new = doc("Looking back.", dt.date(2020, 3, 1)), doc("This year.", dt.date(2019, 6, 1))
    for document in (old, new):
        store.add_document(document)

    def on(document, start, day, precision):
        return dataclasses.replace(event(document, "AZE", "TUR", start=start),
                                   date=EventDate(day, precision))

    store.replace_events(old.id, CODER, [
        on(old, 0, dt.date(2019, 1, 1), "year"),  # a year before its document: background
        on(old, 1, dt.date(2020, 1, 1), "year"),  # its document's own year
        on(old, 2, dt.date(2019, 12, 30), "day"),  # a day before the year, precisely dated
    ])  # fmt: skip
    # The same date and precision in a document of that year is news.
    store.replace_events(new.id, CODER, [on(new, 3, dt.date(2019, 1, 1), "year")])
    kept = store.dyad_frame("AZE", ["TUR"], background=False)
    assert sorted(starts(kept)) == [1, 2, 3]
    assert sorted(starts(store.dyad_frame("AZE", ["TUR"]))) == [0, 1, 2, 3]
    window = store.dyad_frame("AZE", ["TUR"], background=False, start=dt.date(2019, 1, 1),
                              end=dt.date(2019, 12, 31))
    assert sorted(starts(window)) == [2, 3]
    # What the test reads is not returned unless asked for.
    narrow = store.dyad_frame("AZE", ["TUR"], columns=["sent_start"], background=False)
    assert list(narrow.columns) == ["sent_start"]
    assert sorted(narrow["sent_start"]) == [1, 2, 3]


def test_dyad_frame_keeps_the_order_of_what_is_left_around_background_events(store):
    """Rows dropped as background leave the others whole and in order."""
    old = doc("A long look back.", dt.date(2021, 6, 1))
    store.add_document(old)
    rows = [
        dataclasses.replace(event(old, "AZE", "TUR", start=i),
                            date=EventDate(dt.date(2019 + i % 3, 1, 1), "year"))
        for i in range(12)
    ]  # fmt: skip
    store.replace_events(old.id, CODER, rows)
    everything = store.dyad_frame("AZE", ["TUR"])
    kept = store.dyad_frame("AZE", ["TUR"], background=False)
    # 2019 and 2020 are before the document's year; 2021 is its own.
    assert sorted(starts(kept)) == [2, 5, 8, 11]
    expected = everything[everything["event_date"].dt.year == 2021].reset_index(drop=True)
    import pandas as pd

    pd.testing.assert_frame_equal(kept, expected)


def test_query_frames_have_the_dtypes_duckdb_gives(dyadic):
    """Rows come through Arrow, with the dtypes of DuckDB's own DataFrames: dates as
    datetimes, nullable integers and booleans where a value is missing, text without a
    value as objects."""
    import pandas as pd

    from equipoise.store import db

    sql = ("SELECT doc_id, sent_start, event_date, \"symmetric\", num_mentions, is_root, "
           "source_url, quad FROM events ORDER BY doc_id, sent_start, source, target")
    got = db._frame(dyadic._con, sql, [])
    expected = dyadic._con.execute(sql).df()
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    for column in ("event_date", "sent_start", "quad"):
        assert got[column].dtype == expected[column].dtype
    assert got["num_mentions"].dtype == "Int32" and got["is_root"].dtype == "boolean"
    assert got["source_url"].dtype == object and got["source_url"].isna().all()


def test_api_reads_only_the_dyads_and_aligns_as_over_the_whole_store(dyadic, db_path):
    import pandas as pd

    from equipoise import api
    from equipoise.analysis import align as align_events
    from equipoise.analysis import dyad_events

    whole = dyadic.events_frame()
    dyadic.close()
    poles = ["TUR", "EU"]
    # With salience each pole's volume is read from the whole store, as the analysis
    # counts it over the whole frame.
    got = api.align("AZE", poles, db=db_path, freq="year", salience=True)
    expected = align_events(whole, "AZE", poles, freq="year")
    pd.testing.assert_frame_equal(got, expected)
    events = api.load_events("AZE", poles, db=db_path)
    assert starts(events) == starts(dyad_events(whole, "AZE", poles)) == [0, 1, 5, 6, 7]
    assert "sentence" in events.columns and "doc_url" in events.columns


def test_a_version_1_store_is_upgraded_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.duckdb"
    Store(path).close()
    with duckdb.connect(str(path)) as con:  # make it look like a version-1 store
        con.execute("ALTER TABLE events DROP COLUMN source_text")
        con.execute("ALTER TABLE events DROP COLUMN target_text")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="open it once for writing"):
        Store(path, read_only=True)
    Store(path).close()
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT value FROM meta").fetchone() == (SCHEMA_VERSION,)
        columns = {r[0] for r in con.execute("DESCRIBE events").fetchall()}
    assert {"source_text", "target_text"} <= columns


def test_a_document_recoded_by_a_new_coder_version_counts_once(store):
    text = doc("Turkey praised Azerbaijan.")
    store.add_document(text)
    first = event(text, "TUR", "AZE")
    store.replace_events(text.id, "rules-1", [first, event(text, "TUR", "AZE", cameo="042")])
    store.replace_events(text.id, "rules-2", [first])
    assert len(store.events_frame()) == 1  # the last coding only
    assert set(store.events_frame(coder="rules-1")["cameo"]) == {"057", "042"}
    assert len(store.dyad_frame("TUR", ["AZE"])) == 1


# -- actor counts ----------------------------------------------------------------------


def test_actor_counts_rank_codes_and_a_focal_actors_partners(tmp_path):
    from factories import write_store

    rows = [[("AZE", "TUR", 1, dt.date(2020, 1, 5)), ("TUR", "AZE", 2, dt.date(2020, 2, 5)),
             ("AZE", "RUS", 3, dt.date(2020, 3, 5)), ("RUS", "IRN", 4, dt.date(2020, 4, 5))]]
    with Store(write_store(tmp_path / "counts.duckdb", rows), read_only=True) as store:
        assert store.actor_counts() == [("AZE", 3), ("RUS", 2), ("TUR", 2), ("IRN", 1)]
        assert store.actor_counts(partners_of="aze") == [("TUR", 2), ("RUS", 1)]
        assert store.actor_counts(partners_of="AZE", limit=1) == [("TUR", 2)]
        assert store.actor_counts(partners_of="GEO") == []
