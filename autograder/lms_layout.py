"""LMS downloads in nbgrader's layout: Moodle's "Download all submissions" and Canvas's "Download submissions".

Like nbgrader's ``zip_collect``, the file names say whose a file is:

- Moodle names each submission ``<Full name>_<participant id>_assignsubmission_file_``, as a folder holding the
  trainee's files or as a prefix of each file's name;
- Canvas names each file ``<login name>[_LATE]_<user id>_<submission id>_<file name>``, and adds ``-1``,
  ``-2`` ... to a resubmitted file's name.

Each trainee's notebooks are copied into ``<trainee>/<exercise>/`` in a scratch folder, which the ordinary
``collect`` step then reads. Trainee ids come from the roster (Moodle: first and last name; Canvas: ``canvas_id``)
or, without one, from the name in the file name. Anything that cannot be matched is reported as a cohort
problem and left out: never graded as 0 under a guessed id. A folder that is not an LMS download is returned as
it is.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from autograder.collect import extract_zip
from autograder.lms import Person
from autograder.models import CohortProblem

MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_file_(?P<file>.*)$")
CANVAS = re.compile(r"^(?P<name>[^_/]+?)(?P<late>_LATE)?_(?P<id>\d+)_(?P<submission>\d+)_(?P<file>.+)$")
RESUBMITTED = re.compile(r"^(?P<stem>.+?)-\d+(?P<suffix>\.ipynb)$")
SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _trainee_from_name(name: str) -> str:
    return SAFE_ID.sub("-", unicodedata.normalize("NFKC", name).strip()).strip("-.").lower()[:128]


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _which(folder: Path) -> str | None:
    names = [p.relative_to(folder).parts[0] for p in _entries(folder)]
    if names and all(MOODLE.match(name) for name in names if not name.startswith(".")):
        return "moodle"
    if names and all(CANVAS.match(name) for name in names if not name.startswith(".")):
        return "canvas"
    return None


@dataclass(frozen=True)
class LaidOut:
    """The submissions in nbgrader's layout, what could not be matched, and where each trainee's files came from."""

    folder: Path
    problems: tuple[CohortProblem, ...] = ()
    lms: str = ""
    """'moodle', 'canvas', or '' when the submissions were already in nbgrader's layout."""
    origins: dict[str, str] = field(default_factory=dict)
    """Each trainee's LMS name prefix (``Ada Lovelace_1234_assignsubmission_file_``, ``lovelaceada_101_9001_``),
    so feedback can be returned under the names the LMS's upload expects."""


def from_lms_download(
    submissions: Path,
    exercise_id: str,
    scratch: Path,
    max_notebook_bytes: int,
    roster: Mapping[str, Person] | None = None,
) -> LaidOut:
    """``submissions`` in nbgrader's layout (a scratch copy) if it is a Moodle or Canvas download, else as is."""
    unchanged = LaidOut(submissions)
    folder = submissions
    if submissions.is_file():
        if not zipfile.is_zipfile(submissions):
            return unchanged
        with zipfile.ZipFile(submissions) as archive:
            tops = [name.split("/", 1)[0] for name in archive.namelist() if not name.startswith("__MACOSX")]
        if not tops or not (all(MOODLE.match(n) for n in tops) or all(CANVAS.match(n) for n in tops)):
            return unchanged
        folder = scratch / "lms-unpacked"
        folder.mkdir(parents=True, exist_ok=True)
        unpack_problems = extract_zip(submissions, folder, max_notebook_bytes)
    else:
        unpack_problems = ()
    if not folder.is_dir():
        return unchanged
    kind = _which(folder)
    if kind is None:
        return unchanged
    origins: dict[str, str] = {}
    target = scratch / "lms-layout"
    target.mkdir(parents=True, exist_ok=True)
    problems = list(unpack_problems)
    by_name = {_key(f"{p.first_name} {p.last_name}"): p.trainee for p in (roster or {}).values()}
    by_canvas = {p.canvas_id: p.trainee for p in (roster or {}).values() if p.canvas_id}
    for path in _entries(folder):
        top = path.relative_to(folder).parts[0]
        match = (MOODLE if kind == "moodle" else CANVAS).match(top)
        if match is None or top.startswith("."):
            continue
        relative = str(path.relative_to(folder))
        file_name = path.name if path.name != top else match["file"]
        if kind == "canvas":
            resubmitted = RESUBMITTED.match(file_name)
            file_name = f"{resubmitted['stem']}{resubmitted['suffix']}" if resubmitted else file_name
        if not file_name.endswith(".ipynb"):
            continue
        if roster is None:
            trainee = _trainee_from_name(match["name"])
        elif kind == "moodle":
            trainee = by_name.get(_key(match["name"]), "")
        else:
            trainee = by_canvas.get(match["id"], "")
        if not trainee:
            problems.append(
                CohortProblem(
                    path=relative, message=f"not graded: no trainee in the roster matches this {kind} file"
                )
            )
            continue
        if path.stat().st_size > max_notebook_bytes:
            problems.append(CohortProblem(path=relative, message="not graded: the notebook is too large"))
            continue
        destination = target / trainee / exercise_id / file_name
        if destination.exists():
            problems.append(
                CohortProblem(
                    path=relative, message=f"not graded: '{trainee}' already has a file '{file_name}'"
                )
            )
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        origins.setdefault(trainee, top[: len(top) - len(match["file"])])  # the name, less the file
    if not any(target.iterdir()):
        problems.append(CohortProblem(path=submissions.name, message=f"a {kind} download with no notebooks"))
    return LaidOut(target, tuple(problems), kind, origins)
