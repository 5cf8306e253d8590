"""discover: candidate formulations, their statistics by hand, fragments merged, emergence on the bundled reports."""

from __future__ import annotations

import logging
import math
import subprocess
import sys
import time

import pandas as pd
import pytest

from analysis import corpus, lexicon
from analysis.config import CORPORA_DIR, PROJECT_DIR
from analysis.errors import InputError
from analysis.lexicon import Lexicon, from_terms
from analysis.measure import discover
from analysis.text.corpus import Document, from_documents

REMOVED = ["新质生产力", "全过程人民民主", "共同富裕"]


def corpus_of(*texts: str, years=None):
    return from_documents([Document(f"d{i}", t, f"d{i}.txt", "utf-8", "",
                                    {} if years is None else {"year": years[i]}) for i, t in enumerate(texts)])


def cli(*args: str):
    done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, cwd=PROJECT_DIR)
    return done.returncode, done.stdout.decode("utf-8-sig"), done.stderr.decode("utf-8")


@pytest.fixture(scope="module")
def reports():
    return corpus.build(CORPORA_DIR / "gov-work-reports")


@pytest.fixture(scope="module")
def official():
    """Both bundled corpora of official reports (government work reports and CPC congress reports)."""
    return corpus.build([CORPORA_DIR / "gov-work-reports", CORPORA_DIR / "cpc-congress-reports"])


@pytest.fixture(scope="module")
def reduced():
    """The bundled lexicon without the concepts 新质生产力, 全过程人民民主 and 共同富裕."""
    full = lexicon.load()
    table = full.table[~full.table.concept.isin(REMOVED)].reset_index(drop=True)
    assert set(REMOVED) <= set(full.table.concept) and not table.term.isin(REMOVED).any()
    return Lexicon(table=table, name="reduced")


