"""Pages derived from the competency framework: competencies, roles, pathways and the two matrices."""

from __future__ import annotations

from college.curriculum import Competency, Curriculum, Role
from college.markdown_table import table
from college.site import paths
from college.site.markdown import escape, hours, link, plural, sources_section
from college.site.pathways import added_over, next_steps, pathway, role_activities
from college.site.progress import role_progress


def render_competencies_index(curriculum: Curriculum) -> str:
    page = paths.COMPETENCIES_INDEX
    parts = [
        "# Competencies",
        "The college's competency framework: what NHS analysts, and the leaders who use their work, need to be "
        "able to do. Each competency is described at the levels used by the Government Digital and Data "
        "Profession Capability Framework and the Government Analysis Function.",
        "## Levels",
        table(
            ("Level", "What it means"),
            [(level.name, escape(level.description)) for level in curriculum.levels],
        ),
        f"See also the {link('module × competency matrix', page, paths.MODULE_MATRIX)} and the "
        f"{link('role × competency matrix', page, paths.ROLE_MATRIX)}.",
    ]
    for area in curriculum.areas:
        members = [c for c in curriculum.competencies if c.area == area.id]
        parts.append(f"## {area.name}")
        parts.append(escape(area.description))
        parts.append(
            table(
                ("Competency", "Summary"),
                [(link(c.name, page, paths.competency_page(c)), escape(c.summary)) for c in members],
            )
        )
    return "\n\n".join(parts) + "\n"


def render_competency(curriculum: Curriculum, competency: Competency) -> str:
    page = paths.competency_page(competency)
    ordered_levels = [level for level in curriculum.levels if level.id in competency.levels]
    roles = [
        (role, requirement.level)
        for role in curriculum.roles
        for requirement in role.requires
        if requirement.competency == competency.id
    ]
    modules = [
        (module, item.level)
        for module in sorted(curriculum.modules, key=lambda m: (m.track, m.order))
        for item in module.competencies
        if item.id == competency.id
    ]
    exercises = [
        (exercise, item)
        for exercise in curriculum.exercises
        for item in exercise.competencies
        if item.id == competency.id
    ]
    area_name = next((a.name for a in curriculum.areas if a.id == competency.area), competency.area)
    parts = [
        f"# {competency.name}",
        f"**Area:** {escape(area_name)}",
        escape(competency.summary),
        "## What it means at each level",
        table(
            ("Level", "What you can do"),
            [(level.name, escape(competency.levels[level.id])) for level in ordered_levels],
        ),
        "## Roles that need it",
        table(
            ("Role", "Level needed"),
            [
                (link(role.name, page, paths.role_page(role)), curriculum.level_name(level))
                for role, level in roles
            ],
        )
        if roles
        else "No role in the framework needs this competency yet.",
        "## Modules that teach it",
        table(
            ("Module", "Track", "Builds toward"),
            [
                (
                    link(module.title, page, paths.module_page(module)),
                    curriculum.track_name(module.track),
                    curriculum.level_name(level),
                )
                for module, level in modules
            ],
        )
        if modules
        else "No module teaches this competency yet.",
        "## Exercises that evidence it",
        table(
            ("Exercise", "Level", "Share of marks needed"),
            [
                (
                    link(exercise.title, page, paths.exercise_page(exercise)),
                    curriculum.level_name(item.level),
                    f"{item.threshold:.0%}",
                )
                for exercise, item in exercises
            ],
        )
        if exercises
        else "No auto-marked exercise evidences this competency yet.",
        "## CPD activities that evidence it",
        table(
            ("Activity", "Level", "Time"),
            [
                (
                    link(activity.title, page, paths.activity_page(activity)),
                    curriculum.level_name(item.level),
                    plural(activity.hours, "hour"),
                )
                for activity in curriculum.activities_evidencing(competency.id)
                for item in activity.competencies
                if item.id == competency.id
            ],
        )
        if curriculum.activities_evidencing(competency.id)
        else "No CPD activity evidences this competency yet.",
        sources_section(competency.sources),
    ]
    return "\n\n".join(parts) + "\n"


