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


def person_name_keys(titles: frozenset[str], surnames: frozenset[str]) -> list[str]:
    """What the place finder also looks for, so that it knows a name written straight after a
    title ("Secretary Kunming", "Mr. Paris") or a family name ("Huang Kunming") is part of a
    person's name: each title and family name with the one space after it."""
    return sorted(f"{word} " for word in titles | surnames)
