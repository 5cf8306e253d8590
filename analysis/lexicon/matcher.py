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
from itertools import chain

import ahocorasick_rs
import numpy as np

from analysis.lexicon.dictionary import Lexicon

_NONE_FOUND = np.zeros((5, 0), dtype=np.int32)
_NONE_FOUND.flags.writeable = False
_NO_SPANS = (np.zeros(0, dtype=np.int64),) * 3


def inside_longer(start: np.ndarray, end: np.ndarray, group: np.ndarray | None = None) -> np.ndarray:
    """For each span, whether another span of the same group strictly contains it.

    Spans are visited by end (latest first) and, among equal ends, by start
    (longest first): every span that contains a span comes before it, so a
    span is contained exactly when the smallest start seen so far in its group
    is at or before its own start. Equal spans cannot occur within a group (a
    term is listed once), so containment is always by a longer span. Spans in
    the order the automaton reports them (by end, then by start) are put in
    that order without sorting.

    Parameters
    ----------
    start, end : ndarray of int
        The spans.
    group : ndarray of int, optional
        Containment counts only within a group (e.g. a concept); default: all
        spans are one group.

    Examples
    --------
    >>> inside_longer(np.array([2, 4]), np.array([8, 8])).tolist()
    [False, True]
    >>> inside_longer(np.array([2, 4]), np.array([8, 8]), np.array([0, 1])).tolist()
    [False, False]
    """
    n = len(start)
    if n < 2:
        return np.zeros(n, dtype=bool)
    order = _latest_end_first(start, end)
    if group is not None:
        order = order[np.argsort(group[order], kind="stable")]
        span = int(start.max()) + 1
        key = start[order] - group[order] * span  # groups apart: an earlier group never reaches a later one's keys
    else:
        key = start[order]
    running = np.minimum.accumulate(key)
    contained_sorted = np.empty(n, dtype=bool)
    contained_sorted[0] = False
    contained_sorted[1:] = running[:-1] <= key[1:]
    contained = np.empty(n, dtype=bool)
    contained[order] = contained_sorted
    return contained


