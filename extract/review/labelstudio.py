"""Label Studio as a review channel: export claims as pre-annotated tasks, import decisions.

Reviewers who already work in Label Studio can judge claims there instead of in a
spreadsheet. Each claim becomes one task showing its paragraph, with the claim pre-marked
as a region labelled with its extracted type; the reviewer keeps, relabels or removes the
region and picks a decision, a verdict and a citation correction. The JSON export Label
Studio writes is read back into :class:`~extract.review.log.Decision` rows of the review log.

Offsets are the delicate part. claimset counts Python string indices (code points);
JavaScript counts UTF-16 code units, where a character outside the Basic Multilingual Plane
(emoji, mathematical letters) takes two. Tasks say which unit their pre-annotations use
(``data.text_offsets``), and on import the region's own text decides between the units, so
spans survive either way of counting.

This module writes the tasks and the labeling config; :mod:`extract.review.labelstudio_import`
reads the export back.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from extract.errors import UsageError
from extract.review.context import review_items
from extract.review.log import (
    CLAIM_TYPES,
    DECISIONS,
    SETTLING,
    VERDICTS,
    ReviewLog,
    latest_decisions,
)
from extract.tables.io import write_text_atomic

__all__ = [
    "export_labelstudio",
    "labeling_config",
    "python_offset",
    "utf16_offset",
]

UTF16 = "utf-16"
CODEPOINTS = "codepoints"
OFFSET_UNITS = (UTF16, CODEPOINTS)
CITATION_CHOICES = {"cited": True, "not cited": False}
# Names of the labeling-config controls; the importer looks results up by them.
TEXT_NAME = "text"
LABELS_NAME = "claim_type"
DECISION_NAME = "decision"
VERDICT_NAME = "verdict"
CITATION_NAME = "citation"
NOTE_NAME = "note"


# --- offsets --------------------------------------------------------------------------------


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 code-unit offset (what JavaScript counts) of Python index ``index``."""
    if not 0 <= index <= len(text):
        raise ValueError(f"index {index} is outside the text (0..{len(text)})")
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


def python_offset(text: str, utf16_index: int) -> int:
    """The Python index of UTF-16 offset ``utf16_index``; inverse of :func:`utf16_offset`.

    Raises :class:`ValueError` when the offset is out of range or falls between the two
    halves of a surrogate pair (no Python index corresponds to it).
    """
    if utf16_index < 0:
        raise ValueError(f"UTF-16 offset {utf16_index} is negative")
    units = 0
    for position, char in enumerate(text):
        if units == utf16_index:
            return position
        units += 2 if ord(char) > 0xFFFF else 1
        if units > utf16_index:
            raise ValueError(
                f"UTF-16 offset {utf16_index} falls inside the character {char!r} "
                f"at index {position} (a surrogate pair)"
            )
    if units == utf16_index:
        return len(text)
    raise ValueError(f"UTF-16 offset {utf16_index} is past the end of the text ({units} units)")


def _to_unit(text: str, index: int, unit: str) -> int:
    return utf16_offset(text, index) if unit == UTF16 else index


# --- the labeling config --------------------------------------------------------------------


def labeling_config() -> str:
    """The Label Studio labeling config (XML) the exported tasks are made for."""
    view = ET.Element("View")
    # Without pre-wrap Label Studio collapses runs of spaces and line breaks on screen.
    ET.SubElement(view, "Style").text = ".htx-text { white-space: pre-wrap; }"
    ET.SubElement(view, "Header", value="$source_file")
    labels = ET.SubElement(view, "Labels", name=LABELS_NAME, toName=TEXT_NAME, choice="single")
    for claim_type in CLAIM_TYPES:
        ET.SubElement(labels, "Label", value=claim_type)
    ET.SubElement(view, "Text", name=TEXT_NAME, value=f"${TEXT_NAME}")
    for name, title, values in (
        (DECISION_NAME, "Decision", DECISIONS),
        (VERDICT_NAME, "Verdict", VERDICTS),
        (CITATION_NAME, "Citation (correct the extractor's flag)", tuple(CITATION_CHOICES)),
    ):
        ET.SubElement(view, "Header", value=title)
        choices = ET.SubElement(
            view, "Choices", name=name, toName=TEXT_NAME, choice="single", showInline="true"
        )
        for value in values:
            ET.SubElement(choices, "Choice", value=value)
    ET.SubElement(view, "Header", value="Note")
    ET.SubElement(view, "TextArea", name=NOTE_NAME, toName=TEXT_NAME, rows="3", maxSubmissions="1")
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