@pytest.fixture(scope="module")
def jieba_words():
    """jieba's own dictionary (the pure-Python package, not the jieba-rs copy discover uses)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return {word for word, freq in tokenizer.FREQ.items() if freq}


def test_counts_documents_and_years_match_a_hand_count():
    corp = corpus_of("推进新质生产力发展。", "发展新质生产力！新质生产力", "培育新质生产力。", years=[2023, 2024, 2025])
    table = discover.candidates(corp, from_terms({"发展": ["发展"]}), min_count=2, min_entropy=0.0)
    row = table.set_index("candidate").loc["新质生产力"]
    # by hand: once in d0, twice in d1, once in d2
    assert (row["count"], row.docs, row.first_year, row.last_year) == (4, 3, 2023, 2025)
    assert row.length == 5


def test_pmi_and_entropies_match_hand_computation():
    # 甲乙 occurs 4 times; its left neighbours 子丑子 and one paragraph start, right 丙丙丁 and one end.
    texts = ["子甲乙丙", "丑甲乙丙", "子甲乙丁", "甲乙"]
    table = discover.candidates(corpus_of(*texts), from_terms({"无": ["无关"]}), min_n=2, max_n=2, min_count=2,
                                min_entropy=0.0, merge=1.0, words=True)
    row = table.set_index("candidate").loc["甲乙"]
    han = sum(len(t) for t in texts)  # 14 Han characters
    assert row.pmi == pytest.approx(math.log(4 * han / (4 * 4)), abs=1e-4)  # count(甲) = count(乙) = 4
    # left: 子 twice, 丑 once, one edge (a neighbour of its own): H = ln 4 - (2 ln 2) / 4
    assert row.left_entropy == pytest.approx(math.log(4) - 2 * math.log(2) / 4, abs=1e-4)
    # right: 丙 twice, 丁 once, one edge: the same distribution
    assert row.right_entropy == pytest.approx(math.log(4) - 2 * math.log(2) / 4, abs=1e-4)


def test_a_fragment_is_merged_into_the_whole_formulation():
    texts = [f"{left}铸牢中华民族共同体意识{right}" for left, right in
             [("要", "，"), ("必须", "。"), ("坚持", "！"), ("全面", "；")]]
    table = discover.candidates(corpus_of(*texts), from_terms({"无": ["无关"]}), min_count=2, max_n=12)
    assert table.candidate.tolist() == ["铸牢中华民族共同体意识"]


def test_lexicon_terms_and_their_parts_are_not_candidates():
    texts = ["加强社区治理工作。", "推进社区治理工作！", "完善社区治理工作，"]
    lex = from_terms({"社区治理": ["社区治理工作"]})
    assert discover.candidates(corpus_of(*texts), lex, min_count=2, min_entropy=0.0).empty


def test_top_100_on_the_government_work_reports_has_no_same_count_fragment_and_no_jieba_word(reports, jieba_words):
    table = discover.candidates(reports, lexicon.load(), top=100, progress=False)
    assert len(table) == 100
    counts = dict(zip(table.candidate, table["count"]))
    fragments = [(a, b) for a in counts for b in counts if a != b and a in b and counts[a] == counts[b]]
    assert fragments == []
    assert [c for c in table.candidate if c in jieba_words] == []
    assert table.kwic_first.str.contains("【").all() and table.kwic_last.str.contains("【").all()


def test_statistics_alone_leave_ordinary_words_in_the_top_100(reports, jieba_words):
    # the number stated in the README: without the dictionary filter, most of the top 100 are jieba words
    table = discover.candidates(reports, lexicon.load(), top=100, words=True, progress=False)
    ordinary = sum(c in jieba_words for c in table.candidate)
    assert 50 <= ordinary <= 80, ordinary


def test_removed_concepts_emerge_whole_after_2012(official, reduced):
    table = discover.candidates(official, reduced, split="year>=2012", top=None, progress=False)
    rank = {c: i + 1 for i, c in enumerate(table.candidate)}
    assert all(term in rank for term in REMOVED), {t: rank.get(t) for t in REMOVED}
    # measured ranks (README): 全过程人民民主 and 共同富裕 within the first few hundred, 新质生产力 (3 occurrences) far lower
    assert rank["全过程人民民主"] <= 300 and rank["共同富裕"] <= 600
    for term in REMOVED:
        fragments = table[table.candidate.map(lambda c: c != term and (c in term or term in c))
                          & table["count"].eq(table.set_index("candidate")["count"][term])]
        assert fragments.empty, fragments.candidate.tolist()
    row = table.set_index("candidate").loc["全过程人民民主"]
    assert (row.target_count, row.reference_count, bool(row.new), row.first_year) == (9, 0, True, 2022)
    assert (table.g2 >= discover.SIGNIFICANT).all() and (table.log_ratio > 0).all()


def test_government_work_reports_are_searched_in_seconds(reports):
    started = time.perf_counter()
    discover.candidates(reports, lexicon.load(), top=100, progress=False)
    assert time.perf_counter() - started < 30  # about 3 s alone; generous for a loaded test machine


def test_bad_settings_are_one_sentence():
    corp = corpus_of("新质生产力")
    with pytest.raises(InputError, match="min_n <= max_n"):
        discover.candidates(corp, from_terms({"a": ["无关"]}), min_n=5, max_n=3)
    with pytest.raises(InputError, match="merge"):
        discover.candidates(corp, from_terms({"a": ["无关"]}), merge=0)


def test_cli_sheet_loads_as_a_lexicon_once_its_concept_column_is_filled(tmp_path):
    sheet = tmp_path / "candidates.csv"
    code, out, err = cli("discover", str(CORPORA_DIR / "gov-work-reports"), "--since", "2012", "--top", "15",
                         "--as-lexicon", str(sheet), "-q")
    assert code == 0, err
    listed = pd.read_csv(pd.io.common.StringIO(out)).candidate.tolist()
    rows = pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert rows.term.tolist() == listed and (rows.concept == "").all()
    code, _, err = cli("lexicon", "--lexicon", str(sheet))
    assert code == 2 and err.startswith("error:") and "has no concept" in err
    rows["concept"] = rows.term
    filled = tmp_path / "filled.csv"
    rows.to_csv(filled, index=False, encoding="utf-8-sig")
    code, out, err = cli("lexicon", "--lexicon", str(filled))
    assert code == 0, err
    assert pd.read_csv(pd.io.common.StringIO(out)).term.tolist() == listed


def test_cli_mistakes_end_with_one_error_line():
    code, _, err = cli("discover", str(CORPORA_DIR / "gov-work-reports"), "--since", "2012", "--split", "year>=2000")
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: give --split or --since")
    code, _, err = cli("discover", str(CORPORA_DIR / "gov-work-reports"), "--min-n", "1", "-q")
    assert code == 2 and err.startswith("error:") and "(--min-n)" in err
