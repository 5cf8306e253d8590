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

# ruff: noqa: E402
from __future__ import annotations

import ast
import base64
import copy
import html
import json
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.present.jsonschema_import import import_jsonschema

import_jsonschema()  # before nbformat, which imports it: 1.6 s less (so the imports below come after code)

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from analysis import errors
from analysis.config import PROJECT_DIR, REPORTS_DIR, Settings
from analysis.errors import AnalysisError, NotebookError, OutputError
from analysis.present import page_text, run_order
from analysis.present.atomic import write_atomically
from analysis.present.report_options import unknown_concepts_notice
from analysis.present.webfont import WEB_FONT, FontCuts, embed_font

# nbconvert, pandas (with the lexicon and corpus readers) and numpy are imported where first needed:
# run() starts the kernels first, and they start up while this process imports those (~0.6 s).

NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
KERNEL_NAME = "zhgov-analysis-python"
#: Notebooks executed at the same time (each thread with its own kernel, see :class:`Kernel`).
REPORT_JOBS = min(4, os.cpu_count() or 1)
#: Whether the notebooks one thread runs share its kernel (:class:`Kernel`), or each starts its own.
REUSE_KERNELS = True
#: Seconds one cell may run before the build stops.
CELL_TIMEOUT = 600
#: Cells the report adds to every notebook it runs (not shown on the pages): set-up first, the page's facts last.
SETUP_TAG, FACTS_TAG, HEADER_TAG = "zhgov-setup", "zhgov-facts", "zhgov-header"
ADDED_TAGS = ("injected-parameters", SETUP_TAG, FACTS_TAG)


@dataclass(frozen=True)
class Report:
    """One executed notebook: where it came from and its two HTML renderings."""

    notebook: Path
    title: str
    html_code: str
    html_reader: str
    executed: Any = None
    facts: Any = None
    skipped: str | None = None

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
        # no input history (a report is not a session to recall; cells counted from 1 again in a reused kernel)
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--HistoryManager.enabled=False"],
        "display_name": f"Python ({Path(sys.executable).parent.parent.name})",
        "language": "python",
        "metadata": {"debugger": False},
    }), encoding="utf-8")
    return root


