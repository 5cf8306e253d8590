"""Lexicon versions: each version's terms, fixed by a hash recorded in ``data/lexicon/versions.csv``.

A count is only comparable with another if both used the same terms. The
version named in a lexicon's header is the reader's handle on its terms, so a
version must never stand for two different sets of terms. The file
``data/lexicon/versions.csv`` records, for every version of every bundled
lexicon, the date it was fixed, its numbers of concepts and terms, and the
SHA-256 of its terms (:func:`terms_sha256`: categories, concepts and terms in
file order; glosses, sources and notes do not change a count and are left
out). A test compares every bundled lexicon with its row, so a term changed
without a new version (and a new row) fails.

Examples
--------
>>> from analysis.lexicon import from_terms
>>> terms_sha256(from_terms({"协商民主": ["协商民主", "基层协商民主"]}))[:12]
'b9d563c6e652'
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from analysis.config import LEXICON_DIR
from analysis.errors import LexiconError
from analysis.lexicon.dictionary import Lexicon

VERSIONS_FILE = LEXICON_DIR / "versions.csv"
COLUMNS = ["name", "version", "date", "concepts", "terms", "terms_sha256"]


def terms_sha256(lexicon: Lexicon) -> str:
    """SHA-256 of the lexicon's categories, concepts and terms, one ``category<TAB>concept<TAB>term`` line each, in file order.

    Examples
    --------
    >>> import hashlib
    >>> from analysis.lexicon import from_terms
    >>> lex = from_terms({"社区治理": ["社区治理"]}, category="基层治理")
    >>> terms_sha256(lex) == hashlib.sha256("基层治理\\t社区治理\\t社区治理\\n".encode("utf-8")).hexdigest()
    True
    """
    lines = "".join(f"{c}\t{k}\t{t}\n" for c, k, t in lexicon.table[["category", "concept", "term"]].itertuples(index=False))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def recorded(path: str | Path = VERSIONS_FILE) -> pd.DataFrame:
    """The recorded versions: ``name, version, date, concepts, terms, terms_sha256``, all as text.

    Examples
    --------
    >>> table = recorded()
    >>> table.query("name == 'governance' and version == '2.0.0'")[["concepts", "terms"]].values.tolist()
    [['568', '751']]
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        return pd.DataFrame(columns=COLUMNS)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise LexiconError(f"{path}: has no column {', '.join(missing)}; its header must be {','.join(COLUMNS)}")
    return table[COLUMNS]


def entry(lexicon: Lexicon, path: str | Path = VERSIONS_FILE) -> dict[str, str] | None:
    """The recorded row of the lexicon's name and version (``None`` if that version is not recorded).

    Examples
    --------
    >>> from analysis import lexicon
    >>> entry(lexicon.load())["date"]
    '2026-12-02'
    """
    table = recorded(path)
    rows = table[(table.name == lexicon.name) & (table.version == lexicon.version)]
    return None if rows.empty else rows.iloc[-1].to_dict()


def row(lexicon: Lexicon, date: str) -> str:
    """The line to add to ``versions.csv`` for this lexicon's terms, fixed on ``date`` (``YYYY-MM-DD``).

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> row(from_terms({"协商民主": ["协商民主"]}), "2024-01-01")[:40]
    'custom,,2024-01-01,1,1,05b9fd45d45091cd9'
    """
    concepts = lexicon.table.concept.nunique()
    return f"{lexicon.name or 'lexicon'},{lexicon.version},{date},{concepts},{len(lexicon.table)},{terms_sha256(lexicon)}"


def check(lexicon: Lexicon, path: str | Path = VERSIONS_FILE) -> dict[str, str]:
    """Check that the lexicon's version is recorded with exactly its terms; return the recorded row.

    Raises
    ------
    LexiconError
        If the name and version are not recorded, or recorded with other
        terms (a term changed without a new version).

    Examples
    --------
    >>> from analysis import lexicon
    >>> check(lexicon.load())["version"]
    '2.0.0'
    """
    found = entry(lexicon, path)
    where = lexicon.path or lexicon.name
    if found is None:
        raise LexiconError(f"{where}: version '{lexicon.version}' of lexicon '{lexicon.name}' is not recorded in "
                           f"{path}; add the line {row(lexicon, 'YYYY-MM-DD')}")
    digest = terms_sha256(lexicon)
    if found["terms_sha256"] != digest:
        raise LexiconError(f"{where}: its terms differ from those recorded for version '{lexicon.version}' in {path} "
                           f"(terms sha256 {digest[:12]}, recorded {found['terms_sha256'][:12]}); a version stands "
                           "for one set of terms: give the lexicon a new version and add the line "
                           f"{row(lexicon, 'YYYY-MM-DD')}")
    return found
