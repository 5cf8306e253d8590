"""HTML reports: self-contained, offline, escaped, ending with provenance, reproducible, never half-written.

The bundled-data reports come from one shared run (``tests/notebook_runs.py``);
the injection and failure tests run single small notebooks of their own.
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import cli, report, tables
from analysis.config import PROJECT_DIR
from tests import notebook_runs

NOTEBOOK_DIR = PROJECT_DIR / "notebooks"
STEMS = [p.stem for p in report.notebooks()]


@pytest.fixture(scope="module")
def built():
    reports, folder = notebook_runs.bundled()
    return {r.notebook.stem: r for r in reports}, folder


def pages(folder: Path):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))}


def test_two_reports_per_notebook_and_an_index_linking_them(built):
    _, folder = built
    names = set(pages(folder))
    expected = {f"{s}{suffix}" for s in STEMS for suffix in (".html", ".code.html")} | {"index.html"}
    assert names == expected
    index = (folder / "index.html").read_text(encoding="utf-8")
    for stem in STEMS:
        assert f'href="{stem}.html"' in index and f'href="{stem}.code.html"' in index


def test_reports_load_nothing_from_the_network(built):
    _, folder = built
    for name, page in pages(folder).items():
        # no require.js, MathJax, Mermaid, widgets: only the page's own inline script (sorting, filtering)
        assert not re.search(r"<script[^>]*\ssrc=", page, re.I), name
        assert page.lower().count("<script") <= 1, name
        for script in re.findall(r"<script>(.*?)</script>", page, re.S):
            assert "http" not in script and "import" not in script, name
        assert not re.search(r"""<link[^>]+href=["']?(https?:)?//""", page, re.I), name
        assert not re.search(r"""(src|href)=["']?https?:""", page, re.I), name
        assert not re.search(r"""@import|url\(\s*["']?(https?:)?//""", page, re.I), name


def test_figures_are_embedded_images(built):
    reports, folder = built
    for stem, rep in reports.items():
        pngs = sum("image/png" in o.get("data", {}) for c in rep.executed.cells if c.cell_type == "code"
                   for o in c.outputs)
        for page in (rep.html_reader, rep.html_code):
            sources = re.findall(r"<img[^>]*\ssrc=\"([^\"]*)\"", page)
            assert len(sources) == pngs, stem
            assert all(s.startswith("data:image/png;base64,") for s in sources), stem
    assert "data:image/png;base64," in (folder / "02-concept-report.html").read_text(encoding="utf-8")


def test_pages_carry_their_own_chinese_font(built):
    reports, _ = built
    for rep in reports.values():
        assert "@font-face" in rep.html_reader and "data:font/woff;base64," in rep.html_reader
        assert f'"{report.WEB_FONT}"' in rep.html_reader


def test_no_error_output_in_any_report(built):
    _, folder = built
    for name, page in pages(folder).items():
        assert "Traceback" not in page and "jp-OutputArea-error" not in page, name
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page, name


def test_reader_version_hides_code_and_code_version_shows_it(built):
    reports, _ = built
    rep = reports["02-concept-report"]
    code_body = rep.html_code[rep.html_code.index("<body"):]
    reader_body = rep.html_reader[rep.html_reader.index("<body"):]
    assert "hits = match.find(corp.paragraphs, lex)" in re.sub(r"<[^>]+>", "", code_body)  # highlighted with spans
    assert "jp-CodeMirrorEditor" in code_body
    assert "match.find" not in re.sub(r"<[^>]+>", "", reader_body) and "jp-CodeMirrorEditor" not in reader_body
    assert "injected-parameters" not in rep.html_reader


def test_every_report_ends_with_its_provenance(built):
    reports, _ = built
    for stem, rep in reports.items():
        for page in (rep.html_reader, rep.html_code):
            start = page.find('class="provenance"')
            assert start > 0, stem
            block = page[start:]
            assert "<img" not in block and "<table" not in block[1:], f"{stem}: provenance is not last"
            lexicon = {"01-quickstart": "sample-concepts", "06-policy-tools": "policy-instruments"}.get(stem, "governance 2.0.0")
            for needed in ("sha256", lexicon, "输入文件 input", "删除重复段落", "pandas", "python",
                           "2023-11-14"):  # SOURCE_DATE_EPOCH 1700000000
                assert needed in block, f"{stem}: {needed} missing from provenance"
    sample = reports["02-concept-report"].html_reader
    block = sample[sample.find('class="provenance"'):]
    assert "data/sample/000_66efea22227603e2.txt sha256 fe0620aa6e26360b" in block
    assert "删除重复段落（段）：7" in block


