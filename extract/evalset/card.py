"""The dataset card (``README.md``) and Croissant metadata (``croissant.json``) of an evalset.

An exported evaluation set is a folder::

    OUT/verification/{train,validation,test}.parquet   (+ .jsonl twins)
    OUT/detection/{train,validation,test}.parquet      (+ .jsonl twins)
    OUT/evalset.json      the manifest written by ``claimset evalset``
    OUT/README.md         Hugging Face dataset card (written here)
    OUT/croissant.json    Croissant 1.0 JSON-LD (written here)

Both files describe the Parquet files that are actually in the folder (a split left empty
is not written, so it is not listed) and take their column types from the record contract
(``schema/verification.schema.json``, ``schema/detection.schema.json``) through the same
Arrow schema the files were written with. Every Parquet file is checked against that
schema and against the manifest's row counts first, so a card never describes data that
is not there.

The card's YAML front matter is written by a small emitter below rather than by PyYAML:
claimset does not depend on PyYAML at run time, and the emitter only needs mappings,
lists and scalars. Output is deterministic: the same folder and manifest give the same
bytes (no timestamps; lists in a fixed order).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from extract.errors import ClaimsetError
from extract.tables.contract import arrow_schema, load_json_schema
from extract.tables.io import file_digest, write_text_atomic

CARD_FILE = "README.md"
CROISSANT_FILE = "croissant.json"
# The two tables of an evalset, the default (first) config first.
EVAL_TABLES: tuple[str, ...] = ("verification", "detection")
SPLITS: tuple[str, ...] = ("train", "validation", "test")
PARQUET_MEDIA_TYPE = "application/x-parquet"
CROISSANT_1_0 = "http://mlcommons.org/croissant/1.0"
DEFAULT_PRETTY_NAME = "claimset health-claim evaluation set"
# Hugging Face license id used when the text's terms are not one licence.
OTHER_LICENSE_NAME = "third-party-web-text"
# Croissant's predefined split URIs (cr:TrainingSplit, …), for the split enumeration.
_SPLIT_URIS = {
    "train": "cr:TrainingSplit",
    "validation": "cr:ValidationSplit",
    "test": "cr:TestSplit",
}

_TABLE_SUMMARIES = {
    "verification": (
        "one row per extracted claim: the claim, a FEVER-style label (`SUPPORTS`, `REFUTES`, "
        "`NOT ENOUGH INFO`, `unverified`) from the reviewers' verdicts, and the source sentence "
        "the claim was extracted from"
    ),
    "detection": (
        "one row per sentence of the source documents: whether it states a factual claim "
        "(`is_claim`, CheckThat!-style claim detection) and the types of its claims"
    ),
}
_TABLE_TASKS = {"verification": "claim verification", "detection": "claim detection"}


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


# --------------------------------------------------------------------------- YAML


# A plain (unquoted) scalar is safe when it starts with a letter, uses no YAML indicator
# characters and is not a word YAML 1.1 reads as a boolean or null.
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./<>+ -]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})
_YAML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _yaml_printable(char: str) -> bool:
    """Characters YAML lets stand as themselves inside a double-quoted scalar."""
    code = ord(char)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    )


def _yaml_string(text: str) -> str:
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _YAML_WORDS:
        return text
    parts = ['"']
    for char in text:
        if char in _YAML_ESCAPES:
            parts.append(_YAML_ESCAPES[char])
        elif _yaml_printable(char):
            parts.append(char)
        elif ord(char) <= 0xFF:
            parts.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            parts.append(f"\\u{ord(char):04x}")
        else:
            parts.append(f"\\U{ord(char):08x}")
    parts.append('"')
    return "".join(parts)


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _yaml_string(value)
    if isinstance(value, Mapping) and not value:
        return "{}"
    if isinstance(value, list | tuple) and not value:
        return "[]"
    raise TypeError(f"no YAML form for {type(value).__name__}")


def _is_block(value: Any) -> bool:
    return bool(value) and isinstance(value, Mapping | list | tuple)


def _yaml_lines(value: Any, pad: str) -> list[str]:
    """Block-style YAML lines; lists under a key are not indented (as PyYAML writes them)."""
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _is_block(item):
                lines.append(f"{pad}{_yaml_string(str(key))}:")
                lines.extend(
                    _yaml_lines(item, pad if isinstance(item, list | tuple) else pad + "  ")
                )
            else:
                lines.append(f"{pad}{_yaml_string(str(key))}: {_yaml_scalar(item)}")
        return lines
    for item in value:
        if isinstance(item, Mapping) and item:
            nested = _yaml_lines(item, pad + "  ")
            lines.append(f"{pad}- {nested[0][len(pad) + 2 :]}")
            lines.extend(nested[1:])
        elif _is_block(item):
            raise TypeError("lists of lists have no YAML form here")
        else:
            lines.append(f"{pad}- {_yaml_scalar(item)}")
    return lines


def dump_yaml(value: Mapping[str, Any]) -> str:
    """A mapping as block YAML that ``yaml.safe_load`` reads back to an equal mapping."""
    return "".join(f"{line}\n" for line in _yaml_lines(value, ""))


# --------------------------------------------------------------------------- card data


_SIZE_BOUNDS = ("1K", "10K", "100K", "1M", "10M", "100M", "1B", "10B", "100B", "1T")


def size_category(rows: int) -> str:
    """The Hugging Face ``size_categories`` bucket of a row count."""
    if rows < 1000:
        return "n<1K"
    bound = 1000
    for lower, upper in pairwise(_SIZE_BOUNDS):
        bound *= 10
        if rows < bound:
            return f"{lower}<n<{upper}"
    return "n>1T"


def _hf_features(columns: Sequence[Column]) -> list[dict[str, Any]]:
    """Columns in the ``dataset_info.features`` notation of ``datasets`` (``list:``/``struct:``)."""
    features: list[dict[str, Any]] = []
    for column in columns:
        inner: Any = _hf_features(column.children) if column.children else column.dtype
        if column.repeated:
            features.append({"name": column.name, "list": inner})
        elif column.children:
            features.append({"name": column.name, "struct": inner})
        else:
            features.append({"name": column.name, "dtype": inner})
    return features


def _languages(manifest: Mapping[str, Any]) -> list[str]:
    languages = manifest.get("languages") or ["en"]
    return sorted({str(language) for language in languages})


def _license(manifest: Mapping[str, Any]) -> str:
    return str(manifest.get("license") or "other")


_LICENSE_DETAILS = (
    "The claim and sentence text is quoted from third-party web pages; the terms of those "
    "pages' publishers apply to it. The annotations (labels, claim types, flags, clusters and "
    "splits) were made by the builder of this set with claimset and reviewers' decisions."
)


def _card_metadata(evalset: Evalset) -> dict[str, Any]:
    """The front matter: HF configs and dataset_info for the files present, and tags."""
    manifest = evalset.manifest
    license_id = _license(manifest)
    languages = _languages(manifest)
    metadata: dict[str, Any] = {"license": license_id}
    if license_id == "other":
        metadata["license_name"] = OTHER_LICENSE_NAME
        metadata["license_details"] = _LICENSE_DETAILS
    metadata.update(
        {
            "pretty_name": _pretty_name(manifest),
            "language": languages,
            "language_creators": ["found"],
            "multilinguality": ["monolingual" if len(languages) == 1 else "multilingual"],
            "source_datasets": ["original"],
            "size_categories": [size_category(evalset.total_rows)],
            "task_categories": ["text-classification"],
            # The Hub has no task id for claim detection: the tag says it.
            "task_ids": ["fact-checking"],
            "tags": ["fact-checking", "claim-detection", "health", "claimset"],
        }
    )
    configs: list[dict[str, Any]] = []
    infos: list[dict[str, Any]] = []
    for index, table in enumerate(evalset.tables):
        files = evalset.files_of(table)
        config: dict[str, Any] = {"config_name": table}
        if index == 0:
            config["default"] = True
        config["data_files"] = [{"split": f.split, "path": f.path} for f in files]
        configs.append(config)
        infos.append(
            {
                "config_name": table,
                "features": _hf_features(table_columns(table)),
                "splits": [{"name": f.split, "num_examples": f.rows} for f in files],
            }
        )
    metadata["configs"] = configs
    metadata["dataset_info"] = infos
    return metadata


def _text(mapping: Mapping[str, Any], key: str, default: str = "") -> str:
    """A manifest value as text; a missing or null value is the default."""
    value = mapping.get(key)
    return default if value is None else str(value)


def _pretty_name(manifest: Mapping[str, Any]) -> str:
    return str(manifest.get("pretty_name") or DEFAULT_PRETTY_NAME)


# --------------------------------------------------------------------------- Markdown


def _md(text: Any) -> str:
    """Scraped or user text made safe inside Markdown prose and table cells."""
    escaped = " ".join(str(text).split())
    for char, replacement in (("\\", "\\\\"), ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        escaped = escaped.replace(char, replacement)
    return re.sub(r"([|`*_\[\]#])", r"\\\1", escaped)


def _code(text: Any) -> str:
    """Inline code for a short identifier; backticks inside are dropped."""
    return "`" + " ".join(str(text).replace("`", "").split()) + "`"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _count(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _type_text(column: Column) -> str:
    base = column.dtype if column.dtype is not None else "struct"
    text = f"list<{base}>" if column.repeated else base
    return f"{text}, nullable" if column.nullable else text


def _field_rows(columns: Sequence[Column], prefix: str = "") -> list[list[str]]:
    rows: list[list[str]] = []
    for column in columns:
        name = f"{prefix}{column.name}"
        description = _md(column.description)
        if column.values:
            description += " Values: " + ", ".join(_code(value) for value in column.values) + "."
        rows.append([_code(name), _code(_type_text(column)), description])
        joiner = "[]." if column.repeated else "."
        rows.extend(_field_rows(column.children, f"{name}{joiner}"))
    return rows


def _label_order(table: str, labels: Iterable[str]) -> list[str]:
    """Labels in the contract's enum order (all of them, so zeros show), then any others."""
    known = [value for c in table_columns(table) if c.name == "label" for value in c.values]
    present = set(labels)
    return known + sorted(present - set(known))


