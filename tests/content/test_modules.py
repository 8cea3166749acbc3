"""The tracks' content: length, time, British English, and worked examples that really run on the shared data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from college.curriculum import Module, load_curriculum
from tests.conftest import REPO

CURRICULUM = load_curriculum(REPO)
ANALYSTS = CURRICULUM.modules_in_track("analysts")
LEADERS = CURRICULUM.modules_in_track("leaders")
PRACTITIONERS = CURRICULUM.modules_in_track("practitioners")
TECHNICAL_COMPETENCIES = frozenset(
    {
        "python-data-analysis",
        "sql-querying",
        "reproducible-pipelines",
        "version-control-review",
        "software-testing",
        "rates-and-uncertainty",
        "statistical-process-control",
        "forecasting-demand",
        "data-quality",
        "disclosure-control",
    }
)
"""Competencies practised in code or calculation: a practitioner module that builds one to practitioner level needs
an auto-marked exercise at that level. The others (judgement, communication, governance, assurance processes,
leadership) are evidenced by reading, reflection and CPD activities rather than by a marked notebook."""
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^(?P=indent)```", re.MULTILINE | re.DOTALL
)
AMERICAN = re.compile(
    r"\b(color|colors|organization|organizations|organize|analyze|analyzed|analyzing|standardized|standardize|"
    r"behavior|behaviors|center|centers|favorite|modeling|"
    r"visualization|visualizations|prioritize|prioritized|summarize|summarized|recognize|recognized|optimize|"
    r"minimize|maximize|normalized|randomized|categorized|characterized|hospitalization|hospitalizations)\b",
    re.IGNORECASE,
)
"""Common American spellings; British English uses -ise, -our, -re and so on. Code blocks are not checked."""


def prose(module: Module) -> str:
    return FENCE.sub("", module.body)


def words(module: Module) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", prose(module)))


def python_blocks(module: Module) -> list[str]:
    blocks = []
    for match in FENCE.finditer(module.body):
        if match.group("lang") == "python":
            indent = match.group("indent")
            blocks.append("\n".join(line.removeprefix(indent) for line in match.group("code").splitlines()))
    return blocks


def test_the_tracks_are_complete() -> None:
    assert len(ANALYSTS) >= 12
    assert len(LEADERS) >= 8
    assert len(PRACTITIONERS) >= 6


@pytest.mark.parametrize("module", ANALYSTS, ids=lambda m: m.id)
def test_analysts_module_length(module: Module) -> None:
    assert 1200 <= words(module) <= 3000, words(module)


@pytest.mark.parametrize("module", LEADERS, ids=lambda m: m.id)
def test_leaders_module_is_short_and_ends_with_a_quiz(module: Module) -> None:
    assert 800 <= words(module) <= 2000, words(module)
    assert 15 <= module.minutes.reading <= 30
    assert 3 <= len(module.quiz) <= 6
    assert not python_blocks(module), "leaders do not code: show results, not code"


@pytest.mark.parametrize("module", PRACTITIONERS, ids=lambda m: m.id)
def test_practitioners_module_length(module: Module) -> None:
    assert 1200 <= words(module) <= 3000, words(module)


@pytest.mark.parametrize("module", PRACTITIONERS, ids=lambda m: m.id)
def test_practitioners_module_shape(module: Module) -> None:
    """CPD for working analysts: practitioner level, opens with the "In brief" box, builds on initial training."""
    assert module.level == "practitioner"
    assert any(item.level == "practitioner" for item in module.competencies), (
        "build a competency to practitioner"
    )
    assert module.body.lstrip().startswith('!!! abstract "In brief"'), "open with the In brief admonition"
    initial = {m.id for m in ANALYSTS}
    assert initial & set(module.prerequisites), (
        "name the analysts' module this one builds on as a prerequisite"
    )


def is_technical(competency_id: str) -> bool:
    return competency_id in TECHNICAL_COMPETENCIES


@pytest.mark.parametrize("module", PRACTITIONERS, ids=lambda m: m.id)
def test_technical_practitioners_module_has_an_auto_marked_exercise(module: Module) -> None:
    """A technical competency at practitioner level is evidenced by an exercise at that level, not by reading."""
    technical = {c.id for c in module.competencies if c.level == "practitioner" and is_technical(c.id)}
    if not technical:
        pytest.skip(f"{module.id} builds no technical competency to practitioner level")
    evidenced = {
        item.id
        for exercise in CURRICULUM.exercises
        if exercise.module == module.id
        for item in exercise.competencies
        if item.level == "practitioner"
    }
    assert technical <= evidenced, f"no exercise of {module.id} evidences {sorted(technical - evidenced)}"


def test_the_technical_competencies_exist() -> None:
    known = {competency.id for competency in CURRICULUM.competencies}
    assert not TECHNICAL_COMPETENCIES - known, TECHNICAL_COMPETENCIES - known
    assert not is_technical("communicating-findings") and not is_technical("analytical-assurance")


@pytest.mark.parametrize("module", CURRICULUM.modules, ids=lambda m: m.id)
def test_british_english(module: Module) -> None:
    text = prose(module) + " ".join(module.objectives) + " ".join(module.key_points)
    assert AMERICAN.findall(text) == []


def test_the_spelling_check_can_fail() -> None:
    assert AMERICAN.findall("We analyze the color of the organization.") == [
        "analyze",
        "color",
        "organization",
    ]


@pytest.mark.parametrize(
    "module", [m for m in ANALYSTS + PRACTITIONERS if python_blocks(m)], ids=lambda m: m.id
)
def test_worked_examples_run_on_the_shared_data(module: Module, tmp_path: Path) -> None:
    """Every Python block on the page runs, in order, in one fresh interpreter, next to the data folder."""
    (tmp_path / "data").symlink_to(REPO / "data", target_is_directory=True)
    script = "\n\n".join(python_blocks(module))
    (tmp_path / "page.py").write_text(script, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "page.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{module.source_path}:\n{result.stderr[-3000:]}"


def test_most_analysts_modules_have_a_worked_example_in_code() -> None:
    with_code = [m.id for m in ANALYSTS if python_blocks(m)]
    assert len(with_code) >= 10, with_code


def test_every_competency_a_role_needs_is_taught_by_a_module() -> None:
    taught = {item.id for module in CURRICULUM.modules for item in module.competencies}
    needed = {r.competency for role in CURRICULUM.roles for r in role.requires}
    assert needed - taught == set()


@pytest.mark.parametrize("role_id", ["trainee-analyst", "analyst", "leader"])
def test_initial_training_reaches_every_level_these_roles_need(role_id: str) -> None:
    from college.site.pathways import pathway

    assert pathway(CURRICULUM, CURRICULUM.role(role_id)).gaps == ()


def test_leader_pathway_is_the_leaders_track() -> None:
    from college.site.pathways import pathway

    modules = pathway(CURRICULUM, CURRICULUM.role("leader")).modules
    assert {m.id for m in LEADERS} <= {m.id for m in modules}
    assert all(m.track == "leaders" for m in modules)