def test_same_inputs_same_report(built, monkeypatch):
    reports, _ = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", notebook_runs.SOURCE_DATE_EPOCH)
    again = report.execute(NOTEBOOK_DIR / "02-concept-report.ipynb")
    # the run embeds a font subset per report (cut from one for all pages); the rest of the page is compared byte for byte
    without_font = re.sub(r'<style type="text/css">\n@font-face [^\n]*\n</style>\n', "",
                          reports["02-concept-report"].html_code)
    assert report.to_html(again, code=True, stem="02-concept-report") == without_font


def test_html_outputs_kept_out_of_nbconverts_rewriting_give_the_same_page_elements(built, monkeypatch):
    from bs4 import BeautifulSoup

    reports, _ = built
    for stem in ("03-trends", "04-context"):  # the largest tables; KWIC lines with marked keywords
        nb = reports[stem].executed
        pages = [report.to_html(nb, code=code, stem=stem) for code in (True, False)]
        with monkeypatch.context() as patched:
            patched.setattr(report, "_set_aside_html_outputs", lambda nb: {})  # every output through nbconvert's parser
            whole = [report.to_html(nb, code=code, stem=stem) for code in (True, False)]
        assert "data-zhgov-slot" not in pages[0] + pages[1]
        for page, reference in zip(pages, whole):
            assert page != reference  # the tables were set aside (their markup is not rewritten) ...
            assert str(BeautifulSoup(page, "html.parser")) == str(BeautifulSoup(reference, "html.parser")), stem
        assert abs(len(pages[1]) - len(whole[1])) < 0.002 * len(whole[1])  # ... and the page is no larger


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A corpus whose text, file name and metadata carry markup: rendered into reports 00 and 04."""
    folder = tmp_path_factory.mktemp("hostile")
    corpus_dir = folder / "corpus"
    corpus_dir.mkdir()
    name = "<img src=x onerror=alert(1)>" if os.name != "nt" else "evil"
    text = ("基层协商民主<script>alert(1)</script>是社区治理的重要方式。\n"
            "推进协商民主<img src=x onerror=alert(1)>，党建引领社区治理。\n"
            "协商民主和社区治理相互促进，党建引领协商民主。\n")
    (corpus_dir / f"{name}.txt").write_text(text, encoding="utf-8")
    (corpus_dir / "MANIFEST.csv").write_text(f'file,year,<b onmouseover=alert(1)>\n"{name}.txt",2020,x\n',
                                             encoding="utf-8")
    out = folder / "out"
    report.build(corpus=corpus_dir, output=out,
                 notebook_paths=[NOTEBOOK_DIR / "00-index.ipynb", NOTEBOOK_DIR / "04-context.ipynb"])
    return out


def test_markup_in_documents_is_shown_as_text(hostile):
    for name, page in pages(hostile).items():
        assert page.lower().count("<script") <= 1 and "<script>alert" not in page.lower(), name  # only the page's own
        assert not re.search(r"<img[^>]*onerror", page, re.I), name
        assert not re.search(r"<b\s+onmouseover", page, re.I), name
    context = (hostile / "04-context.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)" in context  # cut at 20 characters of context
    assert "&lt;img src=x onerror=alert(1)&gt;" in context
    index = (hostile / "00-index.html").read_text(encoding="utf-8")
    assert "&lt;b onmouseover=alert(1)&gt;" in index


def _notebook(folder: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 测试 Test"),
        nbformat.v4.new_code_cell("value = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("x = value + 1"),
        nbformat.v4.new_code_cell(source),
    ])
    path = folder / "09-broken.ipynb"
    nbformat.write(nb, path)
    return path


def test_failing_cell_names_notebook_and_cell_and_writes_nothing(tmp_path):
    path = _notebook(tmp_path, "1 / 0")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    with pytest.raises(report.NotebookError) as caught:
        report.build(output=out, notebook_paths=[path])
    message = str(caught.value)
    assert "09-broken.ipynb" in message and "code cell 3 (1 / 0)" in message and "ZeroDivisionError" in message
    assert not caught.value.user_error
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "old"


def test_cli_report_error_is_one_line_with_exit_2_for_a_user_mistake(tmp_path, monkeypatch, capsys):
    path = _notebook(tmp_path, "from analysis import corpus\ncorpus.build('no/such/folder')")
    monkeypatch.setattr(report, "notebooks", lambda folder=None: [path])
    status = cli.main(["report", "-q", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert err[0].startswith("error: notebook 09-broken.ipynb, code cell 3") and "InputError" in err[0]
    assert err[1:] == ["error: no report was written"]
    assert not (tmp_path / "out").exists()


def test_one_failing_notebook_does_not_keep_the_others_from_being_written(tmp_path, monkeypatch, capsys):
    broken = _notebook(tmp_path, "from analysis import corpus\ncorpus.build('no/such/folder')")
    fine_folder = tmp_path / "fine"
    fine_folder.mkdir()
    fine = _notebook(fine_folder, "print('社区治理')")
    fine = fine.rename(fine_folder / "08-fine.ipynb")
    monkeypatch.setattr(report, "notebooks", lambda folder=None: [fine, broken])
    status = cli.main(["report", "-q", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert err[0].startswith("error: notebook 09-broken.ipynb, code cell 3") and "wrote the other reports" in err[1]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["08-fine.code.html", "08-fine.html", "index.html"]


def test_cli_report_rejects_a_missing_corpus_before_running_anything(tmp_path, capsys):
    status = cli.main(["report", "--corpus", str(tmp_path / "missing"), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and err[0].startswith("error: ") and "missing" in err[0]
    assert not (tmp_path / "out").exists()


def test_kernel_is_the_current_interpreter(tmp_path):
    path = _notebook(tmp_path, "import sys\nprint(sys.executable)")
    nb = report.execute(path)
    last = [c for c in nb.cells if not set(report.ADDED_TAGS) & set(c.metadata.get("tags", []))][-1]
    assert last.outputs[0].text.strip() == sys.executable


def test_section_counts_add_up_to_the_document_counts():
    from analysis import corpus, count, lexicon, match, sections
    from analysis.config import SAMPLE_ESSAY

    corp, lex = corpus.build(SAMPLE_ESSAY), lexicon.load()
    hits = match.find(corp.paragraphs, lex)
    parts = sections.by_section(hits, corp, lex)
    assert list(parts.part.cat.categories)[0] == "（开头）" and len(parts.part.cat.categories) == 5
    summed = parts.groupby("concept", observed=True)["count"].sum()
    whole = count.concepts(hits, corp, lex).set_index("concept")["count"]
    assert summed.reindex(whole.index).tolist() == whole.tolist()
    assert parts.drop_duplicates("part").chars.sum() == corp.docs.chars.sum() == 1917


def test_styled_table_escapes_cells_labels_and_caption_and_states_the_denominator():
    import pandas as pd

    from analysis import tables

    t = pd.DataFrame({"concept": ["<script>x</script>"], "category": ["<i>c</i>"], "count": [3],
                      "chars": [12000], "per_10k": [2.5], "docs": [1]})
    page = tables.styled(t, caption="<b>cap</b>").to_html()
    assert "<script>" not in page and "<i>c" not in page and "<b>cap" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "&lt;b&gt;cap&lt;/b&gt;" in page
    assert "每万字 = 出现次数 ÷ 12,000 字 × 10,000" in page and ">2.50<" in page


def test_report_renders_in_a_headless_browser(built, tmp_path):
    """Chromium opens the report offline and paints it (the Chinese itself was checked by eye, see issue 4)."""
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no chromium on this machine")
    _, folder = built
    shot = tmp_path / "shot.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1280,2000",
                    (folder / "02-concept-report.html").as_uri()],
                   capture_output=True, timeout=120, check=False)
    assert shot.exists()
    from PIL import Image

    histogram = Image.open(shot).convert("L").histogram()
    assert sum(histogram[:128]) > 10_000  # dark pixels: text, tables and a chart, not a blank page


def test_keyness_sides_are_named_in_chinese_in_styled_tables():
    table = pd.DataFrame({"item": ["协商民主", "阶级斗争"], "key_for": ["target", "reference"], "g2": [48.0, 67.9]})
    page = tables.styled(table, bars=("g2",)).to_html()
    assert ">目标<" in page and ">参照<" in page and ">target<" not in page
    assert table.key_for.tolist() == ["target", "reference"]  # the data keep their codes


def test_notebooks_run_side_by_side_give_the_reports_of_one_at_a_time(tmp_path, monkeypatch):
    first = _notebook(tmp_path, "print('社区治理' * 3)")
    second_folder = tmp_path / "second"
    second_folder.mkdir()
    second = _notebook(second_folder, "print('协商民主')").rename(second_folder / "08-second.ipynb")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", notebook_runs.SOURCE_DATE_EPOCH)
    pages = {}
    for jobs in (1, 2):
        monkeypatch.setattr(report, "REPORT_JOBS", jobs)
        reports = report.run(notebook_paths=[second, first])
        pages[jobs] = [(r.stem, r.html_code, r.html_reader) for r in reports]
    assert [stem for stem, _, _ in pages[2]] == ["08-second", "09-broken"]  # notebook order, not finishing order
    assert pages[1] == pages[2]


def test_notebooks_sharing_a_kernel_give_the_pages_of_one_kernel_each(tmp_path, monkeypatch):
    # what a notebook could inherit from the one before: names, a warning already shown once, the cell count,
    # figures, the working folder
    source = ("import os, sys, warnings\n"
              "import matplotlib.pyplot as plt\n"
              "print('inherited' in dir(), len(plt.get_fignums()), os.path.basename(os.getcwd()))\n"
              "inherited = 1\n"
              "plt.figure()\n"
              "warnings.warn_explicit('同一处的提示', UserWarning, 'same.py', 1, module='same',\n"
              "                       registry=sys.modules['json'].__dict__.setdefault('__warningregistry__', {}))")
    paths = []
    for name in ("first", "second", "third"):
        folder = tmp_path / name
        folder.mkdir()
        paths.append(_notebook(folder, "import json\n" + source).rename(folder / f"0{len(paths)}-{name}.ipynb"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", notebook_runs.SOURCE_DATE_EPOCH)
    monkeypatch.setattr(report, "REPORT_JOBS", 1)
    pages = {}
    for reuse in (False, True):
        monkeypatch.setattr(report, "REUSE_KERNELS", reuse)
        pages[reuse] = [(r.stem, r.html_code, r.html_reader) for r in report.run(notebook_paths=paths)]
    assert pages[True] == pages[False]
    import psutil

    assert not [c for c in psutil.Process().children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]
    last = pages[True][-1][1]
    assert "False 0 " in last and "同一处的提示" in last  # no name, no figure, the warning shown again
    assert re.findall(r"In&nbsp;\[\d+\]", last) == re.findall(r"In&nbsp;\[\d+\]", pages[True][0][1])  # counted anew


def test_report_takes_the_reading_settings_of_count(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("title,content,year\n甲,推进基层协商民主。,2019\n乙,加强社区治理。,2020\n", encoding="utf-8")
    index = next(p for p in report.notebooks() if p.stem == "00-index")
    status = cli.main(["report", "--corpus", str(table), "-q", "-o", str(tmp_path / "no")])
    err = capsys.readouterr().err
    assert status == 2 and "(--text-column)" in err  # the flag it names is one report has
    reports = report.run(corpus=table, notebook_paths=[index], corpus_settings={"text_column": "content"})
    assert "2019–2020（2 个年份）" in reports[0].html_reader  # the summary of the table it was given


def test_unknown_corpus_settings_of_a_notebook_are_named():
    from analysis import config
    from analysis.errors import InputError

    with pytest.raises(InputError, match="unknown setting\\(s\\) txt_column"):
        config.check_parameters(corpus_settings={"txt_column": "content"})
    config.check_parameters(corpus_settings={"text_column": "content", "simplified": True})


# --------------------------------------------------------------------------
# Reports on the user's own texts (tests/report_runs.py: one CLI run per set of arguments)

from tests import report_runs  # noqa: E402


def text_of(page: str) -> str:
    """What a reader sees of a page: no styles, scripts or embedded data, tags removed."""
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'href="data:[^"]*"|src="data:[^"]*"', "", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def own():
    status, err, out = report_runs.report_of(report_runs.own_texts())
    return status, err, out


def test_report_on_own_texts_names_them_everywhere_and_never_the_bundled_data(own):
    status, err, out = own
    assert status == 0, err
    written = pages(out)
    # 01 teaches on the bundled essay only: it is replaced by a page saying why
    assert set(written) == {f"{s}{v}" for s in STEMS for v in (".html", ".code.html")} | {"index.html"}
    for name, page in written.items():
        seen = text_of(page)
        for bundled in report_runs.BUNDLED:
            assert bundled not in seen, f"{name} mentions {bundled}"
        assert "/tmp" not in seen and str(report_runs.own_texts().parent) not in page, name  # no local paths
        assert str(PROJECT_DIR) not in seen, name  # nor those of the project's own files (codebook, font)
    for stem in ("00-index", "02-concept-report", "03-trends", "04-context"):
        header = text_of(written[f"{stem}.html"]).split("目录 Contents")[0]
        # four documents, one without a year, one not listed: years 2015 and 2019 (written 2019年)
        assert f"语料 Corpus {report_runs.OWN_NAME}：4 篇文档" in header, stem
        assert "年份 2015–2019（2 个年份；2 篇文档没有年份）" in header, stem
        assert "词表 Lexicon governance 2.0.0" in header and "生成日期 Date 2023-11-14" in header, stem
    index = text_of(written["index.html"])
    assert f"{report_runs.OWN_NAME}：4 篇文档" in index and "快速入门" in index and "未生成" in index
    assert "01-quickstart" in err and "skipping" in err


def test_report_on_own_texts_shows_chinese_notices_only_where_they_apply(own):
    _, err, out = own
    trends = text_of((out / "03-trends.html").read_text(encoding="utf-8"))
    assert "MANIFEST.csv 没有列出 1 个文件：d.txt" in trends
    assert "2 篇文档没有“year”值，未计入趋势图表：c, d" in trends
    assert "notice:" not in trends and "InputNotice" not in trends
    concept = text_of((out / "02-concept-report.html").read_text(encoding="utf-8"))
    assert "重复段落：" not in concept  # the texts have no duplicate paragraph, so no such notice
    assert "notice: " in err  # the terminal still gets the English line


def test_report_labels_documents_by_their_title(own):
    _, _, out = own
    context = (out / "04-context.html").read_text(encoding="utf-8")
    kwic_table = context[context.index("的上下文（前"):]
    assert "甲村调查" in kwic_table and "<th" in kwic_table and ">标题<" in kwic_table


def test_report_on_english_text_says_no_concept_occurs(tmp_path):
    status, err, out = report_runs.report_of(report_runs.english())
    assert status == 0, err
    concept = text_of((out / "02-concept-report.html").read_text(encoding="utf-8"))
    assert "其中 0 个在语料中出现，合计 0 次" in concept
    assert "2 篇文档中没有汉字：one, two" in concept
    assert "未生成" in text_of((out / "03-trends.html").read_text(encoding="utf-8"))  # no years


def test_config_changes_exactly_the_kwic_term_concepts_and_split(own):
    config = report_runs.config_file("kwic: 乡村振兴\nconcepts: [乡村振兴, 共同富裕, 生态文明]\nsplit: year >= 2019\n")
    status, err, out = report_runs.report_of(report_runs.own_texts(), "--config", str(config))
    assert status == 0, err
    _, _, plain = own
    # notebooks without these parameters are unchanged, byte for byte but for the run's font subset
    def without_font(path):
        return re.sub(r'<style type="text/css">\n@font-face [^\n]*\n</style>\n', "", path.read_text(encoding="utf-8"))

    for name in ("00-index.html", "02-concept-report.html", "02-concept-report.code.html"):
        assert without_font(out / name) == without_font(plain / name), name
    context = text_of((out / "04-context.html").read_text(encoding="utf-8"))
    assert "“乡村振兴”的上下文" in context and "KWIC 关键词 query = “乡村振兴”" in context
    assert "“协商民主”的上下文" in text_of((plain / "04-context.html").read_text(encoding="utf-8"))  # the default
    trends = (out / "03-trends.html").read_text(encoding="utf-8")
    seen = text_of(trends)
    assert "所选概念 selected = 乡村振兴、共同富裕、生态文明" in seen and "时期划分 split = “year >= 2019”" in seen
    # one small multiple per chosen concept (the chart's alt text names its panels)
    alts = re.findall(r'<img[^>]*alt="([^"]*所选概念的每万字频率[^"]*)"', trends)
    assert alts and all(c in alts[0] for c in ("乡村振兴", "共同富裕", "生态文明")) and "党的领导" not in alts[0]
    assert "2019年及以后（目标）对2019年以前（参照）" in seen
    provenance = seen[seen.index("来源与可复现信息："):]
    assert "selected = [乡村振兴, 共同富裕, 生态文明]" in provenance and "split = year >= 2019" in provenance
    provenance = context[context.index("来源与可复现信息："):]
    assert "query = 乡村振兴" in provenance


def test_config_with_an_unknown_key_is_one_error_naming_it_and_the_valid_ones(tmp_path, capsys):
    config = report_runs.config_file("kwik: 乡村振兴\ntop_n: 5\nsplitt: x\n")
    status = cli.main(["report", "--config", str(config), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1
    assert "unknown key(s) kwik, splitt" in err[0] and "valid keys: title, kwic, concepts, split" in err[0]
    assert not (tmp_path / "out").exists()


def test_config_value_of_the_wrong_type_is_one_error(tmp_path, capsys):
    config = report_runs.config_file("top_n = 'many'\n", name="report.toml")
    status = cli.main(["report", "--config", str(config), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and "parameter top_n must be a whole number" in err[0]


def test_unknown_concepts_are_named_with_the_closest_lexicon_concepts(tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(report, "notebooks", lambda folder=None: [])
    with pytest.raises(report.NotebookError):  # no notebook to run: the check comes first
        report.run(options={"selected": ["协商民主", "乡村振兴战略"]}, progress=said.append, notebook_paths=[])
    assert said == ["提示：词表中没有这些概念，已略过：乡村振兴战略（最接近的：乡村振兴）。"]


def test_count_wide_has_one_row_per_concept_and_one_column_per_year(tmp_path, capsys):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("协商民主，协商民主。社区治理。", encoding="utf-8")
    (folder / "b.txt").write_text("社区治理和协商民主。", encoding="utf-8")
    (folder / "MANIFEST.csv").write_text("file,year\na.txt,2015\nb.txt,2019年\n", encoding="utf-8")
    assert cli.main(["count", str(folder), "--by", "year", "--wide", "-q", "-o", str(tmp_path / "wide.csv")]) == 0
    wide = pd.read_csv(tmp_path / "wide.csv", encoding="utf-8-sig")
    assert list(wide.columns) == ["concept", "category", "2015", "2019", "total"]
    rows = wide.set_index("concept")[["2015", "2019", "total"]]
    # by hand: a.txt (2015) has 协商民主 twice and 社区治理 once; b.txt (2019) one of each
    assert rows.loc["协商民主"].tolist() == [2, 1, 3] and rows.loc["社区治理"].tolist() == [1, 1, 2]
    assert (rows.drop(index=["协商民主", "社区治理"]) == 0).all().all()


def test_count_wide_without_groups_is_one_error_naming_by(tmp_path, capsys):
    status = cli.main(["count", str(report_runs.own_texts()), "--wide"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and err[-1].startswith("error: --wide") and "--by year" in err[-1]


def test_config_paths_are_read_from_the_config_files_folder(tmp_path):
    from analysis.present import report_options

    (tmp_path / "project").mkdir()
    path = tmp_path / "project" / "report.yaml"
    absolute = tmp_path / "lex.yaml"
    path.write_text(f"corpus: 田野笔记\nlexicon: '{absolute}'\nconcepts: 协商民主\n", encoding="utf-8")
    options = report_options.read_config(path)
    assert options == {"corpus": str(tmp_path / "project" / "田野笔记"), "lexicon": str(absolute),
                       "concepts": ["协商民主"]}


def test_report_and_explorer_modules_load_without_building_the_iri_grammar():
    import subprocess

    code = ("import sys, analysis.present.report, analysis.present.explorer, nbformat\n"
            "assert 'jsonschema' in sys.modules and 'rfc3987_syntax' not in sys.modules\n"
            "nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]))\n"
            "import importlib.util\n"
            "if importlib.util.find_spec('rfc3987_syntax'): import rfc3987_syntax  # still there for anyone who asks\n"
            "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_DIR)
    assert done.stdout.strip() == "ok", done.stderr
