"""Checks that need the whole curriculum: references between files, cycles, page pattern, quizzes and coverage."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from college.curriculum.models import Curriculum, Module
from college.curriculum.problems import Problem, Severity

COMPETENCIES_FILE = "competencies/competencies.yml"
ROLES_FILE = "competencies/roles.yml"
LEVELS_FILE = "competencies/levels.yml"
TRACKS_FILE = "competencies/tracks.yml"
ACTIVITIES_FILE = "competencies/activities.yml"
RESERVED_ACTIVITY_IDS = frozenset({"index", "record"})
"""Names of pages in the site's activities folder that are not activities (the index and the CPD record)."""
QUIZ_QUESTIONS = range(3, 7)
"""A leaders' module ends with a self-check quiz of three to six questions."""

IN_BRIEF = re.compile(r'^!!! abstract "In brief"', re.MULTILINE)
WHY_IT_MATTERS = re.compile(r"^## Why it matters\s*$", re.MULTILINE)
GENERATED_HEADING = re.compile(r"^## (Key points|Sources|Self-check quiz)\s*$", re.MULTILINE)


def module_file(module: Module) -> str:
    return f"courses/{module.source_path}"


def exercise_file(exercise_id: str) -> str:
    return f"exercises/{exercise_id}/exercise.yml"


def validate_curriculum(curriculum: Curriculum) -> list[Problem]:
    """Every cross-file problem, errors and warnings together."""
    checks: list[Callable[[Curriculum], Iterable[Problem]]] = [
        duplicate_ids,
        level_ranks,
        competency_references,
        role_references,
        role_ladder_cycles,
        module_references,
        prerequisite_cycles,
        module_page_pattern,
        quizzes,
        exercise_references,
        activity_references,
        coverage,
    ]
    return [problem for check in checks for problem in check(curriculum)]


def duplicate_ids(curriculum: Curriculum) -> Iterable[Problem]:
    groups: Mapping[str, tuple[str, Iterable[str]]] = {
        "tracks": (TRACKS_FILE, (track.id for track in curriculum.tracks)),
        "levels": (LEVELS_FILE, (level.id for level in curriculum.levels)),
        "areas": (COMPETENCIES_FILE, (area.id for area in curriculum.areas)),
        "competencies": (COMPETENCIES_FILE, (item.id for item in curriculum.competencies)),
        "roles": (ROLES_FILE, (role.id for role in curriculum.roles)),
        "activities": (ACTIVITIES_FILE, (activity.id for activity in curriculum.activities)),
    }
    for key, (file, ids) in groups.items():
        for item_id, count in Counter(ids).items():
            if count > 1:
                yield Problem(file, f"{key} (id {item_id})", f"id '{item_id}' is used {count} times")
    seen: dict[str, Module] = {}
    for module in curriculum.modules:
        if module.id in seen:
            yield Problem(
                module_file(module), "id", f"'{module.id}' is also the id of {module_file(seen[module.id])}"
            )
        seen.setdefault(module.id, module)
    orders = Counter((module.track, module.order) for module in curriculum.modules)
    for module in curriculum.modules:
        if orders[(module.track, module.order)] > 1:
            yield Problem(
                module_file(module), "file name", f"order {module.order:02d} is used by another module"
            )


def level_ranks(curriculum: Curriculum) -> Iterable[Problem]:
    for rank, count in Counter(level.rank for level in curriculum.levels).items():
        if count > 1:
            yield Problem(LEVELS_FILE, "levels.rank", f"rank {rank} is given to {count} levels")


def competency_references(curriculum: Curriculum) -> Iterable[Problem]:
    area_ids = {area.id for area in curriculum.areas}
    level_ids = {level.id for level in curriculum.levels}
    for competency in curriculum.competencies:
        where = f"competencies (id {competency.id})"
        if competency.area not in area_ids:
            yield Problem(COMPETENCIES_FILE, f"{where}.area", f"unknown area '{competency.area}'")
        for level_id in competency.levels:
            if level_id not in level_ids:
                yield Problem(COMPETENCIES_FILE, f"{where}.levels.{level_id}", f"unknown level '{level_id}'")
    for area in curriculum.areas:
        if not any(item.area == area.id for item in curriculum.competencies):
            yield Problem(COMPETENCIES_FILE, f"areas (id {area.id})", "no competency belongs to this area")


