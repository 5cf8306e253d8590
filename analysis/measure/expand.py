"""Terms that behave like a concept: nearest neighbours in word embeddings trained on the corpus itself.

The embeddings are gensim's Word2Vec, trained on the project's own
segmentation (:class:`~analysis.measure.segment.Segmenter`): every lexicon
term is one token, so seeds such as 社区治理 or 全过程人民民主 are in the
vocabulary (plain jieba would cut them apart), and every lexicon term that
occurs as a token at least once is kept in the vocabulary whatever its count.
Tokens are the words :func:`analysis.measure.words.frequencies` counts
(punctuation, numbers and stopwords dropped); one paragraph is one sentence.

Reproducible by construction: one worker thread, a fixed seed, a hash
function that does not depend on ``PYTHONHASHSEED``, and the vocabulary in
corpus order; :data:`PARAMETERS` are recorded with every result (``attrs``)
and are part of the cache key. The model is cached in the per-user cache
folder, keyed by the text of the corpus, the lexicon's terms, the segmenter
and the parameters, so a changed lexicon never reuses a stale model; when the
cache cannot be used the model is trained without it (one notice).

Suggestions are candidates to read, not results to count: a neighbour shares
contexts with the seed (协商民主's neighbours include other kinds of
democracy and the bodies that practise it), which is a reason to read its
KWIC lines, not evidence that it belongs to the concept.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import warnings
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from analysis.config import cache_dir
from analysis.engine.progress import progress_bar
from analysis.errors import CacheError, InputError, InputNotice
from analysis.lexicon import Lexicon, curation
from analysis.measure import kwic
from analysis.measure import words as word_counts
from analysis.measure.segment import Segmenter
from analysis.text.corpus import Corpus

#: Word2Vec settings of every model (skip-gram, 100 dimensions, window 5, 10 epochs, one worker, seed 1).
PARAMETERS = {"sg": 1, "vector_size": 100, "window": 5, "min_count": 5, "epochs": 10, "negative": 5,
              "sample": 1e-3, "seed": 1, "workers": 1}
EXPAND_COLUMNS = ["seed", "candidate", "similarity", "count", "docs", "kwic_first", "kwic_last"]
#: Numbering words of the documents' structure (第六, 七是): never suggested.
NUMBERING = re.compile("^(第[〇一二三四五六七八九十百千]+|[一二三四五六七八九十]+是)$")
#: Bumped when the tokens or the training change (part of the cache key).
MODEL_VERSION = "1"


def describe_parameters() -> str:
    """The training parameters in one line, for notices and reports.

    Examples
    --------
    >>> describe_parameters()
    'skip-gram, 100 dimensions, window 5, min_count 5 (lexicon terms always kept), 10 epochs, 5 negative samples, sample 0.001, seed 1, 1 worker'
    """
    p = PARAMETERS
    return (f"{'skip-gram' if p['sg'] else 'CBOW'}, {p['vector_size']} dimensions, window {p['window']}, "
            f"min_count {p['min_count']} (lexicon terms always kept), {p['epochs']} epochs, {p['negative']} negative "
            f"samples, sample {p['sample']}, seed {p['seed']}, {p['workers']} worker")


def stable_hash(text: str) -> int:
    """A hash of a string that is the same in every Python process (unlike ``hash``), for gensim's ``hashfxn``.

    Examples
    --------
    >>> stable_hash("协商民主") == stable_hash("协商民主"), 0 <= stable_hash("协商民主") < 2 ** 32
    (True, True)
    """
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "little")


def sentences(corpus: Corpus, segmenter: Segmenter, *, stopwords: frozenset[str] | None = None,
              progress: bool | None = None) -> list[list[str]]:
    """The corpus as token lists, one per paragraph: lexicon terms whole, only counted words kept.

    Examples
    --------
    >>> from analysis.text.corpus import Document, from_documents
    >>> corp = from_documents([Document("a", "推进基层协商民主。", "a.txt", "utf-8", "")])
    >>> from analysis.lexicon import from_terms
    >>> sentences(corp, Segmenter(from_terms({"协商民主": ["基层协商民主"]})))
    [['推进', '基层协商民主']]
    """
    stopwords = word_counts.stopword_set() if stopwords is None else stopwords
    protected = frozenset(segmenter.lexicon.terms) if segmenter.lexicon is not None else frozenset()
    texts = corpus.paragraphs.text.tolist()
    bar = progress_bar(total=sum(map(len, texts)), desc="segmenting", progress=progress)
    out = []
    try:
        for text in texts:
            tokens = [t for t in segmenter.cut(text) if word_counts.keep(t, stopwords, protected)]
            if tokens:
                out.append(tokens)
            bar.update(len(text))
    finally:
        bar.close()
    return out


def model_key(corpus: Corpus, segmenter: Segmenter, parameters: dict) -> str:
    """The cache key of a model: corpus text, segmenter (lexicon terms included), parameters, gensim version."""
    digest = hashlib.sha256()
    for text in corpus.paragraphs.text.tolist():
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    terms = "\n".join(segmenter.lexicon.terms) if segmenter.lexicon is not None else ""
    digest.update(f"\0{terms}\0{segmenter.signature}\0{sorted(parameters.items())}\0gensim {version('gensim')}"
                  f"\0{MODEL_VERSION}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def train(corpus: Corpus, lexicon: Lexicon, *, cache: bool = True, progress: bool | None = None):
    """Word vectors of the corpus (gensim ``KeyedVectors``), from the cache when the same model was trained before.

    Parameters
    ----------
    corpus : Corpus
        The cleaned corpus.
    lexicon : Lexicon
        Its terms are single tokens and always in the vocabulary (when they occur).
    cache : bool, default True
        Read and write the model cache (``<cache folder>/models``).
    progress : bool, optional
        Progress bars (``None``: where someone can see them).

    Returns
    -------
    gensim.models.KeyedVectors
        The vectors: the same corpus, lexicon and :data:`PARAMETERS` always give the same ones.

    Raises
    ------
    InputError
        If no word of the corpus occurs ``min_count`` times (and no lexicon term occurs).
    """
    from gensim.models import KeyedVectors, Word2Vec  # heavy (~1 s): only when embeddings are needed

    segmenter = Segmenter(lexicon)
    path = None
    if cache:
        try:
            folder = cache_dir() / "models"
            folder.mkdir(exist_ok=True)
            path = folder / f"word2vec-{model_key(corpus, segmenter, PARAMETERS)}.bin"
            if path.is_file():
                return KeyedVectors.load_word2vec_format(str(path), binary=True)
        except (CacheError, OSError, ValueError, EOFError, UnicodeDecodeError) as exc:
            _cache_notice(exc)
            path = None
    tokens = sentences(corpus, segmenter, progress=progress)
    terms = frozenset(lexicon.terms)
    frequency = Counter(token for sentence in tokens for token in sentence)
    if not any(n >= PARAMETERS["min_count"] or word in terms for word, n in frequency.items()):
        raise InputError(f"the texts are too short to learn word vectors from: no word occurs "
                         f"{PARAMETERS['min_count']} times; give more text")

    def keep_terms(word, count, min_count):  # gensim's trim_rule: lexicon terms stay in the vocabulary
        return 2 if word in terms else 0  # 2 = utils.RULE_KEEP, 0 = RULE_DEFAULT

    model = Word2Vec(sentences=tokens, hashfxn=stable_hash, trim_rule=keep_terms, **PARAMETERS)
    vectors = model.wv
    if path is not None:
        try:
            _save(vectors, path)
        except OSError as exc:
            _cache_notice(exc)
    return vectors


def _save(vectors, path: Path) -> None:
    """Write the vectors atomically (a temporary file renamed), so a reader never sees half a model."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        vectors.save_word2vec_format(temporary, binary=True)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _cache_notice(exc: Exception) -> None:
    warnings.warn(InputNotice(f"working without the model cache: {exc}"))


