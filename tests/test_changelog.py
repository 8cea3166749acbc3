"""CHANGELOG.md keeps the Keep a Changelog shape, and its latest version is the package's."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO

VERSION = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>.+))?$", re.MULTILINE)
SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_versions_are_semantic_and_the_latest_is_the_packages() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = [match["version"] for match in VERSION.finditer(text)]
    assert versions[0] == "Unreleased"
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in versions[1:])
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert versions[1] == project["version"]
    for version in versions:
        assert f"[{version}]: https://" in text, f"no link for {version}"


def test_only_the_standard_sections_are_used() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    used = set(re.findall(r"^### (.+)$", text, re.MULTILINE))
    assert used and used <= SECTIONS
