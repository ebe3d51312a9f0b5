"""Ideal points: reading the Bailey-Strezhnev-Voeten file and the relative position."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equipoise.analysis.idealpoints import ONE_DIMENSION_WARNING, positions, relative_position
from equipoise.errors import InvalidQueryError
from equipoise.sources.errors import SourceError
from equipoise.sources.idealpoints import IDEAL_POINT_COLUMNS, read_ideal_points

HEADER = (
    '"","ccode","session","NVotesAll","IdealPointAll","QO%All","Q5%All","Q10%All","Q50%All",'
    '"Q90%All","Q95%All","Q100%All","iso3c","Countryname","USAgree","RUSSAgree"'
)


def row(index, ccode, session, x, iso3, name, spread=0.1, votes=80) -> str:
    """A line in the file's form: quantiles placed symmetrically around ``x``."""
    q = [x - 3 * spread, x - spread, x - 0.8 * spread, x, x + 0.8 * spread, x + spread,
         x + 3 * spread]  # fmt: skip
    cells = [f'"{index}"', ccode, session, votes, x, *q, f'"{iso3}"', f'"{name}"', "NA", "NA"]
    return ",".join(str(c) for c in cells)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


# Three states over two sessions. In session 2 the first pole (RUS) moves toward
# the focal state while the focal state stays put.
POINTS = [
    row(1, 2, 1, 1.0, "USA", "United States"),
    row(2, 2, 2, 1.0, "USA", "United States"),
    row(3, 365, 1, 0.0, "RUS", "Russia"),
    row(4, 365, 2, 0.2, "RUS", "Russia"),
    row(5, 371, 1, 0.25, "ARM", "Armenia"),
    row(6, 371, 2, 0.25, "ARM", "Armenia"),
]


@pytest.fixture
def points(tmp_path) -> pd.DataFrame:
    return read_ideal_points(write(tmp_path / "points.csv", POINTS))


# -- reading ---------------------------------------------------------------------------


def test_the_file_reads_into_one_row_per_state_and_session(points):
    assert list(points.columns) == IDEAL_POINT_COLUMNS
    assert list(zip(points["country"], points["session"], strict=True)) == [
        ("ARM", 1), ("ARM", 2), ("RUS", 1), ("RUS", 2), ("USA", 1), ("USA", 2),
    ]  # fmt: skip
    armenia = points.iloc[0]
    assert (armenia["ccode"], armenia["year"], armenia["n_votes"]) == (371, 1946, 80)
    assert armenia["ideal_point"] == 0.25 and armenia["name"] == "Armenia"
    # The 2024 file spells the lowest quantile "QO%All" with a letter O.
    assert armenia["q0"] == pytest.approx(-0.05) and armenia["q95"] == pytest.approx(0.35)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (row(9, 700, 1, 0.5, "AFG", "Afghanistan").replace(",0.5,", ",abc,", 1),
         "IdealPointAll must be a number, got 'abc'"),
        (row(9, 700, 1, 0.5, "AFG", "Afghanistan").replace(",0.5,", ",NA,", 1),
         "IdealPointAll is missing"),
        (row(9, 700, 0, 0.5, "AFG", "Afghanistan"), "session must be 1 or more"),
        (row(9, 700, 1.5, 0.5, "AFG", "Afghanistan"), "session must be a whole number"),
        (row(9, 700, 1, 0.5, "", "Afghanistan"), "iso3c is empty"),
        (row(9, 700, 1, 0.5, "A\x1fF", "Afghanistan"), "iso3c must be three letters"),
        (row(9, 700, 1, 0.5, "AFGH", "Afghanistan"), "iso3c must be three letters, got 'AFGH'"),
        (row(9, 700, 1, 0.5, "AFG", "Afghanistan", spread=-0.1), "is above Q95%All"),
        (row(9, 365, 2, 0.5, "RUS", "Russia"), "a second row for COW code 365 in session 2 "
         "(the first is line 5)"),
        ('"9",700,1', "expected 16 columns, found 3"),
    ],
)
def test_a_malformed_row_is_an_error_naming_file_and_line(tmp_path, bad, message):
    path = write(tmp_path / "points.csv", [*POINTS, bad])
    with pytest.raises(SourceError, match="points.csv:8: ") as caught:
        read_ideal_points(path)
    assert message in str(caught.value)


def test_with_an_error_list_bad_rows_are_left_out_and_the_rest_read(tmp_path):
    bad = row(9, 700, 1, 0.5, "", "Afghanistan")
    path = write(tmp_path / "points.csv", [POINTS[0], bad, *POINTS[1:]])
    errors: list[SourceError] = []
    table = read_ideal_points(path, errors=errors)
    assert len(table) == len(POINTS) and "" not in set(table["country"])
    assert [(e.line, "iso3c is empty" in str(e)) for e in errors] == [(3, True)]


