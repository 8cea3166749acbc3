"""The visible checks of an SQL exercise, read from its notebook's test cells, for the browser to run.

An SQL exercise's visible test cell runs the trainee's query (``result = run_query(query_x)``) and asserts things
about the result. The site runs the same checks in the browser, so they are translated here from the notebook, never
written twice: each ``assert`` of the visible part (the hidden part, between nbgrader's hidden-test delimiters, is
never read) must be one of the forms below, or the translation fails naming the cell and line, so a check the
browser cannot run is never silently dropped.

- ``assert list(result.columns) == ["a", "b"], message``: the result's column names, in order.
- ``assert len(result) == 12, message``: the number of rows.
- ``assert list(result["a"]) == sorted(result["a"]), message``: the rows are in order of column ``a``.
- ``assert result["a"].between(1, 3).all(), message``: every value of ``a`` lies between the bounds, inclusive.
- ``assert result["a"].sum() == 1737, message``: the values of ``a`` add up to a whole number (a total that must match).
- ``assert list(result["b"]) == list(result["a"].cumsum()), message``: ``b`` is the running total of ``a``.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
RESULT = "result"
RUNNER = "run_query"
QUESTION_TEXT = re.compile(r"^(?P<question>.+)-text$")

CheckKind = Literal["columns", "row_count", "sorted", "between", "sum", "cumsum"]


class CheckTranslationError(Exception):
    """A visible check the browser cannot run; the message names the notebook, the cell and the line."""


@dataclass(frozen=True)
class Check:
    """One visible check: what it tests, and the message the notebook's assert gives when it fails."""

    kind: CheckKind
    message: str
    columns: tuple[str, ...] = ()
    """The expected column names (``columns``), the one column tested (``sorted``, ``between``, ``sum``), or the
    running total's column and the column it adds up (``cumsum``)."""
    value: int = 0
    """The expected number of rows (``row_count``) or total (``sum``)."""
    low: float = 0
    high: float = 0
    """Inclusive bounds (``between``)."""


@dataclass(frozen=True)
class SqlQuestion:
    """One question of an SQL exercise, as the site shows it."""

    grade_id: str
    """The solution cell's ``grade_id`` (the key of ``hints`` and ``wrong_answers`` in exercise.yml)."""
    variable: str
    """The name the notebook's answer is bound to, e.g. ``query_readmissions``."""
    text: str
    """The question's Markdown, from the notebook."""
    points: float
    checks: tuple[Check, ...]

    def checks_json(self) -> str:
        return json.dumps([asdict(check) for check in self.checks], separators=(",", ":"))


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def visible_part(code: str) -> str:
    """A test cell's code without its hidden tests (lines between the delimiters are dropped)."""
    kept, hidden = [], False
    for line in code.splitlines():
        if line.strip() == HIDDEN_BEGIN:
            hidden = True
        elif line.strip() == HIDDEN_END:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def _column(node: ast.expr) -> str | None:
    """``result["a"]`` → ``"a"``."""
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == RESULT
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    ):
        return node.slice.value
    return None