def _labels(manifest: Mapping[str, Any], table: str) -> dict[str, dict[str, int]]:
    labels = manifest.get("labels")
    per_table = labels.get(table) if isinstance(labels, Mapping) else None
    if not isinstance(per_table, Mapping):
        return {}
    return {
        str(split): {str(label): _count(n) for label, n in counts.items()}
        for split, counts in per_table.items()
        if isinstance(counts, Mapping)
    }


def _loading_section(evalset: Evalset) -> list[str]:
    lines = [
        "## Loading",
        "",
        "Run from this folder (the one holding this card). With 🤗 Datasets:",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
    ]
    for table in evalset.tables:
        lines.append(f'{table} = load_dataset("parquet", data_files={{')
        lines.extend(f'    "{f.split}": "{f.path}",' for f in evalset.files_of(table))
        lines.append("})")
    lines += ["```", "", "With pandas:", "", "```python", "import pandas as pd", ""]
    for table in evalset.tables:
        splits = ", ".join(f'"{f.split}"' for f in evalset.files_of(table))
        lines.append(
            f'{table} = {{split: pd.read_parquet(f"{table}/{{split}}.parquet") '
            f"for split in [{splits}]}}"
        )
    lines += [
        "```",
        "",
        "Uploaded to the Hugging Face Hub with this card, each table is a configuration: "
        '`load_dataset("<owner>/<name>", "detection")`; '
        f"`{evalset.tables[0]}` is the default. "
        "The `.jsonl` files next to the Parquet files hold the same rows as JSON Lines.",
        "",
    ]
    return lines


