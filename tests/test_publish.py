"""The rendered reports as a reader sees them, in headless Chromium: offline, visible, safe;
and a page drafted while the run goes on, completed with its provenance at the end."""

from __future__ import annotations

import re

import nbformat
import pytest
from browser import CHROMIUM, Browser
from runs import copy_seeds, run_all

from citylinks.paths import ROOT
from citylinks.publish import (
    PROVENANCE_SLOT,
    draft_page,
    fill_provenance,
    group_code_runs,
    render_notebook,
)

HOSTILE_TITLE = (
    '<script>window.__pwned=1</script> Hanoi meets <img src=x onerror="window.__pwned=2">'
)
PAGES = [
    "index.html",
    "01-clean-corpus.html",
    "02-sector-mentions.html",
    "03-partner-engagement.html",
]

EVIDENCE = ["evidence-sectors.html", "evidence-partners.html"]

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


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


@pytest.mark.parametrize("page", PAGES + EVIDENCE)
@needs_chromium
def test_page_loads_offline_without_errors(reports, browser, page):
    browser.open(reports / page)
    assert browser.console_errors() == []
    assert browser.requests() == [(reports / page).resolve().as_uri()]  # only the page itself


@pytest.mark.parametrize("page", PAGES)
@needs_chromium
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


@pytest.mark.parametrize("page", PAGES + EVIDENCE)
@needs_chromium
def test_table_of_contents_links_resolve(reports, browser, page):
    browser.open(reports / page)
    missing = browser.evaluate(
        """[...document.querySelectorAll('nav.cl-toc a')].map(a => a.getAttribute('href'))
             .filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))"""
    )
    count = browser.evaluate("document.querySelectorAll('nav.cl-toc a').length")
    assert count >= 4 and missing == []


@pytest.mark.parametrize("page", PAGES)
@needs_chromium
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
    "page", ["index.html", "01-clean-corpus.html", "03-partner-engagement.html", *EVIDENCE]
)
@needs_chromium
def test_markup_in_an_article_title_shows_as_text_and_never_runs(reports, browser, page):
    browser.open(reports / page)
    assert browser.evaluate("window.__pwned === undefined")
    text = browser.evaluate("document.body.innerText")
    if page == "01-clean-corpus.html":  # the page that lists titles
        assert "<script>window.__pwned=1</script> Hanoi meets" in text
    html = (reports / page).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x onerror" not in html


TARGET = """(() => {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return null;
    const section = target.closest('section');
    const list = target.tagName === 'H3' ? target.nextElementSibling : section;
    return {tag: target.tagName, text: target.innerText, visible: target.checkVisibility(),
            page: location.pathname.split('/').pop(), section: section.innerText,
            sentences: list.querySelectorAll('li blockquote').length,
            marked: list.querySelectorAll('li blockquote mark').length};
})()"""


@needs_chromium
def test_a_heatmap_row_leads_to_its_sectors_sentences(reports, browser):
    browser.open(reports / "02-sector-mentions.html")
    row = "#chart-sector_heatmap tbody th a"
    label = browser.evaluate(f"document.querySelector('{row}').innerText")
    browser.follow(row)
    target = browser.evaluate(TARGET)
    assert target["page"] == "evidence-sectors.html" and target["tag"] == "H2"
    assert target["text"] == label and target["visible"]
    assert target["sentences"] >= 1 and target["marked"] >= 1


@needs_chromium
def test_a_heatmap_cell_leads_to_that_periods_sentences(reports, browser):
    browser.open(reports / "02-sector-mentions.html")
    cell = "#chart-sector_heatmap tbody td a"
    where = browser.evaluate(
        f"""(() => {{ const td = document.querySelector('{cell}').closest('td');
            const row = td.closest('tr');
            const column = [...row.children].indexOf(td);
            return {{sector: row.querySelector('th').innerText,
                     period: row.closest('table').querySelectorAll('thead th')[column]
                                .innerText.split('\\n')[0]}}; }})()"""
    )
    browser.follow(cell)
    target = browser.evaluate(TARGET)
    assert target["tag"] == "H3" and target["visible"]
    assert target["text"].startswith(where["period"])
    assert target["section"].startswith(where["sector"])  # under its sector's heading
    assert target["sentences"] >= 1 and target["marked"] >= target["sentences"]


@needs_chromium
def test_a_partner_name_leads_to_its_engagements_and_sentences(reports, browser):
    browser.open(reports / "03-partner-engagement.html")
    link = "table.cl-table a[href^='evidence-partners.html#partner-']"
    name = browser.evaluate(f'document.querySelector("{link}").innerText')
    browser.follow(link)
    target = browser.evaluate(TARGET)
    assert target["page"] == "evidence-partners.html" and target["tag"] == "H2"
    assert target["text"] == name and target["visible"]
    assert "Engagements" in target["section"] and "Sentences naming it" in target["section"]
    assert target["sentences"] >= 2 and target["marked"] >= 2


