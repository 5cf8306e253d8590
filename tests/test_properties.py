"""Invariants of the counting rules on random texts and lexicons (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import corpus, count, lexicon, match
from analysis.measure.segment import Segmenter

# A small alphabet makes overlaps and nesting frequent.
CHARS = st.sampled_from(list("党建引领协商民主社区治理基层，。 "))
TERMS = st.text(alphabet=st.sampled_from(list("党建引领协商民主社区治理基层")), min_size=1, max_size=4)
TEXTS = st.lists(st.text(alphabet=CHARS, min_size=0, max_size=40), min_size=1, max_size=6)


@st.composite
def lexicons(draw, term_strategy=TERMS):
    terms = draw(st.lists(term_strategy, min_size=1, max_size=8, unique=True))
    n_concepts = draw(st.integers(1, len(terms)))
    concepts: dict[str, list[str]] = {}
    for i, term in enumerate(terms):
        concepts.setdefault(f"c{i % n_concepts}", []).append(term)
    return lexicon.from_terms(concepts)


def build(paras: list[str], *, dedupe: bool = True):
    text = "\n".join(paras)
    if not text.strip():
        text = "空"
    return corpus.from_documents([corpus.Document("d", text, "d.txt", "utf-8", "")],
                                 corpus.CleanOptions(dedupe=dedupe))


def find_loop(text: str, term: str) -> int:
    n, i = 0, text.find(term)
    while i != -1:
        n, i = n + 1, text.find(term, i + 1)
    return n


@settings(max_examples=150, deadline=None)
@given(TEXTS, lexicons())
def test_term_counts_equal_a_plain_find_loop(paras, lex):
    corp = build(paras)
    terms = count.terms(match.find(corp.paragraphs, lex), corp, lex).set_index("term")
    for term in lex.terms:
        expected = sum(find_loop(p, term) for p in corp.paragraphs.text)
        assert terms.loc[term, "count"] == expected


@settings(max_examples=150, deadline=None)
@given(TEXTS, lexicons())
def test_concept_count_at_most_the_sum_of_its_terms_and_standalone_at_most_count(paras, lex):
    corp = build(paras)
    hits = match.find(corp.paragraphs, lex)
    terms = count.terms(hits, corp, lex)
    concepts = count.concepts(hits, corp, lex).set_index("concept")
    assert (terms.standalone <= terms["count"]).all()
    per_concept = terms.groupby("concept")["count"].sum()
    for concept, n in concepts["count"].items():
        assert n <= per_concept[concept]


@settings(max_examples=100, deadline=None)
@given(TEXTS, lexicons(), st.integers(0, 5))
def test_counts_do_not_change_when_a_paragraph_is_duplicated(paras, lex, which):
    corp = build(paras)
    doubled = build(paras + [paras[which % len(paras)]])
    a = count.concepts(match.find(corp.paragraphs, lex), corp, lex)
    b = count.concepts(match.find(doubled.paragraphs, lex), doubled, lex)
    assert a["count"].tolist() == b["count"].tolist()


@settings(max_examples=100, deadline=None)
@given(TEXTS, lexicons())
def test_concept_count_independent_of_other_concepts(paras, lex):
    corp = build(paras)
    full = count.concepts(match.find(corp.paragraphs, lex), corp, lex).set_index("concept")["count"]
    for concept, rows in lex.table.groupby("concept"):
        alone = lexicon.from_terms({concept: rows.term.tolist()})
        assert count.concepts(match.find(corp.paragraphs, alone), corp, alone)["count"].iloc[0] == full[concept]


@settings(max_examples=100, deadline=None)
@given(TEXTS, lexicons())
def test_every_lexicon_match_appears_whole_in_the_token_stream(paras, lex):
    """Each leftmost-longest occurrence of a term is exactly one token, and tokens rebuild the text."""
    import ahocorasick_rs

    seg = Segmenter(lex)
    automaton = ahocorasick_rs.AhoCorasick(lex.terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    for text in paras:
        tokens = seg.cut(text)
        assert "".join(tokens) == text
        bounds, position = set(), 0
        for token in tokens:
            bounds.add((position, position + len(token)))
            position += len(token)
        for _, start, end in automaton.find_matches_as_indexes(text):
            assert (start, end) in bounds


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_deduplication_is_idempotent(paras):
    once = build(paras)
    twice = build(once.paragraphs.text.tolist())
    assert once.paragraphs.text.tolist() == twice.paragraphs.text.tolist()


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6), st.integers(0, 2)), min_size=1, max_size=60,
                unique_by=lambda t: (t[0], t[1])),  # two terms never share a span
       st.booleans())
def test_inside_longer_equals_the_pairwise_definition(spans, automaton_order):
    # A span is inside another of its group when that one starts at or before it, ends at or after it
    # and is a different (so longer) span: checked here pair by pair, against the one-pass function,
    # both in the order the automaton reports matches (by end, then start) and in any order.
    from analysis.lexicon import inside_longer

    rows = [(s, s + length, g) for s, length, g in spans]
    if automaton_order:
        rows.sort(key=lambda r: (r[1], r[0]))
    start, end, group = (np.array(c, dtype=np.int64) for c in zip(*rows))
    expected = [any(o != r and o[2] == r[2] and o[0] <= r[0] and o[1] >= r[1] for o in rows) for r in rows]
    assert inside_longer(start, end, group).tolist() == expected
    expected_all = [any((o[0], o[1]) != (r[0], r[1]) and o[0] <= r[0] and o[1] >= r[1] for o in rows) for r in rows]
    assert inside_longer(start, end).tolist() == expected_all


@settings(max_examples=200, deadline=None)
@given(TEXTS, lexicons())
def test_one_pass_counts_equal_the_counts_of_every_occurrence(paras, lex):
    # Matcher.document_counts finds one-character terms by code point and the others with the byte
    # automaton; its counts must equal those of the occurrence table (match.find) in every column.
    corp = build(paras)
    from_hits = match.TermCounts.from_hits(match.find(corp.paragraphs, lex), lex).table
    vector = lexicon.Matcher(lex).document_counts(corp.paragraphs.text.tolist())
    one_pass = match.TermCounts.from_documents(["d"], [vector], lex).table
    assert one_pass.values.tolist() == from_hits.values.tolist()
