"""UN agreement on chosen issues: the roll calls' issue codes filter the votes (--un-issue).

The vote tables and issue tables are small and made here; where the shared unvotes data
is present, its issue table is read whole.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyreadr
import pytest
from typer.testing import CliRunner

from equipoise import api
from equipoise.analysis.unvotes import agreement, on_issues
from equipoise.errors import BadInputError, InvalidQueryError
from equipoise.outputs.cli import app
from equipoise.reference.unissues import UN_ISSUES, issue_names, un_issue_codes
from equipoise.sources.errors import SourceError
from equipoise.sources.unvotes import read_roll_call_issues
from factories import one_event_each, write_store

# Four roll calls in one session. On the human-rights ones (1, 2) Azerbaijan votes with
# Russia; on the others (3 colonialism and human rights, 4 economic development) with
# Turkey, except that roll call 3 is about both.
#
#   rcid  issues   AZE  TUR  RUS
#     1   hr       no   yes  no
#     2   hr       yes  no   yes
#     3   co, hr   yes  yes  no
#     4   ec       no   no   yes
BALLOTS = {1: ("no", "yes", "no"), 2: ("yes", "no", "yes"), 3: ("yes", "yes", "no"),
           4: ("no", "no", "yes")}
ISSUES = [(1, "hr"), (2, "hr"), (3, "co"), (3, "hr"), (4, "ec")]


def votes() -> pd.DataFrame:
    rows = [(rcid, 74, pd.Timestamp("2019-12-01"), country, vote)
            for rcid, ballot in BALLOTS.items()
            for country, vote in zip(("AZE", "TUR", "RUS"), ballot, strict=True)]
    return pd.DataFrame(rows, columns=["rcid", "session", "date", "country", "vote"])


def issues() -> pd.DataFrame:
    return pd.DataFrame(ISSUES, columns=["rcid", "issue"])


# -- the filter -----------------------------------------------------------------------------


def test_agreement_on_one_issue_counts_its_roll_calls_only():
    every = agreement(votes(), "AZE", "RUS")
    assert every["n_votes"].tolist() == [4] and every["agree_share"].tolist() == [0.5]
    rights = on_issues(votes(), issues(), ["hr"])
    assert sorted(set(rights["rcid"])) == [1, 2, 3]
    assert agreement(rights, "AZE", "RUS")["agree_share"].tolist() == [pytest.approx(2 / 3)]
    assert agreement(rights, "AZE", "TUR")["agree_share"].tolist() == [pytest.approx(1 / 3)]
    # several issues: a roll call about any of them
    either = on_issues(votes(), issues(), ["co", "ec"])
    assert sorted(set(either["rcid"])) == [3, 4]
    assert agreement(either, "AZE", "TUR")["agree_share"].tolist() == [1.0]


def test_a_roll_call_is_kept_whole():
    kept = on_issues(votes(), issues(), ["co"])
    assert kept["country"].tolist() == ["AZE", "TUR", "RUS"]


def test_an_issue_with_no_roll_call_leaves_no_vote():
    assert on_issues(votes(), issues(), ["nu"]).empty


@pytest.mark.parametrize("codes", [["xx"], ["hr", "human rights"], []])
def test_unknown_issue_codes_are_refused(codes):
    with pytest.raises(InvalidQueryError, match="hr \\(Human rights\\)"):
        on_issues(votes(), issues(), codes)


def test_issue_codes_and_names():
    assert un_issue_codes(" HR, me ,hr") == ["hr", "me"]
    assert issue_names(["hr", "co"]) == "human rights, colonialism"
    assert set(UN_ISSUES) == {"me", "nu", "di", "hr", "co", "ec"}


# -- reading the issue tables ----------------------------------------------------------------


def test_issues_from_the_unvotes_table(tmp_path):
    frame = pd.DataFrame({"rcid": [1, 2, 3, 3, 4], "short_name": ["hr", "hr", "co", "hr", "ec"],
                          "issue": ["Human rights"] * 2 + ["Colonialism", "Human rights",
                                                           "Economic development"]})
    frame["issue"] = frame["issue"].astype("category")
    rda = tmp_path / "un_roll_call_issues.rda"
    pyreadr.write_rdata(rda, frame, df_name="un_roll_call_issues", compress="gzip")
    csv = tmp_path / "issues.csv"
    frame.to_csv(csv, index=False)
    for path in (rda, csv):
        table = read_roll_call_issues(path)
        assert sorted(table.itertuples(index=False, name=None)) == sorted(ISSUES)


def test_issues_from_voeten_flags_repeated_on_each_country_row(tmp_path):
    frame = pd.DataFrame({
        "rcid": [1, 1, 3, 3, 4], "session": [74] * 5, "vote": [1, 3, 1, 2, 1],
        "ccode": [2, 365, 2, 365, 2], "me": [0] * 5, "nu": [0] * 5, "di": [0] * 5,
        "hr": [1, 1, 1, 1, 0], "co": [0, 0, 1, 1, 0], "ec": [0, 0, 0, 0, 1],
    })
    path = tmp_path / "UNVotes.RData"
    pyreadr.write_rdata(path, frame, df_name="x", compress="gzip")
    table = read_roll_call_issues(path)
    assert sorted(table.itertuples(index=False, name=None)) == [
        (1, "hr"), (3, "co"), (3, "hr"), (4, "ec")]


@pytest.mark.parametrize("text, message", [
    ("rcid,short_name\n1,hr\n2,war\n", ":3: unknown issue 'war'"),
    ("rcid,hr\n1,1\n2,7\n", ":3: hr must be 0 or 1"),
    ("rcid,session\n1,74\n", "no issue columns"),
    ("rcid,short_name\nx,hr\n", ":2: rcid must be a number"),
])
def test_bad_issue_tables_name_the_line(tmp_path, text, message):
    path = tmp_path / "issues.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        read_roll_call_issues(path)


# -- through the API and the command line ----------------------------------------------------


def write_votes(folder: Path) -> tuple[Path, Path]:
    codes = {"AZE": "AZ", "TUR": "TR", "RUS": "RU"}
    lines = ["rcid,session,date,country_code,vote"]
    lines += [f"{rcid},74,2019-12-01,{codes[country]},{vote}"
              for rcid, ballot in BALLOTS.items()
              for country, vote in zip(codes, ballot, strict=True)]
    (folder / "votes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "issues.csv").write_text(
        "rcid,short_name\n" + "".join(f"{r},{c}\n" for r, c in ISSUES), encoding="utf-8")
    return folder / "votes.csv", folder / "issues.csv"


def test_api_reads_votes_on_chosen_issues(tmp_path):
    path, table = write_votes(tmp_path)
    chosen = api.un_votes(path, issues="ec", issue_table=table)
    assert set(chosen["rcid"]) == {4}
    rights = api.un_agreement(api.un_votes(path, issues=["hr"], issue_table=table), "AZE",
                              ["RUS", "NATO"])
    assert rights["agree_share"].tolist() == [pytest.approx(2 / 3)]
    with pytest.raises(BadInputError, match="un_roll_call_issues"):
        api.un_votes(path, issues="hr")
    with pytest.raises(InvalidQueryError):
        api.un_votes(path, issues="war", issue_table=table)


@pytest.fixture
def store(tmp_path):
    rows = [("AZE", "TUR", 1, dt.date(2019, m, 5)) for m in range(1, 7)]
    return write_store(tmp_path / "store.duckdb", one_event_each(rows))


def align(*args: str):
    return CliRunner().invoke(app, ["align", "--focal", "AZE", "--poles", "TUR,RUS",
                                    "--min-events", "1", "--freq", "year", *args])


def test_align_shows_agreement_on_the_chosen_issues(tmp_path, store):
    votes_path, table = write_votes(tmp_path)
    every = align("--db", str(store), "--un-votes", str(votes_path), "--format", "json")
    assert every.exit_code == 0, every.output
    rights = align("--db", str(store), "--un-votes", str(votes_path), "--un-issue", "hr",
                   "--un-issues", str(table), "--format", "json")
    assert rights.exit_code == 0, rights.output
    document = json.loads(rights.stdout)
    assert document["un_issues"] == ["hr"] and "un_issues" not in json.loads(every.stdout)
    shares = {r["pole"]: (r["n_votes"], r["agree_share"]) for r in document["un_votes"]}
    assert shares == {"TUR": (3, pytest.approx(1 / 3)), "RUS": (3, pytest.approx(2 / 3))}
    shown = align("--db", str(store), "--un-votes", str(votes_path), "--un-issue", "co,ec",
                  "--un-issues", str(table))
    assert shown.exit_code == 0, shown.output
    assert "agreement on colonialism, economic development" in " ".join(shown.output.split())


@pytest.mark.parametrize("args, message", [
    (["--un-issue", "hr"], "--un-votes"),
    (["--un-votes", "VOTES", "--un-issue", "war", "--un-issues", "ISSUES"], "unknown UN issue"),
    (["--un-votes", "VOTES", "--un-issue", "hr"], "--un-issues"),
    (["--un-votes", "VOTES", "--un-issues", "ISSUES"], "--un-issue"),
])
def test_align_refuses_issue_options_that_do_not_fit(tmp_path, store, args, message):
    votes_path, table = write_votes(tmp_path)
    args = [str(votes_path) if a == "VOTES" else str(table) if a == "ISSUES" else a
            for a in args]
    result = align("--db", str(store), *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_report_and_serve_take_the_issue_too(tmp_path, store, monkeypatch):
    from equipoise.outputs import server

    votes_path, table = write_votes(tmp_path)
    output = tmp_path / "report.html"
    result = CliRunner().invoke(app, [
        "report", "--focal", "AZE", "--poles", "TUR,RUS", "--db", str(store), "--output",
        str(output), "--min-events", "1", "--no-ci", "--no-changepoints", "--un-votes",
        str(votes_path), "--un-issue", "hr", "--un-issues", str(table)])
    assert result.exit_code == 0, result.output
    assert "UN General Assembly, votes on human rights" in output.read_text(encoding="utf-8")

    seen = {}
    monkeypatch.setattr(server, "serve", lambda db, **options: seen.update(options))
    result = CliRunner().invoke(app, ["serve", "--db", str(store), "--un-votes",
                                      str(votes_path), "--un-issue", "ec", "--un-issues",
                                      str(table)])
    assert result.exit_code == 0, result.output
    assert set(seen["un_votes"]["rcid"]) == {4}


# -- the shared data ---------------------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "unvotes"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data/unvotes")


@pytest.mark.skipif(not (SHARED / "un_roll_call_issues.rda").is_file(),
                    reason="the shared unvotes data is not here")
def test_the_unvotes_issue_table_reads_whole():
    table = read_roll_call_issues(SHARED / "un_roll_call_issues.rda")
    assert len(table) == 5745 and set(table["issue"]) == set(UN_ISSUES)
    calls = pd.read_csv(SHARED / "un_roll_calls_min.csv", usecols=["rcid"])
    assert set(table["rcid"]) <= set(calls["rcid"])
