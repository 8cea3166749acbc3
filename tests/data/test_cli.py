"""``college data generate`` through the real command line application (typer's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from college.cli import app
from college.data.generator import Generated

runner = CliRunner()


def test_generate_writes_both_formats_when_asked_for_both(tmp_path: Path, small: Generated) -> None:
    result = runner.invoke(
        app, ["data", "generate", "--scale", "small", "--format", "both", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "18,000 patients" in result.output
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["formats"] == ["csv", "parquet"]
    assert manifest["files"] == small.manifest.files


def test_format_may_be_given_twice_and_seed_chosen(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "data",
            "generate",
            "--seed",
            "11",
            "--format",
            "parquet",
            "--format",
            "csv",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["seed"] == 11 and manifest["formats"] == ["csv", "parquet"]


def test_csv_is_the_default_format(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "generate", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "patients.csv").exists() and not (tmp_path / "patients.parquet").exists()


def test_an_unknown_scale_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "generate", "--scale", "huge", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--scale" in result.output and "huge" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_format_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "generate", "--format", "xlsx", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--format" in result.output


def test_a_negative_seed_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "generate", "--seed", "-3", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--seed" in result.output


def test_the_output_directory_is_required() -> None:
    result = runner.invoke(app, ["data", "generate"])
    assert result.exit_code == 2 and "--out" in result.output


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("not a directory")
    result = runner.invoke(app, ["data", "generate", "--out", str(target)])
    assert result.exit_code == 2
    assert "not a directory" in result.output
