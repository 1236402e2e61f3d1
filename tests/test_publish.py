"""The rendered reports as a reader sees them, in headless Chromium: offline, visible, safe."""

from __future__ import annotations

import pytest
from browser import CHROMIUM, Browser
from runs import copy_seeds, run_all

from citylinks.paths import ROOT

HOSTILE_TITLE = (
    '<script>window.__pwned=1</script> Hanoi meets <img src=x onerror="window.__pwned=2">'
)
PAGES = [
    "index.html",
    "01-clean-corpus.html",
    "02-sector-mentions.html",
    "03-partner-engagement.html",
]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Run the pipeline on the seeds plus an article whose title carries markup."""
    base = tmp_path_factory.mktemp("browser")
    corpus = copy_seeds(base / "corpus")
    body = (ROOT / "corpus" / "000_1a28fbddbf2bdc98.txt").read_text(encoding="utf-8")
    lines = body.split("\n")
    lines[2] = HOSTILE_TITLE  # the title line, under the breadcrumb
    lines[3] = "Ngoc Mai 10:00, 2024/05/01"
    lines[4] = "A new story about a visit, with markup in its title."  # not a duplicate
    (corpus / "markup.txt").write_text("\n".join(lines), encoding="utf-8")
    out = base / "out"
    result = run_all(
        "--corpus",
        str(corpus),
        "--out",
        str(out),
        "--work",
        str(base / "work"),
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    chromium = Browser()
    yield chromium
    chromium.close()


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(reports, browser, page):
    browser.open(reports / page)
    assert browser.console_errors() == []
    assert browser.requests() == [(reports / page).resolve().as_uri()]  # only the page itself


@pytest.mark.parametrize("page", PAGES)
def test_charts_are_present_visible_and_described(reports, browser, page):
    browser.open(reports / page)
    charts = browser.evaluate(
        """[...document.querySelectorAll('figure.cl-chart img')].map(img => {
            const box = img.getBoundingClientRect();
            return {w: img.naturalWidth, h: box.height, alt: img.alt,
                    caption: img.closest('figure').querySelector('figcaption').innerText,
                    csv: !!img.closest('figure').querySelector('figcaption a[href$=".csv"]')};
        })"""
    )
    if page == "01-clean-corpus.html":
        assert charts == []  # the cleaning report has tables, not charts
        return
    assert len(charts) >= 2
    for chart in charts:
        assert chart["w"] > 200 and chart["h"] > 50, chart
        assert len(chart["alt"]) > 20 and len(chart["caption"]) > 20
        assert chart["csv"], "every chart links the CSV behind it"


@pytest.mark.parametrize("page", PAGES)
def test_table_of_contents_links_resolve(reports, browser, page):
    browser.open(reports / page)
    missing = browser.evaluate(
        """[...document.querySelectorAll('nav.cl-toc a')].map(a => a.getAttribute('href'))
             .filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))"""
    )
    count = browser.evaluate("document.querySelectorAll('nav.cl-toc a').length")
    assert count >= 4 and missing == []


@pytest.mark.parametrize("page", PAGES)
def test_code_is_folded_not_deleted(reports, browser, page):
    browser.open(reports / page)
    if page == "index.html":
        return
    folded = browser.evaluate("document.querySelectorAll('details.cl-code:not([open])').length")
    assert folded > 3
    visible = browser.evaluate(
        "[...document.querySelectorAll('details.cl-code pre')].some(p => p.checkVisibility())"
    )
    assert visible is False


@pytest.mark.parametrize(
    "page", ["index.html", "01-clean-corpus.html", "03-partner-engagement.html"]
)
def test_markup_in_an_article_title_shows_as_text_and_never_runs(reports, browser, page):
    browser.open(reports / page)
    assert browser.evaluate("window.__pwned === undefined")
    text = browser.evaluate("document.body.innerText")
    if page == "01-clean-corpus.html":  # the page that lists titles
        assert "<script>window.__pwned=1</script> Hanoi meets" in text
    html = (reports / page).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x onerror" not in html
