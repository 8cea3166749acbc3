"""The page templates: each is used, each is in the package, and a name a template does not get is an error."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from college.site.templates import environment, render
from tests.conftest import REPO

TEMPLATES = REPO / "college" / "site" / "templates"


def template_names() -> list[str]:
    return sorted(path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.j2"))


def test_every_template_is_rendered_or_included_somewhere() -> None:
    code = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "college" / "site").glob("*.py"))
    code += "\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in template_names())
    used = set(re.findall(r"[\"']([\w/-]+\.md\.j2)[\"']", code))
    assert set(template_names()) == used


def test_the_templates_are_package_data() -> None:
    """pyproject's package-data puts every template in the wheel (tests/install checks the wheel itself)."""
    assert environment().list_templates(filter_func=lambda name: name.endswith(".j2")) == template_names()


def test_a_name_the_template_is_not_given_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError, match="track"):
        render("track_index.md.j2", summary="1 module, 1 hour", rows=[])


def test_editing_a_template_changes_the_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The page text lives in the template: a copy with one word changed gives a page with that word changed."""
    from college.curriculum import load_curriculum
    from college.site.module_pages import render_track_index

    copied = tmp_path / "templates"
    copied.mkdir()
    source = (TEMPLATES / "track_index.md.j2").read_text(encoding="utf-8")
    (copied / "track_index.md.j2").write_text(source.replace("in all.", "altogether."), encoding="utf-8")
    changed = jinja2.Environment(
        loader=jinja2.FileSystemLoader(copied),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    changed.globals.update(environment().globals)
    monkeypatch.setattr("college.site.templates.environment", lambda: changed)
    curriculum = load_curriculum(REPO)
    page = render_track_index(curriculum, curriculum.tracks[0])
    assert "altogether." in page and "in all." not in page
    assert page.startswith(f"# {curriculum.tracks[0].name}\n\n{curriculum.tracks[0].introduction}\n\n")
