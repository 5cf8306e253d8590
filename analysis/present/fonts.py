"""One CJK font resolver for every chart and word cloud.

Charts of Chinese text fail silently: matplotlib draws empty boxes (with a
warning that scrolls away) and wordcloud draws boxes with no warning at all.
This module finds *one* font with Simplified-Chinese glyphs, checks that it
covers the characters about to be drawn, and hands the same face to
matplotlib and wordcloud.

Resolution order (:func:`resolve_font`)
---------------------------------------
1. ``explicit``: the ``path`` argument, else the environment variable
   ``ANALYSIS_CJK_FONT`` (path to a ``.ttf``, ``.otf`` or ``.ttc`` file).
2. ``system``: the first family of :data:`SYSTEM_FAMILIES` (Windows, macOS
   and Linux Chinese fonts) found in matplotlib's font list
   (``matplotlib.font_manager.fontManager.ttflist``, which matplotlib builds
   by scanning the operating system's font directories and fontconfig).
3. ``bundled``: ``NotoSansCJKsc-Regular.otf`` shipped by the PyPI package
   ``mplfonts``, so a fresh machine without any Chinese font still renders
   Chinese.

Simplified-Chinese faces and ``.ttc`` collections
-------------------------------------------------
A ``.ttc`` file holds several faces, and face 0 is not always the Chinese
one (``NotoSansCJK-Regular.ttc`` starts with the Japanese face, whose glyph
forms differ from the Simplified-Chinese ones). The resolver therefore picks
a *face*, not a file: system fonts are looked up by their SC family name
(``Noto Sans CJK SC``), which matplotlib (>= 3.10) lists per face with its
face index; for an explicit ``.ttc`` the face whose family name marks it as
Simplified Chinese (``SC``, ``GB``, ``CN``, ``Hans``) is chosen. Single-face
``.otf``/``.ttf`` files are preferred over collections when both provide the
family. matplotlib selects the face by family name (see :func:`font_rc`);
wordcloud and PIL always open face 0 of a file, so for a face with index > 0
:func:`single_face_file` extracts it once (with fontTools) into
the project cache directory (``config.cache_dir() / "fonts"``) and wordcloud
is given that file.

Examples
--------
>>> from analysis import fonts
>>> font = fonts.resolve_font()
>>> font.source in {"explicit", "system", "bundled"}
True
>>> fonts.check_coverage(font, "全过程人民民主")
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Union

import matplotlib
from fontTools.ttLib import TTFont  # a dependency of matplotlib
from matplotlib import font_manager, ft2font

from analysis.config import cache_dir
from analysis.errors import FontError

__all__ = [
    "ENV_VAR",
    "SYSTEM_FAMILIES",
    "CJKFont",
    "FontError",
    "resolve_font",
    "missing_glyphs",
    "check_coverage",
    "font_rc",
    "use_cjk_font",
    "single_face_file",
]

#: Environment variable naming a font file that overrides the automatic choice.
ENV_VAR = "ANALYSIS_CJK_FONT"

#: Family names of well-known Chinese system fonts, in order of preference.
#: Sans-serif (黑体) families come before serif (宋体) ones because charts are
#: read on slides and screens.
SYSTEM_FAMILIES: tuple[str, ...] = (
    # Windows
    "Microsoft YaHei",       # 微软雅黑, msyh.ttc
    "SimHei",                # 黑体, simhei.ttf
    "DengXian",              # 等线, Deng.ttf
    "SimSun",                # 宋体, simsun.ttc
    # macOS
    "PingFang SC",           # 苹方
    "Hiragino Sans GB",      # 冬青黑体
    "Heiti SC",              # 黑体-简, STHeiti *.ttc
    "STHeiti",               # 华文黑体
    "Songti SC",             # 宋体-简
    # Linux (and anywhere else these are installed)
    "Noto Sans CJK SC",      # fonts-noto-cjk, google-noto-sans-cjk-fonts
    "Noto Sans SC",          # Google Fonts build of the same design
    "Source Han Sans SC",    # 思源黑体
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",   # 文泉驿微米黑
    "WenQuanYi Zen Hei",     # 文泉驿正黑
    "AR PL UMing CN",        # 文鼎明体, uming.ttc
)

_BUNDLED_PACKAGE = "mplfonts"
_BUNDLED_FILE = ("fonts", "NotoSansCJKsc-Regular.otf")

#: Family-name tokens marking a Simplified-Chinese face, and other CJK locales.
_SC_TOKEN = re.compile(r"(?:\b(?:SC|GB|CN|Hans|Simplified)\b|简|GB2312|GBK|18030)", re.I)
_OTHER_TOKEN = re.compile(r"\b(?:JP|KR|TC|HK|TW|Hant|Traditional)\b", re.I)

#: Whether this matplotlib lists and opens every face of a collection
#: (``FontEntry.index``, ``FT2Font(face_index=...)``, matplotlib >= 3.10).
#: Without it, a face with index > 0 is used through :func:`single_face_file`.
_FACE_INDEX = "index" in {f.name for f in dataclasses.fields(font_manager.FontEntry)}

Source = Literal["explicit", "system", "bundled"]
FontLike = Union["CJKFont", str, "os.PathLike[str]", None]


@dataclass(frozen=True)
class CJKFont:
    """A font face that can draw Chinese, and where it came from.

    Attributes
    ----------
    path : pathlib.Path
        The font file (``.otf``, ``.ttf`` or ``.ttc``).
    family : str
        Family name of the selected face, as matplotlib knows it
        (e.g. ``"Noto Sans CJK SC"``).
    source : {"explicit", "system", "bundled"}
        Which step of :func:`resolve_font` found it.
    index : int
        Face index inside a ``.ttc`` collection (0 for single-face files).
    """

    path: Path
    family: str
    source: Source
    index: int = 0

    def __str__(self) -> str:
        face = f", face {self.index}" if self.index else ""
        return f"{self.family} ({self.path}{face}; {self.source})"


# --------------------------------------------------------------------------
# resolution


def resolve_font(path: FontLike = None, *, index: int | None = None) -> CJKFont:
    """Find the font face used for Chinese text in charts and word clouds.

    Parameters
    ----------
    path : str, os.PathLike, CJKFont or None
        A font file to use (``.ttf``, ``.otf`` or ``.ttc``). ``None`` means:
        the file named by the environment variable ``ANALYSIS_CJK_FONT`` if
        set, else the first installed font of :data:`SYSTEM_FAMILIES`, else
        the Noto Sans CJK SC file shipped by the ``mplfonts`` package. A
        :class:`CJKFont` is returned unchanged.
    index : int, optional, keyword-only
        Face to use inside a ``.ttc`` collection given as ``path`` or
        ``ANALYSIS_CJK_FONT``. By default the face whose family name marks it
        as Simplified Chinese (``SC``, ``GB``, ``CN``) is chosen, else face 0.

    Returns
    -------
    CJKFont
        Frozen record of ``path``, ``family``, ``source`` and ``index``.

    Raises
    ------
    FontError
        If the explicit file does not exist or is not a font, or if no
        Chinese font is found at all.

    Notes
    -----
    The font is not checked against any text here: use
    :func:`check_coverage` with the characters you are about to draw.
    System fonts come from matplotlib's font cache; a font installed after
    the cache was built is found once the cache file in
    ``matplotlib.get_cachedir()`` is deleted (or set ``ANALYSIS_CJK_FONT``).

    Examples
    --------
    >>> font = resolve_font()
    >>> font.family  # doctest: +SKIP
    'Noto Sans CJK SC'
    >>> import matplotlib
    >>> dejavu = resolve_font(matplotlib.get_data_path() + "/fonts/ttf/DejaVuSans.ttf")
    >>> dejavu.family, dejavu.source
    ('DejaVu Sans', 'explicit')
    """
    if isinstance(path, CJKFont):
        return path
    if path is not None:
        return _explicit_font(Path(os.fspath(path)), index=index, origin="the font path argument")
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return _explicit_font(Path(env), index=index, origin=f"the environment variable {ENV_VAR}")
    found = _system_font()
    if found is not None:
        return found
    bundled = bundled_font_path()
    if bundled is not None:
        family = _face_family(str(bundled), 0)
        return CJKFont(path=bundled, family=family, source="bundled", index=0)
    raise FontError(
        "No font with Chinese characters was found: none of the system fonts "
        f"{', '.join(SYSTEM_FAMILIES[:4])}, ... is installed and the package "
        f"'{_BUNDLED_PACKAGE}' (which ships Noto Sans CJK SC) is missing. "
        f"Run `pip install {_BUNDLED_PACKAGE}`, install a CJK font such as Noto Sans CJK SC, "
        f"or set {ENV_VAR} to the path of a .ttf/.otf/.ttc font file with Chinese glyphs."
    )


def _explicit_font(path: Path, *, index: int | None, origin: str) -> CJKFont:
    path = path.expanduser()
    if not path.is_file():
        raise FontError(
            f"{origin} names the font file '{path}', which does not exist. "
            f"Give the path of a .ttf/.otf/.ttc font with Chinese glyphs, or unset "
            f"{ENV_VAR} to use the automatic choice."
        )
    path = path.resolve()
    faces = _faces(str(path))
    if not faces:
        raise FontError(
            f"{origin} names '{path}', which FreeType cannot read as a font. "
            f"Give the path of a .ttf/.otf/.ttc font file."
        )
    if index is None:
        index = _pick_sc_face(faces)
    elif not 0 <= index < len(faces):
        raise FontError(
            f"'{path}' has {len(faces)} face(s) (0..{len(faces) - 1}); face {index} does not exist. "
            f"Faces: {', '.join(f'{i}: {name}' for i, name in enumerate(faces))}."
        )
    family = faces[index]
    if index and not _FACE_INDEX:
        # this matplotlib only knows face 0 of a file: it will use the extracted copy
        family = _faces(str(_extract_face(path, index)))[0]
    return CJKFont(path=path, family=family, source="explicit", index=index)


def _system_entries() -> Sequence[Any]:
    """matplotlib's list of installed fonts (one entry per face); patched in tests."""
    return font_manager.fontManager.ttflist


