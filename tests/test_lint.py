"""The code standards are part of the suite: ruff (lint and format) and mypy on the packages."""

from __future__ import annotations

import subprocess

from tests.conftest import BIN, REPO

FOLDERS = ["college", "autograder", "tests", "benchmarks"]


def test_ruff_finds_nothing() -> None:
    for command in (["check", *FOLDERS], ["format", "--check", *FOLDERS]):
        result = subprocess.run([str(BIN / "ruff"), *command], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = subprocess.run([str(BIN / "mypy")], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
