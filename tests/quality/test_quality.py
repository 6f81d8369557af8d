"""The quality targets on the labelled seed pages, as a regression gate."""

from __future__ import annotations

from pathlib import Path

from extract.dataset.build import build
from extract.quality.gold import evaluate
from tests.conftest import GOLD_DIR, SEEDS_DIR, shared_dir


def test_seed_scores_meet_the_targets(tmp_path: Path) -> None:
    out = tmp_path / "seeds"
    build([shared_dir(SEEDS_DIR)], out, progress=False)
    report = evaluate(out, shared_dir(GOLD_DIR))
    assert not report.missing_files
    assert report.overall["claim"].f1 >= 0.92
    assert report.core_type_macro_f1 >= 0.90
    assert report.overall["citation"].f1 >= 0.97
    assert report.citation_numbers_exact >= 0.95
    assert report.overall["hedge"].f1 >= 0.85
    assert report.outside_any_unit == 0
