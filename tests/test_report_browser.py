"""The reports as a reader's browser shows them: Playwright driving the machine's Chromium, offline.

Each test opens pages of a report on the user's own texts
(``tests/report_runs.py``) and checks what a reader meets: the header names
that corpus, every character has a glyph in the font the page carries, the
tables sort and download their data, no request leaves the machine, and the
console stays free of errors. Skipped where Playwright or Chromium is missing.
"""

from __future__ import annotations

import base64
import io
import re
import shutil

import pandas as pd
import pytest

from tests import report_runs

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")

READER_PAGES = ("index.html", "00-index.html", "02-concept-report.html", "03-trends.html", "04-context.html")


@pytest.fixture(scope="module")
def out():
    status, err, folder = report_runs.report_of(report_runs.own_texts())
    assert status == 0, err
    return folder


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture()
def opened(browser, tmp_path):
    """Open a page of the report and record its requests and console errors: ``open(folder, name) -> (page, log)``."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    log = {"requests": [], "errors": []}
    context.on("request", lambda request: log["requests"].append(request.url))

    def open_page(folder, name):
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and log["errors"].append(message.text))
        page.on("pageerror", lambda error: log["errors"].append(str(error)))
        page.goto((folder / name).as_uri())
        page.wait_for_load_state("load")
        return page, log

    yield open_page
    context.close()


@pytest.mark.parametrize("name", READER_PAGES)
def test_page_requests_nothing_beyond_the_file_and_logs_no_error(out, opened, name):
    page, log = opened(out, name)
    page.evaluate("document.fonts.ready")
    outside = [u for u in log["requests"] if not u.startswith(("file:", "data:"))]
    assert outside == [] and log["errors"] == []


@pytest.mark.parametrize("name", [n for n in READER_PAGES if n != "index.html"])
def test_header_names_the_corpus_the_report_was_run_on(out, opened, name):
    page, _ = opened(out, name)
    header = page.locator("header.zh-header").inner_text()
    assert f"{report_runs.OWN_NAME}：4 篇文档" in header
    assert "生成日期" in header and "词表" in header
    assert page.locator("header.zh-header a[href='index.html']").count() == 1


@pytest.mark.parametrize("name", READER_PAGES)
def test_every_character_on_the_page_has_a_glyph_in_the_embedded_font(out, opened, name):
    from fontTools.ttLib import TTFont

    page, _ = opened(out, name)
    html_text = (out / name).read_text(encoding="utf-8")
    data = re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", html_text).group(1)
    cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
    shown = page.evaluate("document.body.innerText + Array.from(document.querySelectorAll('input'))"
                          ".map(i => i.placeholder).join('')")
    missing = sorted({c for c in shown if ord(c) > 127 and ord(c) not in cmap})
    assert missing == []
    assert page.evaluate("document.fonts.check('16px \"Report CJK SC\"', '田野笔记')")


def test_a_click_on_a_column_heading_sorts_the_table(out, opened):
    page, _ = opened(out, "02-concept-report.html")
    table = page.locator(".zh-table table").filter(has_text="概念频次 Concepts").first
    counts = table.locator("thead th", has_text="出现次数").first
    index = counts.evaluate("th => Array.from(th.parentNode.children).indexOf(th)")
    counts.click()
    values = [int(v.replace(",", "")) for v in table.locator(f"tbody tr td:nth-child({index + 1})").all_inner_texts()]
    assert values == sorted(values)  # ascending after one click
    counts.click()
    values = [int(v.replace(",", "")) for v in table.locator(f"tbody tr td:nth-child({index + 1})").all_inner_texts()]
    assert values == sorted(values, reverse=True)


def test_the_download_link_gives_the_table_shown(out, opened, tmp_path):
    page, _ = opened(out, "02-concept-report.html")
    box = page.locator(".zh-table").filter(has_text="概念频次 Concepts").first
    link = box.locator("xpath=following-sibling::p[1]/a")
    assert link.get_attribute("download").endswith(".csv")
    with page.expect_download() as caught:
        link.click()
    path = tmp_path / "download.csv"
    caught.value.save_as(path)
    data = pd.read_csv(path, encoding="utf-8-sig")
    shown = box.locator("table").evaluate(
        "t => Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.innerText.trim()))")
    headings = box.locator("thead th").all_inner_texts()
    assert list(data.columns)[:3] == [h.strip() for h in headings][:3]
    assert len(data) >= len(shown) > 0
    # the rows shown are the first rows of the data, value for value
    concept = headings.index("概念")
    assert data.iloc[: len(shown)]["概念"].tolist() == [row[concept] for row in shown]
    counts = headings.index("出现次数")
    assert data.iloc[: len(shown)]["出现次数"].tolist() == [int(row[counts].replace(",", "")) for row in shown]


def test_long_table_filter_keeps_only_matching_rows(opened):
    from tests import notebook_runs

    _, bundled = notebook_runs.bundled()  # 40 keyword-in-context lines: a table long enough for a filter box
    page, _ = opened(bundled, "04-context.html")
    boxes = page.locator("input.zh-filter:visible")
    assert boxes.count() >= 1
    box = page.locator(".zh-table").filter(has=boxes.first).first
    rows = box.locator("tbody tr")
    first_text = rows.first.inner_text().split("\t")[0].strip()
    boxes.first.fill(first_text)
    visible = [r for r in rows.all() if r.is_visible()]
    assert visible and all(first_text in r.inner_text() for r in visible)


def test_on_a_phone_the_kwic_keyword_is_in_view_and_tables_scroll_in_their_box(out, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.goto((out / "04-context.html").as_uri())
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # the page itself does not scroll sideways; wide tables scroll inside their box
    keyword = page.locator(".zh-kwic tbody tr:first-child td:nth-last-child(2)").first
    assert keyword.inner_text().strip() == "协商民主"  # the keyword column, default term
    box = keyword.bounding_box()
    assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 390
    context.close()
