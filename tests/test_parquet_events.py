"""Analysis over a Parquet event dataset: the same answers as the store holding the same events."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from equipoise import api
from equipoise.errors import BadInputError
from equipoise.records import Document, EventDate
from equipoise.store import Store, StoreError
from equipoise.store.parquet import (
    DOCUMENT_SCHEMA,
    EVENT_SCHEMA,
    ParquetDataset,
    ParquetEvents,
)
from factories import STORE_CODER, record_event

POLES = ["TUR", "RUS", "EU", "USA"]
PARTNERS = ["TUR", "RUS", "DEU", "FRA", "USA", "IRN"]


def _fill(store: Store) -> None:
    """Documents of one to three events between AZE and a partner over three years, with
    the cases the queries treat apart: a sentence of two events, a bloc member, a
    background event, a symmetric event as two rows, and imported GDELT rows."""
    rng = random.Random(7)
    for n in range(60):
        published = dt.date(2019, 1, 1) + dt.timedelta(days=18 * n)
        doc = Document.from_text(f"Report {n} on Azerbaijan's partners.", published=published,
                                 url=f"https://example.org/{n}", title=f"Report {n}")
        store.add_document(doc)
        events = []
        for k in range(rng.randint(1, 3)):
            partner = rng.choice(PARTNERS)
            one, other = ("AZE", partner) if rng.random() < 0.5 else (partner, "AZE")
            day = published - dt.timedelta(days=rng.randint(0, 20))
            # Two events of one sentence (same start): their order is the tie-breakers'.
            events.append(record_event(doc, one, other, day, quad=rng.randint(1, 4),
                                       start=0 if k < 2 else 40, coder=STORE_CODER))
        if n % 10 == 3:  # history recalled: a year-precise date before the document's year
            events.append(record_event(doc, "AZE", "RUS", None, quad=1, start=80,
                                       date=EventDate(dt.date(2011, 1, 1), "year"),
                                       coder=STORE_CODER))
        if n % 10 == 5:  # a symmetric event, stored both ways
            for one, other in (("AZE", "TUR"), ("TUR", "AZE")):
                events.append(record_event(doc, one, other, published, start=120,
                                           symmetric=True, coder=STORE_CODER))
        store.replace_events(doc.id, STORE_CODER, events)
    imported = [
        record_event(Document(id=f"gdelt1:{900 + i}", text="-"), "USA", "AZE",
                     dt.date(2020, 4, 1 + i), quad=3, coder="gdelt1-v1", dataset="gdelt1")
        for i in range(5)
    ]
    store.add_dataset_events(imported, "gdelt1")


def _as_parquet(db: Path, folder: Path) -> Path:
    """The store's events and documents written as a two-partition Parquet dataset."""
    con = duckdb.connect(str(db), read_only=True)
    events = con.execute("SELECT * FROM events ORDER BY doc_id DESC").df()
    docs = con.execute(
        "SELECT d.id, d.ref, d.url, d.title, d.source, d.published, c.coder, c.status, "
        "c.n_events, c.reason FROM documents d JOIN codings c ON c.doc_id = d.id").df()
    con.close()
    dataset = ParquetDataset(folder, STORE_CODER)
    half = len(events) // 2
    for i, part in enumerate((events.iloc[:half], events.iloc[half:])):
        table = pa.Table.from_pandas(part[list(EVENT_SCHEMA.names)], schema=EVENT_SCHEMA,
                                     preserve_index=False)
        documents = docs.iloc[:0] if i else docs
        dataset.write_partition(f"00000{i}-test", table, pa.Table.from_pandas(
            documents, schema=DOCUMENT_SCHEMA, preserve_index=False))
    return folder


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("parquet")
    db = folder / "store.duckdb"
    with Store(db) as store:
        _fill(store)
    return db, _as_parquet(db, folder / "events")


@pytest.mark.parametrize("options", [
    {},
    {"freq": "quarter", "weight": "goldstein", "ci": 0.9, "n_boot": 40},
    {"start": "2019-06-01", "end": "2020-09-30", "direction": "out", "overlap": "exclude"},
    {"freq": "year", "include_background": True},
])  # fmt: skip
def test_align_over_parquet_is_align_over_the_store(both, options):
    db, events = both
    from_store = api.align("AZE", POLES, db=db, **options)
    from_parquet = api.align("AZE", POLES, events=events, **options)
    assert from_store["n_events"].sum() > 40
    pd.testing.assert_frame_equal(from_parquet, from_store)


