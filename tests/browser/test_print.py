"""Leaders' pages printed (print media, A4): summaries fit one sheet, and no page prints navigation or buttons."""

from __future__ import annotations

import re

import pytest
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.conftest import BuiltSite

PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def leaders_pages(built_site: BuiltSite, summaries: bool) -> list[str]:
    folder = built_site.folder / "leaders"
    return sorted(
        f"leaders/{path.name}/"
        for path in folder.iterdir()
        if path.is_dir() and (path / "index.html").exists() and path.name.endswith("-summary") == summaries
    )


def printed_pages(pdf: bytes) -> int:
    return len(PDF_PAGE.findall(pdf))


@pytest.mark.browser
def test_each_leaders_summary_prints_on_one_a4_page(
    new_context: CreateContextCallback, site_url: str, built_site: BuiltSite
) -> None:
    paths = leaders_pages(built_site, summaries=True)
    assert len(paths) == len(leaders_pages(built_site, summaries=False)) >= 8
    page = new_context().new_page()
    counts = {}
    for path in paths:
        page.goto(site_url + path, wait_until="load")
        page.emulate_media(media="print")
        counts[path] = printed_pages(page.pdf(format="A4"))
        assert page.locator("h2", has_text="Questions to ask").count() == 1, path
    page.close()
    assert counts == dict.fromkeys(paths, 1)


@pytest.mark.browser
def test_printed_leaders_modules_show_no_navigation_or_buttons(
    new_context: CreateContextCallback, site_url: str, built_site: BuiltSite
) -> None:
    page = new_context().new_page()
    for path in leaders_pages(built_site, summaries=False):
        page.goto(site_url + path, wait_until="load")
        page.emulate_media(media="print")
        visible = page.evaluate(
            """() => [...document.querySelectorAll('header, nav, button, .md-button, .college-quiz, .md-footer')]
                 .filter(e => e.getClientRects().length > 0).map(e => e.tagName + '.' + e.className)"""
        )
        assert visible == [], f"{path} prints {visible}"
        assert printed_pages(page.pdf(format="A4")) <= 8, path
    page.close()


def test_pdf_page_counting_counts_pages_not_the_page_tree() -> None:
    assert printed_pages(b"<< /Type /Pages /Kids [1 0 R 2 0 R] >> << /Type /Page >> << /Type/Page >>") == 2
