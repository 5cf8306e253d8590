"""Character classes that decide counts, defined once.

Every rule that depends on what a character is (Han or not, whitespace, a
line break) reads its class from here: cleaning, the Chinese-text notice, the
word filter and the vectorised whitespace step.

Examples
--------
>>> import re
>>> bool(re.search(f"[{HAN}]", "社区")), bool(re.search(f"[{HAN}]", "abc"))
(True, False)
"""

from __future__ import annotations

import re

#: Han characters: CJK Unified Ideographs, Extension A, and the compatibility ideographs (a regex class body).
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: One Han character.
HAN_CHAR = re.compile(f"[{HAN}]")
#: A run of whitespace inside a line that cleaning removes between two Han characters:
#: space, tab, NBSP, U+2000-U+200B (en quad ... zero-width space), U+202F, U+205F, U+3000.
SPACE_RUN = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+"
#: Characters that end a line besides ``\n`` (``\r\n`` counts as one break):
#: CR, VT, FF, the separators U+001C-U+001E, NEL (U+0085), LS (U+2028), PS (U+2029).
LINE_BREAK_CHARS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: Any line break other than ``\n``.
LINE_BREAK = re.compile(f"\r\n|[{LINE_BREAK_CHARS}]")
#: A character that makes a token a word: a Han character or a Latin letter.
WORD_CONTENT = re.compile(f"[{HAN}A-Za-z]")
