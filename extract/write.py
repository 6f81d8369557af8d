"""Writing a dataset: Arrow tables with the contract's schema, committed by one atomic switch.

Layout of an output folder::

    OUT/claims.parquet     -> .builds/current/claims.parquet
    OUT/documents.parquet  -> .builds/current/documents.parquet
    OUT/sentences.parquet  -> .builds/current/sentences.parquet
    OUT/clusters.parquet   -> .builds/current/clusters.parquet
    OUT/manifest.json      -> .builds/current/manifest.json
    OUT/errors.jsonl       -> .builds/current/errors.jsonl
    OUT/.builds/current    -> build-…   (the one symlink a build replaces)
    OUT/.builds/build-…/   (a finished build's files)

A build writes every file into a fresh ``build-…`` folder, then replaces the ``current``
link with one ``rename``: readers see the old dataset or the new one, never a mix, and a
build killed at any moment leaves the previous dataset as it was. Other files in OUT (review
logs, evaluation reports) are never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa

from .contract import arrow_schema, timestamp_fields, validate_rows

TABLE_FILES = {
    "document": "documents.parquet",
    "claim": "claims.parquet",
    "sentence": "sentences.parquet",
}
# Made once every claim is known (extract.clusters), not streamed.
CLUSTERS_FILE = "clusters.parquet"
DATASET_FILES = (*TABLE_FILES.values(), CLUSTERS_FILE, "manifest.json", "errors.jsonl")
BUILDS_DIR = ".builds"
CURRENT = "current"


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


def _fsync(path: Path) -> None:
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


def _replace_symlink(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` atomically (a new link renamed over the old one)."""
    staging = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    if staging.is_symlink() or staging.exists():
        staging.unlink()
    os.symlink(target, staging)
    os.replace(staging, link)


class JsonlWriter:
    def __init__(self, handle: TextIO) -> None:
        self.handle = handle

    def write(self, row: Mapping[str, Any]) -> None:
        self.handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


class BuildDir:
    """A fresh folder for one build's files, committed (or discarded) as a whole."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.builds = out_dir / BUILDS_DIR
        self.builds.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix="build-", dir=self.builds))

    @contextmanager
    def jsonl_writer(self, filename: str) -> Iterator[JsonlWriter]:
        path = self.path / filename
        with path.open("w", encoding="utf-8") as handle:
            yield JsonlWriter(handle)
        _fsync(path)

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        path = self.path / "manifest.json"
        path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
        _fsync(path)

    def commit(self) -> None:
        """Make this build the dataset in OUT: one atomic rename of the ``current`` link."""
        _fsync(self.path)
        _replace_symlink(self.builds / CURRENT, self.path.name)
        for name in DATASET_FILES:
            link = self.out_dir / name
            wanted = f"{BUILDS_DIR}/{CURRENT}/{name}"
            if not (link.is_symlink() and os.readlink(link) == wanted):
                _replace_symlink(link, wanted)
        _fsync(self.out_dir)
        remove_stale_builds(self.out_dir)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def remove_stale_builds(out_dir: Path) -> None:
    """Delete build folders that are not current (finished earlier, or left by a killed run)."""
    builds = out_dir / BUILDS_DIR
    current = builds / CURRENT
    keep = os.readlink(current) if current.is_symlink() else None
    for entry in builds.glob("build-*"):
        if entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)


def upload_dataset(local_out: Path, url: str) -> None:
    """Copy a finished dataset to an fsspec URL (object or shared storage), manifest last.

    Object stores replace each object atomically; the manifest, written after the tables,
    marks a complete dataset for readers that check it.
    """
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    fs.makedirs(root, exist_ok=True)
    for name in (*TABLE_FILES.values(), CLUSTERS_FILE, "errors.jsonl", "manifest.json"):
        fs.put_file(str((local_out / name).resolve()), f"{root.rstrip('/')}/{name}")
