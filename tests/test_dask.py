"""The Dask engine gives the local engine's counts and words (tested on a local in-process Dask cluster)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import cli, corpus, count, lexicon, words
from analysis.config import CORPORA_DIR, SAMPLE_DIR, Settings
from analysis.engine import dask_cluster
from analysis.errors import EngineError
from analysis.measure.segment import Segmenter

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as local:
        yield local


@pytest.mark.parametrize("level, by", [("concept", None), ("term", "year"), ("concept", "doc")])
def test_dask_counts_equal_the_local_engine(cluster, level, by):
    lex = lexicon.load()
    paths = [CORPORA_DIR / "cpc-congress-reports", CORPORA_DIR / "gov-work-reports"]
    expected, expected_corpus = count.from_paths(paths, lex, level=level, by=by, jobs=1)
    table, corp = count.from_paths(paths, lex, level=level, by=by, engine="dask",
                                   scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(table, expected)
    pd.testing.assert_frame_equal(corp.docs, expected_corpus.docs)


def test_cli_engine_dask_with_a_scheduler_address(cluster, capsys):
    assert cli.main(["count", str(SAMPLE_DIR), "-q", "--jobs", "1"]) == 0
    local = capsys.readouterr().out
    assert cli.main(["count", str(SAMPLE_DIR), "-q", "--engine", "dask", "--scheduler", cluster.scheduler_address]) == 0
    assert capsys.readouterr().out == local


@pytest.mark.parametrize("command", [["kwic", "--term", "协商民主", "--sort", "left"],
                                     ["cooccur", "--unit", "paragraph"]])
def test_kwic_and_cooccur_on_dask_equal_local(cluster, capsys, command):
    paths = [str(CORPORA_DIR / "cpc-congress-reports")]
    assert cli.main([*command, *paths, "-q", "--jobs", "1"]) == 0
    local = capsys.readouterr().out
    assert local.count("\n") > 10  # a real table, not an empty one
    assert cli.main([*command, *paths, "-q", "--engine", "dask", "--scheduler", cluster.scheduler_address]) == 0
    assert capsys.readouterr().out == local


def test_cluster_tasks_group_documents_largest_first():
    sizes = [1_000_000] * 97 + [30_000_000]  # a hundred 1 MB files and one 30 MB file (read in pieces elsewhere)
    chunks = dask_cluster._chunks(list(range(98)), sizes, threads=2)
    assert [task for chunk in chunks for task in chunk] == list(range(98))  # every task once, in order
    lengths = [len(chunk) for chunk in chunks]
    assert len(chunks) < 98 / 2 and lengths[0] > 1 and lengths[-1] == 1
    assert lengths[:-1] == sorted(lengths[:-1], reverse=True)
    held = [sum(sizes[task] for task in chunk) for chunk in chunks]
    assert max(held[:-1]) <= dask_cluster.CLUSTER_TASK_CHARS  # only a single task may be larger


def test_an_unreachable_scheduler_is_a_user_error(capsys):
    assert cli.main(["count", str(SAMPLE_DIR), "-q", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


def test_missing_dask_is_a_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(EngineError, match="pip install"):
        list(dask_cluster.DaskExecutor().map(len, ["a"], sizes=[1], state=None, desc="x"))


def test_dask_word_frequencies_equal_local(cluster):
    corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    seg, stop = Segmenter(lexicon.load()), words.stopword_set()
    expected = words.frequencies(corp, seg, stopwords=stop, by="year", jobs=1, cache=False)
    dask = Settings(engine="dask", scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(words.frequencies(corp, seg, stopwords=stop, by="year", cache=False,
                                                    settings=dask), expected)


def test_dask_one_pass_words_and_counts_equal_local(cluster, tmp_path, monkeypatch):
    # Tasks carry file paths, the workers read and clean, results are counts: the same tables as locally.
    monkeypatch.setenv("ZHGOV_CACHE_DIR", str(tmp_path / "cache"))
    paths = [CORPORA_DIR / "cpc-congress-reports"]
    seg, stop = Segmenter(lexicon.load()), words.stopword_set()
    expected, _ = words.from_paths(paths, seg, stopwords=stop, by="year", jobs=1, cache=False)
    for _ in range(2):  # cold, then looked up in the cache by the Dask workers
        table, corp = words.from_paths(paths, seg, stopwords=stop, by="year", engine="dask",
                                       scheduler=cluster.scheduler_address)
        pd.testing.assert_frame_equal(table, expected)
    assert corp.paragraphs is None
