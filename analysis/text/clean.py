"""Cleaning raw document text into paragraphs, each step explicit and reported.

The steps, in order, each switchable and each counted per document:

1. ``simplified`` (off by default): Traditional characters converted to
   Simplified with OpenCC (``t2s``), so 協商民主 matches 协商民主.
2. ``line_endings``: ``\\r\\n``, ``\\r``, form feeds and Unicode line/paragraph
   separators become ``\\n``; each line is one paragraph, blank lines dropped,
   leading and trailing whitespace stripped.
3. ``han_spaces``: whitespace (ASCII space, full-width U+3000, tab, NBSP, ...)
   between two Han characters inside a line is removed: PDF and CNKI
   extractions put spaces inside words (社区 治理).
4. ``contents``: a table of contents (a run of heading lines that recur later
   as body headings, with its 目录 title) is left out, so its lines are
   neither counted nor taken for the body's headings (always on; the number
   of lines removed is reported).
5. ``duplicates``: exact duplicate paragraphs of a document are removed,
   keeping the first (copy-pasted and scraped texts repeat whole sections).

Headings such as ``一、``, ``（一）``, ``(一)``, ``第一章`` open a new section,
so every paragraph knows where it sits: document → section → paragraph.
Sections are found on the text as written, before duplicates are removed: a
heading opens its section even when its own line is a duplicate.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from operator import ne

import opencc
import pandas as pd

from analysis.chars import HAN, LINE_BREAK, LINE_BREAK_CHARS, SPACE_RUN
from analysis.config import CleanOptions
from analysis.text.han_spaces import join_han_spaces_text

__all__ = ["STEPS", "CleanOptions", "CleanedDocument", "clean_text", "is_heading", "join_han_spaces",
           "paragraph_frame", "section_title", "to_simplified"]

#: Names of the cleaning steps, in the order they run.
STEPS = ("simplified", "line_endings", "han_spaces", "contents", "duplicates")

_HAN_SPACE = re.compile(f"(?<=[{HAN}]){SPACE_RUN}(?=[{HAN}])")
_NUMERAL = "一二三四五六七八九十百零〇"
_HEADING = re.compile(
    rf"^(?:[{_NUMERAL}]+[、．.]"  # 一、
    rf"|[（(][{_NUMERAL}]+[)）]"  # （一） (一)
    rf"|第[{_NUMERAL}\d]+[章节部分篇])"  # 第一章
)
#: What may follow a table-of-contents entry: leader dots or spaces and a page number.
_TOC_TAIL = re.compile(r"[\s.·…．_—-]*[0-9０-９]*$")
_TOC_TITLE = re.compile(r"^目\s*录$")
#: A table of contents has at least this many entries, and most of them recur later as body headings.
TOC_MIN_ENTRIES = 3
TOC_RECUR_SHARE = 0.8
_TITLE_END = re.compile(r"[。！？；：!?;:]")


@dataclass(slots=True)
class CleanedDocument:
    """The paragraphs of one document and what each cleaning step changed."""

    paragraphs: list[tuple[int, int, str, str]]  # (line, section, section_title, text)
    changes: dict[str, int] = field(default_factory=dict)


def is_heading(line: str) -> bool:
    """True if a paragraph opens a section (``一、``, ``（一）``, ``(一)``, ``第一章``).

    Examples
    --------
    >>> is_heading("（三）基层协商民主是组织社区治理多元主体的机制保障")
    True
    >>> is_heading("社区治理是基层治理的重要内容。")
    False
    """
    return bool(_HEADING.match(line))


def section_title(heading: str, *, max_chars: int = 40) -> str:
    """A heading shortened to its first clause, for table and chart labels."""
    match = _TITLE_END.search(heading)
    title = heading[: match.start()] if match else heading
    return title if len(title) <= max_chars else title[: max_chars - 1] + "…"


def join_han_spaces(line: str) -> tuple[str, int]:
    """Remove whitespace between two Han characters; return the line and how many runs went.

    Examples
    --------
    >>> join_han_spaces("社区 治理\\u3000水平 2024 年")
    ('社区治理水平 2024 年', 2)
    """
    return _HAN_SPACE.subn("", line)


def to_simplified(text: str) -> tuple[str, int]:
    """Convert Traditional characters to Simplified (OpenCC ``t2s``); return text and characters changed.

    Examples
    --------
    >>> to_simplified("協商民主與黨建")
    ('协商民主与党建', 3)
    """
    converted = _opencc().convert(text)
    if len(converted) != len(text):  # t2s is character-for-character; be safe if not
        return converted, len(converted)
    return converted, 0 if converted == text else sum(map(ne, text, converted))


@lru_cache(maxsize=1)
def _opencc() -> opencc.OpenCC:
    """One converter per process: building it reads OpenCC's dictionaries."""
    return opencc.OpenCC("t2s")


