"""A document the coder fails on: recorded with its reason, the run goes on, and
`equipoise code --retry-failed` tries it again. Stores from before keep their codings."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from typer.testing import CliRunner

from equipoise.coding.extract import SentenceExtractor
from equipoise.outputs.cli import app
from equipoise.records import Document
from equipoise.store import SCHEMA_VERSION, Store
from factories import record_event

CODER = "rules-test"
PUBLISHED = dt.date(2021, 5, 4)
TEXTS = {
    "good-1": "Turkey signed a trade agreement with Azerbaijan on Monday.",
    "bad": "Russia condemned Armenia over the border incident.",
    "good-2": "Iran praised Azerbaijan for its help during the floods.",
}


def documents() -> list[Document]:
    return [Document.from_text(text, published=PUBLISHED, ref=ref) for ref, text in TEXTS.items()]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def faulty(monkeypatch):
    """The coder raises on any sentence that names Armenia, and only there."""
    extract = SentenceExtractor.extract

    def extract_or_fail(self, parsed, mentions, context):
        if "Armenia" in parsed.text:
            raise RuntimeError("injected fault")
        return extract(self, parsed, mentions, context)

    monkeypatch.setattr(SentenceExtractor, "extract", extract_or_fail)
    return monkeypatch


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        store.add_documents(documents())
    return str(path)


def codings(db: str) -> dict[str, tuple]:
    with duckdb.connect(db, read_only=True) as con:
        rows = con.execute(
            "SELECT d.ref, c.status, c.reason, c.n_events, "
            "(SELECT count(*) FROM events e WHERE e.doc_id = d.id) "
            "FROM codings c JOIN documents d ON d.id = c.doc_id").fetchall()
    return {ref: tuple(rest) for ref, *rest in rows}


# -- the store ------------------------------------------------------------------------------


def test_a_failure_is_recorded_and_that_document_is_no_longer_uncoded(tmp_path):
    good, bad, _ = documents()
    with Store(tmp_path / "s.duckdb") as store:
        store.add_documents([good, bad])
        store.record_failure(bad.id, CODER, "RuntimeError: injected fault")
        assert store.uncoded_documents(CODER) == [good]
        assert store.failed_documents(CODER) == [bad]
        assert store.count_failed(CODER) == 1
        assert store.stats()["failed_documents"] == 1
        assert store.stats()["coded_documents"] == 0
        store.replace_events(bad.id, CODER, [])
        assert store.failed_documents(CODER) == []
        assert store.stats()["coded_documents"] == 1


def test_failed_documents_are_read_page_by_page_past_an_id(tmp_path):
    docs = documents()
    with Store(tmp_path / "s.duckdb") as store:
        store.add_documents(docs)
        for d in docs:
            store.record_failure(d.id, CODER, "x")
        first = store.failed_documents(CODER, limit=2)
        rest = store.failed_documents(CODER, limit=2, after=first[-1].id)
    assert len(first) == 2 and len(rest) == 1
    assert sorted(d.id for d in first + rest) == sorted(d.id for d in docs)


def test_a_version_2_store_gets_status_and_reason_and_keeps_its_codings(tmp_path):
    path = tmp_path / "old.duckdb"
    good, _, _ = documents()
    with Store(path) as store:
        store.add_document(good)
        store.replace_events(good.id, CODER, [])
    with duckdb.connect(str(path)) as con:  # make it look like a version-2 store
        con.execute("ALTER TABLE codings DROP COLUMN status")
        con.execute("ALTER TABLE codings DROP COLUMN reason")
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with Store(path) as store:
        assert store.uncoded_documents(CODER) == []
        assert store.stats()["coded_documents"] == 1
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT value FROM meta").fetchone() == (SCHEMA_VERSION,)
        assert con.execute("SELECT status, reason FROM codings").fetchall() == [("ok", None)]


# -- equipoise code --db ----------------------------------------------------------------------


def test_a_failing_document_is_recorded_and_the_others_are_stored(db, faulty):
    result = run("code", "--db", db)
    assert result.exit_code == 1, result.output
    bad = documents()[1]
    assert "2 documents coded" in result.output and "1 failed" in result.output
    assert f"bad ({bad.id}): RuntimeError: injected fault" in result.output
    found = codings(db)
    assert found["bad"] == ("failed", "RuntimeError: injected fault", 0, 0)
    assert found["good-1"][:2] == ("ok", None) and found["good-1"][3] > 0
    assert found["good-2"][:2] == ("ok", None) and found["good-2"][3] > 0


def test_a_plain_rerun_leaves_failed_documents_alone(db, faulty):
    run("code", "--db", db)
    before = codings(db)
    result = run("code", "--db", db)
    assert result.exit_code == 0, result.output
    assert "0 documents coded" in result.output
    assert "1 documents this coder failed on before were left alone" in result.output
    assert codings(db) == before


def test_retry_failed_codes_the_failed_document_once_the_fault_is_gone(db, faulty):
    run("code", "--db", db)
    result = run("code", "--db", db, "--retry-failed")  # the fault is still there
    assert result.exit_code == 1 and "1 failed" in result.output
    faulty.undo()
    before = codings(db)
    result = run("code", "--db", db, "--retry-failed")
    assert result.exit_code == 0, result.output
    assert "1 documents coded" in result.output and "0 failed" in result.output
    after = codings(db)
    assert after["bad"][:2] == ("ok", None) and after["bad"][3] > 0
    assert {k: v for k, v in after.items() if k != "bad"} == {
        k: v for k, v in before.items() if k != "bad"}
    assert "0 documents coded" in run("code", "--db", db, "--retry-failed").output


def test_a_time_budget_must_be_positive(db):
    result = run("code", "--db", db, "--time-budget", "0")
    assert result.exit_code == 2
    assert "--time-budget" in result.output


# -- equipoise code DOCS.jsonl --output EVENTS.jsonl ------------------------------------------


def test_standalone_coding_skips_a_failing_document_and_writes_the_others(tmp_path, faulty):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(
        json.dumps({"id": ref, "date": PUBLISHED.isoformat(), "text": text}) + "\n"
        for ref, text in TEXTS.items()), encoding="utf-8")
    output = tmp_path / "out" / "events.jsonl"
    result = run("code", str(docs), "--output", str(output))
    assert result.exit_code == 1, result.output
    assert "bad" in result.output and "RuntimeError: injected fault" in result.output
    events = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert {e["doc"] for e in events} == {"good-1", "good-2"}
    assert [p.name for p in output.parent.iterdir()] == ["events.jsonl"]  # no temporary file



def test_a_new_coder_version_failing_leaves_the_last_good_coding_counted(tmp_path):
    good, _, _ = documents()
    event = record_event(good, "TUR", "AZE", PUBLISHED)
    with Store(tmp_path / "s.duckdb") as store:
        store.add_document(good)
        store.replace_events(good.id, "rules-1", [event])
        store.record_failure(good.id, "rules-2", "time budget exceeded")
        assert list(store.events_frame()["coder"]) == ["rules-1"]
        assert store.stats()["failed_documents"] == 0  # one version coded it
