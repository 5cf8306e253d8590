"""Text reuse between documents: which sentences of one recur, verbatim or reworded, in another.

The method, in two steps, so that hundreds of documents never need an
all-pairs character comparison:

1. **Candidates** by MinHash locality-sensitive hashing (``datasketch``): each
   sentence (:func:`analysis.measure.segment.sentences`, at least
   ``min_chars`` characters) is reduced to its letters, digits and Han
   characters, cut into overlapping character ``ngram``-grams, and
   MinHashed; one LSH index over all sentences returns, for each sentence,
   the sentences whose estimated n-gram Jaccard similarity is about
   ``threshold`` or more (the index is tuned for recall: few pairs are missed,
   and the false candidates are dropped in step 2).
2. **Alignment** with ``rapidfuzz``: each candidate pair of sentences from a
   pair of documents asked about is scored with the normalised Indel
   similarity (``fuzz.ratio``, 0–100: 100 = identical) of the reduced texts;
   pairs scoring at least ``min_similarity`` are reuse, ``verbatim`` when the
   reduced texts are identical (punctuation may differ), ``reworded``
   otherwise. Each sentence of the later document is paired with its best
   match only.

The differences of a pair are marked with :func:`marked` (``[-dropped-]``
and ``{+added+}``, from rapidfuzz's alignment opcodes).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from analysis.errors import InputError
from analysis.measure.segment import sentences
from analysis.text.corpus import Corpus

#: Columns of the passage table.
COLUMNS = ["doc_a", "para_a", "start_a", "end_a", "text_a", "doc_b", "para_b", "start_b", "end_b", "text_b",
           "similarity", "kind", "marked"]
#: Columns of the share table.
SHARE_COLUMNS = ["doc_a", "doc_b", "passages", "verbatim", "chars_b", "reused_chars", "share"]
_NOT_CONTENT = re.compile(r"[\W_]+")


def consecutive(corpus: Corpus, *, by: str = "year") -> list[tuple[str, str]]:
    """Pairs of consecutive documents (each with the next), ordered by a metadata column (then by id).

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import CORPORA_DIR
    >>> consecutive(corpus.build(CORPORA_DIR / "gov-work-reports"))[-1]
    ('gwr-2024', 'gwr-2025')
    """
    docs = corpus.docs
    if by != "doc" and by not in docs.columns:
        raise InputError(f"cannot order the documents by '{by}': the corpus has no such column "
                         f"({', '.join(docs.columns)}); use doc or a metadata column", parameter="by")
    order = docs.sort_values([by, "doc"] if by != "doc" else ["doc"], kind="stable").doc.tolist()
    return list(zip(order[:-1], order[1:]))


def find(paragraphs: pd.DataFrame | Corpus, pairs: Iterable[tuple[str, str]], *, min_similarity: int = 60,
         ngram: int = 2, threshold: float = 0.3, min_chars: int = 10, num_perm: int = 64) -> pd.DataFrame:
    """Sentences of document ``a`` that recur in document ``b``, for each pair ``(a, b)`` asked about.

    Parameters
    ----------
    paragraphs : DataFrame or Corpus
        Cleaned paragraphs (``doc, para, text``) or a corpus.
    pairs : iterable of (str, str)
        Document pairs: the earlier or central document first.
    min_similarity : int, default 60
        Smallest rapidfuzz similarity (0–100) of a pair of sentences counted as reuse.
    ngram, threshold, num_perm : int, float, int
        Character n-gram size, LSH Jaccard threshold and MinHash permutations of the candidate search.
    min_chars : int, default 10
        Sentences shorter than this (greetings, headings) are left out.

    Returns
    -------
    DataFrame
        ``doc_a, para_a, start_a, end_a, text_a, doc_b, para_b, start_b,
        end_b, text_b`` (offsets of each sentence in its paragraph, end
        exclusive), ``similarity`` (0–100), ``kind`` (``verbatim`` or
        ``reworded``), ``marked`` (the differences, see :func:`marked`);
        ordered by pair, then by position in ``b``.

    Examples
    --------
    >>> paras = pd.DataFrame({"doc": ["甲", "乙"], "para": [1, 1], "text": [
    ...     "坚持创新驱动发展战略。加大财政投入力度，支持基础研究。", "坚持创新驱动发展战略！进一步加大财政投入力度，大力支持基础研究。"]})
    >>> find(paras, [("甲", "乙")])[["start_b", "end_b", "kind", "similarity"]].values.tolist()
    [[0, 11, 'verbatim', 100.0], [11, 32, 'reworded', 84.8]]
    """
    from datasketch import MinHash, MinHashLSH  # ~1 s to import: only when reuse is searched

    if not 0 <= min_similarity <= 100:
        raise InputError(f"min_similarity must be between 0 and 100, not {min_similarity}", parameter="min_similarity")
    if isinstance(paragraphs, Corpus):
        paragraphs = paragraphs.paragraphs
    wanted = {(str(a), str(b)) for a, b in pairs}
    unknown = sorted({d for pair in wanted for d in pair} - set(paragraphs["doc"].astype(str)))
    if unknown:
        raise InputError(f"no document named {', '.join(unknown[:5])} among the documents given; "
                         "check the document ids", parameter="pair")
    involved = {d for pair in wanted for d in pair}
    units = sentences(paragraphs[paragraphs["doc"].astype(str).isin(involved)])
    units["key"] = units.text.str.replace(_NOT_CONTENT, "", regex=True)
    units = units[units.key.str.len() >= min_chars].reset_index(drop=True)
    keys, docs = units.key.tolist(), units.doc.astype(str).tolist()
    shingles = [{k[i:i + ngram].encode("utf-8") for i in range(max(len(k) - ngram + 1, 1))} for k in keys]
    hashes = MinHash.bulk(shingles, num_perm=num_perm, seed=1, hashfunc=zlib.crc32)  # crc32: fast, same everywhere
    # weighted for recall (a missed pair is lost; a false candidate only costs one rapidfuzz comparison):
    # at the default settings a pair of Jaccard 0.4 is a candidate with probability 0.996, of 0.3 with 0.95
    by_doc: dict[str, list[int]] = {}
    for index, doc in enumerate(docs):
        by_doc.setdefault(doc, []).append(index)
    rows = []
    tuned = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.1, 0.9))  # bands and rows, computed once
    for doc_a in sorted({a for a, _ in wanted}):  # one index per source document, queried by its partners
        lsh = MinHashLSH(num_perm=num_perm, params=(tuned.b, tuned.r))
        with lsh.insertion_session() as session:
            for i in by_doc.get(doc_a, []):
                session.insert(i, hashes[i], check_duplication=False)
        for doc_b in sorted(b for a, b in wanted if a == doc_a and b != doc_a):
            for j in by_doc.get(doc_b, []):
                best, score = -1, 0.0
                for i in lsh.query(hashes[j]):
                    found = fuzz.ratio(keys[i], keys[j], score_cutoff=min_similarity)
                    if found > score:
                        best, score = i, found
                if best >= 0:
                    rows.append((best, j, round(score, 1)))
    return _passages(units, rows)


def _passages(units: pd.DataFrame, rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    found = np.array([(i, j) for i, j, _ in rows])
    a, b = units.iloc[found[:, 0]].reset_index(drop=True), units.iloc[found[:, 1]].reset_index(drop=True)
    table = pd.DataFrame({
        "doc_a": a.doc, "para_a": a.para, "start_a": a.start, "end_a": a.end, "text_a": a.text,
        "doc_b": b.doc, "para_b": b.para, "start_b": b.start, "end_b": b.end, "text_b": b.text,
        "similarity": [s for _, _, s in rows],
    })
    table["kind"] = np.where(a.key.to_numpy() == b.key.to_numpy(), "verbatim", "reworded")
    table["marked"] = [marked(x, y) for x, y in zip(table.text_a, table.text_b)]
    return table.sort_values(["doc_a", "doc_b", "para_b", "start_b"], kind="stable").reset_index(drop=True)


def differences(a: str, b: str) -> list[tuple[str, str, str]]:
    """The alignment of two passages as ``(tag, text of a, text of b)`` pieces; tags ``equal``, ``delete``, ``insert``, ``replace``.

    Examples
    --------
    >>> differences("加大财政投入", "加大财政资金投入")
    [('equal', '加大财政', '加大财政'), ('insert', '', '资金'), ('equal', '投入', '投入')]
    """
    return [(op.tag, a[op.src_start:op.src_end], b[op.dest_start:op.dest_end]) for op in Indel.opcodes(a, b)]


def marked(a: str, b: str) -> str:
    """Passage ``b`` with what it dropped from ``a`` as ``[-…-]`` and what it added as ``{+…+}``.

    Examples
    --------
    >>> marked("加大财政投入力度。", "进一步加大财政资金投入。")
    '{+进一步+}加大财政{+资金+}投入[-力度-]。'
    """
    pieces = []
    for tag, x, y in differences(a, b):
        if tag == "equal":
            pieces.append(x)
            continue
        if x:
            pieces.append(f"[-{x}-]")
        if y:
            pieces.append(f"{{+{y}+}}")
    return "".join(pieces)


def shares(passages: pd.DataFrame, paragraphs: pd.DataFrame | Corpus,
           pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """How much of each later document ``b`` recurs from ``a``: a row per pair asked about.

    Returns
    -------
    DataFrame
        ``doc_a, doc_b, passages`` (sentences of ``b`` found in ``a``),
        ``verbatim`` (of them, identical), ``chars_b`` (characters of ``b``'s
        cleaned text), ``reused_chars`` (characters of those sentences),
        ``share`` (``reused_chars / chars_b``, 4 decimals).

    Examples
    --------
    >>> paras = pd.DataFrame({"doc": ["甲", "乙"], "para": [1, 1], "text": ["坚持创新驱动发展战略。", "坚持创新驱动发展战略。新增一句话内容。"]})
    >>> shares(find(paras, [("甲", "乙")]), paras, [("甲", "乙")]).values.tolist()
    [['甲', '乙', 1, 1, 19, 11, 0.5789]]
    """
    if isinstance(paragraphs, Corpus):
        paragraphs = paragraphs.paragraphs
    chars = paragraphs.text.str.len().groupby(paragraphs["doc"].astype(str)).sum()
    rows = []
    for a, b in pairs:
        mine = passages[(passages.doc_a == a) & (passages.doc_b == b)]
        reused = int((mine.end_b - mine.start_b).sum())
        total = int(chars.get(b, 0))
        rows.append((a, b, len(mine), int((mine.kind == "verbatim").sum()), total, reused,
                     round(reused / total, 4) if total else 0.0))
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)
