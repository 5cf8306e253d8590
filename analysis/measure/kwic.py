"""Keyword in context: every counted occurrence of a concept or term, with the text around it.

The lines come from the same matches as the counts (:func:`analysis.measure.match.find`
on the cleaned paragraphs of a :class:`~analysis.text.corpus.Corpus`), so the
lines of a concept are exactly its ``count``:

- a **concept** (``match_as="concept"``): the rows of its hits with
  ``concept_hit`` true. The keyword is the text of the matched span, so an
  occurrence of 协商民主 inside 基层协商民主 shows the keyword 基层协商民主,
  counted once, as :func:`analysis.measure.count.concepts` counts it.
- a **term** (``match_as="term"``): every occurrence of the term, those
  inside longer terms included (the term ``count`` of
  :func:`analysis.measure.count.terms`); 协商民主 inside 基层协商民主 shows the
  keyword 协商民主 with 基层 at the end of the left context.
- an **ad-hoc term** (``match_as="adhoc"``): a string that is neither a
  concept nor a term of the lexicon is searched on its own, as a one-term
  lexicon, with the same matching rules (every occurrence, overlapping ones
  included); its ``concept`` column holds the string itself.

With ``match_as="auto"`` (the default) a concept name is read as the
concept, else a lexicon term as the term, else the string is searched ad hoc;
:func:`resolve` says which, so a caller can tell the user.

Context never crosses a paragraph boundary (no match does): ``left`` is the
up to ``width`` characters of the paragraph before the keyword, ``right`` the
up to ``width`` characters after it.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from analysis.config import Settings
from analysis.errors import InputError
from analysis.lexicon import Lexicon, Matcher, from_terms
from analysis.lexicon.dictionary import shown, term_problem
from analysis.measure import match
from analysis.text import corpus as corpus_module
from analysis.text.corpus import Corpus

MatchAs = Literal["auto", "concept", "term", "adhoc"]
Sort = Literal["position", "left", "right"]
MATCH_AS = ("auto", "concept", "term", "adhoc")
SORTS = ("position", "left", "right")
KWIC_COLUMNS = ["doc", "section", "section_title", "para", "start", "end", "left", "keyword", "right", "concept"]


def resolve(query: str, lexicon: Lexicon | None, *, match_as: MatchAs = "auto") -> Literal["concept", "term", "adhoc"]:
    """How a query is read: as a concept, a lexicon term, or an ad-hoc term.

    Parameters
    ----------
    query : str
        A concept name, a term, or any other string.
    lexicon : Lexicon or None
        The lexicon; ``None`` means every query is ad hoc.
    match_as : {"auto", "concept", "term", "adhoc"}, default "auto"
        ``"auto"``: concept if ``query`` names a concept, else term if it is a
        lexicon term, else ad hoc. Any other value is checked and returned.

    Returns
    -------
    {"concept", "term", "adhoc"}

    Raises
    ------
    InputError
        If the query is empty, ``match_as`` is unknown, or a forced
        ``"concept"``/``"term"`` is not in the lexicon.

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> lex = from_terms({"协商民主": ["协商民主", "基层协商民主"]})
    >>> resolve("协商民主", lex), resolve("基层协商民主", lex), resolve("人民民主", lex)
    ('concept', 'term', 'adhoc')
    """
    if match_as not in MATCH_AS:
        raise InputError(f"unknown match_as '{match_as}'; choose one of {', '.join(MATCH_AS)}")
    if not isinstance(query, str) or not query.strip():
        raise InputError("the keyword to search for is empty; give a concept, a term or a word", parameter="term")
    table = lexicon.table if lexicon is not None else pd.DataFrame(columns=["concept", "term"])
    is_concept = bool((table.concept == query).any())
    is_term = bool((table.term == query).any())
    if match_as == "concept" and not is_concept:
        raise InputError(f"'{query}' is not a concept of the lexicon; give a concept name, or search it as a term")
    if match_as == "term" and not is_term:
        raise InputError(f"'{query}' is not a term of the lexicon; search it ad hoc (match_as='adhoc' / --match-as adhoc)")
    if match_as != "auto":
        return match_as
    return "concept" if is_concept else "term" if is_term else "adhoc"


def lines(
    corpus: Corpus,
    query: str,
    *,
    lexicon: Lexicon | None = None,
    hits: pd.DataFrame | None = None,
    match_as: MatchAs = "auto",
    width: int = 20,
    sort: Sort = "position",
) -> pd.DataFrame:
    """Keyword-in-context lines for a concept, a term or an ad-hoc string.

    Parameters
    ----------
    corpus : Corpus
        The cleaned corpus.
    query : str
        A concept name, a lexicon term, or any string (see :func:`resolve`).
    lexicon : Lexicon, optional
        The lexicon the counts use; without it ``query`` is searched ad hoc.
    hits : DataFrame, optional
        ``match.find(corpus.paragraphs, lexicon)``, to reuse matches already
        made (not used for an ad-hoc query).
    match_as : {"auto", "concept", "term", "adhoc"}, default "auto"
        How to read ``query`` (see :func:`resolve`).
    width : int, default 20
        Characters of context on each side (fewer at a paragraph's edge).
    sort : {"position", "left", "right"}, default "position"
        ``"position"``: document order, paragraph, offset. ``"left"``: by the
        left context read backwards from the keyword (the character just
        before it first), as concordancers sort. ``"right"``: by the right
        context. Ties keep document order.

    Returns
    -------
    DataFrame
        ``doc, section, section_title, para, start, end, left, keyword,
        right, concept``, then the document's metadata columns (e.g.
        ``year, title``); a ``page`` column after ``para`` when the corpus
        has pages (PDF documents). ``start``/``end`` are offsets of the keyword in the
        paragraph. ``attrs["matched_as"]`` holds what :func:`resolve` said.

    Raises
    ------
    InputError
        For an empty query, a negative width, an unknown ``sort`` or
        ``match_as``, a forced concept/term missing from the lexicon, or an
        ad-hoc query that could never match (a line break; see :func:`adhoc_term`).

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> k = lines(corp, "协商民主", lexicon=lex, width=4)
    >>> k[["left", "keyword", "right"]].values.tolist()
    [['参与”、', '基层协商民主', '、社区“'], ['(三)', '基层协商民主', '是组织社'], ['层党建与', '协商民主', '有机结合']]
    """
    _check(width, sort)
    mode = resolve(query, lexicon, match_as=match_as)
    searched = _searched(query, lexicon, mode)
    if hits is None or mode == "adhoc":
        hits = match.find(corpus.paragraphs, searched)
    table = _context(_select(hits, query, mode), corpus, width=width)
    table = _sorted(table, corpus, sort)
    table.attrs["matched_as"] = mode
    return table


def from_paths(paths, query: str, settings: Settings | None = None, *, lexicon: Lexicon | None = None,
               match_as: MatchAs = "auto", width: int = 20, sort: Sort = "position",
               **options) -> tuple[pd.DataFrame, Corpus]:
    """Keyword-in-context lines of files, folders or tables, found where each document is cleaned.

    The same table as ``lines(corpus.build(paths, settings), query, ...)``,
    computed without holding the corpus's paragraphs: each worker reads a
    document, cleans it, finds its lines and sends back only those (a text
    file read in pieces gives the lines of each piece). Memory then depends
    on the lines found, not on the corpus.

    Returns
    -------
    table : DataFrame
        As :func:`lines`.
    corpus : Corpus
        Without paragraphs (see :func:`analysis.text.corpus.clean`).

    Examples
    --------
    >>> from analysis import lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> table, corp = from_paths(SAMPLE_ESSAY, "协商民主", lexicon=lex, width=4)
    >>> table.keyword.tolist(), corp.paragraphs is None
    (['基层协商民主', '基层协商民主', '协商民主'], True)
    """
    _check(width, sort)
    settings = Settings.of(settings, **options)
    mode = resolve(query, lexicon, match_as=match_as)
    documents = corpus_module.read(paths, settings, lazy=True)
    found: dict[int, pd.DataFrame] = {}

    def collect(index: int, value: tuple[int, pd.DataFrame]) -> None:
        if len(value[1]):
            found[index] = value[1]

    measure = DocumentLines(_searched(query, lexicon, mode), query, mode, width)
    corp, _ = corpus_module.clean(documents, settings, measure=measure, combine=DocumentLines.combine,
                                  keep_paragraphs=False, collect=collect)
    parts = []
    for index in sorted(found):
        rows = found.pop(index)
        layout = documents[index].layout
        if layout is not None and layout.page_starts:
            rows["page"] = pd.array([layout.page(line) for line in rows["line"].tolist()], dtype="Int64")
        parts.append(rows.assign(doc=documents[index].doc))
    paged = any(d.layout is not None and d.layout.page_starts for d in documents)
    empty = pd.DataFrame({"doc": pd.Series(dtype=object), **_EMPTY_ROWS})
    frame = pd.concat(parts, ignore_index=True) if parts else empty
    if paged and "page" not in frame.columns:
        frame["page"] = pd.array([None] * len(frame), dtype="Int64")
    elif paged:
        frame["page"] = frame["page"].astype("Int64")
    columns = [*KWIC_COLUMNS[:4], *(["page"] if paged else []), *KWIC_COLUMNS[4:]]
    table = _with_metadata(frame[columns].reset_index(drop=True), corp)
    table = _sorted(table, corp, sort)
    table.attrs["matched_as"] = mode
    return table, corp


class DocumentLines:
    """The keyword-in-context lines of one cleaned document: a measure for :func:`analysis.text.corpus.clean`.

    Called with the document's cleaned paragraphs (``(line, section,
    section_title, text)``), returns ``(paragraphs, rows)``: the number of
    paragraphs and the lines found, without ``doc`` and metadata, with the
    ``line`` each paragraph starts on (for the page of a PDF).
    """

    takes_paragraphs = True

    def __init__(self, lexicon: Lexicon, query: str, mode: str, width: int):
        self.lexicon, self.query, self.mode, self.width = lexicon, query, mode, width
        self.matcher = Matcher(lexicon)  # pickles as its lexicon: a worker rebuilds it once

    def __call__(self, paragraphs: list[tuple[int, int, str, str]]) -> tuple[int, pd.DataFrame]:
        paras, hits = match.document_hits(paragraphs, self.lexicon, self.matcher)
        selected = _select(hits, self.query, self.mode)
        if selected.empty:
            return len(paragraphs), pd.DataFrame(_EMPTY_ROWS)
        return len(paragraphs), _lines_of(selected, paras, width=self.width)

    @staticmethod
    def combine(values: list[tuple[int, pd.DataFrame]]) -> tuple[int, pd.DataFrame]:
        """The lines of a document read in pieces: each piece's paragraphs numbered after the pieces before it."""
        total, parts = 0, []
        for paragraphs, rows in values:
            parts.append(rows.assign(para=rows["para"] + total))
            total += paragraphs
        return total, pd.concat(parts, ignore_index=True)


