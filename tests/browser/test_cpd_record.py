"""The CPD record in a real browser: add an entry by keyboard, reload, export the CSV, print, delete."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from college.curriculum import load_curriculum
from college.site import paths
from tests.browser.test_every_page import VIEWPORT, audit, block_other_hosts, foreign
from tests.conftest import REPO

RECORD = paths.CPD_RECORD.removesuffix(".md") + "/"
STORED = "() => localStorage.getItem('open-college-cpd-record')"


@pytest.mark.browser
def test_an_entry_is_kept_exported_printed_and_deleted(
    new_context: CreateContextCallback, site_url: str, axe_source: str, tmp_path: Path
) -> None:
    curriculum = load_curriculum(REPO)
    activity = curriculum.activity("lead-spc-adoption-for-a-board")
    context = new_context(viewport=VIEWPORT, accept_downloads=True)
    block_other_hosts(context, site_url)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + RECORD)
    expect(page.locator(".college-cpd__nojs")).to_be_hidden()
    # Quiz progress lives in the same store under its own name: deleting the record must leave it alone.
    page.evaluate("() => localStorage.setItem('open-college-progress', JSON.stringify({read: {x: true}}))")

    # Choosing an activity fills in its title, typical hours and the levels it evidences.
    page.get_by_label("Activity", exact=True).select_option(activity.id)
    expect(page.get_by_label("Title (required)")).to_have_value(activity.title)
    expect(page.get_by_label("Hours spent (required)")).to_have_value(str(activity.hours))
    expect(page.get_by_label("Statistical process control", exact=True)).to_have_value("expert")
    page.get_by_label("Hours spent (required)").fill("85.5")
    page.get_by_label("Date completed (required)").fill("2026-11-30")
    page.get_by_label("Reflections").fill('Board asked fewer "why is it red?" questions.')
    page.get_by_label("Links to evidence").fill("https://example.org/board-paper\nAppraisal folder, page 3")
    # Keyboard only: focus the button and press Enter.
    page.get_by_role("button", name="Add to my record").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".college-cpd__status")).to_have_text(
        f"Added \u201c{activity.title}\u201d to your record."
    )
    row = page.locator(".college-cpd__table tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_have_text(activity.title)
    expect(row).to_contain_text("Statistical process control (expert)")
    expect(row.get_by_role("link", name="https://example.org/board-paper")).to_be_visible()
    expect(page.locator(".college-cpd__summary")).to_have_text("1 entry, 85.5 hours in all.")
    assert audit(page, axe_source) == []

    # The entry survives a reload: it is in this browser's storage, nowhere else.
    page.reload()
    expect(page.locator(".college-cpd__table tbody tr")).to_have_count(1)
    stored = json.loads(page.evaluate(STORED))
    (entry,) = stored["entries"]
    assert entry["activity"] == activity.id and entry["hours"] == 85.5 and entry["date"] == "2026-11-30"
    assert {"id": "data-informed-decisions", "level": "expert"} in entry["competencies"]

    # Export as CSV.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "cpd-record.csv"
    target = tmp_path / "cpd-record.csv"
    download.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows == [
        {
            "date": "2026-11-30",
            "title": activity.title,
            "activity": activity.id,
            "hours": "85.5",
            "competencies": "; ".join(f"{item.id}:{item.level}" for item in activity.competencies),
            "reflection": 'Board asked fewer "why is it red?" questions.',
            "evidence": "https://example.org/board-paper\nAppraisal folder, page 3",
        }
    ]

    # The exported file brings the same record into another browser (a fresh context: another device).
    other = new_context(viewport=VIEWPORT)
    block_other_hosts(other, site_url)
    elsewhere = other.new_page()
    elsewhere.goto(site_url + RECORD)
    elsewhere.get_by_label("A CSV file exported from this page").set_input_files(str(target))
    expect(elsewhere.locator(".college-cpd__status")).to_have_text("Brought in 1 entry from cpd-record.csv.")
    (imported,) = json.loads(elsewhere.evaluate(STORED))["entries"]
    assert {k: v for k, v in imported.items() if k != "id"} == {k: v for k, v in entry.items() if k != "id"}
    elsewhere.get_by_label("A CSV file exported from this page").set_input_files(str(target))
    expect(elsewhere.locator(".college-cpd__status")).to_have_text(
        "Brought in 0 entries from cpd-record.csv (1 already in your record)."
    )
    not_a_record = tmp_path / "other.csv"
    not_a_record.write_text("name,value\nx,1\n", encoding="utf-8")
    elsewhere.get_by_label("A CSV file exported from this page").set_input_files(str(not_a_record))
    expect(elsewhere.locator(".college-cpd__status")).to_contain_text("Nothing was brought in.")
    assert len(json.loads(elsewhere.evaluate(STORED))["entries"]) == 1
    other.close()

    # Printing shows the record without the form or the buttons.
    page.emulate_media(media="print")
    expect(page.locator(".college-cpd__table")).to_be_visible()
    expect(page.locator(".college-cpd__form")).to_be_hidden()
    expect(page.locator(".college-cpd__buttons")).to_be_hidden()
    page.emulate_media(media="screen")

    # Delete the entry by its own button; then add another and delete the whole record.
    page.get_by_role("button", name=f"Delete {activity.title} (2026-11-30)").click()
    expect(page.locator(".college-cpd__table tbody tr")).to_have_count(0)
    expect(page.locator(".college-cpd__record")).to_be_hidden()
    assert json.loads(page.evaluate(STORED))["entries"] == []
    page.get_by_label("Title (required)").fill("Mentored a new analyst")
    page.get_by_label("Date completed (required)").fill("2026-12-01")
    page.get_by_label("Hours spent (required)").fill("6")
    page.get_by_role("button", name="Add to my record").click()
    expect(page.locator(".college-cpd__table tbody tr")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete my whole record").click()
    expect(page.locator(".college-cpd__status")).to_have_text(
        "Your CPD record has been deleted from this browser."
    )
    assert page.evaluate(STORED) is None
    assert page.evaluate("() => localStorage.getItem('open-college-progress')") is not None
    page.reload()
    expect(page.locator(".college-cpd__table tbody tr")).to_have_count(0)
    context.close()
    assert foreign(requests, site_url) == []


@pytest.mark.browser
def test_without_javascript_the_record_page_says_nothing_is_stored(
    new_context: CreateContextCallback, site_url: str
) -> None:
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + RECORD)
    expect(page.locator(".college-cpd__nojs")).to_be_visible()
    expect(page.locator(".college-cpd__form")).to_be_hidden()
    context.close()


@pytest.mark.browser
def test_a_filled_record_passes_axe_in_the_dark_scheme(
    new_context: CreateContextCallback, site_url: str, axe_source: str
) -> None:
    context = new_context(color_scheme="dark", viewport=VIEWPORT)
    block_other_hosts(context, site_url)
    page = context.new_page()
    page.goto(site_url + RECORD)
    entry = {
        "id": "1",
        "activity": "",
        "title": "Mentored a new analyst",
        "date": "2026-12-01",
        "hours": 6,
        "competencies": [{"id": "leading-data-teams", "level": "practitioner"}],
        "reflection": "Weekly pairing on code review.",
        "evidence": ["https://example.org/notes"],
    }
    page.evaluate(
        "(entry) => localStorage.setItem('open-college-cpd-record', JSON.stringify({version: 1, entries: [entry]}))",
        entry,
    )
    page.reload()
    expect(page.locator(".college-cpd__table tbody tr")).to_have_count(1)
    expect(page.locator(".college-cpd__table tbody tr")).to_contain_text("Leading data teams (practitioner)")
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert audit(page, axe_source) == []
    context.close()