def _splits_section(evalset: Evalset) -> list[str]:
    manifest = evalset.manifest
    documents = manifest.get("documents")
    documents = documents if isinstance(documents, Mapping) else {}
    header = ["split", "documents", *(f"{table} rows" for table in EVAL_TABLES)]
    rows = [
        [
            split,
            str(_count(documents.get(split))),
            *(str(evalset.rows(table, split)) for table in EVAL_TABLES),
        ]
        for split in SPLITS
    ]
    total = [
        "**total**",
        str(sum(_count(documents.get(split)) for split in SPLITS)),
        *(str(sum(evalset.rows(table, split) for split in SPLITS)) for table in EVAL_TABLES),
    ]
    lines = ["## Splits", ""]
    ratios = manifest.get("split_ratios")
    if isinstance(ratios, Mapping) and ratios:
        names = [*(n for n in SPLITS if n in ratios), *sorted(set(ratios) - set(SPLITS))]
        shares = ", ".join(f"{_md(name)} {float(ratios[name]):g}" for name in names)
        lines += [
            f"Documents were assigned to splits with seed {_md(_text(manifest, 'seed', '?'))} "
            f"and target ratios {shares}. A split with no rows has no file and is not listed "
            "in the configurations.",
            "",
        ]
    lines += [*_table(header, [*rows, total]), ""]
    for table in EVAL_TABLES:
        per_split = _labels(manifest, table)
        if not per_split:
            continue
        order = _label_order(table, {label for counts in per_split.values() for label in counts})
        label_rows = []
        for split in [name for name in SPLITS if per_split.get(name)]:
            counts = per_split[split]
            whole = sum(counts.values())
            cells = [
                f"{counts.get(label, 0)} ({_percent(counts.get(label, 0), whole)})"
                for label in order
            ]
            label_rows.append([split, *cells, str(whole)])
        lines += [
            f"Label balance, {table}:",
            "",
            *_table(["split", *(_code(label) for label in order), "total"], label_rows),
            "",
        ]
    lines += _leakage_lines(manifest)
    return lines


