"""What every document reader returns: the text as lines, where they sit in the file, and what reading changed.

The readers (:mod:`analysis.text.pdf`, :mod:`analysis.text.word`,
:mod:`analysis.text.webpage`) are pure functions, a path in and an
:class:`Extracted` out: no global state, nothing written, and the result
pickles, so they can run in worker processes. A file that cannot be read
raises :class:`~analysis.errors.InputError` with one sentence saying why and
what to do.

The text is one line per paragraph as the file gives it (no blank lines, no
line break inside a line), so line ``n`` of :attr:`Extracted.text` is line
``n`` of the corpus' ``line`` column, and :class:`Layout` can say on which
page it stands and whether the file marks it as a heading.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from analysis.chars import LINE_BREAK
from analysis.errors import InputError


@dataclass(frozen=True)
class Layout:
    """Where the lines of an extracted text sit in their file, and what extraction changed.

    Attributes
    ----------
    page_starts : tuple of int
        The 1-based line on which each page starts (page 1 first); empty for
        files without pages. A page without text starts where the next one does.
    headings : frozenset of int
        1-based lines the file itself marks as headings (Word heading styles);
        they open sections as ``一、`` headings do.
    changes : tuple of (str, int)
        What extraction changed, as cleaning-report steps: e.g.
        ``("running_headers", 12)`` lines removed, ``("joined_lines", 3)``,
        ``("tables", 8)`` table paragraphs included.
    """

    page_starts: tuple[int, ...] = ()
    headings: frozenset[int] = frozenset()
    changes: tuple[tuple[str, int], ...] = ()

    def page(self, line: int) -> int | None:
        """The page a 1-based line stands on, or None for a file without pages.

        Examples
        --------
        >>> Layout(page_starts=(1, 4, 4, 6)).page(5)  # page 2 has no text: lines 4 and 5 are on page 3
        3
        >>> Layout().page(5) is None
        True
        """
        if not self.page_starts:
            return None
        return max(1, bisect_right(self.page_starts, line))


@dataclass(frozen=True)
class Extracted:
    """The text of one file and what reading it did.

    Attributes
    ----------
    text : str
        One paragraph (or PDF line) per line, joined by ``\\n``.
    source : str
        The format and the library that read it, with its version, e.g.
        ``"pdf (pypdfium2 5.15.2)"``: the documents' ``encoding`` column.
    layout : Layout
        Pages, headings and extraction changes.
    meta : dict
        Metadata the file gives, e.g. ``{"title": ...}`` of a web page.
    notes : tuple of str
        Sentences for the user (running header removed, pages without a text layer, ...).
    """

    text: str
    source: str
    layout: Layout = field(default_factory=Layout)
    meta: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def library(name: str, distribution: str | None = None) -> str:
    """``"name version"`` of an installed library, as the provenance records it.

    Examples
    --------
    >>> library("pandas").startswith("pandas ")
    True
    """
    return f"{name} {metadata.version(distribution or name)}"


def split_lines(text: str) -> list[str]:
    """A text's non-blank lines, stripped, split at every line break cleaning knows (``\\r``, form feed, U+2028, ...).

    Examples
    --------
    >>> split_lines("社区治理\\r\\n\\f  协商民主 \\n\\n")
    ['社区治理', '协商民主']
    """
    return [line.strip() for line in LINE_BREAK.sub("\n", text).split("\n") if line.strip()]


def file_bytes(path: str | Path) -> bytes:
    """The bytes of an input file; a permission or I/O problem is an :class:`InputError` naming the file.

    Examples
    --------
    >>> file_bytes("no-such.txt")
    Traceback (most recent call last):
    ...
    analysis.errors.InputError: no-such.txt: cannot be read (No such file or directory); check the file
    """
    try:
        return Path(path).read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied; check that you may read this file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check the file") from None
