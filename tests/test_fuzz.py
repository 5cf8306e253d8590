"""Fuzzing: random bytes, random Unicode and random lexicons never raise anything but the project's errors.

- loader: any bytes in a file give documents or a DecodeError/InputError;
- cleaner: any text gives paragraphs without line breaks, empty paragraphs or
  surrounding whitespace;
- counter: any lexicon is either rejected (LexiconError) or gives counts that
  keep the counting invariants;
- command line: random bytes and random Unicode given to every command give a
  result (exit 0) or one ``error:`` line (exit 2), never a traceback.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import cli, corpus, count, lexicon, match
from analysis.config import LEXICON_DIR, PROJECT_DIR, SAMPLE_ESSAY
from analysis.errors import AnalysisError, InputError, LexiconError
from analysis.text.clean import CleanOptions, clean_text

LEX = str(LEXICON_DIR / "sample-concepts.csv")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLI = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Bytes that look like what users have: Chinese in several encodings, BOMs, NULs, line breaks, commas.
chunks = st.sampled_from([
    "社区治理".encode(), "协商民主".encode("gb18030"), "黨建".encode("big5"), b"\xef\xbb\xbf",
    b"\xff\xfe", b"\xfe\xff", b"\x00", b"\r\n", b"\n", b",", b'"', b"text,year\n", b"\xe7\xa4", b"\x81\x30",
    b"PK\x03\x04", b" ", "\u3000".encode("utf-8"),
])
random_bytes = st.one_of(st.binary(max_size=300), st.lists(st.one_of(chunks, st.binary(max_size=4)), max_size=40).map(b"".join))
awkward_text = st.text(alphabet=st.one_of(
    st.sampled_from(list("社区治理协商民主党建引领一、（）(：。\u3000 \t\r\n\x0b\x0c\x1c\x85\u2028\u2029\ufeff\x00")),
    st.characters(),
), max_size=200)


@FAST
@given(data=random_bytes, suffix=st.sampled_from([".txt", ".csv"]))
def test_loader_gives_documents_or_a_project_error(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(data)
        try:
            docs = corpus.read(path)
        except InputError:  # DecodeError is an InputError
            return
        assert all(isinstance(d.text, str) for d in docs)
        try:
            corp = corpus.from_documents(docs)
        except InputError as exc:
            assert "no text to analyse" in str(exc)
            return
        assert len(corp.docs) + len(corp.skipped) == len(docs)


@FAST
@given(text=awkward_text, dedupe=st.booleans(), han_spaces=st.booleans())
def test_cleaner_gives_clean_paragraphs_for_any_text(text, dedupe, han_spaces):
    cleaned = clean_text(text, CleanOptions(dedupe=dedupe, han_spaces=han_spaces))
    paragraphs = [p[3] for p in cleaned.paragraphs]
    for paragraph in paragraphs:
        assert paragraph and paragraph.splitlines() == [paragraph]  # no line break of any kind
        assert paragraph == paragraph.strip()
    if dedupe:
        assert len(set(paragraphs)) == len(paragraphs)
    assert [p[0] for p in cleaned.paragraphs] == sorted(p[0] for p in cleaned.paragraphs)


term_text = st.text(alphabet=st.sampled_from(list("社区治理5G+O2O互联网 \u3000\t\n·-")), min_size=0, max_size=6)
lexicons = st.dictionaries(st.text(alphabet=st.sampled_from(list("甲乙丙 A")), min_size=0, max_size=3),
                           st.lists(term_text, min_size=1, max_size=4), min_size=1, max_size=4)
texts = st.lists(st.text(alphabet=st.sampled_from(list("社区治理5G+O2O互联网 \u3000\n。a")), max_size=60),
                 min_size=1, max_size=4)


def _occurrences(text: str, term: str) -> int:
    return sum(text.startswith(term, i) for i in range(len(text)))


@FAST
@given(concepts=lexicons, docs=texts)
def test_any_lexicon_is_rejected_or_counts_keep_the_invariants(concepts, docs):
    try:
        lex = lexicon.from_terms(concepts)
    except LexiconError:
        return
    documents = [corpus.Document(doc=f"d{i}", text=t, path=f"d{i}.txt", encoding="utf-8", sha256="")
                 for i, t in enumerate(docs)]
    try:
        corp = corpus.from_documents(documents)
    except InputError:
        return
    hits = match.find(corp.paragraphs, lex)
    terms = count.terms(hits, corp, lex).set_index("term")
    concept_counts = count.concepts(hits, corp, lex).set_index("concept")
    for term in lex.terms:
        assert term and term == term.strip(" \t\u3000") and "\n" not in term
        expected = sum(_occurrences(p, term) for p in corp.paragraphs.text)
        assert terms.loc[term, "count"] == expected
        assert 0 <= terms.loc[term, "standalone"] <= terms.loc[term, "count"]
    for concept, group in lex.table.groupby("concept"):
        total = terms.loc[group.term, "count"].sum()
        assert concept_counts.loc[concept, "count"] <= total
        assert (concept_counts.loc[concept, "count"] > 0) == (total > 0)
    assert (concept_counts["chars"] == corp.paragraphs.text.str.len().sum()).all()


# --- the command line ----------------------------------------------------------------------------

#: Commands that read no input file, and why.
NO_INPUT = {"cache": "manages the segmentation cache; reads no input"}
#: Commands given the random file as their lexicon only (a random corpus would run them for minutes).
LEXICON_ONLY = {"lexicon", "report"}


def _commands() -> list[str]:
    return sorted(set(cli.COMMANDS) - set(NO_INPUT))


def _invocation(command: str, path: str) -> list[str]:
    """How each command is given a (random) input file."""
    if command == "lexicon":
        return ["lexicon", "--lexicon", path]
    if command == "report":  # validates its lexicon before running any notebook
        return ["report", "--lexicon", path, "-q", "-o", str(Path(path).parent / "reports")]
    if command == "kwic":
        return ["kwic", path, "--lexicon", LEX, "--term", "社区治理"]
    if command == "keyness":
        return ["keyness", path, str(SAMPLE_ESSAY), "--lexicon", LEX]
    if command == "agreement":  # the random file as a coding worksheet
        return ["agreement", path]
    if command == "reuse":
        return ["reuse", path, str(SAMPLE_ESSAY)]
    return [command, path, "--lexicon", LEX]


def _suffix(command: str, choice: int) -> str:
    return (".csv", ".yaml")[choice % 2] if command in LEXICON_ONLY else (".txt", ".csv")[choice % 2]


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """``cli.main`` in this process, standard output and error captured."""
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as exc:  # argparse
            status = exc.code
    out.flush()
    return status, out.buffer.getvalue().decode("utf-8"), err.getvalue()


def assert_result_or_one_error(status, out: str, err: str, argv) -> None:
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    if status == 0:
        assert errors == [] and out.strip(), (argv, err)
    else:
        assert status == 2 and out == "", (argv, status, err)
        assert len(errors) == 1 and len([line for line in err.splitlines() if not line.startswith("notice:")]) == 1


@pytest.mark.parametrize("command", _commands())
@CLI
@given(data=st.one_of(random_bytes, awkward_text.map(lambda t: t.encode("utf-8", "surrogatepass"))), choice=st.integers(0, 1))
def test_every_command_on_random_input_gives_a_result_or_one_error_line(command, data, choice):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{_suffix(command, choice)}"
        path.write_bytes(data)
        argv = _invocation(command, str(path))
        assert_result_or_one_error(*run_main(argv), argv)


@pytest.mark.parametrize("command", _commands())
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(random_bytes, awkward_text.map(lambda t: t.encode("utf-8", "surrogatepass"))), choice=st.integers(0, 1))
def test_every_command_as_a_subprocess_never_prints_a_traceback(command, data, choice):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{_suffix(command, choice)}"
        path.write_bytes(data)
        argv = _invocation(command, str(path))
        done = subprocess.run([sys.executable, "-m", "analysis", *argv], capture_output=True, cwd=PROJECT_DIR)
        assert_result_or_one_error(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"), argv)


def test_project_errors_are_all_analysis_errors():
    assert issubclass(LexiconError, AnalysisError) and issubclass(InputError, AnalysisError)
