"""Tables for reading: styled frequency tables, corpus summaries and counts by section.

The notebooks and HTML reports show the package's tidy tables through these
functions, so every report labels, formats and escapes them the same way:

- :func:`styled` turns a count table into a pandas ``Styler`` with Chinese
  column labels, bars in the count cells, rates shown with their
  denominators, and every text cell escaped (document text is never live HTML);
- :func:`summary` and :func:`cleaning` say what a corpus holds and what
  cleaning removed;
- :func:`by_section` counts concepts per section of a document (or per
  document of a corpus), with the section's characters as denominator.

Nothing here changes its input or writes files.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.corpus import Corpus
from analysis.errors import InputError
from analysis.lexicon import Lexicon

#: Chinese column labels for the package's fixed column names.
LABELS: dict[str, str] = {
    "doc": "文档",
    "year": "年份",
    "title": "标题",
    "part": "部分",
    "section": "章节号",
    "section_title": "章节",
    "concept": "概念",
    "category": "类别",
    "term": "词条",
    "word": "词语",
    "count": "出现次数",
    "standalone": "独立出现",
    "chars": "字数（分母）",
    "per_10k": "每万字",
    "docs": "文档数",
    "first_year": "首次出现",
    "last_year": "最近出现",
    "item": "项目",
    "value": "内容",
    "step": "清洗步骤",
    "changed": "改动数",
    "para": "段落",
    "line": "原文行号",
    "start": "起",
    "end": "止",
    "concept_hit": "计入概念",
    "text": "文本",
    "concepts": "概念数",
    "count_dedup": "去重后次数",
    "chars_dedup": "去重后字数",
    "count_kept": "保留重复次数",
    "chars_kept": "保留重复字数",
    "first": "首次出现",
    "last": "最近出现",
    "groups_present": "出现年份数",
    "groups": "年份数",
    "group_docs": "该组文档数",
    "target_count": "目标次数",
    "reference_count": "参照次数",
    "target_total": "目标总量",
    "reference_total": "参照总量",
    "g2": "G²",
    "log_ratio": "对数比",
    "key_for": "偏向",
    "concept_a": "概念甲",
    "concept_b": "概念乙",
    "count_a": "甲出现单位数",
    "count_b": "乙出现单位数",
    "units": "单位总数",
    "jaccard": "Jaccard",
    "npmi": "NPMI",
    "pmi": "PMI",
    "parts": "部分数",
    "dp": "DP",
    "dp_norm": "DP（标准化）",
    "juilland_d": "Juilland D",
}

#: Whole-number columns shown with thousands separators (years and ids are not).
COUNT_COLUMNS = {"count", "standalone", "chars", "docs", "changed", "count_dedup", "chars_dedup", "count_kept",
                 "chars_kept", "group_docs", "target_count", "reference_count",
                 "target_total", "reference_total", "count_a", "count_b", "units", "concepts"}
#: Decimal places of float columns; others get 2.
DECIMALS = {"per_10k": 2, "g2": 2, "log_ratio": 2, "pmi": 3, "npmi": 3, "jaccard": 3, "dp": 3, "dp_norm": 3,
            "juilland_d": 3}

#: What the cleaning steps are called in tables.
STEP_LABELS: dict[str, str] = {
    "simplified": "繁体转简体（字符）",
    "line_endings": "统一换行符（处）",
    "han_spaces": "删除汉字间空格（处）",
    "duplicates": "删除重复段落（段）",
}

#: What coded values are called in tables (the data keep the codes; only the display changes).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "key_for": {"target": "目标", "reference": "参照"},
}

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
        notes.append(f"每万字 = 出现次数 ÷ {int(data['chars'].iloc[0]):,} 字 × 10,000")
        data = data.drop(columns="chars")
    elif "per_10k" in data.columns:
        notes.append("每万字 = 出现次数 ÷ 字数（分母） × 10,000")
    if "standalone" in data.columns:
        notes.append("独立出现：不在更长词条之内的出现")
    data = data.reset_index(drop=True)
    for column, names in VALUE_LABELS.items():
        if column in data.columns:
            data[column] = data[column].map(lambda v, names=names: names.get(v, v))
    shown = data.rename(columns={c: LABELS.get(c, c) for c in data.columns})
    text = " · ".join(([caption] if caption else []) + notes)
    digest = hashlib.sha256((text + shown.to_csv(index=False)).encode("utf-8")).hexdigest()[:10]
    styler = _escaped_styler(shown, uuid=f"t{digest}")
    formats: dict = {}
    for column in data.columns:
        label = LABELS.get(column, column)
        if column == "p":
            formats[label] = _p_value
        elif pd.api.types.is_float_dtype(data[column]):
            formats[label] = f"{{:,.{DECIMALS.get(column, 2)}f}}"
        elif column in COUNT_COLUMNS and pd.api.types.is_integer_dtype(data[column]):
            formats[label] = "{:,}"
    if formats:
        styler = styler.format(formats, subset=list(formats), na_rep="–")  # subset: keep the text escaping
    numeric = [LABELS.get(c, c) for c in data.columns
               if pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])]
    other = [c for c in shown.columns if c not in numeric]
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    if other:
        styler = styler.set_properties(subset=other, **{"text-align": "left"})
    short = [label for column, label in zip(data.columns, shown.columns)
             if label in other and len(data) and data[column].astype(str).str.len().max() <= 24]
    if short:  # names and labels on one line; long text (paragraphs) wraps
        styler = styler.set_properties(subset=short, **{"white-space": "nowrap"})
    bar_labels = [LABELS.get(c, c) for c in bars if len(data)]
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


def _p_value(p: float) -> str:
    """p-values as readers expect them: ``< 0.0001`` rather than ``0.000000``."""
    if pd.isna(p):
        return "–"
    return "< 0.0001" if p < 1e-4 else f"{p:.4f}"


def _escaped_styler(frame: pd.DataFrame, *, uuid: str):
    """A Styler escaping every text cell and label (pandas does not by default), with a fixed id."""
    from analysis.safe_html import safe_styler

    styler = safe_styler(frame)
    styler.set_uuid(uuid)
    return styler


def kwic(lines: pd.DataFrame, *, rows: int | None = None, columns: Sequence[str] = ("year", "doc"),
         caption: str | None = None):
    """Keyword-in-context lines as a concordance: left context right-aligned, keyword bold, all escaped.

    Parameters
    ----------
    lines : DataFrame
        From ``kwic.lines``: ``left, keyword, right`` and e.g. ``doc, year``.
    rows : int, optional
        Show only the first ``rows`` lines.
    columns : sequence of str, default ("year", "doc")
        Columns shown before the context, those the table has.
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
                                 **{c: LABELS.get(c, c) for c in columns}})
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


