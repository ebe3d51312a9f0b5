"""The bulk GDELT import (Arrow's CSV parser and DuckDB SQL) against the row reader.

Every file here is imported both ways: through ``import_file`` (what ``equipoise import``
runs) and through ``read_gdelt`` + ``Store.add_dataset_events`` (the row reader), with
blocks made small so that lines fall across block edges. The stores must hold the same
rows and the reports say the same things, line numbers included. Then what only the bulk
path does: GDELT's counts, tone, URL and DATEADDED; one transaction a file; the schema
upgrade; and alignment weighted by mentions and sources.
"""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

import equipoise
from equipoise.errors import UnknownCodeError
from equipoise.outputs.cli import app
from equipoise.sources import SourceError, gdeltbulk
from equipoise.sources.datasets import (
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
    MAX_ROW_CHARS,
    ImportReport,
    read_gdelt,
)
from equipoise.sources.filters import EventFilter
from equipoise.sources.importing import import_file
from equipoise.sources.limits import DateRange
from equipoise.store import SCHEMA_VERSION, Store
from equipoise.store.db import BULK_MEMORY, GDELT_COLUMNS, LISTING_COLUMNS, PROVENANCE_COLUMNS

URL = "https://example.org/news/1"
SHARED = Path("/work/shared/data")


def row(columns=GDELT1_COLUMNS, **values: str) -> str:
    unknown = set(values) - set(columns)
    assert not unknown, unknown
    return "\t".join(values.get(name, "") for name in columns)


def visit(event_id, day="20200115", columns=GDELT1_COLUMNS, **values) -> str:
    """Azerbaijan's government visits the Turkish military."""
    fields = dict(GLOBALEVENTID=str(event_id), SQLDATE=day, Actor1CountryCode="AZE",
                  Actor1Name="AZERBAIJAN", Actor1Type1Code="GOV", Actor2CountryCode="TUR",
                  Actor2Name="TURKISH ARMY", Actor2Type1Code="MIL", EventCode="042",
                  GoldsteinScale="1.9", QuadClass="1", NumMentions="10", NumSources="3",
                  NumArticles="9", AvgTone="-1.25", DATEADDED="20200116",
                  ActionGeo_Type="4", ActionGeo_FullName="Baku, Baki, Azerbaijan",
                  ActionGeo_CountryCode="AJ", ActionGeo_ADM1Code="AJ09",
                  ActionGeo_Lat="40.3953", ActionGeo_Long="49.8822")  # fmt: skip
    if "SOURCEURL" in columns:
        fields["SOURCEURL"] = URL
    fields.update(values)
    return row(columns, **fields)


def write(path, lines: list[str], end: str = "\n") -> object:
    path.write_bytes((end.join(lines) + end).encode("utf-8"))
    return path


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    """Blocks of a few lines, so lines and special cases fall across block edges."""
    monkeypatch.setattr(gdeltbulk, "BLOCK_BYTES", 1500)


def both_ways(tmp_path, path, version=1, dates=None):
    """Import ``path`` in bulk and with the row reader; the two stores and reports."""
    bulk = ImportReport()
    with Store(tmp_path / "bulk.duckdb") as store:
        import_file(store, path, f"gdelt{version}", bulk, dates=dates)
        fast = store.events_frame()
    rows = ImportReport()
    with Store(tmp_path / "rows.duckdb") as store:
        rows.added, rows.replaced = store.add_dataset_events(
            read_gdelt(path, version, rows, dates=dates), f"gdelt{version}"
        )
        slow = store.events_frame()
    return fast, bulk, slow, rows


def same_rows(fast, slow) -> None:
    columns = list(LISTING_COLUMNS)
    left = fast[columns].sort_values("doc_id").reset_index(drop=True)
    right = slow[columns].sort_values("doc_id").reset_index(drop=True)
    assert left.astype(str).to_dict("records") == right.astype(str).to_dict("records")


