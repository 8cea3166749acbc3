"""The questions of an exercise as the trainee's copy holds them: titles, visible tests, hints, hidden counts.

Read from a notebook's cells (nbgrader's metadata says which are answers and which are tests) or from the
``self-check.json`` file a release puts beside the notebook. Only the standard library: this runs in the
trainee's own Python, whatever it is.

A question is an answer cell (``solution: true``) and the test cells (``grade: true``) that follow it, up to the
next answer cell. It is named by the answer cell's ``grade_id`` (``q2-median``); ``check("q2")`` also finds it,
as any prefix up to a hyphen does. Its title is the heading of the Markdown cell before it ("Question 2: time in
the department").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SELF_CHECK_FILE = "self-check.json"
"""The file a release writes beside the notebook, and the set-up cell reads."""

BEGIN_HIDDEN = "BEGIN HIDDEN TESTS"
END_HIDDEN = "END HIDDEN TESTS"

_POINTS = re.compile(r"\s*\((?:[^()]*\bpoints?\b[^()]*)\)", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_SEPARATOR = re.compile(r"\s*(?:—|–|:|\s-\s)\s*")


@dataclass(frozen=True)
class TestCell:
    """One test cell's visible tests, as the trainee's copy shows them."""

    __test__ = False

    grade_id: str
    source: str
    points: float = 0.0
    hidden_checks: int = 0
    """How many hidden blocks grading adds to this cell (their number only: never their content)."""


@dataclass(frozen=True)
class Question:
    id: str
    """The answer cell's grade_id (or the first test cell's, for tests with no answer cell before them)."""
    title: str
    """As the trainee sees it: "Question 2: time in the department"."""
    tests: tuple[TestCell, ...]
    hints: tuple[str, ...] = ()

    @property
    def points(self) -> float:
        return sum(test.points for test in self.tests)

    @property
    def hidden_checks(self) -> int:
        return sum(test.hidden_checks for test in self.tests)

    def matches(self, key: str) -> bool:
        """``key`` is this question's id, or a prefix of it ending at a hyphen (``q2`` for ``q2-median``)."""
        return self.id == key or self.id.startswith(f"{key}-")


