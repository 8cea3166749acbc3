"""One pure function from the curriculum model to the site's derived pages: ``{path: markdown}``.

Both builders get the same pages from here: the MkDocs hook adds them to a build, and ``college pages --out`` writes
them as files for Zensical, which runs no MkDocs hooks.
"""

from __future__ import annotations

from college.curriculum import Curriculum
from college.curriculum.validation import (
    ACTIVITIES_FILE,
    COMPETENCIES_FILE,
    ROLES_FILE,
    TRACKS_FILE,
    module_file,
)
from college.site import paths
from college.site.activity_pages import render_activities_index, render_activity
from college.site.api_reference import api_reference_pages, api_reference_sources
from college.site.charts.generate import with_charts
from college.site.cpd_record import render_cpd_record
from college.site.data_pages import PROSE_TEMPLATES, dictionary_pages
from college.site.examples import with_example_outputs
from college.site.exercise_pages import exercise_pages
from college.site.framework_pages import (
    render_competencies_index,
    render_competency,
    render_module_matrix,
    render_role,
    render_role_matrix,
    render_roles_index,
)
from college.site.generated import CHART_SOURCE, DATA_DICTIONARY_SOURCE, Generated
from college.site.module_pages import render_module, render_track_index
from college.site.summary_pages import summary_pages
from college.site.templates import template_source


def curriculum_pages(curriculum: Curriculum) -> dict[str, Generated]:
    """Every page derived from the curriculum: modules, track indexes, competencies, roles, matrices, activities."""
    pages: dict[str, Generated] = {}
    for module in curriculum.modules:
        pages[paths.module_page(module)] = Generated(render_module(curriculum, module), module_file(module))
    for track in curriculum.tracks:
        if not curriculum.modules_in_track(track.id):
            continue  # a track with no modules yet has no page and no tab
        pages[paths.track_index(track.id)] = Generated(render_track_index(curriculum, track), TRACKS_FILE)
    pages.update(summary_pages(curriculum))
    pages[paths.COMPETENCIES_INDEX] = Generated(render_competencies_index(curriculum), COMPETENCIES_FILE)
    pages[paths.MODULE_MATRIX] = Generated(render_module_matrix(curriculum), COMPETENCIES_FILE)
    for competency in curriculum.competencies:
        pages[paths.competency_page(competency)] = Generated(
            render_competency(curriculum, competency), COMPETENCIES_FILE
        )
    pages[paths.ROLES_INDEX] = Generated(render_roles_index(curriculum), ROLES_FILE)
    pages[paths.ROLE_MATRIX] = Generated(render_role_matrix(curriculum), ROLES_FILE)
    for role in curriculum.roles:
        pages[paths.role_page(role)] = Generated(render_role(curriculum, role), ROLES_FILE)
    if curriculum.activities:
        pages[paths.ACTIVITIES_INDEX] = Generated(render_activities_index(curriculum), ACTIVITIES_FILE)
        pages[paths.CPD_RECORD] = Generated(render_cpd_record(curriculum), ACTIVITIES_FILE)
        for activity in curriculum.activities:
            pages[paths.activity_page(activity)] = Generated(
                render_activity(curriculum, activity), ACTIVITIES_FILE
            )
    return pages


def _data_page_source(path: str) -> str:
    template = PROSE_TEMPLATES.get(path)
    return template_source(template) if template else DATA_DICTIONARY_SOURCE


def generated_pages(curriculum: Curriculum, *, draw_charts: bool = True) -> dict[str, Generated]:
    """All generated files of the site, each with the repository file it is made from: the curriculum's pages
    (with their charts placed and drawn as SVG under ``charts/``, and the worked examples' outputs under their
    code), the exercises', the data dictionary's and the library's API reference.

    With ``draw_charts=False`` the chart markers stay as they are (HTML comments), no SVG is made and no example
    is run (``college check`` runs them apart, in their own interpreters): what
    ``college check`` needs, which validates markers against the chart registry without pandas or matplotlib.
    """
    api_sources = api_reference_sources()
    pages = {
        **curriculum_pages(curriculum),
        **exercise_pages(curriculum),
        **{path: Generated(text, _data_page_source(path)) for path, text in dictionary_pages().items()},
        **{path: Generated(text, api_sources[path]) for path, text in api_reference_pages().items()},
    }
    if not draw_charts:
        return pages
    drawn = with_example_outputs(
        curriculum, with_charts(curriculum, {path: page.markdown for path, page in pages.items()})
    )
    return {
        path: Generated(text, pages[path].source if path in pages else CHART_SOURCE)
        for path, text in drawn.items()
    }


def site_pages(curriculum: Curriculum, *, draw_charts: bool = True) -> dict[str, str]:
    """The one pure function from the model to the site's derived pages, ``{path: markdown}`` (see
    :func:`generated_pages`, which also says where each page comes from)."""
    return {
        path: page.markdown for path, page in generated_pages(curriculum, draw_charts=draw_charts).items()
    }
