"""How alignment is measured: dyad events, counts, scores, tilt, equidistance, intervals.

Most tests build a handful of events by hand, so the expected numbers can be worked
out on paper; the rest generate event streams whose answer is known (equal relations
with every pole, one-sided relations, ten times more documents).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from equipoise.analysis import dyad_events, summary, verdict
from equipoise.analysis import measure as measure_stories
from equipoise.analysis.align import equidistance
from equipoise.reference.plover import plover_scores
from factories import event_row


def measure(*args, **options):
    """``measure`` counting every event row as its own unit.

    The hand-made rows here repeat one code on one day between the same actors to make
    counts that can be worked out on paper; the story rule would rightly merge them into
    one story. These tests check the arithmetic over units, so each row is a unit here;
    ``tests/test_stories.py`` checks how reports become stories.
    """
    options.setdefault("unit", "event")
    return measure_stories(*args, **options)


def align(*args, **options) -> pd.DataFrame:
    """The table of :func:`measure`."""
    return measure(*args, **options).table


def events(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def row(aligned: pd.DataFrame, period: str, pole: str) -> pd.Series:
    hit = aligned[(aligned["period"] == period) & (aligned["pole"] == pole)]
    assert len(hit) == 1, f"expected one row for {period}/{pole}"
    return hit.iloc[0]


# --------------------------------------------------------------------------- dyad events


def test_dyad_events_keep_both_directions_and_say_which():
    df = events(
        event_row("AZE", "TUR", 1, "2020-01-05"),
        event_row("TUR", "AZE", 2, "2020-01-06"),
        event_row("RUS", "AZE", 3, "2020-01-07"),
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
        event_row("AZE", "TUR", 1, "2020-01-05", source_sector="MIL"),
        event_row("BAK", "TUR", 1, "2020-01-06", source_country="AZE", source_sector="LOC"),
    )
    assert len(dyad_events(df, "AZE", ["TUR"])) == 2


def test_events_without_both_sides_are_ignored():
    df = events(
        event_row("AZE", "ARM", 4, "2020-01-05"),  # not a pole
        event_row("TUR", "RUS", 1, "2020-01-06"),  # pole to pole, focal absent
        event_row("AZE", "AZE", 1, "2020-01-07"),  # domestic
    )
    assert dyad_events(df, "AZE", ["TUR", "RUS"]).empty


def test_symmetric_event_counts_once_even_when_stored_twice():
    met = {"symmetric": True, "doc_id": "d1", "cameo": "040"}
    df = events(
        event_row("AZE", "TUR", 1, "2020-01-05", **met),
        event_row("TUR", "AZE", 1, "2020-01-05", **met),  # the mirror image of the same meeting
    )
    dyads = dyad_events(df, "AZE", ["TUR"])
    assert len(dyads) == 1
    assert dyads["direction"].tolist() == ["both"]
    assert align(df, "AZE", ["TUR"])["n_events"].sum() == 1


def test_focal_cannot_be_a_pole():
    with pytest.raises(ValueError, match="focal"):
        dyad_events(events(event_row("AZE", "TUR", 1, "2020-01-05")), "AZE", ["AZE", "TUR"])


# --------------------------------------------------------------------------- counts


def test_counts_by_quad_cover_both_directions():
    df = events(
        event_row("AZE", "TUR", 1, "2020-03-01"),
        event_row("TUR", "AZE", 1, "2020-03-02"),
        event_row("TUR", "AZE", 2, "2020-03-03"),
        event_row("AZE", "TUR", 3, "2020-03-04"),
        event_row("TUR", "AZE", 4, "2020-03-05"),
    )
    r = row(align(df, "AZE", ["TUR"]), "2020-03", "TUR")
    assert (r.n_events, r.verbal_coop, r.material_coop) == (5, 2, 1)
    assert (r.verbal_conflict, r.material_conflict) == (1, 1)
    assert r.goldstein_mean == pytest.approx((1.9 + 1.9 + 6.4 - 2.0 - 10.0) / 5)


LEADING_COLUMNS = [
    "period",
    "period_start",
    "pole",
    "n_events",
    "n_stories",
    "verbal_coop",
    "material_coop",
    "verbal_conflict",
    "material_conflict",
    "goldstein_mean",
    "net_coop",
    "tilt",
]
DIRECTED_COLUMNS = [
    f"{side}_{name}"
    for side in ("out", "in")
    for name in ("events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict")
]
DETAIL_COLUMNS = [*DIRECTED_COLUMNS, "joint_events", "duplication", "goldstein_sum", "n_scored",
                  "score_sum"]
SALIENCE = ["share", "volume", "salience"]


def test_output_has_the_documented_columns():
    # The original columns come first, in their original order; the directed counts,
    # the score and the status follow, and the intervals only when asked for.
    aligned = align(events(event_row("AZE", "TUR", 1, "2020-03-01")), "AZE", ["TUR"])
    assert list(aligned.columns) == [*LEADING_COLUMNS, *DETAIL_COLUMNS, "score", "mean_se",
                                     *SALIENCE, "status"]
    assert aligned["period_start"].tolist() == [dt.date(2020, 3, 1)]
    with_ci = align(events(event_row("AZE", "TUR", 1, "2020-03-01")), "AZE", ["TUR"], ci=0.9)
    assert list(with_ci.columns) == [
        *LEADING_COLUMNS,
        *DETAIL_COLUMNS,
        "score",
        "mean_se",
        *SALIENCE,
        "net_coop_lo",
        "net_coop_hi",
        "score_lo",
        "score_hi",
        "tilt_lo",
        "tilt_hi",
        "status",
    ]


# --------------------------------------------------------------------------- net cooperation


# Tests of the formulas on one or two events pass ``min_events=0``: by default a cell
# needs three events before it gets a number at all (see the "insufficient data" tests).


def shrunk(total: float, n: float, period_total: float | None = None,
           period_n: float | None = None, k: float = 2.0) -> float:
    """The documented score: a cell's ``total`` over ``n`` events pulled toward the focal
    actor's level in the period, ``period_total / (period_n + k)`` over all its poles
    (the cell's own figures with one pole), by ``k`` pseudo-events."""
    period_total = total if period_total is None else period_total
    period_n = n if period_n is None else period_n
    level = period_total / (period_n + k) if period_n + k > 0 else 0.0
    return (total + k * level) / (n + k)


def test_one_cooperative_event_is_not_certainty():
    # One pole: the level is 1 / (1 + 2), and the cell (1 + 2 * 1/3) / (1 + 2).
    aligned = align(events(event_row("AZE", "TUR", 1, "2020-03-01")), "AZE", ["TUR"], min_events=0)
    assert aligned["net_coop"].iloc[0] == pytest.approx(shrunk(1, 1)) == pytest.approx(5 / 9)


def test_smoothing_can_be_changed():
    df = events(event_row("AZE", "TUR", 1, "2020-03-01"), event_row("AZE", "TUR", 4, "2020-03-02"))
    assert align(df, "AZE", ["TUR"], smoothing=0, min_events=0)["net_coop"].iloc[0] == 0
    only_coop = events(event_row("AZE", "TUR", 1, "2020-03-01"))
    net = align(only_coop, "AZE", ["TUR"], smoothing=0, min_events=0)["net_coop"]
    assert net.iloc[0] == 1
    net = align(only_coop, "AZE", ["TUR"], smoothing=8, min_events=0)["net_coop"]
    assert net.iloc[0] == pytest.approx(shrunk(1, 1, k=8)) == pytest.approx(17 / 81)


# --------------------------------------------------------------------------- tilt


def test_tilt_is_net_cooperation_relative_to_the_other_poles():
    df = events(
        event_row("AZE", "TUR", 1, "2020-03-01"),  # TUR: +1/3
        event_row("AZE", "RUS", 4, "2020-03-02"),  # RUS: -1/3
        # USA: no events, 0
    )
    aligned = align(df, "AZE", ["TUR", "RUS", "USA"], min_events=0)
    assert row(aligned, "2020-03", "TUR").tilt == pytest.approx(1 / 3 - (-1 / 3 + 0) / 2)
    assert row(aligned, "2020-03", "RUS").tilt == pytest.approx(-1 / 3 - (1 / 3 + 0) / 2)
    assert row(aligned, "2020-03", "USA").tilt == pytest.approx(0 - (1 / 3 - 1 / 3) / 2)


def test_tilts_sum_to_zero_across_poles_in_every_period():
    df = events(
        event_row("AZE", "TUR", 1, "2020-01-05"),
        event_row("TUR", "AZE", 2, "2020-01-09"),
        event_row("RUS", "AZE", 4, "2020-01-20"),
        event_row("AZE", "USA", 3, "2020-02-11"),
        event_row("AZE", "RUS", 1, "2020-04-01"),
    )
    aligned = align(df, "AZE", ["TUR", "RUS", "USA"], min_events=0)
    sums = aligned.groupby("period")["tilt"].sum()
    assert sums.abs().max() == pytest.approx(0, abs=1e-12)


def test_with_one_pole_tilt_is_net_cooperation():
    df = events(event_row("AZE", "TUR", 1, "2020-01-05"), event_row("AZE", "TUR", 3, "2020-02-05"))
    aligned = align(df, "AZE", ["TUR"], min_events=0)
    assert aligned["tilt"].tolist() == pytest.approx(aligned["net_coop"].tolist())


# --------------------------------------------------------------------------- periods


def test_periods_without_events_appear_with_zero_counts():
    df = events(event_row("AZE", "TUR", 1, "2020-01-15"), event_row("AZE", "RUS", 1, "2020-04-15"))
    aligned = align(df, "AZE", ["TUR", "RUS"], min_events=0)
    assert aligned["period"].unique().tolist() == ["2020-01", "2020-02", "2020-03", "2020-04"]
    assert len(aligned) == 4 * 2
    quiet = row(aligned, "2020-02", "TUR")
    assert quiet.n_events == 0 and quiet.net_coop == 0 and quiet.tilt == 0
    assert pd.isna(quiet.goldstein_mean)


def test_quarter_and_year_periods():
    df = events(event_row("AZE", "TUR", 1, "2020-02-15"), event_row("AZE", "TUR", 2, "2021-08-01"))
    quarters = align(df, "AZE", ["TUR"], freq="quarter")
    assert quarters["period"].tolist() == [
        "2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1", "2021Q2", "2021Q3",
    ]  # fmt: skip
    assert quarters["period_start"].iloc[2] == dt.date(2020, 7, 1)
    years = align(df, "AZE", ["TUR"], freq="year")
    assert years["period"].tolist() == ["2020", "2021"]
    assert years["n_events"].tolist() == [1, 1]


def test_unknown_freq_is_rejected_with_the_allowed_values():
    df = events(event_row("AZE", "TUR", 1, "2020-02-15"))
    with pytest.raises(ValueError, match="'month', 'quarter', 'year'"):
        align(df, "AZE", ["TUR"], freq="week")


def test_start_and_end_bound_the_range_inclusively():
    df = events(
        event_row("AZE", "TUR", 1, "2019-12-31"),
        event_row("AZE", "TUR", 1, "2020-01-01"),
        event_row("AZE", "TUR", 1, "2020-03-31"),
        event_row("AZE", "TUR", 1, "2020-04-01"),
    )
    aligned = align(df, "AZE", ["TUR"], start=dt.date(2020, 1, 1), end=dt.date(2020, 5, 31))
    assert aligned["period"].tolist() == ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05"]
    assert aligned["n_events"].tolist() == [1, 0, 1, 1, 0]


def test_no_events_and_no_range_gives_an_empty_frame():
    aligned = align(events(event_row("AZE", "ARM", 1, "2020-01-01")), "AZE", ["TUR"])
    assert aligned.empty


# --------------------------------------------------------------------------- summary and verdict


def switching_stream() -> pd.DataFrame:
    """AZE courts TUR and quarrels with RUS in 2020, then the reverse in 2021."""
    rows = []
    for month in range(1, 13):
        rows += [
            event_row("AZE", "TUR", 1, f"2020-{month:02d}-05"),
            event_row("TUR", "AZE", 2, f"2020-{month:02d}-10"),
            event_row("AZE", "RUS", 3, f"2020-{month:02d}-15"),
            event_row("RUS", "AZE", 1, f"2021-{month:02d}-05"),
            event_row("AZE", "RUS", 2, f"2021-{month:02d}-10"),
            event_row("TUR", "AZE", 4, f"2021-{month:02d}-15"),
        ]
    return events(*rows)


def test_summary_totals_and_halves():
    # The stream is told in both directions (TUR's 2021 events all go to AZE).
    aligned = align(switching_stream(), "AZE", ["TUR", "RUS"], direction="both")
    table = summary(aligned).set_index("pole")
    assert table.loc["TUR", "n_events"] == 36
    assert table.loc["TUR", "first_half_events"] == 24
    assert table.loc["TUR", "second_half_events"] == 12
    # Whole range for TUR: 24 coop, 12 conflict; RUS 24 coop, 12 conflict as well.
    assert table.loc["TUR", "net_coop"] == pytest.approx(shrunk(12, 36, 24, 72))
    assert table["tilt"].sum() == pytest.approx(0)


def test_a_switch_from_tur_to_rus_shows_as_a_sign_change():
    aligned = align(switching_stream(), "AZE", ["TUR", "RUS"], direction="both")
    table = summary(aligned).set_index("pole")
    assert table.loc["TUR", "first_half_tilt"] > 0 > table.loc["TUR", "second_half_tilt"]
    assert table.loc["RUS", "first_half_tilt"] < 0 < table.loc["RUS", "second_half_tilt"]
    assert table.loc["TUR", "tilt_change"] < 0 < table.loc["RUS", "tilt_change"]
    text = verdict(aligned)
    assert "shifted from TUR in the first half" in text
    assert "to RUS in the second" in text


def test_verdict_names_the_pole_with_the_highest_tilt():
    df = events(
        event_row("AZE", "TUR", 3, "2020-01-05"),
        event_row("AZE", "RUS", 1, "2020-01-06"),
        event_row("RUS", "AZE", 2, "2020-05-06"),
        event_row("AZE", "USA", 1, "2020-06-07"),
    )
    aligned = measure(df, "AZE", ["TUR", "RUS", "USA"], min_events=1)
    table = summary(aligned)
    leader = table.loc[table["tilt"].idxmax()]
    text = verdict(aligned)
    assert leader["pole"] == "RUS"
    assert text.startswith(f"Over 2020-01..2020-06, AZE leaned most toward {leader['pole']}")
    assert f"(tilt {leader['tilt']:+.2f})" in text
    assert 1 <= text.count(". ") + 1 <= 3


def test_verdict_without_events_says_so():
    aligned = measure(
        events(event_row("AZE", "ARM", 1, "2020-01-01")),
        "AZE",
        ["TUR", "RUS"],
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 6, 30),
    )
    assert verdict(aligned) == (
        "Over 2020-01..2020-06, no events were found between AZE and TUR or RUS."
    )


