"""End to end through the command line: text files in, an alignment table and a report out."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import equipoise
from equipoise.outputs.cli import app
from equipoise.store import Store

ARTICLES = {
    "a1.txt": ("2020-03-10", "Russian Foreign Minister Sergei Lavrov met Azerbaijani Foreign "
               "Minister Elmar Mammadyarov in Moscow on Monday. Russia and Azerbaijan signed a "
               "trade agreement."),
    "a2.txt": ("2020-04-14", "Iran praised Azerbaijan for its help during the pandemic. Turkey "
               "and Azerbaijan signed an energy deal on Tuesday."),
    "a3.txt": ("2020-07-15", "Turkey pledged full support for Azerbaijan on Wednesday. "
               "Azerbaijan accused Russia of shipping weapons to Armenia."),
    "a4.txt": ("2020-08-05", "Turkey and Azerbaijan held large joint military exercises near "
               "Baku. Azerbaijani President Ilham Aliyev criticized Moscow over the arms "
               "flights."),
}


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (date, text) in ARTICLES.items():
        (folder / name).write_text(f"Date: {date}\n\n{text}\n", encoding="utf-8")
    return folder


def run(*args: str) -> object:
    result = CliRunner().invoke(app, list(args))
    return result


def test_from_text_files_to_report(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    db = str(tmp_path / "store.duckdb")

    result = run("ingest", str(corpus), "--db", db)
    assert result.exit_code == 0, result.output
    result = run("code", "--db", db)
    assert result.exit_code == 0, result.output

    result = run("align", "--db", db, "--focal", "AZE", "--poles", "TUR,RUS,IRN",
                 "--freq", "quarter", "--format", "json", "--min-events", "1")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["records"]
    q3 = {r["pole"]: r for r in rows if r["period"] == "2020Q3"}
    assert q3["TUR"]["tilt"] > 0 > q3["RUS"]["tilt"]
    assert q3["RUS"]["verbal_conflict"] >= 1

    report = tmp_path / "report.html"
    result = run("report", "--db", db, "--focal", "AZE", "--poles", "TUR,RUS,IRN",
                 "--output", str(report))
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert "<svg" in html
    assert "accused Russia of shipping weapons to Armenia" in html


def test_ingesting_twice_adds_nothing(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    db = str(tmp_path / "store.duckdb")
    assert run("ingest", str(corpus), "--db", db).exit_code == 0
    again = run("ingest", str(corpus), "--db", db)
    assert again.exit_code == 0
    assert "0 added, 4 already stored" in again.output
    with Store(db, read_only=True) as store:
        assert store.stats()["documents"] == 4


def test_a_bad_file_among_good_ones(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    (corpus / "broken.txt").write_bytes(b"Date: 2020-01-01\n\n\x00\x01\x02binary")
    (corpus / "latin1.txt").write_bytes("Date: 2020-01-01\n\nGenève".encode("latin-1"))
    db = str(tmp_path / "store.duckdb")
    result = run("ingest", str(corpus), "--db", db)
    assert result.exit_code == 1
    assert "broken.txt" in result.output and "latin1.txt" in result.output
    assert "4 added" in result.output
    with Store(db, read_only=True) as store:
        assert store.stats()["documents"] == 4


def test_recoding_is_a_no_op(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    db = str(tmp_path / "store.duckdb")
    run("ingest", str(corpus), "--db", db)
    run("code", "--db", db)
    with Store(db, read_only=True) as store:
        first = store.stats()["events"]
    assert run("code", "--db", db).exit_code == 0
    with Store(db, read_only=True) as store:
        assert store.stats()["events"] == first > 0


def test_standalone_coding_writes_jsonl(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        json.dumps({"id": "x1", "date": "2020-07-15",
                    "text": "Turkey pledged full support for Azerbaijan."}) + "\n"
        + "{not json\n",
        encoding="utf-8")
    out = tmp_path / "events.jsonl"
    result = run("code", str(docs), "--output", str(out))
    assert result.exit_code == 1  # the bad line is reported ...
    assert "docs.jsonl:2" in result.output
    events = [json.loads(line) for line in out.read_text().splitlines()]  # ... the good one coded
    assert {(e["doc"], e["source"], e["target"], e["quad"]) for e in events} == {
        ("x1", "TUR", "AZE", 1)}
    assert {"start", "end", "sentence", "cameo", "goldstein", "date", "plover"} <= set(events[0])


def test_demo_runs_on_the_bundled_sample(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "equipoise-demo-report.html").exists()
    assert "AZE" in result.output
    again = run("demo")  # safe to re-run
    assert again.exit_code == 0, again.output


@pytest.mark.slow
def test_killed_coding_run_leaves_a_consistent_store(tmp_path):
    """Kill `equipoise code` mid-run: each document is all coded or not at all; a re-run ends it."""
    folder = tmp_path / "news"
    folder.mkdir()
    sample = Path(__file__).resolve().parents[1] / "src" / "equipoise" / "data" / "sample"
    texts = sorted(sample.glob("*.txt"))
    for i in range(12):  # distinct copies, so each is its own document
        for path in texts:
            body = path.read_text(encoding="utf-8")
            (folder / f"{i:02d}-{path.name}").write_text(f"{body}\n[copy {i}]\n",
                                                         encoding="utf-8")
    db = tmp_path / "store.duckdb"
    assert run("ingest", str(folder), "--db", str(db)).exit_code == 0

    wal = Path(str(db) + ".wal")
    proc = subprocess.Popen([sys.executable, "-m", "equipoise", "code", "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 0:  # some documents committed
            time.sleep(0.3)
            break
        time.sleep(0.02)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    with duckdb.connect(str(db), read_only=True) as con:
        partial = con.execute("SELECT count(*) FROM codings").fetchone()[0]
        mismatched = con.execute(
            "SELECT count(*) FROM codings c LEFT JOIN (SELECT doc_id, count(*) n FROM events "
            "GROUP BY doc_id) e ON c.doc_id = e.doc_id WHERE coalesce(e.n, 0) <> c.n_events"
        ).fetchone()[0]
        orphans = con.execute(
            "SELECT count(*) FROM events WHERE doc_id NOT IN (SELECT doc_id FROM codings)"
        ).fetchone()[0]
    assert mismatched == 0 and orphans == 0
    assert killed, "the coding run ended before it could be interrupted"
    assert 0 < partial < 12 * len(texts)

    assert run("code", "--db", str(db)).exit_code == 0
    with duckdb.connect(str(db), read_only=True) as con:
        coded = con.execute("SELECT count(*) FROM codings").fetchone()[0]
        per_copy = con.execute(
            "SELECT count(*) FROM events e JOIN documents d ON d.id = e.doc_id "
            "GROUP BY regexp_extract(d.text, '\\[copy (\\d+)\\]', 1)").fetchall()
    assert coded == 12 * len(texts)
    assert len({n for (n,) in per_copy}) == 1  # every copy coded alike, none twice


def write_votes(folder: Path) -> tuple[Path, Path]:
    """Two sessions of a made-up General Assembly: AZ votes with TR in one, with RU in the other."""
    votes = ["rcid,country_code,country,vote"]
    calls = ["rcid,session,date,amend,para"]
    for rcid, session in ((1, 74), (2, 74), (3, 75), (4, 75)):
        calls.append(f"{rcid},{session},20{session - 55}-10-0{rcid},0,0")
        turkish = session == 74
        for code, vote in (("AZ", "yes"), ("TR", "yes" if turkish else "no"),
                           ("RU", "no" if turkish else "yes"), ("IR", "abstain")):
            votes.append(f"{rcid},{code},,{vote}")
    (folder / "votes.csv").write_text("\n".join(votes) + "\n", encoding="utf-8")
    (folder / "calls.csv").write_text("\n".join(calls) + "\n", encoding="utf-8")
    return folder / "votes.csv", folder / "calls.csv"


def test_align_with_intervals_change_points_and_un_votes(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    db = str(tmp_path / "store.duckdb")
    run("ingest", str(corpus), "--db", db)
    run("code", "--db", db)
    votes, calls = write_votes(tmp_path)
    result = run("align", "--db", db, "--focal", "AZE", "--poles", "TUR,RUS,CSTO",
                 "--freq", "quarter", "--min-events", "1", "--ci", "--n-boot", "200",
                 "--changepoints", "--un-votes", str(votes), "--un-roll-calls", str(calls),
                 "--format", "json")
    assert result.exit_code == 0, result.output
    panels = json.loads(result.stdout)
    assert set(panels) == {"focal", "poles", "colours", "options", "records", "equidistance",
                           "summary", "verdict", "charts", "changepoints", "drivers",
                           "un_votes"}
    assert {"tilt_lo", "tilt_hi"} <= set(panels["records"][0])
    assert all(0 <= r["equidistance"] <= 1 for r in panels["equidistance"]
               if r["equidistance"] is not None)
    agreement = {(r["session"], r["pole"]): r["agree_share"] for r in panels["un_votes"]}
    assert agreement == {(74, "TUR"): 1.0, (75, "TUR"): 0.0, (74, "RUS"): 0.0, (75, "RUS"): 1.0}

    table = run("align", "--db", db, "--focal", "AZE", "--poles", "TUR,RUS",
                "--freq", "quarter", "--min-events", "1", "--un-votes", str(votes),
                "--un-roll-calls", str(calls))
    assert table.exit_code == 0, table.output
    assert "Equidistance" in table.output and "UN General Assembly" in table.output
    un_table = table.output[table.output.index("UN General Assembly"):]
    assert " pi " in un_table and "kappa" not in un_table
    assert {"pi", "kappa"} <= set(panels["un_votes"][0])

    kappa = run("align", "--db", db, "--focal", "AZE", "--poles", "TUR,RUS",
                "--freq", "quarter", "--min-events", "1", "--un-votes", str(votes),
                "--un-roll-calls", str(calls), "--un-measure", "kappa")
    assert kappa.exit_code == 0, kappa.output
    un_table = kappa.output[kappa.output.index("UN General Assembly"):]
    assert "kappa" in un_table and " pi " not in un_table
    wrong = run("align", "--db", db, "--focal", "AZE", "--poles", "TUR",
                "--un-votes", str(votes), "--un-measure", "tau")
    assert wrong.exit_code != 0 and "pi or kappa" in wrong.output

    # Ideal points: AZE between the first two state poles (CSTO, a bloc, is skipped).
    points = tmp_path / "points.csv"
    points.write_text(
        '"","ccode","session","IdealPointAll","Q5%All","Q95%All","iso3c"\n'
        '"1",373,74,-0.7,-0.8,-0.6,"AZE"\n"2",640,74,0.6,0.5,0.7,"TUR"\n'
        '"3",365,74,0.1,0.0,0.2,"RUS"\n', encoding="utf-8")
    ideal = run("align", "--db", db, "--focal", "AZE", "--poles", "CSTO,TUR,RUS",
                "--freq", "quarter", "--min-events", "1", "--ideal-points", str(points),
                "--format", "json")
    assert ideal.exit_code == 0, ideal.output
    position = json.loads(ideal.stdout)["ideal_points"]
    # (-0.7 - 0.6) / (0.1 - 0.6) = 2.6: beyond Russia, seen from Turkey.
    assert [(r["session"], r["pole1"], r["pole2"]) for r in position] == [(74, "TUR", "RUS")]
    assert position[0]["position"] == pytest.approx(2.6)
    assert "one dimension" in ideal.stderr
    table = run("align", "--db", db, "--focal", "AZE", "--poles", "TUR,RUS",
                "--freq", "quarter", "--min-events", "1", "--ideal-points", str(points))
    assert table.exit_code == 0, table.output
    assert "position between TUR (0) and RUS (1)" in table.output
    one = run("align", "--db", db, "--focal", "AZE", "--poles", "TUR,CSTO",
              "--ideal-points", str(points))
    assert one.exit_code != 0 and "two state poles" in one.output


def test_un_position_needs_no_store(tmp_path):
    points = tmp_path / "points.csv"
    points.write_text(
        '"","ccode","session","IdealPointAll","Q5%All","Q95%All","iso3c"\n'
        '"1",371,77,0.25,0.15,0.35,"ARM"\n"2",365,77,0.0,-0.1,0.1,"RUS"\n'
        '"3",2,77,1.0,0.9,1.1,"USA"\n"4",2,78,oops,0.9,1.1,"USA"\n', encoding="utf-8")
    bad = run("un-position", "--focal", "ARM", "--poles", "RUS,USA", "--ideal-points",
              str(points))
    assert bad.exit_code != 0 and "points.csv:5: IdealPointAll must be a number" in bad.output
    points.write_text(points.read_text().replace("oops", "1.0"), encoding="utf-8")
    result = run("un-position", "--focal", "arm", "--poles", "RUS,USA", "--ideal-points",
                 str(points), "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("session,year,focal,pole1,pole2,")
    row = dict(zip(lines[0].split(","), lines[1].split(","), strict=True))
    assert (row["session"], row["focal"], float(row["position"])) == ("77", "ARM", 0.25)
    assert (float(row["position_lo"]), float(row["position_hi"])) == pytest.approx((0.05, 0.45))
    normal = run("un-position", "--focal", "ARM", "--poles", "RUS,USA", "--ideal-points",
                 str(points), "--interval", "normal", "--format", "json")
    assert normal.exit_code == 0, normal.output
    drawn = json.loads(normal.stdout)[0]
    assert 0.05 < drawn["position_lo"] < 0.25 < drawn["position_hi"] < 0.45
    three = run("un-position", "--focal", "ARM", "--poles", "RUS,USA,IRN", "--ideal-points",
                str(points))
    assert three.exit_code != 0 and "two poles" in three.output
    wrong = run("un-position", "--focal", "ARM", "--poles", "RUS,USA", "--ideal-points",
                str(points), "--interval", "wide")
    assert wrong.exit_code != 0 and "bounds or normal" in wrong.output


def test_bad_options_are_reported_not_raised(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    db = str(tmp_path / "store.duckdb")
    run("ingest", str(corpus), "--db", db)
    for args, message in (
        (("--freq", "fortnight"), "freq"),
        (("--weight", "vibes"), "weight"),
        (("--from", "2020-13-01"), "not a date"),
    ):
        result = run("align", "--db", db, "--focal", "AZE", "--poles", "TUR", *args)
        assert result.exit_code != 0
        assert message in result.output
        assert "Traceback" not in result.output


def test_standalone_coding_of_an_unreadable_file_writes_nothing(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_bytes(b"\x00\x01\x02 not text")
    out = tmp_path / "events.jsonl"
    result = run("code", str(docs), "--output", str(out))
    assert result.exit_code == 2
    assert "docs.jsonl" in result.output and "binary" in result.output
    assert not out.exists()


def test_overlapping_poles_are_warned_about_and_can_be_kept_apart(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    db = str(tmp_path / "store.duckdb")
    assert run("ingest", str(corpus), "--db", db).exit_code == 0
    assert run("code", "--db", db).exit_code == 0
    args = ["align", "--db", db, "--focal", "AZE", "--poles", "TUR,NATO", "--freq", "year",
            "--min-events", "1", "--format", "json"]
    kept = run(*args)
    assert kept.exit_code == 0, kept.output
    assert "TUR is a member of NATO" in kept.stderr
    nato = {r["pole"]: r for r in json.loads(kept.stdout)["records"]}["NATO"]
    assert nato["n_events"] > 0  # only Turkey's events: NATO is Turkey here

    apart = run(*args, "--overlap", "exclude")
    assert apart.exit_code == 0, apart.output
    document = json.loads(apart.stdout)
    assert {r["pole"]: r for r in document["records"]}["NATO"]["n_events"] == 0
    assert "count for TUR only" in document["verdict"]


def test_background_events_stay_listed_but_out_of_the_series(tmp_path):
    """An event dated only to a year before its article's year is history recalled."""
    from equipoise.records import Document, EventDate
    from factories import STORE_CODER, record_event

    db = tmp_path / "store.duckdb"
    with Store(db) as store:
        doc = Document.from_text("Turkey and Azerbaijan, allies since 1992, met again.",
                                 published=dt.date(2020, 7, 1), source="test")
        store.add_document(doc)
        store.replace_events(doc.id, STORE_CODER, [
            record_event(doc, "TUR", "AZE", None, date=EventDate(dt.date(1992, 1, 1), "year"),
                         coder=STORE_CODER),
            record_event(doc, "TUR", "AZE", dt.date(2020, 7, 1), start=30, coder=STORE_CODER),
        ])  # fmt: skip
    series = equipoise.align("AZE", ["TUR"], db=db, freq="year", min_events=1)
    assert series["period"].tolist() == ["2020"]
    assert series["n_events"].sum() == 1
    everything = equipoise.align("AZE", ["TUR"], db=db, freq="year", min_events=1,
                                 include_background=True)
    assert everything["n_events"].sum() == 2
    listed = equipoise.load_events("AZE", ["TUR"], db=db)
    assert len(listed) == 2 and listed["background"].tolist().count(True) == 1
    result = run("align", "--db", str(db), "--focal", "AZE", "--poles", "TUR", "--freq",
                 "year", "--min-events", "1", "--include-background", "--format", "json")
    assert result.exit_code == 0, result.output
    assert sum(r["n_events"] for r in json.loads(result.stdout)["records"]) == 2


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_the_event_table_exports_in_every_format(tmp_path, fmt):
    import pandas as pd

    corpus = write_corpus(tmp_path / "news")
    db = str(tmp_path / "store.duckdb")
    assert run("ingest", str(corpus), "--db", db).exit_code == 0
    assert run("code", "--db", db).exit_code == 0
    out = tmp_path / f"events.{fmt}"
    result = run("events", "--db", db, "--focal", "AZE", "--poles", "TUR,RUS",
                 "--format", fmt, "--output", str(out))
    assert result.exit_code == 0, result.output
    table = {"csv": pd.read_csv, "json": pd.read_json, "parquet": pd.read_parquet}[fmt](out)
    assert {"TUR", "RUS"} <= set(table["pole"])
    assert table["sentence"].str.contains("shipping weapons to Armenia").any()
    assert f"{len(table)} events written" in result.output


