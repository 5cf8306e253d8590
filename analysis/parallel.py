"""Large corpora: documents cleaned, matched and segmented in parallel worker processes.

The results are those of the one-process pipeline (``corpus.build``,
``match.find``, ``count.concepts``/``count.terms``, ``words.frequencies``),
only faster; tests/test_parallel.py checks that they are equal.

How it stays fast and bounded:

- documents are read once in the main process (:func:`analysis.corpus.read`,
  so ids, metadata and encodings are exactly the usual ones), then cleaned in
  worker processes, which also count every lexicon term in the document they
  just cleaned (an Aho-Corasick DFA over the UTF-8 bytes) and send back only
  the cleaned paragraphs and three numbers per term: occurrences,
  standalone occurrences, and occurrences counted for the concept;
- word frequencies are computed per document in the workers and merged as
  they arrive; token lists are never kept (see :func:`analysis.words.frequencies`);
- workers are started with the platform's own method (fork on Linux, spawn on
  macOS and Windows): the functions they run are module-level and their
  settings travel once per worker, so the same code works everywhere.

``jobs=1`` runs everything in the calling process, as do inputs too small to
be worth starting processes for (under :data:`IN_PROCESS_BELOW` characters).
Progress bars (tqdm) appear on long work in a terminal or a notebook, never
when standard error is redirected, and never with ``progress=False``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis.clean import CleanedDocument, CleanOptions, clean_text
from analysis.errors import AnalysisError
from analysis.lexicon import Lexicon

#: Inputs with fewer characters than this are processed in the calling process.
IN_PROCESS_BELOW = 1_000_000
#: Documents are sent to workers in batches of about this many characters.
BATCH_CHARS = 1_000_000

Level = Literal["concept", "term"]


def default_jobs() -> int:
    """The number of CPU cores this process may use (the default for ``jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def check_jobs(jobs: int | None) -> int:
    """``jobs`` as a number of processes: ``None`` means all cores.

    Raises
    ------
    AnalysisError
        If ``jobs`` is less than 1.

    Examples
    --------
    >>> check_jobs(2)
    2
    """
    if jobs is None:
        return default_jobs()
    if int(jobs) < 1:
        raise AnalysisError(f"--jobs must be at least 1 (1 = no worker processes), not {jobs}")
    return int(jobs)


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (where progress bars are widgets or plain text)."""
    shell = sys.modules.get("IPython")
    try:
        return shell is not None and type(shell.get_ipython()).__name__ == "ZMQInteractiveShell"
    except Exception:  # noqa: BLE001 - IPython present but no shell
        return False


def progress_bar(*, total: int, desc: str, progress: bool | None = None):
    """A tqdm bar over ``total`` characters, shown only on long work and where someone can see it.

    ``progress=None`` shows it in a terminal (standard error is a TTY) or a
    notebook; ``False`` never. The bar appears only after one second, so
    short work prints nothing.
    """
    if progress is None:
        progress = in_notebook() or bool(getattr(sys.stderr, "isatty", lambda: False)())
    if progress and in_notebook():
        try:
            import ipywidgets  # noqa: F401

            from tqdm.auto import tqdm
        except ImportError:
            from tqdm import tqdm
    else:
        from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit="char", unit_scale=True, delay=1.0, disable=not progress,
                file=sys.stderr, leave=False)


# ---------------------------------------------------------------------------
# Running tasks in worker processes.

_STATE: dict = {}


def _init_worker(state: dict) -> None:
    """Install a run's settings in this process (called once per worker)."""
    _STATE.clear()
    _STATE.update(state)


def run_tasks(function: Callable, tasks: Sequence, *, sizes: Sequence[int], state: dict, jobs: int,
              desc: str, progress: bool | None = None) -> Iterator:
    """Yield ``function(task)`` for every task, in completion order, on ``jobs`` processes.

    At most two tasks per worker are in flight, so the main process never
    holds more than a few pending results. ``sizes`` (characters per task)
    drive the progress bar and the choice to stay in-process for small inputs.
    """
    total = int(sum(sizes))
    bar = progress_bar(total=total, desc=desc, progress=progress)
    try:
        if jobs == 1 or len(tasks) < 2 or total < IN_PROCESS_BELOW:
            saved = dict(_STATE)
            _init_worker(state)
            try:
                for task, size in zip(tasks, sizes):
                    yield function(task)
                    bar.update(size)
            finally:
                _init_worker(saved)
            return
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_init_worker,
                                 initargs=(state,)) as pool:
            pending: dict = {}
            queue = iter(zip(tasks, sizes))
            for task, size in queue:
                pending[pool.submit(function, task)] = size
                if len(pending) >= 2 * jobs:
                    break
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    size = pending.pop(future)
                    yield future.result()
                    bar.update(size)
                    following = next(queue, None)
                    if following is not None:
                        pending[pool.submit(function, following[0])] = following[1]
    finally:
        bar.close()