# --------------------------------------------------------------------------- generated streams

POLES3 = ["TUR", "RUS", "IRN"]


def stream(
    plan: dict[str, float],
    n_docs: int,
    seed: int = 0,
    months: int = 1,
    events_per_doc: int = 1,
    focal: str = "AZE",
    first: str = "2020-01",
) -> pd.DataFrame:
    """Documents drawn at random over ``months`` months from ``first``: each names one
    pole and holds ``events_per_doc`` events.

    ``plan`` maps a pole to the probability that an event with it is cooperative
    (quad 1) rather than conflictual (quad 3). A document's events all have the same
    quad, date and direction, so events of one document are perfectly correlated.
    Built column by column, so large streams are quick.
    """
    rng = np.random.default_rng(seed)
    poles = np.array(list(plan))
    pole = poles[rng.integers(0, len(poles), n_docs)]
    p_coop = np.array([plan[p] for p in pole])
    quad = np.where(rng.random(n_docs) < p_coop, 1, 3)
    outward = rng.random(n_docs) < 0.5
    month = rng.integers(0, months, n_docs)
    day = np.datetime64(first, "M") + month
    when = day.astype("datetime64[D]") + rng.integers(0, 28, n_docs)
    doc = np.array([f"doc-{seed}-{i}" for i in range(n_docs)], dtype=object)

    def repeat(values: np.ndarray) -> np.ndarray:
        return np.repeat(values, events_per_doc)

    src = repeat(np.where(outward, focal, pole))
    tgt = repeat(np.where(outward, pole, focal))
    quads = repeat(quad)
    n = len(src)
    return pd.DataFrame(
        {
            "doc_id": repeat(doc),
            "sent_start": np.tile(np.arange(events_per_doc) * 100, n_docs),
            "sent_end": np.tile(np.arange(events_per_doc) * 100 + 50, n_docs),
            "sentence": "A sentence.",
            "source": src,
            "source_country": src,
            "source_sector": "GOV",
            "target": tgt,
            "target_country": tgt,
            "target_sector": "GOV",
            "cameo": np.where(quads == 1, "042", "112"),
            "root": np.where(quads == 1, "04", "11"),
            "quad": quads,
            "goldstein": np.where(quads == 1, 1.9, -2.0),
            "plover": "",
            "event_date": pd.Series(repeat(when)).dt.date,
            "date_precision": "day",
            "symmetric": np.zeros(n, dtype=bool),
            "reported": False,
            "trigger": "",
            "coder": "test",
            "dataset": "equipoise",
        }
    )


