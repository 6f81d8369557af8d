"""Engines that run the per-file work in other processes: a local process pool, or Dask.

Both send runs of uncached input files ("shards") to workers. A worker runs
:func:`process_shard` — which runs :meth:`extract.dataset.work.FileWork.local_results`, the
very function of the single-process build — and returns plain rows; the main process keeps what
must be sequential (cache, duplicate detection across files, writing). So every engine gives
the same dataset. Results come back in input order with a bounded number of shards in flight.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from extract.dataset.config import BuildConfig
from extract.dataset.work import FileResult, FileWork
from extract.errors import UsageError

if TYPE_CHECKING:
    from spacy.language import Language

    from extract.read.inputs import InputFile


# A shard closes at 4 files or 256 kB, so a long page goes to a worker on its own.
FILES_PER_SHARD = 4
BYTES_PER_SHARD = 256_000
# Shards running or queued on the workers, per worker.
SHARDS_PER_WORKER_IN_FLIGHT = 3
# Finished shards (and cache hits) held while an earlier, longer shard still runs: the other
# workers keep busy instead of idling until the long one is done.
MAX_WAITING = 64

Rows = list[dict[str, Any]]
ShardOutput = list[tuple[Rows, Rows, Rows, bool]]


class _Pending(Protocol):
    def result(self) -> ShardOutput: ...

    def done(self) -> bool: ...


def process_shard(items: Sequence[InputFile], config: BuildConfig, nlp: Language) -> ShardOutput:
    """The per-file work on a worker: each file's document, claim and sentence rows, and
    whether they may be cached."""
    # The same settings, run here and now: a worker never starts workers of its own.
    single = replace(config, n_process=1, engine="local", scheduler=None)
    run = FileWork(single, nlp, None)
    return [
        (r.doc_rows, r.claim_rows, r.sentence_rows, r.cacheable) for r in run.local_results(items)
    ]


def sharded_results(
    run: FileWork,
    files: Sequence[InputFile],
    submit: Callable[[list[InputFile]], _Pending],
    workers: int,
) -> Iterator[FileResult]:
    """Every input file's result in order: cache hits here, shards of misses on workers.

    Results are yielded in input order, but work is not held back by it: while the shard at
    the head of the queue still runs (a long page), later shards keep being submitted and
    their finished results wait, up to ``MAX_WAITING`` entries.
    """
    in_flight = workers * SHARDS_PER_WORKER_IN_FLIGHT
    queue: deque[tuple[str, Any]] = deque()  # ("ready", result) or ("shard", (pending, results))
    shard: list[FileResult] = []
    shard_bytes = 0

    def flush() -> None:
        nonlocal shard_bytes
        if shard:
            queue.append(("shard", (submit([r.item for r in shard]), list(shard))))
            shard.clear()
            shard_bytes = 0

    def running() -> int:
        return sum(kind == "shard" and not payload[0].done() for kind, payload in queue)

    def drain(final: bool) -> Iterator[FileResult]:
        while queue:
            kind, payload = queue[0]
            head_running = kind == "shard" and not final and not payload[0].done()
            if head_running and running() < in_flight and len(queue) < in_flight + MAX_WAITING:
                return  # room for more work: submit before waiting on the head
            queue.popleft()
            if kind == "ready":
                yield payload
                continue
            pending, results = payload
            for result, output in zip(results, pending.result(), strict=True):
                result.doc_rows, result.claim_rows, result.sentence_rows, result.cacheable = output
                yield result

    for item in files:
        result = run.lookup(item)
        if result.cached is not None:
            flush()
            queue.append(("ready", result))
        else:
            if shard and shard_bytes + item.size > BYTES_PER_SHARD:
                flush()
            shard.append(result)
            shard_bytes += item.size
            if len(shard) >= FILES_PER_SHARD or shard_bytes >= BYTES_PER_SHARD:
                flush()
        yield from drain(final=False)
    flush()
    yield from drain(final=True)


# --- local process pool ---------------------------------------------------------------------

# Each pool worker's pipeline: inherited from the parent when the pool forks, so the model is
# loaded once, by the parent, and never pickled.
_pool_pipeline: Language | None = None


def _init_pool_worker(nlp: Language) -> None:
    global _pool_pipeline
    _pool_pipeline = nlp


def _pool_shard(items: Sequence[InputFile], config: BuildConfig) -> ShardOutput:
    assert _pool_pipeline is not None, "pool worker started without a pipeline"
    return process_shard(items, config, _pool_pipeline)


class _AsyncShard:
    def __init__(self, pending: Any) -> None:
        self.pending = pending

    def result(self) -> ShardOutput:
        output: ShardOutput = self.pending.get()
        return output

    def done(self) -> bool:
        return bool(self.pending.ready())


def pool_results(run: FileWork, files: Sequence[InputFile]) -> Iterator[FileResult]:
    """``--n-process N``: N forked workers share the parent's pipeline (loaded once, by the
    parent, on the first cache miss; an all-cached rebuild starts no worker)."""
    pool: Any = None

    def submit(items: list[InputFile]) -> _Pending:
        nonlocal pool
        if pool is None:
            context = multiprocessing.get_context("fork")
            pool = context.Pool(run.config.n_process, _init_pool_worker, (run.get_nlp(),))
        return _AsyncShard(pool.apply_async(_pool_shard, (items, run.config)))

    try:
        yield from sharded_results(run, files, submit, run.config.n_process)
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        if pool is not None:
            pool.terminate()


# --- Dask -----------------------------------------------------------------------------------


def _dask_shard(items: Sequence[InputFile], config: BuildConfig) -> ShardOutput:
    """Run on a Dask worker; the pipeline is loaded on its first shard and kept there."""
    from distributed import get_worker

    from extract.nlp.pipeline import load_pipeline

    worker = get_worker()
    pipelines: dict[str, Language] = getattr(worker, "claimset_pipelines", {})
    if config.model not in pipelines:
        pipelines[config.model] = load_pipeline(config.model)
        setattr(worker, "claimset_pipelines", pipelines)  # noqa: B010  (kept per worker)
    return process_shard(items, config, pipelines[config.model])


def _dask_client(scheduler: str | None) -> Any:
    try:
        import distributed
    except ImportError as error:
        raise UsageError("--engine dask needs Dask: pip install 'claimset[dask]'") from error
    dask: Any = distributed  # its classes are untyped
    if scheduler:
        return dask.Client(scheduler)
    cluster = dask.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    return dask.Client(cluster)


def dask_results(run: FileWork, files: Sequence[InputFile]) -> Iterator[FileResult]:
    """``--engine dask``: shards on the cluster at ``--scheduler`` (or a local one)."""
    client = _dask_client(run.config.scheduler)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))

        def submit(items: list[InputFile]) -> _Pending:
            future: _Pending = client.submit(_dask_shard, items, run.config, pure=False)
            return future

        yield from sharded_results(run, files, submit, workers)
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and run.config.scheduler is None:
            cluster.close()
