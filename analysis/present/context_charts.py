"""Charts of context and comparison tables: the co-occurrence network and keyness bars.

Like :mod:`analysis.present.plot` (whose style, font handling and checks these
functions share), each function takes a table with the package's column
names, draws with the one CJK font of :mod:`analysis.present.fonts`, checks that the
font has every character it draws, and returns a
:class:`matplotlib.figure.Figure` without saving or showing it. Trends and
lexical dispersion plots are :func:`analysis.present.plot.trend` and
:func:`analysis.present.plot.dispersion`.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.present import fonts
from analysis.present.chart_base import (
    BAR_COLOR,
    axis_label,
    chart_style,
    finish_figure,
    new_figure,
    nothing_to_draw,
    require_positive,
    require_table,
)
from analysis.present.fonts import FontLike

__all__ = ["network", "keyness"]

_TARGET_COLOR = "#B0413E"
_REFERENCE_COLOR = "#2F5F8A"


def network(
    pairs: pd.DataFrame,
    *,
    weight: str = "jaccard",
    top: int | None = 40,
    seed: int = 7,
    title: str | None = None,
    font: FontLike = None,
) -> Figure:
    """Co-occurrence network: concepts as nodes, pairs as edges.

    Node area grows with the number of units containing the concept
    (``count_a``/``count_b``); edge width and darkness with ``weight``. The
    layout is networkx's spring layout with a fixed ``seed`` (same table,
    same picture), run on each connected group of concepts separately; the
    groups are then packed side by side, largest first, so a few separate
    pairs do not squeeze the main cluster into a corner. Every edge pulls
    equally: strength is shown by width, not by distance, so strongly tied
    concepts do not pile on top of each other.

    Parameters
    ----------
    pairs : DataFrame
        From :func:`analysis.measure.cooccur.pairs`: ``concept_a, concept_b, count,
        count_a, count_b`` and the ``weight`` column.
    weight : str, default "jaccard"
        Edge strength: ``"jaccard"``, ``"npmi"``, ``"pmi"`` or ``"count"``.
        Pairs with a weight of 0 or less are not drawn as edges.
    top : int or None, default 40
        Draw the ``top`` pairs with the highest weight (``None``: all).
    seed : int, default 7
        Seed of the layout.
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
        If a column is missing or no pair has a positive weight.
    FontError
        If the font lacks a glyph for a concept or the title.

    Examples
    --------
    >>> pairs = pd.DataFrame({"concept_a": ["协商民主", "党建引领"], "concept_b": ["社区治理", "社区治理"],
    ...                       "count": [3, 2], "count_a": [3, 2], "count_b": [7, 7], "jaccard": [0.43, 0.29]})
    >>> fig = network(pairs)
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['党建引领', '协商民主', '社区治理']
    """
    func = "network"
    require_table(pairs, ["concept_a", "concept_b", "count_a", "count_b", weight], name="pairs", func=func)
    if top is not None:
        require_positive(top, name="top", func=func)
    data = pairs[pairs[weight] > 0].sort_values(weight, ascending=False, kind="stable")
    if top is not None:
        data = data.head(top)
    if data.empty:
        return nothing_to_draw("没有可画的共现网络：没有概念对达到最低次数（可降低 min_count）。", title=title, font=font)
    sizes: dict[str, int] = {}
    for a, b, na, nb in zip(data.concept_a.astype(str), data.concept_b.astype(str), data.count_a, data.count_b):
        sizes[a], sizes[b] = int(na), int(nb)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(sizes))
    for a, b, w in zip(data.concept_a.astype(str), data.concept_b.astype(str), data[weight].astype(float)):
        graph.add_edge(a, b, weight=w)
    layout = _layout(graph, seed=seed)
    font = fonts.resolve_font(font)
    fonts.check_coverage(font, [*sizes, title or ""], what="the co-occurrence network")

    strongest = float(data[weight].max())
    largest = max(sizes.values())
    with chart_style(font):
        fig = new_figure(10.0, 8.5)
        ax = fig.add_subplot()
        for a, b, w in graph.edges(data="weight"):
            share = w / strongest
            (xa, ya), (xb, yb) = layout[a], layout[b]
            ax.plot([xa, xb], [ya, yb], color="#5E6B73", alpha=0.25 + 0.6 * share,
                    linewidth=0.6 + 6.0 * share, solid_capstyle="round", zorder=1)
        names = list(graph.nodes)
        xy = np.array([layout[n] for n in names])
        area = np.array([80 + 1100 * sizes[n] / largest for n in names])
        ax.scatter(xy[:, 0], xy[:, 1], s=area, color=BAR_COLOR, alpha=0.85, edgecolors="white",
                   linewidths=1.2, zorder=2)
        labels = [ax.text(x, y - 0.05 - np.sqrt(s) / 250, name, ha="center", va="top", fontsize=11,
                          color="#222222", zorder=3,
                          bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})
                  for (x, y), name, s in zip(xy, names, area)]
        ax.set_axis_off()
        ax.margins(0.08)
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_title(title or "")
        separate_labels(fig, ax, labels)
        # what size and width mean, with values of this chart
        small = max(1, min(sizes.values()))
        size_keys = sorted({small, largest})
        handles = [ax.scatter([], [], s=80 + 1100 * n / largest, color=BAR_COLOR, alpha=0.85, edgecolors="white",
                              label=f"出现于 {n:,} 个单位") for n in size_keys]
        weakest = float(data[weight].min())
        for w in sorted({weakest, strongest}):
            share = w / strongest
            shown = f"{int(w):,}" if float(w).is_integer() else f"{w:.2f}"
            handles.append(Line2D([], [], color="#5E6B73", alpha=0.25 + 0.6 * share, linewidth=0.6 + 6.0 * share,
                                  label=f"{'共现' if weight == 'count' else axis_label(weight)} {shown}"
                                        f"{' 次' if weight == 'count' else ''}"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles), frameon=False,
                  fontsize=10, handleheight=3.2, handlelength=3.2, columnspacing=2.4, borderaxespad=0.2,
                  title="节点大小：概念出现的单位数；连线粗细：共现次数" if weight == "count" else
                  f"节点大小：概念出现的单位数；连线粗细：{axis_label(weight)}", title_fontsize=10)
        return finish_figure(fig, font, what="the co-occurrence network")


def separate_labels(fig: Figure, ax, labels: list, *, rounds: int = 60) -> None:
    """Move overlapping text labels apart (downwards, in small steps) until none overlap or ``rounds`` run out.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> a, b = ax.text(0.5, 0.5, "alpha"), ax.text(0.5, 0.5, "beta")
    >>> separate_labels(fig, ax, [a, b])
    >>> r = fig.canvas.get_renderer()
    >>> bool(a.get_window_extent(r).overlaps(b.get_window_extent(r)))
    False
    >>> plt.close(fig)
    """
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    for _ in range(rounds):
        boxes = [t.get_window_extent(renderer).expanded(1.05, 1.15) for t in labels]
        moved = False
        for i in range(len(labels)):
            for j in range(i + 1, len(labels)):
                if boxes[i].overlaps(boxes[j]):
                    lower = j if boxes[j].y0 <= boxes[i].y0 else i
                    step = min(boxes[i].y1, boxes[j].y1) - max(boxes[i].y0, boxes[j].y0)
                    x, y = labels[lower].get_position()
                    x_disp, y_disp = ax.transData.transform((x, y))
                    labels[lower].set_position(to_data.transform((x_disp, y_disp - step / 2 - 1)))
                    boxes[lower] = labels[lower].get_window_extent(renderer).expanded(1.05, 1.15)
                    moved = True
        if not moved:
            return


def _layout(graph, *, seed: int) -> dict:
    """Spring layout per connected component (fixed seed), components shelf-packed in rows."""
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    placed = []
    for nodes in components:
        sub = graph.subgraph(nodes)
        radius = 0.35 if len(nodes) == 2 else 0.95 * np.sqrt(len(nodes))
        if len(nodes) == 1:
            pos = {nodes[0]: np.zeros(2)}
        elif len(nodes) == 2:  # one above the other: side by side, two labels would collide
            pos = {nodes[0]: np.array([0.0, radius]), nodes[1]: np.array([0.0, -radius])}
        else:
            # Kamada-Kawai spreads the leaves of a hub evenly (spring layouts bunch them); it is
            # deterministic, and the seeded spring layout only gives it a starting point.
            start = nx.spring_layout(sub, seed=seed, weight=None, iterations=50)
            pos = nx.kamada_kawai_layout(sub, pos=start, weight=None)
            xy = np.array([pos[n] for n in nodes])
            xy = xy - xy.mean(axis=0)
            xy = xy / max(np.abs(xy).max(), 1e-9) * radius
            pos = dict(zip(nodes, xy))
        placed.append((pos, radius))
    row_width = max(2 * placed[0][1], np.sqrt(sum((2 * r + 0.6) ** 2 for _, r in placed)) * 1.6)
    layout, x, y, row_height = {}, 0.0, 0.0, 0.0
    for pos, radius in placed:
        size = 2 * radius + 0.6
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y - row_height, 0.0
        centre = np.array([x + size / 2, y - size / 2])
        layout.update({n: p + centre for n, p in pos.items()})
        x += size
        row_height = max(row_height, size)
    return layout


def keyness(
    table: pd.DataFrame,
    *,
    n: int = 15,
    target: str = "目标语料",
    reference: str = "参照语料",
    title: str | None = None,
    font: FontLike = None,
) -> Figure:
    """Diverging bars of log ratio for the most key items of each side.

    The ``n`` items with the highest ``g2`` key for the target (bars to the
    right, red) and the ``n`` key for the reference (to the left, blue);
    each bar is labelled with the item's two counts.

    Parameters
    ----------
    table : DataFrame
        From :mod:`analysis.measure.keyness`: ``item, target_count,
        reference_count, g2, log_ratio, key_for``.
    n : int, default 15
        Items per side.
    target, reference : str
        Names of the two sides, shown in the legend (e.g. ``"2012年以后"``).
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
        If a column is missing or no item is key for either side.
    FontError
        If the font lacks a glyph for an item, a name or the title.

    Examples
    --------
    >>> t = pd.DataFrame({"item": ["全过程人民民主", "阶级斗争"], "target_count": [9, 0],
    ...                   "reference_count": [0, 69], "g2": [22.6, 45.9], "log_ratio": [5.4, -5.8],
    ...                   "key_for": ["target", "reference"]})
    >>> fig = keyness(t, target="2012年以后", reference="2012年以前")
    >>> [x.get_text() for x in fig.axes[0].get_yticklabels()]
    ['全过程人民民主', '阶级斗争']
    """
    func = "keyness"
    require_positive(n, name="n", func=func)
    require_table(table, ["item", "target_count", "reference_count", "g2", "log_ratio", "key_for"],
             name="table", func=func)
    ranked = table.sort_values("g2", ascending=False, kind="stable")
    up = ranked[ranked.key_for == "target"].head(n)
    down = ranked[ranked.key_for == "reference"].head(n)
    data = pd.concat([up, down.iloc[::-1]])
    if data.empty:
        return nothing_to_draw("没有可画的关键性图：两部分之间没有显著偏向任何一方的项目。", title=title, font=font)
    labels = data["item"].astype(str).tolist()
    values = data["log_ratio"].to_numpy(dtype=float)
    counts = [f"{int(a):,} : {int(b):,}" for a, b in zip(data.target_count, data.reference_count)]
    xlabel = f"对数比（log2，{target} ÷ {reference}）"
    font = fonts.resolve_font(font)
    fonts.check_coverage(font, [*labels, *counts, target, reference, title or "", xlabel, "条形旁：次数更多"],
                         what="the keyness chart")
    k = len(labels)
    with chart_style(font):
        fig = new_figure(9.0, max(3.0, 0.36 * k + 1.6))
        ax = fig.add_subplot()
        y = np.arange(k)
        colors = [_TARGET_COLOR if v > 0 else _REFERENCE_COLOR for v in values]
        bars = ax.barh(y, values, height=0.68, color=colors)
        ax.set_yticks(y, labels=labels)
        ax.invert_yaxis()
        ax.bar_label(bars, labels=counts, padding=4, fontsize=9, color="#333333")
        span = max(np.abs(values).max(), 1.0)
        ax.set_xlim(-span * 1.35, span * 1.35)
        ax.axvline(0, color="#999999", linewidth=0.8)
        ax.set_xlabel(xlabel)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color="#E5E5E5", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.legend(handles=[Patch(color=_TARGET_COLOR, label=f"{target}更多"),
                           Patch(color=_REFERENCE_COLOR, label=f"{reference}更多")],
                  loc="upper left", frameon=False, title=f"条形旁：次数 {target} : {reference}",
                  title_fontsize=10)
        if title:
            ax.set_title(title)
        return finish_figure(fig, font, what="the keyness chart")

