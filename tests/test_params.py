"""Parameters: checks with clear messages, and one source of truth for notebooks and README."""

from __future__ import annotations

import ast

import nbformat
import pytest

from citylinks.errors import ParameterError
from citylinks.params import PARAMS, PATH_PARAMS, check_window, parse_param
from citylinks.paths import NOTEBOOK_DIR, ROOT
from citylinks.pipeline import list_stages


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("period", "quarter", "quarter"),
        ("top_sectors", "10", 10),
        ("max_file_mb", "2.5", 2.5),
        ("start", "2024-01-31", "2024-01-31"),
        ("end", "", ""),
    ],
)
def test_good_values_are_parsed(name, raw, value):
    assert parse_param(name, raw) == value


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("colour", "red", "unknown parameter 'colour'; valid names: end, furniture_min_articles"),
        ("period", "fortnight", "must be one of auto, month, quarter, year"),
        ("start", "yesterday", "must be a date as YYYY-MM-DD"),
        ("start", "2024-02-31", "must be a date as YYYY-MM-DD"),
        ("top_sectors", "many", "must be a whole number"),
        ("top_sectors", "0", "must be at least 1"),
        ("max_file_mb", "-1", "must not be negative"),
        ("partner_level", "street", "must be one of district, city, province, country"),
    ],
)
def test_bad_values_say_what_is_wrong(name, raw, message):
    with pytest.raises(ParameterError, match=message):
        parse_param(name, raw)


def test_empty_date_window_is_refused():
    with pytest.raises(ParameterError, match="is after end"):
        check_window({"start": "2024-05-01", "end": "2024-01-01"})


def parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    return cells[0].source


@pytest.mark.parametrize("notebook", list_stages(), ids=lambda p: p.name)
def test_notebook_parameters_are_plain_literals_matching_the_defaults(notebook):
    tree = ast.parse(parameters_cell(notebook))
    for node in tree.body:
        assert isinstance(node, ast.Assign), f"{notebook.name}: only assignments in parameters"
        name = node.targets[0].id
        value = ast.literal_eval(node.value)  # plain literals only
        if name in PATH_PARAMS:
            continue
        assert name in PARAMS, f"{notebook.name} declares {name}, unknown to citylinks.params"
        assert value == PARAMS[name].default, f"{notebook.name}: {name} default differs"


def test_every_parameter_is_used_by_some_notebook_and_documented():
    declared = set()
    for notebook in list_stages():
        declared |= {n.targets[0].id for n in ast.parse(parameters_cell(notebook)).body}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, spec in PARAMS.items():
        assert name in declared or not (NOTEBOOK_DIR / "03-partner-engagement.ipynb").exists(), name
        assert f"| `{name}` | `{spec.default!r}` |" in readme, f"README lacks {name}"


def test_notebooks_are_committed_without_outputs():
    for notebook in list_stages():
        nb = nbformat.read(notebook, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, notebook.name
                assert "def " not in cell.source, f"{notebook.name}: a def belongs in the package"


@pytest.mark.parametrize("notebook", list_stages(), ids=lambda p: p.name)
def test_papermill_reads_every_parameter_with_its_comment(notebook):
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    source_names = [n.targets[0].id for n in ast.parse(parameters_cell(notebook)).body]
    assert list(declared) == source_names  # papermill skips lines it cannot parse
    for name, info in declared.items():
        assert info["help"], f"{notebook.name}: {name} needs a short comment"
