"""The tutor's command exactly as README.md prints it, with a relative folder, from a copy of the repository root;
and the grader leaves the process it runs in as it found it (working folder, pandas, nothing global)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from autograder.grader import Grader, GraderSetup, make_tests_folder
from autograder.sandbox.limits import Limits
from tests.autograder.helpers import EXERCISE_DIR, NOTEBOOK_NAME, fixture_spec
from tests.conftest import REPO

README_GRADE = re.compile(r"^(college grade \S+ submitted/)\s", re.MULTILINE)


def readme_grade_command() -> str:
    match = README_GRADE.search((REPO / "README.md").read_text(encoding="utf-8"))
    assert match, "README.md shows the tutor's `college grade EXERCISE submitted/` command"
    return match[1]


def repository_copy(tmp_path: Path) -> Path:
    """The repository root as a tutor has it (links to its folders), without writing into the real one."""
    root = tmp_path / "college"
    root.mkdir()
    for entry in REPO.iterdir():
        if entry.name not in {"build", "site", ".git", "test-artifacts", ".venv", "node_modules"}:
            (root / entry.name).symlink_to(entry)
    return root


@pytest.mark.slow
def test_the_readme_grade_command_with_a_relative_folder_grades_every_trainee(tmp_path: Path) -> None:
    command = readme_grade_command()
    exercise = shlex.split(command)[2]
    root = repository_copy(tmp_path)
    source = REPO / "exercises" / exercise / f"{exercise}.ipynb"
    right = root / "submitted" / "right" / exercise
    right.mkdir(parents=True)
    shutil.copy(source, right / source.name)  # the tutor's own notebook: every answer right
    blank = root / "submitted" / "blank" / exercise
    blank.mkdir(parents=True)
    with zipfile.ZipFile(REPO / "build" / "exercises" / f"{exercise}.zip") as download:
        name = next(n for n in download.namelist() if n.endswith(".ipynb"))
        (blank / source.name).write_bytes(download.read(name))
    college = Path(sys.executable).with_name("college")
    args = [str(college), *shlex.split(command)[1:]]
    done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    grades = pd.read_csv(root / "build" / "grades" / exercise / "grades.csv")
    statuses = grades.groupby("trainee")["status"].unique().to_dict()
    assert set(statuses) == {"right", "blank"}
    assert all(list(status) == ["graded"] for status in statuses.values()), statuses
    totals = grades.groupby("trainee")["score"].sum()
    assert totals["right"] == grades.groupby("trainee")["max_score"].sum()["right"]
    assert totals["blank"] == 0


def test_a_grader_changes_neither_the_working_folder_nor_pandas(tmp_path: Path) -> None:
    limits = Limits(cell_timeout=5, submission_timeout=30, memory_mb=256)
    spec = fixture_spec(limits)
    folder = make_tests_folder(spec, tmp_path / "tests")
    before = os.getcwd()
    readers = (pd.read_csv, pd.read_parquet)
    with pytest.raises(Exception, match="tests folder"):
        Grader(GraderSetup(spec, limits, "none"), folder)  # not started there: refused, nothing changed
    assert os.getcwd() == before
    os.chdir(folder)
    try:
        grader = Grader(GraderSetup(spec, limits, "none"), folder)
        try:
            assert os.getcwd() == str(folder.resolve())
            assert (pd.read_csv, pd.read_parquet) == readers
            proxy = grader.context.namespace["pd"]
            assert proxy is not pd and proxy.DataFrame is pd.DataFrame
            first = proxy.read_csv("data/admissions.csv")
            second = proxy.read_csv(str(folder / "data" / "admissions.csv"))
            assert first.equals(second) and first is not second
            assert (grader.data_cache.misses, grader.data_cache.hits) == (1, 1)
        finally:
            grader.close()
    finally:
        os.chdir(before)
    assert (pd.read_csv, pd.read_parquet) == readers


def test_two_graders_in_one_process_keep_their_own_caches(tmp_path: Path) -> None:
    from autograder.verdict import TestContext, tutor_namespace

    first, second = TestContext(tutor_namespace(("import math",))), TestContext(tutor_namespace(()))
    first.prefixes[("q", "x = 1")] = {"x": 1}
    assert second.prefixes == {} and "math" in first.namespace and "math" not in second.namespace


def test_the_tests_folder_is_made_for_an_exercise_without_data(tmp_path: Path) -> None:
    """A worker is started in its tests folder, so the folder must exist even when there is no data to link."""
    from autograder.exercise import build_spec

    limits = Limits(cell_timeout=5, submission_timeout=30, memory_mb=256)
    spec = build_spec(
        exercise_id="no-data",
        title="No data",
        notebook=EXERCISE_DIR / NOTEBOOK_NAME,
        data_files=[],
        competencies=(),
        limits=limits,
    )
    folder = make_tests_folder(spec, tmp_path / "workers" / "tests")
    assert folder.is_dir() and not (folder / "data").exists()
