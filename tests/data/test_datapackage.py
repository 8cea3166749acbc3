"""``datapackage.json``: the data dictionary as a Frictionless Data Package, shipped with the data.

The schema must match what the generator writes (every column, in order), and standard tools must find in the
data exactly the problems planted on purpose: frictionless (PyPI) validates the generated files here.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from college.data import load_dictionary
from college.data.datapackage import FILE_NAME, data_package
from college.data.generator import Generated
from college.data.manifest import read_manifest
from college.site.data_pages import dictionary_pages
from tests.conftest import BIN, REPO

frictionless = pytest.importorskip("frictionless", reason="frictionless is a test-only dependency ([dev])")


def test_generate_writes_the_package_and_records_its_hash(small: Generated) -> None:
    written = json.loads((small.directory / FILE_NAME).read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(data_package(load_dictionary())))
    manifest = read_manifest(small.directory)
    assert manifest is not None and FILE_NAME in manifest.files


def test_every_published_file_is_a_resource_with_its_columns_in_order(small: Generated) -> None:
    package = data_package(load_dictionary())
    resources = {resource["path"]: resource for resource in package["resources"]}
    published = sorted(p.name for p in small.directory.glob("*.csv"))
    assert sorted(resources) == published and len(published) == 9
    for path, resource in resources.items():
        with (small.directory / path).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert [field["name"] for field in resource["schema"]["fields"]] == header, path


def test_constraints_come_from_the_dictionary() -> None:
    resource = next(
        r for r in data_package(load_dictionary())["resources"] if r["path"] == "ae_attendances.csv"
    )
    fields = {field["name"]: field for field in resource["schema"]["fields"]}
    assert fields["department_type"]["constraints"]["enum"] == [1, 2, 3, 4]
    assert fields["nhs_number"]["constraints"]["pattern"] == "999[0-9]{7}"
    assert fields["attendance_id"]["constraints"] == {
        "required": True,
        "unique": True,
        "pattern": "AE[0-9]{10}",
    }
    assert fields["arrival_datetime"]["format"] == "%Y-%m-%d %H:%M:%S"


@pytest.fixture(scope="module")
def report(small: Generated):  # type: ignore[no-untyped-def]
    return frictionless.Package(str(small.directory / FILE_NAME)).validate()


@pytest.mark.slow
def test_frictionless_finds_exactly_the_planted_codes_and_nothing_else(small: Generated, report) -> None:  # type: ignore[no-untyped-def]
    invalid = {task.name for task in report.tasks if not task.valid}
    assert invalid == {"ae-attendances"}
    errors = next(task for task in report.tasks if task.name == "ae-attendances").errors
    attendances = pd.read_csv(small.directory / "ae_attendances.csv", dtype=str)
    found = {
        (attendances["attendance_id"][e.row_number - 2], e.field_name) for e in errors
    }  # header is row 1
    assert {e.type for e in errors} == {"constraint-error"}
    truth = pd.read_csv(small.directory / "truth" / "ae_attendances_quality.csv", dtype=str)
    planted = set(
        truth.loc[truth["problem"] == "unknown_code", ["attendance_id", "column"]].itertuples(
            index=False, name=None
        )
    )
    assert len(planted) >= 10
    assert found == planted


@pytest.mark.slow
def test_a_value_outside_the_schema_is_reported(small: Generated, tmp_path: Path) -> None:
    """The check can fail elsewhere too: one age band changed in a copy of the standard population."""
    shutil.copy(small.directory / FILE_NAME, tmp_path / FILE_NAME)
    for path in small.directory.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "european_standard_population.csv"
    target.write_text(target.read_text(encoding="utf-8").replace("\n5-9,", "\n5 to 9,", 1), encoding="utf-8")
    report = frictionless.Package(str(tmp_path / FILE_NAME)).validate()
    task = next(task for task in report.tasks if task.name == "european-standard-population")
    assert [(e.type, e.field_name, e.row_number) for e in task.errors] == [
        ("constraint-error", "age_band", 3)
    ]


@pytest.mark.slow
def test_the_command_on_the_data_page_runs_as_written() -> None:
    """`frictionless validate datapackage.json`, in the folder of the files (the repository's small data)."""
    command = "frictionless validate datapackage.json"
    assert f"```bash\n{command}\n```" in dictionary_pages()["data/index.md"]
    assert (REPO / "data" / FILE_NAME).is_file(), "run `make data` first"
    result = subprocess.run(
        [str(BIN / command.split()[0]), *command.split()[1:]],
        cwd=REPO / "data",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ae-attendances" in result.stdout and "INVALID" in result.stdout
    assert result.stdout.count("INVALID") == 1
