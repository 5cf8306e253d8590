"""The web font of the reports: a page's subset, cut from the subset of all pages, draws exactly what a direct cut draws."""

import base64
import io
import re

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from analysis.present import fonts, webfont

pytestmark = pytest.mark.skipif(fonts.bundled_font_path() is None, reason="the bundled font is not installed")

PAGES = ["<html><head></head><body>基层党建引领社区治理，协商民主。</body></html>",
         "<html><head></head><body>全过程人民民主（2021年）！治理能力现代化</body></html>"]


def embedded(page: str) -> TTFont:
    data = re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", page).group(1)
    return TTFont(io.BytesIO(base64.b64decode(data)))


def drawing(font: TTFont, char: str) -> tuple:
    name = font.getBestCmap()[ord(char)]
    pen = RecordingPen()
    font.getGlyphSet()[name].draw(pen)
    return tuple(pen.value), font["hmtx"][name], font["vmtx"][name] if "vmtx" in font else None


def test_a_page_font_draws_exactly_its_characters_as_the_whole_font_does():
    whole = TTFont(str(fonts.bundled_font_path()), lazy=True)
    pages = webfont.embed_fonts(PAGES)
    for page, original in zip(pages, PAGES):
        font = embedded(page)
        chars = {c for c in original if ord(c) > 127}
        assert {chr(c) for c in font.getBestCmap()} == chars
        for char in chars:
            assert drawing(font, char) == drawing(whole, char), char
        for table, fields in (("hhea", ("ascent", "descent", "lineGap")),
                              ("OS/2", ("sTypoAscender", "sTypoDescender", "sTypoLineGap", "usWinAscent", "usWinDescent")),
                              ("head", ("unitsPerEm",))):
            for field in fields:
                assert getattr(font[table], field) == getattr(whole[table], field), (table, field)
        # the recorded extremes are not computed again: they are the whole font's and enclose every glyph drawn
        head = font["head"]
        for char in chars:
            pen = BoundsPen(font.getGlyphSet())
            font.getGlyphSet()[font.getBestCmap()[ord(char)]].draw(pen)
            x_min, y_min, x_max, y_max = pen.bounds
            assert head.xMin <= x_min and head.yMin <= y_min and head.xMax >= x_max and head.yMax >= y_max, char
    assert webfont.embed_fonts(PAGES) == pages  # deterministic: the same pages give the same bytes


def test_one_page_gets_the_subset_of_its_own_characters_directly():
    page = webfont.embed_font(PAGES[0])
    assert {chr(c) for c in embedded(page).getBestCmap()} == {c for c in PAGES[0] if ord(c) > 127}


def test_fonts_cut_in_the_background_are_the_bytes_cut_here():
    groups = {"a": PAGES, "b": ["<html><head></head><body>共同富裕、乡村振兴</body></html>"]}
    here = webfont.embed_fonts([*groups["a"], *groups["b"]], groups=["a", "a", "b"])
    with webfont.FontCuts(workers=2) as cuts:
        assert cuts._pool is not None  # worker processes were started
        for key, pages in groups.items():
            cuts.submit(key, pages)
        cuts.submit("changed", PAGES[:1])
        assert [*cuts.embed("a", groups["a"]), *cuts.embed("b", groups["b"])] == here
        assert cuts.embed("c", PAGES[:1]) == webfont.embed_fonts(PAGES[:1])  # never submitted: cut on the spot
        # pages with other characters than those submitted get their own subset
        assert cuts.embed("changed", groups["b"]) == here[2:]
    broken = webfont.FontCuts()
    broken.close()  # no worker: cut on the spot
    broken.submit("a", groups["a"])
    assert broken.embed("a", groups["a"]) == here[:2]


def _cut_in_worker(chars: list[int]) -> tuple[bool, bytes | None]:
    return webfont._PREPARED is not None, webfont._cut_prepared(chars)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="cuts are made in forked copies only where there is fork")
def test_a_cut_from_the_font_a_worker_read_once_is_the_bytes_of_a_cut_from_the_file():
    from concurrent.futures import ProcessPoolExecutor

    chars = webfont.page_characters(PAGES)
    with ProcessPoolExecutor(1, initializer=webfont._prepare_cutter) as pool:
        first, second = pool.submit(_cut_in_worker, chars).result(), pool.submit(_cut_in_worker, chars[:5]).result()
    assert first == (True, webfont._subset(chars))
    assert second == (True, webfont._subset(chars[:5]))  # the worker's font was not changed by the first cut


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="cuts are made in forked copies only where there is fork")
def test_a_forked_cut_that_fails_is_made_again_from_the_file(monkeypatch):
    import os

    parent, cut = os.getpid(), webfont._cut

    def fails_in_the_copy(font, chars):
        if os.getpid() != parent:
            raise MemoryError("the copy ran out")
        return cut(font, chars)

    monkeypatch.setattr(webfont, "_PREPARED", object())  # a prepared font the copy never gets to use
    monkeypatch.setattr(webfont, "_cut", fails_in_the_copy)
    chars = webfont.page_characters(PAGES[:1])
    assert webfont._cut_prepared(chars) == webfont._subset(chars)
