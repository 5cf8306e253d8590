"""Reading the text layer of a PDF with pypdfium2 (PDFium, BSD/Apache licensed), page by page.

What reading does, in order, each step counted in the cleaning report:

1. **Text per page**: PDFium's text of each page, split into lines. A page
   without any text but with images (a scan) is named in a notice
   (``pages_without_text``); a PDF where every page is so is refused (no OCR
   here). A blank page is simply empty.
2. **Running headers, footers and page numbers** (``running_headers``, lines
   removed): a line among the first or last :data:`EDGE_LINES` lines of a page
   whose shape (spaces removed, every number read as ``#``, so ``- 3 -`` and
   ``- 4 -`` are one shape) stands at the top or bottom of at least
   :data:`RUNNING_SHARE` (40%) of the pages with text (and of two pages at
   least) is removed there; so are a journal's alternating headers (its name
   on odd pages, the article's title on even ones). Such lines are neither counted nor taken for the body.
3. **Lines broken mid-sentence re-joined** (``joined_lines``): PDF text comes
   as printed lines. A line is joined to the next one when it is full (at
   least :data:`FULL_LINE` of the widest line of its page, Chinese
   characters counting 1 and Latin letters, digits and ASCII signs ½), does not end a sentence or clause
   (。！？；： and their ASCII forms, …, also before a closing quote or
   bracket), and the next line is not a heading (``一、``, ``（一）``,
   ``第一章``). So 协商 / 民主 broken across two lines is found as 协商民主,
   while titles, headings and the last line of each paragraph stay apart.
   The joined line keeps the page it starts on.

Spaces PDF extraction puts between Chinese characters (社区 治理) are removed
later, by the cleaning step ``han_spaces``, as for every text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from math import ceil
from pathlib import Path

from analysis.errors import NAMED, InputError, first_names
from analysis.text.clean import is_heading
from analysis.text.extracted import Extracted, Layout, file_bytes, library, split_lines

#: A line counts as running when it stands at a page's edge on at least this share of the pages with text
#: (below one half, so that journals' alternating headers, one on odd and one on even pages, both count).
RUNNING_SHARE = 0.4
#: How many lines at the top and at the bottom of a page can be running headers or footers.
EDGE_LINES = 2
#: A line at least this share of its page's widest line is full: the text went on on the next line.
FULL_LINE = 0.9
_SENTENCE_END = set("。！？；：!?;:…")
_CLOSING = "”’」』）)】》〉\"'"
_NUMBER = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_NARROW = re.compile("[\x00-\u10ff]")
#: PDFium's code for "Incorrect password error".
_PASSWORD_ERROR = 4
_IMAGE_OBJECT = 3  # FPDF_PAGEOBJ_IMAGE


def read(path: str | Path) -> Extracted:
    """The text of a PDF, one line per printed line (re-joined where a sentence was broken), with its pages.

    Parameters
    ----------
    path : str or Path
        A ``.pdf`` file; only read.

    Returns
    -------
    Extracted
        ``layout.page_starts`` gives each line's page; ``layout.changes``
        counts ``running_headers``, ``joined_lines`` and ``pages_without_text``;
        ``notes`` names the lines removed and the pages without text.

    Raises
    ------
    InputError
        For an encrypted or damaged PDF, or one without any text layer (a scan).

    Examples
    --------
    >>> read("no-such.pdf")
    Traceback (most recent call last):
    ...
    analysis.errors.InputError: no-such.pdf: cannot be read (No such file or directory); check the file
    """
    import pypdfium2 as pdfium

    path = Path(path)
    try:
        document = pdfium.PdfDocument(file_bytes(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PASSWORD_ERROR or "password" in str(exc).lower():
            raise InputError(f"{path}: the PDF is encrypted (it needs a password to open); open it with its "
                             "password and save a copy without one, or save its text as .txt") from None
        raise InputError(f"{path}: not a readable PDF ({exc}); the file may be damaged or incomplete: "
                         "download or export it again") from None
    pages, scanned = [], []
    try:
        for number in range(1, len(document) + 1):
            page = document[number - 1]
            textpage = page.get_textpage()
            lines = split_lines(textpage.get_text_range())
            if not lines and any(obj.type == _IMAGE_OBJECT for obj in page.get_objects()):
                scanned.append(number)
            textpage.close()
            page.close()
            pages.append(lines)
    finally:
        document.close()
    if not any(pages):
        what = (f"its {len(scanned)} page(s) are images only, e.g. a scan" if scanned
                else f"its {len(pages)} page(s) hold no text")
        raise InputError(f"{path}: the PDF has no text layer ({what}); this toolkit does no OCR: run OCR on it "
                         "first (e.g. Adobe Acrobat, ABBYY FineReader or ocrmypdf) and give the result")
    kept, running = remove_running_lines(pages)
    numbered = [(page, line) for page, lines in enumerate(kept, start=1) for line in lines]
    joined, n_joined = join_broken_lines(numbered)
    line_pages = [page for page, _ in joined]
    notes = []
    with_text = sum(1 for lines in pages if lines)
    if running:
        shown = first_names([f"'{text}' ({n} of {with_text} pages)" for text, n in running])
        notes.append(f"removed running headers, footers or page numbers repeated on most pages: {shown}")
    if n_joined:
        notes.append(f"re-joined {n_joined} line(s) broken mid-sentence")
    if scanned:
        notes.append(f"page(s) {first_names(scanned, NAMED)} of {len(pages)} have no text layer (images only, "
                     "e.g. scanned); their text is not counted: run OCR on the file to include it")
    layout = Layout(
        page_starts=tuple(bisect_left(line_pages, page) + 1 for page in range(1, len(pages) + 1)),
        changes=(("running_headers", sum(n for _, n in running)), ("joined_lines", n_joined),
                 ("pages_without_text", len(scanned))),
    )
    return Extracted(text="\n".join(line for _, line in joined), source=f"pdf ({library('pypdfium2')})",
                     layout=layout, notes=tuple(notes))


def remove_running_lines(pages: list[list[str]]) -> tuple[list[list[str]], list[tuple[str, int]]]:
    """Remove lines repeated at the top or bottom of most pages; return the pages and what went (text, pages).

    Examples
    --------
    >>> pages = [["社区治理简报", "党建引领。", "- 1 -"], ["社区治理简报", "协商民主。", "- 2 -"]]
    >>> kept, removed = remove_running_lines(pages)
    >>> kept, removed
    ([['党建引领。'], ['协商民主。']], [('社区治理简报', 2), ('- 1 -', 2)])
    """
    with_text = [i for i, lines in enumerate(pages) if lines]
    if len(with_text) < 2:
        return pages, []
    on_pages: dict[str, set[int]] = {}
    for i in with_text:
        for line in _edges(pages[i]):
            on_pages.setdefault(_shape(line), set()).add(i)
    need = max(2, ceil(RUNNING_SHARE * len(with_text)))
    running = {shape for shape, where in on_pages.items() if len(where) >= need}
    if not running:
        return pages, []
    first: dict[str, str] = {}
    removed: dict[str, int] = {}
    kept = []
    for lines in pages:
        edges = set(range(min(EDGE_LINES, len(lines)))) | set(range(max(0, len(lines) - EDGE_LINES), len(lines)))
        keep = []
        for j, line in enumerate(lines):
            shape = _shape(line)
            if j in edges and shape in running:
                first.setdefault(shape, line)
                removed[shape] = removed.get(shape, 0) + 1
            else:
                keep.append(line)
        kept.append(keep)
    return kept, [(first[shape], n) for shape, n in removed.items()]


def join_broken_lines(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], int]:
    """Join each full line that does not end a sentence to the next (see the module docstring); count the joins.

    Parameters
    ----------
    lines : list of (int, str)
        ``(page, line)`` in reading order.

    Examples
    --------
    >>> lines = [(1, "一、总体要求"), (1, "我们坚持党建引领，完善基层协商"), (1, "民主制度。"), (2, "二、主要任务")]
    >>> join_broken_lines(lines)
    ([(1, '一、总体要求'), (1, '我们坚持党建引领，完善基层协商民主制度。'), (2, '二、主要任务')], 1)
    """
    widths = [_width(line) for _, line in lines]
    widest: dict[int, float] = {}
    for (page, _), width in zip(lines, widths):
        widest[page] = max(widest.get(page, 0.0), width)
    out: list[tuple[int, str]] = []
    joined = 0
    goes_on = False  # whether the last printed line (not the joined paragraph) is full and stops mid-sentence
    for (page, line), width in zip(lines, widths):
        if goes_on and not is_heading(line):
            start_page, text = out[-1]
            glue = " " if _ASCII_WORD.match(text[-1]) and _ASCII_WORD.match(line[0]) else ""
            out[-1] = (start_page, text + glue + line)
            joined += 1
        else:
            out.append((page, line))
        last = line.rstrip(_CLOSING)[-1:]
        goes_on = bool(last) and last not in _SENTENCE_END and width >= FULL_LINE * widest[page]
    return out, joined


def _width(line: str) -> float:
    """Printed width in full-width characters: characters before U+1100 (Latin, digits, ASCII punctuation) count ½."""
    return len(line) - 0.5 * len(_NARROW.findall(line))


def _edges(lines: list[str]) -> list[str]:
    return lines[:EDGE_LINES] + lines[max(EDGE_LINES, len(lines) - EDGE_LINES):]


def _shape(line: str) -> str:
    return _NUMBER.sub("#", _SPACE.sub("", line))
