"""The Chinese font every HTML report carries: a subset of Noto Sans CJK SC with exactly the page's characters.

The font file is the one :func:`analysis.present.fonts.bundled_font_path` finds
(Noto Sans CJK SC as shipped by the ``mplfonts`` package; SIL Open Font
License, so it may be embedded).
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from analysis.present.atomic import write_atomically

#: CSS family name of the font subset embedded in every page.
WEB_FONT = "Report CJK SC"


def _subset(chars: list[int]) -> bytes | None:
    """The bundled font cut down to ``chars`` (code points), as WOFF; None without the font or characters.

    Hints are removed. Bounding boxes are not computed again glyph by glyph
    (``head``, ``hhea`` and ``vhea`` would each draw every glyph: 0.6 of
    1.5 s for the characters of the bundled reports): the recorded extremes
    stay those of the whole font, which enclose every glyph kept; no glyph,
    advance or line height changes.
    """
    subset, TTFont, fonts = _font_tools()
    path = fonts.bundled_font_path()
    if path is None or not chars:
        return None
    with TTFont(str(path), recalcTimestamp=False, recalcBBoxes=False, lazy=True) as font:
        return _cut(font, chars)


def _cut(font, chars: list[int]) -> bytes:
    """``font`` (a TTFont, changed in place) cut down to ``chars``, as WOFF bytes (:func:`_subset`)."""
    subset, _, _ = _font_tools()
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.hinting = False
    options.notdef_outline = True
    buffer = io.BytesIO()
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=chars)
    subsetter.subset(font)
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()


#: The bundled font as read by :func:`_prepare_cutter` in a cutting worker (None: not read, or no fork).
_PREPARED = None


def _prepare_cutter() -> None:
    """In a :class:`FontCuts` worker: import the cutting tools and, where processes can fork, read the font once.

    Reading the font's tables (character map, advances, layout rules, glyph
    index) is the same for every cut, a third of each cut's time; the worker
    reads them once and each cut (:func:`_cut_prepared`) is made in a forked
    copy of it, which changes its copy only.
    """
    global _PREPARED
    _, TTFont, fonts = _font_tools()
    path = fonts.bundled_font_path()
    if path is None or not hasattr(os, "fork"):  # Windows: every cut reads the font (_subset)
        return
    font = TTFont(str(path), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    for tag in font.keys():
        table = font[tag] if tag != "GlyphOrder" else None
        if tag != "CFF " and hasattr(table, "ensureDecompiled"):
            table.ensureDecompiled()
    if "CFF " in font:  # the glyph names and the index of outlines (outlines are read when cut)
        top = font["CFF "].cff[0]
        _ = top.charset, top.CharStrings
    font.getReverseGlyphMap()
    _PREPARED = font


def _cut_prepared(chars: list[int]) -> bytes | None:
    """:func:`_subset` of ``chars``, cut in a forked copy of this worker's prepared font (same bytes)."""
    if _PREPARED is None or not chars:
        return _subset(chars)
    try:
        read, write = os.pipe()
        child = os.fork()
    except OSError:  # no process to be had: cut here as usual
        return _subset(chars)
    if child == 0:  # the copy: cut, hand the bytes over, leave without running anything of the parent's
        status = 1
        try:
            os.close(read)
            data = _cut(_PREPARED, chars)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as handle:
        data = handle.read()
    _, status = os.waitpid(child, 0)
    return data if status == 0 else _subset(chars)  # the copy failed: cut here as usual


