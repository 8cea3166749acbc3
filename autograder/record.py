"""Step 5, record: write results into a gradebook in nbgrader's own schema (``nbgrader.api``).

formgrader and ``nbgrader export`` work on it unchanged. Each trainee's result is one transaction: the gradebook
holds all of a trainee's grades or none of the new ones. SQLite (the default) is safe for several graders at
once on a local disk: writes wait for each other (WAL journal, a busy timeout, retries on a lock or a race), and
creating the schema is done under a file lock. For many graders on many machines, point ``--gradebook`` at
PostgreSQL (``postgresql://user@host/db``; its driver, psycopg, comes with the ``[scale]`` extra). There two
graders creating the schema at once take turns under an advisory lock (as under the file lock for SQLite), and races on the same rows are retried.

As in nbgrader, a tutor's manual score is never overwritten: only ``auto_score`` is set, and a question that could
not be graded automatically is flagged ``needs_manual_grade``.
"""

from __future__ import annotations

import ast
import datetime as dt
import fcntl
import importlib.util
import random
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from nbformat import NotebookNode
from nbgrader.api import (
    Assignment,
    Base,
    Comment,
    Grade,
    Gradebook,
    Notebook,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)
from nbgrader.dbutil import ALEMBIC_DIR
from nbgrader.utils import compute_checksum
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import NullPool

from autograder.errors import GradingError
from autograder.exercise import CellRole, ExerciseSpec
from autograder.models import Status, TraineeResult

ATTEMPTS = 40
T = TypeVar("T")


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


SCHEMA_LOCK = 0x6E62_6772_6164_6572 & 0x7FFF_FFFF_FFFF_FFFF
"""The PostgreSQL advisory lock (a 64-bit key, "nbgrader") held while the schema and exercise are created."""


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def with_driver(url: str) -> str:
    """``postgresql://`` means SQLAlchemy's default driver, psycopg2; where only psycopg (version 3, the one the
    ``[scale]`` extra installs) is present, use it instead, so the plain URL works as documented."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql" and not _installed("psycopg2") and _installed("psycopg"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def with_busy_timeout(url: str) -> str:
    """SQLite URLs get a 60-second busy timeout (unless one is given), so concurrent writers wait, not fail."""
    parsed = make_url(with_driver(url))
    if parsed.get_backend_name() == "sqlite" and "timeout" not in parsed.query:
        parsed = parsed.update_query_dict({"timeout": "60"})
    return parsed.render_as_string(hide_password=False)


@contextmanager
def file_lock(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def schema_lock(url: str) -> Iterator[None]:
    """Graders take turns to create the schema, the course and the exercise's rows (nbgrader's own functions do
    these, and turn a race into an error rather than waiting): a file lock beside a SQLite gradebook, a
    session-level advisory lock on PostgreSQL (held on a connection of its own, released if the grader dies)."""
    path = sqlite_path(url)
    if path is not None:
        with file_lock(path):
            yield
        return
    if make_url(url).get_backend_name() != "postgresql":
        yield
        return
    engine = create_engine(with_driver(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK})
                connection.commit()
    finally:
        engine.dispose()


def _retrying(action: Callable[[], T], rollback: Callable[[], None]) -> T:
    for attempt in range(ATTEMPTS):
        try:
            return action()
        except (OperationalError, IntegrityError, DBAPIError):
            rollback()
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(min(2.0, 0.02 * (attempt + 1)) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def _cell_node(
    cell_type: str, source: str, grade_id: str, grade: bool, solution: bool, locked: bool, points: float
) -> NotebookNode:
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id}
    if grade:
        meta["points"] = points
    return NotebookNode(
        {"cell_type": cell_type, "source": source, "metadata": NotebookNode({"nbgrader": NotebookNode(meta)})}
    )


def _alembic_head() -> str:
    """The newest revision of nbgrader's schema, read from its migration scripts' ``revision`` and
    ``down_revision`` (the one revision no other revision follows). Parsed, not imported: alembic's own script
    loader costs over a second of start-up, more than grading one notebook."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted((Path(ALEMBIC_DIR) / "versions").glob("*.py")):
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
                continue
            target = node.targets[0]
            if not isinstance(target, ast.Name) or target.id not in ("revision", "down_revision"):
                continue
            value = ast.literal_eval(node.value)
            names = {value} if isinstance(value, str) else set(value or ())
            (revisions if target.id == "revision" else parents).update(names)
    heads = revisions - parents
    if len(heads) != 1:
        raise GradingError(ALEMBIC_DIR, f"nbgrader's schema migrations have {len(heads)} head revisions")
    return heads.pop()


