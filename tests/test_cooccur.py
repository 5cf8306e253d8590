"""Concept co-occurrence: unit counts agree with a hand count; PMI, NPMI and Jaccard by hand."""

from __future__ import annotations

import io
import math
import subprocess
import sys
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from analysis import cooccur, corpus, lexicon, match, plot_context
from analysis.config import CORPORA_DIR, LEXICON_DIR, PROJECT_DIR, SAMPLE_DIR, SAMPLE_ESSAY
from analysis.errors import InputError
from analysis.lexicon import from_terms
from tests.test_kwic import tiny_corpus

LEX = str(LEXICON_DIR / "sample-concepts.csv")


def pairs_of(corp, lex, **kwargs):
    return cooccur.pairs(match.find(corp.paragraphs, lex), corp, lex, **kwargs)


def test_paragraph_cooccurrence_on_the_sample_matches_a_hand_count(sample_corpus, sample_lexicon):
    # By hand: the essay's non-blank lines, exact repeats dropped, each checked with `in`.
    lines = []
    for line in SAMPLE_ESSAY.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and line not in lines:
            lines.append(line)
    concepts = ["党建引领", "协商民主", "社区治理"]  # 基层协商民主 contains 协商民主
    hand = {(a, b): sum(a in line and b in line for line in lines) for a, b in combinations(concepts, 2)}
    assert hand == {("党建引领", "协商民主"): 1, ("党建引领", "社区治理"): 2, ("协商民主", "社区治理"): 3}

    table = pairs_of(sample_corpus, sample_lexicon, unit="paragraph")
    got = {(a, b): n for a, b, n in table[["concept_a", "concept_b", "count"]].itertuples(index=False)}
    assert got == hand
    assert set(table.units) == {len(lines)} == {9}
    each = {c: sum(c in line for line in lines) for c in concepts}
    for a, b, na, nb in table[["concept_a", "concept_b", "count_a", "count_b"]].itertuples(index=False):
        assert (na, nb) == (each[a], each[b])


def test_measures_on_a_tiny_text_match_hand_computed_values():
    # 8 paragraphs: 协商民主 in 4, 社区治理 in 2, both in 2.
    corp = tiny_corpus("协商民主与社区治理", "社区治理靠协商民主", "协商民主", "协商民主", "无", "无", "无", "无")
    lex = from_terms({"协商民主": ["协商民主"], "社区治理": ["社区治理"]})
    row = pairs_of(corp, lex, unit="paragraph").iloc[0]
    assert (row.concept_a, row.concept_b, row["count"], row.count_a, row.count_b, row.units) == (
        "协商民主", "社区治理", 2, 4, 2, 8)
    assert row.pmi == pytest.approx(math.log2((2 / 8) / ((4 / 8) * (2 / 8))))   # = 1
    assert row.pmi == pytest.approx(1.0)
    assert row.npmi == pytest.approx(1.0 / -math.log2(2 / 8))                  # = 0.5
    assert row.jaccard == pytest.approx(2 / (4 + 2 - 2))                          # = 0.5


def test_sentence_units_split_a_paragraph():
    corp = tiny_corpus("协商民主推动社区治理。党建引领！", "社区治理；协商民主。")
    lex = from_terms({"党建引领": ["党建引领"], "协商民主": ["协商民主"], "社区治理": ["社区治理"]})
    by_sentence = pairs_of(corp, lex, unit="sentence")
    assert by_sentence[["concept_a", "concept_b", "count", "count_a", "count_b", "units"]].values.tolist() == [
        ["协商民主", "社区治理", 1, 2, 2, 4]]
    by_paragraph = pairs_of(corp, lex, unit="paragraph")
    got = {(a, b): n for a, b, n in by_paragraph[["concept_a", "concept_b", "count"]].itertuples(index=False)}
    assert got == {("协商民主", "社区治理"): 2, ("党建引领", "协商民主"): 1, ("党建引领", "社区治理"): 1}


def test_a_unit_counts_once_and_a_nested_variant_is_one_occurrence():
    corp = tiny_corpus("基层协商民主和协商民主都关乎社区治理，社区治理")
    lex = from_terms({"协商民主": ["协商民主", "基层协商民主"], "社区治理": ["社区治理"]})
    assert pairs_of(corp, lex, unit="sentence")[["count", "count_a", "count_b"]].values.tolist() == [[1, 1, 1]]


def test_min_count_filters_pairs(sample_corpus, sample_lexicon):
    table = pairs_of(sample_corpus, sample_lexicon, unit="paragraph", min_count=2)
    assert sorted(table["count"]) == [2, 3]


@pytest.mark.parametrize("kwargs, message", [({"unit": "page"}, "unknown unit"), ({"min_count": 0}, "minimum count")])
def test_bad_options_raise_input_error(sample_corpus, sample_lexicon, kwargs, message):
    with pytest.raises(InputError, match=message):
        pairs_of(sample_corpus, sample_lexicon, **kwargs)


