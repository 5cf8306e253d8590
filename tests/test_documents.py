"""Reading PDF, Word (.docx) and saved web pages: pages kept, headers removed, headings and tables read.

The files are built here: PDFs with fpdf2 (the ``dev`` extra) in Noto Sans CJK SC
(the font ``mplfonts`` ships), .docx files with python-docx, web pages by hand.
Every expected count is stated by hand from the text written into the file.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import warnings

import docx
import pandas as pd
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from analysis import corpus, kwic, lexicon, match, provenance
from analysis.config import LEXICON_DIR, PROJECT_DIR
from analysis.engine import pool
from analysis.errors import InputError, InputNotice
from analysis.present.fonts import bundled_font_path
from analysis.text import pdf as pdf_reader

LEX = str(LEXICON_DIR / "sample-concepts.csv")  # concepts 党建引领, 协商民主 (also 基层协商民主), 社区治理
HEADER = "社区治理工作简报"  # holds the lexicon term 社区治理: counted if the header were not removed
PAGE_1 = ["我们坚持党建引领，推进基层治理现代化，完善基层协商",  # the line breaks inside 协商民主
          "民主制度，让居民参与公共事务。"]
PAGE_2 = ["第二页继续总结党建引领的经验。"]


def cli(*args):
    done = subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, cwd=PROJECT_DIR)
    return done.returncode, done.stdout, done.stderr.decode("utf-8")


def make_pdf(path, pages, *, header=None, page_numbers=False, password=None, image_pages=()):
    """A PDF with one printed line per string (fpdf2 ``cell``: no wrapping), optionally a header and '- n -' footer."""
    pdf = FPDF(format="A4")
    pdf.add_font("noto", fname=str(bundled_font_path()))
    pdf.set_font("noto", size=12)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        if number in image_pages:  # a scanned page: an image, no text
            pdf.image(Image.new("RGB", (60, 80), "white"), x=20, y=20, w=120)
            continue
        if header:
            pdf.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        if page_numbers:
            pdf.cell(0, 8, f"- {number} -", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.output(str(path))
    return path


def two_page_pdf(path):
    return make_pdf(path, [PAGE_1, PAGE_2], header=HEADER, page_numbers=True)


def make_docx(path):
    """Word headings without 一、 numbering, body paragraphs, a tracked deletion, a comment and a 2x2 table."""
    document = docx.Document()
    document.add_heading("总体要求", level=1)
    kept = document.add_paragraph("坚持党建引领。")
    document.add_comment(kept.runs, text="社区治理还要写", author="审稿人")  # a comment is not the text
    kept._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">'
                             "<w:r><w:delText>党建引领</w:delText></w:r></w:del>"))
    document.add_heading("工作机制", level=1)
    document.add_paragraph("完善协商民主制度。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "事项", "做法"
    table.cell(1, 0).text, table.cell(1, 1).text = "社区治理", "推进协商民主"
    document.save(str(path))
    return path


PAGE_HTML = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于加强基层治理的意见</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zc">政策</a></div>
<article><h1>关于加强基层治理的意见</h1>
<p>各地要坚持党建引领，健全基层治理体系，把协商民主贯穿基层治理全过程，不断提升治理效能和服务水平。</p>
<p>要完善居民议事制度，推动社区居民广泛参与公共事务，形成共建共治共享的良好格局和长效机制。</p>
</article>
<div class="footer">版权所有：社区治理网 网站地图 联系我们</div></body></html>"""


def make_html(path):
    path.write_bytes(PAGE_HTML.encode("gb18030"))  # as the page declares (GB2312, read as its superset)
    return path


def counts(out: bytes) -> dict:
    return pd.read_csv(io.BytesIO(out)).set_index("concept")["count"].to_dict()


def read_noting(paths):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corp = corpus.build(paths)
    return corp, [str(w.message) for w in caught if issubclass(w.category, InputNotice)]


# --- PDF: the two-page document ------------------------------------------------------------

def test_the_two_page_pdf_really_has_the_break_inside_the_term_and_the_header_on_both_pages(tmp_path):
    import pypdfium2

    raw = [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(two_page_pdf(tmp_path / "a.pdf"))]
    assert "协商\r\n民主" in raw[0] and all(text.startswith(HEADER) for text in raw)