class Kernel:
    """A kernel of the current interpreter that runs one notebook after another, each as in a new kernel.

    Starting a kernel and importing the project's modules takes about two
    seconds of a processor; a report of several notebooks pays it once per
    notebook thread instead of once per notebook. Before each notebook but
    the first, :meth:`reset` empties the namespace (``%reset -f``), closes
    figures, lets every warning be shown again, counts cells from 1 and
    enters the notebook's folder: the pages are those of one kernel per
    notebook (test). A kernel that died is started again.
    """

    def __init__(self) -> None:
        self.spec_dir = _kernel_spec_dir()
        self.manager = KernelManager(kernel_name=KERNEL_NAME,
                                     kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(self.spec_dir)]))
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # the kernel's own chatter
        self.used = False
        self.connection: Any = None  # the kernel client of the notebooks before, connected and answered
        self.folder: Path | None = None  # where start() started it

    def start(self, folder: Path) -> Kernel:
        """Start the kernel process in ``folder`` now, without waiting for it (the first notebook's client waits)."""
        if not self.manager.has_kernel:
            self.manager.start_kernel(cwd=str(folder), **self.start_arguments())
            self.folder = folder.resolve()
        return self

    def client_for(self, nb: Any, folder: Path, *, timeout: int) -> NotebookClient:
        """A client running ``nb`` in this kernel (started in ``folder`` if not running).

        The notebooks after the first use the first one's connection: a new
        connection waits for the kernel's answer and for a message on its
        output channel (0.4 s a notebook, most of it a 0.2 s wait).
        """
        if self.manager.has_kernel and not self.manager.is_alive():
            self.manager.cleanup_resources()
            self.used = False
            self._disconnect()
        client = NotebookClient(nb, km=self.manager, timeout=timeout, kernel_name=KERNEL_NAME,
                                resources={"metadata": {"path": str(folder)}}, allow_errors=False,
                                coalesce_streams=True)  # printed lines arrive in chunks that vary run to run
        client.kc = self.connection  # None: the client connects when it sets the kernel up
        return client

    def keep_connection(self, client: NotebookClient) -> None:
        """Keep ``client``'s connection to the kernel (after it set the kernel up) for the next notebook."""
        self.connection = client.kc

    def _disconnect(self) -> None:
        if self.connection is not None:
            self.connection.stop_channels()
            self.connection = None

    def start_arguments(self) -> dict:
        """How the kernel process starts (used only when it is not running)."""
        env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONHASHSEED": "0", page_text.REPORT_RUN: "1",
               # the package is importable in the kernel even when not installed (kernel runs in notebooks/)
               "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR), *filter(None, [os.environ.get("PYTHONPATH")])])}
        return {"env": env, "stderr": self.log, "stdout": self.log}

    def reset(self, client: NotebookClient, folder: Path) -> None:
        """Make a kernel that ran a notebook before look new to the next one (in ``folder``).

        A kernel not used yet only enters ``folder`` if :meth:`start` started it elsewhere.
        """
        folder = folder.resolve()
        code = _RESET if self.used else _ENTER if self.folder not in (None, folder) else None
        if code is not None:  # silently: no cell, no count, no output
            reply = client.wait_for_reply(client.kc.execute(code % {"folder": str(folder)}, silent=True,
                                                            store_history=False))
            if reply is None or reply["content"].get("status") != "ok":
                content = (reply or {}).get("content", {})
                raise NotebookError(f"the report's kernel could not be reset for the next notebook "
                                    f"({content.get('ename', 'no answer')}: {content.get('evalue', '')})")
        self.used = True

    def close(self) -> None:
        """Shut the kernel down and remove its files."""
        try:
            self._disconnect()
            if self.manager.has_kernel:
                self.manager.shutdown_kernel(now=True)
        finally:
            self.log.close()
            shutil.rmtree(self.spec_dir, ignore_errors=True)


#: Run silently between two notebooks in one kernel.
_RESET = """\
get_ipython().run_line_magic("reset", "-f")
import os as _os, warnings as _warnings, matplotlib.pyplot as _plt
_plt.close("all")
with _warnings.catch_warnings():  # warnings already shown once are shown again
    pass
_os.chdir(%(folder)r)
del _os, _warnings, _plt
get_ipython().execution_count = 1
"""


#: Run silently before the first notebook in a kernel started elsewhere (:meth:`Kernel.start`).
_ENTER = """\
import os as _os
_os.chdir(%(folder)r)
del _os
"""


def with_page_cells(nb: Any, *, title: str | None = None) -> Any:
    """A copy of ``nb`` with the report's own cells: :func:`analysis.present.page.setup` first, the page's facts last.

    Every numbered notebook gets them, so every page has the same header
    without a line of it in the notebook.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("top_n = 20", metadata={"tags": ["parameters"]})])
    >>> [c.metadata["tags"] for c in with_page_cells(nb).cells]
    [['zhgov-setup'], ['parameters'], ['zhgov-facts']]
    """
    nb = copy.deepcopy(nb)
    names = parameter_names(nb)
    setup = nbformat.v4.new_code_cell("from analysis.present import page as _zhgov_page\n_zhgov_page.setup()",
                                      metadata={"tags": [SETUP_TAG]})
    facts = nbformat.v4.new_code_cell(f"_zhgov_page.display_facts(globals(), {names!r}, title={title!r})",
                                      metadata={"tags": [FACTS_TAG]})
    setup["id"], facts["id"] = SETUP_TAG, FACTS_TAG
    nb.cells = [setup, *nb.cells, facts]
    return nb


