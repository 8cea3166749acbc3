"""formgrader's copy of each graded submission: ``autograded/<student>/ASSIGNMENT/<notebook>.ipynb``.

formgrader shows a submission (and lets a tutor mark its manually graded answers and tasks) from this folder, and
lists a student as autograded only when it exists and the gradebook's submission time matches ``timestamp.txt``.
As nbgrader's autograde writes it: the submitted notebook, each nbgrader cell's type, lock, points and checksum
put back from the course's gradebook (``OverwriteCells``), the trainee's answers as they wrote them, and the
outputs of the run. Unlike nbgrader's, the test cells hold the tests as released (hidden tests removed), and the
outputs come from the redacted record of the run (what the feedback page shows), so ``nbgrader generate_feedback``
run on this folder cannot reveal a hidden test either.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograder.cohort import CohortResult
from autograder.course import Course
from autograder.exercise import CellRole, ExerciseSpec
from autograder.files import write_atomic
from autograder.models import CellKind, CellRecord, Status, TraineeResult
from autograder.names import file_stem

MAX_NOTEBOOK_BYTES = 50_000_000
MAX_OTHER_FILE_BYTES = 50_000_000


def _outputs(record: CellRecord | None) -> list[dict[str, Any]]:
    if record is None or not record.ran:
        return []
    outputs: list[dict[str, Any]] = []
    for name in ("stdout", "stderr"):
        text = getattr(record, name)
        if text:
            outputs.append({"output_type": "stream", "name": name, "text": text})
    if record.result:
        outputs.append(
            {
                "output_type": "execute_result",
                "execution_count": None,
                "metadata": {},
                "data": {"text/plain": record.result},
            }
        )
    if record.error:
        line = record.error.strip().splitlines()[-1] if record.error.strip() else "Error"
        name, _, value = line.partition(":")
        outputs.append(
            {
                "output_type": "error",
                "ename": name.strip()[:100],
                "evalue": value.strip(),
                "traceback": [record.error],
            }
        )
    return outputs


def _record_for(cell: dict[str, Any], index: int, records: Sequence[CellRecord]) -> CellRecord | None:
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    for record in records:
        if grade_id is not None:
            if record.kind is CellKind.TEST and record.question == grade_id:
                return record
            if record.label in (f"answer {grade_id}", f"cell {grade_id}", f"task {grade_id}"):
                return record
        elif record.kind is CellKind.TRAINEE and record.label == f"cell {index + 1}":
            return record
    return None


def autograded_notebook(
    submitted: dict[str, Any], spec: ExerciseSpec, result: TraineeResult, source_cells: dict[str, Any]
) -> dict[str, Any]:
    """The submitted notebook as formgrader needs it (see the module docstring); ``source_cells`` maps each
    grade id to the gradebook's ``(cell_type, locked, checksum)`` and ``points`` to each graded cell's points."""
    by_id = {cell.grade_id: cell for cell in spec.cells if cell.grade_id is not None}
    points = source_cells.get("points", {})
    notebook = json.loads(json.dumps(submitted))  # a copy
    for index, cell in enumerate(notebook.get("cells", [])):
        if not isinstance(cell, dict):
            continue
        metadata = cell.setdefault("metadata", {})
        nbgrader = metadata.get("nbgrader") if isinstance(metadata.get("nbgrader"), dict) else None
        grade_id = nbgrader.get("grade_id") if nbgrader else None
        if nbgrader is not None and grade_id is not None:
            known = source_cells.get("cells", {}).get(grade_id)
            if known is None or grade_id not in by_id:
                del nbgrader["grade_id"]  # as OverwriteCells does for a cell the gradebook does not know
            else:
                cell_type, locked, checksum = known
                cell["cell_type"] = cell_type
                nbgrader["locked"] = locked
                nbgrader["checksum"] = checksum
                if grade_id in points and nbgrader.get("grade"):
                    nbgrader["points"] = points[grade_id]
                spec_cell = by_id[grade_id]
                if locked or spec_cell.role in (CellRole.TEST, CellRole.READONLY, CellRole.TASK):
                    cell["source"] = spec_cell.release_source  # the tutor's, without hidden tests
        if cell.get("cell_type") == "code":
            cell["outputs"] = _outputs(_record_for(cell, index, result.cells))
            cell["execution_count"] = None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return notebook


def _gradebook_cells(course: Course, assignment: str, notebook: str) -> dict[str, Any]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gradebook:
        found = gradebook.find_notebook(notebook, assignment)
        cells = {c.name: (c.cell_type, bool(c.locked), c.checksum) for c in found.source_cells}
        points = {c.name: float(c.max_score) for c in found.grade_cells}
    return {"cells": cells, "points": points}


def write_autograded(
    course: Course, assignment: str, specs: Sequence[ExerciseSpec], cohorts: Sequence[CohortResult]
) -> dict[str, Path]:
    """Write each student's ``autograded/<student>/ASSIGNMENT/`` folder; returns each student's folder."""
    written: dict[str, Path] = {}
    for spec, cohort in zip(specs, cohorts, strict=True):
        stem = Path(spec.notebook_name).stem
        source_cells = _gradebook_cells(course, assignment, stem)
        for result in cohort.results:
            student = result.trainee
            submitted = course.submitted / student / assignment
            path = submitted / spec.notebook_name
            if (
                result.status is Status.INVALID_SUBMISSION
                or student != file_stem(student)
                or not path.is_file()
                or path.is_symlink()
                or path.stat().st_size > MAX_NOTEBOOK_BYTES
            ):
                continue
            try:
                notebook = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue
            if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
                continue
            target = course.autograded(student, assignment)
            target.mkdir(parents=True, exist_ok=True)
            page = autograded_notebook(notebook, spec, result, source_cells)
            write_atomic(target / spec.notebook_name, json.dumps(page, indent=1, ensure_ascii=False) + "\n")
            _copy_other_files(submitted, target)
            written[student] = target
    return written


def _copy_other_files(submitted: Path, target: Path) -> None:
    """The submission's other files (an image a markdown cell shows, ``timestamp.txt``), as nbgrader copies
    them: regular files only, never a symbolic link."""
    for entry in submitted.iterdir():
        if entry.suffix == ".ipynb" or entry.is_symlink() or not entry.is_file():
            continue
        if entry.stat().st_size > MAX_OTHER_FILE_BYTES:
            continue
        destination = target / entry.name
        if destination.exists() or destination.is_symlink():
            destination.unlink()
        shutil.copyfile(entry, destination)
