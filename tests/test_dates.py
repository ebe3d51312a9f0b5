"""Dating events from the sentence that reports them.

Unless a test says otherwise, the article was published on Tuesday 5 January 2021.
Dates are compared in their ISO form, which also shows the precision:
"2020-09-02" is a day, "2020-09" a month, "2020" a year.
"""

from __future__ import annotations

import datetime as dt

import pytest

from equipoise.coding.dates import DateMention, event_date, find_dates
from equipoise.records import EventDate

PUB = dt.date(2021, 1, 5)  # a Tuesday


def dates(text: str, published: dt.date = PUB) -> list[str]:
    """The ISO form of every date found in ``text``."""
    return [m.date.iso() for m in find_dates(text, published)]


def when(text: str, published: dt.date = PUB, near: int | None = None) -> str:
    return event_date(text, published, near).iso()


# --------------------------------------------------------------------------- full dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The talks took place on 2 September 2020.", "2020-09-02"),
        ("The talks took place on September 2, 2020.", "2020-09-02"),
        ("The talks took place on Sept. 2, 2020.", "2020-09-02"),
        ("BELGRADE (Sputnik - 13th October, 2022) The talks", "2022-10-13"),
        ("It happened on the 2nd of September 2020.", "2020-09-02"),
        ("Minutes dated 2020-09-14 were released.", "2020-09-14"),
        ("The order of 14.09.2020 was annulled.", "2020-09-14"),
        ("Numeric dates are day first: 03/04/2020.", "2020-04-03"),
        ("Unless only month first is valid: 09/14/2020.", "2020-09-14"),
    ],
)
def test_explicit_dates_keep_their_year(text, expected):
    assert dates(text) == [expected]


def test_a_mention_knows_where_it_is_in_the_text():
    text = "Troops withdrew on 2 September 2020, the ministry said."
    (mention,) = find_dates(text, PUB)
    assert isinstance(mention, DateMention)
    assert text[mention.start : mention.end] == mention.text == "2 September 2020"
    assert mention.date == EventDate(dt.date(2020, 9, 2), "day")


# ------------------------------------------------------------------ dates without a year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The drills began Sept. 2.", "2020-09-02"),
        ("The drills began 2 Sep.", "2020-09-02"),
        ("The drills began on September 2.", "2020-09-02"),
        ("Envoys met on December 28.", "2020-12-28"),  # the most recent December 28
        ("Envoys met on January 5.", "2021-01-05"),  # the publication day itself
    ],
)
def test_a_yearless_date_is_the_most_recent_one(text, expected):
    assert dates(text) == [expected]


def test_an_article_of_4_september_means_this_year_by_september_2():
    assert dates("Commandos launched drills on September 2.", dt.date(2021, 9, 4)) == ["2021-09-02"]


def test_a_few_days_after_publication_still_count_as_this_year():
    assert dates("The summit opens January 8.") == ["2021-01-08"]
    assert dates("The summit opened on January 20.") == ["2020-01-20"]


def test_a_clause_about_the_future_looks_ahead():
    assert dates("Envoys will meet in Moscow on Jan. 14.") == ["2021-01-14"]
    assert dates("The exercises are scheduled for March 18.") == ["2021-03-18"]
    assert dates("Envoys met in Moscow on Jan. 14.") == ["2020-01-14"]


# --------------------------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Drills were held between 29 July and 10 August.", "2020-07-29"),
        ("Drills were held from July 29 to August 10.", "2020-07-29"),
        ("Drills were held 29 July - 10 August 2019.", "2019-07-29"),  # year from the end
        ("Talks ran between 29 December and 2 January 2020.", "2019-12-29"),
        ("Lavrov's visit was scheduled for June 6-7.", "2021-06-06"),
        ("Fighting raged throughout July and August.", "2020-07"),
        ("Sanctions were in force from 2014 to 2016.", "2014"),
    ],
)
def test_a_range_is_dated_by_its_start(text, expected):
    assert dates(text) == [expected]


