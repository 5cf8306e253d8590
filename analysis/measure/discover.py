"""New formulations: frequent character strings of a corpus that the lexicon lacks, and when they emerged.

The standard statistics of Chinese new-word discovery, computed on the
character n-grams of the cleaned paragraphs (runs of Han characters only; an
n-gram never crosses punctuation, a digit or a paragraph break):

- ``count``: occurrences of the n-gram (overlapping occurrences count).
- ``pmi`` (internal cohesion): the smallest, over every way of cutting the
  n-gram in two, of ``log(count(w) * N / (count(left) * count(right)))``,
  ``N`` the number of Han characters: how much more often the two halves occur
  together than chance would have them; a formulation holds together at its
  weakest cut too.
- ``left_entropy``, ``right_entropy`` (boundary freedom): the entropy
  (natural log) of the characters just before / after the occurrences; a
  paragraph edge or punctuation counts as a new neighbour each time. A whole
  formulation is used in many contexts; a fragment of a longer one is always
  followed (or preceded) by the same character, entropy 0.
- ``whole`` (word boundaries): the share of the occurrences that begin and
  end where a word begins in the project's segmentation of their sentence
  (:class:`analysis.measure.segment.Segmenter`: lexicon terms whole, jieba's
  dictionary between them, no guessed words). 跨境电 (from 跨境电商) ends
  inside the word 电商 and 业数字化 (from 产业数字化) begins inside 产业:
  ``whole`` 0, fragments; 新质生产力 (发展/新/质/生产力) has 1.
- ``score`` = ``log(count) * pmi * min(left_entropy, right_entropy)`` orders
  the candidates: frequent, cohesive and free at both edges.

Candidates are the n-grams of ``min_n``-``max_n`` characters with at least
``min_count`` occurrences in ``min_docs`` documents that

- neither start nor end with a function character (的, 和, 是, ... :data:`EDGE`),
- have positive ``pmi`` and both entropies at least ``min_entropy`` (so a
  fragment that occurs only inside one longer string drops out),
- have ``whole`` at least ``min_whole`` (0.5: most occurrences are whole
  words, so a piece cut out of words drops out),
- are not a lexicon term nor part of one,
- are not an ordinary word of jieba's dictionary (by default only without
  ``split``; ``words=True`` keeps them),
- are not part of a longer candidate with at least ``merge`` times its count
  (fragments are merged into the longer formulation: 铸牢中华民族共同体意识 is
  listed, not its pieces).

With ``split`` (e.g. ``"year>=2012"``, the syntax of
:func:`analysis.measure.keyness.split`) the candidates are those that emerged
in the later documents (the target; the others are the reference):

- **evidence**: over-represented in the target (``key_for == "target"`` of
  :func:`analysis.measure.keyness.compare`, sizes in characters of cleaned
  text) with ``g2`` at least 3.84 (p < 0.05, :data:`SIGNIFICANT`);
- **ranking**: first the candidates never seen in the reference (``new``:
  first attested after the split, the formulations that appeared), then those
  already used before but used more since (old words revived, such as
  共同富裕); within each group by ``emergence`` = ``score * log_ratio``,
  how much the candidate looks like a word times how much more frequent it
  became (the log ratio of Hardie 2014, in doublings; for a new candidate,
  whose reference count 0 is taken as 0.5, it grows with its count).

A new formulation seen only a few times has little evidence either way: on the
bundled government work reports 新质生产力 (3 occurrences, in the 2024 and
2025 reports) has the statistics of about 1,000 other strings seen three times
after 2012 and ranks in the thousands; read the table of new candidates by
first year (notebook 05) for the most recent ones.

The table is a reading list, not a result: every candidate comes with two
keyword-in-context lines (its first and its last occurrence) so a reader can
judge it, and becomes a lexicon term only through the curation loop
(:mod:`analysis.lexicon.curation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from analysis.chars import HAN_CHAR
from analysis.engine.progress import progress_bar
from analysis.errors import InputError
from analysis.lexicon import Lexicon, curation, from_terms
from analysis.measure import keyness, kwic, match, trends
from analysis.measure.segment import Segmenter
from analysis.text.corpus import Corpus

#: Function characters a formulation does not begin or end with.
EDGE = frozenset("的了和与及是在把对为以等并而之也都就要将使从由向被于其这那我你他它们个中上下地得着过或如")
COLUMNS = ["candidate", "length", "count", "docs", "first_year", "last_year", "pmi", "left_entropy",
           "right_entropy", "whole", "score"]
SPLIT_COLUMNS = ["target_count", "reference_count", "g2", "log_ratio", "new", "emergence"]
#: G² of p < 0.05 (chi-square, 1 degree of freedom): an emerging candidate is over-represented at least this surely.
SIGNIFICANT = 3.84
KWIC_COLUMNS = ["kwic_first", "kwic_last"]


@dataclass(frozen=True)
class _Grams:
    """Every frequent n-gram of a text: per length, the id of the n-gram starting at each position."""

    codes: np.ndarray  # character id per position, 0 for a boundary (non-Han)
    ids: dict[int, np.ndarray]  # n -> id of the n-gram at each position, -1 if none or infrequent
    counts: dict[int, np.ndarray]  # n -> occurrences of each id
    first: dict[int, np.ndarray]  # n -> first position of each id
    han: int  # Han characters in the text


def _count_grams(text: str, *, max_n: int, min_count: int, progress: bool | None) -> _Grams:
    """Count the n-grams of 1..max_n Han characters occurring at least ``min_count`` times, by sorting.

    An n-gram is frequent only if both its (n-1)-character parts are, so each
    length is counted only where the shorter one was frequent (apriori
    pruning); an n-gram's id is the rank of the pair (id of its first n-1
    characters, its last character) among the pairs that occur.
    """
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    alphabet, inverse = np.unique(points, return_inverse=True)
    is_han = np.array([HAN_CHAR.fullmatch(chr(c)) is not None for c in alphabet.tolist()], dtype=bool)
    codes = np.where(is_han[inverse], inverse + 1, 0).astype(np.int64)
    width = int(codes.max()) + 1 if len(codes) else 1
    ids, counts, first = {}, {}, {}
    previous = np.where(codes > 0, codes, -1)
    bar = progress_bar(total=max_n * len(codes), desc="n-grams", progress=progress)
    try:
        for n in range(1, max_n + 1):
            if n == 1:
                keys = previous
            else:
                shifted = np.full(len(codes), -1, dtype=np.int64)
                last = codes[n - 1:]
                ok = (previous[:len(last)] >= 0) & (last > 0)
                shifted[:len(last)] = np.where(ok, previous[:len(last)] * width + last, -1)
                keys = shifted
            valid = keys >= 0
            _, where, inverse, number = np.unique(keys[valid], return_index=True, return_inverse=True,
                                                  return_counts=True)
            gram = np.full(len(codes), -1, dtype=np.int64)
            frequent = number >= min_count
            gram[valid] = np.where(frequent[inverse], inverse, -1)
            positions = np.flatnonzero(valid)
            ids[n], counts[n], first[n] = gram, number, positions[where]
            previous = gram
            bar.update(len(codes))
            if not frequent.any():
                break
    finally:
        bar.close()
    return _Grams(codes=codes, ids=ids, counts=counts, first=first, han=int((codes > 0).sum()))


def _entropy(gram: np.ndarray, neighbour: np.ndarray, size: int) -> np.ndarray:
    """Entropy of the neighbour characters of each id (a neighbour 0, a boundary, is new every time)."""
    total = np.bincount(gram, minlength=size).astype(float)
    real = neighbour > 0
    pairs = gram[real] * (int(neighbour.max(initial=0)) + 1) + neighbour[real]
    unique, number = np.unique(pairs, return_counts=True)
    owner = unique // (int(neighbour.max(initial=0)) + 1)
    weighted = np.bincount(owner, weights=number * np.log(number), minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.log(total) - weighted / total
    return np.where(total > 0, np.maximum(result, 0.0), 0.0)


@cache
def _dictionary():
    """jieba's default dictionary (through jieba-rs, the segmenter's fast backend)."""
    import rjieba

    return rjieba.Jieba()


def ordinary_word(text: str) -> bool:
    """Whether ``text`` is a word of jieba's default dictionary.

    Examples
    --------
    >>> ordinary_word("改革开放"), ordinary_word("新质生产力")
    (True, False)
    """
    return bool(_dictionary().has_word(text))


def candidates(
    corpus: Corpus,
    lexicon: Lexicon,
    *,
    split: str | None = None,
    min_n: int = 3,
    max_n: int = 10,
    min_count: int = 3,
    min_docs: int = 1,
    min_entropy: float = 0.5,
    min_whole: float = 0.5,
    merge: float = 0.8,
    words: bool | None = None,
    top: int | None = 100,
    kwic_width: int = 15,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Candidate formulations of ``corpus`` that ``lexicon`` lacks, with their evidence.

    Parameters
    ----------
    corpus : Corpus
        The cleaned corpus.
    lexicon : Lexicon
        Terms already known: they and their parts are not candidates.
    split : str, optional
        ``COLUMN OP VALUE`` (e.g. ``"year>=2012"``): rank by emergence in the
        documents meeting it, against the others.
    min_n, max_n : int, default 3 and 10
        Lengths of the candidates, in characters.
    min_count, min_docs : int, default 3 and 1
        Occurrences and documents a candidate needs (in the whole corpus).
    min_entropy : float, default 0.5
        Smallest left and right entropy.
    min_whole : float, default 0.5
        Smallest share of a candidate's occurrences that begin and end at a
        word boundary (``whole``; 0: keep fragments).
    merge : float, default 0.8
        A candidate inside a longer candidate with at least ``merge`` times
        its count is dropped (1.0: only fragments with the same count).
    words : bool, optional
        Keep candidates that are words of jieba's dictionary. Default: no
        without ``split`` (ordinary words drop out), yes with it (an old word
        used far more often later, such as 共同富裕, is part of what emerged).
    top : int, optional
        Keep the first ``top`` rows (``None``: all).
    kwic_width : int, default 15
        Characters of context in the two KWIC columns.
    progress : bool, optional
        Progress bar (``None``: where someone can see it).

    Returns
    -------
    DataFrame
        ``candidate, length, count, docs, first_year, last_year, pmi,
        left_entropy, right_entropy, whole, score`` (see the module
        docstring; years are missing without a ``year`` column), with
        ``split`` also ``target_count, reference_count, g2, log_ratio, new,
        emergence``, then ``kwic_first, kwic_last`` (``left【candidate】right
        (doc)``). Highest ``score`` first (with ``split``: the ``new`` ones
        first, each group by highest ``emergence``).

    Raises
    ------
    InputError
        For lengths or thresholds out of range, or a split that leaves a side empty.

    Examples
    --------
    >>> from analysis.text.corpus import Document, from_documents
    >>> texts = ["推进新质生产力发展。", "发展新质生产力！", "因地制宜发展新质生产力，", "培育新质生产力。"]
    >>> corp = from_documents([Document(f"d{i}", t, f"d{i}.txt", "utf-8", "") for i, t in enumerate(texts)])
    >>> from analysis.lexicon import from_terms
    >>> table = candidates(corp, from_terms({"发展": ["发展"]}), min_count=3, min_entropy=0.0)
    >>> table[["candidate", "count", "docs"]].values.tolist()
    [['新质生产力', 4, 4]]
    """
    _check(min_n=min_n, max_n=max_n, min_count=min_count, min_docs=min_docs, min_entropy=min_entropy,
           min_whole=min_whole, merge=merge, top=top, kwic_width=kwic_width)
    target_docs: set | None = None
    if split is not None:
        target, _ = keyness.split(corpus, split)
        target_docs = set(target.docs.doc)
        corpus = corpus.subset(set(target.docs.doc) | set(_.docs.doc))
    paras = corpus.paragraphs
    texts = paras.text.tolist()
    text = "\n".join(texts)
    doc_codes, doc_names = pd.factorize(paras.doc)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    position_doc = np.repeat(doc_codes, lengths)[:len(text)] if len(texts) else np.zeros(0, dtype=np.int64)
    grams = _count_grams(text, max_n=max_n, min_count=min_count, progress=progress)
    starts = word_starts(texts, lexicon)
    known = _lexicon_parts(lexicon)
    years = _doc_years(corpus, doc_names)
    in_target = None if target_docs is None else np.array([d in target_docs for d in doc_names], dtype=bool)
    frames = []
    for n in range(min_n, max_n + 1):
        if n not in grams.ids:
            break
        frames.append(_of_length(text, grams, n, position_doc=position_doc, years=years, in_target=in_target,
                                 starts=starts, min_count=min_count, min_docs=min_docs))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["candidate"])
    if table.empty:
        return _empty(split is not None)
    keep = (table.pmi > 0) & (table.left_entropy >= min_entropy) & (table.right_entropy >= min_entropy)
    keep &= table.whole >= min_whole
    keep &= ~table.candidate.str[0].isin(EDGE) & ~table.candidate.str[-1].isin(EDGE)
    keep &= ~table.candidate.isin(known)
    table = table[keep]
    if not (split is not None if words is None else words):
        table = table[~table.candidate.map(ordinary_word).astype(bool)]
    table = _merge_fragments(table, merge)
    if table.empty:
        return _empty(split is not None)
    table = table.assign(score=np.log(table["count"]) * table.pmi
                         * np.minimum(table.left_entropy, table.right_entropy))
    if split is not None:
        table = _emergence(table, corpus, in_target, doc_names)
    else:
        table = table.sort_values(["score", "candidate"], ascending=[False, True], kind="stable")
    if top is not None:
        table = table.head(top)
    table = table.reset_index(drop=True)
    for column in ("pmi", "left_entropy", "right_entropy", "whole", "score", "emergence"):
        if column in table.columns:
            table[column] = table[column].round(4)
    table = _with_kwic(table, corpus, width=kwic_width)
    return table[COLUMNS + (SPLIT_COLUMNS if split is not None else []) + KWIC_COLUMNS]


