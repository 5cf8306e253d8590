"""Provenance for reports: the records of a notebook's corpora merged, and any record as a Chinese table.

:mod:`analysis.present.provenance` collects and writes records; this module
adds what only reports show (the packages that draw them, the chart font) and
renders a record as rows ``item, value`` for the block that ends every report.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis.lexicon import Lexicon
from analysis.present import fonts, provenance
from analysis.present.labels import STEP_LABELS
from analysis.present.page_text import created as page_created
from analysis.present.page_text import shown_path, without_local_paths
from analysis.text.corpus import Corpus

#: Packages that draw or render the reports, reported beside those of :func:`analysis.present.provenance.versions`.
REPORT_PACKAGES = ("matplotlib", "wordcloud", "networkx", "mplfonts", "nbconvert", "nbclient")


def report_record(
    corpora: Corpus | Mapping[str, Corpus] | None,
    lexicon: Lexicon | None,
    *,
    parameters: Mapping[str, object] | None = None,
    created: str | None = None,
) -> dict:
    """The provenance of a notebook run: one :func:`analysis.present.provenance.collect` record per corpus, merged.

    Parameters
    ----------
    corpora : Corpus, mapping of name to Corpus, or None
        The corpus (or named corpora) the notebook analysed.
    lexicon : Lexicon, optional
        The lexicon it used.
    parameters : mapping, optional
        The notebook's parameters (recorded as options).
    created : str, optional
        Date of the run (ISO 8601). Default: the environment variable
        ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else now (UTC).

    Returns
    -------
    dict
        ``created``, ``options``, ``lexicon``, ``versions`` (with the
        report packages and the chart font added), and ``corpora``: name ->
        ``inputs``, ``documents``, ``cleaning`` of each corpus.

    Examples
    --------
    >>> from analysis import corpus, lexicon
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> rec = report_record(corpus.build(SAMPLE_ESSAY), lexicon.load(LEXICON_DIR / "sample-concepts.csv"),
    ...                         created="2024-01-01T00:00:00+00:00")
    >>> rec["corpora"]["corpus"]["cleaning"][-1]
    {'step': 'duplicates', 'changed': 7, 'documents': 1}
    """
    created = page_created(created)
    if corpora is None:
        named: dict[str, Corpus] = {}
    elif isinstance(corpora, Corpus):
        named = {"corpus": corpora}
    else:
        named = dict(corpora)
    base = provenance.collect(None, lexicon, options=dict(parameters or {}), created=created)
    base["corpora"] = {}
    for name, corp in named.items():
        record = provenance.collect(corp, None)
        base["corpora"][name] = {k: record[k] for k in ("inputs", "documents", "cleaning")}
    versions = dict(base["versions"])
    for name in REPORT_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    base["versions"] = versions
    try:
        base["font"] = without_local_paths(str(fonts.resolve_font()))  # the font, not the machine's folders
    except Exception as exc:  # the font is reported, not required, here
        base["font"] = f"(none: {exc})"
    return base


def _shown_path(path: str) -> str:
    """Paths inside the project relative to it (the same on every clone), others by their last part (no local layout)."""
    return shown_path(path)


def _shown_value(value: object) -> str:
    """A parameter value with paths shown as :func:`analysis.present.page_text.shown_path` shows them."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_shown_value(v) for v in value) + "]"
    if isinstance(value, str) and ("/" in value or "\\" in value) and Path(value).exists():
        return _shown_path(value)
    return without_local_paths(str(value))


def to_table(record: Mapping) -> pd.DataFrame:
    """A provenance record (:func:`analysis.present.provenance.collect` or :func:`report_record`) as rows ``item, value`` in Chinese, for reports.

    Examples
    --------
    >>> t = to_table({"created": "2024-01-01", "options": {"top_n": 5}, "corpora": {},
    ...                       "lexicon": {"name": "g", "version": "1", "path": "x.yaml", "sha256": "ab",
    ...                                   "concepts": 2, "terms": 3}, "versions": {"python": "3.12"}})
    >>> t.values.tolist()[:3]
    [['生成日期 date', '2024-01-01'], ['参数 parameters', 'top_n = 5'], ['词表 lexicon', 'g 1（2 个概念，3 个词条）']]
    """
    rows: list[tuple[str, str]] = [("生成日期 date", str(record.get("created", "")))]
    options = record.get("options") or {}
    if options:
        rows.append(("参数 parameters", "; ".join(f"{k} = {_shown_value(v)}" for k, v in options.items())))
    lex = record.get("lexicon")
    if lex:
        rows.append(("词表 lexicon", f"{lex['name']} {lex['version']}（{lex['concepts']} 个概念，{lex['terms']} 个词条）"))
        rows.append(("词表文件 lexicon file", f"{_shown_path(lex['path'])} sha256 {lex['sha256']}"))
    corpora = record.get("corpora") or {}
    if not corpora and record.get("documents"):  # a record of one run (collect), not of a notebook
        corpora = {"corpus": {k: record[k] for k in ("inputs", "documents", "cleaning")}}
    for name, corp in corpora.items():
        prefix = f"[{name}] " if len(corpora) > 1 else ""
        docs = corp["documents"]
        rows.append((f"{prefix}文档 documents",
                     f"给定 {docs['given']}，计入 {docs['counted']}，跳过 {len(docs['skipped'])}；共 {docs['chars']:,} 字"))
        for skipped in docs["skipped"]:
            rows.append((f"{prefix}跳过 skipped", f"{_shown_path(skipped['path'])}：{skipped['reason']}"))
        for step in corp["cleaning"]:
            rows.append((f"{prefix}清洗 cleaning",
                         f"{STEP_LABELS.get(step['step'], step['step'])}：{step['changed']:,}"
                         f"（{step['documents']} 篇文档）"))
        for item in corp["inputs"]:
            rows.append((f"{prefix}输入文件 input", f"{_shown_path(item['path'])} sha256 {item['sha256']}"))
    versions = record.get("versions") or {}
    rows.append(("软件版本 versions", "; ".join(f"{k} {v}" for k, v in versions.items() if v)))
    if record.get("font"):
        rows.append(("图表字体 chart font", str(record["font"])))
    return pd.DataFrame(rows, columns=["item", "value"])
