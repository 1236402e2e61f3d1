"""Engagements: what each article's counterparts do with Hanoi (type, event date, sectors)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import date, timedelta

import ahocorasick_rs

from citylinks.article import ArticleView
from citylinks.dates import MONTHS

# Words that show an engagement (found in the lowercased text); the type each one says.
CUES = {
    "meeting": "meet meets met meeting meetings talks received receives receive receiving "
    "reception hosted hosts hosting host working-session courtesy-call",
    "visit": "visit visits visited visiting delegation delegations trip",
    "conference": "conference conferences forum summit workshop seminar symposium congress expo",
    "agreement": "agreement agreements mou mous memorandum memoranda accord sign signs signed "
    "signing twinning sister-city sister-cities pact",
}
# Words that may start a signing ("signed an MoU").
_SIGN_WORDS = ["signed", "inked", "signing"]
# An agreement that was signed, not one hoped for or described: "signed an MoU", "witnessed
# the signing", "signing ceremony", "were signed".
_SIGNED = re.compile(
    r"\b(?:[Ss]igned|[Ii]nked)\s+(?:a|an|the|two|three|four|five|several|\d+|their|its|new|"
    r"cooperation|friendship|sister|[Mm]emorand|MoU|MOU|agreement|deal|accord)|"
    r"\b[Ww]itness(?:ed|es)?\s+the\s+signing\b|\bsigning\s+ceremony\b|"
    r"\b(?:was|were|have\s+been|has\s+been)\s+signed\b"
)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
# A month's name or abbreviation, as a tree of letters (each tried at most once, the longer
# spelling first: "January" before "Jan", "Sept" before "Sep"), which is twice as fast as listing
# the 24 spellings.
_MONTH = (
    r"(J(?:an(?:uary)?|u(?:ne|ly|n|l))|Feb(?:ruary)?|Ma(?:r(?:ch)?|y)|A(?:pr(?:il)?|ug(?:ust)?)"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# The lookahead names the characters a date can start with, so most positions fail at once.
_DATE = re.compile(
    r"(?=[JFMASOND\dTtYy])(?:"
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*:)(?:,?\s+((?:19|20)\d\d)\b)?"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+((?:19|20)\d\d)\b)?"
    r"|\b([Tt]oday|[Yy]esterday)\b(?:\s*[\[(]([^\])]{3,30})[\])])?)"
)


def _event_finder() -> tuple[ahocorasick_rs.AhoCorasick, tuple[tuple[str, str], ...]]:
    # Engagement and signing words, and what each one is: ("cue" | "sign" | "cue+sign", type).
    words: dict[str, tuple[str, str]] = {}
    for kind, listed in CUES.items():
        for word in listed.split():
            words[word.replace("-", " ")] = ("cue", kind)
    for word in _SIGN_WORDS:
        words[word] = ("cue+sign", words[word][1]) if word in words else ("sign", "")
    finder = ahocorasick_rs.AhoCorasick(list(words), matchkind=ahocorasick_rs.MatchKind.Standard)
    return finder, tuple(words.values())


_EVENT_WORDS, _EVENT_VALUES = _event_finder()


def find_event_date(sentence: str, published: str) -> str:
    """Return the date a sentence gives for its event ('YYYY-MM-DD'), or ''. A date without a
    year takes the publish year, or the year before when that would be after publication."""
    pub = _parse_iso(published)
    for m in _DATE.finditer(sentence):
        if m.group(7):  # today / yesterday, maybe with the date in brackets
            if m.group(8):
                inner = find_event_date(m.group(8), published)
                if inner:
                    return inner
            if pub is None:
                continue
            when = pub if m.group(7).lower() == "today" else pub - timedelta(days=1)
            return when.isoformat()
        if m.group(1):
            month_name, day, year = m.group(1), m.group(2), m.group(3)
        else:
            day, month_name, year = m.group(4), m.group(5), m.group(6)
        month = MONTHS[month_name.lower().rstrip(".")]
        try:
            if year:
                return date(int(year), month, int(day)).isoformat()
            if pub is None:
                return ""
            when = date(pub.year, month, int(day))
            if when > pub:
                when = date(pub.year - 1, month, int(day))
            return when.isoformat()
        except ValueError:
            continue
    return ""


def _parse_iso(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


class _Article(ArticleView):
    """One article read for engagements: besides its paragraphs and sentences, where its
    engagement words, dates and signings are, each found on demand and only in the paragraphs a
    decision needs."""

    def __init__(self, text: str, title: str, standfirst: str, abbreviations: frozenset[str]):
        super().__init__(text, title, standfirst, abbreviations)
        self._low: str | None = None
        self._words: dict[int, tuple[list[tuple[int, str]], list[int], list[int]]] = {}
        self._dated: dict[int, bool] = {}

    def words(self, p: int) -> tuple[list[tuple[int, str]], list[int], list[int]]:
        """Engagement words of paragraph `p`: (offset, type) pairs, their offsets, and the
        offsets of signing words."""
        found = self._words.get(p)
        if found is not None:
            return found
        if self._low is None:
            self._low = self.text.lower()
        low = self._low
        size = len(low)
        start_p, stop_p = self.span(p)
        cues: list[tuple[int, str]] = []
        signs: list[int] = []
        hits = _EVENT_WORDS.find_matches_as_indexes(low[start_p:stop_p], overlapping=True)
        for index, start, end in hits:
            start += start_p
            end += start_p
            if (start and low[start - 1].isalnum()) or (end < size and low[end].isalnum()):
                continue
            what, kind = _EVENT_VALUES[index]
            if what.startswith("cue"):
                cues.append((start, kind))
            if what.endswith("sign"):
                signs.append(start)
        found = (cues, [c[0] for c in cues], signs)
        self._words[p] = found
        return found

    def cue_types(self, s: int, e: int) -> list[str]:
        """Types said by the engagement words in text[s:e] (within one paragraph), in order."""
        cues, starts, _signs = self.words(self.paragraph(s))
        i = bisect.bisect_left(starts, s)
        out = []
        while i < len(cues) and cues[i][0] < e:
            out.append(cues[i][1])
            i += 1
        return out

    def cue(self, s: int, e: int) -> str:
        """Type said by the first engagement word in text[s:e], '' when none."""
        cues, starts, _signs = self.words(self.paragraph(s))
        i = bisect.bisect_left(starts, s)
        return cues[i][1] if i < len(cues) and cues[i][0] < e else ""

    def dated(self, s: int, e: int) -> bool:
        """True when text[s:e] gives a date; only paragraphs that give one are searched."""
        p = self.paragraph(s)
        if p not in self._dated:
            self._dated[p] = bool(_DATE.search(self.text, *self.span(p)))
        return self._dated[p] and bool(_DATE.search(self.text, s, e))

    def first_dated_event(self) -> tuple[int, int, int] | None:
        """The article's first body sentence with an engagement word and a date."""
        for p in range(1 if self.title_end else 0, len(self.paragraphs)):
            start, stop = self.span(p)
            if not self.dated(start, stop):
                continue
            for pos in self.words(p)[1]:
                s, e, _p = self.sentence_at(pos)
                if self.dated(s, e):
                    return s, e, p
        return None

    def signings(self) -> list[int]:
        """Offsets of the signing words of the whole article."""
        if self._low is None:
            self._low = self.text.lower()
        out: list[int] = []
        if "sign" not in self._low and "inked" not in self._low:
            return out
        for p in range(len(self.paragraphs)):
            start, stop = self.span(p)
            if self._low.find("sign", start, stop) != -1 or "inked" in self._low[start:stop]:
                out.extend(self.words(p)[2])
        return out

    def signed(self, s: int, e: int, published: str) -> bool:
        """True when text[s:e] says an agreement was signed (not in an earlier year)."""
        signs = self.words(self.paragraph(s))[2]
        if not any(s <= pos < e for pos in signs):
            return False
        piece = self.text[s:e]
        return bool(_SIGNED.search(piece)) and not _older_year(piece, published)

    def is_event(self, s: int, e: int, p: int) -> bool:
        """An engagement sentence: an engagement word, and a date or a place in the lede."""
        return bool(self.cue(s, e)) and (p < self.lede_paragraphs or self.dated(s, e))