def _leakage_lines(manifest: Mapping[str, Any]) -> list[str]:
    check = manifest.get("leakage_check")
    lines = ["### Leakage check", ""]
    if not isinstance(check, Mapping):
        return [*lines, "The manifest records no leakage check.", ""]
    documents = _count(check.get("documents_in_two_splits"))
    clusters = _count(check.get("clusters_in_two_splits"))
    if check.get("passed") is True:
        verdict = (
            "**Passed.** No source document and no same-claim cluster has rows in two splits "
            f"({documents} documents and {clusters} clusters span splits)."
        )
    else:
        verdict = (
            f"**Failed.** {documents} source documents and {clusters} same-claim clusters have "
            "rows in more than one split; scores on this set may be inflated."
        )
    return [
        *lines,
        verdict,
        "",
        "Clusters come from lexical matching, so two paraphrases that share few words can sit "
        "in different clusters and different splits; the check cannot see those.",
        "",
    ]


def _fields_section(evalset: Evalset) -> list[str]:
    lines = ["## Fields", ""]
    for table in evalset.tables:
        description = _md(load_json_schema(table).get("description", ""))
        lines += [
            f"### {table}",
            "",
            description,
            "",
            *_table(["field", "type", "description"], _field_rows(table_columns(table))),
            "",
        ]
    return lines


def _source_name(manifest: Mapping[str, Any]) -> str:
    """The source dataset's folder name: a local absolute path does not belong in a card."""
    source = str(manifest.get("source_dataset") or "")
    return PurePosixPath(source.replace("\\", "/")).name or "unnamed"