# --- export ---------------------------------------------------------------------------------


def export_labelstudio(
    dataset_dir: Path | str,
    out_path: Path | str,
    *,
    include_reviewed: bool = False,
    claim_ids: Collection[str] | None = None,
    offset_unit: str = UTF16,
) -> int:
    """Write one pre-annotated Label Studio task per claim to ``out_path`` (JSON).

    Like the CSV queue, claims with a settling decision (accept, reject, relabel) are left
    out unless ``include_reviewed``. The labeling config goes next to the tasks as
    ``<stem>.config.xml``. ``claim_ids`` restricts the export (an id not in the dataset is
    an error); ``offset_unit`` is how the pre-annotations count (``"utf-16"`` or
    ``"codepoints"``). Returns the number of tasks.
    """
    if offset_unit not in OFFSET_UNITS:
        raise UsageError(f"offset unit {offset_unit!r} is not one of {', '.join(OFFSET_UNITS)}")
    wanted = None if claim_ids is None else set(claim_ids)
    latest = {} if include_reviewed else latest_decisions(ReviewLog(dataset_dir).rows())
    tasks = []
    seen = set()
    for item in review_items(dataset_dir):
        claim = item.claim
        if wanted is not None and claim["claim_id"] not in wanted:
            continue
        seen.add(claim["claim_id"])
        decided = latest.get(claim["claim_id"])
        if decided is not None and decided["decision"] in SETTLING:
            continue
        tasks.append(_task(item.paragraph, item.paragraph_start, item.line, claim, offset_unit))
    if wanted is not None:
        missing = sorted(wanted - seen)
        if missing:
            shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            raise UsageError(f"{len(missing)} claim id(s) not in {dataset_dir}: {shown}")
    out_path = Path(out_path)
    # One task per line: still a JSON list for Label Studio, and readable in a diff.
    body = ",\n".join(json.dumps(task, ensure_ascii=False) for task in tasks)
    write_text_atomic(out_path, f"[\n{body}\n]\n" if tasks else "[]\n")
    write_text_atomic(out_path.with_name(f"{out_path.stem}.config.xml"), labeling_config())
    return len(tasks)


def _task(
    paragraph: str, paragraph_start: int, line: int, claim: Mapping[str, Any], unit: str
) -> dict[str, Any]:
    start = claim["char_start"] - paragraph_start
    end = claim["char_end"] - paragraph_start
    region = {
        # Deterministic, so exporting twice gives the same file.
        "id": claim["claim_id"][1:11],
        "from_name": LABELS_NAME,
        "to_name": TEXT_NAME,
        "type": "labels",
        "value": {
            "start": _to_unit(paragraph, start, unit),
            "end": _to_unit(paragraph, end, unit),
            "text": claim["text"],
            "labels": [claim["claim_type"]],
        },
    }
    return {
        "data": {
            TEXT_NAME: paragraph,
            "claim_id": claim["claim_id"],
            "doc_id": claim["doc_id"],
            "source_file": claim["source_file"],
            "line": line,
            "claim_type": claim["claim_type"],
            "has_citation": claim["has_citation"],
            "hedged": claim["hedged"],
            "char_start": claim["char_start"],
            "char_end": claim["char_end"],
            "paragraph_start": paragraph_start,
            "text_offsets": unit,
        },
        "predictions": [{"model_version": claim["extractor_version"], "result": [region]}],
    }
