"""Distinctive words per document: TF-IDF over the open-vocabulary tokens.

Words are counted per document by :func:`analysis.measure.words.frequencies`
(lexicon terms kept whole, punctuation and stopwords dropped). For word *w*
in document *d*, with ``N`` documents and ``df(w)`` the documents containing
*w*:

    ``tfidf = tf(w, d) * ln(N / df(w))``

where ``tf`` is the word's share of the document's counted tokens
(``count / tokens of d``), so scores are comparable across documents of
different length. The unsmoothed inverse document frequency (Spärck Jones
1972; Manning, Raghavan and Schütze 2008, ch. 6) gives 0 to a word found in
every document, which is the point here: such a word sets no document
apart. (scikit-learn's default adds one to ``df`` and ``N`` and 1 to the
idf, so common words keep some weight; that suits retrieval, not this
question.) ``rank`` numbers each document's words from 1, highest ``tfidf``
first, ties broken by count then word.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.measure import words
from analysis.measure.segment import Segmenter
from analysis.text.corpus import Corpus

DISTINCTIVE_COLUMNS = ["doc", "word", "count", "docs", "tfidf", "rank"]


def tfidf(counts: pd.DataFrame, *, documents: int | None = None) -> pd.DataFrame:
    """TF-IDF of every word of every document from per-document counts.

    Parameters
    ----------
    counts : DataFrame
        ``doc, word, count`` (e.g. ``words.frequencies(corpus, seg, by="doc")``).
    documents : int, optional
        ``N``; default: the number of documents in ``counts``.

    Returns
    -------
    DataFrame
        ``doc, word, count, docs, tfidf, rank`` (``docs`` = documents
        containing the word), by document (in order of appearance), then rank.

    Examples
    --------
    >>> counts = pd.DataFrame({"doc": ["甲", "甲", "乙"], "word": ["改革", "开放", "改革"], "count": [3, 1, 2]})
    >>> tfidf(counts).values.tolist()  # 开放: 1/4 * ln(2/1); 改革 is in both, so 0
    [['甲', '开放', 1, 1, 0.1733, 1], ['甲', '改革', 3, 2, 0.0, 2], ['乙', '改革', 2, 2, 0.0, 1]]
    """
    n = documents if documents is not None else counts.doc.nunique()
    table = counts[["doc", "word", "count"]].copy()
    table["docs"] = table.groupby("word").doc.transform("nunique").astype("int64")
    tokens = table.groupby("doc", sort=False)["count"].transform("sum")
    table["tfidf"] = (table["count"] / tokens * np.log(n / table["docs"])).round(4)
    doc_order = {d: i for i, d in enumerate(dict.fromkeys(table.doc))}
    table = table.assign(_d=table.doc.map(doc_order)).sort_values(
        ["_d", "tfidf", "count", "word"], ascending=[True, False, False, True], kind="stable")
    table["rank"] = table.groupby("doc", sort=False).cumcount() + 1
    return table[DISTINCTIVE_COLUMNS].reset_index(drop=True)


def words_by_doc(
    corpus: Corpus,
    segmenter: Segmenter,
    *,
    stopwords: frozenset[str] | None = None,
    top: int | None = 10,
    min_count: int = 2,
) -> pd.DataFrame:
    """The most distinctive words of each document (TF-IDF, formula in the module docstring).

    Parameters
    ----------
    corpus : Corpus
        At least two documents.
    segmenter : Segmenter
        Keeps the lexicon's terms whole.
    stopwords : frozenset of str, optional
        Default: :func:`analysis.measure.words.stopword_set`.
    top : int or None, default 10
        Words kept per document (``None``: all).
    min_count : int, default 2
        Ignore words occurring fewer times in a document (a word used once
        says little about a report, however rare elsewhere); they still count
        in the document's tokens and in ``docs``.

    Returns
    -------
    DataFrame
        ``doc, word, count, docs, tfidf, rank``, documents in corpus order.

    Raises
    ------
    InputError
        With fewer than two documents, or ``top``/``min_count`` below 1.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import CORPORA_DIR
    >>> corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    >>> d = words_by_doc(corp, Segmenter(lexicon.load()), top=3)
    >>> d.query("doc == 'congress-20'").word.tolist()  # doctest: +SKIP
    ['全过程人民民主', ...]
    """
    if len(corpus.docs) < 2:
        raise InputError("distinctive words compare documents: give at least two documents")
    for name, value in (("top", top), ("min_count", min_count)):
        if value is not None and (not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1):
            raise InputError(f"{name} must be a whole number of 1 or more, not {value!r}")
    counts = words.frequencies(corpus, segmenter, stopwords=stopwords, by="doc")
    table = tfidf(counts, documents=len(corpus.docs))
    table = table[table["count"] >= min_count]
    doc_order = {d: i for i, d in enumerate(corpus.docs.doc)}
    table = table.assign(_d=table.doc.map(doc_order)).sort_values(["_d", "rank"], kind="stable")
    table["rank"] = table.groupby("doc", sort=False).cumcount() + 1
    if top is not None:
        table = table[table["rank"] <= top]
    return table[DISTINCTIVE_COLUMNS].reset_index(drop=True)
