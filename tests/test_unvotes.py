"""UN General Assembly votes: reading the releases, and how alike two states vote.

The measures are checked on small vote tables worked out by hand; the readers
on files written here; and, where the shared reference data is present, the
published agreement scores of the Bailey-Strezhnev-Voeten ideal-point file are
reproduced from the ``unvotes`` package data.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadr
import pytest

from equipoise.analysis.unvotes import agreement, agreement_matrix, published_roll_calls
from equipoise.reference.dates import one_year_after
from equipoise.sources.errors import SourceError
from equipoise.sources.unvotes import (
    COLUMNS,
    _r_dates,
    country_codes,
    read_roll_calls,
    read_unvotes_csv,
    read_unvotes_rda,
    read_voeten_rdata,
)


def votes_table(rows: list[tuple], **flags: list) -> pd.DataFrame:
    """A vote table from (rcid, session, date, country, vote) tuples."""
    table = pd.DataFrame(rows, columns=["rcid", "session", "date", "country", "vote"])
    table["date"] = pd.to_datetime(table["date"])
    for name, values in flags.items():
        table[name] = values
    return table


# Six roll calls, three states. Roll call 3 is uncontested (every vote cast is
# "no"); on roll call 5 the United States is absent.
#
#   rcid  session  AZE      USA      RUS
#     1      1     yes      yes      no
#     2      1     yes      no       yes
#     3      1     no       no       no
#     4      1     abstain  yes      yes
#     5      2     yes      absent   no
#     6      2     no       no       yes
BALLOTS = {
    1: (1, "2019-10-01", "yes", "yes", "no"),
    2: (1, "2019-11-01", "yes", "no", "yes"),
    3: (1, "2019-12-01", "no", "no", "no"),
    4: (1, "2020-03-01", "abstain", "yes", "yes"),
    5: (2, "2020-10-01", "yes", "absent", "no"),
    6: (2, "2020-12-01", "no", "no", "yes"),
}
SMALL = votes_table(
    [
        (rcid, session, date, country, vote)
        for rcid, (session, date, *votes) in BALLOTS.items()
        for country, vote in zip(("AZE", "USA", "RUS"), votes, strict=True)
    ]
)


# -- the measures, by hand -----------------------------------------------------------


def test_agreement_share_s_score_and_kappa_by_hand():
    table = agreement(SMALL, "AZE", "USA").set_index("session")
    # Session 1: both voted on all four roll calls and agreed on two (1 and 3).
    first = table.loc[1]
    assert (first["a"], first["b"], first["n_votes"]) == ("AZE", "USA", 4)
    assert first["agree_share"] == pytest.approx(2 / 4)
    # S: distances on the 1-2-3 scale are 0, 2, 0, 1, so S = 1 - 2*3 / (4*2) = 0.25.
    assert first["s_score"] == pytest.approx(0.25)
    # Kappa: AZE voted yes 2, abstain 1, no 1; USA yes 2, abstain 0, no 2.
    # p_e = (2*2 + 1*0 + 1*2) / 16 = 0.375, so kappa = (0.5 - 0.375) / 0.625 = 0.2.
    assert first["kappa"] == pytest.approx(0.2)


def test_an_absence_is_not_a_vote():
    second = agreement(SMALL, "AZE", "USA").set_index("session").loc[2]
    # Roll call 5 does not count: only roll call 6 is common, and they agree on it.
    assert second["n_votes"] == 1
    assert second["agree_share"] == 1.0
    assert second["s_score"] == 1.0
    # Both cast a single identical vote: chance agreement is 1, kappa is undefined.
    assert np.isnan(second["kappa"])


def test_s_score_runs_from_minus_one_to_one():
    def s_score(vote_a: str, vote_b: str) -> float:
        rows = [(1, 1, "2020-01-01", "AZE", vote_a), (1, 1, "2020-01-01", "USA", vote_b),
                (1, 1, "2020-01-01", "RUS", "no")]
        return float(agreement(votes_table(rows), "AZE", "USA")["s_score"].iloc[0])

    assert s_score("yes", "yes") == 1.0
    assert s_score("yes", "abstain") == 0.0  # half the largest distance
    assert s_score("yes", "no") == -1.0


def test_kappa_is_zero_when_agreement_is_what_chance_gives():
    # AZE votes yes, yes, no, no; USA yes, no, yes, no. p_o = 0.5 and p_e = 0.5.
    rows = [
        (rcid, 1, "2020-01-01", country, vote)
        for rcid, pair in enumerate([("yes", "yes"), ("yes", "no"), ("no", "yes"), ("no", "no")])
        for country, vote in zip(("AZE", "USA"), pair, strict=True)
    ]
    table = agreement(votes_table(rows), "AZE", "USA")
    assert table["agree_share"].iloc[0] == 0.5
    assert table["kappa"].iloc[0] == pytest.approx(0.0)


def test_scotts_pi_by_hand():
    first = agreement(SMALL, "AZE", "USA").set_index("session").loc[1]
    # Pooled over both states' eight votes: yes 4, abstain 1, no 3, so
    # p_e = (4/8)^2 + (1/8)^2 + (3/8)^2 = 26/64 and pi = (32/64 - 26/64) / (38/64) = 3/19.
    assert first["pi"] == pytest.approx(3 / 19)
    # Both cast one identical vote in session 2: pi is undefined, as kappa is.
    assert np.isnan(agreement(SMALL, "AZE", "USA").set_index("session").loc[2, "pi"])


def test_pi_separates_what_kappa_scores_alike():
    # AZE votes yes on all four roll calls. USA votes yes on three, RUS on one.
    # AZE's own mix is all yes, so kappa's chance term equals the observed share
    # and kappa is 0 for both. Pi pools the two mixes:
    #   USA: p_e = (7/8)^2 + (1/8)^2 = 50/64, pi = (48/64 - 50/64) / (14/64) = -1/7
    #   RUS: p_e = (5/8)^2 + (3/8)^2 = 34/64, pi = (16/64 - 34/64) / (30/64) = -3/5
    votes = {"AZE": "yyyy", "USA": "yyyn", "RUS": "ynnn"}
    rows = [
        (rcid, 1, "2020-01-01", country, "yes" if mark == "y" else "no")
        for country, marks in votes.items()
        for rcid, mark in enumerate(marks, start=1)
    ]
    table = agreement_matrix(votes_table(rows), "AZE", ["USA", "RUS"]).set_index("pole")
    assert table.loc["USA", "kappa"] == pytest.approx(0.0)
    assert table.loc["RUS", "kappa"] == pytest.approx(0.0)
    assert table.loc["USA", "pi"] == pytest.approx(-1 / 7)
    assert table.loc["RUS", "pi"] == pytest.approx(-3 / 5)


def test_pi_equals_kappa_when_both_states_vote_in_the_same_mix():
    # Both vote yes twice and no twice, agreeing on two: p_e = 1/2 either way.
    rows = [
        (rcid, 1, "2020-01-01", country, vote)
        for rcid, pair in enumerate([("yes", "yes"), ("yes", "no"), ("no", "yes"), ("no", "no")])
        for country, vote in zip(("AZE", "USA"), pair, strict=True)
    ]
    row = agreement(votes_table(rows), "AZE", "USA").iloc[0]
    assert row["pi"] == pytest.approx(0.0)
    assert row["pi"] == pytest.approx(row["kappa"])


def test_published_agreement_counts_contested_roll_calls_only():
    # Roll call 3 is uncontested, so session 1 counts roll calls 1, 2 and 4,
    # of which AZE and USA agree on one.
    assert list(published_roll_calls(SMALL)) == [1, 2, 4, 5, 6]
    first = agreement(SMALL, "AZE", "USA").set_index("session").loc[1]
    assert first["n_published"] == 3
    assert first["published_agreement"] == pytest.approx(1 / 3)


def test_published_agreement_leaves_out_amendment_and_paragraph_votes_from_session_52():
    # The same paragraph vote counts in session 10 and not in session 52.
    rows = [
        (rcid, session, "2000-01-01", country, vote)
        for rcid, session in ((1, 10), (2, 10), (3, 52), (4, 52))
        for country, vote in (("AZE", "yes"), ("USA", "yes" if rcid % 2 else "no"),
                              ("RUS", "no"))
    ]
    para = [rcid in (1, 3) for rcid in (1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4)]
    table = votes_table(rows, amend=False, para=para)
    assert list(published_roll_calls(table)) == [1, 2, 4]
    result = agreement(table, "AZE", "USA").set_index("session")
    assert result.loc[10, "agree_share"] == 0.5
    assert result.loc[10, "published_agreement"] == 0.5  # both roll calls count
    assert result.loc[52, "published_agreement"] == 0.0  # only roll call 4 counts
    assert result.loc[52, "n_published"] == 1


def test_agreement_by_year_uses_the_date_of_each_vote():
    table = agreement(SMALL, "AZE", "RUS", by="year").set_index("year")
    # 2019: roll calls 1-3, alike on 2 and 3; 2020: roll calls 4-6, alike on none.
    assert table.loc[2019, "n_votes"] == 3
    assert table.loc[2019, "agree_share"] == pytest.approx(2 / 3)
    assert table.loc[2020, "n_votes"] == 3
    assert table.loc[2020, "agree_share"] == pytest.approx(0.0)


def test_agreement_matrix_is_long_format_one_row_per_pole_and_period():
    table = agreement_matrix(SMALL, "AZE", ["USA", "RUS"])
    assert list(table.columns) == [
        "session", "focal", "pole", "n_votes", "agree_share", "s_score", "pi", "kappa",
        "published_agreement", "n_published",
    ]
    assert list(zip(table["pole"], table["session"], strict=True)) == [
        ("USA", 1), ("USA", 2), ("RUS", 1), ("RUS", 2),
    ]
    by_pole = agreement(SMALL, "AZE", "RUS")
    rus = table[table["pole"] == "RUS"].reset_index(drop=True)
    pd.testing.assert_series_equal(rus["kappa"], by_pole["kappa"])
    pd.testing.assert_series_equal(rus["pi"], by_pole["pi"])


def test_agreement_refuses_unknown_countries_and_double_votes():
    with pytest.raises(ValueError, match="no votes for 'AZ'"):
        agreement(SMALL, "AZ", "USA")
    with pytest.raises(ValueError, match="by must be"):
        agreement(SMALL, "AZE", "USA", by="month")
    doubled = pd.concat([SMALL, SMALL.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="more than one vote on roll call 1"):
        agreement(doubled, "AZE", "USA")


# -- reading CSV files ----------------------------------------------------------------

ROLL_CALLS_CSV = """rcid,session,importantvote,date,unres,amend,para,short
3,1.0,0,1946-01-01,R/1/66,1,0,"AMENDMENTS, RULES OF PROCEDURE"
4,1.0,0,1946-01-02,R/1/79,0,0,SECURITY COUNCIL ELECTIONS
9000,74.0,0,2019-12-18,R/74/1,,,"NUCLEAR WEAPONS, DISARMAMENT"
"""

# unvotes style: ISO alpha-2 codes; a missing code is matched by the name.
VOTES_CSV = """rcid,country_code,country,vote
3,US,United States,yes
3,SU,Soviet Union,no
3,,Federal Republic of Germany,abstain
4,YU,Yugoslavia,Yes
9000,NA,Namibia,no
9000,AZ,Azerbaijan,yes
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_unvotes_csv_reads_into_the_tidy_table(tmp_path):
    votes = read_unvotes_csv(
        write(tmp_path / "votes.csv", VOTES_CSV), write(tmp_path / "calls.csv", ROLL_CALLS_CSV)
    )
    assert list(votes.columns) == COLUMNS
    # Predecessor states take their successor's code; "NA" is Namibia.
    assert list(votes["country"]) == ["USA", "RUS", "DEU", "SRB", "NAM", "AZE"]
    assert list(votes["vote"]) == ["yes", "no", "abstain", "yes", "no", "yes"]
    assert list(votes["session"]) == [1, 1, 1, 1, 74, 74]
    assert votes["date"].iloc[-1] == pd.Timestamp("2019-12-18")
    assert list(votes["amend"].iloc[[0, 3]]) == [True, False]
    assert votes["amend"].isna().iloc[-1]
    assert str(votes["vote"].dtype) == "category"
    assert str(votes["session"].dtype) == "Int64"


