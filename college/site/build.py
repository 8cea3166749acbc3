"""Assemble everything a builder needs: generated pages, copied files and navigation."""

from __future__ import annotations

from dataclasses import dataclass

from college.curriculum import Curriculum, Problem
from college.site import paths
from college.site.api_reference import api_reference_sources
from college.site.charts.generate import chart_problems
from college.site.links import broken_links
from college.site.module_pages import TRACK_NAMES
from college.site.nav import NavItem, build_nav
from college.site.pages import site_pages
from college.site.sources import SiteInputs, site_inputs, static_page_titles
from college.site.summary_pages import summary_page

COMPETENCY_SOURCE = "competencies/competencies.yml"
ROLE_SOURCE = "competencies/roles.yml"
ACTIVITY_SOURCE = "competencies/activities.yml"
DATA_DICTIONARY_SOURCE = "college/data/dictionary.yml"
EXERCISE_PAGES_SOURCE = "college/site/exercise_pages.py"
TRACK_INDEX_SOURCE = "college/site/module_pages.py"


@dataclass(frozen=True)
class Site:
    curriculum: Curriculum
    inputs: SiteInputs
    nav: list[NavItem]
    source_of: dict[str, str]
    """Site path → repository file it is made from (for error messages and edit links)."""

    def link_problems(self) -> list[Problem]:
        markdown = {path: text for path, text in self.inputs.pages.items() if path.endswith(".md")}
        for path, file in self.inputs.copied.items():
            if path.endswith(".md"):
                markdown[path] = file.read_text(encoding="utf-8")
        return broken_links(markdown, self.inputs.all_paths(), self.source_of)

    def chart_problems(self) -> list[Problem]:
        """Chart markers naming no chart, located at the module's file."""
        return chart_problems(self.curriculum)


def page_sources(curriculum: Curriculum, pages: dict[str, str]) -> dict[str, str]:
    """Which repository file each page comes from, so messages and edit links point at what to change."""
    sources = {paths.module_page(m): f"courses/{m.source_path}" for m in curriculum.modules}
    sources.update(
        {summary_page(m): f"courses/{m.source_path}" for m in curriculum.modules_in_track("leaders")}
    )
    sources.update({page: source for page, source in api_reference_sources().items() if page in pages})
    for page in pages:
        if page in sources:
            continue
        if page.startswith("competencies/"):
            sources[page] = COMPETENCY_SOURCE
        elif page.startswith("roles/"):
            sources[page] = ROLE_SOURCE
        elif page.startswith("activities/"):
            sources[page] = ACTIVITY_SOURCE
        elif page.startswith("data/"):
            sources[page] = DATA_DICTIONARY_SOURCE
        elif page == paths.EXERCISES_INDEX:
            sources[page] = EXERCISE_PAGES_SOURCE
        elif page.startswith("exercises/"):
            sources[page] = f"exercises/{page.removeprefix('exercises/').removesuffix('.md')}/exercise.yml"
        elif page in {paths.track_index(track) for track in TRACK_NAMES}:
            sources[page] = (
                TRACK_INDEX_SOURCE  # the table is made from the modules, the introduction is written there
            )
        elif page.startswith(tuple(f"{track}/" for track in TRACK_NAMES)):
            sources[page] = f"courses/{page.split('/')[0]}"
        else:
            sources[page] = f"courses/{page}"
    return sources


def with_edit_sources(pages: dict[str, str], sources: dict[str, str]) -> dict[str, str]:
    """Pages made from a file other than ``courses/<path>`` name it in front matter (``edit_source``).

    The theme override ``overrides/partials/actions.html`` builds the edit and view links from it, so they point
    at the file to change in both builders: Zensical runs no hook that could set a page's edit link.
    """
    result = {}
    for path, text in pages.items():
        source = sources.get(path, f"courses/{path}")
        if path.endswith(".md") and source != f"courses/{path}":
            text = f"---\nedit_source: {source}\n---\n\n{text}"
        result[path] = text
    return result


def assemble_site(curriculum: Curriculum, *, draw_charts: bool = True) -> Site:
    """The site a builder gets; ``draw_charts=False`` leaves chart markers in place (see :func:`site_pages`)."""
    pages = site_pages(curriculum, draw_charts=draw_charts)
    sources = page_sources(curriculum, pages)
    pages = with_edit_sources(pages, sources)
    inputs = site_inputs(curriculum, pages)
    authored = [path for path in inputs.copied if path.endswith(".md")]
    nav = build_nav(curriculum, pages, static_page_titles(curriculum.root / "courses"), authored)
    for path in inputs.copied:
        sources.setdefault(path, f"courses/{path}")
    return Site(curriculum, inputs, nav, sources)
