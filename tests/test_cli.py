"""The command-line contract: columns, output files, notices and errors (exit status 2, one line)."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from analysis.config import LEXICON_DIR, PROJECT_DIR, SAMPLE_DIR

LEX = str(LEXICON_DIR / "sample-concepts.csv")


def cli(*args: str, cwd=PROJECT_DIR):
    """Run ``python -m analysis`` as a user would; return (status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, cwd=cwd)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def test_count_on_the_sample_gives_the_hand_counts_and_a_duplicate_notice():
    status, out, err = cli("count", str(SAMPLE_DIR), "--lexicon", LEX)
    assert status == 0
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == ["concept", "category", "count", "nested", "chars", "per_10k", "docs", "terms"]
    assert table.set_index("concept")["count"].to_dict() == {"社区治理": 23, "党建引领": 4, "协商民主": 3}
    assert "notice: removed 7 duplicate paragraph(s)" in err


def test_keep_duplicates_and_term_level():
    status, out, _ = cli("count", str(SAMPLE_DIR), "--lexicon", LEX, "--keep-duplicates", "--level", "term")
    table = pd.read_csv(io.StringIO(out)).set_index("term")
    assert status == 0 and list(table.columns[:4]) == ["concept", "category", "count", "standalone"]
    assert table["count"].to_dict() == {"社区治理": 43, "党建引领": 7, "协商民主": 5, "基层协商民主": 3}


def test_grouped_output_puts_the_group_column_first():
    _, out, _ = cli("count", str(SAMPLE_DIR), "--lexicon", LEX, "--by", "doc")
    assert out.splitlines()[0].startswith("doc,concept,")


def test_csv_output_file_has_a_bom_and_xlsx_works(tmp_path):
    status, out, _ = cli("count", str(SAMPLE_DIR), "--lexicon", LEX, "-o", str(tmp_path / "r.csv"))
    assert status == 0 and out == ""
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbfconcept,")
    assert cli("words", str(SAMPLE_DIR), "--lexicon", LEX, "--top", "5", "-o", str(tmp_path / "w.xlsx"))[0] == 0
    assert pd.read_excel(tmp_path / "w.xlsx").columns.tolist() == ["word", "count", "docs"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_words_top_n():
    status, out, _ = cli("words", str(SAMPLE_DIR), "--lexicon", LEX, "--top", "3")
    table = pd.read_csv(io.StringIO(out))
    assert status == 0 and len(table) == 3 and "社区治理" in set(table.word)


def test_lexicon_command_lists_the_table():
    status, out, _ = cli("lexicon", "--lexicon", LEX)
    assert status == 0 and out.splitlines()[0] == "category,concept,term,en,source"


@pytest.mark.parametrize("args, message", [
    (["count", "no/such/file.txt", "--lexicon", LEX], "no/such/file.txt: no such file or folder"),
    (["count", str(SAMPLE_DIR), "--lexicon", "missing.yaml"], "missing.yaml: lexicon file not found"),
    (["count", str(SAMPLE_DIR), "--lexicon", LEX, "--by", "year"], "cannot group by 'year'"),
    (["count", str(SAMPLE_DIR), "--lexicon", LEX, "--level", "word"], "invalid choice"),
    (["count", str(SAMPLE_DIR), "--lexicon", LEX, "-o", "/no/such/dir/x.csv"], "does not exist"),
    (["count", str(SAMPLE_DIR), "--lexicon", LEX, "-o", "out.pdf"], "unknown output format"),
    (["words", str(SAMPLE_DIR), "--lexicon", LEX, "--top", "0"], "--top must be at least 1"),
    (["count"], "the following arguments are required"),
])
def test_bad_input_gives_one_error_line_and_status_2(args, message):
    status, out, err = cli(*args)
    errors = [line for line in err.splitlines() if not line.startswith("notice:")]
    assert status == 2 and out == ""
    assert len(errors) == 1 and errors[0].startswith("error: ") and message in errors[0]
    assert "Traceback" not in err


def test_jieba_log_lines_do_not_leak():
    _, _, err = cli("words", str(SAMPLE_DIR), "--lexicon", LEX, "-q")
    assert err == ""
