"""Corpus cleaning: zones, captions, bylines, footers, encodings, duplicates and quarantine."""

from __future__ import annotations

import pandas as pd
import pytest

import citylinks.corpus as corpus_module
from citylinks.corpus import (
    clean_page,
    count_words,
    decode_bytes,
    line_key,
    load_articles,
    make_article_id,
)
from citylinks.paths import ROOT

NBSP = "\u00a0"
NAV = "WORDS ON THE STREET 70th anniversary of Hanoi's Liberation Day Covid-19 Pandemic"
BODY = [
    "Hanoi and Busan agreed to expand cooperation in education and tourism.",
    "The two sides discussed urban rail, wastewater treatment and clean energy projects.",
    "Officials said further visits are planned for next year to sign an agreement.",
]


def page_a(title="Hanoi, Busan boost ties", byline="Ngoc Mai 15:37, 2024/03/22", footer=True):
    """A page in the Hanoi Times layout with the byline under the title."""
    lines = [NAV, "Home / Hanoinews", title, byline, "A short summary of the meeting.", ""]
    for paragraph in BODY:
        lines += [paragraph, ""]
    lines += [f"{NBSP}Delegates at the meeting. Photos: Thanh Hai/The Hanoi Times", ""]
    if footer:
        lines += [
            "RELATED NEWS",
            "TAG: Vietnam news Hanoi news busan",
            "Other news",
            "12:14, 2025/04/27",
            "Hanoi ensures clean water for locals in Seoul",
        ]
    return "\n".join(lines)


def page_b(dateline="Nov 06, 2024 / 16:06", title="Hanoi seeks cooperation with Busan"):
    """A page in the other layout: date line first, the title under it."""
    lines = [NAV, dateline, "", title, "", "A short summary of the meeting.", ""]
    for paragraph in BODY:
        lines += [paragraph, ""]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("text", "published", "authors", "title"),
    [
        (page_a(), "2024-03-22", ["Ngoc Mai"], "Hanoi, Busan boost ties"),
        (
            page_a(byline="Ngoc Mai - Van Ha 20:20, 2023/12/18"),
            "2023-12-18",
            ["Ngoc Mai", "Van Ha"],
            "Hanoi, Busan boost ties",
        ),
        (page_b(), "2024-11-06", [], "Hanoi seeks cooperation with Busan"),
        (
            page_b(dateline="22/03/2024 10:05"),
            "2024-03-22",
            [],
            "Hanoi seeks cooperation with Busan",
        ),
        (page_b(dateline="2024-03-22"), "2024-03-22", [], "Hanoi seeks cooperation with Busan"),
        (page_b(dateline="March 21, 2024"), "2024-03-21", [], "Hanoi seeks cooperation with Busan"),
    ],
)
def test_header_gives_title_date_and_authors(text, published, authors, title):
    page = clean_page(text)
    assert (page.published, page.authors, page.title) == (published, authors, title)


def test_footer_dates_never_become_the_publish_date():
    # the byline is missing, the footer's "Other news" carries a timestamp: no date at all
    page = clean_page(page_a(byline="Ngoc Mai"))
    assert page.published == ""
    assert any("no publish date" in w for w in page.warnings)


def test_event_dates_in_the_body_are_not_publish_dates():
    text = page_b(dateline="no date here").replace(
        BODY[0], "The meeting was held on March 21, 2024 in Busan with many delegates present."
    )
    assert clean_page(text).published == ""


def test_impossible_byline_date_is_left_empty_with_a_warning():
    page = clean_page(page_a(byline="Ngoc Mai 15:37, 2024/02/31"))
    assert page.published == ""
    assert any("not a real date" in w for w in page.warnings)


def test_footer_navigation_and_captions_are_removed():
    page = clean_page(page_a())
    assert "Seoul" not in page.text  # named only in the footer's "Other news"
    assert "RELATED NEWS" not in page.text and "Delegates at the meeting" not in page.text
    assert NAV not in page.text and "Home /" not in page.text
    assert page.photo_credits == ["Thanh Hai/The Hanoi Times"]
    assert page.tags.startswith("Vietnam news")
    reasons = {reason for _, reason, _ in page.removed}
    assert {"navigation", "breadcrumb", "byline and date", "photo caption"} <= reasons
    assert any(r.startswith("footer") for r in reasons)


