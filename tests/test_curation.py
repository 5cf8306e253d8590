"""The curation loop: sheets record decisions; curate adds only accepted rows, and refuses incomplete decisions."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from analysis import lexicon
from analysis.config import LEXICON_DIR, PROJECT_DIR
from analysis.errors import LexiconError
from analysis.lexicon import curation, from_terms

ROUND = LEXICON_DIR / "curation" / "round-2026-12-discover-since-2012.csv"


def cli(*args: str):
    done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, cwd=PROJECT_DIR)
    return done.returncode, done.stdout.decode("utf-8-sig"), done.stderr.decode("utf-8")


def filled(*rows):
    sheet = curation.sheet([r[1] for r in rows], ["test"] * len(rows))
    for i, (concept, _, decision, by, why) in enumerate(rows):
        sheet.loc[i, ["concept", "category", "decision", "by", "why"]] = [concept, "发展" if concept else "",
                                                                          decision, by, why]
    return sheet


def test_only_accepted_rows_enter_the_lexicon_with_their_reason_in_source():
    base = from_terms({"共同富裕": ["共同富裕"]}, category="发展")
    sheet = filled(("新质生产力", "新质生产力", "accept", "LW", "2024 formulation"),
                   ("", "各位代表", "reject", "LW", "form of address"),
                   ("", "深入实施", "", "", ""))
    table, tally = curation.decide(base, sheet)
    assert table.term.tolist() == ["共同富裕", "新质生产力"]
    assert table.source.iloc[1] == "test; accepted by LW: 2024 formulation"
    assert tally == {"accept": 1, "reject": 1, "undecided": 1}


@pytest.mark.parametrize("row, message", [
    (("新质生产力", "新质生产力", "accept", "", "2024"), "who made it"),
    (("新质生产力", "新质生产力", "reject", "LW", ""), "who made it"),
    (("", "新质生产力", "accept", "LW", "2024"), "needs its concept"),
    (("新质生产力", "新质生产力", "maybe", "LW", "2024"), "not accept or reject"),
    (("其他", "共同富裕", "accept", "LW", "moved"), "listed under two concepts"),
])
def test_an_incomplete_or_clashing_decision_is_one_sentence(row, message):
    base = from_terms({"共同富裕": ["共同富裕"]}, category="发展")
    with pytest.raises(LexiconError, match=message):
        curation.decide(base, filled(row))


def test_the_recorded_round_decides_every_row_and_extends_the_bundled_lexicon(tmp_path):
    sheet = curation.read_sheet(ROUND)
    assert sheet.decision.isin(["accept", "reject"]).all() and (sheet.by != "").all() and (sheet.why != "").all()
    out = tmp_path / "grown.csv"
    code, _, err = cli("curate", str(ROUND), "-o", str(out))
    assert code == 0, err
    accepted = sheet[sheet.decision == "accept"].term.tolist()
    assert f"{len(accepted)} accepted, {len(sheet) - len(accepted)} rejected, 0 undecided" in err
    grown = lexicon.load(out)
    before = lexicon.load()
    assert len(grown.table) == len(before.table) + len(accepted)
    assert set(grown.terms) - set(before.terms) == set(accepted)


def test_curate_refuses_a_sheet_without_decision_columns(tmp_path):
    plain = tmp_path / "plain.csv"
    pd.DataFrame({"concept": ["a"], "term": ["新质生产力"]}).to_csv(plain, index=False)
    code, _, err = cli("curate", str(plain), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and err.count("\n") == 1 and "needs the column(s) category, en, source, decision, by, why" in err
    assert not (tmp_path / "out.csv").exists()
