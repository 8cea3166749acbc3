"""Exercise pages: what each exercise evidences, the data it uses, and how trainees get and check it."""

from __future__ import annotations

from college.curriculum import Curriculum, Exercise
from college.curriculum.validation import exercise_file
from college.site import paths
from college.site.generated import Generated
from college.site.markdown import escape, link
from college.site.progress import exercise_done
from college.site.sql_practice import render_practice
from college.site.templates import render, template_source

EXERCISES_INDEX_TEMPLATE = "exercises_index.md.j2"
INSTALL_COMMAND = "python -m pip install nhs-open-college"
"""The trainee's install line, as every exercise page shows it (run as written by tests/install)."""


def render_exercises_index(curriculum: Curriculum) -> str:
    page = paths.EXERCISES_INDEX
    known_modules = {m.id for m in curriculum.modules}
    rows = [
        (
            link(exercise.title, page, paths.exercise_page(exercise)),
            link(
                curriculum.module(exercise.module).title,
                page,
                paths.module_page(curriculum.module(exercise.module)),
            )
            if exercise.module in known_modules
            else escape(exercise.module),
            ", ".join(escape(name) for name in exercise.data) or "none",
        )
        for exercise in curriculum.exercises
    ]
    return render(EXERCISES_INDEX_TEMPLATE, rows=rows)


def render_exercise(curriculum: Curriculum, exercise: Exercise) -> str:
    page = paths.exercise_page(exercise)
    known_modules = {m.id for m in curriculum.modules}
    known_competencies = {c.id for c in curriculum.competencies}
    module = (
        link(
            curriculum.module(exercise.module).title,
            page,
            paths.module_page(curriculum.module(exercise.module)),
        )
        if exercise.module in known_modules
        else escape(exercise.module)
    )
    competencies = [
        (
            link(curriculum.competency(item.id).name, page, paths.competency_page(item.id))
            if item.id in known_competencies
            else escape(item.id),
            curriculum.level_name(item.level),
            f"{item.threshold:.0%}",
        )
        for item in exercise.competencies
    ]
    data_rows = [(f"`{escape(name)}`",) for name in exercise.data]
    return render(
        "exercise.md.j2",
        exercise=exercise,
        module=module,
        competencies=competencies,
        data_rows=data_rows,
        install_command=INSTALL_COMMAND,
        progress=exercise_done(exercise),
        practice=render_practice(exercise) if exercise.browser_practice else "",
    )


def exercise_pages(curriculum: Curriculum) -> dict[str, Generated]:
    if not curriculum.exercises:
        return {}
    pages = {
        paths.EXERCISES_INDEX: Generated(
            render_exercises_index(curriculum), template_source(EXERCISES_INDEX_TEMPLATE)
        )
    }
    for exercise in curriculum.exercises:
        pages[paths.exercise_page(exercise)] = Generated(
            render_exercise(curriculum, exercise), exercise_file(exercise.id)
        )
    return pages
