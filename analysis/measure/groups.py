"""Grouping documents (``by``) and the rate per 10,000 characters, each defined once.

``by`` is the one name of the grouping setting everywhere: ``"corpus"`` (one
group, the default), ``"doc"`` (each document), or a metadata column such as
``"year"``.
"""

from __future__ import annotations

import pandas as pd

from analysis.config import RATE_BASE
from analysis.errors import InputError
from analysis.text.corpus import Corpus

#: The value of ``by`` that puts every document in one group.
WHOLE_CORPUS = "corpus"
#: Document columns that are not metadata and cannot group.
NOT_GROUPS = ("path", "encoding", "sha256", "chars")


def check_by(corpus: Corpus, by: str | None, *, whole_corpus: bool = True) -> str:
    """``by`` checked against the corpus: ``"corpus"`` (``None`` means it too), ``"doc"`` or a metadata column.

    Parameters
    ----------
    whole_corpus : bool, default True
        Whether one group for everything is allowed (trends need real groups).

    Raises
    ------
    InputError
        If ``by`` is not ``corpus``, ``doc`` or a metadata column of the corpus.

    Examples
    --------
    >>> from analysis.text.corpus import Document, from_documents
    >>> corp = from_documents([Document("a", "社区治理", "a.txt", "utf-8", "", {"year": 2020})])
    >>> check_by(corp, None), check_by(corp, "year")
    ('corpus', 'year')
    """
    by = WHOLE_CORPUS if by is None else by
    if by == WHOLE_CORPUS:
        if not whole_corpus:
            raise InputError(f"this needs a column to group by, such as 'year'; '{WHOLE_CORPUS}' is one group "
                             f"(available: {', '.join(['doc', *corpus.metadata_columns])})", parameter="by")
        return by
    if by not in corpus.docs.columns or by in NOT_GROUPS:
        available = ", ".join([WHOLE_CORPUS, "doc", *corpus.metadata_columns])
        raise InputError(f"cannot group by '{by}': no such metadata column (available: {available})",
                         parameter="by")
    return by


def group_of(corpus: Corpus, by: str | None) -> pd.Series | None:
    """The group of each document (indexed by ``doc``) for ``by``; ``None`` for the whole corpus."""
    by = check_by(corpus, by)
    if by == WHOLE_CORPUS:
        return None
    return corpus.docs.set_index("doc", drop=False)[by]


def with_group(by: str | None, columns: list[str]) -> list[str]:
    """A table's columns, with the group column first when grouped."""
    return columns if by in (None, WHOLE_CORPUS) else [by, *columns]


def per_10k(count: pd.Series, chars: pd.Series) -> pd.Series:
    """Occurrences per 10,000 characters of cleaned text, rounded to 4 decimals: ``count / chars * 10,000``.

    Examples
    --------
    >>> per_10k(pd.Series([3]), pd.Series([1917])).tolist()
    [15.6495]
    """
    return (count / chars * RATE_BASE).round(4)
