"""The "Practise in your browser" section of an SQL exercise's page: each question with an editor and its checks.

The questions' text and visible checks come from the exercise notebook (:mod:`college.site.sql_checks`), the hints
from ``exercise.yml``. Each question is a marker ``<div class="college-sql-check">`` carrying its checks as JSON,
followed by an ordinary ``sql`` block: the SQL runner (``sql-runner.js``) makes the block an editor and gives it a
"Check" button. Nothing hidden is read, so nothing hidden reaches the page.
"""

from __future__ import annotations

import html
import re

from college.curriculum import Exercise
from college.site.sql_checks import SqlQuestion, sql_questions

HEADING = re.compile(r"^(#{1,5}) ", re.MULTILINE)


class PracticeError(Exception):
    """The exercise cannot be offered in the browser; the message names the file."""


def starting_text(question: SqlQuestion) -> str:
    """What the editor holds before the trainee writes anything: the answer's name and a look at the table."""
    return f"-- {question.variable}: write your query here\nSELECT *\nFROM admissions\nLIMIT 5"


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())


def render_question(exercise: Exercise, question: SqlQuestion) -> str:
    text = HEADING.sub(lambda match: "#" + match.group(1) + " ", question.text.strip())  # one level down
    marker = (
        f'<div class="college-sql-check" data-exercise="{html.escape(exercise.id)}" '
        f'data-question="{html.escape(question.grade_id)}" data-answer="{html.escape(question.variable)}" '
        f'data-checks="{html.escape(question.checks_json(), quote=True)}"></div>'
    )
    parts = [text, marker, "```sql\n" + starting_text(question) + "\n```"]
    for number, hint in enumerate(exercise.hints.get(question.grade_id, ()), start=1):
        parts.append(f'??? tip "Hint {number}"\n\n' + _indent(str(hint).strip()))
    return "\n\n".join(parts)


def render_practice(exercise: Exercise) -> str:
    """The section's Markdown; an error if the notebook's visible checks cannot run in the browser."""
    questions = sql_questions(exercise.notebook)
    if not questions:
        raise PracticeError(
            f"exercises/{exercise.id}/{exercise.notebook.name}: no graded question to practise"
        )
    unknown = sorted(set(exercise.hints) - {question.grade_id for question in questions})
    if unknown:
        raise PracticeError(
            f"exercises/{exercise.id}/exercise.yml: hints name cells that are not questions: {', '.join(unknown)}"
        )
    intro = (
        "Answer the questions here, with nothing installed. Each box is an SQL editor on the same synthetic "
        "tables, in SQLite as in the notebook. **Run** shows your query's result; **Check** runs the notebook's "
        "visible checks on it, the same checks `college exercise check` runs. The hidden tests your tutor's "
        "grading adds are not on this page, so passing here is a good sign, not a mark. Questions you pass are "
        "recorded in this browser only, with your other progress. To be graded, put your queries in the notebook "
        "and submit it."
    )
    return "\n\n".join(
        ["## Practise in your browser", intro, *(render_question(exercise, q) for q in questions)]
    )