def clean_text(text: str, options: CleanOptions | None = None, *,
               heading_lines: Collection[int] = frozenset()) -> CleanedDocument:
    """Clean one document's text into numbered, sectioned paragraphs.

    Parameters
    ----------
    text : str
        The decoded text of one document.
    options : CleanOptions
        Which steps to run.
    heading_lines : collection of int, optional
        1-based lines the source file marks as headings (Word heading styles,
        :mod:`analysis.text.word`): they open sections as ``一、`` headings do.

    Returns
    -------
    CleanedDocument
        ``paragraphs`` as ``(line, section, section_title, text)`` tuples, with
        ``line`` the 1-based line of the source text; ``changes`` maps each
        step that ran to how many things it changed (characters converted,
        line endings normalised, space runs removed, duplicate paragraphs).

    Examples
    --------
    >>> doc = clean_text("一、社区 治理\\r\\n党建引领\\r\\n党建引领\\r\\n")
    >>> [p[3] for p in doc.paragraphs]
    ['一、社区治理', '党建引领']
    >>> doc.changes
    {'line_endings': 3, 'han_spaces': 1, 'contents': 0, 'duplicates': 1}
    >>> [p[1:3] for p in clean_text("总体要求\\n党建引领", heading_lines={1}).paragraphs]
    [(1, '总体要求'), (1, '总体要求')]
    """
    options = options or CleanOptions()
    changes: dict[str, int] = {}
    lines = _lines(text, options, changes)
    if heading_lines:
        headings = [number in heading_lines or bool(_HEADING.match(line)) for number, line in lines]
    else:
        headings = [bool(_HEADING.match(line)) for _, line in lines]
    contents = table_of_contents([line for _, line in lines], headings)
    changes["contents"] = len(contents)
    return CleanedDocument(_Structure(options).paragraphs(lines, headings, contents, changes), changes)


def clean_pieces(pieces, options: CleanOptions | None = None):
    """Clean a document given as consecutive pieces of its text (each ending with a line break but the last).

    The same paragraphs and counts as :func:`clean_text` on the whole text,
    without holding it: ``pieces`` is a function that returns a fresh
    iterator over the pieces, called twice (the first pass finds the table of
    contents, which needs the headings of the whole document). Duplicate
    paragraphs are recognised by a 128-bit hash instead of their text.

    Yields
    ------
    CleanedDocument
        One per piece; the ``changes`` of the whole document are those of
        every piece added up.

    Examples
    --------
    >>> parts = ["目录\\n一、甲\\n二、乙\\n三、丙\\n", "一、甲\\n正文\\n二、乙\\n正文\\n", "三、丙\\n正文"]
    >>> [p[3] for doc in clean_pieces(lambda: iter(parts)) for p in doc.paragraphs]
    ['一、甲', '正文', '二、乙', '三、丙']
    >>> [p[3] for p in clean_text("".join(parts)).paragraphs]
    ['一、甲', '正文', '二、乙', '三、丙']
    """
    options = options or CleanOptions()
    # Pass 1: the headings of the whole document, every gap between them kept as one placeholder line,
    # so table_of_contents sees the same runs, order and 目录 lines as on the whole text.
    reduced, where, index = [], [], 0
    for piece in pieces():
        for _, line in _lines(piece, options, {}):
            if _HEADING.match(line) or _TOC_TITLE.match(line):
                reduced.append(line)
                where.append(index)
            elif not reduced or where[-1] is not None:
                reduced.append("")  # placeholder for the lines between
                where.append(None)
            index += 1
    contents = {where[i] for i in table_of_contents(reduced)}
    structure = _Structure(options, hashed=True)
    first_line, index = 0, 0
    for piece in pieces():
        changes: dict[str, int] = {}
        breaks: list[int] = []
        lines = _lines(piece, options, changes, breaks)
        headings = [bool(_HEADING.match(line)) for _, line in lines]
        here = {i - index for i in contents if index <= i < index + len(lines)}
        changes["contents"] = len(here)
        paragraphs = structure.paragraphs(lines, headings, here, changes)
        yield CleanedDocument([(first_line + n, *rest) for n, *rest in paragraphs], changes)
        first_line += breaks[0]  # every piece but the last ends with a line break
        index += len(lines)


