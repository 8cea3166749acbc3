"""Every command's --help shows its options' help as written: square brackets such as ``[default: ROOT/data]`` or
``[scale]`` are text, not markup to be swallowed (they were, silently, under rich markup)."""

from __future__ import annotations

import re
from typing import Any

import typer
from typer.testing import CliRunner

from college.cli import app


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """The command and every sub-command, by the words that call it (typer carries its own copy of click)."""
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found.extend(_commands(sub, (*path, name)))
    return found


def test_bracketed_help_text_is_shown_as_written() -> None:
    runner = CliRunner()
    checked = 0
    for path, command in _commands(typer.main.get_command(app)):
        bracketed = [
            text
            for param in command.params
            for text in re.findall(r"\[[^\]]+\]", getattr(param, "help", None) or "")
        ]
        if not bracketed:
            continue
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        shown = " ".join(result.output.split())
        for text in bracketed:
            assert " ".join(text.split()) in shown, f"college {' '.join(path)} --help lost {text!r}"
            checked += 1
    assert checked >= 4, "the commands have bracketed help texts to check"
