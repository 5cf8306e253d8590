"""Decoding text files whose encoding nobody wrote down.

Detection, in order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without
one, recognised by its NUL bytes at every other offset (see :func:`_utf16_without_bom`);
strict UTF-8; then GB18030 (a superset of GBK and GB2312), or Big5 where the bytes are not
valid GB18030 or their GB18030 reading is clearly not Chinese text (see
:func:`_legacy_candidates`). Every candidate is decoded strictly, so a wrong
guess fails loudly instead of producing mojibake.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import DecodeError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Encodings tried, strictly, when the bytes are not UTF-8 and carry no BOM.
LEGACY_CHINESE = ("gb18030", "big5")


def decode(data: bytes, *, source: str | Path) -> tuple[str, str]:
    """Decode the bytes of a text file, detecting its encoding.

    Parameters
    ----------
    data : bytes
        The file's raw bytes.
    source : str or Path
        Where the bytes came from; named in error messages.

    Returns
    -------
    text : str
        The decoded text (without byte-order mark).
    encoding : str
        The encoding used: ``utf-8``, ``utf-8-sig``, ``utf-16``, ``utf-32``,
        ``utf-16-le`` or ``utf-16-be`` (no byte-order mark), ``gb18030`` or ``big5``.

    Raises
    ------
    DecodeError
        If the file is binary or no supported encoding decodes it; the message
        names the file and the byte offset of the first bad byte.

    Examples
    --------
    >>> decode("协商民主".encode("gb18030"), source="a.txt")
    ('协商民主', 'gb18030')
    >>> decode("\\ufeff协商民主".encode("utf-8"), source="a.txt")
    ('协商民主', 'utf-8-sig')
    >>> decode("社区治理 and ascii".encode("utf-16-le"), source="a.txt")
    ('社区治理 and ascii', 'utf-16-le')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"{source}: starts with a {encoding.upper()} byte-order mark but byte "
                    f"{exc.start} is not valid {encoding.upper()}; re-save the file as UTF-8"
                ) from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            text, bad_at = data.decode(utf16), None
        except UnicodeDecodeError as exc:
            text, bad_at = data.decode(utf16, errors="replace").replace("\ufffd", ""), exc.start
        if text and _mostly_text(text):  # else binary: NULs at every other byte, but no text
            if bad_at is None:
                return text, utf16
            raise DecodeError(
                f"{source}: looks like UTF-16 without a byte-order mark; re-save it as UTF-8 "
                f"(byte {bad_at} is not valid {utf16.upper()})"
            )
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise DecodeError(
            f"{source}: looks like a binary file (NUL byte at offset {offset}), not text; "
            "give a .txt file (or a Word, PDF or web page under its own name: .docx, .pdf, .html)"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _mostly_utf8(data, utf8_error.start):
        raise DecodeError(
            f"{source}: invalid UTF-8 at byte offset {utf8_error.start} in otherwise UTF-8 text; "
            "the file is damaged or mixes encodings; re-save it as UTF-8"
        )
    for encoding in _legacy_candidates(data):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DecodeError(
        f"{source}: cannot be decoded as UTF-8, GB18030/GBK or Big5 "
        f"(first bad byte at offset {utf8_error.start}); re-save the file as UTF-8"
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the bytes look like UTF-16 without a byte-order mark, else None.

    Text with some ASCII (digits, Latin letters, line breaks) in UTF-16 has a
    NUL byte in every ASCII character, always at the same parity: odd offsets
    for little-endian, even for big-endian. So: more than 30 % of the bytes at
    one parity are NUL and at most 10 % at the other (Chinese characters such
    as 一, U+4E00, give a few there). Binary files have NULs at both, or decode
    to control characters (checked by the caller). Only the first 64 KB are judged.

    Examples
    --------
    >>> _utf16_without_bom("社区治理 and ascii".encode("utf-16-be")), _utf16_without_bom("社区治理".encode())
    ('utf-16-be', None)
    """
    head = data[:65536]
    even, odd = head[0::2], head[1::2]
    if not odd:
        return None
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd > 0.3 and nul_even <= 0.1:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd <= 0.1:
        return "utf-16-be"
    return None


def _mostly_text(text: str) -> bool:
    """True when at most 1 % of the characters are control, unassigned or private-use code points (judged on the first 64 K)."""
    text = text[:65536]
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cn", "Co") and ch not in "\t\n\r\f\v")
    return odd <= 0.01 * len(text)


def _mostly_utf8(data: bytes, bad_at: int) -> bool:
    """True when the bytes before the first UTF-8 error hold real UTF-8 Chinese text.

    Then the file is UTF-8 with a damaged byte rather than a legacy encoding,
    and trying GB18030 would only turn the damage into mojibake. (GBK bytes can
    pass as a few accidental two-byte UTF-8 characters, never as a run of
    three-byte CJK ones.)
    """
    head = data[:bad_at].decode("utf-8", errors="ignore")
    wide = [ch for ch in head if ord(ch) > 0x7F]
    cjk = sum(1 for ch in wide if 0x3000 <= ord(ch) <= 0x9FFF or 0xFF00 <= ord(ch) <= 0xFFEF)
    return cjk >= 2 and cjk >= 0.9 * len(wide)


def _legacy_candidates(data: bytes) -> tuple[str, ...]:
    """GB18030 and Big5 in the order to try: GB18030 first unless its reading is clearly not Chinese text.

    The users are mainland scholars, so GB18030/GBK wins whenever its reading
    is plausible: at least 90 % of its non-ASCII characters are common
    Simplified characters (in GB2312). Otherwise Big5 is tried first when its
    reading is more plausible (more of its non-ASCII characters are Han
    characters or CJK punctuation; Big5 bytes read as GBK give private-use
    code points and symbols). Only the first 64 KB are judged.

    Examples
    --------
    >>> _legacy_candidates("社区治理".encode("gbk")), _legacy_candidates("協商民主".encode("big5"))
    (('gb18030', 'big5'), ('big5', 'gb18030'))
    """
    head = data[:65536]
    gb = _reading(head, "gb18030")
    if gb is None or _share(gb, _common_simplified) >= 0.9:
        return LEGACY_CHINESE
    big5 = _reading(head, "big5")
    if big5 is not None and _share(big5, _chinese) > _share(gb, _chinese):
        return ("big5", "gb18030")
    return LEGACY_CHINESE


def _reading(data: bytes, encoding: str) -> str | None:
    # a cut at 64 KB may split a character: ignore only a broken last character
    text = data.decode(encoding, errors="replace")
    return None if "\ufffd" in text[:-1] else text


def _share(text: str, test) -> float:
    wide = [ch for ch in text if ord(ch) > 0x7F]
    return sum(map(test, wide)) / len(wide) if wide else 1.0


def _chinese(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _common_simplified(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


#: Bytes of a file judged to choose the encoding of a file read in pieces (cut at a line break).
SAMPLE_BYTES = 1 << 20


def decode_pieces(path: str | Path, *, piece_bytes: int, digest=None) -> tuple[str, Iterator[str]]:
    """A big text file's encoding and its decoded text in pieces that end with a line break (the last may not).

    The encoding is detected as by :func:`decode` on the first
    :data:`SAMPLE_BYTES` (up to a line break), then the whole file is decoded
    strictly with it, ``piece_bytes`` at a time; a byte the encoding cannot
    decode further on raises :class:`DecodeError` naming its offset.
    ``digest`` (a ``hashlib`` object), if given, is fed every byte read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = path.write_bytes("社区治理\\n协商民主\\n党建".encode("gb18030"))
    >>> encoding, pieces = decode_pieces(path, piece_bytes=5)
    >>> encoding, list(pieces)
    ('gb18030', ['社区治理\\n', '协商民主\\n', '党建'])
    """
    path = Path(path)
    with open(path, "rb") as f:
        sample = f.read(SAMPLE_BYTES)
    cut = sample.rfind(b"\n") + 1 if len(sample) == SAMPLE_BYTES else len(sample)
    _, encoding = decode(sample[:cut] or sample, source=path)
    return encoding, _pieces(path, encoding, piece_bytes, digest)


def _pieces(path: Path, encoding: str, piece_bytes: int, digest) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    carried, offset, first = "", 0, True
    with open(path, "rb") as f:
        while True:
            data = f.read(piece_bytes)
            final = not data
            if digest is not None and data:
                digest.update(data)
            try:
                text = decoder.decode(data, final=final)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{path}: byte {offset + exc.start} is not valid {encoding.upper()} although the "
                                  "file starts as such; the file is damaged or mixes encodings; re-save it as UTF-8") from None
            offset += len(data)
            if first and text:
                text, first = text.lstrip("\ufeff") if encoding in ("utf-8-sig", "utf-16", "utf-32") else text, False
            text = carried + text
            if final:
                if text:
                    yield text
                return
            end = text.rfind("\n") + 1
            carried = text[end:]
            if end:
                yield text[:end]
