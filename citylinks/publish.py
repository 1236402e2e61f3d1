"""Publishing: executed notebooks and the overview as self-contained, offline HTML pages."""

from __future__ import annotations

import html
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
REPORT_CSS = (TEMPLATES / "report.css").read_text(encoding="utf-8")
HEADING = re.compile(
    r'<h([23]) id="([^"]+)">(.*?)(?:<a class="anchor-link"[^>]*>[^<]*</a>)?</h\1>', re.S
)
TAG = re.compile(r"<[^>]+>")
PROVENANCE_HEADING = '<h2 id="provenance">Provenance</h2>'
# Where a page drafted before the run ends gets its provenance (how long the run took).
PROVENANCE_SLOT = "<!--CITYLINKS-PROVENANCE-->"

_exporter = None


def _html_exporter():
    # Built once per process: loading the templates and nbconvert itself is the slow part.
    global _exporter
    if _exporter is None:
        from nbconvert import HTMLExporter

        _exporter = HTMLExporter(
            template_name="citylinks",
            extra_template_basedirs=[str(TEMPLATES)],
            embed_images=True,
        )
    return _exporter


def notebook_title(nb) -> str:
    """Return the text of a notebook's first level-one heading, or its name."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return nb.metadata.get("title", "citylinks report")


def table_of_contents(page: str) -> str:
    """Return an ordered list linking the report's section headings."""
    items = []
    for level, anchor, text in HEADING.findall(page):
        label = html.unescape(TAG.sub("", text)).strip()
        if level == "2" and label:
            items.append(f'<li><a href="#{anchor}">{html.escape(label)}</a></li>')
    if not items:
        return ""
    return f'<nav class="cl-toc" aria-label="Contents"><strong>Contents</strong><ol>{"".join(items)}</ol></nav>'


def insert_after_lead(page: str, block: str) -> str:
    """Insert a block after the title and its one-line summary (the page's first paragraph)."""
    title = page.find("<h1")
    lead = page.find("</p>", title)
    if title < 0 or lead < 0:
        return page.replace("<main>", "<main>" + block, 1)
    at = lead + len("</p>")
    return page[:at] + block + page[at:]


def navigation_html(reports: list[tuple[str, str]]) -> str:
    """Return links to every report, for the bar at the top of each page."""
    return "".join(
        f'<a href="{html.escape(href)}">{html.escape(title)}</a>' for href, title in reports
    )


def provenance_html(info: dict) -> str:
    """Return the provenance block: when it ran, how long, parameters, inputs, versions."""
    rows = [
        ("Run at", info.get("started", "")),
        ("Took", f"{info.get('seconds', 0):.1f} s"),
        (
            "Corpus",
            f"{info.get('corpus_dir', '')} — {info.get('corpus_files', 0)} files, "
            f"fingerprint {info.get('corpus_fingerprint', '')[:16]}",
        ),
        ("Lexicon", info.get("lexicon", "")),
        ("Gazetteer", info.get("gazetteer", "")),
        ("Outlets", info.get("outlets", "")),
        ("Parameters", ", ".join(f"{k}={v!r}" for k, v in info.get("parameters", {}).items())),
        ("Code version", info.get("code_version", "")),
        ("Packages", ", ".join(f"{k} {v}" for k, v in info.get("packages", {}).items())),
    ]
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in rows)
    return f'<footer class="cl-provenance">{PROVENANCE_HEADING}<dl>{items}</dl></footer>'


def group_code_runs(cells) -> list[list[int]]:
    """Return the positions of each run of consecutive code cells (a markdown cell ends a run)."""
    runs: list[list[int]] = []
    previous = None
    for i, cell in enumerate(cells):
        if cell.cell_type == "code":
            if previous == "code":
                runs[-1].append(i)
            else:
                runs.append([i])
        previous = cell.cell_type
    return runs


def join_code_runs(nb) -> None:
    """Give each run of code cells one fold: its first cell shows the code of the whole run, the
    others only their outputs (a reader opens one "Show code" per section, not five in a row)."""
    for run in group_code_runs(nb.cells):
        first = nb.cells[run[0]]
        first.metadata["citylinks_cells"] = len(run)
        first.source = "\n\n".join(nb.cells[i].source.strip("\n") for i in run)
        for i in run[1:]:
            nb.cells[i].metadata["citylinks_joined"] = True


def draft_page(executed: Path, *, reports: list[tuple[str, str]], fold_code: bool = True) -> str:
    """Render an executed notebook to one HTML page, with a slot for the run's provenance."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    nb.metadata["title"] = notebook_title(nb)
    if fold_code:
        join_code_runs(nb)
    resources = {
        "citylinks_css": REPORT_CSS,
        "citylinks_nav": navigation_html(reports),
        "citylinks_provenance": PROVENANCE_SLOT,
        "citylinks_fold_code": fold_code,
    }
    page, _ = _html_exporter().from_notebook_node(nb, resources=resources)
    contents = table_of_contents(_fill_slot(page, PROVENANCE_HEADING))
    return insert_after_lead(page.replace("<!--CITYLINKS-TOC-->", "", 1), contents)


def fill_provenance(page: str, provenance: dict) -> str:
    """Put the provenance block into a drafted page's slot."""
    return _fill_slot(page, provenance_html(provenance))


def _fill_slot(page: str, block: str) -> str:
    # The slot is in the page's footer, after every output: the last one is the template's.
    head, slot, tail = page.rpartition(PROVENANCE_SLOT)
    return head + block + tail if slot else page


def render_notebook(
    executed: Path,
    target: Path,
    *,
    provenance: dict,
    reports: list[tuple[str, str]],
    fold_code: bool = True,
) -> Path:
    """Render an executed notebook to one HTML file: code folded, images inline, provenance."""
    page = draft_page(executed, reports=reports, fold_code=fold_code)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(fill_provenance(page, provenance), encoding="utf-8")
    return target
