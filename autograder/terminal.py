"""What both grading commands (``college grade`` and ``college grade --course``) show in the terminal: the
progress bar, the results table's cells, the isolation warning and the problems found in the submissions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from autograder.safe_text import printable

if TYPE_CHECKING:  # not imported at start-up: every `college` command imports this module
    from autograder.models import CohortProblem, TraineeResult

console = Console()
errors = Console(stderr=True, soft_wrap=True)  # file paths stay whole, whatever the width

STATUS_COLOURS = {
    "graded": "green",
    "timed_out": "yellow",
    "errored": "red",
    "invalid_submission": "red",
    "needs_manual_grading": "yellow",
}


def escape(text: object) -> str:
    """Text that may be a trainee's (a folder name, an error message) as the terminal should show it: without
    escape sequences or invisible controls, and without rich markup."""
    return escape_markup(printable(text))


def coloured(text: str, status: str) -> str:
    """``text`` (escaped) in the colour of a status."""
    return f"[{STATUS_COLOURS.get(status, 'white')}]{escape(text)}[/]"


class GradingProgress:
    """The progress bar, fed by ``grade_cohort``'s ``on_start`` and ``on_result``; with ``--course``,
    :meth:`notebook` starts it again for each notebook of the assignment."""

    def __init__(self, kept_message: Callable[[int], str]) -> None:
        self.kept_message = kept_message
        self.name = ""
        """The notebook being graded ('' outside ``--course``)."""
        self.progress = Progress(
            TextColumn("[bold]Grading[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=console,
        )
        self.task = self.progress.add_task("", total=None)

    def notebook(self, name: str) -> None:
        self.name = name
        self.progress.reset(self.task, total=None, description=escape(name))

    def started(self, to_grade: int, kept: int) -> None:
        self.progress.update(self.task, total=to_grade)
        if kept:
            self.progress.console.print(self.kept_message(kept))

    def finished(self, result: TraineeResult) -> None:
        where = f"{escape(self.name)} " if self.name else ""
        self.progress.update(self.task, advance=1, description=f"{where}{escape(result.trainee)}")

    def __enter__(self) -> GradingProgress:
        self.progress.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.progress.__exit__(kind, error, trace)


def results_table(title: str, columns: Iterable[str]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(escape(column), overflow="fold")
    return table


def print_warnings(warnings: Iterable[str | None]) -> None:
    """The isolation warning(s), each once, loudly, on stderr."""
    for warning in sorted({warning for warning in warnings if warning}):
        errors.print(f"[bold red]{escape(warning)}[/]")


def print_problems(problems: Iterable[CohortProblem]) -> None:
    """Each problem once (with ``--course`` the same folder is read once per notebook)."""
    for path, message in dict.fromkeys((p.path, p.message) for p in problems):
        console.print(f"[yellow]{escape(path)}[/]: {escape(message)}")
