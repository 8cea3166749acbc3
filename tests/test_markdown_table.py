"""The one Markdown table function, rendered by Python-Markdown's table extension as both builders use it."""

from __future__ import annotations

import markdown
import pytest

from college.markdown_table import cell, table


def rendered_cells(text: str) -> list[str]:
    """The inner HTML of each body cell of the one table in ``text``."""
    html = markdown.markdown(text, extensions=["tables"])
    body = html.split("<tbody>")[1]
    return [part.split("</td>")[0] for part in body.split("<td>")[1:]]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("a | b", "a | b"),
        ("already \\| escaped", "already | escaped"),
        ("a backslash \\\\| then a pipe", "a backslash \\| then a pipe"),
        ("`x | y` in code", "<code>x | y</code> in code"),
        ("``a ` | b`` in a double-tick span", "<code>a ` | b</code> in a double-tick span"),
        ("C:\\data\\", "C:\\data\\"),
        ("two\nlines\r\n  here", "two lines here"),
        ("[a link](page.md) | after", '<a href="page.md">a link</a> | after'),
    ],
)
def test_a_cell_shows_what_was_written_and_stays_in_its_column(written: str, shown: str) -> None:
    cells = rendered_cells(table(("Left", "Right"), [(written, "next")]))
    assert cells == [shown, "next"]


def test_the_header_row_is_escaped_too_and_every_row_has_a_line() -> None:
    text = table(("A | B", "C"), [("1", "2"), ("3", "4")])
    assert text.splitlines() == ["| A \\| B | C |", "| --- | --- |", "| 1 | 2 |", "| 3 | 4 |"]


def test_an_unclosed_backtick_is_text() -> None:
    assert cell("a ` b | c") == "a ` b \\| c"
