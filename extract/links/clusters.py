"""Clusters of the same claim across sources, and the terms that describe them.

Clusters follow from the ``same`` links of :mod:`extract.links.matching`, strongest first;
a join that would put two claims that contradict each other in one cluster is refused, and a
claim without a link is a cluster of one. Each claim is also reduced to a stance-free set of
terms: entity mentions become their canonical names (so spun synonyms meet), citation
markers, pasted spam, hedge and negation cues and other stance words are dropped, words are
folded into synonym classes and crude stems, and spelling variants are merged with
rapidfuzz. The terms, weighted by rarity, pick a cluster's canonical member (the plainest,
closest to the others) and its key terms. Stance stays out of the terms but not out of the
record: a cluster counts its negated, hedged and plain members and says when its sources
disagree.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc
from rapidfuzz import fuzz, process

from extract import __version__

_TERMS_FILE = Path(__file__).resolve().parent / "patterns" / "cluster_terms.json"
# Bumped when the grouping changes for the same claims, so cached clusters are not reused.
CLUSTERING_VERSION = "clusters.v3"
# Spelling variants ("anaesthetic", "anesthetic") of words at least this long are merged.
_VARIANT_MIN_LENGTH = 6
_VARIANT_MIN_RATIO = 90.0
_CANONICAL_SAMPLE = 32
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'’][^\W_]+)*")
_SUFFIXES = ("ational", "ation", "ness", "ment", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s")
ENTITY_PREFIX = "entity:"


@dataclass(frozen=True)
class _Lexicon:
    stopwords: frozenset[str]
    classes: Mapping[str, str]
    broader: Mapping[str, str]


@cache
def _lexicon() -> _Lexicon:
    with _TERMS_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    classes = {word: head for head, words in data["synonyms"].items() for word in [head, *words]}
    return _Lexicon(frozenset(data["stopwords"]), classes, data["broader_entities"])


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def _drug_of(claim: Mapping[str, Any]) -> str | None:
    for entity in claim["entities"]:
        if entity["label"] == "DRUG":
            return str(entity["canonical"]).lower()
    return None


def claim_terms(claim: Mapping[str, Any], topic: str | None = None) -> frozenset[str]:
    """The stance-free terms of a claim (before spelling variants are merged).

    ``topic`` is the document's main drug: a claim naming no drug ("It blocks the NMDA
    receptor") is about it.
    """
    lexicon = _lexicon()
    text: str = claim["text"]
    base = int(claim["char_start"])
    # Blank out what is not the proposition (same length, so entity offsets still hold):
    # pasted spam, citation markers, the hedge and negation cues.
    masked = list(text)
    stance = [
        *claim["spam_text"],
        *claim["citation_markers"],
        claim.get("hedge_cue") or "",
        claim.get("negation_cue") or "",
    ]
    for cue in stance:
        found = text.find(cue) if cue else -1
        if found >= 0:
            masked[found : found + len(cue)] = " " * len(cue)
    terms: set[str] = set()
    pieces = []
    position = 0
    for entity in sorted(claim["entities"], key=lambda e: (e["start"], -e["end"])):
        start, end = int(entity["start"]) - base, int(entity["end"]) - base
        if (
            start < position
            or start < 0
            or end > len(text)
            or not "".join(masked[start:end]).strip()
        ):
            continue  # overlapping, outside the claim, or inside blanked text
        canonical = str(entity["canonical"]).lower()
        terms.add(ENTITY_PREFIX + canonical)
        if canonical in lexicon.broader:
            terms.add(ENTITY_PREFIX + lexicon.broader[canonical])
        pieces.append("".join(masked[position:start]))
        pieces.append(" ")
        position = end
    pieces.append("".join(masked[position:]))
    rest = "".join(pieces)
    for raw in _WORD.findall(rest.lower()):
        word = raw.replace("’", "'")
        if word in lexicon.stopwords or len(word) < 3:
            continue
        head = lexicon.classes.get(word)
        terms.add(head if head is not None else lexicon.classes.get(_stem(word), _stem(word)))
    if topic and _drug_of(claim) is None:
        terms.add(ENTITY_PREFIX + topic)
    return frozenset(terms)


def _variant_heads(vocabulary: Counter[str]) -> dict[str, str]:
    """Map spelling variants of words to one head (the most frequent spelling)."""
    heads: dict[str, list[str]] = defaultdict(list)  # by first two letters
    mapping: dict[str, str] = {}
    for word, _ in sorted(vocabulary.items(), key=lambda item: (-item[1], item[0])):
        if word.startswith(ENTITY_PREFIX) or len(word) < _VARIANT_MIN_LENGTH:
            continue
        bucket = heads[word[:2]]
        match = process.extractOne(word, bucket, scorer=fuzz.ratio, score_cutoff=_VARIANT_MIN_RATIO)
        if match is None:
            bucket.append(word)
        else:
            mapping[word] = match[0]
    return mapping


@dataclass(frozen=True)
class Cluster:
    cluster_id: str
    members: tuple[int, ...]  # indexes into the claims, document order
    canonical: int
    key_terms: tuple[str, ...]  # the terms its members share most


class _Index:
    """Terms and their weights (inverse document frequency over claims)."""

    def __init__(self, terms: Sequence[frozenset[str]]) -> None:
        self.terms = terms
        frequency: Counter[str] = Counter(t for claim_terms in terms for t in claim_terms)
        count = len(terms)
        self.weight = {t: math.log((count + 1) / (n + 0.5)) for t, n in frequency.items()}
        # fsum: exact, so a sum over a set does not depend on its (hash-seeded) order.
        self.mass = [math.fsum(self.weight[t] for t in claim_terms) for claim_terms in terms]

    def similarity(self, a: int, b: int) -> float:
        total = self.mass[a] + self.mass[b]
        if total <= 0:
            return 0.0
        shared = math.fsum(self.weight[t] for t in self.terms[a] & self.terms[b])
        return 2 * shared / total


def term_index(claims: Sequence[Mapping[str, Any]]) -> _Index:
    """The weighted terms of every claim, spelling variants merged. A claim's subjects are
    left out: inside a subject's block they say nothing about the proposition."""
    raw = [
        claim_terms(claim, claim["subject"][0] if claim["subject"] else None) for claim in claims
    ]
    variants = _variant_heads(Counter(t for terms in raw for t in terms))
    return _Index(
        [
            frozenset(
                variants.get(t, t)
                for t in terms
                if not (t.startswith(ENTITY_PREFIX) and t[len(ENTITY_PREFIX) :] in subjects)
            )
            for terms, subjects in zip(raw, (set(c["subject"]) for c in claims), strict=True)
        ]
    )


