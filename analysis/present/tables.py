"""Styled tables for reading: the package's tidy tables as escaped, labelled pandas Stylers.

The notebooks and HTML reports show every table through these functions, so
every report labels, formats and escapes them the same way:

- :func:`styled` turns a count table into a pandas ``Styler`` with Chinese
  column labels (:mod:`analysis.present.labels`), bars in the count cells,
  rates shown with their denominators, and every text cell escaped (document
  text is never live HTML);
- :func:`kwic` shows keyword-in-context lines;
- :func:`provenance` is the provenance block that ends every report.

Nothing here changes its input or writes files.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.errors import InputError
from analysis.lexicon import Lexicon
from analysis.present import methods, report_provenance
from analysis.present.labels import COUNT_COLUMNS, DECIMALS, VALUE_LABELS, label, p_value_text, rate_note
from analysis.present.safe_html import safe_styler
from analysis.text.corpus import Corpus

_BAR = "#BFD7EA"


def styled(
    table: pd.DataFrame,
    *,
    bars: Sequence[str] = ("count",),
    caption: str | None = None,
    rows: int | None = None,
    drop_zero: bool = False,
):
    """A count table ready to read: Chinese labels, bars in cells, rates with denominators, escaped text.

    Parameters
    ----------
    table : DataFrame
        A tidy table, e.g. from ``count.concepts`` or ``count.terms``
        (columns named as in :mod:`analysis`).
    bars : sequence of str, default ("count",)
        Numeric columns drawn with a bar in each cell (scaled from 0 to the
        column's maximum).
    caption : str, optional
        Caption above the table (escaped).
    rows : int, optional
        Show only the first ``rows`` rows.
    drop_zero : bool, default False
        Leave out rows whose ``count`` is 0.

    Returns
    -------
    pandas.io.formats.style.Styler
        When every row has the same ``chars`` (one corpus, one group), the
        denominator is stated once in the caption
        (``每万字 = 出现次数 ÷ 1,917 字 × 10,000``) and the column dropped;
        otherwise ``chars`` stays as the column ``字数（分母）`` beside
        ``每万字``. The table id is derived from its content, so the same
        table gives the same HTML.

    Raises
    ------
    InputError
        If a column named in ``bars`` is missing.

    Examples
    --------
    >>> t = pd.DataFrame({"concept": ["社区治理", "<b>党建引领</b>"], "category": ["基层治理", "党的建设"],
    ...                   "count": [23, 4], "chars": [1917, 1917], "per_10k": [119.9791, 20.8659], "docs": [1, 1]})
    >>> html_text = styled(t, caption="概念").to_html()
    >>> "&lt;b&gt;党建引领&lt;/b&gt;" in html_text, "<b>党建引领" in html_text
    (True, False)
    >>> "每万字 = 出现次数 ÷ 1,917 字 × 10,000" in html_text
    True
    """
    missing = [c for c in bars if c not in table.columns]
    if missing:
        raise InputError(f"styled(): the table has no column {', '.join(map(repr, missing))}; "
                         f"its columns are {', '.join(map(str, table.columns))}")
    data = table.copy()
    if drop_zero and "count" in data.columns:
        data = data[data["count"] > 0]
    if rows is not None:
        data = data.head(rows)
    notes = []
    if "chars" in data.columns and "per_10k" in data.columns and data["chars"].nunique() <= 1 and len(data):
        notes.append(rate_note(int(data["chars"].iloc[0])))
        data = data.drop(columns="chars")
    elif "per_10k" in data.columns:
        notes.append(rate_note())
    if "standalone" in data.columns:
        notes.append("独立出现：不在更长词条之内的出现")
    data = data.reset_index(drop=True)
    for column, names in VALUE_LABELS.items():
        if column in data.columns:
            data[column] = data[column].map(lambda v, names=names: names.get(v, v))
    shown = data.rename(columns={c: label(c) for c in data.columns})
    text = " · ".join(([caption] if caption else []) + notes)
    digest = hashlib.sha256((text + shown.to_csv(index=False)).encode("utf-8")).hexdigest()[:10]
    styler = _escaped_styler(shown, uuid=f"t{digest}")
    formats: dict = {}
    for column in data.columns:
        shown_label = label(column)
        if column == "p":
            formats[shown_label] = p_value_text
        elif pd.api.types.is_float_dtype(data[column]):
            formats[shown_label] = f"{{:,.{DECIMALS.get(column, 2)}f}}"
        elif column in COUNT_COLUMNS and pd.api.types.is_integer_dtype(data[column]):
            formats[shown_label] = "{:,}"
    if formats:
        styler = styler.format(formats, subset=list(formats), na_rep="–")  # subset: keep the text escaping
    numeric = [label(c) for c in data.columns
               if pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])]
    other = [c for c in shown.columns if c not in numeric]
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    if other:
        styler = styler.set_properties(subset=other, **{"text-align": "left"})
    short = [name for column, name in zip(data.columns, shown.columns)
             if name in other and len(data) and data[column].astype(str).str.len().max() <= 24]
    if short:  # names and labels on one line; long text (paragraphs) wraps
        styler = styler.set_properties(subset=short, **{"white-space": "nowrap"})
    bar_labels = [label(c) for c in bars if len(data)]
    if bar_labels:
        styler = styler.bar(subset=bar_labels, color=_BAR, vmin=0, align="left", height=70, width=100)
    styler = styler.hide(axis="index")
    if text:
        styler = styler.set_caption(html.escape(text))
    return styler.set_table_styles([
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; padding: 4px 0;"},
        {"selector": "th", "props": "text-align: left; white-space: nowrap;"},
        {"selector": "td", "props": "padding: 2px 10px;"},
    ])


def _escaped_styler(frame: pd.DataFrame, *, uuid: str):
    """A Styler escaping every text cell and label (pandas does not by default), with a fixed id."""
    styler = safe_styler(frame)
    styler.set_uuid(uuid)
    return styler


def kwic(lines: pd.DataFrame, *, rows: int | None = None, columns: Sequence[str] = ("year", "doc", "page"),
         caption: str | None = None):
    """Keyword-in-context lines as a concordance: left context right-aligned, keyword bold, all escaped.

    Parameters
    ----------
    lines : DataFrame
        From ``kwic.lines``: ``left, keyword, right`` and e.g. ``doc, year``.
    rows : int, optional
        Show only the first ``rows`` lines.
    columns : sequence of str, default ("year", "doc", "page")
        Columns shown before the context, those the table has (``page`` only
        when the corpus has pages, so a line from a PDF can be cited).
    caption : str, optional
        Caption above the table (escaped).

    Returns
    -------
    pandas.io.formats.style.Styler

    Examples
    --------
    >>> lines = pd.DataFrame({"doc": ["a"], "left": ["<script>"], "keyword": ["协商民主"], "right": ["制度"]})
    >>> page = kwic(lines).to_html()
    >>> "&lt;script&gt;" in page, "<script>" in page
    (True, False)
    """
    for column in ("left", "keyword", "right"):
        if column not in lines.columns:
            raise InputError(f"kwic(): the table has no column '{column}'; pass a table from kwic.lines")
    keep = [c for c in columns if c in lines.columns] + ["left", "keyword", "right"]
    data = (lines.head(rows) if rows is not None else lines)[keep].reset_index(drop=True)
    shown = data.rename(columns={"left": "左侧上下文", "keyword": "关键词", "right": "右侧上下文",
                                 **{c: label(c) for c in columns}})
    digest = hashlib.sha256(((caption or "") + shown.to_csv(index=False)).encode("utf-8")).hexdigest()[:10]
    styler = _escaped_styler(shown, uuid=f"k{digest}").hide(axis="index")
    styler = styler.set_properties(subset=["左侧上下文"], **{"text-align": "right", "white-space": "nowrap"})
    styler = styler.set_properties(subset=["关键词"], **{"font-weight": "bold", "color": "#B0413E",
                                                       "white-space": "nowrap", "text-align": "center"})
    styler = styler.set_properties(subset=["右侧上下文"], **{"text-align": "left", "white-space": "nowrap"})
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler.set_table_styles([
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; padding: 4px 0;"},
        {"selector": "th", "props": "text-align: center; white-space: nowrap;"},
        {"selector": "td", "props": "padding: 2px 6px;"},
    ])


def provenance(
    corpora: Corpus | Mapping[str, Corpus] | None,
    lexicon: Lexicon | None,
    *,
    parameters: Mapping[str, object] | None = None,
    created: str | None = None,
):
    """The provenance block that ends every report: a styled, escaped two-column table.

    Parameters are as for :func:`analysis.present.report_provenance.report_record`.

    Returns
    -------
    pandas.io.formats.style.Styler
        A table of class ``provenance``: date, parameters, lexicon
        (name, version, file hash), per corpus the documents, the cleaning
        steps and what they removed, every input file with its SHA-256, the
        package versions and the chart font; below it (as its caption) the
        methods paragraph in Chinese and English with the citations
        (:func:`analysis.present.methods.html`).

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import SAMPLE_ESSAY
    >>> page = provenance(corpus.build(SAMPLE_ESSAY), None, created="2024-01-01").to_html()
    >>> 'class="provenance"' in page and "删除重复段落（段）：7" in page
    True
    """
    record = report_provenance.report_record(corpora, lexicon, parameters=parameters, created=created)
    table = report_provenance.to_table(record)
    shown = table.rename(columns={"item": "项目", "value": "内容"})
    digest = hashlib.sha256(shown.to_csv(index=False).encode("utf-8")).hexdigest()[:10]
    return (_escaped_styler(shown, uuid=f"p{digest}")
            .set_caption(methods.html(record))  # the methods paragraph, shown below the table (caption-side)
            .hide(axis="index")
            .set_table_attributes('class="provenance" title="来源与可复现信息 Provenance"')
            .set_properties(subset=["项目"], **{"white-space": "nowrap"})
            .set_properties(subset=["内容"], **{"word-break": "break-all"})
            .set_table_styles([
                {"selector": "td", "props": "text-align: left; padding: 2px 10px; font-size: 13px; vertical-align: top;"},
                {"selector": "th", "props": "text-align: left;"},
                {"selector": "caption", "props": "caption-side: bottom; text-align: left; padding-top: 8px; "
                                                 "font-size: 14px; line-height: 1.6; overflow-wrap: anywhere;"},
            ]))


