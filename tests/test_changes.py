"""What is new since the last run, from two runs' tables."""

from __future__ import annotations

import pandas as pd
import pytest

from citylinks.changes import compare_runs, describe_changes
from citylinks.tables import write_stage_table


def run(articles, partners, sectors):
    """One run's tables, as `read_run` returns them."""
    return {
        "articles": pd.DataFrame(articles, columns=["file", "title", "status", "reason", "words"]),
        "partners": pd.DataFrame(
            partners, columns=["article_id", "partner", "kind", "country_name", "role"]
        ),
        "sectors": pd.DataFrame(sectors, columns=["sector", "label", "count"]),
    }


BEFORE = run(
    [
        ("a.txt", "A", "ok", "", 1000),
        ("b.txt", "B", "ok", "", 1000),
        ("old-bad.bin", "", "quarantined", "binary file", 0),
    ],
    [("a", "Seoul", "city", "South Korea", "counterpart")],
    [("health", "Health", 4), ("rail", "Rail", 2)],
)


def test_added_and_removed_articles_and_a_new_partner():
    after = run(
        [
            ("a.txt", "A", "ok", "", 1000),
            ("c.txt", "C", "ok", "", 1000),
            ("d.txt", "D", "ok", "", 1000),
            ("old-bad.bin", "", "quarantined", "binary file", 0),
            ("new-bad.bin", "", "quarantined", "binary file", 0),
        ],
        [
            ("a", "Seoul", "city", "South Korea", "counterpart"),
            ("c", "Busan", "city", "South Korea", "counterpart"),
            ("d", "Busan", "city", "South Korea", "mentioned"),
        ],
        [("health", "Health", 4), ("rail", "Rail", 2)],
    )
    changes = compare_runs(BEFORE, after)
    assert changes["added"] == [("c.txt", "C"), ("d.txt", "D")]
    assert changes["removed"] == [("b.txt", "B")]
    assert changes["quarantined"] == [("new-bad.bin", "binary file")]  # not the old one
    assert [(p["partner"], p["articles"], p["counterpart"]) for p in changes["partners"]] == [
        ("Busan", 2, 1)
    ]
    assert changes["sectors"] == []


def test_a_new_sector_and_the_rates_that_moved_most():
    after = run(
        [("a.txt", "A", "ok", "", 1000), ("b.txt", "B", "ok", "", 1000)],
        [],
        [("health", "Health", 4), ("rail", "Rail", 8), ("energy", "Energy", 1)],
    )
    changes = compare_runs(BEFORE, after)
    assert changes["sectors"] == [("energy", "Energy")]
    moved = [(m["label"], m["before"], m["after"]) for m in changes["moved"]]
    assert moved == [("Rail", 1.0, 4.0), ("Energy", 0.0, 0.5)]  # per 1,000 words; health still


def test_the_same_tables_change_nothing():
    changes = compare_runs(BEFORE, BEFORE)
    assert not any(changes[k] for k in changes)


@pytest.mark.parametrize("previous", [None, "missing"])
def test_a_first_run_says_so(tmp_path, previous):
    current = tmp_path / "current"
    write_stage_table(BEFORE["articles"], current, "articles")
    folder = None if previous is None else tmp_path / previous
    assert describe_changes(folder, current) == {"first_run": True}


def test_describe_changes_reads_two_work_folders(tmp_path):
    for name, articles in (("old", BEFORE["articles"]), ("new", BEFORE["articles"].iloc[:1])):
        write_stage_table(articles, tmp_path / name, "articles")
    changes = describe_changes(tmp_path / "old", tmp_path / "new")
    assert changes["first_run"] is False and changes["nothing"] is False
    assert changes["removed"] == [("b.txt", "B")] and changes["since"]
