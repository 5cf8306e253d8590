"""Bad input while reading documents: ragged or ambiguous tables and manifests, files a folder holds
but that are not read, settings that do not apply, UTF-16 without a byte-order mark, many identical
documents. Each case either works, or says what happened (a notice) or what to do (an error).

Most cases run the real command line as a subprocess, as a user would; some also go through the
Python API.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus, encoding
from analysis.config import CORPORA_DIR, LEXICON_DIR, PROJECT_DIR
from analysis.errors import DecodeError, InputError, InputNotice

LEX = str(LEXICON_DIR / "sample-concepts.csv")


def cli(*args: str, cwd=PROJECT_DIR, timeout: float | None = 120):
    """Run ``python -m analysis`` as a user would; return (status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, cwd=cwd,
                          timeout=timeout)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def one_error(status: int, out: str, err: str) -> str:
    """Assert the run failed as a user error should, and return its one ``error:`` line."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if not line.startswith("notice:")]
    assert status == 2 and out == "", err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def notices(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("notice: ")]


def counts(out: str, key: str = "concept") -> dict:
    return pd.read_csv(io.StringIO(out)).set_index(key)["count"].to_dict()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def notices_of(call, *args, **kwargs) -> tuple[object, list[str]]:
    """Call a function of the API; return its result and the InputNotice sentences it issued."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call(*args, **kwargs)
    return result, [str(w.message) for w in caught if issubclass(w.category, InputNotice)]


# --- 1. ragged CSV rows ------------------------------------------------------------------------------

def test_rows_with_one_field_more_than_the_header_are_an_error_not_shifted_columns(tmp_path):
    # Before: pandas made the first column the index, the year became the text, every count 0.
    table = write(tmp_path / "t.csv", "text,year\n社区治理,2020,extra\n协商民主,2021,extra\n")
    line = one_error(*cli("count", table, "--lexicon", LEX))
    assert "t.csv" in line and "line 2 (3 fields), line 3 (3 fields)" in line and "header has 2" in line


def test_ragged_rows_are_named_by_line_first_five_then_how_many_more(tmp_path):
    rows = ["doc,text", "a,社区治理"] + [f"r{i},社区治理,多余" for i in range(8)] + ["z"]
    with pytest.raises(InputError) as caught:
        corpus.read(write(tmp_path / "t.csv", "\n".join(rows) + "\n"))
    message = str(caught.value)
    assert "9 row(s)" in message
    assert "line 3 (3 fields), line 4 (3 fields), line 5 (3 fields), line 6 (3 fields), line 7 (3 fields)" in message
    assert "and 4 more" in message and "line 8" not in message


def test_a_row_with_fewer_fields_is_an_error_but_blank_lines_and_quoted_line_breaks_are_not(tmp_path):
    with pytest.raises(InputError, match=r"line 3 \(1 field\)"):
        corpus.read(write(tmp_path / "short.csv", "doc,text\na,社区治理\nb\n"))
    fine = write(tmp_path / "fine.csv", 'year,text\n2020,"社区治理\n协商民主"\n\n2021,党建引领\n')
    assert [d.text for d in corpus.read(fine)] == ["社区治理\n协商民主", "", "党建引领"]
    with pytest.raises(InputError, match=r"line 5 \(3 fields\)"):  # a row after a quoted line break: its first line
        corpus.read(write(tmp_path / "q.csv", 'doc,text\na,"社区治理\n协商民主"\nb,x\nc,x,y\n'))


