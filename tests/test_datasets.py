"""Importing structured event datasets (GDELT 1.0/2.0, ICEWS, POLECAT, ACLED) into the store.

Each format gets a tiny hand-written file: a state-to-state event, an event with a bloc,
a domestic event (skipped) and malformed rows (reported with file and line, the rest
still read). The shared reference samples, when present, must read without errors.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import equipoise
from equipoise.outputs.cli import app
from equipoise.records import Provenance
from equipoise.reference.dates import one_year_after
from equipoise.reference.plover import plover_to_cameo
from equipoise.sources.datasets import (
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
    ImportReport,
    acled_cameo,
    acled_country,
    icews_sector,
    plover_sector,
    read_acled,
    read_dataset,
    read_gdelt,
    read_icews,
    read_polecat,
)
from equipoise.sources.limits import DateRange
from equipoise.store import Store

SHARED = Path("/work/shared/data")


def gdelt_line(columns: tuple[str, ...], **values: str) -> str:
    """One GDELT row: the named columns filled in, every other one empty."""
    unknown = set(values) - set(columns)
    assert not unknown, unknown
    return "\t".join(values.get(name, "") for name in columns)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- GDELT 1.0 --------------------------------------------------------------------------

URL = "https://example.org/baku-ankara"


@pytest.fixture
def gdelt1(tmp_path: Path) -> Path:
    row = gdelt_line
    return write(tmp_path / "20200115.export.CSV", [
        # 1: Azerbaijan's government visits the Turkish military (GDELT's Goldstein kept)
        row(GDELT1_COLUMNS, GLOBALEVENTID="101", SQLDATE="20200115",
            Actor1CountryCode="AZE", Actor1Type1Code="GOV", Actor1Name="AZERBAIJAN",
            Actor2CountryCode="TUR", Actor2Type1Code="MIL", Actor2Name="TURKISH ARMY",
            EventCode="042", GoldsteinScale="1.9", QuadClass="1", SOURCEURL=URL),
        # 2: NATO (a known group, no country) criticises Russia's media
        row(GDELT1_COLUMNS, GLOBALEVENTID="102", SQLDATE="20200116",
            Actor1KnownGroupCode="NAT", Actor1Name="NATO",
            Actor2CountryCode="RUS", Actor2Type1Code="MED", EventCode="111",
            SOURCEURL=URL),
        # 3: domestic: Azerbaijani police arrest Azerbaijani opposition figures
        row(GDELT1_COLUMNS, GLOBALEVENTID="103", SQLDATE="20200116",
            Actor1CountryCode="AZE", Actor1Type1Code="COP",
            Actor2CountryCode="AZE", Actor2Type1Code="OPP", EventCode="173",
            SOURCEURL=URL),
        # 4: a region ("Europe") is not a state: no actor on that side
        row(GDELT1_COLUMNS, GLOBALEVENTID="104", SQLDATE="20200116",
            Actor1CountryCode="EUR", Actor2CountryCode="AZE", EventCode="040",
            SOURCEURL=URL),
        # 5: CAMEO's ROM is Romania (ISO ROU); 6: a line cut short
        row(GDELT1_COLUMNS, GLOBALEVENTID="105", SQLDATE="20200117",
            Actor1CountryCode="ROM", Actor2CountryCode="MDA", EventCode="0874",
            SOURCEURL=URL),
        "106\t20200117\t202001\t2020",
        # 7: a day that does not exist; 8: a CAMEO code that does not exist
        row(GDELT1_COLUMNS, GLOBALEVENTID="107", SQLDATE="20200132",
            Actor1CountryCode="AZE", Actor2CountryCode="TUR", EventCode="042"),
        row(GDELT1_COLUMNS, GLOBALEVENTID="108", SQLDATE="20200117",
            Actor1CountryCode="AZE", Actor2CountryCode="TUR", EventCode="999"),
    ])  # fmt: skip


def test_gdelt1_rows_become_events_between_states_and_blocs(gdelt1: Path) -> None:
    report = ImportReport()
    events = {e.doc_id: e for e in read_gdelt(gdelt1, version=1, report=report)}

    assert sorted(events) == ["gdelt1:101", "gdelt1:102", "gdelt1:105"]
    visit = events["gdelt1:101"]
    assert (visit.source.code, visit.source.country, visit.source.sector) == ("AZE", "AZE", "GOV")
    assert (visit.target.code, visit.target.sector) == ("TUR", "MIL")
    assert (visit.cameo, visit.root, visit.quad, visit.goldstein) == ("042", "04", 1, 1.9)
    assert visit.date.value == dt.date(2020, 1, 15) and visit.date.precision == "day"
    assert visit.sentence == URL
    assert (visit.dataset, visit.coder) == ("gdelt1", "gdelt/1.0")
    assert visit.source.text == "Azerbaijan"

    nato = events["gdelt1:102"]
    assert (nato.source.code, nato.source.country, nato.source.sector) == ("NATO", None, "IGO")
    assert (nato.target.code, nato.target.sector) == ("RUS", "MED")
    # No GoldsteinScale in the row: the package table's weight and PLOVER type are used.
    assert (nato.quad, nato.goldstein, nato.plover) == (3, -2.0, "ACCUSE")

    assert events["gdelt1:105"].source.code == "ROU"

    assert report.rows == 8 and report.events == 3
    assert (report.domestic, report.no_actor) == (1, 1)
    assert report.errors == [
        f"{gdelt1}:6: expected 57 or 58 tab-separated columns for GDELT 1.0, found 4",
        f"{gdelt1}:7: bad date '20200132' (expected YYYYMMDD)",
        f"{gdelt1}:8: unknown CAMEO code '999'",
    ]


def test_gdelt1_backfile_rows_have_no_source_url(tmp_path: Path) -> None:
    line = gdelt_line(GDELT1_COLUMNS[:-1], GLOBALEVENTID="7", SQLDATE="19950301",
                      Actor1CountryCode="RUS", Actor2CountryCode="UKR", EventCode="036")
    (event,) = read_gdelt(write(tmp_path / "1995.csv", [line]), version=1)
    assert (event.doc_id, event.sentence, event.date.iso()) == ("gdelt1:7", "", "1995-03-01")


def test_compressed_files_read_like_plain_ones(gdelt1: Path, tmp_path: Path) -> None:
    plain = [e.doc_id for e in read_gdelt(gdelt1)]
    gz = tmp_path / "events.CSV.gz"
    gz.write_bytes(gzip.compress(gdelt1.read_bytes()))
    packed = tmp_path / "events.CSV.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(gdelt1, "20200115.export.CSV")
    assert [e.doc_id for e in read_gdelt(gz)] == plain
    assert [e.doc_id for e in read_gdelt(packed)] == plain


# -- GDELT 2.0 --------------------------------------------------------------------------


def test_gdelt2_has_61_columns_and_its_own_ids(tmp_path: Path) -> None:
    path = write(tmp_path / "20200115000000.export.CSV", [
        gdelt_line(GDELT2_COLUMNS, GLOBALEVENTID="900", SQLDATE="20200115",
                   Actor1CountryCode="RUS", Actor1Type1Code="GOV",
                   Actor2CountryCode="AZE", Actor2Type1Code="MIL", EventCode="1712",
                   GoldsteinScale="-9.0", DATEADDED="20200115000000", SOURCEURL=URL),
        gdelt_line(GDELT2_COLUMNS, GLOBALEVENTID="901", SQLDATE="20200115",
                   Actor1KnownGroupCode="EEC", Actor2CountryCode="AZE", EventCode="0231",
                   SOURCEURL=URL),
        # a GDELT 1.0 row in a 2.0 file
        gdelt_line(GDELT1_COLUMNS, GLOBALEVENTID="902", SQLDATE="20200115",
                   Actor1CountryCode="RUS", Actor2CountryCode="AZE", EventCode="040"),
    ])  # fmt: skip
    report = ImportReport()
    first, second = read_gdelt(path, version=2, report=report)
    assert (first.doc_id, first.dataset, first.coder) == ("gdelt2:900", "gdelt2", "gdelt/2.0")
    assert (first.source.code, first.target.code, first.target.sector) == ("RUS", "AZE", "MIL")
    assert (first.cameo, first.quad, first.goldstein) == ("1712", 4, -9.0)
    assert (second.source.code, second.target.code, second.quad) == ("EU", "AZE", 1)
    assert report.errors == [
        f"{path}:3: expected 61 tab-separated columns for GDELT 2.0, found 58"
    ]


# -- ICEWS -------------------------------------------------------------------------------

ICEWS_HEADER = (
    "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\t"
    "CAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\t"
    "Sentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude"
)


def icews_line(event_id, date, source, source_sectors, source_country, text, cameo,
               target, target_sectors, target_country) -> str:  # fmt: skip
    return "\t".join([
        event_id, date, source, source_sectors, source_country, text, cameo, "0",
        target, target_sectors, target_country, "555", "3", "Trend News Agency",
        "Baku", "NA", "Baki", "Azerbaijan", "40.4", "49.9",
    ])  # fmt: skip


@pytest.fixture
def icews(tmp_path: Path) -> Path:
    return write(tmp_path / "events.2020.tab", [
        ICEWS_HEADER,
        icews_line("1", "2020-01-15", "Ilham Aliyev", "Executive,Executive Office,Government",
                   "Azerbaijan", "Make a visit", "042", "Armed Forces (Turkey)",
                   "Military,Government", "Turkey"),
        icews_line("2", "2020-01-16", "European Union", "International Government "
                   "Organization,Regional Diplomatic IGOs,Regional", "NA", "Consult", "040",
                   "Foreign Affairs (Azerbaijan)", "Executive,Foreign Ministry,Government",
                   "Azerbaijan"),
        icews_line("3", "2020-01-16", "Police (Azerbaijan)", "Police,Government", "Azerbaijan",
                   "Arrest, detain", "173", "Protester (Azerbaijan)",
                   "Protestors / Popular Opposition / Mobs", "Azerbaijan"),
        icews_line("4", "1/17/2020", "Moldova", "", "Moldova, Republic of",
                   "Host a visit", "043", "Romania", "", "Romania"),
        icews_line("5", "2020-01-17", "Azerbaijan", "", "Azerbaijan", "Consult", "40x",
                   "Turkey", "", "Turkey"),
        "6\t2020-01-17\tAzerbaijan",
    ])  # fmt: skip


def test_icews_rows_become_events(icews: Path) -> None:
    report = ImportReport()
    events = {e.doc_id: e for e in read_icews(icews, report=report)}
    assert sorted(events) == ["icews:1", "icews:2", "icews:4"]

    visit = events["icews:1"]
    assert (visit.source.code, visit.source.sector, visit.source.text) == (
        "AZE", "GOV", "Ilham Aliyev")
    assert (visit.target.code, visit.target.country, visit.target.sector) == ("TUR", "TUR", "MIL")
    assert (visit.cameo, visit.quad, visit.goldstein) == ("042", 1, 1.9)
    assert visit.date.value == dt.date(2020, 1, 15)
    assert visit.sentence == (
        "Ilham Aliyev: Make a visit: Armed Forces (Turkey) (story 555, sentence 3)")
    assert (visit.dataset, visit.coder) == ("icews", "icews/dataverse")
    assert visit.provenance == Provenance(
        publisher="Trend News Agency", place_name="Baku", place_admin="Baki",
        place_country="Azerbaijan", latitude=40.4, longitude=49.9, story_id="555")

    eu = events["icews:2"]
    assert (eu.source.code, eu.source.country, eu.source.sector) == ("EU", None, "IGO")
    assert eu.target.code == "AZE"

    moldova = events["icews:4"]  # "Moldova, Republic of" and an m/d/Y date, as in 2017
    assert (moldova.source.code, moldova.target.code) == ("MDA", "ROU")
    assert moldova.date.value == dt.date(2020, 1, 17)

    assert (report.rows, report.events, report.domestic, report.no_actor) == (6, 3, 1, 0)
    assert report.errors == [
        f"{icews}:6: unknown CAMEO code '40x'",
        f"{icews}:7: expected 20 tab-separated columns, found 3",
    ]


@pytest.mark.parametrize(
    ("sectors", "sector"),
    [
        ("Military,Government", "MIL"),
        ("Executive,Foreign Ministry,Government", "GOV"),
        ("Opposition Major Party (Out Of Government),Parties", "OPP"),
        ("Nongovernmental Organizations / Activists", "CVL"),
        ("General Population / Civilian / Social,Social", "CVL"),
        ("Media,Television Entertainment,Multinational Corporation", "MED"),
        ("Business,Multinational Corporation", "BUS"),
        # A president who owns companies: government outranks business.
        ("Executive,Social,Consumer Goods Business,Business,Government,Executive Office", "GOV"),
        ("Business,Government", "GOV"),
        ("Insurgents,Rebels", "REB"),
        ("", "GOV"),
    ],
)
def test_icews_sectors(sectors: str, sector: str) -> None:
    assert icews_sector(sectors) == sector


def test_icews_sample_head_of_state_with_business_sectors_is_government() -> None:
    events = read_icews(shared("icews_sample_2018/events.2018.sample.tab"))
    sides = [a.sector for e in events for a in (e.source, e.target) if "Poroshenko" in a.text]
    assert sides and set(sides) == {"GOV"}


def test_a_file_of_another_format_is_reported_not_read(gdelt1: Path) -> None:
    with pytest.raises(equipoise.sources.SourceError, match="not an ICEWS file"):
        list(read_dataset(gdelt1, "icews"))


# -- the store and the command line ------------------------------------------------------


def test_imported_provenance_is_stored(icews: Path, acled: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.add_dataset_events(read_icews(icews), "icews")
        store.add_dataset_events(read_acled(acled), "acled")
        frame = store.events_frame().set_index("doc_id")
    visit = frame.loc["icews:1"]
    assert (visit["publisher"], visit["place_name"], visit["place_country"]) == (
        "Trend News Agency", "Baku", "Azerbaijan")
    assert (visit["latitude"], visit["longitude"], visit["story_id"]) == (40.4, 49.9, "555")
    shelling = frame.loc["acled:UKR1001"]
    assert (shelling["place_admin"], shelling["latitude"]) == ("Donetsk", 48.5956)
    assert shelling["notes"].endswith("near Bakhmut.") and pd.isna(shelling["story_id"])


def test_importing_a_file_again_adds_nothing(icews: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add_dataset_events(read_icews(icews), "icews", source=icews) == (3, 0)
        assert store.add_dataset_events(read_icews(icews), "icews", source=icews) == (0, 3)
        frame = store.events_frame()
    assert len(frame) == 3
    assert sorted(frame["doc_id"]) == ["icews:1", "icews:2", "icews:4"]
    assert set(frame["dataset"]) == {"icews"} and frame["doc_url"].isna().all()


def test_import_command_reports_and_fails_on_bad_rows(
    gdelt1: Path, icews: Path, tmp_path: Path
) -> None:
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["import", str(gdelt1), "--format", "gdelt1",
                                      "--db", str(db)])  # fmt: skip
    assert result.exit_code == 1
    summary = " ".join(result.stdout.split())
    assert "3 events imported, 0 replaced" in summary
    assert "skipped 1 domestic and 1 with no state or bloc on a side; 3 errors" in summary
    # Each bad row is named by file and line (the console may wrap long paths).
    assert f"{gdelt1.name}:8:unknownCAMEOcode'999'" in "".join(result.output.split())

    clean = write(tmp_path / "clean.tab", icews.read_text().splitlines()[:5])
    runner = CliRunner()
    args = ["import", str(clean), "--format", "icews", "--db", str(db)]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 0
    assert "0 events imported, 3 replaced" in " ".join(again.stdout.split())
    assert CliRunner().invoke(app, ["import", str(clean), "--format", "ucdp"]).exit_code == 2


def test_align_counts_imported_events_like_coded_ones(tmp_path: Path) -> None:
    lines = [ICEWS_HEADER]
    # Azerbaijan meets Turkey six times, quarrels with Russia thrice, three days apart each
    # time so that each is its own story (equipoise.analysis.stories).
    for day in range(1, 19, 3):
        lines.append(icews_line(f"t{day}", f"2020-01-{day:02d}", "Azerbaijan", "", "Azerbaijan",
                                "Consult", "040", "Turkey", "", "Turkey"))
    for day in range(1, 10, 3):
        lines.append(icews_line(f"r{day}", f"2020-01-{day:02d}", "Azerbaijan", "", "Azerbaijan",
                                "Accuse", "112", "Russia", "", "Russian Federation"))
    db = tmp_path / "align.duckdb"
    with Store(db) as store:
        store.add_dataset_events(read_icews(write(tmp_path / "a.tab", lines)), "icews")
    table = equipoise.align("AZE", ["TUR", "RUS"], db=db, freq="month").set_index("pole")
    assert table.loc["TUR", "n_events"] == 6 and table.loc["TUR", "verbal_coop"] == 6
    assert table.loc["TUR", "n_stories"] == 6
    assert table.loc["RUS", "n_events"] == 3 and table.loc["RUS", "verbal_conflict"] == 3
    assert table.loc["TUR", "tilt"] > table.loc["RUS", "tilt"]


# -- the shared reference samples ----------------------------------------------------------


def shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"reference sample {path} not present")
    return path


def test_gdelt1_verbatim_daily_rows_read_cleanly() -> None:
    # Three real 58-column rows; none is between two states (police, companies, farmers).
    report = ImportReport()
    assert list(read_gdelt(shared("gdelt_samples/gdelt1_daily_verbatim_rows.tsv"), 1, report)) == []
    assert (report.rows, report.errors, report.no_actor) == (3, [], 3)


@pytest.mark.parametrize(("name", "version"), [
    ("gdelt_samples/events1samp_reconstructed.tsv", 1),
    ("gdelt_samples/events2samp_reconstructed.tsv", 2),
])  # fmt: skip
def test_gdelt_reconstructed_samples_read_cleanly(name: str, version: int) -> None:
    # Re-exported with a header row and, for 1.0, ISO dates: both are accepted.
    report = ImportReport()
    events = list(read_gdelt(shared(name), version, report))
    assert report.rows == 50 and report.errors == []
    assert 5 <= len(events) <= 25  # most rows have a non-state actor on one side
    assert report.events + report.domestic + report.no_actor == 50
    assert all(e.source.code != e.target.code for e in events)


def test_icews_sample_reads_cleanly_with_plausible_counts() -> None:
    report = ImportReport()
    events = list(read_icews(shared("icews_sample_2018/events.2018.sample.tab"), report))
    assert report.rows == 3705 and report.errors == []
    # About half the events are domestic; a few have no state or bloc (regions, companies).
    assert 1500 <= len(events) <= 2300 and 1200 <= report.domestic <= 2000
    assert {e.date.value for e in events} <= {dt.date(2018, 6, 1), dt.date(2018, 6, 2)}
    armenia = [e for e in events if e.doc_id == "icews:32887138"]
    assert [(e.source.code, e.target.code, e.cameo) for e in armenia] == [("ARM", "RUS", "036")]
    # Every event keeps its story and publisher; nearly all a place with coordinates.
    kept = [e.provenance for e in events if e.provenance is not None]
    assert len(kept) == len(events)
    assert all(p.story_id and p.story_id.isdigit() and p.publisher for p in kept)
    placed = [p for p in kept if p.latitude is not None and p.longitude is not None]
    assert len(placed) >= 0.9 * len(kept)
    assert all(-90 <= p.latitude <= 90 and -180 <= p.longitude <= 180 and p.place_country
               for p in placed)  # type: ignore[operator]  # fmt: skip


# -- POLECAT -----------------------------------------------------------------------------

# The Dataverse weekly files' header (2018-2022 archive layout); later files call Intensity
# "Event Intensity" and add story fields such as Headline and Event Text.
POLECAT_COLUMNS = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors",
    "Actor Title", "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name",
    "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City",
    "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename",
    "Feature Type", "Source", "Publication Date", "Story People", "Story Organizations",
    "Story Locations", "Language", "Version",
)  # fmt: skip
POLECAT_TEXT_COLUMNS = (*POLECAT_COLUMNS, "Headline", "Event Text")


def polecat_line(columns: tuple[str, ...] = POLECAT_TEXT_COLUMNS, **values: str) -> str:
    """One POLECAT row: named columns (spaces as underscores) filled in, the rest "None"."""
    values = {name.replace("_", " "): value for name, value in values.items()}
    unknown = set(values) - set(columns)
    assert not unknown, unknown
    return "\t".join(values.get(name, "None") for name in columns)


@pytest.fixture
def polecat(tmp_path: Path) -> Path:
    row = polecat_line
    return write(tmp_path / "ngecEvents.20230103111842.Release603.DV.txt", [
        "\t".join(POLECAT_TEXT_COLUMNS),
        # 1: Azerbaijan's president meets Turkey's foreign ministry (ISO3 countries)
        row(Event_ID="a1_1", Event_Date="2023-01-02", Event_Type="CONSULT", Event_Mode="visit",
            Actor_Name="Ilham Aliyev", Actor_Country="AZE", Primary_Actor_Sector="GOV",
            Recipient_Name="Mevlut Cavusoglu", Recipient_Country="TUR",
            Primary_Recipient_Sector="GOV", Event_Text="Aliyev received Cavusoglu in Baku.",
            Placename="Baku", City="Baku", Province="Baku", Country="Azerbaijan",
            Latitude="40.37767", Longitude="49.89201", Source="Azertac"),
        # 2: Russian troops fire on Ukrainian soldiers: ASSAULT with a military mode
        row(Event_ID="a2_1", Event_Date="2023-01-03", Event_Type="assault",
            Event_Mode="firearms", Actor_Name="Russian Armed Forces", Actor_Country="RUS",
            Primary_Actor_Sector="MIL", Recipient_Name="Ukrainian Armed Forces",
            Recipient_Country="UKR", Primary_Recipient_Sector="MIL", Headline="Clashes",
            Placename="Shyrokyne", Latitude="n/a", Longitude="37.6"),
        # 3: the EU (no country) requests something of Azerbaijan; countries given by name
        row(Event_ID="a3_1", Event_Date="2023-01-03", Event_Type="REQUEST",
            Actor_Name="European Union", Recipient_Name="Azerbaijan",
            Recipient_Country="Azerbaijan"),
        # 4: domestic; 5: a company with no country on one side
        row(Event_ID="a4_1", Event_Date="2023-01-04", Event_Type="COERCE", Event_Mode="arrest",
            Actor_Name="Police", Actor_Country="AZE", Primary_Actor_Sector="COP",
            Recipient_Name="Activists", Recipient_Country="AZE"),
        row(Event_ID="a5_1", Event_Date="2023-01-04", Event_Type="AGREE",
            Actor_Name="BP", Recipient_Name="Azerbaijan", Recipient_Country="AZE"),
        # 6: CONCEDE, several recipient countries (the first is taken)
        row(Event_ID="a6_1", Event_Date="2023-01-05", Event_Type="CONCEDE",
            Actor_Name="Armenia", Actor_Country="ARM", Recipient_Name="Azerbaijan;Russia",
            Recipient_Country="AZE;RUS"),
        # 7: an event type PLOVER does not have; 8: a bad date; 9: a line cut short
        row(Event_ID="a7_1", Event_Date="2023-01-05", Event_Type="PRAISE",
            Actor_Country="AZE", Recipient_Country="TUR"),
        row(Event_ID="a8_1", Event_Date="2023-13-05", Event_Type="AGREE",
            Actor_Country="AZE", Recipient_Country="TUR"),
        "a9_1\t2023-01-05\tAGREE",
    ])  # fmt: skip


def test_polecat_rows_become_events(polecat: Path) -> None:
    report = ImportReport()
    events = {e.doc_id: e for e in read_polecat(polecat, report=report)}
    assert sorted(events) == ["polecat:a1_1", "polecat:a2_1", "polecat:a3_1", "polecat:a6_1"]

    visit = events["polecat:a1_1"]
    assert (visit.source.code, visit.source.sector, visit.source.text) == (
        "AZE", "GOV", "Ilham Aliyev")
    assert (visit.target.code, visit.target.country) == ("TUR", "TUR")
    assert (visit.cameo, visit.quad, visit.plover, visit.goldstein) == ("042", 1, "CONSULT", 1.9)
    assert visit.date.value == dt.date(2023, 1, 2) and visit.date.precision == "day"
    assert visit.sentence == "Aliyev received Cavusoglu in Baku."
    assert (visit.dataset, visit.coder) == ("polecat", "polecat/dataverse")
    assert visit.provenance == Provenance(
        publisher="Azertac", place_name="Baku", place_admin="Baku", place_country="Azerbaijan",
        latitude=40.37767, longitude=49.89201)

    clash = events["polecat:a2_1"]
    assert (clash.source.sector, clash.target.sector) == ("MIL", "MIL")
    assert (clash.cameo, clash.root, clash.quad, clash.plover) == ("193", "19", 4, "ASSAULT")
    assert clash.sentence == "Clashes"  # no event text: the headline
    assert clash.provenance is not None and clash.provenance.notes == "Clashes"
    # "None" is no value, and coordinates that are not numbers are none.
    assert clash.provenance.place_name == "Shyrokyne" and clash.provenance.latitude is None
    assert clash.provenance.publisher is None

    eu = events["polecat:a3_1"]
    assert (eu.source.code, eu.source.country, eu.source.sector) == ("EU", None, "IGO")
    assert (eu.target.code, eu.target.sector) == ("AZE", "GOV")
    # REQUEST is stored as CAMEO 020 but keeps PLOVER's quad class, verbal conflict.
    assert (eu.cameo, eu.quad, eu.plover) == ("020", 3, "REQUEST")

    concede = events["polecat:a6_1"]
    assert (concede.target.code, concede.cameo, concede.quad) == ("AZE", "080", 1)

    assert (report.rows, report.events, report.domestic, report.no_actor) == (9, 4, 1, 1)
    assert report.errors == [
        f"{polecat}:8: unknown PLOVER event type 'PRAISE'",
        f"{polecat}:9: bad date '2023-13-05' (expected YYYY-MM-DD)",
        f"{polecat}:10: expected 42 tab-separated columns, found 3",
    ]


def test_polecat_archive_header_without_text_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "ngecEventsDV-2022.txt", [
        "\t".join(POLECAT_COLUMNS),
        polecat_line(POLECAT_COLUMNS, Event_ID="b1", Event_Date="2022-02-24",
                     Event_Type="SANCTION", Event_Mode="discontinue",
                     Actor_Name="European Union", Recipient_Country="Russian Federation",
                     Recipient_Name="Russia", Recipient_Sectors="Government;Executive"),
    ])  # fmt: skip
    (event,) = read_dataset(path, "polecat")
    assert (event.source.code, event.target.code, event.target.sector) == ("EU", "RUS", "GOV")
    assert (event.cameo, event.quad, event.sentence) == ("162", 4, "")


def test_every_plover_type_maps_to_a_cameo_code_of_a_fitting_root() -> None:
    roots = {"AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "CONCEDE": "08",
             "COOPERATE": "06", "AID": "07", "RETREAT": "08", "REQUEST": "02",
             "ACCUSE": "11", "REJECT": "12", "THREATEN": "13", "PROTEST": "14",
             "SANCTION": "16", "MOBILIZE": "15", "COERCE": "17", "ASSAULT": "18"}  # fmt: skip
    for kind, root in roots.items():
        assert plover_to_cameo(kind)[:2] == root, kind
    assert plover_to_cameo("ASSAULT", "heavy-weapons") == "194"
    assert plover_to_cameo("PROTEST", "riot") == "145"
    assert plover_to_cameo("COERCE", "no-such-mode") == "170"
    with pytest.raises(ValueError, match="unknown PLOVER event type"):
        plover_to_cameo("PRAISE")


@pytest.mark.parametrize(
    ("primary", "sectors", "sector"),
    [
        ("MIL", "", "MIL"),
        ("COP", "", "GOV"),
        ("", "GOV;MIL", "MIL"),
        ("Military", "", "MIL"),
        ("Government", "", "GOV"),
        ("Rebels", "", "REB"),
        ("", "", "GOV"),
    ],
)
def test_polecat_sectors(primary: str, sectors: str, sector: str) -> None:
    assert plover_sector(primary, sectors) == sector


# -- ACLED -------------------------------------------------------------------------------

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip


def acled_line(**values: str) -> str:
    unknown = set(values) - set(ACLED_COLUMNS)
    assert not unknown, unknown
    cells = (values.get(name, "") for name in ACLED_COLUMNS)
    return ",".join(f'"{c}"' if "," in c or "\n" in c else c for c in cells)


@pytest.fixture
def acled(tmp_path: Path) -> Path:
    row = acled_line
    return write(tmp_path / "acled-export.csv", [
        ",".join(ACLED_COLUMNS),
        # 1: Russian forces shell Ukrainian forces (numeric inter codes, API dates)
        row(event_id_cnty="UKR1001", event_date="2023-02-16", event_type="Explosions/Remote "
            "violence", sub_event_type="Shelling/artillery/missile attack",
            actor1="Military Forces of Russia (2000-)", inter1="8",
            actor2="Military Forces of Ukraine (2019-)", inter2="1",
            notes="On 16 February 2023, Russian forces shelled positions,\nnear Bakhmut.",
            country="Ukraine", admin1="Donetsk", location="Bakhmut", latitude="48.5956",
            longitude="38.0003", source="Ukrainska Pravda"),
        # 2: Azerbaijani and Armenian forces clash (text inter labels, Export Tool date)
        row(event_id_cnty="AZE55", event_date="13 September 2022", event_type="Battles",
            sub_event_type="Armed clash", actor1="Military Forces of Azerbaijan (2003-)",
            inter1="State forces", actor2="Military Forces of Armenia (2018-)",
            inter2="State forces", notes="Clashes on the border."),
        # 3: protesters in Armenia against Russia's embassy: a state only through assoc actors
        row(event_id_cnty="ARM77", event_date="2023-03-01", event_type="Protests",
            sub_event_type="Peaceful protest", actor1="Protesters (Armenia)", inter1="6",
            actor2="Government of Russia (2000-)", assoc_actor_2="", inter2="1"),
        # 4: domestic violence against civilians; 5: rebels with no state
        row(event_id_cnty="AZE56", event_date="2023-03-02",
            event_type="Violence against civilians", sub_event_type="Attack",
            actor1="Police Forces of Azerbaijan (2003-)", inter1="1",
            actor2="Civilians (Azerbaijan)", inter2="7"),
        row(event_id_cnty="SYR9", event_date="2023-03-02", event_type="Battles",
            sub_event_type="Armed clash", actor1="Hayat Tahrir al Sham", inter1="2",
            actor2="Military Forces of Turkey (2016-)", inter2="8"),
        # 6: a strategic development with no CAMEO equivalent; 7: an agreement
        row(event_id_cnty="UKR1002", event_date="2023-03-03",
            event_type="Strategic developments", sub_event_type="Disrupted weapons use",
            actor1="Military Forces of Ukraine (2019-)", inter1="1",
            actor2="Military Forces of Russia (2000-)", inter2="8"),
        row(event_id_cnty="UKR1003", event_date="2023-03-04",
            event_type="Strategic developments", sub_event_type="Agreement",
            actor1="Government of Ukraine (2019-)", inter1="1",
            actor2="Government of Russia (2000-)", inter2="1",
            assoc_actor_2="UN: United Nations"),
        # 8: a bad date; 9: an unknown event type; 10: a row cut short
        row(event_id_cnty="UKR1004", event_date="2023-02-30", event_type="Battles",
            sub_event_type="Armed clash", actor1="Military Forces of Russia (2000-)",
            actor2="Military Forces of Ukraine (2019-)"),
        row(event_id_cnty="UKR1005", event_date="2023-03-05", event_type="Skirmish",
            actor1="Military Forces of Russia (2000-)",
            actor2="Military Forces of Ukraine (2019-)"),
        "UKR1006,2023-03-05,2023",
    ])  # fmt: skip


def test_acled_rows_between_states_become_events(acled: Path) -> None:
    report = ImportReport()
    events = {e.doc_id: e for e in read_acled(acled, report=report)}
    assert sorted(events) == ["acled:ARM77", "acled:AZE55", "acled:UKR1001", "acled:UKR1003"]

    shelling = events["acled:UKR1001"]
    assert (shelling.source.code, shelling.source.sector) == ("RUS", "MIL")
    assert (shelling.target.code, shelling.target.country, shelling.target.sector) == (
        "UKR", "UKR", "MIL")
    assert (shelling.cameo, shelling.quad, shelling.plover) == ("194", 4, "ASSAULT")
    assert shelling.source.text == "Military Forces of Russia (2000-)"
    assert shelling.sentence.endswith("shelled positions,\nnear Bakhmut.")
    assert (shelling.dataset, shelling.coder) == ("acled", "acled/export")
    assert shelling.provenance == Provenance(
        publisher="Ukrainska Pravda", place_name="Bakhmut", place_admin="Donetsk",
        place_country="Ukraine", latitude=48.5956, longitude=38.0003,
        notes="On 16 February 2023, Russian forces shelled positions,\nnear Bakhmut.")

    clash = events["acled:AZE55"]
    assert (clash.source.code, clash.target.code, clash.cameo) == ("AZE", "ARM", "193")
    assert clash.date.value == dt.date(2022, 9, 13)

    protest = events["acled:ARM77"]
    assert (protest.source.code, protest.source.sector, protest.target.code) == (
        "ARM", "CVL", "RUS")
    assert (protest.cameo, protest.quad) == ("141", 4)

    agreement = events["acled:UKR1003"]
    assert (agreement.cameo, agreement.quad, agreement.target.code) == ("057", 1, "RUS")

    assert (report.rows, report.events) == (10, 4)
    assert (report.domestic, report.no_actor, report.unmapped) == (1, 1, 1)
    assert report.errors == [
        f"{acled}:10: bad date '2023-02-30' (expected YYYY-MM-DD or '16 February 2023')",
        f"{acled}:11: unknown ACLED event type 'Skirmish'",
        f"{acled}:12: expected 31 comma-separated columns, found 3",
    ]


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("Military Forces of Russia (2000-)", "RUS"),
        ("Military Forces of the United States (2021-)", "USA"),
        ("Police Forces of Kenya (2022-) Prison Guards", "KEN"),
        ("Civilians (Ukraine)", "UKR"),
        ("Protesters (International)", None),
        ("Hamas Movement", None),
    ],
)
def test_acled_actor_countries(name: str, iso: str | None) -> None:
    assert acled_country(name) == iso


def test_acled_event_types_map_to_cameo() -> None:
    assert acled_cameo("Battles", "Non-state actor overtakes territory") == "190"
    assert acled_cameo("Explosions/Remote violence", "Air/drone strike") == "195"
    assert acled_cameo("Riots", "Mob violence") == "145"
    assert acled_cameo("Strategic developments", "Arrests") == "173"
    assert acled_cameo("Strategic developments", "Headquarters or base established") is None


def test_import_command_reads_polecat_and_acled(
    polecat: Path, acled: Path, tmp_path: Path
) -> None:
    db = tmp_path / "new.duckdb"
    clean = write(tmp_path / "clean.txt", polecat.read_text().splitlines()[:7])
    result = CliRunner().invoke(app, ["import", str(clean), "--format", "polecat",
                                      "--db", str(db)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "4 events imported" in " ".join(result.stdout.split())
    result = CliRunner().invoke(app, ["import", str(acled), "--format", "acled",
                                      "--db", str(db)])  # fmt: skip
    assert result.exit_code == 1
    assert "4 events imported" in " ".join(result.stdout.split())
    with Store(db) as store:
        frame = store.events_frame()
    assert sorted(frame.groupby("dataset").size().items()) == [("acled", 4), ("polecat", 4)]


# -- bad input: implausible values, damaged files, repeated ids ---------------------------


def visit(event_id: str, day: str = "20200115", **values: str) -> str:
    """A GDELT 1.0 row: Azerbaijan's government visits Turkey."""
    return gdelt_line(GDELT1_COLUMNS, GLOBALEVENTID=event_id, SQLDATE=day,
                      Actor1CountryCode="AZE", Actor2CountryCode="TUR", EventCode="042",
                      SOURCEURL=URL, **values)  # fmt: skip