def summary(corpus: Corpus) -> pd.DataFrame:
    """What a corpus holds, one row per measure: documents, paragraphs, characters, sections, metadata.

    Returns
    -------
    DataFrame
        ``item, value`` (both text, for display).

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import SAMPLE_ESSAY
    >>> summary(corpus.build(SAMPLE_ESSAY)).set_index("item").loc[["文档", "段落", "字数"], "value"].tolist()
    ['1', '9', '1,917']
    """
    paras = corpus.paragraphs
    sections = paras.loc[paras.section > 0, ["doc", "section"]].drop_duplicates()
    rows = [
        ("文档", f"{len(corpus.docs):,}"),
        ("段落", f"{len(paras):,}"),
        ("字数", f"{int(corpus.docs.chars.sum()):,}"),
        ("章节（以一、（一）、第一章等标题开头）", f"{len(sections):,}"),
        ("跳过的文件", f"{len(corpus.skipped):,}"),
        ("元数据列", "、".join(corpus.metadata_columns) or "（无）"),
    ]
    if "year" in corpus.docs.columns:
        years = pd.to_numeric(corpus.docs["year"], errors="coerce").dropna()
        if len(years):
            rows.append(("年份", f"{int(years.min())}–{int(years.max())}（{years.nunique()} 个年份）"))
    return pd.DataFrame(rows, columns=["item", "value"])


def cleaning(corpus: Corpus) -> pd.DataFrame:
    """What each cleaning step changed, summed over the documents.

    Returns
    -------
    DataFrame
        ``step`` (Chinese label), ``changed`` (total), ``docs`` (documents
        it changed), one row per step that ran, in the order they ran.

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import SAMPLE_ESSAY
    >>> cleaning(corpus.build(SAMPLE_ESSAY)).values.tolist()[-1]
    ['删除重复段落（段）', 7, 1]
    """
    report = corpus.report
    rows = []
    for step in corpus.options.steps():
        part = report[report.step == step]
        rows.append((STEP_LABELS.get(step, step), int(part.changed.sum()), int((part.changed > 0).sum())))
    return pd.DataFrame(rows, columns=["step", "changed", "docs"])


