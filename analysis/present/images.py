"""Charts as small PNG files: the same pixels in a 256-colour palette, so report pages stay light.

A chart is drawn at twice the pixel density (sharp on HiDPI screens and
projectors), which makes its PNG large: antialiased edges give it thousands
of nearly equal colours. :func:`compact_png` stores the same image with a
palette of at most 256 colours (Pillow's median cut, refined by k-means, no
dithering): the flat fills of bars, cells and lines keep their exact colours,
only antialiasing shades move by a few levels, and the picture keeps its full
resolution. The result is deterministic: the same chart gives the same bytes.
"""

from __future__ import annotations

import io

from PIL import Image

#: Colours of the palette (the most a PNG palette holds).
PALETTE_COLOURS = 256


def compact_png(data: bytes) -> bytes:
    """The PNG ``data`` as a palette PNG when that is smaller, else ``data`` unchanged.

    Images with transparency, and data that is not a PNG, are returned as they are.

    Examples
    --------
    >>> from analysis.present.chart_base import nothing_to_draw
    >>> fig = nothing_to_draw("语料中没有出现任何词表概念。", title="出现次数最多的概念")
    >>> buffer = io.BytesIO(); fig.savefig(buffer, format="png", dpi=200)
    >>> small = compact_png(buffer.getvalue())
    >>> len(small) < len(buffer.getvalue()), Image.open(io.BytesIO(small)).mode
    (True, 'P')
    >>> Image.open(io.BytesIO(small)).size == Image.open(buffer).size
    True
    >>> compact_png(b"not a picture")
    b'not a picture'
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                return data
            image.load()
            if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255:
                return data  # transparent pixels: a palette without alpha would fill them
            rgb = image.convert("RGB")
    except (OSError, ValueError):
        return data
    if rgb.getcolors(PALETTE_COLOURS) is not None:  # few colours: the palette holds them exactly
        palette = rgb.quantize(PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    else:
        palette = rgb.quantize(PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, kmeans=3, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", optimize=True)
    small = buffer.getvalue()
    return small if len(small) < len(data) else data