def _is_call(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def _number(node: ast.expr) -> float | None:
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return float(node.value)
    return None


def _method_of_column(node: ast.expr, method: str) -> str | None:
    """``result["a"].sum()`` (for ``method="sum"``) → ``"a"``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and not node.args
        and not node.keywords
    ):
        return _column(node.func.value)
    return None


def _cumsum_of(node: ast.expr) -> str | None:
    """``list(result["a"].cumsum())`` → ``"a"``."""
    if isinstance(node, ast.Call) and _is_call(node, "list") and len(node.args) == 1 and not node.keywords:
        return _method_of_column(node.args[0], "cumsum")
    return None


def translate_assert(node: ast.Assert) -> Check | None:
    """The check an ``assert`` states, or None if it is not one of the supported forms."""
    if not (isinstance(node.msg, ast.Constant) and isinstance(node.msg.value, str)):
        return None
    message, test = node.msg.value, node.test
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
        left, right = test.left, test.comparators[0]
        if _is_call(left, "list") and isinstance(left, ast.Call) and len(left.args) == 1:
            inner = left.args[0]
            if (
                isinstance(inner, ast.Attribute)
                and isinstance(inner.value, ast.Name)
                and inner.value.id == RESULT
                and inner.attr == "columns"
                and isinstance(right, ast.List)
                and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in right.elts)
            ):
                names = tuple(str(e.value) for e in right.elts if isinstance(e, ast.Constant))
                return Check("columns", message, columns=names)
            column = _column(inner)
            if column and (added := _cumsum_of(right)) is not None:
                return Check("cumsum", message, columns=(column, added))
            if (
                column
                and isinstance(right, ast.Call)
                and _is_call(right, "sorted")
                and len(right.args) == 1
                and not right.keywords
                and _column(right.args[0]) == column
            ):
                return Check("sorted", message, columns=(column,))
        if (
            (column := _method_of_column(left, "sum")) is not None
            and isinstance(right, ast.Constant)
            and isinstance(right.value, int)
            and not isinstance(right.value, bool)
        ):
            return Check("sum", message, columns=(column,), value=right.value)
        if (
            _is_call(left, "len")
            and isinstance(left, ast.Call)
            and len(left.args) == 1
            and isinstance(left.args[0], ast.Name)
            and left.args[0].id == RESULT
            and isinstance(right, ast.Constant)
            and isinstance(right.value, int)
        ):
            return Check("row_count", message, value=right.value)
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr == "all"
        and not test.args
        and isinstance(test.func.value, ast.Call)
        and isinstance(test.func.value.func, ast.Attribute)
        and test.func.value.func.attr == "between"
        and len(test.func.value.args) == 2
        and not test.func.value.keywords
    ):
        column = _column(test.func.value.func.value)
        low, high = (_number(arg) for arg in test.func.value.args)
        if column and low is not None and high is not None:
            return Check("between", message, columns=(column,), low=low, high=high)
    return None


def _answer_variable(statement: ast.stmt) -> str | None:
    """``result = run_query(query_x)`` → ``query_x``."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and statement.targets[0].id == RESULT
        and isinstance(statement.value, ast.Call)
        and _is_call(statement.value, RUNNER)
        and len(statement.value.args) == 1
        and isinstance(statement.value.args[0], ast.Name)
    ):
        return statement.value.args[0].id
    return None


def translate_test_cell(code: str, where: str) -> tuple[str, tuple[Check, ...]]:
    """The answer's variable name and the checks of one test cell's visible part."""
    tree = ast.parse(visible_part(code))
    variable, checks = None, []
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom | ast.FunctionDef):
            continue  # the cell's own imports and its run_query helper, which the browser replaces
        if (found := _answer_variable(statement)) is not None:
            variable = found
            continue
        check = translate_assert(statement) if isinstance(statement, ast.Assert) else None
        if check is None:
            raise CheckTranslationError(
                f"{where}, line {statement.lineno}: the browser cannot run this visible check; "
                "use one of the forms listed in college/site/sql_checks.py"
            )
        checks.append(check)
    if variable is None:
        raise CheckTranslationError(f"{where}: no `{RESULT} = {RUNNER}(query_...)` line in the visible part")
    if not checks:
        raise CheckTranslationError(f"{where}: the visible part has no check")
    return variable, tuple(checks)


def sql_questions(notebook: Path) -> list[SqlQuestion]:
    """Every graded question of an SQL exercise notebook, in order: its text, answer name, points and checks."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts: dict[str, str] = {}
    answers: dict[str, str] = {}  # variable → solution cell grade_id
    questions = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = str(meta.get("grade_id", ""))
        if cell["cell_type"] == "markdown" and (match := QUESTION_TEXT.match(grade_id)):
            texts[match["question"]] = _source(cell)
        elif meta.get("solution") and cell["cell_type"] == "code":
            for name in re.findall(r"^(\w+)\s*=", _source(cell), flags=re.MULTILINE):
                answers.setdefault(name, grade_id)
        elif meta.get("grade") and cell["cell_type"] == "code":
            where = f"{notebook}, cell {grade_id}"
            variable, checks = translate_test_cell(_source(cell), where)
            if variable not in answers:
                raise CheckTranslationError(f"{where}: no solution cell before it defines {variable}")
            solution = answers[variable]
            question = solution.split("-", 1)[0]
            if question not in texts:
                raise CheckTranslationError(f"{where}: no markdown cell {question}-text gives the question")
            questions.append(
                SqlQuestion(solution, variable, texts[question], float(meta.get("points", 0)), checks)
            )
    return questions
