"""Finding places in one article: which gazetteer places a text names, where, and as what."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from citylinks.gazetteer import _CODE_BLOCK, _CODE_PERSON, _CODE_PROBE, Gazetteer
from citylinks.spelling import MIN_LENGTH, anchors, edits_allowed

# A package place is not read from a word directly after or before another capitalised word
# ("Van Ha", "Independence Day"), unless that word is one of these.
ALLOWED_BEFORE = frozenset(
    "In At From To And Or The With By For Of On Like Both Between Visit Visiting Greater "
    "Metropolitan Central North South East West Northern Southern Eastern Western Upper Lower "
    "Inner Outer Downtown During After Before Since Unlike Across Around Near Outside Inside "
    "Within Via Through Toward Towards Against Including Besides Beyond Over Under While When "
    "As If Although But So Yet Then Also Only Even Today Yesterday Meanwhile Moreover Where".split()
)
ALLOWED_AFTER = frozenset(
    "Province Prefecture State Region City District County Municipality Metropolitan Municipal "
    "Mayor Governor Council Government Assembly People People's Party Port Airport University "
    "Department Office Embassy Consulate Ambassador Chamber Expo Capital".split()
)
# Words after a name that say which kind of place it is ("Gyeonggi Province", "Busan City").
SUFFIX_KINDS = {
    "Province": "province",
    "Prefecture": "province",
    "State": "province",
    "Region": "province",
    "City": "city",
    "Municipality": "city",
    "District": "district",
}


class PlaceMention(NamedTuple):
    """A place named in a text: which place, where (offsets into the text), and as what."""

    name: str
    start: int
    end: int
    surface: str
    curated: bool
    qualifier: bool = False  # only qualifies a place inside it: "Seoul" in "Seoul's Dongdaemun"
    misspelt: bool = False  # a misspelling of the place's name: "Vientianne"


class PlaceScan(NamedTuple):
    """What one pass over an article finds: place mentions, and package place names it uses as
    lowercase words (for the corpus-wide common-word rule)."""

    mentions: tuple[PlaceMention, ...]
    lowercase: tuple[tuple[str, int], ...] = ()


# ---------------------------------------------------------------------------------------------
# Text helpers

# Spaces other than " ", "\n" and the no-break space, rare in news text.
_RARE_SPACE = re.compile(
    r"[\t\r\x0b\x0c\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
_RARE_SPACES = "\u2009\u202f\u2002\u2003\u2007\u2008\u200a\u3000\u2028\u2029\u2004\u2005\u2006"
_SPACE_RUN = re.compile(r" {2,}")
_PARAGRAPH_MARK = "\ue000\ue000"  # a private-use pair that holds "\n\n" while lone "\n" go


def _normalise_space(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Return text with odd whitespace (a line break inside a paragraph, a no-break space, a
    tab, a run of spaces) made one space, and what maps its offsets back. Paragraph breaks
    ("\n\n") stay, so no name is read across two paragraphs."""
    t = text
    if "\n\n" not in t:
        t = t.replace("\n", " ")  # no paragraph to keep: one pass (a raw page's lines)
    elif t.count("\n") != 2 * t.count("\n\n"):
        t = t.replace("\n\n", _PARAGRAPH_MARK).replace("\n", " ").replace(_PARAGRAPH_MARK, "\n\n")
    if "\u00a0" in t:
        t = t.replace("\u00a0", " ")
    if "\t" in t or "\r" in t or (not t.isascii() and any(c in t for c in _RARE_SPACES)):
        t = _RARE_SPACE.sub(" ", t)  # one for one: offsets do not move
    if "  " not in t:
        return t, None, None
    new_starts = [0]
    old_starts = [0]
    pieces = []
    last = 0
    shift = 0
    for m in _SPACE_RUN.finditer(t):
        s, e = m.span()
        pieces.append(t[last : s + 1])
        shift += e - s - 1
        last = e
        new_starts.append(e - shift)
        old_starts.append(e)
    pieces.append(t[last:])
    return "".join(pieces), new_starts, old_starts


def _to_original(pos: int, new_starts: list[int] | None, old_starts: list[int] | None) -> int:
    if new_starts is None:
        return pos
    i = bisect.bisect_right(new_starts, pos) - 1
    return old_starts[i] + (pos - new_starts[i])


