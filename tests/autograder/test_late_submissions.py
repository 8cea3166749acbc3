"""``college grade EXERCISE SUBMISSIONS/ --due ...``: nbgrader's ``timestamp.txt`` against a due date, with
nbgrader's late-penalty methods, in the gradebook and in every output (without ``--course``)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.autograder.helpers import answered, write_submission
from tests.autograder.test_resume import grade_command, rows

STAMPS = {"amir": "2026-12-01 09:00:00.000000 UTC", "bea": "2026-12-02 19:00:00.000000 UTC"}


def _cohort(root: Path) -> Path:
    for trainee in ("amir", "bea", "cat"):  # cat's submission has no timestamp.txt
        path = write_submission(root, trainee, answered())
        if trainee in STAMPS:
            (path.parent / "timestamp.txt").write_text(STAMPS[trainee], encoding="utf-8")
    return root


def _late_columns(out: Path) -> dict[str, tuple[str, str, str]]:
    return {row["trainee"]: (row["submitted"], row["hours_late"], row["late_penalty"]) for row in rows(out)}


@pytest.mark.slow
def test_due_date_marks_late_submissions_with_nbgraders_penalty(tmp_path: Path) -> None:
    from nbgrader.api import Gradebook

    submissions, out = _cohort(tmp_path / "submitted"), tmp_path / "out"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        grade_command(submissions, out, "--due", "2026-12-01T17:00", "--late-penalty", "zero"),
        capture_output=True,
        text=True,
        timeout=300,
        env={**env, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert _late_columns(out) == {
        "amir": ("2026-12-01T09:00:00", "0.00", "0"),
        "bea": ("2026-12-02T19:00:00", "26.00", "5"),  # "zero": the penalty is the whole score
        "cat": ("", "", ""),
    }
    assert "26.0 hours late" in done.stdout
    page = (out / "feedback" / "bea.html").read_text(encoding="utf-8")
    assert "26.0 hours late (submitted 2026-12-02 19:00:00 UTC)" in page and "late penalty: 5 points" in page
    assert "hours late" not in (out / "feedback" / "amir.html").read_text(encoding="utf-8")
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Late submissions" in report and "26.0 hours late" in report
    with open(out / "moodle-grades.csv", encoding="utf-8", newline="") as handle:
        moodle = {row["Username"]: row for row in csv.DictReader(handle)}
    assert [moodle[t][list(moodle[t])[-1]] for t in ("amir", "bea", "cat")] == ["5", "0", "5"]
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:  # as nbgrader's autograde leaves it
        bea = gradebook.find_submission("admissions-rates", "bea")
        assert (bea.total_seconds_late, bea.late_submission_penalty, bea.score) == (93600, 5.0, 5.0)
        assert gradebook.find_submission("admissions-rates", "amir").total_seconds_late == 0
    export = subprocess.run(
        [str(Path(sys.executable).with_name("nbgrader")), "export", f"--db=sqlite:///{out / 'gradebook.db'}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert export.returncode == 0, export.stderr
    with open(tmp_path / "grades.csv", encoding="utf-8", newline="") as handle:
        exported = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert exported["bea"]["late_submission_penalty"] == "5.0" and exported["bea"]["score"] == "0.0"

    # graded again without a due date: nobody is late
    again = subprocess.run(
        grade_command(submissions, out), capture_output=True, text=True, timeout=300, env=env
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert set(_late_columns(out).values()) == {("", "", "")}
    assert "hours late" not in (out / "feedback" / "bea.html").read_text(encoding="utf-8")

    wrong = subprocess.run(
        grade_command(submissions, out, "--due", "soon"), capture_output=True, text=True, timeout=300, env=env
    )
    assert wrong.returncode == 1 and "--due" in wrong.stderr
