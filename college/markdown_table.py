"""The one Markdown table of the project: site pages and data dictionary pages both write their tables here.

Cells are Markdown (code spans, links, emphasis), as the page writes them. A table cell must stay on one line
and a ``|`` in it must not end it, so every run of white space holding a line break becomes one space, and every
pipe outside a code span that is not already escaped becomes ``\\|``. A pipe counts as escaped when an odd number
of backslashes stands before it (``\\\\|`` is an escaped backslash, then a bare pipe, which is escaped in turn).
Pipes inside code spans are left alone: Python-Markdown's table extension, which both builders use, does not
split a row on them, and would show a backslash put before them.

Standard library only, below the site and the data generator, which both use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")
"""A code span: a run of backticks, its text, and a closing run of the same length (CommonMark)."""
UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
"""A pipe after an even number of backslashes (none included); group 1 keeps those backslashes."""
LINE_BREAK = re.compile(r"\s*[\r\n]\s*")


def cell(markdown: str) -> str:
    """One cell's Markdown made safe inside a table row: on one line, with no pipe that would split the row."""
    text = LINE_BREAK.sub(" ", str(markdown)).strip()
    parts = []
    end = 0
    for span in CODE_SPAN.finditer(text):
        parts.append(UNESCAPED_PIPE.sub(r"\1\\|", text[end : span.start()]))
        parts.append(span.group(0))
        end = span.end()
    parts.append(UNESCAPED_PIPE.sub(r"\1\\|", text[end:]))
    return "".join(parts)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; every table has a header row, so that screen readers can name each cell."""
    lines = [
        "| " + " | ".join(cell(h) for h in headers) + " |",
        "|" + "|".join(" --- " for _ in headers) + "|",
    ]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return "\n".join(lines)
