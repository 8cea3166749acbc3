"""Build fixture submissions from the small fixture exercise: right answers, blanks, wrong and hostile ones."""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path
from typing import Any

from autograder.exercise import ExerciseSpec, build_spec, release_solution, strip_hidden_tests
from autograder.sandbox.limits import Limits
from college.curriculum import Exercise, load_exercise

FILES = Path(__file__).resolve().parent / "files"
EXERCISE_DIR = FILES / "admissions-rates"
DATA_DIR = EXERCISE_DIR / "data"
COLLEGE = str(Path(sys.executable).parent / "college")
"""The `college` command of this environment, for tests that run it as a tutor does."""


def grade_args(submissions: Path, out: Path, *extra: str) -> list[str]:
    """`college grade`'s arguments (after `college`) for the fixture exercise: ``submissions`` graded into
    ``out`` on the fixture data, then ``extra``."""
    return ["grade", str(EXERCISE_DIR), str(submissions), "--out", str(out), "--data", str(DATA_DIR), *extra]


NOTEBOOK_NAME = "admissions-rates.ipynb"
HIDDEN_TOKEN = "HIDDEN_TOKEN_7f3a"
MAX_SCORE = 5.0
QUESTIONS = ("test_total_rate", "test_rate_function", "test_monthly")


def fixture_spec(limits: Limits, notebook: Path | None = None, **options: Any) -> ExerciseSpec:
    """The fixture exercise's spec, as the grader builds it (``notebook`` and build_spec's options to vary it)."""
    return build_spec(
        exercise_id="admissions-rates",
        title="Admission rates",
        notebook=notebook or EXERCISE_DIR / NOTEBOOK_NAME,
        data_files=sorted(DATA_DIR.iterdir()),
        competencies=(),
        limits=limits,
        **options,
    )


def exercise() -> Exercise:
    return load_exercise(EXERCISE_DIR)


def source_notebook() -> dict[str, Any]:
    return json.loads((EXERCISE_DIR / NOTEBOOK_NAME).read_text(encoding="utf-8"))


def grade_id(cell: dict[str, Any]) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def released() -> dict[str, Any]:
    """The student version, as nbgrader would release it: solutions stubbed, hidden tests removed."""
    notebook = copy.deepcopy(source_notebook())
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if meta.get("solution"):
            cell["source"] = release_solution(source)
        elif meta.get("grade"):
            cell["source"] = strip_hidden_tests(source)
    return notebook


def answered(answers: dict[str, str] | None = None, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The released notebook with the solution cells filled in (the model answers unless ``answers`` says)."""
    notebook = copy.deepcopy(base or released())
    model = {grade_id(cell): cell["source"] for cell in source_notebook()["cells"] if grade_id(cell)}
    for cell in notebook["cells"]:
        key = grade_id(cell)
        if key is not None and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell["source"] = (answers or {}).get(key, model[key])
    return notebook


def write_submission(
    root: Path, trainee: str, notebook: dict[str, Any] | str | bytes, name: str = NOTEBOOK_NAME
) -> Path:
    folder = root / trainee / "admissions-rates"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(notebook, bytes):
        path.write_bytes(notebook)
    elif isinstance(notebook, str):
        path.write_text(notebook, encoding="utf-8")
    else:
        path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path


def with_extra_cell(notebook: dict[str, Any], code: str, after: str | None = None) -> dict[str, Any]:
    """Insert a code cell of the trainee's own after the cell with grade_id ``after`` (or at the start)."""
    notebook = copy.deepcopy(notebook)
    cell: dict[str, Any] = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": code,
    }
    index = (
        0 if after is None else next(i for i, c in enumerate(notebook["cells"]) if grade_id(c) == after) + 1
    )
    notebook["cells"].insert(index, cell)
    return notebook


GRADER_PROCESSES = (b"autograder.worker", b"autograder.sandbox.zygote")
"""Command-line fragments of the grader's own long-lived processes: none may outlive a grading run."""


def processes_matching(*markers: bytes) -> list[bytes]:
    """Command lines (NUL-separated, as in /proc) of every running process that contains any of the markers."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if any(marker in cmdline for marker in markers):
                found.append(cmdline)
    return found


GRADEBOOK_TABLES = ("student", "submitted_assignment", "submitted_notebook", "grade", "comment")


def gradebook_rows(url: str) -> dict[str, int]:
    """How many rows each of nbgrader's per-trainee tables holds (duplicates would show here)."""
    from sqlalchemy import create_engine, text

    from autograder.record import with_busy_timeout

    engine = create_engine(with_busy_timeout(url))
    try:
        with engine.connect() as connection:
            return {
                table: int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
                for table in GRADEBOOK_TABLES
            }
    finally:
        engine.dispose()


def expected_rows(trainees: int) -> dict[str, int]:
    """The rows ``trainees`` graded trainees of the fixture exercise make: one of each, no more."""
    from autograder.exercise import CellRole, spec_from_exercise
    from autograder.sandbox.limits import Limits

    spec = spec_from_exercise(exercise(), DATA_DIR, Limits())
    solutions = sum(cell.role is CellRole.SOLUTION and cell.grade_id is not None for cell in spec.cells)
    per_trainee = {"grade": len(spec.questions), "comment": solutions}
    return {table: trainees * per_trainee.get(table, 1) for table in GRADEBOOK_TABLES}
