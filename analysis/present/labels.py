"""Chinese labels for the package's fixed column names and coded values: one table for tables and charts.

Examples
--------
>>> LABELS["per_10k"], STEP_LABELS["duplicates"], EN_LABELS["per_10k"]
('每万字出现次数', '删除重复段落（段）', 'Per 10,000 characters')
"""

from __future__ import annotations

import re

from analysis.config import RATE_BASE

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
    "standalone": "独立出现次数",
    "nested": "其中嵌于更长概念",
    "terms": "所含词条",
    "inside": "所嵌入的概念",
    "concept_count": "该概念总次数",
    "share": "占比",
    "chars": "字数（分母）",
    "per_10k": "每万字出现次数",
    "docs": "文档数",
    "first_year": "首次出现",
    "last_year": "最近出现",
    "item": "项目",
    "value": "内容",
    "step": "清洗步骤",
    "changed": "改动数",
    "para": "段落",
    "page": "页码",
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
    "id": "条款编号",
    "chapter": "章",
    "clause": "条款",
    "label": "原编号",
    "chapter_title": "章标题",
    "dimension": "维度",
    "type": "工具类型",
    "code": "编码",
    "coder": "编码者",
    "clauses": "条款数",
    "group_clauses": "该组条款数（分母）",
    "coded_clauses": "已编码条款数",
    "row_share": "行占比",
    "column_share": "列占比",
    "coder_a": "编码者甲",
    "coder_b": "编码者乙",
    "agreement": "一致率",
    "kappa": "Cohen κ",
    "alpha": "Krippendorff α",
    "doc_a": "文档甲",
    "doc_b": "文档乙",
    "text_a": "文档甲原句",
    "text_b": "文档乙原句",
    "similarity": "相似度（0–100）",
    "kind": "复用方式",
    "marked": "差异（[-删去-]{+新增+}）",
    "passages": "复用句数",
    "verbatim": "其中原文照录",
    "chars_b": "文档乙字数（分母）",
    "reused_chars": "复用字数",
}

#: English column labels (papers: headers in Chinese above English); same keys as :data:`LABELS`.
EN_LABELS: dict[str, str] = {
    "doc": "Document",
    "year": "Year",
    "title": "Title",
    "part": "Part",
    "section": "Section no.",
    "section_title": "Section",
    "concept": "Concept",
    "category": "Category",
    "term": "Term",
    "word": "Word",
    "count": "Occurrences",
    "standalone": "Standalone occurrences",
    "nested": "Inside a longer concept",
    "terms": "Terms",
    "inside": "Inside concept",
    "concept_count": "Concept occurrences",
    "share": "Share",
    "chars": "Characters (denominator)",
    "per_10k": "Per 10,000 characters",
    "docs": "Documents",
    "first_year": "First year",
    "last_year": "Latest year",
    "item": "Item",
    "value": "Value",
    "step": "Cleaning step",
    "changed": "Changes",
    "para": "Paragraph",
    "line": "Source line",
    "start": "Start",
    "end": "End",
    "concept_hit": "Counted for the concept",
    "text": "Text",
    "concepts": "Concepts",
    "count_dedup": "Occurrences, duplicates removed",
    "chars_dedup": "Characters, duplicates removed",
    "count_kept": "Occurrences, duplicates kept",
    "chars_kept": "Characters, duplicates kept",
    "first": "First",
    "last": "Latest",
    "groups_present": "Years present",
    "groups": "Years",
    "group_docs": "Documents in group",
    "target_count": "Target occurrences",
    "reference_count": "Reference occurrences",
    "target_total": "Target total",
    "reference_total": "Reference total",
    "g2": "G²",
    "log_ratio": "Log ratio",
    "key_for": "Key for",
    "concept_a": "Concept A",
    "concept_b": "Concept B",
    "count_a": "Units with A",
    "count_b": "Units with B",
    "units": "Units",
    "jaccard": "Jaccard",
    "npmi": "NPMI",
    "pmi": "PMI",
    "parts": "Parts",
    "dp": "DP",
    "dp_norm": "DP (normalised)",
    "juilland_d": "Juilland D",
    "p": "p",
    "partner": "共现概念",
    "toggle": "做法",
    "naive_label": "朴素做法",
    "naive": "朴素做法的次数",
    "fixed_label": "本项目的做法",
    "fixed": "本项目做法的次数",
    "in_use": "视图当前采用",
    "example": "造成差别的文字（原文 → 处理后）",
    "candidate": "候选",
    "length": "字数",
    "left_entropy": "左邻熵",
    "right_entropy": "右邻熵",
    "score": "完整程度",
    "new": "此前未见",
    "emergence": "新兴程度",
    "kwic_first": "最早一处上下文",
    "kwic_last": "最近一处上下文",
    "seed": "种子",
    "similarity": "相似度",
    "en": "英文",
    "source": "来源",
    "decision": "决定",
    "by": "决定人",
    "why": "理由",
}

