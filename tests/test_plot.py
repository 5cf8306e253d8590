"""Charts: Chinese labels drawn with real glyphs, tables of the column contract, figures returned not saved."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.text
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis import fonts, plot
from analysis.errors import InputError
from analysis.present.fonts import FontError

# matplotlib's "Glyph ... missing from font(s)" is a UserWarning: make it (and any other) fail the test.
pytestmark = pytest.mark.filterwarnings("error:Glyph:UserWarning")  # "Glyph ... missing from font(s)" fails a test

DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


# ---------------------------------------------------------------------------
# small tables following the column contract


@pytest.fixture
def concept_counts() -> pd.DataFrame:
    """count.concepts(...) without grouping."""
    rows = [("全过程人民民主", "民主", 30), ("党的领导", "党的建设", 12), ("协商民主", "民主", 7),
            ("依法治国", "法治", 7), ("共同富裕", "发展", 3), ("乡村振兴", "发展", 0)]
    table = pd.DataFrame(rows, columns=["concept", "category", "count"])
    return table.assign(chars=20000, per_10k=table["count"] / 2.0, docs=[3, 3, 2, 2, 1, 0])


@pytest.fixture
def by_year() -> pd.DataFrame:
    """count.concepts(..., by="year"): year first; 乡村振兴 has no row for 2012."""
    rows = [
        (2012, "协商民主", 4, 2.0), (2012, "党的领导", 6, 3.0),
        (2017, "协商民主", 9, 3.0), (2017, "党的领导", 9, 3.0), (2017, "乡村振兴", 3, 1.0),
        (2022, "协商民主", 5, 1.25), (2022, "党的领导", 16, 4.0), (2022, "乡村振兴", 10, 2.5),
        (2012, "全过程人民民主", 0, 0.0), (2017, "全过程人民民主", 0, 0.0), (2022, "全过程人民民主", 12, 3.0),
    ]
    table = pd.DataFrame(rows, columns=["year", "concept", "count", "per_10k"])
    return table.assign(category="测试", chars=40000, docs=1)[
        ["year", "concept", "category", "count", "chars", "per_10k", "docs"]]


@pytest.fixture
def word_freqs() -> pd.DataFrame:
    """words.frequencies(...)."""
    words = ["发展", "人民", "建设", "改革", "治理", "民主", "法治", "创新", "生态", "文化", "安全", "开放"]
    return pd.DataFrame({"word": words, "count": [90, 80, 66, 50, 42, 40, 31, 25, 18, 12, 9, 5], "docs": 2})


@pytest.fixture
def paragraphs() -> pd.DataFrame:
    """Two documents; paragraph lengths 10, 20 (doc 甲) and 10 (doc 乙): 40 characters."""
    texts = ["坚持党的领导不动摇。", "发展全过程人民民主，坚持党的领导，推进协商民主。", "推进协商民主广泛发展"]
    assert [len(t) for t in texts] == [10, 24, 10]
    texts[1] = texts[1][:20]
    return pd.DataFrame({"doc": ["甲", "甲", "乙"], "section": [0, 1, 0], "section_title": ["", "一、总体", ""],
                         "para": [1, 2, 1], "line": [1, 3, 1], "text": texts})


@pytest.fixture
def hits() -> pd.DataFrame:
    """match.find(...): the second 党的领导 row is inside a longer hit of the same concept (concept_hit False)."""
    rows = [
        ("甲", 0, 1, 2, 6, "党的领导", "党的领导", True),
        ("甲", 1, 2, 2, 9, "全过程人民民主", "全过程人民民主", True),
        ("甲", 1, 2, 12, 16, "党的领导", "党的领导", True),
        ("甲", 1, 2, 12, 14, "党的", "党的领导", False),
        ("乙", 0, 1, 2, 6, "协商民主", "协商民主", True),
    ]
    table = pd.DataFrame(rows, columns=["doc", "section", "para", "start", "end", "term", "concept", "concept_hit"])
    return table.assign(category="测试", standalone=True)[
        ["doc", "section", "para", "start", "end", "term", "concept", "category", "standalone", "concept_hit"]]


def draw(fig: Figure) -> Figure:
    """Render into the figure's Agg canvas; a missing glyph warning is an error (pytestmark)."""
    assert isinstance(fig, Figure)
    fig.canvas.draw()
    return fig


def texts(fig: Figure) -> set[str]:
    return {t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()}


def ytick_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


# ---------------------------------------------------------------------------
# every chart: Chinese drawn without missing glyphs, nothing saved, no pyplot