def render_roles_index(curriculum: Curriculum) -> str:
    page = paths.ROLES_INDEX
    rows = []
    for role in curriculum.roles:
        path = pathway(curriculum, role)
        rows.append(
            (
                link(role.name, page, paths.role_page(role)),
                escape(role.band),
                str(len(role.requires)),
                f"{plural(len(path.modules), 'module')}, {hours(path.minutes)}",
            )
        )
    return (
        "# Roles\n\n"
        "The NHS Analyst Service ladder, from trainee analyst to head of profession, and the leader role whose "
        "members commission and use analysis. Each role page shows its pathway through the college: the modules "
        "that build its competencies, in an order that respects their prerequisites, the CPD activities that "
        "evidence its expert levels, and what the next role up adds.\n\n"
        + table(("Role", "Band", "Competencies", "Pathway"), rows)
        + f"\n\nCompare every role at once in the {link('role × competency matrix', page, paths.ROLE_MATRIX)}.\n"
    )


def render_role(curriculum: Curriculum, role: Role) -> str:
    page = paths.role_page(role)
    known = {c.id for c in curriculum.competencies}
    path = pathway(curriculum, role)
    below = (
        curriculum.role(role.builds_on)
        if role.builds_on and role.builds_on in {r.id for r in curriculum.roles}
        else None
    )
    above = [r for r in curriculum.roles if r.builds_on == role.id]
    ladder = []
    if below:
        ladder.append(f"**Builds on:** {link(below.name, page, paths.role_page(below))}")
    if above:
        ladder.append("**Leads to:** " + ", ".join(link(r.name, page, paths.role_page(r)) for r in above))
    requirement_rows = [
        (
            link(curriculum.competency(r.competency).name, page, paths.competency_page(r.competency)),
            curriculum.level_name(r.level),
        )
        for r in role.requires
        if r.competency in known
    ]
    module_rows = [
        (
            str(number),
            link(module.title, page, paths.module_page(module)),
            curriculum.track_name(module.track),
            hours(module.minutes.total),
        )
        for number, module in enumerate(path.modules, start=1)
    ]
    added = [
        (
            link(curriculum.competency(r.competency).name, page, paths.competency_page(r.competency)),
            curriculum.level_name(previous) if previous else "not needed",
            curriculum.level_name(r.level),
        )
        for r, previous in added_over(curriculum, role)
        if r.competency in known
    ]
    activity_rows = [
        (
            link(activity.title, page, paths.activity_page(activity)),
            ", ".join(
                f"{curriculum.competency(item.id).name} ({curriculum.level_name(item.level).lower()})"
                for item in activity.competencies
                if item.id in known
                and any(r.competency == item.id and r.level == item.level for r in role.requires)
            ),
            plural(activity.hours, "hour"),
        )
        for activity in role_activities(curriculum, role)
    ]
    parts = [
        f"# {role.name}",
        f"**Band:** {escape(role.band)}" + ("  \n" + "  \n".join(ladder) if ladder else ""),
        escape(role.summary),
        "## Pathway",
        f"{plural(len(path.modules), 'module')}, {hours(path.minutes)} in all, in an order that respects each module's "
        "prerequisites.",
        table(("Step", "Module", "Track", "Time"), module_rows)
        if module_rows
        else "No module builds these yet.",
        role_progress(curriculum, role) if module_rows else "",
        f"## What it adds over {below.name.lower()}" if below else "## What it needs",
        table(("Competency", "Level before", "Level needed"), added)
        if added
        else "Nothing beyond the role below.",
        "## Every competency it needs",
        table(("Competency", "Level"), requirement_rows),
    ]
    if activity_rows:
        parts.append("## CPD activities")
        parts.append(
            "Some levels this role needs are shown by leading work rather than learnt from a module. These "
            f"{link('CPD activities', page, paths.ACTIVITIES_INDEX)} evidence them; keep your evidence in your "
            f"{link('CPD record', page, paths.CPD_RECORD)}."
        )
        parts.append(table(("Activity", "Evidences", "Time"), activity_rows))
    for next_role in above:
        parts.extend(_next_step(curriculum, role, next_role))
    if path.gaps:
        parts.append("## Beyond initial training")
        parts.append(
            "The college does not yet take these competencies as far as this role needs: they grow through "
            "experience, supervision and continuing professional development."
        )
        parts.append(
            table(
                ("Competency", "Level needed", "Highest level a module builds toward"),
                [
                    (
                        link(
                            curriculum.competency(g.requirement.competency).name,
                            page,
                            paths.competency_page(g.requirement.competency),
                        ),
                        curriculum.level_name(g.requirement.level),
                        curriculum.level_name(g.reached) if g.reached else "not yet taught",
                    )
                    for g in path.gaps
                    if g.requirement.competency in known
                ],
            )
        )
    parts.append(sources_section(role.sources))
    return "\n\n".join(part for part in parts if part) + "\n"


