"""Incremental rebuilds: only new or changed inputs are processed, and the tables always
equal a clean build's."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from extract.dataset import work as work_module
from extract.dataset.build import build
from tests.conftest import FIXTURES


def _tables(out: Path) -> tuple[bytes, bytes]:
    return (out / "claims.parquet").read_bytes(), (out / "documents.parquet").read_bytes()


def _clean(corpus: Path, out: Path, nlp: Language) -> tuple[bytes, bytes]:
    build([corpus], out, progress=False, nlp=nlp, use_cache=False)
    return _tables(out)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", folder)
    (folder / "third.txt").write_text("Ketamine acts within hours [3].\n", "utf-8")
    return folder


def test_unchanged_rebuild_needs_no_model(
    corpus: Path, tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    cold = build([corpus], out, progress=False, nlp=nlp)
    first = _tables(out)

    def no_model(*_: Any) -> Language:
        raise AssertionError("an unchanged rebuild must not load the model")

    monkeypatch.setattr(work_module, "load_pipeline", no_model)
    warm = build([corpus], out, progress=False)
    assert warm.n_cached_files == 3 and cold.n_cached_files == 0
    assert _tables(out) == first


def test_changed_added_removed_and_renamed_inputs(
    corpus: Path, tmp_path: Path, nlp: Language
) -> None:
    out = tmp_path / "out"
    build([corpus], out, progress=False, nlp=nlp)
    (corpus / "clinical.txt").write_text(
        (corpus / "clinical.txt").read_text("utf-8") + "\nEsketamine may cause dissociation.\n",
        "utf-8",
    )
    (corpus / "new.md").write_text("# New\n\nLow doses of ketamine relieve pain [4].\n", "utf-8")
    (corpus / "third.txt").rename(corpus / "renamed.txt")
    (corpus / "spun_page.md").unlink()
    summary = build([corpus], out, progress=False, nlp=nlp)
    assert summary.n_cached_files == 1  # only the renamed file
    assert _tables(out) == _clean(corpus, tmp_path / "clean", nlp)


def test_duplicate_whose_original_disappears_is_processed(
    corpus: Path, tmp_path: Path, nlp: Language
) -> None:
    (corpus / "zz_copy.txt").write_bytes((corpus / "clinical.txt").read_bytes())
    out = tmp_path / "out"
    build([corpus], out, progress=False, nlp=nlp)
    (corpus / "clinical.txt").unlink()
    build([corpus], out, progress=False, nlp=nlp)
    assert _tables(out) == _clean(corpus, tmp_path / "clean", nlp)


def test_new_duplicate_of_a_cached_file(corpus: Path, tmp_path: Path, nlp: Language) -> None:
    out = tmp_path / "out"
    build([corpus], out, progress=False, nlp=nlp)
    (corpus / "aa_first.txt").write_bytes((corpus / "third.txt").read_bytes())
    build([corpus], out, progress=False, nlp=nlp)
    assert _tables(out) == _clean(corpus, tmp_path / "clean", nlp)


def test_no_cache_and_other_settings_process_everything(
    corpus: Path, tmp_path: Path, nlp: Language
) -> None:
    out = tmp_path / "out"
    build([corpus], out, progress=False, nlp=nlp)
    assert build([corpus], out, progress=False, nlp=nlp, use_cache=False).n_cached_files == 0
    assert build([corpus], out, progress=False, nlp=nlp).n_cached_files == 3