def test_a_range_is_one_mention():
    (mention,) = find_dates("Drills were held between 29 July and 10 August.", PUB)
    assert mention.text == "29 July and 10 August"


# ------------------------------------------------------------------------ months and years


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The agreement was signed in 2009.", "2009"),
        ("Russia has occupied the regions since 2008.", "2008"),
        ("The deal was signed in July 2020.", "2020-07"),
        ("The US recognised Kazakhstan in December of 1991.", "1991-12"),
        ("Clashes broke out in July.", "2020-07"),  # the most recent July
        ("Clashes broke out in January.", "2021-01"),  # the current month
        ("Clashes broke out last July.", "2020-07"),
        ("Elections are due this July.", "2021-07"),
        ("The border was closed in May.", "2020-05"),
        ("Drills are planned for mid-March.", "2021-03"),
    ],
)
def test_months_and_years_keep_their_precision(text, expected):
    assert dates(text) == [expected]


def test_a_year_modifying_a_noun_is_found():
    assert dates("Georgia still feels the 2008 war.") == ["2008"]
    assert dates("Russia's 2014 annexation of Crimea") == ["2014"]


def test_a_decade_is_dated_by_its_first_year():
    assert dates("It is the worst fighting since a war in the 1990s.") == ["1990"]


# ------------------------------------------------------------------------------ weekdays


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pashinian announced the decision on Tuesday.", "2021-01-05"),  # publication day
        ("Pashinian announced the decision Monday.", "2021-01-04"),
        ("Pashinian announced the decision on Wednesday.", "2020-12-30"),
        ("Earlier on Sunday, the ministry said", "2021-01-03"),
        ("Pashinian announced the decision last Tuesday.", "2020-12-29"),
        ("Pashinian will travel to Moscow next Tuesday.", "2021-01-12"),
        ("Pashinian will travel to Moscow on Friday.", "2021-01-08"),
    ],
)
def test_a_weekday_is_the_most_recent_one(text, expected):
    assert dates(text) == [expected]


def test_a_weekday_with_its_date_is_one_mention():
    published = dt.date(2020, 10, 3)
    text = "The ministry spoke on Friday, October 2, about the drones."
    (mention,) = find_dates(text, published)
    assert (mention.text, mention.date.iso()) == ("Friday, October 2", "2020-10-02")
    (mention,) = find_dates("Blinken arrived on Tuesday (February 28).", dt.date(2023, 3, 1))
    assert (mention.text, mention.date.iso()) == ("Tuesday (February 28)", "2023-02-28")


def test_weekdays_in_names_are_not_dates():
    assert dates("The Good Friday Agreement still holds.") == []
    assert dates("The Sunday Times reported the deal.") == []


# ----------------------------------------------------------------------- relative dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia said yesterday that", "2021-01-04"),
        ("Russia said today that", "2021-01-05"),
        ("Russia said three days ago that", "2021-01-02"),
        ("Russia said two weeks ago that", "2020-12"),
        ("Russia said last month that", "2020-12"),
        ("Russia said earlier this month that", "2021-01"),
        ("Russia said last year that", "2020"),
        ("Russia said this year that", "2021"),
        ("Pashinian addressed the nation on New Year's Eve.", "2020-12-31"),
    ],
)
def test_relative_dates_count_from_publication(text, expected):
    assert dates(text) == [expected]


def test_weeks_are_dated_at_month_precision():
    # The week before Thursday 1 October 2020 ran from 21 to 27 September.
    assert dates("Fighting broke out last week.", dt.date(2020, 10, 1)) == ["2020-09"]
    assert dates("Fighting broke out earlier this week.", dt.date(2020, 10, 1)) == ["2020-09"]
    assert dates("Fighting broke out last week.") == ["2020-12"]


def test_the_previous_day_counts_from_the_date_before_it():
    text = "A statement on August 13 said Aliyev called Putin the previous day."
    assert dates(text, dt.date(2020, 8, 13)) == ["2020-08-13", "2020-08-12"]
    assert dates("Aliyev called Putin the previous day.") == []


