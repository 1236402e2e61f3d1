"""People's names: the titles and family names a place name is not read after."""

from __future__ import annotations

import pytest

from citylinks.gazetteer import load_gazetteer
from citylinks.paths import DEFAULT_GAZETTEER
from citylinks.people import person_name_keys, read_people
from citylinks.places import find_place_mentions


def test_each_title_and_family_name_is_looked_for_with_its_space():
    keys = person_name_keys(frozenset({"Mr.", "Mayor"}), frozenset({"Huang"}))
    assert keys == ["Huang ", "Mayor ", "Mr. "]


def test_the_people_file_reads_titles_and_family_names(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text("titles: [Mr., ' Mayor ']\nsurnames: [Huang]\n", encoding="utf-8")
    assert read_people(path) == (frozenset({"Mr.", "Mayor"}), frozenset({"Huang"}))


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(DEFAULT_GAZETTEER)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Huang Kunming) visited Hanoi.", []),  # a family name after a bracket
        ("Mr Paris and Mr. Kunming spoke.", []),  # titles with and without a full stop
        ("Shuang Kunming met them in Kunming.", ["Kunming", "Kunming"]),  # no family name
        ("Mayor  Busan spoke.", []),  # two spaces are one
        ("The mayor Busan named was new.", ["Busan"]),  # a title only when capitalised
        ("Huang\nKunming came.", []),  # a line break inside a paragraph is a space
        ("Huang\n\nKunming came.", ["Kunming"]),  # a new paragraph ends the name
    ],
)
def test_a_place_right_after_a_title_or_family_name_is_in_a_persons_name(gaz, text, expected):
    assert [m.name for m in find_place_mentions(text, gaz)] == expected
