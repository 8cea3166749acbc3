"""What the site's SQL runners are given: the database, the SQL blocks, the translated checks and the assets."""

from __future__ import annotations

import ast
import gzip
import html
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from college.curriculum import load_curriculum, load_exercise
from college.data.dictionary import load_dictionary
from college.site.build import assemble_site
from college.site.sql_assets import DATABASE, SqlAssetsMissing, sql_assets
from college.site.sql_blocks import PARAMETERS_PREFIX, SqlQuery, add_sql_blocks, block_text, queries_in_python
from college.site.sql_checks import CheckTranslationError, sql_questions, translate_test_cell, visible_part
from college.site.sql_database import database_bytes, sql_tables, write_database
from college.site.sql_practice import PracticeError, render_practice
from tests.conftest import REPO

NOTEBOOK = REPO / "exercises" / "sql-admissions" / "sql-admissions.ipynb"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    file = tmp_path_factory.mktemp("sql") / "college.sqlite"
    file.write_bytes(database_bytes(REPO / "data"))
    return sqlite3.connect(file)


def test_every_published_data_set_is_a_table_with_every_row(database: sqlite3.Connection) -> None:
    tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == set(load_dictionary().dataset_names)
    for name in sql_tables():
        frame = pd.read_csv(REPO / "data" / f"{name}.csv", dtype=str, keep_default_na=False)
        (count,) = database.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()
        assert count == len(frame), name


def test_columns_are_typed_as_the_dictionary_says_and_empty_cells_are_null(
    database: sqlite3.Connection,
) -> None:
    spec = load_dictionary().dataset("admissions")
    declared = {row[1]: row[2] for row in database.execute("PRAGMA table_info(admissions)")}
    assert declared == {
        field.name: {"integer": "INTEGER", "number": "REAL"}.get(field.type, "TEXT") for field in spec.fields
    }
    frame = pd.read_csv(REPO / "data" / "admissions.csv", dtype=str, keep_default_na=False)
    (nulls,) = database.execute("SELECT COUNT(*) FROM admissions WHERE main_procedure IS NULL").fetchone()
    assert nulls == (frame["main_procedure"] == "").sum() > 0
    assert database.execute(
        "SELECT typeof(length_of_stay), typeof(admission_method) FROM admissions"
    ).fetchone() == (
        "integer",
        "text",
    )
    # Codes that look like numbers stay text, as the exercise reads them: '2A' and '21' alike.
    methods = {row[0] for row in database.execute("SELECT DISTINCT admission_method FROM admissions")}
    assert "21" in methods and all(isinstance(m, str) for m in methods)


def test_the_course_queries_give_what_the_notebook_gives(database: sqlite3.Connection) -> None:
    """The exercise's solutions on the shipped database and on the notebook's own table agree row for row."""
    notebook = sqlite3.connect(":memory:")
    pd.read_csv(
        REPO / "data" / "admissions.csv",
        dtype={"admission_method": str, "primary_diagnosis": str, "main_procedure": str},
    ).to_sql("admissions", notebook, index=False)
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    solutions = [
        "".join(c["source"]).split('"""')[1]
        for c in cells
        if c["metadata"].get("nbgrader", {}).get("solution")
    ]
    assert len(solutions) == 4
    for sql in solutions:
        assert database.execute(sql).fetchall() == notebook.execute(sql).fetchall()


def test_the_compressed_database_is_the_same_bytes_for_the_same_data(tmp_path: Path) -> None:
    one = write_database(REPO / "data", tmp_path / "one.gz", ("code_lists",)).read_bytes()
    two = write_database(REPO / "data", tmp_path / "two.gz", ("code_lists",)).read_bytes()
    assert one == two
    assert gzip.decompress(one).startswith(b"SQLite format 3\x00")


PYTHON = '''
provider = "SYN01"
print(query("""
    SELECT provider_code
    FROM admissions
    WHERE provider_code = ?
""", (provider,)))
print(pd.read_sql_query("SELECT name FROM sqlite_master", connection))
print(query(f"SELECT {column} FROM admissions"))
label = "SELECT is a keyword"
print(len("SELECT"))
'''


def test_queries_are_taken_from_python_with_their_parameters() -> None:
    found = queries_in_python(PYTHON)
    assert [block_text(q) for q in found] == [
        "-- parameters: 'SYN01'\nSELECT provider_code\nFROM admissions\nWHERE provider_code = ?",
        "SELECT name FROM sqlite_master",
    ]
    assert block_text(SqlQuery("SELECT ?", ("it's", 2))) == PARAMETERS_PREFIX + "'it''s', 2\nSELECT ?"
    assert queries_in_python("def broken(:\n    pass") == []


def test_an_sql_block_follows_each_python_block_that_runs_sql_indented_with_it() -> None:
    page = (
        "Text.\n\n```python\nx = 1\n```\n\n!!! note\n\n    ```python\n"
        '    print(query("SELECT 1 AS one"))\n    ```\n\nAfter.\n'
    )
    out = add_sql_blocks(page)
    assert out.count("```sql") == 1
    assert "    ```sql\n    SELECT 1 AS one\n    ```" in out
    assert out.endswith("After.\n")
    assert add_sql_blocks("```python\nprint(1)\n```\n") == "```python\nprint(1)\n```\n"


