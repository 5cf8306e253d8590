"""Finding every occurrence of every lexicon term, once per corpus.

The matching rules (the same for counts, keyword-in-context and co-occurrence):

- A term occurs wherever it is a substring of a cleaned paragraph; overlapping
  occurrences all count (matching is exact and case-sensitive).
- No occurrence crosses a paragraph boundary.
- ``standalone``: the occurrence does not lie inside an occurrence of a
  longer lexicon term (党组织 inside 基层党组织 is not standalone).
- ``concept_hit``: the occurrence does not lie inside a longer occurrence of
  the same concept. These rows are the concept's occurrences: 基层协商民主
  counts once for 协商民主, not twice. Whether a row is a ``concept_hit``
  depends only on the terms of its own concept, never on other concepts.

All terms are searched in one pass with an Aho-Corasick automaton
(``ahocorasick_rs``) over the paragraphs joined by line breaks, which no term
contains.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.lexicon import Lexicon

HIT_COLUMNS = ["doc", "section", "para", "start", "end", "term", "concept", "category", "standalone", "concept_hit"]


class Matcher:
    """A lexicon compiled for searching; build once, use on many texts.

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> m = Matcher(from_terms({"协商民主": ["协商民主", "基层协商民主"]}))
    >>> m.spans("推进基层协商民主")
    [(1, 2, 8), (0, 4, 8)]
    """

    def __init__(self, lexicon: Lexicon):
        import ahocorasick_rs

        self.lexicon = lexicon
        self.terms = lexicon.terms
        self._automaton = ahocorasick_rs.AhoCorasick(self.terms, matchkind=ahocorasick_rs.MatchKind.Standard,
                                                     implementation=ahocorasick_rs.Implementation.DFA)  # ~2x faster

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence as ``(term index, start, end)``, overlapping ones included, sorted by start."""
        return sorted(self.raw_spans(text), key=lambda t: (t[1], -t[2]))

    def raw_spans(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence as ``(term index, start, end)``, in the automaton's order."""
        return self._automaton.find_matches_as_indexes(text, overlapping=True)


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
    >>> import pandas as pd
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
    found = matcher.raw_spans("\n".join(texts)) if texts else []
    arr = np.array(found, dtype=np.int64).reshape(-1, 3)
    arr = arr[np.lexsort((-arr[:, 2], arr[:, 1]))]
    term_idx, start, end = arr[:, 0], arr[:, 1], arr[:, 2]
    row = np.searchsorted(offsets, start, side="right") - 1
    table = lexicon.table
    concept_codes, concept_names = pd.factorize(table.concept)
    standalone = ~_inside_longer(start, end, np.zeros_like(start))
    concept_hit = ~_inside_longer(start, end, concept_codes[term_idx])
    hits = pd.DataFrame({
        "doc": paragraphs["doc"].to_numpy()[row],
        "section": paragraphs["section"].to_numpy()[row],
        "para": paragraphs["para"].to_numpy()[row],
        "start": start - offsets[row],
        "end": end - offsets[row],
        "term": pd.Categorical.from_codes(term_idx, categories=table.term),
        "concept": pd.Categorical.from_codes(concept_codes[term_idx], categories=concept_names),
        "category": table.category.to_numpy()[term_idx],
        "standalone": standalone,
        "concept_hit": concept_hit,
    }, columns=HIT_COLUMNS)
    return hits.reset_index(drop=True)


def _inside_longer(start: np.ndarray, end: np.ndarray, group: np.ndarray) -> np.ndarray:
    """For each span, whether another span of the same group strictly contains it.

    Sorting by (group, start, longest first) puts every containing span before
    the spans it contains, so a span is contained exactly when the running
    maximum of earlier ends in its group reaches its own end. Equal spans
    cannot occur within a group (a term is listed once), so containment is
    always by a longer span.
    """
    if len(start) == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((-end, start, group))
    g, e = group[order], end[order]
    # Shift each group's ends above every earlier group's so one running max serves all groups.
    span = int(end.max()) + 1
    shifted = g * span + e
    running = np.maximum.accumulate(shifted)
    previous = np.concatenate(([-1], running[:-1]))
    contained_sorted = (previous >= shifted) & (np.concatenate(([False], g[1:] == g[:-1])))
    contained = np.empty_like(contained_sorted)
    contained[order] = contained_sorted
    return contained