def _system_font() -> CJKFont | None:
    by_name: dict[str, list[Any]] = {}
    for entry in _system_entries():
        by_name.setdefault(entry.name.casefold(), []).append(entry)
    for family in SYSTEM_FAMILIES:
        entries = by_name.get(family.casefold())
        if not entries:
            continue
        readable = [e for e in entries if os.path.isfile(e.fname)]
        if not readable:
            continue
        best = min(readable, key=_entry_rank)
        path = Path(best.fname).resolve()
        bundled = bundled_font_path()
        return CJKFont(
            path=path,
            family=best.name,
            # Once registered with matplotlib, the bundled font is in its list too: still say where it comes from.
            source="bundled" if bundled is not None and path == bundled.resolve() else "system",
            index=int(getattr(best, "index", 0) or 0),
        )
    return None


def _entry_rank(entry: Any) -> tuple[int, int, int, str]:
    """Prefer single-face files, regular weight, upright style; then by path."""
    index = int(getattr(entry, "index", 0) or 0)
    collection = Path(entry.fname).suffix.lower() in {".ttc", ".otc"} or index > 0
    weight = entry.weight
    if isinstance(weight, str):
        weight = font_manager.weight_dict.get(weight, 400)
    return (int(collection), abs(int(weight) - 400), int(entry.style != "normal"), str(entry.fname))


