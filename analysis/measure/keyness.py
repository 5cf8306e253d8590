"""Keyness: which concepts or words are over-used in a target corpus compared to a reference.

For one item, with ``a`` = its count in the target, ``b`` = its count in the
reference, ``c`` = the size of the target and ``d`` = the size of the
reference (the two-by-two table of Rayson and Garside 2000):

- expected counts ``E1 = c * (a + b) / (c + d)`` and ``E2 = d * (a + b) / (c + d)``;
- **log-likelihood** ``g2 = 2 * (a * ln(a / E1) + b * ln(b / E2))``, a term
  with a zero count taken as 0 (Dunning 1993; the two-cell form of Rayson
  and Garside 2000, as in the Lancaster log-likelihood wizard). ``g2``
  measures how sure we may be that the difference is not chance: under
  the null hypothesis of equal relative frequencies it follows a chi-square
  distribution with 1 degree of freedom, giving ``p``
  (``scipy.stats.chi2.sf(g2, 1)``); 3.84 is p < 0.05, 6.63 p < 0.01,
  10.83 p < 0.001, 15.13 p < 0.0001.
- **log ratio** ``log_ratio = log2((a / c) / (b / d))`` (Hardie 2014,
  "Log Ratio - an informal introduction", CASS), the effect size: how much
  more frequent the item is in the target, in doublings (1 = twice as
  frequent, -1 = half, 0 = equal). A zero count is replaced by 0.5 before
  dividing (Hardie's zero correction), so an item absent from one side gets
  a finite, conservative ratio; the counts shown are not changed.
- ``key_for``: ``"target"`` when the item's relative frequency is higher in
  the target (``a / c > b / d``), ``"reference"`` when lower, ``"neither"``
  when equal. Read ``g2``/``p`` for "is it real" and ``log_ratio`` for "how
  big"; with large corpora tiny differences are significant.

Sizes: for concepts, the characters of cleaned text (the denominator of
``per_10k`` in :mod:`analysis.measure.count`); for words, the number of counted word
tokens (after dropping punctuation and stopwords, as
:func:`analysis.measure.words.frequencies` counts them).
"""

from __future__ import annotations

import operator
import re
import unicodedata
import warnings
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import InputError, InputNotice, Note, first_names
from analysis.lexicon import Lexicon
from analysis.measure import count, match
from analysis.measure import words as word_counts
from analysis.measure.groups import NOT_GROUPS
from analysis.measure.segment import Segmenter
from analysis.text.corpus import Corpus

KEYNESS_COLUMNS = ["item", "target_count", "reference_count", "target_total", "reference_total",
                   "g2", "p", "log_ratio", "key_for"]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le, ">=": operator.ge, "!=": operator.ne, "==": operator.eq,
    "<": operator.lt, ">": operator.gt, "=": operator.eq,
}
_SPLIT = re.compile(r"^\s*([^<>=!\s]+)\s*(<=|>=|!=|==|<|>|=)\s*(.+?)\s*$")


