"""The later steps on their own, with hand-made inputs: score, competencies, export, feedback, record."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from autograder.competencies import evidence
from autograder.execute import Execution, Loss
from autograder.exercise import spec_from_exercise
from autograder.export import export_all, grades_csv
from autograder.feedback import render_feedback
from autograder.models import (
    CellKind,
    CellRecord,
    HiddenTestResult,
    QuestionResult,
    Status,
    TestVerdict,
    TraineeResult,
)
from autograder.plan import Plan
from autograder.record import GradebookWriter, integrity_ok, with_busy_timeout, with_driver
from autograder.sandbox.launcher import ChildExit
from autograder.sandbox.limits import Limits
from autograder.score import invalid_result, score_questions
from autograder.verdict import TestOutcome
from tests.autograder.helpers import DATA_DIR, HIDDEN_TOKEN, exercise, expected_rows, gradebook_rows

SPEC = spec_from_exercise(exercise(), DATA_DIR, Limits())


def result(trainee: str, scores: tuple[float, float, float], status: Status = Status.GRADED) -> TraineeResult:
    questions = tuple(
        QuestionResult(
            question=q.grade_id, score=score, max_score=q.points, status=status, reason="why, exactly?\n"
        )
        for q, score in zip(SPEC.questions, scores, strict=True)
    )
    return TraineeResult(
        trainee=trainee,
        exercise=SPEC.id,
        status=status,
        reason="",
        score=sum(scores),
        max_score=5.0,
        questions=questions,
    )


def test_scores_keep_earned_marks_when_the_process_is_lost_part_way() -> None:
    execution = Execution(
        cells=(),
        outcomes={"test_total_rate": TestOutcome(True, 1.0)},
        loss=Loss("died", "answer rate_function", "the process ended", ChildExit(None, 11, False, 0)),
        errors_before={},
        seconds_running=0.0,
        seconds_testing=0.0,
    )
    questions = score_questions(SPEC, Plan(steps=()), execution)
    assert [(q.score, q.status) for q in questions] == [
        (1.0, Status.GRADED),
        (0.0, Status.ERRORED),
        (0.0, Status.ERRORED),
    ]
    assert "SIGSEGV" in questions[1].reason


def test_invalid_results_score_zero_everywhere() -> None:
    invalid = invalid_result(SPEC, "x", "the file is empty", "x/admissions-rates/n.ipynb", ())
    assert invalid.status is Status.INVALID_SUBMISSION and invalid.score == 0
    assert all("the file is empty" in q.reason for q in invalid.questions)


def test_competency_thresholds_are_inclusive() -> None:
    rows = evidence(SPEC, [result("a", (1, 2, 0)), result("b", (1, 2, 2)), result("c", (0, 2, 0))])
    met = {(row.trainee, row.competency): row.met for row in rows}
    assert met == {
        ("a", "rates-and-ratios"): True,
        ("a", "python-and-pandas"): False,
        ("b", "rates-and-ratios"): True,
        ("b", "python-and-pandas"): True,
        ("c", "rates-and-ratios"): False,
        ("c", "python-and-pandas"): False,
    }


def test_grades_csv_quotes_awkward_reasons(tmp_path: Path) -> None:
    text = grades_csv([result('siân, "the" trainee', (1, 0, 2))])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["trainee"] == 'siân, "the" trainee' and rows[1]["reason"] == "why, exactly?\n"
    files = export_all(SPEC, [result("a", (1, 2, 2))], tmp_path)
    assert sorted(path.name for path in files.values()) == [
        "competencies.csv",
        "competencies.json",
        "grades.csv",
    ]


def test_feedback_escapes_everything_and_shows_hidden_tests_by_name_only() -> None:
    hostile = "<script>alert(1)</script>"
    question = QuestionResult(
        question="test_total_rate",
        score=0,
        max_score=1,
        status=Status.GRADED,
        reason=f"failed {hostile}",
        hidden=(HiddenTestResult(name="the rate is right", verdict=TestVerdict.FAILED),),
        test_source="assert isinstance(total_rate, float)",
    )
    graded = TraineeResult(
        trainee=hostile,
        exercise=SPEC.id,
        status=Status.GRADED,
        reason="0 of 1",
        score=0,
        max_score=1,
        questions=(question,),
        cells=(
            CellRecord(
                kind=CellKind.MARKDOWN, label="", source=f"# Title\n\n{hostile}\n\n[x](javascript:alert(1))"
            ),
            CellRecord(
                kind=CellKind.TRAINEE, label="cell 1", source=hostile, stdout="y" * 1_000_000, error=hostile
            ),
            CellRecord(
                kind=CellKind.TEST,
                label="test_total_rate",
                source=question.test_source,
                question="test_total_rate",
            ),
        ),
    )
    page = render_feedback(graded, "Admission rates")
    assert "<script" not in page and "javascript:" not in page
    assert "the rate is right" in page and HIDDEN_TOKEN not in page
    assert len(page) < 50_000 and "more characters not shown" in page


@pytest.fixture
def gradebook(gradebook_url: str) -> Iterator[GradebookWriter]:
    """A new gradebook with the exercise in it, once on SQLite and once on the PostgreSQL test server."""
    writer = GradebookWriter(gradebook_url)
    writer.ensure_exercise(SPEC)
    yield writer
    writer.close()


def test_recording_twice_updates_in_place_and_keeps_manual_scores(gradebook: GradebookWriter) -> None:
    from nbgrader.api import Gradebook

    gradebook.record(result("alice", (1, 2, 0)))
    with Gradebook(gradebook.url) as nb:
        grade = nb.find_grade("test_monthly", "admissions-rates", "admissions-rates", "alice")
        grade.manual_score = 1.5
        nb.db.commit()
    gradebook.record(result("alice", (1, 2, 2)))
    gradebook.record(result("bob", (0, 0, 0), Status.TIMED_OUT))
    gradebook.close()
    with Gradebook(gradebook.url) as nb:
        alice = nb.find_grade("test_monthly", "admissions-rates", "admissions-rates", "alice")
        assert (alice.auto_score, alice.manual_score, alice.score, alice.needs_manual_grade) == (
            2.0,
            1.5,
            1.5,
            True,
        )
        assert len(nb.assignment_submissions("admissions-rates")) == 2
        bob = nb.find_grade("test_total_rate", "admissions-rates", "admissions-rates", "bob")
        assert bob.needs_manual_grade  # not graded automatically: a person should look
    assert integrity_ok(gradebook.url)


def test_a_trainee_is_recorded_whole_or_not_at_all(
    gradebook: GradebookWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction per trainee: a failure before the commit leaves none of that trainee's rows behind."""
    from nbgrader.api import Gradebook

    gradebook.record(result("alice", (1, 2, 2)))
    session = gradebook.db

    def fail() -> None:
        session.flush()  # the rows have reached the database, uncommitted
        raise RuntimeError("the grader stopped here")

    monkeypatch.setattr(session, "commit", fail)
    with pytest.raises(RuntimeError):
        gradebook.record(result("bob", (1, 1, 1)))
    with Gradebook(gradebook.url) as nb:  # another connection, as nbgrader's tools would open
        assert [s.student.id for s in nb.assignment_submissions("admissions-rates")] == ["alice"]
    monkeypatch.undo()
    session.rollback()
    assert gradebook_rows(gradebook.url) == expected_rows(1)
    gradebook.record(result("bob", (1, 1, 1)))
    assert gradebook_rows(gradebook.url) == expected_rows(2)


