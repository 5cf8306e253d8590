"""Open-vocabulary word frequencies on segmented text.

A token is counted unless it is a stopword, or has no Han character and no
letter (punctuation, whitespace, numbers, symbols). Stopwords are the
stopwords-iso Chinese list (PyPI ``stopwordsiso``) plus any user list; lexicon
terms are never dropped, even when they are on a stopword list.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import engine
from analysis.chars import WORD_CONTENT
from analysis.config import Settings
from analysis.engine import cache as segment_cache
from analysis.engine.pool import BATCH_CHARS, batches
from analysis.errors import CacheError, InputError, InputNotice
from analysis.measure.groups import group_of, with_group
from analysis.measure.segment import Segmenter
from analysis.text.corpus import Corpus
from analysis.text.encoding import decode

WORD_COLUMNS = ["word", "count", "docs"]


@cache
def default_stopwords() -> frozenset[str]:
    """The stopwords-iso Chinese list, as shipped by the ``stopwordsiso`` package."""
    import stopwordsiso  # reads its lists at import (~0.05 s): only when stopwords are needed

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
    return token not in stopwords and WORD_CONTENT.search(token) is not None


def frequencies(
    corpus: Corpus,
    segmenter: Segmenter,
    *,
    stopwords: frozenset[str] | None = None,
    by: str | None = None,
    top: int | None = None,
    cache: bool = True,
    settings: Settings | None = None,
    **options,
) -> pd.DataFrame:
    """Word frequencies over the cleaned paragraphs of a corpus.

    Documents are segmented on the settings' engine (worker processes, or
    Dask) and their word counts merged as they arrive; each document's counts
    are cached on disk (see :mod:`analysis.engine.cache`), so
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
    cache : bool, default True
        Read and write the per-user segmentation cache.
    settings : Settings, optional
        Where the work runs (``jobs``, ``engine``, ``progress``); ``**options``
        change it, e.g. ``jobs=1``. Small corpora are always segmented in the
        calling process.

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
    settings = Settings.of(settings, **options)
    stopwords = stopword_set() if stopwords is None else stopwords
    protected = frozenset(segmenter.lexicon.terms) if segmenter.lexicon is not None else frozenset()
    groups = group_of(corpus, by)
    counts: dict[object, Counter] = {}
    doc_freq: dict[object, Counter] = {}

    def fold(doc: str, words: dict[str, int]) -> None:
        group = "" if groups is None else groups[doc]
        counts.setdefault(group, Counter()).update(words)
        doc_freq.setdefault(group, Counter()).update(words.keys())

    documents = list(_documents(corpus.paragraphs))
    keys: list[str] = []
    found: dict[str, dict[str, int]] = {}
    store = _open_cache() if cache else None
    if store is not None:
        digest = segment_cache.settings_digest(segmenter.signature, stopwords, protected)
        keys = [segment_cache.key("\n".join(texts), digest) for _, texts in documents]
        try:
            found = store.get(keys)
        except CacheError as exc:
            _cache_notice(exc)
            store.close()
            store, found = None, {}
        if store is not None and store.repaired:
            warnings.warn(InputNotice(f"{store.path}: {store.repaired} damaged cache entr(ies) ignored; "
                                      "those documents were segmented again and the entries rewritten"))
    try:
        units, owner = [], []
        for i, (doc, texts) in enumerate(documents):
            if keys and keys[i] in found:
                fold(doc, found[keys[i]])
                continue
            for chunk in _chunks(texts):
                units.append(chunk)
                owner.append(i)
        remaining = Counter(owner)
        partial: dict[int, Counter] = {}
        fresh: dict[str, dict[str, int]] = {}
        for unit, words in _word_counts_by_unit(units, segmenter, stopwords=stopwords, protected=protected,
                                                settings=settings):
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
                    store = _put(store, fresh)
                    fresh = {}
        if store is not None and fresh:
            store = _put(store, fresh)
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
    return table.rename(columns={"_group": by})[with_group(by, WORD_COLUMNS)]


def _open_cache() -> segment_cache.SegmentCache | None:
    """The segmentation cache, or None (with one notice) when it cannot be used."""
    try:
        return segment_cache.SegmentCache()
    except CacheError as exc:
        _cache_notice(exc)
        return None


def _put(store: segment_cache.SegmentCache, entries: dict) -> segment_cache.SegmentCache | None:
    try:
        store.put(entries)
        return store
    except CacheError as exc:
        _cache_notice(exc)
        store.close()
        return None


def _cache_notice(exc: CacheError) -> None:
    warnings.warn(InputNotice(f"working without the segmentation cache: {exc}"))


def _words_batch(units: list[tuple[int, list[str]]], state: tuple) -> list[tuple[int, dict[str, int]]]:
    """Worker: word counts (stopwords and punctuation dropped) of each unit of paragraphs."""
    segmenter, stopwords, protected = state
    content = WORD_CONTENT.search
    out = []
    for index, texts in units:
        counter = segmenter.counts(texts)
        # keep(), inlined (called once per distinct token)
        out.append((index, {w: n for w, n in counter.items()
                            if w in protected or (w not in stopwords and content(w) is not None)}))
    return out


def _word_counts_by_unit(units: Sequence[Sequence[str]], segmenter: Segmenter, *, stopwords: frozenset[str],
                         protected: frozenset[str], settings: Settings) -> Iterator[tuple[int, dict[str, int]]]:
    """Yield ``(unit index, word counts)`` for units of paragraphs, computed on the settings' engine."""
    sizes = [sum(map(len, texts)) for texts in units]
    groups = batches(sizes)
    tasks = [[(i, list(units[i])) for i in group] for group in groups]
    run = engine.executor(settings)
    for results in run.map(_words_batch, tasks, sizes=[sum(sizes[i] for i in g) for g in groups],
                           state=(segmenter, stopwords, protected), desc="segmenting"):
        yield from results


def _chunks(texts: Sequence[str], *, target: int | None = None) -> list[list[str]]:
    """Paragraphs cut into consecutive chunks of about ``target`` characters (for big documents).

    Examples
    --------
    >>> _chunks(["ab", "cd", "ef"], target=4)
    [['ab', 'cd'], ['ef']]
    """
    target = BATCH_CHARS if target is None else target
    return [[texts[i] for i in group] for group in batches([len(t) for t in texts], target=target)]


def _documents(paragraphs: pd.DataFrame) -> Iterable[tuple[str, list[str]]]:
    """``(doc, paragraph texts)`` in order of first appearance."""
    grouped: dict[str, list[str]] = {}
    for doc, text in zip(paragraphs["doc"].tolist(), paragraphs["text"].tolist()):
        grouped.setdefault(doc, []).append(text)
    return grouped.items()
