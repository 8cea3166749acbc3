"""The ids of the charts a page may name, without the plotting and data-frame libraries that draw them.

``college check`` validates every ``<!-- chart: ID -->`` marker against :data:`CHART_FUNCTIONS` without drawing
anything, so it loads neither pandas nor matplotlib; :mod:`college.site.charts.catalogue` builds its table of
drawing functions from the same mapping, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

CHART_FUNCTIONS: Final[Mapping[str, str]] = {
    "xmr-four-hour-syn01": "xmr_four_hour",
    "run-chart-attendances-syn01": "run_chart_attendances",
    "funnel-area-deaths": "funnel_deaths",
    "forecast-attendances-syn01": "forecast_attendances",
    "pair-bars-from-zero": "pair_bars_from_zero",
    "pair-direct-labels": "pair_direct_labels",
    "waiting-list-weeks": "waiting_list_weeks",
}
"""Every chart id a page may name → the name of the function in the catalogue that draws it."""

CHART_IDS: Final[frozenset[str]] = frozenset(CHART_FUNCTIONS)
