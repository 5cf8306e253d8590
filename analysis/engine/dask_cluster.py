"""The Dask engine: the same tasks as the local engine, run on a Dask cluster.

:class:`DaskExecutor` has the interface of
:class:`analysis.engine.pool.LocalExecutor`: every caller (cleaning and
counting, segmentation) hands it the same module-level function and state, so
a result on a cluster is the one computed locally. The cluster's workers need
this package installed (``pip install "zhgov-analysis[dask]"``).

Dask is an optional extra; it is imported only when this engine is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from analysis.errors import EngineError

#: Bag partitions hold about this many characters (at least two partitions).
PARTITION_CHARS = 4_000_000
#: Tasks on a cluster hold at most about this many characters (:func:`_chunks`): each cluster task costs the
#: scheduler, the worker and the client a few milliseconds, which 1 MB tasks pay 100 times per 100 MB.
CLUSTER_TASK_CHARS = 12_000_000


def _bag():
    try:
        import dask.bag as bag  # optional extra: imported only when the Dask engine is chosen
    except ImportError:
        raise EngineError("the dask engine needs Dask; install it with: pip install \"zhgov-analysis[dask]\" "
                          "(or conda install dask distributed)", parameter="engine") from None
    return bag


def _apply_partition(tasks: Sequence, function: Callable, state: object) -> list:
    """Runs on a Dask worker: ``function(task, state)`` for each task of a partition."""
    return [function(task, state) for task in tasks]


class DaskExecutor:
    """Runs tasks on a Dask cluster (``scheduler``) or on Dask's local process scheduler.

    Parameters
    ----------
    scheduler : str or distributed.Client, optional
        A scheduler address (``tcp://host:8786``) or a connected client.
        Default: Dask's local scheduler with processes on this machine.
    partitions : int, optional
        Number of bag partitions (default: about one per 4 MB of text, at least 2).
    """

    def __init__(self, *, scheduler=None, partitions: int | None = None):
        self.scheduler = scheduler
        self.partitions = partitions

    def map(self, function: Callable, tasks: Sequence, *, sizes: Sequence[int], state: object,
            desc: str) -> Iterator:
        """Yield ``function(task, state)`` for every task.

        On a cluster (``scheduler`` given) the state is sent to every worker
        once, consecutive tasks are grouped into Dask tasks (:func:`_chunks`:
        larger ones first, single tasks last; tasks carry file paths, not
        texts, wherever the caller can: see :func:`analysis.text.corpus.clean`),
        results are fetched as Dask tasks finish and released on the cluster right
        away, so nothing of the corpus stays on the scheduler. Without a
        scheduler, Dask's local process scheduler runs the tasks in partitions
        (in task order).
        """
        if not tasks:
            return
        client, own = _client(self.scheduler)
        if client is None:
            yield from self._local(function, tasks, sizes, state)
            return
        from distributed import as_completed  # optional extra

        futures = []
        try:
            shared = client.scatter(state, broadcast=True, hash=False)
            futures = [client.submit(_apply_partition, chunk, function, shared, pure=False)
                       for chunk in _chunks(tasks, sizes, _threads(client))]
            for future, results in as_completed(futures, with_results=True):  # fetched as they finish
                future.release()
                yield from results
        except OSError as exc:
            raise EngineError(f"cannot reach the Dask scheduler {self.scheduler} ({exc}); check the address "
                              "and that the scheduler is running", parameter="scheduler") from None
        finally:
            for future in futures:
                future.release()
            if own:
                client.close()

    def _local(self, function: Callable, tasks: Sequence, sizes: Sequence[int], state: object) -> Iterator:
        bag = _bag()
        total = int(sum(sizes))
        npartitions = self.partitions or max(2, total // PARTITION_CHARS + 1)
        results = bag.from_sequence(list(tasks), npartitions=min(npartitions, len(tasks))).map_partitions(
            _apply_partition, function, state)
        yield from results.compute(scheduler="processes")


def _threads(client) -> int:
    """The cluster's worker threads (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def _chunks(tasks: Sequence, sizes: Sequence[int], threads: int) -> list[list]:
    """Consecutive tasks grouped into cluster tasks, largest first: each holds about an eighth per worker thread
    of the characters still to come (at most :data:`CLUSTER_TASK_CHARS`), so there are few cluster tasks and the
    last ones are single tasks that even out the workers' finishing times ("guided" scheduling).

    >>> [len(chunk) for chunk in _chunks(list(range(40)), [1] * 40, threads=1)]
    [5, 4, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    """
    remaining = int(sum(sizes))
    chunks, chunk, held = [], [], 0
    for task, size in zip(tasks, sizes):
        if not chunk:
            target = min(CLUSTER_TASK_CHARS, remaining // (8 * threads))
        chunk.append(task)
        held += size
        remaining -= size
        if held >= target:
            chunks.append(chunk)
            chunk, held = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _client(scheduler):
    """``(client, created_here)`` for a scheduler address or client; ``(None, False)`` for the local default."""
    if scheduler is None:
        return None, False
    if not isinstance(scheduler, str):
        return scheduler, False
    try:  # not dask.bag (~0.5 s to import), which only the local default uses
        from distributed import Client  # optional extra
    except ImportError:
        raise EngineError("a Dask scheduler needs Dask and dask.distributed; install them with: "
                          "pip install \"zhgov-analysis[dask]\" (or conda install dask distributed)",
                          parameter="scheduler") from None
    if "://" not in scheduler and ":" not in scheduler:
        raise EngineError(f"'{scheduler}' is not a Dask scheduler address; give one such as tcp://10.0.0.5:8786",
                          parameter="scheduler")
    try:
        return Client(scheduler, timeout="10s"), True
    except (ValueError, TypeError) as exc:
        raise EngineError(f"'{scheduler}' is not a Dask scheduler address ({exc}); give one such as "
                          "tcp://10.0.0.5:8786", parameter="scheduler") from None
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"cannot reach the Dask scheduler {scheduler} ({exc}); check the address "
                          "and that the scheduler is running", parameter="scheduler") from None
