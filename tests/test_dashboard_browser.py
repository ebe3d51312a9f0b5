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

import re
import shutil
from pathlib import Path

import pytest

from browser_checks import OVERFLOW_JS, local_page, low_contrast, serving
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
def store_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("browser") / "dash.duckdb")


@pytest.fixture(scope="module")
def base_url(store_path):
    """The dashboard of a fresh test store, served by uvicorn on 127.0.0.1."""
    from equipoise.outputs.server import create_app

    with serving(create_app(store_path)) as url:
        yield url


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
    context, opened = local_page(browser, base_url)
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


def test_dragging_across_the_chart_zooms_in_and_a_double_click_zooms_out(page, base_url):
    page.goto(base_url + "/#start=2020-01-01&end=2021-06-30&freq=month&direction=both")
    area = page.locator("#tilt-chart rect.brush-area")
    expect(area).to_be_visible()
    box = area.bounding_box()
    # From a quarter of the way across to three quarters: a span of whole months.
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.25, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=4)
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=4)
    page.mouse.up()
    start, end = page.input_value("#start"), page.input_value("#end")
    assert "2020-01-01" < start < end < "2021-06-30"
    assert start.endswith("-01")  # the first day of the first month of the span
    expect(page).to_have_url(re.compile(f"start={start}&end={end}"))
    # The chart is drawn again for the months of the span only: its first label is the
    # span's first month.
    expect(page.locator("#tilt-chart svg text", has_text=re.compile(r"^2020-01$"))
           ).to_have_count(0)
    expect(page.locator("#tilt-chart svg text", has_text=re.compile(f"^{start[:7]}$"))
           ).to_have_count(1)
    area.dblclick()
    expect(page.locator("#start")).not_to_have_value(start)
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


GEO_VIEW = "/#focal=GEO&poles=TUR,RUS&start=2020-01-01&end=2020-06-30"
# The page's main text: headings, labels, notes, the verdict, the event list.
TEXT = ["h1", ".eyebrow", ".meta li", "label.field", ".note", ".status", "#verdict", "h2",
        ".events td", ".events .sub", ".badge", "mark.actor", ".chip", "footer p",
        "button.primary", ".export button", "#ev-q"]


def _georgia_in_march(page) -> None:
    """List the events of Georgia with Russia in March 2020 (five, one of them hostile)."""
    page.locator("#tilt-chart g.point", has_text="RUS · 2020-03").click()
    expect(page.locator("#events-count")).to_have_text("5 events")


def test_two_focal_states_side_by_side_on_shared_axes_and_colours(page, base_url):
    page.goto(base_url + "/#focal=AZE&poles=TUR,RUS&compare=GEO&start=2020-01-01"
              "&end=2020-06-30")
    expect(page.locator("#title")).to_have_text("AZE and GEO between TUR and RUS")
    expect(page.locator("#tilt-chart-2 svg")).to_be_visible()
    expect(page.locator("#tilt-title-2")).to_have_text("GEO (Georgia)")
    aligned = page.evaluate("""() => fetch('/api/align?focal=GEO&poles=TUR,RUS'
        + '&start=2020-01-01&end=2020-06-30').then((r) => r.json())""")
    expect(page.locator("#verdict-2")).to_have_text(aligned["verdict"])

    def axis(chart: str) -> list[str]:
        return page.locator(f"{chart} g.grid > text").all_inner_texts()

    def strokes(chart: str) -> list[str | None]:
        return [line.get_attribute("stroke")
                for line in page.locator(f"{chart} path.line").all()]

    assert axis("#tilt-chart") == axis("#tilt-chart-2")  # same y ticks and x labels
    assert strokes("#tilt-chart") == strokes("#tilt-chart-2") == [
        aligned["colours"]["TUR"], aligned["colours"]["RUS"]]
    # Both panels sit side by side on a desktop screen.
    first = page.locator("#tilt-chart").bounding_box()
    second = page.locator("#tilt-chart-2").bounding_box()
    assert second["x"] > first["x"] + first["width"] - 1 and abs(second["y"] - first["y"]) < 2

    # A point of the second chart lists the second state's events.
    page.locator("#tilt-chart-2 g.point", has_text="GEO – RUS · 2020-03").click()
    expect(page.locator("#events-heading")).to_have_text("Events: GEO → RUS, 2020-03")
    expect(page.locator("#events-count")).to_have_text("5 events")

    # An unknown second state is said so beside the first, which stays drawn.
    page.fill("#compare", "ZZZ")
    page.press("#compare", "Enter")
    expect(page.locator("#verdict-2")).to_contain_text("ZZZ")
    expect(page.locator("#tilt-chart-2")).to_contain_text("ZZZ")
    expect(page.locator("#tilt-chart svg")).to_be_visible()
    assert [e for e in page.errors if "status of 422" not in e] == []  # the browser's note
    page.errors.clear()
    # Comparing with a pole is refused with a reason.
    page.fill("#compare", "RUS")
    page.press("#compare", "Enter")
    expect(page.locator("#status")).to_contain_text("cannot be compared while it is a pole")
    assert page.blocked == [] and page.errors == []


