"""Lexicons: the concept dictionary (YAML or CSV, validated) and its compiled matcher.

``from analysis import lexicon; lexicon.load()`` reads the bundled governance
lexicon; :class:`Matcher` compiles one for searching. See
:mod:`analysis.lexicon.dictionary` for the file formats and
:mod:`analysis.lexicon.matcher` for the matching rules.
"""

from analysis.lexicon.codebook import Codebook
from analysis.lexicon.dictionary import COLUMNS, Lexicon, from_terms, load, validate
from analysis.lexicon.matcher import Matcher, Occurrences, add_counts, inside_longer

__all__ = ["COLUMNS", "Codebook", "Lexicon", "Matcher", "Occurrences", "add_counts", "from_terms", "inside_longer",
           "load", "validate"]
