"""The explorer's charts (Vega-Lite through altair), the same for the JupyterLab widget and the HTML file.

Each function takes a long table from :class:`~analysis.present.explorer.model.Model`
(all concepts, or only the chosen ones) and returns an altair chart. ``pick``,
when given, is an altair parameter holding the chosen concept: the chart then
shows only that concept's rows, so one page can hold every concept and switch
between them without a server (the HTML explorer). Without ``pick`` the chart
draws the rows it is given (the widget filters them in Python).

Charts have hover values (tooltips) labelled as in the tables
(:data:`analysis.present.labels.LABELS`) and draw text in the page's CJK web
font (:data:`analysis.present.webfont.WEB_FONT`) when there is one.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.present.labels import LABELS
from analysis.present.webfont import WEB_FONT

#: Fonts of every chart: the embedded subset first, then common Chinese system fonts.
FONT = (f'"{WEB_FONT}", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
        '"WenQuanYi Micro Hei", sans-serif')
#: Pixels per KWIC line, and the width of the concordance.
LINE_HEIGHT = 20
KWIC_WIDTH = 760
CHAR_WIDTH = 13  # a CJK character at the concordance's font size
#: A gap between two groups wider than this many typical steps breaks the trend line.
GAP_STEPS = 1.5


def _field(column: str, kind: str, number: str = ",.4~f") -> alt.Tooltip:
    return alt.Tooltip(f"{column}:{kind}", title=LABELS.get(column, column), format=number if kind == "Q" else "")


def _picked(chart: alt.Chart, pick: alt.Parameter | None, column: str = "concept") -> alt.Chart:
    return chart.transform_filter(alt.datum[column] == pick) if pick is not None else chart


def segments(rates: pd.DataFrame, by: str) -> pd.Series:
    """A segment number per row: the line of a trend breaks where groups are missing (1960 → 1964).

    Consecutive values of a numeric ``by`` are one segment when their distance
    is at most :data:`GAP_STEPS` times the typical (median) distance.

    Examples
    --------
    >>> t = pd.DataFrame({"year": [1959, 1960, 1964, 1965]})
    >>> segments(t, "year").tolist()
    [0, 0, 1, 1]
    """
    if not pd.api.types.is_numeric_dtype(rates[by]) or rates[by].nunique() < 3:
        return pd.Series(0, index=rates.index)
    values = pd.Series(sorted(rates[by].dropna().unique()))
    steps = values.diff().dropna()
    segment = (values.diff() > GAP_STEPS * steps.median()).cumsum()
    return rates[by].map(dict(zip(values, segment))).astype("int64")


def trend(rates: pd.DataFrame, by: str, *, pick: alt.Parameter | None = None, width: int = 620,
          height: int = 220) -> alt.LayerChart:
    """Rates per 10,000 characters by group, a line per concept, broken at missing groups; hover for the counts.

    Examples
    --------
    >>> t = pd.DataFrame({"year": [2017, 2022], "concept": ["协商民主"] * 2, "category": [""] * 2,
    ...                   "count": [6, 9], "chars": [30000, 28000], "per_10k": [2.0, 3.2143], "docs": [1, 1],
    ...                   "group_docs": [1, 1]})
    >>> trend(t, "year").to_dict()["layer"][1]["mark"]["type"]
    'point'
    """
    numeric = pd.api.types.is_numeric_dtype(rates[by])
    data = rates.assign(segment=segments(rates, by))[[by, "concept", "count", "chars", "per_10k", "docs",
                                                      "group_docs", "segment"]]
    x = alt.X(f"{by}:{'Q' if numeric else 'O'}", title=LABELS.get(by, by),
              axis=alt.Axis(format="d") if numeric else alt.Axis(labelAngle=-45, labelLimit=120),
              scale=alt.Scale(zero=False) if numeric else alt.Undefined,
              sort=None if not numeric else alt.Undefined)
    y = alt.Y("per_10k:Q", title=LABELS["per_10k"])
    color = alt.Color("concept:N", title=LABELS["concept"],
                      legend=alt.Legend(orient="top") if pick is None else None)
    tips = [_field(by, "Q" if numeric else "N", "d"), _field("concept", "N"), _field("count", "Q"), _field("chars", "Q"),
            _field("per_10k", "Q"), _field("docs", "Q"), _field("group_docs", "Q")]
    base = _picked(alt.Chart(data), pick)
    line = base.mark_line(strokeWidth=2).encode(x=x, y=y, color=color, detail="segment:N")
    points = base.mark_point(filled=True, size=60).encode(x=x, y=y, color=color, tooltip=tips)
    return alt.layer(line, points).properties(width=width, height=height, title="每万字出现次数（悬停看次数与分母）")


def partners(pairs: pd.DataFrame, *, pick: alt.Parameter | None = None, top: int = 12,
             width: int = 300) -> alt.Chart:
    """The concepts found in the same sentences as the chosen one, most units first (``top`` of them).

    Examples
    --------
    >>> p = pd.DataFrame({"concept": ["协商民主"], "partner": ["人民政协"], "count": [3], "count_a": [19],
    ...                   "count_b": [12], "units": [9000], "npmi": [0.5], "jaccard": [0.1]})
    >>> partners(p).to_dict()["mark"]["type"]
    'bar'
    """
    tips = [_field("partner", "N"), _field("count", "Q"), _field("count_a", "Q"), _field("count_b", "Q"),
            _field("units", "Q"), _field("npmi", "Q"), _field("jaccard", "Q")]
    chart = (_picked(alt.Chart(pairs), pick)
             .transform_window(rank="row_number()", sort=[alt.SortField("count", order="descending")])
             .transform_filter(alt.datum.rank <= top)
             .mark_bar(color="#4c78a8")
             .encode(y=alt.Y("partner:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
                     x=alt.X("count:Q", title="同句出现的句数", axis=alt.Axis(tickMinStep=1, format="d")),
                     tooltip=tips))
    return chart.properties(width=width, title="共现概念（同一句中）")


def densest(by_doc: pd.DataFrame, *, pick: alt.Parameter | None = None, top: int = 5, width: int = 240) -> alt.Chart:
    """The documents where the chosen concept is densest (highest rate per 10,000 characters).

    Examples
    --------
    >>> d = pd.DataFrame({"doc": ["congress-20"], "concept": ["协商民主"], "count": [9], "chars": [28000],
    ...                   "per_10k": [3.2143]})
    >>> densest(d).to_dict()["mark"]["type"]
    'bar'
    """
    meta = [c for c in ("year", "title") if c in by_doc.columns]
    tips = [_field("doc", "N"), *(_field(c, "N") for c in meta), _field("count", "Q"), _field("chars", "Q"),
            _field("per_10k", "Q")]
    chart = (_picked(alt.Chart(by_doc), pick)
             .transform_filter(alt.datum["count"] > 0)
             .transform_window(rank="row_number()", sort=[alt.SortField("per_10k", order="descending")])
             .transform_filter(alt.datum.rank <= top)
             .mark_bar(color="#f58518")
             .encode(y=alt.Y("doc:N", sort="-x", title=None), x=alt.X("per_10k:Q", title=LABELS["per_10k"]),
                     tooltip=tips))
    return chart.properties(width=width, title="最密集的文档")


def summary(lines: pd.DataFrame, *, pick: alt.Parameter | None = None, width: int = KWIC_WIDTH) -> alt.Chart:
    """One line of text per concept (``text`` column), e.g. its count, terms and keyness.

    Examples
    --------
    >>> summary(pd.DataFrame({"concept": ["协商民主"], "text": ["19 次"]})).to_dict()["mark"]["type"]
    'text'
    """
    chart = (_picked(alt.Chart(lines), pick)
             .transform_window(row="row_number()")
             .mark_text(align="left", baseline="top", fontSize=14, limit=width)
             .encode(text="text:N", x=alt.value(0), y=alt.Y("row:O", axis=None)))
    return chart.properties(width=width, height=alt.Step(LINE_HEIGHT + 2))


def concordance(lines: pd.DataFrame, *, pick: alt.Parameter | None = None, search: alt.Parameter | None = None,
                width: int = KWIC_WIDTH) -> alt.LayerChart:
    """Keyword-in-context lines, the keyword centred and bold, one line per counted occurrence.

    ``search`` (a text parameter) keeps the lines whose context or document
    contains it. The header says how many lines are shown.

    Examples
    --------
    >>> k = pd.DataFrame({"doc": ["a"], "concept": ["协商民主"], "left": ["发展"], "keyword": ["协商民主"],
    ...                   "right": ["制度"]})
    >>> [layer["mark"]["type"] for layer in concordance(k).to_dict()["layer"]]
    ['text', 'text', 'text', 'text', 'text']
    """
    label = "year" if "year" in lines.columns else "doc"
    data = lines.assign(where=lines[label].astype(str))[["concept", "where", "doc", "left", "keyword", "right"]]
    base = _picked(alt.Chart(data), pick)
    if search is not None:
        base = base.transform_filter(
            f"!{search.name} || indexof(datum.left + datum.keyword + datum.right + ' ' + datum.doc, {search.name}) >= 0")
    middle = (width + 70) / 2
    rows = (base.transform_window(line="row_number()")
            .transform_calculate(half=f"length(datum.keyword) * {CHAR_WIDTH / 2} + 6")
            .transform_calculate(left_x=f"{middle} - datum.half", right_x=f"{middle} + datum.half"))
    y = alt.Y("line:O", axis=None)
    font = {"fontSize": 13, "baseline": "middle"}
    where = rows.mark_text(align="left", color="#777", **font).encode(x=alt.value(0), y=y, text="where:N")
    left = rows.mark_text(align="right", **font).encode(x=alt.X("left_x:Q", scale=None), y=y, text="left:N")
    keyword = rows.mark_text(align="center", fontWeight="bold", color="#b2182b", **font).encode(
        x=alt.value(middle), y=y, text="keyword:N", tooltip=[_field("doc", "N"), _field("keyword", "N")])
    right = rows.mark_text(align="left", **font).encode(x=alt.X("right_x:Q", scale=None), y=y, text="right:N")
    header = (base.transform_aggregate(n="count()")
              .transform_calculate(text="'上下文：' + datum.n + ' 行（每行是一次计入的出现）'")
              .mark_text(align="left", fontSize=14, fontWeight="bold", dy=-LINE_HEIGHT)
              .encode(x=alt.value(0), y=alt.value(0), text="text:N"))
    return alt.layer(header, where, left, keyword, right).properties(
        width=width + 70, height=alt.Step(LINE_HEIGHT), title=alt.TitleParams("关键词在上下文中（KWIC）", dy=-8))
