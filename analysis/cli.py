"""Command-line interface: ``python -m analysis COMMAND ...``, a thin layer over the package.

Every command writes a CSV table to standard output (UTF-8) or to ``-o FILE``
(``.csv`` with a BOM for Excel, or ``.xlsx``). Notices (duplicates removed,
documents skipped) go to standard error. Any user mistake ends with one line
``error: ...`` on standard error and exit status 2. A bug of ours ends with one
line ``error: internal error: ...`` and exit status 1 (set ``ANALYSIS_DEBUG=1``
to see the traceback); an interrupt (Ctrl-C) with exit status 130.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from analysis import __version__
from analysis.config import (
    CORPORA_DIR,
    DEFAULT_CODEBOOK,
    DEFAULT_LEXICON,
    REPORTS_DIR,
    SAMPLE_ESSAY,
    Settings,
    check_parameters,
)
from analysis.engine import cache
from analysis.errors import AnalysisError, InputNotice, NotebookError
from analysis.lexicon import Lexicon, curation
from analysis.lexicon import codebook as codebooks
from analysis.lexicon import load as load_lexicon
from analysis.measure import cooccur, count, keyness, kwic, match, words  # the others: in their one command
from analysis.measure.segment import Segmenter
from analysis.present import citation, methods, provenance, summaries
from analysis.present.output import SUFFIXES as OUTPUT_SUFFIXES
from analysis.present.output import check_output, is_one_of, write_table
from analysis.text import corpus
from analysis.text.corpus import Corpus

#: The command-line flag of each setting, added to messages that name the setting.
FLAGS = {
    "text_column": "--text-column", "sheet": "--sheet", "keep_duplicates": "--keep-duplicates",
    "join_han_spaces": "--keep-spaces", "simplified": "--simplified", "jobs": "--jobs", "engine": "--engine",
    "scheduler": "--scheduler", "by": "--by", "level": "--level", "lexicon": "--lexicon", "backend": "--segmenter",
    "match_as": "--match-as", "term": "--term", "width": "--width", "min_count": "--min-count", "split": "--split", "top": "--top",
    "min_docs": "--min-docs", "min_n": "--min-n", "max_n": "--max-n", "merge": "--merge", "min_entropy": "--min-entropy",
    "codebook": "--codebook", "dimension": "--dimension", "coders": "--coders", "min_similarity": "--min-similarity",
    "pair": "--pair",
    "concept": "--concept",
    "config": "--config", "wide": "--wide", "top_n": "--top-n", "selected": "--concepts", "query": "--kwic", "title": "--title",
}

class _Parser(argparse.ArgumentParser):
    """argparse, but usage mistakes are one ``error:`` line and exit status 2."""

    def error(self, message: str):  # noqa: D102 - argparse hook
        self.exit(2, f"error: {one_line(message)} (see '{self.prog} --help')\n")


def one_line(message: object) -> str:
    """A message as one printable line: control characters and line breaks from the input shown escaped.

    File names, column names and terms come from the user's files; a stray
    ``\\x0b`` or ESC in them must neither split the ``error:`` line nor reach the terminal.

    Examples
    --------
    >>> one_line("t.csv: has no column 'text' (columns: a\\x0bb)")
    "t.csv: has no column 'text' (columns: a\\\\x0bb)"
    """
    return "".join(
        (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in str(message)
    )


def add_input_arguments(parser: argparse.ArgumentParser, *, paths: bool = True) -> None:
    """The options shared by every command that reads texts."""
    if paths:
        parser.add_argument("paths", nargs="+", metavar="PATH",
                            help=".txt, .pdf, .docx or .html file, a folder of them, or .csv/.xlsx table (one document per row)")
    parser.add_argument("--lexicon", metavar="FILE", help="lexicon (.yaml or .csv); default: the bundled governance lexicon")
    parser.add_argument("--text-column", default="text", metavar="NAME", help="text column of .csv/.xlsx inputs (default: text)")
    parser.add_argument("--sheet", metavar="NAME", help="sheet of .xlsx inputs (default: the first, with a notice naming the others)")
    parser.add_argument("--keep-duplicates", action="store_true", help="keep exact duplicate paragraphs")
    parser.add_argument("--keep-spaces", action="store_true", help="keep whitespace between Chinese characters")
    parser.add_argument("--simplified", action="store_true", help="convert Traditional to Simplified characters before matching")
    parser.add_argument("-q", "--quiet", action="store_true", help="print no notices")


def add_output_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write to FILE instead of standard output: .csv or .xlsx, or a three-line table for "
                             "papers, .docx (Word) or .tex (LaTeX booktabs), with Chinese and English headers")
    parser.add_argument("--pinyin", action="store_true", help=".docx/.tex: add the pinyin of each concept")
    parser.add_argument("--caption", default="", metavar="TEXT", help=".docx/.tex: caption above the table")
    parser.add_argument("--raw-csv", action="store_true",
                        help="CSV: write text cells exactly as they are; by default a text cell starting with "
                             "= + - @ (which Excel would run as a formula) gets a leading apostrophe")


def add_provenance_argument(parser: argparse.ArgumentParser) -> None:
    """``--provenance FILE``: inputs and hashes, lexicon, options, cleaning, versions (see analysis.present.provenance)."""
    parser.add_argument("--provenance", metavar="FILE",
                        help="also write how the result was made (inputs with sha256, lexicon, options, "
                             "cleaning, versions) to FILE (.json or .yaml)")


def settings_of(args: argparse.Namespace) -> Settings:
    """The one :class:`~analysis.config.Settings` of an invocation, built from its flags."""
    return Settings(
        text_column=getattr(args, "text_column", "text"), sheet=getattr(args, "sheet", None),
        keep_duplicates=getattr(args, "keep_duplicates", False), join_han_spaces=not getattr(args, "keep_spaces", False),
        simplified=getattr(args, "simplified", False), jobs=getattr(args, "jobs", None),
        engine=getattr(args, "engine", "local"), scheduler=getattr(args, "scheduler", None),
        progress=False if getattr(args, "quiet", False) else None)


def load_inputs(args: argparse.Namespace, paths: Sequence | None = None) -> tuple[Corpus, Lexicon]:
    """Build the corpus and lexicon an invocation asks for, printing the corpus's notices."""
    lex = load_lexicon(args.lexicon)
    corp = corpus.build(args.paths if paths is None else paths, settings_of(args))
    print_notices(corp, args)
    return corp, lex


