"""The dashboard's JSON API and page: same numbers as the Python API, read-only, safe text.

The store is built here from hand-made documents and events: Azerbaijan with Turkey,
Russia and Iran over eighteen months, warming to Turkey and cooling toward Russia from
October 2020, and Georgia with Turkey and Russia over six months, one of whose articles
carries a script payload in its sentence, title and URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

import equipoise
from equipoise.analysis.align import equidistance, verdict
from equipoise.analysis.align import measure as measure_events
from equipoise.records import Document, Event
from equipoise.store import Store, StoreError
from factories import record_event

CODER = "test-0"
FOCAL, POLES = "AZE", ["TUR", "RUS", "IRN"]
SWITCH = dt.date(2020, 10, 1)
PAYLOAD = "<script>window.__pwned = 1</script>"
HOSTILE_SENTENCE = (
    f'Georgia protested to Russia {PAYLOAD}<img src=x onerror="window.__pwned = 2"> '
    "over the detention of its citizens."
)
HOSTILE_TITLE = '<script>window.__pwned = 3</script>Tbilisi "protest" & more'
HOSTILE_URL = "javascript:window.__pwned = 4"
JOINT_SENTENCE = "Azerbaijani and Turkish troops held joint exercises near Baku."
MENTION = "Azerbaijani President Ilham Aliyev"
NAMES = {"AZE": "Azerbaijan", "TUR": "Turkey", "RUS": "Russia", "IRN": "Iran", "GEO": "Georgia"}


def _months(first: dt.date, n: int) -> list[dt.date]:
    return [dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(n)]  # fmt: skip


def _event(doc: Document, n: int, source: str, target: str, quad: int, day: dt.date,
           sentence: str, **changes) -> Event:  # fmt: skip
    """Event ``n`` of ``doc``, its actors named as the news names them."""
    changes.setdefault("source_text", NAMES[source])
    changes.setdefault("target_text", NAMES[target])
    return record_event(doc, source, target, day, quad=quad, sentence=sentence, start=200 * n,
                        coder=CODER, **changes)  # fmt: skip


def build_store(path: Path) -> Path:
    """Write the test store at ``path`` and return the path."""
    rng = np.random.default_rng(7)
    plan: list[tuple[Document, list[Event]]] = []
    for month in _months(dt.date(2020, 1, 1), 18):
        for pole in POLES:
            share = {"TUR": 0.95, "RUS": 0.3, "IRN": 0.55}[pole] if month >= SWITCH else 0.6
            for d in range(3):
                day = month + dt.timedelta(days=3 + 8 * d)
                text = f"{pole} report {month:%Y-%m} #{d}: " + "x" * int(rng.integers(5, 50))
                doc = Document.from_text(
                    text, published=day, title=f"{NAMES[pole]} and Azerbaijan, {month:%B %Y}",
                    url=f"https://news.example.org/{pole.lower()}/{month:%Y-%m}/{d}",
                    source="test",
                )  # fmt: skip
                events = []
                for n in range(3):
                    coop = rng.random() < share
                    quad = int(rng.choice([1, 2]) if coop else rng.choice([3, 4]))
                    source, target = (FOCAL, pole) if n % 2 == 0 else (pole, FOCAL)
                    sentence = f"{NAMES[source]} and {NAMES[target]}: event {n} of {text[:20]}."
                    events.append(_event(doc, n, source, target, quad, day, sentence))
                plan.append((doc, events))
    # Joint exercises stored twice, once from each side: one event for the analysis.
    joint = Document.from_text(JOINT_SENTENCE, published=dt.date(2020, 6, 20), title="Drills")
    plan.append((joint, [
        _event(joint, 0, "AZE", "TUR", 2, dt.date(2020, 6, 19), JOINT_SENTENCE, symmetric=True),
        _event(joint, 0, "TUR", "AZE", 2, dt.date(2020, 6, 19), JOINT_SENTENCE, symmetric=True),
    ]))  # fmt: skip
    # A visit with the words that name the actors.
    visit = Document.from_text("Aliyev in Ankara.", published=dt.date(2020, 7, 2), title="Visit")
    plan.append((visit, [_event(
        visit, 0, "AZE", "TUR", 1, dt.date(2020, 7, 1), "Aliyev visited Ankara.",
        source_text=MENTION, target_text="Ankara", trigger="visit",
    )]))  # fmt: skip
    # Georgia: six months with Turkey and Russia; the hostile article in March 2020.
    for month in _months(dt.date(2020, 1, 1), 6):
        for pole in ("TUR", "RUS"):
            text = f"Georgia and {NAMES[pole]}, {month:%Y-%m}."
            doc = Document.from_text(text, published=month, title=f"Georgia {month:%Y-%m}")
            quads = [1, 1, 2, 3] if pole == "TUR" else [3, 4, 1, 3]
            plan.append((doc, [
                _event(doc, n, "GEO", pole, q, month + dt.timedelta(days=n), f"{text} ({n})")
                for n, q in enumerate(quads)
            ]))  # fmt: skip
    hostile = Document.from_text(
        "Georgia protested. " + HOSTILE_SENTENCE, published=dt.date(2020, 3, 20),
        title=HOSTILE_TITLE, url=HOSTILE_URL,
    )  # fmt: skip
    plan.append((hostile, [_event(hostile, 0, "GEO", "RUS", 3, dt.date(2020, 3, 20),
                                  HOSTILE_SENTENCE, target_text=PAYLOAD)]))  # fmt: skip
    with Store(path) as store:
        store.add_documents(doc for doc, _ in plan)
        for doc, events in plan:
            store.replace_events(doc.id, CODER, events)
    return path


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("store") / "dash.duckdb")


def _test_client(app, **kwargs):
    with warnings.catch_warnings():  # starlette's note about its httpx transport
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(app, base_url="http://127.0.0.1", **kwargs)


@pytest.fixture(scope="module")
def client(db_path):
    from equipoise.outputs.server import create_app

    with _test_client(create_app(db_path)) as opened:
        yield opened


def _same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, float) or isinstance(b, float):
        return b is not None and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def _assert_frame_equals_records(frame: pd.DataFrame, rows: list[dict]) -> None:
    assert len(rows) == len(frame)
    assert list(rows[0]) == [str(c) for c in frame.columns]
    for row, expected in zip(rows, frame.to_dict("records"), strict=True):
        for column, value in expected.items():
            if isinstance(value, pd.Timestamp | dt.date):
                value = pd.Timestamp(value).date().isoformat()
            elif isinstance(value, np.generic):
                value = value.item()
            assert _same(value, row[column]), (column, value, row[column])


# --------------------------------------------------------------------------- endpoints


def test_actors_lists_codes_with_counts_and_bloc_codes(client):
    body = client.get("/api/actors").json()
    counts = {a["code"]: a["events"] for a in body["actors"]}
    assert set(counts) == {"AZE", "TUR", "RUS", "IRN", "GEO"}
    assert counts["GEO"] == 6 * 2 * 4 + 1
    assert counts["AZE"] == max(counts.values()) and body["actors"][0]["code"] == "AZE"
    assert next(a for a in body["actors"] if a["code"] == "TUR")["name"] == "Turkey"
    blocs = {b["code"]: b for b in body["blocs"]}
    assert {"NATO", "EU", "CSTO"} <= set(blocs) and blocs["NATO"]["members"] >= 30
    assert body["store"]["events"] == 18 * 3 * 3 * 3 + 2 + 1 + 6 * 2 * 4 + 1
    assert body["store"]["first_event"] == "2020-01-01" and body["store"]["file"] == "dash.duckdb"
    assert body["features"] == {"unvotes": False} and body["partners"] == []


def test_actors_with_a_focal_lists_its_partners(client):
    body = client.get("/api/actors", params={"focal": "geo"}).json()
    assert body["focal"] == "GEO"
    assert [p["code"] for p in body["partners"]] == ["RUS", "TUR"]
    assert [p["events"] for p in body["partners"]] == [25, 24]


def test_align_gives_the_numbers_of_the_python_api(client, db_path):
    response = client.get("/api/align", params={"focal": FOCAL, "poles": ",".join(POLES)})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    expected = equipoise.api.measure(FOCAL, POLES, db=db_path)
    _assert_frame_equals_records(expected.table, body["records"])
    _assert_frame_equals_records(equipoise.align(FOCAL, POLES, db=db_path), body["records"])
    _assert_frame_equals_records(equidistance(expected), body["equidistance"])
    assert body["verdict"] == verdict(expected, focal=FOCAL)
    assert body["options"]["freq"] == "month" and body["options"]["start"] == "2020-01-04"
    assert [row["pole"] for row in body["summary"]] == POLES
    assert len({row["period"] for row in body["records"]}) == 18


def test_align_with_options_matches_the_analysis(client, db_path):
    params = {"focal": "aze", "poles": " tur, rus ,IRN,NATO", "start": "2020-03-01",
              "end": "2021-02-28", "freq": "quarter", "weight": "goldstein",
              "direction": "out", "ci": "0.9", "min_events": "2", "smoothing": "1",
              "salience": "true"}  # fmt: skip
    body = client.get("/api/align", params=params).json()
    poles = ["TUR", "RUS", "IRN", "NATO"]
    with Store(db_path, read_only=True) as store:
        frame = store.events_frame()
    expected = measure_events(
        frame, "AZE", poles, start=dt.date(2020, 3, 1), end=dt.date(2021, 2, 28), freq="quarter",
        weight="goldstein", direction="out", ci=0.9, min_events=2, smoothing=1.0,
    )  # fmt: skip
    assert body["poles"] == poles
    _assert_frame_equals_records(expected.table, body["records"])
    _assert_frame_equals_records(equidistance(expected), body["equidistance"])
    assert "tilt_lo" in body["records"][0] and "equidistance_lo" in body["equidistance"][0]
    # Turkey is a NATO member: the NATO pole holds exactly Turkey's events.
    by_pole = {(r["period"], r["pole"]): r["n_events"] for r in body["records"]}
    assert all(by_pole[(p, "NATO")] == by_pole[(p, "TUR")] for p, _ in by_pole)


def test_changepoints_find_the_switch_and_name_its_documents(client, db_path):
    from equipoise.analysis.changepoints import changepoints

    # The store tells each month's relations half from each side: score both directions.
    params = {"focal": FOCAL, "poles": "TUR,RUS,IRN", "top": "3", "direction": "both"}
    body = client.get("/api/changepoints", params=params).json()
    with Store(db_path, read_only=True) as store:
        frame = store.events_frame()
    points, drivers = changepoints(frame, FOCAL, POLES, top=3,
                                   align_kwargs={"direction": "both"})
    _assert_frame_equals_records(points, body["points"])
    turkey = [p for p in body["points"] if p["pole"] == "TUR"]
    assert [p["period"] for p in turkey] == ["2020-10"] and turkey[0]["shift"] > 0.3
    assert len(body["drivers"]) == len(drivers) > 0
    first = body["drivers"][0]
    assert first["sentence"] and first["doc_title"] and first["doc_link"].startswith("https://")
    assert {(d["pole"], d["period"]) for d in body["drivers"]} <= {
        (p["pole"], p["period"]) for p in body["points"]
    }


def test_the_events_behind_each_point_are_those_align_counts(client):
    body = client.get("/api/align", params={"focal": FOCAL, "poles": "TUR,RUS,IRN"}).json()
    for row in body["records"][::4]:
        params = {"focal": FOCAL, "pole": row["pole"], "period": row["period"], "freq": "month"}
        events = client.get("/api/events", params=params).json()
        assert events["total"] == len(events["events"]) == row["n_events"], row["period"]
        # The listing holds every report; the quad and direction counts count stories,
        # each at least one report of its class.
        stories = 0
        for quad, column in enumerate(("verbal_coop", "material_coop", "verbal_conflict",
                                       "material_conflict"), start=1):  # fmt: skip
            one = client.get("/api/events", params=params | {"quad": quad}).json()
            assert one["total"] >= row[column] and (one["total"] > 0) == (row[column] > 0)
            stories += row[column]
        assert stories == row["n_stories"] <= row["n_events"]
        out = client.get("/api/events", params=params | {"direction": "out"}).json()
        assert out["total"] >= row["out_events"]


def test_events_carry_sentence_actors_and_document(client):
    params = {"focal": FOCAL, "pole": "TUR", "period": "2020-07", "freq": "month"}
    body = client.get("/api/events", params=params).json()
    assert (body["start"], body["end"]) == ("2020-07-01", "2020-07-31")
    visit = next(e for e in body["events"] if e["sentence"] == "Aliyev visited Ankara.")
    assert visit["source_text"] == MENTION and visit["target_text"] == "Ankara"
    assert visit["direction"] == "out" and visit["quad_name"] == "verbal cooperation"
    assert visit["doc_title"] == "Visit" and visit["event_date"] == "2020-07-01"
    # Where the page marks the target and the trigger (the source's words are not there).
    assert visit["marks"] == [[7, 14, "v"], [15, 21, "t"]] and visit["judgement"] is None
    dated = [e["event_date"] for e in body["events"]]
    assert dated == sorted(dated)
    regular = next(e for e in body["events"] if e["doc_url"])
    assert regular["doc_link"] == regular["doc_url"].strip()
    assert {"cameo", "goldstein", "source", "target", "published", "doc_id"} <= set(regular)


def test_a_joint_event_stored_from_both_sides_is_listed_once(client):
    params = {"focal": FOCAL, "pole": "TUR", "period": "2020Q2", "freq": "quarter"}
    body = client.get("/api/events", params=params).json()
    joint = [e for e in body["events"] if e["sentence"] == JOINT_SENTENCE]
    assert len(joint) == 1 and joint[0]["direction"] == "both" and joint[0]["symmetric"] is True


def test_events_over_the_whole_window_and_limit(client):
    params = {"focal": "GEO", "pole": "RUS", "limit": 2}
    body = client.get("/api/events", params=params).json()
    assert body["total"] == 25 and len(body["events"]) == 2 and body["period"] is None
    inside = client.get("/api/events", params={
        "focal": "GEO", "pole": "RUS", "period": "2020-03", "start": "2020-03-15",
    }).json()  # fmt: skip
    assert inside["start"] == "2020-03-15" and inside["total"] == 1


def vote_table() -> pd.DataFrame:
    """Three roll calls of AZE, TUR and RUS over sessions 74 and 75."""
    return pd.DataFrame({
        "rcid": [1, 1, 1, 2, 2, 2, 3, 3, 3],
        "session": [74] * 6 + [75] * 3,
        "date": pd.to_datetime(["2019-12-01"] * 6 + ["2020-12-01"] * 3),
        "country": ["AZE", "TUR", "RUS"] * 3,
        "vote": ["yes", "yes", "no", "yes", "abstain", "yes", "no", "no", "no"],
    })  # fmt: skip


def test_unvotes_answers_only_when_vote_data_is_configured(client, db_path):
    from equipoise.analysis.unvotes import agreement_matrix
    from equipoise.outputs.server import create_app

    missing = client.get("/api/unvotes", params={"focal": "AZE", "poles": "TUR"})
    assert missing.status_code == 404 and "no UN vote data" in missing.json()["detail"]
    assert "/api/unvotes" not in client.get("/openapi.json").json()["paths"]

    votes = vote_table()
    with _test_client(create_app(db_path, un_votes=votes)) as with_votes:
        params = {"focal": "AZE", "poles": "TUR,RUS,NATO"}  # blocs cast no votes: left out
        body = with_votes.get("/api/unvotes", params=params).json()
        assert "/api/unvotes" in with_votes.get("/openapi.json").json()["paths"]
        assert with_votes.get("/api/actors").json()["features"] == {"unvotes": True}
        bad = with_votes.get("/api/unvotes", params={"focal": "AZE", "poles": "XYZ"})
        kappa = with_votes.get("/api/unvotes", params={**params, "measure": "kappa"}).json()
        unknown = with_votes.get("/api/unvotes", params={**params, "measure": "tau"})
    assert body["poles"] == ["TUR", "RUS"]
    # Scott's pi is the measure to show unless kappa is asked for; records carry both.
    assert body["measure"] == "pi" and kappa["measure"] == "kappa"
    assert {"pi", "kappa"} <= set(body["records"][0]) and kappa["records"] == body["records"]
    assert unknown.status_code == 422
    _assert_frame_equals_records(agreement_matrix(votes, "AZE", ["TUR", "RUS"]), body["records"])
    assert bad.status_code == 422 and "XYZ" in bad.json()["detail"]


def test_openapi_describes_the_endpoints_and_no_network_docs_are_served(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/actors", "/api/align", "/api/changepoints", "/api/events"} <= set(schema["paths"])
    names = {p["name"] for p in schema["paths"]["/api/align"]["get"]["parameters"]}
    assert {"focal", "poles", "start", "end", "freq", "weight", "direction", "ci"} <= names
    assert client.get("/redoc").status_code == 404
    assert "https://" not in client.get("/docs").text  # the reference page fetches nothing


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        ("/api/align", {"focal": "AZE", "poles": "TUR", "bogus": "1"},
         "unknown query parameter 'bogus'"),
        ("/api/align", {"focal": "AZE", "poles": "TUR", "start": "2020-13-01"}, "start:"),
        ("/api/align", {"focal": "AZE", "poles": "TUR", "end": "yesterday"}, "end:"),
        ("/api/align", {"focal": "AZE", "poles": "TUR", "freq": "week"}, "freq:"),
        ("/api/align", {"focal": "AZE", "poles": "TUR", "weight": "heavy"}, "weight:"),
        ("/api/align", {"focal": "AZE", "poles": "TUR", "ci": "1.5"}, "ci:"),
        ("/api/align", {"focal": "AZE", "poles": "TUR", "min_events": "-1"}, "min_events:"),
        ("/api/align", {"poles": "TUR"}, "focal: Field required"),
        ("/api/align", {"focal": "AZE", "poles": ""}, "poles:"),
        ("/api/align", {"focal": "A'; DROP TABLE events; --", "poles": "TUR"}, "not an actor code"),
        ("/api/align", {"focal": "AZE", "poles": "TUR,AZE"}, "cannot also be a pole"),
        ("/api/align", {"focal": "AZE", "poles": "TUR", "start": "2021-01-01",
                        "end": "2020-01-01"}, "after end"),
        ("/api/changepoints", {"focal": "AZE", "poles": "TUR", "top": "-1"}, "top:"),
        ("/api/changepoints", {"focal": "AZE", "poles": "TUR", "ci": "0.9"},
         "unknown query parameter 'ci'"),
        ("/api/events", {"focal": "AZE", "pole": "TUR", "period": "2020-07", "freq": "quarter"},
         "not a quarter label"),
        ("/api/events", {"focal": "AZE", "pole": "TUR", "period": "2020-13"},
         "not a month label"),
        ("/api/events", {"focal": "AZE", "pole": "TUR", "quad": "5"}, "quad:"),
        ("/api/events", {"focal": "AZE", "pole": "TUR", "limit": "100000"}, "limit:"),
        ("/api/events", {"focal": "AZE", "poles": "TUR"}, "unknown query parameter 'poles'"),
        ("/api/actors", {"focal": "<b>"}, "not an actor code"),
        ("/api/actors", {"everything": "1"}, "unknown query parameter"),
    ],
)  # fmt: skip
def test_bad_parameters_get_a_clear_json_message(client, path, params, words):
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and words in body["detail"], body
    assert "Traceback" not in response.text


def test_the_page_takes_no_query_parameters_and_unknown_paths_are_json(client):
    assert client.get("/", params={"focal": "AZE"}).status_code == 422
    missing = client.get("/api/nothing")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
    assert client.post("/api/align").status_code == 405


def test_a_missing_store_is_a_clear_503(tmp_path):
    from equipoise.outputs.server import create_app

    absent = tmp_path / "nowhere.duckdb"
    with _test_client(create_app(absent)) as app_client:
        response = app_client.get("/api/align", params={"focal": "AZE", "poles": "TUR"})
        page = app_client.get("/")
    assert response.status_code == 503
    assert "no such database" in response.json()["detail"]
    assert page.status_code == 200  # the page still loads and shows the API's message
    assert not absent.exists()


def test_an_unexpected_error_is_json_without_a_trace(db_path, monkeypatch):
    from equipoise.outputs import server

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(equipoise.api, "analyse", broken)
    with _test_client(server.create_app(db_path), raise_server_exceptions=False) as app_client:
        response = app_client.get("/api/align", params={"focal": "AZE", "poles": "TUR,RUS"})
    assert response.status_code == 500
    body = response.json()
    assert body["detail"] == (
        f"internal error (RuntimeError, id {body['error_id']}); see the server log"
    )
    assert "secret internals" not in response.text


def test_an_internal_value_error_is_a_500_with_an_id_the_log_repeats(db_path, monkeypatch,
                                                                      caplog):
    # A ValueError from deep inside pandas says nothing about the request: it must not
    # come back as "your request is invalid".
    from equipoise.outputs import server

    def broken(*args, **kwargs):
        raise ValueError("cannot reindex on an axis with duplicate labels")

    monkeypatch.setattr(equipoise.api, "analyse", broken)
    with caplog.at_level("ERROR", logger="equipoise.server"), \
            _test_client(server.create_app(db_path), raise_server_exceptions=False) as app_client:
        response = app_client.get("/api/align", params={"focal": "AZE", "poles": "TUR,RUS"})
    assert response.status_code == 500, response.text
    body = response.json()
    error_id = body["error_id"]
    assert len(error_id) == 12 and int(error_id, 16) >= 0
    assert error_id in body["detail"] and "ValueError" in body["detail"]
    assert "duplicate labels" not in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert len(logged) == 1 and "/api/align" in logged[0].getMessage()
    assert logged[0].exc_info is not None and "duplicate labels" in str(logged[0].exc_info[1])


def test_each_internal_error_gets_its_own_id(db_path, monkeypatch):
    from equipoise.outputs import server

    monkeypatch.setattr(equipoise.api, "load_events", lambda *a, **k: 1 / 0)
    with _test_client(server.create_app(db_path), raise_server_exceptions=False) as app_client:
        ids = {app_client.get("/api/events", params={"focal": "AZE", "pole": "TUR"})
               .json()["error_id"] for _ in range(3)}  # fmt: skip
    assert len(ids) == 3


@pytest.mark.parametrize(
    ("error", "words"),
    [
        ("query", "n_boot must be"),
        ("input", "votes.csv:7: no roll call"),
    ],
)
def test_errors_about_the_request_stay_422(db_path, monkeypatch, error, words):
    from equipoise.errors import BadInputError, InvalidQueryError
    from equipoise.outputs import server

    def refused(*args, **kwargs):
        if error == "query":
            raise InvalidQueryError("n_boot must be a positive integer, got 0")
        raise BadInputError("no roll call", "votes.csv", 7)

    monkeypatch.setattr(equipoise.api, "analyse", refused)
    with _test_client(server.create_app(db_path), raise_server_exceptions=False) as app_client:
        response = app_client.get("/api/align", params={"focal": "AZE", "poles": "TUR,RUS"})
    assert response.status_code == 422, response.text
    assert response.json() == {"detail": words if error == "input" else
                               "n_boot must be a positive integer, got 0"}


def test_an_unknown_pole_code_is_a_422_naming_the_closest(client):
    response = client.get("/api/align", params={"focal": "AZE", "poles": "TRK,RUS"})
    assert response.status_code == 422, response.text
    assert "unknown pole 'TRK'" in response.json()["detail"]
    assert "TUR" in response.json()["detail"]


@pytest.mark.parametrize(
    ("host", "status"),
    [("attacker.example", 400), ("attacker.example:8765", 400), ("127.0.0.1.evil.example", 400),
     ("127.0.0.1:8765", 200), ("localhost", 200), ("[::1]:8765", 200)],
)  # fmt: skip
def test_requests_for_other_host_names_are_refused(client, host, status):
    response = client.get("/api/actors", headers={"host": host})
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"detail": "invalid Host header"}


# --------------------------------------------------------------------------- read-only


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def test_the_app_opens_the_store_read_only_and_never_writes(db_path, tmp_path):
    from equipoise.outputs.server import create_app, open_store

    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db_path.read_bytes())
    before = _fingerprint(copy)
    with _test_client(create_app(copy)) as app_client:
        for path, params in [
            ("/", {}), ("/api/actors", {"focal": "AZE"}),
            ("/api/align", {"focal": "AZE", "poles": "TUR,RUS", "ci": "0.9"}),
            ("/api/changepoints", {"focal": "AZE", "poles": "TUR,RUS"}),
            ("/api/events", {"focal": "AZE", "pole": "TUR", "period": "2020-07"}),
        ]:  # fmt: skip
            assert app_client.get(path, params=params).status_code == 200, path
    assert _fingerprint(copy) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.duckdb"]  # no WAL either

    with open_store(copy) as store:
        assert store.read_only
        with pytest.raises(duckdb.Error, match="read-only"):
            store._con.execute("DELETE FROM events")
        with pytest.raises(duckdb.Error, match="read-only"):
            store._con.execute("CREATE TABLE stolen (x INTEGER)")
        with pytest.raises(StoreError, match="read-only"):
            store.add_document(Document.from_text("new"))
    assert _fingerprint(copy) == before


def test_while_a_writer_holds_the_store_the_api_says_so_and_recovers(db_path, tmp_path):
    from equipoise.outputs.server import create_app

    copy = tmp_path / "busy.duckdb"
    copy.write_bytes(db_path.read_bytes())
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from equipoise.store import Store
            with Store({str(copy)!r}):
                print("open", flush=True)
                sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        with _test_client(create_app(copy)) as app_client:
            busy = app_client.get("/api/actors")
            assert busy.status_code == 503 and "cannot open" in busy.json()["detail"]
            holder.communicate("\n", timeout=30)
            assert app_client.get("/api/actors").status_code == 200
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


# --------------------------------------------------------------------------- untrusted text


def test_a_script_in_a_sentence_comes_back_as_a_json_string(client):
    params = {"focal": "GEO", "pole": "RUS", "period": "2020-03"}
    response = client.get("/api/events", params=params)
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    hostile = next(e for e in response.json()["events"] if PAYLOAD in e["sentence"])
    assert hostile["sentence"] == HOSTILE_SENTENCE
    assert hostile["doc_title"] == HOSTILE_TITLE and hostile["target_text"] == PAYLOAD
    assert hostile["doc_url"] == HOSTILE_URL and hostile["doc_link"] is None
    assert json.loads(response.text)["events"]  # well-formed JSON around it


def test_the_page_inlines_nothing_from_the_store_and_allows_only_local_scripts(client):
    response = client.get("/")
    html = response.text
    assert response.status_code == 200 and html.lstrip().lower().startswith("<!doctype html>")
    assert "__pwned" not in html and "Tbilisi" not in html
    assert "<script>" not in html  # no inline script: every script is a file from /static
    sources = [line.split('"')[1] for line in html.splitlines() if "<script src=" in line]
    assert sources and all(src.startswith("/static/") for src in sources)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "/static/charts.js" in sources and "/static/dashboard.js" in sources
    assert "http://" not in html and "https://" not in html  # nothing from elsewhere
    script = client.get("/static/dashboard.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text


def test_the_store_name_is_escaped_in_the_page(tmp_path):
    from equipoise.outputs.server import create_app

    odd = build_store(tmp_path / '<img src=x onerror="window.__pwned = 5">.duckdb')
    with _test_client(create_app(odd)) as app_client:
        html = app_client.get("/").text
    assert "<img" not in html and "__pwned" in html
    assert "&lt;img src=x onerror=&#34;window.__pwned = 5&#34;&gt;.duckdb" in html


# --------------------------------------------------------------------------- command line


def test_serve_command_passes_its_options(monkeypatch, db_path):
    from typer.testing import CliRunner

    from equipoise.outputs import cli, server

    seen = {}
    monkeypatch.setattr(server, "serve", lambda db, **options: seen.update(db=db, **options))
    result = CliRunner().invoke(cli.app, ["serve", "--db", str(db_path), "--port", "9001"])
    assert result.exit_code == 0, result.output
    assert seen == {"db": db_path, "host": "127.0.0.1", "port": 9001, "un_votes": None,
                    "annotate": False, "who": ""}
    seen.clear()
    result = CliRunner().invoke(cli.app, ["serve", "--db", str(db_path), "--annotate",
                                          "--who", "ana"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert seen["annotate"] is True and seen["who"] == "ana"
    seen.clear()
    public = CliRunner().invoke(cli.app, ["serve", "--db", str(db_path), "--annotate",
                                          "--host", "0.0.0.0"])  # fmt: skip
    assert public.exit_code == 2 and seen == {}
    missing = CliRunner().invoke(cli.app, ["serve", "--db", str(db_path.parent / "no.duckdb")])
    assert missing.exit_code == 2 and not missing.stdout


def test_serve_command_reads_un_votes(monkeypatch, db_path, tmp_path):
    from typer.testing import CliRunner

    from equipoise.outputs import cli, server

    seen = {}
    monkeypatch.setattr(server, "serve", lambda db, **options: seen.update(options))
    votes = tmp_path / "votes.csv"
    votes.write_text(
        "rcid,session,date,country,country_code,vote\n"
        "1,74,2019-12-01,Azerbaijan,AZ,yes\n1,74,2019-12-01,Turkey,TR,no\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli.app, ["serve", "--db", str(db_path), "--un-votes",
                                          str(votes), "--host", "localhost"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert seen["host"] == "localhost" and sorted(seen["un_votes"]["country"]) == ["AZE", "TUR"]
    bad = tmp_path / "votes.txt"
    bad.write_text("nothing", encoding="utf-8")
    refused = CliRunner().invoke(cli.app, ["serve", "--db", str(db_path), "--un-votes", str(bad)])
    assert refused.exit_code == 2


def test_tables_download_as_csv(client):
    import io

    params = {"focal": "AZE", "poles": "TUR,RUS", "freq": "quarter"}
    answer = client.get("/api/align", params=params | {"format": "csv"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    table = pd.read_csv(io.StringIO(answer.text))
    document = client.get("/api/align", params=params).json()
    assert len(table) == len(document["records"])
    assert set(table["pole"]) == {"TUR", "RUS"}

    listed = client.get("/api/events", params={"focal": "AZE", "pole": "TUR",
                                               "format": "csv"})
    assert listed.status_code == 200
    rows = pd.read_csv(io.StringIO(listed.text))
    total = client.get("/api/events", params={"focal": "AZE", "pole": "TUR"}).json()["total"]
    assert len(rows) == min(total, 200) and "sentence" in rows.columns

    wrong = client.get("/api/align", params=params | {"format": "xlsx"})
    assert wrong.status_code == 422 and "format" in wrong.text


def test_the_api_reference_is_served_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    for path in ("/api/align", "/api/events", "/api/changepoints"):
        assert f"<code>{path}</code>" in html
    assert "<code>focal</code> (required)" in html and "overlap" in html
    assert "<script" not in html and "https://" not in html  # nothing fetched from elsewhere
    # What each endpoint answers, field by field: /api/align's chart specs among them.
    align = html[html.index("<code>/api/align</code>"):html.index("<code>/api/changepoints")]
    assert "<th>answer field</th>" in align and "<td><code>charts</code></td>" in align
    assert "static/charts.js" in align and "<td>array of object</td>" in align


def test_the_opening_view_is_the_densest_window(client):
    span = client.get("/api/span", params={"focal": FOCAL, "poles": "TUR,RUS"})
    assert span.status_code == 200
    body = span.json()
    assert body["n_events"] > 0 and body["start"] <= body["end"]
    assert body["freq"] in ("month", "quarter", "year")
    assert client.get("/api/span", params={"focal": FOCAL}).status_code == 422


# -- the analyst's judgements from the dashboard ------------------------------------------


@pytest.fixture
def annotating(db_path, tmp_path):
    """An annotating server over a copy of the test store: (client, token, store path)."""
    import re
    import shutil

    from equipoise.outputs.server import create_app

    copy = Path(shutil.copy(db_path, tmp_path / "judged.duckdb"))
    with _test_client(create_app(copy, annotate=True, who="ana")) as opened:
        token = re.search(r'data-token="([^"]+)"', opened.get("/").text).group(1)
        yield opened, token, copy


def _first_event(client, focal="GEO", pole="RUS", period="2020-03") -> dict:
    answer = client.get("/api/events", params={"focal": focal, "pole": pole, "period": period})
    event = answer.json()["events"][0]
    return {k: event[k] for k in ("doc_id", "sent_start", "source", "target", "root")}


def _geo_rus_march(client) -> tuple[int, float]:
    rows = client.get("/api/align", params={"focal": "GEO", "poles": "TUR,RUS"}).json()
    row = next(r for r in rows["records"] if r["pole"] == "RUS" and r["period"] == "2020-03")
    return row["n_events"], row["score"]


def test_an_exclusion_from_the_page_is_stored_and_changes_the_numbers(annotating):
    client, token, store_path = annotating
    key = _first_event(client)
    before = _geo_rus_march(client)
    answer = client.post("/api/judgements", json=key | {"verdict": "exclude",
                                                        "reason": "a protest, not a meeting"},
                         headers={"X-Equipoise-Token": token})  # fmt: skip
    assert answer.status_code == 200, answer.text
    with Store(store_path, read_only=True) as store:
        table = store.judgements()
    assert table[["verdict", "reason", "who"]].values.tolist() == [
        ["exclude", "a protest, not a meeting", "ana"]]
    after = _geo_rus_march(client)
    assert after[0] == before[0] - 1 and after[1] != before[1]
    listed = client.get("/api/judgements").json()
    assert listed["annotate"] is True and listed["judgements"][0]["doc_id"] == key["doc_id"]
    # Withdrawn: the numbers come back.
    gone = client.request("DELETE", "/api/judgements", json=key,
                          headers={"X-Equipoise-Token": token})
    assert gone.status_code == 200 and _geo_rus_march(client) == before


def test_a_miscoded_event_stays_counted_and_is_listed_with_its_judgement(annotating):
    client, token, _ = annotating
    key = _first_event(client)
    headers = {"X-Equipoise-Token": token}
    no_code = client.post("/api/judgements", headers=headers,
                          json=key | {"verdict": "miscoded", "reason": "a threat"})
    assert no_code.status_code == 422 and "cameo" in no_code.json()["detail"]
    bad_code = client.post("/api/judgements", headers=headers,
                           json=key | {"verdict": "miscoded", "reason": "x", "cameo": "999"})
    assert bad_code.status_code == 422 and "999" in bad_code.json()["detail"]
    missing = client.post("/api/judgements", headers=headers,
                          json=key | {"root": "99", "verdict": "exclude", "reason": "x"})
    assert missing.status_code == 422 and "no event" in missing.json()["detail"]
    before = _geo_rus_march(client)
    good = client.post("/api/judgements", headers=headers,
                       json=key | {"verdict": "miscoded", "reason": "a threat", "cameo": "138"})
    assert good.status_code == 200, good.text
    assert _geo_rus_march(client) == before
    events = client.get("/api/events", params={"focal": "GEO", "pole": "RUS",
                                               "period": "2020-03"}).json()["events"]
    judged = [e["judgement"] for e in events if e["judgement"]]
    assert judged == [{"verdict": "miscoded", "cameo": "138", "reason": "a threat", "who": "ana"}]


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("no token", 403),
        ("a wrong token", 403),
        ("another origin", 403),  # the right token, sent from another site's page
        ("plain text", 415),  # what a form on another site can send without asking
    ],
)
def test_a_write_without_the_token_from_elsewhere_or_not_json_is_refused(annotating, case,
                                                                         status):
    client, token, store_path = annotating
    key = _first_event(client)
    headers = {"X-Equipoise-Token": token, "Content-Type": "application/json"}
    if case == "no token":
        del headers["X-Equipoise-Token"]
    elif case == "a wrong token":
        headers["X-Equipoise-Token"] = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif case == "another origin":
        headers["Origin"] = "http://evil.example"
    else:
        headers["Content-Type"] = "text/plain"
    body = json.dumps(key | {"verdict": "exclude", "reason": "x"})
    answer = client.post("/api/judgements", content=body, headers=headers)
    assert answer.status_code == status, answer.text
    with Store(store_path, read_only=True) as store:
        assert store.judgements().empty
    # The same request with the page's token, from the page, as JSON, is taken.
    good = client.post("/api/judgements", content=body, headers={
        "X-Equipoise-Token": token, "Content-Type": "application/json",
        "Origin": "http://127.0.0.1"})
    assert good.status_code == 200, good.text


def test_the_page_of_an_annotating_server_carries_its_token_and_no_other_page_does(
        client, annotating):
    plain_page = client.get("/").text
    assert 'data-token=""' in plain_page and 'data-annotate="false"' in plain_page
    _, token, _ = annotating
    assert len(token) >= 32


def test_without_annotate_there_is_nothing_to_write_to(client, db_path):
    key = _first_event(client)
    body = key | {"verdict": "exclude", "reason": "x"}
    assert client.post("/api/judgements", json=body).status_code == 405
    assert client.request("DELETE", "/api/judgements", json=key).status_code == 405
    assert client.put("/api/judgements", json=body).status_code == 405
    assert client.get("/api/judgements").json() == {"annotate": False, "judgements": []}


def test_annotating_is_refused_on_a_public_address(db_path):
    from equipoise.outputs import server

    with pytest.raises(ValueError, match="127.0.0.1 only"):
        server.create_app(db_path, allowed_hosts=["*"], annotate=True)
    with pytest.raises(ValueError, match="127.0.0.1 only"):
        server.serve(db_path, host="0.0.0.0", annotate=True)
