"""Open-vocabulary word frequencies on segmented text.

A token is counted unless it is a stopword, or has no Han character and no
letter (punctuation, whitespace, numbers, symbols). Stopwords are the
stopwords-iso Chinese list (PyPI ``stopwordsiso``) plus any user list; lexicon
terms are never dropped, even when they are on a stopword list.
"""

from __future__ import annotations

import threading
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import engine
from analysis.chars import WORD_CONTENT
from analysis.config import Settings
from analysis.engine import cache as segment_cache
from analysis.engine.pool import BATCH_CHARS, batches
from analysis.errors import CacheError, InputError, InputNotice
from analysis.measure.groups import WHOLE_CORPUS, group_of, with_group
from analysis.measure.segment import Segmenter
from analysis.text import corpus as corpus_module
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
    :func:`from_paths` gives the same table from files, in one pass.

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
    tally = _Tally()
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
            _repaired_notice(store.path, store.repaired)
    try:
        units, owner = [], []
        for i, (doc, texts) in enumerate(documents):
            if keys and keys[i] in found:
                tally.add(_group(groups, doc), found[keys[i]])
                continue
            for chunk in _chunks(texts):
                units.append(chunk)
                owner.append(i)
        if units:
            _load_before_forking(segmenter, settings)
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
            tally.add(_group(groups, documents[i][0]), words)
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
    return tally.table(by, top)


def from_paths(paths: str | Path | Sequence[str | Path], segmenter: Segmenter, settings: Settings | None = None, *,
               stopwords: frozenset[str] | None = None, by: str | None = None, top: int | None = None,
               cache: bool = True, **options) -> tuple[pd.DataFrame, Corpus]:
    """Word frequencies of files, folders or tables, in one pass per document.

    The same table as ``frequencies(corpus.build(paths, settings), segmenter,
    ...)``, computed without holding the corpus: each worker reads a file,
    cleans it, looks its word counts up in the segmentation cache or
    segments it, and sends back only the counts; they are folded as they
    arrive (per document only for ``by="doc"`` or a metadata column).

    Returns
    -------
    table : DataFrame
        As :func:`frequencies`.
    corpus : Corpus
        Without paragraphs (see :func:`analysis.text.corpus.clean`).

    Examples
    --------
    >>> from analysis import lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> seg = Segmenter(lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    >>> table, corp = from_paths(SAMPLE_ESSAY, seg, top=2, cache=False)
    >>> table.word.tolist(), corp.paragraphs is None
    (['社区', '社区治理'], True)
    """
    settings = Settings.of(settings, **options)
    stopwords = stopword_set() if stopwords is None else stopwords
    protected = frozenset(segmenter.lexicon.terms) if segmenter.lexicon is not None else frozenset()
    store = _open_cache() if cache else None
    digest = segment_cache.settings_digest(segmenter.signature, stopwords, protected)
    measure = DocumentWords(segmenter, stopwords, protected, store.path if store is not None else None, digest)
    documents = corpus_module.read(paths, settings, lazy=True)
    if store is None or store.is_empty():  # every document will be segmented
        _load_before_forking(segmenter, settings)
    ids = [d.doc for d in documents]
    whole = by in (None, WHOLE_CORPUS)
    tally, per_doc, fresh, trouble = _Tally(), {}, {}, Counter()

    def collect(index: int, value: tuple) -> None:
        nonlocal store, fresh
        key, status, words = value
        trouble[status] += 1
        if whole:
            tally.add("", words)
        else:
            per_doc[ids[index]] = words
        if store is not None and status in ("fresh", "repaired") and key is not None:
            fresh[key] = words
            if len(fresh) >= 200:
                store, fresh = _put(store, fresh), {}

    try:
        corp, _ = corpus_module.clean(documents, settings, measure=measure, combine=DocumentWords.combine,
                                      keep_paragraphs=False, collect=collect)
        if store is not None and fresh:
            store = _put(store, fresh)
    finally:
        close_worker_caches()
        if store is not None:
            store.close()
    if trouble["repaired"] and store is not None:
        _repaired_notice(store.path, trouble["repaired"])
    if not whole:
        groups = group_of(corp, by)
        for doc, words in per_doc.items():
            if doc in groups.index:  # skipped (empty) documents have no group
                tally.add(groups[doc], words)
    return tally.table(by, top), corp


