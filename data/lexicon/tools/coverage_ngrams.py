"""Frequent formulations of a corpus that the lexicon does not cover yet: candidates for new concepts.

Counts the character n-grams (default 4-8 Han characters) of the cleaned paragraphs, then drops

- n-grams with a character outside the Han block (digits, Latin, punctuation split runs apart anyway),
- n-grams that begin or end with a function character (的, 和, 是, ... see ``EDGE``), which are rarely whole
  formulations,
- fragments: an n-gram that has a one-character-longer n-gram with the same count (it never occurs without that
  longer form, so the longer one is the candidate),
- n-grams covered by the lexicon: containing a lexicon term or contained in one,

and lists the rest with their count, number of documents, first and last year. The output is a reading list, not
a lexicon: every candidate is checked in context (see README.md, "Checking a term") before it becomes a term.

Run from the project folder (only the public ``analysis`` API and pandas are used)::

    python data/lexicon/tools/coverage_ngrams.py                       # bundled corpora, top 300
    python data/lexicon/tools/coverage_ngrams.py --top 1000 --out /tmp/candidates.csv
    python data/lexicon/tools/coverage_ngrams.py data/corpora/gov-work-reports --since 2000 --min-docs 3
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

PROJECT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(PROJECT))

from analysis import corpus, lexicon  # noqa: E402  (the project folder is put on the path above)

HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
EDGE = set("的了和与及是在把对为以等并而之也都就要将使从由向被于其这那我你他它们个中上下地得着过")
COLUMNS = ["ngram", "n", "count", "docs", "first_year", "last_year"]


def ngram_counts(texts, lengths: range) -> Counter:
    """Occurrences of every all-Han n-gram of the given lengths (overlapping occurrences count)."""
    counts: Counter = Counter()
    for text in texts:
        for run in HAN_RUN.findall(text):
            for n in lengths:
                counts.update(run[i:i + n] for i in range(len(run) - n + 1))
    return counts


def candidates(corp, lex, *, lengths: range = range(4, 9), min_count: int = 10, min_docs: int = 3,
               since: int | None = None) -> pd.DataFrame:
    """The frequent n-grams of ``corp`` not covered by ``lex``, most frequent first (columns ``COLUMNS``)."""
    paras = corp.paragraphs
    year = pd.to_numeric(corp.docs.set_index("doc")["year"], errors="coerce") if "year" in corp.docs else None
    if since is not None and year is not None:
        paras = paras[paras.doc.map(year).ge(since)]
    wide = range(lengths.start, lengths.stop + 1)  # one longer, to recognise fragments of the longest
    counts = ngram_counts(paras.text, wide)
    frequent = {g: c for g, c in counts.items() if c >= min_count}
    fragment = set()
    for gram, c in frequent.items():
        if len(gram) > lengths.start:
            for part in (gram[:-1], gram[1:]):
                if frequent.get(part) == c:
                    fragment.add(part)
    terms = lex.terms
    kept = {g: c for g, c in frequent.items()
            if len(g) in lengths and g not in fragment and g[0] not in EDGE and g[-1] not in EDGE
            and not any(t in g or g in t for t in terms)}
    docs: dict[str, set] = {g: set() for g in kept}
    for doc, text in zip(paras.doc, paras.text):
        for gram in kept:
            if gram in text:
                docs[gram].add(doc)
    rows = []
    for gram, c in kept.items():
        found = sorted(docs[gram])
        years = year.reindex(found).dropna() if year is not None else pd.Series(dtype=float)
        rows.append({"ngram": gram, "n": len(gram), "count": c, "docs": len(found),
                     "first_year": int(years.min()) if len(years) else pd.NA,
                     "last_year": int(years.max()) if len(years) else pd.NA})
    table = pd.DataFrame(rows, columns=COLUMNS).astype({"first_year": "Int64", "last_year": "Int64"})
    table = table[table.docs >= min_docs]
    return table.sort_values(["count", "ngram"], ascending=[False, True]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="corpus folders or files (default: the two bundled corpora)")
    parser.add_argument("--lexicon", help="lexicon file (default: the bundled governance lexicon)")
    parser.add_argument("--min-n", type=int, default=4)
    parser.add_argument("--max-n", type=int, default=8)
    parser.add_argument("--min-count", type=int, default=10, help="occurrences in all texts (default 10)")
    parser.add_argument("--min-docs", type=int, default=3, help="documents with the n-gram (default 3)")
    parser.add_argument("--since", type=int, help="only texts of this year or later")
    parser.add_argument("--top", type=int, default=300, help="rows to print (default 300)")
    parser.add_argument("--out", help="also write the whole table as UTF-8 CSV to this file")
    args = parser.parse_args(argv)
    paths = args.paths or [PROJECT / "data" / "corpora" / "gov-work-reports",
                           PROJECT / "data" / "corpora" / "cpc-congress-reports"]
    corp = corpus.build(paths)
    lex = lexicon.load(args.lexicon)
    table = candidates(corp, lex, lengths=range(args.min_n, args.max_n + 1), min_count=args.min_count,
                       min_docs=args.min_docs, since=args.since)
    if args.out:
        table.to_csv(args.out, index=False, encoding="utf-8")
    print(f"{len(table)} candidate n-grams ({args.min_n}-{args.max_n} characters, count >= {args.min_count}, "
          f"docs >= {args.min_docs}) not covered by {lex.citation()}", file=sys.stderr)
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(table.head(args.top).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
