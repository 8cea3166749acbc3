"""A real nbgrader course built in a temporary folder with nbgrader's own API (``generate_assignment``).

Assignment ``ps_1`` (spelt as nbgrader allows) with two notebooks, a due date, three students: ``bitdiddle``
(right, on time), ``hacker`` (blank, on time) and ``lately`` (right, a day late).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

ASSIGNMENT = "ps_1"
COURSE_ID = "intro_analytics"
DUE = dt.datetime(2026, 12, 1, 17, 0, 0)
STUDENTS = {"bitdiddle": "right", "hacker": "blank", "lately": "right"}
STAMPS = {
    "bitdiddle": "2026-12-01 09:30:00.000000 UTC",
    "hacker": "2026-12-01 16:59:00.000000 UTC",
    "lately": "2026-12-02 17:00:00.000000 UTC",
}
CONFIG = f"""c = get_config()
c.CourseDirectory.course_id = "{COURSE_ID}"
c.LateSubmissionPlugin.penalty_method = "zero"
c.Execute.timeout = 20
"""


def _cell(cell_type: str, source: str, **nbgrader: Any) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": cell_type, "metadata": {}, "source": source}
    if nbgrader:
        cell["metadata"]["nbgrader"] = {"schema_version": 3, "locked": False, "solution": False, **nbgrader}
        cell["metadata"]["nbgrader"].setdefault("grade", False)
    if cell_type == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def _notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}


PROBLEM1 = _notebook(
    [
        _cell("markdown", "Write `squares(n)`: the squares of 1 to n."),
        _cell(
            "code",
            "def squares(n):\n    ### BEGIN SOLUTION\n    return [i * i for i in range(1, n + 1)]\n"
            "    ### END SOLUTION",
            grade_id="squares",
            solution=True,
        ),
        _cell(
            "code",
            "assert squares(1) == [1]\n### BEGIN HIDDEN TESTS\n# hidden: three squares\n"
            "assert squares(3) == [1, 4, 9]\n### END HIDDEN TESTS",
            grade_id="correct_squares",
            grade=True,
            points=2,
            locked=True,
        ),
    ]
)
PROBLEM2 = _notebook(
    [
        _cell(
            "code",
            "def total(values):\n    ### BEGIN SOLUTION\n    return sum(values)\n    ### END SOLUTION",
            grade_id="total",
            solution=True,
        ),
        _cell(
            "code", "assert total([1, 2]) == 3", grade_id="correct_total", grade=True, points=1, locked=True
        ),
    ]
)


def build_course(root: Path) -> Path:
    """The course folder: config, source, nbgrader's release and gradebook, and the students' submissions."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    (source / "problem1.ipynb").write_text(json.dumps(PROBLEM1), encoding="utf-8")
    (source / "problem2.ipynb").write_text(json.dumps(PROBLEM2), encoding="utf-8")
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
        for student in STUDENTS:
            gradebook.update_or_create_student(student, first_name=student.title(), last_name="Trainee")
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    done = api.generate_assignment(ASSIGNMENT)
    assert done["success"], done["error"]
    for student, kind in STUDENTS.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, model in (("problem1.ipynb", PROBLEM1), ("problem2.ipynb", PROBLEM2)):
            if kind == "right":
                (folder / name).write_text(json.dumps(model), encoding="utf-8")
            else:
                shutil.copyfile(root / "release" / ASSIGNMENT / name, folder / name)
        (folder / "timestamp.txt").write_text(STAMPS[student], encoding="utf-8")
    return root
