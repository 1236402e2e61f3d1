"""Sector lexicon and matching: terms, variants, excluded senses, loader errors, trends, evidence."""

from __future__ import annotations

import pickle
import random
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from nltk.tokenize import MWETokenizer, RegexpTokenizer

from citylinks import sectors as sectors_module
from citylinks.errors import ConfigError, ParameterError
from citylinks.paths import DEFAULT_CORPUS, DEFAULT_LEXICON
from citylinks.sectors import (
    Mention,
    collect_sector_evidence,
    count_sector_mentions,
    find_sector_mentions,
    load_lexicon,
    match_sector_terms,
    newest_evidence,
    normalise_term,
    normalise_text,
    plot_sector_heatmap,
    plot_sector_totals,
    plot_sector_trends,
    suggest_lexicon_terms,
    summarise_sector_trends,
    tabulate_lexicon,
    undated_articles,
)
from citylinks.sentences import learn_abbreviations

NBSP = "\u00a0"

MINI = """
# A small lexicon whose behaviour the tests spell out.
sectors:
  - id: agri
    label: Agriculture
    dac: ["311"]
    terms: [agriculture, high-tech agriculture, farm, farms, food security, fruit]
    exclude: [bear fruit]
  - id: tech
    label: Technology
    dac: ["43082"]
    terms: [high-tech, hi-tech, hitech, tech, hi-tech park, r&d, industry 4.0]
  - id: culture
    label: Culture
    dac: []
    terms: [art, arts, culture, people-to-people exchange]
    exclude: [state of the art]
  - id: security
    label: Security
    terms: [security]
  - id: env
    label: Environment
    terms: [environment, pollution]
    exclude: [business environment]
"""


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> object:
    path = tmp_path_factory.mktemp("lexicon") / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    return load_lexicon(path)


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(DEFAULT_LEXICON)


def found(text: str, lexicon) -> list[tuple[str, str]]:
    """(sector, the original text of the mention) for each mention, in order."""
    return [(m.sector, text[m.start : m.end]) for m in find_sector_mentions(text, lexicon)]


# --- Matching ------------------------------------------------------------------------------------

MATCHING = [
    # multi-word phrases, longest first
    ("Hanoi backs high-tech agriculture.", [("agri", "high-tech agriculture")]),
    ("food security matters", [("agri", "food security")]),
    ("security and food security", [("security", "security"), ("agri", "food security")]),
    ("the Hoa Lac Hi-tech Park", [("tech", "Hi-tech Park")]),
    ("people-to-people exchange", [("culture", "people-to-people exchange")]),
    # hyphen variants
    ("high tech agriculture", [("agri", "high tech agriculture")]),
    ("hi tech park", [("tech", "hi tech park")]),
    ("Hi\u2011tech Park", [("tech", "Hi\u2011tech Park")]),
    ("people to people exchange", [("culture", "people to people exchange")]),
    ("hitech and hi-tech", [("tech", "hitech"), ("tech", "hi-tech")]),
    ("high\u2013tech agriculture", [("tech", "tech"), ("agri", "agriculture")]),  # en dash
    # plural and other written-out forms only
    ("farms and a farm", [("agri", "farms"), ("agri", "farm")]),
    ("arts, art", [("culture", "arts"), ("culture", "art")]),
    ("farmers and farming", []),
    # excluded senses
    ("a state-of-the-art lab", []),
    ("the state of the art", []),
    ("improve the business environment", []),
    ("protect the environment", [("env", "environment")]),
    ("the ties will bear fruit", []),
    ("fruit exports", [("agri", "fruit")]),
    # a phrase broken by a line break, a double space, a no-break space, spaces and a hyphen
    ("high-tech\nagriculture", [("agri", "high-tech\nagriculture")]),
    ("high-tech  agriculture", [("agri", "high-tech  agriculture")]),
    (f"high-tech{NBSP}agriculture", [("agri", f"high-tech{NBSP}agriculture")]),
    (f"high{NBSP} tech \n agriculture", [("agri", f"high{NBSP} tech \n agriculture")]),
    ("people-to-people\r\nexchange", [("culture", "people-to-people\r\nexchange")]),
    ("agri\u00adculture", [("agri", "agri\u00adculture")]),  # soft hyphen
    # ... but a paragraph break is a barrier
    ("high-tech\n\nagriculture", [("tech", "high-tech"), ("agri", "agriculture")]),
    ("high-tech\n \nagriculture", [("tech", "high-tech"), ("agri", "agriculture")]),
    (
        f"art{NBSP}high-tech\n\nagriculture",
        [("culture", "art"), ("tech", "high-tech"), ("agri", "agriculture")],
    ),
    ("high-tech\u2009\n\nagriculture", [("tech", "high-tech"), ("agri", "agriculture")]),
    # whole words only
    ("start a party at the smart apartment", []),
    ("artist and biotech", []),
    ("(art) and 'culture'.", [("culture", "art"), ("culture", "culture")]),
    ("agriculture", [("agri", "agriculture")]),  # not also "culture"
    ("securityx xsecurity security", [("security", "security")]),
    # case, punctuation inside terms
    ("HIGH-TECH AGRICULTURE", [("agri", "HIGH-TECH AGRICULTURE")]),
    ("R&D and Industry 4.0.", [("tech", "R&D"), ("tech", "Industry 4.0")]),
    ("\u0130zmir art", [("culture", "art")]),  # a letter that lowercases to two
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), MATCHING)
def test_matching(mini, text, expected):
    assert found(text, mini) == expected


