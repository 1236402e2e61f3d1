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
    # "21 March 2024"
    (
        "DD Month YYYY",
        re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s+(?P<y>\d{{4}})\b", re.I),
    ),
    # Day first, as Vietnamese outlets print it: 22/03/2024, 22-03-2024, 22.03.2024
    (
        "DD/MM/YYYY",
        re.compile(
            r"(?<![\d/])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d{2})(?![\d/])"
        ),
    ),
]

# A byline or date line is short: the date, maybe a time, authors and a word like "Updated".
MAX_DATE_LINE_CHARS = 140
MAX_DATE_LINE_WORDS = 14


@dataclass(frozen=True)
class FoundDate:
    """A date found in a line: the value (None when impossible), its text and format."""

    value: date | None
    text: str
    fmt: str
    start: int
    end: int
    problem: str = ""


def find_date(line: str) -> FoundDate | None:
    """Return the first date in a line in a recognised format, or None."""
    best = None
    for fmt, pattern in DATE_PATTERNS:
        m = pattern.search(line)
        if m and (best is None or m.start() < best.start()):
            best, best_fmt = m, fmt
    if best is None:
        return None
    parts = best.groupdict()
    month = MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
    try:
        value = date(int(parts["y"]), month, int(parts["d"]))
        problem = ""
    except ValueError:
        value = None
        problem = f"'{best.group(0)}' is not a real date"
    return FoundDate(value, best.group(0), best_fmt, best.start(), best.end(), problem)


def is_date_line(line: str) -> FoundDate | None:
    """Return the date if the line is a byline or dateline (short, mostly a date), else None."""
    text = line.strip()
    if not text or len(text) > MAX_DATE_LINE_CHARS:
        return None
    found = find_date(text)
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
