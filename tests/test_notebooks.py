"""The notebooks run, end to end, on datasets built here; the saved outputs are current."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest

from extract.cli import main
from extract.dataset.build import build
from extract.read.inputs import SAMPLE_CORPUS_DIR

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
NAMES = ["01_explore_claims.ipynb", "02_review_progress.ipynb", "03_evaluation_set.ipynb"]
# Reads a build of real pages from several sources (notebooks/sources_sample.py).
SOURCES = "04_sources_disagree.ipynb"


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notebook_runner", NOTEBOOKS / "execute.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RUNNER = _runner()


def _outputs(notebook: nbformat.NotebookNode) -> list[list[Any]]:
    """What a reader sees, minus images (their bytes follow the matplotlib build)."""
    seen = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if output.output_type == "stream":
                kept.append((output.name, output.text))
            elif output.output_type in ("execute_result", "display_data"):
                data = output.data
                kept.append(
                    ("data", data.get("text/html") or data.get("text/plain"), "image/png" in data)
                )
            else:
                kept.append((output.output_type,))
        seen.append(kept)
    return seen


def test_the_runner_finds_every_notebook() -> None:
    assert [path.name for path in RUNNER.notebooks()] == [*NAMES, SOURCES]
    assert (SOURCES,) == RUNNER.SOURCES_NOTEBOOKS


@pytest.mark.parametrize("name", [*NAMES, SOURCES])
def test_committed_notebooks_have_outputs_and_defaults(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    (parameters,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    default = 'DATASET = "output/sources-sample/"' if name == SOURCES else 'DATASET = "output/"'
    assert default in parameters.source
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    for cell in code:  # nothing private from the package
        assert "from extract" not in cell.source and "import extract" not in cell.source
    prose = " ".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert len(prose.split()) > 150  # each plot is explained


def test_a_new_user_runs_every_notebook_on_a_fresh_build(tmp_path: Path, nlp: Any) -> None:
    # README: install, `claimset build`, open the notebooks. No reviews, no evaluation set:
    # every notebook must still run (the third exports the set itself).
    out = tmp_path / "output"
    build([SAMPLE_CORPUS_DIR], out, progress=False, nlp=nlp)
    for name in NAMES:
        RUNNER.execute(NOTEBOOKS / name, {"DATASET": "output/"}, cwd=tmp_path)
    assert (out / "evalset" / "evalset.json").is_file()


def test_saved_outputs_match_a_fresh_run_of_the_sample(tmp_path: Path, nlp: Any) -> None:
    # What `make notebooks` does, in a scratch folder laid out the same way: the text of
    # every output must equal the committed one (so the saved outputs are current, and a
    # re-run does not churn them).
    data = tmp_path / "output" / "notebook-sample"
    build([SAMPLE_CORPUS_DIR], data, progress=False, nlp=nlp)
    review = ["review", "import", str(NOTEBOOKS / "sample_reviews.csv"), "--dataset", str(data)]
    assert main(review) == 0
    assert main(["evalset", "--dataset", str(data), "--out", str(data / "evalset")]) == 0
    for name in NAMES:
        copy = tmp_path / name
        shutil.copy(NOTEBOOKS / name, copy)
        fresh = RUNNER.execute(copy, {"DATASET": "output/notebook-sample/"}, cwd=tmp_path)
        committed = nbformat.read(NOTEBOOKS / name, as_version=4)
        assert _outputs(fresh) == _outputs(committed), f"{name}: run `make notebooks`"


def test_an_unknown_parameter_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no parameter"):
        RUNNER.execute(NOTEBOOKS / NAMES[0], {"DATASETS": "x"}, cwd=tmp_path)


def test_the_sources_notebook_runs_and_its_saved_outputs_match(sources_build: Path) -> None:
    # sources_build is ROOT/output/sources-sample, as `make notebooks` lays it out.
    root = sources_build.parent.parent
    copy = root / SOURCES
    shutil.copy(NOTEBOOKS / SOURCES, copy)
    fresh = RUNNER.execute(copy, {"DATASET": "output/sources-sample/"}, cwd=root)
    committed = nbformat.read(NOTEBOOKS / SOURCES, as_version=4)
    assert _outputs(fresh) == _outputs(committed), f"{SOURCES}: run `make notebooks`"
