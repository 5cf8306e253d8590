"""Tables for papers: any result table as a three-line (booktabs) table for Word (.docx) or LaTeX (.tex).

Journals in Chinese and in English want the same thing: three horizontal
rules (above the header, below it, below the last row), no vertical rules,
the caption above, notes below. :func:`prepare` turns a tidy result table into
what such a table shows:

- column labels in Chinese with English below (``概念`` / ``Concept``, from
  :mod:`analysis.present.labels`): two header rows in LaTeX, two lines of
  one header cell in Word;
- after each concept column, the concept's English gloss from the lexicon
  (``en``) and, with ``pinyin=True``, its pinyin (pypinyin, tone marks);
- numbers rounded as everywhere else (:data:`analysis.present.labels.DECIMALS`,
  thousands separators for counts, p-values as ``< 0.0001``);
- the denominator of the rates in a note under the table: one number when the
  whole table has one (the column is then dropped), the formula otherwise.

:func:`write_docx` and :func:`to_latex` write it; ``-o table.docx`` and
``-o table.tex`` on the command line go through
:func:`analysis.present.output.write_table`, which calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pandas as pd

from analysis.lexicon import Lexicon
from analysis.present.labels import (
    COUNT_COLUMNS,
    DECIMALS,
    EN_LABELS,
    LABELS,
    VALUE_LABELS,
    bilingual,
    p_value_text,
    rate_note,
)

#: Columns holding concept names, glossed in English (and pinyin) in a column after them.
CONCEPT_COLUMNS = ("concept", "concept_a", "concept_b", "inside", "item")
GLOSS_HEADER = ("英文", "English")
PINYIN_HEADER = ("拼音", "Pinyin")
#: Tables with more rows than this become a LaTeX ``longtable`` (it breaks across pages; a float cannot).
LONG_TABLE = 40


@dataclass(frozen=True)
class PaperTable:
    """A table ready to typeset: text cells under bilingual headers, which columns are numbers, notes.

    Attributes
    ----------
    frame : DataFrame
        Every cell as the text to print; the columns are a two-level index
        of the labels, Chinese then English (``""`` where there is none).
    numeric : list of bool
        Per column: right-aligned (numbers) or left-aligned (text).
    notes : list of str
        Lines under the table (denominators, what a column means), each in
        Chinese then English.
    caption : str
        The caption above the table (``""``: none).
    """

    frame: pd.DataFrame
    numeric: list[bool]
    notes: list[str] = field(default_factory=list)
    caption: str = ""


def prepare(table: pd.DataFrame, *, lexicon: Lexicon | None = None, pinyin: bool = False,
            caption: str = "") -> PaperTable:
    """A result table as a paper shows it: bilingual headers, glosses, rounded numbers, denominators in a note.

    Parameters
    ----------
    table : DataFrame
        A tidy result table (columns named as in :mod:`analysis`).
    lexicon : Lexicon, optional
        Gives the English gloss (``en``) of each concept; without it, no gloss column.
    pinyin : bool, default False
        Also a pinyin column after each concept column.
    caption : str, optional

    Examples
    --------
    >>> from analysis.lexicon import load
    >>> from analysis.config import LEXICON_DIR
    >>> t = pd.DataFrame({"concept": ["社区治理"], "count": [23], "chars": [1917], "per_10k": [119.9791]})
    >>> p = prepare(t, lexicon=load(LEXICON_DIR / "sample-concepts.csv"), pinyin=True)
    >>> p.frame.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [('概念', 'Concept'), ('英文', 'English'), ('拼音', 'Pinyin'), ('出现次数', 'Occurrences'),
     ('每万字出现次数', 'Per 10,000 characters')]
    >>> p.frame.values.tolist()
    [['社区治理', 'Community governance', 'shè qū zhì lǐ', '23', '119.98']]
    >>> p.notes[0]
    '每万字 = 出现次数 ÷ 1,917 字 × 10,000；Per 10,000 characters = occurrences ÷ 1,917 characters × 10,000'
    """
    data = table.reset_index(drop=True)
    notes = []
    if "per_10k" in data.columns:
        chars = int(data["chars"].iloc[0]) if "chars" in data.columns and len(data) and data["chars"].nunique() == 1 else None
        notes.append(f"{rate_note(chars)}；{rate_note(chars, lang='en')}")
        if chars is not None:
            data = data.drop(columns="chars")
    if "standalone" in data.columns:
        notes.append("独立出现：不在更长词条之内的出现；Standalone: occurrences not inside a longer term")
    if "nested" in data.columns:
        notes.append(f"{LABELS['nested']}：出现在另一更长概念之内的次数；"
                     f"{EN_LABELS['nested']}: occurrences inside an occurrence of another, longer concept")
    glosses = _glosses(lexicon)
    headers: list[tuple[str, str]] = []
    cells: list[list[str]] = []
    numeric: list[bool] = []

    def add(header: tuple[str, str], column: list[str], is_number: bool) -> None:
        headers.append(header)
        cells.append(column)
        numeric.append(is_number)

    for column in data.columns:
        values = data[column]
        is_number = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        add(bilingual(str(column)), [_cell(str(column), v) for v in values], is_number)
        named = values.dropna().astype(str)
        if column in CONCEPT_COLUMNS and glosses and len(named) and named.isin(glosses).all():
            add(GLOSS_HEADER, [glosses.get(str(v), "") for v in values], False)
            if pinyin:
                add(PINYIN_HEADER, [pinyin_of(str(v)) for v in values], False)
    frame = pd.DataFrame(dict(enumerate(cells)), index=range(len(data)))
    frame.columns = pd.MultiIndex.from_tuples(headers) if headers else frame.columns
    return PaperTable(frame, numeric, notes, caption)


def pinyin_of(text: str) -> str:
    """Hanyu pinyin with tone marks, one syllable per character, separated by spaces.

    Examples
    --------
    >>> pinyin_of("协商民主")
    'xié shāng mín zhǔ'
    """
    # pypinyin loads its dictionaries (~0.3 s) at import: only when pinyin is asked for
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.TONE))


def to_latex(table: PaperTable) -> str:
    """The table as a LaTeX ``table`` float with booktabs rules, caption above and notes below.

    A table of more than :data:`LONG_TABLE` rows is a ``longtable`` instead,
    which breaks across pages (``\\usepackage{longtable}``). The file needs
    ``\\usepackage{booktabs}``; Chinese text needs XeLaTeX with
    ``xeCJK`` or ``ctex`` (or pdfLaTeX with ``CJKutf8``).

    Examples
    --------
    >>> t = prepare(pd.DataFrame({"concept": ["社区治理"], "count": [23]}), caption="概念频次")
    >>> tex = to_latex(t)
    >>> [line for line in tex.splitlines() if line.startswith(("\\\\begin{tabular}", "\\\\toprule", "\\\\bottomrule"))]
    ['\\\\begin{tabular}{lr}', '\\\\toprule', '\\\\bottomrule']
    """
    frame = table.frame
    styler = frame.style.hide(axis="index").format(escape="latex").format_index(escape="latex", axis=1)
    if frame.columns.nlevels > 1 and not any(frame.columns.get_level_values(1)):
        styler = styler.hide(axis="columns", level=1)  # no English label at all: one header row
    long = len(frame) > LONG_TABLE
    body = styler.to_latex(
        column_format="".join("r" if n else "l" for n in table.numeric),
        hrules=True,
        environment="longtable" if long else "table",
        position_float=None if long else "centering",
        caption=_latex_escape(table.caption) if table.caption else None,
        sparse_columns=False,
    )
    end = "\\end{longtable}" if long else "\\end{table}"
    if table.notes:
        notes = "\n".join(f"\\par {'注 Note: ' if i == 0 else ''}{_latex_escape(n)}" for i, n in enumerate(table.notes))
        if long:  # a longtable is not a float: the notes follow it
            body = body.replace(end, f"{end}\n{{\\footnotesize\\raggedright\n{notes}\\par\n}}")
        else:
            body = body.replace(end, f"\\par\\smallskip\n{{\\footnotesize\\raggedright\n{notes}\\par\n}}\n{end}")
    header = ("% A three-line table written by zhgov-analysis. Needs \\usepackage{booktabs}"
              + (" and \\usepackage{longtable}" if long else "") + ";\n"
              "% Chinese text needs XeLaTeX with \\usepackage{xeCJK} (or ctex), or pdfLaTeX with CJKutf8.\n")
    return header + body


def write_docx(table: PaperTable, handle: BinaryIO) -> None:
    """Write the table as a Word document: caption, a three-line table, notes; every cell plain text.

    Examples
    --------
    >>> import io, docx
    >>> buffer = io.BytesIO()
    >>> write_docx(prepare(pd.DataFrame({"concept": ["社区治理"], "count": [23]})), buffer)
    >>> [[c.text for c in row.cells] for row in docx.Document(buffer).tables[0].rows]
    [['概念\\nConcept', '出现次数\\nOccurrences'], ['社区治理', '23']]
    """
    # python-docx (lxml) ~0.2 s: imported only when a .docx is written
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    frame = table.frame
    if len(frame.columns) > 6:  # wide tables on a landscape page
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    if table.caption:
        caption = document.add_paragraph()
        caption.add_run(table.caption).bold = True
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    grid = document.add_table(rows=len(frame) + 1, cols=len(frame.columns))

    def border(cell, **edges):
        borders = OxmlElement("w:tcBorders")
        for edge, size in edges.items():
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), str(size))  # eighths of a point
            element.set(qn("w:color"), "000000")
            borders.append(element)
        cell._tc.get_or_add_tcPr().append(borders)

    header = ["\n".join(filter(None, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
    rows = [header, *frame.itertuples(index=False, name=None)]
    last = len(rows) - 1
    for r, (row, values) in enumerate(zip(grid.rows, rows)):  # by row: grid.cell(r, c) walks the whole table
        for c, (cell, value) in enumerate(zip(row.cells, values)):
            cell.text = str(value)  # plain text: nothing in a cell is a field or formula
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if table.numeric[c] else WD_ALIGN_PARAGRAPH.LEFT
            if r == 0:
                for run in paragraph.runs:
                    run.bold = True
            edges = {}
            if r == 0:
                edges |= {"top": 12, "bottom": 6}  # 1.5 pt above the header, 0.75 pt below it
            if r == last:
                edges |= {"bottom": 12}
            if edges:
                border(cell, **edges)
    for note in table.notes:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(note)
        run.font.size = Pt(9)
    document.save(handle)


def _glosses(lexicon: Lexicon | None) -> dict[str, str]:
    if lexicon is None:
        return {}
    concepts = lexicon.concepts
    return dict(zip(concepts.concept, concepts.en.fillna("").astype(str)))


def _cell(column: str, value) -> str:
    """One value as printed: rounding of :data:`DECIMALS`, separators for counts, coded values labelled."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if column in VALUE_LABELS:
        shown = VALUE_LABELS[column].get(value)
        return f"{shown} {value}" if shown else str(value)
    if column == "p":
        return p_value_text(float(value))
    if isinstance(value, (bool, np.bool_)):
        return "是 yes" if value else "否 no"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):,.{DECIMALS.get(column, 2)}f}"
    if isinstance(value, (int, np.integer)) and column in COUNT_COLUMNS:
        return f"{int(value):,}"
    return str(value)


def _latex_escape(text: str) -> str:
    """Text for LaTeX outside the table body (caption, notes)."""
    special = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
               "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(special.get(ch, ch) for ch in text)