def same_reports(bulk: ImportReport, rows: ImportReport) -> None:
    for name in ("rows", "events", "domestic", "no_actor", "unmapped", "duplicates",
                 "added", "replaced"):  # fmt: skip
        assert getattr(bulk, name) == getattr(rows, name), name
    assert bulk.errors == rows.errors


def test_bulk_import_matches_the_row_reader_on_a_file_full_of_oddities(tmp_path):
    lines = [
        "\ufeff" + "\t".join(GDELT1_COLUMNS),  # a header, after a byte-order mark
        "",
        *(visit(i) for i in range(1, 30)),
        "   \t  ",  # blank but for spaces and tabs
        visit(30, Actor1Name="CÔTE D'IVOIRE"),  # not ASCII: title-cased by Python
        visit(31, Actor1Name="O'NEIL 3RD", Actor2Name=" mcdonald "),
        visit(32, SOURCEURL=URL + "\x1b[31m\u202e"),  # control characters are removed
        visit(33, Actor1CountryCode="AZ\0E"),  # a NUL byte
        visit(34, day="20200132"), visit(35, day="2020-01-16"), visit(36, day="0000101"),
        visit(37, day="18000101"), visit(38, day="17991231"),
        visit(39, EventCode="999"), visit(40, EventCode=" 042 "), visit(41, EventCode="42"),
        visit(42, GoldsteinScale="55"), visit(43, GoldsteinScale="1_0"),
        visit(44, GoldsteinScale="inf"), visit(45, GoldsteinScale=""),
        visit(46, GoldsteinScale="-10"), visit(47, GoldsteinScale=".5"),
        visit(48, Actor2CountryCode="AZE"),  # domestic
        visit(49, Actor2CountryCode="EUR"),  # a region: no state
        visit(50, Actor1CountryCode="", Actor1KnownGroupCode="NAT"),  # a bloc
        visit(51, Actor1CountryCode="ROM"),  # CAMEO's code for Romania
        visit(52, Actor1Type1Code="COP", Actor2Type1Code="XYZ"),
        visit(53)[: -len(URL) - 1],  # a backfile row: 57 columns
        "54\t20200117\t202001",  # cut short
        visit(55) + "\textra",  # one column too many
        visit(""),  # no GLOBALEVENTID
        visit(7, day="20200120"),  # a repeated id: the first stays
        visit(56) + "\r",  # a line ended by CRLF
        visit(57) + "\r" + visit(58),  # a lone carriage return ends a line
        "x" * (MAX_ROW_CHARS + 5),  # too long
        visit(59, Actor1Name="\udcff".encode("utf-8", "surrogatepass").decode("latin-1")),
        *(visit(i) for i in range(60, 90)),
        # Places and publishers: odd coordinates are NULL, never an error.
        visit(90, ActionGeo_Lat="91", ActionGeo_Long="-180"),
        visit(91, ActionGeo_Lat="-90.0", ActionGeo_Long="180.5"),
        visit(92, ActionGeo_Lat="4O.1", ActionGeo_Long="1e3"),
        visit(93, ActionGeo_Lat="", ActionGeo_Long="", ActionGeo_FullName="",
              ActionGeo_CountryCode="", ActionGeo_ADM1Code=""),
        visit(94, ActionGeo_Lat="+40.1", ActionGeo_Long="-0"),
        visit(95, ActionGeo_FullName="Bakı, Bakı, Azerbaijan"),  # not ASCII: read by Python
    ]
    path = write(tmp_path / "odd.export.CSV", lines)
    fast, bulk, slow, rows = both_ways(tmp_path, path)
    same_rows(fast, slow)
    same_reports(bulk, rows)
    assert bulk.duplicates == 1 and len(bulk.errors) >= 10
    nul = next(n for n, line in enumerate(lines, start=1) if "\0" in line)
    assert f"{path}:{nul}: NUL byte in the row" in bulk.errors
    titles = dict(zip(fast["doc_id"], fast["source_text"], strict=True))
    assert titles["gdelt1:31"] == "O'Neil 3Rd" and titles["gdelt1:30"] == "Côte D'Ivoire"


