"""The local engine: a function over many tasks, in this process or in worker processes.

:class:`LocalExecutor` runs ``function(task, state)`` for every task and yields
the results in completion order. ``state`` (the run's settings: cleaning
options, a compiled lexicon, a segmenter) travels once per worker, not once
per task. Workers are started with the platform's own method (fork on Linux,
spawn on macOS and Windows); the functions they run are module-level, so the
same code works everywhere. A worker whose parent process dies (killed, out of
memory) notices within a second and exits, so no worker is left behind.

How many workers: one per :data:`CHARS_PER_WORKER` characters of input (or
bytes of files the workers read), at most ``jobs`` and one per task; when
that is one, the work runs in the calling process. Starting and feeding a
process costs more than it saves below that size (measured:
``benchmarks/run.py --workers``, see ``benchmarks/README.md``).
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager

import numpy as np

from analysis.engine.progress import progress_bar

#: A worker process is started for every this many characters of input (or bytes of files the workers read);
#: below twice this, the work stays in the calling process.
CHARS_PER_WORKER = 4_000_000
#: Tasks hold about this many characters (or bytes of files) each (see :func:`batches`).
BATCH_CHARS = 1_000_000
#: ... and at most this many items (a batch of many tiny documents returns a few bytes for each).
BATCH_ITEMS = 10_000

_STATE: dict = {}


def default_jobs() -> int:
    """The number of CPU cores this process may use (the default number of workers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def batches(sizes: Sequence[int], *, target: int = BATCH_CHARS, items: int = BATCH_ITEMS) -> list[range]:
    """Consecutive indexes grouped into batches of about ``target`` characters and at most ``items`` items
    (a big item alone).

    Examples
    --------
    >>> batches([5, 5, 20, 1], target=10)
    [range(0, 2), range(2, 3), range(3, 4)]
    >>> batches([1, 1, 1], items=2)
    [range(0, 2), range(2, 3)]
    """
    groups: list[range] = []
    start, filled = 0, 0
    for i, size in enumerate(np.asarray(sizes, dtype=np.int64).tolist()):
        if i > start and (filled + size > target or i - start >= items):
            groups.append(range(start, i))
            start, filled = i, 0
        filled += size
    if start < len(sizes):
        groups.append(range(start, len(sizes)))
    return groups


def workers(total: int, tasks: int, jobs: int) -> int:
    """Worker processes for ``tasks`` tasks of ``total`` characters: one per :data:`CHARS_PER_WORKER`, at most
    ``jobs`` and ``tasks`` (1: work in the calling process).

    Examples
    --------
    >>> workers(2_000_000, 10, 2), workers(50_000_000, 10, 2), workers(50_000_000, 1, 2)
    (1, 2, 1)
    """
    return max(1, min(jobs, tasks, total // max(1, CHARS_PER_WORKER)))


@contextmanager
def _interrupts_held() -> Iterator[bool]:
    """Hold Ctrl-C (SIGINT) back while worker processes are forked; yield whether it was held.

    A KeyboardInterrupt raised while ``os.fork`` runs its after-fork hooks in
    the parent is printed and dropped by Python ("Exception ignored in
    _releaseLock"), so a Ctrl-C at that moment would be lost and the run go
    on. Held back, it is delivered when the workers exist, as a normal
    KeyboardInterrupt. (Windows and macOS start workers without ``fork``.)
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield False
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield signal.SIGINT not in previous
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a Ctrl-C held back is raised here


def _install(state: object, parent: int, held: bool = False) -> None:
    """Worker initializer: keep the run's state, take Ctrl-C again if it was held while forking, and exit when
    the parent process is gone."""
    if held:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _STATE["state"] = state
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watchdog").start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:  # re-parented: the main process died without shutting us down
            os._exit(1)


def _apply(function: Callable, task: object) -> object:
    return function(task, _STATE["state"])


class LocalExecutor:
    """Runs tasks in this process or on ``jobs`` worker processes of this machine.

    Parameters
    ----------
    jobs : int, optional
        Worker processes (default: all cores; 1: none).
    progress : bool, optional
        Progress bar: ``None`` where someone can see it, ``False`` never.

    Examples
    --------
    >>> def double(task, state):
    ...     return task * state
    >>> list(LocalExecutor(jobs=1).map(double, [1, 2], sizes=[1, 1], state=2, desc="x"))
    [2, 4]
    """

    def __init__(self, *, jobs: int | None = None, progress: bool | None = None):
        self.jobs = jobs if jobs is not None else default_jobs()
        self.progress = progress

    def map(self, function: Callable, tasks: Sequence, *, sizes: Sequence[int], state: object,
            desc: str) -> Iterator:
        """Yield ``function(task, state)`` for every task, in completion order.

        At most two tasks per worker are in flight, so the main process never
        holds more than a few pending results. ``sizes`` (characters per task)
        drive the progress bar and the choice to stay in-process.
        """
        total = int(sum(sizes))
        bar = progress_bar(total=total, desc=desc, progress=self.progress)
        stack = ExitStack()
        try:
            jobs = workers(total, len(tasks), self.jobs)
            if jobs == 1:
                for task, size in zip(tasks, sizes):
                    yield function(task, state)
                    bar.update(size)
                return
            # Forked workers share the parent's memory until they write to it; their garbage collector would
            # touch (and so copy) every object the parent holds. Frozen objects are left alone.
            gc.freeze()
            stack.callback(gc.unfreeze)
            pending: dict = {}
            queue = iter(zip(tasks, sizes))
            with _interrupts_held() as held:  # the workers are started by the first submissions
                pool = stack.enter_context(ProcessPoolExecutor(max_workers=jobs, initializer=_install,
                                                               initargs=(state, os.getpid(), held)))
                for task, size in queue:
                    pending[pool.submit(_apply, function, task)] = size
                    if len(pending) >= 2 * jobs:
                        break
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    size = pending.pop(future)
                    yield future.result()
                    bar.update(size)
                    following = next(queue, None)
                    if following is not None:
                        pending[pool.submit(_apply, function, following[0])] = following[1]
        finally:
            stack.close()
            bar.close()
