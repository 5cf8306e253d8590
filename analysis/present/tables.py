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

import base64
import hashlib
import html
import io
from collections.abc import Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from analysis.errors import InputError
from analysis.lexicon import Lexicon
from analysis.present import methods, report_provenance
from analysis.present.labels import COUNT_COLUMNS, DECIMALS, VALUE_LABELS, label, p_value_text, rate_note
from analysis.present.output import write_table
from analysis.present.safe_html import safe_styler
from analysis.text.corpus import Corpus

_BAR = "#BFD7EA"
#: Tables with more rows than this are folded (``<details>``) on report pages, with their caption as the summary.
FOLD_ROWS = 30


class ReportTable(Styler):
    """A pandas ``Styler`` that shows itself on a page with a CSV download of its data, folded when long.

    In a notebook or report the table is wrapped in ``<div class="zh-table">``
    (the page's script makes its columns sortable and adds a filter box to
    long tables), followed by a link that downloads the table's data as CSV
    (written by :func:`analysis.present.output.write_table`: formulas
    neutralised, UTF-8). ``to_html()`` stays pandas' own.
    """

    download: pd.DataFrame | None = None
    name: str = "table"
    folded: bool = False
    summary: str = ""
    kind: str = ""

    def _repr_html_(self) -> str:
        inner = self.to_html()
        link = ""
        if self.download is not None:
            buffer = io.BytesIO()
            write_table(self.download, stream=buffer)
            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            link = (f'<p class="zh-download"><a download="{html.escape(self.name)}.csv" '
                    f'href="data:text/csv;charset=utf-8;base64,{data}">下载本表数据 CSV（{len(self.download):,} 行）</a></p>')
        block = f'<div class="zh-table{" zh-" + self.kind if self.kind else ""}">{inner}</div>{link}'
        if self.folded:
            return (f'<details class="zh-fold"><summary>{html.escape(self.summary)}（点击展开）</summary>'
                    f"{block}</details>")
        return block


def _report_table(frame: pd.DataFrame, *, uuid: str, download: pd.DataFrame | None = None, name: str = "table",
                  fold: bool | None = None, summary: str = "") -> ReportTable:
    """An escaped :class:`ReportTable` with a fixed id, a download of ``download`` and folding when long."""
    styler = ReportTable(frame, cell_ids=False)  # an id only where a cell has its own style (bars)
    styler.download = download
    styler.name = name
    styler.folded = len(frame) > FOLD_ROWS if fold is None else fold
    styler.summary = summary or f"表格（{len(frame):,} 行）"
    styler = safe_styler(styler)
    styler.set_uuid(uuid)
    return styler


