"""Engagement types: visit, meeting, agreement, conference or other, by the phrases of
config/engagements.yaml."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs

from citylinks.errors import ConfigError, parse_config_yaml, read_config_bytes
from citylinks.gazetteer import fold
from citylinks.paths import DEFAULT_ENGAGEMENTS

TYPES = ("visit", "meeting", "agreement", "conference", "other")
# The types a delegation's direction decides between.
ENCOUNTERS = frozenset({"visit", "meeting"})
# The cue of a word that takes the type of the event it hosts.
HOSTING = "hosting"
# Which side of the engagement the partner is on.
ABROAD, AT_HOME = "abroad", "at_home"
_LISTS = ("to_place", "delegation_of", "at_home", "abroad", "earlier", "earlier_signing")

# A place as the press names it after "visit to", "delegation from": capitalised words, maybe
# after "the" and a word such as "city of" ("the Spanish capital of Madrid").
_PLACE = re.compile(
    r"\s+(?:the\s+)?(?:(?:[A-Z][\w’'-]*\s+)?(?:city|capital|province|state|prefecture|region)"
    r"\s+of\s+)?(?P<place>[^\W\d_][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
)
# Who a delegation is, in the words before "delegation": "A Hanoi", "the Busan", "Hanoi's".
_OWNER = re.compile(
    r"\b(?P<owner>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2}?)(?:['’]s)?"
    r"\s+(?:(?:high-ranking|high-level|business|official|working|city|municipal)\s+)?$"
)
# A dateline: the place a story was filed from, at the head of a paragraph ("ULAANBAATAR —",
# "Hanoi (VNA) –").
_DATELINE = re.compile(
    r"[ \t]*(?P<place>[^\W\d_][^\W\d_.'’-]*(?:[ .'’-]+[^\W\d_]+){0,4})[ \t]*"
    r"(?:\([^)\n]{1,30}\)[ \t]*)?[—–]"
)
# How many paragraphs of a window are looked at for a dateline, and how long one may be.
_DATELINE_PARAGRAPHS = 4
_DATELINE_CHARS = 80
# How far before "delegation" its owner is looked for.
_OWNER_REACH = 60
_ARTICLES = frozenset({"a", "an", "the"})
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


@dataclass(frozen=True)
class EngagementRules:
    """The engagement types' cue words and phrases, compiled once."""

    meanings: dict[str, str]
    finder: ahocorasick_rs.AhoCorasick  # cue and signing words, in lowercased text
    values: tuple[tuple[str, str], ...]  # per word: ("cue" | "sign" | "cue+sign", type)
    signed: re.Pattern  # a document signed (in lowercased text, as the two below)
    earlier: re.Pattern  # what happened before the reported event
    earlier_signing: re.Pattern  # the same, for a signing
    direction: ahocorasick_rs.AhoCorasick  # phrases that say where the partner stands
    directions: tuple[str, ...]  # per phrase: its list ("to_place", "abroad", ...)
    fingerprint: str


