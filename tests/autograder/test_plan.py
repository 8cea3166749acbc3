"""Which code runs, in which order: tests always the tutor's, cells in the tutor's order."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from autograder.exercise import spec_from_exercise
from autograder.plan import CodeStep, TestStep, build_plan
from autograder.sandbox.limits import Limits
from autograder.validate import read_notebook
from tests.autograder.helpers import DATA_DIR, HIDDEN_TOKEN, answered, exercise, grade_id, with_extra_cell

SPEC = spec_from_exercise(exercise(), DATA_DIR, Limits())


def plan_for(tmp_path: Path, notebook: dict) -> tuple[list[str], object]:
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    plan = build_plan(SPEC, read_notebook(path, 10**8))
    labels = [
        step.question.grade_id if isinstance(step, TestStep) else step.label
        for step in plan.steps
        if isinstance(step, CodeStep | TestStep)
    ]
    return labels, plan


IN_ORDER = [
    "cell setup",
    "answer total_rate",
    "test_total_rate",
    "answer rate_function",
    "test_rate_function",
    "answer monthly",
    "test_monthly",
]


def test_an_untouched_notebook_runs_in_order_with_hidden_tests_restored(tmp_path: Path) -> None:
    labels, plan = plan_for(tmp_path, answered())
    assert labels == IN_ORDER
    assert plan.notes == ()  # type: ignore[attr-defined]
    test = next(s for s in plan.steps if isinstance(s, TestStep))  # type: ignore[attr-defined]
    assert HIDDEN_TOKEN in test.question.source


def test_reordered_cells_run_in_the_tutors_order(tmp_path: Path) -> None:
    notebook = with_extra_cell(answered(), "print('mine')", after="monthly")
    cells = notebook["cells"]
    moved = next(c for c in cells if grade_id(c) == "monthly")
    cells.remove(moved)
    cells.insert(0, moved)
    labels, plan = plan_for(tmp_path, notebook)
    assert [label for label in labels if not label.startswith("cell ") or label == "cell setup"] == IN_ORDER
    own = next(label for label in labels if label.startswith("cell ") and label != "cell setup")
    assert labels.index(own) < labels.index("test_monthly")  # it stays after the cell it followed
    assert any("out of order" in note for note in plan.notes)  # type: ignore[attr-defined]


def test_deleted_renamed_and_edited_cells(tmp_path: Path) -> None:
    notebook = copy.deepcopy(answered())
    cells = notebook["cells"]
    cells[:] = [c for c in cells if grade_id(c) != "test_total_rate"]
    next(c for c in cells if grade_id(c) == "rate_function")["metadata"]["nbgrader"]["grade_id"] = "renamed"
    next(c for c in cells if grade_id(c) == "test_monthly")["source"] = "assert True"
    labels, plan = plan_for(tmp_path, notebook)
    assert "test_total_rate" in labels and "test_monthly" in labels
    assert any("unknown grade_id 'renamed'" in note for note in plan.notes)  # type: ignore[attr-defined]
    assert any("answer cell 'rate_function' is missing" in note for note in plan.notes)  # type: ignore[attr-defined]
    assert "missing from your notebook" in plan.question_notes["test_total_rate"][0]  # type: ignore[attr-defined]
    assert "You changed this test cell" in plan.question_notes["test_monthly"][0]  # type: ignore[attr-defined]
    renamed = [s for s in plan.steps if isinstance(s, CodeStep) and "rate_per_1000" in s.source]  # type: ignore[attr-defined]
    assert renamed and not renamed[0].tutor


def test_edited_read_only_cell_is_restored(tmp_path: Path) -> None:
    notebook = copy.deepcopy(answered())
    next(c for c in notebook["cells"] if grade_id(c) == "setup")["source"] = "admissions = None"
    _, plan = plan_for(tmp_path, notebook)
    setup = next(s for s in plan.steps if isinstance(s, CodeStep) and s.label == "cell setup")  # type: ignore[attr-defined]
    assert setup.tutor and "read_csv" in setup.source
    assert any("read-only cell 'setup'" in note for note in plan.notes)  # type: ignore[attr-defined]
