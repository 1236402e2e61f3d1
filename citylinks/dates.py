"""Publish dates: recognise the date formats news sites print, and nothing invented."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"

# Each pattern names its parts; order matters only for lines holding two dates.
DATE_PATTERNS = [
    # "15:37, 2024/03/22" (Hanoi Times byline)
    (
        "HH:MM, YYYY/MM/DD",
        re.compile(rf"{_TIME},?\s*(?P<y>\d{{4}})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})"),
    ),
    ("YYYY/MM/DD", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)")),
    # ISO 8601, with or without time: 2024-03-22, 2024-03-22T10:00:00+07:00
    ("ISO", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")),
    # "Nov 06, 2024 / 16:06", "March 21, 2024"
    (
        "Month DD, YYYY",
        re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.I),
    ),
    # "21 March 2024", also glued to a byline's initials: "by H.L24 October 2019"
    (
        "DD Month YYYY",
        re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s+(?P<y>\d{{4}})\b", re.I
        ),
    ),
    # Day first, as Vietnamese outlets print it: 22/03/2024, 22-03-2024, 22.03.2024
    (
        "DD/MM/YYYY",
        re.compile(
            r"(?<![\d/])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d{2})(?![\d/])"
        ),
    ),
]

_YEAR = re.compile(r"\d{4}")

# A byline or date line is short: the date, maybe a time, authors and a word like "Updated".
MAX_DATE_LINE_CHARS = 140
MAX_DATE_LINE_WORDS = 14


# A label saying a date is a later revision, not the first publication.
UPDATE_LABEL = re.compile(r"(?:last\s+)?(?:updated?|modified|edited|revised)|cập nhật", re.I)


_MAY_BE_UPDATE = re.compile(r"dat|dif|dit|vis|nhật", re.I)  # a quick look before UPDATE_LABEL


@dataclass(frozen=True)
class FoundDate:
    """A date found in a line: the value (None when impossible), its text and format.

    `ambiguous` says that day and month could be swapped (both 12 or less: "04/02/2025");
    `updated` that a label such as "Last updated" stands before it."""

    value: date | None
    text: str
    fmt: str
    start: int
    end: int
    problem: str = ""
    ambiguous: bool = False
    updated: bool = False


def _found(m: re.Match, fmt: str, *, month_first: bool, updated: bool = False) -> FoundDate:
    parts = m.groupdict()
    ambiguous = False
    if parts.get("mon"):
        day, month = int(parts["d"]), MONTHS[parts["mon"].lower()]
    else:
        day, month = int(parts["d"]), int(parts["m"])
        if fmt == "DD/MM/YYYY":
            ambiguous = day <= 12 and month <= 12 and day != month
            # Day first unless the outlet is known to print month first; a reading that is
            # impossible one way ("13/04") is taken the other way.
            if (month_first and day <= 12) or month > 12:
                day, month = month, day
    try:
        value, problem = date(int(parts["y"]), month, day), ""
    except ValueError:
        value, problem = None, f"'{m.group(0)}' is not a real date"
    return FoundDate(value, m.group(0), fmt, m.start(), m.end(), problem, ambiguous, updated)


def find_date(line: str, *, month_first: bool = False) -> FoundDate | None:
    """Return the first date in a line in a recognised format, or None.

    Numeric dates are read day first ("04/02/2025" is 4 February), as Vietnamese outlets print
    them, unless `month_first`."""
    if not _YEAR.search(line):
        return None  # every format has a four-digit year: one quick look spares six
    best = None
    for fmt, pattern in DATE_PATTERNS:
        m = pattern.search(line)
        if m and (best is None or m.start() < best.start()):
            best, best_fmt = m, fmt
    if best is None:
        return None
    return _found(best, best_fmt, month_first=month_first)


def find_publish_date(line: str, *, month_first: bool = False) -> FoundDate | None:
    """Return the date of first publication a line shows: its first date not labelled as an
    update ("Posted 03/05/2024 | Last updated 05/05/2024" gives 3 May), else its first date."""
    first = find_date(line, month_first=month_first)
    if first is None or not _MAY_BE_UPDATE.search(line):
        return first
    found = []
    for fmt, pattern in DATE_PATTERNS:
        for m in pattern.finditer(line):
            if not any(m.start() < f.end() and f.start() < m.end() for f, _ in found):
                found.append((m, fmt))
    found.sort(key=lambda pair: pair[0].start())
    dates, since = [], 0
    for m, fmt in found:
        label = UPDATE_LABEL.search(line, since, m.start())
        dates.append(_found(m, fmt, month_first=month_first, updated=label is not None))
        since = m.end()
    return next((d for d in dates if not d.updated), dates[0])


def is_date_line(line: str, *, month_first: bool = False) -> FoundDate | None:
    """Return the date if the line is a byline or dateline (short, mostly a date), else None."""
    text = line.strip()
    if not text or len(text) > MAX_DATE_LINE_CHARS:
        return None
    found = find_publish_date(text, month_first=month_first)
    if found is None:
        return None
    rest = (text[: found.start] + " " + text[found.end :]).strip(" ,/|-–—·")
    if len(rest.split()) > MAX_DATE_LINE_WORDS or rest.endswith((".", "?", "!")):
        return None
    return found


def parse_iso_date(value: str) -> date | None:
    """Parse a 'YYYY-MM-DD' string from a metadata file; None when it is not one."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", value or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
