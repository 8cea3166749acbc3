"""Progress toward a role, kept in the trainee's browser only.

Module and exercise pages get an "I've done this" control; role pages get a summary of the pathway ("3 of 12
modules done; exercises passed: ...; competencies shown: ..."), with download and deletion of the record.
``assets/javascripts/progress.js`` does the work through the shared store (``store.js``, the item
``open-college-progress`` that the quizzes also use), so nothing is sent anywhere. Without JavaScript the
controls stay hidden and the pages read as before.
"""

from __future__ import annotations

import html
import json

from college.curriculum import Curriculum, Exercise, Module, Role
from college.site.pathways import pathway


def done_control(kind: str, item_id: str, label: str) -> str:
    """A hidden-until-scripted toggle that records ``item_id`` as done in this browser."""
    return (
        f'<div class="college-done" data-kind="{html.escape(kind)}" data-id="{html.escape(item_id)}" hidden>'
        f'<button type="button" class="md-button college-done__toggle" aria-pressed="false">{html.escape(label)}'
        "</button>"
        '<p class="college-done__status" role="status" aria-live="polite"></p></div>'
    )


def module_done(module: Module) -> str:
    return (
        "## Your progress\n\n"
        "Mark the module done when you have worked through it; your role's page counts it along your pathway. "
        "This is kept in this browser only.\n\n" + done_control("modules", module.id, "I've done this module")
    )


def exercise_done(exercise: Exercise) -> str:
    return (
        "## Your progress\n\n"
        "When `check()` in the notebook says every question passes its visible checks, record it here; your "
        "role's page counts it. This is kept in this browser only.\n\n"
        + done_control("exercises", exercise.id, "I've passed this exercise's checks")
    )


def role_progress(curriculum: Curriculum, role: Role) -> str:
    """The pathway summary for ``role``: its modules and their exercises, with what each exercise evidences."""
    modules = [module.id for module in pathway(curriculum, role).modules]
    known = {competency.id: competency.name for competency in curriculum.competencies}
    exercises = {
        exercise.id: [
            f"{known.get(item.id, item.id)} ({curriculum.level_name(item.level).lower()})"
            for item in exercise.competencies
        ]
        for exercise in curriculum.exercises
        if exercise.module in modules
    }
    data_modules = html.escape(json.dumps(modules), quote=True)
    data_exercises = html.escape(json.dumps(exercises), quote=True)
    return (
        "## Your progress\n\n"
        "Modules and exercises you have marked done in this browser, along this pathway. Nothing is sent "
        "anywhere; download the record to keep it, or forget it.\n\n"
        f'<div class="college-pathway-progress" data-role="{html.escape(role.id)}" data-modules="{data_modules}" '
        f'data-exercises="{data_exercises}" hidden>'
        '<p class="college-pathway-progress__status" role="status" aria-live="polite"></p>'
        '<p class="college-pathway-progress__shown"></p>'
        '<button type="button" class="md-button college-pathway-progress__export">Download my progress</button> '
        '<button type="button" class="md-button college-pathway-progress__forget">Forget my progress</button>'
        "</div>"
    )