def test_a_missing_code_written_by_r_as_na_falls_back_on_the_name(tmp_path):
    text = "rcid,country_code,country,vote\n3,NA,Federal Republic of Germany,yes\n3,NA,Namibia,no\n"
    votes = read_unvotes_csv(write(tmp_path / "votes.csv", text))
    assert list(votes["country"]) == ["DEU", "NAM"]
    assert votes["session"].isna().all()  # no roll calls given


def test_voeten_style_csv_with_cow_codes_and_absences(tmp_path):
    text = (
        "rcid,session,vote,ccode,date\n"
        "3,1,1,2,1/1/1946\n"
        "3,1,3,365,1/1/1946\n"
        "3,1,8,260,1/1/1946\n"  # absent
        "3,1,9,373,1/1/1946\n"  # not yet a member
    )
    path = write(tmp_path / "voeten.csv", text)
    assert list(read_unvotes_csv(path)["country"]) == ["USA", "RUS"]
    kept = read_unvotes_csv(path, keep_absent=True)
    assert list(kept["vote"]) == ["yes", "no", "absent"]
    assert kept["date"].iloc[0] == pd.Timestamp("1946-01-01")


def test_a_table_written_out_reads_back_the_same(tmp_path):
    votes = read_unvotes_csv(
        write(tmp_path / "votes.csv", VOTES_CSV), write(tmp_path / "calls.csv", ROLL_CALLS_CSV)
    )
    votes.to_csv(tmp_path / "out.csv", index=False)
    pd.testing.assert_frame_equal(read_unvotes_csv(tmp_path / "out.csv"), votes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rcid,country_code,vote\n3,US,yes\n3,XX,no\n", "votes.csv:3: unknown ISO alpha-2 code"),
        ("rcid,country_code,vote\n3,US,maybe\n", "votes.csv:2: unknown vote 'maybe'"),
        ("rcid,country_code,vote\n3,US,yes\n3,US,no\n", "votes.csv:3: USA votes twice on roll"),
        ("rcid,country_code,vote\nthree,US,yes\n", "votes.csv:2: rcid must be a number"),
        ("rcid,country_code\n3,US\n", "votes.csv:1: missing column(s) vote"),
        ("rcid,country_code,vote\n5,US,yes\n", "votes.csv:2: roll call 5 is not in"),
    ],
)
def test_csv_errors_name_the_file_and_line(tmp_path, text, message):
    calls = write(tmp_path / "calls.csv", ROLL_CALLS_CSV)
    with pytest.raises(SourceError) as caught:
        read_unvotes_csv(write(tmp_path / "votes.csv", text), calls)
    assert str(caught.value).startswith(str(tmp_path / message.split(":")[0]))
    assert message in str(caught.value)