@pytest.mark.parametrize("scale", ["inf", "-inf", "nan", "1e300", "55", "-10.5", "strong"])
def test_a_goldstein_weight_that_is_not_a_number_within_ten_is_a_row_error(
    tmp_path: Path, scale: str
) -> None:
    path = write(tmp_path / "g.csv", [visit("1", GoldsteinScale=scale), visit("2")])
    report = ImportReport()
    assert [e.doc_id for e in read_gdelt(path, 1, report)] == ["gdelt1:2"]
    assert report.errors == [f"{path}:1: Goldstein weight {scale!r} " + (
        "is not a number" if scale == "strong" else "is outside -10..10")]


def test_event_dates_outside_the_plausible_range_are_row_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", [visit("1", "00010101"), visit("2", "99991231"),
                                      visit("3", "18991231"), visit("4")])  # fmt: skip
    report = ImportReport()
    assert [e.doc_id for e in read_gdelt(path, 1, report)] == ["gdelt1:3", "gdelt1:4"]
    assert report.errors[0] == (
        f"{path}:1: event date 0001-01-01 is outside the accepted range 1800-01-01 to "
        f"{one_year_after(dt.date.today())}"
    )
    assert len(report.errors) == 2
    # The range is the caller's to set.
    since_1900 = DateRange(earliest=dt.date(1900, 1, 1), latest=dt.date(2030, 1, 1))
    assert [e.doc_id for e in read_dataset(path, "gdelt1", dates=since_1900)] == ["gdelt1:4"]


