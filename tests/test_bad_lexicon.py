"""Bad lexicons: each is rejected at load time with one sentence naming the file, the place and the fix.

A lexicon is data a user writes by hand or exports from a spreadsheet, so the
loader reads it as data only (no YAML anchors, aliases, tags or implicit
booleans and numbers), refuses a lexicon that would silently count nothing
(no terms, invisible characters in a term) and tells a binary or ragged file
apart from a lexicon.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import textwrap
import zipfile

import pandas as pd
import pytest
import yaml

from analysis import kwic, lexicon
from analysis.config import DEFAULT_LEXICON, LEXICON_DIR, PROJECT_DIR, SAMPLE_ESSAY
from analysis.errors import InputError, LexiconError
from tests.conftest import write

SAMPLE = PROJECT_DIR / "data" / "sample"
LEX = LEXICON_DIR / "sample-concepts.csv"


def cli(*args, timeout: float = 120):
    """Run ``python -m analysis`` as a user would; return (status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, cwd=PROJECT_DIR,
                          timeout=timeout)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def one_error(status: int, out: str, err: str) -> str:
    """Assert the run failed as a user error should (status 2, one ``error:`` line); return that line."""
    lines = [line for line in err.splitlines() if not line.startswith("notice:")]
    assert "Traceback" not in err and status == 2 and out == "", err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def yaml_lexicon(path, concepts: str, *, header: str = "name: t\n"):
    """A one-category YAML lexicon with the given (already indented) concept entries."""
    return write(path, header + "categories:\n  - category: 民主\n    concepts:\n" + textwrap.indent(
        textwrap.dedent(concepts), "      "))


# --- 1. YAML anchors, aliases and duplicate keys -----------------------------------------------------

#: The classic "billion laughs": 9 levels of 9 aliases, 9^8 = 43 million "lol"s once expanded, in under 1 KB.
BILLION_LAUGHS = "\n".join([
    "name: lol",
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    *(f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi")),
    "categories:",
    "  - category: c",
    "    concepts:",
    "      - concept: lol",
    "        terms: *i",
    "",
])

_MEASURE = """
import resource, sys, time
from analysis import lexicon
from analysis.errors import LexiconError
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    lexicon.load(sys.argv[1])
    message = "loaded"
except LexiconError as exc:
    message = str(exc)
seconds = time.perf_counter() - start
grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(f"{seconds} {grown_kb}")
print(message)
"""


def test_a_billion_laughs_lexicon_is_rejected_within_a_second_and_a_few_megabytes(tmp_path):
    path = write(tmp_path / "lol.yaml", BILLION_LAUGHS)
    assert len(path.read_bytes()) < 1024
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True, cwd=PROJECT_DIR,
                          timeout=60, text=True)
    numbers, message = done.stdout.splitlines()
    seconds, grown_kb = float(numbers.split()[0]), int(numbers.split()[1])
    assert seconds < 1.0 and grown_kb < 5 * 1024, (seconds, grown_kb)
    assert message == (f"{path}: &a at line 2: anchors and aliases (&name, *name) are not allowed in a lexicon; "
                       "write each term out")
    line = one_error(*cli("count", SAMPLE, "--lexicon", path, timeout=60))
    assert "anchors and aliases (&name, *name) are not allowed in a lexicon; write each term out" in line


def test_an_alias_to_a_term_list_is_rejected_with_its_line(tmp_path):
    path = yaml_lexicon(tmp_path / "l.yaml", """\
        - concept: 协商民主
          terms: &shared [协商民主, 基层协商民主]
        - concept: 基层民主
          terms: [基层民主]
          unattested: *shared
        """)
    with pytest.raises(LexiconError, match=r"&shared at line 6: anchors and aliases \(&name, \*name\) are not allowed"):
        lexicon.load(path)


def test_a_duplicate_key_is_an_error_naming_the_key_and_both_lines(tmp_path):
    path = yaml_lexicon(tmp_path / "l.yaml", """\
        - concept: 协商民主
          terms: [协商民主]
          terms: [基层协商民主]
        """)
    with pytest.raises(LexiconError, match="key 'terms' appears twice in one mapping, at line 6 and line 7"):
        lexicon.load(path)


