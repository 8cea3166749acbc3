"""Every shell command a site page shows runs, as written, in some test: here for the module pages, in
tests/install for the set-up and library pages (they install the college's own package). A new command block on
any page fails the first test below until a test runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

COURSES = REPO / "courses"
SHELL = re.compile(r"^(?P<indent> *)```(?:bash|console|sh|shell)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)

RUN_BY_THE_INSTALL_TESTS = {
    "setup.md",
    "library/index.md",
    "library/data.md",
    "library/methods.md",
    "library/validity.md",
}
"""Pages whose commands tests/install/test_trainee_install.py runs (or checks are the install line it runs)."""
RUN_HERE = {"analysts/03-python-and-pandas.md", "analysts/06-reproducible-analytical-pipelines.md"}


def shell_blocks(page: str) -> list[str]:
    text = (COURSES / page).read_text(encoding="utf-8")
    return [
        "\n".join(line.removeprefix(match["indent"]) for line in match["body"].splitlines()) + "\n"
        for match in SHELL.finditer(text)
    ]


def test_every_page_with_commands_has_a_test_that_runs_them() -> None:
    with_commands = {
        path.relative_to(COURSES).as_posix()
        for path in COURSES.rglob("*.md")
        if shell_blocks(path.relative_to(COURSES).as_posix())
    }
    untested = with_commands - RUN_BY_THE_INSTALL_TESTS - RUN_HERE
    assert not untested, (
        f"command blocks no test runs: {sorted(untested)} (add them to tests/content/test_page_commands.py)"
    )
    assert with_commands >= RUN_HERE, sorted(RUN_HERE - with_commands)


def _environment(extra_path: Path | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    if extra_path is not None:
        env["PATH"] = f"{extra_path}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.slow
def test_the_python_module_set_up_makes_an_environment_with_pandas_and_pyarrow(tmp_path: Path) -> None:
    (block,) = shell_blocks("analysts/03-python-and-pandas.md")
    completed = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=tmp_path,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    python = tmp_path / ".venv" / "bin" / "python"
    imported = subprocess.run(
        [
            str(python),
            "-c",
            "import pandas, pyarrow; print(pandas.__version__ > '2', pyarrow.__version__ > '1')",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert imported.stdout.split() == ["True", "True"], imported.stderr


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=folder, check=True, capture_output=True, text=True, timeout=60
    ).stdout


def test_the_rap_modules_git_workflow_branches_tests_commits_and_pushes(tmp_path: Path) -> None:
    """The block as a trainee runs it in their pipeline's repository (made here, with a remote to push to), after
    editing the two files it names."""
    (block,) = shell_blocks("analysts/06-reproducible-analytical-pipelines.md")
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "-q", "--bare", str(origin))
    project = tmp_path / "ae-performance"
    project.mkdir()
    _git(project, "init", "-q", "-b", "main")
    _git(project, "config", "user.email", "analyst@example.nhs.uk")
    _git(project, "config", "user.name", "An Analyst")
    (project / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\npythonpath = ["src"]\n', encoding="utf-8"
    )
    _git(project, "add", "pyproject.toml")
    _git(project, "commit", "-q", "-m", "Start the pipeline")
    _git(project, "remote", "add", "origin", str(origin))
    # "... edit code and tests ...":
    (project / "src" / "ae_performance").mkdir(parents=True)
    (project / "src" / "ae_performance" / "__init__.py").write_text("", encoding="utf-8")
    (project / "src" / "ae_performance" / "pipeline.py").write_text(
        "def share_within(minutes, limit=240):\n    return sum(m <= limit for m in minutes) / len(minutes)\n",
        encoding="utf-8",
    )
    (project / "tests").mkdir()
    (project / "tests" / "test_pipeline.py").write_text(
        "from ae_performance.pipeline import share_within\n\n\n"
        "def test_four_hours_exactly_counts_as_within():\n    assert share_within([240, 241]) == 0.5\n",
        encoding="utf-8",
    )
    completed = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=project,
        env=_environment(
            Path(sys.executable).parent
        ),  # `python -m pytest` finds pytest, as in the trainee's venv
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "1 passed" in completed.stdout
    assert "add-type-3-performance" in _git(origin, "branch")
    assert _git(origin, "log", "-1", "--format=%s", "add-type-3-performance").strip() == (
        "Add four-hour performance for type 3 departments"
    )
