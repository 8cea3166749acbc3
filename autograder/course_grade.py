"""Grade one assignment of an nbgrader course in place: the library behind ``college grade ASSIGNMENT --course DIR``.

Each notebook of ``source/ASSIGNMENT/`` is graded as a cohort of its own (the same pipeline as ``college grade``)
into the course's own gradebook, under the assignment's real name and the course's students. Then, as nbgrader's
autograde does, each submission gets its time from ``timestamp.txt`` and each notebook its late-submission
penalty from the course's configured plugin, and the feedback goes where ``nbgrader release_feedback`` looks for
it: ``feedback/<student>/ASSIGNMENT/<notebook>.html`` with the submission's ``timestamp.txt`` (and
``submission_secret.txt`` when the submission has one).
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from autograder.autograded import write_autograded
from autograder.cohort import CohortResult, apply_lateness, grade_cohort
from autograder.course import Course, submission_timestamp
from autograder.exercise import ExerciseSpec, build_spec
from autograder.export import export_all
from autograder.lateness import Lateness, late_text, write_lateness
from autograder.lms import LmsGrade, Person, lms_grade, write_lms_exports
from autograder.models import TraineeResult
from autograder.names import file_stem
from autograder.record import GradebookWriter
from autograder.regrade import check_questions
from autograder.report import write_report
from autograder.sandbox.launcher import IsolationRequest
from autograder.sandbox.limits import Limits
from autograder.store import ResultStore


@dataclass(frozen=True)
class CourseResult:
    course: Course
    assignment: str
    out: Path
    notebooks: tuple[CohortResult, ...]
    """One cohort result per notebook of the assignment, in name order."""
    lateness: dict[str, Lateness]
    feedback: dict[str, Path]
    """Each student's feedback folder inside the course."""
    files: dict[str, Path]
    """The assignment's LMS grade files (``moodle``, ``canvas``)."""
    unmatched: tuple[str, ...]
    """Students left out of the LMS files (not in the roster)."""
    seconds: float


def assignment_specs(course: Course, assignment: str, limits: Limits) -> tuple[ExerciseSpec, ...]:
    """Every notebook of the assignment as a spec, read with the course's delimiters."""
    return tuple(
        build_spec(
            exercise_id=assignment,
            title=f"{course.course_id or course.root.name}: {assignment} ({notebook.stem})",
            notebook=notebook,
            data_files=(),
            competencies=(),
            limits=limits,
            delimiters=course.delimiters,
        )
        for notebook in course.notebooks(assignment)
    )