def test_the_sql_module_page_shows_every_query_of_its_python_as_sql() -> None:
    curriculum = load_curriculum(REPO)
    module = curriculum.module("sql-for-analysts")
    page = assemble_site(curriculum).inputs.pages[module.source_path]
    python = [block.split("```")[0] for block in module.body.split("```python")[1:]]
    queries = [block_text(q) for code in python for q in queries_in_python(code)]
    assert len(queries) >= 10
    for text in queries:
        assert f"```sql\n{text}\n```" in page


def test_the_visible_checks_are_translated_from_the_notebook_and_nothing_hidden() -> None:
    questions = sql_questions(NOTEBOOK)
    assert [q.grade_id for q in questions] == ["q1-group-by", "q2-join", "q3-window-rank", "q4-running-total"]
    assert [q.points for q in questions] == [2, 3, 3, 2]
    kinds = [[c.kind for c in q.checks] for q in questions]
    assert kinds == [
        ["columns", "sorted", "sum"],
        ["columns", "row_count", "between"],
        ["columns", "between", "row_count"],
        ["columns", "row_count", "cumsum"],
    ]
    assert questions[3].checks[1].value == 12
    assert questions[2].checks[1].low == 1 and questions[2].checks[1].high == 3
    assert questions[0].checks[2].columns == ("spells",) and questions[0].checks[2].value == 1737
    assert questions[3].checks[2].columns == ("running_total", "admissions")
    exercise = load_exercise(NOTEBOOK.parent)
    section = render_practice(exercise)
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        code = "".join(cell["source"])
        if "### BEGIN HIDDEN TESTS" in code:
            hidden = code.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            messages = [
                node.value
                for statement in ast.walk(ast.parse(hidden))
                if isinstance(statement, ast.Assert) and statement.msg is not None
                for node in ast.walk(statement.msg)
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 15
            ]
            assert messages
            for message in messages:
                assert message not in section and html.escape(json.dumps(message)[1:-1]) not in section
        if "### BEGIN SOLUTION" in code:
            assert code.split('"""')[1].strip() not in section


def test_a_total_and_a_running_total_are_checks_the_browser_runs() -> None:
    cell = (
        "result = run_query(query_x)\n"
        'assert result["n"].sum() == 40, "Forty in all"\n'
        'assert list(result["total"]) == list(result["n"].cumsum()), "A running total of n"\n'
    )
    variable, checks = translate_test_cell(cell, "nb")
    assert variable == "query_x"
    assert [(c.kind, c.columns, c.value, c.message) for c in checks] == [
        ("sum", ("n",), 40, "Forty in all"),
        ("cumsum", ("total", "n"), 0, "A running total of n"),
    ]
    for unsupported in (
        'assert result["n"].sum() == 4.5, "Not whole"',
        'assert result["n"].sum(1) == 4, "Axis"',
    ):
        with pytest.raises(CheckTranslationError, match="line 2: the browser cannot run"):
            translate_test_cell("result = run_query(query_x)\n" + unsupported + "\n", "nb")


def test_a_visible_check_the_browser_cannot_run_fails_the_translation() -> None:
    cell = 'result = run_query(query_x)\nassert result.shape == (1, 1), "One cell"\n'
    with pytest.raises(CheckTranslationError, match="line 2: the browser cannot run"):
        translate_test_cell(cell, "nb, cell q9-tests")
    with pytest.raises(CheckTranslationError, match="no `result = run_query"):
        translate_test_cell('assert len(result) == 1, "One row"\n', "nb")
    # Hidden lines are never read: an untranslatable hidden assert is fine.
    ok = (
        cell.replace("assert result.shape", "### BEGIN HIDDEN TESTS\nassert result.shape")
        + "### END HIDDEN TESTS\n"
    )
    with pytest.raises(CheckTranslationError, match="has no check"):
        translate_test_cell(ok, "nb")
    assert "shape" not in visible_part(ok)


def test_hints_must_name_questions(tmp_path: Path) -> None:
    exercise = load_exercise(NOTEBOOK.parent)
    assert set(exercise.hints) == {q.grade_id for q in sql_questions(NOTEBOOK)}
    wrong = exercise.model_copy(update={"hints": {"q9-nothing": "A hint"}})
    with pytest.raises(PracticeError, match="hints name cells that are not questions: q9-nothing"):
        render_practice(wrong)


def test_the_site_ships_the_engine_and_the_data_and_says_how_to_get_a_missing_engine(tmp_path: Path) -> None:
    site = assemble_site(load_curriculum(REPO))
    copied = site.inputs.copied
    assert {"assets/sql/sql-wasm.js", "assets/sql/sql-wasm.wasm", DATABASE, "sw.js"} <= set(copied)
    assert copied["assets/sql/sql-wasm.wasm"].read_bytes()[:4] == b"\x00asm"
    (tmp_path / "data").symlink_to(REPO / "data", target_is_directory=True)
    with pytest.raises(SqlAssetsMissing, match="run `npm ci`"):
        sql_assets(tmp_path)
