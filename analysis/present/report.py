"""Executing the notebooks and writing self-contained HTML reports.

``python -m analysis report`` (and :func:`build`) runs every notebook of
``notebooks/`` with the given corpus and lexicon and writes, per notebook, two
HTML files into ``reports/``:

- ``NN-name.html``: for readers, without code;
- ``NN-name.code.html``: with code, for methods appendices and teaching;

plus ``index.html`` linking them all. The HTML opens offline: images are
embedded as base64 PNG, the stylesheet is inlined, and no script or style
is loaded from the network (a template without require.js, MathJax or
Mermaid, see ``analysis/present/templates/offline``).

Parameters reach a notebook the way papermill passes them: a cell tagged
``injected-parameters`` is inserted after the cell tagged ``parameters``,
assigning only the names that cell defines. Notebooks run in a kernel of the
current interpreter (``sys.executable``), whatever kernels Jupyter has
installed, so a fresh ``.venv`` works without registering a kernel.

Nothing is written until every notebook has run: a failing cell stops the
build with :class:`NotebookError` naming the notebook and the cell, and the
reports of an earlier run stay as they were. Each file is written to a
temporary file and renamed.
"""

from __future__ import annotations

import ast
import copy
import html
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

from analysis import errors
from analysis.config import PROJECT_DIR, REPORTS_DIR, Settings
from analysis.errors import AnalysisError, NotebookError, OutputError
from analysis.lexicon import load as load_lexicon
from analysis.present.output import write_atomically
from analysis.present.webfont import WEB_FONT, embed_font, embed_fonts
from analysis.text.corpus import read as read_corpus

NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
KERNEL_NAME = "zhgov-analysis-python"
#: Notebooks executed at the same time (each in its own kernel).
REPORT_JOBS = min(4, os.cpu_count() or 1)
#: Seconds one cell may run before the build stops.
CELL_TIMEOUT = 600


@dataclass(frozen=True)
class Report:
    """One executed notebook: where it came from and its two HTML renderings."""

    notebook: Path
    title: str
    html_code: str
    html_reader: str
    executed: Any = None

    @property
    def stem(self) -> str:
        return self.notebook.stem


def notebooks(folder: str | Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks (``NN-*.ipynb``) of a folder, in reading order.

    Examples
    --------
    >>> [p.name[:2] for p in notebooks()][:3]
    ['00', '01', '02']
    """
    return sorted(p for p in Path(folder).glob("[0-9][0-9]-*.ipynb") if p.is_file())


def parameter_names(nb: Any) -> list[str]:
    """Names assigned in the cell tagged ``parameters`` (empty if there is none).

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "corpus = 'a.txt'\\ntop_n = 20  # bars", metadata={"tags": ["parameters"]})])
    >>> parameter_names(nb)
    ['corpus', 'top_n']
    """
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            names = []
            for node in ast.parse(cell.source).body:
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                names.extend(t.id for t in targets if isinstance(t, ast.Name))
            return list(dict.fromkeys(names))
    return []


def parameterize(nb: Any, parameters: Mapping[str, Any]) -> Any:
    """A copy of ``nb`` with an ``injected-parameters`` cell after its ``parameters`` cell.

    Only names the parameters cell defines are assigned; others are ignored.
    Values must be Python literals (``repr`` round-trips).

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "top_n = 20", metadata={"tags": ["parameters"]}), nbformat.v4.new_code_cell("top_n")])
    >>> out = parameterize(nb, {"top_n": 5, "other": 1})
    >>> [c.source for c in out.cells]
    ['top_n = 20', '# Parameters\\ntop_n = 5', 'top_n']
    """
    nb = copy.deepcopy(nb)
    wanted = [n for n in parameter_names(nb) if n in parameters]
    if not wanted:
        return nb
    source = "# Parameters\n" + "\n".join(f"{name} = {parameters[name]!r}" for name in wanted)
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    cell["id"] = "injected-parameters"  # fixed, not random: the same parameters give the same HTML
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    nb.cells.insert(index + 1, cell)
    return nb


def _kernel_spec_dir() -> Path:
    """A temporary kernelspec running this very interpreter (the venv's python)."""
    root = Path(tempfile.mkdtemp(prefix="zhgov-kernel-"))
    spec = root / KERNEL_NAME
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python ({Path(sys.executable).parent.parent.name})",
        "language": "python",
        "metadata": {"debugger": False},
    }), encoding="utf-8")
    return root