def bundled_font_path() -> Path | None:
    """Noto Sans CJK SC as shipped by the ``mplfonts`` package, or None if it is not installed."""
    # find_spec locates the package directory without importing (running) it.
    try:
        spec = importlib.util.find_spec(_BUNDLED_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        candidate = Path(base).joinpath(*_BUNDLED_FILE)
        if candidate.is_file():
            return candidate.resolve()
    return None


def _ft2font(path: str, index: int) -> ft2font.FT2Font | None:
    """matplotlib's FreeType handle on one face; None if this matplotlib cannot open face ``index``."""
    if index == 0:
        return ft2font.FT2Font(path)
    if not _FACE_INDEX:
        return None
    return ft2font.FT2Font(path, face_index=index)


@lru_cache(maxsize=64)
def _faces(path: str) -> tuple[str, ...]:
    """Family name of every face in a font file (as FreeType reports it); empty if it is not a font."""
    try:
        first = ft2font.FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return ()
    names = [first.family_name]
    for i in range(1, first.num_faces):
        face = _ft2font(path, i)
        if face is None:
            with TTFont(path, fontNumber=i, lazy=True) as font:
                names.append(font["name"].getBestFamilyName() or f"face {i}")
        else:
            names.append(face.family_name)
    return tuple(names)


def _face_family(path: str, index: int) -> str:
    return _faces(path)[index]


def _pick_sc_face(families: Sequence[str]) -> int:
    """Index of the face best suited to Simplified Chinese (0 if nothing says so)."""
    known = {name.casefold(): rank for rank, name in enumerate(SYSTEM_FAMILIES)}

    def score(i: int) -> tuple[int, int, int, int]:
        name = families[i]
        rank = known.get(name.casefold(), len(known))
        if rank < len(known):
            tier = 0
        elif _SC_TOKEN.search(name):
            tier = 1
        elif _OTHER_TOKEN.search(name):
            tier = 3
        else:
            tier = 2
        return (tier, int("mono" in name.casefold()), rank, i)

    return min(range(len(families)), key=score)


# --------------------------------------------------------------------------
# coverage


@lru_cache(maxsize=16)
def _charmap(path: str, index: int, stamp: tuple[int, int]) -> frozenset[int]:
    face = _ft2font(path, index) or ft2font.FT2Font(str(_extract_face(Path(path), index)))
    return frozenset(face.get_charmap())


def _codepoints(font: CJKFont) -> frozenset[int]:
    st = os.stat(font.path)
    return _charmap(str(font.path), font.index, (st.st_size, st.st_mtime_ns))


def _drawn(ch: str) -> bool:
    """Whether a character is drawn as a glyph (controls and format marks are not)."""
    return unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"}


def _as_text(text: str | Iterable[str]) -> str:
    if isinstance(text, str):
        return text
    return "".join(str(t) for t in text)


def missing_glyphs(font: FontLike, text: str | Iterable[str]) -> str:
    """Characters of ``text`` that ``font`` cannot draw, each once, in order of appearance.

    Parameters
    ----------
    font : CJKFont, str, os.PathLike or None
        The font (anything :func:`resolve_font` accepts).
    text : str or iterable of str
        The text, or several strings (labels, titles, ...), to be drawn.

    Returns
    -------
    str
        The missing characters; ``""`` when everything is covered. Control
        characters such as newlines are ignored.

    Examples
    --------
    >>> missing_glyphs(None, "协商民主")
    ''
    >>> import matplotlib
    >>> missing_glyphs(matplotlib.get_data_path() + "/fonts/ttf/DejaVuSans.ttf", "民主 democracy 民")
    '民主'
    """
    font = resolve_font(font)
    have = _codepoints(font)
    seen: dict[str, None] = {}
    for ch in _as_text(text):
        if ch not in seen and _drawn(ch) and ord(ch) not in have:
            seen[ch] = None
    return "".join(seen)


def check_coverage(font: FontLike, text: str | Iterable[str], *, what: str = "the text") -> None:
    """Raise :class:`FontError` unless ``font`` has a glyph for every character of ``text``.

    Parameters
    ----------
    font : CJKFont, str, os.PathLike or None
        The font (anything :func:`resolve_font` accepts).
    text : str or iterable of str
        Everything that will be drawn: labels, titles, tick labels, words.
    what : str, optional, keyword-only
        What the text is, for the message (e.g. ``"the word cloud"``).

    Raises
    ------
    FontError
        Listing the missing characters with their code points and saying how
        to choose another font.

    Examples
    --------
    >>> check_coverage(None, ["党的领导", "2024 年"])
    >>> import matplotlib
    >>> dejavu = matplotlib.get_data_path() + "/fonts/ttf/DejaVuSans.ttf"
    >>> check_coverage(dejavu, "党建")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.errors.FontError: The font DejaVu Sans (...) has no glyph for 2 characters of the text: '党' (U+515A), ...
    """
    font = resolve_font(font)
    missing = missing_glyphs(font, text)
    if not missing:
        return
    shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:20])
    if len(missing) > 20:
        shown += f" and {len(missing) - 20} more"
    plural = "character" if len(missing) == 1 else "characters"
    hint = "" if 0x4E2D in _codepoints(font) else " (e.g. a Noto Sans CJK SC .otf)"
    raise FontError(
        f"The font {font} has no glyph for {len(missing)} {plural} of {what}: {shown}; "
        f"they would be drawn as empty boxes. Set the environment variable {ENV_VAR} "
        f"to a font file that has them{hint}, or pass font=... ."
    )


