"""Writing a file atomically: into a temporary file beside it, then renamed over it.

An interrupted run leaves either the old file or the new one, never half of
one. Temporary files are named ``.<name>.zhgov-<pid>-<random>.tmp``; one
left behind by a run that was killed (SIGKILL, power loss) is recognised and
removed by the next write to the same place. Every file the project writes
(tables, reports, fonts, caches) goes through :func:`write_atomically`; this
module needs nothing beyond the standard library, so a process that only
writes files starts quickly.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from analysis.errors import OutputError

_TEMP = re.compile(r"^\.(?P<name>.+)\.zhgov-(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp$")
#: A temporary file of ours older than this is stale even if its process id is in use again (seconds).
_STALE_AFTER = 24 * 3600


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(binary_handle)`` on a temporary file beside ``path``, then rename it to ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{path}: {folder} is a file, not a folder; choose another output path")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist; create it or choose another output path")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'result.csv'}")
    remove_stale_temporaries(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.zhgov-{os.getpid()}-", suffix=".tmp", dir=folder)
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


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove temporary files of ours for ``path`` left by runs that no longer exist; return them.

    A temporary file is stale when the process that made it is gone (POSIX),
    or when it is older than a day.
    """
    folder = path.parent if str(path.parent) else Path(".")
    removed = []
    try:
        candidates = list(folder.glob(f".{glob_escape(path.name)}.zhgov-*.tmp"))
    except OSError:
        return removed
    for candidate in candidates:
        match = _TEMP.match(candidate.name)
        if not match or match["name"] != path.name:
            continue
        try:
            old = time.time() - candidate.stat().st_mtime > _STALE_AFTER
            if old or not _alive(int(match["pid"])):
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue
    return removed


def glob_escape(name: str) -> str:
    """A file name with glob's special characters escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill would terminate the process there: rely on the age instead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
