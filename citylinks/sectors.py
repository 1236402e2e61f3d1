"""Sector mentions: a YAML lexicon compiled once, matched in one pass, counted over time."""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from array import array
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import ahocorasick_rs
import pandas as pd
import yaml

from citylinks.cache import few_full_collections
from citylinks.errors import YAML_LOADER, ConfigError, ParameterError, describe_yaml_error
from citylinks.paths import resolve
from citylinks.periods import PERIODS, all_periods, assign_period, choose_period
from citylinks.sentences import with_known_abbreviations
from citylinks.tables import (
    STAMP,
    analysed_mask,
    analysed_texts,
    iter_texts,
    map_values,
    text_lengths,
)

# --- Normalisation -------------------------------------------------------------------------------
# Terms are matched against a lowercased form of the text in which
# - hyphens (-, U+2010 hyphen, U+2011 no-break hyphen) are spaces, so "hi-tech" = "hi tech";
#   en and em dashes stay punctuation (they separate clauses, they do not join words);
# - soft hyphens and zero-width characters are dropped;
# - a run of white space and hyphens is one space, unless it holds two or more line breaks: that
#   is a paragraph break, a barrier no phrase crosses.
# Building that form costs more than the match itself, so the automaton holds each phrase with
# every single separator between its words (" ", "-", "\n") and matches the merely lowercased
# text. What only the full form handles sends the text there, normalised in full with a map back
# to the original offsets: right after the first words of a phrase, the one place where spacing
# can change a match, a gap the fast route cannot read ("  ", " - ", " \n", a no-break space, a
# Unicode hyphen ...; the automaton watches for those), or anywhere a rare odd space or an
# invisible character. Both routes give the same mentions.
HYPHENS = "-\u2010\u2011"
IGNORABLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
BARRIER = "\x00"
SEPARATORS = (" ", "-", "\n")  # what may stand between two words of a phrase in the fast route
# White space other than the plain space and "\n" (every other str.isspace character).
ODD_SPACES = (
    "\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
# Characters the fast route cannot read as a gap: the likelier ones are watched for where they
# matter, after the first words of a phrase; the rarer ones, and invisible characters (which can
# join two halves of a word), anywhere, with an `in` test each.
LIKELY_ODD = "\xa0\t\r\u2009\u202f\u2010\u2011"
_SEPARATOR_PAIRS = tuple(a + b for a in SEPARATORS for b in SEPARATORS if a + b != "\n\n")
ODD_GAPS = (*_SEPARATOR_PAIRS, *(a + b for a in ("", *SEPARATORS) for b in LIKELY_ODD))
# What the fast route watches for anywhere, in the same pass: any of ODD_GAPS. No phrase can
# overlap one (phrases start and end with a letter or digit, and hold single separators).
_GAP_NEEDLES = (*_SEPARATOR_PAIRS, *LIKELY_ODD)
_RARE = tuple(c for c in ODD_SPACES if c not in LIKELY_ODD) + tuple(IGNORABLE)
_RARE_ASCII = tuple(c for c in _RARE if c.isascii())
_RUN = re.compile(f"[\\s{IGNORABLE}]{{2,}}|[^\\S ]|[{IGNORABLE}]")
_RARE_RE = re.compile(
    f"[{ODD_SPACES.replace(chr(0xA0), '').replace(chr(13), '')}\u2010\u2011{IGNORABLE}]"
)
_BLANK_LINE = re.compile("\n +\n")
_SPACES = re.compile("  +")
_DROP_IGNORABLE = str.maketrans("", "", IGNORABLE)
_LETTER_RANK = {c: i for i, c in enumerate(" etaoinsrhldcumfpgwybvkxjqz")}
# A term: words of letters and digits joined by single spaces, "&" or "." ("r&d", "industry 4.0").
_TERM_SHAPE = re.compile(r"[^\W_]+(?:[ &.][^\W_]+)*")
MAX_TERM_WORDS = 8
_SECTOR_ID = re.compile(r"[a-z][a-z0-9_]*")
_DAC_CODE = re.compile(r"\d{3}|\d{5}")
SECTOR_KEYS = {"id", "label", "dac", "terms", "exclude", "note"}


def _has_rare(low: str) -> bool:
    return any(map(low.__contains__, _RARE_ASCII if low.isascii() else _RARE))


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # only "İ" lowercases to two characters
        low = text.replace("\u0130", "I").lower()
    return low


def _fold_run(run: str) -> str:
    kept = run.translate(_DROP_IGNORABLE)
    if not kept:
        return ""
    breaks = len((kept + "x").splitlines()) - 1
    return BARRIER if breaks >= 2 else " "


def _collapse(t: str, runs: re.Pattern) -> tuple[str, list[int], list[int]]:
    # Replace each run (a white-space run or ignorable characters) with what it stands for;
    # returns the text and, to map back, the normalised positions from which the offset to the
    # original grows, with the offset from each on.
    pieces: list[str] = []
    marks: list[int] = []
    shifts: list[int] = []
    pos = npos = shift = 0
    for match in runs.finditer(t):
        a, b = match.span()
        replacement = _fold_run(match.group())
        pieces.append(t[pos:a])
        pieces.append(replacement)
        npos += a - pos + len(replacement)
        pos = b
        if len(replacement) != b - a:
            shift += b - a - len(replacement)
            marks.append(npos)
            shifts.append(shift)
    pieces.append(t[pos:])
    return "".join(pieces), marks, shifts


def _full_form(low: str) -> tuple[str, list[int], list[int]]:
    # The full normalisation of a lowercased text, with the map back to its offsets.
    if _RARE_RE.search(low):  # unusual spaces, hyphens or invisible characters: the general route
        for hyphen in HYPHENS:
            low = low.replace(hyphen, " ")
        return _collapse(low, _RUN)
    # Only "-", no-break spaces, "\r", "\n" and runs of spaces to deal with: mostly C-speed.
    if "-" in low:
        low = low.replace("-", " ")
    if "\xa0" in low:
        low = low.replace("\xa0", " ")
    if "\r" in low:
        low = low.replace("\r\n", " \n").replace("\r", "\n")
    if "\n" in low:
        if "\n\n" in low:
            low = low.replace("\n\n", BARRIER * 2)
        if "\n" in low:
            low = _BLANK_LINE.sub(lambda m: BARRIER * len(m.group()), low)
            low = low.replace("\n", " ")
    if "  " not in low:
        return low, [], []
    return _collapse(low, _SPACES)


def normalise_text(text: str) -> str:
    """Return the form of a text that terms are matched against (lowercased, spacing folded)."""
    return _full_form(_lower(text))[0]


def normalise_term(term: str) -> str:
    """Return the matching key of a lexicon term: lowercased, hyphens as spaces, spacing folded."""
    return " ".join(normalise_text(term).replace(BARRIER, " ").split())


# --- The lexicon ---------------------------------------------------------------------------------


class Mention(NamedTuple):
    """One matched term: its sector, the lexicon's spelling of it, offsets in the original text."""

    sector: str
    term: str
    start: int
    end: int


@dataclass(frozen=True)
class Sector:
    """One sector of the lexicon as written in the YAML file."""

    id: str
    label: str
    dac: tuple[str, ...]
    terms: tuple[str, ...]
    exclude: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Sectors and their compiled matcher; picklable, so worker processes can use it."""

    path: str
    fingerprint: str  # sha256 of the file's bytes: a cache key for per-article results
    sectors: tuple[Sector, ...]
    automaton: Any = field(repr=False)  # every key, overlapping hits: the exact route
    has_excludes: bool = False  # whether any sector lists exclude phrases
    # The fast route: the same phrases (no trouble keys) and the gaps it watches for, in a
    # leftmost-longest automaton; `values` gives each phrase's (length, sector, term, whether
    # it holds a character other than a letter or digit), and None for a gap. The automaton
    # is rebuilt from `patterns` when unpickled.
    patterns: tuple[str, ...] = field(default=(), repr=False)
    values: tuple[tuple, ...] = field(default=(), repr=False)
    head_ends: frozenset[str] = field(default=frozenset(), repr=False)  # a phrase's inner words
    finder: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.finder is None and self.patterns:
            object.__setattr__(self, "finder", _build_finder(self.patterns))

    def __getstate__(self) -> dict:
        return {**self.__dict__, "finder": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @property
    def labels(self) -> dict[str, str]:
        """Sector id -> label, in lexicon order."""
        return {s.id: s.label for s in self.sectors}


def _build_finder(patterns: tuple[str, ...]):
    return ahocorasick_rs.AhoCorasick(
        list(patterns), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
    )


def _fail(path, problem: str):
    raise ConfigError(path, problem)


def _string_list(path, value, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list):
        _fail(path, f"{what} must be a list such as [a, b], not {type(value).__name__}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            _fail(path, f"{what} must hold non-empty strings; found {item!r}")
    return [" ".join(item.split()) for item in value]


def _read_yaml(path: Path):
    if not path.is_file():
        _fail(path, "file not found" if not path.exists() else "not a file")
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(path, "not UTF-8 text")
    try:
        data = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as err:
        _fail(path, describe_yaml_error(err))
    return raw, data


def _read_sector(path, index: int, entry) -> Sector:
    if not isinstance(entry, dict):
        _fail(path, f"sector #{index} is not a mapping with id, label, dac, terms, exclude")
    sid = entry.get("id")
    if not isinstance(sid, str) or not _SECTOR_ID.fullmatch(sid):
        _fail(path, f"sector #{index}: id must be a snake_case name such as urban_planning")
    unknown = sorted(set(map(str, entry)) - SECTOR_KEYS)
    if unknown:
        allowed = ", ".join(sorted(SECTOR_KEYS))
        _fail(path, f"sector {sid!r}: unknown key(s) {', '.join(unknown)} (allowed: {allowed})")
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        _fail(path, f"sector {sid!r}: label must be a non-empty string")
    dac = entry.get("dac") or []
    if not isinstance(dac, list):
        _fail(path, f"sector {sid!r}: dac must be a list of OECD DAC/CRS codes, e.g. ['110']")
    dac = [str(code) for code in dac]
    for code in dac:
        if not _DAC_CODE.fullmatch(code):
            _fail(path, f"sector {sid!r}: DAC code {code!r} is not 3 or 5 digits")
    terms = _string_list(path, entry.get("terms"), f"sector {sid!r}: terms")
    if not terms:
        _fail(path, f"sector {sid!r} has no terms")
    exclude = _string_list(path, entry.get("exclude"), f"sector {sid!r}: exclude")
    for phrase in terms + exclude:
        key = normalise_term(phrase)
        if not _TERM_SHAPE.fullmatch(key):
            _fail(
                path,
                f"sector {sid!r}: {phrase!r} has characters other than letters, digits, "
                "spaces, hyphens, '&' and '.'",
            )
        if key.count(" ") >= MAX_TERM_WORDS:
            _fail(path, f"sector {sid!r}: {phrase!r} is longer than {MAX_TERM_WORDS} words")
    return Sector(sid, label.strip(), tuple(dac), tuple(terms), tuple(exclude))


def _variants(key: str) -> list[str]:
    # The key with each of its word gaps written every way the fast route may meet it.
    words = key.split(" ")
    if len(words) == 1:
        return [key]
    return [
        "".join(word + sep for word, sep in zip(words, (*seps, ""), strict=True))
        for seps in itertools.product(SEPARATORS, repeat=len(words) - 1)
    ]


def _compile(path, sectors: list[Sector]):
    automaton = ahocorasick.Automaton()
    owner: dict[str, tuple[str, str]] = {}  # key -> (sector, "term" | "exclude")
    entries: list[tuple[str, str | None, str]] = []  # (key, sector or None for excludes, term)
    for sector in sectors:
        for term in sector.terms:
            key = normalise_term(term)
            if key in owner:
                other, kind = owner[key]
                if other == sector.id and kind == "term":
                    continue  # a spelling that normalises to one already listed
                _fail(path, f"term {term!r} is listed under both {other!r} and {sector.id!r}")
            owner[key] = (sector.id, "term")
            entries.append((key, sector.id, term))
    for sector in sectors:
        for phrase in sector.exclude:
            key = normalise_term(phrase)
            if key in owner:
                other, kind = owner[key]
                if kind == "exclude":
                    continue
                _fail(path, f"sector {sector.id!r}: exclude {phrase!r} is a term of {other!r}")
            owner[key] = (sector.id, "exclude")
            entries.append((key, None, phrase))
    keys: dict[str, tuple | None] = {}  # None: a hit sends the text to the full normalisation
    for key, sector_id, term in entries:
        value = (len(key), sector_id, term)
        keys.update((variant, value) for variant in _variants(key))
        words = key.split(" ")
        for i in range(1, len(words)):
            for head in _variants(" ".join(words[:i])):
                keys.update((head + odd, None) for odd in ODD_GAPS)
    # The automaton looks a node's children up in the order they were added: adding keys made of
    # frequent letters first makes the pass a little faster.
    for key in sorted(keys, key=lambda k: [_LETTER_RANK.get(c, 99) for c in k]):
        automaton.add_word(key, keys[key])
    automaton.make_automaton()
    phrases = [(key, value) for key, value in keys.items() if value is not None]
    patterns = (*(key for key, _ in phrases), *_GAP_NEEDLES)
    values = (*((*value, not key.isalnum()) for key, value in phrases), *[None] * len(_GAP_NEEDLES))
    # An exclude that holds none of its sector's terms can never take a mention away.
    for sector in sectors:
        for phrase in sector.exclude:
            key = normalise_term(phrase)
            if not any(hit[2] == sector.id for hit in _whole_word_hits(key, automaton)):
                _fail(
                    path,
                    f"sector {sector.id!r}: exclude {phrase!r} contains none of its terms, "
                    "so it can never apply",
                )
    # Every word of a phrase but its last: where a phrase may go on after a word.
    head_ends = frozenset(word for key, _, _ in entries for word in key.split(" ")[:-1])
    return automaton, patterns, values, head_ends


def load_lexicon(path: str | Path) -> Lexicon:
    """Read, check and compile a sector lexicon; a malformed file raises ConfigError naming it."""
    path = resolve(path)
    raw, data = _read_yaml(path)
    if not isinstance(data, dict) or "sectors" not in data:
        _fail(path, "expected a mapping with a 'sectors:' list at the top level")
    entries = data["sectors"]
    if not isinstance(entries, list) or not entries:
        _fail(path, "'sectors' must be a non-empty list of sectors")
    sectors: list[Sector] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        sector = _read_sector(path, index, entry)
        if sector.id in seen:
            _fail(path, f"sector id {sector.id!r} is listed twice")
        seen.add(sector.id)
        sectors.append(sector)
    automaton, patterns, values, head_ends = _compile(path, sectors)
    fingerprint = hashlib.sha256(raw).hexdigest()
    has_excludes = any(s.exclude for s in sectors)
    return Lexicon(
        str(path),
        fingerprint,
        tuple(sectors),
        automaton,
        has_excludes,
        patterns,
        values,
        head_ends,
    )


def tabulate_lexicon(lexicon: Lexicon) -> pd.DataFrame:
    """One row per sector: id, label, DAC codes, number of terms, the terms and the excludes."""
    rows = [
        {
            "sector": s.id,
            "label": s.label,
            "dac": ", ".join(s.dac),
            "n_terms": len(s.terms),
            "terms": "; ".join(s.terms),
            "exclude": "; ".join(s.exclude),
        }
        for s in lexicon.sectors
    ]
    return pd.DataFrame(rows)


# --- Matching ------------------------------------------------------------------------------------


def _whole_word_hits(s: str, automaton) -> list[tuple[int, int, str | None, str]]:
    # Every whole-word hit, overlapping ones included, as (start, end, sector, term).
    hits = []
    for end, value in automaton.iter(s):
        if value is not None:
            start = end - value[0] + 1
            if (start == 0 or not s[start - 1].isalnum()) and (
                end + 1 == len(s) or not s[end + 1].isalnum()
            ):
                hits.append((start, end + 1, value[1], value[2]))
    return hits


def _match(s: str, automaton) -> list[Mention] | None:
    # Whole-word hits of s, leftmost-longest and non-overlapping (excludes included, with sector
    # None); None when s holds a sequence that only the full normalisation handles.
    chosen, trouble = _match_from(s, automaton, 0)
    return None if trouble >= 0 else chosen


def _match_from(s: str, automaton, pos: int) -> tuple[list[Mention], int]:
    # As _match, from `pos` on; stops at the first sequence that only the full normalisation
    # handles and returns its position with what was chosen so far (-1 when there is none).
    isalnum = str.isalnum
    n = len(s)
    chosen: list[Mention] = []
    last_end = 0
    for end, value in automaton.iter(s, pos):
        if value is None:
            return chosen, end
        start = end - value[0] + 1
        if start and isalnum(s[start - 1]):
            continue
        end += 1
        if end < n and isalnum(s[end]):
            continue
        # Hits arrive in order of their end. One that overlaps phrases already chosen replaces
        # them if it starts no later than all of them (leftmost, then longest), else it loses.
        if start < last_end:
            i = len(chosen) - 1
            while i and start < chosen[i - 1][3]:
                i -= 1
            if chosen[i][2] < start:
                continue
            del chosen[i:]
        chosen.append(_new(Mention, (value[1], value[2], start, end)))
        last_end = end
    return chosen, -1


def _match_normalised(low: str, automaton, offset: int = 0) -> list[Mention]:
    # Match the fully normalised form of `low`; offsets are those of `low`, plus `offset`.
    norm, marks, shifts = _full_form(low)
    chosen = _match(norm, automaton) or []
    if marks or offset:
        chosen = [
            m._replace(
                start=offset + _to_original(m.start, marks, shifts),
                end=offset + _to_original(m.end - 1, marks, shifts) + 1,
            )
            for m in chosen
        ]
    return chosen


def _match_by_paragraph(low: str, automaton) -> list[Mention]:
    # The fast route over the whole text; a paragraph with a sequence only the full
    # normalisation handles (a no-break space, " - ") is normalised and matched alone, as no
    # phrase crosses a paragraph break.
    found: list[Mention] = []
    pos, n = 0, len(low)
    while pos < n:
        chosen, trouble = _match_from(low, automaton, pos)
        if trouble < 0:
            found += chosen
            break
        head = low.rfind("\n\n", 0, trouble)
        head = pos if head < pos else head + 2
        tail = low.find("\n\n", trouble)
        tail = n if tail < 0 else tail
        found += [m for m in chosen if m.end <= head]
        found += _match_normalised(low[head:tail], automaton, head)
        pos = tail
    return found


def _phrase_may_cross(low: str, start: int, end: int, head_ends: frozenset[str]) -> bool:
    # Whether a phrase may go on across the gap at low[start:end]: only when the word before it
    # could end the first words of a phrase ("clean" in "clean  energy"). Elsewhere the gap
    # changes no match, and the fast route reads the paragraph as the exact one would.
    if end - start == 1 and start and low[start - 1] in SEPARATORS:
        start -= 1  # a lone odd character after a separator: the gap is both
    if not start or not low[start - 1].isalnum():
        return False
    word = low[
        max(low.rfind(" ", 0, start), low.rfind("\n", 0, start), low.rfind("-", 0, start))
        + 1 : start
    ]
    if word in head_ends:
        return True
    # "(clean  energy": the word may follow punctuation
    return any(word[i + 1 :] in head_ends for i, c in enumerate(word) if not c.isalnum())


def _match_fast(low: str, lexicon: Lexicon) -> list[Mention]:
    # Leftmost-longest over every hit, then whole words only: the same mentions as choosing among
    # whole-word hits alone, provided every hit that is not a whole word is a single run of
    # letters and digits (no whole word can start inside it, nor share its start and end
    # sooner). A paragraph where that fails, or with a gap only the exact route reads (an odd
    # space, " - "), goes through the exact route on its own.
    values = lexicon.values
    isalnum = str.isalnum
    n = len(low)
    chosen: list[Mention] = []
    skip = 0  # hits before this belong to paragraphs already matched by the exact route
    for index, start, end in lexicon.finder.find_matches_as_indexes(low):
        if start < skip:
            continue
        value = values[index]
        if value is not None:
            if not ((start and isalnum(low[start - 1])) or (end < n and isalnum(low[end]))):
                chosen.append(_new(Mention, (value[1], value[2], start, end)))
                continue
            if not value[3]:
                continue  # a single run of letters and digits inside a longer word
        elif not _phrase_may_cross(low, start, end, lexicon.head_ends):
            continue
        # A gap only the exact route reads, or a phrase (or "r&d") inside longer words, which
        # may hide a whole word: the exact route for this paragraph.
        head = low.rfind("\n\n", 0, start)
        head = 0 if head < 0 else head + 2
        skip = low.find("\n\n", end)
        skip = n if skip < 0 else skip
        while chosen and chosen[-1][2] >= head:
            chosen.pop()
        chosen += [
            _new(Mention, (m[0], m[1], m[2] + head, m[3] + head))
            for m in _match_by_paragraph(low[head:skip], lexicon.automaton)
        ]
    return chosen


def find_sector_mentions(
    text: str, lexicon: Lexicon, *, lowered: str | None = None
) -> list[Mention]:
    """Return the sector terms in a text: whole words, longest phrase first, never overlapping.

    `lowered` may pass text.lower() when the caller has it already (e.g. shared with another
    matcher), to save lowercasing twice; offsets are always those of `text`.
    """
    low = lowered if lowered is not None and len(lowered) == len(text) else _lower(text)
    if _has_rare(low):
        chosen = _match_normalised(low, lexicon.automaton)
    elif lexicon.finder is not None:
        chosen = _match_fast(low, lexicon)
    else:
        chosen = _match_by_paragraph(low, lexicon.automaton)
    # An exclude phrase (sector None) takes its words and counts for nothing.
    if lexicon.has_excludes:
        return [m for m in chosen if m.sector is not None]
    return chosen


def _to_original(pos: int, marks: list[int], shifts: list[int]) -> int:
    i = bisect_right(marks, pos) - 1
    return pos + (shifts[i] if i >= 0 else 0)


_new = tuple.__new__


# --- Tables --------------------------------------------------------------------------------------

MENTION_COLUMNS = ["article_id", "published", "period", "sector", "label", "term", "count"]
TREND_COLUMNS = [
    "period",
    "sector",
    "label",
    "mentions",
    "words",
    "per_1000_words",
    "articles_mentioning",
    "articles_in_period",
    "share_of_articles",
]
EVIDENCE_COLUMNS = ["article_id", "published", "sector", "label", "term", "sentence"]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _ok_articles(articles: pd.DataFrame) -> pd.DataFrame:
    # The analysed articles without their text, which is streamed (`analysed_texts`), never copied.
    ok = articles.loc[analysed_mask(articles), [c for c in articles.columns if c != "text"]]
    return ok.assign(published=ok["published"].fillna("").astype(str))


def _resolve_period(period: str | None, published: pd.Series) -> str:
    if period in (None, "", "auto"):
        return choose_period(published[published != ""])
    if period not in PERIODS:
        raise ParameterError(f"period must be auto, {', '.join(PERIODS)}; not {period!r}")
    return period


def _check_date(name: str, value: str | None) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ParameterError(f"{name} must be a date written YYYY-MM-DD, not {value!r}")
    try:
        pd.Timestamp(value)
    except ValueError:
        raise ParameterError(f"{name} is not a real date: {value!r}") from None
    return value


def count_sector_mentions(
    articles: pd.DataFrame,
    lexicon: Lexicon,
    *,
    period: str | None = None,
    found: SectorHits | None = None,
) -> pd.DataFrame:
    """Count each sector term in each analysed article (status ok), with its publish period.

    `found` gives the counts `match_sector_terms` made already (from the cache or workers).
    """
    ok = _ok_articles(articles)
    period = _resolve_period(period, ok["published"])
    if found is not None:
        table = found.counts.copy()
    else:
        rows = [
            (article_id, published, sector, term, n)
            for article_id, published, text in zip(
                ok["article_id"], ok["published"], analysed_texts(articles), strict=True
            )
            for (sector, term), n in Counter(
                (m.sector, m.term) for m in find_sector_mentions(text, lexicon)
            ).items()
        ]
        table = pd.DataFrame(rows, columns=["article_id", "published", "sector", "term", "count"])
    table["count"] = table["count"].astype("int64")
    table["period"] = assign_period(table["published"], period) if len(table) else ""
    table["label"] = map_values(table["sector"], lexicon.labels)
    return table[MENTION_COLUMNS].astype({c: str for c in MENTION_COLUMNS if c != "count"})


def undated_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """List the analysed articles without a publish date: in totals, left out of time charts."""
    ok = _ok_articles(articles)
    columns = [c for c in ("article_id", "file", "title") if c in ok]
    return ok.loc[ok["published"] == "", columns].reset_index(drop=True)


def summarise_sector_trends(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Per period and sector: mentions, per 1,000 words, and how many articles are behind them.

    Only dated analysed articles inside the inclusive [start, end] window count; every period
    from the first to the last appears, so empty periods show as gaps, not as zeros.
    """
    start, end = _check_date("start", start), _check_date("end", end)
    if start and end and start > end:
        raise ParameterError(f"start ({start}) is after end ({end})")
    ok = _ok_articles(articles)
    dated = ok[ok["published"] != ""]
    if start:
        dated = dated[dated["published"] >= start]
    if end:
        dated = dated[dated["published"] <= end]
    period = _resolve_period(period, dated["published"])
    dated = dated.assign(period=assign_period(dated["published"], period))
    periods = (
        all_periods(dated["period"].min(), dated["period"].max(), period) if len(dated) else []
    )
    totals = (
        dated.groupby("period")
        .agg(words=("words", "sum"), articles_in_period=("article_id", "size"))
        .reindex(periods, fill_value=0)
    )
    firsts = mentions.drop_duplicates("sector")
    labels = dict(zip(firsts["sector"], firsts["label"], strict=True))
    # One row per article and sector first: then each row is one article mentioning the sector.
    per_article = (
        mentions.groupby(["article_id", "sector"], sort=False, observed=True)["count"]
        .sum()
        .reset_index()
    )
    period_of = pd.Series(dated["period"].to_numpy(), index=dated["article_id"].to_numpy())
    per_article["period"] = per_article["article_id"].map(period_of)
    inside = per_article[per_article["period"].notna()]
    counts = inside.groupby(["period", "sector"]).agg(
        mentions=("count", "sum"), articles_mentioning=("article_id", "size")
    )
    ranked = mentions.groupby("sector")["count"].sum().sort_values(ascending=False, kind="stable")
    grid = pd.MultiIndex.from_product([periods, list(ranked.index)], names=["period", "sector"])
    trends = counts.reindex(grid, fill_value=0).reset_index().join(totals, on="period")
    trends["label"] = trends["sector"].map(labels)
    words = trends["words"].where(trends["words"] > 0)
    in_period = trends["articles_in_period"].where(trends["articles_in_period"] > 0)
    trends["per_1000_words"] = trends["mentions"] / words * 1000
    trends["share_of_articles"] = trends["articles_mentioning"] / in_period
    for column in ("mentions", "words", "articles_mentioning", "articles_in_period"):
        trends[column] = trends[column].astype("int64")
    return trends[TREND_COLUMNS]


# --- Evidence ------------------------------------------------------------------------------------


def find_mention_sentences(
    text: str, mentions: list[Mention], abbreviations: frozenset[str]
) -> list[str]:
    """Return the sentence that holds each mention, in order (whitespace folded).

    `abbreviations` are those a sentence never ends on (`learn_abbreviations`).
    """
    from citylinks.sentences import cut_sentences

    spans_of: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}
    said: dict[tuple[int, int], str] = {}  # one string per sentence, however many mentions it holds
    sentences = []
    para = stop = -1  # the paragraph of the mention before, [para, stop)
    for m in mentions:
        # Cut only the paragraph around the mention (a sentence never crosses paragraphs).
        if not para <= m.start < stop:
            para = text.rfind("\n\n", 0, m.start)
            para = 0 if para < 0 else para + 2
            stop = text.find("\n\n", m.start)
            stop = len(text) if stop < 0 else stop
        cut = spans_of.get(para)
        if cut is None:
            spans = cut_sentences(text[para : max(stop, m.end)], abbreviations)
            cut = spans_of[para] = ([para + s for s, _ in spans], spans)
        starts, spans = cut
        i = bisect_right(starts, m.start) - 1
        if i < 0:
            sentences.append("")
            continue
        sentence = said.get((para, i))
        if sentence is None:
            s, e = spans[i]
            sentence = said[para, i] = " ".join(text[para + s : para + e].split())
        sentences.append(sentence)
    return sentences