def neighbours(
    corpus: Corpus,
    lexicon: Lexicon,
    seeds: list[str],
    *,
    top: int = 20,
    vectors=None,
    cache: bool = True,
    kwic_width: int = 15,
    skip_missing: bool = False,
    progress: bool | None = None,
) -> pd.DataFrame:
    """The words nearest to each seed in the corpus's embeddings, with evidence.

    Lexicon terms, single characters and numbering words (第六, 七是) are not suggested.

    Parameters
    ----------
    corpus : Corpus
        The cleaned corpus.
    lexicon : Lexicon
        Segmentation keeps its terms whole; its terms are not suggested.
    seeds : list of str
        Concept names (the concept's terms in the vocabulary, averaged) or words.
    top : int, default 20
        Suggestions per seed.
    vectors : KeyedVectors, optional
        A model from :func:`train` (default: trained or read from the cache).
    cache : bool, default True
        Use the model cache.
    kwic_width : int, default 15
        Characters of context in the KWIC columns.
    skip_missing : bool, default False
        Leave out seeds that are not in the vocabulary (listed in
        ``attrs["missing"]``) instead of raising; a corpus too small to
        train on gives an empty table with every seed missing.
    progress : bool, optional
        Progress bars.

    Returns
    -------
    DataFrame
        ``seed, candidate, similarity`` (cosine, 4 decimals), ``count``
        (occurrences as a token), ``docs``, ``kwic_first, kwic_last``; per
        seed, most similar first. ``attrs["parameters"]`` holds
        :data:`PARAMETERS`.

    Raises
    ------
    InputError
        If ``top`` is below 1, no seed is given, or a seed is not in the vocabulary.
    """
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise InputError(f"top must be a whole number of at least 1, not {top!r}", parameter="top")
    seeds = [s.strip() for s in seeds if isinstance(s, str) and s.strip()]
    if not seeds:
        raise InputError("give at least one seed: a concept of the lexicon or a word", parameter="term")
    if vectors is None:
        try:
            vectors = train(corpus, lexicon, cache=cache, progress=progress)
        except InputError:
            if not skip_missing:
                raise
            table = pd.DataFrame(columns=EXPAND_COLUMNS)
            table.attrs.update(parameters=dict(PARAMETERS), missing=seeds)
            return table
    known = frozenset(lexicon.terms) | frozenset(lexicon.table.concept)
    rows, missing = [], []
    for seed in seeds:
        try:
            positive = _seed_words(seed, lexicon, vectors)
        except InputError:
            if not skip_missing:
                raise
            missing.append(seed)
            continue
        found = vectors.most_similar(positive=positive, topn=top + len(known) + 50)
        kept = [(word, score) for word, score in found
                if word not in known and len(word) > 1 and not NUMBERING.match(word)][:top]
        rows.extend((seed, word, round(float(score), 4)) for word, score in kept)
    table = pd.DataFrame(rows, columns=["seed", "candidate", "similarity"])
    table = _with_evidence(table, corpus, lexicon, width=kwic_width)
    table.attrs["parameters"] = dict(PARAMETERS)
    table.attrs["missing"] = missing
    return table


