"""``college exercise check NOTEBOOK``: run the whole notebook from the terminal, then its visible checks.

The notebook runs in a fresh Python process (this module run with ``-P -m``: a ``college.py`` in the trainee's
folder cannot stand in for this package) started in the notebook's folder, so its ``data/...`` paths resolve as
in Jupyter; the process is an ordinary subprocess (no fork, no sockets), as
portable as Python. Its cells run in order in one IPython shell; each test cell's visible checks run at its
turn, against the variables as they are then. The report comes back as JSON in a file, and nothing else is
written.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from college.selfcheck.questions import (
    SELF_CHECK_FILE,
    Exercise,
    Question,
    cell_source,
    exercise_from_notebook,
    is_self_check_cell,
    merge_self_check,
    nbgrader_metadata,
    read_self_check,
)
from college.selfcheck.runner import CheckOutcome, QuestionReport, missing_package, run_test


class NotebookError(Exception):
    """The notebook cannot be read or run; the message names the file."""


@dataclass(frozen=True)
class NotebookReport:
    notebook: Path
    questions: tuple[QuestionReport, ...]
    cell_errors: tuple[str, ...]
    stopped: str
    causes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Failing question id to plain-words notes: an earlier answer it uses does not pass yet either."""

    @property
    def all_passed(self) -> bool:
        return bool(self.questions) and all(report.passed for report in self.questions)


def load_exercise(path: Path) -> tuple[dict[str, Any], Exercise]:
    """The notebook, and its questions (with hints and hidden counts from ``self-check.json`` beside it)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotebookError(f"{path}: cannot read the notebook ({error})") from None
    if not isinstance(notebook, dict):
        raise NotebookError(f"{path}: not a Jupyter notebook")
    try:
        found = exercise_from_notebook(notebook, path.stem)
    except ValueError as error:
        raise NotebookError(f"{path}: {error}") from None
    beside = path.parent / SELF_CHECK_FILE
    released = None
    if beside.is_file():
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            released = read_self_check(beside)
    exercise = merge_self_check(found, released)
    if not exercise.questions:
        raise NotebookError(f"{path}: the notebook has no checked questions (nbgrader test cells)")
    return notebook, exercise


def _names(source: str) -> tuple[set[str], set[str]]:
    """Names a cell assigns at top level, and names it reads (empty sets if it does not parse)."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    assigned: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            assigned.add(node.name)
        for child in ast.walk(node) if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) else ():
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                assigned.add(child.id)
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return assigned, read


def earlier_causes(
    exercise: Exercise, answers: dict[str, str], failing: set[str]
) -> dict[str, list[tuple[str, list[str]]]]:
    """For each failing question, the earlier failing questions whose answers it reads: (question id, names)."""
    causes: dict[str, list[tuple[str, list[str]]]] = {}
    seen: list[tuple[str, set[str]]] = []
    for question in exercise.questions:
        assigned, read = _names(answers.get(question.id, ""))
        if question.id in failing:
            for earlier, names in seen:
                shared = sorted(read & names)
                if earlier in failing and shared:
                    causes.setdefault(question.id, []).append((earlier, shared))
        seen.append((question.id, assigned))
    return causes


def _last_line(error: BaseException) -> str:
    if missing := missing_package(error):
        return missing
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[-1]}" if text else type(error).__name__


