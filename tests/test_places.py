"""Where events took place: the places table, the report's map and the dashboard's endpoints.

The store is built from a small ICEWS file written here (imported records carry a place
and coordinates) and, for the report without a map, from coded events (which carry none).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import equipoise
from equipoise import api
from equipoise.analysis.places import places
from equipoise.outputs import maps
from equipoise.outputs.report import render_report
from equipoise.records import Document
from equipoise.sources.datasets import ICEWS_COLUMNS
from equipoise.sources.importing import import_file
from equipoise.store import Store
from equipoise.store.db import PROVENANCE_COLUMNS, SCHEMA_VERSION
from factories import record_event

BAKU = ("Baku", "Baki", "Azerbaijan", "40.4093", "49.8671")
ANKARA = ("Ankara", "Ankara", "Turkey", "39.9199", "32.8543")
MOSCOW = ("Moscow", "Moskva", "Russian Federation", "55.7522", "37.6156")


def icews_row(event_id: int, source: str, target: str, cameo: str, place: tuple[str, ...],
              day: str = "2020-03-02") -> str:  # fmt: skip
    """One ICEWS row between two states' governments, with its publisher and place."""
    city, province, country, lat, lon = place
    cells = {
        "Event ID": str(event_id), "Event Date": day, "Source Name": source,
        "Source Sectors": "Government", "Source Country": source, "Event Text": "Event",
        "CAMEO Code": cameo, "Intensity": "1", "Target Name": target,
        "Target Sectors": "Government", "Target Country": target, "Story ID": f"9{event_id}",
        "Sentence Number": "1", "Publisher": "Example Wire", "City": city, "District": "NA",
        "Province": province, "Country": country, "Latitude": lat, "Longitude": lon,
    }  # fmt: skip
    return "\t".join(cells[name] for name in ICEWS_COLUMNS)


def build_located_store(folder: Path) -> Path:
    """A store of ten ICEWS events with Azerbaijan, seven of them with coordinates."""
    rows = [
        # Baku: three cooperative events and one conflict with Turkey and Russia.
        icews_row(1, "Azerbaijan", "Turkey", "042", BAKU),
        icews_row(2, "Turkey", "Azerbaijan", "043", BAKU),
        icews_row(3, "Azerbaijan", "Russian Federation", "036", BAKU),
        icews_row(4, "Russian Federation", "Azerbaijan", "112", BAKU),
        # Ankara: two; Moscow: one material conflict.
        icews_row(5, "Azerbaijan", "Turkey", "061", ANKARA),
        icews_row(6, "Turkey", "Azerbaijan", "042", ANKARA),
        icews_row(7, "Russian Federation", "Azerbaijan", "173", MOSCOW),
        # No coordinates: counted among the events, on no place.
        icews_row(8, "Azerbaijan", "Turkey", "042", ("NA", "NA", "NA", "NA", "NA")),
        # Another pair, and a date outside the window of one test.
        icews_row(9, "Georgia", "Turkey", "042", ANKARA),
        icews_row(10, "Azerbaijan", "Turkey", "042", ANKARA, day="2021-06-01"),
    ]
    path = folder / "events.tab"
    path.write_text("\n".join(["\t".join(ICEWS_COLUMNS), *rows]) + "\n", encoding="utf-8")
    db = folder / "located.duckdb"
    with Store(db) as store:
        report = import_file(store, path, "icews")
    assert report.errors == [] and report.added == 10
    return db


@pytest.fixture(scope="module")
def located_db(tmp_path_factory) -> Path:
    return build_located_store(tmp_path_factory.mktemp("places"))


@pytest.fixture(scope="module")
def coded_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("coded") / "coded.duckdb"
    doc = Document.from_text("Aliyev met Erdogan in Ankara.", published=dt.date(2020, 3, 2))
    events = [record_event(doc, "AZE", "TUR", dt.date(2020, 3, 2), quad=1, start=0,
                           sentence=doc.text, coder="test-0")]  # fmt: skip
    with Store(db) as store:
        store.add_document(doc)
        store.replace_events(doc.id, "test-0", events)
    return db


