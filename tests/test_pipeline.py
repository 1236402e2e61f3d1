"""End to end: run_all.py on a small corpus into a temporary folder, and what the reports say."""

from __future__ import annotations

import html
import re
import subprocess

import pandas as pd
import psutil
import pytest
from runs import SEEDS, copy_seeds, run_all

from citylinks.paths import ROOT

SEED_TITLES = [
    "Hanoi, Gyeonggi (South Korea) focus ties on priority fields",
    "Hanoi seeks Seoul's expertise on urban issues",
    "Hanoi, Guangzhou eye comprehensive cooperation",
]


def git_status() -> str:
    if not (ROOT / ".git").exists():
        return ""
    return subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--ignored"],
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """One full run on the seeds plus a bad file, into temporary folders."""
    base = tmp_path_factory.mktemp("run")
    corpus = copy_seeds(base / "corpus")
    (corpus / "empty.txt").write_bytes(b"")
    before = git_status()
    kernels = kernel_processes()
    result = run_all(
        "--corpus", str(corpus), "--out", str(base / "out"), "--work", str(base / "work")
    )
    return {
        "base": base,
        "result": result,
        "repo_before": before,
        "repo_after": git_status(),
        "kernels_before": kernels,
        "kernels_after": kernel_processes(),
    }


def kernel_processes() -> set[int]:
    """Process ids of running notebook kernels (and of workers forked from them)."""
    found = set()
    for process in psutil.process_iter(["cmdline"]):
        if "ipykernel_launcher" in " ".join(process.info["cmdline"] or ()):
            found.add(process.pid)
    return found


def test_run_succeeds_and_reports_progress(finished_run):
    result = finished_run["result"]
    assert result.returncode == 0, result.stderr
    assert "[1/" in result.stdout and "01-clean-corpus: done in" in result.stdout


def test_no_kernel_outlives_the_run(finished_run):
    # Each stage's kernel is stopped at once when its notebook is done, workers and all.
    assert finished_run["kernels_after"] <= finished_run["kernels_before"]


def test_run_with_other_folders_writes_nothing_in_the_repository(finished_run):
    assert finished_run["repo_after"] == finished_run["repo_before"]


def test_articles_table(finished_run):
    table = pd.read_csv(
        finished_run["base"] / "out" / "data" / "articles.csv", keep_default_na=False
    )
    required = {
        "article_id",
        "file",
        "title",
        "published",
        "authors",
        "words",
        "status",
        "reason",
        "duplicate_of",
    }
    assert required <= set(table.columns)
    by_file = table.set_index("file")
    assert by_file.loc["empty.txt", "status"] == "quarantined"
    assert by_file.loc["empty.txt", "reason"] == "empty file"
    assert by_file.loc["001_295e34bc601d9dc4.txt", "published"] == "2023-12-18"
    assert by_file.loc["001_295e34bc601d9dc4.txt", "authors"] == "Ngoc Mai;Van Ha"
    assert (table.status == "ok").sum() == 5


def test_reports_show_titles_and_no_errors(finished_run):
    out = finished_run["base"] / "out"
    page = (out / "01-clean-corpus.html").read_text(encoding="utf-8")
    for title in SEED_TITLES:
        assert title.replace("'", "&#39;") in page or title in page
    assert "empty.txt" in page and "empty file" in page  # the quarantined file is named
    for marker in (
        "Traceback",
        'data-mime-type="application/vnd.jupyter.stderr"',
        'class="ansi-red',
    ):
        assert marker not in page
    assert "<title>Clean the corpus</title>" in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01-clean-corpus.html"' in index


def test_reports_fetch_nothing_from_the_network(finished_run):
    for page in (finished_run["base"] / "out").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script src=" not in text
        assert "cdn." not in text and "unpkg.com" not in text and "googleapis" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "colour", "red"], "unknown parameter 'colour'; valid names:"),
        (["-p", "period", "fortnight"], "must be one of auto, month, quarter, year"),
        (["-p", "start", "yesterday"], "must be a date as YYYY-MM-DD"),
        (["-p", "top_sectors", "many"], "must be a whole number"),
        (["--corpus", "/nonexistent/corpus"], "does not exist"),
    ],
)
def test_bad_usage_exits_2_with_one_line(tmp_path, args, message):
    result = run_all(*args, "--out", str(tmp_path / "out"), "--work", str(tmp_path / "work"))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_list_params_prints_every_parameter_with_its_default():
    result = run_all("--list-params")
    assert result.returncode == 0
    from citylinks.params import PARAMS

    for name, spec in PARAMS.items():
        assert name in result.stdout and repr(spec.default) in result.stdout


def read_table(finished_run, name: str) -> pd.DataFrame:
    return pd.read_csv(finished_run["base"] / "out" / "data" / f"{name}.csv", keep_default_na=False)