@pytest.mark.parametrize("tagged", ["!!int 0x10", "!!float 1e3", "!!bool yes", "!!binary aGVsbG8=",
                                    "!!timestamp 2013-01-01", "!!python/name:os.system ''"])
def test_no_yaml_tag_builds_anything_but_text(tmp_path, tagged):
    path = yaml_lexicon(tmp_path / "l.yaml", f"- concept: 协商民主\n  terms: [协商民主, {tagged}]\n")
    with pytest.raises(LexiconError, match=r"malformed YAML at line 6.*could not determine a constructor"):
        lexicon.load(path)


def test_deeply_nested_yaml_is_rejected_before_it_is_built(tmp_path):
    path = write(tmp_path / "l.yaml", "categories: " + "[" * 500 + "]" * 500 + "\n")
    with pytest.raises(LexiconError, match="nested more than 20 deep at line 1"):
        lexicon.load(path)


# --- 2. YAML scalars are text as written ---------------------------------------------------------------

def test_yes_on_and_numbers_in_yaml_stay_the_terms_as_written(tmp_path):
    path = yaml_lexicon(tmp_path / "l.yaml", """\
        - concept: 词
          terms: [yes, on, No, 0x10, 1e3, 010, .inf, 2013-01-01, 3.10]
          since: 2013
        """, header="name: t\nversion: 1.10\n")
    lex = lexicon.load(path)
    assert lex.terms == ["yes", "on", "No", "0x10", "1e3", "010", ".inf", "2013-01-01", "3.10"]
    assert lex.version == "1.10" and lex.table.since.tolist() == [2013] * 9


@pytest.mark.parametrize("since, expected", [("2013", 2013), ('"2013"', 2013), ("unknown", pd.NA), ("", pd.NA)])
def test_since_still_takes_a_year_or_unknown(tmp_path, since, expected):
    path = yaml_lexicon(tmp_path / "l.yaml", f"- concept: 协商民主\n  terms: [协商民主]\n  since: {since}\n")
    value = lexicon.load(path).table.since.iloc[0]
    assert value is pd.NA if expected is pd.NA else value == expected


@pytest.mark.parametrize("term", ["null", "~", "Null", "NULL"])
def test_a_null_or_empty_yaml_term_is_an_error(tmp_path, term):
    path = yaml_lexicon(tmp_path / "l.yaml", f"- concept: 协商民主\n  terms: [协商民主, {term}]\n")
    with pytest.raises(LexiconError, match=r"term #2 of concept '协商民主' .* is empty or null"):
        lexicon.load(path)


@pytest.mark.parametrize("entry, message", [
    ("- concept: [协商, 民主]\n  terms: [协商民主]\n",
     r"the 'concept' name of category '民主', concept #1 is a list, not text"),
    ("- concept: {协商: 民主}\n  terms: [协商民主]\n",
     r"the 'concept' name of category '民主', concept #1 is a mapping, not text"),
    ("- concept: 协商民主\n  terms: {协商民主: 基层协商民主}\n",
     r"the 'terms' of concept '协商民主' \(category '民主', concept #1\) is a mapping, not a list"),
    ("- concept: 协商民主\n  terms: [协商民主, [基层, 协商]]\n",
     r"term #2 of concept '协商民主' \(category '民主', concept #1\) is a list, not text"),
    ("- concept: 协商民主\n  terms: [协商民主]\n  en: [a, b]\n",
     r"the 'en' of concept '协商民主' \(category '民主', concept #1\) is a list, not text"),
])
def test_a_list_or_mapping_where_text_is_needed_is_an_error_naming_the_place(tmp_path, entry, message):
    with pytest.raises(LexiconError, match=message):
        lexicon.load(yaml_lexicon(tmp_path / "l.yaml", entry))


def test_a_category_name_that_is_a_list_is_an_error(tmp_path):
    path = write(tmp_path / "l.yaml", "categories:\n  - category: [党建, 民主]\n    concepts:\n"
                                      "      - concept: 协商民主\n        terms: [协商民主]\n")
    with pytest.raises(LexiconError, match=r"the 'category' of category #1 is a list, not text"):
        lexicon.load(path)