@pytest.mark.parametrize(
    ("caption", "removed"),
    [
        (f"{NBSP}Overview of the meeting.{NBSP}", True),  # starts with a no-break space
        ("Delegates at the meeting. Photos: Thanh Hai/The Hanoi Times", True),  # photo credit
        ("Delegates at the meeting. Photo: VNA", True),
        ("The photos show a new rail line.", False),  # an ordinary sentence stays
    ],
)
def test_captions(caption, removed):
    text = page_a(footer=False).replace(BODY[1], BODY[1] + "\n\n" + caption)
    page = clean_page(text)
    assert (caption.strip(NBSP).split(".")[0] not in page.text) is removed


def test_standfirst_and_body_are_separated():
    page = clean_page(page_a())
    assert page.standfirst == "A short summary of the meeting."
    assert page.paragraphs[0] == BODY[0]


@pytest.mark.parametrize(
    ("data", "encoding", "problem"),
    [
        ("Hanoi’s café".encode(), "utf-8", ""),
        (b"\xef\xbb\xbf" + "Hanoi’s café".encode(), "utf-8", ""),  # BOM
        ("Hanoi’s café".encode("cp1252"), "cp1252", ""),
        (b"", "", "empty file"),
        (b"   \n\n", "", "empty file"),
        (bytes(range(256)) * 10, "", "binary file, not text (contains NUL bytes)"),
    ],
)
def test_decode_bytes(data, encoding, problem):
    text, found_encoding, found_problem = decode_bytes(data)
    assert (found_encoding, found_problem) == (encoding, problem)
    if not problem:
        assert text == "Hanoi’s café"


def test_crlf_and_bom_clean_like_lf(make_corpus):
    lf = page_a()
    folder = make_corpus(
        {"a.txt": lf, "b.txt": b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode()}
    )
    articles = load_articles(folder).articles.set_index("file")
    assert articles.loc["a.txt", "text"] == articles.loc["b.txt", "text"]
    assert articles.loc["b.txt", "status"] == "duplicate"
    assert articles.loc["b.txt", "duplicate_of"] == "a"


def test_near_duplicate_with_trailing_spaces_is_flagged(make_corpus):
    copy = "\n".join(line + "   " for line in page_a().split("\n")).replace("\n", "\r\n")
    folder = make_corpus({"one.txt": page_a(), "two copy.txt": copy})
    articles = load_articles(folder).articles.set_index("file")
    assert list(articles.status) == ["ok", "duplicate"]


def test_different_stories_are_not_duplicates(make_corpus):
    other = page_a(title="Hanoi, Busan sign rail deal").replace(BODY[0], "A different lead.")
    folder = make_corpus({"one.txt": page_a(), "two.txt": other})
    assert list(load_articles(folder).articles.status) == ["ok", "ok"]


def test_repeated_lines_are_found_from_the_corpus(make_corpus):
    promo = "Subscribe to our newsletter for the latest Hanoi news and events"
    files = {}
    for i in range(3):  # three different stories that share one promotional line
        text = page_b(title=f"Story {i} about Hanoi")
        for paragraph in BODY:
            text = text.replace(paragraph, f"{paragraph} Story {i}.")
        files[f"{i}.txt"] = f"{text}\n{promo}\n"
    corpus = load_articles(make_corpus(files), furniture_min_articles=3)
    assert not corpus.articles.text.str.contains("Subscribe").any()
    furniture = corpus.audit[corpus.audit.reason == "repeated page furniture"]
    assert (furniture.line == promo).sum() == 3
    assert corpus.articles.text.str.contains("Busan agreed").all()  # distinct lines stay


@pytest.mark.parametrize("slice_size", [2, 3, 5000])
def test_furniture_is_removed_whatever_the_store_slices(make_corpus, monkeypatch, slice_size):
    # Texts are held in slices while the corpus is read; pages cleaned again must land in place.
    monkeypatch.setattr(corpus_module._PageStore, "SLICE", slice_size)
    promo = "Follow us for the latest Hanoi news and events every day"
    files = {"notes.pdf": b"%PDF-1.4 not an article"}  # a row before the articles
    for i in range(7):
        text = page_b(title=f"Story {i} about Hanoi")
        for paragraph in BODY:
            text = text.replace(paragraph, f"{paragraph} Story {i}.")
        files[f"{i}.txt"] = f"{text}\n{promo}\n" if i % 2 == 0 else text
    files["7.txt"] = files["0.txt"]  # the same story again: a duplicate, its promo removed too
    articles = load_articles(make_corpus(files), furniture_min_articles=3).articles
    rows = articles.set_index("file")
    assert rows.loc["notes.pdf", "text"] == "" and rows.loc["notes.pdf", "status"] == "quarantined"
    for i in range(8):
        text = rows.loc[f"{i}.txt", "text"]
        assert f"Story {i % 7} about Hanoi" in text
        assert "Follow us" not in text
    assert rows.loc["7.txt", "status"] == "duplicate"
    assert rows.loc["7.txt", "duplicate_of"] == rows.loc["0.txt", "article_id"]


