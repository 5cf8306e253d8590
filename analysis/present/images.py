"""Charts as small PNG files: the same pixels in a 256-colour palette, so report pages stay light.

A chart is drawn at twice the pixel density (sharp on HiDPI screens and
projectors), which makes its PNG large: antialiased edges give it thousands
of nearly equal colours. :func:`compact_png` stores the same image with a
palette of at most 256 colours (Pillow's median cut, refined by k-means, no
dithering): the flat fills of bars, cells and lines keep their exact colours,
only antialiasing shades move by a few levels, and the picture keeps its full
resolution. The result is deterministic: the same chart gives the same bytes.
The palette image is deflated at level :data:`COMPRESS_LEVEL`: measured on the
twelve charts of the bundled reports, level 9 (Pillow's ``optimize``) made
them 8 % smaller than level 7 and took five times as long (1.78 s against
0.34 s); the pixels are the same.

The palette is chosen from the image's colours weighted by how many pixels
have them, scaled down to at most :data:`SAMPLE_PIXELS` pixels (a chart of
six million pixels has a few ten thousand colours, mostly white), and every
colour is then stored as its nearest palette colour. Pillow would do both
steps pixel by pixel, and its mapping onto a given palette is approximate.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

#: Colours of the palette (the most a PNG palette holds).
PALETTE_COLOURS = 256
#: Pixels the palette is chosen from: each colour weighted by its share of the image.
SAMPLE_PIXELS = 250_000
#: zlib level of the palette PNG (see the module's notes).
COMPRESS_LEVEL = 7


def compact_png(data: bytes) -> bytes:
    """The PNG ``data`` as a palette PNG when that is smaller, else ``data`` unchanged.

    Images with transparency, palette PNGs (already compact, e.g. made here
    before), and data that is not a PNG are returned as they are.

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
            if image.format != "PNG" or image.mode == "P":
                return data
            small = palette_png(image)
    except (OSError, ValueError):
        return data
    return small if small is not None and len(small) < len(data) else data


def palette_png(image: Image.Image) -> bytes | None:
    """``image`` stored as a palette PNG (see the module's notes); None if it has transparent pixels.

    A palette without alpha would fill transparent pixels, so such images
    are left to the caller.

    Examples
    --------
    >>> small = palette_png(Image.new("RGBA", (40, 20), "#2F5F8A"))
    >>> Image.open(io.BytesIO(small)).mode, Image.open(io.BytesIO(small)).getpixel((3, 3))
    ('P', 0)
    >>> palette_png(Image.new("RGBA", (40, 20), (0, 0, 0, 0))) is None
    True
    """
    image.load()
    if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255:
        return None
    rgb = image.convert("RGB")
    if rgb.getcolors(PALETTE_COLOURS) is not None:  # few colours: the palette holds them exactly
        palette = rgb.quantize(PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    else:
        palette = _nearest_of_palette(rgb, image if image.mode == "RGBA" else rgb.convert("RGBX"))
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", compress_level=COMPRESS_LEVEL)
    return buffer.getvalue()


def _nearest_of_palette(rgb: Image.Image, rgbx: Image.Image) -> Image.Image:
    """``rgb`` as a palette image: median cut and k-means on the weighted colours, each pixel its nearest palette colour.

    ``rgbx`` is the same picture with four bytes a pixel (RGBA without
    transparency, or RGBX): read as little-endian integers, their low three
    bytes are the colour, which the lookup table is indexed by.
    """
    found = rgb.getcolors(rgb.width * rgb.height)
    counts = np.fromiter((n for n, _ in found), dtype=np.int64, count=len(found))
    colours = np.array([colour for _, colour in found], dtype=np.int32)
    order = np.lexsort((colours[:, 2], colours[:, 1], colours[:, 0]))  # the same sample whatever getcolors' order
    colours, counts = colours[order], counts[order]
    weights = np.maximum(1, np.rint(counts / max(1.0, counts.sum() / SAMPLE_PIXELS))).astype(np.int64)
    sample = np.repeat(colours, weights, axis=0).astype(np.uint8)
    side = int(np.ceil(np.sqrt(len(sample))))
    sample = np.concatenate([sample, np.repeat(sample[-1:], side * side - len(sample), axis=0)])
    chosen = Image.fromarray(sample.reshape(side, side, 3), "RGB").quantize(
        PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, kmeans=3, dither=Image.Dither.NONE)
    palette = np.array(chosen.getpalette()[:3 * PALETTE_COLOURS], dtype=np.int32).reshape(-1, 3)
    nearest = _nearest(colours, palette)
    # each palette colour becomes the most frequent colour it stands for, so that flat fills stay exact
    dominant = np.lexsort((-counts, nearest))
    first = dominant[np.r_[True, nearest[dominant][1:] != nearest[dominant][:-1]]]
    palette[nearest[first]] = colours[first]
    nearest = _nearest(colours, palette)
    lookup = np.zeros(1 << 24, dtype=np.uint8)
    lookup[colours[:, 0] | (colours[:, 1] << 8) | (colours[:, 2] << 16)] = nearest
    codes = np.frombuffer(rgbx.tobytes(), dtype="<u4") & np.uint32(0xFFFFFF)
    image = Image.frombytes("P", rgb.size, lookup[codes].tobytes())
    image.putpalette(palette.astype(np.uint8).ravel().tolist())
    return image


def _nearest(colours: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Index of the nearest palette colour (squared RGB distance, first on ties) of each colour."""
    nearest = np.empty(len(colours), dtype=np.uint8)
    for start in range(0, len(colours), 2048):  # 2,048 colours against the whole palette at a time
        block = colours[start:start + 2048, None, :] - palette[None, :, :]
        nearest[start:start + 2048] = (block * block).sum(axis=2).argmin(axis=1)
    return nearest
