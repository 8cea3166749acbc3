"""Shared fixtures: the repository root and a disposable copy of the minimal fixture curriculum."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "curriculum" / "files" / "minimal"


@pytest.fixture(scope="session")
def minimal_downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal curriculum's exercise download, built once with nbgrader as `make exercises` does."""
    from autograder.release import build_release
    from college.curriculum import load_exercise

    folder = tmp_path_factory.mktemp("minimal-exercises")
    build_release(load_exercise(MINIMAL / "exercises" / "first-look"), folder, REPO / "data")
    return folder


def populate(root: Path, downloads: Path) -> None:
    """Give a copy of the minimal curriculum what `make` gives the repository: the data and exercise downloads."""
    (root / "data").symlink_to(REPO / "data", target_is_directory=True)
    shutil.copytree(downloads, root / "build" / "exercises")


@pytest.fixture
def minimal_root(tmp_path: Path, minimal_downloads: Path) -> Path:
    """A writable copy of the minimal curriculum, to break in tests."""
    root = tmp_path / "curriculum"
    shutil.copytree(MINIMAL, root)
    populate(root, minimal_downloads)
    return root


def run(command: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run a real command of the project's toolchain, failing the test with its output if it fails."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=environment
    )
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result


BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class BuiltSite:
    folder: Path
    log: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real site, built once per session by `mkdocs build --strict` with the project's hook."""
    folder = tmp_path_factory.mktemp("site")
    result = run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(folder)], cwd=REPO)
    return BuiltSite(folder, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real site built by Zensical from the files `college pages` writes, as `make build-zensical` does."""
    project = tmp_path_factory.mktemp("zensical")
    run([str(BIN / "college"), "pages", "--out", str(project), "--root", str(REPO)], cwd=REPO)
    result = run([str(BIN / "zensical"), "build", "--clean"], cwd=project)
    return BuiltSite(project / "site", result.stdout + result.stderr)
