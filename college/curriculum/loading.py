"""Read the curriculum's files into models, turning every failure into a :class:`Problem`.

Nothing is assumed about the input: a file may be missing, empty, binary, malformed YAML, or YAML of the wrong
shape. Each list item is validated on its own, so one bad competency does not hide the others.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from college.curriculum.models import (
    Activity,
    Area,
    Competency,
    Exercise,
    ExerciseFile,
    Level,
    Module,
    ModuleFrontMatter,
    Role,
    Source,
    Track,
)
from college.curriculum.problems import Problem, relative_name

Model = TypeVar("Model", bound=BaseModel)

MODULE_FILE_NAME = re.compile(r"^(?P<order>\d{2})-(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?)^---[ \t]*\r?\n?(?P<body>.*)\Z", re.DOTALL | re.MULTILINE
)


@dataclass
class Collector:
    """Gathers problems while loading; ``name`` gives the file as messages show it."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    def name(self, path: Path) -> str:
        return relative_name(path, self.root)

    def error(self, path: Path, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.name(path), field_name, message))

    def problems_for(self, path: Path) -> bool:
        """Whether any problem has been recorded against this file already."""
        name = self.name(path)
        return any(problem.file == name for problem in self.problems)


def read_text(path: Path, collector: Collector) -> str | None:
    """The file's text, or ``None`` (with a problem recorded) if it is missing, binary or not UTF-8."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        collector.error(path, "", "file is missing")
        return None
    except OSError as error:
        collector.error(path, "", f"cannot be read: {error.strerror or error}")
        return None
    if b"\x00" in raw:
        collector.error(path, "", "is a binary file, not text")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        collector.error(path, "", f"is not valid UTF-8 text (byte {error.start})")
        return None


def parse_yaml(text: str, path: Path, collector: Collector, what: str = "") -> Any:
    """Parse YAML safely; on failure record where the syntax broke and return ``None``."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        collector.error(path, what, f"is not valid YAML{where}: {reason}")
        return None


def read_mapping(path: Path, collector: Collector) -> dict[str, Any] | None:
    """A YAML file whose top level must be a mapping."""
    text = read_text(path, collector)
    if text is None:
        return None
    data = parse_yaml(text, path, collector)
    if data is None and not collector.problems_for(path):
        collector.error(path, "", "is empty")
        return None
    if data is None:
        return None
    if not isinstance(data, dict):
        collector.error(path, "", f"must be a mapping of keys to values, not a {type(data).__name__}")
        return None
    return data


def describe_location(location: Sequence[int | str], data: Any) -> str:
    """Turn a pydantic error location into a field path, naming list items by their id where they have one."""
    parts: list[str] = []
    current = data
    for step in location:
        if isinstance(step, int):
            label = f"[{step}]"
            item = current[step] if isinstance(current, list) and 0 <= step < len(current) else None
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                label = f"[{step}] (id {item['id']})"
            parts.append(label)
            current = item
        else:
            parts.append(f".{step}" if parts else str(step))
            current = current.get(step) if isinstance(current, dict) else None
    return "".join(parts)


def validate(
    model: type[Model], data: Any, path: Path, prefix: str, collector: Collector, **extra: Any
) -> Model | None:
    """Validate one object; on failure record one problem per invalid field."""
    try:
        if not isinstance(data, dict):
            raise TypeError(f"must be a mapping, not {type(data).__name__}")
        return model.model_validate({**data, **extra})
    except TypeError as error:
        collector.error(path, prefix, str(error))
    except ValidationError as error:
        details = error.errors()
        for detail in details:
            if detail["type"] == "too_short" and _has_nested_error(detail["loc"], details):
                continue  # pydantic's echo of an invalid item: the item's own error says what is wrong
            location = describe_location(detail["loc"], data)
            field_name = f"{prefix}{location}" if not prefix else f"{prefix}.{location}".rstrip(".")
            collector.error(path, field_name, _explain(detail))
    return None


def _has_nested_error(location: tuple[int | str, ...], details: Sequence[Mapping[str, Any]]) -> bool:
    return any(
        len(d["loc"]) > len(location) and tuple(d["loc"][: len(location)]) == location for d in details
    )


def _explain(detail: Mapping[str, Any]) -> str:
    kind = detail.get("type", "")
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field (check its spelling)"
    if kind == "string_pattern_mismatch":
        return "must be lower-case words joined by hyphens, e.g. 'data-quality'"
    message = str(detail.get("msg", "is invalid"))
    return message.replace("Input should", "Value should").replace("Tuple should", "List should")


def validate_list(
    model: type[Model], data: dict[str, Any], key: str, path: Path, collector: Collector
) -> list[Model]:
    """Validate every item of a top-level list, each on its own."""
    if key not in data:
        collector.error(path, key, "is required but missing")
        return []
    items = data[key]
    if not isinstance(items, list) or not items:
        collector.error(path, key, "must be a non-empty list")
        return []
    loaded = []
    for index, item in enumerate(items):
        label = f"{key}[{index}]"
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            label += f" (id {item['id']})"
        result = validate(model, item, path, label, collector)
        if result is not None:
            loaded.append(result)
    return loaded