class SectorHits(NamedTuple):
    """The sector terms of the analysed articles: counts in memory, every sentence on disk."""

    counts: pd.DataFrame  # article_id, published, sector, term, count: one row per article and term
    evidence: Path  # Parquet, EVIDENCE_COLUMNS: one row per mention with its sentence
    mentions: int  # rows in `evidence`
    sectors: pd.DataFrame  # article_id, sectors: each article's labels, most mentioned first
    evidence_csv: Path | None = None  # the same rows as CSV, until save_sector_tables moves it


def term_pairs(lexicon: Lexicon) -> tuple[tuple[str, str], ...]:
    """Every (sector id, term) of the lexicon, in its order: a mention's code is its place here."""
    return tuple((sector.id, term) for sector in lexicon.sectors for term in sector.terms)


def _hits_in(shared: tuple, text: str) -> tuple[bytes, tuple[str, ...]]:
    """One article's sector terms with their sentences, the cached per-article result: each
    mention's (sector, term) as its code in `term_pairs` (int32 bytes), and its sentence."""
    lexicon, abbreviations, codes = shared
    mentions = find_sector_mentions(text, lexicon)
    sentences = find_mention_sentences(text, mentions, abbreviations)
    found = array("i", [codes[m.sector, m.term] for m in mentions])
    return found.tobytes(), tuple(sentences)


