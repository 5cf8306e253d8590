"""Policy-text coding and text reuse: clauses, codebooks, automatic and human coding, agreement, reuse.

Every expected value here is written by hand from the fixture texts (or
computed by scikit-learn and the ``krippendorff`` package independently of
the code under test), never produced by the functions being tested.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time

import krippendorff
import openpyxl
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from analysis import corpus
from analysis.config import CORPORA_DIR, DEFAULT_CODEBOOK, PROJECT_DIR
from analysis.errors import CodebookError, LexiconError
from analysis.lexicon import codebook
from analysis.measure import agreement, clauses, coding, reuse

# --------------------------------------------------------------------------
# three short policy documents with known numbering

REGULATION = """某市促进科技创新若干规定
第一章 总则
第一条 为了促进科技创新，加强人才培养，制定本规定。
第二条 本规定适用于本市行政区域内的科技创新活动。
第二章 支持措施
第三条 市财政设立科技创新专项资金，支持企业研发。
第四条 对符合条件的高新技术企业，依法落实税收优惠政策。
（一）研发费用加计扣除；
（二）减免企业所得税。
第五条 政府采购优先购买本市创新产品。
第三章 附则
第六条 本规定自发布之日起施行。
"""

OPINION = """关于加快发展养老服务业的实施意见
为积极应对人口老龄化，现提出如下意见。
一、总体目标
到2025年，基本建成覆盖城乡的养老服务体系。
二、主要任务
（一）加强人才队伍建设。开展养老护理员职业培训。
（二）鼓励社会力量参与，推行政府购买服务。
（三）实施养老服务示范工程。
三、保障措施
（一）加大财政投入，落实税费减免。
1．设立养老服务专项资金。
2．落实税费减免政策。
（二）完善信贷支持政策。
"""

NOTICE = """关于推进绿色低碳发展的通知
为推动节能减排，编制绿色低碳发展规划。扩大绿色产品出口，加强国际合作！搭建信息共享平台；加强监管执法。
"""

#: The clauses as written: id -> text (chapter headings are titles, not clauses; no numbering -> sentences).
CLAUSES = {
    "a-0-1": "某市促进科技创新若干规定",
    "a-1-1": "第一条 为了促进科技创新，加强人才培养，制定本规定。",
    "a-1-2": "第二条 本规定适用于本市行政区域内的科技创新活动。",
    "a-2-3": "第三条 市财政设立科技创新专项资金，支持企业研发。",
    "a-2-4": "第四条 对符合条件的高新技术企业，依法落实税收优惠政策。\n（一）研发费用加计扣除；\n（二）减免企业所得税。",
    "a-2-5": "第五条 政府采购优先购买本市创新产品。",
    "a-3-6": "第六条 本规定自发布之日起施行。",
    "b-0-1": "关于加快发展养老服务业的实施意见",
    "b-0-2": "为积极应对人口老龄化，现提出如下意见。",
    "b-1-1": "到2025年，基本建成覆盖城乡的养老服务体系。",
    "b-2-1": "（一）加强人才队伍建设。开展养老护理员职业培训。",
    "b-2-2": "（二）鼓励社会力量参与，推行政府购买服务。",
    "b-2-3": "（三）实施养老服务示范工程。",
    "b-3-1": "（一）加大财政投入，落实税费减免。\n1．设立养老服务专项资金。\n2．落实税费减免政策。",
    "b-3-2": "（二）完善信贷支持政策。",
    "c-0-1": "关于推进绿色低碳发展的通知",
    "c-0-2": "为推动节能减排，编制绿色低碳发展规划。",
    "c-0-3": "扩大绿色产品出口，加强国际合作！",
    "c-0-4": "搭建信息共享平台；",
    "c-0-5": "加强监管执法。",
}

#: Hand-coded policy instruments of each clause, read off the codebook's indicator terms.
INSTRUMENTS = {
    "a-1-1": {"人才培养"}, "a-2-3": {"资金投入"}, "a-2-4": {"税收优惠", "法规管制"}, "a-2-5": {"政府采购"},
    "b-1-1": {"公共服务"}, "b-2-1": {"人才培养"}, "b-2-2": {"策略性措施", "服务外包"}, "b-2-3": {"示范推广"},
    "b-3-1": {"资金投入", "税收优惠"}, "b-3-2": {"金融支持"},
    "c-0-2": {"目标规划"}, "c-0-3": {"贸易管制", "海外交流"}, "c-0-4": {"信息支持"}, "c-0-5": {"法规管制"},
}
#: Hand-coded policy goals.
GOALS = {
    "a-0-1": {"科技创新"}, "a-1-1": {"科技创新"}, "a-1-2": {"科技创新"}, "a-2-3": {"科技创新"}, "a-2-4": {"科技创新"},
    "b-0-1": {"民生保障"}, "b-1-1": {"民生保障"}, "b-2-1": {"民生保障"}, "b-2-3": {"民生保障"}, "b-3-1": {"民生保障"},
    "c-0-1": {"生态环境"}, "c-0-2": {"生态环境"}, "c-0-3": {"生态环境"},
}


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("policies")
    for name, text in (("a", REGULATION), ("b", OPINION), ("c", NOTICE)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def coded(policies):
    corp = corpus.build(policies, join_han_spaces=False)  # keep "第一条 为了" exactly as written
    units = clauses.split(corp)
    return corp, units, coding.auto(units, codebook.load())


def cli(*args: str):
    done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, cwd=PROJECT_DIR)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def as_sets(codes: pd.DataFrame, dimension: str) -> dict[str, set[str]]:
    mine = codes[codes.dimension == dimension]
    return {i: set(group.code) for i, group in mine.groupby("id")}


def test_clause_ids_and_texts_are_exactly_as_written(coded, policies):
    _, units, _ = coded
    assert dict(zip(units.id, units.text)) == CLAUSES
    assert units.columns.tolist() == clauses.COLUMNS
    # default cleaning removes the space between 第一条 and 为了 (a documented step); ids stay the same
    assert clauses.split(corpus.build(policies)).id.tolist() == list(CLAUSES)
    a24 = units.set_index("id").loc["a-2-4"]
    assert (a24.chapter, a24.clause, a24.label, a24.chapter_title) == (2, 4, "第四条", "第二章 支持措施")


def test_automatic_coding_gives_the_hand_coded_codes(coded):
    _, _, codes = coded
    assert as_sets(codes, "政策工具") == INSTRUMENTS
    assert as_sets(codes, "政策目标") == GOALS
    row = codes[(codes.id == "a-2-4") & (codes.code == "税收优惠")].iloc[0]
    assert (row.type, row.terms, row.coder) == ("环境型", "税收优惠/加计扣除/减免", "auto")


def test_an_indicator_inside_a_longer_one_codes_only_the_longer():
    book = codebook.load()
    units = pd.DataFrame({"id": ["x-0-1"], "doc": ["x"], "text": ["推行政府购买服务。"]})
    # 政府购买 and 购买服务 (both 服务外包) overlap, neither inside the other: both found, in order, one code
    assert coding.auto(units, book, dimensions=["政策工具"]).terms.tolist() == ["政府购买/购买服务"]
    units = pd.DataFrame({"id": ["x-0-1"], "doc": ["x"], "text": ["开展职业培训。"]})
    assert coding.auto(units, book, dimensions=["政策工具"]).terms.tolist() == ["职业培训"]  # not also 培训


def test_numbers_only_go_up_so_a_list_inside_a_clause_is_not_a_new_chapter():
    paras = pd.DataFrame({"doc": "d", "para": [1, 2, 3, 4, 5], "text": [
        "一、总体要求", "二、重点任务", "一、加强领导。", "三、保障措施", "（一）加大投入。"]})
    table = clauses.split(paras)
    assert table.id.tolist() == ["d-2-1", "d-3-1"]
    assert table.text.tolist() == ["一、加强领导。", "（一）加大投入。"]
    assert table.chapter_title.tolist() == ["二、重点任务", "三、保障措施"]


def test_profile_counts_clauses_per_type_with_shares(coded):
    corp, units, codes = coded
    book = codebook.load()
    table = coding.profile(codes, units, book, dimension="政策工具", by="doc", level="type")
    got = {(r.doc, r.type): (r.clauses, r.share, r.group_clauses) for r in table.itertuples()}
    # document a: supply a-1-1, a-2-3; environment a-2-4; demand a-2-5 -> 2, 1, 1 of 4 codings, 7 clauses
    assert got[("a", "供给型")] == (2, 0.5, 7)
    assert got[("a", "环境型")] == (1, 0.25, 7)
    assert got[("a", "需求型")] == (1, 0.25, 7)
    # document c: environment c-0-2, c-0-5; demand c-0-3 (two demand codes, one clause); supply c-0-4
    assert got[("c", "环境型")] == (2, 0.5, 5) and got[("c", "需求型")] == (1, 0.25, 5)
    assert len(table) == 3 * 3  # every type in every document, zeros included


def test_crosstab_counts_clauses_with_both_codes(coded):
    _, _, codes = coded
    table = coding.crosstab(codes, codebook.load(), rows="政策工具", columns="政策目标", column_level="code")
    got = table.set_index(["政策工具", "政策目标"])["clauses"]
    # supply x 科技创新: a-1-1, a-2-3; environment x 科技创新: a-2-4; supply x 民生保障: b-1-1, b-2-1, b-3-1
    assert got[("供给型", "科技创新")] == 2 and got[("环境型", "科技创新")] == 1
    assert got[("供给型", "民生保障")] == 3
    # environment x 民生保障: b-2-2 (no goal) no, b-3-1 (税收优惠) yes -> 1; environment x 生态环境: c-0-2 -> 1
    assert got[("环境型", "民生保障")] == 1 and got[("环境型", "生态环境")] == 1
    supply = table[table["政策工具"] == "供给型"]
    assert supply.row_share.sum() == pytest.approx(1.0, abs=1e-3)


# --------------------------------------------------------------------------
# codebook


def test_bundled_codebook_cites_its_sources_for_every_code():
    book = codebook.load()
    assert "Rothwell" in book.sources.citation.iloc[0] and "Reindustrialization and Technology" in book.sources.citation.iloc[0]
    assert any("赵筱媛" in c and "苏竣" in c for c in book.sources.citation)
    known = set(book.sources.id)
    for source in book.codes().source:
        assert source and set(source.split("/")) <= known
    assert book.codes("政策工具").type.drop_duplicates().tolist() == ["供给型", "环境型", "需求型"]


def write(tmp_path, text: str):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """name: t
sources:
  - id: s
    citation: "A source"