def concept_lines(corpus: Corpus, hits: pd.DataFrame, *, width: int = 20) -> pd.DataFrame:
    """Keyword-in-context lines of every concept at once: the rows :func:`lines` gives for each concept, together.

    One merge for the whole corpus instead of one per concept (an explorer
    showing every concept needs them all). The lines of a concept, in
    document order, are exactly ``lines(corpus, concept, hits=hits,
    match_as="concept", width=width)``.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> every = concept_lines(corp, match.find(corp.paragraphs, lex))
    >>> every.concept.value_counts().to_dict()
    {'社区治理': 23, '党建引领': 4, '协商民主': 3}
    """
    if not isinstance(width, int) or isinstance(width, bool) or width < 0:
        raise InputError(f"the context width must be a whole number of characters, 0 or more, not {width!r}")
    return _sorted(_context(hits[hits.concept_hit], corpus, width=width), corpus, "position")
def first_and_last(corpus: Corpus, strings: list[str], *, width: int = 15) -> dict[str, tuple[str, str]]:
    """The first and the last occurrence of each string, as one line ``left【keyword】right (doc)`` each.

    Every string is searched ad hoc (one match pass for all of them), its
    occurrences in document order (by ``year`` first when the documents have
    one); a string that does not occur gets two empty lines. Used as evidence
    beside suggested terms.

    Examples
    --------
    >>> from analysis.text.corpus import Document, from_documents
    >>> corp = from_documents([Document("a", "推进新质生产力发展", "a.txt", "utf-8", ""),
    ...                        Document("b", "培育新质生产力", "b.txt", "utf-8", "")])
    >>> first_and_last(corp, ["新质生产力"], width=2)
    {'新质生产力': ('推进【新质生产力】发展 (a)', '培育【新质生产力】 (b)')}
    """
    wanted = list(dict.fromkeys(strings))
    found = {string: ("", "") for string in wanted}
    if not wanted:
        return found
    hits = match.find(corpus.paragraphs, from_terms({s: [s] for s in wanted}))
    if hits.empty:
        return found
    docs = corpus.docs.sort_values("year", kind="stable") if "year" in corpus.docs.columns else corpus.docs
    doc_order = {doc: i for i, doc in enumerate(docs.doc)}
    hits = hits.assign(_doc=hits.doc.map(doc_order)).sort_values(["term", "_doc", "para", "start"], kind="stable")
    ends = pd.concat([hits.drop_duplicates("term", keep="first"), hits.drop_duplicates("term", keep="last")])
    table = _context(ends, corpus, width=width)
    table["term"] = ends.term.to_numpy()
    shown = table.left + "【" + table.keyword + "】" + table.right + " (" + table.doc.astype(str) + ")"
    half = len(shown) // 2
    for term, first, last in zip(table.term[:half], shown[:half], shown[half:]):
        found[term] = (first, last)
    return found