ENGAGEMENT_COLUMNS = [
    "article_id",
    "published",
    "event_date",
    "partner",
    "kind",
    "country",
    "country_name",
    "parent",
    "type",
    "sectors",
    "primary",
    "sentence",
]


def _spans(value: str) -> list[tuple[int, int]]:
    out = []
    for part in str(value or "").split(";"):
        if "-" in part:
            a, b = part.split("-", 1)
            out.append((int(a), int(b)))
    return out


def _related(a: dict, b: dict) -> bool:
    """True when one place is inside the other (by parent or country)."""

    def lineage(r: dict) -> set[str]:
        return {r["partner"], r.get("parent", ""), r.get("country_name", "")} - {""}

    return a["partner"] in lineage(b) or b["partner"] in lineage(a)


def engage_article(
    text: str,
    counterparts: Sequence[dict],
    *,
    lexicon=None,
    published: str = "",
    title: str = "",
    standfirst: str = "",
    abbreviations: frozenset[str] = frozenset(),
    sectors: str | None = None,
) -> list[dict]:
    """Engagements of one article from its counterpart rows of `partner_mentions`: the primary
    partner, then each other counterpart that is not a place inside or around one already taken
    (a city's country is the same engagement, not a second one).

    `sectors`, when known, are the article's sector labels (the primary partner's), most
    mentioned first and ';'-joined, as the lexicon would find them in the whole text."""
    doc = _Article(text, title, standfirst, abbreviations)
    return _engage(doc, counterparts, lexicon=lexicon, published=published, sectors=sectors)


