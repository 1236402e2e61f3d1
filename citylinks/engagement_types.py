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
import yaml

from citylinks.errors import YAML_LOADER, ConfigError, describe_yaml_error
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
_PLACE = (
    r"\s+(?:the\s+)?(?:(?:[A-Z][\w’'-]*\s+)?(?:city|capital|province|state|prefecture|region)"
    r"\s+of\s+)?(?P<{name}_place>[^\W\d_][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}})"
)
# "A Hanoi delegation", "the Busan delegation", "Hanoi's delegation".
_OWNER = re.compile(
    r"\b(?P<owner>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2}?)(?:['’]s)?"
    r"\s+(?:(?:high-ranking|high-level|business|official|working|city|municipal)\s+)?delegations?\b"
)
# A dateline: the place a story was filed from, at the head of a paragraph ("ULAANBAATAR —",
# "Hanoi (VNA) –").
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[^\W\d_][^\n—–(]{1,40}?)\s*(?:\([^)\n]{1,30}\)\s*)?[—–]"
)
_ARTICLES = frozenset({"a", "an", "the"})
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


@dataclass(frozen=True)
class EngagementRules:
    """The engagement types' cue words and phrases, compiled once."""

    meanings: dict[str, str]
    finder: ahocorasick_rs.AhoCorasick  # cue and signing words, in lowercased text
    values: tuple[tuple[str, str], ...]  # per word: ("cue" | "sign" | "cue+sign", type)
    signed: re.Pattern  # a document signed
    earlier: re.Pattern  # what happened before the reported event, told as background
    earlier_signing: re.Pattern  # the same, for a signing
    direction: re.Pattern  # phrases that say where the partner stands
    fingerprint: str


