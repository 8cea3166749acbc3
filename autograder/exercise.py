"""The tutor's copy of an exercise, as the grader needs it: cells, questions, tests (hidden ones too) and data.

An exercise is an nbgrader source notebook. Its cells carry nbgrader's metadata (``metadata.nbgrader``):

- an autograded answer (``solution: true``) holds ``### BEGIN SOLUTION`` / ``### END SOLUTION`` regions;
- a test cell (``grade: true``, with ``points``) is one question; ``### BEGIN HIDDEN TESTS`` /
  ``### END HIDDEN TESTS`` mark tests the trainee never sees. The first comment line inside a hidden block names
  it in the feedback (``# hidden: an empty series gives no special causes``); otherwise it is numbered;
- a read-only cell (``locked: true``) is always run as the tutor wrote it;
- a manually graded answer (``solution`` and ``grade``, code or markdown) and a task (``task: true``) need a
  person to mark them: they are kept as nbgrader's autograde keeps them (no automatic score, flagged for manual
  grading, the trainee's answer left for formgrader), except that an answer left exactly as released scores 0,
  as in nbgrader (``utils.determine_grade``).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.cellsource import cell_text, import_statements, to_python
from autograder.errors import ExerciseError
from autograder.sandbox.limits import Limits
from college.selfcheck.questions import question_title

if TYPE_CHECKING:
    from college.curriculum import Exercise

RELEASE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
"""What nbgrader's ClearSolutions puts in place of a solution region in code cells (its default)."""


@dataclass(frozen=True)
class Delimiters:
    """nbgrader's markers as a course configures them (``ClearSolutions`` and ``ClearHiddenTests`` options).

    As in nbgrader, any line that *contains* a delimiter is a marker line: ``# BEGIN HIDDEN TESTS`` and
    ``### BEGIN HIDDEN TESTS`` both open a hidden block.
    """

    begin_solution: str = "BEGIN SOLUTION"
    end_solution: str = "END SOLUTION"
    begin_hidden: str = "BEGIN HIDDEN TESTS"
    end_hidden: str = "END HIDDEN TESTS"
    code_stub: str = RELEASE_STUB

    def to_json(self) -> dict[str, str]:
        return dict(vars(self))

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Delimiters:
        return cls(**{key: str(value) for key, value in data.items()})


DEFAULT_DELIMITERS = Delimiters()

GRADER_VERSION = "4"
"""Part of every result's fingerprint: bump it when grading itself changes, so resumed runs regrade."""


class CellRole(StrEnum):
    SOLUTION = "solution"
    TEST = "test"
    READONLY = "readonly"
    PLAIN = "plain"
    MARKDOWN = "markdown"
    MANUAL = "manual"
    """A manually graded answer (nbgrader ``solution`` and ``grade``), code or markdown."""
    TASK = "task"
    """A task (nbgrader ``task``): the tutor's description of work marked by hand."""


@dataclass(frozen=True)
class TestSegment:
    """A stretch of a test cell: visible tests, or one hidden block."""

    __test__ = False

    source: str
    hidden: bool
    name: str = ""


@dataclass(frozen=True)
class Question:
    """An autograded question: one nbgrader test cell and its points."""

    grade_id: str
    points: float
    source: str
    """The full test, hidden tests included, as plain Python."""
    release_source: str
    """The test as the trainee sees it: hidden blocks removed."""
    segments: tuple[TestSegment, ...]
    title: str = ""
    """The question as the trainee reads it, from the heading above ("Question 2: time in the department")."""

    @property
    def hidden_names(self) -> tuple[str, ...]:
        return tuple(segment.name for segment in self.segments if segment.hidden)


@dataclass(frozen=True)
class ManualItem:
    """A cell a person marks: a manually graded answer or a task, with its points."""

    grade_id: str
    points: float
    task: bool
    cell_type: str
    release_source: str
    """The cell as the trainee's copy holds it before they answer (an answer left so scores 0)."""
    title: str = ""
    """The question as the trainee reads it, from the heading above."""


