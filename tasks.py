"""The project's verbs, each setting itself up first: ``python3 tasks.py report|test|lab|bench``.

Every task creates a local virtual environment in ``.venv`` (once) and
installs the project into it with its dependencies (again only when
``pyproject.toml`` changed), then runs inside it. Needs nothing but Python
3.10 or newer; works the same on Linux, macOS and Windows.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"

TASKS = {
    "report": "run the notebooks on the bundled data and write HTML reports to reports/",
    "test": "run the test suite (extra arguments go to pytest)",
    "lab": "open the notebooks in JupyterLab",
    "bench": "run the speed benchmarks (extra arguments go to benchmarks/run.py)",
    "setup": "only create .venv and install the project",
}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def setup() -> Path:
    """Create ``.venv`` and install the project (with test and Dask extras) when needed."""
    if sys.version_info < (3, 10):  # noqa: UP036 - tasks.py runs on whatever Python the user has
        sys.exit(f"error: Python 3.10 or newer is needed, this is {sys.version.split()[0]}; install a newer Python")
    python = venv_python()
    if not python.exists():
        print(f"creating virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("installing the project and its dependencies into .venv (first run takes a few minutes) ...", flush=True)
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([python, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev,dask]"])
        STAMP.write_text(wanted)
    return python


def run(command: list, **kwargs) -> None:
    result = subprocess.run([str(c) for c in command], cwd=ROOT, **kwargs)
    if result.returncode != 0:
        sys.exit(result.returncode)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in TASKS:
        width = max(map(len, TASKS))
        listing = "\n".join(f"  {name:<{width}}  {text}" for name, text in TASKS.items())
        sys.exit(f"usage: python3 tasks.py TASK [ARGS...]\n\ntasks:\n{listing}")
    task, rest = argv[0], argv[1:]
    python = setup()
    if task == "report":
        # Runs every notebook on the bundled data; HTML (with and without code) into reports/, see reports/index.html.
        run([python, "-m", "analysis", "report", *rest])
    elif task == "test":
        run([python, "-m", "pytest", *rest])
    elif task == "lab":
        # notebooks are saved without outputs (jupyter_server_config.py), as the project stores them
        run([python, "-m", "jupyter", "lab", "notebooks", f"--config={ROOT / 'jupyter_server_config.py'}", *rest])
    elif task == "bench":
        run([python, "benchmarks/run.py", *rest])


if __name__ == "__main__":
    main(sys.argv[1:])