def test_count_on_a_two_page_pdf_counts_2_and_1_and_not_the_running_header(tmp_path):
    status, out, err = cli("count", two_page_pdf(tmp_path / "a.pdf"), "--lexicon", LEX)
    assert status == 0, err
    # 党建引领 once per page; 基层协商民主 once, across the line break; 社区治理 only in the header.
    assert counts(out) == {"党建引领": 2, "协商民主": 1, "社区治理": 0}
    assert f"'{HEADER}' (2 of 2 pages)" in err and "'- 1 -' (2 of 2 pages)" in err
    assert "re-joined 1 line(s) broken mid-sentence" in err


def test_kwic_on_a_two_page_pdf_gives_pages_1_and_2(tmp_path):
    status, out, err = cli("kwic", two_page_pdf(tmp_path / "a.pdf"), "--lexicon", LEX, "--term", "党建引领")
    assert status == 0, err
    table = pd.read_csv(io.BytesIO(out))
    assert table.page.tolist() == [1, 2] and table.keyword.tolist() == ["党建引领", "党建引领"]
    assert list(table.columns[:5]) == ["doc", "section", "section_title", "para", "page"]


def test_pdf_paragraphs_hits_and_report_keep_pages_and_what_reading_removed(tmp_path):
    corp = corpus.build(two_page_pdf(tmp_path / "a.pdf"))
    assert corp.paragraphs.text.tolist() == [PAGE_1[0] + PAGE_1[1], PAGE_2[0]]
    assert corp.paragraphs.page.tolist() == [1, 2]
    report = dict(zip(corp.report.step, corp.report.changed))
    assert report["running_headers"] == 4 and report["joined_lines"] == 1  # 2 headers + 2 page numbers
    hits = match.find(corp.paragraphs, lexicon.load(LEX))
    assert hits[hits.concept == "党建引领"].page.tolist() == [1, 2]
    assert corp.docs.encoding.iloc[0].startswith("pdf (pypdfium2 ")
    assert "running_headers" in corp.steps()


def test_alternating_headers_on_odd_and_even_pages_are_both_removed_and_body_lines_kept():
    odd, even = "中国行政管理 2024年第3期", "论基层治理中的协商民主"
    sentences = iter("党建引领社区治理。推进基层协商民主。完善居民议事制度。健全村民自治机制。加强网格化管理。"
                     "发展社区社会组织。壮大志愿服务队伍。提升公共服务水平。优化议事协商流程。强化基层党组织。"
                     "深化街道体制改革。推动资源下沉社区。创新矛盾调解方式。丰富居民文化生活。建设智慧社区平台。".split("。"))
    bodies = [[next(sentences) + "。" for _ in range(3)] for _ in range(5)]  # different text on every page
    pages = [[odd if n % 2 else even, *body, str(n)] for n, body in enumerate(bodies, start=1)]
    kept, removed = pdf_reader.remove_running_lines(pages)  # the odd header is on 3 pages, the even one on 2
    assert kept == bodies
    assert removed == [(odd, 3), ("1", 5), (even, 2)]


def test_a_short_line_or_a_finished_sentence_is_not_joined_to_the_next():
    lines = [(1, "关于加强基层治理的意见"), (1, "一、总体要求"), (1, "我们坚持党建引领，推进基层治理现代化，全面完善"),
             (1, "基层协商民主制度，让居民参与。"), (1, "各地要健全社区治理体系，形成共建共治共享格局。"), (2, "续页文字")]
    joined, n = pdf_reader.join_broken_lines(lines)
    # The title is short, the heading is a heading, the sentences end with 。: one join only.
    assert n == 1 and [text for _, text in joined] == [
        "关于加强基层治理的意见", "一、总体要求", "我们坚持党建引领，推进基层治理现代化，全面完善基层协商民主制度，让居民参与。",
        "各地要健全社区治理体系，形成共建共治共享格局。", "续页文字"]


def test_a_page_without_text_layer_is_named_and_the_other_pages_are_read(tmp_path):
    path = make_pdf(tmp_path / "part.pdf", [PAGE_1, [], PAGE_2], image_pages={2})
    corp, said = read_noting(path)
    assert corp.paragraphs.page.tolist() == [1, 3]
    assert any("page(s) 2 of 3 have no text layer" in note for note in said), said


# --- files that cannot be read ---------------------------------------------------------------------

