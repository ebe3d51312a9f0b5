"""Change points in a pole's tilt series, and the documents that drive them.

The first tests run on generated news: a few hundred documents with one to four
events each between Azerbaijan and Turkey, Russia or Iran, whose tone toward each
pole is drawn at random, with or without a switch toward Turkey in a known month.
The later ones build small tables and event sets by hand so that the expected
answer is plain.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from equipoise.analysis.align import measure as measure_lean
from equipoise.analysis.changepoints import (
    DRIVER_COLUMNS,
    MIN_PERIODS,
    POINT_COLUMNS,
    TOO_SHORT,
    ChangePoint,
    default_penalty,
    detect,
    find_breaks,
)
from equipoise.analysis.changepoints import (
    changepoints as changepoints_lean,
)
from equipoise.analysis.changepoints import (
    drivers as drivers_lean,
)
from equipoise.analysis.changepoints import (
    find_changepoints as find_changepoints_lean,
)
from equipoise.analysis.result import Alignment, Replicates
from factories import event_row


def measure(events, *args, **options):
    """The generated news tells half its events from the pole's side: these tests read
    relations (both directions), not the focal state's lean alone."""
    options.setdefault("direction", "both")
    return measure_lean(events, *args, **options)


def align(events, *args, **options):
    return measure(events, *args, **options).table


def drivers(events, focal, poles, cp, options, **kw):
    return drivers_lean(events, focal, poles, cp, {"direction": "both", **options}, **kw)


def changepoints(events, *args, align_kwargs=None, **options):
    return changepoints_lean(events, *args, align_kwargs={"direction": "both",
                                                         **(align_kwargs or {})}, **options)


def find_changepoints(events, *args, align_kwargs=None, **options):
    return find_changepoints_lean(events, *args, align_kwargs={"direction": "both",
                                                               **(align_kwargs or {})},
                                  **options)

FOCAL = "AZE"
POLES = ["TUR", "RUS", "IRN"]
# One CAMEO code and Goldstein score per quad class.
QUAD_CODES = {1: ("036", 4.0), 2: ("061", 6.4), 3: ("112", -2.0), 4: ("160", -4.0)}
# Share of cooperative events with each pole: the same for all before the switch;
# after it Azerbaijan warms to Turkey and cools toward Russia and, a little, Iran.
STEADY = {"TUR": 0.6, "RUS": 0.6, "IRN": 0.6}
TOWARD_TURKEY = {"TUR": 0.95, "RUS": 0.35, "IRN": 0.45}
SWITCH = dt.date(2019, 1, 1)


def event(doc: str, pole: str, quad: int, when: dt.date, n: int = 0, **extra) -> dict:
    """One coded event between Azerbaijan and ``pole`` (direction by the parity of ``n``)."""
    source, target = (FOCAL, pole) if n % 2 == 0 else (pole, FOCAL)
    columns = {
        "doc_id": doc, "sent_start": 100 * n, "sent_end": 100 * n + 80,
        "sentence": f"{source} and {target}, event {n} of {doc}.", "dataset": "test",
        "doc_title": f"Article {doc}", "doc_url": f"https://news.example/{doc}",
    }
    return event_row(source, target, quad, when, quad_codes=QUAD_CODES, **{**columns, **extra})


