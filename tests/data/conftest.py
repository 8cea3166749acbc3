"""The small-scale data, generated once per test session (CSV and Parquet), and read back with dictionary types."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from college.data import Format, Scale, generate
from college.data.generator import Generated
from college.data.plausibility import read_tables


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """The small scale with the default seed, in both formats."""
    return generate(tmp_path_factory.mktemp("small"), scale=Scale.SMALL, formats=(Format.CSV, Format.PARQUET))


@pytest.fixture(scope="session")
def small_tables(small: Generated) -> dict[str, pd.DataFrame]:
    """Every table and answer key of the small scale, read from CSV with the dictionary's types."""
    return read_tables(small.directory)


@pytest.fixture(scope="session")
def small_dir(small: Generated) -> Path:
    return small.directory
