"""The concept explorer: the widget's views and the offline HTML file show the command line's numbers.

Expected values come from the command line (``python -m analysis count/kwic/keyness/cooccur``,
run through ``analysis.cli.main``) or by hand from the README's table (党建引领: 0 with plain
jieba, 4 de-duplicated, 7 with duplicates kept), never from the explorer itself. The HTML file is
opened in headless Chromium (Playwright, ``/usr/bin/chromium``) with every request recorded.
"""

from __future__ import annotations

import io
import time
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.config import CORPORA_DIR, LEXICON_DIR, SAMPLE_ESSAY, Settings
from analysis.present.explorer import lesson, page
from analysis.present.explorer.model import Model, Models

CONGRESS = CORPORA_DIR / "cpc-congress-reports"
CHROMIUM = Path("/usr/bin/chromium")
#: The explorer page may be this large (stated in the README): JavaScript ~0.9 MB, font, data.
MAX_BYTES = 6_000_000


def cli_table(*argv: str) -> pd.DataFrame:
    out = io.StringIO()
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with redirect_stdout(stdout):
        assert main([*argv, "-q"]) == 0
        stdout.flush()
        out.write(stdout.buffer.getvalue().decode("utf-8"))
    return pd.read_csv(io.StringIO(out.getvalue()))


@pytest.fixture(scope="module")
def congress() -> Model:
    return Model.build(CONGRESS, split="year >= 2012")


@pytest.fixture(scope="module")
def widget_module():
    return pytest.importorskip("analysis.present.explorer.widget")


# -- the model: the CLI's numbers ----------------------------------------------------------------------------------


def test_model_gives_the_cli_keyness_of_xieshang_minzhu_after_2012_nineteen_to_zero(congress):
    cli = cli_table("keyness", str(CONGRESS), "--split", "year>=2012").set_index("item").loc["协商民主"]
    row = congress.key("协商民主").iloc[0]
    assert (row.target_count, row.reference_count) == (cli.target_count, cli.reference_count) == (19, 0)
    assert row.g2 == pytest.approx(cli.g2) and row.log_ratio == pytest.approx(cli.log_ratio)


def test_model_kwic_lines_equal_the_cli_count_and_the_cli_kwic(congress):
    counted = cli_table("count", str(CONGRESS)).set_index("concept").at["协商民主", "count"]
    lines = cli_table("kwic", str(CONGRESS), "--term", "协商民主")
    assert len(congress.kwic("协商民主")) == counted == len(lines) == 19
    assert congress.kwic("协商民主")[["doc", "left", "keyword", "right"]].values.tolist() == \
        lines[["doc", "left", "keyword", "right"]].values.tolist()


def test_model_trend_and_partners_equal_count_by_year_and_cooccur(congress):
    by_year = cli_table("count", str(CONGRESS), "--by", "year").query("concept == '协商民主'")
    trend = congress.trend(["协商民主"])
    assert trend[["year", "count", "chars"]].values.tolist() == by_year[["year", "count", "chars"]].values.tolist()
    pairs = cli_table("cooccur", str(CONGRESS))
    mine = pairs[(pairs.concept_a == "协商民主") | (pairs.concept_b == "协商民主")]
    partners = congress.partners("协商民主")
    assert sorted(partners["count"]) == sorted(mine["count"])
    assert set(partners.partner) == (set(mine.concept_a) | set(mine.concept_b)) - {"协商民主"}


def test_densest_documents_are_those_with_the_highest_rate(congress):
    by_doc = cli_table("count", str(CONGRESS), "--by", "doc").query("concept == '协商民主' and count > 0")
    expected = by_doc.sort_values("per_10k", ascending=False).doc.tolist()
    assert congress.densest("协商民主").doc.tolist() == expected == ["congress-19", "congress-20", "congress-18"]


def test_models_are_built_once_per_settings():
    models = Models(SAMPLE_ESSAY, LEXICON_DIR / "sample-concepts.csv")
    first = models.get(Settings())
    assert models.get(Settings()) is first and models.get(Settings(keep_duplicates=True)) is not first


def test_an_unknown_concept_is_one_sentence(congress):
    from analysis.errors import InputError

    with pytest.raises(InputError, match="'不存在' is not a concept of the lexicon"):
        congress.kwic("不存在")


# -- the teaching toggles -------------------------------------------------------------------------------------------


def test_teaching_rows_give_zero_four_seven_for_dangjian_yinling_next_to_their_text():
    table = lesson.lesson(Models(SAMPLE_ESSAY, LEXICON_DIR / "sample-concepts.csv"), Settings(), "党建引领")
    rows = table.set_index("toggle")
    segmentation, duplicates = rows.iloc[0], rows.loc["重复段落 de-duplication"]
    assert (segmentation.naive, segmentation.fixed) == (0, 4)  # plain jieba cuts 党建/引领 (README)
    assert "党建 / 引领" in segmentation.example and "党建引领" in segmentation.example.split("→")[1]
    assert (duplicates.naive, duplicates.fixed) == (7, 4)  # README: --keep-duplicates 7, default 4
    assert "党建引领" in duplicates.example and duplicates.example.endswith("（删除）")


