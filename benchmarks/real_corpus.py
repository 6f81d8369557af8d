"""The real corpus end to end: corpus-real built with ``--n-process 2`` and with a local Dask
cluster of 2 workers, each in a fresh process, measured from outside.

Usage: python benchmarks/real_corpus.py [--corpus DIR] [--engines local,dask] [--json FILE]

Without ``--corpus`` the archive ../shared/corpus-real/dosewiki.tar.xz is unpacked into a
temporary folder (outside the project; mixed licences, never copied into the repository).
Each build runs ``claimset build DIR --no-cache --quiet``; the memory of its whole process
tree (scheduler, workers, forked processes) is sampled every second: the peak of the summed
PSS (shared pages counted once) and the largest single RSS. Then the dataset is read back
for files by status, tokens (spaCy's English tokenizer over every document's text), claims
and the time by stage from the manifest. Results go to the ``real_corpus`` key of the JSON
file (benchmarks/results.json), the rest of which is left as it is.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import pyarrow.parquet as pq
import spacy

REPO = Path(__file__).resolve().parent.parent
ARCHIVE = REPO.parent / "shared" / "corpus-real" / "dosewiki.tar.xz"
ENGINE_ARGS = {
    "local": ["--n-process", "2"],
    "dask": ["--engine", "dask"],  # no --scheduler: a local cluster of 2 worker processes
}


def unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive, "r:xz") as tar:
        tar.extractall(into, filter="data")
    return into


def run_sampled(command: list[str]) -> dict[str, Any]:
    """Run ``command``; every second, sum the PSS of its process tree. Peaks in MiB."""
    started = time.monotonic()
    process = subprocess.Popen(command)
    root = psutil.Process(process.pid)
    peak_tree, peak_one = 0, 0
    while process.poll() is None:
        try:
            members = [root, *root.children(recursive=True)]
        except psutil.Error:
            members = []
        pss, rss = [], []
        for member in members:
            try:
                info = member.memory_full_info()
            except psutil.Error:
                continue  # ended between the listing and the reading
            pss.append(info.pss)
            rss.append(info.rss)
        peak_tree = max(peak_tree, sum(pss))
        peak_one = max(peak_one, max(rss, default=0))
        time.sleep(1.0)
    return {
        "returncode": process.returncode,
        "wall_s": round(time.monotonic() - started, 1),
        "peak_pss_tree_mib": round(peak_tree / 2**20),
        "peak_rss_one_process_mib": round(peak_one / 2**20),
    }


def dataset_figures(out: Path, wall_s: float) -> dict[str, Any]:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    documents = pq.read_table(out / "documents.parquet", columns=["status", "text"])
    statuses = Counter(documents.column("status").to_pylist())
    tokenizer = spacy.blank("en").tokenizer
    tokens = sum(len(doc) for doc in tokenizer.pipe(documents.column("text").to_pylist()))
    counts = manifest["counts"]
    stages = manifest.get("stage_durations_s", {})
    extract_s = stages.get("extract", wall_s)
    return {
        "input_files": counts["input_files"],
        "files_by_status": dict(sorted(statuses.items())),
        "tokens": tokens,
        "sentences": counts["sentences"],
        "claims": counts["claims"],
        "clusters": counts["clusters"],
        "stage_durations_s": stages,
        "tokens_per_s": round(tokens / wall_s),
        "tokens_per_s_extraction": round(tokens / extract_s),
        "pages_per_hour": round(counts["input_files"] / wall_s * 3600),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="an unpacked corpus-real folder")
    parser.add_argument("--engines", default="local,dask", help="comma-separated: local, dask")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results.json")
    args = parser.parse_args()
    engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = set(engines) - set(ENGINE_ARGS)
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown))}")

    work = Path(tempfile.mkdtemp(prefix="claimset-real-"))
    corpus = args.corpus or unpack(ARCHIVE, work / "corpus")
    size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    previous = json.loads(args.json.read_text("utf-8")) if args.json.exists() else {}
    results: dict[str, Any] = previous.get("real_corpus", {})
    results["corpus"] = {"path": corpus.name, "bytes": size}
    for engine in engines:
        out = work / f"out_{engine}"
        command = [
            sys.executable, "-m", "extract.cli", "build", str(corpus), "--out", str(out),
            "--no-cache", "--quiet", *ENGINE_ARGS[engine],
        ]  # fmt: skip
        print(f"{engine}: {' '.join(command[2:])}", flush=True)
        measured = run_sampled(command)
        if measured["returncode"] == 0:
            measured |= dataset_figures(out, measured["wall_s"])
        measured["command"] = ["claimset", *command[3:]]
        results[engine] = measured
        print(json.dumps(measured, indent=1), flush=True)
        previous["real_corpus"] = results
        args.json.write_text(json.dumps(previous, indent=2) + "\n", "utf-8")
    print(f"wrote {args.json}")
    return 0 if all(results[e]["returncode"] == 0 for e in engines) else 1


if __name__ == "__main__":
    sys.exit(main())