def test_parquet_needs_a_file():
    result = run("events", "--focal", "AZE", "--poles", "TUR", "--format", "parquet")
    assert result.exit_code != 0 and "--output" in result.output


def test_two_focal_states_side_by_side(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    db = str(tmp_path / "store.duckdb")
    assert run("ingest", str(corpus), "--db", db).exit_code == 0
    assert run("code", "--db", db).exit_code == 0
    both = run("align", "--db", db, "--focal", "AZE,IRN", "--poles", "TUR,RUS", "--freq",
               "year", "--min-events", "1", "--format", "json")
    assert both.exit_code == 0, both.output
    documents = json.loads(both.stdout)["compare"]
    assert [d["focal"] for d in documents] == ["AZE", "IRN"]
    alone = json.loads(run("align", "--db", db, "--focal", "AZE", "--poles", "TUR,RUS",
                           "--freq", "year", "--min-events", "1", "--format", "json").stdout)
    assert documents[0]["records"] == alone["records"]
    table = run("align", "--db", db, "--focal", "AZE,IRN", "--poles", "TUR,RUS")
    assert table.exit_code == 0 and "IRN between TUR, RUS" in table.output
    flat = run("align", "--db", db, "--focal", "TUR,RUS", "--poles", "AZE", "--freq",
               "year", "--format", "csv")
    import io

    import pandas as pd

    rows = pd.read_csv(io.StringIO(flat.stdout))
    assert set(rows["focal"]) == {"TUR", "RUS"}


def test_an_analysts_exclusion_changes_the_numbers_and_survives_recoding(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    db = str(tmp_path / "store.duckdb")
    assert run("ingest", str(corpus), "--db", db).exit_code == 0
    assert run("code", "--db", db).exit_code == 0
    listed = run("events", "--db", db, "--focal", "AZE", "--poles", "RUS", "--format", "json")
    conflict = next(e for e in json.loads(listed.stdout) if e["quad"] == 3)
    key = ["--doc", conflict["doc_id"], "--start", str(conflict["sent_start"]),
           "--source", conflict["source"], "--target", conflict["target"],
           "--root", conflict["root"]]

    def conflicts() -> int:
        answer = run("align", "--db", db, "--focal", "AZE", "--poles", "RUS", "--freq",
                     "year", "--min-events", "1", "--format", "json")
        return sum(r["verbal_conflict"] for r in json.loads(answer.stdout)["records"])

    before = conflicts()
    judged = run("judge", "--db", db, *key, "--reason", "the accusation is reported speech",
                 "--who", "analyst")
    assert judged.exit_code == 0, judged.output
    assert conflicts() == before - 1
    # Coding the documents again (another coder version) keeps the exclusion.
    assert run("code", "--db", db, "--rules-only").exit_code == 0
    assert conflicts() == before - 1
    gold = run("judgements", "--db", db, "--format", "gold")
    assert json.loads(gold.stdout.splitlines()[0])["why"] == "the accusation is reported speech"
    report = tmp_path / "r.html"
    assert run("report", "--db", db, "--focal", "AZE", "--poles", "RUS", "--output",
               str(report)).exit_code == 0
    assert "excluded by the analyst" in report.read_text(encoding="utf-8").lower()
    assert run("judge", "--db", db, *key, "--undo").exit_code == 0
    assert conflicts() == before
    missing = run("judge", "--db", db, *key[:-1], "99", "--reason", "x")
    assert missing.exit_code != 0 and "no event" in missing.output
