"""Coding clauses with a codebook: automatic codes, human codes from a worksheet, and the tables researchers publish.

- **Automatic coding** (:func:`auto`): a clause gets every code of a dimension
  whose indicator terms it contains, found by the same matcher as concept
  counts (:class:`analysis.lexicon.Matcher`). An indicator inside a longer
  indicator of the same dimension counts only for the longer one (a clause
  saying 政府采购 is coded 政府采购, not also by a shorter term inside it);
  ``terms`` lists the indicators found, so a reader can check each code.
- **Human coding** (:func:`worksheet`, :func:`read_worksheet`): one clause a
  row, the automatic codes pre-filled, a column per coder and dimension
  (``政策工具:张三``). A cell lists codes separated by ``;`` ``；`` ``,`` ``，``
  ``、`` or spaces; ``无`` means "coded: no code applies"; an empty cell means
  "not coded". :func:`final` puts human codes where present (a coder named
  ``final`` first, then the coders in column order) in place of the automatic ones.
- **Tables** (:func:`profile`, :func:`crosstab`): how many clauses carry each
  code (or type) per document, year or other metadata column, with shares;
  the two-dimensional cross-tab with row and column shares.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import CodebookError
from analysis.lexicon import Codebook, Matcher
from analysis.measure.groups import NOT_GROUPS

#: Columns of a code table (automatic or final): one row per clause and code.
COLUMNS = ["id", "doc", "dimension", "type", "code", "terms", "coder"]
#: The coder name of the automatic codes, and the worksheet column of the indicators found.
AUTO, INDICATORS, FINAL = "auto", "indicators", "final"
#: A worksheet cell meaning "coded: no code applies".
NONE = "无"
_SEPARATORS = re.compile(r"[;；,，、\s]+")


def auto(clauses: pd.DataFrame, codebook: Codebook, *, dimensions: list[str] | None = None) -> pd.DataFrame:
    """Code each clause with the codes whose indicator terms it contains.

    Parameters
    ----------
    clauses : DataFrame
        A clause table (:func:`analysis.measure.clauses.split`): ``id, doc, text`` at least.
    codebook : Codebook
    dimensions : list of str, optional
        Default: every dimension of the codebook.

    Returns
    -------
    DataFrame
        ``id, doc, dimension, type, code, terms, coder``: one row per clause
        and code found (clauses without any code have no row); ``terms`` are
        the indicators found, ``/``-joined in order of first occurrence;
        ``coder`` is ``"auto"``.

    Examples
    --------
    >>> from analysis.lexicon import codebook
    >>> cl = pd.DataFrame({"id": ["甲-1-1"], "doc": ["甲"], "text": ["实行政府采购，加大财政投入和财政补贴。"]})
    >>> auto(cl, codebook.load(), dimensions=["政策工具"])[["code", "terms"]].values.tolist()
    [['资金投入', '财政投入/财政补贴'], ['政府采购', '政府采购']]
    """
    rows = []
    for dimension in dimensions or codebook.dimensions:
        lex = codebook.lexicon(dimension)
        matcher = Matcher(lex)
        terms = np.array(lex.terms, dtype=object)
        code_of, type_of = lex.table.concept.to_numpy(), lex.table.category.to_numpy()
        for clause_id, doc, text in zip(clauses["id"], clauses["doc"], clauses["text"]):
            found = matcher.occurrences(text)
            keep = found.term[found.standalone]
            if not len(keep):
                continue
            found_codes: dict[str, list[str]] = {}
            for index in keep:
                seen = found_codes.setdefault(code_of[index], [])
                if terms[index] not in seen:
                    seen.append(terms[index])
            for code, hit_terms in found_codes.items():
                first = int(np.flatnonzero(code_of == code)[0])
                rows.append((clause_id, doc, dimension, type_of[first], code, "/".join(hit_terms), AUTO))
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = {c: i for i, c in enumerate(codebook.table.code.drop_duplicates())}
    position = {c: i for i, c in enumerate(clauses["id"])}
    return (table.assign(_c=table.id.map(position), _d=table.dimension.map(codebook.dimensions.index),
                         _k=table.code.map(order))
            .sort_values(["_c", "_d", "_k"], kind="stable").drop(columns=["_c", "_d", "_k"]).reset_index(drop=True))


def evidence(codes: pd.DataFrame, clauses: pd.DataFrame, *, width: int = 20) -> pd.DataFrame:
    """Each code with the place in its clause where its first indicator occurs, to check it at a glance.

    Returns
    -------
    DataFrame
        The code table's columns, then ``left``, ``keyword`` (the first
        indicator found) and ``right`` (up to ``width`` characters of the
        clause on each side; line breaks shown as spaces), as keyword-in-context
        lines (:func:`analysis.present.tables.kwic` shows them).

    Examples
    --------
    >>> from analysis.lexicon import codebook
    >>> cl = pd.DataFrame({"id": ["甲-0-1"], "doc": ["甲"], "text": ["今年要实行政府采购，扶持中小企业。"]})
    >>> evidence(auto(cl, codebook.load(), dimensions=["政策工具"]), cl, width=3)[["left", "keyword", "right"]].values.tolist()
    [['要实行', '政府采购', '，扶持']]
    """
    text_of = dict(zip(clauses["id"], clauses["text"]))
    lines = []
    for clause_id, terms in zip(codes.id, codes.terms):
        text = text_of[clause_id].replace("\n", " ")
        term = terms.split("/")[0] if terms else ""
        at = text.find(term) if term else 0
        lines.append((text[max(at - width, 0):at], term, text[at + len(term):at + len(term) + width]))
    return codes.assign(**{name: [line[n] for line in lines] for n, name in enumerate(("left", "keyword", "right"))})


def worksheet(clauses: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook, *,
              coders: list[str] | tuple[str, ...] = ("coder1", "coder2")) -> pd.DataFrame:
    """The human-coding worksheet: one clause a row, automatic codes pre-filled, an empty column per coder.

    Returns
    -------
    DataFrame
        ``id, doc, chapter, clause, label, text``, then per dimension
        ``<dimension>:auto`` (codes ``; ``-joined), ``<dimension>:indicators``
        (``code: terms`` per code) and ``<dimension>:<coder>`` (empty) for each coder.

    Examples
    --------
    >>> from analysis.lexicon import codebook
    >>> from analysis.measure import clauses
    >>> book = codebook.load()
    >>> cl = clauses.split(pd.DataFrame({"doc": "甲", "para": [1], "text": ["加大财政投入。"]}))
    >>> sheet = worksheet(cl, auto(cl, book), book, coders=["张三"])
    >>> sheet[["id", "政策工具:auto", "政策工具:indicators", "政策工具:张三"]].values.tolist()
    [['甲-0-1', '资金投入', '资金投入: 财政投入', '']]
    """
    coders = [str(c).strip() for c in coders]
    bad = [c for c in coders if not c or c in (AUTO, INDICATORS) or ":" in c]
    if bad or len(set(coders)) < len(coders):
        raise CodebookError(f"coder names must be distinct, non-empty, without ':' and not '{AUTO}' or "
                            f"'{INDICATORS}' (got {', '.join(map(repr, coders))})", parameter="coders")
    sheet = clauses[["id", "doc", "chapter", "clause", "label", "text"]].copy()
    for dimension in codebook.dimensions:
        mine = codes[codes.dimension == dimension]
        grouped = mine.groupby("id", sort=False)
        listed = grouped.code.agg("; ".join).to_dict()
        evidence = (mine.code + ": " + mine.terms.str.replace("/", ", ")).groupby(mine.id, sort=False).agg("; ".join)
        sheet[f"{dimension}:{AUTO}"] = [listed.get(i, "") for i in sheet.id]
        sheet[f"{dimension}:{INDICATORS}"] = [evidence.get(i, "") for i in sheet.id]
        for coder in coders:
            sheet[f"{dimension}:{coder}"] = ""
    return sheet


def read_worksheet(path: str | Path, codebook: Codebook) -> pd.DataFrame:
    """Read a coding worksheet back: every coder's judgement of every clause they coded.

    Returns
    -------
    DataFrame
        ``id, dimension, coder, codes``: one row per clause, dimension and
        coder with a filled cell (the automatic codes as coder ``auto``);
        ``codes`` is a tuple of codes in codebook order (empty for ``无``).

    Raises
    ------
    CodebookError
        A file that is not a readable workbook, no ``id`` column, an empty or
        repeated id, no coder column, a column of an unknown dimension, or a
        cell naming a code the dimension does not have: each named with its
        row and column.
    """
    path = Path(path)
    if not path.is_file():
        raise CodebookError(f"{path}: worksheet not found; give the .xlsx file written by the code command")
    try:
        table = pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
    except Exception as exc:  # openpyxl and zipfile raise many types for a damaged workbook
        raise CodebookError(f"{path}: not a readable Excel worksheet ({type(exc).__name__}); open it in Excel "
                            "and save it again as .xlsx") from None
    table.columns = [str(c).strip() for c in table.columns]
    if "id" not in table.columns:
        raise CodebookError(f"{path}: has no 'id' column (columns: {', '.join(table.columns)}); the worksheet's "
                            "first column must stay 'id'")
    ids = table["id"].str.strip()
    if (ids == "").any():
        raise CodebookError(f"{path}: row {int(np.flatnonzero(ids == '')[0]) + 2} has no clause id; "
                            "fill it in or delete the row")
    repeated = ids[ids.duplicated(keep=False)]
    if len(repeated):
        rows = [str(i + 2) for i in repeated.index[repeated == repeated.iloc[0]]]
        raise CodebookError(f"{path}: clause id '{repeated.iloc[0]}' appears in rows {' and '.join(rows)}; "
                            "keep one row per clause")
    coded = [c for c in table.columns if ":" in c and c.rsplit(":", 1)[1] != INDICATORS]
    for column in coded:
        dimension = column.rsplit(":", 1)[0]
        if dimension not in codebook.dimensions:
            raise CodebookError(f"{path}: column '{column}' names dimension '{dimension}', which the codebook "
                                f"does not have ({', '.join(codebook.dimensions)}); rename the column "
                                "or give the codebook it was made with")
    if not any(c.rsplit(":", 1)[1] != AUTO for c in coded):
        raise CodebookError(f"{path}: has no coder column (such as '{codebook.dimensions[0]}:coder1'); "
                            "add one column per coder and dimension")
    rows = []
    for column in coded:
        dimension, coder = column.rsplit(":", 1)
        allowed = codebook.codes(dimension).code.tolist()
        for index, (clause_id, cell) in enumerate(zip(ids, table[column])):
            cell = cell.strip()
            if not cell:
                continue
            given = [c for c in _SEPARATORS.split(cell) if c]
            unknown = [c for c in given if c not in allowed and c != NONE]
            if unknown:
                raise CodebookError(f"{path}: row {index + 2}, column '{column}': '{unknown[0]}' is not a code of "
                                    f"dimension {dimension} (codes: {', '.join(allowed)}; {NONE} for none); "
                                    "correct the cell")
            rows.append((clause_id, dimension, coder, tuple(c for c in allowed if c in given)))
    return pd.DataFrame(rows, columns=["id", "dimension", "coder", "codes"])


def final(codes: pd.DataFrame, judgements: pd.DataFrame, clauses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The code table the tables use: human codes where a coder coded the clause, automatic codes elsewhere.

    Of the human coders, one named ``final`` (a reconciled column) wins, then
    the coders in the worksheet's column order. Rows from humans have
    ``coder`` set to the coder and empty ``terms``.

    Raises
    ------
    CodebookError
        If the worksheet names clause ids the clause table does not have (it
        was made from other documents).

    Examples
    --------
    >>> from analysis.lexicon import codebook
    >>> book = codebook.load()
    >>> cl = pd.DataFrame({"id": ["甲-0-1"], "doc": ["甲"], "text": ["加大财政投入。"]})
    >>> human = pd.DataFrame({"id": ["甲-0-1"], "dimension": ["政策工具"], "coder": ["张三"], "codes": [("税收优惠",)]})
    >>> final(auto(cl, book), human, cl, book)[["code", "coder"]].values.tolist()
    [['税收优惠', '张三']]
    """
    unknown = sorted(set(judgements.id) - set(clauses["id"]))
    if unknown:
        raise CodebookError(f"the worksheet has clause ids that the documents do not give ({', '.join(unknown[:3])}"
                            f"{', …' if len(unknown) > 3 else ''}); make the worksheet from the same documents")
    human = judgements[judgements.coder != AUTO]
    rank = {c: i for i, c in enumerate(dict.fromkeys([FINAL, *human.coder]))}
    chosen = (human.assign(_r=human.coder.map(rank)).sort_values("_r", kind="stable")
              .drop_duplicates(["id", "dimension"]))
    types = codebook.table.drop_duplicates(["dimension", "code"]).set_index(["dimension", "code"]).type
    doc_of = dict(zip(clauses["id"], clauses["doc"]))
    rows = [(i, doc_of[i], d, types[(d, c)], c, "", coder)
            for i, d, coder, codes_ in zip(chosen.id, chosen.dimension, chosen.coder, chosen.codes) for c in codes_]
    decided = set(zip(chosen.id, chosen.dimension))
    keep = [(i, d) not in decided for i, d in zip(codes.id, codes.dimension)]
    merged = pd.concat([codes[keep], pd.DataFrame(rows, columns=COLUMNS)], ignore_index=True)
    position = {c: n for n, c in enumerate(clauses["id"])}
    order = {c: n for n, c in enumerate(codebook.table.code.drop_duplicates())}
    return (merged.assign(_c=merged.id.map(position), _k=merged.code.map(order))
            .sort_values(["_c", "_k"], kind="stable").drop(columns=["_c", "_k"]).reset_index(drop=True))


