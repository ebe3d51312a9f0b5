"""What the analysis refuses, and what it leaves out, before it computes anything.

A focal or pole code must be a state or bloc equipoise knows, or an actor in the store;
otherwise the error names the closest codes. The grid of periods x poles (x bootstrap
replicates) is bounded, and a window left open ignores events dated in implausible years.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import equipoise
from equipoise import api
from equipoise.analysis import measure, verdict
from equipoise.analysis.codes import UnknownActorCode, check_codes, closest_codes
from equipoise.analysis.limits import (
    MAX_CELLS,
    MAX_REPLICATE_CELLS,
    TooLargeError,
    check_size,
    count_periods,
)
from equipoise.reference.dates import latest
from factories import one_event_each, write_store

MAY = dt.date(2020, 5, 10)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Azerbaijan with Turkey (cooperation) and Russia (conflict) over 2020, and one event
    with an actor coded KRD, which no table of the package lists."""
    rows = []
    for month in range(1, 13):
        day = dt.date(2020, month, 10)
        rows += [("AZE", "TUR", 1, day), ("TUR", "AZE", 2, day), ("AZE", "RUS", 3, day)]
    rows.append(("KRD", "AZE", 4, MAY))
    return write_store(tmp_path_factory.mktemp("inputs") / "store.duckdb", one_event_each(rows))


# --------------------------------------------------------------------------- codes


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("TRK", "TUR"), ("TURKEY", "TUR"), ("Russia", "RUS"), ("NAT0", "NATO"), ("EUU", "EU"),
     ("UK", "GBR"), ("AZ", "AZE")],
)  # fmt: skip
def test_the_closest_codes_come_from_codes_and_names(typed, meant):
    assert closest_codes(typed)[0].code == meant


def test_an_unknown_pole_is_refused_with_the_closest_codes(store):
    with pytest.raises(UnknownActorCode) as caught:
        equipoise.align("AZE", ["TUR", "TRK"], db=store)
    message = str(caught.value)
    assert message.startswith("unknown pole 'TRK'")
    assert "did you mean TUR (Turkey)" in message
    assert "\n" not in message
    assert isinstance(caught.value, ValueError)  # callers catching ValueError still do


def test_an_unknown_focal_is_refused_too(store):
    with pytest.raises(UnknownActorCode, match="unknown focal 'AZR'.*AZE"):
        equipoise.align("AZR", ["TUR"], db=store)


def test_a_code_with_nothing_close_says_what_codes_look_like():
    with pytest.raises(UnknownActorCode, match="ISO 3166 alpha-3 state code") as caught:
        check_codes("AZE", ["QQQQQQQ"])
    assert caught.value.suggestions == []


def test_every_store_reading_function_checks_codes(store):
    for call in (
        lambda: equipoise.load_events("AZE", ["XXX"], db=store),
        lambda: equipoise.changepoints("AZE", ["TUR", "XXX"], db=store),
        lambda: api.analyse("AZE", ["TUR", "XXX"], db=store),
    ):
        with pytest.raises(UnknownActorCode, match="XXX"):
            call()


def test_a_code_the_tables_lack_is_accepted_when_the_store_has_it(store):
    table = equipoise.align("AZE", ["KRD"], db=store, freq="year", min_events=1)
    assert table["n_events"].tolist() == [1]


def test_states_and_blocs_of_the_package_need_no_events(store):
    table = equipoise.align("AZE", ["TUR", "NATO", "MLT"], db=store, freq="year")
    assert table.set_index("pole")["n_events"].to_dict() == {"TUR": 24, "NATO": 24, "MLT": 0}


def test_a_pole_without_events_is_never_ranked(store):
    # Relations with Turkey and Russia are both summed up below zero; Malta, with no
    # events at all, would otherwise top the ranking at a score of 0.
    aligned = equipoise.align("AZE", ["RUS", "MLT"], db=store, freq="year")
    text = verdict(aligned, focal="AZE")
    assert "toward MLT" not in text
    assert text.startswith("In 2020, relations between AZE and RUS were mostly conflictual")
    assert text.endswith("No events were found with MLT.")


# --------------------------------------------------------------------------- size


