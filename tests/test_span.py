"""The densest window of a series, and the dashboard's opening view."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from equipoise.analysis.span import densest_span, sensible_freq


def test_a_few_old_mentions_do_not_stretch_the_window():
    dates = pd.Series(["1991-05-01", "1994-01-01"] + [f"2020-{m:02d}-15" for m in range(1, 13)])
    assert densest_span(dates, 0.8) == (dt.date(2020, 1, 15), dt.date(2020, 12, 15))
    assert densest_span(dates, 1.0) == (dt.date(1991, 5, 1), dt.date(2020, 12, 15))


def test_no_dates_no_window_and_a_bad_share_is_refused():
    assert densest_span(pd.Series([], dtype=object)) is None
    with pytest.raises(ValueError, match="share"):
        densest_span(pd.Series(["2020-01-01"]), 0)


@pytest.mark.parametrize(("first", "last", "freq"), [
    ((2020, 1, 1), (2021, 12, 31), "month"),
    ((2020, 1, 1), (2022, 1, 1), "quarter"),
    ((2012, 1, 1), (2019, 12, 31), "quarter"),
    ((2000, 1, 1), (2020, 1, 1), "year"),
])
def test_the_frequency_follows_the_window(first, last, freq):
    assert sensible_freq(dt.date(*first), dt.date(*last)) == freq
