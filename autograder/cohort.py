"""Grade a whole cohort in one call: the library behind ``college grade``.

collect -> (resume: skip trainees already done) -> grade in parallel workers (validate, execute, score, feedback)
-> for each trainee as soon as known: feedback page, gradebook transaction, result file -> export the CSV and JSON.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.bundle import write_feedback_bundles
from autograder.collect import Collected, Submission, collect
from autograder.competencies import evidence
from autograder.course import submission_timestamp
from autograder.errors import ExerciseError, GradingError
from autograder.exercise import ExerciseSpec, spec_from_exercise
from autograder.export import export_all
from autograder.files import sha256_of_file, write_atomic
from autograder.lateness import Lateness, penalty_config, write_lateness
from autograder.lms import Person, lms_grade, write_lms_exports
from autograder.lms_layout import from_lms_download
from autograder.models import CohortProblem, StageTimes, TraineeResult
from autograder.names import file_stem
from autograder.pool import GradingPool, Pool
from autograder.regrade import check_questions, merge_questions, question_ids
from autograder.report import preload_in_background, write_report
from autograder.sandbox.launcher import WEAK_ISOLATION_WARNING, IsolationRequest
from autograder.sandbox.limits import Limits
from autograder.scratch import ScratchFolder
from autograder.store import ResultStore
from autograder.worker_setup import GraderSetup, SandboxSetup

if TYPE_CHECKING:
    from autograder.record import GradebookWriter
    from college.curriculum import Exercise


@dataclass(frozen=True)
class CohortResult:
    """What a cohort's grading produced."""

    exercise: str
    out: Path
    gradebook_url: str
    results: tuple[TraineeResult, ...]
    """Every trainee's result, in trainee order (including those kept from an earlier, interrupted run)."""
    graded: tuple[str, ...]
    """Trainees graded in this run."""
    resumed: tuple[str, ...]
    """Trainees whose earlier result was kept."""
    problems: tuple[CohortProblem, ...]
    isolation: str
    isolation_warning: str | None
    files: dict[str, Path]
    seconds: float

    def result(self, trainee: str) -> TraineeResult:
        return next(result for result in self.results if result.trainee == trainee)


def _sha256(path: Path | None, limit: int) -> str:
    if path is None or path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
        return ""
    return sha256_of_file(path)


def _still_valid(
    stored: TraineeResult | None, spec: ExerciseSpec, submission: Submission, limit: int
) -> bool:
    return (
        stored is not None
        and stored.exercise_fingerprint == spec.fingerprint
        and stored.submission_file == submission.relative
        and stored.submission_sha256 == _sha256(submission.notebook, limit)
    )


