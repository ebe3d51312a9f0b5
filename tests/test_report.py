"""The HTML report: one self-contained document, safe with untrusted news text."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from equipoise.analysis import align, dyad_events, verdict
from equipoise.outputs.charts import line_chart_svg
from equipoise.outputs.report import render_report, safe_url, write_report

FOCAL, POLES = "AZE", ["TUR", "RUS"]
HOSTILE = "Officials said <script>alert(1)</script> & more"


def event(source, target, quad, when, sentence="A sentence.", url=None, title=None, **extra):
    row = {
        "doc_id": f"doc-{when}-{source}-{target}",
        "sent_start": 0,
        "sent_end": len(sentence),
        "sentence": sentence,
        "source": source,
        "source_country": source,
        "source_sector": "GOV",
        "target": target,
        "target_country": target,
        "target_sector": "GOV",
        "cameo": {1: "042", 2: "061", 3: "112", 4: "190"}[quad],
        "root": "04",
        "quad": quad,
        "goldstein": {1: 1.9, 2: 6.4, 3: -2.0, 4: -10.0}[quad],
        "plover": "",
        "event_date": dt.date.fromisoformat(when),
        "date_precision": "day",
        "symmetric": False,
        "reported": False,
        "trigger": "",
        "coder": "test",
        "dataset": "equipoise",
        "doc_url": url,
        "doc_title": title,
        "published": None,
    }
    row.update(extra)
    return row


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        [
            event("AZE", "TUR", 1, "2020-01-10", url="https://news.example.org/a", title="A"),
            event("RUS", "AZE", 4, "2020-02-03", url="http://news.example.org/b", title="B"),
            event("TUR", "AZE", 2, "2020-03-15", sentence=HOSTILE, title="<i>C</i>"),
            event("AZE", "RUS", 1, "2020-05-20", url="javascript:alert(2)", title="D"),
            event("AZE", "TUR", 3, "2020-04-02", url=" https://news.example.org/e ", title="E"),
        ]
    )


@pytest.fixture
def html(events) -> str:
    aligned = align(events, FOCAL, POLES, min_events=0)  # a tiny fixture: show every cell
    dyads = dyad_events(events, FOCAL, POLES)
    return render_report(aligned, dyads, FOCAL, POLES, coverage={"documents": 5})


def attribute_values(html: str, name: str) -> list[str]:
    return re.findall(rf'\b{name}\s*=\s*"([^"]*)"', html, flags=re.IGNORECASE)


def test_report_is_one_complete_html_document(html):
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert html.count("<html") == 1 and html.rstrip().endswith("</html>")
    assert "<style>" in html


def test_report_loads_nothing_from_outside(html):
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<link" not in lowered
    assert "@import" not in lowered and "url(" not in lowered
    assert attribute_values(html, "src") == []
    # The only external references are the links to the events' own documents.
    links = [v for v in attribute_values(html, "href") if v.startswith(("http:", "https:"))]
    assert sorted(links) == [
        "http://news.example.org/b",
        "https://news.example.org/a",
        "https://news.example.org/e",
    ]


def test_report_draws_the_tilt_chart_inline(html):
    assert "<svg" in html
    # one tooltip per point: period, pole, tilt and number of events
    assert "2020-01 · TUR: tilt" in html
    assert "1 event</title>" in html


def test_the_headline_is_the_verdict(events, html):
    text = verdict(align(events, FOCAL, POLES, min_events=0), focal=FOCAL)
    assert text in html
    assert html.index(text) < html.index("<svg")


def test_news_text_is_escaped_not_rendered(html):
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<i>C</i>" not in html and "&lt;i&gt;C&lt;/i&gt;" in html


def test_only_http_urls_become_links(html):
    assert "javascript:" not in html
    assert ">D</a>" not in html
    assert re.search(r'<td class="doc">\s*D\s*<span', html)  # the title, as plain text


def test_events_are_listed_by_date(html):
    body = html[html.index("<tbody>") :]
    dates = re.findall(r'<td class="nowrap">(\d{4}-\d{2}-\d{2})</td>', body)
    assert dates == sorted(dates) and len(dates) == 5


def test_per_pole_figures_are_shown(html):
    for pole in POLES:
        assert f"<h3>{pole}</h3>" in html
    assert "Tilt, first half" in html and "Tilt, second half" in html


def test_report_without_events_still_renders():
    empty = pd.DataFrame([event("AZE", "ARM", 1, "2020-01-01")])
    aligned = align(empty, FOCAL, POLES, start=dt.date(2020, 1, 1), end=dt.date(2020, 3, 31))
    html = render_report(aligned, dyad_events(empty, FOCAL, POLES), FOCAL, POLES)
    assert "No events in this range." in html
    assert "no events were found between AZE and TUR or RUS" in html


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
        {"<b>A</b>": [("2020-01", 0.1), ("2020-02", -0.2)], "B": [("2020-01", 0.0)]},
        title="T & U",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<path") == 2
    assert "<b>" not in svg and "&lt;b&gt;A&lt;/b&gt;" in svg
    assert "T &amp; U" in svg
