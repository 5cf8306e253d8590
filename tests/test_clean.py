"""Cleaning steps: line endings, spaces between Han characters, duplicates, sections."""

from __future__ import annotations

from analysis import corpus
from analysis.text.clean import CleanOptions, clean_text, is_heading


def texts(doc):
    return [p[3] for p in doc.paragraphs]


def test_line_endings_are_normalised_and_blank_lines_dropped():
    doc = clean_text("第一段\r\n\r\n第二段\r第三段\u2028第四段\n")
    assert texts(doc) == ["第一段", "第二段", "第三段", "第四段"]
    assert doc.changes["line_endings"] == 4


def test_whitespace_between_han_characters_is_removed_but_not_elsewhere():
    doc = clean_text("社区 治理\u3000水平\t提升\u00a0了 2024 年 5G 网络")
    assert texts(doc) == ["社区治理水平提升了 2024 年 5G 网络"]
    assert doc.changes["han_spaces"] == 4


def test_han_spaces_step_can_be_switched_off():
    doc = clean_text("社区 治理", CleanOptions(han_spaces=False))
    assert texts(doc) == ["社区 治理"] and "han_spaces" not in doc.changes


def test_leading_and_trailing_spaces_of_a_paragraph_are_stripped():
    assert texts(clean_text("\u3000\u3000社区治理。  ")) == ["社区治理。"]


def test_duplicate_paragraphs_removed_keeping_the_first():
    doc = clean_text("甲\n乙\n甲\n丙\n乙")
    assert texts(doc) == ["甲", "乙", "丙"]
    assert doc.changes["duplicates"] == 2
    assert [p[0] for p in doc.paragraphs] == [1, 2, 4]  # source line numbers kept


def test_duplicates_can_be_kept():
    assert texts(clean_text("甲\n甲", CleanOptions(dedupe=False))) == ["甲", "甲"]


def test_deduplication_is_idempotent(sample_text):
    once = "\n".join(texts(clean_text(sample_text)))
    assert texts(clean_text(once)) == texts(clean_text(sample_text))


def test_sample_essay_loses_exactly_its_seven_repeated_lines(sample_corpus, sample_text):
    lines = [line.strip() for line in sample_text.splitlines() if line.strip()]
    assert len(lines) - len(sample_corpus.paragraphs) == 7
    assert sample_corpus.paragraphs.text.tolist() == list(dict.fromkeys(lines))
    assert "removed 7 duplicate paragraph(s)" in sample_corpus.notices()[0]


def test_headings_open_sections():
    assert is_heading("一、2019年工作回顾") and is_heading("（二）关注群众") and is_heading("(三)基层协商民主")
    assert is_heading("第一章 总则")
    assert not is_heading("一是加强党建") and not is_heading("社区治理")
    doc = clean_text("标题\n一、总体要求\n正文。\n（一）基层治理\n正文二。\n二、工作任务")
    assert [(p[1], p[2]) for p in doc.paragraphs] == [
        (0, ""), (1, "一、总体要求"), (1, "一、总体要求"), (2, "（一）基层治理"), (2, "（一）基层治理"), (3, "二、工作任务")]


def test_sample_essay_sections(sample_corpus):
    titles = sample_corpus.paragraphs.drop_duplicates("section").section_title.tolist()
    assert [t[:3] for t in titles] == ["", "(一)", "(二)", "(三)", "(四)"]


def test_traditional_to_simplified_is_off_by_default_and_reported_when_on():
    assert texts(clean_text("協商民主")) == ["協商民主"]
    doc = clean_text("協商民主與黨建", CleanOptions(simplified=True))
    assert texts(doc) == ["协商民主与党建"] and doc.changes["simplified"] == 3
    corp = corpus.from_documents([corpus.Document("d", "黨建引領", "d.txt", "utf-8", "")], CleanOptions(simplified=True))
    assert any("Traditional" in note for note in corp.notices())


PLAN = """国民经济和社会发展第十四个五年规划纲要
目  录
第一篇　开启全面建设社会主义现代化国家新征程
第一章　发展环境……………………3
第二章　指导方针……………………7
第二篇　坚持创新驱动发展
第三章　强化国家战略科技力量……12
第一篇　开启全面建设社会主义现代化国家新征程
第一章　发展环境
当前和今后一个时期，我国发展仍然处于重要战略机遇期。
第一节　发展基础
推进基层协商民主，加强社区治理。
第二章　指导方针
坚持党的全面领导。
第二篇　坚持创新驱动发展
第三章　强化国家战略科技力量
加强协商民主制度建设。
"""


def test_a_table_of_contents_is_left_out_and_every_paragraph_stands_under_its_body_heading():
    cleaned = clean_text(PLAN)  # spaces between Han characters are joined: 第一章　发展环境 -> 第一章发展环境
    assert cleaned.changes["contents"] == 6  # 目  录 and its five entries
    texts = [p[3] for p in cleaned.paragraphs]
    assert texts[0] == "国民经济和社会发展第十四个五年规划纲要" and "目  录" not in texts
    assert texts.count("第一章发展环境") == 1  # the body heading is kept, not dropped as a duplicate of the contents
    under = {p[3]: p[2] for p in cleaned.paragraphs}
    assert under["当前和今后一个时期，我国发展仍然处于重要战略机遇期。"] == "第一章发展环境"
    assert under["推进基层协商民主，加强社区治理。"] == "第一节发展基础"
    assert under["坚持党的全面领导。"] == "第二章指导方针"
    assert under["加强协商民主制度建设。"] == "第三章强化国家战略科技力量"


def test_the_contents_step_is_reported_and_kwic_names_the_body_section(tmp_path):
    from analysis import corpus, kwic, lexicon, summaries

    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    corp = corpus.build(tmp_path)
    assert corp.report.set_index("step").loc["contents", "changed"] == 6
    assert summaries.cleaning(corp).set_index("step").loc["删除目录（行）", "changed"] == 6
    lines = kwic.lines(corp, "协商民主", lexicon=lexicon.load())
    assert lines.section_title.tolist() == ["第一节发展基础", "第三章强化国家战略科技力量"]


def test_a_heading_repeated_in_the_body_still_opens_its_section():
    cleaned = clean_text("一、总体要求\n推进社区治理。\n二、重点任务\n一、总体要求\n加强党建引领。\n")
    under = {p[3]: p[2] for p in cleaned.paragraphs}
    assert under["加强党建引领。"] == "一、总体要求" and cleaned.changes["duplicates"] == 1


def test_heading_runs_that_do_not_recur_are_not_a_table_of_contents():
    body = "第一篇　总体要求\n第一章　发展环境\n第一节　发展基础\n正文一。\n第二节　面临挑战\n正文二。\n第二章　目标\n正文三。"
    assert clean_text(body).changes["contents"] == 0
