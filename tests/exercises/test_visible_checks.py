"""The visible checks tell right from the usual wrong, where the trainee runs them (``check("q2")``).

For every exercise: the tutor's solution passes every question's visible checks, and each entry of
``wrong_answers`` (a plausible mistake: a mean for a median, ``<`` for ``<=``...) fails at least one visible
check of its own question, with every other answer right. Run by the self-check itself
(:func:`college.selfcheck.whole.check_whole_notebook`) on the notebook as a trainee would have it. Needs the
shared synthetic data in ``data/`` (``make data``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from college.curriculum import load_exercise
from college.selfcheck.whole import NotebookReport, check_whole_notebook

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
EXERCISES = sorted(path.parent.name for path in (REPO / "exercises").glob("*/exercise.yml"))
WRONG = [
    (exercise_id, grade_id)
    for exercise_id in EXERCISES
    for grade_id in load_exercise(REPO / "exercises" / exercise_id).wrong_answers
]
def _solution(source: str) -> str:
    return "".join(
        line for line in source.splitlines(keepends=True) if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line
    )


def _notebook(exercise_id: str, wrong: str | None = None) -> dict[str, Any]:
    exercise = load_exercise(REPO / "exercises" / exercise_id)
    notebook: dict[str, Any] = json.loads(Path(exercise.notebook).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = exercise.wrong_answers[grade_id] if grade_id == wrong else _solution(source)
    return notebook


def _check(tmp_path: Path, exercise_id: str, wrong: str | None = None) -> NotebookReport:
    exercise = load_exercise(REPO / "exercises" / exercise_id)
    missing = [name for name in exercise.data if not (DATA / name).is_file()]
    if missing:
        pytest.skip(f"data/{missing[0]} is missing: run `make data` first")
    (tmp_path / "data").symlink_to(DATA, target_is_directory=True)
    path = tmp_path / f"{exercise_id}.ipynb"
    path.write_text(json.dumps(_notebook(exercise_id, wrong)), encoding="utf-8")
    return check_whole_notebook(path, timeout=300)


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_solution_passes_every_visible_check(tmp_path: Path, exercise_id: str) -> None:
    report = _check(tmp_path, exercise_id)
    failing = {r.question.id: [c.message for c in r.failed_checks] or r.problem for r in report.questions if not r.passed}
    assert not failing and not report.cell_errors, (failing, report.cell_errors)


@pytest.mark.parametrize(
    ("exercise_id", "grade_id"), WRONG, ids=[f"{e}:{g}" for e, g in WRONG]
)
def test_each_wrong_answer_fails_a_visible_check_of_its_question(
    tmp_path: Path, exercise_id: str, grade_id: str
) -> None:
    report = _check(tmp_path, exercise_id, grade_id)
    (question,) = [r for r in report.questions if r.question.id == grade_id]
    assert not question.passed, (
        f"exercises/{exercise_id}: the wrong answer for '{grade_id}' passes every visible check of "
        f"{question.question.title!r}; add a visible check that catches it"
    )


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_hints_name_questions_of_the_notebook(exercise_id: str) -> None:
    from college.selfcheck.questions import exercise_from_notebook

    exercise = load_exercise(REPO / "exercises" / exercise_id)
    notebook = json.loads(Path(exercise.notebook).read_text(encoding="utf-8"))
    questions = {question.id for question in exercise_from_notebook(notebook).questions}
    unknown = set(exercise.hints) - questions
    assert not unknown, f"exercises/{exercise_id}/exercise.yml: hints for no question: {sorted(unknown)}"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_question_has_hints(exercise_id: str) -> None:
    from college.selfcheck.questions import exercise_from_notebook

    exercise = load_exercise(REPO / "exercises" / exercise_id)
    notebook = json.loads(Path(exercise.notebook).read_text(encoding="utf-8"))
    questions = {question.id for question in exercise_from_notebook(notebook).questions}
    missing = questions - set(exercise.hints)
    assert not missing, f"exercises/{exercise_id}/exercise.yml: no hints for {sorted(missing)}"
    assert all(1 <= len(hints) <= 3 for hints in exercise.hints.values()), "Give each question 1 to 3 hints"
