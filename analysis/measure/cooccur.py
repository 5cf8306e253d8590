"""Concept co-occurrence: which concepts appear in the same sentence or paragraph.

A **unit** is a sentence (:func:`analysis.measure.segment.sentences`: split at
。！？；!?; and ellipses) or a paragraph of the cleaned corpus. A concept is
*in* a unit when one of its counted occurrences (hits with ``concept_hit``
true, the rows :func:`analysis.measure.count.concepts` counts) starts in it. Each
unit counts once per pair, however often the two concepts occur in it.

**Containment is not association.** Two concepts count as together in a unit
only when at least one occurrence of each lies outside the other's span: in
"坚持习近平新时代中国特色社会主义思想" the concept 中国特色社会主义 occurs only
inside 习近平新时代中国特色社会主义思想, and that is the same words, not two
concepts meeting. ``include_nested=True`` (``--include-nested``) counts such
pairs too.

For concepts *a* and *b* (``concept_a`` before ``concept_b`` in lexicon
order), with ``units`` = N units in the corpus, ``count_a`` = units
containing *a*, ``count_b`` = units containing *b* and ``count`` = units
containing both:

- ``pmi`` (pointwise mutual information, Church and Hanks 1990), in bits:
  ``log2(count * N / (count_a * count_b))``. 0 means the pair meets exactly
  as often as chance predicts from the two concepts' frequencies, 1 means
  twice as often, -1 half as often. It corrects for frequency, which raw
  ``count`` does not (the most frequent concepts meet most often by chance),
  but it over-rates rare pairs: two concepts seen once each, together, get
  the maximum ``log2(N)``.
- ``npmi`` (normalised PMI, Bouma 2009): ``pmi / -log2(count / N)``, in
  [-1, 1]; 1 when the two concepts only ever occur together, 0 at chance.
  Comparable across corpora of different sizes, and less biased to rare
  pairs than PMI; defined as 1 when both occur in every unit.
- ``jaccard``: ``count / (count_a + count_b - count)``, the share of the
  units containing either concept that contain both (0 to 1). It does not
  depend on N and reads plainly ("a third of the sentences mentioning
  either mention both"); it is the default edge strength of the network
  chart.

Use a minimum ``count`` (``min_count``) before reading PMI: a pair seen in
one or two units has an unreliable association.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.errors import InputError
from analysis.lexicon import Lexicon, Matcher
from analysis.measure.match import containers, document_hits
from analysis.measure.segment import sentences
from analysis.text import corpus as corpus_module
from analysis.text.corpus import Corpus

Unit = Literal["sentence", "paragraph"]
UNITS = ("sentence", "paragraph")
COOCCUR_COLUMNS = ["concept_a", "concept_b", "count", "count_a", "count_b", "units", "pmi", "npmi", "jaccard"]


def units_of(hits: pd.DataFrame, corpus: Corpus, *, unit: Unit = "sentence") -> tuple[pd.DataFrame, int]:
    """The unit of each counted concept occurrence, and the number of units.

    Parameters
    ----------
    hits : DataFrame
        From :func:`analysis.measure.match.find` on ``corpus.paragraphs``.
    corpus : Corpus
        The corpus the hits come from.
    unit : {"sentence", "paragraph"}, default "sentence"

    Returns
    -------
    (DataFrame, int)
        ``doc, para, sent, concept, row`` (one row per counted occurrence;
        ``sent`` is 0 for paragraph units; ``row`` its index in ``hits``) and
        the number of units in the corpus.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> placed, n = units_of(match.find(corp.paragraphs, lex), corp, unit="paragraph")
    >>> len(placed), n
    (30, 9)
    """
    return _placed(hits, corpus.paragraphs, unit=unit)


def _placed(hits: pd.DataFrame, paragraphs: pd.DataFrame, *, unit: Unit) -> tuple[pd.DataFrame, int]:
    """:func:`units_of`, given the paragraphs the hits come from."""
    if unit not in UNITS:
        raise InputError(f"unknown unit '{unit}'; choose one of {', '.join(UNITS)}")
    counted = hits[hits.concept_hit]
    placed = pd.DataFrame({"doc": counted.doc.to_numpy(), "para": counted.para.to_numpy(),
                           "sent": 0, "concept": counted.concept.astype(str).to_numpy(),
                           "row": counted.index.to_numpy()})
    if unit == "paragraph":
        return placed, len(paragraphs)
    sents = sentences(paragraphs)
    # Every sentence gets a global number; a hit belongs to the last sentence starting at or before it.
    para_keys = pd.MultiIndex.from_frame(sents[["doc", "para"]])
    hit_keys = pd.MultiIndex.from_arrays([counted.doc.to_numpy(), counted.para.to_numpy()])
    para_codes = pd.Index(para_keys.unique())
    sent_para = para_codes.get_indexer(para_keys)
    hit_para = para_codes.get_indexer(hit_keys)
    if (hit_para < 0).any():
        raise InputError("some hits point to paragraphs not in the corpus; pass the hits of this corpus")
    scale = int(max(sents.end.max() if len(sents) else 0, counted.end.max() if len(counted) else 0)) + 1
    sent_key = sent_para.astype(np.int64) * scale + sents.start.to_numpy(dtype=np.int64)
    hit_key = hit_para.astype(np.int64) * scale + counted.start.to_numpy(dtype=np.int64)
    order = np.argsort(sent_key, kind="stable")
    index = order[np.searchsorted(sent_key[order], hit_key, side="right") - 1]
    placed["sent"] = sents.sent.to_numpy()[index]
    return placed, len(sents)


def pairs(
    hits: pd.DataFrame,
    corpus: Corpus,
    lexicon: Lexicon,
    *,
    unit: Unit = "sentence",
    min_count: int = 1,
    include_nested: bool = False,
) -> pd.DataFrame:
    """Co-occurrence of every pair of concepts within sentences or paragraphs.

    Parameters
    ----------
    hits : DataFrame
        From :func:`analysis.measure.match.find` on ``corpus.paragraphs``.
    corpus : Corpus
        The corpus the hits come from (its units are counted).
    lexicon : Lexicon
        Gives the order of concepts: ``concept_a`` comes before ``concept_b``
        in the lexicon.
    unit : {"sentence", "paragraph"}, default "sentence"
        Within what two concepts count as co-occurring.
    min_count : int, default 1
        Keep pairs found together in at least this many units (at least 1).
    include_nested : bool, default False
        Also count a unit where one concept occurs only inside the other's
        occurrences (by default containment is not co-occurrence).

    Returns
    -------
    DataFrame
        ``concept_a, concept_b, count, count_a, count_b, units, pmi, npmi,
        jaccard`` (see the module docstring), highest ``count`` first, then
        highest ``npmi``, then lexicon order.

    Raises
    ------
    InputError
        For an unknown unit or a ``min_count`` below 1.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> p = pairs(match.find(corp.paragraphs, lex), corp, lex, unit="paragraph")
    >>> p[["concept_a", "concept_b", "count", "count_a", "count_b", "units"]].values.tolist()
    [['协商民主', '社区治理', 3, 3, 7, 9], ['党建引领', '社区治理', 2, 2, 7, 9], ['党建引领', '协商民主', 1, 2, 3, 9]]
    """
    _check(min_count)
    return _table(_tally(hits, corpus.paragraphs, lexicon, unit=unit, include_nested=include_nested), lexicon,
                  min_count=min_count)


def from_paths(paths, lexicon: Lexicon, settings: Settings | None = None, *, unit: Unit = "sentence",
               min_count: int = 1, include_nested: bool = False, **options) -> tuple[pd.DataFrame, Corpus]:
    """Co-occurrence of files, folders or tables, counted where each document is cleaned.

    The same table as :func:`pairs` on ``corpus.build(paths, settings)``,
    computed without holding the paragraphs: each worker counts the units of
    its documents (units never cross a document, nor a piece of a big file:
    pieces end at paragraph boundaries) and sends back only those counts,
    which add up.

    Returns
    -------
    table : DataFrame
        As :func:`pairs`.
    corpus : Corpus
        Without paragraphs (see :func:`analysis.text.corpus.clean`).

    Examples
    --------
    >>> from analysis import lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> table, corp = from_paths(SAMPLE_ESSAY, lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    >>> table[["concept_a", "concept_b", "count", "units"]].values.tolist()[0]
    ['党建引领', '社区治理', 2, 36]
    """
    _check(min_count)
    if unit not in UNITS:
        raise InputError(f"unknown unit '{unit}'; choose one of {', '.join(UNITS)}")
    settings = Settings.of(settings, **options)
    total = UnitTally()

    def collect(index: int, tally: UnitTally) -> None:
        total.add(tally)

    corp, _ = corpus_module.clean(corpus_module.read(paths, settings, lazy=True), settings,
                                  measure=DocumentUnits(lexicon, unit, include_nested), combine=UnitTally.sum,
                                  keep_paragraphs=False, collect=collect)
    return _table(total, lexicon, min_count=min_count), corp


@dataclass
class UnitTally:
    """Units holding each pair of concepts (``together``), each concept (``alone``), and all units (``units``)."""

    together: dict[tuple[str, str], int] = field(default_factory=dict)
    alone: dict[str, int] = field(default_factory=dict)
    units: int = 0

    def add(self, other: UnitTally) -> None:
        for pair, n in other.together.items():
            self.together[pair] = self.together.get(pair, 0) + n
        for concept, n in other.alone.items():
            self.alone[concept] = self.alone.get(concept, 0) + n
        self.units += other.units

    @staticmethod
    def sum(tallies: list[UnitTally]) -> UnitTally:
        total = UnitTally()
        for tally in tallies:
            total.add(tally)
        return total


class DocumentUnits:
    """A document's :class:`UnitTally`: a measure for :func:`analysis.text.corpus.clean` (given the cleaned
    paragraphs ``(line, section, section_title, text)``)."""

    takes_paragraphs = True

    def __init__(self, lexicon: Lexicon, unit: Unit, include_nested: bool):
        self.lexicon, self.unit, self.include_nested = lexicon, unit, include_nested
        self.matcher = Matcher(lexicon)  # pickles as its lexicon: a worker rebuilds it once

    def __call__(self, paragraphs: list[tuple[int, int, str, str]]) -> UnitTally:
        paras, hits = document_hits(paragraphs, self.lexicon, self.matcher)
        return _tally(hits, paras, self.lexicon, unit=self.unit, include_nested=self.include_nested)


def _check(min_count: int) -> None:
    if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
        raise InputError(f"the minimum count must be a whole number of 1 or more, not {min_count!r}")


def _tally(hits: pd.DataFrame, paragraphs: pd.DataFrame, lexicon: Lexicon, *, unit: Unit,
           include_nested: bool) -> UnitTally:
    """The units of these paragraphs holding each concept and each pair (containment is not co-occurrence)."""
    placed, n_units = _placed(hits, paragraphs, unit=unit)
    order = _concept_order(lexicon)
    sets = (placed.drop_duplicates(["doc", "para", "sent", "concept"])
            .assign(_o=lambda f: f.concept.map(order))
            .sort_values(["doc", "para", "sent", "_o"], kind="stable"))
    inside = {} if include_nested else containers(hits).groupby("row").inside.agg(frozenset).to_dict()
    rows_of = placed.groupby(["doc", "para", "sent", "concept"], sort=False).row.agg(list).to_dict() if inside else {}
    together: dict[tuple[str, str], int] = {}
    for key, concepts in sets.groupby(["doc", "para", "sent"], sort=False).concept.agg(list).items():
        for a, b in combinations(concepts, 2):
            if inside and not (_outside(rows_of[(*key, a)], b, inside) and _outside(rows_of[(*key, b)], a, inside)):
                continue
            together[(a, b)] = together.get((a, b), 0) + 1
    alone = {str(c): int(n) for c, n in sets.concept.value_counts().items()}
    return UnitTally(together, alone, n_units)


def _concept_order(lexicon: Lexicon) -> dict[str, int]:
    """Each concept's place in the lexicon (pairs are named in this order)."""
    return {c: i for i, c in enumerate(lexicon.table.concept.drop_duplicates())}


