"""Word segmentation that keeps every lexicon term whole, and sentence splitting.

jieba's default dictionary splits 党建引领 into 党建/引领, so a word count
built on plain jieba reports zero for exactly the terms asked about. Here the
lexicon's matches are fixed first (leftmost-longest, non-overlapping) and
jieba only segments the text between them, so every lexicon term is one token
by construction, including terms jieba could never keep whole (5G, 互联网+).

Each :class:`Segmenter` owns its jieba ``Tokenizer`` instance; the global
jieba dictionary is never touched, so results do not depend on what ran
earlier in the same kernel. jieba's log lines are silenced.

Two backends segment the text between lexicon matches, with the same
dictionary (jieba's default) and identical output:

- ``"rjieba"`` (default): jieba-rs through the ``rjieba`` binding, about 15x
  faster. Two known differences of jieba-rs are corrected so the tokens equal
  jieba's: with HMM on, jieba-rs keeps ASCII runs joined by ``-``, ``_`` or
  ``.`` whole (``COVID-19``, ``2011-2020``) where jieba splits them
  (``COVID``/``-``/``19``), so such tokens are split the way jieba's HMM step
  does; and jieba-rs counts rare Han characters (CJK Extension A and B and
  later, U+9FD6-U+9FFF, compatibility ideographs) as Han where jieba does not,
  so text containing them is handed to jieba itself.
  tests/test_backends.py checks token and frequency equality on the bundled
  corpora and on random text.
- ``"jieba"``: the pure-Python reference, always available.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Literal

import numpy as np
import pandas as pd

from analysis.config import cache_dir
from analysis.errors import AnalysisError, CacheError
from analysis.lexicon import Lexicon, Matcher

Backend = Literal["rjieba", "jieba"]
#: The segmentation backends; the first is the default.
BACKENDS = ("rjieba", "jieba")
DEFAULT_BACKEND: Backend = "rjieba"
#: Bumped whenever the adapter code changes tokens (part of the segmentation cache key).
ADAPTER_VERSION = "1"

_JIEBA_HAN = re.compile("[\u4e00-\u9fd5]")  # jieba.finalseg.re_han
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # jieba.finalseg.re_skip
#: Han characters for jieba-rs but not for jieba: text with them goes to jieba.
_RARE_HAN = re.compile("[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_RARE_RANGES = ((0x3400, 0x4DBF), (0x9FD6, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))

_SENTENCE = re.compile(r"[^。！？!?；;]+(?:[。！？!?；;…]+[”’」』）)]*)?|[。！？!?；;…]+[”’」』）)]*")


@cache
def _tokenizer():
    """A private jieba Tokenizer on the default dictionary, caching its prefix dictionary per user."""
    import jieba  # the pure-Python reference: imported (~0.3 s) only when used

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    try:
        tokenizer.tmp_dir = str(cache_dir())  # not the shared /tmp/jieba.cache
    except CacheError:
        pass  # jieba then keeps its dictionary cache in the system's temporary folder
    tokenizer.initialize()
    return tokenizer


@cache
def _rjieba():
    """A private jieba-rs instance on its built-in copy of jieba's default dictionary."""
    import rjieba  # loads its dictionary at import (~0.1 s): only when text is segmented

    return rjieba.Jieba()


def backend_version(backend: Backend) -> str:
    """Name and version of a backend's package, e.g. ``'rjieba 0.2.2'`` (for cache keys and provenance)."""
    try:
        return f"{backend} {version(backend)}"
    except PackageNotFoundError:
        return f"{backend} (unknown version)"


def _has_rare_han(text: str) -> bool:
    """Whether ``text`` has a character of ``_RARE_HAN`` (vectorised; a regex scan is several times slower)."""
    if not text:
        return False
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return any(bool(((codes - np.uint32(low)) <= np.uint32(high - low)).any()) for low, high in _RARE_RANGES)


def _jieba_split(token: str) -> list[str] | None:
    """jieba's split of a non-Han token jieba-rs keeps whole with HMM on (``COVID-19``); None if the same."""
    if len(token) < 2 or token.isalnum() or _JIEBA_HAN.search(token) or _rjieba().has_word(token):
        return None
    pieces = [piece for piece in _JIEBA_SKIP.split(token) if piece]
    return pieces if len(pieces) > 1 else None


def plain_split(term: str) -> str:
    """How plain jieba (default dictionary, no lexicon) splits a term, tokens joined by ``/``.

    Computed by the default backend, whose tokens are jieba's (see the
    module's notes): jieba itself takes about a second to load.

    Examples
    --------
    >>> plain_split("党建引领")
    '党建/引领'
    """
    return "/".join(Segmenter().cut(term))


