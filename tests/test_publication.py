"""From results to the paper: the methods paragraph, three-line tables (.docx, .tex), citations, lexicon versions."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import docx
import pandas as pd
import pytest
import yaml

from analysis.cli import main
from analysis.config import DEFAULT_LEXICON, LEXICON_DIR, PROJECT_DIR, SAMPLE_ESSAY
from analysis.errors import LexiconError
from analysis.lexicon import load, versions
from analysis.present import citation, paper_tables, tables
from analysis.text import corpus

SAMPLE_LEXICON = str(LEXICON_DIR / "sample-concepts.csv")


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def yaml_concepts(path=DEFAULT_LEXICON) -> list[dict]:
    """The concepts of a YAML lexicon read with PyYAML directly, not with the package's loader."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [dict(concept, category=cat["category"]) for cat in data["categories"] for concept in cat["concepts"]]


@pytest.fixture(scope="module")
def sample_provenance(tmp_path_factory):
    """``count`` on the sample essay with the bundled lexicon: the provenance file and the CSV result."""
    folder = tmp_path_factory.mktemp("sample")
    status = main(["count", str(SAMPLE_ESSAY), "-q", "--provenance", str(folder / "p.json"),
                   "-o", str(folder / "c.csv")])
    assert status == 0
    return folder / "p.json", pd.read_csv(folder / "c.csv", encoding="utf-8-sig")


# --- the methods paragraph -------------------------------------------------------------------------------------