def check_keys(data: dict[str, Any], allowed: set[str], path: Path, collector: Collector) -> None:
    for key in sorted(set(data) - allowed, key=str):
        collector.error(path, str(key), "is not a known top-level key")


def load_levels(path: Path, collector: Collector) -> list[Level]:
    data = read_mapping(path, collector)
    if data is None:
        return []
    check_keys(data, {"levels", "sources"}, path, collector)
    validate_list(Source, data, "sources", path, collector)
    return validate_list(Level, data, "levels", path, collector)


def load_items(model: type[Model], key: str, path: Path, collector: Collector) -> list[Model]:
    """The items of a file whose one top-level key holds a list of them (``tracks:``, ``roles:``...)."""
    data = read_mapping(path, collector)
    if data is None:
        return []
    check_keys(data, {key}, path, collector)
    return validate_list(model, data, key, path, collector)


def load_tracks(path: Path, collector: Collector) -> list[Track]:
    return load_items(Track, "tracks", path, collector)


def load_competencies(path: Path, collector: Collector) -> tuple[list[Area], list[Competency]]:
    data = read_mapping(path, collector)
    if data is None:
        return [], []
    check_keys(data, {"areas", "competencies"}, path, collector)
    return validate_list(Area, data, "areas", path, collector), validate_list(
        Competency, data, "competencies", path, collector
    )


def load_roles(path: Path, collector: Collector) -> list[Role]:
    return load_items(Role, "roles", path, collector)


def load_activities(path: Path, collector: Collector) -> list[Activity]:
    """CPD activities; the file is optional (a curriculum may have none), but if present it must be valid."""
    return load_items(Activity, "activities", path, collector) if path.exists() else []


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Split a page into its YAML front matter and Markdown body; ``None`` if it has no front matter."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return None
    return match.group("yaml"), match.group("body")


def load_module(path: Path, courses: Path, collector: Collector) -> Module | None:
    """Load one module page: file name, front matter and body."""
    name_match = MODULE_FILE_NAME.match(path.name)
    if name_match is None:
        collector.error(
            path, "", "module file names must be two digits, a hyphen and the module id, e.g. 03-sql.md"
        )
        return None
    text = read_text(path, collector)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        collector.error(path, "front matter", "is missing: a module starts with '---', YAML, then '---'")
        return None
    front_yaml, body = parts
    data = parse_yaml(front_yaml, path, collector, "front matter")
    if data is None:
        if not collector.problems_for(path):
            collector.error(path, "front matter", "is empty")
        return None
    if not isinstance(data, dict):
        collector.error(
            path, "front matter", f"must be a mapping of keys to values, not a {type(data).__name__}"
        )
        return None
    front = validate(ModuleFrontMatter, data, path, "", collector)
    if front is None:
        return None
    if front.id != name_match.group("id"):
        collector.error(
            path, "id", f"'{front.id}' does not match the file name (expected '{name_match.group('id')}')"
        )
    track_folder = path.parent.name
    if front.track != track_folder:
        collector.error(path, "track", f"'{front.track}' but the page is in the '{track_folder}' folder")
    return Module(
        **front.model_dump(),
        source_path=path.relative_to(courses).as_posix(),
        order=int(name_match.group("order")),
        body=body,
    )


def module_files(courses: Path, tracks: Sequence[Track]) -> list[Path]:
    """Every module page: Markdown files directly inside the folder of a track."""
    return sorted(path for track in tracks for path in (courses / track.id).glob("*.md") if path.is_file())


def report_stray_modules(courses: Path, tracks: Sequence[Track], collector: Collector) -> None:
    """A module page in a folder that is not a track would be left out of the site without a word: say so."""
    if not tracks:
        return  # the tracks file could not be read: its own problem says so
    known = {track.id for track in tracks}
    for path in sorted(courses.glob("*/*.md")):
        if path.parent.name not in known and MODULE_FILE_NAME.match(path.name):
            collector.error(
                path, "track", f"the folder '{path.parent.name}' is not a track of competencies/tracks.yml"
            )


def load_exercise_file(folder: Path, collector: Collector) -> Exercise | None:
    """Load ``exercise.yml`` from an exercise folder and resolve its paths."""
    path = folder / "exercise.yml"
    data = read_mapping(path, collector)
    if data is None:
        return None
    loaded = validate(ExerciseFile, data, path, "", collector)
    if loaded is None:
        return None
    if loaded.id != folder.name:
        collector.error(path, "id", f"'{loaded.id}' does not match the folder name '{folder.name}'")
    notebook = folder / loaded.notebook
    if not notebook.is_file():
        collector.error(path, "notebook", f"'{loaded.notebook}' does not exist in {collector.name(folder)}")
    return Exercise(**{**loaded.model_dump(), "notebook": notebook.resolve(), "folder": folder.resolve()})


def exercise_folders(exercises: Path) -> list[Path]:
    return sorted(path for path in exercises.iterdir() if path.is_dir()) if exercises.is_dir() else []
