"""Step 3a, plan: which code runs, in which order, for one trainee's notebook.

The trainee's notebook is matched to the tutor's by nbgrader ``grade_id``. Then:

- every test cell runs as the tutor wrote it (hidden tests included), wherever the trainee's copy is, and even if
  the trainee deleted, renamed or edited it; so does every read-only cell;
- the trainee's answers and their own extra cells run as they wrote them;
- cells run in the tutor's order: each of the trainee's own cells stays after the graded cell it followed, so a
  notebook whose cells were shuffled is graded as if in order (and the feedback says so).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from autograder.cellsource import to_python
from autograder.exercise import CellRole, ExerciseSpec, Question, SpecCell
from autograder.validate import TraineeCell, TraineeNotebook


@dataclass(frozen=True)
class CodeStep:
    label: str
    source: str
    """Plain Python, as sent to the sandbox."""
    shown: str
    """The cell as written (for the feedback)."""
    tutor: bool


@dataclass(frozen=True)
class TestStep:
    __test__ = False

    question: Question


@dataclass(frozen=True)
class MarkdownStep:
    source: str


Step = CodeStep | TestStep | MarkdownStep


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = ()
    question_notes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unchanged: dict[str, bool] = field(default_factory=dict)
    """For each manually graded answer: whether the trainee left it exactly as released. nbgrader's checksum
    test (``utils.determine_grade``) scores such an answer 0 with nothing to mark; a missing cell it leaves for
    manual grading."""


def _same(a: str, b: str) -> bool:
    def norm(text: str) -> list[str]:
        return [line.rstrip() for line in text.strip().splitlines()]

    return norm(a) == norm(b)


def _trainee_step(cell: TraineeCell, label: str) -> Step | None:
    if cell.cell_type == "markdown":
        return MarkdownStep(cell.source)
    if cell.cell_type != "code" or not cell.source.strip():
        return None
    return CodeStep(label=label, source=to_python(cell.source), shown=cell.source, tutor=False)


def _tutor_cell_step(
    spec_cell: SpecCell,
    question: Question | None,
    mine: TraineeCell | None,
    notes: list[str],
    question_notes: dict[str, list[str]],
    kind: str = "code",
) -> Step | None:
    grade_id = spec_cell.grade_id or ""
    if question is not None:
        question_id = grade_id
        if mine is None:
            question_notes[question_id].append(
                "This test cell was missing from your notebook; the tutor's copy was run in its place."
            )
        elif mine.cell_type != "code" or not (
            _same(mine.source, spec_cell.release_source) or _same(mine.source, question.source)
        ):
            question_notes[question_id].append(
                "You changed this test cell; it was graded with the tutor's copy of every test."
            )
        return TestStep(question)
    if spec_cell.role is CellRole.READONLY:
        if mine is None or mine.cell_type != "code" or not _same(mine.source, spec_cell.source):
            notes.append(f"The read-only cell '{grade_id}' was changed or removed; the tutor's copy was run.")
        return CodeStep(label=f"cell {grade_id}", source=spec_cell.source, shown=spec_cell.source, tutor=True)
    if spec_cell.role is CellRole.SOLUTION:
        if mine is None:
            notes.append(f"The answer cell '{grade_id}' is missing from your notebook.")
            return None
        if mine.cell_type != "code":
            notes.append(
                f"The answer cell '{grade_id}' was changed into a {mine.cell_type} cell, so it was not run."
            )
            return MarkdownStep(mine.source) if mine.cell_type == "markdown" else None
        return _trainee_step(mine, f"answer {grade_id}")
    if spec_cell.role is CellRole.MANUAL:  # run (code) or shown (markdown) as the trainee wrote it
        if mine is None:
            notes.append(f"The answer cell '{grade_id}' is missing from your notebook.")
            return None
        if kind == "code" and mine.cell_type == "code":
            return _trainee_step(mine, f"answer {grade_id}")
        return MarkdownStep(mine.source)
    if spec_cell.role is CellRole.TASK:  # the tutor's description of the task, as written
        if kind == "code":
            return CodeStep(
                label=f"task {grade_id}", source=spec_cell.source, shown=spec_cell.source, tutor=True
            )
        return MarkdownStep(spec_cell.source)
    if spec_cell.role is CellRole.MARKDOWN and mine is not None:
        return MarkdownStep(mine.source)
    return None


def build_plan(spec: ExerciseSpec, notebook: TraineeNotebook) -> Plan:
    """The steps to run for this notebook, with notes on everything that differs from the tutor's layout."""
    by_id = {cell.grade_id: cell for cell in spec.cells if cell.grade_id is not None}
    questions = {question.grade_id: question for question in spec.questions}
    manual = {item.grade_id: item for item in spec.manual}
    notes: list[str] = list(notebook.notes)
    question_notes: dict[str, list[str]] = {question.grade_id: [] for question in spec.questions}

    # Match the trainee's cells to the tutor's, and attach each of their own cells to the graded cell before it.
    matched: dict[str, TraineeCell] = {}
    following: dict[str | None, list[TraineeCell]] = {None: []}
    anchor: str | None = None
    order: list[int] = []
    for cell in notebook.cells:
        grade_id = cell.grade_id
        if grade_id is not None and grade_id in by_id and grade_id not in matched:
            matched[grade_id] = cell
            anchor = grade_id
            following.setdefault(anchor, [])
            order.append(by_id[grade_id].index)
            continue
        if grade_id is not None and grade_id not in by_id:
            notes.append(f"A cell has the unknown grade_id '{grade_id}'; it was run as your own code.")
        elif grade_id is not None:
            notes.append(f"A second cell has the grade_id '{grade_id}'; it was run as your own code.")
        following.setdefault(anchor, []).append(cell)
    if order != sorted(order):
        notes.append("Cells were moved out of order; they were graded in the order of the original notebook.")

    steps: list[Step] = []

    def add_own(after: str | None) -> None:
        for cell in following.get(after, []):
            step = _trainee_step(cell, f"cell {cell.index + 1}")
            if step is not None:
                steps.append(step)

    graded = [c for c in spec.cells if c.grade_id is not None and c.role is not CellRole.MARKDOWN]
    for tutor_cell, after in itertools.pairwise(graded):
        # A read-only cell straight before a test (the chart-data cell that turns the trainee's Axes into plain
        # data): the trainee's own cells placed between them could only rebind what it produced, so they run
        # after that test instead.
        own = following.get(tutor_cell.grade_id, [])
        if (
            tutor_cell.role is CellRole.READONLY
            and after.role is CellRole.TEST
            and any(mine.cell_type == "code" and mine.source.strip() for mine in own)
        ):
            following[after.grade_id] = own + following.get(after.grade_id, [])
            following[tutor_cell.grade_id] = []
            notes.append(
                f"Your cells between the read-only cell '{tutor_cell.grade_id}' and the test '{after.grade_id}' were "
                "run after that test, so the test checks what the read-only cell found."
            )

    add_own(None)
    for spec_cell in spec.cells:
        if spec_cell.grade_id is None:
            continue  # plain tutor cells: the trainee's copy (edited or not) runs where the trainee left it
        question = questions.get(spec_cell.grade_id) if spec_cell.role is CellRole.TEST else None
        kind = manual[spec_cell.grade_id].cell_type if spec_cell.grade_id in manual else "code"
        step = _tutor_cell_step(
            spec_cell, question, matched.get(spec_cell.grade_id), notes, question_notes, kind
        )
        if step is not None:
            steps.append(step)
        add_own(spec_cell.grade_id)
    unchanged = {
        item.grade_id: (mine := matched.get(item.grade_id)) is not None and mine.source == item.release_source
        for item in spec.manual
        if not item.task
    }
    return Plan(
        steps=tuple(steps),
        notes=tuple(dict.fromkeys(notes)),
        question_notes={key: tuple(value) for key, value in question_notes.items()},
        unchanged=unchanged,
    )
