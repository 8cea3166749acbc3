"""``ensure_small_data`` generates the small scale only when it is missing or stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from college.data import ensure_small_data
from college.data.generator import Generated
from college.data.manifest import MANIFEST_NAME


def _copy(small: Generated, target: Path) -> Path:
    shutil.copytree(small.directory, target)
    return target


def _mtimes(directory: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in directory.rglob("*") if path.is_file()}


def test_missing_data_are_generated(tmp_path: Path, small: Generated) -> None:
    out = ensure_small_data(tmp_path / "data")
    assert out == tmp_path / "data"
    assert json.loads((out / MANIFEST_NAME).read_text())["files"] == small.manifest.files


def test_current_data_are_left_alone(tmp_path: Path, small: Generated) -> None:
    data = _copy(small, tmp_path / "data")
    before = _mtimes(data)
    ensure_small_data(data)
    assert _mtimes(data) == before


def test_a_changed_file_is_regenerated(tmp_path: Path, small: Generated) -> None:
    data = _copy(small, tmp_path / "data")
    (data / "deaths.csv").write_text("year,area_code\n")
    ensure_small_data(data)
    assert (data / "deaths.csv").read_bytes() == (small.directory / "deaths.csv").read_bytes()


def test_a_missing_file_is_regenerated(tmp_path: Path, small: Generated) -> None:
    data = _copy(small, tmp_path / "data")
    (data / "patients.parquet").unlink()
    ensure_small_data(data)
    assert (data / "patients.parquet").exists()


def test_data_made_differently_are_regenerated(tmp_path: Path, small: Generated) -> None:
    data = _copy(small, tmp_path / "data")
    manifest = json.loads((data / MANIFEST_NAME).read_text())
    manifest["fingerprint"] = "an older generator"
    (data / MANIFEST_NAME).write_text(json.dumps(manifest))
    ensure_small_data(data)
    assert json.loads((data / MANIFEST_NAME).read_text())["fingerprint"] == small.manifest.fingerprint


def test_an_unreadable_manifest_means_regeneration(tmp_path: Path, small: Generated) -> None:
    data = _copy(small, tmp_path / "data")
    (data / MANIFEST_NAME).write_text("{not json")
    ensure_small_data(data)
    assert json.loads((data / MANIFEST_NAME).read_text())["files"] == small.manifest.files