def test_the_bundled_lexicon_reads_as_plain_yaml_does():
    """Every value of governance.yaml is already text or a year, so the stricter loader changes nothing."""
    raw = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    rows = [(cat["category"], c["concept"], t, c.get("since"))
            for cat in raw["categories"] for c in cat["concepts"] for t in c["terms"]]
    table = lexicon.load().table
    assert list(zip(table.category, table.concept, table.term)) == [r[:3] for r in rows]
    assert [None if v is pd.NA else v for v in table.since] == [None if s in (None, "unknown") else s
                                                                 for *_, s in rows]


# --- 3. a lexicon without terms ------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["count", SAMPLE], ["cooccur", SAMPLE], ["keyness", SAMPLE, SAMPLE_ESSAY],
                                     ["audit", SAMPLE], ["lexicon"]])
def test_a_csv_lexicon_with_only_its_header_is_an_error_for_every_command(tmp_path, command):
    path = write(tmp_path / "lex.csv", "concept,term\n")
    line = one_error(*cli(*command, "--lexicon", path))
    assert line == (f"error: {path}: the lexicon has no terms (the file has a header line and no rows); "
                    "add at least one concept with a term")


@pytest.mark.parametrize("text, why", [
    ("name: t\ncategories: []\n", "its 'categories' list is empty"),
    ("name: t\ncategories:\n  - category: 民主\n    concepts: []\n", "no category lists a concept"),
    ("", "the file is empty"),
])
def test_a_yaml_lexicon_without_terms_says_so(tmp_path, text, why):
    path = write(tmp_path / "lex.yaml", text)
    line = one_error(*cli("count", SAMPLE, "--lexicon", path))
    assert f"{path}: the lexicon has no terms ({why}" in line
    assert "add at least one concept with a term" in line and "missing column" not in line


def test_an_empty_in_memory_lexicon_is_an_error():
    with pytest.raises(LexiconError, match="the lexicon has no terms"):
        lexicon.from_terms({})


# --- 4. invisible characters in terms ------------------------------------------------------------------

@pytest.mark.parametrize("term, shown, why", [
    ("社区\u200b治理", r"社区\u200b治理", "whitespace (\\u200b) between two Han characters"),
    ("社区\u2003治理", r"社区\u2003治理", "whitespace (\\u2003) between two Han characters"),
    ("社区\t治理", r"社区\t治理", "whitespace (\\t) between two Han characters"),
    ("社区 \u3000治理", r"社区 \u3000治理", "whitespace ( \\u3000) between two Han characters"),
    ("社区\x0b治理", r"社区\x0b治理", "contains a line break (\\x0b)"),
    ("社区\u2028治理", r"社区\u2028治理", "contains a line break (\\u2028)"),
    ("社区\x85治理", r"社区\x85治理", "contains a line break (\\x85)"),
    ("社区\ufeff治理", r"社区\ufeff治理", "invisible control or format character \\ufeff (ZERO WIDTH NO-BREAK SPACE)"),
    ("社区治理\u200d", r"社区治理\u200d", "invisible control or format character \\u200d (ZERO WIDTH JOINER)"),
    ("5G\x01", r"5G\x01", "invisible control or format character \\x01"),
    ("5G\tnet", r"5G\tnet", "invisible control or format character \\t"),
])
def test_a_term_with_a_character_cleaned_text_never_has_is_an_error_naming_it(tmp_path, term, shown, why):
    with pytest.raises(LexiconError) as caught:
        lexicon.from_terms({"社区治理": [term]})
    assert f"term '{shown}' (row 2) " in str(caught.value) and why in str(caught.value)
    path = yaml_lexicon(tmp_path / "l.yaml", f'- concept: 社区治理\n  terms: ["{shown}"]\n')
    with pytest.raises(LexiconError, match="never match|never crosses"):
        lexicon.load(path)


def test_an_invisible_term_is_one_error_line_on_the_command_line(tmp_path):
    path = write(tmp_path / "lex.csv", "concept,term\n社区治理,社区治理\n社区治理,社区\u200b治理\n")
    line = one_error(*cli("count", SAMPLE, "--lexicon", path))
    assert line.startswith(f"error: {path}: term '社区\\u200b治理' (row 3) holds whitespace (\\u200b) "
                           "between two Han characters, which cleaning removes from the text")


