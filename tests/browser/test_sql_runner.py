"""Runnable SQL in a real browser: the SQL module's blocks, the SQL exercise's checks, errors, offline, axe."""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from college.curriculum import load_exercise
from college.site.sql_blocks import queries_in_python
from college.site.sql_checks import sql_questions, visible_part
from tests.browser.conftest import QuietHandler
from tests.browser.test_every_page import VIEWPORT, audit, block_other_hosts, foreign
from tests.conftest import BIN, REPO
from tests.conftest import run as run_command

MODULE = "analysts/04-sql-for-analysts/"
EXERCISE = "exercises/sql-admissions/"
NOTEBOOK = REPO / "exercises" / "sql-admissions" / "sql-admissions.ipynb"


def runner(page: Page, number: int) -> Locator:
    return page.locator(f".college-sql[data-query='{number}']")


def run(page: Page, number: int, button: str = "Run") -> Locator:
    """Press a runner's button and wait for its status to settle; the status line."""
    box = runner(page, number)
    box.get_by_role("button", name=f"{button} ", exact=False).first.click()
    status = box.get_by_role("status")
    expect(status).not_to_have_attribute("data-result", "running", timeout=20_000)
    return status


def module_queries() -> int:
    text = (REPO / "courses" / "analysts" / "04-sql-for-analysts.md").read_text(encoding="utf-8")
    blocks = text.split("```python")[1:]
    return sum(len(queries_in_python(block.split("```")[0])) for block in blocks)


