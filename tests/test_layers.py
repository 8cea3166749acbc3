"""Layers that point one way: which part of the code may import which, read from the source (every import,
those inside functions and under ``TYPE_CHECKING`` included).

From the bottom up: the open library (``college.methods``, ``college.validity``, on the one shared column check
``college.columns``), the base records (``college.base``), the file helpers (``college.files``) and the Markdown
table (``college.markdown_table``) stand on nothing else of ours; the curriculum model stands on the base records
only; the synthetic data uses only those and the validity checks; the site and the grader are consumers that never
import each other; the command lines are the top, and nothing imports them but a command line.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.conftest import REPO

ALLOWED: Mapping[str, frozenset[str]] = {
    "college.base": frozenset(),
    "college.columns": frozenset(),
    "college.files": frozenset(),
    "college.markdown_table": frozenset(),
    "college.methods": frozenset({"college.columns"}),
    "college.validity": frozenset({"college.columns"}),
    "college.curriculum": frozenset({"college.base"}),
    "college.data": frozenset(
        {"college.base", "college.validity", "college.files", "college.markdown_table"}
    ),
    "college.site": frozenset(
        {"college.curriculum", "college.data", "college.files", "college.methods", "college.markdown_table"}
    ),
    "college.selfcheck": frozenset(),
    "college.checking": frozenset({"college.curriculum", "college.site"}),
    "autograder": frozenset({"college.base", "college.curriculum", "college.files", "college.selfcheck"}),
    "autograder.cli": frozenset(
        {"autograder", "autograder.course_cli", "college.curriculum", "college.selfcheck"}
    ),
    "autograder.course_cli": frozenset({"autograder", "autograder.cli", "college.curriculum"}),
    "college.data.cli": frozenset({"college.data"}),
    "college.__main__": frozenset({"college.cli"}),
    "college.cli": frozenset(
        {
            "college.curriculum",
            "college.checking",
            "college.site",
            "college.data",
            "college.data.cli",
            "autograder.cli",
        }
    ),
}
"""Each unit of the code and the units it may import. A unit is the longest key its module name starts with."""

PACKAGES = ("college", "autograder")


def unit_of(module: str) -> str | None:
    """The unit a module belongs to, or None for modules outside the project (and ``college`` itself)."""
    matches = [unit for unit in ALLOWED if module == unit or module.startswith(unit + ".")]
    return max(matches, key=len) if matches else None


def imports(path: Path, module: str) -> Iterator[tuple[str, int]]:
    """Every module a file imports (absolute names, relative imports resolved), with its line."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            yield base, node.lineno
            for alias in node.names:  # `from college import data` imports college.data
                yield f"{base}.{alias.name}", node.lineno


def violations(root: Path, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """``file:line: unit imports unit`` for every import the contract does not allow."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).with_suffix("")
            module = ".".join(relative.parts).removesuffix(".__init__")
            source = unit_of(module)
            if source is None:
                continue
            for imported, line in imports(path, module):
                target = unit_of(imported)
                if target is None or target == source:
                    continue
                if target not in ALLOWED[source]:
                    found.append(f"{path.relative_to(root)}:{line}: {source} imports {target}")
    return sorted(set(found))


def test_every_module_of_the_project_belongs_to_a_unit() -> None:
    orphans = []
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            module = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            if module not in ("college",) and unit_of(module) is None:
                orphans.append(module)
    assert orphans == []


def test_imports_point_one_way() -> None:
    assert violations(REPO) == []


def test_a_lower_layer_importing_a_higher_one_is_caught(tmp_path: Path) -> None:
    (tmp_path / "college" / "curriculum").mkdir(parents=True)
    (tmp_path / "college" / "curriculum" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "college" / "curriculum" / "model.py").write_text(
        "def lazy():\n    from ..site import pages\n    import autograder.cli\n", encoding="utf-8"
    )
    assert violations(tmp_path, ("college",)) == [
        "college/curriculum/model.py:2: college.curriculum imports college.site",
        "college/curriculum/model.py:3: college.curriculum imports autograder.cli",
    ]


HEAVY = ("pandas", "numpy", "pyarrow")


@pytest.mark.parametrize("command", [["check"], ["check", "--verbose"]])
def test_college_check_loads_no_dataframe_library(command: list[str]) -> None:
    """`college check` validates YAML and Markdown: it has no use for pandas, NumPy or pyarrow."""
    script = (
        "import sys\n"
        f"sys.argv = ['college', *{command!r}, '--root', {str(REPO)!r}]\n"
        "from college.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert "Checked " in result.stdout, result.stdout + result.stderr
    assert "LOADED []" in result.stdout, result.stdout
