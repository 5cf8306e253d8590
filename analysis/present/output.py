"""Writing result tables: CSV (UTF-8 with BOM, so Excel shows Chinese), XLSX, or for papers DOCX and TeX, atomically and safely.

``.docx`` and ``.tex`` are three-line tables for papers
(:mod:`analysis.present.paper_tables`: bilingual headers, glosses, rounded
numbers, denominators in a note); their cells are plain text.

- **Atomic**: a file is first written to a temporary file beside the target
  and then renamed over it (:mod:`analysis.present.atomic`), so an
  interrupted run leaves either the old file or the new one, never half of one.
- **Never over an input**: :func:`check_output` refuses a path that is one of
  the files the run reads (an input, a file in an input folder, a manifest,
  the lexicon, a stopword list), and checks that the folder can be written,
  before anything is computed or written.
- **No live formulas**: spreadsheet programs run a cell that starts with
  ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return before one) as a
  formula. In CSV, such a text cell gets a leading apostrophe (OWASP's rule;
  Excel shows the text as written), never a numeric cell; ``raw=True``
  (``--raw-csv``) writes the bytes untouched for pipelines. In XLSX, every
  text cell is stored as text, never as a formula.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analysis.errors import OutputError
from analysis.lexicon import Lexicon
from analysis.present import paper_tables
from analysis.present.atomic import write_atomically

SUFFIXES = (".csv", ".xlsx", ".docx", ".tex")
#: Formats for papers (three-line tables), written by :mod:`analysis.present.paper_tables`.
PAPER_SUFFIXES = (".docx", ".tex")
#: Characters that make a spreadsheet read a cell as a formula when they start it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limits: rows per sheet (header included) and characters per cell.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767
#: Characters an XLSX file cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def neutralize_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula, with a leading apostrophe; numbers untouched.

    Examples
    --------
    >>> t = pd.DataFrame({"doc": ["=1+1", "社区治理", "-党建"], "count": [-1, 2, 3]})
    >>> neutralize_formulas(t).values.tolist()
    [["'=1+1", -1], ['社区治理', 2], ["'-党建", 3]]
    """
    changed = None
    for column in table.columns:
        values = table[column]
        if values.dtype != object and not pd.api.types.is_string_dtype(values):
            continue
        risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))
        if risky.any():
            changed = table.copy() if changed is None else changed
            changed[column] = values.where(~risky, "'" + values.astype(str))
    return table if changed is None else changed


def write_table(table: pd.DataFrame, path: str | Path | None = None, *, stream: BinaryIO | None = None,
                raw: bool = False, lexicon: Lexicon | None = None, pinyin: bool = False, caption: str = "") -> None:
    """Write a table to ``path`` (``.csv``, ``.xlsx``, ``.docx``, ``.tex``), or as UTF-8 CSV to ``stream``/stdout.

    Parameters
    ----------
    table : DataFrame
        The result table; its index is not written.
    path : str or Path, optional
        ``.csv`` files get a UTF-8 byte-order mark (Excel needs it to show
        Chinese); ``.xlsx`` files are written with openpyxl, every text cell
        as text. Without a path the table goes to ``stream`` (default:
        standard output) as plain UTF-8.
    raw : bool, default False
        CSV only: do not neutralise text cells that start like a formula.
    lexicon : Lexicon, optional
        ``.docx``/``.tex`` only: the English glosses of the concepts.
    pinyin : bool, default False
        ``.docx``/``.tex`` only: a pinyin column after each concept column.
    caption : str, optional
        ``.docx``/``.tex`` only: the caption above the table.

    Raises
    ------
    OutputError
        For an unknown suffix, a missing folder or a path that cannot be
        written, a table larger than Excel allows, or standard output that
        cannot be written.
    """
    if path is None:
        data = (table if raw else neutralize_formulas(table)).to_csv(index=False, lineterminator="\n")
        _write_stream(data.encode("utf-8"), stream)
        return
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'result.csv'}")
    if suffix not in SUFFIXES:
        raise OutputError(f"{path}: unknown output format '{suffix or '(none)'}'; name the file "
                          f"{one_of(SUFFIXES)}")
    if suffix == ".xlsx":
        _check_xlsx_limits(table, path)
    if suffix in PAPER_SUFFIXES:
        paper = paper_tables.prepare(table, lexicon=lexicon, pinyin=pinyin, caption=caption)
        if suffix == ".docx":
            write_atomically(path, lambda handle: paper_tables.write_docx(paper, handle))
        else:
            text = paper_tables.to_latex(paper)
            write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))
        return
    write_atomically(path, lambda handle: _write(table, handle, suffix, path, raw=raw))


def _write_stream(data: bytes, stream: BinaryIO | None) -> None:
    out = stream
    if out is None:
        out = getattr(sys.stdout, "buffer", None) if sys.stdout is not None else None
    if out is None or getattr(out, "closed", False):
        raise OutputError("standard output is closed; write the table to a file with an output path (-o FILE)")
    try:
        out.write(data)
        out.flush()
    except BrokenPipeError:
        raise  # the reader left (`... | head`): the command line ends quietly
    except OSError as exc:
        raise OutputError(f"standard output cannot be written ({exc.strerror or exc}); "
                          "write the table to a file with an output path (-o FILE)") from None


