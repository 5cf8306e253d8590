"""Loading: files, folders with manifests, tables, encodings; inputs never modified."""

from __future__ import annotations

import hashlib
import pickle

import openpyxl
import pandas as pd
import pytest

from analysis import corpus
from analysis.errors import DecodeError, InputError
from tests.conftest import write

TEXT = "基层党建引领社区治理。\n推进基层协商民主。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_are_detected(tmp_path, encoding):
    path = write(tmp_path / "doc.txt", TEXT, encoding)
    doc, = corpus.read(path)
    assert doc.text == TEXT
    assert doc.encoding in {"utf-8": ("utf-8",), "utf-8-sig": ("utf-8-sig",), "gb18030": ("gb18030",),
                            "gbk": ("gb18030",), "utf-16": ("utf-16",)}[encoding]


def test_big5_is_detected(tmp_path):
    path = write(tmp_path / "tw.txt", "協商民主是我國社會主義民主政治的特有形式和獨特優勢。" * 3, "big5")
    doc, = corpus.read(path)
    assert doc.encoding == "big5" and doc.text.startswith("協商民主")


def test_binary_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DecodeError, match=r"image\.txt.*binary"):
        corpus.read(path)


def test_damaged_utf8_names_file_and_byte_offset(tmp_path):
    data = "社区治理水平".encode()
    path = tmp_path / "bad.txt"
    path.write_bytes(data[:9] + b"\xff" + data[9:])
    with pytest.raises(DecodeError, match=r"bad\.txt.*offset 9"):
        corpus.read(path)


def test_folder_reads_every_txt_with_manifest_metadata(tmp_path):
    write(tmp_path / "b.txt", "乙")
    write(tmp_path / "a.txt", "甲")
    write(tmp_path / "notes.md", "not a document")
    write(tmp_path / "MANIFEST.csv", "file,year,title,sha256\na.txt,1954,报告甲,x\nb.txt,1955,报告乙,y\n")
    corp = corpus.build(tmp_path)
    assert corp.docs.doc.tolist() == ["a", "b"]
    assert corp.docs.year.tolist() == [1954, 1955] and corp.docs.title.tolist() == ["报告甲", "报告乙"]
    assert corp.docs.sha256.tolist() == [hashlib.sha256(s.encode()).hexdigest() for s in ("甲", "乙")]
    assert "year" in corp.metadata_columns


def test_bundled_corpus_has_years_from_its_manifest():
    from analysis.config import CORPORA_DIR

    corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    assert len(corp.docs) == 12 and corp.docs.year.min() == 1969 and corp.docs.year.max() == 2022


def test_empty_files_in_a_folder_are_skipped_with_a_notice(tmp_path):
    write(tmp_path / "a.txt", "社区治理")
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.txt", " \n\u3000\n")
    corp = corpus.build(tmp_path)
    assert corp.docs.doc.tolist() == ["a"]
    assert sorted(corp.skipped.doc) == ["blank", "empty"]
    assert sum("skipped" in n for n in corp.notices()) == 2


def test_nothing_left_is_an_error(tmp_path):
    write(tmp_path / "empty.txt", "")
    with pytest.raises(InputError, match="no text to analyse"):
        corpus.build(tmp_path)


def test_missing_path_and_empty_folder_are_errors(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        corpus.read(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="no .txt files"):
        corpus.read(tmp_path)


def test_csv_table_one_document_per_row(tmp_path):
    path = write(tmp_path / "docs.csv", "id,year,text\nr1,2020,协商民主\nr2,2021,社区治理\n", "gb18030")
    docs = corpus.read(path)
    assert [d.doc for d in docs] == ["r1", "r2"] and docs[1].text == "社区治理"
    assert docs[0].meta["year"] == 2020


def test_table_rows_share_their_columns_and_give_the_same_document_table_as_dicts(tmp_path):
    # A row's metadata is a view of the table (a dict per row would cost more than a one-line document);
    # it must behave, pickle and tabulate exactly like the dict it stands for.
    path = write(tmp_path / "docs.csv", "id,year,title,text\nr1,2020,甲,协商民主\nr2,,乙,社区治理\nr3,2022,,党建引领\n")
    docs = corpus.read(path)
    as_dicts = [{"id": "r1", "year": 2020, "title": "甲"}, {"id": "r2", "year": pd.NA, "title": "乙"},
                {"id": "r3", "year": 2022, "title": ""}]  # a blank year is missing, not ""
    assert [dict(d.meta) for d in docs] == as_dicts and docs[0].meta == as_dicts[0]
    assert docs[0].meta.table is docs[2].meta.table  # one copy of the columns
    assert pickle.loads(pickle.dumps(docs[2])).meta == as_dicts[2]
    assert type(pickle.loads(pickle.dumps(docs[1].meta))) is dict
    copies = [corpus.Document(d.doc, d.text, d.path, d.encoding, d.sha256, dict(d.meta)) for d in docs]
    pd.testing.assert_frame_equal(corpus.clean(docs)[0].docs, corpus.clean(copies)[0].docs)


def test_csv_text_column_option_and_missing_column_error(tmp_path):
    path = write(tmp_path / "docs.csv", "year,正文\n2020,协商民主\n")
    assert corpus.read(path, text_column="正文")[0].text == "协商民主"
    with pytest.raises(InputError, match=r"no column 'text' \(columns: year, 正文\)"):
        corpus.read(path)


def test_xlsx_table(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["title", "text"])
    sheet.append(["甲", "党建引领"])
    sheet.append(["乙", "协商民主"])
    book.save(tmp_path / "docs.xlsx")
    docs = corpus.read(tmp_path / "docs.xlsx")
    assert [d.doc for d in docs] == ["docs-1", "docs-2"] and docs[0].meta == {"title": "甲"}


def test_document_ids_stay_unique_across_inputs(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    write(tmp_path / "x" / "report.txt", "甲")
    write(tmp_path / "y" / "report.txt", "乙")
    docs = corpus.read([tmp_path / "x", tmp_path / "y"])
    assert [d.doc for d in docs] == ["x/report", "y/report"]


def test_inputs_are_never_modified(tmp_path):
    path = write(tmp_path / "doc.txt", "社区 治理\r\n社区 治理\r\n", "gb18030")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    corpus.build(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before

