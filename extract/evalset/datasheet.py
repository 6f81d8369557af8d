"""The Markdown body of the evalset's dataset card: summary, loading, splits and fields, the
datasheet (motivation, composition, collection, labelling, uses, …) and provenance.

The datasheet's prose is shared with the Croissant file's RAI properties.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from extract.evalset.folder import (
    EVAL_TABLES,
    SPLITS,
    Column,
    Evalset,
    manifest_languages,
    manifest_license,
    manifest_text,
    source_name,
    spacy_model,
    table_columns,
)
from extract.tables.contract import load_json_schema

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


# --------------------------------------------------------------------------- Markdown


def escape_markdown(text: Any) -> str:
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
        description = escape_markdown(column.description)
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


def loading_section(evalset: Evalset) -> list[str]:
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


def splits_section(evalset: Evalset) -> list[str]:
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
        shares = ", ".join(f"{escape_markdown(name)} {float(ratios[name]):g}" for name in names)
        seed = escape_markdown(manifest_text(manifest, "seed", "?"))
        lines += [
            f"Documents were assigned to splits with seed {seed} "
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


def fields_section(evalset: Evalset) -> list[str]:
    lines = ["## Fields", ""]
    for table in evalset.tables:
        description = escape_markdown(load_json_schema(table).get("description", ""))
        lines += [
            f"### {table}",
            "",
            description,
            "",
            *_table(["field", "type", "description"], _field_rows(table_columns(table))),
            "",
        ]
    return lines


def _model_text(manifest: Mapping[str, Any]) -> str:
    model = spacy_model(manifest)
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


def summary(evalset: Evalset) -> str:
    manifest = evalset.manifest
    counts = ", ".join(
        f"{_TABLE_TASKS[table]} (`{table}`, {sum(f.rows for f in evalset.files_of(table))} rows)"
        for table in evalset.tables
    )
    return (
        f"An evaluation set of health claims exported by claimset "
        f"{escape_markdown(manifest_text(manifest, 'claimset_version'))} from the claim dataset "
        f"{_code(source_name(manifest))}. The claims were extracted from health web pages by "
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
            reason = f": {escape_markdown(excluded['reason'])}" if excluded.get("reason") else ""
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
            _code(manifest_text(item, "cluster_id")),
            str(_count(item.get("size"))),
            str(_count(item.get("n_documents"))),
            escape_markdown(_shorten(manifest_text(item, "canonical_text"), 160)),
        ]
        if stance:
            row.append("yes" if item.get("sources_disagree") else "no")
        rows.append(row)
    return ["Largest clusters:", "", *_table(header, rows), ""]


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# The datasheet's prose, shared by the card and the Croissant RAI properties.
MOTIVATION = (
    "claimset turns folders of messy health web pages (drug information pages, clinic blogs, "
    "articles copied and spun from site to site) into a typed claim dataset. This export "
    "packages that dataset for two evaluation tasks: finding the sentences that state a "
    "checkable fact (claim detection, as in the CLEF CheckThat! check-worthiness tasks) and "
    "judging a claim (claim verification, with FEVER's labels). It exists to measure claim "
    "detectors, claim-type classifiers and fact-checking systems on the kind of health text "
    "that is actually published on the web, rather than on edited encyclopedia prose."
)
COLLECTION = (
    "claimset does not crawl: the builder chose the pages and ran `claimset build` on them "
    "(saved HTML, text, PDF or corpus files). HTML pages were reduced to their main content "
    "with trafilatura (no navigation, scripts or comments); PDFs were read with pypdf. Each "
    "document is identified by the sha256 of its bytes; a file with the same content as an "
    "earlier one was skipped. When and where the pages were collected is not recorded here."
)
PREPROCESSING = (
    "Sentences were segmented without crossing line breaks. Rules on spaCy's parse decide "
    "which sentences state factual claims (page chrome, headings, questions, advice, "
    "disclaimers, testimonials and reference entries do not), split sentences that join two "
    "statements into one claim per clause, and type each claim (mechanism, route, onset, "
    "study finding, efficacy, safety, dosage, epidemiology, regulatory, history, other). They "
    "also flag hedges, negation, citation markers and claims that state findings without a "
    "citation. Each claim gets its subject (the drug it speaks of) and the values it states "
    "(onset, duration, doses per level, half-life, legal status per country, normalized). "
    "Claims of different sources about one subject were linked: 'same' when their values "
    "overlap or their wording is close, 'contradicts' when their values are disjoint, their "
    "statuses conflict or one negates the other; clusters follow from the 'same' links."
)
LABELLING = (
    "Reviewers accepted, rejected or relabelled claims and gave verdicts; the latest decision "
    "per claim counts. A verification label is that verdict when there is one (supported → "
    "SUPPORTS, refuted → REFUTES, not enough info → NOT ENOUGH INFO; label_source 'review'); "
    "a reviewed verdict always wins. Otherwise it comes from other sources (label_source "
    "'cross-source'): REFUTES when a claim of another source contradicts it, SUPPORTS when "
    "one states the same, each such claim's sentence given as evidence with its label and "
    "the reason it was linked; with neither, unverified (label_source 'none'). A cross-source "
    "label says what other pages state, not whether the claim is true: two pages copying "
    "one error support each other. Evidence from a document in another split is left out. "
    "A detection row takes "
    "the reviewed decisions when every claim of its sentence has one (label_source 'review') "
    "and the extractor's output otherwise (label_source 'extractor'). Rows were split by "
    "source document, keeping each same-claim cluster in one split, so that no document and "
    "no cluster spans two splits."
)
USES = (
    "Intended: benchmarking claim detection and claim-type classification on web health text; "
    "evaluating verification systems on the reviewed rows; studying hedging, negation and "
    "uncited findings. Out of scope: this is not medical advice, and no label says whether a "
    "treatment is safe or works. Most verification labels are `unverified` unless the set was "
    "exported with reviewed rows only: `unverified` means nobody checked, not that the claim "
    "is false, so it must not be used as a truth label or as a stand-in for REFUTES. Detection "
    "labels with `label_source: extractor` are the rule-based pipeline's output, not human "
    "judgements. Do not use the set to rate the sites or the people quoted in it."
)
DISTRIBUTION = (
    "Parquet files per table and split, with JSON Lines twins holding the same rows, this card, "
    "`croissant.json` (Croissant 1.0) and the export manifest `evalset.json`. The claim and "
    "sentence text is quoted from third-party web pages whose own terms apply to it; the "
    "annotations are the builder's. Check that you may share the quoted text before you "
    "publish the set."
)
MAINTENANCE = (
    "The set is regenerated, not edited: fix the reviews or the source dataset and run "
    "`claimset evalset` again. `evalset.json` records the claimset, extractor and model "
    "versions, the seed and the split ratios, so an export can be traced to what made it; a "
    "new claimset version may extract different claims from the same pages."
)
LIMITATIONS = (
    "Claims come from hand-written rules, which miss some claims, keep some non-claims, "
    "mistype some and cut some clauses wrongly; unreviewed rows carry those errors. The "
    "pipeline and its word lists are English only. Clusters come from lexical matching: "
    "paraphrases that share few words stay apart, so clusters are small and a same-claim pair "
    "can still straddle two splits."
)
BIASES = (
    "The pages are often machine-spun (synonyms swapped in, odd phrasing, pasted keywords) and "
    "the text is kept as written. The topics follow whatever pages the builder collected "
    "(often one drug or condition dominates). Most labels are 'unverified', and the reviewed "
    "ones are the judgement of whoever reviewed them, with no agreement between reviewers "
    "measured."
)
SENSITIVE = (
    "The text may name people the pages quote or mention, and health conditions in general "
    "terms; no personal records were collected. `source_file` holds the builder's file paths."
)


def datasheet_section(evalset: Evalset) -> list[str]:
    sections = [
        ("Motivation", MOTIVATION),
        ("Collection process", COLLECTION),
        ("Preprocessing, cleaning and labelling", f"{PREPROCESSING} {LABELLING}"),
        ("Uses", USES),
        ("Distribution", DISTRIBUTION),
        ("Maintenance", MAINTENANCE),
        ("Limitations and biases", f"{LIMITATIONS} {BIASES}"),
    ]
    lines = ["## Datasheet", "", "Following Gebru et al., *Datasheets for Datasets*.", ""]
    for title, text in sections[:1]:
        lines += [f"### {title}", "", text, ""]
    lines += _composition(evalset)
    for title, text in sections[1:]:
        lines += [f"### {title}", "", text, ""]
    return lines


def provenance_section(evalset: Evalset) -> list[str]:
    manifest = evalset.manifest
    model = spacy_model(manifest)
    rows = [
        ["export name", escape_markdown(manifest_text(manifest, "name"))],
        ["claimset version", escape_markdown(manifest_text(manifest, "claimset_version"))],
        ["extractor version", escape_markdown(manifest_text(manifest, "extractor_version"))],
        [
            "spaCy model",
            escape_markdown(
                f"{manifest_text(model, 'name')} {manifest_text(model, 'version')}".strip()
            ),
        ],
        ["source dataset", _code(source_name(manifest))],
        ["seed", escape_markdown(manifest_text(manifest, "seed"))],
        ["reviewed only", "yes" if manifest.get("reviewed_only") else "no"],
        ["languages", ", ".join(manifest_languages(manifest))],
        ["license", _code(manifest_license(manifest))],
    ]
    return ["## Provenance", "", *_table(["", ""], rows), ""]
