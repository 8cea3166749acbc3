"""Worked examples show their output: run at build time on the shared data, placed under each block, failures
reported against the module's file, and kept between builds only for exactly the same code and data."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from college.checking import check
from college.curriculum import load_curriculum
from college.site import paths
from college.site.examples import (
    MAX_LINES,
    ExampleFailed,
    cached_outputs,
    example_problems,
    python_blocks,
    run_examples,
    with_outputs,
)
from college.site.pages import site_pages
from tests.conftest import REPO

DATA = REPO / "data"
OUTPUT = re.compile(
    r'^(?P<indent>[ \t]*)(?P<fence>`{3,})text title="Output"\n(?P<body>.*?)^(?P=indent)(?P=fence)$',
    re.M | re.S,
)

pytestmark = pytest.mark.skipif(
    not (DATA / "manifest.json").is_file(), reason="needs the shared data: make data"
)


@cache
def real_pages() -> dict[str, str]:
    return site_pages(load_curriculum(REPO))


def test_the_pandas_page_shows_what_its_code_prints_on_the_shared_data() -> None:
    page = real_pages()["analysts/03-python-and-pandas.md"]
    outputs = [match.group("body") for match in OUTPUT.finditer(page)]
    assert outputs, "no Output block on the pandas module"
    # the first block reads the data and prints the shape: it must be the data's real shape
    rows, columns = pd.read_csv(DATA / "ae_attendances.csv").shape
    assert outputs[0].splitlines()[0] == f"({rows}, {columns})"


def test_every_module_with_code_shows_outputs_and_keeps_its_code() -> None:
    curriculum = load_curriculum(REPO)
    pages = real_pages()
    for module in curriculum.modules:
        blocks = python_blocks(module.body)
        if not blocks or str(module.track) == "leaders":
            continue
        page = pages[paths.module_page(module)]
        assert [b.code for b in python_blocks(page)] == [b.code for b in blocks], module.source_path
        assert OUTPUT.search(page), f"{module.source_path}: no block printed anything"


def test_outputs_go_under_their_block_with_its_indent() -> None:
    markdown = "Text\n\n```python\nprint(1)\n```\n\n!!! note\n\n    ```python\n    x = 2\n    ```\n\n    ```python\n    print(x)\n    ```\n"
    placed = with_outputs(markdown, ["1\n", "", "2\n"])
    assert '```python\nprint(1)\n```\n\n```text title="Output"\n1\n```' in placed
    assert "    ```python\n    x = 2\n    ```\n\n    ```python" in placed  # nothing printed: nothing added
    assert '    ```python\n    print(x)\n    ```\n\n    ```text title="Output"\n    2\n    ```' in placed


def test_an_output_holding_a_fence_or_too_many_lines_cannot_break_the_page() -> None:
    printed = "```\n" + "\n".join(str(n) for n in range(MAX_LINES + 15))
    placed = with_outputs("```python\nprint(x)\n```\n", [printed])
    match = OUTPUT.search(placed)
    assert match and match.group("fence") == "````"
    assert match.group("body").splitlines()[-1] == "… (16 more lines)"  # the fence line counts too
    with pytest.raises(ValueError, match="2 Python blocks but 1 outputs"):
        with_outputs("```python\na\n```\n```python\nb\n```\n", ["x"])


def test_blocks_share_one_namespace_and_run_next_to_the_data(tmp_path: Path) -> None:
    outputs = run_examples(
        ["import pandas as pd\nframe = pd.read_csv('data/deaths.csv')", "x = 1", "print(len(frame) > 0, x)"],
        DATA,
        "example.md",
    )
    assert outputs == ["", "", "True 1\n"]


def test_a_failing_block_is_named_with_its_file_and_number() -> None:
    with pytest.raises(ExampleFailed) as failure:
        run_examples(["x = 1", "print(undefined_name)"], DATA, "courses/analysts/99-example.md")
    message = str(failure.value)
    assert "courses/analysts/99-example.md" in message and "Python block 2 fails" in message
    assert "NameError" in message


def test_a_broken_example_on_a_real_page_is_a_problem_of_college_check(tmp_path: Path) -> None:
    curriculum = load_curriculum(REPO)
    pages = dict(real_pages())
    page = "analysts/03-python-and-pandas.md"
    pages[page] += "\n```python\nraise RuntimeError('the page and its code disagree')\n```\n"
    (problem,) = example_problems(curriculum, pages)
    assert problem.file == "courses/analysts/03-python-and-pandas.md"
    assert "the page and its code disagree" in problem.message
    assert not check(REPO).problems, "the real curriculum has no failing example"


def test_outputs_are_kept_for_the_same_code_and_data_and_a_spoilt_cache_is_run_again(tmp_path: Path) -> None:
    codes = ["print('kept')"]
    assert cached_outputs(codes, DATA, tmp_path, "example.md") == ["kept\n"]
    (kept,) = tmp_path.glob("*.json")
    assert json.loads(kept.read_text()) == ["kept\n"]
    kept.write_text(json.dumps(["edited by hand\n"]))
    assert cached_outputs(codes, DATA, tmp_path, "example.md") == ["edited by hand\n"]  # same key: kept
    kept.write_text("{not json")
    assert cached_outputs(codes, DATA, tmp_path, "example.md") == ["kept\n"]  # spoilt: run again
    assert cached_outputs(["print('other')"], DATA, tmp_path, "example.md") == ["other\n"]  # other code