def adhoc_term(query: str) -> str:
    r"""The ad-hoc search term of a query: stripped, and checked as the lexicon checks its terms.

    The search term is not a lexicon entry, so its mistakes are the
    ``term`` setting's, not the lexicon's.

    Raises
    ------
    InputError
        If the query is empty, holds a line break (a match never crosses a
        paragraph) or a character cleaned text never has (see
        :func:`analysis.lexicon.dictionary.term_problem`).

    Examples
    --------
    >>> adhoc_term(" 人民民主 ")
    '人民民主'
    >>> adhoc_term("人民\n民主")
    Traceback (most recent call last):
    ...
    analysis.errors.InputError: the search term cannot contain a line break ('人民\n民主'): a match never crosses a paragraph; search for one line at a time
    """
    term = query.strip() if isinstance(query, str) else ""
    if not term:
        raise InputError("the keyword to search for is empty; give a concept, a term or a word", parameter="term")
    problem = term_problem(term)
    if problem and problem.startswith("contains a line break"):
        raise InputError(f"the search term cannot contain a line break ('{shown(term)}'): a match never crosses "
                         "a paragraph; search for one line at a time", parameter="term")
    if problem:
        raise InputError(f"the search term '{shown(term)}' {problem}", parameter="term")
    return term


def describe(query: str, lexicon: Lexicon | None, table: pd.DataFrame) -> str:
    """One sentence saying how a query was matched, for notices.

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> lex = from_terms({"协商民主": ["协商民主", "基层协商民主"]})
    >>> t = pd.DataFrame(columns=KWIC_COLUMNS); t.attrs["matched_as"] = "adhoc"
    >>> describe("人民民主", lex, t)
    "'人民民主' is not in the lexicon; searched it as an ad-hoc term: 0 occurrence(s)"
    """
    mode = table.attrs.get("matched_as", "adhoc")
    n = len(table)
    if mode == "concept":
        terms = lexicon.table.loc[lexicon.table.concept == query, "term"].tolist()
        return (f"'{query}' is a concept of the lexicon (terms: {'/'.join(terms)}): {n} counted occurrence(s), "
                "an occurrence inside a longer term of the concept shown once with that term as keyword")
    if mode == "term":
        return f"'{query}' is a term of the lexicon: {n} occurrence(s), those inside longer terms included"
    return f"'{query}' is not in the lexicon; searched it as an ad-hoc term: {n} occurrence(s)"


