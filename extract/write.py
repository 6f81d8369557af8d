"""Writing a dataset: Arrow tables with the contract's schema, swapped in atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .contract import arrow_schema, validate_rows

TABLE_FILES = {"document": "documents.parquet", "claim": "claims.parquet"}


def to_table(
    table: str, rows: Sequence[Mapping[str, Any]], metadata: Mapping[str, str]
) -> pa.Table:
    """Validate rows against the JSON Schema, then build the Arrow table with the derived schema.

    ``pa.Table.from_pylist`` with an explicit schema fails loudly on any type drift.
    """
    validate_rows(table, rows)
    schema = arrow_schema(table)
    merged = {**(schema.metadata or {}), **{k.encode(): v.encode() for k, v in metadata.items()}}
    return pa.Table.from_pylist(list(rows), schema=schema.with_metadata(merged))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems do not support fsync on a directory; the rename still holds
    finally:
        os.close(fd)


def _write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", use_dictionary=True, write_statistics=True)
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def write_dataset(
    out_dir: Path,
    tables: Mapping[str, pa.Table],
    manifest: Mapping[str, Any],
) -> None:
    """Stage every file in ``out_dir``, then rename each into place; the manifest goes last.

    Until the renames, the previous dataset in ``out_dir`` is untouched; a failure while
    staging leaves only a staging folder, which is removed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        for table_name, table in tables.items():
            _write_parquet(table, staging / TABLE_FILES[table_name])
        manifest_path = staging / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
        _fsync_dir(staging)
        for table_name in tables:
            name = TABLE_FILES[table_name]
            os.replace(staging / name, out_dir / name)
        os.replace(manifest_path, out_dir / "manifest.json")
        _fsync_dir(out_dir)
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()
