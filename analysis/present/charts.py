"""Charts of the tidy tables: bars, word cloud, heatmap, trend lines, dispersion.

Every function takes a table with the column names of the package contract
(see :mod:`analysis`), draws with the one CJK font of :mod:`analysis.present.fonts`
and returns a :class:`matplotlib.figure.Figure`. Nothing is saved or shown:
a notebook displays the returned figure (as the last expression of a cell,
or with ``display(fig)``), and saving is the caller's explicit act::

    fig = plot.bar_top(freq, n=15)
    fig.savefig(REPORTS_DIR / "top-concepts.png", dpi=200)

Figures are created without :mod:`matplotlib.pyplot` (so a notebook shows
them once, and none pile up in pyplot's registry) on an Agg canvas, which
renders PNG, PDF and SVG; ``plt.show()`` does not know them.

Before returning, each function checks that the font has a glyph for every
character the figure will draw (labels, titles, tick labels, words) and
raises :class:`analysis.present.fonts.FontError` naming the missing characters
otherwise, instead of drawing empty boxes. The font is chosen by
:func:`analysis.present.fonts.resolve_font`; pass ``font=`` (a path or a
:class:`~analysis.present.fonts.CJKFont`) to override it for one chart.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter, ScalarFormatter
from wordcloud import WordCloud

from analysis.errors import InputError
from analysis.present import fonts
from analysis.present.chart_base import (
    BAR_COLOR,
    CATEGORY_COLORS,
    as_text,
    axis_label,
    chart_style,
    finish_figure,
    format_numbers,
    new_figure,
    nothing_to_draw,
    ordered,
    require_numeric,
    require_positive,
    require_table,
    require_unique,
    shorten,
    text_inches,
)
from analysis.present.fonts import FontLike

__all__ = ["bar_top", "wordcloud", "heatmap", "trend", "dispersion"]

# --------------------------------------------------------------------------
# bar chart


def bar_top(
    counts: pd.DataFrame,
    *,
    n: int = 20,
    value: str = "count",
    label: str = "concept",
    title: str | None = None,
    color_by: str | None = "category",
    font: FontLike = None,
) -> Figure:
    """Horizontal bars of the ``n`` highest values, largest at the top.

    Parameters
    ----------
    counts : DataFrame
        One row per item, e.g. concept counts (``concept, category, count,
        nested, chars, per_10k, docs, terms``) or term counts, not grouped (or
        filtered to one group). With a ``terms`` column, a footnote names the
        terms of each shown concept that stands for more than its own name.
    n : int, default 20
        How many bars.
    value : str, default "count"
        Numeric column giving the bar length (``"count"``, ``"per_10k"``,
        ``"docs"``, ...). Rows where it is zero or missing are not shown;
        ties keep the table's order (lexicon order for ``count.concepts``).
    label : str, default "concept"
        Column with the bar labels (``"concept"``, ``"term"``, ``"word"``).
    title : str, optional
        Title above the chart.
    color_by : str or None, default "category"
        Colour the bars by this column, with a legend, when the table has it
        and it has at most 10 distinct values among the bars; ``None`` for
        one colour.
    font : CJKFont, str, os.PathLike or None
        Font to use instead of :func:`analysis.present.fonts.resolve_font`'s choice.

    Returns
    -------
    matplotlib.figure.Figure
        Values are written at the end of each bar.

    Raises
    ------
    InputError
        If a column is missing, ``value`` is not numeric, a label occurs in
        several rows, or no row has a positive value.
    FontError
        If the font lacks a glyph for a label or the title.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({
    ...     "concept": ["党的领导", "全过程人民民主", "协商民主"],
    ...     "category": ["政治", "民主", "民主"],
    ...     "count": [12, 30, 7],
    ... })
    >>> fig = bar_top(counts, n=2, title="高频概念")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['全过程人民民主', '党的领导']
    """
    func = "bar_top"
    require_positive(n, name="n", func=func)
    require_table(counts, [label, value], name="counts", func=func)
    require_numeric(counts, value, name="counts", func=func)
    require_unique(counts, [label], name="counts", func=func)
    data = counts[counts[value].notna() & (counts[value] != 0)].copy()
    data["axis_label"] = data[label].astype(str)
    data = data.sort_values(value, ascending=False, kind="stable").head(n)
    if data.empty:
        return nothing_to_draw(f"没有可画的条形：所有项目的“{axis_label(value)}”都是 0（例如语料中没有出现任何词表概念）。",
                               title=title, font=font)

    labels = data["axis_label"].tolist()
    values = data[value].to_numpy(dtype=float)
    shown = format_numbers(values)
    # What each bar counts: a footnote names the terms of every concept that stands for more than its own name.
    footnote = ""
    if "terms" in data.columns:
        wider = [f"{name} = {terms}" for name, terms in zip(labels, data["terms"].astype(str)) if terms != name]
        footnote = "计数所含词条：" + "；".join(wider) if wider else ""
    groups: list[str] | None = None
    if color_by is not None and color_by in data.columns:
        groups = data[color_by].astype(str).tolist()
        if len(set(groups)) > len(CATEGORY_COLORS):
            groups = None
    font = fonts.resolve_font(font)
    fonts.check_coverage(font, [*labels, *shown, title or "", axis_label(value), *(groups or []), footnote],
                         what="the bar chart")

    k = len(labels)
    longest = max(len(s) for s in labels)
    with chart_style(font):
        fig = new_figure(min(8.0 + 0.12 * longest, 13.0), max(2.6, 0.4 * k + 1.3))
        ax = fig.add_subplot()
        y = np.arange(k)
        if groups is None:
            colors: Any = BAR_COLOR
        else:
            order = list(dict.fromkeys(groups))
            palette = dict(zip(order, CATEGORY_COLORS))
            colors = [palette[g] for g in groups]
        bars = ax.barh(y, values, height=0.68, color=colors)
        ax.set_yticks(y, labels=labels)
        ax.invert_yaxis()
        ax.bar_label(bars, labels=shown, padding=4, fontsize=11, color="#333333")
        low, high = min(0.0, values.min()), max(0.0, values.max())
        span = (high - low) or 1.0
        ax.set_xlim(low - (0.14 * span if low < 0 else 0), high + 0.14 * span)
        ax.set_xlabel(axis_label(value))
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color="#E5E5E5", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines["left"].set_color("#999999")
        if groups is not None and len(palette) > 1:
            ax.legend(handles=[Patch(color=c, label=g) for g, c in palette.items()],
                      loc="lower right", frameon=False, title=None)
        if title:
            ax.set_title(title)
        if footnote:
            wrapped = textwrap.fill(footnote, width=max(40, int(fig.get_figwidth() * 6)))
            fig.set_figheight(fig.get_figheight() + 0.22 * (wrapped.count("\n") + 1))
            fig.supxlabel(wrapped, fontsize=9, color="#555555", ha="left", x=0.01)
        return finish_figure(fig, font, what="the bar chart")


# --------------------------------------------------------------------------
# word cloud


def wordcloud(
    freqs: pd.DataFrame,
    *,
    word: str = "word",
    value: str = "count",
    max_words: int = 150,
    seed: int = 42,
    width: int = 1600,
    height: int = 900,
    colormap: str = "Dark2",
    title: str | None = None,
    font: FontLike = None,
) -> Figure:
    """Word cloud of the most frequent words, reproducible for a given ``seed``.

    Parameters
    ----------
    freqs : DataFrame
        One row per word, e.g. word frequencies (``word, count, docs``) not
        grouped (or filtered to one group); concept or term counts work with
        ``word="concept"`` or ``word="term"``.
    word : str, default "word"
        Column with the words.
    value : str, default "count"
        Numeric column giving the word size; rows where it is not positive
        are dropped.
    max_words : int, default 150
        How many words, the most frequent first (ties in table order).
    seed : int, default 42
        Random state of the layout and colours: the same table and seed give
        the same image.
    width, height : int, default 1600, 900
        Size of the image in pixels (the figure is ``width/100`` by
        ``height/100`` inches at 100 dpi).
    colormap : str, default "Dark2"
        matplotlib colormap the word colours are drawn from.
    title : str, optional
        Title above the cloud.
    font : CJKFont, str, os.PathLike or None
        Font to use instead of :func:`analysis.present.fonts.resolve_font`'s choice.

    Returns
    -------
    matplotlib.figure.Figure
        One axes showing the image; the pixel array is
        ``fig.axes[0].images[0].get_array()``.

    Raises
    ------
    InputError
        If a column is missing, a word occurs in several rows or no word has
        a positive value.
    FontError
        If the font lacks a glyph for any of the words drawn (wordcloud
        itself would silently draw boxes).

    Notes
    -----
    Words are laid out horizontally only (``prefer_horizontal=1``): Chinese
    turned by 90 degrees is hard to read. A face inside a ``.ttc`` collection
    is passed to wordcloud through :func:`analysis.present.fonts.single_face_file`.

    Examples
    --------
    >>> import pandas as pd
    >>> freqs = pd.DataFrame({"word": ["发展", "改革", "治理", "人民"], "count": [40, 25, 18, 30]})
    >>> fig = wordcloud(freqs, width=400, height=240)
    >>> fig.axes[0].images[0].get_array().shape
    (240, 400, 3)
    """
    func = "wordcloud"
    require_positive(max_words, name="max_words", func=func)
    require_positive(width, name="width", func=func)
    require_positive(height, name="height", func=func)
    require_table(freqs, [word, value], name="freqs", func=func)
    require_numeric(freqs, value, name="freqs", func=func)
    require_unique(freqs, [word], name="freqs", func=func)
    data = freqs[freqs[value].notna() & (freqs[value] > 0)].copy()
    data["_word"] = data[word].astype(str)
    data = data[data["_word"].str.strip() != ""]
    data = data.sort_values(value, ascending=False, kind="stable").head(max_words)
    if data.empty:
        return nothing_to_draw("没有可画的词云：没有出现次数大于 0 的词语。", title=title, font=font)
    frequencies = dict(zip(data["_word"], data[value].astype(float)))

    font = fonts.resolve_font(font)
    fonts.check_coverage(font, [*frequencies, title or ""], what="the word cloud")
    cloud = WordCloud(
        font_path=str(fonts.single_face_file(font)),
        width=width,
        height=height,
        max_words=max_words,
        random_state=seed,
        background_color="white",
        colormap=colormap,
        prefer_horizontal=1.0,
        margin=4,
    ).generate_from_frequencies(frequencies)
    image = cloud.to_array()

    with chart_style(font):
        extra = min(max(14.0, width / 60), 32.0) / 72 * 2 if title else 0.0
        fig = new_figure(width / 100, height / 100 + extra)
        ax = fig.add_subplot()
        ax.imshow(image, interpolation="bilinear")
        ax.set_axis_off()
        if title:
            ax.set_title(title, fontsize=min(max(14.0, width / 60), 32.0), pad=10)
            fig.get_layout_engine().set(h_pad=0.12, w_pad=0.12)
        biggest = sorted(frequencies, key=lambda w: -frequencies[w])[:10]
        fig.alt_text = f"词云：字号对应出现次数，最大的词是{'、'.join(biggest)}。"  # read by analysis.present.page.figure_alt
        return finish_figure(fig, font, what="the word cloud")


# --------------------------------------------------------------------------
# heatmap


def heatmap(
    table: pd.DataFrame,
    *,
    index: str,
    columns: str,
    value: str,
    annotate: bool | None = None,
    cmap: str = "Blues",
    title: str | None = None,
    font: FontLike = None,
) -> Figure:
    """Heatmap of a long table, e.g. concept × section or concept × year.

    Parameters
    ----------
    table : DataFrame
        Long table with one row per (``index``, ``columns``) pair, e.g.
        ``count.concepts(..., by="year")``.
    index : str
        Column whose values become the rows (e.g. ``"concept"``); rows are
        ordered by their total, highest first, ties in table order.
    columns : str
        Column whose values become the columns (e.g. ``"year"``,
        ``"section"``): numbers in ascending order, other values (such as
        ``section_title``) in order of appearance. When a label is longer
        than 6 characters (section headings), the columns are numbered and a
        key below the chart gives the names (up to 40 characters).
    value : str
        Numeric column shown as colour (e.g. ``"per_10k"``). Missing pairs
        are shown as 0.
    annotate : bool, optional
        Write the value in each cell; by default only when the grid has at
        most 200 cells.
    cmap : str, default "Blues"
        matplotlib colormap.
    title : str, optional
        Title above the chart.
    font : CJKFont, str, os.PathLike or None
        Font to use instead of :func:`analysis.present.fonts.resolve_font`'s choice.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        If a column is missing, ``value`` is not numeric, a pair occurs in
        several rows, or the table is empty.
    FontError
        If the font lacks a glyph for a label or the title.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "year": [2017, 2017, 2022, 2022],
    ...     "concept": ["党的领导", "协商民主", "党的领导", "协商民主"],
    ...     "per_10k": [3.2, 1.1, 4.5, 0.8],
    ... })
    >>> fig = heatmap(table, index="concept", columns="year", value="per_10k")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['党的领导', '协商民主']
    """
    func = "heatmap"
    require_table(table, [index, columns, value], name="table", func=func)
    require_numeric(table, value, name="table", func=func)
    require_unique(table, [index, columns], name="table", func=func)
    if table.empty:
        return nothing_to_draw("没有可画的热力图：表格是空的。", title=title, font=font)
    grid = table.pivot(index=index, columns=columns, values=value).astype(float).fillna(0.0)
    grid = grid[ordered(pd.Index(table[columns]))]
    appearance = list(pd.Index(table[index]).unique())
    totals = grid.sum(axis=1)
    grid = grid.loc[sorted(appearance, key=lambda r: -totals[r])]
    rows = [shorten(s, 20) for s in as_text(grid.index)]
    cols = [shorten(s, 16) for s in as_text(grid.columns)]
    key: list[str] = []
    if max(len(c) for c in cols) > 6:  # long names (section headings): numbers on the axis, names in a key below
        key = [f"{i} = {shorten(name, 40)}" for i, name in enumerate(as_text(grid.columns), start=1)]
        cols = [str(i) for i in range(1, len(cols) + 1)]
    data = grid.to_numpy()
    nrows, ncols = data.shape
    if annotate is None:
        annotate = nrows * ncols <= 200
    cells = format_numbers(data.ravel()) if annotate else []
    font = fonts.resolve_font(font)
    fonts.check_coverage(font, [*rows, *cols, *cells, *key, title or "", axis_label(index), axis_label(columns),
                                axis_label(value)], what="the heatmap")

    row_inches = max(text_inches(s, 12) for s in rows)
    col_inches = max(text_inches(s, 11) for s in cols)
    with chart_style(font):
        width = min(max(5.5, 2.4 + row_inches + 0.62 * ncols), 18.0)
        cell = (width - 2.4 - row_inches) / ncols
        rotate = col_inches > 0.92 * cell
        height = min(max(3.0, 1.4 + 0.42 * nrows + (0.72 * col_inches if rotate else 0)), 16.0) + 0.26 * len(key)
        fig = new_figure(width, height)
        ax = fig.add_subplot()
        finite = data[np.isfinite(data)]
        vmin = min(0.0, float(finite.min())) if finite.size else 0.0
        vmax = float(finite.max()) if finite.size and finite.max() > vmin else vmin + 1.0
        image = ax.imshow(data, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        ax.set_xticks(np.arange(ncols), labels=cols, rotation=45 if rotate else 0,
                      ha="right" if rotate else "center", rotation_mode="anchor")
        ax.set_yticks(np.arange(nrows), labels=rows)
        ax.tick_params(length=0)
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(axis_label(columns))
        ax.set_ylabel(axis_label(index))
        if annotate:
            norm = image.norm
            for (r, c), text in zip(np.ndindex(nrows, ncols), cells):
                if data[r, c] == 0:
                    text, color = "0", "#A0A0A0"
                else:
                    color = "white" if norm(data[r, c]) > 0.6 else "#222222"
                ax.text(c, r, text, ha="center", va="center", fontsize=9 if ncols > 10 else 10, color=color)
        whole = pd.api.types.is_integer_dtype(table[value])  # counts: whole numbers on the scale, never 0.25
        bar = fig.colorbar(image, ax=ax, shrink=0.9, pad=0.02, ticks=MaxNLocator(integer=True) if whole else None)
        bar.set_label(axis_label(value))
        bar.outline.set_visible(False)
        if key:
            ax.set_xlabel(f"{axis_label(columns)}（编号见下）")
            fig.supxlabel("\n".join(key), x=0.02, ha="left", fontsize=10, linespacing=1.5)
        if title:
            ax.set_title(title)
        return finish_figure(fig, font, what="the heatmap")


# --------------------------------------------------------------------------
# trend


def trend(
    counts: pd.DataFrame,
    *,
    x: str = "year",
    concepts: Sequence[str] | None = None,
    value: str = "per_10k",
    ncols: int = 3,
    label: str = "concept",
    sharey: bool = False,
    title: str | None = None,
    font: FontLike = None,
) -> Figure:
    """Small multiples: one line chart per concept over ``x``, sharing the x axis.

    Parameters
    ----------
    counts : DataFrame
        Counts grouped by ``x``, e.g. ``count.concepts(..., by="year")``.
    x : str, default "year"
        Group column on the horizontal axis. Numbers (years) are placed on a
        numeric axis; other values (document ids) in order of appearance.
    concepts : sequence of str, optional
        Concepts to draw, in this order; by default all, highest total of
        ``value`` first, ties in table order.
    value : str, default "per_10k"
        Numeric column on the vertical axis. A concept missing for some
        ``x`` is drawn as 0 there.
    ncols : int, default 3
        Panels per row.
    label : str, default "concept"
        Column naming the lines (``"term"`` for term counts).
    sharey : bool, default False
        Use one vertical scale for all panels (compare levels) instead of
        one per panel (compare shapes).
    title : str, optional
        Title above all panels.
    font : CJKFont, str, os.PathLike or None
        Font to use instead of :func:`analysis.present.fonts.resolve_font`'s choice.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per concept, titled with its name.

    Raises
    ------
    InputError
        If a column is missing, a concept is not in the table, or a
        (concept, ``x``) pair occurs in several rows.
    FontError
        If the font lacks a glyph for a concept, tick label or title.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({
    ...     "year": [2012, 2012, 2017, 2017, 2022, 2022],
    ...     "concept": ["协商民主", "全过程人民民主"] * 3,
    ...     "per_10k": [2.1, 0.0, 3.4, 0.0, 2.9, 4.4],
    ... })
    >>> fig = trend(counts, concepts=["全过程人民民主", "协商民主"])
    >>> [ax.get_title() for ax in fig.axes]
    ['全过程人民民主', '协商民主']
    """
    func = "trend"
    require_positive(ncols, name="ncols", func=func)
    require_table(counts, [label, x, value], name="counts", func=func)
    require_numeric(counts, value, name="counts", func=func)
    require_unique(counts, [label, x], name="counts", func=func)
    if counts.empty:
        return nothing_to_draw("没有可画的趋势：表格是空的。", title=title, font=font)
    grid = counts.pivot(index=x, columns=label, values=value).astype(float).fillna(0.0)
    grid = grid.loc[ordered(pd.Index(counts[x]))]
    if concepts is None:
        totals = grid.sum(axis=0)
        names = sorted(pd.Index(counts[label]).unique(), key=lambda c: -totals[c])
    else:
        names = list(dict.fromkeys([concepts] if isinstance(concepts, str) else concepts))
        unknown = [c for c in names if c not in grid.columns]
        if unknown:
            have = ", ".join(map(str, list(grid.columns)[:12]))
            raise InputError(
                f"{func}(): {', '.join(map(repr, unknown))} not in column '{label}' of 'counts'; "
                f"it has {have}{', ...' if grid.shape[1] > 12 else ''}. Check the spelling."
            )
        if not names:
            return nothing_to_draw("没有可画的趋势：没有选定的概念（例如语料中没有出现任何词表概念）。", title=title, font=font)
    numeric_x = pd.api.types.is_numeric_dtype(grid.index) and not pd.api.types.is_bool_dtype(grid.index)
    xs = grid.index.to_numpy(dtype=float) if numeric_x else np.arange(len(grid.index))
    x_labels = as_text(grid.index)
    font = fonts.resolve_font(font)
    fonts.check_coverage(font, [*map(str, names), *([] if numeric_x else x_labels), title or "",
                                axis_label(x), axis_label(value)], what="the trend chart")

    n = len(names)
    cols = min(ncols, n)
    rows = math.ceil(n / cols)
    with chart_style(font):
        fig = new_figure(0.6 + 3.6 * cols, 0.9 + 2.5 * rows + (0.4 if title else 0))
        axes = fig.subplots(rows, cols, sharex=True, sharey=sharey, squeeze=False)
        for i, name in enumerate(names):
            ax = axes[i // cols][i % cols]
            ys = grid[name].to_numpy()
            line_x, line_y = with_gaps(xs, ys) if numeric_x else (xs, ys)
            ax.plot(line_x, line_y, color=BAR_COLOR, linewidth=2, marker="o", markersize=4)
            ax.set_title(str(name), fontsize=13, loc="center")
            ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
            if np.nanmin(ys) >= 0:
                ax.set_ylim(bottom=0)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
        for j in range(n, rows * cols):
            fig.delaxes(axes[j // cols][j % cols])
            above = j - cols
            if above >= 0:
                axes[above // cols][above % cols].xaxis.set_tick_params(labelbottom=True)
        first = axes[0][0]
        if numeric_x:
            first.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=bool(np.allclose(xs, np.round(xs)))))
            formatter = ScalarFormatter(useOffset=False)
            formatter.set_scientific(False)
            first.xaxis.set_major_formatter(formatter)
        else:
            rotate = len(xs) > 4 or max(len(s) for s in x_labels) > 6
            for ax in fig.axes:
                ax.set_xticks(xs, labels=x_labels, rotation=45 if rotate else 0,
                              ha="right" if rotate else "center", rotation_mode="anchor")
        fig.supxlabel(axis_label(x), fontsize=12)
        fig.supylabel(axis_label(value), fontsize=12)
        if title:
            fig.suptitle(title, x=0.02, ha="left")
        return finish_figure(fig, font, what="the trend chart")


def with_gaps(xs: np.ndarray, ys: np.ndarray, *, factor: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """The points with a break (NaN) wherever the step to the next x is over ``factor`` times the usual step.

    A line from 1964 to 1975 would claim values for years without any text;
    regular spacing (congresses every five years) keeps its line.

    Examples
    --------
    >>> x, y = with_gaps(np.array([1962, 1963, 1964, 1975, 1976]), np.array([1.0, 2, 3, 4, 5]))
    >>> x.tolist(), np.isnan(y).tolist()
    ([1962.0, 1963.0, 1964.0, 1969.5, 1975.0, 1976.0], [False, False, False, True, False, False])
    >>> with_gaps(np.array([1969, 1973, 1977, 1982]), np.array([1.0, 2, 3, 4]))[0].tolist()
    [1969.0, 1973.0, 1977.0, 1982.0]
    """
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if len(xs) < 3:
        return xs, ys
    steps = np.diff(xs)
    wide = np.flatnonzero(steps > factor * np.median(steps))
    if not len(wide):
        return xs, ys
    return (np.insert(xs, wide + 1, (xs[wide] + xs[wide + 1]) / 2), np.insert(ys, wide + 1, np.nan))


# --------------------------------------------------------------------------
# dispersion


def dispersion(
    hits: pd.DataFrame,
    paragraphs: pd.DataFrame,
    *,
    concepts: Sequence[str] | None = None,
    doc: str | None = None,
    title: str | None = None,
    font: FontLike = None,
) -> Figure:
    """Lexical dispersion: where in the text each concept occurs.

    One row per concept and one tick per occurrence (hits with
    ``concept_hit`` true). The horizontal axis is the relative position in
    the text, ``(characters of earlier paragraphs + start) / all
    characters``, paragraphs taken in ``para`` order. With several documents
    they are laid end to end in the order of ``paragraphs``, separated by
    dashed lines and named on the top axis (up to 20 documents).

    Parameters
    ----------
    hits : DataFrame
        From ``match.find``: ``doc, para, start, concept, concept_hit, ...``.
    paragraphs : DataFrame
        The paragraphs the hits were found in: ``doc, para, text, ...``.
    concepts : sequence of str, optional
        Concepts to show, top to bottom; a concept without hits gets an empty
        row. By default all concepts with hits, most frequent first, ties in
        order of first occurrence.
    doc : str, optional
        Show only this document.
    title : str, optional
        Title above the chart.
    font : CJKFont, str, os.PathLike or None
        Font to use instead of :func:`analysis.present.fonts.resolve_font`'s choice.

    Returns
    -------
    matplotlib.figure.Figure
        Rows are labelled ``concept (number of occurrences)``.

    Raises
    ------
    InputError
        If a column is missing, ``doc`` is unknown, the paragraphs have no
        text, a hit points to a paragraph not in ``paragraphs``, or there is
        no concept to show.
    FontError
        If the font lacks a glyph for a label or the title.

    Examples
    --------
    >>> import pandas as pd
    >>> paragraphs = pd.DataFrame({"doc": ["报告", "报告"], "para": [1, 2],
    ...                            "text": ["坚持党的领导。", "发展全过程人民民主，坚持党的领导。"]})
    >>> hits = pd.DataFrame({"doc": ["报告"] * 3, "para": [1, 2, 2], "start": [2, 2, 12],
    ...                      "concept": ["党的领导", "全过程人民民主", "党的领导"],
    ...                      "concept_hit": [True, True, True]})
    >>> fig = dispersion(hits, paragraphs)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['党的领导 (2)', '全过程人民民主 (1)']
    """
    func = "dispersion"
    require_table(hits, ["doc", "para", "start", "concept", "concept_hit"], name="hits", func=func)
    require_table(paragraphs, ["doc", "para", "text"], name="paragraphs", func=func)
    paras = paragraphs[["doc", "para", "text"]]
    if doc is not None:
        if not (paras["doc"] == doc).any():
            have = list(dict.fromkeys(paras["doc"].astype(str)))
            raise InputError(
                f"{func}(): document {doc!r} is not in 'paragraphs'; it has "
                f"{', '.join(map(repr, have[:10]))}{', ...' if len(have) > 10 else ''}."
            )
        paras = paras[paras["doc"] == doc]
    paras = paras.assign(
        _order=pd.factorize(paras["doc"])[0],
        _len=paras["text"].fillna("").astype(str).str.len(),
    ).sort_values(["_order", "para"], kind="stable")
    total = int(paras["_len"].sum())
    if total == 0:
        raise InputError(f"{func}(): the paragraphs have no text; there is nothing to place hits in.")
    paras = paras.assign(_offset=paras["_len"].cumsum() - paras["_len"])

    selected = hits[hits["concept_hit"].fillna(False).astype(bool)]
    if doc is not None:
        selected = selected[selected["doc"] == doc]
    placed = selected[["doc", "para", "start", "concept"]].merge(
        paras[["doc", "para", "_offset"]], on=["doc", "para"], how="left"
    )
    lost = placed["_offset"].isna()
    if lost.any():
        example = placed.loc[lost].iloc[0]
        raise InputError(
            f"{func}(): {int(lost.sum())} hit(s) point to paragraphs not in 'paragraphs' "
            f"(e.g. doc {example['doc']!r}, para {example['para']}); pass the paragraphs the hits were found in."
        )
    placed = placed.assign(_pos=(placed["_offset"] + placed["start"]) / total)

    counts = placed["concept"].value_counts()
    if concepts is None:
        names = sorted(pd.Index(placed["concept"]).unique(), key=lambda c: -counts[c])
        if not names:
            return nothing_to_draw("没有可画的分布：语料中没有出现任何词表概念。", title=title, font=font)
    else:
        names = list(dict.fromkeys([concepts] if isinstance(concepts, str) else concepts))
        if not names:
            return nothing_to_draw("没有可画的分布：没有选定的概念（例如语料中没有出现任何词表概念）。", title=title, font=font)
    positions = [np.sort(placed.loc[placed["concept"] == c, "_pos"].to_numpy(dtype=float)) for c in names]
    row_labels = [f"{c} ({len(p)})" for c, p in zip(names, positions)]

    doc_starts = paras.groupby("_order", sort=True).agg(doc=("doc", "first"), start=("_offset", "min"),
                                                      size=("_len", "sum"))
    multi = len(doc_starts) > 1
    doc_names = as_text(doc_starts["doc"]) if multi and len(doc_starts) <= 20 else []
    font = fonts.resolve_font(font)
    fonts.check_coverage(font, [*row_labels, *doc_names, title or "", "在文本中的相对位置"],
                         what="the dispersion plot")

    k = len(names)
    longest = max(len(s) for s in row_labels)
    with chart_style(font):
        fig = new_figure(min(9.5 + 0.1 * longest, 14.0), max(2.4, 0.42 * k + 1.4 + (0.5 if doc_names else 0)))
        ax = fig.add_subplot()
        ax.eventplot(positions, lineoffsets=np.arange(k), linelengths=0.72, linewidths=1.1, colors=BAR_COLOR)
        ax.set_yticks(np.arange(k), labels=row_labels)
        ax.set_ylim(k - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("在文本中的相对位置")
        ax.tick_params(axis="y", length=0)
        for r in range(k):
            ax.axhline(r, color="#EEEEEE", linewidth=0.8, zorder=0)
        if multi:
            for start in doc_starts["start"].iloc[1:]:
                ax.axvline(start / total, color="#999999", linewidth=0.8, linestyle="--", zorder=0)
            if doc_names:
                mids = (doc_starts["start"] + doc_starts["size"] / 2) / total
                top = ax.secondary_xaxis("top")
                top.set_xticks(mids.to_numpy(), labels=doc_names)
                top.tick_params(length=0, labelsize=9 if len(doc_names) > 8 else 10)
                if len(doc_names) > 8:
                    top.tick_params(labelrotation=30)
                    for t in top.get_xticklabels():
                        t.set_horizontalalignment("left")
                        t.set_rotation_mode("anchor")
                top.spines["top"].set_visible(False)
        if title:
            ax.set_title(title)
        return finish_figure(fig, font, what="the dispersion plot")
