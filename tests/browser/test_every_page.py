"""Every page, in a real browser: privacy (no request leaves this host) and accessibility (axe-core, WCAG 2.2 AA)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import ARTEFACTS, html_pages
from tests.conftest import BuiltSite

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def audit(page: Page, axe_source: str) -> list[str]:
    """Run axe-core in the page; one line per violation and node."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{violation['id']}: {node['target']} — {node.get('failureSummary', '')[:200]}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_stays_on_this_host_and_passes_axe(
    browser: Browser, site_url: str, built_site: BuiltSite, axe_source: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    local = urlparse(site_url).netloc
    failures: dict[str, list[str]] = {}
    paths = html_pages(built_site.folder)
    assert len(paths) >= 40
    for path in paths:
        page.goto(site_url + path, wait_until="load")
        violations = audit(page, axe_source)
        if violations:
            failures[path] = violations
    context.close()
    foreign = sorted(
        {
            url
            for url in requests
            if urlparse(url).scheme in {"http", "https", "ws", "wss"} and urlparse(url).netloc != local
        }
    )
    assert foreign == [], "requests left this host"
    assert failures == {}


@pytest.mark.browser
def test_every_image_has_alt_text(browser: Browser, site_url: str, built_site: BuiltSite) -> None:
    page = browser.new_page()
    missing = []
    for path in html_pages(built_site.folder):
        page.goto(site_url + path)
        missing += [
            f"{path}: {src}"
            for src in page.eval_on_selector_all("img:not([alt])", "els => els.map(e => e.src)")
        ]
    page.close()
    assert missing == []


@pytest.mark.browser
def test_keyboard_focus_is_always_visible(browser: Browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + "analysts/")
    checked = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const e = document.activeElement; if (!e || e === document.body) return null;
                 const s = getComputedStyle(e);
                 return {tag: e.tagName, outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow,
                         visible: e.offsetWidth > 0 || e.offsetHeight > 0}; }"""
        )
        if style is None or not style["visible"]:
            continue
        checked += 1
        has_ring = (style["outline"] != "none" and style["width"] != "0px") or style["shadow"] != "none"
        assert has_ring, f"focused {style['tag']} shows no focus indicator: {style}"
    page.close()
    assert checked >= 10


@pytest.mark.browser
def test_screenshots_of_key_pages(browser: Browser, site_url: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for name, path in [
        ("home", ""),
        ("module", "analysts/08-spc-making-data-count/"),
        ("role", "roles/analyst/"),
    ]:
        response = page.goto(site_url + path)
        assert response is not None and response.ok, path
        page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=False)
        assert (ARTEFACTS / f"{name}.png").stat().st_size > 10_000
    page.close()
