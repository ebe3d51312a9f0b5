"""The HTML report: one self-contained document, safe with untrusted news text.

The page draws its charts and its event table in the browser from a JSON block,
so most checks here read that block back; ``test_report_browser.py`` opens the
file in Chromium and checks what a reader sees.
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import json
import re

import numpy as np
import pandas as pd
import pytest

from equipoise.analysis import dyad_events, equidistance, measure, verdict
from equipoise.analysis.changepoints import DRIVER_COLUMNS, POINT_COLUMNS, changepoints
from equipoise.analysis.unvotes import agreement_matrix
from equipoise.outputs.charts import line_chart_svg
from equipoise.outputs.report import (
    chart_script,
    embed_json,
    highlight,
    render_report,
    safe_url,
    write_report,
)
from factories import event_row

FOCAL, POLES = "AZE", ["TUR", "RUS"]
HOSTILE = "Officials said <script>alert(1)</script> & more"
SVG_NS = "http://www.w3.org/2000/svg"


def event(source, target, quad, when, sentence="A sentence.", url=None, title=None, **extra):
    """An events-table row whose document is named by date and dyad, with its own link."""
    columns = {"doc_id": f"doc-{when}-{source}-{target}", "sentence": sentence,
               "sent_end": len(sentence), "root": "04", "doc_url": url, "doc_title": title}
    return event_row(source, target, quad, when, **{**columns, **extra})


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        [
            event("AZE", "TUR", 1, "2020-01-10", url="https://news.example.org/a", title="A"),
            event("RUS", "AZE", 4, "2020-02-03", url="http://news.example.org/b", title="B"),
            event("TUR", "AZE", 2, "2020-03-15", sentence=HOSTILE, title="<i>C</i>"),
            event("AZE", "RUS", 1, "2020-05-20", url="javascript:alert(2)", title="D"),
            event(
                "AZE",
                "TUR",
                3,
                "2020-04-02",
                url=" https://news.example.org/e ",
                title="E",
                dataset="gdelt",
            ),
        ]
    )


@pytest.fixture
def html(events) -> str:
    # A tiny fixture told in both directions: show every cell, relations both ways.
    aligned = measure(events, FOCAL, POLES, min_events=0, direction="both")
    dyads = dyad_events(events, FOCAL, POLES)
    return render_report(aligned, dyads, FOCAL, POLES, coverage={"documents": 5})


def attribute_values(html: str, name: str) -> list[str]:
    return re.findall(rf'\b{name}\s*=\s*"([^"]*)"', html, flags=re.IGNORECASE)


def report_data(html: str) -> dict:
    """The JSON block the page's script reads."""
    found = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', html, flags=re.S
    )
    assert found, "no data block"
    return json.loads(found.group(1))


def scripts(html: str) -> list[tuple[str, str]]:
    """(opening tag, body) of every script element."""
    return re.findall(r"(<script\b[^>]*>)(.*?)</script>", html, flags=re.S | re.I)


# --------------------------------------------------------------------------- one file, offline


def test_report_is_one_complete_html_document(html):
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert html.count("<html") == 1 and html.rstrip().endswith("</html>")
    assert "<style>" in html


def test_report_loads_nothing_from_outside(html, events):
    lowered = html.lower()
    assert "<link" not in lowered and "@import" not in lowered
    assert re.search(r"\burl\(\s*(?!#)", lowered) is None  # only url(#gradient) references
    assert attribute_values(html, "src") == []
    assert all(tag == "<script>" or "application/json" in tag for tag, _ in scripts(html))
    # Links in the markup only jump within the page; the documents' links are in the data.
    assert all(v.startswith("#") for v in attribute_values(html, "href"))
    # The only absolute URLs anywhere: the events' own documents and the SVG namespace.
    urls = set(re.findall(r"https?://[^\s\"'<>\\)]+", html))
    assert urls == {
        SVG_NS,
        "http://news.example.org/b",
        "https://news.example.org/a",
        "https://news.example.org/e",
    }


def test_the_chart_library_is_inlined(html):
    source = chart_script()
    assert "EquipoiseCharts" in source and source in html
    assert "</script" not in source.lower()


