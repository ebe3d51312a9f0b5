"""Coding in partitions: on a local Dask cluster, in this process, into Parquet and the store.

The documents are a few dozen short generated ones, so a run takes seconds; the cluster has
two worker processes on 127.0.0.1 and is shared by the tests of this module.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from pathlib import Path

import pandas as pd
import pytest

from equipoise import distributed
from equipoise.coding.coder import coder_version
from equipoise.coding.model import PairModel
from equipoise.records import Document
from equipoise.store import Store
from equipoise.store.parquet import ParquetDataset, ParquetEvents

dask = pytest.importorskip("dask")
pytest.importorskip("distributed")

PLACES = [("Turkey", "Ankara"), ("Russia", "Moscow"), ("Iran", "Tehran"),
          ("Azerbaijan", "Baku"), ("Georgia", "Tbilisi"), ("France", "Paris")]  # fmt: skip
DEEDS = ["signed a trade agreement with", "condemned", "met officials of", "accused",
         "promised aid to", "threatened"]  # fmt: skip
SPEC = distributed.CoderSpec(model=PairModel.default())
VERSION = coder_version(SPEC.model)


def generated(n: int = 36) -> list[Document]:
    """``n`` short documents, each naming two states that deal with each other twice."""
    docs = []
    for i in range(n):
        one, other = PLACES[i % 6][0], PLACES[(i * 5 + 1) % 6][0]
        if one == other:
            other = PLACES[(i + 2) % 6][0]
        day = dt.date(2020, 1, 1) + dt.timedelta(days=11 * i)
        text = (f"{one} {DEEDS[(i // 2) % 6]} {other} on {day:%B} {day.day}. Officials in "
                f"{PLACES[(i + 2) % 6][1]} said {other} {DEEDS[(i + 3) % 6]} {one} a week "
                "earlier.")
        docs.append(Document.from_text(text, published=day, ref=f"gen-{i}", title=f"Item {i}"))
    return docs


def rows(path: Path) -> pd.DataFrame:
    """Every event of a dataset, in one order whatever the order of its files."""
    with ParquetEvents(path) as events:
        frame = events.frame("SELECT * EXCLUDE (month) FROM events")
    keys = ["doc_id", "sent_start", "source", "target", "cameo", "trigger"]
    return frame.sort_values(keys).reset_index(drop=True)


def documents(path: Path) -> pd.DataFrame:
    with ParquetEvents(path) as events:
        return events.frame("SELECT * FROM documents ORDER BY id")


@pytest.fixture(scope="module")
def cluster():
    on_dask = distributed.OnDask(workers=2)
    yield on_dask
    on_dask.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The documents coded in this process, one partition after the other."""
    path = tmp_path_factory.mktemp("reference")
    summary = distributed.run(generated(), SPEC, distributed.InProcess(),
                              dataset=ParquetDataset(path, VERSION), size=3)
    assert summary.partitions == 12 and summary.events > 36
    return path


def test_a_dataset_is_partitioned_by_month_with_the_store_columns(reference):
    from equipoise.store.db import ALL_EVENT_COLUMNS

    months = sorted(p.name for p in reference.iterdir() if p.name.startswith("month="))
    assert months[0] == "month=2020-01" and len(months) >= 12
    assert all(p.name.startswith("part-") for p in reference.glob("month=*/*"))
    table = rows(reference)
    assert tuple(table.columns) == ALL_EVENT_COLUMNS
    assert set(table["coder"]) == {VERSION}
    assert len(documents(reference)) == 36
    with ParquetEvents(reference) as events:
        stats = events.stats()
    assert stats["coded_documents"] == 36 and stats["events"] == len(table)


def test_two_workers_give_the_events_of_one_process(cluster, reference, tmp_path):
    summary = distributed.run(generated(), SPEC, cluster,
                              dataset=ParquetDataset(tmp_path, VERSION), size=3)
    assert summary.partitions == 12 and not summary.failures
    pd.testing.assert_frame_equal(rows(tmp_path), rows(reference))
    pd.testing.assert_frame_equal(documents(tmp_path), documents(reference))


def test_workers_keep_their_coder_out_of_the_garbage_collectors_sight(cluster, tmp_path):
    """A worker's coder lives as long as the worker: once built, it is frozen out of the
    collections; the driving process, which may be anyone's, is left as it was."""
    import gc

    distributed.run(generated(6), SPEC, cluster,
                    dataset=ParquetDataset(tmp_path, VERSION), size=3)
    frozen = cluster.client.run(gc.get_freeze_count)
    assert frozen and all(count > 0 for count in frozen.values())
    assert gc.get_freeze_count() == 0


