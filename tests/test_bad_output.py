"""Bad-input catalogue, outputs: never over an input, no live formulas, signals, standard output, Excel limits.

Each case runs the real command line as a subprocess, as a user would (README, "What happens when…").
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.config import LEXICON_DIR, PROJECT_DIR
from analysis.errors import OutputError
from analysis.present import output

LEX = str(LEXICON_DIR / "sample-concepts.csv")


def cli(*args, cwd=PROJECT_DIR, **kwargs):
    done = subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, cwd=cwd, **kwargs)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def table(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("id,title,text\n=1+1,=HYPERLINK(\"http://x\"),社区治理\n@SUM,-2,党建引领\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("target", ["input", "lexicon", "manifest", "folder file"])
def test_no_output_can_write_over_a_file_the_run_reads(tmp_path, target):
    inputs = tmp_path / "texts"
    inputs.mkdir()
    (inputs / "a.txt").write_text("社区治理", encoding="utf-8")
    (inputs / "MANIFEST.csv").write_text("file,year\na.txt,2020\n", encoding="utf-8")
    lexicon = tmp_path / "mylex.csv"
    shutil.copy(LEX, lexicon)
    path = {"input": table(tmp_path), "lexicon": lexicon, "manifest": inputs / "MANIFEST.csv",
            "folder file": inputs / "a.txt"}[target]
    source = tmp_path / "in.csv" if target == "input" else inputs
    before = {p: p.read_bytes() for p in (path, lexicon)}
    out = path if path.suffix in (".csv", ".xlsx") else path.with_suffix(".csv")
    if out == path:
        status, _, err = cli("count", source, "--lexicon", lexicon, "-o", out)
        assert status == 2 and "is a file this run reads" in err and len(err.splitlines()) == 1
    yaml_lexicon = tmp_path / "mylex.yaml"
    yaml_lexicon.write_text("categories:\n  - category: c\n    concepts:\n      - concept: 社区治理\n        terms: [社区治理]\n",
                            encoding="utf-8")
    status, _, err = cli("count", source, "--lexicon", yaml_lexicon, "--provenance", yaml_lexicon)
    assert status == 2 and "is a file this run reads" in err
    assert {p: p.read_bytes() for p in (path, lexicon)} == before


def test_an_unwritable_provenance_fails_before_the_table_is_written(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    status, _, err = cli("count", table(tmp_path), "-o", out, "--provenance", tmp_path / "missing" / "p.json")
    assert status == 2 and "does not exist" in err
    assert out.read_text(encoding="utf-8") == "old"


def test_csv_text_cells_never_start_with_a_formula_character_unless_raw(tmp_path):
    status, out, _ = cli("count", table(tmp_path), "--lexicon", LEX, "--by", "doc", "-q")
    assert status == 0
    first_cells = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert set(first_cells) == {"'=1+1", "'@SUM"}
    assert not any(cell.startswith(output.FORMULA_START) for line in out.splitlines() for cell in line.split(","))
    status, out, _ = cli("count", table(tmp_path), "--lexicon", LEX, "--by", "doc", "-q", "--raw-csv")
    assert {line.split(",")[0] for line in out.splitlines()[1:]} == {"=1+1", "@SUM"}
    # numbers are never touched: a negative count would stay a number (here: a -2 title is text and is neutralised)
    neutral = output.neutralize_formulas(pd.DataFrame({"n": [-1, 2], "t": ["-2", "x"]}))
    assert neutral.n.tolist() == [-1, 2] and neutral.t.tolist() == ["'-2", "x"]


def test_no_xlsx_cell_is_a_formula(tmp_path):
    out = tmp_path / "out.xlsx"
    source = table(tmp_path)
    status, _, err = cli("count", source, "--lexicon", LEX, "--by", "doc", "-q", "-o", out)
    assert status == 0, err
    cells = [c for row in openpyxl.load_workbook(out).active.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {c.value for c in cells} >= {"=1+1", "@SUM"}  # stored as the text it is
    dde = pd.DataFrame({"doc": ["=cmd|' /C calc'!A0"], "count": [1]})
    output.write_table(dde, tmp_path / "dde.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "dde.xlsx").active["A2"]
    assert (cell.value, cell.data_type) == ("=cmd|' /C calc'!A0", "s")


def test_tables_beyond_excel_limits_are_refused_not_cut(tmp_path, monkeypatch):
    long = pd.DataFrame({"left": ["社" * (output.XLSX_MAX_CELL + 1)], "count": [1]})
    with pytest.raises(OutputError, match="more than an Excel cell holds"):
        output.write_table(long, tmp_path / "long.xlsx")
    monkeypatch.setattr(output, "XLSX_MAX_ROWS", 3)
    with pytest.raises(OutputError, match="more than an Excel sheet holds"):
        output.write_table(pd.DataFrame({"a": range(5)}), tmp_path / "rows.xlsx")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_leave_no_temporary_file_and_keep_the_old_output(tmp_path, signum):
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("社区治理，党建引领和协商民主。基层治理现代化\n" * 20_000, encoding="utf-8")
    code = ("import time, analysis.present.output as o; real = o._write\n"
            "def slow(*a, **k):\n    time.sleep(30)\n"
            "o._write = slow\nfrom analysis.cli import main; raise SystemExit(main())")
    process = subprocess.Popen([sys.executable, "-c", code, "count", str(big), "-q", "--keep-duplicates", "-o", str(out)],
                               cwd=PROJECT_DIR, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline and not list(tmp_path.glob(".out.csv.zhgov-*.tmp")):
        time.sleep(0.05)
    assert list(tmp_path.glob(".out.csv.zhgov-*.tmp")), "the run never started writing"
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + signum
    assert f"stopped by signal {signum}" in err.decode("utf-8")
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_temporary_file_left_by_a_killed_run_is_removed_by_the_next_write(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".out.csv.zhgov-{int(dead.stdout)}-abc123.tmp"
    stale.write_text("partial", encoding="utf-8")
    other = tmp_path / ".someone-else.tmp"
    other.write_text("not ours", encoding="utf-8")
    status, _, _ = cli("count", table(tmp_path), "-q", "-o", tmp_path / "out.csv")
    assert status == 0 and not stale.exists() and other.exists()


def test_standard_output_problems_are_one_line_or_quiet(tmp_path):
    source = table(tmp_path)
    with open("/dev/full", "wb") as full:
        status, _, err = _run_to(full, source)
    assert status == 2 and err.startswith("error: standard output cannot be written") and len(err.splitlines()) == 1
    status, _, err = _run_closed_stdout(source)
    assert status == 2 and "standard output is closed" in err
    head = subprocess.run(f"'{sys.executable}' -m analysis count data/corpora/cpc-congress-reports -q --level term "
                          "--by doc | head -1", shell=True, capture_output=True, cwd=PROJECT_DIR)
    assert head.stderr == b"" and head.stdout.startswith(b"doc,term")


def _run_to(handle, source):
    done = subprocess.run([sys.executable, "-m", "analysis", "count", str(source), "-q"], stdout=handle,
                          stderr=subprocess.PIPE, cwd=PROJECT_DIR)
    return done.returncode, "", done.stderr.decode("utf-8")


def _run_closed_stdout(source):
    code = "import sys; sys.stdout.close(); from analysis.cli import main; raise SystemExit(main())"
    done = subprocess.run([sys.executable, "-c", code, "count", str(source), "-q"], capture_output=True, cwd=PROJECT_DIR)
    return done.returncode, "", done.stderr.decode("utf-8")


def test_a_malformed_scheduler_address_is_one_line(tmp_path):
    status, _, err = cli("count", table(tmp_path), "-q", "--engine", "dask", "--scheduler", "not a url")
    assert status == 2 and "is not a Dask scheduler address" in err and len(err.splitlines()) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_run_leaves_no_worker_process_behind(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(8):
        (folder / f"d{i}.txt").write_text("社区治理，党建引领和协商民主。基层治理现代化" * 20_000 + f"{i}\n", encoding="utf-8")
    code = ("import time, analysis.measure.match as m; real = m.Matcher.document_counts\n"
            "def slow(self, p):\n    time.sleep(60); return real(self, p)\n"
            "m.Matcher.document_counts = slow\nfrom analysis.cli import main; raise SystemExit(main())")
    parent = subprocess.Popen([sys.executable, "-c", code, "count", str(folder), "-q", "--jobs", "2"], cwd=PROJECT_DIR,
                              stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    children: set[int] = set()
    deadline = time.time() + 30
    while time.time() < deadline and len(children) < 2:
        children = _children(parent.pid)
        time.sleep(0.1)
    assert len(children) >= 2, "no worker processes started"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_exists(pid) for pid in children):
        time.sleep(0.1)
    assert not [pid for pid in children if _exists(pid)]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _exists(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
