"""When did the event happen? Find date expressions and resolve them.

News text dates events relative to the article: "on Tuesday", "last month", "on
September 2". :func:`find_dates` finds those expressions in a sentence and resolves
each against the publication date, keeping the precision the text gives (day,
month or year). :func:`event_date` picks the one that dates an event.

Conventions (learnt from the gold coding guide, "as precise as the text allows; when
the text gives none, the publication date", and from its coded examples):

* A day or month without a year ("on September 2", "in July") takes the year that
  makes it the most recent such date not after the publication date plus
  ``SLACK_DAYS`` days (a month: not after the publication month): an article of
  2021-09-04 means 2021-09-02 by "on September 2", one of 2021-01-05 means
  2020-12-28 by "December 28". When the clause before it speaks of the future
  ("will meet on Jan. 14", "scheduled for", "set to"), it takes the first such date
  not before the publication date minus ``SLACK_DAYS`` instead.
* A weekday ("on Tuesday", "Tuesday") is the most recent one on or before the
  publication date (the same day when the article appeared on a Tuesday);
  "last Tuesday" is the most recent one strictly before it, "next Tuesday" the
  first one strictly after, "this Tuesday" the one in the publication week.
  A weekday followed by an explicit date ("Friday, October 2", "Tuesday
  (February 28)") is one mention dated by the explicit date.
* "today", "tonight" are the publication day; "yesterday" the day before.
* Weeks are vaguer than days, so careful coders date them at month precision (the
  gold data codes "last week" in an article of 2020-10-01 as 2020-09): "last week"
  is the month of the middle (Thursday) of the previous Monday-to-Sunday week,
  "earlier this week" the month of the middle of the days from Monday to the day
  before publication, "this week" the publication month.
* "last month", "earlier this month" -> month; "last year", "this year" -> year;
  "three days ago" -> day, "two weeks ago" -> month, "a year ago" -> year.
* Ranges resolve to their start at the precision of the start: "between 29 July
  and 10 August" -> 29 July; "throughout July and August" -> July; a missing year
  comes from the end of the range ("29 July - 10 August 2020").
* A decade ("in the 1990s") resolves to its first year at year precision. An event
  date cannot say "a decade", so this is an approximation, and decades are *vague*
  mentions: :func:`event_date` uses them only when nothing better is there.
  Datelines ("MOSCOW, Oct 13 (Reuters) -", "(Sputnik - 13th October, 2022)") and
  dates of a source ("according to a statement issued on August 13") are vague too.
* Dates that modify a noun are *attributive*: "the 2008 war", "a Sunday incident",
  "Russia's 2014 annexation", "under the November 9 statement", "the ceasefire
  agreement of 12 August 2008". They date that noun, not the clause, so
  :func:`event_date` uses them only when ``near`` points into that noun phrase. After
  a preposition of time ("during the September 2022 clashes", "at a 2008 summit")
  they date the clause and count as ordinary mentions.
* Numeric dates: ISO ``2020-09-14``; ``14.09.2020`` and ``14/09/2020`` are read
  day-month-year (European order) unless only month-day-year is valid.
* Numbers that are not dates are ignored: "2,000 troops", "Resolution 2020/5",
  "UNSC Resolution 1244", times such as "10:30". A bare four-digit year counts only
  after a cue word ("in 2009", "since 2014", "by 2025", "spring 2020") or as a
  modifier ("the 2008 war"). "May" and "March" alone need a cue ("in May").
* "the previous day", "a day earlier", "the next day", "the same day", "two days
  later" count from the latest day-precision mention before them in the same
  text; with none they are not resolved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from equipoise.records import EventDate

__all__ = ["DateMention", "SLACK_DAYS", "event_date", "find_dates"]

SLACK_DAYS = 7
"""How far after the publication date a yearless date may fall and still count as
the current year when nothing in the clause points to the future."""


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in a text, resolved against the publication date."""

    start: int  # character offsets in the text passed in
    end: int
    date: EventDate  # for ranges: the start of the range
    text: str


