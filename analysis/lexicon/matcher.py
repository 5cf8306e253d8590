"""A lexicon compiled for searching: the one place an Aho-Corasick automaton is built from a lexicon.

The matching rules, defined here once and read by counts, keyword in
context, co-occurrence and segmentation alike:

- A term occurs wherever it is a substring of a cleaned paragraph; overlapping
  occurrences all count (matching is exact and case-sensitive).
- No occurrence crosses a paragraph boundary (paragraphs are searched joined
  by line breaks, which no term contains).
- ``standalone``: the occurrence does not lie inside an occurrence of a
  longer lexicon term (党组织 inside 基层党组织 is not standalone).
- ``concept_hit``: the occurrence does not lie inside a longer occurrence of
  the same concept. These are the concept's occurrences: 基层协商民主 counts
  once for 协商民主, not twice. Whether an occurrence is a ``concept_hit``
  depends only on the terms of its own concept, never on other concepts.
- A concept occurrence that is not ``standalone`` lies inside an occurrence
  of another, longer concept (中国特色社会主义 inside
  习近平新时代中国特色社会主义思想): it is *nested*. It still counts for its
  concept; tables say how many of a concept's occurrences are nested, and
  co-occurrence does not take containment for association.

Three automata serve three uses, all built here (lazily, once per matcher):
overlapping matches over text (positions, :meth:`Matcher.occurrences`),
overlapping matches over UTF-8 bytes (counts only, the fastest,
:meth:`Matcher.document_counts`), and leftmost-longest matches (segmentation
keeps terms whole, :meth:`Matcher.leftmost_longest`). A matcher pickles as
its lexicon and is rebuilt in worker processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick_rs
import numpy as np

from analysis.lexicon.dictionary import Lexicon

_NONE_FOUND = np.zeros((5, 0), dtype=np.int32)
_NONE_FOUND.flags.writeable = False


def inside_longer(start: np.ndarray, end: np.ndarray, group: np.ndarray) -> np.ndarray:
    """For each span, whether another span of the same group strictly contains it.

    Sorting by (group, start, longest first) puts every containing span before
    the spans it contains, so a span is contained exactly when the running
    maximum of earlier ends in its group reaches its own end. Equal spans
    cannot occur within a group (a term is listed once), so containment is
    always by a longer span.

    Examples
    --------
    >>> inside_longer(np.array([2, 4]), np.array([8, 8]), np.array([0, 0])).tolist()
    [False, True]
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


@dataclass(frozen=True)
class Occurrences:
    """Every occurrence in a text, ordered by start (longest first): arrays of equal length."""

    term: np.ndarray
    start: np.ndarray
    end: np.ndarray
    standalone: np.ndarray
    concept_hit: np.ndarray