def test_a_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        read_unvotes_csv(tmp_path / "nope.csv")


def test_every_cow_code_maps_to_one_iso3_code():
    table = country_codes()
    assert table.groupby("cow")["iso3"].nunique().max() == 1
    assert table.loc[table["cow"] == 365, "iso3"].unique().tolist() == ["RUS"]
    cow = dict(zip(table["cow"], table["iso3"], strict=False))
    assert (cow[345], cow[315], cow[260], cow[265], cow[678]) == ("SRB", "CZE", "DEU", "DDR", "YEM")
    # Every current member is there: 193 states with a code of their own.
    current = table[~table["cow"].isin([260, 265, 315, 511, 678, 680, 713])]
    assert current["iso3"].nunique() == 193


# -- reading R files, written here by pyreadr ----------------------------------------


def write_rdata(path: Path, name: str, frame: pd.DataFrame) -> Path:
    pyreadr.write_rdata(path, frame, df_name=name, compress="gzip")
    return path


def test_raw_voeten_rdata_reads_codes_votes_and_dates(tmp_path):
    frame = pd.DataFrame(
        {
            "rcid": [3, 3, 3, 3, 4],
            "session": [1, 1, 1, 1, 1],
            "vote": [1, 3, 8, 9, 2],
            "ccode": [2, 365, 260, 373, 345],
            "date": ["1/1/1946", "1/1/1946", "1/1/1946", "1/1/1946", None],
        }
    )
    path = write_rdata(tmp_path / "UNVotes.RData", "x", frame)
    votes = read_voeten_rdata(path)
    assert list(votes.columns) == COLUMNS
    assert list(votes["country"]) == ["USA", "RUS", "SRB"]
    assert list(votes["vote"]) == ["yes", "no", "abstain"]
    assert votes["date"].iloc[0] == pd.Timestamp("1946-01-01")
    assert pd.isna(votes["date"].iloc[2])
    assert votes["amend"].isna().all()  # this release has no flags
    assert list(read_voeten_rdata(path, keep_absent=True)["country"]) == [
        "USA", "RUS", "DEU", "SRB",
    ]


