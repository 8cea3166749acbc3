"""Assemble everything a builder needs: generated pages, copied files and navigation."""

from __future__ import annotations

from dataclasses import dataclass

from college.curriculum import Curriculum, Problem
from college.curriculum.problems import relative_name
from college.site.charts.generate import chart_problems
from college.site.examples import example_problems
from college.site.links import broken_links
from college.site.nav import NavItem, build_nav
from college.site.pages import generated_pages
from college.site.sources import SiteInputs, site_inputs, static_page_titles


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

    def example_problems(self) -> list[Problem]:
        """Module pages whose worked examples fail on the shared data, located at the module's file."""
        return example_problems(self.curriculum, self.inputs.pages)


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
    generated = generated_pages(curriculum, draw_charts=draw_charts)
    sources = {path: page.source for path, page in generated.items()}
    pages = with_edit_sources({path: page.markdown for path, page in generated.items()}, sources)
    inputs = site_inputs(curriculum, pages)
    authored = [path for path in inputs.copied if path.endswith(".md")]
    nav = build_nav(curriculum, pages, static_page_titles(curriculum.root / "courses"), authored)
    for path, file in inputs.copied.items():  # a copied file is its own source, wherever it is copied from
        sources.setdefault(path, relative_name(file, curriculum.root))
    return Site(curriculum, inputs, nav, sources)
