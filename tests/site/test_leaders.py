"""Leaders' pages: plain words in the header, and a one-page summary of each module for board packs."""

from __future__ import annotations

import re

from college.curriculum import load_curriculum
from college.site.module_pages import module_header
from college.site.pages import site_pages
from college.site.summary_pages import questions_to_ask, summary_page
from tests.conftest import MINIMAL, REPO


def test_leaders_headers_use_no_framework_levels() -> None:
    curriculum = load_curriculum(REPO)
    levels = [level.name for level in curriculum.levels]
    for module in curriculum.modules_in_track("leaders"):
        header = module_header(curriculum, module)
        assert "Level:" not in header and "toward " not in header, module.id
        assert not any(re.search(rf"\b{re.escape(name)}\b", header) for name in levels), module.id
        assert "**Time:**" in header and "**Helps with:**" in header
    analyst = curriculum.modules_in_track("analysts")[0]
    assert "**Level:**" in module_header(curriculum, analyst)  # analysts keep the framework's words


def test_every_leaders_module_has_a_summary_with_its_key_points_and_questions() -> None:
    curriculum = load_curriculum(REPO)
    pages = site_pages(curriculum)
    for module in curriculum.modules_in_track("leaders"):
        summary = pages[summary_page(module)]
        questions = questions_to_ask(module)
        assert len(questions) >= 4, f"{module.id}: no section of questions to ask"
        assert "## Questions to ask" in summary and all(q in summary for q in questions)
        assert all(point.split(";")[0][:40] in summary for point in module.key_points)
        assert summary_page(module).rsplit("/", 1)[-1] in pages[module.source_path], (
            "the module links its summary"
        )
    spc = pages["leaders/03-spc-for-boards-summary.md"]
    assert 'data-chart="xmr-four-hour-syn01"' in spc and "](../charts/xmr-four-hour-syn01.svg)" in spc


def test_questions_come_from_lists_or_a_checklist_table() -> None:
    module = load_curriculum(MINIMAL).modules_in_track("leaders")[0]
    body = "## Questions to ask\n\n- One?\n- Two,\n  continued?\n\n## Next\n\n- not this\n"
    assert questions_to_ask(module.model_copy(update={"body": body})) == ["One?", "Two, continued?"]
    table = "## The checklist\n\n| Question | Why |\n| --- | --- |\n| 1. **Source**: where from? | x |\n"
    assert questions_to_ask(module.model_copy(update={"body": table})) == ["**Source**: where from?"]
