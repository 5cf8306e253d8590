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


def test_a_concept_found_in_no_bundled_text_has_a_note_saying_so(raw, audited):
    per_concept = audited.groupby("concept")["count"].sum()
    notes = {c["concept"]: c.get("note", "") for c in _concepts(raw)}
    for concept in per_concept[per_concept == 0].index:
        assert "no bundled text" in notes[concept], concept


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


# ---- Lexicon 2.0: valid variants, since years, coverage, compound slogans -------------------------------------

import re  # noqa: E402

import yaml  # noqa: E402

from analysis import count, match  # noqa: E402
from analysis.errors import LexiconError  # noqa: E402

BEFORE_SINCE = "before since:"  # the note marker that explains a concept attested well before its since year


def _bare(text: str) -> str:
    """A phrase without the list punctuation of compound slogans (、，,) and spaces."""
    return re.sub(r"[、，,\s]", "", text)


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load((PROJECT_DIR / "data" / "lexicon" / "governance.yaml").read_text(encoding="utf-8"))


def _concepts(raw):
    return [concept for category in raw["categories"] for concept in category["concepts"]]


def test_at_least_450_concepts_each_with_a_since_year_or_an_explicit_unknown(lex, raw):
    assert lex.table.concept.nunique() >= 450
    for concept in _concepts(raw):
        since = concept.get("since")
        assert since == "unknown" or (type(since) is int and 1900 <= since <= 2025), (concept["concept"], since)
    assert lex.version == "2.0.0"


def test_since_is_exposed_as_a_nullable_year_column(lex):
    assert str(lex.table.since.dtype) == "Int64"
    since = lex.concepts.set_index("concept").since
    assert since["全过程人民民主"] == 2019 and since["全面深化改革"] == 2013
    assert pd.isna(since["社区治理"])  # "unknown"


@pytest.mark.parametrize("value", ["2013年", "soon", "true", "2013.5", "[2013]", "0"])
def test_since_must_be_a_year_or_unknown(tmp_path, value):
    path = tmp_path / "bad.yaml"
    path.write_text("categories:\n  - category: 甲\n    concepts:\n      - concept: 乙丙\n"
                    f"        terms: [乙丙]\n        since: {value}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="乙丙"):
        lexicon.load(path)


def test_every_term_contains_its_concept_or_is_documented_in_the_note(raw):
    # Rule 1 of the 2.0 review: a term is the concept's name, a longer form containing it (ignoring the 、 and ，
    # of compound slogans), a part of a compound slogan (the note says "Compound slogan"), or it is named in the note.
    for concept in _concepts(raw):
        name, note = concept["concept"], concept.get("note", "")
        for term in concept["terms"]:
            contains = name in _bare(term)
            part_of_slogan = "Compound slogan" in note and _bare(term) in name
            documented = _bare(term) in _bare(note)
            assert contains or part_of_slogan or documented, (name, term)


def test_full_deepening_of_reform_counts_only_its_own_formulation():
    corp = corpus.build(CORPORA_DIR / "gov-work-reports")
    lex = lexicon.load()
    counted = count.concepts(match.find(corp.paragraphs, lex), corp, lex, by="doc")
    counted = counted[counted.concept == "全面深化改革"].set_index("doc")["count"]
    plain = corp.paragraphs.groupby("doc").text.agg(lambda texts: sum(t.count("全面深化改革") for t in texts))
    assert counted.reindex(plain.index, fill_value=0).astype(int).to_dict() == plain.astype(int).to_dict()
    years = corp.docs.set_index("doc").year
    hit_years = sorted(int(years[doc]) for doc, n in plain.items() if n)
    assert hit_years[0] == 1989 and plain[years[years == 1989].index[0]] == 1
    assert 1987 not in hit_years  # the 深化改革 of 1987 is its own concept now
    assert lex.table.set_index("term").loc["深化改革", "concept"] == "深化改革"


def test_no_concept_attested_well_before_its_since_year_without_a_note(raw, audited):
    # The rule: audit flags before_since when a concept occurs in a text dated more than 3 years before its since
    # year. Every flagged concept explains the early hits in its note after the marker "before since:", and the
    # marker is not left on a concept that is no longer flagged.
    flagged = set(audited[audited.before_since].concept)
    marked = {c["concept"] for c in _concepts(raw) if BEFORE_SINCE in c.get("note", "")}
    assert flagged == marked
    assert {"全面深化改革", "新农村"} <= flagged


def test_audit_flags_a_concept_attested_more_than_three_years_before_its_since(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("categories:\n  - category: 甲\n    concepts:\n"
                    "      - concept: 社区治理\n        terms: [社区治理]\n        since: 2030\n"
                    "      - concept: 协商民主\n        terms: [协商民主]\n        since: 2015\n"
                    "      - concept: 党建引领\n        terms: [党建引领]\n        since: unknown\n", encoding="utf-8")
    corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")  # 社区治理 and 协商民主 first occur in 2012
    table = audit(corp, lexicon.load(path)).drop_duplicates("concept").set_index("concept").before_since
    assert table.to_dict() == {"社区治理": True, "协商民主": False, "党建引领": False}


@pytest.mark.parametrize("text, concept", [
    ("一体推进不敢腐、不能腐、不想腐。", "不敢腐不能腐不想腐"),
    ("一体推进不敢腐不能腐不想腐。", "不敢腐不能腐不想腐"),
    ("积极稳妥推进碳达峰碳中和。", "碳达峰碳中和"),
    ("积极稳妥推进碳达峰、碳中和。", "碳达峰碳中和"),
    ("坚决反对形式主义、官僚主义。", "形式主义官僚主义"),
    ("推动大众创业、万众创新。", "大众创业万众创新"),
    ("开展“不忘初心、牢记使命”主题教育。", "不忘初心牢记使命"),
    ("全面推行“双随机、一公开”监管。", "双随机一公开"),
    ("深化简政放权、放管结合、优化服务改革。", "放管服"),
    ("坚持精准扶贫、精准脱贫基本方略。", "精准扶贫"),
])
def test_a_compound_slogan_counts_once_per_mention(text, concept):
    lex = lexicon.load()
    corp = corpus.from_documents([corpus.Document("d", text, "d.txt", "utf-8", "")])
    counted = count.concepts(match.find(corp.paragraphs, lex), corp, lex).set_index("concept")["count"]
    assert counted[concept] == 1


def test_a_part_of_a_compound_slogan_alone_still_counts():
    lex = lexicon.load()
    corp = corpus.from_documents([corpus.Document("d", "强化不敢腐的震慑。实现碳达峰。", "d.txt", "utf-8", "")])
    counted = count.concepts(match.find(corp.paragraphs, lex), corp, lex).set_index("concept")["count"]
    assert counted["不敢腐不能腐不想腐"] == 1 and counted["碳达峰碳中和"] == 1


def test_local_government_and_five_year_plan_vocabulary_is_covered(lex):
    required = ["市场主体", "退役军人", "稳中求进", "国土空间规划", "城市更新", "新质生产力", "专精特新",
                "老旧小区改造", "铸牢中华民族共同体意识", "林长制"]
    assert set(required) <= set(lex.table.concept)
