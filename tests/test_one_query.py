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
