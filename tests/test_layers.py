"""The package's folders are layers: no upward import, no circle, no private name across modules, ruff clean.

Layers, lowest first (a module may import its own layer and those below):

    base (config, chars, errors) < engine < text < lexicon < measure < present < cli
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.config import PACKAGE_DIR, PROJECT_DIR

LAYERS = ["base", "engine", "text", "lexicon", "measure", "present", "cli"]
#: Imports inside functions that are allowed: optional or heavy dependencies, imported only when used.
LAZY_ALLOWED = {
    ("analysis.__main__", "analysis.cli"),  # inside try: Ctrl-C while the modules load gives the one line
    ("analysis.cli", "analysis.present"),  # the report command alone needs nbconvert and jupyter_client
    ("analysis.cli", "analysis.measure"),  # measures of one command each (coding, reuse, discover ...): start-up
    ("analysis.engine.dask_cluster", "dask.bag"),  # optional extra
    ("analysis.engine.dask_cluster", "distributed"),  # optional extra
    ("analysis.engine.progress", "tqdm"),  # ~25 ms: only where a progress bar can be seen
    ("analysis.engine.progress", "tqdm.notebook"),  # imports IPython: only inside a notebook
    ("analysis.measure.segment", "jieba"),  # the reference backend, slow to import, rarely used
    ("analysis.measure.segment", "rjieba"),  # loads its dictionary at import: only when text is segmented
    ("analysis.measure.words", "stopwordsiso"),  # reads its lists at import: only when stopwords are needed
    ("analysis.measure.keyness", "scipy.special"),  # ~0.2 s: only when a comparison is made
    ("analysis.measure.agreement", "sklearn.metrics"),  # ~2 s: only when agreement is computed
    ("analysis.measure.reuse", "datasketch"),  # ~1 s: only when text reuse is searched
    ("analysis.measure.expand", "gensim.models"),  # ~1 s: only when word vectors are trained or read
    ("analysis.measure.discover", "rjieba"),  # loads its dictionary at import: only when words are filtered
    ("analysis.present.output", "openpyxl"),  # ~0.1 s: only when writing .xlsx
    ("analysis.present.output", "openpyxl.cell"),
    ("analysis.present.report", "nbconvert"),  # 0.25 s: the kernels start first, pages are rendered seconds later
    ("analysis.present.report", "analysis.lexicon"),  # with pandas, 0.3 s: the kernels start before inputs are checked
    ("analysis.present.report", "analysis.text.corpus"),
    ("analysis.present.report", "analysis.present"),  # images (numpy, Pillow): only when a notebook has run
    ("analysis.present.webfont", "fontTools"),  # with matplotlib (fonts), 0.25 s: a report's page writer leaves the
    ("analysis.present.webfont", "fontTools.ttLib"),  # cutting to a worker and starts without them
    ("analysis.present.webfont", "analysis.present"),
    ("analysis.present.paper_tables", "docx"),  # python-docx with lxml: only when writing .docx
    ("analysis.present.paper_tables", "docx.enum.section"),
    ("analysis.present.paper_tables", "docx.enum.text"),
    ("analysis.present.paper_tables", "docx.oxml"),
    ("analysis.present.paper_tables", "docx.oxml.ns"),
    ("analysis.present.paper_tables", "docx.shared"),
    ("analysis.present.paper_tables", "pypinyin"),  # loads its dictionaries at import: only when pinyin is asked for
    ("analysis.text.pdf", "pypdfium2"),  # the readers' libraries (0.07-0.2 s each): only when such a file is read
    ("analysis.text.word", "docx"),
    ("analysis.text.word", "docx.oxml.ns"),
    ("analysis.text.word", "docx.text.paragraph"),
    ("analysis.text.webpage", "trafilatura"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("config", "chars", "errors"):
        return "base"
    if parts[1] in ("cli", "__main__"):
        return "cli"
    return parts[1]


MODULES = {module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def imports(path: Path):
    """``(imported module, names, node, at module level)`` for every import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node, id(node) in top_level
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [a.name for a in node.names], node, id(node) in top_level


def targets(module: str, names: list[str]) -> list[str]:
    """The package modules an import statement reaches (``from analysis import corpus`` -> analysis.text.corpus)."""
    from analysis import _MODULES

    if module == "analysis":
        return [_MODULES.get(n, "analysis") for n in names]
    if module in MODULES:
        return [f"{module}.{n}" if f"{module}.{n}" in MODULES else module for n in names] or [module]
    return [module]


def test_every_module_is_in_a_known_layer():
    assert {layer_of(m) for m in MODULES} <= set(LAYERS), sorted({layer_of(m) for m in MODULES})


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_layer_above_its_own(module):
    if module == "analysis":  # the package's lazy re-exports (PEP 562) import nothing up front
        return
    mine = LAYERS.index(layer_of(module))
    for imported, names, node, _ in imports(MODULES[module]):
        if not imported.startswith("analysis"):
            continue
        for target in targets(imported, names):
            assert LAYERS.index(layer_of(target)) <= mine, (
                f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)}), line {node.lineno}")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_private_name_of_another(module):
    for imported, names, node, _ in imports(MODULES[module]):
        if imported.startswith("analysis") and imported != module:
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            assert not private, f"{module} imports {private} from {imported}, line {node.lineno}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_inside_functions_only_for_optional_or_heavy_dependencies(module):
    for imported, _, node, top in imports(MODULES[module]):
        if not top:
            assert (module, imported) in LAZY_ALLOWED, f"{module} imports {imported} inside a function, line {node.lineno}"


def test_no_circle_between_modules():
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        if module == "analysis":
            continue
        for imported, names, _, top in imports(path):
            if top and imported.startswith("analysis"):
                graph[module].update(t for t in targets(imported, names) if t in MODULES and t != module)
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def test_the_guard_catches_an_upward_and_a_private_import(tmp_path):
    source = "from analysis.present.tables import styled\nfrom analysis.measure.match import _typed\n"
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    found = [(m, n) for m, n, _, _ in imports(path)]
    assert ("analysis.present.tables", ["styled"]) in found
    assert LAYERS.index(layer_of("analysis.present.tables")) > LAYERS.index(layer_of("analysis.text.corpus"))
    assert any(n.startswith("_") for _, names in found for n in names)


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (it comes with the dev extra)")
    done = subprocess.run([ruff, "check", "analysis", "tests", "benchmarks", "tasks.py", "data/lexicon/tools"], cwd=PROJECT_DIR,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