def test_local_workers_keep_mallocs_own_trimming(cluster):
    """Dask asks workers' malloc to give back every freed 64 KB at once; a local cluster
    for coding starts its workers without that, and with one thread each."""
    import os

    environ = cluster.client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert len(environ) == 2 and set(environ.values()) == {None}
    assert list(cluster.client.nthreads().values()) == [1, 1]


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, reference, tmp_path):
    client = cluster.client
    killed: list[int] = []
    pids_before = set(client.run(os.getpid).values())
    names: list[str] = []

    def kill_a_busy_worker(result) -> None:
        names.append(result.name)
        if killed:
            return
        # A worker in the middle of a partition: its partition must be coded again elsewhere.
        for address, keys in client.processing().items():
            if keys:
                pid = client.run(os.getpid, workers=[address])[address]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return

    summary = distributed.run(generated(), SPEC, cluster, dataset=ParquetDataset(tmp_path, VERSION),
                              size=3, on_result=kill_a_busy_worker)
    assert killed and killed[0] in pids_before
    assert killed[0] not in set(client.run(os.getpid).values())  # the nanny started another
    assert summary.partitions == 12 and len(set(names)) == 12
    pd.testing.assert_frame_equal(rows(tmp_path), rows(reference))
    pd.testing.assert_frame_equal(documents(tmp_path), documents(reference))


def test_a_rerun_codes_only_the_partitions_not_finished(reference, tmp_path):
    dataset = ParquetDataset(tmp_path, VERSION)
    distributed.run(generated(), SPEC, distributed.InProcess(), dataset=dataset, size=3)
    records = sorted((tmp_path / "_partitions").glob("*.json"))
    # A run that stopped while writing a partition: some of its files there, no record,
    # and a file of a month its next coding does not give.
    unfinished = records[4]
    name = unfinished.stem
    unfinished.unlink()
    stray = tmp_path / "month=1999-01" / f"part-{name}.parquet"
    stray.parent.mkdir()
    next(tmp_path.glob(f"month=*/part-{name}.parquet")).rename(stray)
    (tmp_path / "month=2020-01" / f".part-{name}.parquet.0.tmp").write_bytes(b"half")
    coded: list[str] = []
    summary = distributed.run(generated(), SPEC, distributed.InProcess(), dataset=dataset,
                              size=3, on_result=lambda result: coded.append(result.name))
    assert coded == [name] and summary.skipped == 11
    assert not stray.exists()
    pd.testing.assert_frame_equal(rows(tmp_path), rows(reference))


def test_a_partition_written_again_replaces_its_files(reference, tmp_path):
    dataset = ParquetDataset(tmp_path, VERSION)
    part = next(distributed.partitions(generated(), 3))
    result = distributed.code_partition(SPEC, part)
    for _ in range(2):  # the partition of a worker thought dead, then of its replacement
        dataset.write_partition(result.name, result.events, result.documents)
    assert len(rows(tmp_path)) == result.events.num_rows
    assert [r.name for r in dataset.records()] == [part.name]