def test_bad_bytes_and_invalid_utf8_match_the_row_reader(tmp_path):
    path = tmp_path / "bytes.CSV"
    good = [visit(i).encode() for i in range(1, 40)]
    good[5] = visit(6).encode().replace(b"AZERBAIJAN", b"AZ\xff\xfeRBAIJAN")
    good[9] = visit(10).encode().replace(b"TURKISH", b"T\xc3")  # a cut character
    path.write_bytes(b"\r\n".join(good))  # CRLF throughout, no final line break
    fast, bulk, slow, rows = both_ways(tmp_path, path)
    same_rows(fast, slow)
    same_reports(bulk, rows)
    assert bulk.events == 39


def test_gdelt2_and_compressed_files_match_the_row_reader(tmp_path):
    lines = [visit(i, columns=GDELT2_COLUMNS, DATEADDED="20200116131500")
             for i in range(1, 60)]  # fmt: skip
    lines[20] = visit(21)  # a GDELT 1.0 row in a 2.0 file
    path = tmp_path / "20200116131500.export.CSV.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    fast, bulk, slow, rows = both_ways(tmp_path, path, version=2)
    same_rows(fast, slow)
    same_reports(bulk, rows)
    assert bulk.errors == [f"{path}:21: expected 61 tab-separated columns for GDELT 2.0, found 58"]


def test_the_date_range_is_checked_as_the_row_reader_does(tmp_path):
    lines = [visit(1, "20190101"), visit(2, "20200101"), visit(3, "20210101"),
             visit(4, "20210101", Actor2CountryCode="AZE")]  # fmt: skip
    path = write(tmp_path / "d.CSV", lines)
    window = DateRange(earliest=dt.date(2019, 6, 1), latest=dt.date(2020, 6, 1))
    fast, bulk, slow, rows = both_ways(tmp_path, path, dates=window)
    same_rows(fast, slow)
    same_reports(bulk, rows)
    assert list(fast["doc_id"]) == ["gdelt1:2"] and bulk.domestic == 1
    assert bulk.errors[0].startswith(f"{path}:1: event date 2019-01-01 is outside")