def _table(tally: UnitTally, lexicon: Lexicon, *, min_count: int) -> pd.DataFrame:
    """The pairs table of a tally: pairs in at least ``min_count`` units, with their association."""
    order = _concept_order(lexicon)
    rows = [(a, b, n, tally.alone[a], tally.alone[b]) for (a, b), n in tally.together.items() if n >= min_count]
    table = pd.DataFrame(rows, columns=COOCCUR_COLUMNS[:5])
    table["units"] = tally.units
    measures = association(table["count"], table["count_a"], table["count_b"], tally.units)
    table = pd.concat([table, measures], axis=1)
    table["_a"], table["_b"] = table.concept_a.map(order), table.concept_b.map(order)
    table = table.sort_values(["count", "npmi", "_a", "_b"], ascending=[False, False, True, True], kind="stable")
    for column in ("count", "count_a", "count_b", "units"):
        table[column] = table[column].astype("int64")
    return table[COOCCUR_COLUMNS].reset_index(drop=True)


def _outside(rows: list, other: str, inside: dict) -> bool:
    """Whether one of these occurrences lies outside every occurrence of ``other``."""
    return any(other not in inside.get(row, ()) for row in rows)


def association(count, count_a, count_b, units: int) -> pd.DataFrame:
    """PMI, normalised PMI and Jaccard from unit counts (formulas in the module docstring).

    Parameters
    ----------
    count, count_a, count_b : array-like of int
        Units with both concepts, with the first, with the second.
    units : int
        Units in the corpus.

    Returns
    -------
    DataFrame
        ``pmi, npmi, jaccard``, rounded to 4 decimals.

    Examples
    --------
    >>> association([1], [2], [2], 8).values.tolist()
    [[1.0, 0.3333, 0.3333]]
    """
    both = np.asarray(count, dtype=float)
    a = np.asarray(count_a, dtype=float)
    b = np.asarray(count_b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log2(both * units / (a * b))
        p_both = both / units
        npmi = np.where(p_both >= 1, 1.0, pmi / -np.log2(p_both))
        jaccard = both / (a + b - both)
    return pd.DataFrame({"pmi": pmi, "npmi": npmi, "jaccard": jaccard}).round(4)


def concept_units(hits: pd.DataFrame, corpus: Corpus, *, unit: Unit = "sentence") -> pd.DataFrame:
    """How many units contain each concept (node sizes of the network chart).

    Returns
    -------
    DataFrame
        ``concept, count, units``, highest count first.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> concept_units(match.find(corp.paragraphs, lex), corp, unit="paragraph").values.tolist()
    [['社区治理', 7, 9], ['协商民主', 3, 9], ['党建引领', 2, 9]]
    """
    placed, n_units = units_of(hits, corpus, unit=unit)
    counts = placed.drop_duplicates(["doc", "para", "sent", "concept"]).concept.value_counts()
    table = pd.DataFrame({"concept": counts.index.astype(str), "count": counts.to_numpy(dtype="int64")})
    table = table.sort_values(["count", "concept"], ascending=[False, True], kind="stable")
    return table.assign(units=n_units).reset_index(drop=True)