@lru_cache(maxsize=4)
def load_engagement_rules(path: str | Path = DEFAULT_ENGAGEMENTS) -> EngagementRules:
    """Read and compile the engagement rules; a malformed file raises ConfigError naming it."""
    path = Path(path)
    raw = read_config_bytes(path)
    data = parse_config_yaml(path, raw)
    types = data.get("types") if isinstance(data, dict) else None
    if not isinstance(types, dict) or set(types) != set(TYPES):
        raise ConfigError(path, f"'types' must list exactly {', '.join(TYPES)}")
    words: dict[str, tuple[str, str]] = {}
    for kind, entry in types.items():
        for phrase in _phrases(path, entry, "cues", optional=kind == "other"):
            words.update((w, ("cue", kind)) for w in _spellings(phrase))
    for phrase in _phrases(path, data, "hosting"):
        words.update((w, ("cue", HOSTING)) for w in _spellings(phrase))
    signing = data.get("signing") or {}
    for phrase in _phrases(path, signing, "words"):
        for word in _spellings(phrase):
            words[word] = ("cue+sign", words[word][1]) if word in words else ("sign", "")
    lists = {name: _phrases(path, data, name) for name in _LISTS}
    objects = _alternation(_phrases(path, signing, "objects"))
    phrases = _alternation(_phrases(path, signing, "phrases"))
    signed = re.compile(rf"\b(?:signed|inked)\s+(?:{objects}|\d+)\b|\b(?:{phrases})\b")
    directions = {"delegation": _OWNED, "delegations": _OWNED}
    for name in ("to_place", "delegation_of", "at_home", "abroad"):
        directions.update((spelling, name) for p in lists[name] for spelling in _spellings(p))
    return EngagementRules(
        meanings={kind: str((entry or {}).get("means", "")) for kind, entry in types.items()},
        finder=ahocorasick_rs.AhoCorasick(list(words), matchkind=ahocorasick_rs.MatchKind.Standard),
        values=tuple(words.values()),
        direction=ahocorasick_rs.AhoCorasick(
            list(directions), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        ),
        directions=tuple(directions.values()),
        signed=signed,
        earlier=re.compile(rf"\b(?:{_alternation(lists['earlier'])})\b"),
        earlier_signing=re.compile(
            rf"\b(?:{_alternation(lists['earlier'] + lists['earlier_signing'])})\b"
        ),
        fingerprint=hashlib.sha256(raw).hexdigest()[:16],
    )


_OWNED = "owned"  # the word "delegation": whose it is says the direction (compared by identity)


def _phrases(path: Path, data, key: str, *, optional: bool = False) -> list[str]:
    # A list of phrases, lowercased, spaces made single.
    value = data.get(key) if isinstance(data, dict) else None
    if value is None and optional:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(path, f"'{key}' must be a list of phrases")
    return [" ".join(v.lower().split()) for v in value]


def _spellings(phrase: str) -> set[str]:
    # A hyphen stands for a hyphen or a space: "working-session", "working session".
    return {phrase, phrase.replace("-", " ")}