def test_a_packed_page_holds_what_the_page_says():
    # Workers send pages packed; what the kernel keeps must be the page's own.
    from array import array

    page = clean_page(page_b(title="Hanoi and Seoul sign a deal"))
    assert page.removed and page.line_keys and page.paragraphs
    packed = corpus_module._pack_page(page)
    assert packed.text == page.text
    assert list(zip(*packed.removed, strict=True)) == page.removed
    assert frozenset(array("Q", packed.line_keys)) == page.line_keys
    kept = packed.kept
    assert kept.slot == -1 and kept.has_body
    for name in corpus_module._Kept._fields[2:]:
        assert getattr(kept, name) == getattr(page, name), name
    assert corpus_module._pack_page(corpus_module.CleanedPage()).removed == ()


@pytest.mark.parametrize("batch", [1, 4, 20_000])
def test_the_audit_is_the_same_whatever_its_batches(make_corpus, monkeypatch, batch):
    # The audit is built as pages arrive; a page cleaned again swaps its rows in at the end.
    promo = "Follow us for the latest Hanoi news and events every day"
    files = {}
    for i in range(6):
        text = page_b(title=f"Story {i} about Hanoi")
        for paragraph in BODY:
            text = text.replace(paragraph, f"{paragraph} Story {i}.")
        files[f"{i}.txt"] = f"{text}\n{promo}\n" if i % 2 else text
    folder = make_corpus(files)
    monkeypatch.setattr(corpus_module._Audit, "BATCH", batch)
    audit = load_articles(folder, furniture_min_articles=3).audit
    monkeypatch.setattr(corpus_module._Audit, "BATCH", 20_000)
    pd.testing.assert_frame_equal(audit, load_articles(folder, furniture_min_articles=3).audit)
    # Every page's rows together, in corpus order; the promo's rows are those of its pages.
    order = audit["file"].drop_duplicates().tolist()
    assert order == sorted(order) and audit["file"].is_monotonic_increasing
    promo_rows = audit[audit["line"] == promo]
    assert promo_rows["file"].tolist() == ["1.txt", "3.txt", "5.txt"]


def test_a_story_saved_twice_is_not_furniture(make_corpus):
    folder = make_corpus({"a.txt": page_a(), "b.txt": page_a(), "c.txt": page_a()})
    articles = load_articles(folder, furniture_min_articles=2).articles
    assert articles.text[0].count("Busan agreed") == 1
    assert list(articles.status) == ["ok", "duplicate", "duplicate"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02" * 500, "binary file"),
        (f"{NAV}\nHome / Hanoinews\n", "no article text left"),
        ("milk, eggs, bread\ncall the plumber on Tuesday", "not a news article"),
    ],
)
def test_unusable_files_are_quarantined_with_a_reason(make_corpus, content, reason):
    corpus = load_articles(make_corpus({"bad.txt": content}, seeds=True))
    row = corpus.articles.set_index("file").loc["bad.txt"]
    assert row.status == "quarantined" and reason in row.reason
    assert (corpus.articles.status == "ok").sum() == 5


def test_metadata_csv_overrides_and_fills(make_corpus):
    folder = make_corpus(
        {
            "a.txt": page_a(byline="Ngoc Mai"),
            "metadata.csv": "file,published,title,source,url\n"
            "a.txt,2024-05-01,,Hanoi Times,https://example.org/a\n"
            "missing.txt,2024-05-02,,,\n",
        }
    )
    corpus = load_articles(folder)
    row = corpus.articles.iloc[0]
    assert (row.published, row.date_source, row.source) == (
        "2024-05-01",
        "metadata.csv",
        "The Hanoi Times",  # one name per outlet: metadata.csv's "Hanoi Times" is normalised
    )
    assert "published" in row.overridden and "url" in row.overridden
    assert "no publish date" not in row.warnings
    assert any("missing.txt" in n for n in corpus.notes)
    assert len(corpus.articles) == 1  # metadata.csv is not an article


