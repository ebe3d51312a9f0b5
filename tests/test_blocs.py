"""Bloc membership by date: the bundled table, the lookups and the vectorised mask.

Conventions shown here (see ``equipoise/data/blocs/README.md``):

- a state is a member from the day it ``joined`` up to, not including, the day it
  ``left`` (half-open spells);
- a suspension that shut a state out of the bloc's bodies ends a spell, and a return
  starts a new one (Syria in the Arab League, Russia in the Council of Europe);
- associate members and observers are not members (Turkmenistan in the CIS from 2005);
- an actor coded with the bloc's own code (``EU``) always counts for that bloc.

The last section checks the table against the Correlates of War IGO data (to 2014) and
documents, state by state, where and why the two differ.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equipoise.analysis import align
from equipoise.analysis.blocs import (
    expand_bloc_events,
    is_member,
    members,
    membership_mask,
)
from equipoise.reference.memberships import load_memberships

D = dt.date.fromisoformat

# --------------------------------------------------------------------------- by date

# (state, bloc, date, member?) -- each line is a fact worth knowing.
MEMBERSHIP_FACTS = [
    ("FIN", "NATO", "2023-04-03", False),  # the day before Finland deposited its accession
    ("FIN", "NATO", "2023-04-04", True),
    ("SWE", "NATO", "2024-03-06", False),
    ("SWE", "NATO", "2024-03-07", True),
    ("FRA", "NATO", "1967-06-01", True),  # left the integrated command in 1966, not NATO
    ("DEU", "NATO", "1955-05-06", True),  # the Federal Republic, coded DEU
    ("GBR", "EU", "2019-06-30", True),
    ("GBR", "EU", "2020-01-31", True),  # left at 23:00 GMT that day
    ("GBR", "EU", "2020-02-01", False),
    ("GBR", "EU", "2021-01-01", False),
    ("HRV", "EU", "2013-06-30", False),
    ("HRV", "EU", "2013-07-01", True),
    ("UZB", "CSTO", "1996-01-01", True),  # a party to the 1992 Collective Security Treaty
    ("UZB", "CSTO", "2003-01-01", False),  # out from 1999 to 2006
    ("UZB", "CSTO", "2008-01-01", True),
    ("UZB", "CSTO", "2013-01-01", False),
    ("AZE", "CSTO", "1998-01-01", True),
    ("AZE", "CSTO", "2000-01-01", False),
    ("GEO", "CSTO", "2000-01-01", False),
    ("ARM", "CSTO", "2025-01-01", True),  # participation frozen in 2024, still a member
    ("GEO", "CIS", "2008-12-31", True),  # notified withdrawal 2008-08-18 ...
    ("GEO", "CIS", "2009-08-18", False),  # ... which took effect a year later
    ("GEO", "CIS", "2010-01-01", False),
    ("AZE", "CIS", "1993-01-01", False),  # parliament refused ratification in 1992
    ("AZE", "CIS", "1993-09-24", True),
    ("TKM", "CIS", "2006-01-01", False),  # an associate member, not counted
    ("UKR", "CIS", "2017-01-01", True),
    ("UKR", "CIS", "2019-01-01", False),
    ("ARM", "EEU", "2014-06-01", False),
    ("ARM", "EEU", "2015-01-01", False),
    ("ARM", "EEU", "2015-01-02", True),
    ("KGZ", "EEU", "2015-08-12", True),
    ("UZB", "OTS", "2019-01-01", False),
    ("UZB", "OTS", "2020-01-01", True),
    ("HUN", "OTS", "2022-01-01", False),  # an observer
    ("IRN", "SCO", "2023-07-04", True),
    ("BLR", "SCO", "2024-07-03", False),
    ("SYR", "ARL", "2011-11-15", True),
    ("SYR", "ARL", "2011-11-16", False),  # suspended ...
    ("SYR", "ARL", "2023-05-07", True),  # ... and readmitted
    ("EGY", "ARL", "1985-01-01", False),
    ("RUS", "COE", "2022-02-24", True),
    ("RUS", "COE", "2022-02-25", False),
    ("RUS", "OSCE", "1980-01-01", True),  # the Soviet Union's participation, coded RUS
    ("CZE", "OSCE", "1992-12-31", False),  # Czechoslovakia until then
    ("CZE", "OSCE", "1993-01-01", True),
    ("MAR", "AU", "2016-12-31", False),
    ("MAR", "AU", "2017-01-30", True),
    ("IDN", "BRICS", "2025-01-06", True),
]


@pytest.mark.parametrize(
    ("state", "bloc", "on", "expected"),
    MEMBERSHIP_FACTS,
    ids=[f"{s}-{b}-{d}" for s, b, d, _ in MEMBERSHIP_FACTS],
)
def test_membership_on_a_date(state, bloc, on, expected):
    assert is_member(state, bloc, D(on)) is expected


def test_members_counts_whole_blocs():
    assert len(members("NATO", D("1949-08-24"))) == 12
    assert len(members("NATO", D("2024-03-07"))) == 32
    assert len(members("EU", D("2020-01-31"))) == 28
    assert len(members("EU", D("2020-02-01"))) == 27
    assert members("EEU", D("2015-08-12")) == {"RUS", "BLR", "KAZ", "ARM", "KGZ"}
    assert members("CSTO", D("2013-01-01")) == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}
    assert len(members("SCO", D("2024-07-04"))) == 10
    assert len(members("ARL", D("2024-01-01"))) == 22
    assert len(members("OSCE", D("2024-01-01"))) == 57
    assert len(members("COE", D("2024-01-01"))) == 46
    assert len(members("AU", D("2024-01-01"))) == 55


def test_dates_may_be_given_in_any_usual_form():
    for on in (D("2023-04-04"), dt.datetime(2023, 4, 4, 9, 30), "2023-04-04",
               pd.Timestamp("2023-04-04")):
        assert "FIN" in members("NATO", on)


def test_the_bloc_code_itself_counts_as_the_bloc():
    assert is_member("EU", "EU", D("1960-01-01"))
    assert is_member("nato", "NATO", D("2000-01-01"))
    assert not is_member("USA", "EU", D("2000-01-01"))


def test_an_unknown_bloc_is_an_error_not_an_empty_set():
    with pytest.raises(ValueError, match="no memberships for bloc 'WARSAW'"):
        members("WARSAW", D("1970-01-01"))


# --------------------------------------------------------------------------- the table


def test_table_columns_and_types():
    table = load_memberships()
    assert list(table.columns) == ["bloc", "member", "joined", "left", "note"]
    assert str(table["joined"].dtype) == "datetime64[ns]"
    assert table["joined"].notna().all()
    assert (table["left"].isna() | (table["left"] > table["joined"])).all()
    required = {"NATO", "EU", "CSTO", "EEU", "CIS", "OTS", "GUAM", "SCO", "OSCE", "ASEAN",
                "AU", "ARL"}
    assert required <= set(table["bloc"])


def test_load_memberships_returns_a_copy():
    table = load_memberships()
    table.loc[:, "member"] = "XXX"
    assert "FIN" in members("NATO", D("2024-01-01"))


def test_every_spell_has_a_note_where_it_ends():
    table = load_memberships()
    ended = table[table["left"].notna()]
    assert (ended["note"].str.len() > 0).all(), ended[ended["note"] == ""]


# --------------------------------------------------------------------------- validation

HEADER = "bloc,member,joined,left,note\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "memberships.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_valid_custom_file_loads(tmp_path):
    path = write(tmp_path, "# a comment\nNATO,FIN,2023-04-04,,\n\nNATO,SWE,2024-03-07,,\n")
    table = load_memberships(path)
    assert list(table["member"]) == ["FIN", "SWE"]
    assert members("NATO", D("2024-01-01"), table=table) == {"FIN"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("NATO,FIN,2023-04-04,,\nWARSAW,POL,1955-05-14,1991-07-01,\n",
         r"memberships\.csv:3: unknown bloc 'WARSAW'"),
        ("NATO,FIN,2023-04-31,,\n", r":2: joined '2023-04-31' is not a valid date"),
        ("NATO,FIN,04/04/2023,,\n", r":2: joined '04/04/2023' is not a date in the form"),
        ("NATO,FIN,2023-04-04,2023,\n", r":2: left '2023' is not a date in the form"),
        ("NATO,FIN,2023-04-04,2023-01-01,\n", r":2: left 2023-01-01 is not after joined"),
        ("NATO,GER,1955-05-06,,\n", r":2: unknown member 'GER'"),
        ("NATO,FINLAND,2023-04-04,,\n", r":2: member 'FINLAND' is not an ISO3 code"),
        ("NATO,FIN,2023-04-04\n", r":2: expected 5 fields, got 3"),
    ],
    ids=["unknown-bloc", "impossible-date", "not-iso", "year-only", "left-before-joined",
         "unknown-member", "not-iso3", "short-row"],
)
def test_bad_rows_are_reported_with_file_and_line(tmp_path, body, message):
    with pytest.raises(ValueError, match=message):
        load_memberships(write(tmp_path, body))


def test_overlapping_spells_name_both_lines(tmp_path):
    body = (
        "CSTO,UZB,1994-04-20,1999-04-20,\n"
        "CSTO,UZB,2006-08-16,,\n"
        "CSTO,UZB,2010-01-01,2012-06-28,\n"
    )
    with pytest.raises(ValueError, match=r":4: UZB in CSTO from 2010-01-01 overlaps the "
                                         r"spell on line 3 \(from 2006-08-16, open-ended\)"):
        load_memberships(write(tmp_path, body))


def test_a_spell_may_start_the_day_the_previous_one_ended(tmp_path):
    table = load_memberships(write(
        tmp_path, "ARL,SYR,1945-03-22,2011-11-16,\nARL,SYR,2011-11-16,,\n"))
    assert is_member("SYR", "ARL", D("2011-11-16"), table=table)


def test_wrong_header_is_reported(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("bloc,state,from,to\nNATO,FIN,2023-04-04,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"m\.csv:1: header must be bloc,member,joined,left,note"):
        load_memberships(path)


# --------------------------------------------------------------------------- vectorised mask


def random_events(n: int, seed: int = 7) -> pd.DataFrame:
    """Events with a mix of states, blocs, unknown codes, missing values and dates."""
    rng = np.random.default_rng(seed)
    states = ["FIN", "SWE", "GBR", "FRA", "DEU", "UZB", "GEO", "AZE", "ARM", "RUS", "UKR",
              "TKM", "SYR", "EGY", "CHN", "IND", "IRN", "BLR", "KAZ", "TUR", "USA", "XKX"]
    codes = np.array(states + ["EU", "NATO", "CSTO", "CIS", "ARL", None], dtype=object)
    source = rng.choice(codes, n)
    target = rng.choice(codes, n)
    blocs = {"EU", "NATO", "CSTO", "CIS", "ARL"}
    days = rng.integers(-9000, 20500, n)  # 1945 to 2026
    when = pd.to_datetime("1970-01-01") + pd.to_timedelta(days, unit="D")
    when = when.where(rng.random(n) > 0.02)  # a few undated rows
    return pd.DataFrame({
        "source": source,
        "source_country": [None if c in blocs else c for c in source],
        "target": target,
        # sometimes only the country column says which state it is
        "target_country": [None if c in blocs else c for c in target],
        "event_date": when,
    }, index=pd.RangeIndex(1000, 1000 + n))


def slow_mask(events: pd.DataFrame, side: str, bloc: str) -> list[bool]:
    """The obvious row-by-row answer, to check the vectorised one against."""
    out = []
    for code, country, when in zip(events[side], events[f"{side}_country"],
                                   events["event_date"], strict=True):
        if code == bloc:
            out.append(True)
        elif pd.isna(when):
            out.append(False)
        else:
            out.append(any(isinstance(c, str) and is_member(c, bloc, when)
                           for c in (code, country)))
    return out


@pytest.mark.parametrize("bloc", ["NATO", "EU", "CSTO", "CIS", "ARL"])
@pytest.mark.parametrize("side", ["source", "target"])
def test_mask_equals_the_row_by_row_answer(bloc, side):
    events = random_events(400)
    events.loc[events.index[::7], "target"] = None  # code missing, country still known
    mask = membership_mask(events, side, bloc)
    assert mask.index.equals(events.index)
    assert mask.dtype == bool
    expected = slow_mask(events, side, bloc)
    wrong = events[mask.to_numpy() != np.array(expected)]
    assert wrong.empty, f"mask differs from the reference on:\n{wrong.head(10)}"


def test_mask_reads_dates_as_timestamps_dates_or_iso_strings():
    events = random_events(400, seed=3)
    reference = membership_mask(events, "source", "NATO")
    as_dates = events.assign(event_date=events["event_date"].dt.date)
    as_text = events.assign(
        event_date=events["event_date"].dt.strftime("%Y-%m-%d").where(events["event_date"].notna())
    )
    assert membership_mask(as_dates, "source", "NATO").equals(reference)
    assert membership_mask(as_text, "source", "NATO").equals(reference)


def test_month_and_year_precision_dates_are_judged_on_their_first_day():
    events = pd.DataFrame({"source": ["FIN", "FIN", "FIN"],
                           "event_date": ["2023", "2023-04", "2023-05"]})
    assert membership_mask(events, "source", "NATO").tolist() == [False, False, True]


def test_mask_works_with_only_a_country_column_and_a_custom_date_column():
    events = pd.DataFrame({"target_country": ["GEO", "GEO"],
                           "when": [D("2008-01-01"), D("2010-01-01")]})
    assert membership_mask(events, "target", "CIS", date_col="when").tolist() == [True, False]


def test_mask_argument_errors():
    events = pd.DataFrame({"source": ["FIN"], "event_date": [D("2024-01-01")]})
    with pytest.raises(ValueError, match="side must be"):
        membership_mask(events, "actor", "NATO")
    with pytest.raises(ValueError, match="lack both 'target'"):
        membership_mask(events, "target", "NATO")
    with pytest.raises(ValueError, match="date column 'date'"):
        membership_mask(events, "source", "NATO", date_col="date")


def test_a_million_events_get_the_row_by_row_answer():
    events = random_events(1_000_000, seed=11)
    mask = membership_mask(events, "source", "NATO")
    assert len(mask) == 1_000_000 and mask.index.equals(events.index)
    # The reference takes a row at a time: checked on a sample spread over the million.
    sample = events.sample(2_000, random_state=5)
    assert mask[sample.index].tolist() == slow_mask(sample, "source", "NATO")


def test_dates_given_as_text_are_parsed_once_per_distinct_value(monkeypatch):
    # The work follows the distinct dates, not the rows (benchmarks/mask_speed.py times it).
    membership_mask(pd.DataFrame({"source": ["FIN"], "event_date": ["2024-01-01"]}),
                    "source", "NATO")  # the membership table is read once and kept
    parsed: list[int] = []
    to_datetime = pd.to_datetime

    def counting(values, *args, **kwargs):
        parsed.append(len(values))
        return to_datetime(values, *args, **kwargs)

    monkeypatch.setattr(pd, "to_datetime", counting)
    events = pd.DataFrame({"source": ["FIN", "SWE", "GBR"] * 100_000,
                           "event_date": ["2022-01-01", "2023-05-01", "2024-06-01"] * 100_000})
    mask = membership_mask(events, "source", "NATO")
    assert parsed == [3]
    # Finland joined in April 2023, Sweden in March 2024; the United Kingdom in 1949.
    assert mask.iloc[:3].tolist() == [False, False, True]
    assert mask.sum() == 100_000


# --------------------------------------------------------------------------- blocs as poles


def coded(source: str, target: str, when: str, quad: int = 1) -> dict:
    blocs = {"EU", "NATO", "CSTO"}
    return {
        "source": source, "source_country": None if source in blocs else source,
        "target": target, "target_country": None if target in blocs else target,
        "quad": quad, "goldstein": 1.0 if quad <= 2 else -5.0, "cameo": "042",
        "event_date": D(when),
    }


def test_expand_relabels_members_as_the_bloc_on_the_event_date():
    events = pd.DataFrame([
        coded("AZE", "FRA", "2020-03-01"),
        coded("GBR", "AZE", "2019-05-01"),
        coded("GBR", "AZE", "2021-05-01"),  # after Brexit: stays GBR
        coded("EU", "AZE", "2020-06-01"),
    ])
    before = events.copy()
    out = expand_bloc_events(events, "EU", keep=["AZE"])
    assert list(out["source"]) == ["AZE", "EU", "GBR", "EU"]
    assert list(out["target"]) == ["EU", "AZE", "AZE", "AZE"]
    assert list(out["target_member"].fillna("")) == ["FRA", "", "", ""]
    assert list(out["source_member"].fillna("")) == ["", "GBR", "", ""]
    assert out.loc[0, "target_country"] is None
    pd.testing.assert_frame_equal(events, before)  # the input is left alone

    table = align(out, "AZE", ["EU"], freq="year")
    assert table.set_index("period")["n_events"].to_dict() == {"2019": 1, "2020": 2}


def test_expand_keeps_the_focal_state_when_it_is_a_member():
    events = pd.DataFrame([coded("ARM", "RUS", "2020-01-10", quad=3)])
    out = expand_bloc_events(events, "CSTO", keep="ARM")
    assert (out.loc[0, "source"], out.loc[0, "target"]) == ("ARM", "CSTO")


# --------------------------------------------------------------------------- COW IGO cross-check

COW_DIR = Path(os.environ.get("EQUIPOISE_COW_IGO_DIR", "/work/shared/data/cow_igo_v3"))
COW_FILE = COW_DIR / "state_year_format3.rda"

# COW IGO columns for each bloc: COW splits the EEC (to 1992) from the EU (from 1993).
COW_COLUMNS = {"NATO": ["nato"], "EU": ["eec", "eu"], "CIS": ["cis"], "CSTO": ["csto"],
               "SCO": ["sco"]}

# COW state codes of every state that was a member of those blocs by 2014, in ISO3.
# West Germany (260) and united Germany (255) are both DEU, as in the membership table.
COW_TO_ISO3 = {
    2: "USA", 20: "CAN", 200: "GBR", 205: "IRL", 210: "NLD", 211: "BEL", 212: "LUX",
    220: "FRA", 230: "ESP", 235: "PRT", 255: "DEU", 260: "DEU", 290: "POL", 305: "AUT",
    310: "HUN", 316: "CZE", 317: "SVK", 325: "ITA", 338: "MLT", 339: "ALB", 341: "MNE",
    343: "MKD", 344: "HRV", 349: "SVN", 350: "GRC", 352: "CYP", 355: "BGR", 359: "MDA",
    360: "ROU", 365: "RUS", 366: "EST", 367: "LVA", 368: "LTU", 369: "UKR", 370: "BLR",
    371: "ARM", 372: "GEO", 373: "AZE", 375: "FIN", 380: "SWE", 385: "NOR", 390: "DNK",
    395: "ISL", 630: "IRN", 640: "TUR", 701: "TKM", 702: "TJK", 703: "KGZ", 704: "UZB",
    705: "KAZ", 710: "CHN", 750: "IND", 770: "PAK",
}

# Where COW and the table disagree on purpose. Each was checked against the treaty
# record; none is a mistake in the table.
DOCUMENTED_DIFFERENCES: dict[tuple[str, str], tuple[range | list[int], str]] = {
    ("CIS", "UKR"): (
        range(1993, 2015),
        "definition: COW codes Ukraine an associate from 1993 because it never ratified the "
        "CIS Charter; the table counts it as a founding, participating state until it left "
        "the CIS bodies in 2018",
    ),
    ("CIS", "AZE"): (
        [1992],
        "definition: Azerbaijan's parliament refused to ratify on 1992-10-07 and it stayed out "
        "until 1993-09-24; COW keeps the 1991 signature throughout",
    ),
    ("CIS", "GEO"): (
        [1993, 1994, 2008],
        "definition: COW starts Georgia in 1995 although it joined in December 1993 (ratified "
        "March 1994), and ends it when the withdrawal was notified (2008-08-18) rather than "
        "when it took effect (2009-08-18)",
    ),
    ("CSTO", "UZB"): (
        range(2002, 2006),
        "COW error: Uzbekistan left the Collective Security Treaty in 1999, was not a founder "
        "of the CSTO in 2002 and came back only by the protocol of 2006-08-16",
    ),
}


@functools.cache
def _read_cow(path: str) -> pd.DataFrame:
    import pyreadr

    return next(iter(pyreadr.read_r(path).values()))


def cow_state_years() -> pd.DataFrame:
    """COW's state-year table (15,557 rows, one column per IGO), read once."""
    pytest.importorskip("pyreadr")
    return _read_cow(str(COW_FILE))


