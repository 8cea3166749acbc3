"""Pages for CPD activities: an index of every activity and a page for each, made from the model."""

from __future__ import annotations

from college.curriculum import Activity, Curriculum
from college.markdown_table import table
from college.site import paths
from college.site.markdown import bullet_list, escape, link, plural, sources_section


def _evidences(curriculum: Curriculum, activity: Activity, page: str) -> str:
    known = {c.id for c in curriculum.competencies}
    return ", ".join(
        f"{link(curriculum.competency(item.id).name, page, paths.competency_page(item.id))} "
        f"({curriculum.level_name(item.level).lower()})"
        for item in activity.competencies
        if item.id in known
    )


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def render_activities_index(curriculum: Curriculum) -> str:
    page = paths.ACTIVITIES_INDEX
    rows = [
        (
            link(activity.title, page, paths.activity_page(activity)),
            _evidences(curriculum, activity, page),
            f"about {plural(activity.hours, 'hour')}",
        )
        for activity in curriculum.activities
    ]
    return (
        "# CPD activities\n\n"
        "Expert level is shown by leading work, not by reading about it. Each activity below is a piece of work a "
        "practitioner leads in their own organisation, keeps evidence of, and has judged by a reviewer against "
        "published criteria. An activity evidences each competency at the level it names; the levels below it "
        "are built by the college's modules.\n\n"
        f"Keep track of what you have done in your {link('CPD record', page, paths.CPD_RECORD)}: it stays in "
        "this browser, and you can export it, print it or delete it.\n\n"
        + table(("Activity", "Evidences", "Time"), rows)
        + "\n"
    )


def render_activity(curriculum: Curriculum, activity: Activity) -> str:
    page = paths.activity_page(activity)
    known = {c.id for c in curriculum.competencies}
    evidence_rows = [
        (
            link(curriculum.competency(item.id).name, page, paths.competency_page(item.id)),
            curriculum.level_name(item.level),
            escape(curriculum.competency(item.id).levels.get(item.level, "")),
        )
        for item in activity.competencies
        if item.id in known
    ]
    evidenced = {(item.id, item.level) for item in activity.competencies}
    roles = [
        role for role in curriculum.roles if any((r.competency, r.level) in evidenced for r in role.requires)
    ]
    parts = [
        f"# {activity.title}",
        f'!!! abstract "In brief"\n    {escape(activity.summary)}',
        f"**Time:** about {plural(activity.hours, 'hour')}, usually spread over several weeks or months.",
        "## What it evidences",
        table(("Competency", "Level", "What that level looks like"), evidence_rows),
        "## Roles that need it",
        (
            "This activity evidences a level needed by "
            + _and([link(role.name, page, paths.role_page(role)) for role in roles])
            + "."
        )
        if roles
        else "No role in the framework needs these competencies at this level.",
        "## What to do",
        "\n".join(f"{number}. {escape(step)}" for number, step in enumerate(activity.steps, start=1)),
        "## Evidence to keep",
        bullet_list(escape(item) for item in activity.evidence),
        f"Record the activity, its hours, your reflections and links to this evidence in your "
        f"{link('CPD record', page, paths.CPD_RECORD)}.",
        "## How a reviewer judges it",
        f"**Who reviews it:** {escape(activity.reviewer)}",
        "The reviewer reads the evidence and agrees that each of these statements is true:",
        bullet_list(escape(item) for item in activity.criteria),
        sources_section(activity.sources),
    ]
    return "\n\n".join(parts) + "\n"
