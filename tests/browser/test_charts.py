"""Pages with charts, in a real browser: the chart image loads from this host, its table opens, axe passes in
the light and the dark scheme."""

from __future__ import annotations

import pytest
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.test_every_page import VIEWPORT, audit_pages, block_other_hosts, foreign
from tests.conftest import BuiltSite


def chart_pages(built_site: BuiltSite) -> list[str]:
    return sorted(
        path.parent.relative_to(built_site.folder).as_posix() + "/"
        for path in built_site.folder.rglob("index.html")
        if 'class="college-chart"' in path.read_text(encoding="utf-8")
    )


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_with_charts_pass_axe(
    new_context: CreateContextCallback, site_url: str, built_site: BuiltSite, axe_source: str, scheme: str
) -> None:
    paths = chart_pages(built_site)
    assert len(paths) >= 7
    failures, requests = audit_pages(new_context, site_url, paths, scheme, axe_source)
    assert foreign(requests, site_url) == []
    assert failures == {}


@pytest.mark.browser
def test_charts_load_and_their_tables_open(
    new_context: CreateContextCallback, site_url: str, built_site: BuiltSite
) -> None:
    context = new_context(viewport=VIEWPORT)
    block_other_hosts(context, site_url)
    page = context.new_page()
    for path in chart_pages(built_site):
        page.goto(site_url + path, wait_until="load")
        images = page.locator(".college-chart img")
        assert images.count() >= 1, path
        for index in range(images.count()):
            image = images.nth(index)
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), (
                f"{path}: chart did not load"
            )
            assert len(image.get_attribute("alt") or "") > 60
        details = page.locator("details.college-chart__data").first
        table = details.locator("table")
        assert not table.is_visible()
        details.locator("summary").click()
        assert table.is_visible()
        assert table.locator("tbody tr").count() >= 5
    context.close()
