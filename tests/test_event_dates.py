"""Event dates: dates, weekdays, ranges and "today [..]" read against the publish date and tense."""

import random
import re
from datetime import date

import pytest

from citylinks.event_dates import (
    DATE_MENTION,
    EventDate,
    find_event_date,
    nearest_day,
    nearest_weekday,
    speaks_of_future,
)


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # a date without a year: the nearest such day on or before publication (the past)
        ("during a meeting on March 21.", "2024-03-22", ("2024-03-21", "")),
        ("met the ambassador on Oct 27.", "2023-10-27", ("2023-10-27", "")),
        ("a delegation, on November 5.", "2024-11-06", ("2024-11-05", "")),
        ("signed on December 30.", "2024-01-03", ("2023-12-30", "")),  # never after publication
        ("The mayor said on June 13.", "2025-01-17", ("2024-06-13", "")),
        # ... and on or after it for the future
        ("The delegation will travel to Shanghai on January 18.", "2025-01-17", ("2025-01-18", "")),
        ("The forum is scheduled to open on January 5.", "2024-12-20", ("2025-01-05", "")),
        ("The upcoming festival on March 3 will", "2025-02-04", ("2025-03-03", "")),
        ("On March 3, the delegation will visit Seoul.", "2025-02-01", ("2025-03-03", "")),
        # a verb of saying governs the date before a future clause
        ("The city said on Monday that it will send a delegation", "2025-01-01", ("2024-12-30", "")),
        ("On March 3, the city signed an MoU that will last", "2025-04-01", ("2025-03-03", "")),
        # weekdays, near a year boundary too (2025-01-01 is a Wednesday)
        ("Hanoi and Ulaanbaatar agreed on Thursday to widen ties", "2019-08-09", ("2019-08-08", "")),
        ("The two cities on Tuesday signed a programme", "2019-10-24", ("2019-10-22", "")),
        ("The two sides met on Friday.", "2025-01-01", ("2024-12-27", "")),
        ("The delegation will arrive on Friday.", "2024-12-30", ("2025-01-03", "")),
        ("They meet again next Friday.", "2024-12-31", ("2025-01-03", "")),
        ("They met last Wednesday.", "2025-01-01", ("2025-01-01", "")),  # the same day counts
        ("The talks were held on Tuesday (July 2).", "2024-07-05", ("2024-07-02", "")),
        ("The talks were held on Tuesday, July 2, in Seoul.", "2024-07-05", ("2024-07-02", "")),
        # today / yesterday, and the date the writer puts in brackets
        ("made the remarks today [April 2] during", "2024-04-02", ("2024-04-02", "")),
        ("made the remarks today [July 3] during", "2024-07-04", ("2024-07-03", "")),
        ("made the remarks today [December 31]", "2025-01-01", ("2024-12-31", "")),
        ("said yesterday.", "2024-03-22", ("2024-03-21", "")),
        ("told the delegation today [September 24].", "", ("", "")),  # no publish date
        # ranges: the first day, and the last one kept
        ("is on a working visit to Mongolia from August 6 to 10.", "2019-08-09",
         ("2019-08-06", "2019-08-10")),
        ("The fair runs September 14-18.", "2024-09-20", ("2024-09-14", "2024-09-18")),
        ("will be held from November 28 to December 1.", "2024-11-20",
         ("2024-11-28", "2024-12-01")),
        ("will be held from December 30 to January 2.", "2024-12-01",
         ("2024-12-30", "2025-01-02")),
        ("held on 14-18 September 2024.", "2025-01-01", ("2024-09-14", "2024-09-18")),
        ("from December 30, 2024 to January 2, 2025", "2025-03-01", ("2024-12-30", "")),
        # a year in the text wins, however far from publication
        ("signed on 21 March 2023.", "2024-03-22", ("2023-03-21", "")),
        ("On March 14th, 2019, the two sides signed", "", ("2019-03-14", "")),
        ("held from December 30 to January 2, 2025", "2024-06-01", ("2024-12-30", "2025-01-02")),
        # not the event's day: a deadline, the end of a stay
        ("will stay in Italy until March 7", "2025-02-04", ("", "")),
        ("must be done by March 7, and talks will open on March 3", "2025-02-04",
         ("2025-03-03", "")),
        # no day, no date; words that only look like dates
        ("a workshop in September 2023.", "2024-03-22", ("", "")),
        ("they may 5 times a year", "2024-03-22", ("", "")),
        ("The 21 Mayors met.", "2024-03-22", ("", "")),
        ("strategic partners since 2013", "2024-03-22", ("", "")),
        ("next summer", "2024-03-22", ("", "")),
        ("on March 21.", "", ("", "")),  # no publish date: the year is unknown
        ("on Tuesday.", "", ("", "")),
        ("on February 30.", "2024-03-22", ("", "")),
        ("March 21-3", "2024-03-22", ("2024-03-21", "")),  # not a range
    ],
)  # fmt: skip
def test_event_dates(sentence, published, expected):
    assert find_event_date(sentence, published) == EventDate(*expected)