def _alternation(phrases: Iterable[str]) -> str:
    # Longest first, so "working visit to" is tried before "visit to"; a space or a hyphen
    # matches any run of spaces and hyphens.
    ordered = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    return "|".join(r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+", p))) for p in ordered)


def signed_here(sentence: str, *, published_year: int | None, rules: EngagementRules) -> bool:
    """True when a sentence says a document was signed in the event it reports: a signing, not
    told as background ("signed in 2013", "previously signed", "so far")."""
    low = sentence.lower()
    if not rules.signed.search(low) or rules.earlier_signing.search(low):
        return False
    return published_year is None or all(int(y) >= published_year for y in _YEAR.findall(sentence))


def judge_direction(
    text: str,
    start: int,
    end: int,
    *,
    partner: tuple[str, ...],
    home: tuple[str, ...],
    partner_starts: Collection[int] = (),
    rules: EngagementRules,
    low: str | None = None,
) -> str:
    """Where the partner stands in text[start:end]: ABROAD when a Hanoi delegation went to it
    ("a working visit to Germany", "talks in Beijing", "the Hanoi delegation", a dateline from
    the partner's city), AT_HOME when its people came to Hanoi ("a delegation from Madrid",
    "received a delegation"), '' when the text does not say. Names are compared folded, without
    spaces; `partner_starts` are where the text names the partner (its aliases too); `low`, when
    given, is the text lowercased."""
    found: list[tuple[int, int, str]] = []  # (strength, position, side)
    low = text[start:end].lower() if low is None else low[start:end]
    for index, s, e in rules.direction.find_matches_as_indexes(low):
        if (s and low[s - 1].isalnum()) or (e < len(low) and low[e].isalnum()):
            continue
        what, s, e = rules.directions[index], s + start, e + start
        if what is _OWNED or what == "delegation_of":
            # "a Busan delegation" came to Hanoi; "the Hanoi delegation" went to the partner
            owner = _OWNER.search(text, max(start, s - _OWNER_REACH), s)
            if owner is not None:
                at, name = owner.start("owner"), owner["owner"]
                first = name.split()[0]
                if first.lower() in _ARTICLES and len(name) > len(first):
                    at += name.index(name.split()[1], len(first))
                    name = text[at : owner.end("owner")]
                side = _FLIP.get(_side(name, at, partner, home, partner_starts), "")
                if side:
                    found.append((2, owner.start(), side))
            if what is _OWNED:
                continue
        if what == "to_place" or what == "delegation_of":
            m = _PLACE.match(text, e)
            side = _side(m["place"], m.start("place"), partner, home, partner_starts) if m else ""
            if what == "delegation_of":
                # a delegation from the partner came to Hanoi (its name may follow a title:
                # "from the Spanish capital of Madrid")
                near = any(e < p < e + 50 for p in partner_starts)
                side = _FLIP.get(side, AT_HOME if near else "")
            if side:
                found.append((1 if what == "to_place" else 2, s, side))
        elif what == "abroad":
            found.append((1, s, ABROAD))
        elif what == "at_home":
            found.append((4, s, AT_HOME))
    for head in _paragraph_heads(text, start, end):
        stop = min(end, head + _DATELINE_CHARS)
        if text.find("—", head, stop) == -1 and text.find("–", head, stop) == -1:
            continue  # no dash near the head: no dateline (the common case, found at C speed)
        m = _DATELINE.match(text, head, end)
        key = _key(m["place"]) if m else ""
        side = ABROAD if key in partner else AT_HOME if key in home else ""
        if side:
            found.append((3, m.start(), side))
    return min(found)[2] if found else ""


_FLIP = {ABROAD: AT_HOME, AT_HOME: ABROAD}


def _side(place: str, at: int, partner, home, partner_starts) -> str:
    # ABROAD when a place is the partner (named at `at`, or by one of its names), AT_HOME when
    # it is the home, '' when neither. A name matches the start: "Seoul Metropolitan Council".
    if at in partner_starts:
        return ABROAD
    key = _key(place)
    if key.startswith(partner):
        return ABROAD
    return AT_HOME if key.startswith(home) else ""


def _paragraph_heads(text: str, start: int, end: int) -> list[int]:
    # Where the first paragraphs of text[start:end] start: a dateline heads the story's first.
    heads = [start] if start == 0 or text.startswith("\n\n", start - 2) else []
    pos = text.find("\n\n", start, end)
    while pos != -1 and len(heads) < _DATELINE_PARAGRAPHS:
        heads.append(pos + 2)
        pos = text.find("\n\n", pos + 2, end)
    return heads


_NOT_ALNUM = re.compile(r"[\W_]+")


def _key(name: str) -> str:
    return _NOT_ALNUM.sub("", fold(name).lower())


@lru_cache(maxsize=4096)
def name_keys(names: tuple[str, ...]) -> tuple[str, ...]:
    """Names as `judge_direction` compares them: folded, lowercased, letters and digits only."""
    return tuple(sorted({k for k in map(_key, names) if k}))


@lru_cache(maxsize=8)
def home_keys(home: str, home_country: str) -> tuple[str, ...]:
    """The home city's and country's names as `judge_direction` compares them."""
    import pycountry

    names = [home]
    country = pycountry.countries.get(alpha_2=(home_country or "").upper())
    if country is not None:
        names += [getattr(country, a, "") for a in ("name", "common_name", "official_name")]
    return name_keys(tuple(names))


def engagement_type(cues: Sequence[str], *, signed: bool, direction: str) -> str:
    """The type of an engagement: agreement when a document was signed in it; else the first cue
    of its sentence other than an agreement word (an agreement only named is no event; a word of
    hosting takes the type of what is hosted), where a visit or a meeting is told by
    `direction` (ABROAD: visit, AT_HOME: meeting); else other."""
    if signed:
        return "agreement"
    events = [c for c in cues if c != "agreement"]
    first = events[0] if events else ""
    if first == HOSTING:  # hosting a festival is a conference; hosting guests, a meeting
        hosted = next((c for c in events if c != HOSTING), "")
        first = "conference" if hosted == "conference" else "meeting"
    if first in ENCOUNTERS:
        return {ABROAD: "visit", AT_HOME: "meeting"}.get(direction, first)
    return first or "other"