def _hit_triples(shared: tuple, pairs, text: str) -> list[tuple[str, str, str]]:
    """One article's (sector, term, sentence) of each mention, in order (`pairs`: `term_pairs`)."""
    found, sentences = _hits_in(shared, text)
    return [(*pairs[c], s) for c, s in zip(array("i", found), sentences, strict=True)]


class _Hits:
    """The mentions of a whole corpus as codes: for each, its article's number and its
    (sector, term) code, with its sentence until written. The evidence goes to Parquet and to
    CSV as it comes, a slice at a time, so the sentences never pile up; the strings of the other
    columns are looked up in C, from a few thousand, when a slice is written."""

    SLICE = 50_000  # mentions held before their evidence is written
    QUEUED = 2  # slices waiting to be written, at most

    def __init__(self, path: Path, lexicon: Lexicon, ids: list[str], dates: list[str]):
        import pyarrow as pa

        pairs = term_pairs(lexicon)
        labels = lexicon.labels
        text = pa.large_string()
        self.path = path
        self.schema = pa.schema([(c, text) for c in EVIDENCE_COLUMNS])
        self.ids, self.dates = pa.array(ids, text), pa.array(dates, text)
        self.pair_columns = [
            pa.array([p[0] for p in pairs], text),
            pa.array([labels[p[0]] for p in pairs], text),
            pa.array([p[1] for p in pairs], text),
        ]
        self.articles = array("i")  # per mention: the article's number among `ids`
        self.codes = array("i")  # per mention: its place in `term_pairs`
        self.sentences: list[str] = []
        self.written = 0  # mentions whose evidence is on its way to disk
        self.csv_path = path.with_suffix(".csv")  # for people: save_sector_tables moves it
        self.writers: tuple | None = None
        # One thread writes the slices, in order, beside the matching: Arrow compresses and
        # formats them without holding the interpreter.
        self.writing = ThreadPoolExecutor(max_workers=1)
        self.queued: deque = deque()

    def add(self, number: int, codes: bytes, sentences: tuple[str, ...]) -> None:
        """Add one article's mentions (codes as `_hits_in` returns them)."""
        self.codes.frombytes(codes)
        self.articles.extend(array("i", [number]) * len(sentences))
        self.sentences += sentences
        if len(self.sentences) >= self.SLICE:
            self.flush()

    def flush(self) -> None:
        import numpy as np
        import pyarrow as pa

        stop = len(self.codes)
        articles = np.frombuffer(self.articles, np.int32)[self.written : stop]
        codes = np.frombuffer(self.codes, np.int32)[self.written : stop]
        columns = [self.ids.take(articles), self.dates.take(articles)]
        columns += [column.take(codes) for column in self.pair_columns]
        columns.append(pa.array(self.sentences, pa.large_string()))
        table = pa.Table.from_arrays(columns, schema=self.schema)
        while len(self.queued) >= self.QUEUED:  # the slices never pile up in memory
            self.queued.popleft().result()
        self.queued.append(self.writing.submit(self._write, table))
        self.sentences = []
        self.written = stop

    def _write(self, table) -> None:
        import pyarrow.parquet as pq

        from citylinks.tables import csv_writer

        if self.writers is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writers = (
                pq.ParquetWriter(self.path, self.schema),
                csv_writer(self.csv_path, self.schema),
            )
        for writer in self.writers:
            writer.write_table(table)

    def close(self) -> None:
        self.flush()
        while self.queued:
            self.queued.popleft().result()  # a write's error is raised here
        self.writing.shutdown()
        for writer in self.writers:
            writer.close()

    def counts(self) -> pd.DataFrame:
        """One row per article and (sector, term) it mentions, with the count: articles in
        order, each one's terms in the order they first appear."""
        import numpy as np
        import pyarrow as pa

        width = max(1, len(self.pair_columns[0]))
        key = np.frombuffer(self.articles, np.int32).astype(np.int64) * width
        key += np.frombuffer(self.codes, np.int32)
        distinct, first, n = np.unique(key, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        distinct, n = distinct[order], n[order]
        articles, codes = distinct // width, distinct % width
        sector, _label, term = self.pair_columns
        columns = [self.ids.take(articles), self.dates.take(articles)]
        columns += [sector.take(codes), term.take(codes), pa.array(n, pa.int64())]
        names = ["article_id", "published", "sector", "term", "count"]
        return pa.Table.from_arrays(columns, names=names).to_pandas()

    def article_sectors(self) -> pd.DataFrame:
        """Each article with a mention and its sector labels (`join_sector_labels`)."""
        import numpy as np

        labels = self.pair_columns[1].to_pylist()
        names = sorted(set(labels))
        rank = np.array([names.index(label) for label in labels] or [0], np.int64)
        width = max(1, len(names))
        key = np.frombuffer(self.articles, np.int32).astype(np.int64) * width
        key += rank[np.frombuffer(self.codes, np.int32)]
        distinct, n = np.unique(key, return_counts=True)
        articles, label = distinct // width, distinct % width
        # Most mentioned first, then by name: as join_sector_labels orders them.
        order = np.lexsort((label, -n, articles))
        articles, label = articles[order], label[order]
        starts = np.flatnonzero(np.diff(articles, prepend=-1)).tolist()
        spelled = [names[i] for i in label.tolist()]
        ends = [*starts[1:], len(spelled)][: len(starts)]  # none when nothing was found
        joined = [";".join(spelled[a:b]) for a, b in zip(starts, ends, strict=True)]
        ids = self.ids.take(articles[starts]).to_pylist() if starts else []
        return pd.DataFrame({"article_id": ids, "sectors": joined}, dtype="str")


@few_full_collections()
def match_sector_terms(
    articles: pd.DataFrame,
    lexicon: Lexicon,
    *,
    abbreviations: Iterable[str] | None = None,
    work_dir: str | Path,
    workers: int = 1,
    cache_dir: str | Path | None = None,
) -> SectorHits:
    """Find the sector terms of each analysed article and the sentence around each.

    Counts stay in memory; the sentences go straight to the `sector_evidence` stage table in
    `work_dir`, so a large corpus never holds them all. A sentence never ends on one of the
    `abbreviations` (from `learn_abbreviations`). Results are kept in `cache_dir` by the
    article's text and reused while the lexicon, the abbreviations and the code are unchanged;
    new articles are matched in `workers` processes (0: one per core).
    """
    from citylinks.cache import ResultCache, map_articles
    from citylinks.tables import keyed_texts, stage_path

    ok = _ok_articles(articles)
    abbreviations = with_known_abbreviations(abbreviations)
    config = f"sectors\n{lexicon.fingerprint}\n{' '.join(sorted(abbreviations))}"
    cache = ResultCache(cache_dir, "sector-hits", config=config)
    jobs = ((key, (text,)) for key, text in keyed_texts(articles, keep=analysed_mask(articles)))
    codes = {pair: code for code, pair in enumerate(term_pairs(lexicon))}
    hits = _Hits(
        stage_path(work_dir, "sector_evidence"),
        lexicon,
        ok["article_id"].tolist(),
        ok["published"].tolist(),
    )
    results = map_articles(
        _hits_in,
        jobs,
        shared=(lexicon, abbreviations, codes),
        cache=cache,
        workers=workers,
        total=len(ok),
    )
    for number, (found, sentences) in enumerate(results):
        if sentences:
            hits.add(number, found, sentences)
    cache.close()
    hits.close()
    sectors = hits.article_sectors()
    # What they were found in, so that a later stage reuses them only there (`extract_engagements`).
    sectors.attrs = {STAMP: articles.attrs.get(STAMP, ""), "lexicon": lexicon.fingerprint}
    return SectorHits(hits.counts(), hits.path, len(hits.codes), sectors, hits.csv_path)


def join_sector_labels(labels: Iterable[str]) -> str:
    """Sector labels, one per mention, as one ';'-joined string: most mentioned first, then by name."""
    counts = Counter(labels)
    return ";".join(s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def collect_sector_evidence(
    articles: pd.DataFrame,
    lexicon: Lexicon,
    *,
    abbreviations: Iterable[str] | None = None,
    sectors=None,
) -> pd.DataFrame:
    """One row per mention with the sentence that holds it, so every count can be checked.

    `sectors` keeps only those sector ids. For a whole corpus, `match_sector_terms` writes the
    same rows to disk as it goes.
    """
    ok = _ok_articles(articles)
    labels = lexicon.labels
    pairs = term_pairs(lexicon)
    codes = {pair: code for code, pair in enumerate(pairs)}
    shared = (lexicon, with_known_abbreviations(abbreviations), codes)
    rows = [
        (article_id, published, sector, labels[sector], term, sentence)
        for article_id, published, text in zip(
            ok["article_id"], ok["published"], analysed_texts(articles), strict=True
        )
        for sector, term, sentence in _hit_triples(shared, pairs, text)
        if sectors is None or sector in sectors
    ]
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS).astype(str)


def newest_evidence(hits: SectorHits, sectors: list[str], *, rows: int) -> pd.DataFrame:
    """Return the newest `rows` mentions of the given sectors, with their sentences.

    Only the row groups that hold them are read from the evidence file.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    source = pq.ParquetFile(hits.evidence)
    chosen = pa.array(list(sectors), pa.large_string())
    newest = [("published", "descending"), ("article_id", "ascending")]
    starts = [0]  # first row of each row group
    candidates = []  # the newest rows of each row group: the newest overall are among them
    for group in range(source.num_row_groups):
        keys = source.read_row_group(group, columns=["published", "article_id", "sector"])
        keys = keys.append_column(
            "row", pa.array(range(starts[-1], starts[-1] + keys.num_rows), pa.int64())
        )
        starts.append(starts[-1] + keys.num_rows)
        keys = keys.filter(pc.is_in(keys["sector"], chosen))
        candidates.append(keys.take(pc.sort_indices(keys, newest)[:rows]))
    keys = pa.concat_tables(candidates) if candidates else None
    wanted = [] if keys is None else keys["row"].take(pc.sort_indices(keys, newest)[:rows])
    if not len(wanted):
        return _empty_evidence()
    sizes = [b - a for a, b in itertools.pairwise(starts)]
    wanted = wanted.to_pylist()
    group_of = [bisect_right(starts, row) - 1 for row in wanted]
    groups = sorted(set(group_of))
    # Where each chosen group begins once only the chosen groups are read.
    begins = dict(
        zip(groups, itertools.accumulate([sizes[g] for g in groups[:-1]], initial=0), strict=True)
    )
    picked = source.read_row_groups(groups).take(
        [begins[g] + row - starts[g] for row, g in zip(wanted, group_of, strict=True)]
    )
    return picked.to_pandas().astype(str).reset_index(drop=True)


def _empty_evidence() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in EVIDENCE_COLUMNS})


# --- Lexicon suggestions -------------------------------------------------------------------------

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either few for
    from further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    said says say told according including well many much one two three four five six seven
    eight nine ten first second third last new year years month months day days time mr ms mrs
    since via per s whose within without upon toward towards among amid across along around
    expressed stressed noted emphasized emphasised highlighted affirmed reaffirmed underscored
    added hoped proposed agreed suggested pledged urged called asked thanked welcomed mentioned
    cited need view various several""".split()
)
NAME_SHARE = 0.6  # a word written with a capital this often inside a clause is part of a name
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”‘’–—…]+|\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentence_around(paragraph: str, offset: int) -> str:
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        if match.start() >= offset:
            return " ".join(paragraph[start : match.start()].split())
        start = match.end()
    return " ".join(paragraph[start:].split())