def _font_tools():
    """fontTools' subsetter and font class, and :mod:`analysis.present.fonts`, imported when first needed.

    The process that writes a report's pages leaves the cutting to a worker
    (:class:`FontCuts`), so it starts without them (a quarter of a second,
    matplotlib included).
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from analysis.present import fonts
    return subset, TTFont, fonts


def font_face(data: bytes) -> str:
    """The ``@font-face`` rule naming :data:`WEB_FONT` for WOFF ``data``, inside a ``<style>`` element."""
    encoded = base64.b64encode(data).decode("ascii")
    return ("<style type=\"text/css\">\n@font-face { font-family: \"%s\"; font-style: normal; font-weight: 400; "
            "src: url(data:font/woff;base64,%s) format(\"woff\"); }\n</style>\n" % (WEB_FONT, encoded))


def common_characters() -> list[int]:
    """The 3,755 most common Chinese characters (GB 2312 level 1) with punctuation and full-width forms.

    Examples
    --------
    >>> chars = common_characters()
    >>> ord("协") in chars and ord("。") in chars, len(chars) > 4000
    (True, True)
    """
    found = set()
    for first in [*range(0xA1, 0xAA), *range(0xB0, 0xD8)]:
        for second in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([first, second]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(found)


def lab_font_path(cache: Path) -> Path:
    """Where :func:`lab_style` keeps its font subset in the cache folder."""
    return cache / "lab-font-v2.woff"


def lab_style(cache: Path | None = None) -> str:
    """A ``<style>`` for JupyterLab: the font with the common characters, used by tables, headings and text.

    Lab shows Chinese with the machine's fonts; on a machine without one,
    tables and Markdown show boxes while charts (drawn with the bundled
    font) are fine. Displayed once in a notebook (``page.setup()``), this
    style gives Lab's rendered outputs and Markdown the same font as the
    reports. The subset (about 1 MB) is made once and kept in ``cache``.
    """
    target = lab_font_path(cache) if cache is not None else None
    data = target.read_bytes() if target is not None and target.exists() else None
    if data is None:
        data = _subset(common_characters())
        if data is None:
            return ""
        if target is not None:
            try:
                write_atomically(target, lambda handle: handle.write(data))
            except OSError:
                pass  # no cache: made again next time
    rules = (f".jp-RenderedHTMLCommon, .jp-RenderedMarkdown, .jp-RenderedText {{ font-family: \"{WEB_FONT}\", "
             "var(--jp-content-font-family); }")
    return font_face(data) + f"<style type=\"text/css\">{rules}</style>"


def embed_font(page: str) -> str:
    """Embed, before ``</head>``, a font with exactly the non-ASCII characters of the page.

    A machine without any Chinese font (a fresh Linux install) shows Chinese
    HTML text as empty boxes. The page therefore carries its own font: the
    subset of Noto Sans CJK SC (Simplified-Chinese glyph forms, OFL licence)
    covering the characters it uses, as a base64 WOFF ``@font-face`` named
    :data:`WEB_FONT` (a few hundred kilobytes at most). The subset is
    deterministic: the same page gives the same bytes. Without the font
    file the page is returned unchanged.

    Examples
    --------
    >>> page = embed_font("<html><head></head><body>协商民主</body></html>")
    >>> "@font-face" in page and "data:font/woff;base64," in page
    True
    """
    return embed_fonts([page])[0]


def embed_fonts(pages: list[str], *, groups: Sequence[object] | None = None) -> list[str]:
    """:func:`embed_font` for several pages, each page (or group of pages) with only the characters it uses.

    ``groups[i]`` names the group of page ``i``: pages of one group (e.g. the
    reader and code version of one report) share one subset.

    Examples
    --------
    >>> a, b = embed_fonts(["<html><head></head><body>协商</body></html>", "<html><head></head><body>民主</body></html>"])
    >>> a.split("<body>")[0].split("base64,")[1] == b.split("<body>")[0].split("base64,")[1]
    False
    >>> a, b = embed_fonts(["<html><head></head><body>协商</body></html>", "<html><head></head><body>民主</body></html>"],
    ...                    groups=["one", "one"])
    >>> a.split("<body>")[0].split("base64,")[1] == b.split("<body>")[0].split("base64,")[1]
    True
    """
    keys = list(groups) if groups is not None else list(range(len(pages)))
    members: dict[object, list[str]] = {}
    for key, page in zip(keys, pages):
        members.setdefault(key, []).append(page)
    styles = {key: _style(_subset(page_characters(group))) for key, group in members.items()}
    return [with_style(page, styles[key]) for key, page in zip(keys, pages)]


def page_characters(pages: Sequence[str]) -> list[int]:
    """The code points above ASCII that ``pages`` use, in order: what a page's font must cover.

    Examples
    --------
    >>> [chr(c) for c in page_characters(["<b>协商</b>", "民主 and 协商"])]
    ['主', '协', '商', '民']
    """
    used: set[str] = set()
    for page in pages:  # the distinct characters first (in C): pages are megabytes of mostly ASCII
        used.update(page)
    return sorted(ord(c) for c in used if ord(c) > 127)


def with_style(page: str, style: str) -> str:
    """``page`` with ``style`` (a ``<style>`` element, or nothing) inserted before ``</head>``."""
    if not style or "</head>" not in page:
        return page
    head_end = page.index("</head>")
    return page[:head_end] + style + page[head_end:]


def _style(data: bytes | None) -> str:
    return font_face(data) if data is not None else ""


class FontCuts:
    """Font subsets cut in a worker process while the caller goes on (e.g. runs the next notebooks).

    :meth:`submit` starts cutting the subset of some pages' characters;
    :meth:`embed` waits for it and puts it into the pages (if they use
    other characters than those submitted, their own subset is cut then).
    Each subset is cut from the whole bundled font, so it depends only on
    the characters, not on what else was cut or when: the same bytes as
    :func:`embed_fonts`. The ``workers`` processes are started when the
    cutter is made, and each reads the font once (:func:`_prepare_cutter`):
    make it before starting threads (a forked worker copies the one thread
    that forks). Where no worker process can be had, subsets are cut in
    :meth:`embed`. Use as a context manager, or call :meth:`close`.

    Examples
    --------
    >>> with FontCuts() as cuts:
    ...     cuts.submit("a", ["<html><head></head><body>协商民主</body></html>"])
    ...     page = cuts.embed("a", ["<html><head></head><body>协商民主</body></html>"])[0]
    >>> page == embed_fonts(["<html><head></head><body>协商民主</body></html>"])[0]
    True
    """

    def __init__(self, workers: int = 1) -> None:
        self._cuts: dict[object, tuple[list[int], Future | None]] = {}
        try:  # the workers start now (they start on demand), and prepare what they cut with (_prepare_cutter)
            self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(workers, initializer=_prepare_cutter)
            for _ in range(workers):
                self._pool.submit(int)
        except (OSError, RuntimeError, BrokenProcessPool):
            self._pool = None

    def submit(self, key: object, pages: Sequence[str]) -> None:
        """Start cutting the subset of ``pages``' characters, named ``key``."""
        chars = page_characters(pages)
        if self._pool is not None:
            try:
                self._cuts[key] = (chars, self._pool.submit(_cut_prepared, chars))
                return
            except (RuntimeError, BrokenProcessPool):
                self._pool = None
        self._cuts[key] = (chars, None)

    def embed(self, key: object, pages: Sequence[str]) -> list[str]:
        """``pages`` with the subset submitted as ``key`` (cut now if it was not submitted, or its worker failed)."""
        chars = page_characters(pages)
        submitted, cut = self._cuts.pop(key, (None, None))
        try:
            data = cut.result() if cut is not None and submitted == chars else _subset(chars)
        except BrokenProcessPool:  # the worker died: cut here
            data = _subset(chars)
        style = _style(data)
        return [with_style(page, style) for page in pages]

    def close(self) -> None:
        """Stop the worker (subsets not yet embedded are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> FontCuts:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