def test_teaching_rows_show_the_spaced_and_the_traditional_text(tmp_path):
    (tmp_path / "a.txt").write_text("推进党建 引领社区。\n黨建引領基層治理。\n党建引领。\n", encoding="utf-8")
    table = lesson.lesson(Models(tmp_path, LEXICON_DIR / "sample-concepts.csv"), Settings(), "党建引领")
    rows = table.set_index("toggle")
    spaces, traditional = rows.loc["汉字间空格 spaces from PDF"], rows.loc["繁体转简体 Traditional → Simplified"]
    assert (spaces.naive, spaces.fixed, spaces.in_use) == (1, 2, "fixed")
    assert "党建 引领" in spaces.example and "党建引领" in spaces.example.split("→")[1]
    assert (traditional.naive, traditional.fixed, traditional.in_use) == (2, 3, "naive")
    assert "黨建引領" in traditional.example


# -- the widget (no browser) ---------------------------------------------------------------------------------------


def test_widget_choosing_xieshang_minzhu_shows_its_trend_keyness_kwic_and_partners(widget_module):
    app = widget_module.Explorer(CONGRESS, split="year >= 2012")
    app.concepts.value = ("协商民主",)
    data = app.data
    assert int(data["totals"]["count"].iloc[0]) == 19
    assert data["trend"][["year", "count"]].query("count > 0").values.tolist() == [[2012, 5], [2017, 8], [2022, 6]]
    assert data["keyness"][["target_count", "reference_count"]].values.tolist() == [[19, 0]]
    assert len(data["kwic"]) == 19 and len(app.kwic_table.df) == 19
    assert data["partners"].partner.iloc[:3].tolist() == ["人民政协", "政治协商", "统一战线"]  # 4 sentences each


def test_widget_switching_deduplication_off_changes_dangjian_yinling_from_four_to_seven_in_every_view(widget_module):
    app = widget_module.Explorer(SAMPLE_ESSAY, LEXICON_DIR / "sample-concepts.csv", concepts=["党建引领"])
    before = app.data
    assert int(before["totals"]["count"].iloc[0]) == 4
    assert int(before["trend"]["count"].sum()) == 4 and len(before["kwic"]) == 4
    assert int(before["densest"]["count"].sum()) == 4
    app.toggles["keep_duplicates"].value = True
    after = app.data
    assert int(after["totals"]["count"].iloc[0]) == 7
    assert int(after["trend"]["count"].sum()) == 7 and len(after["kwic"]) == 7 and len(app.kwic_table.df) == 7
    assert int(after["densest"]["count"].sum()) == 7
    assert "党建引领  ·  党的建设  ·  7 次" in [label for label, _ in app.concepts.options]
    assert after["lesson"].set_index("toggle").at["重复段落 de-duplication", "in_use"] == "naive"
    # co-occurrence counts sentences: those of the CLI with --keep-duplicates
    cli = cli_table("cooccur", str(SAMPLE_ESSAY), "--lexicon", str(LEXICON_DIR / "sample-concepts.csv"),
                    "--keep-duplicates")
    both = cli[(cli.concept_a == "党建引领") | (cli.concept_b == "党建引领")]
    assert sorted(after["partners"]["count"]) == sorted(both["count"])


def test_widget_a_click_is_well_under_a_second_once_the_corpus_is_read(widget_module):
    app = widget_module.Explorer(CONGRESS, split="year >= 2012", concepts=["协商民主"])
    app.toggles["keep_duplicates"].value = True  # both models exist now
    app.toggles["keep_duplicates"].value = False
    started = time.perf_counter()
    app.concepts.value = ("全过程人民民主", "协商民主")
    app.toggles["keep_duplicates"].value = True
    app.toggles["keep_duplicates"].value = False
    elapsed = (time.perf_counter() - started) / 3
    print(f"{elapsed:.3f} s per click")
    assert elapsed < 1.0, f"{elapsed:.2f} s per click"
    assert app.data["keyness"].set_index("item").at["全过程人民民主", "target_count"] == 9


def test_widget_search_filters_the_concept_list_and_keeps_the_chosen(widget_module):
    app = widget_module.Explorer(CONGRESS, concepts=["协商民主"])
    app.search.value = "人民民主"
    names = [value for _, value in app.concepts.options]
    assert names[0] == "协商民主" and "全过程人民民主" in names and "改革开放" not in names