# --------------------------------------------------------------------------- vocabulary

_MONTH_NUMBERS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_FULL_MONTHS = [n for n in _MONTH_NUMBERS if len(n) > 3 and n != "sept"] + ["may"]
_ABBREVIATIONS = ["sept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov",
                  "dec"]  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


def _cased(words: list[str]) -> str:
    """An alternation matching each word in Title case or UPPER case, longest first."""
    forms = []
    for word in sorted(set(words), key=len, reverse=True):
        forms += [word.title(), word.upper()]
    return "|".join(forms)


_FULL = _cased(_FULL_MONTHS)
_MONTH = rf"(?:(?:{_FULL})\b|(?:{_cased(_ABBREVIATIONS)})\b\.?)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_WEEKDAY = _cased(_WEEKDAYS)
_RANGE_SEP = r"\s*(?:-|–|—|to|and|&)\s*"

# Words after which a bare four-digit number is a year.
_YEAR_CUES = _words(
    "in since until till by during from through throughout before after early late "
    "mid of between around circa year years spring summer autumn fall winter end start "
    "beginning middle half quarter as"
)
# Words after which a four-digit number modifies a noun ("the 2008 war").
_DETERMINERS = _words("the a an its his her their our this that")
# Bare month names that are also common words need a cue before them.
_AMBIGUOUS_MONTHS = frozenset({"may", "march"})
_MONTH_CUES = _YEAR_CUES | {"last", "this", "next", "on", "and", "or", "to", "each", "every"}
_HOLIDAY_NAMES = _words("black good bloody super ash easter palm holy cyber maundy clean shrove")
_COUNT_NOUNS = (
    r"troops|soldiers|people|men|women|children|refugees|civilians|tons|tonnes|km|"
    r"kilometres|kilometers|miles|metres|meters|dollars|euros|rubles|roubles|units|"
    r"vehicles|tanks|missiles|votes|members|delegates|hectares|barrels|cases|deaths"
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_NUMBER = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# ------------------------------------------------------------------------------ regexes

# Cheap pre-checks: a text with no digit, no month name and none of these words holds
# no date that can be resolved. Plain substring tests are much faster than a regex.
_DIGIT = re.compile(r"\d")
_MONTH_STEMS = tuple(
    form for stem in _ABBREVIATIONS if len(stem) == 3 for form in (stem.title(), stem.upper())
) + ("May", "MAY")
_RELATIVE_WORDS = ("week", "month", "year", "ago", "tonight", "tomorrow", "christmas")
_DAY_WORDS = ("yesterday", "today", "this morning", "this afternoon", "this evening")


def _may_hold_date(text: str) -> bool:
    if _DIGIT.search(text) or any(stem in text for stem in _MONTH_STEMS):
        return True
    lower = text.lower()
    return "day" in lower or any(word in lower for word in _RELATIVE_WORDS)


_ISO = re.compile(r"(?<![\w./-])(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?![\w/-]|\.\d)")
_NUMERIC = re.compile(
    r"(?<![\w./:-])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\w/]|\.\d)"
)
_DAY_MONTH = re.compile(
    rf"(?<![\w.:,/$€£-])(?P<d>{_DAY})(?:{_RANGE_SEP}(?P<d2>{_DAY}))?\s+(?:of\s+)?"
    rf"(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR})(?![\d/]))?"
)
_MONTH_DAY = re.compile(
    rf"(?=[ADFJMNOS])(?P<m>{_MONTH})\s+(?:the\s+)?(?P<d>{_DAY})(?![\d:.,]\d|\d|%)"
    rf"(?:{_RANGE_SEP}(?P<d2>{_DAY})(?![\d:]))?(?:,?\s+(?P<y>{_YEAR})(?![\d/]))?"
)
_MONTH_YEAR = re.compile(
    rf"(?=[ADFJMNOS])(?P<m>{_MONTH})(?:\s+of)?,?\s+(?P<y>{_YEAR})(?![\d/]|[.,]\d)"
)
_BARE_MONTH = re.compile(
    rf"(?=[ADFJMNOSLlTtNn])(?:\b(?P<q>[Ll]ast|[Tt]his|[Nn]ext)\s+)?\b(?P<m>(?:{_FULL}))\b(?!\s*\d)"
)
_YEAR_ONLY = re.compile(
    rf"(?<![\w.,$€£/])(?<!\d-)(?P<y>{_YEAR})(?:\s*[-–]\s*(?:{_YEAR}|\d\d)\b)?"
    rf"(?![\w%/]|[.,]\d|-\d|\s+(?:{_COUNT_NOUNS})\b)"
)
_DECADE = re.compile(r"(?<![\w.,$€£/-])(?P<y>1[5-9]\d0|20\d0)['’]?s\b")
_WEEKDAY_RE = re.compile(
    rf"(?=[MTWFSLlTtNn])(?:\b(?P<q>[Ll]ast|[Tt]his|[Nn]ext)\s+)?\b(?P<w>{_WEEKDAY})\b"
    r"(?!\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Independent|Star|Tribune)\b)"
)
_RELATIVE = re.compile(
    r"\b(?:(?P<dby>the day before yesterday)"
    r"|(?P<yesterday>yesterday)"
    r"|(?P<today>today|tonight|this (?:morning|afternoon|evening))"
    r"|(?P<tomorrow>tomorrow)"
    r"|(?P<weekend>(?:last|this|over the|at the) weekend)"
    r"|(?:(?P<wq>earlier|later) )?(?P<week>(?P<wrel>last|this|next) week)"
    r"|(?:(?P<mq>earlier|later) )?(?P<month>(?P<mrel>last|this|next) month)"
    r"|(?:(?P<yq>earlier|later) )?(?P<year>(?P<yrel>last|this|next) year)"
    rf"|(?P<ago>(?P<n>{_NUMBER}) (?P<unit>day|week|month|year)s? ago)"
    r"|(?P<holiday>new year['’]s (?:eve|day)|christmas (?:eve|day))"
    r")\b",
    re.IGNORECASE,
)
_ANAPHORIC = re.compile(
    r"\b(?:(?P<prev>the (?:previous|preceding) day|a day earlier)"
    r"|(?P<next>the (?:next|following) day|a day later)"
    r"|(?P<same>the same day|that same day)"
    rf"|(?P<n>{_NUMBER}) days (?P<dir>later|earlier|afterwards))\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|shall|scheduled|slated|upcoming|set to|(?:is|are) to|(?:is|are) due|due to be|"
    r"expected to|plans? to|planning to|planned for|to be held|"
    r"to (?:meet|visit|hold|begin|start|take place|arrive|travel))\b|['’]ll\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;!?]|\.\s|—|–\s")
_LIST_BEFORE = re.compile(rf"(?:{_YEAR}|{_MONTH})\s*(?:,|and|or|to|until|till|through|-|–)\s*$")
# Attributive dates modify a noun ("the 2008 war", "a Sunday incident", "Russia's 2014
# annexation", "the agreement of 12 August 2008") rather than date the clause.
_DETERMINER_BEFORE = re.compile(
    r"(?:\b(?P<prep>[A-Za-z]+)\s+)?\b(?:the|a|an|its|his|her|their|our|this|that|these|those)"
    r"\s+$|\w['’]s\s+$",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(
    r"[ \t]+(?!(?:and|or|to|until|till|through|of|when|in|at|on|as|by|for|with|from|that|"
    r"which|after|before|is|was|were|are)\b)[A-Za-z]"
)
_DAY_FIRST = re.compile(r"\d{1,2}\D")  # "on the 13th of October the troops..."
_OF_BEFORE = re.compile(r"\b(?P<noun>[A-Za-z]+)\s+of\s+$")
_TEMPORAL_PREPOSITIONS = _words("during at in amid amidst throughout over within")
_TIME_NOUNS = _words(
    "night morning evening afternoon day days week weeks weekend end beginning start middle "
    "summer spring autumn fall winter month months year years half quarter part eve course "
    "period as"
)
# A dateline: "MOSCOW, Oct 13 (Reuters) -", "(Sputnik - 13th October, 2022)", "date 2021-09-04".
_DATELINE_AFTER = re.compile(r"\s*\)?\s*(?:\([^()]{1,40}\))?\s*[-–—]")
_DATELINE_LABEL = re.compile(r"\b(?:date|dated|published|update|updated|posted)\s*:?\s*(?:on\s+)?$",
                             re.IGNORECASE)  # fmt: skip
_CLAUSE_BARRIER = re.compile(
    r"\b(?:that|which|who|whom|whose|when|while|after|before|since|until|because|although|"
    r"though|whereas)\b|;"
)
# ... but "until" or "after" right before the date is its preposition ("last until May 12").
_TRAILING_PREPOSITION = re.compile(
    r"\b(?:after|before|since|until|till|when)\s+(?:on\s+|the\s+)?$", re.IGNORECASE
)
_COORDINATOR = re.compile(r"\b(?:and|but|while|whereas|then)\b|;")
# The date of a source, not of the event: "According to a statement issued on August 13, ..."
_SOURCE_BEFORE = re.compile(r"\b[Aa]ccording to\b[^,;:.!?()“”\"]*$")
_DATELINE_REACH = 80
_NP_REACH = 30  # how far after an attributive date the event trigger may be and still use it
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[\s,-]*$")
_NAME_BEFORE = re.compile(r"\b[A-Z][A-Za-z]*[ \t]$")  # "Russia Today", "USA Today"


# ------------------------------------------------------------------------------ helpers


_STRONG, _VAGUE, _ATTRIBUTIVE = 0, 1, 2


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    date: EventDate
    tier: int = 0  # _STRONG, _VAGUE or _ATTRIBUTIVE
    month: int | None = None  # set when the year was inferred, to re-resolve ranges
    day: int | None = None
    explicit_year: bool = True


def _month_number(token: str) -> int:
    return _MONTH_NUMBERS[token.rstrip(".").lower()]


def _day_number(token: str) -> int:
    return int(token.rstrip("stndrh"))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_date(year: int, month: int) -> EventDate:
    return EventDate(dt.date(year, month, 1), "month")


def _year_date(year: int) -> EventDate:
    return EventDate(dt.date(year, 1, 1), "year")


def _infer_day(month: int, day: int, published: dt.date, future: bool) -> dt.date | None:
    """The yearless ``day month`` nearest the publication date, as the conventions say."""
    slack = dt.timedelta(days=SLACK_DAYS)
    years = range(published.year - 1, published.year + 2)
    candidates = [d for d in (_safe_date(y, month, day) for y in years) if d is not None]
    if not candidates:  # 29 February near no leap year
        candidates = [
            d
            for d in (_safe_date(y, month, day) for y in range(published.year - 4, published.year))
            if d is not None
        ]
        return candidates[-1] if candidates else None
    if future:
        later = [d for d in candidates if d >= published - slack]
        if later:
            return later[0]
    earlier = [d for d in candidates if d <= published + slack]
    return earlier[-1] if earlier else candidates[0]


def _infer_month(month: int, published: dt.date, future: bool) -> dt.date:
    if future:
        year = published.year if month >= published.month else published.year + 1
    else:
        year = published.year if month <= published.month else published.year - 1
    return dt.date(year, month, 1)


def _weekday_date(weekday: int, qualifier: str, published: dt.date, future: bool) -> dt.date:
    back = (published.weekday() - weekday) % 7  # days since the most recent one (0 = today)
    qualifier = qualifier.lower()
    if qualifier == "last":
        return published - dt.timedelta(days=back or 7)
    if qualifier == "next":
        ahead = (weekday - published.weekday()) % 7
        return published + dt.timedelta(days=ahead or 7)
    if qualifier == "this":
        monday = published - dt.timedelta(days=published.weekday())
        return monday + dt.timedelta(days=weekday)
    if future and back:
        return published + dt.timedelta(days=7 - back)
    return published - dt.timedelta(days=back)


def _midpoint(first: dt.date, last: dt.date) -> dt.date:
    if last < first:
        return first
    return first + (last - first) // 2


def _looks_future(text: str, start: int) -> bool:
    """Does the clause just before ``start`` speak of the future?"""
    window = text[max(0, start - 100) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    return _FUTURE.search(window) is not None


def _word_before(text: str, start: int) -> str:
    match = _WORD_BEFORE.search(text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


# ------------------------------------------------------------------------------ scanning


def _scan(text: str, published: dt.date) -> list[_Found]:
    found: list[_Found] = []
    add = found.append
    lower = text.lower()
    has_digit = _DIGIT.search(text) is not None
    has_month = any(stem in text for stem in _MONTH_STEMS)
    has_day = "day" in lower  # weekdays, today, yesterday
    has_relative = any(word in lower for word in _RELATIVE_WORDS) or (
        has_day and any(word in lower for word in _DAY_WORDS)
    )

    if has_digit:
        for m in _ISO.finditer(text):
            date = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
            if date:
                add(_Found(m.start(), m.end(), EventDate(date, "day")))
        for m in _NUMERIC.finditer(text):
            a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
            date = _safe_date(year, b, a) or _safe_date(year, a, b)  # d.m.y first
            if date and 1500 <= year <= 2099:
                add(_Found(m.start(), m.end(), EventDate(date, "day")))
        for m in _YEAR_ONLY.finditer(text):
            before = text[max(0, m.start() - 30) : m.start()]
            word = _word_before(text, m.start())
            if (
                word in _YEAR_CUES
                or word in _DETERMINERS
                or before.endswith(("mid-", "'s ", "’s "))
                or _LIST_BEFORE.search(before)
            ):
                add(_Found(m.start(), m.end(), _year_date(int(m["y"]))))
        for m in _DECADE.finditer(text):
            add(_Found(m.start(), m.end(), _year_date(int(m["y"])), tier=_VAGUE))

    if has_digit and has_month:
        for regex in (_DAY_MONTH, _MONTH_DAY):
            for m in regex.finditer(text):
                month, day = _month_number(m["m"]), _day_number(m["d"])
                if m["y"]:
                    date = _safe_date(int(m["y"]), month, day)
                    if date:
                        add(_Found(m.start(), m.end(), EventDate(date, "day")))
                    continue
                future = _looks_future(text, m.start())
                date = _infer_day(month, day, published, future)
                if date:
                    add(_Found(m.start(), m.end(), EventDate(date, "day"), month=month, day=day,
                               explicit_year=False))  # fmt: skip
        for m in _MONTH_YEAR.finditer(text):
            add(_Found(m.start(), m.end(), _month_date(int(m["y"]), _month_number(m["m"]))))

    if has_month:
        for m in _BARE_MONTH.finditer(text):
            date = _resolve_bare_month(m, text, published)
            if date is not None:
                add(_Found(m.start(), m.end(), EventDate(date, "month"), month=date.month,
                           explicit_year=False))  # fmt: skip

    if has_day:
        for m in _WEEKDAY_RE.finditer(text):
            qualifier = m["q"] or ""
            if not qualifier and _word_before(text, m.start()) in _HOLIDAY_NAMES:
                continue  # "Good Friday", "Super Tuesday"
            weekday = _WEEKDAYS.index(m["w"].lower())
            future = not qualifier and _looks_future(text, m.start())
            date = _weekday_date(weekday, qualifier, published, future)
            add(_Found(m.start(), m.end(), EventDate(date, "day")))

    if has_relative:
        for m in _RELATIVE.finditer(text):
            resolved = _resolve_relative(m, text, published)
            if resolved is not None:
                add(_Found(m.start(), m.end(), resolved, explicit_year=m["holiday"] is None))

    return found


def _resolve_bare_month(m: re.Match[str], text: str, published: dt.date) -> dt.date | None:
    month = _month_number(m["m"])
    qualifier = (m["q"] or "").lower()
    if not qualifier and m["m"].lower() in _AMBIGUOUS_MONTHS:
        before = text[max(0, m.start() - 20) : m.start()]
        if _word_before(text, m.start()) not in _MONTH_CUES and not before.endswith("-"):
            return None  # "May" the verb or the name, "march" the verb
    if qualifier == "this":
        return dt.date(published.year, month, 1)
    if qualifier == "last":
        year = published.year if month < published.month else published.year - 1
        return dt.date(year, month, 1)
    if qualifier == "next":
        year = published.year if month > published.month else published.year + 1
        return dt.date(year, month, 1)
    return _infer_month(month, published, _looks_future(text, m.start()))


def _resolve_relative(m: re.Match[str], text: str, published: dt.date) -> EventDate | None:
    day = dt.timedelta(days=1)
    if m["dby"]:
        return EventDate(published - 2 * day, "day")
    if m["yesterday"]:
        return EventDate(published - day, "day")
    if m["today"]:
        if m["today"][0] == "T" and _NAME_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            return None  # "Russia Today", "USA Today": a name
        return EventDate(published, "day")
    if m["tomorrow"]:
        return EventDate(published + day, "day")
    monday = published - dt.timedelta(days=published.weekday())
    if m["weekend"]:
        saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7)
        return EventDate(saturday.replace(day=1), "month")
    if m["week"]:
        rel, qualifier = m["wrel"].lower(), (m["wq"] or "").lower()
        if rel == "last":
            mid = monday - 4 * day
        elif rel == "next":
            mid = monday + 10 * day
        elif qualifier == "earlier":
            mid = _midpoint(monday, published - day)
        elif qualifier == "later":
            mid = _midpoint(published + day, monday + 6 * day)
        else:
            mid = published
        return EventDate(mid.replace(day=1), "month")
    if m["month"]:
        delta = {"last": -1, "this": 0, "next": 1}[m["mrel"].lower()]
        return _month_date(*_shift_month(published.year, published.month, delta))
    if m["year"]:
        delta = {"last": -1, "this": 0, "next": 1}[m["yrel"].lower()]
        return _year_date(published.year + delta)
    if m["ago"]:
        n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"].lower()]
        unit = m["unit"].lower()
        if unit == "day":
            return EventDate(published - n * day, "day")
        if unit == "week":
            return EventDate((published - 7 * n * day).replace(day=1), "month")
        if unit == "month":
            return _month_date(*_shift_month(published.year, published.month, -n))
        return _year_date(published.year - n)
    if m["holiday"]:
        name = m["holiday"].lower().replace("’", "'")
        month, dom = {"new year's eve": (12, 31), "new year's day": (1, 1),
                      "christmas eve": (12, 24), "christmas day": (12, 25)}[name]  # fmt: skip
        date = _infer_day(month, dom, published, _looks_future(text, m.start()))
        return EventDate(date, "day") if date else None
    return None


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    """Keep the longest of overlapping matches (the earliest on a tie), in text order."""
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[_Found] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            if f.end - f.start > kept[-1].end - kept[-1].start:
                kept[-1] = f
            continue
        kept.append(f)
    return kept


_WEEKDAY_THEN_DATE = re.compile(r"\s*,?\s*\(?\s*$")
_RANGE_CONNECTOR = re.compile(r"\s*(?:-|–|—|to|until|till|through|and|or|&)\s*", re.IGNORECASE)
_SPAN_CONNECTOR = re.compile(r"\s*(?:-|–|—|to|until|till|through)\s*", re.IGNORECASE)
_RANGE_OPENER = re.compile(r"\b(?:between|from|throughout|during)\s*$", re.IGNORECASE)


def _combine(text: str, found: list[_Found]) -> list[_Found]:
    """Join "Friday, October 2" into one mention; resolve and join ranges."""
    out: list[_Found] = []
    i = 0
    while i < len(found):
        cur = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        gap = text[cur.end : nxt.start] if nxt else ""
        # A weekday followed by the explicit date: the explicit date wins.
        if (
            nxt is not None
            and _WEEKDAY_RE.fullmatch(text[cur.start : cur.end])
            and nxt.date.precision == "day"
            and _WEEKDAY_THEN_DATE.fullmatch(gap)
        ):
            end = nxt.end + 1 if text[nxt.end : nxt.end + 1] == ")" and "(" in gap else nxt.end
            out.append(_Found(cur.start, end, nxt.date, month=nxt.month, day=nxt.day,
                              explicit_year=nxt.explicit_year))  # fmt: skip
            i += 2
            continue
        if nxt is not None and _RANGE_CONNECTOR.fullmatch(gap):
            # The start of a range or list takes its year from the end.
            if not cur.explicit_year and nxt.explicit_year and cur.month is not None:
                end_date = nxt.date.value
                year = end_date.year - (1 if cur.month > end_date.month else 0)
                if cur.day is not None:
                    date = _safe_date(year, cur.month, cur.day)
                    if date:
                        cur.date = EventDate(date, "day")
                else:
                    cur.date = _month_date(year, cur.month)
                cur.explicit_year = True
            opened = _RANGE_OPENER.search(text[max(0, cur.start - 12) : cur.start])
            if _SPAN_CONNECTOR.fullmatch(gap) or opened:
                out.append(_Found(cur.start, nxt.end, cur.date, tier=min(cur.tier, nxt.tier)))
                i += 2
                continue
        out.append(cur)
        i += 1
    # Anaphoric expressions count from the latest day-precision mention before them.
    if "day" in text.lower() and _ANAPHORIC.search(text):
        out = _add_anaphoric(text, out)
    return out


def _add_anaphoric(text: str, found: list[_Found]) -> list[_Found]:
    taken = [(f.start, f.end) for f in found]
    extra = []
    for m in _ANAPHORIC.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        anchors = [f for f in found if f.end <= m.start() and f.date.precision == "day"]
        if not anchors:
            continue
        anchor = anchors[-1].date.value
        if m["prev"]:
            delta = -1
        elif m["next"]:
            delta = 1
        elif m["same"]:
            delta = 0
        else:
            n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"].lower()]
            delta = -n if m["dir"].lower() == "earlier" else n
        extra.append(_Found(m.start(), m.end(), EventDate(anchor + dt.timedelta(days=delta))))
    return sorted(found + extra, key=lambda f: f.start)


def _classify(text: str, found: list[_Found], published: dt.date) -> list[_Found]:
    """Mark datelines as vague and dates that modify a noun as attributive."""
    for f in found:
        if f.tier != _STRONG:
            continue
        before = text[max(0, f.start - 40) : f.start]
        if f.start < _DATELINE_REACH and _is_dateline(text, f, published):
            f.tier = _VAGUE
            continue
        det = _DETERMINER_BEFORE.search(before)
        if det and _NOUN_AFTER.match(text, f.end) and not _DAY_FIRST.match(text, f.start):
            prep = (det["prep"] or "").lower()
            if prep not in _TEMPORAL_PREPOSITIONS:
                f.tier = _ATTRIBUTIVE
            continue
        of = _OF_BEFORE.search(before)
        if of and of["noun"].lower() not in _TIME_NOUNS and of["noun"][0].islower():
            f.tier = _ATTRIBUTIVE
            continue
        if _SOURCE_BEFORE.search(text, max(0, f.start - 120), f.start):
            f.tier = _VAGUE  # "according to a statement on August 13": when the source spoke
    return found


def _is_dateline(text: str, f: _Found, published: dt.date) -> bool:
    if f.date.precision != "day":
        return False
    if not published - dt.timedelta(days=2) <= f.date.value <= published:
        return False
    before = text[: f.start]
    return bool(
        before.count("(") > before.count(")")
        or _DATELINE_AFTER.match(text, f.end)
        or _DATELINE_LABEL.search(before)
    )


def _mentions(text: str, published: dt.date) -> list[_Found]:
    if not _may_hold_date(text):
        return []
    found = _combine(text, _without_overlaps(_scan(text, published)))
    return _classify(text, found, published)


def _contains(outer: EventDate, inner: EventDate) -> bool:
    """Is ``inner`` a more precise date inside the period of ``outer``?"""
    rank = {"year": 0, "month": 1, "day": 2}
    if rank[inner.precision] <= rank[outer.precision]:
        return False
    a, b = outer.value, inner.value
    return a.year == b.year and (outer.precision == "year" or a.month == b.month)


def _choose(text: str, found: list[_Found], published: dt.date, near: int | None) -> _Found | None:
    strong = [f for f in found if f.tier == _STRONG]
    vague = [f for f in found if f.tier == _VAGUE]
    if near is None:
        # A date after publication is a plan ("will meet on Jan. 14"); what the article
        # reports as done by then is the intent, dated by other mentions or publication.
        past = [f for f in strong if f.date.value <= published]
        if not past:
            return None if strong else (vague[0] if vague else None)
        chosen = past[0]
        # "Last week ... last Friday": a later mention inside the first one's period
        # says the same more precisely.
        finer = [f for f in past[1:] if _contains(chosen.date, f.date)]
        return finer[0] if finer else chosen

    def distance(f: _Found) -> int:
        if near < f.start:
            return f.start - near
        if near >= f.end:
            return near - f.end + 1
        return 0

    def reachable(f: _Found) -> bool:
        """A date after the trigger must not sit in a clause opened after the trigger.

        "hosted talks on the deal that ended the war on November 10": the date belongs
        to the relative clause, not to "hosted". A date before the trigger may date a
        report of it ("On Friday, she said that troops are fighting") and is kept.
        """
        if f.start <= near:
            return True
        between = _TRAILING_PREPOSITION.sub("", text[near : f.start])
        return _CLAUSE_BARRIER.search(between) is None

    attributive = [
        f for f in found if f.tier == _ATTRIBUTIVE and f.start <= near <= f.end + _NP_REACH
    ]

    def same_conjunct(f: _Found) -> bool:
        """A date before the trigger, across "and", belongs to an earlier conjunct:
        "arrived on February 28 and presented credentials on March 26"."""
        return f.end > near or _COORDINATOR.search(text, f.end, near) is None

    eligible = [f for f in strong + attributive if reachable(f)]
    pool = [f for f in eligible if same_conjunct(f)] or eligible or vague
    return min(pool, key=distance) if pool else None


# ---------------------------------------------------------------------------------- API


def _as_date(published: dt.date) -> dt.date:
    """A datetime is a date too, but does not compare with one."""
    return published.date() if isinstance(published, dt.datetime) else published


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``published``, in text order."""
    published = _as_date(published)
    return [
        DateMention(f.start, f.end, f.date, text[f.start : f.end])
        for f in _mentions(text, published)
    ]


def event_date(text: str, published: dt.date, near: int | None = None) -> EventDate:
    """The best date for an event reported in ``text``.

    Without ``near``, the first mention that is not after the publication date wins
    (a date after it is a plan, reported as an intent on publication), unless a later
    mention says the same more precisely ("last week ... last Friday" -> the Friday).
    With ``near`` (the offset of the event's trigger word), the closest mention wins,
    leaving out dates in a clause opened after the trigger ("talks about the deal
    that ended the war on November 10"). Vague mentions (decades, datelines, dates of
    a source) count only when there is no other; attributive ones ("the 2008 war")
    only when ``near`` falls in or just after them. With nothing usable, the
    publication date at day precision.
    """
    published = _as_date(published)
    chosen = _choose(text, _mentions(text, published), published, near)
    return chosen.date if chosen else EventDate(published, "day")
