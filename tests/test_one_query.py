"""One question, one answer: the command line, the Python API and the dashboard API read
a query the same way, refuse the same bad query with the same message, and write the
same JSON."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import pytest
from typer.testing import CliRunner

from equipoise.outputs.cli import app
from equipoise.outputs.server import create_app
from factories import write_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Azerbaijan with Turkey (cooperation), Russia (conflict) and Iran (both), over 2020,
    in one document a month."""
    documents = []
    for month in range(1, 13):
        day = dt.date(2020, month, 10)
        documents.append([("AZE", "TUR", 1, day), ("TUR", "AZE", 2, day),
                          ("RUS", "AZE", 4, day), ("AZE", "IRN", 1 + month % 4, day)])
    return write_store(tmp_path_factory.mktemp("one-query") / "store.duckdb", documents)


@pytest.fixture(scope="module")
def client(store):
    with warnings.catch_warnings():  # starlette's note about its httpx transport
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with TestClient(create_app(store), base_url="http://127.0.0.1") as opened:
        yield opened


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"freq": "quarter", "weight": "goldstein", "direction": "out", "min_events": "1"},
        {"start": "2020-03-01", "end": "2020-10-31", "ci": "0.8", "n_boot": "60"},
    ],
)
def test_align_json_is_the_json_of_the_api(store, client, options):
    params = {"focal": "aze", "poles": "TUR,RUS,IRN", **options}
    answer = client.get("/api/align", params=params)
    assert answer.status_code == 200, answer.text
    flags = {"start": "--from", "end": "--to", "min_events": "--min-events",
             "n_boot": "--n-boot"}  # fmt: skip
    args = ["align", "--db", str(store), "--format", "json"]
    for name, value in params.items():
        if name == "ci":
            args += ["--ci", "--level", value]
        else:
            args += [flags.get(name, f"--{name}"), value]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    assert written == answer.json()
    # Dates are days, as the API always wrote them: no time of day.
    assert written["records"][0]["period_start"] == (options.get("start") or "2020-01-01")
    days = [r["period_start"] for r in written["records"] + written["equidistance"]]
    assert all(len(d) == 10 and dt.date.fromisoformat(d) for d in days)
    assert written["options"]["start"] == (options.get("start") or "2020-01-10")


# --------------------------------------------------------------------------- the Query


def test_a_query_is_stored_normalised_and_frozen():
    import dataclasses

    from equipoise.analysis.query import Query

    query = Query(" aze", "tur, RUS,,tur", "2020-01-01", dt.datetime(2020, 6, 30, 12), "quarter",
                  ci=0.9, n_boot=200)  # fmt: skip
    assert (query.focal, query.poles) == ("AZE", ("TUR", "RUS"))
    assert (query.start, query.end) == (dt.date(2020, 1, 1), dt.date(2020, 6, 30))
    assert query.replicates == 200 and Query("AZE", ["TUR"]).replicates is None
    assert Query(query.focal, list(query.poles), query.start, query.end, "quarter", ci=0.9,
                 n_boot=200) == query  # fmt: skip
    with pytest.raises(dataclasses.FrozenInstanceError):
        query.focal = "GEO"  # type: ignore[misc]
    assert dataclasses.replace(query, start="2020-02-01").start == dt.date(2020, 2, 1)


# Each bad question, as the command line, the Python API and the dashboard API take it,
# and the message all three give.
BAD = [
    ({"weight": "heavy"},
     "weight: unknown weight 'heavy': use one of 'count', 'goldstein', 'plover', "
     "'mentions', 'sources', 'reports'"),
    ({"direction": "sideways"},
     "direction: unknown direction 'sideways': use one of 'out', 'in', 'both'"),
    ({"freq": "week"}, "freq: unknown freq 'week': use one of 'month', 'quarter', 'year'"),
    ({"min_events": -1}, "min_events: min_events must be an integer >= 0, got -1"),
    ({"ci": 1.5}, "ci: ci must be None or a level between 0 and 1 (e.g. 0.9), got 1.5"),
    ({"ci": 0.9, "n_boot": 0}, "n_boot: n_boot must be a positive integer, got 0"),
    ({"poles": "TUR,AZE"}, "poles: the focal actor AZE cannot also be a pole"),
    ({"poles": " , "}, "poles: at least one pole is needed"),
    ({"focal": "AZ E"},
     "focal: 'AZ E' is not an actor code (ISO 3166 alpha-3 such as AZE, or a bloc such as "
     "NATO)"),
    ({"start": "2021-01-01", "end": "2020-01-01"},
     "start: start 2021-01-01 is after end 2020-01-01"),
    ({"end": "2020-13-01"}, "end: '2020-13-01' is not a date (YYYY-MM-DD)"),
]  # fmt: skip


