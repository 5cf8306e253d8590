"""The bundled governance lexicon: size, glosses, sources, and that it was curated against the data."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from analysis import corpus, lexicon
from analysis.config import CORPORA_DIR, PROJECT_DIR, SAMPLE_ESSAY
from analysis.measure.audit import audit


@pytest.fixture(scope="module")
def lex():
    return lexicon.load()


@pytest.fixture(scope="module")
def audited(lex):
    corp = corpus.build([CORPORA_DIR / "gov-work-reports", CORPORA_DIR / "cpc-congress-reports", SAMPLE_ESSAY])
    return audit(corp, lex)


def test_at_least_150_concepts_in_at_least_10_categories(lex):
    assert lex.table.concept.nunique() >= 150
    assert lex.table.category.nunique() >= 10


def test_every_concept_has_a_category_an_english_gloss_and_a_source(lex):
    per_concept = lex.table.drop_duplicates("concept")
    for column in ("category", "en", "source"):
        assert (per_concept[column].str.len() > 0).all(), per_concept[per_concept[column] == ""].concept.tolist()


def test_no_term_twice_and_no_empty_terms(lex):
    assert not lex.table.term.duplicated().any()
    assert (lex.table.term.str.strip() == lex.table.term).all() and (lex.table.term != "").all()


def test_the_sample_essay_concepts_are_covered(lex):
    for concept in ("党建引领", "协商民主", "社区治理", "一核多元"):
        assert concept in set(lex.table.concept)
    assert lex.table.set_index("term").loc["基层协商民主", "concept"] == "协商民主"


def test_version_and_description_are_exposed_for_citation(lex):
    assert lex.version and lex.description and lex.version in lex.citation()


def test_every_term_is_attested_in_a_bundled_text_or_marked_unattested(audited):
    unseen = audited[audited["count"] == 0]
    assert unseen.unattested.all(), unseen.term.tolist()
    assert not audited[audited["count"] > 0].unattested.any()  # the flag is not stale either


def test_a_concept_with_no_occurrence_anywhere_says_why(lex, audited):
    per_concept = audited.groupby("concept")["count"].sum()
    for concept in per_concept[per_concept == 0].index:
        source = lex.table[lex.table.concept == concept].source.iloc[0]
        assert source, concept


def test_audit_reports_first_year_jieba_split_and_nesting(audited):
    row = audited.set_index("term").loc["协商民主"]
    assert row.jieba_split == "协商/民主" and row.split_by_jieba
    assert "基层协商民主" in row.contained_in.split("/")
    # First year, derived independently: the earliest manifest year whose raw text contains the term.
    years = []
    for folder in ("gov-work-reports", "cpc-congress-reports"):
        manifest = pd.read_csv(CORPORA_DIR / folder / "MANIFEST.csv")
        years += [year for file, year in zip(manifest.file, manifest.year)
                  if "协商民主" in (CORPORA_DIR / folder / file).read_text(encoding="utf-8")]
    assert row.first_year == min(years)


def test_audit_and_lexicon_commands():
    status, _out, _ = subprocess.run([sys.executable, "-m", "analysis", "lexicon"], capture_output=True,
                                    cwd=PROJECT_DIR).returncode, *[None, None]
    assert status == 0
    done = subprocess.run([sys.executable, "-m", "analysis", "audit", "-q", str(SAMPLE_ESSAY)],
                          capture_output=True, cwd=PROJECT_DIR)
    table = pd.read_csv(io.StringIO(done.stdout.decode("utf-8")))
    assert done.returncode == 0 and table.columns[:3].tolist() == ["category", "concept", "term"]
    assert table.set_index("term").loc["党建引领", "count"] == 4


def test_congress_reports_count_by_year_has_every_concept_for_every_year(lex):
    done = subprocess.run([sys.executable, "-m", "analysis", "count", "-q", str(CORPORA_DIR / "cpc-congress-reports"),
                           "--by", "year"], capture_output=True, cwd=PROJECT_DIR)
    table = pd.read_csv(io.StringIO(done.stdout.decode("utf-8")))
    assert done.returncode == 0 and table.columns[0] == "year"
    assert len(table) == 12 * lex.table.concept.nunique()
    assert table.groupby("year").concept.nunique().eq(lex.table.concept.nunique()).all()
