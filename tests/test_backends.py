"""The accelerated segmenter (jieba-rs) gives jieba's own tokens and word frequencies."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import corpus, lexicon, words
from analysis.config import CORPORA_DIR, SAMPLE_DIR
from analysis.errors import AnalysisError
from analysis.measure.segment import BACKENDS, DEFAULT_BACKEND, Segmenter


@pytest.fixture(scope="module")
def bundled():
    return corpus.build([CORPORA_DIR / "gov-work-reports", CORPORA_DIR / "cpc-congress-reports", SAMPLE_DIR])


@pytest.fixture(scope="module")
def governance():
    return lexicon.load()


def test_both_backends_exist_and_the_fast_one_is_the_default():
    assert set(BACKENDS) == {"jieba", "rjieba"} and DEFAULT_BACKEND == "rjieba"
    with pytest.raises(AnalysisError, match="unknown segmentation backend"):
        Segmenter(backend="thulac")


def test_identical_tokens_on_every_paragraph_of_the_bundled_corpora(bundled, governance):
    fast, reference = Segmenter(governance, backend="rjieba"), Segmenter(governance, backend="jieba")
    differing = [p for p in bundled.paragraphs.text if fast.cut(p) != reference.cut(p)]
    assert len(bundled.paragraphs) > 7000 and differing == []


def test_identical_word_frequencies_on_the_bundled_corpora(bundled, governance):
    stop = words.stopword_set()
    fast = words.frequencies(bundled, Segmenter(governance, backend="rjieba"), stopwords=stop, jobs=1, cache=False)
    reference = words.frequencies(bundled, Segmenter(governance, backend="jieba"), stopwords=stop, jobs=1, cache=False)
    assert len(reference) > 20000
    assert fast.equals(reference)


@pytest.mark.parametrize("text, jieba_tokens", [
    # jieba-rs alone would keep these whole (HMM on); the adapter splits them as jieba does
    ("新冠COVID-19疫情", ["新冠", "COVID", "-", "19", "疫情"]),
    ("实施2011-2020年", ["实施", "2011", "-", "2020", "年"]),
    ("电子e-mail地址", ["电子", "e", "-", "mail", "地址"]),
    # jieba-rs reads Extension A / U+9FD6.. characters as Han, jieba does not
    ("社区._鿠治理", ["社区", "._", "鿠", "治理"]),
    ("㐀+引", ["㐀", "+", "引"]),
])
def test_known_differences_of_jieba_rs_are_corrected(text, jieba_tokens):
    assert Segmenter(backend="jieba").cut(text) == jieba_tokens
    assert Segmenter(backend="rjieba").cut(text) == jieba_tokens


ALPHABET = st.sampled_from(list("社区治理党建引领协商民主我们的了是中国人民") + list("aZ09x-_.%+#&，。 \t\u3000（）:/@")
                           + ["鿠", "㐀", "豈", "ß", "😀", "２"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=16), st.booleans())
def test_identical_tokens_on_random_mixed_text(text, hmm):
    assert Segmenter(backend="rjieba", hmm=hmm).cut(text) == Segmenter(backend="jieba", hmm=hmm).cut(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, min_size=0, max_size=12), min_size=1, max_size=5), st.booleans())
def test_counts_equal_counting_cut_for_both_backends(texts, hmm):
    lex = lexicon.from_terms({"党建引领": ["党建引领"], "协商民主": ["协商民主", "基层协商民主"]})
    for backend in BACKENDS:
        seg = Segmenter(lex, backend=backend, hmm=hmm)
        expected = Counter(t for text in texts for t in seg.cut(text))
        expected.pop("\n", None)
        assert seg.counts(texts) == expected
