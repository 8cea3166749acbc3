"""Authoring (the release ZIP, made by nbgrader) and trainees checking their own work from it."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.check import check_notebook
from autograder.errors import GradingError
from autograder.release import build_release
from autograder.sandbox.limits import Limits
from college.selfcheck.questions import is_self_check_cell
from tests.autograder.helpers import DATA_DIR, HIDDEN_TOKEN, NOTEBOOK_NAME, answered, exercise, released

LIMITS = Limits(cell_timeout=10, submission_timeout=60, memory_mb=256)


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("release")
    archive = build_release(exercise(), base / "build", DATA_DIR)
    assert archive == base / "build" / "admissions-rates.zip"
    with zipfile.ZipFile(archive) as zf:
        assert sorted(zf.namelist()) == [
            "admissions-rates/README.txt",
            f"admissions-rates/{NOTEBOOK_NAME}",
            "admissions-rates/data/admissions.csv",
            "admissions-rates/self-check.json",
        ]
        zf.extractall(base / "trainee")
    yield base / "trainee" / "admissions-rates"


def test_the_release_is_nbgraders_student_version(unpacked: Path) -> None:
    text = (unpacked / NOTEBOOK_NAME).read_text(encoding="utf-8")
    assert (
        HIDDEN_TOKEN not in text
        and "BEGIN SOLUTION" not in text
        and 'read_csv(\\"data/admissions.csv' in text
    )
    assert text.count("raise NotImplementedError()") == 3
    cells = [cell for cell in json.loads(text)["cells"] if not is_self_check_cell(cell)]
    ours = released()["cells"]
    assert ["".join(c["source"]) for c in cells] == ["".join(c["source"]) for c in ours]
    assert "college exercise check" in (unpacked / "README.txt").read_text(encoding="utf-8")


def test_checking_the_unanswered_release_fails_every_question(unpacked: Path) -> None:
    result = check_notebook(unpacked / NOTEBOOK_NAME, limits=LIMITS)
    assert [q.passed for q in result.questions] == [False, False, False]
    assert any("NotImplementedError" in error for error in result.cell_errors)


def test_checking_answers_runs_the_visible_tests_only(unpacked: Path) -> None:
    wrong = answered(
        {"total_rate": "total_rate = 1.0"}, base=json.loads((unpacked / NOTEBOOK_NAME).read_text())
    )
    path = unpacked / "mine.ipynb"
    path.write_text(json.dumps(wrong), encoding="utf-8")
    before = sorted(p.name for p in unpacked.iterdir())
    result = check_notebook(path, limits=LIMITS)
    assert [q.passed for q in result.questions] == [
        True,
        True,
        True,
    ]  # the wrong rate passes: its test is hidden
    assert sorted(p.name for p in unpacked.iterdir()) == before  # nothing written


def test_a_tutors_source_notebook_never_runs_its_hidden_tests(tmp_path: Path) -> None:
    source = exercise().notebook
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "admissions.csv").write_bytes((DATA_DIR / "admissions.csv").read_bytes())
    notebook = json.loads(Path(source).read_text())
    cell = next(
        c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "total_rate"
    )
    cell["source"] = "total_rate = 1.0"
    path = tmp_path / "source.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = check_notebook(path, limits=LIMITS)
    assert result.questions[0].passed and HIDDEN_TOKEN not in result.questions[0].message


def test_checking_something_that_is_not_a_notebook_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(GradingError, match=r"broken\.ipynb"):
        check_notebook(path, limits=LIMITS)


def test_a_missing_data_file_stops_the_build_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(GradingError, match=r"admissions\.csv"):
        build_release(exercise(), tmp_path, tmp_path / "no-data")


def test_grading_skips_the_release_self_check_cells_but_runs_edited_ones(unpacked: Path) -> None:
    """The set-up cell and the check(...) lines are formative: the sandboxed run neither runs nor needs them
    (the sandbox has no self-check.json); a trainee's own code put in one of them runs like any other cell."""
    mine = answered(base=json.loads((unpacked / NOTEBOOK_NAME).read_text(encoding="utf-8")))
    assert sum(is_self_check_cell(cell) for cell in mine["cells"]) == 4
    path = unpacked / "answered.ipynb"
    path.write_text(json.dumps(mine), encoding="utf-8")
    result = check_notebook(path, limits=LIMITS)
    assert result.all_passed and not result.cell_errors, result
    setup = next(cell for cell in mine["cells"] if is_self_check_cell(cell))
    setup["source"] = "raise ValueError('my own code')"
    path.write_text(json.dumps(mine), encoding="utf-8")
    edited = check_notebook(path, limits=LIMITS)
    assert any("my own code" in error for error in edited.cell_errors), edited.cell_errors