def _transactional_ddl(connection: object, _: object) -> None:
    """Python's sqlite3 runs each CREATE TABLE in a transaction of its own (a disk sync each: a tenth of a
    second or more for nbgrader's tables); with its own transaction handling turned off, the connection's
    transaction is SQLAlchemy's, begun explicitly (SQLAlchemy's documented recipe for transactional DDL on
    pysqlite), so the schema is created, and synced, at once or not at all."""
    connection.isolation_level = None  # type: ignore[attr-defined]


def create_schema(url: str) -> None:
    """Create nbgrader's tables and stamp the schema version, as ``Gradebook()`` does for a new database.

    nbgrader finds the version by running the ``alembic`` command in a subprocess (seconds, and it must be on
    PATH); reading the migration scripts here is quicker and needs no PATH.
    """
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":  # one transaction for the whole schema (see _transactional_ddl)
        event.listen(engine, "connect", _transactional_ddl)
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE"))
    try:
        with engine.begin() as connection:
            if inspect(connection).get_table_names():
                return
            Base.metadata.create_all(bind=connection)
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(
                text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": _alembic_head()}
            )
    finally:
        engine.dispose()


class GradebookWriter:
    """The gradebook, opened once per cohort."""

    def __init__(self, url: str, *, keep_course_cells: bool = False) -> None:
        self.url = url
        self.keep_course_cells = keep_course_cells
        """Leave a notebook's cells alone when the gradebook already has them (an nbgrader course's own
        ``generate_assignment`` wrote them, with its own source and checksums)."""
        self.notebook: str | None = None
        """The notebook being graded (set by :meth:`ensure_exercise`): only its grades are written."""
        self.tasks: tuple[str, ...] = ()
        """The notebook's task cells (set by :meth:`ensure_exercise`)."""
        self.lock = sqlite_path(url)
        try:
            with schema_lock(url):
                _retrying(lambda: create_schema(with_busy_timeout(url)), lambda: None)
                self.gradebook = _retrying(lambda: Gradebook(with_busy_timeout(url)), lambda: None)
        except (DBAPIError, OSError) as error:
            raise GradingError(url, f"cannot open the gradebook ({error})") from None
        except ModuleNotFoundError as error:
            raise GradingError(
                url,
                f"cannot open the gradebook: its database driver is not installed ({error}); "
                "for PostgreSQL install the scale extra: pip install 'nhs-open-college[scale]'",
            ) from None
        except Exception as error:  # a wrong URL; name the URL, not a traceback
            raise GradingError(url, f"cannot open the gradebook ({type(error).__name__}: {error})") from None
        if self.lock is not None:
            event.listen(self.gradebook.engine, "connect", _sqlite_pragmas)
            self.gradebook.engine.dispose()
        self.db = self.gradebook.db

    def _rollback(self) -> None:
        self.db.rollback()

    def ensure_exercise(self, spec: ExerciseSpec) -> None:
        """Create (or update) the assignment, its notebook and cells, as nbgrader's generate_assignment would."""
        gradebook = self.gradebook
        notebook = Path(spec.notebook_name).stem
        self.notebook = notebook
        self.tasks = tuple(item.grade_id for item in spec.manual if item.task)
        if self.keep_course_cells and self._has_notebook(spec.id, notebook):
            return

        def create() -> None:
            gradebook.update_or_create_assignment(spec.id)
            gradebook.update_or_create_notebook(notebook, spec.id)
            manual = {item.grade_id: item for item in spec.manual}
            for cell in spec.cells:
                if cell.grade_id is None:
                    continue
                item = manual.get(cell.grade_id)
                graded = cell.role in (CellRole.TEST, CellRole.MANUAL)
                solution = cell.role in (CellRole.SOLUTION, CellRole.MANUAL)
                locked = cell.role in (CellRole.TEST, CellRole.READONLY, CellRole.TASK)
                points = (
                    item.points
                    if item is not None
                    else spec.question(cell.grade_id).points
                    if cell.role is CellRole.TEST
                    else 0.0
                )
                cell_type = (
                    item.cell_type
                    if item is not None
                    else "markdown"
                    if cell.role is CellRole.MARKDOWN
                    else "code"
                )
                if graded:
                    gradebook.update_or_create_grade_cell(
                        cell.grade_id, notebook, spec.id, max_score=points, cell_type=cell_type
                    )
                if cell.role is CellRole.TASK:
                    gradebook.update_or_create_task_cell(
                        cell.grade_id, notebook, spec.id, max_score=points, cell_type=cell_type
                    )
                if solution:
                    gradebook.update_or_create_solution_cell(cell.grade_id, notebook, spec.id)
                shown = item.release_source if item is not None else cell.source
                node = _cell_node(cell_type, shown, cell.grade_id, graded, solution, locked, points)
                if cell.role is CellRole.TASK:
                    node.metadata.nbgrader["task"] = True
                gradebook.update_or_create_source_cell(
                    cell.grade_id,
                    notebook,
                    spec.id,
                    cell_type=cell_type,
                    locked=locked,
                    source=shown,
                    checksum=compute_checksum(node),
                )

        with schema_lock(self.url):
            _retrying(create, self._rollback)

    def _has_notebook(self, assignment: str, notebook: str) -> bool:
        found = (
            self.db.query(Notebook)
            .join(Assignment, Assignment.id == Notebook.assignment_id)
            .filter(Assignment.name == assignment, Notebook.name == notebook)
            .first()
        )
        self.db.rollback()
        return found is not None

    def has_submission(self, exercise: str, trainee: str) -> bool:
        found = (
            self.db.query(SubmittedAssignment)
            .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
            .filter(Assignment.name == exercise, SubmittedAssignment.student_id == trainee)
            .first()
        )
        self.db.rollback()
        return found is not None

    def record(self, result: TraineeResult, only: Collection[str] | None = None) -> None:
        """Write one trainee's grades in a single transaction (retried if another writer got in first); with
        ``only``, just those questions' grades (``--question``: every other grade stays as recorded)."""
        _retrying(lambda: self._record(result, only), self._rollback)

    def _record(self, result: TraineeResult, only: Collection[str] | None = None) -> None:
        db = self.db
        assignment = db.query(Assignment).filter(Assignment.name == result.exercise).one()
        student = db.get(Student, result.trainee)
        if student is None:
            student = Student(id=result.trainee)
            db.add(student)
        submission = (
            db.query(SubmittedAssignment)
            .filter(
                SubmittedAssignment.assignment_id == assignment.id,
                SubmittedAssignment.student_id == student.id,
            )
            .one_or_none()
        )
        if submission is None:
            with (
                db.no_autoflush
            ):  # build the whole submission (as nbgrader's add_submission does), then flush
                notebooks = [
                    (nb, list(nb.grade_cells), list(nb.solution_cells), list(nb.task_cells))
                    for nb in assignment.notebooks
                ]
                submission = SubmittedAssignment(assignment=assignment, student=student)
                for notebook, grade_cells, solution_cells, task_cells in notebooks:
                    submitted = SubmittedNotebook(notebook=notebook, assignment=submission)
                    for grade_cell in grade_cells:
                        Grade(cell_id=grade_cell.id, notebook=submitted)
                    for solution_cell in solution_cells:
                        Comment(cell_id=solution_cell.id, notebook=submitted)
                    for task_cell in task_cells:
                        Comment(cell_id=task_cell.id, notebook=submitted)
                        Grade(cell_id=task_cell.id, notebook=submitted)
                db.add(submission)
            db.flush()
        submission.timestamp = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        by_question = {question.question: question for question in result.questions}
        tasks = set(self.tasks)
        for submitted in submission.notebooks:
            if self.notebook is not None and submitted.notebook.name != self.notebook:
                continue  # another notebook of the same assignment: graded on its own
            for grade in submitted.grades:
                question = by_question.get(grade.cell.name)
                if (
                    question is None
                    or grade.cell.name in tasks
                    or (only is not None and question.question not in only)
                ):
                    continue  # a task's grade is a person's alone (nbgrader's autograde leaves it as it is)
                manual = question.status is Status.NEEDS_MANUAL_GRADING
                grade.auto_score = None if manual else question.score
                grade.needs_manual_grade = (
                    grade.manual_score is not None or question.status is not Status.GRADED
                )
            for comment in submitted.comments:
                if only is not None and comment.cell.name not in only:
                    continue
                comment.auto_comment = None if result.status is Status.GRADED else result.reason[:1000]
        db.commit()

    def close(self) -> None:
        self.gradebook.close()


def _sqlite_pragmas(connection: object, _: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def integrity_ok(url: str) -> bool:
    """SQLite's own integrity check (True for other databases)."""
    if sqlite_path(url) is None:
        return True
    gradebook = Gradebook(with_busy_timeout(url))
    try:
        return bool(gradebook.db.execute(text("PRAGMA integrity_check")).scalar() == "ok")
    finally:
        gradebook.close()