def batches(sizes: Sequence[int], *, target: int = BATCH_CHARS) -> list[list[int]]:
    """Consecutive indexes grouped into batches of about ``target`` characters (a big item alone).

    Examples
    --------
    >>> batches([5, 5, 20, 1], target=10)
    [[0, 1], [2], [3]]
    """
    groups: list[list[int]] = []
    current: list[int] = []
    filled = 0
    for i, size in enumerate(sizes):
        if current and filled + size > target:
            groups.append(current)
            current, filled = [], 0
        current.append(i)
        filled += size
    if current:
        groups.append(current)
    return groups


# ---------------------------------------------------------------------------
# Cleaning and counting.


def _term_automaton():
    automaton = _STATE.get("_automaton")
    if automaton is None:
        import ahocorasick_rs

        automaton = ahocorasick_rs.BytesAhoCorasick(
            [t.encode("utf-8") for t in _STATE["terms"]], matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.DFA)
        _STATE["_automaton"] = automaton
    return automaton


def term_counts(text: str, terms: Sequence[str], concept_codes: np.ndarray) -> np.ndarray:
    """Occurrences of every term in a cleaned text, as the rows of :func:`analysis.match.find` would count them.

    Parameters
    ----------
    text : str
        Cleaned paragraphs joined by line breaks (no term contains one, so no
        match crosses a paragraph boundary).
    terms : sequence of str
        The lexicon's terms, in lexicon order.
    concept_codes : ndarray of int
        The concept of each term, as integer codes.

    Returns
    -------
    ndarray, shape (3, len(terms))
        Per term: occurrences, ``standalone`` occurrences, and ``concept_hit``
        occurrences (the ones its concept counts).

    Examples
    --------
    >>> import numpy as np
    >>> term_counts("推进基层协商民主", ["协商民主", "基层协商民主"], np.array([0, 0])).tolist()
    [[1, 1], [0, 1], [0, 1]]
    """
    from analysis.match import _inside_longer

    if _STATE.get("terms") is not terms:
        _STATE.pop("_automaton", None)
        _STATE["terms"] = terms
    n = len(terms)
    found = _term_automaton().find_matches_as_indexes(text.encode("utf-8", "surrogatepass"), overlapping=True)
    if not found:
        return np.zeros((3, n), dtype=np.int64)
    arr = np.array(found, dtype=np.int64).reshape(-1, 3)
    term, start, end = arr[:, 0], arr[:, 1], arr[:, 2]
    standalone = ~_inside_longer(start, end, np.zeros_like(start))
    concept_hit = ~_inside_longer(start, end, concept_codes[term])
    return np.stack([np.bincount(term, minlength=n), np.bincount(term[standalone], minlength=n),
                     np.bincount(term[concept_hit], minlength=n)])


def _clean_batch(batch: list[tuple[int, str]]) -> list[tuple[int, CleanedDocument, np.ndarray | None]]:
    """Worker: clean each document of a batch and, when a lexicon is set, count its terms."""
    options, terms, codes = _STATE["options"], _STATE.get("terms"), _STATE.get("concept_codes")
    out = []
    for index, text in batch:
        cleaned = clean_text(text, options)
        counts = None
        if terms is not None:
            counts = term_counts("\n".join(p[3] for p in cleaned.paragraphs), terms, codes)
        out.append((index, cleaned, counts))
    return out


def _concept_codes(lexicon: Lexicon) -> np.ndarray:
    codes, _ = pd.factorize(lexicon.table.concept)
    return np.asarray(codes, dtype=np.int64)


