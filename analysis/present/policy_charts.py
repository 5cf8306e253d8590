"""Showing policy-instrument coding and text reuse: the instrument profile as stacked bars, reuse side by side.

The cross-tab's heatmap is :func:`analysis.present.charts.heatmap` on the
table of :func:`analysis.measure.coding.crosstab`; nothing here draws a
second heatmap. Figures are built like every chart of the package
(:mod:`analysis.present.chart_base`: one CJK font, checked glyphs, no pyplot
state); the side-by-side view is escaped HTML (:mod:`analysis.present.safe_html`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.measure.reuse import differences
from analysis.present import fonts
from analysis.present.chart_base import (
    CATEGORY_COLORS,
    as_text,
    axis_label,
    chart_style,
    finish_figure,
    new_figure,
    nothing_to_draw,
    ordered,
    require_numeric,
    require_table,
)
from analysis.present.fonts import FontLike
from analysis.present.safe_html import escape

__all__ = ["profile", "side_by_side", "Html"]


def profile(table: pd.DataFrame, *, by: str = "year", stack: str = "type", value: str = "share",
            title: str | None = None, font: FontLike = None) -> Figure:
    """Stacked bars: for each group (year, document), the share (or count) of each type or code.

    Parameters
    ----------
    table : DataFrame
        From :func:`analysis.measure.coding.profile`: ``<by>, type, [code,] clauses, share, ...``.
    by : str, default "year"
        The group column (bars, in ascending order for numbers).
    stack : str, default "type"
        The column whose values are stacked (``"type"`` or ``"code"``), in table order.
    value : str, default "share"
        Bar heights (``"share"`` of all codings, or ``"clauses"``: clauses coded).

    Examples
    --------
    >>> t = pd.DataFrame({"year": [2023, 2023, 2024, 2024], "type": ["供给型", "环境型"] * 2,
    ...                   "clauses": [1, 3, 2, 2], "share": [0.25, 0.75, 0.5, 0.5]})
    >>> fig = profile(t, title="政策工具结构")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['供给型', '环境型']
    """
    func = "profile"
    require_table(table, [by, stack, value], name="table", func=func)
    require_numeric(table, value, name="table", func=func)
    font = fonts.resolve_font(font)
    if not len(table) or not (table[value] > 0).any():
        return nothing_to_draw("没有可画的条形：没有任何条款被编码（语料中没有出现编码表的指示词）。", title=title, font=font)
    groups = ordered(pd.Index(table[by]))
    stacks = list(dict.fromkeys(table[stack]))
    wide = table.pivot_table(index=by, columns=stack, values=value, aggfunc="sum", fill_value=0)
    wide = wide.reindex(index=groups, columns=stacks, fill_value=0)
    with chart_style(font):
        fig = new_figure(min(12.0, max(6.0, 0.32 * len(groups) + 2.5)), 4.6)
        ax = fig.add_subplot()
        x = np.arange(len(groups))
        bottom = np.zeros(len(groups))
        for n, name in enumerate(stacks):
            heights = wide[name].to_numpy(dtype=float)
            ax.bar(x, heights, bottom=bottom, width=0.8, color=CATEGORY_COLORS[n % len(CATEGORY_COLORS)],
                   label=str(name))
            bottom += heights
        ax.set_xticks(x, as_text(groups), rotation=90 if len(groups) > 12 else 0)
        ax.set_xlabel(axis_label(by))
        ax.set_ylabel("占编码总数的比例" if value == "share" else "条款数")
        if value == "share":
            ax.set_ylim(0, 1)
        ax.legend(title=axis_label(stack), loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        if title:
            ax.set_title(title)
        return finish_figure(fig, font, what="the profile chart")


class Html(str):
    """HTML text that a notebook displays as HTML (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)


def side_by_side(passages: pd.DataFrame, *, rows: int | None = 20, caption: str | None = None) -> Html:
    """Aligned passages in two columns, with what the second dropped struck out and what it added marked.

    Parameters
    ----------
    passages : DataFrame
        From :func:`analysis.measure.reuse.find` (``doc_a, text_a, doc_b, text_b, similarity`` at least).
    rows : int or None, default 20
        Show the first ``rows`` passages (``None``: all).

    Examples
    --------
    >>> p = pd.DataFrame({"doc_a": ["甲"], "text_a": ["加大<b>投入</b>。"], "doc_b": ["乙"],
    ...                   "text_b": ["进一步加大<b>投入</b>。"], "similarity": [85.7]})
    >>> page = side_by_side(p)
    >>> "<ins>进一步</ins>" in page, "&lt;b&gt;" in page, "<b>" in page
    (True, True, False)
    """
    require_table(passages, ["doc_a", "text_a", "doc_b", "text_b", "similarity"], name="passages",
                  func="side_by_side")
    shown = passages if rows is None else passages.head(rows)
    cells = []
    for row in shown.itertuples(index=False):
        left, right = [], []
        for tag, a, b in differences(row.text_a, row.text_b):
            left.append(escape(a) if tag == "equal" else f"<del>{escape(a)}</del>" if a else "")
            right.append(escape(b) if tag == "equal" else f"<ins>{escape(b)}</ins>" if b else "")
        cells.append(f"<tr><td class='doc'>{escape(row.doc_a)}</td><td>{''.join(left)}</td>"
                     f"<td class='doc'>{escape(row.doc_b)}</td>"
                     f"<td>{''.join(right)}</td><td class='num'>{row.similarity:.1f}</td></tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in ("文档甲", "文档甲原句（删去的部分划线）", "文档乙",
                                                      "文档乙原句（新增的部分标色）", "相似度"))
    title = f"<caption style='caption-side:top;text-align:left;font-weight:bold'>{escape(caption)}</caption>" \
        if caption else ""
    style = ("<style>.zhgov-reuse del{color:#B0413E;text-decoration:line-through}"
             ".zhgov-reuse ins{color:#2F5F8A;background:#E3EEF7;text-decoration:none}"
             ".zhgov-reuse td,.zhgov-reuse th{padding:2px 8px;vertical-align:top;text-align:left !important}"
             ".zhgov-reuse td.doc{white-space:nowrap}.zhgov-reuse td.num{text-align:right !important}</style>")
    return Html(f"{style}<table class='zhgov-reuse'>{title}<thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(cells)}</tbody></table>")
