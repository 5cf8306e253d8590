"""Lexicon reading and validation: errors name the term and where it is."""

from __future__ import annotations

import pytest

from analysis import lexicon
from analysis.errors import LexiconError
from tests.conftest import write


def test_csv_and_yaml_forms_are_equivalent(tmp_path):
    csv = write(tmp_path / "l.csv", "concept,term,category,en\n协商民主,协商民主,民主,Consultative democracy\n"
                                     "协商民主,基层协商民主,民主,Consultative democracy\n")
    yaml = write(tmp_path / "l.yaml", """name: t
version: "2.0"
description: test lexicon
categories:
  - category: 民主
    en: Democracy
    concepts:
      - concept: 协商民主
        en: Consultative democracy
        terms: [协商民主, 基层协商民主]
        source: sample essay
""")
    a, b = lexicon.load(csv), lexicon.load(yaml)
    cols = ["category", "concept", "term", "en"]
    assert a.table[cols].equals(b.table[cols])
    assert (b.name, b.version, b.description) == ("t", "2.0", "test lexicon")
    assert len(b.sha256) == 64 and "2.0" in b.citation()


def test_term_under_two_concepts_names_term_and_both_concepts(tmp_path):
    path = write(tmp_path / "l.csv", "concept,term\n协商民主,基层协商民主\n基层治理,基层协商民主\n")
    with pytest.raises(LexiconError, match="'基层协商民主' is listed under two concepts, '协商民主' and '基层治理'"):
        lexicon.load(path)


def test_empty_term_is_an_error(tmp_path):
    with pytest.raises(LexiconError, match="empty term for concept '协商民主'"):
        lexicon.load(write(tmp_path / "l.csv", "concept,term\n协商民主,\n"))


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(LexiconError, match="missing column.*term"):
        lexicon.load(write(tmp_path / "l.csv", "concept,word\n协商民主,协商民主\n"))


def test_spaces_around_terms_are_stripped_and_duplicate_rows_merged(tmp_path):
    path = write(tmp_path / "l.csv", "concept,term\n协商民主, 协商民主\u3000\n协商民主,协商民主\n")
    assert lexicon.load(path).terms == ["协商民主"]


def test_malformed_yaml_reports_its_line(tmp_path):
    path = write(tmp_path / "l.yaml", "name: x\ncategories:\n  - category: a\n    concepts: [\n")
    with pytest.raises(LexiconError, match=r"malformed YAML at line \d+"):
        lexicon.load(path)


def test_yaml_is_read_with_a_safe_loader(tmp_path):
    path = write(tmp_path / "l.yaml", "name: !!python/object/apply:os.system ['echo pwned']\ncategories: []\n")
    with pytest.raises(LexiconError):
        lexicon.load(path)


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(LexiconError, match="unknown lexicon format"):
        lexicon.load(write(tmp_path / "l.txt", "x"))
    with pytest.raises(LexiconError, match="not found"):
        lexicon.load(tmp_path / "none.yaml")


def test_concepts_view_joins_variants(sample_lexicon):
    view = sample_lexicon.concepts.set_index("concept")
    assert view.loc["协商民主", "terms"] == "协商民主/基层协商民主"
