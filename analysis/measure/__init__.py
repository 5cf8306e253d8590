"""Measures on a corpus: matches and counts, words, context, comparison, trends and dispersion.

Every count is built from the matches of :mod:`analysis.measure.match` under the
rules of :mod:`analysis.lexicon.matcher`, so tables, keyword in context and
co-occurrence agree.
"""
