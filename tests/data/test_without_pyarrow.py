"""The data generator in a trainee's plain install, which has no pyarrow (170 MB): the same CSV bytes, and a
one-line request for pyarrow (writing nothing) when Parquet is asked for.

Each run is a fresh interpreter in which ``import pyarrow`` fails, as it does where pyarrow is not installed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from college.data.generator import Generated

WITHOUT_PYARROW = """
import sys
sys.modules["pyarrow"] = None  # `import pyarrow` now raises ImportError, as where it is not installed
from college.cli import app
app(sys.argv[1:], prog_name="college")
"""


def _college_without_pyarrow(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_PYARROW, *args], capture_output=True, text=True, timeout=300
    )


def test_without_pyarrow_the_csv_files_are_byte_for_byte_the_same(tmp_path: Path, small: Generated) -> None:
    completed = _college_without_pyarrow("data", "generate", "--out", str(tmp_path))
    assert completed.returncode == 0, completed.stderr
    files = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["files"]
    with_pyarrow = {
        name: digest for name, digest in small.manifest.files.items() if not name.endswith(".parquet")
    }
    assert files == with_pyarrow


def test_without_pyarrow_parquet_is_refused_in_one_line_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "data"
    completed = _college_without_pyarrow("data", "generate", "--format", "parquet", "--out", str(out))
    assert completed.returncode == 1
    assert "python -m pip install pyarrow" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not out.exists()


def test_the_refusal_is_not_made_where_pyarrow_is_installed() -> None:
    from college.data import text

    assert text.HAVE_ARROW, "the development install has pyarrow; the tests above simulate its absence"
