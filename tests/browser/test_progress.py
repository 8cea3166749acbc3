"""Progress toward a role in a real browser: mark a module and an exercise done, see them counted on the role's
page with the competencies the exercise shows, download the record, forget it. Nothing leaves the browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from college.curriculum import load_curriculum
from college.site import paths
from college.site.pathways import pathway
from tests.conftest import REPO


def _url(site_url: str, page: str) -> str:
    return (
        site_url
        + page.removesuffix(".md").removesuffix("index")
        + ("/" if not page.endswith("index.md") else "")
    )


@pytest.mark.browser
def test_marking_a_module_and_an_exercise_done_shows_on_the_role_page(
    new_context: CreateContextCallback, site_url: str
) -> None:
    curriculum = load_curriculum(REPO)
    exercise = next(e for e in curriculum.exercises if e.id == "pandas-ae-first-look")
    role = next(
        r for r in curriculum.roles if exercise.module in [m.id for m in pathway(curriculum, r).modules]
    )
    modules = pathway(curriculum, role).modules
    module = next(m for m in modules if m.id == exercise.module)
    context = new_context(accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(_url(site_url, paths.module_page(module)))
    page.get_by_role("button", name="I've done this module").click()
    expect(page.locator(".college-done__status")).to_contain_text("Recorded in this browser on")
    page.goto(_url(site_url, paths.exercise_page(exercise)))
    page.get_by_role("button", name="I've passed this exercise's checks").click()

    page.goto(_url(site_url, paths.role_page(role)))
    status = page.locator(".college-pathway-progress__status")
    expect(status).to_contain_text(f"1 of {len(modules)} modules done")
    expect(status).to_contain_text("1 of ")
    shown = page.locator(".college-pathway-progress__shown")
    competency = curriculum.competency(exercise.competencies[0].id).name
    expect(shown).to_contain_text(competency)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my progress").click()
    record = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert set(record["modules"]) == {module.id} and set(record["exercises"]) == {exercise.id}
    page.get_by_role("button", name="Forget my progress").click()
    expect(status).to_contain_text(f"0 of {len(modules)} modules done")
    assert page.evaluate("() => localStorage.getItem('open-college-progress')") is None
    assert all(url.startswith(site_url) or url.startswith("blob:") for url in requests), requests
    context.close()