def test_every_table_of_a_report_is_the_same(both):
    db, events = both
    from_store = api.analyse("AZE", POLES, db=db, freq="quarter", ci=0.9, n_boot=30).tables()
    from_parquet = api.analyse("AZE", POLES, events=events, freq="quarter", ci=0.9,
                               n_boot=30).tables()
    assert from_store.keys() == from_parquet.keys()
    for name, table in from_store.items():
        pd.testing.assert_frame_equal(from_parquet[name], table, obj=name)
    assert from_store["events"]["background"].any()
    assert from_store["events"]["doc_title"].notna().any()
    listed = api.load_events("AZE", POLES, events=events, start="2020-01-01", end="2020-12-31")
    pd.testing.assert_frame_equal(
        listed, api.load_events("AZE", POLES, db=db, start="2020-01-01", end="2020-12-31"))
    assert api.span("AZE", POLES, events=events) == api.span("AZE", POLES, db=db)


def test_the_reader_answers_as_the_store_does(both):
    db, events = both
    with Store(db, read_only=True) as store, ParquetEvents(events) as dataset:
        for options in ({"columns": None, "documents": True},
                        {"members": {"EU": ["DEU", "FRA"]}, "background": False,
                         "start": dt.date(2020, 1, 15), "end": dt.date(2020, 11, 2)}):
            pd.testing.assert_frame_equal(dataset.dyad_frame("AZE", POLES, **options),
                                          store.dyad_frame("AZE", POLES, **options))
        assert dataset.actor_counts() == store.actor_counts()
        assert dataset.actor_counts("AZE", 3) == store.actor_counts("AZE", 3)
        assert dataset.has_actor("DEU") and not dataset.has_actor("CHN")
        assert dataset.stats() == store.stats()


def test_a_window_reads_only_the_files_of_its_months(both, tmp_path):
    import shutil

    _db, events = both
    copy = Path(shutil.copytree(events, tmp_path / "events"))
    broken = copy / "month=2016-03" / "part-broken.parquet"
    broken.parent.mkdir()
    broken.write_bytes(b"not parquet")
    window = {"start": "2019-01-01", "end": "2021-12-31"}
    pd.testing.assert_frame_equal(api.align("AZE", POLES, events=copy, **window),
                                  api.align("AZE", POLES, events=events, **window))
    with pytest.raises(duckdb.Error, match="part-broken"):
        api.align("AZE", POLES, events=copy)


def test_a_dataset_on_an_fsspec_file_system(both):
    import fsspec

    db, events = both
    memory = fsspec.filesystem("memory")
    for path in events.rglob("*.parquet"):
        memory.pipe(f"memory://equipoise-test/{path.relative_to(events).as_posix()}",
                    path.read_bytes())
    try:
        pd.testing.assert_frame_equal(
            api.align("AZE", POLES, events="memory://equipoise-test", freq="quarter"),
            api.align("AZE", POLES, db=db, freq="quarter"))
    finally:
        memory.rm("memory://equipoise-test", recursive=True)


def test_what_is_not_a_dataset_is_refused(both, tmp_path):
    db, events = both
    with pytest.raises(StoreError, match="no such folder"):
        ParquetEvents(tmp_path / "missing")
    with pytest.raises(StoreError, match="no Parquet events"):
        ParquetEvents(tmp_path)
    with pytest.raises(BadInputError, match="not both"):
        api.align("AZE", POLES, db=db, events=events)
    with pytest.raises(StoreError, match="no file system for nosuch://"):
        ParquetEvents("nosuch://bucket/events")
    pd.testing.assert_frame_equal(api.align("AZE", POLES, events=f"file://{events}"),
                                  api.align("AZE", POLES, db=db))


def test_the_command_line_and_the_dashboard_read_a_dataset(both, tmp_path):
    import warnings

    from typer.testing import CliRunner

    from equipoise.outputs.cli import app
    from equipoise.outputs.server import create_app

    db, events = both
    runner = CliRunner()
    ask = ["align", "--focal", "AZE", "--poles", ",".join(POLES), "--format", "csv"]
    from_store = runner.invoke(app, [*ask, "--db", str(db)])
    from_parquet = runner.invoke(app, [*ask, "--events", str(events)])
    assert from_parquet.exit_code == 0, from_parquet.output
    assert from_parquet.stdout == from_store.stdout
    missing = runner.invoke(app, [*ask, "--events", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no Parquet event dataset" in missing.output
    report = runner.invoke(app, ["report", "--focal", "AZE", "--poles", "TUR,RUS", "--events",
                                 str(events), "-o", str(tmp_path / "r.html"), "--n-boot", "20"])
    assert report.exit_code == 0, report.output
    assert "Report 1" in (tmp_path / "r.html").read_text(encoding="utf-8")

    with warnings.catch_warnings():  # starlette's note about its httpx transport
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    query = "/api/align?focal=AZE&poles=TUR,RUS,EU&freq=quarter"
    local = "http://127.0.0.1"
    with TestClient(create_app(None, events=str(events)), base_url=local) as dataset, \
            TestClient(create_app(db), base_url=local) as store:
        assert dataset.get(query).status_code == 200
        assert dataset.get(query).json() == store.get(query).json()
        actors = dataset.get("/api/actors?focal=AZE").json()
        assert actors["store"]["file"] == "events"
        assert actors["partners"] == store.get("/api/actors?focal=AZE").json()["partners"]