@pytest.mark.parametrize(("text", "expected"), MATCHING)
def test_mention_spans_spell_their_term(mini, text, expected):
    for m in find_sector_mentions(text, mini):
        assert isinstance(m, Mention)
        assert normalise_term(text[m.start : m.end]) == normalise_term(m.term)


def test_lowered_text_can_be_passed_in(mini):
    text = "High-tech agriculture and ART"
    assert find_sector_mentions(text, mini, lowered=text.lower()) == find_sector_mentions(
        text, mini
    )


def test_irregular_spacing_gives_the_same_mentions_as_its_normal_form(mini):
    """The fast route (raw text) and the full normalisation agree, on random spacing and on
    words of the lexicon's phrases inside longer words ("hitechs", "xhigh-tech")."""
    words = [
        "high",
        "tech",
        "agriculture",
        "hi",
        "hitech",
        "park",
        "people",
        "to",
        "exchange",
        "the",
        "art",
        "(art)",
        "state",
        "of",
        "food",
        "fruit",
        "bear",
        "security",
        "business",
        "environment",
        "industry",
        "4.0",
        "farm",
        "r&d",
        "x",
    ]
    affixes = ["", "", "", "", "s", "x", "ing"]
    gaps = [
        " ",
        " ",
        " ",
        "-",
        "--",
        "\n",
        "\n\n",
        "  ",
        NBSP,
        " " + NBSP,
        " \n",
        "\n ",
        "\r\n",
        " - ",
        "\t",
        "\u2010",
        "\u2011",
        "\n \n",
        ", ",
        ". ",
        "\u2009",
    ]
    rng = random.Random(42)
    for _ in range(900):
        text = "".join(
            (rng.choice(["x", "un"]) if rng.random() < 0.1 else "")
            + rng.choice(words)
            + rng.choice(affixes)
            + rng.choice(gaps)
            for _ in range(rng.randint(1, 12))
        )
        found = find_sector_mentions(text, mini)
        normal = [(m.sector, m.term) for m in find_sector_mentions(normalise_text(text), mini)]
        assert [(m.sector, m.term) for m in found] == normal, repr(text)
        low = text.lower()
        exact = [m for m in sectors_module._match_normalised(low, mini.automaton) if m.sector]
        assert found == exact, repr(text)  # offsets too


# The shipped lexicon on the senses its comment block promises.
PRECISION = [
    ("Hanoi is the capital of Vietnam.", []),
    ("amendments to the Capital Law", [("governance", "Capital Law")]),
    (
        "capital planning and venture capital",
        [("urban_planning", "capital planning"), ("investment", "venture capital")],
    ),
    ("to improve the business environment", [("investment", "business environment")]),
    ("to create a favorable environment for cooperation", []),
    (
        "environmental protection and the environment",
        [("environment", "environmental protection"), ("environment", "environment")],
    ),
    ("social security", [("social", "social security")]),
    (
        "food security and energy security",
        [("agriculture", "food security"), ("energy", "energy security")],
    ),
    ("cybersecurity and security", [("digital", "cybersecurity"), ("security", "security")]),
    ("defense-security", [("security", "defense-security")]),
    ("a coal-fired power plant", [("energy", "coal-fired"), ("energy", "power plant")]),
    ("they plant a tree", []),
    ("wastewater treatment plants", [("water", "wastewater treatment plants")]),
    ("the shared Confucian culture", [("culture", "culture")]),
    ("health and healthcare", [("health", "health"), ("health", "healthcare")]),
    ("hi-tech agriculture", [("agriculture", "hi-tech agriculture")]),
    ("Hoa Lac High-tech Park", [("science_technology", "High-tech Park")]),
    ("Hanoi is planning to build a metro", [("transport", "metro")]),
    ("urban planning to 2030", [("urban_planning", "urban planning")]),
    ("a state-of-the-art hospital", [("health", "hospital")]),
    ("new energy vehicles", [("industry", "new energy vehicles")]),
    ("inject new energy into ties", []),
    ("the chairman said again", []),
    ("AI and semiconductors", [("digital", "AI"), ("industry", "semiconductors")]),
    ("serve as bridges between the peoples", []),
    ("South China University of Technology", [("education", "University of Technology")]),
    ("smart city", [("digital", "smart city")]),
    ("the Belt and Road", []),
]