def test_the_chart_library_documents_its_api():
    head = chart_script().split("*/", 1)[0]
    for name in ("lineChart", "heatMap", "exportSVG", "exportPNG", "onPointClick", "markers"):
        assert name in head


# --------------------------------------------------------------------------- escaping


def test_json_block_cannot_close_its_script():
    value = {"s": "</script><script>alert(1)</script><!-- & \u2028 \u2029 é"}
    text = str(embed_json(value))
    assert not set("<>&") & set(text)
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


def test_embedding_refuses_nan():
    with pytest.raises(ValueError):
        embed_json({"x": float("nan")})


def test_news_text_is_escaped_not_rendered(html):
    assert "<script>alert(1)</script>" not in html
    assert "<i>C</i>" not in html
    # In the data block the markup characters are \u escapes, and read back intact.
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0026 more" in html
    rows = report_data(html)["events"]
    assert HOSTILE in [r["text"] for r in rows]
    assert "<i>C</i>" in [r["title"] for r in rows]
    # Only the closing tags of the real script elements are in the file.
    assert html.lower().count("</script") == len(scripts(html)) == 3


def test_the_page_script_writes_text_not_markup(html):
    page_script = scripts(html)[-1][1]
    assert "textContent" in page_script and "createTextNode" in page_script
    assert "innerHTML" not in page_script and "insertAdjacentHTML" not in page_script
    assert "innerHTML" not in chart_script() and "eval(" not in chart_script()


def test_only_http_urls_become_links(html):
    assert "javascript:" not in html
    rows = {r["title"]: r for r in report_data(html)["events"]}
    assert rows["D"]["url"] is None and rows["<i>C</i>"]["url"] is None
    assert rows["E"]["url"] == "https://news.example.org/e"  # trimmed
    # and the page checks again before it makes a link
    assert "/^https?:\\/\\//i.test(e.url)" in html


# --------------------------------------------------------------------------- content


def test_the_headline_is_the_verdict(events, html):
    text = verdict(measure(events, FOCAL, POLES, min_events=0, direction="both"), focal=FOCAL)
    assert htmlmod.escape(text, quote=False) in html
    assert html.index(htmlmod.escape(text, quote=False)) < html.index('id="chart-tilt"')
    # the headline over it: the pole with the largest tilt over the whole range
    assert "<h2>AZE leans toward TUR</h2>" in html


def test_tilt_chart_data_has_one_series_per_pole(html):
    tilt = report_data(html)["charts"]["tilt"]
    assert tilt["x"] == ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05"]
    assert [s["name"] for s in tilt["series"]] == POLES
    assert all(len(s["values"]) == len(tilt["x"]) for s in tilt["series"])
    # one tooltip per point: period, pole, tilt and number of events
    assert tilt["series"][0]["titles"][0].startswith("AZE – TUR · 2020-01 · tilt")
    assert "· 1 event —" in tilt["series"][0]["titles"][0]
    assert tilt["series"][0]["data"][0] == {"pole": "TUR", "period": "2020-01"}
    # and a static chart for readers without JavaScript
    assert "<noscript>" in html and "<svg" in html


def test_insufficient_data_are_gaps_and_intervals_are_bands(events):
    aligned = measure(events, FOCAL, POLES, ci=0.9, n_boot=50)  # min_events 3: every cell thin
    html = render_report(aligned, dyad_events(events, FOCAL, POLES), FOCAL, POLES)
    tilt = report_data(html)["charts"]["tilt"]
    assert all(v is None for s in tilt["series"] for v in s["values"])
    assert "Gaps: periods with fewer than 3 events" in html

    many = pd.DataFrame(
        [
            # Three days apart: each event is its own story (equipoise.analysis.stories).
            event(s, t, q, f"2020-0{m}-{3 * d:02d}", doc_id=f"d{m}{d}{s}{t}")
            for m in (1, 2, 3)
            for d in range(1, 7)
            for s, t, q in (("AZE", "TUR", 1), ("RUS", "AZE", 3 if d % 2 else 1))
        ]
    )
    # RUS acts only toward AZE: relations in both directions give it a score.
    aligned = measure(many, FOCAL, POLES, ci=0.9, n_boot=100, direction="both")
    html = render_report(aligned, dyad_events(many, FOCAL, POLES), FOCAL, POLES)
    data = report_data(html)["charts"]
    turkey = data["tilt"]["series"][0]
    expected = aligned.table[aligned.table["pole"] == "TUR"]
    assert turkey["lo"] == pytest.approx(expected["tilt_lo"].tolist())
    assert turkey["hi"] == pytest.approx(expected["tilt_hi"].tolist())
    assert "90% interval" in turkey["titles"][0]
    assert "lo" in data["equidistance"]["series"][0]
    assert "Shaded bands: 90% intervals" in html