class _Tally:
    """Word counts and document frequencies per group, from one document's words at a time.

    Documents' words are buffered and summed in bulk (:func:`_sum_by_word`:
    hashing and counting in C), so adding a document costs no Python loop
    over its words. The buffer is summed whenever it holds :data:`FOLD_EVERY`
    words and at least as many as the sums so far (so each word is summed a
    few times, not once per fold), and at the latest at :data:`FOLD_MAX`
    words; memory depends on the vocabulary, not on the corpus.
    """

    FOLD_EVERY = 500_000
    FOLD_MAX = 4_000_000  # about 350 MB of buffered words (per-document tables of big corpora)

    def __init__(self):
        self.groups: list[object] = []
        self.sizes: list[int] = []
        self.words: list[str] = []
        self.counts: list[int] = []
        self.totals: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None  # group, word, count, docs

    def add(self, group: object, words: dict[str, int]) -> None:
        self.groups.append(group)
        self.sizes.append(len(words))
        self.words.extend(words)
        self.counts.extend(words.values())
        summed = 0 if self.totals is None else len(self.totals[1])
        if len(self.words) >= min(max(self.FOLD_EVERY, summed), self.FOLD_MAX):
            self._fold()

    def _fold(self) -> None:
        if not self.groups:
            return
        groups = np.empty(len(self.groups), dtype=object)
        groups[:] = self.groups
        columns = (np.repeat(groups, self.sizes), np.array(self.words, dtype=object),
                   np.array(self.counts, dtype=np.int64), np.ones(len(self.words), dtype=np.int64))
        if self.totals is not None:
            columns = tuple(np.concatenate(pair) for pair in zip(self.totals, columns))
        self.totals = _sum_by_word(*columns)
        self.groups, self.sizes, self.words, self.counts = [], [], [], []

    def table(self, by: str | None, top: int | None) -> pd.DataFrame:
        self._fold()
        if self.totals is None:
            table = pd.DataFrame({"_group": pd.Series(dtype=object), "word": pd.Series(dtype=object),
                                  "count": pd.Series(dtype="int64"), "docs": pd.Series(dtype="int64")})
        else:
            table = pd.DataFrame(dict(zip(["_group", "word", "count", "docs"], self.totals)))
        table = table.sort_values(["_group", "count", "word"], ascending=[True, False, True], kind="stable")
        if top is not None:
            table = table.groupby("_group", sort=False, dropna=False).head(top)
        table = table.reset_index(drop=True)
        if by in (None, WHOLE_CORPUS):
            return table[WORD_COLUMNS]
        return table.rename(columns={"_group": by})[with_group(by, WORD_COLUMNS)]


