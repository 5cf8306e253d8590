"""Reading Word ``.docx`` files with python-docx: paragraphs as written, headings from Word's heading styles.

- Paragraphs of the body in order, one line each (a manual line break inside
  a paragraph starts a new line); empty paragraphs are left out.
- A paragraph in a heading style (``Heading 1`` … ``Heading 9``, ``Title``,
  their Chinese names ``标题 1`` …, or a style based on one of them) is a
  heading: it opens a section as ``一、`` headings do.
- Tables' text is included, one line per cell paragraph, in reading order
  (cleaning step ``tables``: the lines that came from tables).
- The text as it now reads: tracked insertions are in, tracked deletions and
  text moved away are out; comments, footnotes, headers and footers are not
  part of the body and are left out.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from analysis.errors import InputError
from analysis.text.extracted import Extracted, Layout, file_bytes, library, split_lines

_HEADING_STYLE = re.compile(r"(?i)^(?:heading\s*\d|title|标题(?:\s*\d)?)$")
#: Text of a paragraph: runs' text, tabs and breaks, except deleted or moved-away text and
#: the fallback copy Word keeps of text boxes (it would count their text twice).
_TEXT = (".//w:t[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::*[local-name()='Fallback'])]"
         " | .//w:tab[not(ancestor::w:pPr)] | .//w:br | .//w:cr")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read(path: str | Path) -> Extracted:
    """The paragraphs of a ``.docx`` file, with the lines its heading styles mark as headings.

    Parameters
    ----------
    path : str or Path
        A ``.docx`` file; only read.

    Returns
    -------
    Extracted
        ``layout.headings`` holds the heading lines; ``layout.changes``
        counts the ``tables`` lines; ``notes`` says how many tables were included.

    Raises
    ------
    InputError
        For a damaged or password-protected file, or an old ``.doc`` renamed ``.docx``.

    Examples
    --------
    >>> import docx, pathlib, tempfile
    >>> document = docx.Document()
    >>> _ = document.add_heading("总体要求", level=1), document.add_paragraph("坚持党建引领。")
    >>> table = document.add_table(rows=1, cols=2)
    >>> table.cell(0, 0).text, table.cell(0, 1).text = "社区治理", "协商民主"
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "方案.docx"
    >>> document.save(path)
    >>> extracted = read(path)
    >>> extracted.text.splitlines(), sorted(extracted.layout.headings), extracted.layout.changes
    (['总体要求', '坚持党建引领。', '社区治理', '协商民主'], [1], (('tables', 2),))
    """
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    path = Path(path)
    data = file_bytes(path)
    if data.startswith(_OLE_MAGIC):
        raise InputError(f"{path}: is password-protected, or an old Word .doc file named .docx; open it in Word "
                         "or WPS, remove the password if it has one, and save it as .docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, lxml and python-docx raise many types for a damaged file
        raise InputError(f"{path}: not a readable Word .docx file ({type(exc).__name__}: {str(exc).strip() or 'damaged'}); "
                         "open it in Word or WPS and save it again as .docx") from None
    lines: list[str] = []
    headings: set[int] = set()
    tables = table_lines = 0
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            texts = split_lines(_text(block))
            if texts and _is_heading(Paragraph(block, document).style):
                headings.add(len(lines) + 1)
            lines.extend(texts)
        elif block.tag == qn("w:tbl"):
            tables += 1
            for cell_paragraph in block.xpath(".//w:tc/w:p"):
                texts = split_lines(_text(cell_paragraph))
                lines.extend(texts)
                table_lines += len(texts)
    notes = []
    if tables:
        notes.append(f"included the text of {tables} table(s) ({table_lines} line(s), one per cell paragraph)")
    layout = Layout(headings=frozenset(headings), changes=(("tables", table_lines),))
    return Extracted(text="\n".join(lines), source=f"docx ({library('python-docx')})", layout=layout,
                     notes=tuple(notes))


def _text(paragraph) -> str:
    parts = []
    for node in paragraph.xpath(_TEXT):
        name = node.tag.rsplit("}", 1)[-1]
        parts.append((node.text or "") if name == "t" else "\t" if name == "tab" else "\n")
    return "".join(parts)


def _is_heading(style, depth: int = 5) -> bool:
    """A heading style, or one based on a heading style (up to ``depth`` levels)."""
    while style is not None and depth > 0:
        if _HEADING_STYLE.match(style.name or ""):
            return True
        style, depth = style.base_style, depth - 1
    return False