@lru_cache(maxsize=4)
def load_engagement_rules(path: str | Path = DEFAULT_ENGAGEMENTS) -> EngagementRules:
    """Read and compile the engagement rules; a malformed file raises ConfigError naming it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ConfigError(path, f"cannot be read ({err.strerror or err})") from None
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=YAML_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ConfigError(path, describe_yaml_error(err)) from None
    types = data.get("types") if isinstance(data, dict) else None
    if not isinstance(types, dict) or set(types) != set(TYPES):
        raise ConfigError(path, f"'types' must list exactly {', '.join(TYPES)}")
    words: dict[str, tuple[str, str]] = {}
    for kind, entry in types.items():
        for word in _phrases(path, entry, "cues", optional=kind == "other"):
            words[word] = ("cue", kind)
    for word in _phrases(path, data, "hosting"):
        words[word] = ("cue", HOSTING)
    signing = data.get("signing") or {}
    for word in _phrases(path, signing, "words"):
        words[word] = ("cue+sign", words[word][1]) if word in words else ("sign", "")
    lists = {name: _phrases(path, data, name) for name in _LISTS}
    objects = _alternation(_phrases(path, signing, "objects"))
    signed = re.compile(
        rf"\b(?:signed|inked)\s+(?:{objects}|\d+)\b|\b(?:{_alternation(_phrases(path, signing, 'phrases'))})\b",
        re.I,
    )
    direction = re.compile(
        "|".join(
            rf"\b(?P<{name}>(?i:{_alternation(lists[name])}))"
            + (_PLACE.format(name=name) if name in _PLACED else "")
            for name in ("to_place", "delegation_of", "at_home", "abroad")
        )
    )
    return EngagementRules(
        meanings={kind: str((entry or {}).get("means", "")) for kind, entry in types.items()},
        finder=ahocorasick_rs.AhoCorasick(list(words), matchkind=ahocorasick_rs.MatchKind.Standard),
        values=tuple(words.values()),
        signed=signed,
        earlier=re.compile(rf"\b(?:{_alternation(lists['earlier'])})\b", re.I),
        earlier_signing=re.compile(
            rf"\b(?:{_alternation(lists['earlier'] + lists['earlier_signing'])})\b", re.I
        ),
        direction=direction,
        fingerprint=hashlib.sha256(raw).hexdigest()[:16],
    )


_PLACED = frozenset({"to_place", "delegation_of"})


def _phrases(path: Path, data, key: str, *, optional: bool = False) -> list[str]:
    # A list of phrases, lowercased, a hyphen read as a space.
    value = data.get(key) if isinstance(data, dict) else None
    if value is None and optional:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(path, f"'{key}' must be a list of phrases")
    return [" ".join(v.lower().replace("-", " ").split()) for v in value]


def _alternation(phrases: Iterable[str]) -> str:
    # Longest first, so "working visit to" is tried before "visit to"; spaces match any space.
    ordered = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    return "|".join(r"[\s-]+".join(map(re.escape, p.split())) for p in ordered)


def signed_here(sentence: str, *, published_year: int | None, rules: EngagementRules) -> bool:
    """True when a sentence says a document was signed in the event it reports: a signing, not
    told as background ("signed in 2013", "previously signed", "so far")."""
    if not rules.signed.search(sentence) or rules.earlier_signing.search(sentence):
        return False
    return published_year is None or all(int(y) >= published_year for y in _YEAR.findall(sentence))


def judge_direction(
    text: str,
    start: int,
    end: int,
    *,
    partner: Collection[str],
    home: Collection[str],
    partner_starts: Collection[int] = (),
    rules: EngagementRules,
) -> str:
    """Where the partner stands in text[start:end]: ABROAD when a Hanoi delegation went to it
    ("a working visit to Germany", "talks in Beijing", "the Hanoi delegation", a dateline from
    the partner's city), AT_HOME when its people came to Hanoi ("a delegation from Madrid",
    "received a delegation"), '' when the text does not say. Names are compared folded, without
    spaces; `partner_starts` are where the text names the partner (its aliases too)."""
    found: list[tuple[int, int, str]] = []  # (strength, position, side)

    def side_of(place: str, at: int) -> str:
        if at in partner_starts or _names(place, partner):
            return ABROAD
        return AT_HOME if _names(place, home) else ""

    for m in rules.direction.finditer(text, start, end):
        if m["to_place"] or m["delegation_of"]:
            group = "to_place_place" if m["to_place"] else "delegation_of_place"
            side = side_of(m[group], m.start(group))
            if m["delegation_of"]:
                # the partner's delegation came to Hanoi; Hanoi's went to the partner
                near = any(m.end("delegation_of") < p < m.end("delegation_of") + 50
                           for p in partner_starts)  # fmt: skip
                side = {ABROAD: AT_HOME, AT_HOME: ABROAD}.get(side, AT_HOME if near else "")
            if side:
                found.append((1 if m["to_place"] else 2, m.start(), side))
        elif m["abroad"]:
            found.append((1, m.start(), ABROAD))
        else:
            found.append((4, m.start(), AT_HOME))
    for m in _OWNER.finditer(text, start, end):
        words = m["owner"].split()
        owner = " ".join(words[1:] if words[0].lower() in _ARTICLES else words)
        side = {ABROAD: AT_HOME, AT_HOME: ABROAD}.get(side_of(owner, m.start("owner")), "")
        if side:
            found.append((2, m.start(), side))
    for m in _DATELINE.finditer(text, start, end):
        key = _key(m["place"])
        side = ABROAD if key in partner else AT_HOME if key in home else ""
        if side:
            found.append((3, m.start(), side))
    return min(found)[2] if found else ""


def _names(place: str, names: Collection[str]) -> bool:
    # Whether a place as written starts with one of these names (folded, lowercased, without
    # spaces): "Seoul Metropolitan Council" is Seoul's.
    key = _key(place)
    return any(key.startswith(n) for n in names if n)


def _key(name: str) -> str:
    return "".join(c for c in fold(name).lower() if c.isalnum())


def name_keys(names: Iterable[str]) -> frozenset[str]:
    """Names as `judge_direction` compares them: folded, lowercased, letters and digits only."""
    return frozenset(k for k in map(_key, names) if k)


@lru_cache(maxsize=8)
def home_keys(home: str, home_country: str) -> frozenset[str]:
    """The home city's and country's names as `judge_direction` compares them."""
    import pycountry

    names = [home]
    country = pycountry.countries.get(alpha_2=(home_country or "").upper())
    if country is not None:
        names += [getattr(country, a, "") for a in ("name", "common_name", "official_name")]
    return name_keys(names)


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
