"""The self-documenting Makefile: `make help` lists every target a developer needs."""

from __future__ import annotations

import subprocess

from tests.conftest import REPO


def test_make_help_lists_every_target() -> None:
    output = subprocess.run(["make", "help"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for target in ("serve", "test", "check", "build", "build-zensical", "bench", "lint", "help"):
        assert f"make {target} " in output, output


def test_ci_runs_exactly_make_test() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "\nmake test\n" in script
