"""The explorer's numbers: one pass over a corpus, every view read from it.

A :class:`Model` reads and cleans a corpus once, finds every lexicon match once
(:func:`analysis.measure.match.find`), and computes from those matches, once,
the tables every view reads: concept totals (:func:`analysis.measure.count.concepts`),
rates by group (:func:`analysis.measure.trends.rates`), counts by document,
co-occurring pairs (:func:`analysis.measure.cooccur.pairs`) and the keyness of
the chosen period (:func:`analysis.measure.keyness.concepts`). Choosing another
concept only selects rows; keyword-in-context lines
(:func:`analysis.measure.kwic.lines`) reuse the matches. So every number is
the number the command line gives for the same corpus and settings.

:class:`Models` keeps one model per setting (de-duplication on/off, …), so
switching a toggle back and forth computes each side once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from analysis.config import DEFAULT_LEXICON, Settings
from analysis.errors import InputError
from analysis.lexicon import Lexicon
from analysis.lexicon import load as load_lexicon
from analysis.measure import cooccur, count, keyness, kwic, match, trends, words
from analysis.measure.segment import Segmenter
from analysis.text import corpus as corpus_module
from analysis.text.corpus import Corpus

#: Columns of :meth:`Model.partners`: the other concept of each pair with the chosen one.
PARTNER_COLUMNS = ["concept", "partner", "count", "count_a", "count_b", "units", "npmi", "jaccard"]


def default_split(corp: Corpus, by: str) -> str | None:
    """The period split of a corpus: ``by`` at its median (``"year >= 1997"`` on the congress reports),
    or None when ``by`` is not a column of numbers with at least two values.

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import CORPORA_DIR, SAMPLE_ESSAY
    >>> default_split(corpus.build(CORPORA_DIR / "cpc-congress-reports"), "year")
    'year >= 1997'
    >>> default_split(corpus.build(SAMPLE_ESSAY), "doc") is None
    True
    """
    if by not in corp.docs.columns or not pd.api.types.is_numeric_dtype(corp.docs[by]):
        return None
    if corp.docs[by].dropna().nunique() < 2:
        return None
    return keyness.median_split(corp, by)


class Model:
    """One corpus with one lexicon and one set of settings, matched once; the views' tables.

    Parameters
    ----------
    corp : Corpus
        The cleaned corpus.
    lexicon : Lexicon
        The concepts.
    by : str, optional
        Grouping of the trend: a metadata column or ``"doc"`` (default:
        ``"year"`` when the documents have one, else ``"doc"``).
    split : str, optional
        The period split of the keyness view, e.g. ``"year >= 2012"``
        (``None`` or ``""``: :func:`default_split`, the median; no keyness when there is none).
    unit : {"sentence", "paragraph"}, default "sentence"
        Co-occurrence unit.
    width : int, default 20
        Characters of context on each side of a keyword.

    Examples
    --------
    >>> from analysis.config import CORPORA_DIR
    >>> m = Model.build(CORPORA_DIR / "cpc-congress-reports", split="year >= 2012")
    >>> m.split, m.total("协商民主"), len(m.kwic("协商民主"))
    ('year >= 2012', 19, 19)
    >>> m.key("协商民主")[["target_count", "reference_count"]].values.tolist()
    [[19, 0]]
    """

    def __init__(self, corp: Corpus, lexicon: Lexicon, *, by: str | None = None, split: str | None = None,
                 unit: cooccur.Unit = "sentence", width: int = 20, settings: Settings | None = None):
        self.corpus = corp
        self.lexicon = lexicon
        self.settings = Settings.of(settings)
        self.by = by or ("year" if "year" in corp.metadata_columns else "doc")
        self.width = width
        self.hits = match.find(corp.paragraphs, lexicon)
        self.totals = count.concepts(self.hits, corp, lexicon)
        self.rates = trends.rates(self.hits, corp, lexicon, by=self.by)
        self.by_doc = count.concepts(self.hits, corp, lexicon, by="doc")
        self.pairs = cooccur.pairs(self.hits, corp, lexicon, unit=unit)
        self.split = (split or "").strip() or default_split(corp, self.by)
        if self.split:
            target, reference = keyness.split(corp, self.split)
            self.keyness = keyness.concepts(target, reference, lexicon)
        else:
            self.keyness = pd.DataFrame(columns=keyness.KEYNESS_COLUMNS)
        self._lines: pd.DataFrame | None = None
        self._plain_words: pd.DataFrame | None = None

    @classmethod
    def build(cls, paths: str | Path | Sequence[str | Path], lexicon: Lexicon | str | Path | None = None,
              settings: Settings | None = None, **view) -> Model:
        """Read, clean and match a corpus: ``Model(corpus.build(paths, settings), lexicon, **view)``."""
        lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon or DEFAULT_LEXICON)
        settings = Settings.of(settings)
        return cls(corpus_module.build(paths, settings), lex, settings=settings, **view)

    @property
    def concepts(self) -> pd.DataFrame:
        """``concept, category, count, terms``, lexicon order: what the concept picker lists."""
        return self.totals[["concept", "category", "count", "terms"]]

    def check(self, concept: str) -> str:
        """``concept`` if it is a concept of the lexicon; else one sentence naming a few that are."""
        if concept not in set(self.totals.concept):
            names = ", ".join(self.totals.concept.head(5))
            raise InputError(f"'{concept}' is not a concept of the lexicon (e.g. {names}); choose one of its "
                             "concepts", parameter="concept")
        return concept

    def total(self, concept: str) -> int:
        """The concept's count in the whole corpus (``count`` of :func:`analysis.measure.count.concepts`)."""
        return int(self.totals.set_index("concept").at[self.check(concept), "count"])

    def trend(self, concepts: Sequence[str]) -> pd.DataFrame:
        """Rates of these concepts by group, with their denominators (rows of :func:`trends.rates`)."""
        chosen = [self.check(c) for c in concepts]
        return self.rates[self.rates.concept.isin(chosen)].reset_index(drop=True)

    def kwic(self, concept: str) -> pd.DataFrame:
        """The concept's counted occurrences in context: the rows of :func:`kwic.lines` for it."""
        return self.lines[self.lines.concept == self.check(concept)].reset_index(drop=True)

    @property
    def lines(self) -> pd.DataFrame:
        """Keyword-in-context lines of every concept (:func:`kwic.concept_lines`, from the matches; made once)."""
        if self._lines is None:
            self._lines = kwic.concept_lines(self.corpus, self.hits, width=self.width)
        return self._lines

    def plain_word_counts(self) -> pd.DataFrame:
        """Word frequencies (:func:`analysis.measure.words.frequencies`) after plain jieba segmentation,
        the usual way of counting that splits 党建引领 into 党建/引领; made once."""
        if self._plain_words is None:
            self._plain_words = words.frequencies(self.corpus, Segmenter(),
                                                  settings=replace(self.settings, progress=False))
        return self._plain_words

    def partners(self, concept: str) -> pd.DataFrame:
        """The concepts found with this one (pairs of :func:`cooccur.pairs` that contain it), most often first."""
        rows = self.partner_table[self.partner_table.concept == self.check(concept)]
        return rows.reset_index(drop=True)

    @property
    def partner_table(self) -> pd.DataFrame:
        """Every pair twice, once from each side: ``concept, partner, count, count_a`` (units with
        ``concept``), ``count_b`` (units with ``partner``), ``units, npmi, jaccard``; most units first."""
        shared = ["count", "units", "npmi", "jaccard"]
        forward = self.pairs.rename(columns={"concept_a": "concept", "concept_b": "partner"})
        backward = self.pairs.rename(columns={"concept_b": "concept", "concept_a": "partner",
                                              "count_a": "count_b", "count_b": "count_a"})
        both = pd.concat([forward, backward], ignore_index=True)[["concept", "partner", "count_a", "count_b", *shared]]
        return both.sort_values("count", ascending=False, kind="stable")[PARTNER_COLUMNS].reset_index(drop=True)

    def densest(self, concept: str, *, top: int = 5) -> pd.DataFrame:
        """The ``top`` documents where the concept is densest (highest ``per_10k``, then count), with metadata."""
        rows = self.by_doc[(self.by_doc.concept == self.check(concept)) & (self.by_doc["count"] > 0)]
        rows = rows.sort_values(["per_10k", "count"], ascending=False, kind="stable").head(top)
        meta = [c for c in ("year", "title") if c in self.corpus.docs.columns]
        return rows.merge(self.corpus.docs[["doc", *meta]], on="doc", how="left")[
            ["doc", *meta, "concept", "count", "chars", "per_10k"]].reset_index(drop=True)

    def key(self, concept: str) -> pd.DataFrame:
        """The concept's row of the period keyness (empty without a split)."""
        return self.keyness[self.keyness.item == self.check(concept)].reset_index(drop=True)