def test_cli_cooccur_writes_the_documented_columns():
    done = subprocess.run([sys.executable, "-m", "analysis", "cooccur", str(SAMPLE_DIR), "--lexicon", LEX,
                           "--unit", "paragraph", "-q"], capture_output=True, cwd=PROJECT_DIR)
    assert done.returncode == 0
    table = pd.read_csv(io.StringIO(done.stdout.decode("utf-8")))
    assert list(table.columns) == cooccur.COOCCUR_COLUMNS
    assert table["count"].tolist() == [3, 2, 1]


def test_network_chart_labels_concepts_and_has_a_fixed_layout(sample_corpus, sample_lexicon):
    table = pairs_of(sample_corpus, sample_lexicon, unit="paragraph")
    first, second = plot_context.network(table), plot_context.network(table)
    labels = sorted(t.get_text() for t in first.axes[0].texts)
    assert labels == ["党建引领", "协商民主", "社区治理"]
    positions = [np.array([t.get_position() for t in fig.axes[0].texts]) for fig in (first, second)]
    assert np.allclose(*positions)


def test_network_chart_without_positive_weights_says_there_is_nothing_to_draw(sample_corpus, sample_lexicon):
    table = pairs_of(sample_corpus, sample_lexicon, unit="paragraph").assign(jaccard=0.0)
    figure = plot_context.network(table)
    assert [t.get_text() for t in figure.texts] == ["没有可画的共现网络：没有概念对达到最低次数（可降低 min_count）。"]


def test_containment_is_not_co_occurrence_unless_asked():
    from analysis import cooccur, corpus, lexicon, match

    lex = lexicon.from_terms({"中国特色社会主义": ["中国特色社会主义"],
                              "习近平新时代中国特色社会主义思想": ["习近平新时代中国特色社会主义思想"]})
    text = "坚持习近平新时代中国特色社会主义思想。\n习近平新时代中国特色社会主义思想是中国特色社会主义的理论。"
    corp = corpus.from_documents([corpus.Document("d", text, "d.txt", "utf-8", "")])
    hits = match.find(corp.paragraphs, lex)
    # sentence 1: the shorter concept only inside the longer one -> not together;
    # sentence 2: it also stands alone -> together
    default = cooccur.pairs(hits, corp, lex, unit="sentence")
    assert default[["count", "count_a", "count_b"]].values.tolist() == [[1, 2, 2]]
    nested = cooccur.pairs(hits, corp, lex, unit="sentence", include_nested=True)
    assert nested["count"].tolist() == [2]


def test_no_pair_on_the_congress_reports_is_containment_only():
    from analysis import cooccur, corpus, lexicon, match
    from analysis.config import CORPORA_DIR

    corp, lex = corpus.build(CORPORA_DIR / "cpc-congress-reports"), lexicon.load()
    hits = match.find(corp.paragraphs, lex)
    default = cooccur.pairs(hits, corp, lex)
    everything = cooccur.pairs(hits, corp, lex, include_nested=True)
    merged = everything.merge(default, on=["concept_a", "concept_b"], how="left", suffixes=("", "_strict"))
    dropped = merged[merged.count_strict.isna()]
    assert len(dropped) > 0  # e.g. 全面从严治党 / 从严治党 met only as one phrase
    pairs = set(zip(dropped.concept_a, dropped.concept_b))
    assert ("全面从严治党", "从严治党") in pairs or ("从严治党", "全面从严治党") in pairs
    assert (merged.count_strict.fillna(0) <= merged["count"]).all()


# --- units counted where each document is cleaned (cooccur.from_paths, the command line's route) -----------------


@pytest.mark.parametrize("options", [{}, {"unit": "paragraph", "min_count": 3}, {"include_nested": True},
                                     {"jobs": 2}])
def test_pairs_counted_per_document_are_the_pairs_of_the_built_corpus(options):
    # Units never cross a document, so per-document unit counts add up to the corpus's: the table must
    # equal pairs() on the whole corpus, to the last PMI digit, on both bundled corpora.
    lex = lexicon.load()
    shape = {k: v for k, v in options.items() if k != "jobs"}
    corp = corpus.build(CORPORA_DIR, jobs=options.get("jobs"))
    expected = cooccur.pairs(match.find(corp.paragraphs, lex), corp, lex, **shape)
    table, built = cooccur.from_paths(CORPORA_DIR, lex, **options)
    assert built.paragraphs is None and len(table) > 1000
    pd.testing.assert_frame_equal(table, expected)


def test_pairs_of_a_big_file_read_in_pieces_are_those_of_the_whole_file(monkeypatch, tmp_path):
    body = "\n".join(p.read_text(encoding="utf-8") for p in sorted((CORPORA_DIR / "cpc-congress-reports").glob("*.txt")))
    (tmp_path / "big.txt").write_text(body, encoding="utf-8")
    lex = lexicon.load()
    corp = corpus.build(tmp_path)
    expected = cooccur.pairs(match.find(corp.paragraphs, lex), corp, lex)
    monkeypatch.setattr(corpus, "READ_IN_PIECES_ABOVE", 1000)
    monkeypatch.setattr(corpus, "PIECE_BYTES", 5000)
    table, _ = cooccur.from_paths(tmp_path, lex, jobs=1)
    pd.testing.assert_frame_equal(table, expected)