def _word_before(text: str, pos: int) -> str:
    """The word that ends one space before `pos`; an initial ("R.") counts as a word."""
    if pos < 2 or text[pos - 1] != " ":
        return ""
    end = pos - 1
    if text[end - 1] == "." and end >= 2 and text[end - 2].isupper():
        if end == 2 or not text[end - 3].isalnum():
            return text[end - 2]  # "Rafael R. Sevilla": an initial, part of a person's name
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'’"):
        start -= 1
    return text[start:end]


# ---------------------------------------------------------------------------------------------
# Finding places in one article (pure: text + gazetteer -> mentions)


def scan_places(text: str, gazetteer: Gazetteer) -> PlaceScan:
    """Find the places an article names, and package place names it also uses as lowercase
    words; a pure function of the text and the gazetteer, so it can be cached and parallelised."""
    norm, new_starts, old_starts = _normalise_space(text)
    size = len(norm)
    # Leftmost-longest, online: hits arrive by end position; a later hit that starts at or
    # before the last kept one is longer and replaces it ("Gyeonggi Province" over "Gyeonggi");
    # one that starts inside it is dropped ("Korea" in "South Korea").
    kept: list[tuple[int, int, tuple]] = []
    lowercase: Counter | None = None
    # Where a name would be part of a person's, straight after a title or family name and one
    # space ("Secretary Huang Kunming"): the automaton finds those words with the places.
    persons: set[int] = set()
    if gazetteer.automaton is None:
        return PlaceScan(())
    values, organisations = gazetteer.values, gazetteer.organisations
    for index, start, end in gazetteer.automaton.find_matches_as_indexes(norm, overlapping=True):
        value = values[index]
        code = value[0]
        if code == _CODE_PROBE:
            if lowercase is None:
                lowercase = Counter()
            lowercase.update(value[2])
            continue
        if code != _CODE_PERSON and kept and kept[-1][0] < start < kept[-1][1]:
            continue
        if value[4] and start:
            before = norm[start - 1]
            if before.isalnum() or (before in "'’" and start > 1 and norm[start - 2].isalnum()):
                continue  # inside a word: "Seoulite", "O'Kennedy"
        if code == _CODE_PERSON:
            persons.add(end)
            continue
        if value[5] and end < size and norm[end].isalnum():
            continue
        i = len(kept)
        while i and kept[i - 1][0] >= start:
            i -= 1
        if i and kept[i - 1][1] > start:
            continue  # it overlaps an earlier kept name, which wins as the leftmost
        del kept[i:]
        kept.append((start, end, value))
    probes = tuple(sorted(lowercase.items())) if lowercase else ()
    raw = []  # (start, end, owners, curated, kind hint, misspelt)
    for s, e, value in kept:
        if value[0] == _CODE_BLOCK:
            continue
        curated = value[3]
        hint = ""
        after = ""
        if e + 1 < size and norm[e] == " " and norm[e + 1].isupper():
            after = _WORD_AT.match(norm, e + 1).group()
            if after in SUFFIX_KINDS:
                hint = SUFFIX_KINDS[after]
                e += 1 + len(after)
                after = ""
                if e + 1 < size and norm[e] == " " and norm[e + 1].isupper():
                    after = _WORD_AT.match(norm, e + 1).group()
        if not curated:
            # A package name inside a longer capitalised name is not a place: "Van Ha",
            # "Independence Day", "Lotte Mall Ho Tay".
            if after and after not in ALLOWED_AFTER:
                continue
            before = _word_before(norm, s)
            # (A name written with a word in small letters first, "state of Victoria", may
            # follow a capitalised word: "the Australian state of Victoria".)
            if (
                before
                and before[0].isupper()
                and norm[s].isupper()
                and before not in ALLOWED_BEFORE
                and not before.endswith(("'s", "’s"))  # "Berlin's Kreuzberg district"
            ):
                continue
        if s in persons or (value[2][0] in organisations and _in_other_name(norm, s, e, gazetteer)):
            continue
        raw.append((s, e, value[2], curated, hint, False))
    if gazetteer.spelling is not None and raw:
        misspelt = _misspelt_places(norm, raw, gazetteer, persons)
        if misspelt:
            raw = sorted(raw + misspelt, key=lambda r: r[0])
    if not raw:
        return PlaceScan((), probes)
    places = gazetteer.places
    sure_countries = None
    mentions = []
    for s, e, owners, curated, hint, misspelt in raw:
        name = owners[0]
        if len(owners) > 1:
            if sure_countries is None:
                sure_countries = {places[r[2][0]].country for r in raw if len(r[2]) == 1}
            name = _pick_candidate(owners, hint, sure_countries, places)
        if new_starts is not None:
            s = _to_original(s, new_starts, old_starts)
            e = _to_original(e - 1, new_starts, old_starts) + 1
        mentions.append(PlaceMention(name, s, e, text[s:e], curated, False, misspelt))
    if len(mentions) > 1:
        mentions = _mark_qualifiers(mentions, text, gazetteer)
    return PlaceScan(tuple(mentions), probes)