def test_seed_corpus(seed_files):
    corpus = load_articles(seed_files[0].parent)
    a = corpus.articles
    assert list(a.status) == ["ok"] * 5
    assert list(a.published) == [
        "2024-03-22",
        "2023-12-18",
        "2024-11-06",
        "2024-04-02",
        "2023-10-27",
    ]
    assert a.authors[1] == "Ngoc Mai;Van Ha"
    assert a.title[3] == "Hanoi, Guangzhou eye comprehensive cooperation"
    # footers and navigation are gone, article text is kept
    assert not a.text.str.contains("Other news|RELATED NEWS|WORDS ON THE STREET|Photos:").any()
    assert a.text.str.contains("Quangzhou").any()
    assert not a.text.str.contains("General Secretary Nguyen Phu Trong").any()  # footer headline
    assert list(a.chars) == [len(t) for t in a.text]  # what later stages size samples by


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("000_1a28fbddbf2bdc98.txt", "000_1a28fbddbf2bdc98"),  # a safe name is the id
        ("Hà Nội bài 1.txt", "ha-noi-bai-1-"),  # else a slug and a hash
        ("2024/seoul.txt", "seoul-"),  # in a subfolder: the hash tells it from ./seoul.txt
        ("notes.final.txt", "notes-final-"),  # only the last suffix goes
        (".txt", "txt-"),  # a name that is all suffix keeps it
        ("ending-in-dot.", "ending-in-dot-"),
    ],
)
def test_article_ids_are_stable_and_safe(relative, expected):
    assert make_article_id(relative).startswith(expected)
    assert make_article_id(relative) == make_article_id(relative)
    assert make_article_id(relative) != make_article_id(f"other/{relative}")


@pytest.mark.parametrize(
    "path", ["a.txt", "dir.v2/a.TXT", "a.", ".txt", "a..html", "noext", "x/.hidden", "a.tar.gz"]
)
def test_suffixes_are_those_pathlib_gives(path):
    from pathlib import Path

    assert corpus_module._suffix(path) == Path(path).suffix


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hanoi and Seoul", 3),
        ("Hà Nội’s co-op, 2024-11-06.", 4),
        ("a--b _a_ a__", 3),  # punctuation inside a run of word characters joins it
        ("__ -- ’ ' -", 0),  # no letter or digit: no word
        ("x’y ’a’ 1_2", 3),
        ("", 0),
        ("“Quoted” — 3.5 U.S. and/or 15:37… ‘x’", 10),  # ASCII once the common signs are
        ("'tis -5 - _ a-", 3),
        ("\u00a0café\tnaïve—x", 3),  # other letters: the regex itself
    ],
)
def test_count_words(text, words):
    assert count_words(text) == words
    assert count_words(text) == corpus_module.WORD.subn("", text)[1]


def test_count_words_agrees_with_the_regex_on_random_texts(seed_files):
    import random

    rng = random.Random(5)
    alphabet = [*"ab9Z _'-’.,\n\t“”‘—–…/:", "\u00a0", "é", "١", "\u2009"]
    texts = [p.read_text(encoding="utf-8") for p in seed_files]
    texts += ["".join(rng.choices(alphabet, k=rng.randrange(40))) for _ in range(5000)]
    for text in texts:
        assert count_words(text) == corpus_module.WORD.subn("", text)[1], repr(text)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Read more", "  READ\u00a0more ", True),  # case and white space are folded
        ("Read more", "Read more.", False),
        ("", "   ", True),
    ],
)
def test_line_keys_fold_case_and_space(a, b, same):
    assert (line_key(a) == line_key(b)) is same
    assert line_key("") == 0 and line_key("x") != 0


STORY_PAGES = [
    "\n".join(page_a()),
    "Title\nNgoc Mai 15:37, 2024/03/22\n\nΣΟΦΊΑ and  Straße\u00a0line one\nline two\n\n\n \n"
    "Second\tparagraph ﬁ ligature.\n\nThird paragraph.\n\nFourth.",
    "No date here\n\nOnly one paragraph with  odd\u2003spaces.",
]