CHARTS = {
    "bar_top": lambda d: plot.bar_top(d["concept_counts"], title="高频概念（前五）"),
    "wordcloud": lambda d: plot.wordcloud(d["word_freqs"], width=480, height=300, title="高频词"),
    "heatmap": lambda d: plot.heatmap(d["by_year"], index="concept", columns="year", value="per_10k",
                                      title="概念 × 年份"),
    "trend": lambda d: plot.trend(d["by_year"], title="年度变化"),
    "dispersion": lambda d: plot.dispersion(d["hits"], d["paragraphs"], title="概念在文中的位置"),
}


@pytest.fixture
def tables(concept_counts, by_year, word_freqs, hits, paragraphs):
    return {"concept_counts": concept_counts, "by_year": by_year, "word_freqs": word_freqs,
            "hits": hits, "paragraphs": paragraphs}


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_draws_chinese_without_missing_glyphs(chart, tables):
    fig = draw(CHARTS[chart](tables))
    font = fonts.resolve_font()
    drawn = "".join(texts(fig))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in drawn)
    assert fonts.missing_glyphs(font, drawn) == ""
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_visible() and text.get_text():
            assert text.get_fontfamily() == [font.family], text.get_text()


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_is_returned_not_saved_shown_or_kept_by_pyplot(chart, tables, tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)
    before = plt.get_fignums()
    fig = CHARTS[chart](tables)
    assert plt.get_fignums() == before
    assert list(tmp_path.iterdir()) == []
    fig.savefig(tmp_path / "chart.png")  # the caller saves
    assert (tmp_path / "chart.png").stat().st_size > 1000


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_with_a_font_lacking_chinese_raises_font_error_before_drawing(chart, tables):
    def with_latin_font(d):
        import functools

        original = {name: getattr(plot, name) for name in CHARTS}
        try:
            for name, func in original.items():
                setattr(plot, name, functools.partial(func, font=DEJAVU))
            return CHARTS[chart](d)
        finally:
            for name, func in original.items():
                setattr(plot, name, func)

    with pytest.raises(FontError, match=r"DejaVu Sans.*no glyph.*U\+[0-9A-F]{4}.*ANALYSIS_CJK_FONT"):
        with_latin_font(tables)


def test_charts_leave_global_matplotlib_settings_alone(tables):
    before = dict(matplotlib.rcParams)
    for make in CHARTS.values():
        make(tables)
    assert dict(matplotlib.rcParams) == before


# ---------------------------------------------------------------------------
# bar_top


def test_bar_top_sorts_largest_first_and_keeps_n(concept_counts):
    fig = draw(plot.bar_top(concept_counts, n=3))
    ax = fig.axes[0]
    assert ytick_labels(ax) == ["全过程人民民主", "党的领导", "协商民主"]  # 协商民主 before 依法治国: table order
    assert [t.get_text() for t in ax.texts] == ["30", "12", "7"]


def test_bar_top_leaves_out_zero_rows_and_formats_decimals(concept_counts):
    fig = draw(plot.bar_top(concept_counts, n=20, value="per_10k", color_by=None))
    ax = fig.axes[0]
    assert "乡村振兴" not in ytick_labels(ax)
    assert [t.get_text() for t in ax.texts][:2] == ["15.0", "6.0"]
    assert ax.get_xlabel() == "每万字出现次数"


def test_bar_top_colours_by_category_with_a_legend(concept_counts):
    ax = draw(plot.bar_top(concept_counts)).axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["民主", "党的建设", "法治", "发展"]


def test_bar_top_rejects_a_grouped_table(by_year):
    with pytest.raises(InputError, match=r"several rows.*grouped"):
        plot.bar_top(by_year)


def test_bar_top_names_a_missing_column(concept_counts):
    with pytest.raises(InputError, match=r"no column 'term'.*'concept'"):
        plot.bar_top(concept_counts, label="term")


def test_bar_top_rejects_text_values(concept_counts):
    with pytest.raises(InputError, match="must hold numbers"):
        plot.bar_top(concept_counts, value="category")


# ---------------------------------------------------------------------------
# wordcloud


def test_wordcloud_same_seed_gives_the_same_image(word_freqs):
    first = plot.wordcloud(word_freqs, width=400, height=240, seed=7).axes[0].images[0].get_array()
    again = plot.wordcloud(word_freqs, width=400, height=240, seed=7).axes[0].images[0].get_array()
    other = plot.wordcloud(word_freqs, width=400, height=240, seed=8).axes[0].images[0].get_array()
    assert first.shape == (240, 400, 3)
    assert np.array_equal(np.asarray(first), np.asarray(again))
    assert not np.array_equal(np.asarray(first), np.asarray(other))


