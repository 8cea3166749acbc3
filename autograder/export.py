"""Step 7, export: ``grades.csv`` (a row per trainee and question) and the competency evidence (CSV and JSON)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from autograder.competencies import evidence
from autograder.exercise import ExerciseSpec
from autograder.files import write_atomic
from autograder.models import CompetencyEvidence, TraineeResult
from autograder.safe_text import spreadsheet_cell

GRADE_COLUMNS = (
    "trainee",
    "exercise",
    "question",
    "score",
    "max_score",
    "status",
    "reason",
    "submitted",
    "hours_late",
    "late_penalty",
)
"""``submitted``, ``hours_late`` and ``late_penalty`` are the trainee's (blank without ``--due``), on each of
their rows; ``late_penalty`` is taken once from the trainee's total, as in ``nbgrader export``."""
COMPETENCY_COLUMNS = (
    "trainee",
    "exercise",
    "competency",
    "level",
    "threshold",
    "score",
    "max_score",
    "share",
    "met",
)


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def grades_csv(results: Sequence[TraineeResult]) -> str:
    rows = [
        (
            r.trainee,
            r.exercise,
            q.question,
            "" if q.needs_manual else f"{q.score:g}",  # no score until a person marks it
            f"{q.max_score:g}",
            q.status.value,
            q.reason,
            r.submitted_at,
            f"{r.seconds_late / 3600:.2f}" if r.submitted_at else "",
            f"{r.late_penalty:g}" if r.submitted_at else "",
        )
        for r in results
        for q in r.questions
    ]
    return _csv(GRADE_COLUMNS, rows)


def competencies_csv(rows: Sequence[CompetencyEvidence]) -> str:
    return _csv(
        COMPETENCY_COLUMNS,
        [
            (
                e.trainee,
                e.exercise,
                e.competency,
                e.level,
                f"{e.threshold:g}",
                f"{e.score:g}",
                f"{e.max_score:g}",
                f"{e.share:.4f}",
                "yes" if e.met else "no",
            )
            for e in rows
        ],
    )


def competencies_json(spec: ExerciseSpec, rows: Sequence[CompetencyEvidence]) -> str:
    trainees: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        trainees.setdefault(row.trainee, []).append(
            {
                "competency": row.competency,
                "level": row.level,
                "threshold": row.threshold,
                "share": row.share,
                "met": row.met,
            }
        )
    document = {
        "exercise": spec.id,
        "competencies": [{"id": c.id, "level": c.level, "threshold": c.threshold} for c in spec.competencies],
        "trainees": trainees,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export_all(spec: ExerciseSpec, results: Sequence[TraineeResult], out: Path) -> dict[str, Path]:
    """Write the cohort's files into ``out`` (each atomically) and return where they are."""
    rows = evidence(spec, results)
    files = {
        "grades": out / "grades.csv",
        "competencies_csv": out / "competencies.csv",
        "competencies_json": out / "competencies.json",
    }
    write_atomic(files["grades"], grades_csv(results))
    write_atomic(files["competencies_csv"], competencies_csv(rows))
    write_atomic(files["competencies_json"], competencies_json(spec, rows))
    return files