# --------------------------------------------------------------------------
# matplotlib and wordcloud


def _register(font: CJKFont) -> None:
    """Make the face known to matplotlib's font manager (idempotent)."""
    path, index = (font.path, font.index) if _FACE_INDEX or not font.index else (single_face_file(font), 0)
    target = os.path.realpath(path)
    for entry in font_manager.fontManager.ttflist:
        if int(getattr(entry, "index", 0) or 0) == index and os.path.realpath(entry.fname) == target:
            return
    font_manager.fontManager.addfont(str(path))


def font_rc(font: FontLike = None) -> dict[str, Any]:
    """matplotlib settings that make text use the CJK font.

    Registers the font file with ``matplotlib.font_manager.fontManager``
    (once; this is the only global change) and returns the settings without
    applying them.

    Parameters
    ----------
    font : CJKFont, str, os.PathLike or None
        The font (anything :func:`resolve_font` accepts).

    Returns
    -------
    dict
        ``{"font.family": [family], "axes.unicode_minus": False}``; apply it
        with ``matplotlib.rc_context(...)`` for a block of code, or with
        ``plt.rcParams.update(...)`` for a whole notebook session.

    Notes
    -----
    matplotlib finds fonts by family name: if an explicit font file has the
    same family name as another installed file, matplotlib may draw with
    either of them.

    Examples
    --------
    >>> import matplotlib
    >>> from matplotlib.figure import Figure
    >>> rc = font_rc()
    >>> rc["axes.unicode_minus"]
    False
    >>> with matplotlib.rc_context(rc):
    ...     fig = Figure()
    ...     _ = fig.suptitle("全过程人民民主")
    """
    font = resolve_font(font)
    _register(font)
    return {"font.family": [font.family], "axes.unicode_minus": False}