def _engage(
    doc: _Article, counterparts: Sequence[dict], *, lexicon, published: str, sectors: str | None
) -> list[dict]:
    # engage_article on an article read already.
    text = doc.text
    ordered = sorted(counterparts, key=lambda r: (not r["primary"], -int(r["count"])))
    chosen: list[dict] = []
    for record in ordered:
        if not any(_related(record, other) for other in chosen):
            chosen.append(record)
    article_id = str(chosen[0]["article_id"]) if chosen else ""
    out = []
    for record in chosen:
        primary = bool(record["primary"])
        # Where the partner is named; body before title: the body tells the event.
        positions = sorted(
            (s for s, _e in _spans(record["spans"])),
            key=lambda pos: (pos < doc.title_end, pos),
        )
        event = _pick_event_sentence(doc, positions, primary=primary)
        sentence = " ".join(text[event[0] : event[1]].split()) if event else ""
        signings = [doc.sentence_at(pos) for pos in doc.signings()]
        if not primary:
            signings = [x for x in signings if any(x[0] <= pos < x[1] for pos in positions)]
        signed = any(doc.signed(s, e, published) for s, e, _p in signings)
        kind = doc.cue(event[0], event[1]) if event else ""
        if signed:
            kind = "agreement"
        elif kind == "agreement":
            # an agreement named beside a meeting or visit: the meeting or visit is the event
            others = [t for t in doc.cue_types(event[0], event[1]) if t != "agreement"]
            kind = others[0] if others else "agreement"
        if lexicon is None:
            discussed = ""
        elif primary:
            discussed = sectors if sectors is not None else _sectors([text], lexicon)
        else:
            pieces = [text[s:e] for s, e, _p in dict.fromkeys(map(doc.sentence_at, positions))]
            discussed = _sectors(pieces, lexicon)
        out.append(
            {
                "article_id": article_id,
                "published": published,
                "event_date": find_event_date(sentence, published) if sentence else "",
                "partner": record["partner"],
                "kind": record["kind"],
                "country": record["country"],
                "country_name": record.get("country_name", ""),
                "parent": record["parent"],
                "type": kind or "other",
                "sectors": discussed,
                "primary": primary,
                "sentence": sentence,
            }
        )
    return out


def _pick_event_sentence(doc: _Article, positions: list[int], *, primary: bool):
    """The sentence that shows the engagement: one naming the partner with an engagement word
    and a date; for the primary partner, else the article's first such sentence (the event the
    article reports); else one naming the partner with an engagement word; else the first one
    naming it. Only paragraphs that hold an engagement word are cut into sentences."""
    has_words: dict[int, bool] = {}
    for pos in positions:
        p = doc.paragraph(pos)
        if p not in has_words:
            has_words[p] = bool(doc.words(p)[0])
    worded = [pos for pos in positions if has_words[doc.paragraph(pos)]]
    for pos in worded:
        s, e, p = doc.sentence_at(pos)
        if doc.cue(s, e) and doc.dated(s, e):
            return s, e, p
    if primary:
        found = doc.first_dated_event()
        if found is not None:
            return found
    for pos in worded:
        s, e, p = doc.sentence_at(pos)
        if doc.cue(s, e):
            return s, e, p
    return doc.sentence_at(positions[0]) if positions else None


def _older_year(sentence: str, published: str) -> bool:
    """True when a sentence dates itself to a year before publication ("signed in 2013")."""
    pub = _parse_iso(published)
    if pub is None:
        return False
    return any(int(y) < pub.year for y in _YEAR.findall(sentence))


def _sectors(pieces: list[str], lexicon) -> str:
    """Sector labels found in these pieces of text, most mentioned first, ';'-joined."""
    if lexicon is None:
        return ""
    from citylinks.sectors import find_sector_mentions, join_sector_labels

    labels = lexicon.labels
    return join_sector_labels(
        labels.get(m.sector, m.sector)
        for piece in pieces
        for m in find_sector_mentions(piece, lexicon)
    )
