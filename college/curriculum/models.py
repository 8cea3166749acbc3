"""Typed, immutable objects for the curriculum: levels, competencies, roles, modules, exercises and CPD activities.

These models check the shape of one file at a time. References between files (a module naming a competency, a
role building on another) are checked by :mod:`college.curriculum.validation`, which sees the whole curriculum.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from college.base import Frozen, Source, Text

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=2, max_length=80),
]
"""Lower-case words joined by hyphens: the form of every id in the curriculum."""


class Track(Frozen):
    """A track of the college (``competencies/tracks.yml``): a folder of ``courses/`` and the readers it is for."""

    id: Identifier
    """Also the name of the track's folder in ``courses/``."""
    name: Text
    """As the site's tabs and module headers show it."""
    introduction: Text
    """The opening paragraph of the track's index page: who it is for and what its modules give them."""
    for_leaders: bool = False
    """Written for senior non-analysts and board members: module headers in plain words without the framework's
    levels, a one-page summary of each module for board packs, and a self-check quiz of three to six questions
    closing every module."""


class Level(Frozen):
    """A skill level shared by every competency (awareness, working, practitioner, expert)."""

    id: Identifier
    name: Text
    rank: int = Field(ge=1, le=10)
    """Position on the ladder: a higher rank is a higher level."""
    description: Text


class Area(Frozen):
    """A group of related competencies, such as statistics and methods."""

    id: Identifier
    name: Text
    description: Text


class Competency(Frozen):
    """Something an analyst or a leader can do, described at each level at which it is used."""

    id: Identifier
    name: Text
    area: Identifier
    summary: Text
    levels: dict[Identifier, Text] = Field(min_length=1)
    """What the competency looks like at each level id used by a role or a module."""
    sources: tuple[Source, ...] = Field(min_length=1)


class Requirement(Frozen):
    """A competency a role needs, and the level it needs it at."""

    competency: Identifier
    level: Identifier


class Role(Frozen):
    """A job in the NHS Analyst Service, or the leader role that commissions and uses analysis."""

    id: Identifier
    name: Text
    track: Identifier
    """The id of a track in ``competencies/tracks.yml``."""
    band: Text
    """The Agenda for Change band or seniority the role sits at."""
    summary: Text
    builds_on: Identifier | None
    """The role directly below on the ladder, if any."""
    requires: tuple[Requirement, ...] = Field(min_length=1)
    sources: tuple[Source, ...] = Field(min_length=1)


class ModuleCompetency(Frozen):
    """A competency a module builds, and the level it builds toward."""

    id: Identifier
    level: Identifier


class Minutes(Frozen):
    """Teaching time, in the manner of the Carpentries' episode front matter."""

    reading: int = Field(ge=1, le=600)
    exercises: int = Field(ge=0, le=600)

    @property
    def total(self) -> int:
        return self.reading + self.exercises


class QuizOption(Frozen):
    text: Text
    correct: bool
    explanation: Text
    """Why this option is right or wrong: shown whichever option the learner picks."""


class QuizQuestion(Frozen):
    question: Text
    options: tuple[QuizOption, ...] = Field(min_length=2, max_length=6)


class ModuleFrontMatter(Frozen):
    """The front matter of a module page, exactly as authors write it."""

    id: Identifier
    title: Text
    track: Identifier
    """The id of a track in ``competencies/tracks.yml``."""
    level: Identifier
    competencies: tuple[ModuleCompetency, ...] = Field(min_length=1)
    prerequisites: tuple[Identifier, ...] = ()
    minutes: Minutes
    objectives: tuple[Text, ...] = Field(min_length=1)
    key_points: tuple[Text, ...] = Field(min_length=1)
    sources: tuple[Source, ...] = Field(min_length=1)
    quiz: tuple[QuizQuestion, ...] = ()


class Module(ModuleFrontMatter):
    """A module: its front matter plus where it lives and its Markdown body."""

    source_path: str
    """Path of the page relative to the courses folder, e.g. ``analysts/08-spc-making-data-count.md``."""
    order: int
    """Position within its track, from the two-digit prefix of the file name."""
    body: str


class ExerciseCompetency(Frozen):
    """A competency an exercise evidences, and the share of its points a trainee needs to show it."""

    id: Identifier
    level: Identifier
    threshold: float = Field(gt=0, le=1)