def _level_problem(
    curriculum: Curriculum, competency_id: str, level_id: str, file: str, field: str
) -> Problem | None:
    """The problem with a (competency, level) reference, if any."""
    competency_ids = {item.id for item in curriculum.competencies}
    if competency_id not in competency_ids:
        return Problem(file, field, f"unknown competency '{competency_id}'")
    if level_id not in {level.id for level in curriculum.levels}:
        return Problem(file, field, f"unknown level '{level_id}'")
    if level_id not in curriculum.competency(competency_id).levels:
        return Problem(
            file,
            field,
            f"competency '{competency_id}' has no description at level '{level_id}' in {COMPETENCIES_FILE}",
        )
    return None


def role_references(curriculum: Curriculum) -> Iterable[Problem]:
    role_ids = {role.id for role in curriculum.roles}
    track_ids = {track.id for track in curriculum.tracks}
    for role in curriculum.roles:
        where = f"roles (id {role.id})"
        if curriculum.tracks and role.track not in track_ids:
            yield Problem(ROLES_FILE, f"{where}.track", f"unknown track '{role.track}'")
        if role.builds_on is not None and role.builds_on not in role_ids:
            yield Problem(ROLES_FILE, f"{where}.builds_on", f"unknown role '{role.builds_on}'")
        counts = Counter(requirement.competency for requirement in role.requires)
        for index, requirement in enumerate(role.requires):
            field = f"{where}.requires[{index}]"
            problem = _level_problem(curriculum, requirement.competency, requirement.level, ROLES_FILE, field)
            if problem is not None:
                yield problem
            if counts[requirement.competency] > 1:
                yield Problem(
                    ROLES_FILE, field, f"competency '{requirement.competency}' is listed more than once"
                )


def _find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in a directed graph as a list of nodes, or ``None``."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for successor in graph.get(node, ()):
            if state.get(successor) == 1:
                return [*stack[stack.index(successor) :], successor]
            if successor in graph and state.get(successor) is None:
                found = visit(successor)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def role_ladder_cycles(curriculum: Curriculum) -> Iterable[Problem]:
    graph = {role.id: [role.builds_on] if role.builds_on else [] for role in curriculum.roles}
    cycle = _find_cycle(graph)
    if cycle:
        yield Problem(ROLES_FILE, "builds_on", "roles build on each other in a circle: " + " → ".join(cycle))


def module_references(curriculum: Curriculum) -> Iterable[Problem]:
    module_ids = {module.id for module in curriculum.modules}
    level_ids = {level.id for level in curriculum.levels}
    for module in curriculum.modules:
        file = module_file(module)
        if module.level not in level_ids:
            yield Problem(file, "level", f"unknown level '{module.level}'")
        for index, item in enumerate(module.competencies):
            problem = _level_problem(curriculum, item.id, item.level, file, f"competencies[{index}]")
            if problem is not None:
                yield problem
        for index, prerequisite in enumerate(module.prerequisites):
            if prerequisite == module.id:
                yield Problem(file, f"prerequisites[{index}]", "a module cannot be its own prerequisite")
            elif prerequisite not in module_ids:
                yield Problem(file, f"prerequisites[{index}]", f"unknown module '{prerequisite}'")


def prerequisite_cycles(curriculum: Curriculum) -> Iterable[Problem]:
    graph = {module.id: list(module.prerequisites) for module in curriculum.modules}
    cycle = _find_cycle(graph)
    if cycle:
        module = curriculum.module(cycle[0])
        yield Problem(
            module_file(module), "prerequisites", "prerequisites form a cycle: " + " → ".join(cycle)
        )


