"""The dataset card (``README.md``) of an evalset, and ``write_card``, which writes it with the
Croissant metadata (``croissant.json``) into the exported folder.

The card's YAML front matter is written by a small emitter below rather than by PyYAML:
claimset does not depend on PyYAML at run time, and the emitter only needs mappings,
lists and scalars. Output is deterministic: the same folder and manifest give the same
bytes (no timestamps; lists in a fixed order).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from extract.evalset.croissant import CROISSANT_FILE, croissant_document, croissant_json
from extract.evalset.datasheet import (
    datasheet_section,
    escape_markdown,
    fields_section,
    loading_section,
    provenance_section,
    splits_section,
    summary,
)
from extract.evalset.folder import (
    LICENSE_DETAILS,
    Column,
    Evalset,
    manifest_languages,
    manifest_license,
    pretty_name,
    scan,
    table_columns,
)
from extract.tables.io import write_text_atomic

CARD_FILE = "README.md"
# Hugging Face license id used when the text's terms are not one licence.
OTHER_LICENSE_NAME = "third-party-web-text"


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


def _card_metadata(evalset: Evalset) -> dict[str, Any]:
    """The front matter: HF configs and dataset_info for the files present, and tags."""
    manifest = evalset.manifest
    license_id = manifest_license(manifest)
    languages = manifest_languages(manifest)
    metadata: dict[str, Any] = {"license": license_id}
    if license_id == "other":
        metadata["license_name"] = OTHER_LICENSE_NAME
        metadata["license_details"] = LICENSE_DETAILS
    metadata.update(
        {
            "pretty_name": pretty_name(manifest),
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


def _card(evalset: Evalset) -> str:
    front = dump_yaml(_card_metadata(evalset))
    body = [
        f"# {escape_markdown(pretty_name(evalset.manifest))}",
        "",
        summary(evalset),
        "",
        *loading_section(evalset),
        *splits_section(evalset),
        *fields_section(evalset),
        *datasheet_section(evalset),
        *provenance_section(evalset),
    ]
    while body and not body[-1]:
        body.pop()
    return f"---\n{front}---\n\n" + "\n".join(body) + "\n"


def card_text(out_dir: Path | str, manifest: Mapping[str, Any]) -> str:
    """The dataset card (``README.md``) of the exported folder: YAML front matter and prose."""
    return _card(scan(out_dir, manifest))


# --------------------------------------------------------------------------- writing


def write_card(out_dir: Path | str, manifest: Mapping[str, Any]) -> None:
    """Write ``README.md`` and ``croissant.json`` into the exported folder.

    Both texts are built before either file is written, so a folder that cannot be
    described keeps its previous card and Croissant file.
    """
    folder = Path(out_dir)
    evalset = scan(folder, manifest)
    card = _card(evalset)
    metadata = croissant_json(croissant_document(evalset))
    write_text_atomic(folder / CARD_FILE, card)
    write_text_atomic(folder / CROISSANT_FILE, metadata)
