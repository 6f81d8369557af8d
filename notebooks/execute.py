"""Run the notebooks in place against a dataset, keeping their default parameters.

Used by ``make notebooks`` (which saves the outputs of the sample build into the committed
notebooks) and by the tests (which run them against a dataset built in the test and fail on
any error). The cell tagged ``parameters`` is replaced while the notebook runs and restored
afterwards, so a reader always sees the defaults. No timing or run-specific metadata is kept:
re-running on the same data gives the same file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS_DIR = Path(__file__).resolve().parent
REPO_DIR = NOTEBOOKS_DIR.parent


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def execute(
    path: Path,
    parameters: Mapping[str, object],
    *,
    cwd: Path = REPO_DIR,
    save: bool = False,
    timeout: int = 600,
) -> nbformat.NotebookNode:
    """Execute one notebook with ``parameters``; raise on the first failing cell."""
    notebook = nbformat.read(path, as_version=4)
    (cell,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    defaults = cell.source
    names = [line.split("=")[0].strip() for line in defaults.splitlines() if "=" in line]
    unknown = set(parameters) - set(names)
    if unknown:
        raise ValueError(f"{path.name} has no parameter {', '.join(sorted(unknown))}")
    # The defaults first, then the overrides: a parameter not given keeps its default.
    overrides = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    cell.source = f"{defaults}\n{overrides}"
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    cell.source = defaults
    for each in notebook.cells:
        each.metadata.pop("execution", None)
    notebook.metadata.get("language_info", {}).pop("version", None)
    if save:
        nbformat.write(notebook, path)
    return notebook


# Notebooks that read a build of real pages from several sources (sources_sample.py), not
# the bundled sample.
SOURCES_NOTEBOOKS = ("04_sources_disagree.ipynb",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, help="dataset folder, relative to the repo")
    parser.add_argument(
        "--sources-dataset",
        help="the sources sample's dataset folder (notebooks/sources_sample.py), for notebook 04",
    )
    args = parser.parse_args(argv)
    for path in notebooks():
        if path.name in SOURCES_NOTEBOOKS:
            if args.sources_dataset is None:
                print(f"skipped {path.relative_to(REPO_DIR)}: no --sources-dataset")
                continue
            execute(path, {"DATASET": args.sources_dataset}, save=True)
        else:
            execute(path, {"DATASET": args.dataset}, save=True)
        print(f"executed {path.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
