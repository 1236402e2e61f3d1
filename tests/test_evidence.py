"""Evidence pages: anchors, which sentences a capped group shows, marking, and the pages written
from small stage tables."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from citylinks.cache import content_key
from citylinks.evidence import (
    cap_groups,
    cap_rows,
    mark_terms,
    partner_anchor,
    sector_anchor,
    sentence_at,
    slug,
    write_evidence_pages,
)
from citylinks.tables import write_stage_table

SAFE = re.compile(r"[a-z0-9-]+")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Seoul", "seoul"),
        ("Ho Chi Minh City", "ho-chi-minh-city"),
        ("urban_planning", "urban-planning"),
        ("2024Q3", "2024q3"),
        ("  New  York ", "new-york"),
    ],
)
def test_plain_names_slug_to_themselves(text, expected):
    assert slug(text) == expected


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("São Paulo", "Sao Paulo"),  # folding an accent must not merge two names
        ("Düsseldorf", "Dusseldorf"),
        ("东京", "北京"),  # nothing left after folding: a hash each
        ('<script>"x"</script>', "script x script"),
        ("St. Petersburg", "St Petersburg"),
    ],
)
def test_names_that_fold_alike_keep_distinct_safe_slugs(one, other):
    assert slug(one) != slug(other)
    assert SAFE.fullmatch(slug(one)) and SAFE.fullmatch(slug(other))
    assert slug(one) == slug(one)  # stable: the same name, the same anchor


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        (sector_anchor("urban_rail"), "sector-urban-rail"),
        (sector_anchor("urban_rail", "2024Q3"), "sector-urban-rail-2024q3"),
        (sector_anchor("urban_rail", "2024-03"), "sector-urban-rail-2024-03"),
        (sector_anchor("urban_rail", ""), "sector-urban-rail-undated"),
        (partner_anchor("Gyeonggi"), "partner-gyeonggi"),
    ],
)
def test_anchors(anchor, expected):
    assert anchor == expected


def picks(rows, *, cap):
    frame = pd.DataFrame(rows, columns=["group", "article", "date"])
    chosen = cap_groups(frame, by=["group"], newest="date", article="article", cap=cap)
    return [tuple(r) for r in chosen[["group", "article", "date"]].itertuples(index=False)]


def test_a_group_under_the_cap_shows_every_row_newest_first():
    rows = [("g", "a", "2024-01-01"), ("g", "b", "2024-03-01"), ("g", "a", "2024-01-01")]
    assert picks(rows, cap=5) == [
        ("g", "b", "2024-03-01"),
        ("g", "a", "2024-01-01"),
        ("g", "a", "2024-01-01"),
    ]


def test_articles_take_turns_so_one_long_article_cannot_fill_a_group():
    long = [("g", "long", "2024-05-01")] * 6
    rows = [*long, ("g", "b", "2024-02-01"), ("g", "c", "2024-01-01")]
    shown = picks(rows, cap=4)
    assert len(shown) == 4
    assert {article for _, article, _ in shown} == {"long", "b", "c"}
    assert [a for _, a, _ in shown] == ["long", "long", "b", "c"]  # then newest first


def test_the_newest_articles_win_when_a_group_is_over_the_cap():
    rows = [("g", f"a{i}", f"2024-01-{i + 1:02d}") for i in range(10)]
    assert [a for _, a, _ in picks(rows, cap=3)] == ["a9", "a8", "a7"]


def test_groups_are_capped_separately_and_totals_count_every_row():
    rows = [("x", f"a{i}", "2024-01-01") for i in range(5)] + [("y", "b", "2024-01-01")]
    frame = pd.DataFrame(rows, columns=["group", "article", "date"])
    chosen = cap_groups(frame, by=["group"], newest="date", article="article", cap=2)
    assert chosen.groupby("group").size().to_dict() == {"x": 2, "y": 1}
    assert chosen.groupby("group")["total"].first().to_dict() == {"x": 5, "y": 1}


def test_missing_values_are_kept_not_dropped():
    rows = [("g", "a", None), (None, "b", "2024-01-01"), ("g", None, "2024-02-01")]
    assert len(picks(rows, cap=5)) == 3


def test_an_empty_table_shows_nothing():
    chosen, turn = cap_rows([], [], [], cap=3)
    assert len(chosen) == 0 and len(turn) == 0


def test_cap_rows_agrees_with_a_plain_reading_of_the_rule():
    # The fast rule against the rule written out: rank rows by (turn, newest, article, order).
    rng = np.random.default_rng(7)
    group, article = rng.integers(0, 4, 300), rng.integers(0, 25, 300)
    recency = article % 9  # an article has one date
    chosen, turn = cap_rows(group, article, recency, cap=5)
    seen: dict[tuple[int, int], int] = {}
    for g in range(4):
        rows = []
        for i in range(300):
            if group[i] == g:
                t = seen.get((g, article[i]), 0)
                seen[g, article[i]] = t + 1
                assert turn[i] == t
                rows.append((t, -recency[i], article[i], i))
        first = sorted(rows)[:5]
        got = [i for i in chosen if group[i] == g]
        assert sorted(got) == sorted(r[3] for r in first)
        assert [-recency[i] for i in got] == sorted(-recency[i] for i in got)  # newest first


@pytest.mark.parametrize(
    ("sentence", "terms", "expected"),
    [
        ("Urban rail lines open.", ["urban rail"], "<mark>Urban rail</mark> lines open."),
        ("New urban-rail lines.", ["urban rail"], "New <mark>urban-rail</mark> lines."),
        ("Two hospitals opened.", ["hospital"], "Two <mark>hospitals</mark> opened."),
        ("Hospitality grows.", ["tourism"], "Hospitality grows."),  # no term: nothing marked
        ("<b>rail</b> & co", ["rail"], "&lt;b&gt;<mark>rail</mark>&lt;/b&gt; &amp; co"),
        ("railway", ["rail"], "<mark>railway</mark>"),
        ("Trail maps", ["rail"], "Trail maps"),  # inside a word: not the term
    ],
)
def test_mark_terms_marks_the_terms_and_escapes_the_rest(sentence, terms, expected):
    assert mark_terms(sentence, terms) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Hanoi met Seoul. Then lunch.", "Seoul", ("Hanoi met ", "Seoul", ".")),
        ("A first one.\n\nLeaders of\nBusan came.", "Busan", ("Leaders of ", "Busan", " came.")),
        ("Mr. Kim of Seoul spoke. Later.", "Seoul", ("Mr. Kim of ", "Seoul", " spoke.")),
    ],
)
def test_sentence_at_returns_the_sentence_around_a_span(text, name, expected):
    start = text.index(name)
    assert sentence_at(text, start, start + len(name), frozenset({"mr"})) == expected


# --- pages from small stage tables ------------------------------------------------------------

HOSTILE = '<script>window.__x=1</script> "Seoul" & co'


def span(text: str, name: str) -> str:
    """The spans column of partner_mentions: where each use of the name is."""
    return ";".join(f"{m.start()}-{m.end()}" for m in re.finditer(re.escape(name), text))


@pytest.fixture
def work(tmp_path):
    """Stage tables of a small run: 30 mentions of health in 2024Q1 from three articles, one of
    rail undated, and partners, one with a hostile name."""
    texts = {
        "a1": "Hanoi and Seoul talk health. Health again here.\n\nMore health from Seoul.",
        "a2": f"Hanoi meets {HOSTILE} on hospitals.",
        "a3": "Undated rail news from Busan.",
    }
    articles = pd.DataFrame(
        {
            "article_id": list(texts),
            "title": ["Health talks", HOSTILE, "Rail"],
            "published": ["2024-02-01", "2024-03-01", ""],
            "source": ["Outlet A", "Outlet <B>", ""],
            "url": ["https://example.org/a1", "javascript:alert(1)", ""],
            "status": "ok",
            "text": list(texts.values()),
            "text_key": [content_key(t) for t in texts.values()],
        }
    )
    write_stage_table(articles, tmp_path, "articles")
    health = [
        ("a1", "2024-02-01", "health", "Health", "health", f"Sentence {i} on health.")
        for i in range(25)
    ]
    health += [
        ("a2", "2024-03-01", "health", "Health", "hospital", "Hanoi meets on hospitals.")
    ] * 5
    rail = [("a3", "", "rail", "Rail", "rail", "Undated rail news from Busan.")]
    evidence = pd.DataFrame(
        health + rail, columns=["article_id", "published", "sector", "label", "term", "sentence"]
    )
    write_stage_table(evidence, tmp_path, "sector_evidence")
    trends = pd.DataFrame(
        {
            "period": ["2024Q1", "2024Q1"],
            "sector": ["health", "rail"],
            "label": ["Health", "Rail"],
            "mentions": [30, 0],
            "per_1000_words": [12.5, 0.0],
            "articles_in_period": [2, 2],
        }
    )
    write_stage_table(trends, tmp_path, "sector_trends")
    partner = dict(kind="city", country="KR", country_name="South Korea", role="counterpart")
    mentions = pd.DataFrame(
        [
            dict(
                article_id="a1",
                published="2024-02-01",
                partner="Seoul",
                count=2,
                spans=span(texts["a1"], "Seoul"),
                **partner,
            ),
            dict(
                article_id="a2",
                published="2024-03-01",
                partner=HOSTILE,
                count=1,
                spans=span(texts["a2"], HOSTILE),
                **partner,
            ),
            dict(
                article_id="a3",
                published="",
                partner="Busan",
                count=1,
                spans=span(texts["a3"], "Busan"),
                **{**partner, "role": "mentioned"},
            ),
        ]
    )
    write_stage_table(mentions, tmp_path, "partner_mentions")
    engagements = pd.DataFrame(
        [
            dict(
                article_id="a1",
                published="2024-02-01",
                event_date="2024-01-30",
                partner="Seoul",
                type="meeting",
                sectors="Health",
                sentence="Hanoi and Seoul talk health.",
            )
        ]
    )
    write_stage_table(engagements, tmp_path, "engagements")
    return tmp_path


@pytest.fixture
def pages(work, tmp_path):
    out = tmp_path / "out"
    write_evidence_pages(work, out, cap=4)
    return {
        name: (out / name).read_text(encoding="utf-8")
        for name in ("evidence-sectors.html", "evidence-partners.html")
    }


def test_sector_page_groups_by_period_caps_and_counts_the_rest(pages):
    page = pages["evidence-sectors.html"]
    assert 'id="sector-health"' in page and 'id="sector-health-2024q1"' in page
    assert 'id="sector-rail-undated"' in page
    section = page[page.index('id="sector-health-2024q1"') : page.index('id="sector-rail"')]
    assert section.count("<li>") == 4  # the cap
    assert "30 mentions in 2 articles, 12.5 per 1,000 words" in section
    # The newest article first, then turns: a2's one sentence (its five mentions), a1's three.
    assert section.index("hospitals") < section.index("Sentence 0")
    assert "and 23 more mentions" in section  # 30 less a2's four and a1's three shown
    assert 'href="data/sector_evidence.csv"' in section
    assert "<mark>health</mark>" in section and "<mark>hospitals</mark>" in section


def test_partner_page_has_engagements_and_sentences_naming_each_partner(pages):
    page = pages["evidence-partners.html"]
    seoul = page[page.index('id="partner-seoul"') :]
    seoul = seoul[: seoul.index("</section>")]
    assert "<strong>meeting</strong>, 2024-01-30" in seoul
    assert "Hanoi and <mark>Seoul</mark> talk health." in seoul
    assert "More health from <mark>Seoul</mark>." in seoul
    assert 'id="partner-busan"' in page and "None found: only named in passing." in page


def test_pages_escape_every_text_and_keep_only_web_links(pages):
    for page in pages.values():
        assert "<script>window.__x" not in page and "Outlet <B>" not in page
        assert "javascript:" not in page
    assert "&lt;script&gt;window.__x=1&lt;/script&gt;" in pages["evidence-partners.html"]
    assert f'id="{partner_anchor(HOSTILE)}"' in pages["evidence-partners.html"]
    assert '<a href="https://example.org/a1">Health talks</a>' in pages["evidence-sectors.html"]


def test_pages_need_nothing_from_the_network(pages):
    for page in pages.values():
        assert not re.search(r'(src|href)="(https?:)?//(?!example\.org/a1")', page)


def test_a_work_folder_without_tables_gives_pages_saying_so(tmp_path):
    write_evidence_pages(tmp_path / "empty", tmp_path / "out")
    assert "No sector term was found" in (tmp_path / "out" / "evidence-sectors.html").read_text()
    assert "No partner was found" in (tmp_path / "out" / "evidence-partners.html").read_text()


def test_with_the_lexicon_every_sector_has_a_section(work, tmp_path):
    from citylinks.paths import DEFAULT_LEXICON
    from citylinks.sectors import load_lexicon

    write_evidence_pages(work, tmp_path / "out", lexicon=DEFAULT_LEXICON)
    page = (tmp_path / "out" / "evidence-sectors.html").read_text(encoding="utf-8")
    ids = list(load_lexicon(DEFAULT_LEXICON).labels)
    assert len(ids) > 10
    assert [s for s in ids if f'id="{sector_anchor(s)}"' not in page] == []
    assert "No mention in the analysed articles." in page