def test_places_count_events_by_place_and_quad(located_db: Path) -> None:
    found = api.locate("AZE", ["TUR", "RUS"], db=located_db, end="2020-12-31")
    assert (found.events, found.located) == (8, 7)
    table = equipoise.places("AZE", ["TUR", "RUS"], db=located_db, end="2020-12-31")
    pd.testing.assert_frame_equal(table, found.table)
    got = {row["place"]: row for row in table.to_dict("records")}
    assert list(table["place"]) == ["Baku", "Ankara", "Moscow"]  # most events first
    baku = got["Baku"]
    assert (baku["latitude"], baku["longitude"], baku["n_events"]) == (40.41, 49.87, 4)
    assert (baku["verbal_coop"], baku["verbal_conflict"], baku["quad"]) == (3, 1, 1)
    assert (got["Ankara"]["n_events"], got["Ankara"]["material_coop"]) == (2, 1)
    assert (got["Moscow"]["material_conflict"], got["Moscow"]["quad"]) == (1, 4)


def test_an_event_counted_for_two_poles_is_one_event_at_its_place() -> None:
    one = {"doc_id": "icews:1", "sent_start": 0, "source": "AZE", "target": "TUR",
           "cameo": "042", "event_date": "2020-01-01", "quad": 1, "latitude": 40.4,
           "longitude": 49.9, "place_name": "Baku"}  # fmt: skip
    frame = pd.DataFrame([one | {"pole": "TUR"}, one | {"pole": "NATO"},
                          one | {"doc_id": "icews:2", "quad": 3, "latitude": 40.401},
                          one | {"doc_id": "icews:3", "quad": 3, "place_name": None}])  # fmt: skip
    table = places(frame)
    (row,) = table.to_dict("records")
    # 40.4 and 40.401 are one place; two events of quad 3 outnumber one of quad 1.
    assert (row["n_events"], row["verbal_coop"], row["verbal_conflict"]) == (3, 1, 2)
    assert (row["quad"], row["place"]) == (3, "Baku")
    assert places(frame.drop(columns=["latitude"])).empty


def test_the_report_has_a_map_when_events_have_coordinates(located_db: Path) -> None:
    result = api.analyse("AZE", ["TUR", "RUS"], db=located_db, end="2020-12-31",
                         freq="year", changepoints=False)  # fmt: skip
    html = render_report(result.alignment, result.events, "AZE", ["TUR", "RUS"])
    section = re.search(r'<section class="card" id="places".*?</section>', html, re.S)
    assert section is not None and 'href="#places"' in html
    circles = re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([\d.]+)" fill="(#\w+)"',
                         section.group())  # fmt: skip
    # One circle per place, the largest first, at tenths of a degree (y to the south).
    assert [(x, y) for x, y, _, _ in circles] == [
        ("498.7", "-404.1"), ("328.5", "-399.2"), ("376.2", "-557.5")]
    radii = [float(r) for _, _, r, _ in circles]
    assert radii[0] == maps.MAX_RADIUS and radii[0] > radii[1] > radii[2]
    assert circles[2][3] == maps.QUAD_COLOURS[4]  # Moscow: material conflict
    assert "7 of 8 events have a place" in " ".join(section.group().split())
    assert section.group().count("<path d=") == len(maps.outlines()) > 150
    assert "Baku: 4 events (3 verbal cooperation, 1 verbal conflict)" in section.group()


def test_the_report_has_no_map_without_coordinates(coded_db: Path) -> None:
    result = api.analyse("AZE", ["TUR"], db=coded_db, freq="year",
                         changepoints=False)  # fmt: skip
    assert len(result.events) == 1
    html = render_report(result.alignment, result.events, "AZE", ["TUR"])
    assert 'id="places"' not in html and "place-map" not in html


def test_event_listings_carry_the_provenance(located_db: Path) -> None:
    events = equipoise.load_events("AZE", ["TUR"], db=located_db)
    assert set(PROVENANCE_COLUMNS) <= set(events.columns)
    first = events.set_index("doc_id").loc["icews:1"]
    assert (first["publisher"], first["story_id"], first["place_admin"]) == (
        "Example Wire", "91", "Baki")


