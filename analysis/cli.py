"""Command-line interface: ``python -m analysis COMMAND ...``, a thin layer over the package.

Every command writes a CSV table to standard output (UTF-8) or to ``-o FILE``
(``.csv`` with a BOM for Excel, or ``.xlsx``). Notices (duplicates removed,
documents skipped) go to standard error. Any user mistake ends with one line
``error: ...`` on standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from analysis import __version__
from analysis.errors import AnalysisError

class _Parser(argparse.ArgumentParser):
    """argparse, but usage mistakes are one ``error:`` line and exit status 2."""

    def error(self, message: str):  # noqa: D102 - argparse hook
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def add_input_arguments(parser: argparse.ArgumentParser, *, paths: bool = True) -> None:
    """The options shared by every command that reads texts."""
    if paths:
        parser.add_argument("paths", nargs="+", metavar="PATH",
                            help=".txt file, folder of .txt files, or .csv/.xlsx table (one document per row)")
    parser.add_argument("--lexicon", metavar="FILE", help="lexicon (.yaml or .csv); default: the bundled governance lexicon")
    parser.add_argument("--text-column", default="text", metavar="NAME", help="text column of .csv/.xlsx inputs (default: text)")
    parser.add_argument("--keep-duplicates", action="store_true", help="keep exact duplicate paragraphs")
    parser.add_argument("--keep-spaces", action="store_true", help="keep whitespace between Chinese characters")
    parser.add_argument("--simplified", action="store_true", help="convert Traditional to Simplified characters before matching")
    parser.add_argument("-q", "--quiet", action="store_true", help="print no notices")


def add_output_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (.csv or .xlsx) instead of standard output")


def load_inputs(args: argparse.Namespace):
    """Build the corpus and lexicon an invocation asks for, printing the corpus's notices."""
    from analysis import corpus, lexicon

    lex = lexicon.load(args.lexicon)
    corp = corpus.build(args.paths, text_column=args.text_column, keep_duplicates=args.keep_duplicates,
                        join_han_spaces=not args.keep_spaces, simplified=args.simplified)
    if not args.quiet:
        for note in corp.notices():
            print(f"notice: {note}", file=sys.stderr)
    return corp, lex


def emit(table, args: argparse.Namespace) -> int:
    """Write a result table where the invocation asks; return exit status 0."""
    from analysis.output import write_table

    write_table(table, args.output)
    return 0


def _configure_count(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--level", choices=["concept", "term"], default="concept", help="count concepts or terms (default: concept)")
    parser.add_argument("--by", default="corpus", metavar="corpus|doc|COLUMN",
                        help="one table for everything (corpus, default), per document (doc), or per metadata column (e.g. year)")
    add_output_argument(parser)


def _run_count(args: argparse.Namespace) -> int:
    from analysis import count, match

    corp, lex = load_inputs(args)
    count.group_of(corp, args.by)  # reject a bad --by before matching
    hits = match.find(corp.paragraphs, lex)
    table = (count.concepts if args.level == "concept" else count.terms)(hits, corp, lex, by=args.by)
    return emit(table, args)



def _configure_words(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--top", type=int, default=None, metavar="N", help="keep the N most frequent words (per group)")
    parser.add_argument("--by", default="corpus", metavar="corpus|doc|COLUMN", help="as for count")
    parser.add_argument("--stopwords", metavar="FILE", help="extra stopwords, one per line")
    parser.add_argument("--no-default-stopwords", action="store_true", help="do not remove the stopwords-iso Chinese list")
    add_output_argument(parser)


def _run_words(args: argparse.Namespace) -> int:
    from analysis import words
    from analysis.segment import Segmenter

    if args.top is not None and args.top < 1:
        raise AnalysisError(f"--top must be at least 1, not {args.top}")
    corp, lex = load_inputs(args)
    extra = words.read_stopwords(args.stopwords) if args.stopwords else frozenset()
    stop = words.stopword_set(extra, use_default=not args.no_default_stopwords)
    table = words.frequencies(corp, Segmenter(lex), stopwords=stop, by=args.by, top=args.top)
    return emit(table, args)



def _configure_lexicon(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lexicon", metavar="FILE", help="lexicon (.yaml or .csv); default: the bundled governance lexicon")
    add_output_argument(parser)


def _run_lexicon(args: argparse.Namespace) -> int:
    from analysis import lexicon

    lex = lexicon.load(args.lexicon)
    print(f"notice: {lex.citation()}: {lex.table.concept.nunique()} concepts, "
          f"{lex.table.category.nunique()} categories, {len(lex.table)} terms", file=sys.stderr)
    return emit(lex.table[["category", "concept", "term", "en", "source"]], args)



def _configure_audit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="texts to audit against (default: the bundled corpora and the sample essay)")
    add_input_arguments(parser, paths=False)
    add_output_argument(parser)


def _run_audit(args: argparse.Namespace) -> int:
    from analysis.audit import audit
    from analysis.config import CORPORA_DIR, SAMPLE_ESSAY

    if not args.paths:
        args.paths = [CORPORA_DIR / "gov-work-reports", CORPORA_DIR / "cpc-congress-reports", SAMPLE_ESSAY]
    corp, lex = load_inputs(args)
    table = audit(corp, lex)
    if not args.quiet:
        unseen = table[table["count"] == 0]
        print(f"notice: {len(unseen)} of {len(table)} terms do not occur in the given texts "
              f"({int(unseen.unattested.sum())} of them marked unattested in the lexicon)", file=sys.stderr)
    return emit(table, args)


#: name -> (help, add arguments, run), in the order ``--help`` lists them.
COMMANDS: dict[str, tuple[str, Callable, Callable]] = {
    "count": ("concept or term frequencies", _configure_count, _run_count),
    "words": ("open-vocabulary word frequencies (lexicon terms kept whole)", _configure_words, _run_words),
    "lexicon": ("the lexicon as a table: category, concept, term, en", _configure_lexicon, _run_lexicon),
    "audit": ("every lexicon term's evidence: count, first year, jieba's split, nesting", _configure_audit, _run_audit),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description="Keyword and concept-frequency analysis of Chinese texts.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (help_text, configure, _) in COMMANDS.items():
        configure(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; return the exit status (0 ok, 2 user error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return COMMANDS[args.command][2](args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `... | head`: the reader left; not an error of ours
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("error: interrupted; no output file was written", file=sys.stderr)
        return 130
