"""An existing nbgrader course graded in place: its own config, gradebook, assignment name, students and
timestamps, checked with nbgrader's own Gradebook API, export and release_feedback."""

from __future__ import annotations

import csv
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.course import load_course
from tests.autograder.course_fixture import ASSIGNMENT, COURSE_ID, build_course
from tests.conftest import REPO


@pytest.fixture
def nbgrader_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """nbgrader's Gradebook() runs the ``alembic`` command: the venv's bin folder must be on PATH."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def test_the_course_config_is_read_with_nbgraders_own_classes(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'stats_101'\n"
        "c.CourseDirectory.db_url = 'sqlite:////elsewhere/gb.db'\n"
        "c.ClearSolutions.begin_solution_delimeter = 'BEGIN ANSWER'\n"
        "c.ClearSolutions.end_solution_delimeter = 'END ANSWER'\n"
        "c.ClearSolutions.code_stub = {'python': '# your answer'}\n"
        "c.ClearHiddenTests.begin_test_delimeter = 'SECRET START'\n"
        "c.Execute.timeout = 7\n",
        encoding="utf-8",
    )
    course = load_course(tmp_path)
    assert course.course_id == "stats_101"
    assert course.db_url == "sqlite:////elsewhere/gb.db"
    assert (course.delimiters.begin_solution, course.delimiters.end_solution) == (
        "BEGIN ANSWER",
        "END ANSWER",
    )
    assert course.delimiters.code_stub == "# your answer"
    assert course.delimiters.begin_hidden == "SECRET START"
    assert course.delimiters.end_hidden == "END HIDDEN TESTS"  # nbgrader's default where the course sets none
    assert course.cell_timeout == 7.0


def test_a_course_without_settings_gets_nbgraders_defaults(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    course = load_course(tmp_path)
    assert course.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
    assert course.delimiters.begin_hidden == "BEGIN HIDDEN TESTS"
    assert course.cell_timeout is None


def test_a_folder_without_nbgrader_config_is_refused_by_name(tmp_path: Path) -> None:
    from autograder.errors import GradingError

    with pytest.raises(GradingError, match=r"nbgrader_config\.py"):
        load_course(tmp_path)


@pytest.mark.slow
def test_college_grade_course_grades_in_place_as_nbgrader_sees_it(
    tmp_path: Path, nbgrader_path: None
) -> None:
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    course = build_course(tmp_path / "course")
    college = Path(sys.executable).with_name("college")
    done = subprocess.run(
        [str(college), "grade", ASSIGNMENT, "--course", str(course), "--isolation", "none"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "release_feedback" in done.stdout
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert [a.name for a in gradebook.assignments] == [ASSIGNMENT]  # no renamed copy
        assignment = gradebook.find_assignment(ASSIGNMENT)
        assert sorted(nb.name for nb in assignment.notebooks) == ["problem1", "problem2"]
        scores = {s.student_id: (s.score, s.max_score) for s in assignment.submissions}
        assert scores == {"bitdiddle": (3.0, 3.0), "hacker": (0.0, 3.0), "lately": (3.0, 3.0)}  # raw scores
        lately = gradebook.find_submission(ASSIGNMENT, "lately")
        assert lately.total_seconds_late == 86400
        assert lately.late_submission_penalty == 3.0  # the course's "zero" penalty, as nbgrader applies it
        on_time = gradebook.find_submission(ASSIGNMENT, "bitdiddle")
        assert str(on_time.timestamp) == "2026-12-01 09:30:00"
        assert gradebook.find_student("bitdiddle").first_name == "Bitdiddle"  # the course's own students
        grade = gradebook.find_grade("correct_squares", "problem1", ASSIGNMENT, "hacker")
        assert (grade.auto_score, grade.needs_manual_grade) == (0.0, False)
    for student in ("bitdiddle", "hacker", "lately"):
        folder = course / "feedback" / student / ASSIGNMENT
        assert sorted(p.name for p in folder.iterdir()) == ["problem1.html", "problem2.html", "timestamp.txt"]
        page = (folder / "problem1.html").read_text(encoding="utf-8")
        assert "three squares" in page and "[1, 4, 9]" not in page  # hidden tests by name only
    with open(
        course / "college" / ASSIGNMENT / "problem1" / "grades.csv", encoding="utf-8", newline=""
    ) as handle:
        late_columns = {r["trainee"]: (r["hours_late"], r["late_penalty"]) for r in csv.DictReader(handle)}
    assert late_columns == {"bitdiddle": ("0.00", "0"), "hacker": ("0.00", "0"), "lately": ("24.00", "2")}
    page = (course / "feedback" / "lately" / ASSIGNMENT / "problem1.html").read_text(encoding="utf-8")
    assert "24.0 hours late" in page and "late penalty: 2 points" in page
    for student in ("bitdiddle", "hacker", "lately"):  # formgrader's copy, without the hidden tests
        graded = course / "autograded" / student / ASSIGNMENT
        assert sorted(p.name for p in graded.iterdir()) == [
            "problem1.ipynb",
            "problem2.ipynb",
            "timestamp.txt",
        ]
        text = (graded / "problem1.ipynb").read_text(encoding="utf-8")
        assert "assert squares(1) == [1]" in text and "[1, 4, 9]" not in text
    with open(course / "college" / ASSIGNMENT / "moodle-grades.csv", encoding="utf-8", newline="") as handle:
        moodle = {row["Username"]: row[ASSIGNMENT] for row in csv.DictReader(handle)}
    assert moodle == {"bitdiddle": "3", "hacker": "0", "lately": "0"}  # totals less nbgrader's late penalty
    with open(course / "college" / ASSIGNMENT / "canvas-grades.csv", encoding="utf-8", newline="") as handle:
        canvas = list(csv.reader(handle))
    assert canvas[1][-1] == "3" and [row[3] for row in canvas[2:]] == ["bitdiddle", "hacker", "lately"]
    assert "moodle-grades.csv" in done.stdout
    report = (course / "college" / ASSIGNMENT / "problem1" / "report.html").read_text(encoding="utf-8")
    assert "lately" in report and "24.0 hours late" in report and "late penalty: 3 points" in report
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.course_id = COURSE_ID
    config.Exchange.root = str(tmp_path / "exchange")
    (tmp_path / "exchange").mkdir()
    for student in ("bitdiddle",):  # nbgrader's own release_feedback finds the pages
        (course / "feedback" / student / ASSIGNMENT / "submission_secret.txt").write_text("s3cret")
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    released = api.release_feedback(ASSIGNMENT, "bitdiddle")
    assert released["success"], released
    assert len(list((tmp_path / "exchange" / COURSE_ID / "feedback").glob("*.html"))) == 2
    export = subprocess.run(
        [str(Path(sys.executable).with_name("nbgrader")), "export"],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert export.returncode == 0, export.stderr
    rows = (course / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("assignment,duedate,timestamp,student_id")
    assert any(
        row.startswith(f"{ASSIGNMENT},") and ",lately," in row and row.endswith(",3.0,0.0,3.0")
        for row in rows
    )


README_COURSE = re.compile(r"^(college grade \S+ --course \S+ --roster \S+)$", re.MULTILINE)


@pytest.mark.slow
def test_the_readme_course_command_runs_as_written(tmp_path: Path, nbgrader_path: None) -> None:
    from autograder.course import load_course

    match = README_COURSE.search((REPO / "autograder" / "README.md").read_text(encoding="utf-8"))
    assert match, "autograder/README.md shows `college grade ASSIGNMENT --course DIR --roster FILE`"
    words = shlex.split(match[1])
    assignment, folder, roster = words[2], words[4], words[6]
    assert assignment == ASSIGNMENT
    build_course(tmp_path / folder)
    (tmp_path / roster).write_text(
        "trainee,email,first_name,last_name\n"
        "bitdiddle,ben.bitdiddle@example.nhs.uk,Ben,Bitdiddle\nhacker,alyssa.hacker@example.nhs.uk,Alyssa,Hacker\n",
        encoding="utf-8",
    )
    college = Path(sys.executable).with_name("college")
    done = subprocess.run(
        [str(college), *words[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = load_course(tmp_path / folder).root / "college" / ASSIGNMENT
    moodle = (out / "moodle-grades.csv").read_text(encoding="utf-8")
    assert "ben.bitdiddle@example.nhs.uk" in moodle and "lately" not in moodle  # not in the roster
    assert "lately" in done.stdout and "not in the roster" in done.stdout
    assert (out / "problem1" / "report.html").is_file()
    assert (tmp_path / folder / "feedback" / "hacker" / ASSIGNMENT / "problem2.html").is_file()
