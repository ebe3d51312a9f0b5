"""How alignment is measured: dyad events, counts, net cooperation, tilt, verdicts.

Each test builds a handful of events by hand, so the expected numbers can be
worked out on paper.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from equipoise.analysis import align, dyad_events, summary, verdict

# One CAMEO code and Goldstein score per quad, enough for these tests.
QUAD_CODES = {1: ("042", 1.9), 2: ("061", 6.4), 3: ("112", -2.0), 4: ("190", -10.0)}


def event(source: str, target: str, quad: int, when: str, **extra) -> dict:
    """One row of the ``events`` table (plus document columns), with sensible defaults."""
    cameo, goldstein = QUAD_CODES[quad]
    row = {
        "doc_id": f"doc-{source}-{target}-{when}-{quad}",
        "sent_start": 0,
        "sent_end": 40,
        "sentence": f"{source} and {target} did something on {when}.",
        "source": source,
        "source_country": source,
        "source_sector": "GOV",
        "target": target,
        "target_country": target,
        "target_sector": "GOV",
        "cameo": cameo,
        "root": cameo[:2],
        "quad": quad,
        "goldstein": goldstein,
        "plover": "",
        "event_date": dt.date.fromisoformat(when),
        "date_precision": "day",
        "symmetric": False,
        "reported": False,
        "trigger": "",
        "coder": "test",
        "dataset": "equipoise",
        "doc_url": None,
        "doc_title": None,
        "published": None,
    }
    row.update(extra)
    return row


def events(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def row(aligned: pd.DataFrame, period: str, pole: str) -> pd.Series:
    hit = aligned[(aligned["period"] == period) & (aligned["pole"] == pole)]
    assert len(hit) == 1, f"expected one row for {period}/{pole}"
    return hit.iloc[0]


# --------------------------------------------------------------------------- dyad events


def test_dyad_events_keep_both_directions_and_say_which():
    df = events(
        event("AZE", "TUR", 1, "2020-01-05"),
        event("TUR", "AZE", 2, "2020-01-06"),
        event("RUS", "AZE", 3, "2020-01-07"),
    )
    dyads = dyad_events(df, "AZE", ["TUR", "RUS"])
    assert list(zip(dyads["pole"], dyads["direction"], strict=True)) == [
        ("TUR", "out"),
        ("TUR", "in"),
        ("RUS", "in"),
    ]
    assert set(df.columns) < set(dyads.columns)


def test_an_actor_matches_through_its_country():
    # The Azerbaijani military (AZE/MIL) and a sub-national body coded with
    # country AZE both speak for AZE.
    df = events(
        event("AZE", "TUR", 1, "2020-01-05", source_sector="MIL"),
        event("BAK", "TUR", 1, "2020-01-06", source_country="AZE", source_sector="LOC"),
    )
    assert len(dyad_events(df, "AZE", ["TUR"])) == 2


def test_events_without_both_sides_are_ignored():
    df = events(
        event("AZE", "ARM", 4, "2020-01-05"),  # not a pole
        event("TUR", "RUS", 1, "2020-01-06"),  # pole to pole, focal absent
        event("AZE", "AZE", 1, "2020-01-07"),  # domestic
    )
    assert dyad_events(df, "AZE", ["TUR", "RUS"]).empty


def test_symmetric_event_counts_once_even_when_stored_twice():
    met = {"symmetric": True, "doc_id": "d1", "cameo": "040"}
    df = events(
        event("AZE", "TUR", 1, "2020-01-05", **met),
        event("TUR", "AZE", 1, "2020-01-05", **met),  # the mirror image of the same meeting
    )
    dyads = dyad_events(df, "AZE", ["TUR"])
    assert len(dyads) == 1
    assert dyads["direction"].tolist() == ["both"]
    assert align(df, "AZE", ["TUR"])["n_events"].sum() == 1


def test_focal_cannot_be_a_pole():
    with pytest.raises(ValueError, match="focal"):
        dyad_events(events(event("AZE", "TUR", 1, "2020-01-05")), "AZE", ["AZE", "TUR"])


# --------------------------------------------------------------------------- counts


def test_counts_by_quad_cover_both_directions():
    df = events(
        event("AZE", "TUR", 1, "2020-03-01"),
        event("TUR", "AZE", 1, "2020-03-02"),
        event("TUR", "AZE", 2, "2020-03-03"),
        event("AZE", "TUR", 3, "2020-03-04"),
        event("TUR", "AZE", 4, "2020-03-05"),
    )
    r = row(align(df, "AZE", ["TUR"]), "2020-03", "TUR")
    assert (r.n_events, r.verbal_coop, r.material_coop) == (5, 2, 1)
    assert (r.verbal_conflict, r.material_conflict) == (1, 1)
    assert r.goldstein_mean == pytest.approx((1.9 + 1.9 + 6.4 - 2.0 - 10.0) / 5)


def test_output_has_the_documented_columns():
    aligned = align(events(event("AZE", "TUR", 1, "2020-03-01")), "AZE", ["TUR"])
    assert list(aligned.columns) == [
        "period",
        "period_start",
        "pole",
        "n_events",
        "verbal_coop",
        "material_coop",
        "verbal_conflict",
        "material_conflict",
        "goldstein_mean",
        "net_coop",
        "tilt",
    ]
    assert aligned["period_start"].tolist() == [dt.date(2020, 3, 1)]


# --------------------------------------------------------------------------- net cooperation


def test_one_cooperative_event_is_not_certainty():
    # (coop - conflict) / (n + k) = (1 - 0) / (1 + 2)
    aligned = align(events(event("AZE", "TUR", 1, "2020-03-01")), "AZE", ["TUR"])
    assert aligned["net_coop"].iloc[0] == pytest.approx(1 / 3)


def test_smoothing_can_be_changed():
    df = events(event("AZE", "TUR", 1, "2020-03-01"), event("AZE", "TUR", 4, "2020-03-02"))
    assert align(df, "AZE", ["TUR"], smoothing=0)["net_coop"].iloc[0] == 0
    only_coop = events(event("AZE", "TUR", 1, "2020-03-01"))
    assert align(only_coop, "AZE", ["TUR"], smoothing=0)["net_coop"].iloc[0] == 1
    assert align(only_coop, "AZE", ["TUR"], smoothing=8)["net_coop"].iloc[0] == pytest.approx(1 / 9)


# --------------------------------------------------------------------------- tilt


def test_tilt_is_net_cooperation_relative_to_the_other_poles():
    df = events(
        event("AZE", "TUR", 1, "2020-03-01"),  # TUR: +1/3
        event("AZE", "RUS", 4, "2020-03-02"),  # RUS: -1/3
        # USA: no events, 0
    )
    aligned = align(df, "AZE", ["TUR", "RUS", "USA"])
    assert row(aligned, "2020-03", "TUR").tilt == pytest.approx(1 / 3 - (-1 / 3 + 0) / 2)
    assert row(aligned, "2020-03", "RUS").tilt == pytest.approx(-1 / 3 - (1 / 3 + 0) / 2)
    assert row(aligned, "2020-03", "USA").tilt == pytest.approx(0 - (1 / 3 - 1 / 3) / 2)


def test_tilts_sum_to_zero_across_poles_in_every_period():
    df = events(
        event("AZE", "TUR", 1, "2020-01-05"),
        event("TUR", "AZE", 2, "2020-01-09"),
        event("RUS", "AZE", 4, "2020-01-20"),
        event("AZE", "USA", 3, "2020-02-11"),
        event("AZE", "RUS", 1, "2020-04-01"),
    )
    aligned = align(df, "AZE", ["TUR", "RUS", "USA"])
    sums = aligned.groupby("period")["tilt"].sum()
    assert sums.abs().max() == pytest.approx(0, abs=1e-12)


def test_with_one_pole_tilt_is_net_cooperation():
    df = events(event("AZE", "TUR", 1, "2020-01-05"), event("AZE", "TUR", 3, "2020-02-05"))
    aligned = align(df, "AZE", ["TUR"])
    assert aligned["tilt"].tolist() == pytest.approx(aligned["net_coop"].tolist())


# --------------------------------------------------------------------------- periods


def test_periods_without_events_appear_with_zero_counts():
    df = events(event("AZE", "TUR", 1, "2020-01-15"), event("AZE", "RUS", 1, "2020-04-15"))
    aligned = align(df, "AZE", ["TUR", "RUS"])
    assert aligned["period"].unique().tolist() == ["2020-01", "2020-02", "2020-03", "2020-04"]
    assert len(aligned) == 4 * 2
    quiet = row(aligned, "2020-02", "TUR")
    assert quiet.n_events == 0 and quiet.net_coop == 0 and quiet.tilt == 0
    assert pd.isna(quiet.goldstein_mean)


def test_quarter_and_year_periods():
    df = events(event("AZE", "TUR", 1, "2020-02-15"), event("AZE", "TUR", 2, "2021-08-01"))
    quarters = align(df, "AZE", ["TUR"], freq="quarter")
    assert quarters["period"].tolist() == [
        "2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1", "2021Q2", "2021Q3",
    ]  # fmt: skip
    assert quarters["period_start"].iloc[2] == dt.date(2020, 7, 1)
    years = align(df, "AZE", ["TUR"], freq="year")
    assert years["period"].tolist() == ["2020", "2021"]
    assert years["n_events"].tolist() == [1, 1]


def test_unknown_freq_is_rejected_with_the_allowed_values():
    df = events(event("AZE", "TUR", 1, "2020-02-15"))
    with pytest.raises(ValueError, match="'month', 'quarter', 'year'"):
        align(df, "AZE", ["TUR"], freq="week")


def test_start_and_end_bound_the_range_inclusively():
    df = events(
        event("AZE", "TUR", 1, "2019-12-31"),
        event("AZE", "TUR", 1, "2020-01-01"),
        event("AZE", "TUR", 1, "2020-03-31"),
        event("AZE", "TUR", 1, "2020-04-01"),
    )
    aligned = align(df, "AZE", ["TUR"], start=dt.date(2020, 1, 1), end=dt.date(2020, 5, 31))
    assert aligned["period"].tolist() == ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05"]
    assert aligned["n_events"].tolist() == [1, 0, 1, 1, 0]


def test_no_events_and_no_range_gives_an_empty_frame():
    aligned = align(events(event("AZE", "ARM", 1, "2020-01-01")), "AZE", ["TUR"])
    assert aligned.empty


# --------------------------------------------------------------------------- summary and verdict


def switching_stream() -> pd.DataFrame:
    """AZE courts TUR and quarrels with RUS in 2020, then the reverse in 2021."""
    rows = []
    for month in range(1, 13):
        rows += [
            event("AZE", "TUR", 1, f"2020-{month:02d}-05"),
            event("TUR", "AZE", 2, f"2020-{month:02d}-10"),
            event("AZE", "RUS", 3, f"2020-{month:02d}-15"),
            event("RUS", "AZE", 1, f"2021-{month:02d}-05"),
            event("AZE", "RUS", 2, f"2021-{month:02d}-10"),
            event("TUR", "AZE", 4, f"2021-{month:02d}-15"),
        ]
    return events(*rows)


def test_summary_totals_and_halves():
    table = summary(align(switching_stream(), "AZE", ["TUR", "RUS"])).set_index("pole")
    assert table.loc["TUR", "n_events"] == 36
    assert table.loc["TUR", "first_half_events"] == 24
    assert table.loc["TUR", "second_half_events"] == 12
    # Whole range for TUR: 24 coop, 12 conflict -> (24 - 12) / (36 + 2)
    assert table.loc["TUR", "net_coop"] == pytest.approx(12 / 38)
    assert table["tilt"].sum() == pytest.approx(0)


def test_a_switch_from_tur_to_rus_shows_as_a_sign_change():
    table = summary(align(switching_stream(), "AZE", ["TUR", "RUS"])).set_index("pole")
    assert table.loc["TUR", "first_half_tilt"] > 0 > table.loc["TUR", "second_half_tilt"]
    assert table.loc["RUS", "first_half_tilt"] < 0 < table.loc["RUS", "second_half_tilt"]
    assert table.loc["TUR", "tilt_change"] < 0 < table.loc["RUS", "tilt_change"]
    text = verdict(align(switching_stream(), "AZE", ["TUR", "RUS"]))
    assert "shifted from TUR in the first half" in text
    assert "to RUS in the second" in text


def test_verdict_names_the_pole_with_the_highest_tilt():
    df = events(
        event("AZE", "TUR", 3, "2020-01-05"),
        event("AZE", "RUS", 1, "2020-01-06"),
        event("RUS", "AZE", 2, "2020-05-06"),
        event("AZE", "USA", 1, "2020-06-07"),
    )
    aligned = align(df, "AZE", ["TUR", "RUS", "USA"])
    table = summary(aligned)
    leader = table.loc[table["tilt"].idxmax()]
    text = verdict(aligned)
    assert leader["pole"] == "RUS"
    assert text.startswith(f"Over 2020-01..2020-06, AZE leaned most toward {leader['pole']}")
    assert f"(tilt {leader['tilt']:+.2f})" in text
    assert 1 <= text.count(". ") + 1 <= 3


def test_verdict_without_events_says_so():
    aligned = align(
        events(event("AZE", "ARM", 1, "2020-01-01")),
        "AZE",
        ["TUR", "RUS"],
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 6, 30),
    )
    assert verdict(aligned) == (
        "Over 2020-01..2020-06, no events were found between AZE and TUR or RUS."
    )
