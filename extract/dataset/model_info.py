"""What a spaCy pipeline is, without loading it (or spaCy): names and versions."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def model_version(model: str, nlp: Language | None = None) -> str:
    """The pipeline's version: from the loaded pipeline, its meta.json, or its package."""
    if nlp is not None:
        return str(nlp.meta.get("version", ""))
    path = Path(model)
    if (path / "meta.json").is_file():
        try:
            return str(json.loads((path / "meta.json").read_text("utf-8")).get("version", ""))
        except (OSError, ValueError):
            return ""
    return _package_version(model) or _package_version(model.replace("_", "-"))


def pipeline_info(nlp: Language | None, model: str) -> dict[str, Any]:
    """What went into a pipeline, for the dataset's metadata (loaded or not)."""
    return {
        "spacy_version": _package_version("spacy"),
        "model_name": model,
        "model_version": model_version(model, nlp),
        "pipe_names": list(nlp.pipe_names) if nlp is not None else None,
    }
