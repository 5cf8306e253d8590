"""The catalogue of bad and awkward input (README, "What happens when…"): each case, its behaviour.

Most cases run the real command line as a subprocess, as a user would, and
check the one ``error:`` line (exit status 2) or the result and its notices;
some also go through the Python API.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import clean, corpus, lexicon, output, segment, words
from analysis.config import LEXICON_DIR, PROJECT_DIR
from analysis.errors import DecodeError, InputError, InputNotice, LexiconError, OutputError
from analysis.present import atomic

try:
    from re import _parser as sre_parse  # Python >= 3.11
except ImportError:  # pragma: no cover
    import sre_parse

LEX = str(LEXICON_DIR / "sample-concepts.csv")


def cli(*args: str, cwd=PROJECT_DIR):
    """Run ``python -m analysis`` as a user would; return (status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, cwd=cwd)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def one_error(status: int, out: str, err: str) -> str:
    """Assert the run failed as a user error should, and return its one ``error:`` line."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if not line.startswith("notice:")]
    assert status == 2 and out == "", err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def counts(out: str, key: str = "concept") -> dict:
    return pd.read_csv(io.StringIO(out)).set_index(key)["count"].to_dict()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# --- paths and folders -------------------------------------------------------------------------

def test_missing_path_is_one_error_naming_it(tmp_path):
    line = one_error(*cli("count", tmp_path / "nope.txt", "--lexicon", LEX))
    assert "nope.txt: no such file or folder" in line


def test_folder_without_text_files_is_an_error(tmp_path):
    write(tmp_path / "notes.md", "社区治理")
    line = one_error(*cli("count", tmp_path, "--lexicon", LEX))
    assert "folder contains no .txt files" in line


def test_folder_of_old_word_files_says_to_save_them_as_docx(tmp_path):
    (tmp_path / "report.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    line = one_error(*cli("count", tmp_path, "--lexicon", LEX))
    assert "report.doc" in line and "save it as .docx" in line


def test_folder_whose_only_document_is_damaged_is_one_error_naming_it(tmp_path):
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04 not really a docx")
    line = one_error(*cli("count", tmp_path, "--lexicon", LEX))
    assert "report.docx" in line and "not a readable Word .docx file" in line


@pytest.mark.parametrize("name, data, said", [
    ("paper.docx", b"PK\x03\x04word/document.xml", "not a readable Word .docx file"),
    ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not a readable PDF"),
    ("paper.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "is an old Word .doc file, which this toolkit does not read; "
                                                 "open it in Word or WPS and save it as .docx")])
def test_damaged_word_or_pdf_or_a_doc_given_as_input_is_one_error(tmp_path, name, data, said):
    (tmp_path / name).write_bytes(data)
    line = one_error(*cli("count", tmp_path / name, "--lexicon", LEX))
    assert f"{name}: " in line and said in line


def test_a_damaged_pdf_beside_text_files_is_skipped_with_a_notice(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    status, out, err = cli("count", tmp_path, "--lexicon", LEX)
    assert status == 0 and counts(out)["社区治理"] == 1
    assert "notice:" in err and "skipped b.pdf: not a readable PDF" in err


# --- empty documents ---------------------------------------------------------------------------

def test_empty_and_whitespace_files_in_a_folder_are_skipped_with_a_notice_each(tmp_path):
    write(tmp_path / "a.txt", "社区治理。\n社区治理。")
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.txt", "  \r\n\u3000\t\n")
    status, out, err = cli("count", tmp_path, "--lexicon", LEX)
    assert status == 0
    assert counts(out)["社区治理"] == 1  # the repeated line is a duplicate paragraph
    assert re.search(r"notice: skipped .*empty\.txt: empty file", err)
    assert re.search(r"notice: skipped .*blank\.txt: empty file", err)


def test_nothing_left_to_analyse_is_an_error(tmp_path):
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.txt", " \n \n")
    line = one_error(*cli("count", tmp_path, "--lexicon", LEX))
    assert "no text to analyse" in line


def test_empty_cells_of_a_table_are_skipped_and_a_header_only_table_is_an_error(tmp_path):
    table = write(tmp_path / "t.csv", "doc,text\nr1,社区治理\nr2,\nr3,  \n")
    corp = corpus.build(table)
    assert corp.docs.doc.tolist() == ["r1"]
    assert corp.skipped.reason.tolist() == ["empty text cell", "empty text cell"]
    with pytest.raises(InputError, match="no rows"):
        corpus.read(write(tmp_path / "h.csv", "doc,text\n"))


# --- bytes and encodings -----------------------------------------------------------------------

def test_binary_file_is_an_error_naming_it(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    line = one_error(*cli("count", tmp_path / "image.txt", "--lexicon", LEX))
    assert "image.txt: looks like a binary file (NUL byte at offset 8)" in line


def test_undecodable_byte_is_named_with_file_and_offset(tmp_path):
    data = "社区治理与协商民主。".encode()  # 10 characters, 30 bytes
    (tmp_path / "bad.txt").write_bytes(data + b"\xff" + "党建引领".encode())
    line = one_error(*cli("count", tmp_path / "bad.txt", "--lexicon", LEX))
    assert "bad.txt" in line and "byte offset 30" in line
    with pytest.raises(DecodeError, match="offset 30"):
        corpus.read(tmp_path / "bad.txt")


def test_mixed_encodings_in_one_folder_are_each_detected(tmp_path):
    text = "社区治理是基层治理的重要内容，党建引领社区治理。"
    write(tmp_path / "a.txt", text, "utf-8")
    write(tmp_path / "b.txt", "\ufeff" + text, "utf-8")
    write(tmp_path / "c.txt", text, "gb18030")
    write(tmp_path / "d.txt", text, "utf-16")
    write(tmp_path / "e.txt", "社區治理是基層治理的重要內容，黨建引領社區治理。", "big5")
    status, out, _ = cli("count", tmp_path, "--lexicon", LEX, "--by", "doc", "--simplified")
    table = pd.read_csv(io.StringIO(out))
    assert status == 0
    per_doc = table[table.concept == "社区治理"].set_index("doc")["count"].to_dict()
    assert per_doc == {"a": 2, "b": 2, "c": 2, "d": 2, "e": 2}
    encodings = corpus.build(tmp_path).docs.set_index("doc").encoding.to_dict()
    assert encodings == {"a": "utf-8", "b": "utf-8-sig", "c": "gb18030", "d": "utf-16", "e": "big5"}


def test_text_that_is_not_chinese_counts_zero_with_a_notice_and_words_still_work(tmp_path):
    write(tmp_path / "en.txt", "Community governance and consultative democracy.")
    status, out, err = cli("count", tmp_path / "en.txt", "--lexicon", LEX)
    assert status == 0 and set(counts(out).values()) == {0}
    assert "notice: no Chinese (Han) characters in 1 document(s): en" in err
    status, out, _ = cli("words", tmp_path / "en.txt", "--lexicon", LEX, "--no-default-stopwords")
    assert status == 0 and {"Community", "governance", "democracy"} <= set(pd.read_csv(io.StringIO(out)).word)


# --- a very long line --------------------------------------------------------------------------

def _nested_repeats(pattern: re.Pattern) -> list[str]:
    """Unbounded repeats inside unbounded repeats: the shape that backtracks catastrophically."""
    found = []

    def walk(items, inside: bool):
        for op, arg in items:
            if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
                low, high, sub = arg
                unbounded = high == sre_parse.MAXREPEAT or high > 1
                if unbounded and inside:
                    found.append(pattern.pattern)
                walk(sub, inside or unbounded)
            elif op == sre_parse.SUBPATTERN:
                walk(arg[-1], inside)
            elif op == sre_parse.BRANCH:
                for branch in arg[1]:
                    walk(branch, inside)
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
                walk(arg[1], inside)

    walk(sre_parse.parse(pattern.pattern, pattern.flags), False)
    return found


def test_no_regex_of_the_pipeline_can_backtrack_catastrophically():
    modules = (clean, segment, words, corpus)
    patterns = [v for m in modules for v in vars(m).values() if isinstance(v, re.Pattern)]
    assert len(patterns) >= 6
    assert [p.pattern for p in patterns if _nested_repeats(p)] == []
    assert _nested_repeats(re.compile(r"(a+)+b"))  # the checker does find the classic case


def test_a_ten_megabyte_line_without_line_breaks_is_counted(tmp_path):
    unit = "社区治理，党建引领和协商民主 。"  # 16 characters, one space before 。 (not between Han)
    n = 220_000
    path = write(tmp_path / "long.txt", unit * n)
    assert path.stat().st_size > 10_000_000
    status, out, err = cli("count", path, "--lexicon", LEX)
    table = pd.read_csv(io.StringIO(out)).set_index("concept")
    assert status == 0, err
    assert table["count"].to_dict() == {"社区治理": n, "党建引领": n, "协商民主": n}
    assert set(table["chars"]) == {16 * n}


# --- tables --------------------------------------------------------------------------------------

def test_csv_without_the_text_column_lists_the_columns_there_are(tmp_path):
    write(tmp_path / "t.csv", "title,正文,year\n甲,社区治理,2020\n")
    line = one_error(*cli("count", tmp_path / "t.csv", "--lexicon", LEX))
    assert "no column 'text' (columns: title, 正文, year)" in line and "--text-column" in line
    status, out, _ = cli("count", tmp_path / "t.csv", "--lexicon", LEX, "--text-column", "正文")
    assert status == 0 and counts(out)["社区治理"] == 1


def test_xlsx_without_the_text_column_lists_the_columns_there_are(tmp_path):
    workbook(tmp_path / "t.xlsx", {"S": [["title", "body"], ["甲", "社区治理"]]})
    line = one_error(*cli("count", tmp_path / "t.xlsx", "--lexicon", LEX))
    assert "no column 'text' (columns: title, body)" in line


def test_xlsx_with_several_sheets_reads_the_first_with_a_notice_or_the_one_named(tmp_path):
    path = workbook(tmp_path / "t.xlsx", {"2020": [["text"], ["社区治理"]],
                                          "2021": [["text"], ["协商民主"], ["协商民主"]],
                                          "notes": [["text"], ["党建引领"]]})
    status, out, err = cli("count", path, "--lexicon", LEX)
    assert status == 0 and counts(out) == {"社区治理": 1, "党建引领": 0, "协商民主": 0}
    assert "read only the first sheet '2020'; not read: 2021, notes; choose one with the sheet setting (--sheet)" in err
    status, out, err = cli("count", path, "--lexicon", LEX, "--sheet", "2021")
    assert status == 0 and counts(out)["协商民主"] == 2 and "not read" not in err
    line = one_error(*cli("count", path, "--lexicon", LEX, "--sheet", "2022"))
    assert "no sheet '2022' (sheets: 2020, 2021, notes)" in line
    with pytest.warns(InputNotice, match="not read: 2021, notes"):
        corpus.read(path)


def test_damaged_xlsx_is_one_error_saying_what_to_do(tmp_path):
    (tmp_path / "t.xlsx").write_bytes(b"PK\x03\x04 truncated workbook")
    line = one_error(*cli("count", tmp_path / "t.xlsx", "--lexicon", LEX))
    assert "t.xlsx: not a readable Excel workbook" in line and "save it again" in line


def test_csv_with_a_bom_before_the_header_finds_the_text_column(tmp_path):
    (tmp_path / "t.csv").write_bytes(b"\xef\xbb\xbf" + "text,year\n党建引领社区治理,2020\n".encode())
    status, out, _ = cli("count", tmp_path / "t.csv", "--lexicon", LEX, "--by", "year")
    table = pd.read_csv(io.StringIO(out))
    assert status == 0 and table.columns[0] == "year"
    assert table.set_index("concept")["count"].to_dict() == {"党建引领": 1, "社区治理": 1, "协商民主": 0}


def test_quoted_line_breaks_in_a_csv_cell_become_paragraph_breaks(tmp_path):
    write(tmp_path / "t.csv", 'doc,text\nr1,"社区治理\n社区\n治理"\n')
    corp = corpus.build(tmp_path / "t.csv")
    assert corp.paragraphs.text.tolist() == ["社区治理", "社区", "治理"]
    status, out, _ = cli("count", tmp_path / "t.csv", "--lexicon", LEX)
    assert status == 0 and counts(out)["社区治理"] == 1  # no match crosses a paragraph break


def test_manifest_without_a_file_column_is_an_error(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    write(tmp_path / "MANIFEST.csv", "name,year\na.txt,2020\n")
    line = one_error(*cli("count", tmp_path, "--lexicon", LEX))
    assert "MANIFEST.csv: has no 'file' column (columns: name, year)" in line


def test_manifest_listing_a_missing_file_or_missing_a_file_gives_notices(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    write(tmp_path / "c.txt", "协商民主")
    write(tmp_path / "MANIFEST.csv", "file,year\na.txt,2020\nb.txt,2021\n")
    status, out, err = cli("count", tmp_path, "--lexicon", LEX, "--by", "doc")
    assert status == 0 and set(pd.read_csv(io.StringIO(out)).doc) == {"a", "c"}
    assert "lists 1 file(s) not in the folder: b.txt" in err
    assert "does not list 1 file(s): c.txt" in err
    with pytest.warns(InputNotice):
        docs = corpus.build(tmp_path).docs.set_index("doc")
    assert docs.loc["a", "year"] == 2020 and pd.isna(docs.loc["c", "year"])


def test_duplicate_document_ids_in_a_table_are_made_unique_with_a_notice(tmp_path):
    write(tmp_path / "t.csv", "doc,text\nx,社区治理\nx,协商民主\ny,党建引领\n")
    status, out, err = cli("count", tmp_path / "t.csv", "--lexicon", LEX, "--by", "doc")
    table = pd.read_csv(io.StringIO(out))
    assert status == 0 and sorted(set(table.doc)) == ["x", "x~2", "y"]
    assert table.query("doc == 'x~2' and concept == '协商民主'")["count"].item() == 1
    assert "document ids given more than once were made unique: x -> x~2" in err


# --- lexicon problems ----------------------------------------------------------------------------

def test_same_term_under_two_concepts_is_an_error_naming_both(tmp_path):
    write(tmp_path / "lex.csv", "concept,term\n协商民主,协商民主\n基层民主,协商民主\n")
    line = one_error(*cli("lexicon", "--lexicon", tmp_path / "lex.csv"))
    assert "term '协商民主' is listed under two concepts, '协商民主' and '基层民主'" in line


def test_empty_term_is_an_error_with_its_row(tmp_path):
    write(tmp_path / "lex.csv", "concept,term\n协商民主,协商民主\n社区治理,\u3000 \n")
    line = one_error(*cli("count", PROJECT_DIR / "data" / "sample", "--lexicon", tmp_path / "lex.csv"))
    assert "empty term for concept '社区治理' (row 3)" in line


def test_spaces_full_width_spaces_and_duplicate_rows_in_a_lexicon_are_cleaned(tmp_path):
    write(tmp_path / "lex.csv", "concept,term\n 社区治理 ,\u3000社区治理\u3000\n社区治理,社区治理\n"
                                "协商民主,\t协商民主 \n")
    lex = lexicon.load(tmp_path / "lex.csv")
    assert lex.terms == ["社区治理", "协商民主"]
    write(tmp_path / "a.txt", "社区治理和协商民主")
    status, out, _ = cli("count", tmp_path / "a.txt", "--lexicon", tmp_path / "lex.csv")
    assert status == 0 and counts(out) == {"社区治理": 1, "协商民主": 1}


def test_malformed_yaml_names_its_line(tmp_path):
    write(tmp_path / "lex.yaml", "name: t\ncategories:\n  - category: a\n    concepts:\n"
                                 "      - concept: b\n       terms: [c]\n")
    line = one_error(*cli("lexicon", "--lexicon", tmp_path / "lex.yaml"))
    assert "malformed YAML at line 6" in line


def test_yaml_lexicon_cannot_run_code(tmp_path):
    write(tmp_path / "lex.yaml", "!!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(LexiconError, match="malformed YAML"):
        lexicon.load(tmp_path / "lex.yaml")


def test_binary_or_unknown_lexicon_files_are_errors(tmp_path):
    (tmp_path / "lex.csv").write_bytes(b"\x00\x01\x02")
    assert "binary file" in one_error(*cli("lexicon", "--lexicon", tmp_path / "lex.csv"))
    write(tmp_path / "lex.txt", "社区治理")
    assert "unknown lexicon format '.txt'" in one_error(*cli("lexicon", "--lexicon", tmp_path / "lex.txt"))


def test_terms_with_latin_letters_digits_and_symbols_are_found_and_kept_whole(tmp_path):
    write(tmp_path / "lex.csv", "concept,term\n5G,5G\n互联网+,互联网+\nO2O,O2O\n")
    write(tmp_path / "a.txt", "5G网络支撑互联网+政务，O2O模式与5G融合。")
    status, out, _ = cli("count", tmp_path / "a.txt", "--lexicon", tmp_path / "lex.csv", "--level", "term")
    assert status == 0 and counts(out, "term") == {"5G": 2, "互联网+": 1, "O2O": 1}
    status, out, _ = cli("words", tmp_path / "a.txt", "--lexicon", tmp_path / "lex.csv")
    found = pd.read_csv(io.StringIO(out), keep_default_na=False).set_index("word")["count"].to_dict()
    assert found["5G"] == 2 and found["互联网+"] == 1 and found["O2O"] == 1
    assert segment.plain_split("互联网+") != "互联网+"  # plain jieba cannot keep it whole


# --- output paths --------------------------------------------------------------------------------

def test_output_path_that_is_a_folder_is_an_error(tmp_path):
    line = one_error(*cli("count", PROJECT_DIR / "data" / "sample", "--lexicon", LEX, "-o", tmp_path))
    assert "is a folder; give a file name such as" in line


def test_output_inside_a_file_instead_of_a_folder_is_an_error(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    line = one_error(*cli("count", tmp_path / "a.txt", "--lexicon", LEX, "-o", tmp_path / "a.txt" / "r.csv"))
    assert "a.txt is a file, not a folder" in line


def test_permission_denied_output_is_an_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match=r"cannot write in .* \(Permission denied\)"):
        output.write_table(pd.DataFrame({"a": [1]}), tmp_path / "r.csv")


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_permission_denied_output_through_the_cli(tmp_path):
    """As root, file modes are ignored: then use /sys, which even root cannot write."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        target = locked / "r.csv"
    elif Path("/sys").is_dir() and _cannot_create(Path("/sys")):
        target = Path("/sys/r.csv")
    else:
        pytest.skip("running as root without a read-only folder")
    line = one_error(*cli("count", PROJECT_DIR / "data" / "sample", "--lexicon", LEX, "-o", target))
    assert "cannot write in" in line and "choose another output path" in line