def print_notices(corp: Corpus, args: argparse.Namespace) -> None:
    """The corpus's notices as ``notice: ...`` lines (none with ``-q``)."""
    if not args.quiet:
        for note in corp.notices():
            print(f"notice: {one_line(with_flag(note))}", file=sys.stderr)


def with_flag(message: object) -> str:
    """A library message with the command-line flag of the setting it names, if any.

    Examples
    --------
    >>> from analysis.errors import InputError
    >>> with_flag(InputError("t.csv: has no column 'text'; name the text column", parameter="text_column"))
    "t.csv: has no column 'text'; name the text column (--text-column)"
    """
    parameter = getattr(message, "parameter", None)
    text = str(message)
    return f"{text} ({FLAGS[parameter]})" if parameter in FLAGS else text


def files_read(args: argparse.Namespace) -> list[Path]:
    """Every file an invocation reads: inputs, the files of input folders (manifests too), lexicon, stopwords."""
    given = [*(getattr(args, "paths", None) or []), getattr(args, "corpus", None)]
    files: list[Path] = []
    for item in filter(None, given):
        path = Path(item)
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if not p.is_dir())
        else:
            files.append(path)
    lexicon_path = getattr(args, "lexicon", None) or DEFAULT_LEXICON
    files.append(Path(lexicon_path))
    if getattr(args, "stopwords", None):
        files.append(Path(args.stopwords))
    return files


def check_outputs(args: argparse.Namespace) -> None:
    """Check every place the invocation will write before it reads or writes anything."""
    output, provenance_path = getattr(args, "output", None), getattr(args, "provenance", None)
    if args.command == "report" or not (output or provenance_path):
        return
    reads = files_read(args)
    if output:
        check_output(output, reads=reads, suffixes=getattr(args, "output_suffixes", OUTPUT_SUFFIXES))
    if provenance_path:
        check_output(provenance_path, reads=reads, suffixes=provenance.SUFFIXES, what="provenance")
        if output and Path(output).resolve() == Path(provenance_path).resolve():
            raise AnalysisError(f"{output}: given both as the output and as the provenance file; give two files")


def emit(table, args: argparse.Namespace, *, corpus: Corpus | None = None, lexicon: Lexicon | None = None) -> int:
    """Write a result table where the invocation asks (and its provenance, if asked); return exit status 0."""
    provenance_path = getattr(args, "provenance", None)
    if provenance_path:
        provenance.check_path(provenance_path)  # fail before writing the table, not after
    write_table(table, args.output, raw=getattr(args, "raw_csv", False), lexicon=lexicon,
                pinyin=getattr(args, "pinyin", False), caption=getattr(args, "caption", ""))
    if provenance_path:
        record = provenance.collect(corpus, lexicon, options=vars(args), command=sys.argv[1:] or None,
                                    output=args.output)
        provenance.write(record, provenance_path)
    return 0