@pytest.mark.parametrize("text", STORY_PAGES)
def test_keys_folded_a_line_at_a_time_equal_folding_the_whole_text(text, seed_files):
    import hashlib

    from citylinks.corpus import fold_line

    pages = [clean_page(text)] + [clean_page(p.read_text(encoding="utf-8")) for p in seed_files]
    for page in pages:
        whole = fold_line(" ".join(page.paragraphs))
        assert page.story_key == hashlib.sha1(whole.encode("utf-8")).hexdigest()
        lines = [line for b in [page.standfirst, *page.paragraphs] for line in b.split("\n")]
        assert page.line_keys == frozenset(map(line_key, lines))


# --- pages that are not prose, fields cut to a sensible length (issue 20) ---------------------

SENTENCE = "Hanoi and Busan signed a memorandum on metro training on Monday. "


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("QUJD" * 2000, False),  # an encoded file saved as .txt
        ("word " * 2000, False),  # words, but no sentence ends
        ('{"a": 1, "b": [2, 3]}, ' * 400, False),  # a data dump on one line
        (SENTENCE * 200, True),  # an article that lost its line breaks: still sentences
        ("QUJD" * 2000 + "\nA second line", True),  # line breaks: left to the cleaning
        ("QUJD" * 100, True),  # short: left to the other rules
    ],
)
def test_a_page_on_one_line_without_sentences_is_not_prose(text, prose):
    problem = corpus_module.prose_problem(text)
    assert (problem == "") is prose, problem
    if not prose:
        assert problem.startswith("not prose: one line of ")


def test_long_titles_standfirsts_and_removed_lines_are_cut_with_a_warning():
    from citylinks.corpus import AUDIT_LINE_MAX, STANDFIRST_MAX, TITLE_MAX, CleanedPage

    page = CleanedPage(
        title="Title " * 100,
        standfirst="Standfirst " * 200,
        paragraphs=["Body."],
        removed=[("footer", "footer", "Related " * 1000), ("header", "navigation", "Home")],
    )
    packed = corpus_module._pack_page(page)
    assert len(packed.kept.title) <= TITLE_MAX and packed.kept.title.endswith("Title…")
    assert len(packed.kept.standfirst) <= STANDFIRST_MAX
    assert packed.kept.warnings == [
        "title cut to 300 of its 600 characters",
        "standfirst cut to 1,500 of its 2,200 characters",
    ]
    lines = packed.removed[2]
    assert len(lines[0]) <= AUDIT_LINE_MAX and lines[0].endswith("…") and lines[1] == "Home"
    assert packed.text == page.text  # the text analysed keeps everything


def test_fields_within_their_limits_are_left_alone():
    from citylinks.corpus import CleanedPage

    page = CleanedPage(title="A title", standfirst="A standfirst", removed=[("h", "nav", "x")])
    packed = corpus_module._pack_page(page)
    assert (packed.kept.title, packed.kept.standfirst, packed.kept.warnings) == (
        "A title",
        "A standfirst",
        [],
    )
    assert packed.removed == (("h",), ("nav",), ("x",))


# The development set of other outlets' layouts, beside the clone (../shared/formats).
FORMATS = ROOT.parent / "shared" / "formats"
# The outlet each page shows (its address, dateline, end or photo credit; "" where none).
SHOWN_OUTLETS = {
    "f01_hanoitimes_prague.txt": "The Hanoi Times",  # "THE HANOI TIMES —", photo credits
    "f02_vietnamplus_kualalumpur.txt": "Vietnam News Agency",  # "Hanoi (VNA) –"
    "f03_vgp_astana.txt": "Vietnam Government Portal",  # "VGP -"
    "f04_vtv_saintpetersburg.txt": "VTV",  # "VTV.vn -"
    "f05_hoanhap_incheon.txt": "",  # the page names no outlet
    "f06_kinhtedothi_wellington.txt": "Kinh te & Do thi",  # "Photos: Kinhtedothi"
    "f07_yaml_vov_hamburg.txt": "VOV",  # hostname: english.vov.vn
    "f08_crawler_wvr_rome.txt": "The World & Vietnam Report",  # Source: en.baoquocte.vn
    "f09_einpresswire_ulaanbaatar.txt": "Viet Nam News",  # "Source: Viet Nam News"
    "f10_qdnd_manila_who.txt": "Vietnam News Agency",  # "Source: VNA"
    "f11_dfa_warsaw.txt": "",  # the page names no outlet
    "f12_vnanet_madrid.txt": "Vietnam News Agency",  # "Hanoi (VNA) –", end credit "VNA"
}


