"""Trends: concept rates by a metadata column (e.g. year), and when each concept first and last appears.

Rates are :func:`analysis.count.concepts` grouped by the column, so they are
the counts of ``count --by year``: ``per_10k = count / chars * 10,000`` with
``chars`` the characters of cleaned text of the group. :func:`rates` adds
``group_docs``, the number of documents in the group, the denominator of
``docs``. Draw them with :func:`analysis.plot.trend` (small multiples, one
panel per concept).
"""

from __future__ import annotations

import pandas as pd

from analysis import count
from analysis.corpus import Corpus
from analysis.errors import InputError
from analysis.lexicon import Lexicon

RATE_COLUMNS = ["concept", "category", "count", "chars", "per_10k", "docs", "group_docs"]
SPAN_COLUMNS = ["concept", "category", "first", "last", "groups_present", "groups", "count"]


def rates(hits: pd.DataFrame, corpus: Corpus, lexicon: Lexicon, *, by: str = "year") -> pd.DataFrame:
    """Concept rates per 10,000 characters in each group, with their denominators.

    Parameters
    ----------
    hits : DataFrame
        From :func:`analysis.match.find` on ``corpus.paragraphs``.
    corpus : Corpus
        The corpus (its documents carry the ``by`` column).
    lexicon : Lexicon
        Every concept gets a row in every group, zeros included.
    by : str, default "year"
        A metadata column, or ``"doc"``.

    Returns
    -------
    DataFrame
        ``<by>, concept, category, count, chars, per_10k, docs, group_docs``,
        groups in ascending order.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import CORPORA_DIR
    >>> corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    >>> lex = lexicon.load()
    >>> r = rates(match.find(corp.paragraphs, lex), corp, lex)
    >>> r.query("concept == '全过程人民民主'")[["year", "count"]].tail(2).values.tolist()
    [[2017, 0], [2022, 9]]
    """
    _require_group(corpus, by)
    table = count.concepts(hits, corpus, lexicon, by=by)
    sizes = corpus.docs.groupby(by).doc.nunique()
    table["group_docs"] = table[by].map(sizes).astype("int64")
    return table[[by, *RATE_COLUMNS]]


def first_last(hits: pd.DataFrame, corpus: Corpus, lexicon: Lexicon, *, by: str = "year") -> pd.DataFrame:
    """First and last group (e.g. year) in which each concept occurs.

    Parameters
    ----------
    hits, corpus, lexicon, by
        As for :func:`rates`.

    Returns
    -------
    DataFrame
        ``concept, category, first, last, groups_present, groups, count``:
        the smallest and largest value of ``by`` among groups where the
        concept occurs (missing if it never does), in how many of the
        ``groups`` it occurs, and its total count. Ordered by ``first``,
        then lexicon order; concepts that never occur come last.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import CORPORA_DIR
    >>> corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    >>> lex = lexicon.load()
    >>> s = first_last(match.find(corp.paragraphs, lex), corp, lex).set_index("concept")
    >>> s.loc["全过程人民民主", ["first", "last", "groups_present", "count"]].tolist()
    [2022, 2022, 1, 9]
    """
    _require_group(corpus, by)
    table = count.concepts(hits, corpus, lexicon, by=by)
    order = {c: i for i, c in enumerate(lexicon.table.concept.drop_duplicates())}
    present = table[table["count"] > 0]
    spans = present.groupby("concept")[by].agg(["min", "max", "nunique"])
    totals = table.groupby("concept")["count"].sum()
    items = lexicon.table.drop_duplicates("concept")[["concept", "category"]].reset_index(drop=True)
    result = items.assign(
        first=items.concept.map(spans["min"]),
        last=items.concept.map(spans["max"]),
        groups_present=items.concept.map(spans["nunique"]).fillna(0).astype("int64"),
        groups=int(table[by].nunique()),
        count=items.concept.map(totals).fillna(0).astype("int64"),
        _o=items.concept.map(order),
    )
    if pd.api.types.is_integer_dtype(corpus.docs[by]):
        result["first"] = result["first"].astype("Int64")
        result["last"] = result["last"].astype("Int64")
    result = result.sort_values(["first", "_o"], na_position="last", kind="stable")
    return result[SPAN_COLUMNS].reset_index(drop=True)


def _require_group(corpus: Corpus, by: str) -> None:
    if by in (None, "corpus"):
        raise InputError("trends need a column to group by, such as 'year'; 'corpus' is one group")
    count.group_of(corpus, by)
