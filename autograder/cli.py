"""The tutor's and trainee's commands: ``college grade``, ``college exercise build`` and ``college exercise check``.

A thin layer over :func:`autograder.grade_cohort`, :func:`autograder.build_release` and
:func:`autograder.check_notebook`: it parses options, shows progress and tables, and turns errors into messages
that name the file at fault.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from autograder.imports import fast_start
from autograder.terminal import (
    GradingProgress,
    coloured,
    console,
    errors,
    escape,
    print_problems,
    print_warnings,
    results_table,
)

if TYPE_CHECKING:
    from college.curriculum import Exercise


exercise_app = typer.Typer(
    help="Build exercises for download, and check your own answers.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _fail(message: str) -> typer.Exit:
    errors.print(f"[red]{escape(message)}[/]")
    return typer.Exit(1)


GRADE_EXTRA = "pip install 'nhs-open-college[grade]'"


def _require_tutor_tools(command: str) -> None:
    """Stop in one line if the tutor's tools (the ``[grade]`` extra: nbgrader and the gradebook) are missing."""
    import importlib.util

    missing = [
        name for name in ("nbgrader", "sqlalchemy", "mistune") if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise _fail(
            f"`college {command}` needs the tutor's tools ({', '.join(missing)} missing): {GRADE_EXTRA}"
        )


def _load_exercise(reference: str, root: Path) -> Exercise:
    from college.curriculum import CurriculumError, load_exercise

    folder = Path(reference)
    if not (folder / "exercise.yml").is_file():
        folder = root / "exercises" / reference
    if not (folder / "exercise.yml").is_file():
        raise _fail(f"{folder / 'exercise.yml'}: no such exercise (give an id from exercises/ or a folder)")
    try:
        return load_exercise(folder)
    except CurriculumError as error:
        raise _fail(f"The exercise has errors:\n{error}") from None


@exercise_app.command("build")
def build(
    exercise_id: str = typer.Argument(None, help="The exercise's id; all exercises when left out."),
    out: Path = typer.Option(Path("build/exercises"), "--out", help="Folder for the ZIP files."),
    data: Path = typer.Option(None, "--data", help="Folder holding the synthetic data [default: ROOT/data]."),
    root: Path = typer.Option(Path("."), "--root", help="The repository root."),
) -> None:
    """Make each exercise's student version with nbgrader and package it with its data as a ZIP."""
    _require_tutor_tools("exercise build")
    fast_start()
    from autograder.errors import GradingError
    from autograder.release import build_release

    if exercise_id:
        exercises = [_load_exercise(exercise_id, root)]
    else:
        folders = sorted(p for p in (root / "exercises").glob("*/exercise.yml"))
        exercises = [_load_exercise(str(p.parent), root) for p in folders]
    if not exercises:
        console.print("No exercises found in exercises/.")
        return
    for exercise in exercises:
        try:
            path = build_release(exercise, out, data or root / "data")
        except GradingError as error:
            raise _fail(str(error)) from None
        console.print(f"Built {path}")


@exercise_app.command("check")
def check(
    notebook: Path = typer.Argument(..., help="Your notebook (with its data/ folder beside it)."),
    timeout: float = typer.Option(300.0, "--timeout", help="Seconds the whole notebook may run."),
) -> None:
    """Run your notebook and its visible checks, and show which questions pass. Writes nothing.

    Formative, like ``check("q1")`` in the notebook: it runs in your own Python, so it needs neither the tutor's
    tools nor Linux. Grading adds hidden checks; their number is shown, never their content."""
    from college.selfcheck.runner import RECORD_ON_PATHWAY
    from college.selfcheck.whole import NotebookError, check_whole_notebook

    try:
        result = check_whole_notebook(notebook, timeout=timeout)
    except NotebookError as error:
        raise _fail(str(error)) from None
    table = results_table(
        f"Visible checks in {notebook.name}", ("Question", "Points", "Result", "What to look at")
    )
    for report in result.questions:
        verdict = "[green]passed[/]" if report.passed else "[red]not yet[/]"
        look = [
            *result.causes.get(report.question.id, ()),
            *(check.message for check in report.failed_checks),
        ]
        if report.problem:
            look.append(report.problem)
        table.add_row(
            escape(f"{report.question.title} ({report.question.id})"),
            f"{report.question.points:g}",
            verdict,
            escape("; ".join(look)),
        )
    console.print(table)
    for cell_error in result.cell_errors:
        console.print(f"[yellow]A cell raised an error:[/] {escape(cell_error)}", soft_wrap=True)
    if result.stopped:
        console.print(f"[red]The run stopped early:[/] {escape(result.stopped)}", soft_wrap=True)
    passed = sum(report.passed for report in result.questions)
    hidden = sum(report.question.hidden_checks for report in result.questions)
    console.print(
        f"{passed} of {len(result.questions)} questions pass their visible checks. No grade was recorded.",
        soft_wrap=True,
    )
    if hidden:
        console.print(
            f"Your tutor's grading adds {hidden} hidden check{'s' if hidden != 1 else ''}; "
            "passing the visible ones is a good sign, not a guarantee.",
            soft_wrap=True,
        )
    if not result.all_passed:
        raise typer.Exit(1)
    console.print(RECORD_ON_PATHWAY, soft_wrap=True)


def grade(
    exercise: str = typer.Argument(
        ..., help="The exercise's id (a folder in exercises/) or its folder; with --course, the assignment."
    ),
    submissions: Path = typer.Argument(
        None, help="Folder in nbgrader's layout <trainee>/<exercise>/, or a ZIP (not with --course)."
    ),
    out: Path = typer.Option(None, "--out", help="Output folder [default: build/grades/<exercise>]."),
    gradebook: str = typer.Option(
        None, "--gradebook", help="Database URL [default: sqlite:///OUT/gradebook.db]."
    ),
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="Submissions graded at once."),
    regrade: bool = typer.Option(False, "--regrade", help="Grade again trainees already graded in OUT."),
    data: Path = typer.Option(None, "--data", help="Folder holding the synthetic data [default: ROOT/data]."),
    root: Path = typer.Option(Path("."), "--root", help="The repository root."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds one cell may run."),
    memory: int = typer.Option(1024, "--memory", help="Megabytes of memory a submission may use."),
    isolation: str = typer.Option("auto", "--isolation", help="auto, namespaces (required) or none."),
    scheduler: str = typer.Option(
        None,
        "--scheduler",
        help="Grade on this Dask distributed cluster (tcp://HOST:PORT; needs the [scale] extra) "
        "instead of local workers.",
    ),
    course: Path = typer.Option(
        None, "--course", help="An nbgrader course folder: grade its assignment in place, into its gradebook."
    ),
    roster: Path = typer.Option(
        None, "--roster", help="CSV mapping trainee ids to Moodle/Canvas identities (trainee, email, ...)."
    ),
    trainee: list[str] = typer.Option(
        None,
        "--trainee",
        help="Regrade only this trainee (repeat for more); the others are kept as they are.",
    ),
    due: str = typer.Option(
        None,
        "--due",
        help="The due date (2026-12-01T17:00, UTC unless a zone is given): a submission whose nbgrader "
        "timestamp.txt is later is late (not with --course: the course's gradebook has its due date).",
    ),
    late_penalty: str = typer.Option(
        "none", "--late-penalty", help="nbgrader's late penalty method with --due: none, or zero (score 0)."
    ),
    question: list[str] = typer.Option(
        None,
        "--question",
        help="Regrade only this question (a test cell's grade_id; repeat for more), of every trainee or of "
        "--trainee; every other question's result is kept as recorded.",
    ),
) -> None:
    """Grade a cohort: gradebook, grades.csv, feedback pages and competency evidence, safely and in parallel."""
    _require_tutor_tools("grade")
    fast_start()
    if course is not None:
        from autograder.course_cli import grade_course_command

        if submissions is not None:
            raise _fail("--course grades the course's submitted/ folder: give no submissions folder")
        if due is not None or late_penalty != "none":
            raise _fail(
                "--due and --late-penalty are the course's own (its gradebook and nbgrader_config.py)"
            )
        grade_course_command(
            exercise,
            course,
            out,
            workers,
            regrade,
            timeout,
            memory,
            isolation,
            roster,
            trainee or None,
            question or None,
        )
        return
    if submissions is None:
        raise _fail("Give the submissions folder or ZIP (or --course DIR for an nbgrader course).")
    from autograder.cohort import grade_cohort
    from autograder.errors import GradingError
    from autograder.sandbox.launcher import SandboxError
    from autograder.sandbox.limits import Limits

    if isolation not in ("auto", "namespaces", "none"):
        raise _fail(f"--isolation: '{isolation}' is not one of auto, namespaces, none")
    if late_penalty not in ("none", "zero"):
        raise _fail(f"--late-penalty: '{late_penalty}' is not one of none, zero (nbgrader's methods)")
    due_date = None
    if due is not None:
        from autograder.lateness import parse_due

        try:
            due_date = parse_due(due)
        except ValueError as error:
            raise _fail(f"--due: {error}") from None
    chosen = _load_exercise(exercise, root)
    out = out or Path("build/grades") / chosen.id
    limits = Limits(cell_timeout=timeout, memory_mb=memory)
    progress = GradingProgress(
        lambda kept: f"Keeping {kept} trainees already graded in {out} (use --regrade to redo them)."
    )
    try:
        people = None
        if roster is not None:
            from autograder.lms import read_roster

            people = read_roster(roster)
        with progress:
            cohort = grade_cohort(
                chosen,
                submissions,
                out=out,
                data_dir=data or root / "data",
                gradebook_url=gradebook,
                workers=workers,
                regrade=regrade,
                limits=limits,
                isolation=isolation,
                on_start=progress.started,
                on_result=progress.finished,
                scheduler=scheduler,
                roster=people,
                trainees=trainee or None,
                questions=question or None,
                due=due_date,
                late_penalty=late_penalty,
            )
    except (GradingError, SandboxError) as error:
        raise _fail(str(error)) from None
    except OSError as error:  # an output folder that cannot be written, say
        raise _fail(f"{error.filename or out}: {error.strerror or error}") from None
    print_warnings([cohort.isolation_warning])
    table = results_table(
        f"{chosen.title}: {len(cohort.results)} trainees", ("Trainee", "Score", "Status", "Reason")
    )
    for result in cohort.results:
        status = result.status.value
        table.add_row(
            escape(result.trainee), escape(result.score_text), coloured(status, status), escape(result.reason)
        )
    console.print(table)
    print_problems(cohort.problems)
    console.print(
        f"Graded {len(cohort.graded)}, kept {len(cohort.resumed)}, in {cohort.seconds:.1f} s. Isolation: "
        f"{escape(cohort.isolation)}.\nWrote {out / 'grades.csv'}, {out / 'competencies.csv'}, "
        f"{out / 'competencies.json'}, {out / 'feedback'}/ and the gradebook {escape(cohort.gradebook_url)}.\n"
        f"Report: {out / 'report.html'}. For the LMS: {out / 'moodle-grades.csv'}, {out / 'canvas-grades.csv'}."
    )