# --------------------------------------------------------------------------- options


def directed() -> pd.DataFrame:
    """Three events AZE/TUR worked out by hand below.

    PLOVER types come from the CAMEO crosswalk (the ``plover`` column is empty):
    042 CONSULT 2.5, 061 COOPERATE 9.5, 190 ASSAULT -9.
    """
    return events(
        event_row("AZE", "TUR", 1, "2020-03-01"),  # 042, Goldstein 1.9
        event_row("TUR", "AZE", 2, "2020-03-02"),  # 061, Goldstein 6.4
        event_row("AZE", "TUR", 4, "2020-03-03"),  # 190, Goldstein -10
    )


@pytest.mark.parametrize(
    ("weight", "direction", "expected"),
    [
        ("count", "both", shrunk(1 + 1 - 1, 3)),
        ("count", "out", shrunk(1 - 1, 2)),
        ("count", "in", shrunk(1, 1)),
        ("goldstein", "both", shrunk(0.19 + 0.64 - 1.0, 3)),
        ("goldstein", "out", shrunk(0.19 - 1.0, 2)),
        ("goldstein", "in", shrunk(0.64, 1)),
        ("plover", "both", shrunk(0.25 + 0.95 - 0.9, 3)),
        ("plover", "out", shrunk(0.25 - 0.9, 2)),
        ("plover", "in", shrunk(0.95, 1)),
    ],
)
def test_weight_and_direction_change_the_score_as_defined(weight, direction, expected):
    aligned = align(directed(), "AZE", ["TUR"], weight=weight, direction=direction, min_events=0)
    r = row(aligned, "2020-03", "TUR")
    assert r.score == pytest.approx(expected)
    assert r.tilt == pytest.approx(expected)  # one pole: tilt is the score
    # net_coop stays the count over both directions whatever the options
    assert r.net_coop == pytest.approx(shrunk(1, 3))
    assert (r.n_events, r.out_events, r.in_events, r.joint_events) == (3, 2, 1, 0)
    assert (r.out_verbal_coop, r.out_material_conflict, r.in_material_coop) == (1, 1, 1)
    assert r.goldstein_sum == pytest.approx(1.9 + 6.4 - 10.0)
    assert r.score == pytest.approx(shrunk(r.score_sum, r.n_scored))


