"""Misspellings of known places: a capitalised word one edit from the name of a place the
article names (two for a long name) that is not itself a known word, place or person's name."""

from __future__ import annotations

import bisect
import zlib
from array import array
from collections.abc import Iterable
from functools import lru_cache

MIN_LENGTH = 5  # shorter names sit too close to ordinary words and names ("Kim", "Lee", "Park")
LONG_NAME = 9  # a name this long may be two edits away ("Vientiane")
_CACHE_LIMIT = 200_000  # (word, name) pairs remembered per process

# English endings and what the plain form ends with instead: "cities" -> "city". The word lists
# hold the plain forms only.
_ENDINGS = (
    ("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
    ("ers", ""), ("er", ""), ("er", "e"), ("ly", ""), ("ment", ""), ("ments", ""), ("'s", ""),
)  # fmt: skip


def edits_allowed(name: str) -> int:
    """How many edits away a misspelling of `name` may be."""
    return 2 if len(name) >= LONG_NAME else 1


@lru_cache(maxsize=50_000)
def anchors(name: str) -> tuple[tuple[bytes, int], ...]:
    """Pieces of ASCII `name`, as bytes, with their offsets, of which any misspelling keeps at
    least one whole: with k edits, one of k + 1 pieces is untouched. A letter is left out
    between two pieces, so that no edit, a swap of two neighbours included, spoils two pieces at
    once. The first piece is the capital alone, the others as long as can be: a short piece in
    small letters ("an") would be found all over the text ("Vientianne" keeps "V" of
    Vientiane; "Quangzhou" keeps "angzhou" of Guangzhou)."""
    if edits_allowed(name) == 1:
        cuts = [(0, 1), (2, len(name))]
    else:
        middle = 2 + (len(name) - 3) // 2
        cuts = [(0, 1), (2, middle), (middle + 1, len(name))]
    return tuple((name[a:b].encode(), a) for a, b in cuts)


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


def _stems(low: str) -> list[str]:
    """The word and its plain forms without an English ending."""
    return [low] + [
        low[: -len(end)] + plain
        for end, plain in _ENDINGS
        if low.endswith(end) and len(low) - len(end) >= 3
    ]


def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English words, lowercase, from the word lists the `english-words` package ships (Webster's
    Second and GCIDE; offline): Webster's also holds common given names ("susan", "sidney")."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


@lru_cache(maxsize=2)
def known_word_hashes(world_names: frozenset[str]) -> array:
    """Sorted hashes of the English words, of `world_names` (lowercase) and of each of their
    words: a compact set to share with worker processes, built once per process."""
    words = set(english_words())
    for name in world_names:
        words.add(name)
        words.update(name.replace("-", " ").split())
    return array("I", sorted({_word_hash(w) for w in words}))


class SpellingIndex:
    """What is no misspelling (known words, by their hashes) and the verdict on each (word,
    place name) pair met so far in this process."""

    def __init__(self, known: array, also_known: Iterable[str]):
        # known: the sorted hashes of lowercase words that are no misspelling (English words,
        # every place the packages know); also_known: a few more (the names this gazetteer
        # matches and their words, titles, family names, the home country's name syllables).
        self.known = known
        self.also_known = frozenset(also_known)
        self._seen: dict[tuple[str, str], bool] = {}

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_seen"] = {}
        return state

    def is_known(self, low: str) -> bool:
        """True when `low` (lowercase) is a known word or place, or one with an English ending
        ("talks", "planned", "meetings")."""
        return any(self._listed(stem) for stem in _stems(low))

    def _listed(self, low: str) -> bool:
        if low in self.also_known:
            return True
        h = _word_hash(low)
        i = bisect.bisect_left(self.known, h)
        return i < len(self.known) and self.known[i] == h

    def misspells(self, word: str, name: str) -> bool:
        """True when capitalised `word` is a misspelling of the one-word place name `name`."""
        key = (word, name)
        found = self._seen.get(key)
        if found is None:
            found = self._judge(word.lower(), name.lower())
            if len(self._seen) >= _CACHE_LIMIT:
                self._seen.clear()
            self._seen[key] = found
        return found

    def _judge(self, low: str, target: str) -> bool:
        if len(low) < MIN_LENGTH or low.startswith(target) or target.startswith(low):
            return False  # the name with an ending ("Koreas") or cut short ("Hiroshi")
        if abs(len(low) - len(target)) > edits_allowed(target):
            return False
        return not self.is_known(low) and edit_distance(low, target) <= edits_allowed(target)


def build_spelling_index(
    gazetteer, *, world_names: frozenset[str], known: Iterable[str]
) -> SpellingIndex:
    """The spelling index of a compiled gazetteer: English words, `world_names` (lowercase),
    `known` words and every name the gazetteer matches, with their words, are no misspelling."""
    from citylinks.gazetteer import fold

    words = {fold(w).lower() for w in known}
    for form, _value in gazetteer.keys:
        low = fold(form).lower().strip()
        words.add(low)
        words.update(low.replace("-", " ").split())
    return SpellingIndex(known_word_hashes(world_names), words)
