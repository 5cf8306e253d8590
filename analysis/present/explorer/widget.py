"""The explorer in JupyterLab: controls (ipywidgets) over linked views (altair charts, itables tables).

Choose a corpus (bundled or a path), one or more concepts (a search box
filters the list; each shows its category and count), a grouping and a
period split, and the teaching toggles (de-duplication, Han-space joining,
Traditional to Simplified); every view follows: the trend, the keyness of the
period, keyword-in-context lines (sortable, searchable), the co-occurring
concepts (table and network), the densest documents, and the teaching
comparison of the first chosen concept.

The numbers come from :class:`~analysis.present.explorer.model.Models`: a
corpus is read, cleaned and matched once per settings, and a click only
selects rows (tens of milliseconds on the bundled corpora). The tables each
view shows are in :attr:`Explorer.data`, so the logic can be tested without
a browser: set a control's ``value`` and read ``data``.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import altair as alt
import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Image, display
from itables.widget import ITable

from analysis.config import CORPORA_DIR, DEFAULT_LEXICON, SAMPLE_ESSAY, Settings
from analysis.errors import AnalysisError
from analysis.lexicon import Lexicon
from analysis.lexicon import load as load_lexicon
from analysis.present import context_charts
from analysis.present.explorer import lesson, views
from analysis.present.explorer.model import Model, Models
from analysis.present.labels import LABELS, VALUE_LABELS
from analysis.present.safe_html import escape, table_html

#: The corpora offered in the corpus list (a path typed in the box is used instead when given).
BUNDLED = {
    "中共全国代表大会报告 1969–2022": CORPORA_DIR / "cpc-congress-reports",
    "政府工作报告 1954–2024": CORPORA_DIR / "gov-work-reports",
    "样例文章（基层党建引领社区治理）": SAMPLE_ESSAY,
}
#: The cleaning settings the toggles switch, with their labels.
TOGGLES = {
    "keep_duplicates": "保留重复段落（不去重）",
    "join_han_spaces": "删除汉字之间的空格（PDF 提取的文本）",
    "simplified": "繁体转简体后再匹配",
}
#: How the small HTML tables are written: no index, numbers to 4 significant digits.
TABLE = {"index": False, "float_format": lambda v: f"{v:.4g}", "border": 0}
CONTEXT_LABELS = {"left": "左侧上下文", "keyword": "关键词", "right": "右侧上下文"}
KWIC_COLUMNS = ["concept", "where", "left", "keyword", "right", "doc"]


class Explorer:
    """The concept explorer widget.

    Parameters
    ----------
    corpus_path : str or Path
        The corpus first shown (a bundled one or any path the toolkit reads).
    lexicon_path : str or Path, optional
        The lexicon (default: the bundled governance lexicon).
    concepts : sequence of str, optional
        The concepts first chosen (default: the most frequent).
    settings : Settings, optional
        Reading and cleaning settings; the toggles start from them.
    by, split : str, optional
        Grouping of the trend and period split of the keyness view
        (default: ``year`` and its median; see :class:`Model`).

    Examples
    --------
    >>> from analysis.config import LEXICON_DIR
    >>> e = Explorer(SAMPLE_ESSAY, LEXICON_DIR / "sample-concepts.csv", concepts=["党建引领"])
    >>> len(e.data["kwic"]), int(e.data["trend"]["count"].sum())
    (4, 4)
    >>> e.toggles["keep_duplicates"].value = True
    >>> len(e.data["kwic"]), int(e.data["trend"]["count"].sum())
    (7, 7)
    """

    def __init__(self, corpus_path: str | Path = CORPORA_DIR / "cpc-congress-reports",
                 lexicon_path: str | Path | None = None, *, concepts=(), settings: Settings | None = None,
                 by: str | None = None, split: str | None = None):
        self.lexicon: Lexicon = load_lexicon(lexicon_path or DEFAULT_LEXICON)
        self.settings = Settings.of(settings, progress=False)
        self.data: dict[str, pd.DataFrame] = {}
        self._busy = False
        self._shown = False
        known = {str(Path(p)): name for name, p in BUNDLED.items()}
        self.corpus = widgets.Dropdown(options=[*BUNDLED, "其他（填写路径）"], description="语料",
                                       value=known.get(str(Path(corpus_path)), "其他（填写路径）"))
        self.path = widgets.Text(value="" if str(Path(corpus_path)) in known else str(corpus_path),
                                 placeholder="文件、文件夹或 .csv/.xlsx 表格的路径", description="路径",
                                 continuous_update=False)
        self.load = widgets.Button(description="读入", button_style="primary")
        self.search = widgets.Text(placeholder="输入以筛选概念，如 民主", description="搜索概念")
        self.concepts = widgets.SelectMultiple(description="概念", rows=8, layout=widgets.Layout(width="520px"))
        self.by = widgets.Dropdown(description="分组")
        self.split = widgets.Text(value=split or "", placeholder="如 year >= 2012（空：中位数）", description="时期划分", continuous_update=False)
        self.toggles = {name: widgets.Checkbox(value=getattr(self.settings, name), description=label, indent=False)
                        for name, label in TOGGLES.items()}
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.trend_box = widgets.Box(layout=widgets.Layout(min_width="660px"))  # holds the trend chart (an altair JupyterChart) once shown
        self.trend_chart: alt.JupyterChart | None = None
        self.keyness_html = widgets.HTML()
        self.kwic_table = ITable(pd.DataFrame(columns=KWIC_COLUMNS), maxBytes=0, classes="display compact nowrap",
                                 style="width:100%", pageLength=15, order=[],
                                 columnDefs=[{"className": "dt-right", "targets": [2]},
                                             {"className": "dt-center", "targets": [3]}])
        self.partner_table = ITable(pd.DataFrame(), maxBytes=0, classes="display compact", style="width:100%",
                                    pageLength=12)
        self.network_out = widgets.Output()
        self.densest_html = widgets.HTML()
        self.lesson_html = widgets.HTML()
        self._by_wanted = by
        self._open(corpus_path, concepts)
        self.corpus.observe(self._corpus_chosen, "value")
        self.load.on_click(lambda _: self._corpus_chosen())
        self.search.observe(lambda _: self._fill_concepts(self.concepts.value), "value")
        self.concepts.observe(lambda _: self.refresh(), "value")
        self.by.observe(lambda _: self._reopen(), "value")
        self.split.observe(lambda _: self._reopen(), "value")
        for box in self.toggles.values():  # the list's counts follow the settings too
            box.observe(lambda _: self._fill_concepts(self.concepts.value), "value")

    # -- state ---------------------------------------------------------------------------------------------------

    def _open(self, path: str | Path, concepts=()) -> None:
        self.models = Models(path, self.lexicon, by=self._by_wanted, split=self.split.value or None)
        model = self.models.get(self.settings)
        self._busy = True
        columns = ["doc", *model.corpus.metadata_columns]
        self.by.options = [("年份 year", "year") if c == "year" else (c, c) for c in columns]
        self.by.value = model.by
        self._busy = False
        self._fill_concepts(tuple(c for c in concepts if c in set(model.totals.concept))
                            or (model.totals.sort_values("count", ascending=False).concept.iloc[0],))

    def _reopen(self) -> None:
        if self._busy:
            return
        self._by_wanted = self.by.value
        chosen = self.concepts.value
        try:
            self._open(self.models.source.paths[0] if len(self.models.source.paths) == 1
                       else list(self.models.source.paths), chosen)
        except AnalysisError as exc:
            self._error(exc)

    def _corpus_chosen(self, *_) -> None:
        path = self.path.value.strip() if self.corpus.value not in BUNDLED or self.path.value.strip() else ""
        target = path or BUNDLED.get(self.corpus.value)
        if not target:
            self._error("请在“路径”中填写语料的位置 / type the path of a corpus")
            return
        self._by_wanted = None
        self._busy = True
        self.split.value = ""  # another corpus: its own median (or no period split)
        self._busy = False
        try:
            self._open(target, self.concepts.value)
        except AnalysisError as exc:
            self._error(exc)

    def _fill_concepts(self, chosen) -> None:
        totals = self.model.totals
        wanted = self.search.value.strip()
        shown = totals[totals.concept.str.contains(wanted, regex=False) | totals.terms.str.contains(wanted, regex=False)
                       | totals.category.str.contains(wanted, regex=False)] if wanted else totals
        keep = [c for c in chosen if c in set(totals.concept)]
        shown = pd.concat([totals[totals.concept.isin(keep)], shown]).drop_duplicates("concept")
        self._busy = True
        self.concepts.options = [(f"{c}  ·  {cat}  ·  {n} 次", c)
                                 for c, cat, n in shown[["concept", "category", "count"]].itertuples(index=False)]
        self.concepts.value = tuple(keep)
        self._busy = False
        self.refresh()

    @property
    def current_settings(self) -> Settings:
        """The settings the toggles stand at."""
        return replace(self.settings, **{name: box.value for name, box in self.toggles.items()})

    @property
    def model(self) -> Model:
        """The model of the current corpus and toggles (computed once per setting)."""
        return self.models.get(self.current_settings)

    # -- views ---------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute every view's table from the model and redraw."""
        if self._busy:
            return
        try:
            self._refresh()
        except AnalysisError as exc:
            self._error(exc)

    def _refresh(self) -> None:
        model = self.model
        chosen = [c for c in self.concepts.value if c in set(model.totals.concept)]
        if not chosen:
            self.status.value = "<i>请在左侧列表中选择一个或多个概念（按住 Ctrl/⌘ 多选）。</i>"
            return
        self.status.value = ""
        first = chosen[0]
        kwic = pd.concat([model.kwic(c) for c in chosen], ignore_index=True)
        where = "year" if "year" in kwic.columns else "doc"
        self.data = {
            "totals": model.totals[model.totals.concept.isin(chosen)].reset_index(drop=True),
            "trend": model.trend(chosen),
            "kwic": kwic.assign(where=kwic[where].astype(str))[KWIC_COLUMNS],
            "partners": model.partners(first),
            "densest": pd.concat([model.densest(c) for c in chosen], ignore_index=True),
            "keyness": model.keyness[model.keyness.item.isin(chosen)].reset_index(drop=True),
        }
        self.data["lesson"] = lesson.lesson(self.models, self.current_settings, first)
        self._draw(model, chosen)

    def _draw(self, model: Model, chosen: list[str]) -> None:
        totals = self.data["totals"]
        self.summary.value = "<br>".join(
            f"<b>{escape(c)}</b>（{escape(cat)}）：出现 <b>{n:,}</b> 次，每万字 {rate:g} 次（分母 {chars:,} 字），"
            f"见于 {docs} 篇文档；词条：{escape(terms)}"
            for c, cat, n, chars, rate, docs, terms in totals[
                ["concept", "category", "count", "chars", "per_10k", "docs", "terms"]].itertuples(index=False))
        if self._shown:  # charts go into Output widgets, which need a running kernel's display
            self._draw_charts(model, chosen)
        keyed = self.data["keyness"]
        self.keyness_html.value = (
            f"<b>时期对比 {escape(model.split)}</b>（目标）与其余（参照）" + table_html(keyed.rename(columns=LABELS), **TABLE)
            if model.split else "<i>没有可划分的时期（需要数值型的分组列，如 year）。</i>")
        self.kwic_table.update(self.data["kwic"].rename(columns={**LABELS, **CONTEXT_LABELS,
                                                                 "where": LABELS.get(model.by, "位置")}),
                               caption=f"关键词在上下文中：{len(self.data['kwic'])} 行（每行是一次计入的出现）")
        partners = self.data["partners"]
        self.partner_table.update(partners.drop(columns=["units"]).rename(columns={"partner": "共现概念", **LABELS}),
                                  caption=f"与“{chosen[0]}”同句出现的概念（句子总数 "
                                          f"{int(partners.units.iloc[0]) if len(partners) else 0:,}）")
        self.densest_html.value = "<b>最密集的文档</b>" + table_html(self.data["densest"].rename(columns=LABELS), **TABLE)
        rows = self.data["lesson"]
        rows = self.data["lesson"].assign(in_use=lambda t: t.in_use.map(VALUE_LABELS["in_use"]))
        self.lesson_html.value = "<b>教学对比：同一个概念，不同的做法</b>" + table_html(rows.rename(columns=LABELS), **TABLE)

    def _draw_charts(self, model: Model, chosen: list[str]) -> None:
        chart = views.trend(self.data["trend"], model.by, width=560, height=200)
        if self.trend_chart is None:
            alt.JupyterChart.enable_offline()  # Vega from the vl-convert package, not from a CDN
            self.trend_chart = alt.JupyterChart(chart)
            self.trend_box.children = [self.trend_chart]
        else:
            self.trend_chart.chart = chart
        with self.network_out:
            self.network_out.clear_output(wait=True)
            pairs = model.pairs[(model.pairs.concept_a == chosen[0]) | (model.pairs.concept_b == chosen[0])]
            if len(pairs):
                figure = context_charts.network(pairs, top=12, title=f"“{chosen[0]}”的共现网络")
                figure.set_size_inches(5, 4)
                png = io.BytesIO()
                figure.savefig(png, format="png", dpi=96, bbox_inches="tight")
                plt.close(figure)
                display(Image(data=png.getvalue()))

    def _error(self, message) -> None:
        self.status.value = f"<span style='color:#b2182b'>{escape(str(message))}</span>"

    # -- layout --------------------------------------------------------------------------------------------------

    def box(self) -> widgets.VBox:
        """The explorer as one widget (its charts are drawn from now on)."""
        self._shown = True
        self.refresh()
        corpus_row = widgets.HBox([self.corpus, self.path, self.load])
        left = widgets.VBox([self.search, self.concepts])
        right = widgets.VBox([self.by, self.split, widgets.HTML("<b>教学开关</b>"), *self.toggles.values()])
        return widgets.VBox([
            corpus_row, widgets.HBox([left, right]), self.status, self.summary,
            self.trend_box, self.keyness_html,
            self.kwic_table,
            widgets.HBox([widgets.VBox([self.partner_table], layout=widgets.Layout(width="55%")), self.network_out]),
            self.densest_html, self.lesson_html,
        ])

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.box()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        return {**bundle, "text/html": "<p><i>交互式概念浏览器只在运行中的 JupyterLab 里显示；下方是同一数据的静态表格。"
                                       "（The interactive explorer shows in a running JupyterLab.）</i></p>"}


