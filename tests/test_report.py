"""HTML reports: self-contained, offline, escaped, ending with provenance, reproducible, never half-written.

The bundled-data reports come from one shared run (``tests/notebook_runs.py``);
the injection and failure tests run single small notebooks of their own.
"""

from __future__ import annotations

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
        assert "<script" not in page.lower(), name  # no require.js, MathJax, Mermaid, widgets
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
    # the run embeds one font subset for all its pages; the rest of the page is compared byte for byte
    without_font = re.sub(r'<style type="text/css">\n@font-face [^\n]*\n</style>\n', "",
                          reports["02-concept-report"].html_code)
    assert report.to_html(again, code=True) == without_font


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
        assert "<script" not in page.lower(), name
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
    assert nb.cells[-1].outputs[0].text.strip() == sys.executable


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