def test_every_dataset_reader_checks_the_date_range(
    icews: Path, polecat: Path, acled: Path, tmp_path: Path
) -> None:
    narrow = DateRange(earliest=dt.date(2030, 1, 1))
    for path, fmt in ((icews, "icews"), (polecat, "polecat"), (acled, "acled")):
        report = ImportReport()
        assert list(read_dataset(path, fmt, report, dates=narrow)) == []
        assert any("outside the accepted range 2030-01-01" in e for e in report.errors), fmt


def test_a_record_id_repeated_within_a_file_gives_one_event_and_a_count(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", [visit("1"), visit("2"), visit("1", "20200116")])
    report = ImportReport()
    events = list(read_gdelt(path, 1, report))
    assert [(e.doc_id, e.date.iso()) for e in events] == [
        ("gdelt1:1", "2020-01-15"), ("gdelt1:2", "2020-01-15")]
    assert (report.rows, report.events, report.duplicates, report.errors) == (3, 2, 1, [])


def test_nul_bytes_and_control_characters_in_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", [visit("1"), visit("2").replace("AZE", "AZ\0E", 1),
                                      visit("3") + "x\x1b[31m\u202ey"])
    report = ImportReport()
    events = {e.doc_id: e for e in read_gdelt(path, 1, report)}
    assert sorted(events) == ["gdelt1:1", "gdelt1:3"]
    assert report.errors == [f"{path}:2: NUL byte in the row"]
    assert events["gdelt1:3"].sentence == URL + "x[31my"


