"""Loading documents from files, folders and tables, and cleaning them into a corpus.

Accepted inputs (any number, mixed):

- a ``.txt`` file: one document, id = file-name stem;
- a folder: every ``.txt`` file in it and its sub-folders is a document; a
  ``MANIFEST.csv`` in the folder (column ``file`` plus e.g. ``year``,
  ``title``) supplies metadata;
- a ``.csv``, ``.xlsx`` or ``.xls`` table: one document per row, text in
  ``text_column``, the other columns become metadata; a ``doc`` or ``id``
  column, if present, gives the document ids.

Encodings are detected per file (see :mod:`analysis.encoding`). Input files
are only ever read.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.clean import CleanOptions, clean_text, paragraph_frame
from analysis.encoding import decode
from analysis.errors import InputError

TEXT_SUFFIXES = {".txt", ".text"}
TABLE_SUFFIXES = {".csv", ".xlsx", ".xls"}
#: Columns the loader owns; metadata columns with these names are renamed ``<name>_meta``.
RESERVED = ("doc", "path", "encoding", "sha256", "text", "chars")


@dataclass(frozen=True)
class Document:
    """One loaded document before cleaning."""

    doc: str
    text: str
    path: str
    encoding: str
    sha256: str
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Corpus:
    """Cleaned documents, ready to match, count and segment.

    Attributes
    ----------
    docs : DataFrame
        One row per document kept: ``doc, path, encoding, sha256, chars`` and
        metadata columns. ``chars`` is the length of the cleaned text (the sum
        of its paragraphs' lengths), the denominator of every rate.
    paragraphs : DataFrame
        ``doc, section, section_title, para, line, text``.
    report : DataFrame
        What cleaning did: ``doc, step, changed``, one row per document and step that ran.
    skipped : DataFrame
        Documents given but not analysed: ``doc, path, reason``.
    options : CleanOptions
        The cleaning steps that ran.
    """

    docs: pd.DataFrame
    paragraphs: pd.DataFrame
    report: pd.DataFrame
    skipped: pd.DataFrame
    options: CleanOptions

    @property
    def metadata_columns(self) -> list[str]:
        """The metadata columns documents can be grouped by (besides ``doc``)."""
        return [c for c in self.docs.columns if c not in RESERVED]

    def notices(self) -> list[str]:
        """One sentence per thing a user should know: duplicates removed, documents skipped."""
        notes = []
        if self.options.dedupe:
            dups = self.report[(self.report.step == "duplicates") & (self.report.changed > 0)]
            if len(dups):
                where = ", ".join(f"{d} ({n})" for d, n in zip(dups.doc, dups.changed))
                notes.append(
                    f"removed {int(dups.changed.sum())} duplicate paragraph(s) from "
                    f"{len(dups)} document(s): {where}; use --keep-duplicates to keep them"
                )
        spaces = self.report[(self.report.step == "han_spaces") & (self.report.changed > 0)]
        if len(spaces):
            notes.append(
                f"removed {int(spaces.changed.sum())} run(s) of whitespace between Chinese characters "
                f"in {len(spaces)} document(s)"
            )
        simplified = self.report[(self.report.step == "simplified") & (self.report.changed > 0)]
        if self.options.simplified:
            notes.append(
                f"converted {int(simplified.changed.sum())} Traditional character(s) to Simplified "
                f"in {len(simplified)} document(s)"
            )
        for doc, path, reason in self.skipped.itertuples(index=False):
            notes.append(f"skipped {path}: {reason}")
        return notes


def read(paths: str | Path | Sequence[str | Path], *, text_column: str = "text") -> list[Document]:
    """Read documents from files, folders and tables (see the module docstring).

    Parameters
    ----------
    paths : path or sequence of paths
        ``.txt`` files, folders of ``.txt`` files, ``.csv``/``.xlsx`` tables.
    text_column : str, default "text"
        The column holding the text in tables.

    Returns
    -------
    list of Document
        In the order given; files of a folder sorted by path. Document ids are
        unique: a clash is resolved by prefixing the parent folder name.

    Raises
    ------
    InputError
        For a missing path, a folder without text files, an unreadable or
        undecodable file, or a table without the text column.

    Examples
    --------
    >>> from analysis.config import SAMPLE_DIR
    >>> docs = read(SAMPLE_DIR)
    >>> docs[0].doc
    '000_66efea22227603e2'
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise InputError("no input given; name at least one .txt file, folder or .csv/.xlsx table")
    documents: list[Document] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; check the path")
        if path.is_dir():
            documents.extend(_read_folder(path))
        elif path.suffix.lower() in TABLE_SUFFIXES:
            documents.extend(_read_table(path, text_column))
        else:
            documents.append(_read_text_file(path, doc=path.stem, meta={}))
    return _unique_ids(documents)


def build(
    paths: str | Path | Sequence[str | Path],
    *,
    text_column: str = "text",
    keep_duplicates: bool = False,
    join_han_spaces: bool = True,
    simplified: bool = False,
) -> Corpus:
    """Read and clean documents into a :class:`Corpus`.

    Parameters
    ----------
    paths : path or sequence of paths
        See :func:`read`.
    text_column : str, default "text"
        The text column of ``.csv``/``.xlsx`` inputs.
    keep_duplicates : bool, default False
        Keep exact duplicate paragraphs (by default the first is kept, the
        rest removed and reported).
    join_han_spaces : bool, default True
        Remove whitespace between two Han characters.
    simplified : bool, default False
        Convert Traditional characters to Simplified before anything else.

    Returns
    -------
    Corpus

    Raises
    ------
    InputError
        As :func:`read`, and when no document has any text left.

    Examples
    --------
    >>> from analysis.config import SAMPLE_ESSAY
    >>> corp = build(SAMPLE_ESSAY)
    >>> len(corp.paragraphs), int(corp.report.query("step == 'duplicates'").changed.sum())
    (9, 7)
    """
    options = CleanOptions(simplified=simplified, han_spaces=join_han_spaces, dedupe=not keep_duplicates)
    return from_documents(read(paths, text_column=text_column), options)


def from_documents(documents: Iterable[Document], options: CleanOptions = CleanOptions()) -> Corpus:
    """Clean already-read documents into a :class:`Corpus` (used by :func:`build`)."""
    cleaned, report, skipped, rows = [], [], [], []
    for document in documents:
        result = clean_text(document.text, options)
        report.extend((document.doc, step, n) for step, n in result.changes.items())
        if not result.paragraphs:
            reason = "empty file" if not document.text.strip() else "no text left after cleaning"
            skipped.append((document.doc, document.path, reason))
            continue
        cleaned.append((document.doc, result))
        chars = sum(len(p[3]) for p in result.paragraphs)
        rows.append({"doc": document.doc, "path": document.path, "encoding": document.encoding,
                     "sha256": document.sha256, "chars": chars, **document.meta})
    skipped_frame = pd.DataFrame(skipped, columns=["doc", "path", "reason"])
    if not rows:
        given = ", ".join(skipped_frame.path.unique()[:3]) or "the input"
        raise InputError(f"{given}: no text to analyse (every document is empty); check the input files")
    return Corpus(
        docs=pd.DataFrame(rows),
        paragraphs=paragraph_frame(cleaned),
        report=pd.DataFrame(report, columns=["doc", "step", "changed"]),
        skipped=skipped_frame,
        options=options,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied; check that you may read this file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check the file") from None


def _read_text_file(path: Path, *, doc: str, meta: dict) -> Document:
    data = _read_bytes(path)
    text, encoding = decode(data, source=path)
    return Document(doc=doc, text=text, path=str(path), encoding=encoding,
                    sha256=hashlib.sha256(data).hexdigest(), meta=meta)


def _read_folder(folder: Path) -> list[Document]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise InputError(f"{folder}: folder contains no .txt files; put one document per .txt file there")
    manifest = _read_manifest(folder)
    documents = []
    for path in files:
        relative = path.relative_to(folder).as_posix()
        meta = manifest.get(relative, manifest.get(path.name, {}))
        documents.append(_read_text_file(path, doc=path.stem, meta=meta))
    return documents


def _read_manifest(folder: Path) -> dict[str, dict]:
    """Metadata by file name from ``MANIFEST.csv`` (column ``file``), or empty."""
    path = folder / "MANIFEST.csv"
    if not path.exists():
        return {}
    table = _parse_csv(path)
    if "file" not in table.columns:
        raise InputError(
            f"{path}: has no 'file' column (columns: {', '.join(map(str, table.columns))}); "
            "name each document's file in a 'file' column"
        )
    table = _rename_reserved(table.drop(columns=[c for c in ("sha256", "chars") if c in table.columns]))
    return {str(row.pop("file")): row for row in table.to_dict(orient="records")}


def _parse_csv(path: Path) -> pd.DataFrame:
    text, _ = decode(_read_bytes(path), source=path)
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).pipe(_infer_numbers)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV table ({str(exc).strip()}); check the file") from None


def _infer_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """Turn all-integer text columns (e.g. ``year``) into integers, leave the rest as text."""
    for column in table.columns:
        values = table[column]
        if len(values) and values.str.fullmatch(r"-?\d{1,9}").all():
            table[column] = values.astype("int64")
    return table


def _read_table(path: Path, text_column: str) -> list[Document]:
    if path.suffix.lower() == ".csv":
        table = _parse_csv(path)
    else:
        try:
            table = pd.read_excel(path, sheet_name=0, dtype=str).fillna("").pipe(_infer_numbers)
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise InputError(f"{path}: not a readable Excel workbook ({exc}); check the file") from None
    table.columns = [str(c).strip() for c in table.columns]
    if text_column not in table.columns:
        raise InputError(
            f"{path}: has no column '{text_column}' (columns: {', '.join(table.columns)}); "
            "name the text column with --text-column"
        )
    id_column = next((c for c in ("doc", "id") if c in table.columns and c != text_column), None)
    sha = hashlib.sha256(_read_bytes(path)).hexdigest()
    meta = _rename_reserved(table.drop(columns=[text_column] + ([id_column] if id_column == "doc" else [])))
    documents = []
    for i, (text, row) in enumerate(zip(table[text_column], meta.to_dict(orient="records")), start=1):
        doc = str(table[id_column].iloc[i - 1]) if id_column else f"{path.stem}-{i}"
        documents.append(Document(doc=doc, text=str(text), path=f"{path}#row={i}",
                                  encoding="table", sha256=sha, meta=row))
    return documents


def _rename_reserved(table: pd.DataFrame) -> pd.DataFrame:
    return table.rename(columns={c: f"{c}_meta" for c in table.columns if c in RESERVED and c != "file"})


def _unique_ids(documents: list[Document]) -> list[Document]:
    counts: dict[str, int] = {}
    for d in documents:
        counts[d.doc] = counts.get(d.doc, 0) + 1
    seen: set[str] = set()
    unique = []
    for d in documents:
        doc = d.doc
        if counts[doc] > 1:
            doc = f"{Path(d.path.split('#')[0]).parent.name}/{d.doc}"
        base, n = doc, 2
        while doc in seen:
            doc, n = f"{base}~{n}", n + 1
        seen.add(doc)
        unique.append(Document(doc, d.text, d.path, d.encoding, d.sha256, d.meta))
    return unique
