"""The concept dictionary: concepts, their variant terms, categories, glosses and sources.

Two equivalent forms are read:

YAML (the source of truth for the bundled lexicon)::

    name: governance
    version: "1.0.0"
    description: ...
    categories:
      - category: 党的建设
        en: Party building
        concepts:
          - concept: 协商民主
            en: Consultative democracy
            terms: [协商民主, 基层协商民主]
            source: "sample essay; congress-18"
            since: 2007           # optional: year the wording entered official use, or "unknown"
            unattested: []        # optional: terms seen in no bundled text
            note: ""              # optional

CSV: one row per term, columns ``concept,term`` and optionally ``category``,
``en``, ``source``, ``since``.

Validation is strict, because a silently merged or dropped term changes
counts: a term under two concepts, an empty term, a term with line breaks,
missing columns, or a concept without terms is an error naming the term and
where it is. Leading and trailing spaces (ASCII or full-width) are stripped;
a term listed twice under the same concept is kept once.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.config import DEFAULT_LEXICON
from analysis.errors import LexiconError
from analysis.text.encoding import decode

COLUMNS = ["category", "concept", "term", "en", "source"]
_STRIP = " \t\u3000\u00a0\ufeff"


@dataclass(frozen=True)
class Lexicon:
    """A validated concept dictionary.

    Attributes
    ----------
    table : DataFrame
        One row per term: ``category, concept, term, en, source`` (plus
        ``unattested`` as bool and ``since`` as nullable Int64: the concept's
        year, missing when absent or ``"unknown"``), in the order of the file.
    name, version, description : str
        From the YAML header (CSV: the file stem, ``""`` and ``""``).
    path : str
        The file it was read from (``""`` if built in memory).
    sha256 : str
        Hash of the file's bytes (of the table for in-memory lexicons), for provenance.
    """

    table: pd.DataFrame
    name: str = ""
    version: str = ""
    description: str = ""
    path: str = ""
    sha256: str = ""

    @property
    def terms(self) -> list[str]:
        """All terms, in file order."""
        return self.table.term.tolist()

    @cached_property
    def concept_codes(self) -> np.ndarray:
        """The concept of each term (in :attr:`terms` order) as an integer code into :attr:`concept_names`.

        Examples
        --------
        >>> from_terms({"协商民主": ["协商民主", "基层协商民主"], "社区治理": ["社区治理"]}).concept_codes.tolist()
        [0, 0, 1]
        """
        codes, _ = pd.factorize(self.table.concept)
        return np.asarray(codes, dtype=np.int64)

    @cached_property
    def concept_names(self) -> list[str]:
        """The concepts in lexicon order (the names :attr:`concept_codes` point to)."""
        return self.table.concept.drop_duplicates().tolist()

    @property
    def concepts(self) -> pd.DataFrame:
        """One row per concept: ``category, concept, en, terms, since`` (terms joined with ``/``)."""
        grouped = self.table.groupby("concept", sort=False)
        return pd.DataFrame({
            "category": grouped.category.first(),
            "concept": grouped.concept.first(),
            "en": grouped.en.first(),
            "terms": grouped.term.agg("/".join),
            "since": grouped.since.first(),
        }).reset_index(drop=True)

    def citation(self) -> str:
        """How reports cite this lexicon: name, version and hash."""
        return f"{self.name or 'lexicon'} {self.version or '(no version)'} (sha256 {self.sha256[:12]})"


def load(path: str | Path | None = None) -> Lexicon:
    """Read and validate a lexicon from YAML or CSV (the bundled governance lexicon by default).

    Parameters
    ----------
    path : str or Path, optional
        A ``.yaml``/``.yml`` or ``.csv`` file. Default: ``data/lexicon/governance.yaml``.

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        With a sentence naming the file, the problem and the offending term.

    Examples
    --------
    >>> from analysis.config import LEXICON_DIR
    >>> lex = load(LEXICON_DIR / "sample-concepts.csv")
    >>> lex.table.query("concept == '协商民主'").term.tolist()
    ['协商民主', '基层协商民主']
    """
    path = Path(path) if path is not None else DEFAULT_LEXICON
    if not path.exists():
        raise LexiconError(f"{path}: lexicon file not found; give a .yaml or .csv lexicon with --lexicon")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot be read ({exc.strerror})") from None
    text, _ = decode(data, source=path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        table, header = _from_yaml(text, path)
    elif suffix == ".csv":
        table, header = _from_csv(text, path), {"name": path.stem}
    else:
        raise LexiconError(f"{path}: unknown lexicon format '{suffix}'; use .yaml, .yml or .csv")
    return Lexicon(
        table=validate(table, source=str(path)),
        name=str(header.get("name", path.stem)),
        version=str(header.get("version", "")),
        description=str(header.get("description", "")).strip(),
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def from_terms(concepts: dict[str, list[str]], *, category: str = "") -> Lexicon:
    """Build a lexicon in memory from ``{concept: [terms]}``.

    Examples
    --------
    >>> lex = from_terms({"协商民主": ["协商民主", "基层协商民主"], "社区治理": ["社区治理"]})
    >>> lex.terms
    ['协商民主', '基层协商民主', '社区治理']
    """
    rows = [{"category": category, "concept": c, "term": t, "en": "", "source": ""}
            for c, terms in concepts.items() for t in terms]
    table = validate(pd.DataFrame(rows, columns=COLUMNS), source="lexicon")
    digest = hashlib.sha256(table.to_csv(index=False).encode("utf-8")).hexdigest()
    return Lexicon(table=table, name="custom", sha256=digest)


def validate(table: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Check and normalise a lexicon table; return ``category, concept, term, en, source, unattested, since``.

    Raises
    ------
    LexiconError
        Missing ``concept``/``term`` columns, empty terms or concepts, terms
        with line breaks, a term listed under two concepts (both named), or a
        ``since`` that is not a year or ``"unknown"`` (or differs within a concept).
    """
    missing = [c for c in ("concept", "term") if c not in table.columns]
    if missing:
        raise LexiconError(
            f"{source}: missing column(s) {', '.join(missing)} (columns: {', '.join(map(str, table.columns))}); "
            "a lexicon needs at least 'concept' and 'term'"
        )
    table = table.copy()
    for column in COLUMNS:
        if column not in table.columns:
            table[column] = ""
        table[column] = table[column].fillna("").astype(str).str.strip(_STRIP)
    if "unattested" not in table.columns:
        table["unattested"] = False
    table["unattested"] = table["unattested"].fillna(False).astype(bool)
    raw_since = table["since"] if "since" in table.columns else pd.Series(None, index=table.index, dtype=object)
    table["since"] = pd.array([_since(v, c, source) for v, c in zip(raw_since, table.concept)], dtype="Int64")
    where = _row_labels(table)
    for i, row in enumerate(table.itertuples(index=False)):
        if not row.term:
            raise LexiconError(f"{source}: empty term for concept '{row.concept}' ({where[i]}); remove the row or fill in the term")
        if not row.concept:
            raise LexiconError(f"{source}: term '{row.term}' has no concept ({where[i]}); fill in its concept")
        if any(ch in row.term for ch in "\r\n"):
            raise LexiconError(f"{source}: term '{row.term}' contains a line break ({where[i]}); terms are matched within a paragraph")
    table = table.drop_duplicates(subset=["concept", "term"], keep="first")
    clash = table[table.duplicated("term", keep=False)]
    if len(clash):
        term = clash.term.iloc[0]
        owners = clash[clash.term == term].concept.tolist()
        raise LexiconError(
            f"{source}: term '{term}' is listed under two concepts, '{owners[0]}' and '{owners[1]}'; "
            "keep it under one concept only"
        )
    categories = table.groupby("concept", sort=False).category.agg(lambda s: sorted(set(s) - {""}))
    split = categories[categories.map(len) > 1]
    if len(split):
        raise LexiconError(
            f"{source}: concept '{split.index[0]}' is given two categories ({' and '.join(split.iloc[0])}); "
            "give each concept one category"
        )
    dated = table.dropna(subset=["since"]).groupby("concept", sort=False).since.nunique()
    if (dated > 1).any():
        raise LexiconError(f"{source}: concept '{dated[dated > 1].index[0]}' is given two 'since' years; give each concept one")
    return table[COLUMNS + ["unattested", "since"]].reset_index(drop=True)