def cow_comparison(bloc: str) -> pd.DataFrame:
    """COW's status and the table's, one row per state-year where either says member.

    COW codes a state-year by the status at the end of the year: the year a state
    joins counts (Spain in NATO from 1982), the year it leaves does not (Uzbekistan is
    out of the CSTO in 2012). So the table is read on 31 December of each year. Only
    full membership (status 1) counts; state-years COW does not code (-1 state or
    organisation not in existence, -9 missing) are left out.
    """
    data = cow_state_years()
    columns = COW_COLUMNS[bloc]
    frame = data[["ccode", "year", *columns]].copy()
    status = frame[columns]
    frame = frame[(status != -1).any(axis=1) & (status != -9).all(axis=1)]
    frame["cow"] = (frame[columns] == 1).any(axis=1)
    frame["ccode"] = frame["ccode"].astype(int)
    frame["year"] = frame["year"].astype(int)
    frame["iso3"] = frame["ccode"].map(COW_TO_ISO3)
    unmapped = frame[frame["cow"] & frame["iso3"].isna()]
    assert unmapped.empty, f"add these COW codes to COW_TO_ISO3: {sorted(unmapped['ccode'])}"
    frame = frame[frame["iso3"].notna()]
    frame["event_date"] = pd.to_datetime(frame["year"].astype(str) + "-12-31")
    frame["ours"] = membership_mask(
        frame.rename(columns={"iso3": "source"}), "source", bloc
    ).to_numpy()
    both = frame[frame["cow"] | frame["ours"]]
    return both[["iso3", "year", "cow", "ours"]].reset_index(drop=True)


