"""ruff and mypy gate the code: part of the test command, so CI runs them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import REPO


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "extract", "tests"],
        ["ruff", "format", "--check", "extract"],
        [sys.executable, "-m", "mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_clean(command: list[str]) -> None:
    if command[0] == "ruff":
        command = [shutil.which("ruff") or "ruff", *command[1:]]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