@pytest.mark.parametrize(
    ("sentence", "context", "expected"),
    [
        # no publish date: the year of the same day written in full elsewhere in the article
        ("on November 6 received a delegation", "in Hanoi on November 6, 2024 (Source", "2024-11-06"),
        ("on November 6 received a delegation", "on 6 November 2024.", "2024-11-06"),
        ("on November 6 received a delegation", "on November 7, 2024.", ""),
        ("today [June 15]", "a document dated June 15, 2023", "2023-06-15"),
    ],
)  # fmt: skip
def test_a_year_from_the_article_when_there_is_no_publish_date(sentence, context, expected):
    assert find_event_date(sentence, "", context=context).start == expected


def test_the_year_from_the_article_is_not_used_beside_a_publish_date():
    found = find_event_date("on November 6", "2025-11-20", context="November 6, 2019")
    assert found.start == "2025-11-06"


@pytest.mark.parametrize(
    ("sentence", "future"),
    [
        ("The delegation will travel to Rome on", True),
        ("The delegation is scheduled to arrive on", True),
        ("The forum, to be held on", True),
        ("Officials said the delegation will arrive on", True),
        ("The city announced on", False),
        ("The delegation will stay, officials said on", False),
        ("The two sides met on", False),
        ("They meet next", True),
    ],
)
def test_tense(sentence, future):
    assert speaks_of_future(sentence + " Friday", len(sentence) + 1, len(sentence) + 7) is future


@pytest.mark.parametrize(
    ("published", "weekday", "future", "expected"),
    [
        ("2025-01-01", 0, False, "2024-12-30"),  # Wednesday -> the Monday before
        ("2025-01-01", 0, True, "2025-01-06"),
        ("2025-01-01", 2, False, "2025-01-01"),
        ("2024-12-31", 4, True, "2025-01-03"),
    ],
)
def test_nearest_weekday(published, weekday, future, expected):
    found = nearest_weekday(date.fromisoformat(published), weekday, future=future)
    assert found.isoformat() == expected


def test_nearest_day_is_never_a_year_away():
    pub = date(2024, 3, 1)
    assert nearest_day(pub, 2, 29, future=False) == date(2024, 2, 29)
    assert nearest_day(pub, 2, 29, future=True) is None  # the next is in 2028
    assert nearest_day(pub, 3, 1, future=True) == pub
    assert nearest_day(pub, 4, 31, future=False) is None


# The date pattern, written the plain way: the faster one must match exactly where and what this
# one matches.
_PLAIN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_PLAIN_UNTIL = r"\s*(?:[-–—]|to|until|till|through)\s*"
_PLAIN_DATE = (
    rf"\b(?P<mon>{_PLAIN_MONTH})\.?\s+(?P<day>\d{{1,2}}(?:st|nd|rd|th)?)\b(?!\s*:)"
    rf"(?:{_PLAIN_UNTIL}(?:(?P<mon_end>{_PLAIN_MONTH})\.?\s+)?(?P<day_end>\d{{1,2}})"
    r"(?:st|nd|rd|th)?\b(?!\s*:))?(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<day2>\d{{1,2}}(?:st|nd|rd|th)?)(?:{_PLAIN_UNTIL}(?P<day2_end>\d{{1,2}}"
    rf"(?:st|nd|rd|th)?))?\s+(?:of\s+)?(?P<mon2>{_PLAIN_MONTH})\b\.?(?:,?\s+(?P<year2>(?:19|20)\d\d)\b)?"
    r"|\b(?P<rel>[Tt]oday|[Yy]esterday|[Tt]omorrow)\b(?:\s*[\[(](?P<inner>[^\])]{3,30})[\])])?"
    r"|\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


def test_dates_are_found_as_the_plain_pattern_finds_them(seed_files):
    plain = re.compile(_PLAIN_DATE)
    pieces = ["January", "Jan.", "June", "Jun", "July", "Sept.", "Sep", "September", "March",
              "Marc", "May", "Mayor", "Decem", "Today", "yesterday", "Yesterdays", "Tuesday",
              "Fridays", "1", "12", "123", "3rd", "2024", "-", "–", "to", "until", "of", ",", " ",
              "14-18", "6–10th", "2 to 5", "1st until 3",
              "  ", "\n", " :", "(", "[Nov 6]", "(October 5, 2023)", "x", "é"]  # fmt: skip
    rng = random.Random(4)
    texts = [path.read_text(encoding="utf-8") for path in seed_files]
    texts += [" ".join(rng.choices(pieces, k=rng.randrange(1, 9))) for _ in range(5000)]
    dated = ranges = 0
    for text in texts:
        expected = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in DATE_MENTION.finditer(text)] == expected, text
        dated += bool(expected)
        ranges += any(d["day_end"] or d["day2_end"] for _span, d in expected)
    assert dated > 1000 and ranges > 50  # the random texts hold dates of every kind