class Matcher:
    """A lexicon compiled for searching; build once, use on many texts.

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> m = Matcher(from_terms({"协商民主": ["协商民主", "基层协商民主"]}))
    >>> m.spans("推进基层协商民主")
    [(1, 2, 8), (0, 4, 8)]
    >>> m.document_counts(["推进基层协商民主"]).tolist()  # terms found; occurrences, standalone, concept_hit, both
    [[0, 1], [1, 1], [0, 1], [0, 1], [0, 1]]
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.terms = lexicon.terms
        self.concept_codes = lexicon.concept_codes
        self._automata: dict[str, object] = {}

    def __reduce__(self):  # automata do not pickle: a worker rebuilds them from the lexicon
        return (Matcher, (self.lexicon,))

    def _automaton(self, kind: str):
        automaton = self._automata.get(kind)
        if automaton is None and self.terms:
            implementation = ahocorasick_rs.Implementation.DFA  # ~2x faster than the default NFA
            if kind == "bytes":
                automaton = ahocorasick_rs.BytesAhoCorasick(
                    [t.encode("utf-8") for t in self.terms], matchkind=ahocorasick_rs.MatchKind.Standard,
                    implementation=implementation)
            else:
                matchkind = (ahocorasick_rs.MatchKind.LeftmostLongest if kind == "longest"
                             else ahocorasick_rs.MatchKind.Standard)
                automaton = ahocorasick_rs.AhoCorasick(self.terms, matchkind=matchkind, implementation=implementation)
            self._automata[kind] = automaton
        return automaton

    def raw_spans(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence as ``(term index, start, end)``, overlapping ones included, in the automaton's order."""
        automaton = self._automaton("text")
        return automaton.find_matches_as_indexes(text, overlapping=True) if automaton is not None and text else []

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence as ``(term index, start, end)``, sorted by start (longest first)."""
        return sorted(self.raw_spans(text), key=lambda t: (t[1], -t[2]))

    def classify(self, term: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The ``standalone`` and ``concept_hit`` flags of occurrences (the rules of this module)."""
        standalone = ~inside_longer(start, end, np.zeros_like(start))
        concept_hit = ~inside_longer(start, end, self.concept_codes[term])
        return standalone, concept_hit

    def occurrences(self, text: str) -> Occurrences:
        """Every occurrence in ``text`` with character offsets and both flags, ordered by start (longest first).

        Examples
        --------
        >>> from analysis.lexicon import from_terms
        >>> found = Matcher(from_terms({"协商民主": ["协商民主", "基层协商民主"]})).occurrences("推进基层协商民主")
        >>> found.term.tolist(), found.concept_hit.tolist()
        ([1, 0], [True, False])
        """
        arr = np.array(self.raw_spans(text), dtype=np.int64).reshape(-1, 3)
        arr = arr[np.lexsort((-arr[:, 2], arr[:, 1]))]
        term, start, end = arr[:, 0], arr[:, 1], arr[:, 2]
        standalone, concept_hit = self.classify(term, start, end)
        return Occurrences(term, start, end, standalone, concept_hit)

    def document_counts(self, paragraphs: Sequence[str]) -> np.ndarray:
        """How often each term occurs in a document's paragraphs, for the terms that occur (a sparse vector).

        The same numbers as counting the rows of :meth:`occurrences` on the
        paragraphs joined by line breaks, computed on UTF-8 bytes without
        positions (containment does not depend on the unit of the offsets).
        Only the terms that occur are returned, so a document costs a few
        bytes per term found, not per term of the lexicon.

        Returns
        -------
        ndarray of int32, shape (5, k)
            Row 0: indexes of the terms that occur, ascending; rows 1-4, per
            term: occurrences, ``standalone`` ones, ``concept_hit`` ones, and
            ``concept_hit`` ones that are also standalone (not inside an
            occurrence of another concept). One array per document keeps a
            million documents small.
        """
        automaton = self._automaton("bytes")
        text = "\n".join(paragraphs)
        found = automaton.find_matches_as_indexes(text.encode("utf-8", "surrogatepass"), overlapping=True) \
            if automaton is not None and text else []
        if not found:
            return _NONE_FOUND
        arr = np.array(found, dtype=np.int64).reshape(-1, 3)
        term, start, end = arr[:, 0], arr[:, 1], arr[:, 2]
        standalone, concept_hit = self.classify(term, start, end)
        present, inverse = np.unique(term, return_inverse=True)
        k = len(present)
        return np.stack([present, np.bincount(inverse, minlength=k), np.bincount(inverse[standalone], minlength=k),
                         np.bincount(inverse[concept_hit], minlength=k),
                         np.bincount(inverse[concept_hit & standalone], minlength=k)]).astype(np.int32)

    def leftmost_longest(self, text: str) -> list[tuple[int, int, int]]:
        """Non-overlapping occurrences, leftmost first and longest at each place (how segmentation keeps terms whole).

        Examples
        --------
        >>> from analysis.lexicon import from_terms
        >>> Matcher(from_terms({"党建引领": ["党建引领", "党建"]})).leftmost_longest("以党建引领治理")
        [(0, 1, 5)]
        """
        automaton = self._automaton("longest")
        return automaton.find_matches_as_indexes(text) if automaton is not None and text else []