def test_spaces_around_a_term_of_any_kind_are_stripped_and_spaces_between_latin_words_kept(tmp_path):
    lex = lexicon.from_terms({"社区治理": ["\u2003社区治理\u2002"], "开放政府": ["Open Government", "5G 网络"]})
    assert lex.terms == ["社区治理", "Open Government", "5G 网络"]


# --- 5. the kwic search term is not a lexicon entry ----------------------------------------------------

def test_a_kwic_search_term_with_a_line_break_is_an_error_about_the_term(sample_corpus, sample_lexicon):
    with pytest.raises(InputError, match="the search term cannot contain a line break") as caught:
        kwic.lines(sample_corpus, "社区\n治理", lexicon=sample_lexicon)
    assert caught.value.parameter == "term" and not isinstance(caught.value, LexiconError)
    line = one_error(*cli("kwic", SAMPLE, "--lexicon", LEX, "--term", "a\nb"))
    assert line.startswith("error: the search term cannot contain a line break ('a\\nb'): "
                           "a match never crosses a paragraph")
    assert "lexicon" not in line and "row 2" not in line


@pytest.mark.parametrize("query", ["", "  \u3000"])
def test_an_empty_kwic_search_term_names_the_term_setting(sample_corpus, sample_lexicon, query):
    with pytest.raises(InputError, match="the keyword to search for is empty") as caught:
        kwic.lines(sample_corpus, query, lexicon=sample_lexicon)
    assert caught.value.parameter == "term"


def test_a_kwic_search_term_with_an_invisible_character_is_an_error_about_the_term(sample_corpus):
    with pytest.raises(InputError, match=r"the search term '社区\\u200b治理' holds whitespace") as caught:
        kwic.lines(sample_corpus, "社区\u200b治理")
    assert caught.value.parameter == "term"


# --- 6. binary and ragged files ------------------------------------------------------------------------

def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        book.writestr("word/document.xml", "<w:document><w:body><w:p>协商民主</w:p></w:body></w:document>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, data", [
    ("lex.yaml", random.Random(0).randbytes(4096)),
    ("lex.yaml", _docx()),
    ("lex.csv", random.Random(1).randbytes(300)),
])
def test_a_binary_file_given_as_lexicon_is_told_it_is_not_a_text_lexicon(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    line = one_error(*cli("lexicon", "--lexicon", path))
    assert line.startswith(f"error: {path}: is not a text file (it looks like a binary file); "
                           "a lexicon is a .yaml or .csv text file")
    assert ".txt" not in line and "Word/PDF" not in line


def test_a_utf16_or_gbk_lexicon_is_text_not_binary(tmp_path):
    text = "concept,term\n协商民主,协商民主\n社区治理,社区治理\n"
    assert lexicon.load(write(tmp_path / "a.csv", text, "utf-16")).terms == ["协商民主", "社区治理"]
    assert lexicon.load(write(tmp_path / "b.csv", text, "gbk")).terms == ["协商民主", "社区治理"]


@pytest.mark.parametrize("text, line", [
    ("concept,term\n协商民主,协商民主\n社区治理,社区治理,extra\n", 3),
    ("concept,term\n协商民主,协商民主,基层协商民主\n社区治理,社区治理,x\n", 2),  # every row: pandas shifts silently
    ("concept,term,en\n协商民主,协商民主,Consultative democracy\n\n社区治理,社区治理\n", 4),
])
def test_a_csv_row_with_the_wrong_number_of_fields_is_an_error_naming_its_line(tmp_path, text, line):
    path = write(tmp_path / "lex.csv", text)
    with pytest.raises(LexiconError, match=rf"line {line} has \d field\(s\) but the header line has \d"):
        lexicon.load(path)


def test_a_quoted_comma_is_one_field(tmp_path):
    path = write(tmp_path / "lex.csv", 'concept,term,en\n协商民主,协商民主,"Consultative, deliberative"\n')
    assert lexicon.load(path).table.en.tolist() == ["Consultative, deliberative"]
