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
from analysis.lexicon import Lexicon, Matcher, add_counts
from analysis.text import corpus as corpus_module
from analysis.text.clean import CleanedDocument, paragraph_frame
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
        A ``page`` column after ``para`` when the paragraphs have one (PDF).

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
    if "page" in paragraphs.columns:  # PDF documents: the page each hit's paragraph starts on
        hits.insert(3, "page", paragraphs["page"].to_numpy()[row])
    return hits.reset_index(drop=True)


def document_hits(paragraphs: list[tuple[int, int, str, str]], lexicon: Lexicon,
                  matcher: Matcher) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The paragraphs table (document id ``""``) and the :func:`find` hits of one cleaned document, given as its
    paragraphs ``(line, section, section_title, text)``: what a measure run where the document is cleaned
    works on (:class:`analysis.measure.kwic.DocumentLines`, :class:`analysis.measure.cooccur.DocumentUnits`).

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> lex = from_terms({"协商民主": ["协商民主"]})
    >>> paras, hits = document_hits([(1, 0, "", "推进协商民主")], lex, Matcher(lex))
    >>> paras.para.tolist(), hits.start.tolist()
    ([1], [2])
    """
    paras = paragraph_frame([("", CleanedDocument(paragraphs))])
    return paras, find(paras, lexicon, matcher=matcher)


@dataclass(frozen=True)
class TermCounts:
    """How often each term occurs in each document: the input of every count table.

    Attributes
    ----------
    table : DataFrame
        ``doc, term_index, count, standalone, concept_hit, concept_alone``: one
        row per document and term that occurs in it (``term_index`` into the
        lexicon's terms); ``concept_alone`` counts the ``concept_hit``
        occurrences that are also ``standalone`` (not nested in another concept).
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
        [['a', 0, 1, 0, 0, 0], ['a', 1, 1, 1, 1, 1]]
        """
        term_index = pd.Series(range(len(lexicon.table)), index=lexicon.table.term)
        keyed = pd.DataFrame({"doc": hits["doc"].to_numpy(),
                              "term_index": term_index.reindex(hits["term"].astype(str)).to_numpy(),
                              "standalone": hits["standalone"].to_numpy(dtype=np.int64),
                              "concept_hit": hits["concept_hit"].to_numpy(dtype=np.int64),
                              "concept_alone": (hits["concept_hit"] & hits["standalone"]).to_numpy(dtype=np.int64)})
        grouped = keyed.groupby(["doc", "term_index"], sort=True)
        table = pd.DataFrame({"count": grouped.size(), "standalone": grouped.standalone.sum(),
                              "concept_hit": grouped.concept_hit.sum(),
                              "concept_alone": grouped.concept_alone.sum()}).reset_index()
        return cls(_typed(table), lexicon)

    @classmethod
    def from_documents(cls, docs: Sequence[str], vectors: Sequence[np.ndarray], lexicon: Lexicon) -> TermCounts:
        """The counts of per-document sparse vectors (:meth:`analysis.lexicon.Matcher.document_counts`), in document order."""
        collected = _Collected()
        for position, vector in enumerate(vectors):
            collected.add(position, vector)
        return collected.term_counts(docs, lexicon)


_COUNT_COLUMNS = ["doc", "term_index", "count", "standalone", "concept_hit", "concept_alone"]


class _Collected:
    """Per-document count vectors as they arrive (any order), packed into blocks: a few bytes per term found,
    nothing per document."""

    def __init__(self):
        self.blocks: list[np.ndarray] = []  # (6, n): document position, then the vector's 5 rows
        self.pending: list[np.ndarray] = []

    def add(self, position: int, vector: np.ndarray) -> None:
        if vector.shape[1]:
            self.pending.append(np.vstack([np.full((1, vector.shape[1]), position, dtype=np.int64), vector]))
            if len(self.pending) >= 4096:
                self._pack()

    def _pack(self) -> None:
        if self.pending:
            self.blocks.append(np.concatenate(self.pending, axis=1))
            self.pending = []

    def term_counts(self, docs: Sequence[str], lexicon: Lexicon) -> TermCounts:
        self._pack()
        if not self.blocks:
            return TermCounts(_typed(pd.DataFrame(columns=_COUNT_COLUMNS)), lexicon)
        stacked = np.concatenate(self.blocks, axis=1)
        stacked = stacked[:, np.argsort(stacked[0], kind="stable")]  # document order; terms ascending within
        names = np.asarray(list(docs), dtype=object)
        table = pd.DataFrame({"doc": names[stacked[0]], "term_index": stacked[1], "count": stacked[2],
                              "standalone": stacked[3], "concept_hit": stacked[4], "concept_alone": stacked[5]})
        return TermCounts(_typed(table), lexicon)


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    return table[_COUNT_COLUMNS].astype({c: "int64" for c in _COUNT_COLUMNS[1:]} | {"doc": object}).reset_index(drop=True)


def containers(hits: pd.DataFrame) -> pd.DataFrame:
    """For each nested concept occurrence, the other concepts whose occurrences contain it.

    Parameters
    ----------
    hits : DataFrame
        From :func:`find`.

    Returns
    -------
    DataFrame
        ``row`` (the index of the occurrence in ``hits``), ``inside`` (a
        concept with an occurrence strictly containing it); one row per
        nested ``concept_hit`` occurrence and containing concept.

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> lex = from_terms({"中国特色社会主义": ["中国特色社会主义"], "习近平新时代中国特色社会主义思想": ["习近平新时代中国特色社会主义思想"]})
    >>> paras = pd.DataFrame({"doc": ["a"], "section": [0], "para": [1], "text": ["习近平新时代中国特色社会主义思想"]})
    >>> containers(find(paras, lex)).values.tolist()
    [[1, '习近平新时代中国特色社会主义思想']]
    """
    nested = np.flatnonzero((hits.concept_hit & ~hits.standalone).to_numpy())
    if not len(nested):
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "inside": pd.Series(dtype=object)})
    # An occurrence containing (start, end) starts at or before start and, being no longer than the longest
    # term, at or after end - longest: only hits of the same paragraph in that window are compared (a merge
    # of every nested occurrence with every hit of its paragraph grows with the square of a paragraph's hits).
    paragraph = pd.MultiIndex.from_arrays([hits.doc.to_numpy(), hits.para.to_numpy()]).factorize()[0].astype(np.int64)
    start, end = hits.start.to_numpy(dtype=np.int64), hits.end.to_numpy(dtype=np.int64)
    scale = int(end.max()) + 1
    order = np.lexsort((start, paragraph))
    key = paragraph[order] * scale + start[order]
    longest = int((end - start).max())
    low = np.searchsorted(key, paragraph[nested] * scale + np.maximum(end[nested] - longest, 0), side="left")
    high = np.searchsorted(key, paragraph[nested] * scale + start[nested], side="right")
    sizes = high - low
    inner = np.repeat(nested, sizes)
    outer = order[np.repeat(low - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))]
    concept = hits.concept.astype(str).to_numpy()
    contains = ((end[outer] >= end[inner]) & (end[outer] - start[outer] > end[inner] - start[inner])
                & (concept[outer] != concept[inner]))
    found = pd.DataFrame({"row": hits.index.to_numpy()[inner[contains]], "inside": concept[outer[contains]]})
    found = found.drop_duplicates().sort_values(["row", "inside"], kind="stable")
    return found.reset_index(drop=True).astype({"row": "int64"})


def nesting(hits: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """For each concept, the longer concepts its occurrences lie inside, and how often.

    Parameters
    ----------
    hits : DataFrame
        From :func:`find`.
    lexicon : Lexicon
        Gives the order of the concepts.

    Returns
    -------
    DataFrame
        ``concept, inside, count, concept_count, share``: ``count``
        occurrences of ``concept`` lie inside an occurrence of ``inside``;
        ``concept_count`` is all of its occurrences (its count in
        :func:`analysis.measure.count.concepts`), ``share`` = ``count /
        concept_count``. Highest count first. An occurrence inside two longer
        concepts is listed under both.

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> lex = from_terms({"公共服务": ["公共服务"], "基本公共服务": ["基本公共服务"]})
    >>> paras = pd.DataFrame({"doc": ["a"], "section": [0], "para": [1], "text": ["基本公共服务和公共服务"]})
    >>> nesting(find(paras, lex), lex).values.tolist()
    [['公共服务', '基本公共服务', 1, 2, 0.5]]
    """
    found = containers(hits)
    columns = ["concept", "inside", "count", "concept_count", "share"]
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if "count" in c else float if c == "share" else object)
                             for c in columns})
    found["concept"] = hits.concept.astype(str).to_numpy()[hits.index.get_indexer(found.row)]
    table = found.groupby(["concept", "inside"], sort=False).size().rename("count").reset_index()
    totals = hits[hits.concept_hit].concept.astype(str).value_counts()
    table["concept_count"] = table.concept.map(totals).astype("int64")
    table["share"] = (table["count"] / table["concept_count"]).round(4)
    order = {c: i for i, c in enumerate(lexicon.concept_names)}
    table = table.assign(_a=table.concept.map(order), _b=table.inside.map(order))
    table = table.sort_values(["count", "_a", "_b"], ascending=[False, True, True], kind="stable")
    return table[columns].reset_index(drop=True).astype({"count": "int64"})


def counts(paths: str | Path | Sequence[str | Path], lexicon: Lexicon, settings: Settings | None = None,
           **options) -> tuple[Corpus, TermCounts]:
    """Read, clean and count every term of each document in one pass (on the settings' engine).

    The same numbers as ``TermCounts.from_hits(find(corp.paragraphs, lexicon),
    lexicon)`` for ``corp = corpus.build(paths, settings)``, without a row per
    occurrence: each worker reads a file, cleans it and counts its terms, and
    sends back only the counts and the document's facts. The corpus returned
    has no paragraphs (``corp.paragraphs`` is None): its text was never
    held in this process.

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
    documents = corpus_module.read(paths, settings, lazy=True)
    collected = _Collected()
    corp, _ = corpus_module.clean(documents, settings, measure=Matcher(lexicon).document_counts, combine=add_counts,
                                  keep_paragraphs=False, collect=collected.add)
    ids = [d.doc for d in documents]  # skipped (empty) documents have no terms, so no rows
    del documents
    return corp, collected.term_counts(ids, lexicon)