_WORD_AT = re.compile(r"[\w'’]*")


def _in_other_name(text: str, s: int, e: int, gazetteer: Gazetteer) -> bool:
    """True when the organisation name at text[s:e] is part of another name: a line of capitals
    ("WHO SAID"), or an organisation's written for its members ("ASEAN countries")."""
    acronyms = gazetteer.acronyms
    if text[s:e] in acronyms:
        for word in (_word_before(text, s), _word_after(text, e)):
            if len(word) > 1 and word.isupper() and word not in acronyms:
                return True
    return _word_after(text, e) in gazetteer.member_words


def _word_after(text: str, e: int) -> str:
    if e + 1 < len(text) and text[e] == " ":
        return _WORD_AT.match(text, e + 1).group()
    return ""


_LOCALITIES = frozenset({"city", "province", "district"})
_LETTERS = re.compile(r"[^\W\d_]*")


def _word_start(text: str, low: int, high: int) -> int:
    """The first position in [low, high] where a capitalised word starts, -1 for none."""
    for s in range(max(low, 0), min(high, len(text) - 1) + 1):
        if text[s].isupper() and (s == 0 or not text[s - 1].isalpha()):
            return s
    return -1


def _misspelt_places(text: str, raw: list, gazetteer: Gazetteer, persons: set[int]) -> list[tuple]:
    """Capitalised words that misspell the one-word name of a locality the article names twice
    or more ("Vientianne" beside "Vientiane"), as raw mentions of that place; read like a
    package place (not inside a longer capitalised name, not at one of `persons`, where a
    person's name goes on). Each is found through a piece of the name it keeps whole, so only
    a few words are looked at; a word that is a place's name is a known word, never a
    misspelling."""
    spelling = gazetteer.spelling
    # The names of localities (not countries, not organisations: the press spells those right)
    # the article writes at least twice: a place named once is seldom what the article is
    # about, and each name looked for costs a pass over the text.
    if len(raw) < 2:
        return []
    places = gazetteer.places
    counts = Counter([r[2] for r in raw])
    wanted = {o for o, n in counts.items() if n > 1 and places[o[0]].kind in _LOCALITIES}
    if not wanted:
        return []
    names = {}
    for s, e, owners, _curated, _hint, _misspelt in raw:
        if owners in wanted and e - s >= MIN_LENGTH:
            form = text[s:e]
            if form.isalpha() and form.isascii():
                names[form] = owners
    if not names:
        return []
    # Searched as ASCII bytes, one for one with the text ("?" for any other character):
    # finding a short piece in bytes is several times faster.
    text_bytes = text.encode("ascii", "replace")
    seen: set[int] = set()
    found = []
    for form, owners in names.items():
        for s in _candidate_starts(text, text_bytes, form):
            if s in seen:
                continue
            seen.add(s)
            e = s + len(_LETTERS.match(text, s).group())
            word = text[s:e]
            if not spelling.misspells(word, form):
                continue
            if re.search(rf"\b{word.lower()}\b", text):
                continue  # the article also writes it in small letters: a word
            after = _word_after(text, e)
            if after[:1].isupper() and after not in ALLOWED_AFTER and after not in SUFFIX_KINDS:
                continue
            before = _word_before(text, s)
            if before[:1].isupper() and before not in ALLOWED_BEFORE:
                continue
            if s in persons:
                continue
            found.append((s, e, owners, False, "", True))
    return found


