"""Trends: concept rates by a metadata column (e.g. year), and when each concept first and last appears.

Rates are :func:`analysis.measure.count.concepts` grouped by the column, so they are
the counts of ``count --by year``: ``per_10k = count / chars * 10,000`` with
``chars`` the characters of cleaned text of the group. :func:`rates` adds
``group_docs``, the number of documents in the group, the denominator of
``docs``. Draw them with :func:`analysis.present.plot.trend` (small multiples, one
panel per concept).
"""

from __future__ import annotations

import warnings

import pandas as pd

from analysis.errors import InputNotice, Note, first_names
from analysis.lexicon import Lexicon
from analysis.measure import count
from analysis.measure.groups import check_by, per_10k
from analysis.text.corpus import Corpus

RATE_COLUMNS = ["concept", "category", "count", "chars", "per_10k", "docs", "group_docs"]
SPAN_COLUMNS = ["concept", "category", "first", "last", "groups_present", "groups", "count"]


def rates(hits: pd.DataFrame, corpus: Corpus, lexicon: Lexicon, *, by: str = "year") -> pd.DataFrame:
    """Concept rates per 10,000 characters in each group, with their denominators.

    Parameters
    ----------
    hits : DataFrame
        From :func:`analysis.measure.match.find` on ``corpus.paragraphs``.
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
    hits, corpus = _placed(hits, corpus, by)
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
    hits, corpus = _placed(hits, corpus, by)
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
    check_by(corpus, by, whole_corpus=False)


def _placed(hits: pd.DataFrame, corpus: Corpus, by: str) -> tuple[pd.DataFrame, Corpus]:
    """Hits and corpus without the documents that have no value of ``by`` (no place on the axis), with a notice."""
    _require_group(corpus, by)
    missing = corpus.docs[by].isna()
    if not missing.any():
        return hits, corpus
    left_out = corpus.docs.doc[missing].tolist()
    warnings.warn(InputNotice(Note(f"{len(left_out)} document(s) have no '{by}' and are left out of the trends: "
                                   f"{first_names(left_out)}", parameter="by")))
    kept = corpus.subset(corpus.docs.doc[~missing])
    return hits[hits.doc.isin(set(kept.docs.doc))], kept


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
    grouped["per_10k"] = per_10k(grouped["count"], grouped["chars"])
    grouped[by] = grouped["_start"].map(labels)
    return grouped[[by, "concept", "category", "count", "chars", "per_10k"]]
