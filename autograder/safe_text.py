"""Trainee text made safe for where a tutor reads it: a terminal, a spreadsheet, a web page.

A trainee controls their folder name, their notebook's text and every message their code raises. Shown raw, that
text can drive the tutor's terminal (ANSI and OSC escape sequences can rewrite the screen, set the window title
or plant a hyperlink), hide or reorder what is shown (bidirectional overrides, zero-width characters), or run as
a formula when ``grades.csv`` is opened in a spreadsheet (``=HYPERLINK(...)``, OWASP's "CSV injection"). Every
place trainee text leaves the grader passes it through one of these functions.
"""

from __future__ import annotations

import re

ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks, clipboard writes
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement, screen clearing
    r"|\x1b[@-Z\\-_]"  # other two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # the 8-bit CSI
)
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls except tab and newline (\r handled below)
    "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"  # bidi controls, zero-width characters
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""How a spreadsheet recognises a formula, including the full-width signs some spreadsheets accept."""


def printable(text: object) -> str:
    """``text`` without escape sequences or invisible controls; carriage returns become new lines (a bare
    ``\\r`` would let later text overwrite earlier text on a terminal)."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return INVISIBLE.sub("", ESCAPE_SEQUENCE.sub("", value))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def spreadsheet_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: printable, and prefixed with ``'`` if it would otherwise
    start a formula. Numbers (a score of ``-0.5`` included) are left as they are."""
    text = printable(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text
