"""Counting with the numpy trie walk: the same occurrences and counts as the definitions, whichever way is taken.

Expected values come from plain ``str.find`` loops and the pairwise definition of containment, never from
the matcher. Both ways of finding occurrences (trie and automaton) and counting in several pieces are forced
by setting the thresholds of :mod:`analysis.lexicon.matcher`.
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import LexiconError
from analysis.lexicon import Lexicon, dictionary, from_terms, matcher
from analysis.lexicon.matcher import Matcher
from analysis.lexicon.trie import Trie
from tests.test_properties import lexicons

# A small alphabet makes overlaps and nesting frequent; 𠀀 lies outside the Basic Multilingual Plane,
# 外 is in no term, a line break separates paragraphs.
LETTERS = list("党建引领协商民主𠀀")
TERMS = st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=5)
TEXT = st.text(alphabet=st.sampled_from(LETTERS + ["外", "\n", "😀"]), max_size=80)
PARAGRAPHS = st.lists(st.text(alphabet=st.sampled_from(LETTERS + ["外", "😀"]), max_size=40), max_size=6)


def every_occurrence(text: str, terms: list[str]) -> set[tuple[int, int, int]]:
    """``(term index, start, end)`` of every occurrence, overlapping ones included, by ``str.find``."""
    found = set()
    for index, term in enumerate(terms):
        at = text.find(term)
        while at != -1:
            found.add((index, at, at + len(term)))
            at = text.find(term, at + 1)
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(TERMS, min_size=1, max_size=10, unique=True), TEXT)
def test_trie_finds_exactly_the_occurrences_of_a_find_loop(terms, text):
    term, start, end = Trie(terms).find(text)
    found = list(zip(term.tolist(), start.tolist(), end.tolist()))
    assert len(found) == len(set(found))  # each occurrence once
    assert set(found) == every_occurrence(text, terms)
    assert found == sorted(found, key=lambda t: (t[2] - t[1], t[1]))  # by length, then start (as documented)


def test_trie_on_text_without_any_term_character_finds_nothing():
    term, start, end = Trie(["党建"]).find("abc 😀")
    assert (len(term), len(start), len(end)) == (0, 0, 0)


@contextmanager
def finder(way: str, piece: int):
    """Force the trie or the automaton, and pieces of ``piece`` characters."""
    trie = way == "trie"
    with mock.patch.object(matcher, "TRIE_MIN_CHARS", 0 if trie else 10**9), \
            mock.patch.object(matcher, "TRIE_SHORT_TERMS", 0 if trie else 10**9), \
            mock.patch.object(matcher, "PIECE_CHARS", piece):
        yield


def expected_counts(paragraphs: list[str], lex: Lexicon) -> dict[str, tuple[int, int, int, int]]:
    """Per term: occurrences, standalone ones, concept_hit ones, both; from the pairwise definitions, per paragraph."""
    terms = lex.table.term.tolist()
    concept_of = dict(zip(terms, lex.table.concept))
    result = {t: [0, 0, 0, 0] for t in terms}
    for text in paragraphs:
        found = every_occurrence(text, terms)
        for index, start, end in found:
            inside = [(i, s, e) for i, s, e in found if (s, e) != (start, end) and s <= start and e >= end]
            standalone = not inside
            concept_hit = not any(concept_of[terms[i]] == concept_of[terms[index]] for i, _, _ in inside)
            row = result[terms[index]]
            row[0] += 1
            row[1] += standalone
            row[2] += concept_hit
            row[3] += standalone and concept_hit
    return {t: tuple(r) for t, r in result.items() if r[0]}


@pytest.mark.parametrize("way", ["trie", "automaton"])
@settings(max_examples=150, deadline=None)
@given(paragraphs=PARAGRAPHS, lex=lexicons(TERMS), piece=st.sampled_from([1, 7, 40, 1 << 15]))
def test_document_counts_follow_the_pairwise_definitions(way, paragraphs, lex, piece):
    with finder(way, piece):
        vector = Matcher(lex).document_counts(paragraphs)
    got = {lex.terms[i]: tuple(counts) for i, *counts in vector.T.tolist()}
    assert got == expected_counts(paragraphs, lex)
    assert vector[0].tolist() == sorted(vector[0].tolist())  # term indexes ascending


def test_nested_occurrences_by_hand_with_the_trie_in_pieces():
    # 基层协商民主 holds 协商民主 (same concept: not a concept hit) and 民主 (another concept: nested, not standalone);
    # the second paragraph's 民主 stands alone. Pieces of 3 characters put each paragraph in its own piece.
    lex = from_terms({"协商民主": ["协商民主", "基层协商民主"], "民主": ["民主"]})
    with finder("trie", 3):
        vector = Matcher(lex).document_counts(["推进基层协商民主", "人民民主"])
    assert vector.tolist() == [[0, 1, 2],   # 协商民主, 基层协商民主, 民主
                               [1, 1, 2],   # occurrences
                               [0, 1, 1],   # standalone
                               [0, 1, 2],   # concept_hit
                               [0, 1, 1]]   # concept_hit and standalone


@pytest.mark.parametrize("way", ["trie", "automaton"])
@pytest.mark.parametrize("paragraphs", [[], [""], ["", ""], ["外国"]])
def test_nothing_found_is_an_empty_vector(way, paragraphs):
    with finder(way, 1 << 15):
        vector = Matcher(from_terms({"党建": ["党建"]})).document_counts(paragraphs)
    assert vector.shape == (5, 0)


def test_a_lexicon_of_many_short_words_counts_the_same_either_way():
    # Every pair of 35 characters, 1,225 two-character terms (more than TRIE_SHORT_TERMS): the trie is used
    # even for a short text.
    letters = [chr(0x4E00 + i) for i in range(35)]
    terms = [a + b for a in letters for b in letters]
    text = "".join(letters[(3 * i) % 35] for i in range(300))
    lex = from_terms({t: [t] for t in terms})
    assert matcher.TRIE_SHORT_TERMS <= len(terms)
    default = Matcher(lex).document_counts([text])
    with finder("automaton", 1 << 15):
        automaton = Matcher(lex).document_counts([text])
    assert default.tolist() == automaton.tolist()
    assert int(default[1].sum()) == 299  # every pair of neighbouring characters is a term


def test_two_categories_for_a_concept_name_the_first_such_concept_in_file_order(tmp_path):
    path = tmp_path / "lex.csv"
    path.write_text("concept,term,category\n甲,甲一,\n乙,乙一,p\n甲,甲二,y\n乙,乙二,q\n甲,甲三,x\n", encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        dictionary.load(path)
    assert str(error.value) == (f"{path}: concept '甲' is given two categories (x and y); give each concept one category")


def test_a_matcher_counts_the_same_after_pickling():
    import pickle

    lex = from_terms({"协商民主": ["协商民主", "基层协商民主"], "民主": ["民主"]})
    paragraphs = ["推进基层协商民主" * 700, "人民民主"]  # long enough for the trie
    m = Matcher(lex)
    before = m.document_counts(paragraphs)
    assert np.array_equal(pickle.loads(pickle.dumps(m)).document_counts(paragraphs), before)
    assert before[1].tolist() == [700, 700, 701]