def documented(bloc: str, iso3: str, year: int) -> bool:
    years, _ = DOCUMENTED_DIFFERENCES.get((bloc, iso3), ([], ""))
    return year in years


@pytest.mark.skipif(not COW_FILE.is_file(), reason=f"COW IGO data not found in {COW_DIR}")
@pytest.mark.parametrize("bloc", list(COW_COLUMNS))
def test_table_agrees_with_cow_igo_to_2014(bloc):
    """Agreement on state-years where either source codes membership, 1949-2014.

    Agreement over those state-years, before and after setting aside the documented
    differences (raw / net): NATO 100% / 100% (1,148 state-years), EU 100% / 100% (748),
    CIS 90.4% / 100% (270), CSTO 95.5% / 100% (88), SCO 100% / 100% (109).
    """
    rows = cow_comparison(bloc)
    differ = rows[rows["cow"] != rows["ours"]]
    explained = np.array([documented(bloc, r.iso3, r.year) for r in differ.itertuples()],
                         dtype=bool)
    unexplained = differ[~explained]
    agreement = 1 - len(unexplained) / len(rows)
    listing = "\n".join(
        f"  {r.iso3} {r.year}: COW {'member' if r.cow else 'not'}, "
        f"table {'member' if r.ours else 'not'}"
        for r in unexplained.itertuples()
    )
    assert agreement >= 0.95, (
        f"{bloc}: {agreement:.1%} of {len(rows)} state-years agree; undocumented "
        f"disagreements:\n{listing}"
    )

    # Every documented difference must still be one, so the notes above stay true.
    for (doc_bloc, iso3), (years, reason) in DOCUMENTED_DIFFERENCES.items():
        if doc_bloc != bloc:
            continue
        seen = set(differ.loc[differ["iso3"] == iso3, "year"])
        stale = sorted(set(years) - seen)
        assert not stale, f"{bloc} {iso3} no longer differs from COW in {stale} ({reason})"