def grade_cohort(
    exercise: Exercise | ExerciseSpec,
    submissions: Path,
    *,
    out: Path,
    data_dir: Path | None = None,
    gradebook_url: str | None = None,
    workers: int = 2,
    regrade: bool = False,
    limits: Limits | None = None,
    isolation: IsolationRequest = "auto",
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[TraineeResult], None] | None = None,
    scheduler: str | None = None,
    keep_course_cells: bool = False,
    roster: Mapping[str, Person] | None = None,
    trainees: Collection[str] | None = None,
    questions: Collection[str] | None = None,
    due: dt.datetime | None = None,
    late_penalty: str = "none",
) -> CohortResult:
    """Grade every submission of one exercise; see the module docstring for the steps.

    ``exercise`` is the curriculum's exercise (its data files are looked up in ``data_dir``) or a ready
    :class:`ExerciseSpec`. ``on_start(to_grade, kept)`` and ``on_result(result)`` report progress. With
    ``scheduler`` (``tcp://host:port``) submissions are graded on that Dask cluster instead of local workers
    (``workers`` is then the cluster's business); results are still recorded here, one trainee at a time.
    ``roster`` maps trainee ids to LMS identities for ``moodle-grades.csv`` and ``canvas-grades.csv``.
    ``trainees`` regrades only those trainees, keeping everyone else's stored result as it is. ``questions``
    (grade ids) regrades only those questions (of every trainee, or of ``trainees``), keeping every other
    question's recorded result (:mod:`autograder.regrade`); grade ids of another notebook are ignored here.
    ``due`` (naive UTC) marks submissions whose nbgrader ``timestamp.txt`` is later as late, with nbgrader's
    ``late_penalty`` method (``none`` or ``zero``), in the gradebook and every output (:mod:`autograder.lateness`).
    ``keep_course_cells`` leaves the cells an nbgrader course's gradebook already holds as nbgrader wrote them.
    """
    began = time.perf_counter()
    limits = limits or Limits()
    submissions, out = submissions.resolve(), out.resolve()  # paths are absolute from here on
    data_dir = data_dir.resolve() if data_dir is not None else None
    if isinstance(exercise, ExerciseSpec):
        spec: ExerciseSpec | None = exercise
        exercise_id, notebook_name, data_files = exercise.id, exercise.notebook_name, exercise.data_files
    else:
        if data_dir is None:
            raise GradingError("--data", "a data folder is needed to grade a curriculum exercise")
        spec = None  # parsed while the workers start
        exercise_id, notebook_name = exercise.id, Path(exercise.notebook).name
        data_files = tuple((data_dir / name).resolve() for name in exercise.data)
        for data_file in data_files:  # checked again with the exercise; said first, as before collection
            if not data_file.is_file():
                raise ExerciseError(data_file, f"data file for exercise '{exercise_id}' not found")
    url = gradebook_url or f"sqlite:///{(out / 'gradebook.db').resolve()}"
    feedback = out / "feedback"
    pool: Pool | None = None
    try:
        with ScratchFolder("college-submissions-") as scratch:
            laid_out = from_lms_download(
                submissions, exercise_id, Path(scratch), limits.notebook_mb * 1_000_000, roster
            )  # a Moodle or Canvas download, rearranged in nbgrader's layout; anything else as it is
            collected = collect(
                laid_out.folder, exercise_id, notebook_name, Path(scratch), limits.notebook_mb * 1_000_000
            )
            collected = replace(collected, problems=laid_out.problems + collected.problems)
            stamps = {  # read now: a ZIP's folder is gone after grading
                s.trainee: submission_timestamp(s.notebook.parent) if s.notebook is not None else None
                for s in collected.submissions
            }
            expected = _likely_to_grade(
                collected, out / "results", trainees, regrade or questions is not None
            )
            if scheduler is None and expected:  # the workers and their sandboxes start now, in parallel
                pool = GradingPool(SandboxSetup(limits, data_files, isolation), min(workers, expected))
            if spec is None:
                assert data_dir is not None and not isinstance(exercise, ExerciseSpec)
                spec = spec_from_exercise(exercise, data_dir, limits)
            if questions is not None and not keep_course_cells:  # a course checks them across its notebooks
                check_questions([spec], questions, "--question")
            out.mkdir(parents=True, exist_ok=True)
            store = ResultStore(out / "results")
            wanted = None if questions is None else set(questions) & set(question_ids(spec))
            if questions is not None and trainees is None:
                trainees = [s.trainee for s in collected.submissions] if wanted else []
            if questions is not None and not wanted:
                results, to_grade = only_these(collected, store, [])  # none of this notebook's questions
            elif trainees is not None:
                results, to_grade = only_these(collected, store, trainees)
            else:
                results, to_grade = _already_graded(spec, collected, store, limits, regrade)
            resumed = list(results)
            pool = _ready_pool(
                pool, GraderSetup(spec, limits, isolation), min(workers, len(to_grade)), scheduler
            )
            if isinstance(pool, GradingPool):
                pool.start(to_grade)  # the workers grade while the gradebook opens
            preload_in_background()
            from autograder.record import (
                GradebookWriter,  # SQLAlchemy and nbgrader.api: after the workers start
            )

            gradebook = GradebookWriter(url, keep_course_cells=keep_course_cells)
            try:
                gradebook.ensure_exercise(spec)
                for trainee, stored in results.items():
                    if not gradebook.has_submission(spec.id, trainee):
                        gradebook.record(stored)  # e.g. the same results pointed at a new gradebook
                if on_start is not None:
                    on_start(len(to_grade), len(resumed))
                graded, isolation_text, weak = _grade_all(
                    pool, to_grade, results, store, gradebook, feedback, on_result, wanted, spec.title
                )
            finally:
                gradebook.close()
            if isinstance(pool, GradingPool):
                pool.release()  # the workers end while the exports are written
        ordered = tuple(results[s.trainee] for s in collected.submissions if s.trainee in results)
        if due is not None or any(result.submitted_at for result in ordered):  # without --due, none is late
            ordered = _mark_late(spec, ordered, stamps, url, due, late_penalty, store, feedback)
        files = export_all(spec, ordered, out)
        lms_files, unmatched = write_lms_exports(
            out, spec.title, spec.max_score, [lms_grade(result) for result in ordered], roster
        )
        files.update(lms_files)
        files.update(
            write_feedback_bundles(out, spec.id, spec.notebook_name, ordered, laid_out.lms, laid_out.origins)
        )
        problems = collected.problems + tuple(
            CohortProblem(
                path=trainee, message="not in the roster: left out of moodle-grades.csv and canvas-grades.csv"
            )
            for trainee in unmatched
        )
        files["report"] = write_report(
            out,
            spec.title,
            ordered,
            evidence=evidence(spec, ordered),
            problems=problems,
            seconds=time.perf_counter() - began,
        )
    finally:
        if pool is not None:
            pool.close()
    return CohortResult(
        exercise=spec.id,
        out=out,
        gradebook_url=url,
        results=ordered,
        graded=tuple(graded),
        resumed=tuple(resumed),
        problems=problems,
        isolation=isolation_text,
        isolation_warning=WEAK_ISOLATION_WARNING if weak else None,
        files=files,
        seconds=time.perf_counter() - began,
    )