def _configure_count(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--level", choices=["concept", "term"], default="concept", help="count concepts or terms (default: concept)")
    parser.add_argument("--by", default="corpus", metavar="corpus|doc|COLUMN",
                        help="one table for everything (corpus, default), per document (doc), or per metadata column (e.g. year)")
    parser.add_argument("--nesting", action="store_true",
                        help="instead of counts, list for each concept the longer concepts its occurrences lie inside "
                             "(concept, inside, count, concept_count, share)")
    parser.add_argument("--wide", nargs="?", const="count", choices=summaries.WIDE_VALUES, metavar="count|per_10k",
                        help="with --by: one row per concept, one column per group (e.g. year), cells the count "
                             "(default) or per_10k; for Excel")
    add_scale_arguments(parser, engine=True)
    add_output_argument(parser)
    add_provenance_argument(parser)


def add_scale_arguments(parser: argparse.ArgumentParser, *, engine: bool = False) -> None:
    """``--jobs`` (and ``--engine``/``--scheduler``): where large corpora are processed (analysis.engine)."""
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes (default: all cores; 1: no worker processes)")
    if engine:
        parser.add_argument("--engine", choices=["local", "dask"], default="local",
                            help="local worker processes (default) or a Dask cluster (needs the 'dask' extra)")
        parser.add_argument("--scheduler", metavar="ADDRESS",
                            help="with --engine dask: scheduler address, e.g. tcp://10.0.0.5:8786 (default: Dask on this machine)")


def _run_count(args: argparse.Namespace) -> int:
    if args.nesting:
        corp, lex = load_inputs(args)
        return emit(match.nesting(match.find(corp.paragraphs, lex), lex), args, corpus=corp, lexicon=lex)
    lex = load_lexicon(args.lexicon)
    if args.wide and args.by == "corpus":
        raise AnalysisError("--wide spreads the groups into columns: give --by year (or doc, or a metadata column)",
                            parameter="by")
    table, corp = count.from_paths(args.paths, lex, settings_of(args), level=args.level, by=args.by)
    print_notices(corp, args)
    if args.wide:
        table = summaries.wide(table, by=args.by, value=args.wide)
    return emit(table, args, corpus=corp, lexicon=lex)


def _configure_words(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--top", type=int, default=None, metavar="N", help="keep the N most frequent words (per group)")
    parser.add_argument("--by", default="corpus", metavar="corpus|doc|COLUMN", help="as for count")
    parser.add_argument("--stopwords", metavar="FILE", help="extra stopwords, one per line")
    parser.add_argument("--no-default-stopwords", action="store_true", help="do not remove the stopwords-iso Chinese list")
    parser.add_argument("--segmenter", choices=["rjieba", "jieba"], default="rjieba",
                        help="rjieba (jieba-rs, fast; default) or jieba (the pure-Python reference); same tokens")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the segmentation cache")
    add_scale_arguments(parser, engine=True)
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_words(args: argparse.Namespace) -> int:
    if args.top is not None and args.top < 1:
        raise AnalysisError(f"--top must be at least 1, not {args.top}")
    lex = load_lexicon(args.lexicon)
    extra = words.read_stopwords(args.stopwords) if args.stopwords else frozenset()
    stop = words.stopword_set(extra, use_default=not args.no_default_stopwords)
    table, corp = words.from_paths(args.paths, Segmenter(lex, backend=args.segmenter), settings_of(args),
                                   stopwords=stop, by=args.by, top=args.top, cache=not args.no_cache)
    print_notices(corp, args)
    return emit(table, args, corpus=corp, lexicon=lex)


def _configure_cache(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clear", action="store_true", help="delete the segmentation cache")
    parser.add_argument("--info", action="store_true", help="show where the cache is and its size (the default)")


def _run_cache(args: argparse.Namespace) -> int:
    if args.clear:
        where = cache.location()
        removed = cache.clear()
        print(f"removed the segmentation cache {where} ({removed} document(s))", file=sys.stderr)
        return 0
    about = cache.info()
    print(f"segmentation cache: {about['path']}\ndocuments: {about['entries']}\n"
          f"size: {int(about['bytes']) / 1e6:.1f} MB")
    return 0



def _configure_lexicon(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lexicon", metavar="FILE", help="lexicon (.yaml or .csv); default: the bundled governance lexicon")
    add_output_argument(parser)


def _run_lexicon(args: argparse.Namespace) -> int:
    lex = load_lexicon(args.lexicon)
    print(f"notice: {lex.citation()}: {lex.table.concept.nunique()} concepts, "
          f"{lex.table.category.nunique()} categories, {len(lex.table)} terms", file=sys.stderr)
    return emit(lex.table[["category", "concept", "term", "en", "source"]], args)



def _configure_audit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="texts to audit against (default: the bundled corpora and the sample essay)")
    add_input_arguments(parser, paths=False)
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_audit(args: argparse.Namespace) -> int:
    from analysis.measure import audit

    paths = args.paths or [CORPORA_DIR / "gov-work-reports", CORPORA_DIR / "cpc-congress-reports", SAMPLE_ESSAY]
    corp, lex = load_inputs(args, paths)
    table = audit.audit(corp, lex)
    if not args.quiet:
        unseen = table[table["count"] == 0]
        print(f"notice: {len(unseen)} of {len(table)} terms do not occur in the given texts "
              f"({int(unseen.unattested.sum())} of them marked unattested in the lexicon)", file=sys.stderr)
    return emit(table, args, corpus=corp, lexicon=lex)


def _configure_kwic(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--term", required=True, metavar="TERM",
                        help="concept name, lexicon term, or any other string (searched ad hoc)")
    parser.add_argument("--match-as", choices=["auto", "concept", "term", "adhoc"], default="auto",
                        help="read TERM as a concept (its counted occurrences), a term (every occurrence, also "
                             "inside longer terms) or ad hoc; auto (default): concept, else term, else ad hoc")
    parser.add_argument("--width", type=int, default=20, metavar="N", help="characters of context on each side (default: 20)")
    parser.add_argument("--sort", choices=["position", "left", "right"], default="position",
                        help="order of the lines: text position (default), left context (read backwards), right context")
    add_scale_arguments(parser, engine=True)
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_kwic(args: argparse.Namespace) -> int:
    if args.width < 0:
        raise AnalysisError(f"--width must be 0 or more, not {args.width}")
    lex = load_lexicon(args.lexicon)
    table, corp = kwic.from_paths(args.paths, args.term, settings_of(args), lexicon=lex, match_as=args.match_as,
                                  width=args.width, sort=args.sort)  # lines found where each document is cleaned
    print_notices(corp, args)
    if not args.quiet:
        print(f"notice: {kwic.describe(args.term, lex, table)}", file=sys.stderr)
    return emit(table, args, corpus=corp, lexicon=lex)


def _configure_cooccur(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--unit", choices=["sentence", "paragraph"], default="sentence",
                        help="two concepts co-occur when in the same sentence (default) or paragraph")
    parser.add_argument("--min-count", type=int, default=1, metavar="N",
                        help="keep pairs found together in at least N units (default: 1)")
    parser.add_argument("--include-nested", action="store_true",
                        help="also count units where one concept occurs only inside the other "
                             "(by default containment is not co-occurrence)")
    add_scale_arguments(parser, engine=True)
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_cooccur(args: argparse.Namespace) -> int:
    if args.min_count < 1:
        raise AnalysisError(f"--min-count must be at least 1, not {args.min_count}")
    lex = load_lexicon(args.lexicon)
    table, corp = cooccur.from_paths(args.paths, lex, settings_of(args), unit=args.unit, min_count=args.min_count,
                                     include_nested=args.include_nested)  # units counted where documents are cleaned
    print_notices(corp, args)
    return emit(table, args, corpus=corp, lexicon=lex)


def _configure_keyness(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="TARGET REFERENCE (two inputs), or with --split any inputs forming one corpus")
    add_input_arguments(parser, paths=False)
    parser.add_argument("--split", metavar="EXPR",
                        help="split one corpus by a metadata condition, e.g. 'year>=2012': documents meeting it "
                             "are the target, the others the reference")
    parser.add_argument("--level", choices=["concept", "word"], default="concept",
                        help="compare lexicon concepts (default) or open-vocabulary words")
    parser.add_argument("--min-count", type=int, default=None, metavar="N",
                        help="keep items occurring at least N times on both sides together "
                             "(default: 1 for concepts, 5 for words)")
    parser.add_argument("--stopwords", metavar="FILE", help="extra stopwords for --level word, one per line")
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_keyness(args: argparse.Namespace) -> int:
    if args.min_count is not None and args.min_count < 1:
        raise AnalysisError(f"--min-count must be at least 1, not {args.min_count}")
    if args.split is None and len(args.paths) != 2:
        raise AnalysisError(f"keyness needs two inputs, TARGET and REFERENCE (got {len(args.paths)}), "
                            "or one corpus and --split, e.g. --split 'year>=2012'")
    if args.split is not None:
        keyness.parse_split(args.split)  # reject a malformed split before reading
        corp, lex = load_inputs(args)
        target, reference = keyness.split(corp, args.split)
    else:
        # Both sides are read together, so documents of the two inputs that share a file name get
        # distinct ids (t/001, r/001) exactly as in count; then each side is its input's documents.
        first, second = (Path(p) for p in args.paths)
        if first.resolve() == second.resolve():
            raise AnalysisError(f"{first}: given as both TARGET and REFERENCE; give two different inputs")
        corp, lex = load_inputs(args)
        target, reference = keyness.by_source(corp, first)
    if args.level == "concept":
        table = keyness.concepts(target, reference, lex, min_count=args.min_count or 1)
    else:
        extra = words.read_stopwords(args.stopwords) if args.stopwords else frozenset()
        table = keyness.words(target, reference, Segmenter(lex), stopwords=words.stopword_set(extra),
                              min_count=args.min_count or 5)
    return emit(table, args, corpus=corp, lexicon=lex)


def add_sheet_argument(parser: argparse.ArgumentParser) -> None:
    """``--as-lexicon FILE``: also write the suggestions as a curation sheet (analysis.lexicon.curation)."""
    parser.add_argument("--as-lexicon", metavar="FILE",
                        help="also write the suggestions as a curation sheet: a CSV lexicon with empty concept, "
                             "category and decision columns to fill in (then: python -m analysis curate FILE)")


def check_sheet(args: argparse.Namespace) -> None:
    """Check the ``--as-lexicon`` file like every output, before anything is read."""
    if args.as_lexicon:
        check_output(args.as_lexicon, reads=files_read(args), suffixes=(".csv",), what="curation sheet")
        if args.output and Path(args.output).resolve() == Path(args.as_lexicon).resolve():
            raise AnalysisError(f"{args.output}: given both as the output and as the curation sheet; give two files")


#: ``--words`` -> the ``words`` argument of discover.candidates.
WORDS_OPTION = {"auto": None, "keep": True, "drop": False}


def _configure_discover(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--split", metavar="EXPR",
                        help="rank by emergence: candidates over-represented in the documents meeting EXPR "
                             "(e.g. 'year>=2012') against the others")
    parser.add_argument("--since", type=int, metavar="YEAR", help="the same as --split 'year>=YEAR'")
    parser.add_argument("--min-count", type=int, default=3, metavar="N", help="occurrences a candidate needs (default: 3)")
    parser.add_argument("--min-docs", type=int, default=1, metavar="N", help="documents a candidate needs (default: 1)")
    parser.add_argument("--min-n", type=int, default=3, metavar="N", help="shortest candidate, in characters (default: 3)")
    parser.add_argument("--max-n", type=int, default=10, metavar="N", help="longest candidate, in characters (default: 10)")
    parser.add_argument("--words", choices=["auto", "keep", "drop"], default="auto",
                        help="candidates that are words of jieba's dictionary: drop them, keep them, or auto "
                             "(default: drop without --split/--since, keep with it)")
    parser.add_argument("--top", type=int, default=100, metavar="N", help="rows to list (default: 100)")
    add_sheet_argument(parser)
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_discover(args: argparse.Namespace) -> int:
    from analysis.measure import discover

    if args.split is not None and args.since is not None:
        raise AnalysisError("give --split or --since, not both")
    split = f"year>={args.since}" if args.since is not None else args.split
    if split is not None:
        keyness.parse_split(split)  # reject a malformed split before reading
    check_sheet(args)
    corp, lex = load_inputs(args)
    table = discover.candidates(corp, lex, split=split, min_n=args.min_n, max_n=args.max_n, min_count=args.min_count,
                                min_docs=args.min_docs, words=WORDS_OPTION[args.words], top=args.top,
                                progress=False if args.quiet else None)
    if args.as_lexicon:
        write_table(discover.as_sheet(table, where=" ".join(map(str, args.paths))), args.as_lexicon)
    return emit(table, args, corpus=corp, lexicon=lex)


def _configure_expand(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("seeds", nargs="+", metavar="SEED", help="concept of the lexicon, or word, to expand")
    parser.add_argument("--corpus", nargs="+", metavar="PATH", dest="paths",
                        default=[str(CORPORA_DIR / "gov-work-reports"), str(CORPORA_DIR / "cpc-congress-reports")],
                        help="texts to train on (default: the two bundled corpora)")
    add_input_arguments(parser, paths=False)
    parser.add_argument("--top", type=int, default=20, metavar="N", help="suggestions per seed (default: 20)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the model cache")
    add_sheet_argument(parser)
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_expand(args: argparse.Namespace) -> int:
    from analysis.measure import expand

    check_sheet(args)
    corp, lex = load_inputs(args)
    table = expand.neighbours(corp, lex, args.seeds, top=args.top, cache=not args.no_cache,
                              progress=False if args.quiet else None)
    if not args.quiet:
        print(f"notice: word2vec {expand.describe_parameters()}; suggestions are candidates to read, not results "
              "to count", file=sys.stderr)
    if args.as_lexicon:
        write_table(expand.as_sheet(table, where=" ".join(map(str, args.paths))), args.as_lexicon)
    return emit(table, args, corpus=corp, lexicon=lex)


def _configure_curate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sheet", metavar="SHEET", help="a curation sheet (from discover/expand --as-lexicon), filled in")
    parser.add_argument("--lexicon", metavar="FILE", help="the lexicon the sheet extends (default: the bundled one)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print no notices")
    add_output_argument(parser)


def _run_curate(args: argparse.Namespace) -> int:
    lex = load_lexicon(args.lexicon)
    table, tally = curation.decide(lex, curation.read_sheet(args.sheet), source=args.sheet)
    if not args.quiet:
        print(f"notice: {args.sheet}: {tally['accept']} accepted, {tally['reject']} rejected, {tally['undecided']} "
              f"undecided; the new lexicon has {len(table)} terms ({len(lex.table)} before); keep the sheet beside "
              "it as the record of the decisions", file=sys.stderr)
    return emit(table, args)


def _configure_clauses(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_clauses(args: argparse.Namespace) -> int:
    from analysis.measure import clauses

    corp = corpus.build(args.paths, settings_of(args))
    print_notices(corp, args)
    return emit(clauses.split(corp), args, corpus=corp)


def add_codebook_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--codebook", metavar="FILE",
                        help="codebook (.yaml); default: the bundled policy-instrument codebook")


def _configure_code(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    add_codebook_argument(parser)
    parser.add_argument("--table", choices=["codes", "profile", "crosstab", "worksheet"], default="codes",
                        help="codes: one row per clause and code (default); profile: clauses per code and group "
                             "with shares; crosstab: two dimensions crossed; worksheet: the human-coding worksheet "
                             "(-o FILE.xlsx)")
    parser.add_argument("--dimension", metavar="NAME", help="profile: the dimension (default: the first); "
                        "crosstab: the row dimension")
    parser.add_argument("--cross", metavar="NAME", help="crosstab: the column dimension (default: the second)")
    parser.add_argument("--level", choices=["code", "type"], default="code",
                        help="profile: count codes (sub-types) or types (default: code)")
    parser.add_argument("--by", default="doc", metavar="corpus|doc|COLUMN", help="profile: groups (default: doc)")
    parser.add_argument("--human", metavar="SHEET.xlsx",
                        help="a filled-in coding worksheet: its human codes replace the automatic ones")
    parser.add_argument("--coders", default="coder1,coder2", metavar="A,B",
                        help="worksheet: coder names, comma-separated (default: coder1,coder2)")
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_code(args: argparse.Namespace) -> int:
    from analysis.measure import clauses, coding

    if args.output and args.human:
        check_output(args.output, reads=[*files_read(args), args.human, args.codebook or DEFAULT_CODEBOOK])
    if args.table == "worksheet" and not (args.output and Path(args.output).suffix.lower() == ".xlsx"):
        raise AnalysisError("--table worksheet writes an Excel file: give -o FILE.xlsx")
    book = codebooks.load(args.codebook)
    corp = corpus.build(args.paths, settings_of(args))
    print_notices(corp, args)
    units = clauses.split(corp)
    codes = coding.auto(units, book)
    if args.human:
        codes = coding.final(codes, coding.read_worksheet(args.human, book), units, book)
    dimension = book.check_dimension(args.dimension) if args.dimension else book.dimensions[0]
    if args.table == "worksheet":
        table = coding.worksheet(units, codes, book, coders=args.coders.split(","))
    elif args.table == "profile":
        table = coding.profile(codes, units, book, dimension=dimension, by=args.by, docs=corp.docs, level=args.level)
    elif args.table == "crosstab":
        others = [d for d in book.dimensions if d != dimension]
        if not args.cross and not others:
            raise AnalysisError(f"the codebook has one dimension ({dimension}); a cross-tab needs two", parameter="codebook")
        table = coding.crosstab(codes, book, rows=dimension, columns=book.check_dimension(args.cross or others[0]),
                                row_level=args.level if args.level == "type" else "type", column_level="code")
    else:
        table = codes
    return emit(table, args, corpus=corp, lexicon=book.lexicon(dimension))  # provenance: the codebook used


def _configure_agreement(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("worksheet", metavar="SHEET.xlsx", help="a coding worksheet filled in by two or more coders")
    add_codebook_argument(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print no notices")
    add_output_argument(parser)


def _run_agreement(args: argparse.Namespace) -> int:
    from analysis.measure import agreement, coding

    if args.output:
        check_output(args.output, reads=[args.worksheet, args.codebook or DEFAULT_CODEBOOK])
    book = codebooks.load(args.codebook)
    return emit(agreement.table(coding.read_worksheet(args.worksheet, book), book), args)


def _configure_reuse(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--consecutive", action="store_true",
                        help="compare each document with the next (ordered by --by); default with one input")
    parser.add_argument("--by", metavar="COLUMN|doc",
                        help="--consecutive: order of the documents (default: year if the corpus has it, else doc)")
    parser.add_argument("--pair", nargs=2, action="append", metavar=("A", "B"),
                        help="compare document A with document B (repeatable); ids as in the doc column")
    parser.add_argument("--min-similarity", type=int, default=60, metavar="N",
                        help="smallest similarity (0-100) of two sentences counted as reuse (default: 60)")
    parser.add_argument("--shares", action="store_true",
                        help="instead of the passages, one row per pair: passages, verbatim, characters reused, share")
    add_output_argument(parser)
    add_provenance_argument(parser)


def _run_reuse(args: argparse.Namespace) -> int:
    from analysis.measure import reuse

    corp = corpus.build(args.paths, settings_of(args))
    print_notices(corp, args)
    if args.pair:
        pairs = [tuple(p) for p in args.pair]
    elif len(args.paths) == 2 and not args.consecutive:
        first, second = keyness.by_source(corp, args.paths[0])
        pairs = [(a, b) for a in first.docs.doc for b in second.docs.doc]
    else:
        pairs = reuse.consecutive(corp, by=args.by or ("year" if "year" in corp.docs.columns else "doc"))
    if not pairs:
        raise AnalysisError("nothing to compare: give two inputs, --pair A B, or a corpus of two or more documents")
    passages = reuse.find(corp, pairs, min_similarity=args.min_similarity)
    return emit(reuse.shares(passages, corp, pairs) if args.shares else passages, args, corpus=corp)
def _configure_methods(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("provenance_file", metavar="PROVENANCE_FILE",
                        help="a provenance file written with --provenance (.json or .yaml)")
    parser.add_argument("--lang", choices=list(methods.LANGS), default="zh",
                        help="language of the paragraph: zh (default) or en")


def _run_methods(args: argparse.Namespace) -> int:
    print_text(methods.text(methods.read(args.provenance_file), lang=args.lang))
    return 0


def print_text(text: str) -> None:
    """Text to standard output: through the console's own encoding on a terminal, as UTF-8 into a file or pipe.

    (Redirected on Windows, ``print`` would use the ANSI code page, which cannot hold every character.)
    """
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or sys.stdout.isatty():
        print(text)
        return
    buffer.write((text + "\n").encode("utf-8"))
    buffer.flush()


def _configure_cite(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lexicon", metavar="FILE", help="lexicon (.yaml or .csv); default: the bundled governance lexicon")


def _run_cite(args: argparse.Namespace) -> int:
    print_text(citation.citations(load_lexicon(args.lexicon)))
    return 0


def _configure_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", metavar="PATH",
                        help="texts for notebooks 00 and 02-04 (.txt file, folder, .csv/.xlsx); default: the bundled data")
    parser.add_argument("--lexicon", metavar="FILE", help="lexicon (.yaml or .csv); default: the bundled governance lexicon")
    parser.add_argument("--text-column", metavar="NAME", help="text column of .csv/.xlsx inputs (default: text)")
    parser.add_argument("--sheet", metavar="NAME", help="sheet of .xlsx inputs (default: the first)")
    parser.add_argument("--keep-duplicates", action="store_true", help="keep exact duplicate paragraphs")
    parser.add_argument("--keep-spaces", action="store_true", help="keep whitespace between Chinese characters")
    parser.add_argument("--simplified", action="store_true", help="convert Traditional to Simplified characters")
    parser.add_argument("-o", "--output", metavar="DIR", help="folder for the HTML reports (default: reports/)")
    parser.add_argument("--title", metavar="TEXT", help="title at the top of every page and of the index")
    parser.add_argument("--kwic", metavar="CONCEPT", help="concept or term of the keyword-in-context tables (04-context)")
    parser.add_argument("--concepts", metavar="A,B,...", type=_name_list,
                        help="concepts whose trends 03-trends draws, comma-separated")
    parser.add_argument("--split", metavar="CONDITION",
                        help="period split of the keyness comparison, e.g. 'year >= 2012' (default: the median year)")
    parser.add_argument("--top-n", type=int, metavar="N", help="rows of the tables and bars of the charts")
    parser.add_argument("--min-count", type=int, metavar="N", help="co-occurring pairs found together fewer times are left out")
    parser.add_argument("--config", metavar="FILE",
                        help="report options from a .yaml/.toml file (keys as these flags, with _; flags win)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print no progress lines")


def _name_list(text: str) -> list[str]:
    return [name.strip() for name in text.replace("，", ",").split(",") if name.strip()]


def _report_options(args: argparse.Namespace) -> dict:
    """The report's options: the --config file's, then the flags given (which win)."""
    from analysis.present import report_options

    options = report_options.read_config(args.config) if args.config else {}
    flags = {"corpus": args.corpus, "lexicon": args.lexicon, "output": args.output, "text_column": args.text_column,
             "sheet": args.sheet, "keep_duplicates": args.keep_duplicates or None,
             "keep_spaces": args.keep_spaces or None, "simplified": args.simplified or None, "title": args.title,
             "kwic": args.kwic, "concepts": args.concepts, "split": args.split, "top_n": args.top_n,
             "min_count": args.min_count}
    options.update({k: v for k, v in flags.items() if v is not None})
    for key in ("corpus", "lexicon", "output", "text_column", "sheet", "keep_duplicates", "keep_spaces", "simplified"):
        setattr(args, key, options.pop(key, None))
    check_parameters(**report_options.notebook_parameters(options))
    return options


def _run_report(args: argparse.Namespace) -> int:
    # heavy (nbconvert, jupyter_client): imported only for this command
    from analysis.present import report, report_options

    options = _report_options(args)
    folder = Path(args.output) if args.output else REPORTS_DIR
    reads = files_read(args)
    for stem in ["index", *(p.stem for p in report.notebooks())]:
        for name in (f"{stem}.html", f"{stem}.code.html"):
            if (folder / name).exists() and is_one_of(folder / name, reads):
                raise AnalysisError(f"{folder / name}: is a file this run reads; writing a report there would "
                                    "destroy it; choose another folder with -o")
    say = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    try:
        given = {"text_column": args.text_column, "sheet": args.sheet, "keep_duplicates": args.keep_duplicates or None,
                 "join_han_spaces": False if args.keep_spaces else None, "simplified": args.simplified or None}
        written = report.build(corpus=args.corpus, lexicon=args.lexicon, output=args.output, progress=say,
                               corpus_settings={k: v for k, v in given.items() if v is not None},
                               options={**report_options.notebook_parameters(options), "title": options.get("title")})
    except report.ReportsIncomplete as exc:
        for failure in exc.failures:
            print(f"error: {one_line(failure)}", file=sys.stderr)
        if exc.written:
            print(f"wrote the other reports ({len(exc.written)} files); open {exc.written[-1]}", file=sys.stderr)
        else:
            print("error: no report was written", file=sys.stderr)
        return 2 if exc.user_error else 1
    except NotebookError as exc:
        print(f"error: {exc}; no report was written", file=sys.stderr)
        return 2 if exc.user_error else 1
    if not args.quiet:
        print(f"wrote {len(written)} files; open {written[-1]}", file=sys.stderr)
    return 0


def _configure_explore(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", metavar="PATH", default=str(CORPORA_DIR / "cpc-congress-reports"),
                        help=".txt file, folder of .txt files, or .csv/.xlsx table (default: the bundled congress reports)")
    add_input_arguments(parser, paths=False)
    parser.add_argument("--by", metavar="COLUMN", help="grouping of the trend: a metadata column or doc "
                                                        "(default: year if the documents have one, else doc)")
    parser.add_argument("--split", metavar="EXPR", help="period split of the keyness view, e.g. 'year>=2012' "
                                                         "(default: the median of --by)")
    parser.add_argument("--concept", metavar="NAME", help="the concept shown first (default: the most frequent)")
    parser.add_argument("--width", type=int, default=20, metavar="N", help="characters of context on each side (default 20)")
    parser.add_argument("-o", "--output", metavar="FILE", required=True,
                        help="the explorer page to write (.html; one self-contained file that works offline)")
    parser.set_defaults(output_suffixes=(".html",))


def _run_explore(args: argparse.Namespace) -> int:
    from analysis.present import explorer  # altair and its JavaScript bundle: only for this command

    if args.split is not None:
        keyness.parse_split(args.split)  # reject a malformed split before reading
    corp, lex = load_inputs(args, [args.corpus])
    model = explorer.model.Model(corp, lex, by=args.by, split=args.split, width=args.width, settings=settings_of(args))
    written = explorer.page.write(model, args.output, concept=args.concept, reads=tuple(files_read(args)))
    if not args.quiet:
        print(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB); open it in any browser, it works offline",
              file=sys.stderr)
    return 0


#: name -> (help, add arguments, run), in the order ``--help`` lists them.
COMMANDS: dict[str, tuple[str, Callable, Callable]] = {
    "count": ("concept or term frequencies", _configure_count, _run_count),
    "words": ("open-vocabulary word frequencies (lexicon terms kept whole)", _configure_words, _run_words),
    "lexicon": ("the lexicon as a table: category, concept, term, en", _configure_lexicon, _run_lexicon),
    "cache": ("show (--info) or delete (--clear) the per-user segmentation cache", _configure_cache, _run_cache),
    "audit": ("every lexicon term's evidence: count, first year, jieba's split, nesting", _configure_audit, _run_audit),
    "kwic": ("keyword in context: every counted occurrence of a concept or term with its context", _configure_kwic, _run_kwic),
    "cooccur": ("concept pairs in the same sentence or paragraph, with PMI and Jaccard", _configure_cooccur, _run_cooccur),
    "keyness": ("concepts or words key for a target against a reference (log-likelihood, log ratio)", _configure_keyness, _run_keyness),
    "clauses": ("policy clauses: documents split by their own numbering, ids doc-chapter-clause", _configure_clauses, _run_clauses),
    "code": ("code clauses with a codebook (policy instruments); tables, cross-tabs, coding worksheets", _configure_code, _run_code),
    "agreement": ("agreement between coders of a coding worksheet (Cohen's kappa, Krippendorff's alpha)", _configure_agreement, _run_agreement),
    "reuse": ("text reuse: sentences of one document that recur, verbatim or reworded, in another", _configure_reuse, _run_reuse),
    "methods": ("the methods paragraph of a paper, written from a provenance file (--lang zh|en)", _configure_methods, _run_methods),
    "cite": ("how to cite the software, the lexicon version and the statistics", _configure_cite, _run_cite),
    "explore": ("write the concept explorer as one offline HTML file (trend, keyness, co-occurrence, KWIC)",
                _configure_explore, _run_explore),
    "discover": ("candidate formulations the lexicon lacks (cohesion, boundary entropy, emergence with --split)",
                 _configure_discover, _run_discover),
    "expand": ("words near a concept in word vectors trained on the texts (reproducible; candidates to read)",
               _configure_expand, _run_expand),
    "curate": ("add the accepted rows of a filled-in curation sheet to the lexicon, decisions recorded",
               _configure_curate, _run_curate),
    "report": ("run the notebooks and write self-contained HTML reports (reports/index.html)", _configure_report, _run_report),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description="Keyword and concept-frequency analysis of Chinese texts.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (help_text, configure, _) in COMMANDS.items():
        configure(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; return the exit status (0 ok, 1 internal error, 2 user error, 130 interrupted)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    previous = _stop_on_signals()
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _notice_printer(quiet=getattr(args, "quiet", False))
            warnings.simplefilter("always", InputNotice)
            check_outputs(args)
            return COMMANDS[args.command][2](args)
    except AnalysisError as exc:
        print(f"error: {one_line(with_flag(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `... | head`: the reader left; not an error of ours
        _silence_stdout()
        return 0
    except Terminated as exc:
        print(f"error: stopped by signal {exc.signum}; no output file was written", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print("error: interrupted; no output file was written", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: one line for the user, the traceback on request
        if os.environ.get("ANALYSIS_DEBUG"):
            raise
        message = one_line(" ".join(str(exc).split()) or "(no message)")
        print(f"error: internal error: {type(exc).__name__}: {message}; please report this with the command "
              "you ran (ANALYSIS_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1
    finally:
        _restore_signals(previous)


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C, so temporary files are removed on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop_on_signals() -> dict:
    """Turn SIGTERM and SIGHUP into :class:`Terminated` (in the main thread); return the handlers replaced."""
    previous: dict = {}
    if threading.current_thread() is not threading.main_thread():
        return previous

    def stop(signum, frame):
        raise Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, stop)
    return previous


def _restore_signals(previous: dict) -> None:
    for number, handler in previous.items():
        signal.signal(number, handler)


def _silence_stdout() -> None:
    """After a broken pipe, point standard output at the null device so Python's exit flush says nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def _notice_printer(*, quiet: bool):
    """A ``warnings.showwarning`` that prints the project's notices as ``notice: ...`` lines.

    Other libraries' warnings (openpyxl styles, pandas deprecations) say nothing
    a user can act on and are not shown.
    """
    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, InputNotice) and not quiet:
            note = message.args[0] if isinstance(message, Warning) and message.args else message
            print(f"notice: {one_line(with_flag(note))}", file=sys.stderr)

    return show