def grade_course(
    course: Course,
    assignment: str,
    *,
    out: Path | None = None,
    workers: int = 2,
    regrade: bool = False,
    limits: Limits | None = None,
    isolation: IsolationRequest = "auto",
    on_notebook: Callable[[str], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[TraineeResult], None] | None = None,
    roster: Mapping[str, Person] | None = None,
    trainees: Collection[str] | None = None,
    questions: Collection[str] | None = None,
) -> CourseResult:
    """Grade every notebook of ``assignment``; outputs go in ``out`` (default ``DIR/college/ASSIGNMENT``)."""
    began = time.perf_counter()
    limits = limits or Limits()
    out = (out or course.root / "college" / assignment).resolve()
    specs = assignment_specs(course, assignment, limits)
    if questions is not None:
        check_questions(specs, questions, "--question")
    writer = GradebookWriter(course.db_url, keep_course_cells=True)
    try:  # every notebook exists before any submission is made, so each submission holds all of them
        for spec in specs:
            writer.ensure_exercise(spec)
    finally:
        writer.close()
    cohorts: list[CohortResult] = []
    for spec in specs:
        if on_notebook is not None:
            on_notebook(spec.notebook_name)
        cohorts.append(
            grade_cohort(
                spec,
                course.submitted,
                out=out / Path(spec.notebook_name).stem,
                gradebook_url=course.db_url,
                workers=workers,
                regrade=regrade,
                limits=limits,
                isolation=isolation,
                on_start=on_start,
                on_result=on_result,
                keep_course_cells=True,
                roster=roster,
                trainees=trainees,
                questions=questions,
            )
        )
    students = sorted({result.trainee for cohort in cohorts for result in cohort.results})
    lateness = record_lateness(course, assignment, students)
    for number, (spec, cohort) in enumerate(zip(specs, cohorts, strict=True)):  # every output says how late
        results = apply_lateness(
            spec, cohort.results, lateness, ResultStore(cohort.out / "results"), cohort.out / "feedback"
        )
        export_all(spec, results, cohort.out)
        write_lms_exports(cohort.out, spec.title, spec.max_score, [lms_grade(r) for r in results], roster)
        cohorts[number] = replace(cohort, results=results)
    feedback = place_feedback(course, assignment, cohorts)
    write_autograded(course, assignment, specs, cohorts)  # formgrader's copy, for the answers marked by hand
    late = {s: late_text(entry) for s, entry in lateness.items() if entry.seconds_late > 0}
    for spec, cohort in zip(specs, cohorts, strict=True):  # the reports again, now that lateness is known
        write_report(
            cohort.out,
            spec.title,
            cohort.results,
            problems=cohort.problems,
            late=late,
            seconds=cohort.seconds,
        )
    files, unmatched = write_lms_exports(
        out, assignment, sum(spec.max_score for spec in specs), assignment_grades(cohorts), roster
    )
    return CourseResult(
        course=course,
        assignment=assignment,
        out=out,
        notebooks=tuple(cohorts),
        lateness=lateness,
        feedback=feedback,
        files=files,
        unmatched=tuple(unmatched),
        seconds=time.perf_counter() - began,
    )


def assignment_grades(cohorts: Sequence[CohortResult]) -> list[LmsGrade]:
    """Each student's assignment total (every notebook, each less its late penalty); blank if any notebook was
    not a valid submission or has answers still to be marked by hand."""
    students = sorted({result.trainee for cohort in cohorts for result in cohort.results})
    grades = []
    for student in students:
        parts = [lms_grade(r) for cohort in cohorts for r in cohort.results if r.trainee == student]
        if any(part.score is None for part in parts):
            grades.append(LmsGrade(student, None))
            continue
        grades.append(LmsGrade(student, sum(part.score or 0.0 for part in parts)))
    return grades


def record_lateness(course: Course, assignment: str, students: list[str]) -> dict[str, Lateness]:
    """Each student's ``timestamp.txt`` and nbgrader's late penalty under the course's own configuration, into
    the course's gradebook (against the due date its gradebook holds)."""
    stamps = {s: submission_timestamp(course.submitted / s / assignment) for s in students}
    return write_lateness(course.db_url, assignment, stamps, course.config)


def place_feedback(course: Course, assignment: str, cohorts: list[CohortResult]) -> dict[str, Path]:
    """Copy each student's feedback page per notebook to ``feedback/<student>/ASSIGNMENT/<notebook>.html``."""
    placed: dict[str, Path] = {}
    for cohort in cohorts:
        notebook = cohort.out.name
        for result in cohort.results:
            page = cohort.out / "feedback" / f"{file_stem(result.trainee)}.html"
            submitted = course.submitted / result.trainee / assignment
            if not page.is_file() or not submitted.is_dir() or result.trainee != file_stem(result.trainee):
                continue  # a trainee id unsafe as a folder name keeps its page in the output folder only
            target = course.feedback(result.trainee, assignment)
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target / f"{notebook}.html")
            for name in ("timestamp.txt", "submission_secret.txt"):
                source = submitted / name
                if source.is_file() and not source.is_symlink():
                    shutil.copyfile(source, target / name)
            if not (target / "timestamp.txt").exists():  # release_feedback reads one; say when it was graded
                stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
                (target / "timestamp.txt").write_text(stamp, encoding="utf-8")
            placed[result.trainee] = target
    return placed
