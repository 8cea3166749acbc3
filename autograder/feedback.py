"""Step 6, feedback: one self-contained HTML page per trainee.

It shows their notebook as it ran (their code, its output, capped), each question's score and reason, the visible
tests with their messages, and the hidden tests by name and verdict only: a hidden test's source never appears.
The page is a Jinja2 template with autoescape on, so whatever the notebook holds is text; its
Content-Security-Policy allows nothing but its own inline style (by hash), so even markup that slipped through
could load nothing remote and run no script; markdown images are shown as their text and address, never fetched.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

import jinja2
import mistune
from markupsafe import Markup

from autograder.models import CellKind, CellRecord, QuestionResult, Status, TraineeResult
from autograder.safe_text import printable

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


STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; img-src 'none'; form-action 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
MARKDOWN_LIMIT = 20_000

TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width">
<title>{{ title }}: feedback for {{ result.trainee }}</title><style>{{ style }}</style></head><body>
<h1>{{ title }}</h1>
<p>Feedback for <strong>{{ result.trainee }}</strong>: <strong>{{ result.score | points }} of
{{ result.max_score | points }}</strong> points ({{ result.status.value | replace("_", " ") }}){% if result.manual_points %};
{{ result.manual_points | points }} of them need manual grading: your tutor marks those answers{% endif %}.</p>
<p>{{ result.reason }}</p>
{% if result.seconds_late > 0 %}<p class="note">Submitted {{ result.late_text }}.</p>{% endif %}
{% if result.notes %}<div class="note"><p>Notes on your notebook:</p><ul>
{% for note in result.notes %}<li>{{ note }}</li>{% endfor %}</ul></div>{% endif %}
<h2>Questions</h2>
<table><thead><tr><th>Question</th><th>Score</th><th>Result</th><th>Why</th></tr></thead><tbody>
{% for q in result.questions %}<tr><td>{{ q.name }}</td><td>{{ q.score_text }} / {{ q.max_score | points }}</td>
<td>{{ verdict(q) }}</td><td>{{ q.reason }}</td></tr>
{% endfor %}</tbody></table>
{% if cells %}<h2>Your notebook as it was run</h2>
{% if budget.elided %}<p class="note">{{ budget.elided }} outputs were left out to keep this page small.</p>{% endif %}
{% for cell in cells %}{{ cell }}{% endfor %}{% endif %}
</body></html>
"""

CELL = """{% if cell.kind.value == "markdown" %}<div class="md">{{ markdown(cell.source) }}</div>
{% elif cell.kind.value == "test" %}<div class="cell test"><div class="label">Test cell {{ cell.label }}</div>
<pre>{{ cell.source }}</pre>
{% if question %}<p>{{ verdict(question) }}: {{ question.score | points }} of {{ question.max_score | points }}.
{{ question.reason }}</p>{{ pre(cell.stdout, "out") }}
{% if question.hidden %}<p>Hidden tests (their code is not shown):</p><ul>
{% for test in question.hidden %}<li>{{ test.name }}: <span class="{{ 'pass' if test.verdict.value == 'passed' else 'fail' }}">
{{ test.verdict.value | replace("_", " ") }}</span></li>{% endfor %}</ul>{% endif %}{% endif %}
{% if not cell.ran %}<p><em>Not run.</em></p>{% endif %}</div>
{% else %}<div class="cell"><div class="label">{{ "Tutor's cell (run as written)" if cell.kind.value == "tutor"
else "Your code: " ~ cell.label }}</div><pre>{{ take(cell.source) }}</pre>
{% if not cell.ran %}<p><em>Not run: grading had stopped.</em></p>{% endif %}
{{ pre(cell.stdout, "out") }}{{ pre(cell.stderr, "out") }}{{ pre(cell.result, "out") }}{{ pre(cell.error, "err") }}</div>
{% endif %}"""


class _ImagesAsText(mistune.HTMLRenderer):
    """Markdown images are shown as their alternative text and address: a feedback page fetches nothing."""

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return f"[image: {mistune.escape(text)} ({mistune.escape(url)})]"


@lru_cache(maxsize=1)
def _markdown() -> Any:
    return mistune.create_markdown(
        escape=True, renderer=_ImagesAsText(escape=True), plugins=["table", "strikethrough"]
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_finalize)
    environment.filters["points"] = lambda value: f"{value:g}"
    return environment


@lru_cache(maxsize=1)
def _templates() -> tuple[jinja2.Template, jinja2.Template]:
    """The page and the cell templates, compiled once."""
    return _environment().from_string(TEMPLATE), _environment().from_string(CELL)


def _finalize(value: object) -> object:
    """Every value a template prints, trainee text above all, loses escape sequences and invisible controls
    (then autoescape makes it text)."""
    return value if isinstance(value, Markup) else printable(value)


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


def _verdict(question: QuestionResult) -> Markup:
    if question.needs_manual:
        return Markup("<span>needs manual grading</span>")
    if question.status is not Status.GRADED:
        return Markup('<span class="fail">{}</span>').format(question.status.value.replace("_", " "))
    if question.score >= question.max_score:
        return Markup('<span class="pass">passed</span>')
    return Markup('<span class="fail">{}</span>').format("failed" if question.score == 0 else "partly")


@lru_cache(maxsize=512)
def _markdown_cell(source: str) -> Markup:
    """A markdown cell as HTML (a pure function of its text, so the tutor's cells, the same in every trainee's
    page, are rendered once per worker)."""
    if len(source) > MARKDOWN_LIMIT:
        source = source[:MARKDOWN_LIMIT] + "\n\n[...]"
    return Markup(_markdown()(printable(source)))  # mistune escapes the text and raw HTML itself


def _cell(cell: CellRecord, questions: dict[str, QuestionResult], budget: _Budget) -> Markup:
    def pre(text: str, css: str) -> Markup:
        if not text:
            return Markup("")
        return Markup('<pre class="{}">{}</pre>').format(css, printable(budget.take(text)))

    template = _templates()[1]
    return Markup(
        template.render(
            cell=cell,
            question=questions.get(cell.question) if cell.kind is CellKind.TEST else None,
            verdict=_verdict,
            markdown=_markdown_cell,
            pre=pre,
            take=budget.take,
        )
    )


def render_feedback(result: TraineeResult, title: str) -> str:
    """The trainee's feedback page."""
    budget = _Budget()
    questions = {question.question: question for question in result.questions}
    cells = [_cell(cell, questions, budget) for cell in result.cells]
    return _templates()[0].render(
        result=result,
        title=title,
        cells=cells,
        budget=budget,
        verdict=_verdict,
        style=Markup(STYLE),
        csp=CONTENT_SECURITY_POLICY,
    )