def _seed_words(seed: str, lexicon: Lexicon, vectors) -> list[str]:
    """The vocabulary words a seed stands for: a concept's terms, else the word itself."""
    terms = lexicon.table.loc[lexicon.table.concept == seed, "term"].tolist() or [seed]
    present = [t for t in terms if t in vectors.key_to_index]
    if not present:
        raise InputError(f"'{seed}' is not in the vocabulary of the word vectors (it occurs fewer than "
                         f"{PARAMETERS['min_count']} times as a word, or not at all); choose another seed, or add "
                         "it to the lexicon so it is kept whole", parameter="term")
    return present


def _with_evidence(table: pd.DataFrame, corpus: Corpus, lexicon: Lexicon, *, width: int) -> pd.DataFrame:
    """Token counts, documents and the first and last KWIC line of every suggested word."""
    if table.empty:
        return pd.DataFrame(columns=EXPAND_COLUMNS)
    words = list(dict.fromkeys(table.candidate))
    segmenter = Segmenter(lexicon)
    counts: Counter = Counter()
    docs: Counter = Counter()
    wanted = set(words)
    for doc, texts in corpus.paragraphs.groupby("doc", sort=False).text:
        found = {w: n for w, n in segmenter.counts(texts.tolist()).items() if w in wanted}
        counts.update(found)
        docs.update(found.keys())
    evidence = kwic.first_and_last(corpus, words, width=width)
    return table.assign(
        count=table.candidate.map(counts).fillna(0).astype("int64"),
        docs=table.candidate.map(docs).fillna(0).astype("int64"),
        kwic_first=table.candidate.map(lambda w: evidence[w][0]),
        kwic_last=table.candidate.map(lambda w: evidence[w][1]),
    )[EXPAND_COLUMNS]


def as_sheet(table: pd.DataFrame, *, where: str = "") -> pd.DataFrame:
    """Suggestions as a curation sheet (:func:`analysis.lexicon.curation.sheet`), seed and similarity in ``source``.

    A word suggested for two seeds is listed once, with its first (most similar) seed.

    Examples
    --------
    >>> t = pd.DataFrame({"seed": ["协商民主"], "candidate": ["参政议政"], "similarity": [0.8856], "count": [11],
    ...                   "docs": [9]})
    >>> as_sheet(t, where="bundled corpora").source.tolist()
    ['expand bundled corpora: near 协商民主 (similarity 0.8856), 11 occurrence(s) in 9 document(s)']
    """
    label = f"expand {where}".strip()
    sources = [f"{label}: near {s} (similarity {v:.4f}), {c} occurrence(s) in {d} document(s)"
               for s, v, c, d in zip(table.seed, table.similarity, table["count"], table["docs"])]
    return curation.sheet(table.candidate.tolist(), sources)
