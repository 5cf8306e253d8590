"""The order a report's notebooks start in: longest first, by the time each took in the last run.

A report runs its notebooks on a few kernels side by side. Started in file
order, the long notebooks may come last and leave the other kernels idle
while they finish; started longest first, the short ones fill in at the end
(longest-processing-time-first scheduling, as build tools order their jobs
by the times of the previous build). Each notebook's time is kept in the
cache folder, by file name; a notebook without a time yet starts first, in
file order. The order changes only when notebooks start, never the pages:
the report puts them back in file order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from analysis.config import cache_dir
from analysis.errors import CacheError, OutputError
from analysis.present.atomic import write_atomically

#: The file in the cache folder holding each notebook's last running time (seconds, by file name).
TIMES_FILE = "report-notebook-seconds.json"


def _times_path() -> Path | None:
    try:
        return cache_dir() / TIMES_FILE
    except CacheError:
        return None


def last_times() -> dict[str, float]:
    """Seconds each notebook took in the last report run, by file name (empty when none is known)."""
    path = _times_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def longest_first(paths: Sequence[Path], times: Mapping[str, float] | None = None) -> list[Path]:
    """``paths`` in the order to start them: those without a known time first (in the given order), then the
    others by their last time, longest first.

    Examples
    --------
    >>> [p.name for p in longest_first([Path("00-index.ipynb"), Path("02-concept.ipynb"), Path("09-new.ipynb")],
    ...                                {"00-index.ipynb": 1.5, "02-concept.ipynb": 6.0})]
    ['09-new.ipynb', '02-concept.ipynb', '00-index.ipynb']
    """
    times = last_times() if times is None else times
    return sorted(paths, key=lambda p: -times.get(p.name, float("inf")))


def remember(seconds: Mapping[str, float]) -> None:
    """Keep these notebooks' times (seconds, by file name) beside the others known; nothing if the cache is
    not writable."""
    path = _times_path()
    if path is None or not seconds:
        return
    times = {**last_times(), **{name: round(float(s), 3) for name, s in seconds.items()}}
    text = json.dumps(times, ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        write_atomically(path, lambda handle: handle.write(text))
    except OutputError:
        pass  # the next run starts its notebooks in file order