def _lines(text: str, options: CleanOptions, changes: dict[str, int],
           count_lines: list[int] | None = None) -> list[tuple[int, str]]:
    """Steps 1-3, then the non-blank lines with their 1-based numbers, stripped (``count_lines`` gets the line breaks)."""
    if options.simplified:
        text, changes["simplified"] = to_simplified(text)
    # Speed (analysis.text.han_spaces): `in` scans are far faster than the regex when there is nothing to do,
    # and whitespace runs between Han characters never contain a line break, so one pass over the
    # whole text removes exactly what a pass per line would.
    if any(ch in text for ch in LINE_BREAK_CHARS):
        text, changes["line_endings"] = LINE_BREAK.subn("\n", text)
    else:
        changes["line_endings"] = 0
    if options.han_spaces:
        text, changes["han_spaces"] = join_han_spaces_text(text)
    numbered = enumerate(text.split("\n"), start=1)
    if count_lines is not None:
        count_lines.append(text.count("\n"))
    return [(number, line.strip()) for number, line in numbered if line.strip()]


class _Structure:
    """Sections and duplicate removal, carried from one piece of a document to the next."""

    def __init__(self, options: CleanOptions, *, hashed: bool = False):
        self.options = options
        self.section, self.title = 0, ""
        self.seen: set = set()
        self.hashed = hashed

    def paragraphs(self, lines: list[tuple[int, str]], headings: list[bool], contents: set[int],
                   changes: dict[str, int]) -> list[tuple[int, int, str, str]]:
        dedupe = self.options.dedupe
        if dedupe:
            changes["duplicates"] = 0
        seen = self.seen
        out = []
        # Structure first, on the text as written: a heading opens its section even when its line
        # is then dropped as a duplicate, so the paragraphs under it keep their heading.
        for index, ((number, line), heading) in enumerate(zip(lines, headings)):
            if index in contents:
                continue
            if heading:
                self.section, self.title = self.section + 1, section_title(line)
            if dedupe:
                key = hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=16).digest() \
                    if self.hashed else line
                if key in seen:
                    changes["duplicates"] += 1
                    continue
                seen.add(key)
            out.append((number, self.section, self.title, line))
        return out


def table_of_contents(lines: list[str], headings: list[bool] | None = None) -> set[int]:
    """The lines (indexes) of a table of contents: a run of heading lines that recur later as body headings.

    A run of at least :data:`TOC_MIN_ENTRIES` consecutive heading lines (with
    an optional 目录 line before it; leader dots and page numbers ignored) is a
    table of contents when at least :data:`TOC_RECUR_SHARE` of its entries
    appear again after it as headings; the run ends where an entry repeats
    (the body's first heading right after the contents). Only the first such
    run is taken.

    Examples
    --------
    >>> doc = ["目录", "第一章 发展环境", "第二章 指导方针……5", "第三章 主要目标", "第一章 发展环境", "正文",
    ...        "第二章 指导方针", "正文", "第三章 主要目标", "正文"]
    >>> sorted(table_of_contents(doc))
    [0, 1, 2, 3]
    """
    if headings is None:
        headings = [bool(_HEADING.match(line)) for line in lines]
    if sum(headings) < 2 * TOC_MIN_ENTRIES:
        return set()
    body_headings: dict[str, int] = {}
    for index, (line, heading) in enumerate(zip(lines, headings)):
        if heading:
            body_headings[_TOC_TAIL.sub("", line)] = index  # the last place each heading occurs
    index = 0
    while index < len(lines):
        if not headings[index]:
            index += 1
            continue
        end, entries = index, []
        while end < len(lines) and headings[end]:
            entry = _TOC_TAIL.sub("", lines[end])
            if entry in entries:  # the body starts right after the contents, with their first entry
                break
            entries.append(entry)
            end += 1
        if len(entries) >= TOC_MIN_ENTRIES:
            recurring = sum(body_headings.get(entry, -1) >= end for entry in entries)
            if recurring >= TOC_RECUR_SHARE * len(entries):
                start = index - 1 if index > 0 and _TOC_TITLE.match(lines[index - 1]) else index
                return set(range(start, end))
        index = end
    return set()


def paragraph_frame(docs: list[tuple[str, CleanedDocument]]) -> pd.DataFrame:
    """The paragraphs table (``doc, section, section_title, para, line, text``) of cleaned documents."""
    # Column by column: a tuple per paragraph would cost more than the paragraph for short documents.
    columns: dict[str, list] = {"doc": [], "section": [], "section_title": [], "para": [], "line": [], "text": []}
    for doc, cleaned in docs:
        for para, (line, section, title, text) in enumerate(cleaned.paragraphs, start=1):
            columns["doc"].append(doc)
            columns["section"].append(section)
            columns["section_title"].append(title)
            columns["para"].append(para)
            columns["line"].append(line)
            columns["text"].append(text)
    return pd.DataFrame({
        name: pd.Series(values, dtype="int64" if name in ("section", "para", "line") else object)
        for name, values in columns.items()
    })