def _model(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    model = manifest.get("model")
    return model if isinstance(model, Mapping) else {}


def _model_text(manifest: Mapping[str, Any]) -> str:
    model = _model(manifest)
    if not model.get("name"):
        return "its spaCy pipeline"
    version = f" {model['version']}" if model.get("version") else ""
    return f"the spaCy pipeline {_code(str(model['name']) + version)}"


def _verification_totals(manifest: Mapping[str, Any]) -> tuple[int, int]:
    """Rows of the verification table, and how many of them are labelled unverified."""
    per_split = _labels(manifest, "verification")
    total = sum(sum(counts.values()) for counts in per_split.values())
    unverified = sum(counts.get("unverified", 0) for counts in per_split.values())
    return total, unverified


def _summary(evalset: Evalset) -> str:
    manifest = evalset.manifest
    counts = ", ".join(
        f"{_TABLE_TASKS[table]} (`{table}`, {sum(f.rows for f in evalset.files_of(table))} rows)"
        for table in evalset.tables
    )
    return (
        f"An evaluation set of health claims exported by claimset "
        f"{_md(_text(manifest, 'claimset_version'))} from the claim dataset "
        f"{_code(_source_name(manifest))}. The claims were extracted from health web pages by "
        f"claimset's rule-based pipeline on {_model_text(manifest)}; their labels come from "
        f"reviewers' verdicts where a reviewer gave one and are `unverified` otherwise. Tasks: "
        f"{counts}. Splits are grouped by source document and by same-claim cluster, so that no "
        f"source document and no cluster spans two splits."
    )


def _composition(evalset: Evalset) -> list[str]:
    manifest = evalset.manifest
    lines = ["### Composition", ""]
    for table in evalset.tables:
        rows = sum(f.rows for f in evalset.files_of(table))
        lines.append(f"- `{table}` ({rows} rows): {_TABLE_SUMMARIES[table]}.")
    documents = manifest.get("documents")
    if isinstance(documents, Mapping):
        lines.append(
            f"- The rows come from {sum(_count(n) for n in documents.values())} source "
            "documents; the source dataset's `documents.parquet` holds their full text, which "
            "is not part of this set."
        )
    clusters = manifest.get("clusters")
    if isinstance(clusters, Mapping):
        lines.append(
            f"- {_count(clusters.get('count'))} same-claim clusters, "
            f"{_count(clusters.get('multi_document'))} of them with claims from more than one "
            "document (`cluster_id` links a claim to its cluster)."
        )
    total, unverified = _verification_totals(manifest)
    if total:
        lines.append(
            f"- {unverified} of {total} verification rows ({_percent(unverified, total)}) are "
            "`unverified`: no reviewer judged them supported, refuted or lacking evidence."
        )
    excluded = manifest.get("excluded")
    if isinstance(excluded, Mapping):
        counts = {table: _count(excluded.get(table)) for table in EVAL_TABLES}
        if any(counts.values()):
            left_out = ", ".join(f"{n} {table}" for table, n in counts.items())
            reason = f": {_md(excluded['reason'])}" if excluded.get("reason") else ""
            lines.append(f"- Rows left out of the export ({left_out}){reason}.")
        else:
            lines.append("- No rows were left out of the export.")
    if manifest.get("reviewed_only"):
        lines.append("- Only reviewed claims were exported (`reviewed_only`).")
    lines += [
        "- The `evidence` of a verification row is the sentence the claim was extracted from. "
        "It locates the claim; it is not independent evidence for or against it, so a "
        "verification system has to bring its own knowledge or retrieval.",
        "- The text is quoted as it stands on the pages. It can contain the names of people "
        "the pages quote or mention; `source_file` shows the builder's file paths.",
        "",
    ]
    largest = clusters.get("largest") if isinstance(clusters, Mapping) else None
    if isinstance(largest, list):
        lines += _largest_clusters([item for item in largest[:5] if isinstance(item, Mapping)])
    return lines


def _largest_clusters(items: Sequence[Mapping[str, Any]]) -> list[str]:
    """The biggest same-claim clusters, with whether their sources disagree when known."""
    if not items:
        return []
    header = ["cluster", "claims", "documents", "canonical claim"]
    stance = any("sources_disagree" in item for item in items)
    if stance:
        header.append("sources disagree")
    rows = []
    for item in items:
        row = [
            _code(_text(item, "cluster_id")),
            str(_count(item.get("size"))),
            str(_count(item.get("n_documents"))),
            _md(_shorten(_text(item, "canonical_text"), 160)),
        ]
        if stance:
            row.append("yes" if item.get("sources_disagree") else "no")
        rows.append(row)
    return ["Largest clusters:", "", *_table(header, rows), ""]


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# The datasheet's prose, shared by the card and the Croissant RAI properties.
_MOTIVATION = (
    "claimset turns folders of messy health web pages (drug information pages, clinic blogs, "
    "articles copied and spun from site to site) into a typed claim dataset. This export "
    "packages that dataset for two evaluation tasks: finding the sentences that state a "
    "checkable fact (claim detection, as in the CLEF CheckThat! check-worthiness tasks) and "
    "judging a claim (claim verification, with FEVER's labels). It exists to measure claim "
    "detectors, claim-type classifiers and fact-checking systems on the kind of health text "
    "that is actually published on the web, rather than on edited encyclopedia prose."
)
_COLLECTION = (
    "claimset does not crawl: the builder chose the pages and ran `claimset build` on them "
    "(saved HTML, text, PDF or corpus files). HTML pages were reduced to their main content "
    "with trafilatura (no navigation, scripts or comments); PDFs were read with pypdf. Each "
    "document is identified by the sha256 of its bytes; a file with the same content as an "
    "earlier one was skipped. When and where the pages were collected is not recorded here."
)
_PREPROCESSING = (
    "Sentences were segmented without crossing line breaks. Rules on spaCy's parse decide "
    "which sentences state factual claims (page chrome, headings, questions, advice, "
    "disclaimers, testimonials and reference entries do not), split sentences that join two "
    "statements into one claim per clause, and type each claim (mechanism, route, onset, "
    "study finding, efficacy, safety, dosage, epidemiology, regulatory, history, other). They "
    "also flag hedges, negation, citation markers and claims that state findings without a "
    "citation. Claims that state the same proposition were grouped into clusters by the terms "
    "they share (entities, synonym classes and stems, with stance words left out)."
)
_LABELLING = (
    "Reviewers accepted, rejected or relabelled claims and gave verdicts; the latest decision "
    "per claim counts. A verification label is that verdict (supported → SUPPORTS, refuted → "
    "REFUTES, not enough info → NOT ENOUGH INFO, none → unverified). A detection row takes "
    "the reviewed decisions when every claim of its sentence has one (label_source 'review') "
    "and the extractor's output otherwise (label_source 'extractor'). Rows were split by "
    "source document, keeping each same-claim cluster in one split, so that no document and "
    "no cluster spans two splits."
)
_USES = (
    "Intended: benchmarking claim detection and claim-type classification on web health text; "
    "evaluating verification systems on the reviewed rows; studying hedging, negation and "
    "uncited findings. Out of scope: this is not medical advice, and no label says whether a "
    "treatment is safe or works. Most verification labels are `unverified` unless the set was "
    "exported with reviewed rows only: `unverified` means nobody checked, not that the claim "
    "is false, so it must not be used as a truth label or as a stand-in for REFUTES. Detection "
    "labels with `label_source: extractor` are the rule-based pipeline's output, not human "
    "judgements. Do not use the set to rate the sites or the people quoted in it."
)
_DISTRIBUTION = (
    "Parquet files per table and split, with JSON Lines twins holding the same rows, this card, "
    "`croissant.json` (Croissant 1.0) and the export manifest `evalset.json`. The claim and "
    "sentence text is quoted from third-party web pages whose own terms apply to it; the "
    "annotations are the builder's. Check that you may share the quoted text before you "
    "publish the set."
)
_MAINTENANCE = (
    "The set is regenerated, not edited: fix the reviews or the source dataset and run "
    "`claimset evalset` again. `evalset.json` records the claimset, extractor and model "
    "versions, the seed and the split ratios, so an export can be traced to what made it; a "
    "new claimset version may extract different claims from the same pages."
)
_LIMITATIONS = (
    "Claims come from hand-written rules, which miss some claims, keep some non-claims, "
    "mistype some and cut some clauses wrongly; unreviewed rows carry those errors. The "
    "pipeline and its word lists are English only. Clusters come from lexical matching: "
    "paraphrases that share few words stay apart, so clusters are small and a same-claim pair "
    "can still straddle two splits."
)
_BIASES = (
    "The pages are often machine-spun (synonyms swapped in, odd phrasing, pasted keywords) and "
    "the text is kept as written. The topics follow whatever pages the builder collected "
    "(often one drug or condition dominates). Most labels are 'unverified', and the reviewed "
    "ones are the judgement of whoever reviewed them, with no agreement between reviewers "
    "measured."
)
_SENSITIVE = (
    "The text may name people the pages quote or mention, and health conditions in general "
    "terms; no personal records were collected. `source_file` holds the builder's file paths."
)


def _datasheet(evalset: Evalset) -> list[str]:
    sections = [
        ("Motivation", _MOTIVATION),
        ("Collection process", _COLLECTION),
        ("Preprocessing, cleaning and labelling", f"{_PREPROCESSING} {_LABELLING}"),
        ("Uses", _USES),
        ("Distribution", _DISTRIBUTION),
        ("Maintenance", _MAINTENANCE),
        ("Limitations and biases", f"{_LIMITATIONS} {_BIASES}"),
    ]
    lines = ["## Datasheet", "", "Following Gebru et al., *Datasheets for Datasets*.", ""]
    for title, text in sections[:1]:
        lines += [f"### {title}", "", text, ""]
    lines += _composition(evalset)
    for title, text in sections[1:]:
        lines += [f"### {title}", "", text, ""]
    return lines


def _provenance(evalset: Evalset) -> list[str]:
    manifest = evalset.manifest
    model = _model(manifest)
    rows = [
        ["export name", _md(_text(manifest, "name"))],
        ["claimset version", _md(_text(manifest, "claimset_version"))],
        ["extractor version", _md(_text(manifest, "extractor_version"))],
        ["spaCy model", _md(f"{_text(model, 'name')} {_text(model, 'version')}".strip())],
        ["source dataset", _code(_source_name(manifest))],
        ["seed", _md(_text(manifest, "seed"))],
        ["reviewed only", "yes" if manifest.get("reviewed_only") else "no"],
        ["languages", ", ".join(_languages(manifest))],
        ["license", _code(_license(manifest))],
    ]
    return ["## Provenance", "", *_table(["", ""], rows), ""]


def _card(evalset: Evalset) -> str:
    front = dump_yaml(_card_metadata(evalset))
    body = [
        f"# {_md(_pretty_name(evalset.manifest))}",
        "",
        _summary(evalset),
        "",
        *_loading_section(evalset),
        *_splits_section(evalset),
        *_fields_section(evalset),
        *_datasheet(evalset),
        *_provenance(evalset),
    ]
    while body and not body[-1]:
        body.pop()
    return f"---\n{front}---\n\n" + "\n".join(body) + "\n"


def card_text(out_dir: Path | str, manifest: Mapping[str, Any]) -> str:
    """The dataset card (``README.md``) of the exported folder: YAML front matter and prose."""
    return _card(scan(out_dir, manifest))


# --------------------------------------------------------------------------- Croissant


def _croissant_context() -> dict[str, Any]:
    """The Croissant 1.0 ``@context`` (schema.org as the vocabulary, cr/dct/rai prefixes)."""
    terms = {
        "citeAs": "cr:citeAs",
        "column": "cr:column",
        "conformsTo": "dct:conformsTo",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "data": {"@id": "cr:data", "@type": "@json"},
        "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
        "dct": "http://purl.org/dc/terms/",
        "equivalentProperty": "cr:equivalentProperty",
        "examples": {"@id": "cr:examples", "@type": "@json"},
        "extract": "cr:extract",
        "field": "cr:field",
        "fileProperty": "cr:fileProperty",
        "fileObject": "cr:fileObject",
        "fileSet": "cr:fileSet",
        "format": "cr:format",
        "includes": "cr:includes",
        "isLiveDataset": "cr:isLiveDataset",
        "jsonPath": "cr:jsonPath",
        "key": "cr:key",
        "md5": "cr:md5",
        "parentField": "cr:parentField",
        "path": "cr:path",
        "recordSet": "cr:recordSet",
        "references": "cr:references",
        "regex": "cr:regex",
        "repeated": "cr:repeated",
        "replace": "cr:replace",
        "samplingRate": "cr:samplingRate",
        "sc": "https://schema.org/",
        "separator": "cr:separator",
        "source": "cr:source",
        "subField": "cr:subField",
        "transform": "cr:transform",
    }
    return {"@language": "en", "@vocab": "https://schema.org/", **terms}


_CROISSANT_TYPES = {"string": "sc:Text", "large_string": "sc:Text", "bool": "sc:Boolean"}


def croissant_type(dtype: str) -> str:
    """The Croissant ``dataType`` of a Hugging Face dtype."""
    if dtype in _CROISSANT_TYPES:
        return _CROISSANT_TYPES[dtype]
    if dtype.startswith(("int", "uint")):
        return "sc:Integer"
    if dtype.startswith("float"):
        return "sc:Float"
    raise ClaimsetError(f"no Croissant data type for {dtype}")


def _file_set_id(table: str) -> str:
    return f"{table}-parquet-files"


def _cr_field(column: Column, parent_id: str, table: str, path: tuple[str, ...]) -> dict[str, Any]:
    """A cr:Field; a struct member reads its parent column through a JSONPath transform."""
    field_id = f"{parent_id}/{column.name}"
    field: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": field_id,
        "name": column.name,
        "description": column.description,
    }
    if column.dtype is not None:
        field["dataType"] = croissant_type(column.dtype)
    if column.repeated:
        # Croissant 1.0 spells a list as `repeated` (1.1 renamed it `isArray`).
        field["repeated"] = True
    if column.children:
        if len(path) > 1:
            raise ClaimsetError(f"{field_id}: structs nested in structs are not described")
        field["subField"] = [
            _cr_field(child, field_id, table, (*path, child.name)) for child in column.children
        ]
        return field
    source: dict[str, Any] = {
        "fileSet": {"@id": _file_set_id(table)},
        "extract": {"column": path[0]},
    }
    if len(path) > 1:
        source["transform"] = {"jsonPath": ".".join(path[1:])}
    field["source"] = source
    return field


