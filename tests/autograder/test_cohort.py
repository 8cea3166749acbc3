"""The whole pipeline on a small cohort: files written, gradebook usable by nbgrader, resuming, competencies."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.cohort import CohortResult, grade_cohort
from autograder.models import Status
from autograder.sandbox.limits import Limits
from tests.autograder.conftest import BACKENDS, new_gradebook_url
from tests.autograder.helpers import (
    DATA_DIR,
    HIDDEN_TOKEN,
    answered,
    exercise,
    expected_rows,
    gradebook_rows,
    released,
    write_submission,
)

LIMITS = Limits(cell_timeout=10, submission_timeout=60, memory_mb=256)
PARTLY = {
    "total_rate": answered()["cells"][3]["source"],
    "rate_function": "def rate_per_1000(events, population):\n    return events / population * 1000",
}


@pytest.fixture(scope="module", params=BACKENDS)
def cohort(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[CohortResult, Path, Path]]:
    """The cohort graded into the default SQLite gradebook, and into a database on the PostgreSQL test server."""
    base = tmp_path_factory.mktemp("cohort")
    url = None if request.param == "sqlite" else new_gradebook_url(request, request.param, base)
    submissions = base / "submitted"
    write_submission(submissions, "alice", answered())
    write_submission(submissions, "blank", released())
    write_submission(submissions, "wrong", answered(dict(exercise().wrong_answers)))
    write_submission(
        submissions, "partly", answered(PARTLY)
    )  # misses the hidden zero-population test: 3 of 5
    out = base / "out"
    yield (
        grade_cohort(
            exercise(), submissions, out=out, data_dir=DATA_DIR, gradebook_url=url, workers=2, limits=LIMITS
        ),
        submissions,
        out,
    )


def test_scores_and_statuses(cohort: tuple[CohortResult, Path, Path]) -> None:
    result, _, _ = cohort
    assert {r.trainee: r.score for r in result.results} == {"alice": 5, "blank": 0, "wrong": 0, "partly": 3}
    assert all(r.status is Status.GRADED for r in result.results)
    assert result.isolation_warning is None and "namespaces" in result.isolation
    partly = result.result("partly")
    rate = next(q for q in partly.questions if q.question == "test_rate_function")
    assert rate.reason == "hidden check 'a population of zero is refused' failed"


def test_grades_csv(cohort: tuple[CohortResult, Path, Path]) -> None:
    _, _, out = cohort
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = "trainee,exercise,question,score,max_score,status,reason,submitted,hours_late,late_penalty"
    assert ",".join(rows[0]) == header
    assert {(row["submitted"], row["hours_late"], row["late_penalty"]) for row in rows} == {("", "", "")}
    assert len(rows) == 12
    blank = [row for row in rows if row["trainee"] == "blank"]
    assert [row["score"] for row in blank] == ["0", "0", "0"]
    assert "NotImplementedError" in blank[0]["reason"]


def test_competencies_follow_the_thresholds(cohort: tuple[CohortResult, Path, Path]) -> None:
    _, _, out = cohort
    document = json.loads((out / "competencies.json").read_text(encoding="utf-8"))
    assert document["exercise"] == "admissions-rates"
    alice = {row["competency"]: row["met"] for row in document["trainees"]["alice"]}
    assert alice == {"rates-and-ratios": True, "python-and-pandas": True}
    partly = {row["competency"]: row["met"] for row in document["trainees"]["partly"]}
    assert partly == {"rates-and-ratios": True, "python-and-pandas": False}  # 3 of 5 = 0.6: just meets 0.6
    with (out / "competencies.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8 and {row["met"] for row in rows} == {"yes", "no"}


def test_feedback_shows_the_notebook_and_hidden_test_names_only(
    cohort: tuple[CohortResult, Path, Path],
) -> None:
    _, _, out = cohort
    page = (out / "feedback" / "partly.html").read_text(encoding="utf-8")
    assert "a population of zero is refused" in page and "failed" in page
    assert HIDDEN_TOKEN not in page and "rate_per_1000(1, 0)" not in page
    assert "def rate_per_1000" in page  # their own code
    assert "<script" not in page


def test_nbgraders_own_tools_read_the_gradebook(
    cohort: tuple[CohortResult, Path, Path], tmp_path: Path
) -> None:
    from nbgrader.api import Gradebook

    result, _, _ = cohort
    gradebook = Gradebook(result.gradebook_url)
    try:
        submission = gradebook.find_submission("admissions-rates", "alice")
        assert submission.score == 5 and submission.max_score == 5
        assert (
            gradebook.find_grade("test_rate_function", "admissions-rates", "admissions-rates", "partly").score
            == 0
        )
        assert not gradebook.find_submission("admissions-rates", "blank").needs_manual_grade
    finally:
        gradebook.close()
    scripts = Path(sys.executable).parent
    completed = subprocess.run(
        [
            str(scripts / "nbgrader"),
            "export",
            f"--CourseDirectory.db_url={result.gradebook_url}",
            f"--CourseDirectory.root={tmp_path}",
            "--to=grades.csv",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    exported = (tmp_path / "grades.csv").read_text(encoding="utf-8")
    assert "alice" in exported and "partly" in exported


def test_a_second_run_keeps_finished_trainees_and_regrades_changed_ones(
    cohort: tuple[CohortResult, Path, Path],
) -> None:
    first, submissions, out = cohort
    url = first.gradebook_url
    again = grade_cohort(
        exercise(), submissions, out=out, data_dir=DATA_DIR, gradebook_url=url, workers=2, limits=LIMITS
    )
    assert sorted(again.resumed) == ["alice", "blank", "partly", "wrong"] and again.graded == ()
    write_submission(submissions, "blank", answered())  # the trainee resubmitted
    changed = grade_cohort(
        exercise(), submissions, out=out, data_dir=DATA_DIR, gradebook_url=url, workers=1, limits=LIMITS
    )
    assert changed.graded == ("blank",) and changed.result("blank").score == 5
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 12
    assert gradebook_rows(url) == expected_rows(4)  # the regraded trainee updated in place


def test_weaker_isolation_says_so_loudly(tmp_path: Path) -> None:
    submissions = tmp_path / "submitted"
    write_submission(submissions, "alice", answered())
    result = grade_cohort(
        exercise(),
        submissions,
        out=tmp_path / "out",
        data_dir=DATA_DIR,
        workers=1,
        limits=LIMITS,
        isolation="none",
    )
    assert result.result("alice").score == 5
    assert result.isolation_warning is not None and "isolation is weaker" in result.isolation_warning
    assert "rlimits only" in result.isolation