def profile(codes: pd.DataFrame, clauses: pd.DataFrame, codebook: Codebook, *, dimension: str,
            by: str = "doc", docs: pd.DataFrame | None = None, level: str = "code") -> pd.DataFrame:
    """How many clauses carry each code (or type) of a dimension, per group, with shares.

    Parameters
    ----------
    codes : DataFrame
        A code table (:func:`auto` or :func:`final`).
    clauses : DataFrame
        The clause table the codes belong to (the denominators).
    dimension : str
    by : str, default "doc"
        ``"corpus"`` (one group), ``"doc"``, or a metadata column of ``docs`` (e.g. ``"year"``).
    docs : DataFrame, optional
        The documents table (``Corpus.docs``), needed for a metadata column.
    level : {"code", "type"}
        Count sub-types (codes) or types; a clause with two codes of one type counts once for the type.

    Returns
    -------
    DataFrame
        [group column], ``dimension, type, code`` (``code`` only at level
        ``"code"``), ``clauses`` (clauses coded with it), ``share`` (clauses
        ÷ the sum of ``clauses`` over the group's codes: the share of all
        codings), ``group_clauses`` (all clauses of the group),
        ``coded_clauses`` (those with any code of the dimension). Every code
        gets a row in every group, zeros included.

    Examples
    --------
    >>> from analysis.lexicon import codebook
    >>> book = codebook.load()
    >>> cl = pd.DataFrame({"id": ["甲-0-1", "甲-0-2", "甲-0-3"], "doc": "甲",
    ...                    "text": ["加大财政投入。", "实行政府采购。", "鼓励创新。"]})
    >>> t = profile(auto(cl, book), cl, book, dimension="政策工具", level="type")
    >>> t[["type", "clauses", "share", "group_clauses"]].values.tolist()
    [['供给型', 1, 0.3333, 3], ['环境型', 1, 0.3333, 3], ['需求型', 1, 0.3333, 3]]
    """
    if level not in ("code", "type"):
        raise CodebookError(f"level must be 'code' or 'type', not {level!r}", parameter="level")
    codebook.check_dimension(dimension)
    group = _groups(clauses, by, docs)
    mine = codes[codes.dimension == dimension].assign(_g=lambda t: t.id.map(group))
    keys = ["type", "code"] if level == "code" else ["type"]
    catalogue = codebook.codes(dimension)[keys].drop_duplicates()
    found = mine.drop_duplicates(["id", *keys]).groupby(["_g", *keys], sort=False).size().rename("clauses")
    groups = pd.Index(group.drop_duplicates().tolist(), name="_g")
    grid = pd.MultiIndex.from_frame(groups.to_frame(index=False).merge(catalogue, how="cross"))
    table = found.reindex(grid, fill_value=0).reset_index()
    total = table.groupby("_g", sort=False)["clauses"].transform("sum")
    table["share"] = (table["clauses"] / total.where(total > 0)).round(4).fillna(0.0)
    table["group_clauses"] = table._g.map(group.value_counts()).astype("int64")
    table["coded_clauses"] = table._g.map(mine.drop_duplicates("id").groupby("_g").size()).fillna(0).astype("int64")
    table.insert(1, "dimension", dimension)
    table = table.rename(columns={"_g": by})
    return table.drop(columns=[by]) if by == "corpus" else table