#: What the cleaning steps are called in tables.
STEP_LABELS: dict[str, str] = {
    "simplified": "繁体转简体（字符）",
    "line_endings": "统一换行符（处）",
    "han_spaces": "删除汉字间空格（处）",
    "contents": "删除目录（行）",
    "duplicates": "删除重复段落（段）",
    "running_headers": "删除页眉页脚与页码（行）",
    "joined_lines": "合并句中断行（处）",
    "pages_without_text": "无文字层的页（页）",
    "tables": "纳入表格文字（行）",
}

#: What the cleaning steps did, in English (methods paragraphs): ``{n}`` is the step's count.
STEP_LABELS_EN: dict[str, str] = {
    "simplified": "{n} Traditional characters converted to Simplified",
    "line_endings": "{n} line endings normalised",
    "han_spaces": "{n} spaces between Chinese characters removed",
    "contents": "{n} table-of-contents lines removed",
    "duplicates": "{n} duplicate paragraphs removed",
    "running_headers": "{n} running header, footer and page-number lines of PDF pages removed",
    "joined_lines": "{n} PDF lines broken mid-sentence re-joined",
    "pages_without_text": "{n} PDF pages without a text layer not read",
    "tables": "{n} lines of Word tables included",
}

#: What coded values are called in tables (the data keep the codes; only the display changes).
VALUE_LABELS: dict[str, dict[object, str]] = {
    "key_for": {"target": "目标", "reference": "参照"},
    "kind": {"verbatim": "原文照录", "reworded": "改写"},
    "in_use": {"naive": "朴素做法", "fixed": "本项目的做法"},
    "new": {True: "是", False: "否"},
}

#: Units of co-occurrence and dispersion as readers say them.
UNIT_LABELS: dict[str, str] = {"sentence": "句子", "paragraph": "段落", "document": "文档"}

#: What the notebooks' parameters mean, for page headers and report options.
PARAMETER_LABELS: dict[str, str] = {
    "query": "KWIC 关键词",
    "term": "跟踪词条",
    "selected": "所选概念",
    "split": "时期划分",
    "by": "时间列",
    "top_n": "显示条数",
    "min_count": "最少共现次数",
    "rows": "显示行数",
    "width": "上下文字数",
    "unit": "共现单位",
    "seed": "随机种子",
    "max_words": "词云词数",
    "keep_duplicates": "保留重复段落",
    "corpus_settings": "读取与清洗设置",
}


#: Whole-number columns shown with thousands separators (years and ids are not).
COUNT_COLUMNS = {"count", "standalone", "chars", "docs", "changed", "count_dedup", "chars_dedup", "count_kept",
                 "chars_kept", "group_docs", "target_count", "reference_count",
                 "target_total", "reference_total", "count_a", "count_b", "units", "concepts"}
