"""nbgrader's own documentation example course, ``ps1``, graded by ``nbgrader autograde`` and by ``college grade
--course``: cell by cell the same automatic scores and the same cells left for manual grading.

The course (``source/ps1``: ``problem1.ipynb`` with autograded tests, manually graded code and markdown answers
and a task; ``problem2.ipynb`` with manually graded markdown answers only; students ``bitdiddle`` and ``hacker``)
is read from the nbgrader package installed here, which ships its documentation
(``nbgrader/docs/source/user_guide/``, BSD-3-Clause, Copyright (c) 2014-, Project Jupyter): nothing is copied
into this repository.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ASSIGNMENT = "ps1"
STUDENTS = ("bitdiddle", "hacker")
CONFIG = 'c = get_config()\nc.CourseDirectory.course_id = "example_course"\n'


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "200"}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _docs_course(root: Path) -> Path:
    """nbgrader's example: its source and submissions, a config naming the course, and the gradebook
    ``nbgrader generate_assignment`` writes (as a course has before anyone grades)."""
    import nbgrader

    guide = Path(nbgrader.__file__).parent / "docs" / "source" / "user_guide"
    if not (guide / "source" / ASSIGNMENT / "problem1.ipynb").is_file():
        pytest.fail(f"nbgrader's documentation example is not installed at {guide}")
    root.mkdir(parents=True)
    shutil.copytree(guide / "source" / ASSIGNMENT, root / "source" / ASSIGNMENT)
    for student in STUDENTS:
        shutil.copytree(guide / "submitted" / student, root / "submitted" / student)
    (root / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    _run([str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT], root)
    return root


def _cells(root: Path) -> dict[tuple[str, str, str], tuple[float | None, bool]]:
    """Every grade in the gradebook: (student, notebook, cell) -> (auto_score, needs_manual_grade)."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for submission in gradebook.find_assignment(ASSIGNMENT).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    key = (submission.student_id, notebook.name, grade.cell.name)
                    found[key] = (grade.auto_score, bool(grade.needs_manual_grade))
    return found


def _mark_by_hand(root: Path) -> None:
    """What a tutor does in formgrader: a manual score for every cell flagged for manual grading."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for submission in gradebook.find_assignment(ASSIGNMENT).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.needs_manual_grade:
                        grade.manual_score = grade.max_score / 2
                        grade.needs_manual_grade = False
        gradebook.db.commit()


def _export(root: Path) -> dict[str, tuple[str, str]]:
    _run([str(BIN / "nbgrader"), "export"], root)
    with open(root / "grades.csv", encoding="utf-8", newline="") as handle:
        return {
            row["student_id"]: (row["raw_score"], row["max_score"])
            for row in csv.DictReader(handle)
            if row["assignment"] == ASSIGNMENT
        }


@pytest.mark.slow
def test_ps1_graded_in_place_matches_nbgrader_autograde_cell_by_cell(tmp_path: Path) -> None:
    theirs = _docs_course(tmp_path / "nbgrader")
    ours = tmp_path / "college"
    shutil.copytree(theirs, ours)
    _run([str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--create"], theirs)
    done = _run([str(BIN / "college"), "grade", ASSIGNMENT, "--course", str(ours)], ours)
    expected, got = _cells(theirs), _cells(ours)
    assert got == expected
    assert len(expected) == 2 * 9  # two students; problem1's seven graded cells and task, problem2's two
    manual = {key for key, (score, flagged) in expected.items() if score is None and flagged}
    assert ("hacker", "problem1", "cell-938593c4a215c6cc") in manual  # the task
    assert ("bitdiddle", "problem2", "part-a") in manual  # a markdown answer
    assert ("hacker", "problem1", "sum_of_squares_application") in manual  # a code answer
    assert expected[("bitdiddle", "problem1", "sum_of_squares_application")] == (
        0.0,
        False,
    )  # left as released
    assert expected[("hacker", "problem1", "sum_of_squares_uses_squares")] == (0.5, False)  # the test's `del`
    assert "need manual grading" in done.stdout

    # formgrader's copy: every student listed as autograded, each answer as the student wrote it
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(ours)
    config.CourseDirectory.course_id = "example_course"
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    assert api.get_autograded_students(ASSIGNMENT) == set(STUDENTS)
    for student in STUDENTS:
        submitted = json.loads((ours / "submitted" / student / ASSIGNMENT / "problem2.ipynb").read_text())
        graded = json.loads((ours / "autograded" / student / ASSIGNMENT / "problem2.ipynb").read_text())

        def answers(notebook: dict[str, object]) -> dict[str, str]:
            return {
                cell["metadata"]["nbgrader"]["grade_id"]: "".join(cell["source"])
                for cell in notebook["cells"]  # type: ignore[attr-defined]
                if cell["metadata"].get("nbgrader", {}).get("solution")
            }

        assert answers(graded) == answers(submitted) and answers(graded)
        assert (ours / "autograded" / student / ASSIGNMENT / "timestamp.txt").is_file()

    # our own outputs say "needs manual grading", never a 0 for an answer nobody has marked
    with open(
        ours / "college" / ASSIGNMENT / "problem2" / "grades.csv", encoding="utf-8", newline=""
    ) as handle:
        rows = list(csv.DictReader(handle))
    assert {(row["status"], row["score"]) for row in rows} == {("needs_manual_grading", "")}
    page = (ours / "college" / ASSIGNMENT / "problem1" / "feedback" / "hacker.html").read_text(
        encoding="utf-8"
    )
    assert "needs manual grading" in page
    report = (ours / "college" / ASSIGNMENT / "problem1" / "report.html").read_text(encoding="utf-8")
    assert "need manual grading" in report and "Needs manual grading" in report

    # the tutor marks the rest by hand; nbgrader export totals both, the same in both courses
    _mark_by_hand(theirs)
    _mark_by_hand(ours)
    totals = _export(ours)
    assert totals == _export(theirs)
    assert set(totals) == set(STUDENTS) and all(float(raw) > 0 for raw, _ in totals.values())
    assert {top for _, top in totals.values()} == {"13.0"}

    # one question regraded in place: only its cells change (a manually graded answer is flagged again)
    marked = _cells(ours)
    _run([str(BIN / "college"), "grade", ASSIGNMENT, "--course", str(ours), "--question", "part-a"], ours)
    again = _cells(ours)
    assert {key for key in again if again[key] != marked[key]} == {
        (s, "problem2", "part-a") for s in STUDENTS
    }
    assert all(again[(s, "problem2", "part-a")] == (None, True) for s in STUDENTS)

    # grading again keeps the tutor's marks, and flags manually graded answers again as nbgrader does
    _run([str(BIN / "college"), "grade", ASSIGNMENT, "--course", str(ours), "--regrade"], ours)
    _run([str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--force"], theirs)
    assert _cells(ours) == _cells(theirs)
    assert _export(ours) == _export(theirs)