def suggest_lexicon_terms(
    articles: pd.DataFrame,
    lexicon: Lexicon,
    *,
    top: int = 30,
    min_count: int = 2,
    skip_names: bool = True,
    max_chars: int = 2_000_000,
) -> pd.DataFrame:
    """Frequent two- and three-word phrases that no sector term covers, with an example sentence.

    Words come from a regular-expression tokeniser, clause by clause, over the analysed articles
    (an even sample of them past `max_chars` characters); NLTK's collocation finders filter and
    score the two- and three-word phrases, ranked by count, then by likelihood ratio.
    Left out: phrases with a stopword at either end, phrases holding any sector term, and with
    `skip_names`, phrases holding a name (a word mostly Capitalised inside a clause).
    """
    from nltk.collocations import BigramCollocationFinder, TrigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures, TrigramAssocMeasures
    from nltk.probability import FreqDist

    columns = ["phrase", "words", "count", "articles", "example_article", "example"]
    ok = _ok_articles(articles)
    keep = analysed_mask(articles)
    total = int(text_lengths(articles, keep=keep).sum()) if len(ok) else 0
    step = max(1, math.ceil(total / max_chars)) if max_chars else 1
    # Only the sampled texts are read: every `step`-th analysed article.
    keep = keep & (keep.cumsum() % step == 1 % step)
    ok = ok.iloc[::step]
    clauses: list[list[str]] = []  # lowercased words of each clause
    where: list[tuple[str, str, int]] = []  # (article_id, paragraph, offset of the clause)
    seen_inside: Counter[str] = Counter()  # times a word stands inside a clause
    capital_inside: Counter[str] = Counter()  # ... written with a capital there
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    gapped: Counter[tuple[str, str]] = Counter()  # first and third word of each triple
    triples: Counter[tuple[str, str, str]] = Counter()
    for article_id, text in zip(ok["article_id"], iter_texts(articles, keep=keep), strict=True):
        for paragraph in text.split("\n\n"):
            pos = 0
            for piece in _CLAUSE.split(paragraph):
                offset = paragraph.find(piece, pos)
                pos = offset + len(piece)
                tokens = _WORD.findall(piece)
                if len(tokens) < 2:
                    continue
                lowered = [t.lower() for t in tokens]
                seen_inside.update(lowered[1:])
                capital_inside.update(
                    w for t, w in zip(tokens[1:], lowered[1:], strict=True) if t[0].isupper()
                )
                words.update(lowered)
                pairs.update(itertools.pairwise(lowered))
                gapped.update(zip(lowered, lowered[2:], strict=False))
                triples.update(zip(lowered, lowered[1:], lowered[2:], strict=False))
                clauses.append(lowered)
                where.append((article_id, paragraph, offset))
    names = {w for w, n in seen_inside.items() if capital_inside[w] >= NAME_SHARE * n}

    def unwanted(*words: str) -> bool:
        return (
            words[0] in STOPWORDS
            or words[-1] in STOPWORDS
            or any(len(w) < 2 for w in words)
            or (skip_names and any(w in names for w in words))
        )

    scored: dict[tuple[str, ...], tuple[int, float]] = {}
    word_fd, pair_fd = FreqDist(words), FreqDist(pairs)
    finders = (
        (BigramCollocationFinder(word_fd, pair_fd), BigramAssocMeasures.likelihood_ratio),
        (
            TrigramCollocationFinder(word_fd, pair_fd, FreqDist(gapped), FreqDist(triples)),
            TrigramAssocMeasures.likelihood_ratio,
        ),
    )
    for finder, measure in finders:
        finder.apply_freq_filter(min_count)
        finder.apply_ngram_filter(unwanted)
        for ngram, score in finder.score_ngrams(measure):
            if not find_sector_mentions(" ".join(ngram), lexicon):
                scored[ngram] = (finder.ngram_fd[ngram], score)
    # A pair only ever seen inside a longer phrase adds nothing to it.
    for ngram in [g for g in scored if len(g) == 3]:
        for pair in (ngram[:2], ngram[1:]):
            if pair in scored and scored[pair][0] == scored[ngram][0]:
                del scored[pair]
    ranked = sorted(scored, key=lambda g: (-scored[g][0], -scored[g][1]))[:top]
    # Where the chosen phrases occur: in how many articles, and a first example.
    found: dict[tuple[str, ...], dict] = {g: {"articles": set()} for g in ranked}
    for tokens, (article_id, paragraph, offset) in zip(clauses, where, strict=True):
        for size in (2, 3):
            for i in range(len(tokens) - size + 1):
                info = found.get(tuple(tokens[i : i + size]))
                if info is not None:
                    info["articles"].add(article_id)
                    info.setdefault("example", (article_id, _sentence_around(paragraph, offset)))
    rows = [
        (
            " ".join(g),
            len(g),
            scored[g][0],
            len(found[g]["articles"]),
            *found[g].get("example", ("", "")),
        )
        for g in ranked
    ]
    return pd.DataFrame(rows, columns=columns)