def execute(path: str | Path, parameters: Mapping[str, Any] | None = None, *,
            timeout: int = CELL_TIMEOUT) -> Any:
    """Run a notebook top to bottom in a kernel of the current interpreter; return the executed notebook.

    Parameters
    ----------
    path : str or Path
        The ``.ipynb`` file (only read).
    parameters : mapping, optional
        Values for the names of its ``parameters`` cell.
    timeout : int
        Seconds one cell may take.

    Returns
    -------
    nbformat.NotebookNode
        With outputs; the kernel runs in the notebook's folder.

    Raises
    ------
    NotebookError
        If a cell raises: the message names the notebook, the cell (number
        and first line) and the error.
    """
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:
        raise NotebookError(f"{path}: cannot be read as a notebook ({exc})") from None
    nb = parameterize(nb, parameters or {})
    spec_dir = _kernel_spec_dir()
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONHASHSEED": "0",
           # the package is importable in the kernel even when not installed (kernel runs in notebooks/)
           "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR), *filter(None, [os.environ.get("PYTHONPATH")])])}
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # the kernel's own chatter
    try:
        km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec_dir)]))
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name=KERNEL_NAME,
                                resources={"metadata": {"path": str(path.parent)}}, allow_errors=False,
                                coalesce_streams=True)  # printed lines arrive in chunks that vary run to run
        number = 0
        with client.setup_kernel(env=env, stderr=log, stdout=log):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", []):
                    number += 1  # as the notebook's author counts them: injected cell not included
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
                    log.seek(0)
                    raise _cell_error(path, cell, number, exc, log.read()) from None
    finally:
        log.close()
        shutil.rmtree(spec_dir, ignore_errors=True)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _cell_error(path: Path, cell: Any, number: int, exc: Exception, log: str = "") -> NotebookError:
    errors_out = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    ename = errors_out[0].get("ename", type(exc).__name__) if errors_out else type(exc).__name__
    evalue = errors_out[0].get("evalue", "") if errors_out else str(exc).strip().splitlines()[-1:]
    if isinstance(evalue, list):
        evalue = " ".join(evalue)
    first = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")), "")
    user = isinstance(getattr(errors, ename, None), type) and issubclass(getattr(errors, ename), AnalysisError)
    injected = "injected-parameters" in cell.get("metadata", {}).get("tags", [])
    where = "the injected parameters cell" if injected else f"code cell {number} ({first.strip()[:60]})"
    if not errors_out and log.strip():  # the kernel died or hung: its last words help
        evalue = f"{evalue} (kernel said: {log.strip().splitlines()[-1][:200]})"
    return NotebookError(f"notebook {path.name}, {where}: {ename}: {evalue}", user_error=user)