@pytest.mark.parametrize(("text", "expected"), PRECISION)
def test_shipped_lexicon_senses(lexicon, text, expected):
    assert found(text, lexicon) == expected


# --- Loading -------------------------------------------------------------------------------------

GOOD_SECTOR = "  - id: education\n    label: Education\n    terms: [school]\n"
BROKEN = [
    ("sectors: [unclosed", "not valid YAML"),
    ("- just\n- a list\n", "'sectors:' list"),
    ("sectors: 3\n", "non-empty list"),
    ("sectors: []\n", "non-empty list"),
    ("sectors:\n  - education\n", "not a mapping"),
    ("sectors:\n  - label: Education\n    terms: [school]\n", "snake_case"),
    ("sectors:\n  - id: Education Sector\n    label: E\n    terms: [school]\n", "snake_case"),
    ("sectors:\n  - id: education\n    label: Education\n", "has no terms"),
    ("sectors:\n  - id: education\n    label: Education\n    terms: []\n", "has no terms"),
    ("sectors:\n  - id: education\n    label: Education\n    terms: school\n", "must be a list"),
    ("sectors:\n  - id: education\n    label: Education\n    term: [school]\n", "unknown key"),
    ("sectors:\n  - id: education\n    terms: [school]\n", "label"),
    ("sectors:\n  - id: education\n    label: E\n    dac: ['11']\n    terms: [school]\n", "DAC"),
    ("sectors:\n  - id: education\n    label: E\n    terms: [sch@ol]\n", "characters"),
    ("sectors:\n  - id: education\n    label: E\n    terms: ['', school]\n", "non-empty"),
    ("sectors:\n" + GOOD_SECTOR + GOOD_SECTOR, "listed twice"),
    (
        "sectors:\n" + GOOD_SECTOR + "  - id: health\n    label: Health\n    terms: [School]\n",
        "listed under both",
    ),
    (
        "sectors:\n  - id: education\n    label: E\n    terms: [school]\n    exclude: [old boys]\n",
        "contains none of its terms",
    ),
    (
        "sectors:\n" + GOOD_SECTOR + "  - id: health\n    label: Health\n    terms: [clinic]\n"
        "    exclude: [school]\n",
        "is a term of",
    ),
]


def assert_names_file(err: ConfigError, path: Path, problem: str) -> None:
    message = str(err)
    assert message.startswith(str(path)), message
    assert problem in message, message
    assert "\n" not in message


@pytest.mark.parametrize(("content", "problem"), BROKEN)
def test_loader_names_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "sectors.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_lexicon(path)
    assert_names_file(err.value, path, problem)


def test_loader_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ConfigError) as err:
        load_lexicon(path)
    assert_names_file(err.value, path, "file not found")


def test_loader_not_text(tmp_path):
    path = tmp_path / "sectors.yaml"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ConfigError) as err:
        load_lexicon(path)
    assert_names_file(err.value, path, "UTF-8")


def test_spellings_that_normalise_alike_are_one_term(tmp_path):
    path = tmp_path / "sectors.yaml"
    path.write_text(
        "sectors:\n  - id: tech\n    label: T\n    terms: [hi-tech, hi tech, Hi-Tech]\n",
        encoding="utf-8",
    )
    assert found("hi tech", load_lexicon(path)) == [("tech", "hi tech")]


def test_lexicon_pickles_and_fingerprints_its_file(mini, tmp_path):
    copy = pickle.loads(pickle.dumps(mini))
    text = "High-tech agriculture, art and the state of the art"
    assert find_sector_mentions(text, copy) == find_sector_mentions(text, mini)
    assert copy.fingerprint == mini.fingerprint
    edited = tmp_path / "edited.yaml"
    edited.write_text(MINI.replace("[security]", "[security, defence]"), encoding="utf-8")
    assert load_lexicon(edited).fingerprint != mini.fingerprint
    assert list(mini.labels) == ["agri", "tech", "culture", "security", "env"]