def run_in_this_process(path: Path) -> dict[str, Any]:
    """Run the notebook's cells here (the child's job) and return the report as data."""
    notebook, exercise = load_exercise(path)
    question_of = {test.grade_id: q for q in exercise.questions for test in q.tests}
    test_of = {test.grade_id: test for q in exercise.questions for test in q.tests}
    outcomes: dict[str, list[CheckOutcome]] = {q.id: [] for q in exercise.questions}
    problems: dict[str, str] = {}
    cell_errors: list[str] = []
    answers: dict[str, str] = {}
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    for number, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code" or is_self_check_cell(cell):
            continue
        grade_id = nbgrader_metadata(cell).get("grade_id")
        if isinstance(grade_id, str) and nbgrader_metadata(cell).get("solution"):
            answers[grade_id] = cell_source(cell)
        if grade_id in test_of:
            question = question_of[grade_id]
            if question.id not in problems:
                found, problem = run_test(test_of[grade_id], shell.user_ns)
                outcomes[question.id].extend(found)
                if problem:
                    problems[question.id] = problem
            continue
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            result = shell.run_cell(cell_source(cell), store_history=False)
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            label = f"cell {number}" + (f" ('{grade_id}')" if isinstance(grade_id, str) else "")
            cell_errors.append(f"{label}: {_last_line(error)}")
    failing = {
        q.id
        for q in exercise.questions
        if q.id in problems or not outcomes[q.id] or not all(o.passed for o in outcomes[q.id])
    }
    return {
        "causes": earlier_causes(exercise, answers, failing),
        "exercise": exercise.to_json(),
        "checks": {key: [[o.passed, o.message] for o in value] for key, value in outcomes.items()},
        "problems": problems,
        "cell_errors": cell_errors,
    }


def check_whole_notebook(path: Path, timeout: float = 300.0) -> NotebookReport:
    """Run ``path`` in a fresh Python in its own folder and report each question's visible checks."""
    path = path.resolve()
    if not path.is_file():
        raise NotebookError(f"{path}: no such notebook")
    load_exercise(path)  # errors in the file itself are reported here, before a process starts
    with tempfile.TemporaryDirectory(prefix="college-check-") as scratch:
        report_file = Path(scratch, "report.json")
        try:
            completed = subprocess.run(
                [sys.executable, "-P", "-m", "college.selfcheck.whole", str(path), str(report_file)],
                cwd=path.parent,
                # A chart drawn from a terminal run is drawn off screen: no window opens and waits.
                env={**os.environ, "MPLBACKEND": "Agg"},
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return _stopped(path, f"the notebook ran for more than {timeout:g} seconds and was stopped")
        if not report_file.is_file():
            detail = (completed.stderr.strip().splitlines() or ["it stopped with no message"])[-1]
            return _stopped(path, f"the notebook's Python stopped before the end: {detail}")
        data = json.loads(report_file.read_text(encoding="utf-8"))
    exercise = Exercise.from_json(data["exercise"])
    reports = tuple(
        QuestionReport(
            q,
            tuple(
                CheckOutcome(bool(passed), str(message)) for passed, message in data["checks"].get(q.id, [])
            ),
            str(data["problems"].get(q.id, "")),
        )
        for q in exercise.questions
    )
    titles = {q.id: q.title for q in exercise.questions}
    causes = {
        question_id: tuple(
            f"it uses {', '.join(f'`{name}`' for name in names)} from your answer to {titles.get(earlier, earlier)}, "
            "which does not pass yet: fix that first"
            for earlier, names in found
        )
        for question_id, found in data.get("causes", {}).items()
    }
    return NotebookReport(path, reports, tuple(data["cell_errors"]), "", causes)


def _stopped(path: Path, why: str) -> NotebookReport:
    _, exercise = load_exercise(path)
    reports = tuple(QuestionReport(q, (), "the notebook did not finish") for q in exercise.questions)
    return NotebookReport(path, reports, (), why)


def questions_of(path: Path) -> tuple[Question, ...]:
    return load_exercise(path)[1].questions


if __name__ == "__main__":  # the child: python -m college.selfcheck.whole NOTEBOOK REPORT
    notebook_path, report_path = Path(sys.argv[1]), Path(sys.argv[2])
    sys.path.insert(0, str(notebook_path.parent))  # as Jupyter does: modules beside the notebook import
    report_path.write_text(json.dumps(run_in_this_process(notebook_path)), encoding="utf-8")
