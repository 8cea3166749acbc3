"""Questions are named as the trainee reads them, from the heading above each one, in the feedback page and the
cohort report (the grade_id stays the key in grades.csv and the gradebook)."""

from __future__ import annotations

from pathlib import Path

from autograder.cohort import grade_cohort
from autograder.exercise import ExerciseSpec
from autograder.report import question_rows
from autograder.sandbox.limits import Limits
from tests.autograder.helpers import DATA_DIR, answered, exercise, fixture_spec, released, write_submission

LIMITS = Limits(cell_timeout=10, submission_timeout=60, memory_mb=256)
TITLES = ["1. The rate over the whole period", "2. A function", "3. Monthly rates"]


def test_feedback_and_the_report_name_questions_by_their_headings(tmp_path: Path) -> None:
    write_submission(tmp_path / "submitted", "ada", answered())
    write_submission(tmp_path / "submitted", "blank", released())
    cohort = grade_cohort(
        exercise(), tmp_path / "submitted", out=tmp_path / "out", data_dir=DATA_DIR, limits=LIMITS
    )
    ada = cohort.result("ada")
    assert [q.title for q in ada.questions] == TITLES
    assert [q.name for q in ada.questions] == TITLES
    feedback = (tmp_path / "out" / "feedback" / "blank.html").read_text(encoding="utf-8")
    assert all(f"<td>{title}</td>" in feedback for title in TITLES), feedback[:3000]
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert all(title in report for title in TITLES)
    rows = question_rows(cohort.results)
    assert [row.name for row in rows] == TITLES
    assert [row.label for row in rows] == ["1. The rate over the wh…", "2. A function", "3. Monthly rates"]


def test_titles_come_from_the_heading_above_and_survive_the_trip_to_a_worker() -> None:
    spec = fixture_spec(LIMITS)
    assert [q.title for q in spec.questions] == TITLES
    assert ExerciseSpec.from_json(spec.to_json()) == spec
