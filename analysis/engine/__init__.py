"""How work runs: in this process, on local worker processes, or on a Dask cluster; plus the on-disk cache.

The engine is a parameter of every computation that can be spread out, not a
second implementation of it: callers hand :func:`executor` a module-level
function and its state, and the same function runs wherever the settings say.
This layer knows nothing of texts or lexicons.
"""

from __future__ import annotations

from analysis.config import Settings
from analysis.engine.dask_cluster import DaskExecutor
from analysis.engine.pool import LocalExecutor


def executor(settings: Settings) -> LocalExecutor | DaskExecutor:
    """The executor a run's settings ask for (``settings.engine``, ``jobs``, ``scheduler``, ``progress``).

    Examples
    --------
    >>> type(executor(Settings(jobs=1))).__name__
    'LocalExecutor'
    """
    if settings.engine == "dask":
        return DaskExecutor(scheduler=settings.scheduler)
    return LocalExecutor(jobs=settings.jobs, progress=settings.progress)
