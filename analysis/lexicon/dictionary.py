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
counts: a term under two concepts, an empty term, a term that could never
match cleaned text (a line break, an invisible control or format character
such as U+200B, whitespace between two Han characters that cleaning removes),
missing columns, a concept without terms, or a lexicon without any term is an
error naming the term and where it is. Leading and trailing whitespace (ASCII,
full-width or any other Unicode space) is stripped; a term listed twice under
the same concept is kept once.

YAML is read as data only: every scalar is text as written (``yes`` is the
term "yes", ``0x10`` the term "0x10"; only an empty value, ``~`` or ``null``
means "nothing"), no tag constructs a Python object, anchors and aliases
(``&name``, ``*name``, which let a few hundred bytes expand to gigabytes) and
duplicate mapping keys are errors naming their line. A CSV row must have as
many fields as the header line. A binary file (a Word document renamed, an
image) is told apart from a text lexicon.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from yaml.nodes import ScalarNode
from yaml.resolver import BaseResolver

from analysis.chars import HAN, LINE_BREAK_CHARS, SPACE_RUN
from analysis.config import DEFAULT_LEXICON
from analysis.errors import DecodeError, LexiconError
from analysis.text.encoding import decode

COLUMNS = ["category", "concept", "term", "en", "source"]
#: Stripped from both ends of every field: whitespace of any kind (what ``str.strip`` removes) and the byte-order mark.
_STRIP = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + "\ufeff"
#: Everything that ends a paragraph in cleaned text (``\n`` and the breaks cleaning turns into it).
_LINE_BREAKS = "\n" + LINE_BREAK_CHARS
#: A whitespace run between two Han characters: cleaning removes it, so no cleaned text has one.
_HAN_SPACE = re.compile(f"(?<=[{HAN}]){SPACE_RUN}(?=[{HAN}])")
#: A lexicon nests six levels deep (mapping, categories, category, concepts, concept, terms).
_MAX_DEPTH = 20


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
        terms: dict[str, list[str]] = {}
        for concept, term in zip(self.table.concept.tolist(), self.table.term.tolist()):  # not agg("/".join):
            terms.setdefault(concept, []).append(term)  # a Python call per group is slow for 20,000 concepts
        return pd.DataFrame({
            "category": grouped.category.first(),
            "concept": grouped.concept.first(),
            "en": grouped.en.first(),
            "terms": pd.Series({concept: "/".join(ts) for concept, ts in terms.items()}),
            "since": grouped.since.first(),
        }).reset_index(drop=True)

    def citation(self) -> str:
        """How reports cite this lexicon: name, version and hash."""
        return short_citation(self.name or "lexicon", self.version, self.sha256)


