"""The record contract: JSON Schemas in ``schema/`` and the Arrow schemas derived from them.

The JSON Schema files are the single source of truth. Arrow types are derived here so a
field added to a schema file reaches Parquet without being written twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from extract.errors import SchemaValidationError

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # extract/
# A wheel carries the schemas inside the package (force-included as ``_schema``); a source
# checkout or editable install reads the top-level ``schema/`` folder.
SCHEMA_DIR: Path = (
    _PACKAGE_DIR / "_schema"
    if (_PACKAGE_DIR / "_schema").is_dir()
    else _PACKAGE_DIR.parent / "schema"
)

TABLES = ("claim", "document", "sentence")


@cache
def load_json_schema(table: str) -> Mapping[str, Any]:
    """Load ``schema/<table>.schema.json`` (cached)."""
    path = SCHEMA_DIR / f"{table}.schema.json"
    with path.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def schema_digest() -> str:
    """sha256 over every schema file: cached rows are trusted only under the same contract."""
    digest = hashlib.sha256()
    for table in TABLES:
        digest.update((SCHEMA_DIR / f"{table}.schema.json").read_bytes())
    return digest.hexdigest()


def schema_version(table: str) -> str:
    return str(load_json_schema(table)["x-schema-version"])


def _scalar_arrow_type(spec: Mapping[str, Any], json_type: str) -> pa.DataType:
    hint = spec.get("x-arrow-type")
    if json_type == "string":
        if hint == "timestamp":
            return pa.timestamp("us", tz="UTC")
        return pa.dictionary(pa.int32(), pa.string()) if hint == "dictionary" else pa.string()
    if json_type == "integer":
        return pa.int32() if hint == "int32" else pa.int64()
    if json_type == "number":
        return pa.float64()
    if json_type == "boolean":
        return pa.bool_()
    raise TypeError(f"no Arrow mapping for JSON type {json_type!r}")


def _arrow_type(spec: Mapping[str, Any], json_type: str) -> pa.DataType:
    if json_type == "array":
        item = spec["items"]
        item_type = _arrow_type(item, _non_null_type(item)[0])
        return pa.list_(pa.field("item", item_type, nullable=_non_null_type(item)[1]))
    if json_type == "object":
        required = set(spec.get("required", ()))
        return pa.struct(
            [_field(name, sub, name in required) for name, sub in spec["properties"].items()]
        )
    return _scalar_arrow_type(spec, json_type)


def _non_null_type(spec: Mapping[str, Any]) -> tuple[str, bool]:
    """The one non-null JSON type of a property, and whether null is allowed."""
    declared = spec["type"]
    types = [declared] if isinstance(declared, str) else list(declared)
    (json_type,) = [t for t in types if t != "null"]
    return json_type, "null" in types


def _field(name: str, spec: Mapping[str, Any], required: bool) -> pa.Field:
    json_type, nullable = _non_null_type(spec)
    return pa.field(name, _arrow_type(spec, json_type), nullable=nullable or not required)


@cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a table, derived field by field from its JSON Schema."""
    schema = load_json_schema(table)
    required = set(schema.get("required", ()))
    fields = [_field(name, spec, name in required) for name, spec in schema["properties"].items()]
    return pa.schema(fields, metadata={"claimset.schema_version": schema_version(table)})


@cache
def timestamp_fields(table: str) -> tuple[str, ...]:
    """Top-level string fields stored as Arrow timestamps (ISO 8601 text in JSON rows)."""
    properties = load_json_schema(table)["properties"]
    return tuple(
        name for name, spec in properties.items() if spec.get("x-arrow-type") == "timestamp"
    )


@cache
def _validator(table: str) -> Draft202012Validator:
    # Imported on first use: a rebuild served from the cache validates nothing new.
    from jsonschema import Draft202012Validator

    schema = load_json_schema(table)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@cache
def _fast_check(table: str) -> Callable[[Any], Any]:
    """A compiled validator (fastjsonschema), about 20x quicker than jsonschema's.

    fastjsonschema knows drafts up to 7; the keywords our schemas use (type, enum, pattern,
    minimum, minLength, items, uniqueItems, required, properties, additionalProperties)
    mean the same there, which a test checks against jsonschema on valid and broken rows.
    """
    import fastjsonschema

    schema = dict(load_json_schema(table))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    check: Callable[[Any], Any] = fastjsonschema.compile(schema)
    return check


def validate_rows(table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Validate every row; raise one error that lists every violation with its location.

    The compiled check passes valid rows quickly; any row it rejects is examined by
    jsonschema, which reports every problem of the row with its location.
    """
    import fastjsonschema

    check = _fast_check(table)
    problems: list[str] = []
    for index, row in enumerate(rows):
        try:
            check(row)
            continue
        except fastjsonschema.JsonSchemaException:
            pass
        for error in _validator(table).iter_errors(row):
            where = "/".join(str(part) for part in error.absolute_path) or "(row)"
            problems.append(f"row {index} field {where}: {error.message}")
    if problems:
        raise SchemaValidationError(table, problems)
