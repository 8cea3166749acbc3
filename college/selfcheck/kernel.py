"""``check("q2")`` and ``hint("q2")`` inside the trainee's notebook.

A released notebook's first code cell runs ``check, hint = load()``: it reads ``self-check.json`` (the visible
tests, the hints and how many hidden checks grading adds, never the hidden checks themselves) from the folder
the notebook runs in. ``check`` then runs a question's visible tests against the variables of the notebook that
called it, as they are now, and prints in plain words which pass and what to look at; ``hint`` prints the
question's next hint, one at a time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from college.selfcheck.questions import SELF_CHECK_FILE, Exercise, Question, read_self_check
from college.selfcheck.runner import RECORD_ON_PATHWAY, QuestionReport, describe, run_question


class SelfCheck:
    """The self-check of one exercise, with the hints shown so far."""

    def __init__(self, exercise: Exercise, output: Callable[[str], None] = print) -> None:
        self.exercise = exercise
        self._output = output
        self._hints_shown: dict[str, int] = {}

    def _questions(self, key: str | None) -> tuple[Question, ...]:
        if key is None:
            return self.exercise.questions
        found = self.exercise.find(str(key))
        if not found:
            known = ", ".join(f'"{q.id}"' for q in self.exercise.questions)
            self._output(f'There is no question "{key}" in this exercise. Try one of: {known}.')
        return found

    def check(self, key: str | None = None, namespace: MutableMapping[str, Any] | None = None) -> None:
        """Run the visible tests of question ``key`` (every question when left out) and say what passed."""
        if namespace is None:
            namespace = sys._getframe(1).f_globals  # the notebook's variables: a cell's globals
        reports = [self.run(question, namespace) for question in self._questions(key)]
        for report in reports:
            self._output(describe(report))
        if key is None and reports:
            passed = sum(report.passed for report in reports)
            self._output(f"{passed} of {len(reports)} questions pass their visible checks.")
            if passed == len(reports):
                self._output(RECORD_ON_PATHWAY)

    def run(self, question: Question, namespace: MutableMapping[str, Any]) -> QuestionReport:
        return run_question(question, namespace)

    def hint(self, key: str) -> None:
        """Show the next hint for question ``key``; after the last, show the last again."""
        found = self._questions(key)
        if len(found) > 1:
            names = ", ".join(f'"{q.id}"' for q in found)
            self._output(f"That matches more than one part: ask for one of {names}.")
            return
        if not found:
            return
        question = found[0]
        if not question.hints:
            self._output(f"{question.title}: there are no hints for this question; reread its text above.")
            return
        shown = self._hints_shown.get(question.id, 0)
        index = min(shown, len(question.hints) - 1)
        self._hints_shown[question.id] = index + 1
        last = " (the last one)" if index == len(question.hints) - 1 and len(question.hints) > 1 else ""
        self._output(
            f"{question.title}, hint {index + 1} of {len(question.hints)}{last}: {question.hints[index]}"
        )


def load(path: str | Path = SELF_CHECK_FILE) -> tuple[Callable[..., None], Callable[[str], None]]:
    """``check`` and ``hint`` for the exercise whose ``self-check.json`` is at ``path`` (beside the notebook)."""
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(
            f"{file.resolve()}: not found. Open the notebook from the exercise's folder (the one holding "
            f"{SELF_CHECK_FILE} and data/), so that the notebook runs there, then run this cell again."
        )
    self_check = SelfCheck(read_self_check(file))
    titles = ", ".join(f'check("{q.id}")' for q in self_check.exercise.questions[:2])
    print(
        f"Self-check ready for {len(self_check.exercise.questions)} questions: {titles} ... "
        'Stuck? hint("<question>").'
    )

    def check(key: str | None = None) -> None:
        self_check.check(key, sys._getframe(1).f_globals)

    def hint(key: str) -> None:
        self_check.hint(key)

    check.__doc__ = SelfCheck.check.__doc__
    hint.__doc__ = SelfCheck.hint.__doc__
    return check, hint
