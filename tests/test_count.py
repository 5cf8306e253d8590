"""Counting rules, checked against hand counts of the sample essay and small texts."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import corpus, count, lexicon, match
from analysis.config import CORPORA_DIR, SAMPLE_ESSAY
from analysis.lexicon import from_terms
from tests.conftest import paragraphs, write

LEX = lexicon.from_terms({"党组织": ["党组织", "基层党组织"], "协商民主": ["协商民主", "基层协商民主"],
                          "基层": ["基层"]})


def concept_counts(corp, lex, **kw):
    return count.concepts(match.find(corp.paragraphs, lex), corp, lex, **kw).set_index("concept")["count"].to_dict()


def hand_count(text_lines: list[str], term: str) -> int:
    """Overlapping substring occurrences, line by line: the definition, written out."""
    total = 0
    for line in text_lines:
        start = line.find(term)
        while start != -1:
            total += 1
            start = line.find(term, start + 1)
    return total


def test_sample_essay_hand_counts_with_duplicates_removed(sample_corpus, sample_lexicon):
    assert concept_counts(sample_corpus, sample_lexicon) == {"党建引领": 4, "协商民主": 3, "社区治理": 23}


def test_sample_essay_hand_counts_with_duplicates_kept(sample_lexicon):
    corp = corpus.build(SAMPLE_ESSAY, keep_duplicates=True)
    assert concept_counts(corp, sample_lexicon) == {"党建引领": 7, "协商民主": 5, "社区治理": 43}


def test_hand_counts_agree_with_an_independent_count_of_the_unique_lines(sample_text):
    lines = [line.strip() for line in sample_text.splitlines() if line.strip()]
    unique = list(dict.fromkeys(lines))
    assert len(lines) == 16 and len(unique) == 9
    assert [hand_count(unique, t) for t in ("党建引领", "协商民主", "社区治理")] == [4, 3, 23]
    assert [hand_count(lines, t) for t in ("党建引领", "协商民主", "社区治理")] == [7, 5, 43]


def test_nested_variant_counts_once_for_its_concept():
    corp = corpus.from_documents([corpus.Document("d", "推进基层协商民主。", "d.txt", "utf-8", "")])
    hits = match.find(corp.paragraphs, LEX)
    assert concept_counts(corp, LEX)["协商民主"] == 1
    terms = count.terms(hits, corp, LEX).set_index("term")
    assert terms.loc["协商民主", "count"] == 1 and terms.loc["协商民主", "standalone"] == 0
    assert terms.loc["基层协商民主", "count"] == 1 and terms.loc["基层协商民主", "standalone"] == 1


def test_standalone_excludes_occurrences_inside_longer_terms_of_any_concept():
    # 基层 sits inside 基层党组织 (another concept): counted for 基层, but not standalone.
    hits = match.find(paragraphs("基层党组织和基层群众"), LEX)
    base = hits[hits.term == "基层"]
    assert len(base) == 2 and base.standalone.tolist() == [False, True]
    assert base.concept_hit.tolist() == [True, True]


def test_term_count_in_sample_counts_nested_occurrences(sample_corpus):
    lex = lexicon.from_terms({"党组织": ["党组织"], "基层党组织": ["基层党组织"]})
    terms = count.terms(match.find(sample_corpus.paragraphs, lex), sample_corpus, lex).set_index("term")
    text = "\n".join(sample_corpus.paragraphs.text)
    assert terms.loc["党组织", "count"] == text.count("党组织")
    assert terms.loc["党组织", "standalone"] == text.count("党组织") - text.count("基层党组织")


def test_overlapping_occurrences_all_count():
    lex = lexicon.from_terms({"x": ["哈哈"]})
    hits = match.find(paragraphs("哈哈哈"), lex)
    assert hits[["start", "end"]].values.tolist() == [[0, 2], [1, 3]]


def test_partially_overlapping_terms_of_one_concept_both_count():
    lex = lexicon.from_terms({"c": ["社区治", "区治理"]})
    assert match.find(paragraphs("社区治理"), lex).concept_hit.sum() == 2


def test_no_match_crosses_a_paragraph_boundary():
    lex = lexicon.from_terms({"协商民主": ["协商民主"]})
    assert len(match.find(paragraphs("推进协商", "民主建设"), lex)) == 0


def test_concept_count_does_not_depend_on_other_concepts(sample_corpus, sample_lexicon):
    alone = lexicon.from_terms({"协商民主": ["协商民主", "基层协商民主"]})
    more = lexicon.from_terms({"协商民主": ["协商民主", "基层协商民主"], "民主": ["民主"], "基层": ["基层"]})
    assert concept_counts(sample_corpus, alone)["协商民主"] == concept_counts(sample_corpus, more)["协商民主"] == 3


def test_rates_use_cleaned_characters_as_denominator(sample_corpus, sample_lexicon):
    table = count.concepts(match.find(sample_corpus.paragraphs, sample_lexicon), sample_corpus, sample_lexicon)
    chars = int(sample_corpus.paragraphs.text.str.len().sum())
    assert (table.chars == chars).all()
    row = table.set_index("concept").loc["社区治理"]
    assert row.per_10k == round(23 / chars * 10_000, 4)
    assert row.docs == 1


def test_grouping_by_document_and_by_metadata(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    write(folder / "a.txt", "协商民主。协商民主。")
    write(folder / "b.txt", "基层协商民主。")
    write(folder / "c.txt", "没有。")
    write(folder / "MANIFEST.csv", "file,year\na.txt,2020\nb.txt,2020\nc.txt,2021\n")
    corp = corpus.build(folder)
    hits = match.find(corp.paragraphs, LEX)
    by_doc = count.concepts(hits, corp, LEX, by="doc")
    assert list(by_doc.columns[:2]) == ["doc", "concept"]
    assert by_doc.query("concept == '协商民主'").set_index("doc")["count"].to_dict() == {"a": 2, "b": 1, "c": 0}
    by_year = count.concepts(hits, corp, LEX, by="year").query("concept == '协商民主'").set_index("year")
    assert by_year["count"].to_dict() == {2020: 3, 2021: 0}
    assert by_year["docs"].to_dict() == {2020: 2, 2021: 0}
    assert by_year["chars"].to_dict() == {2020: 17, 2021: 3}


def test_every_concept_gets_a_row_even_with_zero_count(sample_corpus):
    lex = lexicon.from_terms({"社区治理": ["社区治理"], "不存在": ["不存在的概念"]})
    table = count.concepts(match.find(sample_corpus.paragraphs, lex), sample_corpus, lex)
    assert table.concept.tolist() == ["社区治理", "不存在"]
    assert table.set_index("concept").loc["不存在", "count"] == 0


def test_column_names_are_fixed(sample_corpus, sample_lexicon):
    hits = match.find(sample_corpus.paragraphs, sample_lexicon)
    assert list(hits.columns) == match.HIT_COLUMNS
    assert list(count.concepts(hits, sample_corpus, sample_lexicon).columns) == count.CONCEPT_COLUMNS
    assert list(count.terms(hits, sample_corpus, sample_lexicon, by="doc").columns) == ["doc", *count.TERM_COLUMNS]


def test_hit_offsets_point_at_the_term(sample_corpus, sample_lexicon):
    hits = match.find(sample_corpus.paragraphs, sample_lexicon)
    texts = sample_corpus.paragraphs.set_index(["doc", "para"]).text
    for row in hits.itertuples():
        assert texts[(row.doc, row.para)][row.start:row.end] == row.term


def test_unknown_group_column_is_a_clear_error(sample_corpus, sample_lexicon):
    import pytest

    from analysis.errors import InputError

    with pytest.raises(InputError, match="no such metadata column"):
        count.concepts(match.find(sample_corpus.paragraphs, sample_lexicon), sample_corpus, sample_lexicon, by="year")


def test_empty_hits_give_zero_tables(sample_corpus):
    lex = lexicon.from_terms({"无": ["没有这个词"]})
    hits = match.find(sample_corpus.paragraphs, lex)
    assert hits.empty and list(hits.columns) == match.HIT_COLUMNS
    assert count.concepts(hits, sample_corpus, lex)["count"].tolist() == [0]
    assert isinstance(count.terms(hits, sample_corpus, lex), pd.DataFrame)


def test_documents_missing_from_the_manifest_form_their_own_group_and_years_stay_integers(tmp_path):
    write(tmp_path / "a.txt", "协商民主")
    write(tmp_path / "b.txt", "基层协商民主")
    write(tmp_path / "MANIFEST.csv", "file,year\na.txt,2020\n")
    corp = corpus.build(tmp_path)
    table = count.concepts(match.find(corp.paragraphs, LEX), corp, LEX, by="year").query("concept == '协商民主'")
    assert table["year"].iloc[0] == 2020 and str(table["year"].iloc[0]) == "2020"
    assert table["count"].tolist() == [1, 1] and table["year"].isna().tolist() == [False, True]


def _occurrences(text: str, term: str) -> list[tuple[int, int]]:
    """Every (start, end) of ``term`` in ``text`` by a plain find loop (overlaps included)."""
    found, at = [], text.find(term)
    while at >= 0:
        found.append((at, at + len(term)))
        at = text.find(term, at + 1)
    return found


def test_nested_column_splits_a_concept_into_inside_a_longer_concept_and_standalone_and_agrees_with_kwic():
    from analysis import kwic
    from analysis.config import CORPORA_DIR

    corp, lex = corpus.build(CORPORA_DIR / "cpc-congress-reports"), lexicon.load()
    hits = match.find(corp.paragraphs, lex)
    table = count.concepts(hits, corp, lex).set_index("concept")
    inner, outer = "中国特色社会主义", "习近平新时代中国特色社会主义思想"
    lines = kwic.lines(corp, inner, lexicon=lex, hits=hits)
    assert len(lines) == table.loc[inner, "count"]
    # independently: which of the concept's kwic lines lie inside an occurrence of any longer concept's term
    texts = corp.paragraphs.set_index(["doc", "para"]).text
    terms = lex.table[["term", "concept"]].values.tolist()
    inside_outer = inside_any = 0
    for doc, para, start, end in lines[["doc", "para", "start", "end"]].itertuples(index=False):
        text = texts[(doc, para)]
        containing = {c for t, c in terms if c != inner for s, e in _occurrences(text, t)
                      if s <= start and end <= e and e - s > end - start}
        inside_outer += outer in containing
        inside_any += bool(containing)
    assert inside_any == table.loc[inner, "nested"] > 0
    nesting = match.nesting(hits, lex).set_index(["concept", "inside"])
    assert nesting.loc[(inner, outer), "count"] == inside_outer > 0
    assert table.loc[inner, "terms"] == "/".join(lex.table[lex.table.concept == inner].term)


def test_nested_counts_by_hand():
    lex = lexicon.from_terms({"公共服务": ["公共服务"], "基本公共服务": ["基本公共服务"]})
    text = "推进基本公共服务均等化，提高公共服务水平。\n基本公共服务。"
    corp = corpus.from_documents([corpus.Document("d", text, "d.txt", "utf-8", "")])
    table = count.concepts(match.find(corp.paragraphs, lex), corp, lex).set_index("concept")
    assert table.loc["公共服务", ["count", "nested"]].tolist() == [3, 2]
    assert table.loc["基本公共服务", ["count", "nested"]].tolist() == [2, 0]


def _pairwise_containers(hits: pd.DataFrame) -> set[tuple[int, str]]:
    """The definition, occurrence by occurrence: a nested concept hit and each other concept with a strictly
    longer occurrence of the same paragraph covering it."""
    expected = set()
    for _, group in hits.groupby(["doc", "para"], observed=True):
        rows = list(group.itertuples())
        for a in rows:
            if a.concept_hit and not a.standalone:
                expected.update((a.Index, str(b.concept)) for b in rows
                                if b.start <= a.start and b.end >= a.end and b.end - b.start > a.end - a.start
                                and str(b.concept) != str(a.concept))
    return expected


@pytest.mark.parametrize("lexicon_of", ["bundled", "short words"])
def test_containers_equal_the_pairwise_definition(lexicon_of):
    # Only hits in the window [end - longest term, start] can contain an occurrence; the result must be the
    # pairwise definition's, on the bundled reports with the bundled lexicon and with a lexicon of many
    # short overlapping words (the case where comparing every pair of a paragraph's hits ran out of memory).
    corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    if lexicon_of == "bundled":
        lex = lexicon.load()
    else:
        words = ["社会", "主义", "社会主义", "中国", "特色", "中国特色", "中国特色社会主义", "发展", "改革", "改革开放",
                 "人民", "民主", "人民民主", "全过程人民民主", "协商", "协商民主", "建设", "现代化", "国家", "治理"]
        lex = from_terms({w: [w] for w in words})
    hits = match.find(corp.paragraphs, lex)
    found = match.containers(hits)
    expected = _pairwise_containers(hits)
    assert len(expected) > 100
    assert set(map(tuple, found.values.tolist())) == expected and len(found) == len(expected)
