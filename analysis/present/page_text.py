"""The words of a report page's header: what the page was run on as sentences, and paths as a page may show them.

Used on both sides of a report run: the notebook's kernel (:mod:`analysis.present.page`
gathers the facts) and the process that writes the pages (:mod:`analysis.present.report`
puts the header in). Nothing here needs pandas, matplotlib or IPython.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from analysis.config import PROJECT_DIR
from analysis.present.labels import PARAMETER_LABELS

#: Set in the kernels of ``python -m analysis report``: pages carry their own font subset there.
REPORT_RUN = "ZHGOV_REPORT_RUN"
#: MIME type of the facts a page's last (hidden) cell displays for the report machinery.
FACTS_MIME = "application/vnd.zhgov.page+json"

_ABSOLUTE = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s:;,'\"()（）]+[/\\])+(?P<name>[^\s:;,'\"()（）/\\]+)")


def shown_path(path: str | Path) -> str:
    """A path as a page may show it: relative to the project inside it, else only its last part (no machine layout).

    Examples
    --------
    >>> from analysis.config import SAMPLE_DIR
    >>> shown_path(SAMPLE_DIR), shown_path("/home/wang/研究/我的文本")
    ('data/sample', '我的文本')
    """
    try:
        return Path(path).resolve().relative_to(PROJECT_DIR).as_posix()
    except (ValueError, OSError):
        return Path(str(path).rstrip("/\\")).name or str(path)


def without_local_paths(text: str) -> str:
    """``text`` with every absolute path replaced by :func:`shown_path` of it.

    Examples
    --------
    >>> without_local_paths("/home/wang/texts/MANIFEST.csv: does not list 1 file(s)")
    'MANIFEST.csv: does not list 1 file(s)'
    """
    return _ABSOLUTE.sub(lambda m: shown_path(m.group(0)), text)


def created(stamp: str | None = None) -> str:
    """The date of a run, ISO 8601: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now (UTC).

    Examples
    --------
    >>> created("2024-05-01T00:00:00+00:00")
    '2024-05-01T00:00:00+00:00'
    """
    if stamp is not None:
        return stamp
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return _dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), _dt.timezone.utc).isoformat()
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def corpus_sentence(corpus: Mapping) -> str:
    """One corpus in one Chinese sentence, as headers and the index show it.

    Examples
    --------
    >>> corpus_sentence({"name": "mytexts", "documents": 5, "chars": 19865, "years": [2015, 2021, 3], "no_year": 2})
    'mytexts：5 篇文档，19,865 字，年份 2015–2021（3 个年份；2 篇文档没有年份）'
    """
    text = f"{corpus['name']}：{corpus['documents']:,} 篇文档，{corpus['chars']:,} 字"
    if corpus.get("shown_as"):
        text = f"{corpus['name']}（《{corpus['shown_as']}》）：{corpus['documents']:,} 篇文档，{corpus['chars']:,} 字"
    if corpus.get("years"):
        first, last, count = corpus["years"]
        text += f"，年份 {first}–{last}（{count} 个年份" if first != last else f"，年份 {first}（1 个年份"
        text += f"；{corpus['no_year']} 篇文档没有年份）" if corpus.get("no_year") else "）"
    elif corpus.get("no_year"):
        text += "，没有年份"
    return text


def lexicon_sentence(lexicon: Mapping | None) -> str:
    """The lexicon as a header shows it: name, version, concepts and hash prefix.

    Examples
    --------
    >>> lexicon_sentence({"name": "governance", "version": "1.0", "concepts": 40, "sha256": "abc"})
    'governance 1.0（40 个概念，sha256 abc）'
    """
    if not lexicon:
        return "（无）"
    version = f" {lexicon['version']}" if lexicon.get("version") else ""
    return f"{lexicon['name']}{version}（{lexicon['concepts']} 个概念，sha256 {lexicon['sha256']}）"


def parameter_sentence(parameters: Sequence[Sequence[str]]) -> str:
    """The parameters as a header lists them: Chinese meaning, name and value.

    Examples
    --------
    >>> parameter_sentence([["top_n", "20"], ["split", "“year >= 2012”"]])
    '显示条数 top_n = 20；时期划分 split = “year >= 2012”'
    """
    return "；".join(f"{PARAMETER_LABELS.get(n, '').strip()} {n} = {v}".strip() for n, v in parameters)


def header_html(facts: Mapping, *, stem: str, code: bool, toc: Sequence[tuple[str, str]] = ()) -> str:
    """The block opening a page: links, what the page was run on, and its table of contents.

    Parameters
    ----------
    facts : mapping
        From :func:`facts`.
    stem : str
        The page's file stem (``02-concept-report``), for the link to its other version.
    code : bool
        Whether this is the version with code.
    toc : sequence of (anchor, text)
        The page's section headings.

    Examples
    --------
    >>> page = header_html({"corpora": [{"name": "我的<文本>", "documents": 2, "chars": 10}], "lexicon": None,
    ...                     "parameters": [], "created": "2024-01-01T00:00:00+00:00"}, stem="02-x", code=False)
    >>> "我的&lt;文本&gt;：2 篇文档" in page, 'href="02-x.code.html"' in page, 'href="index.html"' in page
    (True, True, True)
    """
    other = (f'<a href="{html.escape(stem)}.html">阅读版（不含代码）</a>' if code
             else f'<a href="{html.escape(stem)}.code.html">含代码版 with code</a>')
    rows = []
    if facts.get("title"):
        rows.append(("报告 Report", html.escape(facts["title"])))
    corpora = facts.get("corpora") or []
    rows.append(("语料 Corpus", "<br>".join(html.escape(corpus_sentence(c)) for c in corpora) or "（无）"))
    rows.append(("词表 Lexicon", html.escape(lexicon_sentence(facts.get("lexicon")))))
    if facts.get("parameters"):
        rows.append(("参数 Parameters", html.escape(parameter_sentence(facts["parameters"]))))
    rows.append(("生成日期 Date", html.escape(str(facts.get("created", ""))[:10])))
    table = "".join(f"<tr><th scope=\"row\">{k}</th><td>{v}</td></tr>" for k, v in rows)
    contents = ""
    if toc:
        items = "".join(f'<li><a href="#{html.escape(anchor, quote=True)}">{html.escape(text)}</a></li>'
                        for anchor, text in toc)
        contents = f'<nav class="zh-toc" aria-label="目录"><strong>目录 Contents</strong><ul>{items}</ul></nav>'
    return (f'<header class="zh-header"><nav class="zh-links"><a href="index.html">← 报告目录 Index</a> · {other}</nav>'
            f'<table class="zh-facts">{table}</table>{contents}</header>')
