"""One partner place as the gazetteer holds it, and how place names are compared (folded)."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple


class Place(NamedTuple):
    """One partner place: a locality, country or organisation, with where it belongs."""

    name: str
    kind: str
    country: str  # ISO 3166-1 alpha-2, '' for an international organisation
    parent: str  # name of the place it belongs to, '' for none
    lat: float
    lon: float
    curated: bool
    population: int = 0


_FOLD_EXTRA = str.maketrans(
    {"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i", "ʻ": "'", "’": "'"}
)


def fold(text: str) -> str:
    """Return `text` with diacritics removed ("Île-de-France" -> "Ile-de-France")."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )
