"""The open library's pages: reference generated from the docstrings, and guides whose examples really run."""

from __future__ import annotations

import ast
import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from college.site.api_reference import API_PACKAGES, api_reference_pages, docstring_markdown, exported_names
from tests.conftest import REPO

GUIDES = ["library/methods.md", "library/validity.md", "library/data.md"]
EXAMPLE = re.compile(r"```python\n(.*?)```\n(?:\nOutput:\n\n```text\n(.*?)```\n)?", re.S)


def examples(page: str) -> list[tuple[str, str | None]]:
    """Each Python block of a guide, with the output block shown after it (None when none is shown)."""
    text = (REPO / "courses" / page).read_text(encoding="utf-8")
    return [(code, output) for code, output in EXAMPLE.findall(text)] or pytest.fail(f"{page} has no example")


def mismatches(blocks: list[tuple[str, str | None]], name: str) -> tuple[int, list[str]]:
    """Run the blocks in order in one namespace; return how many outputs were compared and those that differ."""
    namespace: dict[str, object] = {"__name__": "__example__"}
    compared, wrong = 0, []
    for code, expected in blocks:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, name, "exec"), namespace)  # the page's own code, as a reader would run it
        if expected:
            compared += 1
            if _lines(printed.getvalue()) != _lines(expected):
                wrong.append(f"{code}\nprinted:\n{printed.getvalue()}\nshown:\n{expected}")
    return compared, wrong


def _lines(text: str) -> list[str]:
    """Output compared line by line without trailing spaces (pandas pads, editors strip)."""
    return [line.rstrip() for line in text.strip("\n").splitlines()]


@pytest.mark.parametrize("page", GUIDES)
def test_every_example_prints_what_its_page_shows(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The blocks run in order, in a fresh folder holding (a link to) the repository's small data."""
    (tmp_path / "data").symlink_to(REPO / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    compared, wrong = mismatches(examples(page), page)
    assert compared >= 1
    assert wrong == []


def test_an_output_that_differs_from_the_page_is_reported() -> None:
    compared, wrong = mismatches([("x = 2", None), ("print(x * 3)", "6\n"), ("print(x)", "3\n")], "fake.md")
    assert compared == 2
    assert len(wrong) == 1 and "print(x)" in wrong[0]


@pytest.fixture(scope="module")
def reference() -> dict[str, str]:
    return api_reference_pages()


@pytest.mark.parametrize("package", API_PACKAGES, ids=lambda p: p.name)
def test_every_exported_name_has_a_section_on_its_reference_page(package, reference) -> None:  # type: ignore[no-untyped-def]
    names, _ = exported_names(ast.parse((REPO / package.init).read_text(encoding="utf-8")))
    page = reference[package.page]
    assert len(names) >= 9
    missing = [n for n in names if f"### `{n}`" not in page and f"- `{n}" not in page]
    assert missing == []


@pytest.mark.parametrize("package", API_PACKAGES, ids=lambda p: p.name)
def test_the_public_api_is_documented_and_typed(package) -> None:  # type: ignore[no-untyped-def]
    """Every exported function has a docstring and annotations on every argument and its result."""
    names, homes = exported_names(ast.parse((REPO / package.init).read_text(encoding="utf-8")))
    problems = []
    for name in names:
        tree = ast.parse((REPO / (homes[name].replace(".", "/") + ".py")).read_text(encoding="utf-8"))
        node = next(
            (n for n in tree.body if getattr(n, "name", None) == name or _assigns(n, name)),
            None,
        )
        assert node is not None, f"{name} not found in {homes[name]}"
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not ast.get_docstring(node):
            problems.append(f"{name}: no docstring")
        if isinstance(node, ast.FunctionDef):
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            problems += [f"{name}({a.arg}): no annotation" for a in arguments if a.annotation is None]
            if node.returns is None:
                problems.append(f"{name}: no return annotation")
    assert problems == []


def _assigns(node: ast.stmt, name: str) -> bool:
    targets = (
        node.targets
        if isinstance(node, ast.Assign)
        else [node.target]
        if isinstance(node, ast.AnnAssign)
        else []
    )
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)


def test_reference_shows_signatures_sources_and_fields(reference) -> None:  # type: ignore[no-untyped-def]
    methods = reference["library/reference/methods.md"]
    assert "def exact_poisson_ci(count: int, confidence: float = 0.95) -> CountInterval" in methods
    assert "`from college.methods import exact_poisson_ci` (*exported*)" in methods
    assert "- `lower` (`float`): Lower confidence limit for the expected count." in methods
    assert "<https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/>" in methods
    assert "_regularised_gamma" not in methods  # private names stay out
    data = reference["library/reference/data.md"]
    assert "### `generate`" in data and "### `iter_tables`" not in data  # only what `college.data` exports


def test_google_sections_and_doctests_become_markdown() -> None:
    doc = """Summary line.

    Args:
        values: the values,
            over two lines.
        per: a scale.

    Raises:
        ValueError: when it is wrong.

    >>> double(2)
    4
    """
    markdown = docstring_markdown(doc)
    assert "**Args**\n\n- `values`: the values, over two lines.\n- `per`: a scale." in markdown
    assert "- `ValueError`: when it is wrong." in markdown
    assert "```pycon\n>>> double(2)\n4\n```" in markdown


def test_reference_pages_are_made_without_importing_the_library() -> None:
    """The source is parsed, not imported: building these pages loads neither pandas nor NumPy."""
    script = (
        "import sys\nfrom college.site.api_reference import api_reference_pages\napi_reference_pages()\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'college.methods') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
