"""One pure function from the curriculum model to the site's derived pages: ``{path: markdown}``.

Both builders get the same pages from here: the MkDocs hook adds them to a build, and ``college pages --out`` writes
them as files for Zensical, which runs no MkDocs hooks.
"""

from __future__ import annotations

from college.curriculum import Curriculum
from college.data.pages import dictionary_pages
from college.site import paths
from college.site.activity_pages import render_activities_index, render_activity
from college.site.api_reference import api_reference_pages
from college.site.charts.generate import with_charts
from college.site.cpd_record import render_cpd_record
from college.site.exercise_pages import exercise_pages
from college.site.framework_pages import (
    render_competencies_index,
    render_competency,
    render_module_matrix,
    render_role,
    render_role_matrix,
    render_roles_index,
)
from college.site.module_pages import TRACK_NAMES, render_module, render_track_index
from college.site.summary_pages import summary_pages


def curriculum_pages(curriculum: Curriculum) -> dict[str, str]:
    """Every page derived from the curriculum: modules, track indexes, competencies, roles, matrices, activities."""
    pages: dict[str, str] = {}
    for module in curriculum.modules:
        pages[paths.module_page(module)] = render_module(curriculum, module)
    for track in TRACK_NAMES:
        if not curriculum.modules_in_track(track):
            continue  # a track with no modules yet has no page and no tab
        pages[paths.track_index(track)] = render_track_index(curriculum, track)
    pages.update(summary_pages(curriculum))
    pages[paths.COMPETENCIES_INDEX] = render_competencies_index(curriculum)
    pages[paths.MODULE_MATRIX] = render_module_matrix(curriculum)
    for competency in curriculum.competencies:
        pages[paths.competency_page(competency)] = render_competency(curriculum, competency)
    pages[paths.ROLES_INDEX] = render_roles_index(curriculum)
    pages[paths.ROLE_MATRIX] = render_role_matrix(curriculum)
    for role in curriculum.roles:
        pages[paths.role_page(role)] = render_role(curriculum, role)
    if curriculum.activities:
        pages[paths.ACTIVITIES_INDEX] = render_activities_index(curriculum)
        pages[paths.CPD_RECORD] = render_cpd_record(curriculum)
        for activity in curriculum.activities:
            pages[paths.activity_page(activity)] = render_activity(curriculum, activity)
    return pages


def site_pages(curriculum: Curriculum, *, draw_charts: bool = True) -> dict[str, str]:
    """All generated files of the site: the curriculum's pages (with their charts placed and drawn as SVG under
    ``charts/``), the exercises', the data dictionary's and the library's API reference.

    With ``draw_charts=False`` the chart markers stay as they are (HTML comments) and no SVG is made: what
    ``college check`` needs, which validates markers against the chart registry without pandas or matplotlib.
    """
    pages = {
        **curriculum_pages(curriculum),
        **exercise_pages(curriculum),
        **dictionary_pages(),
        **api_reference_pages(),
    }
    return with_charts(curriculum, pages) if draw_charts else pages