def to_html(nb: Any, *, code: bool, title: str | None = None) -> str:
    """Render an executed notebook as self-contained HTML (images embedded, nothing from the network).

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook.
    code : bool
        Show the code cells (``True``) or only prose and outputs (``False``).
    title : str, optional
        The page title (default: the notebook's first heading).
    """
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name="offline",
        exclude_input=not code,
        exclude_input_prompt=not code,
        exclude_output_prompt=True,
        embed_images=True,
        language_code="zh",
    )
    nb = _without_injected(nb) if not code else nb
    resources = {"metadata": {"name": title or notebook_title(nb)}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body  # the web font is embedded once for all pages of a run (run())


def _without_injected(nb: Any) -> Any:
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    return nb


def notebook_title(nb: Any) -> str:
    """The text of the notebook's first Markdown heading (``#``), or ``"Report"``.

    Examples
    --------
    >>> import nbformat
    >>> notebook_title(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 概念频次报告\\n正文")]))
    '概念频次报告'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Report"


def run(
    *,
    corpus: str | Path | None = None,
    lexicon: str | Path | None = None,
    notebook_paths: Sequence[str | Path] | None = None,
    progress: Callable[[str], None] | None = None,
    keep_going: bool = False,
    failures: list[NotebookError] | None = None,
    corpus_settings: Mapping[str, Any] | None = None,
) -> list[Report]:
    """Run the notebooks with the given inputs and render them (nothing is written).

    Parameters
    ----------
    corpus : str or Path, optional
        The corpus (file, folder or table) for notebooks 00 and 02-04 (``corpus_path``
        parameter; notebook 03 gets it as its only ``corpora`` entry).
        Default: each notebook's own (the bundled data). A notebook whose
        metadata ``zhgov.requires_column`` names a column the corpus lacks
        (03 needs ``year``) is skipped, with a progress line saying so.
    lexicon : str or Path, optional
        The lexicon of every notebook (``lexicon_path``). Default: the bundled one.
    notebook_paths : sequence of paths, optional
        Notebooks to run. Default: :func:`notebooks`.
    progress : callable, optional
        Called with one line per step (e.g. printing to standard error).
    corpus_settings : mapping, optional
        Reading and cleaning settings for every notebook's corpus
        (:data:`analysis.config.CORPUS_SETTINGS`: ``text_column``, ``sheet``,
        ``keep_duplicates``, ``join_han_spaces``, ``simplified``).
    keep_going : bool, default False
        When a notebook fails, run the others and render those that worked;
        the failures are appended to ``failures`` instead of raised.
    failures : list, optional
        Receives the :class:`NotebookError` of each failed notebook (with ``keep_going``).

    Returns
    -------
    list of Report
        One per notebook run, with both HTML renderings and the executed notebook.

    Raises
    ------
    InputError, LexiconError
        A corpus or lexicon that cannot be read (checked before any notebook runs).
    NotebookError
        A notebook failed.
    """
    say = progress or (lambda line: None)
    parameters: dict[str, Any] = {}
    columns: set[str] | None = None
    if lexicon is not None:
        lexicon = Path(lexicon).resolve()
        load_lexicon(lexicon)  # fail early, with the project's message
        parameters["lexicon_path"] = str(lexicon)
    if corpus_settings:
        parameters["corpus_settings"] = dict(corpus_settings)
    if corpus is not None:
        corpus = Path(corpus).resolve()
        read_settings = Settings.of(**{k: v for k, v in (corpus_settings or {}).items() if k in ("text_column", "sheet")})
        columns = {"doc", *(key for document in read_corpus(corpus, read_settings) for key in document.meta)}
        parameters["corpus_path"] = str(corpus)
        parameters["corpora"] = {corpus.stem or corpus.name: str(corpus)}
        parameters["split"] = ""  # the user's years: split at the median
    paths = [Path(p) for p in notebook_paths] if notebook_paths is not None else notebooks()
    if not paths:
        raise NotebookError(f"no notebooks found in {NOTEBOOKS_DIR}; the notebooks/ folder of the project is missing")
    runnable = []
    for path in paths:
        needs = nbformat.read(path, as_version=4).metadata.get("zhgov", {}).get("requires_column")
        if columns is not None and needs and needs not in columns:
            say(f"skipping {path.name}: the corpus has no '{needs}' column (add it in MANIFEST.csv or the table)")
            continue
        runnable.append(path)

    def run_one(path: Path) -> Any:
        say(f"running {path.name} ...")
        return execute(path, parameters)

    # Each notebook has its own kernel, so they run side by side (a kernel's start-up is most of a short
    # notebook's time); results are taken in notebook order, so the reports do not depend on timing.
    with ThreadPoolExecutor(max_workers=max(1, min(len(runnable), REPORT_JOBS))) as pool:
        futures = [pool.submit(run_one, path) for path in runnable]
        reports = []
        for path, future in zip(runnable, futures):
            try:
                nb = future.result()
            except NotebookError as exc:
                if not keep_going:
                    for other in futures:
                        other.cancel()
                    raise
                say(f"failed {path.name}: {exc}")
                if failures is not None:
                    failures.append(exc)
                continue
            title = notebook_title(nb)
            reports.append(Report(path, title, to_html(nb, code=True, title=title), to_html(nb, code=False, title=title),
                                  nb))
    # One font subset for every page of the run: subsetting per page took as long as running a notebook.
    pages = embed_fonts([page for r in reports for page in (r.html_code, r.html_reader)])
    return [Report(r.notebook, r.title, code, reader, r.executed)
            for r, code, reader in zip(reports, pages[0::2], pages[1::2])]


def build(
    *,
    corpus: str | Path | None = None,
    lexicon: str | Path | None = None,
    output: str | Path | None = None,
    notebook_paths: Sequence[str | Path] | None = None,
    progress: Callable[[str], None] | None = None,
    corpus_settings: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Run the notebooks (:func:`run`) and write the HTML reports and ``index.html`` (:func:`write`).

    A notebook that fails does not keep the others from being written.

    Parameters
    ----------
    corpus, lexicon, notebook_paths, progress, corpus_settings
        As for :func:`run`.
    output : str or Path, optional
        Folder for the reports (created if needed). Default: ``reports/``.

    Returns
    -------
    list of Path
        The files written: two per notebook (``NN-name.html`` without code,
        ``NN-name.code.html`` with code), then ``index.html``.

    Raises
    ------
    InputError, LexiconError
        As :func:`run`; nothing is written then.
    ReportsIncomplete
        Some notebooks failed: the others were written (``written``), and
        ``failures`` holds one :class:`NotebookError` per failed notebook.
    OutputError
        The output folder cannot be written.
    """
    failures: list[NotebookError] = []
    reports = run(corpus=corpus, lexicon=lexicon, notebook_paths=notebook_paths, progress=progress,
                  keep_going=True, failures=failures, corpus_settings=corpus_settings)
    written = write(reports, Path(output) if output is not None else REPORTS_DIR) if reports else []
    if failures:
        raise ReportsIncomplete(failures, written)
    return written


class ReportsIncomplete(NotebookError):
    """Some notebooks failed; the reports of the others were written."""

    def __init__(self, failures: list[NotebookError], written: list[Path]):
        names = "; ".join(str(f) for f in failures)
        super().__init__(f"{len(failures)} notebook(s) failed: {names}",
                         user_error=all(f.user_error for f in failures))
        self.failures = failures
        self.written = written


def write(reports: Sequence[Report], folder: Path) -> list[Path]:
    """Write each report twice (reader and code version) and ``index.html``, each atomically."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the report folder ({exc.strerror}); choose another with -o") from None
    written = []
    for report in reports:
        for suffix, text in ((".html", report.html_reader), (".code.html", report.html_code)):
            written.append(_write_atomic(folder / f"{report.stem}{suffix}", text))
    written.append(_write_atomic(folder / "index.html", index_html(reports)))
    return written


def _write_atomic(target: Path, text: str) -> Path:
    write_atomically(target, lambda handle: handle.write(text.encode("utf-8")))
    return target


def index_html(reports: Sequence[Report]) -> str:
    """The page linking every report, reader and code version (no scripts, no network).

    Examples
    --------
    >>> page = index_html([Report(Path("02-concept-report.ipynb"), "概念 <报告>", "", "")])
    >>> 'href="02-concept-report.html"' in page, "概念 &lt;报告&gt;" in page
    (True, True)
    """
    rows = "\n".join(
        f'<li><a href="{html.escape(r.stem)}.html">{html.escape(r.title)}</a> '
        f'<span class="alt">（<a href="{html.escape(r.stem)}.code.html">含代码版 with code</a>）</span></li>'
        for r in reports
    )
    return embed_font(f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>报告目录 Reports</title>
<style>
body {{ font-family: "{WEB_FONT}", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
       max-width: 46em; margin: 3em auto; padding: 0 1em; line-height: 1.7; color: #222; }}
h1 {{ font-size: 1.6em; }}
li {{ margin: 0.6em 0; font-size: 1.1em; }}
.alt {{ font-size: 0.9em; color: #555; }}
a {{ color: #1f5f99; }}
</style>
</head>
<body>
<h1>报告目录 Reports</h1>
<p>每份报告有两个版本：不含代码的阅读版，以及含代码的版本（用于方法附录和教学）。所有文件均可离线打开。</p>
<ol>
{rows}
</ol>
</body>
</html>
""")