# --------------------------------------------------------------------------- the server


@pytest.fixture(scope="module")
def client(located_db: Path):
    from equipoise.outputs.server import create_app

    with warnings.catch_warnings():  # starlette's note about its httpx transport
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with TestClient(create_app(located_db), base_url="http://127.0.0.1") as opened:
        yield opened


def test_places_endpoint_returns_the_points(client, located_db: Path) -> None:
    answer = client.get("/api/places", params={"focal": "aze", "poles": "TUR,RUS",
                                               "end": "2020-12-31"})  # fmt: skip
    assert answer.status_code == 200
    body = answer.json()
    assert (body["focal"], body["poles"], body["events"], body["located"]) == (
        "AZE", ["TUR", "RUS"], 8, 7)
    assert body["colours"] == {str(q): c for q, c in maps.QUAD_COLOURS.items()}
    expected = equipoise.places("AZE", ["TUR", "RUS"], db=located_db, end="2020-12-31")
    assert [(p["place"], p["latitude"], p["longitude"], p["n_events"], p["quad"])
            for p in body["places"]] == list(expected[
                ["place", "latitude", "longitude", "n_events", "quad"]].itertuples(index=False,
                                                                                  name=None))


def test_places_endpoint_refuses_what_other_endpoints_refuse(client) -> None:
    assert client.get("/api/places", params={"focal": "AZE"}).status_code == 422
    bad = client.get("/api/places", params={"focal": "AZE", "poles": "TUR", "zoom": "3"})
    assert bad.status_code == 422 and "zoom" in bad.text
    unknown = client.get("/api/places", params={"focal": "AZE", "poles": "XQZ"})
    assert unknown.status_code == 422 and "XQZ" in unknown.json()["detail"]
    empty = client.get("/api/places", params={"focal": "AZE", "poles": "TUR",
                                              "start": "2019-01-01", "end": "2019-12-31"})
    assert empty.status_code == 200 and empty.json()["places"] == []


def test_outlines_endpoint_gives_the_countries(client) -> None:
    answer = client.get("/api/outlines")
    assert answer.status_code == 200 and "max-age" in answer.headers["cache-control"]
    body = answer.json()
    assert body["view_box"] == maps.VIEW_BOX
    names = {c["name"]: c for c in body["outlines"]}
    assert names["Azerbaijan"]["iso"] == "AZE" and names["Azerbaijan"]["d"].startswith("M")
    assert "Antarctica" not in names and len(names) > 150


def test_the_outlines_are_the_shipped_natural_earth_countries() -> None:
    # Every ring closes, and the bounds are the world's: the file is read as transcribed.
    xs, ys = [], []
    for shape in maps.outlines():
        for ring in re.findall(r"M(-?\d+) (-?\d+)l([^z]*)z", shape["d"]):
            x, y = int(ring[0]), int(ring[1])
            steps = list(map(int, ring[2].split()))
            for dx, dy in zip(steps[::2], steps[1::2], strict=True):
                x, y = x + dx, y + dy
                xs.append(x)
                ys.append(y)
    assert min(xs) == -1800 and max(xs) == 1800
    assert -840 <= min(ys) < -800 and max(ys) > 500


# --------------------------------------------------------------------------- the store


def test_a_version_4_store_gains_the_provenance_columns_in_place(tmp_path, located_db) -> None:
    path = tmp_path / "old.duckdb"
    path.write_bytes(located_db.read_bytes())
    with duckdb.connect(str(path)) as con:  # make it look like a version-4 store
        for column in PROVENANCE_COLUMNS:
            con.execute(f"ALTER TABLE events DROP COLUMN {column}")
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    Store(path).close()
    with duckdb.connect(str(path), read_only=True) as con:
        (version,) = con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        columns = {r[0] for r in con.execute("DESCRIBE events").fetchall()}
        (unplaced,) = con.execute("SELECT count(*) FROM events WHERE latitude IS NULL"
                                  ).fetchone()  # fmt: skip
    assert version == SCHEMA_VERSION and set(PROVENANCE_COLUMNS) <= columns
    assert unplaced == 10  # rows stored before keep no place until imported again
