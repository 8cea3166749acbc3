"""The code standards are part of the suite: ruff (lint and format) and mypy on the packages."""

from __future__ import annotations

import subprocess

import yaml

from tests.conftest import BIN, REPO

FOLDERS = ["college", "autograder", "tests", "benchmarks"]


def test_ruff_finds_nothing() -> None:
    for command in (["check", *FOLDERS], ["format", "--check", *FOLDERS]):
        result = subprocess.run([str(BIN / "ruff"), *command], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = subprocess.run([str(BIN / "mypy")], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pre_commit_hook_runs_the_ruff_of_make_lint() -> None:
    """A hook on another ruff version would format differently from `make lint` and fight it on every commit."""
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    revs = [repo["rev"] for repo in config["repos"] if repo["repo"].endswith("/ruff-pre-commit")]
    pins = [
        line.partition("==")[2].strip()
        for line in (REPO / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("ruff==")
    ]
    assert len(revs) == 1 and len(pins) == 1
    assert revs[0] == f"v{pins[0]}"
