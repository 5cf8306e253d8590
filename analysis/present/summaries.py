"""What a corpus holds and what cleaning did, as small tables for reading (Chinese labels).

Nothing here changes its input or writes files.
"""

from __future__ import annotations

import pandas as pd

from analysis.present.labels import STEP_LABELS
from analysis.text.corpus import Corpus


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
    for step in corpus.steps():
        part = report[report.step == step]
        rows.append((STEP_LABELS.get(step, step), int(part.changed.sum()), int((part.changed > 0).sum())))
    return pd.DataFrame(rows, columns=["step", "changed", "docs"])