def compare(
    target: Mapping[str, int] | pd.Series,
    reference: Mapping[str, int] | pd.Series,
    target_total: int,
    reference_total: int,
    *,
    min_count: int = 1,
) -> pd.DataFrame:
    """Log-likelihood and log ratio of every item from its counts on two sides.

    Parameters
    ----------
    target, reference : mapping or Series of item -> count
        Counts in the target and in the reference; an item missing on one
        side counts 0 there.
    target_total, reference_total : int
        Sizes of the two sides (characters, or word tokens).
    min_count : int, default 1
        Keep items with ``target_count + reference_count >= min_count``.

    Returns
    -------
    DataFrame
        ``item, target_count, reference_count, target_total,
        reference_total, g2, p, log_ratio, key_for`` (formulas in the module
        docstring), highest ``g2`` first, then item.

    Raises
    ------
    InputError
        If a total is not positive or ``min_count`` is below 1.

    Examples
    --------
    >>> t = compare({"全过程人民民主": 10, "协商民主": 5}, {"协商民主": 5}, 1000, 1000)
    >>> t[["item", "g2", "log_ratio", "key_for"]].values.tolist()
    [['全过程人民民主', 13.8629, 4.3219, 'target'], ['协商民主', 0.0, 0.0, 'neither']]
    """
    if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
        raise InputError(f"the minimum count must be a whole number of 1 or more, not {min_count!r}")
    for name, total in (("target", target_total), ("reference", reference_total)):
        if not total or total <= 0:
            raise InputError(f"the {name} is empty (size {total}); give a {name} with some text")
    t, r = pd.Series(target, dtype="int64"), pd.Series(reference, dtype="int64")
    items = list(dict.fromkeys([*t.index, *r.index]))
    a = t.reindex(items, fill_value=0).to_numpy(dtype=float)
    b = r.reindex(items, fill_value=0).to_numpy(dtype=float)
    c, d = float(target_total), float(reference_total)
    g2, log_ratio = log_likelihood(a, b, c, d), _log_ratio(a, b, c, d)
    rate_t, rate_r = a / c, b / d
    from scipy.special import chdtrc  # heavy (~0.2 s): imported when a comparison is made, not at start-up

    table = pd.DataFrame({
        "item": pd.Series(items, dtype=object),
        "target_count": a.astype("int64"),
        "reference_count": b.astype("int64"),
        "target_total": int(target_total),
        "reference_total": int(reference_total),
        "g2": np.round(g2, 4),
        "p": chdtrc(1, g2),  # = scipy.stats.chi2.sf(g2, 1), without importing scipy.stats
        "log_ratio": np.round(log_ratio, 4),
        "key_for": np.where(rate_t > rate_r, "target", np.where(rate_t < rate_r, "reference", "neither")),
    }, columns=KEYNESS_COLUMNS)
    table = table[(table.target_count + table.reference_count) >= min_count]
    table = table.sort_values(["g2", "item"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


def log_likelihood(a, b, c, d) -> np.ndarray:
    """G² of Rayson and Garside (2000) for counts ``a``, ``b`` in corpora of sizes ``c``, ``d``.

    Examples
    --------
    >>> float(log_likelihood(10, 0, 1000, 1000).round(4))  # 2 * 10 * ln(10 / 5)
    13.8629
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        term_a = np.where(a > 0, a * np.log(a / e1), 0.0)
        term_b = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (term_a + term_b)


def _log_ratio(a, b, c, d) -> np.ndarray:
    a = np.where(a == 0, 0.5, a)
    b = np.where(b == 0, 0.5, b)
    return np.log2((a / c) / (b / d))


def concepts(
    target: Corpus,
    reference: Corpus,
    lexicon: Lexicon,
    *,
    min_count: int = 1,
) -> pd.DataFrame:
    """Keyness of the lexicon's concepts, target against reference.

    Counts are :func:`analysis.measure.count.concepts` of each corpus; sizes are
    their characters of cleaned text.

    Parameters
    ----------
    target, reference : Corpus
        E.g. two :func:`analysis.text.corpus.build` results, or the two halves of
        :func:`by_groups`.
    lexicon : Lexicon
        The concepts to compare.
    min_count : int, default 1
        Keep concepts occurring at least this often on both sides together.

    Returns
    -------
    DataFrame
        As :func:`compare`; ``item`` is the concept.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import CORPORA_DIR
    >>> corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    >>> after, before = by_groups(corp, "year", lambda y: y >= 2012)
    >>> k = concepts(after, before, lexicon.load())
    >>> row = k.set_index("item").loc["全过程人民民主"]
    >>> int(row.target_count), int(row.reference_count), row.key_for
    (9, 0, 'target')
    """
    sides = []
    for corp in (target, reference):
        freq = count.concepts(match.find(corp.paragraphs, lexicon), corp, lexicon)
        sides.append((freq.set_index("concept")["count"], int(corp.docs.chars.sum())))
    (t, tc), (r, rc) = sides
    return compare(t, r, tc, rc, min_count=min_count)


def words(
    target: Corpus,
    reference: Corpus,
    segmenter: Segmenter,
    *,
    stopwords: frozenset[str] | None = None,
    min_count: int = 5,
) -> pd.DataFrame:
    """Keyness of open-vocabulary words, target against reference.

    Counts are :func:`analysis.measure.words.frequencies` of each corpus (lexicon
    terms kept whole, punctuation and stopwords dropped); sizes are the
    total counted word tokens of each side.

    Parameters
    ----------
    target, reference : Corpus
        The two sides.
    segmenter : Segmenter
        Keeps the lexicon's terms whole (the same on both sides).
    stopwords : frozenset of str, optional
        Default: :func:`analysis.measure.words.stopword_set`.
    min_count : int, default 5
        Keep words occurring at least this often on both sides together.

    Returns
    -------
    DataFrame
        As :func:`compare`; ``item`` is the word.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import CORPORA_DIR
    >>> corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    >>> after, before = by_groups(corp, "year", lambda y: y >= 2012)
    >>> k = words(after, before, Segmenter(lexicon.load()))
    >>> k.query("key_for == 'target'").item.iloc[0]  # doctest: +SKIP
    '新时代'
    """
    sides = []
    for corp in (target, reference):
        freq = word_counts.frequencies(corp, segmenter, stopwords=stopwords)
        sides.append((freq.set_index("word")["count"], int(freq["count"].sum())))
    (t, tc), (r, rc) = sides
    return compare(t, r, tc, rc, min_count=min_count)


def by_groups(
    corpus: Corpus,
    column: str,
    target: Any | Collection[Any] | Callable[[Any], bool],
) -> tuple[Corpus, Corpus]:
    """Split one corpus in two by a metadata column: (target, reference).

    Parameters
    ----------
    corpus : Corpus
        The corpus to split.
    column : str
        A metadata column (e.g. ``"year"``) or ``"doc"``.
    target : value, collection of values, or callable
        Documents whose ``column`` equals the value, is in the collection,
        or makes the callable return true form the target; the rest the
        reference.

    Returns
    -------
    (Corpus, Corpus)
        Target and reference, each with its documents, paragraphs and
        cleaning report.

    Raises
    ------
    InputError
        If the column does not exist, or either side has no document.

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import CORPORA_DIR
    >>> corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    >>> after, before = by_groups(corp, "year", lambda year: year >= 2012)
    >>> after.docs.year.tolist()
    [2012, 2017, 2022]
    """
    return _by_groups(corpus, column, target, described=None)


def _by_groups(corpus: Corpus, column: str, target: Any, *, described: str | None,
               values: pd.Series | None = None) -> tuple[Corpus, Corpus]:
    if column not in corpus.docs.columns or column in NOT_GROUPS:
        available = ", ".join(["doc", *corpus.metadata_columns])
        raise InputError(f"cannot split by '{column}': no such metadata column (available: {available})",
                         parameter="split")
    values = corpus.docs[column] if values is None else values
    missing = values.isna() | values.astype(str).str.strip().eq("")
    if missing.any():
        left_out = corpus.docs.doc[missing].tolist()
        warnings.warn(InputNotice(Note(
            f"{len(left_out)} document(s) have no usable '{column}' value and are left out of both sides: "
            f"{first_names(left_out)}", parameter="split")))
    if callable(target):
        chosen = values.map(lambda v: False if _blank(v) else bool(target(v)))
        described = described or f"the condition on '{column}'"
    elif isinstance(target, Collection) and not isinstance(target, str):
        chosen = values.isin(list(target))
        described = described or f"{column} in {list(target)}"
    else:
        chosen = values == target
        described = described or f"{column} == {target!r}"
    chosen = chosen.fillna(False).astype(bool) & ~missing
    if not chosen.any():
        raise InputError(f"no document matches {described}; check the value against the '{column}' column")
    if (chosen | missing).all():
        raise InputError(f"every document matches {described}, leaving no reference; choose a narrower split")
    docs = corpus.docs.doc
    return corpus.subset(set(docs[chosen])), corpus.subset(set(docs[~chosen & ~missing]))


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or \
        (isinstance(value, str) and not value.strip())


_CHINESE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}


def as_number(value: Any) -> float | None:
    """A metadata value as a number: digits (``2019``, ``"2019"``, full-width ``２０１９``) or a year in
    Chinese numerals written digit by digit (``二〇二〇``); None for anything else.

    Examples
    --------
    >>> as_number("2019"), as_number("二〇二〇"), as_number(""), as_number("十三五")
    (2019.0, 2020.0, None, None)
    """
    if _blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    try:
        return float(text)
    except ValueError:
        pass
    if text and all(ch in _CHINESE_DIGITS for ch in text):
        return float("".join(str(_CHINESE_DIGITS[ch]) for ch in text))
    return None


def split(corpus: Corpus, expression: str) -> tuple[Corpus, Corpus]:
    """Split a corpus by a condition written as text, e.g. ``"year>=2012"``: (target, reference).

    The condition is ``COLUMN OP VALUE`` with ``OP`` one of ``< <= > >= ==
    = !=``. When ``VALUE`` is a number and the column's values read as
    numbers (digits, or years in Chinese numerals such as 二〇二〇; see
    :func:`as_number`), they are compared as numbers, else as text.
    Documents meeting it are the target; documents without a value (or, in a
    numeric comparison, with a value that is not a number) are on neither
    side, and a notice names them.

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import CORPORA_DIR
    >>> after, before = split(corpus.build(CORPORA_DIR / "cpc-congress-reports"), "year >= 2012")
    >>> len(after.docs), len(before.docs)
    (3, 9)
    """
    column, op, value = parse_split(expression)
    if column not in corpus.docs.columns:
        return _by_groups(corpus, column, None, described=f"'{expression}'")
    raw = corpus.docs[column]
    wanted = as_number(value)
    numbers = raw.map(as_number)
    present = ~raw.map(_blank)
    if wanted is not None and present.any() and numbers[present].notna().mean() >= 0.5:
        odd = corpus.docs.doc[present & numbers.isna()].tolist()
        if odd:
            warnings.warn(InputNotice(Note(
                f"split '{expression}': {len(odd)} document(s) have a '{column}' that is not a number and are left "
                f"out of both sides: {first_names(odd)}", parameter="split")))
        values = numbers.where(numbers.notna(), None).astype(object).where(numbers.notna(), pd.NA)
        return _by_groups(corpus, column, lambda v: _OPS[op](v, wanted), described=f"'{expression}'",
                          values=values)
    if pd.api.types.is_numeric_dtype(raw) and wanted is None:
        raise InputError(f"split '{expression}': '{column}' holds numbers, but '{value}' is not one",
                         parameter="split")
    text = raw.map(lambda v: None if _blank(v) else str(v)).astype(object).where(present, pd.NA)
    return _by_groups(corpus, column, lambda v: _OPS[op](v, value), described=f"'{expression}'", values=text)


def by_source(corpus: Corpus, target: str | Path) -> tuple[Corpus, Corpus]:
    """Split a corpus read from several inputs into the documents read from ``target`` and the rest.

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import CORPORA_DIR
    >>> both = corpus.build([CORPORA_DIR / "cpc-congress-reports", CORPORA_DIR / "gov-work-reports"])
    >>> congress, reports = by_source(both, CORPORA_DIR / "cpc-congress-reports")
    >>> len(congress.docs), len(reports.docs)
    (12, 57)
    """
    root = Path(target).resolve()

    def inside(path: str) -> bool:
        source = Path(path.split("#row=")[0]).resolve()
        return source == root or root in source.parents

    chosen = corpus.docs.path.map(inside)
    if not chosen.any() or chosen.all():
        side = "target" if not chosen.any() else "reference"
        raise InputError(f"{target}: the {side} has no document; give a target and a reference with texts")
    docs = corpus.docs.doc
    return corpus.subset(set(docs[chosen])), corpus.subset(set(docs[~chosen]))


def median_split(corpus: Corpus, by: str = "year") -> str:
    """A split condition near the middle of ``by`` that leaves documents on both sides, e.g. ``"year >= 2012"``.

    The threshold is the value of ``by`` that puts the number of documents at
    or above it closest to half (ties: the earlier value), never the smallest
    value (that would leave no reference).

    Raises
    ------
    InputError
        If the documents have fewer than two different values of ``by``.

    Examples
    --------
    >>> from analysis.text.corpus import Document, from_documents
    >>> corp = from_documents([Document(d, "社区治理", f"{d}.txt", "utf-8", "", {"year": y})
    ...                        for d, y in (("a", 2019), ("b", 2020))])
    >>> median_split(corp)
    'year >= 2020'
    """
    values = pd.to_numeric(corpus.docs[by], errors="coerce").dropna()
    distinct = sorted(values.unique())
    if len(distinct) < 2:
        raise InputError(f"the documents have {len(distinct)} different '{by}' value(s); a comparison of two "
                         "periods needs at least two", parameter="split")
    half = len(values) / 2
    best = min(distinct[1:], key=lambda v: (abs(int((values >= v).sum()) - half), v))
    return f"{by} >= {int(best) if float(best).is_integer() else best}"


def parse_split(expression: str) -> tuple[str, str, str]:
    """``"year>=2012"`` -> ``("year", ">=", "2012")``.

    Raises
    ------
    InputError
        If the expression is not ``COLUMN OP VALUE``.

    Examples
    --------
    >>> parse_split("year < 2012")
    ('year', '<', '2012')
    """
    found = _SPLIT.match(expression or "")
    if not found:
        raise InputError(
            f"cannot read the split '{expression}'; write COLUMN OP VALUE, e.g. year>=2012 "
            "(OP one of < <= > >= == !=)")
    column, op, value = found.groups()
    return column, op, value.strip("'\"")
