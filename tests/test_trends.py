"""Trends: rates by year are the counts of count --by year with their denominators; first and last years."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import corpus, count, match, trends
from analysis.errors import InputError
from analysis.lexicon import from_terms

LEX = from_terms({"协商民主": ["协商民主", "基层协商民主"], "社区治理": ["社区治理"], "一核多元": ["一核多元"]})


@pytest.fixture()
def yearly(tmp_path):
    table = pd.DataFrame({
        "doc": ["a", "b", "c"],
        "year": [2010, 2010, 2011],
        "text": ["协商民主。", "基层协商民主，社区治理", "社区治理，社区治理。协商民主"],
    })
    path = tmp_path / "docs.csv"
    table.to_csv(path, index=False)
    return corpus.build(path)


def test_rates_are_counts_per_10k_characters_with_denominators(yearly):
    hits = match.find(yearly.paragraphs, LEX)
    table = trends.rates(hits, yearly, LEX)
    assert list(table.columns) == ["year", *trends.RATE_COLUMNS]
    row = table.set_index(["year", "concept"]).loc[(2010, "协商民主")]
    # 2010: "协商民主。" (5) + "基层协商民主，社区治理" (11) = 16 characters, 2 occurrences in 2 documents.
    assert (row["count"], row.chars, row.docs, row.group_docs) == (2, 16, 2, 2)
    assert row.per_10k == pytest.approx(round(2 / 16 * 10_000, 4))
    assert table.set_index(["year", "concept"]).loc[(2011, "社区治理"), ["count", "chars", "group_docs"]].tolist() == [
        2, 14, 1]
    same = count.concepts(hits, yearly, LEX, by="year")
    pd.testing.assert_frame_equal(table.drop(columns="group_docs"), same[["year", *trends.RATE_COLUMNS[:-1]]])


def test_first_and_last_appearance(yearly):
    table = trends.first_last(match.find(yearly.paragraphs, LEX), yearly, LEX).set_index("concept")
    assert list(table.reset_index().columns) == trends.SPAN_COLUMNS
    assert table.loc["协商民主", ["first", "last", "groups_present", "groups", "count"]].tolist() == [2010, 2011, 2, 2, 3]
    assert table.loc["社区治理", ["first", "last", "groups_present", "count"]].tolist() == [2010, 2011, 2, 3]
    never = table.loc["一核多元"]
    assert pd.isna(never["first"]) and pd.isna(never["last"]) and never.groups_present == 0 and never["count"] == 0
    assert table.index[-1] == "一核多元"   # concepts that never occur come last


@pytest.mark.parametrize("by, message", [("corpus", "needs a column"), ("decade", "no such metadata column")])
def test_bad_group_raises(yearly, by, message):
    with pytest.raises(InputError, match=message):
        trends.rates(match.find(yearly.paragraphs, LEX), yearly, LEX, by=by)


def test_years_written_with_nian_are_numbers_and_documents_without_a_year_leave_the_trends(tmp_path):
    import warnings

    from analysis import config, corpus, lexicon, match
    from analysis.errors import InputNotice

    (tmp_path / "a.txt").write_text("推进基层协商民主。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("协商民主与社区治理。", encoding="utf-8")
    (tmp_path / "c.txt").write_text("协商民主。", encoding="utf-8")
    (tmp_path / "MANIFEST.csv").write_text("file,year\na.txt,2019年\nb.txt,2021\nc.txt,\n", encoding="utf-8")
    corp = corpus.build(tmp_path)
    assert corp.docs.set_index("doc").year.tolist()[:2] == [2019, 2021] and pd.isna(corp.docs.year.iloc[2])
    lex = lexicon.load(config.LEXICON_DIR / "sample-concepts.csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = trends.rates(match.find(corp.paragraphs, lex), corp, lex)
    assert any(issubclass(w.category, InputNotice) and "left out of the trends: c" in str(w.message) for w in caught)
    assert table.query("concept == '协商民主'")[["year", "count", "group_docs"]].values.tolist() == [[2019, 1, 1],
                                                                                                 [2021, 1, 1]]
