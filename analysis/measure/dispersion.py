"""Dispersion: is a concept spread through a document, or concentrated in one place?

Each document is divided into ``n`` parts: its sections (the headings found
by cleaning; section 0 is the text before the first heading, if any), or
``n`` parts of equal length in characters (a position belongs to part
``floor(position * n / chars)``, where position counts the characters of
the earlier paragraphs plus the hit's offset). An occurrence (a hit with
``concept_hit`` true, as counted by :func:`analysis.measure.count.concepts`) belongs
to the part where it starts.

With ``v_i`` the share of the concept's occurrences in part *i* and
``s_i`` the share of the document's characters in part *i*:

- ``dp``, Gries' *deviation of proportions* (Gries 2008, "Dispersion and
  adjusted frequencies in corpora", *International Journal of Corpus
  Linguistics* 13(4)): ``0.5 * sum(|v_i - s_i|)``. 0 means the occurrences
  are spread exactly as the text is; values near 1 mean they are all in
  one small part. Unlike Juilland's D it handles parts of unequal size
  (sections) directly.
- ``dp_norm``: ``dp / (1 - min(s_i))`` (Lijffijt and Gries 2012), scaled to
  reach 1 when everything is in the smallest part; missing with one part.
- ``juilland_d``, Juilland's D (Juilland and Chang-Rodríguez 1964): with
  ``x_i`` the concept's frequency in part *i* divided by the part's size,
  ``1 - (sd(x) / mean(x)) / sqrt(n - 1)`` (population standard deviation).
  1 means perfectly even, 0 maximally uneven; missing with one part. It is
  given for comparison with older studies; prefer ``dp`` (Gries 2008 shows
  D is insensitive with many parts).

A document without headings has one section, so over sections every
concept there has ``dp`` 0: use equal parts for such documents.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.lexicon import Lexicon
from analysis.text.corpus import Corpus

DISPERSION_COLUMNS = ["doc", "concept", "count", "parts", "dp", "dp_norm", "juilland_d"]


def measures(counts, sizes) -> tuple[float, float, float]:
    """``(dp, dp_norm, juilland_d)`` for counts per part and part sizes (formulas in the module docstring).

    Examples
    --------
    >>> measures([2, 0], [50, 50])   # all in one of two equal halves
    (0.5, 1.0, 0.0)
    >>> measures([1, 1], [50, 50])   # even
    (0.0, 0.0, 1.0)
    """
    counts = np.asarray(counts, dtype=float)
    sizes = np.asarray(sizes, dtype=float)
    counts, sizes = counts[sizes > 0], sizes[sizes > 0]  # an empty part (text shorter than n) holds nothing
    n = len(sizes)
    s = sizes / sizes.sum()
    v = counts / counts.sum()
    dp = 0.5 * float(np.abs(v - s).sum())
    if n < 2:
        return round(dp, 4), float("nan"), float("nan")
    dp_norm = dp / (1 - float(s.min()))
    x = counts / sizes
    d = 1 - (float(x.std()) / float(x.mean())) / np.sqrt(n - 1)
    return round(dp, 4), round(dp_norm, 4), round(float(d), 4)


def part_of_hits(hits: pd.DataFrame, corpus: Corpus, *, parts: int | Literal["sections"] = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The part of each counted occurrence, and the size of every part.

    Returns
    -------
    (DataFrame, DataFrame)
        ``doc, concept, part`` (one row per counted occurrence) and
        ``doc, part, size`` (characters per part).
    """
    paras = corpus.paragraphs[["doc", "section", "para", "text"]].assign(
        _len=lambda f: f.text.str.len(), _order=lambda f: f.doc.map({d: i for i, d in enumerate(corpus.docs.doc)}))
    paras = paras.sort_values(["_order", "para"], kind="stable")
    paras["_offset"] = paras.groupby("doc", sort=False)._len.cumsum() - paras._len
    counted = hits[hits.concept_hit][["doc", "para", "start", "concept"]].merge(
        paras[["doc", "para", "section", "_offset"]], on=["doc", "para"], how="left")
    if counted._offset.isna().any():
        raise InputError("some hits point to paragraphs not in the corpus; pass the hits of this corpus")
    if parts == "sections":
        section_rank = paras[["doc", "section"]].drop_duplicates()
        section_rank["part"] = section_rank.groupby("doc", sort=False).cumcount()
        counted = counted.merge(section_rank, on=["doc", "section"], how="left")
        sizes = (paras.merge(section_rank, on=["doc", "section"])
                 .groupby(["doc", "part"], sort=False)._len.sum().rename("size").reset_index())
    else:
        totals = paras.groupby("doc", sort=False)._len.sum()
        position = counted._offset + counted.start
        total = counted.doc.map(totals)
        counted["part"] = np.minimum((position * parts // total).astype("int64"), parts - 1)
        rows = []
        for doc, chars in totals.items():
            bins = np.bincount(np.arange(chars, dtype=np.int64) * parts // chars, minlength=parts)
            rows.extend((doc, k, int(n)) for k, n in enumerate(bins))
        sizes = pd.DataFrame(rows, columns=["doc", "part", "size"])
    placed = counted[["doc", "concept", "part"]].assign(concept=lambda f: f.concept.astype(str))
    return placed.reset_index(drop=True), sizes


def concepts(
    hits: pd.DataFrame,
    corpus: Corpus,
    lexicon: Lexicon,
    *,
    parts: int | Literal["sections"] = 10,
) -> pd.DataFrame:
    """Dispersion of each concept within each document.

    Parameters
    ----------
    hits : DataFrame
        From :func:`analysis.measure.match.find` on ``corpus.paragraphs``.
    corpus : Corpus
        The corpus the hits come from.
    lexicon : Lexicon
        Gives the order of concepts within a document (after count).
    parts : int or "sections", default 10
        ``n`` equal parts by characters, or the document's sections.

    Returns
    -------
    DataFrame
        ``doc, concept, count, parts, dp, dp_norm, juilland_d``, one row per
        document and concept occurring in it (``count`` >= 1, equal to
        ``count.concepts(..., by="doc")``), by document, then count (highest
        first), then lexicon order.

    Raises
    ------
    InputError
        If ``parts`` is neither a positive whole number nor ``"sections"``.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> d = concepts(match.find(corp.paragraphs, lex), corp, lex, parts="sections")
    >>> d[["concept", "count", "parts"]].values.tolist()
    [['社区治理', 23, 5], ['党建引领', 4, 5], ['协商民主', 3, 5]]
    """
    if parts != "sections" and (not isinstance(parts, (int, np.integer)) or isinstance(parts, bool) or parts < 1):
        raise InputError(f"parts must be 'sections' or a whole number of 1 or more, not {parts!r}")
    placed, sizes = part_of_hits(hits, corpus, parts=parts)
    order = {c: i for i, c in enumerate(lexicon.table.concept.drop_duplicates())}
    doc_order = {d: i for i, d in enumerate(corpus.docs.doc)}
    size_of = {doc: group.sort_values("part")["size"].to_numpy() for doc, group in sizes.groupby("doc", sort=False)}
    rows = []
    for (doc, concept), group in placed.groupby(["doc", "concept"], sort=False):
        doc_sizes = size_of[doc]
        per_part = np.bincount(group.part.to_numpy(dtype=np.int64), minlength=len(doc_sizes))
        rows.append((doc, concept, len(group), len(doc_sizes), *measures(per_part, doc_sizes)))
    table = pd.DataFrame(rows, columns=DISPERSION_COLUMNS)
    table = table.assign(_d=table.doc.map(doc_order), _o=table.concept.map(order))
    table = table.sort_values(["_d", "count", "_o"], ascending=[True, False, True], kind="stable")
    table["count"] = table["count"].astype("int64")
    table["parts"] = table["parts"].astype("int64")
    return table[DISPERSION_COLUMNS].reset_index(drop=True)