def test_rdata_errors_name_the_file_and_row(tmp_path):
    frame = pd.DataFrame({"rcid": [3, 3], "vote": [1, 1], "ccode": [2, 999]})
    path = write_rdata(tmp_path / "bad.RData", "x", frame)
    with pytest.raises(SourceError, match=r"bad\.RData: row 2: unknown COW country code 999"):
        read_voeten_rdata(path)
    (tmp_path / "cut.RData").write_bytes(gzip.compress(gzip.decompress(path.read_bytes())[:60]))
    with pytest.raises(SourceError, match=r"cut\.RData: .*truncated"):
        read_voeten_rdata(tmp_path / "cut.RData")
    (tmp_path / "text.RData").write_text("not R at all")
    with pytest.raises(SourceError, match=r"text\.RData: not an R data file"):
        read_voeten_rdata(tmp_path / "text.RData")
    (tmp_path / "gzip.RData").write_bytes(path.read_bytes()[:20])
    with pytest.raises(SourceError, match=r"gzip\.RData: not an R data file"):
        read_voeten_rdata(tmp_path / "gzip.RData")
    with pytest.raises(SourceError, match=r"bad\.RData: no data frame with columns ccode, rcid"):
        read_voeten_rdata(write_rdata(tmp_path / "bad.RData", "x", frame[["rcid", "vote"]]))