def _cannot_create(folder: Path) -> bool:
    try:
        (folder / ".analysis-probe").touch()
    except OSError:
        return True
    (folder / ".analysis-probe").unlink()
    return False


def test_control_characters_cannot_go_to_xlsx_but_can_go_to_csv(tmp_path):
    write(tmp_path / "lex.csv", "concept,term\na\x01b,社区治理\n")
    line = one_error(*cli("lexicon", "--lexicon", tmp_path / "lex.csv", "-o", tmp_path / "l.xlsx"))
    assert "control characters" in line and "write a .csv file instead" in line
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".*"))
    assert cli("lexicon", "--lexicon", tmp_path / "lex.csv", "-o", tmp_path / "l.csv")[0] == 0


def test_bad_provenance_name_fails_before_the_table_is_written(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    line = one_error(*cli("count", tmp_path / "a.txt", "--lexicon", LEX, "-o", tmp_path / "r.csv",
                          "--provenance", tmp_path / "p.txt"))
    assert "unknown provenance format '.txt'" in line and not (tmp_path / "r.csv").exists()


# --- nothing lost, nothing half-written ----------------------------------------------------------

def _fingerprint(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_inputs_are_never_modified_by_any_command(tmp_path):
    inputs = tmp_path / "in"
    write(inputs / "a.txt", "社区 治理\r\n社区 治理\r\n", "gb18030")
    write(inputs / "b.txt", "")
    write(inputs / "MANIFEST.csv", "file,year\na.txt,2020\nb.txt,2021\n")
    write(tmp_path / "t.csv", "text\n协商民主\n")
    write(tmp_path / "lex.csv", " concept ,term\n社区治理, 社区治理 \n")
    before = _fingerprint(tmp_path)
    for args in (["count", inputs, tmp_path / "t.csv", "--lexicon", tmp_path / "lex.csv"],
                 ["words", inputs, tmp_path / "t.csv", "--lexicon", tmp_path / "lex.csv"],
                 ["lexicon", "--lexicon", tmp_path / "lex.csv"]):
        assert cli(*args)[0] == 0
    assert _fingerprint(tmp_path) == before


def test_documents_counted_plus_skipped_add_up_to_the_documents_given(tmp_path):
    write(tmp_path / "f" / "a.txt", "社区治理")
    write(tmp_path / "f" / "sub" / "b.txt", "协商民主")
    write(tmp_path / "f" / "c.txt", "")
    write(tmp_path / "f" / "d.txt", "\n\u3000\n")
    write(tmp_path / "t.csv", "text\n党建引领\n \n社区治理\n")
    given = corpus.read([tmp_path / "f", tmp_path / "t.csv"])
    corp = corpus.from_documents(given)
    assert len(given) == 7
    assert len(corp.docs) + len(corp.skipped) == 7
    assert set(corp.docs.doc) | set(corp.skipped.doc) == {d.doc for d in given}
    assert len(corp.docs) == 4 and sorted(corp.skipped.doc) == ["c", "d", "t-2"]


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "r.csv"
    target.write_bytes(b"old result\n")

    def half_then_interrupt(handle):
        handle.write(b"concept,count\n\xe7\xa4\xbe")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        output.write_atomically(target, half_then_interrupt)
    assert target.read_bytes() == b"old result\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGINT to a child process; /proc")
def test_ctrl_c_ends_with_one_line_exit_130_and_keeps_the_old_output(tmp_path):
    folder = tmp_path / "texts"
    for i in range(8):  # several big documents: the worker pool starts, segmentation takes ~10 s (a loaded
        # machine may pause this test for a second or two between seeing the workers and sending the signal)
        write(folder / f"long{i}.txt", f"社区 治理，党建引领和协商民主{i}。基层治理现代化\n" * 160_000)
    target = write(tmp_path / "r.csv", "old result\n")
    child = subprocess.Popen([sys.executable, "-m", "analysis", "words", str(folder), "--keep-duplicates",
                              "--no-cache", "--jobs", "2", "-o", str(target)],
                             cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not _children(child.pid) and time.monotonic() < deadline:  # the first worker is being forked: a
        time.sleep(0.001)  # signal arriving during a fork was once lost (the run went on and wrote its output)
    assert _children(child.pid), "the run did not start its worker processes"
    with open(f"/proc/{child.pid}/status") as status:  # shown if the run ignored the signal
        dispositions = [line.strip() for line in status if line.startswith(("SigIgn", "SigCgt", "SigBlk"))]
    child.send_signal(signal.SIGINT)
    out, err = child.communicate()
    err = err.decode("utf-8")
    assert child.returncode == 130 and "Traceback" not in err, (child.returncode, dispositions, err[-500:])
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        "error: interrupted; no output file was written"]
    assert target.read_text() == "old result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "texts"]


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                if entry.isdigit() and int(f.read().rsplit(b")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_an_internal_error_is_one_line_with_status_1_not_a_traceback(monkeypatch, capsys):
    from analysis import cli as cli_module

    def broken(args):
        raise ValueError("something\nwent wrong")

    monkeypatch.setitem(cli_module.COMMANDS, "lexicon", (*cli_module.COMMANDS["lexicon"][:2], broken))
    monkeypatch.delenv("ANALYSIS_DEBUG", raising=False)
    assert cli_module.main(["lexicon"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: internal error: ValueError: something went wrong; please report this")
    assert len(err.splitlines()) == 1
    monkeypatch.setenv("ANALYSIS_DEBUG", "1")
    with pytest.raises(ValueError):
        cli_module.main(["lexicon"])


# --- safe reports --------------------------------------------------------------------------------

def test_markup_in_documents_and_metadata_is_shown_as_text_in_styled_tables(tmp_path):
    from analysis.present.safe_html import escape, safe_styler, table_html

    write(tmp_path / "t.csv", 'doc,<img src=x onerror=alert(2)>,text\n'
                              'r1,<b>来源</b>,"社区治理<script>alert(1)</script>。\n<img src=x onerror=alert(1)>协商民主"\n')
    corp = corpus.build(tmp_path / "t.csv")
    assert "<script>alert(1)</script>" in corp.paragraphs.style.to_html()  # a plain Styler: live markup
    assert "<img src=x onerror=alert(2)>" in corp.docs.style.to_html()
    for frame in (corp.paragraphs, corp.docs):
        page = safe_styler(frame).to_html()
        assert "<script" not in page and "<img" not in page and "<b>" not in page
    page = safe_styler(corp.paragraphs.style.highlight_max(subset=["para"])).to_html()
    assert "社区治理&lt;script&gt;alert(1)&lt;/script&gt;。" in page
    assert "&lt;img src=x onerror=alert(1)&gt;协商民主" in page
    docs_page = safe_styler(corp.docs).to_html()
    assert "&lt;img src=x onerror=alert(2)&gt;" in docs_page and "&lt;b&gt;来源&lt;/b&gt;" in docs_page
    assert "<script" not in table_html(corp.paragraphs) and escape("<a href='x'>") == "&lt;a href=&#x27;x&#x27;&gt;"


def test_a_document_given_twice_is_reported_but_different_documents_are_not(tmp_path):
    (tmp_path / "a.txt").write_text("党建引领社区治理。\n推进基层协商民主。", encoding="utf-8")
    (tmp_path / "copy-of-a.txt").write_bytes("党建引领社区治理。\r\n推进基层协商民主。\r\n".encode("gb18030"))  # same once decoded and cleaned
    (tmp_path / "b.txt").write_text("推进基层协商民主。\n党建引领社区治理。", encoding="utf-8")  # same paragraphs, other order
    corp = corpus.build(tmp_path)
    assert corp.identical_documents() == [["a", "copy-of-a"]]
    notes = [n for n in corp.notices() if "same text" in n]
    assert len(notes) == 1 and "a, copy-of-a" in notes[0] and "b" not in notes[0].split(":")[1].split(";")[0]


@pytest.mark.parametrize("text", ["社区治理", "居委会", "党建引领", "协商民主"])
def test_short_gbk_files_are_read_as_gbk_not_big5(tmp_path, text):
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("gbk"))
    docs = corpus.read(path)
    assert (docs[0].text, docs[0].encoding) == (text, "gb18030")
    status, out, err = cli("count", path, "--lexicon", LEX, "-q")
    assert status == 0
    if text in ("社区治理", "协商民主", "党建引领"):
        assert re.search(rf"^{text},[^,]*,1,", out, re.M), out


@pytest.mark.parametrize("text", ["社區治理", "協商民主", "居委會", "黨建引領", "中華人民共和國"])
def test_short_big5_files_are_read_as_big5(tmp_path, text):
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("big5"))
    docs = corpus.read(path)
    assert (docs[0].text, docs[0].encoding) == (text, "big5")


def test_traditional_text_without_simplified_gets_a_notice_naming_it_and_the_option(tmp_path):
    write(tmp_path / "trad.txt", "推進基層協商民主，加強社區治理。")
    write(tmp_path / "simp.txt", "推进基层协商民主，加强社区治理。")
    status, out, err = cli("count", tmp_path, "--lexicon", LEX)
    assert status == 0
    notice = next(line for line in err.splitlines() if "Traditional" in line)
    assert "1 document(s) are largely in Traditional characters: trad;" in notice and notice.endswith("(--simplified)")
    assert re.search(r"^协商民主,[^,]*,1,", out, re.M)  # only the Simplified document counts without the option
    status, out, err = cli("count", tmp_path, "--lexicon", LEX, "--simplified")
    assert "largely in Traditional" not in err and re.search(r"^协商民主,[^,]*,2,", out, re.M)
