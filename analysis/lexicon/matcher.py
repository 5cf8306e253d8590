"""A lexicon compiled for searching: the one place an Aho-Corasick automaton or a trie is built from a lexicon.

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

Occurrences are found by two means, both built here (lazily, once per
matcher): a character trie walked over all positions of a text at once with
numpy (:class:`~analysis.lexicon.trie.Trie`: arrays, no Python object per
occurrence) and Aho-Corasick automata (overlapping matches, and
leftmost-longest ones for segmentation, :meth:`Matcher.leftmost_longest`).
:meth:`Matcher.document_counts` uses the trie for long texts and for
lexicons with many one- and two-character terms (more than one occurrence
per character of text), and the automaton for short texts of other
lexicons, where a few numpy calls per character depth cost more than the
automaton's few matches (measured: see :data:`TRIE_MIN_CHARS`). Both give the
same occurrences; the rules above are applied to them by the same functions.
A matcher pickles as its lexicon and is rebuilt in worker processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import ahocorasick_rs
import numpy as np

from analysis.lexicon.dictionary import Lexicon
from analysis.lexicon.trie import Trie

_NONE_FOUND = np.zeros((5, 0), dtype=np.int32)
_NONE_FOUND.flags.writeable = False
#: Texts of at least this many characters are searched with the trie (shorter ones: see TRIE_SHORT_TERMS).
TRIE_MIN_CHARS = 4096
#: A lexicon with at least this many terms of one or two characters is searched with the trie whatever the length.
TRIE_SHORT_TERMS = 1000
#: Documents are counted in pieces of about this many characters (whole paragraphs): small arrays, fewer cache misses.
PIECE_CHARS = 1 << 15
_NO_SPANS = (np.zeros(0, dtype=np.int64),) * 3


def inside_longer(start: np.ndarray, end: np.ndarray, group: np.ndarray | None = None) -> np.ndarray:
    """For each span, whether another span of the same group strictly contains it.

    Without groups: a span is contained exactly when a span starting at the
    same place ends later, or one starting earlier ends at or after its end
    (the largest end per start position, and its running maximum). With
    groups, spans are visited by start and, among equal starts, longest first: every
    span that contains a span comes before it, so a span is contained exactly
    when the largest end seen so far in its group is at or after its own end.
    Equal spans cannot occur within a group (a term is listed once), so
    containment is always by a longer span. The visiting order is a stable
    sort of one integer key per span, which is fast when the spans come in
    runs already in that order (as :class:`~analysis.lexicon.trie.Trie` gives
    them: by length, then by start).

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
    if group is None:  # one group: no sort needed, the largest end per start position says it all
        reach = np.full(int(end.max()) + 2, -1, dtype=np.int64)  # start position -> largest end of spans there
        np.maximum.at(reach, start, end)
        earlier = np.maximum.accumulate(reach)[:-1]  # earlier[p + 1]: largest end of spans starting at p or before
        return (reach[start] > end) | (np.concatenate(([-1], earlier))[start] >= end)
    length = end - start
    longest = int(length.max())
    span = int(end.max()) + 1
    key = start * (longest + 1) + (longest - length)  # by start, then longest first
    reach = end
    if group is not None:  # groups apart: by group first; an earlier group's ends never reach a later one's
        key = key + group * (span * (longest + 1))
        reach = end + group * span
    order = np.argsort(key, kind="stable")
    reach = reach[order]
    running = np.maximum.accumulate(reach)
    contained = np.empty(n, dtype=bool)
    contained[order[0]] = False
    contained[order[1:]] = running[:-1] >= reach[1:]
    return contained


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


def _pieces(paragraphs: Sequence[str], size: int) -> list[str]:
    """Paragraphs joined by line breaks into texts of about ``size`` characters (a paragraph is never split)."""
    pieces, run, length = [], [], 0
    for paragraph in paragraphs:
        run.append(paragraph)
        length += len(paragraph) + 1
        if length >= size:
            pieces.append("\n".join(run))
            run, length = [], 0
    if run or not pieces:
        pieces.append("\n".join(run))
    return pieces


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
        lengths = np.fromiter(map(len, self.terms), dtype=np.int64, count=len(self.terms))
        self._many_short = np.count_nonzero(lengths <= 2) >= TRIE_SHORT_TERMS
        self._automata: dict[str, object] = {}
        self._trie: Trie | None = None

    def __reduce__(self):  # automata do not pickle: a worker rebuilds them from the lexicon
        return (Matcher, (self.lexicon,))

    def _automaton(self, kind: str):
        automaton = self._automata.get(kind)
        if automaton is None and self.terms:
            implementation = ahocorasick_rs.Implementation.DFA  # ~2x faster than the default NFA
            matchkind = ahocorasick_rs.MatchKind.LeftmostLongest if kind == "longest" else ahocorasick_rs.MatchKind.Standard
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
        paragraphs joined by line breaks, computed without a table of
        occurrences: a document is searched in pieces of whole paragraphs
        (no occurrence, and so no containment, crosses a line break) and the
        pieces' counts are added up. Only the terms that occur are returned,
        so a document costs a few bytes per term found, not per term of the
        lexicon.

        Returns
        -------
        ndarray of int32, shape (5, k)
            Row 0: indexes of the terms that occur, ascending; rows 1-4, per
            term: occurrences, ``standalone`` ones, ``concept_hit`` ones, and
            ``concept_hit`` ones that are also standalone (not inside an
            occurrence of another concept). One array per document keeps a
            million documents small.
        """
        # each occurrence as one code: term * 4 + kind (0 neither flag, 1 standalone only, 2 concept_hit only, 3 both)
        codes = []
        for text in _pieces(paragraphs, PIECE_CHARS):
            term, start, end = self._all_occurrences(text)
            if len(term):
                standalone, concept_hit = self.classify(term, start, end)
                codes.append(term * 4 + standalone + 2 * concept_hit)
        if not codes:
            return _NONE_FOUND
        code = codes[0] if len(codes) == 1 else np.concatenate(codes)
        if len(code) >= len(self.terms):  # many occurrences: count over all terms, keep those found
            kinds = np.bincount(code, minlength=4 * len(self.terms)).reshape(-1, 4)
            present = np.flatnonzero(np.bincount(code >> 2, minlength=len(self.terms)))
            kinds = kinds[present]
        else:
            present, inverse = np.unique(code >> 2, return_inverse=True)
            kinds = np.bincount(inverse * 4 + (code & 3), minlength=4 * len(present)).reshape(-1, 4)
        both = kinds[:, 3]
        rows = [kinds.sum(axis=1), kinds[:, 1] + both, kinds[:, 2] + both, both]
        return np.stack([present, *rows]).astype(np.int32)

    def _all_occurrences(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every occurrence in ``text`` (term indexes, starts, ends), in no particular order."""
        if not text:
            return _NO_SPANS
        if len(text) >= TRIE_MIN_CHARS or self._many_short:
            if self._trie is None:
                self._trie = Trie(self.terms)
            return self._trie.find(text)
        arr = _as_array(self.raw_spans(text))
        return arr[:, 0], arr[:, 1], arr[:, 2]

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