def test_count_score_over_both_directions_is_net_cooperation():
    aligned = align(switching_stream(), "AZE", ["TUR", "RUS"], freq="quarter", direction="both")
    assert aligned["status"].eq("ok").all()
    assert aligned["score"].tolist() == pytest.approx(aligned["net_coop"].tolist())


def test_a_joint_event_counts_in_both_directions_once():
    df = events(event_row("AZE", "TUR", 2, "2020-03-01", symmetric=True, cameo="061"))
    r = row(align(df, "AZE", ["TUR"], direction="out", min_events=0), "2020-03", "TUR")
    assert (r.n_events, r.out_events, r.in_events, r.joint_events) == (1, 1, 1, 1)
    assert r.out_material_coop == r.in_material_coop == 1
    r_in = row(align(df, "AZE", ["TUR"], direction="in", min_events=0), "2020-03", "TUR")
    assert r.score == r_in.score == pytest.approx(shrunk(1, 1))


def test_plover_column_wins_over_the_cameo_crosswalk_and_statements_have_no_value():
    df = events(
        event_row("AZE", "TUR", 1, "2020-03-01", plover="SUPPORT"),  # 5.0, not CONSULT's 2.5
        event_row("AZE", "TUR", 3, "2020-03-02", plover="accuse"),  # any case; ACCUSE is -3
        event_row("AZE", "TUR", 1, "2020-03-03", cameo="010"),  # a statement: no PLOVER type
    )
    r = row(align(df, "AZE", ["TUR"], weight="plover", min_events=0), "2020-03", "TUR")
    assert r.n_scored == 2 and r.n_events == 3
    assert r.score == pytest.approx(shrunk(0.5 - 0.3, 2))


def test_plover_scores_table_transcribes_the_manual_with_accuse_negative():
    table = plover_scores().set_index("plover_event")
    assert len(table) == 16
    assert table.loc["AID", "score"] == 10.0 and table.loc["ASSAULT", "score"] == -9.0
    assert table.loc["ACCUSE", "score"] == -3.0
    assert table["quad"].value_counts().sort_index().tolist() == [4, 3, 4, 5]


def test_tilt_compares_scores_under_the_chosen_weight():
    df = events(
        event_row("AZE", "TUR", 2, "2020-03-01"),  # 0.64
        event_row("AZE", "RUS", 1, "2020-03-02"),  # 0.19
    )
    aligned = measure(df, "AZE", ["TUR", "RUS"], weight="goldstein", min_events=0)
    tur, rus = row(aligned.table, "2020-03", "TUR"), row(aligned.table, "2020-03", "RUS")
    # Both cells are pulled toward the same level, so the tilt is the plain difference.
    assert tur.tilt == pytest.approx(0.64 / 3 - 0.19 / 3)
    assert rus.tilt == pytest.approx(-tur.tilt)
    table = summary(aligned).set_index("pole")
    assert table.loc["TUR", "score"] == pytest.approx(shrunk(0.64, 1, 0.64 + 0.19, 2))
    assert table.loc["TUR", "tilt"] == pytest.approx(tur.tilt)


def test_unknown_options_are_rejected():
    df = directed()
    with pytest.raises(ValueError, match="'count', 'goldstein', 'plover'"):
        align(df, "AZE", ["TUR"], weight="intensity")
    with pytest.raises(ValueError, match="'out', 'in', 'both'"):
        align(df, "AZE", ["TUR"], direction="outbound")
    with pytest.raises(ValueError, match="ci"):
        align(df, "AZE", ["TUR"], ci=90)
    with pytest.raises(ValueError, match="min_events"):
        align(df, "AZE", ["TUR"], min_events=-1)


# --------------------------------------------------------------------------- insufficient data


