"""The CJK font resolver: which font wins, Simplified-Chinese faces, coverage errors, real glyphs."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, ImageDraw, ImageFont

from analysis import fonts
from analysis.errors import AnalysisError
from analysis.present.fonts import CJKFont, FontError

pytestmark = pytest.mark.filterwarnings("error:Glyph:UserWarning")  # "Glyph ... missing from font(s)" fails a test

DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
BUNDLED = fonts.bundled_font_path()
HAN = "党的领导全过程人民民主协商政府工作报告"


# ---------------------------------------------------------------------------
# fixtures


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)


@pytest.fixture
def no_system_fonts(monkeypatch, no_env):
    """A fresh machine: matplotlib's font list has no Chinese font."""
    monkeypatch.setattr(fonts, "_system_entries", lambda: [e for e in font_manager.fontManager.ttflist
                                                           if e.name.startswith("DejaVu")])


def entry(name: str, path: Path, *, index: int = 0, weight: int = 400, style: str = "normal"):
    """A matplotlib font-list entry as the system scan would produce it."""
    fields = {f.name for f in dataclasses.fields(font_manager.FontEntry)}
    extra = {"index": index} if "index" in fields else {}
    return font_manager.FontEntry(fname=str(path), name=name, weight=weight, style=style, **extra)


def _rename(font, family: str) -> None:
    """Give a fontTools font a new family name (so test faces never shadow real fonts)."""
    table = font["name"]
    table.names = []
    for name_id, value in ((1, family), (2, "Regular"), (4, f"{family} Regular"), (6, family.replace(" ", ""))):
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)


def build_collection(path: Path) -> Path:
    """A .ttc whose face 0 is a Latin face named like a Japanese one and face 1 a Simplified-Chinese one.

    This is the layout of NotoSansCJK-Regular.ttc (JP first, SC third), in miniature; the SC face
    has only the characters of ``HAN``, digits and a little punctuation.
    """
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    latin = TTFont(str(DEJAVU))
    sub = subset.Subsetter(options)
    sub.populate(text="Analysis 0123456789")
    sub.subset(latin)
    _rename(latin, "Analysis Test JP")
    han = TTFont(str(BUNDLED))
    sub = subset.Subsetter(options)
    sub.populate(text=HAN + "0123456789 .,%年()lp")  # matplotlib < 3.11 measures descent with "lp"
    sub.subset(han)
    _rename(han, "Analysis Test SC")
    ttc = TTCollection()
    ttc.fonts = [latin, han]
    ttc.save(str(path))
    return path


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return build_collection(tmp_path_factory.mktemp("fonts") / "test-collection.ttc")


@pytest.fixture
def font_cache(monkeypatch, tmp_path) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setattr(fonts, "_cache_dir", lambda: cache)
    return cache


def render(font_path: Path, char: str, *, index: int = 0, size: int = 64) -> np.ndarray:
    font = ImageFont.truetype(str(font_path), size, index=index)
    image = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(image).text((size // 4, size // 4), char, font=font, fill=255)
    return np.asarray(image)


# ---------------------------------------------------------------------------
# resolution order


def test_font_error_is_an_analysis_error():
    assert issubclass(FontError, AnalysisError)


def test_explicit_path_argument_wins_over_environment_variable(monkeypatch):
    monkeypatch.setenv(fonts.ENV_VAR, str(DEJAVU))
    font = fonts.resolve_font(BUNDLED)
    assert font == CJKFont(path=BUNDLED, family="Noto Sans CJK SC", source="explicit", index=0)


def test_environment_variable_wins_over_system_fonts(monkeypatch):
    monkeypatch.setattr(fonts, "_system_entries", lambda: [entry("Microsoft YaHei", BUNDLED)])
    monkeypatch.setenv(fonts.ENV_VAR, str(DEJAVU))
    font = fonts.resolve_font()
    assert (font.path, font.family, font.source) == (DEJAVU.resolve(), "DejaVu Sans", "explicit")


def test_environment_variable_naming_a_missing_file_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "msyh.ttc"))
    with pytest.raises(FontError, match=r"ANALYSIS_CJK_FONT.*msyh\.ttc.*does not exist.*unset"):
        fonts.resolve_font()


def test_explicit_file_that_is_not_a_font_is_rejected(tmp_path):
    bogus = tmp_path / "font.ttf"
    bogus.write_text("not a font")
    with pytest.raises(FontError, match="cannot read as a font"):
        fonts.resolve_font(bogus)


def test_system_font_is_found_by_family_name_in_matplotlibs_font_list(monkeypatch, no_env, tmp_path):
    system_copy = tmp_path / "NotoSansCJKsc-Regular.otf"
    system_copy.write_bytes(b"x")  # only existence matters for the choice
    monkeypatch.setattr(fonts, "_system_entries", lambda: [entry("DejaVu Sans", DEJAVU),
                                                           entry("Noto Sans CJK SC", system_copy)])
    font = fonts.resolve_font()
    assert (font.family, font.source, font.path) == ("Noto Sans CJK SC", "system", system_copy.resolve())


