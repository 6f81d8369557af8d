"""The evalset's Croissant 1.0 metadata (``croissant.json``): a FileObject with its sha256 per
Parquet file, a FileSet per table, and record sets whose fields come from the record contract.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from extract.errors import ClaimsetError
from extract.evalset.datasheet import (
    BIASES,
    COLLECTION,
    LABELLING,
    LIMITATIONS,
    MAINTENANCE,
    PREPROCESSING,
    SENSITIVE,
    USES,
    summary,
)
from extract.evalset.folder import (
    LICENSE_DETAILS,
    Column,
    Evalset,
    manifest_languages,
    manifest_license,
    manifest_text,
    pretty_name,
    scan,
    source_name,
    spacy_model,
    table_columns,
)
from extract.tables.contract import load_json_schema

CROISSANT_FILE = "croissant.json"
PARQUET_MEDIA_TYPE = "application/x-parquet"
CROISSANT_1_0 = "http://mlcommons.org/croissant/1.0"
# Croissant's predefined split URIs (cr:TrainingSplit, …), for the split enumeration.
_SPLIT_URIS = {
    "train": "cr:TrainingSplit",
    "validation": "cr:ValidationSplit",
    "test": "cr:TestSplit",
}


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


def croissant_document(evalset: Evalset) -> dict[str, Any]:
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
    model = spacy_model(manifest)
    tools = (
        manifest_text(manifest, "extractor_version")
        or f"claimset {manifest_text(manifest, 'claimset_version')}"
    )
    if model.get("name"):
        tools += f" on the spaCy pipeline {model['name']} {model.get('version') or ''}"
    document: dict[str, Any] = {
        "@context": _croissant_context(),
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_1_0,
        "name": str(manifest.get("name") or "claimset-evalset"),
        "description": _plain(summary(evalset)),
        "license": manifest_license(manifest)
        if manifest_license(manifest) != "other"
        else f"other: {LICENSE_DETAILS}",
        "version": str(manifest.get("claimset_version") or "0.0.0"),
        "inLanguage": manifest_languages(manifest),
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
            "rai:dataCollection": _plain(COLLECTION),
            "rai:dataCollectionType": ["Web Scraping"],
            "rai:dataPreprocessingProtocol": _plain(PREPROCESSING),
            "rai:dataAnnotationProtocol": _plain(LABELLING),
            "rai:machineAnnotationTools": [tools.strip()],
            "rai:dataUseCases": _plain(USES),
            "rai:dataLimitations": _plain(LIMITATIONS),
            "rai:dataBiases": _plain(BIASES),
            "rai:personalSensitiveInformation": _plain(SENSITIVE),
            "rai:dataReleaseMaintenancePlan": _plain(MAINTENANCE),
            "distribution": distribution,
            "recordSet": record_sets,
        }
    )
    return document


def _bibtex(evalset: Evalset) -> str:
    """A citation for the set; the builder can give a fuller one as the manifest's ``citation``."""
    manifest = evalset.manifest
    key = re.sub(r"[^A-Za-z0-9_-]", "", str(manifest.get("name") or "claimset-evalset"))
    title = pretty_name(manifest).replace("{", "").replace("}", "")
    note = (
        (
            f"Exported by claimset {manifest_text(manifest, 'claimset_version')} "
            f"from the claim dataset {source_name(manifest)}"
        )
        .replace("{", "")
        .replace("}", "")
    )
    return f"@misc{{{key or 'evalset'},\n  title = {{{title}}},\n  note = {{{note}}}\n}}"


def croissant(out_dir: Path | str, manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The Croissant 1.0 JSON-LD of the exported folder (files, record sets, fields)."""
    return croissant_document(scan(out_dir, manifest))


def croissant_json(document: Mapping[str, Any]) -> str:
    """The JSON text written to ``croissant.json`` (keys in build order, UTF-8, final newline)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
