"""What a corpus holds and what cleaning did, as small tables for reading (Chinese labels).

Nothing here changes its input or writes files.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pandas as pd

from analysis.errors import InputError, InputNotice
from analysis.lexicon import Lexicon
from analysis.present.labels import STEP_LABELS
from analysis.present.report_options import unknown_concepts_notice
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


def chosen_concepts(selected: Sequence[str], lexicon: Lexicon) -> list[str]:
    """The concepts of ``selected`` that the lexicon has, in their order; the others named in a notice.

    The notice (:class:`analysis.errors.InputNotice`) names each unknown concept
    with the closest concepts of the lexicon, so a typo is not dropped silently.

    Examples
    --------
    >>> import warnings
    >>> from analysis import lexicon
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     chosen_concepts(["协商民主", "协商民煮"], lexicon.load())
    ['协商民主']
    >>> str(caught[0].message)
    '词表中没有这些概念，已略过：协商民煮（最接近的：协商民主、民主协商、政治协商）。'
    """
    known = list(dict.fromkeys(lexicon.table.concept))
    notice = unknown_concepts_notice(list(selected), known)
    if notice:
        warnings.warn(InputNotice(notice), stacklevel=2)
    return [c for c in selected if c in set(known)]


#: The values a wide table can spread: what each cell then holds.
WIDE_VALUES = ("count", "per_10k")


def wide(table: pd.DataFrame, *, by: str, value: str = "count", drop_zero: bool = False) -> pd.DataFrame:
    """A long count table spread out: one row per concept (or term), one column per group (year, document ...).

    For reading and for Excel: the tidy table (``count --by year``) stays the
    form every other step uses; this is only its display. A group without the
    concept gets 0. Columns are the groups in ascending order (numbers as
    numbers), after the row labels; the last column is the total count (for
    ``per_10k`` there is no total, as rates do not add up).

    Parameters
    ----------
    table : DataFrame
        From ``count.concepts``/``count.terms`` (or ``count --by``), with the column ``by``.
    by : str
        The group column (``"year"``, ``"doc"``, any metadata column).
    value : {"count", "per_10k"}
        What each cell holds.
    drop_zero : bool, default False
        Leave out the concepts that occur in no group.

    Raises
    ------
    InputError
        ``by`` is not a column of the table or ``value`` is not one of :data:`WIDE_VALUES`.

    Examples
    --------
    >>> long = pd.DataFrame({"year": [2017, 2022, 2022], "concept": ["协商民主", "协商民主", "共同富裕"],
    ...                      "category": ["民主", "民主", "民生"], "count": [3, 5, 2]})
    >>> wide(long, by="year").to_dict("records")
    [{'concept': '协商民主', 'category': '民主', '2017': 3, '2022': 5, 'total': 8}, {'concept': '共同富裕', 'category': '民生', '2017': 0, '2022': 2, 'total': 2}]
    """
    if value not in WIDE_VALUES:
        raise InputError(f"wide table of '{value}': choose one of {', '.join(WIDE_VALUES)}", parameter="wide")
    if by not in table.columns:
        raise InputError(f"a wide table needs a group: count with --by year (or doc, or a metadata column), "
                         f"not '{by}'", parameter="by")
    if drop_zero and "count" in table.columns:
        found = table.groupby([c for c in ("term", "concept") if c in table.columns])["count"].transform("sum") > 0
        table = table[found]
    labels = [c for c in ("term", "concept", "category") if c in table.columns]
    groups = pd.Index(table[by].dropna().unique())
    numeric = pd.to_numeric(pd.Series(groups), errors="coerce")
    order = list(groups[numeric.sort_values(kind="stable").index]) if numeric.notna().all() else sorted(groups, key=str)
    spread = table.pivot_table(index=labels, columns=by, values=value, aggfunc="sum", fill_value=0, sort=False)
    spread = spread.reindex(columns=order, fill_value=0)
    spread.columns = [str(c) for c in spread.columns]
    if value == "count":
        spread["total"] = spread.sum(axis=1)
        spread = spread.sort_values("total", ascending=False, kind="stable")
    return spread.reset_index()


def with_document_labels(table: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """The table with the documents named as readers know them: year and title from the metadata, before ``doc``.

    The year comes first when the corpus has one; the title when some
    document has no year (or there is no year column); the id ``doc`` stays
    when neither is there, or when a document of the table has neither (its
    rows would have no name). Other columns are unchanged.

    Examples
    --------
    >>> from analysis.text.corpus import Document, from_documents
    >>> corp = from_documents([Document("congress-18", "协商民主", "a.txt", "utf-8", "", {"year": 2012, "title": "十八大报告"})])
    >>> with_document_labels(pd.DataFrame({"doc": ["congress-18"], "count": [3]}), corp).to_dict("records")
    [{'year': 2012, 'count': 3}]
    >>> corp = from_documents([Document("调研1", "协商民主", "调研1.txt", "utf-8", "", {"year": 2015, "title": "甲村"}),
    ...                        Document("调研2", "协商民主", "调研2.txt", "utf-8", "", {})])
    >>> with_document_labels(pd.DataFrame({"doc": ["调研1", "调研2"], "count": [3, 1]}), corp).to_dict("records")
    [{'year': 2015, 'title': '甲村', 'doc': '调研1', 'count': 3}, {'year': None, 'title': '', 'doc': '调研2', 'count': 1}]
    """
    if "doc" not in table.columns:
        return table
    meta = corpus.docs.set_index("doc")
    names = []
    if "year" in meta.columns and meta["year"].notna().any():
        names.append("year")
    if "title" in meta.columns and meta["title"].notna().any() and (not names or meta["year"].isna().any()):
        names.append("title")
    if not names:
        return table
    labelled = table.copy()
    at = list(labelled.columns).index("doc")
    for offset, name in enumerate(names):
        values = labelled["doc"].map(meta[name])
        labelled.insert(at + offset, name, values if name == "year" else values.fillna(""), allow_duplicates=True)
    unnamed = labelled["doc"].map(meta[names].isna().all(axis=1)).fillna(True)
    return labelled if unnamed.any() else labelled.drop(columns="doc")  # a document without either keeps its id
