"""Module pages: the author's body framed by a header and by key points, quiz and sources from the front matter."""

from __future__ import annotations

from college.curriculum import Curriculum, Module, Track
from college.markdown_table import table
from college.site import paths
from college.site.markdown import bullet_list, escape, hours, link, plural, sources_section
from college.site.progress import module_done
from college.site.quiz import render_quiz
from college.site.sql_blocks import add_sql_blocks
from college.site.templates import render


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())


def module_header(curriculum: Curriculum, module: Module) -> str:
    if curriculum.for_leaders(module):
        return _leaders_header(curriculum, module)
    page = paths.module_page(module)
    known_competencies = {item.id for item in curriculum.competencies}
    builds = [
        (
            link(curriculum.competency(item.id).name, page, paths.competency_page(item.id))
            if item.id in known_competencies
            else escape(item.id)
        )
        + f" (toward {curriculum.level_name(item.level).lower()})"
        for item in module.competencies
    ]
    before = _before(curriculum, module)
    time = f"{hours(module.minutes.reading)} reading"
    if module.minutes.exercises:
        time += f", {hours(module.minutes.exercises)} exercise"
    return _about_box(
        f"**Track:** {curriculum.track_name(module.track)} · **Level:** {curriculum.level_name(module.level)} · "
        f"**Time:** {time}",
        "**Builds:** " + "; ".join(builds),
        "**Before this module:** " + ("; ".join(before) if before else "none — you can start here"),
        "**By the end you can:**",
        bullet_list(escape(objective) for objective in module.objectives),
    )


def _about_box(*paragraphs: str) -> str:
    """The "About this module" box at the top of a module page: its paragraphs, indented into the admonition."""
    return '!!! info "About this module"\n\n' + _indent("\n\n".join(paragraphs))


def _before(curriculum: Curriculum, module: Module) -> list[str]:
    page = paths.module_page(module)
    known_modules = {item.id for item in curriculum.modules}
    return [
        link(curriculum.module(p).title, page, paths.module_page(curriculum.module(p)))
        for p in module.prerequisites
        if p in known_modules
    ]


def _leaders_header(curriculum: Curriculum, module: Module) -> str:
    """A leaders' header in plain words: how long it takes, what it helps with, what to read first.

    No framework terms (levels such as "Working"): a board member needs the time and the use, not the
    curriculum's vocabulary. The competency links stay, named by what they are about.
    """
    page = paths.module_page(module)
    known_competencies = {item.id for item in curriculum.competencies}
    about = [
        link(curriculum.competency(item.id).name.lower(), page, paths.competency_page(item.id))
        for item in module.competencies
        if item.id in known_competencies
    ]
    time = f"about {hours(module.minutes.reading)} to read"
    if module.minutes.exercises:
        time += f", and {hours(module.minutes.exercises)} for the quiz at the end"
    before = _before(curriculum, module)
    return _about_box(
        f"**For:** senior leaders and board members, no analysis needed · **Time:** {time}",
        "**Helps with:** " + "; ".join(about),
        "**Read first:** " + ("; ".join(before) if before else "nothing — you can start here"),
        "**After reading it you can:**",
        bullet_list(escape(objective) for objective in module.objectives),
    )


def exercises_section(curriculum: Curriculum, module: Module) -> str:
    exercises = [exercise for exercise in curriculum.exercises if exercise.module == module.id]
    if not exercises:
        return ""
    page = paths.module_page(module)
    rows = [
        (link(exercise.title, page, paths.exercise_page(exercise)), ", ".join(exercise.data) or "none")
        for exercise in exercises
    ]
    return "## Exercise\n\n" + table(("Exercise", "Data it uses"), rows)


def render_module(curriculum: Curriculum, module: Module) -> str:
    summary = ""
    if curriculum.for_leaders(module):
        name = module.source_path.rsplit("/", 1)[-1].removesuffix(".md") + "-summary.md"
        summary = f"For a board pack: [a one-page summary of this module]({name}) to print."
    sections = [
        f"# {module.title}",
        module_header(curriculum, module),
        summary,
        add_sql_blocks(module.body.strip()),
        "## Key points\n\n" + bullet_list(escape(point) for point in module.key_points),
        exercises_section(curriculum, module),
        ("## Self-check quiz\n\n" + render_quiz(module)) if module.quiz else "",
        module_done(module),
        sources_section(module.sources),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def render_track_index(curriculum: Curriculum, track: Track) -> str:
    page = paths.track_index(track.id)
    modules = curriculum.modules_in_track(track.id)
    rows = [
        (
            f"{module.order}",
            link(module.title, page, paths.module_page(module)),
            curriculum.level_name(module.level),
            hours(module.minutes.total),
            ", ".join(
                link(curriculum.competency(c.id).name, page, paths.competency_page(c.id))
                for c in module.competencies
                if c.id in {item.id for item in curriculum.competencies}
            ),
        )
        for module in modules
    ]
    total = sum(module.minutes.total for module in modules)
    summary = f"{plural(len(modules), 'module')}, {hours(total)}"
    return render("track_index.md.j2", track=track, summary=summary, rows=rows)
