"""What one dashboard request may cost: bounded questions, one analysis at a time, and
nothing computed for another web site's page.

A GET with a wide window, a dozen poles and 5,000 replicates used 9 GB; any web page
the analyst visited could send it with an image tag.
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings

import pytest

from equipoise.analysis.limits import MAX_CELLS
from equipoise.outputs.server import MAX_N_BOOT, MAX_POLES, create_app
from factories import write_store

TWELVE = "TUR,RUS,IRN,USA,FRA,DEU,GBR,CHN,IND,JPN,ITA,ESP"


def client_for(app):
    with warnings.catch_warnings():  # starlette's note about its httpx transport
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(app, base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Azerbaijan with Turkey and Russia, an event with each a month from 1990 to 2019,
    in one document a year."""
    documents = []
    for year in range(1990, 2020):
        days = [dt.date(year, month, 10) for month in range(1, 13)]
        documents.append([("AZE", "TUR", 1, d) for d in days] +
                         [("RUS", "AZE", 3, d) for d in days])
    return write_store(tmp_path_factory.mktemp("budget") / "store.duckdb", documents)


@pytest.fixture(scope="module")
def client(store):
    with client_for(create_app(store)) as opened:
        yield opened


def detail(response) -> str:
    assert response.status_code == 422, response.text
    return response.json()["detail"]


def test_the_nine_gigabyte_request_is_refused_at_once(tmp_path):
    # No store exists: the refusal comes from the parameters alone.
    with client_for(create_app(tmp_path / "absent.duckdb")) as absent:
        response = absent.get("/api/align", params={
            "focal": "AZE", "poles": TWELVE, "start": "1900-01-01", "end": "2025-12-31",
            "ci": "0.9", "n_boot": "5000"})  # fmt: skip
    assert f"n_boot: Input should be less than or equal to {MAX_N_BOOT}" in detail(response)


def test_a_wide_window_is_refused_before_the_store_is_read(tmp_path):
    with client_for(create_app(tmp_path / "absent.duckdb")) as absent:
        response = absent.get("/api/align", params={
            "focal": "AZE", "poles": TWELVE, "start": "1800-01-01", "end": "2025-12-31"})
    message = detail(response)
    assert message.startswith("the analysis is too large: 1800-01..2025-12 is 2,712 months")
    assert f"more than the {MAX_CELLS:,} allowed" in message
    assert "a coarser freq (quarter or year) or a shorter window (start/end)" in message


def test_replicates_within_their_own_bound_still_count_against_the_grid(client):
    params = {"focal": "AZE", "poles": "TUR,RUS", "start": "1900-01-01", "end": "2019-12-31",
              "ci": "0.9", "n_boot": str(MAX_N_BOOT)}  # fmt: skip
    assert "fewer replicates (n_boot)" in detail(client.get("/api/align", params=params))
    params["freq"] = "year"
    assert client.get("/api/align", params=params).status_code == 200


def test_an_open_window_is_checked_once_the_events_set_it(client):
    # 30 years of months for 2 poles with 2,000 replicates: 1,440,000, within the bound.
    ok = client.get("/api/align", params={"focal": "AZE", "poles": "TUR,RUS", "ci": "0.9",
                                          "n_boot": str(MAX_N_BOOT)})  # fmt: skip
    assert ok.status_code == 200
    assert len(ok.json()["records"]) == 2 * 360
    # From 1700 the same question is four times larger than the grid may be.
    message = detail(client.get("/api/align", params={
        "focal": "AZE", "poles": TWELVE, "start": "1700-01-01"}))  # fmt: skip
    assert "3,840 months × 12 poles" in message


def test_changepoints_are_bounded_the_same_way(client):
    message = detail(client.get("/api/changepoints", params={
        "focal": "AZE", "poles": TWELVE, "start": "1000-01-01", "end": "2019-12-31"}))
    assert "too large" in message


def test_more_poles_than_allowed_are_refused(client):
    codes = TWELVE + ",GEO"
    assert f"at most {MAX_POLES} poles" in detail(
        client.get("/api/align", params={"focal": "AZE", "poles": codes}))


def test_an_unknown_pole_is_refused_with_the_closest_codes(client):
    for path, params in (("/api/align", {"focal": "AZE", "poles": "TUR,RUSS"}),
                         ("/api/changepoints", {"focal": "AZE", "poles": "TUR,RUSS"}),
                         ("/api/events", {"focal": "AZE", "pole": "RUSS"})):  # fmt: skip
        message = detail(client.get(path, params=params))
        assert message.startswith("unknown pole 'RUSS'") and "RUS (Russia)" in message


def test_far_dates_in_the_store_do_not_widen_the_default_window(far_store):
    with client_for(create_app(far_store)) as far:
        body = far.get("/api/align", params={"focal": "AZE", "poles": "TUR,RUS",
                                             "ci": "0.9", "n_boot": "2000"}).json()
        events = far.get("/api/events", params={"focal": "AZE", "pole": "TUR"}).json()
    assert {r["period"] for r in body["records"]} == {"2020-05"}
    assert body["options"]["implausible_dates"] == 4
    assert events["total"] == 1


def test_analyses_take_turns_and_a_long_wait_is_a_503(store):
    app = create_app(store, busy_timeout=0.05)
    held, release = threading.Event(), threading.Event()

    def busy():  # another analysis, still running
        with app.state.turns.turn():
            held.set()
            release.wait(30)

    worker = threading.Thread(target=busy)
    worker.start()
    try:
        assert held.wait(30)
        with client_for(app) as waiting:
            response = waiting.get("/api/align", params={"focal": "AZE", "poles": "TUR"})
            assert response.status_code == 503
            assert "busy with other analyses" in response.json()["detail"]
            release.set()
            worker.join(30)
            assert waiting.get("/api/align", params={"focal": "AZE", "poles": "TUR"}).is_success
    finally:
        release.set()
        worker.join(30)


@pytest.mark.parametrize(
    ("site", "status"),
    [("cross-site", 403), ("same-site", 403), ("same-origin", 200), ("none", 200), (None, 200)],
)
def test_only_the_page_itself_or_a_typed_address_makes_the_api_compute(client, site, status):
    headers = {"Sec-Fetch-Site": site} if site else {}
    response = client.get("/api/align", params={"focal": "AZE", "poles": "TUR"}, headers=headers)
    assert response.status_code == status
    if status == 403:
        assert response.json()["detail"] == f"requests from another site ({site}) are refused"


def test_the_page_itself_may_be_linked_from_anywhere(client):
    assert client.get("/", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200