def by_section(hits: pd.DataFrame, corpus: Corpus, lexicon: Lexicon, *, label_chars: int = 14) -> pd.DataFrame:
    """Concept counts per section of a single document, or per document of a corpus.

    Parameters
    ----------
    hits : DataFrame
        From ``match.find(corpus.paragraphs, lexicon)``.
    corpus : Corpus
        The corpus the hits come from.
    lexicon : Lexicon
        Every concept gets a row in every part, zeros included.
    label_chars : int, default 14
        Section titles are shortened to this many characters in ``part``.

    Returns
    -------
    DataFrame
        ``part, concept, category, count, chars, per_10k``. For one document
        ``part`` is the section's heading (``（开头）`` for the text before the
        first heading), for several documents the document id; ``part`` is
        an ordered categorical in text order. ``chars`` is the part's
        cleaned characters; ``count`` follows the counting rules of
        ``count.concepts`` (``concept_hit`` rows), so the parts add up to
        the document's count.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> t = by_section(match.find(corp.paragraphs, lex), corp, lex)
    >>> t[t.concept == "党建引领"]["count"].tolist(), int(t[t.concept == "社区治理"]["count"].sum())
    ([1, 0, 0, 3, 0], 23)
    """
    paras = corpus.paragraphs
    if paras.doc.nunique() > 1:
        part_of = pd.DataFrame({"doc": paras.doc, "section": paras.section, "part": paras.doc})
    else:
        titles = paras.section_title.where(paras.section > 0, "（开头）")
        short = titles.map(lambda t: t if len(t) <= label_chars else t[: label_chars - 1] + "…")
        part_of = pd.DataFrame({"doc": paras.doc, "section": paras.section, "part": short})
    part_of = part_of.assign(chars=paras.text.str.len())
    order = list(dict.fromkeys(part_of.part))
    chars = part_of.groupby("part", sort=False).chars.sum()
    keys = part_of.drop_duplicates(["doc", "section"]).set_index(["doc", "section"]).part
    counted = hits[hits.concept_hit]
    located = pd.MultiIndex.from_arrays([counted.doc, counted.section])
    counts = (pd.DataFrame({"part": keys.reindex(located).to_numpy(), "concept": counted.concept.astype(str).to_numpy()})
              .groupby(["part", "concept"]).size())
    items = lexicon.table.drop_duplicates("concept")[["concept", "category"]]
    grid = pd.MultiIndex.from_product([order, items.concept], names=["part", "concept"])
    table = counts.reindex(grid, fill_value=0).rename("count").reset_index().merge(items, on="concept", how="left")
    table["count"] = table["count"].astype("int64")
    table["chars"] = table.part.map(chars).astype("int64")
    table["per_10k"] = (table["count"] / table["chars"] * 10_000).round(4)
    table["part"] = pd.Categorical(table.part, categories=order, ordered=True)
    return table[["part", "concept", "category", "count", "chars", "per_10k"]]


#: Packages that draw or render the reports, reported beside those of :func:`analysis.provenance.versions`.
REPORT_PACKAGES = ("matplotlib", "wordcloud", "networkx", "mplfonts", "nbconvert", "nbclient")


def provenance_record(
    corpora: Corpus | Mapping[str, Corpus] | None,
    lexicon: Lexicon | None,
    *,
    parameters: Mapping[str, object] | None = None,
    created: str | None = None,
) -> dict:
    """The provenance of a notebook run: one :func:`analysis.provenance.collect` record per corpus, merged.

    Parameters
    ----------
    corpora : Corpus, mapping of name to Corpus, or None
        The corpus (or named corpora) the notebook analysed.
    lexicon : Lexicon, optional
        The lexicon it used.
    parameters : mapping, optional
        The notebook's parameters (recorded as options).
    created : str, optional
        Date of the run (ISO 8601). Default: the environment variable
        ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else now (UTC).

    Returns
    -------
    dict
        ``created``, ``options``, ``lexicon``, ``versions`` (with the
        report packages and the chart font added), and ``corpora``: name ->
        ``inputs``, ``documents``, ``cleaning`` of each corpus.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> rec = provenance_record(corpus.build(SAMPLE_ESSAY), lexicon.load(LEXICON_DIR / "sample-concepts.csv"),
    ...                         created="2024-01-01T00:00:00+00:00")
    >>> rec["corpora"]["corpus"]["cleaning"][-1]
    {'step': 'duplicates', 'changed': 7, 'documents': 1}
    """
    import datetime as dt
    import os
    from importlib import metadata

    from analysis import provenance

    if created is None and os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        stamp = int(os.environ["SOURCE_DATE_EPOCH"])
        created = dt.datetime.fromtimestamp(stamp, dt.timezone.utc).isoformat()
    if corpora is None:
        named: dict[str, Corpus] = {}
    elif isinstance(corpora, Corpus):
        named = {"corpus": corpora}
    else:
        named = dict(corpora)
    base = provenance.collect(None, lexicon, options=dict(parameters or {}), created=created)
    base["corpora"] = {}
    for name, corp in named.items():
        record = provenance.collect(corp, None)
        base["corpora"][name] = {k: record[k] for k in ("inputs", "documents", "cleaning")}
    versions = dict(base["versions"])
    for name in REPORT_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    base["versions"] = versions
    try:
        from analysis import fonts

        base["font"] = str(fonts.resolve_font())
    except Exception as exc:  # the font is reported, not required, here
        base["font"] = f"(none: {exc})"
    return base


