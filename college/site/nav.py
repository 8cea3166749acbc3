"""The site's navigation, derived from the model so that new modules and competencies appear without editing YAML."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from college.curriculum import Curriculum
from college.site import paths
from college.site.summary_pages import summary_page

NavItem = str | dict[str, Any]


LIBRARY = "library"
"""The open library's section: authored "use it in your own pipeline" pages, then the generated reference."""


def build_nav(
    curriculum: Curriculum,
    pages: Mapping[str, str],
    static_pages: Mapping[str, str],
    authored: Collection[str] = (),
) -> list[NavItem]:
    """MkDocs ``nav``: Home, each track, Competencies (by area), Roles, CPD, then any other sections of pages.

    ``static_pages`` maps authored top-level pages (other than the home page) to their titles, e.g. About;
    ``authored`` lists every authored page (by site path), for sections that mix authored and generated pages.
    """
    nav: list[NavItem] = [{"Home": paths.HOME}]
    for track in curriculum.tracks:
        modules = curriculum.modules_in_track(track.id)
        if not modules:
            continue
        items: list[NavItem] = [
            paths.track_index(track.id),
            *({m.title: paths.module_page(m)} for m in modules),
        ]
        summaries = [{m.title: summary_page(m)} for m in modules if summary_page(m) in pages]
        if summaries:
            items.append({"One-page summaries": summaries})
        nav.append({track.name: items})
    competencies: list[NavItem] = [
        paths.COMPETENCIES_INDEX,
        {"Module × competency matrix": paths.MODULE_MATRIX},
    ]
    for area in curriculum.areas:
        members = [c for c in curriculum.competencies if c.area == area.id]
        if members:
            competencies.append({area.name: [{c.name: paths.competency_page(c)} for c in members]})
    nav.append({"Competencies": competencies})
    roles: list[NavItem] = [paths.ROLES_INDEX, {"Role × competency matrix": paths.ROLE_MATRIX}]
    roles.extend({role.name: paths.role_page(role)} for role in curriculum.roles)
    nav.append({"Roles": roles})
    if paths.ACTIVITIES_INDEX in pages:
        activities: list[NavItem] = [paths.ACTIVITIES_INDEX]
        if paths.CPD_RECORD in pages:
            activities.append({"My CPD record": paths.CPD_RECORD})
        activities.extend({a.title: paths.activity_page(a)} for a in curriculum.activities)
        nav.append({"CPD": activities})
    for section, title in (("exercises", "Exercises"), ("data", "Data")):
        section_pages = sorted(p for p in pages if p.startswith(f"{section}/"))
        index = f"{section}/index.md"
        if index in section_pages:
            nav.append({title: [index, *(p for p in section_pages if p != index)]})
    library = library_nav(pages, authored)
    if library:
        nav.append({"Library": library})
    nav.extend({title: page} for page, title in static_pages.items())
    return nav


def library_nav(pages: Mapping[str, str], authored: Collection[str]) -> list[NavItem]:
    """The library's index, its authored guides (alphabetical), then a Reference group of generated pages."""
    prefix = f"{LIBRARY}/"
    index = f"{prefix}index.md"
    guides = sorted(p for p in authored if p.startswith(prefix) and p != index and p.endswith(".md"))
    reference = sorted(p for p in pages if p.startswith(prefix))
    items: list[NavItem] = [index] if index in authored else []
    items += guides
    if reference:
        items.append({"Reference": reference})
    return items