@needs_chromium
def test_every_link_to_the_evidence_lands_on_a_section(reports, browser):
    ids = {}
    for page in EVIDENCE:
        browser.open(reports / page)
        ids[page] = set(browser.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)"))
    links = []
    for page in PAGES:
        browser.open(reports / page)
        links += browser.evaluate(
            "[...document.querySelectorAll('a[href^=\"evidence-\"]')].map(a => a.getAttribute('href'))"
        )
    targets = [href.split("#", 1) for href in links if "#" in href]
    assert len(targets) > 20
    assert [t for t in targets if t[1] not in ids.get(t[0], ())] == []


@pytest.fixture
def small_notebook(tmp_path):
    """A notebook with a title, a lead, two sections, and the slot's text in an output."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Small report\n\nWhat it says, in one line."),
        nbformat.v4.new_markdown_cell("## First section"),
        nbformat.v4.new_code_cell("show_html()"),
        nbformat.v4.new_markdown_cell("## Second section"),
    ]
    html_output = {"text/html": f"<p>{PROVENANCE_SLOT}</p>"}  # kept as it is, unlike text
    nb.cells[2].outputs = [nbformat.v4.new_output("display_data", data=html_output)]
    path = tmp_path / "small.ipynb"
    nbformat.write(nb, path)
    return path


INFO = {"started": "2026-11-23T10:00:00+00:00", "seconds": 12.5, "corpus_files": 5}


def test_a_drafted_page_gets_its_provenance_in_the_footer(small_notebook):
    page = draft_page(small_notebook, reports=[("small.html", "Small report")])
    done = fill_provenance(page, INFO)
    assert done.count('class="cl-provenance"') == 1
    # In the footer, after every section, whatever a cell printed.
    assert done.index('class="cl-provenance"') > done.index('id="Second-section"')
    assert "12.5 s" in done and "5 files" in done
    # The contents list it before it is filled in, as it lists the sections.
    contents = done.split('class="cl-toc"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", contents) == [
        "First section",
        "Second section",
        "Provenance",
    ]


def test_rendering_in_one_go_equals_drafting_then_filling(small_notebook, tmp_path):
    reports = [("small.html", "Small report")]
    target = render_notebook(
        small_notebook, tmp_path / "small.html", provenance=INFO, reports=reports
    )
    drafted = fill_provenance(draft_page(small_notebook, reports=reports), INFO)
    assert target.read_text(encoding="utf-8") == drafted


def test_a_page_without_a_slot_is_left_as_it_is():
    assert fill_provenance("<main><p>no slot</p></main>", INFO) == "<main><p>no slot</p></main>"


def cells_of(kinds: str):
    """Cells from a string of kinds: m = markdown, c = code, r = raw."""
    make = {
        "m": nbformat.v4.new_markdown_cell,
        "c": nbformat.v4.new_code_cell,
        "r": nbformat.v4.new_raw_cell,
    }
    return [make[k](f"cell_{i}") for i, k in enumerate(kinds)]


@pytest.mark.parametrize(
    "kinds, runs",
    [
        ("", []),
        ("m", []),
        ("c", [[0]]),
        ("mcm", [[1]]),
        ("mccc", [[1, 2, 3]]),
        ("mccmc", [[1, 2], [4]]),
        ("ccmmcc", [[0, 1], [4, 5]]),
        ("cmcmc", [[0], [2], [4]]),
        ("ccrcc", [[0, 1], [3, 4]]),  # a raw cell also ends a run
    ],
)
def test_consecutive_code_cells_make_one_run(kinds, runs):
    assert group_code_runs(cells_of(kinds)) == runs


def test_a_run_of_code_cells_shares_one_fold_holding_all_its_code(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Folds\n\nOne fold per run."),
        nbformat.v4.new_markdown_cell("## First"),
        nbformat.v4.new_code_cell("alpha = 1"),
        nbformat.v4.new_code_cell("beta = 2"),
        nbformat.v4.new_code_cell("gamma = 3"),
        nbformat.v4.new_markdown_cell("## Second"),
        nbformat.v4.new_code_cell("delta = 4"),
    ]
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", text="beta printed\n")]
    path = tmp_path / "folds.ipynb"
    nbformat.write(nb, path)
    page = draft_page(path, reports=[])
    folds = re.findall(r'<details class="cl-code">(.*?)</details>', page, re.S)
    assert len(folds) == 2
    assert "(3 cells)" in folds[0] and "cells)" not in folds[1]
    assert all(name in folds[0] for name in ("alpha", "beta", "gamma"))
    assert "delta" in folds[1] and "alpha" not in folds[1]
    # Outputs stay, in order, outside the folds; the first fold comes before them.
    assert page.index("beta printed") > page.index(folds[0]) and "beta printed" not in folds[0]
    unfolded = draft_page(path, reports=[], fold_code=False)
    assert "<details" not in unfolded and unfolded.count("jp-InputArea ") >= 4
