"""Event dates: the day an engagement took place, read from its sentence, the tense and the
publish date."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

import ahocorasick_rs

from citylinks.dates import MONTHS

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# A month's name or abbreviation, as a tree of letters (each tried at most once, the longer
# spelling first: "January" before "Jan", "Sept" before "Sep"), which is twice as fast as listing
# the 24 spellings. Capitalised only: "they may 5 times" is not May 5.
_MONTH = (
    r"(?:J(?:an(?:uary)?|u(?:ne|ly|n|l))|Feb(?:ruary)?|Ma(?:r(?:ch)?|y)|A(?:pr(?:il)?|ug(?:ust)?)"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR_NUMBER = r"(?:19|20)\d\d"
_UNTIL = r"\s*(?:[-–—]|to|until|till|through)\s*"
# A date as the press writes it, each part named. The lookahead names the characters a date can
# start with, so most positions fail at once.
DATE_MENTION = re.compile(
    r"(?=[JFMASONDTtYyW\d])(?:"
    # "March 21", "March 14th, 2019", "September 14-18", "November 28 to December 1, 2024"
    rf"\b(?P<mon>{_MONTH})\.?\s+(?P<day>{_DAY})\b(?!\s*:)"
    rf"(?:{_UNTIL}(?:(?P<mon_end>{_MONTH})\.?\s+)?(?P<day_end>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*:))?"
    rf"(?:,?\s+(?P<year>{_YEAR_NUMBER})\b)?"
    # "21 March", "14-18 September 2024"
    rf"|\b(?P<day2>{_DAY})(?:{_UNTIL}(?P<day2_end>{_DAY}))?\s+(?:of\s+)?(?P<mon2>{_MONTH})\b\.?"
    rf"(?:,?\s+(?P<year2>{_YEAR_NUMBER})\b)?"
    # "today", "yesterday [July 2]", "today (July 3)"
    r"|\b(?P<rel>[Tt]oday|[Yy]esterday|[Tt]omorrow)\b(?:\s*[\[(](?P<inner>[^\])]{3,30})[\])])?"
    # "on Tuesday", "last Friday"
    r"|\b(?P<weekday>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b)"
)
# A full date anywhere in an article, to find the year of a year-less one when there is no
# publish date ("on November 6" beside a caption's "November 6, 2024").
_FULL_DATE = re.compile(
    rf"\b(?P<mon>{_MONTH})\.?\s+(?P<day>{_DAY}),?\s+(?P<year>{_YEAR_NUMBER})\b"
    rf"|\b(?P<day2>{_DAY})\s+(?P<mon2>{_MONTH})\b\.?,?\s+(?P<year2>{_YEAR_NUMBER})\b"
)
# A word right before a date that makes it something other than the event's day: a deadline,
# the end of a stay, a start long ago.
_NOT_THE_EVENT = frozenset({"until", "till", "since", "by", "before", "after", "through"})
# Words right before a date or weekday that set its direction in time.
_AHEAD = frozenset({"next", "coming", "upcoming"})
_BEHIND = frozenset({"last", "past", "previous"})
# Words that set the tense a date is read in, found in the lowercased sentence: the future as
# news writes it ("will", "is scheduled to", "to be held"; "next", "upcoming"), and verbs of
# saying in the past: what follows one may be future ("said on Monday that the delegation will
# travel"), the date it governs is not.
_BE = ("is", "are", "was", "were", "be", "been")
_PLANNED = ("scheduled", "set", "due", "slated", "expected", "planned", "going", "poised", "about")
_TENSE_WORDS = {
    **dict.fromkeys(
        ["will", "shall", "'ll", "’ll", "plan to", "plans to", "planned for"]
        + [f"{be} {planned} to" for be in _BE for planned in _PLANNED]
        + [f"{planned} {on}" for planned in ("scheduled", "slated", "set") for on in ("for", "on")]
        + [f"to be {done}" for done in ("held", "organised", "organized", "signed", "opened")],
        "will",
    ),
    **dict.fromkeys(["next", "upcoming", "forthcoming"], "next"),
    **dict.fromkeys(
        "said told announced noted stated added affirmed stressed emphasised emphasized "
        "confirmed revealed reported explained highlighted informed declared wrote agreed "
        "underlined".split(),
        "said",
    ),
}
_TENSE_FINDER = ahocorasick_rs.AhoCorasick(
    list(_TENSE_WORDS), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
)
_TENSE_KINDS = tuple(_TENSE_WORDS.values())
# Where the clause after a date ends: a future verb past it is another clause's.
_CLAUSE_END = re.compile(r"[,;(]|\b(?:that|which|who|where|when|while|as|and)\b")


class EventDate(NamedTuple):
    """An event's first day and, for a range, its last day ('YYYY-MM-DD'; '' when unknown)."""

    start: str = ""
    end: str = ""