@pytest.mark.browser
def test_every_sql_block_of_the_module_runs_in_the_browser(
    new_context: CreateContextCallback, site_url: str
) -> None:
    context = new_context(viewport=VIEWPORT)
    block_other_hosts(context, site_url)
    page = context.new_page()
    requests: list[str] = []
    sizes: list[int] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: sizes.append(len(response.body()) if response.ok else 0))
    page.goto(site_url + MODULE, wait_until="load")
    started = time.monotonic()
    count = page.locator(".college-sql").count()
    assert count == module_queries() >= 10
    first = run(page, 1)
    first_seconds = time.monotonic() - started
    expect(first).to_have_attribute("data-result", "ran")
    for number in range(1, count + 1):
        status = run(page, number)
        expect(status).to_have_attribute("data-result", "ran")
        table = runner(page, number).locator("table")
        expect(table.locator("caption")).to_contain_text(f"Result of query {number}")
        assert table.locator("thead th").count() >= 1
    # The parameterised count: the same answer as Python's sqlite3 on the CSV, with the same parameters.
    connection = sqlite3.connect(":memory:")
    pd.read_csv(REPO / "data" / "ae_attendances.csv", dtype={"nhs_number": str}).to_sql(
        "ae_attendances", connection
    )
    expected = connection.execute(
        "SELECT COUNT(*) FROM ae_attendances WHERE provider_code = ? AND department_type = ?", ("SYN01", 1)
    ).fetchone()[0]
    parameterised = next(
        n
        for n in range(1, count + 1)
        if "-- parameters: 'SYN01', 1" in runner(page, n).locator("textarea").input_value()
    )
    expect(runner(page, parameterised).locator("tbody td").first).to_have_text(str(expected))
    later = [int(runner(page, n).get_attribute("data-milliseconds") or "0") for n in range(1, count + 1)]
    # The budgets: under 5 MB for the first load with engine and data; the first query under 2 s after
    # the page loads and later ones under 200 ms (make bench prints them; here with room for a busy machine).
    page.wait_for_load_state("networkidle")
    assert sum(sizes) < 5_000_000, f"first load transferred {sum(sizes)} bytes"
    assert first_seconds < 5, f"first query answered {first_seconds:.2f} s after the page loaded"
    assert sorted(later)[len(later) // 2] < 200 and max(later) < 1000, later
    assert foreign(requests, site_url) == []
    context.close()


@pytest.mark.browser
def test_editing_resetting_and_an_error(new_context: CreateContextCallback, site_url: str) -> None:
    context = new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(site_url + MODULE)
    box = runner(page, 2)
    editor = box.get_by_role("textbox")
    original = editor.input_value()
    editor.fill("SELECT provider_code, COUNT(*) AS spells FROM admissions GROUP BY provider_code ORDER BY 1")
    editor.press("Control+Enter")  # the keyboard runs it too
    status = box.get_by_role("status")
    expect(status).to_have_attribute("data-result", "ran", timeout=20_000)
    expect(box.locator("thead th")).to_have_text(["provider_code", "spells"])
    spells = pd.read_csv(REPO / "data" / "admissions.csv").groupby("provider_code").size()
    expect(box.locator("tbody tr")).to_have_count(len(spells))
    expect(box.locator("tbody tr").first.locator("td")).to_have_text([spells.index[0], str(spells.iloc[0])])
    # Many rows: a limit and a note.
    editor.fill("SELECT * FROM admissions")
    status = run(page, 2)
    expect(box.locator("tbody tr")).to_have_count(100)
    expect(box.locator(".college-sql__note")).to_contain_text("Only the first 100 of")
    # An error in plain words, and no table.
    editor.fill("SELECT spell_id FROM admission")
    status = run(page, 2)
    expect(status).to_have_attribute("data-result", "error")
    expect(status).to_contain_text("There is no table called admission. The tables are:")
    expect(box.locator("table")).to_have_count(0)
    editor.fill("SELECT provider_code, FROM admissions")
    expect(run(page, 2)).to_contain_text("could not read the query near")
    # Writing is refused, and the data stay whole for the next query.
    editor.fill("DROP TABLE admissions")
    expect(run(page, 2)).to_contain_text("may only read the data")
    editor.fill("PRAGMA query_only = OFF; DELETE FROM admissions")
    run(page, 2)
    editor.fill("SELECT COUNT(*) AS n FROM admissions")
    run(page, 2)
    expect(box.locator("tbody td")).to_have_text([str(int(spells.sum()))])
    box.get_by_role("button", name="Reset query 2").click()
    assert editor.input_value() == original
    # Keyboard only: Tab leaves the editor (no trap) for the Run button, and Enter runs the query.
    editor.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Run query 2"
    page.keyboard.press("Enter")
    expect(status).to_have_attribute("data-result", "ran", timeout=20_000)
    context.close()


def notebook_verdict(checks_code: str, variable: str, query: str) -> str | None:
    """The visible test cell run as the notebook runs it: None if it passes, else the assertion's message."""
    namespace: dict[str, object] = {variable: query}
    try:
        exec(compile(checks_code, "visible-test", "exec"), namespace)  # the course's own test cell
    except AssertionError as error:
        return str(error)
    except Exception as error:  # an SQL error in the notebook
        return f"error: {type(error).__name__}"
    return None


def answers() -> dict[str, list[str]]:
    """Per question: the solution, its wrong answer in exercise.yml, and answers that fail one visible check or another."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    solutions = {}
    for cell in cells:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            code = "".join(cell["source"])
            solutions[meta["grade_id"]] = code.split('"""')[1]
    wrong = {
        grade_id: source.split('"""')[1]
        for grade_id, source in load_exercise(NOTEBOOK.parent).wrong_answers.items()
    }
    return {
        "q1-group-by": [
            solutions["q1-group-by"],
            wrong["q1-group-by"],
            solutions["q1-group-by"].replace("AS spells", "AS n"),
            solutions["q1-group-by"].replace("ORDER BY provider_code", "ORDER BY spells DESC"),
        ],
        "q2-join": [
            solutions["q2-join"],
            wrong["q2-join"],
            "SELECT spell_id AS readmissions FROM admissions",
        ],
        "q3-window-rank": [
            solutions["q3-window-rank"],
            wrong["q3-window-rank"],
            solutions["q3-window-rank"].replace("WHERE diagnosis_rank <= 3", ""),
        ],
        "q4-running-total": [
            solutions["q4-running-total"],
            wrong["q4-running-total"],
            solutions["q4-running-total"].replace("GROUP BY month", "GROUP BY admission_date"),
        ],
    }


@pytest.mark.browser
def test_the_sql_exercise_checks_agree_with_the_notebook_and_are_recorded(
    new_context: CreateContextCallback, site_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "data").symlink_to(REPO / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)  # the test cells read data/admissions.csv, as in the download
    cells = {
        c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"])
        for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade")
    }
    questions = sql_questions(NOTEBOOK)
    exercise = load_exercise(NOTEBOOK.parent)
    context = new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(site_url + EXERCISE)
    assert page.locator(".college-sql").count() == len(questions)
    for number, question in enumerate(questions, start=1):
        box = runner(page, number)
        test_cell = visible_part(cells[question.grade_id.split("-")[0] + "-tests"])
        for query in answers()[question.grade_id]:
            want = notebook_verdict(test_cell, question.variable, query)
            box.get_by_role("textbox").fill(query)
            status = run(page, number, "Check")
            if want is None:
                expect(status).to_have_attribute("data-result", "correct")
            else:
                expect(status).to_have_attribute("data-result", "incorrect")
                expect(status).to_have_text(f"Not yet: {want}.")
        assert notebook_verdict(test_cell, question.variable, answers()[question.grade_id][0]) is None
        assert any(
            notebook_verdict(test_cell, question.variable, q) for q in answers()[question.grade_id][1:]
        )
        hint = exercise.hints[question.grade_id]
        details = box.locator("xpath=following-sibling::details[1]")
        details.locator("summary").click()
        expect(details).to_contain_text(hint[0].replace("`", "").split(".")[0])
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('open-college-progress'))")
    assert stored["sqlChecks"] == {"sql-admissions": {q.grade_id: True for q in questions}}
    page.reload()
    for number in range(1, len(questions) + 1):
        expect(runner(page, number).get_by_role("status")).to_have_text(
            "You passed this question's visible checks before, in this browser."
        )
    context.close()


