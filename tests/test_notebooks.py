"""The notebook suite: numbered, parameterised, free of logic, stored without outputs, and running clean.

Static checks read the ``.ipynb`` files; the execution checks share one run of
every notebook on the bundled data (``tests/notebook_runs.py``), made by the
same code as ``python -m analysis report``.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from analysis import report
from analysis.config import PROJECT_DIR
from tests import notebook_runs

NOTEBOOKS = report.notebooks()
IDS = [p.stem for p in NOTEBOOKS]


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def python_source(cell) -> str:
    """A cell's source with IPython magics (``%matplotlib inline``) blanked, so ``ast`` can read it."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines())


@pytest.fixture(scope="module")
def executed():
    reports, _ = notebook_runs.bundled()
    return {r.notebook.stem: r.executed for r in reports}


def test_the_suite_is_numbered_in_reading_order():
    assert IDS == ["00-index", "01-quickstart", "02-concept-report", "03-trends", "04-context", "06-policy-tools"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_has_one_parameters_cell_with_paths_from_config(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in code_cells(nb) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = report.parameter_names(nb)
    assert names, "the parameters cell assigns nothing"
    # paths come from analysis.config, never from the working directory or a user's disk
    assert "config." in tagged[0].source or not any(n.endswith("path") for n in names)
    assert not re.search(r"[\"'](/|[A-Za-z]:\\)", tagged[0].source), "absolute path in the parameters cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_defines_no_functions_or_classes(path):
    nb = nbformat.read(path, as_version=4)
    for cell in code_cells(nb):
        tree = ast.parse(python_source(cell))
        defined = [type(n).__name__ for n in ast.walk(tree)
                   if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
        assert not defined, f"{path.name}: {defined} in cell:\n{cell.source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in code_cells(nb):
        assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_opens_with_a_title_and_narrates_in_chinese_with_english_headings(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## ")]
    assert headings
    for heading in headings:
        assert re.search(r"[\u4e00-\u9fff]", heading) and re.search(r"[A-Za-z]", heading), heading


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_paired_percent_script_matches_the_notebook(path):
    jupytext = pytest.importorskip("jupytext")
    script = path.with_suffix(".py")
    if not script.exists():
        pytest.skip("no paired .py")
    paired = jupytext.read(script)
    nb = nbformat.read(path, as_version=4)
    assert [(c.cell_type, c.source) for c in paired.cells] == [(c.cell_type, c.source) for c in nb.cells]


def test_injected_parameters_follow_the_parameters_cell_and_only_set_declared_names():
    nb = nbformat.read(PROJECT_DIR / "notebooks" / "02-concept-report.ipynb", as_version=4)
    out = report.parameterize(nb, {"top_n": 5, "corpora": {"x": "y"}})
    index = next(i for i, c in enumerate(out.cells) if "parameters" in c.metadata.get("tags", []))
    injected = out.cells[index + 1]
    assert injected.metadata["tags"] == ["injected-parameters"]
    assert injected.source == "# Parameters\ntop_n = 5"
    assert len(out.cells) == len(nb.cells) + 1


@pytest.mark.parametrize("name", IDS)
def test_notebook_runs_top_to_bottom_without_errors_or_warnings(executed, name):
    nb = executed[name]
    outputs = [o for c in code_cells(nb) for o in c.outputs]
    assert outputs
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, stderr
    assert all(c.execution_count for c in code_cells(nb))


def test_quickstart_shows_jieba_splitting_and_what_deduplication_changes(executed):
    nb = executed["01-quickstart"]
    html = "".join(o.get("data", {}).get("text/html", "") + o.get("text", "")
                   for c in code_cells(nb) for o in c.outputs)
    assert "党建/引领" in html and "协商/民主" in html
    assert "基层 / 党建 / 引领 / 社区 / 治理" in html and "基层 / 党建引领 / 社区治理" in html
    # the sample essay repeats 7 of its 16 lines: 党建引领 4 times once, 7 times with the copies
    last = code_cells(nb)[-2].outputs[0]["data"]["text/html"]
    assert re.search(r">党建引领<.*?>4<.*?>7<", last, re.S)


def test_figures_are_embedded_as_png(executed):
    for name in ("02-concept-report", "03-trends", "04-context", "06-policy-tools"):
        images = [o for c in code_cells(executed[name]) for o in c.outputs if "image/png" in o.get("data", {})]
        assert len(images) >= 2, name


@pytest.mark.parametrize("name, value, expected", [
    ("keep_duplicates", "no", "parameter keep_duplicates must be True or False, not 'no'"),
    ("top_n", "abc", "parameter top_n must be a whole number, not 'abc'"),
])
def test_notebook_parameters_of_the_wrong_type_stop_with_one_bilingual_sentence(name, value, expected):
    from analysis import report
    from analysis.errors import NotebookError

    with pytest.raises(NotebookError) as caught:
        report.execute(next(p for p in NOTEBOOKS if p.stem == "02-concept-report"), {name: value})
    message = str(caught.value)
    assert caught.value.user_error and expected in message and f"参数 {name}" in message
    assert "code cell 3 (config.check_parameters(" in message  # imports, parameters, then the check
