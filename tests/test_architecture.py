"""The package layout is the architecture: stages as subpackages, imports pointing one way.

The import-linter contracts live in pyproject.toml; these tests run them, check that they
still say what the architecture needs, and show that they fail when an import breaks a rule.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomllib

from tests.conftest import REPO

PACKAGE = REPO / "extract"
STAGES = ("read", "nlp", "tables", "dataset", "links", "review", "evalset", "quality")
MAX_MODULE_LINES = 500
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
    return {contract["type"] + ":" + contract["name"]: contract for contract in config["contracts"]}


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the package found under ``root`` with root's pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_import_contracts_are_kept() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_contracts_state_the_layers_and_the_nevers() -> None:
    contracts = _contracts()
    (layers,) = (c for key, c in contracts.items() if key.startswith("layers:"))
    assert layers["layers"][0] == "extract.cli"  # nothing imports the CLI
    assert layers["layers"][-1] == "extract.errors"
    named = " ".join(layers["layers"])
    assert all(f"extract.{stage}" in named for stage in STAGES)

    forbidden = [c for key, c in contracts.items() if key.startswith("forbidden:")]
    never_nlp = next(c for c in forbidden if "extract.review" in c["source_modules"])
    assert {"extract.read", "extract.review", "extract.evalset"} <= set(never_nlp["source_modules"])
    assert {"extract.nlp", "spacy"} <= set(never_nlp["forbidden_modules"])
    nlp_rule = next(c for c in forbidden if c["source_modules"] == ["extract.nlp"])
    assert {
        "extract.dataset",
        "extract.review",
        "extract.evalset",
        "extract.cli",
    } <= set(nlp_rule["forbidden_modules"])

    (acyclic,) = (c for key, c in contracts.items() if key.startswith("acyclic_siblings:"))
    assert set(acyclic["ancestors"]) == {"extract", *(f"extract.{s}" for s in STAGES)}


# (module to edit, import to add, contract expected to break)
VIOLATIONS = [
    ("review/context.py", "from extract.nlp import attrs", "never import the NLP pass"),
    ("evalset/folder.py", "import spacy", "never import the NLP pass"),
    ("read/html.py", "import spacy", "never import the NLP pass"),
    ("nlp/hedging.py", "import pyarrow", "The NLP pass knows nothing"),
    ("nlp/hedging.py", "from extract.dataset import config", "The NLP pass knows nothing"),
    ("dataset/work.py", "from extract import cli", "Stages are layered"),
    ("review/log.py", "from extract.evalset import export", "Stages are layered"),
    ("read/sources.py", "from extract.read import html", "No import cycles"),
]


@pytest.mark.parametrize(("module", "statement", "broken"), VIOLATIONS)
def test_contracts_catch_a_forbidden_import(
    tmp_path: Path, module: str, statement: str, broken: str
) -> None:
    shutil.copytree(PACKAGE, tmp_path / "extract", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "extract" / module
    target.write_text(target.read_text("utf-8") + f"\n{statement}  # noqa\n", "utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    report = result.stdout[result.stdout.index("Broken contracts") :]
    assert broken in report


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_the_size_limit(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name}: {lines} lines; split it by concern"


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_says_what_it_does_and_has_its_tests(stage: str) -> None:
    init = PACKAGE / stage / "__init__.py"
    docstring = ast.get_docstring(ast.parse(init.read_text("utf-8")))
    assert docstring is not None and len(docstring.splitlines()) >= 2
    assert any((REPO / "tests" / stage).glob("test_*.py"))


def test_no_stage_folder_is_missing_from_the_list() -> None:
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert folders == set(STAGES)


def test_every_claimset_factory_is_an_entry_point() -> None:
    # spaCy finds factories of an installed package through these entry points (a saved
    # pipeline with claimset components loads without importing extract first).
    from spacy.language import Language

    import extract.nlp.pipeline  # noqa: F401  (registers the factories)

    declared = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"][
        "entry-points"
    ]["spacy_factories"]
    registered = {name for name in Language.factories if name.startswith("claimset_")}
    assert registered == set(declared)
