"""What the site is built from besides the generated pages: authored pages, static files and downloads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from college.curriculum import Curriculum
from college.site import paths
from college.site.sql_assets import needs_sql, sql_assets

DATA_DOWNLOAD_SUFFIXES = (".csv", ".parquet")
DATA_DOWNLOAD_NAMES = ("datapackage.json",)
"""Other files of the data folder offered for download: the Frictionless description of the CSV files."""
EXERCISE_BUILD_FOLDER = "build/exercises"
TITLE = re.compile(r"^# (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class SiteInputs:
    """Every file of the site, by its path in the docs folder."""

    pages: dict[str, str]
    """Markdown of generated pages (modules rendered from their source, competencies, roles …)."""
    copied: dict[str, Path]
    """Authored files used as they are (home page, stylesheets, scripts, templates) and downloads."""

    def all_paths(self) -> set[str]:
        return set(self.pages) | set(self.copied)


def authored_files(courses: Path) -> dict[str, Path]:
    """Files under ``courses/`` that the site uses unchanged (module pages are rendered instead)."""
    files = {}
    for path in sorted(courses.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            files[path.relative_to(courses).as_posix()] = path
    return files


def data_downloads(root: Path) -> dict[str, Path]:
    """The small-scale synthetic data files and their data package, offered for download under ``data/files/``."""
    folder = root / "data"
    if not folder.is_dir():
        return {}
    return {
        f"data/files/{path.name}": path
        for path in sorted(folder.iterdir())
        if path.is_file() and (path.suffix in DATA_DOWNLOAD_SUFFIXES or path.name in DATA_DOWNLOAD_NAMES)
    }


def exercise_downloads(curriculum: Curriculum) -> dict[str, Path]:
    """Each exercise's release ZIP (notebook and data), built by ``college exercise build`` into build/exercises/."""
    folder = curriculum.root / EXERCISE_BUILD_FOLDER
    return {
        paths.exercise_download(exercise): folder / f"{exercise.id}.zip"
        for exercise in curriculum.exercises
        if (folder / f"{exercise.id}.zip").is_file()
    }


def static_page_titles(courses: Path) -> dict[str, str]:
    """Authored top-level pages other than the home page, with their titles, for the navigation."""
    titles = {}
    for path in sorted(courses.glob("*.md")):
        if path.name == paths.HOME:
            continue
        match = TITLE.search(path.read_text(encoding="utf-8"))
        titles[path.name] = match.group(1).strip() if match else path.stem.replace("-", " ").title()
    return titles


def site_inputs(curriculum: Curriculum, pages: dict[str, str]) -> SiteInputs:
    courses = curriculum.root / "courses"
    copied = {path: file for path, file in authored_files(courses).items() if path not in pages}
    copied.update(data_downloads(curriculum.root))
    copied.update(exercise_downloads(curriculum))
    if needs_sql(pages):
        copied.update(sql_assets(curriculum.root))
    return SiteInputs(pages=pages, copied=copied)