# --- Charts --------------------------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _no_dated_chart(name: str, title: str):
    from citylinks.charts import empty_chart

    message = "No dated article in the window: nothing to draw over time (see the undated list)."
    return empty_chart(name=name, title=title, message=message)


def _top_sectors(trends: pd.DataFrame, top: int) -> list[str]:
    totals = trends.groupby("label", sort=False)["mentions"].sum()
    totals = totals[totals > 0].sort_values(ascending=False, kind="stable")
    return list(totals.index[:top])


def _period_labels(trends: pd.DataFrame) -> dict[str, str]:
    n = trends.drop_duplicates("period").set_index("period")["articles_in_period"]
    return {p: f"{p} (n={k})" for p, k in n.items()}


def _single_periods(trends: pd.DataFrame) -> pd.Series:
    n = trends.drop_duplicates("period").set_index("period")["articles_in_period"]
    return n == 1


def _period_of(label: str) -> str:
    return label.split(" (n=", 1)[0]


def _thin_note(trends: pd.DataFrame) -> str:
    n = trends.drop_duplicates("period")["articles_in_period"]
    thin, empty = int((n == 1).sum()), int((n == 0).sum())
    notes = []
    if thin:
        notes.append(f"{_count(thin, 'period')} rest on a single article: read them as anecdotes")
    if empty:
        notes.append(f"{_count(empty, 'period')} without articles left blank")
    return ("; " + "; ".join(notes)) if notes else ""


