"""The methods paragraph of a paper, written from a provenance record, in Chinese or English.

Every number in the paragraph is read from the record
(:func:`analysis.present.provenance.collect` or
:func:`analysis.present.report_provenance.report_record`): documents,
characters, years, encodings, what each cleaning step changed, the lexicon's
name, version, date, size and hash, the rate base, the statistics with their
references, the software versions. The rules are stated in words, one
sentence each; nothing is computed again and nothing is typed in.

``python -m analysis methods PROVENANCE_FILE [--lang zh|en]`` prints
:func:`text`; notebooks call :func:`paragraph` or :func:`text` on a record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Literal

import yaml

from analysis.errors import InputError
from analysis.present.labels import STEP_LABELS, STEP_LABELS_EN

Lang = Literal["zh", "en"]
LANGS = ("zh", "en")
#: The packages named in the software sentence, in this order (those the record has).
_SOFTWARE = ("python", "pandas", "numpy", "ahocorasick_rs", "opencc")
#: Documents read from rows of a .csv/.xlsx table have the encoding "table" (the table is decoded as a whole).
_ENCODING_ZH = {"table": "表格（.csv/.xlsx）的行"}
_ENCODING_EN = {"table": "rows of a .csv/.xlsx table"}
_STEP_ZH = re.compile(r"^(?P<name>.+)（(?P<unit>.+)）$")


def read(path: str | Path) -> dict:
    """Read a provenance file (``.json``, ``.yaml`` or ``.yml``) written by ``--provenance``.

    Raises
    ------
    InputError
        If the file is missing, unreadable, or not a provenance record.

    Examples
    --------
    >>> import tempfile, os, json
    >>> p = os.path.join(tempfile.mkdtemp(), "p.json")
    >>> _ = open(p, "w", encoding="utf-8").write(json.dumps({"created": "2024-01-01", "versions": {}}))
    >>> read(p)["created"]
    '2024-01-01'
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: provenance file not found; write one with --provenance FILE "
                         "(e.g. python -m analysis count ... --provenance p.json)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as a UTF-8 provenance file ({exc}); give the file "
                         "written by --provenance") from None
    try:
        record = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        raise InputError(f"{path}: is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}; "
                         "give the file written by --provenance") from None
    if not isinstance(record, dict) or "versions" not in record:
        raise InputError(f"{path}: is not a provenance record (it has no 'versions'); give the file written "
                         "by --provenance")
    return record


def paragraph(record: Mapping, *, lang: Lang = "zh") -> str:
    """The methods paragraph: corpus, encodings, cleaning, lexicon, counting rules, segmentation, statistics, software.

    Parameters
    ----------
    record : mapping
        A provenance record (:func:`analysis.present.provenance.collect`,
        :func:`analysis.present.report_provenance.report_record`, or one read
        with :func:`read`).
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    str
        One paragraph; every number in it is a value of ``record``.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> from analysis.present import provenance
    >>> rec = provenance.collect(corpus.build(SAMPLE_ESSAY), lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    >>> "删除重复段落 7 段（涉及 1 篇文档）" in paragraph(rec)
    True
    >>> "7 duplicate paragraphs removed (in 1 document)" in paragraph(rec, lang="en")
    True
    """
    if lang not in LANGS:
        raise InputError(f"unknown language '{lang}'; choose one of {', '.join(LANGS)}", parameter="lang")
    zh = lang == "zh"
    sentences: list[str] = []
    corpora = record.get("corpora") or {}
    if not corpora and record.get("documents"):
        corpora = {"": {k: record.get(k) for k in ("documents", "cleaning")}}
    for name, corp in corpora.items():
        sentences += _corpus(name if len(corpora) > 1 else "", corp, zh)
    lexicon = record.get("lexicon")
    method = record.get("method") or {}
    if lexicon:
        sentences.append(_lexicon(lexicon, zh))
        sentences += _rules(method.get("rate_per"), zh)
    versions = record.get("versions") or {}
    if method.get("segmented"):
        backend = (record.get("options") or {}).get("segmenter") or "rjieba"
        version = versions.get(backend, "")
        if zh:
            sentences.append(f"分词使用 jieba {versions.get('jieba', '')}（{backend} {version}），"
                             "并先将词表中的每个词条固定为一个词，使其不被切开。")
        else:
            sentences.append(f"Words were segmented with jieba {versions.get('jieba', '')} ({backend} {version}), "
                             "with every lexicon term fixed as one token beforehand so that none is split.")
    statistics = method.get("statistics") or []
    if statistics:
        named = [f"{s['zh' if zh else 'en']}（{s['cite']}）" if zh else f"{s['en']} ({s['cite']})" for s in statistics]
        sentences.append(f"统计量：{'、'.join(named)}。" if zh else f"Statistics: {', '.join(named)}.")
    shown = [f"{'Python' if k == 'python' else k} {versions[k]}" for k in _SOFTWARE if versions.get(k)]
    if versions.get("analysis"):
        if zh:
            sentences.append(f"分析使用 zhgov-analysis {versions['analysis']}（{'，'.join(shown)}）。")
        else:
            sentences.append(f"The analysis used zhgov-analysis {versions['analysis']} ({', '.join(shown)}).")
    return ("" if zh else " ").join(sentences)


