"""Segmentation keeps lexicon terms whole, owns its tokenizer, and drops stopwords and punctuation."""

from __future__ import annotations

import jieba

from analysis import lexicon, words
from analysis.measure.segment import Segmenter, plain_split, sentences
from tests.conftest import paragraphs


def test_plain_jieba_splits_the_governance_terms():
    # The pitfall this project exists for: plain jieba never yields these tokens.
    assert plain_split("党建引领") == "党建/引领"
    assert plain_split("协商民主") == "协商/民主"
    assert plain_split("社区治理") == "社区/治理"


def test_lexicon_terms_stay_whole(sample_lexicon):
    seg = Segmenter(sample_lexicon)
    tokens = seg.cut("坚持党建引领，推进基层协商民主和社区治理")
    assert {"党建引领", "基层协商民主", "社区治理"} <= set(tokens)
    assert "".join(tokens) == "坚持党建引领，推进基层协商民主和社区治理"


def test_terms_jieba_cannot_keep_whole_are_tokens_too():
    seg = Segmenter(lexicon.from_terms({"数字": ["5G", "互联网+"]}))
    assert "5G" in seg.cut("建设5G基站") and "互联网+" in seg.cut("推动互联网+政务服务")


def test_segmenter_does_not_touch_the_global_jieba_dictionary(sample_lexicon):
    before = jieba.lcut("党建引领社区治理")
    Segmenter(sample_lexicon).cut("党建引领社区治理")
    assert jieba.lcut("党建引领社区治理") == before == ["党建", "引领", "社区", "治理"]


def test_word_frequencies_drop_stopwords_punctuation_and_numbers(sample_corpus, sample_lexicon):
    table = words.frequencies(sample_corpus, Segmenter(sample_lexicon))
    vocab = set(table.word)
    assert "社区治理" in vocab and "的" not in vocab and "，" not in vocab and "," not in vocab
    assert not any(w.isdigit() for w in vocab)
    assert list(table.columns) == ["word", "count", "docs"]
    assert table.set_index("word").loc["社区治理", "count"] == 23  # the concept count: the lexicon term is whole


def test_lexicon_terms_are_never_dropped_as_stopwords():
    from analysis import corpus

    corp = corpus.from_documents([corpus.Document("d", "我们推进协商民主", "d.txt", "utf-8", "")])
    table = words.frequencies(corp, Segmenter(lexicon.from_terms({"x": ["我们"]})))
    assert "我们" in set(table.word)


def test_sentences_split_at_sentence_punctuation_with_offsets():
    table = sentences(paragraphs("推进协商民主。加强“社区治理！”完善机制；好"))
    assert table.text.tolist() == ["推进协商民主。", "加强“社区治理！”", "完善机制；", "好"]
    assert table.start.tolist() == [0, 7, 16, 21]


def test_word_tally_folded_many_times_equals_plain_counting(monkeypatch):
    # Documents' words summed in several folds (a tiny fold size) give the counts and document frequencies
    # of plain Counters, per group, a missing group included; order: group, count (highest first), word.
    import math
    from collections import Counter

    import pandas as pd

    from analysis.measure.words import _Tally

    monkeypatch.setattr(_Tally, "FOLD_EVERY", 3)
    monkeypatch.setattr(_Tally, "FOLD_MAX", 5)
    documents = [(2019, {"治理": 2, "社区": 1}), (2020, {"治理": 1}), (math.nan, {"协商": 4, "治理": 1}),
                 (2019, {"社区": 3, "党建": 1, "治理": 1}), (2020, {"党建": 2, "社区": 2}), (math.nan, {"治理": 2})]
    tally = _Tally()
    for group, found in documents:
        tally.add(group, found)
    table = tally.table("year", None)
    counts, docs = Counter(), Counter()
    for group, found in documents:
        key = "missing" if isinstance(group, float) else group
        for word, n in found.items():
            counts[key, word] += n
            docs[key, word] += 1
    expected = sorted(((g, w, n, docs[g, w]) for (g, w), n in counts.items()),
                      key=lambda r: (math.inf if r[0] == "missing" else r[0], -r[2], r[1]))
    got = [("missing" if pd.isna(g) else g, w, n, d) for g, w, n, d in table.itertuples(index=False)]
    assert got == expected