def _shown_path(path: str) -> str:
    """Paths inside the project relative to it (the same on every clone), others as given."""
    from pathlib import Path

    from analysis.config import PROJECT_DIR

    try:
        return Path(path).resolve().relative_to(PROJECT_DIR).as_posix()
    except (ValueError, OSError):
        return path


def _shown_value(value: object) -> str:
    """A parameter value with paths inside the project shown relative to it."""
    from pathlib import Path

    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_shown_value(v) for v in value) + "]"
    if isinstance(value, str) and ("/" in value or "\\" in value) and Path(value).exists():
        return _shown_path(value)
    return str(value)


def provenance_table(record: Mapping) -> pd.DataFrame:
    """A provenance record (:func:`provenance_record`) as rows ``item, value`` in Chinese, for reports.

    Examples
    --------
    >>> t = provenance_table({"created": "2024-01-01", "options": {"top_n": 5}, "corpora": {},
    ...                       "lexicon": {"name": "g", "version": "1", "path": "x.yaml", "sha256": "ab",
    ...                                   "concepts": 2, "terms": 3}, "versions": {"python": "3.12"}})
    >>> t.values.tolist()[:3]
    [['生成日期 date', '2024-01-01'], ['参数 parameters', 'top_n = 5'], ['词表 lexicon', 'g 1（2 个概念，3 个词条）']]
    """
    rows: list[tuple[str, str]] = [("生成日期 date", str(record.get("created", "")))]
    options = record.get("options") or {}
    if options:
        rows.append(("参数 parameters", "; ".join(f"{k} = {_shown_value(v)}" for k, v in options.items())))
    lex = record.get("lexicon")
    if lex:
        rows.append(("词表 lexicon", f"{lex['name']} {lex['version']}（{lex['concepts']} 个概念，{lex['terms']} 个词条）"))
        rows.append(("词表文件 lexicon file", f"{_shown_path(lex['path'])} sha256 {lex['sha256']}"))
    corpora = record.get("corpora") or {}
    for name, corp in corpora.items():
        prefix = f"[{name}] " if len(corpora) > 1 else ""
        docs = corp["documents"]
        rows.append((f"{prefix}文档 documents",
                     f"给定 {docs['given']}，计入 {docs['counted']}，跳过 {len(docs['skipped'])}；共 {docs['chars']:,} 字"))
        for skipped in docs["skipped"]:
            rows.append((f"{prefix}跳过 skipped", f"{_shown_path(skipped['path'])}：{skipped['reason']}"))
        for step in corp["cleaning"]:
            rows.append((f"{prefix}清洗 cleaning",
                         f"{STEP_LABELS.get(step['step'], step['step'])}：{step['changed']:,}"
                         f"（{step['documents']} 篇文档）"))
        for item in corp["inputs"]:
            rows.append((f"{prefix}输入文件 input", f"{_shown_path(item['path'])} sha256 {item['sha256']}"))
    versions = record.get("versions") or {}
    rows.append(("软件版本 versions", "; ".join(f"{k} {v}" for k, v in versions.items() if v)))
    if record.get("font"):
        rows.append(("图表字体 chart font", str(record["font"])))
    return pd.DataFrame(rows, columns=["item", "value"])


