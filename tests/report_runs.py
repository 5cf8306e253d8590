"""Reports on a user's own texts, run once per test session through the CLI and shared by the report tests.

:func:`own_texts` is the folder a new user would make: four short Chinese
texts (none of them bundled), a ``MANIFEST.csv`` that leaves one file out,
leaves one year blank and writes one year as ``2019年``. :func:`report_of`
runs ``python -m analysis report`` on it (in-process, ``cli.main``) with the
given extra arguments and returns the exit status, standard error and the
output folder.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

#: A fixed date (reproducible pages): two runs can be compared byte for byte.
SOURCE_DATE_EPOCH = "1700000000"
#: The folder name of the user's corpus, as every header and the index must name it.
OWN_NAME = "田野笔记"
#: Words that only a page about the bundled data would contain.
BUNDLED = ("党代会", "政府工作报告", "cpc-congress", "gov-work", "000_66efea22227603e2", "基层党建引领社区治理实践偏差",
           "样例文章", "data/sample", "data/corpora")

_TEXTS = {
    "a.txt": "社区治理离不开协商民主。\n一、基本情况\n居民议事会推进协商民主，社区治理更有活力。乡村振兴也在推进。\n",
    "b.txt": "乡村振兴是大事。\n一、主要做法\n坚持党的领导，推进乡村振兴和共同富裕，加强生态文明建设。\n协商民主在基层落地。\n",
    "c.txt": "共同富裕是目标。\n生态文明建设持续推进，社区治理和乡村振兴相互促进。\n",
    "d.txt": "生态文明与共同富裕。\n坚持党的领导，推进社区治理，发展协商民主。\n",
}
#: d.txt is not listed; c.txt has no year; b.txt's year is written 2019年.
_MANIFEST = "file,year,title\na.txt,2015,甲村调查\nb.txt,2019年,乙镇调查\nc.txt,,丙街道调查\n"


@cache
def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="zhgov-own-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


@cache
def own_texts() -> Path:
    """The user's folder of texts (created once)."""
    folder = _root() / OWN_NAME
    folder.mkdir()
    for name, text in _TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "MANIFEST.csv").write_text(_MANIFEST, encoding="utf-8")
    return folder


@cache
def english() -> Path:
    """A folder of English text: no lexicon concept occurs in it."""
    folder = _root() / "english-notes"
    folder.mkdir()
    (folder / "one.txt").write_text("Community governance in plain English.\nNo Chinese at all.\n", encoding="utf-8")
    (folder / "two.txt").write_text("Another note about local policy.\n", encoding="utf-8")
    return folder


@cache
def report_of(corpus: Path, *extra: str) -> tuple[int, str, Path]:
    """``(exit status, standard error, output folder)`` of ``report --corpus CORPUS -o NEW EXTRA...`` (once per arguments)."""
    from analysis import cli

    out = Path(tempfile.mkdtemp(prefix="out-", dir=_root()))
    shutil.rmtree(out)
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            status = cli.main(["report", "--corpus", str(corpus), "-o", str(out), *extra])
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return status, err.getvalue(), out


def config_file(text: str, name: str = "report.yaml") -> Path:
    """A report configuration file with ``text`` (in a fresh folder)."""
    folder = Path(tempfile.mkdtemp(prefix="config-", dir=_root()))
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
