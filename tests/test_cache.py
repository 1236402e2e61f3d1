"""The per-article cache: results reused by content, invalidated by config and code, and workers."""

from __future__ import annotations

import pandas as pd
import pytest
from runs import SEEDS, copy_seeds

from citylinks import cache as cache_module
from citylinks.cache import (
    PARALLEL_MIN_JOBS,
    ResultCache,
    content_key,
    few_full_collections,
    map_articles,
    map_files,
)
from citylinks.corpus import load_articles
from citylinks.paths import DEFAULT_LEXICON
from citylinks.sectors import count_sector_mentions, load_lexicon, match_sector_terms
from citylinks.sentences import learn_abbreviations

CALLS: list[str] = []


def shout(_shared, text: str) -> str:
    CALLS.append(text)
    return text.upper()


def pair(shared, i):
    return (shared, i, [i, i])


def scale(factor: int, n: int) -> int:
    return factor * n


def key_of_number(n: int) -> tuple[str | None, tuple]:
    # As a file's key: worked out where the job runs; every fifth job has none (not stored).
    return (None if n % 5 == 0 else content_key(str(n))), (n,)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("ab", "c"), ("a", "bc")),  # where one part ends matters
        (("text",), ("text", "")),
        (("Seoul",), ("seoul",)),
    ],
)
def test_content_keys_differ_when_inputs_differ(a, b):
    assert content_key(*a) != content_key(*b)
    assert content_key(*a) == content_key(*a)


def test_results_are_reused_under_the_same_config(tmp_path):
    first = ResultCache(tmp_path, "hits", config="lexicon v1")
    first.put_many({"k1": [("health", "hospital")], "k2": []})
    first.close()
    again = ResultCache(tmp_path, "hits", config="lexicon v1")
    assert again.get_many(["k1", "k2", "k3"]) == {"k1": [("health", "hospital")], "k2": []}


def test_a_changed_config_starts_afresh_and_removes_the_stale_file(tmp_path):
    ResultCache(tmp_path, "hits", config="lexicon v1").put_many({"k1": 1})
    changed = ResultCache(tmp_path, "hits", config="lexicon v2")
    assert changed.get_many(["k1"]) == {}
    assert [p.name for p in tmp_path.glob("hits-*.sqlite")] == [changed.path.name]


def test_a_code_change_invalidates(tmp_path, monkeypatch):
    ResultCache(tmp_path, "hits", config="same").put_many({"k1": 1})
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version")
    assert ResultCache(tmp_path, "hits", config="same").get_many(["k1"]) == {}


def test_a_damaged_file_is_replaced_not_fatal(tmp_path):
    path = ResultCache(tmp_path, "hits", config="c").path
    path.write_bytes(b"this is not an SQLite file" * 40)
    store = ResultCache(tmp_path, "hits", config="c")
    assert store.get_many(["k"]) == {}
    store.put_many({"k": 2})
    assert store.get_many(["k"]) == {"k": 2}


