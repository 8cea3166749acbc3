"""Late submissions as nbgrader's autograde treats them: each submission's time from its ``timestamp.txt``,
compared with the assignment's due date, and each notebook's penalty from nbgrader's own
``AssignLatePenalties`` plugin (``LateSubmissionPlugin.penalty_method``: ``none`` by default, or ``zero``),
written into the gradebook so ``nbgrader export`` shows the same. Used by ``college grade --course`` (the course's
configuration and due date) and by ``college grade --due`` (the tutor's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autograder.models import late_words

if TYPE_CHECKING:
    from traitlets.config import Config


@dataclass(frozen=True)
class Lateness:
    """How late one student's submission was, and the penalty nbgrader's plugin gave (per notebook, summed)."""

    student: str
    timestamp: str
    """ISO time of the submission ('' when it has no ``timestamp.txt``)."""
    seconds_late: float
    penalty: float
    notebooks: tuple[tuple[str, float], ...] = ()
    """Each notebook's own penalty (by notebook name), as the gradebook holds it."""

    def penalty_of(self, notebook: str) -> float:
        return dict(self.notebooks).get(notebook, 0.0)


def late_text(lateness: Lateness) -> str:
    return late_words(lateness.seconds_late, lateness.timestamp, lateness.penalty)


def penalty_config(method: str) -> Config:
    """nbgrader's configuration for a late-penalty method (``none`` or ``zero``), as a course would set it."""
    from traitlets.config import Config

    config = Config()
    config.LateSubmissionPlugin.penalty_method = method
    return config


def parse_due(text: str) -> dt.datetime:
    """A due date as nbgrader reads one (``parse_utc``: a time without a zone is UTC), naive UTC."""
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text).replace(tzinfo=None)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"'{text}' is not a date and time ({error})") from None


def write_lateness(
    db_url: str,
    assignment: str,
    stamps: Mapping[str, dt.datetime | None],
    config: Config,
    due: dt.datetime | None = None,
) -> dict[str, Lateness]:
    """Submission times (naive UTC, from ``timestamp.txt``) and nbgrader's late penalties, into the gradebook.

    As nbgrader's ``AssignLatePenalties``: each notebook's penalty is reset, then, for a late submission, set by
    the configured plugin and kept within the notebook's score. ``due`` sets the assignment's due date first
    (a course's gradebook already has its own).
    """
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import AssignLatePenalties

    penalties = AssignLatePenalties(config=config)
    penalties.init_plugin()
    found: dict[str, Lateness] = {}
    with Gradebook(db_url) as gradebook:
        if due is not None:
            gradebook.update_or_create_assignment(assignment, duedate=due)
        for student, stamp in stamps.items():
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                continue
            if stamp is not None:
                submission.timestamp = stamp
                gradebook.db.commit()
            late = float(submission.total_seconds_late or 0.0) if stamp is not None else 0.0
            each: list[tuple[str, float]] = []
            for notebook in submission.notebooks:
                notebook.late_submission_penalty = None
                if late > 0:
                    penalty = penalties.plugin_inst.late_submission_penalty(student, notebook.score, late)
                    if penalty is not None:
                        penalty = penalties._check_late_penalty(notebook, penalty)
                        notebook.late_submission_penalty = penalty
                        each.append((notebook.name, float(penalty)))
            gradebook.db.commit()
            total = sum(penalty for _, penalty in each)
            found[student] = Lateness(student, stamp.isoformat() if stamp else "", late, total, tuple(each))
    return found