def plot_sector_totals(mentions: pd.DataFrame, *, top: int = 12):
    """Bar chart of each sector's mentions over all analysed articles (dated or not)."""
    from citylinks.charts import bar_chart

    totals = mentions.groupby("label")["count"].sum().sort_values(ascending=False)
    n_articles = mentions["article_id"].nunique()
    shown = totals.head(top)
    caption = (
        f"Times each sector's terms occur in the {_count(n_articles, 'article')} that mention "
        f"any sector; top {len(shown)} of {_count(len(totals), 'sector')}."
    )
    return bar_chart(
        shown,
        name="sector_totals",
        title="Which sectors come up",
        xlabel="Mentions (matched terms)",
        ylabel="Sector",
        caption=caption,
    )


def plot_sector_heatmap(trends: pd.DataFrame, *, top: int = 12):
    """Heatmap of mentions per 1,000 words, sector by period, with the articles behind each."""
    from citylinks.charts import heatmap

    if trends.empty:
        return _no_dated_chart("sector_heatmap", "Sector mentions over time")
    sectors = _top_sectors(trends, top)
    shown = trends[trends["label"].isin(sectors)]
    table = shown.pivot(index="label", columns="period", values="per_1000_words")
    table = table.reindex(index=sectors).rename(columns=_period_labels(trends))
    n = int(trends.drop_duplicates("period")["articles_in_period"].sum())
    caption = (
        f"Mentions per 1,000 words in {_count(n, 'dated article')}, by period (n = articles "
        f"in it){_thin_note(trends)}."
    )
    if _single_periods(trends).any():
        caption += " Periods resting on a single article are outlined and labelled in orange."
    return heatmap(
        table,
        name="sector_heatmap",
        title="Sector mentions over time",
        xlabel="Period (n = articles)",
        ylabel="Sector",
        colorbar_label="Mentions per 1,000 words",
        caption=caption,
        single=_single_periods(trends).reindex(table.columns.map(_period_of)).tolist(),
    )


