"""The NLP pass's plain sentence records → claim records and sentence rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any

from extract.links.facts import PageContext, claim_facts
from extract.links.subjects import claim_subjects, page_subject
from extract.tables.records import (
    ClaimRecord,
    Entity,
    line_of,
    line_starts,
    make_claim_id,
    needs_citation,
    normalize_claim_text,
)


def claims_from_sentences(
    *,
    doc_id: str,
    source_file: str,
    text: str,
    sentences: Iterable[Mapping[str, Any]],
    extractor_version: str,
) -> list[ClaimRecord]:
    """Claim records for the sentences the NLP pass judged to be claims."""
    claims: list[ClaimRecord] = []
    seen: Counter[str] = Counter()
    for sentence in sentences:
        for claim in sentence["claims"]:
            start, end = int(claim["char_start"]), int(claim["char_end"])
            span_text = text[start:end]
            types = tuple(claim["claim_types"])
            normalized = normalize_claim_text(span_text)
            claims.append(
                ClaimRecord(
                    claim_id=make_claim_id(source_file, span_text, seen[normalized]),
                    doc_id=doc_id,
                    source_file=source_file,
                    sentence_index=int(sentence["sentence_index"]),
                    char_start=start,
                    char_end=end,
                    text=span_text,
                    is_claim=True,
                    claim_type=types[0],
                    claim_types=types,
                    has_citation=bool(claim["has_citation"]),
                    citation_markers=tuple(claim["citation_markers"]),
                    citation_numbers=tuple(claim["citation_numbers"]),
                    hedged=claim["hedge_cue"] is not None,
                    hedge_cue=claim["hedge_cue"],
                    attributed_to=sentence["attributed_to"],
                    routes=tuple(claim["routes"]),
                    onset_min_s=claim["onset_min_s"],
                    onset_max_s=claim["onset_max_s"],
                    onset_text=claim["onset_text"],
                    sentence_start=int(sentence["char_start"]),
                    sentence_end=int(sentence["char_end"]),
                    clause_index=int(claim["clause_index"]),
                    negated=claim["negation_cue"] is not None,
                    negation_cue=claim["negation_cue"],
                    spam=bool(claim["spam_text"]),
                    spam_text=tuple(claim["spam_text"]),
                    entities=tuple(Entity(**entity) for entity in claim["entities"]),
                    agent=claim["agent"],
                    relation=claim["relation"],
                    target=claim["target"],
                    population=claim["population"],
                    design=claim["design"],
                    page=None,
                    extractor_version=extractor_version,
                    citation_needed=needs_citation(
                        types,
                        has_citation=bool(claim["has_citation"]),
                        hedged=claim["hedge_cue"] is not None,
                    ),
                )
            )
            seen[normalized] += 1
    return _with_subjects_and_facts(claims, text, source_file)


def _with_subjects_and_facts(
    claims: Sequence[ClaimRecord], text: str, source_file: str
) -> list[ClaimRecord]:
    """Each claim with the drugs it speaks of and the values it states."""
    if not claims:
        return []
    plain = [
        {
            "text": claim.text,
            "char_start": claim.char_start,
            "entities": [asdict(entity) for entity in claim.entities],
        }
        for claim in claims
    ]
    page = page_subject(text, source_file, plain)
    context = PageContext(text)
    return [
        replace(
            claim,
            subject=tuple(claim_subjects(row, page)),
            facts=tuple(
                fact.to_row()
                for fact in claim_facts(
                    claim.text, claim.char_start, context=context, claim_routes=claim.routes
                )
            ),
        )
        for claim, row in zip(claims, plain, strict=True)
    ]


def sentence_rows(
    *,
    doc_id: str,
    source_file: str,
    text: str,
    sentences: Iterable[Mapping[str, Any]],
    claims: Sequence[ClaimRecord],
) -> list[dict[str, Any]]:
    """Rows of ``sentences.parquet``: every sentence, with the ids and types of its claims."""
    by_sentence: dict[int, list[ClaimRecord]] = {}
    for claim in claims:
        by_sentence.setdefault(claim.sentence_index, []).append(claim)
    starts = line_starts(text)
    rows = []
    for sentence in sentences:
        index = int(sentence["sentence_index"])
        start, end = int(sentence["char_start"]), int(sentence["char_end"])
        own = by_sentence.get(index, [])
        types = list(dict.fromkeys(t for claim in own for t in claim.claim_types))
        rows.append(
            {
                "doc_id": doc_id,
                "source_file": source_file,
                "sentence_index": index,
                "char_start": start,
                "char_end": end,
                "text": text[start:end],
                "is_claim": bool(own),
                "non_claim_reason": sentence["non_claim_reason"],
                "claim_types": types,
                "claim_ids": [claim.claim_id for claim in own],
                "has_citation": bool(sentence["has_citation"]),
                "citation_markers": list(sentence["citation_markers"]),
                "attributed_to": sentence["attributed_to"],
                "line": line_of(starts, start),
            }
        )
    return rows
