"""The data dictionary pages: one per data set plus the overview and the method, generated from the dictionary."""

from __future__ import annotations

import re

import pytest

from college.data.dictionary import load_dictionary
from college.data.plausibility import RANGES
from college.site.data_pages import HOW_IT_WAS_MADE, INDEX, dictionary_pages

DICTIONARY = load_dictionary()
PAGES = dictionary_pages()
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_there_is_a_page_for_every_data_set_and_no_other() -> None:
    expected = {INDEX, HOW_IT_WAS_MADE} | {f"data/{name}.md" for name in DICTIONARY.dataset_names}
    assert set(PAGES) == expected


def test_pages_are_a_pure_function_of_the_dictionary() -> None:
    assert dictionary_pages() == PAGES


@pytest.mark.parametrize("name", DICTIONARY.dataset_names)
def test_every_field_is_in_its_page_with_downloads(name: str) -> None:
    page = PAGES[f"data/{name}.md"]
    for field in DICTIONARY.dataset(name).fields:
        assert f"| `{field.name}` |" in page, field.name
    assert f"](files/{name}.csv)" in page and f"](files/{name}.parquet)" in page
    assert page.startswith(f"# {DICTIONARY.dataset(name).title}\n")


def test_answer_keys_are_not_published() -> None:
    text = "\n".join(PAGES.values())
    for spec in DICTIONARY.truth_files:
        assert spec.name not in text
    assert "truth/" not in text


def test_every_table_has_a_header_row() -> None:
    for path, page in PAGES.items():
        lines = page.splitlines()
        for number, line in enumerate(lines):
            if line.startswith("|") and (number == 0 or not lines[number - 1].startswith("|")):
                assert re.fullmatch(r"\|( --- \|)+", lines[number + 1]), (
                    f"{path}: table without a header at {line}"
                )


def test_relative_links_point_at_data_pages_files_or_code_list_anchors() -> None:
    anchors = {code_list.id for code_list in DICTIONARY.code_lists}
    for path, page in PAGES.items():
        for target in LINK.findall(page):
            if target.startswith("https://"):
                continue
            file, _, anchor = target.partition("#")
            if file.startswith("files/"):
                assert re.fullmatch(r"files/([a-z_]+\.(csv|parquet)|datapackage\.json)", file), (path, target)
                continue
            assert f"data/{file}" in PAGES, (path, target)
            if anchor and file == "code_lists.md":
                assert anchor in anchors and f"{{#{anchor}}}" in PAGES["data/code_lists.md"], (path, target)


def test_the_overview_states_the_licence_and_that_no_real_person_is_in_the_data() -> None:
    index = PAGES[INDEX]
    assert "Open Government Licence v3.0" in index
    assert "No real person" in index
    assert "999 000 0000 to 999 999 9999" in index


def test_the_method_page_lists_every_plausibility_range_and_planted_problem() -> None:
    page = PAGES[HOW_IT_WAS_MADE]
    for check in RANGES:
        assert check.description in page
    for entry in DICTIONARY.code_list("quality_problem").codes:
        assert f"`{entry.code}`" in page
    assert "2022" in page


def test_pages_use_british_spelling() -> None:
    text = "\n".join(PAGES.values()).lower()
    for american in ("standardized", "organization", "color", "modeling", "analyze", " center"):
        assert american not in text, american


def test_the_code_list_page_lists_every_code() -> None:
    page = PAGES["data/code_lists.md"]
    for code_list in DICTIONARY.code_lists:
        for entry in code_list.codes:
            assert f"| `{entry.code}` |" in page