@dataclass(frozen=True)
class SpecCell:
    """A cell of the tutor's source notebook."""

    index: int
    role: CellRole
    source: str
    """The tutor's source (plain Python for code cells)."""
    release_source: str
    """What the trainee's copy of the cell holds before they answer."""
    grade_id: str | None = None


@dataclass(frozen=True)
class CompetencyTarget:
    id: str
    level: str
    threshold: float


@dataclass(frozen=True)
class ExerciseSpec:
    """Everything grading needs to know about one exercise."""

    id: str
    title: str
    notebook_name: str
    cells: tuple[SpecCell, ...]
    questions: tuple[Question, ...]
    data_files: tuple[Path, ...]
    competencies: tuple[CompetencyTarget, ...]
    tutor_imports: tuple[str, ...]
    """Top-level imports of the tutor's non-answer cells: tests see these, whatever the trainee rebinds."""
    fingerprint: str
    source_path: Path
    manual: tuple[ManualItem, ...] = ()
    """Manually graded answers and tasks, in the notebook's order."""

    def to_json(self) -> dict[str, Any]:
        """The spec as data, so a grading worker gets it whole (without reparsing, or importing nbgrader)."""
        return {
            "id": self.id,
            "title": self.title,
            "notebook_name": self.notebook_name,
            "cells": [[c.index, c.role.value, c.source, c.release_source, c.grade_id] for c in self.cells],
            "questions": [
                [
                    q.grade_id,
                    q.points,
                    q.source,
                    q.release_source,
                    [[s.source, s.hidden, s.name] for s in q.segments],
                    q.title,
                ]
                for q in self.questions
            ],
            "data_files": [str(path) for path in self.data_files],
            "competencies": [[c.id, c.level, c.threshold] for c in self.competencies],
            "tutor_imports": list(self.tutor_imports),
            "fingerprint": self.fingerprint,
            "source_path": str(self.source_path),
            "manual": [
                [m.grade_id, m.points, m.task, m.cell_type, m.release_source, m.title] for m in self.manual
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExerciseSpec:
        return cls(
            id=data["id"],
            title=data["title"],
            notebook_name=data["notebook_name"],
            cells=tuple(
                SpecCell(int(i), CellRole(role), src, rel, gid) for i, role, src, rel, gid in data["cells"]
            ),
            questions=tuple(
                Question(
                    gid, float(points), src, rel, tuple(TestSegment(a, bool(b), c) for a, b, c in segs), title
                )
                for gid, points, src, rel, segs, title in data["questions"]
            ),
            data_files=tuple(Path(path) for path in data["data_files"]),
            competencies=tuple(CompetencyTarget(c[0], c[1], float(c[2])) for c in data["competencies"]),
            tutor_imports=tuple(data["tutor_imports"]),
            fingerprint=data["fingerprint"],
            source_path=Path(data["source_path"]),
            manual=tuple(
                ManualItem(gid, float(points), bool(task), kind, rel, title)
                for gid, points, task, kind, rel, title in data.get("manual", ())
            ),
        )

    @property
    def max_score(self) -> float:
        """Every point of the notebook, manually graded ones too (as nbgrader's ``max_score``)."""
        return sum(question.points for question in self.questions) + self.manual_points

    @property
    def manual_points(self) -> float:
        return sum(item.points for item in self.manual)

    def question(self, grade_id: str) -> Question:
        return next(question for question in self.questions if question.grade_id == grade_id)

    def cell(self, grade_id: str) -> SpecCell | None:
        return next((cell for cell in self.cells if cell.grade_id == grade_id), None)


def _nbgrader_metadata(cell: dict[str, Any]) -> dict[str, Any]:
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        return {}
    nbgrader = metadata.get("nbgrader")
    return nbgrader if isinstance(nbgrader, dict) else {}


def released_sources(notebook: dict[str, Any], delimiters: Delimiters = DEFAULT_DELIMITERS) -> list[str]:
    """Each cell's source as the trainee's copy holds it, decided by nbgrader's own ``ClearSolutions`` and
    ``ClearHiddenTests`` preprocessors with the course's delimiters, so grading hides exactly what release hid."""
    import nbformat
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    released = nbformat.from_dict(copy.deepcopy(notebook))
    for cell in released.cells:
        cell.source = cell_text(cell.get("source", ""))
    resources: dict[str, Any] = {}
    clear_solutions = ClearSolutions(
        begin_solution_delimeter=delimiters.begin_solution,
        end_solution_delimeter=delimiters.end_solution,
        code_stub={"python": delimiters.code_stub},
    )
    clear_hidden = ClearHiddenTests(
        begin_test_delimeter=delimiters.begin_hidden, end_test_delimeter=delimiters.end_hidden
    )
    released.metadata.setdefault("kernelspec", {})["language"] = "python"
    try:
        released, resources = clear_solutions.preprocess(released, resources)
        released, resources = clear_hidden.preprocess(released, resources)
    except (RuntimeError, ValueError) as error:
        raise ValueError(f"nbgrader could not make the trainee's copy: {error}") from None
    return [cell.source for cell in released.cells]


def _one_cell(source: str, nbgrader: dict[str, Any]) -> dict[str, Any]:
    cell = {"cell_type": "code", "metadata": {"nbgrader": nbgrader}, "source": source, "outputs": []}
    return {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def strip_hidden_tests(source: str, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """A test cell as released (nbgrader's ClearHiddenTests): every hidden block removed, markers included."""
    meta = {"grade": True, "grade_id": "t", "points": 1}
    return released_sources(_one_cell(source, meta), delimiters)[0].rstrip("\n")


def release_solution(source: str, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """A solution cell as released (nbgrader's ClearSolutions): each region replaced by the course's stub."""
    meta = {"solution": True, "grade": False, "grade_id": "s"}
    return released_sources(_one_cell(source, meta), delimiters)[0]


HIDDEN_NAME = re.compile(r"^#+\s*hidden(?: test| check)?\s*[:\-–]\s*(?P<name>.+)$", re.IGNORECASE)


def _hidden_name(lines: Sequence[str], number: int) -> str:
    """The block's name from its first ``# hidden: ...`` comment line; any other comment is not shown, since a
    tutor's note inside a hidden block may hold the very value it checks."""
    for line in lines:
        match = HIDDEN_NAME.match(line.strip())
        if match and match["name"].strip():
            return match["name"].strip()[:120]
    return f"hidden check {number}"


def split_segments(
    source: str, where: str, delimiters: Delimiters = DEFAULT_DELIMITERS
) -> tuple[TestSegment, ...]:
    """Split a test cell into visible and hidden stretches, each run in turn as nbgrader runs the whole cell.

    If a stretch does not compile on its own (a hidden block inside a ``def``, say) the cell stays one segment,
    marked hidden when it holds hidden tests, so its messages are never shown.
    """
    segments: list[TestSegment] = []
    current: list[str] = []
    hidden = False
    hidden_count = 0
    begin, end = delimiters.begin_hidden, delimiters.end_hidden
    for line in source.splitlines(keepends=True):
        opens, closes = begin in line, (end in line and begin not in line)
        if opens or closes:  # nbgrader's rule: a line containing a delimiter is a marker
            if (opens and hidden) or (closes and not hidden):
                raise ExerciseError(where, f"'{line.strip()}' is out of place")
            if "".join(current).strip():
                name = _hidden_name(current, hidden_count) if hidden else ""
                segments.append(TestSegment("".join(current), hidden, name))
            current = []
            hidden = opens
            hidden_count += hidden
        else:
            current.append(line)
    if hidden:
        raise ExerciseError(where, f"'{begin}' has no matching '{end}'")
    if "".join(current).strip():
        segments.append(TestSegment("".join(current), False))
    try:
        for segment in segments:
            compile(segment.source, where, "exec")
    except SyntaxError:
        try:
            compile(source, where, "exec")
        except SyntaxError as error:
            raise ExerciseError(
                where, f"the test does not compile: {error.msg} (line {error.lineno})"
            ) from None
        has_hidden = any(segment.hidden for segment in segments)
        return (TestSegment(source, has_hidden, "hidden tests" if has_hidden else ""),)
    return tuple(segments)


def _points(meta: dict[str, Any], what: str, where: str) -> float:
    points = meta.get("points")
    if not isinstance(points, int | float) or isinstance(points, bool) or points < 0:
        raise ExerciseError(where, f"{what} '{meta.get('grade_id')}' has no valid 'points' (got {points!r})")
    return float(points)


def _manual_cell(
    index: int, cell_type: object, source: str, released: str, meta: dict[str, Any], where: str
) -> tuple[SpecCell, ManualItem]:
    """A manually graded answer or a task: kept for a person to mark, never given an automatic score."""
    grade_id = str(meta["grade_id"])
    task = bool(meta.get("task"))
    kind = "code" if cell_type == "code" else "markdown"
    points = _points(meta, "task" if task else "manually graded answer", where)
    item = ManualItem(grade_id, points, task, kind, released if not task else source)
    python = to_python(source) if kind == "code" else source
    role = CellRole.TASK if task else CellRole.MANUAL
    return SpecCell(index, role, python, item.release_source, grade_id), item


def _spec_cell(
    index: int, cell: dict[str, Any], released: str, where: str, delimiters: Delimiters
) -> tuple[SpecCell, Question | ManualItem | None]:
    cell_type = cell.get("cell_type")
    source = cell_text(cell.get("source", ""))
    meta = _nbgrader_metadata(cell)
    grade, solution, locked = bool(meta.get("grade")), bool(meta.get("solution")), bool(meta.get("locked"))
    grade_id = meta.get("grade_id")
    is_nbgrader = grade or solution or locked or bool(meta.get("task"))
    if is_nbgrader and (not isinstance(grade_id, str) or not grade_id):
        raise ExerciseError(where, f"cell {index + 1} has nbgrader metadata but no grade_id")
    if meta.get("task") or (grade and solution):
        return _manual_cell(index, cell_type, source, released, meta, where)
    if cell_type != "code":
        return SpecCell(index, CellRole.MARKDOWN, source, source, grade_id if is_nbgrader else None), None
    python = to_python(source)
    if grade:
        points = _points(meta, "test cell", where)
        label = f"{where} (test cell '{grade_id}')"
        question = Question(
            grade_id=str(grade_id),
            points=points,
            source=python,
            release_source=released.rstrip("\n"),
            segments=split_segments(python, label, delimiters),
        )
        return SpecCell(index, CellRole.TEST, python, question.release_source, grade_id), question
    if solution:
        return SpecCell(index, CellRole.SOLUTION, python, released, grade_id), None
    if locked:
        return SpecCell(index, CellRole.READONLY, python, source, grade_id), None
    return SpecCell(index, CellRole.PLAIN, python, source, None), None


def _is_heading(markdown: str) -> bool:
    return any(line.lstrip().startswith("#") for line in markdown.splitlines())


def parse_source_notebook(
    path: Path, delimiters: Delimiters = DEFAULT_DELIMITERS
) -> tuple[tuple[SpecCell, ...], tuple[Question, ...], tuple[ManualItem, ...]]:
    """Read the tutor's nbgrader source notebook into cells and questions; errors name the file and cell."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExerciseError(path, f"cannot read the source notebook: {error}") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ExerciseError(path, "not an nbformat 4 notebook (no 'cells' list)")
    spec_cells: list[SpecCell] = []
    questions: list[Question] = []
    manual: list[ManualItem] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            raise ExerciseError(path, f"cell {index + 1} is not an object")
    try:
        released = released_sources(notebook, delimiters)
    except ValueError as error:
        for index, cell in enumerate(cells):  # name the cell nbgrader could not release
            try:
                released_sources({**notebook, "cells": [cell]}, delimiters)
            except ValueError as in_cell:
                grade_id = _nbgrader_metadata(cell).get("grade_id")
                label = f"cell {index + 1}" + (f" ('{grade_id}')" if isinstance(grade_id, str) else "")
                raise ExerciseError(path, f"{label}: {in_cell}") from None
        raise ExerciseError(path, str(error)) from None
    heading = ""
    for index, cell in enumerate(cells):
        try:
            spec_cell, question = _spec_cell(index, cell, released[index], str(path), delimiters)
        except ValueError as error:
            raise ExerciseError(path, f"cell {index + 1}: {error}") from None
        if (
            spec_cell.role is CellRole.MARKDOWN
            and spec_cell.grade_id is None
            and _is_heading(spec_cell.source)
        ):
            heading = spec_cell.source  # the tutor's text above the next question
        if question is not None:
            number = len(questions) + len(manual) + 1
            question = dataclasses.replace(question, title=question_title(heading, number))
        if spec_cell.grade_id is not None:
            if spec_cell.grade_id in seen:
                raise ExerciseError(path, f"grade_id '{spec_cell.grade_id}' is used by more than one cell")
            seen.add(spec_cell.grade_id)
        spec_cells.append(spec_cell)
        if isinstance(question, Question):
            questions.append(question)
        elif isinstance(question, ManualItem):
            manual.append(question)
    if not questions and not manual:
        raise ExerciseError(path, "the notebook has no graded cells (nbgrader 'grade' or 'task' with points)")
    return tuple(spec_cells), tuple(questions), tuple(manual)


def _fingerprint(parts: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def build_spec(
    *,
    exercise_id: str,
    title: str,
    notebook: Path,
    data_files: Sequence[Path],
    competencies: Sequence[CompetencyTarget],
    limits: Limits,
    delimiters: Delimiters = DEFAULT_DELIMITERS,
) -> ExerciseSpec:
    """An :class:`ExerciseSpec` from a source notebook and data files (which must exist)."""
    cells, questions, manual = parse_source_notebook(notebook, delimiters)
    for data_file in data_files:
        if not data_file.is_file():
            raise ExerciseError(data_file, f"data file for exercise '{exercise_id}' not found")
    imports: dict[str, None] = {}
    for cell in cells:
        if cell.role in (CellRole.PLAIN, CellRole.READONLY, CellRole.TEST):
            imports.update(dict.fromkeys(import_statements(cell.source)))
    fingerprint = _fingerprint(
        [
            GRADER_VERSION.encode(),
            notebook.read_bytes(),
            json.dumps(limits.to_json(), sort_keys=True).encode(),
            json.dumps(delimiters.to_json(), sort_keys=True).encode(),
            *(path.name.encode() + path.read_bytes() for path in data_files),
        ]
    )
    return ExerciseSpec(
        id=exercise_id,
        title=title,
        notebook_name=notebook.name,
        cells=cells,
        questions=questions,
        data_files=tuple(path.resolve() for path in data_files),
        competencies=tuple(competencies),
        tutor_imports=tuple(imports),
        fingerprint=fingerprint,
        source_path=notebook.resolve(),
        manual=manual,
    )


def spec_from_exercise(exercise: Exercise, data_dir: Path, limits: Limits) -> ExerciseSpec:
    """An :class:`ExerciseSpec` from the curriculum's :class:`college.curriculum.Exercise`."""
    return build_spec(
        exercise_id=exercise.id,
        title=exercise.title,
        notebook=Path(exercise.notebook),
        data_files=[data_dir / name for name in exercise.data],
        competencies=[CompetencyTarget(c.id, c.level, float(c.threshold)) for c in exercise.competencies],
        limits=limits,
    )