def _next_step(curriculum: Curriculum, role: Role, above: Role) -> list[str]:
    """The career pathway's next step: what the role above adds, and the modules and activities that build it."""
    page = paths.role_page(role)
    known = {c.id for c in curriculum.competencies}
    rows = []
    for step in next_steps(curriculum, above):
        if step.requirement.competency not in known:
            continue
        builders = [link(m.title, page, paths.module_page(m)) + " (module)" for m in step.modules]
        builders += [link(a.title, page, paths.activity_page(a)) + " (activity)" for a in step.activities]
        rows.append(
            (
                link(
                    curriculum.competency(step.requirement.competency).name,
                    page,
                    paths.competency_page(step.requirement.competency),
                ),
                curriculum.level_name(step.current) if step.current else "not needed",
                curriculum.level_name(step.requirement.level),
                ", ".join(builders) if builders else "nothing in the college yet",
            )
        )
    heading = f"## Next step: {above.name.lower()}"
    if not rows:
        return [heading, f"{link(above.name, page, paths.role_page(above))} needs nothing beyond this role."]
    return [
        heading,
        f"What a {link(above.name.lower(), page, paths.role_page(above))} ({escape(above.band)}) needs beyond "
        "this role, and what in the college builds each: modules teach toward a level, CPD activities evidence "
        "it by leading work.",
        table(("Competency", "Now", "Next role", "Built by"), rows),
    ]


LEVEL_ABBREVIATIONS = {1: "A", 2: "W", 3: "P", 4: "E"}


def _abbreviation(curriculum: Curriculum, level_id: str) -> str:
    return (
        LEVEL_ABBREVIATIONS.get(curriculum.rank(level_id), level_id)
        if level_id in {level.id for level in curriculum.levels}
        else level_id
    )


def _key(curriculum: Curriculum) -> str:
    return (
        "Key: "
        + ", ".join(
            f"**{LEVEL_ABBREVIATIONS.get(level.rank, level.id)}** {level.name.lower()}"
            for level in curriculum.levels
        )
        + "."
    )


def render_module_matrix(curriculum: Curriculum) -> str:
    page = paths.MODULE_MATRIX
    modules = sorted(curriculum.modules, key=lambda m: (m.track, m.order))
    codes = {m.id: f"{m.track[0].upper()}{m.order}" for m in modules}
    headers = ("Competency", *(codes[m.id] for m in modules))
    rows = []
    for competency in curriculum.competencies:
        cells = []
        for module in modules:
            level = next((c.level for c in module.competencies if c.id == competency.id), None)
            cells.append(_abbreviation(curriculum, level) if level else "")
        rows.append((link(competency.name, page, paths.competency_page(competency)), *cells))
    legend = table(
        ("Code", "Module"),
        [(codes[m.id], link(m.title, page, paths.module_page(m))) for m in modules],
    )
    return (
        "# Module × competency matrix\n\n"
        "Each cell shows the level a module builds a competency toward. "
        + _key(curriculum)
        + "\n\n"
        + table(headers, rows)
        + "\n\n## Modules\n\n"
        + legend
        + "\n"
    )


def render_role_matrix(curriculum: Curriculum) -> str:
    page = paths.ROLE_MATRIX
    headers = ("Competency", *(link(r.name, page, paths.role_page(r)) for r in curriculum.roles))
    rows = []
    for competency in curriculum.competencies:
        cells = []
        for role in curriculum.roles:
            level = next((r.level for r in role.requires if r.competency == competency.id), None)
            cells.append(_abbreviation(curriculum, level) if level else "")
        rows.append((link(competency.name, page, paths.competency_page(competency)), *cells))
    return (
        "# Role × competency matrix\n\n"
        "Each cell shows the level a role needs a competency at; an empty cell means the role does not need it. "
        + _key(curriculum)
        + "\n\n"
        + table(headers, rows)
        + "\n"
    )
