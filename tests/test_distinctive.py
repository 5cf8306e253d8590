"""Distinctive words: TF-IDF by the documented formula."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import corpus, distinctive
from analysis.errors import InputError
from analysis.lexicon import from_terms
from analysis.measure.segment import Segmenter


def test_tfidf_matches_the_formula():
    counts = pd.DataFrame({"doc": ["甲", "甲", "甲", "乙", "乙", "丙"],
                           "word": ["改革", "开放", "创新", "改革", "斗争", "改革"],
                           "count": [4, 3, 1, 2, 2, 5]})
    table = distinctive.tfidf(counts).set_index(["doc", "word"])
    assert table.loc[("甲", "开放"), "tfidf"] == pytest.approx(round(3 / 8 * math.log(3 / 1), 4))
    assert table.loc[("乙", "斗争"), "tfidf"] == pytest.approx(round(2 / 4 * math.log(3 / 1), 4))
    assert table.loc[("甲", "改革"), "tfidf"] == 0.0          # in every document
    assert table.loc[("甲", "改革"), "docs"] == 3
    assert table.loc["甲"]["rank"].to_dict() == {"开放": 1, "创新": 2, "改革": 3}


def test_words_by_doc_ranks_each_documents_own_words(tmp_path):
    (tmp_path / "a.txt").write_text("改革。改革。开放。开放。开放。创新。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("改革。斗争。斗争。", encoding="utf-8")
    seg = Segmenter(from_terms({w: [w] for w in ["改革", "开放", "创新", "斗争"]}))
    table = distinctive.words_by_doc(corpus.build(tmp_path), seg, stopwords=frozenset(), top=2)
    assert list(table.columns) == distinctive.DISTINCTIVE_COLUMNS
    assert table[["doc", "word", "count", "rank"]].values.tolist() == [
        ["a", "开放", 3, 1], ["a", "改革", 2, 2], ["b", "斗争", 2, 1]]   # 创新 once: below min_count
    assert table.set_index(["doc", "word"]).loc[("a", "开放"), "tfidf"] == pytest.approx(round(3 / 6 * math.log(2), 4))


def test_one_document_is_an_error(sample_corpus, sample_lexicon):
    with pytest.raises(InputError, match="at least two documents"):
        distinctive.words_by_doc(sample_corpus, Segmenter(sample_lexicon))