@pytest.fixture(scope="module")
def seeds_and_formats(tmp_path_factory):
    """The seeds and the development pages read together, with their labels."""
    if not (FORMATS / "labels.yaml").exists():
        pytest.skip("../shared/formats is not beside the clone")
    import shutil

    import yaml
    from runs import copy_seeds

    folder = copy_seeds(tmp_path_factory.mktemp("formats") / "corpus")
    for page in FORMATS.glob("*.txt"):
        shutil.copy(page, folder / page.name)
    labels = yaml.safe_load((FORMATS / "labels.yaml").read_text(encoding="utf-8"))
    articles = load_articles(folder, workers=1).articles.set_index("file")
    return articles, labels


def test_every_development_page_gives_its_title_date_and_outlet(seeds_and_formats):
    articles, labels = seeds_and_formats
    assert set(SHOWN_OUTLETS) == {label["file"] for label in labels}
    for label in labels:
        row = articles.loc[label["file"]]
        assert row.status == "ok", (label["file"], row.reason)  # no real article thrown away
        assert row.title == label["title"], label["file"]
        assert row.published == (label["publish_date"] or ""), label["file"]  # null: no date
        assert row.source == SHOWN_OUTLETS[label["file"]], label["file"]
        for trap in label["traps"]:
            assert trap not in row.title or trap in label["title"], (label["file"], trap)
        assert "|" not in row.source


def test_the_seeds_read_as_before_beside_other_layouts(seeds_and_formats):
    articles, _ = seeds_and_formats
    seeds = articles[articles.index.str.match(r"\d{3}_")]
    assert list(seeds.status) == ["ok"] * 5
    assert list(seeds.published) == [
        "2024-03-22",
        "2023-12-18",
        "2024-11-06",
        "2024-04-02",
        "2023-10-27",
    ]
    assert set(seeds.source) == {"The Hanoi Times"}
    assert seeds.title.iloc[4] == "South Korea is Hanoi’s traditional and important partner"


def test_captions_glued_to_a_dateline_go_and_the_sentence_after_them_stays(seeds_and_formats):
    articles, _ = seeds_and_formats
    text = articles.loc["f02_vietnamplus_kualalumpur.txt", "text"]
    assert "(Source: VNA)" not in text and "exchange the signed memorandum" not in text
    assert "Hanoi (VNA) – Hanoi and Kuala Lumpur on June 15 signed" in text
    assert "Vietnam. Speaking at the ceremony" in text  # glued sentences split
    madrid = articles.loc["f12_vnanet_madrid.txt", "text"]
    assert "hinh anh" not in madrid and "(Source: VNA)" not in madrid
    assert madrid.startswith("Hanoi, Madrid seek closer ties in water management, tourism\n\n")


def test_footers_and_interface_lines_of_other_outlets_are_removed(seeds_and_formats):
    articles, _ = seeds_and_formats
    gone = {
        "f01_hanoitimes_prague.txt": ["Log in", "Lisbon", "Vienna", "Reactions:"],
        "f04_vtv_saintpetersburg.txt": ["Exchange Rates", "Mid-market"],
        "f05_hoanhap_incheon.txt": ["Chile", "Perth"],
        "f06_kinhtedothi_wellington.txt": ["Đăng nhập", "Helsinki", "Brazil"],
        "f07_yaml_vov_hamburg.txt": ["Bremen", "Mời quý độc giả", "hostname:"],
        "f09_einpresswire_ulaanbaatar.txt": ["press releases", "Vladivostok", "Almaty"],
        "f11_dfa_warsaw.txt": ["Slovakia", "Ankara", "-Minh Chau-"],
        "f03_vgp_astana.txt": ["Ảnh 1", "Thu Trang"],
    }
    for file, words in gone.items():
        for word in words:
            assert word not in articles.loc[file, "text"], (file, word)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # a short note of real sentences, without a date: an article, kept
        (
            "Hanoi and Busan sign a memorandum\n\nHanoi and the South Korean city of Busan "
            "signed a memorandum on metro training on Monday. The first engineers leave in May.",
            "ok",
        ),
        ("milk, eggs, bread\ncall the plumber on Tuesday", "quarantined"),  # no sentence at all
    ],
)
def test_a_page_is_not_an_article_only_when_no_prose_is_left(make_corpus, text, status):
    row = load_articles(make_corpus({"short.txt": text})).articles.iloc[0]
    assert row.status == status, row.reason
