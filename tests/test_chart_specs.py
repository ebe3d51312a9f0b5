"""One set of chart specs: the report embeds the specs the dashboard API serves for the
same question, so the two front ends draw the same charts."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from equipoise.outputs import specs
from equipoise.outputs.cli import app
from equipoise.outputs.server import create_app
from test_report import report_data
from test_server import _test_client, build_store, vote_table


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("specs") / "store.duckdb")


@pytest.fixture(scope="module")
def client(store):
    with _test_client(create_app(store)) as opened:
        yield opened


def _report_charts(store, tmp_path, question: dict[str, str]) -> dict:
    path = tmp_path / "report.html"
    args = ["report", "--db", str(store), "--output", str(path), "--focal", question["focal"],
            "--poles", question["poles"], "--direction", question["direction"],
            "--min-events", question["min_events"], "--level", question["ci"],
            "--n-boot", question["n_boot"], "--from", question["start"], "--to", question["end"]]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return report_data(path.read_text(encoding="utf-8"))["charts"]


QUESTION = {"focal": "AZE", "direction": "both", "min_events": "2", "ci": "0.9",
            "n_boot": "40", "start": "2020-01-01", "end": "2021-06-30"}


def test_the_report_embeds_the_specs_the_api_serves(store, client, tmp_path):
    question = {**QUESTION, "poles": "TUR,IRN,RUS"}
    embedded = _report_charts(store, tmp_path, question)
    served = client.get("/api/align", params=question)
    assert served.status_code == 200, served.text
    charts = served.json()["charts"]
    asked = {k: v for k, v in question.items() if k not in ("ci", "n_boot")}
    markers = client.get("/api/changepoints", params=asked).json()["markers"]
    # The store's one switch, toward TUR: a break in every pole's tilt.
    assert {m["x"] for m in markers} == {"2020-10"} and "TUR ▲" in [m["label"] for m in markers]
    assert embedded["tilt"] == {**charts["tilt"], "markers": markers}
    assert embedded["netcoop"] == charts["net_coop"]
    assert embedded["equidistance"] == charts["equidistance"]
    assert embedded["heat"] == charts["heat"]
    # Not empty by accident: bands, tooltips and counts are all there.
    turkey = charts["tilt"]["series"][0]
    assert turkey["name"] == "TUR" and "lo" in turkey and len(turkey["values"]) == 18
    assert sum(int(label.split(" ")[0]) for row in charts["heat"]["labels"] for label in row)


def test_one_pole_the_report_charts_the_net_cooperation_the_api_serves(
        store, client, tmp_path):
    question = {**QUESTION, "poles": "RUS"}
    embedded = _report_charts(store, tmp_path, question)
    charts = client.get("/api/align", params=question).json()["charts"]
    asked = {k: v for k, v in question.items() if k not in ("ci", "n_boot")}
    markers = client.get("/api/changepoints", params=asked).json()["markers"]
    assert embedded["tilt"] == {**charts["net_coop"], "markers": markers}
    assert "equidistance" not in charts and embedded["heat"] == charts["heat"]


def _aligned(**extra) -> pd.DataFrame:
    rows = []
    for i, period in enumerate(["2020-01", "2020-02", "2020-03"]):
        for pole, tilt in (("TUR", 0.1 * i), ("RUS", -0.1 * i)):
            rows.append({"period": period, "period_start": pd.Timestamp(f"{period}-01"),
                         "pole": pole, "n_events": 2 + i, "tilt": tilt, "score": tilt / 2,
                         "net_coop": tilt / 3, **extra})
    return pd.DataFrame(rows)


def test_a_line_chart_spec_has_a_value_title_and_datum_per_period():
    aligned = _aligned()
    aligned.loc[1, "tilt"] = float("nan")  # RUS in January: a gap
    spec = specs.line_chart(aligned, "AZE", ["TUR", "RUS"], {"TUR": "#1", "RUS": "#2"}, "tilt")
    assert spec["x"] == ["2020-01", "2020-02", "2020-03"]
    russia = spec["series"][1]
    assert russia["values"] == [None, pytest.approx(-0.1), pytest.approx(-0.2)]
    assert "lo" not in russia  # no intervals asked
    assert russia["titles"][2] == ("AZE – RUS · 2020-03 · tilt -0.20 · score -0.10 · "
                                   "net cooperation -0.07 · 4 events — click for the events")
    assert russia["data"][0] == {"pole": "RUS", "period": "2020-01"}
    assert spec["yLabel"] == "tilt" and spec["label"] == "Tilt of AZE toward each pole over time"
    with pytest.raises(ValueError, match="measure"):
        specs.line_chart(aligned, "AZE", ["TUR"], {"TUR": "#1"}, "goldstein")


def test_the_heat_map_is_absent_without_events_and_markers_follow_the_poles():
    aligned = _aligned()
    assert specs.quad_counts(aligned, ["TUR"]) is None  # no quad columns
    zero = _aligned(**{f"{w}_{q}": 0 for w in ("out", "in") for q in
                       ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")})
    counts = specs.quad_counts(zero, ["TUR", "RUS"])
    assert counts == {(p, w): [0, 0, 0, 0] for p in ("TUR", "RUS") for w in ("out", "in")}
    assert specs.heat_map("AZE", ["TUR", "RUS"], {"TUR": "#1", "RUS": "#2"}, counts) is None
    points = pd.DataFrame({"pole": ["TUR", "IRN"], "period": ["2020-02", "2020-03"],
                           "before": [0.1, 0.2], "after": [-0.3, 0.4], "shift": [-0.4, 0.2]})
    marked = specs.markers(points, {"TUR": "#1"})
    assert marked == [{"x": "2020-02", "label": "TUR ▼", "color": "#1",
                       "title": "Change point for TUR from 2020-02: mean tilt +0.10 → -0.30 "
                                "(shift -0.40)"}]


def test_the_un_vote_charts_the_api_serves_are_the_reports(store):
    from equipoise.analysis import align, dyad_events
    from equipoise.analysis.unvotes import agreement_matrix
    from equipoise.outputs.report import render_report
    from equipoise.store import Store

    votes = vote_table()
    with _test_client(create_app(store, un_votes=votes)) as client:
        served = client.get("/api/unvotes", params={"focal": "AZE", "poles": "TUR,RUS",
                                                    "measure": "kappa"}).json()["charts"]
    with Store(store, read_only=True) as opened:
        frame = opened.events_frame()
    poles = ["TUR", "RUS"]
    html = render_report(align(frame, "AZE", poles), dyad_events(frame, "AZE", poles), "AZE",
                         poles, un_votes=agreement_matrix(votes, "AZE", poles),
                         un_measure="kappa")
    embedded = {k: v for k, v in report_data(html)["charts"].items() if k.startswith("un-")}
    assert set(served) == {"un-agree-share", "un-s-score", "un-kappa"}
    assert embedded == served
    assert served["un-s-score"]["x"] == ["74", "75"]
    assert served["un-s-score"]["series"][1]["values"][1] == pytest.approx(1.0)  # all "no"
