"""Plain records: what leaves the NLP pass. No spaCy object goes past this module."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class DocumentRecord:
    """One row of ``documents.parquet``; fields mirror ``schema/document.schema.json``."""

    doc_id: str
    source_file: str
    format: str
    encoding: str | None
    text: str
    n_chars: int
    n_sentences: int
    n_claims: int
    n_chrome_lines: int
    n_spam_phrases: int
    decode_errors: int
    title: str | None
    url: str | None
    page_starts: tuple[int, ...]
    row_id: str | None
    status: str
    status_detail: str | None

    def to_row(self) -> dict[str, Any]:
        row = asdict(self)
        row["page_starts"] = list(row["page_starts"])
        return row


@dataclass(frozen=True)
class ClaimRecord:
    """One row of ``claims.parquet``; fields mirror ``schema/claim.schema.json``."""

    claim_id: str
    doc_id: str
    source_file: str
    sentence_index: int
    char_start: int
    char_end: int
    text: str
    is_claim: bool
    claim_type: str
    claim_types: tuple[str, ...]
    has_citation: bool
    citation_markers: tuple[str, ...]
    citation_numbers: tuple[int, ...]
    hedged: bool
    hedge_cue: str | None
    attributed_to: str | None
    routes: tuple[str, ...]
    onset_min_s: float | None
    onset_max_s: float | None
    onset_text: str | None
    sentence_start: int
    sentence_end: int
    clause_index: int
    negated: bool
    negation_cue: str | None
    spam: bool
    spam_text: tuple[str, ...]
    entities: tuple[Entity, ...]
    agent: str | None
    relation: str | None
    target: str | None
    population: str | None
    design: str | None
    page: int | None
    extractor_version: str
    citation_needed: bool = False
    # The drugs the claim speaks of and the values it states (extract.links.subjects/facts).
    subject: tuple[str, ...] = ()
    facts: tuple[Mapping[str, Any], ...] = ()
    # Set after the whole build's claims are known (extract.links.clusters); None until then.
    cluster_id: str | None = None

    def to_row(self) -> dict[str, Any]:
        row = asdict(self)
        for name in (
            "claim_types",
            "citation_markers",
            "citation_numbers",
            "routes",
            "spam_text",
            "subject",
        ):
            row[name] = list(row[name])
        row["facts"] = [dict(fact) for fact in self.facts]
        row["entities"] = [dict(entity) for entity in row["entities"]]
        return row


@dataclass(frozen=True)
class Entity:
    """A normalized entity mention; offsets index ``documents.text``."""

    text: str
    label: str
    canonical: str
    start: int
    end: int


# Claims a fact-checker wants sourced: findings and figures always, mechanisms when they are
# stated as fact (a hedged mechanism already says it is not settled).
_ALWAYS_NEED_CITATION = frozenset({"study_finding", "epidemiology"})
_NEED_CITATION_UNLESS_HEDGED = frozenset({"mechanism"})


def needs_citation(types: Iterable[str], *, has_citation: bool, hedged: bool) -> bool:
    """Whether a claim lacks a citation it should carry."""
    if has_citation:
        return False
    kinds = set(types)
    return bool(kinds & _ALWAYS_NEED_CITATION) or (
        not hedged and bool(kinds & _NEED_CITATION_UNLESS_HEDGED)
    )


def normalize_claim_text(text: str) -> str:
    """The text an id is keyed on: NFC, whitespace runs as one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def make_claim_id(source_file: str, text: str, occurrence: int = 0) -> str:
    """Stable id of the ``occurrence``-th claim with this text in this source.

    Keyed on what a reviewer would call "the same claim": where it comes from and what it
    says, not where its bytes sit, so an edit elsewhere in the file or a rebuild by a newer
    extractor that finds the same span keeps the id, and with it every review.
    """
    key = f"{source_file}\x1f{normalize_claim_text(text)}\x1f{occurrence}".encode()
    return "c" + hashlib.sha256(key).hexdigest()[:16]


def claim_ids(source_files: Iterable[str], texts: Iterable[str]) -> list[str]:
    """Ids for claims in document order (occurrences counted per source and text)."""
    seen: Counter[tuple[str, str]] = Counter()
    ids = []
    for source_file, text in zip(source_files, texts, strict=True):
        key = (source_file, normalize_claim_text(text))
        ids.append(make_claim_id(source_file, text, seen[key]))
        seen[key] += 1
    return ids


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts (\\n, \\r\\n and \\r end a line)."""
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def line_of(starts: Sequence[int], offset: int) -> int:
    """1-based line number of a character offset, given :func:`line_starts`."""
    return bisect_right(starts, offset)