def test_damaged_archives_are_one_clean_error_each(gdelt1: Path, tmp_path: Path) -> None:
    data = gdelt1.read_bytes()
    packed = gzip.compress(data)
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    flipped = tmp_path / "flipped.csv.gz"
    flipped.write_bytes(packed[:40] + bytes([packed[40] ^ 0xFF]) + packed[41:])
    not_gzip = tmp_path / "plain.csv.gz"
    not_gzip.write_bytes(data)
    zipped = tmp_path / "bad.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("events.csv", data)
    raw = zipped.read_bytes()
    broken_zip = tmp_path / "broken.zip"
    broken_zip.write_bytes(raw[:60] + b"\0" * 20 + raw[80:])
    garbage_zip = tmp_path / "garbage.zip"
    garbage_zip.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    for path in (cut, flipped, not_gzip, broken_zip, garbage_zip):
        with pytest.raises(equipoise.sources.SourceError) as caught:
            list(read_gdelt(path))
        assert caught.value.path == str(path) and caught.value.line is None


def test_a_file_that_expands_beyond_reason_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.csv.gz"
    bomb.write_bytes(gzip.compress((b" " * 1023 + b"\n") * (80 << 10)))
    with pytest.raises(equipoise.sources.SourceError, match="expands to more than 100 times"):
        list(read_gdelt(bomb))


