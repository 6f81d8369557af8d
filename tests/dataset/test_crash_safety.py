"""Killing a build at any moment never damages the dataset in OUT; reruns finish cleanly."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from tests.conftest import FIXTURES

KILLS = 12


def _snapshot(out: Path) -> dict[str, str]:
    """Hashes of the dataset files as a reader sees them (following the links)."""
    return {
        name: hashlib.sha256((out / name).read_bytes()).hexdigest()
        for name in ("claims.parquet", "documents.parquet", "manifest.json")
    }


def _build(corpus: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "extract.cli", "build", str(corpus), "--out", str(out), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _tables(out: Path) -> tuple[bytes, bytes]:
    return (out / "claims.parquet").read_bytes(), (out / "documents.parquet").read_bytes()


def test_sigkill_at_random_moments_never_damages_the_dataset(tmp_path: Path) -> None:
    old_corpus = FIXTURES / "corpus"
    new_corpus = tmp_path / "new_corpus"
    new_corpus.mkdir()
    for source in old_corpus.iterdir():
        (new_corpus / source.name).write_bytes(
            source.read_bytes() + b"\nKetamine acts within hours.\n"
        )
    out = tmp_path / "out"

    started = time.monotonic()
    assert _build(old_corpus, out).wait() == 0
    full_run = time.monotonic() - started
    previous = _snapshot(out)

    clean = tmp_path / "clean"
    assert _build(new_corpus, clean).wait() == 0
    finished = _snapshot(clean)
    finished.pop("manifest.json")  # holds the run's duration

    rng = random.Random(20261121)
    outcomes = []
    for _ in range(KILLS):
        process = _build(new_corpus, out)
        time.sleep(rng.uniform(0.2, full_run * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = _snapshot(out)
        pd.read_parquet(out / "claims.parquet")  # readable every time
        pd.read_parquet(out / "documents.parquet")
        tables = {k: v for k, v in now.items() if k != "manifest.json"}
        if now == previous:
            outcomes.append("unchanged")
        else:
            assert tables == finished, "a killed build left a mix of old and new files"
            outcomes.append("completed")
            previous = now
    print("kill outcomes:", outcomes)
    # The schedule must have interrupted builds, not only watched finished ones.
    assert "unchanged" in outcomes

    assert _build(new_corpus, out).wait() == 0
    assert _tables(out) == _tables(clean)
    leftovers = [p.name for p in (out / ".builds").iterdir() if p.name.startswith("build-")]
    assert len(leftovers) == 1, leftovers
    assert os.path.islink(out / "claims.parquet")
