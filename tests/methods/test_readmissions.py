"""Emergency readmissions: the 0 to 29 days window of the national indicator, on hand-made spells and the data."""

from __future__ import annotations

import sqlite3

import pandas as pd

from college.methods.readmissions import WINDOW_DAYS, readmissions_by_provider, readmitted_within_30_days
from tests.conftest import REPO


def spells(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """Spells from (patient, spell id, admission date, discharge date, admission method) tuples."""
    frame = pd.DataFrame(
        rows, columns=["nhs_number", "spell_id", "admission_date", "discharge_date", "admission_method"]
    )
    return frame.assign(provider_code="SYN01")


def test_the_window_is_0_to_29_days_inclusive() -> None:
    # CCG OIS 3.2 / compendium I02040: emergency admissions within 0-29 days (inclusive) of the last discharge.
    assert WINDOW_DAYS == 29
    frame = spells([
        ("A", "S1", "2023-01-01", "2023-01-10", "11"), ("A", "S2", "2023-01-10", "2023-01-12", "21"),  # 0 days
        ("B", "S3", "2023-01-01", "2023-01-10", "11"), ("B", "S4", "2023-02-08", "2023-02-09", "21"),  # 29 days
        ("C", "S5", "2023-01-01", "2023-01-10", "11"), ("C", "S6", "2023-02-09", "2023-02-10", "21"),  # 30 days
    ])  # fmt: skip
    assert readmitted_within_30_days(frame).tolist() == [True, False, True, False, False, False]


def test_only_an_emergency_next_spell_counts_and_ties_break_on_spell_id() -> None:
    frame = spells([
        ("A", "S2", "2023-01-05", "2023-01-06", "2B"),
        ("A", "S1", "2023-01-01", "2023-01-05", "11"),
        ("A", "S3", "2023-01-05", "2023-01-07", "11"),  # same day as S2: S2 comes first by spell id
    ])  # fmt: skip
    # S1's next spell is S2 (emergency, 0 days); S2's next is S3 (elective); S3 has none.
    assert readmitted_within_30_days(frame).tolist() == [False, True, False]


def test_the_sql_module_query_agrees_and_a_30_day_window_would_not() -> None:
    """The SQL module's window (0 to 29) gives the method's count on the shared data; 0 to 30 gives more."""
    admissions = pd.read_csv(
        REPO / "data" / "admissions.csv", dtype={"nhs_number": str, "admission_method": str}
    )
    connection = sqlite3.connect(":memory:")
    admissions.to_sql("admissions", connection, index=False)
    sql = """
        WITH ordered AS (
            SELECT nhs_number, discharge_date,
                   LEAD(admission_date) OVER (PARTITION BY nhs_number ORDER BY admission_date, spell_id) AS next_date,
                   LEAD(admission_method) OVER (PARTITION BY nhs_number ORDER BY admission_date, spell_id) AS next_method
            FROM admissions
        )
        SELECT COUNT(*) FROM ordered
        WHERE discharge_date <= '2023-11-30' AND next_method LIKE '2%'
          AND julianday(next_date) - julianday(discharge_date) BETWEEN 0 AND {last}
    """
    within_29 = connection.execute(sql.format(last=29)).fetchone()[0]
    within_30 = connection.execute(sql.format(last=30)).fetchone()[0]
    reference = int(readmissions_by_provider(admissions, discharged_by="2023-11-30")["readmissions"].sum())
    assert within_29 == reference
    assert within_30 > reference, "the data hold returns on day 30, so the old window would be caught"
    page = (REPO / "courses" / "analysts" / "04-sql-for-analysts.md").read_text(encoding="utf-8")
    assert "BETWEEN 0 AND 29" in page and "BETWEEN 0 AND 30" not in page.replace("`BETWEEN 0 AND 30`", "")