def test_a_scanned_pdf_given_alone_is_one_error_saying_there_is_no_text_layer(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [[], []], image_pages={1, 2})
    status, out, err = cli("count", path, "--lexicon", LEX)
    assert status == 2 and out == b"" and "Traceback" not in err
    assert err.strip().splitlines() == [f"error: {path}: the PDF has no text layer (its 2 page(s) are images "
                                        "only, e.g. a scan); this toolkit does no OCR: run OCR on it first "
                                        "(e.g. Adobe Acrobat, ABBYY FineReader or ocrmypdf) and give the result"]


def test_an_encrypted_pdf_given_alone_is_one_error(tmp_path):
    path = make_pdf(tmp_path / "locked.pdf", [PAGE_2], password="secret")
    status, out, err = cli("count", path, "--lexicon", LEX)
    [line] = err.strip().splitlines()
    assert status == 2 and line.startswith(f"error: {path}: the PDF is encrypted")


def test_a_damaged_pdf_or_docx_given_alone_is_one_error(tmp_path):
    (tmp_path / "cut.pdf").write_bytes(two_page_pdf(tmp_path / "whole.pdf").read_bytes()[:300])
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not really a docx")
    for name, said in (("cut.pdf", "not a readable PDF"), ("bad.docx", "not a readable Word .docx file")):
        status, out, err = cli("count", tmp_path / name, "--lexicon", LEX)
        [line] = err.strip().splitlines()
        assert status == 2 and said in line, err


@pytest.mark.parametrize("name, said", [("a.doc", "save it as .docx"), ("a.wps", "open it in WPS"),
                                        ("a.caj", "download the PDF version"), ("a.epub", "Calibre")])
def test_formats_not_read_here_are_named_with_what_to_do(tmp_path, name, said):
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0 something")
    with pytest.raises(InputError, match=said):
        corpus.read(tmp_path / name)


# --- Word ------------------------------------------------------------------------------------------

def test_a_docx_counts_its_table_and_puts_paragraphs_under_their_word_headings(tmp_path):
    path = make_docx(tmp_path / "plan.docx")
    status, out, err = cli("count", path, "--lexicon", LEX)
    assert status == 0, err
    # 党建引领 once (the tracked deletion is not text); 协商民主 in a paragraph and a table cell; 社区治理 in the
    # table only (not in the comment).
    assert counts(out) == {"党建引领": 1, "协商民主": 2, "社区治理": 1}
    assert "included the text of 1 table(s) (4 line(s)" in err
    paras = corpus.build(path).paragraphs
    assert paras.text.tolist() == ["总体要求", "坚持党建引领。", "工作机制", "完善协商民主制度。", "事项", "做法", "社区治理",
                                   "推进协商民主"]
    assert paras.section_title.tolist() == ["总体要求"] * 2 + ["工作机制"] * 6
    assert "page" not in paras.columns


# --- web pages -------------------------------------------------------------------------------------

def test_a_saved_web_page_gives_its_main_text_and_title_in_the_declared_encoding(tmp_path):
    corp = corpus.build(make_html(tmp_path / "page.html"))
    assert corp.docs.title.tolist() == ["关于加强基层治理的意见"]
    assert corp.docs.encoding.iloc[0].startswith("html gb18030 (trafilatura ")
    text = "\n".join(corp.paragraphs.text)
    assert "各地要坚持党建引领" in text and "共建共治共享" in text
    assert "版权所有" not in text  # the footer (which names 社区治理) is not main text


def test_a_web_page_not_in_its_declared_encoding_is_read_in_the_detected_one_with_a_notice(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE_HTML.replace("gb2312", "big5").encode("utf-8"))  # declares Big5, is UTF-8
    corp, said = read_noting(path)
    assert "各地要坚持党建引领" in "".join(corp.paragraphs.text)
    assert any("declares the encoding big5 but byte" in note and "read as utf-8" in note for note in said), said


def test_a_web_page_without_main_text_is_one_error(tmp_path):
    path = tmp_path / "frame.html"
    path.write_text('<html><head><title>t</title></head><frameset><frame src="a.html"></frameset></html>',
                    encoding="utf-8")
    with pytest.raises(InputError, match="no main text found in this web page"):
        corpus.read(path)


# --- a mixed folder --------------------------------------------------------------------------------

