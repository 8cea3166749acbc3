"""Charts for the cohort report: matplotlib drawn to SVG text that a page can hold inline.

Each chart is returned as an ``<svg>`` element with ``role="img"``, a ``<title>`` holding its alternative text
and ``aria-labelledby`` pointing at it. matplotlib's embedded ``<style>`` block is removed (the report's
Content-Security-Policy allows only its own style, by hash) and text stays text (``svg.fonttype: none``), so the
page is small, searchable and uses the reader's system font. The SVG is deterministic: no date, a fixed id salt.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

NHS_BLUE = "#005eb8"
NHS_RED = "#d5281b"
NHS_GREY = "#4c6272"
STYLE_BLOCK = re.compile(r"<style[^>]*>.*?</style>|<metadata>.*?</metadata>", re.DOTALL)
PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
FONT = re.compile(r"^(?P<before>.*?)(?P<size>\d+(?:\.\d+)?px)\s+(?P<family>.+)$")
PRESENTATION = frozenset(
    {
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
        "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity", "clip-path",
        "font-size", "font-family", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    }
)  # fmt: skip
"""SVG presentation attributes: what a ``style`` attribute may become without needing an inline-style CSP."""
FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Arial, sans-serif"


def _attributes(match: re.Match[str]) -> str:
    """A ``style="..."`` attribute as presentation attributes (which a Content-Security-Policy allows)."""
    found: dict[str, str] = {}
    for declaration in match[1].split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name == "font":
            font = FONT.match(value)
            if font:
                found["font-size"] = font["size"]
                found["font-family"] = FONT_FAMILY
                if "bold" in font["before"]:
                    found["font-weight"] = "bold"
        elif name in PRESENTATION and value:
            found[name] = FONT_FAMILY if name == "font-family" else value
    return "".join(f' {name}="{escape(value, {chr(34): "&quot;"})}"' for name, value in found.items())


def _svg(figure: Any, alt: str, chart_id: str) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    figure.savefig(buffer := io.StringIO(), format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = STYLE_BLOCK.sub("", PROLOGUE.sub("", buffer.getvalue(), count=1))
    text = STYLE_ATTRIBUTE.sub(_attributes, text)
    title = f'<title id="{chart_id}-title">{escape(alt)}</title>'
    return text.replace("<svg ", f'<svg role="img" aria-labelledby="{chart_id}-title" ', 1).replace(
        ">", ">" + title, 1
    )


def _figure(width: float, height: float) -> tuple[Any, Any]:
    """A figure and its axes, made without pyplot (no GUI backend, no global figure registry, half the import)."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "college-report",
            "font.family": "sans-serif",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    figure = Figure(figsize=(width, height))
    return figure, figure.add_subplot()


def preload() -> None:
    """Import matplotlib's figure and SVG modules (about a second): a thread can do it while grading runs."""
    import matplotlib.figure  # noqa: F401
    from matplotlib.backends import backend_svg  # noqa: F401


def histogram(
    counts: Sequence[int], labels: Sequence[str], *, alt: str, chart_id: str, xlabel: str, ylabel: str
) -> str:
    """Bars of counts over ordered bins (the score distribution)."""
    figure, axes = _figure(6.4, 2.8)
    axes.bar(range(len(counts)), counts, color=NHS_BLUE, width=0.85)
    axes.set_xticks(range(len(labels)), labels, rotation=0 if len(labels) <= 8 else 45)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _svg(figure, alt, chart_id)


def stacked_rates(
    names: Sequence[str],
    passed: Sequence[float],
    failed_visible: Sequence[float],
    failed_hidden: Sequence[float],
    *,
    alt: str,
    chart_id: str,
) -> str:
    """Horizontal bars per question: the share passing, failing a visible test, failing only hidden tests."""
    figure, axes = _figure(6.4, 0.9 + 0.35 * len(names))
    rows = list(range(len(names)))[::-1]
    axes.barh(rows, passed, color=NHS_BLUE, label="passed")
    axes.barh(rows, failed_visible, left=passed, color=NHS_RED, label="failed a visible test")
    left = [a + b for a, b in zip(passed, failed_visible, strict=True)]
    axes.barh(rows, failed_hidden, left=left, color=NHS_GREY, label="failed hidden tests only")
    axes.set_yticks(rows, names)
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of trainees")
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=8)
    return _svg(figure, alt, chart_id)