def test_several_graders_create_the_schema_at_once(gradebook_url: str) -> None:
    """Four graders open one empty gradebook at the same moment and each records a trainee."""
    from nbgrader.api import Gradebook

    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def grader(number: int) -> None:
        try:
            start.wait()
            writer = GradebookWriter(gradebook_url)
            try:
                writer.ensure_exercise(SPEC)
                writer.record(result(f"trainee-{number}", (1, 0, 2)))
            finally:
                writer.close()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=grader, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with Gradebook(gradebook_url) as nb:
        assert sorted(s.student.id for s in nb.assignment_submissions("admissions-rates")) == [
            f"trainee-{n}" for n in range(4)
        ]
        assert {s.score for s in nb.assignment_submissions("admissions-rates")} == {3.0}
        assert nb.db.execute(text("SELECT COUNT(*) FROM alembic_version")).scalar_one() == 1
    assert gradebook_rows(gradebook_url) == expected_rows(4)


def test_sqlite_urls_get_a_busy_timeout() -> None:
    assert with_busy_timeout("sqlite:////tmp/g.db") == "sqlite:////tmp/g.db?timeout=60"
    assert with_busy_timeout("sqlite:////tmp/g.db?timeout=5") == "sqlite:////tmp/g.db?timeout=5"
    assert with_busy_timeout("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"


def test_a_plain_postgresql_url_uses_the_installed_driver() -> None:
    """The scale extra installs psycopg (version 3); SQLAlchemy's plain ``postgresql://`` means psycopg2."""
    import importlib.util

    expected = "postgresql+psycopg" if importlib.util.find_spec("psycopg2") is None else "postgresql"
    assert with_driver("postgresql://u@h/db") == f"{expected}://u@h/db"
    assert with_driver("sqlite:////tmp/g.db") == "sqlite:////tmp/g.db"


def test_a_bad_gradebook_url_is_named(tmp_path: Path) -> None:
    from autograder.errors import GradingError

    with pytest.raises(GradingError, match="nosuchdriver"):
        GradebookWriter("nosuchdriver://x/y")
