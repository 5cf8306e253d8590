"""Keyness: G2, p and log ratio against hand-computed values; counts agree with count."""

from __future__ import annotations

import io
import math
import subprocess
import sys

import pandas as pd
import pytest

from analysis import corpus, count, keyness, lexicon, match, plot_context
from analysis.config import CORPORA_DIR, PROJECT_DIR
from analysis.errors import InputError
from analysis.lexicon import from_terms


def hand_g2(a, b, c, d):
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    return 2 * ((a * math.log(a / e1) if a else 0) + (b * math.log(b / e2) if b else 0))


def test_g2_p_and_log_ratio_of_a_small_table_match_hand_computation():
    table = keyness.compare({"协商民主": 30}, {"协商民主": 10}, 1000, 2000).iloc[0]
    # E1 = 1000 * 40 / 3000 = 13.33, E2 = 26.67; G2 = 2 (30 ln(30/13.33) + 10 ln(10/26.67)) = 29.0392
    assert table.g2 == pytest.approx(29.0392, abs=1e-4)
    assert table.g2 == pytest.approx(hand_g2(30, 10, 1000, 2000), abs=1e-4)
    assert table.p == pytest.approx(math.erfc(math.sqrt(29.0392279 / 2)), rel=1e-6)  # chi2, 1 df
    assert table.log_ratio == pytest.approx(math.log2((30 / 1000) / (10 / 2000)), abs=1e-4)  # log2(6)
    assert table.key_for == "target"
    assert (table.target_total, table.reference_total) == (1000, 2000)


def test_a_zero_count_uses_zero_times_log_zero_and_the_half_correction_for_log_ratio():
    table = keyness.compare({"全过程人民民主": 10}, {}, 1000, 1000).iloc[0]
    assert table.g2 == pytest.approx(2 * 10 * math.log(2), abs=1e-4)          # b term is 0
    assert table.log_ratio == pytest.approx(math.log2(10 / 0.5), abs=1e-4)     # 0 -> 0.5
    assert (table.target_count, table.reference_count) == (10, 0)
    reverse = keyness.compare({}, {"阶级斗争": 6}, 1000, 3000).iloc[0]
    assert reverse.key_for == "reference" and reverse.log_ratio < 0
    assert reverse.g2 == pytest.approx(hand_g2(0, 6, 1000, 3000), abs=1e-4)


def test_equal_rates_are_key_for_neither_and_rows_are_sorted_by_g2():
    table = keyness.compare({"甲": 5, "乙": 50, "丙": 1}, {"甲": 10, "乙": 10, "丙": 1}, 100, 200, min_count=3)
    assert table.item.tolist() == ["乙", "甲"]                      # 丙 (2 in all) dropped by min_count
    assert table.set_index("item").loc["甲", ["g2", "log_ratio", "key_for"]].tolist() == [0.0, 0.0, "neither"]


