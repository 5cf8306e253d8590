"""Presenting results: labels, styled tables, charts, fonts, HTML reports, provenance and output files.

Nothing in this layer computes a number; it shows what :mod:`analysis.measure` computed.
"""
