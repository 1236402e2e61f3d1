"""Benchmark smoke run: the corpus generator and the benchmark's measuring parts, on small data."""

from __future__ import annotations

import sys
from datetime import date

import pandas as pd
import pytest

from citylinks.corpus import load_articles
from citylinks.paths import ROOT
from citylinks.tables import write_stage_table

sys.path.insert(0, str(ROOT / "benchmarks"))
import compare_revisions as compare  # noqa: E402 - benchmarks/ is a folder of scripts
import make_corpus as gen  # noqa: E402
import run_benchmark as bench  # noqa: E402

FOOTER_TEXT = ["RELATED NEWS", "TAG:", "Other news", "Photos:", "Photo:", "\u00a0"]


def files_of(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.txt"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """200 generated articles, made once for the module."""
    folder = tmp_path_factory.mktemp("bench") / "corpus"
    gen.make_corpus(folder, 200, seed=7)
    return folder


@pytest.fixture(scope="module")
def loaded(corpus):
    return load_articles(corpus).articles


# --- The generator ------------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes(tmp_path):
    gen.make_corpus(tmp_path / "a", 25, seed=3)
    gen.make_corpus(tmp_path / "b", 25, seed=3)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")


def test_worker_processes_write_the_same_files(tmp_path):
    gen.make_corpus(tmp_path / "one", 40, seed=3)
    gen.make_corpus(tmp_path / "two", 40, seed=3, workers=2)
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_another_seed_gives_other_articles(tmp_path):
    gen.make_corpus(tmp_path / "a", 25, seed=3)
    gen.make_corpus(tmp_path / "b", 25, seed=4)
    a, b = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert len(a) == len(b) == 25
    assert not set(a.values()) & set(b.values())


def test_adding_articles_leaves_the_others_as_they_were(tmp_path):
    gen.make_corpus(tmp_path / "whole", 30, seed=5)
    gen.make_corpus(tmp_path / "grown", 20, seed=5)
    before = files_of(tmp_path / "grown")
    gen.make_corpus(tmp_path / "grown", 10, seed=5, first=20)
    after = files_of(tmp_path / "grown")
    assert after == files_of(tmp_path / "whole")
    assert {k: after[k] for k in before} == before


def test_generator_writes_the_number_asked_and_a_manifest(corpus):
    assert len(list(corpus.glob("*.txt"))) == 200
    manifest = gen.read_manifest(corpus)
    assert manifest["articles"] == 200 and manifest["seed"] == 7
    assert manifest["bytes"] == sum(p.stat().st_size for p in corpus.glob("*.txt"))


def test_articles_average_about_the_seed_size(corpus):
    sizes = [p.stat().st_size for p in corpus.glob("*.txt")]
    assert 4200 < sum(sizes) / len(sizes) < 5200


LAYOUTS = [
    ("byline under the title", lambda text: "Home / Hanoinews" in text),
    ("date line above the title", lambda text: gen.DATELINE_B.match(text.split("\n")[1])),
    ("footer", lambda text: "RELATED NEWS" in text),
    ("no footer", lambda text: "RELATED NEWS" not in text),
]


@pytest.mark.parametrize("layout, holds", LAYOUTS, ids=[name for name, _ in LAYOUTS])
def test_each_layout_occurs_but_not_everywhere(corpus, layout, holds):
    texts = [p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")]
    assert 10 < sum(1 for text in texts if holds(text)) < 190


def test_every_page_has_a_caption(corpus):
    for path in corpus.glob("*.txt"):
        assert "\n\u00a0" in path.read_text(encoding="utf-8")


def test_generated_articles_load_clean_and_dated(loaded):
    assert len(loaded) == 200
    assert (loaded.status == "ok").all(), loaded[loaded.status != "ok"].reason.tolist()
    dates = [date.fromisoformat(d) for d in loaded.published]
    assert min(dates) >= date(2019, 1, 1) and max(dates) <= date(2025, 12, 31)
    assert (max(dates) - min(dates)).days > 365 * 4  # spread over the years, not bunched
    assert loaded.authors.ne("").sum() > 50  # layout A carries bylines


def test_cleaned_text_holds_no_footer_or_caption(loaded):
    pools = gen.read_seed_pools()
    headlines = [headline for headline, _ in pools.other_news]
    for text in loaded.text:
        assert not any(marker in text for marker in FOOTER_TEXT)
        assert not any(headline in text for headline in headlines)


def test_partners_are_swapped_in(loaded):
    cities = {city for city, *_ in gen.PARTNERS}
    named = {city for city in cities for title in loaded.title if city in title}
    assert len(named) > 15
    assert not any("{" in text or "}" in text for text in loaded.text)  # no unfilled slot


# --- The benchmark's measuring parts -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, hits",
    [
        ("Seoul and Busan discuss tourism and clean energy.", 4),
        ("SEOUL hosts a TOURISM fair", 2),
        ("Nothing to see here.", 0),
    ],
)
def test_automaton_and_nltk_baselines_count_the_terms(text, hits):
    automaton = bench.build_automaton(bench.BUILTIN_TERMS)
    route = bench.build_nltk(bench.BUILTIN_TERMS)
    assert bench.time_automaton([text], automaton).items == hits
    assert bench.time_nltk([text], route).items == hits
    rust = bench.build_rust_automaton(bench.BUILTIN_TERMS)
    assert bench.time_rust_automaton([text], rust).items == hits


def test_baselines_run_on_a_small_corpus(corpus):
    files = bench.list_articles(corpus)[:60]
    texts = bench.read_texts(files)
    timings = {
        "read": bench.time_reading(files),
        "automaton": bench.time_automaton(texts, bench.build_automaton(bench.BUILTIN_TERMS)),
        "nltk": bench.time_nltk(texts, bench.build_nltk(bench.BUILTIN_TERMS)),
        "rust": bench.time_rust_automaton(texts, bench.build_rust_automaton(bench.BUILTIN_TERMS)),
    }
    for name, timing in timings.items():
        assert timing.seconds > 0, name
        assert timing.items > 0, name
    assert timings["rust"].items == timings["automaton"].items  # the same hits, every one
    assert timings["read"].items == sum(len(t) for t in texts)


def test_terms_come_from_the_config_when_present():
    terms = bench.load_terms()
    assert len(terms.terms) >= len(bench.BUILTIN_TERMS) - 5
    if (ROOT / "config" / "sectors.yaml").exists() and terms.lexicon is not None:
        assert "sectors.yaml" in terms.source
    assert all(t == t.lower() for t in terms.terms)


def test_terms_fall_back_to_the_built_in_list(tmp_path):
    terms = bench.load_terms(
        lexicon_path=tmp_path / "missing.yaml", gazetteer_path=tmp_path / "missing.yaml"
    )
    assert terms.lexicon is None and terms.gazetteer is None
    assert len(terms.terms) == len(bench.BUILTIN_TERMS) == 42
    assert "built-in" in terms.source


def test_citylinks_matchers_are_timed_when_present(corpus):
    terms = bench.load_terms()
    if terms.lexicon is None or terms.gazetteer is None:
        pytest.skip("citylinks.sectors / citylinks.partners or their config not there yet")
    texts = bench.read_texts(bench.list_articles(corpus)[:20])
    for timing in (
        bench.time_sector_matcher(texts, terms.lexicon),
        bench.time_place_matcher(texts, terms.gazetteer),
    ):
        assert timing.seconds > 0 and timing.items > 0


def test_monitored_run_splits_steps_and_samples_memory():
    script = (
        "import time\n"
        "time.sleep(0.3)\n"
        "print('[1/2] 01-first: done in 0.2 s', flush=True)\n"
        "x = bytearray(60_000_000)\n"
        "time.sleep(0.4)\n"
        "print('[2/2] 02-second: done in 0.4 s', flush=True)\n"
        "time.sleep(0.2)\n"
    )
    result = bench.run_monitored([sys.executable, "-c", script])
    assert result.returncode == 0
    names = [s.name for s in result.steps]
    assert names == ["start-up", "01-first", "02-second", "render and publish"]
    assert [s.seconds for s in result.steps][1:3] == [0.2, 0.4]
    assert result.seconds > 0.8
    assert result.peak_mb > 60  # the 60 MB buffer was seen
    assert result.steps[2].peak_mb > result.steps[0].peak_mb
    assert 60 < result.pss_mb <= result.peak_mb  # one process: nothing shared to split
    assert result.steps[2].pss_mb > result.steps[0].pss_mb


def test_a_run_over_the_memory_limit_is_stopped():
    script = "import time\nx = bytearray(150_000_000)\ntime.sleep(20)\n"
    result = bench.run_monitored([sys.executable, "-c", script], memory_limit_mb=80)
    assert result.returncode != 0
    assert result.seconds < 10
    assert "over the --memory-limit of 80 MB" in result.error


def test_importtime_lines_name_their_importers():
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:      2000 |       2100 |       grammar.helpers\n"
        "import time:       100 |       2200 |     grammar\n"
        "import time:        50 |       2300 |   checker\n"
        "import time:        10 |       2400 | notebook\n"
        "import time:         5 |          5 | other\n"
    )
    rows = {r["module"]: r for r in bench.parse_importtime(stderr)}
    assert rows["grammar.helpers"]["self_ms"] == 2.0
    assert rows["grammar.helpers"]["chain"] == ["grammar", "checker", "notebook"]
    assert rows["other"]["chain"] == []


@pytest.mark.parametrize(
    "raw, sizes", [("1000,10000", [1000, 10000]), ("10k, 100_000", [10000, 100000])]
)
def test_sizes_are_parsed(raw, sizes):
    assert bench.parse_sizes(raw) == sizes


@pytest.mark.parametrize("raw", ["", "0", "-5"])
def test_bad_sizes_are_refused(raw):
    with pytest.raises(Exception):  # noqa: B017 - argparse's type error or ValueError
        bench.parse_sizes(raw)


def test_results_table_goes_between_the_readme_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# B\n\n## Results\n\n{bench.RESULTS_START}\nold\n{bench.RESULTS_END}\n\nAfter.\n",
        encoding="utf-8",
    )
    run = {
        "ok": True,
        "runs": 1,
        "seconds": 3.0,
        "peak_mb": 200.0,
        "pss_mb": 150.0,
        "steps": [{"name": "01-clean-corpus", "seconds": 2.0, "peak_mb": 180.0, "pss_mb": 140.0}],
    }
    results = {"machine": "Measured here.", "sizes": {"1000": {"bytes": 4.6e6, "pipeline": run}}}
    markdown = bench.render_markdown(results)
    assert "| 1,000 | 5 MB | 01-clean-corpus | 2.0 s | 140 MB | 180 MB |" in markdown
    assert "| 1,000 | 5 MB | **whole run** | **3.0 s** | **150 MB** | 200 MB |" in markdown
    bench.write_readme(markdown, path=readme)
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and "01-clean-corpus" in text and text.endswith("After.\n")


# --- The evidence pages' size check -------------------------------------------------------------


def test_evidence_figures_count_what_the_pages_hold(tmp_path):
    from citylinks.evidence import write_evidence_pages

    work = tmp_path / "work"
    evidence = pd.DataFrame(
        [("a1", "2024-02-01", "health", "Health", "health", f"Health {i}.") for i in range(30)],
        columns=["article_id", "published", "sector", "label", "term", "sentence"],
    )
    write_stage_table(evidence, work, "sector_evidence")
    write_evidence_pages(work, tmp_path / "out")
    figures = bench.evidence_figures(tmp_path / "out")
    sectors = figures["evidence-sectors.html"]
    assert sectors["sections"] == 1 and sectors["groups"] == 1  # one sector, one (undated) period
    assert sectors["sentences"] == 20 and sectors["more"] == 1  # capped, the rest counted
    assert sectors["bytes"] == len((tmp_path / "out" / "evidence-sectors.html").read_bytes())
    assert figures["evidence-partners.html"]["sections"] == 0
    rows = bench.evidence_rows(
        {"10000": {"pipeline": {"evidence": {"pages": figures, "step": {"seconds": 1.5}}}}}
    )
    assert any(row.startswith("| 10,000 |") and "20 sentences" in row for row in rows)


# --- Comparing two revisions ------------------------------------------------------------------


def test_stage_times_are_read_from_what_run_all_prints():
    stdout = (
        "[1/3] 01-clean-corpus: running\n[1/3] 01-clean-corpus: done in 3.5 s\n"
        "[3/3] 03-partner-engagement: done in 12.25 s\nRendering the reports\n"
        "Reports written to /tmp/x/out in 31.5 s: open /tmp/x/out/index.html\n"
    )
    assert compare.stage_times(stdout) == {
        "01-clean-corpus": 3.5,
        "03-partner-engagement": 12.25,
        "whole run": 31.5,
    }


def test_the_comparison_gives_the_ratio_of_medians():
    found = {"03-partner-engagement": {"base": [40.0, 44.0, 60.0], "head": [46.0, 48.0, 44.0]}}
    (row,) = compare.table_lines(found, "abc123")[2:]
    assert row == "| 03-partner-engagement | 40.0, 44.0, 60.0 | 46.0, 48.0, 44.0 | 1.05 |"