def test_unvotes_rda_reads_factor_votes_and_dated_roll_calls(tmp_path):
    votes = pd.DataFrame(
        {
            "rcid": [3.0, 3.0, 4.0],
            "country": ["United States", "Federal Republic of Germany", "Namibia"],
            "country_code": ["US", None, "NA"],
            "vote": pd.Categorical(["yes", "no", "abstain"], categories=["yes", "abstain", "no"]),
        }
    )
    calls = pd.DataFrame(
        {
            "rcid": [3, 4],
            "session": [1.0, 1.0],
            "date": ["1970-01-01", "1970-01-02"],
            "amend": [1, None],
            "para": [0, None],
        }
    )
    table = read_unvotes_rda(
        write_rdata(tmp_path / "un_votes.rda", "un_votes", votes),
        write_rdata(tmp_path / "un_roll_calls.rda", "un_roll_calls", calls),
    )
    assert list(table["country"]) == ["USA", "DEU", "NAM"]
    assert list(table["vote"]) == ["yes", "no", "abstain"]
    assert list(table["date"]) == [pd.Timestamp("1970-01-01")] * 2 + [pd.Timestamp("1970-01-02")]
    assert table["amend"].iloc[0] and table["amend"].isna().iloc[2]


def test_roll_calls_read_from_an_rds_file(tmp_path):
    calls = pd.DataFrame({"rcid": [3, 4], "session": [1, 2], "unres": ["R/1/66", None]})
    pyreadr.write_rds(tmp_path / "calls.rds", calls, compress="gzip")
    table = read_roll_calls(tmp_path / "calls.rds")
    assert list(table["rcid"]) == [3, 4]
    assert list(table["session"]) == [1, 2]
    assert table["unres"].iloc[0] == "R/1/66" and pd.isna(table["unres"].iloc[1])
    assert table["date"].isna().all()


