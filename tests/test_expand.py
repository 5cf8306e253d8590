"""expand: word vectors on the project's segmentation, reproducible across runs and hash seeds, cached by input."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis import corpus, lexicon, match
from analysis.config import CORPORA_DIR, PROJECT_DIR
from analysis.errors import InputError
from analysis.lexicon import from_terms
from analysis.measure import expand
from analysis.measure.segment import Segmenter

CONGRESS = CORPORA_DIR / "cpc-congress-reports"


def cli(*args: str, env: dict | None = None):
    done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, cwd=PROJECT_DIR,
                          env={**os.environ, **(env or {})})
    return done.returncode, done.stdout, done.stderr.decode("utf-8")


@pytest.fixture(scope="module")
def official():
    return corpus.build([CORPORA_DIR / "gov-work-reports", CONGRESS])


@pytest.fixture(scope="module")
def vectors(official):
    return expand.train(official, lexicon.load(), cache=False, progress=False)


def test_output_is_byte_identical_across_runs_and_hash_seeds(tmp_path):
    outputs = []
    for run, seed in enumerate(["0", "12345", "12345"]):
        out = tmp_path / f"run{run}.csv"
        code, _, err = cli("expand", "协商民主", "社会治理", "--corpus", str(CONGRESS), "--top", "10", "-q",
                           "--no-cache", "-o", str(out), env={"PYTHONHASHSEED": seed})
        assert code == 0, err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    table = pd.read_csv(tmp_path / "run0.csv", encoding="utf-8-sig")
    assert table.seed.value_counts().to_dict() == {"协商民主": 10, "社会治理": 10}


def test_the_cached_model_gives_the_same_output_and_a_broken_cache_only_a_notice(tmp_path):
    cache = tmp_path / "cache"
    outputs = []
    for run in range(2):
        out = tmp_path / f"cached{run}.csv"
        code, _, err = cli("expand", "社会治理", "--corpus", str(CONGRESS), "--top", "5", "-o", str(out),
                           env={"ZHGOV_CACHE_DIR": str(cache), "PYTHONHASHSEED": str(run)})
        assert code == 0, err
        outputs.append(out.read_bytes())
    assert len(list((cache / "models").glob("word2vec-*.bin"))) == 1  # trained once, read the second time
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    out = tmp_path / "uncached.csv"
    code, _, err = cli("expand", "社会治理", "--corpus", str(CONGRESS), "--top", "5", "-o", str(out),
                       env={"ZHGOV_CACHE_DIR": str(blocked)})
    assert code == 0, err
    assert err.count("working without the model cache") == 1
    assert outputs[0] == outputs[1] == out.read_bytes()


def test_a_changed_lexicon_is_a_different_model(official):
    base = lexicon.load()
    smaller = lexicon.Lexicon(table=base.table[base.table.concept != "共同富裕"].reset_index(drop=True))
    segmenter_key = expand.model_key(official, Segmenter(base), expand.PARAMETERS)
    assert segmenter_key != expand.model_key(official, Segmenter(smaller), expand.PARAMETERS)


def test_every_bundled_term_occurring_five_times_is_in_the_vocabulary(official, vectors):
    lex = lexicon.load()
    hits = match.find(official.paragraphs, lex)
    # An occurrence is a token when it lies inside no longer term (standalone) and no term starting earlier
    # overlaps it (segmentation takes the leftmost match first: 基本公共服务|均等化, not 公共服务均等化).
    pairs = hits.merge(hits, on=["doc", "para"], suffixes=("", "_other"))
    overlapped = pairs[(pairs.start_other < pairs.start) & (pairs.end_other > pairs.start)]
    overlapped = set(zip(overlapped.doc, overlapped.para, overlapped.start, overlapped.term))
    clean = hits[hits.standalone & ~pd.Series([k in overlapped for k in zip(hits.doc, hits.para, hits.start,
                                                                              hits.term)], index=hits.index)]
    frequent = clean.term.value_counts()
    frequent = frequent[frequent >= 5].index.tolist()
    assert len(frequent) > 300  # the bundled lexicon is well attested in its corpora
    missing = [t for t in frequent if t not in vectors.key_to_index]
    assert missing == []


def test_suggestions_exclude_lexicon_terms_and_carry_evidence(official, vectors):
    lex = lexicon.load()
    table = expand.neighbours(official, lex, ["协商民主", "共同富裕"], top=10, vectors=vectors)
    assert len(table) == 20
    assert not table.candidate.isin(lex.terms).any()
    assert table.groupby("seed").similarity.apply(lambda s: s.is_monotonic_decreasing).all()
    assert (table["count"] >= 1).all() and (table.docs >= 1).all()
    assert table.apply(lambda r: f"【{r.candidate}】" in r.kwic_first, axis=1).all()
    assert table.attrs["parameters"]["workers"] == 1 and table.attrs["parameters"]["seed"] == 1


def test_a_seed_outside_the_vocabulary_is_one_sentence(official, vectors):
    with pytest.raises(InputError, match="not in the vocabulary"):
        expand.neighbours(official, from_terms({"x": ["无关词"]}), ["不存在的词"], vectors=vectors)
    table = expand.neighbours(official, lexicon.load(), ["不存在的词", "社会治理"], top=3, vectors=vectors,
                              skip_missing=True)
    assert table.attrs["missing"] == ["不存在的词"] and set(table.seed) == {"社会治理"}


def test_cli_sheet_of_suggestions_loads_once_filled(tmp_path):
    sheet = tmp_path / "near.csv"
    code, _, err = cli("expand", "社会治理", "--corpus", str(CONGRESS), "--top", "5", "--no-cache", "-q",
                       "--as-lexicon", str(sheet), "-o", str(tmp_path / "out.csv"))
    assert code == 0, err
    rows = pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(rows) == 5 and rows.source.str.contains("near 社会治理").all()
    rows["concept"] = "社会治理候选"
    rows.to_csv(tmp_path / "filled.csv", index=False)
    code, _, err = cli("lexicon", "--lexicon", str(tmp_path / "filled.csv"))
    assert code == 0, err