def build(
    paths: str | Path | Sequence[str | Path],
    *,
    keep_duplicates: bool = False,
    join_han_spaces: bool = True,
    simplified: bool = False,
    jobs: int | None = None,
    progress: bool | None = None,
    **read_options,
):
    """:func:`analysis.corpus.build`, cleaning documents in worker processes.

    Parameters
    ----------
    paths, keep_duplicates, join_han_spaces, simplified
        As for :func:`analysis.corpus.build`.
    jobs : int, optional
        Worker processes (default: all cores; 1: none).
    progress : bool, optional
        Progress bar: ``None`` (default) where someone can see it, ``False`` never.
    **read_options
        Passed to :func:`analysis.corpus.read` (``text_column``, ``sheet``).

    Returns
    -------
    Corpus
        Equal to ``corpus.build(paths, ...)``.

    Examples
    --------
    >>> from analysis.config import SAMPLE_ESSAY
    >>> len(build(SAMPLE_ESSAY, jobs=1).paragraphs)
    9
    """
    return _build_and_count(paths, None, keep_duplicates=keep_duplicates, join_han_spaces=join_han_spaces,
                            simplified=simplified, jobs=jobs, progress=progress, **read_options)[0]


def _build_and_count(paths, lexicon: Lexicon | None, *, keep_duplicates: bool, join_han_spaces: bool,
                     simplified: bool, jobs: int | None, progress: bool | None, **read_options):
    from analysis import corpus

    jobs = check_jobs(jobs)
    options = CleanOptions(simplified=simplified, han_spaces=join_han_spaces, dedupe=not keep_duplicates)
    documents = corpus.read(paths, **read_options)
    state: dict = {"options": options}
    if lexicon is not None:
        state.update(terms=lexicon.terms, concept_codes=_concept_codes(lexicon))
    sizes = [len(d.text) for d in documents]
    groups = batches(sizes)
    tasks = [[(i, documents[i].text) for i in group] for group in groups]
    cleaned: list = [None] * len(documents)
    counts: list = [None] * len(documents)
    for results in run_tasks(_clean_batch, tasks, sizes=[sum(sizes[i] for i in g) for g in groups],
                             state=state, jobs=jobs, desc="cleaning and counting" if lexicon else "cleaning",
                             progress=progress):
        for index, result, found in results:
            cleaned[index], counts[index] = result, found
    corp = corpus.from_documents(documents, options, cleaned_texts=cleaned)
    return corp, documents, counts


def counts_to_hits(documents: Sequence, counts: Sequence[np.ndarray | None], lexicon: Lexicon) -> pd.DataFrame:
    """A hits table without positions, from per-document term counts, for :mod:`analysis.count`.

    One row per occurrence, with the columns :func:`analysis.count.concepts`
    and :func:`analysis.count.terms` read (``doc, term, concept, category,
    standalone, concept_hit``); the per-(document, term) numbers of rows,
    standalone rows and concept rows are the counted ones, so the tables are
    exactly those computed from :func:`analysis.match.find`.
    """
    table = lexicon.table
    n_terms = len(table)
    concept_codes, concept_names = pd.factorize(table.concept)
    docs, terms, total, alone, hit = [], [], [], [], []
    for i, found in enumerate(counts):
        if found is None:
            continue
        present = np.flatnonzero(found[0])
        docs.append(np.full(len(present), i))
        terms.append(present)
        total.append(found[0][present])
        alone.append(found[1][present])
        hit.append(found[2][present])
    cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)  # noqa: E731
    doc_idx, term_idx, total, alone, hit = map(cat, (docs, terms, total, alone, hit))
    rows = int(total.sum())
    first = np.repeat(np.cumsum(total) - total, total)
    rank = np.arange(rows) - first  # 0, 1, ... within each (document, term)
    term_rows = np.repeat(term_idx, total).astype(np.int64)
    doc_ids = np.array([d.doc for d in documents], dtype=object)
    return pd.DataFrame({
        "doc": doc_ids[np.repeat(doc_idx, total).astype(np.int64)] if rows else np.array([], dtype=object),
        "term": pd.Categorical.from_codes(term_rows, categories=table.term),
        "concept": pd.Categorical.from_codes(np.asarray(concept_codes)[term_rows], categories=concept_names),
        "category": table.category.to_numpy()[term_rows] if n_terms else np.array([], dtype=object),
        "standalone": rank < np.repeat(alone, total),
        "concept_hit": rank < np.repeat(hit, total),
    })


