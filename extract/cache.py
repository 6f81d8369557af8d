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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc

from .contract import arrow_schema

CACHE_DIR = ".cache"
_SOURCE_KEY = b"claimset.source_file"
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


@dataclass(frozen=True)
class CachedFile:
    """A cache hit: the file's document and claim tables, and the name they were made under."""

    documents: pa.Table
    claims: pa.Table
    source_file: str

    def renamed(self, source_file: str) -> CachedFile:
        """The same rows under a new input name ("a.txt" → "b/a.txt"; rows keep "#id")."""
        if source_file == self.source_file:
            return self
        return CachedFile(
            _rename(self.documents, len(self.source_file), source_file),
            _rename(self.claims, len(self.source_file), source_file),
            source_file,
        )


def _rename(table: pa.Table, old_prefix: int, new_prefix: str) -> pa.Table:
    import pyarrow.compute as pc  # only when a file moved

    column = table.schema.get_field_index("source_file")
    tails = pc.utf8_slice_codeunits(table.column(column), start=old_prefix)
    names = pc.binary_join_element_wise(new_prefix, tails, "")
    return table.set_column(column, table.schema.field(column), names)


class ResultCache:
    """Rows per input file, under ``OUT/.cache/<fingerprint>/``."""

    def __init__(self, out_dir: Path, fingerprint: str) -> None:
        self.root = out_dir / CACHE_DIR
        self.folder = self.root / fingerprint[:24]

    def _paths(self, key: str) -> tuple[Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".documents.arrow"), base.with_suffix(".claims.arrow")

    def get(self, key: str) -> CachedFile | None:
        """The entry's tables, or None when there is none (or it is damaged)."""
        documents, claims = self._paths(key)
        try:
            with pa.memory_map(str(documents)) as source:
                doc_table = ipc.open_file(source).read_all()
            with pa.memory_map(str(claims)) as source:
                claim_table = ipc.open_file(source).read_all()
        except (OSError, pa.ArrowInvalid):
            return None  # missing or damaged entry: process the file again
        source_file = (doc_table.schema.metadata or {}).get(_SOURCE_KEY, b"").decode()
        return CachedFile(doc_table, claim_table, source_file)

    def put(
        self,
        key: str,
        source_file: str,
        doc_rows: list[dict[str, Any]],
        claim_rows: list[dict[str, Any]],
    ) -> None:
        """Store one input file's rows, noting the name it had (names move, bytes stay)."""
        documents, claims = self._paths(key)
        documents.parent.mkdir(parents=True, exist_ok=True)
        # Claims first, documents last: an entry counts only once its documents file exists.
        for path, table, rows in ((claims, "claim", claim_rows), (documents, "document", doc_rows)):
            staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            schema = arrow_schema(table).with_metadata({_SOURCE_KEY: source_file.encode()})
            data = pa.Table.from_pylist(rows, schema=schema)
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
