"""The gazetteer's files: organisations, people's names and subdivisions' English names."""

from __future__ import annotations

import pytest

from citylinks.errors import ConfigError
from citylinks.gazetteer import check_gazetteer, load_gazetteer
from citylinks.partners import roll_up
from citylinks.paths import DEFAULT_GAZETTEER, DEFAULT_ORGANISATIONS, DEFAULT_PEOPLE

SMALL = """
places:
  - {name: Seoul, kind: city, country: KR, lat: 37.566, lon: 126.978, aliases: []}
  - {name: ASEAN, kind: organisation, country: '', aliases: [Asean Bloc]}
"""


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(DEFAULT_GAZETTEER)


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "partners.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("which", "content", "problem"),
    [
        ("organisations", None, "organisations file not found"),
        ("organisations", "organisations: [unclosed\n", "not valid YAML"),
        ("organisations", "- WHO\n", "'organisations' list"),
        ("organisations", "organisations: [{acronyms: [X]}]\n", "needs a 'name'"),
        ("organisations", "organisations: [{name: X, site: y}]\n", "unknown field"),
        ("organisations", "organisations: [{name: X, country: XX}]\n", "ISO 3166-1"),
        ("organisations", "organisations: [{name: X}, {name: X}]\n", "appears twice"),
        ("organisations", "organisations: [{name: X, acronyms: Y}]\n", "acronyms must be a list"),
        ("people", None, "people file not found"),
        ("people", "titles: Mr\n", "'titles' must be a list"),
        ("people", "names: [Kim]\n", "unknown top-level key"),
        ("subdivisions", None, "subdivisions file not found"),
        ("subdivisions", "english_names: [Bavaria]\n", "english_names"),
    ],
)
def test_config_errors_name_the_file_and_problem(tmp_path, small, which, content, problem):
    path = tmp_path / f"{which}.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    for check in (check_gazetteer, load_gazetteer):
        with pytest.raises(ConfigError) as caught:
            check(small, **{which: path})
        assert str(path) in str(caught.value)
        assert problem in str(caught.value)


def test_the_partners_file_wins_over_the_organisations_list(small):
    gaz = load_gazetteer(small)
    assert gaz.places["ASEAN"].curated
    assert "Asean Bloc" in dict(gaz.keys)  # its own alias
    assert gaz.places["World Health Organization"].kind == "organisation"  # the list's others


def test_the_files_are_part_of_the_fingerprint(tmp_path, small):
    organisations = tmp_path / "organisations.yaml"
    organisations.write_text(DEFAULT_ORGANISATIONS.read_text(encoding="utf-8"), encoding="utf-8")
    people = tmp_path / "people.yaml"
    people.write_text(DEFAULT_PEOPLE.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_gazetteer(small, organisations=organisations, people=people)
    organisations.write_text("organisations: [{name: Mekong Council}]\n", encoding="utf-8")
    second = load_gazetteer(small, organisations=organisations, people=people)
    people.write_text("titles: [Mr]\n", encoding="utf-8")
    third = load_gazetteer(small, organisations=organisations, people=people)
    assert len({first.fingerprint, second.fingerprint, third.fingerprint}) == 3
    assert "Mekong Council" in second.places and "UNICEF" not in second.places
    assert "Mayor" not in third.titles


def test_acronyms_and_member_words_are_loaded(gaz):
    assert {"WHO", "EU", "ASEAN", "JICA"} <= gaz.acronyms
    assert "who" not in gaz.acronyms
    assert "countries" in gaz.member_words


@pytest.mark.parametrize(
    ("partner", "level", "expected"),
    [
        ("Kreuzberg", "district", "Kreuzberg"),
        ("Kreuzberg", "city", "Berlin"),
        ("Kreuzberg", "country", "Germany"),
        ("Bavaria", "city", "Bavaria"),  # a state stays a state below its level
        ("Bavaria", "country", "Germany"),
        ("JICA", "city", "JICA"),  # an organisation stays, but counts for its country
        ("JICA", "country", "Japan"),
        ("World Health Organization", "country", "World Health Organization"),
    ],
)
def test_finer_places_and_organisations_roll_up(gaz, partner, level, expected):
    import pandas as pd

    place = gaz.places[partner]
    table = pd.DataFrame(
        [
            {
                "article_id": "a1",
                "partner": partner,
                "kind": place.kind,
                "country": place.country,
                "parent": place.parent,
                "count": 1,
                "role": "counterpart",
            }
        ]
    )
    assert roll_up(table, level=level, gazetteer=gaz)["partner"].tolist() == [expected]
