"""Partner places: gazetteer loading, detection, roles, engagements, dates and roll-up."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from citylinks.errors import ConfigError
from citylinks.maps import locate_home
from citylinks.partners import (
    find_place_mentions,
    load_gazetteer,
    match_partners,
    roll_up,
    scan_places,
    suggest_gazetteer_additions,
)
from citylinks.paths import DEFAULT_GAZETTEER
from citylinks.sentences import learn_abbreviations


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(DEFAULT_GAZETTEER)


@pytest.fixture(scope="module")
def abbreviations():
    return learn_abbreviations(
        ["Hanoi met Seoul officials on March 3. They signed an MoU. Rep. Kim spoke."] * 20
    )


@pytest.mark.parametrize(
    ("content", "home", "country"),
    [
        (None, "Hanoi", "VN"),  # no file
        ("places: [unclosed\n", "Hanoi", "VN"),
        ("- Seoul\n- Busan\n", "Hanoi", "VN"),
        ("places: []\n", "Hanoi", "VN"),
        ("shipped", " ", "VN"),
        ("shipped", "Hanoi", "XX"),
    ],
)
def test_the_quick_check_finds_what_loading_finds(tmp_path, content, home, country):
    from citylinks.errors import UserError
    from citylinks.partners import check_gazetteer

    path = tmp_path / "partners.yaml"
    if content is not None:
        text = DEFAULT_GAZETTEER.read_text(encoding="utf-8") if content == "shipped" else content
        path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as checked:
        check_gazetteer(path, home=home, home_country=country)
    with pytest.raises(UserError) as loaded:
        load_gazetteer(path, home=home, home_country=country)
    assert str(checked.value) == str(loaded.value)
    check_gazetteer(DEFAULT_GAZETTEER, home="Hanoi", home_country="VN")  # the shipped one is fine


def names(text, gaz) -> list[str]:
    return [m.name for m in find_place_mentions(text, gaz)]


def article(i, title, body, *, standfirst="", published="2024-03-22"):
    text = "\n\n".join(p for p in [title, standfirst, *body] if p)
    return {
        "article_id": f"a{i}",
        "title": title,
        "standfirst": standfirst,
        "published": published,
        "status": "ok",
        "text": text,
    }


# --- Detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hanoi and Guangzhou eye cooperation.", ["Guangzhou"]),
        ("Regarding Hanoi-Quangzhou relations, Dung agreed.", ["Guangzhou"]),  # misspelling
        ("an MoU with the Seoul Metropolitan Government", ["Seoul"]),  # alias
        ("Gyeonggi-do and Gyeonggi Province", ["Gyeonggi", "Gyeonggi"]),
        ("the Gyeonggi Provincial Government", ["Gyeonggi"]),
        ("Île-de-France and Ile-de-France", ["Île-de-France", "Île-de-France"]),  # diacritics
        ("a South Korean delegation", ["South Korea"]),  # demonym
        ("North Korea and South Korea", ["North Korea", "South Korea"]),  # longest first
        ("Seoul's expertise", ["Seoul"]),  # possessive
        ("Seoul’s expertise", ["Seoul"]),
        ("St. Petersburg and Saint Petersburg", ["Saint Petersburg", "Saint Petersburg"]),
        ("South\nKorea", ["South Korea"]),  # a line break inside a paragraph
        ("South\u00a0Korea and Seoul  Metropolitan  Council", ["South Korea", "Seoul"]),
        ("South Korea-invested projects", ["South Korea"]),
        # negatives: the home city, Vietnamese places, words, names, parts of words
        ("Hanoi and Ha Noi", []),
        ("Ho Chi Minh City, Da Nang and Hai Phong", []),
        ("a school in Mai Dich, Hanoi near Hoa Lac and Lotte Mall Ho Tay", []),
        ("Thai Binh and Lao Cai provinces", []),  # hold "Thai" and "Lao" but are Vietnamese
        ("Reading the report, officials had a nice day.", []),  # common words
        ("Nice to meet you; Mobile payments grew.", []),
        ("Nguyen Van Linh and Ngoc Mai - Van Ha", []),  # "Van" is a name, not Van in Turkey
        ("the Seoulite and Koreanness", []),  # inside words
        ("US$277 million", []),  # a currency, not the United States
        ("the Red River and Southeast Asia", []),
    ],
)
def test_detection(gaz, text, expected):
    assert names(text, gaz) == expected


@pytest.mark.parametrize(
    ("text", "place", "curated"),
    [
        ("The mayor of Hamburg visited Hanoi.", "Hamburg", False),
        ("Talks in Osaka on Monday.", "Osaka", False),
        ("Officials from Texas arrived.", "Texas", False),  # a package subdivision
        ("Delegates from Osaka Prefecture came.", "Osaka Prefecture", False),
        ("Talks in Seoul on Monday.", "Seoul", True),
    ],
)
def test_places_beyond_the_curated_file(gaz, text, place, curated):
    mentions = find_place_mentions(text, gaz)
    assert [(m.name, m.curated) for m in mentions] == [(place, curated)]
    assert gaz.places[place].curated is curated


def test_package_names_inside_longer_names_are_not_places(gaz):
    assert names("Hamburg Mayor Peter Tschentscher", gaz) == ["Hamburg"]
    assert names("Independence Day and Victoria Beckham", gaz) == []
    assert names("Rafael R. Sevilla and Brian O'Kennedy", gaz) == []


def test_offsets_point_into_the_original_text(gaz):
    text = "Talks:\u00a0the  Seoul\nMetropolitan  Council and\n\nGuangzhou, China."
    mentions = find_place_mentions(text, gaz)
    assert [m.name for m in mentions] == ["Seoul", "Guangzhou", "China"]
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    assert mentions[0].surface == "Seoul\nMetropolitan  Council"


def test_names_are_not_read_across_paragraphs(gaz):
    # "Korea" alone is South Korea; "South\n\nKorea" is not one name across two paragraphs.
    found = find_place_mentions("in the South\n\nKorea", gaz)
    assert [m.surface for m in found] == ["Korea"]
    assert [m.surface for m in find_place_mentions("in the South\nKorea", gaz)] == ["South\nKorea"]


def test_a_place_named_only_in_the_footer_is_not_found(gaz):
    from citylinks.corpus import clean_page

    page = "\n".join(
        [
            "Home / Hanoinews",
            "Hanoi boosts ties with Busan",
            "Ngoc Mai 15:37, 2024/03/22",
            "Hanoi and Busan agreed to expand cooperation in education and tourism.",
            "",
            "The two sides discussed urban rail and clean energy with Busan officials.",
            "",
            "RELATED NEWS",
            "Other news",
            "Tokyo opens a new metro line",
        ]
    )
    assert "Tokyo" in names(page, gaz)  # the raw page names it...
    cleaned = clean_page(page).text
    assert "Busan" in names(cleaned, gaz)
    assert "Tokyo" not in names(cleaned, gaz)  # ...the article does not


@pytest.mark.parametrize(
    ("text", "qualifiers"),
    [
        ("Jang Kyungtae of Seoul's Dongdaemun District", {"Seoul"}),
        ("SCUT in Guangzhou, China.", {"China"}),
        ("Hanoi, Gyeonggi (South Korea) focus ties", {"South Korea"}),
        ("Dongdaemun District of Seoul", {"Seoul"}),
        ("Seoul and South Korea", set()),  # not a qualifier: just two places
        ("Busan's ties with Seoul", set()),  # Busan is not inside Seoul
    ],
)
def test_qualifiers(gaz, text, qualifiers):
    found = find_place_mentions(text, gaz)
    assert {m.name for m in found if m.qualifier} == qualifiers


def test_district_belongs_to_its_city(gaz):
    assert gaz.places["Dongdaemun"].kind == "district"
    assert gaz.ancestors("Dongdaemun") == ("Seoul", "South Korea")
    assert gaz.ancestors("Guangzhou") == ("Guangdong", "China")


def test_home_is_a_parameter():
    seoul = load_gazetteer(DEFAULT_GAZETTEER, home="Seoul", home_country="KR")
    found = find_place_mentions("Seoul, Busan and Hanoi met in Tokyo.", seoul)
    assert [m.name for m in found] == ["Hanoi", "Tokyo"]
    assert found[0].curated is False  # Hanoi comes from the package list
    lat, lon = seoul.home_location
    assert lat == pytest.approx(37.57, abs=0.1) and lon == pytest.approx(126.98, abs=0.1)


@pytest.mark.parametrize(
    ("home", "country", "expected"),
    [
        ("Hanoi", "VN", (21.03, 105.84)),
        ("Paris", "FR", (48.85, 2.35)),
        ("Paris", "US", (33.66, -95.56)),  # the largest Paris in that country: Paris, Texas
        ("Xyzzy", "VN", None),  # no such city: the map falls back to its default
    ],
)
def test_the_gazetteer_knows_where_home_is(home, country, expected):
    found = load_gazetteer(DEFAULT_GAZETTEER, home=home, home_country=country).home_location
    if expected is None:
        assert found is None
    else:
        assert found == pytest.approx(expected, abs=0.05)
        assert found == pytest.approx(locate_home(home, country), abs=1e-6)


def test_gazetteer_pickles_and_caches(gaz, tmp_path):
    text = "Hanoi, Guangzhou and Osaka"
    again = pickle.loads(pickle.dumps(gaz))
    assert find_place_mentions(text, again) == find_place_mentions(text, gaz)
    first = load_gazetteer(DEFAULT_GAZETTEER, cache_dir=tmp_path)
    assert list(tmp_path.glob("gazetteer-*.pickle"))
    cached = load_gazetteer(DEFAULT_GAZETTEER, cache_dir=tmp_path)
    assert cached.fingerprint == first.fingerprint == gaz.fingerprint
    assert cached.home_location == first.home_location == gaz.home_location
    assert find_place_mentions(text, cached) == find_place_mentions(text, gaz)
    other = load_gazetteer(DEFAULT_GAZETTEER, home="Seoul", home_country="KR")
    assert other.fingerprint != gaz.fingerprint


# --- Config errors ------------------------------------------------------------------------------

GOOD_ENTRY = "  - {name: Seoul, kind: city, country: KR, parent: '', lat: 37.5, lon: 127.0}\n"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("places: [", "not valid YAML"),
        ("- just a list\n", "mapping"),
        ("places: []\n", "non-empty list"),
        ("places:\n" + GOOD_ENTRY + "colours: [red]\n", "unknown top-level key"),
        ("places:\n  - {name: Seoul, kind: town, country: KR, lat: 1, lon: 1}\n", "kind must be"),
        ("places:\n  - {name: Seoul, kind: city, country: XX, lat: 1, lon: 1}\n", "'XX'"),
        ("places:\n  - {name: Seoul, kind: city, country: KR, lat: 100, lon: 1}\n", "out of range"),
        ("places:\n  - {name: Seoul, kind: city, country: KR, lon: 1}\n", "lat must be"),
        (
            "places:\n" + GOOD_ENTRY + "  - {name: Mapo, kind: district, country: KR, parent: Sel,"
            " lat: 1, lon: 1}\n",
            "parent 'Sel' is not an entry",
        ),
        ("places:\n" + GOOD_ENTRY + GOOD_ENTRY, "appears twice"),
        (
            "places:\n" + GOOD_ENTRY + "  - {name: Busan, kind: city, country: KR, lat: 1, lon: 1,"
            " aliases: [Seoul]}\n",
            "name of both",
        ),
        (
            "places:\n  - {name: Seoul, kind: city, country: KR, lat: 1, lon: 1, colour: red}\n",
            "unknown field",
        ),
    ],
)
def test_config_errors_name_the_file_and_problem(tmp_path, content, problem):
    path = tmp_path / "partners.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_gazetteer(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_missing_gazetteer_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_gazetteer(tmp_path / "nope.yaml")


# --- Roles and primary partner ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "roles", "primary"),
    [
        (
            "Hanoi, Fukuoka sign MoU on urban development",
            ["Hanoi and Fukuoka signed an MoU on March 3.", "Like Tokyo, the city has a metro."],
            {"Fukuoka": "counterpart", "Tokyo": "mentioned"},
            "Fukuoka",
        ),
        (
            "Hanoi leader receives Guangzhou delegation",
            [
                "The chairman met the Guangzhou delegation on April 2.",
                "Guangzhou, China, is a big port. China and Vietnam are neighbours.",
            ],
            {"Guangzhou": "counterpart", "China": "mentioned"},
            "Guangzhou",
        ),
        (
            "Hanoi seeks investment",
            [
                "The chairman met the ambassador of Japan on May 5.",
                "Japan is a big investor, and Japan's firms are active, as are Seoul's.",
            ],
            {"Japan": "counterpart", "Seoul": "mentioned"},
            "Japan",
        ),
        (
            "Hanoi metro carries more passengers",
            ["The line, like Tokyo's, runs every five minutes."],
            {"Tokyo": "mentioned"},
            "",
        ),  # a place in passing: no counterpart, no primary
        (
            "Hanoi and Seoul's Dongdaemun District boost ties",
            ["Officials of Dongdaemun District met Hanoi leaders on June 1."],
            {"Dongdaemun": "counterpart", "Seoul": "mentioned"},
            "Dongdaemun",
        ),  # Seoul only locates its district
    ],
)
def test_roles_and_primary(gaz, abbreviations, title, body, roles, primary):
    table = match_partners(
        pd.DataFrame([article(1, title, body)]), gaz, abbreviations=abbreviations
    )
    assert dict(zip(table["partner"], table["role"], strict=True)) == roles
    assert table.loc[table["primary"], "partner"].tolist() == ([primary] if primary else [])


def test_one_primary_per_article_and_columns(gaz, abbreviations):
    rows = [
        article(1, "Hanoi, Seoul and Busan ties", ["Seoul and Busan met Hanoi on May 1."]),
        article(2, "Hanoi and Paris", ["Paris met Hanoi on June 3 in France."]),
    ]
    table = match_partners(pd.DataFrame(rows), gaz, abbreviations=abbreviations)
    for column in [
        "article_id",
        "published",
        "partner",
        "kind",
        "country",
        "parent",
        "count",
        "role",
        "primary",
        "curated",
        "lat",
        "lon",
    ]:
        assert column in table.columns
    assert table.groupby("article_id")["primary"].sum().tolist() == [1, 1]
    assert table.loc[table["primary"], "partner"].tolist() == ["Seoul", "Paris"]


def test_quarantined_articles_are_skipped(gaz, abbreviations):
    row = article(1, "Hanoi and Seoul", ["Seoul met Hanoi on May 1."])
    bad = dict(row, article_id="a2", status="duplicate")
    table = match_partners(pd.DataFrame([row, bad]), gaz, abbreviations=abbreviations)
    assert set(table["article_id"]) == {"a1"}


def test_common_words_of_the_corpus_are_not_places(gaz, abbreviations):
    # "Garland" (Texas) is a package city; this corpus uses "garland" as a word.
    rows = [
        article(1, "Hanoi and Osaka", ["Garland officials met Hanoi on May 1 in Osaka."]),
        article(2, "Flower show", ["A garland of lotus, and a garland of roses."]),
    ]
    table = match_partners(pd.DataFrame(rows), gaz, abbreviations=abbreviations)
    assert "Osaka" in set(table["partner"])
    assert "Garland" not in set(table["partner"])
    alone = match_partners(pd.DataFrame(rows[:1]), gaz, abbreviations=abbreviations)
    assert "Garland" in set(alone["partner"])  # the rule is the corpus's, not a fixed list


def test_a_packed_scan_unpacks_to_the_same_mentions(gaz):
    from citylinks.partners import _pack_scan, _unpack_mentions

    text = "Seoul's Dongdaemun District and Busan met Guangzhou, China, and Ha Long Bay."
    scan = scan_places(text, gaz)
    assert len(scan.mentions) >= 3 and any(m.qualifier for m in scan.mentions)
    packed = pickle.loads(pickle.dumps(_pack_scan(scan)))  # as it comes back from a worker
    assert _unpack_mentions(packed, text) == list(scan.mentions)
    assert packed[3] == scan.lowercase


def test_scan_is_pure_and_reusable(gaz, abbreviations):
    rows = [article(1, "Hanoi and Seoul", ["Seoul met Hanoi on May 1."])]
    frame = pd.DataFrame(rows)
    scans = [scan_places(t, gaz) for t in frame["text"]]
    assert scans == [scan_places(t, gaz) for t in frame["text"]]
    direct = match_partners(frame, gaz, abbreviations=abbreviations)
    reused = match_partners(frame, gaz, abbreviations=abbreviations, scans=scans)
    pd.testing.assert_frame_equal(direct, reused)


# --- Engagements --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "partner", "kind", "event_date"),
    [
        (["Hanoi and Fukuoka signed an MoU on March 3."], "Fukuoka", "agreement", "2024-03-03"),
        (
            ["Hanoi leaders met a Busan delegation on March 21.", "They hoped to sign an MoU."],
            "Busan",
            "meeting",
            "2024-03-21",
        ),
        (
            ["A delegation from Vientiane visited Hanoi on Dec 30."],
            "Vientiane",
            "meeting",  # guests in Hanoi: a meeting; a visit is a Hanoi delegation abroad
            "2023-12-30",
        ),  # (a date after publication belongs to the year before)
        (
            ["Paris officials attended a conference on smart cities in Hanoi today [March 20]."],
            "Paris",
            "conference",
            "2024-03-20",
        ),
        (
            [
                "Kim briefed him on the MoU signed between Seoul and Hanoi.",
                "The two sides held talks on March 1.",
            ],
            "Seoul",
            "meeting",
            "2024-03-01",
        ),
        (
            ["The two leaders witnessed the signing of an agreement with Guangzhou."],
            "Guangzhou",
            "agreement",
            "",
        ),
        (
            [
                "Hanoi and Tokyo signed a friendship agreement in 2013.",
                "Tokyo officials met Hanoi leaders on March 2.",
            ],
            "Tokyo",
            "meeting",
            "2024-03-02",
        ),
        (["Tokyo is large. Tokyo has a metro."], "Tokyo", "other", ""),
    ],
)
def test_engagement_type_and_date(gaz, abbreviations, body, partner, kind, event_date):
    from citylinks.partners import extract_engagements

    frame = pd.DataFrame([article(1, "Hanoi news", body)])
    mentions = match_partners(frame, gaz, abbreviations=abbreviations)
    engagements = extract_engagements(frame, mentions, abbreviations=abbreviations)
    assert engagements["partner"].tolist() == [partner]
    assert engagements["type"].tolist() == [kind]
    assert engagements["event_date"].tolist() == [event_date]
    assert engagements["sentence"].iloc[0] in " ".join(body)


def test_a_city_and_its_country_are_one_engagement(gaz, abbreviations):
    from citylinks.partners import extract_engagements

    frame = pd.DataFrame(
        [
            article(
                1,
                "Hanoi, Guangzhou (China) eye ties",
                [
                    "Hanoi met Guangzhou on April 2.",
                    "China is a neighbour of Vietnam.",
                    "Separately, Paris officials visited Hanoi on April 3.",
                ],
            )
        ]
    )
    mentions = match_partners(frame, gaz, abbreviations=abbreviations)
    engagements = extract_engagements(frame, mentions, abbreviations=abbreviations)
    assert engagements["partner"].tolist() == ["Guangzhou", "Paris"]
    assert engagements["primary"].tolist() == [True, False]


# --- Roll-up and suggestions --------------------------------------------------------------------


@pytest.fixture(scope="module")
def mentions_table(gaz, abbreviations):
    rows = [
        article(
            1,
            "Hanoi and Seoul's Dongdaemun District",
            ["Dongdaemun District officials met Hanoi on May 1.", "Busan is a port."],
        ),
        article(2, "Hanoi and Guangzhou", ["Guangzhou met Hanoi on May 2.", "Osaka too."]),
    ]
    return match_partners(pd.DataFrame(rows), gaz, abbreviations=abbreviations)


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("district", {"a1": {"Dongdaemun", "Seoul", "Busan"}, "a2": {"Guangzhou", "Osaka"}}),
        ("city", {"a1": {"Seoul", "Busan"}, "a2": {"Guangzhou", "Osaka"}}),
        ("province", {"a1": {"Seoul", "Busan"}, "a2": {"Guangdong", "Osaka"}}),
        ("country", {"a1": {"South Korea"}, "a2": {"China", "Japan"}}),
    ],
)
def test_roll_up(gaz, mentions_table, level, expected):
    rolled = roll_up(mentions_table, level=level, gazetteer=gaz)
    got = {a: set(g["partner"]) for a, g in rolled.groupby("article_id")}
    assert got == expected
    assert rolled["count"].sum() == mentions_table["count"].sum()
    assert rolled.groupby("article_id")["primary"].sum().tolist() == [1, 1]


def _place(article_id, partner, country, name, count=1, role="mentioned", spans="", **more):
    return {
        "article_id": article_id,
        "partner": partner,
        "kind": "country" if partner == name else "city",
        "country": country,
        "country_name": name,
        "parent": "",
        "count": count,
        "role": role,
        "primary": role == "counterpart",
        "spans": spans,
        **more,
    }


def test_roll_up_pools_the_rows_it_merges_in_their_order():
    table = pd.DataFrame(
        [
            _place("a1", "Seoul", "KR", "South Korea", 2, "counterpart", "1-5"),
            _place("a1", "Busan", "KR", "South Korea"),
            _place("a1", "Tokyo", "JP", "Japan", spans="20-25"),
            _place("a1", "Incheon", "KR", "South Korea", spans="30-37"),
            _place("a2", "Busan", "KR", "South Korea", 3, "counterpart", "2-7"),
        ]
    )
    rolled = roll_up(table, level="country")
    assert rolled[["article_id", "partner", "count", "role", "primary", "spans"]].to_dict(
        "records"
    ) == [
        dict(article_id="a1", partner="South Korea", count=4, role="counterpart", primary=True,
             spans="1-5;30-37"),
        dict(article_id="a1", partner="Japan", count=1, role="mentioned", primary=False,
             spans="20-25"),
        dict(article_id="a2", partner="South Korea", count=3, role="counterpart", primary=True,
             spans="2-7"),
    ]  # fmt: skip
    assert list(rolled["kind"]) == ["country"] * 3
    assert list(rolled.columns) == list(table.columns)


@pytest.mark.parametrize(
    ("guangzhou", "shenzhen", "pooled"),
    [("Quangzhou", "", "Quangzhou"), ("", "", ""), ("Quangzhou", "Shenzen", "Quangzhou;Shenzen")],
)
def test_roll_up_pools_the_misspellings_of_merged_rows(guangzhou, shenzhen, pooled):
    table = pd.DataFrame(
        [
            _place(
                "a1", "Guangzhou", "CN", "China", 2, "counterpart", "1-9", misspellings=guangzhou
            ),
            _place("a1", "Shenzhen", "CN", "China", spans="20-27", misspellings=shenzhen),
            _place("a2", "Seoul", "KR", "South Korea", spans="3-8", misspellings=""),
        ]
    )
    rolled = roll_up(table, level="country")
    assert rolled["misspellings"].tolist() == [pooled, ""]


def test_roll_up_pools_the_sectors_of_merged_engagements():
    table = pd.DataFrame(
        [
            _place("a1", "Seoul", "KR", "South Korea", sectors="Health;Education"),
            _place("a1", "Tokyo", "JP", "Japan", sectors="Transport"),
            _place("a1", "Busan", "KR", "South Korea", sectors="Education;Urban rail"),
            _place("a1", "Incheon", "KR", "South Korea", sectors=""),
        ]
    ).drop(columns=["count", "role", "spans"])
    rolled = roll_up(table, level="country")
    assert dict(zip(rolled["partner"], rolled["sectors"], strict=True)) == {
        "South Korea": "Health;Education;Urban rail",
        "Japan": "Transport",
    }


def test_roll_up_without_gazetteer_uses_the_table(mentions_table):
    rolled = roll_up(mentions_table, level="country")
    assert set(rolled["partner"]) == {"South Korea", "China", "Japan"}
    with pytest.raises(Exception, match="level must be one of"):
        roll_up(mentions_table, level="continent")


def test_suggestions_are_package_places_only(mentions_table):
    suggestions = suggest_gazetteer_additions(mentions_table)
    assert suggestions["partner"].tolist() == ["Osaka"]
    assert suggestions.loc[0, "articles"] == 1


# --- The seed articles --------------------------------------------------------------------------


def test_seed_partners(gaz):
    from citylinks.corpus import load_articles
    from citylinks.partners import extract_engagements

    articles = load_articles(DEFAULT_GAZETTEER.parent.parent / "corpus").articles
    table = match_partners(articles, gaz)
    primary = dict(
        zip(
            table.loc[table["primary"], "article_id"].str[:3],
            table.loc[table["primary"], "partner"],
            strict=True,
        )
    )
    assert primary == {
        "000": "Gyeonggi",
        "001": "Seoul",
        "002": "South Korea",
        "003": "Guangzhou",
        "004": "South Korea",
    }
    partners = {a[:3]: set(g["partner"]) for a, g in table.groupby("article_id")}
    assert partners["002"] == {"South Korea", "Seoul", "Dongdaemun"}
    assert partners["004"] == {"South Korea", "Seoul", "Busan"}
    assert table["curated"].all()
    guangzhou = table[(table["partner"] == "Guangzhou")].iloc[0]
    assert guangzhou["count"] == 14  # three of them spelt "Quangzhou"
    engagements = extract_engagements(articles, table)
    assert engagements["event_date"].tolist() == [
        "2024-03-21",
        "2023-12-18",
        "2024-11-05",
        "2024-04-02",
        "2023-10-27",
    ]


# --- Sectors of an engagement, found once -------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_found(tmp_path_factory, gaz):
    """The seed articles with their sectors and partners, as notebooks 02 and 03 find them."""
    from runs import copy_seeds

    from citylinks.corpus import load_articles
    from citylinks.paths import DEFAULT_LEXICON
    from citylinks.sectors import load_lexicon, match_sector_terms

    articles = load_articles(copy_seeds(tmp_path_factory.mktemp("seeds")), workers=1).articles
    lexicon = load_lexicon(DEFAULT_LEXICON)
    abbreviations = learn_abbreviations(articles["text"])
    hits = match_sector_terms(
        articles, lexicon, abbreviations=abbreviations, work_dir=tmp_path_factory.mktemp("w")
    )
    return articles, lexicon, hits.sectors, match_partners(articles, gaz)


def test_engagements_take_the_articles_sectors_from_notebook_02(seeds_found):
    from citylinks.partners import extract_engagements

    articles, lexicon, sectors, mentions = seeds_found
    direct = extract_engagements(articles, mentions, lexicon=lexicon)
    assert direct["sectors"].str.len().gt(0).sum() >= 4  # the seeds discuss sectors
    reused = extract_engagements(articles, mentions, lexicon=lexicon, article_sectors=sectors)
    pd.testing.assert_frame_equal(direct, reused)
    # The table is really read: what it says shows through in the primary partners.
    told = sectors.assign(sectors="Told")
    shown = extract_engagements(articles, mentions, lexicon=lexicon, article_sectors=told)
    primary = shown["primary"] & shown["article_id"].isin(sectors["article_id"])
    assert primary.sum() >= 4 and set(shown.loc[primary, "sectors"]) == {"Told"}


@pytest.mark.parametrize(
    "stale",
    [
        {"stamp": "found in other articles"},
        {"lexicon": "found with another lexicon"},
        {"stamp": None, "lexicon": None},  # a table that does not say where it comes from
    ],
)
def test_sectors_from_other_articles_or_lexicon_are_not_used(seeds_found, stale):
    from citylinks.partners import extract_engagements

    articles, lexicon, sectors, mentions = seeds_found
    told = sectors.assign(sectors="Told")
    told.attrs = {k: v for k, v in {**sectors.attrs, **stale}.items() if v is not None}
    direct = extract_engagements(articles, mentions, lexicon=lexicon)
    shown = extract_engagements(articles, mentions, lexicon=lexicon, article_sectors=told)
    pd.testing.assert_frame_equal(direct, shown)


# --- Partners and engagements in one reading ----------------------------------------------------


def traced_apart(articles, gaz, lexicon, sectors, **options):
    """What trace_partners must return: match_partners, then extract_engagements on its table."""
    from citylinks.partners import extract_engagements

    mentions = match_partners(articles, gaz, **options)
    engaged = extract_engagements(
        articles, mentions, lexicon=lexicon, article_sectors=sectors, **options
    )
    return mentions, engaged


def assert_same_partners(found, expected):
    pd.testing.assert_frame_equal(found.mentions, expected[0])
    pd.testing.assert_frame_equal(found.engagements, expected[1])


@pytest.mark.parametrize("told", ["as found", "told", "none"])
def test_tracing_partners_equals_matching_then_engaging_on_the_seeds(seeds_found, gaz, told):
    from citylinks.partners import trace_partners

    articles, lexicon, sectors, _mentions = seeds_found
    sectors = {"as found": sectors, "told": sectors.assign(sectors="Told"), "none": None}[told]
    abbreviations = learn_abbreviations(articles["text"])
    found = trace_partners(
        articles, gaz, lexicon=lexicon, article_sectors=sectors, abbreviations=abbreviations
    )
    expected = traced_apart(articles, gaz, lexicon, sectors, abbreviations=abbreviations)
    assert_same_partners(found, expected)
    assert len(found.engagements) >= 5 and found.engagements["sentence"].str.len().gt(0).all()
    if told == "told":  # the sectors table really reaches the engagements
        assert "Told" in set(found.engagements["sectors"])


def test_tracing_partners_keeps_the_corpus_rules_and_the_empty_cases(gaz, abbreviations):
    from citylinks.partners import trace_partners
    from citylinks.paths import DEFAULT_LEXICON
    from citylinks.sectors import load_lexicon

    lexicon = load_lexicon(DEFAULT_LEXICON)
    rows = [
        article(1, "Hanoi and Osaka", ["Garland officials met Hanoi on May 1 in Osaka."]),
        article(2, "Flower show", ["A garland of lotus, and a garland of roses."]),
        article(3, "Hanoi and Seoul", ["Seoul and Hanoi signed an MoU on May 2 on schools."]),
        article(4, "Weather", ["Rain fell in Hanoi, as it did in Paris last year."]),
        dict(article(5, "Hanoi and Busan", ["Busan met Hanoi on May 3."]), status="duplicate"),
    ]
    frame = pd.DataFrame(rows)
    found = trace_partners(frame, gaz, lexicon=lexicon, abbreviations=abbreviations)
    assert_same_partners(
        found, traced_apart(frame, gaz, lexicon, None, abbreviations=abbreviations)
    )
    assert "Garland" not in set(found.mentions["partner"])  # the corpus-wide common-word rule
    assert set(found.engagements["partner"]) == {"Osaka", "Seoul"}
    # Places named only in passing: partners, and no engagements, as extract_engagements says.
    passing = pd.DataFrame(rows[3:4])
    found = trace_partners(passing, gaz, lexicon=lexicon, abbreviations=abbreviations)
    assert set(found.mentions["role"]) == {"mentioned"}
    assert_same_partners(
        found, traced_apart(passing, gaz, lexicon, None, abbreviations=abbreviations)
    )


@pytest.mark.parametrize("where", [0, 2, 4])
def test_articles_read_again_for_the_common_word_rule_keep_their_place(gaz, abbreviations, where):
    # An article naming a place the corpus uses as a common word is read again without it;
    # its new rows take the place of its first ones, wherever it stands in the corpus.
    from citylinks.partners import trace_partners
    from citylinks.paths import DEFAULT_LEXICON
    from citylinks.sectors import load_lexicon

    lexicon = load_lexicon(DEFAULT_LEXICON)
    rows = [
        article(i, f"Hanoi and {city}", [f"{city} officials met Hanoi on May {i + 1} on schools."])
        for i, city in enumerate(["Seoul", "Busan", "Paris", "Osaka"])
    ]
    garland = article(9, "Hanoi and Garland", ["Garland met Hanoi on May 9 in Fukuoka, Japan."])
    rows.insert(where, garland)
    rows.append(article(10, "Flower show", ["A garland of lotus, a garland of roses, a garland."]))
    frame = pd.DataFrame(rows)
    found = trace_partners(frame, gaz, lexicon=lexicon, abbreviations=abbreviations)
    assert_same_partners(
        found, traced_apart(frame, gaz, lexicon, None, abbreviations=abbreviations)
    )
    named = found.mentions.loc[found.mentions["article_id"] == "a9", "partner"]
    assert "Garland" not in set(named) and "Fukuoka" in set(named)
    assert found.mentions["article_id"].drop_duplicates().tolist() == [
        r["article_id"] for r in rows[:-1]
    ]


def test_traced_partners_are_cached_with_the_articles_sectors(seeds_found, gaz, tmp_path):
    from citylinks.partners import trace_partners

    articles, lexicon, sectors, _mentions = seeds_found
    options = {"lexicon": lexicon, "cache_dir": tmp_path}
    first = trace_partners(articles, gaz, article_sectors=sectors, **options)
    assert list(tmp_path.glob("partner-traces-*.sqlite"))
    again = trace_partners(articles, gaz, article_sectors=sectors, **options)
    assert_same_partners(again, (first.mentions, first.engagements))
    # Other sectors for the same texts: the stored engagements are not reused.
    told = trace_partners(articles, gaz, article_sectors=sectors.assign(sectors="Told"), **options)
    assert "Told" in set(told.engagements["sectors"])
    pd.testing.assert_frame_equal(told.mentions, first.mentions)
