"""Role pathways: which modules build a role's competencies, in an order that respects prerequisites."""

from __future__ import annotations

from dataclasses import dataclass

from college.curriculum import Activity, Curriculum, Module, Role
from college.curriculum.models import Requirement
from college.curriculum.validation import requirement_met


@dataclass(frozen=True)
class Gap:
    """A requirement that no module builds to the level a role needs and no activity evidences at that level."""

    requirement: Requirement
    reached: str | None
    """The highest level any module builds toward, or ``None`` if nothing teaches it."""


@dataclass(frozen=True)
class Pathway:
    role: Role
    modules: tuple[Module, ...]
    gaps: tuple[Gap, ...]

    @property
    def minutes(self) -> int:
        return sum(module.minutes.total for module in self.modules)


def teaching_modules(curriculum: Curriculum, competency_id: str, track: str) -> list[Module]:
    """Modules that build a competency, preferring the role's own track when it has any."""
    teaching = [m for m in curriculum.modules if any(item.id == competency_id for item in m.competencies)]
    own_track = [m for m in teaching if m.track == track]
    return own_track or teaching


def with_prerequisites(curriculum: Curriculum, modules: list[Module]) -> set[str]:
    known = {module.id for module in curriculum.modules}
    selected: set[str] = set()
    pending = [module.id for module in modules]
    while pending:
        module_id = pending.pop()
        if module_id in selected or module_id not in known:
            continue
        selected.add(module_id)
        pending.extend(curriculum.module(module_id).prerequisites)
    return selected


def prerequisite_order(curriculum: Curriculum, module_ids: set[str], track: str) -> tuple[Module, ...]:
    """Kahn's algorithm; among modules that are ready, the role's own track and then course order come first."""
    remaining = {module_id: curriculum.module(module_id) for module_id in module_ids}
    ordered: list[Module] = []
    while remaining:
        ready = [
            module for module in remaining.values() if all(p not in remaining for p in module.prerequisites)
        ]
        if not ready:  # a cycle: reported by the checker; keep the page buildable
            ready = list(remaining.values())
        ready.sort(key=lambda m: (m.track != track, m.track, m.order))
        ordered.append(ready[0])
        del remaining[ready[0].id]
    return tuple(ordered)


def reached_levels(curriculum: Curriculum) -> dict[str, str]:
    """For each competency, the highest level any module builds toward."""
    best: dict[str, str] = {}
    for module in curriculum.modules:
        for item in module.competencies:
            if item.id not in best or curriculum.rank(item.level) > curriculum.rank(best[item.id]):
                best[item.id] = item.level
    return best


def pathway(curriculum: Curriculum, role: Role) -> Pathway:
    chosen: list[Module] = []
    for requirement in role.requires:
        chosen.extend(teaching_modules(curriculum, requirement.competency, role.track))
    ids = with_prerequisites(curriculum, chosen)
    reached = reached_levels(curriculum)
    gaps = tuple(
        Gap(requirement, reached.get(requirement.competency))
        for requirement in role.requires
        if not requirement_met(curriculum, requirement.competency, requirement.level)
    )
    return Pathway(role, prerequisite_order(curriculum, ids, role.track), gaps)


def added_over(curriculum: Curriculum, role: Role) -> list[tuple[Requirement, str | None]]:
    """What a role needs beyond the role it builds on: each new or raised requirement, with the level below."""
    if role.builds_on is None or role.builds_on not in {r.id for r in curriculum.roles}:
        return [(requirement, None) for requirement in role.requires]
    below = {r.competency: r.level for r in curriculum.role(role.builds_on).requires}
    return [
        (requirement, below.get(requirement.competency))
        for requirement in role.requires
        if requirement.competency not in below
        or curriculum.rank(requirement.level) > curriculum.rank(below[requirement.competency])
    ]


def role_activities(curriculum: Curriculum, role: Role) -> tuple[Activity, ...]:
    """Activities that evidence one of a role's requirements at the level the role needs, in file order."""
    needed = {(r.competency, r.level) for r in role.requires}
    return tuple(
        activity
        for activity in curriculum.activities
        if any((item.id, item.level) in needed for item in activity.competencies)
    )


@dataclass(frozen=True)
class Step:
    """One thing the next role up adds, with what in the college builds it."""

    requirement: Requirement
    current: str | None
    """The level the role below needs, or ``None`` if it does not need the competency."""
    modules: tuple[Module, ...]
    """Modules that build the competency beyond the current level."""
    activities: tuple[Activity, ...]
    """Activities that evidence the competency at the level the next role needs."""


def next_steps(curriculum: Curriculum, above: Role) -> tuple[Step, ...]:
    """A career pathway's next step: what ``above`` adds over the role it builds on, and what builds each."""
    steps = []
    for requirement, current in added_over(curriculum, above):
        floor = curriculum.rank(current) if current else 0
        modules = tuple(
            module
            for module in sorted(curriculum.modules, key=lambda m: (m.track != above.track, m.track, m.order))
            if any(
                item.id == requirement.competency and curriculum.rank(item.level) > floor
                for item in module.competencies
            )
        )
        activities = curriculum.activities_evidencing(requirement.competency, requirement.level)
        steps.append(Step(requirement, current, modules, activities))
    return tuple(steps)