def test_the_event_list_marks_actors_and_filters(page, base_url):
    page.goto(base_url + GEO_VIEW)
    _georgia_in_march(page)
    first = page.locator("#events-list tbody tr").first
    assert first.locator("mark.actor").all_inner_texts() == ["Georgia", "Russia"]
    assert first.locator("mark.actor.src").get_attribute("title") == "source: GEO"
    # Filters act on the listed events, without asking the server.
    page.select_option("#ev-quad", "3")
    rows = page.locator("#events-list tbody tr")
    expect(page.locator("#events-count")).to_have_text("3 shown · 5 events")
    assert set(rows.locator(".badge").all_inner_texts()) == {"verbal conflict"}
    page.fill("#ev-q", "detention")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td.sentence")).to_have_text(HOSTILE_SENTENCE)
    page.fill("#ev-q", "nothing-like-this")
    expect(page.locator("#events-list")).to_contain_text("No listed event matches")
    page.fill("#ev-q", "")
    page.select_option("#ev-quad", "")
    page.select_option("#ev-sort", "-date")
    dates = page.locator("#events-list tbody tr td:first-child").all_inner_texts()
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    # The listed events and the chart's table download as CSV from the API.
    with page.expect_download() as download:
        page.click("#events-csv")
    assert download.value.suggested_filename == "events-GEO-RUS.csv"  # the server's name
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("doc_id,") and len(lines) == 1 + 5
    with page.expect_download() as download:
        page.locator("#tilt-chart .export a", has_text="CSV").click()
    assert download.value.suggested_filename == "align-GEO.csv"
    table = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert table[0].startswith("period,") and len(table) == 1 + 6 * 2  # months x poles
    assert page.blocked == [] and page.errors == []