def plot_sector_trends(trends: pd.DataFrame, *, top: int = 6):
    """Small multiples: one panel per most mentioned sector, mentions per 1,000 words over the
    periods on one scale, under the number of articles behind each period."""
    from citylinks.charts import small_multiples

    if trends.empty:
        return _no_dated_chart("sector_trends", "Trends of the top sectors")
    sectors = _top_sectors(trends, top)
    table = trends[trends["label"].isin(sectors)].pivot(
        index="period", columns="label", values="per_1000_words"
    )
    table = table.reindex(columns=sectors)
    articles = trends.drop_duplicates("period").set_index("period")["articles_in_period"]
    n = int(articles.sum())
    caption = (
        f"Mentions per 1,000 words for the {_count(len(sectors), 'most mentioned sector')} in "
        f"{_count(n, 'dated article')}, one panel each on the same scale; gaps are periods "
        f"without articles{_thin_note(trends)}"
    )
    caption += " (hollow points, orange bars)." if (articles == 1).any() else "."
    chart = small_multiples(
        table,
        articles,
        name="sector_trends",
        title="Trends of the top sectors",
        xlabel="Period",
        ylabel="Mentions per 1,000 words",
        caption=caption,
    )
    # The CSV names each period with the articles behind it, as the heatmap does.
    chart.data["period"] = chart.data["period"].map(_period_labels(trends))
    return chart


