"""Word segmentation that keeps every lexicon term whole, and sentence splitting.

jieba's default dictionary splits 党建引领 into 党建/引领, so a word count
built on plain jieba reports zero for exactly the terms asked about. Here the
lexicon's matches are fixed first (leftmost-longest, non-overlapping) and
jieba only segments the text between them, so every lexicon term is one token
by construction, including terms jieba could never keep whole (5G, 互联网+).

Each :class:`Segmenter` owns its jieba ``Tokenizer`` instance; the global
jieba dictionary is never touched, so results do not depend on what ran
earlier in the same kernel. jieba's log lines are silenced.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Literal

import pandas as pd

from analysis.lexicon import Lexicon

Backend = Literal["jieba"]
BACKENDS = ("jieba",)

_SENTENCE = re.compile(r"[^。！？!?；;]+(?:[。！？!?；;…]+[”’」』）)]*)?|[。！？!?；;…]+[”’」』）)]*")


def _quiet_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)


@lru_cache(maxsize=None)
def _tokenizer():
    """A private jieba Tokenizer on the default dictionary, caching its prefix dictionary per user."""
    import jieba

    from analysis.config import cache_dir

    _quiet_jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir())  # not the shared /tmp/jieba.cache
    tokenizer.initialize()
    return tokenizer


def plain_split(term: str) -> str:
    """How plain jieba (default dictionary, no lexicon) splits a term, tokens joined by ``/``.

    Examples
    --------
    >>> plain_split("党建引领")
    '党建/引领'
    """
    return "/".join(_tokenizer().lcut(term))


class Segmenter:
    """Segment text into words, keeping every lexicon term whole.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Terms to keep whole. Without it, plain jieba segmentation.
    backend : {"jieba"}
        The segmenter used between lexicon matches.
    hmm : bool, default True
        Let jieba guess words missing from its dictionary (its default).

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> seg = Segmenter(from_terms({"党建引领": ["党建引领"]}))
    >>> seg.cut("基层党建引领社区治理")
    ['基层', '党建引领', '社区', '治理']
    """

    def __init__(self, lexicon: Lexicon | None = None, *, backend: Backend = "jieba", hmm: bool = True):
        if backend not in BACKENDS:
            raise ValueError(f"unknown segmentation backend '{backend}'; choose one of {', '.join(BACKENDS)}")
        self.lexicon = lexicon
        self.backend = backend
        self.hmm = hmm
        self._automaton = None
        if lexicon is not None and len(lexicon.table):
            import ahocorasick_rs

            self._automaton = ahocorasick_rs.AhoCorasick(
                lexicon.terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def _segment(self, text: str) -> list[str]:
        return _tokenizer().lcut(text, HMM=self.hmm)

    def cut(self, text: str) -> list[str]:
        """Tokens of ``text``: lexicon terms whole, jieba between them (whitespace included)."""
        if self._automaton is None:
            return self._segment(text)
        tokens: list[str] = []
        position = 0
        for _, start, end in self._automaton.find_matches_as_indexes(text):
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
