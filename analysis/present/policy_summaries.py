"""Sentences about coding and reuse results, written from the tables (so a report's prose follows its data).

Nothing here changes its input or writes files.
"""

from __future__ import annotations

import pandas as pd


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def instrument_profile(overall: pd.DataFrame, by_group: pd.DataFrame, *, by: str = "year",
                       focus: str | None = None) -> str:
    """What the instrument profile says, in Chinese: the types' shares overall and how one type moved.

    Parameters
    ----------
    overall : DataFrame
        ``coding.profile(..., by="corpus", level="type")``.
    by_group : DataFrame
        ``coding.profile(..., by=by, level="type")``.
    focus : str, optional
        The type whose change is described (default: the first type).

    Examples
    --------
    >>> overall = pd.DataFrame({"type": ["供给型", "环境型"], "clauses": [1, 3], "share": [0.25, 0.75],
    ...                         "group_clauses": 10, "coded_clauses": 4})
    >>> groups = pd.DataFrame({"year": [2023, 2023, 2024, 2024], "type": ["供给型", "环境型"] * 2,
    ...                        "clauses": [0, 2, 1, 1], "share": [0.0, 1.0, 0.5, 0.5]})
    >>> print(instrument_profile(overall, groups))
    10 个条款中有 4 个（40.0%）含有至少一个指示词。按编码次数，环境型占 75.0%，供给型占 25.0%。供给型的占比从 2023 年的 0.0% 变为 2024 年的 50.0%（最高在 2024 年，50.0%）。
    """
    total, coded = int(overall.group_clauses.iloc[0]), int(overall.coded_clauses.iloc[0])
    ranked = overall.sort_values("share", ascending=False, kind="stable")
    parts = "，".join(f"{t}占 {_percent(s)}" for t, s in zip(ranked.type, ranked.share))
    text = (f"{total:,} 个条款中有 {coded:,} 个（{_percent(coded / total if total else 0)}）含有至少一个指示词。"
            f"按编码次数，{parts}。")
    focus = focus or overall.type.iloc[0]
    mine = by_group[(by_group.type == focus) & (by_group.groupby(by).clauses.transform("sum") > 0)]
    if len(mine) >= 2:
        mine = mine.sort_values(by, kind="stable")
        first, last = mine.iloc[0], mine.iloc[-1]
        top = mine.loc[mine.share.idxmax()]
        text += (f"{focus}的占比从 {first[by]} 年的 {_percent(first.share)} 变为 {last[by]} 年的 "
                 f"{_percent(last.share)}（最高在 {top[by]} 年，{_percent(top.share)}）。")
    return text


def reuse_pair(shares: pd.DataFrame, doc_a: str, doc_b: str) -> str:
    """How much of ``doc_b`` recurs from ``doc_a``, in Chinese.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_a": ["甲"], "doc_b": ["乙"], "passages": [3], "verbatim": [1], "chars_b": [200],
    ...                   "reused_chars": [50], "share": [0.25]})
    >>> print(reuse_pair(s, "甲", "乙"))
    乙的 200 字中，有 3 句（50 字，占 25.0%）在甲中有原句或改写，其中 1 句原文照录。
    """
    row = shares[(shares.doc_a == doc_a) & (shares.doc_b == doc_b)].iloc[0]
    return (f"{doc_b}的 {int(row.chars_b):,} 字中，有 {int(row.passages):,} 句（{int(row.reused_chars):,} 字，"
            f"占 {_percent(row.share)}）在{doc_a}中有原句或改写，其中 {int(row.verbatim):,} 句原文照录。")


def reuse_range(shares: pd.DataFrame) -> str:
    """The pairs with the most and the least reuse, in Chinese.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_a": ["甲", "乙"], "doc_b": ["乙", "丙"], "share": [0.25, 0.05]})
    >>> print(reuse_range(s))
    在 2 对文档中，复用比例最高的是 甲 → 乙（25.0%），最低的是 乙 → 丙（5.0%）。
    """
    high, low = shares.loc[shares.share.idxmax()], shares.loc[shares.share.idxmin()]
    return (f"在 {len(shares):,} 对文档中，复用比例最高的是 {high.doc_a} → {high.doc_b}（{_percent(high.share)}），"
            f"最低的是 {low.doc_a} → {low.doc_b}（{_percent(low.share)}）。")