def assert_counts_match_the_articles(run) -> pd.DataFrame:
    """Every count in the report equals the matcher run afresh on the articles table."""
    from collections import Counter

    from citylinks.sectors import find_sector_mentions, load_lexicon

    mentions = read_table(run, "sector_mentions")
    assert {"article_id", "published", "period", "sector", "term", "count"} <= set(mentions.columns)
    articles = pd.read_parquet(run["base"] / "work" / "articles.parquet")
    lexicon = load_lexicon(ROOT / "config" / "sectors.yaml")
    expected = Counter()
    for row in articles[articles.status == "ok"].itertuples():
        for m in find_sector_mentions(row.text, lexicon):
            expected[(row.article_id, m.sector)] += 1
    found = mentions.groupby(["article_id", "sector"])["count"].sum().to_dict()
    assert found == dict(expected)
    evidence = read_table(run, "sector_evidence")
    assert len(evidence) == mentions["count"].sum()  # one sentence per mention
    return mentions


def test_sector_counts_are_traceable_to_the_articles(finished_run):
    mentions = assert_counts_match_the_articles(finished_run)
    # what a reader of the seeds sees: high-tech agriculture with Gyeonggi, urban rail with Seoul
    by_article = mentions.groupby("article_id")["term"].apply(set)
    assert "high-tech agriculture" in by_article["000_1a28fbddbf2bdc98"]
    assert any("rail" in t for t in by_article["001_295e34bc601d9dc4"])
    trends = read_table(finished_run, "sector_trends")
    assert {"period", "sector", "per_1000_words", "articles_in_period"} <= set(trends.columns)
    assert trends.groupby("period")["articles_in_period"].first().sum() == 5


def test_partners_and_primary_partners_of_the_seeds(finished_run):
    partners = read_table(finished_run, "partner_mentions")
    primary = partners[partners["primary"].astype(str) == "True"].set_index("article_id")["partner"]
    assert primary["000_1a28fbddbf2bdc98"] == "Gyeonggi"
    assert primary["001_295e34bc601d9dc4"] == "Seoul"
    assert primary["003_72a695dded70c60a"] == "Guangzhou"  # also spelled "Quangzhou" there
    assert "Hanoi" not in set(partners.partner) and "Vietnam" not in set(partners.partner)
    engagements = read_table(finished_run, "engagements").set_index("article_id")
    assert engagements.loc["003_72a695dded70c60a", "type"] == "agreement"
    assert engagements.loc["000_1a28fbddbf2bdc98", "event_date"] == "2024-03-21"  # "on March 21"


def test_overview_page_has_findings_and_quality_box(finished_run):
    index = (finished_run["base"] / "out" / "index.html").read_text(encoding="utf-8")
    for anchor in ('id="sectors"', 'id="partners"', 'id="data-quality"', 'id="provenance"'):
        assert anchor in index
    assert "empty.txt: empty file" in index
    assert "Gyeonggi" in index and "Latest engagements" in index
    assert '<section class="cl-new" id="whats-new"' in index and "First run." in index
    assert index.count('<figure class="cl-chart"') >= 4


@pytest.mark.parametrize(
    ("chart", "report"),
    [
        ("sector_totals", "02-sector-mentions.html"),
        ("sector_trends", "02-sector-mentions.html"),
        ("partners", "03-partner-engagement.html"),
        ("partner_map", "03-partner-engagement.html"),
    ],
)
def test_overview_shows_the_figures_the_reports_show(finished_run, chart, report):
    out = finished_run["base"] / "out"
    pattern = re.compile(rf'<figure class="cl-chart" id="chart-{chart}">.*?</figure>', re.S)
    in_overview = pattern.findall((out / "index.html").read_text(encoding="utf-8"))
    in_report = pattern.findall((out / report).read_text(encoding="utf-8"))
    assert len(in_overview) == 1 and len(in_report) == 1

    def parts(figure: str) -> tuple[str, str, str]:
        # The report's copy went through nbconvert, which may order and escape attributes anew.
        picture = re.search(r'src="(data:image/png;base64,[^"]+)"', figure).group(1)
        alt = re.search(r'alt="([^"]*)"', figure).group(1)
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S).group(1)
        return picture, html.unescape(alt), html.unescape(caption)

    assert parts(in_overview[0]) == parts(in_report[0])  # the same picture, text and CSV link


@pytest.fixture(scope="module")
def second_run(tmp_path_factory):
    """A run on three seeds, then the other two added and run again into the same folders."""
    base = tmp_path_factory.mktemp("rerun")
    corpus = copy_seeds(base / "corpus", count=3)
    folders = ("--corpus", str(corpus), "--out", str(base / "out"), "--work", str(base / "work"))
    first = run_all(*folders)
    copy_seeds(corpus)
    return {"base": base, "first": first, "result": run_all(*folders)}