def generated_stream(seed: int, switch: dt.date | None = None, n_docs: int = 400) -> pd.DataFrame:
    """``n_docs`` articles over 2018-2019, each on one pole, with one to four events.

    Every event is cooperative (quad 1 or 2) with the pole's probability, conflictual
    (quad 3 or 4) otherwise; the probabilities change from STEADY to TOWARD_TURKEY on
    ``switch``, or never.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        when = dt.date(2018, 1, 1) + dt.timedelta(days=int(rng.integers(730)))
        pole = POLES[int(rng.integers(len(POLES)))]
        shares = TOWARD_TURKEY if switch is not None and when >= switch else STEADY
        for n in range(int(rng.integers(1, 5))):
            cooperative = rng.random() < shares[pole]
            quad = int(rng.choice([1, 2] if cooperative else [3, 4]))
            rows.append(event(f"d{d:03d}", pole, quad, when, n))
    return pd.DataFrame(rows)


def months_apart(a: str, b: str) -> int:
    return abs(pd.Period(a, "M").ordinal - pd.Period(b, "M").ordinal)


def segment_shift(aligned: pd.DataFrame, cp: ChangePoint) -> float:
    """The shift of ``cp`` by its definition, straight from an align table.

    The mean tilt of each segment, each period weighted by the scored events with
    all poles in it, over the periods the change point lists.
    """
    weights = aligned.groupby("period")["n_scored"].sum()
    tilt = aligned[aligned["pole"] == cp.pole].set_index("period")["tilt"]

    def mean(periods) -> float:
        y, w = tilt.reindex(list(periods)), weights.reindex(list(periods))
        w = w.where(y.notna(), 0.0)  # a period without a tilt is skipped
        return float((y * w).sum() / w.sum())

    return mean(cp.periods_after) - mean(cp.periods_before)


@pytest.fixture(scope="module")
def switching() -> pd.DataFrame:
    return generated_stream(seed=11, switch=SWITCH)


@pytest.fixture(scope="module")
def steady() -> pd.DataFrame:
    return generated_stream(seed=12)


# --------------------------------------------------------------------------- detection


def test_a_switch_toward_turkey_is_found_within_a_month_of_when_it_happened(switching):
    aligned = align(switching, FOCAL, POLES)
    points = detect(aligned, "TUR")

    assert len(points) == 1
    cp = points[0]
    assert months_apart(cp.period, "2019-01") <= 1
    assert cp.period_start == pd.Period(cp.period, "M").start_time.date()
    # Tilt toward Turkey rose by well over half a point, from about nothing.
    assert cp.shift > 0.5
    assert abs(cp.before) < 0.25
    assert cp.shift == pytest.approx(cp.after - cp.before)
    assert cp.shift == pytest.approx(segment_shift(aligned, cp))


def test_the_segments_around_a_break_run_from_the_start_and_to_the_end(switching):
    aligned = align(switching, FOCAL, POLES)
    (cp,) = detect(aligned, "TUR")
    # The segments list, in order, the months with a tilt toward Turkey: a month in
    # which a pole had fewer than three events (align's "insufficient data") has none.
    turkey = aligned[aligned["pole"] == "TUR"]
    with_tilt = turkey.loc[turkey["tilt"].notna(), "period"].tolist()
    assert list(cp.periods_before + cp.periods_after) == with_tilt
    assert len(with_tilt) < 24
    assert cp.periods_after[0] == cp.period
    assert cp.window == (with_tilt[0], with_tilt[-1])
    assert cp.drivers.empty  # detection alone does not look for drivers


def test_a_steady_stream_has_no_change_point_of_any_size(steady):
    aligned = align(steady, FOCAL, POLES)
    for pole in POLES:
        big = [cp for cp in detect(aligned, pole) if abs(cp.shift) > 0.25]
        assert big == [], pole


def test_binary_segmentation_finds_the_same_break(switching):
    aligned = align(switching, FOCAL, POLES)
    pelt = [cp.period for cp in detect(aligned, "TUR")]
    binseg = [cp.period for cp in detect(aligned, "TUR", method="binseg")]
    assert binseg == pelt


def test_the_penalty_decides_how_many_breaks_are_worth_reporting(switching):
    aligned = align(switching, FOCAL, POLES)
    assert detect(aligned, "TUR", penalty=1e6) == []
    # With almost no penalty, noise is cut into short segments too.
    assert len(detect(aligned, "TUR", penalty=1e-6)) > 3
    # Fewer breaks with a larger scale, never more.
    counts = [len(detect(aligned, "TUR", penalty_scale=s)) for s in (1, 2, 4, 8)]
    assert counts == sorted(counts, reverse=True)


def test_the_default_penalty_scales_with_the_noise_of_the_series():
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 1, 40)
    step = np.r_[np.zeros(20), np.full(20, 3.0)]
    # Twice the noise, four times the penalty; the scale multiplies it.
    assert default_penalty(2 * noise) == pytest.approx(4 * default_penalty(noise))
    assert default_penalty(noise, scale=2) == pytest.approx(default_penalty(noise) * 2)
    # The noise is measured around the best split of the series, so one large step
    # barely moves it.
    assert default_penalty(noise + step) == pytest.approx(default_penalty(noise), rel=0.2)


def hand_table(tilts: list[float], n_events: list[int] | None = None) -> pd.DataFrame:
    """An align-like table for one pole, TUR, from 2020-01 on: what ``detect`` reads."""
    periods = pd.period_range("2020-01", periods=len(tilts), freq="M")
    return pd.DataFrame(
        {
            "period": [str(p) for p in periods],
            "period_start": [p.start_time.date() for p in periods],
            "pole": "TUR",
            "tilt": tilts,
            "n_events": n_events or [10] * len(tilts),
        }
    )


WIGGLE = [0.05, -0.04, 0.02, -0.03, 0.04, -0.02]


def test_periods_without_a_tilt_are_skipped():
    # Six months around 0, six around 0.6; May (in the first half) and July, the
    # first month of the new level, have no tilt (too few events).
    tilts = list(WIGGLE) + [0.6 + w for w in WIGGLE]
    tilts[4] = tilts[6] = np.nan
    # Ten months with data are too short to test: a penalty given skips the test.
    assert detect(hand_table(tilts), "TUR") == []
    (cp,) = detect(hand_table(tilts), "TUR", penalty=0.5)
    # The break is put on the first month with data in the new regime, and the
    # skipped months are in neither segment.
    assert cp.period == "2020-08"
    assert "2020-05" not in cp.periods_before and "2020-07" not in cp.periods_after
    assert len(cp.periods_before) == 5 and len(cp.periods_after) == 5
    assert cp.before == pytest.approx(np.nanmean(tilts[:6]))
    assert cp.after == pytest.approx(np.nanmean(tilts[6:]))


def test_skipped_periods_in_generated_news(switching):
    # Drop every article of May 2018 and January 2019: align marks those months
    # "insufficient data" and their tilt is NaN.
    month = pd.to_datetime(switching["event_date"]).dt.strftime("%Y-%m")
    thinned = switching[~month.isin(["2018-05", "2019-01"])]
    aligned = align(thinned, FOCAL, POLES)
    assert aligned.loc[aligned["period"].isin(["2018-05", "2019-01"]), "tilt"].isna().all()

    (cp,) = detect(aligned, "TUR")
    # The break cannot sit on the empty month: it goes to a month with data, here
    # the next one.
    assert cp.period != "2019-01" and months_apart(cp.period, "2019-02") <= 1
    assert "2018-05" not in cp.periods_before and "2019-01" not in cp.periods_after
    found = drivers(thinned, FOCAL, POLES, cp, {})
    assert not found.empty
    assert not pd.to_datetime(found["event_date"]).dt.strftime("%Y-%m").isin(["2019-01"]).any()


def test_events_weigh_periods_unless_told_otherwise():
    # A spike to 0.6 and back in two months that rest on one event each: weighted by
    # events it is noise, counted as full periods it looks like a regime.
    tilts = list(WIGGLE) * 2
    tilts[6:8] = [0.6, 0.6]
    events = [40] * 12
    events[6:8] = [1, 1]
    assert detect(hand_table(tilts, events), "TUR", penalty=0.2) == []
    unweighted = detect(hand_table(tilts, events), "TUR", penalty=0.2, weighted=False)
    assert [cp.period for cp in unweighted] == ["2020-07", "2020-09"]


def test_a_series_too_short_for_two_segments_has_no_change_points():
    # Two segments of at least min_size (2) periods need four periods with data.
    assert detect(hand_table([0.0, 0.9, 0.9]), "TUR") == []
    assert detect(hand_table([0.0, 0.0, 0.9, 0.9]), "TUR", min_size=3) == []
    assert detect(hand_table([np.nan, 0.0, np.nan, 0.9, np.nan]), "TUR") == []
    assert detect(hand_table([0.3] * 12), "TUR") == []  # a constant series never moves


def test_an_unknown_pole_or_method_is_a_clear_error(switching):
    aligned = align(switching, FOCAL, POLES)
    with pytest.raises(ValueError, match=r"'USA' is not in the aligned table.*TUR, RUS, IRN"):
        detect(aligned, "USA")
    with pytest.raises(ValueError, match="unknown method 'dynp'"):
        detect(aligned, "TUR", method="dynp")
    with pytest.raises(ValueError, match="min_size"):
        detect(aligned, "TUR", min_size=0)
    assert detect(aligned, "tur") == detect(aligned, "TUR")  # codes are not case-sensitive


# --------------------------------------------------------------------------- drivers


def roundup_case() -> pd.DataFrame:
    """Three years of even-handed coverage, plus one retrospective article that makes the break.

    Every month each pole gets one article with four cooperative and two
    conflictual events (one month in four, one of the cooperative events is a
    conflictual one instead). The article "roundup", published
    at the end of the year, reports six cooperative Azerbaijani-Turkish events in
    each month from July on; two ordinary articles also lean a little toward Turkey.
    """
    rows = []
    # Three years of coverage: a year alone is too short to test (equipoise.analysis
    # .changepoints.MIN_PERIODS), and the break needs the months before it.
    for year, m in ((y, m) for y in (2018, 2019, 2020) for m in range(1, 13)):
        for p, pole in enumerate(POLES):
            doc = f"m{m:02d}-{pole}" if year == 2020 else f"y{year}m{m:02d}-{pole}"
            quads = [1, 2, 1, 1, 3, 4] if (m + p) % 4 else [1, 2, 1, 3, 3, 4]
            for n, quad in enumerate(quads):
                rows.append(event(doc, pole, quad, dt.date(year, m, 3 + p), n))
    for m in range(7, 13):
        for n in range(6):  # six days apart: six stories, not six reports of one
            rows.append(event("roundup", "TUR", 2, dt.date(2020, m, 7 + 4 * n), 10 * m + n))
    for doc, m in (("visit", 8), ("pipeline", 10)):
        rows += [event(doc, "TUR", 1, dt.date(2020, m, 20), n) for n in range(2)]
    return pd.DataFrame(rows)


def test_the_document_that_holds_the_break_ranks_first():
    events = roundup_case()
    aligned = align(events, FOCAL, POLES)
    (cp,) = detect(aligned, "TUR")
    # About a quarter: the roundup's thicker TUR cells no longer gain from being less
    # shrunk than the others' (every cell is pulled toward the focal's own level).
    assert cp.period == "2020-07" and cp.shift > 0.2

    found = drivers(events, FOCAL, POLES, cp, {}, top=3)
    assert found["doc_id"].iloc[0] == "roundup"
    assert found["rank"].iloc[0] == 1
    # Without it, most of the shift goes.
    top = found.iloc[0]
    assert top["influence"] > 0.6 * abs(cp.shift)
    # One row per event of the document inside the window, with its evidence.
    assert (found["doc_id"] == "roundup").sum() == 36
    assert set(found.loc[found["doc_id"] == "roundup", "doc_title"]) == {"Article roundup"}
    assert list(found.columns) == DRIVER_COLUMNS


def test_events_without_a_document_count_but_are_never_drivers():
    events = roundup_case()
    events.loc[events["doc_id"] == "m04-TUR", "doc_id"] = None
    (cp,) = detect(align(events, FOCAL, POLES), "TUR")
    found = drivers(events, FOCAL, POLES, cp, {})
    assert found["doc_id"].iloc[0] == "roundup"
    assert found["doc_id"].notna().all()


def test_influence_is_the_drop_in_the_shift_when_a_document_is_left_out(switching):
    # The cheap computation from per-document counts agrees with re-running align
    # without the document, over the same range and the same periods.
    aligned = measure(switching, FOCAL, POLES)
    (cp,) = detect(aligned, "TUR")
    found = drivers(switching, FOCAL, POLES, cp, {}, top=4)
    assert found["rank"].max() == 4
    per_doc = found.drop_duplicates("doc_id").set_index("doc_id")
    assert per_doc["influence"].is_monotonic_decreasing
    span = {"start": aligned.start, "end": aligned.end}
    for doc, row in per_doc.iterrows():
        without = align(switching[switching["doc_id"] != doc], FOCAL, POLES, **span)
        shift = segment_shift(without, cp)
        assert row["shift_without"] == pytest.approx(shift)
        assert row["influence"] == pytest.approx(abs(cp.shift) - abs(shift))


def test_drivers_follow_the_align_options_the_break_was_found_with(switching):
    options = {"weight": "goldstein", "min_events": 5}
    aligned = measure(switching, FOCAL, POLES, **options)
    cp = max(detect(aligned, "TUR"), key=lambda c: abs(c.shift))
    found = drivers(switching, FOCAL, POLES, cp, options, top=2)
    # The driver is a story with the stories its articles also report: removing its
    # articles removes it whole.
    docs = set(found.loc[found["rank"] == 1, "doc_id"])
    span = {"start": aligned.start, "end": aligned.end}
    without = align(switching[~switching["doc_id"].isin(docs)], FOCAL, POLES, **options, **span)
    drop = abs(cp.shift) - abs(segment_shift(without, cp))
    assert found["influence"].iloc[0] == pytest.approx(drop)
    # Other options than those of detection are refused rather than silently used.
    with pytest.raises(ValueError, match="align options"):
        drivers(switching, FOCAL, POLES, cp, {}, top=2)
    with pytest.raises(ValueError, match="not in the aligned range"):
        drivers(switching, FOCAL, POLES, cp, {"freq": "quarter"})


# --------------------------------------------------------------------------- both tables


def test_changepoints_returns_the_breaks_and_their_drivers_as_two_tables(switching):
    points, table = changepoints(switching, FOCAL, POLES, freq="month", top=3)
    assert list(points.columns) == POINT_COLUMNS
    assert list(table.columns) == ["pole", "period", *DRIVER_COLUMNS]

    turkey = points[points["pole"] == "TUR"]
    assert len(turkey) == 1 and months_apart(turkey["period"].iloc[0], "2019-01") <= 1
    assert turkey["window_start"].iloc[0] == "2018-01"
    assert turkey["window_end"].iloc[0] == "2019-12"
    # Every change point has its drivers, found by joining on (pole, period).
    joined = points.merge(table, on=["pole", "period"], how="left")
    assert joined["doc_id"].notna().all()
    assert (table.groupby(["pole", "period"])["rank"].max() <= 3).all()
    assert (table["influence"] > 0).all()


def test_changepoints_on_no_events_is_two_empty_tables():
    empty = generated_stream(seed=1).iloc[0:0]
    points, table = changepoints(empty, FOCAL, POLES)
    assert points.empty and table.empty
    assert list(points.columns) == POINT_COLUMNS


# --------------------------------------------------------------------------- the test's properties
# Small, seeded versions of benchmarks/validation.py: the rates there come from many more runs.


def score_table(values, rng=None, sampling_sd=None, n_boot=100) -> Alignment:
    """One pole's monthly score, 25 stories a month; replicates around each value when
    the sampling SD is given, as resampling stories gives them."""
    n = len(values)
    periods = [str(p) for p in pd.period_range("2015-01", periods=n, freq="M")]
    table = pd.DataFrame({"period": periods, "pole": "TUR", "score": values,
                          "period_start": [pd.Period(p, "M").start_time.date() for p in periods],
                          "n_scored": 25, "n_events": 25, "status": "ok"})  # fmt: skip
    boot = None
    if sampling_sd is not None:
        draws = np.asarray(values)[:, None] + sampling_sd * rng.standard_normal((n, n_boot))
        boot = Replicates.of_cells(periods, ["TUR"] * n, draws, ci=0.9)
    return Alignment(table, poles=("TUR",), bootstrap=boot)


def ar1_series(rng, n, phi=0.5) -> np.ndarray:
    y = np.empty(n)
    y[0] = rng.standard_normal()
    for t in range(1, n):
        y[t] = phi * y[t - 1] + math.sqrt(1 - phi * phi) * rng.standard_normal()
    return y


def found(table: Alignment) -> bool:
    return bool(find_breaks(table, column="score", n_null=300, n_stability=0).breaks)


def test_fewer_than_twelve_periods_are_too_short_to_test():
    rng = np.random.default_rng(1)
    y = np.r_[np.zeros(5), np.full(6, 5.0)] + 0.01 * rng.standard_normal(11)
    short = find_breaks(score_table(y), column="score")
    assert short.status == TOO_SHORT and short.breaks == [] and MIN_PERIODS == 12
    longer = find_breaks(score_table(np.r_[y, 5.0]), column="score")
    assert longer.status == "tested" and [longer.periods[b] for b in longer.breaks] == ["2015-06"]


def test_steady_autocorrelated_series_rarely_break():
    # AR(1) with phi 0.5: the old penalty found a break in about a third of these.
    rng = np.random.default_rng(7)
    rate = np.mean([found(score_table(ar1_series(rng, 24))) for _ in range(60)])
    assert rate <= 0.1


def test_a_jump_of_three_sampling_sds_in_twelve_periods_is_found():
    rng = np.random.default_rng(8)
    hits = []
    for _ in range(40):
        y = rng.standard_normal(12)
        y[6:] += 3.0
        hits.append(found(score_table(y, rng, 1.0)))
    assert np.mean(hits) >= 0.75
    # Steady sampling noise of the same size seldom breaks.
    steady = [found(score_table(rng.standard_normal(12), rng, 1.0)) for _ in range(40)]
    assert np.mean(steady) <= 0.1


def test_a_clear_break_is_stable_across_bootstrap_replicates():
    rng = np.random.default_rng(9)
    y = rng.standard_normal(24)
    y[12:] += 4.0
    test = find_breaks(score_table(y, rng, 1.0), column="score", n_stability=50)
    assert [test.periods[b] for b in test.breaks] == ["2016-01"]
    assert test.stability[0] >= 0.9 and test.p_value < 0.01
    # Without replicates there is nothing to measure stability on.
    assert math.isnan(find_breaks(score_table(y), column="score").stability[0])


def test_the_poles_share_one_break(switching):
    result = find_changepoints(switching, FOCAL, POLES, top=0, n_boot=100)
    points = result.points
    assert result.status == "tested" and result.p_value < 0.05
    # One break, at one period, with a row for every pole: toward Turkey, away from the
    # others.
    assert points["period"].nunique() == 1 and set(points["pole"]) == set(POLES)
    shifts = points.set_index("pole")["shift"]
    assert shifts["TUR"] > 0 > max(shifts["RUS"], shifts["IRN"])
    assert (points["stability"] > 0.5).all()


def test_changepoints_say_when_a_series_is_too_short(switching):
    result = find_changepoints(switching, FOCAL, POLES, freq="quarter", top=0)
    assert result.points.empty and result.drivers.empty
    assert result.status == TOO_SHORT and result.n_periods == 8
