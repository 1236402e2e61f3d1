"""Misspellings: edit distance, the pieces a misspelling keeps, and what is no misspelling."""

from __future__ import annotations

import pytest

from citylinks.spelling import SpellingIndex, anchors, edit_distance, known_word_hashes


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("vientianne", "vientiane", 1),  # a letter too many
        ("quangzhou", "guangzhou", 1),  # one changed
        ("dehli", "delhi", 1),  # two neighbours swapped
        ("daego", "daegu", 1),
        ("veintiane", "vientiane", 1),  # a swap
        ("viantoane", "vientiane", 2),
        ("seoul", "seoul", 0),
        ("kim", "lima", 2),
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance


def _one_edit(word):
    letters = "axz"
    for i in range(len(word) + 1):
        for c in letters:
            yield word[:i] + c + word[i:]  # insert
        if i < len(word):
            yield word[:i] + word[i + 1 :]  # delete
            for c in letters:
                yield word[:i] + c + word[i + 1 :]  # substitute
        if i + 1 < len(word):
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap


@pytest.mark.parametrize(
    "name", ["Daegu", "Seoul", "Busan", "Guangzhou", "Vientiane", "Kazakhstan"]
)
def test_every_misspelling_keeps_a_piece_of_the_name(name):
    pieces = anchors(name)
    assert all(name[offset:].startswith(p.decode()) for p, offset in pieces)
    for word in _one_edit(name):
        assert any(p.decode() in word for p, _offset in pieces), word
    if len(name) >= 9:  # two edits for a long name
        for word in {w2 for w1 in _one_edit(name) for w2 in _one_edit(w1)}:
            assert any(p.decode() in word for p, _offset in pieces), word


@pytest.fixture(scope="module")
def index():
    return SpellingIndex(known_word_hashes(frozenset({"thane", "luang prabang"})), {"huang"})


@pytest.mark.parametrize(
    ("word", "name", "misspelt"),
    [
        ("Vientianne", "Vientiane", True),
        ("Quangzhou", "Guangzhou", True),
        ("Daego", "Daegu", True),
        ("Talks", "Talas", False),  # an English word with an ending
        ("Parts", "Paris", False),
        ("Susan", "Busan", False),  # a given name the word lists hold
        ("Koreas", "Korea", False),  # the name with an ending
        ("Hiroshi", "Hiroshima", False),  # the name cut short
        ("Luang", "Kluang", False),  # a word of a known place's name
        ("Huang", "Hwang", False),  # a known word given to the index
        ("Kimm", "Kim", False),  # too short to be sure of
        ("Vientianeee", "Vientiane", False),  # the name with an ending
        ("Viantoane", "Vientiane", True),  # two edits in a long name
        ("Buzen", "Busan", False),  # two edits in a short one
    ],
)
def test_misspells(index, word, name, misspelt):
    assert index.misspells(word, name) is misspelt
    assert index.misspells(word, name) is misspelt  # the same from the cache


# --- End to end: a misspelling in the partner table and in the suggestions -------------------


def test_a_seed_misspelling_is_found_without_its_alias(tmp_path):
    """Seed 003 spells Guangzhou "Quangzhou" three times: without the curated alias, the place
    still counts 14 times, and the misspelling is suggested as an alias."""
    from citylinks.corpus import load_articles
    from citylinks.gazetteer import load_gazetteer
    from citylinks.partners import match_partners, suggest_gazetteer_additions
    from citylinks.paths import DEFAULT_GAZETTEER

    curated = DEFAULT_GAZETTEER.read_text(encoding="utf-8")
    assert "aliases: [Quangzhou, " in curated
    without = tmp_path / "partners.yaml"
    without.write_text(curated.replace("aliases: [Quangzhou, ", "aliases: ["), encoding="utf-8")
    articles = load_articles(DEFAULT_GAZETTEER.parent.parent / "corpus").articles
    counts = {}
    for path in (DEFAULT_GAZETTEER, without):
        table = match_partners(articles, load_gazetteer(path))
        row = table[table["partner"] == "Guangzhou"].iloc[0]
        counts[path] = (row["article_id"][:3], row["count"], row["misspellings"])
    assert counts[DEFAULT_GAZETTEER] == ("003", 14, "")
    assert counts[without] == ("003", 14, "Quangzhou;Quangzhou;Quangzhou")
    suggestions = suggest_gazetteer_additions(table)
    first = suggestions.iloc[0]
    assert (first["misspelling"], first["partner"], first["mentions"]) == (
        "Quangzhou",
        "Guangzhou",
        3,
    )
    assert first["articles"] == 1


def test_suggestions_without_misspellings_keep_their_shape():
    import pandas as pd

    from citylinks.partners import suggest_gazetteer_additions

    table = pd.DataFrame(
        [
            {
                "article_id": "a1",
                "partner": "Osaka",
                "kind": "city",
                "country": "JP",
                "parent": "Japan",
                "lat": 34.7,
                "lon": 135.5,
                "count": 2,
                "role": "counterpart",
                "curated": False,
                "misspellings": "",
            }
        ]
    )
    found = suggest_gazetteer_additions(table)
    assert found["partner"].tolist() == ["Osaka"] and found["misspelling"].tolist() == [""]
    assert suggest_gazetteer_additions(table.assign(curated=True)).empty
