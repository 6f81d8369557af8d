"""Incremental rebuilds: per-input results cached by content and pipeline fingerprint.

A cache entry holds the document, claim and sentence rows one input file produced, keyed by the
sha256 of the file's bytes under a folder named by the configuration fingerprint (claimset
version, rule set, model name and version, reader settings). An unchanged file is never
read again by a reader nor seen by spaCy; a changed one misses and is processed afresh.
Entries are Arrow IPC files written atomically, with the contract's Arrow schemas.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc

from extract.tables.contract import arrow_schema
from extract.tables.records import claim_ids

CACHE_DIR = ".cache"
_SOURCE_KEY = b"claimset.source_file"


# One Arrow IPC file per table; documents last, so an entry counts only once it is complete.
_TABLE_SUFFIXES = {
    "claim": ".claims.arrow",
    "sentence": ".sentences.arrow",
    "document": ".documents.arrow",
}


@dataclass(frozen=True)
class CachedFile:
    """A cache hit: the file's document, claim and sentence tables, and the name they had."""

    documents: pa.Table
    claims: pa.Table
    sentences: pa.Table
    source_file: str

    def renamed(self, source_file: str) -> CachedFile:
        """The same rows under a new input name ("a.txt" → "b/a.txt"; rows keep "#id").

        Claim ids are keyed on the source name, so they are derived again (and the
        sentences' lists of claim ids follow).
        """
        if source_file == self.source_file:
            return self
        old = len(self.source_file)
        claims = _rename(self.claims, old, source_file)
        new_ids = claim_ids(
            claims.column("source_file").to_pylist(), claims.column("text").to_pylist()
        )
        id_map = dict(zip(self.claims.column("claim_id").to_pylist(), new_ids, strict=True))
        claims = claims.set_column(
            claims.schema.get_field_index("claim_id"),
            claims.schema.field("claim_id"),
            pa.array(new_ids, pa.string()),
        )
        sentences = _rename(self.sentences, old, source_file)
        field_index = sentences.schema.get_field_index("claim_ids")
        mapped = [
            [id_map[claim_id] for claim_id in ids]
            for ids in sentences.column("claim_ids").to_pylist()
        ]
        sentences = sentences.set_column(
            field_index,
            sentences.schema.field(field_index),
            pa.array(mapped, sentences.schema.field(field_index).type),
        )
        return CachedFile(_rename(self.documents, old, source_file), claims, sentences, source_file)


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

    def _paths(self, key: str) -> dict[str, Path]:
        base = self.folder / key[:2] / key
        return {table: base.with_suffix(suffix) for table, suffix in _TABLE_SUFFIXES.items()}

    def get(self, key: str) -> CachedFile | None:
        """The entry's tables, or None when there is none (or it is damaged)."""
        tables: dict[str, pa.Table] = {}
        try:
            for table, path in self._paths(key).items():
                with pa.memory_map(str(path)) as source:
                    tables[table] = ipc.open_file(source).read_all()
        except (OSError, pa.ArrowInvalid):
            return None  # missing or damaged entry: process the file again
        documents = tables["document"]
        source_file = (documents.schema.metadata or {}).get(_SOURCE_KEY, b"").decode()
        return CachedFile(documents, tables["claim"], tables["sentence"], source_file)

    def put(self, key: str, source_file: str, rows: Mapping[str, list[dict[str, Any]]]) -> None:
        """Store one input file's rows per table, noting the name it had (names move)."""
        paths = self._paths(key)
        paths["document"].parent.mkdir(parents=True, exist_ok=True)
        for table, path in paths.items():
            staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            schema = arrow_schema(table).with_metadata({_SOURCE_KEY: source_file.encode()})
            data = pa.Table.from_pylist(rows[table], schema=schema)
            with pa.OSFile(str(staging), "wb") as sink, ipc.new_file(sink, data.schema) as writer:
                writer.write_table(data)
            os.replace(staging, path)

    def _cluster_paths(self, key: str) -> tuple[Path, Path, Path]:
        folder = self.folder / "clusters"
        return (
            folder / f"{key[:32]}.clusters.arrow",
            folder / f"{key[:32]}.ids.arrow",
            folder / f"{key[:32]}.links.arrow",
        )

    def get_clusters(self, key: str) -> tuple[pa.Table, pa.Array, pa.Table] | None:
        """A previous linking of the very same claims: its clusters, each claim's cluster id
        and the links."""
        rows_path, ids_path, links_path = self._cluster_paths(key)
        try:
            with pa.memory_map(str(ids_path)) as source:
                ids = ipc.open_file(source).read_all().column(0).combine_chunks()
            with pa.memory_map(str(links_path)) as source:
                links = ipc.open_file(source).read_all()
            with pa.memory_map(str(rows_path)) as source:
                rows = ipc.open_file(source).read_all()
        except (OSError, pa.ArrowInvalid):
            return None
        return rows, ids, links

    def put_clusters(self, key: str, rows: pa.Table, ids: pa.Array, links: pa.Table) -> None:
        """Keep one linking (the latest): older ones are replaced."""
        rows_path, ids_path, links_path = self._cluster_paths(key)
        rows_path.parent.mkdir(parents=True, exist_ok=True)
        for old in rows_path.parent.glob("*.arrow"):
            old.unlink(missing_ok=True)
        # ids and links first, rows last: an entry counts only once its rows file exists.
        pieces = ((ids_path, pa.table({"cluster_id": ids})), (links_path, links), (rows_path, rows))
        for path, table in pieces:
            staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with pa.OSFile(str(staging), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
            os.replace(staging, path)

    def prune(self) -> None:
        """Drop entries made under other fingerprints (older rules or models)."""
        if not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry != self.folder:
                shutil.rmtree(entry, ignore_errors=True)
