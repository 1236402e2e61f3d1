"""Roles: counterparts, places in passing, and the one primary partner of an article."""

from __future__ import annotations

import pytest

from citylinks.gazetteer import load_gazetteer
from citylinks.paths import DEFAULT_GAZETTEER
from citylinks.places import find_place_mentions
from citylinks.roles import assess_article_partners


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(DEFAULT_GAZETTEER)


def assess(gaz, title, body):
    text = "\n\n".join([title, *body])
    return assess_article_partners(text, find_place_mentions(text, gaz), gaz, title=title)


@pytest.mark.parametrize(
    ("title", "body", "primary"),
    [
        (
            "Hanoi, Japan boost local cooperation",
            [
                "A delegation from Fukuoka met Hanoi leaders on May 2.",
                "Japan is Hanoi's largest donor; Japan and Vietnam are strategic partners, and "
                "Japan's firms invest. Fukuoka offered training.",
            ],
            "Fukuoka",  # the story of Fukuoka's delegation, though Japan is named more
        ),
        (
            "South Korea and Hanoi deepen ties",
            [
                "Seoul Mayor Oh Se-hoon received a Hanoi delegation on June 3.",
                "South Korea is Vietnam's top investor. South Korea and Vietnam agreed.",
                "Seoul will share its experience in smart transport.",
            ],
            "Seoul",  # Seoul's mayor received the delegation; Seoul named twice
        ),
        (
            "Hanoi seeks cooperation with South Korean localities",
            [
                "Hanoi met a delegation of South Korea's National Assembly, led by a member "
                "from Seoul's Dongdaemun District, on November 5.",
                "South Korea is one of Vietnam's main partners. South Korea invests most.",
            ],
            "South Korea",  # a district named once, as a member's home: the country stays
        ),
        (
            "Hanoi seeks investment from Japan",
            [
                "The chairman met the ambassador of Japan on May 5.",
                "Japan is a big investor, and Japan's firms are active.",
                "Officials later toured a factory built with help from Osaka.",
            ],
            "Japan",  # a city once, late in the article: the country stays
        ),
        (
            "Hanoi, Guangzhou sign MoU",
            ["Hanoi and Guangzhou signed an MoU on April 2.", "Guangzhou is in China."],
            "Guangzhou",
        ),
        (
            "Hanoi receives WHO delegation",
            ["Officials of WHO met Hanoi leaders on January 14 about clean air."],
            "World Health Organization",  # an organisation may be the partner
        ),
    ],
)
def test_primary_partner(gaz, title, body, primary):
    records = assess(gaz, title, body)
    assert [r["partner"] for r in records if r["primary"]] == [primary]


def test_a_misspelling_counts_for_its_place_and_is_recorded(gaz):
    records = assess(
        gaz,
        "Hanoi, Vientiane boost ties",
        ["Vientiane leaders met Hanoi on May 2.", "The Vientianne delegation toured the city."],
    )
    vientiane = next(r for r in records if r["partner"] == "Vientiane")
    assert vientiane["count"] == 3
    assert vientiane["misspellings"] == "Vientianne"