@contextmanager
def use_cjk_font(font: FontLike = None) -> Iterator[CJKFont]:
    """Context manager: matplotlib artists created inside it use the CJK font.

    matplotlib reads the font family when a text artist is created, so
    figures built inside the block keep the font when drawn later, and global
    ``rcParams`` are restored on exit.

    Parameters
    ----------
    font : CJKFont, str, os.PathLike or None
        The font (anything :func:`resolve_font` accepts).

    Yields
    ------
    CJKFont
        The resolved font, e.g. for :func:`check_coverage`.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> with use_cjk_font() as font:
    ...     check_coverage(font, "政府工作报告")
    ...     fig = Figure()
    ...     _ = fig.add_subplot().set_title("政府工作报告")
    """
    font = resolve_font(font)
    with matplotlib.rc_context(font_rc(font)):
        yield font


def _cache_dir() -> Path:
    return cache_dir() / "fonts"


def single_face_file(font: FontLike = None) -> Path:
    """A file whose first face is the resolved face, for wordcloud and PIL.

    wordcloud (``WordCloud(font_path=...)``) and ``PIL.ImageFont.truetype``
    without ``index=`` always use face 0. For a face with index 0 the font's
    own file is returned; otherwise the face is extracted once with fontTools
    into ``config.cache_dir() / "fonts"`` and that copy is returned.

    Parameters
    ----------
    font : CJKFont, str, os.PathLike or None
        The font (anything :func:`resolve_font` accepts).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> font = resolve_font()
    >>> single_face_file(font) == font.path or font.index > 0
    True
    """
    font = resolve_font(font)
    if font.index == 0:
        return font.path
    return _extract_face(font.path, font.index)


def _extract_face(path: Path, index: int) -> Path:
    st = os.stat(path)
    key = hashlib.sha1(f"{path}|{index}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:10]
    directory = _cache_dir()
    stem = f"{path.stem}-face{index}-{key}"
    for suffix in (".otf", ".ttf"):
        cached = directory / f"{stem}{suffix}"
        if cached.is_file():
            return cached
    with TTFont(str(path), fontNumber=index) as face:  # tables not touched are copied as raw bytes
        suffix = ".otf" if "CFF " in face or "CFF2" in face else ".ttf"
        target = directory / f"{stem}{suffix}"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.part")
            face.save(str(partial))
            os.replace(partial, target)
        except OSError as exc:
            raise FontError(
                f"Could not extract face {index} of the font collection '{path}' into '{directory}' "
                f"({exc}). Set {ENV_VAR} to a single-face .otf/.ttf Chinese font instead."
            ) from exc
    return target
