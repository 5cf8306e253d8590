"""Every occurrence of a list of strings in a text, found at all positions at once with numpy.

The terms are stored as a character trie (one node per distinct prefix). A
text is walked one character depth at a time, at every position together:
depth 1 looks up each character's node, depth 2 extends each surviving
position by its next character, and so on until no position can be extended
(a term ends where its node is reached). The work is a few array operations
per depth over the positions still alive, and occurrences come out as arrays
of term indexes and character offsets, overlapping ones included, with no
Python object per occurrence. This is what makes lexicons of many short,
frequent words (tens of thousands of jieba words: more than one occurrence
per character of text) cheap to count.

Child nodes are found in an open-addressing hash table of the trie's edges
(key ``parent * width + character rank``, linear probing), looked up for all
positions of a depth in one vectorised step.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_EMPTY = -1


class Trie:
    """A list of strings compiled for finding all their occurrences in a text.

    Parameters
    ----------
    terms : sequence of str
        Non-empty, distinct strings; an occurrence reports the index of its string here.

    Examples
    --------
    >>> trie = Trie(["协商民主", "基层协商民主", "民主"])
    >>> term, start, end = trie.find("推进基层协商民主")
    >>> sorted(zip(term.tolist(), start.tolist(), end.tolist()))
    [(0, 4, 8), (1, 2, 8), (2, 6, 8)]
    """

    def __init__(self, terms: Sequence[str]):
        points = np.unique(np.frombuffer("".join(terms).encode("utf-32-le", "surrogatepass"), dtype="<u4"))
        self._limit = int(points.max()) + 1 if len(points) else 0
        # code point -> rank among the terms' characters (1, 2, ...); 0: in no term (the last entry: any point beyond)
        self._rank = np.zeros(self._limit + 1, dtype=np.int32)
        self._rank[points] = np.arange(1, len(points) + 1)
        self._width = width = len(points) + 1
        rank = dict(zip(points.tolist(), range(1, len(points) + 1)))
        edges: dict[int, int] = {}  # parent * width + rank -> child node; node 0 is the root
        term_at = [_EMPTY]
        for index, term in enumerate(terms):
            node = 0
            for ch in term:
                key = node * width + rank[ord(ch)]
                child = edges.get(key)
                if child is None:
                    child = edges[key] = len(term_at)
                    term_at.append(_EMPTY)
                node = child
            term_at[node] = index
        self._term_at = np.array(term_at, dtype=np.int64)  # node -> index of the term ending there (-1: none)
        keys = np.fromiter(edges.keys(), dtype=np.int64, count=len(edges))
        children = np.fromiter(edges.values(), dtype=np.int64, count=len(edges))
        first = keys < width  # the root's edges: a plain table by rank
        self._first = np.full(width, _EMPTY, dtype=np.int32)
        self._first[keys[first]] = children[first]
        self._place(keys[~first] // width, keys[~first] % width, children[~first])

    def _place(self, parent: np.ndarray, rank: np.ndarray, child: np.ndarray) -> None:
        """Lay out the edges below the root so that a node's child by rank ``r`` is at slot ``offset[node] + r``.

        A node with several children is placed (most children first) at a seeded random offset where all
        its children's slots are free; the table is kept at most half full, so a few tries suffice. Nodes
        with one child (most of them) then take the free slots left, in order. A lookup is one slot,
        checked by its parent: no collisions to resolve.
        """
        width = self._width
        size = 2 * len(parent) + 2 * width  # offsets up to size - width: any rank stays inside
        self._offset = np.zeros(len(self._term_at), dtype=np.int32)
        self._slot_parent = np.full(size, _EMPTY, dtype=np.int32)
        self._slot_child = np.full(size, _EMPTY, dtype=np.int32)
        order = np.argsort(parent, kind="stable")
        parent, rank, child = parent[order], rank[order], child[order]
        starts = np.flatnonzero(np.diff(parent, prepend=-1))
        fanout = np.diff(np.append(starts, len(parent)))
        random = np.random.default_rng(0)
        for i in np.argsort(-fanout, kind="stable")[:np.count_nonzero(fanout > 1)].tolist():
            lo, hi = starts[i], starts[i] + fanout[i]
            while True:
                slots = int(random.integers(0, size - width + 1)) + rank[lo:hi]
                if (self._slot_parent[slots] == _EMPTY).all():
                    break
            self._offset[parent[lo]] = slots[0] - rank[lo]
            self._slot_parent[slots] = parent[lo]
            self._slot_child[slots] = child[lo:hi]
        single = starts[fanout == 1]
        free = np.flatnonzero(self._slot_parent[width:size - width] == _EMPTY)[:len(single)] + width
        self._offset[parent[single]] = free - rank[single]  # free >= width > rank, free - rank < size - width
        self._slot_parent[free] = parent[single]
        self._slot_child[free] = child[single]

    def find(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every occurrence of every term in ``text``: term indexes, start and end offsets (characters).

        Ordered by length (shortest first), then by start.

        Examples
        --------
        >>> Trie(["党", "党建"]).find("党建党")
        (array([0, 0, 1]), array([0, 2, 0]), array([1, 3, 2]))
        """
        if not self._limit or not text:
            return _nothing()
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        rank = np.append(self._rank[np.minimum(points, self._limit)], 0)  # a last 0: no term runs past the end
        node = self._first[rank]
        start = np.flatnonzero(node >= 0)
        node = node[start]
        terms, starts = [], []  # per depth: the terms ending there and where they start
        depth = 0
        while len(start):
            depth += 1
            term = self._term_at[node]
            ends = np.flatnonzero(term >= 0)  # integer indexes: faster than a boolean mask here
            terms.append(term[ends])
            starts.append(start[ends])
            slot = self._offset[node] + rank[start + depth]  # a leaf (offset 0) finds no slot of its own
            alive = np.flatnonzero(self._slot_parent[slot] == node)
            start, node = start[alive], self._slot_child[slot[alive]]
        if not depth:
            return _nothing()
        start = np.concatenate(starts)
        return np.concatenate(terms), start, start + np.repeat(np.arange(1, depth + 1), [len(t) for t in terms])


def _nothing() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
