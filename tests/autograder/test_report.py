"""The cohort report: numbers right, charts accessible, nothing loaded or run, trainee text only as text."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from autograder.models import (
    CompetencyEvidence,
    HiddenTestResult,
    QuestionResult,
    StageTimes,
    Status,
    TestVerdict,
    TraineeResult,
)
from autograder.report import question_rows, render_report, score_bins, write_report


def _question(
    name: str, score: float, max_score: float, visible: str = "", hidden: str = ""
) -> QuestionResult:
    verdicts = (HiddenTestResult(name="edge case", verdict=TestVerdict(hidden)),) if hidden else ()
    return QuestionResult(
        question=name,
        score=score,
        max_score=max_score,
        status=Status.GRADED,
        reason="",
        visible_message=visible,
        hidden=verdicts,
    )


def _trainee(
    name: str, q1: QuestionResult, q2: QuestionResult, status: Status = Status.GRADED
) -> TraineeResult:
    return TraineeResult(
        trainee=name,
        exercise="ps_1",
        status=status,
        reason="" if status is Status.GRADED else "the process ended",
        score=q1.score + q2.score,
        max_score=q1.max_score + q2.max_score,
        questions=(q1, q2),
        times=StageTimes(execute=len(name) / 10, tests=0.1),
    )


RESULTS = (
    _trainee("ada", _question("q1", 2, 2, hidden="passed"), _question("q2", 1, 1)),
    _trainee("bob", _question("q1", 0, 2, visible="assert failed"), _question("q2", 1, 1)),
    _trainee("cy", _question("q1", 0, 2, hidden="failed"), _question("q2", 0, 1, visible="wrong")),
    _trainee("<script>alert(1)</script>", _question("q1", 0, 2), _question("q2", 0, 1), Status.ERRORED),
)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def test_question_rates_split_visible_from_hidden_only_failures() -> None:
    rows = {row.name: row for row in question_rows(RESULTS)}
    assert (rows["q1"].passed, rows["q1"].visible, rows["q1"].hidden, rows["q1"].ungraded) == (1, 1, 1, 0)
    assert (rows["q2"].passed, rows["q2"].visible, rows["q2"].hidden) == (2, 1, 0)
    assert rows["q1"].passed_pct == "25"


def test_scores_fall_in_one_bin_per_point() -> None:
    assert score_bins(RESULTS) == [("0", 2), ("1", 1), ("2", 0), ("3", 1)]


def test_the_page_loads_nothing_runs_nothing_and_keeps_trainee_text_as_text(tmp_path: Path) -> None:
    evidence = [
        CompetencyEvidence(
            trainee=r.trainee, exercise="ps_1", competency="data-quality", level="foundation", threshold=0.5,
            score=r.score, max_score=r.max_score, share=r.score / r.max_score, met=r.score / r.max_score >= 0.5,
        )
        for r in RESULTS
    ]  # fmt: skip
    path = write_report(
        tmp_path, "Problem set 1", RESULTS, evidence=evidence, late={"cy": "2.0 hours late"}, seconds=1.25
    )
    page = path.read_text(encoding="utf-8")
    parsed = _parse(page)
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert all(
        "style" not in attrs for _, attrs in parsed.tags
    )  # inline style attributes would break the CSP
    csp = next(
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and csp.startswith("default-src 'none'")
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    assert style and page.count("<style") == 1
    digest = base64.b64encode(hashlib.sha256(style[1].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    for url in re.findall(r"(?:href|src)=\"([^\"]+)\"", page):
        assert url.startswith(("#", "feedback/")), url  # only the page itself and the feedback pages
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    charts = [attrs for tag, attrs in parsed.tags if tag == "svg"]
    assert len(charts) == 2 and all(a.get("role") == "img" and a.get("aria-labelledby") for a in charts)
    text = " ".join(parsed.text)
    assert "0: 2; 1: 1; 2: 0; 3: 1" in text  # the distribution's alt text holds its numbers
    assert "q1: 1 passed, 1 failed a visible test, 1 failed hidden tests only" in text
    assert "2.0 hours late" in text and "errored" in text and "not met" in text
    assert 'href="feedback/ada.html"' in page


def test_an_empty_cohort_still_renders() -> None:
    assert "cohort report" in render_report("Empty", ())
