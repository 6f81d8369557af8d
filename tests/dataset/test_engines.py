"""Sharding in the engines: results in input order, long pages alone, no idle workers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extract.dataset.engines import (
    BYTES_PER_SHARD,
    FILES_PER_SHARD,
    SHARDS_PER_WORKER_IN_FLIGHT,
    ShardOutput,
    sharded_results,
)
from extract.dataset.work import FileResult
from extract.read.inputs import InputFile


class FakeShard:
    """A shard on a fake worker: finished after ``polls`` calls of done(), or when waited on."""

    def __init__(self, items: list[InputFile], polls: int, log: list[str]) -> None:
        self.items, self.polls, self.log = items, polls, log

    def done(self) -> bool:
        self.polls -= 1
        return self.polls < 0

    def result(self) -> ShardOutput:
        self.log.append("wait:" + self.items[0].source_file)
        return [([{"source_file": i.source_file}], [], [], True) for i in self.items]


class FakeRun:
    def lookup(self, item: InputFile) -> FileResult:
        return FileResult(item, None)


def _files(sizes: list[int]) -> list[InputFile]:
    return [InputFile(Path(f"f{i:03d}.md"), f"f{i:03d}.md", "md", s) for i, s in enumerate(sizes)]


def _run(sizes: list[int], slow: set[str], workers: int = 2) -> tuple[list[str], list[Any]]:
    log: list[str] = []
    shards: list[list[str]] = []

    def submit(items: list[InputFile]) -> FakeShard:
        shards.append([i.source_file for i in items])
        log.append("submit:" + items[0].source_file)
        # A slow shard stays unfinished however often it is polled, until waited on.
        polls = 10**9 if items[0].source_file in slow else 0
        return FakeShard(items, polls, log)

    results = sharded_results(FakeRun(), _files(sizes), submit, workers)  # type: ignore[arg-type]
    names = [r.doc_rows[0]["source_file"] for r in results]
    return names, [shards, log]


def test_results_come_in_input_order_and_shards_hold_at_most_four_files() -> None:
    names, (shards, _) = _run([1000] * 23, slow=set())
    assert names == [f"f{i:03d}.md" for i in range(23)]
    assert all(len(shard) <= FILES_PER_SHARD for shard in shards)
    assert [name for shard in shards for name in shard] == names


def test_a_long_page_goes_to_a_worker_on_its_own() -> None:
    sizes = [1000, 1000, 3 * BYTES_PER_SHARD, 1000, 1000]
    _, (shards, _) = _run(sizes, slow=set())
    assert ["f002.md"] in shards
    assert ["f000.md", "f001.md"] in shards


def test_work_goes_on_while_a_long_shard_runs() -> None:
    # The first file is a long page that runs for a long time; without look-ahead the other
    # worker would sit idle after SHARDS_PER_WORKER_IN_FLIGHT shards.
    sizes = [3 * BYTES_PER_SHARD] + [1000] * 80
    names, (_, log) = _run(sizes, slow={"f000.md"})
    assert names == [f"f{i:03d}.md" for i in range(81)]
    first_wait = log.index("wait:f000.md")
    submitted_before = sum(entry.startswith("submit:") for entry in log[:first_wait])
    assert submitted_before > 2 * SHARDS_PER_WORKER_IN_FLIGHT + 1
