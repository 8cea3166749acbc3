"""Typed results of grading: what every step hands to the next and what the tutor's files are made from.

All of them are frozen pydantic models, so a trainee's result can be written to JSON as soon as it is known and
read back unchanged when an interrupted run is resumed.
"""

from __future__ import annotations

from enum import StrEnum

from college.base import Frozen


class Status(StrEnum):
    """How far grading got for a question (or, summarised, for a trainee)."""

    GRADED = "graded"
    """The tests ran and decided the score."""
    TIMED_OUT = "timed_out"
    """The trainee's code ran past a time limit before the question's tests could run."""
    ERRORED = "errored"
    """The process running the trainee's code ended (crash, ``os._exit``, killed) before the tests could run."""
    INVALID_SUBMISSION = "invalid_submission"
    """The submission could not be read as a notebook for this exercise."""
    NEEDS_MANUAL_GRADING = "needs_manual_grading"
    """A manually graded answer or a task: no automatic score; a tutor marks it (in formgrader, say)."""


class TestVerdict(StrEnum):
    __test__ = False  # not a pytest class

    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not run"


class HiddenTestResult(Frozen):
    """A hidden test block: its name and verdict only, never its source or message."""

    name: str
    verdict: TestVerdict


class QuestionResult(Frozen):
    """One question for one trainee: an autograded test cell with points, or a cell a person marks (a manually
    graded answer or a task: status ``needs_manual_grading`` and score 0 until a tutor marks it)."""

    question: str
    """The test cell's ``grade_id``."""
    score: float
    max_score: float
    status: Status
    reason: str
    """Why the score is what it is, in words a trainee understands ('' when full marks were earned plainly)."""
    visible_message: str = ""
    """The failing visible test's message, or ''."""
    visible_output: str = ""
    """What the visible tests printed (capped)."""
    hidden: tuple[HiddenTestResult, ...] = ()
    test_source: str = ""
    """The visible part of the tutor's test cell, as the trainee was given it."""
    notes: tuple[str, ...] = ()
    """Notes about this question's cells (a test cell the trainee edited or deleted, say)."""
    title: str = ""
    """The question as the trainee reads it ("Question 2: time in the department"); '' in results stored before
    titles were kept."""

    @property
    def name(self) -> str:
        """What to call the question on a page: its title, else its ``grade_id``."""
        return self.title or self.question

    @property
    def needs_manual(self) -> bool:
        return self.status is Status.NEEDS_MANUAL_GRADING

    @property
    def score_text(self) -> str:
        """The score as every output shows it: a cell still to be marked by a person has none yet."""
        return "needs manual grading" if self.needs_manual else f"{self.score:g}"


class CellKind(StrEnum):
    TRAINEE = "trainee"
    TUTOR = "tutor"
    TEST = "test"
    MARKDOWN = "markdown"


class CellRecord(Frozen):
    """One cell as it was run, for the feedback page."""

    kind: CellKind
    label: str
    source: str
    stdout: str = ""
    stderr: str = ""
    result: str = ""
    """The repr of the cell's last expression, as a notebook would show it (capped)."""
    error: str = ""
    """The exception the cell raised, with the trainee's part of the traceback."""
    ran: bool = True
    question: str = ""
    """For a test cell: the question it decides."""


class StageTimes(Frozen):
    """Seconds spent in each step for one trainee (for the benchmark's profile)."""

    reading: float = 0.0
    execute: float = 0.0
    tests: float = 0.0
    feedback: float = 0.0
    record: float = 0.0


class TraineeResult(Frozen):
    """Everything known about one trainee's submission once it is graded."""

    trainee: str
    exercise: str
    status: Status
    reason: str
    score: float
    max_score: float
    questions: tuple[QuestionResult, ...]
    cells: tuple[CellRecord, ...] = ()
    notes: tuple[str, ...] = ()
    """Notes about the whole submission (cells reordered, a notebook converted from nbformat 3, ...)."""
    submission_file: str = ""
    """The notebook's path relative to the submissions folder ('' when none was found)."""
    submission_sha256: str = ""
    exercise_fingerprint: str = ""
    """Identifies the exercise version and grading settings, so a resumed run regrades if either changed."""
    isolation: str = ""
    times: StageTimes = StageTimes()
    submitted_at: str = ""
    """When it was submitted (ISO, UTC, from nbgrader's ``timestamp.txt``), when a due date was given."""
    seconds_late: float = 0.0
    late_penalty: float = 0.0
    """nbgrader's late penalty (points taken from ``score`` for the LMS; ``score`` itself stays the raw score)."""

    @property
    def manual_points(self) -> float:
        """Points still to be marked by a person (manually graded answers and tasks)."""
        return sum(q.max_score for q in self.questions if q.needs_manual)

    @property
    def score_text(self) -> str:
        """``score / max``, with the points still to be marked by a person when there are any."""
        text = f"{self.score:g} / {self.max_score:g}"
        text += f" ({self.manual_points:g} need manual grading)" if self.manual_points else ""
        return text + (f", {self.late_text}" if self.seconds_late > 0 else "")

    @property
    def late_text(self) -> str:
        """How late, in words ('' when on time)."""
        return (
            late_words(self.seconds_late, self.submitted_at, self.late_penalty)
            if self.seconds_late > 0
            else ""
        )


def late_words(seconds_late: float, submitted_at: str, penalty: float) -> str:
    """``26.0 hours late (submitted 2026-12-02 19:00:00 UTC); nbgrader's late penalty: 3 points``."""
    text = f"{seconds_late / 3600:.1f} hours late (submitted {submitted_at.replace('T', ' ')} UTC)"
    return text + (f"; nbgrader's late penalty: {penalty:g} points" if penalty else "")


class CompetencyEvidence(Frozen):
    """Whether one trainee's result evidences one competency the exercise is mapped to."""

    trainee: str
    exercise: str
    competency: str
    level: str
    threshold: float
    score: float
    max_score: float
    share: float
    met: bool


class CohortProblem(Frozen):
    """Something in the submissions that belongs to no trainee (a ZIP entry that tries to escape, say)."""

    path: str
    message: str
