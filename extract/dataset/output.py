"""The output folder of a build: files written into a fresh build folder, committed by one
atomic switch, one build at a time.

Layout of an output folder::

    OUT/claims.parquet     -> .builds/current/claims.parquet
    OUT/documents.parquet  -> .builds/current/documents.parquet
    OUT/sentences.parquet  -> .builds/current/sentences.parquet
    OUT/clusters.parquet   -> .builds/current/clusters.parquet
    OUT/claim_links.parquet -> .builds/current/claim_links.parquet
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

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from extract.errors import UsageError
from extract.tables.contract import arrow_schema
from extract.tables.io import (
    CLUSTERS_FILE,
    DATASET_FILES,
    LINKS_FILE,
    TABLE_FILES,
    fsync_path,
    to_table,
)

BUILDS_DIR = ".builds"
CURRENT = "current"
ROWS_PER_GROUP = 4096


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
        fsync_path(path)

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        path = self.path / "manifest.json"
        path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
        fsync_path(path)

    def commit(self) -> None:
        """Make this build the dataset in OUT: one atomic rename of the ``current`` link."""
        fsync_path(self.path)
        _replace_symlink(self.builds / CURRENT, self.path.name)
        for name in DATASET_FILES:
            link = self.out_dir / name
            wanted = f"{BUILDS_DIR}/{CURRENT}/{name}"
            if not (link.is_symlink() and os.readlink(link) == wanted):
                _replace_symlink(link, wanted)
        fsync_path(self.out_dir)
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
    for name in (*TABLE_FILES.values(), CLUSTERS_FILE, LINKS_FILE, "errors.jsonl", "manifest.json"):
        fs.put_file(str((local_out / name).resolve()), f"{root.rstrip('/')}/{name}")


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write a whole table the way the streaming writer does (zstd, dictionaries, row groups
    of ``ROWS_PER_GROUP``), for tables made once every claim is known."""
    pq.write_table(
        table, path, compression="zstd", use_dictionary=True, row_group_size=ROWS_PER_GROUP
    )


class TableWriter:
    """Validated rows and cached tables written as Parquet row groups as they come.

    Row groups hold exactly ``ROWS_PER_GROUP`` rows (the last one fewer) whatever mix of
    fresh and cached rows fills them, so a rebuild writes the same bytes as a clean build.
    """

    def __init__(self, path: Path, table: str, metadata: dict[str, str]) -> None:
        self.table = table
        self.metadata = metadata
        schema = arrow_schema(table)
        merged = {
            **(schema.metadata or {}),
            **{k.encode(): v.encode() for k, v in metadata.items()},
        }
        self.schema = schema.with_metadata(merged)
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd", use_dictionary=True)
        self.pieces: list[pa.Table] = []
        self.queued = 0

    def add_rows(self, rows: list[dict[str, Any]]) -> None:
        """Validate fresh rows against the JSON Schema (``to_table``), then queue them."""
        if rows:
            self.add_table(to_table(self.table, rows, self.metadata))

    def add_table(self, table: pa.Table) -> None:
        """Queue rows that are already Arrow (cache hits: validated when they were made)."""
        if len(table):
            self.pieces.append(table.replace_schema_metadata(self.schema.metadata))
            self.queued += len(table)
            if self.queued >= ROWS_PER_GROUP:
                self._drain(final=False)

    def _drain(self, *, final: bool) -> None:
        if not self.pieces:
            return
        table = pa.concat_tables(self.pieces)
        start = 0
        while len(table) - start >= ROWS_PER_GROUP or (final and start < len(table)):
            group = table.slice(start, ROWS_PER_GROUP)
            self.writer.write_table(group, row_group_size=ROWS_PER_GROUP)
            start += len(group)
        self.pieces = [table.slice(start)] if start < len(table) else []
        self.queued = len(table) - start

    def close(self) -> None:
        self._drain(final=True)
        self.writer.close()


class OutputLock:
    """One build at a time per output folder."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / ".claimset.lock"
        self.handle = self.path.open("a")

    def __enter__(self) -> OutputLock:
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise UsageError(
                f"another claimset build is writing to {self.path.parent}; wait for it or "
                "choose another --out"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