def _since(value, concept: str, source: str):
    """A concept's ``since``: a year (int, or digits in a CSV cell), ``"unknown"`` or absent (both ``<NA>``)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value) or value in ("", "unknown"):
        return pd.NA
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 2999:
        return value
    raise LexiconError(f"{source}: concept '{concept}' has since: {value!r}; write a year such as 2013, or \"unknown\"")


def _row_labels(table: pd.DataFrame) -> list[str]:
    if "_where" in table.columns:
        return table.pop("_where").tolist()
    return [f"row {i + 2}" for i in range(len(table))]  # +2: header line, 1-based


def _from_csv(text: str, path: Path) -> pd.DataFrame:
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LexiconError(f"{path}: not a readable CSV table ({str(exc).strip()}); check the file") from None
    table.columns = [str(c).strip(_STRIP) for c in table.columns]
    return table


def _from_yaml(text: str, path: Path) -> tuple[pd.DataFrame, dict]:
    try:
        # The C-accelerated safe loader when PyYAML has it (5x faster on the bundled lexicon); never the unsafe one.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LexiconError(f"{path}: malformed YAML{where} ({problem}); fix the file's indentation or quoting") from None
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        raise LexiconError(f"{path}: expected a mapping with a 'categories' list (see data/lexicon/README.md)")
    rows = []
    for c_index, category in enumerate(data["categories"], start=1):
        if not isinstance(category, dict) or not isinstance(category.get("concepts"), list):
            raise LexiconError(f"{path}: category #{c_index} needs 'category' and a 'concepts' list")
        for k_index, concept in enumerate(category["concepts"], start=1):
            name = concept.get("concept") if isinstance(concept, dict) else None
            terms = concept.get("terms") if isinstance(concept, dict) else None
            where = f"category '{category.get('category', c_index)}', concept #{k_index}"
            if not name:
                raise LexiconError(f"{path}: {where} has no 'concept' name")
            if not isinstance(terms, list) or not terms:
                raise LexiconError(f"{path}: concept '{name}' ({where}) has no 'terms' list; list at least one term")
            unattested = {str(t).strip(_STRIP) for t in concept.get("unattested") or []}
            for term in terms:
                term = "" if term is None else str(term)
                rows.append({
                    "category": str(category.get("category", "")), "concept": str(name), "term": term,
                    "en": str(concept.get("en", "")), "source": str(concept.get("source", "")),
                    "unattested": term.strip(_STRIP) in unattested, "since": concept.get("since"),
                    "_where": f"concept '{name}'",
                })
    header = {k: v for k, v in data.items() if k != "categories"}
    return pd.DataFrame(rows, dtype=object), header  # object: a since of 2013 must not become 2013.0