# -------------------------------------------------------------------------------- non-dates


@pytest.mark.parametrize(
    "text",
    [
        "Moscow deployed 2,000 peacekeeping troops.",
        "Moscow deployed 2000 troops.",
        "The council adopted Resolution 2020/5.",
        "The council recalled UNSC Resolution 1244.",
        "The meeting started at 10:30 local time.",
        "Prices rose 20.5 percent, 2 points above forecast.",
        "Theresa May said the talks would continue.",
        "Russia Today reported the incident.",
        "Some 400 troops from 12 allied states joined in.",
    ],
)
def test_numbers_and_words_that_are_not_dates(text):
    assert dates(text) == []


# -------------------------------------------------------------------------- the event date


def test_without_a_date_the_event_took_place_on_publication():
    assert event_date("Turkey condemned the attack.", PUB) == EventDate(PUB, "day")


def test_the_first_date_dates_the_event():
    text = "Ambassador Mammadov arrived on February 28 and presented credentials on March 26."
    assert when(text, dt.date(2023, 3, 31)) == "2023-02-28"


def test_the_date_nearest_the_trigger_wins():
    text = "Ambassador Mammadov arrived on February 28 and presented credentials on March 26."
    published = dt.date(2023, 3, 31)
    assert when(text, published, near=text.index("arrived")) == "2023-02-28"
    assert when(text, published, near=text.index("presented")) == "2023-03-26"


def test_a_date_in_a_clause_opened_after_the_trigger_is_not_the_events():
    text = "Macron hosted a summit about the truce that ended the fighting on November 10."
    assert when(text, PUB, near=text.index("hosted")) == "2021-01-05"
    assert when(text, PUB, near=text.index("ended")) == "2020-11-10"
    text = "The exercises will last until September 12."
    assert when(text, dt.date(2021, 9, 4), near=text.index("last")) == "2021-09-12"


def test_a_later_mention_can_refine_the_first():
    text = "Last week, the ministry announced that components were shipped last Friday."
    assert when(text, dt.date(2019, 7, 16)) == "2019-07-12"


def test_a_plan_after_publication_does_not_date_the_report():
    text = "Special envoys will meet on Jan. 14, the ministry announced on Jan. 5."
    published = dt.date(2022, 1, 6)
    assert when(text, published) == "2022-01-05"
    assert when(text, published, near=text.index("meet")) == "2022-01-14"
    assert when("Hasanov will leave for Moscow tomorrow.", PUB) == "2021-01-05"


def test_a_date_that_modifies_a_noun_dates_only_that_noun():
    text = "Russia accused Azerbaijan of breaching the 2020 ceasefire agreement."
    published = dt.date(2022, 3, 28)
    assert when(text, published) == "2022-03-28"
    assert when(text, published, near=text.index("ceasefire")) == "2020"
    text = "Meeting in Brussels, EU leaders demanded an inquiry into a Sunday incident."
    assert when(text, dt.date(2021, 5, 24)) == "2021-05-24"


def test_a_date_after_a_preposition_of_time_dates_the_clause():
    text = "Armenia appealed to the CSTO during the September 2022 clashes."
    assert when(text, dt.date(2023, 1, 11)) == "2022-09"
    assert when("At a 2008 summit, NATO agreed to admit Georgia.", PUB) == "2008"


def test_datelines_and_sources_give_way_to_the_events_own_date():
    text = "BELGRADE (Sputnik - 13th October, 2022) Vucic said on Wednesday that"
    assert when(text, dt.date(2022, 10, 13)) == "2022-10-12"
    text = "According to a statement issued on August 13, Aliyev called Putin the previous day."
    assert when(text, dt.date(2020, 8, 13)) == "2020-08-12"


def test_decades_are_used_only_when_nothing_else_dates_the_event():
    published = dt.date(2020, 10, 1)
    text = "Fighting broke out last week, the worst since a war in the 1990s."
    assert when(text, published) == "2020-09"
    assert when("Armenia and Azerbaijan fought a war in the 1990s.", published) == "1990"