def test_a_line_without_end_is_reported_not_read_into_memory(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(visit("1") + "\n" + "x" * (2 << 20) + "\n" + visit("2") + "\n")
    report = ImportReport()
    assert [e.doc_id for e in read_gdelt(path, 1, report)] == ["gdelt1:1", "gdelt1:2"]
    assert report.errors == [f"{path}:2: line too long (2,097,153 characters; limit 1,048,576)"]


def test_an_unclosed_quote_in_acled_notes_costs_only_its_own_row(tmp_path: Path) -> None:
    def clash(event_id: str, notes: str) -> str:
        return acled_line(event_id_cnty=event_id, event_date="2022-09-13", event_type="Battles",
                          sub_event_type="Armed clash", actor1="Military Forces of Azerbaijan",
                          inter1="1", actor2="Military Forces of Armenia", inter2="1",
                          notes=notes)  # fmt: skip

    rows = [clash(f"AZE{i}", f"Shelling near the border, day {i}.") for i in range(1, 7)]
    rows[1] = rows[1].replace('."', ".")  # the notes' quote is never closed
    rows[3] = clash("AZE4", "Two reports:\nshelling at night, then calm.")
    path = write(tmp_path / "acled.csv", [",".join(ACLED_COLUMNS), *rows])
    report = ImportReport()
    events = [e.doc_id for e in read_acled(path, report)]
    assert events == ["acled:AZE1", "acled:AZE3", "acled:AZE4", "acled:AZE5", "acled:AZE6"]
    assert len(report.errors) == 1 and report.errors[0].startswith(f"{path}:3: ")
    assert "unclosed quote" in report.errors[0]


def test_only_regular_files_are_imported(tmp_path: Path) -> None:
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: outcome.extend(_raised(read_gdelt, fifo)))
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "reading a FIFO must not block"
    assert "not a regular file (a FIFO)" in str(outcome[0])


