"""The score measures relations, not coverage; salience is reported on its own.

Generated events go through the real ``align``: a focal state with exactly the same
relations with three poles, one of them ten times as present in the news, must show
no lean (docs/methodology.md, sections 3 and 4).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import equipoise
from equipoise.analysis import measure as measure_stories
from factories import event_row, write_store

POLES = ["USA", "RUS", "CHN"]


def measure(events, *args, **options):
    """Each generated event is a distinct real event (many share a day and a code, which
    would make them one story): counted one by one."""
    options.setdefault("unit", "event")
    return measure_stories(events, *args, **options)


def align(events, *args, **options):
    return measure(events, *args, **options).table


def coverage_stream(counts: dict[str, int], coop: float, quarters: int,
                    seed: int | None = None) -> pd.DataFrame:
    """AZE -> pole events, ``counts[pole]`` a quarter, each cooperative with probability
    ``coop`` (``seed`` None: exactly that share, rounded), one document per event."""
    rng = np.random.default_rng(seed)
    rows = []
    for q in range(quarters):
        day = dt.date(2000 + q // 4, 3 * (q % 4) + 1, 15)
        for pole, n in counts.items():
            if seed is None:
                c = round(coop * n)
                quads = [1] * c + [3] * (n - c)
            else:
                quads = np.where(rng.random(n) < coop, 1, 3).tolist()
            rows += [event_row("AZE", pole, int(quad), day, doc_id=f"{q}-{pole}-{i}")
                     for i, quad in enumerate(quads)]
    return pd.DataFrame(rows)


def test_exactly_equal_relations_with_ten_times_the_coverage_show_no_lean():
    # 100 events a quarter with the USA, 10 with Russia and China, 90% cooperative each.
    df = coverage_stream({"USA": 100, "RUS": 10, "CHN": 10}, 0.9, quarters=8)
    aligned = align(df, "AZE", POLES, freq="quarter")
    mean_tilt = aligned.groupby("pole")["tilt"].mean()
    assert mean_tilt.abs().max() < 0.05, mean_tilt.to_dict()
    # Salience is where the coverage shows: the USA gets 100 of 120 events.
    first = aligned[aligned["period"] == "2000Q1"].set_index("pole")
    assert first["share"].tolist() == pytest.approx([100 / 120, 10 / 120, 10 / 120])


def test_sampled_equal_relations_with_unequal_coverage_show_no_lean_on_average():
    # 60 events a quarter with the USA and 6 with each other pole, drawn at random.
    df = coverage_stream({"USA": 60, "RUS": 6, "CHN": 6}, 0.9, quarters=300, seed=3)
    # The window is given: an open one would stop a year after today.
    aligned = align(df, "AZE", POLES, freq="quarter", start="2000-01-01", end="2074-12-31")
    assert len(aligned) == 300 * 3
    mean_tilt = aligned.groupby("pole")["tilt"].mean()
    assert mean_tilt.abs().max() < 0.05, mean_tilt.to_dict()


def test_unequal_relations_still_show():
    df = coverage_stream({"USA": 100, "RUS": 10, "CHN": 10}, 0.9, quarters=2)
    cold = coverage_stream({"RUS": 10}, 0.2, quarters=2)
    mixed = pd.concat([df[df["target"] != "RUS"], cold.assign(doc_id="r" + cold["doc_id"])])
    table = align(mixed, "AZE", POLES, freq="quarter").groupby("pole")["tilt"].mean()
    assert table["RUS"] < -0.5 < 0 < table["USA"]


def test_a_poles_pressure_does_not_move_the_lean_by_default():
    # Russia's threats against AZE are relations, not AZE's lean: ``out`` leaves them out.
    df = coverage_stream({"USA": 20, "RUS": 20}, 0.8, quarters=1)
    threats = pd.DataFrame([event_row("RUS", "AZE", 4, dt.date(2000, 1, 20), doc_id=f"t{i}")
                            for i in range(10)])
    measured = measure(pd.concat([df, threats]), "AZE", ["USA", "RUS"], freq="quarter")
    lean = measured.table
    plain = align(df, "AZE", ["USA", "RUS"], freq="quarter")
    assert measured.direction == "out"
    assert lean["tilt"].tolist() == pytest.approx(plain["tilt"].tolist())
    relations = align(pd.concat([df, threats]), "AZE", ["USA", "RUS"], freq="quarter",
                      direction="both").set_index("pole")
    assert relations.at["RUS", "tilt"] < -0.3


def test_salience_weighs_the_share_against_each_poles_news_volume():
    rows = [event_row("AZE", "USA", 1, "2020-01-10", doc_id=f"a{i}") for i in range(6)]
    rows += [event_row("AZE", "RUS", 1, "2020-01-11", doc_id=f"b{i}") for i in range(3)]
    # The rest of the news: the USA is in 30 events, Russia in 10 (counting those above).
    rows += [event_row("USA", "FRA", 1, "2020-01-12", doc_id=f"c{i}") for i in range(24)]
    rows += [event_row("DEU", "RUS", 1, "2020-01-13", doc_id=f"d{i}") for i in range(7)]
    table = align(pd.DataFrame(rows), "AZE", ["USA", "RUS"]).set_index("pole")
    assert table.loc["USA", "share"] == pytest.approx(6 / 9)
    assert table["volume"].to_dict() == {"USA": 30, "RUS": 10}
    # Salience: the share of AZE's dealings over the share of the news.
    assert table.loc["USA", "salience"] == pytest.approx((6 / 9) / (30 / 40))
    assert table.loc["RUS", "salience"] == pytest.approx((3 / 9) / (10 / 40))
    # Volumes given from elsewhere (a store's monthly counts) take the place of counting.
    given = pd.DataFrame({"pole": ["USA", "RUS"], "event_date": ["2020-01-01"] * 2,
                          "n": [90, 10]})
    table = align(pd.DataFrame(rows), "AZE", ["USA", "RUS"], volumes=given).set_index("pole")
    assert table["volume"].to_dict() == {"USA": 90, "RUS": 10}
    assert table.loc["RUS", "salience"] == pytest.approx((3 / 9) / (10 / 100))


def test_the_api_reads_each_poles_volume_from_the_whole_store(tmp_path):
    day = dt.date(2020, 2, 3)
    path = write_store(tmp_path / "store.duckdb", [
        [("AZE", "USA", 1, day)] * 4 + [("AZE", "RUS", 1, day)] * 4,
        [("USA", "FRA", 1, day)] * 12,
        [("RUS", "DEU", 3, day)] * 2 + [("RUS", "ARM", 1, dt.date(2020, 3, 1))],
    ])  # fmt: skip
    table = equipoise.align("AZE", ["USA", "RUS"], db=path, start="2020-02-01",
                            end="2020-02-29", salience=True).set_index("pole")
    assert table["volume"].to_dict() == {"USA": 16, "RUS": 6}
    assert table.loc["USA", "salience"] == pytest.approx((4 / 8) / (16 / 22))
    # Without salience the store is not scanned: the share only, volume and salience empty.
    plain = equipoise.align("AZE", ["USA", "RUS"], db=path, start="2020-02-01",
                            end="2020-02-29").set_index("pole")
    assert plain.loc["USA", "share"] == pytest.approx(0.5)
    assert plain["volume"].isna().all() and plain["salience"].isna().all()


def test_the_command_line_reads_volumes_with_salience(tmp_path):
    import json

    from typer.testing import CliRunner

    from equipoise.outputs.cli import app

    day = dt.date(2020, 2, 3)
    path = write_store(tmp_path / "store.duckdb", [
        [("AZE", "USA", 1, day)] * 3 + [("AZE", "RUS", 1, day)] * 3,
        [("USA", "FRA", 1, day)] * 6,
    ])  # fmt: skip
    args = ["align", "--focal", "AZE", "--poles", "USA,RUS", "--db", str(path), "--format", "json"]
    plain = json.loads(CliRunner().invoke(app, args).output)
    assert plain["options"]["direction"] == "out"
    assert [r["volume"] for r in plain["records"]] == [None, None]
    assert [r["share"] for r in plain["records"]] == [0.5, 0.5]
    read = json.loads(CliRunner().invoke(app, [*args, "--salience"]).output)
    assert [r["volume"] for r in read["records"]] == [9, 3]
    assert read["records"][0]["salience"] == pytest.approx(0.5 / (9 / 12))
