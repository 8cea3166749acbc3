"""Moodle's and Canvas's gradebook CSVs as their importers read them: header, identifiers, grades, no formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from autograder.errors import GradingError
from autograder.lms import (
    CANVAS_COLUMNS,
    MOODLE_COLUMNS,
    LmsGrade,
    canvas_csv,
    moodle_csv,
    read_roster,
    write_lms_exports,
)

GRADES = [LmsGrade("ada", 4.5), LmsGrade("bob", 0.0), LmsGrade("cy", None), LmsGrade("dee", 3.0)]
ROSTER = (
    "trainee,email,username,id_number,first_name,last_name,canvas_id,sis_user_id,sis_login_id,section\n"
    "ada,ada@example.nhs.uk,alovelace,N001,Ada,Lovelace,101,S101,alovelace,Cohort A\n"
    'bob,bob@example.nhs.uk,bbrown,N002,"=HYPERLINK(""http://x"")",Brown,102,S102,bbrown,Cohort A\n'
    "cy,cy@example.nhs.uk,cyoung,N003,Cy,Young,103,S103,cyoung,Cohort B\n"
)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _roster(tmp_path: Path, text: str = ROSTER) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_moodle_csv_has_its_identifier_columns_and_one_grade_column(tmp_path: Path) -> None:
    text, missing = moodle_csv("Problem set 1", GRADES, read_roster(_roster(tmp_path)))
    rows = _rows(text)
    assert rows[0] == [*MOODLE_COLUMNS, "Problem set 1"]
    by_email = {row[3]: row for row in rows[1:]}
    assert by_email["ada@example.nhs.uk"] == [
        "Ada",
        "Lovelace",
        "N001",
        "ada@example.nhs.uk",
        "alovelace",
        "4.5",
    ]
    assert by_email["cy@example.nhs.uk"][-1] == ""  # an invalid submission leaves Moodle's grade unchanged
    assert by_email["bob@example.nhs.uk"][0] == '\'=HYPERLINK("http://x")'  # a formula is shown as text
    assert missing == ["dee"]  # not in the roster: left out and reported, never guessed
    assert "dee" not in text


def test_canvas_csv_has_canvas_columns_and_points_possible(tmp_path: Path) -> None:
    text, missing = canvas_csv("Problem set 1", 5, GRADES, read_roster(_roster(tmp_path)))
    rows = _rows(text)
    assert rows[0] == [*CANVAS_COLUMNS, "Problem set 1"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "5"]
    assert rows[2] == ["Lovelace, Ada", "101", "S101", "alovelace", "Cohort A", "4.5"]
    assert [row[3] for row in rows[2:]] == ["alovelace", "bbrown", "cyoung"]
    assert missing == ["dee"]


def test_without_a_roster_the_trainee_id_is_the_login(tmp_path: Path) -> None:
    files, missing = write_lms_exports(tmp_path, "ps_1", 5, GRADES)
    assert missing == []
    moodle = _rows(files["moodle"].read_text(encoding="utf-8"))
    assert [row[4] for row in moodle[1:]] == ["ada", "bob", "cy", "dee"]
    canvas = _rows(files["canvas"].read_text(encoding="utf-8"))
    assert [(row[0], row[3], row[5]) for row in canvas[2:]][:2] == [
        ("ada", "ada", "4.5"),
        ("bob", "bob", "0"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("email\nx@example.nhs.uk\n", "'trainee' column"),
        ("trainee,shoe_size\nada,5\n", "unknown roster columns: shoe_size"),
        ("trainee\nada\nada\n", "row 3: trainee 'ada' is listed twice"),
        ("trainee,email\n,x@example.nhs.uk\n", "row 2 has no trainee id"),
    ],
)
def test_a_bad_roster_is_refused_naming_the_row(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(GradingError, match=message):
        read_roster(_roster(tmp_path, text))