def test_shipped_lexicon_is_well_formed(lexicon):
    table = tabulate_lexicon(lexicon)
    assert 18 <= len(table) <= 26
    assert table["sector"].is_unique
    assert (table["n_terms"] > 0).all()
    for sector in lexicon.sectors:
        for term in sector.terms:  # each term finds itself, as its own sector's term
            mentions = find_sector_mentions(term, lexicon)
            assert [(m.sector, normalise_term(m.term)) for m in mentions] == [
                (sector.id, normalise_term(term))
            ]


# --- An independent reference: NLTK tokenisers on the seed articles -----------------------------

# Hyphens join words like a space; soft hyphens and zero-width characters are invisible.
SPACE_LIKE = {ord(c): " " for c in "-\u2010\u2011"}
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# A line break as str.splitlines sees one; a paragraph break is a white-space run holding two.
BREAK = "(?>\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])"
# Tokens: a paragraph break, a word, or one punctuation mark.
REFERENCE_TOKENS = RegexpTokenizer(rf"\s*{BREAK}\s*{BREAK}\s*|[^\W_]+|[^\w\s]|_")


def reference_tokens(text: str) -> list[str]:
    return REFERENCE_TOKENS.tokenize(text.lower().translate(SPACE_LIKE | INVISIBLE))


def reference_counts(text: str, lexicon) -> Counter:
    """Count (sector, term) with NLTK: tokenise, merge multi-word terms, look tokens up."""
    entries: dict[tuple[str, ...], tuple[str | None, str]] = {}
    for sector in lexicon.sectors:
        for term in sector.terms:
            entries.setdefault(tuple(reference_tokens(term)), (sector.id, term))
        for phrase in sector.exclude:
            entries.setdefault(tuple(reference_tokens(phrase)), (None, phrase))
    joiner = "\x1f"
    merge = MWETokenizer([key for key in entries if len(key) > 1], separator=joiner)
    lookup = {joiner.join(key): value for key, value in entries.items()}
    counts: Counter = Counter()
    for token in merge.tokenize(reference_tokens(text)):
        sector, term = lookup.get(token, (None, None))
        if sector is not None:
            counts[sector, term] += 1
    return counts


def seed_body(path: Path) -> str:
    """A seed file's lines up to the footer, captions (lines opening with a no-break space) out."""
    lines = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("RELATED NEWS"):
            break
        if not line.startswith(NBSP):
            lines.append(line)
    return "\n".join(lines)


