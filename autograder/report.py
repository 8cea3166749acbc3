"""The cohort report: one self-contained, static HTML page beside ``grades.csv`` (``report.html``).

It shows the score distribution, each question's pass rate with failures split into visible and hidden-only,
competencies evidenced per trainee, the trainees who need help first, late, invalid, failed and slowest
submissions, and how long grading took. Each chart is inline SVG (``charts``) with alternative text and its
numbers in a table beside it. As the feedback pages, the page is a Jinja2 template with autoescape on and a
Content-Security-Policy that allows only its own style (by hash): it loads nothing and runs no script. Trainee
text appears only as text; hidden tests appear only as counts.
"""

from __future__ import annotations

import base64
import hashlib
import math
import statistics
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from autograder.files import write_atomic
from autograder.models import CohortProblem, CompetencyEvidence, Status, TestVerdict, TraineeResult
from autograder.names import file_stem
from autograder.safe_text import printable

HELP_FIRST = 10
SLOWEST = 5

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;
color:#212b32;line-height:1.5}
h1{color:#005eb8;font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d8dde0}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #d8dde0;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f0f4f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
svg{max-width:100%;height:auto}figure{margin:1rem 0}figcaption{font-size:.9rem;color:#4c6272}
.met{background:#e3f1e8}.unmet{background:#fde8e8}a{color:#005eb8}
@media print{nav{display:none}a{color:#212b32;text-decoration:none}h2{break-after:avoid}table,figure{break-inside:avoid}}
"""
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; img-src 'none'; form-action 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)

TEMPLATE = """{% macro table(headers, rows, caption="", numeric=()) -%}
<table>{% if caption %}<caption>{{ caption }}</caption>{% endif %}<thead><tr>{% for h in headers %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in rows %}<tr>{% for cell in row %}<td{{ ' class="n"' | safe if loop.index0 in numeric }}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{%- endmacro %}<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width">
<title>{{ title }}: cohort report</title><style>{{ style }}</style></head><body>
<h1>{{ title }}: cohort report</h1>
<p>{{ summary.trainees }} trainees; mean score {{ summary.mean }} and median {{ summary.median }} of
{{ summary.max_score }} points. {% for status, count in summary.statuses %}{{ count }} {{ status }}{{ ", " if not loop.last else "." }}{% endfor %}
Graded in {{ summary.seconds }} s.</p>
<nav aria-label="Sections"><ul><li><a href="#scores">Score distribution</a></li><li><a href="#questions">Questions</a></li>
{% if competencies %}<li><a href="#competencies">Competencies</a></li>{% endif %}
<li><a href="#help">Who needs help first</a></li><li><a href="#submissions">Late, invalid and slow submissions</a></li>
<li><a href="#trainees">Every trainee</a></li></ul></nav>

<h2 id="scores">Score distribution</h2>
<figure>{{ score_chart }}<figcaption>Trainees by total score (the table below gives the same numbers).</figcaption></figure>
{{ table(("Score", "Trainees"), score_bins, "Trainees by total score", (1,)) }}

<h2 id="questions">Questions</h2>
<figure>{{ question_chart }}<figcaption>Share of trainees passing each question, failing a visible test, or failing
hidden tests only.</figcaption></figure>
<table><caption>Question pass rates</caption><thead><tr><th scope="col">Question</th><th scope="col">Points</th>
<th scope="col">Mean score</th><th scope="col">Passed</th><th scope="col">Failed a visible test</th>
<th scope="col">Failed hidden tests only</th><th scope="col">Not graded (time-out, crash, invalid)</th>
<th scope="col">Needs manual grading</th></tr></thead><tbody>
{% for q in questions %}<tr><td>{{ q.name }}</td><td class="n">{{ q.points }}</td><td class="n">{{ q.mean }}</td>
<td class="n">{{ q.passed }} ({{ q.passed_pct }}%)</td><td class="n">{{ q.visible }}</td><td class="n">{{ q.hidden }}</td>
<td class="n">{{ q.ungraded }}</td><td class="n">{{ q.manual }}</td></tr>{% endfor %}</tbody></table>
{% if summary.manual %}<p>{{ summary.manual }} trainees have answers that need manual grading (no score until a tutor
marks them; with an nbgrader course, in formgrader). Their scores here are the automatic part only, and their
grades are left blank in the LMS files.</p>{% endif %}

{% if competencies %}<h2 id="competencies">Competencies evidenced</h2>
<table><caption>Each trainee against each competency the exercise evidences (share of marks; threshold in the header)</caption>
<thead><tr><th scope="col">Trainee</th>{% for c in competencies %}<th scope="col">{{ c.id }} ({{ c.level }}, {{ c.threshold }})</th>{% endfor %}</tr></thead><tbody>
{% for trainee, cells in competency_rows %}<tr><th scope="row">{{ trainee }}</th>
{% for cell in cells %}<td class="{{ 'met' if cell.met else 'unmet' }}">{{ "met" if cell.met else "not met" }} ({{ cell.share }}%)</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<p>Evidenced by {% for c in competencies %}{{ c.id }}: {{ c.met }} of {{ summary.trainees }}{{ "; " if not loop.last else "." }}{% endfor %}</p>{% endif %}

<h2 id="help">Who needs help first</h2>
<p>The lowest shares of marks, with the questions they lost most on.</p>
{{ table(("Trainee", "Score", "Status", "Lost most on", "Feedback"), help_first, numeric=(1,)) }}

<h2 id="submissions">Late, invalid, failed and slow submissions</h2>
{% if late %}{{ table(("Trainee", "Late"), late, "Late submissions") }}{% else %}<p>No late submissions.</p>{% endif %}
{% if failed %}{{ table(("Trainee", "Status", "Reason"), failed, "Submissions not graded in full") }}{% else %}<p>Every submission was graded in full.</p>{% endif %}
{% if problems %}{{ table(("Path", "Problem"), problems, "Found in the submissions but belonging to no trainee") }}{% endif %}
{{ table(("Trainee", "Seconds"), slowest, "Slowest submissions (seconds running the trainee's code and the tests)", (1,)) }}

<h2 id="trainees">Every trainee</h2>
{{ table(("Trainee", "Score", "Status", "Feedback"), everyone, numeric=(1,)) }}
</body></html>
"""


def points(value: float) -> str:
    return f"{value:.4g}"


@dataclass(frozen=True)
class QuestionRow:
    name: str
    """The question as trainees read it (its title), else its test cell's ``grade_id``."""
    label: str
    """A short name for a chart's axis: the title before its colon ("Question 2")."""
    points: str
    mean: str
    passed: int
    passed_pct: str
    visible: int
    hidden: int
    ungraded: int
    manual: int
    shares: tuple[float, float, float]


def _short(name: str, width: int = 24) -> str:
    """A chart's axis label for a question: "Question 2" of "Question 2: the median wait", or the name cut short."""
    if ":" in name:
        return name.split(":")[0]
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def question_rows(results: Sequence[TraineeResult]) -> list[QuestionRow]:
    """Per question: how many passed in full, failed a visible test, failed hidden tests only, went ungraded."""
    names: dict[str, tuple[str, float]] = {}
    for result in results:
        for question in result.questions:
            names.setdefault(question.question, (question.name, question.max_score))
    rows = []
    total = max(len(results), 1)
    for grade_id, (name, max_score) in names.items():
        answers = [q for r in results for q in r.questions if q.question == grade_id]
        graded = [q for q in answers if q.status is Status.GRADED]
        manual = sum(q.needs_manual for q in answers)
        passed = sum(q.score >= q.max_score for q in graded)
        visible = sum(q.score < q.max_score and bool(q.visible_message) for q in graded)
        hidden = sum(
            q.score < q.max_score
            and not q.visible_message
            and any(h.verdict is TestVerdict.FAILED for h in q.hidden)
            for q in graded
        )
        mean = statistics.fmean(q.score for q in answers) if answers else 0.0
        rows.append(
            QuestionRow(
                name=name,
                label=_short(name),
                points=points(max_score),
                mean=f"{mean:.2f}",
                passed=passed,
                passed_pct=f"{100 * passed / total:.0f}",
                visible=visible,
                hidden=hidden,
                ungraded=len(answers) - len(graded) - manual,
                manual=manual,
                shares=(100 * passed / total, 100 * visible / total, 100 * hidden / total),
            )
        )
    return rows


def score_bins(results: Sequence[TraineeResult]) -> list[tuple[str, int]]:
    """Trainees by total score: one bin per point up to 10 points, else ten equal bins of the maximum."""
    top = max((r.max_score for r in results), default=0.0)
    if top <= 10 and float(top).is_integer():
        edges = [float(i) for i in range(int(top) + 1)]
        labels = [points(e) for e in edges]
        counts = [sum(math.floor(r.score) == e for r in results) for e in edges]
        return list(zip(labels, counts, strict=True))
    width = top / 10 if top else 1.0
    bins = []
    for i in range(10):
        low, high = i * width, (i + 1) * width
        last = i == 9
        count = sum(low <= r.score < high or (last and r.score >= high) for r in results)
        bins.append((f"{points(low)}–{points(high)}", count))
    return bins


def feedback_href(trainee: str) -> str:
    return f"feedback/{file_stem(trainee)}.html"


def render_report(
    title: str,
    results: Sequence[TraineeResult],
    *,
    evidence: Sequence[CompetencyEvidence] = (),
    problems: Sequence[CohortProblem] = (),
    late: Mapping[str, str] | None = None,
    seconds: float = 0.0,
) -> str:
    """The report page for one cohort's results (``late`` maps a trainee to how late, in words)."""
    from autograder import charts

    max_score = max((r.max_score for r in results), default=0.0)
    scores = [r.score for r in results]
    statuses: dict[str, int] = {}
    for result in results:
        key = result.status.value.replace("_", " ")
        statuses[key] = statuses.get(key, 0) + 1
    bins = score_bins(results)
    rows = question_rows(results)
    competencies = sorted({(e.competency, e.level, e.threshold) for e in evidence})
    by_pair = {(e.trainee, e.competency): e for e in evidence}
    competency_rows = [
        (
            r.trainee,
            [
                {"met": cell.met, "share": f"{100 * cell.share:.0f}"}
                for c in competencies
                if (cell := by_pair.get((r.trainee, c[0]))) is not None
            ],
        )
        for r in results
    ]

    def score(result: TraineeResult) -> str:
        text = f"{points(result.score)} / {points(result.max_score)}"
        return text + (
            f" ({points(result.manual_points)} need manual grading)" if result.manual_points else ""
        )

    def status(result: TraineeResult) -> str:
        return result.status.value.replace("_", " ")

    def link(result: TraineeResult) -> Markup:
        return Markup('<a href="{}">feedback</a>').format(feedback_href(result.trainee))

    def weakest(result: TraineeResult) -> str:
        marked = [q for q in result.questions if not q.needs_manual]
        lost = sorted(marked, key=lambda q: q.score - q.max_score)
        return ", ".join(q.name for q in lost[:2] if q.score < q.max_score) or "nothing"

    automatic = {r.trainee: r.max_score - r.manual_points for r in results}  # the share of what is marked
    share = {r.trainee: (r.score / automatic[r.trainee] if automatic[r.trainee] else 1.0) for r in results}
    help_first = sorted(
        (r for r in results if share[r.trainee] < 1), key=lambda r: (share[r.trainee], r.trainee)
    )
    slowest = sorted(results, key=lambda r: r.times.execute + r.times.tests, reverse=True)[:SLOWEST]
    mean = statistics.fmean(scores) if scores else 0.0
    median = statistics.median(scores) if scores else 0.0
    score_chart = charts.histogram(
        [count for _, count in bins],
        [label for label, _ in bins],
        alt=f"Bar chart of trainees by total score out of {points(max_score)}: "
        + "; ".join(f"{label}: {count}" for label, count in bins),
        chart_id="scores-chart",
        xlabel="Total score",
        ylabel="Trainees",
    )
    question_chart = charts.stacked_rates(
        [q.label for q in rows],
        [q.shares[0] for q in rows],
        [q.shares[1] for q in rows],
        [q.shares[2] for q in rows],
        alt="Stacked bar chart of each question's outcomes: "
        + "; ".join(
            f"{q.name}: {q.passed} passed, {q.visible} failed a visible test, {q.hidden} failed hidden tests only"
            for q in rows
        ),
        chart_id="questions-chart",
    )
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_finalize)
    return environment.from_string(TEMPLATE).render(
        title=title,
        csp=CONTENT_SECURITY_POLICY,
        style=Markup(STYLE),
        summary={
            "trainees": len(results),
            "mean": f"{mean:.2f}",
            "median": points(median),
            "max_score": points(max_score),
            "statuses": sorted(statuses.items()),
            "seconds": f"{seconds:.1f}",
            "manual": sum(bool(r.manual_points) for r in results),
        },
        score_chart=Markup(score_chart),
        score_bins=bins,
        question_chart=Markup(question_chart),
        questions=rows,
        competencies=[
            {
                "id": c[0],
                "level": c[1],
                "threshold": f"{100 * c[2]:.0f}%",
                "met": sum(e.met for e in evidence if e.competency == c[0]),
            }
            for c in competencies
        ],
        competency_rows=competency_rows,
        help_first=[(r.trainee, score(r), status(r), weakest(r), link(r)) for r in help_first[:HELP_FIRST]],
        late=sorted(
            (late if late is not None else {r.trainee: r.late_text for r in results if r.late_text}).items()
        ),
        failed=[(r.trainee, status(r), r.reason) for r in results if r.status is not Status.GRADED],
        problems=[(p.path, p.message) for p in problems],
        slowest=[(r.trainee, f"{r.times.execute + r.times.tests:.2f}") for r in slowest],
        everyone=[(r.trainee, score(r), status(r), link(r)) for r in results],
    )


def _finalize(value: object) -> object:
    """Every value the template prints loses escape sequences and invisible controls (then autoescape applies)."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return printable(value)


def write_report(
    out: Path,
    title: str,
    results: Sequence[TraineeResult],
    *,
    evidence: Sequence[CompetencyEvidence] = (),
    problems: Sequence[CohortProblem] = (),
    late: Mapping[str, str] | None = None,
    seconds: float = 0.0,
) -> Path:
    """Write ``out/report.html`` atomically and return its path."""
    path = out / "report.html"
    page = render_report(title, results, evidence=evidence, problems=problems, late=late, seconds=seconds)
    write_atomic(path, page)
    return path


def preload_in_background() -> threading.Thread:
    """Start importing the plotting library in a thread, so the report costs little once grading is done."""
    from autograder.charts import preload

    thread = threading.Thread(target=preload, name="report-preload", daemon=True)
    thread.start()
    return thread
