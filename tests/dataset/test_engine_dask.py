"""The Dask engine gives the same dataset as the local engine, row for row."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import distributed
import pandas as pd
import pytest
from spacy.language import Language

from extract.dataset.build import build
from extract.dataset.config import BuildConfig
from tests.conftest import FIXTURES, SEEDS_DIR, shared_dir


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_dask_engine_equals_local_engine(scheduler: str, tmp_path: Path, nlp: Language) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    for seed in sorted(shared_dir(SEEDS_DIR).glob("*.txt")):
        shutil.copy(seed, corpus / seed.name)
    (corpus / "zz_duplicate.txt").write_bytes((corpus / "clinical.txt").read_bytes())
    local = tmp_path / "local"
    build([corpus], local, progress=False, nlp=nlp, use_cache=False)
    remote = tmp_path / "dask"
    config = BuildConfig(engine="dask", scheduler=scheduler)
    build([corpus], remote, config, progress=False, use_cache=False)
    for name in ("claims.parquet", "documents.parquet"):
        left, right = pd.read_parquet(local / name), pd.read_parquet(remote / name)
        pd.testing.assert_frame_equal(left, right)
        assert (local / name).read_bytes() == (remote / name).read_bytes()
    statuses = pd.read_parquet(remote / "documents.parquet").set_index("source_file").status
    assert statuses["zz_duplicate.txt"] == "duplicate"


def test_inputs_and_outputs_through_fsspec_urls(tmp_path: Path, nlp: Language) -> None:
    import fsspec

    memory = fsspec.filesystem("memory")
    for source in sorted((FIXTURES / "corpus").iterdir()):
        memory.pipe(f"/claimset-test/in/{source.name}", source.read_bytes())
    memory.pipe("/claimset-test/in/rows.jsonl", b'{"id": "r1", "text": "Ketamine acts fast."}\n')
    summary = build(
        ["memory://claimset-test/in"], "memory://claimset-test/out", progress=False, nlp=nlp
    )
    assert summary.n_documents == 3
    local = tmp_path / "local"
    corpus = tmp_path / "in"
    shutil.copytree(FIXTURES / "corpus", corpus)
    (corpus / "rows.jsonl").write_bytes(memory.cat_file("/claimset-test/in/rows.jsonl"))
    build([corpus], local, progress=False, nlp=nlp)
    for name in ("claims.parquet", "documents.parquet"):
        assert memory.cat_file(f"/claimset-test/out/{name}") == (local / name).read_bytes()
    assert memory.exists("/claimset-test/out/manifest.json")
    memory.rm("/claimset-test", recursive=True)
