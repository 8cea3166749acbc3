"""Which competencies each trainee's result evidences: the share of the exercise's points against a threshold."""

from __future__ import annotations

from collections.abc import Sequence

from autograder.exercise import ExerciseSpec
from autograder.models import CompetencyEvidence, TraineeResult


def evidence(spec: ExerciseSpec, results: Sequence[TraineeResult]) -> tuple[CompetencyEvidence, ...]:
    """One row per trainee and competency the exercise is mapped to."""
    rows: list[CompetencyEvidence] = []
    for result in results:
        share = result.score / result.max_score if result.max_score else 0.0
        for target in spec.competencies:
            rows.append(
                CompetencyEvidence(
                    trainee=result.trainee,
                    exercise=spec.id,
                    competency=target.id,
                    level=target.level,
                    threshold=target.threshold,
                    score=result.score,
                    max_score=result.max_score,
                    share=round(share, 6),
                    met=share >= target.threshold - 1e-9,
                )
            )
    return tuple(rows)
