"""Exercise pages: what each exercise evidences, the data it uses, and how trainees get and check it."""

from __future__ import annotations

from college.curriculum import Curriculum, Exercise
from college.curriculum.validation import exercise_file
from college.markdown_table import table
from college.site import paths
from college.site.generated import EXERCISE_PAGES_SOURCE, Generated
from college.site.markdown import escape, link
from college.site.progress import exercise_done
from college.site.sql_practice import render_practice

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
    return (
        "# Exercises\n\n"
        "Each exercise is a Jupyter notebook marked automatically by nbgrader. Download it with the synthetic data it "
        "reads, work through it on your own computer, and check each answer in the notebook as often as you like "
        'with `check("q1")`, or the whole notebook with `college exercise check NOTEBOOK`. Your tutor grades the '
        "submitted notebook against further, "
        "hidden tests and returns feedback and a record of the competencies you have shown.\n\n"
        + table(("Exercise", "Module", "Data"), rows)
        + "\n"
    )


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
    parts = [
        f"# {exercise.title}",
        f"**Module:** {module}",
        "## What it evidences",
        "Score at least the share of marks shown to evidence each competency at that level.",
        table(("Competency", "Level", "Share of marks needed"), competencies),
        "## Data it uses",
        table(("File",), data_rows) if data_rows else "This exercise needs no data file.",
        "## Download",
        f"[Download the exercise (notebook and data, ZIP)]({exercise.id}.zip){{ .md-button }}\n\n"
        "Unzip it, open the notebook in Jupyter and work through it: the notebook reads its data from the `data/` "
        "folder beside it.",
        "## Check your own work",
        "The checks need the college's Python package, installed once (it brings pandas and NumPy, and no "
        "grading or site tools):\n\n"
        f"```bash\n{INSTALL_COMMAND}\n```",
        "Run the notebook's first cell: it sets up the self-check. Under each question, run its check line (for "
        'example `check("q1")`): it runs that question\'s visible checks on your answer as it is now, in your own '
        'Jupyter, and says which pass and what to look at. `hint("q1")` shows a hint, one at a time. From a terminal '
        "in the exercise's folder, check the whole notebook:\n\n"
        f"```bash\ncollege exercise check {exercise.notebook.name}\n```",
        "Nothing is recorded. Your tutor's grading adds hidden checks: you are told how many, never what they are, "
        "so passing the visible checks is a good sign, not a guarantee.",
        exercise_done(exercise),
    ]
    if exercise.browser_practice:
        parts.append(render_practice(exercise))
    return "\n\n".join(parts) + "\n"


def exercise_pages(curriculum: Curriculum) -> dict[str, Generated]:
    if not curriculum.exercises:
        return {}
    pages = {paths.EXERCISES_INDEX: Generated(render_exercises_index(curriculum), EXERCISE_PAGES_SOURCE)}
    for exercise in curriculum.exercises:
        pages[paths.exercise_page(exercise)] = Generated(
            render_exercise(curriculum, exercise), exercise_file(exercise.id)
        )
    return pages