def _raised(read, path: Path) -> list[BaseException]:
    try:
        list(read(path))
    except equipoise.sources.SourceError as exc:
        return [exc]
    return []


def test_an_import_that_fails_halfway_stores_nothing_and_says_so(tmp_path: Path) -> None:
    lines = [visit(str(i)) for i in range(1, 3001)]
    packed = gzip.compress(("\n".join(lines) + "\n").encode())
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(packed[: int(len(packed) * 0.8)])
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        report = ImportReport()
        with pytest.raises(equipoise.sources.SourceError):
            store.add_dataset_events(read_gdelt(cut, 1, report), "gdelt1", chunk_size=500)
        assert report.events > 1000  # rows were read, and chunks written, before the damage
        assert store.stats()["events"] == 0

    result = CliRunner().invoke(app, ["import", str(cut), "--format", "gdelt1", "--db", str(db)])
    assert result.exit_code == 1
    summary = " ".join(result.stdout.split())
    assert "0 events imported" in summary and "1 file(s) not imported" in summary
    assert "nothing imported from this file" in " ".join(result.output.split())
    assert "Traceback" not in result.output
    with Store(db, read_only=True) as store:
        assert store.stats()["events"] == 0


def test_import_summary_counts_repeated_ids_and_matches_the_store(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", [visit("1"), visit("2"), visit("1"), visit("2"),
                                      visit("3")])  # fmt: skip
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["import", str(path), "--format", "gdelt1", "--db", str(db)])
    assert result.exit_code == 0, result.output
    summary = " ".join(result.stdout.split())
    assert "3 events imported, 0 replaced" in summary
    assert "2 repeating a record id" in summary
    with Store(db, read_only=True) as store:
        assert store.stats()["events"] == 3