def _latest_end_first(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The order of spans by end descending, then start ascending."""
    if len(end) > 1:
        step = np.diff(end)
        same = step == 0
        if (step >= 0).all() and (np.diff(start)[same] > 0).all():  # automaton order: reverse the runs of equal ends
            first = np.flatnonzero(np.concatenate(([True], ~same)))
            lengths = np.diff(np.append(first, len(end)))
            first, lengths = first[::-1], lengths[::-1]
            offsets = np.cumsum(lengths) - lengths
            return np.repeat(first - offsets, lengths) + np.arange(len(end))
    return np.lexsort((start, -end))


@dataclass(frozen=True)
class Occurrences:
    """Every occurrence in a text, ordered by start (longest first): arrays of equal length."""

    term: np.ndarray
    start: np.ndarray
    end: np.ndarray
    standalone: np.ndarray
    concept_hit: np.ndarray


def add_counts(vectors: Sequence[np.ndarray]) -> np.ndarray:
    """The :meth:`Matcher.document_counts` of a document given in pieces: the pieces' counts added up.

    Examples
    --------
    >>> a = np.array([[0, 3], [1, 1], [1, 0], [1, 1], [1, 0]], dtype=np.int32)
    >>> b = np.array([[3], [2], [2], [2], [2]], dtype=np.int32)
    >>> add_counts([a, b]).tolist()
    [[0, 3], [1, 3], [1, 2], [1, 3], [1, 2]]
    """
    stacked = np.concatenate([_NONE_FOUND, *vectors], axis=1)
    if not stacked.shape[1]:
        return _NONE_FOUND
    present, inverse = np.unique(stacked[0], return_inverse=True)
    rows = [np.bincount(inverse, weights=row, minlength=len(present)) for row in stacked[1:]]
    return np.stack([present, *rows]).astype(np.int32)


def _as_array(found: list[tuple[int, int, int]]) -> np.ndarray:
    """Matches as an (n, 3) int64 array (``fromiter`` over the flattened tuples: about twice ``np.array``'s speed)."""
    return np.fromiter(chain.from_iterable(found), dtype=np.int64, count=3 * len(found)).reshape(-1, 3)


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
        self._shared_concept = np.bincount(self.concept_codes)[self.concept_codes] > 1 \
            if len(self.concept_codes) else np.zeros(0, dtype=bool)
        # Counting (document_counts) finds one-character terms by code point, the rest with the byte automaton:
        # one-character terms (的, 党) would otherwise be most of the automaton's matches.
        lengths = np.fromiter(map(len, self.terms), dtype=np.int64, count=len(self.terms))
        self._longer = np.flatnonzero(lengths > 1)
        single = np.flatnonzero(lengths == 1)
        points = np.fromiter((ord(self.terms[i]) for i in single), dtype=np.int64, count=len(single))
        self._single_term_of = np.full(int(points.max()) + 1 if len(points) else 0, -1, dtype=np.int64)
        self._single_term_of[points] = single  # code point -> term index (-1: none)
        self._automata: dict[str, object] = {}

    def __reduce__(self):  # automata do not pickle: a worker rebuilds them from the lexicon
        return (Matcher, (self.lexicon,))

    def _automaton(self, kind: str):
        automaton = self._automata.get(kind)
        if automaton is None and self.terms:
            implementation = ahocorasick_rs.Implementation.DFA  # ~2x faster than the default NFA
            if kind == "bytes":  # the terms of two or more characters (see __init__)
                if not len(self._longer):
                    return None
                automaton = ahocorasick_rs.BytesAhoCorasick(
                    [self.terms[i].encode("utf-8") for i in self._longer], matchkind=ahocorasick_rs.MatchKind.Standard,
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
        return ~inside_longer(start, end), self._concept_hits(term, start, end)

    def _concept_hits(self, term: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        concept_hit = np.ones(len(term), dtype=bool)
        shared = self._shared_concept[term]  # only a concept with several terms can contain its own occurrences
        if shared.any():
            concept_hit[shared] = ~inside_longer(start[shared], end[shared], self.concept_codes[term[shared]])
        return concept_hit

    def occurrences(self, text: str) -> Occurrences:
        """Every occurrence in ``text`` with character offsets and both flags, ordered by start (longest first).

        Examples
        --------
        >>> from analysis.lexicon import from_terms
        >>> found = Matcher(from_terms({"协商民主": ["协商民主", "基层协商民主"]})).occurrences("推进基层协商民主")
        >>> found.term.tolist(), found.concept_hit.tolist()
        ([1, 0], [True, False])
        """
        arr = _as_array(self.raw_spans(text))
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
        text = "\n".join(paragraphs)
        if not text:
            return _NONE_FOUND
        data = text.encode("utf-8", "surrogatepass")
        automaton = self._automaton("bytes")
        arr = _as_array(automaton.find_matches_as_indexes(data, overlapping=True) if automaton is not None else [])
        term, start, end = self._longer[arr[:, 0]], arr[:, 1], arr[:, 2]
        standalone = ~inside_longer(start, end)
        single_term, single_start, single_end = self._single_occurrences(text)
        if len(single_term):  # a one-character occurrence is standalone unless a longer occurrence covers it
            covered = np.cumsum(np.bincount(start, minlength=len(data) + 1)[:len(data)]
                                - np.bincount(end, minlength=len(data) + 1)[:len(data)]) > 0
            standalone = np.concatenate([standalone, ~covered[single_start]])
            term, start, end = (np.concatenate(pair) for pair in
                                ((term, single_term), (start, single_start), (end, single_end)))
        if not len(term):
            return _NONE_FOUND
        concept_hit = self._concept_hits(term, start, end)
        if len(term) * 4 >= len(self.terms):  # many matches: count over all terms, keep those found
            size = len(self.terms)
            occurrences = np.bincount(term, minlength=size)
            present = np.flatnonzero(occurrences)
            inverse, k = term, size
        else:
            present, inverse = np.unique(term, return_inverse=True)
            k = len(present)
            occurrences = np.bincount(inverse, minlength=k)
            size = None
        rows = [occurrences, np.bincount(inverse[standalone], minlength=k), np.bincount(inverse[concept_hit], minlength=k),
                np.bincount(inverse[concept_hit & standalone], minlength=k)]
        if size is not None:
            rows = [row[present] for row in rows]
        return np.stack([present, *rows]).astype(np.int32)

    def _single_occurrences(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Occurrences of the one-character terms: term indexes and UTF-8 byte offsets, by position."""
        size = len(self._single_term_of)
        if not size:
            return _NO_SPANS
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        found = self._single_term_of[np.minimum(points, size - 1)]
        where = np.flatnonzero((found >= 0) & (points < size))
        if not len(where):
            return _NO_SPANS
        width = 1 + (points >= 0x80).astype(np.int64) + (points >= 0x800) + (points >= 0x10000)  # UTF-8 bytes
        starts = (np.cumsum(width) - width)[where]
        return found[where], starts, starts + width[where]

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
