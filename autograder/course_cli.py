"""``college grade ASSIGNMENT --course DIR``: the terminal side of :func:`autograder.course_grade.grade_course`."""

from __future__ import annotations

from pathlib import Path

import typer

from autograder.cli import _fail
from autograder.terminal import (
    GradingProgress,
    coloured,
    console,
    escape,
    print_problems,
    print_warnings,
    results_table,
)


def grade_course_command(
    assignment: str,
    course_dir: Path,
    out: Path | None,
    workers: int,
    regrade: bool,
    timeout: float,
    memory: int,
    isolation: str,
    roster: Path | None = None,
    trainees: list[str] | None = None,
    questions: list[str] | None = None,
) -> None:
    """Grade the course's assignment in place and say where everything went."""
    from autograder.course import load_course
    from autograder.course_grade import grade_course
    from autograder.errors import GradingError
    from autograder.sandbox.launcher import SandboxError
    from autograder.sandbox.limits import Limits

    if isolation not in ("auto", "namespaces", "none"):
        raise _fail(f"--isolation: '{isolation}' is not one of auto, namespaces, none")
    progress = GradingProgress(
        lambda kept: f"{escape(progress.name)}: keeping {kept} already graded (--regrade to redo)."
    )

    try:
        from autograder.lms import read_roster

        people = read_roster(roster) if roster is not None else None
        course = load_course(course_dir)
        limits = Limits(cell_timeout=course.cell_timeout or timeout, memory_mb=memory)
        with progress:
            done = grade_course(
                course,
                assignment,
                out=out,
                workers=workers,
                regrade=regrade,
                limits=limits,
                isolation=isolation,  # type: ignore[arg-type]
                on_notebook=progress.notebook,
                on_start=progress.started,
                on_result=progress.finished,
                roster=people,
                trainees=trainees,
                questions=questions,
            )
    except (GradingError, SandboxError) as error:
        raise _fail(str(error)) from None
    except OSError as error:
        raise _fail(f"{error.filename or course_dir}: {error.strerror or error}") from None
    print_warnings(cohort.isolation_warning for cohort in done.notebooks)
    table = results_table(
        f"{escape(course.course_id)} {escape(assignment)}: {len(done.lateness)} students",
        ("Student", *(cohort.out.name for cohort in done.notebooks), "Late", "Penalty"),
    )
    students = sorted({r.trainee for cohort in done.notebooks for r in cohort.results})
    for student in students:
        cells = []
        for cohort in done.notebooks:
            found = [r for r in cohort.results if r.trainee == student]
            if not found:
                cells.append("-")
                continue
            cells.append(coloured(found[0].score_text, found[0].status.value))
        late = done.lateness.get(student)
        late_text = f"{late.seconds_late / 3600:.1f} h" if late and late.seconds_late > 0 else "on time"
        penalty = f"{late.penalty:g}" if late and late.penalty else ""
        table.add_row(escape(student), *cells, late_text, penalty)
    console.print(table)
    print_problems(p for cohort in done.notebooks for p in cohort.problems)
    console.print(
        f"Graded in {done.seconds:.1f} s into the course's gradebook {escape(course.db_url)} "
        f"(assignment {escape(assignment)}).\nFeedback for nbgrader release_feedback: "
        f"{course.root / course.feedback_directory}/<student>/{escape(assignment)}/.\n"
        f"Grades, feedback pages and reports: {done.out}/ (report.html in each notebook's folder).\n"
        f"For the LMS (assignment totals less late penalties): {done.files['moodle']}, {done.files['canvas']}."
    )
    if not done.lateness:
        raise typer.Exit(1)
