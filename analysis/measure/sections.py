"""Concept counts by section of a document (or by document of a corpus), with each part's characters.

Nothing here changes its input or writes files.
"""

from __future__ import annotations

import pandas as pd

from analysis.lexicon import Lexicon
from analysis.measure.groups import per_10k
from analysis.text.corpus import Corpus


def by_section(hits: pd.DataFrame, corpus: Corpus, lexicon: Lexicon, *, label_chars: int = 14) -> pd.DataFrame:
    """Concept counts per section of a single document, or per document of a corpus.

    Parameters
    ----------
    hits : DataFrame
        From ``match.find(corpus.paragraphs, lexicon)``.
    corpus : Corpus
        The corpus the hits come from.
    lexicon : Lexicon
        Every concept gets a row in every part, zeros included.
    label_chars : int, default 14
        Section titles are shortened to this many characters in ``part``.

    Returns
    -------
    DataFrame
        ``part, concept, category, count, chars, per_10k``. For one document
        ``part`` is the section's heading (``（开头）`` for the text before the
        first heading), for several documents the document id; ``part`` is
        an ordered categorical in text order. ``chars`` is the part's
        cleaned characters; ``count`` follows the counting rules of
        ``count.concepts`` (``concept_hit`` rows), so the parts add up to
        the document's count.

    Examples
    --------
    >>> from analysis import corpus, lexicon, match
    >>> from analysis.config import SAMPLE_ESSAY, LEXICON_DIR
    >>> corp = corpus.build(SAMPLE_ESSAY)
    >>> lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    >>> t = by_section(match.find(corp.paragraphs, lex), corp, lex)
    >>> t[t.concept == "党建引领"]["count"].tolist(), int(t[t.concept == "社区治理"]["count"].sum())
    ([1, 0, 0, 3, 0], 23)
    """
    paras = corpus.paragraphs
    if paras.doc.nunique() > 1:
        part_of = pd.DataFrame({"doc": paras.doc, "section": paras.section, "part": paras.doc})
    else:
        titles = paras.section_title.where(paras.section > 0, "（开头）")
        short = titles.map(lambda t: t if len(t) <= label_chars else t[: label_chars - 1] + "…")
        part_of = pd.DataFrame({"doc": paras.doc, "section": paras.section, "part": short})
    part_of = part_of.assign(chars=paras.text.str.len())
    order = list(dict.fromkeys(part_of.part))
    chars = part_of.groupby("part", sort=False).chars.sum()
    keys = part_of.drop_duplicates(["doc", "section"]).set_index(["doc", "section"]).part
    counted = hits[hits.concept_hit]
    located = pd.MultiIndex.from_arrays([counted.doc, counted.section])
    counts = (pd.DataFrame({"part": keys.reindex(located).to_numpy(), "concept": counted.concept.astype(str).to_numpy()})
              .groupby(["part", "concept"]).size())
    items = lexicon.table.drop_duplicates("concept")[["concept", "category"]]
    grid = pd.MultiIndex.from_product([order, items.concept], names=["part", "concept"])
    table = counts.reindex(grid, fill_value=0).rename("count").reset_index().merge(items, on="concept", how="left")
    table["count"] = table["count"].astype("int64")
    table["chars"] = table.part.map(chars).astype("int64")
    table["per_10k"] = per_10k(table["count"], table["chars"])
    table["part"] = pd.Categorical(table.part, categories=order, ordered=True)
    return table[["part", "concept", "category", "count", "chars", "per_10k"]]