def test_a_rerun_reuses_the_cache_and_reports_the_added_article(second_run):
    assert second_run["first"].returncode == 0, second_run["first"].stderr
    assert second_run["result"].returncode == 0, second_run["result"].stderr
    cache = second_run["base"] / "work" / "cache"
    for kind in ("cleaned-pages", "sector-hits", "partner-traces"):
        assert len(list(cache.glob(f"{kind}-*.sqlite"))) == 1, kind
    articles = read_table(second_run, "articles")
    assert len(articles) == 5
    mentions = assert_counts_match_the_articles(second_run)
    added = articles.loc[articles["file"] == SEEDS[4].name, "article_id"].item()
    assert added in set(mentions["article_id"])
    assert added in set(read_table(second_run, "sector_evidence")["article_id"])
    page = (second_run["base"] / "out" / "01-clean-corpus.html").read_text(encoding="utf-8")
    assert "All 5 rows" in page


# --- which folder failed the run, in one line (issue 20) -------------------------------------

FOLDERS = {
    "/x/.reports.staging-9": "/x/reports",
    "/x/.build.staging-9": "/x/build",
    "/x/reports": "/x/reports",
    "/x/build": "/x/build",
    "/data/corpus": "/data/corpus",
}


def failure(kind: str, *args):
    from citylinks.errors import FolderError
    from citylinks.pipeline import RunFailed

    if kind == "os":
        return OSError(*args)
    if kind == "folder":
        return FolderError(*args)
    ename, evalue = args
    return RunFailed("cell 3 raised", ename=ename, evalue=evalue)


@pytest.mark.parametrize(
    ("exc", "line"),
    [
        (
            ("os", 28, "No space left", "/x/.reports.staging-9/index.html"),
            "cannot write into /x/reports: no space left on the device",
        ),
        (
            ("os", 30, "Read-only file system", "/x/build/.build.old-9"),
            "cannot write into /x/build: the file system is read-only",
        ),
        (("os", 28, "No space left"), "cannot write into DEFAULT: no space left on the device"),
        (
            ("os", 2, "No such file", "/data/corpus/a.txt"),
            "corpus folder /data/corpus: it does not exist (any more)",
        ),
        (
            ("folder", "cannot write into /x/.reports.staging-9/data: no space left"),
            "cannot write into /x/reports/data: no space left",
        ),
        (
            ("kernel", "FolderError", "corpus folder /data/corpus: it disappeared"),
            "corpus folder /data/corpus: it disappeared",
        ),
        (
            ("kernel", "OSError", "[Errno 28] Error writing bytes to file. Detail: [errno 28]"),
            "cannot write into DEFAULT: no space left on the device",
        ),
        (
            ("kernel", "PermissionError", "[Errno 13] Permission denied: '/x/build/cache/a'"),
            "cannot write into /x/build: permission denied (the folder cannot be written or read)",
        ),
        # a bug, not a folder's failure: the usual report with its debugging copy
        (("kernel", "FileNotFoundError", "[Errno 2] No such file: 'config/x.yaml'"), ""),
        (("kernel", "KeyError", "'title'"), ""),
        (("kernel", "OSError", "something without an errno"), ""),
    ],
)
def test_a_failing_folder_is_named_in_one_line(exc, line):
    from pathlib import Path

    from citylinks.pipeline import folder_failure

    folders = {Path(k): Path(v) for k, v in FOLDERS.items()}
    said = folder_failure(failure(*exc), folders, default="DEFAULT", corpus=Path("/data/corpus"))
    assert said == line


def whats_new(index: str, kind: str) -> list[str]:
    """The items of one list of the what-is-new box, as text."""
    box = index[index.index('id="whats-new"') : index.index("</section>")]
    found = re.search(rf'<ul class="cl-new-{kind}">(.*?)</ul>', box, re.S)
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in items]


def test_a_rerun_lists_exactly_the_added_articles_and_their_new_partners(second_run):
    assert second_run["result"].returncode == 0, second_run["result"].stderr
    index = (second_run["base"] / "out" / "index.html").read_text(encoding="utf-8")
    articles = read_table(second_run, "articles").set_index("file")
    added = [seed.name for seed in SEEDS[3:]]
    assert whats_new(index, "added") == [f"{articles.title[f]} {f}" for f in added]
    assert whats_new(index, "removed") == [] and "Articles removed" not in index
    partners = read_table(second_run, "partner_mentions")
    ids = set(articles.loc[added, "article_id"])
    first = set(partners.loc[~partners.article_id.isin(ids), "partner"])
    new = set(partners.loc[partners.article_id.isin(ids), "partner"]) - first
    assert new and "Guangzhou" in new  # seed 3's partner is new to the first run's three
    assert {item.split(" (")[0] for item in whats_new(index, "partners")} == new