def references(record: Mapping, *, lang: Lang = "zh") -> list[str]:
    """The citations that go with the paragraph: software, lexicon version, statistics (full references).

    Examples
    --------
    >>> references({"citation": {"software": "S."}, "lexicon": {"citation": "L."},
    ...             "method": {"statistics": [{"full": "Dunning, T. (1993)."}]}}, lang="en")
    ['S.', 'L.', 'Dunning, T. (1993).']
    """
    found = [(record.get("citation") or {}).get("software"), (record.get("lexicon") or {}).get("citation")]
    found += [s.get("full") for s in (record.get("method") or {}).get("statistics") or []]
    return [line for line in found if line]


def text(record: Mapping, *, lang: Lang = "zh") -> str:
    """The paragraph followed by its references, as plain text (what ``python -m analysis methods`` prints).

    Examples
    --------
    >>> print(text({"versions": {"analysis": "0.1.0", "python": "3.12"}, "citation": {"software": "S."}}, lang="en"))
    The analysis used zhgov-analysis 0.1.0 (Python 3.12).
    <BLANKLINE>
    References:
    S.
    """
    body = paragraph(record, lang=lang)
    cited = references(record, lang=lang)
    if not cited:
        return body
    return body + "\n\n" + ("参考文献：" if lang == "zh" else "References:") + "\n" + "\n".join(cited)


def html(record: Mapping) -> str:
    """The methods paragraph in Chinese and in English with the references, as an escaped HTML block for reports.

    Examples
    --------
    >>> block = html({"versions": {"analysis": "0.1.0"}, "citation": {"software": "<S>"}})
    >>> block.startswith('<div class="methods">'), "&lt;S&gt;" in block, "<S>" in block
    (True, True, False)
    """
    zh, en = paragraph(record, lang="zh"), paragraph(record, lang="en")
    cited = "".join(f"<li>{escape(line)}</li>" for line in references(record))
    return ('<div class="methods">'
            '<p><strong>方法 Methods</strong>（由本次运行的来源记录生成，可直接用于论文；written from this run\'s provenance record）</p>'
            f'<p lang="zh">{escape(zh)}</p><p lang="en">{escape(en)}</p>'
            + (f"<p><strong>引用 Cite</strong></p><ol>{cited}</ol>" if cited else "")
            + "</div>")


