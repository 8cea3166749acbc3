"""The pure function from the model to pages, and the pathways it shows, on the minimal fixture curriculum."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from college.cli import app
from college.curriculum import load_curriculum
from college.site.api_reference import api_reference_pages
from college.site.build import assemble_site
from college.site.data_pages import dictionary_pages
from college.site.pages import site_pages
from college.site.pathways import pathway
from tests.conftest import MINIMAL, REPO


def test_pages_are_a_pure_function_of_the_model() -> None:
    curriculum = load_curriculum(MINIMAL)
    assert site_pages(curriculum) == site_pages(load_curriculum(MINIMAL))
    assert set(site_pages(curriculum)) - set(dictionary_pages()) - set(api_reference_pages()) == {
        "analysts/01-xmr-charts.md",
        "analysts/index.md",
        "leaders/01-commissioning.md",
        "leaders/01-commissioning-summary.md",
        "leaders/index.md",
        "competencies/index.md",
        "competencies/matrix.md",
        "competencies/spc.md",
        "competencies/rates.md",
        "competencies/commissioning.md",
        "roles/index.md",
        "roles/matrix.md",
        "roles/analyst.md",
        "roles/senior-analyst.md",
        "roles/leader.md",
        "exercises/index.md",
        "exercises/first-look.md",
        "activities/index.md",
        "activities/record.md",
        "activities/lead-spc-for-a-board.md",
    }


def test_competency_page_shows_levels_roles_modules_and_exercises() -> None:
    page = site_pages(load_curriculum(MINIMAL))["competencies/spc.md"]
    assert "| Working | Can draw an XmR chart. |" in page
    assert "| [Senior analyst](../roles/senior-analyst.md) | Practitioner |" in page
    assert "| [XmR charts](../analysts/01-xmr-charts.md) | Analysts | Working |" in page
    assert "| [A first look at XmR charts](../exercises/first-look.md) | Working | 80% |" in page


def test_leader_pathway_puts_prerequisites_first_and_totals_time() -> None:
    curriculum = load_curriculum(MINIMAL)
    path = pathway(curriculum, curriculum.role("leader"))
    # The leaders' module needs the analysts' one first, whatever the track preference.
    assert [m.id for m in path.modules] == ["xmr-charts", "commissioning"]
    assert path.minutes == 50 + 20
    page = site_pages(curriculum)["roles/leader.md"]
    assert "2 modules, 1 hour 10 minutes in all" in page


def test_role_page_says_what_it_adds_over_the_role_below_and_its_gaps() -> None:
    page = site_pages(load_curriculum(MINIMAL))["roles/senior-analyst.md"]
    adds = page.split("## What it adds over analyst")[1].split("##")[0]
    assert "| [Statistical process control](../competencies/spc.md) | Working | Practitioner |" in adds
    gaps = page.split("## Beyond initial training")[1]
    assert "| [Rates and intervals](../competencies/rates.md) | Working | Awareness |" in gaps


def test_matrices_have_a_cell_per_pair() -> None:
    pages = site_pages(load_curriculum(MINIMAL))
    module_matrix = pages["competencies/matrix.md"]
    assert "| Competency | A1 | L1 |" in module_matrix
    assert "| [Statistical process control](spc.md) | W | A |" in module_matrix
    role_matrix = pages["roles/matrix.md"]
    assert "| [Commissioning analysis](../competencies/commissioning.md) |  |  | W |" in role_matrix


def test_module_page_frames_the_body_with_front_matter() -> None:
    page = site_pages(load_curriculum(MINIMAL))["leaders/01-commissioning.md"]
    headings = re.findall(r"^## (.+)$", page, re.MULTILINE)
    assert headings == ["Why it matters", "Key points", "Self-check quiz", "Your progress", "Sources"]
    assert "**Read first:** [XmR charts](../analysts/01-xmr-charts.md)" in page  # leaders: plain words
    assert page.count('type="radio"') == 6


def test_every_link_in_generated_pages_resolves(minimal_root: Path) -> None:
    assert assemble_site(load_curriculum(minimal_root)).link_problems() == []


def test_downloads_need_the_generated_data_and_exercises(minimal_root: Path) -> None:
    (minimal_root / "data").unlink()
    shutil.rmtree(minimal_root / "build")
    problems = assemble_site(load_curriculum(minimal_root)).link_problems()
    assert "college/data/dictionary.yml" in {p.file for p in problems}
    assert (
        "error: exercises/first-look/exercise.yml: links: 'first-look.zip' points at no page or file of the site"
        in {str(p) for p in problems}
    )


def test_exercise_page_offers_the_download(minimal_root: Path) -> None:
    site = assemble_site(load_curriculum(minimal_root))
    assert "(first-look.zip)" in site.inputs.pages["exercises/first-look.md"]
    assert site.inputs.copied["exercises/first-look.zip"].is_file()


def test_check_command_exit_codes(minimal_root: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["check", "--root", str(minimal_root)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 2 warnings" in result.output
    assert "warning:" not in result.output  # counted in one line, not listed
    assert "2 warnings not listed" in result.output and "college check --verbose" in result.output
    verbose = runner.invoke(app, ["check", "--verbose", "--root", str(minimal_root)])
    assert verbose.exit_code == 0 and verbose.output.count("warning:") == 2, verbose.output
    strict = runner.invoke(app, ["check", "--strict", "--root", str(minimal_root)])
    assert strict.exit_code == 1
    assert strict.output.count("warning:") == 2 and "not listed" not in strict.output
    (minimal_root / "competencies/roles.yml").write_text("roles: {")
    broken = runner.invoke(app, ["check", "--root", str(minimal_root)])
    assert broken.exit_code == 1
    assert "competencies/roles.yml" in broken.output
    assert "Traceback" not in broken.output


def test_pages_command_writes_a_buildable_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["pages", "--out", str(tmp_path), "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mkdocs.yml").is_file()
    assert (tmp_path / "docs" / "index.md").is_file()
    assert (tmp_path / "docs" / "competencies" / "index.md").is_file()
    assert (tmp_path / "overrides" / "partials" / "source.html").is_file()


def test_activity_page_says_what_to_do_what_to_keep_and_how_it_is_judged() -> None:
    page = site_pages(load_curriculum(MINIMAL))["activities/lead-spc-for-a-board.md"]
    headings = re.findall(r"^## (.+)$", page, re.MULTILINE)
    assert headings == [
        "What it evidences",
        "Roles that need it",
        "What to do",
        "Evidence to keep",
        "How a reviewer judges it",
        "Sources",
    ]
    assert (
        "| [Statistical process control](../competencies/spc.md) | Expert | Can lead the use of SPC" in page
    )
    assert "1. Audit the board report.\n2. Rebuild it with XmR charts and coach the board." in page
    assert "**Who reviews it:** A head of performance from another trust." in page
    assert "[CPD record](record.md)" in page
    # No role in the minimal ladder needs SPC at expert level.
    assert "No role in the framework needs these competencies at this level." in page


def test_competency_page_lists_the_activities_that_evidence_it() -> None:
    page = site_pages(load_curriculum(MINIMAL))["competencies/spc.md"]
    section = page.split("## CPD activities that evidence it")[1].split("##")[0]
    assert (
        "| [Lead SPC adoption for a board](../activities/lead-spc-for-a-board.md) | Expert | 40 hours |"
        in section
    )


def test_role_page_shows_the_next_step_and_what_builds_it(minimal_root: Path) -> None:
    page = site_pages(load_curriculum(minimal_root))["roles/analyst.md"]
    step = page.split("## Next step: senior analyst")[1].split("## ")[0]
    # The senior analyst needs SPC at practitioner: no module builds beyond working, and the expert activity
    # does not evidence practitioner, so nothing builds it yet.
    assert (
        "| [Statistical process control](../competencies/spc.md) | Working | Practitioner | nothing in the college yet |"
        in step
    )
    assert (
        "| [Rates and intervals](../competencies/rates.md) | Awareness | Working | nothing in the college yet |"
        in step
    )


def test_role_page_names_activities_that_evidence_its_levels(minimal_root: Path) -> None:
    import yaml

    roles = minimal_root / "competencies/roles.yml"
    data = yaml.safe_load(roles.read_text())
    data["roles"][1]["requires"][0]["level"] = "expert"
    roles.write_text(yaml.safe_dump(data, sort_keys=False))
    pages = site_pages(load_curriculum(minimal_root))
    senior = pages["roles/senior-analyst.md"]
    assert "## CPD activities" in senior
    assert (
        "| [Lead SPC adoption for a board](../activities/lead-spc-for-a-board.md) | Statistical process control (expert) | 40 hours |"
        in senior
    )
    assert (
        "[Statistical process control](../competencies/spc.md) | Expert" not in senior.split("## Beyond")[-1]
    )
    analyst = pages["roles/analyst.md"]
    assert (
        "| [Statistical process control](../competencies/spc.md) | Working | Expert | "
        "[Lead SPC adoption for a board](../activities/lead-spc-for-a-board.md) (activity) |"
    ) in analyst


def test_cpd_record_page_offers_every_activity_and_competency() -> None:
    curriculum = load_curriculum(MINIMAL)
    page = site_pages(curriculum)["activities/record.md"]
    assert '<option value="lead-spc-for-a-board" data-hours="40" data-competencies="spc:expert">' in page
    for competency in curriculum.competencies:
        assert f'<label for="cpd-level-{competency.id}">{competency.name}</label>' in page
    # Only the levels a competency is described at can be chosen for it.
    rates = page.split('id="cpd-level-rates"')[1].split("</select>")[0]
    assert ">Working<" in rates and ">Expert<" not in rates


def test_nav_has_a_cpd_section_with_the_record_first() -> None:
    site = assemble_site(load_curriculum(MINIMAL))
    cpd = next(item["CPD"] for item in site.nav if isinstance(item, dict) and "CPD" in item)
    assert cpd[:3] == [
        "activities/index.md",
        {"My CPD record": "activities/record.md"},
        {"Lead SPC adoption for a board": "activities/lead-spc-for-a-board.md"},
    ]


def test_role_pages_carry_their_pathway_for_the_browsers_progress() -> None:
    import html
    import json

    from college.site.pathways import pathway

    curriculum = load_curriculum(MINIMAL)
    pages = site_pages(curriculum)
    for role in curriculum.roles:
        modules = [module.id for module in pathway(curriculum, role).modules]
        page = pages[f"roles/{role.id}.md"]
        if not modules:
            assert "college-pathway-progress" not in page
            continue
        match = re.search(r'data-modules="([^"]*)" data-exercises="([^"]*)"', page)
        assert match, page
        assert json.loads(html.unescape(match[1])) == modules
        exercises = json.loads(html.unescape(match[2]))
        assert set(exercises) == {e.id for e in curriculum.exercises if e.module in modules}
    exercise_page = pages["exercises/first-look.md"]
    assert 'class="college-done" data-kind="exercises" data-id="first-look" hidden' in exercise_page
