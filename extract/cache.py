"""Incremental rebuilds: per-input results cached by content and pipeline fingerprint.

A cache entry holds the document and claim rows one input file produced, keyed by the
sha256 of the file's bytes under a folder named by the configuration fingerprint (claimset
version, rule set, model name and version, reader settings). An unchanged file is never
read again by a reader nor seen by spaCy; a changed one misses and is processed afresh.
Entries are Arrow IPC files written atomically, with the contract's Arrow schemas.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc

from .contract import arrow_schema

CACHE_DIR = ".cache"
_CHUNK = 1 << 20


def file_digest(path: Path) -> str | None:
    """sha256 of a file's bytes, or None when it cannot be read (the reader reports why)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


class ResultCache:
    """Rows per input file, under ``OUT/.cache/<fingerprint>/``."""

    def __init__(self, out_dir: Path, fingerprint: str) -> None:
        self.root = out_dir / CACHE_DIR
        self.folder = self.root / fingerprint[:24]

    def _paths(self, key: str) -> tuple[Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".documents.arrow"), base.with_suffix(".claims.arrow")

    def get(self, key: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
        documents, claims = self._paths(key)
        try:
            with pa.memory_map(str(documents)) as source:
                doc_rows = ipc.open_file(source).read_all().to_pylist()
            with pa.memory_map(str(claims)) as source:
                claim_rows = ipc.open_file(source).read_all().to_pylist()
        except (OSError, pa.ArrowInvalid):
            return None  # missing or damaged entry: process the file again
        return doc_rows, claim_rows

    def put(
        self, key: str, doc_rows: list[dict[str, Any]], claim_rows: list[dict[str, Any]]
    ) -> None:
        documents, claims = self._paths(key)
        documents.parent.mkdir(parents=True, exist_ok=True)
        # Claims first, documents last: an entry counts only once its documents file exists.
        for path, table, rows in ((claims, "claim", claim_rows), (documents, "document", doc_rows)):
            staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            data = pa.Table.from_pylist(rows, schema=arrow_schema(table))
            with pa.OSFile(str(staging), "wb") as sink, ipc.new_file(sink, data.schema) as writer:
                writer.write_table(data)
            os.replace(staging, path)

    def prune(self) -> None:
        """Drop entries made under other fingerprints (older rules or models)."""
        if not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry != self.folder:
                shutil.rmtree(entry, ignore_errors=True)
