"""``college grade ASSIGNMENT --course DIR``: the terminal side of :func:`autograder.course_grade.grade_course`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from autograder.cli import STATUS_COLOURS, _fail, console, errors, escape


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
    from autograder.models import TraineeResult
    from autograder.sandbox.launcher import SandboxError
    from autograder.sandbox.limits import Limits

    if isolation not in ("auto", "namespaces", "none"):
        raise _fail(f"--isolation: '{isolation}' is not one of auto, namespaces, none")
    progress = Progress(
        TextColumn("[bold]Grading[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
    )
    task = progress.add_task("", total=None)
    notebook = [""]

    def on_notebook(name: str) -> None:
        notebook[0] = name
        progress.reset(task, total=None, description=escape(name))

    def started(to_grade: int, kept: int) -> None:
        progress.update(task, total=to_grade)
        if kept:
            progress.console.print(
                f"{escape(notebook[0])}: keeping {kept} already graded (--regrade to redo)."
            )

    def finished(result: TraineeResult) -> None:
        progress.update(task, advance=1, description=f"{escape(notebook[0])} {escape(result.trainee)}")

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
                on_notebook=on_notebook,
                on_start=started,
                on_result=finished,
                roster=people,
                trainees=trainees,
                questions=questions,
            )
    except (GradingError, SandboxError) as error:
        raise _fail(str(error)) from None
    except OSError as error:
        raise _fail(f"{error.filename or course_dir}: {error.strerror or error}") from None
    warnings = {cohort.isolation_warning for cohort in done.notebooks if cohort.isolation_warning}
    for warning in sorted(warnings):
        errors.print(f"[bold red]{escape(warning)}[/]")
    table = Table(title=f"{escape(course.course_id)} {escape(assignment)}: {len(done.lateness)} students")
    for column in ("Student", *(cohort.out.name for cohort in done.notebooks), "Late", "Penalty"):
        table.add_column(escape(column), overflow="fold")
    students = sorted({r.trainee for cohort in done.notebooks for r in cohort.results})
    for student in students:
        cells = []
        for cohort in done.notebooks:
            found = [r for r in cohort.results if r.trainee == student]
            if not found:
                cells.append("-")
                continue
            result = found[0]
            colour = STATUS_COLOURS.get(result.status.value, "white")
            cells.append(f"[{colour}]{escape(result.score_text)}[/]")
        late = done.lateness.get(student)
        late_text = f"{late.seconds_late / 3600:.1f} h" if late and late.seconds_late > 0 else "on time"
        penalty = f"{late.penalty:g}" if late and late.penalty else ""
        table.add_row(escape(student), *cells, late_text, penalty)
    console.print(table)
    problems = {(p.path, p.message): None for cohort in done.notebooks for p in cohort.problems}
    for path, message in problems:  # the same folder is read once per notebook: say each problem once
        console.print(f"[yellow]{escape(path)}[/]: {escape(message)}")
    console.print(
        f"Graded in {done.seconds:.1f} s into the course's gradebook {escape(course.db_url)} "
        f"(assignment {escape(assignment)}).\nFeedback for nbgrader release_feedback: "
        f"{course.root / course.feedback_directory}/<student>/{escape(assignment)}/.\n"
        f"Grades, feedback pages and reports: {done.out}/ (report.html in each notebook's folder).\n"
        f"For the LMS (assignment totals less late penalties): {done.files['moodle']}, {done.files['canvas']}."
    )
    if not done.lateness:
        raise typer.Exit(1)