def test_a_write_that_fails_leaves_the_partition_unfinished(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from equipoise.store import parquet

    dataset = ParquetDataset(tmp_path, VERSION)
    part = next(distributed.partitions(generated(), 3))
    result = distributed.code_partition(SPEC, part)
    written = []

    def failing(table, where, **options):
        if written:
            raise OSError("disk full")
        written.append(where)
        pq.write_table(table, where, **options)

    monkeypatch.setattr(parquet.pq, "write_table", failing)
    with pytest.raises(OSError):
        dataset.write_partition(result.name, result.events, result.documents)
    assert dataset.finished() == set()
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_dataset_keeps_the_events_of_one_coder_in_partitions_of_one_size(tmp_path):
    from equipoise.store import StoreError

    ParquetDataset(tmp_path, VERSION, 3)
    ParquetDataset(tmp_path, VERSION, 3)
    with pytest.raises(StoreError, match="another folder"):
        ParquetDataset(tmp_path, "another-coder", 3)
    with pytest.raises(StoreError, match="partitions of 3 documents, not 4"):
        ParquetDataset(tmp_path, VERSION, 4)


def test_a_run_on_changed_input_leaves_nothing_of_an_unfinished_partition(reference, tmp_path):
    docs = generated()
    dataset = ParquetDataset(tmp_path, VERSION, 3)
    distributed.run(docs[:9], SPEC, distributed.InProcess(), dataset=dataset, size=3)
    # The third partition was being written when the run stopped; the input then changed,
    # so that partition is never coded again under its name.
    unfinished = sorted((tmp_path / "_partitions").glob("*.json"))[2]
    unfinished.unlink()
    distributed.run(docs[:6] + docs[9:], SPEC, distributed.InProcess(), dataset=dataset,
                    size=3)
    assert not list(tmp_path.rglob(f"part-{unfinished.stem}.parquet"))
    expected = rows(reference)
    dropped = {d.id for d in docs[6:9]}
    expected = expected[~expected["doc_id"].isin(dropped)].reset_index(drop=True)
    pd.testing.assert_frame_equal(rows(tmp_path), expected)


def test_partitions_are_named_by_their_documents_and_stream():
    docs = generated(7)
    first = [p.name for p in distributed.partitions(docs, 3)]
    assert first == [p.name for p in distributed.partitions(iter(docs + docs[:2]), 3)]
    assert len(first) == 3 and first[0].startswith("000000-")

    def endless():
        i = 0
        while True:
            yield Document.from_text(f"Text {i}.", published=dt.date(2020, 1, 1))
            i += 1

    parts = distributed.partitions(endless(), 5)
    assert [len(next(parts).documents) for _ in range(3)] == [5, 5, 5]


def test_the_store_gets_the_same_events_as_the_dataset(tmp_path):
    db = tmp_path / "store.duckdb"
    with Store(db) as store:
        distributed.run(generated(12), SPEC, distributed.InProcess(), store=store,
                        dataset=ParquetDataset(tmp_path / "events", VERSION), size=5,
                        add_documents=True)
        assert store.stats()["coded_documents"] == 12
        assert store.count_uncoded(VERSION) == 0
        stored = store.events_frame()
    parquet = rows(tmp_path / "events")
    assert len(stored) == len(parquet)
    key = ["doc_id", "sent_start", "source", "target", "cameo", "trigger"]
    columns = ["doc_id", "sent_start", "sent_end", "source", "target", "cameo", "quad",
               "goldstein", "event_date", "coder"]
    pd.testing.assert_frame_equal(
        stored.sort_values(key)[columns].reset_index(drop=True),
        parquet.sort_values(key)[columns].reset_index(drop=True), check_dtype=False)


# --------------------------------------------------------------------------- command line


def _jsonl(path: Path, docs: list[Document]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps({"id": doc.ref, "date": doc.published.isoformat(),
                                "title": doc.title, "text": doc.text}) + "\n")
    return path


def test_code_parquet_and_db_then_align_reads_either_the_same(tmp_path):
    from typer.testing import CliRunner

    from equipoise.outputs.cli import app

    docs = _jsonl(tmp_path / "docs.jsonl", generated())
    db, events = tmp_path / "store.duckdb", tmp_path / "events"
    runner = CliRunner()
    coded = runner.invoke(app, ["code", str(docs), "--parquet", str(events), "--db", str(db),
                                "--partition-size", "8"])
    assert coded.exit_code == 0, coded.output
    assert "36 documents coded" in " ".join(coded.output.split())
    ask = ["align", "--focal", "TUR", "--poles", "RUS,IRN,FRA", "--freq", "quarter",
           "--format", "json", "--ci", "--n-boot", "50", "--changepoints"]
    from_store = runner.invoke(app, [*ask, "--db", str(db)])
    from_parquet = runner.invoke(app, [*ask, "--events", str(events)])
    assert from_store.exit_code == 0, from_store.output
    assert from_parquet.exit_code == 0, from_parquet.output
    answer = json.loads(from_store.stdout)
    assert sum(row["n_events"] for row in answer["records"]) > 10
    assert answer["changepoints"] is not None
    assert from_parquet.stdout == from_store.stdout
    again = runner.invoke(app, ["code", str(docs), "--parquet", str(events), "--db", str(db),
                                "--partition-size", "8"])
    assert again.exit_code == 0
    assert "0 partitions coded, 5 already finished" in " ".join(again.output.split())


def test_code_reads_documents_from_parquet(tmp_path, reference):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from equipoise.outputs.cli import app

    docs = generated()
    pq.write_table(pa.table({"id": [d.ref for d in docs], "date": [d.published for d in docs],
                             "title": [d.title for d in docs], "text": [d.text for d in docs]}),
                   tmp_path / "docs.parquet")
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["code", str(tmp_path / "docs.parquet"), "--parquet",
                                      str(tmp_path / "events"), "--partition-size", "3"])
    assert result.exit_code == 0, result.output
    ours = rows(tmp_path / "events")
    pd.testing.assert_frame_equal(ours, rows(reference))


@pytest.mark.parametrize("args, message", [
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
    (["--workers", "2", "--output", "x.jsonl"], "not --output"),
    (["--workers", "2", "--retry-failed"], "--retry-failed"),
    (["--workers", "2"], "--parquet"),
])  # fmt: skip
def test_code_refuses_options_that_do_not_go_together(tmp_path, args, message):
    from typer.testing import CliRunner

    from equipoise.outputs.cli import app

    docs = _jsonl(tmp_path / "docs.jsonl", generated(2))
    result = CliRunner().invoke(app, ["code", str(docs), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_no_scheduler_at_the_address_is_one_line(tmp_path):
    from typer.testing import CliRunner

    from equipoise.outputs.cli import app

    docs = _jsonl(tmp_path / "docs.jsonl", generated(2))
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(app, ["code", str(docs), "--parquet", str(tmp_path / "ev"),
                                          "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert "no Dask scheduler at tcp://127.0.0.1:9" in " ".join(result.output.split())


def test_a_worker_with_another_coder_stops_the_run(tmp_path, monkeypatch):
    from dataclasses import replace

    coded = distributed.code_partition

    def elsewhere(spec, part, store_rows=False):
        return replace(coded(spec, part, store_rows), version="equipoise-rules-0.1")

    monkeypatch.setattr(distributed, "code_partition", elsewhere)
    dataset = ParquetDataset(tmp_path, VERSION, 3)
    with pytest.raises(distributed.ClusterError, match="install the same equipoise"):
        distributed.run(generated(3), SPEC, distributed.InProcess(), dataset=dataset, size=3)
    assert dataset.finished() == set()
