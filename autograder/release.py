"""Authoring: make an exercise's student version with nbgrader's own ``generate_assignment``, and package it.

The release ZIP holds ``<id>/<notebook>.ipynb`` (solutions replaced by nbgrader's stub, hidden tests removed,
then a self-check set-up cell and a ``check(...)`` line per question added), ``<id>/self-check.json`` (the
visible tests, hints and the number of hidden checks), ``<id>/data/`` with the exercise's data files, and a
short README saying how trainees check their work.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.errors import ExerciseError
from autograder.files import write_atomic
from college.selfcheck.questions import SELF_CHECK_FILE
from college.selfcheck.release import self_check_exercise, short_key, with_self_check

if TYPE_CHECKING:
    from college.curriculum import Exercise

README = """{title}
{underline}

1. Install the college's package once (Python 3.11 or newer):

       python -m pip install nhs-open-college

2. Open {notebook} in Jupyter from this folder (the data it reads are in data/), and run its first cell.
3. Replace each "raise NotImplementedError()" with your answer. Under each question, run its check line,
   for example check("{first}"); hint("{first}") shows a hint, one at a time.
4. Check the whole notebook from a terminal in this folder with:

       college exercise check {notebook}

   This runs your notebook and the visible checks and tells you which pass. Your tutor's grading also runs
   hidden checks, so passing the visible ones is a good sign, not a guarantee.
5. Hand in {notebook} as your tutor asks.
"""


def release_notebook(exercise_id: str, source: Path) -> dict[str, Any]:
    """The student version of ``source``, made by nbgrader's ``generate_assignment`` in a scratch course."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from autograder.record import create_schema

    with tempfile.TemporaryDirectory(prefix="college-release-") as course:
        folder = Path(course, "source", exercise_id)
        folder.mkdir(parents=True)
        shutil.copyfile(source, folder / source.name)
        create_schema(f"sqlite:///{course}/gradebook.db")
        config = Config()
        config.CourseDirectory.root = course
        Path(course, "exchange").mkdir()
        config.Exchange.root = str(Path(course, "exchange"))
        outcome = NbGraderAPI(config=config).generate_assignment(exercise_id, force=True, create=True)
        released = Path(course, "release", exercise_id, source.name)
        if not outcome.get("success") or not released.is_file():
            log = str(outcome.get("log") or outcome.get("error") or "").strip().splitlines()
            detail = "; ".join(line for line in log if "[ERROR]" in line or "Error" in line)[-1500:]
            raise ExerciseError(
                source, f"nbgrader could not generate the student version: {detail or log[-3:]}"
            )
        notebook: dict[str, Any] = json.loads(released.read_text(encoding="utf-8"))
        return notebook


def build_release(exercise: Exercise, out_dir: Path, data_dir: Path | None = None) -> Path:
    """Write ``out_dir/<id>.zip`` for trainees to download; returns its path.

    ``data_dir`` holds the shared synthetic data (default: ``data/`` in the repository the exercise belongs to).
    """
    source = Path(exercise.notebook)
    data_dir = data_dir if data_dir is not None else Path(exercise.folder).parent.parent / "data"
    data_files = [data_dir / name for name in exercise.data]
    missing = [path for path in data_files if not path.is_file()]
    if missing:
        raise ExerciseError(
            missing[0], f"data file for exercise '{exercise.id}' not found (run `make data`?)"
        )
    released = release_notebook(exercise.id, source)
    self_check = self_check_exercise(
        exercise.title, released, json.loads(source.read_text(encoding="utf-8")), exercise.hints
    )
    notebook = with_self_check(released, self_check)
    first = short_key(self_check, self_check.questions[0].id) if self_check.questions else "q1"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            f"{exercise.id}/{source.name}", json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        )
        archive.writestr(
            f"{exercise.id}/{SELF_CHECK_FILE}",
            json.dumps(self_check.to_json(), indent=1, ensure_ascii=False) + "\n",
        )
        for path in data_files:
            archive.write(path, f"{exercise.id}/data/{path.name}")
        archive.writestr(
            f"{exercise.id}/README.txt",
            README.format(
                title=exercise.title, underline="=" * len(exercise.title), notebook=source.name, first=first
            ),
        )
    target = out_dir / f"{exercise.id}.zip"
    write_atomic(target, buffer.getvalue())
    return target
