"""Reading saved web pages (``.html``, ``.htm``): the main text only, with trafilatura.

- **Encoding**: a byte-order mark first; else the page's own declaration
  (``<meta charset="gbk">`` or ``<meta http-equiv="Content-Type"
  content="text/html; charset=gb2312">`` in its first 4096 bytes; GB2312 and
  GBK are read as their superset GB18030, as browsers do); else detected as
  for text files (:func:`analysis.text.encoding.decode`). A declaration the
  bytes do not follow is named in a notice and the detected encoding used.
- **Main text**: trafilatura (Apache-2.0) keeps the article and drops
  navigation, footers and comment sections; tables in the article are kept.
  One line per paragraph.
- **Title**: the page's title (trafilatura's reading of ``<title>``, ``og:title``
  or the main heading) becomes the ``title`` metadata of the document, unless
  a ``MANIFEST.csv`` gives one.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from analysis.errors import InputError
from analysis.text.encoding import decode
from analysis.text.extracted import Extracted, file_bytes, library, split_lines

_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
#: How far into the file a declaration is looked for.
DECLARATION_BYTES = 4096
#: Declared encodings read as a superset, as browsers do.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030"}
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page declares in a ``<meta>`` tag near its start (a Python codec name), or None.

    Examples
    --------
    >>> declared_encoding(b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    'gb18030'
    >>> declared_encoding(b'<meta charset="UTF-8">'), declared_encoding(b"<p>no declaration</p>")
    ('utf-8', None)
    """
    found = _DECLARED.search(data[:DECLARATION_BYTES])
    if found is None:
        return None
    name = found.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(_SUPERSET.get(name, name)).name
    except LookupError:
        return None
    return _SUPERSET.get(codec, codec)


def read(path: str | Path) -> Extracted:
    """The main text and title of a saved web page.

    Parameters
    ----------
    path : str or Path
        A ``.html`` or ``.htm`` file; only read.

    Returns
    -------
    Extracted
        ``meta`` holds ``title`` when the page has one; ``source`` names the
        encoding and trafilatura's version.

    Raises
    ------
    InputError
        When the file cannot be decoded or holds no main text.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "意见.html"
    >>> _ = page.write_bytes('<html><head><meta charset="gbk"><title>关于加强基层治理的意见</title></head><body>'
    ...     '<article><p>各地要坚持党建引领，推进基层协商民主，不断提升治理效能。</p></article></body></html>'.encode("gbk"))
    >>> extracted = read(page)
    >>> extracted.text, extracted.meta, extracted.source.split(" (")[0]
    ('各地要坚持党建引领，推进基层协商民主，不断提升治理效能。', {'title': '关于加强基层治理的意见'}, 'html gb18030')
    """
    import trafilatura

    path = Path(path)
    data = file_bytes(path)
    declared = None if data.startswith(_BOMS) else declared_encoding(data)
    notes = []
    page = None
    if declared is not None:
        try:
            page, encoding = data.decode(declared), declared
        except UnicodeDecodeError as exc:
            page = None
            note = f"declares the encoding {declared} but byte {exc.start} is not {declared}"
    if page is None:
        page, encoding = decode(data, source=path)
        if declared is not None:
            notes.append(f"{note}; read as {encoding}, detected from the bytes")
    result = trafilatura.bare_extraction(page, include_comments=False, include_tables=True, with_metadata=True)
    lines = split_lines(result.text or "") if result is not None else []
    if not lines:
        raise InputError(f"{path}: no main text found in this web page (it may be a frame, a script-built page "
                         "or a list of links); open it in a browser and save the article's text as .txt")
    meta = {"title": result.title} if result.title else {}
    return Extracted(text="\n".join(lines), source=f"html {encoding} ({library('trafilatura')})", meta=meta,
                     notes=tuple(notes))
