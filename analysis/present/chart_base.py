"""What every chart shares: the style, a figure that never touches pyplot's global state, the font check, input checks.

Chart modules (:mod:`analysis.present.charts`, :mod:`analysis.present.context_charts`)
build on these; nothing here draws a chart of its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis.errors import InputError
from analysis.present import fonts
from analysis.present.fonts import CJKFont, FontLike
from analysis.present.labels import label

STYLE: dict[str, Any] = {
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.titlelocation": "left",
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 12,
    "legend.fontsize": 11,
    "figure.titlesize": 16,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "text.parse_math": False,  # "$" in a label is text, not mathtext in another font
}

BAR_COLOR = "#2F5F8A"
CATEGORY_COLORS = ("#2F5F8A", "#D1773A", "#3F8F5B", "#B0413E", "#7A5C9E",
                    "#8C6D46", "#C75B98", "#5E6B73", "#A39A2D", "#3AA0B3")


@contextmanager
def chart_style(font: CJKFont) -> Iterator[None]:
    with matplotlib.rc_context({**STYLE, **fonts.font_rc(font)}):
        yield


def new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def finish_figure(fig: Figure, font: CJKFont, *, what: str) -> Figure:
    """Create tick labels inside the font context, then check every text of the figure."""
    hidden: set[int] = set()
    for ax in fig.findobj(Axes):
        if ax.axison:
            ax.xaxis.get_majorticklabels()
            ax.yaxis.get_majorticklabels()
        else:  # tick labels of a hidden axis are never drawn
            hidden.update(id(t) for axis in (ax.xaxis, ax.yaxis) for t in axis.findobj(Text))
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text() and id(t) not in hidden]
    fonts.check_coverage(font, texts, what=what)
    return fig


def axis_label(column: str) -> str:
    return label(column)


def require_table(table: Any, columns: Sequence[str], *, name: str, func: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{func}(): '{name}' must be a pandas DataFrame, not {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(
            f"{func}(): the table '{name}' has no column {', '.join(repr(c) for c in missing)}; "
            f"its columns are {', '.join(map(repr, table.columns))}. "
            f"Pass the right column names (see the keyword arguments) or a table from the analysis functions."
        )
    return table


def require_numeric(table: pd.DataFrame, column: str, *, name: str, func: str) -> None:
    if not pd.api.types.is_numeric_dtype(table[column]) or pd.api.types.is_bool_dtype(table[column]):
        raise InputError(
            f"{func}(): column '{column}' of '{name}' must hold numbers, not {table[column].dtype}; "
            f"choose a numeric column such as 'count' or 'per_10k'."
        )


def require_unique(table: pd.DataFrame, keys: list[str], *, name: str, func: str) -> None:
    dup = table.duplicated(subset=keys, keep=False)
    if dup.any():
        first = table.loc[dup, keys].iloc[0].tolist()
        n = int(table.loc[dup].groupby(keys, dropna=False).ngroups)
        raise InputError(
            f"{func}(): '{name}' has several rows for {n} value(s) of {' × '.join(keys)}, "
            f"e.g. {' × '.join(map(str, first))}; it is probably grouped by another column "
            f"(such as 'doc' or 'year'). Filter it to one group or count it without that grouping first."
        )


def require_positive(value: int, *, name: str, func: str) -> None:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise InputError(f"{func}(): {name} must be a positive integer, got {value!r}.", parameter=name)


def format_numbers(values: Sequence[float] | np.ndarray) -> list[str]:
    """Whole numbers as ``1,234``; others with 1 or 2 decimals."""
    arr = np.asarray(values, dtype=float)
    finite = arr[np.isfinite(arr)]
    if finite.size == 0 or np.allclose(finite, np.round(finite)):
        return ["" if not np.isfinite(v) else f"{int(round(v)):,}" for v in arr]
    decimals = 2 if np.abs(finite).max() < 10 else 1
    return ["" if not np.isfinite(v) else f"{v:,.{decimals}f}" for v in arr]


def as_text(values: Sequence[Any]) -> list[str]:
    return [str(v) for v in values]


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_inches(text: str, points: float) -> float:
    """Rough printed width: CJK (wide) characters are 1 em, others about 0.55 em."""
    em = points / 72
    return sum(em if unicodedata.east_asian_width(ch) in "WF" else 0.55 * em for ch in text)


def ordered(values: pd.Index) -> list[Any]:
    """Numbers (years, section numbers) in ascending order; anything else in order of appearance."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return sorted(values.unique())
    return list(values.unique())


def nothing_to_draw(message: str, *, title: str | None = None, font: FontLike = None) -> Figure:
    """A small figure that says, in Chinese, why there is nothing to draw (a report still shows the section).

    A corpus in which no lexicon concept occurs, a split with no key concept, a
    network with no pair above the threshold: the chart becomes a sentence
    instead of an error that would stop a notebook.

    Examples
    --------
    >>> fig = nothing_to_draw("语料中没有出现任何词表概念。")
    >>> [t.get_text() for t in fig.texts]
    ['语料中没有出现任何词表概念。']
    """
    font = fonts.resolve_font(font)
    fonts.check_coverage(font, [message, title or ""], what="the chart note")
    with chart_style(font):
        fig = new_figure(7.0, 1.4)
        ax = fig.add_subplot()
        ax.set_axis_off()
        if title:
            ax.set_title(title)
        fig.text(0.5, 0.45, message, ha="center", va="center", fontsize=12, color="#555555")
        return fig

