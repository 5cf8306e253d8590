"""Every occurrence of every lexicon term, with its place, and per-document term counts.

Two views of the same matches (the rules are in :mod:`analysis.lexicon.matcher`):

- :func:`find`: one row per occurrence, with document, section, paragraph and
  offsets (for keyword in context, co-occurrence, sections, dispersion);
- :class:`TermCounts`: per document and term, how many occurrences,
  ``standalone`` ones and ``concept_hit`` ones (all that counts need), made
  from a hits table (:meth:`TermCounts.from_hits`) or straight from cleaned
  documents in the cleaning pass (:func:`counts`).

:func:`analysis.measure.count.concepts` and :func:`~analysis.measure.count.terms`
build their tables from :class:`TermCounts` either way, so a table is the same
whichever view it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.lexicon import Lexicon, Matcher
from analysis.text import corpus as corpus_module
from analysis.text.corpus import Corpus

HIT_COLUMNS = ["doc", "section", "para", "start", "end", "term", "concept", "category", "standalone", "concept_hit"]


def find(paragraphs: pd.DataFrame, lexicon: Lexicon, *, matcher: Matcher | None = None) -> pd.DataFrame:
    """Every occurrence of every lexicon term in the paragraphs.

    Parameters
    ----------
    paragraphs : DataFrame
        ``doc, section, para, text`` (``Corpus.paragraphs``).
    lexicon : Lexicon
        The concept dictionary.
    matcher : Matcher, optional
        A compiled matcher to reuse.

    Returns
    -------
    DataFrame
        ``doc, section, para, start, end, term, concept, category, standalone,
        concept_hit``, ordered by document, paragraph and position; ``start``
        and ``end`` are character offsets in the paragraph (end exclusive).

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> paras = pd.DataFrame({"doc": ["a"], "section": [0], "para": [1], "text": ["推进基层协商民主"]})
    >>> hits = find(paras, from_terms({"协商民主": ["协商民主", "基层协商民主"]}))
    >>> hits[["term", "start", "end", "standalone", "concept_hit"]].values.tolist()
    [['基层协商民主', 2, 8, True, True], ['协商民主', 4, 8, False, False]]
    """
    matcher = matcher or Matcher(lexicon)
    texts = paragraphs["text"].tolist()
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    offsets = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if len(texts) else np.zeros(0, np.int64)
    found = matcher.occurrences("\n".join(texts))
    row = np.searchsorted(offsets, found.start, side="right") - 1
    table = lexicon.table
    hits = pd.DataFrame({
        "doc": paragraphs["doc"].to_numpy()[row],
        "section": paragraphs["section"].to_numpy()[row],
        "para": paragraphs["para"].to_numpy()[row],
        "start": found.start - offsets[row],
        "end": found.end - offsets[row],
        "term": pd.Categorical.from_codes(found.term, categories=table.term),
        "concept": pd.Categorical.from_codes(lexicon.concept_codes[found.term], categories=lexicon.concept_names),
        "category": table.category.to_numpy()[found.term],
        "standalone": found.standalone,
        "concept_hit": found.concept_hit,
    }, columns=HIT_COLUMNS)
    return hits.reset_index(drop=True)


@dataclass(frozen=True)
class TermCounts:
    """How often each term occurs in each document: the input of every count table.

    Attributes
    ----------
    table : DataFrame
        ``doc, term_index, count, standalone, concept_hit``: one row per
        document and term that occurs in it (``term_index`` into the lexicon's
        terms).
    lexicon : Lexicon
        The lexicon counted.
    """

    table: pd.DataFrame
    lexicon: Lexicon

    @classmethod
    def from_hits(cls, hits: pd.DataFrame, lexicon: Lexicon) -> TermCounts:
        """The counts of a hits table (:func:`find`).

        Examples
        --------
        >>> from analysis.lexicon import from_terms
        >>> lex = from_terms({"协商民主": ["协商民主", "基层协商民主"]})
        >>> paras = pd.DataFrame({"doc": ["a"], "section": [0], "para": [1], "text": ["推进基层协商民主"]})
        >>> TermCounts.from_hits(find(paras, lex), lex).table.values.tolist()
        [['a', 0, 1, 0, 0], ['a', 1, 1, 1, 1]]
        """
        term_index = pd.Series(range(len(lexicon.table)), index=lexicon.table.term)
        keyed = pd.DataFrame({"doc": hits["doc"].to_numpy(),
                              "term_index": term_index.reindex(hits["term"].astype(str)).to_numpy(),
                              "standalone": hits["standalone"].to_numpy(dtype=np.int64),
                              "concept_hit": hits["concept_hit"].to_numpy(dtype=np.int64)})
        grouped = keyed.groupby(["doc", "term_index"], sort=True)
        table = pd.DataFrame({"count": grouped.size(), "standalone": grouped.standalone.sum(),
                              "concept_hit": grouped.concept_hit.sum()}).reset_index()
        return cls(_typed(table), lexicon)

    @classmethod
    def from_documents(cls, docs: Sequence[str], vectors: Sequence[np.ndarray], lexicon: Lexicon) -> TermCounts:
        """The counts of per-document vectors (:meth:`analysis.lexicon.Matcher.document_counts`), in document order."""
        parts = []
        for doc, vector in zip(docs, vectors):
            present = np.flatnonzero(vector[0])
            if len(present):
                parts.append(pd.DataFrame({"doc": doc, "term_index": present, "count": vector[0][present],
                                           "standalone": vector[1][present], "concept_hit": vector[2][present]}))
        if not parts:
            return cls(_typed(pd.DataFrame(columns=["doc", "term_index", "count", "standalone", "concept_hit"])),
                       lexicon)
        return cls(_typed(pd.concat(parts, ignore_index=True)), lexicon)


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    table = table[["doc", "term_index", "count", "standalone", "concept_hit"]]
    return table.astype({"doc": object, "term_index": "int64", "count": "int64", "standalone": "int64",
                         "concept_hit": "int64"}).reset_index(drop=True)


def counts(paths: str | Path | Sequence[str | Path], lexicon: Lexicon, settings: Settings | None = None,
           **options) -> tuple[Corpus, TermCounts]:
    """Read, clean and count every term of each document in one pass (on the settings' engine).

    The same numbers as ``TermCounts.from_hits(find(corp.paragraphs, lexicon),
    lexicon)`` for ``corp = corpus.build(paths, settings)``, without a row per
    occurrence: each worker counts the document it has just cleaned.

    Parameters
    ----------
    paths : path or sequence of paths
        As for :func:`analysis.text.corpus.read`.
    lexicon : Lexicon
        The concept dictionary.
    settings : Settings, optional
        How to read, clean and run; ``**options`` change it.

    Returns
    -------
    corpus : Corpus
    counts : TermCounts

    Examples
    --------
    >>> from analysis import lexicon as lexicons
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp, found = counts(SAMPLE_ESSAY, lexicons.load(LEXICON_DIR / "sample-concepts.csv"))
    >>> int(found.table["concept_hit"].sum())
    30
    """
    settings = Settings.of(settings, **options)
    documents = corpus_module.read(paths, settings)
    corp, vectors = corpus_module.clean(documents, settings, measure=Matcher(lexicon).document_counts)
    kept = set(corp.docs.doc)
    pairs = [(d.doc, v) for d, v in zip(documents, vectors) if d.doc in kept]
    return corp, TermCounts.from_documents([d for d, _ in pairs], [v for _, v in pairs], lexicon)