def _check(width: int, sort: str) -> None:
    if not isinstance(width, int) or isinstance(width, bool) or width < 0:
        raise InputError(f"the context width must be a whole number of characters, 0 or more, not {width!r}")
    if sort not in SORTS:
        raise InputError(f"unknown sort '{sort}'; choose one of {', '.join(SORTS)}")


def _searched(query: str, lexicon: Lexicon | None, mode: str) -> Lexicon:
    """The lexicon a query is searched with: the user's, or the ad-hoc term alone."""
    if mode == "adhoc":
        term = adhoc_term(query)
        return from_terms({term: [term]})
    return lexicon


def _select(hits: pd.DataFrame, query: str, mode: str) -> pd.DataFrame:
    """The hits that are lines of the query: a concept's counted hits, or every occurrence of a term."""
    if mode == "concept":
        return hits[(hits.concept == query) & hits.concept_hit]
    if mode == "term":
        return hits[hits.term == query]
    return hits


_EMPTY_ROWS = {"section": pd.Series(dtype="int64"), "section_title": pd.Series(dtype=object),
               "para": pd.Series(dtype="int64"), "line": pd.Series(dtype="int64"),
               "start": pd.Series(dtype="int64"), "end": pd.Series(dtype="int64"),
               "left": pd.Series(dtype=object), "keyword": pd.Series(dtype=object),
               "right": pd.Series(dtype=object), "concept": pd.Series(dtype=object)}


