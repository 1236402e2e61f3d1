"""The gazetteer: partner places (curated file, countries, subdivisions, large cities) and the
automaton that finds their names."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs

from citylinks.errors import (
    ConfigError,
    ParameterError,
    parse_config_yaml,
)
from citylinks.organisations import read_organisations
from citylinks.paths import DEFAULT_ORGANISATIONS, DEFAULT_PEOPLE, DEFAULT_SUBDIVISIONS, resolve
from citylinks.people import person_name_keys, read_people
from citylinks.place import Place, fold  # noqa: F401 (re-exported)
from citylinks.spelling import SpellingIndex, build_spelling_index
from citylinks.world import (
    World,
    in_english,
    package_versions,
    read_subdivision_names,
    world_places,
)

# Bump when matching rules change, so cached per-article results are invalidated.
MATCHER_VERSION = "partners-1"

KINDS = ("district", "city", "province", "country", "organisation")
LEVELS = ("district", "city", "province", "country")
# How specific a kind is: lower is more specific. An organisation sits with provinces, so a
# locality named beside it in a title is preferred as the primary partner.
RANK = {"district": 0, "city": 1, "province": 2, "organisation": 2, "country": 3}

# Package places: cities this large, and capitals (the subdivisions: world.SUBDIVISION_TYPES).
MIN_CITY_POPULATION = 100_000
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
# What an automaton hit is: a place name, a blocker (a longer name holding one), a lowercase
# probe (a package place's name written as a common word), or a title or family name with the
# space after it (a name right after one is a person's).
_CODE_PLACE, _CODE_BLOCK, _CODE_PROBE, _CODE_PERSON = 0, 1, 2, 3


# ---------------------------------------------------------------------------------------------
# Records


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
    # People's names (config/people.yaml): a place straight after one of these is in a name.
    titles: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()
    # Organisations (config/organisations.yaml): their acronyms, and the words that after an
    # organisation's name mean its members ("ASEAN countries").
    acronyms: frozenset[str] = frozenset()
    member_words: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()  # the names of the organisation places
    spelling: SpellingIndex | None = field(default=None, repr=False)  # misspelt place names
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


# ---------------------------------------------------------------------------------------------
# Loading


def load_gazetteer(
    path: str | Path,
    *,
    home: str = "Hanoi",
    home_country: str = "VN",
    min_population: int = MIN_CITY_POPULATION,
    cache_dir: str | Path | None = None,
    organisations: str | Path = DEFAULT_ORGANISATIONS,
    people: str | Path = DEFAULT_PEOPLE,
    subdivisions: str | Path = DEFAULT_SUBDIVISIONS,
) -> Gazetteer:
    """Read the curated gazetteer and the organisations, add the world's countries, subdivisions
    and large cities from the offline packages, and compile one automaton that finds them all;
    `people` names the titles and family names a place is not read after, `subdivisions` the
    English names of states and regions the packages know by their local names.

    With `cache_dir`, the compiled gazetteer is kept there, keyed by its fingerprint (the files,
    the home, the package versions and the matcher version), and reused while that holds."""
    path = resolve(path)
    raw = _read_gazetteer_file(path, home)
    organisations, people = resolve(organisations), resolve(people)
    subdivisions = resolve(subdivisions)
    home_country = (home_country or "").upper()
    fingerprint = hashlib.sha256(
        b"\0".join(
            [
                raw,
                organisations.read_bytes() if organisations.exists() else b"",
                people.read_bytes() if people.exists() else b"",
                subdivisions.read_bytes() if subdivisions.exists() else b"",
                home.encode(),
                home_country.encode(),
                str(min_population).encode(),
                _code_digest().encode(),
                package_versions().encode(),
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
    curated, blocked, common_words, home_words = _read_curated(path, parse_config_yaml(path, raw))
    listed, member_words = read_organisations(organisations)
    titles, surnames = read_people(people)
    world = world_places(min_population)
    _check_home_country(home_country, world.country_names)
    gazetteer = _compile(
        _organisation_places(listed, curated) + curated,
        read_subdivision_names(subdivisions),
        blocked,
        common_words,
        home_words,
        world,
        home,
        home_country,
        str(path),
        fingerprint,
        person_name_keys(titles, surnames),
    )
    gazetteer.home_location = world.points.get((home, home_country))
    gazetteer.titles, gazetteer.surnames = titles, surnames
    gazetteer.acronyms = frozenset(a for o in listed for a in o.acronyms)
    gazetteer.member_words = member_words
    gazetteer.organisations = frozenset(
        p.name for p in gazetteer.places.values() if p.kind == "organisation"
    )
    gazetteer.spelling = build_spelling_index(
        gazetteer,
        world_names=world.lowercase_names,
        known=[
            *titles,
            *surnames,
            *common_words,
            *home_words,
        ],
    )
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


def check_gazetteer(
    path: str | Path,
    *,
    home: str = "Hanoi",
    home_country: str = "VN",
    organisations: str | Path = DEFAULT_ORGANISATIONS,
    people: str | Path = DEFAULT_PEOPLE,
    subdivisions: str | Path = DEFAULT_SUBDIVISIONS,
) -> None:
    """Raise what `load_gazetteer` would about the files and the home settings, without
    compiling anything (a quick check before a run)."""
    import pycountry

    path = resolve(path)
    read_organisations(resolve(organisations))
    read_people(resolve(people))
    read_subdivision_names(resolve(subdivisions))
    _read_curated(path, parse_config_yaml(path, _read_gazetteer_file(path, home)))
    _check_home_country((home_country or "").upper(), {c.alpha_2 for c in pycountry.countries})


def _read_gazetteer_file(path: Path, home) -> bytes:
    if not path.exists():
        raise ConfigError(path, "gazetteer file not found")
    raw = path.read_bytes()
    if not isinstance(home, str) or not home.strip():
        raise ParameterError("home must name the home city, e.g. 'Hanoi'")
    return raw


def _check_home_country(code: str, known) -> None:
    if code and code not in known:
        raise ParameterError(f"home_country {code!r} is not an ISO 3166-1 alpha-2 code")


def _organisation_places(listed, curated) -> list[tuple[Place, list[str]]]:
    """The organisations as curated places with their names, less any the partners file also
    names (its entry wins)."""
    taken = {place.name for place, _aliases in curated}
    return [
        (
            Place(o.name, "organisation", o.country, "", float("nan"), float("nan"), True),
            [*o.aliases, *o.acronyms],
        )
        for o in listed
        if o.name not in taken
    ]


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The source of the modules that compile the gazetteer: a change to them invalidates the
    compiled gazetteers kept on disk."""
    digest = hashlib.sha256()
    modules = ("gazetteer.py", "place.py", "world.py", "organisations.py", "people.py")
    for module in (*modules, "spelling.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return MATCHER_VERSION + digest.hexdigest()[:12]


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


def _is_usable_package_name(form: str, common: set[str], home_words: set[str]) -> bool:
    """A careful reader's test for a package place name: capitalised, not a common word, not a
    name of the home country, not made of compass words, not too short to be sure of."""
    if not form or not (form[0].isupper() or " of " in form):  # "state of Victoria"
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
    english,
    blocked,
    common_words,
    home_words,
    world: World,
    home,
    home_country,
    source,
    fingerprint,
    person_keys=(),
) -> Gazetteer:
    """Merge curated and package places into one name -> place table and one automaton, which
    also finds `person_keys` (titles and family names, see `people.person_name_keys`)."""
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
        + [in_english(p, a, w, english.get(c, [])) for p, a, w, c in world.subdivisions]
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
                place.parent if place.kind == "district" else countries.get(place.country, ""),
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
    keys.extend((key, _value(_CODE_PERSON, key, (), False)) for key in person_keys)
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
