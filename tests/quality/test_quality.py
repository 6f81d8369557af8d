"""The quality targets on the labelled seed pages, and the development pages, as gates."""

from __future__ import annotations

from pathlib import Path

from extract.dataset.build import build
from extract.quality.gold import evaluate
from tests.conftest import CORPUS_DEV_DIR, GOLD_DEV_DIR, GOLD_DIR, SEEDS_DIR, shared_dir


def test_seed_scores_meet_the_targets(tmp_path: Path) -> None:
    out = tmp_path / "seeds"
    build([shared_dir(SEEDS_DIR)], out, progress=False)
    report = evaluate(out, shared_dir(GOLD_DIR))
    assert not report.missing_files
    # No lower than before the work on other genres (0.992, 0.956, 1.000, 1.000, 0.938).
    assert report.overall["claim"].f1 >= 0.99
    assert report.core_type_macro_f1 >= 0.95
    assert report.overall["citation"].f1 >= 0.99
    assert report.citation_numbers_exact >= 0.99
    assert report.overall["hedge"].f1 >= 0.93
    assert report.outside_any_unit == 0


# Issue 14's targets on the development pages (other drugs, ten genres), each at or above
# its target: claim 0.92, core types 0.85, all types micro 0.80, citation 0.97, numbers 0.95,
# hedge 0.88. Where the extractor reaches more, the floor is what it reaches (a ratchet).
DEV_FLOORS = {
    "claim": 0.94,
    "citation": 0.98,
    "citation_numbers_exact": 0.98,
    "hedge": 0.88,
    "core_type_macro_f1": 0.85,
    "type_micro_f1": 0.80,
}


def test_development_scores_hold(tmp_path: Path) -> None:
    out = tmp_path / "dev"
    build([shared_dir(CORPUS_DEV_DIR)], out, progress=False)
    report = evaluate(out, shared_dir(GOLD_DEV_DIR))
    assert not report.missing_files
    reached = {
        "claim": report.overall["claim"].f1,
        "citation": report.overall["citation"].f1,
        "citation_numbers_exact": report.citation_numbers_exact,
        "hedge": report.overall["hedge"].f1,
        "core_type_macro_f1": report.core_type_macro_f1,
        "type_micro_f1": report.type_micro_f1,
    }
    below = {name: round(value, 3) for name, value in reached.items() if value < DEV_FLOORS[name]}
    assert not below, f"below the floor: {below}"