def test_widget_a_bad_path_is_one_sentence_not_a_traceback(widget_module, tmp_path):
    app = widget_module.Explorer(SAMPLE_ESSAY, LEXICON_DIR / "sample-concepts.csv")
    app.corpus.value = "其他（填写路径）"
    app.path.value = str(tmp_path / "missing")
    app.load.click()
    assert "no such file or folder" in app.status.value


# -- the HTML file ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer_html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("explorer") / "explorer.html"
    assert main(["explore", "--corpus", str(CONGRESS), "--split", "year>=2012", "-o", str(out), "-q"]) == 0
    return out


def test_explore_writes_one_self_contained_file_under_the_stated_size(explorer_html):
    text = explorer_html.read_text(encoding="utf-8")
    assert explorer_html.stat().st_size < MAX_BYTES
    assert "<script src" not in text and "<link" not in text and "@import" not in text
    assert "data:font/woff;base64," in text
    assert text.count("<script") == text.count("</script>") == 2


def test_document_text_cannot_end_the_script(tmp_path):
    (tmp_path / "a.txt").write_text("</script>协商民主<!--\n", encoding="utf-8")
    text = page.page(Model.build(tmp_path, LEXICON_DIR / "sample-concepts.csv"))
    assert text.count("</script>") == 2 and "<!--" not in text
    assert '"\\u003c/script>"' in text and '"\\u003c!--"' in text  # the KWIC contexts, escaped


@pytest.mark.parametrize("argv, message", [
    (["-o", "x.csv"], "x.csv: unknown output format '.csv'; name the file .html"),
    (["--concept", "不存在", "-o", "{tmp}/x.html"], "'不存在' is not a concept of the lexicon"),
    (["--split", "year", "-o", "{tmp}/x.html"], "cannot read the split 'year'"),
])
def test_explore_bad_input_is_one_error_line_and_exit_2(argv, message, tmp_path, capsys):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(["explore", "--corpus", str(SAMPLE_ESSAY), "-q", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_explore_never_writes_over_an_input(tmp_path, capsys):
    essay = tmp_path / "essay.html"
    essay.write_text("党建引领", encoding="utf-8")
    assert main(["explore", "--corpus", str(essay), "-o", str(essay), "-q"]) == 2
    assert essay.read_text(encoding="utf-8") == "党建引领"


@pytest.fixture(scope="module")
def browser():
    sync = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    with sync.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


def open_page(browser, path: Path, width: int = 1280):
    page_ = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"errors": [], "requests": []}
    page_.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page_.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page_.on("request", lambda r: seen["requests"].append(r.url))
    page_.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                else route.abort())
    page_.goto(path.as_uri())
    page_.wait_for_selector("svg text")
    return page_, seen


def svg_texts(page_) -> list[str]:
    return page_.eval_on_selector_all("svg text", "els => els.map(e => e.textContent)")


def test_html_explorer_in_chromium_shows_the_chosen_concepts_numbers_offline(browser, explorer_html):
    page_, seen = open_page(browser, explorer_html)
    page_.select_option(".vega-bind select", "协商民主")
    page_.wait_for_function("() => [...document.querySelectorAll('svg text')].some(t => t.textContent.includes('19 行'))")
    texts = svg_texts(page_)
    assert "上下文：19 行（每行是一次计入的出现）" in texts
    assert any(t.startswith("协商民主（") and "出现 19 次" in t for t in texts)
    assert any("19 次（94,083 字）" in t and "其余：0 次（238,258 字）" in t for t in texts)
    keywords = [t for t in texts if t in ("协商民主", "基层协商民主", "社会主义协商民主")]
    assert len(keywords) == 19
    # trend: hovering the 2017 point shows its count and denominator (count --by year: 8 in 32,423 characters)
    points = page_.query_selector_all("g.mark-symbol path")
    assert len(points) == 12  # one per congress report
    for point in points:
        point.hover()
        tip = page_.text_content("#vg-tooltip-element") or ""
        if "2017" in tip:
            break
    assert "2017" in tip and "8" in tip and "32,423" in tip
    # search narrows the lines: the CLI's kwic lines whose context names 人民政协
    lines = cli_table("kwic", str(CONGRESS), "--term", "协商民主")
    expected = int((lines.left + lines.keyword + lines.right + " " + lines.doc).str.contains("人民政协").sum())
    page_.fill(".vega-bind input", "人民政协")
    page_.wait_for_function(f"() => [...document.querySelectorAll('svg text')].some(t => t.textContent.includes('：{expected} 行'))")
    assert 0 < expected < 19
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith(("file:", "data:"))] == []
    page_.close()


def test_html_explorer_fits_a_phone_with_the_picker_on_top(browser, explorer_html):
    page_, seen = open_page(browser, explorer_html, width=390)
    picker = page_.query_selector(".vega-bind select").bounding_box()
    chart = page_.query_selector("#vis svg").bounding_box()
    assert picker["y"] < chart["y"] and picker["x"] + picker["width"] <= 390
    assert seen["errors"] == []
    page_.close()
