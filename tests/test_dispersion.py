"""Dispersion: Gries' DP and Juilland's D against hand-computed values; counts agree with count."""

from __future__ import annotations

import math

import pytest

from analysis import corpus, count, dispersion, lexicon, match
from analysis.config import CORPORA_DIR
from analysis.errors import InputError
from analysis.lexicon import from_terms


def test_measures_match_hand_computation_for_unequal_parts():
    dp, dp_norm, d = dispersion.measures([3, 1, 0], [20, 30, 50])
    # s = .2 .3 .5; v = .75 .25 0; DP = (.55 + .05 + .5) / 2 = .55; DP_norm = .55 / (1 - .2)
    assert dp == pytest.approx(0.55) and dp_norm == pytest.approx(0.6875)
    x = [3 / 20, 1 / 30, 0 / 50]
    mean = sum(x) / 3
    sd = math.sqrt(sum((v - mean) ** 2 for v in x) / 3)
    assert d == pytest.approx(1 - (sd / mean) / math.sqrt(2), abs=1e-4)


def test_even_and_concentrated_extremes():
    assert dispersion.measures([1, 3], [25, 75]) == (0.0, 0.0, 1.0)   # spread exactly as the text
    assert dispersion.measures([4, 0], [50, 50]) == (0.5, 1.0, 0.0)
    dp, dp_norm, d = dispersion.measures([5], [100])
    assert dp == 0.0 and math.isnan(dp_norm) and math.isnan(d)


def test_equal_parts_place_hits_by_character_position(tmp_path):
    text = "协商民主" + "甲" * 6 + "协商民主" + "乙" * 86   # 100 characters, hits at 0 and 10
    (tmp_path / "d.txt").write_text(text, encoding="utf-8")
    corp = corpus.build(tmp_path / "d.txt")
    lex = from_terms({"协商民主": ["协商民主"]})
    hits = match.find(corp.paragraphs, lex)
    row = dispersion.concepts(hits, corp, lex, parts=2).iloc[0]
    assert (row["count"], row.parts, row.dp, row.dp_norm, row.juilland_d) == (2, 2, 0.5, 1.0, 0.0)
    row = dispersion.concepts(hits, corp, lex, parts=10).iloc[0]
    # parts of 10 characters: one hit in part 1, one in part 2, none in the other 8
    assert row.dp == pytest.approx(0.5 * (2 * abs(0.5 - 0.1) + 8 * abs(0 - 0.1)))


def test_sections_are_the_parts(tmp_path):
    text = "一、总论\n协商民主很重要。协商民主。\n二、分论\n社区治理。协商民主。\n"
    (tmp_path / "d.txt").write_text(text, encoding="utf-8")
    corp = corpus.build(tmp_path / "d.txt")
    assert corp.paragraphs.section.max() == 2
    lex = from_terms({"协商民主": ["协商民主"], "社区治理": ["社区治理"]})
    table = dispersion.concepts(match.find(corp.paragraphs, lex), corp, lex, parts="sections").set_index("concept")
    assert table.loc["协商民主", ["count", "parts"]].tolist() == [3, 2]
    # section 1: "一、总论" + "协商民主很重要。协商民主。" = 4 + 13 = 17 chars; section 2: 4 + 10 = 14
    s1, s2 = 17 / 31, 14 / 31
    assert table.loc["协商民主", "dp"] == pytest.approx(0.5 * (abs(2 / 3 - s1) + abs(1 / 3 - s2)), abs=1e-4)
    assert table.loc["社区治理", "dp"] == pytest.approx(0.5 * (s1 + abs(1 - s2)), abs=1e-4)


def test_counts_agree_with_count_per_document():
    corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    lex = lexicon.load()
    hits = match.find(corp.paragraphs, lex)
    table = dispersion.concepts(hits, corp, lex)
    counted = count.concepts(hits, corp, lex, by="doc")
    counted = counted[counted["count"] > 0].set_index(["doc", "concept"])["count"]
    assert table.set_index(["doc", "concept"])["count"].sort_index().equals(counted.sort_index())
    assert list(table.columns) == dispersion.DISPERSION_COLUMNS
    assert table.dp.between(0, 1).all()


@pytest.mark.parametrize("parts", [0, "chapters", 2.5])
def test_bad_parts_raise(sample_corpus, sample_lexicon, parts):
    with pytest.raises(InputError, match="parts must be"):
        dispersion.concepts(match.find(sample_corpus.paragraphs, sample_lexicon), sample_corpus, sample_lexicon,
                            parts=parts)
