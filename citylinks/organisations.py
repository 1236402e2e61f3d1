"""Organisations as partners: the curated list of international organisations and agencies."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from citylinks.errors import ConfigError, read_config_yaml

_TOP_KEYS = {"organisations", "member_words"}
_KEYS = {"name", "acronyms", "aliases", "country"}


class Organisation(NamedTuple):
    """One organisation of the list: its display name, other names, acronyms and country."""

    name: str
    aliases: tuple[str, ...]
    acronyms: tuple[str, ...]
    country: str  # ISO 3166-1 alpha-2 of the country whose agency it is, '' for none


def read_organisations(path: str | Path) -> tuple[list[Organisation], frozenset[str]]:
    """Read and check the organisations file: the organisations, and the words that after an
    organisation's name mean its members ("ASEAN countries"). Every problem names the entry."""
    import pycountry

    path = Path(path)
    data = read_config_yaml(path, what="organisations file")
    if not isinstance(data, dict) or not isinstance(data.get("organisations"), list):
        raise ConfigError(path, "expected a mapping with an 'organisations' list at the top level")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(path, f"unknown top-level key(s) {sorted(unknown)}")
    codes = {c.alpha_2 for c in pycountry.countries}
    found: list[Organisation] = []
    seen: set[str] = set()
    for i, entry in enumerate(data["organisations"], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError(path, f"organisations entry {i} needs a 'name'")
        name = " ".join(entry["name"].split())
        where = f"organisation '{name}'"
        extra = set(entry) - _KEYS
        if extra:
            raise ConfigError(path, f"{where}: unknown field(s) {sorted(extra)}")
        if name in seen:
            raise ConfigError(path, f"{where} appears twice")
        seen.add(name)
        lists = []
        for key in ("aliases", "acronyms"):
            value = entry.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(path, f"{where}: {key} must be a list of strings")
            lists.append(tuple(" ".join(v.split()) for v in value if v.strip()))
        country = entry.get("country")
        country = "" if country in (None, "", "none") else country
        if not isinstance(country, str) or country.upper() not in codes | {""}:
            raise ConfigError(path, f"{where}: country must be an ISO 3166-1 alpha-2 code or none")
        found.append(Organisation(name, lists[0], lists[1], country.upper()))
    words = data.get("member_words") or []
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ConfigError(path, "'member_words' must be a list of words")
    return found, frozenset(words)
