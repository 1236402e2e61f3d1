"""Engagements: what each article's counterparts do with Hanoi (type, event date, sectors)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from citylinks.article import LEDE_PARAGRAPHS, ArticleView
from citylinks.engagement_types import (
    ENCOUNTERS,
    EngagementRules,
    engagement_type,
    home_keys,
    judge_direction,
    load_engagement_rules,
    name_keys,
    signed_here,
)
from citylinks.event_dates import DATE_MENTION, find_event_date, parse_published


class _Article(ArticleView):
    """One article read for engagements: besides its paragraphs and sentences, where its
    engagement words, dates and signings are, each found on demand and only in the paragraphs a
    decision needs."""

    def __init__(self, text: str, title: str, standfirst: str, abbreviations: frozenset[str]):
        super().__init__(text, title, standfirst, abbreviations)
        self.rules: EngagementRules = load_engagement_rules()
        self._low: str | None = None
        self._words: dict[int, tuple[list[tuple[int, str]], list[int], list[int]]] = {}
        self._dated: dict[int, bool] = {}

    def words(self, p: int) -> tuple[list[tuple[int, str]], list[int], list[int]]:
        """Engagement words of paragraph `p`: (offset, type) pairs, their offsets, and the
        offsets of signing words."""
        found = self._words.get(p)
        if found is None:
            self._find_words()
            found = self._words[p]
        return found

    def _find_words(self) -> None:
        # The engagement words of every paragraph, in one pass over the text: most paragraphs
        # are asked for, and one pass costs less than one a paragraph. No cue holds a line
        # break, so none runs across two paragraphs.
        low = self.lowered()
        size = len(low)
        found = {p: ([], [], []) for p in range(len(self.paragraphs))}
        values = self.rules.values
        for index, start, end in self.rules.finder.find_matches_as_indexes(low, overlapping=True):
            if (start and low[start - 1].isalnum()) or (end < size and low[end].isalnum()):
                continue
            what, kind = values[index]
            cues, starts, signs = found[self.paragraph(start)]
            if what.startswith("cue"):
                cues.append((start, kind))
                starts.append(start)
            if what.endswith("sign"):
                signs.append(start)
        self._words = found

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
            self._dated[p] = bool(DATE_MENTION.search(self.text, *self.span(p)))
        return self._dated[p] and bool(DATE_MENTION.search(self.text, s, e))

    def first_dated_event(self) -> tuple[int, int, int] | None:
        """The article's first body sentence with an engagement word and a date, not telling of
        an earlier time."""
        for p in range(1 if self.title_end else 0, len(self.paragraphs)):
            start, stop = self.span(p)
            if not self.dated(start, stop):
                continue
            for pos in self.words(p)[1]:
                s, e, _p = self.sentence_at(pos)
                if self.dated(s, e) and not self.earlier(s, e):
                    return s, e, p
        return None

    def signings(self) -> list[int]:
        """Offsets of the signing words of the whole article."""
        self.lowered()
        out: list[int] = []
        if "sign" not in self._low and "inked" not in self._low:
            return out
        for p in range(len(self.paragraphs)):
            start, stop = self.span(p)
            if self._low.find("sign", start, stop) != -1 or "inked" in self._low[start:stop]:
                out.extend(self.words(p)[2])
        return out

    def signed(self, s: int, e: int, published_year: int | None) -> bool:
        """True when text[s:e] says a document was signed in the event it reports."""
        signs = self.words(self.paragraph(s))[2]
        if not any(s <= pos < e for pos in signs):
            return False
        return signed_here(self.text[s:e], published_year=published_year, rules=self.rules)

    def lowered(self) -> str:
        """The text with its ASCII letters lowercased, each character to one, so offsets hold
        (the engagement words are English; "İ" and "Đ" stay as they are)."""
        if self._low is None:
            # bytes.lower() touches ASCII letters only, several times faster than str.lower()
            data = self.text.encode("utf-8", "surrogatepass")
            self._low = data.lower().decode("utf-8", "surrogatepass")
        return self._low

    def opening_end(self) -> int:
        """Where the opening (title, standfirst and the first body paragraph) ends."""
        return self.span(min(self.lede_paragraphs - LEDE_PARAGRAPHS, len(self.paragraphs) - 1))[1]

    def is_event(self, s: int, e: int, p: int) -> bool:
        """An engagement sentence: an engagement word, and a date or a place in the lede; not
        one telling of an earlier time ("at an exhibition in Barcelona last year")."""
        return (
            bool(self.cue(s, e))
            and (p < self.lede_paragraphs or self.dated(s, e))
            and not self.earlier(s, e)
        )

    def earlier(self, s: int, e: int) -> bool:
        """True when text[s:e] tells of a time before the reported event ("last year")."""
        return bool(self.rules.earlier.search(self.lowered(), s, e))


ENGAGEMENT_COLUMNS = [
    "article_id",
    "published",
    "event_date",
    "event_end",
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
    home: str = "Hanoi",
    home_country: str = "VN",
) -> list[dict]:
    """Engagements of one article from its counterpart rows of `partner_mentions`: the primary
    partner, then each other counterpart that is not a place inside or around one already taken
    (a city's country is the same engagement, not a second one).

    `sectors`, when known, are the article's sector labels (the primary partner's), most
    mentioned first and ';'-joined, as the lexicon would find them in the whole text. `home`
    and `home_country` tell a visit (a home delegation abroad) from a meeting (guests at home)."""
    doc = _Article(text, title, standfirst, abbreviations)
    return _engage(
        doc,
        counterparts,
        lexicon=lexicon,
        published=published,
        sectors=sectors,
        home=home_keys(home, home_country),
    )


def _engage(
    doc: _Article,
    counterparts: Sequence[dict],
    *,
    lexicon,
    published: str,
    sectors: str | None,
    home: tuple[str, ...],
) -> list[dict]:
    # engage_article on an article read already.
    text = doc.text
    ordered = sorted(counterparts, key=lambda r: (not r["primary"], -int(r["count"])))
    chosen: list[dict] = []
    for record in ordered:
        if not any(_related(record, other) for other in chosen):
            chosen.append(record)
    article_id = str(chosen[0]["article_id"]) if chosen else ""
    pub = parse_published(published)
    year = pub.year if pub else None
    out = []
    # The article's signing sentences, and whether each tells of a signing, are the same for
    # every partner: found once.
    all_signings = [doc.sentence_at(pos) for pos in doc.signings()] if chosen else []
    signed_in: dict[tuple[int, int], bool] = {}
    for record in chosen:
        primary = bool(record["primary"])
        # Where the partner is named; body before title: the body tells the event.
        positions = sorted(
            (s for s, _e in _spans(record["spans"])),
            key=lambda pos: (pos < doc.title_end, pos),
        )
        event = _pick_event_sentence(doc, positions, primary=primary)
        sentence = " ".join(text[event[0] : event[1]].split()) if event else ""
        when = find_event_date(sentence, published, context=text)
        signings = all_signings
        if not primary:
            signings = [x for x in signings if any(x[0] <= pos < x[1] for pos in positions)]
        signed = False
        for s, e, _p in signings:
            if (s, e) not in signed_in:
                signed_in[s, e] = doc.signed(s, e, year)
            if signed_in[s, e]:
                signed = True
                break
        kind = _engagement_type(
            doc, record, event, positions, signed=signed, home=home, primary=primary
        )
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
                "event_date": when.start,
                "event_end": when.end,
                "partner": record["partner"],
                "kind": record["kind"],
                "country": record["country"],
                "country_name": record.get("country_name", ""),
                "parent": record["parent"],
                "type": kind,
                "sectors": discussed,
                "primary": primary,
                "sentence": sentence,
            }
        )
    return out


def _pick_event_sentence(doc: _Article, positions: list[int], *, primary: bool):
    """The sentence that shows the engagement: one naming the partner with an engagement word
    and a date (not telling of an earlier time); for the primary partner, else the article's first such sentence (the event the
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
        if doc.cue(s, e) and doc.dated(s, e) and not doc.earlier(s, e):
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


def _engagement_type(
    doc: _Article, record: dict, event, positions, *, signed: bool, home, primary: bool
) -> str:
    """The type of one engagement: by its sentence's cues and, between a visit and a meeting,
    by where the partner stands, as the sentence says or else, for the primary partner (whose
    event the article opens with), the article's opening."""
    cues = doc.cue_types(event[0], event[1]) if event else []
    direction = ""
    if not signed and engagement_type(cues, signed=False, direction="") in ENCOUNTERS:
        text = doc.text
        names = (record["partner"], record.get("parent", ""), record.get("country_name", ""))
        # where the text names the partner, in any spelling; and its names and its country's
        options = dict(partner=name_keys(names), home=home, partner_starts=frozenset(positions))
        options.update(rules=doc.rules, low=doc.lowered())
        direction = judge_direction(text, event[0], event[1], **options)
        if not direction and primary:
            direction = judge_direction(text, 0, doc.opening_end(), **options)
    return engagement_type(cues, signed=signed, direction=direction)


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