def test_a_filter_keeps_what_filtering_the_row_readers_events_keeps(tmp_path):
    partners = ["TUR", "RUS", "IRN", "USA"]
    codes = ["042", "190", "112", "0431"]
    lines = [visit(i, Actor2CountryCode=partners[i % 4], EventCode=codes[i // 4 % 4])
             for i in range(1, 80)]  # fmt: skip
    lines[10] = visit(11, Actor2CountryCode="RUS", Actor2Name="RUSSIE É")  # read by Python
    lines[11] = visit(12, Actor1CountryCode="", Actor1KnownGroupCode="EEC",
                      Actor2CountryCode="IRN")  # the EU (GDELT's EEC) and Iran
    lines[12] = visit(13, Actor2CountryCode="RUS", GoldsteinScale="inf")  # an error stays
    lines[13] = visit(14, Actor2CountryCode="AZE")  # domestic stays domestic
    path = write(tmp_path / "f.CSV", lines)
    keep = EventFilter.build(["rus", "EU"], ["4", "19"])
    bulk = ImportReport()
    with Store(tmp_path / "bulk.duckdb") as store:
        import_file(store, path, "gdelt1", bulk, keep=keep)
        fast = store.events_frame()
    rows = ImportReport()
    every = list(read_gdelt(path, 1, rows))
    kept = [e for e in every if keep.keeps(e.source.code, e.target.code, e.root)]
    with Store(tmp_path / "rows.duckdb") as store:
        store.add_dataset_events(kept, "gdelt1")
        slow = store.events_frame()
    same_rows(fast, slow)
    assert 0 < len(kept) < len(every) - 10
    assert {"gdelt1:11", "gdelt1:12"} <= set(fast["doc_id"])
    assert bulk.filtered == len(every) - len(kept) and bulk.events == len(kept)
    assert (bulk.rows, bulk.domestic, bulk.errors) == (rows.rows, rows.domestic, rows.errors)
    assert set(fast["root"]) == {"04", "19"}
    pairs = zip(fast["source"], fast["target"], strict=True)
    assert all("RUS" in pair or "EU" in pair for pair in pairs)


def test_a_filter_refuses_unknown_codes():
    with pytest.raises(UnknownCodeError, match="XYZ"):
        EventFilter.build(["AZE", "XYZ"])
    with pytest.raises(UnknownCodeError, match="21"):
        EventFilter.build(roots=["21"])
    assert EventFilter.build([" ", ""], []).everything


def test_malformed_rows_are_reported_with_file_and_line_among_many_good_ones(tmp_path):
    lines = [visit(i) for i in range(1, 2001)]
    lines[1499] = visit(1500, day="2020-13-01")
    lines[1799] = visit(1800, EventCode="0429")
    path = write(tmp_path / "many.CSV", lines)
    report = ImportReport()
    with Store(tmp_path / "s.duckdb") as store:
        import_file(store, path, "gdelt1", report)
        assert store.stats()["events"] == 1998
    assert report.errors == [
        f"{path}:1500: bad date '2020-13-01' (expected YYYYMMDD)",
        f"{path}:1800: unknown CAMEO code '0429'",
    ]
    assert (report.rows, report.events, report.added) == (2000, 1998, 1998)


def test_gdelt_counts_tone_url_and_date_added_are_stored(tmp_path):
    one = write(tmp_path / "one.CSV", [visit(1), visit(2, NumMentions="x", AvgTone="n/a"),
                                        visit(3)[: -len(URL) - 1],
                                        visit(5, NumMentions="2147483647", NumSources="2147483648",
                                              NumArticles="0000000012")])  # fmt: skip
    two = write(tmp_path / "two.CSV", [visit(4, columns=GDELT2_COLUMNS,
                                             DATEADDED="20200116131500")])  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        import_file(store, one, "gdelt1")
        import_file(store, two, "gdelt2")
        frame = store.dyad_frame("AZE", ["TUR"], columns=["doc_id", *GDELT_COLUMNS])
    got = {r["doc_id"]: r for r in frame.to_dict("records")}
    first = got["gdelt1:1"]
    assert (first["num_mentions"], first["num_sources"], first["num_articles"]) == (10, 3, 9)
    assert first["avg_tone"] == -1.25 and first["source_url"] == URL
    assert first["date_added"] == dt.datetime(2020, 1, 16)
    # Figures that are not numbers are NULL, and never make the row an error.
    assert pd.isna(got["gdelt1:2"]["avg_tone"]) and pd.isna(got["gdelt1:2"]["num_mentions"])
    assert got["gdelt1:2"]["num_sources"] == 3
    backfile = got["gdelt1:3"]
    assert pd.isna(backfile["source_url"]) and backfile["num_mentions"] == 10
    assert got["gdelt2:4"]["date_added"] == dt.datetime(2020, 1, 16, 13, 15)
    # A count is kept up to the largest 32-bit integer; leading zeros are read away.
    edge = got["gdelt1:5"]
    assert edge["num_mentions"] == 2**31 - 1 and pd.isna(edge["num_sources"])
    assert edge["num_articles"] == 12


def test_gdelt_place_and_coordinates_are_stored(tmp_path):
    lines = [visit(1), visit(2, ActionGeo_Lat="123", ActionGeo_Long="x"),
             visit(3, ActionGeo_FullName="Bakı, Azerbaijan"),  # read by Python
             visit(4, ActionGeo_Lat="-90", ActionGeo_Long="180.0", ActionGeo_FullName="",
                   ActionGeo_CountryCode="")]  # fmt: skip
    path = write(tmp_path / "geo.CSV", lines)
    two = write(tmp_path / "geo2.CSV", [visit(5, columns=GDELT2_COLUMNS,
                                             ActionGeo_ADM2Code="12345")])  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        import_file(store, path, "gdelt1")
        import_file(store, two, "gdelt2")
        frame = store.dyad_frame("AZE", ["TUR"], columns=["doc_id", *PROVENANCE_COLUMNS])
    got = {r["doc_id"]: r for r in frame.to_dict("records")}
    first = got["gdelt1:1"]
    assert (first["place_name"], first["place_country"]) == ("Baku, Baki, Azerbaijan", "AJ")
    assert (first["latitude"], first["longitude"]) == (40.3953, 49.8822)
    # GDELT names no publisher (the URL is kept) and no story.
    assert pd.isna(first["publisher"]) and pd.isna(first["place_admin"])
    assert pd.isna(first["story_id"]) and pd.isna(first["notes"])
    # Coordinates out of range or not numbers are NULL, and never make the row an error.
    assert pd.isna(got["gdelt1:2"]["latitude"]) and pd.isna(got["gdelt1:2"]["longitude"])
    assert got["gdelt1:3"]["place_name"] == "Bakı, Azerbaijan"
    assert got["gdelt1:3"]["latitude"] == 40.3953
    fourth = got["gdelt1:4"]
    assert (fourth["latitude"], fourth["longitude"]) == (-90.0, 180.0)
    assert pd.isna(fourth["place_name"]) and pd.isna(fourth["place_country"])
    assert (got["gdelt2:5"]["place_name"], got["gdelt2:5"]["longitude"]) == (
        "Baku, Baki, Azerbaijan", 49.8822)


def test_importing_a_file_again_replaces_its_events(tmp_path):
    path = write(tmp_path / "g.CSV", [visit(i) for i in range(1, 40)])
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        first = import_file(store, path, "gdelt1")
        before = store.events_frame()
        again = import_file(store, path, "gdelt1")
        after = store.events_frame()
        # An event of another file with an id of this one is replaced, as the row path does.
        other = write(tmp_path / "h.CSV", [visit(5, "20200201"), visit(100)])
        third = import_file(store, other, "gdelt1")
        last = store.events_frame()
    assert (first.added, first.replaced) == (39, 0)
    assert (again.added, again.replaced) == (0, 39)
    assert (third.added, third.replaced) == (1, 1)
    same_rows(before, after)
    assert len(last) == 40
    assert last.set_index("doc_id").loc["gdelt1:5", "event_date"] == dt.datetime(2020, 2, 1)


def test_an_interrupted_import_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "s.duckdb"
    kept = write(tmp_path / "kept.CSV", [visit(i) for i in range(1, 11)])
    lines = [visit(i, "20200301") for i in range(1, 3001)]
    cut = tmp_path / "cut.CSV.gz"
    packed = gzip.compress(("\n".join(lines) + "\n").encode())
    cut.write_bytes(packed[: int(len(packed) * 0.8)])
    with Store(db) as store:
        import_file(store, kept, "gdelt1")
        before = store.events_frame()
        seen: list[int] = []
        with pytest.raises(SourceError, match="corrupt compressed data"):
            import_file(store, cut, "gdelt1", progress=seen.append)
        assert max(seen) > 1000  # blocks were read, and events written, before the damage
        same_rows(store.events_frame(), before)

        def stop(rows: int) -> None:
            if rows > 500:
                raise KeyboardInterrupt

        whole = write(tmp_path / "whole.CSV", lines)
        with pytest.raises(KeyboardInterrupt):
            import_file(store, whole, "gdelt1", progress=stop)
        same_rows(store.events_frame(), before)
    with Store(db, read_only=True) as store:
        same_rows(store.events_frame(), before)


def test_a_bulk_import_bounds_duckdbs_memory_only_while_it_runs(tmp_path, monkeypatch):
    good = write(tmp_path / "good.CSV", [visit(i) for i in range(1, 50)])
    cut = tmp_path / "cut.CSV.gz"
    packed = gzip.compress(("\n".join(visit(i) for i in range(1, 3001)) + "\n").encode())
    cut.write_bytes(packed[: len(packed) // 2])

    def limit(con: duckdb.DuckDBPyConnection) -> str:
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    seen: list[str] = []
    tables = gdeltbulk._reference_tables

    def spy(con: duckdb.DuckDBPyConnection) -> None:  # runs inside the load
        seen.append(limit(con))
        tables(con)

    monkeypatch.setattr(gdeltbulk, "_reference_tables", spy)
    bounded = duckdb.connect()
    bounded.execute(f"SET memory_limit = '{BULK_MEMORY}'")
    with Store(tmp_path / "s.duckdb") as store:
        before = limit(store._con)
        import_file(store, good, "gdelt1")
        assert limit(store._con) == before
        with pytest.raises(SourceError):
            import_file(store, cut, "gdelt1")
        assert limit(store._con) == before
    assert seen == [limit(bounded)] * 2 and seen[0] != before


def test_a_version_3_store_gains_the_gdelt_columns_in_place(tmp_path):
    path = tmp_path / "old.duckdb"
    gdelt = write(tmp_path / "g.CSV", [visit(1)])
    with Store(path) as store:
        store.add_dataset_events(read_gdelt(gdelt), "gdelt1")
    with duckdb.connect(str(path)) as con:  # make it look like a version-3 store
        for column in (*GDELT_COLUMNS, "import_id", "import_line", "record_no",
                       *PROVENANCE_COLUMNS):
            con.execute(f"ALTER TABLE events DROP COLUMN {column}")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    Store(path).close()
    with duckdb.connect(str(path), read_only=True) as con:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        columns = {r[0] for r in con.execute("DESCRIBE events").fetchall()}
        (count,) = con.execute("SELECT count(*) FROM events WHERE num_mentions IS NULL").fetchone()
    assert version == (SCHEMA_VERSION,) == ("6",)  # through versions 4 and 5 to 6
    assert set(GDELT_COLUMNS) | set(PROVENANCE_COLUMNS) <= columns and count == 1
    with Store(path) as store:  # the old rows got their record number, so a re-import finds them
        assert import_file(store, gdelt, "gdelt1").replaced == 1
        assert len(store.events_frame()) == 1


def test_align_weighs_gdelt_events_by_mentions_and_sources(tmp_path):
    # Three days apart, so that every row is its own story (equipoise.analysis.stories).
    lines = [visit(i, f"202001{3 * i:02d}", NumMentions="9", NumSources="2") for i in range(1, 4)]
    lines += [visit(i, f"202001{3 * i:02d}", EventCode="112", NumMentions="1", NumSources="4")
              for i in range(4, 7)]  # fmt: skip
    lines += [visit(7, "20200121", NumMentions="", NumSources="")]  # weighs 1
    path = write(tmp_path / "w.CSV", lines)
    db = tmp_path / "w.duckdb"
    with Store(db) as store:
        import_file(store, path, "gdelt1")

    def score(weight: str) -> float:
        table = equipoise.align("AZE", ["TUR"], db=db, freq="year", weight=weight)
        return float(table.set_index("pole").loc["TUR", "score"])

    k = 2  # the default smoothing

    def shrunk(total: float, n: float) -> float:
        # One pole: the cell is pulled toward the focal state's level, total / (n + k).
        return (total + k * total / (n + k)) / (n + k)

    assert score("count") == pytest.approx(shrunk(4 - 3, 7))
    assert score("mentions") == pytest.approx(shrunk(27 - 3 + 1, 27 + 3 + 1))
    assert score("sources") == pytest.approx(shrunk(6 - 12 + 1, 6 + 12 + 1))
    table = equipoise.align("AZE", ["TUR"], db=db, freq="year", weight="mentions")
    assert int(table["n_events"].iloc[0]) == 7 and int(table["n_scored"].iloc[0]) == 31

    result = CliRunner().invoke(app, ["align", "--focal", "AZE", "--poles", "TUR", "--db", str(db),
                                      "--weight", "sources", "--freq", "year"])  # fmt: skip
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "version"),
    [("events1samp_reconstructed.tsv", 1), ("events2samp_reconstructed.tsv", 2),
     ("gdelt1_daily_verbatim_rows.tsv", 1)],
)  # fmt: skip
def test_the_shared_gdelt_samples_import_as_the_row_reader_reads_them(tmp_path, name, version):
    path = SHARED / "gdelt_samples" / name
    if not path.exists():
        pytest.skip(f"reference sample {path} not present")
    fast, bulk, slow, rows = both_ways(tmp_path, path, version=version)
    same_rows(fast, slow)
    same_reports(bulk, rows)
    assert bulk.rows > 0
    # The samples' events nearly all say where they happened (the verbatim rows hold none).
    if len(fast):
        assert fast["latitude"].notna().mean() >= 0.8
        assert fast["place_name"].notna().mean() >= 0.8


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r", ""])
def test_a_runaway_line_is_passed_over_without_holding_it(tmp_path, end):
    runaway = "x" * (4 * MAX_ROW_CHARS + 100) + "é"
    body = visit(1) + "\n" + runaway + end + visit(2) + "\n" + visit(3)
    path = tmp_path / "runaway.CSV"
    path.write_bytes(body.encode())
    fast, bulk, slow, rows = both_ways(tmp_path, path)
    same_rows(fast, slow)
    same_reports(bulk, rows)
    assert bulk.errors[0].startswith(f"{path}:2: line too long")


def test_a_bulk_import_replaces_rows_the_row_path_stored_and_ids_that_are_not_numbers(tmp_path):
    path = write(tmp_path / "g.CSV", [visit(i) for i in (5, 700, 31)] + [visit("A7")])
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add_dataset_events(read_gdelt(path), "gdelt1") == (4, 0)
        first = import_file(store, path, "gdelt1")
        assert (first.added, first.replaced) == (0, 4)
        numbers = store.dyad_frame("AZE", ["TUR"], columns=["doc_id", "record_no"])
        again = import_file(store, write(tmp_path / "h.CSV", [visit(700), visit(9000)]),
                            "gdelt1")  # fmt: skip
        assert (again.added, again.replaced) == (1, 1)
        assert len(store.events_frame()) == 5
    got = dict(zip(numbers["doc_id"], numbers["record_no"], strict=True))
    assert got["gdelt1:700"] == 700 and pd.isna(got["gdelt1:A7"])


def test_gdelt_root_events_are_kept_and_a_version_4_store_gains_the_flag(tmp_path):
    path = tmp_path / "root.duckdb"
    lines = [visit(1, "20200110", IsRootEvent="1"), visit(2, "20200110", IsRootEvent="0")]
    with Store(path) as store:
        import_file(store, write(tmp_path / "r.CSV", lines), "gdelt1")
        flags = store.dyad_frame("AZE", ["TUR"])["is_root"].tolist()
    assert flags == [True, False]
    with duckdb.connect(str(path)) as con:  # make it look like a version-4 store
        con.execute("ALTER TABLE events DROP COLUMN is_root")
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Store(path) as store:
        frame = store.dyad_frame("AZE", ["TUR"])
    assert frame["is_root"].isna().all() and len(frame) == 2
    # The two rows are repeated reports of one visit: one story, led by the root event.
    table = equipoise.align("AZE", ["TUR"], db=path, freq="year")
    assert (int(table["n_events"].iloc[0]), int(table["n_stories"].iloc[0])) == (2, 1)
