"""Segmentation results are cached per user: a second run does not segment again."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import cache, cli, corpus, lexicon, words
from analysis.config import LEXICON_DIR, SAMPLE_ESSAY
from analysis.measure.segment import Segmenter


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHGOV_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture()
def counted_calls(monkeypatch):
    calls = []
    original = Segmenter.counts

    def counting(self, texts):
        texts = list(texts)
        calls.append(len(texts))
        return original(self, texts)

    monkeypatch.setattr(Segmenter, "counts", counting)
    return calls


def test_second_run_reads_the_cache_instead_of_segmenting(counted_calls):
    corp = corpus.build(SAMPLE_ESSAY)
    seg = Segmenter(lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    first = words.frequencies(corp, seg, jobs=1)
    assert counted_calls == [9]  # the essay's 9 cleaned paragraphs, segmented once
    second = words.frequencies(corp, seg, jobs=1)
    assert counted_calls == [9]  # not segmented again
    pd.testing.assert_frame_equal(first, second)
    assert cache.info()["entries"] == 1


def test_a_different_stopword_list_lexicon_or_backend_is_a_different_entry(counted_calls):
    corp = corpus.build(SAMPLE_ESSAY)
    lex = lexicon.load(LEXICON_DIR / "sample-concepts.csv")
    words.frequencies(corp, Segmenter(lex), jobs=1)
    words.frequencies(corp, Segmenter(lex), stopwords=words.stopword_set({"社区"}), jobs=1)
    words.frequencies(corp, Segmenter(lexicon.from_terms({"社区治理": ["社区治理"]})), jobs=1)
    words.frequencies(corp, Segmenter(lex, backend="jieba"), jobs=1)
    assert len(counted_calls) == 4 and cache.info()["entries"] == 4
    assert "社区" not in set(words.frequencies(corp, Segmenter(lex), stopwords=words.stopword_set({"社区"}), jobs=1).word)


def test_changed_text_is_segmented_again(counted_calls, tmp_path):
    seg = Segmenter(lexicon.from_terms({"党建引领": ["党建引领"]}))
    (tmp_path / "a.txt").write_text("党建引领社区治理", encoding="utf-8")
    words.frequencies(corpus.build(tmp_path / "a.txt"), seg, jobs=1)
    (tmp_path / "a.txt").write_text("党建引领基层治理", encoding="utf-8")
    table = words.frequencies(corpus.build(tmp_path / "a.txt"), seg, jobs=1)
    assert len(counted_calls) == 2 and "基层" in set(table.word)


def test_no_cache_option_neither_reads_nor_writes(counted_calls):
    corp = corpus.build(SAMPLE_ESSAY)
    seg = Segmenter()
    words.frequencies(corp, seg, jobs=1, cache=False)
    words.frequencies(corp, seg, jobs=1, cache=False)
    assert len(counted_calls) == 2 and cache.info()["entries"] == 0


def test_cli_cache_info_and_clear(capsys, private_cache):
    assert cli.main(["words", str(SAMPLE_ESSAY), "-q", "--jobs", "1"]) == 0
    capsys.readouterr()
    assert cli.main(["cache", "--info"]) == 0
    out = capsys.readouterr().out
    assert str(private_cache) in out and "documents: 1" in out
    assert cli.main(["cache", "--clear"]) == 0
    assert "1 document(s)" in capsys.readouterr().err
    assert cache.info()["entries"] == 0 and not cache.location().exists()


def test_the_cache_lives_in_the_per_user_directory_not_tmp(monkeypatch):
    monkeypatch.delenv("ZHGOV_CACHE_DIR")
    from analysis.config import cache_dir

    assert cache.location().parent == cache_dir()
    assert "zhgov-analysis" in str(cache.location())


def test_a_damaged_cache_file_means_working_without_it_with_one_notice(private_cache, capsys):
    private_cache.mkdir(parents=True, exist_ok=True)
    (private_cache / cache.FILE_NAME).write_bytes(b"this is not a database" * 100)
    assert cli.main(["words", str(SAMPLE_ESSAY), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert err.count("working without the segmentation cache") == 1 and "cache --clear" in err


def test_one_pass_words_share_the_cache_with_the_corpus_path(counted_calls):
    # words.from_paths looks entries up in the worker that cleaned the document; the keys are the
    # same as those of words.frequencies on a built corpus, so each path finds what the other wrote.
    seg = Segmenter(lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    expected = words.frequencies(corpus.build(SAMPLE_ESSAY), seg, jobs=1)
    assert counted_calls == [9]
    table, corp = words.from_paths(SAMPLE_ESSAY, seg, jobs=1)
    assert counted_calls == [9]  # found in the cache, not segmented again
    pd.testing.assert_frame_equal(table, expected)
    assert corp.paragraphs is None


def test_one_pass_words_write_the_cache_and_repair_a_damaged_entry(counted_calls, capsys):
    import sqlite3

    seg = Segmenter(lexicon.load(LEXICON_DIR / "sample-concepts.csv"))
    first, _ = words.from_paths(SAMPLE_ESSAY, seg, jobs=1)
    assert counted_calls == [9] and cache.info()["entries"] == 1
    with sqlite3.connect(cache.location()) as db:
        db.execute("UPDATE counts SET words = '[1, 2, 3]'")
    with pytest.warns(UserWarning, match="1 damaged cache entr"):
        second, _ = words.from_paths(SAMPLE_ESSAY, seg, jobs=1)
    assert counted_calls == [9, 9]  # segmented again
    pd.testing.assert_frame_equal(first, second)
    third, _ = words.from_paths(SAMPLE_ESSAY, seg, jobs=1)
    assert counted_calls == [9, 9]  # the entry was rewritten
    pd.testing.assert_frame_equal(first, third)