def test_wordcloud_checks_every_drawn_word_because_wordcloud_itself_does_not(word_freqs):
    rare = word_freqs.assign(word=word_freqs["word"].where(word_freqs["word"] != "安全", "\U0002A6A5龘"))
    if not fonts.missing_glyphs(None, "\U0002A6A5"):
        pytest.skip("the resolved font covers Extension B")
    with pytest.raises(FontError, match=r"word cloud.*U\+2A6A5"):
        plot.wordcloud(rare)
    plot.wordcloud(rare, max_words=5, width=300, height=200)  # the rare word is not among the five drawn


def test_charts_with_nothing_to_draw_say_so_in_chinese_instead_of_stopping_the_notebook(word_freqs):
    from analysis import context_charts

    cloud = plot.wordcloud(word_freqs.assign(count=0))
    assert [t.get_text() for t in cloud.texts] == ["没有可画的词云：没有出现次数大于 0 的词语。"]
    bars = plot.bar_top(pd.DataFrame({"concept": ["协商民主"], "count": [0]}), title="高频概念")
    assert "没有可画的条形" in bars.texts[0].get_text() and "语料中没有出现任何词表概念" in bars.texts[0].get_text()
    empty_pairs = pd.DataFrame(columns=["concept_a", "concept_b", "count", "count_a", "count_b", "units", "pmi",
                                        "npmi", "jaccard"])
    network = context_charts.network(empty_pairs)
    assert "没有可画的共现网络" in network.texts[0].get_text()


def test_wordcloud_uses_the_simplified_chinese_face_of_a_collection(tmp_path, monkeypatch):
    from tests.test_fonts import build_collection

    collection = build_collection(tmp_path / "test-collection.ttc")
    monkeypatch.setattr(fonts, "_cache_dir", lambda: tmp_path / "cache")
    freqs = pd.DataFrame({"word": ["党的领导", "人民", "民主", "协商", "政府工作报告"], "count": [9, 7, 5, 3, 2]})
    image = plot.wordcloud(freqs, font=collection, width=300, height=200).axes[0].images[0].get_array()
    assert (np.asarray(image) < 128).any()  # dark glyph pixels on the white background
    (extracted,) = (tmp_path / "cache").iterdir()  # face 1 was extracted for wordcloud
    assert fonts._faces(str(extracted)) == ("Analysis Test SC",)
    with pytest.raises(FontError, match="'发'"):  # the test face has only a few characters
        plot.wordcloud(freqs.assign(word=["发展", "人民", "民主", "协商", "政府"]), font=collection)


# ---------------------------------------------------------------------------
# heatmap


def test_heatmap_orders_rows_by_total_and_fills_missing_pairs_with_zero(by_year):
    fig = draw(plot.heatmap(by_year, index="concept", columns="year", value="count"))
    ax = fig.axes[0]
    assert ytick_labels(ax) == ["党的领导", "协商民主", "乡村振兴", "全过程人民民主"]  # totals 31, 18, 13, 12
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2012", "2017", "2022"]
    grid = ax.images[0].get_array()
    assert grid[2, 0] == 0  # 乡村振兴 has no 2012 row
    cells = [t.get_text() for t in ax.texts]
    assert cells[:3] == ["6", "9", "16"] and len(cells) == 12
    assert fig.axes[1].get_ylabel() == "出现次数"  # colour bar


def test_heatmap_keeps_text_columns_in_order_of_appearance(hits):
    by_section = (hits[hits["concept_hit"]].merge(pd.DataFrame({"section": [0, 1], "section_title": ["引言", "一、总体要求"]}))
                  .groupby(["section_title", "concept"], sort=False).size().rename("count").reset_index())
    ax = draw(plot.heatmap(by_section, index="concept", columns="section_title", value="count")).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["引言", "一、总体要求"]


def test_heatmap_without_annotations_for_large_grids(by_year):
    ax = draw(plot.heatmap(by_year, index="concept", columns="year", value="count", annotate=False)).axes[0]
    assert len(ax.texts) == 0


def test_heatmap_rejects_duplicate_pairs(by_year):
    with pytest.raises(InputError, match="several rows"):
        plot.heatmap(pd.concat([by_year, by_year]), index="concept", columns="year", value="count")


# ---------------------------------------------------------------------------
# trend


def test_trend_draws_one_panel_per_concept_highest_total_first(by_year):
    fig = draw(plot.trend(by_year, ncols=2))
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["党的领导", "协商民主", "乡村振兴", "全过程人民民主"]  # totals 10, 6.25, 3.5, 3
    line = fig.axes[2].lines[0]
    assert list(line.get_xdata()) == [2012, 2017, 2022]
    assert list(line.get_ydata()) == [0.0, 1.0, 2.5]  # missing 2012 drawn as 0


