"""Reports of one real event are one story: counted, resampled and ranked once.

Eight articles on one meeting in Baku give eight coded events with the same two actors,
the same kind of event and dates a day or two apart; the tests check that the analysis
sees one story with eight reports, whether the rows are built by hand, stored and read
back, or asked for through the command line's JSON.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import equipoise
from equipoise.analysis.align import align
from equipoise.analysis.scoring import shrunk_scores
from equipoise.analysis.stories import find_stories, similar_codes
from equipoise.outputs.cli import app
from equipoise.reference.periods import day_numbers
from factories import event_row, write_store

MEETING = dt.date(2021, 3, 10)


def meeting_reports(n: int = 8) -> list[dict]:
    """``n`` articles on one Azerbaijani-Turkish meeting, dated over three days."""
    return [
        event_row("AZE", "TUR", 1, MEETING + dt.timedelta(days=i % 3), doc_id=f"article-{i}",
                  cameo="040" if i % 2 else "043")
        for i in range(n)
    ]


def other_news() -> list[dict]:
    """Separate events with Turkey and Russia, each its own story, over the same quarter."""
    rows = [event_row("AZE", "TUR", 3, dt.date(2021, 1, 5) + dt.timedelta(days=9 * i),
                      doc_id=f"tur-{i}") for i in range(5)]
    rows += [event_row("AZE", "RUS", 1 if i % 3 else 3, dt.date(2021, 1, 3) + dt.timedelta(
        days=7 * i), doc_id=f"rus-{i}") for i in range(8)]
    return rows


def stories_of(frame: pd.DataFrame):
    rows = np.arange(len(frame))
    return find_stories(frame, rows, np.zeros(len(frame), dtype=int),
                        day_numbers(frame["event_date"]))


def test_similar_codes_are_a_general_code_and_its_specific_ones():
    assert similar_codes("040", "043") and similar_codes("04", "0431")
    assert similar_codes("057", "057")
    assert not similar_codes("042", "043") and not similar_codes("0431", "0432")


def test_eight_reports_of_one_meeting_are_one_story():
    found = stories_of(pd.DataFrame(meeting_reports()))
    assert found.count == 1 and found.n_reports.tolist() == [8]
    assert found.lead.sum() == 1


def test_a_daily_run_of_events_does_not_chain_into_one_story():
    # A consultation every day for nine days: stories start on days 1, 4 and 7.
    rows = [event_row("AZE", "TUR", 1, dt.date(2021, 3, 1 + i), doc_id=f"d{i}") for i in range(9)]
    found = stories_of(pd.DataFrame(rows))
    assert found.n_reports.tolist() == [3, 3, 3]


def test_other_actors_roots_or_codes_make_other_stories():
    base = event_row("AZE", "TUR", 3, MEETING, doc_id="a")  # an accusation (112)
    rows = [
        base,
        {**base, "doc_id": "b", "target": "RUS", "target_country": "RUS"},  # other pair
        {**base, "doc_id": "c", "source": "TUR", "source_country": "TUR", "target": "AZE",
         "target_country": "AZE"},  # other direction
        {**base, "doc_id": "d", "cameo": "130"},  # other root (a threat)
        {**base, "doc_id": "e", "cameo": "111"},  # same root, another specific code
        {**base, "doc_id": "f", "event_date": MEETING + dt.timedelta(days=3)},  # too late
    ]
    assert stories_of(pd.DataFrame(rows)).count == 6


def test_a_meeting_is_one_story_whichever_side_the_article_names_first():
    # Consultations (CAMEO 04) are done together; hosting a visit mirrors making one.
    rows = [event_row("AZE", "TUR", 1, MEETING, doc_id="a", cameo="040"),
            event_row("TUR", "AZE", 1, MEETING, doc_id="b", cameo="040"),
            event_row("AZE", "TUR", 1, MEETING, doc_id="c", cameo="042"),
            event_row("TUR", "AZE", 1, MEETING, doc_id="d", cameo="043")]
    assert stories_of(pd.DataFrame(rows)).count == 1


def test_a_symmetric_event_reported_from_either_side_is_one_story():
    rows = [event_row("AZE", "TUR", 1, MEETING, doc_id="a", symmetric=True),
            event_row("TUR", "AZE", 1, MEETING, doc_id="b", symmetric=True)]
    assert stories_of(pd.DataFrame(rows)).count == 1


def test_stories_do_not_depend_on_the_order_of_the_rows():
    frame = pd.DataFrame(meeting_reports() + other_news())
    shuffled = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    a, b = stories_of(frame), stories_of(shuffled)
    key = ["doc_id", "cameo"]
    left = frame.assign(story=a.story, lead=a.lead).sort_values(key)
    right = shuffled.assign(story=b.story, lead=b.lead).sort_values(key)
    assert left["story"].tolist() == right["story"].tolist()
    assert left["lead"].tolist() == right["lead"].tolist()


def test_the_root_event_leads_its_story():
    rows = [event_row("AZE", "TUR", 1, MEETING, doc_id="a", is_root=False, goldstein=1.0),
            event_row("AZE", "TUR", 1, MEETING + dt.timedelta(days=1), doc_id="b",
                      is_root=True, goldstein=3.0)]
    found = stories_of(pd.DataFrame(rows))
    assert found.count == 1 and found.lead.tolist() == [False, True]


def test_align_counts_the_meeting_once_and_reports_its_duplication():
    frame = pd.DataFrame(meeting_reports() + other_news())
    table = align(frame, "AZE", ["TUR", "RUS"], freq="quarter").set_index("pole")
    turkey = table.loc["TUR"]
    assert (turkey["n_events"], turkey["n_stories"]) == (13, 6)
    assert turkey["verbal_coop"] == 1 and turkey["verbal_conflict"] == 5
    assert turkey["duplication"] == 13 / 6
    assert table.loc["RUS", "duplication"] == 1.0
    # The score is that of one cooperative story against five conflictual ones, pulled
    # toward Azerbaijan's own level in the quarter (equipoise.analysis.scoring).
    assert (turkey["score_sum"], turkey["n_scored"]) == (1 - 5, 6)
    russia = table.loc["RUS"]
    expected = shrunk_scores(np.array([[1 - 5, russia["score_sum"]]]),
                             np.array([[6, russia["n_scored"]]]), 2.0)[0, 0]
    assert turkey["score"] == pytest.approx(expected)
    by_event = align(frame, "AZE", ["TUR", "RUS"], freq="quarter",
                     unit="event").set_index("pole")
    assert (by_event.loc["TUR", "score_sum"], by_event.loc["TUR", "n_scored"]) == (8 - 5, 13)
    expected = shrunk_scores(np.array([[8 - 5, by_event.loc["RUS", "score_sum"]]]),
                             np.array([[13, by_event.loc["RUS", "n_scored"]]]), 2.0)[0, 0]
    assert by_event.loc["TUR", "score"] == pytest.approx(expected)


def test_the_bootstrap_resamples_a_story_whole():
    # Eight reports of the meeting or one: the same story, the same intervals.
    many = pd.DataFrame(meeting_reports() + other_news())
    one = pd.DataFrame(meeting_reports(1) + other_news())
    options = {"freq": "quarter", "ci": 0.9, "n_boot": 300}
    a = align(many, "AZE", ["TUR", "RUS"], **options)
    b = align(one, "AZE", ["TUR", "RUS"], **options)
    for column in ("score", "score_lo", "score_hi", "tilt_lo", "tilt_hi"):
        assert np.allclose(a[column], b[column]), column
    assert a["n_events"].tolist() != b["n_events"].tolist()


def test_stories_sharing_an_article_are_resampled_together():
    rows = [event_row("AZE", "TUR", 1, MEETING, doc_id="x"),
            event_row("AZE", "TUR", 3, MEETING, doc_id="x"),
            event_row("AZE", "TUR", 3, MEETING, doc_id="y"),
            event_row("AZE", "RUS", 1, MEETING + dt.timedelta(days=20), doc_id="z")]
    found = stories_of(pd.DataFrame(rows))
    assert found.count == 3
    assert found.unit[found.story].tolist()[:3] == [found.unit[found.story[0]]] * 3
    assert found.unit[found.story[3]] != found.unit[found.story[0]]


def test_stored_reports_read_back_as_one_story_through_the_api_and_the_cli(tmp_path):
    day = MEETING
    documents = [[("AZE", "TUR", 1, day + dt.timedelta(days=i % 2))] for i in range(8)]
    documents += [[("AZE", "TUR", 3, dt.date(2021, 2, 1) + dt.timedelta(days=5 * i))]
                  for i in range(3)]
    db = write_store(tmp_path / "stories.duckdb", documents)
    table = equipoise.align("AZE", ["TUR"], db=db, freq="quarter")
    assert (int(table["n_events"].iloc[0]), int(table["n_stories"].iloc[0])) == (11, 4)
    # The event listing names each report's story.
    events = equipoise.load_events("AZE", ["TUR"], db=db)
    assert events["story"].nunique() == 4 and int(events["lead"].sum()) == 4
    assert sorted(events.groupby("story")["n_reports"].first()) == [1, 1, 1, 8]
    result = CliRunner().invoke(app, ["align", "--focal", "AZE", "--poles", "TUR", "--db",
                                      str(db), "--freq", "quarter", "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    records = body["records"] if isinstance(body, dict) else body
    assert records[0]["n_stories"] == 4 and records[0]["n_events"] == 11
    assert records[0]["duplication"] == 11 / 4


# Eight articles on one meeting in Baku, worded and dated differently, each naming one
# side first.
MEETING_ARTICLES = [
    ("2021-03-09", "Turkish Foreign Minister Mevlut Cavusoglu met Azerbaijani Foreign Minister "
                   "Jeyhun Bayramov in Baku on Tuesday."),
    ("2021-03-09", "Azerbaijani Foreign Minister Jeyhun Bayramov met his Turkish counterpart "
                   "Mevlut Cavusoglu in Baku."),
    ("2021-03-10", "Turkey's foreign minister met Azerbaijan's foreign minister in Baku on "
                   "Tuesday to discuss transport links."),
    ("2021-03-10", "Mevlut Cavusoglu held talks with Jeyhun Bayramov in Baku."),
    ("2021-03-10", "The foreign ministers of Turkey and Azerbaijan met in Baku on Tuesday."),
    ("2021-03-11", "Cavusoglu met Bayramov in the Azerbaijani capital on Tuesday."),
    ("2021-03-09", "Turkish Foreign Minister Mevlut Cavusoglu met Azerbaijani President Ilham "
                   "Aliyev in Baku."),
    ("2021-03-10", "Turkey's top diplomat met Azerbaijani officials in Baku on Tuesday."),
]


def test_eight_ingested_and_coded_articles_on_one_meeting_are_one_story(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n, (date, text) in enumerate(MEETING_ARTICLES):
        (folder / f"meeting-{n}.txt").write_text(f"Date: {date}\n\n{text}\n", encoding="utf-8")
    db = tmp_path / "meeting.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(folder), "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["code", "--db", str(db)]).exit_code == 0
    events = equipoise.load_events("AZE", ["TUR"], db=db)
    assert events["doc_id"].nunique() == 8  # every article gave the meeting
    table = equipoise.align("AZE", ["TUR"], db=db, freq="month", min_events=1)
    assert int(table["n_stories"].iloc[0]) == 1
    assert int(table["n_events"].iloc[0]) == len(events)


def test_documents_sorted_as_packed_bytes_are_numbered_as_by_text(monkeypatch):
    """Ids read from Arrow text are ranked by their bytes packed into integers; the codes,
    and which rows share a document, are those of comparing the ids as text."""
    from equipoise.analysis import stories

    rng = np.random.default_rng(11)
    pools = [
        [f"{k:016x}" for k in rng.integers(0, 2**62, 6)],  # one length: hashes
        ["gdelt1:" + str(k) for k in rng.integers(0, 10**9, 6)],  # a shared first 8 bytes
        ["b", "ab", "a", "é", "e", "z" * 40, "", None],  # lengths, accents, blank, missing
        ["x" * 70, "y", None],  # too long to pack
        [" a", "a", "a ", "b"],  # whitespace around: compared once stripped
    ]
    for pool in pools:
        for _ in range(20):
            values = [pool[i] for i in rng.integers(0, len(pool), 30)]
            events = pd.DataFrame({"doc_id": pd.Series(values, dtype="str")})
            rows = rng.permutation(30)[:25]
            packed = stories._documents(events, rows)
            with monkeypatch.context() as patched:
                patched.setattr(stories, "_packed_documents", lambda ids: None)
                by_text = stories._documents(events, rows)
            assert packed[0].tolist() == by_text[0].tolist()
            assert pd.factorize(packed[1])[0].tolist() == pd.factorize(by_text[1])[0].tolist()
            assert ((packed[1] < 0) == (by_text[1] < 0)).all()
    assert stories._packed_documents(pd.Series(["a", "b"], dtype="str")) is not None
    assert stories._packed_documents(pd.Series(["a", "b"], dtype=object)) is None


@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=2**31))
def test_a_storys_lead_is_its_first_row_by_the_keys_then_by_position(n, seed):
    """What leads a story is what sorting its rows by the keys (the last key first, ties
    kept in row order) puts first, whatever the keys' ranges."""
    from equipoise.analysis.stories import _leads

    rng = np.random.default_rng(seed)
    story = rng.integers(0, max(1, n // 3), size=n)
    story = np.unique(story, return_inverse=True)[1]
    # Narrow ranges leave ties to the position; wide ones cannot be packed together.
    keys = tuple(rng.integers(-width, width, size=n) + width
                 for width in rng.choice([1, 2, 3, 2**40, 2**61], size=4))
    ranked = np.lexsort((*keys, story))
    expected = np.zeros(n, dtype=bool)
    expected[ranked[np.r_[True, story[ranked][1:] != story[ranked][:-1]]]] = True
    assert _leads(story, int(story.max()) + 1, keys).tolist() == expected.tolist()