def _split_field(table: str, splits: Sequence[str]) -> dict[str, Any]:
    """The split of a row, read from its file's path as the Hub's own Croissant files do."""
    pattern = "|".join(re.escape(split) for split in splits)
    # The folder and extension are optional so that the regex also maps a bare split name to
    # itself: mlcroissant applies the transform again after joining with the split set.
    regex = f"^(?:{re.escape(table)}/)?({pattern})(?:\\.parquet)?$"
    return {
        "@type": "cr:Field",
        "@id": f"{table}/split",
        "name": "split",
        "description": "The split the row belongs to, from the name of its file.",
        "dataType": "sc:Text",
        "source": {
            "fileSet": {"@id": _file_set_id(table)},
            "extract": {"fileProperty": "fullpath"},
            "transform": {"regex": regex},
        },
        "references": {"field": {"@id": "splits/name"}},
    }


def _splits_record_set(splits: Sequence[str]) -> dict[str, Any]:
    return {
        "@type": "cr:RecordSet",
        "@id": "splits",
        "name": "splits",
        "description": "The splits of this set.",
        "dataType": "cr:Split",
        "key": {"@id": "splits/name"},
        "field": [
            {
                "@type": "cr:Field",
                "@id": "splits/name",
                "name": "name",
                "description": "The split's name.",
                "dataType": "sc:Text",
            },
            {
                "@type": "cr:Field",
                "@id": "splits/url",
                "name": "url",
                "description": "The split's Croissant type.",
                "dataType": "sc:URL",
            },
        ],
        "data": [{"splits/name": split, "splits/url": _SPLIT_URIS[split]} for split in splits],
    }


