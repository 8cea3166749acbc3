"""``--question``: regrade some questions and keep every other question's recorded result as it was.

The whole notebook runs again (a test reads what the cells before it made), then only the chosen questions'
results are taken from the new run: the rest, the gradebook rows included, stay as recorded. The feedback page
shows the notebook as it ran this time, with the merged scores.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from autograder.errors import GradingError
from autograder.exercise import ExerciseSpec
from autograder.models import TraineeResult
from autograder.score import overall_status, summary_reason


def question_ids(spec: ExerciseSpec) -> tuple[str, ...]:
    """Every question of the notebook a tutor can name: autograded tests and cells marked by hand."""
    return tuple(q.grade_id for q in spec.questions) + tuple(m.grade_id for m in spec.manual)


def check_questions(specs: Sequence[ExerciseSpec], questions: Collection[str], where: str) -> None:
    """Stop, naming the known ids, if any of ``questions`` is in none of the notebooks."""
    known = {grade_id for spec in specs for grade_id in question_ids(spec)}
    unknown = sorted(set(questions) - known)
    if unknown:
        raise GradingError(
            where,
            f"no question {', '.join(unknown)} (--question takes a test cell's grade_id: "
            f"{', '.join(sorted(known))})",
        )


def merge_questions(
    stored: TraineeResult | None, fresh: TraineeResult, questions: Collection[str]
) -> TraineeResult:
    """``fresh``'s results for ``questions``, ``stored``'s for every other question (``fresh`` whole when nothing
    was stored, or the stored result is of another shape)."""
    if stored is None or [q.question for q in stored.questions] != [q.question for q in fresh.questions]:
        return fresh
    chosen = {q.question: q for q in fresh.questions if q.question in questions}
    merged = tuple(chosen.get(q.question, q) for q in stored.questions)
    return fresh.model_copy(
        update={
            "questions": merged,
            "score": sum(q.score for q in merged),
            "status": overall_status(merged),
            "reason": summary_reason(merged, ()),
        }
    )
