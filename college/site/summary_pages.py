"""One-page printable summaries of the leaders' modules, for board packs: key points, questions to ask, the chart.

Each summary sits beside its module (``leaders/<module>-summary.md``) so the links inside the questions work
unchanged. The questions come from the module's own section of questions (``## Questions to ask`` and the like):
the author writes them once, for the module, and the summary repeats them.
"""

from __future__ import annotations

import re

from college.curriculum import Curriculum, Module
from college.curriculum.validation import module_file
from college.site import paths
from college.site.charts.markers import chart_ids
from college.site.generated import Generated
from college.site.markdown import bullet_list, escape

QUESTION_HEADINGS = (
    "Questions to ask at the board",
    "Questions to ask",
    "What to ask your team",
    "The checklist",
    "A routine for every chart",
)
"""Headings of the section whose items a summary lists as the questions to ask, in order of preference."""

LIST_ITEM = re.compile(r"^(?:- |\d+\. )(?P<text>.+(?:\n {2,}\S.*)*)", re.MULTILINE)
TABLE_ROW = re.compile(r"^\| (?P<first>[^|]+?) \|", re.MULTILINE)


def summary_page(module: Module) -> str:
    return module.source_path.removesuffix(".md") + "-summary.md"


def _section(body: str, heading: str) -> str | None:
    match = re.search(
        rf"^## {re.escape(heading)}\s*$(?P<text>.*?)(?=^## |\Z)", body, re.MULTILINE | re.DOTALL
    )
    return match.group("text") if match else None


def questions_to_ask(module: Module) -> list[str]:
    """The module's questions: the items of its first section of questions (list items, or a table's first cells)."""
    for heading in QUESTION_HEADINGS:
        section = _section(module.body, heading)
        if section is None:
            continue
        items = [" ".join(m.group("text").split()) for m in LIST_ITEM.finditer(section)]
        if not items:
            rows = [m.group("first").strip() for m in TABLE_ROW.finditer(section)]
            items = [re.sub(r"^\d+\.\s*", "", row) for row in rows[1:] if not set(row) <= {"-", " "}]
        if items:
            return items
    return []


def render_summary(curriculum: Curriculum, module: Module) -> str:
    questions = questions_to_ask(module)
    charts = list(dict.fromkeys(chart_ids(module.body)))
    module_link = paths.module_page(module).rsplit("/", 1)[-1]
    parts = [
        f"# {module.title}: one-page summary",
        f"A one-page summary of [{escape(module.title)}]({module_link}) for board packs: print this page and it "
        "fits one A4 sheet. All figures are synthetic.",
        "## Key points\n\n" + bullet_list(escape(point) for point in module.key_points),
    ]
    if questions:
        parts.append("## Questions to ask\n\n" + bullet_list(questions))
    if charts:
        parts.append(
            "## The chart\n\n" + "\n\n".join(f"<!-- chart: {chart_id} -->" for chart_id in charts[:1])
        )
    return "\n\n".join(parts) + "\n"


def summary_pages(curriculum: Curriculum) -> dict[str, Generated]:
    """A summary of every module of a track for leaders; each is made from its module's page."""
    return {
        summary_page(m): Generated(render_summary(curriculum, m), module_file(m))
        for m in curriculum.modules
        if curriculum.for_leaders(m)
    }
