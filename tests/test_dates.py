"""Date recognition: the formats news sites print, and lines that are not bylines."""

from datetime import date

import pytest

from citylinks.dates import find_date, is_date_line, parse_iso_date


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
