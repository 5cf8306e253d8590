"""Open-vocabulary word frequencies on segmented text.

A token is counted unless it is a stopword, or has no Han character and no
letter (punctuation, whitespace, numbers, symbols). Stopwords are the
stopwords-iso Chinese list (PyPI ``stopwordsiso``) plus any user list; lexicon
terms are never dropped, even when they are on a stopword list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.corpus import Corpus
from analysis.count import group_of
from analysis.encoding import decode
from analysis.errors import InputError
from analysis.segment import Segmenter

WORD_COLUMNS = ["word", "count", "docs"]
_CONTENT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z]")


@lru_cache(maxsize=None)
def default_stopwords() -> frozenset[str]:
    """The stopwords-iso Chinese list, as shipped by the ``stopwordsiso`` package."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("zh"))


def read_stopwords(path: str | Path) -> frozenset[str]:
    """A user stopword list: one word per line, any supported encoding; blank lines ignored."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: stopword list not found; give a text file with one word per line")
    text, _ = decode(path.read_bytes(), source=path)
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def stopword_set(extra: Iterable[str] = (), *, use_default: bool = True) -> frozenset[str]:
    """The stopwords in force: the default list (unless switched off) plus ``extra``."""
    return (default_stopwords() if use_default else frozenset()) | frozenset(extra)


def keep(token: str, stopwords: frozenset[str], protected: frozenset[str] = frozenset()) -> bool:
    """Whether a token is counted as a word.

    Examples
    --------
    >>> keep("治理", frozenset({"的"})), keep("的", frozenset({"的"})), keep("，", frozenset())
    (True, False, False)
    """
    if token in protected:
        return True
    return token not in stopwords and _CONTENT.search(token) is not None


def frequencies(
    corpus: Corpus,
    segmenter: Segmenter,
    *,
    stopwords: frozenset[str] | None = None,
    by: str | None = None,
    top: int | None = None,
    jobs: int | None = None,
    cache: bool = True,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Word frequencies over the cleaned paragraphs of a corpus.

    Documents are segmented in parallel worker processes (see
    :mod:`analysis.parallel`) and their word counts merged as they arrive;
    each document's counts are cached on disk (see :mod:`analysis.cache`), so
    running this again on the same texts does not segment them again.

    Parameters
    ----------
    corpus : Corpus
        The cleaned corpus.
    segmenter : Segmenter
        Keeps the lexicon's terms whole.
    stopwords : frozenset of str, optional
        Default: :func:`stopword_set` (stopwords-iso Chinese).
    by : str, optional
        ``None``/``"corpus"``, ``"doc"`` or a metadata column.
    top : int, optional
        Keep the ``top`` most frequent words (per group).
    jobs : int, optional
        Worker processes (default: all cores; 1: none). Small corpora are
        always segmented in the calling process.
    cache : bool, default True
        Read and write the per-user segmentation cache.
    progress : bool, optional
        Progress bar: ``None`` (default) in a terminal or notebook, ``False`` never.

    Returns
    -------
    DataFrame
        [group column], ``word, count, docs``, by group, then count (highest
        first), then word.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> seg = Segmenter(lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    >>> frequencies(corp, seg, top=2).word.tolist()  # 社区治理 whole: plain jieba would say 0
    ['社区', '社区治理']
    """
    from analysis import cache as segment_cache
    from analysis import parallel

    stopwords = stopword_set() if stopwords is None else stopwords
    protected = frozenset(segmenter.lexicon.terms) if segmenter.lexicon is not None else frozenset()
    groups = group_of(corpus, by)
    counts: dict[object, Counter] = {}
    doc_freq: dict[object, Counter] = {}

    def fold(doc: str, words: dict[str, int]) -> None:
        group = "" if groups is None else groups[doc]
        counts.setdefault(group, Counter()).update(words)
        doc_freq.setdefault(group, Counter()).update(words.keys())

    documents = list(parallel.iter_documents(corpus.paragraphs))
    keys: list[str] = []
    found: dict[str, dict[str, int]] = {}
    store = None
    if cache:
        settings = segment_cache.settings_digest(segmenter.signature, stopwords, protected)
        keys = [segment_cache.key("\n".join(texts), settings) for _, texts in documents]
        store = segment_cache.SegmentCache()
        found = store.get(keys)
    try:
        units, owner = [], []
        for i, (doc, texts) in enumerate(documents):
            if cache and keys[i] in found:
                fold(doc, found[keys[i]])
                continue
            for chunk in parallel.split_paragraphs(texts):
                units.append(chunk)
                owner.append(i)
        remaining = Counter(owner)
        partial: dict[int, Counter] = {}
        fresh: dict[str, dict[str, int]] = {}
        for unit, words in parallel.word_counts_by_unit(units, segmenter, stopwords=stopwords, protected=protected,
                                                        jobs=jobs, progress=progress):
            i = owner[unit]
            remaining[i] -= 1
            if remaining[i] or i in partial:  # a big document cut into chunks: sum them first
                partial.setdefault(i, Counter()).update(words)
                if remaining[i]:
                    continue
                words = dict(partial.pop(i))
            fold(documents[i][0], words)
            if store is not None:
                fresh[keys[i]] = words
                if len(fresh) >= 200:
                    store.put(fresh)
                    fresh = {}
        if store is not None and fresh:
            store.put(fresh)
    finally:
        if store is not None:
            store.close()
    rows = [
        (group, word, n, doc_freq[group][word])
        for group, counter in counts.items()
        for word, n in counter.items()
    ]
    table = pd.DataFrame(rows, columns=["_group", *WORD_COLUMNS])
    table = table.sort_values(["_group", "count", "word"], ascending=[True, False, True], kind="stable")
    if top is not None:
        table = table.groupby("_group", sort=False).head(top)
    table = table.reset_index(drop=True)
    if by in (None, "corpus"):
        return table[WORD_COLUMNS]
    return table.rename(columns={"_group": by})[[by, *WORD_COLUMNS]]
