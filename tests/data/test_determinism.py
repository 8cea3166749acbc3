"""The generator is a pure function of seed, scale and schema: the same arguments give the same bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from college.data import Format, Scale, generate
from college.data.generator import Generated

# SHA-256 of the small-scale CSV files for seed 2022. If you change the generator or the dictionary on purpose,
# regenerate, check the data (the whole suite), and update these; an unexpected change here means the output is
# no longer reproducible.
PINNED_SMALL_CSV: dict[str, str] = {
    "admissions.csv": "fda729e73cde846c7dbfec1e3088a32133b622175c89022e3c8df177d2df6c2f",
    "ae_attendances.csv": "1d63c5aa5fd57333e48e2d75e6b073b5033feeb040bd848f5c74e291fd2a0a54",
    "code_lists.csv": "56be8bd0f83f6b0c5298c98f453d2e52b1e0ce496da12e131bed5334349bf1e1",
    "deaths.csv": "636c333fd66a7d711038a3be6c78c7a830a38519c6a5cd5e47821ade212675f5",
    "european_standard_population.csv": "a4b4fdc5f233b684482412c94cad05fe5f2b76face797f512814515c8b7b4914",
    "monthly_indicators.csv": "0e128cb1700c2bc0cb22e40a8350c1599e5651032c9cabfe0d1a5b88a394bd33",
    "patients.csv": "0decd5d80041df36f28cdee6e69d52e7efc56ff31417bad20519a96fcfb12436",
    "population.csv": "6ddabf78449dc49378e41c94844198abaec8cd2313fcb54f79d39b286c3127d4",
    "rtt_pathways.csv": "be7043dea6c6ff4b0b0e81eefdc7103ba0589add52a8e1a73417f0cf09044484",
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_small_csv_files_match_the_pinned_hashes(small: Generated) -> None:
    actual = {path.name: _sha256(path) for path in sorted(small.directory.glob("*.csv"))}
    assert actual == PINNED_SMALL_CSV


def test_two_runs_give_byte_identical_files(small: Generated, tmp_path: Path) -> None:
    again = generate(tmp_path, scale=Scale.SMALL, formats=(Format.CSV, Format.PARQUET))
    assert again.manifest == small.manifest
    for relative, digest in small.manifest.files.items():
        assert _sha256(tmp_path / relative) == digest, relative


def test_manifest_records_every_file_with_its_hash(small: Generated) -> None:
    written = {
        path.relative_to(small.directory).as_posix() for path in small.directory.rglob("*") if path.is_file()
    }
    assert written - {"manifest.json"} == set(small.manifest.files)
    for relative, digest in small.manifest.files.items():
        assert _sha256(small.directory / relative) == digest


def test_another_seed_gives_other_data(small: Generated, tmp_path: Path) -> None:
    other = generate(tmp_path, seed=7, scale=Scale.SMALL, formats=(Format.CSV,))
    assert other.manifest.files["patients.csv"] != small.manifest.files["patients.csv"]
    assert other.manifest.files["ae_attendances.csv"] != small.manifest.files["ae_attendances.csv"]
    # The reference table does not depend on the seed.
    assert (
        other.manifest.files["european_standard_population.csv"]
        == small.manifest.files["european_standard_population.csv"]
    )


def test_files_are_readable_by_everyone(small: Generated) -> None:
    for relative in small.manifest.files:
        assert (small.directory / relative).stat().st_mode & 0o444 == 0o444, relative


def test_a_negative_seed_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="seed"):
        generate(tmp_path, seed=-1)


def test_no_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format"):
        generate(tmp_path, formats=())
