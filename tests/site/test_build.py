"""The real site, built by both builders from the same generated pages."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from college.curriculum import load_curriculum
from college.site.build import assemble_site
from college.site.project import write_site_project
from tests.conftest import BIN, REPO, BuiltSite, run


def html_path(page: str) -> str:
    """Where MkDocs (with directory URLs) writes the HTML for a Markdown page."""
    if page == "index.md" or page.endswith("/index.md"):
        return page[: -len(".md")] + ".html"
    return page[: -len(".md")] + "/index.html"


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    return assemble_site(load_curriculum(REPO))


def test_strict_build_prints_no_warning(built_site: BuiltSite) -> None:
    assert "WARNING" not in built_site.log, built_site.log


def test_every_generated_and_authored_page_is_built(built_site: BuiltSite, site) -> None:  # type: ignore[no-untyped-def]
    pages = [p for p in site.inputs.all_paths() if p.endswith(".md")]
    missing = [p for p in pages if not (built_site.folder / html_path(p)).is_file()]
    assert missing == []
    assert len(pages) >= 40


def test_hook_hands_mkdocs_exactly_the_pages_written_for_zensical(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    config = load_config(str(REPO / "mkdocs.yml"))
    config = config.plugins.on_config(config)  # MkDocs runs the hook as a plugin, exactly as in a build
    files = config.plugins.on_files(Files([]), config=config)
    from_hook = {f.src_uri: f.content_string for f in files if f.src_uri in site.inputs.pages}
    assert set(from_hook) == set(site.inputs.pages)
    write_site_project(REPO, site, tmp_path)
    written = {
        p.relative_to(tmp_path / "docs").as_posix(): p.read_text(encoding="utf-8")
        for p in (tmp_path / "docs").rglob("*")
        if p.relative_to(tmp_path / "docs").as_posix()
        in site.inputs.pages  # pages and generated charts (SVG)
    }
    assert from_hook == written
    assert config["nav"] == site.nav


def test_zensical_builds_every_page_from_the_written_files(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    run([str(BIN / "college"), "pages", "--out", str(tmp_path), "--root", str(REPO)], cwd=REPO)
    result = run([str(BIN / "zensical"), "build", "--clean"], cwd=tmp_path)
    assert "error" not in (result.stdout + result.stderr).lower()
    pages = [p for p in site.inputs.all_paths() if p.endswith(".md")]
    missing = [p for p in pages if not (tmp_path / "site" / html_path(p)).is_file()]
    assert missing == []
    assert external_loads(tmp_path / "site") == []


EXTERNAL = r"(?:https?:)?//(?!127\.0\.0\.1|localhost)[^\s\"')]+"
LOADING_PATTERNS = [
    re.compile(r"<(?:script|img|iframe|audio|video|source|embed|track)\b[^>]*\bsrc=[\"']?" + EXTERNAL, re.I),
    re.compile(
        r"<link\b(?=[^>]*\brel=[\"']?(?:stylesheet|preload|modulepreload|icon|manifest|prefetch|preconnect|dns-prefetch))[^>]*\bhref=[\"']?"
        + EXTERNAL,
        re.I,
    ),
    re.compile(r"@import\s+(?:url\()?[\"']?" + EXTERNAL, re.I),
    re.compile(r"url\(\s*[\"']?" + EXTERNAL, re.I),
]


def external_loads(folder: Path) -> list[str]:
    """Every place a built HTML, CSS or JS file would make the browser load something from another host."""
    offenders = []
    files = [p for p in folder.rglob("*") if p.suffix in {".html", ".css", ".js"}]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in LOADING_PATTERNS:
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(folder)}: {match.group(0)[:120]}")
    return offenders


def test_built_files_load_nothing_from_another_host(built_site: BuiltSite) -> None:
    assert external_loads(built_site.folder) == []


def test_the_privacy_scan_catches_an_external_font(tmp_path: Path) -> None:
    """The scan itself can fail: a Google Fonts stylesheet is caught."""
    html = '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
    assert any(pattern.search(html) for pattern in LOADING_PATTERNS)
    assert not any(
        pattern.search('<a href="https://www.england.nhs.uk/">NHS England</a>')
        for pattern in LOADING_PATTERNS
    )


def test_footer_states_both_licences(built_site: BuiltSite) -> None:
    home = (built_site.folder / "index.html").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in home
    assert "MIT licence" in home


def test_every_exercise_download_is_in_the_site_with_its_data(built_site: BuiltSite) -> None:
    curriculum = load_curriculum(REPO)
    assert len(curriculum.exercises) >= 10
    for exercise in curriculum.exercises:
        archive = built_site.folder / "exercises" / f"{exercise.id}.zip"
        with zipfile.ZipFile(archive) as opened:
            names = opened.namelist()
        assert f"{exercise.id}/{exercise.notebook.name}" in names
        for data_file in exercise.data:
            assert f"{exercise.id}/data/{data_file}" in names
        page = (built_site.folder / "exercises" / exercise.id / "index.html").read_text(encoding="utf-8")
        assert f'href="../{exercise.id}.zip"' in page


def test_every_page_names_a_file_of_the_repository_as_its_source(site) -> None:  # type: ignore[no-untyped-def]
    """Each generator says which file a page is made from; that file exists, and edit links open it."""
    missing = {page: source for page, source in site.source_of.items() if not (REPO / source).is_file()}
    assert missing == {}
    expected = {
        "analysts/index.md": "competencies/tracks.yml",
        "analysts/08-spc-making-data-count.md": "courses/analysts/08-spc-making-data-count.md",
        "leaders/02-reading-a-chart-summary.md": "courses/leaders/02-reading-a-chart.md",
        "competencies/statistical-process-control.md": "competencies/competencies.yml",
        "roles/analyst.md": "competencies/roles.yml",
        "exercises/counting-diagnoses.md": "exercises/counting-diagnoses/exercise.yml",
        "data/patients.md": "college/data/dictionary.yml",
        "data/index.md": "college/site/templates/data/index.md.j2",
        "exercises/index.md": "college/site/templates/exercises_index.md.j2",
        "library/reference/methods.md": "college/methods/__init__.py",
        "charts/xmr-four-hour-syn01.svg": "college/site/charts/catalogue.py",
    }
    assert {page: site.source_of.get(page) for page in expected} == expected
    assert site.inputs.pages["analysts/index.md"].startswith(
        "---\nedit_source: competencies/tracks.yml\n---\n"
    )