def clusters_from_links(
    claims: Sequence[Mapping[str, Any]],
    same: Iterable[tuple[int, int, float]],
    contradicts: Iterable[tuple[int, int]],
    index: _Index,
) -> list[Cluster]:
    """Clusters of claims joined by ``same`` links, strongest first; a join that would put
    two claims that contradict each other in one cluster is refused, so a contradiction
    never sits inside a cluster. Claims without a link are clusters of one."""
    parent = list(range(len(claims)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(claims))}
    against: dict[int, set[int]] = defaultdict(set)
    for a, b in contradicts:
        against[a].add(b)
        against[b].add(a)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _ in sorted(same, key=lambda link: (-link[2], link[0], link[1])):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        small, large = (ra, rb) if len(members[ra]) <= len(members[rb]) else (rb, ra)
        if any(root(other) == large for m in members[small] for other in against.get(m, ())):
            continue
        parent[small] = large
        members[large].extend(members.pop(small))
    clusters = []
    for group in sorted((sorted(g) for g in members.values()), key=lambda g: g[0]):
        shared = Counter(t for member in group for t in index.terms[member])
        clusters.append(
            Cluster(
                cluster_id=cluster_id_for(str(claims[group[0]]["claim_id"])),
                members=tuple(group),
                canonical=_canonical(group, claims, index),
                key_terms=tuple(
                    t for t, _ in sorted(shared.items(), key=lambda i: (-i[1], i[0]))[:6]
                ),
            )
        )
    return clusters


def clustering_digest(inputs: pa.Table) -> str:
    """sha256 of everything clustering depends on: the claims' columns, the terms, the rules."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}\x1f{CLUSTERING_VERSION}".encode())
    digest.update(_TERMS_FILE.read_bytes())
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, inputs.schema) as writer:
        writer.write_table(inputs)
    digest.update(sink.getvalue())
    return digest.hexdigest()


def cluster_id_for(leader_claim_id: str) -> str:
    return "k" + hashlib.sha256(f"cluster\x1f{leader_claim_id}".encode()).hexdigest()[:16]


def _canonical(group: Sequence[int], claims: Sequence[Mapping[str, Any]], index: _Index) -> int:
    """The member that states the proposition most plainly and closest to the others."""

    # Closeness to the first members is enough to pick a representative of a large cluster
    # and keeps this linear in its size.
    sample = group[:_CANONICAL_SAMPLE]

    def rank(position: int) -> tuple[int, float, int]:
        claim = claims[position]
        plain = not claim["negated"] and not claim["hedged"]
        closeness = math.fsum(
            index.similarity(position, other) for other in sample if other != position
        )
        return (int(plain), closeness, -position)

    return max(group, key=rank)


def cluster_rows(
    claims: Sequence[Mapping[str, Any]],
    clusters: Sequence[Cluster],
    contradicted: frozenset[int] = frozenset(),
) -> list[dict[str, Any]]:
    """Rows of ``clusters.parquet`` (``schema/cluster.schema.json``); ``contradicted``: the
    claims another source contradicts."""
    rows = []
    for cluster in clusters:
        group = [claims[i] for i in cluster.members]
        canonical = claims[cluster.canonical]
        types = Counter(str(claim["claim_type"]) for claim in group)
        negated = sum(1 for claim in group if claim["negated"])
        hedged = sum(1 for claim in group if claim["hedged"])
        plain = sum(1 for claim in group if not claim["negated"] and not claim["hedged"])
        rows.append(
            {
                "cluster_id": cluster.cluster_id,
                "canonical_claim_id": canonical["claim_id"],
                "canonical_text": canonical["text"],
                "size": len(group),
                "n_documents": len({claim["doc_id"] for claim in group}),
                "source_files": sorted({str(claim["source_file"]) for claim in group}),
                "claim_ids": [claim["claim_id"] for claim in group],
                "claim_types": [
                    name for name, _ in sorted(types.items(), key=lambda i: (-i[1], i[0]))
                ],
                "key_terms": list(cluster.key_terms),
                "n_asserted": plain,
                "n_negated": negated,
                "n_hedged": hedged,
                "sources_disagree": 0 < negated < len(group)
                or any(member in contradicted for member in cluster.members),
            }
        )
    return rows


def assignments(claims: Sequence[Mapping[str, Any]], clusters: Sequence[Cluster]) -> list[str]:
    """Each claim's cluster id, in claim order."""
    ids = [""] * len(claims)
    for cluster in clusters:
        for position in cluster.members:
            ids[position] = cluster.cluster_id
    return ids
