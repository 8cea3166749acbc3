"""A chart as the site shows it: the drawing and everything a reader who cannot see it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Chart:
    id: str
    figure: Figure
    alt: str
    """Alternative text: the chart's message in a sentence or two, not a description of its look."""
    caption: str
    """Shown under the chart: what is measured, where and when, and the source."""
    table: pd.DataFrame
    """The chart's numbers as shown in its data table: one row per plotted point or bar, text cells."""