def find_event_date(sentence: str, published: str, *, context: str = "") -> EventDate:
    """Return the date a sentence gives for its event: the first date in it that is not a
    deadline or a start long ago ("until March 7", "since 2013").

    A date with its year is taken as written. A date without a year, or a weekday, is the nearest
    such day on or before the publish date, or on or after it when the sentence speaks of the
    future ("will", "is scheduled to", "next", "upcoming"), so never a year away. "today" and
    "yesterday" count from the publish date, a date in brackets after them wins ("today [July
    3]"), as does a date after a weekday ("on Tuesday (July 2)"). A range gives its first and
    last day. With no publish date, a year-less date takes its year only from a full date of the
    same day in `context` (the article), else stays empty."""
    pub = parse_published(published)
    mentions = DATE_MENTION.finditer(sentence)  # read lazily: most sentences hold one date
    m = next(mentions, None)
    while m is not None:
        following = next(mentions, None) if m["weekday"] else None
        if following is not None and following.start() - m.end() <= 3:
            m = following  # "Tuesday, July 2", "Tuesday (July 2)": the date says it
            continue
        if _word_before(sentence, m.start()) not in _NOT_THE_EVENT:
            # the tense matters only for a day without its year, read against a publish date
            undated = pub is not None and not (m["year"] or m["year2"] or m["rel"])
            future = undated and speaks_of_future(sentence, m.start(), m.end())
            when = _resolve(m, pub, future=future, context=context)
            if when.start:
                return when
        m = following if following is not None else next(mentions, None)
    return EventDate()


def speaks_of_future(sentence: str, start: int, end: int) -> bool:
    """True when the date at sentence[start:end] is ahead of the writer: "next" or "coming"
    before it, or a future marker before it (and after any verb of saying) or just after it."""
    before = _word_before(sentence, start)
    if before in _AHEAD:
        return True
    if before in _BEHIND:
        return False
    marks = _tense_marks(sentence.lower())
    ahead = [s for s, e, kind in marks if e <= start and kind != "said"]
    said = [s for s, e, kind in marks if e <= start and kind == "said"]
    if ahead or said:
        return bool(ahead) and (not said or ahead[-1] > said[-1])
    # "On March 3, the delegation will travel": the clause after the date.
    after = end + len(sentence[end:]) - len(sentence[end:].lstrip(" ,"))
    stop = _CLAUSE_END.search(sentence, after)
    stop = stop.start() if stop else len(sentence)
    return any(after <= s < stop and kind == "will" for s, _e, kind in marks)


def _tense_marks(low: str) -> list[tuple[int, int, str]]:
    # (start, end, "will" | "next" | "said") of each tense word of a lowercased sentence.
    out = []
    for index, s, e in _TENSE_FINDER.find_matches_as_indexes(low):
        if (s and low[s - 1].isalnum() and low[s] not in "'’") or (
            e < len(low) and low[e].isalnum()
        ):
            continue
        out.append((s, e, _TENSE_KINDS[index]))
    return out


def parse_published(value) -> date | None:
    """The publish date of an article ('YYYY-MM-DD...'), None when absent or not a date."""
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def nearest_day(pub: date, month: int, day: int, *, future: bool) -> date | None:
    """The date of this month and day nearest to `pub`: on or before it, or on or after it for
    the future; None when there is no such day (February 30)."""
    for year in (pub.year, pub.year + (1 if future else -1)):
        try:
            when = date(year, month, day)
        except ValueError:
            continue
        if (when >= pub) if future else (when <= pub):
            return when
    # February 29 of a leap year, four years away at most: more than a year from `pub`.
    return None


