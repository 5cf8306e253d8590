"""Keyword in context: the lines of a concept are exactly its count, with the right context."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from analysis import corpus, count, kwic, lexicon, match
from analysis.config import CORPORA_DIR, LEXICON_DIR, PROJECT_DIR, SAMPLE_DIR
from analysis.errors import InputError
from analysis.lexicon import from_terms
from analysis.text.corpus import Corpus
from tests.conftest import paragraphs

LEX = str(LEXICON_DIR / "sample-concepts.csv")


def tiny_corpus(*texts: str) -> Corpus:
    paras = paragraphs(*texts)
    docs = pd.DataFrame({"doc": ["d"], "path": ["d.txt"], "encoding": ["utf-8"], "sha256": [""],
                         "chars": [sum(map(len, texts))], "year": [2020]})
    empty = pd.DataFrame(columns=["doc", "step", "changed"])
    return Corpus(docs=docs, paragraphs=paras, report=empty,
                  skipped=pd.DataFrame(columns=["doc", "path", "reason"]), options=None)


def cli(*args: str):
    done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, cwd=PROJECT_DIR)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


# Read off the sample essay by hand: the three places 协商民主 is counted, with 20 characters each side.
SAMPLE_LINES = [
    ("治理、关注群众“强参与”、", "基层协商民主", "、社区“再组织化”、创新党建平台等,发挥"),
    ("(三)", "基层协商民主", "是组织社区治理多元主体的机制保障"),
    ("解“空心化”治理困境。首先,将基层党建与", "协商民主", "有机结合,通过居委会换届选举、居民建言献"),
]


def test_kwic_of_a_concept_on_the_sample_gives_its_three_counted_occurrences(sample_corpus, sample_lexicon):
    lines = kwic.lines(sample_corpus, "协商民主", lexicon=sample_lexicon)
    assert list(lines[["left", "keyword", "right"]].itertuples(index=False, name=None)) == SAMPLE_LINES
    assert (lines.keyword == "基层协商民主").sum() == 2
    assert lines.para.tolist() == [2, 7, 8] and lines.section.tolist() == [0, 3, 3]
    assert lines.attrs["matched_as"] == "concept"


def test_cli_kwic_term_on_the_sample_matches_count(sample_corpus, sample_lexicon):
    status, out, err = cli("kwic", str(SAMPLE_DIR), "--term", "协商民主", "--lexicon", LEX)
    assert status == 0
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(table.columns[:10]) == kwic.KWIC_COLUMNS
    counted = count.concepts(match.find(sample_corpus.paragraphs, sample_lexicon), sample_corpus, sample_lexicon)
    assert len(table) == counted.set_index("concept").loc["协商民主", "count"] == 3
    assert list(table[["left", "keyword", "right"]].itertuples(index=False, name=None)) == SAMPLE_LINES
    assert "is a concept of the lexicon" in err


def test_kwic_of_a_term_shows_nested_occurrences_with_the_longer_term_in_the_context(sample_corpus, sample_lexicon):
    lines = kwic.lines(sample_corpus, "协商民主", lexicon=sample_lexicon, match_as="term", width=3)
    assert lines[["left", "keyword", "right"]].values.tolist() == [
        ["、基层", "协商民主", "、社区"], [")基层", "协商民主", "是组织"], ["党建与", "协商民主", "有机结"]]
    assert lines.left.str.endswith("基层").sum() == 2


def test_every_concept_has_as_many_lines_as_its_count():
    corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    lex = lexicon.load()
    hits = match.find(corp.paragraphs, lex)
    counts = count.concepts(hits, corp, lex).set_index("concept")["count"]
    for concept in ["全过程人民民主", "协商民主", "党的领导", "社区治理", "阶级斗争"]:
        lines = kwic.lines(corp, concept, lexicon=lex, hits=hits)
        assert len(lines) == counts[concept], concept
        assert {"year", "title"} <= set(lines.columns)


def test_a_string_not_in_the_lexicon_is_searched_ad_hoc_with_every_occurrence(sample_corpus, sample_lexicon):
    lines = kwic.lines(sample_corpus, "党组织", lexicon=sample_lexicon, width=2)
    assert lines.attrs["matched_as"] == "adhoc"
    assert len(lines) == sum(text.count("党组织") for text in sample_corpus.paragraphs.text)
    assert set(lines.keyword) == {"党组织"} and set(lines.concept) == {"党组织"}
    assert "searched it as an ad-hoc term" in kwic.describe("党组织", sample_lexicon, lines)


def test_ad_hoc_search_counts_overlapping_occurrences_like_the_matcher():
    lines = kwic.lines(tiny_corpus("哈哈哈"), "哈哈", width=1)
    assert lines[["start", "left", "right"]].values.tolist() == [[0, "", "哈"], [1, "哈", ""]]


def test_context_stops_at_the_paragraph_edge():
    lines = kwic.lines(tiny_corpus("前文。", "推进协商民主", "后文"), "协商民主", width=5)
    assert lines[["para", "left", "right"]].values.tolist() == [[2, "推进", ""]]


def test_sort_by_left_context_reads_it_backwards_and_by_right_context_forwards():
    corp = tiny_corpus("ba民主xz", "ab民主yy", "ca民主xa")
    lex = from_terms({"民主": ["民主"]})
    by_left = kwic.lines(corp, "民主", lexicon=lex, sort="left")
    assert by_left.left.tolist() == ["ba", "ca", "ab"]        # read backwards: ab < ac < ba
    by_right = kwic.lines(corp, "民主", lexicon=lex, sort="right")
    assert by_right.right.tolist() == ["xa", "xz", "yy"]
    assert kwic.lines(corp, "民主", lexicon=lex).para.tolist() == [1, 2, 3]


def test_width_zero_gives_empty_context(sample_corpus, sample_lexicon):
    lines = kwic.lines(sample_corpus, "协商民主", lexicon=sample_lexicon, width=0)
    assert set(lines.left) == {""} and set(lines.right) == {""}


@pytest.mark.parametrize("kwargs, message", [
    ({"width": -1}, "width"),
    ({"sort": "middle"}, "unknown sort"),
    ({"match_as": "term", "query": "社区"}, "not a term of the lexicon"),
    ({"match_as": "concept", "query": "基层协商民主"}, "not a concept of the lexicon"),
    ({"query": "  "}, "empty"),
])
def test_bad_options_raise_input_error(sample_corpus, sample_lexicon, kwargs, message):
    query = kwargs.pop("query", "协商民主")
    with pytest.raises(InputError, match=message):
        kwic.lines(sample_corpus, query, lexicon=sample_lexicon, **kwargs)


def test_cli_kwic_errors_are_one_line_and_status_2():
    status, out, err = cli("kwic", str(SAMPLE_DIR), "--term", "协商民主", "--width", "-3", "-q")
    assert status == 2 and out == "" and err.strip() == "error: --width must be 0 or more, not -3"


def test_a_compound_slogan_is_one_kwic_line_and_counts_once():
    from analysis import corpus, count, kwic, lexicon, match

    text = "一体推进不敢腐、不能腐、不想腐。"
    corp = corpus.from_documents([corpus.Document("d", text, "d.txt", "utf-8", "")])
    lex = lexicon.load()
    concept = lex.table.set_index("term").loc["不敢腐、不能腐、不想腐", "concept"]
    lines = kwic.lines(corp, concept, lexicon=lex)
    assert lines.keyword.tolist() == ["不敢腐、不能腐、不想腐"]
    table = count.concepts(match.find(corp.paragraphs, lex), corp, lex).set_index("concept")
    assert table.loc[concept, "count"] == 1 and table["count"].sum() == 1


# --- lines found where each document is cleaned (kwic.from_paths, the command line's route) ---------------------


@pytest.mark.parametrize("query, options", [
    ("协商民主", {}),                                   # a concept: its counted hits
    ("基层协商民主", {}),                               # a term: every occurrence
    ("人民", {"sort": "left", "width": 7}),             # an ad-hoc string, sorted by its left context
    ("党建引领", {"sort": "right", "jobs": 2}),         # on two worker processes
    ("全过程人民民主", {}),
    ("不在任何文本里", {"sort": "left"}),               # no line at all: an empty table, sortable
])
def test_lines_found_per_document_are_the_lines_of_the_built_corpus(query, options):
    # kwic.from_paths never holds the paragraphs; its table must equal lines() on the whole corpus,
    # row for row (order, contexts, sections, metadata), on both bundled corpora.
    lex = lexicon.load()
    settings = {k: v for k, v in options.items() if k == "jobs"}
    shape = {k: v for k, v in options.items() if k != "jobs"}
    expected = kwic.lines(corpus.build(CORPORA_DIR, **settings), query, lexicon=lex, **shape)
    table, corp = kwic.from_paths(CORPORA_DIR, query, lexicon=lex, **options)
    assert corp.paragraphs is None
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs["matched_as"] == expected.attrs["matched_as"]


def test_lines_of_a_big_file_read_in_pieces_are_numbered_as_in_the_whole_file(monkeypatch, tmp_path):
    # Pieces of 5,000 bytes: paragraphs of later pieces must keep their place in the document.
    body = "\n".join(p.read_text(encoding="utf-8") for p in sorted((CORPORA_DIR / "cpc-congress-reports").glob("*.txt")))
    (tmp_path / "big.txt").write_text(body, encoding="utf-8")
    lex = lexicon.load()
    whole = kwic.lines(corpus.build(tmp_path), "协商民主", lexicon=lex)
    assert len(whole) == 19 and whole.para.min() > 100  # lines far into the file, so in later pieces
    monkeypatch.setattr(corpus, "READ_IN_PIECES_ABOVE", 1000)
    monkeypatch.setattr(corpus, "PIECE_BYTES", 5000)
    table, _ = kwic.from_paths(tmp_path, "协商民主", lexicon=lex, jobs=1)
    pd.testing.assert_frame_equal(table, whole)


def test_lines_found_per_document_keep_table_metadata_and_duplicates_setting(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,year,text\na,2019,"推进协商民主。\n推进协商民主。"\nb,2020,社区治理\nc,2021,协商民主\n', encoding="utf-8")
    for keep in (False, True):
        expected = kwic.lines(corpus.build(path, keep_duplicates=keep), "协商民主", lexicon=lexicon.load(LEX))
        table, _ = kwic.from_paths(path, "协商民主", lexicon=lexicon.load(LEX), keep_duplicates=keep)
        pd.testing.assert_frame_equal(table, expected)
        # the repeated line of a is removed as a duplicate paragraph unless kept
        assert table[["doc", "year"]].values.tolist() == [["a", 2019]] * (1 + keep) + [["c", 2021]]