class Segmenter:
    """Segment text into words, keeping every lexicon term whole.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Terms to keep whole. Without it, plain jieba segmentation.
    backend : {"rjieba", "jieba"}
        The segmenter used between lexicon matches: jieba-rs (default, fast)
        or jieba itself (the reference); their tokens are identical.
    hmm : bool, default True
        Let jieba guess words missing from its dictionary (its default).

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> seg = Segmenter(from_terms({"党建引领": ["党建引领"]}))
    >>> seg.cut("基层党建引领社区治理")
    ['基层', '党建引领', '社区', '治理']
    """

    def __init__(self, lexicon: Lexicon | None = None, *, backend: Backend = DEFAULT_BACKEND, hmm: bool = True):
        if backend not in BACKENDS:
            raise AnalysisError(f"unknown segmentation backend '{backend}'; choose one of {', '.join(BACKENDS)}",
                                parameter="backend")
        self.lexicon = lexicon
        self.backend = backend
        self.hmm = hmm
        self._matcher = Matcher(lexicon) if lexicon is not None and len(lexicon.table) else None

    def __reduce__(self):  # the matcher's automata do not pickle; rebuild them (worker processes)
        return (Segmenter, (self.lexicon,), {"backend": self.backend, "hmm": self.hmm})

    def __setstate__(self, state: dict) -> None:
        self.__init__(self.lexicon, **state)

    @property
    def signature(self) -> str:
        """What determines this segmenter's tokens: backend and version, HMM, lexicon terms (hashed)."""
        terms = "\n".join(self.lexicon.terms) if self.lexicon is not None else ""
        digest = hashlib.sha256(terms.encode("utf-8")).hexdigest()[:16]
        return (f"{backend_version(self.backend)}; jieba dictionary {backend_version('jieba')}; "
                f"adapter {ADAPTER_VERSION}; hmm={self.hmm}; lexicon {digest}")

    def load(self) -> None:
        """Load the backend's dictionary now, not at the first text.

        Worker processes forked afterwards share this copy instead of each
        loading its own (about 0.25 s and 95 MB per worker for jieba-rs).
        """
        if self.backend == "jieba":
            _tokenizer()
        else:
            _rjieba()

    def _segment(self, text: str) -> list[str]:
        if self.backend == "jieba" or _RARE_HAN.search(text):
            return _tokenizer().lcut(text, HMM=self.hmm)
        tokens = _rjieba().cut(text, self.hmm)
        if not self.hmm:
            return tokens
        fixed: list[str] = []
        for token in tokens:
            pieces = _jieba_split(token)
            if pieces is None:
                fixed.append(token)
            else:
                fixed.extend(pieces)
        return fixed

    def counts(self, texts: Iterable[str]) -> Counter:
        """How often each token occurs in ``texts``: ``Counter`` of :meth:`cut` over every text.

        The same result as counting ``cut(text)`` for each text, computed
        without a token list per text: lexicon matches are found in one pass,
        and the gaps between them are segmented in one call (joined by line
        breaks, which segmenters always split at). Line-break tokens are not
        counted.

        Examples
        --------
        >>> from analysis.lexicon import from_terms
        >>> seg = Segmenter(from_terms({"党建引领": ["党建引领"]}))
        >>> sorted(seg.counts(["党建引领社区", "社区治理"]).items())
        [('党建引领', 1), ('治理', 1), ('社区', 2)]
        """
        text = "\n".join(texts)
        counter: Counter = Counter()
        if self._matcher is not None:
            pieces, matched, position = [], [], 0
            for _, start, end in self._matcher.leftmost_longest(text):
                pieces.append(text[position:start])
                matched.append(text[start:end])
                position = end
            pieces.append(text[position:])
            counter.update(matched)
            text = "\n".join(pieces)
        if self.backend == "jieba" or _has_rare_han(text):
            for piece in text.split("\n"):
                if piece:
                    counter.update(self._segment(piece))
        else:
            counter.update(_rjieba().cut(text, self.hmm))
            counter.pop("\n", None)
            if self.hmm:
                odd = [t for t in counter if not t.isalnum() and len(t) > 1]  # cheap filter first
                for token in [t for t in odd if _jieba_split(t) is not None]:
                    n = counter.pop(token)
                    for piece in _jieba_split(token):
                        counter[piece] += n
        counter.pop("\n", None)
        return counter

    def cut(self, text: str) -> list[str]:
        """Tokens of ``text``: lexicon terms whole, jieba between them (whitespace included)."""
        if self._matcher is None:
            return self._segment(text)
        tokens: list[str] = []
        position = 0
        for _, start, end in self._matcher.leftmost_longest(text):
            if start > position:
                tokens.extend(self._segment(text[position:start]))
            tokens.append(text[start:end])
            position = end
        if position < len(text):
            tokens.extend(self._segment(text[position:]))
        return tokens


def sentences(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Split paragraphs into sentences at 。！？；!?; and ellipses (closing quotes stay with their sentence).

    Returns
    -------
    DataFrame
        ``doc, para, sent, start, end, text``; offsets are in the paragraph.

    Examples
    --------
    >>> paras = pd.DataFrame({"doc": ["a"], "para": [1], "text": ["推进协商民主。加强社区治理！"]})
    >>> sentences(paras)[["sent", "start", "end", "text"]].values.tolist()
    [[1, 0, 7, '推进协商民主。'], [2, 7, 14, '加强社区治理！']]
    """
    rows = [
        (doc, para, n, m.start(), m.end(), m.group())
        for doc, para, text in zip(paragraphs["doc"], paragraphs["para"], paragraphs["text"])
        for n, m in enumerate(_SENTENCE.finditer(text), start=1)
    ]
    return pd.DataFrame(rows, columns=["doc", "para", "sent", "start", "end", "text"])