def test_r_dates_and_times_become_days():
    # pyreadr gives an R Date column as datetime.date objects and POSIXct as datetime64.
    days = pd.Series([dt.date(1946, 1, 1), None, dt.date(2019, 12, 18)], dtype=object)
    assert [str(d) for d in _r_dates(days)] == ["1946-01-01", "NaT", "2019-12-18"]
    times = pd.Series(pd.to_datetime(["1946-01-01 23:59", None]))
    assert [str(d) for d in _r_dates(times)] == ["1946-01-01", "NaT"]
    # Anything else is text, to be parsed as dates are in CSV files.
    codes, texts = _r_dates(pd.Series(["1/1/1946", None, "1/1/1946"]))
    assert list(codes) == [0, -1, 0] and texts == ["1/1/1946"]


def test_an_r_file_that_is_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "votes.RData"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        read_voeten_rdata(fifo)


# -- the shared reference data ---------------------------------------------------------


def _shared_data() -> Path:
    candidates = [
        os.environ.get("EQUIPOISE_SHARED_DATA"),
        Path(__file__).resolve().parents[2] / "shared" / "data",
        "/work/shared/data",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "unvotes").is_dir():
            return Path(candidate)
    return Path("/nonexistent")


DATA = _shared_data()
UNVOTES = DATA / "unvotes"
IDEAL_POINTS = DATA / "unga_idealpoints_jun2024" / "IdealpointestimatesAll_Jun2024.csv"
needs_unvotes = pytest.mark.skipif(
    not (UNVOTES / "un_votes.rda").is_file(), reason="the shared unvotes data is not here"
)
needs_ideal_points = pytest.mark.skipif(
    not (IDEAL_POINTS.is_file() and (UNVOTES / "un_votes.rda").is_file()),
    reason="the shared ideal-point file is not here",
)
FOCAL = ["AZE", "ARM", "GEO", "TUR", "IRN"]
POLES = {"USA": "USAgree", "RUS": "RUSSAgree", "CHN": "ChinaAgree"}


@pytest.fixture(scope="module")
def unvotes() -> pd.DataFrame:
    return read_unvotes_rda(UNVOTES / "un_votes.rda", UNVOTES / "un_roll_calls.rda")


@pytest.fixture(scope="module")
def voeten() -> pd.DataFrame:
    return read_voeten_rdata(UNVOTES / "UNVotesPublished.RData")


@pytest.fixture(scope="module")
def ideal_points() -> pd.DataFrame:
    table = pd.read_csv(IDEAL_POINTS)
    cow = country_codes().drop_duplicates("cow").set_index("cow")["iso3"]
    table["country"] = table["ccode"].map(cow)
    return table


@needs_unvotes
def test_the_unvotes_package_data_reads_whole(unvotes):
    # 870,109 rows less Zanzibar's two votes, which have no ISO code.
    assert len(unvotes) == 870_107
    assert list(unvotes.columns) == COLUMNS
    assert set(unvotes["vote"].unique()) == {"yes", "abstain", "no"}
    assert unvotes["session"].notna().all() and unvotes["date"].notna().all()
    # The Federal Republic of Germany has no code in un_votes: its votes are DEU by name.
    germany = unvotes[unvotes["country"] == "DEU"]
    assert germany["session"].min() == 28 and germany["session"].max() == 74


@needs_unvotes
def test_the_raw_voeten_release_reads_whole(voeten):
    # 1,066,613 rows: 588,800 yes + 95,099 abstain + 54,865 no, less Zanzibar's two.
    assert len(voeten) == 738_762
    assert voeten["session"].max() == 70
    first = read_unvotes_csv(UNVOTES / "UNVotesPublished_first20rows.csv")
    pd.testing.assert_frame_equal(voeten.iloc[: len(first)], first)