def _plain(text: str) -> str:
    """Card prose for JSON-LD, where Markdown code marks mean nothing."""
    return text.replace("`", "")


def _croissant(evalset: Evalset) -> dict[str, Any]:
    manifest = evalset.manifest
    distribution: list[dict[str, Any]] = []
    record_sets: list[dict[str, Any]] = [_splits_record_set(evalset.splits)]
    for table in evalset.tables:
        files = evalset.files_of(table)
        for file in files:
            distribution.append(
                {
                    "@type": "cr:FileObject",
                    "@id": file.path,
                    "name": file.path,
                    "description": f"The {file.split} split of the {table} table.",
                    "contentUrl": file.path,
                    "encodingFormat": PARQUET_MEDIA_TYPE,
                    "contentSize": f"{file.size} B",
                    "sha256": file.sha256,
                }
            )
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": _file_set_id(table),
                "name": _file_set_id(table),
                "description": f"The Parquet files of the {table} table, one per split.",
                "encodingFormat": PARQUET_MEDIA_TYPE,
                "includes": f"{table}/*.parquet",
            }
        )
        columns = table_columns(table)
        if any(column.name == "split" for column in columns):
            raise ClaimsetError(f"{table} has a column named 'split', which Croissant adds")
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": table,
                "name": table,
                "description": str(load_json_schema(table).get("description", "")),
                "key": {"@id": f"{table}/id"},
                "field": [
                    _split_field(table, [f.split for f in files]),
                    *(_cr_field(column, table, table, (column.name,)) for column in columns),
                ],
            }
        )
    model = _model(manifest)
    tools = (
        _text(manifest, "extractor_version") or f"claimset {_text(manifest, 'claimset_version')}"
    )
    if model.get("name"):
        tools += f" on the spaCy pipeline {model['name']} {model.get('version') or ''}"
    document: dict[str, Any] = {
        "@context": _croissant_context(),
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_1_0,
        "name": str(manifest.get("name") or "claimset-evalset"),
        "description": _plain(_summary(evalset)),
        "license": _license(manifest)
        if _license(manifest) != "other"
        else f"other: {_LICENSE_DETAILS}",
        "version": str(manifest.get("claimset_version") or "0.0.0"),
        "inLanguage": _languages(manifest),
        "keywords": ["fact-checking", "claim-detection", "health", "claimset"],
    }
    # The set is written in a staging folder and moved, so its folder name is no address:
    # a url is given only when the manifest has one.
    if manifest.get("url"):
        document["url"] = str(manifest["url"])
    document["citeAs"] = str(manifest.get("citation") or _bibtex(evalset))
    creator = manifest.get("creator")
    if creator:
        document["creator"] = {"@type": "sc:Person", "name": str(creator)}
    document.update(
        {
            "rai:dataCollection": _plain(_COLLECTION),
            "rai:dataCollectionType": ["Web Scraping"],
            "rai:dataPreprocessingProtocol": _plain(_PREPROCESSING),
            "rai:dataAnnotationProtocol": _plain(_LABELLING),
            "rai:machineAnnotationTools": [tools.strip()],
            "rai:dataUseCases": _plain(_USES),
            "rai:dataLimitations": _plain(_LIMITATIONS),
            "rai:dataBiases": _plain(_BIASES),
            "rai:personalSensitiveInformation": _plain(_SENSITIVE),
            "rai:dataReleaseMaintenancePlan": _plain(_MAINTENANCE),
            "distribution": distribution,
            "recordSet": record_sets,
        }
    )
    return document


