"""Texts: reading files, folders and tables (encoding detection), cleaning them into paragraphs, the corpus.

Modules: :mod:`~analysis.text.encoding` (bytes to text), :mod:`~analysis.text.clean`
(the cleaning steps and sections), :mod:`~analysis.text.han_spaces` (the
vectorised whitespace step), :mod:`~analysis.text.corpus` (loading and the
:class:`~analysis.text.corpus.Corpus`); the document readers
:mod:`~analysis.text.pdf`, :mod:`~analysis.text.word` (.docx) and
:mod:`~analysis.text.webpage` (.html), each a path in and an
:class:`~analysis.text.extracted.Extracted` out. This layer knows nothing of lexicons.
"""
