"""Every engine gives exactly the one-process results: corpus, counts and word frequencies."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import clean, cli, corpus, count, lexicon, match, words
from analysis.chars import HAN, SPACE_RUN
from analysis.config import CORPORA_DIR, LEXICON_DIR, SAMPLE_DIR, Settings
from analysis.engine import pool
from analysis.engine.progress import progress_bar
from analysis.errors import AnalysisError
from analysis.measure.segment import Segmenter
from analysis.text.han_spaces import join_han_spaces_text
from tests.conftest import write

BUNDLED = [CORPORA_DIR / "gov-work-reports", CORPORA_DIR / "cpc-congress-reports", SAMPLE_DIR]


@pytest.fixture(scope="module")
def governance():
    return lexicon.load()


def reference_table(paths, lex, *, level="concept", by=None, **options):
    corp = corpus.build(paths, **options)
    hits = match.find(corp.paragraphs, lex)
    return (count.concepts if level == "concept" else count.terms)(hits, corp, lex, by=by), corp


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("level, by", [("concept", None), ("term", "year"), ("concept", "doc")])
def test_counts_equal_the_one_process_pipeline_on_the_bundled_corpora(governance, jobs, level, by):
    paths = BUNDLED[:2] if by == "year" else BUNDLED
    expected, expected_corpus = reference_table(paths, governance, level=level, by=by)
    table, corp = count.from_paths(paths, governance, level=level, by=by, jobs=jobs, progress=False)
    pd.testing.assert_frame_equal(table, expected)
    pd.testing.assert_frame_equal(corp.docs, expected_corpus.docs)
    assert corp.paragraphs is None  # one pass: the text never comes back to this process
    pd.testing.assert_frame_equal(corp.report, expected_corpus.report)
    pd.testing.assert_frame_equal(corp.document_facts(), expected_corpus.document_facts())
    assert corp.notices() == expected_corpus.notices()


def test_worker_processes_are_used_for_large_inputs(tmp_path, governance, monkeypatch):
    monkeypatch.setattr(pool, "CHARS_PER_WORKER", 1)  # force the pool on a small input
    expected, _ = reference_table(BUNDLED[1], governance)
    table, _ = count.from_paths(BUNDLED[1], governance, jobs=2, progress=False)
    pd.testing.assert_frame_equal(table, expected)


def test_hand_counted_nested_variant_counts_once(tmp_path):
    # 基层协商民主 contains 协商民主: the concept counts 2 spans, the term 协商民主 occurs 2 times,
    # once standalone; the duplicate third line is removed.
    write(tmp_path / "a.txt", "推进基层协商民主。\n协商民主是好的。\n协商民主是好的。\n")
    lex = lexicon.from_terms({"协商民主": ["协商民主", "基层协商民主"]})
    concepts, _ = count.from_paths(tmp_path, lex, jobs=1)
    assert concepts[["concept", "count", "docs"]].values.tolist() == [["协商民主", 2, 1]]
    terms, _ = count.from_paths(tmp_path, lex, level="term", jobs=1)
    assert terms.set_index("term").loc["协商民主", ["count", "standalone"]].tolist() == [2, 1]
    kept, _ = count.from_paths(tmp_path, lex, jobs=1, keep_duplicates=True)
    assert kept["count"].tolist() == [3]


def test_empty_and_messy_documents_match_the_reference(tmp_path, governance):
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "crlf.txt", "一、社区 治理\r\n党建引领\r\n\r\n党建引领\u2028协商　民主\r")
    write(tmp_path / "gbk.txt", "基层协商民主和社区治理", encoding="gb18030")
    expected, expected_corpus = reference_table(tmp_path, governance, by="doc")
    table, corp = count.from_paths(tmp_path, governance, by="doc", jobs=2, progress=False)
    pd.testing.assert_frame_equal(table, expected)
    pd.testing.assert_frame_equal(corp.report, expected_corpus.report)
    pd.testing.assert_frame_equal(corp.skipped, expected_corpus.skipped)


PARAS = st.lists(st.text(alphabet=st.sampled_from(list("党建引领协商民主社区治理基层，。 \t\u3000\r\n")), max_size=40),
                 min_size=1, max_size=5)
TERMS = st.lists(st.text(alphabet=st.sampled_from(list("党建引领协商民主社区治理基层")), min_size=1, max_size=4),
                 min_size=1, max_size=6, unique=True)


@settings(max_examples=100, deadline=None)
@given(PARAS, TERMS, st.booleans())
def test_term_counts_equal_match_find_on_random_texts(paras, terms, dedupe):
    concepts = {"c0": terms[::2]}
    if terms[1::2]:
        concepts["c1"] = terms[1::2]
    lex = lexicon.from_terms(concepts)
    text = "\n".join(paras)
    doc = corpus.Document("d", text if text.strip() else "空", "d.txt", "utf-8", "")
    options = corpus.CleanOptions(dedupe=dedupe)
    corp = corpus.from_documents([doc], options)
    expected = count.terms(match.find(corp.paragraphs, lex), corp, lex)
    vector = lexicon.Matcher(lex).document_counts(corp.paragraphs.text.tolist())
    counted = match.TermCounts.from_documents(["d"], [vector], lex)
    pd.testing.assert_frame_equal(counted.table, match.TermCounts.from_hits(match.find(corp.paragraphs, lex), lex).table)
    pd.testing.assert_frame_equal(count.terms(counted, corp, lex), expected)
    pd.testing.assert_frame_equal(count.concepts(counted, corp, lex),
                                  count.concepts(match.find(corp.paragraphs, lex), corp, lex))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("社区治理ab1 \t\u3000\u00a0\u2003\u200b\n，😀𠀀㐀")), max_size=40))
def test_vectorised_han_space_removal_equals_the_regex(text):
    rule = re.compile(f"(?<=[{HAN}]){SPACE_RUN}(?=[{HAN}])")
    assert join_han_spaces_text(text) == rule.subn("", text) == clean.join_han_spaces(text)


@pytest.mark.parametrize("jobs", [1, 2])
def test_word_frequencies_in_workers_equal_one_process(governance, jobs, monkeypatch):
    corp = corpus.build(BUNDLED[1])
    seg, stop = Segmenter(governance), words.stopword_set()
    expected = words.frequencies(corp, seg, stopwords=stop, by="year", jobs=1, cache=False)
    monkeypatch.setattr(pool, "CHARS_PER_WORKER", 1)
    monkeypatch.setattr(words, "BATCH_CHARS", 50_000)  # big documents cut into several chunks
    got = words.frequencies(corp, seg, stopwords=stop, by="year", jobs=jobs, cache=False)
    pd.testing.assert_frame_equal(got, expected)
    assert got.query("year == 2022").set_index("word").loc["全过程人民民主", "docs"] == 1


def test_jobs_below_one_is_a_user_error(capsys):
    with pytest.raises(AnalysisError, match="at least 1") as raised:
        Settings(jobs=0)
    assert raised.value.parameter == "jobs"
    assert cli.main(["count", str(SAMPLE_DIR), "--jobs", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: jobs must be a whole number of at least 1") and err.rstrip().endswith("(--jobs)")


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("by", [None, "year", "doc"])
def test_one_pass_words_equal_the_corpus_path(governance, monkeypatch, tmp_path, jobs, by):
    monkeypatch.setenv("ZHGOV_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pool, "CHARS_PER_WORKER", 1)  # force the worker pool
    paths = BUNDLED[:2]
    seg, stop = Segmenter(governance), words.stopword_set()
    expected = words.frequencies(corpus.build(paths), seg, stopwords=stop, by=by, jobs=1, cache=False)
    for _ in range(2):  # cold, then every document from the cache
        table, corp = words.from_paths(paths, seg, stopwords=stop, by=by, jobs=jobs, progress=False)
        pd.testing.assert_frame_equal(table, expected)
    assert corp.paragraphs is None and len(corp.docs) == 57 + 12


@pytest.mark.parametrize("encoding, newline", [("gb18030", "\n"), ("utf-8-sig", "\r\n"), ("utf-16", "\n")])
def test_a_big_file_read_in_pieces_gives_what_the_whole_file_gives(governance, monkeypatch, tmp_path, encoding, newline):
    # A table of contents (whose entries recur only at the end), duplicates, spaces inside words and
    # the congress reports, in pieces of 5,000 bytes: the corpus, counts and words equal the whole file's.
    body = "\n".join(p.read_text(encoding="utf-8") for p in sorted((CORPORA_DIR / "cpc-congress-reports").glob("*.txt")))
    text = f"目录\n一、总论\n二、分论\n三、结论\n社区 治理\n{body}\n一、总论\n社区 治理\n二、分论\n三、结论\n"
    (tmp_path / "big.txt").write_bytes(text.replace("\n", newline).encode(encoding))
    seg = Segmenter(governance)
    whole_corpus = corpus.build(tmp_path)
    whole_terms, _ = count.from_paths(tmp_path, governance, level="term", jobs=1)
    whole_words, _ = words.from_paths(tmp_path, seg, jobs=1, cache=False)
    assert int(whole_corpus.report.query("step == 'contents'").changed.sum()) == 4
    monkeypatch.setattr(corpus, "READ_IN_PIECES_ABOVE", 1000)
    monkeypatch.setattr(corpus, "PIECE_BYTES", 5000)
    calls = []
    read_in_pieces = corpus._clean_in_pieces
    monkeypatch.setattr(corpus, "_clean_in_pieces", lambda *a: calls.append(a) or read_in_pieces(*a))
    pieces_corpus = corpus.build(tmp_path)
    assert len(calls) == 1
    for name in ("docs", "paragraphs", "report"):
        pd.testing.assert_frame_equal(getattr(pieces_corpus, name), getattr(whole_corpus, name))
    pd.testing.assert_frame_equal(pieces_corpus.document_facts(), whole_corpus.document_facts())
    pd.testing.assert_frame_equal(count.from_paths(tmp_path, governance, level="term", jobs=1)[0], whole_terms)
    pd.testing.assert_frame_equal(words.from_paths(tmp_path, seg, jobs=1, cache=False)[0], whole_words)


def test_cli_count_and_words_take_the_new_options(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHGOV_CACHE_DIR", str(tmp_path))
    lex = str(LEXICON_DIR / "sample-concepts.csv")
    assert cli.main(["count", str(SAMPLE_DIR), "--lexicon", lex, "--jobs", "2", "-q"]) == 0
    out = capsys.readouterr().out
    assert "社区治理,基层治理与社区治理,23" in out or re.search(r"社区治理,[^,]*,23,", out)
    outputs = []
    for backend in ("jieba", "rjieba"):
        assert cli.main(["words", str(SAMPLE_DIR), "--lexicon", lex, "--segmenter", backend, "--top", "3", "-q"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "社区治理,23,1" in outputs[0].splitlines()  # the term whole, as counted
    assert cli.main(["count", str(SAMPLE_DIR), "--scheduler", "tcp://x:1"]) == 2
    assert "needs the dask engine (--scheduler)" in capsys.readouterr().err


def test_progress_bar_is_silent_when_not_asked(capsys):
    bar = progress_bar(total=10, desc="x", progress=False)
    bar.update(10)
    bar.close()
    assert capsys.readouterr().err == ""


def test_every_engine_runs_the_same_function_on_its_state():
    def scale(task, state):
        return task * state

    local = sorted(pool.LocalExecutor(jobs=1).map(scale, [1, 2, 3], sizes=[1, 1, 1], state=10, desc="x"))
    assert local == [10, 20, 30]


def _blocked_signals(task, state):
    import signal

    return sorted(signal.pthread_sigmask(signal.SIG_BLOCK, []))


@pytest.mark.skipif(not hasattr(__import__("signal"), "pthread_sigmask"), reason="POSIX signal masks")
def test_ctrl_c_arriving_while_workers_are_forked_is_raised_after_not_lost(monkeypatch):
    # A KeyboardInterrupt raised inside os.fork's after-fork hooks is dropped by Python, so Ctrl-C is held
    # back while the workers start and raised when they exist; the workers take Ctrl-C again themselves.
    import os
    import signal

    with pytest.raises(KeyboardInterrupt):
        with pool._interrupts_held() as held:
            assert held
            os.kill(os.getpid(), signal.SIGINT)  # arrives now, as during a fork
            reached = True  # not raised inside the held section
    assert reached
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # the mask is restored
    monkeypatch.setattr(pool, "CHARS_PER_WORKER", 1)
    masks = list(pool.LocalExecutor(jobs=2, progress=False).map(_blocked_signals, [1, 2, 3, 4], sizes=[1] * 4,
                                                                 state=None, desc="x"))
    assert len(masks) == 4 and all(signal.SIGINT not in mask for mask in masks)