def test_an_unusable_cache_folder_only_means_recomputing(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    store = ResultCache(blocker, "hits", config="c")
    store.put_many({"k": 1})
    assert store.get_many(["k"]) == {}
    jobs = [(content_key(t), (t,)) for t in ["a", "b"]]
    assert list(map_articles(shout, jobs, cache=store)) == ["A", "B"]


def test_map_articles_computes_only_what_is_new(tmp_path):
    CALLS.clear()
    texts = ["hanoi", "seoul", "hanoi"]
    store = ResultCache(tmp_path, "shout", config="c")
    jobs = [(content_key(t), (t,)) for t in texts]
    assert list(map_articles(shout, jobs, cache=store)) == ["HANOI", "SEOUL", "HANOI"]
    assert store.misses == 3 and store.hits == 0
    CALLS.clear()
    store = ResultCache(tmp_path, "shout", config="c")
    jobs = [(content_key(t), (t,)) for t in [*texts, "busan"]]
    assert list(map_articles(shout, jobs, cache=store)) == ["HANOI", "SEOUL", "HANOI", "BUSAN"]
    assert CALLS == ["busan"]
    assert (store.hits, store.misses) == (3, 1)


def test_jobs_without_a_key_are_always_computed(tmp_path):
    CALLS.clear()
    store = ResultCache(tmp_path, "shout", config="c")
    for _ in range(2):
        assert list(map_articles(shout, [(None, ("x",))], cache=store)) == ["X"]
    assert CALLS == ["x", "x"]


def test_workers_give_the_same_results_in_the_same_order():
    n = PARALLEL_MIN_JOBS + 50
    jobs = [(None, (i,)) for i in range(n)]
    found = map_articles(scale, jobs, shared=3, workers=2, total=n)
    assert list(found) == [3 * i for i in range(n)]


def test_results_pickled_by_the_workers_are_stored_as_they_came(tmp_path):
    n = PARALLEL_MIN_JOBS + 5
    jobs = [(content_key(str(i)), (i,)) for i in range(n)]
    store = ResultCache(tmp_path, "pairs", config="x")
    computed = list(map_articles(pair, jobs, shared="s", cache=store, workers=2, total=n))
    store.close()
    assert computed == [("s", i, [i, i]) for i in range(n)]
    stored = ResultCache(tmp_path, "pairs", config="x").get_many([key for key, _ in jobs])
    assert stored == {key: ("s", i, [i, i]) for i, (key, _) in enumerate(jobs)}


@pytest.mark.parametrize("workers", [1, 2])
def test_batches_overlap_but_come_back_in_order_from_cache_and_workers(
    tmp_path, monkeypatch, workers
):
    monkeypatch.setattr(cache_module, "BATCH", 7)
    n = PARALLEL_MIN_JOBS + 30
    store = ResultCache(tmp_path, "scale", config=str(workers))
    first = [(content_key(str(i)), (i,)) for i in range(0, n, 3)]  # every third one cached
    assert list(map_articles(scale, first, shared=2, cache=store, workers=workers, total=n)) == [
        2 * i for i in range(0, n, 3)
    ]
    drawn = []

    def jobs():
        for i in range(n):
            drawn.append(i)
            yield content_key(str(i)), (i,)

    found = []
    store = ResultCache(tmp_path, "scale", config=str(workers))  # a new run, the same file
    for result in map_articles(scale, jobs(), shared=2, cache=store, workers=workers, total=n):
        # At most the next batch is drawn ahead of the one being handed out: memory stays bounded.
        assert len(drawn) <= (len(found) // 7 + 2) * 7
        found.append(result)
    assert found == [2 * i for i in range(n)]
    assert (store.hits, store.misses) == (len(first), n - len(first))


@pytest.mark.parametrize("workers", [1, 2])
def test_keys_worked_out_by_the_workers_find_what_was_stored(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(cache_module, "BATCH", 7)
    n = PARALLEL_MIN_JOBS + 30
    store = ResultCache(tmp_path, "scale", config="c")
    first = [(i,) for i in range(0, n, 3)]
    found = map_files(
        scale, first, key_of=key_of_number, shared=2, cache=store, workers=workers, total=n
    )
    assert list(found) == [2 * i for (i,) in first]
    store.close()
    # Run again with another factor: results read from the cache still show the first one.
    store = ResultCache(tmp_path, "scale", config="c")
    every = [(i,) for i in range(n)]
    found = map_files(
        scale, every, key_of=key_of_number, shared=3, cache=store, workers=workers, total=n
    )
    reused = {i for i in range(0, n, 3) if i % 5}
    assert list(found) == [(2 if i in reused else 3) * i for i in range(n)]
    assert (store.hits, store.misses) == (len(reused), n - len(reused))


def test_few_full_collections_restores_the_collector_even_after_an_error():
    import gc

    before = gc.get_threshold()
    with pytest.raises(KeyError), few_full_collections():
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] > 1_000_000  # no full pass in the block
        raise KeyError("x")
    assert gc.get_threshold() == before


@pytest.fixture(scope="module")
def seed_articles(tmp_path_factory):
    """The seeds' articles table, cleaned without a cache."""
    return load_articles(copy_seeds(tmp_path_factory.mktemp("seeds")), workers=1).articles


def test_cleaning_from_the_cache_equals_cleaning_afresh(tmp_path, seed_articles):
    corpus = copy_seeds(tmp_path / "corpus")
    cached = [
        load_articles(corpus, workers=1, cache_dir=tmp_path / "cache").articles for _ in range(2)
    ]
    for table in cached:
        pd.testing.assert_frame_equal(
            table.drop(columns="file"), seed_articles.drop(columns="file")
        )
    assert list((tmp_path / "cache").glob("cleaned-pages-*.sqlite"))


def test_an_added_article_is_cleaned_and_the_others_come_from_the_cache(tmp_path):
    corpus = copy_seeds(tmp_path / "corpus", count=len(SEEDS) - 1)
    first = load_articles(corpus, workers=1, cache_dir=tmp_path / "cache").articles
    copy_seeds(corpus)
    second = load_articles(corpus, workers=1, cache_dir=tmp_path / "cache").articles
    assert len(second) == len(first) + 1
    pd.testing.assert_frame_equal(
        second[second["file"].isin(first["file"])].reset_index(drop=True), first
    )
    assert SEEDS[-1].name in set(second["file"])


def test_sector_hits_follow_a_changed_lexicon(tmp_path, seed_articles):
    abbreviations = learn_abbreviations(seed_articles["text"])
    lexicon_file = tmp_path / "sectors.yaml"
    lexicon_file.write_text(
        "sectors:\n  - id: transport\n    label: Transport\n    terms: [metro]\n",
        encoding="utf-8",
    )
    cache_dir = tmp_path / "cache"
    before = match_sector_terms(
        seed_articles,
        load_lexicon(lexicon_file),
        abbreviations=abbreviations,
        work_dir=tmp_path / "work",
        cache_dir=cache_dir,
    )
    assert "education" not in set(before.counts["term"])
    lexicon_file.write_text(
        "sectors:\n  - id: transport\n    label: Transport\n    terms: [metro]\n"
        "  - id: education\n    label: Education\n    terms: [education]\n",
        encoding="utf-8",
    )
    after = match_sector_terms(
        seed_articles,
        load_lexicon(lexicon_file),
        abbreviations=abbreviations,
        work_dir=tmp_path / "work",
        cache_dir=cache_dir,
    )
    assert "education" in set(after.counts["term"])


def test_counts_from_cached_hits_equal_counts_from_matching(tmp_path, seed_articles):
    lexicon = load_lexicon(DEFAULT_LEXICON)
    abbreviations = learn_abbreviations(seed_articles["text"])
    direct = count_sector_mentions(seed_articles, lexicon)
    for _ in range(2):  # the second time every article comes from the cache
        hits = match_sector_terms(
            seed_articles,
            lexicon,
            abbreviations=abbreviations,
            work_dir=tmp_path / "work",
            cache_dir=tmp_path,
        )
        pd.testing.assert_frame_equal(
            count_sector_mentions(seed_articles, lexicon, found=hits), direct
        )
        evidence = pd.read_parquet(hits.evidence)
        assert len(evidence) == hits.mentions == direct["count"].sum()
        assert evidence["sentence"].str.len().gt(0).all()


def test_a_relative_cache_folder_starts_at_the_project_root(tmp_path, monkeypatch):
    # As in a notebook run from notebooks/ (JupyterLab's working folder): not cwd-relative.
    import os

    from citylinks.paths import ROOT

    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    relative = os.path.relpath(tmp_path / "elsewhere" / "cache", ROOT)
    cache = ResultCache(relative, "probe", config="x")
    cache.put_many({"k": 1})
    cache.close()
    assert cache.path.parent == tmp_path / "elsewhere" / "cache"
    assert cache.path.exists()
