"""SQL blocks on module pages, taken from the queries inside the page's Python code blocks.

A module written for Python's ``sqlite3`` keeps its queries in Python strings (``query(\"\"\"SELECT …\"\"\")``).
So that a trainee can also run them in the browser, each such query is shown again, after its Python block, as a
fenced ``sql`` block, which the site's SQL runner makes editable and runnable. The SQL comes from the Python code
itself, so the two cannot drift apart. Values the Python passes as parameters (``query(sql, ("2023-11-30",))``)
travel in a first comment line, ``-- parameters: '2023-11-30'``, which the runner binds to the ``?`` placeholders.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

SQL_CALLS = frozenset({"query", "run_sql", "read_sql_query", "read_sql"})
"""Names of the functions whose first argument is the SQL text (the course's helpers and pandas' readers)."""
PARAMETERS_PREFIX = "-- parameters: "
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)$")
SQL_START = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)
LEAD_IN = "Run the same SQL in your browser, against the same synthetic data, and edit it to try your own."


@dataclass(frozen=True)
class SqlQuery:
    """One query found in a Python block: its text and the parameter values passed with it."""

    sql: str
    parameters: tuple[str | int | float, ...] = ()


def _literal(value: str | int | float) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def block_text(query: SqlQuery) -> str:
    """The text of the ``sql`` block: the query, dedented, with a parameters line if it has parameters."""
    lines = [line.rstrip() for line in query.sql.strip("\n").splitlines()]
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    body = "\n".join(line[indent:] for line in lines).strip()
    if query.parameters:
        return PARAMETERS_PREFIX + ", ".join(_literal(value) for value in query.parameters) + "\n" + body
    return body


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _constants(tree: ast.Module) -> dict[str, str | int | float]:
    """Names the block binds to a constant (``provider = "SYN01"``), so parameters passed by name can be shown."""
    values: dict[str, str | int | float] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            value = node.value.value
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(value, str | int | float):
                    values[target.id] = value
    return values


def _value(node: ast.expr, constants: dict[str, str | int | float]) -> str | int | float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _parameters(
    node: ast.Call, constants: dict[str, str | int | float]
) -> tuple[str | int | float, ...] | None:
    """Parameters passed after the SQL (positionally or as ``params=``); None if they are not known constants."""
    argument = node.args[1] if len(node.args) > 1 else None
    for keyword in node.keywords:
        if keyword.arg in {"params", "parameters"}:
            argument = keyword.value
    if argument is None or (
        isinstance(argument, ast.Name) and _call_name(node) in {"read_sql_query", "read_sql"}
    ):
        return ()  # pandas' second positional argument is the connection, not parameters
    if isinstance(argument, ast.Tuple | ast.List):
        values = [_value(item, constants) for item in argument.elts]
        if all(value is not None for value in values):
            return tuple(value for value in values if value is not None)
    return None


def queries_in_python(code: str) -> list[SqlQuery]:
    """The SQL queries a Python block runs, in the order they appear; code that does not parse gives none."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    constants = _constants(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _call_name(node) not in SQL_CALLS or not node.args:
            continue
        first = node.args[0]
        if not (
            isinstance(first, ast.Constant) and isinstance(first.value, str) and SQL_START.match(first.value)
        ):
            continue
        parameters = _parameters(node, constants)
        if parameters is not None:
            found.append((first.lineno, first.col_offset, SqlQuery(first.value, parameters)))
    return [query for *_, query in sorted(found, key=lambda item: (item[0], item[1]))]


def _sql_blocks(queries: list[SqlQuery], indent: str) -> list[str]:
    lead_in = LEAD_IN if len(queries) == 1 else LEAD_IN.replace("the same SQL", "these queries")
    if any(query.parameters for query in queries):
        lead_in += " Its first line, a comment, holds the values for the `?` placeholders: they are passed as parameters."
    lines = ["", indent + lead_in]
    for query in queries:
        lines += ["", indent + "```sql"]
        lines += [(indent + line) if line else "" for line in block_text(query).splitlines()]
        lines.append(indent + "```")
    return lines


def add_sql_blocks(markdown: str) -> str:
    """The page with an ``sql`` block after every Python block that runs SQL queries (other text unchanged)."""
    lines = markdown.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        opening = FENCE.match(line)
        index += 1
        if not opening:
            continue
        fence, indent = opening["fence"], opening["indent"]
        body: list[str] = []
        while index < len(lines) and not (
            lines[index].strip().startswith(fence) and lines[index].strip().strip(fence[0]) == ""
        ):
            body.append(lines[index])
            index += 1
        out += body
        if index < len(lines):
            out.append(lines[index])  # the closing fence
            index += 1
        if opening["info"].strip().lower() in {"python", "py"}:
            code = "\n".join(text[len(indent) :] if text.startswith(indent) else text for text in body)
            queries = queries_in_python(code)
            if queries:
                out += _sql_blocks(queries, indent)
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")
