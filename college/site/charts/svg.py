"""A matplotlib Figure as SVG text that is the same on every build (no date, fixed ids, text kept as text)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BACKGROUND = "#ffffff"
"""Charts carry their own opaque white background, so their contrast is the same in the light and dark schemes."""


def figure_to_svg(figure: Figure) -> str:
    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": "open-college", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, facecolor=BACKGROUND)
    return buffer.getvalue()
