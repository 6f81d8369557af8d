"""Splitting an evaluation set by document so no document or cluster spans two splits."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SPLITS = ("train", "validation", "test")

# --- splitting --------------------------------------------------------------------------------


class _Groups:
    """Union-find over documents."""

    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: str, b: str) -> None:
        first, second = sorted((self.find(a), self.find(b)))
        self.parent[second] = first


def split_units(
    documents: Sequence[str],
    claims: Sequence[Mapping[str, Any]],
    n_splits: int,
    contradicting: Iterable[tuple[str, str]] = (),
) -> tuple[list[list[str]], bool]:
    """Documents grouped so a cluster never spans two units; whether that held.

    Documents whose claims contradict each other (``contradicting``: pairs of doc ids) are
    grouped too when that still leaves a unit per split, so a REFUTES evidence sentence stays
    in its claim's split. When the groups are too few for every split to get one, each
    document is its own unit and the clusters that then span splits are cut later.
    """
    pairs = list(contradicting)
    for joined in (pairs, []):
        groups = _Groups(documents)
        first_doc: dict[str, str] = {}
        for claim in claims:
            seen = first_doc.setdefault(claim["cluster_id"], claim["doc_id"])
            if seen != claim["doc_id"]:
                groups.join(seen, claim["doc_id"])
        for a, b in joined:
            if a in groups.parent and b in groups.parent:
                groups.join(a, b)
        members: dict[str, list[str]] = defaultdict(list)
        for doc_id in documents:
            members[groups.find(doc_id)].append(doc_id)
        units = sorted(members.values())
        if len(units) >= n_splits:
            return units, True
    return [[doc_id] for doc_id in documents], False


def assign_splits(
    units: Sequence[Sequence[str]],
    weights: Mapping[str, int],
    ratios: Mapping[str, float],
    seed: int,
) -> dict[str, str]:
    """Each document's split: seeded shuffle, one unit per wanted split first, then greedy."""
    order = list(units)
    random.Random(seed).shuffle(order)
    size = {id(unit): sum(weights.get(doc, 0) + 1 for doc in unit) for unit in order}
    total = sum(size.values())
    wanted = [name for name in SPLITS if ratios[name] > 0]
    load = dict.fromkeys(SPLITS, 0)
    placed: dict[int, str] = {}
    # Smallest splits first take one unit of about their size, so none stays empty.
    for name in sorted(wanted, key=lambda n: (ratios[n], SPLITS.index(n)))[: len(order)]:
        if name == "train" and len(wanted) > 1:
            continue
        free = [unit for unit in order if id(unit) not in placed]
        # The first unit (in seeded order) not far above the split's target; else the smallest.
        limit = max(3 * ratios[name] * total, min(size[id(u)] for u in free))
        unit = next(u for u in free if size[id(u)] <= limit)
        placed[id(unit)] = name
        load[name] += size[id(unit)]
    for unit in order:
        if id(unit) in placed:
            continue
        name = max(wanted, key=lambda n: (ratios[n] * total - load[n], -SPLITS.index(n)))
        placed[id(unit)] = name
        load[name] += size[id(unit)]
    return {doc: placed[id(unit)] for unit in order for doc in unit}


def cut_leaks(
    rows: Sequence[Mapping[str, Any]], split_of: Mapping[str, str]
) -> tuple[set[str], dict[str, str]]:
    """Claims to leave out so each cluster sits in one split (its most frequent one)."""
    where: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        where[row["cluster_id"]][split_of[row["doc_id"]]] += 1
    home = {
        cluster: max(counts, key=lambda s: (counts[s], -SPLITS.index(s)))
        for cluster, counts in where.items()
    }
    dropped = {row["id"] for row in rows if split_of[row["doc_id"]] != home[row["cluster_id"]]}
    return dropped, home


def leakage_check(
    tables: Mapping[str, Mapping[str, Sequence[Mapping[str, Any]]]],
) -> dict[str, Any]:
    """Count documents and clusters that occur in more than one split, over every table."""
    doc_splits: dict[str, set[str]] = defaultdict(set)
    cluster_splits: dict[str, set[str]] = defaultdict(set)
    for rows_by_split in tables.values():
        for split, rows in rows_by_split.items():
            for row in rows:
                doc_splits[row["doc_id"]].add(split)
                clusters = row["cluster_ids"] if "cluster_ids" in row else [row["cluster_id"]]
                for cluster in clusters:
                    cluster_splits[cluster].add(split)
    documents = sorted(doc for doc, splits in doc_splits.items() if len(splits) > 1)
    clusters = sorted(cluster for cluster, splits in cluster_splits.items() if len(splits) > 1)
    return {
        "passed": not documents and not clusters,
        "documents_in_two_splits": len(documents),
        "clusters_in_two_splits": len(clusters),
        "documents": documents[:20],
        "clusters": clusters[:20],
    }