def test_the_grid_is_bounded_at_its_documented_size():
    check_size(MAX_CELLS // 4, 4, "month")
    with pytest.raises(TooLargeError):
        check_size(MAX_CELLS // 4 + 1, 4, "month")
    check_size(100, 10, "month", n_boot=MAX_REPLICATE_CELLS // 1000)
    with pytest.raises(TooLargeError):
        check_size(100, 10, "month", n_boot=MAX_REPLICATE_CELLS // 1000 + 1)


def test_periods_are_counted_from_the_first_to_the_last_date():
    assert count_periods(dt.date(2020, 1, 31), dt.date(2020, 3, 1), "month") == 3
    assert count_periods(dt.date(2020, 1, 1), dt.date(2021, 12, 31), "quarter") == 8
    assert count_periods(dt.date(1, 1, 1), dt.date(9999, 12, 31), "year") == 9999


def test_a_window_too_wide_is_refused_before_the_store_is_read(tmp_path):
    # There is no store at all: the size is judged from the window alone.
    with pytest.raises(TooLargeError) as caught:
        equipoise.align("AZE", ["TUR", "RUS"], db=tmp_path / "absent.duckdb",
                        start="0001-01-01", end="9999-12-31")  # fmt: skip
    message = str(caught.value)
    assert "0001-01..9999-12 is 119,988 months × 2 poles = 239,976 cells" in message
    assert "a coarser freq (quarter or year)" in message
    assert "a shorter window (start/end)" in message


def test_bootstrap_replicates_count_against_the_bound(store):
    start, end = dt.date(1900, 1, 1), dt.date(2020, 12, 31)
    with pytest.raises(TooLargeError, match="fewer replicates \\(n_boot\\)"):
        equipoise.align("AZE", ["TUR", "RUS"], db=store, start=start, end=end,
                        ci=0.9, n_boot=2000)  # fmt: skip
    # The same window without intervals is small enough.
    table = equipoise.align("AZE", ["TUR", "RUS"], db=store, start=start, end=end)
    assert len(table) == 2 * 121 * 12


def test_an_open_window_is_bounded_by_the_events_it_finds(store):
    # Only the start is given; the end comes from the events, and the size is then checked.
    with pytest.raises(TooLargeError, match="1000-01..2020-12"):
        equipoise.align("AZE", ["TUR", "RUS"], db=store, start="1000-01-01")


def test_the_front_end_names_its_own_options():
    error = TooLargeError(n_periods=9_999, n_poles=3, freq="year", n_boot=500, span="0001..9999")
    names = {"freq": "--freq", "window": "--from/--to", "n_boot": "--n-boot"}
    assert error.message(names).endswith(
        "ask for a shorter window (--from/--to)"
    )  # a year is the coarsest frequency; the grid alone is over the bound
    error = TooLargeError(n_periods=120, n_poles=3, freq="month", n_boot=20_000, span="x")
    assert error.message(names).endswith(
        "ask for a coarser --freq (quarter or year), a shorter window (--from/--to) "
        "or fewer replicates (--n-boot)"
    )


# --------------------------------------------------------------------------- dates


def test_far_dates_do_not_stretch_an_open_window(far_store):
    measured = api.measure("AZE", ["TUR", "RUS"], db=far_store, min_events=1)
    table = measured.table
    assert table["period"].unique().tolist() == ["2020-05"]
    assert measured.start == measured.end == dt.date(2020, 5, 1)
    assert measured.implausible_dates == 4
    pd.testing.assert_frame_equal(
        equipoise.align("AZE", ["TUR", "RUS"], db=far_store, min_events=1), table)


def test_far_dates_count_when_the_window_names_them(far_store):
    measured = api.measure("AZE", ["TUR", "RUS"], db=far_store, freq="year", min_events=1,
                           start="0001-01-01", end="2020-12-31")  # fmt: skip
    table = measured.table
    assert measured.implausible_dates == 0
    assert table.groupby("period")["n_events"].sum().loc[["0001", "2020"]].tolist() == [2, 2]


def test_a_report_lists_the_events_its_charts_count(far_store):
    result = api.analyse("AZE", ["TUR", "RUS"], db=far_store, min_events=1, ci=0.9)
    assert result.table["period"].unique().tolist() == ["2020-05"]
    assert pd.to_datetime(result.events["event_date"]).dt.year.unique().tolist() == [2020]
    assert len(result.changepoints.points) == 0


def test_load_events_keeps_to_the_same_window(far_store):
    assert len(equipoise.load_events("AZE", ["TUR"], db=far_store)) == 1
    everything = equipoise.load_events("AZE", ["TUR"], db=far_store,
                                       start="0001-01-01", end="9999-12-31")  # fmt: skip
    assert len(everything) == 3


def test_the_plausible_end_is_a_year_after_today():
    assert latest(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert latest(dt.date(2025, 6, 1)) == dt.date(2026, 6, 1)


def test_align_on_a_frame_ignores_far_dates_too():
    frame = pd.DataFrame(
        {"source": ["AZE", "AZE", "AZE"], "target": ["TUR", "TUR", "TUR"], "quad": [1, 1, 1],
         "goldstein": [4.0, 4.0, 4.0], "doc_id": ["a", "b", "c"],
         "event_date": [dt.date(1, 1, 1), dt.date(2020, 5, 1), dt.date(9999, 12, 31)]}
    )  # fmt: skip
    measured = measure(frame, "AZE", ["TUR"], min_events=1)
    assert measured.table["period"].tolist() == ["2020-05"]
    assert measured.implausible_dates == 2
