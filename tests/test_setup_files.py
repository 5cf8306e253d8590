"""pyproject.toml and environment.yml list the same dependencies; the README's commands are what CI runs."""

from __future__ import annotations

import re

import pytest
import yaml

from analysis.config import PROJECT_DIR

tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def names(requirements) -> set[str]:
    return {re.split(r"[\[<>=!~ ]", r.strip(), maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_environment_yml_lists_every_dependency_of_pyproject():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = names(conda) | names(p for p in pip if not p.startswith("-"))
    wanted = names(project["dependencies"]) | names(project["optional-dependencies"]["dev"])
    assert wanted - listed == set()
    assert names(project["dependencies"]) >= {"jupyterlab", "pandas", "jieba", "matplotlib", "wordcloud"}


def test_ci_runs_the_readme_test_command():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    ci = (PROJECT_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 tasks.py test" in readme and "python3 tasks.py test" in ci