def _candidate_starts(text: str, text_bytes: bytes, form: str):
    """Where the capitalised words that keep a piece of `form` whole start (some more than
    once). `text_bytes` is the text as ASCII, one byte per character ("?" for any other)."""
    reach = edits_allowed(form)
    # The name itself, written right, is blanked out first: most finds would be it.
    hay = text_bytes.replace(form.encode(), b"\0" * len(form))
    # The first piece is the capital: words that start with it and are of a misspelling's length.
    shortest = max(len(form) - reach, MIN_LENGTH)
    for m in _initial_pattern(form[0], shortest, len(form) + reach).finditer(hay):
        yield m.start()
    for piece, offset in anchors(form)[1:]:
        pos = hay.find(piece)
        while pos != -1:
            start = pos - offset  # where the word starts if no edit came before the piece
            pos = hay.find(piece, pos + 1)
            if hay[max(start - reach, 0) : start + reach + 1].islower():
                continue  # inside a word in small letters: most finds end here, at once
            s = _word_start(text, start - reach, start + reach)
            if s >= 0:
                yield s


@lru_cache(maxsize=4096)
def _initial_pattern(initial: str, shortest: int, longest: int) -> re.Pattern:
    # A capitalised word of `shortest` to `longest` characters starting with `initial`, in
    # ASCII bytes ("?" may be a letter). The capital comes first in the pattern, so the search
    # skips from one to the next at C speed.
    letter = re.escape(initial.encode())
    return re.compile(
        letter
        + rb"(?<![A-Za-z]"
        + letter
        + rb")[a-z?]{%d,%d}(?![a-z])" % (shortest - 1, longest - 1)
    )


def _pick_candidate(owners, hint, sure_countries, places) -> str:
    """Choose among places sharing a name: the kind a suffix names, then one in a country the
    article names elsewhere, then the first (countries before cities before subdivisions)."""
    ranked = list(owners)
    if hint:
        ranked.sort(key=lambda o: places[o].kind != hint)
    for owner in ranked:
        if places[owner].country in sure_countries:
            return owner
    return ranked[0]


def _mark_qualifiers(mentions: list[PlaceMention], text: str, gaz: Gazetteer) -> list[PlaceMention]:
    """Mark a place named only to locate the place beside it: "Seoul's Dongdaemun District",
    "Guangzhou, China", "Gyeonggi (South Korea)", "Dongdaemun District of Seoul"."""
    marks = [False] * len(mentions)
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if b.start - a.end > 8 or a.name == b.name:
            continue
        gap = _SPACES.sub(" ", text[a.end : b.start])
        if gap in _AFTER_GAPS and b.name in gaz.ancestors(a.name):
            marks[i + 1] = True
        elif gap in _BEFORE_GAPS and a.name in gaz.ancestors(b.name):
            marks[i] = True
    if not any(marks):
        return mentions
    return [m._replace(qualifier=True) if q else m for m, q in zip(mentions, marks, strict=True)]


_SPACES = re.compile(r"\s+")
_AFTER_GAPS = frozenset({", ", ",", " (", "(", " of ", ", in "})  # "Guangzhou, China"
_BEFORE_GAPS = frozenset({"'s ", "’s ", "' ", "’ "})  # "Seoul's Dongdaemun"


def find_place_mentions(text: str, gazetteer: Gazetteer) -> list[PlaceMention]:
    """Return the partner places a text names, in order, with offsets into `text`."""
    return list(scan_places(text, gazetteer).mentions)


# ---------------------------------------------------------------------------------------------
# The corpus-wide common-word rule


class _WordUses:
    """How often the corpus writes each package place's name as a lowercase word and names the
    place (capitalised): the corpus-wide rule that tells a common word from a place."""

    def __init__(self):
        self.lower: Counter = Counter()
        self.upper: Counter = Counter()

    def count(self, names: tuple[str, ...], flags: bytes, lowercase) -> None:
        """Count one article's uses, from its packed scan."""
        for name, n in lowercase:
            self.lower[name] += n
        for name, flag in zip(names, flags, strict=True):
            if not flag & 1:  # a package place, not a curated one
                self.upper[name] += 1

    def common_places(self) -> set[str]:
        """Package places whose name the corpus uses at least as often as a lowercase word as
        it uses it capitalised: a common word, not a place ("Reading", "Orange")."""
        upper = self.upper
        return {name for name, n in self.lower.items() if upper.get(name, 0) and n >= upper[name]}
