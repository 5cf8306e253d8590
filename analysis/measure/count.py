"""Concept and term frequencies, for the whole corpus, per document or per metadata group.

Counting rules (see :mod:`analysis.lexicon.matcher` for what an occurrence is):

- term ``count``: every occurrence of the term, overlapping ones included;
  ``standalone``: those not inside an occurrence of a longer lexicon term.
- concept ``count``: spans matched by any of the concept's terms, a span
  inside a longer span of the same concept not counted again.
- concept ``nested``: of these, the ones inside an occurrence of another,
  longer concept (中国特色社会主义 inside 习近平新时代中国特色社会主义思想);
  ``count - nested`` stand alone. :func:`analysis.measure.match.nesting` says
  inside which concepts.
- concept ``terms``: the terms the concept stands for, joined by ``/``, so a
  reader sees what is counted (全面深化改革 is only 全面深化改革).
- ``chars``: characters of cleaned text in the group (line breaks between
  paragraphs not counted); ``per_10k = count / chars * 10000``, rounded to
  4 decimals (:func:`analysis.measure.groups.per_10k`).
- ``docs``: number of documents of the group in which the item occurs.

Every concept (or term) of the lexicon appears in every group, with zeros
where it does not occur, so tables of different corpora line up. Rows are
ordered by group, then by count (highest first), then lexicon order.

Both tables are built from :class:`~analysis.measure.match.TermCounts`: given a
hits table (:func:`analysis.measure.match.find`), it is reduced to them first,
so counts from hits and from the one-pass :func:`analysis.measure.match.counts`
are the same table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.errors import InputError
from analysis.lexicon import Lexicon
from analysis.measure.groups import group_of, per_10k, with_group
from analysis.measure.match import TermCounts, counts
from analysis.text.corpus import Corpus

CONCEPT_COLUMNS = ["concept", "category", "count", "nested", "chars", "per_10k", "docs", "terms"]
TERM_COLUMNS = ["term", "concept", "category", "count", "standalone", "chars", "per_10k", "docs"]
Level = Literal["concept", "term"]
LEVELS = ("concept", "term")


def concepts(found: pd.DataFrame | TermCounts, corpus: Corpus, lexicon: Lexicon, *,
             by: str | None = None) -> pd.DataFrame:
    """Concept frequencies.

    Parameters
    ----------
    found : DataFrame or TermCounts
        Hits from :func:`analysis.measure.match.find`, or term counts from
        :func:`analysis.measure.match.counts`.
    corpus : Corpus
        The corpus they come from (for denominators and metadata).
    lexicon : Lexicon
        The lexicon they come from (every concept gets a row).
    by : str, optional
        ``"corpus"`` (or ``None``) for one table over everything, ``"doc"`` per
        document, or a metadata column such as ``"year"``.

    Returns
    -------
    DataFrame
        [group column], ``concept, category, count, nested, chars, per_10k,
        docs, terms`` (``nested``: occurrences inside another, longer concept;
        ``terms``: the concept's terms joined by ``/``).

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> concepts(match.find(corp.paragraphs, lex), corp, lex)[["concept", "count"]].values.tolist()
    [['社区治理', 23], ['党建引领', 4], ['协商民主', 3]]
    """
    table = _term_counts(found, lexicon).table
    codes = lexicon.concept_codes[table.term_index.to_numpy()]
    per_doc = pd.DataFrame({"doc": table.doc.to_numpy(), "concept": codes, "n": table.concept_hit.to_numpy(),
                            "nested": (table.concept_hit - table.concept_alone).to_numpy()})
    per_doc = per_doc.groupby(["doc", "concept"], sort=False)[["n", "nested"]].sum().reset_index()
    per_doc["concept"] = np.asarray(lexicon.concept_names, dtype=object)[per_doc.concept.to_numpy()]
    items = lexicon.concepts[["concept", "category", "terms"]]
    return _frequencies(per_doc, corpus, items, key="concept", by=by, extra="nested")[with_group(by, CONCEPT_COLUMNS)]


def terms(found: pd.DataFrame | TermCounts, corpus: Corpus, lexicon: Lexicon, *,
          by: str | None = None) -> pd.DataFrame:
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
    table = _term_counts(found, lexicon).table
    per_doc = pd.DataFrame({"doc": table.doc.to_numpy(),
                            "term": lexicon.table.term.to_numpy()[table.term_index.to_numpy()],
                            "n": table["count"].to_numpy(), "standalone": table.standalone.to_numpy()})
    items = lexicon.table[["term", "concept", "category"]]
    return _frequencies(per_doc, corpus, items, key="term", by=by, extra="standalone")[with_group(by, TERM_COLUMNS)]


def from_paths(paths: str | Path | list, lexicon: Lexicon, settings: Settings | None = None, *,
               level: Level = "concept", by: str | None = None, **options) -> tuple[pd.DataFrame, Corpus]:
    """Concept (or term) frequencies of files, folders or tables, in one pass on the settings' engine.

    Equal to ``concepts(match.find(corp.paragraphs, lexicon), corp, lexicon,
    by=by)`` (:func:`terms` for ``level="term"``) with ``corp =
    corpus.build(paths, settings)``; the occurrences are counted by each
    worker right after cleaning (:func:`analysis.measure.match.counts`).

    Returns
    -------
    table : DataFrame
    corpus : Corpus

    Examples
    --------
    >>> from analysis import lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> table, corp = from_paths(SAMPLE_ESSAY, lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    >>> table[["concept", "count"]].values.tolist()
    [['社区治理', 23], ['党建引领', 4], ['协商民主', 3]]
    """
    if level not in LEVELS:
        raise InputError(f"unknown level '{level}'; choose concept or term", parameter="level")
    settings = Settings.of(settings, **options)
    corp, found = counts(paths, lexicon, settings)
    return (concepts if level == "concept" else terms)(found, corp, lexicon, by=by), corp


def _term_counts(found: pd.DataFrame | TermCounts, lexicon: Lexicon) -> TermCounts:
    return found if isinstance(found, TermCounts) else TermCounts.from_hits(found, lexicon)


def _frequencies(per_doc: pd.DataFrame, corpus: Corpus, items: pd.DataFrame, *,
                 key: str, by: str | None, extra: str) -> pd.DataFrame:
    """Sum per-document counts (``doc, <key>, n, <extra>``) per group and item, over a full grid."""
    groups = group_of(corpus, by)
    doc_group = pd.Series("", index=corpus.docs.doc) if groups is None else groups
    chars = corpus.docs.groupby(pd.Index(doc_group.reindex(corpus.docs.doc)), dropna=False).chars.sum()
    order = {item: i for i, item in enumerate(items[key])}
    grid = pd.MultiIndex.from_product([chars.index, items[key]], names=["_group", key])
    present = per_doc[per_doc.n > 0]
    keyed = pd.DataFrame({"_group": pd.Index(doc_group.reindex(present.doc)), key: present[key].to_numpy(),
                          "n": present.n.to_numpy()})
    keyed[extra] = present[extra].to_numpy()
    grouped = keyed.groupby(["_group", key], dropna=False)
    table = pd.DataFrame({"count": grouped.n.sum().reindex(grid, fill_value=0),
                          "docs": grouped.size().reindex(grid, fill_value=0),
                          extra: grouped[extra].sum().reindex(grid, fill_value=0)})
    table = table.reset_index().merge(items, on=key, how="left")
    table["chars"] = table["_group"].map(chars).astype("int64")
    table["per_10k"] = per_10k(table["count"], table["chars"])
    table["_order"] = table[key].map(order)
    table = table.sort_values(["_group", "count", "_order"], ascending=[True, False, True], kind="stable")
    if by not in (None, "corpus"):
        table = table.rename(columns={"_group": by})
    for column in ("count", "docs", extra):
        if column in table:
            table[column] = table[column].astype("int64")
    return table.reset_index(drop=True)
