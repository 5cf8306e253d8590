"""The Chinese font every HTML report carries: a subset of Noto Sans CJK SC with exactly the page's characters.

The font file is the one :func:`analysis.present.fonts.bundled_font_path` finds
(Noto Sans CJK SC as shipped by the ``mplfonts`` package; SIL Open Font
License, so it may be embedded).
"""

from __future__ import annotations

import base64
import io

from fontTools import subset
from fontTools.ttLib import TTFont

from analysis.present import fonts

#: CSS family name of the font subset embedded in every page.
WEB_FONT = "Report CJK SC"


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


def embed_fonts(pages: list[str]) -> list[str]:
    """:func:`embed_font` for several pages with one subset covering all of them (subsetting is the slow part).

    Examples
    --------
    >>> a, b = embed_fonts(["<html><head></head><body>协商</body></html>", "<html><head></head><body>民主</body></html>"])
    >>> a.split("<body>")[0].split("base64,")[1] == b.split("<body>")[0].split("base64,")[1]
    True
    """
    path = fonts.bundled_font_path()
    chars = sorted({ord(c) for page in pages for c in page if ord(c) > 127})
    if path is None or not chars:
        return list(pages)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.hinting = False
    options.notdef_outline = True
    buffer = io.BytesIO()
    with TTFont(str(path), recalcTimestamp=False, lazy=True) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=chars)
        subsetter.subset(font)
        font.flavor = "woff"
        font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    style = ("<style type=\"text/css\">\n@font-face { font-family: \"%s\"; font-style: normal; font-weight: 400; "
             "src: url(data:font/woff;base64,%s) format(\"woff\"); }\n</style>\n" % (WEB_FONT, data))
    embedded = []
    for page in pages:
        if "</head>" in page and any(ord(c) > 127 for c in page):
            head_end = page.index("</head>")
            page = page[:head_end] + style + page[head_end:]
        embedded.append(page)
    return embedded