def provenance(
    corpora: Corpus | Mapping[str, Corpus] | None,
    lexicon: Lexicon | None,
    *,
    parameters: Mapping[str, object] | None = None,
    created: str | None = None,
):
    """The provenance block that ends every report: a styled, escaped two-column table.

    Parameters are as for :func:`provenance_record`.

    Returns
    -------
    pandas.io.formats.style.Styler
        A table of class ``provenance``: date, parameters, lexicon
        (name, version, file hash), per corpus the documents, the cleaning
        steps and what they removed, every input file with its SHA-256, the
        package versions and the chart font.

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import SAMPLE_ESSAY
    >>> page = provenance(corpus.build(SAMPLE_ESSAY), None, created="2024-01-01").to_html()
    >>> 'class="provenance"' in page and "删除重复段落（段）：7" in page
    True
    """
    table = provenance_table(provenance_record(corpora, lexicon, parameters=parameters, created=created))
    shown = table.rename(columns={"item": "项目", "value": "内容"})
    digest = hashlib.sha256(shown.to_csv(index=False).encode("utf-8")).hexdigest()[:10]
    return (_escaped_styler(shown, uuid=f"p{digest}")
            .hide(axis="index")
            .set_table_attributes('class="provenance" title="来源与可复现信息 Provenance"')
            .set_properties(subset=["项目"], **{"white-space": "nowrap"})
            .set_properties(subset=["内容"], **{"word-break": "break-all"})
            .set_table_styles([
                {"selector": "td", "props": "text-align: left; padding: 2px 10px; font-size: 13px; vertical-align: top;"},
                {"selector": "th", "props": "text-align: left;"},
            ]))


def periods(counts: pd.DataFrame, *, by: str = "year", max_groups: int = 30) -> pd.DataFrame:
    """Concept counts by year merged into spans of years when there are too many years to show one by one.

    A heatmap with 57 year columns is unreadable on a page; 12 five-year
    spans are not. Counts and characters are summed over the years of a span
    and ``per_10k`` recomputed from the sums (not averaged), so the rate of a
    span is that of its text.

    Parameters
    ----------
    counts : DataFrame
        ``count.concepts(..., by=by)`` or ``trends.rates(..., by=by)``:
        ``<by>, concept, category, count, chars, per_10k``.
    by : str, default "year"
        The numeric group column.
    max_groups : int, default 30
        With at most this many distinct values the table is returned
        unchanged; otherwise values are merged into spans of ``w`` years,
        ``w`` the smallest of 2, 5, 10, 20, 25, 50 giving at most
        ``max_groups`` spans, aligned on multiples of ``w``.

    Returns
    -------
    DataFrame
        ``<by>, concept, category, count, chars, per_10k``; ``<by>`` holds
        labels such as ``"1955–1959"`` (only the years present), in
        chronological order.

    Examples
    --------
    >>> t = pd.DataFrame({"year": [2001, 2002, 2006], "concept": ["协商民主"] * 3, "category": [""] * 3,
    ...                   "count": [1, 3, 2], "chars": [1000, 1000, 2000], "per_10k": [10.0, 30.0, 10.0]})
    >>> periods(t, max_groups=2)[["year", "count", "chars", "per_10k"]].values.tolist()
    [['2001–2002', 4, 2000, 20.0], ['2006', 2, 2000, 10.0]]
    """
    years = pd.Index(counts[by].unique())
    if len(years) <= max_groups or not pd.api.types.is_numeric_dtype(years):
        return counts
    low = int(years.min())
    width = next((w for w in (2, 5, 10, 20, 25, 50) if (int(years.max()) // w - low // w + 1) <= max_groups), 100)
    start = counts[by].astype(int) // width * width
    present = counts[[by]].assign(_start=start).groupby("_start")[by].agg(["min", "max"])
    labels = {s: (f"{int(a)}" if a == b else f"{int(a)}–{int(b)}") for s, (a, b) in present.iterrows()}
    grouped = (counts.assign(_start=start)
               .groupby(["_start", "concept"], sort=True, observed=True)
               .agg(category=("category", "first"), count=("count", "sum"), chars=("chars", "sum"))
               .reset_index())
    # chars of a span: each year's chars once, not once per concept (they repeat on every concept row)
    span_chars = counts.drop_duplicates(by).assign(_start=start).groupby("_start").chars.sum()
    grouped["chars"] = grouped["_start"].map(span_chars).astype("int64")
    grouped["count"] = grouped["count"].astype("int64")
    grouped["per_10k"] = (grouped["count"] / grouped["chars"] * 10_000).round(4)
    grouped[by] = grouped["_start"].map(labels)
    return grouped[[by, "concept", "category", "count", "chars", "per_10k"]]