def count_table(
    paths: str | Path | Sequence[str | Path],
    lexicon: Lexicon,
    *,
    level: Level = "concept",
    by: str | None = None,
    keep_duplicates: bool = False,
    join_han_spaces: bool = True,
    simplified: bool = False,
    jobs: int | None = None,
    progress: bool | None = None,
    **read_options,
):
    """Concept (or term) frequencies of files, folders or tables, computed in worker processes.

    Equal to ``count.concepts(match.find(corp.paragraphs, lexicon), corp,
    lexicon, by=by)`` (``count.terms`` for ``level="term"``) with ``corp =
    corpus.build(paths, ...)``.

    Parameters
    ----------
    paths, keep_duplicates, join_han_spaces, simplified, **read_options
        As for :func:`build`.
    lexicon : Lexicon
        The concept dictionary.
    level : {"concept", "term"}
        Count concepts (default) or terms.
    by : str, optional
        ``None``/``"corpus"``, ``"doc"`` or a metadata column.
    jobs, progress
        As for :func:`build`.

    Returns
    -------
    table : DataFrame
        The columns of :func:`analysis.count.concepts` or :func:`analysis.count.terms`.
    corpus : Corpus
        The cleaned corpus (for its notices and metadata).

    Examples
    --------
    >>> from analysis import lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> table, corp = count_table(SAMPLE_ESSAY, lexicon.load(LEXICON_DIR / "sample-concepts.csv"), jobs=1)
    >>> table[["concept", "count"]].values.tolist()
    [['社区治理', 23], ['党建引领', 4], ['协商民主', 3]]
    """
    if level not in ("concept", "term"):
        raise AnalysisError(f"unknown level '{level}'; choose concept or term")
    corp, documents, counts = _build_and_count(
        paths, lexicon, keep_duplicates=keep_duplicates, join_han_spaces=join_han_spaces,
        simplified=simplified, jobs=jobs, progress=progress, **read_options)
    return tables_from_counts(corp, documents, counts, lexicon, level=level, by=by), corp


def tables_from_counts(corp, documents, counts, lexicon: Lexicon, *, level: Level, by: str | None) -> pd.DataFrame:
    """The count table of per-document term counts (shared by the local and the Dask engine)."""
    from analysis import count

    count.group_of(corp, by)  # a bad --by fails before any table work
    hits = counts_to_hits(documents, counts, lexicon)
    return (count.concepts if level == "concept" else count.terms)(hits, corp, lexicon, by=by)


# ---------------------------------------------------------------------------
# Word frequencies.


def _words_batch(units: list[tuple[int, list[str]]]) -> list[tuple[int, dict[str, int]]]:
    """Worker: word counts (stopwords and punctuation dropped) of each unit of paragraphs."""
    from analysis.words import _CONTENT

    segmenter, stopwords, protected = _STATE["segmenter"], _STATE["stopwords"], _STATE["protected"]
    content = _CONTENT.search
    out = []
    for index, texts in units:
        counter = segmenter.counts(texts)
        # analysis.words.keep, inlined (called once per distinct token)
        out.append((index, {w: n for w, n in counter.items()
                            if w in protected or (w not in stopwords and content(w) is not None)}))
    return out


def word_counts_by_unit(units: Sequence[Sequence[str]], segmenter, *, stopwords: frozenset[str],
                        protected: frozenset[str], jobs: int | None = None,
                        progress: bool | None = None) -> Iterator[tuple[int, dict[str, int]]]:
    """Yield ``(unit index, word counts)`` for units of paragraphs, computed on ``jobs`` processes.

    Units of up to :data:`BATCH_CHARS` characters travel together; a unit
    bigger than that should be split by the caller (its counts are sums).
    """
    jobs = check_jobs(jobs)
    sizes = [sum(map(len, texts)) for texts in units]
    groups = batches(sizes)
    tasks = [[(i, list(units[i])) for i in group] for group in groups]
    state = {"segmenter": segmenter, "stopwords": stopwords, "protected": protected}
    for results in run_tasks(_words_batch, tasks, sizes=[sum(sizes[i] for i in g) for g in groups],
                             state=state, jobs=jobs, desc="segmenting", progress=progress):
        yield from results


def split_paragraphs(texts: Sequence[str], *, target: int = BATCH_CHARS) -> list[list[str]]:
    """Paragraphs cut into consecutive chunks of about ``target`` characters (for big documents).

    Examples
    --------
    >>> split_paragraphs(["ab", "cd", "ef"], target=4)
    [['ab', 'cd'], ['ef']]
    """
    return [[texts[i] for i in group] for group in batches([len(t) for t in texts], target=target)]


def iter_documents(paragraphs: pd.DataFrame) -> Iterable[tuple[str, list[str]]]:
    """``(doc, paragraph texts)`` in order of first appearance."""
    grouped: dict[str, list[str]] = {}
    for doc, text in zip(paragraphs["doc"].tolist(), paragraphs["text"].tolist()):
        grouped.setdefault(doc, []).append(text)
    return grouped.items()
