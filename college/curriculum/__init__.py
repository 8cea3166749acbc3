"""The curriculum model: the one place that reads competencies, roles, modules, exercises and CPD activities.

``inspect_curriculum`` loads everything it can and reports every problem; ``load_curriculum`` and
``load_exercise`` return typed, immutable objects or raise :class:`CurriculumError` listing every problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from college.curriculum.loading import (
    Collector,
    exercise_folders,
    load_activities,
    load_competencies,
    load_exercise_file,
    load_levels,
    load_module,
    load_roles,
    load_tracks,
    module_files,
    report_stray_modules,
)
from college.curriculum.models import (
    Activity,
    ActivityCompetency,
    Area,
    Competency,
    Curriculum,
    Exercise,
    ExerciseCompetency,
    Level,
    Module,
    Role,
    Track,
)
from college.curriculum.problems import CurriculumError, Problem, Severity
from college.curriculum.validation import coverage, validate_curriculum

__all__ = [
    "Activity",
    "ActivityCompetency",
    "Area",
    "CheckReport",
    "Competency",
    "Curriculum",
    "CurriculumError",
    "Exercise",
    "ExerciseCompetency",
    "Level",
    "Module",
    "Problem",
    "Role",
    "Severity",
    "Track",
    "inspect_curriculum",
    "load_curriculum",
    "load_exercise",
]


@dataclass(frozen=True)
class CheckReport:
    """The curriculum as far as it could be loaded, and every problem found on the way."""

    curriculum: Curriculum
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity is Severity.WARNING)


def inspect_curriculum(root: Path) -> CheckReport:
    """Load the curriculum under ``root`` (the repository), keeping every valid item and every problem."""
    root = root.resolve()
    collector = Collector(root)
    tracks = load_tracks(root / "competencies" / "tracks.yml", collector)
    levels = load_levels(root / "competencies" / "levels.yml", collector)
    areas, competencies = load_competencies(root / "competencies" / "competencies.yml", collector)
    roles = load_roles(root / "competencies" / "roles.yml", collector)
    activities = load_activities(root / "competencies" / "activities.yml", collector)
    courses = root / "courses"
    report_stray_modules(courses, tracks, collector)
    modules = [
        module
        for path in module_files(courses, tracks)
        if (module := load_module(path, courses, collector)) is not None
    ]
    exercises = [
        exercise
        for folder in exercise_folders(root / "exercises")
        if (exercise := load_exercise_file(folder, collector)) is not None
    ]
    curriculum = Curriculum(
        root=root,
        tracks=tuple(tracks),
        levels=tuple(levels),
        areas=tuple(areas),
        competencies=tuple(competencies),
        roles=tuple(roles),
        modules=tuple(modules),
        exercises=tuple(exercises),
        activities=tuple(activities),
    )
    shape_problems = list(collector.problems)
    cross_problems = [
        problem
        for problem in validate_curriculum(curriculum)
        # Coverage gaps mean little while whole files are unreadable: report the cause, not its echoes.
        if not shape_problems or problem not in set(coverage(curriculum))
    ]
    return CheckReport(curriculum, tuple(sorted(set(shape_problems + cross_problems))))


def load_curriculum(root: Path) -> Curriculum:
    """The checked curriculum; raises :class:`CurriculumError` if anything is wrong (warnings are allowed)."""
    report = inspect_curriculum(root)
    if report.errors:
        raise CurriculumError(list(report.errors))
    return report.curriculum


def load_exercise(folder: Path) -> Exercise:
    """One exercise's metadata, for tools (such as the autograder) that work on a single exercise."""
    folder = folder.resolve()
    collector = Collector(folder.parent.parent if folder.parent.name == "exercises" else folder.parent)
    exercise = load_exercise_file(folder, collector)
    if exercise is None or collector.problems:
        raise CurriculumError(collector.problems)
    return exercise