def _check(**values) -> None:
    for name in ("min_n", "max_n", "min_count", "min_docs", "top", "kwic_width"):
        value = values[name]
        if value is None and name == "top":
            continue
        smallest = 0 if name == "kwic_width" else 1
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < smallest:
            raise InputError(f"{name} must be a whole number of at least {smallest}, not {value!r}", parameter=name)
    if values["min_n"] < 2 or values["max_n"] < values["min_n"] or values["max_n"] > 20:
        raise InputError(f"candidate lengths must satisfy 2 <= min_n <= max_n <= 20, not {values['min_n']} and "
                         f"{values['max_n']}", parameter="min_n")
    if not 0 < values["merge"] <= 1:
        raise InputError(f"merge must be above 0 and at most 1, not {values['merge']!r}", parameter="merge")
    if not 0 <= values["min_whole"] <= 1:
        raise InputError(f"min_whole must be between 0 and 1, not {values['min_whole']!r}", parameter="min_whole")
    if values["min_entropy"] < 0:
        raise InputError(f"min_entropy must be 0 or more, not {values['min_entropy']!r}", parameter="min_entropy")


def _of_length(text: str, grams: _Grams, n: int, *, position_doc: np.ndarray, years: np.ndarray | None,
               in_target: np.ndarray | None, starts: np.ndarray, min_count: int, min_docs: int) -> pd.DataFrame:
    """The statistics of every frequent n-gram of length ``n`` (one row per n-gram)."""
    ids, counts = grams.ids[n], grams.counts[n]
    size = len(counts)
    at = np.flatnonzero(ids >= 0)
    gram = ids[at]
    doc = position_doc[at]
    docs = np.bincount(np.unique(gram * (int(position_doc.max(initial=0)) + 1) + doc)
                       // (int(position_doc.max(initial=0)) + 1), minlength=size)
    chosen = np.flatnonzero((counts >= min_count) & (docs >= min_docs))
    codes = grams.codes
    left = np.where(at > 0, codes[np.maximum(at - 1, 0)], 0)
    right = np.where(at + n < len(codes), codes[np.minimum(at + n, len(codes) - 1)], 0)
    left_entropy = _entropy(gram, left, size)
    right_entropy = _entropy(gram, right, size)
    start = grams.first[n][chosen]
    pmi = np.full(len(chosen), np.inf)
    for k in range(1, n):  # weakest cut: prefix of k characters, suffix of n - k
        head = grams.counts[k][grams.ids[k][start]]
        tail = grams.counts[n - k][grams.ids[n - k][start + k]]
        pmi = np.minimum(pmi, np.log(counts[chosen] * grams.han / (head * tail)))
    frame = pd.DataFrame({
        "candidate": [text[s:s + n] for s in start.tolist()],
        "length": n,
        "count": counts[chosen].astype("int64"),
        "docs": docs[chosen].astype("int64"),
        "pmi": pmi,
        "left_entropy": left_entropy[chosen],
        "right_entropy": right_entropy[chosen],
        "whole": np.bincount(gram, weights=starts[at] & starts[at + n], minlength=size)[chosen] / counts[chosen],
    })
    if years is not None:
        year = years[doc]
        known = ~np.isnan(year)
        low = np.full(size, np.inf)
        high = np.full(size, -np.inf)
        np.minimum.at(low, gram[known], year[known])
        np.maximum.at(high, gram[known], year[known])
        frame["first_year"] = pd.array(np.where(np.isfinite(low[chosen]), low[chosen], np.nan)).astype("Int64")
        frame["last_year"] = pd.array(np.where(np.isfinite(high[chosen]), high[chosen], np.nan)).astype("Int64")
    else:
        frame["first_year"] = frame["last_year"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    if in_target is not None:
        frame["target_count"] = np.bincount(gram, weights=in_target[doc], minlength=size)[chosen].astype("int64")
        frame["reference_count"] = frame["count"] - frame["target_count"]
    return frame


def word_starts(texts: list[str], lexicon: Lexicon) -> np.ndarray:
    """Where a word begins in ``"\\n".join(texts)``, by the project's segmentation (lexicon terms whole, jieba's
    dictionary between them, no guessed words): a boolean per position, and one for the end of the text.

    Each text is segmented on its own, so only one text's tokens are held at a time.

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> word_starts(["发展新质生产力", "跨境电商"], from_terms({"无": ["无关"]})).nonzero()[0].tolist()
    [0, 2, 3, 4, 7, 8, 10, 12]
    """
    segmenter = Segmenter(lexicon, hmm=False)

    def lengths():
        for i, text in enumerate(texts):
            if i:
                yield 1  # the line break between two texts
            yield from map(len, segmenter.cut(text))

    ends = np.cumsum(np.fromiter(lengths(), dtype=np.int64))
    starts = np.zeros(int(ends[-1]) + 1 if len(ends) else 1, dtype=bool)
    starts[0] = True
    starts[ends] = True
    return starts


def _lexicon_parts(lexicon: Lexicon) -> frozenset[str]:
    """Every term of the lexicon and every part of one (strings that are no new formulation)."""
    return frozenset(term[i:j] for term in lexicon.terms for i in range(len(term)) for j in range(i + 1, len(term) + 1))


def _doc_years(corpus: Corpus, names) -> np.ndarray | None:
    """The ``year`` of each document (in ``names`` order) as floats, NaN where missing; None without a year."""
    if "year" not in corpus.docs.columns:
        return None
    year = corpus.docs.set_index("doc")["year"].map(keyness.as_number)
    return year.reindex(list(names)).astype(float).to_numpy()


def _merge_fragments(table: pd.DataFrame, merge: float) -> pd.DataFrame:
    """Drop each candidate that lies inside a longer candidate having at least ``merge`` times its count."""
    counts = dict(zip(table.candidate, table["count"]))
    inside: set[str] = set()
    for longer, number in counts.items():
        for i in range(len(longer)):
            for j in range(i + 1, len(longer) + 1):
                part = longer[i:j]
                if part != longer and part in counts and number >= merge * counts[part]:
                    inside.add(part)
    return table[~table.candidate.isin(inside)]


def _emergence(table: pd.DataFrame, corpus: Corpus, in_target: np.ndarray, names) -> pd.DataFrame:
    """Keep the candidates over-represented in the target documents; rank by G² (keyness.compare)."""
    sizes = corpus.docs.set_index("doc")["chars"].reindex(list(names)).to_numpy()
    target_total, reference_total = int(sizes[in_target].sum()), int(sizes[~in_target].sum())
    key = keyness.compare(table.set_index("candidate").target_count, table.set_index("candidate").reference_count,
                          target_total, reference_total)
    key = key[key.key_for == "target"].rename(columns={"item": "candidate"})
    merged = table.drop(columns=["target_count", "reference_count"]).merge(
        key[["candidate", "target_count", "reference_count", "g2", "log_ratio"]], on="candidate")
    merged["new"] = merged.reference_count == 0
    merged = merged[merged.g2 >= SIGNIFICANT]
    merged["emergence"] = merged.score * merged.log_ratio
    return merged.sort_values(["new", "emergence", "candidate"], ascending=[False, False, True], kind="stable")


def _with_kwic(table: pd.DataFrame, corpus: Corpus, *, width: int) -> pd.DataFrame:
    """Add the first and last occurrence of each candidate as a keyword-in-context line."""
    if table.empty:
        return table.assign(kwic_first=pd.Series(dtype=object), kwic_last=pd.Series(dtype=object))
    evidence = kwic.first_and_last(corpus, table.candidate.tolist(), width=width)
    return table.assign(kwic_first=table.candidate.map(lambda c: evidence[c][0]),
                        kwic_last=table.candidate.map(lambda c: evidence[c][1]))


def _empty(with_split: bool) -> pd.DataFrame:
    empty = pd.DataFrame(columns=COLUMNS + (SPLIT_COLUMNS if with_split else []) + KWIC_COLUMNS)
    return empty.astype({"new": bool}) if with_split else empty  # table[table.new] must select rows, not columns


def as_sheet(table: pd.DataFrame, *, where: str = "") -> pd.DataFrame:
    """Candidates as a curation sheet (:func:`analysis.lexicon.curation.sheet`), the evidence in ``source``.

    Examples
    --------
    >>> t = pd.DataFrame({"candidate": ["新质生产力"], "count": [3], "docs": [2], "first_year": [2024],
    ...                   "last_year": [2025]})
    >>> as_sheet(t, where="gov-work-reports").source.tolist()
    ['discover gov-work-reports: 3 occurrence(s) in 2 document(s), 2024-2025']
    """
    years = [f", {a}-{b}" if pd.notna(a) else "" for a, b in
             zip(table.get("first_year", [pd.NA] * len(table)), table.get("last_year", [pd.NA] * len(table)))]
    label = f"discover {where}".strip()
    sources = [f"{label}: {c} occurrence(s) in {d} document(s){y}"
               for c, d, y in zip(table["count"], table["docs"], years)]
    return curation.sheet(table.candidate.tolist(), sources)


def worked_example(table: pd.DataFrame, *, where: str = "") -> pd.DataFrame:
    """A filled-in curation sheet for teaching: the first candidate accepted as a concept of its own, the second
    rejected, the rest undecided, each decision signed "示例审阅人" (an empty table gives an empty sheet).

    Examples
    --------
    >>> t = pd.DataFrame({"candidate": ["新质生产力", "补短板"], "count": [3, 20], "docs": [2, 9]})
    >>> worked_example(t)[["term", "concept", "decision"]].values.tolist()
    [['新质生产力', '新质生产力', 'accept'], ['补短板', '', 'reject']]
    """
    sheet = as_sheet(table.head(3), where=where)
    if len(sheet):
        sheet.loc[sheet.index[:1], ["concept", "category", "decision", "by", "why"]] = \
            [sheet.term.iloc[0], "示例", "accept", "示例审阅人", "示例：演示接受的记录方式"]
    if len(sheet) > 1:
        sheet.loc[sheet.index[1:2], ["decision", "by", "why"]] = ["reject", "示例审阅人", "示例：演示拒绝的记录方式"]
    return sheet


def trajectories(corpus: Corpus, strings: list[str], *, by: str = "year") -> pd.DataFrame:
    """How often each candidate occurs per ``by`` group (per 10,000 characters), as :func:`analysis.measure.trends.rates`.

    Each candidate is its own concept (every occurrence counts), so the table
    draws with :func:`analysis.present.charts.trend` like the lexicon's concepts.

    Examples
    --------
    >>> from analysis.text.corpus import Document, from_documents
    >>> corp = from_documents([Document(d, t, f"{d}.txt", "utf-8", "", {"year": y})
    ...                        for d, t, y in (("a", "推进新质生产力", 2024), ("b", "各位代表", 2023))])
    >>> trajectories(corp, ["新质生产力"])[["year", "concept", "count"]].values.tolist()
    [[2023, '新质生产力', 0], [2024, '新质生产力', 1]]
    """
    if not strings:
        return pd.DataFrame(columns=[by, "concept", "category", "count", "chars", "per_10k", "docs", "group_docs"])
    terms = from_terms({s: [s] for s in dict.fromkeys(strings)})
    return trends.rates(match.find(corpus.paragraphs, terms), corpus, terms, by=by)


def describe(table: pd.DataFrame, split: str | None = None) -> str:
    """One Chinese sentence saying what a :func:`candidates` table found, naming its first row (for reports).

    Examples
    --------
    >>> t = pd.DataFrame({"candidate": ["新质生产力", "补短板"], "count": [3, 20], "first_year": [2024, 2014],
    ...                   "new": [True, True]})
    >>> describe(t, "year>=2012")
    '在 year>=2012 的文档中相对更常用的候选提法有 2 个，其中 2 个在此前的文档中从未出现；排在第一的是“新质生产力”（3 次，首见于 2024 年）。'
    """
    if table.empty:
        return "没有找到符合条件的候选提法（可以降低最少出现次数再试）。" if split is None else \
            f"没有在 {split} 的文档中相对更常用的候选提法。"
    top = table.iloc[0]
    first = f"，首见于 {int(top.first_year)} 年" if "first_year" in table and pd.notna(top.first_year) else ""
    most = f"排在第一的是“{top.candidate}”（{int(top['count'])} 次{first}）。"
    if split is None:
        return f"词表之外的候选提法共列出 {len(table)} 个；{most}"
    new = int(table["new"].sum()) if "new" in table else 0
    return (f"在 {split} 的文档中相对更常用的候选提法有 {len(table)} 个，其中 {new} 个在此前的文档中从未出现；{most}")