def test_bundled_font_registered_with_matplotlib_is_still_reported_as_bundled(monkeypatch, no_env):
    monkeypatch.setattr(fonts, "_system_entries", lambda: [entry("Noto Sans CJK SC", BUNDLED)])
    assert fonts.resolve_font().source == "bundled"


def test_system_fonts_are_tried_in_the_documented_order(monkeypatch, no_env, tmp_path):
    wqy, yahei = tmp_path / "wqy-microhei.ttc", tmp_path / "msyh.ttc"
    for path in (wqy, yahei):
        path.write_bytes(BUNDLED.read_bytes()[:64])  # only existence matters for the choice
    monkeypatch.setattr(fonts, "_system_entries", lambda: [entry("WenQuanYi Micro Hei", wqy),
                                                           entry("Microsoft YaHei", yahei)])
    assert fonts.resolve_font().family == "Microsoft YaHei"
    assert fonts.SYSTEM_FAMILIES.index("Microsoft YaHei") < fonts.SYSTEM_FAMILIES.index("WenQuanYi Micro Hei")


def test_system_family_prefers_single_face_regular_file(monkeypatch, no_env, tmp_path):
    ttc, bold = tmp_path / "NotoSansCJK-Regular.ttc", tmp_path / "NotoSansCJKsc-Bold.otf"
    for path in (ttc, bold):
        path.write_bytes(b"x")
    monkeypatch.setattr(fonts, "_system_entries", lambda: [
        entry("Noto Sans CJK SC", ttc, index=2),
        entry("Noto Sans CJK SC", bold, weight=700),
        entry("Noto Sans CJK SC", BUNDLED),
    ])
    assert fonts.resolve_font().path == BUNDLED


def test_system_collection_face_keeps_its_index(monkeypatch, no_env, collection):
    if not fonts._FACE_INDEX:
        pytest.skip("this matplotlib lists only face 0 of a collection")
    monkeypatch.setattr(fonts, "_system_entries", lambda: [entry("Noto Sans CJK JP", collection, index=0),
                                                           entry("Noto Sans CJK SC", collection, index=1)])
    font = fonts.resolve_font()
    assert (font.family, font.index, font.source) == ("Noto Sans CJK SC", 1, "system")


def test_system_entries_whose_file_vanished_are_skipped(monkeypatch, no_system_fonts, tmp_path):
    monkeypatch.setattr(fonts, "_system_entries", lambda: [entry("SimHei", tmp_path / "gone.ttf")])
    assert fonts.resolve_font().source == "bundled"


def test_bundled_font_is_used_when_no_system_font_is_installed(no_system_fonts):
    font = fonts.resolve_font()
    assert font.source == "bundled"
    assert font.family == "Noto Sans CJK SC"
    assert font.path.name == "NotoSansCJKsc-Regular.otf"
    assert "mplfonts" in font.path.parts


def test_without_any_chinese_font_the_error_says_how_to_get_one(monkeypatch, no_system_fonts):
    monkeypatch.setattr(fonts, "bundled_font_path", lambda: None)
    with pytest.raises(FontError, match=r"pip install mplfonts.*ANALYSIS_CJK_FONT"):
        fonts.resolve_font()


def test_a_resolved_font_passes_through_unchanged():
    font = fonts.resolve_font(BUNDLED)
    assert fonts.resolve_font(font) is font


# ---------------------------------------------------------------------------
# collections: the Simplified-Chinese face, not face 0


def test_explicit_collection_selects_the_simplified_chinese_face(collection):
    font = fonts.resolve_font(collection)
    assert (font.index, font.family) == (1, "Analysis Test SC")


def test_collection_face_can_be_chosen_by_index(collection):
    assert fonts.resolve_font(collection, index=0).family == "Analysis Test JP"
    with pytest.raises(FontError, match="face 5 does not exist"):
        fonts.resolve_font(collection, index=5)


def test_simplified_chinese_face_is_ranked_above_other_cjk_faces():
    faces = ["Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans Mono CJK SC", "Noto Sans CJK SC", "Noto Sans CJK TC"]
    assert fonts._pick_sc_face(faces) == 3
    assert fonts._pick_sc_face(["AR PL UMing TW", "AR PL UMing HK", "AR PL UMing CN"]) == 2
    assert fonts._pick_sc_face(["Some Font"]) == 0


def test_single_face_file_extracts_the_collection_face_for_wordcloud(collection, font_cache):
    font = fonts.resolve_font(collection)
    path = fonts.single_face_file(font)
    assert path.parent == font_cache
    assert fonts._faces(str(path)) == ("Analysis Test SC",)
    assert fonts.single_face_file(font) == path  # cached, not extracted again
    # PIL opening the extracted file (face 0) draws the same glyph as the collection's face 1
    assert np.array_equal(render(path, "党"), render(collection, "党", index=1))