@pytest.mark.browser
def test_an_sql_page_works_offline_after_the_first_load(
    new_context: CreateContextCallback, site_url: str
) -> None:
    context = new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(site_url + MODULE)
    expect(run(page, 1)).to_have_attribute("data-result", "ran")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(1500)  # the worker keeps what the first load fetched
    context.set_offline(True)
    page.reload()
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    # Really offline: what the site never sent cannot be fetched, so the page and engine came from the copy.
    assert (
        page.evaluate(
            "() => fetch('../../never-loaded.txt').then(r => 'answered ' + r.status, () => 'refused')"
        )
        == "refused"
    )
    status = run(page, 3)
    expect(status).to_have_attribute("data-result", "ran")
    expect(runner(page, 3).locator("tbody td")).to_have_count(1)
    context.close()


@pytest.mark.browser
def test_pages_with_runners_pass_axe_after_a_result_and_an_error(
    new_context: CreateContextCallback, site_url: str, axe_source: str
) -> None:
    for scheme in ("light", "dark"):
        context = new_context(viewport=VIEWPORT, color_scheme=scheme)  # type: ignore[arg-type]
        page = context.new_page()
        for path in (MODULE, EXERCISE):
            page.goto(site_url + path)
            run(page, 1)
            box = runner(page, 2)
            box.get_by_role("textbox").fill("SELECT nothing FROM nowhere")
            expect(run(page, 2)).to_have_attribute("data-result", "error")
            assert audit(page, axe_source) == [], f"{path} ({scheme})"
        context.close()


@pytest.mark.browser
def test_the_zensical_build_runs_sql_and_checks_an_answer_too(
    new_context: CreateContextCallback, tmp_path: Path
) -> None:
    """Zensical runs no MkDocs hook: the engine, the data and the runners come from the files `college pages` writes."""
    run_command([str(BIN / "college"), "pages", "--out", str(tmp_path), "--root", str(REPO)], cwd=REPO)
    run_command([str(BIN / "zensical"), "build", "--clean"], cwd=tmp_path)
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        context = new_context(viewport=VIEWPORT)
        block_other_hosts(context, url)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url + MODULE)
        assert page.locator(".college-sql").count() == module_queries()
        expect(run(page, 4)).to_have_attribute("data-result", "ran")
        page.goto(url + EXERCISE)
        question = sql_questions(NOTEBOOK)[1]
        runner(page, 2).get_by_role("textbox").fill(answers()["q2-join"][0])
        expect(run(page, 2, "Check")).to_have_attribute("data-result", "correct")
        runner(page, 2).get_by_role("textbox").fill("SELECT COUNT(*) AS n FROM admissions")
        expect(run(page, 2, "Check")).to_have_text(f"Not yet: {question.checks[0].message}.")
        assert foreign(requests, url) == []
        context.close()
    finally:
        server.shutdown()
        server.server_close()
