"""The teaching toggles: what each of the project's choices changes in a concept's count, and the text that causes it.

Four choices, each shown as two counts side by side, the naive one and the
project's, with the passage where they differ:

- **segmentation**: the concept's terms counted as words after plain jieba
  (default dictionary: 党建引领 is cut into 党建/引领, so 0), and the concept's
  count as the project counts it (terms found in the text itself); the example
  shows a passage cut by plain jieba and by the lexicon-aware
  :class:`~analysis.measure.segment.Segmenter` (terms kept whole);
- **de-duplication** (``Settings.keep_duplicates``): exact repeats of a
  paragraph counted again, or removed;
- **Han spaces** (``Settings.join_han_spaces``): 社区 治理 from a PDF left
  split, or joined;
- **Traditional → Simplified** (``Settings.simplified``): 協商民主 not found
  by a Simplified lexicon, or converted first.

The counts of the three cleaning choices are the concept's ``count`` in the
:class:`~analysis.present.explorer.model.Model` of each setting (so they are
the CLI's numbers with and without ``--keep-duplicates``, ``--keep-spaces``,
``--simplified``); every other setting stays as the user chose it.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis.config import Settings
from analysis.measure.segment import Segmenter
from analysis.present.explorer.model import Model, Models

#: Columns of :func:`lesson`.
LESSON_COLUMNS = ["toggle", "naive_label", "naive", "fixed_label", "fixed", "in_use", "example"]
#: setting -> (toggle label, naive label, naive value, fixed label, fixed value)
CLEANING = {
    "keep_duplicates": ("重复段落 de-duplication", "保留重复段落", True, "删除重复段落（默认）", False),
    "join_han_spaces": ("汉字间空格 spaces from PDF", "保留空格", False, "删除汉字间空格（默认）", True),
    "simplified": ("繁体转简体 Traditional → Simplified", "不转换（默认）", False, "转为简体后匹配", True),
}
SEGMENTATION = ("分词 segmentation", "jieba 默认分词后数词", "在文本中直接查找词条（本项目的计数）")
#: Characters of text shown on each side of the place a count changes.
AROUND = 12


def lesson(models: Models, settings: Settings, concept: str) -> pd.DataFrame:
    """The four teaching comparisons for one concept under the user's settings.

    Parameters
    ----------
    models : Models
        The models of the inputs (one per settings, each built once).
    settings : Settings
        The settings the views use now; each cleaning row flips one of them.
    concept : str
        A concept of the lexicon.

    Returns
    -------
    DataFrame
        ``toggle, naive_label, naive, fixed_label, fixed, in_use, example``:
        the choice, the naive way and its count, the project's way and its
        count, which of the two the views use now (``"naive"``/``"fixed"``),
        and the passage that makes the difference (``""`` if none in this corpus).

    Examples
    --------
    >>> from analysis.config import LEXICON_DIR, SAMPLE_ESSAY
    >>> t = lesson(Models(SAMPLE_ESSAY, LEXICON_DIR / "sample-concepts.csv"), Settings(), "党建引领")
    >>> t[["naive", "fixed", "in_use"]].values.tolist()
    [[0, 4, 'fixed'], [7, 4, 'fixed'], [4, 4, 'fixed'], [4, 4, 'naive']]
    >>> t.example.iloc[0]
    '基层 / 党建 / 引领 / 社区 / 治理 / 实践 → 基层 / 党建引领 / 社区治理 / 实践'
    """
    current = models.get(settings)
    rows = [_segmentation(current, concept)]
    for name, (toggle, naive_label, naive_value, fixed_label, fixed_value) in CLEANING.items():
        naive = models.get(replace(settings, **{name: naive_value}))
        fixed = models.get(replace(settings, **{name: fixed_value}))
        rows.append((toggle, naive_label, naive.total(concept), fixed_label, fixed.total(concept),
                     "naive" if getattr(settings, name) == naive_value else "fixed", difference(naive, fixed, concept)))
    return pd.DataFrame(rows, columns=LESSON_COLUMNS)


def _segmentation(model: Model, concept: str) -> tuple:
    terms = model.lexicon.table.loc[model.lexicon.table.concept == concept, "term"].tolist()
    table = model.plain_word_counts()
    plain = int(table.loc[table.word.isin(terms), "count"].sum())
    lines = model.kwic(concept)
    example = ""
    if len(lines):
        first = lines.iloc[0]
        passage = first.left[-6:] + first.keyword + first.right[:6]
        example = " → ".join(" / ".join(s.cut(passage)) for s in (Segmenter(), Segmenter(model.lexicon)))
    return (SEGMENTATION[0], SEGMENTATION[1], plain, SEGMENTATION[2], model.total(concept), "fixed", example)


def difference(naive: Model, fixed: Model, concept: str) -> str:
    """The first source line whose count of ``concept`` differs between two models, as
    ``doc 第 N 行：naive text → fixed text`` (``（删除）`` for a paragraph the fixed model removed).

    Examples
    --------
    >>> from analysis.config import LEXICON_DIR, SAMPLE_ESSAY
    >>> models = Models(SAMPLE_ESSAY, LEXICON_DIR / "sample-concepts.csv")
    >>> difference(models.get(Settings(keep_duplicates=True)), models.get(Settings()), "党建引领")
    '000_66efea22227603e2 第 15 行：…一核多元’的结构框架下,党建引领社区治理呈现党建引领多元主体协同共治格局… → （删除）'
    """
    per_line = [_by_line(m, concept) for m in (naive, fixed)]
    both = per_line[0].merge(per_line[1], how="outer", left_index=True, right_index=True, suffixes=("_naive", "_fixed"))
    both = both.fillna({"n_naive": 0, "n_fixed": 0})
    differing = both[both.n_naive != both.n_fixed]
    if differing.empty:
        return ""
    doc, line = differing.index[0]
    row = differing.iloc[0]
    start = int(row.start_naive if row.n_naive >= row.n_fixed else row.start_fixed)
    shown = []
    for model in (naive, fixed):
        paras = model.corpus.paragraphs
        text = paras.loc[(paras.doc == doc) & (paras.line == line), "text"]
        shown.append(_window(text.iloc[0], start) if len(text) else "（删除）")
    return f"{doc} 第 {line} 行：{shown[0]} → {shown[1]}"


def _by_line(model: Model, concept: str) -> pd.DataFrame:
    """Counted occurrences of the concept per ``(doc, line)`` of the source text, with the first one's offset."""
    hits = model.hits[(model.hits.concept == concept) & model.hits.concept_hit]
    placed = hits.merge(model.corpus.paragraphs[["doc", "para", "line"]], on=["doc", "para"], how="left")
    return placed.groupby(["doc", "line"]).agg(n=("start", "size"), start=("start", "min"))


def _window(text: str, start: int) -> str:
    left = max(0, start - AROUND)
    return ("…" if left else "") + text[left:start + 2 * AROUND] + ("…" if start + 2 * AROUND < len(text) else "")
