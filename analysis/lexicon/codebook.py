"""Codebooks for policy-text coding: dimensions → types → codes → indicator terms, each code with its sources.

A codebook is YAML, read by the lexicon's strict rules (every value text as
written, no anchors or aliases, no tags, a repeated key an error naming both
lines)::

    name: policy-instruments
    version: "1.0.0"
    description: ...
    sources:
      - id: rothwell-zegveld-1985
        citation: "Rothwell, R., & Zegveld, W. (1985). Reindustrialization and Technology. ..."
    dimensions:
      - dimension: 政策工具
        en: Policy instrument
        source: [rothwell-zegveld-1985]
        types:
          - type: 供给型
            en: Supply-side
            codes:
              - code: 人才培养
                en: Education, training and talent
                source: [rothwell-zegveld-1985]
                terms: [人才培养, 教育培训]

Validation: every code has at least one term and names at least one source
listed under ``sources``; a code name appears once in its dimension; a term
belongs to one code of its dimension (the same term may serve two
dimensions); terms follow the lexicon's rules (no line break, no invisible
character). Each dimension becomes a :class:`~analysis.lexicon.Lexicon`
(type → category, code → concept), so clauses are coded by the same matcher
as concept counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.config import DEFAULT_CODEBOOK
from analysis.errors import CodebookError, LexiconError
from analysis.lexicon.dictionary import Lexicon, read_yaml, short_citation, text_value, validate

#: Columns of :attr:`Codebook.table`, one row per indicator term.
COLUMNS = ["dimension", "type", "code", "term", "en", "source"]


@dataclass(frozen=True)
class Codebook:
    """A validated coding scheme.

    Attributes
    ----------
    table : DataFrame
        One row per indicator term: ``dimension, type, code, term, en,
        source`` (source ids joined with ``/``), in file order.
    sources : DataFrame
        ``id, citation, used_for``.
    name, version, description, path, sha256 : str
        From the header; the file and the hash of its bytes, for provenance.
    """

    table: pd.DataFrame
    sources: pd.DataFrame
    name: str = ""
    version: str = ""
    description: str = ""
    path: str = ""
    sha256: str = ""

    @property
    def dimensions(self) -> list[str]:
        """The dimensions in file order.

        Examples
        --------
        >>> load().dimensions
        ['政策工具', '政策目标']
        """
        return self.table.dimension.drop_duplicates().tolist()

    def codes(self, dimension: str | None = None) -> pd.DataFrame:
        """One row per code: ``dimension, type, code, en, terms, source`` (terms joined with ``/``).

        Examples
        --------
        >>> load().codes("政策工具").groupby("type", sort=False).size().to_dict()
        {'供给型': 5, '环境型': 5, '需求型': 5}
        """
        table = self.table if dimension is None else self.table[self.table.dimension == self.check_dimension(dimension)]
        grouped = table.groupby(["dimension", "code"], sort=False)
        return pd.DataFrame({
            "type": grouped.type.first(), "en": grouped.en.first(), "terms": grouped.term.agg("/".join),
            "source": grouped.source.first(),
        }).reset_index()[["dimension", "type", "code", "en", "terms", "source"]]

    def check_dimension(self, dimension: str) -> str:
        """``dimension`` if the codebook has it; otherwise an error listing those it has."""
        if dimension not in self.dimensions:
            raise CodebookError(f"{self.path or 'codebook'}: has no dimension '{dimension}'; "
                                f"choose one of {', '.join(self.dimensions)}", parameter="dimension")
        return dimension

    def lexicon(self, dimension: str) -> Lexicon:
        """The dimension as a lexicon (type → category, code → concept), for the matcher.

        Examples
        --------
        >>> lex = load().lexicon("政策工具")
        >>> lex.table.query("term == '政府采购'")[["category", "concept"]].values.tolist()
        [['需求型', '政府采购']]
        """
        rows = self.table[self.table.dimension == self.check_dimension(dimension)]
        table = pd.DataFrame({"category": rows.type, "concept": rows.code, "term": rows.term, "en": rows.en,
                              "source": rows.source})
        return Lexicon(table=validate(table, source=f"{self.path or 'codebook'} (dimension {dimension})"),
                       name=f"{self.name}:{dimension}", version=self.version, path=self.path, sha256=self.sha256)

    def citation(self) -> str:
        """How reports cite this codebook: name, version and hash."""
        return short_citation(self.name or "codebook", self.version, self.sha256)


def load(path: str | Path | None = None) -> Codebook:
    """Read and validate a codebook (the bundled policy-instrument codebook by default).

    Parameters
    ----------
    path : str or Path, optional
        A ``.yaml``/``.yml`` file. Default: ``data/codebooks/policy_instruments.yaml``.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError, LexiconError
        One sentence naming the file, the place and what to do.

    Examples
    --------
    >>> book = load()
    >>> book.codes("政策工具").query("code == '税收优惠'").terms.iloc[0].split("/")[:3]
    ['税收优惠', '减税', '免税']
    >>> book.sources.id.iloc[0]
    'rothwell-zegveld-1985'
    """
    path = Path(path) if path is not None else DEFAULT_CODEBOOK
    if not path.is_file():
        raise CodebookError(f"{path}: codebook file not found; give a .yaml codebook (see data/codebooks/README.md)",
                            parameter="codebook")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise CodebookError(f"{path}: a codebook is a .yaml file, not '{path.suffix or '(no suffix)'}'",
                            parameter="codebook")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodebookError(f"{path}: cannot be read ({exc.strerror})", parameter="codebook") from None
    parsed = read_yaml(path, data, what="codebook")
    if not isinstance(parsed, dict) or not isinstance(parsed.get("dimensions"), list) or not parsed["dimensions"]:
        raise CodebookError(f"{path}: expected a mapping with a non-empty 'dimensions' list "
                            "(see data/codebooks/README.md)", parameter="codebook")
    sources = _sources(parsed.get("sources"), path)
    table = _terms(parsed["dimensions"], set(sources.id), path)
    header = {key: text_value(parsed.get(key), f"'{key}'", path) for key in ("name", "version", "description")}
    return Codebook(table=table, sources=sources, name=header["name"] or path.stem, version=header["version"],
                    description=" ".join(header["description"].split()), path=str(path),
                    sha256=hashlib.sha256(data).hexdigest())


def _sources(value, path: Path) -> pd.DataFrame:
    if not isinstance(value, list) or not value:
        raise CodebookError(f"{path}: needs a 'sources' list (id and citation of each source the codes cite)",
                            parameter="codebook")
    rows = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise CodebookError(f"{path}: source #{number} is not a mapping; give it 'id' and 'citation'")
        row = {key: text_value(item.get(key), f"the '{key}' of source #{number}", path).strip()
               for key in ("id", "citation", "used_for")}
        if not row["id"] or not row["citation"]:
            raise CodebookError(f"{path}: source #{number} needs both an 'id' and a 'citation'")
        if row["id"] in {r["id"] for r in rows}:
            raise CodebookError(f"{path}: source id '{row['id']}' is listed twice; give each source one id")
        rows.append(row)
    return pd.DataFrame(rows, columns=["id", "citation", "used_for"])


def _ids(value, where: str, known: set[str], path: Path) -> list[str]:
    """A ``source`` field: a list of known source ids (one id as text is accepted)."""
    ids = [value] if isinstance(value, str) else value
    if not isinstance(ids, list) or not ids:
        raise CodebookError(f"{path}: {where} has no 'source'; name at least one id from 'sources'")
    ids = [text_value(i, f"a source of {where}", path).strip() for i in ids]
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise CodebookError(f"{path}: {where} cites source '{unknown[0]}', which is not in 'sources' "
                            f"({', '.join(sorted(known))}); add it there or correct the id")
    return ids


def _terms(dimensions: list, known: set[str], path: Path) -> pd.DataFrame:
    rows = []
    for d_number, dim in enumerate(dimensions, start=1):
        if not isinstance(dim, dict) or not isinstance(dim.get("types"), list) or not dim["types"]:
            raise CodebookError(f"{path}: dimension #{d_number} needs 'dimension' and a non-empty 'types' list")
        dimension = text_value(dim.get("dimension"), f"the name of dimension #{d_number}", path).strip()
        if not dimension:
            raise CodebookError(f"{path}: dimension #{d_number} has no 'dimension' name")
        if dimension in {r["dimension"] for r in rows}:
            raise CodebookError(f"{path}: dimension '{dimension}' is given twice; give each dimension one entry")
        _ids(dim.get("source"), f"dimension '{dimension}'", known, path)
        seen_codes: set[str] = set()
        for t_number, kind in enumerate(dim["types"], start=1):
            where = f"type #{t_number} of dimension '{dimension}'"
            if not isinstance(kind, dict) or not isinstance(kind.get("codes"), list) or not kind["codes"]:
                raise CodebookError(f"{path}: {where} needs 'type' and a non-empty 'codes' list")
            type_name = text_value(kind.get("type"), f"the name of {where}", path).strip()
            if not type_name:
                raise CodebookError(f"{path}: {where} has no 'type' name")
            for c_number, code in enumerate(kind["codes"], start=1):
                where = f"code #{c_number} of type '{type_name}' (dimension '{dimension}')"
                if not isinstance(code, dict):
                    raise CodebookError(f"{path}: {where} is not a mapping; give it 'code', 'terms' and 'source'")
                name = text_value(code.get("code"), f"the name of {where}", path).strip()
                if not name:
                    raise CodebookError(f"{path}: {where} has no 'code' name")
                if name in seen_codes:
                    raise CodebookError(f"{path}: code '{name}' appears twice in dimension '{dimension}'; "
                                        "give each code one entry")
                seen_codes.add(name)
                where = f"code '{name}' (dimension '{dimension}')"
                source = "/".join(_ids(code.get("source"), where, known, path))
                terms = code.get("terms")
                if not isinstance(terms, list) or not terms:
                    raise CodebookError(f"{path}: {where} has no 'terms' list; list at least one indicator term")
                en = text_value(code.get("en"), f"the 'en' of {where}", path)
                for number, term in enumerate(terms, start=1):
                    if term is None:
                        raise CodebookError(f"{path}: term #{number} of {where} is empty; remove it")
                    rows.append({"dimension": dimension, "type": type_name, "code": name,
                                 "term": text_value(term, f"term #{number} of {where}", path), "en": en,
                                 "source": source})
    checked = []
    for dimension, part in pd.DataFrame(rows, columns=COLUMNS).groupby("dimension", sort=False):
        try:  # the lexicon's term rules, per dimension (a term may serve two dimensions); repeats kept once
            valid = validate(part.rename(columns={"type": "category", "code": "concept"}),
                             source=f"{path} (dimension {dimension})")
        except LexiconError as exc:
            raise CodebookError(str(exc).replace("concept", "code"), parameter="codebook") from None
        valid = valid.rename(columns={"category": "type", "concept": "code"})
        checked.append(valid.assign(dimension=dimension)[COLUMNS])
    return pd.concat(checked, ignore_index=True)