def module_page_pattern(curriculum: Curriculum) -> Iterable[Problem]:
    """Every module page follows the college's pattern: an "In brief" box, then why it matters."""
    for module in curriculum.modules:
        file = module_file(module)
        if not IN_BRIEF.search(module.body):
            yield Problem(file, "body", "has no '!!! abstract \"In brief\"' box")
        if not WHY_IT_MATTERS.search(module.body):
            yield Problem(file, "body", "has no '## Why it matters' section")
        heading = GENERATED_HEADING.search(module.body)
        if heading:
            yield Problem(
                file,
                "body",
                f"'## {heading.group(1)}' is made from the front matter; remove it from the body",
            )


def quizzes(curriculum: Curriculum) -> Iterable[Problem]:
    for module in curriculum.modules:
        file = module_file(module)
        if curriculum.for_leaders(module) and len(module.quiz) not in QUIZ_QUESTIONS:
            yield Problem(file, "quiz", f"a leaders' module needs 3 to 6 questions, not {len(module.quiz)}")
        for index, question in enumerate(module.quiz):
            correct = sum(option.correct for option in question.options)
            if correct != 1:
                yield Problem(
                    file, f"quiz[{index}].options", f"needs exactly one correct option, not {correct}"
                )


def exercise_references(curriculum: Curriculum) -> Iterable[Problem]:
    module_ids = {module.id for module in curriculum.modules}
    for exercise in curriculum.exercises:
        file = exercise_file(exercise.id)
        if exercise.module not in module_ids:
            yield Problem(file, "module", f"unknown module '{exercise.module}'")
        for index, item in enumerate(exercise.competencies):
            problem = _level_problem(curriculum, item.id, item.level, file, f"competencies[{index}]")
            if problem is not None:
                yield problem


def activity_references(curriculum: Curriculum) -> Iterable[Problem]:
    for activity in curriculum.activities:
        where = f"activities (id {activity.id})"
        if activity.id in RESERVED_ACTIVITY_IDS:
            yield Problem(ACTIVITIES_FILE, f"{where}.id", f"'{activity.id}' is the name of another page")
        counts = Counter(item.id for item in activity.competencies)
        for index, item in enumerate(activity.competencies):
            field = f"{where}.competencies[{index}]"
            problem = _level_problem(curriculum, item.id, item.level, ACTIVITIES_FILE, field)
            if problem is not None:
                yield problem
            if counts[item.id] > 1:
                yield Problem(ACTIVITIES_FILE, field, f"competency '{item.id}' is listed more than once")


def module_reach(curriculum: Curriculum) -> dict[str, int]:
    """For each competency, the rank of the highest level any module builds toward."""
    known_levels = {level.id for level in curriculum.levels}
    reached: dict[str, int] = {}
    for module in curriculum.modules:
        for item in module.competencies:
            if item.level in known_levels:
                reached[item.id] = max(reached.get(item.id, 0), curriculum.rank(item.level))
    return reached


def requirement_met(curriculum: Curriculum, competency_id: str, level_id: str) -> bool:
    """A requirement is met by a module building toward its level or higher, or an activity evidencing its level."""
    if module_reach(curriculum).get(competency_id, 0) >= curriculum.rank(level_id):
        return True
    return bool(curriculum.activities_evidencing(competency_id, level_id))


def coverage(curriculum: Curriculum) -> Iterable[Problem]:
    """Warnings: competencies nothing teaches, and role requirements no module reaches and no activity evidences."""
    known_levels = {level.id for level in curriculum.levels}
    reached = module_reach(curriculum)
    for competency in curriculum.competencies:
        if competency.id not in reached:
            yield Problem(
                COMPETENCIES_FILE,
                f"competencies (id {competency.id})",
                "no module teaches this competency",
                Severity.WARNING,
            )
    for role in curriculum.roles:
        for requirement in role.requires:
            if requirement.level not in known_levels or requirement.competency not in reached:
                continue
            if not requirement_met(curriculum, requirement.competency, requirement.level):
                yield Problem(
                    ROLES_FILE,
                    f"roles (id {role.id}).requires ({requirement.competency})",
                    f"needs level '{requirement.level}' but no module or activity reaches it: modules build "
                    f"toward '{_level_at(curriculum, reached[requirement.competency])}' at most",
                    Severity.WARNING,
                )


def _level_at(curriculum: Curriculum, rank: int) -> str:
    return next(level.id for level in curriculum.levels if level.rank == rank)
