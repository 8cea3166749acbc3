"""Grades for a learning management system's gradebook import: ``moodle-grades.csv`` and ``canvas-grades.csv``.

- **Moodle** ("Import grades from CSV"): a header row, then one row per learner. The tutor maps one identifying
  column to a Moodle user field (email address, username or ID number) and the grade column to a grade item; a
  blank grade leaves Moodle's grade as it is. The columns follow Moodle's own plain-text export: ``First name``,
  ``Last name``, ``ID number``, ``Email address``, plus ``Username``, then the grade.
- **Canvas** (Gradebook, Import): the columns of Canvas's own gradebook export, ``Student`` (last name, first
  name), ``ID``, ``SIS User ID``, ``SIS Login ID`` and ``Section``, then one column per assignment (a new name
  makes a new assignment; ``Name (123)`` matches assignment 123), with the ``Points Possible`` row as Canvas's
  export writes it. A blank score is left unchanged.

Trainee ids become LMS identities through a roster CSV (a ``trainee`` column and any of ``email``, ``username``,
``id_number``, ``first_name``, ``last_name``, ``canvas_id``, ``sis_user_id``, ``sis_login_id``, ``section``).
Without a roster, the trainee id is used as the Moodle username and the Canvas SIS login id (nbgrader's student
id is usually the LMS login). With a roster, a trainee missing from it is left out of both files and reported,
never written under a guessed identity. Invalid submissions get a blank grade (not a 0): the tutor decides.
Every cell passes through :func:`autograder.safe_text.spreadsheet_cell`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import GradingError
from autograder.files import write_atomic
from autograder.models import Status, TraineeResult
from autograder.safe_text import spreadsheet_cell

ROSTER_FIELDS = (
    "email",
    "username",
    "id_number",
    "first_name",
    "last_name",
    "canvas_id",
    "sis_user_id",
    "sis_login_id",
    "section",
)
MOODLE_COLUMNS = ("First name", "Last name", "ID number", "Email address", "Username")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MAX_ROSTER_BYTES = 20_000_000


@dataclass(frozen=True)
class LmsGrade:
    """One trainee's grade for the LMS: ``score`` None leaves the LMS grade blank (unchanged)."""

    trainee: str
    score: float | None


@dataclass(frozen=True)
class Person:
    trainee: str
    email: str = ""
    username: str = ""
    id_number: str = ""
    first_name: str = ""
    last_name: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""


def lms_grade(result: TraineeResult, penalty: float = 0.0) -> LmsGrade:
    """A trainee's grade for the LMS: blank for an invalid submission or one with answers still to be marked by
    hand (the LMS keeps what it has), else the score less any late penalty."""
    if result.status is Status.INVALID_SUBMISSION or result.manual_points:
        return LmsGrade(result.trainee, None)
    return LmsGrade(result.trainee, max(0.0, result.score - penalty - result.late_penalty))


def read_roster(path: Path) -> dict[str, Person]:
    """The roster CSV, keyed by trainee id; errors name the file and row."""
    try:
        if path.stat().st_size > MAX_ROSTER_BYTES:
            raise GradingError(path, "the roster is larger than 20 MB")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise GradingError(path, f"cannot read the roster ({error})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or ()]
    if "trainee" not in header:
        raise GradingError(path, "the roster needs a 'trainee' column (the ids in the submissions)")
    unknown = sorted(set(header) - {"trainee", *ROSTER_FIELDS})
    if unknown:
        raise GradingError(
            path, f"unknown roster columns: {', '.join(unknown)} (known: {', '.join(ROSTER_FIELDS)})"
        )
    people: dict[str, Person] = {}
    for line, row in enumerate(reader, start=2):
        values = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key is not None}
        trainee = values.pop("trainee", "")
        if not trainee:
            raise GradingError(path, f"row {line} has no trainee id")
        if trainee in people:
            raise GradingError(path, f"row {line}: trainee '{trainee}' is listed twice")
        people[trainee] = Person(trainee=trainee, **{key: values.get(key, "") for key in ROSTER_FIELDS})
    return people


def _people(
    grades: Sequence[LmsGrade], roster: Mapping[str, Person] | None
) -> tuple[list[tuple[Person, LmsGrade]], list[str]]:
    if roster is None:
        return [(Person(g.trainee, username=g.trainee, sis_login_id=g.trainee), g) for g in grades], []
    found = [(roster[g.trainee], g) for g in grades if g.trainee in roster]
    return found, [g.trainee for g in grades if g.trainee not in roster]


def _score(grade: LmsGrade) -> str:
    return "" if grade.score is None else f"{grade.score:.6g}"


def _csv(rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # what both LMSs' own exports use
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def moodle_csv(
    column: str, grades: Sequence[LmsGrade], roster: Mapping[str, Person] | None = None
) -> tuple[str, list[str]]:
    """Moodle's CSV grade import, and the trainees left out (not in the roster)."""
    people, missing = _people(grades, roster)
    rows: list[Sequence[object]] = [(*MOODLE_COLUMNS, column)]
    rows += [(p.first_name, p.last_name, p.id_number, p.email, p.username, _score(g)) for p, g in people]
    return _csv(rows), missing


def canvas_csv(
    column: str, points: float, grades: Sequence[LmsGrade], roster: Mapping[str, Person] | None = None
) -> tuple[str, list[str]]:
    """Canvas's gradebook CSV, and the trainees left out (not in the roster)."""
    people, missing = _people(grades, roster)
    rows: list[Sequence[object]] = [
        (*CANVAS_COLUMNS, column),
        ("    Points Possible", "", "", "", "", f"{points:.6g}"),
    ]
    for person, grade in people:
        name = ", ".join(part for part in (person.last_name, person.first_name) if part) or person.trainee
        rows.append(
            (name, person.canvas_id, person.sis_user_id, person.sis_login_id, person.section, _score(grade))
        )
    return _csv(rows), missing


def write_lms_exports(
    out: Path,
    column: str,
    points: float,
    grades: Sequence[LmsGrade],
    roster: Mapping[str, Person] | None = None,
) -> tuple[dict[str, Path], list[str]]:
    """Write both files into ``out``; return their paths and the trainees left out of them."""
    moodle, missing = moodle_csv(column, grades, roster)
    canvas, _ = canvas_csv(column, points, grades, roster)
    files = {"moodle": out / "moodle-grades.csv", "canvas": out / "canvas-grades.csv"}
    write_atomic(files["moodle"], moodle)
    write_atomic(files["canvas"], canvas)
    return files, missing
