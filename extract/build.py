"""Build a claim dataset: read → NLP pass → records → validate → write."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from tqdm import tqdm

from . import __version__
from .claims import DOC_STATS_ATTR, SENTENCES_ATTR
from .config import EXTRACTOR_VERSION, BuildConfig
from .contract import schema_version
from .errors import UsageError
from .pipeline import load_pipeline, pipeline_info
from .read import SAMPLE_CORPUS_DIR, SourceDocument, discover_inputs, read_document
from .records import ClaimRecord, DocumentRecord, claims_from_sentences
from .write import to_table, write_dataset

DEFAULT_OUT_DIR = Path("output")


@dataclass(frozen=True)
class BuildSummary:
    out_dir: Path
    n_documents: int
    n_sentences: int
    n_claims: int
    n_cited: int
    by_type: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        types = ", ".join(f"{name} {count}" for name, count in sorted(self.by_type.items()))
        return (
            f"Built {self.out_dir}: {self.n_documents} documents, {self.n_sentences} sentences, "
            f"{self.n_claims} claims ({types or 'none'}), {self.n_cited} with citation."
        )


def extract_documents(
    nlp: Language, documents: Sequence[SourceDocument], config: BuildConfig
) -> Iterator[tuple[DocumentRecord, list[ClaimRecord]]]:
    """The unit of work: read documents → one document record and its claims each.

    Documents that are not ``ok`` pass through with no claims; the rest go through
    ``nlp.pipe`` in order.
    """
    readable = [d for d in documents if d.status == "ok"]
    processed = nlp.pipe(
        ((d.text, index) for index, d in enumerate(readable)),
        as_tuples=True,
        batch_size=config.batch_size,
        n_process=config.n_process,
    )
    results = iter(processed)
    for document in documents:
        if document.status != "ok":
            yield _document_record(document, 0, 0, {}), []
            continue
        doc, _ = next(results)
        sentences = doc._.get(SENTENCES_ATTR) or []
        claims = claims_from_sentences(
            doc_id=document.doc_id,
            source_file=document.source_file,
            text=document.text,
            sentences=sentences,
            extractor_version=EXTRACTOR_VERSION,
        )
        stats = doc._.get(DOC_STATS_ATTR) or {}
        yield _document_record(document, len(sentences), len(claims), stats), claims


def _document_record(
    document: SourceDocument, n_sentences: int, n_claims: int, stats: dict[str, int]
) -> DocumentRecord:
    return DocumentRecord(
        doc_id=document.doc_id,
        source_file=document.source_file,
        format=document.format,
        encoding=document.encoding,
        text=document.text,
        n_chars=len(document.text),
        n_sentences=n_sentences,
        n_claims=n_claims,
        n_chrome_lines=stats.get("n_chrome_lines", 0),
        n_spam_phrases=stats.get("n_spam_phrases", 0),
        status=document.status,
        status_detail=document.status_detail,
    )


def _mark_duplicates(documents: list[SourceDocument]) -> list[SourceDocument]:
    """Same bytes under a second name: keep the first (sorted) copy, record the others."""
    seen: dict[str, str] = {}
    marked: list[SourceDocument] = []
    for document in documents:
        first = seen.setdefault(document.doc_id, document.source_file)
        if document.status == "ok" and first != document.source_file:
            document = replace(document, status="duplicate", status_detail=f"same bytes as {first}")
        marked.append(document)
    return marked


def build(
    inputs: Sequence[Path] = (),
    out_dir: Path = DEFAULT_OUT_DIR,
    config: BuildConfig | None = None,
    *,
    progress: bool = True,
) -> BuildSummary:
    """Build ``claims.parquet`` and ``documents.parquet`` in ``out_dir`` from ``inputs``.

    With no inputs, builds the bundled sample corpus.
    """
    config = config or BuildConfig()
    if config.n_process < 1:
        raise UsageError("--n-process must be at least 1")
    started = time.monotonic()
    files = discover_inputs(list(inputs) or [SAMPLE_CORPUS_DIR])
    if not files:
        raise UsageError(
            "no .txt or .md files found in the inputs; pass files or folders that contain them"
        )
    documents = _mark_duplicates([read_document(item) for item in files])
    nlp = load_pipeline(config.model)
    info = pipeline_info(nlp, config.model)

    doc_rows: list[dict[str, Any]] = []
    claim_rows: list[dict[str, Any]] = []
    bar = tqdm(
        total=len(documents),
        unit="doc",
        file=sys.stderr,
        disable=not progress or len(documents) < 2,
        desc="claimset build",
    )
    with bar:
        for document, claims in extract_documents(nlp, documents, config):
            doc_rows.append(document.to_row())
            claim_rows.extend(claim.to_row() for claim in claims)
            bar.update(1)

    # Sorted rows and no timestamps in the tables: identical inputs give identical files.
    doc_rows.sort(key=lambda row: row["source_file"])
    claim_rows.sort(key=lambda row: (row["source_file"], row["char_start"], row["char_end"]))
    fingerprint = config.fingerprint(info["model_version"])
    metadata = {
        "claimset.version": __version__,
        "claimset.extractor_version": EXTRACTOR_VERSION,
        "claimset.config_fingerprint": fingerprint,
        "spacy.version": info["spacy_version"],
        "spacy.model_name": info["model_name"],
        "spacy.model_version": info["model_version"],
        "spacy.pipe_names": ",".join(info["pipe_names"]),
    }
    tables = {
        "document": to_table("document", doc_rows, metadata),
        "claim": to_table("claim", claim_rows, metadata),
    }
    by_type = Counter(row["claim_type"] for row in claim_rows)
    by_status = Counter(row["status"] for row in doc_rows)
    summary = BuildSummary(
        out_dir=out_dir,
        n_documents=len(doc_rows),
        n_sentences=sum(row["n_sentences"] for row in doc_rows),
        n_claims=len(claim_rows),
        n_cited=sum(1 for row in claim_rows if row["has_citation"]),
        by_type=dict(by_type),
        by_status=dict(by_status),
    )
    manifest = {
        "claimset_version": __version__,
        "extractor_version": EXTRACTOR_VERSION,
        "schema_versions": {name: schema_version(name) for name in ("claim", "document")},
        "config": config.as_dict(),
        "config_fingerprint": fingerprint,
        "pipeline": info,
        "inputs": {row["source_file"]: row["doc_id"] for row in doc_rows},
        "counts": {
            "documents": summary.n_documents,
            "sentences": summary.n_sentences,
            "claims": summary.n_claims,
            "claims_with_citation": summary.n_cited,
            "claims_by_type": dict(sorted(by_type.items())),
            "documents_by_status": dict(sorted(by_status.items())),
        },
        "duration_s": round(time.monotonic() - started, 3),
    }
    write_dataset(out_dir, tables, manifest)
    return summary
