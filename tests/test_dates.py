"""Date recognition: the formats news sites print, and lines that are not bylines."""

from datetime import date

import pytest

from citylinks.dates import find_date, find_publish_date, is_date_line, parse_iso_date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ngoc Mai 15:37, 2024/03/22", date(2024, 3, 22)),  # Hanoi Times byline
        ("Ngoc Mai - Van Ha 20:20, 2023/12/18", date(2023, 12, 18)),
        ("Nov 06, 2024 / 16:06", date(2024, 11, 6)),  # the other Hanoi Times format
        ("Oct 27, 2023 / 22:06", date(2023, 10, 27)),
        ("2024-03-22T10:00:00+07:00", date(2024, 3, 22)),  # ISO
        ("Published: 2024-03-22", date(2024, 3, 22)),
        ("March 21, 2024", date(2024, 3, 21)),
        ("Updated September 3rd, 2024 08:15", date(2024, 9, 3)),
        ("21 March 2024", date(2024, 3, 21)),
        ("22/03/2024 10:05 GMT+7", date(2024, 3, 22)),  # day first, Vietnamese style
        ("Thứ sáu, 05/04/2024", date(2024, 4, 5)),
        ("By Lien Ha 05.04.2024", date(2024, 4, 5)),
        ("by T.N18 November 2019 Last updated at 16:48 PM", date(2019, 11, 18)),  # glued
        ("Publish date 14/03/2024 | 10:11 AM | View count: 14", date(2024, 3, 14)),
        ("Friday, 23:11, 03/07/2015", date(2015, 7, 3)),  # weekday, time, day first
        ("May 09, 2024 8:52 AM GMT+7", date(2024, 5, 9)),
        ("June 21, 2024 9:05 AM GMT+7", date(2024, 6, 21)),
        ("January 15, 2020 | 19:45 (GMT+7)", date(2020, 1, 15)),
        ("August 9, 2019, 03:12 GMT", date(2019, 8, 9)),
        ("2018-05-10 14:30:48", date(2018, 5, 10)),
        ("Thứ Ba, 12/11/2024 16:20", date(2024, 11, 12)),
        ("Posted 03/05/2024 | Last updated 05/05/2024", date(2024, 5, 3)),
        ("Updated: 05/05/2024, Published: 03/05/2024", date(2024, 5, 3)),  # first publication
    ],
)
def test_byline_dates_are_recognised(line, expected):
    found = is_date_line(line)
    assert found is not None and found.value == expected


@pytest.mark.parametrize(
    "line",
    [
        # a body sentence that carries a date is not a byline
        "Dinh Tien Dung made the remarks during a meeting with Guo Yonghang on March 21, 2024, "
        "in Hanoi, according to the city's press office.",
        "Hanoi celebrates 15 years of administrative boundary adjustment",
        "The plan runs 2021-2030 with a vision to 2050.",
        "",
        "VIETNAM, March 11 -",  # no year: not a publish date
        "VIETNAM, August 9 -",
        "14 Aug, 10:05",  # a related-news stamp without a year
        "03 Jul, 16:40",
        "Hanoi, Lisbon to share riverside renewal experience",
    ],
)
def test_lines_that_are_not_bylines(line):
    assert is_date_line(line) is None


def test_impossible_date_is_found_but_has_no_value():
    found = find_date("Ngoc Mai 15:37, 2024/02/31")
    assert found.value is None and "not a real date" in found.problem


def test_day_first_is_not_read_month_first():
    assert find_date("05/04/2024").value == date(2024, 4, 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024-03-22", date(2024, 3, 22)), ("2024-13-01", None), ("22/03/2024", None), ("", None)],
)
def test_parse_iso_date(value, expected):
    assert parse_iso_date(value) == expected


@pytest.mark.parametrize(
    ("line", "month_first", "expected", "ambiguous"),
    [
        ("04/02/2025", False, date(2025, 2, 4), True),  # day first, noted as ambiguous
        ("04/02/2025", True, date(2025, 4, 2), True),  # an outlet known to print month first
        ("24/02/2025", True, date(2025, 2, 24), False),  # no month 24: day first whatever
        ("12/12/2024", False, date(2024, 12, 12), False),  # both readings the same
        ("March 4, 2025", True, date(2025, 3, 4), False),  # a month name is never ambiguous
    ],
)
def test_day_and_month_order(line, month_first, expected, ambiguous):
    found = find_date(line, month_first=month_first)
    assert (found.value, found.ambiguous) == (expected, ambiguous)


def test_only_a_last_updated_date_is_marked_as_such():
    found = find_publish_date("Last updated: 05/05/2024")
    assert found.value == date(2024, 5, 5) and found.updated
    assert not find_publish_date("Posted 03/05/2024 | Last updated 05/05/2024").updated