def pick_top_sectors(mentions: pd.DataFrame, *, top: int) -> list[str]:
    """Return the ids of the `top` most mentioned sectors."""
    if mentions.empty:
        return []
    return list(mentions.groupby("sector")["count"].sum().nlargest(top).index)


def save_sector_tables(
    *,
    mentions: pd.DataFrame,
    trends: pd.DataFrame,
    evidence: SectorHits,
    suggestions: pd.DataFrame,
    work_dir,
    out_dir,
) -> None:
    """Write the stage tables for the overview and the CSVs for people.

    The evidence is already a stage table (`match_sector_terms` wrote it, and its CSV beside
    it, which is moved into place); without that CSV, it is copied from the table.
    """
    from citylinks.tables import (
        export_stage_csv,
        hand_over_csv,
        save_tables,
        write_side_by_side,
        write_stage_table,
    )

    written = evidence.evidence_csv
    if written is not None and written.exists():
        evidence_csv = partial(hand_over_csv, written, out_dir, "sector_evidence")
    else:
        evidence_csv = partial(export_stage_csv, evidence.evidence, out_dir, "sector_evidence")
    write_side_by_side(
        evidence_csv,
        partial(
            save_tables,
            {
                "sector_mentions": mentions,
                "sector_trends": trends,
                "lexicon_suggestions": suggestions,
            },
            work_dir=work_dir,
            out_dir=out_dir,
        ),
        # Each article's sectors, for the engagements of notebook 03 (a stage table only: the
        # CSV of sector mentions holds the same counts).
        partial(write_stage_table, evidence.sectors, work_dir, "article_sectors"),
    )