def test_below_min_events_the_numbers_are_nan_and_the_status_says_so():
    two = events(event_row("AZE", "TUR", 1, "2020-03-01"), event_row("TUR", "AZE", 1, "2020-03-02"))
    r = row(align(two, "AZE", ["TUR"], ci=0.9, direction="both"), "2020-03", "TUR")
    assert r.status == "insufficient data"
    assert r.n_events == 2 and r.verbal_coop == 2  # the counts are still there
    for name in ("score", "net_coop", "tilt", "score_lo", "score_hi", "tilt_lo", "tilt_hi"):
        assert pd.isna(r[name]), name

    three = events(*two.to_dict("records"), event_row("AZE", "TUR", 3, "2020-03-05"))
    r = row(align(three, "AZE", ["TUR"], ci=0.9, direction="both"), "2020-03", "TUR")
    assert r.status == "ok"
    assert r.score == pytest.approx(shrunk(2 - 1, 3))
    assert r.score_lo <= r.score <= r.score_hi

    # The threshold counts the events behind the score: only two go out from AZE.
    r = row(align(three, "AZE", ["TUR"], direction="out"), "2020-03", "TUR")
    assert (r.n_scored, r.status) == (2, "insufficient data")
    assert r.net_coop == pytest.approx(shrunk(1, 3))  # three events in all directions
    assert row(align(two, "AZE", ["TUR"], min_events=2, direction="both"), "2020-03",
               "TUR").status == "ok"


def test_a_pole_without_data_is_left_out_of_the_tilts():
    df = events(
        *[event_row("AZE", "TUR", 1, f"2020-03-0{d}") for d in (1, 2, 3)],
        *[event_row("AZE", "RUS", 3, f"2020-03-0{d}") for d in (1, 2, 3, 4, 5)],
        event_row("AZE", "IRN", 1, "2020-03-09"),
    )
    aligned = align(df, "AZE", POLES3)
    tur, rus, irn = (row(aligned, "2020-03", p) for p in POLES3)
    assert irn.status == "insufficient data" and pd.isna(irn.tilt)
    # IRN's one event still counts in the focal actor's level (3 - 5 + 1 over 9 events).
    assert tur.tilt == pytest.approx(shrunk(3, 3, -1, 9) - shrunk(-5, 5, -1, 9))
    assert tur.tilt + rus.tilt == pytest.approx(0)


# --------------------------------------------------------------------------- equidistance


