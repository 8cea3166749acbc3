"""Rules the whole course states once and keeps: checked over every page, exercise notebook and method.

- **Same-minute departures** (issue 14): a departure in the same minute as the arrival is timed as 0 minutes and
  counted within four hours, and flagged as a recording issue to check. No page, notebook or module may teach the
  other rule (excluding such stays as impossible), whether in code (``minutes > 0``, ``allow_equal=False`` on the
  arrival and departure, a strict ``>`` in SQL) or in words.
- **Department types** are the NHS Data Model and Dictionary's four national codes: no list of them stops at 3.
- **Targets**: the 2025/26 planning guidance's milestones may appear only as history, next to the 2026/27
  figures of the medium term planning framework (October 2025).

Each pattern is tested against the old wording it replaced, so the scan cannot pass by matching nothing.
Deliberately wrong answers in ``exercise.yml`` are not scanned: they exist to be caught.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import REPO


def _notebook_text(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(cell["source"]) for cell in cells)


def _texts() -> dict[str, str]:
    files: dict[str, str] = {}
    for path in sorted((REPO / "courses").rglob("*.md")):
        files[str(path.relative_to(REPO))] = path.read_text(encoding="utf-8")
    for path in sorted((REPO / "exercises").glob("*/*.ipynb")):
        files[str(path.relative_to(REPO))] = _notebook_text(path)
    for path in sorted((REPO / "college").rglob("*.py")) + sorted((REPO / "college").rglob("*.yml")):
        files[str(path.relative_to(REPO))] = path.read_text(encoding="utf-8")
    return files


TEXTS = _texts()

EXCLUDES_SAME_MINUTE = {
    "a strict comparison of minutes with zero": re.compile(r"minutes[\w\"'\]\[]*\s*(?:>|<=)\s*0(?![.\d])"),
    "a strict comparison of a duration with zero": re.compile(
        r"(?:duration|stay|time_in_department)[\w\"'\]\[]*\s*(?:>|<=)\s*(?:0(?![.\d])|pd\.Timedelta\(0\))"
    ),
    "a strict departure-after-arrival condition in SQL": re.compile(
        r"departure_datetime\)?\s*>(?!=)\s*(?:strftime\('%s',\s*)?arrival_datetime"
    ),
    "equal arrival and departure treated as out of order": re.compile(
        r"\"arrival_datetime\",\s*\"departure_datetime\",\s*allow_equal=False"
    ),
    "same-minute departures called impossible": re.compile(
        r"same minute[^.]{0,80}impossible|impossible[^.]{0,80}same minute", re.IGNORECASE
    ),
    "the old exclusion reason": re.compile(r"departure not after (?:the )?arrival", re.IGNORECASE),
}
OLD_SAME_MINUTE_WORDING = {
    "a strict comparison of minutes with zero": 'valid = attendances[attendances["minutes_in_department"] > 0]',
    "a strict comparison of a duration with zero": "keep = duration > pd.Timedelta(0)",
    "a strict departure-after-arrival condition in SQL": (
        "WHERE strftime('%s', departure_datetime) > strftime('%s', arrival_datetime)"
    ),
    "equal arrival and departure treated as out of order": (
        'dates_out_of_order(attendances, "arrival_datetime", "departure_datetime", allow_equal=False)'
    ),
    "same-minute departures called impossible": "Leaving in the same minute as arriving is impossible too.",
    "the old exclusion reason": 'excluded = out_of_order.assign(reason="departure not after arrival")',
}

STOPS_AT_TYPE_3 = re.compile(
    r"isin\(\[1, 2, 3\]\)|isin\(\[\"1\", \"2\", \"3\"\]\)|not in \(1, 2, 3\)|\(1, 2, 3\)\s*$"
    r"|types 1, 2 and 3|1, 2 or 3\b|01, 02 (?:and|or) 03\b",
    re.MULTILINE,
)
OLD_TARGET_WORDING = (
    "NHS England, 2025/26 priorities and operational planning guidance (the current four-hour target)",
    "The latest target is 78% by March 2026.",
)
CURRENT = re.compile(r"\b(?:current|latest|now asks|in force)\b", re.IGNORECASE)
OLD_PLAN = re.compile(r"2025/26|March 2026")


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*] ", text) if part.strip()]


def _current_2025_26(text: str) -> list[str]:
    return [s for s in _sentences(text) if OLD_PLAN.search(s) and CURRENT.search(s)]


@pytest.mark.parametrize("rule", list(EXCLUDES_SAME_MINUTE))
def test_each_same_minute_pattern_catches_the_old_wording(rule: str) -> None:
    assert EXCLUDES_SAME_MINUTE[rule].search(OLD_SAME_MINUTE_WORDING[rule])


@pytest.mark.parametrize("name", list(TEXTS))
def test_no_file_teaches_excluding_same_minute_departures(name: str) -> None:
    """Lines marked as a deliberate mistake (the broken versions a testing exercise asks trainees to catch) are
    the only exception."""
    text = "\n".join(line for line in TEXTS[name].splitlines() if "a deliberate mistake" not in line)
    found = {
        rule: match.group(0)
        for rule, pattern in EXCLUDES_SAME_MINUTE.items()
        if (match := pattern.search(text))
    }
    assert not found, f"{name} uses the other same-minute rule: {found}"


def test_the_type_3_pattern_catches_the_old_wording() -> None:
    for old in (
        'ae = ae[ae["department_type"].isin([1, 2, 3])]',
        "unexpected_type = next(code for code in counts if code not in (1, 2, 3))",
        "ECDS records the type as the two characters 01, 02 or 03.",
        "the share for types 1, 2 and 3 together",
    ):
        assert STOPS_AT_TYPE_3.search(old), old


@pytest.mark.parametrize("name", list(TEXTS))
def test_no_list_of_department_types_stops_at_3(name: str) -> None:
    found = STOPS_AT_TYPE_3.findall(TEXTS[name])
    assert not found, f"{name} lists department types without 4 (NHS walk-in centres): {found}"


def test_the_target_check_catches_the_old_wording() -> None:
    for old in OLD_TARGET_WORDING:
        assert _current_2025_26(old), old


@pytest.mark.parametrize("name", list(TEXTS))
def test_no_file_names_a_2025_26_target_as_current(name: str) -> None:
    text = TEXTS[name]
    assert _current_2025_26(text) == [], f"{name} presents a 2025/26 milestone as current"
    if re.search(r"planning guidance", text) and OLD_PLAN.search(text):
        assert re.search(r"medium term planning framework", text, re.IGNORECASE), (
            f"{name} quotes the 2025/26 planning guidance without the medium term planning framework (2026/27)"
        )
        assert "March 2027" in text or "PLANNING_TARGET_MARCH_2027" in text, name


LEADERS_SPC = REPO / "courses" / "leaders" / "03-spc-for-boards.md"
MONTH_ROW = re.compile(r"^\s*\| (\w+ \d{4}) \| ([\d.]+) % \| (up|down) ([\d.]+) points \|", re.MULTILINE)


def test_the_leaders_spc_example_matches_the_data_and_its_own_words() -> None:
    """Every month of the worked example is the synthetic data's, and what the text says about the falls holds."""
    import pandas as pd

    from college.methods.spc import xmr_chart

    monthly = pd.read_csv(REPO / "data" / "monthly_indicators.csv", parse_dates=["month"])
    series = monthly[monthly["provider_code"] == "SYN01"].set_index("month").sort_index()["four_hour_pct"]
    text = LEADERS_SPC.read_text(encoding="utf-8")
    rows = MONTH_ROW.findall(text)
    assert len(rows) == 10
    for label, value, direction, change in rows:
        month = pd.Timestamp(f"1 {label}")
        step = series[month] - series[month - pd.offsets.MonthBegin(1)]
        assert float(value) == round(float(series[month]), 1), label
        assert (direction == "up") == (step > 0) and float(change) == round(abs(step), 1), label
    typical = float(series.iloc[:24].diff().abs().mean())
    assert f"month-to-month movement of {typical:.1f} points" in text
    later_falls = {label: float(change) for label, _, direction, change in rows[2:] if direction == "down"}
    assert later_falls["November 2022"] > round(typical, 1), (
        "November's fall is larger than the typical movement"
    )
    assert "each later fall\n    was smaller" not in text and "was smaller than the usual" not in text
    chart = xmr_chart(series.tolist(), "increase", baseline_points=24)
    assert round(float(chart["upper_limit"].iloc[0]), 1) == 76.3 and "76.3 %" in text


def test_the_leaders_icons_carry_their_letters_and_the_purple_icon() -> None:
    text = LEADERS_SPC.read_text(encoding="utf-8")
    assert "pointing up or down" not in text
    assert "Purple, with the letter H or L" in text
    assert "letter P (pass)" in text and "letter F (fail)" in text


def test_the_correct_option_is_not_given_away_by_its_length() -> None:
    """Issue 14 found the correct option the longest in 31 of 33 leaders' questions: a reader could pass by length."""
    from college.curriculum import load_curriculum

    curriculum = load_curriculum(REPO)
    questions = [q for m in curriculum.modules_in_track("leaders") for q in m.quiz]
    longest = [
        q.question
        for q in questions
        if max(len(o.text) for o in q.options) in {len(o.text) for o in q.options if o.correct}
    ]
    assert len(longest) <= len(questions) // 3, f"{len(longest)} of {len(questions)}: {longest}"
    for module in curriculum.modules_in_track("leaders"):
        mine = [q.question for q in module.quiz if q.question in longest]
        assert len(mine) < len(module.quiz), (
            f"{module.id}: the correct option is the longest in every question"
        )
