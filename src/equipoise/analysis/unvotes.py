"""How alike two states vote in the UN General Assembly, session by session.

Input is the vote table of :mod:`equipoise.sources.unvotes`: one row per
country and roll call with ``rcid``, ``session``, ``date``, ``country`` (ISO
alpha-3) and ``vote`` (``yes``, ``abstain``, ``no``; ``absent`` rows are
ignored), plus the roll-call flags ``amend`` and ``para`` where known. Every
function here is pure: DataFrames in, DataFrames out.

Definitions
-----------
Common roll calls
    For states A and B in a period, the roll calls on which both cast a vote
    (yes, abstain or no). Absences and non-membership never count. ``n_votes``
    is their number; a period without any is not reported.
Agreement share (``agree_share``)
    The share of common roll calls on which A and B cast the same vote, the
    three votes taken as three categories.
S score (``s_score``)
    Signorino and Ritter's S ("Tau-b or not tau-b: measuring the similarity of
    foreign policy positions", International Studies Quarterly 43(1), 1999),
    with the usual coding of UN votes (as in Gartzke's affinity index): yes = 1,
    abstain = 2, no = 3, so the largest possible distance is d_max = 2::

        S = 1 - 2 * sum(|v_A - v_B|) / (n * d_max)  =  1 - mean(|v_A - v_B|)

    over the n common roll calls. S is 1 when A and B always vote alike, 0
    when one always abstains where the other takes a side, and -1 when one
    always votes yes where the other votes no.
Scott's pi (``pi``)
    Agreement corrected for the agreement expected by chance when both
    states draw their votes from one pooled mix (Scott, "Reliability of
    content analysis: the case of nominal scale coding", Public Opinion
    Quarterly 19(3), 1955)::

        pi = (p_o - p_e) / (1 - p_e),   p_o = agree_share,
        p_e = sum over k in {yes, abstain, no} of ((p_A(k) + p_B(k)) / 2) ** 2

    The chance term no longer follows each state's own marginals, so a state
    that votes yes far more often than the other is not excused for it: pi
    falls below zero when the two mostly vote differently. Pi is undefined
    (NaN) when p_e = 1, as kappa is. The default chance-corrected measure.
Cohen's kappa (``kappa``)
    Agreement corrected for the agreement expected by chance from each
    state's own mix of votes (Cohen, "A coefficient of agreement for nominal
    scales", Educational and Psychological Measurement 20(1), 1960)::

        kappa = (p_o - p_e) / (1 - p_e),   p_o = agree_share,
        p_e = sum over k in {yes, abstain, no} of p_A(k) * p_B(k)

    where p_A(k) is the share of A's common votes that were k. Kappa is
    undefined (NaN) when p_e = 1, i.e. both cast one and the same vote on
    every common roll call.
Published agreement (``published_agreement``, ``n_published``)
    The agreement share as published with the Bailey, Strezhnev and Voeten
    ideal points (the ``USAgree``, ``RUSSAgree``, ``ChinaAgree``... columns of
    ``IdealpointestimatesAll_Jun2024.csv``): the same three-category share,
    but over the roll calls of :func:`published_roll_calls` only. Checked
    against that file for every country and session it shares with the
    ``unvotes`` 0.3.0 data (sessions 1-74): the figures agree to the file's
    seven printed digits; see ``docs/unvotes.md``.
Periods
    ``by="session"`` groups by General Assembly session, ``by="year"`` by the
    calendar year of the vote's date (votes without a date are left out).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from equipoise.errors import InvalidQueryError

__all__ = [
    "AGREEMENT_COLUMNS",
    "CHANCE_MEASURES",
    "SEPARATE_VOTES_LEFT_OUT_FROM",
    "VOTE_SCALE",
    "agreement",
    "agreement_matrix",
    "on_issues",
    "published_roll_calls",
]

VOTE_SCALE: dict[str, int] = {"yes": 1, "abstain": 2, "no": 3}
"""The 1-2-3 scale of the S score; its largest distance is 3 - 1 = 2."""

S_DMAX = 2

SEPARATE_VOTES_LEFT_OUT_FROM = 52
"""First session whose amendment and paragraph votes the published agreement leaves out."""

AGREEMENT_COLUMNS: list[str] = [
    "n_votes",
    "agree_share",
    "s_score",
    "pi",
    "kappa",
    "published_agreement",
    "n_published",
]
CHANCE_MEASURES: tuple[str, ...] = ("pi", "kappa")
"""The chance-corrected measure columns, the default (Scott's pi) first."""
BY = ("session", "year")
_REQUIRED = ("rcid", "session", "date", "country", "vote")
_IGNORED_VOTES = {"absent"}


def _vote_codes(votes: pd.Series) -> np.ndarray:
    """1/2/3 for yes/abstain/no, 0 for absent or missing; other values are an error."""
    codes, levels = pd.factorize(votes.astype(object) if votes.dtype == bool else votes)
    table = []
    for level in levels:
        text = str(level).strip().lower()
        if text in VOTE_SCALE:
            table.append(VOTE_SCALE[text])
        elif text in _IGNORED_VOTES:
            table.append(0)
        else:
            raise ValueError(f"unknown vote {level!r} (expected yes, abstain, no or absent)")
    lookup = np.array([*table, 0], dtype=np.int8)
    return lookup[np.where(codes < 0, len(table), codes)]


def _check(votes: pd.DataFrame, by: str) -> None:
    if by not in BY:
        raise InvalidQueryError(f"by must be 'session' or 'year', not {by!r}")
    missing = [name for name in _REQUIRED if name not in votes.columns]
    if missing:
        raise ValueError(f"votes lack column(s) {', '.join(missing)}")


def published_roll_calls(votes: pd.DataFrame) -> np.ndarray:
    """The roll calls the published agreement figures count, as a sorted rcid array.

    Two rules, both read off ``IdealpointestimatesAll_Jun2024.csv`` (its
    ``NVotesAll`` is the number of these roll calls each country voted on):

    1. Contested roll calls only: at least two different votes (yes, abstain,
       no) were cast. Roll calls where every state that voted voted alike are
       left out; they carry no information for ideal points.
    2. From session 52 (1997) on, votes on an amendment or a separate vote on a
       paragraph (``amend`` or ``para`` true) are left out; the votes on whole
       resolutions and decisions stay. Earlier flagged votes (sessions 1-39,
       the only other sessions with flags) are counted.

    Rule 1 needs the votes of every member: from a table holding only a few
    countries, more roll calls look uncontested than were. Without ``amend`` and
    ``para`` columns (or where they are missing) rule 2 drops nothing.
    """
    _check(votes, "session")
    return _published(votes, _vote_codes(votes["vote"]))


def _published(votes: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    cast = codes > 0
    rcid = votes["rcid"].to_numpy(dtype=np.int64)[cast]
    spread = pd.Series(codes[cast]).groupby(rcid).agg(["min", "max"])
    contested = spread.index[spread["min"] != spread["max"]].to_numpy(dtype=np.int64)
    flagged = np.zeros(len(votes), dtype=bool)
    for name in ("amend", "para"):
        if name in votes.columns:
            flagged |= votes[name].astype("boolean").fillna(False).to_numpy(dtype=bool)
    session = votes["session"].astype("Int64")
    flagged &= (session >= SEPARATE_VOTES_LEFT_OUT_FROM).fillna(False).to_numpy(dtype=bool)
    left_out = np.unique(votes["rcid"].to_numpy(dtype=np.int64)[flagged])
    return np.setdiff1d(contested, left_out)


def _prepare(votes: pd.DataFrame, by: str) -> tuple[pd.DataFrame, dict[str, int]]:
    """Cast votes only (rcid, period, country as an integer, code 1-3, published),
    and the integer of each country code."""
    _check(votes, by)
    codes = _vote_codes(votes["vote"])
    published = np.isin(votes["rcid"].to_numpy(dtype=np.int64), _published(votes, codes))
    if by == "session":
        period = votes["session"].astype("Int64")
    else:
        period = pd.to_datetime(votes["date"]).dt.year.astype("Int64")
    keep = (codes > 0) & period.notna().to_numpy()
    if not keep.any() and (codes > 0).any():
        what = "session" if by == "session" else "date"
        raise ValueError(f"no vote has a {what}: read the votes together with their roll calls")
    country, countries = pd.factorize(votes["country"])
    prepared = pd.DataFrame(
        {
            "rcid": votes["rcid"].to_numpy(dtype=np.int64)[keep],
            "period": period.to_numpy(dtype=np.int64, na_value=0)[keep],
            "country": country[keep],
            "code": codes[keep],
            "published": published[keep],
        }
    )
    return prepared, {str(code): i for i, code in enumerate(countries)}


def _one_country(prepared: pd.DataFrame, index: dict[str, int], code: str) -> pd.DataFrame:
    rows = prepared[prepared["country"].to_numpy() == index.get(code, -1)]
    if rows.empty:
        raise InvalidQueryError(
            f"no votes for {code!r} (countries are ISO alpha-3 codes such as 'AZE')"
        )
    twice = rows["rcid"].duplicated()
    if twice.any():
        rcid = rows["rcid"][twice].iloc[0]
        raise ValueError(f"{code} has more than one vote on roll call {rcid}")
    return rows


def _dyad(rows_a: pd.DataFrame, rows_b: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per period: counts and the five measures for two countries' vote rows."""
    both = rows_a[["rcid", "period", "code", "published"]].merge(
        rows_b[["rcid", "code"]], on="rcid", suffixes=("_a", "_b")
    )
    va = both["code_a"].to_numpy(dtype=np.int64)
    vb = both["code_b"].to_numpy(dtype=np.int64)
    same = va == vb
    published = both["published"].to_numpy()
    parts = {
        "n_votes": np.ones(len(both), dtype=np.int64),
        "same": same.astype(np.int64),
        "distance": np.abs(va - vb),
        "n_published": published.astype(np.int64),
        "same_published": (same & published).astype(np.int64),
    }
    for value in VOTE_SCALE.values():
        parts[f"a{value}"] = (va == value).astype(np.int64)
        parts[f"b{value}"] = (vb == value).astype(np.int64)
    sums = pd.DataFrame(parts).groupby(both["period"].to_numpy(), sort=True).sum()

    n = sums["n_votes"].to_numpy(dtype=np.float64)
    chance = sum(sums[f"a{v}"] * sums[f"b{v}"] for v in VOTE_SCALE.values()).to_numpy(
        dtype=np.float64
    )  # kappa's p_e * n^2
    # pi's p_e * n^2: the pooled count of each vote, halved, squared; in quarters
    # so that the arithmetic stays exact in integers until the division
    pooled = sum((sums[f"a{v}"] + sums[f"b{v}"]) ** 2 for v in VOTE_SCALE.values()).to_numpy(
        dtype=np.float64
    )  # 4 * p_e * n^2
    same = sums["same"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (n * same - chance) / (n * n - chance)
        pi = (4 * n * same - pooled) / (4 * n * n - pooled)
        published = sums["same_published"].to_numpy() / sums["n_published"].to_numpy()
    kappa[chance == n * n] = np.nan
    pi[pooled == 4 * n * n] = np.nan
    published[sums["n_published"].to_numpy() == 0] = np.nan
    return pd.DataFrame(
        {
            by: sums.index.to_numpy(dtype=np.int64),
            "n_votes": sums["n_votes"].to_numpy(),
            "agree_share": sums["same"].to_numpy() / n,
            "s_score": 1 - 2 * sums["distance"].to_numpy() / (n * S_DMAX),
            "pi": pi,
            "kappa": kappa,
            "published_agreement": published,
            "n_published": sums["n_published"].to_numpy(),
        }
    )


def on_issues(votes: pd.DataFrame, issues: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """The votes on roll calls about any of the issues ``codes`` (``me``, ``nu``, ``di``,
    ``hr``, ``co``, ``ec``), by the ``rcid``/``issue`` table of the roll calls' issues.

    Whole roll calls are kept or left out, so a roll call's contestedness (see
    :func:`published_roll_calls`) is what it was. An unknown code is an
    InvalidQueryError; the caller keeps the codes it chose, to name them.
    """
    from equipoise.reference.unissues import un_issue_codes

    try:
        wanted = un_issue_codes(list(codes))
    except ValueError as exc:
        raise InvalidQueryError(str(exc)) from None
    missing = [name for name in ("rcid", "issue") if name not in issues.columns]
    if missing:
        raise ValueError(f"the issue table lacks column(s) {', '.join(missing)}")
    chosen = issues["rcid"].to_numpy(dtype=np.int64)[
        issues["issue"].astype(str).str.lower().isin(wanted).to_numpy()]
    kept = votes[np.isin(votes["rcid"].to_numpy(dtype=np.int64), chosen)].reset_index(drop=True)
    return kept


def agreement(votes: pd.DataFrame, a: str, b: str, by: str = "session") -> pd.DataFrame:
    """Voting agreement of states ``a`` and ``b`` (ISO alpha-3), one row per period.

    Columns: ``session`` (or ``year``), ``a``, ``b``, ``n_votes``, ``agree_share``,
    ``s_score``, ``pi``, ``kappa``, ``published_agreement``, ``n_published``, as defined
    in the module docstring. Raises ValueError for a country without votes or
    with two votes on one roll call.
    """
    prepared, index = _prepare(votes, by)
    table = _dyad(_one_country(prepared, index, a), _one_country(prepared, index, b), by)
    table.insert(1, "a", a)
    table.insert(2, "b", b)
    return table.astype({"a": "str", "b": "str"})


def agreement_matrix(
    votes: pd.DataFrame, focal: str, poles: Sequence[str], by: str = "session"
) -> pd.DataFrame:
    """:func:`agreement` of one ``focal`` state with each of several ``poles``, long format.

    Columns: ``session`` (or ``year``), ``focal``, ``pole`` and the measure
    columns of :func:`agreement`; rows ordered by pole (as given), then period.
    """
    if isinstance(poles, str):
        poles = [poles]
    prepared, index = _prepare(votes, by)
    rows_focal = _one_country(prepared, index, focal)
    tables = []
    for pole in dict.fromkeys(poles):
        table = _dyad(rows_focal, _one_country(prepared, index, pole), by)
        table.insert(1, "focal", focal)
        table.insert(2, "pole", pole)
        tables.append(table)
    if not tables:
        columns = [by, "focal", "pole", *AGREEMENT_COLUMNS]
        return pd.DataFrame({name: [] for name in columns})
    out = pd.concat(tables, ignore_index=True)
    return out.astype({"focal": "str", "pole": "str"})
