"""The distribution's metadata: every package the code imports is declared, in the extra of the role that needs
it, and the lock file pins everything `make setup` installs within the ranges pyproject.toml gives."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
BASE = [Requirement(text) for text in PROJECT["dependencies"]]
EXTRAS = {
    name: [Requirement(text) for text in texts] for name, texts in PROJECT["optional-dependencies"].items()
}
TRAINEE_PACKAGES = ("college/selfcheck", "college/methods", "college/validity", "college/data")


def _imports(folder: str) -> set[str]:
    found: set[str] = set()
    for path in (REPO / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return {
        name
        for name in found
        if name not in sys.stdlib_module_names and name not in ("college", "autograder")
    }


def _distributions(modules: set[str]) -> set[str]:
    mapping = packages_distributions()
    return {canonicalize_name(mapping[module][0]) for module in modules}


def _names(requirements: list[Requirement]) -> set[str]:
    return {canonicalize_name(r.name) for r in requirements}


def test_every_imported_package_is_declared() -> None:
    declared = _names(BASE) | _names(EXTRAS["grade"]) | _names(EXTRAS["site"]) | _names(EXTRAS["scale"])
    used = _distributions(_imports("college") | _imports("autograder"))
    assert used <= declared, sorted(used - declared)


USED_WITHOUT_AN_IMPORT = {
    "mkdocs-material": "the theme mkdocs.yml names",
    "pymdown-extensions": "the Markdown extensions mkdocs.yml names",
    "zensical": "the second builder (`make build-zensical`)",
    "psycopg": "SQLAlchemy's driver for a postgresql:// gradebook",
    "dask": "the `dask scheduler` and `dask worker` commands autograder/README.md shows",
}
"""Declared packages the code does not import, each with what it is for."""


def test_every_declared_package_is_used() -> None:
    declared = _names(BASE) | _names(EXTRAS["grade"]) | _names(EXTRAS["site"]) | _names(EXTRAS["scale"])
    used = _distributions(_imports("college") | _imports("autograder"))
    assert declared - used - set(USED_WITHOUT_AN_IMPORT) == set()
    assert set(USED_WITHOUT_AN_IMPORT) <= declared


OPTIONAL_FOR_TRAINEES = {"matplotlib", "pyarrow"}
"""Imported only where used: matplotlib inside `college.methods.spc.plot_xmr`, pyarrow inside the data writer's
Parquet and fast-text paths (`tests/data/test_without_pyarrow.py` runs the generator without it)."""


def test_what_a_trainee_runs_imports_only_the_plain_install() -> None:
    used = set().union(*(_distributions(_imports(folder)) for folder in TRAINEE_PACKAGES))
    assert used - OPTIONAL_FOR_TRAINEES <= _names(BASE), sorted(used - _names(BASE))


def test_the_lock_pins_every_requirement_within_its_range() -> None:
    pins = {}
    for line in (REPO / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    for requirement in [*BASE, *(r for rs in EXTRAS.values() for r in rs)]:
        name = canonicalize_name(requirement.name)
        if name == "nhs-open-college":
            continue
        assert name in pins, f"requirements/lock.txt does not pin {name}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name], requirement)