def _mark_late(
    spec: ExerciseSpec,
    results: tuple[TraineeResult, ...],
    stamps: Mapping[str, dt.datetime | None],
    url: str,
    due: dt.datetime | None,
    method: str,
    store: ResultStore,
    feedback: Path,
) -> tuple[TraineeResult, ...]:
    """Each result with its submission time, lateness and nbgrader's penalty (also written to the gradebook);
    a late trainee's feedback page is written again to say so."""
    wanted = {r.trainee: stamps.get(r.trainee) for r in results}
    found = write_lateness(url, spec.id, wanted, penalty_config(method), due) if due is not None else {}
    return apply_lateness(spec, results, found, store, feedback)


def apply_lateness(
    spec: ExerciseSpec,
    results: tuple[TraineeResult, ...],
    found: Mapping[str, Lateness],
    store: ResultStore,
    feedback: Path,
) -> tuple[TraineeResult, ...]:
    """Each result with its trainee's lateness and this notebook's penalty (none for a trainee not in
    ``found``); a result that changes is stored again and its feedback page rewritten to say so."""
    notebook = Path(spec.notebook_name).stem
    marked = []
    for result in results:
        entry = found.get(result.trainee)
        update = {
            "submitted_at": entry.timestamp if entry else "",
            "seconds_late": entry.seconds_late if entry else 0.0,
            "late_penalty": entry.penalty_of(notebook) if entry else 0.0,
        }
        if any(getattr(result, key) != value for key, value in update.items()):
            from autograder.feedback import render_feedback  # only when a page must be written again

            result = result.model_copy(update=update)
            store.save(result)
            write_atomic(feedback / f"{file_stem(result.trainee)}.html", render_feedback(result, spec.title))
        marked.append(result)
    return tuple(marked)


def _likely_to_grade(
    collected: Collected, results: Path, trainees: Collection[str] | None, regrade: bool
) -> int:
    """How many submissions will probably be graded, before the exercise is parsed (an estimate: a stored
    result may turn out out of date), so that as many workers as needed start straight away."""
    if trainees is not None:
        return sum(submission.trainee in trainees for submission in collected.submissions)
    if regrade or not results.is_dir():
        return len(collected.submissions)
    stored = {path.name for path in results.iterdir()}
    return sum(f"{file_stem(s.trainee)}.json" not in stored for s in collected.submissions)


