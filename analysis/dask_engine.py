"""Concept counts on a Dask cluster: the same counting, spread over many machines.

Documents are read where the command runs (so ids, metadata and encodings
are the usual ones), sent to the cluster as a ``dask.bag``, cleaned and
counted there by the same function the local worker processes run
(:func:`analysis.parallel._clean_batch`), and merged into the same table.
The cluster's workers need this package installed (``pip install
"zhgov-analysis[dask]"`` in their environment).

Dask is an optional extra: ``pip install "zhgov-analysis[dask]"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from analysis.errors import AnalysisError
from analysis.lexicon import Lexicon


class DaskError(AnalysisError):
    """Dask is not installed, or the scheduler cannot be reached."""


def _require_dask():
    try:
        import dask.bag as bag
    except ImportError:
        raise DaskError("--engine dask needs Dask; install it with: pip install \"zhgov-analysis[dask]\" "
                        "(or conda install dask distributed)") from None
    return bag


def _partition(items: list, state: dict) -> list:
    """Runs on a Dask worker: clean and count a partition's documents."""
    from analysis import parallel

    parallel._init_worker(state)
    return parallel._clean_batch(list(items))


def count_table(
    paths: str | Path | Sequence[str | Path],
    lexicon: Lexicon,
    *,
    level: str = "concept",
    by: str | None = None,
    scheduler=None,
    partitions: int | None = None,
    keep_duplicates: bool = False,
    join_han_spaces: bool = True,
    simplified: bool = False,
    **read_options,
):
    """Concept (or term) frequencies computed on Dask; equal to :func:`analysis.parallel.count_table`.

    Parameters
    ----------
    paths, lexicon, level, by, keep_duplicates, join_han_spaces, simplified, **read_options
        As for :func:`analysis.parallel.count_table`.
    scheduler : str or distributed.Client, optional
        A scheduler address (``tcp://host:8786``) or a connected client.
        Default: Dask's local scheduler with processes on this machine.
    partitions : int, optional
        Number of bag partitions (default: about one per 4 MB of text, at least 2).

    Returns
    -------
    table : DataFrame
    corpus : Corpus

    Raises
    ------
    DaskError
        If Dask is not installed or the scheduler cannot be reached.
    """
    from analysis import corpus
    from analysis.clean import CleanOptions
    from analysis.parallel import _concept_codes, tables_from_counts

    if level not in ("concept", "term"):
        raise AnalysisError(f"unknown level '{level}'; choose concept or term")
    bag = _require_dask()
    options = CleanOptions(simplified=simplified, han_spaces=join_han_spaces, dedupe=not keep_duplicates)
    documents = corpus.read(paths, **read_options)
    state = {"options": options, "terms": lexicon.terms, "concept_codes": _concept_codes(lexicon)}
    items = [(i, d.text) for i, d in enumerate(documents)]
    total = sum(len(d.text) for d in documents)
    npartitions = partitions or max(2, min(len(items), total // 4_000_000 + 1))
    results = bag.from_sequence(items, npartitions=min(npartitions, len(items))).map_partitions(_partition, state)
    client, own = _client(scheduler)
    try:
        if client is not None:
            computed = results.compute(scheduler=client)
        else:
            computed = results.compute(scheduler="processes")
    except OSError as exc:
        raise DaskError(f"cannot reach the Dask scheduler {scheduler} ({exc}); check the address "
                        "and that the scheduler is running") from None
    finally:
        if own:
            client.close()
    cleaned: list = [None] * len(documents)
    counts: list = [None] * len(documents)
    for index, result, found in computed:
        cleaned[index], counts[index] = result, found
    corp = corpus.from_documents(documents, options, cleaned_texts=cleaned)
    return tables_from_counts(corp, documents, counts, lexicon, level=level, by=by), corp


def _client(scheduler):
    """``(client, created_here)`` for a scheduler address or client; ``(None, False)`` for the local default."""
    if scheduler is None:
        return None, False
    if not isinstance(scheduler, str):
        return scheduler, False
    try:
        from distributed import Client
    except ImportError:
        raise DaskError("--scheduler needs dask.distributed; install it with: pip install \"zhgov-analysis[dask]\"") from None
    try:
        return Client(scheduler, timeout="10s"), True
    except (OSError, TimeoutError) as exc:
        raise DaskError(f"cannot reach the Dask scheduler {scheduler} ({exc}); check the address "
                        "and that the scheduler is running") from None
