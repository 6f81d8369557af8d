"""Text similarity of claims: character 3-5-gram TF-IDF vectors, compared a block at a time.

Chosen by measurement on the labelled pairs among the offline options (terms Dice, BM25,
spaCy vectors; ``benchmarks/similarity_options.py``). A block's rows are one sparse matrix;
its pairs above a threshold come from slabs of rows multiplied at once.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse


class CharVectors:
    """Character 3-5-gram TF-IDF vectors of claims (grams within words, hashed).

    The text similarity that measured best on the labelled pairs among the offline options
    (``benchmarks/similarity_options.py``): it meets spelling variants, inflections and
    compounds that word terms miss. Document frequencies are counted over every claim of the
    build once; the vectors of a block are made when it is compared (a claim is in at most
    one block), so the build never holds every vector at once. Grams are
    hashed with CRC-32 (stable across processes, unlike ``hash``) into ``_GRAM_BUCKETS``.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        frequency = np.zeros(_GRAM_BUCKETS + 1, dtype=np.int32)
        for text in texts:
            grams = np.fromiter(set(_claim_grams(text)), dtype=np.int64)
            frequency[grams] += 1
        self._idf = (np.log((1 + len(texts)) / (1 + frequency)) + 1).astype(np.float32)

    def matrix(self, positions: Sequence[int]) -> sparse.csr_matrix:
        """The L2-normalized TF-IDF rows of these claims."""
        indptr, indices, data = [0], [], []
        for position in positions:
            counts = Counter(_claim_grams(self._texts[position]))
            grams = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = 1 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
            weights = tf * self._idf[grams]
            norm = float(np.sqrt(np.dot(weights, weights))) or 1.0
            indices.append(grams)
            data.append(weights / norm)
            indptr.append(indptr[-1] + len(grams))
        return sparse.csr_matrix(
            (
                np.concatenate(data) if data else np.zeros(0, np.float32),
                np.concatenate(indices) if indices else np.zeros(0, np.int64),
                np.asarray(indptr),
            ),
            shape=(len(positions), _GRAM_BUCKETS + 1),
        )


_GRAM_BUCKETS = (1 << 22) - 1
_WORDS = re.compile(r"\w+")
# Rows of a block multiplied at once: bounds the dense similarity slab (rows x block).
_ROWS_PER_SLAB = 256


@lru_cache(maxsize=262144)
def _word_grams(word: str) -> tuple[int, ...]:
    padded = f" {word} ".encode()
    return tuple(
        zlib.crc32(padded[i : i + n]) & _GRAM_BUCKETS
        for n in (3, 4, 5)
        for i in range(max(1, len(padded) - n + 1))
    )


def _claim_grams(text: str) -> list[int]:
    return [g for word in _WORDS.findall(text.lower()) for g in _word_grams(word)]


def similar_pairs(
    matrix: sparse.csr_matrix, block: Sequence[int], min_similarity: float
) -> list[tuple[int, int, float]]:
    """Pairs of the block (positions, first < second) with cosine at least ``min_similarity``
    (``matrix``: the block's rows, in its order)."""
    transposed = matrix.T.tocsc()
    found = []
    for start in range(0, len(block), _ROWS_PER_SLAB):
        # Only the columns from this slab on: a pair is scored once, from its first row.
        slab = (matrix[start : start + _ROWS_PER_SLAB] @ transposed[:, start:]).toarray()
        rows, columns = np.nonzero(slab >= min_similarity)
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            if row < column:  # both offsets are from ``start``
                a, b = block[start + row], block[start + column]
                found.append((min(a, b), max(a, b), float(slab[row, column])))
    return found


def row_similarity(
    matrix: sparse.csr_matrix, block: Sequence[int]
) -> Callable[[Sequence[tuple[int, int]]], Sequence[float]]:
    """Cosines of pairs of claims of a block, from the block's rows, all at once."""
    row = {position: number for number, position in enumerate(block)}

    def similarity(pairs: Sequence[tuple[int, int]]) -> Sequence[float]:
        first = matrix[[row[a] for a, _ in pairs]]
        second = matrix[[row[b] for _, b in pairs]]
        return [float(x) for x in np.asarray(first.multiply(second).sum(axis=1)).ravel()]

    return similarity
