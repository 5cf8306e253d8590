"""Keyword and concept-frequency analysis of Chinese policy and academic texts.

The package is a pipeline of small steps, each taking a table and returning a
new one (nothing mutates its input, touches global state or writes files)::

    from analysis import corpus, lexicon, match, count

    corp = corpus.build(["data/sample"])            # load + clean, with a report
    lex = lexicon.load()                             # bundled governance lexicon
    hits = match.find(corp.paragraphs, lex)          # every occurrence of every term
    count.concepts(hits, corp, lex, by="doc")        # doc, concept, category, count, ...

Fixed column names
------------------
Every function, test, notebook and CLI command uses these names.

documents (``Corpus.docs``)
    ``doc`` (id: file-name stem, or row id for tables), ``path``, ``encoding``,
    then metadata columns (e.g. ``year``, ``title``) from ``MANIFEST.csv`` or
    from the other columns of a CSV/XLSX table.
paragraphs (``Corpus.paragraphs``)
    ``doc``, ``section`` (0 before the first heading, then 1, 2, ...),
    ``section_title`` (the heading line, ``""`` for section 0), ``para``
    (1-based position of the paragraph in the cleaned document), ``line``
    (1-based line in the source text), [``page``: the page the paragraph
    starts on, when the corpus has PDF documents; empty for others], ``text``.
sentences (``segment.sentences``)
    ``doc``, ``para``, ``sent`` (1-based within the paragraph), ``start``,
    ``end`` (character offsets in the paragraph), ``text``.
hits (``match.find``)
    ``doc``, ``section``, ``para``, [``page``, as in paragraphs], ``start``, ``end`` (character offsets in
    the paragraph text, end exclusive), ``term``, ``concept``, ``category``,
    ``standalone`` (not inside an occurrence of a longer lexicon term),
    ``concept_hit`` (not inside a longer occurrence of the same concept; the
    rows that count for the concept).
concept counts (``count.concepts``)
    [group column], ``concept``, ``category``, ``count``, ``nested``
    (occurrences inside another, longer concept), ``chars``, ``per_10k``,
    ``docs``, ``terms`` (the concept's terms, ``/``-joined).
concept nesting (``match.nesting``)
    ``concept``, ``inside``, ``count``, ``concept_count``, ``share``.
term counts (``count.terms``)
    [group column], ``term``, ``concept``, ``category``, ``count``,
    ``standalone``, ``chars``, ``per_10k``, ``docs``.
word frequencies (``words.frequencies``)
    [group column], ``word``, ``count``, ``docs``.
lexicon table (``Lexicon.table``)
    ``category``, ``concept``, ``term``, ``en``, ``source``.
keyword in context (``kwic.lines``)
    ``doc``, ``section``, ``section_title``, ``para``, [``page``, as in
    paragraphs], ``start``, ``end``
    (offsets of the keyword in the paragraph), ``left``, ``keyword``,
    ``right``, ``concept``, then the document's metadata columns.
co-occurrence (``cooccur.pairs``)
    ``concept_a``, ``concept_b`` (lexicon order), ``count`` (units with
    both), ``count_a``, ``count_b`` (units with each), ``units`` (all
    units), ``pmi``, ``npmi``, ``jaccard``.
keyness (``keyness.compare``, ``keyness.concepts``, ``keyness.words``)
    ``item``, ``target_count``, ``reference_count``, ``target_total``,
    ``reference_total``, ``g2``, ``p``, ``log_ratio``, ``key_for``
    (``target``, ``reference`` or ``neither``).
trends (``trends.rates``; ``trends.first_last``)
    [group column], ``concept``, ``category``, ``count``, ``chars``,
    ``per_10k``, ``docs``, ``group_docs``; and ``concept``, ``category``,
    ``first``, ``last``, ``groups_present``, ``groups``, ``count``.
dispersion (``dispersion.concepts``)
    ``doc``, ``concept``, ``count``, ``parts``, ``dp``, ``dp_norm``,
    ``juilland_d``.
distinctive words (``distinctive.words_by_doc``)
    ``doc``, ``word``, ``count``, ``docs``, ``tfidf``, ``rank``.
clauses (``clauses.split``)
    ``id`` (``doc-chapter-clause``), ``doc``, ``chapter``, ``clause``,
    ``label`` (the numbering as written), ``chapter_title``, ``para``, ``text``.
codebook (``Codebook.table``)
    ``dimension``, ``type``, ``code``, ``term``, ``en``, ``source``.
codes (``coding.auto``, ``coding.final``)
    ``id``, ``doc``, ``dimension``, ``type``, ``code``, ``terms`` (the
    indicators found), ``coder`` (``auto`` or the human coder).
code profile (``coding.profile``)
    [group column], ``dimension``, ``type``, [``code``], ``clauses`` (coded
    with it), ``share`` (of all codings in the group), ``group_clauses``, ``coded_clauses``.
cross-tab (``coding.crosstab``)
    <row dimension>, <column dimension>, ``clauses`` (with both), ``row_share``, ``column_share``.
agreement (``agreement.table``)
    ``dimension``, ``code``, ``coder_a``, ``coder_b``, ``units``,
    ``agreement``, ``kappa``, ``alpha``.
text reuse (``reuse.find``; ``reuse.shares``)
    ``doc_a``, ``para_a``, ``start_a``, ``end_a``, ``text_a``, ``doc_b``,
    ``para_b``, ``start_b``, ``end_b``, ``text_b``, ``similarity``,
    ``kind``, ``marked``; and ``doc_a``, ``doc_b``, ``passages``,
    ``verbatim``, ``chars_b``, ``reused_chars``, ``share``.

When a table is grouped, the group column (``doc`` or a metadata column such
as ``year``) comes first.

Layers
------
The folders are layers; a module imports only from its own layer or those
below it (``tests/test_layers.py`` checks this)::

    cli.py                     the command line: flags -> Settings -> the functions below
    present/                   tables, labels, charts, fonts, HTML reports, provenance, output files
    measure/                   match, count, words, kwic, cooccur, keyness, trends, ...
    lexicon/                   the concept dictionary and its compiled matcher
    text/                      encoding, cleaning, the corpus
    engine/                    where work runs: this process, worker processes, Dask; the cache
    config.py chars.py errors.py   paths and settings, character classes, exceptions

The modules users and notebooks name are importable from the package itself,
e.g. ``from analysis import corpus, count, plot``.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Public module name -> where it lives.
_MODULES = {
    "config": "analysis.config",
    "chars": "analysis.chars",
    "errors": "analysis.errors",
    "engine": "analysis.engine",
    "cache": "analysis.engine.cache",
    "encoding": "analysis.text.encoding",
    "clean": "analysis.text.clean",
    "corpus": "analysis.text.corpus",
    "lexicon": "analysis.lexicon",
    "codebook": "analysis.lexicon.codebook",
    "match": "analysis.measure.match",
    "count": "analysis.measure.count",
    "groups": "analysis.measure.groups",
    "segment": "analysis.measure.segment",
    "words": "analysis.measure.words",
    "kwic": "analysis.measure.kwic",
    "cooccur": "analysis.measure.cooccur",
    "keyness": "analysis.measure.keyness",
    "trends": "analysis.measure.trends",
    "sections": "analysis.measure.sections",
    "dispersion": "analysis.measure.dispersion",
    "distinctive": "analysis.measure.distinctive",
    "audit": "analysis.measure.audit",
    "clauses": "analysis.measure.clauses",
    "coding": "analysis.measure.coding",
    "agreement": "analysis.measure.agreement",
    "reuse": "analysis.measure.reuse",
    "discover": "analysis.measure.discover",
    "expand": "analysis.measure.expand",
    "curation": "analysis.lexicon.curation",
    "labels": "analysis.present.labels",
    "page": "analysis.present.page",
    "tables": "analysis.present.tables",
    "summaries": "analysis.present.summaries",
    "charts": "analysis.present.charts",
    "plot": "analysis.present.charts",
    "context_charts": "analysis.present.context_charts",
    "policy_charts": "analysis.present.policy_charts",
    "policy_summaries": "analysis.present.policy_summaries",
    "plot_context": "analysis.present.context_charts",
    "fonts": "analysis.present.fonts",
    "safe_html": "analysis.present.safe_html",
    "provenance": "analysis.present.provenance",
    "methods": "analysis.present.methods",
    "paper_tables": "analysis.present.paper_tables",
    "citation": "analysis.present.citation",
    "report_provenance": "analysis.present.report_provenance",
    "output": "analysis.present.output",
    "report": "analysis.present.report",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str):
    """``from analysis import corpus`` imports :mod:`analysis.text.corpus` on first use (PEP 562)."""
    if name in _MODULES:
        module = importlib.import_module(_MODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'analysis' has no attribute '{name}'")