def test_on_a_phone_nothing_scrolls_sideways_and_events_are_cards(browser, base_url):
    context, page = local_page(browser, base_url, viewport={"width": 390, "height": 844},
                          is_mobile=True, has_touch=True)
    try:
        page.goto(base_url + GEO_VIEW + "&compare=AZE")
        expect(page.locator("#tilt-chart-2 svg")).to_be_visible()
        _georgia_in_march(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.evaluate(OVERFLOW_JS) == []
        # Each event is a card with its sentence first, above date and actors.
        # (measured at once: the list is still scrolling into view)
        card = page.locator("#events-list tbody tr").first.evaluate("""(row) => {
            const box = (n) => n.getBoundingClientRect();
            return { sentence: box(row.querySelector('td.sentence')).top,
                     date: box(row.querySelector('td')).top,
                     left: box(row).left, right: box(row).right }; }""")
        assert card["sentence"] < card["date"] and card["left"] >= 0 and card["right"] <= 390
        # The heat map keeps a readable width and scrolls inside its own box.
        heat = page.locator("#heat-chart")
        inner = heat.evaluate("n => [n.scrollWidth, n.clientWidth]")
        assert inner[0] >= 440 > inner[1]
        # The two tilt charts are stacked.
        assert page.evaluate("""() => document.getElementById('tilt-chart-2')
            .getBoundingClientRect().top - document.getElementById('tilt-chart')
            .getBoundingClientRect().top""") > 100
        page.locator("#events-card").scroll_into_view_if_needed()
        _shot(page, "dashboard-phone.png")
        assert page.blocked == [] and page.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_aa_in_light_and_dark(browser, base_url, scheme):
    context, page = local_page(browser, base_url, color_scheme=scheme,
                          viewport={"width": 1440, "height": 900})
    try:
        page.goto(base_url + GEO_VIEW)
        _georgia_in_march(page)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (background == "rgb(15, 21, 28)") == (scheme == "dark")
        assert low_contrast(page, TEXT) == []
        if scheme == "dark":
            _shot(page, "dashboard-desktop-dark.png")
        else:
            _shot(page, "dashboard-desktop.png")
    finally:
        context.close()


@pytest.fixture(scope="module")
def annotating_url(store_path, tmp_path_factory):
    """An annotating dashboard over its own copy of the test store: (url, store path)."""
    from equipoise.outputs.server import create_app

    copy = Path(shutil.copy(store_path, tmp_path_factory.mktemp("judged") / "judged.duckdb"))
    with serving(create_app(copy, annotate=True, who="ana")) as url:
        yield url, copy


def test_an_analyst_excludes_an_event_from_the_page_and_the_numbers_change(
        browser, annotating_url):
    from equipoise.store import Store

    base_url, store_path = annotating_url
    context, page = local_page(browser, base_url)
    try:
        page.goto(base_url + GEO_VIEW)

        def march() -> dict:
            answer = page.evaluate("""() => fetch('/api/align?focal=GEO&poles=TUR,RUS'
                + '&start=2020-01-01&end=2020-06-30').then((r) => r.json())""")
            return next(r for r in answer["records"]
                        if r["pole"] == "RUS" and r["period"] == "2020-03")

        before = march()
        _georgia_in_march(page)
        hostile = page.locator("#events-list tbody tr", has_text="over the detention")
        hostile.locator("button[data-judge=exclude]").click()
        # A reason is required.
        hostile.locator("form.judge-form button[type=submit]").click()
        expect(hostile.locator(".form-error")).to_contain_text("Give a reason")
        hostile.locator("input[name=reason]").fill("a protest note, not an act against Russia")
        hostile.locator("form.judge-form button[type=submit]").click()
        expect(page.locator("#judge-notice")).to_contain_text("Excluded: GEO→RUS")
        # The view is computed again: the event is gone from the list and the figures.
        expect(page.locator("#events-count")).to_have_text("4 events")
        expect(page.locator("#events-list")).not_to_contain_text("over the detention")
        after = march()
        assert after["n_events"] == before["n_events"] - 1
        assert after["score"] != before["score"]
        with Store(store_path, read_only=True) as store:
            stored = store.judgements()
        assert stored[["verdict", "reason", "who"]].values.tolist() == [
            ["exclude", "a protest note, not an act against Russia", "ana"]]

        # Undone from the notice: the event and the figures come back.
        page.locator("#judge-notice button", has_text="Undo").click()
        expect(page.locator("#events-count")).to_have_text("5 events")
        expect(page.locator("#judge-notice")).to_contain_text("Judgement withdrawn")
        assert march() == before

        # Marked miscoded: still counted, shown with its judgement until withdrawn.
        row = page.locator("#events-list tbody tr").first
        row.locator("button[data-judge=miscoded]").click()
        row.locator("input[name=reason]").fill("a meeting, not a threat")
        row.locator("input[name=cameo]").fill("036")
        row.locator("form.judge-form button[type=submit]").click()
        judged = page.locator("#events-list .judged")
        expect(judged).to_contain_text("Marked miscoded (should be 036): a meeting, not a threat")
        expect(page.locator("#events-count")).to_have_text("5 events")
        assert march() == before
        _shot(page, "dashboard-annotate.png")
        page.locator("#events-list td.judge-cell:has(.judged) button",
                     has_text="Withdraw").click()
        expect(judged).to_have_count(0)
        with Store(store_path, read_only=True) as store:
            assert store.judgements().empty
        assert page.blocked == [] and page.errors == []
    finally:
        context.close()


def test_a_read_only_dashboard_offers_no_judging(page, base_url):
    page.goto(base_url + GEO_VIEW)
    _georgia_in_march(page)
    assert page.locator("#events-list button[data-judge]").count() == 0
    assert page.locator("#config").get_attribute("data-token") == ""


def test_the_charts_are_drawn_from_the_specs_the_api_serves(browser, store_path):
    from equipoise.outputs.server import create_app
    from test_server import vote_table

    with serving(create_app(store_path, un_votes=vote_table())) as url:
        context, page = local_page(browser, url)
        try:
            page.goto(url + "/#focal=AZE&poles=NATO,RUS,TUR&start=2020-01-01&end=2021-06-30")
            expect(page.locator("#un-chart svg")).to_be_visible()
            served = page.evaluate("""() => fetch('/api/align?focal=AZE&poles=NATO,RUS,TUR'
                + '&start=2020-01-01&end=2021-06-30').then((r) => r.json())""")["charts"]
            # The tilt chart's points carry the tooltips of the served spec, in its colours.
            def texts(selector: str) -> list[str]:
                return page.locator(selector).evaluate_all("ns => ns.map((n) => n.textContent)")

            tips = texts("#tilt-chart g.point title")
            spec = served["tilt"]
            expected = [t for s in spec["series"] for t, v in zip(s["titles"], s["values"],
                                                                  strict=True) if v is not None]
            assert sorted(tips) == sorted(expected) and tips
            strokes = [line.get_attribute("stroke")
                       for line in page.locator("#tilt-chart path.line").all()]
            assert strokes == [s["color"] for s in spec["series"]]
            heat = texts("#heat-chart g.cell title")
            assert heat == [t for row in served["heat"]["titles"] for t in row]
            # The UN chart: the S score spec of /api/unvotes, each state in its colour.
            un = page.evaluate("""() => fetch('/api/unvotes?focal=AZE&poles=NATO,RUS,TUR'
                + '&by=session').then((r) => r.json())""")["charts"]["un-s-score"]
            lines = [line.get_attribute("stroke")
                     for line in page.locator("#un-chart path.line").all()]
            assert lines == [s["color"] for s in un["series"]] == [
                dict(zip([s["name"] for s in spec["series"]], strokes, strict=True))[p]
                for p in ("RUS", "TUR")]
            assert page.blocked == [] and page.errors == []
        finally:
            context.close()