@pytest.mark.parametrize("path", sorted(DEFAULT_CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_counts_agree_with_an_nltk_reference(lexicon, path):
    text = seed_body(path)
    expected = reference_counts(text, lexicon)
    got = Counter((m.sector, m.term) for m in find_sector_mentions(text, lexicon))
    assert sum(expected.values()) >= 10  # the seeds are about cooperation fields
    assert got == expected


HARD_SPACING = [
    # a no-break space sends the text through the full normalisation
    f"Hi-tech{NBSP} agriculture,\nhigh  tech park and the state-of-the-art\n\ncare; "
    "people-to-people\nexchanges in culture; R&D; South Korea-invested real estate; "
    "high-tech\n\nagriculture and food\n \nsecurity.",
    # a thin space, a line separator and a no-break hyphen: the route for rare characters
    "clean\u2009energy, hi\u2011tech\u2028\u2028agriculture, urban\r\n\r\nrail, "
    "urban\r\nrail, water\u00adlogging, e-\ncommerce.",
]


@pytest.mark.parametrize("text", HARD_SPACING)
def test_the_reference_agrees_on_hard_spacing(lexicon, text):
    got = Counter((m.sector, m.term) for m in find_sector_mentions(text, lexicon))
    assert got == reference_counts(text, lexicon)


# --- Tables --------------------------------------------------------------------------------------


def articles_table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["article_id", "published", "words", "status", "text", "title", "file"]
    )


def test_count_sector_mentions_leaves_out_duplicates_and_quarantined(mini):
    articles = articles_table(
        [
            ("a1", "2024-01-15", 9, "ok", "Farms, farms and art.", "A1", "a1.txt"),
            ("a2", "", 3, "ok", "The state of the art.", "A2", "a2.txt"),
            ("a3", "2024-02-01", 2, "duplicate", "Farms and art.", "A3", "a3.txt"),
            ("a4", "2024-02-01", 2, "quarantined", "Security.", "A4", "a4.txt"),
        ]
    )
    table = count_sector_mentions(articles, mini, period="month")
    assert list(table.columns) == [
        "article_id",
        "published",
        "period",
        "sector",
        "label",
        "term",
        "count",
    ]
    assert set(table["article_id"]) == {"a1"}
    rows = {(r.sector, r.term): (r.count, r.period, r.label) for r in table.itertuples()}
    assert rows == {
        ("agri", "farms"): (2, "2024-01", "Agriculture"),
        ("culture", "art"): (1, "2024-01", "Culture"),
    }


def test_match_sector_terms_counts_in_memory_and_writes_every_sentence(mini, tmp_path, monkeypatch):
    monkeypatch.setattr(sectors_module._Hits, "SLICE", 2)  # several row groups
    articles = articles_table(
        [
            ("a1", "2024-01-15", 9, "ok", "Farms and art. More art.", "A1", "a1.txt"),
            ("a2", "2024-03-02", 9, "ok", "Security first. Art later.", "A2", "a2.txt"),
            ("a3", "2024-02-10", 9, "ok", "The arts.\n\nFarm news.", "A3", "a3.txt"),
            ("a4", "2024-05-01", 9, "duplicate", "Art art art.", "A4", "a4.txt"),
        ]
    )
    abbreviations = learn_abbreviations(articles["text"])
    hits = match_sector_terms(articles, mini, abbreviations=abbreviations, work_dir=tmp_path)
    assert hits.evidence == tmp_path / "sector_evidence.parquet"
    evidence = pd.read_parquet(hits.evidence)
    pd.testing.assert_frame_equal(
        evidence.astype(str), collect_sector_evidence(articles, mini, abbreviations=abbreviations)
    )
    assert hits.mentions == len(evidence) == 7
    counts = {(r.article_id, r.term): r.count for r in hits.counts.itertuples()}
    assert counts == {
        ("a1", "farms"): 1,
        ("a1", "art"): 2,
        ("a2", "security"): 1,
        ("a2", "art"): 1,
        ("a3", "arts"): 1,
        ("a3", "farm"): 1,
    }
    label = mini.labels
    assert dict(zip(hits.sectors["article_id"], hits.sectors["sectors"], strict=True)) == {
        "a1": f"{label['culture']};{label['agri']}",  # art twice, farms once
        "a2": ";".join(sorted([label["culture"], label["security"]])),  # a tie: by name
        "a3": ";".join(sorted([label["culture"], label["agri"]])),
    }
    newest = newest_evidence(hits, ["culture"], rows=3)
    assert list(zip(newest["article_id"], newest["sentence"], strict=True)) == [
        ("a2", "Art later."),
        ("a3", "The arts."),
        ("a1", "Farms and art."),
    ]
    assert newest_evidence(hits, ["nothing"], rows=3).empty
    # The CSV written beside the table, a slice at a time, is the table's own CSV; saving the
    # stage moves it into the reports.
    from citylinks.sectors import save_sector_tables
    from citylinks.tables import export_stage_csv

    copied = export_stage_csv(hits.evidence, tmp_path / "copied", "sector_evidence").read_bytes()
    assert hits.evidence_csv.read_bytes() == copied and copied.count(b"\n") == 8
    mentions = count_sector_mentions(articles, mini, found=hits)
    save_sector_tables(
        mentions=mentions,
        trends=summarise_sector_trends(mentions, articles),
        evidence=hits,
        suggestions=suggest_lexicon_terms(articles, mini),
        work_dir=tmp_path,
        out_dir=tmp_path / "out",
    )
    assert (tmp_path / "out" / "data" / "sector_evidence.csv").read_bytes() == copied
    assert not hits.evidence_csv.exists()


def test_match_sector_terms_agrees_with_counting_each_article_on_the_seeds(
    lexicon, abbreviations, tmp_path
):
    # The corpus-wide codes against a Counter per article: same rows in the same order (each
    # article's terms as they first appear), and each article's labels as join_sector_labels
    # orders them. The seeds twice over, shuffled paragraphs, so the order is not the lexicon's.
    rng = random.Random(7)
    texts = []
    for path in sorted(DEFAULT_CORPUS.glob("*.txt")):
        paragraphs = seed_body(path).split("\n\n")
        texts.append("\n\n".join(paragraphs))
        rng.shuffle(paragraphs)
        texts.append("\n\n".join(paragraphs))
    rows = [
        (f"s{i}", f"2024-0{1 + i % 9}-01", 500, "ok", t, "T", f"s{i}.txt")
        for i, t in enumerate(texts)
    ]
    rows.append(("none", "2024-01-01", 3, "ok", "Nothing to count.", "T", "none.txt"))
    articles = articles_table(rows)
    hits = match_sector_terms(articles, lexicon, abbreviations=abbreviations, work_dir=tmp_path)
    pd.testing.assert_frame_equal(
        count_sector_mentions(articles, lexicon, found=hits),
        count_sector_mentions(articles, lexicon),
    )
    evidence = collect_sector_evidence(articles, lexicon, abbreviations=abbreviations)
    expected = {
        article: sectors_module.join_sector_labels(group["label"])
        for article, group in evidence.groupby("article_id", sort=False)
    }
    assert list(hits.sectors["article_id"]) == list(expected)  # in article order, "none" out
    assert dict(zip(hits.sectors["article_id"], hits.sectors["sectors"], strict=True)) == expected
    assert any(";" in labels for labels in expected.values())


def hand_made() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four analysed articles (one undated), one duplicate; mentions as count_sector_mentions has them."""
    articles = articles_table(
        [
            ("a1", "2024-01-15", 1000, "ok", "", "A1", "a1.txt"),
            ("a2", "2024-02-10", 500, "ok", "", "A2", "a2.txt"),
            ("a3", "2024-04-01", 2000, "ok", "", "A3", "a3.txt"),
            ("a4", "", 300, "ok", "", "A4", "a4.txt"),
            ("a5", "2024-01-20", 800, "duplicate", "", "A5", "a5.txt"),
        ]
    )
    mentions = pd.DataFrame(
        [
            ("a1", "2024-01-15", "education", "Education", "education", 2),
            ("a1", "2024-01-15", "education", "Education", "school", 1),
            ("a1", "2024-01-15", "health", "Health", "health", 1),
            ("a2", "2024-02-10", "education", "Education", "education", 1),
            ("a3", "2024-04-01", "health", "Health", "hospital", 4),
            ("a4", "", "education", "Education", "school", 5),
            ("a5", "2024-01-20", "education", "Education", "school", 9),
        ],
        columns=["article_id", "published", "sector", "label", "term", "count"],
    )
    return articles, mentions


TRENDS = [
    # period, window, {(period, sector): (mentions, words, per_1000, mentioning, in_period, share)}
    (
        "quarter",
        (None, None),
        {
            ("2024Q1", "education"): (4, 1500, 4 / 1.5, 2, 2, 1.0),
            ("2024Q1", "health"): (1, 1500, 1 / 1.5, 1, 2, 0.5),
            ("2024Q2", "education"): (0, 2000, 0.0, 0, 1, 0.0),
            ("2024Q2", "health"): (4, 2000, 2.0, 1, 1, 1.0),
        },
    ),
    (
        "month",
        (None, None),
        {
            ("2024-01", "education"): (3, 1000, 3.0, 1, 1, 1.0),
            ("2024-02", "education"): (1, 500, 2.0, 1, 1, 1.0),
            ("2024-03", "education"): (0, 0, None, 0, 0, None),
            ("2024-04", "health"): (4, 2000, 2.0, 1, 1, 1.0),
        },
    ),
    (
        "quarter",
        ("2024-02-01", "2024-03-31"),
        {
            ("2024Q1", "education"): (1, 500, 2.0, 1, 1, 1.0),
            ("2024Q1", "health"): (0, 500, 0.0, 0, 1, 0.0),
        },
    ),
    (
        "year",
        (None, "2024-12-31"),
        {
            ("2024", "education"): (4, 3500, 4 / 3.5, 2, 3, 2 / 3),
            ("2024", "health"): (5, 3500, 5 / 3.5, 2, 3, 2 / 3),
        },
    ),
]


@pytest.mark.parametrize(("period", "window", "expected"), TRENDS)
def test_trends_math(period, window, expected):
    articles, mentions = hand_made()
    trends = summarise_sector_trends(
        mentions, articles, period=period, start=window[0], end=window[1]
    )
    rows = trends.set_index(["period", "sector"])
    for key, (n, words, per_1000, mentioning, in_period, share) in expected.items():
        row = rows.loc[key]
        assert (row["mentions"], row["words"]) == (n, words)
        assert (row["articles_mentioning"], row["articles_in_period"]) == (mentioning, in_period)
        if per_1000 is None:
            assert pd.isna(row["per_1000_words"]) and pd.isna(row["share_of_articles"])
        else:
            assert row["per_1000_words"] == pytest.approx(per_1000)
            assert row["share_of_articles"] == pytest.approx(share)
    assert set(rows.index.get_level_values("period")) == {p for p, _ in expected}
    assert list(trends.columns)[:3] == ["period", "sector", "label"]


def test_undated_articles_are_named_and_left_out_of_trends():
    articles, mentions = hand_made()
    assert list(undated_articles(articles)["article_id"]) == ["a4"]
    trends = summarise_sector_trends(mentions, articles, period="year")
    assert (
        trends["mentions"].sum() == mentions.query("article_id in ['a1','a2','a3']")["count"].sum()
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"period": "week"}, "period"),
        ({"period": "month", "start": "2024/01/01"}, "YYYY-MM-DD"),
        ({"period": "month", "end": "2024-02-30"}, "not a real date"),
        ({"period": "month", "start": "2024-05-01", "end": "2024-01-01"}, "after"),
    ],
)
def test_trend_parameters_are_checked(options, message):
    articles, mentions = hand_made()
    with pytest.raises(ParameterError, match=message):
        summarise_sector_trends(mentions, articles, **options)


# --- Evidence, suggestions, charts ---------------------------------------------------------------


@pytest.fixture(scope="module")
def abbreviations():
    from citylinks.sentences import learn_abbreviations

    return learn_abbreviations([seed_body(p) for p in sorted(DEFAULT_CORPUS.glob("*.txt"))])


def test_evidence_holds_the_sentence_of_each_mention(mini, abbreviations):
    text = (
        "Hanoi and Seoul met.\n\nThey discussed farms. The art scene was praised by Mr. Kim "
        "in detail.\n\nNo sector here."
    )
    articles = articles_table([("a1", "2024-01-15", 20, "ok", text, "T", "a1.txt")])
    evidence = collect_sector_evidence(articles, mini, abbreviations=abbreviations)
    assert list(evidence.columns) == [
        "article_id",
        "published",
        "sector",
        "label",
        "term",
        "sentence",
    ]
    assert list(zip(evidence["term"], evidence["sentence"], strict=True)) == [
        ("farms", "They discussed farms."),
        ("art", "The art scene was praised by Mr. Kim in detail."),
    ]
    only = collect_sector_evidence(articles, mini, abbreviations=abbreviations, sectors=["culture"])
    assert list(only["term"]) == ["art"]


def test_evidence_for_every_seed_mention(lexicon, abbreviations):
    texts = {p.stem: seed_body(p) for p in sorted(DEFAULT_CORPUS.glob("*.txt"))}
    articles = articles_table([(k, "2024-01-01", 500, "ok", t, k, k) for k, t in texts.items()])
    evidence = collect_sector_evidence(articles, lexicon, abbreviations=abbreviations)
    mentions = count_sector_mentions(articles, lexicon)
    assert len(evidence) == mentions["count"].sum()
    for row in evidence.itertuples():
        assert normalise_term(row.term) in normalise_text(row.sentence).replace("\x00", " ")


def test_a_term_only_in_a_footer_does_not_count(lexicon, seed_files):
    corpus = pytest.importorskip("citylinks.corpus")
    articles = corpus.load_articles(DEFAULT_CORPUS).articles
    table = count_sector_mentions(articles, lexicon)
    # "clean water" and "water demand" appear only under "Other news" in the first seed.
    first = seed_files[0]
    raw = first.read_text(encoding="utf-8")
    assert ("water", "clean water") in {
        (m.sector, m.term) for m in find_sector_mentions(raw, lexicon)
    }
    article_id = articles.loc[articles["file"] == first.name, "article_id"].item()
    assert not ((table["article_id"] == article_id) & (table["sector"] == "water")).any()


def test_suggestions_are_frequent_uncovered_phrases(lexicon):
    text = (
        "The sides agreed on mutual understanding. Mutual understanding grows with clean energy. "
        "Dinh Tien Dung met officials. Dinh Tien Dung praised clean energy and mutual "
        "understanding of the rules."
    )
    articles = articles_table([(f"a{i}", "2024-01-01", 30, "ok", text, "T", "f") for i in range(2)])
    table = suggest_lexicon_terms(articles, lexicon, top=10)
    phrases = list(table["phrase"])
    assert phrases[0] == "mutual understanding"
    assert table.loc[0, "count"] == 6 and table.loc[0, "articles"] == 2
    assert "mutual understanding" in table.loc[0, "example"].lower()
    assert "clean energy" not in phrases  # an energy term already
    assert not any("dung" in p for p in phrases)  # a name
    assert not any(p.split()[0] in {"the", "of"} or p.split()[-1] in {"the", "of"} for p in phrases)


def test_charts_say_what_they_show():
    articles, mentions = hand_made()
    trends = summarise_sector_trends(mentions, articles, period="month")
    for chart in (
        plot_sector_totals(mentions, top=5),
        plot_sector_heatmap(trends, top=5),
        plot_sector_trends(trends, top=5),
    ):
        fig, axes = chart.figure, chart.figure.axes[0]
        # One chart, or small multiples titled and labelled as a whole.
        title = axes.get_title() or fig.get_suptitle()
        xlabel = axes.get_xlabel() or fig.get_supxlabel()
        ylabel = axes.get_ylabel() or fig.get_supylabel()
        assert title and xlabel and ylabel
        assert chart.caption and "\n" not in chart.caption
        assert not chart.data.empty
    heat = plot_sector_heatmap(trends, top=5)
    assert "single article" in heat.caption and "(n=1)" in " ".join(map(str, heat.data.columns))


# A paragraph that only the full normalisation reads (a no-break space, " - ", a double space)
# is normalised on its own: the mentions must be those of normalising the whole text.
PARAGRAPH_TEXTS = [
    "Clean energy talks.\n\nSmart\u00a0city plans and urban - rail.\n\nEducation and health care.",
    "Urban  rail and clean  energy\n\nvocational training",
    "a\n\nb - c\n\nclean -\nenergy\n\nrenewable energy\n\n\nsmart \u00a0city",
    "\u00a0Photo caption about wastewater treatment.\n\nThe metro line opens.\n\n\u00a0Another - photo.",
    "Air pollution\n \nclean energy\n\n  public transport  \n\nhealth care\u00a0",
    "No sector word here.\n\nNor\u00a0here - at all.",
]


@pytest.mark.parametrize(
    ("text", "count"), list(zip(PARAGRAPH_TEXTS, [5, 3, 3, 2, 4, 0], strict=True))
)
def test_normalising_one_paragraph_finds_what_normalising_all_finds(lexicon, text, count):
    from citylinks.sectors import _match_normalised

    low = text.lower()
    expected = [m for m in _match_normalised(low, lexicon.automaton) if m.sector is not None]
    found = find_sector_mentions(text, lexicon)
    assert found == expected
    assert len(found) == count
    for m in found:  # offsets point into the text as given
        assert normalise_term(text[m.start : m.end]) == normalise_term(m.term)


# The fast route takes the leftmost-longest hits and keeps whole words. Where that could hide a
# whole word (a phrase or "r&d" inside longer words), or where a gap follows the first word of a
# phrase, the paragraph goes through the exact route: the mentions must be the same.
FAST_ROUTE_CASES = [
    ("The high-tech agricultures and farms", [("tech", "high-tech"), ("agri", "farms")]),
    (
        "people-to-people exchanges, then people-to-people exchange",
        [("culture", "people-to-people exchange")],
    ),
    ("state of the arts", [("culture", "arts")]),
    ("bear fruits", []),
    ("a business environmentalist for the environment", [("env", "environment")]),
    ("xr&d and r&d", [("tech", "r&d")]),
    ("High-tech  agriculture", [("agri", "High-tech  agriculture")]),
    (
        "high-tech\u00a0agriculture, high tech -agriculture",
        [
            ("agri", "high-tech\u00a0agriculture"),
            ("agri", "high tech -agriculture"),
        ],
    ),
    ("hi-tech -park", [("tech", "hi-tech -park")]),
    ("(industry  4.0)", [("tech", "industry  4.0")]),
    ("farm  security - art", [("agri", "farm"), ("security", "security"), ("culture", "art")]),
    ("Art.\n\u00a0Photo of a farm", [("culture", "Art"), ("agri", "farm")]),
    (
        "Art\n\n\u00a0farm  tech\n\nhigh-tech  agriculture",
        [
            ("culture", "Art"),
            ("agri", "farm"),
            ("tech", "tech"),
            ("agri", "high-tech  agriculture"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FAST_ROUTE_CASES)
def test_fast_route_finds_what_choosing_among_whole_words_finds(mini, text, expected):
    low = text.lower()
    assert sectors_module._match_fast(low, mini) == sectors_module._match_by_paragraph(
        low, mini.automaton
    )
    assert found(text, mini) == expected
