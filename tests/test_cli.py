"""The command line: help with examples, one-line errors, exit codes, docs in sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.cli import main
from tests.conftest import REPO


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["eval", "--help"]])
def test_help_shows_an_example(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert "claimset " in out.split("examples:", 1)[1]


def test_missing_input_gives_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["build", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_unknown_model_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ketamine blocks NMDA receptors.", "utf-8")
    code = main(
        ["build", str(corpus), "--out", str(tmp_path / "o"), "--model", "no_such_model", "--quiet"]
    )
    assert code == 2
    assert "no_such_model" in capsys.readouterr().err


def test_eval_with_missing_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.jsonl").write_text("", "utf-8")
    code = main(["eval", "--gold", str(gold), "--dataset", str(tmp_path / "none")])
    assert code == 1
    assert capsys.readouterr().err.startswith("Error: ")


def test_readme_commands_match_ci() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    commands = re.findall(r"```(?:sh|bash)\n(.+?)\n```", readme, flags=re.S)
    install_and_run, run_tests = commands[0], commands[1]
    assert "claimset build" in install_and_run
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert run_tests.strip() in ci