def numbers_in(value) -> set[str]:
    """Every number a provenance record holds: numeric values, and the digit groups of its texts (versions, dates)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found |= numbers_in(key) | numbers_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= numbers_in(item)
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, (int, float)):
        found.add(str(value))
    else:
        found |= set(re.findall(r"\d+(?:\.\d+)*", str(value)))
    return found


def sha256s_in(record) -> set[str]:
    return set(re.findall(r"\b[0-9a-f]{64}\b", json.dumps(record)))


def assert_every_number_is_in(text: str, record: dict) -> None:
    """Hashes in the text are prefixes of hashes of the record; every other number is a number of the record."""
    hashes = sha256s_in(record)
    for shown in re.findall(r"\b[0-9a-f]{12,64}\b", text):
        assert any(h.startswith(shown) for h in hashes), shown
    rest = re.sub(r"\b[0-9a-f]{12,64}\b", " ", text)
    held = numbers_in(record)
    numbers = [n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)*", rest)]
    assert numbers, "the paragraph states numbers"
    missing = [n for n in numbers if n not in held]
    assert not missing, f"numbers not in the provenance: {missing}"


@pytest.mark.parametrize("lang, duplicates, rate", [
    ("zh", "删除重复段落 7 段（涉及 1 篇文档）", "每 10,000 字"),
    ("en", "7 duplicate paragraphs removed (in 1 document)", "per 10,000 characters"),
])
def test_methods_on_the_sample_essay_states_duplicates_lexicon_and_rate_rule(capsys, sample_provenance, lang,
                                                                             duplicates, rate):
    path, _ = sample_provenance
    status, out, _ = run(capsys, "methods", str(path), "--lang", lang)
    assert status == 0
    # the sample essay has 16 non-empty lines, 9 of them distinct: 7 exact duplicates, all in its one document
    lines = [line.strip() for line in SAMPLE_ESSAY.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) - len(set(lines)) == 7
    assert duplicates in out
    concepts = yaml_concepts()
    n_terms = sum(len(set(c["terms"])) for c in concepts)
    header = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    if lang == "zh":
        assert f"词表 governance（版本 {header['version']}" in out
        assert f"{len(concepts)} 个概念，{n_terms} 个词条" in out
    else:
        assert f"lexicon governance (version {header['version']}" in out
        assert f"{len(concepts)} concepts, {n_terms:,} terms" in out
    assert rate in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_number_of_the_sample_paragraph_is_in_its_provenance(capsys, sample_provenance, lang):
    path, _ = sample_provenance
    record = json.loads(path.read_text(encoding="utf-8"))
    _, out, _ = run(capsys, "methods", str(path), "--lang", lang)
    assert_every_number_is_in(out, record)


@pytest.mark.parametrize("command, statistics", [
    (["keyness", "--split", "year>=2020"], ["Dunning 1993", "Hardie 2014"]),
    (["cooccur", "--unit", "paragraph"], ["Church & Hanks 1990", "Bouma 2009"]),
    (["words", "--top", "5"], []),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_methods_of_other_commands_cite_their_statistics_and_hold_only_recorded_numbers(capsys, tmp_path, command,
                                                                                        statistics, lang):
    texts = pd.DataFrame({"year": [2018, 2021, 2022],
                          "text": ["坚持协商民主，推进社区治理。", "发展全过程人民民主。社区治理不断加强。",
                                   "党建引领社区治理，协商民主广泛开展。"]})
    texts.to_csv(tmp_path / "t.csv", index=False)
    status = main([command[0], str(tmp_path / "t.csv"), *command[1:], "-q", "--provenance", str(tmp_path / "p.yaml"),
                   "-o", str(tmp_path / "r.csv")])
    assert status == 0
    capsys.readouterr()
    record = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    _, out, _ = run(capsys, "methods", str(tmp_path / "p.yaml"), "--lang", lang)
    assert_every_number_is_in(out, record)
    for cited in statistics:
        assert cited in out
    assert "2018–2022" in out  # the years of the corpus, from its year column
    if command[0] == "words":
        assert "jieba" in out.split("\n\n")[0]


def test_methods_of_a_file_that_is_not_a_provenance_is_one_error_line(capsys, tmp_path):
    (tmp_path / "p.json").write_text('{"a": 1}', encoding="utf-8")
    status, out, err = run(capsys, "methods", str(tmp_path / "p.json"))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "is not a provenance record" in err
    status, _, err = run(capsys, "methods", str(tmp_path / "missing.json"))
    assert status == 2 and "provenance file not found" in err


def test_reports_end_with_the_methods_paragraph():
    page = tables.provenance(corpus.build(SAMPLE_ESSAY), load(SAMPLE_LEXICON), created="2024-01-01").to_html()
    block = page[page.index('<div class="methods">'):]
    assert "删除重复段落 7 段（涉及 1 篇文档）" in block
    assert "7 duplicate paragraphs removed (in 1 document)" in block
    assert "caption-side: bottom" in page
    assert page.index("<caption") > 0 and "sample-concepts lexicon" in block


# --- tables for papers -----------------------------------------------------------------------------------------

def test_count_to_docx_is_a_three_line_table_with_every_concept_and_bilingual_headers(capsys, tmp_path,
                                                                                      sample_provenance):
    _, csv = sample_provenance
    status, _, _ = run(capsys, "count", str(SAMPLE_ESSAY), "-q", "-o", str(tmp_path / "t.docx"))
    assert status == 0
    document = docx.Document(str(tmp_path / "t.docx"))
    assert len(document.tables) == 1
    grid = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in grid.rows]
    header, body = rows[0], rows[1:]
    # Chinese label above the English one in each header cell
    assert header[:3] == ["概念\nConcept", "英文\nEnglish", "类别\nCategory"]
    assert "出现次数\nOccurrences" in header and "每万字出现次数\nPer 10,000 characters" in header
    concepts = yaml_concepts()
    assert sorted(r[0] for r in body) == sorted(c["concept"] for c in concepts)
    gloss = {c["concept"]: c["en"] for c in concepts}
    assert all(r[1] == gloss[r[0]] for r in body)
    # counts as in the CSV result; rates rounded to 2 decimals
    shown = {r[0]: r for r in body}
    count_at, rate_at = header.index("出现次数\nOccurrences"), header.index("每万字出现次数\nPer 10,000 characters")
    for row in csv.itertuples():
        assert shown[row.concept][count_at] == f"{row.count:,}"
        assert shown[row.concept][rate_at] == f"{row.per_10k:.2f}"
    # the one denominator in the note under the table, not as a column
    notes = [p.text for p in document.paragraphs]
    assert any("1,917 字" in n and "1,917 characters" in n for n in notes)
    assert "字数（分母）\nCharacters (denominator)" not in header
    # three lines: above and below the header row, below the last row; nothing else
    def edges(row):
        return [{e.tag.split("}")[1] for e in cell._tc.iter() if e.tag.endswith(("}top", "}bottom", "}left", "}right"))}
                for cell in row.cells]
    assert all(e == {"top", "bottom"} for e in edges(grid.rows[0]))
    assert all(e == {"bottom"} for e in edges(grid.rows[-1]))
    assert all(e == set() for row in list(grid.rows)[1:-1] for e in edges(row))


def tex_table(capsys, tmp_path, *extra: str) -> str:
    status, _, _ = run(capsys, "count", str(SAMPLE_ESSAY), "-q", "--lexicon", SAMPLE_LEXICON,
                       "-o", str(tmp_path / "t.tex"), *extra)
    assert status == 0
    return (tmp_path / "t.tex").read_text(encoding="utf-8")


def test_count_to_tex_is_a_booktabs_table(capsys, tmp_path):
    tex = tex_table(capsys, tmp_path, "--caption", "表 1 概念频次 Concept frequencies")
    lines = tex.splitlines()
    assert [lines.count(rule) for rule in ("\\toprule", "\\midrule", "\\bottomrule")] == [1, 1, 1]
    assert "\\vline" not in tex and "|" not in lines[[i for i, s in enumerate(lines) if s.startswith("\\begin{tabular}")][0]]
    spec = re.search(r"\\begin\{tabular\}\{([lcr]+)\}", tex).group(1)
    rows = [line for line in lines if line.endswith("\\\\")]
    assert len(rows) == 2 + 3  # two header rows (Chinese, English) and the three concepts of the sample lexicon
    assert all(line.count(" & ") + 1 == len(spec) for line in rows)
    assert rows[0].startswith("概念 & 英文 & 类别 & 出现次数") and rows[1].startswith("Concept & English & Category")
    assert lines.index("\\toprule") < lines.index(rows[0]) < lines.index(rows[1]) < lines.index("\\midrule")
    assert "\\caption{表 1 概念频次 Concept frequencies}" in tex
    assert tex.index("\\bottomrule") < tex.index("1,917 字") < tex.index("\\end{table}")


def test_long_tables_become_longtables(capsys, tmp_path):
    status, _, _ = run(capsys, "count", str(SAMPLE_ESSAY), "-q", "-o", str(tmp_path / "t.tex"))
    tex = (tmp_path / "t.tex").read_text(encoding="utf-8")
    assert status == 0 and "\\begin{longtable}" in tex and "\\bottomrule" in tex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_tex_table_compiles_with_pdflatex(capsys, tmp_path):
    tex_table(capsys, tmp_path, "--caption", "Concept frequencies", "--pinyin")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n\\usepackage{CJKutf8}\n"
        "\\usepackage{textcomp}\n\\begin{document}\n\\begin{CJK}{UTF8}{gbsn}\n\\input{t.tex}\n\\end{CJK}\n"
        "\\end{document}\n", encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp_path,
                          capture_output=True, text=True, errors="replace", timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 0


def test_pinyin_and_glosses_are_columns_after_the_concept():
    table = pd.DataFrame({"concept_a": ["协商民主"], "concept_b": ["社区治理"], "count": [2], "npmi": [0.51234]})
    shown = paper_tables.prepare(table, lexicon=load(SAMPLE_LEXICON), pinyin=True).frame
    assert shown.columns.tolist() == [("概念甲", "Concept A"), ("英文", "English"), ("拼音", "Pinyin"),
                                      ("概念乙", "Concept B"), ("英文", "English"), ("拼音", "Pinyin"),
                                      ("出现次数", "Occurrences"), ("NPMI", "")]
    assert shown.iloc[0].tolist() == ["协商民主", "Consultative democracy", "xié shāng mín zhǔ", "社区治理",
                                      "Community governance", "shè qū zhì lǐ", "2", "0.512"]


def test_rates_of_several_groups_keep_their_denominators_as_a_column():
    table = pd.DataFrame({"year": [2020, 2021], "concept": ["社区治理"] * 2, "count": [3, 1200],
                          "chars": [1000, 25000], "per_10k": [30.0, 480.0]})
    paper = paper_tables.prepare(table)
    assert paper.frame.values.tolist() == [["2020", "社区治理", "3", "1,000", "30.00"],
                                           ["2021", "社区治理", "1,200", "25,000", "480.00"]]
    assert "字数（分母）" in paper.notes[0] and "characters (denominator)" in paper.notes[0]


def test_a_paper_table_never_overwrites_an_input(capsys, tmp_path):
    target = tmp_path / "essay.tex"
    target.write_text(SAMPLE_ESSAY.read_text(encoding="utf-8"), encoding="utf-8")
    before = target.read_bytes()
    status, _, err = run(capsys, "count", str(target), "-q", "-o", str(target))
    assert status == 2 and "is a file this run reads" in err and target.read_bytes() == before


# --- citing ----------------------------------------------------------------------------------------------------

def test_cite_prints_the_software_and_lexicon_citations(capsys):
    cff = yaml.safe_load((PROJECT_DIR / "CITATION.cff").read_text(encoding="utf-8"))
    status, out, _ = run(capsys, "cite")
    assert status == 0
    assert cff["title"] in out and f"version {cff['version']}" in out and cff["authors"][0]["name"] in out
    # the lexicon's terms hashed here from the YAML itself, one "category<TAB>concept<TAB>term" line per term
    lines = "".join(f"{c['category']}\t{c['concept']}\t{t}\n" for c in yaml_concepts() for t in c["terms"])
    header = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    assert f"governance lexicon, version {header['version']}" in out
    assert hashlib.sha256(lines.encode("utf-8")).hexdigest() in out
    assert "Dunning, T. (1993)" in out and "not a recorded version" not in out


def test_citation_file_agrees_with_the_package():
    cff = yaml.safe_load((PROJECT_DIR / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["title"] == citation.SOFTWARE["title"]
    assert cff["version"] == citation.SOFTWARE["version"]
    assert cff["authors"] == [{"name": citation.SOFTWARE["authors"]}]
    assert cff["license"] == citation.SOFTWARE["license"]
    assert str(cff["date-released"]).startswith(citation.SOFTWARE["year"])


def test_provenance_holds_the_citations(sample_provenance):
    record = json.loads(sample_provenance[0].read_text(encoding="utf-8"))
    assert record["citation"]["software"] == citation.software_citation()
    assert record["lexicon"]["citation"] == citation.lexicon_citation(load())
    assert record["lexicon"]["date"] == versions.entry(load())["date"]


@pytest.mark.parametrize("name", sorted(p.name for p in LEXICON_DIR.glob("*") if p.suffix in (".yaml", ".csv")
                                        and p.name != "versions.csv"))
def test_every_bundled_lexicon_version_is_recorded_with_its_terms(name):
    """Changing a term of a bundled lexicon without a new version (and a new line in versions.csv) fails here."""
    found = versions.check(load(LEXICON_DIR / name))
    lex = load(LEXICON_DIR / name)
    assert (found["concepts"], found["terms"]) == (str(lex.table.concept.nunique()), str(len(lex.table)))


def test_a_term_changed_without_a_new_version_is_caught(tmp_path):
    text = DEFAULT_LEXICON.read_text(encoding="utf-8")
    assert "terms: [党建引领]" in text
    changed = tmp_path / "governance.yaml"
    changed.write_text(text.replace("terms: [党建引领]", "terms: [党建引领, 党建引领作用]", 1), encoding="utf-8")
    with pytest.raises(LexiconError, match="give the lexicon a new version"):
        versions.check(load(changed))
    bumped = tmp_path / "bumped.yaml"
    bumped.write_text(changed.read_text(encoding="utf-8").replace('version: "2.0.0"', 'version: "2.0.1"'),
                      encoding="utf-8")
    with pytest.raises(LexiconError, match="is not recorded"):
        versions.check(load(bumped))
    # a gloss or a note is not a term: the version stays valid
    glossed = tmp_path / "glossed.yaml"
    glossed.write_text(text.replace("en: Party-building leadership", "en: Party building leads", 1), encoding="utf-8")
    assert versions.check(load(glossed))["version"] == "2.0.0"


def test_methods_into_a_file_is_utf8_whatever_the_console_encoding(sample_provenance):
    """Redirected on Windows, print would use a code page without these characters; the paragraph is UTF-8 bytes."""
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    done = subprocess.run([sys.executable, "-m", "analysis", "methods", str(sample_provenance[0])],
                          capture_output=True, cwd=PROJECT_DIR, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "删除重复段落 7 段" in done.stdout.decode("utf-8")