def test_single_face_file_of_a_plain_font_is_the_file_itself():
    assert fonts.single_face_file(BUNDLED) == BUNDLED


@pytest.mark.parametrize("face_index_support", [True, False], ids=["matplotlib>=3.10", "older-matplotlib"])
def test_matplotlib_draws_with_the_collection_face(monkeypatch, collection, font_cache, face_index_support):
    if face_index_support and not fonts._FACE_INDEX:
        pytest.skip("this matplotlib cannot open faces other than 0")
    monkeypatch.setattr(fonts, "_FACE_INDEX", face_index_support)
    fonts._faces.cache_clear()
    fonts._charmap.cache_clear()
    try:
        font = fonts.resolve_font(collection)
        fonts.check_coverage(font, "党的领导")
        with fonts.use_cjk_font(font):
            fig = Figure()
            FigureCanvasAgg(fig)
            fig.add_subplot().set_title("党的领导 2024")
        fig.canvas.draw()  # a missing glyph would be a UserWarning, an error here
    finally:
        fonts._faces.cache_clear()
        fonts._charmap.cache_clear()


# ---------------------------------------------------------------------------
# coverage


def test_coverage_check_names_the_missing_characters_of_a_latin_only_font():
    with pytest.raises(FontError) as info:
        fonts.check_coverage(DEJAVU, ["Policy 2024", "党的领导"], what="the chart labels")
    message = str(info.value)
    assert "'党' (U+515A)" in message and "'领' (U+9886)" in message
    assert "4 characters of the chart labels" in message
    assert "ANALYSIS_CJK_FONT" in message
    assert "P" not in fonts.missing_glyphs(DEJAVU, "Policy 2024 党")


def test_missing_glyphs_lists_each_character_once_in_order():
    assert fonts.missing_glyphs(DEJAVU, "民主、民生\n") == "民主、生"


def test_coverage_check_passes_for_chinese_text_with_the_resolved_font():
    fonts.check_coverage(None, [HAN, "2024年：（一）坚持“两个确立”——100%", "\n\t"])


def test_long_lists_of_missing_characters_are_shortened():
    with pytest.raises(FontError, match=r"and 9 more"):
        fonts.check_coverage(DEJAVU, "中华人民共和国国务院关于印发新时代全面深化改革开放的实施意见")


def test_supplementary_plane_character_missing_from_the_bundled_font_is_reported():
    rare = "\U0002A6A5"  # CJK Extension B, not in Noto Sans CJK SC's basic set
    if rare not in fonts.missing_glyphs(None, rare):
        pytest.skip("the resolved font covers Extension B")
    with pytest.raises(FontError, match=r"U\+2A6A5"):
        fonts.check_coverage(None, "国家" + rare)


# ---------------------------------------------------------------------------
# real glyphs from the bundled font


def test_bundled_font_draws_real_han_glyphs_not_boxes():
    dang, min_ = render(BUNDLED, "党"), render(BUNDLED, "民")
    box = render(BUNDLED, "\U0010FFFD")  # unassigned: drawn as the .notdef glyph
    assert dang.any() and min_.any()
    assert not np.array_equal(dang, min_)
    assert not np.array_equal(dang, box)
    # the method detects boxes: a Latin font draws both Han characters as the same .notdef box
    assert np.array_equal(render(DEJAVU, "党"), render(DEJAVU, "民"))


# ---------------------------------------------------------------------------
# matplotlib settings


def test_font_rc_sets_family_and_ascii_minus():
    rc = fonts.font_rc(BUNDLED)
    assert rc == {"font.family": ["Noto Sans CJK SC"], "axes.unicode_minus": False}


def test_registering_the_font_twice_adds_it_once():
    fonts.font_rc(BUNDLED)
    size = len(font_manager.fontManager.ttflist)
    fonts.font_rc(BUNDLED)
    assert len(font_manager.fontManager.ttflist) == size


def test_use_cjk_font_restores_global_settings_and_text_keeps_the_font():
    before = (list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.unicode_minus"])
    with fonts.use_cjk_font(BUNDLED) as font:
        fig = Figure()
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_title("政府工作报告")
        ax.plot([-1, 1], [-2, 2])
    assert (list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.unicode_minus"]) == before
    fig.canvas.draw()  # drawn after the block: no glyph warning
    assert ax.title.get_fontfamily() == [font.family]


def test_default_matplotlib_font_really_warns_about_chinese():
    """The guard used by these tests works: without the resolver, Chinese glyphs are missing."""
    fig = Figure()
    FigureCanvasAgg(fig)
    fig.add_subplot().set_title("党", family="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert any("missing from font" in str(w.message) for w in caught)
