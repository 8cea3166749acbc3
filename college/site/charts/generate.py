"""Charts into pages: draw each chart the module pages ask for, once, and place it where its markers are."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from college.curriculum import Curriculum, Problem
from college.site.charts.markers import chart_ids, chart_path, marker_problems, place_charts
from college.site.charts.registry import CHART_IDS

if TYPE_CHECKING:
    from college.site.charts.model import Chart


def wanted_charts(curriculum: Curriculum) -> list[str]:
    """Known chart ids asked for by any module, each once, in the order they first appear."""
    seen: dict[str, None] = {}
    for module in curriculum.modules:
        for chart_id in chart_ids(module.body):
            if chart_id in CHART_IDS:
                seen.setdefault(chart_id, None)
    return list(seen)


def draw_charts(data: Path, ids: Iterable[str]) -> dict[str, Chart]:
    from college.site.charts.catalogue import CHARTS  # pandas and matplotlib: only when drawing

    return {chart_id: CHARTS[chart_id](data) for chart_id in ids}


def with_charts(curriculum: Curriculum, pages: Mapping[str, str]) -> dict[str, str]:
    """``pages`` with every chart marker on a module page replaced, plus one SVG file per chart used."""
    result = dict(pages)
    wanted = wanted_charts(curriculum)
    if not wanted:
        return result  # no chart, no plotting library needed
    from college.site.charts.svg import figure_to_svg

    charts = draw_charts(curriculum.root / "data", wanted)
    for page, text in pages.items():
        if page.endswith(".md") and chart_ids(text):
            result[page] = place_charts(text, page, charts)
    for chart in charts.values():
        result[chart_path(chart.id)] = figure_to_svg(chart.figure)
    return result


def chart_problems(curriculum: Curriculum) -> list[Problem]:
    """Markers naming no chart, checked against the registry: nothing is drawn, no data is read."""
    return marker_problems(curriculum, set(CHART_IDS))