def nearest_weekday(pub: date, weekday: int, *, future: bool) -> date:
    """The day of this weekday (Monday = 0) nearest to `pub`, on or before it or, for the
    future, on or after it."""
    shift = (weekday - pub.weekday()) % 7 if future else -((pub.weekday() - weekday) % 7)
    return pub + timedelta(days=shift)


def _resolve(m: re.Match, pub: date | None, *, future: bool, context: str) -> EventDate:
    # One date mention as an EventDate.
    if m["rel"]:
        inner = next(DATE_MENTION.finditer(m["inner"] or ""), None)
        if inner is not None and not inner["rel"]:
            # The bracket says which day "today" was: the nearest such day, either side.
            if pub is None:
                return _resolve(inner, None, future=False, context=context)
            either = [_resolve(inner, pub, future=f, context=context) for f in (False, True)]
            either = [x for x in either if x.start]
            if either:
                return min(either, key=lambda x: abs(date.fromisoformat(x.start) - pub))
        if pub is None:
            return EventDate()
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[m["rel"].lower()]
        return EventDate((pub + timedelta(days=shift)).isoformat())
    if m["weekday"]:
        if pub is None:
            return EventDate()
        weekday = WEEKDAYS.index(m["weekday"].lower())
        return EventDate(nearest_weekday(pub, weekday, future=future).isoformat())
    if m["mon"]:
        month, day, year = _month(m["mon"]), _number(m["day"]), m["year"]
        end_month = _month(m["mon_end"]) if m["mon_end"] else month
        end_day = _number(m["day_end"]) if m["day_end"] else 0
    else:
        month, day, year = _month(m["mon2"]), _number(m["day2"]), m["year2"]
        end_month, end_day = month, _number(m["day2_end"]) if m["day2_end"] else 0
    if end_month == month and end_day <= day:
        end_day = 0  # "March 21-3" is not a range
    start = _start_day(month, day, year, end_month, end_day, pub, future=future, context=context)
    if start is None:
        return EventDate()
    end = _end_day(start, end_month, end_day) if end_day else None
    return EventDate(start.isoformat(), end.isoformat() if end else "")


def _start_day(month, day, year, end_month, end_day, pub, *, future, context) -> date | None:
    # The first day of a date or range: as written when the year is given (the year written
    # after a range is its last day's), else the nearest such day to the publish date.
    try:
        if year:
            when = date(int(year), month, day)
            if end_day and end_month < month:  # "December 30 to January 2, 2025"
                when = date(int(year) - 1, month, day)
            return when
        if pub is None:
            return _year_from_context(context, month, day)
        return nearest_day(pub, month, day, future=future)
    except ValueError:
        return None


def _end_day(start: date, month: int, day: int) -> date | None:
    # The last day of a range: the first such day after its start.
    for year in (start.year, start.year + 1):
        try:
            when = date(year, month, day)
        except ValueError:
            return None
        if when > start:
            return when
    return None


def _year_from_context(context: str, month: int, day: int) -> date | None:
    # The same month and day written with its year elsewhere in the article.
    if not context:
        return None
    for m in _FULL_DATE.finditer(context):
        if m["mon"]:
            found = (_month(m["mon"]), _number(m["day"]), m["year"])
        else:
            found = (_month(m["mon2"]), _number(m["day2"]), m["year2"])
        if found[:2] == (month, day):
            try:
                return date(int(found[2]), month, day)
            except ValueError:
                return None
    return None


def _month(name: str) -> int:
    return MONTHS[name.lower()]


def _number(day: str) -> int:
    return int(day.rstrip("stndrh"))


def _word_before(text: str, pos: int) -> str:
    """The word before `pos`, lowercased, without punctuation ('' at the start)."""
    words = text[max(0, pos - 24) : pos].split()
    return words[-1].strip(".,;:()[]\"'’“”").lower() if words else ""
