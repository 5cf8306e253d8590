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