@needs_unvotes
def test_the_caucasus_csv_equals_the_rda_it_was_cut_from(unvotes):
    subset = read_unvotes_csv(
        UNVOTES / "un_votes_caucasus_powers.csv", UNVOTES / "un_roll_calls_min.csv"
    )
    # The CSV was cut by ISO code, so the Federal Republic of Germany (no code) is not in it.
    countries = sorted(set(subset["country"]) - {"DEU"})
    ours = subset[subset["country"].isin(countries)].reset_index(drop=True)
    theirs = unvotes[unvotes["country"].isin(countries)].reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs)


@needs_unvotes
def test_roll_calls_read_the_same_from_rda_and_csv():
    rda = read_roll_calls(UNVOTES / "un_roll_calls.rda")
    csv = read_roll_calls(UNVOTES / "un_roll_calls_min.csv")
    for name in ("rcid", "session", "date", "amend", "para"):
        pd.testing.assert_series_equal(rda[name], csv[name])


def _compare(votes: pd.DataFrame, ideal_points: pd.DataFrame) -> pd.DataFrame:
    """Our published agreement beside the file's, focal x pole x session."""
    rows = []
    for focal in FOCAL:
        ours = agreement_matrix(votes, focal, list(POLES))
        theirs = ideal_points[ideal_points["country"] == focal]
        for pole, column in POLES.items():
            both = ours[ours["pole"] == pole].merge(theirs[["session", column]], on="session")
            both = both.rename(columns={column: "published"}).dropna(subset=["published"])
            rows.append(both)
    return pd.concat(rows, ignore_index=True)


@needs_ideal_points
def test_published_agreement_reproduces_the_ideal_point_file(unvotes, ideal_points):
    compared = _compare(unvotes, ideal_points)
    # Every focal state against every pole, in every session both have (up to 74).
    per_dyad = compared.groupby(["focal", "pole"]).size()
    assert len(per_dyad) == 15 and per_dyad.min() >= 10
    assert len(compared) == 643
    difference = (compared["published_agreement"] - compared["published"]).abs()
    # The file prints seven significant digits; 1e-3 is the required bound.
    assert difference.max() < 1e-3
    assert difference.max() < 1e-6


@needs_ideal_points
def test_the_plain_share_is_not_the_published_figure(unvotes, ideal_points):
    compared = _compare(unvotes, ideal_points)
    plain = (compared["agree_share"] - compared["published"]).abs()
    # Uncontested roll calls and, from session 52, amendment and paragraph votes
    # make the two differ in most sessions: Azerbaijan and the US in session 66
    # agreed on 37% of all roll calls, but on 20% of those the file counts.
    assert (plain > 1e-3).sum() > len(compared) / 2
    row = compared[(compared["focal"] == "AZE") & (compared["pole"] == "USA")
                   & (compared["session"] == 66)].iloc[0]
    assert row["agree_share"] == pytest.approx(31 / 84)
    assert row["published"] == pytest.approx(0.2, abs=1e-6)


@needs_unvotes
def test_pi_tells_apart_what_kappa_puts_at_one_distance_azerbaijan_in_session_74(unvotes):
    table = agreement_matrix(unvotes, "AZE", ["USA", "RUS", "CHN"])
    row = table[table["session"] == 74].set_index("pole")
    # Azerbaijan votes with China on 85% of roll calls and with the US on 15%,
    # yet kappa puts both near zero; pi puts the US far below China.
    assert row.loc["USA", "agree_share"] == pytest.approx(13 / 86)
    assert row.loc["CHN", "agree_share"] == pytest.approx(72 / 85)
    assert row.loc["USA", "kappa"] == pytest.approx(0.001, abs=5e-4)
    assert row.loc["CHN", "kappa"] == pytest.approx(-0.017, abs=5e-4)
    assert row.loc["USA", "pi"] == pytest.approx(-0.60, abs=5e-3)
    assert row.loc["CHN", "pi"] == pytest.approx(-0.06, abs=5e-3)
    # Pooling can only raise chance agreement ((a + b)^2 / 4 >= a * b), so pi <= kappa.
    both = table.dropna(subset=["pi", "kappa"])
    assert len(both) == 3 * 28  # sessions 47-74
    assert (both["pi"] <= both["kappa"] + 1e-12).all()