def _corpus(name: str, corp: Mapping, zh: bool) -> list[str]:
    docs = corp.get("documents") or {}
    sentences = []
    if docs:
        skipped = len(docs.get("skipped") or [])
        years = docs.get("years")
        if zh:
            where = f"语料“{name}”" if name else "语料"
            span = f"，年份 {years['first']}–{years['last']}" if years else ""
            skip = f"；给定的 {docs['given']} 篇中有 {skipped} 篇被跳过（原因见来源记录）" if skipped else ""
            sentences.append(f"{where}共 {docs['counted']} 篇文档，清洗后 {docs['chars']:,} 字{span}{skip}。")
        else:
            where = f"The corpus '{name}'" if name else "The corpus"
            span = f", dated {years['first']}–{years['last']}" if years else ""
            skip = (f"; {skipped} of the {docs['given']} documents given were skipped (the provenance record gives the reasons)"
                    if skipped else "")
            sentences.append(f"{where} comprised {_n(docs['counted'], 'document')} "
                             f"({docs['chars']:,} characters after cleaning{span}){skip}.")
        encodings = docs.get("encodings") or []
        if encodings:
            if zh:
                sentences.append("文本编码：" + "；".join(f"{_ENCODING_ZH.get(e['encoding'], e['encoding'])}"
                                                         f"（{e['documents']} 篇）" for e in encodings) + "。")
            else:
                sentences.append("Encodings detected: " + "; ".join(
                    f"{_ENCODING_EN.get(e['encoding'], e['encoding'])} ({_n(e['documents'], 'document')})"
                    for e in encodings) + ".")
    cleaning = corp.get("cleaning") or []
    if cleaning:
        parts = []
        for step in cleaning:
            n, d = step["changed"], step["documents"]
            if zh:
                found = _STEP_ZH.match(STEP_LABELS.get(step["step"], step["step"]))
                name, unit = (found["name"], f" {found['unit']}") if found else (step["step"], "")
                parts.append(f"{name} {n:,}{unit}" + (f"（涉及 {d} 篇文档）" if n else ""))
            else:
                what = STEP_LABELS_EN.get(step["step"], step["step"] + ": {n}").format(n=f"{n:,}" if n else "no")
                parts.append(what + (f" (in {_n(d, 'document')})" if n else ""))
        sentences.append(("清洗：" + "；".join(parts) + "。") if zh else ("Cleaning: " + "; ".join(parts) + "."))
    return sentences


def _lexicon(lex: Mapping, zh: bool) -> str:
    version = lex.get("version") or ""
    date = lex.get("date") or ""
    digest = (lex.get("terms_sha256") or lex.get("sha256") or "")[:12]
    hash_name = "词条" if lex.get("terms_sha256") else "文件"
    if zh:
        about = "，".join(filter(None, [f"版本 {version}" if version else "无版本号", date]))
        return (f"概念依据词表 {lex['name']}（{about}；{lex['concepts']} 个概念，{lex['terms']} 个词条；"
                f"{hash_name} SHA-256 {digest}）计数。")
    about = ", ".join(filter(None, [f"version {version}" if version else "no version", date]))
    return (f"Concepts were counted with the lexicon {lex['name']} ({about}; {_n(lex['concepts'], 'concept')}, "
            f"{_n(lex['terms'], 'term')}; SHA-256 of the {'terms' if lex.get('terms_sha256') else 'file'} {digest}).")


def _rules(rate_per: int | None, zh: bool) -> list[str]:
    """The counting rules, one sentence each (the rate base from the record)."""
    if zh:
        rules = [
            "词条在清洗后的段落中按字符串匹配，每次出现均计入，不经分词。",
            "概念的一次出现是其任一词条匹配到的一段文字；同一概念的较短匹配若位于较长匹配之内，只计一次；"
            "不同概念互不影响，位于另一较长概念之内的概念两者都计入。",
            "复合口号以整句作为其概念的词条，因此每提及一次只计一次，其组成部分单独出现时仍计入。",
        ]
        if rate_per:
            rules.append(f"频率以每 {rate_per:,} 字出现次数表示：出现次数 ÷ 清洗后字数 × {rate_per:,}（段落间换行不计字数）。")
        return rules
    rules = [
        "Terms were matched as strings in the cleaned paragraphs, every occurrence counted, without word segmentation.",
        "A concept occurrence is a span matched by any of its terms; a match inside a longer match of the same "
        "concept was counted once, while concepts do not affect each other: a concept inside a longer, different "
        "concept counts for both.",
        "Compound slogans are terms of their concept as whole phrases, so each mention counts once, and their parts "
        "still count when they occur alone.",
    ]
    if rate_per:
        rules.append(f"Rates are occurrences per {rate_per:,} characters of cleaned text: count ÷ characters × "
                     f"{rate_per:,} (line breaks between paragraphs not counted).")
    return rules


def _n(count: int, noun: str) -> str:
    """``1 document``, ``7 documents``, with thousands separators."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
