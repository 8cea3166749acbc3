"""How a page asks for a chart, and what the marker becomes on the page.

An author writes, on a line of its own in a module's Markdown::

    <!-- chart: xmr-four-hour-syn01 -->

Page generation replaces the line with the chart (``charts/<id>.svg``, with its alt text), a caption, and the
chart's numbers in a collapsible, accessible table. An HTML comment stays invisible wherever the Markdown is read
unprocessed (on GitHub, in an editor). An id that names no chart is an error of ``college check`` (and of the
MkDocs build) naming the module's file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from college.curriculum import Curriculum, Problem
from college.site.charts.model import Chart
from college.site.markdown import relative_link

MARKER = re.compile(r"^[ \t]*<!--\s*chart:\s*(?P<id>[^\s>]*)\s*-->[ \t]*$", re.MULTILINE)
FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`([^`\n]+)`")


def chart_path(chart_id: str) -> str:
    return f"charts/{chart_id}.svg"


def chart_ids(markdown: str) -> list[str]:
    """The chart ids a page's Markdown asks for, in order (markers inside fenced code are examples, not asks)."""
    return [match.group("id") for match in MARKER.finditer(FENCED_CODE.sub("", markdown))]


def marker_problems(curriculum: Curriculum, known: set[str]) -> list[Problem]:
    """One problem per marker naming an unknown chart, located at the module's source file."""
    problems = []
    for module in curriculum.modules:
        for chart_id in chart_ids(module.body):
            if chart_id not in known:
                choices = ", ".join(sorted(known))
                problems.append(
                    Problem(
                        f"courses/{module.source_path}",
                        "chart",
                        f"'{chart_id}' names no chart (known charts: {choices})",
                    )
                )
    return problems


def _caption(text: str) -> str:
    """Escape the caption as HTML, keeping `code` spans as code."""
    return CODE.sub(lambda match: f"<code>{match.group(1)}</code>", html.escape(text, quote=False))


def render_data_table(chart: Chart) -> str:
    """The chart's numbers as an HTML table with a caption and column headers, in a closed disclosure."""
    head = "".join(f'<th scope="col">{html.escape(str(column))}</th>' for column in chart.table.columns)
    rows = []
    for record in chart.table.itertuples(index=False):
        cells = [html.escape(str(value)) for value in record]
        rows.append(
            f'<tr><th scope="row">{cells[0]}</th>' + "".join(f"<td>{c}</td>" for c in cells[1:]) + "</tr>"
        )
    return "\n".join(
        [
            f'<details class="college-chart__data" id="chart-data-{chart.id}">',
            "<summary>The numbers behind this chart</summary>",
            f'<div class="college-chart__table" tabindex="0" role="region" aria-label="Numbers behind the chart {chart.id}">',
            f'<table data-chart="{chart.id}">',
            f"<caption>{_caption(chart.caption)}</caption>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *rows,
            "</tbody>",
            "</table>",
            "</div>",
            "</details>",
        ]
    )


def render_chart(chart: Chart, page: str) -> str:
    """The Markdown that replaces a marker on ``page``: the figure with its caption, then the data table."""
    alt = chart.alt.replace("[", "(").replace("]", ")")
    image = relative_link(page, chart_path(chart.id))
    return (
        f'<figure class="college-chart" id="chart-{chart.id}" markdown="span">\n'
        f"  ![{alt}]({image})\n"
        f"  <figcaption>{_caption(chart.caption)}</figcaption>\n"
        "</figure>\n\n" + render_data_table(chart) + "\n"
    )


def place_charts(markdown: str, page: str, charts: Mapping[str, Chart]) -> str:
    """Replace every marker naming a known chart; unknown ones stay (``marker_problems`` reports them)."""
    protected = {match.span() for match in FENCED_CODE.finditer(markdown)}

    def replace(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in protected):
            return match.group(0)
        chart = charts.get(match.group("id"))
        return render_chart(chart, page) if chart else match.group(0)

    return MARKER.sub(replace, markdown)
