"""Report pages stay light without losing sharpness: palette charts, a font per report, tables styled per column.

Pages were megabytes long: charts at twice the pixel density, the same font
subset (all characters of all pages) in every page, and a CSS rule for every
cell of long tables. The pages of the bundled reports are shared with
test_report (``tests/notebook_runs.py``).
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from analysis import charts, tables
from analysis.present.images import compact_png
from tests import notebook_runs

#: Pages of the bundled reports and the most each may weigh (bytes); 02 and 03 were 3.5 and 6.9 MB.
BUDGET = {"00-index": 600_000, "01-quickstart": 650_000, "02-concept-report": 1_800_000, "03-trends": 3_800_000,
          "04-context": 1_100_000, "07-explorer": 700_000}


def png_of(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=200)  # twice the 100 dpi of the page, as the reports draw them
    return buffer.getvalue()


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=int)


@pytest.fixture(scope="module")
def bar_chart() -> bytes:
    concepts = pd.DataFrame({"concept": ["社区治理", "党组织", "政党嵌入", "党建引领", "协商民主"],
                             "category": ["基层治理", "党的建设", "党的建设", "党的建设", "民主"],
                             "count": [23, 13, 5, 4, 3]})
    return png_of(charts.bar_top(concepts, n=5, title="出现次数最多的 5 个概念"))


def test_a_palette_chart_is_the_same_picture_in_fewer_bytes(bar_chart):
    small = compact_png(bar_chart)
    before, after = pixels(bar_chart), pixels(small)
    assert Image.open(io.BytesIO(small)).mode == "P" and after.shape == before.shape  # full resolution kept
    assert len(small) < 0.6 * len(bar_chart)
    # every colour that fills an area (bars, background, axes: 200+ pixels) is kept exactly
    keys = before[..., 0] * 65536 + before[..., 1] * 256 + before[..., 2]
    colours, counts = np.unique(keys, return_counts=True)
    for colour in colours[counts >= 200]:
        assert (after[keys == colour] == before[keys == colour][0]).all()
    # antialiasing shades move a little, nothing else: on average under one level of 255
    assert np.abs(after - before).mean() < 1


def test_every_colour_of_a_many_coloured_chart_is_stored_as_its_nearest_palette_colour():
    rates = pd.DataFrame([(f"概念{i}", year, (i * 14 + year - 2012) / 60) for i in range(40) for year in range(2012, 2026)],
                         columns=["concept", "year", "rate"])
    data = png_of(charts.heatmap(rates, index="concept", columns="year", value="rate", annotate=False, title="每万字频率"))
    before = pixels(data).reshape(-1, 3)
    keys, first = np.unique(before @ [65536, 256, 1], return_index=True)
    assert len(keys) > 256  # more colours than a palette holds
    small = compact_png(data)
    assert compact_png(data) == small  # deterministic
    palette = np.array(Image.open(io.BytesIO(small)).getpalette()[:3 * 256]).reshape(-1, 3)
    after = pixels(small).reshape(-1, 3)
    colours = before[first]
    distance = ((colours[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
    assert (((colours - after[first]) ** 2).sum(axis=1) == distance.min(axis=1)).all()
    assert np.abs(after - before).mean() < 1


def test_a_chart_with_few_colours_is_stored_exactly():
    image = Image.new("RGB", (300, 200), "white")
    image.paste((47, 95, 138), (20, 20, 120, 180))  # a bar, #2F5F8A
    image.paste((209, 119, 58), (150, 60, 250, 180))  # another, #D1773A
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert (pixels(compact_png(buffer.getvalue())) == np.asarray(image, dtype=int)).all()


def test_a_transparent_png_is_left_as_it_is():
    image = Image.new("RGBA", (60, 40), (255, 255, 255, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert compact_png(buffer.getvalue()) == buffer.getvalue()


def test_a_palette_png_is_not_converted_again(bar_chart):
    small = compact_png(bar_chart)
    assert compact_png(small) is small


def test_a_report_kernel_stores_a_chart_as_the_palette_of_the_inline_backends_picture():
    from IPython.core.pylabtools import retina_figure

    from analysis.present.page import report_png

    def figure():  # a new one for each: a figure's first drawing can differ from later ones by a pixel
        return charts.heatmap(pd.DataFrame([(f"概念{i}", year, (i * 7 + year) % 13) for i in range(12)
                                            for year in range(2015, 2025)], columns=["concept", "year", "rate"]),
                              index="concept", columns="year", value="rate", title="每万字频率")

    inline, inline_size = retina_figure(figure())  # what the inline backend shows (PNG bytes, shown size)
    data, size = report_png(figure())  # what a report kernel stores instead
    stored = base64.b64decode(data)
    assert Image.open(io.BytesIO(stored)).mode == "P"
    assert size == inline_size
    assert stored == compact_png(inline)  # the same picture, made without deflating and inflating a PNG first
    transparent = charts.heatmap(pd.DataFrame({"concept": ["协商"], "year": [2020], "rate": [1.0]}),
                                 index="concept", columns="year", value="rate")
    transparent.patch.set_alpha(0)
    assert report_png(transparent) is None  # the inline backend's own PNG is shown then


def test_a_chart_image_is_resampled_only_when_it_is_drawn_and_the_picture_is_the_same(monkeypatch):
    from matplotlib.image import AxesImage

    from analysis.present.page import images_drawn_once, report_png

    def cloud():  # a new one for each: a figure's first drawing can differ from later ones by a pixel
        return charts.wordcloud(pd.DataFrame({"word": ["协商民主", "社区治理", "党建引领", "基层"], "count": [9, 7, 5, 3]}),
                                width=400, height=240, title="词云")

    resampled = []
    make_image = AxesImage.make_image
    monkeypatch.setattr(AxesImage, "make_image", lambda self, *a, **k: resampled.append(1) or make_image(self, *a, **k))
    plain = report_png(cloud())
    assert len(resampled) == 2  # matplotlib's measuring pass and its drawing pass
    resampled.clear()
    figure = cloud()
    with images_drawn_once(figure):
        once = report_png(figure)
    assert len(resampled) == 1
    assert once == plain
    assert "draw" not in vars(figure.axes[0].images[0])  # the image draws as before afterwards


def test_a_long_table_has_one_style_rule_per_column_not_per_cell():
    years = [str(y) for y in range(1960, 2020)]
    wide = pd.DataFrame({"concept": [f"概念{i}" for i in range(200)], **{y: np.linspace(0, 5, 200) for y in years}})
    page = tables.styled(wide, bars=(), fold=True, caption="宽表")._repr_html_()
    assert page.count("<td") == 200 * 61
    assert len(re.findall(r"td\.col\d+ \{", page)) == 61  # one rule per column
    assert ' id="T_' not in page.split("<tbody>")[1]  # cells carry no id of their own
    table = page.split('<p class="zh-download">')[0]
    assert len(table.encode()) < 60 * 200 * 61  # under 60 bytes a cell (with a rule and an id per cell: 107)


@pytest.fixture(scope="module")
def pages():
    _, folder = notebook_runs.bundled()
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.html"))}


@pytest.mark.parametrize("stem", sorted(BUDGET))
def test_bundled_report_pages_stay_within_their_size(pages, stem):
    for name in (f"{stem}.html", f"{stem}.code.html"):
        assert len(pages[name].encode("utf-8")) < BUDGET[stem], name


def test_every_chart_on_the_pages_is_a_palette_png_at_twice_its_shown_size(pages):
    found = 0
    for name, text in pages.items():
        for tag in re.findall(r"<img [^>]*>", text):
            data = re.search(r'src="data:image/png;base64,([^"]+)"', tag).group(1)
            width = re.search(r'width="?(\d+)', tag).group(1)
            image = Image.open(io.BytesIO(base64.b64decode(data)))
            assert image.mode == "P", name
            assert image.width >= 2 * int(width) - 1, name  # still drawn at twice the pixel density
            found += 1
    assert found >= 10


def test_each_report_carries_a_font_with_only_its_own_characters(pages):
    def font_chars(text):
        data = re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", text).group(1)
        return set(TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap())

    def page_chars(text):
        return {ord(c) for c in re.sub(r"data:font/woff;base64,[A-Za-z0-9+/=]+", "", text) if ord(c) > 127}

    for stem in ("00-index", "02-concept-report", "03-trends"):
        reader, code = pages[f"{stem}.html"], pages[f"{stem}.code.html"]
        font = font_chars(reader)
        assert font == font_chars(code)  # one subset for both versions of a report
        wanted = page_chars(reader) | page_chars(code)
        # the characters the pages use; a few may differ (a space variant without a glyph; a glyph
        # that another one's layout rules reach)
        assert len(wanted - font) <= 3 and len(font - wanted) <= 3, stem
    assert font_chars(pages["00-index.html"]) != font_chars(pages["03-trends.html"])