def execute(path: str | Path, parameters: Mapping[str, Any] | None = None, *,
            timeout: int = CELL_TIMEOUT, title: str | None = None, kernel: Kernel | None = None) -> Any:
    """Run a notebook top to bottom in a kernel of the current interpreter; return the executed notebook.

    Parameters
    ----------
    path : str or Path
        The ``.ipynb`` file (only read).
    parameters : mapping, optional
        Values for the names of its ``parameters`` cell.
    timeout : int
        Seconds one cell may take.
    kernel : Kernel, optional
        A kernel to run it in, as if new (:class:`Kernel`); default: a new kernel, shut down afterwards.

    Returns
    -------
    nbformat.NotebookNode
        With outputs (charts as palette PNG, :func:`with_compact_images`); the kernel runs in the notebook's folder.

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
    nb = with_page_cells(parameterize(nb, parameters or {}), title=title)
    own = kernel is None
    kernel = Kernel() if own else kernel
    try:
        client = kernel.client_for(nb, path.parent, timeout=timeout)
        said = kernel.log.tell()
        number = 0
        with client.setup_kernel(**kernel.start_arguments()):
            kernel.keep_connection(client)
            kernel.reset(client, path.parent)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code" and not set(ADDED_TAGS) & set(cell.metadata.get("tags", [])):
                    number += 1  # as the notebook's author counts them: injected cell not included
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
                    kernel.log.seek(said)
                    raise _cell_error(path, cell, number, exc, kernel.log.read()) from None
    finally:
        if own:
            kernel.close()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return with_compact_images(nb)


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


def with_compact_images(nb: Any) -> Any:
    """The executed notebook with every PNG output stored as a palette PNG (:func:`analysis.present.images.compact_png`).

    Same pixels and size on the page, about a third of the bytes; the notebook given is not changed.

    Examples
    --------
    >>> import base64, io, nbformat
    >>> from PIL import Image
    >>> buffer = io.BytesIO(); Image.new("RGB", (40, 20), "#2F5F8A").save(buffer, format="PNG")
    >>> cell = nbformat.v4.new_code_cell("chart", outputs=[nbformat.v4.new_output(
    ...     "display_data", data={"image/png": base64.b64encode(buffer.getvalue()).decode("ascii")})])
    >>> small = with_compact_images(nbformat.v4.new_notebook(cells=[cell]))
    >>> Image.open(io.BytesIO(base64.b64decode(small.cells[0].outputs[0].data["image/png"]))).mode
    'P'
    """
    from analysis.present import images

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                png = base64.b64decode(data["image/png"])
                data["image/png"] = base64.b64encode(images.compact_png(png)).decode("ascii")
    return nb


def page_facts(nb: Any) -> dict | None:
    """The facts the notebook's last (added) cell displayed (:func:`analysis.present.page.facts`), or None."""
    for cell in nb.cells:
        if FACTS_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                if page_text.FACTS_MIME in output.get("data", {}):
                    return dict(output["data"][page_text.FACTS_MIME])
    return None


_EXPORTERS = threading.local()


def _exporter(code: bool) -> Any:
    """This thread's HTML exporter with or without code: made once, since it compiles its templates when first
    used (about 0.14 s a page otherwise)."""
    made = _EXPORTERS.__dict__.setdefault("by_code", {})
    if code not in made:
        from nbconvert import HTMLExporter

        made[code] = HTMLExporter(
            extra_template_basedirs=[str(TEMPLATES_DIR)],
            template_name="offline",
            exclude_input=not code,
            exclude_input_prompt=not code,
            exclude_output_prompt=True,
            embed_images=True,
            language_code="zh",
        )
    return made[code]


