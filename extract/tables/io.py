"""Tables on disk, shared by every stage: the dataset's file names, validated Arrow tables,
Parquet reads, atomic text writes, file digests and timestamps.

"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from extract.tables.contract import arrow_schema, timestamp_fields, validate_rows

TABLE_FILES = {
    "document": "documents.parquet",
    "claim": "claims.parquet",
    "sentence": "sentences.parquet",
}
# Made once every claim is known (extract.links.clusters), not streamed.
CLUSTERS_FILE = "clusters.parquet"
LINKS_FILE = "claim_links.parquet"
DATASET_FILES = (*TABLE_FILES.values(), CLUSTERS_FILE, LINKS_FILE, "manifest.json", "errors.jsonl")


def to_table(
    table: str, rows: Sequence[Mapping[str, Any]], metadata: Mapping[str, str]
) -> pa.Table:
    """Validate rows against the JSON Schema, then build the Arrow table with the derived schema.

    ``pa.Table.from_pylist`` with an explicit schema fails loudly on any type drift.
    """
    validate_rows(table, rows)
    schema = arrow_schema(table)
    merged = {**(schema.metadata or {}), **{k.encode(): v.encode() for k, v in metadata.items()}}
    stamps = timestamp_fields(table)
    if stamps:
        rows = [{**row, **{name: parse_timestamp(row[name]) for name in stamps}} for row in rows]
    return pa.Table.from_pylist(list(rows), schema=schema.with_metadata(merged))


def parse_timestamp(value: str) -> datetime:
    """ISO 8601 text ("2026-11-22T10:00:00Z", an offset, or no zone = UTC) as UTC.

    Raises ValueError for text that is not a date and time.
    """
    moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def fsync_path(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync a directory; the rename still holds
    finally:
        os.close(fd)


def read_parquet(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """Read one Parquet file (through ``ParquetFile``: ``pq.read_table`` goes through the
    dataset layer, whose import alone costs a cached rebuild a third of its time)."""
    import pyarrow.parquet as pq

    wanted = list(columns) if columns is not None else None
    with pq.ParquetFile(path) as handle:
        if handle.num_row_groups <= 1:
            return handle.read(columns=wanted)
        # Group by group: one read of several groups of nested columns (entities) fails
        # with "Nested data conversions not implemented for chunked array outputs".
        groups = [handle.read_row_group(i, columns=wanted) for i in range(handle.num_row_groups)]
    return pa.concat_tables(groups)


def write_text_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with staging.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)


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
