"""Sentences: abbreviations learned from the corpus (and cached), and the rule that cuts by them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from citylinks.sentences import (
    KNOWN_ABBREVIATIONS,
    cut_sentences,
    has_glued_sentences,
    learn_abbreviations,
    learned_abbreviations,
    train_sentence_splitter,
    unglue_sentences,
    with_known_abbreviations,
)

# Punkt learns "corp" and "dept" from this: they end with a dot yet are followed by more sentence.
CORPORATE = [
    "Officials of Lotte Corp. and Vingroup Corp. met in Hanoi. The Dept. of Planning hosted "
    "them. Samsung Corp. said it would invest. Approx. 20 firms came."
] * 30
PLAIN = ["Hanoi met Seoul officials on March 3. They signed an MoU. The talks went well."] * 30


def test_abbreviations_hold_the_corpus_own_and_the_known_ones():
    found = learn_abbreviations(CORPORATE)
    assert {"corp", "dept"} <= found
    assert set(KNOWN_ABBREVIATIONS) <= found
    assert found == learned_abbreviations(train_sentence_splitter(CORPORATE))
    assert "corp" not in learn_abbreviations(PLAIN)


def test_cached_abbreviations_are_the_same_and_need_no_nltk(tmp_path):
    first = learn_abbreviations(CORPORATE, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("abbreviations-*.txt"))) == 1
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps(CORPORATE), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from citylinks.sentences import learn_abbreviations\n"
        f"texts = json.loads(open({str(texts)!r}, encoding='utf-8').read())\n"
        f"found = learn_abbreviations(texts, cache_dir={str(tmp_path)!r})\n"
        "print(json.dumps({'found': sorted(found), 'nltk': 'nltk' in sys.modules}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    again = json.loads(out)
    assert again == {"found": sorted(first), "nltk": False}


def test_another_training_text_replaces_the_cached_abbreviations(tmp_path):
    learn_abbreviations(CORPORATE, cache_dir=tmp_path)
    before = set(tmp_path.glob("abbreviations-*.txt"))
    plain = learn_abbreviations(PLAIN, cache_dir=tmp_path)
    after = set(tmp_path.glob("abbreviations-*.txt"))
    assert len(after) == 1 and after != before
    assert "corp" not in plain


def test_known_abbreviations_join_the_given_ones_without_blanks():
    assert with_known_abbreviations(["corp", ""]) == frozenset(KNOWN_ABBREVIATIONS) | {"corp"}
    assert with_known_abbreviations(None) == frozenset(KNOWN_ABBREVIATIONS)


@pytest.mark.parametrize(
    ("block", "abbreviations", "sentences"),
    [
        (
            "Hanoi met Seoul. They signed an MoU.",
            set(),
            ["Hanoi met Seoul.", "They signed an MoU."],
        ),
        ("Lotte Corp. Vingroup signed too.", {"corp"}, ["Lotte Corp. Vingroup signed too."]),
        ("Lotte Corp. Vingroup signed too.", set(), ["Lotte Corp.", "Vingroup signed too."]),
        (
            "Rafael R. Sevilla spoke. Then he left.",
            set(),
            ["Rafael R. Sevilla spoke.", "Then he left."],
        ),
        ("It rose 3.5 percent. Trade grew.", set(), ["It rose 3.5 percent.", "Trade grew."]),
        ("He said: no. and left.", set(), ["He said: no. and left."]),  # no capital after the dot
    ],
)
def test_sentences_are_cut_at_end_punctuation_but_not_after_an_abbreviation(
    block, abbreviations, sentences
):
    spans = cut_sentences(block, frozenset(abbreviations))
    assert [block[s:e] for s, e in spans] == sentences


def plain_cut(block: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """cut_sentences written the plain way: the word before a dot walked back a letter at a time."""
    import re

    spans, begin = [], 0
    for m in re.finditer(r"[.!?]+[\"'”’)\]]*\s+", block):
        nxt = block[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "\"“‘'("):
            continue
        if block[m.start()] == ".":
            i = m.start()
            while i > 0 and (block[i - 1].isalpha() or block[i - 1] == "."):
                i -= 1
            word = block[i : m.start()]
            if (len(word) == 1 and word.isupper()) or word.lower() in abbreviations:
                continue
        spans.append((begin, m.start() + len(m.group().rstrip())))
        begin = m.end()
    end = len(block.rstrip())
    if begin < end:
        spans.append((begin, end))
    return spans


def test_sentences_are_cut_as_the_plain_rule_cuts_them():
    import random

    rng = random.Random(11)
    pieces = [
        "Mr", "Dr", "U.S", "Corp", "R", "a", "É", "Ở", "½A", "km²", "x1", "3", "12",
        ".", ".", ". ", "! ", "? ", "...", " ", " ", "  ", "\n", "\t", "\u00a0", "(", ")",
        "\"", "”", "’", "'", "“", "Hanoi", "met", "Seoul", "Oct", "Ông",
    ]  # fmt: skip
    abbreviations = frozenset({"mr", "dr", "u.s", "corp", "oct", "½a", "km²"})
    for _ in range(3000):
        block = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        assert cut_sentences(block, abbreviations) == plain_cut(block, abbreviations), block


@pytest.mark.parametrize(
    ("text", "unglued"),
    [
        (
            "for the 2019-2021 period.The signing formed part of the visit.",
            "for the 2019-2021 period. The signing formed part of the visit.",
        ),
        (
            "to Vietnam.Speaking at it, he said.He left.",
            "to Vietnam. Speaking at it, he said. He left.",
        ),
        ("in 2024.The city grew.", "in 2024. The city grew."),
        ("The U.S.Army and the U.K. met.", None),  # capitals before the dot: an abbreviation
        ("It rose 3.5 percent.", None),  # a decimal
        ("Visit VTV.vn or No.1 Street.", None),  # a site name, a number
        ("See www.Hanoitimes.vn/News.Html for more.", None),  # an address
        ("Write to press@Hanoi.gov.vn today.", None),
        ("capitals.-VNA", None),
    ],
)
def test_glued_sentences_get_their_space_back(text, unglued):
    result, places = unglue_sentences(text)
    assert result == (unglued or text)
    assert bool(places) is (unglued is not None)
    assert has_glued_sentences(text) or unglued is None


def test_unglued_sentences_are_cut_apart():
    text, _ = unglue_sentences("Hanoi signed the MoU on Monday.The two cities will exchange staff.")
    spans = cut_sentences(text, frozenset())
    assert [text[s:e] for s, e in spans] == [
        "Hanoi signed the MoU on Monday.",
        "The two cities will exchange staff.",
    ]