def test_ragged_manifest_rows_are_an_error_naming_their_lines(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    write(tmp_path / "MANIFEST.csv", "file,year\na.txt,2020,第一\n")
    line = one_error(*cli("count", tmp_path, "--lexicon", LEX))
    assert "MANIFEST.csv" in line and "line 2 (3 fields)" in line


# --- 2. everything in a folder is read or named -----------------------------------------------------

def test_files_that_are_not_txt_in_a_folder_are_named_in_a_notice(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    for name in ("table.csv", "notes.md", "page.json"):
        write(tmp_path / "sub" / name, "协商民主")
    (tmp_path / "paper.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "paper.caj").write_bytes(b"CAJ")
    write(tmp_path / "MANIFEST.csv", "file,year\na.txt,2020\n")
    status, out, err = cli("count", tmp_path, "--lexicon", LEX)
    assert status == 0 and counts(out)["社区治理"] == 1
    said = "\n".join(notices(err))
    for name in ("sub/table.csv", "sub/notes.md", "sub/page.json", "paper.docx", "paper.pdf", "paper.caj"):
        assert name in said, err
    assert "not .txt" in said and "MANIFEST.csv" not in said


def test_the_skipped_files_notice_names_five_then_how_many_more(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    for i in range(8):
        write(tmp_path / f"n{i}.md", "协商民主")
    _, said = notices_of(corpus.read, tmp_path)
    [note] = [n for n in said if "not .txt" in n]
    assert "8 file(s)" in note and "n0.md, n1.md, n2.md, n3.md, n4.md, and 3 more" in note and "n5.md" not in note


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and symbolic links")
def test_broken_and_looping_links_fifos_and_linked_folders_are_named_and_never_block(tmp_path):
    folder = tmp_path / "f"
    write(folder / "a.txt", "社区治理")
    write(tmp_path / "elsewhere" / "b.txt", "协商民主")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")  # opening it would wait for a writer forever
    status, out, err = cli("count", folder, "--lexicon", LEX, timeout=60)
    assert status == 0 and counts(out)["社区治理"] == 1, err
    [note] = [n for n in notices(err) if "cannot be read" in n]
    assert "dangling.txt (broken symbolic link" in note
    assert "loop1.txt (symbolic link loop" in note and "loop2.txt (symbolic link loop" in note
    assert "pipe.txt (a FIFO" in note and "linked (a link to a folder" in note


def test_an_unreadable_sub_folder_is_named_in_a_notice(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", "社区治理")
    write(tmp_path / "locked" / "b.txt", "协商民主")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # file modes do not stop root: refuse the way the OS would
    docs, said = notices_of(corpus.read, tmp_path)
    assert [d.doc for d in docs] == ["a"]
    assert any("locked (folder cannot be read: Permission denied)" in n for n in said), said
    with pytest.raises(InputError, match=r"locked: folder cannot be read \(Permission denied\)"):
        corpus.read(tmp_path / "locked")  # before: "folder contains no .txt files"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_sub_folder_is_named_through_the_cli(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    locked = tmp_path / "locked"
    write(locked / "b.txt", "协商民主")
    locked.chmod(0)
    try:
        status, out, err = cli("count", tmp_path, "--lexicon", LEX)
    finally:
        locked.chmod(0o700)
    assert status == 0 and "locked (folder cannot be read" in err


def test_a_manifest_in_a_sub_folder_gives_that_sub_folders_files_their_metadata(tmp_path):
    write(tmp_path / "one" / "a.txt", "社区治理")
    write(tmp_path / "one" / "MANIFEST.csv", "file,year\na.txt,2020\n")
    write(tmp_path / "two" / "deeper" / "b.txt", "协商民主")
    write(tmp_path / "two" / "MANIFEST.csv", "file,year\ndeeper/b.txt,2021\n")
    write(tmp_path / "three" / "c.txt", "党建引领")
    write(tmp_path / "MANIFEST.csv", "file,year\nthree/c.txt,2022\n")
    docs, said = notices_of(corpus.read, tmp_path)
    assert {d.doc: d.meta.get("year") for d in docs} == {"a": 2020, "b": 2021, "c": 2022}
    assert said == []
    status, out, err = cli("count", tmp_path, "--lexicon", LEX, "--by", "year")
    table = pd.read_csv(io.StringIO(out))
    assert status == 0 and sorted(set(table.year)) == [2020, 2021, 2022], err


def test_files_a_sub_folder_manifest_does_not_list_are_named_under_that_manifest(tmp_path):
    write(tmp_path / "one" / "a.txt", "社区治理")
    write(tmp_path / "one" / "b.txt", "社区治理")
    write(tmp_path / "one" / "MANIFEST.csv", "file,year\na.txt,2020\ngone.txt,2019\n")
    write(tmp_path / "c.txt", "协商民主")  # no manifest above it: no notice
    _, said = notices_of(corpus.read, tmp_path)
    manifest = str(tmp_path / "one" / "MANIFEST.csv")
    assert f"{manifest}: does not list 1 file(s): b.txt; they have no metadata" in said
    assert f"{manifest}: lists 1 file(s) not in the folder: gone.txt; they are not analysed" in said
    assert len(said) == 2


def test_the_two_bundled_corpora_read_together_give_every_document_its_year():
    docs, said = notices_of(corpus.read, CORPORA_DIR)
    texts = sorted(CORPORA_DIR.rglob("*.txt"))
    assert len(docs) == len(texts) > 60
    assert all(isinstance(d.meta.get("year"), int) for d in docs), [d.doc for d in docs if "year" not in d.meta]
    assert not any("MANIFEST.csv" in n for n in said)  # every file listed, every listed file there
    status, out, err = cli("count", CORPORA_DIR, "--lexicon", LEX, "--by", "year")
    years = set(pd.read_csv(io.StringIO(out)).year)
    assert status == 0, err
    assert years == {d.meta["year"] for d in docs} and {1954, 1969, 2022} <= years


# --- 3. silent choices in metadata -----------------------------------------------------------------

def test_a_file_listed_twice_in_the_manifest_is_an_error_naming_both_lines(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    write(tmp_path / "b.txt", "协商民主")
    write(tmp_path / "MANIFEST.csv", "file,year\na.txt,2020\nb.txt,2021\na.txt,2022\n")
    line = one_error(*cli("count", tmp_path, "--lexicon", LEX))
    assert "MANIFEST.csv" in line and "'a.txt'" in line and "lines 2 and 4" in line


@pytest.mark.parametrize("header, where", [("text,text", "columns 1 and 2"), ("doc, text,text ", "columns 2 and 3")])
def test_duplicate_column_names_in_a_table_are_an_error(tmp_path, header, where):
    # Before: pandas renamed the second one 'text.1' and counted the first without a word.
    fields = header.count(",") + 1
    table = write(tmp_path / "t.csv", f"{header}\n" + ",".join(["社区治理"] * fields) + "\n")
    line = one_error(*cli("count", table, "--lexicon", LEX))
    assert f"t.csv: column 'text' appears twice in the header ({where})" in line


def test_duplicate_column_names_in_a_manifest_are_an_error(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    write(tmp_path / "MANIFEST.csv", "file,year,year\na.txt,2020,2021\n")
    with pytest.raises(InputError, match=r"MANIFEST\.csv: column 'year' appears twice in the header \(columns 2 and 3\)"):
        corpus.read(tmp_path)


def test_empty_column_names_are_not_duplicates(tmp_path):
    table = write(tmp_path / "t.csv", "text,,\n社区治理,,\n")  # as spreadsheets export trailing empty columns
    assert [d.text for d in corpus.read(table)] == ["社区治理"]


# --- 4. settings that do not apply -------------------------------------------------------------------

def test_sheet_given_for_a_csv_table_gives_a_notice_naming_the_setting(tmp_path):
    table = write(tmp_path / "t.csv", "text\n社区治理\n")
    status, out, err = cli("count", table, "--lexicon", LEX, "--sheet", "Sheet2")
    assert status == 0 and counts(out)["社区治理"] == 1
    [note] = [n for n in notices(err) if "sheet" in n]
    assert "only to .xlsx" in note and "t.csv" in note and note.endswith("(--sheet)")
    with pytest.warns(InputNotice) as caught:
        corpus.read(table, sheet="Sheet2")
    assert [w.message.args[0].parameter for w in caught] == ["sheet"]


# --- 5. UTF-16 without a byte-order mark -----------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, codec):
    path = tmp_path / "a.txt"
    path.write_bytes("社区治理 and ascii".encode(codec))
    [doc] = corpus.read(path)
    assert (doc.text, doc.encoding) == ("社区治理 and ascii", codec)
    status, out, err = cli("count", path, "--lexicon", LEX)
    assert status == 0 and counts(out)["社区治理"] == 1, err


def test_damaged_utf16_without_a_byte_order_mark_says_so(tmp_path):
    data = "社区治理 and ascii".encode("utf-16-le")
    for damaged in (data + b"x", data[:4] + b"\x00\xdc" + data[4:]):  # a cut character, a lone low surrogate
        with pytest.raises(DecodeError, match="looks like UTF-16 without a byte-order mark; re-save it as UTF-8"):
            encoding.decode(damaged, source="a.txt")


def test_real_binary_files_are_still_called_binary():
    with pytest.raises(DecodeError, match="binary file"):
        encoding.decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", source="a.png")
    with pytest.raises(DecodeError, match="binary file"):  # 16-bit numbers below 256: NULs at odd offsets, not text
        encoding.decode(bytes(b for i in range(200) for b in (i % 32, 0)), source="a.bin")


# --- 6. many identical documents -------------------------------------------------------------------

def test_identical_documents_are_found_in_linear_time_and_named_in_a_bounded_notice():
    n = 20_000  # before: 12 s here, and one notice of 289,000 characters
    docs = [corpus.Document(f"r{i}", "推进基层协商民主，党建引领社区治理。", f"t.csv#row={i}", "table", "")
            for i in range(n)]
    corp = corpus.from_documents(docs)
    start = time.perf_counter()
    groups = corp.identical_documents()
    assert time.perf_counter() - start < 3
    assert len(groups) == 1 and len(groups[0]) == n
    [note] = [n for n in corp.notices() if "same text" in n]
    assert note.startswith(f"{n} documents have the same text after cleaning: ")
    assert f", and {n - 5} more;" in note and len(note) < 400


def test_many_groups_of_identical_documents_give_at_most_five_notices_and_a_summary():
    docs = [corpus.Document(f"g{g}-{i}", f"社区治理{g}。", "x.txt", "utf-8", "") for g in range(8) for i in range(2)]
    docs.append(corpus.Document("other", "协商民主。", "o.txt", "utf-8", ""))
    corp = corpus.from_documents(docs)
    assert corp.identical_documents() == [[f"g{g}-0", f"g{g}-1"] for g in range(8)]
    said = [n for n in corp.notices() if "same text" in n]
    assert len(said) == 6 and "and 3 more group(s) of documents with the same text (6 documents)" in said[-1]


def test_documents_with_the_same_paragraphs_in_another_order_or_split_differently_are_not_identical():
    docs = [corpus.Document("a", "社区治理。\n协商民主。", "a.txt", "utf-8", ""),
            corpus.Document("b", "协商民主。\n社区治理。", "b.txt", "utf-8", ""),
            corpus.Document("c", "社区治理。协商民主。", "c.txt", "utf-8", ""),
            corpus.Document("d", "社区治理。\n\n协商民主。\n", "d.txt", "utf-8", "")]
    assert corpus.from_documents(docs).identical_documents() == [["a", "d"]]