def test_trend_uses_the_given_concepts_in_order_and_removes_empty_panels(by_year):
    fig = draw(plot.trend(by_year, concepts=["乡村振兴", "协商民主"], ncols=3, value="count"))
    assert [ax.get_title() for ax in fig.axes] == ["乡村振兴", "协商民主"]
    assert all(label.get_text() for label in fig.axes[0].get_xticklabels())
    assert fig.get_supylabel() == "出现次数"


def test_trend_last_row_gap_keeps_x_labels_on_the_panel_above(by_year):
    fig = draw(plot.trend(by_year, ncols=3))  # 4 panels: row 2 has one, so panels 2 and 3 need x labels
    assert len(fig.axes) == 4
    for ax in fig.axes[1:]:
        assert any(t.get_text() for t in ax.get_xticklabels())


def test_trend_year_ticks_are_plain_years(by_year):
    fig = draw(plot.trend(by_year))
    labels = {t.get_text() for t in fig.axes[-1].get_xticklabels() if t.get_text()}
    assert labels and all(label.isdigit() and len(label) == 4 for label in labels)


def test_trend_unknown_concept_is_named(by_year):
    with pytest.raises(InputError, match=r"'共同富裕' not in column 'concept'.*Check the spelling"):
        plot.trend(by_year, concepts=["共同富裕"])


def test_trend_with_documents_on_the_x_axis(by_year):
    by_doc = by_year.rename(columns={"year": "doc"}).assign(doc=lambda t: "报告" + t["doc"].astype(str))
    fig = draw(plot.trend(by_doc, x="doc"))
    assert [t.get_text() for t in fig.axes[-1].get_xticklabels()] == ["报告2012", "报告2017", "报告2022"]


# ---------------------------------------------------------------------------
# dispersion


def test_dispersion_positions_are_cumulative_character_offsets(hits, paragraphs):
    fig = draw(plot.dispersion(hits, paragraphs))
    ax = fig.axes[0]
    assert ytick_labels(ax) == ["党的领导 (2)", "全过程人民民主 (1)", "协商民主 (1)"]
    positions = [list(np.round(c.get_positions(), 6)) for c in ax.collections]
    total = 10 + 20 + 10
    assert positions == [[2 / total, (10 + 12) / total], [(10 + 2) / total], [(30 + 2) / total]]


def test_dispersion_counts_only_concept_hits(hits, paragraphs):
    only_others = hits.assign(concept_hit=hits["concept_hit"] & (hits["concept"] != "党的领导"))
    ax = draw(plot.dispersion(only_others, paragraphs)).axes[0]
    assert ytick_labels(ax) == ["全过程人民民主 (1)", "协商民主 (1)"]


def test_dispersion_of_one_document_shows_requested_concepts_even_without_hits(hits, paragraphs):
    ax = draw(plot.dispersion(hits, paragraphs, doc="甲", concepts=["协商民主", "党的领导"])).axes[0]
    assert ytick_labels(ax) == ["协商民主 (0)", "党的领导 (2)"]
    assert list(np.round(ax.collections[1].get_positions(), 6)) == [round(2 / 30, 6), round(22 / 30, 6)]


def test_dispersion_marks_document_boundaries(hits, paragraphs):
    fig = draw(plot.dispersion(hits, paragraphs))
    ax = fig.axes[0]
    assert [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--"] == [30 / 40]
    assert {"甲", "乙"} <= texts(fig)


def test_dispersion_rejects_hits_from_other_paragraphs(hits, paragraphs):
    with pytest.raises(InputError, match=r"not in 'paragraphs'"):
        plot.dispersion(hits.assign(para=9), paragraphs)


def test_dispersion_unknown_document_is_named(hits, paragraphs):
    with pytest.raises(InputError, match=r"document '丙' is not in 'paragraphs'.*'甲', '乙'"):
        plot.dispersion(hits, paragraphs, doc="丙")


def test_bar_chart_footnote_names_the_terms_a_concept_stands_for():
    from analysis import charts

    counts = pd.DataFrame({"concept": ["协商民主", "社区治理"], "category": ["民主", "治理"], "count": [3, 23],
                           "terms": ["协商民主/基层协商民主", "社区治理"]})
    fig = charts.bar_top(counts)
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert any("协商民主 = 协商民主/基层协商民主" in t for t in texts)
    assert not any("社区治理 = " in t for t in texts)  # a concept that is only its own name needs no note
