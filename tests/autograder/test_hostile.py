"""Hostile and broken submissions, one trainee each, graded together in one cohort (see ``hostile.py``).

For every case: the cohort completes, the honest trainees' scores are unchanged, the trainee gets a clear status
and reason, and no process is left running.
"""

from __future__ import annotations

import csv
import html

import pytest

from autograder.models import QuestionResult, Status, TraineeResult
from autograder.record import integrity_ok
from tests.autograder.conftest import GradedCohort
from tests.autograder.helpers import GRADER_PROCESSES, HIDDEN_TOKEN, MAX_SCORE, QUESTIONS, processes_matching
from tests.autograder.hostile import CASES, HONEST, MARKER


def result(cohort: GradedCohort, trainee: str) -> TraineeResult:
    return cohort.result.result(trainee)


def question(cohort: GradedCohort, trainee: str, grade_id: str) -> QuestionResult:
    return next(q for q in result(cohort, trainee).questions if q.question == grade_id)


def feedback(cohort: GradedCohort, trainee: str) -> str:
    return (cohort.out / "feedback" / f"{trainee}.html").read_text(encoding="utf-8")


def test_the_cohort_completes_with_one_row_per_trainee_and_question(hostile_cohort: GradedCohort) -> None:
    assert {r.trainee for r in hostile_cohort.result.results} == set(CASES)
    with (hostile_cohort.out / "grades.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(CASES) * len(QUESTIONS)
    assert len({(row["trainee"], row["question"]) for row in rows}) == len(rows)
    assert {row["status"] for row in rows} <= {status.value for status in Status}
    assert all(row["reason"] for row in rows if float(row["score"]) < float(row["max_score"]))


def test_honest_trainees_are_unaffected(hostile_cohort: GradedCohort) -> None:
    for trainee in HONEST:
        graded = result(hostile_cohort, trainee)
        assert (graded.status, graded.score) == (Status.GRADED, MAX_SCORE), graded.reason


def test_no_process_is_left_running(hostile_cohort: GradedCohort) -> None:
    assert processes_matching(MARKER.encode(), *GRADER_PROCESSES) == []


def test_the_gradebook_is_complete_and_sound(hostile_cohort: GradedCohort) -> None:
    from nbgrader.api import Gradebook

    url = hostile_cohort.result.gradebook_url
    assert integrity_ok(url)
    gradebook = Gradebook(url)
    try:
        assert {student.id for student in gradebook.students} == set(CASES)
        assert gradebook.find_submission("admissions-rates", "siân-jones").score == MAX_SCORE
        assert gradebook.find_submission("admissions-rates", "empty-file").score == 0
    finally:
        gradebook.close()


def test_no_feedback_reveals_a_hidden_test_and_every_page_stays_small(hostile_cohort: GradedCohort) -> None:
    for page in (hostile_cohort.out / "feedback").iterdir():
        text = page.read_text(encoding="utf-8")
        assert HIDDEN_TOKEN not in text, page.name
        assert "_right" not in text, page.name  # a line of the hidden test's source
        assert page.stat().st_size < 500_000, page.name


@pytest.mark.parametrize(
    ("trainee", "reason"),
    [
        ("malformed-json", "not valid notebook JSON"),
        ("empty-file", "empty"),
        ("fifty-megabytes", "50.0 MB, over the 20 MB limit"),
        ("not-a-notebook", "answers.docx"),
        ("png-named-ipynb", "not text"),
        ("symlink", "symbolic link"),
    ],
)
def test_unreadable_submissions_are_invalid_with_a_reason(
    hostile_cohort: GradedCohort, trainee: str, reason: str
) -> None:
    graded = result(hostile_cohort, trainee)
    assert graded.status is Status.INVALID_SUBMISSION and graded.score == 0
    assert reason in graded.reason
    assert all(q.status is Status.INVALID_SUBMISSION and reason in q.reason for q in graded.questions)
    assert reason in feedback(hostile_cohort, trainee)


@pytest.mark.parametrize(
    ("trainee", "note"),
    [
        ("nbformat-3", "nbformat 3"),
        ("dots-in-name", "my..answers.ipynb"),
        ("zoë", "übung.ipynb"),
        ("renamed-grade-id", "unknown grade_id 'my_test'"),
        ("reordered", "out of order"),
    ],
)
def test_odd_but_honest_notebooks_get_full_marks_with_a_note(
    hostile_cohort: GradedCohort, trainee: str, note: str
) -> None:
    graded = result(hostile_cohort, trainee)
    assert (graded.status, graded.score) == (Status.GRADED, MAX_SCORE), graded.reason
    assert any(note in text for text in graded.notes), graded.notes
    assert note in html.unescape(feedback(hostile_cohort, trainee))


def test_a_deleted_test_cell_is_run_from_the_tutors_copy(hostile_cohort: GradedCohort) -> None:
    graded = result(hostile_cohort, "deleted-test-cell")
    assert graded.score == MAX_SCORE
    assert (
        "missing from your notebook"
        in question(hostile_cohort, "deleted-test-cell", "test_total_rate").reason
    )


def test_a_deleted_answer_cell_costs_that_question_only(hostile_cohort: GradedCohort) -> None:
    graded = result(hostile_cohort, "deleted-answer-cell")
    assert graded.score == 3
    assert "rate_per_1000" in question(hostile_cohort, "deleted-answer-cell", "test_rate_function").reason
    assert any("'rate_function' is missing" in note for note in graded.notes)


def test_an_edited_test_cell_is_graded_with_the_tutors_tests(hostile_cohort: GradedCohort) -> None:
    edited = question(hostile_cohort, "edited-test", "test_total_rate")
    assert edited.score == 0 and "You changed this test cell" in edited.reason
    assert "hidden check 'the rate per 1,000 is right' failed" in edited.reason
    assert result(hostile_cohort, "edited-test").score == 4
    assert "You changed this test cell" in feedback(hostile_cohort, "edited-test")


@pytest.mark.parametrize(
    ("trainee", "status", "score", "lost_questions", "words"),
    [
        ("os-exit", Status.ERRORED, 1, ("test_rate_function", "test_monthly"), "exited"),
        ("kernel-crash", Status.ERRORED, 3, ("test_monthly",), "SIGSEGV"),
        ("infinite-loop", Status.TIMED_OUT, 0, QUESTIONS, "6-second limit"),
        ("swallows-interrupt", Status.TIMED_OUT, 1, ("test_rate_function", "test_monthly"), "6-second limit"),
    ],
)
def test_a_lost_process_keeps_the_marks_already_earned(
    hostile_cohort: GradedCohort,
    trainee: str,
    status: Status,
    score: float,
    lost_questions: tuple[str, ...],
    words: str,
) -> None:
    graded = result(hostile_cohort, trainee)
    assert (graded.status, graded.score) == (status, score), graded.reason
    for grade_id in lost_questions:
        lost = question(hostile_cohort, trainee, grade_id)
        assert lost.status is status and words in lost.reason and "Not graded" in lost.reason
    for kept in set(QUESTIONS) - set(lost_questions):
        assert question(hostile_cohort, trainee, kept).status is Status.GRADED


def test_a_huge_print_is_capped(hostile_cohort: GradedCohort) -> None:
    graded = result(hostile_cohort, "huge-print")
    assert graded.score == MAX_SCORE
    assert any("more characters" in cell.stdout for cell in graded.cells)
    assert (hostile_cohort.out / "feedback" / "huge-print.html").stat().st_size < 200_000
    assert (hostile_cohort.out / "results" / "huge-print.json").stat().st_size < 200_000


def test_memory_exhaustion_is_a_clear_error(hostile_cohort: GradedCohort) -> None:
    graded = result(hostile_cohort, "memory-hog")
    assert graded.score == 3 and graded.status is Status.GRADED
    assert "MemoryError" in question(hostile_cohort, "memory-hog", "test_monthly").reason


@pytest.mark.parametrize("trainee", ["fork-bomb", "background-process"])
def test_processes_started_by_trainee_code_are_stopped(hostile_cohort: GradedCohort, trainee: str) -> None:
    graded = result(hostile_cohort, trainee)
    assert graded.score == MAX_SCORE
    if trainee == "fork-bomb":
        assert any("stopped early" in note for note in graded.notes)


def test_network_connections_fail(hostile_cohort: GradedCohort) -> None:
    graded = result(hostile_cohort, "network")
    assert graded.score == MAX_SCORE
    assert hostile_cohort.connections == []
    output = "".join(cell.stdout for cell in graded.cells)
    assert "attempts" not in output or "connected" not in output.replace("ConnectionRefusedError", "")


def test_hidden_tests_gradebook_and_other_trainees_files_cannot_be_read(hostile_cohort: GradedCohort) -> None:
    graded = result(hostile_cohort, "reads-secrets")
    output = "".join(cell.stdout for cell in graded.cells)
    assert output.count("NOT READABLE") == 4, output[:3000]
    assert "READ " not in output.replace("NOT READABLE", "") and "FOUND SECRET" not in output
    assert graded.score == MAX_SCORE


def test_answers_that_equal_anything_earn_nothing(hostile_cohort: GradedCohort) -> None:
    graded = result(hostile_cohort, "always-equal")
    assert question(hostile_cohort, "always-equal", "test_total_rate").score == 0
    rate = question(hostile_cohort, "always-equal", "test_rate_function")
    assert rate.score == 0 and "cannot be checked" in rate.reason
    assert graded.score == 2


def test_patching_the_testing_helpers_changes_nothing(hostile_cohort: GradedCohort) -> None:
    patched = question(hostile_cohort, "monkeypatch", "test_monthly")
    assert patched.score == 0 and "DataFrame" in patched.reason
    assert result(hostile_cohort, "monkeypatch").score == 3


def test_warnings_and_stderr_do_not_cost_marks(hostile_cohort: GradedCohort) -> None:
    graded = result(hostile_cohort, "stderr-warning")
    assert (graded.status, graded.score) == (Status.GRADED, MAX_SCORE), graded.reason
