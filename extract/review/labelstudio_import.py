"""Reading Label Studio's JSON export back into decisions of the review log.

Each annotation not cancelled becomes a :class:`~extract.review.log.Decision`; region offsets
are placed in whichever unit (UTF-16 or code points) the region's own text shows is meant.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeGuard

from extract.review.labelstudio import (
    CITATION_CHOICES,
    CITATION_NAME,
    DECISION_NAME,
    LABELS_NAME,
    NOTE_NAME,
    OFFSET_UNITS,
    TEXT_NAME,
    UTF16,
    VERDICT_NAME,
    python_offset,
)
from extract.review.log import (
    Decision,
    ReviewError,
    ReviewLog,
    decision_problems,
    log_time,
    read_claims,
    record_decisions,
    utc_now,
)
from extract.tables.io import parse_timestamp

__all__ = [
    "decisions_from_labelstudio",
    "import_labelstudio",
]

CHANNEL = "labelstudio"


def import_labelstudio(
    export_path: Path | str, dataset_dir: Path | str, *, reviewer: str | None = None
) -> int:
    """Append the decisions of a Label Studio export to the review log; returns how many.

    A decision already logged (same claim, reviewer, time and content) is not added again,
    so importing the same export twice changes nothing.
    """
    decisions = decisions_from_labelstudio(export_path, dataset_dir, reviewer=reviewer)
    logged: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in ReviewLog(dataset_dir).rows():
        logged.setdefault((row["claim_id"], row["reviewer"], row["reviewed_at"]), []).append(row)
    fresh = [
        decision
        for decision in decisions
        if not any(
            decision.same_content(row)
            for row in logged.get((decision.claim_id, decision.reviewer, decision.reviewed_at), ())
        )
    ]
    return record_decisions(dataset_dir, fresh)


def decisions_from_labelstudio(
    export_path: Path | str, dataset_dir: Path | str, *, reviewer: str | None = None
) -> list[Decision]:
    """The decisions in a Label Studio JSON export, one per annotation not cancelled.

    ``reviewer`` names the reviewer of every decision; otherwise each annotation's
    ``completed_by`` does. Raises :class:`ReviewError` listing every problem found.
    """
    export_path = Path(export_path)
    tasks = _load_export(export_path)
    claims = {
        row["claim_id"]: row
        for row in read_claims(
            dataset_dir, ["claim_id", "source_file", "text", "char_start", "char_end", "claim_type"]
        ).to_pylist()
    }
    decisions: list[Decision] = []
    problems: list[str] = []
    for task_number, task in enumerate(tasks, start=1):
        if not isinstance(task, dict):
            problems.append(
                f"task {task_number}: a JSON {type(task).__name__}; expected an object with "
                "'data' and 'annotations'"
            )
            continue
        data = task.get("data")
        claim_id = data.get("claim_id") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(claim_id, str):
            # JSON-MIN flattens data and results into one object per task.
            hint = " (this looks like a JSON-MIN export)" if "claim_id" in task else ""
            problems.append(
                f"task {task_number}: no data.claim_id{hint}; expected a task of Label "
                "Studio's Export → JSON, made from tasks claimset exported"
            )
            continue
        where = f"task {task_number} (claim {claim_id})"
        claim = claims.get(claim_id)
        if claim is None:
            problems.append(
                f"{where}: no claim {claim_id!r} in {dataset_dir}; was the export made from "
                "another dataset?"
            )
            continue
        annotations = task.get("annotations", [])
        if not isinstance(annotations, list):
            problems.append(f"{where}: 'annotations' is not a list")
            continue
        for number, annotation in enumerate(annotations, start=1):
            at = f"{where}, annotation {number}"
            if not isinstance(annotation, dict):
                problems.append(f"{at}: expected an object with a 'result' list")
                continue
            if annotation.get("was_cancelled"):
                continue  # the reviewer skipped the task in Label Studio: no decision
            decision, found = _decision(annotation, data, claim, reviewer)
            problems.extend(f"{at}: {problem}" for problem in found)
            if decision is not None:
                decisions.append(decision)
    if problems:
        raise ReviewError(
            "\n  ".join(
                [f"{export_path}: {len(problems)} problem(s); nothing was recorded:", *problems]
            )
        )
    return decisions


def _load_export(path: Path) -> list[Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            tasks = json.load(handle)
    except OSError as error:
        raise ReviewError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReviewError(
            f"{path} is not a Label Studio JSON export ({error}); expected the file from "
            "Export → JSON: a list of tasks"
        ) from None
    if not isinstance(tasks, list):
        raise ReviewError(
            f"{path} holds a JSON {type(tasks).__name__}, not a list of tasks; expected the "
            "file from Label Studio's Export → JSON"
        )
    return tasks


def _decision(
    annotation: Mapping[str, Any],
    data: Mapping[str, Any],
    claim: Mapping[str, Any],
    reviewer: str | None,
) -> tuple[Decision | None, list[str]]:
    """One annotation as a decision, with the problems that stop it from being one."""
    problems: list[str] = []
    found = _read_results(annotation.get("result", []), problems)
    chosen = {name: _single(found, name, problems) for name in (DECISION_NAME, VERDICT_NAME)}
    citation = _single(found, CITATION_NAME, problems)
    regions: list[Mapping[str, Any]] = found.get(LABELS_NAME, [])
    label: str | None = None
    if len(regions) > 1:
        problems.append(
            f"field 'claim_type': {len(regions)} regions are marked; keep only the claim's one"
        )
    elif regions:
        labels = regions[0].get("labels")
        if isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str):
            label = labels[0]
        else:
            problems.append(f"field 'claim_type': the region needs one label, not {labels!r}")

    extracted = claim["claim_type"]
    decision = chosen[DECISION_NAME]
    if decision is None:
        # No explicit choice: the region says it. Removed means "not a claim".
        if not regions:
            decision = "reject"
        elif label is not None:
            decision = "accept" if label == extracted else "relabel"
    claim_type = label if decision == "relabel" else None
    if decision == "accept" and label is not None and label != extracted:
        problems.append(
            f"field 'claim_type': decision 'accept' but the region is labelled {label!r} "
            f"(extracted: {extracted!r}); choose relabel, or put the label back"
        )

    has_citation = None
    if citation is not None:
        if citation in CITATION_CHOICES:
            has_citation = CITATION_CHOICES[citation]
        else:
            problems.append(
                f"field 'citation': {citation!r} is not one of {', '.join(CITATION_CHOICES)}"
            )

    notes = [text for text in found.get(NOTE_NAME, []) if text.strip()]
    note = "\n".join(notes) or None
    if len(regions) == 1:
        changed = _span_change(regions[0], data, claim, problems)
        if changed is not None:
            flag = f"[span changed in Label Studio: {changed!r}]"
            note = f"{note}\n{flag}" if note else flag

    who = reviewer if reviewer is not None else _reviewer(annotation, problems)
    when = _reviewed_at(annotation, problems)
    if decision is None or who is None or when is None:
        return None, problems
    result = Decision(
        claim_id=claim["claim_id"],
        decision=decision,
        claim_type=claim_type,
        has_citation=has_citation,
        verdict=chosen[VERDICT_NAME],
        note=note,
        reviewer=who,
        reviewed_at=when,
        channel=CHANNEL,
        source_file=claim["source_file"],
        claim_text=claim["text"],
    )
    problems.extend(decision_problems(result.to_row()))
    return (None if problems else result), problems


def _read_results(results: Any, problems: list[str]) -> dict[str, list[Any]]:
    """Result values by control name: region values, chosen values, note texts."""
    found: dict[str, list[Any]] = {}
    if not isinstance(results, list):
        problems.append("'result' is not a list")
        return found
    for number, item in enumerate(results, start=1):
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, dict):
            problems.append(f"result {number}: expected an object with a 'value' object")
            continue
        name = item.get("from_name")
        if name == LABELS_NAME:
            found.setdefault(name, []).append(value)
        elif name in (DECISION_NAME, VERDICT_NAME, CITATION_NAME):
            choices = value.get("choices")
            if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
                problems.append(f"field {name!r}: 'choices' is not a list of strings")
                continue
            found.setdefault(name, []).extend(choices)
        elif name == NOTE_NAME:
            text = value.get("text")
            # Label Studio keeps one string per submission in a list.
            texts = [text] if isinstance(text, str) else text
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                problems.append("field 'note': 'text' is not a list of strings")
                continue
            found.setdefault(name, []).extend(texts)
        # Results of controls claimset does not know (a project's own additions) are left.
    return found


def _single(found: Mapping[str, list[Any]], name: str, problems: list[str]) -> str | None:
    values = found.get(name, [])
    if len(values) > 1:
        problems.append(f"field {name!r}: {len(values)} choices {values!r}; pick one")
        return None
    return values[0] if values else None


def _span_change(
    region: Mapping[str, Any],
    data: Mapping[str, Any],
    claim: Mapping[str, Any],
    problems: list[str],
) -> str | None:
    """The region's text when it no longer covers the claim's span exactly, else None."""
    text = data.get(TEXT_NAME)
    offset = data.get("paragraph_start")
    start, end = region.get("start"), region.get("end")
    if not isinstance(text, str) or not _is_int(offset):
        problems.append("data.text or data.paragraph_start is missing; cannot place the region")
        return None
    if not (_is_int(start) and _is_int(end)) or start > end:
        problems.append(f"field 'claim_type': region offsets {start!r}..{end!r} are not a span")
        return None
    region_text = region.get("text")
    span = _region_span(
        text,
        start,
        end,
        data.get("text_offsets"),
        region_text if isinstance(region_text, str) else None,
    )
    if span is None:
        problems.append(
            f"field 'claim_type': region offsets {start}..{end} do not fit the task's text "
            f"(counted in {data.get('text_offsets') or UTF16})"
        )
        return None
    # Offsets the task itself recorded, so a later rebuild moving the claim is no "change".
    expected = (
        (data["char_start"], data["char_end"])
        if _is_int(data.get("char_start")) and _is_int(data.get("char_end"))
        else (claim["char_start"], claim["char_end"])
    )
    if (span[0] + offset, span[1] + offset) == expected:
        return None
    return text[span[0] : span[1]]


def _region_span(
    text: str, start: int, end: int, declared: Any, region_text: str | None
) -> tuple[int, int] | None:
    """The region as Python offsets into ``text`` (None when they cannot be placed).

    Label Studio versions differ in how they count (UTF-16 units or code points): the
    task's declared unit is taken unless the region's own text shows the other one is meant.
    """
    first = declared if declared in OFFSET_UNITS else UTF16
    spans: dict[str, tuple[int, int]] = {}
    for unit in (first, *(other for other in OFFSET_UNITS if other != first)):
        try:
            spans[unit] = (_from_unit(text, start, unit), _from_unit(text, end, unit))
        except ValueError:
            continue
        if region_text is None:
            break  # nothing to tell the units apart: the declared one, or none
        if _words(text[spans[unit][0] : spans[unit][1]]) == _words(region_text):
            return spans[unit]
    return spans.get(first)


def _from_unit(text: str, offset: int, unit: str) -> int:
    if unit == UTF16:
        return python_offset(text, offset)
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} is outside the text (0..{len(text)})")
    return offset


def _words(text: str) -> list[str]:
    # Label Studio may collapse runs of whitespace in a region's text, never the words.
    return text.split()


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _reviewer(annotation: Mapping[str, Any], problems: list[str]) -> str | None:
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        email = user.get("email")
        if isinstance(email, str) and email.strip():
            return f"labelstudio:{email.strip()}"
        user = user.get("id")
    if _is_int(user):
        return f"labelstudio:user-{user}"
    problems.append(
        f"field 'completed_by': {user!r} names no Label Studio user; pass a reviewer name"
    )
    return None


def _reviewed_at(annotation: Mapping[str, Any], problems: list[str]) -> str | None:
    """When the annotation was last saved, in the log's format (UTC)."""
    name = "updated_at" if annotation.get("updated_at") is not None else "created_at"
    value = annotation.get(name)
    if value is None:
        return utc_now()
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            moment = datetime.fromtimestamp(value, UTC)  # older exports: seconds since 1970
        elif isinstance(value, str):
            moment = parse_timestamp(value)  # no zone: UTC (Label Studio writes UTC)
        else:
            raise ValueError(value)
    except (ValueError, OverflowError, OSError):
        problems.append(f"field {name!r}: {value!r} is not an ISO 8601 date-time")
        return None
    return log_time(moment)