def to_html(nb: Any, *, code: bool, title: str | None = None, stem: str = "") -> str:
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
    exporter = _exporter(code)
    facts = page_facts(nb)
    nb = _without_added(nb, keep_parameters=code)
    if facts is not None:
        first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), -1)
        slot = nbformat.v4.new_raw_cell(f'<div id="{HEADER_TAG}"></div>', metadata={"format": "text/html"})
        slot["id"] = HEADER_TAG
        nb.cells.insert(first + 1, slot)
    resources = {"metadata": {"name": (facts or {}).get("title") or title or notebook_title(nb)}}
    slots = _set_aside_html_outputs(nb)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    if slots:
        body = re.sub(r'<div data-zhgov-slot="[0-9a-f]{32}-\d+"></div>', lambda m: slots.pop(m.group(0), m.group(0)), body)
    if facts is not None:
        headings = [(anchor, re.sub(r"<[^>]+>", "", text).strip()) for anchor, text in
                    re.findall(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', body, re.S)]
        header = page_text.header_html(facts, stem=stem, code=code, toc=[(a, html.unescape(t)) for a, t in headings])
        body = body.replace(f'<div id="{HEADER_TAG}"></div>', header, 1)
    return body  # run() embeds the web font: one subset for both versions of a report


_BETWEEN_TAGS = re.compile(r">(\s+)<")
_BEFORE_TAG_END = re.compile(r"(<[a-zA-Z][^<>]*?)\s+>")
_WHITESPACE_MATTERS = re.compile(r"<(pre|textarea|script)\b", re.I)


def _tidy(fragment: str) -> str:
    """Whitespace between tags and before a tag's ``>`` shortened as BeautifulSoup writes it (same elements)."""
    fragment = _BETWEEN_TAGS.sub(lambda m: ">\n<" if "\n" in m.group(1) else "> <", fragment)
    return _BEFORE_TAG_END.sub(r"\1>", fragment)


def _set_aside_html_outputs(nb: Any) -> dict[str, str]:
    """Replace each HTML output without images by an empty slot; return ``{slot: HTML}`` to put back after conversion.

    nbconvert parses the whole page it made with BeautifulSoup (to give
    images alt text and cells a tab stop) and writes it out again: on a page
    with a large table that is most of the conversion's time. The tables and
    prose our cells display have no images and get neither change, so they
    wait outside and the page's elements are the same. Whitespace between
    two tags and before a tag's end is shortened as BeautifulSoup does
    (:func:`_tidy`), which keeps pandas' indented tables small; its other
    rewriting of markup (``<br/>`` for ``<br>``) does not change the
    elements and is skipped. Fragments with ``pre``, ``textarea`` or
    ``script`` elements, whose whitespace matters, are kept as they are.
    """
    slots: dict[str, str] = {}
    token = uuid.uuid4().hex  # no text of the page can name a slot
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            fragment = data.get("text/html")
            fragment = "".join(fragment) if isinstance(fragment, list) else fragment
            if isinstance(fragment, str) and "<img" not in fragment.lower():
                slot = f'<div data-zhgov-slot="{token}-{len(slots)}"></div>'
                slots[slot] = fragment if _WHITESPACE_MATTERS.search(fragment) else _tidy(fragment)
                data["text/html"] = slot
    return slots


def _without_added(nb: Any, *, keep_parameters: bool) -> Any:
    """The notebook without the cells the report added (the injected parameters stay in the code version)."""
    nb = copy.deepcopy(nb)
    added = [SETUP_TAG, FACTS_TAG] + ([] if keep_parameters else ["injected-parameters"])
    injected = next((c for c in nb.cells if "injected-parameters" in c.get("metadata", {}).get("tags", [])), None)
    given = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    nb.cells = [c for c in nb.cells if not set(added) & set(c.get("metadata", {}).get("tags", []))]
    if keep_parameters and injected is not None and given is not None:
        # one cell with the values this page was made with; no folders of the machine it was made on
        given.source = page_text.without_local_paths(effective_parameters(given.source, injected.source))
        nb.cells = [c for c in nb.cells if c is not injected]
    return nb


def effective_parameters(defaults: str, injected: str) -> str:
    """The parameters cell as the page ran it: each default the report replaced shows the value it gave.

    Examples
    --------
    >>> print(effective_parameters("top_n = 20  # rows\\nseed = 7  # layout", "# Parameters\\ntop_n = 5"))
    top_n = 5  # given to this report
    seed = 7  # layout
    """
    values = {}
    for node in ast.parse(injected).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.get_source_segment(injected, node.value)
    lines = defaults.splitlines()
    out: list[str] = []
    done = 0
    for node in ast.parse(defaults).body:
        out.extend(lines[done:node.lineno - 1])  # comments and blank lines between statements
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        name = target.id if isinstance(target, ast.Name) else None
        if name in values:
            out.append(f"{name} = {values[name]}  # given to this report")
        else:
            out.extend(lines[node.lineno - 1:node.end_lineno])
        done = node.end_lineno
    out.extend(lines[done:])
    return "\n".join(out)


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
    options: Mapping[str, Any] | None = None,
    cuts: FontCuts | None = None,
) -> list[Report]:
    """Run the notebooks with the given inputs and render them (nothing is written).

    Parameters
    ----------
    corpus : str or Path, optional
        The corpus (file, folder or table) for notebooks 00 and 02-04 (``corpus_path``
        parameter; notebook 03 gets it as its only ``corpora`` entry).
        Default: each notebook's own (the bundled data). A notebook whose
        metadata ``zhgov.requires_column`` names a column the corpus lacks
        (03 needs ``year``) is skipped, with a progress line saying so; so is
        one whose metadata says ``zhgov.sample_only`` (01 teaches on the
        bundled sample essay, 07's classroom exercise on the bundled corpora),
        so that no page is about other texts.
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
    cuts : FontCuts, optional
        Where the pages' fonts are cut (made before any thread is started);
        the index page's font (:func:`index_page`) is submitted to it too,
        for :func:`write`. Default: a cutter of this run.
    options : mapping, optional
        Notebook parameters the reader chose (:func:`analysis.present.report_options.notebook_parameters`:
        ``query``, ``selected``, ``split``, ``top_n``, ``min_count``) and ``title``, the title
        every page header and the index show. Each notebook takes those its
        parameters cell defines. Concepts of ``selected`` the lexicon lacks
        are named in a progress line with the closest it has.

    Returns
    -------
    list of Report
        One per notebook run, with both HTML renderings, the executed notebook and the page's facts.

    Raises
    ------
    InputError, LexiconError
        A corpus or lexicon that cannot be read (checked before any notebook runs).
    NotebookError
        A notebook failed.
    """
    say = progress or (lambda line: None)
    paths = [Path(p) for p in notebook_paths] if notebook_paths is not None else notebooks()
    # Each report's font is cut in a worker process while the next notebooks run (made before any thread or kernel).
    own_cuts = cuts is None
    cuts = FontCuts() if cuts is None else cuts
    # The kernels start up (about a second) while the inputs are checked; a notebook thread takes one of them.
    kernels: list[Kernel] = []
    started: queue.SimpleQueue[Kernel] = queue.SimpleQueue()
    try:
        for _ in range(min(len(paths), REPORT_JOBS) if REUSE_KERNELS else 0):
            kernels.append(Kernel())
            started.put(kernels[-1].start(paths[0].parent))
        parameters, title, runnable, skipped = _notebooks_to_run(paths, corpus=corpus, lexicon=lexicon, say=say,
                                                                 corpus_settings=corpus_settings, options=options)
        local = threading.local()
        seconds: dict[str, float] = {}

        def run_one(path: Path) -> Any:
            say(f"running {path.name} ...")
            begun = time.perf_counter()
            if not REUSE_KERNELS:
                nb = execute(path, parameters, title=title)
            else:
                if getattr(local, "kernel", None) is None:
                    try:
                        local.kernel = started.get_nowait()
                    except queue.Empty:
                        local.kernel = Kernel()
                        kernels.append(local.kernel)
                nb = execute(path, parameters, title=title, kernel=local.kernel)
            seconds[path.name] = time.perf_counter() - begun
            return nb

        # Notebooks run side by side, each thread in its own kernel (a kernel's start-up is most of a short
        # notebook's time), longest first by their last run's times; each is rendered as it finishes, and the
        # pages are put in notebook order, so the reports do not depend on timing.
        with ThreadPoolExecutor(max_workers=max(1, min(len(runnable), REPORT_JOBS))) as pool:
            futures = {pool.submit(run_one, path): path for path in run_order.longest_first(runnable)}
            reports, failed = [], []
            for future in as_completed(futures):
                path = futures[future]
                try:
                    nb = future.result()
                except NotebookError as exc:
                    if not keep_going:
                        for other in futures:
                            other.cancel()
                        raise
                    say(f"failed {path.name}: {exc}")
                    failed.append((runnable.index(path), exc))
                    continue
                name = notebook_title(nb)
                report = Report(path, name, to_html(nb, code=True, title=name, stem=path.stem),
                                to_html(nb, code=False, title=name, stem=path.stem), nb, page_facts(nb))
                cuts.submit(report.stem, [report.html_code, report.html_reader])
                reports.append(report)
        run_order.remember(seconds)
        if failures is not None:
            failures.extend(exc for _, exc in sorted(failed, key=lambda failure: failure[0]))
        for path, (name, reason) in skipped.items():
            text = skipped_html(name, reason, title=title)
            reports.append(Report(path, name, text, text, skipped=reason))
        reports.sort(key=lambda r: r.stem)
        if not own_cuts:  # cut beside the last report's font
            cuts.submit(INDEX_PAGE, [index_page(reports)])
        # each report carries a font with only its own characters (both versions: one subset)
        return [Report(r.notebook, r.title, *cuts.embed(r.stem, [r.html_code, r.html_reader]), r.executed, r.facts,
                       r.skipped) for r in reports]
    finally:
        for kernel in kernels:
            kernel.close()
        if own_cuts:
            cuts.close()


def _notebooks_to_run(paths: list[Path], *, corpus: str | Path | None, lexicon: str | Path | None,
                      say: Callable[[str], None], corpus_settings: Mapping[str, Any] | None,
                      options: Mapping[str, Any] | None) -> tuple[dict[str, Any], str | None, list[Path], dict]:
    """The inputs checked (:func:`run`): the notebooks' parameters, the title, the notebooks to run and those skipped."""
    from analysis.lexicon import load as load_lexicon
    from analysis.text.corpus import read as read_corpus

    chosen = dict(options or {})
    title = chosen.pop("title", None)
    parameters: dict[str, Any] = {}
    columns: set[str] | None = None
    if lexicon is not None:
        lexicon = Path(lexicon).resolve()
        parameters["lexicon_path"] = str(lexicon)
    lex = load_lexicon(lexicon)  # fail early, with the project's message
    if chosen.get("selected"):
        notice = unknown_concepts_notice(list(chosen["selected"]), list(lex.table.concept))
        if notice:
            say(f"提示：{notice}")
    if corpus_settings:
        parameters["corpus_settings"] = dict(corpus_settings)
    if corpus is not None:
        corpus = Path(corpus).resolve()
        read_settings = Settings.of(**{k: v for k, v in (corpus_settings or {}).items() if k in ("text_column", "sheet")})
        columns = {"doc", *(key for document in read_corpus(corpus, read_settings) for key in document.meta)}
        parameters["corpus_path"] = str(corpus)
        parameters["corpora"] = {corpus.stem or corpus.name: str(corpus)}
        parameters["split"] = ""  # the user's years: split at the median
    parameters.update(chosen)
    if not paths:
        raise NotebookError(f"no notebooks found in {NOTEBOOKS_DIR}; the notebooks/ folder of the project is missing")
    runnable, skipped = [], {}
    for path in paths:
        source = nbformat.read(path, as_version=4)
        declared = source.metadata.get("zhgov", {})
        needs = declared.get("requires_column")
        if corpus is not None and declared.get("sample_only"):
            say(f"skipping {path.name}: it teaches on the bundled sample only, and this report is about {corpus.name}")
            skipped[path] = (notebook_title(source), "这是教学笔记本，始终用项目自带的示例数据讲解；本次报告只分析你给出的语料，"
                                                     "所以不生成。不加 --corpus 运行 report 即可得到它。")
            continue
        if columns is not None and needs and needs not in columns:
            say(f"skipping {path.name}: the corpus has no '{needs}' column (add it in MANIFEST.csv or the table)")
            skipped[path] = (notebook_title(source), f"语料没有“{needs}”列，所以不生成本报告。请在 MANIFEST.csv（或表格）中为每个文件"
                                                     f"写上 {needs}（例如 2019 或 2019年），再运行一次。")
            continue
        runnable.append(path)
    return parameters, title, runnable, skipped


def skipped_html(name: str, reason: str, *, title: str | None = None) -> str:
    """The page standing for a notebook that was not run, saying why (so every link of the index leads somewhere).

    Examples
    --------
    >>> page = skipped_html("跨年份的概念变化", "语料没有“year”列。")
    >>> "未生成" in page and "语料没有“year”列。" in page and 'href="index.html"' in page
    True
    """
    heading = html.escape(name)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{heading}（未生成）</title>
<style>body {{ font-family: "{WEB_FONT}", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 46em;
margin: 3em auto; padding: 0 1em; line-height: 1.7; color: #222; }} a {{ color: #1f5f99; }}
.zh-notice {{ border-left: 4px solid #c7902c; background: #fdf6e7; padding: 8px 12px; }}</style>
</head>
<body>
<p><a href="index.html">← 报告目录 Index</a>{' · ' + html.escape(title) if title else ''}</p>
<h1>{heading}</h1>
<div class="zh-notice" role="note"><strong>本报告未生成</strong><p>{html.escape(reason)}</p></div>
</body>
</html>
"""


def build(
    *,
    corpus: str | Path | None = None,
    lexicon: str | Path | None = None,
    output: str | Path | None = None,
    notebook_paths: Sequence[str | Path] | None = None,
    progress: Callable[[str], None] | None = None,
    corpus_settings: Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Run the notebooks (:func:`run`) and write the HTML reports and ``index.html`` (:func:`write`).

    A notebook that fails does not keep the others from being written.

    Parameters
    ----------
    corpus, lexicon, notebook_paths, progress, corpus_settings, options
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
    # One font worker: it reads the font once (0.4 s, 100 MB); a second one, to cut the last report's font and the
    # index's side by side, cost more processor time than it saved (five notebooks: 11.6 -> 11.1 s, 19.4 -> 18.0 CPU-s)
    with FontCuts(workers=1) as cuts:
        reports = run(corpus=corpus, lexicon=lexicon, notebook_paths=notebook_paths, progress=progress,
                      keep_going=True, failures=failures, corpus_settings=corpus_settings, options=options, cuts=cuts)
        written = write(reports, Path(output) if output is not None else REPORTS_DIR, cuts=cuts) if reports else []
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


def write(reports: Sequence[Report], folder: Path, *, cuts: FontCuts | None = None) -> list[Path]:
    """Write each report twice (reader and code version) and ``index.html``, each atomically.

    ``cuts``: where :func:`run` submitted the index page's font.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the report folder ({exc.strerror}); choose another with -o") from None
    written = []
    for report in reports:
        for suffix, text in ((".html", report.html_reader), (".code.html", report.html_code)):
            written.append(_write_atomic(folder / f"{report.stem}{suffix}", text))
    index = index_page(reports)
    written.append(_write_atomic(folder / "index.html", cuts.embed(INDEX_PAGE, [index])[0] if cuts is not None
                                 else embed_font(index)))
    return written


#: The name the index page's font is cut under (:class:`FontCuts`).
INDEX_PAGE = "index"


def index_page(reports: Sequence[Report]) -> str:
    """The index of ``reports`` (:func:`index_html`) titled as the reports are, without its font."""
    title = next((r.facts.get("title") for r in reports if r.facts and r.facts.get("title")), None)
    return index_html(reports, title=title, font=False)


def _write_atomic(target: Path, text: str) -> Path:
    write_atomically(target, lambda handle: handle.write(text.encode("utf-8")))
    return target


def summary_sentence(nb: Any) -> str:
    """The first sentence of the notebook's opening prose (after its title), for the index.

    Examples
    --------
    >>> import nbformat
    >>> summary_sentence(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "# 标题\\n\\n本报告统计概念频次。第二句。")]))
    '本报告统计概念频次。'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            prose = " ".join(line.strip() for line in cell.source.splitlines()
                             if line.strip() and not line.startswith("#") and not line.startswith("|"))
            prose = re.sub(r"[*`]", "", prose)
            first = re.match(r"(.+?[。：:])", prose)
            return (first.group(1) if first else prose)[:160].rstrip("：:") + ("" if first and first.group(1)[-1] == "。"
                                                                                 else "。")
    return ""


def index_html(reports: Sequence[Report], *, title: str | None = None, font: bool = True) -> str:
    """The page linking every report, reader and code version, describing each and the data (no network).

    With ``font``, the page carries the subset of the web font it needs (:func:`analysis.present.webfont.embed_font`).

    Examples
    --------
    >>> page = index_html([Report(Path("02-concept-report.ipynb"), "概念 <报告>", "", "")])
    >>> 'href="02-concept-report.html"' in page, "概念 &lt;报告&gt;" in page
    (True, True)
    """
    rows = []
    corpora: dict[str, list[str]] = {}
    lexicons: dict[str, list[str]] = {}
    created = ""
    for r in reports:
        facts = r.facts or {}
        about = summary_sentence(r.executed) if r.executed is not None else ""
        data = "；".join(page_text.corpus_sentence(c) for c in facts.get("corpora") or [])
        parameters = page_text.parameter_sentence(facts.get("parameters") or [])
        if r.skipped:
            rows.append(f'<li><a href="{html.escape(r.stem)}.html">{html.escape(r.title)}</a> '
                        f'<span class="alt">（未生成）</span><p class="data">{html.escape(r.skipped)}</p></li>')
            continue
        rows.append(
            f'<li><a href="{html.escape(r.stem)}.html">{html.escape(r.title)}</a> '
            f'<span class="alt">（<a href="{html.escape(r.stem)}.code.html">含代码版 with code</a>）</span>'
            + (f'<p>{html.escape(about)}</p>' if about else "")
            + (f'<p class="data">数据：{html.escape(data)}</p>' if data else "")
            + (f'<p class="data">参数：{html.escape(parameters)}</p>' if parameters else "")
            + "</li>")
        for c in facts.get("corpora") or []:
            corpora.setdefault(page_text.corpus_sentence(c), []).append(r.stem[:2])
        if facts.get("lexicon"):
            lexicons.setdefault(page_text.lexicon_sentence(facts["lexicon"]), []).append(r.stem[:2])
        created = created or str(facts.get("created", ""))[:10]
    listed = "".join(f"<li>{html.escape(text)} <span class=\"alt\">（报告 {'、'.join(used)}）</span></li>"
                     for text, used in corpora.items())
    lexicon_text = "".join(f"<li>{html.escape(text)} <span class=\"alt\">（报告 {'、'.join(used)}）</span></li>"
                           for text, used in lexicons.items())
    about_data = ""
    if listed:
        about_data = (f"<h2>数据 Data</h2><p>语料 Corpora：</p><ul>{listed}</ul>"
                      + (f"<p>词表 Lexicon：</p><ul>{lexicon_text}</ul>" if lexicon_text else "")
                      + (f"<p>生成日期 Date：{html.escape(created)}</p>" if created else ""))
    heading = html.escape(title) if title else "报告目录 Reports"
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{heading}</title>
<style>
body {{ font-family: "{WEB_FONT}", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
       max-width: 46em; margin: 3em auto; padding: 0 1em; line-height: 1.7; color: #222; }}
h1 {{ font-size: 1.6em; }}
h2 {{ font-size: 1.2em; margin-top: 1.6em; }}
li {{ margin: 0.8em 0; }}
ol > li > a {{ font-size: 1.1em; font-weight: bold; }}
li p {{ margin: 0.2em 0; }}
.alt, .data {{ font-size: 0.9em; color: #555; }}
a {{ color: #1f5f99; }}
</style>
</head>
<body>
<h1>{heading}</h1>
<p>每份报告有两个版本：不含代码的阅读版，以及含代码的版本（用于方法附录和教学）。所有文件均可离线打开。</p>
{about_data}
<h2>报告 Reports</h2>
<ol>
{chr(10).join(rows)}
</ol>
</body>
</html>
"""
    return embed_font(page) if font else page