@needs_ideal_points
def test_each_country_votes_on_as_many_published_roll_calls_as_the_file_says(
    unvotes, ideal_points
):
    counted = unvotes[unvotes["rcid"].isin(published_roll_calls(unvotes))]
    counts = counted.groupby(["country", "session"]).size().rename("ours").reset_index()
    file = ideal_points[ideal_points["session"] <= 74]
    both = file.merge(counts, on=["country", "session"], how="left")
    assert len(both) > 10_000
    assert (both["NVotesAll"] == both["ours"]).all()


@needs_ideal_points
def test_the_raw_2016_release_reproduces_the_file_outside_sessions_52_to_67(
    voeten, ideal_points
):
    compared = _compare(voeten, ideal_points)
    difference = (compared["published_agreement"] - compared["published"]).abs()
    # Sessions 52-67 of the 2016 release lack a few roll calls on whole resolutions
    # that later releases (and the published figures) include.
    elsewhere = ~compared["session"].between(52, 67)
    assert difference[elsewhere].max() < 1e-6
    assert difference[~elsewhere].max() > 1e-3


# -- bad rows: each reported by its line, the good ones kept ---------------------------------


def test_with_an_error_list_bad_csv_rows_are_left_out_and_the_rest_read(tmp_path):
    text = (
        "rcid,country_code,vote,date\n"
        "3,US,yes,1946-01-01\n"
        "inf,RU,no,1946-01-01\n"  # not a finite whole number
        "1e300,FR,no,1946-01-01\n"
        '3,"GB,no,1946-01-01\n'  # a quote never closed
        "3,CN,yes,9999-12-31\n"  # an implausible date
        "3,XX,no,1946-01-01\n"
        "3,US,no,1946-01-01\n"  # a second vote
        "3,IN,\0yes,1946-01-01\n"
        "3,CA,abstain,1946-01-01\n"
    )
    errors: list[SourceError] = []
    votes = read_unvotes_csv(write(tmp_path / "votes.csv", text), errors=errors)
    assert list(votes["country"]) == ["USA", "CAN"]
    assert [(e.line, e.message.split(" (")[0]) for e in errors] == [
        (3, "rcid must be a whole number, got 'inf'"),
        (4, "rcid must be a whole number, got '1e+300'"),
        (5, "unclosed quote: the field runs to the end of the file; read again from the next line"),
        (6, "date 9999-12-31 is outside the accepted range 1800-01-01 to "
            f"{one_year_after(dt.date.today())}"),
        (7, "unknown ISO alpha-2 code 'XX'"),
        (8, "USA votes twice on roll call 3"),
        (9, "NUL byte in the record"),
    ]
    # Without the list, the first problem found raises: the file's structure is read first.
    with pytest.raises(SourceError, match=r"votes\.csv:5: unclosed quote"):
        read_unvotes_csv(tmp_path / "votes.csv")


def test_a_fifo_is_not_read_as_votes(tmp_path):
    fifo = tmp_path / "votes.csv"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        read_unvotes_csv(fifo)


def test_a_damaged_r_file_is_a_source_error(tmp_path):
    nested = b"RDX2\nX\n" + struct.pack(">iii", 2, 0, 0) + struct.pack(">ii", 19, 1) * 5000
    path = tmp_path / "deep.RData"
    path.write_bytes(nested)
    with pytest.raises(SourceError, match="malformed R data file|truncated"):
        read_voeten_rdata(path)


def test_without_pyreadr_an_r_file_is_refused_with_the_extra_to_install(tmp_path, monkeypatch):
    from equipoise.sources import unvotes

    path = tmp_path / "calls.rda"
    write_rdata(path, "calls", pd.DataFrame({"rcid": [1]}))
    monkeypatch.setattr(unvotes, "_pyreadr", lambda: (None, ()))
    with pytest.raises(SourceError, match=r"equipoise\[rdata\]") as err:
        unvotes.read_roll_calls(path)
    assert "calls.rda" in str(err.value)
