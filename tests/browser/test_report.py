"""The tutor's cohort report as a tutor opens it: made by the real `college grade` on a small cohort (a right, a
wrong and a blank notebook), then shown in a real browser: axe-core clean (WCAG 2.2 AA) in light and dark
schemes, no request to any other host, every chart with alt text and a table, and printable. A screenshot is
kept in test-artifacts/ for the closing note."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_playwright.pytest_playwright import CreateContextCallback

from college.curriculum import load_exercise
from tests.browser.conftest import ARTEFACTS, serve
from tests.browser.test_every_page import audit, block_other_hosts, foreign
from tests.conftest import REPO

EXERCISE = "pandas-ae-first-look"

pytestmark = pytest.mark.slow


def _solution(source: str) -> str:
    return "".join(
        line
        for line in source.splitlines(keepends=True)
        if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line
    )


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("cohort")
    exercise = load_exercise(REPO / "exercises" / EXERCISE)
    source = json.loads(Path(exercise.notebook).read_text(encoding="utf-8"))
    (wrong_id, wrong_answer), *_ = exercise.wrong_answers.items()
    for trainee, wrong in (("right", None), ("wrong", wrong_id)):
        notebook = json.loads(json.dumps(source))
        for cell in notebook["cells"]:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = wrong_answer if grade_id == wrong else _solution(text)
        folder = work / "submitted" / trainee / EXERCISE
        folder.mkdir(parents=True)
        (folder / f"{EXERCISE}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    blank = work / "submitted" / "blank" / EXERCISE
    blank.mkdir(parents=True)
    with zipfile.ZipFile(REPO / "build" / "exercises" / f"{EXERCISE}.zip") as download:
        name = next(n for n in download.namelist() if n.endswith(".ipynb"))
        (blank / f"{EXERCISE}.ipynb").write_bytes(download.read(name))
    college = Path(sys.executable).with_name("college")
    done = subprocess.run(
        [str(college), "grade", EXERCISE, "submitted/", "--root", str(REPO), "--out", "graded"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (work / "graded" / "report.html").is_file(), sorted(p.name for p in (work / "graded").iterdir())
    return work / "graded"


@pytest.fixture(scope="module")
def report_url(report_folder: Path) -> Iterator[str]:
    yield from serve(report_folder)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_cohort_report_passes_axe_and_stays_on_this_host(
    new_context: CreateContextCallback, report_url: str, axe_source: str, scheme: str
) -> None:
    context = new_context(  # bypass_csp lets axe-core in: the report itself allows no script at all
        color_scheme=scheme,  # type: ignore[arg-type]
        viewport={"width": 1280, "height": 2000},
        bypass_csp=True,
    )
    block_other_hosts(context, report_url)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report_url + "report.html")
    assert audit(page, axe_source) == []
    assert foreign(requests, report_url) == []
    labels = page.evaluate(
        """() => [...document.querySelectorAll("img, svg[role='img']")].map(chart =>
            chart.getAttribute("alt") || chart.getAttribute("aria-label") ||
            (chart.getAttribute("aria-labelledby") || "").split(" ").map(id =>
                (document.getElementById(id) || {}).textContent || "").join(" "))"""
    )
    assert len(labels) >= 2, "the report draws its charts"
    assert all(len(label.strip()) > 20 for label in labels), labels
    assert page.locator("table").count() >= len(labels), "each chart's numbers as a table"
    for trainee in ("right", "wrong", "blank"):
        assert page.get_by_text(trainee, exact=True).count() >= 1, trainee
    if scheme == "light":
        ARTEFACTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.screenshot(path=str(ARTEFACTS / "cohort-report.png"), full_page=True)
        assert (ARTEFACTS / "cohort-report.png").stat().st_size > 10_000
    context.close()


def test_the_cohort_report_prints_on_a4_without_buttons_or_cut_tables(
    new_context: CreateContextCallback, report_url: str
) -> None:
    page = new_context().new_page()
    page.goto(report_url + "report.html")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "() => [...document.querySelectorAll('button, nav, input')].filter(e => e.offsetParent !== null).length"
    )
    assert hidden == 0, "buttons and navigation are left off the printed page"
    pdf = page.pdf(format="A4")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 6, f"{pages} A4 pages for a three-trainee report"
    page.close()
