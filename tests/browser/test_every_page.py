"""Every page, in a real browser: privacy (no request leaves this host) and accessibility (axe-core, WCAG 2.2 AA)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import BrowserContext, Page, Route
from pytest_playwright.pytest_playwright import CreateContextCallback

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


# A tall viewport: Material scrolls the sidebar so the current page is in view, and axe counts a navigation link
# cut by the sidebar's scroll edge as an obscured (too small) target. At this height the longest navigation fits.
VIEWPORT = {"width": 1280, "height": 2000}


def sample_per_section(paths: list[str]) -> list[str]:
    """One page of each top-level section, plus the home page: what the dark scheme is checked on."""
    chosen: dict[str, str] = {}
    for path in paths:
        section = path.split("/", 1)[0]
        if section not in chosen or path.count("/") > chosen[section].count("/"):
            chosen[section] = path
    return sorted(chosen.values())


def audit_pages(
    new_context: CreateContextCallback, site_url: str, paths: list[str], scheme: str, axe_source: str
) -> tuple[dict[str, list[str]], list[str]]:
    """Violations per page, and every URL the browser requested on the way."""
    context = new_context(color_scheme=scheme, viewport=VIEWPORT)  # type: ignore[arg-type]
    block_other_hosts(context, site_url)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    failures: dict[str, list[str]] = {}
    for path in paths:
        page.goto(site_url + path, wait_until="load")
        violations = audit(page, axe_source)
        if violations:
            failures[path] = violations
    context.close()
    return failures, requests


def block_other_hosts(context: BrowserContext, site_url: str) -> None:
    """Record, but never send, a request to any host other than the site's: no test traffic leaves this machine."""
    local = urlparse(site_url).netloc

    def route(route: Route) -> None:
        if urlparse(route.request.url).netloc == local or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)


def foreign(requests: list[str], site_url: str) -> list[str]:
    local = urlparse(site_url).netloc
    return sorted(
        {
            url
            for url in requests
            if urlparse(url).scheme in {"http", "https", "ws", "wss"} and urlparse(url).netloc != local
        }
    )


@pytest.mark.browser
def test_every_page_stays_on_this_host_and_passes_axe(
    new_context: CreateContextCallback, site_url: str, built_site: BuiltSite, axe_source: str
) -> None:
    paths = html_pages(built_site.folder)
    assert len(paths) >= 40
    failures, requests = audit_pages(new_context, site_url, paths, "light", axe_source)
    assert foreign(requests, site_url) == [], "requests left this host"
    assert failures == {}


@pytest.mark.browser
def test_dark_scheme_passes_axe_on_a_page_of_every_section(
    new_context: CreateContextCallback, site_url: str, built_site: BuiltSite, axe_source: str
) -> None:
    paths = sample_per_section(html_pages(built_site.folder))
    assert len(paths) >= 6
    failures, requests = audit_pages(new_context, site_url, paths, "dark", axe_source)
    assert foreign(requests, site_url) == []
    assert failures == {}


@pytest.mark.browser
def test_the_browser_check_catches_a_violation_and_a_foreign_request(
    new_context: CreateContextCallback, axe_source: str
) -> None:
    """The checks can fail: a low-contrast paragraph and an image from another host are both caught."""
    context = new_context()
    block_other_hosts(context, "http://127.0.0.1:1/")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><p style="color:#aaa;background:#fff">faint</p>'
        '<img src="https://fonts.example.invalid/pixel.png" alt="pixel"></main></body></html>'
    )
    assert any(line.startswith("color-contrast") for line in audit(page, axe_source))
    assert foreign(requests, "http://127.0.0.1:1/") == ["https://fonts.example.invalid/pixel.png"]
    context.close()


@pytest.mark.browser
def test_every_image_has_alt_text(
    new_context: CreateContextCallback, site_url: str, built_site: BuiltSite
) -> None:
    page = new_context().new_page()
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
def test_keyboard_focus_is_always_visible(new_context: CreateContextCallback, site_url: str) -> None:
    page = new_context(viewport=VIEWPORT).new_page()
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
def test_screenshots_of_key_pages(new_context: CreateContextCallback, site_url: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
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
