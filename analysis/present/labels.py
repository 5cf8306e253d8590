"""Chinese labels for the package's fixed column names and coded values: one table for tables and charts.

Examples
--------
>>> LABELS["per_10k"], STEP_LABELS["duplicates"]
('每万字出现次数', '删除重复段落（段）')
"""

from __future__ import annotations

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

#: What coded values are called in tables (the data keep the codes; only the display changes).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "key_for": {"target": "目标", "reference": "参照"},
}


def label(column: str) -> str:
    """The Chinese label of a column (its own name when it has none).

    Examples
    --------
    >>> label("count"), label("my_column")
    ('出现次数', 'my_column')
    """
    return LABELS.get(column, column)