def test_a_file_without_the_quantiles_needed_is_refused(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text('"ccode","session","IdealPointAll","iso3c"\n2,1,1.0,"USA"\n')
    with pytest.raises(SourceError, match="missing column.*Q5%All"):
        read_ideal_points(path)


# -- relative position, by hand ------------------------------------------------------------


def test_relative_position_by_hand(points):
    table = relative_position(points, "ARM", "RUS", "USA").set_index("session")
    assert list(table.reset_index().columns) == [
        "session", "year", "focal", "pole1", "pole2", "x_focal", "x_pole1", "x_pole2", "gap",
        "distance1", "distance2", "position", "position_lo", "position_hi", "change_focal",
        "change_poles",
    ]
    # Session 1: (0.25 - 0) / (1 - 0) = 0.25.
    assert table.loc[1, "position"] == pytest.approx(0.25)
    # Session 2: Russia moved to 0.2, Armenia stayed: (0.25 - 0.2) / (1 - 0.2) = 0.0625.
    # The raw distance to Russia shrank from 0.25 to 0.05 with no move by Armenia.
    assert table.loc[2, "position"] == pytest.approx(0.0625)
    assert table.loc[2, "distance1"] == pytest.approx(0.05)
    assert table.loc[2, "gap"] == pytest.approx(0.8)
    # Armenia did not move, so the whole change (0.0625 - 0.25) is the poles'.
    assert np.isnan(table.loc[1, "change_focal"]) and np.isnan(table.loc[1, "change_poles"])
    assert table.loc[2, "change_focal"] == 0.0
    assert table.loc[2, "change_poles"] == pytest.approx(0.0625 - 0.25)


def test_the_change_is_split_between_the_focal_state_and_the_poles(tmp_path):
    # Armenia moves 0.25 -> 0.45 while Russia moves 0 -> 0.2, US stays at 1:
    # change_focal = 0.2 / 0.8 = 0.25, total (0.45-0.2)/0.8 - 0.25 = 0.0625, poles -0.1875.
    # Session 4 follows no session 3, so it has no change.
    lines = [row(1, 2, s, 1.0, "USA", "United States") for s in (1, 2, 4)]
    lines += [row(2, 365, s, x, "RUS", "Russia") for s, x in ((1, 0.0), (2, 0.2), (4, 0.2))]
    lines += [row(3, 371, s, x, "ARM", "Armenia") for s, x in ((1, 0.25), (2, 0.45), (4, 0.3))]
    points = read_ideal_points(write(tmp_path / "points.csv", lines))
    found = positions(points, "ARM", "RUS", "USA")
    table = found.table.set_index("session")
    assert table.loc[2, "change_focal"] == pytest.approx(0.25)
    assert table.loc[2, "change_poles"] == pytest.approx(-0.1875)
    assert table.loc[2, "change_focal"] + table.loc[2, "change_poles"] == pytest.approx(
        table.loc[2, "position"] - table.loc[1, "position"]
    )
    assert np.isnan(table.loc[4, "change_focal"]) and np.isnan(table.loc[4, "change_poles"])
    assert found.warning == ONE_DIMENSION_WARNING


def test_the_bounds_interval_is_the_range_over_the_quantile_box(points):
    first = relative_position(points, "ARM", "RUS", "USA").iloc[0]
    # Each point within +-0.1: ARM in [0.15, 0.35], RUS in [-0.1, 0.1], USA in [0.9, 1.1].
    # Lowest: (0.15 - 0.1) / (1.1 - 0.1) = 0.05; highest: (0.35 + 0.1) / (0.9 + 0.1) = 0.45.
    assert first["position_lo"] == pytest.approx(0.05)
    assert first["position_hi"] == pytest.approx(0.45)
    # No point inside the box gives a position outside the corners' range.
    grid = np.linspace(-0.1, 0.1, 11)
    inside = [
        (0.25 + f - a) / (1.0 + b - a) for f, a, b in itertools.product(grid, grid, grid)
    ]
    assert min(inside) == pytest.approx(0.05) and max(inside) == pytest.approx(0.45)


def test_poles_whose_ranges_overlap_give_an_unbounded_interval(tmp_path):
    lines = [
        row(1, 2, 1, 0.1, "USA", "United States"),
        row(2, 365, 1, 0.0, "RUS", "Russia"),
        row(3, 371, 1, 0.5, "ARM", "Armenia"),
    ]
    points = read_ideal_points(write(tmp_path / "points.csv", lines))
    table = relative_position(points, "ARM", "RUS", "USA")
    assert table["position"].iloc[0] == pytest.approx(5.0)
    assert table["position_lo"].iloc[0] == -np.inf and table["position_hi"].iloc[0] == np.inf


def test_the_normal_interval_draws_reproducibly_and_lies_inside_the_bounds(points):
    bounds = relative_position(points, "ARM", "RUS", "USA")
    normal = relative_position(points, "ARM", "RUS", "USA", interval="normal", seed=3)
    again = relative_position(points, "ARM", "RUS", "USA", interval="normal", seed=3)
    pd.testing.assert_frame_equal(normal, again)
    assert positions(points, "ARM", "RUS", "USA", interval="normal", seed=3).interval == "normal"
    assert (normal["position_lo"] < normal["position"]).all()
    assert (normal["position"] < normal["position_hi"]).all()
    assert (normal["position_lo"] > bounds["position_lo"]).all()
    assert (normal["position_hi"] < bounds["position_hi"]).all()
    # sd = 0.1 / 1.645 each; the position's sd is about sqrt(2) * 0.061 near session 1,
    # so its 90% interval is about 0.25 +- 0.14.
    first = normal.iloc[0]
    assert first["position_hi"] - first["position_lo"] == pytest.approx(0.28, abs=0.03)


def test_relative_position_refuses_what_it_cannot_answer(points):
    with pytest.raises(InvalidQueryError, match="no ideal points for 'XYZ'"):
        relative_position(points, "XYZ", "RUS", "USA")
    with pytest.raises(InvalidQueryError, match="must differ"):
        relative_position(points, "ARM", "RUS", "RUS")
    with pytest.raises(InvalidQueryError, match="interval"):
        relative_position(points, "ARM", "RUS", "USA", interval="quantile")


# -- the shared file -------------------------------------------------------------------------


def _shared_file() -> Path:
    for base in (os.environ.get("EQUIPOISE_SHARED_DATA"),
                 Path(__file__).resolve().parents[2] / "shared" / "data", "/work/shared/data"):
        if base:
            path = Path(base) / "unga_idealpoints_jun2024" / "IdealpointestimatesAll_Jun2024.csv"
            if path.is_file():
                return path
    return Path("/nonexistent")


SHARED = _shared_file()
needs_file = pytest.mark.skipif(
    not SHARED.is_file(), reason="the shared ideal-point file is absent"
)


@pytest.fixture(scope="module")
def shared() -> pd.DataFrame:
    return read_ideal_points(SHARED)


@needs_file
def test_the_2024_release_reads_whole(shared):
    # 11,239 lines: the header and one row per state and session, sessions 1-78.
    assert len(shared) == 11_238
    assert shared["session"].min() == 1 and shared["session"].max() == 78
    azerbaijan = shared[(shared["country"] == "AZE") & (shared["session"] == 78)].iloc[0]
    assert azerbaijan["ideal_point"] == pytest.approx(-0.6130442)
    assert azerbaijan["year"] == 2023
    # The file writes YAR for both Yemens (COW 678 and 680) in sessions 22-44.
    yemen = shared[shared["country"] == "YAR"]
    assert sorted(yemen["ccode"].unique()) == [678, 680]
    with pytest.raises(InvalidQueryError, match=r"YAR stands for more than one state.*678, 680"):
        relative_position(shared, "YAR", "RUS", "USA")


@needs_file
def test_armenia_between_russia_and_the_united_states(shared):
    table = relative_position(shared, "ARM", "RUS", "USA").set_index("session")
    # From session 76 to 77 the raw distance to Russia grew elevenfold, mostly
    # because Russia moved (-0.62) while Armenia moved less (-0.12).
    moved = table.loc[77, ["x_focal", "x_pole1"]] - table.loc[76, ["x_focal", "x_pole1"]]
    assert table.loc[76, "distance1"] == pytest.approx(0.049, abs=1e-3)
    assert table.loc[77, "distance1"] == pytest.approx(0.546, abs=1e-3)
    assert moved["x_pole1"] == pytest.approx(-0.615, abs=1e-3)
    assert moved["x_focal"] == pytest.approx(-0.118, abs=1e-3)
    # On the Russia (0) to US (1) scale, Armenia went from 0.02 to 0.18 of the way.
    assert table.loc[76, "position"] == pytest.approx(0.020, abs=1e-3)
    assert table.loc[77, "position"] == pytest.approx(0.181, abs=1e-3)
    assert table.loc[78, "position"] == pytest.approx(0.206, abs=1e-3)
    # Of the rise of 0.161, Armenia's own move accounts for -0.039, Russia's and the
    # US's for +0.200.
    assert table.loc[77, "change_focal"] == pytest.approx(-0.039, abs=1e-3)
    assert table.loc[77, "change_poles"] == pytest.approx(0.200, abs=1e-3)
    # Sessions 72-76 sit within 0.06 of Russia; every interval holds its point.
    assert table.loc[72:76, "position"].abs().max() < 0.06
    assert (table["position_lo"] <= table["position"]).all()
    assert (table["position"] <= table["position_hi"]).all()


def test_the_python_api_reads_the_file_or_takes_the_table(tmp_path, points):
    from equipoise import api

    path = write(tmp_path / "points.csv", POINTS)
    from_path = api.un_position(path, "ARM", "RUS", "USA")
    pd.testing.assert_frame_equal(from_path, api.un_position(points, "ARM", "RUS", "USA"))
    pd.testing.assert_frame_equal(api.un_ideal_points(path), points)
    assert from_path["position"].tolist() == pytest.approx([0.25, 0.0625])
