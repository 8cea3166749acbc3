"""Where each curriculum object's page lives in the site (paths relative to the docs folder)."""

from __future__ import annotations

from college.curriculum import Activity, Competency, Exercise, Module, Role

HOME = "index.md"
COMPETENCIES_INDEX = "competencies/index.md"
MODULE_MATRIX = "competencies/matrix.md"
ROLES_INDEX = "roles/index.md"
ROLE_MATRIX = "roles/matrix.md"
EXERCISES_INDEX = "exercises/index.md"
ACTIVITIES_INDEX = "activities/index.md"
CPD_RECORD = "activities/record.md"


def competency_page(competency: Competency | str) -> str:
    competency_id = competency if isinstance(competency, str) else competency.id
    return f"competencies/{competency_id}.md"


def role_page(role: Role | str) -> str:
    role_id = role if isinstance(role, str) else role.id
    return f"roles/{role_id}.md"


def module_page(module: Module) -> str:
    return module.source_path


def track_index(track: str) -> str:
    return f"{track}/index.md"


def exercise_page(exercise: Exercise) -> str:
    return f"exercises/{exercise.id}.md"


def exercise_download(exercise: Exercise) -> str:
    return f"exercises/{exercise.id}.zip"


def activity_page(activity: Activity | str) -> str:
    activity_id = activity if isinstance(activity, str) else activity.id
    return f"activities/{activity_id}.md"