#: Decimal places of float columns; others get 2.
DECIMALS = {"per_10k": 2, "g2": 2, "log_ratio": 2, "pmi": 3, "npmi": 3, "jaccard": 3, "dp": 3, "dp_norm": 3,
            "juilland_d": 3, "kappa": 3, "alpha": 3, "agreement": 3, "row_share": 3, "column_share": 3}


def p_value_text(p: float) -> str:
    """p-values as readers expect them: ``< 0.0001`` rather than ``0.000000``.

    Examples
    --------
    >>> p_value_text(0.00001), p_value_text(0.0312)
    ('< 0.0001', '0.0312')
    """
    if p != p:  # NaN
        return "–"
    return "< 0.0001" if p < 1e-4 else f"{p:.4f}"


def rate_note(chars: int | None = None, *, lang: str = "zh", base: int = RATE_BASE) -> str:
    """How the rate column is computed, with the denominator when it is one number for the whole table.

    Examples
    --------
    >>> rate_note(1917)
    '每万字 = 出现次数 ÷ 1,917 字 × 10,000'
    >>> rate_note(lang="en")
    'Per 10,000 characters = occurrences ÷ characters (denominator) × 10,000'
    """
    if lang == "zh":
        denominator = f"{chars:,} 字" if chars is not None else LABELS["chars"]
        return f"每万字 = 出现次数 ÷ {denominator} × {base:,}"
    denominator = f"{chars:,} characters" if chars is not None else EN_LABELS["chars"].lower()
    return f"Per {base:,} characters = occurrences ÷ {denominator} × {base:,}"


def label(column: str) -> str:
    """The Chinese label of a column (its own name when it has none).

    Examples
    --------
    >>> label("count"), label("my_column")
    ('出现次数', 'my_column')
    """
    return LABELS.get(column, column)


_SPLIT = re.compile(r"^\s*(?P<col>\w+)\s*(?P<op>>=|<=|==|=|>|<)\s*(?P<value>.+?)\s*$")
_SPLIT_WORDS = {">=": ("{v}及以后", "{v}以前"), ">": ("{v}以后", "{v}及以前"), "<": ("{v}以前", "{v}及以后"),
                "<=": ("{v}及以前", "{v}以后"), "==": ("{v}", "其他"), "=": ("{v}", "其他")}


def split_labels(condition: str) -> tuple[str, str]:
    """The two sides of a period split in words: ``"year >= 2012"`` -> ``("2012年及以后", "2012年以前")``.

    Years get 年; another column is named by its label; a condition not of
    the form ``column op value`` is shown as written against ``其余文档``.

    Examples
    --------
    >>> split_labels("year >= 2012"), split_labels("year < 1978")
    (('2012年及以后', '2012年以前'), ('1978年以前', '1978年及以后'))
    >>> split_labels("source == 党代会")
    ('source 为 党代会', 'source 为其他')
    """
    found = _SPLIT.match(condition or "")
    if not found:
        return condition, "其余文档"
    column, op, value = found.group("col"), found.group("op"), found.group("value").strip("'\"")
    target, reference = _SPLIT_WORDS[op]
    if column == "year":
        value = f"{value}年"
        return target.format(v=value), (reference.format(v=value) if reference != "其他" else "其他年份")
    name = label(column)
    if op in ("==", "="):
        return f"{name} 为 {value}", f"{name} 为其他"
    return f"{name} {target.format(v=value)}", f"{name} {reference.format(v=value)}"


def bilingual(column: str) -> tuple[str, str]:
    """The column's label in Chinese and in English, for tables in papers (``""`` where one would repeat the other).

    Examples
    --------
    >>> bilingual("per_10k"), bilingual("npmi"), bilingual("my_column")
    (('每万字出现次数', 'Per 10,000 characters'), ('NPMI', ''), ('my_column', ''))
    """
    zh, en = LABELS.get(column, column), EN_LABELS.get(column, "")
    return zh, "" if en == zh else en
