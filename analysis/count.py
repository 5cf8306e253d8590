"""Concept and term frequencies, for the whole corpus, per document or per metadata group.

Counting rules (see :mod:`analysis.match` for what an occurrence is):

- term ``count``: every occurrence of the term, overlapping ones included;
  ``standalone``: those not inside an occurrence of a longer lexicon term.
- concept ``count``: spans matched by any of the concept's terms, a span
  inside a longer span of the same concept not counted again.
- ``chars``: characters of cleaned text in the group (line breaks between
  paragraphs not counted); ``per_10k = count / chars * 10000``, rounded to
  4 decimals.
- ``docs``: number of documents of the group in which the item occurs.

Every concept (or term) of the lexicon appears in every group, with zeros
where it does not occur, so tables of different corpora line up. Rows are
ordered by group, then by count (highest first), then lexicon order.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from analysis.corpus import Corpus
from analysis.errors import InputError
from analysis.lexicon import Lexicon

CONCEPT_COLUMNS = ["concept", "category", "count", "chars", "per_10k", "docs"]
TERM_COLUMNS = ["term", "concept", "category", "count", "standalone", "chars", "per_10k", "docs"]


def concepts(hits: pd.DataFrame, corpus: Corpus, lexicon: Lexicon, *, by: str | None = None) -> pd.DataFrame:
    """Concept frequencies.

    Parameters
    ----------
    hits : DataFrame
        From :func:`analysis.match.find`.
    corpus : Corpus
        The corpus the hits come from (for denominators and metadata).
    lexicon : Lexicon
        The lexicon the hits come from (every concept gets a row).
    by : str, optional
        ``None`` or ``"corpus"`` for one table over everything, ``"doc"`` per
        document, or a metadata column such as ``"year"``.

    Returns
    -------
    DataFrame
        [group column], ``concept, category, count, chars, per_10k, docs``.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> concepts(match.find(corp.paragraphs, lex), corp, lex)[["concept", "count"]].values.tolist()
    [['社区治理', 23], ['党建引领', 4], ['协商民主', 3]]
    """
    items = lexicon.table.drop_duplicates("concept")[["concept", "category"]]
    counted = hits[hits.concept_hit]
    return _frequencies(counted, counted, corpus, items, key="concept", by=by)[_columns(by, CONCEPT_COLUMNS)]


def terms(hits: pd.DataFrame, corpus: Corpus, lexicon: Lexicon, *, by: str | None = None) -> pd.DataFrame:
    """Term frequencies, with ``standalone`` occurrences.

    Parameters are as for :func:`concepts`.

    Returns
    -------
    DataFrame
        [group column], ``term, concept, category, count, standalone, chars, per_10k, docs``.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> t = terms(match.find(corp.paragraphs, lex), corp, lex)
    >>> row = t.set_index("term").loc["协商民主"]
    >>> int(row["count"]), int(row["standalone"])
    (3, 1)
    """
    items = lexicon.table[["term", "concept", "category"]]
    table = _frequencies(hits, hits[hits.standalone], corpus, items, key="term", by=by)
    return table[_columns(by, TERM_COLUMNS)]


def group_of(corpus: Corpus, by: str | None) -> pd.Series | None:
    """The group of each document (indexed by ``doc``) for ``by``; ``None`` for the whole corpus.

    Raises
    ------
    InputError
        If ``by`` is neither ``corpus``, ``doc`` nor a metadata column.
    """
    if by in (None, "corpus"):
        return None
    if by not in corpus.docs.columns or by in ("path", "encoding", "sha256", "chars"):
        available = ", ".join(["corpus", "doc", *corpus.metadata_columns])
        raise InputError(f"cannot group by '{by}': no such metadata column (available: {available})")
    return corpus.docs.set_index("doc", drop=False)[by]


def _columns(by: str | None, columns: list[str]) -> list[str]:
    return columns if by in (None, "corpus") else [by, *columns]


def _frequencies(hits: pd.DataFrame, sub: pd.DataFrame, corpus: Corpus, items: pd.DataFrame, *,
                 key: str, by: str | None) -> pd.DataFrame:
    """Count ``hits`` (and ``sub`` as the second count for terms) per group and item, over a full grid."""
    groups = group_of(corpus, by)
    if groups is None:
        doc_group = pd.Series("", index=corpus.docs.doc)
    else:
        doc_group = groups
    chars = corpus.docs.groupby(pd.Index(doc_group.reindex(corpus.docs.doc)), dropna=False).chars.sum()
    order = {item: i for i, item in enumerate(items[key])}
    grid = pd.MultiIndex.from_product([chars.index, items[key]], names=["_group", key])

    def tally(frame: pd.DataFrame, agg: str) -> pd.Series:
        keyed = pd.DataFrame({"_group": pd.Index(doc_group.reindex(frame.doc)),
                              key: frame[key].astype(str).to_numpy(), "doc": frame.doc.to_numpy()})
        grouped = keyed.groupby(["_group", key], dropna=False).doc
        return (grouped.size() if agg == "size" else grouped.nunique()).reindex(grid, fill_value=0)

    table = pd.DataFrame({"count": tally(hits, "size"), "docs": tally(hits, "nunique")})
    if key == "term":
        table["standalone"] = tally(sub, "size")
    table = table.reset_index().merge(items, on=key, how="left")
    table["chars"] = table["_group"].map(chars).astype("int64")
    table["per_10k"] = (table["count"] / table["chars"] * 10_000).round(4)
    table["_order"] = table[key].map(order)
    table = table.sort_values(["_group", "count", "_order"], ascending=[True, False, True], kind="stable")
    if by not in (None, "corpus"):
        table = table.rename(columns={"_group": by})
    for column in ("count", "docs", "standalone"):
        if column in table:
            table[column] = table[column].astype("int64")
    return table.reset_index(drop=True)