def test_equidistance_is_computed_or_taken_as_given(events):
    aligned = measure(events, FOCAL, POLES, min_events=0)
    dyads = dyad_events(events, FOCAL, POLES)
    computed = report_data(render_report(aligned, dyads, FOCAL, POLES))["charts"]["equidistance"]
    expected = equidistance(aligned)["equidistance"].tolist()
    assert computed["series"][0]["values"] == pytest.approx(expected)

    given = equidistance(aligned).assign(equidistance=0.123)
    html = render_report(aligned, dyads, FOCAL, POLES, equidistance=given)
    assert report_data(html)["charts"]["equidistance"]["series"][0]["values"] == [0.123] * 5


def test_one_pole_has_no_tilt_or_equidistance_chart(events):
    aligned = measure(events, FOCAL, ["TUR"], min_events=0)
    html = render_report(aligned, dyad_events(events, FOCAL, ["TUR"]), FOCAL, ["TUR"])
    charts = report_data(html)["charts"]
    assert charts["tilt"]["yLabel"] == "net cooperation"
    assert "equidistance" not in charts and "netcoop" not in charts
    assert "Net cooperation with TUR" in html
    assert "<h2>AZE–TUR relations mostly cooperative</h2>" in html  # net cooperation +0.20


def test_heat_map_counts_each_direction_by_quad(html):
    heat = report_data(html)["charts"]["heat"]
    assert heat["rows"] == ["AZE → TUR", "TUR → AZE", "AZE → RUS", "RUS → AZE"]
    assert heat["columns"] == [
        "Verbal cooperation",
        "Material cooperation",
        "Verbal conflict",
        "Material conflict",
    ]
    counts = [[int(label.split(" ")[0]) for label in row] for row in heat["labels"]]
    assert counts == [[1, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]
    # colour: the share of the row, positive for cooperation and negative for conflict
    assert heat["values"][0] == [0.5, 0.0, -0.5, -0.0]
    assert heat["values"][3] == [0.0, 0.0, -0.0, -1.0]
    assert heat["rowData"][1] == {"pole": "TUR", "direction": "in"}


def test_every_chart_has_svg_and_png_export_buttons(html, events):
    for report in (html, un_report(events)):
        charts = re.findall(r'data-chart="([^"]+)"', report)
        assert set(charts) == set(report_data(report)["charts"]) and charts
        for chart in charts:
            for kind in ("svg", "png"):
                assert f'data-export="{kind}" data-target="{chart}"' in report


# --------------------------------------------------------------------------- events table


def test_events_are_listed_by_date_with_the_fields_the_filters_use(html):
    rows = report_data(html)["events"]
    days = [r["day"] for r in rows]
    assert days == sorted(days) and len(rows) == 5
    assert {r["pole"] for r in rows} == set(POLES)
    assert {r["quad"] for r in rows} == {1, 2, 3, 4}
    assert {r["dataset"] for r in rows} == {"equipoise", "gdelt"}
    assert {r["dir"] for r in rows} == {"out", "in"}
    # the filter controls offer the poles and datasets
    for name in ("pole", "quad", "dir", "from", "to", "dataset", "q"):
        assert f'name="{name}"' in html
    assert '<option value="TUR">TUR</option>' in html
    assert '<option value="gdelt">gdelt</option>' in html
    data = report_data(html)
    assert data["datasets"] == ["equipoise", "gdelt"]
    assert data["periodRanges"]["2020-02"] == ["2020-02-01", "2020-02-29"]


def test_max_events_keeps_the_strongest(events):
    aligned = measure(events, FOCAL, POLES, min_events=0)
    html = render_report(aligned, dyad_events(events, FOCAL, POLES), FOCAL, POLES, max_events=2)
    rows = report_data(html)["events"]
    assert sorted(r["g"] for r in rows) == [-10.0, 6.4]
    assert "The 2 events with the largest absolute Goldstein score, of 5 in range." in html


@pytest.mark.parametrize(
    ("sentence", "source", "target", "marks"),
    [
        ("Turkey backed Azerbaijan.", "Turkey", "Azerbaijan", [[0, 6, "s"], [14, 24, "t"]]),
        ("Baku thanked turkey; Turkey agreed.", "Turkey", "Baku", [[0, 4, "t"], [21, 27, "s"]]),
        ("baku thanked Ankara.", "Baku", "Ankara", [[0, 4, "s"], [13, 19, "t"]]),  # case
        ("Russia and Russia.", "Russia", "Russia", [[0, 6, "s"]]),  # overlap: first only
        ("No actors here.", "Iran", None, []),
        ("No actors here.", None, float("nan"), []),
        ("🇦🇿 Azerbaijan met Iran.", "Azerbaijan", "Iran", [[5, 15, "s"], [20, 24, "t"]]),
    ],
)
def test_actor_highlights_are_the_first_mentions(sentence, source, target, marks):
    assert highlight(sentence, source, target) == marks


@pytest.mark.parametrize(
    ("sentence", "trigger", "marks"),
    [
        ("Turkey signed a deal with Azerbaijan.", "sign", [[0, 6, "s"], [7, 13, "v"],
                                                          [26, 36, "t"]]),
        ("Turkey Signed a deal with Azerbaijan.", "signed", [[0, 6, "s"], [7, 13, "v"],
                                                            [26, 36, "t"]]),
        ("Turkey met Azerbaijan.", "design", [[0, 6, "s"], [11, 21, "t"]]),  # no such word
        ("Turkey turned away.", "turk", [[0, 6, "s"]]),  # inside the actor: dropped
    ],
)
def test_the_trigger_is_marked_as_a_word(sentence, trigger, marks):
    assert highlight(sentence, "Turkey", "Azerbaijan", trigger) == marks


def test_highlights_reach_the_table(events):
    events = events.assign(
        source_text=["Azerbaijan", None, "Turkey", "", "Azerbaijan"],
        target_text=["Turkey", None, None, None, "Turkey"],
    )
    events.loc[0, "sentence"] = "Azerbaijan thanked Turkey."
    aligned = measure(events, FOCAL, POLES, min_events=0)
    html = render_report(aligned, dyad_events(events, FOCAL, POLES), FOCAL, POLES)
    rows = report_data(html)["events"]
    assert rows[0]["marks"] == [[0, 10, "s"], [19, 25, "t"]]
    assert rows[1]["marks"] == []


# --------------------------------------------------------------------------- change points


def generated_stream(seed: int = 11, n_docs: int = 300) -> pd.DataFrame:
    """Articles over 2018-2019 with a switch toward Turkey at the start of 2019."""
    rng = np.random.default_rng(seed)
    before = {"TUR": 0.6, "RUS": 0.6, "IRN": 0.6}
    after = {"TUR": 0.95, "RUS": 0.3, "IRN": 0.45}
    rows = []
    for d in range(n_docs):
        when = dt.date(2018, 1, 1) + dt.timedelta(days=int(rng.integers(730)))
        pole = ("TUR", "RUS", "IRN")[int(rng.integers(3))]
        shares = after if when >= dt.date(2019, 1, 1) else before
        for n in range(int(rng.integers(1, 5))):
            quad = int(rng.choice([1, 2] if rng.random() < shares[pole] else [3, 4]))
            source, target = ("AZE", pole) if n % 2 == 0 else (pole, "AZE")
            rows.append(
                event(
                    source,
                    target,
                    quad,
                    when.isoformat(),
                    doc_id=f"d{d:03d}",
                    sent_start=100 * n,
                    sentence=f"{source} and {target}, event {n} of d{d:03d}.",
                    doc_title=f"Article d{d:03d}",
                    doc_url=f"https://news.example/d{d:03d}",
                )
            )
    return pd.DataFrame(rows)


def test_change_points_are_marked_and_listed_with_their_drivers():
    stream = generated_stream()
    poles = ["TUR", "RUS", "IRN"]
    points, drivers = changepoints(stream, FOCAL, poles, freq="month")
    assert len(points) and len(drivers)
    aligned = measure(stream, FOCAL, poles, freq="month")
    html = render_report(
        aligned, dyad_events(stream, FOCAL, poles), FOCAL, poles, changepoints=(points, drivers)
    )
    markers = report_data(html)["charts"]["tilt"]["markers"]
    assert [m["x"] for m in markers] == points["period"].tolist()
    section = html[html.index('id="changes"') : html.index('id="balance"')]
    for row in points.itertuples():
        assert f"{row.pole} from {row.period}" in section
        top = drivers[(drivers["pole"] == row.pole) & (drivers["period"] == row.period)]
        # A driver is a story group, named by the first of its articles.
        for title in top.groupby("rank")["doc_title"].first():
            assert f">{title}</a>" in section
        assert top["sentence"].iloc[0] in section
    assert "influence" in section and "shift without it" in section
    assert '<div class="label">Change points</div>' in html  # and a tile in the summary


def test_change_point_text_is_escaped_and_links_are_checked():
    points = pd.DataFrame(
        [["TUR", "2020-02", dt.date(2020, 2, 1), -0.1, 0.5, 0.6, "2020-01", "2020-03", 1, 2,
          0.9]],
        columns=POINT_COLUMNS,
    )
    base = {c: None for c in DRIVER_COLUMNS}
    drivers = pd.DataFrame(
        [
            {
                **base,
                "pole": "TUR",
                "period": "2020-02",
                "rank": 1,
                "doc_id": "x",
                "influence": 0.25,
                "shift_without": 0.35,
                "event_date": dt.date(2020, 2, 3),
                "event_pole": "TUR",
                "direction": "out",
                "source": "AZE",
                "target": "TUR",
                "cameo": "042",
                "quad": 1,
                "goldstein": 1.9,
                "sentence": HOSTILE,
                "doc_title": "<b>T</b>",
                "doc_url": "javascript:alert(1)",
            },
        ]
    )
    frame = pd.DataFrame(
        [event("AZE", "TUR", 1, "2020-01-05"), event("AZE", "RUS", 1, "2020-03-05")]
    )
    aligned = measure(frame, FOCAL, POLES, min_events=0)
    html = render_report(
        aligned, dyad_events(frame, FOCAL, POLES), FOCAL, POLES, changepoints=(points, drivers)
    )
    section = html[html.index('id="changes"') : html.index('id="balance"')]
    assert "TUR from 2020-02" in section and "mean tilt -0.10 → +0.50 (shift +0.60)" in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in section
    assert "<b>&lt;b&gt;T&lt;/b&gt;</b>" in section  # a title without a link
    assert "javascript:" not in html
    assert report_data(html)["charts"]["tilt"]["markers"][0]["label"] == "TUR ▲"


def test_no_change_points_section_unless_given(html, events):
    assert 'id="changes"' not in html
    aligned = measure(events, FOCAL, POLES, min_events=0)
    empty = pd.DataFrame(columns=POINT_COLUMNS), pd.DataFrame(columns=["pole", "period"])
    html = render_report(
        aligned, dyad_events(events, FOCAL, POLES), FOCAL, POLES, changepoints=empty
    )
    assert 'id="changes"' in html and "No change points" in html


# --------------------------------------------------------------------------- UN votes


def un_votes() -> pd.DataFrame:
    rows = []
    ballots = {
        1: (70, ("yes", "yes", "no")),
        2: (70, ("yes", "no", "yes")),
        3: (70, ("abstain", "yes", "yes")),
        4: (71, ("yes", "yes", "no")),
        5: (71, ("no", "no", "yes")),
    }
    for rcid, (session, votes) in ballots.items():
        for country, vote in zip(("AZE", "TUR", "RUS"), votes, strict=True):
            rows.append((rcid, session, f"{2000 + session - 55}-10-0{rcid}", country, vote))
    table = pd.DataFrame(rows, columns=["rcid", "session", "date", "country", "vote"])
    table["date"] = pd.to_datetime(table["date"])
    return agreement_matrix(table, "AZE", ["TUR", "RUS"])


def un_report(events) -> str:
    aligned = measure(events, FOCAL, POLES, min_events=0)
    return render_report(
        aligned, dyad_events(events, FOCAL, POLES), FOCAL, POLES, un_votes=un_votes()
    )


def test_un_panel_only_when_votes_are_given(html, events):
    assert 'id="un"' not in html and "un-agree-share" not in report_data(html)["charts"]
    with_votes = un_report(events)
    assert 'id="un"' in with_votes and "UN General Assembly voting agreement" in with_votes
    charts = report_data(with_votes)["charts"]
    agreement = charts["un-agree-share"]
    assert agreement["x"] == ["70", "71"]
    assert [s["name"] for s in agreement["series"]] == POLES
    expected = un_votes()
    turkey = expected[expected["pole"] == "TUR"]
    assert agreement["series"][0]["values"] == pytest.approx(turkey["agree_share"].tolist())
    assert {"un-s-score", "un-pi"} <= set(charts) and "un-kappa" not in charts
    assert charts["un-pi"]["series"][0]["values"] == pytest.approx(turkey["pi"].tolist())
    assert "<th class=\"num\">Scott&#39;s pi</th>" in with_votes
    kappa = render_report(
        measure(events, FOCAL, POLES, min_events=0), dyad_events(events, FOCAL, POLES), FOCAL,
        POLES, un_votes=expected, un_measure="kappa",
    )
    charts = report_data(kappa)["charts"]
    assert "un-kappa" in charts and "un-pi" not in charts
    assert charts["un-kappa"]["series"][1]["values"] == pytest.approx(
        expected[expected["pole"] == "RUS"]["kappa"].tolist(), nan_ok=True
    )
    assert "<th class=\"num\">Cohen&#39;s kappa</th>" in kappa
    with pytest.raises(ValueError, match="un_measure"):
        render_report(measure(events, FOCAL, POLES, min_events=0),
                      dyad_events(events, FOCAL, POLES), FOCAL, POLES, un_votes=expected,
                      un_measure="tau")
    empty = render_report(
        measure(events, FOCAL, POLES, min_events=0),
        dyad_events(events, FOCAL, POLES),
        FOCAL,
        POLES,
        un_votes=un_votes().iloc[0:0],
    )
    assert 'id="un"' not in empty


# --------------------------------------------------------------------------- method, coverage


def test_method_note_and_coverage(html):
    method = html[html.index('id="method"') :]
    assert "docs/methodology.md" in method
    assert "Tilt</b> toward a pole" in method and "1 − sd / sd_max(m)" in method
    coverage = re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", method)
    found = dict(coverage)
    assert found["Dyad events"] == "5" and found["Documents"] == "5"
    assert found["Event dates"] == "2020-01-10 to 2020-05-20"
    assert found["Datasets"] == "equipoise (4), gdelt (1)"
    assert "news.example.org (3)" in found["Web sources"]


def test_per_pole_figures_are_shown(html):
    for pole in POLES:
        assert f"<h3>{pole}</h3>" in html
    assert "Tilt, first half" in html and "Tilt, second half" in html


def test_report_without_events_still_renders():
    empty = pd.DataFrame([event("AZE", "ARM", 1, "2020-01-01")])
    aligned = measure(empty, FOCAL, POLES, start=dt.date(2020, 1, 1), end=dt.date(2020, 3, 31))
    html = render_report(aligned, dyad_events(empty, FOCAL, POLES), FOCAL, POLES)
    assert "No events in this range." in html
    assert "no events were found between AZE and TUR or RUS" in html
    assert "No events between AZE and TUR or RUS" in html
    assert report_data(html)["events"] == []


def test_report_with_nothing_at_all():
    frame = pd.DataFrame([event("AZE", "ARM", 1, "2020-01-01")])
    aligned = measure(frame, FOCAL, POLES)  # no range and no dyad events: an empty table
    html = render_report(aligned, dyad_events(frame, FOCAL, POLES), FOCAL, POLES)
    assert report_data(html)["charts"] == {}
    assert "No events in this range." in html


# --------------------------------------------------------------------------- helpers


def test_write_report_replaces_the_file_in_one_step(tmp_path):
    target = tmp_path / "out" / "report.html"
    write_report(target, "<p>first</p>")
    write_report(target, "<p>second</p>")
    assert target.read_text(encoding="utf-8") == "<p>second</p>"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/x?a=1", "https://example.org/x?a=1"),
        ("  http://example.org  ", "http://example.org"),
        ("javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,hi", None),
        ("//example.org/x", None),
        ("https://exa mple.org", None),
        (None, None),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_line_chart_escapes_labels_and_draws_one_line_per_series():
    svg = line_chart_svg(
        {"x": ["2020-01", "2020-02"],
         "series": [{"name": "<b>A</b>", "values": [0.1, -0.2]},
                    {"name": "B", "values": [0.0, None]}]},
        title="T & U",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<path") == 2
    assert "<b>" not in svg and "&lt;b&gt;A&lt;/b&gt;" in svg
    assert "T &amp; U" in svg


def test_the_static_chart_draws_the_bands_and_markers_of_its_spec():
    spec = {
        "x": ["2020-01", "2020-02", "2020-03", "2020-04"],
        "series": [{"name": "TUR", "color": "#0072B2", "values": [0.1, None, 0.3, 0.2],
                    "lo": [0.0, None, 0.1, 0.1], "hi": [0.2, None, 0.4, 0.3],
                    "titles": ["one", "", "three", "four"]}],
        "markers": [{"x": "2020-03", "label": "TUR ▲", "title": "a break"},
                    {"x": "2021-01", "label": "elsewhere"}],
        "label": "Tilt & more",
    }
    svg = line_chart_svg(spec)
    # A band each side of the gap, one marker (the other lies outside the x labels).
    assert svg.count('fill-opacity="0.15"') == 2
    assert svg.count("stroke-dasharray") == 1 and "a break" in svg and "elsewhere" not in svg
    assert svg.count("<circle") == 1 + 3  # the legend swatch and three points
    assert "<title>three</title>" in svg and 'aria-label="Tilt &amp; more"' in svg


def test_a_pole_keeps_its_colour_whatever_the_pole_list():
    from equipoise.outputs.charts import pole_colours

    one = pole_colours(["TUR", "RUS", "IRN"])
    other = pole_colours(["RUS", "CHN", "TUR", "KAZ", "UZB"])
    assert one["TUR"] == other["TUR"] and one["RUS"] == other["RUS"]
    assert len(set(other.values())) == len(other)  # no two poles alike


# --------------------------------------------------------------------------- downloads


def test_the_tables_download_as_csv_and_json_from_the_page_itself():
    stream = generated_stream()
    poles = ["TUR", "RUS", "IRN"]
    points, drivers = changepoints(stream, FOCAL, poles, freq="month")
    aligned = measure(stream, FOCAL, poles, freq="month")
    balance = equidistance(aligned)
    html = render_report(aligned, dyad_events(stream, FOCAL, poles), FOCAL, poles,
                         equidistance=balance, changepoints=(points, drivers))
    tables = report_data(html)["tables"]
    assert set(tables) == {"alignment", "equidistance", "changepoints"}
    # The same columns and rows as the analysis tables, values as the JSON outputs write them.
    for name, frame in (("alignment", aligned.table), ("equidistance", balance),
                        ("changepoints", points)):
        table = tables[name]
        assert table["columns"] == [str(c) for c in frame.columns]
        assert len(table["rows"]) == len(frame)
        assert all(len(row) == len(frame.columns) for row in table["rows"])
    first = dict(zip(tables["alignment"]["columns"], tables["alignment"]["rows"][0], strict=True))
    assert first["pole"] == aligned.table["pole"].iloc[0]
    assert first["n_events"] == int(aligned.table["n_events"].iloc[0])
    assert first["tilt"] == pytest.approx(aligned.table["tilt"].iloc[0])
    assert [row[tables["changepoints"]["columns"].index("period")]
            for row in tables["changepoints"]["rows"]] == points["period"].astype(str).tolist()
    # A CSV and a JSON button for each table, and for the events the filters keep.
    for name in ("alignment", "equidistance", "changepoints", "events"):
        for kind in ("csv", "json"):
            assert f'data-download="{kind}" data-table="{name}"' in html
    # The page makes the files itself, with the chart library's table export.
    assert "Charts.exportTable(" in html and "function exportTable(" in chart_script()
    assert "createObjectURL" in chart_script()


def test_no_download_buttons_for_tables_the_report_lacks(html):
    # Two poles, no change points asked for: nothing to download for them.
    assert 'data-table="changepoints"' not in html
    assert "changepoints" not in report_data(html)["tables"]
    assert 'data-download="csv" data-table="alignment"' in html


# --------------------------------------------------------------------------- judgements


def test_a_judgement_in_the_store_is_listed_in_the_methods(tmp_path):
    from typer.testing import CliRunner

    from equipoise.outputs.cli import app
    from equipoise.store import Store
    from factories import write_store

    day = dt.date
    db = write_store(tmp_path / "store.duckdb", [
        [("AZE", "TUR", 1, day(2020, 1, 10)), ("RUS", "AZE", 3, day(2020, 2, 3))],
        [("AZE", "RUS", 4, day(2020, 3, 5)), ("TUR", "AZE", 2, day(2020, 4, 9))],
    ])  # fmt: skip
    with Store(db) as store:
        events = store.events_frame()
        conflict = events[events["quad"] == 4].iloc[0]
        cooperation = events[events["quad"] == 2].iloc[0]
        for row, verdict_name, cameo, reason in (
            (conflict, "exclude", None, "not an <b>event</b>: a rumour"),
            (cooperation, "miscoded", "036", "a promise, not a delivery"),
        ):
            store.judge(row["doc_id"], int(row["sent_start"]), row["source"], row["target"],
                        row["root"], verdict=verdict_name, reason=reason, who="ana",
                        cameo=cameo)
    output = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--focal", "AZE", "--poles",
                                      "TUR,RUS", "--min-events", "1", "--output", str(output)])
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    method = html[html.index('id="method"') : html.index("<footer")]
    part = method[method.index('id="judgements"') :]
    text = re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", " ", part)))
    assert "1 event excluded by the analyst" in text
    assert "1 marked miscoded" in text
    rows = re.findall(r"<tr>(.*?)</tr>", part.split("<tbody>", 1)[1], flags=re.S)
    assert len(rows) == 2
    cells = [re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", " ", r))).strip()
             for r in rows]
    excluded = next(c for c in cells if "not an <b>event</b>" in c)
    assert f"AZE → RUS, root {conflict['root']}" in excluded and " excluded " in excluded
    assert f"{conflict['doc_id']}:{int(conflict['sent_start'])}" in excluded
    assert "ana" in excluded and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", excluded)
    miscoded = next(c for c in cells if "a promise, not a delivery" in c)
    assert "TUR → AZE" in miscoded and "miscoded, should be 036" in miscoded
    # The reason is news-adjacent text too: escaped, never markup.
    assert "<b>event</b>" not in part and "&lt;b&gt;event&lt;/b&gt;" in part
    # The judgements can be taken away as a table as well.
    judged = report_data(html)["tables"]["judgements"]
    assert sorted(r[judged["columns"].index("verdict")] for r in judged["rows"]) == [
        "exclude", "miscoded"]
    assert 'data-download="json" data-table="judgements"' in html


def test_no_judgements_no_judgement_list(html):
    assert 'id="judgements"' not in html
    assert "judgements" not in report_data(html)["tables"]
