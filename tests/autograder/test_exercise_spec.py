"""The tutor's notebook as the grader reads it: questions, hidden blocks, release versions, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.errors import ExerciseError
from autograder.exercise import (
    CellRole,
    parse_source_notebook,
    release_solution,
    spec_from_exercise,
    split_segments,
    strip_hidden_tests,
)
from autograder.sandbox.limits import Limits
from tests.autograder.helpers import (
    DATA_DIR,
    EXERCISE_DIR,
    HIDDEN_TOKEN,
    NOTEBOOK_NAME,
    exercise,
    source_notebook,
)


def test_fixture_exercise_has_three_questions_worth_five_points() -> None:
    spec = spec_from_exercise(exercise(), DATA_DIR, Limits())
    assert [q.grade_id for q in spec.questions] == ["test_total_rate", "test_rate_function", "test_monthly"]
    assert spec.max_score == 5.0
    assert spec.question("test_total_rate").hidden_names == ("the rate per 1,000 is right",)
    assert [c.role for c in spec.cells if c.grade_id == "setup"] == [CellRole.READONLY]
    assert "import pandas as pd" in spec.tutor_imports
    assert all(HIDDEN_TOKEN not in q.release_source for q in spec.questions)


def test_fingerprint_changes_with_the_limits_and_the_notebook(tmp_path: Path) -> None:
    first = spec_from_exercise(exercise(), DATA_DIR, Limits())
    assert first.fingerprint == spec_from_exercise(exercise(), DATA_DIR, Limits()).fingerprint
    assert first.fingerprint != spec_from_exercise(exercise(), DATA_DIR, Limits(cell_timeout=1)).fingerprint


def test_release_versions_match_nbgraders_defaults() -> None:
    assert release_solution("x = 1\n### BEGIN SOLUTION\nx = 2\n### END SOLUTION") == (
        "x = 1\n# YOUR CODE HERE\nraise NotImplementedError()"
    )
    indented = release_solution("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")
    assert indented == "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    assert strip_hidden_tests("a\n### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\nc") == "a\nc"


def test_segments_split_visible_and_hidden_and_name_the_hidden_ones() -> None:
    source = (
        "assert 1\n### BEGIN HIDDEN TESTS\n# hidden: edge case\nassert 2\n### END HIDDEN TESTS\nassert 3\n"
    )
    segments = split_segments(source, "here")
    assert [(s.hidden, s.name) for s in segments] == [(False, ""), (True, "edge case"), (False, "")]


def test_a_hidden_block_inside_a_function_keeps_the_cell_whole_and_hidden() -> None:
    source = "def check():\n    assert 1\n    ### BEGIN HIDDEN TESTS\n    assert 2\n    ### END HIDDEN TESTS\ncheck()\n"
    segments = split_segments(source, "here")
    assert len(segments) == 1 and segments[0].hidden


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["metadata"]["nbgrader"].pop("points"), "points"),
        (lambda c: c["metadata"]["nbgrader"].pop("grade_id"), "grade_id"),
        (
            lambda c: c.update(source="### BEGIN HIDDEN TESTS\nassert 1\n"),
            "No end hidden tests statement found",
        ),
    ],
)
def test_a_broken_source_notebook_names_the_file_and_the_problem(
    tmp_path: Path, change, message: str
) -> None:
    notebook = source_notebook()
    test_cell = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade"))
    change(test_cell)
    path = tmp_path / NOTEBOOK_NAME
    path.write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(ExerciseError) as raised:
        parse_source_notebook(path)
    assert str(path) in str(raised.value) and message in str(raised.value)


def test_manually_graded_answers_and_tasks_are_kept_for_a_person(tmp_path: Path) -> None:
    notebook = source_notebook()

    def marked(cell_type: str, source: str, **meta: object) -> dict[str, object]:
        nbgrader = {"grade": False, "solution": False, "locked": False, "schema_version": 3, **meta}
        cell: dict[str, object] = {
            "cell_type": cell_type,
            "metadata": {"nbgrader": nbgrader},
            "source": source,
        }
        if cell_type == "code":
            cell.update(outputs=[], execution_count=None)
        return cell

    notebook["cells"] += [
        marked(
            "markdown", "It counts the admissions.", grade=True, solution=True, grade_id="explain", points=2
        ),
        marked(
            "code",
            "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION",
            grade=True,
            solution=True,
            grade_id="written",
            points=1,
        ),
        marked("markdown", "Draw the chart by hand.", task=True, locked=True, grade_id="draw", points=3),
    ]
    path = tmp_path / NOTEBOOK_NAME
    path.write_text(json.dumps(notebook), encoding="utf-8")
    cells, questions, manual = parse_source_notebook(path)
    assert [(m.grade_id, m.points, m.task, m.cell_type) for m in manual] == [
        ("explain", 2.0, False, "markdown"),
        ("written", 1.0, False, "code"),
        ("draw", 3.0, True, "markdown"),
    ]
    assert manual[0].release_source == "YOUR ANSWER HERE"  # nbgrader's ClearSolutions text stub
    assert (
        "raise NotImplementedError()" in manual[1].release_source
        and "return 1" not in manual[1].release_source
    )
    assert manual[2].release_source == "Draw the chart by hand."  # a task is released as written
    assert {c.grade_id: c.role.value for c in cells if c.grade_id in ("explain", "written", "draw")} == {
        "explain": "manual",
        "written": "manual",
        "draw": "task",
    }
    assert all(q.grade_id not in ("explain", "written", "draw") for q in questions)
    notebook["cells"][-1]["metadata"]["nbgrader"].pop("points")
    path.write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(ExerciseError, match="task 'draw' has no valid 'points'"):
        parse_source_notebook(path)


def test_missing_data_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ExerciseError, match=r"admissions\.csv"):
        spec_from_exercise(exercise(), tmp_path, Limits())


def test_unreadable_source_notebook_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ExerciseError, match=r"broken\.ipynb"):
        parse_source_notebook(path)
    assert (EXERCISE_DIR / NOTEBOOK_NAME).is_file()
