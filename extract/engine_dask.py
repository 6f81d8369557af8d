"""The Dask engine: the same per-file work as the local engine, run on a Dask cluster.

The client keeps what must be sequential (cache look-ups, duplicate detection across files,
validation, writing) and sends runs of uncached input files ("shards") to the workers.
Each worker loads the spaCy pipeline once and runs :meth:`extract.build._Build.local_results`
on its shard — the very function the local engine runs — so both engines give the same rows.
Results come back in input order, with a bounded number of shards in flight.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .config import BuildConfig
from .errors import UsageError

if TYPE_CHECKING:
    from spacy.language import Language

    from .build import FileResult, _Build
    from .read import InputFile

FILES_PER_SHARD = 8
SHARDS_PER_WORKER_IN_FLIGHT = 2

ShardOutput = list[tuple[list[dict[str, Any]], list[dict[str, Any]], bool]]


def _worker_pipeline(model: str) -> Language:
    """The worker's pipeline, loaded on its first shard and kept on the worker object."""
    from distributed import get_worker

    from .pipeline import load_pipeline

    worker = get_worker()
    pipelines: dict[str, Language] = getattr(worker, "claimset_pipelines", {})
    if model not in pipelines:
        pipelines[model] = load_pipeline(model)
        worker.claimset_pipelines = pipelines  # type: ignore[attr-defined]
    return pipelines[model]


def process_shard(items: Sequence[InputFile], config: BuildConfig) -> ShardOutput:
    """Run on a worker: each input file's document rows, claim rows, and cacheability."""
    from .build import _Build

    local = BuildConfig(
        model=config.model,
        text_column=config.text_column,
        id_column=config.id_column,
        batch_size=config.batch_size,
        max_chars_per_doc=config.max_chars_per_doc,
    )
    run = _Build(local, "", "", _worker_pipeline(config.model), None, progress=False)
    return [(r.doc_rows, r.claim_rows, r.cacheable) for r in run.local_results(items)]


def _client(scheduler: str | None) -> Any:
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


def dask_results(run: _Build, files: Sequence[InputFile]) -> Iterator[FileResult]:
    """Every input file's result in input order; cache hits locally, the rest on Dask."""
    from .build import FileResult

    client = _client(run.config.scheduler)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        in_flight = workers * SHARDS_PER_WORKER_IN_FLIGHT
        queue: deque[tuple[str, Any]] = deque()  # ("ready", result) or ("shard", (future, results))
        shard: list[FileResult] = []

        def submit() -> None:
            if shard:
                future = client.submit(
                    process_shard, [r.item for r in shard], run.config, pure=False
                )
                queue.append(("shard", (future, list(shard))))
                shard.clear()

        def drain(limit: int) -> Iterator[FileResult]:
            while sum(kind == "shard" for kind, _ in queue) > limit or (
                queue and queue[0][0] == "ready"
            ):
                kind, payload = queue.popleft()
                if kind == "ready":
                    yield payload
                    continue
                future, pending = payload
                for result, (doc_rows, claim_rows, cacheable) in zip(
                    pending, future.result(), strict=True
                ):
                    result.doc_rows, result.claim_rows = doc_rows, claim_rows
                    result.cacheable = cacheable
                    yield result

        for item in files:
            result = FileResult(item, run.cache_key(item))
            cached = run.cache.get(result.key) if run.cache and result.key else None
            if cached is not None:
                run.n_cached_files += 1
                result.cached = cached.renamed(item.source_file)
                submit()
                queue.append(("ready", result))
            else:
                shard.append(result)
                if len(shard) >= FILES_PER_SHARD:
                    submit()
            yield from drain(in_flight)
        submit()
        yield from drain(0)
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and run.config.scheduler is None:
            cluster.close()
