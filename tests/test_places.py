"""Finding places in one article: people's names, organisations, misspellings, finer places."""

from __future__ import annotations

import pytest

from citylinks.gazetteer import load_gazetteer
from citylinks.paths import DEFAULT_GAZETTEER
from citylinks.places import find_place_mentions


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(DEFAULT_GAZETTEER)


def names(text, gaz):
    return [m.name for m in find_place_mentions(text, gaz)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Party Secretary Huang Kunming visited Hanoi.", []),  # a family name before it
        ("Huang Kunming, secretary of Guangdong, met Hanoi leaders.", ["Guangdong"]),
        ("Mr. Kunming said so.", []),  # a title before it
        ("Ambassador Paris met the chairman.", []),
        ("Mayor Busan spoke.", []),
        ("Kim, Lee and Park met Seoul leaders.", ["Seoul"]),  # names beside, not before
        ("The Mayor of Seoul, Oh Se-hoon, came.", ["Seoul"]),  # "of" between: the city
        ("Delegates from Kunming and Yunnan arrived.", ["Kunming", "Yunnan"]),
        ("Seoul Mayor Oh Se-hoon met Hanoi leaders.", ["Seoul"]),  # the city, then a person
    ],
)
def test_a_place_in_a_persons_name_is_not_a_mention(gaz, text, expected):
    assert names(text, gaz) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WHO experts will help Hanoi.", ["World Health Organization"]),
        ("Officials who met the delegation agreed.", []),  # "who" is no acronym
        ("WHO SAID IT FIRST", []),  # a line of capitals
        ("ASEAN countries and Japan", ["Japan"]),  # the member states, not ASEAN
        ("ASEAN and the EU back the plan.", ["ASEAN", "European Union"]),
        ("a loan from the Asian Development Bank (ADB)", ["Asian Development Bank"] * 2),
        ("the Japan International Cooperation Agency", ["JICA"]),  # longest name wins
        ("It joined the UNESCO Creative Cities Network.", ["UNESCO Creative Cities Network"]),
        ("A KOICA project and the World Bank", ["KOICA", "World Bank"]),
    ],
)
def test_organisations(gaz, text, expected):
    assert names(text, gaz) == expected


def test_organisations_have_their_kind_and_country(gaz):
    assert gaz.places["World Health Organization"].kind == "organisation"
    assert gaz.places["World Health Organization"].country == ""
    assert gaz.places["JICA"].country == "JP"
    assert "Japan" in gaz.ancestors("JICA")


@pytest.mark.parametrize(
    ("text", "misspelt"),
    [
        ("Vientiane and Vientiane; the Vientianne mayor", [("Vientianne", "Vientiane")]),
        ("Daegu, Daegu and Daego", [("Daego", "Daegu")]),
        ("Guangzhou met Guangzhou, Guangzou said", [("Guangzou", "Guangzhou")]),
        ("Vientiane, Vientiane, Viantoane", [("Viantoane", "Vientiane")]),  # two edits, long
        ("Busan and Busan. Susan came.", []),  # a given name one edit away
        ("Paris and Paris. Parts of the plan", []),  # an English word one edit away
        ("Osaka, Osaka. Talks went well.", []),
        ("Hiroshima and Hiroshima; Hiroshi spoke", []),  # the name cut short: a given name
        ("Korea and Korea: the two Koreas", []),  # the name with an ending
        ("Seoul and Seoul. Kim, Lee and Park", []),  # short names are never read fuzzily
        ("Vientianne alone", []),  # the place must be named twice or more, rightly spelt
        ("Vientiane, Vientiane, Hotel Vientianne Plaza", []),  # inside a longer name
        ("Vientiane, Vientiane, Mr. Vientianne", []),  # a person's name
        ("Vientiane, Vientiane; vientianne and Vientianne", []),  # small letters too: a word
    ],
)
def test_misspellings_of_named_places(gaz, text, misspelt):
    found = [(m.surface, m.name) for m in find_place_mentions(text, gaz) if m.misspelt]
    assert found == misspelt


@pytest.mark.parametrize(
    ("text", "place", "kind", "parent"),
    [
        ("a delegation from the Australian state of Victoria", "Victoria", "province", "Australia"),
        ("Victoria State signed", "Victoria", "province", "Australia"),
        ("Bavaria and Hanoi", "Bavaria", "province", "Germany"),
        ("Bayern and Hanoi", "Bavaria", "province", "Germany"),  # the package's name
        ("North Chungcheong Province", "North Chungcheong", "province", "South Korea"),
        ("the Mitte district of Berlin", "Mitte", "district", "Berlin"),
        ("Berlin's Kreuzberg district", "Kreuzberg", "district", "Berlin"),
    ],
)
def test_finer_places_keep_their_level(gaz, text, place, kind, parent):
    found = {m.name for m in find_place_mentions(text, gaz)}
    assert place in found
    assert (gaz.places[place].kind, gaz.places[place].parent) == (kind, parent)


@pytest.mark.parametrize("text", ["Victoria said so.", "Queen Victoria", "Reading the plan"])
def test_a_common_word_without_its_type_is_no_place(gaz, text):
    assert names(text, gaz) == []