def _lines_of(selected: pd.DataFrame, paragraphs: pd.DataFrame, *, width: int) -> pd.DataFrame:
    """``doc, section, section_title, para, [page,] line, start, end, left, keyword, right, concept`` of hits.

    ``left`` and ``right``: up to ``width`` characters of the paragraph on each side of the keyword.
    """
    extra = [c for c in ("page", "line") if c in paragraphs.columns]
    paras = paragraphs[["doc", "para", "section_title", *extra, "text"]]
    rows = selected[["doc", "section", "para", "start", "end", "concept"]].merge(
        paras, on=["doc", "para"], how="left", validate="many_to_one")
    texts, starts, ends = rows["text"].tolist(), rows["start"].tolist(), rows["end"].tolist()
    frame = pd.DataFrame({
        "doc": pd.Series(rows["doc"].to_numpy(), dtype=object),
        "section": rows["section"].to_numpy(),
        "section_title": pd.Series(rows["section_title"].to_numpy(), dtype=object),
        "para": rows["para"].to_numpy(),
        **{column: rows[column].to_numpy() for column in extra},
        "start": rows["start"].astype("int64").to_numpy(),
        "end": rows["end"].astype("int64").to_numpy(),
        "left": pd.Series([t[max(0, s - width):s] for t, s in zip(texts, starts)], dtype=object),
        "keyword": pd.Series([t[s:e] for t, s, e in zip(texts, starts, ends)], dtype=object),
        "right": pd.Series([t[e:e + width] for t, e in zip(texts, ends)], dtype=object),
        "concept": pd.Series(rows["concept"].astype(str).to_numpy(), dtype=object),
    })  # text columns stay text when there is no line (sorting by context then works)
    return frame


def _context(selected: pd.DataFrame, corpus: Corpus, *, width: int) -> pd.DataFrame:
    frame = _lines_of(selected, corpus.paragraphs.drop(columns=["line"], errors="ignore"), width=width)
    paged = "page" in frame.columns  # the page a PDF paragraph starts on, to cite the line
    return _with_metadata(frame[[*KWIC_COLUMNS[:4], *(["page"] if paged else []), *KWIC_COLUMNS[4:]]], corpus)


def _with_metadata(frame: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    meta = [c for c in corpus.metadata_columns if c not in frame.columns]
    return frame.merge(corpus.docs[["doc", *meta]], on="doc", how="left")


def _sorted(table: pd.DataFrame, corpus: Corpus, sort: Sort) -> pd.DataFrame:
    doc_order = {doc: i for i, doc in enumerate(corpus.docs.doc)}
    keys = table.assign(_doc=table.doc.map(doc_order))
    position = ["_doc", "para", "start", "end"]
    if sort == "left":
        keys["_key"] = keys["left"].str[::-1]
        by = ["_key", *position]
    elif sort == "right":
        keys["_key"] = keys["right"]
        by = ["_key", *position]
    else:
        by = position
    order = keys.sort_values(by, kind="stable").index
    return table.loc[order].reset_index(drop=True)
