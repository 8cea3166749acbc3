"""``--trainee``: regrade one trainee without touching the others."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from tests.autograder.helpers import answered, released, write_submission
from tests.autograder.test_resume import grade_command


def _scores(out: Path) -> dict[str, float]:
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        totals: dict[str, float] = {}
        for row in csv.DictReader(handle):
            totals[row["trainee"]] = totals.get(row["trainee"], 0.0) + float(row["score"])
        return totals


def _graded_once(tmp_path: Path) -> tuple[Path, Path]:
    """amir's answers and bea's blank, graded: the starting point of each regrade."""
    submissions, out = tmp_path / "submitted", tmp_path / "out"
    write_submission(submissions, "amir", answered())
    write_submission(submissions, "bea", released())
    first = subprocess.run(grade_command(submissions, out), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    assert _scores(out) == {"amir": 5.0, "bea": 0.0}
    return submissions, out


@pytest.mark.slow
def test_trainee_regrades_that_trainee_only(tmp_path: Path) -> None:
    submissions, out = _graded_once(tmp_path)
    kept = (out / "results" / "amir.json").stat().st_mtime_ns
    write_submission(submissions, "bea", answered())  # bea resubmits; so does amir, with a blank
    write_submission(submissions, "amir", released())
    again = subprocess.run(
        grade_command(submissions, out, "--trainee", "bea"), capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert _scores(out) == {"amir": 5.0, "bea": 5.0}  # amir's earlier result is kept as it was
    assert (out / "results" / "amir.json").stat().st_mtime_ns == kept
    unknown = subprocess.run(
        grade_command(submissions, out, "--trainee", "nobody"), capture_output=True, text=True, timeout=300
    )
    assert unknown.returncode == 1 and "no submission from nobody" in unknown.stderr


def _by_question(out: Path) -> dict[tuple[str, str], str]:
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        return {(row["trainee"], row["question"]): row["score"] for row in csv.DictReader(handle)}


def _gradebook(out: Path) -> dict[tuple[str, str], float | None]:
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:
        for submission in gradebook.find_assignment("admissions-rates").submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    found[(submission.student_id, grade.cell.name)] = grade.auto_score
    return found


@pytest.mark.slow
def test_question_regrades_that_question_only(tmp_path: Path) -> None:
    submissions, out = _graded_once(tmp_path)
    write_submission(submissions, "amir", released())  # both resubmit: amir a blank, bea the answers
    write_submission(submissions, "bea", answered())
    again = subprocess.run(
        grade_command(submissions, out, "--question", "test_total_rate"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    scores = _by_question(out)
    assert scores[("amir", "test_total_rate")] == "0" and scores[("bea", "test_total_rate")] == "1"
    assert scores[("amir", "test_monthly")] == "2" and scores[("bea", "test_monthly")] == "0"  # kept
    assert _scores(out) == {"amir": 4.0, "bea": 1.0}
    gradebook = _gradebook(out)
    assert gradebook[("amir", "test_total_rate")] == 0.0 and gradebook[("amir", "test_rate_function")] == 2.0
    assert gradebook[("bea", "test_total_rate")] == 1.0 and gradebook[("bea", "test_monthly")] == 0.0
    assert "4 of 5" in (out / "feedback" / "amir.html").read_text(encoding="utf-8")
    kept = (out / "results" / "amir.json").stat().st_mtime_ns
    only_bea = subprocess.run(
        grade_command(submissions, out, "--question", "test_monthly", "--trainee", "bea"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert only_bea.returncode == 0, only_bea.stdout + only_bea.stderr
    assert _scores(out) == {"amir": 4.0, "bea": 3.0}
    assert _gradebook(out)[("bea", "test_monthly")] == 2.0
    assert (out / "results" / "amir.json").stat().st_mtime_ns == kept
    unknown = subprocess.run(
        grade_command(submissions, out, "--question", "nope"), capture_output=True, text=True, timeout=300
    )
    assert (
        unknown.returncode == 1 and "no question nope" in unknown.stderr and "test_monthly" in unknown.stderr
    )
