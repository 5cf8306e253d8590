"""Reproducibility: identical CSV bytes for identical runs, and the provenance of a run."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys

import pytest
import yaml

from analysis import corpus, lexicon, provenance, report_provenance
from analysis.cli import COMMANDS
from analysis.config import CORPORA_DIR, LEXICON_DIR, PROJECT_DIR, SAMPLE_DIR, SAMPLE_ESSAY

LEX = str(LEXICON_DIR / "sample-concepts.csv")
CPC = str(CORPORA_DIR / "cpc-congress-reports")

#: A representative invocation of each command; a command not listed here runs as `COMMAND SAMPLE --lexicon LEX`.
INVOCATIONS = {
    "count": ["count", str(SAMPLE_DIR), "--lexicon", LEX, "--level", "term", "--by", "doc"],
    "words": ["words", str(SAMPLE_DIR), "--lexicon", LEX, "--top", "40"],
    "lexicon": ["lexicon"],
    "audit": ["audit", str(SAMPLE_DIR), "--lexicon", LEX],
    "kwic": ["kwic", str(SAMPLE_DIR), "--lexicon", LEX, "--term", "社区治理"],
    "cooccur": ["cooccur", str(SAMPLE_DIR), "--lexicon", LEX, "--unit", "paragraph"],
    "keyness": ["keyness", CPC, "--split", "year>=2012"],
    "clauses": ["clauses", str(SAMPLE_DIR)],
    "code": ["code", str(SAMPLE_DIR), "--table", "profile", "--level", "type"],
    "reuse": ["reuse", str(SAMPLE_ESSAY), str(CORPORA_DIR / "cpc-congress-reports" / "congress-20.txt"), "--shares"],
}


#: Commands whose output is not a result table.
NOT_TABLES = {"cache": "prints the cache's location and size", "report": "writes HTML reports (tested with them)",
              "agreement": "reads a coding worksheet, not texts (its table is tested in test_policy_tools)",
              "methods": "prints the methods paragraph of a provenance file (tests/test_publication.py)",
              "cite": "prints citations (tests/test_publication.py)"}


def run(args, seed: str):
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, cwd=PROJECT_DIR, env=env)
    return done.returncode, done.stdout, done.stderr.decode("utf-8")


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - set(NOT_TABLES)))
def test_two_runs_give_byte_identical_csv(command, tmp_path):
    args = INVOCATIONS.get(command, [command, str(SAMPLE_DIR), "--lexicon", LEX])
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    status1, _, err1 = run([*args, "-o", str(first)], seed="1")
    status2, out, err2 = run(args, seed="2")  # a different hash seed: no set or dict order leaks into output
    assert status1 == 0 and status2 == 0, err1 + err2
    assert first.read_bytes() == b"\xef\xbb\xbf" + out  # the file is standard output plus Excel's BOM
    status3, _, _ = run([*args, "-o", str(second)], seed="3")
    assert status3 == 0 and second.read_bytes() == first.read_bytes()
    assert len(out.splitlines()) >= 2


def _sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_provenance_records_inputs_lexicon_options_cleaning_and_versions(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes("社区 治理\n社区 治理\n党建引领".encode("gb18030"))
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    status, _, err = run(["count", str(tmp_path / "in"), "--lexicon", LEX, "--level", "term",
                          "-o", str(tmp_path / "r.csv"), "--provenance", str(tmp_path / "p.json")], seed="0")
    assert status == 0, err
    record = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert [(i["path"], i["sha256"], i["documents"]) for i in record["inputs"]] == [
        (str(tmp_path / "in" / "a.txt"), _sha(tmp_path / "in" / "a.txt"), 1),
        (str(tmp_path / "in" / "empty.txt"), hashlib.sha256(b"").hexdigest(), 0),
    ]
    assert record["documents"]["given"] == 2 and record["documents"]["counted"] == 1
    assert record["documents"]["chars"] == 8  # 社区治理 + 党建引领 after cleaning
    assert record["documents"]["skipped"] == [
        {"doc": "empty", "path": str(tmp_path / "in" / "empty.txt"), "reason": "empty file"}]
    lex_record = record["lexicon"]
    assert {k: lex_record[k] for k in ("name", "version", "path", "sha256", "concepts", "terms")} == {
        "name": "sample-concepts", "version": "", "path": LEX, "sha256": _sha(LEX), "concepts": 3, "terms": 4}
    with open(LEX, encoding="utf-8") as handle:  # the terms hash: one category<TAB>concept<TAB>term line per row
        lines = "".join(f"{r['category']}\t{r['concept']}\t{r['term']}\n" for r in csv.DictReader(handle))
    assert lex_record["terms_sha256"] == hashlib.sha256(lines.encode("utf-8")).hexdigest()
    assert lex_record["citation"].startswith("sample-concepts lexicon, no version (")
    cleaning = {c["step"]: (c["changed"], c["documents"]) for c in record["cleaning"]}
    assert cleaning == {"line_endings": (0, 0), "han_spaces": (2, 1), "contents": (0, 0), "duplicates": (1, 1)}
    assert record["options"]["level"] == "term" and "output" not in record["options"]
    assert record["output"] == str(tmp_path / "r.csv")
    assert record["command"].startswith("python -m analysis count ")
    assert {"python", "analysis", "pandas", "jieba"} <= set(record["versions"])
    assert dt.datetime.fromisoformat(record["created"]).tzinfo is not None


def test_provenance_of_two_identical_runs_differs_only_in_its_date(tmp_path):
    records = []
    for name in ("1.yaml", "2.yaml"):
        args = ["words", str(SAMPLE_DIR), "--lexicon", LEX, "--top", "5", "-o", str(tmp_path / "w.csv"),
                "--provenance", str(tmp_path / name)]
        assert run(args, seed="0")[0] == 0
        records.append(yaml.safe_load((tmp_path / name).read_text(encoding="utf-8")))
    for record, name in zip(records, ("1.yaml", "2.yaml")):
        record.pop("created")
        assert record.pop("command").endswith(f"--provenance {tmp_path / name}")  # the only other difference
    assert records[0] == records[1] and records[0]["options"]["top"] == 5


def test_provenance_as_a_table_for_reports(sample_corpus, sample_lexicon):
    record = provenance.collect(sample_corpus, sample_lexicon, options={"by": "year"}, created="2024-01-01")
    table = report_provenance.to_table(record)
    assert list(table.columns) == ["item", "value"]
    values = dict(zip(table.item, table.value))
    assert values["生成日期 date"] == "2024-01-01" and values["参数 parameters"] == "by = year"
    assert values["词表文件 lexicon file"].endswith(f"sha256 {_sha(LEX)}")
    assert values["输入文件 input"].endswith(f"sha256 {_sha(SAMPLE_ESSAY)}")
    assert values["文档 documents"].startswith("给定 1，计入 1，跳过 0")
    assert "删除重复段落（段）：7（1 篇文档）" in table.value.tolist()


def test_provenance_api_without_a_corpus_and_bad_file_names(tmp_path):
    record = provenance.collect(lexicon=lexicon.load(LEX))
    assert "inputs" not in record and record["lexicon"]["terms"] == 4
    with pytest.raises(provenance.OutputError, match="unknown provenance format"):
        provenance.write(record, tmp_path / "p.csv")
    path = provenance.write(record, tmp_path / "p.json")
    assert json.loads(path.read_text(encoding="utf-8"))["lexicon"]["name"] == "sample-concepts"


def test_api_results_are_equal_for_equal_inputs(tmp_path):
    from analysis import count, match

    lex = lexicon.load(LEX)
    tables = []
    for _ in range(2):
        corp = corpus.build(SAMPLE_DIR)
        tables.append(count.terms(match.find(corp.paragraphs, lex), corp, lex, by="doc").to_csv(index=False))
    assert tables[0] == tables[1]


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - set(NOT_TABLES) - {"lexicon"}))
def test_every_command_reading_texts_can_write_its_provenance(command, tmp_path):
    args = [*INVOCATIONS[command], "-q", "-o", str(tmp_path / "r.csv"), "--provenance", str(tmp_path / "p.json")]
    status, _, err = run(args, seed="0")
    assert status == 0, err
    record = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    hashes = {i["sha256"] for i in record["inputs"]}
    given = SAMPLE_ESSAY if command != "keyness" else CORPORA_DIR / "cpc-congress-reports" / "congress-20.txt"
    assert hashlib.sha256(given.read_bytes()).hexdigest() in hashes
    assert record["documents"]["counted"] >= 1
    if command not in ("clauses", "reuse"):  # these two use no lexicon; code records its codebook
        assert record["lexicon"]["sha256"]


def test_keyness_of_two_inputs_records_both(tmp_path):
    args = ["keyness", str(SAMPLE_ESSAY), str(CORPORA_DIR / "cpc-congress-reports" / "congress-20.txt"),
            "-q", "-o", str(tmp_path / "r.csv"), "--provenance", str(tmp_path / "p.json")]
    status, _, err = run(args, seed="0")
    record = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert status == 0, err
    assert [i["path"].rsplit("/", 1)[-1] for i in record["inputs"]] == [SAMPLE_ESSAY.name, "congress-20.txt"]
