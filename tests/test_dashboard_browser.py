"""The dashboard in a real headless Chromium, against the real server on 127.0.0.1.

The server runs with uvicorn in a background thread on a free port; every request the
page makes anywhere else is blocked and recorded. The test opens the dashboard, changes
the focal country, clicks a chart point and reads the sentence behind it, and checks
that an article carrying a script payload stays inert text. Screenshots go to
``test-artifacts/`` at the repository root.

Needs the ``playwright`` package and Debian's ``/usr/bin/chromium`` (never a browser
downloaded by ``playwright install``); skipped with the reason when either is missing.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from test_server import HOSTILE_SENTENCE, HOSTILE_TITLE, PAYLOAD, build_store

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="playwright is not installed (pip install playwright)",
    exc_type=ImportError,
)
if not CHROMIUM.is_file():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium", allow_module_level=True)
expect = sync_api.expect


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The dashboard of a fresh test store, served by uvicorn on 127.0.0.1."""
    import uvicorn

    from equipoise.outputs.server import create_app

    db = build_store(tmp_path_factory.mktemp("browser") / "dash.duckdb")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free port, held until uvicorn takes the socket
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the dashboard server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def browser():
    try:
        with sync_api.sync_playwright() as playwright:
            opened = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=BROWSER_ARGS, headless=True
            )
            yield opened
            opened.close()
    except sync_api.Error as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"chromium could not be started by playwright: {exc}")


@pytest.fixture
def page(browser, base_url):
    """A page that may reach the local server only; blocked requests and script errors
    are recorded on it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.blocked, opened.errors = [], []

    def route(request_route):
        url = request_route.request.url
        if url == base_url or url.startswith(base_url + "/"):
            request_route.continue_()
        else:
            opened.blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_with_no_window_in_the_address_the_dashboard_opens_where_the_events_are(
        page, base_url):
    page.goto(base_url + "/")
    expect(page.locator("#title")).to_have_text("AZE between TUR, IRN and RUS")
    expect(page.locator("#tilt-chart svg")).to_be_visible()
    span = page.evaluate("""() => fetch('/api/span?focal=AZE&poles=TUR,IRN,RUS')
                              .then((r) => r.json())""")
    expect(page.locator("#start")).to_have_value(span["start"])
    expect(page.locator("#end")).to_have_value(span["end"])
    expect(page.locator("#freq")).to_have_value(span["freq"])
    assert page.blocked == [] and page.errors == []


def test_pick_a_focal_click_a_point_and_read_the_sentence(page, base_url):
    # The store tells relations half from each side: the page scores both directions.
    page.goto(base_url + "/#start=2020-01-01&end=2021-06-30&direction=both")
    # Opens on the actor with most events and its three main partners.
    expect(page.locator("#title")).to_have_text("AZE between TUR, IRN and RUS")
    expect(page.locator("#tilt-chart svg")).to_be_visible()
    expect(page.locator("#verdict")).to_contain_text("AZE leaned most toward TUR")
    expect(page.locator("#cp-list")).to_contain_text("TUR from 2020-10")
    expect(page.locator("#heat-chart svg")).to_be_visible()
    expect(page.locator("#equi-chart svg")).to_be_visible()
    page.click("#cp-list summary")  # the documents that drive the break, with sentences
    expect(page.locator("#cp-list li.driver").first).to_contain_text("influence")
    _shot(page, "dashboard-aze.png")

    # Change the focal country: the charts are redrawn for Georgia.
    page.fill("#focal", "geo")
    page.press("#focal", "Enter")
    expect(page.locator("#title")).to_have_text("GEO between TUR, IRN and RUS")
    expect(page).to_have_url(
        f"{base_url}/#focal=GEO&poles=TUR,IRN,RUS&start=2020-01-01&end=2021-06-30&direction=both")

    # Click Russia's point for March 2020: the events and sentences behind it appear.
    page.locator("#tilt-chart g.point", has_text="RUS · 2020-03").click()
    expect(page.locator("#events-heading")).to_have_text("Events: GEO – RUS, 2020-03")
    expect(page.locator("#events-count")).to_have_text("5 events")
    rows = page.locator("#events-list tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Georgia and Russia, 2020-03. (0)")
    hostile = rows.filter(has_text="over the detention of its citizens")
    expect(hostile).to_have_count(1)

    # The payload shows as text and never ran.
    expect(hostile.locator("td.sentence")).to_have_text(HOSTILE_SENTENCE)
    expect(hostile.locator("td.doc")).to_contain_text(HOSTILE_TITLE)
    expect(hostile.locator("td").nth(1)).to_contain_text(PAYLOAD)
    assert page.locator("#events-list script, #events-list img").count() == 0
    assert hostile.locator("a").count() == 0  # its javascript: URL is no link
    assert page.evaluate("() => window.__pwned") is None
    _shot(page, "dashboard-geo-events.png")

    assert page.blocked == [] and page.errors == []


def test_a_heat_map_cell_lists_its_events_and_options_travel_in_the_url(page, base_url):
    page.goto(base_url + "/#focal=AZE&poles=TUR,RUS,NATO&freq=quarter&ci=0.9"
              "&start=2020-01-01&end=2021-06-30")
    expect(page.locator("#title")).to_have_text("AZE between TUR, RUS and NATO")
    expect(page.locator("#freq")).to_have_value("quarter")
    expect(page.locator("#tilt-chart path[fill-opacity]").first).to_be_attached()  # bands

    # AZE -> TUR, verbal conflict, over the whole window.
    page.locator("#heat-chart g.cell").nth(2).click()
    expect(page.locator("#events-heading")).to_have_text(
        "Events: AZE → TUR, whole window, verbal conflict"
    )
    expect(page.locator("#events-list tbody tr").first).to_contain_text("verbal conflict")

    # A malformed pole is refused with a message, and the page stays usable.
    page.fill("#pole-input", "T*R")
    page.press("#pole-input", "Enter")
    expect(page.locator("#status")).to_contain_text("is not an actor code")
    page.click("#poles-box .chip[data-code='T*R'] button")
    expect(page.locator("#status")).to_contain_text("6 quarters · 2020Q1 to 2021Q2")
    expect(page.locator("#status")).not_to_have_class("status error")

    # Charts export as images, drawn in the page (the policy allows data: images).
    with page.expect_download() as download:
        page.locator("#tilt-chart .export button", has_text="PNG").click()
    saved = ARTIFACTS / "exported-tilt.png"
    ARTIFACTS.mkdir(exist_ok=True)
    download.value.save_as(saved)
    assert download.value.suggested_filename == "equipoise-AZE-tilt.png"
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    _shot(page, "dashboard-heatmap-events.png")
    assert page.blocked == [] and page.errors == []