def crosstab(codes: pd.DataFrame, codebook: Codebook, *, rows: str, columns: str,
             row_level: str = "type", column_level: str = "code") -> pd.DataFrame:
    """The two-dimensional cross-tab: clauses coded with a row code and a column code, with row and column shares.

    Returns
    -------
    DataFrame
        ``<rows dimension>, <columns dimension>, clauses`` (clauses with
        both), ``row_share`` (clauses ÷ the row's total), ``column_share``
        (clauses ÷ the column's total); every pair, zeros included, in codebook order.

    Examples
    --------
    >>> from analysis.lexicon import codebook
    >>> book = codebook.load()
    >>> cl = pd.DataFrame({"id": ["甲-0-1", "甲-0-2"], "doc": "甲", "text": ["加大科技投入，设立专项资金。", "鼓励节能。"]})
    >>> t = crosstab(auto(cl, book), book, rows="政策工具", columns="政策目标", column_level="type")
    >>> t[t["clauses"] > 0].values.tolist()
    [['供给型', '发展', 1, 1.0, 1.0], ['环境型', '民生与环境', 1, 1.0, 1.0]]
    """
    def side(dimension: str, level: str) -> tuple[pd.DataFrame, list[str]]:
        key = "code" if level == "code" else "type"
        mine = codes[codes.dimension == codebook.check_dimension(dimension)][["id", key]].drop_duplicates()
        return mine.rename(columns={key: dimension}), codebook.codes(dimension)[key].drop_duplicates().tolist()

    if rows == columns:
        raise CodebookError(f"a cross-tab needs two different dimensions, not {rows!r} twice", parameter="dimension")
    left, row_values = side(rows, row_level)
    right, column_values = side(columns, column_level)
    pairs = left.merge(right, on="id").groupby([rows, columns]).size().rename("clauses")
    grid = pd.MultiIndex.from_product([row_values, column_values], names=[rows, columns])
    table = pairs.reindex(grid, fill_value=0).reset_index()
    for share, key in (("row_share", rows), ("column_share", columns)):
        total = table.groupby(key)["clauses"].transform("sum")
        table[share] = (table["clauses"] / total.where(total > 0)).round(4).fillna(0.0)
    return table


def _groups(clauses: pd.DataFrame, by: str, docs: pd.DataFrame | None) -> pd.Series:
    """The group of each clause id (``by`` = corpus, doc or a metadata column of ``docs``)."""
    doc = pd.Series(clauses["doc"].to_numpy(), index=clauses["id"].to_numpy())
    if by == "corpus":
        return doc.map(lambda _: "corpus")
    if by == "doc":
        return doc
    if docs is None or by not in docs.columns or by in NOT_GROUPS:
        have = [] if docs is None else [c for c in docs.columns if c not in NOT_GROUPS]
        raise CodebookError(f"cannot group by '{by}': use corpus, doc or a metadata column "
                            f"({', '.join(have) or 'none given'})", parameter="by")
    return doc.map(docs.set_index("doc")[by])