def _bibtex(evalset: Evalset) -> str:
    """A citation for the set; the builder can give a fuller one as the manifest's ``citation``."""
    manifest = evalset.manifest
    key = re.sub(r"[^A-Za-z0-9_-]", "", str(manifest.get("name") or "claimset-evalset"))
    title = _pretty_name(manifest).replace("{", "").replace("}", "")
    note = (
        (
            f"Exported by claimset {_text(manifest, 'claimset_version')} from the claim dataset "
            f"{_source_name(manifest)}"
        )
        .replace("{", "")
        .replace("}", "")
    )
    return f"@misc{{{key or 'evalset'},\n  title = {{{title}}},\n  note = {{{note}}}\n}}"


def croissant(out_dir: Path | str, manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The Croissant 1.0 JSON-LD of the exported folder (files, record sets, fields)."""
    return _croissant(scan(out_dir, manifest))


def croissant_json(document: Mapping[str, Any]) -> str:
    """The JSON text written to ``croissant.json`` (keys in build order, UTF-8, final newline)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- writing


def write_card(out_dir: Path | str, manifest: Mapping[str, Any]) -> None:
    """Write ``README.md`` and ``croissant.json`` into the exported folder.

    Both texts are built before either file is written, so a folder that cannot be
    described keeps its previous card and Croissant file.
    """
    folder = Path(out_dir)
    evalset = scan(folder, manifest)
    card = _card(evalset)
    metadata = croissant_json(_croissant(evalset))
    write_text_atomic(folder / CARD_FILE, card)
    write_text_atomic(folder / CROISSANT_FILE, metadata)
