"""The two builders ship the same site: the same look (NHS-blue header, live quiz buttons), edit links that point at
real files, and the same accessibility and privacy checks, on the MkDocs and the Zensical build."""

from __future__ import annotations

import re

import pytest
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.conftest import html_pages
from tests.browser.test_charts import chart_pages
from tests.browser.test_every_page import VIEWPORT, audit_pages, foreign, sample_per_section
from tests.conftest import REPO, BuiltSite

NHS_BLUE = "rgb(0, 94, 184)"
EDIT_LINK = re.compile(r'<a href="(?P<url>[^"]+)"[^>]*rel="edit"')
REPOSITORY = "https://github.com/nhs-open-college/open-college/edit/main/"
LOOK = """() => {
  const style = (selector, ...props) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const computed = getComputedStyle(element);
    return props.map(p => computed[p]);
  };
  return {
    header: style('.md-header', 'backgroundColor', 'color'),
    tabs: style('.md-tabs', 'backgroundColor', 'color'),
    link: style('.md-typeset p a', 'color', 'textDecorationLine'),
    quizButton: style('.college-quiz__check', 'backgroundColor', 'color', 'borderColor', 'opacity', 'cursor'),
    quizButtonHidden: document.querySelector('.college-quiz__check')?.hidden ?? null,
    chart: style('.college-chart img', 'backgroundColor'),
  };
}"""
PAGES = ["", "leaders/03-spc-for-boards/", "analysts/08-spc-making-data-count/", "competencies/", "data/"]


def edit_links(site: BuiltSite) -> dict[str, str]:
    links = {}
    for path in sorted(site.folder.rglob("index.html")):
        match = EDIT_LINK.search(path.read_text(encoding="utf-8"))
        if match:
            links[path.parent.relative_to(site.folder).as_posix()] = match.group("url")
    return links


def test_every_edit_link_points_at_a_file_of_the_repository(
    built_site: BuiltSite, zensical_site: BuiltSite
) -> None:
    for site in (built_site, zensical_site):
        links = edit_links(site)
        assert len(links) >= 80
        missing = {
            page: url
            for page, url in links.items()
            if not url.startswith(REPOSITORY) or not (REPO / url.removeprefix(REPOSITORY)).is_file()
        }
        assert missing == {}, f"{site.folder}: edit links to no file"
    assert edit_links(built_site) == edit_links(zensical_site)


@pytest.mark.browser
def test_both_builds_look_the_same(
    new_context: CreateContextCallback, site_url: str, zensical_url: str
) -> None:
    page = new_context(viewport=VIEWPORT).new_page()
    for path in PAGES:
        looks = []
        for url in (site_url, zensical_url):
            page.goto(url + path, wait_until="load")
            looks.append(page.evaluate(LOOK))
        mkdocs, zensical = looks
        assert mkdocs["header"][0] == NHS_BLUE, path
        assert zensical == mkdocs, path
    page.goto(zensical_url + "leaders/03-spc-for-boards/", wait_until="load")
    look = page.evaluate(LOOK)
    assert look["quizButtonHidden"] is False and look["quizButton"][3] == "1"  # shown and not faded
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_zensical_build_passes_axe_and_stays_on_this_host(
    new_context: CreateContextCallback,
    zensical_url: str,
    zensical_site: BuiltSite,
    axe_source: str,
    scheme: str,
) -> None:
    paths = sorted(
        set(sample_per_section(html_pages(zensical_site.folder))) | set(chart_pages(zensical_site))
    )
    failures, requests = audit_pages(new_context, zensical_url, paths, scheme, axe_source)
    assert foreign(requests, zensical_url) == []
    assert failures == {}


def test_edit_link_pattern_reads_material_markup() -> None:
    html = '<a href="https://x/edit/main/a.md" title="Edit this page" class="md-content__button md-icon" rel="edit">'
    assert EDIT_LINK.search(html).group("url") == "https://x/edit/main/a.md"  # type: ignore[union-attr]
