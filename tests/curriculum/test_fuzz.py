"""Property-based tests: whatever is done to a curriculum file, the loader answers with problems, never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from college.checking import check
from college.curriculum import Severity
from tests.conftest import MINIMAL, populate

FILES = [
    "competencies/tracks.yml",
    "competencies/levels.yml",
    "competencies/competencies.yml",
    "competencies/roles.yml",
    "competencies/activities.yml",
    "courses/analysts/01-xmr-charts.md",
    "courses/leaders/01-commissioning.md",
    "exercises/first-look/exercise.yml",
]

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


SITE_NOTE = "(site)"
"""Where `college check` files "pages could not be generated until the errors above are fixed"."""

DOWNLOADS: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def downloads(minimal_downloads: Path) -> None:
    DOWNLOADS[:] = [minimal_downloads]  # hypothesis tests cannot take function-scoped fixtures


def run_check(files: dict[str, bytes]) -> list[str]:
    """Check a copy of the minimal curriculum with some files replaced; return the files named by errors."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "curriculum"
        shutil.copytree(MINIMAL, root)
        populate(root, DOWNLOADS[0])
        for name, content in files.items():
            (root / name).write_bytes(content)
        result = check(root)
        return [p.file for p in result.problems if p.severity is Severity.ERROR]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file=st.sampled_from(FILES), data=st.data())
def test_byte_level_damage_never_raises(file: str, data: st.DataObject) -> None:
    original = (MINIMAL / file).read_bytes()
    start = data.draw(st.integers(0, len(original)))
    end = data.draw(st.integers(start, min(len(original), start + 40)))
    insert = data.draw(st.binary(max_size=30))
    damaged = original[:start] + insert + original[end:]
    errors = run_check({file: damaged})  # must return, whatever the bytes
    # Every error names a curriculum file; the one note allowed besides says the pages wait for those fixes.
    assert set(errors) - {SITE_NOTE} <= set(FILES), errors
    assert SITE_NOTE not in errors or len(set(errors)) > 1, errors
    if damaged == original:
        assert errors == []
    try:
        damaged.decode("utf-8")
    except UnicodeDecodeError:
        assert file in errors  # bytes that are not text are an error of that file, not a crash elsewhere


def _replace_somewhere(document: object, path: list[int], value: object) -> object:
    """Replace one node of a YAML document, chosen by a list of indices into its mappings and lists."""
    if not path or not isinstance(document, dict | list) or not document:
        return value
    if isinstance(document, dict):
        key = list(document)[path[0] % len(document)]
        return {**document, key: _replace_somewhere(document[key], path[1:], value)}
    index = path[0] % len(document)
    copy = list(document)
    copy[index] = _replace_somewhere(copy[index], path[1:], value)
    return copy


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    file=st.sampled_from([f for f in FILES if f.endswith(".yml")]),
    path=st.lists(st.integers(0, 10), min_size=1, max_size=4),
    value=yaml_values,
)
def test_structural_damage_is_reported_against_the_damaged_file(
    file: str, path: list[int], value: object
) -> None:
    document = yaml.safe_load((MINIMAL / file).read_text())
    damaged = _replace_somewhere(document, path, value)
    errors = run_check({file: yaml.safe_dump(damaged, allow_unicode=True).encode()})
    # Damage may leave the file valid, or break references from other files: every error still names a real
    # curriculum file, never a crash or an unnamed location.
    assert set(errors) <= set(FILES), errors
    if not isinstance(damaged, dict):
        assert file in errors


@settings(max_examples=40, deadline=None)
@given(front=yaml_values)
def test_any_front_matter_value_is_reported_against_the_module(front: object) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\nbody\n"
    errors = run_check({"courses/analysts/01-xmr-charts.md": text.encode()})
    assert "courses/analysts/01-xmr-charts.md" in errors
