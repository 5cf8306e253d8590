"""Writing result tables: CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX, atomically.

A file is first written to a temporary file beside the target and then
renamed over it, so an interrupted run leaves either the old file or the new
one, never half of one.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from analysis.errors import OutputError

SUFFIXES = (".csv", ".xlsx")


def write_table(table: pd.DataFrame, path: str | Path | None = None, *, stream: BinaryIO | None = None) -> None:
    """Write a table to ``path`` (``.csv`` or ``.xlsx``), or as UTF-8 CSV to ``stream``/stdout.

    Parameters
    ----------
    table : DataFrame
        The result table; its index is not written.
    path : str or Path, optional
        ``.csv`` files get a UTF-8 byte-order mark (Excel needs it to show
        Chinese); ``.xlsx`` files are written with openpyxl. Without a path
        the table goes to ``stream`` (default: standard output) as plain UTF-8.

    Raises
    ------
    OutputError
        For an unknown suffix, a missing folder or a path that cannot be written.
    """
    if path is None:
        out = stream if stream is not None else sys.stdout.buffer
        out.write(table.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        out.flush()
        return
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'result.csv'}")
    if suffix not in SUFFIXES:
        raise OutputError(f"{path}: unknown output format '{suffix or '(none)'}'; name the file .csv or .xlsx")
    write_atomically(path, lambda handle: _write(table, handle, suffix, path))


def write_atomically(path: Path, write) -> None:
    """Call ``write(binary_handle)`` on a temporary file beside ``path``, then rename it to ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{path}: {folder} is a file, not a folder; choose another output path")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist; create it or choose another output path")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'result.csv'}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {folder} ({exc.strerror}); choose another output path") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot be written ({exc.strerror}); choose another output path") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write(table: pd.DataFrame, handle: BinaryIO, suffix: str, path: Path | None = None) -> None:
    if suffix == ".csv":
        handle.write(table.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))
    else:
        from openpyxl.utils.exceptions import IllegalCharacterError  # heavy (~0.1 s): only when writing .xlsx

        try:
            table.to_excel(handle, index=False, engine="openpyxl")
        except IllegalCharacterError:
            raise OutputError(
                f"{path}: the table contains control characters (U+0000-U+001F) that Excel cannot store; "
                "write a .csv file instead"
            ) from None
