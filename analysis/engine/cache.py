"""On-disk cache of segmentation results, so re-running a notebook or command does not re-segment.

One SQLite file in the per-user cache directory (:func:`analysis.config.cache_dir`,
e.g. ``~/.cache/zhgov-analysis`` on Linux, ``%LOCALAPPDATA%\\zhgov-analysis`` on
Windows; the environment variable ``ZHGOV_CACHE_DIR`` overrides it). Each entry
holds the word counts of one document (lexicon terms whole, stopwords and
punctuation already dropped), keyed by the sha256 of

- the document's cleaned text,
- the segmenter's signature (backend and version, jieba's version, HMM, the
  lexicon's terms), and
- the stopword list and the protected (lexicon) terms.

Any change to one of these gives a new key, so a stale entry is never used.
Only the main process writes the file; worker processes (and Dask workers
that see the same file system) open it read-only to look their documents up. ``python -m analysis cache
--info`` shows its size, ``--clear`` deletes it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from analysis.config import cache_dir
from analysis.errors import CacheError

FILE_NAME = "segments.sqlite"


def location() -> Path:
    """The cache file (its directory is created on demand).

    Examples
    --------
    >>> location().name
    'segments.sqlite'
    """
    return cache_dir() / FILE_NAME


def settings_digest(signature: str, stopwords: Iterable[str], protected: Iterable[str]) -> str:
    """The part of every key that describes how a text was turned into counts."""
    h = hashlib.sha256()
    for part in (signature, "\n".join(sorted(stopwords)), "\n".join(sorted(protected))):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def key(text: str, settings: str) -> str:
    """Cache key of one text under a :func:`settings_digest`.

    Examples
    --------
    >>> key("社区治理", "s") == key("社区治理", "s") != key("社区治理", "t")
    True
    """
    return hashlib.sha256(settings.encode("ascii") + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()


class SegmentCache:
    """Word counts by key, in one SQLite file; use as a context manager.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.sqlite"
    >>> with SegmentCache(path) as cache:
    ...     cache.put({"k": {"社区治理": 2}})
    ...     cache.get(["k", "missing"])
    {'k': {'社区治理': 2}}
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else location()
        try:
            if read_only:  # a worker's lookups: never creates or changes a file (it may be on another machine)
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                                           check_same_thread=False)  # closed by the thread that ends the run
                self._db.execute("SELECT 1 FROM counts LIMIT 1")
                return
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS counts (key TEXT PRIMARY KEY, words TEXT NOT NULL)")
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot open the segmentation cache ({exc}); "
                             "delete the file or run 'python -m analysis cache --clear'") from None

    def __enter__(self) -> SegmentCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def get(self, keys: list[str]) -> dict[str, dict[str, int]]:
        """The entries present among ``keys`` that are valid word counts.

        An entry that is not a mapping of words to whole numbers (a damaged or
        foreign file) is left out, so its document is segmented again and the
        entry rewritten; :attr:`repaired` counts them.
        """
        found: dict[str, dict[str, int]] = {}
        try:
            for i in range(0, len(keys), 500):
                batch = keys[i:i + 500]
                marks = ",".join("?" * len(batch))
                for k, words in self._db.execute(f"SELECT key, words FROM counts WHERE key IN ({marks})", batch):
                    value = _valid(words)
                    if value is None:
                        self.repaired += 1
                    else:
                        found[k] = value
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: the segmentation cache is damaged ({exc}); "
                             "run 'python -m analysis cache --clear'") from None
        return found

    def put(self, entries: dict[str, dict[str, int]]) -> None:
        """Store entries (replacing any with the same key)."""
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO counts VALUES (?, ?)",
                                     [(k, json.dumps(v, ensure_ascii=False)) for k, v in entries.items()])
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot write the segmentation cache ({exc}); "
                             "check free disk space, or run without the cache") from None

    repaired: int = 0

    def is_empty(self) -> bool:
        """Whether the cache holds no entry at all (a first run: every document will be segmented)."""
        try:
            return self._db.execute("SELECT 1 FROM counts LIMIT 1").fetchone() is None
        except sqlite3.Error:
            return False

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM counts").fetchone()[0]


def _valid(words: object) -> dict[str, int] | None:
    """Word counts read from the cache, or None when the entry is not ``{word: whole number > 0}``."""
    try:
        value = json.loads(words) if isinstance(words, str) else None
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    if all(isinstance(w, str) and type(n) is int and n > 0 for w, n in value.items()):
        return value
    return None


def info(path: str | Path | None = None) -> dict[str, object]:
    """Where the cache is, how many documents it holds and its size in bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> info(pathlib.Path(tempfile.mkdtemp()) / "none.sqlite")["entries"]
    0
    """
    path = Path(path) if path is not None else location()
    if not path.exists():
        return {"path": str(path), "entries": 0, "bytes": 0}
    with SegmentCache(path) as cache:
        entries = len(cache)
    return {"path": str(path), "entries": entries, "bytes": path.stat().st_size}


def clear(path: str | Path | None = None) -> int:
    """Delete the cache file; return how many entries it held."""
    path = Path(path) if path is not None else location()
    try:
        entries = int(info(path)["entries"])
    except CacheError:  # a damaged file is exactly what --clear is for
        entries = 0
    for extra in ("", "-journal", "-wal", "-shm"):
        candidate = path.with_name(path.name + extra)
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise CacheError(f"{candidate}: cannot be deleted ({exc.strerror}); close programs using it") from None
    return entries