def _sum_by_word(group: np.ndarray, word: np.ndarray, count: np.ndarray,
                 docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``count`` and ``docs`` summed per (group, word) pair, pairs in order of first appearance.

    Examples
    --------
    >>> g, w, c, d = _sum_by_word(np.array(["", "", ""], dtype=object), np.array(["治理", "社区", "治理"], dtype=object),
    ...                           np.array([2, 1, 3]), np.array([1, 1, 1]))
    >>> w.tolist(), c.tolist(), d.tolist()
    (['治理', '社区'], [5, 1], [2, 1])
    """
    word_code, words = pd.factorize(word)
    group_code, groups = pd.factorize(group, use_na_sentinel=False)  # a missing year is a group of its own
    width = max(1, len(words))
    pair_code, pairs = pd.factorize(group_code.astype(np.int64) * width + word_code)
    return (groups[pairs // width], words[pairs % width],
            np.bincount(pair_code, weights=count, minlength=len(pairs)).astype(np.int64),  # exact below 2**53
            np.bincount(pair_code, weights=docs, minlength=len(pairs)).astype(np.int64))


def _load_before_forking(segmenter: Segmenter, settings: Settings) -> None:
    """Load the segmenter's dictionary in this process when local workers will segment: they share one copy
    (Dask workers load their own)."""
    if settings.engine != "dask":
        segmenter.load()


def _group(groups: pd.Series | None, doc: str) -> object:
    return "" if groups is None else groups[doc]


class DocumentWords:
    """A document's word counts, from the segmentation cache when it holds them: a measure for
    :func:`analysis.text.corpus.clean`, run in the worker that cleaned the document.

    Called with the document's paragraphs, returns ``(key, status, words)``:
    ``status`` is ``"cached"``, ``"fresh"`` (segmented now), ``"repaired"``
    (segmented because the cache entry was damaged) or ``"uncached"`` (no
    cache, or one a worker could not read). Workers only read the cache; the
    main process writes the fresh entries.
    """

    def __init__(self, segmenter: Segmenter, stopwords: frozenset[str], protected: frozenset[str],
                 cache_path: Path | None, digest: str):
        self.segmenter, self.stopwords, self.protected = segmenter, stopwords, protected
        self.cache_path, self.digest = cache_path, digest

    def __call__(self, texts: list[str]) -> tuple[str | None, str, dict[str, int]]:
        key = segment_cache.key("\n".join(texts), self.digest) if self.cache_path is not None else None
        status = "uncached"
        if key is not None:
            store = _worker_cache(self.cache_path)
            if store is not None:
                before = store.repaired
                try:
                    found = store.get([key])
                except CacheError:
                    found = {}
                if key in found:
                    return key, "cached", found[key]
                status = "repaired" if store.repaired > before else "fresh"
        return key, status, _filtered(self.segmenter.counts(texts), self.stopwords, self.protected)

    @staticmethod
    def combine(values: list[tuple[str | None, str, dict[str, int]]]) -> tuple[None, str, dict[str, int]]:
        """The words of a document read in pieces: the pieces' words added up (such a document is not cached)."""
        total: Counter = Counter()
        for _, _, words in values:
            total.update(words)
        return None, "uncached", dict(total)


_WORKER_CACHES: dict[tuple[Path, int], segment_cache.SegmentCache | None] = {}


def _worker_cache(path: Path) -> segment_cache.SegmentCache | None:
    """This worker's (process and thread) read-only connection to the cache; None if it cannot be opened."""
    slot = (path, threading.get_ident())
    if slot not in _WORKER_CACHES:
        try:
            _WORKER_CACHES[slot] = segment_cache.SegmentCache(path, read_only=True)
        except CacheError:
            _WORKER_CACHES[slot] = None
    return _WORKER_CACHES[slot]


def close_worker_caches() -> None:
    """Close this process's read connections to the cache (those :class:`DocumentWords` opened here)."""
    for store in _WORKER_CACHES.values():
        if store is not None:
            store.close()
    _WORKER_CACHES.clear()


def _filtered(counter: Counter, stopwords: frozenset[str], protected: frozenset[str]) -> dict[str, int]:
    """The tokens that are words (:func:`keep`, inlined: called once per distinct token)."""
    content = WORD_CONTENT.search
    return {w: n for w, n in counter.items() if w in protected or (w not in stopwords and content(w) is not None)}


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


def _repaired_notice(path: Path, n: int) -> None:
    warnings.warn(InputNotice(f"{path}: {n} damaged cache entr(ies) ignored; "
                              "those documents were segmented again and the entries rewritten"))


def _words_batch(units: list[tuple[int, list[str]]], state: tuple) -> list[tuple[int, dict[str, int]]]:
    """Worker: word counts (stopwords and punctuation dropped) of each unit of paragraphs."""
    segmenter, stopwords, protected = state
    return [(index, _filtered(segmenter.counts(texts), stopwords, protected)) for index, texts in units]


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