dimensions:
  - dimension: 工具
    source: [s]
    types:
      - type: 供给型
        codes:
          - code: 资金投入
            source: [s]
            terms: [专项资金]
"""


@pytest.mark.parametrize("change, message", [
    (("source: [s]\n            terms", "terms"), "has no 'source'"),
    (("source: [s]\n            terms", "source: [x]\n            terms"), "cites source 'x', which is not in 'sources'"),
    (("terms: [专项资金]", "terms: []"), "has no 'terms' list"),
    (("terms: [专项资金]", "terms: [专项资金]\n          - code: 资金投入\n            source: [s]\n            terms: [补贴]"),
     "code '资金投入' appears twice"),
    (("terms: [专项资金]", "terms: [专项资金]\n          - code: 补贴\n            source: [s]\n            terms: [专项资金]"),
     "listed under two codes"),
    (("name: t", "name: &a t\nversion: *a"), "anchors and aliases"),
    (("name: t", "name: t\nname: u"), "appears twice in one mapping, at line 1 and line 2"),
    (("terms: [专项资金]", "terms: [\"专项\\u200b资金\"]"), "\\u200b"),
])
def test_a_malformed_codebook_is_one_sentence_naming_the_place(tmp_path, change, message):
    assert codebook.load(write(tmp_path, GOOD)).codes().code.tolist() == ["资金投入"]
    with pytest.raises(LexiconError) as err:
        codebook.load(write(tmp_path, GOOD.replace(*change)))
    assert message in str(err.value) and str(tmp_path) in str(err.value)


def test_an_unknown_dimension_is_named_with_those_there_are():
    with pytest.raises(CodebookError, match="has no dimension '目标'; choose one of 政策工具, 政策目标"):
        codebook.load().lexicon("目标")


# --------------------------------------------------------------------------
# worksheet and agreement

#: What two coders wrote for the first eight clauses (other rows left empty = not coded).
CODER_A = {"a-0-1": "无", "a-1-1": "人才培养", "a-1-2": "无", "a-2-3": "资金投入", "a-2-4": "税收优惠；法规管制",
           "a-2-5": "政府采购", "a-3-6": "无", "b-0-1": "无"}
CODER_B = {"a-0-1": "无", "a-1-1": "人才培养", "a-1-2": "目标规划", "a-2-3": "资金投入", "a-2-4": "税收优惠",
           "a-2-5": "政府采购", "a-3-6": "无", "b-0-1": "无"}


@pytest.fixture()
def filled(policies, tmp_path):
    sheet = tmp_path / "sheet.xlsx"
    status, _, err = cli("code", str(policies), "--table", "worksheet", "--coders", "甲,乙", "-o", str(sheet), "-q",
                         "--keep-spaces")
    assert status == 0, err
    book = openpyxl.load_workbook(sheet)
    ws = book.active
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        clause = row[header.index("id")].value
        row[header.index("政策工具:甲")].value = CODER_A.get(clause)
        row[header.index("政策工具:乙")].value = CODER_B.get(clause)
    book.save(sheet)
    return sheet


def test_worksheet_has_one_clause_a_row_with_automatic_codes_and_a_column_per_coder(filled):
    sheet = pd.read_excel(filled, dtype=str).fillna("")
    assert sheet.id.tolist() == list(CLAUSES)
    assert sheet.text.tolist() == list(CLAUSES.values())
    assert {"政策工具:auto", "政策工具:indicators", "政策工具:甲", "政策工具:乙", "政策目标:甲"} <= set(sheet.columns)
    assert sheet.set_index("id").loc["a-2-4", "政策工具:auto"] == "税收优惠; 法规管制"
    assert sheet.set_index("id").loc["a-2-4", "政策工具:indicators"] == "税收优惠: 税收优惠, 加计扣除, 减免; 法规管制: 依法"


def test_agreement_equals_scikit_learn_and_krippendorff(filled):
    book = codebook.load()
    table = agreement.table(coding.read_worksheet(filled, book), book)
    overall = table[(table.dimension == "政策工具") & (table.code == "(all)") & (table.coder_a == "甲")
                    & (table.coder_b == "乙")].iloc[0]
    a = [CODER_A[i] for i in CODER_A]
    b = [CODER_B[i] for i in CODER_A]
    # the two sets as labels, in codebook order (税收优惠 before 法规管制)
    a = [{"税收优惠；法规管制": "税收优惠; 法规管制", "无": ""}.get(x, x) for x in a]
    b = [{"无": ""}.get(x, x) for x in b]
    assert overall.units == 8 and overall.agreement == 0.75  # 6 of 8 clauses agree
    assert overall.kappa == pytest.approx(cohen_kappa_score(a, b), abs=1e-4)
    labels = {v: n for n, v in enumerate(dict.fromkeys(a + b))}
    expected_alpha = krippendorff.alpha(reliability_data=[[labels[x] for x in a], [labels[x] for x in b]],
                                        level_of_measurement="nominal")
    assert overall.alpha == pytest.approx(expected_alpha, abs=1e-4)
    # per code, by hand: 税收优惠 is given by both to a-2-4 and by no one elsewhere: full agreement, kappa 1
    tax = table[(table.code == "税收优惠") & (table.coder_a == "甲") & (table.coder_b == "乙")].iloc[0]
    assert (tax.agreement, tax.kappa) == (1.0, 1.0)
    # 法规管制: 甲 yes, 乙 no on a-2-4 only: 7/8 agree; p_e = (7/8)(1) + (1/8)(0) = 0.875 -> kappa 0
    law = table[(table.code == "法规管制") & (table.coder_a == "甲") & (table.coder_b == "乙")].iloc[0]
    assert (law.agreement, law.kappa) == (0.875, 0.0)
    # 人才培养 is never disputed but a clause has it: kappa 1; a code no one used has no kappa at all
    unused = table[(table.code == "服务外包") & (table.coder_a == "甲") & (table.coder_b == "乙")].iloc[0]
    assert pd.isna(unused.kappa) and pd.isna(unused.alpha) and unused.agreement == 1.0
    assert {("甲", "auto"), ("乙", "auto")} <= set(zip(table.coder_a, table.coder_b))


def test_alpha_over_three_coders_with_a_missing_judgement_equals_krippendorff():
    book = codebook.load()
    answers = {"甲": [("资金投入",), ("税收优惠",), (), ("资金投入",)],
               "乙": [("资金投入",), ("税收优惠",), (), ("税收优惠",)],
               "丙": [("资金投入",), None, (), ("资金投入",)]}  # 丙 did not code clause 2
    rows = [(str(n), "政策工具", coder, codes) for coder, given in answers.items()
            for n, codes in enumerate(given) if codes is not None]
    table = agreement.table(pd.DataFrame(rows, columns=["id", "dimension", "coder", "codes"]), book)
    every = table[(table.coder_a == "(all coders)") & (table.code == "(all)")].iloc[0]
    labels = {"资金投入": 0, "税收优惠": 1, "": 2}
    matrix = [[labels["; ".join(c)] if c is not None else float("nan") for c in given] for given in answers.values()]
    assert every.alpha == pytest.approx(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"),
                                        abs=1e-4)
    assert every.units == 4


def test_agreement_gives_byte_identical_tables(filled, tmp_path):
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    assert cli("agreement", str(filled), "-o", str(first))[0] == 0
    assert cli("agreement", str(filled), "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes() and first.read_bytes().startswith(b"\xef\xbb\xbfdimension,")


def test_human_codes_where_present_are_what_the_tables_use(filled, policies):
    status, out, err = cli("code", str(policies), "--human", str(filled), "--table", "profile", "--level", "code", "-q")
    assert status == 0, err
    table = pd.read_csv(io.StringIO(out)).set_index(["doc", "code"])
    # 甲 is the first coder: a-1-2 stays uncoded (无), a-2-4 has both codes; b-2-x keep their automatic codes
    assert table.loc[("a", "目标规划"), "clauses"] == 0
    assert table.loc[("a", "法规管制"), "clauses"] == 1
    assert table.loc[("b", "服务外包"), "clauses"] == 1
    status, out, _ = cli("code", str(policies), "--human", str(filled), "-q")
    codes = pd.read_csv(io.StringIO(out))
    tools = codes[codes.dimension == "政策工具"]
    assert set(tools[tools.id == "a-2-4"].coder) == {"甲"} and set(tools[tools.id == "b-2-2"].coder) == {"auto"}


@pytest.mark.parametrize("damage, message", [
    ("not a workbook", "not a readable Excel worksheet"),
    ("unknown code", "row 3, column '政策工具:甲': '人材培养' is not a code of dimension 政策工具"),
    ("repeated id", "clause id 'a-0-1' appears in rows 2 and 3"),
    ("no id column", "has no 'id' column"),
    ("unknown dimension", "column '工具:甲' names dimension '工具'"),
])
def test_a_damaged_worksheet_is_one_error_line(filled, damage, message):
    book = openpyxl.load_workbook(filled)
    ws = book.active
    if damage == "not a workbook":
        filled.write_bytes(b"PK\x03\x04 broken zip")
    else:
        if damage == "unknown code":
            ws.cell(row=3, column=[c.value for c in ws[1]].index("政策工具:甲") + 1).value = "人材培养"
        elif damage == "repeated id":
            ws.cell(row=3, column=1).value = "a-0-1"
        elif damage == "no id column":
            ws.cell(row=1, column=1).value = "编号"
        elif damage == "unknown dimension":
            ws.cell(row=1, column=[c.value for c in ws[1]].index("政策工具:甲") + 1).value = "工具:甲"
        book.save(filled)
    before = filled.read_bytes()
    status, out, err = cli("agreement", str(filled))
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert message in err, err
    assert filled.read_bytes() == before


def test_an_empty_worksheet_says_there_is_nothing_to_compare(policies, tmp_path):
    sheet = tmp_path / "empty.xlsx"
    assert cli("code", str(policies), "--table", "worksheet", "-o", str(sheet), "-q")[0] == 0
    status, _, err = cli("agreement", str(sheet))
    assert status == 2 and "has no human codes yet" in err


def test_worksheet_needs_an_xlsx_file_and_never_overwrites_the_human_sheet(policies, filled):
    status, _, err = cli("code", str(policies), "--table", "worksheet")
    assert status == 2 and "-o FILE.xlsx" in err
    before = filled.read_bytes()
    status, _, err = cli("code", str(policies), "--human", str(filled), "-o", str(filled))
    assert status == 2 and filled.read_bytes() == before


# --------------------------------------------------------------------------
# text reuse

VERBATIM = ["坚持以人民为中心的发展思想，不断增强人民群众获得感。", "全面推进乡村振兴，加快建设农业强国。"]
REWORDED = [("加大财政投入力度，支持基础研究和应用基础研究。", "进一步加大财政投入力度，大力支持基础研究和应用研究。"),
            ("推动传统产业转型升级，培育壮大战略性新兴产业。", "加快推动传统产业转型升级，积极培育战略性新兴产业。"),
            ("完善社会保障体系，提高城乡居民基本养老金水平。", "健全社会保障体系，适当提高城乡居民基础养老金。")]


def test_reuse_finds_three_reworded_and_two_verbatim_passages_with_their_positions():
    first = ["今年经济运行总体平稳，物价水平保持稳定。" + VERBATIM[0] + REWORDED[0][0],
             REWORDED[1][0] + "深化国有企业改革，完善现代企业制度。",
             VERBATIM[1] + REWORDED[2][0]]
    second = [REWORDED[2][1] + "积极稳妥推进碳达峰碳中和，建设美丽中国。" + VERBATIM[1],
              "加强国防建设，维护国家安全和社会稳定。" + REWORDED[0][1],
              VERBATIM[0] + REWORDED[1][1]]
    paras = pd.DataFrame({"doc": ["x"] * 3 + ["y"] * 3, "para": [1, 2, 3, 1, 2, 3], "text": first + second})
    found = reuse.find(paras, [("x", "y")])

    def where(paragraphs: list[str], sentence: str) -> tuple[int, int, int]:
        para = next(n for n, text in enumerate(paragraphs, start=1) if sentence in text)
        start = paragraphs[para - 1].index(sentence)
        return para, start, start + len(sentence)

    expected = {where(second, b) + where(first, a) + (kind,)
                for a, b, kind in [(v, v, "verbatim") for v in VERBATIM] + [(a, b, "reworded") for a, b in REWORDED]}
    got = set(zip(found.para_b, found.start_b, found.end_b, found.para_a, found.start_a, found.end_a, found.kind))
    assert got == expected
    marked = found.set_index("text_b").marked[REWORDED[0][1]]
    assert marked.startswith("{+进一步+}加大财政投入力度，{+大力+}支持基础研究和应用") and "[-基础-]" in marked
    shares = reuse.shares(found, paras, [("x", "y")]).iloc[0]
    reused = sum(len(s) for s in VERBATIM) + sum(len(b) for _, b in REWORDED)
    assert (shares.passages, shares.verbatim, shares.reused_chars) == (5, 2, reused)
    assert shares.chars_b == sum(map(len, second))


def test_reuse_runs_across_all_consecutive_government_work_reports_in_well_under_a_minute():
    corp = corpus.build(CORPORA_DIR / "gov-work-reports")
    pairs = reuse.consecutive(corp)
    started = time.perf_counter()
    found = reuse.find(corp, pairs)
    elapsed = time.perf_counter() - started
    assert len(pairs) == len(corp.docs) - 1 and elapsed < 60
    latest = reuse.shares(found, corp, pairs).set_index("doc_b").loc["gwr-2025"]
    assert latest.doc_a == "gwr-2024" and latest.passages > 0 and 0 < latest.share < 1


def test_reuse_cli_compares_two_inputs_and_rejects_unknown_documents(tmp_path):
    reports = CORPORA_DIR / "gov-work-reports"
    status, out, err = cli("reuse", str(reports / "gwr-2024.txt"), str(reports / "gwr-2025.txt"), "--shares", "-q")
    assert status == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert table.columns.tolist() == reuse.SHARE_COLUMNS and table[["doc_a", "doc_b"]].values.tolist() == [
        ["gwr-2024", "gwr-2025"]]
    status, _, err = cli("reuse", str(reports / "gwr-2024.txt"), "--pair", "gwr-2024", "gwr-1900", "-q")
    assert status == 2 and "no document named gwr-1900" in err and "(--pair)" in err


def test_clauses_and_code_commands_write_their_tables(policies, tmp_path):
    status, out, _ = cli("clauses", str(policies), "-q")
    assert status == 0 and pd.read_csv(io.StringIO(out)).id.tolist() == list(CLAUSES)
    status, out, _ = cli("code", str(policies), "--table", "crosstab", "--level", "type", "-q")
    assert status == 0 and pd.read_csv(io.StringIO(out)).columns.tolist() == [
        "政策工具", "政策目标", "clauses", "row_share", "column_share"]
    status, _, err = cli("code", str(policies), "--codebook", str(DEFAULT_CODEBOOK.with_suffix(".csv")))
    assert status == 2 and "codebook file not found" in err and "(--codebook)" in err


def test_a_worksheet_of_other_documents_is_refused(coded):
    _, units, codes = coded
    human = pd.DataFrame({"id": ["z-9-9"], "dimension": ["政策工具"], "coder": ["甲"], "codes": [("资金投入",)]})
    with pytest.raises(CodebookError, match=r"clause ids that the documents do not give \(z-9-9\)"):
        coding.final(codes, human, units, codebook.load())
