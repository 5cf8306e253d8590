"""Policy clauses (政策条款): cleaned documents split by their own numbering, each with a stable id ``doc-chapter-clause``.

The rules, in the order they apply to each document's cleaned paragraphs:

1. **Chapters.** A paragraph starting ``第X章`` / ``第X篇`` / ``第X部分`` opens a
   chapter; a document without them takes ``一、`` / ``二、`` lines as its
   chapters. The chapter's number is the number as written (``第十二章`` → 12),
   and numbers only go up: a ``一、`` after ``三、`` is a list inside chapter 3,
   not a new chapter (the same holds for clauses within a chapter);
   the heading line is ``chapter_title`` and no clause. Text before the first
   chapter, and every document without chapter headings, is chapter 0.
2. **Clauses.** Within a chapter, the first of these numberings that occurs
   there marks its clauses: ``第X条``, ``（一）``, ``1.`` / ``1、``, ``（1）`` (and
   ``一、`` in a document whose chapters are ``第X章``). A clause runs from its
   numbered line to the next one; deeper numbering and plain paragraphs belong
   to the clause above them. The clause's number is the number as written
   (``第十二条`` → 12), its numbering is ``label``. Paragraphs of a numbered
   chapter before its first clause are clause 0 (the chapter's preamble).
3. **Sentences.** A chapter without clause numbering is split into sentences
   (the sentence rule of :func:`analysis.measure.segment.sentences`),
   numbered 1, 2, … in order; their ``label`` is empty.

``第X节`` lines (sections between chapter and article) are headings, not text.
A clause id that would repeat within a document (numbering restarted inside
a chapter) gets ``~2``, ``~3`` … and a notice names it.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

from analysis.errors import InputNotice, first_names
from analysis.measure.segment import sentences
from analysis.text.corpus import Corpus

#: Columns of the clause table.
COLUMNS = ["id", "doc", "chapter", "clause", "label", "chapter_title", "para", "text"]

_CN = "一二三四五六七八九十百千零〇两"
_CHAPTER = re.compile(rf"^第([{_CN}\d]+)(?:章|篇|部分)")
_SECTION = re.compile(rf"^第[{_CN}\d]+节")
_CN_ITEM = re.compile(rf"^([{_CN}]+)[、．.]")
#: Clause numberings, highest first: 第X条, （一）, 1. / 1、, （1）.
_CLAUSE_LEVELS = (
    re.compile(rf"^第([{_CN}\d]+)条"),
    re.compile(rf"^[（(]([{_CN}]+)[)）]"),
    re.compile(r"^(\d+)[.．、](?!\d)"),
    re.compile(r"^[（(](\d+)[)）]"),
)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def number(written: str) -> int:
    """The value of a number as written in a heading: Arabic digits (also full-width) or Chinese numerals.

    Examples
    --------
    >>> [number(n) for n in ("三", "十二", "二十一", "一百零二", "12", "１２")]
    [3, 12, 21, 102, 12, 12]
    """
    if written.isdigit():
        return int(written)
    total = current = 0
    for ch in written:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def split(paragraphs: pd.DataFrame | Corpus) -> pd.DataFrame:
    """Split cleaned documents into numbered clauses.

    Parameters
    ----------
    paragraphs : DataFrame or Corpus
        The paragraphs table (``doc, para, text``, in document order) or a corpus.

    Returns
    -------
    DataFrame
        ``id, doc, chapter, clause, label, chapter_title, para, text``: one row
        per clause; ``id`` is ``doc-chapter-clause``; ``para`` is the
        paragraph where the clause starts; ``text`` is the clause as written
        (its paragraphs joined by line breaks, the numbering included).

    Examples
    --------
    >>> paras = pd.DataFrame({"doc": "甲", "para": [1, 2, 3, 4, 5], "text": [
    ...     "第一章 总则", "第一条 为了加强人才培养，制定本办法。", "第二章 支持措施",
    ...     "第二条 设立专项资金。", "（一）支持示范工程。"]})
    >>> split(paras)[["id", "label", "text"]].values.tolist()
    [['甲-1-1', '第一条', '第一条 为了加强人才培养，制定本办法。'], ['甲-2-2', '第二条', '第二条 设立专项资金。\\n（一）支持示范工程。']]
    >>> split(pd.DataFrame({"doc": "乙", "para": [1], "text": ["加大财政投入。鼓励企业创新。"]})).id.tolist()
    ['乙-0-1', '乙-0-2']
    """
    if isinstance(paragraphs, Corpus):
        paragraphs = paragraphs.paragraphs
    rows: list[dict] = []
    repeated: list[str] = []
    for doc, part in paragraphs.groupby("doc", sort=False):
        found = _document(str(doc), part.para.tolist(), part.text.tolist())
        seen: dict[str, int] = {}
        for row in found:
            base = row["id"]
            seen[base] = seen.get(base, 0) + 1
            if seen[base] > 1:
                row["id"] = f"{base}~{seen[base]}"
                repeated.append(base)
        rows.extend(found)
    if repeated:
        warnings.warn(InputNotice(
            f"clause numbering restarts within a chapter, so these clause ids were made unique with ~2, ~3: "
            f"{first_names(sorted(set(repeated)))}"), stacklevel=2)
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.astype({"chapter": "int64", "clause": "int64", "para": "int64"})


def _document(doc: str, paras: list[int], texts: list[str]) -> list[dict]:
    chapter_rule = _CHAPTER if any(_CHAPTER.match(t) for t in texts) else _CN_ITEM
    clause_rules = (*_CLAUSE_LEVELS, _CN_ITEM) if chapter_rule is _CHAPTER else _CLAUSE_LEVELS
    chapters: list[tuple[int, str, list[tuple[int, str]]]] = [(0, "", [])]
    for para, text in zip(paras, texts):
        heading = chapter_rule.match(text)
        if heading and number(heading.group(1)) > chapters[-1][0]:
            chapters.append((number(heading.group(1)), text, []))
        elif not _SECTION.match(text):
            chapters[-1][2].append((para, text))
    rows = []
    for chapter, title, body in chapters:
        if body:
            rows.extend(_chapter(doc, chapter, title, body, clause_rules))
    return rows


def _chapter(doc: str, chapter: int, title: str, body: list[tuple[int, str]], rules: tuple) -> list[dict]:
    rule = next((r for r in rules if any(r.match(text) for _, text in body)), None)
    if rule is None:
        units = sentences(pd.DataFrame({"doc": doc, "para": [p for p, _ in body], "text": [t for _, t in body]}))
        units = units[units.text.str.strip() != ""]
        return [_row(doc, chapter, n, "", title, para, text.strip())
                for n, (para, text) in enumerate(zip(units.para, units.text), start=1)]
    clauses: list[list] = []  # [clause number, label, first para, texts]
    for para, text in body:
        numbered = rule.match(text)
        if numbered and number(numbered.group(1)) > (clauses[-1][0] if clauses else -1):
            clauses.append([number(numbered.group(1)), numbered.group(0), para, [text]])
        elif clauses:
            clauses[-1][3].append(text)
        else:
            clauses.append([0, "", para, [text]])
    return [_row(doc, chapter, n, label, title, para, "\n".join(texts)) for n, label, para, texts in clauses]


def _row(doc: str, chapter: int, clause: int, label: str, title: str, para: int, text: str) -> dict:
    return {"id": f"{doc}-{chapter}-{clause}", "doc": doc, "chapter": chapter, "clause": clause, "label": label,
            "chapter_title": title, "para": para, "text": text}