def short_citation(name: str, version: str | None, sha256: str) -> str:
    """How reports cite a lexicon or codebook in one line: name, version and the start of its hash.

    Examples
    --------
    >>> short_citation("governance", "2.0.0", "65853512ec11c439")
    'governance 2.0.0 (sha256 65853512ec11)'
    """
    return f"{name} {version or '(no version)'} (sha256 {sha256[:12]})"


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
    text = _text_of(data, path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        table, header = _from_yaml(text, path)
    elif suffix == ".csv":
        table, header = _from_csv(text, path), {"name": path.stem}
    else:
        raise LexiconError(f"{path}: unknown lexicon format '{suffix}'; use .yaml, .yml or .csv")
    return Lexicon(
        table=validate(table, source=str(path)),
        name=header.get("name") or path.stem,
        version=header.get("version", ""),
        description=header.get("description", "").strip(),
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
        Missing ``concept``/``term`` columns, no rows at all, empty terms or
        concepts, a term that could never match cleaned text (see
        :func:`term_problem`), a term listed under two concepts (both named),
        or a ``since`` that is not a year or ``"unknown"`` (or differs within a concept).
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
    if table.empty:
        raise no_terms(source, "the table has no rows")
    for i, (term, concept) in enumerate(zip(table.term.tolist(), table.concept.tolist())):  # lists: no pandas per row
        if not term:
            raise LexiconError(f"{source}: empty term for concept '{concept}' ({where[i]}); remove the row or fill in the term")
        if not concept:
            raise LexiconError(f"{source}: term '{term}' has no concept ({where[i]}); fill in its concept")
        problem = term_problem(term)
        if problem:
            raise LexiconError(f"{source}: term '{shown(term)}' ({where[i]}) {problem}")
    table = table.drop_duplicates(subset=["concept", "term"], keep="first")
    clash = table[table.duplicated("term", keep=False)]
    if len(clash):
        term = clash.term.iloc[0]
        owners = clash[clash.term == term].concept.tolist()
        raise LexiconError(
            f"{source}: term '{term}' is listed under two concepts, '{owners[0]}' and '{owners[1]}'; "
            "keep it under one concept only"
        )
    named = table[table.category != ""]  # not agg(lambda): a Python call per group is slow for 20,000 concepts
    split = named.groupby("concept", sort=False).category.nunique()
    split = set(split.index[split > 1])
    if split:
        concept = next(c for c in table.concept if c in split)  # the first in file order
        raise LexiconError(
            f"{source}: concept '{concept}' is given two categories "
            f"({' and '.join(sorted(set(named.category[named.concept == concept])))}); give each concept one category"
        )
    dated = table.dropna(subset=["since"]).groupby("concept", sort=False).since.nunique()
    if (dated > 1).any():
        raise LexiconError(f"{source}: concept '{dated[dated > 1].index[0]}' is given two 'since' years; give each concept one")
    return table[COLUMNS + ["unattested", "since"]].reset_index(drop=True)


def no_terms(source: str | Path, why: str = "") -> LexiconError:
    """The error for a lexicon without a single term (an empty file, a CSV header alone, ``categories: []``).

    Examples
    --------
    >>> str(no_terms("l.csv", "the file has a header line and no rows"))
    'l.csv: the lexicon has no terms (the file has a header line and no rows); add at least one concept with a term'
    """
    return LexiconError(f"{source}: the lexicon has no terms{f' ({why})' if why else ''}; "
                        "add at least one concept with a term")


def term_problem(term: str) -> str | None:
    r"""Why a term could never be found in cleaned text, as a clause to follow "term 'x'"; ``None`` if it can be.

    Cleaning (:mod:`analysis.text.clean`) splits the text into paragraphs at
    every line break and removes whitespace runs between two Han characters,
    so a term holding either never matches; a control or format character
    (Unicode categories Cc and Cf, e.g. U+200B ZERO WIDTH SPACE, U+FEFF, a
    tab) is invisible, so a term holding one looks right and silently counts
    nothing. The character classes are those of :mod:`analysis.chars`.

    Examples
    --------
    >>> term_problem("社区治理") is None
    True
    >>> print(term_problem("社区\u200b治理"))
    holds whitespace (\u200b) between two Han characters, which cleaning removes from the text, so it could never match; write the term without it
    >>> print(term_problem("5G\u200b"))
    holds the invisible control or format character \u200b (ZERO WIDTH SPACE), so it would look right but never match; delete that character
    """
    for ch in term:
        if ch in _LINE_BREAKS:
            return (f"contains a line break ({_escaped(ch)}); terms are matched within a paragraph, "
                    "and a match never crosses one")
    space = _HAN_SPACE.search(term)
    if space:
        return (f"holds whitespace ({''.join(map(_escaped, space.group()))}) between two Han characters, which "
                "cleaning removes from the text, so it could never match; write the term without it")
    for ch in term:
        if unicodedata.category(ch) in ("Cc", "Cf"):
            name = unicodedata.name(ch, "")
            return (f"holds the invisible control or format character {_escaped(ch)}{f' ({name})' if name else ''}, "
                    "so it would look right but never match; delete that character")
    return None


def shown(text: str) -> str:
    r"""A term as messages show it: invisible characters (controls, odd spaces, line breaks) escaped.

    Examples
    --------
    >>> print(shown("社区\u200b治理\t"))
    社区\u200b治理\t
    """
    return "".join(ch if ch.isprintable() else _escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii")


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



def _text_of(data: bytes, path: Path) -> str:
    """The decoded text of a lexicon file; a binary file (a renamed Word document, an image) is named as such."""
    not_text = (f"{path}: is not a text file (it looks like a binary file); "
                "a lexicon is a .yaml or .csv text file")
    try:
        text, _ = decode(data, source=path)
    except DecodeError as exc:
        if _looks_binary(data.decode("latin-1")):
            raise LexiconError(not_text, parameter="lexicon") from None
        raise LexiconError(str(exc), parameter="lexicon") from None
    if _looks_binary(text):
        raise LexiconError(not_text, parameter="lexicon")
    return text


def _looks_binary(text: str) -> bool:
    """True for a NUL, or many C0 control characters (not tab or line breaks), in the first 8,000 characters.

    Random bytes have about one such character in nine; a text lexicon has
    none, or a stray one in a term (which :func:`term_problem` then names).
    """
    head = text[:8000]
    controls = sum(1 for ch in head if (ch < " " and ch not in "\t\n\x0b\x0c\r") or ch == "\x7f")
    return "\x00" in head or (controls >= 8 and controls >= 0.05 * len(head))


def _from_csv(text: str, path: Path) -> pd.DataFrame:
    if not text.strip(_STRIP):
        raise no_terms(path, "the file is empty; a CSV lexicon has a header line 'concept,term', then one row per term")
    _check_fields(text, path)
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LexiconError(f"{path}: not a readable CSV table ({str(exc).strip()}); check the file") from None
    table.columns = [str(c).strip(_STRIP) for c in table.columns]
    if table.empty:
        raise no_terms(path, "the file has a header line and no rows")
    return table


def _check_fields(text: str, path: Path) -> None:
    """Every row has as many fields as the header line (a stray comma would shift a row's columns)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    try:
        for record in reader:
            if not any(field.strip(_STRIP) for field in record):
                continue  # a blank line
            if header is None:
                header = record
            elif len(record) != len(header):
                raise LexiconError(
                    f"{path}: line {reader.line_num} has {len(record)} field(s) but the header line has "
                    f"{len(header)} ({','.join(header)}); put a field that contains a comma in double quotes "
                    "and give every row one field per column")
    except csv.Error as exc:
        raise LexiconError(f"{path}: not a readable CSV table (line {reader.line_num}: {exc}); check the file") from None


class _Resolver(BaseResolver):
    """Plain scalars stay text as written (``yes``, ``on``, ``0x10``, ``1e3``, ``2013``, ``2013-01-01``).

    Only an empty value, ``~`` and ``null`` resolve, to ``None`` ("nothing"),
    so an empty or null term is still reported as empty. No merge keys (``<<``).
    """

    yaml_implicit_resolvers: dict = {}


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class _Constructor(SafeConstructor):
    """Text, lists, mappings and ``None`` only: no tag builds any other Python object; duplicate keys are errors."""

    yaml_constructors: dict = {}

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                key = key_node.value
                if key in seen:
                    raise LexiconError(
                        f"{self.source}: key '{shown(key)}' appears twice in one mapping, at line {seen[key]} and "
                        f"line {key_node.start_mark.line + 1}; keep one (YAML would silently keep only the last)")
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


for _tag, _construct in (("tag:yaml.org,2002:null", SafeConstructor.construct_yaml_null),
                         ("tag:yaml.org,2002:str", SafeConstructor.construct_yaml_str),
                         ("tag:yaml.org,2002:seq", SafeConstructor.construct_yaml_seq),
                         ("tag:yaml.org,2002:map", SafeConstructor.construct_yaml_map),
                         (None, SafeConstructor.construct_undefined)):
    _Constructor.add_constructor(_tag, _construct)


class _Loader(Composer, _Constructor, _Resolver):
    """Builds the document from events already checked by :func:`_events` (no anchors, no aliases)."""

    def __init__(self, events: list, source: Path):
        self._events, self._next, self.source = events, 0, source
        Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)

    def check_event(self, *choices) -> bool:
        if self._next >= len(self._events):
            return False
        return not choices or isinstance(self._events[self._next], choices)

    def peek_event(self):
        return self._events[self._next]

    def get_event(self):
        self._next += 1
        return self._events[self._next - 1]


#: The event parser: PyYAML's C parser when it has one (5x faster on the bundled lexicon).
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _events(text: str, path: Path, what: str = "lexicon") -> list:
    """The document's parse events, stopping at the first anchor or alias and at absurd nesting.

    Checked before anything is built: an alias shares a node, so ten lines of
    nested aliases (the "billion laughs") make a structure of billions of
    strings once turned into terms.
    """
    events, depth = [], 0
    for event in yaml.parse(text, Loader=_PARSER):
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            name = f"*{event.anchor}" if isinstance(event, AliasEvent) else f"&{event.anchor}"
            raise LexiconError(
                f"{path}: {name} at line {event.start_mark.line + 1}: anchors and aliases (&name, *name) "
                f"are not allowed in a {what}; write each term out")
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > _MAX_DEPTH:
                raise LexiconError(f"{path}: lists and mappings nested more than {_MAX_DEPTH} deep at line "
                                   f"{event.start_mark.line + 1}; a lexicon nests six levels and a codebook eight "
                                   "(see data/lexicon/README.md, data/codebooks/README.md)")
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        events.append(event)
    return events


def _load_yaml(text: str, path: Path, what: str = "lexicon"):
    try:
        return _Loader(_events(text, path, what), path).get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LexiconError(f"{path}: malformed YAML{where} ({problem}); fix the file's indentation or quoting") from None


def _text(value, where: str, path: Path) -> str:
    """A YAML value that must be text: ``None`` is ``""``, a list or mapping is an error naming ``where``."""
    if value is None or isinstance(value, str):
        return value or ""
    kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__
    raise LexiconError(f"{path}: {where} is {kind}, not text; write it as one line of text (quote it if needed)")


def _from_yaml(text: str, path: Path) -> tuple[pd.DataFrame, dict]:
    data = _load_yaml(text, path)
    if data is None:
        raise no_terms(path, "the file is empty; see data/lexicon/README.md for the layout")
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        raise LexiconError(f"{path}: expected a mapping with a 'categories' list (see data/lexicon/README.md)")
    header = {key: _text(data.get(key), f"'{key}'", path) for key in ("name", "version", "description") if key in data}
    rows = []
    for c_index, category in enumerate(data["categories"], start=1):
        if not isinstance(category, dict) or not isinstance(category.get("concepts"), list):
            raise LexiconError(f"{path}: category #{c_index} needs 'category' and a 'concepts' list")
        label = _text(category.get("category"), f"the 'category' of category #{c_index}", path)
        for k_index, concept in enumerate(category["concepts"], start=1):
            where = f"category '{label or c_index}', concept #{k_index}"
            if not isinstance(concept, dict):
                raise LexiconError(f"{path}: {where} is not a mapping; give it 'concept' and 'terms'")
            name = _text(concept.get("concept"), f"the 'concept' name of {where}", path)
            if not name:
                raise LexiconError(f"{path}: {where} has no 'concept' name")
            where = f"concept '{name}' ({where})"
            terms = concept.get("terms")
            if isinstance(terms, (dict, str)):
                kind = "a mapping" if isinstance(terms, dict) else "text"
                raise LexiconError(f"{path}: the 'terms' of {where} is {kind}, not a list; "
                                   "write them as a list, e.g. terms: [协商民主, 基层协商民主]")
            if not isinstance(terms, list) or not terms:
                raise LexiconError(f"{path}: {where} has no 'terms' list; list at least one term")
            unattested = concept.get("unattested") or []
            if not isinstance(unattested, list):
                raise LexiconError(f"{path}: the 'unattested' of {where} is not a list; list the unattested terms")
            unattested = {_text(t, f"an 'unattested' entry of {where}", path).strip(_STRIP) for t in unattested}
            since = concept.get("since")
            if isinstance(since, (list, dict)):
                _text(since, f"the 'since' of {where}", path)
            fields = {key: _text(concept.get(key), f"the '{key}' of {where}", path) for key in ("en", "source")}
            for t_index, term in enumerate(terms, start=1):
                if term is None:
                    raise LexiconError(f"{path}: term #{t_index} of {where} is empty or null (~, null); "
                                       "remove it, or quote it (\"null\") if you mean the word")
                term = _text(term, f"term #{t_index} of {where}", path)
                rows.append({
                    "category": label, "concept": name, "term": term, **fields,
                    "unattested": term.strip(_STRIP) in unattested, "since": since,
                    "_where": f"concept '{name}'",
                })
    if not rows:
        raise no_terms(path, "its 'categories' list is empty" if not data["categories"] else "no category lists a concept")
    return pd.DataFrame(rows, dtype=object), header  # object: a since of 2013 must not become 2013.0


def read_yaml(path: Path, data: bytes, *, what: str) -> object:
    r"""The data of a YAML file read by the lexicon's strict rules (for other YAML data such as codebooks).

    Text only, no tags, no anchors or aliases, no duplicate keys, each error
    naming the line; ``what`` names the kind of file in messages.

    Examples
    --------
    >>> read_yaml(Path("c.yaml"), "name: 政策工具\nversion: 1.0\n".encode(), what="codebook")
    {'name': '政策工具', 'version': '1.0'}
    """
    return _load_yaml(_text_of(data, path), path, what)


def text_value(value, where: str, path: Path) -> str:
    """A YAML value that must be text: ``None`` is ``""``, a list or mapping is an error naming ``where``."""
    return _text(value, where, path)
