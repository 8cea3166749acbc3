"""Every exercise tests itself (the learntools habit), with no test code of its own:

- the tutor's solution notebook scores full marks;
- the released (student) notebook, unanswered, scores zero on every autograded question;
- the notebook with each solution cell replaced by its ``wrong_answers`` code scores below full marks.

The release is made by nbgrader's own ``generate_assignment``; grading is ``college grade``'s library call, with
every safety property on. Needs the shared synthetic data in ``data/`` (``make data``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.cohort import CohortResult, grade_cohort
from autograder.models import Status
from autograder.release import release_notebook
from autograder.sandbox.limits import Limits
from college.curriculum import Exercise, load_exercise

REPO = Path(__file__).resolve().parents[2]
EXERCISES = sorted(path.parent.name for path in (REPO / "exercises").glob("*/exercise.yml"))
DATA = REPO / "data"


def _wrong(exercise: Exercise) -> dict[str, Any]:
    notebook: dict[str, Any] = json.loads(Path(exercise.notebook).read_text(encoding="utf-8"))
    notebook = copy.deepcopy(notebook)
    for cell in notebook["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in exercise.wrong_answers:
            cell["source"] = exercise.wrong_answers[grade_id]
    return notebook


@pytest.fixture(scope="module", params=EXERCISES)
def graded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Exercise, CohortResult]]:
    exercise = load_exercise(REPO / "exercises" / request.param)
    missing = [name for name in exercise.data if not (DATA / name).is_file()]
    if missing:
        pytest.skip(f"data/{missing[0]} is missing: run `make data` first")
    base = tmp_path_factory.mktemp(exercise.id)
    notebooks = {
        "solution": json.loads(Path(exercise.notebook).read_text(encoding="utf-8")),
        "release": release_notebook(exercise.id, Path(exercise.notebook)),
        "wrong": _wrong(exercise),
    }
    for trainee, notebook in notebooks.items():
        folder = base / "submitted" / trainee / exercise.id
        folder.mkdir(parents=True)
        (folder / Path(exercise.notebook).name).write_text(json.dumps(notebook), encoding="utf-8")
    result = grade_cohort(
        exercise,
        base / "submitted",
        out=base / "out",
        data_dir=DATA,
        workers=1,
        limits=Limits(cell_timeout=60, submission_timeout=300),
    )
    yield exercise, result


def test_the_solution_scores_full_marks(graded: tuple[Exercise, CohortResult]) -> None:
    _, result = graded
    solution = result.result("solution")
    failing = {q.question: q.reason for q in solution.questions if q.score < q.max_score}
    assert solution.status is Status.GRADED and not failing, failing


def test_the_unanswered_release_scores_zero_on_every_question(graded: tuple[Exercise, CohortResult]) -> None:
    _, result = graded
    release = result.result("release")
    earning = {q.question: q.score for q in release.questions if q.score > 0}
    assert not earning, f"questions that give marks for no answer: {earning}"


def test_the_wrong_answers_score_below_full_marks(graded: tuple[Exercise, CohortResult]) -> None:
    exercise, result = graded
    assert exercise.wrong_answers, (
        f"exercises/{exercise.id}/exercise.yml has no wrong_answers to test against"
    )
    unknown = set(exercise.wrong_answers) - {
        cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        for cell in json.loads(Path(exercise.notebook).read_text(encoding="utf-8"))["cells"]
    }
    assert not unknown, f"wrong_answers names cells that do not exist: {sorted(unknown)}"
    wrong = result.result("wrong")
    assert wrong.score < wrong.max_score, "the wrong answers earn full marks: the tests do not catch them"
