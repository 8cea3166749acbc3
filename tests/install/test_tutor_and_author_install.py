"""The tutor's and the author's installs, tested as installed: the wheel in a fresh virtual environment outside
the repository, each README install line run as written, then the role's own commands from a scratch folder.

Slow (pip installs nbgrader and its Jupyter stack, then MkDocs and Zensical: about a minute), so it runs once.
"""

from __future__ import annotations

import csv
import os
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.install.test_trainee_install import readme_commands

pytestmark = pytest.mark.slow

GRADE = 'python -m pip install "nhs-open-college[grade]"'
SITE = 'python -m pip install "nhs-open-college[site]"'
EXERCISE = "pandas-ae-first-look"


def test_tutor_then_author_install(tmp_path_factory: pytest.TempPathFactory) -> None:
    assert GRADE in readme_commands() and SITE in readme_commands()
    base = tmp_path_factory.mktemp("tutor")
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["PIP_FIND_LINKS"] = " ".join(filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS", "")]))
    env["COLUMNS"] = "200"
    work = base / "work"
    work.mkdir()

    def run(command: str | list[str], cwd: Path = work) -> subprocess.CompletedProcess[str]:
        arguments = shlex.split(command) if isinstance(command, str) else command
        done = subprocess.run(arguments, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def distributions() -> set[str]:
        listed = run(["python", "-m", "pip", "list", "--format=freeze"]).stdout
        return {line.split("==")[0].lower() for line in listed.splitlines()}

    started = time.monotonic()
    run(GRADE)
    seconds = time.monotonic() - started
    tutor = distributions()
    assert {"nbgrader", "sqlalchemy", "nhs-open-college"} <= tutor and not {"mkdocs", "zensical"} & tutor

    # A tutor's course folder: the exercise and the shared data, nothing else of the repository.
    course = work / "course"
    shutil.copytree(REPO / "exercises" / EXERCISE, course / "exercises" / EXERCISE)
    run(["college", "data", "generate", "--out", "data"], cwd=course)
    run(["college", "exercise", "build", EXERCISE, "--out", "downloads"], cwd=course)
    submitted = course / "submitted" / "ada" / EXERCISE
    submitted.mkdir(parents=True)
    with zipfile.ZipFile(course / "downloads" / f"{EXERCISE}.zip") as zipped:
        (submitted / f"{EXERCISE}.ipynb").write_bytes(zipped.read(f"{EXERCISE}/{EXERCISE}.ipynb"))
    run(["college", "grade", EXERCISE, "submitted/", "--workers", "1"], cwd=course)
    with (course / "build" / "grades" / EXERCISE / "grades.csv").open(encoding="utf-8") as grades:
        rows = list(csv.DictReader(grades))
    assert {row["trainee"] for row in rows} == {"ada"} and len(rows) == 5  # one row per graded test cell

    run(SITE)
    author = distributions()
    assert {"mkdocs", "mkdocs-material", "zensical"} <= author
    version = run(["mkdocs", "--version"]).stdout
    assert "1." in version
    print(f"\ntutor install: {len(tutor)} distributions, {seconds:.1f} s; author adds {len(author - tutor)}")