def hand_stream(counts: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Per pole, (cooperative, conflictual) events in March 2020, one document each."""
    rows = []
    for pole, (coop, conflict) in counts.items():
        rows += [event_row("AZE", pole, 1, "2020-03-01", doc_id=f"{pole}c{i}") for i in range(coop)]
        rows += [
            event_row("AZE", pole, 3, "2020-03-02", doc_id=f"{pole}k{i}") for i in range(conflict)
        ]
    return events(*rows)


def test_equidistance_is_one_minus_the_normalised_spread_of_the_scores():
    # Two poles: sd = |s1 - s2| / 2 and its maximum is 1.
    df = hand_stream({"TUR": (4, 0), "RUS": (1, 3)})
    aligned = align(df, "AZE", ["TUR", "RUS"])
    table = equidistance(aligned)
    s_tur, s_rus = row(aligned, "2020-03", "TUR").score, row(aligned, "2020-03", "RUS").score
    assert s_tur - s_rus == pytest.approx(1.5 * 4 / 6)  # both pulled toward one level
    assert table["equidistance_raw"].iloc[0] == pytest.approx(1 - abs(s_tur - s_rus) / 2)
    # Corrected: over the mean values (TUR 1, RUS -0.5: population variance 0.75**2) less
    # the sampling variance. The period's pooled spread of event values is (0 + 3) / 6.
    # Event-level variances, each cell's spread pulled toward the pooled one by 2
    # pseudo-events: TUR (0 + 2 * 0.5) / (3 + 2) / 4, RUS (3 + 2 * 0.5) / (3 + 2) / 4.
    # One event per document: the design effect, cluster-robust (TUR 0, RUS 4/3 * 3 / 16)
    # over event-level summed over the period, is 0.25 / 0.25 = 1, so they stand.
    v_tur, v_rus = 1.0 / 5 / 4, 4.0 / 5 / 4
    assert row(aligned, "2020-03", "RUS").mean_se == pytest.approx(v_rus**0.5)
    expected = 1 - (0.75**2 - (2 - 1) / 2**2 * (v_tur + v_rus)) ** 0.5
    assert table["equidistance"].iloc[0] == pytest.approx(expected)
    assert list(table.columns) == [
        "period", "period_start", "n_poles", "n_poles_with_data", "equidistance",
        "equidistance_raw", "status", "position",
    ]  # fmt: skip
    assert (table["n_poles"].iloc[0], table["n_poles_with_data"].iloc[0]) == (2, 2)
    # Two poles: the position from TUR (0) to RUS (1), anchors -2 and +2 by default.
    assert table["position"].iloc[0] == pytest.approx((-0.5 - 1 + 2) / 4)
    moved = equidistance(aligned, anchors=(-1.0, 1.0))
    assert moved["position"].iloc[0] == pytest.approx((-0.5 - 1 + 1) / 2)


def test_equidistance_reaches_zero_for_any_number_of_poles():
    # Without smoothing one-sided relations score exactly +1 or -1.
    cases = {
        ("TUR", "RUS"): 0.0,  # +1, -1
        ("TUR", "RUS", "IRN"): 0.0,  # +1, -1, -1: the most unequal three scores can be
        ("TUR", "RUS", "IRN", "USA"): 0.0,  # +1, -1, -1, +1
    }
    signs = {"TUR": (3, 0), "RUS": (0, 3), "IRN": (0, 3), "USA": (3, 0)}
    for poles, expected in cases.items():
        df = hand_stream({p: signs[p] for p in poles})
        aligned = align(df, "AZE", list(poles), smoothing=0)
        assert equidistance(aligned)["equidistance"].iloc[0] == pytest.approx(expected, abs=1e-12)
    # Four poles, one friend and three adversaries: sd = sqrt(3) / 2, maximum 1.
    df = hand_stream({"TUR": (3, 0), "RUS": (0, 3), "IRN": (0, 3), "USA": (0, 3)})
    aligned = align(df, "AZE", ["TUR", "RUS", "IRN", "USA"], smoothing=0)
    assert equidistance(aligned)["equidistance"].iloc[0] == pytest.approx(1 - 3**0.5 / 2)


def test_an_equidistant_stream_scores_near_one_and_a_one_sided_stream_near_zero():
    even = stream({"TUR": 0.7, "RUS": 0.7, "IRN": 0.7}, n_docs=6000, months=6, seed=1)
    table = equidistance(align(even, "AZE", POLES3))
    assert len(table) == 6 and (table["n_poles_with_data"] == 3).all()
    assert table["equidistance"].min() > 0.85
    assert table["equidistance"].mean() > 0.9

    lopsided = stream({"TUR": 1.0, "RUS": 0.0, "IRN": 0.0}, n_docs=6000, months=6, seed=2)
    table = equidistance(align(lopsided, "AZE", POLES3))
    assert table["equidistance"].max() < 0.05


def test_the_standard_error_of_a_cell_counts_weighted_events_by_their_effective_number():
    # Two cooperative events seen 3 times each, two conflictual seen once, four documents.
    df = events(*[event_row("AZE", "TUR", quad, f"2020-03-0{i + 1}", doc_id=f"d{i}",
                            num_mentions=seen)
                  for i, (quad, seen) in enumerate([(1, 3), (1, 3), (3, 1), (3, 1)])])
    # Unweighted: mean 0, spread 1 (sum of squares 4 over 3 degrees of freedom pooled),
    # pulled by 2 pseudo-events: (4 + 2 * 4/3) / (3 + 2), over 4 events.
    counted = align(df, "AZE", ["TUR"], weight="count").iloc[0]
    assert counted.mean_se == pytest.approx(((4 + 2 * 4 / 3) / 5 / 4) ** 0.5)
    # Weighted: mean 0.5 over 8, effective number 8**2 / 20 = 3.2, weighted variance 0.75.
    # The documents' design effect, (4/3 * 9 / 64) over that, is below 1 and left out.
    weighted = align(df, "AZE", ["TUR"], weight="mentions").iloc[0]
    squares = 0.75 * 3.2
    within = (squares + 2 * squares / 2.2) / (3.2 - 1 + 2)
    assert weighted.mean_se == pytest.approx((within / 3.2) ** 0.5)


def test_a_pole_missing_from_a_period_is_a_gap_not_a_jump():
    # March: all three poles; April: IRN too thin. The set stays the three poles.
    df = events(
        *hand_stream({"TUR": (4, 0), "RUS": (0, 4), "IRN": (2, 2)}).to_dict("records"),
        *[event_row("AZE", p, 1, f"2020-04-0{d}", doc_id=f"{p}{d}")
          for p in ("TUR", "RUS") for d in (1, 2, 3)],
    )
    table = equidistance(align(df, "AZE", POLES3)).set_index("period")
    assert table.loc["2020-03", "status"] == "ok" and table.loc["2020-03", "n_poles"] == 3
    assert table.loc["2020-04", "status"] == "insufficient data"
    assert (table.loc["2020-04", "n_poles"], table.loc["2020-04", "n_poles_with_data"]) == (3, 2)
    assert pd.isna(table.loc["2020-04", "equidistance"])
    assert pd.isna(table.loc["2020-04", "equidistance_raw"])
    # Asked for the two poles with data, April has an index.
    two = equidistance(align(df, "AZE", POLES3), poles=["tur", "RUS"]).set_index("period")
    assert two.loc["2020-04", "equidistance"] == pytest.approx(1.0)
    assert "position" in two.columns and "position" not in table.columns
    with pytest.raises(ValueError, match="USA"):
        equidistance(align(df, "AZE", POLES3), poles=["TUR", "USA"])


def test_equidistance_needs_two_poles_with_data():
    df = hand_stream({"TUR": (3, 0), "RUS": (1, 0)})
    table = equidistance(align(df, "AZE", ["TUR", "RUS"]))
    assert table["n_poles_with_data"].iloc[0] == 1
    assert pd.isna(table["equidistance"].iloc[0])


def test_equidistance_intervals_come_from_the_same_replicates():
    df = stream({"TUR": 0.8, "RUS": 0.4, "IRN": 0.6}, n_docs=900, months=3, seed=3)
    aligned = measure(df, "AZE", POLES3, ci=0.9, n_boot=300)
    table = equidistance(aligned)
    assert {"equidistance_lo", "equidistance_hi"} <= set(table.columns)
    assert (table["equidistance_lo"] <= table["equidistance_hi"]).all()
    assert (table["equidistance_lo"] >= 0).all() and (table["equidistance_hi"] <= 1).all()
    inside = (table["equidistance_lo"] <= table["equidistance"]) & (
        table["equidistance"] <= table["equidistance_hi"]
    )
    assert inside.all()
    # A subset of the poles is recomputed from the replicates of those poles only.
    two = equidistance(aligned.with_table(aligned.table[aligned.table["pole"] != "IRN"]))
    assert (two["n_poles_with_data"] == 2).all()
    assert two["equidistance_lo"].notna().all()
    # Without intervals there are no interval columns.
    assert "equidistance_lo" not in equidistance(align(df, "AZE", POLES3)).columns


# --------------------------------------------------------------------------- intervals


def width(aligned: pd.DataFrame, pole: str, column: str = "score") -> float:
    r = aligned[aligned["pole"] == pole].iloc[0]
    return r[f"{column}_hi"] - r[f"{column}_lo"]


def test_intervals_shrink_as_documents_grow():
    plan = {"TUR": 0.7, "RUS": 0.4}
    small = align(stream(plan, n_docs=200, seed=4), "AZE", ["TUR", "RUS"], ci=0.9)
    large = align(stream(plan, n_docs=2000, seed=5), "AZE", ["TUR", "RUS"], ci=0.9)
    for pole in plan:
        for column in ("score", "tilt", "net_coop"):
            # 10x the documents: about 1/sqrt(10) = 0.32 the width
            assert width(large, pole, column) < 0.5 * width(small, pole, column)
    for aligned in (small, large):
        ok = aligned["status"].eq("ok")
        assert (aligned.loc[ok, "score_lo"] <= aligned.loc[ok, "score"]).all()
        assert (aligned.loc[ok, "score"] <= aligned.loc[ok, "score_hi"]).all()


def test_the_bootstrap_resamples_documents_not_events():
    # 40 documents of 10 identical events each: one document moves as a block, so the
    # interval is about sqrt(10) times wider than if the same 400 events were independent.
    clustered = stream({"TUR": 0.5}, n_docs=40, events_per_doc=10, seed=6)
    independent = clustered.assign(doc_id=[f"e{i}" for i in range(len(clustered))])
    by_document = align(clustered, "AZE", ["TUR"], ci=0.9, n_boot=1000)
    by_event = align(independent, "AZE", ["TUR"], ci=0.9, n_boot=1000)
    assert by_document["score"].iloc[0] == pytest.approx(by_event["score"].iloc[0])
    assert width(by_document, "TUR") > 2 * width(by_event, "TUR")

    # Events without a doc_id (structured datasets) are each their own unit.
    no_ids = clustered.assign(doc_id=None)
    by_row = align(no_ids, "AZE", ["TUR"], ci=0.9, n_boot=1000)
    assert width(by_row, "TUR") == pytest.approx(width(by_event, "TUR"))


def test_intervals_are_reproducible_with_a_seed():
    df = stream({"TUR": 0.7, "RUS": 0.4, "IRN": 0.5}, n_docs=600, months=2, seed=7)
    columns = ["score_lo", "score_hi", "tilt_lo", "tilt_hi", "net_coop_lo", "net_coop_hi"]
    first = align(df, "AZE", POLES3, ci=0.9, n_boot=200, random_state=11)
    again = align(df, "AZE", POLES3, ci=0.9, n_boot=200, random_state=11)
    other = align(df, "AZE", POLES3, ci=0.9, n_boot=200, random_state=12)
    pd.testing.assert_frame_equal(first[columns], again[columns])
    pd.testing.assert_frame_equal(equidistance(first), equidistance(again))
    assert not np.allclose(first["score_lo"], other["score_lo"])
    # a wider level gives a wider interval from the same replicates
    wide = align(df, "AZE", POLES3, ci=0.99, n_boot=200, random_state=11)
    assert (wide["score_hi"] - wide["score_lo"] >= first["score_hi"] - first["score_lo"]).all()


# --------------------------------------------------------------------------- blocs


def test_a_bloc_pole_counts_its_members_from_the_day_they_joined():
    df = events(
        event_row("AZE", "FIN", 1, "2023-04-03"),  # Finland joined NATO on 2023-04-04
        event_row("FIN", "AZE", 1, "2023-04-04"),
        event_row("AZE", "FIN", 3, "2023-04-20"),
        event_row("AZE", "NATO", 1, "2023-03-10", target_country=None),  # the bloc itself
        event_row("AZE", "SWE", 1, "2023-04-10"),  # Sweden only from 2024-03-07
    )
    aligned = align(df, "AZE", ["NATO"], min_events=0)
    march, april = row(aligned, "2023-03", "NATO"), row(aligned, "2023-04", "NATO")
    assert march.n_events == 1  # the NATO event; FIN on 2023-04-03 is in April but not NATO
    assert (april.n_events, april.in_events, april.out_events) == (2, 1, 1)
    dyads = dyad_events(df, "AZE", ["NATO"])
    assert sorted(dyads["event_date"].astype(str)) == ["2023-03-10", "2023-04-04", "2023-04-20"]


def test_a_state_in_two_pole_blocs_counts_for_both():
    df = events(event_row("AZE", "FRA", 1, "2020-03-01"), event_row("AZE", "USA", 3, "2020-03-02"))
    aligned = align(df, "AZE", ["EU", "NATO"], min_events=0)
    assert row(aligned, "2020-03", "EU").n_events == 1  # France
    assert row(aligned, "2020-03", "NATO").n_events == 2  # France and the United States


def test_the_focal_actor_can_be_a_bloc():
    df = events(
        event_row("FRA", "RUS", 3, "2020-03-01"),
        event_row("RUS", "DEU", 3, "2020-03-02"),
        event_row("GBR", "RUS", 1, "2019-03-05"),  # in the EU then
        event_row("GBR", "RUS", 1, "2021-03-05"),  # not any more
        event_row("FRA", "DEU", 1, "2020-03-03"),  # inside the focal bloc: not with a pole
    )
    aligned = align(df, "EU", ["RUS", "DEU"], end=dt.date(2021, 12, 31), freq="year", min_events=0)
    assert row(aligned, "2020", "RUS").n_events == 2
    assert row(aligned, "2019", "RUS").n_events == 1
    assert row(aligned, "2021", "RUS").n_events == 0
    assert row(aligned, "2020", "DEU").n_events == 0  # a member of the focal bloc


def test_a_member_focal_state_faces_the_rest_of_its_bloc():
    df = events(
        event_row("ARM", "RUS", 3, "2020-03-01"),
        event_row("KAZ", "ARM", 1, "2020-03-02"),
        event_row("ARM", "ARM", 1, "2020-03-03", target_sector="MIL"),  # domestic, not the CSTO
    )
    aligned = align(df, "ARM", ["CSTO"], min_events=0)
    assert row(aligned, "2020-03", "CSTO").n_events == 2


def test_a_custom_membership_table_can_be_given():
    table = pd.DataFrame(
        {
            "bloc": ["GUAM", "GUAM"],
            "member": ["GEO", "UKR"],
            "joined": pd.to_datetime(["2020-01-01", "2020-06-01"]),
            "left": pd.to_datetime([None, None]),
            "note": ["", ""],
        }
    )
    df = events(event_row("AZE", "UKR", 1, "2020-03-01"), event_row("AZE", "GEO", 1, "2020-03-01"))
    aligned = align(df, "AZE", ["GUAM"], memberships=table, min_events=0)
    assert row(aligned, "2020-03", "GUAM").n_events == 1


# --------------------------------------------------------------------------- speed


def test_half_a_million_dyad_events_align_whole():
    # How long this takes is measured by benchmarks/align_speed.py, not asserted here.
    plan = {"TUR": 0.7, "RUS": 0.4, "IRN": 0.5, "USA": 0.6, "GEO": 0.8}
    # Ten years that are all past: a window left open ends a year after today.
    df = stream(plan, n_docs=250_000, months=120, events_per_doc=2, seed=8, first="2010-01")
    assert len(df) == 500_000
    aligned = align(df, "AZE", list(plan))
    assert len(aligned) == 120 * 5 and aligned["n_events"].sum() == 500_000
    # Every pole in every month, each counted from its own events.
    counts = aligned.groupby("pole")["n_events"].sum()
    expected = df.assign(pole=np.where(df["source"] == "AZE", df["target"], df["source"]))
    assert counts.to_dict() == expected.groupby("pole").size().to_dict()


def test_intervals_when_every_document_spans_several_cells():
    # Each document reports one event with TUR and one with RUS: no document sits in one cell.
    rows = []
    for i in range(12):
        day = f"2020-0{1 + i % 3}-05"
        for pole, quad in (("TUR", 1), ("RUS", 3)):
            rows.append(event_row("AZE", pole, quad=quad, when=day, doc_id=f"d{i}"))
    aligned = align(events(*rows), "AZE", ["TUR", "RUS"], ci=0.9, n_boot=50)
    ok = aligned[aligned["status"] == "ok"]
    assert len(ok) and (ok["tilt_lo"] <= ok["tilt"]).all() and (ok["tilt"] <= ok["tilt_hi"]).all()


def test_summary_and_verdict_use_the_tables_numbers():
    """One period: the whole range is that period; a pole under min_events has no score
    and is never ranked, and the others' tilts are those of the table."""
    rows = [event_row("AZE", "TUR", 1, f"2020-02-0{d}") for d in range(1, 6)]
    rows += [event_row("AZE", "RUS", 4, f"2020-02-0{d}") for d in range(1, 5)]
    rows += [event_row("AZE", "CHN", 1, "2020-02-03")]  # one event: too few for a score
    aligned = align(events(*rows), "AZE", ["TUR", "RUS", "CHN"], freq="quarter")
    table = summary(aligned).set_index("pole")
    period = aligned.set_index("pole")
    assert pd.isna(table.at["CHN", "score"]) and pd.isna(table.at["CHN", "tilt"])
    for pole in ("TUR", "RUS"):
        assert table.at[pole, "tilt"] == pytest.approx(period.at[pole, "tilt"])
    text = verdict(aligned)
    assert "leaned most toward TUR" in text and "least toward CHN" not in text
    assert "Too few events for a score with CHN" in text


def test_a_verdict_with_one_scored_pole_speaks_of_that_pole_alone():
    rows = [event_row("AZE", "TUR", 1, f"2020-02-0{d}") for d in range(1, 6)]
    rows += [event_row("AZE", "RUS", 4, "2020-02-01")]
    aligned = measure(events(*rows), "AZE", ["TUR", "RUS"], freq="quarter")
    text = verdict(aligned)
    assert "relations between AZE and TUR were mostly cooperative" in text
    assert "leaned" not in text and "Too few events for a score with RUS" in text


def test_a_verdict_on_too_little_data_says_so():
    aligned = align(events(event_row("AZE", "TUR", 1, "2020-02-01")), "AZE",
                    ["TUR", "RUS"], freq="quarter")
    assert verdict(aligned).startswith("In 2020Q1, the data are too thin for a verdict")


def test_poles_whose_intervals_overlap_cannot_be_told_apart():
    rows = [event_row("AZE", "TUR", 1, f"2020-02-0{d}") for d in range(1, 5)]
    rows += [event_row("AZE", "TUR", 4, "2020-02-05")]
    rows += [event_row("AZE", "RUS", 1, f"2020-02-0{d}") for d in range(1, 5)]
    rows += [event_row("AZE", "RUS", 4, f"2020-02-0{d}") for d in range(5, 7)]
    aligned = measure(events(*rows), "AZE", ["TUR", "RUS"], freq="quarter", ci=0.9,
                      n_boot=200)
    assert "TUR and RUS cannot be told apart at 90%" in verdict(aligned)


def test_a_pole_inside_another_pole_is_flagged_and_can_be_kept_apart():
    rows = [event_row("AZE", "TUR", 1, f"2020-02-0{d}") for d in range(1, 6)]
    rows += [event_row("AZE", "DEU", 4, f"2020-02-0{d}") for d in range(1, 6)]
    df = events(*rows)
    kept = measure(df, "AZE", ["TUR", "NATO"], freq="quarter")
    assert kept.overlaps == (("TUR", "NATO"),)
    nato = kept.table.set_index("pole").loc["NATO"]
    assert nato["n_events"] == 10  # Turkey's events count for NATO too
    assert "TUR is a member of NATO: its events count for both." in verdict(kept)

    apart = measure(df, "AZE", ["TUR", "NATO"], freq="quarter", overlap="exclude")
    nato = apart.table.set_index("pole").loc["NATO"]
    assert nato["n_events"] == 5 and nato["net_coop"] < 0  # Germany alone
    assert "count for TUR only" in verdict(apart)


def test_pole_overlaps_follow_membership_dates():
    from equipoise.analysis.blocs import pole_overlaps

    assert pole_overlaps(["FIN", "NATO", "RUS"], "2020-01-01", "2022-12-31") == []
    assert pole_overlaps(["FIN", "NATO", "RUS"], "2023-01-01", "2023-12-31") == [
        ("FIN", "NATO")]
    with pytest.raises(ValueError, match="overlap"):
        align(events(event_row("AZE", "TUR", 1, "2020-01-01")), "AZE", ["TUR"],
              overlap="merge")