def _cli_args(store, question: dict) -> list[str]:
    flags = {"focal": "--focal", "poles": "--poles", "start": "--from", "end": "--to",
             "freq": "--freq", "weight": "--weight", "direction": "--direction",
             "min_events": "--min-events", "n_boot": "--n-boot"}  # fmt: skip
    args = ["align", "--db", str(store)]
    for name, value in question.items():
        args += ["--ci", "--level", str(value)] if name == "ci" else [flags[name], str(value)]
    return args


@pytest.mark.parametrize(("bad", "message"), BAD, ids=[next(iter(b)) for b, _ in BAD])
def test_the_same_bad_query_gets_the_same_message_everywhere(store, client, bad, message):
    import equipoise
    from equipoise.errors import InvalidQueryError

    question = {"focal": "AZE", "poles": "TUR,RUS", **bad}
    result = cli(*_cli_args(store, question))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"error: {message}"]

    focal, poles = question.pop("focal"), question.pop("poles")
    with pytest.raises(InvalidQueryError) as caught:
        equipoise.align(focal, poles, db=store, **question)
    assert str(caught.value) == message

    answer = client.get("/api/align", params={"focal": focal, "poles": poles, **question})
    assert answer.status_code == 422, answer.text
    assert answer.json() == {"detail": message}


def test_an_unknown_code_gets_the_same_message_everywhere(store, client):
    import equipoise
    from equipoise.analysis.codes import UnknownActorCode

    result = cli("align", "--db", str(store), "--focal", "AZE", "--poles", "TUR,TRK")
    with pytest.raises(UnknownActorCode) as caught:
        equipoise.align("AZE", ["TUR", "TRK"], db=store)
    answer = client.get("/api/align", params={"focal": "AZE", "poles": "TUR,TRK"})
    message = str(caught.value)
    assert message.startswith("unknown pole 'TRK'")
    assert result.stderr.splitlines() == [f"error: {message}"]
    assert answer.json() == {"detail": message}


def test_the_python_api_takes_a_query_or_its_fields(store):
    import pandas as pd

    import equipoise

    query = equipoise.Query("AZE", "TUR,RUS", "2020-02-01", None, "quarter", ci=0.9,
                            n_boot=50, min_events=1)  # fmt: skip
    by_query = equipoise.align(query, db=store)
    by_fields = equipoise.align("aze", ["tur", "rus"], db=store, start=dt.date(2020, 2, 1),
                                freq="quarter", ci=0.9, n_boot=50, min_events=1)  # fmt: skip
    pd.testing.assert_frame_equal(by_query, by_fields)
    measured = equipoise.api.measure(query, db=store)
    pd.testing.assert_frame_equal(measured.table, by_fields)
    assert measured.start == dt.date(2020, 2, 1) and measured.n_boot == 50
    with pytest.raises(TypeError, match="not both"):
        equipoise.align(query, ["TUR"], db=store)


def test_report_and_the_change_points_endpoint_refuse_alike(store, client, tmp_path):
    message = "direction: unknown direction 'up': use one of 'out', 'in', 'both'"
    output = tmp_path / "report.html"
    result = cli("report", "--db", str(store), "--focal", "AZE", "--poles", "TUR",
                 "--direction", "up", "--output", str(output))  # fmt: skip
    assert result.stderr.splitlines() == [f"error: {message}"] and not output.exists()
    answer = client.get("/api/changepoints", params={"focal": "AZE", "poles": "TUR",
                                                      "direction": "up"})  # fmt: skip
    assert answer.status_code == 422 and answer.json() == {"detail": message}
    result = cli("report", "--db", str(store), "--focal", "AZE", "--poles", "TUR",
                 "--max-events", "-1", "--output", str(output))  # fmt: skip
    assert result.stderr.splitlines() == [
        "error: max_events: max_events must be an integer >= 0, got -1"]


def test_events_json_writes_days_as_the_api_does(store, client):
    result = cli("events", "--db", str(store), "--focal", "AZE", "--poles", "TUR",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    served = client.get("/api/events", params={"focal": "AZE", "pole": "TUR",
                                               "limit": 1000}).json()["events"]
    assert written and len(written) == len(served)
    assert sorted(e["event_date"] for e in written) == sorted(e["event_date"] for e in served)
    assert all(len(e["event_date"]) == 10 and dt.date.fromisoformat(e["event_date"])
               for e in written)
