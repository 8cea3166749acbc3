"""The grading pool started before the exercise is parsed: the workers launch their sandboxes first, are given the
exercise later, and grade exactly as a pool started with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.collect import collect
from autograder.errors import GradingError
from autograder.exercise import spec_from_exercise
from autograder.pool import GradingPool
from autograder.sandbox.limits import Limits
from autograder.worker_setup import GraderSetup, SandboxSetup
from tests.autograder.helpers import DATA_DIR, answered, exercise, released, write_submission

LIMITS = Limits(cell_timeout=10, submission_timeout=60, memory_mb=256)


def test_a_pool_started_before_the_exercise_grades_like_one_started_with_it(tmp_path: Path) -> None:
    spec = spec_from_exercise(exercise(), DATA_DIR.resolve(), LIMITS)
    submissions = tmp_path / "submitted"
    write_submission(submissions, "alice", answered())
    write_submission(submissions, "blank", released())
    write_submission(submissions, "carol", answered())
    found = collect(submissions, spec.id, spec.notebook_name, tmp_path / "scratch", 10**7).submissions
    setup = GraderSetup(spec, LIMITS)

    early = GradingPool(SandboxSetup(LIMITS, spec.data_files), 2)
    try:
        with pytest.raises(GradingError):
            early.start(found)  # not given the exercise yet
        early.resize(1)
        assert len(early.workers) == 1
        with pytest.raises(GradingError):  # other limits than its sandboxes were started with
            early.configure(GraderSetup(spec, Limits(memory_mb=128)))
        early.configure(setup)
        early.start(found)  # handed out before the worker is ready
        first = {graded.result.trainee: graded.result for graded in early.grade(found)}
        again = {
            graded.result.trainee: graded.result for graded in early.grade(found[:1])
        }  # the pool is reused
    finally:
        early.close()
    with GradingPool(setup, 2) as pool:
        usual = {graded.result.trainee: graded.result for graded in pool.grade(found)}

    assert sorted(first) == ["alice", "blank", "carol"] and list(again) == ["alice"]
    for trainee, result in usual.items():
        assert first[trainee].score == result.score and first[trainee].status == result.status
        assert [q.score for q in first[trainee].questions] == [q.score for q in result.questions]
    assert usual["alice"].score == usual["alice"].max_score and usual["blank"].score == 0
    assert again["alice"].score == usual["alice"].score
