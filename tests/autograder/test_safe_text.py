"""Trainee text reaches the tutor's terminal, spreadsheet and browser as text, never as instructions."""

from __future__ import annotations

import pytest

from autograder.safe_text import printable, spreadsheet_cell

HOSTILE = {
    "colour": "\x1b[31mred\x1b[0m",
    "clear-screen": "\x1b[2J\x1b[Hforged",
    "window-title": "\x1b]0;owned\x07title",
    "hyperlink": "\x1b]8;;https://example.invalid/\x1b\\link\x1b]8;;\x1b\\",
    "eight-bit-csi": "\x9b31mred",
    "carriage-return": "graded\rfailed",
    "bidi-override": "alice\u202egnp.exe",
    "zero-width": "al\u200bice",
    "backspace": "abc\x08\x08\x08xyz",
    "bell-and-nul": "a\x07b\x00c",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_no_control_reaches_the_tutor(text: str) -> None:
    shown = printable(text)
    assert not any(ord(c) < 32 and c not in "\n\t" for c in shown), repr(shown)
    assert not any(0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b" for c in shown)


def test_what_is_left_is_the_words() -> None:
    assert printable(HOSTILE["colour"]) == "red"
    assert printable(HOSTILE["hyperlink"]) == "link"
    assert printable("Ünïcode names stay: Siân, Zoë, 李") == "Ünïcode names stay: Siân, Zoë, 李"
    assert printable("two\nlines\tand a tab") == "two\nlines\tand a tab"


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "＝1+1", "\x1b[0m=1"]
)
def test_a_formula_becomes_text(value: str) -> None:
    cell = spreadsheet_cell(value)
    assert cell.startswith("'"), cell


@pytest.mark.parametrize("value", ["-0.5", "3", "1e-3", "alice", "a=b"])
def test_numbers_and_plain_text_are_untouched(value: str) -> None:
    assert spreadsheet_cell(value) == value