def test_concept_keyness_uses_the_counts_of_count_and_characters_as_sizes(tmp_path):
    (tmp_path / "a.txt").write_text("推进协商民主。协商民主好。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("加强社区治理，协商民主。", encoding="utf-8")
    lex = from_terms({"协商民主": ["协商民主"], "社区治理": ["社区治理"]})
    target, reference = corpus.build(tmp_path / "a.txt"), corpus.build(tmp_path / "b.txt")
    table = keyness.concepts(target, reference, lex).set_index("item")
    assert table.loc["协商民主", ["target_count", "reference_count", "target_total", "reference_total"]].tolist() == [
        2, 1, 13, 12]
    assert table.loc["社区治理", "key_for"] == "reference"
    assert table.loc["协商民主", "g2"] == pytest.approx(hand_g2(2, 1, 13, 12), abs=1e-4)


def test_split_by_year_puts_documents_meeting_the_condition_in_the_target():
    corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    after, before = keyness.split(corp, "year>=2012")
    assert after.docs.year.tolist() == [2012, 2017, 2022] and before.docs.year.max() < 2012
    assert set(after.paragraphs.doc) == set(after.docs.doc)
    same, _ = keyness.by_groups(corp, "year", [2012, 2017, 2022])
    assert same.docs.doc.tolist() == after.docs.doc.tolist()
    lex = lexicon.load()
    table = keyness.concepts(after, before, lex).set_index("item")
    whole = count.concepts(match.find(corp.paragraphs, lex), corp, lex).set_index("concept")["count"]
    both = table.target_count + table.reference_count
    assert (both == whole.reindex(table.index)).all()
    assert table.loc["全过程人民民主", "reference_count"] == 0
    assert table.loc["全过程人民民主", "target_total"] == after.docs.chars.sum()


def test_word_keyness_sizes_are_the_counted_word_tokens(tmp_path):
    from analysis.measure.segment import Segmenter

    (tmp_path / "a.txt").write_text("改革开放。改革创新。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("阶级斗争。开放。", encoding="utf-8")
    seg = Segmenter(from_terms({"改革": ["改革"], "开放": ["开放"], "阶级斗争": ["阶级斗争"], "创新": ["创新"]}))
    table = keyness.words(corpus.build(tmp_path / "a.txt"), corpus.build(tmp_path / "b.txt"), seg,
                          stopwords=frozenset(), min_count=1).set_index("item")
    assert table.loc["改革", ["target_count", "reference_count", "target_total", "reference_total"]].tolist() == [
        2, 0, 4, 2]


@pytest.mark.parametrize("expression, message", [
    ("year 2012", "cannot read the split"),
    ("yr>=2012", "no such metadata column"),
    ("year>=2050", "no document matches 'year>=2050'"),
    ("year>=1900", "every document matches"),
    ("year>=abc", "is not one"),
])
def test_bad_splits_raise_input_error(expression, message):
    corp = corpus.build(CORPORA_DIR / "cpc-congress-reports")
    with pytest.raises(InputError, match=message):
        keyness.split(corp, expression)


def test_empty_side_raises():
    with pytest.raises(InputError, match="reference is empty"):
        keyness.compare({"甲": 1}, {}, 10, 0)


def test_cli_keyness_with_two_paths_and_with_split(tmp_path):
    def run(*args):
        done = subprocess.run([sys.executable, "-m", "analysis", "keyness", *args, "-q"],
                              capture_output=True, cwd=PROJECT_DIR)
        return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")

    folder = CORPORA_DIR / "cpc-congress-reports"
    status, out, _ = run(str(folder / "congress-20.txt"), str(folder / "congress-12.txt"))
    table = pd.read_csv(io.StringIO(out))
    assert status == 0 and list(table.columns) == keyness.KEYNESS_COLUMNS
    status, out, _ = run(str(folder), "--split", "year>=2012")
    assert status == 0 and pd.read_csv(io.StringIO(out)).set_index("item").loc["全过程人民民主", "key_for"] == "target"
    status, out, err = run(str(folder))
    assert status == 2 and out == "" and err.startswith("error: keyness needs two inputs")


def test_keyness_chart_draws_both_sides():
    table = keyness.compare({"全过程人民民主": 9, "党的领导": 20}, {"阶级斗争": 69, "党的领导": 30}, 90000, 240000)
    fig = plot_context.keyness(table, target="2012年以后", reference="2012年以前")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["全过程人民民主", "党的领导", "阶级斗争"]


def _cli(*args):
    import subprocess
    import sys

    from analysis.config import PROJECT_DIR

    done = subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, cwd=PROJECT_DIR)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def _folder(tmp_path, rows):
    folder = tmp_path / "docs"
    folder.mkdir()
    lines = ["file,year"]
    for name, year, text in rows:
        (folder / name).write_text(text, encoding="utf-8")
        lines.append(f"{name},{year}")
    (folder / "MANIFEST.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_documents_without_a_split_value_are_on_neither_side_and_named(tmp_path):
    folder = _folder(tmp_path, [("a.txt", "2019", "协商民主。"), ("b.txt", "二〇二〇", "协商民主，社区治理。"),
                                ("c.txt", "", "社区治理。"), ("d.txt", "2010", "社区治理。")])
    status, out, err = _cli("keyness", folder, "--split", "year>=2015", "--lexicon",
                            "data/lexicon/sample-concepts.csv")
    assert status == 0, err
    assert "1 document(s) have no usable 'year' value and are left out of both sides: c" in err
    rows = {line.split(",")[0]: line.split(",") for line in out.splitlines()[1:]}
    # target: a (2019) and b (二〇二〇, read as 2020); reference: d (2010); c on neither side
    assert rows["协商民主"][1:3] == ["2", "0"] and rows["社区治理"][1:3] == ["1", "1"]
    assert rows["协商民主"][3] == str(len("协商民主。") + len("协商民主，社区治理。"))


def test_two_inputs_that_share_file_names_are_different_documents(tmp_path):
    for side, text in (("t", "协商民主。协商民主。"), ("r", "社区治理。")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "001.txt").write_text(text, encoding="utf-8")
    status, out, err = _cli("keyness", tmp_path / "t", tmp_path / "r", "--lexicon", "data/lexicon/sample-concepts.csv")
    assert status == 0, err
    rows = {line.split(",")[0]: line.split(",") for line in out.splitlines()[1:]}
    assert rows["协商民主"][1:3] == ["2", "0"] and rows["社区治理"][1:3] == ["0", "1"]
    status, _, err = _cli("keyness", tmp_path / "t", tmp_path / "t")
    assert status == 2 and "both TARGET and REFERENCE" in err


def test_two_input_keyness_equals_the_python_api_on_the_bundled_corpora():
    import io

    from analysis import corpus, keyness, lexicon
    from analysis.config import CORPORA_DIR

    target, reference = CORPORA_DIR / "cpc-congress-reports", CORPORA_DIR / "gov-work-reports"
    status, out, _ = _cli("keyness", target, reference, "-q")
    lex = lexicon.load()
    expected = keyness.concepts(corpus.build(target), corpus.build(reference), lex)
    got = pd.read_csv(io.StringIO(out))
    assert status == 0 and got.item.tolist() == expected.item.tolist()
    assert got.target_count.tolist() == expected.target_count.tolist()
