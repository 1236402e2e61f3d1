"""People's names: the titles and family names that show a capitalised name is a person."""

from __future__ import annotations

from pathlib import Path

from citylinks.errors import ConfigError, read_config_yaml


def read_people(path: str | Path) -> tuple[frozenset[str], frozenset[str]]:
    """Read and check the people file: the titles written before a name ("Mayor", "Mr.") and
    the family names written before a given name ("Huang", "Kim")."""
    path = Path(path)
    data = read_config_yaml(path, what="people file")
    if not isinstance(data, dict):
        raise ConfigError(path, "expected a mapping with 'titles' and 'surnames' lists")
    unknown = set(data) - {"titles", "surnames"}
    if unknown:
        raise ConfigError(path, f"unknown top-level key(s) {sorted(unknown)}")
    sets = []
    for key in ("titles", "surnames"):
        words = data.get(key) or []
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ConfigError(path, f"'{key}' must be a list of words")
        sets.append(frozenset(w.strip() for w in words if w.strip()))
    return sets[0], sets[1]


def word_before(text: str, pos: int) -> str:
    """The word that ends one space before `pos`, with its final full stop ("Mr.")."""
    if pos < 2 or text[pos - 1] != " ":
        return ""
    end = pos - 1
    start = end - 1 if text[end - 1] == "." else end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'’"):
        start -= 1
    return text[start:end]


def in_persons_name(text: str, start: int, *, titles, surnames) -> bool:
    """True when the name at text[start:] is part of a person's name: written straight after a
    title ("Secretary Kunming", "Mr. Paris") or a family name ("Huang Kunming")."""
    # Most names follow a small word ("in Seoul"): the word before is read only when it starts
    # with a capital, and a title or family name is never longer than 16 letters.
    if start < 2 or text[start - 1] != " ":
        return False
    begin = text.rfind(" ", max(0, start - 18), start - 1) + 1
    if begin == 0 and start > 18:
        return False
    if not text[begin].isupper():
        begin = max(text.rfind("\n", begin, start - 1), text.rfind("(", begin, start - 1)) + 1
        if not begin or not text[begin].isupper():
            return False
    before = text[begin : start - 1]
    return before in titles or before in surnames