def check_output(path: str | Path, *, reads: Iterable[str | Path] = (), suffixes: tuple[str, ...] = SUFFIXES,
                 what: str = "output") -> Path:
    """Check an output path before the run does anything: never an input, a known format, a writable folder.

    Parameters
    ----------
    path : str or Path
        Where the run will write.
    reads : iterable of paths
        Every file the run reads (inputs, files of input folders, manifests,
        the lexicon, stopword lists).
    suffixes : tuple of str
        The formats this output may have.
    what : str
        What the file is, for messages ("output", "provenance").

    Raises
    ------
    OutputError
        If the path is a file the run reads, a folder, of an unknown format,
        or in a folder that does not exist or cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "in.csv").write_text("text\\n社区治理\\n", encoding="utf-8")
    10
    >>> check_output(folder / "out.csv", reads=[folder / "in.csv"]).name
    'out.csv'
    >>> check_output(folder / "in.csv", reads=[folder / "in.csv"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.errors.OutputError: ...in.csv: is a file this run reads; writing the output there would destroy it; choose another output path
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / ('result' + suffixes[0])}")
    if path.suffix.lower() not in suffixes:
        raise OutputError(f"{path}: unknown {what} format '{path.suffix or '(none)'}'; "
                          f"name the file {one_of(suffixes)}")
    if is_one_of(path, reads):
        raise OutputError(f"{path}: is a file this run reads; writing the {what} there would destroy it; "
                          "choose another output path")
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{path}: {folder} is a file, not a folder; choose another output path")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist; create it or choose another output path")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write in {folder} (permission denied); choose another output path")
    return path


def one_of(suffixes: tuple[str, ...]) -> str:
    """Suffixes as a choice in a sentence.

    Examples
    --------
    >>> one_of((".csv", ".xlsx", ".docx")), one_of((".json",))
    ('.csv, .xlsx or .docx', '.json')
    """
    return suffixes[0] if len(suffixes) == 1 else f"{', '.join(suffixes[:-1])} or {suffixes[-1]}"


def is_one_of(path: str | Path, files: Iterable[str | Path]) -> bool:
    """Whether ``path`` is (resolves to, or is a hard link of) one of ``files``."""
    path = Path(path)
    target = path.resolve()
    for other in files:
        other = Path(other)
        try:
            if other.resolve() == target or (path.exists() and other.exists() and os.path.samefile(path, other)):
                return True
        except OSError:
            continue
    return False


def _check_xlsx_limits(table: pd.DataFrame, path: Path) -> None:
    if len(table) + 1 > XLSX_MAX_ROWS:
        raise OutputError(f"{path}: the table has {len(table):,} rows, more than an Excel sheet holds "
                          f"({XLSX_MAX_ROWS - 1:,} plus the header); write a .csv file instead")
    for column in [str(c) for c in table.columns]:
        if _XLSX_ILLEGAL.search(column):
            raise OutputError(f"{path}: a column name contains control characters (U+0000-U+001F) that Excel "
                              "cannot store; write a .csv file instead")
    for column in table.columns:
        values = table[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            if values.map(lambda v: isinstance(v, str) and _XLSX_ILLEGAL.search(v) is not None).any():
                raise OutputError(f"{path}: the table contains control characters (U+0000-U+001F) that Excel "
                                  "cannot store; write a .csv file instead")
            lengths = values.map(lambda v: len(v) if isinstance(v, str) else 0)
            if len(lengths) and lengths.max() > XLSX_MAX_CELL:
                row = int(np.argmax(lengths.to_numpy()))
                raise OutputError(f"{path}: a cell of column '{column}' (row {row + 2}) has {int(lengths.max()):,} "
                                  f"characters, more than an Excel cell holds ({XLSX_MAX_CELL:,}); Excel would cut "
                                  "it, so write a .csv file instead")


def _write(table: pd.DataFrame, handle: BinaryIO, suffix: str, path: Path, *, raw: bool = False) -> None:
    if suffix == ".csv":
        data = (table if raw else neutralize_formulas(table)).to_csv(index=False, lineterminator="\n")
        handle.write(data.encode("utf-8-sig"))
    else:
        _write_xlsx(table, handle, path)


def _write_xlsx(table: pd.DataFrame, handle: BinaryIO, path: Path) -> None:
    """Every text cell as text (never a formula), numbers as numbers, missing values empty."""
    # heavy (~0.1 s): imported only when writing .xlsx
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet()

    def cell(value):
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        if isinstance(value, np.generic):
            value = value.item()
        if not isinstance(value, (str, int, float, bool)):
            value = str(value)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # text as written, even when it starts with "="
        return written

    sheet.append([cell(str(c)) for c in table.columns])  # control characters were refused before
    for row in table.itertuples(index=False, name=None):
        sheet.append([cell(v) for v in row])
    book.save(handle)