def test_import_errors_are_printed_as_text_not_console_markup(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", [visit("1", "[/red]"), visit("2")])
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["import", str(path), "--format", "gdelt1", "--db", str(db)])
    assert result.exit_code == 1
    assert "bad date '[/red]'" in result.output


def test_the_store_keeps_one_row_per_record_id_given_twice(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", [visit("1"), visit("2")])
    first, second = read_gdelt(path)
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add_dataset_events([first, second, first], "gdelt1") == (2, 1)
        assert store.stats()["events"] == 2


def test_a_header_repeating_a_column_name_reads_the_first_and_counts_every_column(
    polecat: Path, acled: Path, tmp_path: Path
) -> None:
    lines = polecat.read_text().splitlines()
    repeated = write(tmp_path / "p.txt", [lines[0] + "\tEvent Text", lines[1] + "\tlater"])
    report = ImportReport()
    (event,) = read_polecat(repeated, report)
    assert event.sentence == "Aliyev received Cavusoglu in Baku."
    # A row one column short is an error, not a read past its end.
    report = ImportReport()
    assert list(read_polecat(write(tmp_path / "q.txt", [lines[0] + "\tEvent Text", lines[1]]),
                             report)) == []  # fmt: skip
    assert report.errors[0].endswith("expected 43 tab-separated columns, found 42")
    rows = acled.read_text().splitlines()
    clash = next(row for row in rows if row.startswith("AZE55"))
    report = ImportReport()
    short = write(tmp_path / "a.csv", [rows[0] + ",notes", clash])
    list(read_acled(short, report))
    assert report.errors[0].endswith("expected 32 comma-separated columns, found 31")


def test_blank_lines_before_the_header_are_passed_over(icews: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "i.tab", ["", "  ", *icews.read_text().splitlines()])
    assert [e.doc_id for e in read_icews(path)] == ["icews:1", "icews:2", "icews:4"]
