"""The Chinese font every HTML report carries: a subset of Noto Sans CJK SC with exactly the page's characters.

The font file is the one :func:`analysis.present.fonts.bundled_font_path` finds
(Noto Sans CJK SC as shipped by the ``mplfonts`` package; SIL Open Font
License, so it may be embedded).
"""

from __future__ import annotations

import base64
import io
import multiprocessing
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from analysis.engine.pool import default_jobs
from analysis.present import fonts
from analysis.present.output import write_atomically

#: CSS family name of the font subset embedded in every page.
WEB_FONT = "Report CJK SC"


def _subset(chars: list[int], source: bytes | None = None, *, flavor: str | None = "woff") -> bytes | None:
    """The bundled font (or the font ``source``) cut down to ``chars`` (code points), as WOFF (or plain OpenType).

    None without the font. Cutting an earlier subset (``source``, made with
    ``flavor=None``) is much faster than cutting the whole font again: the
    earlier cut has already dropped the hints. Bounding boxes are never
    computed again glyph by glyph (three times per cut: ``head``, ``hhea``
    and ``vhea`` each draw every glyph; 0.6 of 1.5 s for the bundled
    reports' characters): the recorded extremes stay those of the whole
    font, which enclose every glyph kept; no glyph, advance or line height
    changes.
    """
    path = fonts.bundled_font_path()
    if (path is None and source is None) or not chars:
        return None
    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["*"]
    options.hinting = source is not None  # a subset made here has no hints left to remove
    options.notdef_outline = True
    buffer = io.BytesIO()
    with TTFont(io.BytesIO(source) if source is not None else str(path), recalcTimestamp=False,
                recalcBBoxes=False, lazy=True) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=chars)
        subsetter.subset(font)
        font.flavor = flavor
        font.save(buffer)
    return buffer.getvalue()


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

    The bundled font is cut once to the characters of all pages (the slow
    step), and that subset is cut again for each page, or for each group of
    pages that share one subset (``groups[i]`` names the group of page ``i``,
    e.g. the reader and code version of one report). Where processes can be
    forked (Linux), those cuts run on all cores; the bytes are the same.

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
    used: dict[object, set[int]] = {}
    for key, page in zip(keys, pages):
        used.setdefault(key, set()).update(ord(c) for c in page if ord(c) > 127)
    groups_used = [chars for chars in used.values() if chars]
    everything = _subset(sorted(set().union(*used.values())), flavor="woff" if len(groups_used) == 1 else None)
    if everything is None:
        return list(pages)
    wanted = {key: sorted(chars) for key, chars in used.items() if chars}
    cuts = _cut_each(list(wanted.values()), everything) if len(groups_used) > 1 else [everything] * len(wanted)
    styles = {key: font_face(data) for key, data in zip(wanted, cuts)}
    embedded = []
    for key, page in zip(keys, pages):
        if "</head>" in page and key in styles:
            head_end = page.index("</head>")
            page = page[:head_end] + styles[key] + page[head_end:]
        embedded.append(page)
    return embedded


def _cut_each(charsets: list[list[int]], source: bytes) -> list[bytes]:
    """:func:`_subset` of ``source`` for each set of characters, in forked worker processes where possible."""
    jobs = min(len(charsets), default_jobs())
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux"):
        try:
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(_subset, charsets, [source] * len(charsets)))
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had: cut them here
    return [_subset(chars, source) for chars in charsets]