def mixed_folder(folder):
    folder.mkdir()
    (folder / "a.txt").write_text("社区治理要坚持党建引领。", encoding="utf-8")
    two_page_pdf(folder / "b.pdf")
    make_docx(folder / "c.docx")
    make_html(folder / "d.html")
    make_pdf(folder / "scan.pdf", [[]], image_pages={1})
    make_pdf(folder / "locked.pdf", [PAGE_2], password="secret")
    (folder / "e.caj").write_bytes(b"CAJ\x00 binary")
    return folder


def test_a_mixed_folder_counts_txt_pdf_docx_html_and_names_the_other_three_with_reasons(tmp_path):
    folder = mixed_folder(tmp_path / "mixed")
    corp, said = read_noting(folder)
    assert corp.docs.doc.tolist() == ["a", "b", "c", "d"]
    joined = "\n".join(said)
    assert "skipped scan.pdf: the PDF has no text layer" in joined
    assert "skipped locked.pdf: the PDF is encrypted" in joined
    assert "e.caj" in joined and "a CNKI CAJ file" in joined and "download the PDF version" in joined
    # Pages only for the PDF's paragraphs.
    pages = corp.paragraphs.groupby("doc").page.apply(lambda p: p.dropna().tolist()).to_dict()
    assert pages == {"a": [], "b": [1, 2], "c": [], "d": []}


def test_word_headings_and_pdf_pages_are_the_same_when_cleaning_runs_on_two_worker_processes(tmp_path, monkeypatch):
    folder = mixed_folder(tmp_path / "mixed")
    # Small as it is, clean this corpus on worker processes, one document per task.
    monkeypatch.setattr(pool, "CHARS_PER_WORKER", 1)
    monkeypatch.setattr(corpus, "batches", lambda sizes: [range(i, i + 1) for i in range(len(sizes))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputNotice)
        one, two = corpus.build(folder, jobs=1), corpus.build(folder, jobs=2)
    pd.testing.assert_frame_equal(one.paragraphs, two.paragraphs)
    assert set(two.paragraphs.section_title[two.paragraphs.doc == "c"]) == {"总体要求", "工作机制"}


def test_reading_a_mixed_folder_twice_gives_the_same_bytes_and_leaves_the_files_untouched(tmp_path):
    folder = mixed_folder(tmp_path / "mixed")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    runs = [cli("kwic", folder, "--lexicon", LEX, "--term", "协商民主") for _ in range(2)]
    assert runs[0][0] == 0 and runs[0][1] == runs[1][1] and runs[0][2] == runs[1][2]
    assert pd.read_csv(io.BytesIO(runs[0][1])).doc.tolist() == ["b", "c", "c", "d"]
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()} == before


def test_provenance_records_the_reading_libraries_and_what_reading_removed(tmp_path):
    from importlib import metadata

    corp = corpus.build(two_page_pdf(tmp_path / "a.pdf"))
    record = provenance.collect(corpus=corp)
    assert record["versions"]["pypdfium2"] == metadata.version("pypdfium2")
    assert record["versions"]["python_docx"] == metadata.version("python-docx")
    assert record["versions"]["trafilatura"] == metadata.version("trafilatura")
    cleaning = {step["step"]: step["changed"] for step in record["cleaning"]}
    assert cleaning["running_headers"] == 4 and cleaning["joined_lines"] == 1


def test_kwic_lines_have_no_page_column_for_a_corpus_without_pages(sample_corpus, sample_lexicon):
    assert "page" not in kwic.lines(sample_corpus, "协商民主", lexicon=sample_lexicon).columns


# --- damaged files: a project error or documents, never a crash -------------------------------------

@pytest.fixture(scope="module")
def whole_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("whole")
    return {".pdf": two_page_pdf(folder / "a.pdf").read_bytes(), ".docx": make_docx(folder / "c.docx").read_bytes(),
            ".html": PAGE_HTML.encode("gb18030")}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".pdf", ".docx", ".html"]), cut=st.integers(0, 10**6), flip=st.integers(0, 10**6),
       noise=st.binary(max_size=8))
def test_a_cut_or_altered_document_is_read_or_refused_with_one_project_error(whole_files, tmp_path, suffix, cut,
                                                                               flip, noise):
    data = whole_files[suffix]
    at = flip % len(data)
    damaged = (data[:at] + noise + data[at + len(noise):])[: max(1, cut % (len(data) + 1))]
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(damaged)
    try:
        documents = corpus.read(path)
    except InputError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
        return
    assert [d.doc for d in documents] == ["damaged"] and isinstance(documents[0].text, str)
