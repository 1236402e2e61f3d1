"""The world's places from the offline packages: districts, subdivisions and their names."""

from __future__ import annotations

from citylinks.place import fold
from citylinks.world import districts_of_cities, in_english, read_subdivision_names, world_places


def city(name, code, population, *alternates):
    return {
        "name": name,
        "countrycode": code,
        "population": population,
        "alternatenames": alternates,
    }


def test_a_city_named_city_dash_district_is_a_district_of_the_larger_city():
    cities = {
        1: city("Berlin", "DE", 3_400_000),
        2: city("Kreuzberg", "DE", 150_000, "Berlin-Kreuzberg"),
        3: city("Neuss", "DE", 150_000, "Duesseldorf-Neuss"),  # no such larger city listed
        4: city("Tiny", "DE", 900, "Berlin-Tiny"),  # below the population threshold
    }
    assert districts_of_cities(cities, 100_000) == {("DE", "Kreuzberg"): "Berlin"}


def test_the_packages_give_countries_subdivisions_and_cities():
    world = world_places(100_000)
    countries = {p.country: p.name for p, _aliases in world.countries}
    assert countries["KR"] and countries["FR"] == "France"
    cities = {(p.name, p.country): p for p, _aliases in world.cities}
    assert cities[("Busan", "KR")].kind == "city" and cities[("Busan", "KR")].population > 1e6
    assert any(p.name == "Gyeonggi" and p.kind == "province" for p, *_ in world.subdivisions)
    assert "hanoi" in world.lowercase_names


def test_a_subdivision_takes_its_english_name_and_keeps_the_local_one():
    bayern = next(p for p, _a, _w, code in world_places(100_000).subdivisions if code == "DE-BY")
    place, aliases, curated, word = in_english(bayern, [], "State", ["Bavaria"])
    assert (place.name, curated, word) == ("Bavaria", False, "State")
    assert fold(bayern.name) in {fold(a) for a in aliases}


def test_subdivision_names_are_read_by_code(tmp_path):
    path = tmp_path / "subdivisions.yaml"
    path.write_text("english_names:\n  de-by: [' Bavaria ']\n", encoding="utf-8")
    assert read_subdivision_names(path) == {"DE-BY": ["Bavaria"]}
