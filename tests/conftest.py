"""Shared fixtures: one claimset pipeline per test session, paths to the shared material."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from extract.nlp.attrs import SENTENCES_ATTR
from extract.nlp.pipeline import load_pipeline

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS_DIR = SHARED / "seeds"
GOLD_DIR = SHARED / "gold"
CORPUS_DEV_DIR = SHARED / "corpus-dev"
GOLD_DEV_DIR = SHARED / "gold-dev"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_dir(path: Path) -> Path:
    """The shared folder, or skip; under CI=true a missing folder is a failure, not a skip."""
    if not path.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must run the tests that read it")
        pytest.skip(f"{path} not present")
    return path


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="session")
def component_runner(nlp: Language) -> Callable[[str], Callable[[str], Doc]]:
    """Run one claimset component (made apart from the pipeline) on a pipeline-processed text."""

    def make(factory: str) -> Callable[[str], Doc]:
        component = nlp.create_pipe(factory)

        def run(text: str) -> Doc:
            doc: Doc = component(nlp(text))
            return doc

        return run

    return make


@pytest.fixture(scope="session")
def analyse(nlp: Language) -> Any:
    """Run the pipeline on a text and return its sentence records with their text."""

    def run(text: str) -> list[dict[str, Any]]:
        doc = nlp(text)
        rows = []
        for row in doc._.get(SENTENCES_ATTR):
            # The first claim's fields stand for the sentence in the rule tables.
            first = row["claims"][0] if row["claims"] else {}
            fields = {k: v for k, v in first.items() if k not in {"char_start", "char_end"}}
            rows.append(
                {
                    "claim_types": [],
                    "hedge_cue": None,
                    "routes": [],
                    "onset_text": None,
                    "onset_min_s": None,
                    "onset_max_s": None,
                    **row,
                    **fields,
                    "text": text[row["char_start"] : row["char_end"]],
                }
            )
        return rows

    return run


def _sources_sample() -> Any:
    """``notebooks/sources_sample.py`` (a script, not part of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "sources_sample", REPO / "notebooks" / "sources_sample.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build_drugs(root: Path, drugs: Any, at_least: int) -> Path:
    """Build the archive's pages of ``drugs`` (read from ``../shared``) under ``root``."""
    from extract.dataset.build import build
    from extract.dataset.config import BuildConfig

    sample = _sources_sample()
    archive = Path(sample.ARCHIVE)
    shared_dir(archive.parent)
    pages = root / "pages"
    assert sample.extract_pages(archive, pages, drugs or sample.DRUGS) >= at_least
    out = root / "output" / "sources-sample"
    build([pages], out, BuildConfig(n_process=2), progress=False)
    return out


@pytest.fixture(scope="session")
def sources_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The eleven drugs of the labelled cross-source pairs, read from the shared real corpus
    archive and built once per session (what ``make notebooks`` builds for notebook 04)."""
    return _build_drugs(tmp_path_factory.mktemp("sources"), None, 90)


@pytest.fixture(scope="session")
def heldout_sources_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six drugs of the held-out cross-source pairs, built once per session."""
    return _build_drugs(tmp_path_factory.mktemp("heldout"), _sources_sample().HELDOUT_DRUGS, 50)
