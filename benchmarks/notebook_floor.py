"""The notebook machinery floor: four trivial notebooks run and rendered the way run_all.py does.

    python benchmarks/notebook_floor.py WORK_DIR

Each notebook imports pandas and matplotlib and draws one chart. They go through run_all.py's
own machinery: citylinks.pipeline.execute_stage runs each (papermill with run_all.py's options,
the kernel stopped at once when its notebook is done), and the side process of `start_drafter`
renders each page with citylinks' template while the next one runs; the pages get their
provenance at the end. This process skips the JSON-schema format grammar as run_all.py does. Whatever run_all.py spends beyond this is the
project's own cost. Prints one line per notebook, like run_all.py: `[1/4] floor-1: done in 2.1 s`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

NOTEBOOKS = 4
PARAMETERS = "points = 10  # how many points the chart draws"
IMPORTS = "import matplotlib.pyplot as plt\nimport pandas as pd"
CHART = (
    "ax = pd.Series(range(points), name='value').plot(title='A trivial chart')\n"
    "ax.set_xlabel('step (count)')\n"
    "ax.set_ylabel('value (count)')\n"
    "plt.show()"
)


def write_notebooks(folder: Path, *, count: int = NOTEBOOKS) -> list[Path]:
    """Write `count` trivial notebooks (title, parameters, imports, one chart) into a folder."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        nb = new_notebook(
            cells=[
                new_markdown_cell(f"# Floor {i}\nA trivial notebook: one chart."),
                new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
                new_code_cell(IMPORTS),
                new_markdown_cell("## The chart"),
                new_code_cell(CHART),
            ],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"},
            },
        )
        path = folder / f"{i:02d}-floor-{i}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def run_floor(folder: Path) -> float:
    """Execute and render the trivial notebooks; return the seconds it took (imports included)."""
    started = time.perf_counter()
    from citylinks.pipeline import execute_stage, skip_format_grammar, start_drafter

    skip_format_grammar()
    from citylinks.publish import draft_page, fill_provenance

    notebooks = write_notebooks(folder / "notebooks")
    executed = folder / "executed"
    executed.mkdir(exist_ok=True)
    reports = [(f"{notebook.stem}.html", notebook.stem) for notebook in notebooks]
    drafter = start_drafter()
    drafts = []
    for n, notebook in enumerate(notebooks, start=1):
        t0 = time.perf_counter()
        execute_stage(notebook, executed / notebook.name, {"points": 12}, timeout=600)
        name = notebook.stem.split("-", 1)[1]
        print(
            f"[{n}/{len(notebooks)}] {name}: done in {time.perf_counter() - t0:.1f} s", flush=True
        )
        drafts.append(drafter.submit(draft_page, executed / notebook.name, reports=reports))
    info = {"seconds": time.perf_counter() - started}
    for draft, (href, _) in zip(drafts, reports, strict=True):
        (folder / href).write_text(fill_provenance(draft.result(), info), encoding="utf-8")
    drafter.shutdown()
    total = time.perf_counter() - started
    print(f"Reports written to {folder} in {total:.1f} s", flush=True)
    return total


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: python benchmarks/notebook_floor.py WORK_DIR")
    run_floor(Path(sys.argv[1]))
