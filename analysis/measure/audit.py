"""Auditing a lexicon against a corpus: is every term attested, how would plain jieba split it, what nests in what.

Curating a concept dictionary from memory produces terms nobody writes and
misses the variants everybody writes. The audit lists, for every term, what
the data say about it, so choices can be made against the texts.
"""

from __future__ import annotations

import pandas as pd

from analysis.lexicon import Lexicon
from analysis.measure import count, match
from analysis.measure.segment import plain_split
from analysis.text.corpus import Corpus

AUDIT_COLUMNS = ["category", "concept", "term", "count", "standalone", "docs", "first_year", "last_year",
                 "jieba_split", "split_by_jieba", "contains", "contained_in", "unattested", "before_since"]
EARLY_YEARS = 3  # before_since: the concept is attested more than this many years before its since year


def nesting(terms: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """For each term, the other terms it contains and the other terms containing it.

    Examples
    --------
    >>> contains, contained_in = nesting(["协商民主", "基层协商民主", "基层"])
    >>> contains["基层协商民主"], contained_in["协商民主"]
    (['协商民主', '基层'], ['基层协商民主'])
    """
    contains = {t: [o for o in terms if o != t and o in t] for t in terms}
    contained_in = {t: [o for o in terms if o != t and t in o] for t in terms}
    return contains, contained_in


def audit(corpus: Corpus, lexicon: Lexicon) -> pd.DataFrame:
    """One row per lexicon term with its evidence in the corpus.

    Parameters
    ----------
    corpus : Corpus
        Where to look; with a ``year`` metadata column, first and last years are filled in.
    lexicon : Lexicon
        The lexicon to audit.

    Returns
    -------
    DataFrame
        ``category, concept, term, count, standalone, docs, first_year,
        last_year, jieba_split, split_by_jieba, contains, contained_in,
        unattested, before_since``; ``jieba_split`` is how plain jieba cuts the term
        (``党建/引领``), ``split_by_jieba`` whether that is more than one
        token, ``contains``/``contained_in`` other lexicon terms joined by
        ``/``; ``unattested`` is the lexicon's own flag;
        ``before_since`` (same on every term of a concept) is true when the
        concept is attested in a text dated more than ``EARLY_YEARS`` (3)
        years before the concept's ``since`` year.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> table = audit(corpus.build(SAMPLE_ESSAY), lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    >>> table.set_index("term").loc["协商民主", ["jieba_split", "contained_in"]].tolist()
    ['协商/民主', '基层协商民主']
    >>> int(table.set_index("term").loc["协商民主", "count"])
    3
    """
    hits = match.find(corpus.paragraphs, lexicon)
    terms = count.terms(hits, corpus, lexicon).set_index("term")
    years = _years(hits, corpus)
    contains, contained_in = nesting(lexicon.terms)
    first_of_term = pd.Series({t: first for t, (first, _) in years.items()}, dtype="float64")
    first_of_concept = first_of_term.reindex(lexicon.table.term).groupby(lexicon.table.concept.to_numpy()).min()
    rows = []
    for entry in lexicon.table.itertuples(index=False):
        split = plain_split(entry.term)
        first, last = years.get(entry.term, (pd.NA, pd.NA))
        rows.append({
            "category": entry.category, "concept": entry.concept, "term": entry.term,
            "count": int(terms.loc[entry.term, "count"]), "standalone": int(terms.loc[entry.term, "standalone"]),
            "docs": int(terms.loc[entry.term, "docs"]), "first_year": first, "last_year": last,
            "jieba_split": split, "split_by_jieba": "/" in split,
            "contains": "/".join(contains[entry.term]), "contained_in": "/".join(contained_in[entry.term]),
            "unattested": bool(entry.unattested),
            "before_since": bool(pd.notna(entry.since) and first_of_concept.get(entry.concept, float("nan"))
                                 < entry.since - EARLY_YEARS),
        })
    table = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    return table.astype({"first_year": "Int64", "last_year": "Int64"})


def _years(hits: pd.DataFrame, corpus: Corpus) -> dict[str, tuple[int, int]]:
    """First and last year of each term, when documents have a numeric ``year``."""
    if "year" not in corpus.docs.columns or hits.empty:
        return {}
    year = pd.to_numeric(corpus.docs.set_index("doc")["year"], errors="coerce")
    found = pd.DataFrame({"term": hits.term.astype(str), "year": year.reindex(hits.doc).to_numpy()}).dropna()
    spans = found.groupby("term").year.agg(["min", "max"])
    return {t: (int(r["min"]), int(r["max"])) for t, r in spans.iterrows()}
