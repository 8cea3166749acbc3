"""Step 4, score: turn the verdicts into each question's score, status and reason, and the trainee's total."""

from __future__ import annotations

from autograder.execute import Execution, describe_loss
from autograder.exercise import ExerciseSpec, ManualItem
from autograder.models import QuestionResult, Status, TraineeResult
from autograder.plan import Plan


def _join(*parts: str) -> str:
    """Sentences joined into one reason, each ending with a full stop (or its own punctuation)."""
    kept = [part.strip() for part in parts if part and part.strip()]
    if len(kept) < 2:
        return kept[0] if kept else ""
    return " ".join(part if part[-1] in ".!?)" else f"{part}." for part in kept)


def score_questions(spec: ExerciseSpec, plan: Plan, execution: Execution) -> tuple[QuestionResult, ...]:
    results: list[QuestionResult] = []
    for question in spec.questions:
        notes = plan.question_notes.get(question.grade_id, ())
        outcome = execution.outcomes.get(question.grade_id)
        common = {
            "question": question.grade_id,
            "max_score": question.points,
            "test_source": question.release_source,
            "notes": notes,
            "title": question.title,
        }
        if outcome is not None and outcome.lost is None:
            if outcome.passed:
                reason = (
                    ""
                    if outcome.score >= question.points
                    else f"partial credit: {outcome.score:g} of {question.points:g}"
                )
            else:
                earlier = execution.errors_before.get(question.grade_id, ())
                hint = f"(Earlier, your code raised {'; '.join(earlier[-3:])}.)" if earlier else ""
                unavailable = (
                    f"(Not checkable: {'; '.join(outcome.unavailable)}.)" if outcome.unavailable else ""
                )
                reason = _join(outcome.message, unavailable, hint)
            results.append(
                QuestionResult(
                    score=outcome.score,
                    status=Status.GRADED,
                    reason=_join(reason, *notes),
                    visible_message=outcome.message if not outcome.passed else "",
                    visible_output=outcome.output,
                    hidden=outcome.hidden,
                    **common,  # type: ignore[arg-type]
                )
            )
            continue
        loss = execution.loss
        status = Status.TIMED_OUT if loss is not None and loss.kind == "timeout" else Status.ERRORED
        reason = describe_loss(loss) if loss is not None else "the test did not run"
        reason = f"Not graded: {reason}."
        results.append(QuestionResult(score=0.0, status=status, reason=_join(reason, *notes), **common))  # type: ignore[arg-type]
    return in_notebook_order(spec, [*results, *manual_results(spec, plan.unchanged)])


def in_notebook_order(spec: ExerciseSpec, results: list[QuestionResult]) -> tuple[QuestionResult, ...]:
    """Autograded and manually graded questions in the order of the tutor's notebook."""
    order = {cell.grade_id: cell.index for cell in spec.cells if cell.grade_id is not None}
    return tuple(sorted(results, key=lambda q: order.get(q.question, len(order))))


NEEDS_MANUAL = "Needs manual grading: a tutor marks this"
LEFT_AS_RELEASED = "No answer (the cell was left as released), so 0 points, as nbgrader scores it"


def manual_result(item: ManualItem, unchanged: bool) -> QuestionResult:
    """A cell a person marks, as nbgrader's autograde leaves it: no score and flagged, except an answer left
    exactly as released, which scores 0 with nothing to mark."""
    left = unchanged and not item.task
    return QuestionResult(
        question=item.grade_id,
        score=0.0,
        max_score=item.points,
        status=Status.GRADED if left else Status.NEEDS_MANUAL_GRADING,
        reason=f"{LEFT_AS_RELEASED}." if left else f"{NEEDS_MANUAL} {'task' if item.task else 'answer'}.",
        title=item.title,
    )


def manual_results(spec: ExerciseSpec, unchanged: dict[str, bool]) -> list[QuestionResult]:
    return [manual_result(item, unchanged.get(item.grade_id, False)) for item in spec.manual]


def overall_status(questions: tuple[QuestionResult, ...]) -> Status:
    statuses = {question.status for question in questions}
    for status in (Status.INVALID_SUBMISSION, Status.TIMED_OUT, Status.ERRORED):
        if status in statuses:
            return status
    return Status.GRADED


def summary_reason(questions: tuple[QuestionResult, ...], notes: tuple[str, ...]) -> str:
    score = sum(question.score for question in questions)
    total = sum(question.max_score for question in questions)
    lost = next((q.reason for q in questions if q.status in (Status.TIMED_OUT, Status.ERRORED)), "")
    pending = sum(q.max_score for q in questions if q.needs_manual)
    manual = f"{pending:g} points need manual grading." if pending else ""
    return _join(f"{score:g} of {total:g} points.", manual, lost, *notes)


def _zero(
    grade_id: str, points: float, title: str, status: Status, reason: str, test_source: str = ""
) -> QuestionResult:
    return QuestionResult(
        question=grade_id,
        score=0.0,
        max_score=points,
        status=status,
        reason=reason,
        test_source=test_source,
        title=title,
    )


def zero_result(
    spec: ExerciseSpec,
    trainee: str,
    status: Status,
    reason: str,
    relative: str,
    notes: tuple[str, ...] = (),
) -> TraineeResult:
    """A result in which every question scores zero with the same status and reason: for a submission that
    could not be read, or one the grader itself could not finish."""
    automatic = tuple(
        _zero(question.grade_id, question.points, question.title, status, reason, question.release_source)
        for question in spec.questions
    )
    if status is not Status.INVALID_SUBMISSION:  # the grader could not finish: people still mark theirs
        manual = manual_results(spec, {})
    else:
        manual = [_zero(m.grade_id, m.points, m.title, status, reason) for m in spec.manual]
    questions = in_notebook_order(spec, [*automatic, *manual])
    return TraineeResult(
        trainee=trainee,
        exercise=spec.id,
        status=status,
        reason=reason,
        score=0.0,
        max_score=spec.max_score,
        questions=questions,
        notes=notes,
        submission_file=relative,
        exercise_fingerprint=spec.fingerprint,
    )


def invalid_result(
    spec: ExerciseSpec, trainee: str, reason: str, relative: str, notes: tuple[str, ...]
) -> TraineeResult:
    """The result for a submission that could not be read: every question scores zero, with the reason."""
    return zero_result(
        spec, trainee, Status.INVALID_SUBMISSION, f"Invalid submission: {reason}.", relative, notes
    )