def styled(
    table: pd.DataFrame,
    *,
    bars: Sequence[str] = ("count",),
    caption: str | None = None,
    rows: int | None = None,
    drop_zero: bool = False,
    fold: bool | None = None,
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
    fold : bool, optional
        Fold the table on the page (``<details>``); default: when it shows more
        than :data:`FOLD_ROWS` rows.

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
    whole = data.rename(columns={c: label(c) for c in data.columns}).reset_index(drop=True)
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
    styler = _report_table(shown, uuid=f"t{digest}", download=whole, name=caption or "table", fold=fold,
                           summary=f"{caption or '表格'}（{len(shown):,} 行）")
    formats: dict = {}
    for column in data.columns:
        shown_label = label(column)
        if column == "p":
            formats[shown_label] = p_value_text
        elif pd.api.types.is_float_dtype(data[column]):
            formats[shown_label] = _decimal(DECIMALS.get(column, 2))
        elif column in COUNT_COLUMNS and pd.api.types.is_integer_dtype(data[column]):
            formats[shown_label] = "{:,}"
    if formats:
        styler = styler.format(formats, subset=list(formats), na_rep="–")  # subset: keep the text escaping
    numeric = [label(c) for c in data.columns
               if pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])]
    other = [c for c in shown.columns if c not in numeric]
    # alignment and widths per column, one CSS rule each (a rule per cell made a 500-row table megabytes long)
    column_css = {name: ["text-align: right" if name in numeric else "text-align: left"] for name in shown.columns}
    short = [name for column, name in zip(data.columns, shown.columns)
             if name in other and len(data) and data[column].astype(str).str.len().max() <= 24]
    for name in short:  # names and labels on one line; long text (paragraphs) wraps
        column_css[name].append("white-space: nowrap")
    # a column without a positive value has no bar to draw (and 0/0 would warn on the page)
    bars = [c for c in bars if len(data) and pd.to_numeric(data[c], errors="coerce").max() > 0]
    bar_labels = [label(c) for c in bars]
    if bar_labels:
        # compared counts share one scale (23 and 43 must not look equal); other measures keep their own
        same = len(bars) > 1 and all(c in COUNT_COLUMNS for c in bars)
        top = max(float(data[c].max()) for c in bars) if same else None
        for name in ([bar_labels] if same else [[b] for b in bar_labels]):
            # the bar fills at most 55% of the cell: the right-aligned number (up to 9 characters) stays clear of it
            styler = styler.bar(subset=name, color=_BAR, vmin=0, vmax=top, align="left", height=70, width=55)
        for name in bar_labels:
            column_css[name].append("width: 11em")  # wins over the 10em pandas gives each bar cell
    styler = styler.hide(axis="index")
    if text:
        styler = styler.set_caption(html.escape(text))
    styler = styler.set_table_styles([
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; padding: 4px 0;"},
        {"selector": "th", "props": "text-align: left; white-space: nowrap;"},
        {"selector": "td", "props": "padding: 2px 10px;"},
    ])
    return styler.set_table_styles({name: [{"selector": "td", "props": "; ".join(css) + ";"}]
                                    for name, css in column_css.items()}, overwrite=False)


def _decimal(places: int):
    """A formatter with ``places`` decimals that never shows a negative zero (``-0.000`` reads as a value below 0).

    Examples
    --------
    >>> _decimal(3)(-0.0000001), _decimal(2)(1234.5)
    ('0.000', '1,234.50')
    """
    def shown(value: float) -> str:
        text = f"{value:,.{places}f}"
        return text[1:] if text.startswith("-") and not text.strip("-0.,") else text
    return shown


def kwic(lines: pd.DataFrame, *, rows: int | None = None, columns: Sequence[str] = ("year", "title", "doc", "page"),
         caption: str | None = None):
    """Keyword-in-context lines as a concordance: left context right-aligned, keyword bold, all escaped.

    Parameters
    ----------
    lines : DataFrame
        From ``kwic.lines``: ``left, keyword, right`` and e.g. ``doc, year``.
    rows : int, optional
        Show only the first ``rows`` lines.
    columns : sequence of str, default ("year", "title", "doc", "page")
        Columns shown before the context, those the table has: the year, the
        title only where some line has no year, the document id only when the
        documents have neither; ``page`` when the corpus
        has pages, so a line from a PDF can be cited.
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
    named = [c for c in columns if c in lines.columns and lines[c].notna().any()]
    if "year" in named and "title" in named and lines["year"].notna().all():
        named.remove("title")  # every line has its year: long titles would only crowd the context out
    if "doc" in named and {"year", "title"} & set(named):
        named.remove("doc")
    keep = named + ["left", "keyword", "right"]
    data = (lines.head(rows) if rows is not None else lines)[keep].reset_index(drop=True)
    shown = data.rename(columns={"left": "左侧上下文", "keyword": "关键词", "right": "右侧上下文",
                                 **{c: label(c) for c in columns}})
    digest = hashlib.sha256(((caption or "") + shown.to_csv(index=False)).encode("utf-8")).hexdigest()[:10]
    styler = _report_table(shown, uuid=f"k{digest}", download=lines[keep].rename(columns=dict(zip(keep, shown.columns))),
                           name=caption or "kwic", fold=False).hide(axis="index")
    styler.kind = "kwic"
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
    return (_report_table(shown, uuid=f"p{digest}", fold=True,
                          summary="来源与可复现信息：方法说明、参数、输入文件及其哈希、清洗步骤、软件版本")
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


