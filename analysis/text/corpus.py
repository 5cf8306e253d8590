"""Loading documents from files, folders and tables, and cleaning them into a corpus.

Accepted inputs (any number, mixed):

- a ``.txt`` file: one document, id = file-name stem;
- a ``.pdf``, ``.docx``, ``.html`` or ``.htm`` file: one document, read by
  :mod:`analysis.text.pdf` (text layer, with pages), :mod:`analysis.text.word`
  (paragraphs, Word headings, tables) or :mod:`analysis.text.webpage` (main
  text, title); what reading changed is in the cleaning report and notices;
- a folder: every such file in it and its sub-folders is a document; a
  ``MANIFEST.csv`` (column ``file`` plus e.g. ``year``, ``title``) supplies
  metadata for the files of its folder and the folders below it (the nearest
  manifest listing a file wins). Every other file in the folder is named in a
  notice with the reason it was not read (a format not read here, with what
  to do, e.g. ``.caj`` or ``.doc``; an encrypted, damaged or scanned PDF; a
  broken link, a FIFO, an unreadable sub-folder, ...);
- a ``.csv``, ``.xlsx`` or ``.xls`` table: one document per row, text in
  ``text_column``, the other columns become metadata; a ``doc`` or ``id``
  column, if present, gives the document ids.

Encodings are detected per file (see :mod:`analysis.text.encoding`). Input files
are only ever read.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import os
import stat
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import engine
from analysis.config import CleanOptions, Settings
from analysis.engine.pool import batches
from analysis.errors import NAMED, AnalysisError, InputError, InputNotice, Note, first_names
from analysis.text import pdf, webpage, word
from analysis.text.clean import CleanedDocument, clean_pieces, clean_text, paragraph_frame
from analysis.text.encoding import decode, decode_pieces
from analysis.text.extracted import Extracted, Layout, file_bytes
from analysis.text.facts import FACT_COLUMNS, DocumentFacts, FactsAccumulator, facts_of, finish

TEXT_SUFFIXES = {".txt", ".text"}
TABLE_SUFFIXES = {".csv", ".xlsx", ".xls"}
#: Document formats read by a reader of their own (path in, :class:`~analysis.text.extracted.Extracted` out).
READERS: dict[str, Callable[[Path], Extracted]] = {".pdf": pdf.read, ".docx": word.read, ".html": webpage.read,
                                                   ".htm": webpage.read}
_WORD = "open it in Word or WPS and save it as .docx (Word document)"
#: Formats not read here: what they are and what to do with them.
CONVERT_ADVICE = {
    ".doc": ("an old Word .doc file", _WORD),
    ".wps": ("a WPS document", "open it in WPS and save it as .docx"),
    ".rtf": ("a rich-text file", _WORD),
    ".odt": ("an OpenDocument text", _WORD),
    ".pages": ("an Apple Pages document", "export it as .docx or .pdf"),
    ".caj": ("a CNKI CAJ file", "download the PDF version of the article from CNKI instead, "
             "or open it in CAJViewer and print it to PDF"),
    ".kdh": ("a CNKI KDH file", "download the PDF version of the article from CNKI instead"),
    ".nh": ("a CNKI NH (thesis) file", "download the PDF version of the thesis from CNKI instead"),
    ".epub": ("an e-book", "convert it to .docx or .txt (e.g. with Calibre) and give that"),
    ".ppt": ("a PowerPoint file", "export it as .pdf"),
    ".pptx": ("a PowerPoint file", "export it as .pdf"),
    ".zip": ("an archive", "unpack it and give the folder"),
    ".rar": ("an archive", "unpack it and give the folder"),
    ".7z": ("an archive", "unpack it and give the folder"),
}
CONVERT_SUFFIXES = set(CONVERT_ADVICE)
#: Columns the loader owns; metadata columns with these names are renamed ``<name>_meta``.
RESERVED = ("doc", "path", "encoding", "sha256", "text", "chars")
WORKBOOK_SUFFIXES = {".xlsx", ".xls"}
MANIFEST = "MANIFEST.csv"
#: A text file bigger than this is read, cleaned and measured in pieces of :data:`PIECE_BYTES` (memory stays flat).
READ_IN_PIECES_ABOVE = 64 << 20
PIECE_BYTES = 16 << 20
#: How many names a notice or error lists before "and N more".


@dataclass(frozen=True, slots=True)  # slots: a million one-line documents stay small
class Document:
    """One document before cleaning.

    ``text`` is None for a file not read yet (:func:`read` with ``lazy=True``):
    the worker that cleans it reads it, and ``encoding`` and ``sha256`` are
    known only then.
    """

    doc: str
    text: str | None
    path: str
    encoding: str
    sha256: str
    meta: Mapping = field(default_factory=dict)  # a dict, or a TableRow for a row of a table
    layout: Layout | None = None  # pages, Word headings and extraction changes of a PDF, .docx or web page


class TableRow(Mapping):
    """The metadata of a document that is a row of a table: a view of the row, not a copy.

    The columns are held once by the table, so a million rows cost a few
    bytes each (a dict per row would cost more than a one-line document). It
    pickles as a plain dict.

    Examples
    --------
    >>> row = TableRow({"year": [2019, 2020], "title": ["甲", "乙"]}, 1)
    >>> dict(row), row["year"]
    ({'year': 2020, 'title': '乙'}, 2020)
    """

    __slots__ = ("table", "row")

    def __init__(self, table: dict[str, list], row: int):
        self.table, self.row = table, row

    def __getitem__(self, column: str):
        return self.table[column][self.row]

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)

    def __reduce__(self):
        return dict, (dict(self),)

    def __repr__(self) -> str:
        return repr(dict(self))


@dataclass(frozen=True)
class Corpus:
    """Cleaned documents, ready to match, count and segment.

    Attributes
    ----------
    docs : DataFrame
        One row per document kept: ``doc, path, encoding, sha256, chars`` and
        metadata columns. ``chars`` is the length of the cleaned text (the sum
        of its paragraphs' lengths), the denominator of every rate.
    paragraphs : DataFrame or None
        ``doc, section, section_title, para, line, text``; None for a corpus
        made without keeping its text (:func:`clean` with
        ``keep_paragraphs=False``, as :func:`analysis.measure.count.from_paths`
        does): it has counts and denominators but no positions.
    report : DataFrame
        What cleaning did: ``doc, step, changed``, one row per document and step that changed
        something (``Corpus.options.steps()`` lists every step that ran).
    skipped : DataFrame
        Documents given but not analysed: ``doc, path, reason``.
    options : CleanOptions
        The cleaning steps that ran.
    facts : DataFrame, optional
        ``doc, has_han, traditional, digest`` (:mod:`analysis.text.facts`), one
        row per document kept; computed from ``paragraphs`` when not given.
    """

    docs: pd.DataFrame
    paragraphs: pd.DataFrame | None
    report: pd.DataFrame
    skipped: pd.DataFrame
    options: CleanOptions
    facts: pd.DataFrame | None = None

    def document_facts(self) -> pd.DataFrame:
        """``doc, has_han, traditional, digest`` of every document kept (see :mod:`analysis.text.facts`)."""
        if self.facts is not None:
            return self.facts
        texts: dict[str, list[str]] = {doc: [] for doc in self.docs.doc}
        for doc, text in zip(self.paragraphs.doc.tolist(), self.paragraphs.text.tolist()):
            texts[doc].append(text)
        return _facts_frame(list(texts), facts_of(list(texts.values())))

    @property
    def metadata_columns(self) -> list[str]:
        """The metadata columns documents can be grouped by (besides ``doc``)."""
        return [c for c in self.docs.columns if c not in RESERVED]

    def notices(self) -> list[Note]:
        """One sentence per thing a user should know: duplicates removed, documents skipped."""
        notes = []
        if self.options.dedupe:
            dups = self.report[(self.report.step == "duplicates") & (self.report.changed > 0)]
            if len(dups):
                where = first_names([f"{d} ({n})" for d, n in zip(dups.doc, dups.changed)])
                notes.append(Note(
                    f"removed {int(dups.changed.sum())} duplicate paragraph(s) from "
                    f"{len(dups)} document(s): {where}; keep them with the keep_duplicates setting",
                    parameter="keep_duplicates"))
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
        if not self.options.simplified:
            traditional = self.traditional_documents()
            if traditional:
                names = first_names(traditional)
                notes.append(Note(
                    f"{len(traditional)} document(s) are largely in Traditional characters: {names}; a Simplified "
                    "lexicon finds little there (協商民主 is not 协商民主); convert them with the simplified setting",
                    parameter="simplified"))
        facts = self.document_facts()
        no_han = facts.doc[~facts.has_han].tolist()
        if no_han:
            names = first_names(no_han)
            notes.append(
                f"no Chinese (Han) characters in {len(no_han)} document(s): {names}; lexicon counts there "
                "are zero (check that these are the texts you meant)"
            )
        identical = self.identical_documents()
        for group in identical[:NAMED]:
            notes.append(
                f"{len(group)} documents have the same text after cleaning: {first_names(group)}; all are "
                "counted, so if some are copies of one document, remove the copies"
            )
        if len(identical) > NAMED:
            rest = identical[NAMED:]
            notes.append(
                f"and {len(rest)} more group(s) of documents with the same text ({sum(map(len, rest))} documents), "
                f"such as {first_names(rest[0])}; Corpus.identical_documents() lists them all"
            )
        if len(self.skipped) <= NAMED:
            for doc, path, reason in self.skipped.itertuples(index=False):
                notes.append(f"skipped {path}: {reason}")
        else:
            for reason, paths in self.skipped.groupby("reason", sort=False).path:
                notes.append(f"skipped {len(paths)} document(s), {reason}: {first_names(paths.tolist())}; "
                             "Corpus.skipped and the provenance file list them all")
        return notes

    def steps(self) -> list[str]:
        """The steps that ran: those of reading PDF, Word and web pages that changed something, then cleaning's.

        Examples
        --------
        >>> from_documents([Document("a", "社区治理", "a.txt", "utf-8", "")]).steps()
        ['line_endings', 'han_spaces', 'contents', 'duplicates']
        """
        cleaning = self.options.steps()
        return [*dict.fromkeys(s for s in self.report.step.tolist() if s not in cleaning), *cleaning]

    def traditional_documents(self) -> list[str]:
        """Documents largely in Traditional characters (the rule is in :mod:`analysis.text.facts`).

        Examples
        --------
        >>> docs = [Document("t", "推進基層協商民主", "t.txt", "utf-8", ""), Document("s", "推进基层协商民主", "s.txt", "utf-8", "")]
        >>> from_documents(docs).traditional_documents()
        ['t']
        """
        facts = self.document_facts()
        return facts.doc[facts.traditional].tolist()

    def subset(self, docs: Iterable[str]) -> Corpus:
        """The corpus of only these documents (their paragraphs, cleaning report and skipped rows).

        Examples
        --------
        >>> corp = from_documents([Document(d, "社区治理", f"{d}.txt", "utf-8", "") for d in ("a", "b")])
        >>> corp.subset({"b"}).docs.doc.tolist()
        ['b']
        """
        keep_docs = set(docs)

        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame.doc.isin(keep_docs)].reset_index(drop=True)

        return Corpus(docs=keep(self.docs), paragraphs=None if self.paragraphs is None else keep(self.paragraphs),
                      report=keep(self.report), skipped=keep(self.skipped), options=self.options,
                      facts=None if self.facts is None else keep(self.facts))

    def identical_documents(self) -> list[list[str]]:
        """Groups of documents whose cleaned paragraphs are identical (the same text given twice).

        Duplicate paragraphs are removed within a document only: across
        documents, repeated text may be real (a slogan in many years' reports),
        but a whole document given twice doubles every count, so it is reported.

        Examples
        --------
        >>> corp = from_documents([Document(d, "社区治理。", f"{d}.txt", "utf-8", "") for d in ("a", "b")])
        >>> corp.identical_documents()
        [['a', 'b']]
        """
        if len(self.docs) < 2:
            return []
        facts = self.document_facts()
        by_digest: dict[bytes, list[str]] = {}
        for doc, digest in zip(facts.doc.tolist(), facts.digest.tolist()):
            by_digest.setdefault(digest, []).append(doc)
        return sorted(sorted(docs) for docs in by_digest.values() if len(docs) > 1)


def read(paths: str | Path | Sequence[str | Path], settings: Settings | None = None, *, lazy: bool = False,
         **options) -> list[Document]:
    """Read documents from files, folders and tables (see the module docstring).

    Parameters
    ----------
    paths : path or sequence of paths
        ``.txt``, ``.pdf``, ``.docx``, ``.html``/``.htm`` files, folders of
        them, ``.csv``/``.xlsx`` tables.
    settings : Settings, optional
        Read with ``text_column`` (the column holding the text in tables,
        default ``"text"``) and ``sheet`` (the sheet of ``.xlsx`` workbooks;
        default the first, and when a workbook has several an
        :class:`~analysis.errors.InputNotice` names the sheets not read; a
        notice also names the inputs that are not workbooks, for which a
        ``sheet`` has no meaning).
    lazy : bool, default False
        Leave text files unread (``text`` None): :func:`clean` reads each in
        the worker that cleans it, so the main process never holds the whole
        corpus. Tables, PDF, ``.docx`` and web pages are read either way
        (their pages and headings are part of the document).
    **options
        Changes to ``settings``, e.g. ``text_column="content"``.

    Returns
    -------
    list of Document
        In the order given; files of a folder sorted by path. Document ids are
        unique: a clash is resolved by prefixing the parent folder name.

    Raises
    ------
    InputError
        For a missing path, a folder without documents, an unreadable or
        undecodable file, an encrypted, damaged or scanned (no text layer)
        PDF or ``.docx`` given as input, a format not read here (``.doc``,
        ``.wps``, ``.caj``, ``.epub``, ...: the message says what to do), a table
        without the text column or sheet, a CSV table or ``MANIFEST.csv`` with
        ragged rows (named by line) or a column name given twice, or a
        ``MANIFEST.csv`` listing a file twice.

    Notes
    -----
    Every file in a folder is read or named in an
    :class:`~analysis.errors.InputNotice` with the reason it was not: a
    format not read here (with what to do), a PDF or ``.docx`` that cannot be
    read (encrypted, damaged, scanned), a broken or looping link, a link to a
    folder, a FIFO or device (never opened), an unreadable sub-folder. What
    reading a PDF, ``.docx`` or web page changed (running headers removed,
    lines re-joined, tables included) is named in a notice per file.

    Examples
    --------
    >>> from analysis.config import SAMPLE_DIR
    >>> docs = read(SAMPLE_DIR)
    >>> docs[0].doc
    '000_66efea22227603e2'
    """
    settings = Settings.of(settings, **options)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise InputError("no input given; name at least one .txt file, folder or .csv/.xlsx table")
    if settings.sheet is not None:
        not_workbooks = [str(p) for p in paths if Path(p).suffix.lower() not in WORKBOOK_SUFFIXES]
        if not_workbooks:
            _notice(Note(f"the sheet setting ('{settings.sheet}') applies only to .xlsx/.xls workbooks; "
                         f"not used for {first_names(not_workbooks)} (a .csv table, a folder or a text file "
                         "has no sheets)", parameter="sheet"))
    documents: list[Document] = []
    said: list[tuple[str, tuple[str, ...]]] = []  # (file, what reading it changed), for the notices
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; check the path")
        if path.is_dir():
            documents.extend(_read_folder(path, said, lazy=lazy))
        elif path.suffix.lower() in TABLE_SUFFIXES:
            documents.extend(_read_table(path, settings.text_column, settings.sheet))
        elif path.suffix.lower() in CONVERT_SUFFIXES:
            what, todo = CONVERT_ADVICE[path.suffix.lower()]
            raise InputError(f"{path}: is {what}, which this toolkit does not read; {todo}")
        else:
            documents.append(_read_file(path, doc=path.stem, meta={}, said=said, lazy=lazy))
    _notice_reading(said)
    return _unique_ids(documents)


def build(paths: str | Path | Sequence[str | Path], settings: Settings | None = None, **options) -> Corpus:
    """Read and clean documents into a :class:`Corpus`.

    Parameters
    ----------
    paths : path or sequence of paths
        See :func:`read`.
    settings : Settings, optional
        How to read, clean and run (:class:`analysis.config.Settings`):
        ``text_column``, ``sheet``, ``keep_duplicates`` (keep exact duplicate
        paragraphs; by default the first is kept, the rest removed and
        reported), ``join_han_spaces`` (remove whitespace between two Han
        characters, default on), ``simplified`` (convert Traditional
        characters to Simplified first, default off), and ``jobs`` /
        ``engine`` for where the cleaning runs.
    **options
        Changes to ``settings``, e.g. ``keep_duplicates=True``.

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
    >>> len(build(SAMPLE_ESSAY, keep_duplicates=True).paragraphs)
    16
    """
    settings = Settings.of(settings, **options)
    return clean(read(paths, settings, lazy=True), settings)[0]


def clean(documents: Sequence[Document], settings: Settings | None = None, *,
          measure: Callable[[list[str]], object] | None = None, combine: Callable[[list], object] | None = None,
          keep_paragraphs: bool = True, collect: Callable[[int, object], None] | None = None) -> tuple[Corpus, list]:
    """Clean documents into a :class:`Corpus` on the settings' engine, measuring each in the same pass.

    Each worker reads its documents (those :func:`read` left unread), cleans
    them, applies ``measure`` and computes their facts
    (:mod:`analysis.text.facts`) in one pass; without ``keep_paragraphs`` it
    sends back only those, never the text. What comes back is kept column by
    column (a few bytes per document), so a million one-line documents stay
    small.

    Parameters
    ----------
    documents : sequence of Document
        From :func:`read`.
    settings : Settings, optional
        The cleaning options, and where the work runs (``jobs``, ``engine``).
    measure : callable, optional
        Applied to each cleaned document's paragraph texts right after
        cleaning, in the same worker (e.g. a compiled lexicon's term counts,
        :meth:`analysis.lexicon.Matcher.document_counts`); it must pickle. A
        measure with a true ``takes_paragraphs`` attribute gets the cleaned
        paragraphs ``(line, section, section_title, text)`` instead (e.g.
        :class:`analysis.measure.kwic.DocumentLines`).
    combine : callable, optional
        Turns the measures of the pieces of one document into the measure of
        the document (needed with ``measure``: a text file bigger than
        :data:`READ_IN_PIECES_ABOVE` is read, cleaned and measured in pieces,
        see :func:`analysis.text.clean.clean_pieces`).
    keep_paragraphs : bool, default True
        Keep the cleaned paragraphs (``Corpus.paragraphs``); without them the
        corpus has documents, cleaning report and facts, and the main process
        never holds the corpus's text.
    collect : callable, optional
        Called as ``collect(index, value)`` with each document's measure as
        it arrives (in completion order), so the caller can fold values
        without keeping them; ``measured`` is then all ``None``.

    Returns
    -------
    corpus : Corpus
    measured : list
        ``measure(paragraph texts)`` for each document, in order (``None``
        for every document without ``measure``).

    Raises
    ------
    InputError
        As :func:`read` for a file read here (the first such file in input
        order), and when no document has any text left.

    Examples
    --------
    >>> docs = [Document("a", "社区治理\\n社区治理", "a.txt", "utf-8", "")]
    >>> corp, measured = clean(docs, measure=len)
    >>> len(corp.paragraphs), measured
    (1, [1])
    """
    settings = Settings.of(settings)
    sizes = np.fromiter(map(_size, documents), dtype=np.int64, count=len(documents))
    groups = batches(sizes)
    measured: list = [None] * len(documents)
    received: list[_Batch] = []
    run = engine.executor(settings)
    for batch in run.map(_clean_batch, _Tasks(documents, groups), sizes=[int(sizes[g.start:g.stop].sum()) for g in groups],
                         state=(settings.clean, measure, keep_paragraphs, combine), desc="cleaning"):
        for index, value in zip(batch.indexes.tolist(), batch.values):
            if collect is not None:
                collect(index, value)
            else:
                measured[index] = value
        batch.values = None
        received.append(batch)
    failures = [failure for batch in received for failure in batch.failures]
    if failures:
        raise min(failures, key=lambda failure: failure[0])[1]
    return _assemble(documents, received, settings.clean, keep_paragraphs=keep_paragraphs), measured


def _size(document: Document) -> int:
    """Characters of a document's text, or the bytes of its file when it is not read yet."""
    if document.text is not None:
        return len(document.text)
    try:
        return os.stat(document.path).st_size
    except OSError:
        return 0  # the worker reports it


class _Tasks(Sequence):
    """The tasks of :func:`clean`: each batch's ``(index, text, path, headings)`` made only when it is sent."""

    def __init__(self, documents: Sequence[Document], groups: Sequence[range]):
        self.documents, self.groups = documents, groups

    def __len__(self) -> int:
        return len(self.groups)

    def __getitem__(self, k: int) -> list[tuple[int, str | None, str, frozenset[int]]]:
        return [(i, d.text, d.path, _headings(d)) for i in self.groups[k] for d in (self.documents[i],)]


@dataclass(slots=True)
class _Batch:
    """What a worker sends back for a batch of documents, column by column (a few bytes per document)."""

    indexes: np.ndarray  # int64: the documents' positions in the input, ascending
    chars: np.ndarray  # int64: characters of cleaned text
    has_han: np.ndarray  # bool
    traditional: np.ndarray  # bool
    blank: np.ndarray  # bool: the text as given was empty or whitespace
    digests: list[bytes]
    changes: tuple[list[int], list[str], list[int]]  # (row of the batch, step, n) for every step that changed something
    cleaned: list[CleanedDocument] | None  # paragraphs of each document, when kept
    values: list | None  # the measure of each document
    loaded: dict[int, tuple[str, str]]  # row of the batch -> encoding and sha256 of a file read in the worker
    failures: list[tuple[int, AnalysisError]]  # (document position, what went wrong reading it)


def _headings(document: Document) -> frozenset[int]:
    return document.layout.headings if document.layout is not None else frozenset()


def _clean_batch(batch: list[tuple[int, str | None, str, frozenset[int]]], state: tuple) -> _Batch:
    """Worker: read (if needed), clean, measure and describe each document of a batch."""
    options, measure, keep, combine = state
    indexes, accumulators, blank, values, cleaned_docs, loaded, failures = [], [], [], [], [], {}, []
    rows, steps, changed = [], [], []
    for index, text, path, headings in batch:
        try:
            if text is None and _file_size(path) > READ_IN_PIECES_ABOVE:
                cleaned, facts, value, read = _clean_in_pieces(path, options, measure, keep, combine)
                empty = not facts.chars
            else:
                read = None
                if text is None:
                    text, *read = load_text(path)
                cleaned = clean_text(text, options, heading_lines=headings)
                texts = [p[3] for p in cleaned.paragraphs]
                value = None if measure is None else measure(cleaned.paragraphs if _takes_paragraphs(measure) else texts)
                facts = FactsAccumulator()
                facts.add(texts)
                empty = not text.strip()
        except AnalysisError as exc:  # reported by the main process, first file first
            failures.append((index, exc))
            continue
        for step, n in cleaned.changes.items():
            if n:  # steps that changed nothing add no row (sums and counts are the same)
                rows.append(len(indexes))
                steps.append(step)
                changed.append(n)
        if read is not None:
            loaded[len(indexes)] = tuple(read)
        indexes.append(index)
        accumulators.append(facts)
        blank.append(empty)
        values.append(value)
        if keep:
            cleaned_docs.append(cleaned)
    facts = finish(accumulators)
    return _Batch(indexes=np.array(indexes, dtype=np.int64), chars=np.array([f.chars for f in facts], dtype=np.int64),
                  has_han=np.array([f.has_han for f in facts], dtype=bool),
                  traditional=np.array([f.traditional for f in facts], dtype=bool), blank=np.array(blank, dtype=bool),
                  digests=[f.digest for f in facts], changes=(rows, steps, changed),
                  cleaned=cleaned_docs if keep else None, values=values, loaded=loaded, failures=failures)


def _takes_paragraphs(measure) -> bool:
    """Whether a measure takes the cleaned paragraphs ``(line, section, section_title, text)``, not their texts."""
    return getattr(measure, "takes_paragraphs", False)


def _file_size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # reading it will say why


def _clean_in_pieces(path: str, options: CleanOptions, measure, keep: bool,
                     combine) -> tuple[CleanedDocument, FactsAccumulator, object, tuple[str, str]]:
    """Read, clean and measure one big text file piece by piece: memory depends on the piece, not the file.

    Returns the cleaned document (paragraphs only when ``keep``), its facts, its measure, and the file's
    encoding and sha256.
    """
    sha256 = hashlib.sha256()
    calls = []

    def pieces():  # read twice by clean_pieces; the first pass also hashes the bytes
        calls.append(1)
        return decode_pieces(path, piece_bytes=PIECE_BYTES, digest=sha256 if len(calls) == 1 else None)[1]

    if measure is not None and combine is None:
        raise TypeError("a measure of documents read in pieces needs a combine function")
    encoding, _ = decode_pieces(path, piece_bytes=PIECE_BYTES)
    paragraphs, changes, values, facts = [], {}, [], FactsAccumulator()
    for piece in clean_pieces(pieces, options):
        texts = [p[3] for p in piece.paragraphs]
        facts.add(texts)
        if measure is not None:  # folded as it goes (combine is associative): one piece's measure at a time
            value = measure(piece.paragraphs if _takes_paragraphs(measure) else texts)
            values = [value] if not values else [combine([values[0], value])]
        for step, n in piece.changes.items():
            changes[step] = changes.get(step, 0) + n
        if keep:
            paragraphs.extend(piece.paragraphs)
    value = None
    if measure is not None:
        value = values[0] if values else measure([])
    return CleanedDocument(paragraphs, changes), facts, value, (encoding, sha256.hexdigest())


def _assemble(documents: Sequence[Document], received: Sequence[_Batch], options: CleanOptions, *,
              keep_paragraphs: bool) -> Corpus:
    """The corpus of cleaned documents from the batches the workers sent back (in any order)."""
    received = sorted(received, key=lambda b: int(b.indexes[0]) if len(b.indexes) else -1)
    indexes = np.concatenate([b.indexes for b in received])
    chars = np.concatenate([b.chars for b in received])
    kept = chars > 0  # nothing left otherwise (paragraphs are never empty strings)
    loaded = {int(b.indexes[row]): value for b in received for row, value in b.loaded.items()}
    if not kept.any():
        given = ", ".join(islice(dict.fromkeys(documents[i].path for i in indexes.tolist()), 3)) or "the input"
        raise InputError(f"{given}: no text to analyse (every document is empty); check the input files")
    blank = np.concatenate([b.blank for b in received])
    skipped = []
    for i, was_blank in zip(indexes[~kept].tolist(), blank[~kept].tolist()):
        document = documents[i]
        if not was_blank:
            reason = "no text left after cleaning"
        else:
            reason = "empty text cell" if document.encoding == "table" else "empty file"
        skipped.append((document.doc, document.path, reason))
    kept_indexes = indexes[kept].tolist()
    docs = _document_table(documents, kept_indexes, chars[kept], loaded)
    facts = pd.DataFrame({"doc": docs["doc"],
                          "has_han": np.concatenate([b.has_han for b in received])[kept],
                          "traditional": np.concatenate([b.traditional for b in received])[kept],
                          "digest": pd.Series([d for b in received for d in b.digests], dtype=object)[kept].to_numpy()},
                         columns=FACT_COLUMNS)
    paragraphs = None
    if keep_paragraphs:
        cleaned = [c for b in received for c in b.cleaned]
        paragraphs = paragraph_frame([(documents[i].doc, cleaned[k]) for k, i in enumerate(indexes.tolist())
                                      if kept[k]])
        pages = [documents[i].layout.page(p[0]) if documents[i].layout is not None else None
                 for k, i in enumerate(indexes.tolist()) if kept[k] for p in cleaned[k].paragraphs]
        if any(page is not None for page in pages):
            paragraphs.insert(paragraphs.columns.get_loc("line") + 1, "page", pd.array(pages, dtype="Int64"))
    return Corpus(docs=docs, paragraphs=paragraphs, report=_report(documents, received),
                  skipped=pd.DataFrame(skipped, columns=["doc", "path", "reason"]), options=options, facts=facts)


def _report(documents: Sequence[Document], received: Sequence[_Batch]) -> pd.DataFrame:
    """The cleaning report (``doc, step, changed``): per document, what extraction then cleaning changed."""
    position, order, step, changed = [], [], [], []
    for b in received:
        rows, steps, ns = b.changes
        position.extend(b.indexes[rows].tolist())
        order.extend(range(1, len(rows) + 1))  # after the extraction steps, in the order cleaning ran
        step.extend(steps)
        changed.extend(ns)
    for i in np.flatnonzero([d.layout is not None for d in documents]).tolist():
        for k, (name, n) in enumerate(documents[i].layout.changes):
            if n:
                position.append(i)
                order.append(k - len(documents[i].layout.changes))  # before cleaning's rows
                step.append(name)
                changed.append(n)
    sort = np.lexsort((np.asarray(order, dtype=np.int64), np.asarray(position, dtype=np.int64)))
    docs = np.array([documents[i].doc for i in position], dtype=object)
    return pd.DataFrame({"doc": pd.Series(docs[sort] if len(sort) else [], dtype=object),
                         "step": pd.Series(np.asarray(step, dtype=object)[sort] if len(sort) else [], dtype=object),
                         "changed": pd.Series(np.asarray(changed, dtype=np.int64)[sort], dtype="int64")})


def _facts_frame(docs: list[str], facts: Sequence[DocumentFacts]) -> pd.DataFrame:
    return pd.DataFrame({"doc": pd.Series(docs, dtype=object),
                         "has_han": pd.Series([f.has_han for f in facts], dtype=bool),
                         "traditional": pd.Series([f.traditional for f in facts], dtype=bool),
                         "digest": pd.Series([f.digest for f in facts], dtype=object)}, columns=FACT_COLUMNS)


def concat(*corpora: Corpus) -> Corpus:
    """One corpus holding the documents of several (e.g. the two sides of a keyness comparison).

    Document ids must not clash; the cleaning options are those of the first corpus.

    Examples
    --------
    >>> a = from_documents([Document("a", "协商民主", "a.txt", "utf-8", "")])
    >>> b = from_documents([Document("b", "社区治理", "b.txt", "utf-8", "")])
    >>> concat(a, b).docs.doc.tolist()
    ['a', 'b']
    """
    if not corpora:
        raise TypeError("concat() needs at least one corpus")
    docs = pd.concat([c.docs for c in corpora], ignore_index=True)
    clash = docs.doc[docs.doc.duplicated()]
    if len(clash):
        raise InputError(f"document '{clash.iloc[0]}' is in two of the corpora combined; give each document once")

    def stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
        return pd.concat(frames, ignore_index=True) if any(len(f) for f in frames) else frames[0]

    kept_text = all(c.paragraphs is not None for c in corpora)
    paragraphs = stack([c.paragraphs for c in corpora]) if kept_text else None
    if paragraphs is not None and "page" in paragraphs.columns:  # a corpus without pages: missing, not floats
        paragraphs["page"] = paragraphs["page"].astype("Int64")
    return Corpus(docs=docs, paragraphs=paragraphs,
                  report=stack([c.report for c in corpora]), skipped=stack([c.skipped for c in corpora]),
                  options=corpora[0].options, facts=stack([c.document_facts() for c in corpora]))


def from_documents(documents: Iterable[Document], options: CleanOptions | None = None) -> Corpus:
    """Clean documents into a :class:`Corpus` in this process (:func:`clean` spreads the work out).

    Examples
    --------
    >>> from_documents([Document("a", "社区 治理", "a.txt", "utf-8", "")]).paragraphs.text.tolist()
    ['社区治理']
    """
    documents = list(documents)
    options = options or CleanOptions()
    batch = _clean_batch(_Tasks(documents, [range(len(documents))])[0], (options, None, True, None))
    if batch.failures:
        raise batch.failures[0][1]
    return _assemble(documents, [batch], options, keep_paragraphs=True)


def _document_table(documents: Sequence[Document], kept: list[int], chars: np.ndarray,
                    loaded: dict[int, tuple[str, str]]) -> pd.DataFrame:
    """``doc, path, encoding, sha256, chars`` and the metadata columns of the documents kept, column by column.

    ``loaded`` holds the encoding and sha256 of the files read by the workers (by document position).
    """
    chosen = [documents[i] for i in kept]
    table = pd.DataFrame({
        "doc": pd.Series([d.doc for d in chosen], dtype=object),
        "path": pd.Series([d.path for d in chosen], dtype=object),
        "encoding": pd.Series([loaded[i][0] if i in loaded else d.encoding for i, d in zip(kept, chosen)],
                              dtype=object),
        "sha256": pd.Series([loaded[i][1] if i in loaded else d.sha256 for i, d in zip(kept, chosen)], dtype=object),
        "chars": pd.Series(chars, dtype="int64"),
    })
    metas = [d.meta for d in chosen]
    if any(metas):
        meta = _metadata_frame(metas)
        meta = meta.drop(columns=[c for c in meta.columns if c in table.columns])
        table = pd.concat([table, meta], axis=1)
    return _integer_metadata(table)


def _metadata_frame(metas: list[Mapping]) -> pd.DataFrame:
    """The metadata of documents as a table; rows of one table are taken column by column."""
    tables = {id(m.table) for m in metas if isinstance(m, TableRow)}
    if len(tables) == 1 and all(isinstance(m, TableRow) for m in metas):
        columns = metas[0].table
        rows = [m.row for m in metas]
        return pd.DataFrame({name: [values[r] for r in rows] for name, values in columns.items()})
    return pd.DataFrame.from_records([dict(m) for m in metas])


def _integer_metadata(docs: pd.DataFrame) -> pd.DataFrame:
    """Keep integer metadata (e.g. ``year``) integer when some documents lack it (nullable ``Int64``)."""
    for column in docs.columns:
        values = docs[column]
        if values.dtype == "float64" and values.isna().any() and (values.dropna() % 1 == 0).all():
            docs[column] = values.astype("Int64")
    return docs




def _read_file(path: Path, *, doc: str, meta: dict, said: list, lazy: bool = False) -> Document:
    """A text file (left unread when ``lazy``), or a PDF, .docx or web page by its reader (notes appended to ``said``).

    The readers run here, in the main process, even when ``lazy``: their pages and headings are part of the document.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        if lazy:
            return Document(doc=doc, text=None, path=str(path), encoding="", sha256="", meta=meta)
        text, encoding, sha256 = load_text(path)
        return Document(doc=doc, text=text, path=str(path), encoding=encoding, sha256=sha256, meta=meta)
    extracted = reader(path)
    if extracted.notes:
        said.append((str(path), extracted.notes))
    return Document(doc=doc, text=extracted.text, path=str(path), encoding=extracted.source,
                    sha256=hashlib.sha256(file_bytes(path)).hexdigest(), meta={**extracted.meta, **meta},
                    layout=extracted.layout)


def load_text(path: str | Path) -> tuple[str, str, str]:
    """A text file's decoded text, its encoding and the sha256 of its bytes (only reads the file).

    Examples
    --------
    >>> from analysis.config import SAMPLE_ESSAY
    >>> text, encoding, sha256 = load_text(SAMPLE_ESSAY)
    >>> encoding, len(sha256)
    ('utf-8', 64)
    """
    path = Path(path)
    data = file_bytes(path)
    text, encoding = decode(data, source=path)
    return text, encoding, hashlib.sha256(data).hexdigest()


def _notice_reading(said: list[tuple[str, tuple[str, ...]]]) -> None:
    """One notice per file whose reading changed something (the first few), then one for the rest."""
    for path, notes in said[:NAMED]:
        _notice(f"{path}: {'; '.join(notes)}")
    if len(said) > NAMED:
        rest = said[NAMED:]
        _notice(f"and {len(rest)} more file(s) where reading removed running headers, re-joined lines, included "
                f"tables or found pages without text: {first_names([p for p, _ in rest])}; Corpus.report counts "
                "it per document (steps running_headers, joined_lines, tables, pages_without_text)")


def _read_folder(folder: Path, said: list, *, lazy: bool = False) -> list[Document]:
    """Every ``.txt``, ``.pdf``, ``.docx`` and web page below ``folder`` (sorted by path), with metadata
    from the nearest ``MANIFEST.csv``.

    Every other entry is named in a notice with its reason, so that each file in the
    folder is either read or listed; nothing is opened that is not a regular file. A
    PDF, .docx or web page that cannot be read (encrypted, damaged, a scan without
    text) is named in a notice with its reason, and the rest of the folder is read.
    """
    texts, manifests, others, unreadable = _walk(folder)
    convert = [p for p in others if p.suffix.lower() in CONVERT_SUFFIXES]
    other = [p for p in others if p.suffix.lower() not in CONVERT_SUFFIXES]
    if not texts:
        if convert:
            what, todo = CONVERT_ADVICE[convert[0].suffix.lower()]
            hint = f" (it has {len(convert)} file(s) of formats not read here, such as {convert[0].name}: {todo})"
        elif unreadable:
            hint = (f" that could be read ({len(unreadable)} item(s) could not: "
                    f"{first_names([f'{_relative(p, folder)} ({why})' for p, why in unreadable])})")
        else:
            hint = ""
        raise InputError(f"{folder}: folder contains no .txt files (nor .pdf, .docx, .html){hint}; "
                         "put one document per file there")
    by_format: dict[str, list[Path]] = {}
    for path in convert:
        by_format.setdefault(path.suffix.lower(), []).append(path)
    for suffix, paths in by_format.items():
        what, todo = CONVERT_ADVICE[suffix]
        _notice(f"{folder}: skipped {len(paths)} {suffix} file(s), {what} (not read here): "
                f"{first_names([_relative(p, folder) for p in paths])}; {todo}")
    if other:
        _notice(f"{folder}: skipped {len(other)} file(s) that are not .txt or a document format read here "
                f"(.pdf, .docx, .html): {first_names([_relative(p, folder) for p in other])} "
                "(give a .csv or .xlsx table as an input of its own)")
    if unreadable:
        _notice(f"{folder}: skipped {len(unreadable)} item(s) that cannot be read: "
                f"{first_names([f'{_relative(p, folder)} ({why})' for p, why in unreadable])}")
    tables = {path.parent: _read_manifest(path) for path in manifests}
    used: dict[Path, set[str]] = {where: set() for where in tables}
    unlisted: dict[Path, list[str]] = {}
    documents = []
    failed: list[tuple[Path, str]] = []
    for path in texts:
        meta, nearest = None, None
        for where in _folders_up(path.parent, folder):
            if where not in tables:
                continue
            nearest = where if nearest is None else nearest
            relative = path.relative_to(where).as_posix()
            key = relative if relative in tables[where] else path.name
            if key in tables[where]:
                meta = tables[where][key]
                used[where].add(key)
                break
        try:
            documents.append(_read_file(path, doc=path.stem, meta=meta or {}, said=said, lazy=lazy))
        except InputError as exc:
            if path.suffix.lower() not in READERS:
                raise
            failed.append((path, str(exc).removeprefix(f"{path}: ")))
            continue
        if meta is None and nearest is not None:
            unlisted.setdefault(nearest, []).append(path.relative_to(nearest).as_posix())
    if failed and not documents:
        path, why = failed[0]
        more = f" ({len(failed) - 1} more could not either, named in the notices)" if len(failed) > 1 else ""
        raise InputError(f"{folder}: no document in the folder could be read: {_relative(path, folder)}: {why}{more}")
    for path, why in failed[:NAMED]:
        _notice(f"{folder}: skipped {_relative(path, folder)}: {why}")
    if len(failed) > NAMED:
        _notice(f"{folder}: and {len(failed) - NAMED} more file(s) that cannot be read were skipped: "
                f"{first_names([f'{_relative(p, folder)} ({why})' for p, why in failed[NAMED:]])}")
    for where, table in tables.items():
        missing = [name for name in table if name not in used[where]]
        if missing:
            _notice(f"{where / MANIFEST}: lists {len(missing)} file(s) not in the folder: "
                    f"{first_names(missing)}; they are not analysed")
        if unlisted.get(where):
            _notice(f"{where / MANIFEST}: does not list {len(unlisted[where])} file(s): "
                    f"{first_names(unlisted[where])}; they have no metadata")
    return documents


def _walk(folder: Path) -> tuple[list[Path], list[Path], list[Path], list[tuple[Path, str]]]:
    """Everything below ``folder``: text files, manifests, other files, and entries that cannot be read (with why).

    Only ``stat`` is called on entries, never ``open``: a FIFO would block. Links
    to files are followed; links to folders are not (they could loop or count a
    folder twice), and are listed.
    """
    texts, manifests, others, unreadable = [], [], [], []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            if current == folder:
                raise InputError(f"{folder}: folder cannot be read ({exc.strerror}); check that you may read it") from None
            unreadable.append((current, f"folder cannot be read: {exc.strerror}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = os.stat(entry.path).st_mode  # follows links
            except OSError as exc:
                unreadable.append((path, _stat_failure(exc, entry)))
                continue
            if stat.S_ISDIR(mode):
                if entry.is_symlink():
                    unreadable.append((path, "a link to a folder, not followed; give that folder as an input"))
                else:
                    pending.append(path)
            elif not stat.S_ISREG(mode):
                unreadable.append((path, f"{_special_kind(mode)}, not a regular file"))
            elif entry.name == MANIFEST:
                manifests.append(path)
            elif path.suffix.lower() in TEXT_SUFFIXES or path.suffix.lower() in READERS:
                texts.append(path)
            else:
                others.append(path)
    return sorted(texts), sorted(manifests), sorted(others), sorted(unreadable)


def _stat_failure(exc: OSError, entry: os.DirEntry) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT and entry.is_symlink():
        return "broken symbolic link: its target does not exist"
    return f"cannot be read: {exc.strerror}"


def _special_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "a special file"


def _folders_up(start: Path, top: Path) -> Iterator[Path]:
    """``start``, its parent, ... up to and including ``top``."""
    current = start
    while True:
        yield current
        if current == top or current.parent == current:
            return
        current = current.parent


def _relative(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def _notice(message: str) -> None:
    """Issue an :class:`InputNotice` (a :class:`Note` keeps the setting it names)."""
    warnings.warn(InputNotice(message), stacklevel=3)


def _read_manifest(path: Path) -> dict[str, dict]:
    """Metadata by file name (relative to the manifest's folder) from a ``MANIFEST.csv`` (column ``file``)."""
    table, lines = _read_csv(path)
    if "file" not in table.columns:
        raise InputError(
            f"{path}: has no 'file' column (columns: {', '.join(map(str, table.columns))}); "
            "name each document's file in a 'file' column"
        )
    listed = table["file"].astype(str)
    keep = (listed.str.strip() != "").to_numpy()
    rows: dict[str, list[int]] = {}
    for name, line in zip(listed[keep], [n for n, k in zip(lines, keep) if k]):
        rows.setdefault(name, []).append(line)
    twice = {name: at for name, at in rows.items() if len(at) > 1}
    if twice:
        name, at = next(iter(twice.items()))
        more = f" ({len(twice) - 1} more file(s) are listed more than once)" if len(twice) > 1 else ""
        raise InputError(f"{path}: lists '{name}' {_times(len(at))} (lines {_and(at)}){more}; "
                         "give each file one row")
    table = table[keep]
    table = _rename_reserved(table.drop(columns=[c for c in ("sha256", "chars") if c in table.columns]))
    return {str(row.pop("file")): row for row in table.to_dict(orient="records")}


def _parse_csv(path: Path) -> pd.DataFrame:
    return _read_csv(path)[0]


def _read_csv(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """A CSV table as text columns (all-integer ones as integers), and the line each row starts on.

    The header names every column once, and every row has exactly its number of
    fields (blank lines, empty rows, are allowed): otherwise pandas would rename
    a duplicate column ``x.1``, or shift the columns of ragged rows.
    """
    text, _ = decode(file_bytes(path), source=path)
    lines = _check_fields(text, path)
    try:
        # Blank lines are rows (empty documents, skipped and reported), never silently dropped.
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False,
                            index_col=False)
        return table.pipe(_infer_numbers), lines
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV table ({str(exc).strip()}); check the file") from None


def _check_fields(text: str, path: Path) -> list[int]:
    """Refuse duplicate column names and ragged rows; return the line each data row starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, ragged, header = [], [], None
    try:
        with _field_size_limit(len(text) + 1):
            line = 1
            for row in reader:
                if header is None:
                    header = row
                elif row and len(row) != len(header):
                    ragged.append((line, len(row)))
                    starts.append(line)
                else:
                    starts.append(line)
                line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV table (line {reader.line_num}: {exc}); check the file") from None
    if header is None:
        return []
    names = [name.strip().lstrip("\ufeff") for name in header]
    for name in dict.fromkeys(names):
        at = [i for i, other in enumerate(names, start=1) if other == name]
        if name and len(at) > 1:
            raise InputError(f"{path}: column '{name}' appears {_times(len(at))} in the header (columns {_and(at)}); "
                             "give each column its own name")
    if ragged:
        where = first_names([f"line {n} ({k} field{'s' if k != 1 else ''})" for n, k in ragged])
        raise InputError(
            f"{path}: the header has {len(header)} fields but {len(ragged)} row(s) have another number: {where}; "
            'put a field that holds a comma in double quotes ("a, b") and give every row one field per column'
        )
    return starts


@contextmanager
def _field_size_limit(limit: int) -> Iterator[None]:
    """Let the csv module read fields as long as the whole text (its default stops at 128 KB), then restore it."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, min(limit, 2**31 - 1)))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _times(n: int) -> str:
    return "twice" if n == 2 else f"{n} times"


def _and(numbers: Sequence[int]) -> str:
    """``2 and 4``, ``2, 4 and 6``, ``2, 4, 6, 8, 10 and 3 more``."""
    shown = [str(n) for n in numbers[:NAMED]]
    if len(numbers) > NAMED:
        return f"{', '.join(shown)} and {len(numbers) - NAMED} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def _infer_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """Turn integer text columns (e.g. ``year``) into integers, leave the rest as text.

    A column is read as integers when every non-blank value is a whole number
    or a year written with 年 (``2019年`` is 2019); blank cells become missing
    values (nullable ``Int64``), so one document without a year does not turn
    the column into text.

    Examples
    --------
    >>> _infer_numbers(pd.DataFrame({"year": ["2019年", "2020", ""], "title": ["a", "b", "c"]})).year.tolist()
    [2019, 2020, <NA>]
    """
    for column in table.columns:
        values = table[column].astype(str).str.strip()
        blank = values.eq("")
        if not len(values) or blank.all():
            continue
        given = values[~blank]
        if not (given.str.fullmatch(r"-?\d{1,9}") | given.str.fullmatch(r"\d{4}\s*年")).all():
            continue
        numbers = values.str.replace(r"\s*年$", "", regex=True)
        if blank.any():
            table[column] = pd.array([int(v) if v else pd.NA for v in numbers], dtype="Int64")
        else:
            table[column] = numbers.astype("int64")
    return table


def _read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    """The chosen (default: first) sheet of a workbook; a notice names the sheets not read."""
    file_bytes(path)  # permission and I/O errors as for every other file
    try:
        with pd.ExcelFile(path, engine="openpyxl" if path.suffix.lower() == ".xlsx" else None) as book:
            names = [str(n) for n in book.sheet_names]
            if sheet is not None and sheet not in names:
                raise InputError(f"{path}: has no sheet '{sheet}' (sheets: {', '.join(names)}); choose one of them",
                                 parameter="sheet")
            chosen = sheet if sheet is not None else names[0]
            table = pd.read_excel(book, sheet_name=book.sheet_names[names.index(chosen)], dtype=str)
    except InputError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many types for a damaged workbook
        raise InputError(
            f"{path}: not a readable Excel workbook ({type(exc).__name__}: {str(exc).strip() or 'damaged'}); "
            "open it in Excel and save it again as .xlsx, or save it as .csv"
        ) from None
    if sheet is None and len(names) > 1:
        _notice(Note(f"{path}: read only the first sheet '{chosen}'; not read: {', '.join(names[1:])}; "
                     "choose one with the sheet setting", parameter="sheet"))
    return table.fillna("").pipe(_infer_numbers)


def _read_table(path: Path, text_column: str, sheet: str | None = None) -> list[Document]:
    table = _parse_csv(path) if path.suffix.lower() == ".csv" else _read_excel(path, sheet)
    table.columns = [str(c).strip().lstrip("\ufeff") for c in table.columns]
    if text_column not in table.columns:
        columns = ", ".join(table.columns) or "none: the table is empty"
        raise InputError(
            f"{path}: has no column '{text_column}' (columns: {columns}); "
            "name the text column",
            parameter="text_column",
        )
    if table.empty:
        raise InputError(f"{path}: the table has a '{text_column}' column but no rows; add one row per document")
    id_column = next((c for c in ("doc", "id") if c in table.columns and c != text_column), None)
    sha = hashlib.sha256(file_bytes(path)).hexdigest()
    meta = _rename_reserved(table.drop(columns=[text_column] + ([id_column] if id_column == "doc" else [])))
    ids = table[id_column].astype(str).tolist() if id_column else [f"{path.stem}-{i}" for i in range(1, len(table) + 1)]
    columns = {name: meta[name].tolist() for name in meta.columns}  # held once; each document views its row
    return [Document(doc=doc, text=str(text), path=f"{path}#row={i}", encoding="table", sha256=sha,
                     meta=TableRow(columns, i - 1) if columns else {})
            for i, (doc, text) in enumerate(zip(ids, table[text_column].tolist()), start=1)]


def _rename_reserved(table: pd.DataFrame) -> pd.DataFrame:
    return table.rename(columns={c: f"{c}_meta" for c in table.columns if c in RESERVED and c != "file"})


def _unique_ids(documents: list[Document]) -> list[Document]:
    """Make ids unique: a clash between files gets the parent folder as prefix, then ``~2``, ``~3``."""
    if len({d.doc for d in documents}) == len(documents):
        return documents
    sources: dict[str, set[str]] = {}
    for d in documents:
        sources.setdefault(d.doc, set()).add(d.path.split("#")[0])
    seen: set[str] = set()
    unique, renamed = [], []
    for d in documents:
        doc = d.doc
        parent = Path(d.path.split("#")[0]).parent.name
        if len(sources[doc]) > 1 and parent:
            doc = f"{parent}/{d.doc}"
        base, n = doc, 2
        while doc in seen:
            doc, n = f"{base}~{n}", n + 1
        seen.add(doc)
        if doc != d.doc:
            renamed.append(f"{d.doc} -> {doc}")
        unique.append(replace(d, doc=doc) if doc != d.doc else d)
    if renamed:
        _notice(f"document ids given more than once were made unique: {first_names(renamed)}")
    return unique
