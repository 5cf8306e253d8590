"""A notebook as a teacher meets it in JupyterLab: opened, run and saved through Lab's own interface, in Chromium.

The test starts ``jupyter lab`` with the project's settings
(``jupyter_server_config.py``, as ``python3 tasks.py lab`` does) on a free port
with a token, serving a temporary copy of ``02-concept-report.ipynb`` (the
repository's notebooks are never saved). Chromium opens the notebook, runs
every cell from Lab's Run menu and waits for the kernel; then the test looks at
what the reader sees: no error output, the concept table with the count a plain
``str.count`` gives, Chinese drawn with the web font that ``page.setup()``
brings, charts drawn at twice the pixel density. Saving from Lab (Ctrl+S)
leaves the file without outputs while Lab keeps showing them. Teardown shuts
the server and its kernel down. Skipped where Playwright or Chromium is missing.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

from analysis.config import PROJECT_DIR, SAMPLE_DIR

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")

NOTEBOOK = "02-concept-report.ipynb"  # runs in about ten seconds; tables, headings and four charts
TERM = "党建引领"  # a concept of the bundled lexicon with this single term
WEB_FONT = "Report CJK SC"  # the family of analysis.present.webfont (stated here, not imported: the page must say it)
SECONDS = 60  # the longest any one wait may take


def expected_count() -> int:
    """党建引领 in the sample essay the way the notebook counts by default: each distinct line once (duplicates removed)."""
    (essay,) = sorted(SAMPLE_DIR.glob("*.txt"))
    lines = [line.strip() for line in essay.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sum(line.count(TERM) for line in dict.fromkeys(lines))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read())


@pytest.fixture()
def lab(tmp_path):
    """A JupyterLab server on a copy of the notebook: ``(url of the notebook, path of the copy)``; stopped afterwards."""
    served = tmp_path / "notebooks"
    served.mkdir()
    shutil.copy2(PROJECT_DIR / "notebooks" / NOTEBOOK, served / NOTEBOOK)
    settings = tmp_path / "lab-settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "apputils-extension").mkdir()
    # every cell stays in the page (no virtual scrolling), and no news prompt over the notebook
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings.parent), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws"),
           "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])}
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={served}",
         f"--config={PROJECT_DIR / 'jupyter_server_config.py'}"],
        cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SECONDS
        while True:
            try:
                get(f"{base}/api/status", token)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("JupyterLab did not start: "
                                         + (tmp_path / "server.log").read_text(errors="replace")[-2000:]) from None
                time.sleep(0.3)
        yield f"{base}/lab/tree/{NOTEBOOK}?token={token}", served / NOTEBOOK, (base, token)
    finally:
        started = psutil.Process(server.pid).children(recursive=True) if server.poll() is None else []
        try:  # the server's own shutdown stops its kernels too
            urllib.request.urlopen(urllib.request.Request(f"{base}/api/shutdown", method="POST",
                                                          headers={"Authorization": f"token {token}"}), timeout=5)
            server.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            with_children = [p for p in started if p.is_running()]
            os.killpg(server.pid, signal.SIGKILL)
            for process in with_children:
                process.kill()
            server.wait(timeout=10)
        log.close()
        left = [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        for process in left:
            process.kill()
        assert left == [], f"processes left behind by JupyterLab: {left}"


@pytest.fixture()
def chromium():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def wait_for_idle_kernel(base: str, token: str) -> None:
    """Until the notebook's kernel has started and is waiting (Lab starts it on opening)."""
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        kernels = get(f"{base}/api/kernels", token)
        if kernels and all(k["execution_state"] == "idle" for k in kernels):
            return
        time.sleep(0.3)
    raise AssertionError("the notebook's kernel did not start")


def test_a_notebook_runs_in_jupyterlab_shows_its_results_in_chinese_and_saves_without_outputs(lab, chromium, tmp_path):
    from fontTools.ttLib import TTFont

    url, copy, (base, token) = lab
    original, before = json.loads(copy.read_text(encoding="utf-8")), copy.stat().st_mtime_ns
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(SECONDS * 1000)
    page.goto(url)
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
    wait_for_idle_kernel(base, token)

    # Run > Run All Cells, as a user does; done when every code cell shows its execution number
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    code_cells = len([c for c in original["cells"] if c["cell_type"] == "code"])
    page.wait_for_function(
        """n => { const prompts = Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt'));
                  return prompts.length === n && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim())); }""",
        arg=code_cells)
    page.wait_for_timeout(500)  # the last outputs are drawn
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(tmp_path / "lab-end.png"))

    notebook = page.locator(".jp-NotebookPanel .jp-Notebook")
    kinds = notebook.locator(".jp-OutputArea-output").evaluate_all("os => os.map(o => o.dataset.mimeType)")
    assert "application/vnd.jupyter.stderr" not in kinds  # Lab shows errors (tracebacks) and warnings as stderr
    assert "Traceback" not in notebook.inner_text()

    # the concept table, with the count derived above
    table = notebook.locator(".zh-table table").filter(has_text="概念频次 Concepts").first
    headings = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    row = table.locator("tbody tr").filter(has=page.locator("td", has_text=re.compile(f"^{TERM}$"))).first
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells[headings.index("概念")] == TERM
    assert int(cells[headings.index("出现次数")]) == expected_count() == 4  # 4: also stated in 01-quickstart
    assert notebook.locator("h1", has_text="概念频次报告").count() == 1
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "lab-table.png"))

    # Chinese drawn with the web font page.setup() displayed: loaded, used by headings and tables, and it has every glyph
    assert page.evaluate(f"Array.from(document.fonts).some(f => f.family.replace(/\"/g, '') === '{WEB_FONT}' "
                         "&& f.status === 'loaded')")
    for element in (notebook.locator(".jp-RenderedMarkdown h2").first, table.locator("td").first):
        assert element.evaluate("e => getComputedStyle(e).fontFamily").startswith(f'"{WEB_FONT}"')
    data = re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", page.content()).group(1)
    glyphs = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
    shown = "".join(notebook.locator(".jp-RenderedMarkdown, .jp-RenderedHTMLCommon").all_inner_texts())
    han = {c for c in shown if "\u4e00" <= c <= "\u9fff"}
    assert TERM[0] in han and sorted(c for c in han if ord(c) not in glyphs) == []

    # the four charts, each drawn at twice the pixel density of its place on the page
    images = notebook.locator(".jp-RenderedImage img")
    assert images.count() == 4
    sizes = images.evaluate_all("is => is.map(i => [i.naturalWidth, i.getBoundingClientRect().width])")
    assert all(shown_width > 0 and natural >= 1.9 * shown_width for natural, shown_width in sizes)

    # File saved from Lab: no outputs, no execution counts, the same cells; Lab still shows the outputs
    notebook.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    page.locator(".lm-TabBar-tab.jp-mod-dirty").wait_for(state="detached")
    assert copy.stat().st_mtime_ns != before  # Lab wrote the file
    saved = json.loads(copy.read_text(encoding="utf-8"))
    assert [c["source"] for c in saved["cells"]] == [c["source"] for c in original["cells"]]
    code = [c for c in saved["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert images.count() == 4
    page.close()
