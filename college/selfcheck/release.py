"""What a release adds to the trainee's copy for the self-check: a set-up cell, a ``check(...)`` line after each
question, and ``self-check.json``.

Everything here starts from the *released* notebook (nbgrader's student version, hidden tests already removed),
so no hidden test can reach the trainee this way; from the tutor's source it takes only the number of hidden
blocks per test cell.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from college.selfcheck.questions import (
    SELF_CHECK_FILE,
    Exercise,
    cell_source,
    nbgrader_metadata,
    questions_from_cells,
    visible_part,
)

SETUP_SOURCE = f"""# Run this cell first: it sets up check("...") and hint("...") for each question.
# It needs the college's package: pip install nhs-open-college
from college.selfcheck import load

check, hint = load("{SELF_CHECK_FILE}")"""


def hidden_counts(source_notebook: Mapping[str, Any]) -> dict[str, int]:
    """Test cell grade_id to the number of hidden blocks in the tutor's source (a count, nothing more)."""
    counts: dict[str, int] = {}
    for cell in source_notebook.get("cells", []):
        meta = nbgrader_metadata(cell)
        if meta.get("grade") and isinstance(meta.get("grade_id"), str):
            counts[meta["grade_id"]] = visible_part(cell_source(cell))[1]
    return counts


def _cell(source: str, role: str) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"college": {"self_check": role}, "tags": ["self-check"]},
        "outputs": [],
        "source": source,
    }


def self_check_exercise(
    title: str,
    released: Mapping[str, Any],
    source_notebook: Mapping[str, Any],
    hints: Mapping[str, Sequence[str]],
) -> Exercise:
    """The content of ``self-check.json``: visible tests from the released copy, hints, hidden counts."""
    cells = [cell for cell in released.get("cells", []) if isinstance(cell, dict)]
    return Exercise(title, questions_from_cells(cells, dict(hints), hidden_counts(source_notebook)))


def with_self_check(released: Mapping[str, Any], exercise: Exercise) -> dict[str, Any]:
    """The released notebook with the set-up cell before its first code cell and a ``check`` after each question."""
    notebook = copy.deepcopy(dict(released))
    last_test = {question.tests[-1].grade_id: question for question in exercise.questions}
    cells: list[dict[str, Any]] = []
    set_up = False
    for cell in notebook.get("cells", []):
        if not set_up and cell.get("cell_type") == "code":
            cells.append(_cell(SETUP_SOURCE, "setup"))
            set_up = True
        cells.append(cell)
        question = last_test.get(nbgrader_metadata(cell).get("grade_id", ""))
        if question is not None:
            cells.append(_cell(f'check("{short_key(exercise, question.id)}")', "check"))
    notebook["cells"] = cells
    return notebook


def short_key(exercise: Exercise, question_id: str) -> str:
    """``q2`` for ``q2-median`` when no other question shares that prefix; the full id otherwise."""
    prefix = question_id.split("-", 1)[0]
    if prefix != question_id and len(exercise.find(prefix)) == 1:
        return prefix
    return question_id
