"""The dashboard's map of places in a real headless Chromium, against the real server.

Shown when the view's events have coordinates (imported records), hidden when they have
none; every request stays on 127.0.0.1. Needs playwright and Debian's /usr/bin/chromium,
as ``test_dashboard_browser.py`` does; skipped otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_checks import local_page, serving
from test_places import build_located_store

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed",
                               exc_type=ImportError)  # fmt: skip
if not CHROMIUM.is_file():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium", allow_module_level=True)
expect = sync_api.expect


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from equipoise.outputs.server import create_app

    db = build_located_store(tmp_path_factory.mktemp("places-browser"))
    with serving(create_app(db)) as url:
        yield url


@pytest.fixture
def page(base_url):
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )  # fmt: skip
            _, opened = local_page(browser, base_url)
            yield opened
            browser.close()
    except sync_api.Error as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"chromium could not be started by playwright: {exc}")


def test_the_map_shows_the_places_of_the_view(page, base_url) -> None:
    page.goto(base_url + "/#focal=AZE&poles=TUR,RUS&start=2020-01-01&end=2020-12-31&freq=year")
    card = page.locator("#places-card")
    expect(card).to_be_visible()
    circles = page.locator("#places-map svg circle")
    expect(circles).to_have_count(3)
    assert page.locator("#places-map svg path").count() > 150
    titles = [circles.nth(i).locator("title").text_content() for i in range(3)]
    assert titles[0] == "Baku: 4 events (3 verbal cooperation, 1 verbal conflict)"
    assert "7 of 8 events" in page.locator("#places-note").text_content()
    ARTIFACTS.mkdir(exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / "dashboard-places-map.png"))
    assert page.blocked == [] and page.errors == []


def test_the_map_is_hidden_when_no_event_has_a_place(page, base_url) -> None:
    page.goto(base_url + "/#focal=AZE&poles=TUR,RUS&start=2020-01-01&end=2020-12-31&freq=year")
    expect(page.locator("#places-map svg circle")).to_have_count(3)
    # Azerbaijan's events in 2021 hold one with Turkey at Ankara; with Russia, none.
    page.evaluate("() => { location.hash = "
                  "'focal=AZE&poles=RUS&start=2021-01-01&end=2021-12-31&freq=year'; }")
    expect(page.locator("#title")).to_have_text("AZE between RUS")
    expect(page.locator("#places-card")).to_be_hidden()
    page.evaluate("() => { location.hash = "
                  "'focal=AZE&poles=TUR&start=2021-01-01&end=2021-12-31&freq=year'; }")
    expect(page.locator("#places-map svg circle")).to_have_count(1)
    expect(page.locator("#places-card")).to_be_visible()
    assert page.errors == []
