"""Putting unvetted text into HTML safely: document text, terms and metadata as text, never markup.

Reports are HTML pages that colleagues open in their browsers, built from texts
nobody vetted: a scraped page may contain ``<script>``, a metadata column may be
called ``<img src=x onerror=...>``. pandas' ``DataFrame.to_html`` escapes by
default, but a ``Styler`` does **not** (``Styler.to_html`` puts cell values,
column names, index labels and captions into the page as they are). Use:

- :func:`escape` for any single string put into HTML (titles, captions,
  keyword-in-context lines, provenance values, chart labels in SVG/HTML);
- :func:`safe_styler` on every table before styling it for a report: it
  escapes every text cell, the column names and the index labels;
- :func:`table_html` for a plain (unstyled) table.

Numbers are left to their formatters; only text is escaped.
"""

from __future__ import annotations

import html

import pandas as pd
from pandas.io.formats.style import Styler


def escape(text: object) -> str:
    """The text with ``& < > " '`` replaced by HTML entities (``None`` becomes ``""``).

    Examples
    --------
    >>> escape("党建引领<script>alert(1)</script>")
    '党建引领&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> escape('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return "" if text is None else html.escape(str(text), quote=True)


def text_columns(frame: pd.DataFrame) -> list:
    """The columns holding text (object, string or categorical dtype), whose values need escaping."""
    return [c for c in frame.columns
            if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
            or isinstance(frame[c].dtype, pd.CategoricalDtype)]


def safe_styler(data: pd.DataFrame | Styler, *, precision: int | None = None) -> Styler:
    """A ``Styler`` whose text cells, column names and index labels are HTML-escaped.

    Parameters
    ----------
    data : DataFrame or Styler
        The table (or a Styler already carrying colours and number formats).
    precision : int, optional
        Decimal places for float columns (default: pandas' own).

    Returns
    -------
    Styler
        Add colours, bars and gradients as usual. If you call
        ``.format(...)`` on a text column afterwards, pass ``escape="html"``
        there too (a later ``format`` replaces the escaping formatter); put
        captions through :func:`escape`.

    Examples
    --------
    >>> frame = pd.DataFrame({"concept": ["协商民主<script>alert(1)</script>"], "count": [3]})
    >>> page = safe_styler(frame).to_html()
    >>> "<script>" in page, "协商民主&lt;script&gt;alert(1)&lt;/script&gt;" in page
    (False, True)
    """
    styler = data if isinstance(data, Styler) else data.style
    frame = styler.data
    if precision is not None:
        floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
        if floats:
            styler = styler.format(precision=precision, subset=floats)
    text = text_columns(frame)
    if text:
        styler = styler.format(escape="html", subset=text)
    return styler.format_index(escape="html", axis=0).format_index(escape="html", axis=1)


def table_html(frame: pd.DataFrame, **kwargs) -> str:
    """A plain HTML table with every value, column name and index label escaped.

    ``kwargs`` go to :meth:`DataFrame.to_html` (``escape`` is always ``True``).

    Examples
    --------
    >>> "&lt;b&gt;" in table_html(pd.DataFrame({"<b>": ["社区治理"]}))
    True
    """
    kwargs["escape"] = True
    return frame.to_html(**kwargs)