@dataclass(frozen=True)
class Exercise:
    title: str
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def find(self, key: str) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if question.matches(key))

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "questions": [
                {
                    "id": q.id,
                    "title": q.title,
                    "hints": list(q.hints),
                    "tests": [
                        {
                            "grade_id": t.grade_id,
                            "source": t.source,
                            "points": t.points,
                            "hidden_checks": t.hidden_checks,
                        }
                        for t in q.tests
                    ],
                }
                for q in self.questions
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Exercise:
        return cls(
            title=str(data.get("title", "")),
            questions=tuple(
                Question(
                    id=str(q["id"]),
                    title=str(q["title"]),
                    hints=tuple(str(h) for h in q.get("hints", ())),
                    tests=tuple(
                        TestCell(
                            str(t["grade_id"]),
                            str(t["source"]),
                            float(t.get("points", 0)),
                            int(t.get("hidden_checks", 0)),
                        )
                        for t in q["tests"]
                    ),
                )
                for q in data["questions"]
            ),
        )


def read_self_check(path: Path) -> Exercise:
    return Exercise.from_json(json.loads(path.read_text(encoding="utf-8")))


def cell_source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def nbgrader_metadata(cell: dict[str, Any]) -> dict[str, Any]:
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return nbgrader if isinstance(nbgrader, dict) else {}


def is_self_check_cell(cell: dict[str, Any]) -> bool:
    """A cell a release added for the self-check (the set-up cell, each ``check(...)`` line)."""
    metadata = cell.get("metadata")
    college = metadata.get("college") if isinstance(metadata, dict) else None
    return isinstance(college, dict) and bool(college.get("self_check"))


def visible_part(source: str) -> tuple[str, int]:
    """The test without its hidden blocks (nbgrader's rule: a line containing a delimiter is a marker), and how
    many hidden blocks there were."""
    kept: list[str] = []
    hidden = False
    blocks = 0
    for line in source.splitlines(keepends=True):
        if BEGIN_HIDDEN in line:
            hidden, blocks = True, blocks + 1
        elif END_HIDDEN in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "".join(kept).rstrip("\n"), blocks


def question_title(markdown: str, number: int) -> str:
    """ "## Question 2 — time in the department (2 points)" becomes "Question 2: time in the department"."""
    for line in markdown.splitlines():
        match = _HEADING.match(line.strip())
        if match:
            text = _POINTS.sub("", match["text"]).strip()
            parts = _SEPARATOR.split(text, maxsplit=1)
            return f"{parts[0]}: {parts[1]}" if len(parts) == 2 and parts[1] else text
    return f"Question {number}"


def questions_from_cells(
    cells: Sequence[dict[str, Any]],
    hints: dict[str, Sequence[str]] | None = None,
    hidden_counts: dict[str, int] | None = None,
) -> tuple[Question, ...]:
    """The questions of a notebook, from its cells. ``hidden_counts`` (test grade_id to number of hidden blocks)
    overrides what the cells show, for a released copy whose hidden blocks nbgrader has already removed."""
    hints = hints or {}
    hidden_counts = hidden_counts or {}
    groups: list[tuple[str, str, list[TestCell]]] = []
    heading = ""
    for cell in cells:
        if is_self_check_cell(cell):
            continue
        meta = nbgrader_metadata(cell)
        grade_id = meta.get("grade_id")
        if cell.get("cell_type") == "markdown":
            if _HEADING.match(cell_source(cell).strip().splitlines()[0] if cell_source(cell).strip() else ""):
                heading = cell_source(cell)
            continue
        if cell.get("cell_type") != "code" or not isinstance(grade_id, str):
            continue
        if meta.get("solution") and not meta.get("grade"):
            groups.append((grade_id, heading, []))
        elif meta.get("grade"):
            visible, blocks = visible_part(cell_source(cell))
            points = meta.get("points", 0)
            test = TestCell(
                grade_id,
                visible,
                float(points) if isinstance(points, int | float) else 0.0,
                hidden_counts.get(grade_id, blocks),
            )
            if not groups:  # tests before any answer cell: a question of their own
                groups.append((grade_id, heading, []))
            groups[-1][2].append(test)
    found = [g for g in groups if g[2]]
    titles = [question_title(markdown, number) for number, (_, markdown, _) in enumerate(found, start=1)]
    questions = []
    for index, ((question_id, _, tests), title) in enumerate(zip(found, titles, strict=True)):
        if titles.count(title) > 1:  # a question in parts: "Question 3: the failing records, part 2"
            title = f"{title}, part {titles[:index].count(title) + 1}"
        questions.append(Question(question_id, title, tuple(tests), tuple(hints.get(question_id, ()))))
    return tuple(questions)


def exercise_from_notebook(notebook: dict[str, Any], title: str = "") -> Exercise:
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise ValueError("not an nbformat 4 notebook (no 'cells' list)")
    return Exercise(title, questions_from_cells([c for c in cells if isinstance(c, dict)]))


def merge_self_check(found: Exercise, released: Exercise | None) -> Exercise:
    """Hints and hidden counts from a release's ``self-check.json``, joined to the questions found in the notebook
    (the notebook's own visible tests are what the trainee sees, so they are the ones run)."""
    if released is None:
        return found
    known = {q.id: q for q in released.questions}
    counts = {t.grade_id: t.hidden_checks for q in released.questions for t in q.tests}
    merged = []
    for question in found.questions:
        mine = known.get(question.id)
        tests = tuple(
            TestCell(t.grade_id, t.source, t.points, counts.get(t.grade_id, t.hidden_checks))
            for t in question.tests
        )
        merged.append(Question(question.id, question.title, tests, mine.hints if mine else question.hints))
    return Exercise(released.title or found.title, tuple(merged))


def ids(questions: Iterable[Question]) -> list[str]:
    return [question.id for question in questions]