class ExerciseFile(Frozen):
    """The metadata file ``exercises/<id>/exercise.yml`` as authors write it."""

    id: Identifier
    title: Text
    module: Identifier
    notebook: Text
    """File name of the nbgrader source notebook, inside the exercise folder."""
    data: tuple[Text, ...] = ()
    """Names of the shared synthetic data files the exercise reads, e.g. ``monthly_indicators.csv``."""
    competencies: tuple[ExerciseCompetency, ...] = Field(min_length=1)
    wrong_answers: dict[str, str] = Field(default_factory=dict)
    """Solution cell ``grade_id`` to a plausible wrong answer, used by the exercise's self-test."""
    hints: dict[str, tuple[Text, ...]] = Field(default_factory=dict)
    """Solution cell ``grade_id`` to its hints, shown one at a time by ``hint("...")`` in the notebook."""
    browser_practice: bool = False
    """Offer the questions on the exercise's page with an SQL editor and the visible checks, run in the browser.

    Only for SQL exercises whose visible test cells run ``result = run_query(query_...)`` and assert the forms
    :mod:`college.site.sql_checks` translates."""


class Exercise(ExerciseFile):
    """An exercise with its paths resolved."""

    folder: Path
    """The exercise folder, absolute."""
    notebook: Path  # type: ignore[assignment]
    """The nbgrader source notebook, absolute."""


class ActivityCompetency(Frozen):
    """A competency a CPD activity evidences, and the level at which it shows it."""

    id: Identifier
    level: Identifier


class Activity(Frozen):
    """A CPD activity: work a practitioner leads and keeps evidence of, judged by a reviewer against criteria.

    Expert level is shown by leading work, not by reading, so it is evidenced by activities rather than taught by
    modules. An activity evidences each of its competencies at exactly the level given: it does not build the
    levels below, which modules teach.
    """

    id: Identifier
    title: Text
    summary: Text
    """One or two sentences: what the activity is and why it shows the level."""
    competencies: tuple[ActivityCompetency, ...] = Field(min_length=1)
    hours: int = Field(ge=1, le=400)
    """A typical time to complete it, in hours, usually spread over several weeks or months."""
    steps: tuple[Text, ...] = Field(min_length=2)
    """What to do, in order."""
    evidence: tuple[Text, ...] = Field(min_length=1)
    """What to keep for the CPD record and the reviewer: documents, decisions, outputs, feedback."""
    reviewer: Text
    """Who is placed to judge the evidence, for example a head of profession from another organisation."""
    criteria: tuple[Text, ...] = Field(min_length=2)
    """How the reviewer judges it: each criterion is a statement the evidence must show to be true."""
    sources: tuple[Source, ...] = Field(min_length=1)


class Curriculum(Frozen):
    """Everything the college teaches, loaded and checked."""

    root: Path
    tracks: tuple[Track, ...]
    """In the order the site shows them."""
    levels: tuple[Level, ...]
    areas: tuple[Area, ...]
    competencies: tuple[Competency, ...]
    roles: tuple[Role, ...]
    modules: tuple[Module, ...]
    exercises: tuple[Exercise, ...]
    activities: tuple[Activity, ...] = ()

    def competency(self, competency_id: str) -> Competency:
        return next(item for item in self.competencies if item.id == competency_id)

    def role(self, role_id: str) -> Role:
        return next(item for item in self.roles if item.id == role_id)

    def module(self, module_id: str) -> Module:
        return next(item for item in self.modules if item.id == module_id)

    def area(self, area_id: str) -> Area:
        return next(item for item in self.areas if item.id == area_id)

    def level_name(self, level_id: str | None) -> str:
        """A level's display name; the id itself if unknown, and a dash for no level."""
        if level_id is None:
            return "—"
        return next((level.name for level in self.levels if level.id == level_id), level_id)

    def rank(self, level_id: str) -> int:
        """The level's rank; 0 for an unknown level (the checker reports it) so pages can still be made."""
        return next((level.rank for level in self.levels if level.id == level_id), 0)

    def activity(self, activity_id: str) -> Activity:
        return next(item for item in self.activities if item.id == activity_id)

    def activities_evidencing(self, competency_id: str, level_id: str | None = None) -> tuple[Activity, ...]:
        """Activities that evidence a competency (at exactly ``level_id``, if given), in file order."""
        return tuple(
            activity
            for activity in self.activities
            if any(
                item.id == competency_id and (level_id is None or item.level == level_id)
                for item in activity.competencies
            )
        )

    def track_name(self, track_id: str) -> str:
        """A track's display name; the id itself if unknown (the checker reports it), so pages can still be made."""
        return next((track.name for track in self.tracks if track.id == track_id), track_id)

    def for_leaders(self, module: Module) -> bool:
        """Whether the module is in a track written for leaders (false for a track that is not known)."""
        return any(track.id == module.track and track.for_leaders for track in self.tracks)

    def modules_in_track(self, track: str) -> tuple[Module, ...]:
        return tuple(sorted((m for m in self.modules if m.track == track), key=lambda m: m.order))
