"""The exported evalset folder as its card and Croissant file see it: its Parquet files,
checked against the record contract and the manifest, their columns, and the manifest's values.

An exported evaluation set is a folder::

    OUT/verification/{train,validation,test}.parquet   (+ .jsonl twins)
    OUT/detection/{train,validation,test}.parquet      (+ .jsonl twins)
    OUT/evalset.json      the manifest written by ``claimset evalset``
    OUT/README.md         Hugging Face dataset card (:mod:`extract.evalset.card`)
    OUT/croissant.json    Croissant 1.0 JSON-LD (:mod:`extract.evalset.croissant`)

Both files describe the Parquet files that are actually in the folder (a split left empty
is not written, so it is not listed) and take their column types from the record contract
(``schema/verification.schema.json``, ``schema/detection.schema.json``) through the same
Arrow schema the files were written with. Every Parquet file is checked against that
schema and against the manifest's row counts first, so a card never describes data that
is not there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from extract.errors import ClaimsetError
from extract.tables.contract import arrow_schema, load_json_schema
from extract.tables.io import file_digest

# The two tables of an evalset, the default (first) config first.
EVAL_TABLES: tuple[str, ...] = ("verification", "detection")
SPLITS: tuple[str, ...] = ("train", "validation", "test")
DEFAULT_PRETTY_NAME = "claimset health-claim evaluation set"


# --------------------------------------------------------------------------- the folder


@dataclass(frozen=True)
class Column:
    """One column (or struct member) of a table: its type and its documentation.

    ``dtype`` is the Hugging Face dtype of the value, or of each item of a list; it is
    None for a struct, whose members are ``children`` (of the value, or of each item).
    """

    name: str
    dtype: str | None
    repeated: bool
    children: tuple[Column, ...]
    nullable: bool
    description: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class SplitFile:
    """One Parquet file of the folder, with what the card and Croissant say about it."""

    table: str
    split: str
    path: str  # relative to the folder, with forward slashes
    rows: int
    size: int
    sha256: str


@dataclass(frozen=True)
class Evalset:
    """What is in an exported folder: its Parquet files and the manifest describing them."""

    folder: Path
    manifest: Mapping[str, Any]
    files: tuple[SplitFile, ...]

    @property
    def tables(self) -> tuple[str, ...]:
        """Tables with at least one file, in the canonical order."""
        present = {file.table for file in self.files}
        return tuple(table for table in EVAL_TABLES if table in present)

    def files_of(self, table: str) -> tuple[SplitFile, ...]:
        return tuple(file for file in self.files if file.table == table)

    @property
    def splits(self) -> tuple[str, ...]:
        """Splits with a file in any table, in the canonical order."""
        present = {file.split for file in self.files}
        return tuple(split for split in SPLITS if split in present)

    def rows(self, table: str, split: str) -> int:
        return sum(f.rows for f in self.files if f.table == table and f.split == split)

    @property
    def total_rows(self) -> int:
        return sum(file.rows for file in self.files)


_HF_DTYPES = {
    "string": "string",
    "large_string": "large_string",
    "bool": "bool",
    "int8": "int8",
    "int16": "int16",
    "int32": "int32",
    "int64": "int64",
    "uint8": "uint8",
    "uint16": "uint16",
    "uint32": "uint32",
    "uint64": "uint64",
    "halffloat": "float16",
    "float": "float32",
    "double": "float64",
}


def _hf_dtype(data_type: pa.DataType) -> str:
    """The Hugging Face dtype of an Arrow scalar; a dictionary column is its value type."""
    if pa.types.is_dictionary(data_type):
        return _hf_dtype(data_type.value_type)
    dtype = _HF_DTYPES.get(str(data_type))
    if dtype is None:
        raise ClaimsetError(f"no dataset-card type for Arrow type {data_type}")
    return dtype


def _enum_values(spec: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(value) for value in spec.get("enum", ()) if value is not None)


def _column(field: pa.Field, spec: Mapping[str, Any]) -> Column:
    """Pair an Arrow field with its JSON Schema property: type from one, words from the other."""
    data_type = field.type
    item_spec = spec
    repeated = pa.types.is_list(data_type) or pa.types.is_large_list(data_type)
    if repeated:
        data_type, item_spec = data_type.value_type, spec["items"]
        if pa.types.is_list(data_type) or pa.types.is_large_list(data_type):
            raise ClaimsetError(f"column {field.name}: lists of lists are not described")
    children: tuple[Column, ...] = ()
    dtype: str | None = None
    if pa.types.is_struct(data_type):
        properties = item_spec["properties"]
        members = [data_type.field(index) for index in range(data_type.num_fields)]
        children = tuple(_column(member, properties[member.name]) for member in members)
    else:
        dtype = _hf_dtype(data_type)
    return Column(
        name=str(field.name),
        dtype=dtype,
        repeated=repeated,
        children=children,
        nullable=bool(field.nullable),
        description=str(spec.get("description", "")),
        values=_enum_values(item_spec),
    )


def table_columns(table: str) -> tuple[Column, ...]:
    """The columns of an evalset table, from the record contract."""
    schema = arrow_schema(table)
    properties = load_json_schema(table)["properties"]
    return tuple(_column(field, properties[field.name]) for field in schema)


def _manifest_size(manifest: Mapping[str, Any], table: str, split: str) -> int | None:
    sizes = manifest.get("sizes")
    if not isinstance(sizes, Mapping):
        return None
    per_split = sizes.get(table)
    if not isinstance(per_split, Mapping):
        return None
    return int(per_split.get(split, 0))


def scan(out_dir: Path | str, manifest: Mapping[str, Any]) -> Evalset:
    """Find the folder's Parquet files and check them before anything describes them.

    A file whose Arrow schema is not the contract's, or whose row count differs from the
    manifest's ``sizes``, means the folder and the manifest disagree: raise rather than
    publish a card that contradicts its data.
    """
    folder = Path(out_dir)
    files: list[SplitFile] = []
    problems: list[str] = []
    for table in EVAL_TABLES:
        expected = arrow_schema(table)
        for split in SPLITS:
            relative = f"{table}/{split}.parquet"
            path = folder / table / f"{split}.parquet"
            declared = _manifest_size(manifest, table, split)
            if not path.is_file():
                if declared:
                    problems.append(f"{relative} is missing but the manifest lists {declared} rows")
                continue
            metadata = pq.read_metadata(path)
            schema = metadata.schema.to_arrow_schema()
            if not schema.equals(expected, check_metadata=False):
                problems.append(f"{relative} does not have the {table} contract's Arrow schema")
            rows = int(metadata.num_rows)
            if declared is not None and declared != rows:
                problems.append(f"{relative} has {rows} rows but the manifest lists {declared}")
            digest = file_digest(path)
            if digest is None:
                problems.append(f"{relative} cannot be read")
                continue
            files.append(SplitFile(table, split, relative, rows, path.stat().st_size, digest))
    if problems:
        raise ClaimsetError(f"cannot describe the evalset in {folder}: " + "; ".join(problems))
    if not files:
        raise ClaimsetError(f"no evalset Parquet files in {folder}")
    return Evalset(folder=folder, manifest=manifest, files=tuple(files))


# --------------------------------------------------------------------------- manifest values


def manifest_text(mapping: Mapping[str, Any], key: str, default: str = "") -> str:
    """A manifest value as text; a missing or null value is the default."""
    value = mapping.get(key)
    return default if value is None else str(value)


def pretty_name(manifest: Mapping[str, Any]) -> str:
    return str(manifest.get("pretty_name") or DEFAULT_PRETTY_NAME)


def manifest_languages(manifest: Mapping[str, Any]) -> list[str]:
    languages = manifest.get("languages") or ["en"]
    return sorted({str(language) for language in languages})


def manifest_license(manifest: Mapping[str, Any]) -> str:
    return str(manifest.get("license") or "other")


LICENSE_DETAILS = (
    "The claim and sentence text is quoted from third-party web pages; the terms of those "
    "pages' publishers apply to it. The annotations (labels, claim types, flags, clusters and "
    "splits) were made by the builder of this set with claimset and reviewers' decisions."
)


def source_name(manifest: Mapping[str, Any]) -> str:
    """The source dataset's folder name: a local absolute path does not belong in a card."""
    source = str(manifest.get("source_dataset") or "")
    return PurePosixPath(source.replace("\\", "/")).name or "unnamed"


def spacy_model(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    model = manifest.get("model")
    return model if isinstance(model, Mapping) else {}