def _ready_pool(pool: Pool | None, setup: GraderSetup, workers: int, scheduler: str | None) -> Pool | None:
    """The pool that grades: the one already starting (given the exercise, with as many workers as there are
    submissions to grade, up to ``workers``), else a new one; None when nothing is to be graded."""
    if workers == 0:
        if pool is not None:
            pool.close()
        return None
    if not isinstance(pool, GradingPool):
        return _start_pool(setup, workers, scheduler)
    pool.resize(workers)
    pool.configure(setup)
    return pool


def _start_pool(setup: GraderSetup, workers: int, scheduler: str | None) -> Pool | None:
    if workers == 0:
        return None
    if scheduler is None:
        return GradingPool(setup, workers)
    try:
        from autograder.cluster import DaskGradingPool
    except ImportError as error:
        raise GradingError(
            "--scheduler", f"Dask is not installed ({error}): pip install 'nhs-open-college[scale]'"
        ) from None
    return DaskGradingPool(setup, scheduler)


def only_these(
    collected: Collected, store: ResultStore, trainees: Collection[str]
) -> tuple[dict[str, TraineeResult], list[Submission]]:
    """Regrade just ``trainees`` (whatever is stored for them); everyone else keeps the result stored, if any."""
    found = {submission.trainee for submission in collected.submissions}
    unknown = sorted(set(trainees) - found)
    if unknown:
        raise GradingError(collected.root, f"no submission from {', '.join(unknown)} (--trainee)")
    kept: dict[str, TraineeResult] = {}
    to_grade: list[Submission] = []
    for submission in collected.submissions:
        if submission.trainee in trainees:
            to_grade.append(submission)
        elif (stored := store.load(submission.trainee)) is not None:
            kept[submission.trainee] = stored
    return kept, to_grade


def _already_graded(
    spec: ExerciseSpec, collected: Collected, store: ResultStore, limits: Limits, regrade: bool
) -> tuple[dict[str, TraineeResult], list[Submission]]:
    """Results kept from an earlier run (same exercise version, same file), and the submissions still to grade."""
    size_limit = limits.notebook_mb * 1_000_000
    kept: dict[str, TraineeResult] = {}
    to_grade: list[Submission] = []
    for submission in collected.submissions:
        stored = None if regrade else store.load(submission.trainee)
        if stored is not None and _still_valid(stored, spec, submission, size_limit):
            kept[submission.trainee] = stored
        else:
            to_grade.append(submission)
    return kept, to_grade


def _grade_all(
    pool: Pool | None,
    to_grade: list[Submission],
    results: dict[str, TraineeResult],
    store: ResultStore,
    gradebook: GradebookWriter,
    feedback: Path,
    on_result: Callable[[TraineeResult], None] | None,
    questions: Collection[str] | None = None,
    title: str = "",
) -> tuple[list[str], str, bool]:
    """Grade, and for each trainee as soon as known: feedback page, gradebook transaction, then result file.
    With ``questions``, only those questions' results are taken from this run (and written to the gradebook)."""
    if pool is None:
        return [], "not needed: every trainee was already graded", False
    graded: list[str] = []
    for item in pool.grade(to_grade):
        started = time.perf_counter()
        result, page, only = item.result, item.feedback_html, None
        if questions is not None:
            result = merge_questions(store.load(result.trainee), result, questions)
            if result is not item.result:  # something was kept: write only the chosen questions
                from autograder.feedback import render_feedback

                page, only = render_feedback(result, title), questions
        write_atomic(feedback / f"{file_stem(result.trainee)}.html", page)
        gradebook.record(result, only)
        times = result.times.model_dump()
        times["record"] = time.perf_counter() - started
        result = result.model_copy(update={"times": StageTimes(**times)})
        store.save(result)
        results[result.trainee] = result
        graded.append(result.trainee)
        if on_result is not None:
            on_result(result)
    return graded, pool.isolation, pool.weak
