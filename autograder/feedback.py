"""Step 6, feedback: one self-contained HTML page per trainee.

It shows their notebook as it ran (their code, its output, capped), each question's score and reason, the visible
tests with their messages, and the hidden tests by name and verdict only: a hidden test's source never appears.
Everything from the notebook is escaped; the page has no scripts and loads nothing.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import mistune

from autograder.models import CellKind, CellRecord, QuestionResult, Status, TestVerdict, TraineeResult

STREAM_LIMIT = 5_000
PAGE_BUDGET = 400_000
"""Characters of cell output shown per page; past this, outputs are left out (the page says so)."""

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#212b32;line-height:1.5}
h1{color:#005eb8;font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d8dde0;padding:.35rem .5rem;text-align:left;
vertical-align:top}th{background:#f0f4f5}
pre{background:#f0f4f5;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word;margin:.3rem 0}
.cell{border-left:4px solid #d8dde0;padding-left:.8rem;margin:1rem 0}.test{border-left-color:#005eb8}
.label{font-size:.85rem;color:#4c6272}.out{background:#fff;border:1px solid #d8dde0}
.err{background:#fde8e8;border:1px solid #d5281b}.pass{color:#007f3b;font-weight:600}
.fail{color:#d5281b;font-weight:600}.note{background:#fff9c4;padding:.5rem;border:1px solid #ffeb3b}
"""


@lru_cache(maxsize=1)
def _markdown() -> Any:
    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


class _Budget:
    def __init__(self) -> None:
        self.left = PAGE_BUDGET
        self.elided = 0

    def take(self, text: str) -> str:
        if len(text) > STREAM_LIMIT:
            text = text[:STREAM_LIMIT] + f"\n[... {len(text) - STREAM_LIMIT:,} more characters not shown]"
        if len(text) > self.left:
            self.elided += 1
            return "[output left out: this page has reached its size limit]"
        self.left -= len(text)
        return text


def _verdict(question: QuestionResult) -> str:
    if question.status is not Status.GRADED:
        return f'<span class="fail">{_e(question.status.value.replace("_", " "))}</span>'
    if question.score >= question.max_score:
        return '<span class="pass">passed</span>'
    return '<span class="fail">failed</span>' if question.score == 0 else '<span class="fail">partly</span>'


def _hidden_list(question: QuestionResult) -> str:
    if not question.hidden:
        return ""
    marks = {TestVerdict.PASSED: "passed", TestVerdict.FAILED: "failed", TestVerdict.NOT_RUN: "not run"}
    items = "".join(
        f'<li>{_e(test.name)}: <span class="{"pass" if test.verdict is TestVerdict.PASSED else "fail"}">'
        f"{marks[test.verdict]}</span></li>"
        for test in question.hidden
    )
    return f"<p>Hidden tests (their code is not shown):</p><ul>{items}</ul>"


def _pre(text: str, css: str, budget: _Budget) -> str:
    return f'<pre class="{css}">{_e(budget.take(text))}</pre>' if text else ""


def _cell(cell: CellRecord, questions: dict[str, QuestionResult], budget: _Budget) -> str:
    if cell.kind is CellKind.MARKDOWN:
        source = cell.source if len(cell.source) <= 20_000 else cell.source[:20_000] + "\n\n[...]"
        return f'<div class="md">{_markdown()(source)}</div>'
    if cell.kind is CellKind.TEST:
        question = questions.get(cell.question)
        parts = [f'<div class="cell test"><div class="label">Test cell {_e(cell.label)}</div>']
        parts.append(f"<pre>{_e(cell.source)}</pre>")
        if question is not None:
            parts.append(
                f"<p>{_verdict(question)}: {question.score:g} of {question.max_score:g}. {_e(question.reason)}</p>"
            )
            parts.append(_pre(cell.stdout, "out", budget))
            parts.append(_hidden_list(question))
        if not cell.ran:
            parts.append("<p><em>Not run.</em></p>")
        parts.append("</div>")
        return "".join(parts)
    who = "Tutor's cell (run as written)" if cell.kind is CellKind.TUTOR else f"Your code: {cell.label}"
    parts = [f'<div class="cell"><div class="label">{_e(who)}</div><pre>{_e(budget.take(cell.source))}</pre>']
    if not cell.ran:
        parts.append("<p><em>Not run: grading had stopped.</em></p>")
    parts.append(_pre(cell.stdout, "out", budget))
    parts.append(_pre(cell.stderr, "out", budget))
    parts.append(_pre(cell.result, "out", budget))
    parts.append(_pre(cell.error, "err", budget))
    parts.append("</div>")
    return "".join(parts)


def render_feedback(result: TraineeResult, title: str) -> str:
    """The trainee's feedback page."""
    budget = _Budget()
    questions = {question.question: question for question in result.questions}
    rows = "".join(
        f"<tr><td>{_e(q.question)}</td><td>{q.score:g} / {q.max_score:g}</td><td>{_verdict(q)}</td>"
        f"<td>{_e(q.reason)}</td></tr>"
        for q in result.questions
    )
    notes = "".join(f"<li>{_e(note)}</li>" for note in result.notes)
    cells = "".join(_cell(cell, questions, budget) for cell in result.cells)
    elided = (
        f'<p class="note">{budget.elided} outputs were left out to keep this page small.</p>'
        if budget.elided
        else ""
    )
    status = result.status.value.replace("_", " ")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{_e(title)}: feedback for {_e(result.trainee)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{_e(title)}</h1><p>Feedback for <strong>{_e(result.trainee)}</strong>: "
        f"<strong>{result.score:g} of {result.max_score:g}</strong> points ({_e(status)}).</p>"
        f"<p>{_e(result.reason)}</p>"
        + (f'<div class="note"><p>Notes on your notebook:</p><ul>{notes}</ul></div>' if notes else "")
        + "<h2>Questions</h2><table><thead><tr><th>Question</th><th>Score</th><th>Result</th><th>Why</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
        + (f"<h2>Your notebook as it was run</h2>{elided}{cells}" if cells else "")
        + "</body></html>\n"
    )
