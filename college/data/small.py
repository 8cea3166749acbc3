"""The small-scale data that exercises and the site ship, generated only when needed."""

from __future__ import annotations

from pathlib import Path

from college.data.dictionary import load_dictionary
from college.data.generator import DEFAULT_SEED, generate
from college.data.manifest import is_current
from college.data.scales import Scale
from college.data.writer import Format

SMALL_FORMATS = (Format.CSV, Format.PARQUET)


def ensure_small_data(out_dir: Path) -> Path:
    """Make sure ``out_dir`` holds the current small-scale data (CSV and Parquet, default seed) and return it.

    Nothing is written when the manifest shows the same seed, scale, schema version and generator fingerprint and
    every file still has its recorded SHA-256; otherwise the data are generated again.
    """
    out_dir = Path(out_dir)
    current = is_current(
        out_dir,
        seed=DEFAULT_SEED,
        scale=Scale.SMALL.value,
        schema_version=load_dictionary().schema_version,
        formats=tuple(value.value for value in SMALL_FORMATS),
    )
    if not current:
        generate(out_dir, seed=DEFAULT_SEED, scale=Scale.SMALL, formats=SMALL_FORMATS)
    return out_dir
