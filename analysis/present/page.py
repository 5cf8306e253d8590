"""What every report page says about itself: the header naming its data, Chinese notices, and Jupyter set-up.

A page is one executed notebook. :func:`facts` runs in the notebook's kernel
after the last cell (``python -m analysis report`` adds that cell, so every
numbered notebook gets it, old or new) and gathers what the page was run on:
the corpus (name, documents, characters, years), the lexicon (name,
version), the notebook's parameters and the date.
:func:`analysis.present.page_text.header_html` turns those facts into the
block that opens the page, with links back to the index and to the other
version of the page and a table of contents.

:func:`setup` is what a notebook's import cell calls in Jupyter: relative paths
are read from the project folder, figures are drawn at twice the pixel
density, and notices about the input are shown as Chinese sentences instead
of English warnings in red.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import os
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from IPython import get_ipython
from IPython.core.pylabtools import print_figure
from IPython.display import HTML, display
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib_inline.backend_inline import set_matplotlib_formats
from PIL import Image as PILImage

from analysis.config import PROJECT_DIR, cache_dir
from analysis.errors import CacheError, InputNotice
from analysis.lexicon import Lexicon
from analysis.present import webfont
from analysis.present.images import palette_png
from analysis.present.page_text import FACTS_MIME, REPORT_RUN, created, shown_path, without_local_paths
from analysis.text.corpus import Corpus

#: Parameters naming the texts a notebook reads (a path, or a mapping name -> path).
CORPUS_PARAMETERS = ("corpus_path", "corpora", "essay_path")
#: Parameters naming the lexicon a notebook uses.
LEXICON_PARAMETERS = ("lexicon_path", "demo_lexicon_path")
#: English notices of the lower layers as Chinese sentences (pattern, template); names and numbers carried over.
_NOTICES_ZH: list[tuple[re.Pattern, str]] = [(re.compile(p, re.S), t) for p, t in [
    (r"^(?P<where>.*?MANIFEST\.csv): does not list (?P<n>\d+) file\(s\): (?P<names>.+); they have no metadata$",
     "{where} 没有列出 {n} 个文件：{names}。这些文件没有元数据（如年份、标题），按年份的分析不包括它们；"
     "在 MANIFEST.csv 中为它们各加一行即可。"),
    (r"^(?P<where>.*?MANIFEST\.csv): lists (?P<n>\d+) file\(s\) not in the folder: (?P<names>.+); they are not analysed$",
     "{where} 列出的 {n} 个文件不在文件夹中：{names}，未分析。"),
    (r"^(?P<n>\d+) document\(s\) have no '(?P<col>[^']+)' and are left out of the trends: (?P<names>.+)$",
     "{n} 篇文档没有“{col}”值，未计入趋势图表：{names}。"),
    (r"^(?P<n>\d+) document\(s\) have no usable '(?P<col>[^']+)' value and are left out of both sides: (?P<names>.+)$",
     "{n} 篇文档没有可用的“{col}”值，不计入比较的任何一方：{names}。"),
    (r"^split '(?P<split>[^']+)': (?P<n>\d+) document\(s\) have a '(?P<col>[^']+)' that is not a number and are left "
     r"out of both sides: (?P<names>.+)$",
     "时期划分“{split}”：{n} 篇文档的“{col}”不是数字，不计入比较的任何一方：{names}。"),
    (r"^removed (?P<n>\d+) duplicate paragraph\(s\) from (?P<docs>\d+) document\(s\): (?P<names>.+?); keep them with the "
     r"keep_duplicates setting$",
     "从 {docs} 篇文档中删除了 {n} 个完全重复的段落：{names}。如需保留，设置 keep_duplicates = True"
     "（命令行 --keep-duplicates）。"),
    (r"^removed (?P<n>\d+) run\(s\) of whitespace between Chinese characters in (?P<docs>\d+) document\(s\)$",
     "删除了 {docs} 篇文档中汉字之间的 {n} 处空白。"),
    (r"^converted (?P<n>\d+) Traditional character\(s\) to Simplified in (?P<docs>\d+) document\(s\)$",
     "把 {docs} 篇文档中的 {n} 个繁体字转换为简体字。"),
    (r"^(?P<n>\d+) document\(s\) are largely in Traditional characters: (?P<names>.+?); .*$",
     "{n} 篇文档主要是繁体字：{names}。简体词表在其中找到的很少，可设置 simplified = True（命令行 --simplified）转换。"),
    (r"^no Chinese \(Han\) characters in (?P<n>\d+) document\(s\): (?P<names>.+?); .*$",
     "{n} 篇文档中没有汉字：{names}。词表概念在其中的次数都是 0，请确认这些是你要分析的文本。"),
    (r"^(?P<n>\d+) documents have the same text after cleaning: (?P<names>.+?); .*$",
     "{n} 篇文档清洗后文本完全相同：{names}。它们都计入统计；如果是同一文档的副本，请删去副本。"),
    # how a keyword-in-context query was matched (analysis.measure.kwic.describe)
    (r"^'(?P<query>.+)' is a concept of the lexicon \(terms: (?P<terms>.*)\): (?P<n>\d+) counted occurrence\(s\), .*$",
     "“{query}”是词表中的概念（词条：{terms}），计数 {n} 次；嵌在该概念更长词条里的出现只列一次，关键词列显示那个更长的词条。"),
    (r"^'(?P<query>.+)' is a term of the lexicon: (?P<n>\d+) occurrence\(s\), those inside longer terms included$",
     "“{query}”是词表中的词条，出现 {n} 次（包括嵌在更长词条里的出现）。"),
    (r"^'(?P<query>.+)' is not in the lexicon; searched it as an ad-hoc term: (?P<n>\d+) occurrence\(s\)$",
     "“{query}”不在词表中，按字面查找，出现 {n} 次。"),
]]
def notice_zh(message: str) -> str:
    """A notice about the input as one Chinese sentence (known notices translated, others kept), without local paths.

    Examples
    --------
    >>> notice_zh("/data/mine/MANIFEST.csv: does not list 1 file(s): doc2023.txt; they have no metadata").split("。")[0]
    'MANIFEST.csv 没有列出 1 个文件：doc2023.txt'
    >>> notice_zh("'协商民主' is a term of the lexicon: 3 occurrence(s), those inside longer terms included")
    '“协商民主”是词表中的词条，出现 3 次（包括嵌在更长词条里的出现）。'
    >>> notice_zh("something new")
    '（英文提示）something new'
    """
    raw = str(message).strip()
    for pattern, template in _NOTICES_ZH:
        found = pattern.match(raw)
        if found:
            values = {k: v.replace("/", "、") if k == "terms" else v for k, v in found.groupdict().items()}
            return without_local_paths(template.format(**values).replace(", and ", "，另有 ").replace(" more", " 个"))
    text = without_local_paths(raw)
    return text if re.search(r"[\u4e00-\u9fff]", text.split(":")[0]) else f"（英文提示）{text}"


def notice_html(messages: Sequence[str]) -> str:
    """The notices as one box of Chinese sentences (empty when there is nothing to say).

    Examples
    --------
    >>> notice_html([]) == ""
    True
    >>> "提示" in notice_html(["something new"])
    True
    """
    if not messages:
        return ""
    items = "".join(f"<li>{html.escape(notice_zh(m))}</li>" for m in messages)
    return f'<div class="zh-notice" role="note"><strong>提示</strong><ul>{items}</ul></div>'


class _Notices:
    """Rich display of notices in a notebook (``_repr_html_``), plain text elsewhere."""

    def __init__(self, messages: Sequence[str]):
        self.messages = list(messages)

    def _repr_html_(self) -> str | None:
        return notice_html(self.messages) or None  # nothing to say: nothing shown

    def __repr__(self) -> str:
        return "\n".join(f"提示：{notice_zh(m)}" for m in self.messages)


def notices(messages: Sequence[str]) -> _Notices:
    """Notices to show in a notebook (e.g. ``page.notices(corp.notices())``), in Chinese.

    Examples
    --------
    >>> print(notices(["2 document(s) have no 'year' and are left out of the trends: a, b"]))
    提示：2 篇文档没有“year”值，未计入趋势图表：a, b。
    """
    return _Notices(messages)


def setup(*, chdir: bool = True) -> None:
    """Prepare a Jupyter kernel for the notebooks: project-relative paths, sharp figures, Chinese notices.

    - the working directory becomes the project folder, so ``corpus_path =
      "mytexts"`` means ``mytexts/`` beside ``notebooks/`` (as 00-index says);
    - inline figures are PNG at twice the pixel density (sharp on HiDPI
      screens and projectors, same size on the page); in report runs the
      kernel stores each as a palette PNG itself
      (:func:`report_png`);
    - an :class:`analysis.errors.InputNotice` is displayed as a Chinese
      sentence in a box (:func:`notice_html`), not as an English warning;
    - outside report runs (JupyterLab, papermill), rendered tables and
      Markdown get the reports' Chinese font (:func:`analysis.present.webfont.lab_style`),
      so Chinese shows on a machine without a Chinese font.

    Outside IPython only the working directory changes.
    """
    if chdir:
        os.chdir(PROJECT_DIR)
    if get_ipython() is None:  # not in a kernel
        return
    report_run = bool(os.environ.get(REPORT_RUN))
    if not report_run:  # JupyterLab: its tables and Markdown get the reports' Chinese font
        try:
            cache = cache_dir()
        except CacheError:
            cache = None
        if cache is None or not webfont.lab_font_path(cache).exists():
            print("正在准备 JupyterLab 用的中文字体（只在第一次需要，约一分钟）…", flush=True)
        display(HTML(webfont.lab_style(cache)))
    set_matplotlib_formats("retina")
    png = get_ipython().display_formatter.formatters["image/png"]
    draw = png.lookup_by_type(Figure)

    def with_alt(figure):  # the inline backend's 2x PNG (base64), with alt text in its metadata
        with images_drawn_once(figure):
            drawn = (report_png(figure) if report_run else None) or draw(figure)
        if drawn is None:  # nothing drawn (a figure without axes)
            return None
        data, metadata = drawn
        return data, {**metadata, "alt": figure_alt(figure)}

    png.for_type(Figure, with_alt)
    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, InputNotice):
            display(HTML(notice_html([str(message)])))
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show


@contextmanager
def images_drawn_once(figure: Figure) -> Iterator[None]:
    """While saving ``figure``, its images are resampled only in the pass that draws (the same pixels).

    Saving with a tight bounding box or a layout engine (every chart here)
    draws the figure twice: first with the renderer's drawing switched off,
    to measure the layout, then for real. An image (a word cloud, a
    heatmap) is resampled to the output pixels and coloured in both passes
    (0.5 s of the word cloud's 1.1 s at report density); only the second
    is drawn. The first pass needs nothing of an image but its extent,
    which the image knows without resampling, so the images skip it. Where
    matplotlib measures otherwise, the images are drawn in both passes as
    before.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import io, numpy as np
    >>> from analysis.present.chart_base import new_figure
    >>> fig = new_figure(4, 3); _ = fig.add_subplot().imshow(np.arange(12).reshape(3, 4))
    >>> def png(): buffer = io.BytesIO(); fig.savefig(buffer, format="png", bbox_inches="tight"); return buffer.getvalue()
    >>> before = png()
    >>> with images_drawn_once(fig):
    ...     after = png()
    >>> after == before
    True
    """
    images = figure.findobj(AxesImage)
    for image in images:
        image.draw = functools.partial(_draw_unless_measuring, image)
    try:
        yield
    finally:
        for image in images:
            del image.draw  # the class's own again


def _draw_unless_measuring(image: AxesImage, renderer, *args, **kwargs) -> None:
    if getattr(renderer.draw_image, "__wrapped__", None) is RendererBase.draw_image:
        return  # matplotlib's measuring pass: the renderer's draw methods are no-ops named after RendererBase's
    AxesImage.draw(image, renderer, *args, **kwargs)


def report_png(figure: Figure) -> tuple[str, dict] | None:
    """A figure as the inline backend's 2x PNG would show it, stored as a palette PNG: base64 text and size.

    The pixels are those of the inline backend's PNG (same drawing: tight
    bounding box, figure colours, twice the figure's dpi), taken from an
    uncompressed TIFF instead: a PNG would be deflated here only to be
    inflated again for :func:`analysis.present.images.palette_png`. None for
    a figure with transparent pixels or nothing drawn (the inline backend's
    own PNG is shown then).

    Examples
    --------
    >>> from analysis.present.chart_base import nothing_to_draw
    >>> data, size = report_png(nothing_to_draw("语料中没有出现任何词表概念。"))
    >>> data[:8], sorted(size)  # base64 of a PNG; shown at half its pixel size
    ('iVBORw0K', ['height', 'width'])
    """
    tiff = print_figure(figure, fmt="tiff", dpi=figure.dpi * 2)  # bbox_inches="tight" and figure colours, as retina
    if tiff is None:
        return None
    with PILImage.open(io.BytesIO(tiff)) as image:
        width, height = image.size
        data = palette_png(image)
    if data is None:
        return None
    return base64.b64encode(data).decode("ascii"), {"width": width // 2, "height": height // 2}


def corpus_facts(name: str, corpus: Corpus) -> dict:
    """What a header says about one corpus: name, documents, characters, years (and documents without one).

    Examples
    --------
    >>> from analysis import corpus
    >>> from analysis.config import CORPORA_DIR
    >>> f = corpus_facts("党代会报告", corpus.build(CORPORA_DIR / "cpc-congress-reports"))
    >>> f["documents"], f["years"]
    (12, [1969, 2022, 12])
    """
    facts = {"name": name, "documents": int(len(corpus.docs)), "chars": int(corpus.docs.chars.sum())}
    if len(corpus.docs) == 1:  # one document: its title, or its first line, says what it is
        title = corpus.docs["title"].iloc[0] if "title" in corpus.docs.columns else None
        first = corpus.paragraphs.text.iloc[0] if len(corpus.paragraphs) else ""
        facts["shown_as"] = str(title if isinstance(title, str) and title.strip() else first)[:60]
    if "year" in corpus.docs.columns:
        years = pd.to_numeric(corpus.docs["year"], errors="coerce")
        known = years.dropna()
        if len(known):
            facts["years"] = [int(known.min()), int(known.max()), int(known.nunique())]
        facts["no_year"] = int(years.isna().sum())
    return facts


def facts(namespace: Mapping[str, object], names: Sequence[str], *, title: str | None = None) -> dict:
    """The facts of a page, from the executed notebook's variables and its parameter names.

    The corpus is the first :class:`~analysis.text.corpus.Corpus` (or mapping of
    names to corpora) among the variables, named after the corpus parameter;
    the lexicon is the first :class:`~analysis.lexicon.Lexicon`.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import SAMPLE_ESSAY
    >>> ns = {"corpus_path": str(SAMPLE_ESSAY), "top_n": 5, "corp": corpus.build(SAMPLE_ESSAY),
    ...       "lex": lexicon.load()}
    >>> f = facts(ns, ["corpus_path", "top_n"])
    >>> f["corpora"][0]["name"], f["corpora"][0]["documents"], f["parameters"]
    ('000_66efea22227603e2.txt', 1, [['top_n', '5']])
    >>> f["corpora"][0]["shown_as"]
    '基层党建引领社区治理实践偏差与破解路径'
    """
    found_corpus = next((v for v in namespace.values() if isinstance(v, Corpus)
                         or (isinstance(v, Mapping) and v and all(isinstance(c, Corpus) for c in v.values()))), None)
    given = next((namespace[n] for n in CORPUS_PARAMETERS if n in names and n in namespace), None)
    corpora: list[dict] = []
    if isinstance(found_corpus, Corpus):
        name = shown_path(given) if isinstance(given, (str, Path)) else "语料"
        corpora.append(corpus_facts(Path(name).name or name, found_corpus))
    elif isinstance(found_corpus, Mapping):
        corpora.extend(corpus_facts(str(k), c) for k, c in found_corpus.items())
    lex = next((v for v in namespace.values() if isinstance(v, Lexicon)), None)
    lexicon = None
    if lex is not None:
        lexicon = {"name": lex.name or "lexicon", "version": lex.version or "", "concepts": int(len(lex.concepts)),
                   "sha256": lex.sha256[:12]}
    shown = []
    for name in names:
        if name in CORPUS_PARAMETERS or name in LEXICON_PARAMETERS or name not in namespace:
            continue
        value = namespace[name]
        if value in ({}, [], None):
            continue
        shown.append([name, _parameter_text(value)])
    return {"title": title, "corpora": corpora, "lexicon": lexicon, "parameters": shown, "created": created()}


def _parameter_text(value: object) -> str:
    if isinstance(value, Mapping):
        return "，".join(f"{k} = {_parameter_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    if isinstance(value, str) and ("/" in value or "\\" in value) and Path(value).exists():
        return shown_path(value)  # a file the notebook reads (a codebook ...): no folders of this machine
    if isinstance(value, str):
        return f"“{without_local_paths(value)}”" if value else "（空）"
    return str(value)


def display_facts(namespace: Mapping[str, object], names: Sequence[str], *, title: str | None = None) -> None:
    """Display :func:`facts` as data the report machinery reads (the cell is not shown on the page)."""
    display({FACTS_MIME: facts(namespace, names, title=title)}, raw=True)


def figure_alt(figure) -> str:
    """Alt text for a chart, from what the figure says: its title, axes, legend and how many marks it draws.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar(["协商民主", "社区治理"], [3, 5]); _ = ax.set_title("出现次数"); _ = ax.set_ylabel("次数")
    >>> figure_alt(fig)
    '图表：出现次数。纵轴：次数。条形 2 个：协商民主、社区治理。'
    >>> plt.close(fig)
    """
    if getattr(figure, "alt_text", None):  # the chart said what it shows
        return str(figure.alt_text)
    parts = []
    suptitle = getattr(figure, "_suptitle", None)
    titles = [t for t in ([suptitle.get_text()] if suptitle is not None else []) if t]
    axes = [ax for ax in figure.get_axes() if ax.get_label() != "<colorbar>"]
    titles += [ax.get_title(loc) for ax in axes for loc in ("left", "center", "right") if ax.get_title(loc)]
    parts.append("图表：" + "；".join(dict.fromkeys(titles)) if titles else "图表")
    first = axes[0] if axes else None
    if first is not None:
        if first.get_xlabel():
            parts.append(f"横轴：{first.get_xlabel()}")
        if first.get_ylabel():
            parts.append(f"纵轴：{first.get_ylabel()}")
        legend = first.get_legend()
        if legend is not None:
            entries = [t.get_text() for t in legend.get_texts() if t.get_text()]
            if entries:
                parts.append("图例：" + "、".join(entries[:12]))
        bars = [p for p in first.patches if p.get_width() and p.get_height()] if first.containers else []
        ticks = [t.get_text() for t in (first.get_yticklabels() if bars and _horizontal(first) else
                                         first.get_xticklabels()) if t.get_text()]
        if bars:
            parts.append(f"条形 {len(bars)} 个" + (f"：{'、'.join(ticks[:20])}" if ticks else ""))
        elif [line for line in first.get_lines() if len(line.get_xdata()) > 2]:
            parts.append(f"折线 {len([line for line in first.get_lines() if len(line.get_xdata()) > 2])} 条")
    if len(axes) > 1:
        parts.append(f"共 {len(axes)} 个子图")
    return "。".join(parts) + "。"


def _horizontal(ax) -> bool:
    patches = [p for p in ax.patches if p.get_height() and p.get_width()]
    return bool(patches) and all(abs(p.get_x()) < 1e-9 for p in patches)


def strip_outputs(model: dict, **_: object) -> None:
    """Jupyter's ``pre_save_hook``: a notebook is saved without outputs or execution counts (as the project keeps them).

    The project's ``jupyter_server_config.py`` sets it, so a teacher who runs
    and saves a notebook in JupyterLab (``python3 tasks.py lab``) stores it as
    the suite expects; the outputs stay on screen until the notebook is closed.

    Examples
    --------
    >>> model = {"type": "notebook", "content": {"cells": [{"cell_type": "code", "outputs": [{"text": "x"}],
    ...                                                       "execution_count": 3, "source": "1"}]}}
    >>> strip_outputs(model)
    >>> model["content"]["cells"][0]["outputs"], model["content"]["cells"][0]["execution_count"]
    ([], None)
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), Mapping):
        return
    for cell in model["content"].get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