@dataclass(frozen=True)
class Source:
    """What a model is built from, besides the settings: inputs, lexicon and view options."""

    paths: tuple[str, ...]
    lexicon: Lexicon
    by: str | None = None
    split: str | None = None
    width: int = 20


class Models:
    """One :class:`Model` per settings for the same inputs, each computed once (the toggles switch between them).

    Examples
    --------
    >>> from analysis.config import LEXICON_DIR, SAMPLE_ESSAY
    >>> models = Models(SAMPLE_ESSAY, LEXICON_DIR / "sample-concepts.csv")
    >>> models.get(Settings()).total("党建引领"), models.get(Settings(keep_duplicates=True)).total("党建引领")
    (4, 7)
    >>> models.get(Settings()) is models.get(Settings())
    True
    """

    def __init__(self, paths: str | Path | Sequence[str | Path], lexicon: Lexicon | str | Path | None = None, *,
                 by: str | None = None, split: str | None = None, width: int = 20):
        items = [paths] if isinstance(paths, (str, Path)) else list(paths)
        lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon or DEFAULT_LEXICON)
        self.source = Source(tuple(str(p) for p in items), lex, by, split, width)
        self._models: dict[Settings, Model] = {}

    def get(self, settings: Settings | None = None) -> Model:
        """The model of these settings (built on first use)."""
        settings = Settings.of(settings)
        if settings not in self._models:
            s = self.source
            self._models[settings] = Model.build(list(s.paths), s.lexicon, settings, by=s.by, split=s.split,
                                                 width=s.width)
        return self._models[settings]
